/* Online backup and restore of a SQLite database through SQLite's backup
 * API. A PostgreSQL database is backed up with pg_dump (docs/operations.md). */
#include "store/store.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int not_postgres(const char *url, const char *field, struct bf_error *err)
{
	if (bf_store_is_postgres(url))
		return bf_error_set(err, BF_EINVAL, field,
		                    "a PostgreSQL database is backed up with pg_dump and restored with pg_restore "
		                    "(see docs/operations.md); backup and restore here copy SQLite files");
	return BF_OK;
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
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		bf_strlcpy(result, (const char *)sqlite3_column_text(st, 0), sizeof(result));
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

	if ((rc = not_postgres(db_path, "db", err)) != 0)
		return rc;
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

	if ((rc = not_postgres(db_path, "db", err)) != 0)
		return rc;
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
