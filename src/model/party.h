/* Parties: the organisations that act in borderflow (a side's customs or
 * quarantine service, a gate's operator, a carrier company, a registry
 * authority, an auditor), each with one role and the country it acts for. */
#ifndef BF_MODEL_PARTY_H
#define BF_MODEL_PARTY_H

#include "model/error.h"
#include "model/gate.h"
#include "model/lifecycle.h"
#include "model/time.h"

#define BF_PARTY_ID_MAX 40

/* The gates a gate operator may be assigned to. */
#define BF_PARTY_GATES_MAX 8

struct bf_party {
	char id[BF_PARTY_ID_MAX + 1];
	char name[128];
	enum bf_role role;
	char country[3];
	/* A gate operator acts at these gate pairs only; assigned none, at
	 * every pair with a side in its country, as a national authority
	 * would. Every other role has none. */
	int n_gates;
	char gates[BF_PARTY_GATES_MAX][BF_GATE_ID_MAX + 1];
};

/* Checks id (1..40 of a-z, 0-9, '-', '.', '_'), name, role (not
 * "system", which no token may carry), country, and the gates: only a
 * gate operator's, none twice, at most BF_PARTY_GATES_MAX. */
int bf_party_validate(const struct bf_party *p, struct bf_error *err);

/* P's gates as "huu-nghi, tan-thanh" into BUF of CAP bytes (cut short
 * if it must be); BF_PARTY_GATE_LIST bytes hold any. */
#define BF_PARTY_GATE_LIST (BF_PARTY_GATES_MAX * (BF_GATE_ID_MAX + 2))
void bf_party_gate_list(const struct bf_party *p, char *buf, size_t cap);

/* Whether P is assigned exactly the gates of Q, in any order. */
bool bf_party_same_gates(const struct bf_party *p, const struct bf_party *q);

/* Whether P may act at gate pair G: a gate operator only at a pair with a
 * side in its country and, when it is assigned gates, only at one of
 * them. BF_EFORBIDDEN naming FIELD (the gate's) otherwise. Other roles
 * pass: their own rules say where they act. */
int bf_party_check_gate(const struct bf_party *p, const struct bf_gate_pair *g, const char *field,
                        struct bf_error *err);

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

/* What the store keeps with a party's Idempotency-Key besides the answer:
 * the request it was first used on ("POST /v1/...", its path's ids
 * included) and the answer's Location. */
#define BF_KEPT_REQUEST_MAX  1023
#define BF_KEPT_LOCATION_MAX 127

#endif
