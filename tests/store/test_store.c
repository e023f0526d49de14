/* The store on a real database, SQLite or PostgreSQL (tu_db()): round
 * trips, migrations applied twice, all-or-nothing seeding, and the bundled
 * data. */
#include "util/gatefix.h"
#include "util/testutil.h"

#include "codec/dataset.h"
#include "store/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void make_gate(struct bf_gate_pair *g, const char *id)
{
	struct bf_exception closure = {.open = false, .note = "Lunar New Year"};
	struct bf_exception extension = {.open = true, .note = "harvest peak"};
	gatefix_pair(g, id, (struct bf_lane_group){4, 12.5}, (struct bf_lane_group){2, 10});
	strcpy(g->name_en, "Huu Nghi – Youyiguan");
	g->lat = 21.9736;
	g->lon = 106.7069;
	g->designated = (1u << BF_CC_FRUIT) | (1u << BF_CC_AQUATIC);
	for (int s = 0; s < 2; s++) {
		struct bf_gate_side *sd = &g->side[s];
		for (int wd = 0; wd < 6; wd++) {
			assert_int_equal(bf_day_hours_add(&sd->week[wd], 12 * 60, 19 * 60, NULL), 0);
			assert_int_equal(bf_day_hours_add(&sd->week[wd], 7 * 60, 11 * 60 + 30, NULL), 0);
		}
	}
	assert_int_equal(bf_time_parse("2027-02-05T00:00+07:00", &closure.start), 0);
	assert_int_equal(bf_time_parse("2027-02-08T00:00+07:00", &closure.end), 0);
	bf_gate_side_add_exception(&g->side[0], &closure);
	assert_int_equal(bf_time_parse("2026-12-01T20:00+08:00", &extension.start), 0);
	assert_int_equal(bf_time_parse("2026-12-01T22:00+08:00", &extension.end), 0);
	bf_gate_side_add_exception(&g->side[1], &extension);
}

static void make_dataset(struct bf_dataset *d)
{
	memset(d, 0, sizeof(*d));
	d->n_gates = 2;
	d->gates = calloc(2, sizeof(*d->gates));
	make_gate(&d->gates[0], "huu-nghi");
	make_gate(&d->gates[1], "tan-thanh");
	d->gates[1].mode = BF_MODE_RAIL;
	d->gates[1].klass = BF_GATE_MAIN;
	d->gates[1].designated = 1u << BF_CC_GRAIN;

	d->n_commodities = 2;
	d->commodities = calloc(2, sizeof(*d->commodities));
	struct bf_commodity *c = &d->commodities[0];
	strcpy(c->hs_code, "08109092");
	strcpy(c->name_vi, "Thanh long");
	strcpy(c->name_zh, "火龙果");
	strcpy(c->name_en, "Dragon fruit");
	c->klass = BF_CC_FRUIT;
	c->shelf_life_hours = 672;
	c->value_usd_per_tonne = 900.5;
	c->n_requirements = 2;
	strcpy(c->requirements[0].importer, "CN");
	c->requirements[0].documents = BF_DOC_PLANTING_AREAS | BF_DOC_PACKING_HOUSE | BF_DOC_PHYTO_CERTIFICATE;
	strcpy(c->requirements[1].importer, "*");
	c->requirements[1].documents = BF_DOC_PHYTO_CERTIFICATE;
	strcpy(c->source, "a handbook");
	c = &d->commodities[1];
	strcpy(c->hs_code, "04012010");
	strcpy(c->name_vi, "Sữa");
	strcpy(c->name_zh, "牛奶");
	strcpy(c->name_en, "Milk");
	c->klass = BF_CC_DAIRY;
	c->shelf_life_hours = 4380;
	c->value_usd_per_tonne = 1200;
	c->n_requirements = 1;
	strcpy(c->requirements[0].importer, "CN");
	c->requirements[0].documents = BF_DOC_HEALTH_CERTIFICATE | BF_DOC_FACILITY;

	d->n_exporters = 1;
	d->exporters = calloc(1, sizeof(*d->exporters));
	strcpy(d->exporters[0].id, "VN-EXP-1");
	strcpy(d->exporters[0].name, "Exporter One");
	strcpy(d->exporters[0].country, "VN");
	d->exporters[0].status = BF_REG_SUSPENDED;
	d->exporters[0].n_approvals = 2;
	strcpy(d->exporters[0].approvals[0].hs_code, "08109092");
	strcpy(d->exporters[0].approvals[0].destination, "CN");
	strcpy(d->exporters[0].approvals[1].hs_code, "04012010");
	strcpy(d->exporters[0].approvals[1].destination, "CN");

	d->n_planting_areas = 1;
	d->planting_areas = calloc(1, sizeof(*d->planting_areas));
	strcpy(d->planting_areas[0].code, "VN-BTOR-0001");
	strcpy(d->planting_areas[0].hs_code, "08109092");
	strcpy(d->planting_areas[0].country, "VN");
	strcpy(d->planting_areas[0].province, "Bình Thuận");
	d->planting_areas[0].status = BF_REG_ACTIVE;

	d->n_packing_houses = 1;
	d->packing_houses = calloc(1, sizeof(*d->packing_houses));
	strcpy(d->packing_houses[0].code, "VN-BTPH-001");
	strcpy(d->packing_houses[0].name, "Packing house");
	strcpy(d->packing_houses[0].country, "VN");
	strcpy(d->packing_houses[0].province, "Bình Thuận");
	d->packing_houses[0].status = BF_REG_SUSPENDED;
}

static void assert_gates_equal(const struct bf_gate_pair *a, const struct bf_gate_pair *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->name_vi, b->name_vi);
	assert_string_equal(a->name_zh, b->name_zh);
	assert_string_equal(a->name_en, b->name_en);
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->klass, b->klass);
	assert_true(a->lat == b->lat && a->lon == b->lon);
	assert_int_equal(a->designated, b->designated);
	for (int d = 0; d < 2; d++) {
		assert_int_equal(a->lanes[d].lanes, b->lanes[d].lanes);
		assert_true(a->lanes[d].vehicles_per_hour == b->lanes[d].vehicles_per_hour);
	}
	for (int s = 0; s < 2; s++) {
		const struct bf_gate_side *x = &a->side[s], *y = &b->side[s];
		assert_string_equal(x->country, y->country);
		assert_string_equal(x->subdivision, y->subdivision);
		assert_string_equal(x->province, y->province);
		assert_string_equal(x->gate, y->gate);
		assert_string_equal(x->tz, y->tz);
		assert_int_equal(x->utc_offset_min, y->utc_offset_min);
		for (int wd = 0; wd < 7; wd++) {
			assert_int_equal(x->week[wd].n, y->week[wd].n);
			for (int i = 0; i < x->week[wd].n; i++) {
				assert_int_equal(x->week[wd].iv[i].open, y->week[wd].iv[i].open);
				assert_int_equal(x->week[wd].iv[i].close, y->week[wd].iv[i].close);
			}
		}
		assert_int_equal(x->n_exceptions, y->n_exceptions);
		for (size_t i = 0; i < x->n_exceptions; i++) {
			assert_int_equal(x->exceptions[i].start, y->exceptions[i].start);
			assert_int_equal(x->exceptions[i].end, y->exceptions[i].end);
			assert_int_equal(x->exceptions[i].open, y->exceptions[i].open);
			assert_string_equal(x->exceptions[i].note, y->exceptions[i].note);
		}
	}
}

static void test_round_trip(void **state)
{
	(void)state;
	struct bf_dataset d;
	struct bf_store *s;
	struct bf_error err = {0};
	bool seeded = true;
	char *dbpath = strdup(tu_db("store-round"));

	make_dataset(&d);
	assert_int_equal(bf_store_open(dbpath, &s, &err), 0);
	assert_int_equal(bf_store_seeded(s, &seeded, &err), 0);
	assert_false(seeded);
	assert_int_equal(bf_store_seed(s, &d, &err), 0);
	bf_store_close(s);

	/* Read back through a new connection, from the file. */
	assert_int_equal(bf_store_open(dbpath, &s, &err), 0);
	assert_int_equal(bf_store_seeded(s, &seeded, &err), 0);
	assert_true(seeded);

	struct bf_gate_pair g;
	assert_int_equal(bf_store_gate_get(s, "huu-nghi", &g, &err), 0);
	assert_gates_equal(&g, &d.gates[0]);
	/* Hours come back sorted within the day even when added out of order. */
	assert_int_equal(g.side[0].week[0].iv[0].open, 7 * 60);
	bf_gate_pair_clear(&g);
	assert_int_equal(bf_store_gate_get(s, "no-such-gate", &g, &err), BF_ENOTFOUND);
	assert_string_equal(err.field, "id");

	struct bf_gate_pair *list;
	size_t n;
	assert_int_equal(bf_store_gates_list(s, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_gates_equal(&list[0], &d.gates[0]);
	assert_gates_equal(&list[1], &d.gates[1]);
	bf_store_gates_free(list, n);

	struct bf_commodity *cs;
	assert_int_equal(bf_store_commodities_list(s, &cs, &n, &err), 0);
	assert_int_equal(n, 2);
	/* Ordered by HS code: milk (0401...) before dragon fruit (0810...). */
	assert_string_equal(cs[0].hs_code, "04012010");
	assert_false(bf_commodity_needs_phyto(&cs[0]));
	/* What each importing country asks, as it was written. */
	assert_int_equal(cs[0].n_requirements, 1);
	assert_string_equal(cs[0].requirements[0].importer, "CN");
	assert_int_equal(cs[0].requirements[0].documents, BF_DOC_HEALTH_CERTIFICATE | BF_DOC_FACILITY);
	assert_true(bf_commodity_needs_phyto(&cs[1]));
	assert_int_equal(bf_commodity_requirement(&cs[1], "LA")->documents, BF_DOC_PHYTO_CERTIFICATE);
	assert_int_equal(bf_commodity_requirement(&cs[1], "CN")->documents,
	                 BF_DOC_PLANTING_AREAS | BF_DOC_PACKING_HOUSE | BF_DOC_PHYTO_CERTIFICATE);
	assert_null(bf_commodity_requirement(&cs[0], "LA"));
	assert_string_equal(cs[1].name_zh, "火龙果");
	assert_true(cs[1].value_usd_per_tonne == 900.5);
	assert_int_equal(cs[1].shelf_life_hours, 672);
	assert_int_equal(cs[1].klass, BF_CC_FRUIT);
	assert_string_equal(cs[1].source, "a handbook");
	free(cs);

	struct bf_exporter e;
	assert_int_equal(bf_store_exporter_get(s, "VN-EXP-1", &e, &err), 0);
	assert_int_equal(e.status, BF_REG_SUSPENDED);
	assert_int_equal(e.n_approvals, 2);
	assert_string_equal(e.approvals[0].hs_code, "04012010");
	assert_string_equal(e.approvals[1].destination, "CN");
	struct bf_planting_area pa;
	assert_int_equal(bf_store_planting_area_get(s, "VN-BTOR-0001", &pa, &err), 0);
	assert_string_equal(pa.province, "Bình Thuận");
	assert_int_equal(pa.status, BF_REG_ACTIVE);
	struct bf_packing_house ph;
	assert_int_equal(bf_store_packing_house_get(s, "VN-BTPH-001", &ph, &err), 0);
	assert_int_equal(ph.status, BF_REG_SUSPENDED);
	assert_int_equal(bf_store_packing_house_get(s, "VN-NONE", &ph, &err), BF_ENOTFOUND);

	/* Seeding twice is refused and changes nothing. */
	assert_int_equal(bf_store_seed(s, &d, &err), BF_ECONFLICT);
	struct bf_store_counts counts;
	assert_int_equal(bf_store_counts(s, &counts, &err), 0);
	assert_int_equal(counts.gates, 2);
	assert_int_equal(counts.commodities, 2);
	assert_int_equal(counts.exporters, 1);

	bf_store_close(s);
	bf_dataset_free(&d);
	free(dbpath);
}

/* The schema as SQLite records it, and the version, as one string. */
static void test_migrations_twice(void **state)
{
	(void)state;
	struct bf_store *s;
	struct bf_error err = {0};
	char *path = strdup(tu_db("store-migrate"));
	int version = -1;

	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_schema_version(s, &version, &err), 0);
	assert_int_equal(version, bf_store_latest_version());
	assert_true(version >= 2);
	bf_store_close(s);
	char *first = tu_db_schema(path);
	assert_non_null(strstr(first, "table gate_pair"));
	assert_non_null(strstr(first, "table planting_area"));
	assert_int_equal(tu_db_scalar(path, "SELECT count(*) FROM meta"), 0);

	assert_int_equal(bf_store_open(path, &s, &err), 0);
	bf_store_close(s);
	char *second = tu_db_schema(path);
	assert_string_equal(first, second);

	/* A database from a newer build is refused, not silently downgraded. */
	tu_db_exec(path, tu_pg() ? "UPDATE schema_version SET version = 999" : "PRAGMA user_version = 999");
	assert_int_equal(bf_store_open(path, &s, &err), BF_ESTORE);
	assert_null(s);
	assert_non_null(strstr(err.message, "999"));

	free(first);
	free(second);
	free(path);
}

/* A database from before requirements per importing country (schema
 * 10) kept one flag for fresh plant products: migration 11 turns it into
 * the same rule for every destination, and nothing for the others. */
static void test_flag_kept_as_requirement(void **state)
{
	(void)state;
	struct bf_dataset d;
	struct bf_store *s;
	struct bf_error err = {0};
	struct bf_commodity c;
	char *path = strdup(tu_db("store-flag"));
	make_dataset(&d);
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_seed(s, &d, &err), 0);
	bf_store_close(s);
	/* Back to version 10: the flag alone. */
	tu_db_exec(path, "DROP TABLE commodity_requirement");
	tu_db_exec(path, "DROP TABLE facility");
	tu_db_exec(path, "ALTER TABLE consignment DROP COLUMN health_certificate");
	tu_db_exec(path, "ALTER TABLE consignment DROP COLUMN facility");
	tu_db_exec(path, "ALTER TABLE idempotency DROP COLUMN request");
	tu_db_exec(path, "ALTER TABLE idempotency DROP COLUMN location");
	tu_db_exec(path, "DROP TABLE party_gate");
	tu_db_exec(path, "DELETE FROM meta WHERE key = 'scope'");
	tu_db_exec(path, "DROP TABLE dispute");
	tu_db_exec(path, "DROP TABLE fork");
	tu_db_exec(path, "DROP TABLE peer_head");
	tu_db_exec(path, "DROP TABLE key_legacy");
	tu_db_exec(path, tu_pg() ? "UPDATE schema_version SET version = 10" : "PRAGMA user_version = 10");

	if (bf_store_open(path, &s, &err) != 0)
		fail_msg("the store at version 10 opens: %s", err.message);
	assert_int_equal(bf_store_commodity_get(s, "08109092", &c, &err), 0);
	assert_int_equal(c.n_requirements, 1);
	assert_string_equal(c.requirements[0].importer, "*");
	assert_int_equal(c.requirements[0].documents,
	                 BF_DOC_PLANTING_AREAS | BF_DOC_PACKING_HOUSE | BF_DOC_PHYTO_CERTIFICATE);
	assert_int_equal(bf_store_commodity_get(s, "04012010", &c, &err), 0);
	assert_int_equal(c.n_requirements, 0);
	bf_store_close(s);
	bf_dataset_free(&d);
	free(path);
}

static void test_seed_all_or_nothing(void **state)
{
	(void)state;
	struct bf_dataset d;
	struct bf_store *s;
	struct bf_error err = {0};
	struct bf_store_counts counts;
	bool seeded = true;
	char *path = strdup(tu_db("store-atomic"));

	make_dataset(&d);
	/* The second gate breaks a CHECK constraint after the first is written. */
	d.gates[1].lanes[BF_DIR_B_TO_A].lanes = 0;
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_seed(s, &d, &err), BF_ESTORE);
	assert_non_null(strstr(err.message, "tan-thanh"));
	assert_int_equal(bf_store_counts(s, &counts, &err), 0);
	assert_int_equal(counts.gates, 0);
	assert_int_equal(counts.commodities, 0);
	assert_int_equal(bf_store_seeded(s, &seeded, &err), 0);
	assert_false(seeded);

	/* Once fixed, the same database takes the data. */
	d.gates[1].lanes[BF_DIR_B_TO_A].lanes = 1;
	assert_int_equal(bf_store_seed(s, &d, &err), 0);
	assert_int_equal(bf_store_counts(s, &counts, &err), 0);
	assert_int_equal(counts.gates, 2);
	bf_store_close(s);
	bf_dataset_free(&d);
	free(path);
}

static void test_bundled_data(void **state)
{
	(void)state;
	struct bf_dataset d;
	struct bf_store *s;
	struct bf_error err = {0};
	struct bf_gate_pair *gates;
	size_t n;
	char *path = strdup(tu_db("store-bundled"));

	assert_int_equal(bf_dataset_load(NULL, &d, &err), 0);
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_seed(s, &d, &err), 0);

	/* Count the pairs in the source file independently of the loader. */
	char file[2048];
	snprintf(file, sizeof(file), "%s/data/gates.json", tu_source_dir());
	json_t *root = json_load_file(file, 0, NULL);
	assert_non_null(root);
	size_t expected = json_array_size(json_object_get(root, "gates"));
	json_decref(root);
	assert_true(expected >= 14);

	assert_int_equal(bf_store_gates_list(s, &gates, &n, &err), 0);
	assert_int_equal(n, expected);
	for (size_t i = 0; i < n; i++) {
		const struct bf_gate_pair *g = &gates[i];
		assert_true(g->name_vi[0] && g->name_zh[0] && g->name_en[0]);
		assert_true(g->side[0].gate[0] && g->side[1].gate[0]);
		/* The Vietnam–China land border lies within these bounds. */
		assert_true(g->lat > 20 && g->lat < 24);
		assert_true(g->lon > 101 && g->lon < 109);
		assert_string_equal(g->side[0].country, "VN");
		assert_string_equal(g->side[1].country, "CN");
		assert_int_equal(g->side[0].utc_offset_min, 420);
		assert_int_equal(g->side[1].utc_offset_min, 480);
		int open_days = 0;
		for (int wd = 0; wd < 7; wd++)
			open_days += g->side[0].week[wd].n > 0 && g->side[1].week[wd].n > 0;
		assert_true(open_days >= 1);
	}
	bf_store_gates_free(gates, n);

	struct bf_commodity c;
	static const char *const required[] = {"dragon",    "durian", "lychee",     "longan", "mango",
	                                       "jackfruit", "banana", "watermelon", "rice",   "milk"};
	struct bf_commodity *cs;
	assert_int_equal(bf_store_commodities_list(s, &cs, &n, &err), 0);
	for (size_t r = 0; r < sizeof(required) / sizeof(required[0]); r++) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++) {
			char lower[BF_NAME_MAX];
			for (size_t k = 0; k < sizeof(lower); k++) {
				char ch = cs[i].name_en[k];
				lower[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
				if (!ch)
					break;
			}
			found = strstr(lower, required[r]) != NULL;
		}
		if (!found)
			fail_msg("the bundled commodities lack %s", required[r]);
	}
	for (size_t i = 0; i < n; i++) {
		assert_true(bf_commodity_hs_code_valid(cs[i].hs_code));
		assert_true(cs[i].source[0] != '\0');
	}
	free(cs);
	assert_int_equal(bf_store_commodity_get(s, "08106000", &c, &err), 0);
	assert_int_equal(c.klass, BF_CC_FRUIT);

	bf_store_close(s);
	bf_dataset_free(&d);
	free(path);
}

/* The closures of pair ID's side A, read alone and in the list of all
 * pairs, which must agree. */
static size_t closures(struct bf_store *s, const char *id)
{
	struct bf_gate_pair g, *all;
	size_t n_all, listed = SIZE_MAX;
	struct bf_error err = {0};
	assert_int_equal(bf_store_gates_list(s, &all, &n_all, &err), 0);
	for (size_t i = 0; i < n_all; i++)
		if (strcmp(all[i].id, id) == 0)
			listed = all[i].side[0].n_exceptions;
	bf_store_gates_free(all, n_all);
	assert_int_equal(bf_store_gate_get(s, id, &g, &err), 0);
	size_t n = g.side[0].n_exceptions;
	bf_gate_pair_clear(&g);
	assert_int_equal(listed, n);
	return n;
}

/* A connection keeps the gate pairs it read (bf_store_gate_get and
 * bf_store_gates_list) only while no row of a pair has changed: through
 * another connection, in its own transaction, or in a transaction rolled
 * back since. */
static void test_gates_kept(void **state)
{
	(void)state;
	struct bf_dataset d;
	struct bf_store *a, *b;
	struct bf_error err = {0};
	char *path = strdup(tu_db("store-gates-kept"));
	struct bf_exception closure = {.start = 2000000000, .end = 2000003600, .open = false};

	assert_int_equal(bf_dataset_load(NULL, &d, &err), 0);
	assert_int_equal(bf_store_open(path, &a, &err), 0);
	assert_int_equal(bf_store_seed(a, &d, &err), 0);
	assert_int_equal(bf_store_open(path, &b, &err), 0);
	size_t before = closures(b, "huu-nghi");
	assert_int_equal(closures(b, "huu-nghi"), before); /* now kept by B */
	assert_int_equal(closures(a, "huu-nghi"), before); /* and by A */

	/* A closure committed through A is seen by B's next read. */
	assert_int_equal(bf_store_begin(a, &err), 0);
	assert_int_equal(bf_store_exception_put(a, "huu-nghi", 0, &closure, &err), 0);
	assert_int_equal(closures(a, "huu-nghi"), before + 1); /* in A's own transaction */
	assert_int_equal(bf_store_commit(a, &err), 0);
	assert_int_equal(closures(b, "huu-nghi"), before + 1);

	/* A read inside a transaction that is then rolled back: A's kept pair
	 * holds the closure that is gone, and must not be given again, not
	 * even once another change has been committed after it. */
	closure.start += 86400;
	closure.end += 86400;
	assert_int_equal(bf_store_begin(a, &err), 0);
	assert_int_equal(bf_store_exception_put(a, "huu-nghi", 0, &closure, &err), 0);
	assert_int_equal(closures(a, "huu-nghi"), before + 2);
	bf_store_rollback(a);
	assert_int_equal(closures(a, "huu-nghi"), before + 1);
	struct bf_lane_change lc = {.direction = BF_DIR_A_TO_B, .lanes = 1, .start = 2000000000, .end = 2000086400};
	assert_int_equal(bf_store_begin(b, &err), 0);
	assert_int_equal(bf_store_lane_change_put(b, "huu-nghi", &lc, &err), 0);
	assert_int_equal(bf_store_commit(b, &err), 0);
	assert_int_equal(closures(a, "huu-nghi"), before + 1);
	struct bf_gate_pair g;
	assert_int_equal(bf_store_gate_get(a, "huu-nghi", &g, &err), 0);
	assert_int_equal(g.n_lane_changes, 1);
	bf_gate_pair_clear(&g);

	bf_store_close(a);
	bf_store_close(b);
	bf_dataset_free(&d);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),          cmocka_unit_test(test_migrations_twice),
	    cmocka_unit_test(test_seed_all_or_nothing), cmocka_unit_test(test_bundled_data),
	    cmocka_unit_test(test_gates_kept),          cmocka_unit_test(test_flag_kept_as_requirement),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	return rc;
}
