/* Internals shared by the SQLite back end's files: the connection and the
 * small helpers every query uses. Not for use outside src/store/. */
#ifndef BF_STORE_SQLITE_INT_H
#define BF_STORE_SQLITE_INT_H

#include "store/store.h"

#include <sqlite3.h>

struct bf_store {
	sqlite3 *db;
};

/* Sets ERR from the connection's last error, prefixed with WHAT. */
int bf_sq_error(struct bf_store *s, struct bf_error *err, const char *what);
int bf_sq_exec(struct bf_store *s, const char *sql, struct bf_error *err);
int bf_sq_prepare(struct bf_store *s, const char *sql, sqlite3_stmt **st, struct bf_error *err);
/* Runs a statement that returns no rows, then finalizes it. A broken
 * UNIQUE or PRIMARY KEY constraint gives BF_ECONFLICT. */
int bf_sq_step_done(struct bf_store *s, sqlite3_stmt *st, struct bf_error *err);
/* Copies column COL as text into DST of CAP bytes ("" for NULL). */
void bf_sq_col_text(sqlite3_stmt *st, int col, char *dst, size_t cap);
/* Binds TEXT, copied, to parameter IDX. */
void bf_sq_bind_text(sqlite3_stmt *st, int idx, const char *text);

#endif
