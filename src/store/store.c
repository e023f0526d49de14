/* store.h on either engine (db.h): opening, migrations, gate pairs and
 * commodities, the reference data (transactions: transaction.c). SQLite
 * runs with a WAL journal, foreign keys on, durable commits and a busy
 * timeout so that writers from several threads or processes queue instead
 * of failing; PostgreSQL with its defaults (durable commits) and the write
 * lock of db.h. */
#include "store/migrations.h"
#include "store/db.h"
#include "store/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Each migration runs in its own write transaction and re-reads the
 * version inside it, so two processes starting at once apply it once. */
static int migrate(struct bf_store *s, struct bf_error *err)
{
	for (size_t i = 0; i < bf_migrations_len; i++) {
		const struct bf_migration *m = &bf_migrations[i];
		char *ddl = NULL;
		int v = 0, rc = bf_store_begin(s, err);
		if (rc)
			return rc;
		if ((rc = bf_db_get_version(s, &v, err)) != 0)
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
		ddl = bf_db_ddl(s, m->sql);
		if ((rc = bf_db_exec(s, ddl, err)) != 0 || (s->pg && m->pg && (rc = bf_db_exec(s, m->pg, err)) != 0) ||
		    (!s->pg && m->sqlite && (rc = bf_db_exec(s, m->sqlite, err)) != 0) ||
		    (rc = bf_db_set_version(s, m->version, err)) != 0) {
			bf_error_prefix(err, "migration %d (%s)", m->version, m->summary);
			goto fail;
		}
		free(ddl);
		if ((rc = bf_store_commit(s, err)) != 0)
			return rc;
		continue;
	fail:
		free(ddl);
		bf_store_rollback(s);
		return rc;
	}
	return BF_OK;
}

bool bf_store_is_postgres(const char *url)
{
	return url && (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0);
}

int bf_store_open(const char *url, struct bf_store **out, struct bf_error *err)
{
	struct bf_store *s;
	int rc;

	*out = NULL;
	if (url == NULL || *url == '\0')
		return bf_error_set(err, BF_EINVAL, "db", "no database named");
	s = bf_xcalloc(1, sizeof(*s));
	rc = bf_store_is_postgres(url) ? bf_db_open_pg(s, url, err) : bf_db_open_sqlite(s, url, err);
	if (rc == BF_OK && (rc = migrate(s, err)) != 0)
		bf_error_prefix(err, "%s", bf_store_is_postgres(url) ? "PostgreSQL" : url);
	s->revised = true;
	if (rc) {
		bf_store_close(s);
		return rc;
	}
	*out = s;
	return BF_OK;
}

/* The gate pairs a connection keeps (bf_store_gate_get). */
static void forget_gates(struct bf_store *s)
{
	bf_store_gates_free(s->gates, s->n_gates);
	s->gates = NULL;
	s->n_gates = 0;
}

void bf_store_close(struct bf_store *s)
{
	if (s == NULL)
		return;
	forget_gates(s);
	bf_db_close(s);
	free(s);
}

const char *bf_store_backend(const struct bf_store *s)
{
	return s->pg ? "postgresql" : "sqlite";
}

int bf_store_schema_version(struct bf_store *s, int *out, struct bf_error *err)
{
	return bf_db_get_version(s, out, err);
}

int bf_store_latest_version(void)
{
	return bf_migrations[bf_migrations_len - 1].version;
}

int bf_store_revision(struct bf_store *s, int64_t *out, struct bf_error *err)
{
	return bf_db_scalar(s, "SELECT n FROM revision", out, "read the revision", err);
}

int bf_store_seeded(struct bf_store *s, bool *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT 1 FROM meta WHERE key = 'seeded_at'", &st, err);
	if (rc)
		return rc;
	rc = bf_db_step(st);
	bf_db_finalize(st);
	if (rc != BF_DB_ROW && rc != BF_DB_DONE)
		return bf_db_error(s, err, "read meta");
	*out = rc == BF_DB_ROW;
	return BF_OK;
}

static const char side_letter[2][2] = {"a", "b"};

static int put_gate(struct bf_store *s, const struct bf_gate_pair *g, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc =
	    bf_db_prepare(s,
	                  "INSERT INTO gate_pair (id, name_vi, name_zh, name_en, mode, class, lat, lon, lanes_a_to_b, "
	                  "rate_a_to_b, lanes_b_to_a, rate_b_to_a) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
	                  &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, g->id);
	bf_db_bind_text(st, 2, g->name_vi);
	bf_db_bind_text(st, 3, g->name_zh);
	bf_db_bind_text(st, 4, g->name_en);
	bf_db_bind_text(st, 5, bf_mode_name(g->mode));
	bf_db_bind_text(st, 6, bf_gate_class_name(g->klass));
	bf_db_bind_double(st, 7, g->lat);
	bf_db_bind_double(st, 8, g->lon);
	bf_db_bind_int(st, 9, g->lanes[BF_DIR_A_TO_B].lanes);
	bf_db_bind_double(st, 10, g->lanes[BF_DIR_A_TO_B].vehicles_per_hour);
	bf_db_bind_int(st, 11, g->lanes[BF_DIR_B_TO_A].lanes);
	bf_db_bind_double(st, 12, g->lanes[BF_DIR_B_TO_A].vehicles_per_hour);
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		return rc;

	for (int c = 0; c < BF_CC_COUNT; c++) {
		if (!(g->designated & (1u << c)))
			continue;
		if ((rc = bf_db_prepare(s, "INSERT INTO gate_designation (gate_id, class) VALUES (?, ?)", &st, err)) !=
		    0)
			return rc;
		bf_db_bind_text(st, 1, g->id);
		bf_db_bind_text(st, 2, bf_commodity_class_name((enum bf_commodity_class)c));
		if ((rc = bf_store_step_done(s, st, err)) != 0)
			return rc;
	}

	for (int sd = 0; sd < 2; sd++) {
		const struct bf_gate_side *side = &g->side[sd];
		if ((rc = bf_db_prepare(
		         s,
		         "INSERT INTO gate_side (gate_id, side, country, subdivision, province, gate, tz, "
		         "utc_offset_min) VALUES (?,?,?,?,?,?,?,?)",
		         &st, err)) != 0)
			return rc;
		bf_db_bind_text(st, 1, g->id);
		bf_db_bind_text(st, 2, side_letter[sd]);
		bf_db_bind_text(st, 3, side->country);
		bf_db_bind_text(st, 4, side->subdivision);
		bf_db_bind_text(st, 5, side->province);
		bf_db_bind_text(st, 6, side->gate);
		bf_db_bind_text(st, 7, side->tz);
		bf_db_bind_int(st, 8, side->utc_offset_min);
		if ((rc = bf_store_step_done(s, st, err)) != 0)
			return rc;
		for (int wd = 0; wd < 7; wd++) {
			for (int i = 0; i < side->week[wd].n; i++) {
				if ((rc = bf_db_prepare(
				         s,
				         "INSERT INTO gate_hours (gate_id, side, weekday, open_min, close_min) "
				         "VALUES (?,?,?,?,?)",
				         &st, err)) != 0)
					return rc;
				bf_db_bind_text(st, 1, g->id);
				bf_db_bind_text(st, 2, side_letter[sd]);
				bf_db_bind_int(st, 3, wd);
				bf_db_bind_int(st, 4, side->week[wd].iv[i].open);
				bf_db_bind_int(st, 5, side->week[wd].iv[i].close);
				if ((rc = bf_store_step_done(s, st, err)) != 0)
					return rc;
			}
		}
		for (size_t i = 0; i < side->n_exceptions; i++) {
			const struct bf_exception *e = &side->exceptions[i];
			if ((rc = bf_db_prepare(
			         s,
			         "INSERT INTO gate_exception (gate_id, side, kind, start_utc, end_utc, note) "
			         "VALUES (?,?,?,?,?,?)",
			         &st, err)) != 0)
				return rc;
			bf_db_bind_text(st, 1, g->id);
			bf_db_bind_text(st, 2, side_letter[sd]);
			bf_db_bind_text(st, 3, e->open ? "open" : "closed");
			bf_db_bind_int64(st, 4, e->start);
			bf_db_bind_int64(st, 5, e->end);
			bf_db_bind_text(st, 6, e->note);
			if ((rc = bf_store_step_done(s, st, err)) != 0)
				return rc;
		}
	}
	for (int t = 0; t < g->n_trains; t++) {
		const struct bf_train *tr = &g->trains[t];
		if ((rc = bf_db_prepare(
		         s,
		         "INSERT INTO gate_train (gate_id, number, days, departs_min, wagons, farm_wagons, "
		         "direction) VALUES (?,?,?,?,?,?,?)",
		         &st, err)) != 0)
			return rc;
		bf_db_bind_text(st, 1, g->id);
		bf_db_bind_text(st, 2, tr->number);
		bf_db_bind_int(st, 3, (int)tr->days);
		bf_db_bind_int(st, 4, tr->departs);
		bf_db_bind_int(st, 5, tr->wagons);
		bf_db_bind_int(st, 6, tr->farm_wagons);
		bf_db_bind_text(st, 7, bf_direction_name(tr->direction));
		if ((rc = bf_store_step_done(s, st, err)) != 0)
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
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO commodity (hs_code, class, name_vi, name_zh, name_en, shelf_life_hours, "
	                       "value_usd_per_tonne, needs_phyto_certificate, source) VALUES (?,?,?,?,?,?,?,?,?)",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, c->hs_code);
	bf_db_bind_text(st, 2, bf_commodity_class_name(c->klass));
	bf_db_bind_text(st, 3, c->name_vi);
	bf_db_bind_text(st, 4, c->name_zh);
	bf_db_bind_text(st, 5, c->name_en);
	bf_db_bind_int(st, 6, c->shelf_life_hours);
	bf_db_bind_double(st, 7, c->value_usd_per_tonne);
	bf_db_bind_int(st, 8, bf_commodity_needs_phyto(c) ? 1 : 0);
	bf_db_bind_text(st, 9, c->source);
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		return rc;
	for (int i = 0; i < c->n_requirements; i++) {
		char docs[128];
		bf_documents_format(c->requirements[i].documents, " ", docs, sizeof(docs));
		if ((rc = bf_db_prepare(
		         s, "INSERT INTO commodity_requirement (hs_code, importer, documents) VALUES (?,?,?)", &st,
		         err)) != 0)
			return rc;
		bf_db_bind_text(st, 1, c->hs_code);
		bf_db_bind_text(st, 2, c->requirements[i].importer);
		bf_db_bind_text(st, 3, docs);
		if ((rc = bf_store_step_done(s, st, err)) != 0)
			return rc;
	}
	return BF_OK;
}

int bf_store_seed(struct bf_store *s, const struct bf_dataset *data, struct bf_error *err)
{
	struct bf_stmt *st;
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
	for (size_t i = 0; i < data->n_facilities; i++) {
		if ((rc = bf_store_facility_put(s, &data->facilities[i], false, err)) != 0) {
			bf_error_prefix(err, "facility %s", data->facilities[i].code);
			goto fail;
		}
	}
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	if ((rc = bf_db_prepare(s, "INSERT INTO meta (key, value) VALUES ('seeded_at', ?)", &st, err)) != 0)
		goto fail;
	bf_db_bind_text(st, 1, stamp);
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		goto fail;
	return bf_store_commit(s, err);
fail:
	bf_store_rollback(s);
	return rc;
}

/* Reads the side rows, hours, exceptions and designations of G->id. */
static int load_gate_details(struct bf_store *s, struct bf_gate_pair *g, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "SELECT side, country, subdivision, province, gate, tz, utc_offset_min FROM gate_side "
	                       "WHERE gate_id = ? ORDER BY side",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, g->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		int sd = bf_db_col_text(st, 0)[0] == 'b';
		struct bf_gate_side *side = &g->side[sd];
		bf_db_col_text_copy(st, 1, side->country, sizeof(side->country));
		bf_db_col_text_copy(st, 2, side->subdivision, sizeof(side->subdivision));
		bf_db_col_text_copy(st, 3, side->province, sizeof(side->province));
		bf_db_col_text_copy(st, 4, side->gate, sizeof(side->gate));
		bf_db_col_text_copy(st, 5, side->tz, sizeof(side->tz));
		side->utc_offset_min = bf_db_col_int(st, 6);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE)
		return bf_db_error(s, err, "read gate sides");

	if ((rc = bf_db_prepare(s,
	                        "SELECT side, weekday, open_min, close_min FROM gate_hours WHERE gate_id = ? "
	                        "ORDER BY side, weekday, open_min",
	                        &st, err)) != 0)
		return rc;
	bf_db_bind_text(st, 1, g->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		int sd = bf_db_col_text(st, 0)[0] == 'b';
		int wd = bf_db_col_int(st, 1);
		struct bf_day_hours *dh = &g->side[sd].week[wd];
		if (dh->n < BF_MAX_DAY_INTERVALS) {
			dh->iv[dh->n].open = (short)bf_db_col_int(st, 2);
			dh->iv[dh->n].close = (short)bf_db_col_int(st, 3);
			dh->n++;
		}
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE)
		return bf_db_error(s, err, "read gate hours");

	if ((rc = bf_db_prepare(s,
	                        "SELECT side, kind, start_utc, end_utc, note FROM gate_exception WHERE gate_id = ? "
	                        "ORDER BY side, start_utc, id",
	                        &st, err)) != 0)
		return rc;
	bf_db_bind_text(st, 1, g->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		struct bf_exception e = {0};
		int sd = bf_db_col_text(st, 0)[0] == 'b';
		e.open = strcmp((const char *)bf_db_col_text(st, 1), "open") == 0;
		e.start = bf_db_col_int64(st, 2);
		e.end = bf_db_col_int64(st, 3);
		bf_db_col_text_copy(st, 4, e.note, sizeof(e.note));
		bf_gate_side_add_exception(&g->side[sd], &e);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE)
		return bf_db_error(s, err, "read gate exceptions");

	if ((rc = bf_db_prepare(s, "SELECT class FROM gate_designation WHERE gate_id = ?", &st, err)) != 0)
		return rc;
	bf_db_bind_text(st, 1, g->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		enum bf_commodity_class c;
		if (bf_commodity_class_parse((const char *)bf_db_col_text(st, 0), &c) == BF_OK)
			g->designated |= 1u << c;
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE)
		return bf_db_error(s, err, "read gate designations");
	if ((rc = bf_db_prepare(s,
	                        "SELECT number, days, departs_min, wagons, farm_wagons, direction FROM gate_train "
	                        "WHERE gate_id = ? ORDER BY departs_min, number",
	                        &st, err)) != 0)
		return rc;
	bf_db_bind_text(st, 1, g->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW && g->n_trains < BF_MAX_TRAINS) {
		struct bf_train *tr = &g->trains[g->n_trains++];
		bf_db_col_text_copy(st, 0, tr->number, sizeof(tr->number));
		tr->days = (unsigned)bf_db_col_int(st, 1);
		tr->departs = (short)bf_db_col_int(st, 2);
		tr->wagons = (short)bf_db_col_int(st, 3);
		tr->farm_wagons = (short)bf_db_col_int(st, 4);
		bf_direction_parse((const char *)bf_db_col_text(st, 5), &tr->direction);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW)
		return bf_db_error(s, err, "read trains");
	if ((rc = bf_db_prepare(s,
	                        "SELECT direction, lanes, start_utc, end_utc FROM gate_lane_change WHERE gate_id = ? "
	                        "ORDER BY start_utc, id",
	                        &st, err)) != 0)
		return rc;
	bf_db_bind_text(st, 1, g->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		struct bf_lane_change lc = {0};
		bf_direction_parse((const char *)bf_db_col_text(st, 0), &lc.direction);
		lc.lanes = bf_db_col_int(st, 1);
		lc.start = bf_db_col_int64(st, 2);
		lc.end = bf_db_col_int64(st, 3);
		bf_gate_add_lane_change(g, &lc);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE)
		return bf_db_error(s, err, "read lane changes");
	return BF_OK;
}

#define GATE_COLUMNS                                                                                                   \
	"id, name_vi, name_zh, name_en, mode, class, lat, lon, lanes_a_to_b, rate_a_to_b, lanes_b_to_a, rate_b_to_a"

static void read_gate_row(struct bf_stmt *st, struct bf_gate_pair *g)
{
	memset(g, 0, sizeof(*g));
	bf_db_col_text_copy(st, 0, g->id, sizeof(g->id));
	bf_db_col_text_copy(st, 1, g->name_vi, sizeof(g->name_vi));
	bf_db_col_text_copy(st, 2, g->name_zh, sizeof(g->name_zh));
	bf_db_col_text_copy(st, 3, g->name_en, sizeof(g->name_en));
	bf_mode_parse((const char *)bf_db_col_text(st, 4), &g->mode);
	bf_gate_class_parse((const char *)bf_db_col_text(st, 5), &g->klass);
	g->lat = bf_db_col_double(st, 6);
	g->lon = bf_db_col_double(st, 7);
	g->lanes[BF_DIR_A_TO_B].lanes = bf_db_col_int(st, 8);
	g->lanes[BF_DIR_A_TO_B].vehicles_per_hour = bf_db_col_double(st, 9);
	g->lanes[BF_DIR_B_TO_A].lanes = bf_db_col_int(st, 10);
	g->lanes[BF_DIR_B_TO_A].vehicles_per_hour = bf_db_col_double(st, 11);
}

/* A pair is read in eight queries, and a booking reads one (or, naming no
 * gate, all of them) under the write lock: so each connection keeps the
 * pairs it has read, up to GATES_KEPT, while the gate pairs' revision is
 * the one they were read at. The revision takes one query; it changes with
 * any write to a pair's rows, committed or not, in this transaction or by
 * another process, and never comes back to a value it had (migration 10). */
#define GATES_KEPT 64

/* Forgets the kept pairs if the revision has moved since they were read. */
static int check_kept_gates(struct bf_store *s, struct bf_error *err)
{
	int64_t revision = 0;
	int rc = bf_db_scalar(s, "SELECT gates FROM revision", &revision, "read the gate pairs' revision", err);
	if (rc == BF_OK && revision != s->gates_revision) {
		forget_gates(s);
		s->gates_revision = revision;
	}
	return rc;
}

static const struct bf_gate_pair *kept_gate(const struct bf_store *s, const char *id)
{
	for (size_t i = 0; i < s->n_gates; i++)
		if (strcmp(s->gates[i].id, id) == 0)
			return &s->gates[i];
	return NULL;
}

/* Reads the rest of G, whose gate_pair row is read already: from the
 * kept copy when there is one (with KEEP), else from the store, then
 * keeping it. */
static int complete_gate(struct bf_store *s, bool keep, struct bf_gate_pair *g, struct bf_error *err)
{
	const struct bf_gate_pair *k = keep ? kept_gate(s, g->id) : NULL;
	if (k != NULL) {
		bf_gate_pair_clear(g);
		bf_gate_pair_copy(g, k);
		return BF_OK;
	}
	int rc = load_gate_details(s, g, err);
	if (rc == BF_OK && keep && s->n_gates < GATES_KEPT) {
		if (s->gates == NULL)
			s->gates = bf_xcalloc(GATES_KEPT, sizeof(*s->gates));
		bf_gate_pair_copy(&s->gates[s->n_gates++], g);
	}
	return rc;
}

int bf_store_gate_get(struct bf_store *s, const char *id, struct bf_gate_pair *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc;
	if (s->revised) {
		if ((rc = check_kept_gates(s, err)) != 0)
			return rc;
		const struct bf_gate_pair *k = kept_gate(s, id);
		if (k != NULL) {
			memset(out, 0, sizeof(*out));
			bf_gate_pair_copy(out, k);
			return BF_OK;
		}
	}
	if ((rc = bf_db_prepare(s, "SELECT " GATE_COLUMNS " FROM gate_pair WHERE id = ?", &st, err)) != 0)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_gate_row(st, out);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "id", "no gate pair has this id");
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read gate");
	if ((rc = complete_gate(s, s->revised, out, err)) != 0)
		bf_gate_pair_clear(out);
	return rc;
}

int bf_store_gates_list(struct bf_store *s, struct bf_gate_pair **out, size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_gate_pair *v = NULL;
	size_t len = 0, cap = 0;
	int rc = s->revised ? check_kept_gates(s, err) : BF_OK;

	*out = NULL;
	*n = 0;
	if (rc || (rc = bf_db_prepare(s, "SELECT " GATE_COLUMNS " FROM gate_pair ORDER BY id", &st, err)) != 0)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 32;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		read_gate_row(st, &v[len++]);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		bf_store_gates_free(v, len);
		return bf_db_error(s, err, "list gates");
	}
	for (size_t i = 0; i < len; i++) {
		if ((rc = complete_gate(s, s->revised, &v[i], err)) != 0) {
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

#define COMMODITY_COLUMNS "hs_code, class, name_vi, name_zh, name_en, shelf_life_hours, value_usd_per_tonne, source"

static void read_commodity_row(struct bf_stmt *st, struct bf_commodity *c)
{
	memset(c, 0, sizeof(*c));
	bf_db_col_text_copy(st, 0, c->hs_code, sizeof(c->hs_code));
	bf_commodity_class_parse((const char *)bf_db_col_text(st, 1), &c->klass);
	bf_db_col_text_copy(st, 2, c->name_vi, sizeof(c->name_vi));
	bf_db_col_text_copy(st, 3, c->name_zh, sizeof(c->name_zh));
	bf_db_col_text_copy(st, 4, c->name_en, sizeof(c->name_en));
	c->shelf_life_hours = bf_db_col_int(st, 5);
	c->value_usd_per_tonne = bf_db_col_double(st, 6);
	bf_db_col_text_copy(st, 7, c->source, sizeof(c->source));
}

/* What each importing country asks of C's loads (migration 11). */
static int read_requirements(struct bf_store *s, struct bf_commodity *c, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s, "SELECT importer, documents FROM commodity_requirement WHERE hs_code = ? ORDER BY importer", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, c->hs_code);
	c->n_requirements = 0;
	while ((rc = bf_db_step(st)) == BF_DB_ROW && c->n_requirements < BF_REQUIREMENTS) {
		struct bf_requirement *r = &c->requirements[c->n_requirements++];
		bf_db_col_text_copy(st, 0, r->importer, sizeof(r->importer));
		/* Written by this build or an older one (a newer schema is not
		 * opened), so every name is known. */
		(void)bf_documents_parse((const char *)bf_db_col_text(st, 1), &r->documents, NULL, 0);
	}
	bf_db_finalize(st);
	return rc == BF_DB_DONE || rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read commodity requirements");
}

int bf_store_commodity_get(struct bf_store *s, const char *hs_code, struct bf_commodity *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT " COMMODITY_COLUMNS " FROM commodity WHERE hs_code = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, hs_code);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_commodity_row(st, out);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "hs_code", "no commodity has this HS code");
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read commodity");
	return read_requirements(s, out, err);
}

int bf_store_commodities_list(struct bf_store *s, struct bf_commodity **out, size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_commodity *v = NULL;
	size_t len = 0, cap = 0;
	int rc = bf_db_prepare(s, "SELECT " COMMODITY_COLUMNS " FROM commodity ORDER BY hs_code", &st, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 32;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		read_commodity_row(st, &v[len++]);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(v);
		return bf_db_error(s, err, "list commodities");
	}
	for (size_t i = 0; i < len; i++) {
		if ((rc = read_requirements(s, &v[i], err)) != 0) {
			free(v);
			return rc;
		}
	}
	*out = v;
	*n = len;
	return BF_OK;
}

static int count_rows(struct bf_store *s, const char *sql, long *out, struct bf_error *err)
{
	int64_t n = 0;
	int rc = bf_db_scalar(s, sql, &n, "count", err);
	*out = (long)n;
	return rc;
}

int bf_store_gates_designated(struct bf_store *s, enum bf_commodity_class k, long *n, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT count(*) FROM gate_designation WHERE class = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, bf_commodity_class_name(k));
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		*n = (long)bf_db_col_int64(st, 0);
	bf_db_finalize(st);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "count designated gates");
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
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s, "INSERT INTO gate_exception (gate_id, side, kind, start_utc, end_utc, note) VALUES (?,?,?,?,?,?)", &st,
	    err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, gate_id);
	bf_db_bind_text(st, 2, side == 0 ? "a" : "b");
	bf_db_bind_text(st, 3, e->open ? "open" : "closed");
	bf_db_bind_int64(st, 4, e->start);
	bf_db_bind_int64(st, 5, e->end);
	bf_db_bind_text(st, 6, e->note);
	return bf_store_step_done(s, st, err);
}

int bf_store_lane_change_put(struct bf_store *s, const char *gate_id, const struct bf_lane_change *c,
                             struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s, "INSERT INTO gate_lane_change (gate_id, direction, lanes, start_utc, end_utc) VALUES (?,?,?,?,?)", &st,
	    err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, gate_id);
	bf_db_bind_text(st, 2, bf_direction_name(c->direction));
	bf_db_bind_int(st, 3, c->lanes);
	bf_db_bind_int64(st, 4, c->start);
	bf_db_bind_int64(st, 5, c->end);
	return bf_store_step_done(s, st, err);
}
