/* The puller that keeps two nodes on one history; see sync.h. It speaks
 * HTTP with libcurl, to loopback in the tests and to the other side's node
 * in a deployment. */
#include "peer/sync.h"

#include "codec/consignment.h"
#include "ledger/ledger.h"
#include "service/authority.h"
#include "service/booking.h"
#include "service/control.h"
#include "service/dispute.h"
#include "service/notice.h"
#include "service/registry.h"
#include "model/buf.h"
#include "model/worker.h"
#include "store/pool.h"
#include "store/store_dispute.h"

#include <curl/curl.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FEED_PAGE      200 /* events asked for a pull */
#define FEED_BODY_MAX  (16u << 20)
#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 30000
#define REFUSALS_KEPT  20

/* ---- applying a peer's events ---- */

/* The effect of a peer's event E on this node's records (or of an event
 * of this node's OWN chain re-applied from the peer's copy), within the
 * caller's transaction, NOW by this node's clock: a declaration makes the
 * consignment, a move changes its state, a notice and its acknowledgement
 * are listed, a gate change, a risk profile and a registry record take
 * effect. Other events are history only here: bookings, check-ins and
 * control lanes are each side's own. */
static int materialize(struct bf_store *s, const struct bf_event *e, bool own, bf_time now, struct bf_error *err)
{
	if (strcmp(e->kind, "gate.changed") == 0)
		return bf_service_gate_change_apply(s, e, !own, now, err);
	if (strcmp(e->kind, "risk_profile.updated") == 0)
		return bf_service_risk_profile_apply(s, e, err);
	if (strcmp(e->kind, "dispute.raised") == 0)
		return bf_service_dispute_apply(s, e, err);
	if (strncmp(e->kind, "registry.", 9) == 0)
		return bf_service_registry_apply(s, e, err);
	/* A notice posted or acknowledged on the other side is listed here. */
	if (strcmp(e->kind, "notice.posted") == 0 || strcmp(e->kind, "notice.acknowledged") == 0)
		return bf_service_notice_apply(s, e, err);
	if (strncmp(e->subject, "consignment/", 12) != 0)
		return BF_OK;
	const char *id = e->subject + 12;
	if (strcmp(e->kind, "consignment.declared") == 0) {
		struct bf_consignment c;
		int rc = bf_consignment_from_payload(e->payload, &c, err);
		if (rc)
			return rc;
		if (strcmp(c.id, id) != 0)
			return bf_error_set(err, BF_EINVAL, "subject", "the declaration is of another consignment");
		if (strcmp(c.declared_by, e->party_id) != 0)
			return bf_error_set(err, BF_EINVAL, "payload", "the declaration names %s, but %s signed it",
			                    c.declared_by, e->party_id);
		/* The declaring carrier is a party of the other node: known here
		 * by its id and role, as the author of its events. */
		struct bf_party p;
		if ((rc = bf_store_party_get(s, c.declared_by, &p, err)) == BF_ENOTFOUND) {
			memset(&p, 0, sizeof(p));
			bf_strlcpy(p.id, c.declared_by, sizeof(p.id));
			snprintf(p.name, sizeof(p.name), "%s (of node %s)", c.declared_by, e->origin);
			p.role = e->role;
			bf_strlcpy(p.country, c.vehicle_country, sizeof(p.country));
			rc = bf_store_party_put(s, &p, e->at, err);
		}
		if (rc)
			return rc;
		return bf_store_consignment_put(s, &c, err);
	}
	int st = bf_ledger_event_state(e);
	if (st < 0 || st == BF_ST_COUNT)
		return BF_OK;
	return bf_store_consignment_state(s, id, (enum bf_state)st, e->at, err);
}

/* Whether OFFERED, an event of a chain under a number this node holds
 * another event at, is a fork: both validly signed. Then both are kept as
 * evidence, in a transaction of their own. */
static bool fork_found(struct bf_service *svc, struct bf_store *s, const struct bf_event *offered)
{
	struct bf_event held;
	struct bf_error err = {0};
	if (!bf_ledger_event_signed(s, offered) ||
	    bf_store_chain_event(s, offered->origin, offered->origin_seq, &held, &err) != BF_OK)
		return false;
	bool fork = memcmp(held.hash, offered->hash, sizeof(held.hash)) != 0 && bf_ledger_event_signed(s, &held);
	if (fork && bf_store_begin(s, &err) == BF_OK) {
		if (bf_service_fork_record(s, &held, offered, bf_service_now(svc), &err) == BF_OK)
			(void)bf_store_commit(s, &err);
		else
			bf_store_rollback(s);
	}
	free(held.payload);
	return fork;
}

/* Whether ORIGIN's chain has a fork still open here (WHY says which). */
static bool fork_open(struct bf_store *s, const char *origin, char *why, size_t cap)
{
	struct bf_error err = {0};
	int64_t open = 0;
	if (bf_store_forks_open(s, origin, &open, &err) != BF_OK || open == 0)
		return false;
	snprintf(why, cap,
	         "%s's chain has forked (%lld fork%s open, kept as evidence at GET /v1/sync): this node takes "
	         "nothing more of it until an operator resolves it (borderflow forks)",
	         origin, (long long)open, open == 1 ? "" : "s");
	return true;
}

/* Holds the peer's event E, which verifies but breaks the rule WHY says,
 * as it is and without effect, and raises the dispute about it, in one
 * transaction of its own (model/dispute.h). */
static int hold_disputed(struct bf_service *svc, struct bf_store *s, struct bf_event *e, const char *why,
                         struct bf_ledger_fault *fault, struct bf_error *err)
{
	int rc = bf_store_begin(s, err);
	if (rc)
		return rc;
	if ((rc = bf_ledger_apply_disputed(s, e, NULL, fault, err)) == BF_OK &&
	    (rc = bf_service_dispute_raise(s, bf_service_node(svc), e, why, bf_service_now(svc), err)) == BF_OK &&
	    (rc = bf_store_commit(s, err)) == BF_OK)
		return BF_OK;
	bf_store_rollback(s);
	return rc;
}

/* The peer's signed head HJ that came with a page just applied: kept
 * when it verifies, and compared with what this node holds of the peer's
 * chain now. A head under a number held here naming another event is a
 * fork; a head past what the page brought, on a page that says "no
 * more", means events withheld. Both refuse the page (OUT). A head signed
 * with a key not known here (yet) is not compared. */
static void check_head(struct bf_service *svc, struct bf_store *s, const char *peer, json_t *hj,
                       struct bf_sync_result *out)
{
	struct bf_ledger_head h;
	struct bf_error err = {0};
	if (bf_ledger_head_parse(hj, &h, &err) != BF_OK || strcmp(h.origin, peer) != 0) {
		out->refused = true;
		snprintf(out->reason, sizeof(out->reason),
		         "the peer's signed head cannot be read, or is not of its chain");
		return;
	}
	if (!bf_ledger_head_verify(s, &h))
		return;
	char *text = json_dumps(hj, JSON_COMPACT | JSON_SORT_KEYS);
	int64_t local = 0;
	unsigned char hash[BF_EVENT_HASH_BYTES];
	if (text == NULL || bf_store_begin(s, &err) != BF_OK) {
		free(text);
		return;
	}
	if (bf_store_peer_head_put(s, peer, h.origin_seq, text, bf_service_now(svc), &err) == BF_OK)
		(void)bf_store_commit(s, &err);
	else
		bf_store_rollback(s);
	if (bf_store_chain_head(s, peer, &local, hash, &err) == BF_OK && h.origin_seq <= local) {
		struct bf_event held;
		if (bf_store_chain_event(s, peer, h.origin_seq, &held, &err) == BF_OK) {
			if (memcmp(held.hash, h.hash, sizeof(h.hash)) != 0) {
				if (bf_store_begin(s, &err) == BF_OK) {
					if (bf_service_fork_head(s, &held, text, bf_service_now(svc), &err) == BF_OK)
						(void)bf_store_commit(s, &err);
					else
						bf_store_rollback(s);
				}
				out->refused = true;
				snprintf(
				    out->reason, sizeof(out->reason),
				    "fork: %s's signed head names another event as #%lld than the one here; both kept "
				    "as evidence",
				    peer, (long long)h.origin_seq);
			}
			free(held.payload);
		}
	} else if (h.origin_seq > local && !out->more) {
		out->refused = true;
		snprintf(out->reason, sizeof(out->reason),
		         "%s's signed head is #%lld, but its feed stops at #%lld and says there is no more: events "
		         "withheld",
		         peer, (long long)h.origin_seq, (long long)local);
	}
	free(text);
}

/* Reads the events of feed page EVENTS into *OUT (*N of them), up to
 * the first that cannot be read or, with ORIGIN, is not of ORIGIN's chain
 * (said in STOP, else empty), and starts *PRE checking their hashes and
 * signatures on the other THREADS - 1 threads (THREADS 0: one per core)
 * ahead of the ordered checks, which read what it found instead of
 * checking again. Free with page_free(). BF_OK, or a store error. */
static int read_page(struct bf_store *s, json_t *events, const char *origin, int threads, struct bf_event **out,
                     struct bf_ledger_checker **pre, size_t *n, char *stop, size_t cap, struct bf_error *err)
{
	size_t i, count = json_array_size(events);
	json_t *x;
	struct bf_event *v = bf_xcalloc(count ? count : 1, sizeof(*v));
	*n = 0;
	stop[0] = '\0';
	json_array_foreach (events, i, x) {
		if (bf_ledger_event_parse(x, &v[*n], err) != 0) {
			snprintf(stop, cap, "event %zu of the page: field %s: %s", i, err->field, err->message);
			break;
		}
		if (origin != NULL && strcmp(v[*n].origin, origin) != 0) {
			snprintf(stop, cap, "%s #%lld: not of the peer's chain (%s)", v[*n].origin,
			         (long long)v[*n].origin_seq, origin);
			free(v[*n].payload);
			break;
		}
		(*n)++;
	}
	*out = v;
	*pre = NULL;
	return bf_ledger_checker_start(s, v, *n, threads, pre, err);
}

static void page_free(struct bf_event *v, struct bf_ledger_checker *pre, size_t n)
{
	bf_ledger_checker_free(pre); /* first: its helpers read the events */
	for (size_t i = 0; i < n; i++)
		free(v[i].payload);
	free(v);
}

/* A page's events go into one transaction of the page's, each event in a
 * savepoint of its own that a refusal undoes alone: the page is written
 * to disk by one durable commit rather than one per event, which held a
 * catch-up to the disk's pace. Nothing of the page is counted as applied
 * before that commit has returned. */
static int page_begin(struct bf_store *s, struct bf_error *err)
{
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK)
		bf_store_pool_pin(s);
	return rc;
}

static int page_end(struct bf_store *s, struct bf_error *err)
{
	bf_store_pool_unpin(s);
	return bf_store_commit(s, err);
}

int bf_sync_apply_page_on(struct bf_service *svc, const char *peer, const char *text, size_t len, int threads,
                          struct bf_sync_result *out, struct bf_error *err)
{
	json_error_t jerr;
	memset(out, 0, sizeof(*out));
	json_t *page = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *events = json_object_get(page, "events");
	size_t i;
	if (!json_is_object(page) || !json_is_array(events) || !json_is_boolean(json_object_get(page, "more"))) {
		out->malformed = true;
		snprintf(out->reason, sizeof(out->reason), "the page is not a feed page (%s)",
		         page ? "fields missing" : jerr.text);
		json_decref(page);
		return BF_OK;
	}
	out->more = json_is_true(json_object_get(page, "more"));
	const char *node = json_string_value(json_object_get(page, "node"));
	if (node == NULL || strcmp(node, peer) != 0) {
		out->refused = true;
		snprintf(out->reason, sizeof(out->reason), "the page is node %.32s's, not the peer %s's",
		         node ? node : "(none)", peer);
		json_decref(page);
		return BF_OK;
	}
	struct bf_store *s = bf_store_pool_acquire(bf_service_writers(svc));
	int rc = BF_OK;
	if (fork_open(s, peer, out->reason, sizeof(out->reason))) {
		out->refused = true;
		bf_store_pool_release(bf_service_writers(svc), s);
		json_decref(page);
		return BF_OK;
	}
	/* The page's events read first, up to the first that cannot be: their
	 * hashes and signatures, independent of one another, are checked on
	 * the other cores ahead of this thread, which applies the events one
	 * by one, in order. */
	char stop[sizeof(out->reason)] = "";
	struct bf_event *v;
	struct bf_ledger_checker *pre;
	size_t n;
	rc = read_page(s, events, peer, threads, &v, &pre, &n, stop, sizeof(stop), err);
	bool begun = rc == BF_OK && (rc = page_begin(s, err)) == BF_OK;
	for (i = 0; rc == BF_OK && i < n; i++) {
		struct bf_event e = v[i];
		struct bf_ledger_fault fault = {0};
		/* A clock ahead signs events dated in the future: this node takes
		 * none dated past its own clock and the tolerance. */
		char when[200];
		if (bf_ledger_time_check(e.at, BF_LEDGER_NO_TIME, bf_service_now(svc), when, sizeof(when)) != 0) {
			out->refused = true;
			snprintf(out->reason, sizeof(out->reason), "%s #%lld (%s): time: %s", e.origin,
			         (long long)e.origin_seq, e.kind, when);
			break;
		}
		if ((rc = bf_store_begin(s, err)) != 0)
			break;
		/* The ledger checks the signature, the author's role and the
		 * move; then whether the peer's side may make the event at all. */
		rc = bf_ledger_apply_foreign(s, &e, bf_ledger_checker_get(pre, i), &fault, err);
		bool not_theirs = rc == BF_EREJECTED && fault.kind == BF_LF_TRANSITION;
		if (rc == BF_OK)
			not_theirs = (rc = bf_authority_check(s, &e, -1, err)) == BF_EFORBIDDEN;
		if (rc == BF_OK)
			rc = materialize(s, &e, false, bf_service_now(svc), err);
		if (rc == BF_OK && (rc = bf_store_commit(s, err)) == BF_OK) {
			out->applied++;
		} else {
			bf_store_rollback(s);
			/* An event that holds together but breaks the authority rule,
			 * or a move the lifecycle does not give its author here, is
			 * kept as the peer signed it, so that both nodes keep one
			 * history, with no effect here: a dispute, raised loudly. */
			char why[BF_DISPUTE_REASON_MAX + 1] = "";
			if (not_theirs && rc == BF_EFORBIDDEN)
				snprintf(why, sizeof(why), "authority: %s", err->message);
			else if (not_theirs)
				snprintf(why, sizeof(why), "transition: %s", fault.reason);
			if (why[0] && (rc = hold_disputed(svc, s, &e, why, &fault, err)) == BF_OK) {
				out->disputed++;
				fprintf(stderr,
				        "borderflow: ALERT: disputed: %s #%lld (%s): %s; held without effect here\n",
				        e.origin, (long long)e.origin_seq, e.kind, why);
			} else if (rc == BF_ECONFLICT && fault.kind == BF_LF_DUPLICATE) {
				out->duplicates++;
				rc = BF_OK;
			} else if (rc == BF_EREJECTED && fault.kind == BF_LF_SEQUENCE && fork_found(svc, s, &e)) {
				out->refused = true;
				snprintf(out->reason, sizeof(out->reason),
				         "%s #%lld (%s): fork: another event, also validly signed, is here under that "
				         "number; "
				         "both kept as evidence",
				         e.origin, (long long)e.origin_seq, e.kind);
				rc = BF_OK;
			} else if (rc == BF_EREJECTED) {
				out->refused = true;
				snprintf(out->reason, sizeof(out->reason), "%s #%lld (%s): %s: %s", fault.origin,
				         (long long)fault.origin_seq, fault.event_kind,
				         bf_ledger_fault_name(fault.kind), fault.reason);
				rc = BF_OK;
			} else if (rc == BF_EFORBIDDEN) {
				out->refused = true;
				snprintf(out->reason, sizeof(out->reason), "%s #%lld (%s): authority: %s", e.origin,
				         (long long)e.origin_seq, e.kind, err->message);
				rc = BF_OK;
			} else if (rc == BF_EINVAL) {
				out->refused = true;
				snprintf(out->reason, sizeof(out->reason), "%s #%lld (%s): %s", e.origin,
				         (long long)e.origin_seq, e.kind, err->message);
				rc = BF_OK;
			}
		}
		if (rc != BF_OK || out->refused)
			break;
	}
	if (rc == BF_OK && !out->refused && stop[0]) {
		out->refused = true;
		bf_strlcpy(out->reason, stop, sizeof(out->reason));
	}
	page_free(v, pre, n);
	if (rc == BF_OK && !out->refused && json_object_get(page, "head") != NULL)
		check_head(svc, s, peer, json_object_get(page, "head"), out);
	if (begun) {
		struct bf_error ended = {0};
		int end = page_end(s, &ended);
		if (end != BF_OK) {
			/* Nothing of the page is on disk: the pull takes it again. */
			out->applied = out->duplicates = out->disputed = 0;
			if (rc == BF_OK) {
				rc = end;
				*err = ended;
			}
		}
	}
	bf_store_pool_release(bf_service_writers(svc), s);
	json_decref(page);
	return rc;
}

int bf_sync_apply_page(struct bf_service *svc, const char *peer, const char *text, size_t len,
                       struct bf_sync_result *out, struct bf_error *err)
{
	return bf_sync_apply_page_on(svc, peer, text, len, 0, out, err);
}

/* ---- the puller ---- */

struct refusal {
	char at[BF_TIME_TEXT];
	char reason[400];
};

struct bf_sync {
	struct bf_service *svc;
	char url[512], token[160], ca_file[1024];
	int interval_ms, stale_after_s;
	struct bf_worker worker; /* the puller's thread */
	/* Status, under the worker's lock. */
	char peer[BF_NODE_ID_MAX + 1];
	long applied, duplicates, pulls, failures;
	char last_error[400], last_pull[BF_TIME_TEXT];
	bf_time started, last_success; /* last_success 0: none yet */
	bool stale;                    /* as last said in the log */
	/* This node's own chain, checked against the peer's copy of it once
	 * after the start (catch_up_own): until then its writes are held. */
	bool own_whole;
	long own_reapplied;
	char own_held[400]; /* why writes are still held, as last said in the log */
	struct refusal refusals[REFUSALS_KEPT];
	int n_refusals;
};

/* A page of the peer's feed, at most FEED_BODY_MAX bytes. */
struct body {
	struct bf_buf buf;
	bool too_big;
};

static size_t collect(char *ptr, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	if (bf_buf_add(&b->buf, ptr, size * n) != BF_OK) {
		b->too_big = true;
		return 0; /* curl stops the transfer */
	}
	return size * n;
}

/* GET PATH from the peer: 0 and the body, or an error with a reason. */
static int fetch(struct bf_sync *y, const char *path, struct body *b, char *why, size_t cap)
{
	char url[1024], auth[200];
	long status = 0;
	bf_buf_init(&b->buf, FEED_BODY_MAX);
	b->too_big = false;
	snprintf(url, sizeof(url), "%s%s", y->url, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", y->token);
	CURL *c = curl_easy_init();
	if (c == NULL) {
		snprintf(why, cap, "the HTTP client cannot start");
		return BF_EIO;
	}
	struct curl_slist *h = curl_slist_append(NULL, auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 15000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* Only the scheme the peer was given (no redirect is followed at all).
	 * An https peer's certificate and name are always checked. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, strncmp(y->url, "https://", 8) == 0 ? "https" : "http");
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (y->ca_file[0]) {
		/* Only the CAs given: not the system's beside them. */
		curl_easy_setopt(c, CURLOPT_CAINFO, y->ca_file);
		curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	CURLcode cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (cc != CURLE_OK || status != 200) {
		if (cc != CURLE_OK)
			snprintf(why, cap, "%s: %s", url, b->too_big ? "the page is too big" : curl_easy_strerror(cc));
		else
			snprintf(why, cap, "%s: HTTP %ld", url, status);
		bf_buf_clear(&b->buf);
		return BF_EIO;
	}
	return bf_buf_add(&b->buf, "", 0); /* an empty page is "" */
}

static void note_failure(struct bf_sync *y, const char *why, bool refusal)
{
	char now[BF_TIME_TEXT];
	bf_time_format_utc(bf_service_now(y->svc), now);
	fprintf(stderr, "borderflow: sync with %s: %s%s\n", y->url, refusal ? "refused: " : "", why);
	pthread_mutex_lock(&y->worker.lock);
	y->failures++;
	snprintf(y->last_error, sizeof(y->last_error), "%s", why);
	if (refusal) {
		if (y->n_refusals == REFUSALS_KEPT) {
			memmove(&y->refusals[0], &y->refusals[1], sizeof(y->refusals[0]) * (REFUSALS_KEPT - 1));
			y->n_refusals--;
		}
		struct refusal *r = &y->refusals[y->n_refusals++];
		bf_strlcpy(r->at, now, sizeof(r->at));
		bf_strlcpy(r->reason, why, sizeof(r->reason));
	}
	pthread_mutex_unlock(&y->worker.lock);
}

/* ---- this node's own chain, as the peer holds it ---- */

/* Holds writes for WHY (said in the log when it changes). */
static void hold_writes(struct bf_sync *y, const char *why)
{
	pthread_mutex_lock(&y->worker.lock);
	bool changed = strcmp(y->own_held, why) != 0;
	if (changed)
		bf_strlcpy(y->own_held, why, sizeof(y->own_held));
	pthread_mutex_unlock(&y->worker.lock);
	if (changed)
		fprintf(stderr, "borderflow: writes held: %s\n", why);
}

/* Applies page TEXT of this node's own chain as the peer holds it, after
 * AFTER: each event this database lacks re-applied in order, with its
 * effect (a gate change without the rebooking, whose moves follow it in
 * the chain). *MORE: the peer has more. False with WHY on a fault. */
static bool apply_own_page(struct bf_sync *y, const char *text, size_t len, long *applied, bool *more, char *why,
                           size_t cap)
{
	const char *self = bf_service_node(y->svc);
	struct bf_error err = {0};
	json_t *page = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL), *events = json_object_get(page, "events");
	const char *node = json_string_value(json_object_get(page, "node"));
	size_t i;
	bool ok = true;
	*more = json_is_true(json_object_get(page, "more"));
	if (!json_is_array(events) || node == NULL || strcmp(node, y->peer) != 0) {
		snprintf(why, cap, "the peer's copy of %s's chain is not a feed page of node %s", self, y->peer);
		json_decref(page);
		return false;
	}
	struct bf_store *s = bf_store_pool_acquire(bf_service_writers(y->svc));
	char stop[300];
	struct bf_event *v;
	struct bf_ledger_checker *pre;
	size_t n;
	long taken = 0;
	if (read_page(s, events, NULL, 0, &v, &pre, &n, stop, sizeof(stop), &err) != BF_OK ||
	    page_begin(s, &err) != BF_OK) {
		snprintf(why, cap, "the peer's copy of %s's chain cannot be checked here: %s", self, err.message);
		page_free(v, pre, n);
		bf_store_pool_release(bf_service_writers(y->svc), s);
		json_decref(page);
		return false;
	}
	for (i = 0; ok && i < n; i++) {
		struct bf_event e = v[i];
		struct bf_ledger_fault fault = {0};
		int rc = bf_store_begin(s, &err);
		if (rc == BF_OK &&
		    (rc = bf_ledger_apply_own(s, &e, bf_ledger_checker_get(pre, i), &fault, &err)) == BF_OK &&
		    (rc = materialize(s, &e, true, bf_service_now(y->svc), &err)) == BF_OK &&
		    (rc = bf_store_commit(s, &err)) == BF_OK) {
			taken++;
		} else {
			bf_store_rollback(s);
			if (rc == BF_ECONFLICT && fault.kind == BF_LF_DUPLICATE) {
				rc = BF_OK; /* the head this node has: the same on both */
			} else if (rc == BF_EREJECTED && fault.kind == BF_LF_SEQUENCE && e.origin_seq >= 1) {
				(void)fork_found(y->svc, s, &e);
				snprintf(
				    why, cap,
				    "%s #%lld here is not the event the peer holds as %s #%lld: this database signed "
				    "other events under numbers its peer already holds (restored from a backup and "
				    "written to before it caught up?); an operator must resolve it",
				    self, (long long)e.origin_seq, self, (long long)e.origin_seq);
			} else if (rc == BF_EREJECTED) {
				snprintf(why, cap,
				         "%s #%lld (%s), as the peer holds it, cannot be re-applied here: %s: %s", self,
				         (long long)e.origin_seq, e.kind, bf_ledger_fault_name(fault.kind),
				         fault.reason);
			} else {
				snprintf(why, cap, "%s #%lld (%s), as the peer holds it, cannot be re-applied here: %s",
				         self, (long long)e.origin_seq, e.kind, err.message);
			}
		}
		if (rc != BF_OK)
			ok = false;
	}
	if (ok && stop[0]) {
		snprintf(why, cap, "the peer's copy of %s's chain: %s", self, stop);
		ok = false;
	}
	page_free(v, pre, n);
	if (page_end(s, &err) == BF_OK) {
		*applied += taken;
	} else {
		snprintf(why, cap, "the peer's copy of %s's chain cannot be written here: %s", self, err.message);
		ok = false;
	}
	bf_store_pool_release(bf_service_writers(y->svc), s);
	json_decref(page);
	return ok;
}

/* Before this node writes after its start, it asks its peer for the
 * peer's copy of its own chain from its own last event on, and re-applies
 * what it lacks: a database restored from a backup, or cut short, takes
 * back the events it had signed and acknowledged, so that it never gives
 * their numbers to other events. Its writes are held until this is done
 * (bf_sync_writable); a peer that holds another event under a number this
 * node has keeps them held, saying why. */
static void catch_up_own(struct bf_sync *y)
{
	const char *self = bf_service_node(y->svc);
	char why[600], path[256];
	struct body b;
	struct bf_error err = {0};
	long applied = 0;
	for (int pages = 0; pages < 100000; pages++) {
		int64_t head = 0;
		unsigned char hash[BF_EVENT_HASH_BYTES];
		struct bf_store *s = bf_store_pool_acquire(bf_service_readers(y->svc));
		int rc = bf_store_chain_head(s, self, &head, hash, &err);
		bf_store_pool_release(bf_service_readers(y->svc), s);
		if (rc != 0) {
			hold_writes(y, err.message);
			return;
		}
		/* From the event before the head: the peer's copy of the head
		 * comes first, and must be the same event. */
		snprintf(path, sizeof(path), "/v1/events?origin=%s&after=%lld&limit=%d", self,
		         (long long)(head > 0 ? head - 1 : 0), FEED_PAGE);
		if (fetch(y, path, &b, why, sizeof(why)) != 0) {
			char held[700];
			snprintf(held, sizeof(held),
			         "this node has not yet compared its own chain with its peer's copy (%s): it writes "
			         "once the peer answers",
			         why);
			hold_writes(y, held);
			return;
		}
		bool more = false;
		bool ok = apply_own_page(y, b.buf.data, b.buf.len, &applied, &more, why, sizeof(why));
		bf_buf_clear(&b.buf);
		if (!ok) {
			hold_writes(y, why);
			return;
		}
		pthread_mutex_lock(&y->worker.lock);
		y->own_reapplied = applied;
		pthread_mutex_unlock(&y->worker.lock);
		if (!more)
			break;
	}
	pthread_mutex_lock(&y->worker.lock);
	y->own_whole = true;
	y->own_held[0] = '\0';
	pthread_mutex_unlock(&y->worker.lock);
	if (applied > 0)
		fprintf(stderr,
		        "borderflow: ALERT: this database lacked %ld event%s of %s's own chain that the peer holds: "
		        "re-applied from the peer's copy; writes open\n",
		        applied, applied == 1 ? "" : "s", self);
	else
		fprintf(stderr, "borderflow: %s's own chain is whole against the peer's copy; writes open\n", self);
}

bool bf_sync_writable(struct bf_sync *y, char *why, size_t cap)
{
	if (y == NULL)
		return true;
	pthread_mutex_lock(&y->worker.lock);
	bool ok = y->own_whole;
	if (!ok)
		snprintf(why, cap, "%s",
		         y->own_held[0]
		             ? y->own_held
		             : "this node has not yet compared its own chain with its peer's copy: it writes "
		               "once the peer answers");
	pthread_mutex_unlock(&y->worker.lock);
	return ok;
}

/* One pull: pages until the peer has no more. False on any failure. */
static bool pull(struct bf_sync *y)
{
	char why[600], path[256];
	struct body b;
	struct bf_error err = {0};
	if (y->peer[0] == '\0') {
		/* Learn the peer's node id from its feed (a node started before
		 * the peer was pinned in configuration). */
		if (fetch(y, "/v1/events?limit=0", &b, why, sizeof(why)) != 0) {
			note_failure(y, why, false);
			return false;
		}
		json_t *j = json_loads(b.buf.data, 0, NULL);
		const char *node = json_string_value(json_object_get(j, "node"));
		bool ok =
		    node != NULL && bf_ledger_node_check(node, &err) == 0 && strcmp(node, bf_service_node(y->svc)) != 0;
		bool has_id = node != NULL && node[0] != '\0';
		if (ok) {
			pthread_mutex_lock(&y->worker.lock);
			bf_strlcpy(y->peer, node, sizeof(y->peer));
			pthread_mutex_unlock(&y->worker.lock);
		}
		json_decref(j);
		bf_buf_clear(&b.buf);
		if (!ok) {
			note_failure(
			    y, has_id ? "the peer is this node, or its id is not valid" : "the peer has no node id yet",
			    false);
			return false;
		}
	}
	bool own_whole;
	pthread_mutex_lock(&y->worker.lock);
	own_whole = y->own_whole;
	pthread_mutex_unlock(&y->worker.lock);
	if (!own_whole)
		catch_up_own(y);
	for (int pages = 0; pages < 1000; pages++) {
		int64_t head = 0;
		unsigned char hash[BF_EVENT_HASH_BYTES];
		struct bf_store *s = bf_store_pool_acquire(bf_service_readers(y->svc));
		int rc = bf_store_chain_head(s, y->peer, &head, hash, &err);
		bf_store_pool_release(bf_service_readers(y->svc), s);
		if (rc != 0) {
			note_failure(y, err.message, false);
			return false;
		}
		snprintf(path, sizeof(path), "/v1/events?origin=%s&after=%lld&limit=%d", y->peer, (long long)head,
		         FEED_PAGE);
		if (fetch(y, path, &b, why, sizeof(why)) != 0) {
			note_failure(y, why, false);
			return false;
		}
		struct bf_sync_result res;
		rc = bf_sync_apply_page(y->svc, y->peer, b.buf.data, b.buf.len, &res, &err);
		bf_buf_clear(&b.buf);
		pthread_mutex_lock(&y->worker.lock);
		y->applied += res.applied;
		y->duplicates += res.duplicates;
		y->pulls++;
		/* A page taken whole is a pull that succeeds, however many pages a
		 * catch-up still has to go. */
		if (rc == 0 && !res.malformed && !res.refused)
			y->last_success = bf_service_now(y->svc);
		bf_time_format_utc(bf_service_now(y->svc), y->last_pull);
		pthread_mutex_unlock(&y->worker.lock);
		if (rc != 0) {
			note_failure(y, err.message, false);
			return false;
		}
		if (res.malformed || res.refused) {
			note_failure(y, res.reason, res.refused);
			return false;
		}
		if (!res.more)
			return true;
	}
	return true;
}

/* After each pull: a peer not pulled from with success for longer than
 * the threshold is stale, said once in the log as it becomes so and once
 * as it recovers (the metrics and GET /v1/sync say it all along). */
static void note_pull(struct bf_sync *y, bool ok)
{
	bf_time now = bf_service_now(y->svc);
	pthread_mutex_lock(&y->worker.lock);
	if (ok)
		y->last_success = now;
	bf_time since = now - (y->last_success ? y->last_success : y->started);
	bool stale = since > y->stale_after_s;
	bool changed = stale != y->stale;
	y->stale = stale;
	pthread_mutex_unlock(&y->worker.lock);
	if (changed && stale)
		fprintf(stderr,
		        "borderflow: ALERT: no pull from %s has succeeded for %lld s (threshold %d s): the two nodes "
		        "no longer share what they sign\n",
		        y->url, (long long)since, y->stale_after_s);
	else if (changed)
		fprintf(stderr, "borderflow: pulls from %s succeed again\n", y->url);
}

static void puller(struct bf_worker *w)
{
	struct bf_sync *y = w->arg;
	int backoff = 0;
	bool go_on = true;
	while (go_on) {
		bool ok = pull(y);
		note_pull(y, ok);
		backoff = ok                             ? 0
		          : backoff == 0                 ? BACKOFF_MIN_MS
		          : backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
		                                         : backoff * 2;
		pthread_mutex_lock(&w->lock);
		go_on = bf_worker_sleep(w, ok ? y->interval_ms : backoff);
		pthread_mutex_unlock(&w->lock);
	}
}

static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int bf_sync_start(struct bf_service *svc, const struct bf_sync_config *cfg, struct bf_sync **out, struct bf_error *err)
{
	*out = NULL;
	bool https = cfg->peer_url != NULL && strncmp(cfg->peer_url, "https://", 8) == 0;
	if (cfg->peer_url == NULL || (!https && strncmp(cfg->peer_url, "http://", 7) != 0) ||
	    strlen(cfg->peer_url) >= 512)
		return bf_error_set(err, BF_EINVAL, "peer", "the peer is a URL like https://cn-node.example:8443");
	if (cfg->ca_file != NULL && !https)
		return bf_error_set(err, BF_EINVAL, "peer-ca", "a CA file is for an https:// peer");
	if (cfg->ca_file != NULL && (strlen(cfg->ca_file) >= 1024 || access(cfg->ca_file, R_OK) != 0))
		return bf_error_set(err, BF_EINVAL, "peer-ca", "cannot read \"%s\"", cfg->ca_file);
	if (cfg->peer_node != NULL && bf_ledger_node_check(cfg->peer_node, err) != 0) {
		char why[sizeof(err->message)];
		bf_strlcpy(why, err->message, sizeof(why));
		return bf_error_set(err, BF_EINVAL, "peer-node", "%s", why);
	}
	if (cfg->peer_node != NULL && strcmp(cfg->peer_node, bf_service_node(svc)) == 0)
		return bf_error_set(err, BF_EINVAL, "peer-node", "the peer is another node than this one (%s)",
		                    cfg->peer_node);
	if (cfg->stale_after_s < 0)
		return bf_error_set(err, BF_EINVAL, "peer-stale-after", "must be a number of seconds");
	if (cfg->token == NULL || cfg->token[0] == '\0' || strlen(cfg->token) >= 160)
		return bf_error_set(err, BF_EINVAL, "peer-token", "the peer's feed needs an auditor's token there");
	if (bf_service_node(svc)[0] == '\0')
		return bf_error_set(err, BF_EINVAL, "node", "a node that syncs needs its id (--node)");
	if (!bf_service_country_scope(svc))
		return bf_error_set(err, BF_EINVAL, "peer",
		                    "this database holds the whole border as node %s (scope \"border\"), which signs "
		                    "both sides' steps: a node that pairs with another acts for its country only, "
		                    "from a database first started with --node",
		                    bf_service_node(svc));
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, curl_init);
	struct bf_sync *y = bf_xcalloc(1, sizeof(*y));
	y->svc = svc;
	bf_strlcpy(y->url, cfg->peer_url, sizeof(y->url));
	size_t n = strlen(y->url);
	while (n > 0 && y->url[n - 1] == '/')
		y->url[--n] = '\0';
	bf_strlcpy(y->token, cfg->token, sizeof(y->token));
	if (cfg->ca_file != NULL)
		bf_strlcpy(y->ca_file, cfg->ca_file, sizeof(y->ca_file));
	if (!https)
		fprintf(stderr,
		        "borderflow: warning: the link to %s is plain HTTP: the auditor's token and every event "
		        "cross it in clear; give the peer an https:// URL (and --peer-ca)\n",
		        y->url);
	y->interval_ms = cfg->interval_ms > 0 ? cfg->interval_ms : 500;
	y->stale_after_s = cfg->stale_after_s > 0 ? cfg->stale_after_s : 300;
	y->started = bf_service_now(svc);
	if (cfg->peer_node != NULL)
		bf_strlcpy(y->peer, cfg->peer_node, sizeof(y->peer));
	if (bf_worker_start(&y->worker, puller, y) != BF_OK) {
		free(y);
		return bf_error_set(err, BF_EIO, "peer", "the puller cannot start");
	}
	*out = y;
	return BF_OK;
}

void bf_sync_stop(struct bf_sync *y)
{
	if (y == NULL)
		return;
	bf_worker_stop(&y->worker);
	free(y);
}

/* The latest signed head of PEER's chain received here, with its age;
 * null before any. */
static json_t *peer_head_json(struct bf_service *svc, const char *peer)
{
	struct bf_error err = {0};
	int64_t seq;
	char *head = NULL, at[BF_TIME_TEXT];
	bf_time received;
	if (!peer[0])
		return json_null();
	struct bf_store *s = bf_store_pool_acquire(bf_service_readers(svc));
	int rc = bf_store_peer_head_get(s, peer, &seq, &head, &received, &err);
	bf_store_pool_release(bf_service_readers(svc), s);
	json_t *h = rc == BF_OK ? json_loads(head, 0, NULL) : NULL;
	free(head);
	if (h == NULL)
		return json_null();
	bf_time_format_utc(received, at);
	bf_time age = bf_service_now(svc) - received;
	return json_pack("{s:o, s:s, s:I}", "head", h, "received_at", at, "age_seconds",
	                 (json_int_t)(age > 0 ? age : 0));
}

/* The forks this node has found, each with both events as signed. */
static json_t *forks_json(struct bf_service *svc)
{
	struct bf_fork *v;
	struct bf_error err = {0};
	size_t n;
	json_t *a = json_array();
	if (bf_service_forks(svc, &v, &n, &err) != BF_OK)
		return a;
	for (size_t i = 0; i < n; i++) {
		char at[BF_TIME_TEXT], resolved[BF_TIME_TEXT];
		bf_time_format_utc(v[i].detected_at, at);
		bf_time_format_utc(v[i].resolved_at, resolved);
		json_array_append_new(a,
		                      json_pack("{s:s, s:I, s:o, s:o, s:s, s:o}", "origin", v[i].origin, "origin_seq",
		                                (json_int_t)v[i].origin_seq, "held", json_loads(v[i].held, 0, NULL),
		                                "offered", json_loads(v[i].offered, 0, NULL), "detected_at", at,
		                                "resolved_at", v[i].resolved_at ? json_string(resolved) : json_null()));
	}
	bf_service_forks_free(v, n);
	return a;
}

json_t *bf_sync_status(struct bf_service *svc, struct bf_sync *y)
{
	const char *scope = bf_scope_name(bf_service_country_scope(svc) ? BF_SCOPE_COUNTRY : BF_SCOPE_BORDER);
	struct bf_error err = {0};
	int64_t disputes = 0;
	/* What the store holds is read before the puller's lock is taken:
	 * the puller never waits on these reads. A count that cannot be read
	 * is left out (the field is then absent). */
	bool counted = bf_service_disputes_count(svc, &disputes, &err) == BF_OK;
	json_t *forks = forks_json(svc);
	if (y == NULL) {
		json_t *lone = json_pack("{s:s, s:s, s:n, s:o}", "node", bf_service_node(svc), "scope", scope, "peer",
		                         "forks", forks);
		if (counted)
			json_object_set_new(lone, "disputes", json_integer(disputes));
		return lone;
	}
	char peer[BF_NODE_ID_MAX + 1];
	pthread_mutex_lock(&y->worker.lock);
	bf_strlcpy(peer, y->peer, sizeof(peer));
	pthread_mutex_unlock(&y->worker.lock);
	json_t *peer_head = peer_head_json(svc, peer);
	json_t *refusals = json_array();
	pthread_mutex_lock(&y->worker.lock);
	for (int i = 0; i < y->n_refusals; i++)
		json_array_append_new(
		    refusals, json_pack("{s:s, s:s}", "at", y->refusals[i].at, "reason", y->refusals[i].reason));
	char last_success[BF_TIME_TEXT] = "";
	if (y->last_success)
		bf_time_format_utc(y->last_success, last_success);
	bf_time since = bf_service_now(svc) - (y->last_success ? y->last_success : y->started);
	json_t *o = json_pack("{s:s, s:{s:s, s:s}, s:I, s:I, s:I, s:I, s:s?, s:s?, s:o}", "node", bf_service_node(svc),
	                      "peer", "url", y->url, "node", y->peer, "applied", (json_int_t)y->applied, "duplicates",
	                      (json_int_t)y->duplicates, "pulls", (json_int_t)y->pulls, "failures",
	                      (json_int_t)y->failures, "last_pull", y->last_pull[0] ? y->last_pull : NULL, "last_error",
	                      y->last_error[0] ? y->last_error : NULL, "refusals", refusals);
	json_object_set_new(o, "scope", json_string(scope));
	json_object_set_new(o, "forks", forks);
	json_object_set_new(o, "peer_head", peer_head);
	json_object_set_new(o, "writes", json_string(y->own_whole ? "open" : "held"));
	if (!y->own_whole && y->own_held[0])
		json_object_set_new(o, "writes_held_because", json_string(y->own_held));
	json_object_set_new(o, "own_reapplied", json_integer(y->own_reapplied));
	if (counted)
		json_object_set_new(o, "disputes", json_integer(disputes));
	json_object_set_new(o, "last_success", last_success[0] ? json_string(last_success) : json_null());
	json_object_set_new(o, "seconds_since_success", json_integer(since > 0 ? since : 0));
	json_object_set_new(o, "stale_after", json_integer(y->stale_after_s));
	json_object_set_new(o, "stale", json_boolean(since > y->stale_after_s));
	pthread_mutex_unlock(&y->worker.lock);
	return o;
}
