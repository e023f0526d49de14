/* Notices on the shared history (service/notice.c): either side posts a
 * non-compliance found at inspection, a gate disruption or a change of
 * rules; the other side acknowledges it; a non-compliance's codes are
 * suspended in one step by the registry authority that issued them, and
 * declarations naming them are then rejected with the notice as the
 * reason.
 *
 * Events, each with subject "notice/<id>":
 *   notice.posted        payload: the whole notice as bf_notice_payload_json() (codec/notice.h)
 *                        writes it: {"id", "kind", "text", "names"?,
 *                        "gate"?, "consignment"?, "posted_by", "role",
 *                        "country", "posted_at"}
 *   notice.acknowledged  payload: {"notice", "by", "country", "at", "note"}
 *   registry.<kind>.suspended, one a code, as the registry writes them,
 *                        with "notice": the notice's id in the payload.
 * Who: an export or import authority, a gate operator or a registry
 * authority posts and acknowledges (a party of another country than the
 * poster's, once a country); the registry authority of the country that
 * issued a code suspends it; every role reads. */
#ifndef BF_SERVICE_NOTICE_H
#define BF_SERVICE_NOTICE_H

#include "model/notice.h"
#include "service/service.h"

#include <jansson.h>

/* Posts notice IN (kind, text, names, gate, consignment) as ACTOR: every
 * code named must be registered, the gate and the consignment must exist
 * (BF_EINVAL naming the field otherwise, and nothing is written). *OUT
 * gets the notice as stored, with its id. One event, notice.posted. */
int bf_service_notice_post(struct bf_service *svc, const struct bf_party *actor, const struct bf_notice *in,
                           struct bf_notice *out, struct bf_error *err);
/* Notice ID with its acknowledgements. */
int bf_service_notice_get(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_notice *out,
                          struct bf_error *err);
/* A page of notices, newest first (store_notice.h); free *OUT with free(). */
int bf_service_notices(struct bf_service *svc, const struct bf_party *actor, const struct bf_notice_filter *f,
                       struct bf_notice **out, size_t *n, int64_t *next, struct bf_error *err);
/* ACTOR's country acknowledges notice ID, with NOTE ("" for none): not the
 * poster's country (BF_EFORBIDDEN), once (BF_ECONFLICT). One event,
 * notice.acknowledged. *OUT gets the notice after. */
int bf_service_notice_acknowledge(struct bf_service *svc, const struct bf_party *actor, const char *id,
                                  const char *note, struct bf_notice *out, struct bf_error *err);

/* What a one-step suspension did to one code the notice names. */
enum bf_suspend_result { BF_SUSPEND_DONE, BF_SUSPEND_ALREADY, BF_SUSPEND_OTHER_COUNTRY };
struct bf_notice_suspension {
	enum bf_registry_kind kind;
	char code[BF_CODE_MAX + 1];
	char country[3]; /* that issued it */
	enum bf_suspend_result result;
};
/* ACTOR, a registry authority, suspends every code non-compliance notice
 * ID names that ACTOR's country issued, in one transaction: one
 * registry.<kind>.suspended event each, naming the notice; a code
 * suspended already stays as it is. ACTOR's country then acknowledges the
 * notice if it is not the poster's and has not yet. BF_ECONFLICT for
 * another kind of notice, BF_EFORBIDDEN when ACTOR's country issued none
 * of its codes. OUT (3 entries) and *N say what became of each code;
 * *NOTICE gets the notice after. */
int bf_service_notice_suspend(struct bf_service *svc, const struct bf_party *actor, const char *id,
                              struct bf_notice *notice, struct bf_notice_suspension out[3], int *n,
                              struct bf_error *err);

/* For the feed between nodes. Materializes foreign event E, of kind
 * notice.posted or notice.acknowledged, already verified and appended by
 * bf_ledger_apply_foreign(), in this node's notice tables, within the
 * caller's transaction, so that this node lists the peer's notices and
 * acknowledgements as its own. Idempotent: an event applied already (the
 * same notice, or the same country's acknowledgement, identical) changes
 * nothing and returns BF_OK. BF_EINVAL for another kind, a payload that is
 * not a notice's (field named), or one that disagrees with the event (its
 * author, role, subject, or a notice id not numbered by the event's
 * origin); BF_ENOTFOUND for an acknowledgement of a notice not here yet
 * (apply the feed in order); BF_ECONFLICT for a notice or acknowledgement
 * here already with other contents. Nothing is written on failure; the
 * caller rolls its transaction back. Whether the peer may post or
 * acknowledge for the country the payload names (its own only) is checked
 * before, by bf_authority_check() (service/authority.h). */
int bf_service_notice_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err);

#endif
