/* Writes under an Idempotency-Key (api/idempotency.c): which routes the
 * key guards, and the answer given, kept or given again. */
#ifndef BF_API_IDEMPOTENCY_H
#define BF_API_IDEMPOTENCY_H

#include "api/routes.h"

#include <stdbool.h>

/* Whether ROUTE honours an Idempotency-Key: every route that changes
 * something and needs a token, unless the table marks it unkeyed. */
bool bf_idempotency_guards(const struct bf_route *route);

/* Answers CALL on ROUTE, whose decoded path is PATH, into R. Without an
 * Idempotency-Key, as the handler does. With one: 400 if it is not 1 to
 * 128 visible ASCII characters; the first answer again, with
 * Idempotent-Replayed: true, to a retry of the same request (method, path
 * and body) by the same party; 409 naming the key if that party used it on
 * another request; otherwise the handler's answer, kept with the key when
 * it is a success (2xx), in the transaction of the writes it answers. */
void bf_idempotency_answer(struct bf_call *call, const struct bf_route *route, const char *path, struct bf_reply *r);

#endif
