/* Writes under an Idempotency-Key. The request's whole run is one write
 * transaction on the writer's connection, pinned to the thread
 * (store/pool.h): the key is read first, under the store's one write lock,
 * and the answer is kept in the transaction that makes the writes it
 * answers. Two requests with one key therefore never run side by side: the
 * second reads the key once the first has committed (or in the first's
 * commit group, on SQLite), and answers what the first answered. */
#include "service/idempotency.h"

#include "service/service_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct bf_keyed_request {
	struct bf_service *svc;
	struct bf_store *s;
	char party[BF_PARTY_ID_MAX + 1];
	char key[129];
	struct bf_store_kept_answer kept; /* the request's name and hash; the answer at the end */
};

int bf_service_keyed_begin(struct bf_service *svc, const struct bf_party *actor, const char *key, const char *request,
                           const unsigned char body_hash[BF_TOKEN_HASH_BYTES], struct bf_keyed_request **out,
                           struct bf_keyed_answer *replay, struct bf_error *err)
{
	struct bf_store_kept_answer seen = {0};
	*out = NULL;
	memset(replay, 0, sizeof(*replay));
	if (strlen(key) >= sizeof((*out)->key))
		return bf_error_set(err, BF_EINVAL, "Idempotency-Key", "must be 1 to 128 visible ASCII characters");
	if (strlen(request) > BF_KEPT_REQUEST_MAX)
		return bf_error_set(err, BF_EINVAL, "path", "too long to be kept with an Idempotency-Key");
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	int rc = bf_store_begin(s, err);
	if (rc) {
		bf_store_pool_release(svc->writers, s);
		return rc;
	}
	rc = bf_store_idempotency_get(s, actor->id, key, &seen, err);
	if (rc == BF_ENOTFOUND) {
		struct bf_keyed_request *r = bf_xcalloc(1, sizeof(*r));
		r->svc = svc;
		r->s = s;
		bf_strlcpy(r->party, actor->id, sizeof(r->party));
		bf_strlcpy(r->key, key, sizeof(r->key));
		bf_strlcpy(r->kept.request, request, sizeof(r->kept.request));
		memcpy(r->kept.request_hash, body_hash, BF_TOKEN_HASH_BYTES);
		bf_store_pool_pin(s);
		*out = r;
		return BF_OK;
	}
	if (rc == BF_OK && (strcmp(seen.request, request) != 0 ||
	                    sodium_memcmp(seen.request_hash, body_hash, BF_TOKEN_HASH_BYTES) != 0))
		rc = bf_error_set(err, BF_ECONFLICT, "Idempotency-Key",
		                  "this key was used with another request (%s%s); use a new key", seen.request,
		                  strcmp(seen.request, request) == 0 ? ", another body" : "");
	if (rc) {
		free(seen.body);
		bf_store_rollback(s);
		bf_store_pool_release(svc->writers, s);
		return rc;
	}
	/* Committed, though it wrote nothing: on SQLite the first answer may
	 * be in the commit group this read joined, and is given only once
	 * that group is on disk. */
	rc = bf_store_commit(s, err);
	bf_store_pool_release(svc->writers, s);
	if (rc) {
		free(seen.body);
		return rc;
	}
	replay->status = seen.status;
	replay->body = seen.body;
	bf_strlcpy(replay->location, seen.location, sizeof(replay->location));
	return BF_OK;
}

int bf_service_keyed_end(struct bf_keyed_request *r, const struct bf_keyed_answer *answer, struct bf_error *err)
{
	struct bf_service *svc = r->svc;
	struct bf_store *s = r->s;
	int rc = BF_OK;
	bf_store_pool_unpin(s);
	if (answer != NULL) {
		r->kept.status = answer->status;
		r->kept.body = answer->body;
		bf_strlcpy(r->kept.location, answer->location, sizeof(r->kept.location));
		rc = bf_store_idempotency_put(s, r->party, r->key, &r->kept, bf_svc_now(svc), err);
		if (rc == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	} else {
		bf_store_rollback(s); /* an answer not kept is an answer whose writes do not stand */
	}
	bf_store_pool_release(svc->writers, s);
	free(r);
	return rc;
}
