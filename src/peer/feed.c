/* The event feed: what the other side's node pulls, a page of one chain
 * by its numbers, or of every event in this node's order. */
#include "peer/feed.h"

#include "ledger/ledger.h"
#include "store/pool.h"

#include <stdbool.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>

/* BF_OK when LAST is the head of ORIGIN's chain here (0: none of it);
 * a chain with events past a missing one has lost events, and a page
 * that ended at the gap would tell the peer "no more": an error. */
static int chain_ends_at(struct bf_store *s, const char *origin, int64_t last, struct bf_error *err)
{
	int64_t head = 0;
	unsigned char hash[BF_EVENT_HASH_BYTES];
	int rc = bf_store_chain_head(s, origin, &head, hash, err);
	if (rc == BF_ENOTFOUND || (rc == BF_OK && head <= last))
		return BF_OK;
	if (rc)
		return rc;
	return bf_error_set(err, BF_ESTORE, "",
	                    "the chain of %s has no event #%lld, though it goes on to #%lld: "
	                    "this node's database has lost events",
	                    origin, (long long)last + 1, (long long)head);
}

int bf_feed_page(struct bf_service *svc, const char *origin, int64_t after, int limit, json_t **out,
                 struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(bf_service_readers(svc));
	json_t *events = json_array();
	int64_t next = after;
	bool more = false;
	int rc = BF_OK;
	char node[BF_NODE_ID_MAX + 1] = "";
	*out = NULL;
	if (limit < 0 || limit > 1000 || after < 0 || after > INT64_MAX - 1001) {
		bf_store_pool_release(bf_service_readers(svc), s);
		json_decref(events);
		return bf_error_set(err, BF_EINVAL, limit < 0 || limit > 1000 ? "limit" : "after",
		                    limit < 0 || limit > 1000 ? "must be from 0 to 1000" : "must be 0 or more");
	}
	if (origin != NULL && (rc = bf_ledger_node_check(origin, err)) != 0) {
		bf_store_pool_release(bf_service_readers(svc), s);
		json_decref(events);
		char why[sizeof(err->message)];
		bf_strlcpy(why, err->message, sizeof(why));
		return bf_error_set(err, BF_EINVAL, "origin", "%s", why);
	}
	if ((rc = bf_store_node_get(s, node, err)) != 0 && rc != BF_ENOTFOUND)
		goto done;
	rc = BF_OK;
	/* This node's own chain comes with its signed head, taken first: the
	 * page stops at it, so that the peer can tell a page that ends short
	 * of the head (events withheld) from one a write came after. */
	struct bf_ledger_head head;
	bool signed_head = origin != NULL && node[0] && strcmp(origin, node) == 0 &&
	                   bf_ledger_head_sign(s, &head, &(struct bf_error){0}) == BF_OK;
	if (origin != NULL) {
		/* One chain, by its numbers: what a peer pulls. */
		for (int i = 0; i <= limit; i++) {
			struct bf_event e;
			if (signed_head && after + 1 + i > head.origin_seq)
				break;
			rc = bf_store_chain_event(s, origin, after + 1 + i, &e, err);
			if (rc == BF_ENOTFOUND) {
				rc = chain_ends_at(s, origin, after + i, err);
				break;
			}
			if (rc)
				goto done;
			if (i == limit) {
				more = true;
				free(e.payload);
				break;
			}
			json_array_append_new(events, bf_ledger_event_json(&e));
			next = e.origin_seq;
			free(e.payload);
		}
		if (rc)
			goto done;
	} else {
		struct bf_event *v;
		size_t n;
		if ((rc = bf_store_events_list(s, after, limit + 1, &v, &n, err)) != 0)
			goto done;
		more = n > (size_t)limit;
		for (size_t i = 0; i < n && i < (size_t)limit; i++) {
			json_array_append_new(events, bf_ledger_event_json(&v[i]));
			next = v[i].seq;
		}
		bf_store_events_free(v, n);
	}
	*out = json_pack("{s:s, s:o, s:I, s:b}", "node", node, "events", json_incref(events), "next_after",
	                 (json_int_t)next, "more", more);
	if (signed_head)
		json_object_set_new(*out, "head", bf_ledger_head_json(&head));
done:
	json_decref(events);
	bf_store_pool_release(bf_service_readers(svc), s);
	return rc;
}
