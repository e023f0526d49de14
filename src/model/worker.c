/* The one life cycle of a background thread (model/worker.h). */
#include "model/worker.h"

#include "model/error.h"

#include <stdlib.h>
#include <time.h>

static void *trampoline(void *arg)
{
	struct bf_worker *w = arg;
	w->run(w);
	return NULL;
}

int bf_worker_start_crew(struct bf_worker *w, unsigned n, void (*run)(struct bf_worker *w), void *arg)
{
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	w->stopping = false;
	w->run = run;
	w->arg = arg;
	w->threads = bf_xcalloc(n ? n : 1, sizeof(*w->threads));
	w->n_threads = 0;
	while (w->n_threads < n && pthread_create(&w->threads[w->n_threads], NULL, trampoline, w) == 0)
		w->n_threads++;
	if (w->n_threads < n) {
		bf_worker_stop(w);
		return BF_EIO;
	}
	return BF_OK;
}

int bf_worker_start(struct bf_worker *w, void (*run)(struct bf_worker *w), void *arg)
{
	return bf_worker_start_crew(w, 1, run, arg);
}

void bf_worker_signal(struct bf_worker *w)
{
	pthread_cond_signal(&w->wake);
}

bool bf_worker_sleep(struct bf_worker *w, int ms)
{
	if (w->stopping)
		return false;
	if (ms < 0) {
		pthread_cond_wait(&w->wake, &w->lock);
		return !w->stopping;
	}
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!w->stopping && pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0)
		;
	return !w->stopping;
}

void bf_worker_join(struct bf_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	for (unsigned i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i], NULL);
	free(w->threads);
	w->threads = NULL;
	w->n_threads = 0;
}

void bf_worker_clear(struct bf_worker *w)
{
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
}

void bf_worker_stop(struct bf_worker *w)
{
	bf_worker_join(w);
	bf_worker_clear(w);
}
