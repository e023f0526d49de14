/* Answers kept in memory. Reading a gate's queue or the list of gate
 * pairs takes tens of queries; the same answer, asked again while nothing
 * has been written, is given again from here instead. An answer is kept
 * with the store's revision it was read at (store.h: one more with every
 * write transaction any process commits) and the time it was made, and is
 * given again only while the revision is the same and for less than
 * BF_CACHE_MAX_AGE_MS: a write anywhere is seen by the next request, and
 * what an answer says of the clock (today's windows, a vehicle's estimated
 * crossing) is never older than that.
 *
 * A fixed number of slots, each keeping one answer: a key takes the slot
 * its hash names, replacing what was there. Safe from several threads. */
#ifndef BF_API_CACHE_H
#define BF_API_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define BF_CACHE_MAX_AGE_MS 1000
#define BF_CACHE_SLOTS      256
/* A bigger answer is not kept (at most SLOTS times this in all). */
#define BF_CACHE_MAX_BODY   (256u * 1024u)

struct bf_cache;

struct bf_cache *bf_cache_new(void);
void bf_cache_free(struct bf_cache *c);
/* A malloc'd copy of the answer kept for KEY, and its length in *LEN, if
 * it was made at REVISION less than BF_CACHE_MAX_AGE_MS before NOW_MS (a
 * monotonic clock); otherwise NULL. */
char *bf_cache_get(struct bf_cache *c, const char *key, int64_t revision, int64_t now_ms, size_t *len);
/* Keeps a copy of BODY for KEY, made at REVISION at NOW_MS. */
void bf_cache_put(struct bf_cache *c, const char *key, int64_t revision, int64_t now_ms, const char *body, size_t len);

#endif
