/* Writes under an Idempotency-Key (service/idempotency.c): a request runs
 * every use case it calls in one transaction, the key checked at its start
 * and its answer kept with the key at its end, so that a retry, however
 * many come at once, writes nothing and gets the first answer. */
#ifndef BF_SERVICE_IDEMPOTENCY_H
#define BF_SERVICE_IDEMPOTENCY_H

#include "service/service.h"

/* A request under way under its key: its transaction is open. */
struct bf_keyed_request;

/* An answer as it was sent. */
struct bf_keyed_answer {
	int status;
	char *body; /* its bytes; malloc'd, the caller's to free */
	char location[BF_KEPT_LOCATION_MAX + 1];
};

/* Opens the transaction of REQUEST ("POST /v1/consignments/c-.../booking")
 * by ACTOR under KEY, its body hashing to BODY_HASH. When ACTOR has used
 * KEY before and an answer is kept with it:
 * - for this same request (path and body), *REPLAY gets that answer once
 *   it is durable, *OUT is NULL, and nothing is written;
 * - for another, BF_ECONFLICT naming Idempotency-Key.
 * Otherwise *OUT is the request under way: every use case the calling
 * thread runs until bf_service_keyed_end(*OUT) runs in its transaction,
 * and retries with KEY wait for it. */
int bf_service_keyed_begin(struct bf_service *svc, const struct bf_party *actor, const char *key, const char *request,
                           const unsigned char body_hash[BF_TOKEN_HASH_BYTES], struct bf_keyed_request **out,
                           struct bf_keyed_answer *replay, struct bf_error *err);

/* Ends R and frees it: keeps ANSWER with its key and commits everything
 * R's use cases wrote, 0 once it is durable; otherwise none of it stands
 * and the answer is not to be sent. ANSWER NULL (a refusal, a failure):
 * keeps nothing and rolls back everything R's use cases wrote, so that
 * a retry runs afresh. */
int bf_service_keyed_end(struct bf_keyed_request *r, const struct bf_keyed_answer *answer, struct bf_error *err);

#endif
