/* The two sides' decisions on a consignment, and their risk profiles. */
#include "api/handlers.h"
#include "service/control.h"
#include "codec/jsonread.h"
#include "codec/consignment.h"

#include <string.h>

void bf_h_decide(struct bf_call *c, struct bf_reply *r)
{
	static const char *const keys[] = {"decision", "reasons", "note", "override", NULL};
	static const enum bf_state decisions[] = {BF_ST_EXPORT_CLEARED, BF_ST_HELD,    BF_ST_INSPECTION,
	                                          BF_ST_IMPORT_CLEARED, BF_ST_REFUSED, BF_ST_RETURNED,
	                                          BF_ST_CROSSED};
	struct bf_error err = {0};
	struct bf_jr jr = {.err = &err};
	struct bf_decision d = {0};
	struct bf_consignment cs;
	struct bf_control ctl[2];
	struct bf_step_refusal refusal = {0};
	char what[24];
	json_t *reasons, *v;
	size_t i;
	int n, rc;
	json_t *body = bf_call_json_body(c, r);
	if (body == NULL)
		return;
	if ((rc = bf_jr_keys(&jr, body, "", keys)) != 0 ||
	    (rc = bf_jr_str(&jr, body, "decision", "", what, sizeof(what), true)) != 0 ||
	    (rc = bf_jr_array(&jr, body, "reasons", "", &reasons, false)) != 0 ||
	    (rc = bf_jr_str(&jr, body, "note", "", d.note, sizeof(d.note), false)) != 0 ||
	    (rc = bf_call_override(&jr, body, &d.override)) != 0)
		goto bad;
	d.to = BF_ST_COUNT;
	for (size_t k = 0; k < sizeof(decisions) / sizeof(decisions[0]); k++)
		if (strcmp(what, bf_state_name(decisions[k])) == 0)
			d.to = decisions[k];
	if (d.to == BF_ST_COUNT) {
		rc = bf_jr_fail(
		    &jr, "decision",
		    "must be export_cleared, held, inspection, import_cleared, refused, returned or crossed");
		goto bad;
	}
	if (json_array_size(reasons) > BF_DECISION_MAX_REASONS) {
		rc = bf_jr_fail(&jr, "reasons", "at most %d reasons", BF_DECISION_MAX_REASONS);
		goto bad;
	}
	json_array_foreach (reasons, i, v) {
		char field[24];
		snprintf(field, sizeof(field), "reasons[%zu]", i);
		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= sizeof(d.reasons[0])) {
			rc = bf_jr_fail(&jr, field, "must be a text of 1 to %zu bytes", sizeof(d.reasons[0]) - 1);
			goto bad;
		}
		bf_strlcpy(d.reasons[d.n_reasons++], json_string_value(v), sizeof(d.reasons[0]));
	}
	json_decref(body);
	body = NULL;
	if ((rc = bf_service_decide(c->svc, &c->actor, c->params[0], &d, &cs, ctl, &n, &refusal, &err)) != 0)
		goto bad;
	json_t *o = bf_consignment_json(&cs);
	json_object_set_new(o, "controls", bf_consignment_controls_json(ctl, n));
	bf_reply_json(r, 200, o);
	return;
bad:
	json_decref(body);
	bf_reply_step_failure(r, &err, &refusal);
}

void bf_h_risk_profile(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	json_t *doc;
	if (bf_service_risk_profile(c->svc, c->params[0], &doc, &err) != 0)
		bf_reply_failure(r, &err);
	else
		bf_reply_json(r, 200, doc);
}

void bf_h_risk_profile_put(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	json_t *doc;
	json_t *body = bf_call_json_body(c, r);
	if (body == NULL)
		return;
	int rc = bf_service_risk_profile_put(c->svc, &c->actor, c->params[0], body, &doc, &err);
	json_decref(body);
	if (rc != 0)
		bf_reply_failure(r, &err);
	else
		bf_reply_json(r, 200, doc);
}
