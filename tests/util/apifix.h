/* A real server on a loopback port for API tests: its own database in a
 * scratch directory, parties with tokens, and requests made as them. */
#ifndef BF_TESTS_APIFIX_H
#define BF_TESTS_APIFIX_H

#include "util/testutil.h"

#include "api/server.h"
#include "service/auth.h"

struct apifix_party {
	const char *id;
	enum bf_role role;
	const char *country;
	char token[BF_TOKEN_TEXT];
};

struct apifix {
	struct bf_service *svc;
	struct bf_simrun *simrun; /* started beside the server, as `serve` does */
	struct bf_server *srv;
	char base[64];
	char db[2048];
	struct apifix_party *parties;
	int n_parties;
	int connections; /* the service's database connections; 0: 8 */
	int threads;     /* the server's threads; 0: 8 */
	/* The service's clock (bf_service_config.clock): NULL, the real one.
	 * Set before apifix_start(), which keeps it. */
	bf_time (*clock)(void *ctx);
	void *clock_ctx;
};

/* A clock for apifix.clock that reads the bf_time CTX points to: the test
 * moves time by writing it. */
bf_time apifix_clock_at(void *ctx);

/* Starts the server on a fresh database under the scratch directory NAME
 * and issues a token to each party. 0 on success. */
int apifix_start(struct apifix *f, const char *name, struct apifix_party *parties, int n);
void apifix_stop(struct apifix *f);
/* Starts the service on the database F->db as it is, with
 * F->connections, and the server on it, with F->threads, as
 * apifix_start() does but with no parties: for a test that brings its own
 * database or sizes (F's other fields zero). 0 on success. */
int apifix_open(struct apifix *f);
/* A cmocka group tear-down: apifix_stop() on the fixture that the group's
 * set-up started and put in *STATE. */
int apifix_teardown(void **state);
/* Starts *OUT: another service and server on F's database, with F's
 * parties, as a second process on it would be. Stop it with
 * apifix_stop(). */
int apifix_second(const struct apifix *f, struct apifix *out);
/* Stops the server and the service and starts both again on the same
 * database (on a new port), as a restarted process would. */
int apifix_restart(struct apifix *f);

/* METHOD PATH as party AS (-1: without a token), with BODY (or NULL) and
 * one extra HEADER (or NULL). Returns the parsed body (JSON null if
 * empty); *STATUS gets the status. */
json_t *apifix_call(struct apifix *f, int as, const char *method, const char *path, const char *body,
                    const char *header, long *status);

/* The same with a token of the caller's (NULL: none). */
json_t *apifix_call_token(struct apifix *f, const char *token, const char *method, const char *path, const char *body,
                          const char *header, long *status);

/* Declares a truck load for party AS (a carrier of VN) and returns its id
 * (a static buffer: copy it). The load is of HS_CODE by EXPORTER from
 * planting area PUC and packing house PHC, bound for CN, preferring GATE
 * ("any" for none). Fails the test unless it is validated. */
const char *apifix_declare(struct apifix *f, int as, const char *exporter, const char *hs_code, const char *puc,
                           const char *phc, const char *gate);

/* The state of consignment ID as party AS reads it through the API (a
 * static buffer: copy it). Fails the test unless the read is 200. */
const char *apifix_state(struct apifix *f, int as, const char *id);

/* Rows in TABLE of the fixture's database, read directly. */
long apifix_rows(struct apifix *f, const char *table);

/* Every row of every table, as text (malloc'd): equal dumps mean equal
 * contents. */
char *apifix_dump_rows(struct apifix *f);

#endif
