/* Parties: the organisations that act in borderflow (a side's customs or
 * quarantine service, a gate's operator, a carrier company, a registry
 * authority, an auditor), each with one role and the country it acts for. */
#ifndef BF_MODEL_PARTY_H
#define BF_MODEL_PARTY_H

#include "model/error.h"
#include "model/lifecycle.h"
#include "model/time.h"

#define BF_PARTY_ID_MAX 40

struct bf_party {
	char id[BF_PARTY_ID_MAX + 1];
	char name[128];
	enum bf_role role;
	char country[3];
};

/* Checks id (1..40 of a-z, 0-9, '-', '.', '_'), name, role (not
 * "system", which no token may carry) and country. */
int bf_party_validate(const struct bf_party *p, struct bf_error *err);

/* Bearer tokens, kept by the store only as a hash: what a list shows. */
#define BF_TOKEN_HASH_BYTES 32
#define BF_TOKEN_ID_MAX     16
struct bf_token_info {
	char id[BF_TOKEN_ID_MAX + 1];
	char party_id[BF_PARTY_ID_MAX + 1];
	enum bf_role role;
	bf_time created_at;
	bf_time revoked_at; /* 0 while in force */
};

#endif
