/* The two SQL engines behind store.h: an embedded SQLite file, or a
 * PostgreSQL server through libpq. The store's files speak to either
 * through this one statement interface, with SQL both engines accept:
 * parameters as ? or ?N (rewritten to $N for PostgreSQL), ON CONFLICT
 * for upserts, RETURNING for generated keys, no engine functions.
 * Not for use outside src/store/.
 *
 * Where the engines differ underneath:
 * - the write lock: SQLite's BEGIN IMMEDIATE takes the database's one
 *   write lock; on PostgreSQL bf_store_begin() takes one advisory lock for
 *   the transaction, so writers from every process queue exactly as on
 *   SQLite and every invariant checked inside a transaction (a slot's
 *   places, a chain's next number) holds across processes;
 * - the schema: migrations are written once in SQLite's words and
 *   translated (bf_db_ddl()); text compares bytewise (COLLATE "C") on both;
 * - the schema version: PRAGMA user_version on SQLite, a one-row table on
 *   PostgreSQL. */
#ifndef BF_STORE_DB_H
#define BF_STORE_DB_H

#include "store/store.h"

#include <stdint.h>

#include <libpq-fe.h>
#include <sqlite3.h>

struct bf_stmt_cache;
struct bf_store;

/* The transactions of a connection of a grouped pool (pool.c), which
 * commits its writers' transactions together. The pool sets them on each
 * of its connections; the statement layer and the transactions
 * (transaction.c) call through them, so that neither names the pool. */
struct bf_store_group_ops {
	int (*begin)(struct bf_store *s, struct bf_error *err);
	int (*commit)(struct bf_store *s, struct bf_error *err);
	void (*rollback)(struct bf_store *s);
	/* A member whose commit passed the connection on takes it back before
	 * it runs anything on it again. */
	void (*hold)(struct bf_store *s);
};

struct bf_store {
	sqlite3 *db; /* one of db and pg is set */
	PGconn *pg;
	struct bf_stmt_cache *prep;                 /* statements prepared on this connection (db.c) */
	int64_t changes;                            /* rows changed by the last statement */
	char last_tag[32];                          /* PostgreSQL: the last bf_db_exec()'s command tag */
	bool in_tx;                                 /* PostgreSQL, or grouped: the caller's transaction is open */
	bool revised;                               /* migrated: each commit adds one to the revision (store.h) */
	struct bf_store_pool *group;                /* the grouped pool it commits in (pool.h), or NULL */
	const struct bf_store_group_ops *group_ops; /* set with GROUP */
	bool used;                                  /* a statement ran since the pool handed it out */
	bool pinned;                                /* bf_store_pool_pin(): its transaction spans a request */
	int nested;                                 /* pinned: transactions begun inside it, still open */
	int64_t written;                            /* rows changed in the caller's transaction (bf_db_mark) */
	/* Gate pairs read on this connection, kept while the gate pairs'
	 * revision (migration 10) is GATES_REVISION (bf_store_gate_get). */
	struct bf_gate_pair *gates;
	size_t n_gates;
	int64_t gates_revision;
	char errmsg[256]; /* the engine's last error */
};

/* What bf_db_step() returns besides an error code. */
enum { BF_DB_ROW = 1, BF_DB_DONE = 2 };

struct bf_stmt;

/* Sets ERR from the connection's last error, prefixed with WHAT. */
int bf_db_error(struct bf_store *s, struct bf_error *err, const char *what);
/* Runs SQL, one or more statements without parameters. */
int bf_db_exec(struct bf_store *s, const char *sql, struct bf_error *err);
int bf_db_prepare(struct bf_store *s, const char *sql, struct bf_stmt **st, struct bf_error *err);
/* BF_DB_ROW with a row to read, BF_DB_DONE at the end, or a BF_E* code
 * (the message by bf_db_error()). A broken UNIQUE or PRIMARY KEY
 * constraint gives BF_ECONFLICT. */
int bf_db_step(struct bf_stmt *st);
void bf_db_finalize(struct bf_stmt *st);
/* Runs a statement that writes and returns no rows, then finalizes it;
 * outside a transaction, in a write transaction of its own, so that its
 * commit counts in the revision (store.h) like every other
 * (transaction.c). */
int bf_store_step_done(struct bf_store *s, struct bf_stmt *st, struct bf_error *err);
/* The first column of SQL's first row (0 if it has none); WHAT names
 * the read in an error. */
int bf_db_scalar(struct bf_store *s, const char *sql, int64_t *out, const char *what, struct bf_error *err);
/* Rows changed by the last statement run on S. */
int64_t bf_db_changes(struct bf_store *s);

/* Parameters are numbered from 1; values are copied; one left unbound is
 * NULL. */
void bf_db_bind_text(struct bf_stmt *st, int idx, const char *text);
void bf_db_bind_int(struct bf_stmt *st, int idx, int v);
void bf_db_bind_int64(struct bf_stmt *st, int idx, int64_t v);
void bf_db_bind_double(struct bf_stmt *st, int idx, double v);
void bf_db_bind_blob(struct bf_stmt *st, int idx, const void *p, int n);
void bf_db_bind_null(struct bf_stmt *st, int idx);

/* Columns of the current row, numbered from 0. NULL reads as 0 or "". A
 * boolean (PostgreSQL's true and false) reads as 1 and 0. */
int bf_db_col_null(struct bf_stmt *st, int col);
int64_t bf_db_col_int64(struct bf_stmt *st, int col);
int bf_db_col_int(struct bf_stmt *st, int col);
double bf_db_col_double(struct bf_stmt *st, int col);
/* NULL-terminated text, valid until the next step. */
const unsigned char *bf_db_col_text(struct bf_stmt *st, int col);
/* Bytes of a blob, valid until the next step; bf_db_col_bytes() after
 * bf_db_col_blob() gives its length. */
const void *bf_db_col_blob(struct bf_stmt *st, int col);
int bf_db_col_bytes(struct bf_stmt *st, int col);
/* Copies column COL as text into DST of CAP bytes ("" for NULL). */
void bf_db_col_text_copy(struct bf_stmt *st, int col, char *dst, size_t cap);

/* Opening, per engine (store.c chooses by the URL). */
int bf_db_open_sqlite(struct bf_store *s, const char *path, struct bf_error *err);
int bf_db_open_pg(struct bf_store *s, const char *url, struct bf_error *err);
void bf_db_close(struct bf_store *s);
/* The write transaction (see above), and whether one is open. */
int bf_db_begin(struct bf_store *s, struct bf_error *err);
int bf_db_in_transaction(struct bf_store *s);
/* Put before the statement that ends a write transaction (COMMIT, or a
 * grouped writer's RELEASE) when it changed a row: the revision (store.h)
 * counts it, in the same round trip. */
#define BF_DB_REVISION_BUMP "UPDATE revision SET n = n + 1; "
/* Marks the start of the caller's transaction; bf_db_wrote() then tells
 * whether it has changed a row since (an INSERT, UPDATE or DELETE, with
 * RETURNING or not). */
void bf_db_mark(struct bf_store *s);
bool bf_db_wrote(struct bf_store *s);
/* The schema version stored in the database (0 when new). */
int bf_db_get_version(struct bf_store *s, int *out, struct bf_error *err);
int bf_db_set_version(struct bf_store *s, int version, struct bf_error *err);
/* SQL of a migration as this engine takes it; free() the result. */
char *bf_db_ddl(const struct bf_store *s, const char *sql);

#endif
