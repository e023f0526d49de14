/* The scenario reader: a minimal scenario reads into the structs the
 * simulator runs, with the reference data's gates and commodities and
 * each policy's changes applied to its own copy of the pairs; each kind
 * of mistake is refused with BF_EINVAL and an error that names the field
 * by its path, leaving the scenario owning nothing; a missing file and a
 * directory are told apart; every bundled scenario loads. */
#include "util/testutil.h"

#include "model/error.h"
#include "model/gate.h"
#include "codec/dataset.h"
#include "codec/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct bf_dataset data;

static int setup(void **state)
{
	(void)state;
	struct bf_error err = {0};
	if (bf_dataset_load(NULL, &data, &err) != BF_OK) {
		fprintf(stderr, "bundled data: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bf_dataset_free(&data);
	return 0;
}

/* Two gates, one flow, a baseline and a policy that keeps Huu Nghi open
 * 06:00-22:00 (Vietnam time) on both sides. */
static const char minimal[] =
    "{\"name\": \"mini\", \"title\": \"a minimal scenario\","
    " \"season\": {\"start\": \"2022-01-03\", \"days\": 30, \"warmup_days\": 2},"
    " \"gates\": [{\"id\": \"huu-nghi\"}, {\"id\": \"chi-ma\", \"lanes\": 2, \"vehicles_per_hour\": 4}],"
    " \"flows\": [{\"name\": \"dragon fruit\", \"commodity\": \"08109092\", \"tonnes\": 20,"
    "   \"loads_per_day\": 10, \"gates\": [{\"id\": \"huu-nghi\", \"travel_hours\": 30},"
    "   {\"id\": \"chi-ma\", \"travel_hours\": 31.5}]}],"
    " \"policies\": [{\"name\": \"baseline\"},"
    "   {\"name\": \"longer\", \"booking\": \"planner\", \"changes\": [{\"kind\": \"hours\", \"gates\": [\"huu-nghi\"],"
    "    \"open\": \"06:00\", \"close\": \"22:00\"}]}]}";

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (j == NULL)
		fail_msg("not JSON: %s: %s", text, jerr.text);
	return j;
}

static const struct bf_commodity *commodity(const char *hs)
{
	for (size_t i = 0; i < data.n_commodities; i++)
		if (strcmp(data.commodities[i].hs_code, hs) == 0)
			return &data.commodities[i];
	fail_msg("no commodity %s", hs);
	return NULL;
}

static void test_minimal(void **state)
{
	(void)state;
	json_t *root = parse(minimal);
	struct bf_scenario sc;
	struct bf_error err = {0};
	int rc = bf_scenario_read("mini", root, &data, &sc, &err);
	json_decref(root);
	if (rc != BF_OK)
		fail_msg("%s", err.message);
	assert_string_equal(sc.name, "mini");
	assert_int_equal(sc.n_gates, 2);
	assert_int_equal(sc.n_flows, 1);
	assert_int_equal(sc.n_policies, 2);
	assert_int_equal(sc.days, 30);
	assert_int_equal(sc.warmup_days, 2);
	/* The season starts at 00:00 of its first day in Vietnam (UTC+7). */
	assert_true(sc.start == bf_date_from_civil(2022, 1, 3) * BF_DAY_SECONDS - 7 * 3600);
	assert_string_equal(sc.gates[0].id, "huu-nghi");
	assert_string_equal(sc.gates[1].id, "chi-ma");

	/* A load's value is its tonnes times the commodity's value a tonne,
	 * and its class and shelf life are the commodity's. */
	const struct bf_commodity *c = commodity("08109092");
	const struct bf_sim_flow *f = &sc.flows[0];
	assert_true(f->value == 20 * c->value_usd_per_tonne);
	assert_true(f->shelf_life == c->shelf_life_hours);
	assert_int_equal(f->klass, c->klass);
	assert_int_equal(f->n_gates, 2);
	assert_int_equal(f->gates[0], 0);
	assert_int_equal(f->gates[1], 1);
	assert_true(f->travel[1] == 31.5);
	/* Without an hourly pattern, loads leave evenly round the clock. */
	for (int h = 0; h < 24; h++)
		assert_true(f->hourly[h] == 1.0 / 24);

	/* The gate's overrides reach every policy's copy of the pair. */
	for (int p = 0; p < 2; p++) {
		assert_int_equal(sc.policies[p].pairs[1].lanes[BF_DIR_A_TO_B].lanes, 2);
		assert_true(sc.policies[p].pairs[1].lanes[BF_DIR_A_TO_B].vehicles_per_hour == 4);
	}
	assert_int_equal(sc.policies[0].booking, BF_SIM_NO_BOOKING);
	assert_int_equal(sc.policies[1].booking, BF_SIM_BOOK_PLAN);

	/* Crossing windows on the third day: 07:00-19:00 Vietnam time in the
	 * baseline (China's 08:00-20:00 is the same hours), 06:00-22:00 under
	 * the policy, which leaves Chi Ma and the baseline alone. */
	bf_time day = sc.start + 2 * BF_DAY_SECONDS;
	struct bf_intervals w = {0};
	bf_gate_windows(&sc.policies[0].pairs[0], day, day + BF_DAY_SECONDS, &w);
	assert_int_equal(w.n, 1);
	assert_true(w.v[0].start == day + 7 * 3600 && w.v[0].end == day + 19 * 3600);
	bf_gate_windows(&sc.policies[1].pairs[0], day, day + BF_DAY_SECONDS, &w);
	assert_int_equal(w.n, 1);
	assert_true(w.v[0].start == day + 6 * 3600 && w.v[0].end == day + 22 * 3600);
	bf_gate_windows(&sc.policies[1].pairs[1], day, day + BF_DAY_SECONDS, &w);
	assert_int_equal(w.n, 1);
	assert_true(w.v[0].start == day + 7 * 3600 && w.v[0].end == day + 17 * 3600);
	bf_intervals_free(&w);
	bf_scenario_clear(&sc);
	assert_int_equal(sc.n_policies, 0);
}

/* Replaces the value at PATH ("flows[0].peak", "policies[1].changes[0]")
 * in ROOT with VALUE, which it takes. */
static void set_at(json_t *root, const char *path, json_t *value)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *at = root;
	char *tok = strtok_r(buf, ".", &save);
	while (tok) {
		char *next = strtok_r(NULL, ".", &save);
		char *br = strchr(tok, '[');
		long idx = -1;
		if (br) {
			*br = 0;
			idx = strtol(br + 1, NULL, 10);
		}
		bool last = next == NULL;
		if (idx < 0) {
			if (last) {
				assert_int_equal(json_object_set_new(at, tok, value), 0);
				return;
			}
			at = json_object_get(at, tok);
		} else {
			json_t *arr = json_object_get(at, tok);
			assert_non_null(arr);
			if (last) {
				if ((size_t)idx < json_array_size(arr))
					assert_int_equal(json_array_set_new(arr, (size_t)idx, value), 0);
				else
					assert_int_equal(json_array_append_new(arr, value), 0);
				return;
			}
			at = json_array_get(arr, (size_t)idx);
		}
		if (at == NULL)
			fail_msg("no %s in the test scenario", path);
		tok = next;
	}
}

struct bad {
	const char *what;
	const char *path, *value; /* the change to the minimal scenario */
	int code;
	const char *field;  /* err.field */
	const char *needle; /* in err.message, with the field */
};

static const struct bad bads[] = {
    {"unknown gate", "gates[0].id", "\"nowhere\"", BF_EINVAL, "gates[0].id", "no gate pair \"nowhere\""},
    {"gate twice", "gates[1].id", "\"huu-nghi\"", BF_EINVAL, "gates[1].id", "listed twice"},
    {"unknown HS code", "flows[0].commodity", "\"99999999\"", BF_EINVAL, "flows[0].commodity",
     "no commodity with HS code \"99999999\""},
    {"flow at a gate not in the scenario", "flows[0].gates[0].id", "\"tan-thanh\"", BF_EINVAL, "flows[0].gates[0].id",
     "not among the scenario's gates"},
    {"hourly of 23", "flows[0].hourly", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", BF_EINVAL, "flows[0].hourly",
     "24"},
    {"peak factor below 1", "flows[0].peak", "{\"day\": 10, \"factor\": 0.5, \"width_days\": 3}", BF_EINVAL,
     "flows[0].peak.factor", "from 1 to"},
    {"lognormal without cv", "gates[0].export", "{\"base\": {\"dist\": \"lognormal\", \"mean_minutes\": 8}}", BF_EINVAL,
     "gates[0].export.base.cv", "lognormal"},
    {"shares over 1", "gates[0].export",
     "{\"yellow\": {\"dist\": \"fixed\", \"mean_minutes\": 25, \"share\": 0.6},"
     " \"red\": {\"dist\": \"fixed\", \"mean_minutes\": 90, \"share\": 0.5}}",
     BF_EINVAL, "gates[0].export.red", "more than 1"},
    {"unknown change kind", "policies[1].changes[0].kind", "\"teleport\"", BF_EINVAL, "policies[1].changes[0].kind",
     "\"teleport\""},
    {"train on a road gate", "policies[1].changes[0]",
     "{\"kind\": \"train\", \"gates\": [\"huu-nghi\"], \"train\": {\"number\": \"X1\", \"days\": [\"mon\"],"
     " \"departs\": \"10:00\", \"wagons\": 10, \"farm_wagons\": 5, \"direction\": \"a_to_b\"}}",
     BF_EINVAL, "policies[1].changes[0].gates", "road"},
    {"policy named twice", "policies[1].name", "\"baseline\"", BF_EINVAL, "policies[1].name", "named twice"},
    {"booking sometimes", "policies[0].booking", "\"sometimes\"", BF_EINVAL, "policies[0].booking", "\"sometimes\""},
    {"start not a date", "season.start", "\"next week\"", BF_EINVAL, "season.start", "date"},
    {"start not a calendar date", "season.start", "\"2022-02-30\"", BF_EINVAL, "season.start", "date"},
    {"no days", "season.days", "0", BF_EINVAL, "season.days", ""},
    {"400 days", "season.days", "400", BF_EINVAL, "season.days", ""},
    {"warm-up the whole season", "season.warmup_days", "30", BF_EINVAL, "season.warmup_days", ""},
    {"unknown top-level key", "colour", "\"green\"", BF_EINVAL, "colour", "unknown field"},
    {"policy not an object", "policies[0]", "\"baseline\"", BF_EINVAL, "policies[0]", "object"},
    {"no lanes", "gates[1].lanes", "0", BF_EINVAL, "gates[1].lanes", ""},
    {"waiting loads of nothing", "gates[1].initial_queue", "100", BF_EINVAL, "gates[1].initial_queue", "chi-ma"},
    {"change field of another kind", "policies[1].changes[0].lanes", "3", BF_EINVAL, "policies[1].changes[0].lanes",
     "unknown field"},
};

static void test_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		json_t *root = parse(minimal);
		/* "waiting loads of nothing": no flow may use Chi Ma. */
		if (strcmp(b->what, "waiting loads of nothing") == 0)
			json_array_remove(json_object_get(json_array_get(json_object_get(root, "flows"), 0), "gates"),
			                  1);
		set_at(root, b->path, parse(b->value));
		struct bf_scenario sc;
		struct bf_error err = {0};
		int rc = bf_scenario_read("mini", root, &data, &sc, &err);
		json_decref(root);
		printf("%-36s %d %-32s %s\n", b->what, rc, err.field, err.message);
		if (rc != b->code)
			fail_msg("%s: rc %d, not %d (%s)", b->what, rc, b->code, err.message);
		if (strcmp(err.field, b->field) != 0)
			fail_msg("%s: field \"%s\", not \"%s\" (%s)", b->what, err.field, b->field, err.message);
		if (strstr(err.message, b->field) == NULL || strstr(err.message, b->needle) == NULL ||
		    strncmp(err.message, "mini: ", 6) != 0)
			fail_msg("%s: message \"%s\" does not name %s with \"%s\"", b->what, err.message, b->field,
			         b->needle);
		/* On failure the scenario owns nothing. */
		assert_int_equal(sc.n_policies, 0);
		for (int p = 0; p < BF_SIM_MAX_POLICIES; p++)
			assert_null(sc.policies[p].pairs);
	}
}

/* Each kind of change lands on the policy's own copy of the pairs, as
 * the server's calls would make it, and nowhere else. */
static void test_changes(void **state)
{
	(void)state;
	json_t *root = parse(minimal);
	set_at(root, "gates[2]", parse("{\"id\": \"dong-dang-rail\"}"));
	set_at(root, "policies[1].changes",
	       parse("[{\"kind\": \"close\", \"gates\": [\"huu-nghi\"], \"from\": \"2022-01-05T00:00+07:00\","
	             "  \"to\": \"2022-01-06T00:00+07:00\"},"
	             " {\"kind\": \"lanes\", \"gates\": [\"chi-ma\"], \"lanes\": 3,"
	             "  \"from\": \"2022-01-04T00:00+07:00\", \"to\": \"2022-01-05T00:00+07:00\"},"
	             " {\"kind\": \"designate\", \"gates\": [\"chi-ma\"], \"classes\": [\"grain\"], \"only\": true},"
	             " {\"kind\": \"train\", \"gates\": [\"dong-dang-rail\"], \"train\": {\"number\": \"F1\","
	             "  \"days\": [\"mon\", \"thu\"], \"departs\": \"14:00\", \"wagons\": 30, \"farm_wagons\": 30,"
	             "  \"direction\": \"a_to_b\"}}]"));
	struct bf_scenario sc;
	struct bf_error err = {0};
	int rc = bf_scenario_read("mini", root, &data, &sc, &err);
	json_decref(root);
	if (rc != BF_OK)
		fail_msg("%s", err.message);
	assert_int_equal(sc.n_gates, 3);
	const struct bf_gate_pair *base = sc.policies[0].pairs, *pol = sc.policies[1].pairs;
	struct bf_intervals w = {0};
	/* Huu Nghi closed on 5 January only. */
	for (int d = 1; d <= 3; d++) {
		bf_time day = sc.start + d * BF_DAY_SECONDS;
		bf_gate_windows(&pol[0], day, day + BF_DAY_SECONDS, &w);
		assert_int_equal(w.n, d == 2 ? 0 : 1);
		bf_gate_windows(&base[0], day, day + BF_DAY_SECONDS, &w);
		assert_int_equal(w.n, 1);
	}
	bf_intervals_free(&w);
	/* Chi Ma: three lanes on 4 January, its two (the scenario's) before
	 * and after; only grain may use it. */
	bf_time noon = sc.start + 12 * 3600;
	assert_int_equal(bf_gate_lanes_at(&pol[1], BF_DIR_A_TO_B, noon), 2);
	assert_int_equal(bf_gate_lanes_at(&pol[1], BF_DIR_A_TO_B, noon + BF_DAY_SECONDS), 3);
	assert_int_equal(bf_gate_lanes_at(&pol[1], BF_DIR_A_TO_B, noon + 2 * BF_DAY_SECONDS), 2);
	assert_int_equal(bf_gate_lanes_at(&base[1], BF_DIR_A_TO_B, noon + BF_DAY_SECONDS), 2);
	assert_int_equal(pol[1].designated, 1u << BF_CC_GRAIN);
	assert_true(base[1].designated != pol[1].designated);
	/* One more train on the rail pair, in this policy alone. */
	assert_int_equal(pol[2].n_trains, base[2].n_trains + 1);
	const struct bf_train *t = &pol[2].trains[pol[2].n_trains - 1];
	assert_string_equal(t->number, "F1");
	assert_int_equal(t->farm_wagons, 30);
	assert_int_equal(t->departs, 14 * 60);
	assert_int_equal(t->days, (1u << 0) | (1u << 3));
	bf_scenario_clear(&sc);
}

static void test_load(void **state)
{
	(void)state;
	struct bf_scenario sc;
	struct bf_error err = {0};
	const char *dir = tu_tmpdir("scenario");
	char path[1200];

	/* A file that is not there, nor a bundled name. */
	snprintf(path, sizeof(path), "%s/absent.json", dir);
	assert_int_equal(bf_scenario_load(path, &data, &sc, &err), BF_ENOTFOUND);
	assert_string_equal(err.field, "scenario");
	assert_non_null(strstr(err.message, "absent.json"));
	assert_int_equal(bf_scenario_load("no-such-scenario", &data, &sc, &err), BF_ENOTFOUND);

	/* A directory is not a scenario. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_scenario_load(dir, &data, &sc, &err), BF_EINVAL);
	assert_string_equal(err.field, "scenario");
	assert_non_null(strstr(err.message, "not a regular file"));

	/* A file that is not JSON: the error says where. */
	snprintf(path, sizeof(path), "%s/broken.json", dir);
	tu_write_file(path, "{\"name\": \"x\",\n  \"season\": }\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_scenario_load(path, &data, &sc, &err), BF_EINVAL);
	assert_non_null(strstr(err.message, "broken.json:2:"));

	/* The minimal scenario from a file reads as from text, and its
	 * errors name the file. */
	snprintf(path, sizeof(path), "%s/mini.json", dir);
	tu_write_file(path, minimal);
	if (bf_scenario_load(path, &data, &sc, &err) != BF_OK)
		fail_msg("%s", err.message);
	assert_int_equal(sc.n_policies, 2);
	bf_scenario_clear(&sc);
	json_t *root = parse(minimal);
	set_at(root, "flows[0].commodity", json_string("00000000"));
	assert_int_equal(json_dump_file(root, path, 0), 0);
	json_decref(root);
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_scenario_load(path, &data, &sc, &err), BF_EINVAL);
	assert_string_equal(err.field, "flows[0].commodity");
	assert_non_null(strstr(err.message, "mini.json"));

	/* Every bundled scenario loads, and each policy's pairs pass the
	 * server's own check. */
	const char *const *names = bf_scenario_bundled_names();
	int n = 0;
	for (; names[n]; n++) {
		assert_non_null(bf_scenario_bundled(names[n]));
		if (bf_scenario_load(names[n], &data, &sc, &err) != BF_OK)
			fail_msg("bundled %s: %s", names[n], err.message);
		assert_string_equal(sc.name, names[n]);
		assert_true(sc.n_gates >= 1 && sc.n_flows >= 1 && sc.n_policies >= 1);
		for (int p = 0; p < sc.n_policies; p++)
			for (int g = 0; g < sc.n_gates; g++)
				assert_int_equal(bf_gate_pair_validate(&sc.policies[p].pairs[g], &err), BF_OK);
		bf_scenario_clear(&sc);
	}
	assert_true(n >= 1);
	assert_null(bf_scenario_bundled("no-such-scenario"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_changes),
	    cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
