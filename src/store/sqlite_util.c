/* Helpers shared by the SQLite back end's files. */
#include "store/sqlite_int.h"

int bf_sq_error(struct bf_store *s, struct bf_error *err, const char *what)
{
	return bf_error_set(err, BF_ESTORE, "", "%s: %s", what, s && s->db ? sqlite3_errmsg(s->db) : "no database");
}

int bf_sq_exec(struct bf_store *s, const char *sql, struct bf_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		bf_error_set(err, BF_ESTORE, "", "%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return BF_ESTORE;
	}
	return BF_OK;
}

int bf_sq_prepare(struct bf_store *s, const char *sql, sqlite3_stmt **st, struct bf_error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return bf_sq_error(s, err, "prepare");
	return BF_OK;
}

int bf_sq_step_done(struct bf_store *s, sqlite3_stmt *st, struct bf_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		return bf_error_set(err, BF_ECONFLICT, "", "already exists: %s", sqlite3_errmsg(s->db));
	}
	if (rc != SQLITE_DONE)
		return bf_sq_error(s, err, "write");
	return BF_OK;
}

void bf_sq_col_text(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	bf_strlcpy(dst, t ? (const char *)t : "", cap);
}

void bf_sq_bind_text(sqlite3_stmt *st, int idx, const char *text)
{
	sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
}
