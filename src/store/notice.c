/* Notices, their acknowledgements and the suspensions they led to. */
#include "store/db.h"
#include "store/store_notice.h"

#include <stdlib.h>
#include <string.h>

#define NOTICE_COLUMNS                                                                                                 \
	"rowid, id, kind, text, exporter, planting_area, packing_house, gate, consignment, posted_by, role, country, " \
	"posted_at"

int bf_store_notice_next_number(struct bf_store *s, const char *origin, int64_t *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT coalesce(max(number), 0) + 1 FROM notice WHERE origin = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, origin);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		*out = bf_db_col_int64(st, 0);
	bf_db_finalize(st);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "number a notice");
}

int bf_store_notice_put(struct bf_store *s, const struct bf_notice *n, const char *origin, int64_t number,
                        struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO notice (id, origin, number, kind, text, exporter, planting_area, "
	                       "packing_house, gate, consignment, posted_by, role, country, posted_at) "
	                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, n->id);
	bf_db_bind_text(st, 2, origin);
	bf_db_bind_int64(st, 3, number);
	bf_db_bind_text(st, 4, bf_notice_kind_name(n->kind));
	bf_db_bind_text(st, 5, n->text);
	bf_db_bind_text(st, 6, n->exporter);
	bf_db_bind_text(st, 7, n->planting_area);
	bf_db_bind_text(st, 8, n->packing_house);
	bf_db_bind_text(st, 9, n->gate);
	bf_db_bind_text(st, 10, n->consignment);
	bf_db_bind_text(st, 11, n->posted_by);
	bf_db_bind_text(st, 12, bf_role_name(n->role));
	bf_db_bind_text(st, 13, n->country);
	bf_db_bind_int64(st, 14, n->posted_at);
	return bf_store_step_done(s, st, err);
}

/* One row of NOTICE_COLUMNS from column 1 on; *ROWID gets column 0. */
static void read_notice(struct bf_stmt *st, struct bf_notice *n, int64_t *rowid)
{
	char text[32];
	memset(n, 0, sizeof(*n));
	*rowid = bf_db_col_int64(st, 0);
	bf_db_col_text_copy(st, 1, n->id, sizeof(n->id));
	bf_db_col_text_copy(st, 2, text, sizeof(text));
	if (bf_notice_kind_parse(text, &n->kind))
		n->kind = BF_NOTICE_KINDS;
	bf_db_col_text_copy(st, 3, n->text, sizeof(n->text));
	bf_db_col_text_copy(st, 4, n->exporter, sizeof(n->exporter));
	bf_db_col_text_copy(st, 5, n->planting_area, sizeof(n->planting_area));
	bf_db_col_text_copy(st, 6, n->packing_house, sizeof(n->packing_house));
	bf_db_col_text_copy(st, 7, n->gate, sizeof(n->gate));
	bf_db_col_text_copy(st, 8, n->consignment, sizeof(n->consignment));
	bf_db_col_text_copy(st, 9, n->posted_by, sizeof(n->posted_by));
	bf_db_col_text_copy(st, 10, text, sizeof(text));
	if (bf_role_parse(text, &n->role))
		n->role = BF_ROLE_COUNT;
	bf_db_col_text_copy(st, 11, n->country, sizeof(n->country));
	n->posted_at = bf_db_col_int64(st, 12);
}

/* N's acknowledgements, oldest first. */
static int read_acks(struct bf_store *s, struct bf_notice *n, struct bf_error *err)
{
	struct bf_stmt *st;
	char role[32];
	int rc = bf_db_prepare(s,
	                       "SELECT by_party, role, country, at, note FROM notice_ack WHERE notice_id = ? "
	                       "ORDER BY at, rowid",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, n->id);
	n->n_acks = 0;
	while (n->n_acks < BF_NOTICE_MAX_ACKS && (rc = bf_db_step(st)) == BF_DB_ROW) {
		struct bf_notice_ack *a = &n->acks[n->n_acks++];
		bf_db_col_text_copy(st, 0, a->by, sizeof(a->by));
		bf_db_col_text_copy(st, 1, role, sizeof(role));
		if (bf_role_parse(role, &a->role))
			a->role = BF_ROLE_COUNT;
		bf_db_col_text_copy(st, 2, a->country, sizeof(a->country));
		a->at = bf_db_col_int64(st, 3);
		bf_db_col_text_copy(st, 4, a->note, sizeof(a->note));
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW)
		return bf_db_error(s, err, "read acknowledgements");
	return BF_OK;
}

int bf_store_notice_get(struct bf_store *s, const char *id, struct bf_notice *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int64_t rowid;
	int rc = bf_db_prepare(s, "SELECT " NOTICE_COLUMNS " FROM notice WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_notice(st, out, &rowid);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "id", "no notice has this id");
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read a notice");
	return read_acks(s, out, err);
}

int bf_store_notices_list(struct bf_store *s, const struct bf_notice_filter *f, struct bf_notice **out, size_t *n,
                          int64_t *next, struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_notice *v;
	size_t len = 0;
	int64_t rowid = 0;
	int rc =
	    bf_db_prepare(s,
	                  "SELECT " NOTICE_COLUMNS " FROM notice WHERE (CAST(?1 AS TEXT) IS NULL OR kind = ?1) "
	                  "AND (?2 < 0 OR (CASE WHEN EXISTS (SELECT 1 FROM notice_ack a WHERE a.notice_id = notice.id) "
	                  "THEN 1 ELSE 0 END) = ?2) "
	                  "AND (?3 = 0 OR (posted_at, rowid) < (SELECT posted_at, rowid FROM notice WHERE rowid = ?3)) "
	                  "ORDER BY posted_at DESC, rowid DESC LIMIT ?4",
	                  &st, err);
	*out = NULL;
	*n = 0;
	*next = 0;
	if (rc)
		return rc;
	if (f->kind >= 0)
		bf_db_bind_text(st, 1, bf_notice_kind_name((enum bf_notice_kind)f->kind));
	bf_db_bind_int(st, 2, f->acknowledged);
	bf_db_bind_int64(st, 3, f->after);
	bf_db_bind_int(st, 4, f->limit + 1);
	v = bf_xcalloc(f->limit > 0 ? (size_t)f->limit : 1, sizeof(*v));
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == (size_t)f->limit) {
			*next = rowid; /* one more row: the page ends at the last one read */
			break;
		}
		read_notice(st, &v[len++], &rowid);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW) {
		free(v);
		return bf_db_error(s, err, "list notices");
	}
	for (size_t i = 0; i < len; i++) {
		if ((rc = read_acks(s, &v[i], err)) != 0) {
			free(v);
			return rc;
		}
	}
	*out = v;
	*n = len;
	return BF_OK;
}

int bf_store_notice_ack_put(struct bf_store *s, const char *notice_id, const struct bf_notice_ack *a,
                            struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO notice_ack (notice_id, country, by_party, role, at, note) "
	                       "VALUES (?,?,?,?,?,?)",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, notice_id);
	bf_db_bind_text(st, 2, a->country);
	bf_db_bind_text(st, 3, a->by);
	bf_db_bind_text(st, 4, bf_role_name(a->role));
	bf_db_bind_int64(st, 5, a->at);
	bf_db_bind_text(st, 6, a->note);
	return bf_store_step_done(s, st, err);
}

int bf_store_notice_suspension_put(struct bf_store *s, const char *kind, const char *code, const char *notice_id,
                                   bf_time at, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc =
	    bf_db_prepare(s,
	                  "INSERT INTO notice_suspension (kind, code, notice_id, at) VALUES (?,?,?,?) "
	                  "ON CONFLICT (kind, code) DO UPDATE SET notice_id = excluded.notice_id, at = excluded.at",
	                  &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, kind);
	bf_db_bind_text(st, 2, code);
	bf_db_bind_text(st, 3, notice_id);
	bf_db_bind_int64(st, 4, at);
	return bf_store_step_done(s, st, err);
}

int bf_store_notice_suspension_clear(struct bf_store *s, const char *kind, const char *code, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "DELETE FROM notice_suspension WHERE kind = ? AND code = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, kind);
	bf_db_bind_text(st, 2, code);
	return bf_store_step_done(s, st, err);
}

int bf_store_notice_suspension_get(struct bf_store *s, const char *kind, const char *code, struct bf_notice *out,
                                   struct bf_error *err)
{
	struct bf_stmt *st;
	char id[BF_NOTICE_ID_MAX + 1];
	int rc = bf_db_prepare(s, "SELECT notice_id FROM notice_suspension WHERE kind = ? AND code = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, kind);
	bf_db_bind_text(st, 2, code);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		bf_db_col_text_copy(st, 0, id, sizeof(id));
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "code", "%s was not suspended after a notice", code);
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read a suspension");
	return bf_store_notice_get(s, id, out, err);
}
