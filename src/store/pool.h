/* A fixed set of store connections shared by the server's threads: a
 * thread takes one for a request and gives it back. */
#ifndef BF_STORE_POOL_H
#define BF_STORE_POOL_H

#include "store/store.h"

struct bf_store_pool;

/* Opens SIZE connections to URL up front (the first applies migrations),
 * so a bad URL fails at start-up and not on the first request. */
int bf_store_pool_open(const char *url, unsigned size, struct bf_store_pool **out, struct bf_error *err);
/* Closes every connection; none may be taken out. */
void bf_store_pool_close(struct bf_store_pool *p);
/* Waits for a free connection and hands it out; it stays the caller's
 * until bf_store_pool_release(). */
struct bf_store *bf_store_pool_acquire(struct bf_store_pool *p);
void bf_store_pool_release(struct bf_store_pool *p, struct bf_store *s);

#endif
