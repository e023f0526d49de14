/* Helpers shared by the test programs: scratch directories, files, and an
 * HTTP client (libcurl) with bounded time-outs that only talks to loopback. */
#ifndef BF_TESTUTIL_H
#define BF_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

/* A fresh directory $BF_TMP/NAME-PID (or /tmp/...), emptied first.
 * The string is static. */
const char *tu_tmpdir(const char *name);
/* DIR/FILE in a static buffer that the next call overwrites. */
const char *tu_path(const char *dir, const char *file);
void tu_write_file(const char *path, const char *text);
/* The whole file, NUL-terminated, malloc'd; NULL if it cannot be read. */
char *tu_read_file(const char *path, size_t *len);
/* A fresh, empty database for the store to open, on the back end the test
 * runs against: with BF_TEST_BACKEND=postgresql a new database named
 * after NAME on the server of $BF_TEST_PG_URL (scripts/with-postgres.sh
 * starts one), else a SQLite file in a fresh tu_tmpdir(NAME). The URL is
 * in a static buffer that the next call overwrites. */
const char *tu_db(const char *name);
/* Whether tests run on PostgreSQL (BF_TEST_BACKEND=postgresql). */
int tu_pg(void);
/* The first column of the first row of SQL run on the database at URL
 * (either back end), as a number; -1 if there is none. */
long tu_db_scalar(const char *url, const char *sql);
/* Runs SQL, which returns no rows, on the database at URL; fails the test
 * if it fails. */
void tu_db_exec(const char *url, const char *sql);
/* The schema of the database at URL (tables, columns, indexes) and its
 * version, as text in a stable order. malloc'd. */
char *tu_db_schema(const char *url);
/* Every row of every table of the database at URL, as text, in a stable
 * order: equal before and after a request that must change nothing.
 * malloc'd. */
char *tu_db_dump(const char *url);

/* $BF_SOURCE_DIR, the root of the source tree. */
const char *tu_source_dir(void);

struct tu_http {
	long status;
	char *body;
	size_t len;
	char allow[128];
	char content_type[128];
	char location[256];
	char replayed[16]; /* Idempotent-Replayed */
};

/* Sends METHOD to URL (BODY may be NULL) with a 10 s time-out; returns 0
 * when an answer came. HEADERS is NULL or a NULL-terminated list. */
int tu_http(const char *method, const char *url, const char *body, const char *const *headers, struct tu_http *out);
void tu_http_free(struct tu_http *r);
/* With BF_CONTRACT_DIR set (ctest sets it), appends the answer to METHOD
 * PATH (as sent: the path and query) as one JSON line to a file of this
 * process in that directory, for the contract test (tests/contract/),
 * which checks every answer the suite received against api/openapi.json.
 * tu_http() records each answer it gets; a test that talks HTTP some
 * other way records with this. */
void tu_record_answer(const char *method, const char *path, long status, const char *content_type, const char *body,
                      size_t len);
/* The answer's body as JSON; fails the test if it is not JSON. */
json_t *tu_http_json(const struct tu_http *r);
/* The string at KEY of the JSON object J; NULL when there is none. */
const char *tu_str(json_t *j, const char *key);
/* The value of the sample SERIES (name with its labels, exactly as
 * written) on the metrics page TEXT, or -1 when the page has none. */
double tu_metric(const char *text, const char *series);

#endif
