/* Simulations asked of the server. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

int bf_store_simulation_put(struct bf_store *s, const struct bf_simulation *sim, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO simulation (id, party_id, created_at, status, total, request) "
	                       "VALUES (?,?,?,?,?,?)",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, sim->id);
	bf_db_bind_text(st, 2, sim->party_id);
	bf_db_bind_int64(st, 3, sim->created_at);
	bf_db_bind_text(st, 4, sim->status);
	bf_db_bind_int(st, 5, sim->total);
	bf_db_bind_text(st, 6, sim->request);
	return bf_store_step_done(s, st, err);
}

int bf_store_simulation_status(struct bf_store *s, const char *id, const char *status, const char *result,
                               const char *error, bf_time finished_at, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s, "UPDATE simulation SET status = ?, result = ?, error = ?, finished_at = ? WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, status);
	if (result)
		bf_db_bind_text(st, 2, result);
	if (error)
		bf_db_bind_text(st, 3, error);
	if (finished_at)
		bf_db_bind_int64(st, 4, finished_at);
	bf_db_bind_text(st, 5, id);
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		return rc;
	if (bf_db_changes(s) == 0)
		return bf_error_set(err, BF_ENOTFOUND, "id", "no simulation %s", id);
	return BF_OK;
}

static char *dup_column(struct bf_stmt *st, int col)
{
	const char *t = (const char *)bf_db_col_text(st, col);
	return t ? bf_xstrdup(t) : NULL;
}

int bf_store_simulation_get(struct bf_store *s, const char *id, struct bf_simulation *out, struct bf_error *err)
{
	struct bf_stmt *st;
	memset(out, 0, sizeof(*out));
	int rc = bf_db_prepare(s,
	                       "SELECT id, party_id, created_at, finished_at, status, total, request, result, error "
	                       "FROM simulation WHERE id = ?",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW) {
		bf_db_col_text_copy(st, 0, out->id, sizeof(out->id));
		bf_db_col_text_copy(st, 1, out->party_id, sizeof(out->party_id));
		out->created_at = bf_db_col_int64(st, 2);
		out->finished_at = bf_db_col_int64(st, 3);
		bf_db_col_text_copy(st, 4, out->status, sizeof(out->status));
		out->total = bf_db_col_int(st, 5);
		out->request = dup_column(st, 6);
		out->result = dup_column(st, 7);
		out->error = dup_column(st, 8);
	}
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "id", "no simulation %s", id);
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read a simulation");
	return BF_OK;
}

int bf_store_simulations_unfinished(struct bf_store *s, char (**ids)[BF_SIMULATION_ID_MAX + 1], size_t *n,
                                    struct bf_error *err)
{
	struct bf_stmt *st;
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc = bf_db_prepare(s,
	                       "SELECT id FROM simulation WHERE status IN ('queued', 'running') "
	                       "ORDER BY created_at, id",
	                       &st, err);
	if (rc)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			*ids = bf_xrealloc(*ids, cap * sizeof(**ids));
		}
		bf_db_col_text_copy(st, 0, (*ids)[(*n)++], sizeof(**ids));
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return bf_db_error(s, err, "list simulations");
	}
	return BF_OK;
}
