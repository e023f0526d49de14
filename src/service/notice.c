/* Notices on the shared history: posted by one side, acknowledged by the
 * other, and for a non-compliance the one-step suspension of the codes it
 * names. Each write is one transaction with its events; a peer's notice
 * events are materialized here by bf_service_notice_apply(). */
#include "service/notice.h"

#include "ledger/ledger.h"
#include "codec/jsonread.h"
#include "codec/notice.h"
#include "service/service_int.h"
#include "service/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- posting ---- */

/* Every code, the gate and the consignment N names exist here: BF_EINVAL
 * naming the first that does not. A gate operator posts only about a gate
 * it acts at (BF_EFORBIDDEN naming the gate). */
static int check_references(struct bf_store *s, const struct bf_party *actor, const struct bf_notice *n,
                            struct bf_error *err)
{
	struct bf_registry_record rec;
	struct bf_gate_pair g;
	struct bf_consignment c;
	for (enum bf_registry_kind k = 0; k < BF_NOTICE_KINDS; k++) {
		const char *code = bf_notice_code(n, k);
		char field[48];
		int rc;
		if (code[0] == '\0')
			continue;
		rc = bf_store_registry_get(s, &rec, k, code, err);
		snprintf(field, sizeof(field), "names.%s", bf_registry_kind_noun(k));
		if (rc == BF_ENOTFOUND)
			return bf_error_set(err, BF_EINVAL, field, "no %s is registered as %s",
			                    bf_registry_kind_words(k), code);
		if (rc)
			return rc;
	}
	if (n->gate[0]) {
		int rc = bf_store_gate_get(s, n->gate, &g, err);
		if (rc == BF_ENOTFOUND)
			return bf_error_set(err, BF_EINVAL, "gate", "no gate pair has the id %s", n->gate);
		if (rc)
			return rc;
		rc = bf_party_check_gate(actor, &g, "gate", err);
		bf_gate_pair_clear(&g);
		if (rc)
			return rc;
	}
	if (n->consignment[0]) {
		int rc = bf_store_consignment_get(s, n->consignment, &c, err);
		if (rc == BF_ENOTFOUND)
			return bf_error_set(err, BF_EINVAL, "consignment", "no consignment has the id %s",
			                    n->consignment);
		if (rc)
			return rc;
	}
	return BF_OK;
}

static void subject_of(const char *id, char subject[BF_EVENT_SUBJECT_MAX + 1])
{
	snprintf(subject, BF_EVENT_SUBJECT_MAX + 1, "notice/%s", id);
}

int bf_service_notice_post(struct bf_service *svc, const struct bf_party *actor, const struct bf_notice *in,
                           struct bf_notice *out, struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1], subject[BF_EVENT_SUBJECT_MAX + 1];
	struct bf_notice n = *in;
	int64_t number;
	int rc;

	if (!bf_notice_role_posts(actor->role))
		return bf_error_set(err, BF_EFORBIDDEN, "role", "a %s does not post notices",
		                    bf_role_name(actor->role));
	if ((rc = bf_notice_validate(&n, err)) != 0)
		return rc;
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	if ((rc = bf_store_begin(s, err)) != 0)
		goto done;
	if ((rc = check_references(s, actor, &n, err)) != 0)
		goto fail;
	/* The ledger gives a database without a node id the default one with
	 * its first event: the notice is numbered as that node's. */
	rc = bf_store_node_get(s, node, err);
	if (rc == BF_ENOTFOUND)
		bf_strlcpy(node, BF_LEDGER_DEFAULT_NODE, sizeof(node));
	else if (rc)
		goto fail;
	if ((rc = bf_store_notice_next_number(s, node, &number, err)) != 0)
		goto fail;
	bf_notice_id_format(node, number, n.id);
	bf_strlcpy(n.posted_by, actor->id, sizeof(n.posted_by));
	n.role = actor->role;
	bf_strlcpy(n.country, actor->country, sizeof(n.country));
	n.posted_at = bf_svc_now(svc);
	n.n_acks = 0;
	subject_of(n.id, subject);
	if ((rc = bf_store_notice_put(s, &n, node, number, err)) != 0 ||
	    (rc = bf_svc_event(s, actor, "notice.posted", subject, bf_notice_payload_json(&n), n.posted_at, err)) != 0)
		goto fail;
	if ((rc = bf_store_commit(s, err)) == 0)
		*out = n;
	goto done;
fail:
	bf_store_rollback(s);
done:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_notice_get(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_notice *out,
                          struct bf_error *err)
{
	(void)actor; /* every role reads the notices */
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_notice_get(s, id, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_notices(struct bf_service *svc, const struct bf_party *actor, const struct bf_notice_filter *f,
                       struct bf_notice **out, size_t *n, int64_t *next, struct bf_error *err)
{
	(void)actor;
	if (f->limit < 1 || f->limit > 500)
		return bf_error_set(err, BF_EINVAL, "limit", "must be a whole number from 1 to 500");
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_notices_list(s, f, out, n, next, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

/* ---- acknowledging ---- */

/* ACTOR's country acknowledges N with NOTE, inside the caller's
 * transaction: the record and its event. */
static int ack_in_tx(struct bf_store *s, const struct bf_party *actor, const struct bf_notice *n, const char *note,
                     bf_time now, struct bf_error *err)
{
	struct bf_notice_ack a = {.role = actor->role, .at = now};
	char subject[BF_EVENT_SUBJECT_MAX + 1], at[BF_TIME_TEXT];
	int rc;
	bf_strlcpy(a.by, actor->id, sizeof(a.by));
	bf_strlcpy(a.country, actor->country, sizeof(a.country));
	bf_strlcpy(a.note, note, sizeof(a.note));
	bf_time_format_utc(now, at);
	subject_of(n->id, subject);
	if ((rc = bf_store_notice_ack_put(s, n->id, &a, err)) != 0)
		return rc;
	return bf_svc_event(s, actor, "notice.acknowledged", subject,
	                    json_pack("{s:s, s:s, s:s, s:s, s:s}", "notice", n->id, "by", a.by, "country", a.country,
	                              "at", at, "note", a.note),
	                    now, err);
}

int bf_service_notice_acknowledge(struct bf_service *svc, const struct bf_party *actor, const char *id,
                                  const char *note, struct bf_notice *out, struct bf_error *err)
{
	int rc;
	if (!bf_notice_role_posts(actor->role))
		return bf_error_set(err, BF_EFORBIDDEN, "role", "a %s does not acknowledge notices",
		                    bf_role_name(actor->role));
	if (strlen(note) > BF_NOTICE_NOTE_MAX)
		return bf_error_set(err, BF_EINVAL, "note", "is longer than %d bytes", BF_NOTICE_NOTE_MAX);
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	if ((rc = bf_store_begin(s, err)) != 0)
		goto done;
	if ((rc = bf_store_notice_get(s, id, out, err)) != 0)
		goto fail;
	if (strcmp(out->country, actor->country) == 0) {
		rc =
		    bf_error_set(err, BF_EFORBIDDEN, "country",
		                 "a notice is acknowledged by the other side; this one was posted by %s", out->country);
		goto fail;
	}
	if (bf_notice_acked_by(out, actor->country)) {
		rc = bf_error_set(err, BF_ECONFLICT, "id", "%s acknowledged this notice already", actor->country);
		goto fail;
	}
	/* A disruption at a gate is acknowledged, among operators, by one
	 * that acts there. */
	if (out->gate[0] && actor->role == BF_ROLE_GATE_OPERATOR) {
		struct bf_gate_pair g;
		if ((rc = bf_store_gate_get(s, out->gate, &g, err)) != 0)
			goto fail;
		rc = bf_party_check_gate(actor, &g, "gate", err);
		bf_gate_pair_clear(&g);
		if (rc)
			goto fail;
	}
	if ((rc = ack_in_tx(s, actor, out, note, bf_svc_now(svc), err)) != 0 ||
	    (rc = bf_store_notice_get(s, id, out, err)) != 0)
		goto fail;
	rc = bf_store_commit(s, err);
	goto done;
fail:
	bf_store_rollback(s);
done:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

/* ---- one-step suspension ---- */

/* The country that issued code CODE of registry kind K; BF_ENOTFOUND if it
 * is not registered here. */
static int code_country(struct bf_store *s, int k, const char *code, char country[3], struct bf_error *err)
{
	struct bf_exporter e;
	struct bf_planting_area pa;
	struct bf_packing_house ph;
	int rc;
	switch (k) {
	case BF_REG_EXPORTER:
		if ((rc = bf_store_exporter_get(s, code, &e, err)) == 0)
			bf_strlcpy(country, e.country, 3);
		return rc;
	case BF_REG_PLANTING_AREA:
		if ((rc = bf_store_planting_area_get(s, code, &pa, err)) == 0)
			bf_strlcpy(country, pa.country, 3);
		return rc;
	default:
		if ((rc = bf_store_packing_house_get(s, code, &ph, err)) == 0)
			bf_strlcpy(country, ph.country, 3);
		return rc;
	}
}

int bf_service_notice_suspend(struct bf_service *svc, const struct bf_party *actor, const char *id,
                              struct bf_notice *notice, struct bf_notice_suspension out[3], int *n,
                              struct bf_error *err)
{
	struct bf_registry_record rec;
	char note[BF_NOTICE_NOTE_MAX + 1] = "suspended in one step:";
	bf_time now = bf_svc_now(svc);
	int rc, own = 0, done = 0;

	*n = 0;
	if (actor->role != BF_ROLE_REGISTRY_AUTHORITY)
		return bf_error_set(err, BF_EFORBIDDEN, "role", "only a registry authority suspends codes");
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	if ((rc = bf_store_begin(s, err)) != 0)
		goto release;
	if ((rc = bf_store_notice_get(s, id, notice, err)) != 0)
		goto fail;
	if (notice->kind != BF_NOTICE_NON_COMPLIANCE) {
		rc = bf_error_set(err, BF_ECONFLICT, "kind", "a %s names no codes to suspend",
		                  bf_notice_kind_name(notice->kind));
		goto fail;
	}
	for (enum bf_registry_kind k = 0; k < BF_NOTICE_KINDS; k++) {
		const char *code = bf_notice_code(notice, k);
		struct bf_notice_suspension *r = &out[*n];
		bool changed;
		if (code[0] == '\0')
			continue;
		memset(r, 0, sizeof(*r));
		r->kind = (enum bf_registry_kind)k;
		bf_strlcpy(r->code, code, sizeof(r->code));
		rc = code_country(s, k, code, r->country, err);
		if (rc == BF_ENOTFOUND) {
			rc = bf_error_set(err, BF_ECONFLICT, bf_registry_kind_noun(k),
			                  "%s %s is not registered on this node", bf_registry_kind_words(k), code);
			goto fail;
		}
		if (rc)
			goto fail;
		(*n)++;
		if (strcmp(r->country, actor->country) != 0) {
			r->result = BF_SUSPEND_OTHER_COUNTRY;
			continue;
		}
		own++;
		if ((rc = bf_svc_registry_suspend(s, now, actor, r->kind, code, notice->id, &rec, &changed, err)) != 0)
			goto fail;
		r->result = changed ? BF_SUSPEND_DONE : BF_SUSPEND_ALREADY;
		if (changed) {
			size_t len = strlen(note);
			snprintf(note + len, sizeof(note) - len, "%s %s %s", done ? "," : "", bf_registry_kind_words(k),
			         code);
			done++;
			if ((rc = bf_store_notice_suspension_put(s, bf_registry_kind_noun(k), code, notice->id, now,
			                                         err)) != 0)
				goto fail;
		}
	}
	if (own == 0) {
		rc = bf_error_set(err, BF_EFORBIDDEN, "country", "notice %s names no code issued by %s", notice->id,
		                  actor->country);
		goto fail;
	}
	/* Acting on a notice is acknowledging it, for the other side. */
	if (strcmp(notice->country, actor->country) != 0 && !bf_notice_acked_by(notice, actor->country) &&
	    (rc = ack_in_tx(s, actor, notice, done ? note : "its codes were suspended already", now, err)) != 0)
		goto fail;
	if ((rc = bf_store_notice_get(s, id, notice, err)) != 0)
		goto fail;
	rc = bf_store_commit(s, err);
	goto release;
fail:
	bf_store_rollback(s);
release:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

/* ---- a peer's notice events ---- */

static int apply_posted(struct bf_store *s, const struct bf_event *e, json_t *payload, struct bf_error *err)
{
	struct bf_notice n, here;
	char subject[BF_EVENT_SUBJECT_MAX + 1], origin[BF_NODE_ID_MAX + 1];
	int64_t number;
	int rc;
	if ((rc = bf_notice_payload_read(payload, &n, err)) != 0 ||
	    (rc = bf_notice_id_parse(n.id, origin, &number, err)) != 0)
		return rc;
	subject_of(n.id, subject);
	if (strcmp(subject, e->subject) != 0)
		return bf_error_set(err, BF_EINVAL, "subject", "the event's subject is not %s", subject);
	if (strcmp(n.posted_by, e->party_id) != 0 || n.role != e->role)
		return bf_error_set(err, BF_EINVAL, "posted_by", "the notice's poster is not the event's author");
	if (e->origin[0] && strcmp(origin, e->origin) != 0)
		return bf_error_set(err, BF_EINVAL, "id", "notice %s is not numbered by node %s, whose event it is",
		                    n.id, e->origin);
	rc = bf_store_notice_get(s, n.id, &here, err);
	if (rc == BF_OK) {
		/* Applied already: the same notice is a no-op, another a clash. */
		json_t *mine = bf_notice_payload_json(&here), *theirs = bf_notice_payload_json(&n);
		bool same = json_equal(mine, theirs);
		json_decref(mine);
		json_decref(theirs);
		return same ? BF_OK
		            : bf_error_set(err, BF_ECONFLICT, "id", "notice %s is here already with other contents",
		                           n.id);
	}
	if (rc != BF_ENOTFOUND)
		return rc;
	return bf_store_notice_put(s, &n, origin, number, err);
}

/* The acknowledgement notice.acknowledged event E makes (of notice ID),
 * read from its PAYLOAD and checked against E. */
static int ack_read(const struct bf_event *e, json_t *payload, char id[BF_NOTICE_ID_MAX + 1], struct bf_notice_ack *out,
                    struct bf_error *err)
{
	static const char *const keys[] = {"notice", "by", "country", "at", "note", NULL};
	struct bf_jr jr = {.err = err};
	struct bf_notice_ack a = {.role = e->role};
	char at[64], subject[BF_EVENT_SUBJECT_MAX + 1];
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = bf_jr_keys(&jr, payload, "", keys)) != 0 ||
	    (rc = bf_jr_str(&jr, payload, "notice", "", id, BF_NOTICE_ID_MAX + 1, true)) != 0 ||
	    (rc = bf_jr_str(&jr, payload, "by", "", a.by, sizeof(a.by), true)) != 0 ||
	    (rc = bf_jr_str(&jr, payload, "country", "", a.country, sizeof(a.country), true)) != 0 ||
	    (rc = bf_jr_str(&jr, payload, "at", "", at, sizeof(at), true)) != 0 ||
	    (rc = bf_jr_str(&jr, payload, "note", "", a.note, sizeof(a.note), false)) != 0)
		return rc;
	if (!json_is_string(json_object_get(payload, "note")))
		return bf_jr_fail(&jr, "note", "is required");
	if (!bf_country_code_valid(a.country))
		return bf_jr_fail(&jr, "country", "must be an ISO 3166-1 alpha-2 code");
	if (bf_time_parse(at, &a.at))
		return bf_jr_fail(&jr, "at", "must be an instant with its zone");
	subject_of(id, subject);
	if (strcmp(subject, e->subject) != 0)
		return bf_error_set(err, BF_EINVAL, "subject", "the event's subject is not %s", subject);
	if (strcmp(a.by, e->party_id) != 0)
		return bf_error_set(err, BF_EINVAL, "by", "the acknowledgement's party is not the event's author");
	if (!bf_notice_role_posts(a.role))
		return bf_error_set(err, BF_EINVAL, "role", "a %s does not acknowledge notices", bf_role_name(a.role));
	*out = a;
	return BF_OK;
}

static int apply_acknowledged(struct bf_store *s, const struct bf_event *e, json_t *payload, struct bf_error *err)
{
	struct bf_notice_ack a;
	struct bf_notice n;
	char id[BF_NOTICE_ID_MAX + 1];
	int rc = ack_read(e, payload, id, &a, err);
	if (rc)
		return rc;
	if ((rc = bf_store_notice_get(s, id, &n, err)) != 0) {
		if (rc == BF_ENOTFOUND)
			bf_error_set(err, BF_ENOTFOUND, "notice",
			             "notice %s is not here: apply its notice.posted first", id);
		return rc;
	}
	if (strcmp(n.country, a.country) == 0)
		return bf_error_set(err, BF_EINVAL, "country", "a notice is acknowledged by the other side, not by %s",
		                    a.country);
	for (int i = 0; i < n.n_acks; i++) {
		const struct bf_notice_ack *h = &n.acks[i];
		if (strcmp(h->country, a.country) != 0)
			continue;
		if (strcmp(h->by, a.by) == 0 && h->role == a.role && h->at == a.at && strcmp(h->note, a.note) == 0)
			return BF_OK;
		return bf_error_set(err, BF_ECONFLICT, "country", "%s acknowledged notice %s already, otherwise",
		                    a.country, id);
	}
	return bf_store_notice_ack_put(s, id, &a, err);
}

int bf_service_notice_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err)
{
	bool posted = strcmp(e->kind, "notice.posted") == 0;
	if (!posted && strcmp(e->kind, "notice.acknowledged") != 0)
		return bf_error_set(err, BF_EINVAL, "kind", "%s is not a notice's event", e->kind);
	json_t *payload = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
	if (!json_is_object(payload)) {
		json_decref(payload);
		return bf_error_set(err, BF_EINVAL, "payload", "the event's payload is not a JSON object");
	}
	int rc = posted ? apply_posted(s, e, payload, err) : apply_acknowledged(s, e, payload, err);
	json_decref(payload);
	return rc;
}

/* ---- the notices against the log ---- */

static json_t *ack_json(const struct bf_notice_ack *a)
{
	return json_pack("{s:s, s:s, s:I, s:s}", "by", a->by, "role", bf_role_name(a->role), "at", (json_int_t)a->at,
	                 "note", a->note);
}

/* Keeps, by notice id, what the log posts and acknowledges: {"notice":
 * as posted, "acks": {country: acknowledgement}, "at": "vn #3" (the
 * post), "seq": the last event on it}. */
static int keep_notice(void *ctx, const struct bf_event *e, const char *node)
{
	(void)node;
	json_t *seen = ctx, *payload = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
	struct bf_error why = {0};
	struct bf_notice n;
	struct bf_notice_ack a;
	char id[BF_NOTICE_ID_MAX + 1], at[BF_NODE_ID_MAX + 32];
	if (!json_is_object(payload)) {
		json_decref(payload);
		return BF_OK; /* not one the node could have applied */
	}
	snprintf(at, sizeof(at), "%s #%lld", e->origin, (long long)e->origin_seq);
	if (strcmp(e->kind, "notice.posted") == 0 && bf_notice_payload_read(payload, &n, &why) == BF_OK) {
		json_object_set_new(seen, n.id,
		                    json_pack("{s:o, s:o, s:s, s:I}", "notice", bf_notice_payload_json(&n), "acks",
		                              json_object(), "at", at, "seq", (json_int_t)e->seq));
	} else if (strcmp(e->kind, "notice.acknowledged") == 0 && ack_read(e, payload, id, &a, &why) == BF_OK) {
		json_t *entry = json_object_get(seen, id);
		if (entry != NULL) {
			json_object_set_new(json_object_get(entry, "acks"), a.country, ack_json(&a));
			json_object_set_new(entry, "seq", json_integer((json_int_t)e->seq));
		}
	}
	json_decref(payload);
	return BF_OK;
}

/* Notice ID as the log leaves it (WANT) against its row. */
static int compare_notice(struct bf_store *s, const char *id, json_t *want, struct bf_ledger_fault *f,
                          struct bf_error *err)
{
	struct bf_notice *row = bf_xcalloc(1, sizeof(*row));
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	const char *at = json_string_value(json_object_get(want, "at")), *why = NULL;
	bool later = false;
	subject_of(id, subject);
	int rc = bf_store_notice_get(s, id, row, err);
	if (rc == BF_ENOTFOUND) {
		why = "removed";
	} else if (rc == BF_OK) {
		json_t *posted = bf_notice_payload_json(row), *acks = json_object();
		for (int i = 0; i < row->n_acks; i++)
			json_object_set_new(acks, row->acks[i].country, ack_json(&row->acks[i]));
		if (!json_equal(posted, json_object_get(want, "notice")))
			why = "posted";
		else if (!json_equal(acks, json_object_get(want, "acks")))
			why = "acknowledged";
		json_decref(posted);
		json_decref(acks);
	}
	free(row);
	if (rc == BF_ENOTFOUND)
		rc = BF_OK;
	if (rc != BF_OK || why == NULL ||
	    (rc = bf_svc_changed_since(s, "notice.", subject, json_integer_value(json_object_get(want, "seq")), &later,
	                               err)) != BF_OK ||
	    later)
		return rc;
	if (strcmp(why, "removed") == 0)
		return bf_svc_record_fault(f, "notice", subject,
		                           "%s posts it, but it has no record: removed around the ledger", at);
	if (strcmp(why, "posted") == 0)
		return bf_svc_record_fault(f, "notice", subject,
		                           "its record is not what %s posted: edited around the ledger", at);
	return bf_svc_record_fault(f, "notice", subject,
	                           "its acknowledgements are not those the log's events make: edited around the "
	                           "ledger");
}

int bf_svc_notices_verify(struct bf_store *s, struct bf_ledger_fault *f, struct bf_error *err)
{
	json_t *seen = json_object();
	int rc = bf_svc_events_each(s, "notice.", keep_notice, seen, err);
	const char *id;
	json_t *want;
	json_object_foreach (seen, id, want) {
		if (rc != BF_OK)
			break;
		rc = compare_notice(s, id, want, f, err);
	}
	/* And no notice is here that no event posts. */
	struct bf_notice_filter all = {.kind = -1, .acknowledged = -1, .after = 0, .limit = 200};
	while (rc == BF_OK) {
		struct bf_notice *v;
		size_t n;
		int64_t next = 0;
		if ((rc = bf_store_notices_list(s, &all, &v, &n, &next, err)) != BF_OK)
			break;
		for (size_t i = 0; rc == BF_OK && i < n; i++) {
			char subject[BF_EVENT_SUBJECT_MAX + 1];
			bool posted = false;
			if (json_object_get(seen, v[i].id) != NULL)
				continue;
			subject_of(v[i].id, subject);
			if ((rc = bf_svc_changed_since(s, "notice.", subject, 0, &posted, err)) == BF_OK && !posted)
				rc = bf_svc_record_fault(f, "notice", subject,
				                         "no event of the log posts it: written around the ledger");
		}
		free(v);
		if (next == 0)
			break;
		all.after = next;
	}
	json_decref(seen);
	return rc;
}
