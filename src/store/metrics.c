/* The figures GET /metrics reports, read on either engine. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

/* Rows of (kind, count) that SQL selects, into *OUT. */
static int kind_counts(struct bf_store *s, const char *sql, struct bf_kind_count **out, size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	size_t cap = 0;
	int step, rc = bf_db_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	while ((step = bf_db_step(st)) == BF_DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			*out = bf_xrealloc(*out, cap * sizeof(**out));
		}
		struct bf_kind_count *k = &(*out)[(*n)++];
		bf_db_col_text_copy(st, 0, k->kind, sizeof(k->kind));
		k->events = (long)bf_db_col_int64(st, 1);
	}
	bf_db_finalize(st);
	return step == BF_DB_DONE ? BF_OK : bf_db_error(s, err, "metrics");
}

int bf_store_metrics(struct bf_store *s, struct bf_store_metrics *out, struct bf_error *err)
{
	static const char *const statuses[4] = {"queued", "running", "done", "failed"};
	struct bf_stmt *st;
	size_t cap;
	int rc, step;

	memset(out, 0, sizeof(*out));
	/* The yard of a gate: its bookings whose vehicle has checked in and
	 * waits to be called, as GET /v1/gates/{id}/queue lists them. */
	rc = bf_db_prepare(s,
	                   "SELECT g.id, (SELECT count(*) FROM booking b JOIN consignment c ON c.id = b.consignment_id "
	                   "WHERE b.gate_id = g.id AND c.state = 'waiting') FROM gate_pair g ORDER BY g.id",
	                   &st, err);
	if (rc)
		return rc;
	cap = 0;
	while ((step = bf_db_step(st)) == BF_DB_ROW) {
		if (out->n_gates == cap) {
			cap = cap ? 2 * cap : 32;
			out->gates = bf_xrealloc(out->gates, cap * sizeof(*out->gates));
		}
		struct bf_gate_count *g = &out->gates[out->n_gates++];
		bf_db_col_text_copy(st, 0, g->gate_id, sizeof(g->gate_id));
		g->waiting = (long)bf_db_col_int64(st, 1);
	}
	bf_db_finalize(st);
	if (step != BF_DB_DONE)
		goto failed;

	if ((rc = kind_counts(s, "SELECT kind, count(*) FROM event GROUP BY kind ORDER BY kind", &out->kinds,
	                      &out->n_kinds, err)) != 0)
		goto out;
	/* An overridden step's event carries "override" at the top of its
	 * payload, written with sorted keys and no spaces; inside a JSON text
	 * a quote after a comma is always structure, never a string's. */
	if ((rc = kind_counts(s,
	                      "SELECT kind, count(*) FROM event WHERE payload LIKE '%,\"override\":{\"at\":%' "
	                      "GROUP BY kind ORDER BY kind",
	                      &out->overrides, &out->n_overrides, err)) != 0)
		goto out;

	rc = bf_db_prepare(s, "SELECT status, count(*) FROM simulation GROUP BY status", &st, err);
	if (rc)
		goto out;
	while ((step = bf_db_step(st)) == BF_DB_ROW) {
		const char *status = (const char *)bf_db_col_text(st, 0);
		for (int i = 0; i < 4; i++)
			if (status != NULL && strcmp(status, statuses[i]) == 0)
				out->simulations[i] = (long)bf_db_col_int64(st, 1);
	}
	bf_db_finalize(st);
	if (step != BF_DB_DONE)
		goto failed;
	return BF_OK;
failed:
	rc = bf_db_error(s, err, "metrics");
out:
	bf_store_metrics_clear(out);
	return rc;
}

void bf_store_metrics_clear(struct bf_store_metrics *m)
{
	free(m->gates);
	free(m->kinds);
	free(m->overrides);
	memset(m, 0, sizeof(*m));
}
