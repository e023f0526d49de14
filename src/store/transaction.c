/* Transactions on a connection (store.h): on its own, or as a member of a
 * grouped pool's transaction (pool.h) through the pool's operations; and
 * one write run in a transaction of its own when the caller has none. */
#include "store/db.h"

#include <string.h>

/* Inside a pinned connection's transaction (pool.h), a use case's own is a
 * savepoint of it: SQLite and PostgreSQL both nest savepoints of one name,
 * and a rollback to one recovers a PostgreSQL transaction that failed
 * after it. */
static int nested_begin(struct bf_store *s, struct bf_error *err)
{
	/* SQLite may have rolled the pinner's transaction back on its own (an
	 * I/O error, a full disk); a savepoint then would begin a transaction
	 * of its own, and what follows would be committed without what went
	 * before. */
	if (s->pg == NULL && sqlite3_get_autocommit(s->db))
		return bf_error_set(err, BF_ESTORE, "", "the request's transaction was rolled back: %s", s->errmsg);
	int rc = bf_db_exec(s, "SAVEPOINT bf_nested", err);
	if (rc == BF_OK)
		s->nested++;
	return rc;
}

static int nested_commit(struct bf_store *s, struct bf_error *err)
{
	if (s->nested == 0)
		return bf_error_set(err, BF_ESTORE, "", "commit: no transaction was begun");
	int rc = bf_db_exec(s, "RELEASE bf_nested", err);
	if (rc) {
		bf_error_prefix(err, "commit");
		bf_store_rollback(s);
		return rc;
	}
	s->nested--;
	return BF_OK;
}

static void nested_rollback(struct bf_store *s)
{
	struct bf_error ignored;
	if (s->nested == 0)
		return; /* the pinner's transaction is the pinner's to end */
	bf_db_exec(s, "ROLLBACK TO bf_nested; RELEASE bf_nested", &ignored);
	s->nested--;
}

int bf_store_begin(struct bf_store *s, struct bf_error *err)
{
	if (s->pinned)
		return nested_begin(s, err);
	return s->group ? s->group_ops->begin(s, err) : bf_db_begin(s, err);
}

/* PostgreSQL answers COMMIT of a transaction that failed with ROLLBACK
 * and no error: that is a failure here. */
int bf_store_commit(struct bf_store *s, struct bf_error *err)
{
	if (s->pinned)
		return nested_commit(s, err);
	if (s->group)
		return s->group_ops->commit(s, err);
	/* A transaction that changed a row counts in the revision; in one
	 * round trip on PostgreSQL, where a failed UPDATE stops the COMMIT. */
	int rc = bf_db_exec(s, s->revised && bf_db_wrote(s) ? BF_DB_REVISION_BUMP "COMMIT" : "COMMIT", err);
	s->in_tx = false;
	if (rc == BF_OK && bf_db_in_transaction(s))
		rc = bf_error_set(err, BF_ESTORE, "", "commit: the transaction was not committed");
	if (rc == BF_OK && s->pg && strcmp(s->last_tag, "COMMIT") != 0)
		rc = bf_error_set(err, BF_ESTORE, "", "commit: the transaction had failed and was rolled back");
	if (rc)
		bf_store_rollback(s);
	return rc;
}

void bf_store_rollback(struct bf_store *s)
{
	if (s->pinned) {
		nested_rollback(s);
		return;
	}
	if (s->group) {
		s->group_ops->rollback(s);
		return;
	}
	if (bf_db_in_transaction(s)) {
		struct bf_error ignored;
		bf_db_exec(s, "ROLLBACK", &ignored);
	}
	s->in_tx = false;
}

int bf_store_step_done(struct bf_store *s, struct bf_stmt *st, struct bf_error *err)
{
	if (!bf_db_in_transaction(s)) {
		int rc = bf_store_begin(s, err);
		if (rc) {
			bf_db_finalize(st);
			return rc;
		}
		if ((rc = bf_store_step_done(s, st, err)) != 0) {
			bf_store_rollback(s);
			return rc;
		}
		return bf_store_commit(s, err);
	}
	int rc = bf_db_step(st);
	bf_db_finalize(st);
	if (rc == BF_ECONFLICT)
		return bf_error_set(err, BF_ECONFLICT, "", "already exists: %s", s->errmsg);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW)
		return bf_db_error(s, err, "write");
	return BF_OK;
}
