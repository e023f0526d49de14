/* Operations on the SQLite back end: the figures GET /metrics reports, and
 * online backup and restore through SQLite's backup API. */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bf_store_metrics(struct bf_store *s, struct bf_store_metrics *out, struct bf_error *err)
{
	static const char *const statuses[4] = {"queued", "running", "done", "failed"};
	sqlite3_stmt *st;
	size_t cap;
	int rc, step;

	memset(out, 0, sizeof(*out));
	/* The yard of a gate: its bookings whose vehicle has checked in and
	 * waits to be called, as GET /v1/gates/{id}/queue lists them. */
	rc = bf_sq_prepare(s,
	                   "SELECT g.id, (SELECT count(*) FROM booking b JOIN consignment c ON c.id = b.consignment_id "
	                   "WHERE b.gate_id = g.id AND c.state = 'waiting') FROM gate_pair g ORDER BY g.id",
	                   &st, err);
	if (rc)
		return rc;
	cap = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n_gates == cap) {
			cap = cap ? 2 * cap : 32;
			out->gates = bf_xrealloc(out->gates, cap * sizeof(*out->gates));
		}
		struct bf_gate_count *g = &out->gates[out->n_gates++];
		bf_sq_col_text(st, 0, g->gate_id, sizeof(g->gate_id));
		g->waiting = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		goto failed;

	rc = bf_sq_prepare(s, "SELECT kind, count(*) FROM event GROUP BY kind ORDER BY kind", &st, err);
	if (rc)
		goto out;
	cap = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n_kinds == cap) {
			cap = cap ? 2 * cap : 32;
			out->kinds = bf_xrealloc(out->kinds, cap * sizeof(*out->kinds));
		}
		struct bf_kind_count *k = &out->kinds[out->n_kinds++];
		bf_sq_col_text(st, 0, k->kind, sizeof(k->kind));
		k->events = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		goto failed;

	rc = bf_sq_prepare(s, "SELECT status, count(*) FROM simulation GROUP BY status", &st, err);
	if (rc)
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; i < 4; i++)
			if (status != NULL && strcmp(status, statuses[i]) == 0)
				out->simulations[i] = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		goto failed;
	return BF_OK;
failed:
	rc = bf_sq_error(s, err, "metrics");
out:
	bf_store_metrics_clear(out);
	return rc;
}

void bf_store_metrics_clear(struct bf_store_metrics *m)
{
	free(m->gates);
	free(m->kinds);
	memset(m, 0, sizeof(*m));
}

static int sqlite_fail(sqlite3 *db, struct bf_error *err, const char *field, const char *what, const char *path)
{
	return bf_error_set(err, BF_ESTORE, field, "%s %s: %s", what, path, db ? sqlite3_errmsg(db) : "out of memory");
}

/* Opens PATH, which must exist, for reading and writing. */
static int open_existing(const char *path, const char *field, sqlite3 **db, struct bf_error *err)
{
	struct stat sb;
	*db = NULL;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return bf_error_set(err, BF_ENOTFOUND, field, "%s: no such database file", path);
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		int rc = sqlite_fail(*db, err, field, "cannot open", path);
		sqlite3_close(*db);
		*db = NULL;
		return rc;
	}
	sqlite3_busy_timeout(*db, 10000);
	return BF_OK;
}

/* Whether DB passes SQLite's quick check and holds borderflow's schema. */
static int check_database(sqlite3 *db, const char *path, const char *field, struct bf_error *err)
{
	sqlite3_stmt *st;
	char result[128] = "";
	bool ours = false;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		return sqlite_fail(db, err, field, "cannot read", path);
	if (sqlite3_step(st) == SQLITE_ROW)
		bf_sq_col_text(st, 0, result, sizeof(result));
	sqlite3_finalize(st);
	if (strcmp(result, "ok") != 0)
		return bf_error_set(err, BF_ESTORE, field, "%s is damaged: %s", path,
		                    result[0] ? result : sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", -1, &st,
	                       NULL) != SQLITE_OK)
		return sqlite_fail(db, err, field, "cannot read", path);
	ours = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!ours)
		return bf_error_set(err, BF_EINVAL, field, "%s is not a borderflow database", path);
	return BF_OK;
}

/* Copies every page of FROM into TO in one step, so that the copy is one
 * snapshot of FROM: a step that copies part of it would start again after
 * each write another connection commits. A busy source is waited for, a
 * bounded number of times. */
static int copy_pages(sqlite3 *from, sqlite3 *to, const char *path, struct bf_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc = SQLITE_OK;
	if (b == NULL)
		return sqlite_fail(to, err, "db", "cannot copy to", path);
	for (int tries = 0; tries < 200; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return bf_error_set(err, BF_ESTORE, "db", "copying to %s failed: %s", path, sqlite3_errstr(rc));
	return BF_OK;
}

static void remove_database(const char *path)
{
	char side[4096];
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-journal", path);
	unlink(side);
}

int bf_store_backup(const char *db_path, const char *out_path, struct bf_error *err)
{
	sqlite3 *from = NULL, *to = NULL;
	struct stat sb;
	int rc;

	if (stat(out_path, &sb) == 0)
		return bf_error_set(err, BF_ECONFLICT, "out", "%s exists already; name a new file", out_path);
	if ((rc = open_existing(db_path, "db", &from, err)) != 0)
		return rc;
	if ((rc = check_database(from, db_path, "db", err)) != 0)
		goto done;
	if (sqlite3_open_v2(out_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = sqlite_fail(to, err, "out", "cannot create", out_path);
		goto done;
	}
	if ((rc = copy_pages(from, to, out_path, err)) != 0 || (rc = check_database(to, out_path, "out", err)) != 0)
		goto done;
done:
	sqlite3_close(from);
	if (to != NULL && sqlite3_close(to) != SQLITE_OK && rc == BF_OK)
		rc = bf_error_set(err, BF_ESTORE, "out", "cannot close %s", out_path);
	if (rc != BF_OK && to != NULL)
		remove_database(out_path);
	return rc;
}

int bf_store_restore(const char *backup_path, const char *db_path, bool force, struct bf_error *err)
{
	sqlite3 *from = NULL, *to = NULL;
	struct stat sb;
	bool created = false;
	int rc;

	if ((rc = open_existing(backup_path, "backup", &from, err)) != 0)
		return rc;
	if ((rc = check_database(from, backup_path, "backup", err)) != 0)
		goto done;
	created = stat(db_path, &sb) != 0;
	if (!created && !force) {
		rc = bf_error_set(err, BF_ECONFLICT, "db", "%s exists; give --force to replace it with the backup",
		                  db_path);
		goto done;
	}
	if (sqlite3_open_v2(db_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = sqlite_fail(to, err, "db", "cannot open", db_path);
		goto done;
	}
	/* Exclusive locking: the first read takes the file's lock and keeps
	 * it, which fails at once while any other connection (a running
	 * server's) has the database open, even one that is idle. A server
	 * left running would keep serving what it had cached. */
	sqlite3_busy_timeout(to, 0);
	if (sqlite3_exec(to, "PRAGMA locking_mode = EXCLUSIVE; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		int code = sqlite3_errcode(to);
		if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
			rc =
			    bf_error_set(err, BF_ECONFLICT, "db",
			                 "%s is in use (a server is running on it); stop it before restoring", db_path);
		else
			rc = sqlite_fail(to, err, "db", "cannot read", db_path);
		goto done;
	}
	rc = copy_pages(from, to, db_path, err);
done:
	sqlite3_close(from);
	sqlite3_close(to);
	/* A database this call created and could not fill is not left
	 * behind to be taken for a restored one. */
	if (rc != BF_OK && created && to != NULL)
		remove_database(db_path);
	return rc;
}
