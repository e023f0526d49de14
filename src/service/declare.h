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
	/* The first answer to a repeated idempotent request: the caller sends
	 * it as it is. NULL otherwise; owned by the declaration. */
	char *replayed_body;
	int replayed_status;
};
void bf_declaration_free(struct bf_declaration *d);

/* An Idempotency-Key and what it guards. RENDER writes the answer to
 * store with the key (the caller's JSON for the new consignment, malloc'd). */
struct bf_idempotency {
	const char *key;
	unsigned char request_hash[BF_TOKEN_HASH_BYTES];
	char *(*render)(const struct bf_consignment *c, void *cls);
	void *cls;
};

/* Declares C (shape already checked) for ACTOR, a carrier. Checks every
 * rule of the official channel against the registry: on success stores it
 * as validated, with its events, and fills OUT->consignment; otherwise
 * stores nothing and returns BF_EREJECTED with every broken rule in OUT.
 * With IDEM, a repeat of the same request returns the first answer
 * (OUT->replayed_body) and creates nothing; the same key on another
 * request is BF_ECONFLICT. */
int bf_service_declare(struct bf_service *svc, const struct bf_party *actor, const struct bf_consignment *c,
                       const struct bf_idempotency *idem, struct bf_declaration *out, struct bf_error *err);

/* One consignment, if ACTOR may see it: a carrier sees only its own
 * (BF_EFORBIDDEN otherwise). */
int bf_service_consignment(struct bf_service *svc, const struct bf_party *actor, const char *id,
                           struct bf_consignment *out, struct bf_error *err);
/* A page of consignments; a carrier's filter is narrowed to its own. */
int bf_service_consignments(struct bf_service *svc, const struct bf_party *actor, struct bf_consignment_filter *f,
                            struct bf_consignment **out, size_t *n, int64_t *next, struct bf_error *err);

#endif
