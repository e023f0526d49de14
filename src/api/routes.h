/* The route table of the HTTP API and the small interface its handlers
 * use: the call (path parameters, query, body) and the reply. */
#ifndef BF_API_ROUTES_H
#define BF_API_ROUTES_H

#include "service/service.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define BF_MAX_PATH_PARAMS 4

struct bf_call {
	struct bf_service *svc;
	struct bf_party actor; /* who called, on routes that need a token */
	void *conn;
	const char *(*query)(void *conn, const char *name); /* NULL when absent */
	const char *body;                                   /* NUL-terminated; NULL when none */
	size_t body_len;
	int n_params;
	char params[BF_MAX_PATH_PARAMS][128]; /* the {x} segments of the path, decoded */
	struct bf_metrics *metrics;           /* the server's request figures (api/metrics.h) */
};

struct bf_reply {
	int status;
	json_t *body;    /* owned by the reply */
	const char *raw; /* static bytes sent as they are, when not NULL */
	size_t raw_len;
	char *text; /* malloc'd bytes sent as they are, freed by the server; or NULL */
	size_t text_len;
	const char *content_type; /* of RAW or TEXT; NULL: JSON */
	char allow[64];           /* Allow header of a 405 */
	char www_authenticate[96];
	char location[128];        /* Location header of a 201 */
	char idempotent_replay[8]; /* "true" when the answer is a stored first answer */
};

void bf_reply_json(struct bf_reply *r, int status, json_t *body);
void bf_reply_error(struct bf_reply *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A request header's value, or NULL. */
const char *bf_call_header(struct bf_call *call, const char *name);
/* Parses the body as a JSON object; on failure replies 400 and returns
 * NULL. Duplicate keys, invalid UTF-8 and NUL escapes are refused. */
json_t *bf_call_json_body(struct bf_call *call, struct bf_reply *r);

/* Reads the paging query parameters "limit" (1 to 500; *LIMIT left alone
 * when absent) and "cursor" (the next_cursor of a previous page, at least
 * MIN_CURSOR; *AFTER left alone when absent). On a bad value replies 400
 * naming it and returns false. */
bool bf_call_paging(struct bf_call *call, struct bf_reply *r, int *limit, int64_t *after, long long min_cursor);

/* Maps a service error to its HTTP status and body. */
void bf_reply_failure(struct bf_reply *r, const struct bf_error *err);

/* Role bits of a route: (1u << enum bf_role). 0 makes a public route. */
#define BF_ROLES_ALL   (((1u << BF_ROLE_COUNT) - 1) & ~(1u << BF_ROLE_SYSTEM))
#define BF_ROLE_BIT(r) (1u << (r))

struct bf_route {
	const char *method;
	const char *pattern;      /* "/v1/gates/{id}" */
	const char *const *query; /* query parameters it takes, NULL-terminated; NULL: none */
	unsigned roles;           /* who may call it; 0: anyone, without a token */
	void (*handler)(struct bf_call *call, struct bf_reply *r);
	bool kept; /* a 200 answer may be kept and given again (api/cache.h) */
};

/* The route for METHOD and PATH, filling CALL's path parameters; NULL if
 * none. *PATH_KNOWN tells whether some route has that path, and ALLOW then
 * lists its methods, for a 405. */
const struct bf_route *bf_route_find(const char *method, const char *path, struct bf_call *call, bool *path_known,
                                     char *allow, size_t allow_cap);

/* The route table, for the figures kept by route. */
const struct bf_route *bf_routes(size_t *n);

#endif
