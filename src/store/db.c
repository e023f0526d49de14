/* The statement interface of db.h over SQLite and over libpq. */
#include "store/db.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every write transaction on PostgreSQL holds this advisory lock (the
 * letters "bflw"); see db.h. */
#define PG_WRITE_LOCK 0x62666c77

struct bf_stmt {
	struct bf_store *s;
	sqlite3_stmt *sq;
	int cached; /* SQLite: 1 + the cache's entry SQ belongs to, or 0 */
	/* PostgreSQL: the prepared statement, its parameters as text (or
	 * bytes for blobs) and, once run, its result. */
	char name[16];
	int nparams;
	char **vals;
	int *lens, *fmts;
	PGresult *res;
	int row, rows;
	unsigned char *blob; /* the last blob decoded, of column blob_col */
	size_t blob_len;
	int blob_col;
};

/* Statements prepared on one connection, found by their SQL, so that each
 * is parsed and planned once a connection and not at every call (that was
 * half the CPU of a read). On SQLite a cached statement serves one user
 * at a time (busy); a second user of the same SQL meanwhile prepares a
 * statement of its own. On PostgreSQL a prepared statement has a name and
 * any number of runs. */
struct prepared {
	char *sql;
	char name[16];
	int nparams;
	sqlite3_stmt *sq;
	bool busy;
};
struct bf_stmt_cache {
	struct prepared *v;
	size_t len, cap;
	unsigned next;
};

static struct prepared *cache_find(struct bf_store *s, const char *sql)
{
	struct bf_stmt_cache *c = s->prep;
	for (size_t i = 0; i < c->len; i++)
		if (strcmp(c->v[i].sql, sql) == 0)
			return &c->v[i];
	return NULL;
}

static struct prepared *cache_add(struct bf_store *s, const char *sql)
{
	struct bf_stmt_cache *c = s->prep;
	if (c->len == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = bf_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	struct prepared *p = &c->v[c->len++];
	memset(p, 0, sizeof(*p));
	p->sql = bf_xstrdup(sql);
	return p;
}

static void cache_clear(struct bf_store *s)
{
	struct bf_stmt_cache *c = s->prep;
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->len; i++) {
		sqlite3_finalize(c->v[i].sq);
		free(c->v[i].sql);
	}
	c->len = 0;
}

static void set_msg(struct bf_store *s, const char *msg)
{
	size_t n;
	bf_strlcpy(s->errmsg, msg ? msg : "unknown error", sizeof(s->errmsg));
	n = strlen(s->errmsg); /* libpq's messages end in a newline */
	while (n > 0 && (s->errmsg[n - 1] == '\n' || s->errmsg[n - 1] == ' '))
		s->errmsg[--n] = '\0';
}

int bf_db_error(struct bf_store *s, struct bf_error *err, const char *what)
{
	return bf_error_set(err, BF_ESTORE, "", "%s: %s", what, s && s->errmsg[0] ? s->errmsg : "no database");
}

/* ---- PostgreSQL helpers ---- */

/* ? and ?N become $N; quoted text is left alone. */
static char *pg_sql(const char *sql, int *nparams)
{
	size_t len = strlen(sql);
	/* a ? becomes at most "$2147483647" */
	char *out = bf_xmalloc(len * 11 + 1), *o = out;
	int next = 0, max = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			*o++ = *p;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
			continue;
		}
		if (*p != '?') {
			*o++ = *p;
			continue;
		}
		int n;
		if (isdigit((unsigned char)p[1])) {
			char *end;
			n = (int)strtol(p + 1, &end, 10);
			p = end - 1;
		} else {
			n = ++next;
		}
		if (n > next)
			next = n;
		if (n > max)
			max = n;
		o += sprintf(o, "$%d", n);
	}
	*o = '\0';
	*nparams = max;
	return out;
}

static int pg_fail(struct bf_store *s, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	set_msg(s, res ? PQresultErrorMessage(res) : PQerrorMessage(s->pg));
	if (s->errmsg[0] == '\0')
		set_msg(s, PQerrorMessage(s->pg));
	return state && strcmp(state, "23505") == 0 ? BF_ECONFLICT : BF_ESTORE;
}

/* A connection lost (the server restarted) is made again when no
 * transaction is open on it. One that was open is lost with it: every
 * statement of it fails until the caller ends it (commit or rollback), so
 * that none of the rest runs outside the transaction. */
static void pg_revive(struct bf_store *s)
{
	if (PQstatus(s->pg) == CONNECTION_OK || s->in_tx)
		return;
	PQreset(s->pg);
	cache_clear(s);
}

static const struct prepared *pg_prepare(struct bf_store *s, const char *sql)
{
	pg_revive(s); /* before the cache: a new connection has none of it */
	const struct prepared *found = cache_find(s, sql);
	if (found)
		return found;

	struct bf_stmt_cache *c = s->prep;
	char name[16];
	int nparams;
	char *text = pg_sql(sql, &nparams);
	snprintf(name, sizeof(name), "bf%u", c->next++);
	PGresult *res = PQprepare(s->pg, name, text, 0, NULL);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_fail(s, res);
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	struct prepared *p = cache_add(s, sql);
	bf_strlcpy(p->name, name, sizeof(p->name));
	p->nparams = nparams;
	return p;
}

static void pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* ---- opening ---- */

/* SQLite's allocation statistics take a process-wide lock on every
 * allocation; nothing here reads them. Set before SQLite's first use (a
 * later call is refused by SQLite and changes nothing). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int bf_db_open_sqlite(struct bf_store *s, const char *path, struct bf_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		bf_error_set(err, BF_ESTORE, "db", "cannot open %s: %s", path,
		             s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		s->db = NULL;
		return BF_ESTORE;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	s->prep = bf_xcalloc(1, sizeof(*s->prep));
	return bf_db_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", err);
}

int bf_db_open_pg(struct bf_store *s, const char *url, struct bf_error *err)
{
	s->pg = PQconnectdb(url);
	if (s->pg == NULL || PQstatus(s->pg) != CONNECTION_OK) {
		set_msg(s, s->pg ? PQerrorMessage(s->pg) : "out of memory");
		return bf_error_set(err, BF_ESTORE, "db", "cannot connect to the PostgreSQL server: %s", s->errmsg);
	}
	PQsetNoticeProcessor(s->pg, pg_quiet, NULL);
	s->prep = bf_xcalloc(1, sizeof(*s->prep));
	return bf_db_exec(s, "SET client_min_messages = warning; SET TIME ZONE 'UTC'", err);
}

void bf_db_close(struct bf_store *s)
{
	cache_clear(s); /* SQLite closes only when its statements are gone */
	if (s->db)
		sqlite3_close(s->db);
	if (s->pg)
		PQfinish(s->pg);
	if (s->prep) {
		free(s->prep->v);
		free(s->prep);
	}
	s->db = NULL;
	s->pg = NULL;
	s->prep = NULL;
}

/* ---- statements ---- */

int bf_db_exec(struct bf_store *s, const char *sql, struct bf_error *err)
{
	if (s->group)
		s->group_ops->hold(s);
	if (s->pg) {
		pg_revive(s);
		PGresult *res = PQexec(s->pg, sql);
		ExecStatusType t = PQresultStatus(res);
		int rc = BF_OK;
		bf_strlcpy(s->last_tag, PQcmdStatus(res) ? PQcmdStatus(res) : "", sizeof(s->last_tag));
		if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
			rc = pg_fail(s, res);
			bf_error_set(err, rc, "", "%s", s->errmsg);
		}
		PQclear(res);
		return rc;
	}
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		set_msg(s, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return bf_error_set(err, BF_ESTORE, "", "%s", s->errmsg);
	}
	return BF_OK;
}

int bf_db_prepare(struct bf_store *s, const char *sql, struct bf_stmt **out, struct bf_error *err)
{
	if (s->group)
		s->group_ops->hold(s);
	struct bf_stmt *st = bf_xcalloc(1, sizeof(*st));
	st->s = s;
	st->blob_col = -1;
	*out = NULL;
	if (s->pg) {
		const struct prepared *p = pg_prepare(s, sql);
		if (p == NULL) {
			free(st);
			bf_db_error(s, err, "prepare");
			return BF_ESTORE;
		}
		bf_strlcpy(st->name, p->name, sizeof(st->name));
		st->nparams = p->nparams;
		if (p->nparams > 0) {
			st->vals = bf_xcalloc((size_t)p->nparams, sizeof(*st->vals));
			st->lens = bf_xcalloc((size_t)p->nparams, sizeof(*st->lens));
			st->fmts = bf_xcalloc((size_t)p->nparams, sizeof(*st->fmts));
		}
	} else {
		struct prepared *p = cache_find(s, sql);
		if (p && !p->busy) {
			st->sq = p->sq;
		} else if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->sq, NULL) != SQLITE_OK) {
			set_msg(s, sqlite3_errmsg(s->db));
			free(st);
			bf_db_error(s, err, "prepare");
			return BF_ESTORE;
		} else if (p == NULL) {
			p = cache_add(s, sql);
			p->sq = st->sq;
		} else {
			p = NULL; /* the cached one is in use: this one is the caller's alone */
		}
		if (p) {
			p->busy = true;
			st->cached = 1 + (int)(p - s->prep->v);
		}
	}
	*out = st;
	return BF_OK;
}

static int pg_step(struct bf_stmt *st)
{
	struct bf_store *s = st->s;
	if (st->res == NULL) {
		st->res =
		    PQexecPrepared(s->pg, st->name, st->nparams, (const char *const *)st->vals, st->lens, st->fmts, 0);
		ExecStatusType t = PQresultStatus(st->res);
		if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
			int rc = pg_fail(s, st->res);
			PQclear(st->res);
			st->res = NULL;
			return rc;
		}
		const char *n = PQcmdTuples(st->res);
		s->changes = n && *n ? strtoll(n, NULL, 10) : 0;
		/* A SELECT's tag counts the rows it read, not rows changed. */
		const char *tag = PQcmdStatus(st->res);
		if (tag && strncmp(tag, "SELECT", 6) != 0)
			s->written += s->changes;
		st->rows = PQntuples(st->res);
		st->row = -1;
	}
	free(st->blob);
	st->blob = NULL;
	st->blob_col = -1;
	if (st->row + 1 < st->rows) {
		st->row++;
		return BF_DB_ROW;
	}
	st->row = st->rows;
	return BF_DB_DONE;
}

int bf_db_step(struct bf_stmt *st)
{
	if (st->s->pg)
		return pg_step(st);
#ifndef NDEBUG
	/* Every write runs inside bf_store_begin()'s transaction, whose commit
	 * counts it in the revision (store.h): a write outside one would leave
	 * answers kept in memory standing on old data. The test builds stop
	 * on one. */
	if (st->s->revised && !sqlite3_stmt_readonly(st->sq) &&
	    (st->s->group ? !st->s->in_tx : sqlite3_get_autocommit(st->s->db))) {
		fprintf(stderr, "borderflow: a write outside a transaction: %s\n", sqlite3_sql(st->sq));
		abort();
	}
#endif
	st->s->used = true;
	int rc = sqlite3_step(st->sq);
	if (rc == SQLITE_ROW)
		return BF_DB_ROW;
	if (rc == SQLITE_DONE) {
		st->s->changes = sqlite3_changes(st->s->db);
		return BF_DB_DONE;
	}
	set_msg(st->s, sqlite3_errmsg(st->s->db));
	return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ? BF_ECONFLICT : BF_ESTORE;
}

void bf_db_finalize(struct bf_stmt *st)
{
	if (st == NULL)
		return;
	if (st->cached) {
		sqlite3_reset(st->sq);
		sqlite3_clear_bindings(st->sq);
		st->s->prep->v[st->cached - 1].busy = false;
	} else {
		sqlite3_finalize(st->sq);
	}
	for (int i = 0; i < st->nparams; i++)
		free(st->vals[i]);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	PQclear(st->res);
	free(st->blob);
	free(st);
}

int64_t bf_db_changes(struct bf_store *s)
{
	return s->changes;
}

/* ---- parameters ---- */

static void pg_bind(struct bf_stmt *st, int idx, char *val, int len, int fmt)
{
	if (idx < 1 || idx > st->nparams) {
		free(val);
		return;
	}
	free(st->vals[idx - 1]);
	st->vals[idx - 1] = val;
	st->lens[idx - 1] = len;
	st->fmts[idx - 1] = fmt;
}

void bf_db_bind_text(struct bf_stmt *st, int idx, const char *text)
{
	if (st->s->pg)
		pg_bind(st, idx, text ? bf_xstrdup(text) : NULL, 0, 0);
	else
		sqlite3_bind_text(st->sq, idx, text, -1, SQLITE_TRANSIENT);
}

void bf_db_bind_int64(struct bf_stmt *st, int idx, int64_t v)
{
	if (st->s->pg) {
		char buf[24];
		snprintf(buf, sizeof(buf), "%" PRId64, v);
		pg_bind(st, idx, bf_xstrdup(buf), 0, 0);
	} else {
		sqlite3_bind_int64(st->sq, idx, v);
	}
}

void bf_db_bind_int(struct bf_stmt *st, int idx, int v)
{
	bf_db_bind_int64(st, idx, v);
}

void bf_db_bind_double(struct bf_stmt *st, int idx, double v)
{
	if (st->s->pg) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%.17g", v);
		pg_bind(st, idx, bf_xstrdup(buf), 0, 0);
	} else {
		sqlite3_bind_double(st->sq, idx, v);
	}
}

void bf_db_bind_blob(struct bf_stmt *st, int idx, const void *p, int n)
{
	if (st->s->pg) {
		char *copy = bf_xmalloc(n > 0 ? (size_t)n : 1);
		if (n > 0)
			memcpy(copy, p, (size_t)n);
		pg_bind(st, idx, copy, n, 1);
	} else {
		sqlite3_bind_blob(st->sq, idx, p, n, SQLITE_TRANSIENT);
	}
}

void bf_db_bind_null(struct bf_stmt *st, int idx)
{
	if (st->s->pg)
		pg_bind(st, idx, NULL, 0, 0);
	else
		sqlite3_bind_null(st->sq, idx);
}

/* ---- columns ---- */

static const char *pg_value(struct bf_stmt *st, int col)
{
	if (st->res == NULL || st->row < 0 || st->row >= st->rows || col < 0 || col >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

int bf_db_col_null(struct bf_stmt *st, int col)
{
	if (st->s->pg)
		return pg_value(st, col) == NULL;
	return sqlite3_column_type(st->sq, col) == SQLITE_NULL;
}

int64_t bf_db_col_int64(struct bf_stmt *st, int col)
{
	if (!st->s->pg)
		return sqlite3_column_int64(st->sq, col);
	const char *v = pg_value(st, col);
	if (v == NULL)
		return 0;
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	/* a count or a sum may come as numeric text; an integer is read as such */
	return strchr(v, '.') || strchr(v, 'e') ? (int64_t)strtod(v, NULL) : strtoll(v, NULL, 10);
}

int bf_db_col_int(struct bf_stmt *st, int col)
{
	return (int)bf_db_col_int64(st, col);
}

double bf_db_col_double(struct bf_stmt *st, int col)
{
	if (!st->s->pg)
		return sqlite3_column_double(st->sq, col);
	const char *v = pg_value(st, col);
	return v ? strtod(v, NULL) : 0.0;
}

const unsigned char *bf_db_col_text(struct bf_stmt *st, int col)
{
	if (!st->s->pg)
		return sqlite3_column_text(st->sq, col);
	return (const unsigned char *)pg_value(st, col);
}

static void pg_blob(struct bf_stmt *st, int col)
{
	if (st->blob_col == col)
		return;
	free(st->blob);
	st->blob = NULL;
	st->blob_len = 0;
	st->blob_col = col;
	const char *v = pg_value(st, col);
	if (v == NULL)
		return;
	/* bytea comes as \x and hex digits */
	size_t len = 0;
	unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &len);
	if (raw == NULL)
		return;
	st->blob = bf_xmalloc(len ? len : 1);
	memcpy(st->blob, raw, len);
	st->blob_len = len;
	PQfreemem(raw);
}

const void *bf_db_col_blob(struct bf_stmt *st, int col)
{
	if (!st->s->pg)
		return sqlite3_column_blob(st->sq, col);
	pg_blob(st, col);
	return st->blob;
}

int bf_db_col_bytes(struct bf_stmt *st, int col)
{
	if (!st->s->pg)
		return sqlite3_column_bytes(st->sq, col);
	pg_blob(st, col);
	return (int)st->blob_len;
}

void bf_db_col_text_copy(struct bf_stmt *st, int col, char *dst, size_t cap)
{
	const unsigned char *t = bf_db_col_text(st, col);
	bf_strlcpy(dst, t ? (const char *)t : "", cap);
}

/* ---- transactions and the schema ---- */

void bf_db_mark(struct bf_store *s)
{
	s->written = s->pg ? 0 : sqlite3_total_changes64(s->db);
}

bool bf_db_wrote(struct bf_store *s)
{
	return s->pg ? s->written > 0 : sqlite3_total_changes64(s->db) != s->written;
}

int bf_db_begin(struct bf_store *s, struct bf_error *err)
{
	bf_db_mark(s);
	if (!s->pg)
		return bf_db_exec(s, "BEGIN IMMEDIATE", err);
	char sql[96];
	snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%d)", PG_WRITE_LOCK);
	int rc = bf_db_exec(s, sql, err);
	if (rc && PQtransactionStatus(s->pg) != PQTRANS_IDLE) {
		PGresult *res = PQexec(s->pg, "ROLLBACK");
		PQclear(res);
	}
	s->in_tx = rc == BF_OK;
	return rc;
}

int bf_db_in_transaction(struct bf_store *s)
{
	if (s->group)
		return s->in_tx; /* the group's own transaction is not the caller's */
	if (s->pg)
		return s->in_tx ||
		       (PQtransactionStatus(s->pg) != PQTRANS_IDLE && PQtransactionStatus(s->pg) != PQTRANS_UNKNOWN);
	return !sqlite3_get_autocommit(s->db);
}

int bf_db_scalar(struct bf_store *s, const char *sql, int64_t *out, const char *what, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	rc = bf_db_step(st);
	*out = rc == BF_DB_ROW ? bf_db_col_int64(st, 0) : 0;
	bf_db_finalize(st);
	if (rc != BF_DB_ROW && rc != BF_DB_DONE)
		return bf_db_error(s, err, what);
	return BF_OK;
}

static int read_int(struct bf_store *s, const char *sql, int *out, struct bf_error *err)
{
	int64_t v = 0;
	int rc = bf_db_scalar(s, sql, &v, "read schema version", err);
	*out = (int)v;
	return rc;
}

int bf_db_get_version(struct bf_store *s, int *out, struct bf_error *err)
{
	if (!s->pg)
		return read_int(s, "PRAGMA user_version", out, err);
	int exists = 0, rc = read_int(s, "SELECT to_regclass('schema_version') IS NOT NULL", &exists, err);
	if (rc || !exists) {
		*out = 0;
		return rc;
	}
	return read_int(s, "SELECT version FROM schema_version", out, err);
}

int bf_db_set_version(struct bf_store *s, int version, struct bf_error *err)
{
	char sql[160];
	if (s->pg)
		snprintf(sql, sizeof(sql),
		         "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); "
		         "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d)",
		         version);
	else
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	return bf_db_exec(s, sql, err);
}

/* SQLite's column types and generated keys in PostgreSQL's words. Only
 * upper-case whole words are types in the migrations (column names are
 * lower case). */
static const struct {
	const char *from, *to;
} pg_words[] = {
    {"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"INTEGER", "BIGINT"},
    {"REAL", "DOUBLE PRECISION"},
    {"BLOB", "BYTEA"},
    {"TEXT", "TEXT COLLATE \"C\""},
};

char *bf_db_ddl(const struct bf_store *s, const char *sql)
{
	if (!s->pg)
		return bf_xstrdup(sql);
	size_t len = strlen(sql);
	char *out = bf_xmalloc(len * 4 + 1), *o = out;
	for (const char *p = sql; *p;) {
		bool word_start = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool done = false;
		for (size_t i = 0; word_start && i < sizeof(pg_words) / sizeof(pg_words[0]); i++) {
			size_t n = strlen(pg_words[i].from);
			if (strncmp(p, pg_words[i].from, n) == 0 && !(isalnum((unsigned char)p[n]) || p[n] == '_')) {
				o += sprintf(o, "%s", pg_words[i].to);
				p += n;
				done = true;
				break;
			}
		}
		if (!done)
			*o++ = *p++;
	}
	*o = '\0';
	return out;
}
