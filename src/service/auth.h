/* Parties and bearer tokens (service/auth.c): tokens issued, revoked and
 * listed, and the party behind a token. */
#ifndef BF_SERVICE_AUTH_H
#define BF_SERVICE_AUTH_H

#include "service/service.h"

/* "bf_" + 12-character id + "_" + 43-character secret. */
#define BF_TOKEN_TEXT 64
/* Issues a bearer token to party P->id, creating the party (P's name,
 * role, country and, for a gate operator, the gates it is assigned to,
 * each a known pair with a side in its country) if it is new. A known
 * party must have P's role, country and gates (BF_ECONFLICT otherwise). TOKEN gets the token, shown this once; only its
 * hash is stored. ID gets the token's public id, for revoking it. */
int bf_service_token_new(struct bf_service *svc, const struct bf_party *p, char token[BF_TOKEN_TEXT],
                         char id[BF_TOKEN_ID_MAX + 1], struct bf_error *err);
int bf_service_token_revoke(struct bf_service *svc, const char *id, struct bf_error *err);
/* All tokens (never their secrets); free with free(). */
int bf_service_tokens(struct bf_service *svc, struct bf_token_info **out, size_t *n, struct bf_error *err);
/* The party with ID. */
int bf_service_party(struct bf_service *svc, const char *id, struct bf_party *out, struct bf_error *err);
/* The party holding TOKEN; BF_EAUTH for a malformed, unknown or revoked one. */
int bf_service_authenticate(struct bf_service *svc, const char *token, struct bf_party *out, struct bf_error *err);
/* The same, where the caller has just read the store's revision
 * (bf_service_revision): the answer is remembered with REVISION and given
 * again, without a query, while the revision read is the same. */
int bf_service_authenticate_at(struct bf_service *svc, const char *token, int64_t revision, struct bf_party *out,
                               struct bf_error *err);

#endif
