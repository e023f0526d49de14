/* Notices on the shared history, through a real server: who may post,
 * read, acknowledge and suspend; bad bodies refused with the field named
 * and nothing written; a notice stays unacknowledged until a party of the
 * other country acknowledges it, once; a non-compliance's planting area
 * suspended in one step by the registry authority that issued it, after
 * which the next declaration naming it is rejected with the notice as
 * the reason; and the whole history verifies. */
#include "util/apifix.h"

#include "ledger/ledger.h"
#include "service/booking.h"
#include "service/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VN_EXPORT, CN_IMPORT, VN_REGISTRY, CN_REGISTRY, VN_GATE, CN_GATE, CARRIER, PLANNER, AUDITOR, N_PARTIES };

static struct apifix_party parties[N_PARTIES] = {
    {"nt-vn-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"nt-cn-quarantine", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"nt-vn-ppd", BF_ROLE_REGISTRY_AUTHORITY, "VN", ""},
    {"nt-cn-registry", BF_ROLE_REGISTRY_AUTHORITY, "CN", ""},
    {"nt-vn-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},
    {"nt-cn-gate", BF_ROLE_GATE_OPERATOR, "CN", ""},
    {"nt-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"nt-planner", BF_ROLE_PLANNER, "VN", ""},
    {"nt-auditor", BF_ROLE_AUDITOR, "CN", ""},
};

static struct apifix fx;

static int setup(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "notices", parties, N_PARTIES);
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

/* Posts BODY as AS, expecting 201; the notice's id (static: copy it). */
static const char *post(int as, const char *body)
{
	static char id[64];
	json_t *j;
	long st = call(as, "POST", "/v1/notices", body, &j);
	if (st != 201)
		fail_msg("post %s: %ld %s", body, st, tu_str(json_object_get(j, "error"), "message"));
	snprintf(id, sizeof(id), "%s", tu_str(j, "id"));
	json_decref(j);
	return id;
}

static long on_notice(int as, const char *id, const char *verb, const char *body, json_t **out)
{
	char path[128];
	snprintf(path, sizeof(path), "/v1/notices/%s%s%s", id, verb ? "/" : "", verb ? verb : "");
	return call(as, verb ? "POST" : "GET", path, body, out);
}

/* Whether notice ID is on the list at PATH (one page of up to 500). */
static bool listed(const char *path, const char *id)
{
	json_t *j, *n;
	size_t i;
	bool seen = false;
	assert_int_equal(call(AUDITOR, "GET", path, NULL, &j), 200);
	json_array_foreach (json_object_get(j, "notices"), i, n)
		seen = seen || strcmp(tu_str(n, "id"), id) == 0;
	json_decref(j);
	return seen;
}

static void test_roles(void **state)
{
	(void)state;
	const char *body = "{\"kind\":\"rule_change\",\"text\":\"lychee: new carton labels from 1 June\"}";
	assert_int_equal(call(CARRIER, "POST", "/v1/notices", body, NULL), 403);
	assert_int_equal(call(PLANNER, "POST", "/v1/notices", body, NULL), 403);
	assert_int_equal(call(AUDITOR, "POST", "/v1/notices", body, NULL), 403);
	assert_int_equal(call(-1, "POST", "/v1/notices", body, NULL), 401);
	char id[64];
	snprintf(id, sizeof(id), "%s", post(CN_IMPORT, body));
	/* Every poster's role may post. */
	json_t *j;
	for (int as = VN_EXPORT; as <= CN_GATE; as++) {
		assert_int_equal(call(as, "POST", "/v1/notices", body, &j), 201);
		assert_string_equal(tu_str(j, "posted_by"), parties[as].id);
		assert_string_equal(tu_str(j, "country"), parties[as].country);
		json_decref(j);
	}

	/* The auditor, and every other role, reads. */
	assert_int_equal(on_notice(AUDITOR, id, NULL, NULL, &j), 200);
	assert_string_equal(tu_str(j, "kind"), "rule_change");
	assert_string_equal(tu_str(j, "role"), "import_authority");
	assert_string_equal(tu_str(j, "country"), "CN");
	assert_true(json_is_false(json_object_get(j, "acknowledged")));
	json_decref(j);
	assert_int_equal(on_notice(CARRIER, id, NULL, NULL, NULL), 200);
	assert_int_equal(call(PLANNER, "GET", "/v1/notices", NULL, NULL), 200);
	assert_int_equal(call(-1, "GET", "/v1/notices", NULL, NULL), 401);
	assert_true(listed("/v1/notices", id));

	/* Neither acknowledges nor suspends but who may. */
	assert_int_equal(on_notice(CARRIER, id, "acknowledge", NULL, NULL), 403);
	assert_int_equal(on_notice(AUDITOR, id, "acknowledge", NULL, NULL), 403);
	assert_int_equal(on_notice(PLANNER, id, "suspend", NULL, NULL), 403);
	assert_int_equal(on_notice(VN_EXPORT, id, "suspend", NULL, NULL), 403);
	assert_int_equal(on_notice(AUDITOR, "N-vn-999999", NULL, NULL, NULL), 404);
}

static void test_bad_bodies_write_nothing(void **state)
{
	(void)state;
	char *before = apifix_dump_rows(&fx);
	char long_text[1100], body[1200];
	memset(long_text, 'x', 1001);
	long_text[1001] = '\0';
	static const struct {
		const char *body, *field;
	} bad[] = {
	    {"{\"kind\":\"rumour\",\"text\":\"x\"}", "kind"},
	    {"{\"text\":\"x\"}", "kind"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\"}", "names"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\",\"names\":{}}", "names"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\",\"names\":{\"planting_area\":\"VN-XXOR-9999\"}}",
	     "names.planting_area"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\",\"names\":{\"exporter\":\"VN-EXP-9999\"}}", "names.exporter"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\",\"names\":{\"packing_house\":\"VN-XXPH-999\"}}",
	     "names.packing_house"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\",\"names\":{\"orchard\":\"VN-BTOR-0001\"}}", "names.orchard"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\",\"names\":{\"exporter\":7}}", "names.exporter"},
	    {"{\"kind\":\"non_compliance\",\"text\":\"x\",\"names\":{\"exporter\":\"VN-EXP-0101\"},"
	     "\"gate\":\"huu-nghi\"}",
	     "gate"},
	    {"{\"kind\":\"gate_disruption\",\"text\":\"x\",\"gate\":\"no-such-gate\"}", "gate"},
	    {"{\"kind\":\"gate_disruption\",\"text\":\"x\"}", "gate"},
	    {"{\"kind\":\"rule_change\",\"text\":\"\"}", "text"},
	    {"{\"kind\":\"rule_change\"}", "text"},
	    {"{\"kind\":\"rule_change\",\"text\":\"x\",\"colour\":\"red\"}", "colour"},
	    {"{\"kind\":\"rule_change\",\"text\":\"x\",\"consignment\":\"c-nosuchthing0000\"}", "consignment"},
	    {"{\"kind\":\"rule_change\",\"text\":\"x\",\"names\":{\"exporter\":\"VN-EXP-0101\"}}", "names"},
	    {"[\"rule_change\"]", "body"},
	    {"{\"kind\":", "body"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j;
		long st = call(CN_IMPORT, "POST", "/v1/notices", bad[i].body, &j);
		const char *field = tu_str(json_object_get(j, "error"), "field");
		if (st != 400 || field == NULL || strcmp(field, bad[i].field) != 0)
			fail_msg("%s: %ld, field %s, not 400 naming %s", bad[i].body, st, field ? field : "(none)",
			         bad[i].field);
		json_decref(j);
	}
	snprintf(body, sizeof(body), "{\"kind\":\"rule_change\",\"text\":\"%s\"}", long_text);
	json_t *j;
	assert_int_equal(call(CN_IMPORT, "POST", "/v1/notices", body, &j), 400);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "text");
	json_decref(j);
	/* Exactly the limit is taken (and then there is one more notice, so
	 * the comparison below is made before it). */

	/* Bad queries and acknowledgements write nothing either. */
	assert_int_equal(call(AUDITOR, "GET", "/v1/notices?unacknowledged=yes", NULL, NULL), 400);
	assert_int_equal(call(AUDITOR, "GET", "/v1/notices?kind=rumour", NULL, NULL), 400);
	assert_int_equal(call(AUDITOR, "GET", "/v1/notices?limit=0", NULL, NULL), 400);
	assert_int_equal(call(AUDITOR, "GET", "/v1/notices?cursor=x", NULL, NULL), 400);
	assert_int_equal(call(AUDITOR, "GET", "/v1/notices?since=today", NULL, NULL), 400);
	assert_int_equal(on_notice(VN_GATE, "N-vn-999999", "acknowledge", NULL, NULL), 404);
	assert_int_equal(on_notice(VN_REGISTRY, "N-vn-999999", "suspend", NULL, NULL), 404);
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);

	long_text[1000] = '\0';
	snprintf(body, sizeof(body), "{\"kind\":\"rule_change\",\"text\":\"%s\"}", long_text);
	post(CN_IMPORT, body);
}

static void test_acknowledgement(void **state)
{
	(void)state;
	char id[64], unacked[] = "/v1/notices?unacknowledged=true&limit=500";
	json_t *j, *a;
	snprintf(id, sizeof(id), "%s",
	         post(CN_GATE, "{\"kind\":\"gate_disruption\",\"text\":\"Youyiguan: scanner down until 14:00\","
	                       "\"gate\":\"huu-nghi\"}"));
	assert_true(listed(unacked, id));
	assert_true(listed("/v1/notices?unacknowledged=true&kind=gate_disruption", id));
	assert_false(listed("/v1/notices?unacknowledged=true&kind=rule_change", id));
	assert_false(listed("/v1/notices?unacknowledged=false&limit=500", id));

	/* Not by the poster's own side, which changes nothing. */
	char *before = apifix_dump_rows(&fx);
	assert_int_equal(on_notice(CN_GATE, id, "acknowledge", NULL, &j), 403);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "country");
	json_decref(j);
	assert_int_equal(on_notice(CN_IMPORT, id, "acknowledge", "{\"note\":\"ours\"}", NULL), 403);
	assert_int_equal(on_notice(VN_GATE, id, "acknowledge", "{\"note\":5}", NULL), 400);
	assert_int_equal(on_notice(VN_GATE, id, "acknowledge", "{\"seen\":true}", NULL), 400);
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_true(listed(unacked, id));

	/* The other side acknowledges it, once. */
	assert_int_equal(on_notice(VN_GATE, id, "acknowledge", "{\"note\":\"trucks held at Huu Nghi yard\"}", &j), 200);
	assert_true(json_is_true(json_object_get(j, "acknowledged")));
	assert_int_equal(json_array_size(json_object_get(j, "acknowledgements")), 1);
	a = json_array_get(json_object_get(j, "acknowledgements"), 0);
	assert_string_equal(tu_str(a, "by"), "nt-vn-gate");
	assert_string_equal(tu_str(a, "country"), "VN");
	assert_string_equal(tu_str(a, "note"), "trucks held at Huu Nghi yard");
	json_decref(j);
	assert_int_equal(on_notice(VN_EXPORT, id, "acknowledge", NULL, NULL), 409);
	assert_false(listed(unacked, id));
	assert_true(listed("/v1/notices?unacknowledged=false&limit=500", id));

	/* The event names the notice, the party, its country and the note. */
	struct bf_event *v;
	struct bf_error err = {0};
	size_t n;
	int found = 0;
	assert_int_equal(bf_service_events(fx.svc, 0, 10000, &v, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "notice.acknowledged") != 0 || strstr(v[i].subject, id) == NULL)
			continue;
		json_t *p = json_loads(v[i].payload, 0, NULL);
		assert_string_equal(tu_str(p, "notice"), id);
		assert_string_equal(tu_str(p, "by"), "nt-vn-gate");
		assert_string_equal(tu_str(p, "country"), "VN");
		assert_string_equal(tu_str(p, "note"), "trucks held at Huu Nghi yard");
		assert_non_null(tu_str(p, "at"));
		json_decref(p);
		found++;
	}
	bf_service_events_free(v, n);
	assert_int_equal(found, 1);
}

static void test_pages_newest_first(void **state)
{
	(void)state;
	char ids[5][64], path[128], cursor[32] = "";
	for (int i = 0; i < 5; i++)
		snprintf(ids[i], sizeof(ids[i]), "%s",
		         post(VN_GATE, "{\"kind\":\"rule_change\",\"text\":\"page me\"}"));
	/* Pages of two from the newest: the five just posted come first, the
	 * newest first, each once. */
	int seen = 0;
	for (int page = 0; page < 3; page++) {
		json_t *j, *n;
		size_t i;
		snprintf(path, sizeof(path), "/v1/notices?kind=rule_change&limit=2%s%s", cursor[0] ? "&cursor=" : "",
		         cursor);
		assert_int_equal(call(AUDITOR, "GET", path, NULL, &j), 200);
		assert_int_equal(json_array_size(json_object_get(j, "notices")), 2);
		json_array_foreach (json_object_get(j, "notices"), i, n) {
			if (seen < 5)
				assert_string_equal(tu_str(n, "id"), ids[4 - seen]);
			seen++;
		}
		assert_non_null(tu_str(j, "next_cursor"));
		snprintf(cursor, sizeof(cursor), "%s", tu_str(j, "next_cursor"));
		json_decref(j);
	}
	assert_int_equal(seen, 6);
}

static void test_one_step_suspension(void **state)
{
	(void)state;
	char id[64], gate_id[64], consignment[64], body[512];
	json_t *j, *e;
	/* A load from the planting area, declared before anything is found. */
	snprintf(consignment, sizeof(consignment), "%s",
	         apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0002", "VN-BTPH-001", "huu-nghi"));
	snprintf(body, sizeof(body),
	         "{\"kind\":\"non_compliance\",\"text\":\"fruit fly larvae in 3 of 40 cartons\","
	         "\"names\":{\"planting_area\":\"VN-BTOR-0002\"},\"consignment\":\"%s\"}",
	         consignment);
	snprintf(id, sizeof(id), "%s", post(CN_IMPORT, body));
	snprintf(gate_id, sizeof(gate_id), "%s",
	         post(CN_GATE, "{\"kind\":\"gate_disruption\",\"text\":\"closed\",\"gate\":\"tan-thanh\"}"));

	/* Only the registry authority that issued the code. */
	char *before = apifix_dump_rows(&fx);
	assert_int_equal(on_notice(CN_REGISTRY, id, "suspend", NULL, &j), 403);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "country");
	json_decref(j);
	assert_int_equal(on_notice(VN_REGISTRY, gate_id, "suspend", NULL, NULL), 409);
	assert_int_equal(on_notice(VN_REGISTRY, id, "suspend", "{\"all\":true}", NULL), 400);
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);

	assert_int_equal(on_notice(VN_REGISTRY, id, "suspend", NULL, &j), 200);
	e = json_array_get(json_object_get(j, "codes"), 0);
	assert_int_equal(json_array_size(json_object_get(j, "codes")), 1);
	assert_string_equal(tu_str(e, "code"), "VN-BTOR-0002");
	assert_string_equal(tu_str(e, "result"), "suspended");
	/* Acting on it acknowledged it for Vietnam. */
	json_t *n = json_object_get(j, "notice");
	assert_true(json_is_true(json_object_get(n, "acknowledged")));
	assert_string_equal(tu_str(json_array_get(json_object_get(n, "acknowledgements"), 0), "by"), "nt-vn-ppd");
	json_decref(j);
	assert_false(listed("/v1/notices?unacknowledged=true&limit=500", id));
	assert_int_equal(call(CARRIER, "GET", "/v1/planting-areas/VN-BTOR-0002", NULL, &j), 200);
	assert_string_equal(tu_str(j, "status"), "suspended");
	json_decref(j);

	/* The registry's event names the notice. */
	struct bf_event *v;
	struct bf_error err = {0};
	size_t count;
	int found = 0;
	assert_int_equal(bf_service_events(fx.svc, 0, 10000, &v, &count, &err), 0);
	for (size_t i = 0; i < count; i++) {
		if (strcmp(v[i].kind, "registry.planting_area.suspended") != 0 ||
		    strcmp(v[i].subject, "planting_area/VN-BTOR-0002") != 0)
			continue;
		json_t *p = json_loads(v[i].payload, 0, NULL);
		assert_string_equal(tu_str(p, "notice"), id);
		assert_string_equal(tu_str(p, "status"), "suspended");
		assert_string_equal(v[i].party_id, "nt-vn-ppd");
		json_decref(p);
		found++;
	}
	bf_service_events_free(v, count);
	assert_int_equal(found, 1);

	/* The next declaration naming it is rejected, the notice the reason. */
	static const char decl[] =
	    "{\"exporter\":\"VN-EXP-0101\",\"commodity\":\"08109092\",\"net_weight_kg\":15000,\"packages\":900,"
	    "\"planting_areas\":[\"VN-BTOR-0002\"],\"packing_house\":\"VN-BTPH-001\",\"phyto_certificate\":\"P-2\","
	    "\"vehicle\":{\"kind\":\"truck\",\"number\":\"12C-123.45\",\"country\":\"VN\"},\"destination\":\"CN\"}";
	long consignments = apifix_rows(&fx, "consignment");
	assert_int_equal(call(CARRIER, "POST", "/v1/consignments", decl, &j), 422);
	assert_int_equal(json_array_size(json_object_get(j, "errors")), 1);
	e = json_array_get(json_object_get(j, "errors"), 0);
	assert_string_equal(tu_str(e, "field"), "planting_areas[0]");
	assert_string_equal(tu_str(e, "code"), "suspended");
	assert_string_equal(tu_str(e, "notice"), id);
	char want[256];
	snprintf(want, sizeof(want),
	         "planting area VN-BTOR-0002 is suspended after notice %s: fruit fly larvae in 3 of 40 cartons", id);
	assert_string_equal(tu_str(e, "message"), want);
	json_decref(j);
	assert_int_equal(apifix_rows(&fx, "consignment"), consignments);

	/* Again: nothing more to suspend, and no second acknowledgement. */
	assert_int_equal(on_notice(VN_REGISTRY, id, "suspend", NULL, &j), 200);
	assert_string_equal(tu_str(json_array_get(json_object_get(j, "codes"), 0), "result"), "already_suspended");
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "notice"), "acknowledgements")), 1);
	json_decref(j);

	/* Reinstated, the code is declared again; suspended later by hand, the
	 * rejection no longer names the notice. */
	assert_int_equal(call(VN_REGISTRY, "PATCH", "/v1/planting-areas/VN-BTOR-0002", "{\"status\":\"active\"}", NULL),
	                 200);
	assert_int_equal(call(CARRIER, "POST", "/v1/consignments", decl, NULL), 201);
	assert_int_equal(
	    call(VN_REGISTRY, "PATCH", "/v1/planting-areas/VN-BTOR-0002", "{\"status\":\"suspended\"}", NULL), 200);
	assert_int_equal(call(CARRIER, "POST", "/v1/consignments", decl, &j), 422);
	e = json_array_get(json_object_get(j, "errors"), 0);
	assert_string_equal(tu_str(e, "message"), "planting area VN-BTOR-0002 is suspended");
	assert_null(json_object_get(e, "notice"));
	json_decref(j);
}

/* A notice's words in the rejection are cut to fit, between characters:
 * a long text in Chinese still gives a rule, in UTF-8, that names it. */
static void test_long_reason_stays_whole(void **state)
{
	(void)state;
	static const char sentence[] = "在四十箱中有三箱发现果蝇幼虫。";
	char text[1001] = "", body[1200], id[64];
	json_t *j, *e;
	size_t i;
	while (strlen(text) + strlen(sentence) < sizeof(text))
		strcat(text, sentence);
	snprintf(body, sizeof(body),
	         "{\"kind\":\"non_compliance\",\"text\":\"%s\",\"names\":{\"exporter\":\"VN-EXP-0102\"}}", text);
	snprintf(id, sizeof(id), "%s", post(CN_IMPORT, body));
	assert_int_equal(on_notice(VN_REGISTRY, id, "suspend", NULL, NULL), 200);
	assert_int_equal(
	    call(
	        CARRIER, "POST", "/v1/consignments",
	        "{\"exporter\":\"VN-EXP-0102\",\"commodity\":\"08109092\",\"net_weight_kg\":15000,\"packages\":900,"
	        "\"planting_areas\":[\"VN-BTOR-0001\"],\"packing_house\":\"VN-BTPH-001\",\"phyto_certificate\":\"P-3\","
	        "\"vehicle\":{\"kind\":\"truck\",\"number\":\"12C-123.45\",\"country\":\"VN\"},\"destination\":\"CN\"}",
	        &j),
	    422);
	int seen = 0;
	json_array_foreach (json_object_get(j, "errors"), i, e) {
		if (strcmp(tu_str(e, "code"), "suspended") != 0)
			continue;
		assert_string_equal(tu_str(e, "field"), "exporter");
		assert_string_equal(tu_str(e, "notice"), id);
		const char *m = tu_str(e, "message");
		char want[128];
		snprintf(want, sizeof(want), "exporter VN-EXP-0102 is suspended after notice %s: 在四十箱", id);
		assert_int_equal(strncmp(m, want, strlen(want)), 0);
		assert_true(strlen(m) <= 255);
		assert_string_equal(m + strlen(m) - 3, "...");
		seen++;
	}
	json_decref(j);
	assert_int_equal(seen, 1);
}

/* Everything the tests wrote, notices, acknowledgements and suspensions
 * included, is a chain the ledger verifies. */
static void test_history_verifies(void **state)
{
	(void)state;
	struct bf_ledger_summary sum;
	struct bf_error err = {0};
	if (bf_service_verify(fx.svc, NULL, 0, &sum, &err) != 0)
		fail_msg("verify: %s (event %lld, %s)", err.message, (long long)sum.bad.seq, sum.bad.event_kind);
	assert_true(sum.events > 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_bad_bodies_write_nothing),
	    cmocka_unit_test(test_acknowledgement),
	    cmocka_unit_test(test_pages_newest_first),
	    cmocka_unit_test(test_one_step_suspension),
	    cmocka_unit_test(test_long_reason_stays_whole),
	    cmocka_unit_test(test_history_verifies),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
