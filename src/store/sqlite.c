/* The SQLite back end of store.h: WAL journal, foreign keys on, durable
 * commits, a busy timeout so that writers from several threads or
 * processes queue instead of failing. */
#include "store/migrations.h"
#include "store/sqlite_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int user_version(struct bf_store *s, int *out, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s, "PRAGMA user_version", &st, err);
	if (rc)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return bf_sq_error(s, err, "read schema version");
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return BF_OK;
}

/* Each migration runs in its own write transaction and re-reads the
 * version inside it, so two processes starting at once apply it once. */
static int migrate(struct bf_store *s, struct bf_error *err)
{
	for (size_t i = 0; i < bf_migrations_len; i++) {
		const struct bf_migration *m = &bf_migrations[i];
		char pragma[48];
		int v = 0, rc = bf_store_begin(s, err);
		if (rc)
			return rc;
		if ((rc = user_version(s, &v, err)) != 0)
			goto fail;
		if (v > bf_migrations[bf_migrations_len - 1].version) {
			rc = bf_error_set(err, BF_ESTORE, "",
			                  "the database is at schema version %d, newer than this build knows (%d)", v,
			                  bf_migrations[bf_migrations_len - 1].version);
			goto fail;
		}
		if (v >= m->version) {
			bf_store_rollback(s);
			continue;
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", m->version);
		if ((rc = bf_sq_exec(s, m->sql, err)) != 0 || (rc = bf_sq_exec(s, pragma, err)) != 0) {
			bf_error_prefix(err, "migration %d (%s)", m->version, m->summary);
			goto fail;
		}
		if ((rc = bf_store_commit(s, err)) != 0)
			return rc;
		continue;
	fail:
		bf_store_rollback(s);
		return rc;
	}
	return BF_OK;
}

int bf_store_open(const char *url, struct bf_store **out, struct bf_error *err)
{
	struct bf_store *s = bf_xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (url == NULL || *url == '\0') {
		free(s);
		return bf_error_set(err, BF_EINVAL, "db", "no database named");
	}
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		free(s);
		return bf_error_set(err, BF_EINVAL, "db", "this build has no PostgreSQL back end; name a SQLite file");
	}
	if (sqlite3_open_v2(url, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = bf_error_set(err, BF_ESTORE, "db", "cannot open %s: %s", url,
		                  s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	if ((rc = bf_sq_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
	                     err)) != 0 ||
	    (rc = migrate(s, err)) != 0) {
		bf_error_prefix(err, "%s", url);
		goto fail;
	}
	*out = s;
	return BF_OK;
fail:
	sqlite3_close(s->db);
	free(s);
	return rc;
}

void bf_store_close(struct bf_store *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	free(s);
}

const char *bf_store_backend(const struct bf_store *s)
{
	(void)s;
	return "sqlite";
}

int bf_store_schema_version(struct bf_store *s, int *out, struct bf_error *err)
{
	return user_version(s, out, err);
}

int bf_store_latest_version(void)
{
	return bf_migrations[bf_migrations_len - 1].version;
}

int bf_store_begin(struct bf_store *s, struct bf_error *err)
{
	return bf_sq_exec(s, "BEGIN IMMEDIATE", err);
}

int bf_store_commit(struct bf_store *s, struct bf_error *err)
{
	int rc = bf_sq_exec(s, "COMMIT", err);
	if (rc)
		bf_store_rollback(s);
	return rc;
}

void bf_store_rollback(struct bf_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int bf_store_seeded(struct bf_store *s, bool *out, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s, "SELECT 1 FROM meta WHERE key = 'seeded_at'", &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return bf_sq_error(s, err, "read meta");
	*out = rc == SQLITE_ROW;
	return BF_OK;
}

static const char side_letter[2][2] = {"a", "b"};

static int put_gate(struct bf_store *s, const struct bf_gate_pair *g, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc =
	    bf_sq_prepare(s,
	                  "INSERT INTO gate_pair (id, name_vi, name_zh, name_en, mode, class, lat, lon, lanes_a_to_b, "
	                  "rate_a_to_b, lanes_b_to_a, rate_b_to_a) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
	                  &st, err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, g->id);
	bf_sq_bind_text(st, 2, g->name_vi);
	bf_sq_bind_text(st, 3, g->name_zh);
	bf_sq_bind_text(st, 4, g->name_en);
	bf_sq_bind_text(st, 5, bf_mode_name(g->mode));
	bf_sq_bind_text(st, 6, bf_gate_class_name(g->klass));
	sqlite3_bind_double(st, 7, g->lat);
	sqlite3_bind_double(st, 8, g->lon);
	sqlite3_bind_int(st, 9, g->lanes[BF_DIR_A_TO_B].lanes);
	sqlite3_bind_double(st, 10, g->lanes[BF_DIR_A_TO_B].vehicles_per_hour);
	sqlite3_bind_int(st, 11, g->lanes[BF_DIR_B_TO_A].lanes);
	sqlite3_bind_double(st, 12, g->lanes[BF_DIR_B_TO_A].vehicles_per_hour);
	if ((rc = bf_sq_step_done(s, st, err)) != 0)
		return rc;

	for (int c = 0; c < BF_CC_COUNT; c++) {
		if (!(g->designated & (1u << c)))
			continue;
		if ((rc = bf_sq_prepare(s, "INSERT INTO gate_designation (gate_id, class) VALUES (?, ?)", &st, err)) !=
		    0)
			return rc;
		bf_sq_bind_text(st, 1, g->id);
		bf_sq_bind_text(st, 2, bf_commodity_class_name((enum bf_commodity_class)c));
		if ((rc = bf_sq_step_done(s, st, err)) != 0)
			return rc;
	}

	for (int sd = 0; sd < 2; sd++) {
		const struct bf_gate_side *side = &g->side[sd];
		if ((rc = bf_sq_prepare(
		         s,
		         "INSERT INTO gate_side (gate_id, side, country, subdivision, province, gate, tz, "
		         "utc_offset_min) VALUES (?,?,?,?,?,?,?,?)",
		         &st, err)) != 0)
			return rc;
		bf_sq_bind_text(st, 1, g->id);
		bf_sq_bind_text(st, 2, side_letter[sd]);
		bf_sq_bind_text(st, 3, side->country);
		bf_sq_bind_text(st, 4, side->subdivision);
		bf_sq_bind_text(st, 5, side->province);
		bf_sq_bind_text(st, 6, side->gate);
		bf_sq_bind_text(st, 7, side->tz);
		sqlite3_bind_int(st, 8, side->utc_offset_min);
		if ((rc = bf_sq_step_done(s, st, err)) != 0)
			return rc;
		for (int wd = 0; wd < 7; wd++) {
			for (int i = 0; i < side->week[wd].n; i++) {
				if ((rc = bf_sq_prepare(
				         s,
				         "INSERT INTO gate_hours (gate_id, side, weekday, open_min, close_min) "
				         "VALUES (?,?,?,?,?)",
				         &st, err)) != 0)
					return rc;
				bf_sq_bind_text(st, 1, g->id);
				bf_sq_bind_text(st, 2, side_letter[sd]);
				sqlite3_bind_int(st, 3, wd);
				sqlite3_bind_int(st, 4, side->week[wd].iv[i].open);
				sqlite3_bind_int(st, 5, side->week[wd].iv[i].close);
				if ((rc = bf_sq_step_done(s, st, err)) != 0)
					return rc;
			}
		}
		for (size_t i = 0; i < side->n_exceptions; i++) {
			const struct bf_exception *e = &side->exceptions[i];
			if ((rc = bf_sq_prepare(
			         s,
			         "INSERT INTO gate_exception (gate_id, side, kind, start_utc, end_utc, note) "
			         "VALUES (?,?,?,?,?,?)",
			         &st, err)) != 0)
				return rc;
			bf_sq_bind_text(st, 1, g->id);
			bf_sq_bind_text(st, 2, side_letter[sd]);
			bf_sq_bind_text(st, 3, e->open ? "open" : "closed");
			sqlite3_bind_int64(st, 4, e->start);
			sqlite3_bind_int64(st, 5, e->end);
			bf_sq_bind_text(st, 6, e->note);
			if ((rc = bf_sq_step_done(s, st, err)) != 0)
				return rc;
		}
	}
	for (int t = 0; t < g->n_trains; t++) {
		const struct bf_train *tr = &g->trains[t];
		if ((rc = bf_sq_prepare(
		         s,
		         "INSERT INTO gate_train (gate_id, number, days, departs_min, wagons, farm_wagons, "
		         "direction) VALUES (?,?,?,?,?,?,?)",
		         &st, err)) != 0)
			return rc;
		bf_sq_bind_text(st, 1, g->id);
		bf_sq_bind_text(st, 2, tr->number);
		sqlite3_bind_int(st, 3, (int)tr->days);
		sqlite3_bind_int(st, 4, tr->departs);
		sqlite3_bind_int(st, 5, tr->wagons);
		sqlite3_bind_int(st, 6, tr->farm_wagons);
		bf_sq_bind_text(st, 7, bf_direction_name(tr->direction));
		if ((rc = bf_sq_step_done(s, st, err)) != 0)
			return rc;
	}
	for (size_t i = 0; i < g->n_lane_changes; i++) {
		if ((rc = bf_store_lane_change_put(s, g->id, &g->lane_changes[i], err)) != 0)
			return rc;
	}
	return BF_OK;
}

static int put_commodity(struct bf_store *s, const struct bf_commodity *c, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s,
	                       "INSERT INTO commodity (hs_code, class, name_vi, name_zh, name_en, shelf_life_hours, "
	                       "value_usd_per_tonne, needs_phyto_certificate, source) VALUES (?,?,?,?,?,?,?,?,?)",
	                       &st, err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, c->hs_code);
	bf_sq_bind_text(st, 2, bf_commodity_class_name(c->klass));
	bf_sq_bind_text(st, 3, c->name_vi);
	bf_sq_bind_text(st, 4, c->name_zh);
	bf_sq_bind_text(st, 5, c->name_en);
	sqlite3_bind_int(st, 6, c->shelf_life_hours);
	sqlite3_bind_double(st, 7, c->value_usd_per_tonne);
	sqlite3_bind_int(st, 8, c->needs_phyto_certificate ? 1 : 0);
	bf_sq_bind_text(st, 9, c->source);
	return bf_sq_step_done(s, st, err);
}

int bf_store_seed(struct bf_store *s, const struct bf_dataset *data, struct bf_error *err)
{
	bool seeded = false;
	int rc = bf_store_begin(s, err);
	if (rc)
		return rc;
	if ((rc = bf_store_seeded(s, &seeded, err)) != 0)
		goto fail;
	if (seeded) {
		rc = bf_error_set(err, BF_ECONFLICT, "", "the database already holds reference data");
		goto fail;
	}
	for (size_t i = 0; i < data->n_commodities; i++) {
		if ((rc = put_commodity(s, &data->commodities[i], err)) != 0) {
			bf_error_prefix(err, "commodity %s", data->commodities[i].hs_code);
			goto fail;
		}
	}
	for (size_t i = 0; i < data->n_gates; i++) {
		if ((rc = put_gate(s, &data->gates[i], err)) != 0) {
			bf_error_prefix(err, "gate %s", data->gates[i].id);
			goto fail;
		}
	}
	for (size_t i = 0; i < data->n_exporters; i++) {
		if ((rc = bf_store_exporter_put(s, &data->exporters[i], false, err)) != 0) {
			bf_error_prefix(err, "exporter %s", data->exporters[i].id);
			goto fail;
		}
	}
	for (size_t i = 0; i < data->n_planting_areas; i++) {
		if ((rc = bf_store_planting_area_put(s, &data->planting_areas[i], false, err)) != 0) {
			bf_error_prefix(err, "planting area %s", data->planting_areas[i].code);
			goto fail;
		}
	}
	for (size_t i = 0; i < data->n_packing_houses; i++) {
		if ((rc = bf_store_packing_house_put(s, &data->packing_houses[i], false, err)) != 0) {
			bf_error_prefix(err, "packing house %s", data->packing_houses[i].code);
			goto fail;
		}
	}
	if ((rc = bf_sq_exec(
	         s, "INSERT INTO meta (key, value) VALUES ('seeded_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	         err)) != 0)
		goto fail;
	return bf_store_commit(s, err);
fail:
	bf_store_rollback(s);
	return rc;
}

/* Reads the side rows, hours, exceptions and designations of G->id. */
static int load_gate_details(struct bf_store *s, struct bf_gate_pair *g, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s,
	                       "SELECT side, country, subdivision, province, gate, tz, utc_offset_min FROM gate_side "
	                       "WHERE gate_id = ? ORDER BY side",
	                       &st, err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, g->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int sd = sqlite3_column_text(st, 0)[0] == 'b';
		struct bf_gate_side *side = &g->side[sd];
		bf_sq_col_text(st, 1, side->country, sizeof(side->country));
		bf_sq_col_text(st, 2, side->subdivision, sizeof(side->subdivision));
		bf_sq_col_text(st, 3, side->province, sizeof(side->province));
		bf_sq_col_text(st, 4, side->gate, sizeof(side->gate));
		bf_sq_col_text(st, 5, side->tz, sizeof(side->tz));
		side->utc_offset_min = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return bf_sq_error(s, err, "read gate sides");

	if ((rc = bf_sq_prepare(s,
	                        "SELECT side, weekday, open_min, close_min FROM gate_hours WHERE gate_id = ? "
	                        "ORDER BY side, weekday, open_min",
	                        &st, err)) != 0)
		return rc;
	bf_sq_bind_text(st, 1, g->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int sd = sqlite3_column_text(st, 0)[0] == 'b';
		int wd = sqlite3_column_int(st, 1);
		struct bf_day_hours *dh = &g->side[sd].week[wd];
		if (dh->n < BF_MAX_DAY_INTERVALS) {
			dh->iv[dh->n].open = (short)sqlite3_column_int(st, 2);
			dh->iv[dh->n].close = (short)sqlite3_column_int(st, 3);
			dh->n++;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return bf_sq_error(s, err, "read gate hours");

	if ((rc = bf_sq_prepare(s,
	                        "SELECT side, kind, start_utc, end_utc, note FROM gate_exception WHERE gate_id = ? "
	                        "ORDER BY side, start_utc, id",
	                        &st, err)) != 0)
		return rc;
	bf_sq_bind_text(st, 1, g->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct bf_exception e = {0};
		int sd = sqlite3_column_text(st, 0)[0] == 'b';
		e.open = strcmp((const char *)sqlite3_column_text(st, 1), "open") == 0;
		e.start = sqlite3_column_int64(st, 2);
		e.end = sqlite3_column_int64(st, 3);
		bf_sq_col_text(st, 4, e.note, sizeof(e.note));
		bf_gate_side_add_exception(&g->side[sd], &e);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return bf_sq_error(s, err, "read gate exceptions");

	if ((rc = bf_sq_prepare(s, "SELECT class FROM gate_designation WHERE gate_id = ?", &st, err)) != 0)
		return rc;
	bf_sq_bind_text(st, 1, g->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum bf_commodity_class c;
		if (bf_commodity_class_parse((const char *)sqlite3_column_text(st, 0), &c) == BF_OK)
			g->designated |= 1u << c;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return bf_sq_error(s, err, "read gate designations");
	if ((rc = bf_sq_prepare(s,
	                        "SELECT number, days, departs_min, wagons, farm_wagons, direction FROM gate_train "
	                        "WHERE gate_id = ? ORDER BY departs_min, number",
	                        &st, err)) != 0)
		return rc;
	bf_sq_bind_text(st, 1, g->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && g->n_trains < BF_MAX_TRAINS) {
		struct bf_train *tr = &g->trains[g->n_trains++];
		bf_sq_col_text(st, 0, tr->number, sizeof(tr->number));
		tr->days = (unsigned)sqlite3_column_int(st, 1);
		tr->departs = (short)sqlite3_column_int(st, 2);
		tr->wagons = (short)sqlite3_column_int(st, 3);
		tr->farm_wagons = (short)sqlite3_column_int(st, 4);
		bf_direction_parse((const char *)sqlite3_column_text(st, 5), &tr->direction);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return bf_sq_error(s, err, "read trains");
	if ((rc = bf_sq_prepare(s,
	                        "SELECT direction, lanes, start_utc, end_utc FROM gate_lane_change WHERE gate_id = ? "
	                        "ORDER BY start_utc, id",
	                        &st, err)) != 0)
		return rc;
	bf_sq_bind_text(st, 1, g->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct bf_lane_change lc = {0};
		bf_direction_parse((const char *)sqlite3_column_text(st, 0), &lc.direction);
		lc.lanes = sqlite3_column_int(st, 1);
		lc.start = sqlite3_column_int64(st, 2);
		lc.end = sqlite3_column_int64(st, 3);
		bf_gate_add_lane_change(g, &lc);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return bf_sq_error(s, err, "read lane changes");
	return BF_OK;
}

#define GATE_COLUMNS                                                                                                   \
	"id, name_vi, name_zh, name_en, mode, class, lat, lon, lanes_a_to_b, rate_a_to_b, lanes_b_to_a, rate_b_to_a"

static void read_gate_row(sqlite3_stmt *st, struct bf_gate_pair *g)
{
	memset(g, 0, sizeof(*g));
	bf_sq_col_text(st, 0, g->id, sizeof(g->id));
	bf_sq_col_text(st, 1, g->name_vi, sizeof(g->name_vi));
	bf_sq_col_text(st, 2, g->name_zh, sizeof(g->name_zh));
	bf_sq_col_text(st, 3, g->name_en, sizeof(g->name_en));
	bf_mode_parse((const char *)sqlite3_column_text(st, 4), &g->mode);
	bf_gate_class_parse((const char *)sqlite3_column_text(st, 5), &g->klass);
	g->lat = sqlite3_column_double(st, 6);
	g->lon = sqlite3_column_double(st, 7);
	g->lanes[BF_DIR_A_TO_B].lanes = sqlite3_column_int(st, 8);
	g->lanes[BF_DIR_A_TO_B].vehicles_per_hour = sqlite3_column_double(st, 9);
	g->lanes[BF_DIR_B_TO_A].lanes = sqlite3_column_int(st, 10);
	g->lanes[BF_DIR_B_TO_A].vehicles_per_hour = sqlite3_column_double(st, 11);
}

int bf_store_gate_get(struct bf_store *s, const char *id, struct bf_gate_pair *out, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s, "SELECT " GATE_COLUMNS " FROM gate_pair WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_gate_row(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "id", "no gate pair has this id");
	if (rc != SQLITE_ROW)
		return bf_sq_error(s, err, "read gate");
	if ((rc = load_gate_details(s, out, err)) != 0)
		bf_gate_pair_clear(out);
	return rc;
}

int bf_store_gates_list(struct bf_store *s, struct bf_gate_pair **out, size_t *n, struct bf_error *err)
{
	sqlite3_stmt *st;
	struct bf_gate_pair *v = NULL;
	size_t len = 0, cap = 0;
	int rc = bf_sq_prepare(s, "SELECT " GATE_COLUMNS " FROM gate_pair ORDER BY id", &st, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 32;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		read_gate_row(st, &v[len++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		bf_store_gates_free(v, len);
		return bf_sq_error(s, err, "list gates");
	}
	for (size_t i = 0; i < len; i++) {
		if ((rc = load_gate_details(s, &v[i], err)) != 0) {
			bf_store_gates_free(v, len);
			return rc;
		}
	}
	*out = v;
	*n = len;
	return BF_OK;
}

void bf_store_gates_free(struct bf_gate_pair *gates, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bf_gate_pair_clear(&gates[i]);
	free(gates);
}

#define COMMODITY_COLUMNS                                                                                              \
	"hs_code, class, name_vi, name_zh, name_en, shelf_life_hours, value_usd_per_tonne, needs_phyto_certificate, "  \
	"source"

static void read_commodity_row(sqlite3_stmt *st, struct bf_commodity *c)
{
	memset(c, 0, sizeof(*c));
	bf_sq_col_text(st, 0, c->hs_code, sizeof(c->hs_code));
	bf_commodity_class_parse((const char *)sqlite3_column_text(st, 1), &c->klass);
	bf_sq_col_text(st, 2, c->name_vi, sizeof(c->name_vi));
	bf_sq_col_text(st, 3, c->name_zh, sizeof(c->name_zh));
	bf_sq_col_text(st, 4, c->name_en, sizeof(c->name_en));
	c->shelf_life_hours = sqlite3_column_int(st, 5);
	c->value_usd_per_tonne = sqlite3_column_double(st, 6);
	c->needs_phyto_certificate = sqlite3_column_int(st, 7) != 0;
	bf_sq_col_text(st, 8, c->source, sizeof(c->source));
}

int bf_store_commodity_get(struct bf_store *s, const char *hs_code, struct bf_commodity *out, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s, "SELECT " COMMODITY_COLUMNS " FROM commodity WHERE hs_code = ?", &st, err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, hs_code);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_commodity_row(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "hs_code", "no commodity has this HS code");
	return rc == SQLITE_ROW ? BF_OK : bf_sq_error(s, err, "read commodity");
}

int bf_store_commodities_list(struct bf_store *s, struct bf_commodity **out, size_t *n, struct bf_error *err)
{
	sqlite3_stmt *st;
	struct bf_commodity *v = NULL;
	size_t len = 0, cap = 0;
	int rc = bf_sq_prepare(s, "SELECT " COMMODITY_COLUMNS " FROM commodity ORDER BY hs_code", &st, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 32;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		read_commodity_row(st, &v[len++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return bf_sq_error(s, err, "list commodities");
	}
	*out = v;
	*n = len;
	return BF_OK;
}

int bf_store_exporter_get(struct bf_store *s, const char *id, struct bf_exporter *out, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s, "SELECT id, name, country, status FROM exporter WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		bf_sq_col_text(st, 0, out->id, sizeof(out->id));
		bf_sq_col_text(st, 1, out->name, sizeof(out->name));
		bf_sq_col_text(st, 2, out->country, sizeof(out->country));
		bf_registry_status_parse((const char *)sqlite3_column_text(st, 3), &out->status);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "exporter", "no exporter is registered under this id");
	if (rc != SQLITE_ROW)
		return bf_sq_error(s, err, "read exporter");
	if ((rc = bf_sq_prepare(s,
	                        "SELECT hs_code, destination FROM exporter_approval WHERE exporter_id = ? "
	                        "ORDER BY hs_code, destination",
	                        &st, err)) != 0)
		return rc;
	bf_sq_bind_text(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n_approvals < BF_MAX_APPROVALS) {
		struct bf_approval *a = &out->approvals[out->n_approvals++];
		bf_sq_col_text(st, 0, a->hs_code, sizeof(a->hs_code));
		bf_sq_col_text(st, 1, a->destination, sizeof(a->destination));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return bf_sq_error(s, err, "read approvals");
	return BF_OK;
}

static int count_rows(struct bf_store *s, const char *sql, long *out, struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? BF_OK : bf_sq_error(s, err, "count");
}

int bf_store_counts(struct bf_store *s, struct bf_store_counts *out, struct bf_error *err)
{
	int rc;
	if ((rc = count_rows(s, "SELECT count(*) FROM gate_pair", &out->gates, err)) != 0 ||
	    (rc = count_rows(s, "SELECT count(*) FROM commodity", &out->commodities, err)) != 0 ||
	    (rc = count_rows(s, "SELECT count(*) FROM exporter", &out->exporters, err)) != 0 ||
	    (rc = count_rows(s, "SELECT count(*) FROM planting_area", &out->planting_areas, err)) != 0 ||
	    (rc = count_rows(s, "SELECT count(*) FROM packing_house", &out->packing_houses, err)) != 0)
		return rc;
	return BF_OK;
}

int bf_store_exception_put(struct bf_store *s, const char *gate_id, int side, const struct bf_exception *e,
                           struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(
	    s, "INSERT INTO gate_exception (gate_id, side, kind, start_utc, end_utc, note) VALUES (?,?,?,?,?,?)", &st,
	    err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, gate_id);
	bf_sq_bind_text(st, 2, side == 0 ? "a" : "b");
	bf_sq_bind_text(st, 3, e->open ? "open" : "closed");
	sqlite3_bind_int64(st, 4, e->start);
	sqlite3_bind_int64(st, 5, e->end);
	bf_sq_bind_text(st, 6, e->note);
	return bf_sq_step_done(s, st, err);
}

int bf_store_lane_change_put(struct bf_store *s, const char *gate_id, const struct bf_lane_change *c,
                             struct bf_error *err)
{
	sqlite3_stmt *st;
	int rc = bf_sq_prepare(
	    s, "INSERT INTO gate_lane_change (gate_id, direction, lanes, start_utc, end_utc) VALUES (?,?,?,?,?)", &st,
	    err);
	if (rc)
		return rc;
	bf_sq_bind_text(st, 1, gate_id);
	bf_sq_bind_text(st, 2, bf_direction_name(c->direction));
	sqlite3_bind_int(st, 3, c->lanes);
	sqlite3_bind_int64(st, 4, c->start);
	sqlite3_bind_int64(st, 5, c->end);
	return bf_sq_step_done(s, st, err);
}
