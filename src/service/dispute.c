/* Disputes: raised on this node as its puller holds a peer's event
 * without effect, and listed from the peer's dispute.raised events. */
#include "service/dispute.h"

#include "ledger/ledger.h"
#include "service/service_int.h"
#include "store/store_dispute.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void subject_of(const char *origin, int64_t origin_seq, char out[BF_EVENT_SUBJECT_MAX + 1])
{
	snprintf(out, BF_EVENT_SUBJECT_MAX + 1, "event/%s/%" PRId64, origin, origin_seq);
}

int bf_service_dispute_raise(struct bf_store *s, const char *node, const struct bf_event *e, const char *reason,
                             bf_time now, struct bf_error *err)
{
	struct bf_dispute d;
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	memset(&d, 0, sizeof(d));
	bf_strlcpy(d.origin, e->origin, sizeof(d.origin));
	d.origin_seq = e->origin_seq;
	bf_strlcpy(d.kind, e->kind, sizeof(d.kind));
	bf_strlcpy(d.subject, e->subject, sizeof(d.subject));
	sodium_bin2hex(d.hash, sizeof(d.hash), e->hash, sizeof(e->hash));
	bf_strlcpy(d.raised_by, node, sizeof(d.raised_by));
	(void)bf_strlcpy(d.reason, reason, sizeof(d.reason)); /* a long reason is cut */
	d.raised_at = now;
	int rc = bf_store_dispute_put(s, &d, err);
	if (rc)
		return rc;
	subject_of(d.origin, d.origin_seq, subject);
	json_t *payload =
	    json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "origin", d.origin, "origin_seq", (json_int_t)d.origin_seq,
	              "kind", d.kind, "subject", d.subject, "hash", d.hash, "reason", d.reason);
	return bf_svc_event(s, &bf_service_node_operator, "dispute.raised", subject, payload, now, err);
}

/* The payload's text field KEY into DST (CAP bytes), or BF_EINVAL. */
static int text_field(json_t *p, const char *key, char *dst, size_t cap, struct bf_error *err)
{
	const char *v = json_string_value(json_object_get(p, key));
	if (v == NULL || bf_strlcpy(dst, v, cap) != 0)
		return bf_error_set(err, BF_EINVAL, key, "a dispute names the disputed event's %s, as text", key);
	return BF_OK;
}

int bf_service_dispute_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err)
{
	struct bf_dispute d;
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	json_t *p = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
	int rc;
	memset(&d, 0, sizeof(d));
	if (strcmp(e->kind, "dispute.raised") != 0)
		rc = bf_error_set(err, BF_EINVAL, "kind", "%s is not a dispute's event", e->kind);
	else if (!json_is_object(p))
		rc = bf_error_set(err, BF_EINVAL, "payload", "the dispute cannot be read");
	else if (!json_is_integer(json_object_get(p, "origin_seq")))
		rc = bf_error_set(err, BF_EINVAL, "origin_seq", "a dispute names the disputed event's number");
	else if ((rc = text_field(p, "origin", d.origin, sizeof(d.origin), err)) == BF_OK &&
	         (rc = text_field(p, "kind", d.kind, sizeof(d.kind), err)) == BF_OK &&
	         (rc = text_field(p, "subject", d.subject, sizeof(d.subject), err)) == BF_OK &&
	         (rc = text_field(p, "hash", d.hash, sizeof(d.hash), err)) == BF_OK &&
	         (rc = text_field(p, "reason", d.reason, sizeof(d.reason), err)) == BF_OK) {
		d.origin_seq = (int64_t)json_integer_value(json_object_get(p, "origin_seq"));
		subject_of(d.origin, d.origin_seq, subject);
		if (strcmp(subject, e->subject) != 0)
			rc = bf_error_set(err, BF_EINVAL, "subject", "the dispute is of %s, but its event names %s",
			                  subject, e->subject);
	}
	json_decref(p);
	if (rc)
		return rc;
	bf_strlcpy(d.raised_by, e->origin, sizeof(d.raised_by));
	d.raised_at = e->at;
	return bf_store_dispute_put(s, &d, err);
}

int bf_service_disputes(struct bf_service *svc, struct bf_dispute **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_disputes_list(s, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_disputes_count(struct bf_service *svc, int64_t *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_disputes_count(s, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

static char *event_text(const struct bf_event *e)
{
	json_t *j = bf_ledger_event_json(e);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return text;
}

/* Keeps HELD and OFFERED (the peer's side, as text; NULL when it could not
 * be encoded) as a fork, and says so in the log: the peer offered WHAT. */
static int keep_fork(struct bf_store *s, const struct bf_event *held, const char *offered, const char *what,
                     bf_time now, struct bf_error *err)
{
	struct bf_fork f = {.origin_seq = held->origin_seq, .detected_at = now, .offered = (char *)offered};
	bf_strlcpy(f.origin, held->origin, sizeof(f.origin));
	f.held = event_text(held);
	int rc = f.held && offered ? bf_store_fork_put(s, &f, err)
	                           : bf_error_set(err, BF_EINVAL, "event", "the fork's events cannot be encoded");
	free(f.held);
	if (rc == BF_OK)
		fprintf(stderr,
		        "borderflow: ALERT: fork: %s #%lld is one event here (%s), and %s: both kept as evidence; %s's "
		        "chain takes nothing more until an operator resolves it (borderflow forks)\n",
		        held->origin, (long long)held->origin_seq, held->kind, what, held->origin);
	return rc;
}

int bf_service_fork_record(struct bf_store *s, const struct bf_event *held, const struct bf_event *offered, bf_time now,
                           struct bf_error *err)
{
	char what[BF_EVENT_KIND_MAX + 80], *text = event_text(offered);
	snprintf(what, sizeof(what), "another, also validly signed, from the peer (%s)", offered->kind);
	int rc = keep_fork(s, held, text, what, now, err);
	free(text);
	return rc;
}

int bf_service_fork_head(struct bf_store *s, const struct bf_event *held, const char *head, bf_time now,
                         struct bf_error *err)
{
	char what[BF_NODE_ID_MAX + 80];
	snprintf(what, sizeof(what), "%s's signed head names another under that number", held->origin);
	return keep_fork(s, held, head, what, now, err);
}

int bf_service_forks(struct bf_service *svc, struct bf_fork **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_forks_list(s, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

void bf_service_forks_free(struct bf_fork *v, size_t n)
{
	bf_store_forks_free(v, n);
}

int bf_service_fork_resolve(struct bf_service *svc, const char *origin, int64_t origin_seq, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = bf_store_fork_resolve(s, origin, origin_seq, bf_svc_now(svc), err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}
