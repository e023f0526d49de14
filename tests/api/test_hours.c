/* A day at Huu Nghi through a real server, its clock driven by the test:
 * a vehicle is not called before the gate opens, nor before its slot is
 * due; while the Chinese side is closed for two hours by a dated closure,
 * the Vietnamese side still decides but neither the import decision nor
 * the crossing is recorded; inside the window every step is; and after
 * closing time a call with a stated reason is signed with its override
 * and counted in the metrics. Every refusal names the next window in both
 * local times and UTC, and writes nothing.
 *
 * Huu Nghi's sides open 07:00-19:00 in Vietnam (UTC+7) and 08:00-20:00 in
 * China (UTC+8): both 00:00-12:00 UTC. */
#include "util/apifix.h"

#include <stdio.h>
#include <string.h>

enum { CARRIER, VN_CUSTOMS, CN_CUSTOMS, VN_GATE, CN_GATE, N_PARTIES };

static struct apifix_party parties[N_PARTIES] = {
    {"hr-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"hr-vn-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"hr-cn-customs", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"hr-vn-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},
    {"hr-cn-gate", BF_ROLE_GATE_OPERATOR, "CN", ""},
};

static struct apifix fx;
static bf_time now;

static void at(const char *instant)
{
	assert_int_equal(bf_time_parse(instant, &now), 0);
}

static int setup(void **state)
{
	*state = &fx;
	if (bf_time_parse("2026-11-30T22:00:00Z", &now) != 0) /* 05:00 in Lang Son, Tuesday */
		return -1;
	fx.clock = apifix_clock_at;
	fx.clock_ctx = &now;
	return apifix_start(&fx, "hours", parties, N_PARTIES);
}

static long post(int as, const char *fmt, const char *id, const char *body, json_t **out)
{
	char path[256];
	long st;
	snprintf(path, sizeof(path), fmt, id);
	json_t *j = apifix_call(&fx, as, "POST", path, body, NULL, &st);
	if (out)
		*out = j;
	else
		json_decref(j);
	return st;
}

static long decide(int as, const char *id, const char *decision, json_t **out)
{
	char body[128];
	snprintf(body, sizeof(body), "{\"decision\":\"%s\"}", decision);
	return post(as, "/v1/consignments/%s/decisions", id, body, out);
}

/* A 409 on "time" that names the next window from START to END (UTC) and
 * the same instants in Vietnam's and China's local time. */
static void refused_until(json_t *j, const char *start, const char *end, const char *vn_start, const char *cn_start)
{
	json_t *w = json_object_get(j, "next_window");
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "time");
	assert_string_equal(tu_str(w, "gate"), "huu-nghi");
	assert_string_equal(tu_str(w, "start"), start);
	assert_string_equal(tu_str(w, "end"), end);
	json_t *vn = json_array_get(json_object_get(w, "local"), 0),
	       *cn = json_array_get(json_object_get(w, "local"), 1);
	assert_string_equal(tu_str(vn, "country"), "VN");
	assert_string_equal(tu_str(vn, "start"), vn_start);
	assert_string_equal(tu_str(cn, "country"), "CN");
	assert_string_equal(tu_str(cn, "start"), cn_start);
	/* The message says it too, for a person reading only that. */
	const char *msg = tu_str(json_object_get(j, "error"), "message");
	assert_non_null(strstr(msg, start));
	json_decref(j);
}

/* The payload of ID's last event of KIND (a new reference), or NULL. */
static json_t *last_payload(const char *id, const char *kind)
{
	char path[128];
	long st;
	json_t *found = NULL, *e;
	size_t i;
	snprintf(path, sizeof(path), "/v1/consignments/%s/events", id);
	json_t *j = apifix_call(&fx, CARRIER, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_array_foreach (json_object_get(j, "events"), i, e)
		if (strcmp(tu_str(e, "kind"), kind) == 0) {
			json_decref(found);
			found = json_incref(json_object_get(e, "payload"));
		}
	json_decref(j);
	return found;
}

static const char *waiting_load(void)
{
	static char id[64];
	snprintf(id, sizeof(id), "%s",
	         apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "huu-nghi"));
	assert_int_equal(post(CARRIER, "/v1/consignments/%s/booking", id, "{\"gate\":\"huu-nghi\"}", NULL), 201);
	assert_int_equal(post(CARRIER, "/v1/consignments/%s/check-in", id, NULL, NULL), 200);
	return id;
}

static void test_a_day_at_huu_nghi(void **state)
{
	(void)state;
	json_t *j;
	char id[64];
	/* Before dawn: the load books the first slot, at opening, and waits. */
	snprintf(id, sizeof(id), "%s", waiting_load());
	long events = apifix_rows(&fx, "event");

	/* 06:00 in Lang Son: the gate is shut, no one is called. */
	at("2026-11-30T23:00:00Z");
	assert_int_equal(post(VN_GATE, "/v1/gates/%s/call", "huu-nghi", "{\"count\":1}", &j), 409);
	refused_until(j, "2026-12-01T00:00:00Z", "2026-12-01T12:00:00Z", "2026-12-01T07:00:00+07:00",
	              "2026-12-01T08:00:00+08:00");
	assert_int_equal(apifix_rows(&fx, "event"), events);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "waiting");

	/* China closes its side from 09:00 to 11:00 its time, for the day. */
	assert_int_equal(post(CN_GATE, "/v1/gates/%s/changes", "huu-nghi",
	                      "{\"kind\":\"closure\",\"from\":\"2026-12-01T09:00:00+08:00\","
	                      "\"to\":\"2026-12-01T11:00:00+08:00\",\"note\":\"scanner maintenance\"}",
	                      NULL),
	                 201);

	/* 07:10: open on both sides, the slot is due; called and cleared
	 * for export. */
	at("2026-12-01T00:10:00Z");
	assert_int_equal(post(VN_GATE, "/v1/gates/%s/call", "huu-nghi", "{\"count\":1}", &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "called")), 1);
	json_decref(j);
	at("2026-12-01T00:40:00Z");
	/* The crossing is the gate's, and the goods have not cleared yet. */
	assert_int_equal(decide(VN_CUSTOMS, id, "export_cleared", NULL), 200);

	/* 09:30 in China, inside the closure: Vietnam's side is open, China's
	 * is not; the import decision waits for 11:00 Beijing time. */
	at("2026-12-01T01:30:00Z");
	events = apifix_rows(&fx, "event");
	assert_int_equal(decide(CN_CUSTOMS, id, "import_cleared", &j), 409);
	refused_until(j, "2026-12-01T03:00:00Z", "2026-12-01T12:00:00Z", "2026-12-01T10:00:00+07:00",
	              "2026-12-01T11:00:00+08:00");
	assert_int_equal(apifix_rows(&fx, "event"), events);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "export_cleared");

	/* 11:10 Beijing time: cleared for import, and crossed. */
	at("2026-12-01T03:10:00Z");
	assert_int_equal(decide(CN_CUSTOMS, id, "import_cleared", NULL), 200);
	assert_int_equal(decide(CN_GATE, id, "crossed", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "crossed");
	json_t *p = last_payload(id, "consignment.crossed");
	assert_null(json_object_get(p, "override")); /* nothing was set aside */
	json_decref(p);
}

static void test_the_crossing_waits_for_both_sides(void **state)
{
	(void)state;
	json_t *j;
	char id[64];
	/* The next morning: called, cleared both sides inside the window. */
	at("2026-12-02T00:00:00Z");
	snprintf(id, sizeof(id), "%s", waiting_load());
	assert_int_equal(post(VN_GATE, "/v1/gates/%s/call", "huu-nghi", "{\"count\":1}", NULL), 200);
	assert_int_equal(decide(VN_CUSTOMS, id, "export_cleared", NULL), 200);
	assert_int_equal(decide(CN_CUSTOMS, id, "import_cleared", NULL), 200);
	/* 19:30 in Lang Son, 20:30 in Pingxiang: both shut, no crossing. */
	at("2026-12-02T12:30:00Z");
	assert_int_equal(decide(CN_GATE, id, "crossed", &j), 409);
	refused_until(j, "2026-12-03T00:00:00Z", "2026-12-03T12:00:00Z", "2026-12-03T07:00:00+07:00",
	              "2026-12-03T08:00:00+08:00");
	assert_string_equal(apifix_state(&fx, CARRIER, id), "import_cleared");
}

static void test_an_override_is_signed_and_counted(void **state)
{
	(void)state;
	json_t *j;
	char id[64];
	at("2026-12-03T00:00:00Z");
	snprintf(id, sizeof(id), "%s", waiting_load());
	/* 20:00 in Lang Son: shut; the operator states why it calls anyway. */
	at("2026-12-03T13:00:00Z");
	assert_int_equal(post(VN_GATE, "/v1/gates/%s/call", "huu-nghi", "{\"count\":1,\"override\":{}}", &j), 400);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "override.reason");
	json_decref(j);
	assert_int_equal(
	    post(VN_GATE, "/v1/gates/%s/call", "huu-nghi", "{\"count\":1,\"override\":{\"reason\":\"\"}}", &j), 400);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "override.reason");
	json_decref(j);
	assert_int_equal(post(VN_GATE, "/v1/gates/%s/call", "huu-nghi", "{\"count\":1,\"override\":\"yes\"}", &j), 400);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "override");
	json_decref(j);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "waiting");

	assert_int_equal(post(VN_GATE, "/v1/gates/%s/call", "huu-nghi",
	                      "{\"count\":1,\"override\":{\"reason\":\"durian past its window; agreed with Youyiguan "
	                      "by phone\"}}",
	                      &j),
	                 200);
	assert_int_equal(json_array_size(json_object_get(j, "called")), 1);
	json_decref(j);
	json_t *p = last_payload(id, "consignment.called");
	json_t *o = json_object_get(p, "override");
	assert_non_null(o);
	assert_string_equal(tu_str(o, "reason"), "durian past its window; agreed with Youyiguan by phone");
	assert_string_equal(tu_str(o, "at"), "2026-12-03T13:00:00Z");
	assert_non_null(strstr(tu_str(o, "rule"), "no crossing window open"));
	assert_non_null(strstr(tu_str(o, "next_window"), "2026-12-04T00:00:00Z"));
	json_decref(p);
	/* The export decision after hours, overridden too, with its reason. */
	assert_int_equal(post(VN_CUSTOMS, "/v1/consignments/%s/decisions", id,
	                      "{\"decision\":\"export_cleared\",\"override\":{\"reason\":\"officer on night duty\"}}",
	                      NULL),
	                 200);
	p = last_payload(id, "consignment.export_cleared");
	assert_string_equal(tu_str(json_object_get(p, "override"), "reason"), "officer on night duty");
	json_decref(p);

	/* Counted, by the step's event. */
	struct tu_http m;
	char url[128];
	snprintf(url, sizeof(url), "%s/metrics", fx.base);
	assert_int_equal(tu_http("GET", url, NULL, NULL, &m), 0);
	assert_int_equal(m.status, 200);
	assert_non_null(strstr(m.body, "borderflow_overrides_total{kind=\"consignment.called\"} 1\n"));
	assert_non_null(strstr(m.body, "borderflow_overrides_total{kind=\"consignment.export_cleared\"} 1\n"));
	tu_http_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_day_at_huu_nghi),
	    cmocka_unit_test(test_the_crossing_waits_for_both_sides),
	    cmocka_unit_test(test_an_override_is_signed_and_counted),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
