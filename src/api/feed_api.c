/* Handlers of the link between the two nodes: the event feed the other
 * side pulls (and other systems read), and what this node's puller has
 * done. */
#include "api/handlers.h"

#include "peer/feed.h"
#include "peer/sync.h"
#include "service/dispute.h"

#include <errno.h>
#include <stdlib.h>

const char *const bf_feed_events_query[] = {"origin", "after", "limit", NULL};

/* The event feed: what the other side's node pulls, and the integration
 * point for other systems (a single window, a carrier's software). */
void bf_h_events(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	const char *origin = c->query(c->conn, "origin"), *after = c->query(c->conn, "after"),
	           *limit = c->query(c->conn, "limit");
	long long a = 0, l = 100;
	char *end;
	json_t *doc;
	errno = 0;
	if (after != NULL &&
	    (a = strtoll(after, &end, 10), *after == '\0' || *end != '\0' || a < 0 || errno == ERANGE)) {
		bf_reply_error(r, 400, "invalid", "after", "must be a whole number, 0 or more");
		return;
	}
	if (limit != NULL && (l = strtoll(limit, &end, 10), *limit == '\0' || *end != '\0' || l < 0 || l > 1000)) {
		bf_reply_error(r, 400, "invalid", "limit", "must be a whole number from 0 to 1000");
		return;
	}
	if (bf_feed_page(c->svc, origin, (int64_t)a, (int)l, &doc, &err) != 0) {
		bf_reply_failure(r, &err);
		return;
	}
	bf_reply_json(r, 200, doc);
}

void bf_h_sync(struct bf_call *c, struct bf_reply *r)
{
	bf_reply_json(r, 200, bf_sync_status(c->svc, c->sync));
}

/* The events either node holds without effect, with why: both sides read
 * the same list, each from its own copy of the history. */
void bf_h_disputes(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	struct bf_dispute *v;
	size_t n;
	if (bf_service_disputes(c->svc, &v, &n, &err) != 0) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		char at[BF_TIME_TEXT];
		bf_time_format_utc(v[i].raised_at, at);
		json_array_append_new(list, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "origin", v[i].origin,
		                                      "origin_seq", (json_int_t)v[i].origin_seq, "kind", v[i].kind,
		                                      "subject", v[i].subject, "hash", v[i].hash, "raised_by",
		                                      v[i].raised_by, "reason", v[i].reason, "raised_at", at));
	}
	free(v);
	bf_reply_json(r, 200, json_pack("{s:o}", "disputes", list));
}
