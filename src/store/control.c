/* Risk profiles, control lanes and refusals. */
#include "store/db.h"

#include <string.h>

int bf_store_risk_profile_get(struct bf_store *s, const char *country, char **body, struct bf_error *err)
{
	struct bf_stmt *st;
	*body = NULL;
	int rc = bf_db_prepare(s, "SELECT body FROM risk_profile WHERE country = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, country);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		*body = bf_xstrdup((const char *)bf_db_col_text(st, 0));
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "country", "no risk profile for %s", country);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read a risk profile");
}

int bf_store_risk_profile_put(struct bf_store *s, const char *country, const char *body, const char *by, bf_time now,
                              struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO risk_profile (country, body, updated_at, updated_by) VALUES (?,?,?,?) "
	                       "ON CONFLICT (country) DO UPDATE SET body = excluded.body, "
	                       "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, country);
	bf_db_bind_text(st, 2, body);
	bf_db_bind_int64(st, 3, now);
	bf_db_bind_text(st, 4, by);
	return bf_store_step_done(s, st, err);
}

int bf_store_control_put(struct bf_store *s, const char *consignment_id, const struct bf_control *c,
                         struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO control (consignment_id, side, country, lane, minutes, reason, at) "
	                       "VALUES (?,?,?,?,?,?,?) ON CONFLICT (consignment_id, side) DO UPDATE SET "
	                       "country = excluded.country, lane = excluded.lane, minutes = excluded.minutes, "
	                       "reason = excluded.reason, at = excluded.at",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, consignment_id);
	bf_db_bind_text(st, 2, c->side);
	bf_db_bind_text(st, 3, c->country);
	bf_db_bind_text(st, 4, c->lane);
	bf_db_bind_double(st, 5, c->minutes);
	bf_db_bind_text(st, 6, c->reason);
	bf_db_bind_int64(st, 7, c->at);
	return bf_store_step_done(s, st, err);
}

int bf_store_controls_get(struct bf_store *s, const char *consignment_id, struct bf_control out[2], int *n,
                          struct bf_error *err)
{
	struct bf_stmt *st;
	*n = 0;
	int rc = bf_db_prepare(s,
	                       "SELECT side, country, lane, minutes, reason, at FROM control WHERE consignment_id = ? "
	                       "ORDER BY side DESC",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, consignment_id);
	while (*n < 2 && (rc = bf_db_step(st)) == BF_DB_ROW) {
		struct bf_control *c = &out[(*n)++];
		memset(c, 0, sizeof(*c));
		bf_db_col_text_copy(st, 0, c->side, sizeof(c->side));
		bf_db_col_text_copy(st, 1, c->country, sizeof(c->country));
		bf_db_col_text_copy(st, 2, c->lane, sizeof(c->lane));
		c->minutes = bf_db_col_double(st, 3);
		bf_db_col_text_copy(st, 4, c->reason, sizeof(c->reason));
		c->at = bf_db_col_int64(st, 5);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW)
		return bf_db_error(s, err, "read controls");
	return BF_OK;
}

int bf_store_refusal_put(struct bf_store *s, const char *consignment_id, const char *exporter_id, bf_time at,
                         struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO refusal (consignment_id, exporter_id, at) VALUES (?,?,?) "
	                       "ON CONFLICT (consignment_id) DO UPDATE SET exporter_id = excluded.exporter_id, "
	                       "at = excluded.at",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, consignment_id);
	bf_db_bind_text(st, 2, exporter_id);
	bf_db_bind_int64(st, 3, at);
	return bf_store_step_done(s, st, err);
}

int bf_store_last_refusal(struct bf_store *s, const char *exporter_id, bf_time *at, struct bf_error *err)
{
	struct bf_stmt *st;
	*at = 0;
	int rc = bf_db_prepare(s, "SELECT max(at) FROM refusal WHERE exporter_id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, exporter_id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		*at = bf_db_col_int64(st, 0);
	bf_db_finalize(st);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read refusals");
}
