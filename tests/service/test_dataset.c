/* Reference data files: the bundled ones load; each kind of bad file is
 * refused whole with the file, the record and the field named. */
#include "util/testutil.h"

#include "codec/dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static json_t *load_source(const char *name)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s/data/%s", tu_source_dir(), name);
	json_t *j = json_load_file(path, 0, NULL);
	assert_non_null(j);
	return j;
}

/* Writes the three bundled files into DIR, with gates.json replaced by
 * GATES and commodities.json by COMMODITIES where not NULL. */
static void write_data(json_t *gates, json_t *commodities, json_t *registry)
{
	const char *names[] = {"gates.json", "commodities.json", "registry.json"};
	json_t *docs[] = {gates, commodities, registry};
	for (int i = 0; i < 3; i++) {
		json_t *doc = docs[i] ? json_incref(docs[i]) : load_source(names[i]);
		char path[2048];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		assert_int_equal(json_dump_file(doc, path, JSON_INDENT(1)), 0);
		json_decref(doc);
	}
}

/* Loads DIR and expects a refusal whose message holds every NEEDLE. */
static void expect_refused(const char *field, const char *const *needles)
{
	struct bf_dataset d;
	struct bf_error err = {0};
	int rc = bf_dataset_load(dir, &d, &err);
	if (rc == 0)
		fail_msg("a bad data file was accepted");
	assert_int_equal(d.n_gates, 0);
	assert_null(d.gates);
	for (const char *const *n = needles; *n; n++) {
		if (strstr(err.message, *n) == NULL)
			fail_msg("message \"%s\" lacks \"%s\"", err.message, *n);
	}
	if (field != NULL)
		assert_string_equal(err.field, field);
}

static json_t *gate_record(json_t *gates, size_t i)
{
	return json_array_get(json_object_get(gates, "gates"), i);
}

static void test_bundled_loads(void **state)
{
	(void)state;
	struct bf_dataset d;
	struct bf_error err = {0};
	assert_int_equal(bf_dataset_load(NULL, &d, &err), 0);
	assert_true(d.n_gates >= 14);
	assert_true(d.n_commodities >= 10);
	assert_true(d.n_exporters >= 1);
	/* The copy in the source tree reads the same as the built-in one. */
	struct bf_dataset f;
	write_data(NULL, NULL, NULL);
	assert_int_equal(bf_dataset_load(dir, &f, &err), 0);
	assert_int_equal(f.n_gates, d.n_gates);
	assert_int_equal(f.n_commodities, d.n_commodities);
	assert_string_equal(f.gates[0].id, d.gates[0].id);
	bf_dataset_free(&f);
	bf_dataset_free(&d);
}

static void test_bad_json(void **state)
{
	(void)state;
	write_data(NULL, NULL, NULL);
	tu_write_file(tu_path(dir, "gates.json"), "{\"gates\": [ {\"id\": \"x\",");
	expect_refused(NULL, (const char *const[]){"gates.json", "line", "not valid JSON", NULL});
}

static void test_unknown_commodity_class(void **state)
{
	(void)state;
	json_t *g = load_source("gates.json");
	json_array_insert_new(json_object_get(gate_record(g, 1), "designated"), 1, json_string("flowers"));
	write_data(g, NULL, NULL);
	expect_refused("designated[1]",
	               (const char *const[]){"gates.json", "gate 2 (", "designated[1]", "flowers", NULL});
	json_decref(g);

	json_t *c = load_source("commodities.json");
	json_object_set_new(json_array_get(json_object_get(c, "commodities"), 0), "class", json_string("fruits"));
	write_data(NULL, c, NULL);
	expect_refused("class", (const char *const[]){"commodities.json", "commodity 1 (", "class", "fruits", NULL});
	json_decref(c);
}

static void test_hour_25(void **state)
{
	(void)state;
	json_t *g = load_source("gates.json");
	json_t *h = json_array_get(
	    json_object_get(json_object_get(json_object_get(gate_record(g, 2), "sides"), "b"), "hours"), 0);
	json_object_set_new(h, "close", json_string("25:00"));
	write_data(g, NULL, NULL);
	expect_refused("sides.b.hours[0].close",
	               (const char *const[]){"gates.json", "gate 3 (", "sides.b.hours[0].close", "25:00", NULL});
	json_decref(g);
}

static void test_window_ends_before_start(void **state)
{
	(void)state;
	json_t *g = load_source("gates.json");
	json_t *h = json_array_get(
	    json_object_get(json_object_get(json_object_get(gate_record(g, 0), "sides"), "a"), "hours"), 0);
	json_object_set_new(h, "open", json_string("19:00"));
	json_object_set_new(h, "close", json_string("07:00"));
	write_data(g, NULL, NULL);
	expect_refused(
	    "sides.a.hours[0].close",
	    (const char *const[]){"gates.json", "gate 1 (", "sides.a.hours[0].close", "ends before it starts", NULL});
	json_decref(g);

	/* A dated exception that ends before it starts. */
	g = load_source("gates.json");
	json_t *side = json_object_get(json_object_get(gate_record(g, 0), "sides"), "a");
	json_object_set_new(side, "exceptions",
	                    json_pack("[{s:s, s:s, s:s}]", "from", "2026-12-02T00:00+07:00", "to",
	                              "2026-12-01T00:00+07:00", "kind", "closed"));
	write_data(g, NULL, NULL);
	expect_refused("sides.a.exceptions[0].to",
	               (const char *const[]){"gate 1 (", "sides.a.exceptions[0].to", "ends before it starts", NULL});
	json_decref(g);
}

static void test_duplicate_gate_id(void **state)
{
	(void)state;
	json_t *g = load_source("gates.json");
	const char *first = json_string_value(json_object_get(gate_record(g, 0), "id"));
	json_object_set_new(gate_record(g, 3), "id", json_string(first));
	write_data(g, NULL, NULL);
	expect_refused("id", (const char *const[]){"gates.json", "gate 4", "field id", first, "gate 1", NULL});
	json_decref(g);
}

static void test_other_faults(void **state)
{
	(void)state;
	/* A misspelt key is not an absent optional one. */
	json_t *g = load_source("gates.json");
	json_object_set_new(gate_record(g, 0), "desginated", json_array());
	write_data(g, NULL, NULL);
	expect_refused("desginated", (const char *const[]){"gate 1 (", "unknown field", NULL});
	json_decref(g);

	/* A number where a string belongs. */
	g = load_source("gates.json");
	json_object_set_new(gate_record(g, 0), "mode", json_integer(1));
	write_data(g, NULL, NULL);
	expect_refused("mode", (const char *const[]){"field mode", "must be a string", NULL});
	json_decref(g);

	/* A missing Chinese name. */
	g = load_source("gates.json");
	json_object_del(json_object_get(gate_record(g, 4), "names"), "zh");
	write_data(g, NULL, NULL);
	expect_refused("names.zh", (const char *const[]){"gate 5 (", "names.zh", "is required", NULL});
	json_decref(g);

	/* A day name that does not exist, and lanes out of range. */
	g = load_source("gates.json");
	json_t *h = json_array_get(
	    json_object_get(json_object_get(json_object_get(gate_record(g, 0), "sides"), "a"), "hours"), 0);
	json_object_set_new(h, "days", json_pack("[s]", "monday"));
	write_data(g, NULL, NULL);
	expect_refused("sides.a.hours[0].days[0]", (const char *const[]){"mon, tue", NULL});
	json_decref(g);

	g = load_source("gates.json");
	json_object_set_new(json_array_get(json_object_get(gate_record(g, 0), "lanes"), 1), "lanes", json_integer(0));
	write_data(g, NULL, NULL);
	expect_refused("lanes[1].lanes", (const char *const[]){"from 1 to 64", NULL});
	json_decref(g);

	/* A planting area growing a commodity the data does not hold. */
	json_t *r = load_source("registry.json");
	json_object_set_new(json_array_get(json_object_get(r, "planting_areas"), 0), "hs_code",
	                    json_string("99999999"));
	write_data(NULL, NULL, r);
	expect_refused("hs_code", (const char *const[]){"registry.json", "planting area 1", "99999999", NULL});
	json_decref(r);

	/* An empty directory. */
	write_data(NULL, NULL, NULL);
	remove(tu_path(dir, "registry.json"));
	expect_refused("data", (const char *const[]){"registry.json", "cannot open", NULL});
}

/* What a load must carry is data: every commodity's class has a gate, rice,
 * milk and cassava name their plant for China; a document borderflow does
 * not know, or a facility registered with its own country, is refused. */
static void test_requirements(void **state)
{
	(void)state;
	struct bf_dataset d;
	struct bf_error err = {0};
	assert_int_equal(bf_dataset_load(NULL, &d, &err), 0);
	for (size_t i = 0; i < d.n_commodities; i++) {
		const struct bf_commodity *c = &d.commodities[i];
		bool gate = false;
		for (size_t g = 0; g < d.n_gates; g++)
			gate = gate || (d.gates[g].designated & (1u << c->klass));
		if (!gate)
			fail_msg("no gate is designated for %s (%s)", c->hs_code, bf_commodity_class_name(c->klass));
		const struct bf_requirement *cn = bf_commodity_requirement(c, "CN");
		assert_non_null(cn);
		bool plant = strcmp(c->hs_code, "10063030") == 0 || strcmp(c->hs_code, "04012010") == 0 ||
		             strcmp(c->hs_code, "07141011") == 0 || strcmp(c->hs_code, "08119000") == 0;
		if (plant)
			assert_true(cn->documents & BF_DOC_FACILITY);
		/* Fresh produce keeps its orchards and packing house. */
		if (c->klass == BF_CC_FRUIT && strcmp(c->hs_code, "08119000") != 0)
			assert_int_equal(cn->documents,
			                 BF_DOC_PLANTING_AREAS | BF_DOC_PACKING_HOUSE | BF_DOC_PHYTO_CERTIFICATE);
	}
	assert_true(d.n_facilities >= 5);
	bf_dataset_free(&d);

	json_t *c = load_source("commodities.json");
	json_t *req = json_object_get(json_array_get(json_object_get(c, "commodities"), 2), "requires");
	json_array_append_new(json_object_get(req, "CN"), json_string("visa"));
	write_data(NULL, c, NULL);
	expect_refused("requires.CN[3]", (const char *const[]){"commodities.json", "commodity 3", "facility", NULL});
	json_decref(c);

	json_t *r = load_source("registry.json");
	json_object_set_new(json_array_get(json_object_get(r, "facilities"), 0), "registered_with", json_string("VN"));
	write_data(NULL, NULL, r);
	expect_refused("registered_with",
	               (const char *const[]){"registry.json", "facility 1", "importing country", NULL});
	json_decref(r);
}

int main(void)
{
	dir = strdup(tu_tmpdir("dataset"));
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bundled_loads),
	    cmocka_unit_test(test_bad_json),
	    cmocka_unit_test(test_unknown_commodity_class),
	    cmocka_unit_test(test_hour_25),
	    cmocka_unit_test(test_window_ends_before_start),
	    cmocka_unit_test(test_duplicate_gate_id),
	    cmocka_unit_test(test_other_faults),
	    cmocka_unit_test(test_requirements),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(dir);
	return rc;
}
