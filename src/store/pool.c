/* A mutex-guarded stack of open connections. */
#include "store/pool.h"

#include <pthread.h>
#include <stdlib.h>

struct bf_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned size, n_free;
	struct bf_store **all;
	struct bf_store **free_list;
};

int bf_store_pool_open(const char *url, unsigned size, struct bf_store_pool **out, struct bf_error *err)
{
	struct bf_store_pool *p = bf_xcalloc(1, sizeof(*p));
	*out = NULL;
	if (size == 0)
		size = 1;
	p->all = bf_xcalloc(size, sizeof(struct bf_store *));
	p->free_list = bf_xcalloc(size, sizeof(struct bf_store *));
	for (unsigned i = 0; i < size; i++) {
		int rc = bf_store_open(url, &p->all[i], err);
		if (rc) {
			p->size = i;
			p->n_free = i;
			for (unsigned j = 0; j < i; j++)
				bf_store_close(p->all[j]);
			free(p->all);
			free(p->free_list);
			free(p);
			return rc;
		}
		p->free_list[i] = p->all[i];
	}
	p->size = p->n_free = size;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	*out = p;
	return BF_OK;
}

void bf_store_pool_close(struct bf_store_pool *p)
{
	if (p == NULL)
		return;
	for (unsigned i = 0; i < p->size; i++)
		bf_store_close(p->all[i]);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p->all);
	free(p->free_list);
	free(p);
}

struct bf_store *bf_store_pool_acquire(struct bf_store_pool *p)
{
	struct bf_store *s;
	pthread_mutex_lock(&p->lock);
	while (p->n_free == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	s = p->free_list[--p->n_free];
	pthread_mutex_unlock(&p->lock);
	return s;
}

void bf_store_pool_release(struct bf_store_pool *p, struct bf_store *s)
{
	pthread_mutex_lock(&p->lock);
	p->free_list[p->n_free++] = s;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}
