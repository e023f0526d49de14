/* Declarations through the official channel (service/declare.c):
 * every rule checked against the registry at once; and the reading of
 * consignments, as each party may see them. */
#ifndef BF_SERVICE_DECLARE_H
#define BF_SERVICE_DECLARE_H

#include "service/service.h"

struct bf_violation {
	char field[64];
	char code[32]; /* not_registered, suspended, not_approved, ... */
	char message[256];
	char notice[BF_NOTICE_ID_MAX + 1]; /* a code suspended after a notice: its id; "" otherwise */
};

#define BF_MAX_VIOLATIONS 32
struct bf_declaration {
	struct bf_consignment consignment; /* as stored, when accepted */
	int n_violations;                  /* rules broken, when rejected */
	struct bf_violation violations[BF_MAX_VIOLATIONS];
};

/* Declares C (shape already checked) for ACTOR, a carrier. Checks every
 * rule of the official channel against the registry: on success stores it
 * as validated, with its events, and fills OUT->consignment; otherwise
 * stores nothing and returns BF_EREJECTED with every broken rule in OUT.
 * (An Idempotency-Key guards it as every write: service/idempotency.h.) */
int bf_service_declare(struct bf_service *svc, const struct bf_party *actor, const struct bf_consignment *c,
                       struct bf_declaration *out, struct bf_error *err);

/* One consignment, if ACTOR may see it: a carrier sees only its own
 * (BF_EFORBIDDEN otherwise). */
int bf_service_consignment(struct bf_service *svc, const struct bf_party *actor, const char *id,
                           struct bf_consignment *out, struct bf_error *err);
/* A page of consignments; a carrier's filter is narrowed to its own. */
int bf_service_consignments(struct bf_service *svc, const struct bf_party *actor, struct bf_consignment_filter *f,
                            struct bf_consignment **out, size_t *n, int64_t *next, struct bf_error *err);

#endif
