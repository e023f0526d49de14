/* The two sides' decisions on a consignment and their control lanes.
 *
 * Each decision is a move in the lifecycle table (model/lifecycle.c),
 * allowed to one role from given states only, and made by an authority
 * of the side it belongs to: the export authority of the exporter's
 * country, the import authority of the destination, the operator of
 * either side's gate. A hold and a refusal carry their reasons. Every
 * decision is one event named by the state it moves to
 * ("consignment.export_cleared", "consignment.held", ...), as the ledger
 * reads transitions, whose payload also names the state it moved from,
 * so that the history can be checked move by move.
 *
 * When a vehicle checks in at the waiting yard each side routes it to a
 * control lane by its risk profile (model/risk.h). The draws are taken
 * from a hash of the consignment and the side, so that a lane is the same
 * however often it is computed, and neither side can predict the other's. */
#include "service/control.h"

#include "model/risk.h"
#include "codec/jsonread.h"
#include "service/service_int.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ---- risk profiles as JSON ---- */

static json_t *profile_json(const struct bf_risk_profile *p, bool configured)
{
	json_t *rules = json_array(), *shares = json_object(), *minutes = json_object();
	for (int l = 0; l < BF_LANE_COUNT; l++) {
		json_object_set_new(shares, bf_lane_name((enum bf_lane)l), json_real(p->share[l]));
		json_object_set_new(minutes, bf_lane_name((enum bf_lane)l), json_real(p->minutes[l]));
	}
	for (int i = 0; i < p->n_rules; i++) {
		const struct bf_risk_rule *r = &p->rules[i];
		json_t *o = json_object();
		if (r->exporter_id[0])
			json_object_set_new(o, "exporter", json_string(r->exporter_id));
		if (r->hs_code[0])
			json_object_set_new(o, "commodity", json_string(r->hs_code));
		if (r->refused_within_days)
			json_object_set_new(o, "refused_within_days", json_integer(r->refused_within_days));
		json_object_set_new(o, "lane", json_string(bf_lane_name(r->lane)));
		json_object_set_new(o, "reason", json_string(r->reason));
		json_array_append_new(rules, o);
	}
	return json_pack("{s:s,s:b,s:o,s:f,s:o,s:o}", "country", p->country, "configured", configured, "shares", shares,
	                 "min_random_red", p->min_random_red, "minutes", minutes, "rules", rules);
}

static int lanes_object(struct bf_jr *jr, json_t *body, const char *key, double *out, bool required)
{
	static const char *const keys[] = {"green", "yellow", "red", NULL};
	json_t *o;
	int rc;
	if ((rc = bf_jr_object(jr, body, key, "", &o, required)) != 0 || o == NULL)
		return rc;
	if ((rc = bf_jr_keys(jr, o, key, keys)) != 0)
		return rc;
	for (int l = 0; l < BF_LANE_COUNT; l++)
		if ((rc = bf_jr_number(jr, o, bf_lane_name((enum bf_lane)l), key, &out[l], true)) != 0)
			return rc;
	return BF_OK;
}

static int profile_read(struct bf_jr *jr, json_t *body, struct bf_risk_profile *p)
{
	static const char *const keys[] = {"shares", "min_random_red", "minutes", "rules", NULL};
	static const char *const rule_keys[] = {"exporter", "commodity", "refused_within_days", "lane", "reason", NULL};
	json_t *rules, *r;
	size_t i;
	int rc;
	if ((rc = bf_jr_keys(jr, body, "", keys)) != 0 ||
	    (rc = lanes_object(jr, body, "shares", p->share, true)) != 0 ||
	    (rc = bf_jr_number(jr, body, "min_random_red", "", &p->min_random_red, false)) != 0 ||
	    (rc = lanes_object(jr, body, "minutes", p->minutes, false)) != 0 ||
	    (rc = bf_jr_array(jr, body, "rules", "", &rules, false)) != 0)
		return rc;
	if (json_array_size(rules) > BF_RISK_MAX_RULES)
		return bf_jr_fail(jr, "rules", "at most %d rules", BF_RISK_MAX_RULES);
	json_array_foreach (rules, i, r) {
		char path[32], lane[16];
		struct bf_risk_rule *rule = &p->rules[p->n_rules++];
		snprintf(path, sizeof(path), "rules[%zu]", i);
		if (!json_is_object(r))
			return bf_jr_fail(jr, path, "must be an object");
		if ((rc = bf_jr_keys(jr, r, path, rule_keys)) != 0 ||
		    (rc = bf_jr_str(jr, r, "exporter", path, rule->exporter_id, sizeof(rule->exporter_id), false)) !=
		        0 ||
		    (rc = bf_jr_str(jr, r, "commodity", path, rule->hs_code, sizeof(rule->hs_code), false)) != 0 ||
		    (rc = bf_jr_int(jr, r, "refused_within_days", path, 1, 3650, &rule->refused_within_days, false)) !=
		        0 ||
		    (rc = bf_jr_str(jr, r, "lane", path, lane, sizeof(lane), true)) != 0 ||
		    (rc = bf_jr_str(jr, r, "reason", path, rule->reason, sizeof(rule->reason), false)) != 0)
			return rc;
		if (bf_lane_parse(lane, &rule->lane)) {
			char field[48];
			snprintf(field, sizeof(field), "%s.lane", path);
			return bf_jr_fail(jr, field, "must be green, yellow or red");
		}
		for (const char *c = rule->hs_code; *c; c++)
			if (*c < '0' || *c > '9') {
				char field[48];
				snprintf(field, sizeof(field), "%s.commodity", path);
				return bf_jr_fail(jr, field, "must be an HS code or its first digits");
			}
	}
	return bf_risk_profile_validate(p, jr->err);
}

/* The profile COUNTRY configured, or the defaults; *CONFIGURED tells. */
static int profile_load(struct bf_store *s, const char *country, struct bf_risk_profile *p, bool *configured,
                        struct bf_error *err)
{
	char *text;
	int rc = bf_store_risk_profile_get(s, country, &text, err);
	bf_risk_profile_default(p, country);
	*configured = false;
	if (rc == BF_ENOTFOUND)
		return BF_OK;
	if (rc)
		return rc;
	json_t *body = json_loads(text, 0, NULL);
	free(text);
	struct bf_jr jr = {.err = err};
	p->n_rules = 0;
	rc = body ? profile_read(&jr, body, p) : bf_error_set(err, BF_ESTORE, "", "a stored risk profile is not JSON");
	json_decref(body);
	*configured = rc == BF_OK;
	return rc;
}

int bf_service_risk_profile(struct bf_service *svc, const char *country, json_t **out, struct bf_error *err)
{
	struct bf_risk_profile p;
	bool configured;
	*out = NULL;
	if (!bf_country_code_valid(country))
		return bf_error_set(err, BF_EINVAL, "country", "\"%s\" is not an ISO 3166-1 alpha-2 code such as VN",
		                    country);
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = profile_load(s, country, &p, &configured, err);
	bf_store_pool_release(svc->pool, s);
	if (rc == 0)
		*out = profile_json(&p, configured);
	return rc;
}

int bf_service_risk_profile_put(struct bf_service *svc, const struct bf_party *actor, const char *country, json_t *body,
                                json_t **out, struct bf_error *err)
{
	struct bf_risk_profile p;
	struct bf_jr jr = {.err = err};
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	*out = NULL;
	if (actor->role != BF_ROLE_EXPORT_AUTHORITY && actor->role != BF_ROLE_IMPORT_AUTHORITY)
		return bf_error_set(err, BF_EFORBIDDEN, "role", "only a border authority sets a risk profile");
	if (strcmp(actor->country, country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "country", "an authority of %s may not set %s's risk profile",
		                    actor->country, country);
	bf_risk_profile_default(&p, country);
	p.n_rules = 0;
	int rc = profile_read(&jr, body, &p);
	if (rc)
		return rc;
	json_t *doc = profile_json(&p, true);
	json_object_del(doc, "configured");
	json_object_del(doc, "country");
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	bf_time now = bf_svc_now(svc);
	snprintf(subject, sizeof(subject), "risk-profile/%s", country);
	if ((rc = bf_store_begin(s, err)) == 0) {
		if ((rc = bf_store_risk_profile_put(s, country, text, actor->id, now, err)) != 0 ||
		    (rc = bf_svc_event(s, actor, "risk_profile.updated", subject, json_incref(doc), now, err)) != 0)
			bf_store_rollback(s);
		else
			rc = bf_store_commit(s, err);
	}
	bf_store_pool_release(svc->writers, s);
	free(text);
	json_decref(doc);
	if (rc == 0)
		*out = profile_json(&p, true);
	return rc;
}

/* ---- routing at check-in ---- */

/* Two uniforms on [0, 1) from the consignment and the side. */
static void draws(const char *id, const char *side, double *u_red, double *u_share)
{
	unsigned char h[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, (const unsigned char *)"borderflow-lane", 15, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)id, strlen(id));
	crypto_generichash_update(&st, (const unsigned char *)"/", 1);
	crypto_generichash_update(&st, (const unsigned char *)side, strlen(side));
	crypto_generichash_final(&st, h, sizeof(h));
	uint64_t a = 0, b = 0;
	for (int i = 0; i < 8; i++) {
		a = a << 8 | h[i];
		b = b << 8 | h[8 + i];
	}
	*u_red = (double)(a >> 11) / 9007199254740992.0;
	*u_share = (double)(b >> 11) / 9007199254740992.0;
}

int bf_svc_route(struct bf_store *s, const struct bf_consignment *c, bf_time now, struct bf_control out[2],
                 struct bf_error *err)
{
	struct bf_exporter e;
	bf_time refused;
	int rc;
	if ((rc = bf_store_exporter_get(s, c->exporter_id, &e, err)) != 0 ||
	    (rc = bf_store_last_refusal(s, c->exporter_id, &refused, err)) != 0)
		return rc;
	struct bf_risk_facts facts = {c->exporter_id, c->hs_code, refused ? (int)((now - refused) / 86400) : -1};
	static const char *const sides[2] = {"export", "import"};
	const char *countries[2] = {e.country, c->destination};
	json_t *payload = json_object();
	json_object_set_new(payload, "consignment", json_string(c->id));
	for (int k = 0; k < 2; k++) {
		struct bf_risk_profile p;
		bool configured;
		double u_red, u_share;
		struct bf_control *ctl = &out[k];
		if ((rc = profile_load(s, countries[k], &p, &configured, err)) != 0) {
			json_decref(payload);
			return rc;
		}
		draws(c->id, sides[k], &u_red, &u_share);
		memset(ctl, 0, sizeof(*ctl));
		enum bf_lane lane = bf_risk_route(&p, &facts, u_red, u_share, ctl->reason, sizeof(ctl->reason));
		bf_strlcpy(ctl->side, sides[k], sizeof(ctl->side));
		bf_strlcpy(ctl->country, countries[k], sizeof(ctl->country));
		bf_strlcpy(ctl->lane, bf_lane_name(lane), sizeof(ctl->lane));
		ctl->minutes = p.minutes[lane];
		ctl->at = now;
		if ((rc = bf_store_control_put(s, c->id, ctl, err)) != 0) {
			json_decref(payload);
			return rc;
		}
		json_object_set_new(payload, sides[k],
		                    json_pack("{s:s,s:s,s:f,s:s}", "country", ctl->country, "lane", ctl->lane,
		                              "minutes", ctl->minutes, "reason", ctl->reason));
	}
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	snprintf(subject, sizeof(subject), "consignment/%s", c->id);
	return bf_svc_event(s, &bf_service_node_operator, "consignment.routed", subject, payload, now, err);
}

/* ---- decisions ---- */

/* The gate and slot consignment C is booked in: its booking on this node,
 * or on the node of the side that booked it, the last booking event of
 * its history (bookings are each side's own; the history is shared). */
static int booked_at(struct bf_store *s, const struct bf_consignment *c, struct bf_booking *b, struct bf_error *err)
{
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	struct bf_event *v;
	size_t n;
	int rc = bf_store_booking_get(s, c->id, b, err);
	if (rc != BF_ENOTFOUND)
		return rc;
	snprintf(subject, sizeof(subject), "consignment/%s", c->id);
	if ((rc = bf_store_events_about(s, subject, &v, &n, err)) != 0)
		return rc;
	rc = BF_ENOTFOUND;
	for (size_t i = n; i-- > 0 && rc == BF_ENOTFOUND;) {
		json_t *p = json_loads(v[i].payload, 0, NULL);
		const char *gate = json_string_value(json_object_get(p, "gate")),
		           *dir = json_string_value(json_object_get(p, "direction")),
		           *slot = json_string_value(json_object_get(p, "slot_start"));
		if (gate && dir && slot && bf_direction_parse(dir, &b->direction) == 0 &&
		    bf_time_parse(slot, &b->slot_start) == 0 && bf_strlcpy(b->gate_id, gate, sizeof(b->gate_id)) == 0)
			rc = BF_OK;
		json_decref(p);
	}
	bf_store_events_free(v, n);
	if (rc == BF_ENOTFOUND)
		return bf_error_set(err, BF_ECONFLICT, "id",
		                    "consignment %s has no booking: no gate's hours can be read", c->id);
	return rc;
}

/* The rule of time at decision TO on C: the step's side open, or a
 * crossing window of its gate. */
static int decision_time(struct bf_service *svc, struct bf_store *s, const struct bf_consignment *c, enum bf_state to,
                         bf_time now, const struct bf_override *ov, json_t **overridden,
                         struct bf_step_refusal *refusal, struct bf_error *err)
{
	int step = bf_window_step_of(to);
	struct bf_booking b;
	struct bf_gate_pair g;
	*overridden = NULL;
	if (step < 0)
		return BF_OK;
	int rc = booked_at(s, c, &b, err);
	if (rc == 0 && (rc = bf_store_gate_get(s, b.gate_id, &g, err)) == 0) {
		struct bf_window_load load = {b.direction, b.slot_start, g.mode == BF_MODE_RAIL && g.n_trains > 0};
		rc = bf_svc_step_time(svc, &g, step, &load, now, ov, overridden, refusal, err);
		bf_gate_pair_clear(&g);
	}
	return rc;
}

/* A gate operator decides on consignment C only at the gate it crosses
 * at (bf_party_check_gate): BF_EFORBIDDEN naming "gate" otherwise. A
 * load with no booking known here is a national operator's only. */
static int check_operator(struct bf_store *s, const struct bf_party *actor, const struct bf_consignment *c,
                          struct bf_error *err)
{
	struct bf_booking b;
	struct bf_gate_pair g;
	int rc = booked_at(s, c, &b, err);
	if (rc == BF_ECONFLICT)
		return actor->n_gates == 0
		           ? BF_OK
		           : bf_error_set(err, BF_EFORBIDDEN, "gate",
		                          "the gate consignment %s crosses at is not known here", c->id);
	if (rc || (rc = bf_store_gate_get(s, b.gate_id, &g, err)) != 0)
		return rc;
	rc = bf_party_check_gate(actor, &g, "gate", err);
	bf_gate_pair_clear(&g);
	return rc;
}

int bf_service_decide(struct bf_service *svc, const struct bf_party *actor, const char *id, const struct bf_decision *d,
                      struct bf_consignment *out, struct bf_control controls[2], int *n_controls,
                      struct bf_step_refusal *refusal, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	struct bf_consignment c;
	struct bf_exporter e;
	json_t *overridden = NULL;
	bf_time now = bf_svc_now(svc);
	int rc = bf_store_begin(s, err);
	*n_controls = 0;
	if (refusal)
		memset(refusal, 0, sizeof(*refusal));
	if (rc)
		goto done;
	if ((rc = bf_store_consignment_get(s, id, &c, err)) != 0 ||
	    (rc = bf_transition_check(c.state, d->to, actor->role, err)) != 0)
		goto fail;
	if ((rc = bf_store_exporter_get(s, c.exporter_id, &e, err)) != 0)
		goto fail;
	/* Where two nodes share the history, the side the goods are on
	 * decides: the other node has it as history only. */
	if (!bf_svc_owns(svc, c.state, e.country, c.destination)) {
		rc = bf_error_set(err, BF_ECONFLICT, "id",
		                  "consignment %s is %s now: the other side's node decides on it", c.id,
		                  bf_state_name(c.state));
		goto fail;
	}
	/* Each side decides for itself: an authority acts for its country. */
	if (actor->role == BF_ROLE_EXPORT_AUTHORITY) {
		if (strcmp(actor->country, e.country) != 0) {
			rc = bf_error_set(err, BF_EFORBIDDEN, "role", "the export decision is %s's, not %s's",
			                  e.country, actor->country);
			goto fail;
		}
	} else if (actor->role == BF_ROLE_IMPORT_AUTHORITY && strcmp(actor->country, c.destination) != 0) {
		rc = bf_error_set(err, BF_EFORBIDDEN, "role", "the import decision is %s's, not %s's", c.destination,
		                  actor->country);
		goto fail;
	} else if (actor->role == BF_ROLE_GATE_OPERATOR && (rc = check_operator(s, actor, &c, err)) != 0) {
		goto fail;
	}
	if ((d->to == BF_ST_HELD || d->to == BF_ST_REFUSED) && d->n_reasons == 0) {
		rc = bf_error_set(err, BF_EINVAL, "reasons", "a %s names its reasons", bf_state_name(d->to));
		goto fail;
	}
	if ((rc = decision_time(svc, s, &c, d->to, now, &d->override, &overridden, refusal, err)) != 0)
		goto fail;
	json_t *reasons = json_array();
	for (int i = 0; i < d->n_reasons; i++)
		json_array_append_new(reasons, json_string(d->reasons[i]));
	json_t *payload = json_pack("{s:s,s:s,s:s,s:o,s:s}", "consignment", c.id, "from", bf_state_name(c.state), "to",
	                            bf_state_name(d->to), "reasons", reasons, "note", d->note);
	if (overridden)
		json_object_set_new(payload, "override", overridden);
	overridden = NULL;
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	snprintf(subject, sizeof(subject), "consignment/%s", c.id);
	if ((rc = bf_store_consignment_state(s, c.id, d->to, now, err)) != 0 ||
	    (d->to == BF_ST_REFUSED && (rc = bf_store_refusal_put(s, c.id, c.exporter_id, now, err)) != 0)) {
		json_decref(payload);
		goto fail;
	}
	char kind[BF_EVENT_KIND_MAX + 1];
	snprintf(kind, sizeof(kind), "consignment.%s", bf_state_name(d->to));
	if ((rc = bf_svc_event(s, actor, kind, subject, payload, now, err)) != 0 ||
	    (rc = bf_store_consignment_get(s, c.id, out, err)) != 0 ||
	    (rc = bf_store_controls_get(s, c.id, controls, n_controls, err)) != 0)
		goto fail;
	rc = bf_store_commit(s, err);
	goto done;
fail:
	bf_store_rollback(s);
	json_decref(overridden);
done:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_controls(struct bf_service *svc, const char *id, struct bf_control out[2], int *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_controls_get(s, id, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_risk_profile_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err)
{
	static const char prefix[] = "risk-profile/";
	const char *country = e->subject + strlen(prefix);
	if (strncmp(e->subject, prefix, strlen(prefix)) != 0 || strlen(country) != 2)
		return bf_error_set(err, BF_EINVAL, "subject", "%s is not a country's risk profile", e->subject);
	/* The payload is the profile as the peer stored it, in the same
	 * encoding. */
	struct bf_risk_profile p;
	struct bf_jr jr = {.err = err};
	json_t *doc = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
	bf_risk_profile_default(&p, country);
	p.n_rules = 0;
	int rc = json_is_object(doc) ? profile_read(&jr, doc, &p)
	                             : bf_error_set(err, BF_EINVAL, "payload", "the risk profile cannot be read");
	json_decref(doc);
	if (rc)
		return rc;
	return bf_store_risk_profile_put(s, country, e->payload, e->party_id, e->at, err);
}
