/* Disputes and forks on either engine (store_dispute.h). */
#include "store/store_dispute.h"

#include "store/db.h"

#include <stdlib.h>
#include <string.h>

int bf_store_dispute_put(struct bf_store *s, const struct bf_dispute *d, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO dispute (origin, origin_seq, kind, subject, hash, raised_by, reason, "
	                       "raised_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (origin, origin_seq) DO NOTHING",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, d->origin);
	bf_db_bind_int64(st, 2, d->origin_seq);
	bf_db_bind_text(st, 3, d->kind);
	bf_db_bind_text(st, 4, d->subject);
	bf_db_bind_text(st, 5, d->hash);
	bf_db_bind_text(st, 6, d->raised_by);
	bf_db_bind_text(st, 7, d->reason);
	bf_db_bind_int64(st, 8, d->raised_at);
	return bf_store_step_done(s, st, err);
}

int bf_store_disputes_list(struct bf_store *s, struct bf_dispute **out, size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = bf_db_prepare(s,
	                       "SELECT origin, origin_seq, kind, subject, hash, raised_by, reason, raised_at "
	                       "FROM dispute ORDER BY raised_at, origin, origin_seq",
	                       &st, err);
	if (rc)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = bf_xrealloc(*out, cap * sizeof(**out));
		}
		struct bf_dispute *d = &(*out)[(*n)++];
		memset(d, 0, sizeof(*d));
		bf_db_col_text_copy(st, 0, d->origin, sizeof(d->origin));
		d->origin_seq = bf_db_col_int64(st, 1);
		bf_db_col_text_copy(st, 2, d->kind, sizeof(d->kind));
		bf_db_col_text_copy(st, 3, d->subject, sizeof(d->subject));
		bf_db_col_text_copy(st, 4, d->hash, sizeof(d->hash));
		bf_db_col_text_copy(st, 5, d->raised_by, sizeof(d->raised_by));
		bf_db_col_text_copy(st, 6, d->reason, sizeof(d->reason));
		d->raised_at = bf_db_col_int64(st, 7);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return bf_db_error(s, err, "list the disputes");
	}
	return BF_OK;
}

int bf_store_disputes_count(struct bf_store *s, int64_t *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT count(*) FROM dispute", &st, err);
	*out = 0;
	if (rc)
		return rc;
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		*out = bf_db_col_int64(st, 0);
	bf_db_finalize(st);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "count the disputes");
}

static int ref_cmp(const void *a, const void *b)
{
	const struct bf_store_event_ref *x = a, *y = b;
	int c = strcmp(x->origin, y->origin);
	if (c)
		return c;
	return x->origin_seq < y->origin_seq ? -1 : x->origin_seq > y->origin_seq;
}

int bf_store_disputed(struct bf_store *s, const char *raised_by, const char *subject, struct bf_store_event_ref **out,
                      size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = bf_db_prepare(s,
	                       subject ? "SELECT origin, origin_seq FROM dispute WHERE raised_by = ? AND subject = ?"
	                               : "SELECT origin, origin_seq FROM dispute WHERE raised_by = ?",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, raised_by);
	if (subject)
		bf_db_bind_text(st, 2, subject);
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = bf_xrealloc(*out, cap * sizeof(**out));
		}
		struct bf_store_event_ref *r = &(*out)[(*n)++];
		bf_db_col_text_copy(st, 0, r->origin, sizeof(r->origin));
		r->origin_seq = bf_db_col_int64(st, 1);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return bf_db_error(s, err, "read the disputed events");
	}
	/* Sorted here, byte by byte: the engines' collations differ. */
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), ref_cmp);
	return BF_OK;
}

bool bf_store_disputed_has(const struct bf_store_event_ref *refs, size_t n, const char *origin, int64_t origin_seq)
{
	struct bf_store_event_ref key = {.origin_seq = origin_seq};
	if (n == 0 || bf_strlcpy(key.origin, origin, sizeof(key.origin)) != 0)
		return false;
	return bsearch(&key, refs, n, sizeof(*refs), ref_cmp) != NULL;
}

int bf_store_fork_put(struct bf_store *s, const struct bf_fork *f, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO fork (origin, origin_seq, held, offered, detected_at) VALUES (?,?,?,?,?) "
	                       "ON CONFLICT (origin, origin_seq) DO NOTHING",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, f->origin);
	bf_db_bind_int64(st, 2, f->origin_seq);
	bf_db_bind_text(st, 3, f->held);
	bf_db_bind_text(st, 4, f->offered);
	bf_db_bind_int64(st, 5, f->detected_at);
	return bf_store_step_done(s, st, err);
}

void bf_store_forks_free(struct bf_fork *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].held);
		free(v[i].offered);
	}
	free(v);
}

static char *text_dup(struct bf_stmt *st, int col)
{
	const unsigned char *t = bf_db_col_text(st, col);
	return bf_xstrdup(t ? (const char *)t : "");
}

int bf_store_forks_list(struct bf_store *s, struct bf_fork **out, size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = bf_db_prepare(s,
	                       "SELECT origin, origin_seq, held, offered, detected_at, coalesce(resolved_at, 0) "
	                       "FROM fork ORDER BY detected_at, origin_seq",
	                       &st, err);
	if (rc)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = bf_xrealloc(*out, cap * sizeof(**out));
		}
		struct bf_fork *f = &(*out)[(*n)++];
		memset(f, 0, sizeof(*f));
		bf_db_col_text_copy(st, 0, f->origin, sizeof(f->origin));
		f->origin_seq = bf_db_col_int64(st, 1);
		f->held = text_dup(st, 2);
		f->offered = text_dup(st, 3);
		f->detected_at = bf_db_col_int64(st, 4);
		f->resolved_at = bf_db_col_int64(st, 5);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		bf_store_forks_free(*out, *n);
		*out = NULL;
		*n = 0;
		return bf_db_error(s, err, "list the forks");
	}
	return BF_OK;
}

int bf_store_forks_open(struct bf_store *s, const char *origin, int64_t *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       origin ? "SELECT count(*) FROM fork WHERE resolved_at IS NULL AND origin = ?"
	                              : "SELECT count(*) FROM fork WHERE resolved_at IS NULL",
	                       &st, err);
	*out = 0;
	if (rc)
		return rc;
	if (origin)
		bf_db_bind_text(st, 1, origin);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		*out = bf_db_col_int64(st, 0);
	bf_db_finalize(st);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "count the open forks");
}

int bf_store_fork_resolve(struct bf_store *s, const char *origin, int64_t origin_seq, bf_time at, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "UPDATE fork SET resolved_at = ? WHERE origin = ? AND origin_seq = ? AND resolved_at IS "
	                       "NULL",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_int64(st, 1, at);
	bf_db_bind_text(st, 2, origin);
	bf_db_bind_int64(st, 3, origin_seq);
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		return rc;
	if (bf_db_changes(s) == 0)
		return bf_error_set(err, BF_ENOTFOUND, "fork", "no open fork of %s's chain at #%lld", origin,
		                    (long long)origin_seq);
	return BF_OK;
}

int bf_store_peer_head_put(struct bf_store *s, const char *origin, int64_t origin_seq, const char *head,
                           bf_time received_at, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO peer_head (origin, origin_seq, head, received_at) VALUES (?,?,?,?) "
	                       "ON CONFLICT (origin) DO UPDATE SET origin_seq = excluded.origin_seq, head = "
	                       "excluded.head, received_at = excluded.received_at "
	                       "WHERE excluded.origin_seq >= peer_head.origin_seq",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, origin);
	bf_db_bind_int64(st, 2, origin_seq);
	bf_db_bind_text(st, 3, head);
	bf_db_bind_int64(st, 4, received_at);
	return bf_store_step_done(s, st, err);
}

int bf_store_peer_head_get(struct bf_store *s, const char *origin, int64_t *origin_seq, char **head,
                           bf_time *received_at, struct bf_error *err)
{
	struct bf_stmt *st;
	*head = NULL;
	int rc = bf_db_prepare(s, "SELECT origin_seq, head, received_at FROM peer_head WHERE origin = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, origin);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW) {
		*origin_seq = bf_db_col_int64(st, 0);
		*head = text_dup(st, 1);
		*received_at = bf_db_col_int64(st, 2);
	}
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "head", "no signed head of %s has arrived", origin);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read the peer's head");
}
