/* Registry management: exporters, planting areas and packing houses,
 * written only by the registry authority of the country that issued them,
 * each change one event; and the import of registry CSV files. */
#include "codec/registry.h"
#include "codec/registry_csv.h"
#include "service/service_int.h"
#include "store/store_notice.h"
#include "service/registry.h"

#include "ledger/ledger.h"
#include "model/authority.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kind's name, key, country and status of a record, from the kinds'
 * table (model/registry.h). */
static const char *kind_noun(enum bf_registry_kind k)
{
	return bf_registry_kind_noun(k);
}

static const char *record_key(const struct bf_registry_record *r)
{
	return bf_registry_key(r->kind, &r->u);
}

static const char *record_country(const struct bf_registry_record *r)
{
	return bf_registry_country(r->kind, &r->u);
}

static enum bf_registry_status record_status(const struct bf_registry_record *r)
{
	return bf_registry_status_of(r->kind, &r->u);
}

/* Commodities named by R must be in the commodity table. */
static int check_commodities(struct bf_store *s, const struct bf_registry_record *r, struct bf_error *err)
{
	struct bf_commodity c;
	char field[48];
	int rc;
	if (r->kind == BF_REG_PLANTING_AREA) {
		rc = bf_store_commodity_get(s, r->u.planting_area.hs_code, &c, err);
		if (rc == BF_ENOTFOUND)
			return bf_error_set(err, BF_EINVAL, "hs_code", "%s is not a commodity borderflow knows",
			                    r->u.planting_area.hs_code);
		if (rc)
			return rc; /* the store failed: the transaction must not go on */
	} else if (r->kind == BF_REG_EXPORTER) {
		for (int i = 0; i < r->u.exporter.n_approvals; i++) {
			snprintf(field, sizeof(field), "approvals[%d].hs_code", i);
			rc = bf_store_commodity_get(s, r->u.exporter.approvals[i].hs_code, &c, err);
			if (rc == BF_ENOTFOUND)
				return bf_error_set(err, BF_EINVAL, field, "%s is not a commodity borderflow knows",
				                    r->u.exporter.approvals[i].hs_code);
			if (rc)
				return rc;
		}
	}
	return BF_OK;
}

/* The write and its event, inside the caller's transaction. *OUTCOME
 * tells which it was. NOTICE_ID, when not NULL, is the notice a
 * suspension follows: its event names it. */
enum outcome { SAVED_NEW, SAVED_CHANGED, SAVED_SAME };

static int save_in_tx(struct bf_store *s, bf_time now, const struct bf_party *actor, const struct bf_registry_record *r,
                      bool create, bool upsert, const char *notice_id, enum outcome *outcome, struct bf_error *err)
{
	struct bf_registry_record old;
	char kind[BF_EVENT_KIND_MAX + 1], subject[BF_EVENT_SUBJECT_MAX + 1];
	const char *verb;
	json_t *payload;
	int rc = bf_registry_record_validate(r, err);
	if (rc)
		return rc;
	if (actor->role != BF_ROLE_SYSTEM &&
	    (actor->role != BF_ROLE_REGISTRY_AUTHORITY || strcmp(actor->country, record_country(r)) != 0))
		return bf_error_set(err, BF_EFORBIDDEN, "country",
		                    "only the registry authority of %s may register or change this %s; you act for %s",
		                    record_country(r), kind_noun(r->kind),
		                    actor->country[0] ? actor->country : "no country");
	if ((rc = check_commodities(s, r, err)) != 0)
		return rc;
	rc = bf_store_registry_get(s, &old, r->kind, record_key(r), err);
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	bool fresh = rc == BF_ENOTFOUND;
	*outcome = fresh ? SAVED_NEW : SAVED_CHANGED;
	if (create && !fresh && !upsert)
		return bf_error_set(err, BF_ECONFLICT, bf_registry_kind_info(r->kind)->key,
		                    "%s %s is registered already", kind_noun(r->kind), record_key(r));
	if (!create && !upsert && fresh)
		return bf_error_set(err, BF_ENOTFOUND, bf_registry_kind_info(r->kind)->key, "%s %s is not registered",
		                    kind_noun(r->kind), record_key(r));
	if (!fresh && strcmp(record_country(&old), record_country(r)) != 0)
		return bf_error_set(err, BF_EINVAL, "country", "a registered %s cannot change country",
		                    kind_noun(r->kind));
	payload = bf_registry_json(r->kind, &r->u);
	if (!fresh) {
		/* A save that changes nothing writes nothing, and no event. */
		json_t *before = bf_registry_json(old.kind, &old.u);
		bool same = json_equal(before, payload);
		json_decref(before);
		if (same) {
			json_decref(payload);
			*outcome = SAVED_SAME;
			return BF_OK;
		}
	}
	if ((rc = bf_store_registry_put(s, r, !fresh, err)) != 0) {
		json_decref(payload);
		return rc;
	}
	if (fresh)
		verb = "created";
	else if (record_status(&old) != record_status(r))
		verb = record_status(r) == BF_REG_SUSPENDED ? "suspended" : "reinstated";
	else
		verb = "updated";
	/* A reinstated code no longer stands suspended after a notice. */
	if (!fresh && record_status(&old) == BF_REG_SUSPENDED && record_status(r) != BF_REG_SUSPENDED &&
	    (rc = bf_store_notice_suspension_clear(s, kind_noun(r->kind), record_key(r), err)) != 0) {
		json_decref(payload);
		return rc;
	}
	if (notice_id != NULL)
		json_object_set_new(payload, "notice", json_string(notice_id));
	snprintf(kind, sizeof(kind), "registry.%s.%s", kind_noun(r->kind), verb);
	snprintf(subject, sizeof(subject), "%s/%s", kind_noun(r->kind), record_key(r));
	return bf_svc_event(s, actor, kind, subject, payload, now, err);
}

int bf_service_registry_save(struct bf_service *svc, const struct bf_party *actor, const struct bf_registry_record *r,
                             bool create, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	enum outcome outcome;
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = save_in_tx(s, bf_svc_now(svc), actor, r, create, false, NULL, &outcome, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_registry_patch(struct bf_service *svc, const struct bf_party *actor, enum bf_registry_kind kind,
                              const char *key,
                              int (*merge)(struct bf_registry_record *rec, void *cls, struct bf_error *err), void *cls,
                              struct bf_registry_record *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	enum outcome outcome;
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = bf_store_registry_get(s, out, kind, key, err)) == BF_OK &&
		    (rc = merge(out, cls, err)) == BF_OK &&
		    (rc = save_in_tx(s, bf_svc_now(svc), actor, out, false, false, NULL, &outcome, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_svc_registry_suspend(struct bf_store *s, bf_time now, const struct bf_party *actor, enum bf_registry_kind kind,
                            const char *key, const char *notice_id, struct bf_registry_record *out, bool *changed,
                            struct bf_error *err)
{
	enum outcome outcome = SAVED_SAME;
	int rc = bf_store_registry_get(s, out, kind, key, err);
	*changed = false;
	if (rc)
		return rc;
	if (record_status(out) == BF_REG_SUSPENDED)
		return BF_OK;
	bf_registry_status_set(kind, &out->u, BF_REG_SUSPENDED);
	if ((rc = save_in_tx(s, now, actor, out, false, false, notice_id, &outcome, err)) != 0)
		return rc;
	*changed = outcome == SAVED_CHANGED;
	return BF_OK;
}

int bf_service_registry_get(struct bf_service *svc, enum bf_registry_kind kind, const char *key,
                            struct bf_registry_record *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_registry_get(s, out, kind, key, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_registry_list(struct bf_service *svc, enum bf_registry_kind kind, const char *after, int limit,
                             void **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_registry_list(s, kind, after, limit, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_import_registry(struct bf_service *svc, const struct bf_party *actor, const char *text, size_t len,
                               struct bf_import_report *rep, struct bf_error *err)
{
	struct bf_registry_record *records = NULL;
	int *lines = NULL, n = 0, rc;

	bf_registry_csv_read(text, len, rep, &records, &lines, &n);
	if (rep->n_problems > 0) {
		free(records);
		free(lines);
		return bf_error_set(err, BF_EREJECTED, "", "%d problem%s found; nothing was imported", rep->n_problems,
		                    rep->n_problems == 1 ? "" : "s");
	}

	/* Checks against the database (a commodity, the country) go on past
	 * the first failure, so that every bad row is reported at once; any
	 * failure rolls the whole file back. */
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	bf_time now = bf_svc_now(svc);
	if ((rc = bf_store_begin(s, err)) == BF_OK) {
		for (int i = 0; i < n && rc != BF_ESTORE; i++) {
			enum outcome outcome = SAVED_SAME;
			struct bf_error rerr = {0};
			int one = save_in_tx(s, now, actor, &records[i], true, true, NULL, &outcome, &rerr);
			if (one == BF_OK) {
				rep->created += outcome == SAVED_NEW;
				rep->updated += outcome == SAVED_CHANGED;
				rep->unchanged += outcome == SAVED_SAME;
			} else if (one == BF_ESTORE) {
				rc = bf_error_set(err, BF_ESTORE, "", "%s", rerr.message);
			} else {
				bf_registry_csv_problem(rep, lines[i], rerr.field, "%s", rerr.message);
			}
		}
		if (rc == BF_OK && rep->n_problems > 0)
			rc = bf_error_set(err, BF_EREJECTED, "", "%d problem%s found; nothing was imported",
			                  rep->n_problems, rep->n_problems == 1 ? "" : "s");
		if (rc == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	if (rc != BF_OK)
		rep->created = rep->updated = rep->unchanged = 0;
	free(records);
	free(lines);
	return rc;
}

/* ---- the peer's registry events ---- */

/* The record registry event E carries (its kind, "created", "suspended"
 * ... in *VERB), read as a record is; BF_EINVAL naming the field. */
static int event_record(const struct bf_event *e, struct bf_registry_record *r, const char **verb, struct bf_error *err)
{
	char noun[32];
	memset(r, 0, sizeof(*r));
	*verb = "";
	if (strncmp(e->kind, "registry.", 9) != 0)
		return bf_error_set(err, BF_EINVAL, "kind", "%s is not a registry event", e->kind);
	const char *rest = e->kind + strlen("registry."), *dot = strchr(rest, '.');
	if (dot == NULL || (size_t)(dot - rest) >= sizeof(noun))
		return bf_error_set(err, BF_EINVAL, "kind", "%s is not a registry event", e->kind);
	memcpy(noun, rest, (size_t)(dot - rest));
	noun[dot - rest] = '\0';
	*verb = dot + 1;
	int kind = -1;
	for (int k = 0; k < BF_REG_KINDS; k++)
		if (strcmp(bf_registry_kind_noun((enum bf_registry_kind)k), noun) == 0)
			kind = k;
	if (kind < 0)
		return bf_error_set(err, BF_EINVAL, "kind", "%s names no registry", e->kind);
	json_t *payload = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_object(payload)) {
		json_decref(payload);
		return bf_error_set(err, BF_EINVAL, "payload", "the %s record cannot be read", noun);
	}
	json_object_del(payload, "notice"); /* which notice suspended it: the event's, not the record's */
	r->kind = (enum bf_registry_kind)kind;
	int rc = bf_registry_read((enum bf_registry_kind)kind, payload, r, true, err);
	json_decref(payload);
	return rc;
}

/* Whether the record of registry event E takes effect on node NODE: every
 * one of its own chain, and a peer's of the peer's country's codes only
 * (the peer's node operator imports registry files that may hold this
 * side's codes too: those stay history only here, since a record is
 * changed on both nodes only by its own country). */
static bool takes_effect(const struct bf_event *e, const struct bf_registry_record *r, const char *node)
{
	char peer_country[3];
	if (strcmp(e->origin, node) == 0)
		return true;
	return bf_authority_node_country(e->origin, peer_country) && strcmp(record_country(r), peer_country) == 0;
}

int bf_service_registry_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err)
{
	struct bf_registry_record r, held;
	const char *verb;
	int rc = event_record(e, &r, &verb, err);
	if (rc)
		return rc;
	const char *noun = kind_noun(r.kind);
	if (!takes_effect(e, &r, ""))
		return BF_OK;
	rc = bf_store_registry_get(s, &held, r.kind, record_key(&r), err);
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	if ((rc = bf_store_registry_put(s, &r, rc == BF_OK, err)) != 0)
		return rc;
	if (strcmp(verb, "reinstated") == 0)
		return bf_store_notice_suspension_clear(s, noun, record_key(&r), err);
	return BF_OK;
}

/* ---- the registry against the log ---- */

/* Keeps, by subject ("exporter/VN-EXP-0101"), the record the last event
 * that takes effect here leaves, and where that event is. */
static int keep_last(void *ctx, const struct bf_event *e, const char *node)
{
	struct bf_registry_record r;
	struct bf_error why = {0};
	const char *verb;
	char at[BF_NODE_ID_MAX + 32];
	if (event_record(e, &r, &verb, &why) != BF_OK || !takes_effect(e, &r, node))
		return BF_OK; /* history only here */
	snprintf(at, sizeof(at), "%s #%lld", e->origin, (long long)e->origin_seq);
	json_object_set_new((json_t *)ctx, e->subject,
	                    json_pack("{s:o, s:s, s:I}", "record", bf_registry_json(r.kind, &r.u), "at", at, "seq",
	                              (json_int_t)e->seq));
	return BF_OK;
}

/* The record LAST keeps for SUBJECT against its row: BF_OK when they
 * agree (or an event changed it since), else BF_EREJECTED with F. */
static int compare_record(struct bf_store *s, const char *subject, json_t *want, struct bf_ledger_fault *f,
                          struct bf_error *err)
{
	struct bf_registry_record row;
	json_t *record = json_object_get(want, "record");
	const char *at = json_string_value(json_object_get(want, "at"));
	const char *slash = strchr(subject, '/');
	int kind = -1;
	for (int k = 0; k < BF_REG_KINDS && slash; k++)
		if (strncmp(subject, kind_noun((enum bf_registry_kind)k), (size_t)(slash - subject)) == 0 &&
		    strlen(kind_noun((enum bf_registry_kind)k)) == (size_t)(slash - subject))
			kind = k;
	if (kind < 0)
		return BF_OK;
	int rc = bf_store_registry_get(s, &row, (enum bf_registry_kind)kind, slash + 1, err);
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	bool found = rc == BF_OK, later = false;
	json_t *held = found ? bf_registry_json(row.kind, &row.u) : NULL;
	if ((found && json_equal(held, record)) ||
	    (rc = bf_svc_changed_since(s, "registry.", subject, json_integer_value(json_object_get(want, "seq")),
	                               &later, err)) != BF_OK ||
	    later) {
		json_decref(held);
		return rc;
	}
	const char *was = json_string_value(json_object_get(record, "status"));
	const char *is = held ? json_string_value(json_object_get(held, "status")) : NULL;
	if (!found)
		rc = bf_svc_record_fault(f, "registry", subject,
		                         "%s registers it, but it has no record: removed around the ledger", at);
	else if (was && is && strcmp(was, is) != 0)
		rc = bf_svc_record_fault(f, "registry", subject,
		                         "its record says %s, but %s, the last event that changed it, left it %s: "
		                         "edited around the ledger",
		                         is, at, was);
	else
		rc = bf_svc_record_fault(f, "registry", subject,
		                         "its record is not what %s, the last event that changed it, left: edited "
		                         "around the ledger",
		                         at);
	json_decref(held);
	return rc;
}

int bf_svc_registry_verify(struct bf_store *s, struct bf_ledger_fault *f, struct bf_error *err)
{
	json_t *last = json_object();
	int rc = bf_svc_events_each(s, "registry.", keep_last, last, err);
	const char *subject;
	json_t *want;
	json_object_foreach (last, subject, want) {
		if (rc != BF_OK)
			break;
		rc = compare_record(s, subject, want, f, err);
	}
	json_decref(last);
	return rc;
}
