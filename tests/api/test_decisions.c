/* The two sides' decisions and control lanes, through a real server: a
 * load goes from declared to crossed with each step taken by its own role
 * and side; every other role, side or state is refused and changes
 * nothing; holds and refusals carry reasons; each side routes a checked-in
 * vehicle by its own risk profile (rules on the exporter, the commodity
 * and refusals), the same way every time; and the queue's estimates give
 * a physical inspection its time. */
#include "util/apifix.h"

#include "ledger/ledger.h"
#include "service/ledger.h"

#include <stdio.h>
#include <string.h>

enum { CARRIER, VN_EXPORT, CN_IMPORT, VN_OPERATOR, CN_EXPORT, VN_IMPORT, N_PARTIES };

static struct apifix_party parties[N_PARTIES] = {
    {"dc-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"dc-vn-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"dc-cn-customs", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"dc-vn-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},
    {"dc-cn-export", BF_ROLE_EXPORT_AUTHORITY, "CN", ""},
    {"dc-vn-import", BF_ROLE_IMPORT_AUTHORITY, "VN", ""},
};

static struct apifix fx;
/* The server's clock: a Tuesday morning, the gates open on both sides;
 * tests move it as the day goes. */
static bf_time now;

static int setup(void **state)
{
	*state = &fx;
	if (bf_time_parse("2026-12-01T03:00:00Z", &now) != 0)
		return -1;
	fx.clock = apifix_clock_at;
	fx.clock_ctx = &now;
	return apifix_start(&fx, "decisions", parties, N_PARTIES);
}

static long call(int as, const char *method, const char *fmt, const char *id, const char *body, json_t **out)
{
	char path[256];
	long st;
	snprintf(path, sizeof(path), fmt, id);
	json_t *j = apifix_call(&fx, as, method, path, body, NULL, &st);
	if (out)
		*out = j;
	else
		json_decref(j);
	return st;
}

/* A load of EXPORTER's, booked at GATE and checked in: its id. */
static const char *waiting(const char *exporter, const char *gate)
{
	static char id[64];
	if (strcmp(exporter, "VN-EXP-0103") == 0)
		snprintf(id, sizeof(id), "%s",
		         apifix_declare(&fx, CARRIER, exporter, "08109020", "VN-BGOR-0001", "VN-BGPH-001", gate));
	else
		snprintf(id, sizeof(id), "%s",
		         apifix_declare(&fx, CARRIER, exporter, "08109092", "VN-BTOR-0001", "VN-BTPH-001", gate));
	char body[64];
	snprintf(body, sizeof(body), "{\"gate\":\"%s\"}", gate);
	assert_int_equal(call(CARRIER, "POST", "/v1/consignments/%s/booking", id, body, NULL), 201);
	assert_int_equal(call(CARRIER, "POST", "/v1/consignments/%s/check-in", id, NULL, NULL), 200);
	return id;
}

static long decide(int as, const char *id, const char *decision, const char *reasons)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"decision\":\"%s\"%s%s}", decision, reasons ? ",\"reasons\":" : "",
	         reasons ? reasons : "");
	return call(as, "POST", "/v1/consignments/%s/decisions", id, body, NULL);
}

/* The lane SIDE routed ID to. */
static const char *lane_of(const char *id, const char *side)
{
	static char lane[16];
	json_t *j, *c;
	size_t i;
	lane[0] = '\0';
	assert_int_equal(call(VN_EXPORT, "GET", "/v1/consignments/%s", id, NULL, &j), 200);
	json_array_foreach (json_object_get(j, "controls"), i, c)
		if (strcmp(tu_str(c, "side"), side) == 0)
			snprintf(lane, sizeof(lane), "%s", tu_str(c, "lane"));
	json_decref(j);
	return lane;
}

/* Calls vehicles forward at GATE until ID is called; a bounded loop. */
static void call_forward(const char *gate, const char *id)
{
	for (int i = 0; i < 50 && strcmp(apifix_state(&fx, CARRIER, id), "waiting") == 0; i++)
		assert_int_equal(call(VN_OPERATOR, "POST", "/v1/gates/%s/call", gate, "{\"count\":1}", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "called");
}

static void test_full_lifecycle(void **state)
{
	(void)state;
	char id[64];
	snprintf(id, sizeof(id), "%s", waiting("VN-EXP-0101", "tan-thanh"));
	/* Both sides routed it as it checked in, the same way each time. */
	char export_lane[16], import_lane[16];
	snprintf(export_lane, sizeof(export_lane), "%s", lane_of(id, "export"));
	snprintf(import_lane, sizeof(import_lane), "%s", lane_of(id, "import"));
	assert_true(export_lane[0] && import_lane[0]);
	assert_string_equal(lane_of(id, "export"), export_lane);

	/* Not before it is called, and never by the other side or a carrier. */
	assert_int_equal(decide(VN_EXPORT, id, "export_cleared", NULL), 409);
	call_forward("tan-thanh", id);
	assert_int_equal(decide(CN_EXPORT, id, "export_cleared", NULL), 403);
	assert_int_equal(decide(CARRIER, id, "export_cleared", NULL), 403);
	assert_int_equal(decide(CN_IMPORT, id, "import_cleared", NULL), 409);
	assert_int_equal(decide(VN_OPERATOR, id, "crossed", NULL), 409);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "called");

	/* A hold names its reasons, and is released by clearing. */
	assert_int_equal(decide(VN_EXPORT, id, "held", NULL), 400);
	assert_int_equal(decide(VN_EXPORT, id, "held", "[\"certificate number does not match\"]"), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "held");
	assert_int_equal(decide(VN_EXPORT, id, "export_cleared", NULL), 200);

	/* The import side: only China's import authority. */
	assert_int_equal(decide(VN_IMPORT, id, "inspection", NULL), 403);
	assert_int_equal(decide(CN_IMPORT, id, "inspection", NULL), 200);
	assert_int_equal(decide(CN_IMPORT, id, "import_cleared", NULL), 200);
	assert_int_equal(decide(VN_OPERATOR, id, "crossed", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "crossed");
	assert_int_equal(decide(VN_OPERATOR, id, "crossed", NULL), 409);

	/* The timeline has each decision with the states it moved between. */
	json_t *j, *e;
	size_t i;
	int decided = 0;
	assert_int_equal(call(CARRIER, "GET", "/v1/consignments/%s/events", id, NULL, &j), 200);
	json_array_foreach (json_object_get(j, "events"), i, e) {
		json_t *p = json_object_get(e, "payload");
		/* A decision's event is named by the state it moves to. */
		static const char *const kinds[] = {"consignment.held", "consignment.export_cleared",
		                                    "consignment.inspection", "consignment.import_cleared",
		                                    "consignment.crossed"};
		bool decision = false;
		for (size_t k = 0; k < 5; k++)
			decision = decision || strcmp(tu_str(e, "kind"), kinds[k]) == 0;
		if (!decision)
			continue;
		char kind[64];
		snprintf(kind, sizeof(kind), "consignment.%s", tu_str(p, "to"));
		assert_string_equal(tu_str(e, "kind"), kind);
		assert_non_null(tu_str(p, "from"));
		assert_non_null(tu_str(p, "to"));
		if (strcmp(tu_str(p, "to"), "held") == 0)
			assert_string_equal(json_string_value(json_array_get(json_object_get(p, "reasons"), 0)),
			                    "certificate number does not match");
		decided++;
	}
	json_decref(j);
	assert_int_equal(decided, 5);
}

static void test_refusal_and_history_rule(void **state)
{
	(void)state;
	/* Vietnam sends to red every exporter refused in the last 90 days. */
	const char *profile =
	    "{\"shares\":{\"green\":1,\"yellow\":0,\"red\":0},\"min_random_red\":0,"
	    "\"rules\":[{\"refused_within_days\":90,\"lane\":\"red\",\"reason\":\"refused lately\"}]}";
	assert_int_equal(call(VN_EXPORT, "PUT", "/v1/risk-profiles/%s", "VN", profile, NULL), 200);
	char id[64];
	snprintf(id, sizeof(id), "%s", waiting("VN-EXP-0101", "chi-ma"));
	assert_string_equal(lane_of(id, "export"), "green");
	call_forward("chi-ma", id);
	assert_int_equal(decide(VN_EXPORT, id, "export_cleared", NULL), 200);
	assert_int_equal(decide(CN_IMPORT, id, "inspection", NULL), 200);
	assert_int_equal(decide(CN_IMPORT, id, "refused", NULL), 400);
	assert_int_equal(decide(CN_IMPORT, id, "refused", "[\"pest found: fruit fly larvae\"]"), 200);
	assert_int_equal(decide(VN_OPERATOR, id, "returned", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "returned");
	/* The exporter's next load goes to red, and says why. */
	snprintf(id, sizeof(id), "%s", waiting("VN-EXP-0101", "chi-ma"));
	assert_string_equal(lane_of(id, "export"), "red");
	/* Another exporter's does not. */
	snprintf(id, sizeof(id), "%s", waiting("VN-EXP-0103", "chi-ma"));
	assert_string_equal(lane_of(id, "export"), "green");
}

static void test_profiles_route(void **state)
{
	(void)state;
	/* China: lychee from one exporter to red, fresh fruit to yellow. */
	const char *profile = "{\"shares\":{\"green\":1,\"yellow\":0,\"red\":0},\"min_random_red\":0,"
	                      "\"minutes\":{\"green\":5,\"yellow\":30,\"red\":600},"
	                      "\"rules\":[{\"exporter\":\"VN-EXP-0103\",\"lane\":\"red\",\"reason\":\"watch list\"},"
	                      "{\"commodity\":\"0810\",\"lane\":\"yellow\",\"reason\":\"fresh fruit\"}]}";
	/* Only China's own authorities set China's profile. */
	assert_int_equal(call(VN_EXPORT, "PUT", "/v1/risk-profiles/%s", "CN", profile, NULL), 403);
	assert_int_equal(call(VN_IMPORT, "PUT", "/v1/risk-profiles/%s", "CN", profile, NULL), 403);
	assert_int_equal(call(CARRIER, "PUT", "/v1/risk-profiles/%s", "CN", profile, NULL), 403);
	assert_int_equal(call(CN_IMPORT, "PUT", "/v1/risk-profiles/%s", "CN", profile, NULL), 200);
	json_t *j;
	assert_int_equal(call(CARRIER, "GET", "/v1/risk-profiles/%s", "CN", NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "configured")));
	assert_int_equal(json_array_size(json_object_get(j, "rules")), 2);
	json_decref(j);

	char watched[64], fruit[64];
	snprintf(watched, sizeof(watched), "%s", waiting("VN-EXP-0103", "huu-nghi"));
	snprintf(fruit, sizeof(fruit), "%s", waiting("VN-EXP-0101", "huu-nghi"));
	assert_string_equal(lane_of(watched, "import"), "red");
	assert_string_equal(lane_of(fruit, "import"), "yellow");

	/* In the yard, the vehicle behind a physical inspection of 600
	 * minutes on Huu Nghi's 2 lanes waits at least 300 minutes more. */
	assert_int_equal(call(VN_OPERATOR, "GET", "/v1/gates/%s/queue", "huu-nghi", NULL, &j), 200);
	json_t *q = json_object_get(j, "waiting"), *e;
	size_t i;
	bf_time red_at = 0, next_at = 0;
	json_array_foreach (q, i, e) {
		if (strcmp(tu_str(e, "consignment"), watched) == 0 && i + 1 < json_array_size(q)) {
			assert_int_equal(bf_time_parse(tu_str(e, "estimated_crossing"), &red_at), 0);
			assert_int_equal(
			    bf_time_parse(tu_str(json_array_get(q, i + 1), "estimated_crossing"), &next_at), 0);
		}
		assert_int_equal(json_array_size(json_object_get(e, "controls")), 2);
	}
	json_decref(j);
	assert_true(red_at > 0);
	assert_true(next_at - red_at >= 300 * 60);
}

static void test_bad_bodies_change_nothing(void **state)
{
	(void)state;
	char id[64];
	snprintf(id, sizeof(id), "%s", waiting("VN-EXP-0101", "kim-thanh"));
	call_forward("kim-thanh", id);
	char *before = apifix_dump_rows(&fx);
	static const char *const bodies[] = {
	    "{}",
	    "{\"decision\":\"cleared\"}",
	    "{\"decision\":\"export_cleared\",\"reasons\":\"late\"}",
	    "{\"decision\":\"export_cleared\",\"reasons\":[\"\"]}",
	    "{\"decision\":\"export_cleared\",\"reasons\":[1]}",
	    "{\"decision\":\"export_cleared\",\"colour\":\"green\"}",
	    "[\"export_cleared\"]",
	    "{\"decision\":\"held\",\"reasons\":[]}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		long st = call(VN_EXPORT, "POST", "/v1/consignments/%s/decisions", id, bodies[i], NULL);
		if (st != 400)
			fail_msg("%s: %ld, not 400", bodies[i], st);
	}
	static const char *const profiles[] = {
	    "{\"shares\":{\"green\":0.5,\"yellow\":0.2,\"red\":0.2}}",
	    "{\"shares\":{\"green\":1,\"yellow\":0,\"red\":0},\"minutes\":{\"green\":50,\"yellow\":20,\"red\":90}}",
	    "{\"shares\":{\"green\":1,\"yellow\":0,\"red\":0},\"rules\":[{\"lane\":\"red\"}]}",
	    "{\"shares\":{\"green\":1,\"yellow\":0,\"red\":0},\"rules\":[{\"exporter\":\"X\",\"lane\":\"blue\"}]}",
	    "{\"shares\":{\"green\":1,\"yellow\":0,\"red\":0},\"rules\":[{\"commodity\":\"08a\",\"lane\":\"red\"}]}",
	    "{\"shares\":{\"green\":1,\"yellow\":0,\"red\":0},\"min_random_red\":2}",
	};
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		long st = call(VN_EXPORT, "PUT", "/v1/risk-profiles/%s", "VN", profiles[i], NULL);
		if (st != 400)
			fail_msg("%s: %ld, not 400", profiles[i], st);
	}
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* The whole history the tests made, decisions and lanes included, is a
 * chain the ledger verifies step by step, transitions included. */
static void test_history_verifies(void **state)
{
	(void)state;
	struct bf_ledger_summary sum;
	struct bf_error err = {0};
	int rc = bf_service_verify(fx.svc, NULL, 0, &sum, &err);
	if (rc != 0)
		fail_msg("verify: %s (event %lld, %s)", err.message, (long long)sum.bad.seq, sum.bad.event_kind);
	assert_true(sum.events > 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_lifecycle),   cmocka_unit_test(test_refusal_and_history_rule),
	    cmocka_unit_test(test_profiles_route),   cmocka_unit_test(test_bad_bodies_change_nothing),
	    cmocka_unit_test(test_history_verifies),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
