/* What a load must carry, from the bundled data, through a real server:
 * a rice, a milk and a cassava load each go from declaration to crossed
 * on the bundled gates and sample registry; frozen durian and mango
 * declare; each document a destination asks for is named when missing,
 * one it does not ask for is refused, and a registered facility is
 * checked for its status, its importing country and its products; a
 * commodity no gate takes is refused at declaration, and a booking that
 * finds no gate says why. Time is the service's clock, a weekday morning
 * at Huu Nghi. */
#include "util/apifix.h"

#include <stdio.h>
#include <string.h>

enum { CARRIER, VN_EXPORT, CN_IMPORT, VN_OPERATOR, VN_REGISTRY, CN_REGISTRY, N_PARTIES };

static struct apifix_party parties[N_PARTIES] = {
    {"rq-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"rq-vn-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"rq-cn-customs", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"rq-vn-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},
    {"rq-vn-ppd", BF_ROLE_REGISTRY_AUTHORITY, "VN", ""},
    {"rq-cn-gacc", BF_ROLE_REGISTRY_AUTHORITY, "CN", ""},
};

static struct apifix fx;
static bf_time now;

static int setup(void **state)
{
	*state = &fx;
	/* Tuesday 1 Dec 2026, 10:00 in Hanoi and 11:00 in Beijing. */
	if (bf_time_parse("2026-12-01T03:00:00Z", &now) != 0)
		return -1;
	fx.clock = apifix_clock_at;
	fx.clock_ctx = &now;
	return apifix_start(&fx, "requirements", parties, N_PARTIES);
}

static long call(int as, const char *method, const char *path, const char *body, json_t **out)
{
	long st;
	json_t *j = apifix_call(&fx, as, method, path, body, NULL, &st);
	if (out)
		*out = j;
	else
		json_decref(j);
	return st;
}

static long on(int as, const char *method, const char *fmt, const char *id, const char *body, json_t **out)
{
	char path[256];
	snprintf(path, sizeof(path), fmt, id);
	return call(as, method, path, body, out);
}

/* A declaration body: EXPORTER's load of HS_CODE to DESTINATION, with
 * EXTRA (the documents, as JSON members with a trailing comma, or "").
 * Each a plate of its own. */
static const char *body_of(const char *exporter, const char *hs_code, const char *destination, const char *extra)
{
	static char body[1024];
	static unsigned plates;
	plates++;
	snprintf(body, sizeof(body),
	         "{\"exporter\":\"%s\",\"commodity\":\"%s\",\"net_weight_kg\":20000,\"packages\":800,%s"
	         "\"vehicle\":{\"kind\":\"truck\",\"number\":\"29C-%03u.%02u\",\"country\":\"VN\"},"
	         "\"destination\":\"%s\",\"preferred_gate\":\"any\"}",
	         exporter, hs_code, extra, plates / 100 % 1000, plates % 100, destination);
	return body;
}

#define RICE    "\"phyto_certificate\":\"VN-PC-2026-0101\",\"facility\":\"CNREG-VN-RM-001\","
#define MILK    "\"health_certificate\":\"VN-HC-2026-0001\",\"facility\":\"CNREG-VN-DP-001\","
#define CASSAVA "\"phyto_certificate\":\"VN-PC-2026-0102\",\"facility\":\"CNREG-VN-CS-001\","
#define DURIAN_FRZ                                                                                                     \
	"\"planting_areas\":[\"VN-DLOR-0003\"],\"phyto_certificate\":\"P-3\",\"facility\":\"CNREG-VN-FD-001\","
#define MANGO "\"planting_areas\":[\"VN-DTOR-0001\"],\"packing_house\":\"VN-DTPH-001\",\"phyto_certificate\":\"P-4\","

/* Declares BODY and expects it validated: the new id (static). */
static const char *declared(const char *body)
{
	static char id[64];
	json_t *j;
	long st = call(CARRIER, "POST", "/v1/consignments", body, &j);
	if (st != 201) {
		char *text = json_dumps(j, JSON_COMPACT);
		fail_msg("declare: %ld %s", st, text);
	}
	assert_string_equal(tu_str(j, "state"), "validated");
	snprintf(id, sizeof(id), "%s", tu_str(j, "id"));
	json_decref(j);
	return id;
}

static long decide(int as, const char *id, const char *decision)
{
	char body[96];
	snprintf(body, sizeof(body), "{\"decision\":\"%s\"}", decision);
	return on(as, "POST", "/v1/consignments/%s/decisions", id, body, NULL);
}

/* BODY from declaration to crossed at Huu Nghi, each step by its own
 * party, the clock at the slot it was booked for. */
static void to_crossed(const char *body)
{
	char id[64];
	json_t *j;
	snprintf(id, sizeof(id), "%s", declared(body));
	assert_int_equal(on(CARRIER, "POST", "/v1/consignments/%s/booking", id, "{\"gate\":\"huu-nghi\"}", &j), 201);
	bf_time slot;
	assert_int_equal(bf_time_parse(tu_str(j, "slot_start"), &slot), 0);
	json_decref(j);
	if (slot > now)
		now = slot;
	assert_int_equal(on(CARRIER, "POST", "/v1/consignments/%s/check-in", id, NULL, NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "waiting");
	for (int i = 0; i < 20 && strcmp(apifix_state(&fx, CARRIER, id), "waiting") == 0; i++)
		assert_int_equal(call(VN_OPERATOR, "POST", "/v1/gates/huu-nghi/call", "{\"count\":1}", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "called");
	now += 10 * 60;
	assert_int_equal(decide(VN_EXPORT, id, "export_cleared"), 200);
	now += 10 * 60;
	assert_int_equal(decide(CN_IMPORT, id, "import_cleared"), 200);
	now += 5 * 60;
	assert_int_equal(decide(VN_OPERATOR, id, "crossed"), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "crossed");
	now += 5 * 60;
}

static void test_rice_milk_cassava_cross(void **state)
{
	(void)state;
	to_crossed(body_of("VN-EXP-0105", "10063030", "CN", RICE));
	to_crossed(body_of("VN-EXP-0106", "04012010", "CN", MILK));
	to_crossed(body_of("VN-EXP-0105", "07141011", "CN", CASSAVA));
}

static void test_frozen_durian_and_mango_declare(void **state)
{
	(void)state;
	json_t *j;
	char id[64];
	snprintf(id, sizeof(id), "%s", declared(body_of("VN-EXP-0102", "08119000", "CN", DURIAN_FRZ)));
	/* The consignment shows what it carries, the new documents too. */
	assert_int_equal(on(CARRIER, "GET", "/v1/consignments/%s", id, NULL, &j), 200);
	assert_string_equal(tu_str(j, "facility"), "CNREG-VN-FD-001");
	assert_true(json_is_null(json_object_get(j, "health_certificate")));
	assert_true(json_is_null(json_object_get(j, "packing_house")));
	json_decref(j);
	declared(body_of("VN-EXP-0101", "08045020", "CN", MANGO));

	snprintf(id, sizeof(id), "%s", declared(body_of("VN-EXP-0106", "04012010", "CN", MILK)));
	assert_int_equal(on(CARRIER, "GET", "/v1/consignments/%s", id, NULL, &j), 200);
	assert_string_equal(tu_str(j, "health_certificate"), "VN-HC-2026-0001");
	assert_true(json_is_null(json_object_get(j, "phyto_certificate")));
	json_decref(j);

	/* The commodity says what each importing country asks. */
	assert_int_equal(call(-1, "GET", "/v1/commodities?class=grain", NULL, &j), 200);
	json_t *rice = json_array_get(json_object_get(j, "commodities"), 0);
	json_t *cn = json_object_get(json_object_get(rice, "requires"), "CN");
	assert_int_equal(json_array_size(cn), 2);
	assert_string_equal(json_string_value(json_array_get(cn, 0)), "phyto_certificate");
	assert_string_equal(json_string_value(json_array_get(cn, 1)), "facility");
	json_decref(j);
}

/* Expects BODY refused with 422 and exactly the (field, code) pairs
 * given, the first message holding WORDS, and nothing written. */
static void expect_rules(const char *body, const char *words, const char *const *pairs)
{
	long before = apifix_rows(&fx, "consignment"), events = apifix_rows(&fx, "event");
	json_t *j;
	long st = call(CARRIER, "POST", "/v1/consignments", body, &j);
	json_t *errors = json_object_get(j, "errors");
	size_t want = 0;
	while (pairs[want * 2])
		want++;
	char *text = json_dumps(j, JSON_COMPACT);
	if (st != 422 || json_array_size(errors) != want)
		fail_msg("wanted 422 with %zu errors, got %ld: %s", want, st, text);
	for (size_t i = 0; i < want; i++) {
		json_t *e = json_array_get(errors, i);
		if (strcmp(tu_str(e, "field"), pairs[2 * i]) != 0 || strcmp(tu_str(e, "code"), pairs[2 * i + 1]) != 0)
			fail_msg("error %zu of %s, wanted %s/%s", i, text, pairs[2 * i], pairs[2 * i + 1]);
	}
	if (strstr(tu_str(json_array_get(errors, 0), "message"), words) == NULL)
		fail_msg("\"%s\" is not in %s", words, text);
	free(text);
	json_decref(j);
	assert_int_equal(apifix_rows(&fx, "consignment"), before);
	assert_int_equal(apifix_rows(&fx, "event"), events);
}

#define RULES(...) ((const char *const[]){__VA_ARGS__, NULL, NULL})

static void test_each_document_named(void **state)
{
	(void)state;
	/* Milk: China asks a health certificate and the dairy plant's number. */
	expect_rules(body_of("VN-EXP-0106", "04012010", "CN", "\"facility\":\"CNREG-VN-DP-001\","),
	             "CN requires the health certificate for 04012010", RULES("health_certificate", "required"));
	expect_rules(body_of("VN-EXP-0106", "04012010", "CN", "\"health_certificate\":\"HC-1\","),
	             "CN requires the registered facility number for 04012010", RULES("facility", "required"));
	/* A phytosanitary certificate on milk is the wrong certificate. */
	expect_rules(body_of("VN-EXP-0106", "04012010", "CN", MILK "\"phyto_certificate\":\"P-9\","),
	             "CN asks no phytosanitary certificate for 04012010", RULES("phyto_certificate", "unexpected"));
	/* Rice: the mill, and the phytosanitary certificate. */
	expect_rules(body_of("VN-EXP-0105", "10063030", "CN", "\"facility\":\"CNREG-VN-RM-001\","),
	             "CN requires the phytosanitary certificate for 10063030", RULES("phyto_certificate", "required"));
	expect_rules(body_of("VN-EXP-0105", "10063030", "CN", "\"phyto_certificate\":\"P-1\","),
	             "CN requires the registered facility number", RULES("facility", "required"));
	expect_rules(
	    body_of("VN-EXP-0105", "10063030", "CN", "\"phyto_certificate\":\"P-1\",\"facility\":\"CNREG-VN-RM-002\","),
	    "facility CNREG-VN-RM-002 is suspended", RULES("facility", "suspended"));
	expect_rules(
	    body_of("VN-EXP-0105", "10063030", "CN", "\"phyto_certificate\":\"P-1\",\"facility\":\"CNREG-VN-DP-001\","),
	    "facility CNREG-VN-DP-001 is not registered for 10063030", RULES("facility", "wrong_commodity"));
	expect_rules(
	    body_of("VN-EXP-0105", "10063030", "CN", "\"phyto_certificate\":\"P-1\",\"facility\":\"CNREG-VN-XX-999\","),
	    "no facility is registered as CNREG-VN-XX-999", RULES("facility", "not_registered"));
	/* Cassava and frozen durian name their plant too. */
	expect_rules(body_of("VN-EXP-0105", "07141011", "CN", "\"phyto_certificate\":\"P-1\","),
	             "CN requires the registered facility number for 07141011", RULES("facility", "required"));
	expect_rules(body_of("VN-EXP-0102", "08119000", "CN",
	                     "\"planting_areas\":[\"VN-DLOR-0003\"],\"phyto_certificate\":\"P-3\","),
	             "CN requires the registered facility number for 08119000", RULES("facility", "required"));
	/* Fresh fruit keeps its planting areas and packing house, and takes no
	 * health certificate. */
	expect_rules(body_of("VN-EXP-0101", "08045020", "CN",
	                     "\"planting_areas\":[\"VN-DTOR-0001\"],\"phyto_certificate\":\"P-4\","),
	             "CN requires the registered packing house for 08045020", RULES("packing_house", "required"));
	expect_rules(body_of("VN-EXP-0101", "08045020", "CN", MANGO "\"health_certificate\":\"HC-2\","),
	             "CN asks no health certificate for 08045020", RULES("health_certificate", "unexpected"));
	/* A facility China registered does not serve a load for Laos. */
	expect_rules(body_of("VN-EXP-0106", "04012010", "LA", MILK), "VN-EXP-0106 is not approved to export",
	             RULES("exporter", "not_approved", "facility", "wrong_destination"));
}

static void test_bad_documents_are_400(void **state)
{
	(void)state;
	static const struct {
		const char *extra, *field;
	} cases[] = {
	    {"\"facility\":\"no spaces allowed\",", "facility"},
	    {"\"facility\":42,", "facility"},
	    {"\"health_certificate\":\"0123456789012345678901234567890123456789X\",", "health_certificate"},
	    {"\"health_certificate\":[\"HC\"],", "health_certificate"},
	};
	char *before = apifix_dump_rows(&fx);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j;
		long st = call(CARRIER, "POST", "/v1/consignments",
		               body_of("VN-EXP-0106", "04012010", "CN", cases[i].extra), &j);
		assert_int_equal(st, 400);
		assert_string_equal(tu_str(json_object_get(j, "error"), "field"), cases[i].field);
		json_decref(j);
	}
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Dairy's gates, taken away and put back, as a gate change would. */
static void dairy_gates(bool present)
{
	if (present)
		tu_db_exec(fx.db, "INSERT INTO gate_designation (gate_id, class) VALUES ('huu-nghi', 'dairy'), "
		                  "('mong-cai', 'dairy'), ('kim-thanh', 'dairy')");
	else
		tu_db_exec(fx.db, "DELETE FROM gate_designation WHERE class = 'dairy'");
}

static void test_no_gate_for_the_class(void **state)
{
	(void)state;
	char id[64];
	/* Declared while dairy had gates, then left with none. */
	snprintf(id, sizeof(id), "%s", declared(body_of("VN-EXP-0106", "04012010", "CN", MILK)));
	dairy_gates(false);
	expect_rules(body_of("VN-EXP-0106", "04012010", "CN", MILK), "no gate pair is designated for dairy",
	             RULES("commodity", "no_gate"));
	json_t *j;
	long events = apifix_rows(&fx, "event");
	assert_int_equal(on(CARRIER, "POST", "/v1/consignments/%s/booking", id, NULL, &j), 422);
	json_t *e = json_object_get(j, "error");
	assert_string_equal(tu_str(e, "field"), "commodity");
	assert_non_null(strstr(tu_str(e, "message"), "no gate pair is designated for dairy"));
	json_decref(j);
	assert_int_equal(apifix_rows(&fx, "event"), events);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "validated");
	dairy_gates(true);
	assert_int_equal(on(CARRIER, "POST", "/v1/consignments/%s/booking", id, NULL, NULL), 201);
}

static void test_no_gate_for_the_conveyance_or_destination(void **state)
{
	(void)state;
	json_t *j;
	char id[64];
	/* Milk by rail: every gate designated for dairy is a road gate. */
	snprintf(id, sizeof(id), "%s",
	         declared("{\"exporter\":\"VN-EXP-0106\",\"commodity\":\"04012010\",\"net_weight_kg\":30000,"
	                  "\"packages\":900," MILK "\"vehicle\":{\"kind\":\"wagon\",\"number\":\"31501234567\","
	                  "\"country\":\"VN\"},\"destination\":\"CN\"}"));
	assert_int_equal(on(CARRIER, "POST", "/v1/consignments/%s/booking", id, NULL, &j), 422);
	json_t *e = json_object_get(j, "error");
	assert_string_equal(tu_str(e, "field"), "vehicle.kind");
	assert_non_null(strstr(tu_str(e, "message"), "no gate pair designated for dairy takes a wagon"));
	json_decref(j);

	/* Milk for Laos, once the exporter is approved there: no gate leads
	 * there. Laos asks only what every country does (a health
	 * certificate), not a plant China registered. */
	assert_int_equal(call(VN_REGISTRY, "PATCH", "/v1/exporters/VN-EXP-0106",
	                      "{\"approvals\":[{\"hs_code\":\"04012010\",\"destination\":\"CN\"},"
	                      "{\"hs_code\":\"04012010\",\"destination\":\"LA\"}]}",
	                      NULL),
	                 200);
	snprintf(id, sizeof(id), "%s",
	         declared(body_of("VN-EXP-0106", "04012010", "LA", "\"health_certificate\":\"VN-HC-2026-0009\",")));
	assert_int_equal(on(CARRIER, "POST", "/v1/consignments/%s/booking", id, NULL, &j), 422);
	e = json_object_get(j, "error");
	assert_string_equal(tu_str(e, "field"), "destination");
	assert_non_null(strstr(tu_str(e, "message"), "leads to LA"));
	json_decref(j);

	/* A gate named that does not take the load says which rule. */
	snprintf(id, sizeof(id), "%s", declared(body_of("VN-EXP-0106", "04012010", "CN", MILK)));
	assert_int_equal(on(CARRIER, "POST", "/v1/consignments/%s/booking", id, "{\"gate\":\"tan-thanh\"}", &j), 400);
	assert_non_null(
	    strstr(tu_str(json_object_get(j, "error"), "message"), "tan-thanh is not designated for dairy"));
	json_decref(j);
}

static void test_facilities_registry(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(call(CARRIER, "GET", "/v1/facilities/CNREG-VN-DP-001", NULL, &j), 200);
	assert_string_equal(tu_str(j, "registered_with"), "CN");
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "products"), 0)), "0401");
	json_decref(j);
	static const char plant[] =
	    "{\"code\":\"CNREG-VN-DP-002\",\"name\":\"Example Ba Vi dairy plant\",\"country\":\"VN\","
	    "\"province\":\"Ha Noi\",\"registered_with\":\"CN\",\"products\":[\"0401\"]}";
	/* Kept by the registry authority of the plant's country only. */
	assert_int_equal(call(CN_REGISTRY, "POST", "/v1/facilities", plant, NULL), 403);
	assert_int_equal(call(VN_REGISTRY, "POST", "/v1/facilities",
	                      "{\"code\":\"CNREG-VN-DP-003\",\"name\":\"X\",\"country\":\"VN\",\"province\":\"Ha Noi\","
	                      "\"registered_with\":\"CN\",\"products\":[\"04\"]}",
	                      &j),
	                 400);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "products[0]");
	json_decref(j);
	assert_int_equal(call(VN_REGISTRY, "POST", "/v1/facilities", plant, NULL), 201);
	/* Suspended, its loads are refused; reinstated, they pass. */
	assert_int_equal(
	    call(VN_REGISTRY, "PATCH", "/v1/facilities/CNREG-VN-DP-002", "{\"status\":\"suspended\"}", NULL), 200);
	expect_rules(body_of("VN-EXP-0106", "04012010", "CN",
	                     "\"health_certificate\":\"HC-3\",\"facility\":\"CNREG-VN-DP-002\","),
	             "facility CNREG-VN-DP-002 is suspended", RULES("facility", "suspended"));
	assert_int_equal(call(VN_REGISTRY, "PATCH", "/v1/facilities/CNREG-VN-DP-002", "{\"status\":\"active\"}", NULL),
	                 200);
	declared(body_of("VN-EXP-0106", "04012010", "CN",
	                 "\"health_certificate\":\"HC-3\",\"facility\":\"CNREG-VN-DP-002\","));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rice_milk_cassava_cross),
	    cmocka_unit_test(test_frozen_durian_and_mango_declare),
	    cmocka_unit_test(test_each_document_named),
	    cmocka_unit_test(test_bad_documents_are_400),
	    cmocka_unit_test(test_no_gate_for_the_class),
	    cmocka_unit_test(test_no_gate_for_the_conveyance_or_destination),
	    cmocka_unit_test(test_facilities_registry),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
