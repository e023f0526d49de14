/* Decisions of the two sides on a consignment, and control lanes by each
 * side's risk profile (service/control.c). */
#ifndef BF_SERVICE_CONTROL_H
#define BF_SERVICE_CONTROL_H

#include "model/risk.h"
#include "service/service.h"

#include <jansson.h>

#define BF_DECISION_MAX_REASONS 8

struct bf_decision {
	enum bf_state to; /* export_cleared, held, inspection, import_cleared, refused, returned, crossed */
	int n_reasons;
	char reasons[BF_DECISION_MAX_REASONS][200];
	char note[400];
	struct bf_override override; /* a stated reason to set aside the rule of time */
};

/* Moves consignment ID to D->to as ACTOR: allowed to its role from the
 * consignment's state only (BF_ECONFLICT otherwise, BF_EFORBIDDEN for
 * another role or another country's authority); a hold or a refusal needs
 * reasons. Each side decides only while it is open, and the crossing
 * (or a return) is recorded only in a crossing window of the gate the
 * load is booked at (plan/window.h): otherwise BF_ECONFLICT on "time" with
 * *REFUSAL (if not NULL) naming the next window, unless D->override states
 * a reason, signed into the decision's event. *OUT and CONTROLS get the
 * consignment after. */
int bf_service_decide(struct bf_service *svc, const struct bf_party *actor, const char *id, const struct bf_decision *d,
                      struct bf_consignment *out, struct bf_control controls[2], int *n_controls,
                      struct bf_step_refusal *refusal, struct bf_error *err);

/* The control lanes of consignment ID (none before it checks in). */
int bf_service_controls(struct bf_service *svc, const char *id, struct bf_control out[2], int *n, struct bf_error *err);

/* COUNTRY's risk profile as JSON, its defaults when it configured none
 * ("configured": false). */
int bf_service_risk_profile(struct bf_service *svc, const char *country, json_t **out, struct bf_error *err);
/* Replaces COUNTRY's profile: by an export or import authority of COUNTRY. */
int bf_service_risk_profile_put(struct bf_service *svc, const struct bf_party *actor, const char *country, json_t *body,
                                json_t **out, struct bf_error *err);

/* Routes consignment C at check-in, inside the caller's transaction: both
 * sides' lanes stored, and one event, signed by the node (the lanes are
 * the sides' risk rules applied, not the carrier's statement). */
int bf_svc_route(struct bf_store *s, const struct bf_consignment *c, bf_time now, struct bf_control out[2],
                 struct bf_error *err);

/* The effect here of risk_profile.updated E of the peer's chain, within
 * the caller's transaction: the profile it carries, so that each side's
 * lane is routed by its own rules on both nodes. */
int bf_service_risk_profile_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err);

#endif
