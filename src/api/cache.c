/* api/cache.h: one mutex over the slots; a copy is made under it, so that
 * a slot replaced meanwhile never frees bytes still being sent. */
#include "api/cache.h"

#include "model/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char *key; /* NULL: empty */
	char *body;
	size_t len;
	int64_t revision;
	int64_t made_ms;
};

struct bf_cache {
	pthread_mutex_t lock;
	struct slot slots[BF_CACHE_SLOTS];
};

/* FNV-1a, 64 bits. */
static size_t slot_of(const char *key)
{
	uint64_t h = 14695981039346656037u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return (size_t)(h % BF_CACHE_SLOTS);
}

struct bf_cache *bf_cache_new(void)
{
	struct bf_cache *c = bf_xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void bf_cache_free(struct bf_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < BF_CACHE_SLOTS; i++) {
		free(c->slots[i].key);
		free(c->slots[i].body);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

char *bf_cache_get(struct bf_cache *c, const char *key, int64_t revision, int64_t now_ms, size_t *len)
{
	struct slot *s = &c->slots[slot_of(key)];
	char *copy = NULL;
	pthread_mutex_lock(&c->lock);
	if (s->key != NULL && s->revision == revision && now_ms >= s->made_ms &&
	    now_ms - s->made_ms < BF_CACHE_MAX_AGE_MS && strcmp(s->key, key) == 0) {
		copy = bf_xmalloc(s->len + 1);
		memcpy(copy, s->body, s->len + 1);
		*len = s->len;
	}
	pthread_mutex_unlock(&c->lock);
	return copy;
}

void bf_cache_put(struct bf_cache *c, const char *key, int64_t revision, int64_t now_ms, const char *body, size_t len)
{
	if (len > BF_CACHE_MAX_BODY)
		return;
	struct slot *s = &c->slots[slot_of(key)];
	char *k = bf_xstrdup(key), *b = bf_xmalloc(len + 1);
	memcpy(b, body, len);
	b[len] = '\0';
	pthread_mutex_lock(&c->lock);
	/* Of two answers made meanwhile, the one read at the later revision
	 * stays. */
	if (s->key != NULL && strcmp(s->key, key) == 0 && s->revision > revision) {
		pthread_mutex_unlock(&c->lock);
		free(k);
		free(b);
		return;
	}
	char *old_key = s->key, *old_body = s->body;
	*s = (struct slot){.key = k, .body = b, .len = len, .revision = revision, .made_ms = now_ms};
	pthread_mutex_unlock(&c->lock);
	free(old_key);
	free(old_body);
}
