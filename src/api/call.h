/* The small interface every handler of the API uses (api/call.c): the
 * call (who, path parameters, query, headers, body) and the reply. */
#ifndef BF_API_CALL_H
#define BF_API_CALL_H

#include "service/service.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct bf_simrun;
struct bf_sync;

#define BF_MAX_PATH_PARAMS 4

struct bf_call {
	struct bf_service *svc;
	struct bf_party actor; /* who called, on routes that need a token */
	void *conn;
	const char *(*query)(void *conn, const char *name);  /* NULL when absent */
	const char *(*header)(void *conn, const char *name); /* NULL when absent */
	const char *body;                                    /* NUL-terminated; NULL when none */
	size_t body_len;
	int n_params;
	char params[BF_MAX_PATH_PARAMS][128]; /* the {x} segments of the path, decoded */
	struct bf_metrics *metrics;           /* the server's request figures (api/metrics.h) */
	struct bf_simrun *simrun;             /* the simulation runner, or NULL */
	struct bf_sync *sync;                 /* the puller of the peer's chain, or NULL */
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

struct bf_jr;
/* Reads the optional member "override": {"reason": "..."} of BODY into
 * *OUT (an empty reason when absent); a bad one fails JR naming it. */
int bf_call_override(struct bf_jr *jr, json_t *body, struct bf_override *out);
/* The failure ERR, and when REF says the step was refused for the time,
 * the next window in the body: "next_window" with its start and end in
 * UTC and in each side's local time (null when none is ahead). */
void bf_reply_step_failure(struct bf_reply *r, const struct bf_error *err, const struct bf_step_refusal *ref);

#endif
