/* The route table of the HTTP API (api/routes.c); the call and the reply
 * its handlers take are in api/call.h. */
#ifndef BF_API_ROUTES_H
#define BF_API_ROUTES_H

#include "api/call.h"

#include <stdbool.h>
#include <stddef.h>

/* Role bits of a route: (1u << enum bf_role). 0 makes a public route. */
#define BF_ROLES_ALL   (((1u << BF_ROLE_COUNT) - 1) & ~(1u << BF_ROLE_SYSTEM))
#define BF_ROLE_BIT(r) (1u << (r))

/* A 200 answer may be kept and given again (api/cache.h). */
#define BF_ROUTE_KEPT    1u
/* A write the Idempotency-Key does not guard (api/idempotency.h). */
#define BF_ROUTE_UNKEYED 2u

struct bf_route {
	const char *method;
	const char *pattern;      /* "/v1/gates/{id}" */
	const char *const *query; /* query parameters it takes, NULL-terminated; NULL: none */
	unsigned roles;           /* who may call it; 0: anyone, without a token */
	void (*handler)(struct bf_call *call, struct bf_reply *r);
	unsigned flags; /* BF_ROUTE_KEPT, BF_ROUTE_UNKEYED */
};

/* The route for METHOD and PATH, filling CALL's path parameters; NULL if
 * none. *PATH_KNOWN tells whether some route has that path, and ALLOW then
 * lists its methods, for a 405. */
const struct bf_route *bf_route_find(const char *method, const char *path, struct bf_call *call, bool *path_known,
                                     char *allow, size_t allow_cap);

/* The route table, for the figures kept by route. */
const struct bf_route *bf_routes(size_t *n);

#endif
