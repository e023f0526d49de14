/* Each authority where it belongs, through a real server: a gate operator
 * assigned to gates calls vehicles forward, changes hours, records the
 * crossing and posts a disruption only at those gates (403 naming the gate
 * elsewhere, nothing written), one assigned none acts at every gate of
 * its country; its gates are stored, shown by whoami and recorded in its
 * party.created event; and the control-lane routing at check-in is signed
 * by the node, not by the carrier who checked in. */
#include "util/apifix.h"

#include "ledger/ledger.h"
#include "service/booking.h"
#include "service/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CARRIER, VN_EXPORT, CN_IMPORT, VN_NATIONAL, N_PARTIES };

static struct apifix_party parties[N_PARTIES] = {
    {"ga-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"ga-vn-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"ga-cn-customs", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"ga-vn-board", BF_ROLE_GATE_OPERATOR, "VN", ""},
};

static struct apifix fx;
static bf_time now;
/* Operators assigned to gates, issued through the service. */
static char huu_nghi[BF_TOKEN_TEXT], tan_thanh[BF_TOKEN_TEXT];

static void issue(const char *id, const char *gate, char token[BF_TOKEN_TEXT])
{
	struct bf_party p = {.role = BF_ROLE_GATE_OPERATOR, .country = "VN", .n_gates = 1};
	struct bf_error err = {0};
	char tid[BF_TOKEN_ID_MAX + 1];
	bf_strlcpy(p.id, id, sizeof(p.id));
	bf_strlcpy(p.name, id, sizeof(p.name));
	bf_strlcpy(p.gates[0], gate, sizeof(p.gates[0]));
	if (bf_service_token_new(fx.svc, &p, token, tid, &err) != 0)
		fail_msg("token for %s: %s", id, err.message);
}

static int setup(void **state)
{
	*state = &fx;
	/* A weekday morning at Huu Nghi: 10:00 in Hanoi. */
	assert_int_equal(bf_time_parse("2026-12-01T03:00:00Z", &now), 0);
	fx.clock = apifix_clock_at;
	fx.clock_ctx = &now;
	int rc = apifix_start(&fx, "gate-authority", parties, N_PARTIES);
	if (rc == 0) {
		issue("ga-huu-nghi-board", "huu-nghi", huu_nghi);
		issue("ga-tan-thanh-board", "tan-thanh", tan_thanh);
	}
	return rc;
}

/* METHOD PATH with BODY as the holder of TOKEN (or party AS when TOKEN
 * is NULL); the status, and the error's field into FIELD (or ""). */
static long act(const char *token, int as, const char *method, const char *path, const char *body, char field[64])
{
	long st;
	json_t *j = token ? apifix_call_token(&fx, token, method, path, body, NULL, &st)
	                  : apifix_call(&fx, as, method, path, body, NULL, &st);
	const char *f = tu_str(json_object_get(j, "error"), "field");
	if (field)
		snprintf(field, 64, "%s", f ? f : "");
	json_decref(j);
	return st;
}

static void test_whoami_and_history(void **state)
{
	(void)state;
	long st;
	json_t *j = apifix_call_token(&fx, huu_nghi, "GET", "/v1/whoami", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *gates = json_object_get(j, "gates");
	assert_int_equal(json_array_size(gates), 1);
	assert_string_equal(json_string_value(json_array_get(gates, 0)), "huu-nghi");
	json_decref(j);
	j = apifix_call(&fx, VN_NATIONAL, "GET", "/v1/whoami", NULL, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(j, "gates")), 0);
	assert_non_null(json_object_get(j, "gates"));
	json_decref(j);
	j = apifix_call(&fx, CARRIER, "GET", "/v1/whoami", NULL, NULL, &st);
	assert_null(json_object_get(j, "gates"));
	json_decref(j);

	/* The history records the assignment with the party. */
	struct bf_event *v;
	size_t n;
	struct bf_error err = {0};
	int seen = 0;
	assert_int_equal(bf_service_events(fx.svc, 0, 1000, &v, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "party.created") != 0)
			continue;
		if (strcmp(v[i].subject, "party/ga-huu-nghi-board") == 0) {
			assert_non_null(strstr(v[i].payload, "\"gates\":[\"huu-nghi\"]"));
			seen++;
		} else if (strcmp(v[i].subject, "party/ga-vn-board") == 0) {
			assert_non_null(strstr(v[i].payload, "\"gates\":[]"));
			seen++;
		} else if (strcmp(v[i].subject, "party/ga-carrier") == 0) {
			assert_null(strstr(v[i].payload, "gates"));
			seen++;
		}
	}
	bf_service_events_free(v, n);
	assert_int_equal(seen, 3);

	/* The same party with another gate is refused; with its own, served. */
	struct bf_party p = {.id = "ga-huu-nghi-board", .name = "x", .role = BF_ROLE_GATE_OPERATOR, .country = "VN"};
	char token[BF_TOKEN_TEXT], tid[BF_TOKEN_ID_MAX + 1];
	p.n_gates = 1;
	strcpy(p.gates[0], "chi-ma");
	assert_int_equal(bf_service_token_new(fx.svc, &p, token, tid, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "gates");
	strcpy(p.gates[0], "huu-nghi");
	assert_int_equal(bf_service_token_new(fx.svc, &p, token, tid, &err), 0);
}

static void test_gate_changes_and_calls(void **state)
{
	(void)state;
	char field[64];
	const char *closure =
	    "{\"kind\":\"closure\",\"from\":\"2027-03-01T00:00:00Z\",\"to\":\"2027-03-01T06:00:00Z\"}";
	long rows = apifix_rows(&fx, "gate_exception"), events = apifix_rows(&fx, "event");

	/* Another gate's operator: refused, naming the gate, writing nothing. */
	assert_int_equal(act(tan_thanh, 0, "POST", "/v1/gates/huu-nghi/changes", closure, field), 403);
	assert_string_equal(field, "id");
	assert_int_equal(act(tan_thanh, 0, "POST", "/v1/gates/huu-nghi/call", "{\"count\":1}", field), 403);
	assert_string_equal(field, "id");
	assert_int_equal(apifix_rows(&fx, "gate_exception"), rows);
	assert_int_equal(apifix_rows(&fx, "event"), events);

	/* Its own gate's operator, and the national one, act. */
	assert_int_equal(act(huu_nghi, 0, "POST", "/v1/gates/huu-nghi/changes", closure, NULL), 201);
	assert_int_equal(act(NULL, VN_NATIONAL, "POST", "/v1/gates/huu-nghi/changes", closure, NULL), 201);
	assert_int_equal(act(tan_thanh, 0, "POST", "/v1/gates/tan-thanh/changes", closure, NULL), 201);
	assert_int_equal(apifix_rows(&fx, "gate_exception"), rows + 3);
	assert_int_equal(act(huu_nghi, 0, "POST", "/v1/gates/huu-nghi/call", "{\"count\":1}", NULL), 200);
	assert_int_equal(act(NULL, VN_NATIONAL, "POST", "/v1/gates/tan-thanh/call", "{\"count\":1}", NULL), 200);

	/* A disruption notice about a gate, likewise. */
	const char *notice = "{\"kind\":\"gate_disruption\",\"gate\":\"huu-nghi\",\"text\":\"lane 2 closed\"}";
	long notices = apifix_rows(&fx, "notice");
	assert_int_equal(act(tan_thanh, 0, "POST", "/v1/notices", notice, field), 403);
	assert_string_equal(field, "gate");
	assert_int_equal(apifix_rows(&fx, "notice"), notices);
	assert_int_equal(act(huu_nghi, 0, "POST", "/v1/notices", notice, NULL), 201);
}

static void test_crossing_and_routing(void **state)
{
	(void)state;
	char id[64], path[128], field[64];
	long st;
	snprintf(id, sizeof(id), "%s",
	         apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "huu-nghi"));
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
	assert_int_equal(act(NULL, CARRIER, "POST", path, "{\"gate\":\"huu-nghi\"}", NULL), 201);
	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", id);
	assert_int_equal(act(NULL, CARRIER, "POST", path, NULL, NULL), 200);

	/* The routing is the node's step; the check-in the carrier's. */
	snprintf(path, sizeof(path), "/v1/consignments/%s/events", id);
	json_t *j = apifix_call(&fx, CARRIER, "GET", path, NULL, NULL, &st), *e;
	size_t i;
	int routed = 0;
	json_array_foreach (json_object_get(j, "events"), i, e) {
		if (strcmp(tu_str(e, "kind"), "consignment.routed") == 0) {
			assert_string_equal(tu_str(e, "party"), BF_NODE_OPERATOR_ID);
			assert_string_equal(tu_str(e, "role"), "system");
			routed++;
		} else if (strcmp(tu_str(e, "kind"), "consignment.checked_in") == 0) {
			assert_string_equal(tu_str(e, "party"), parties[CARRIER].id);
		}
	}
	json_decref(j);
	assert_int_equal(routed, 1);

	/* Called forward once its slot is due, cleared by both sides. */
	now += 45 * 60;
	for (int k = 0; k < 50 && strcmp(apifix_state(&fx, CARRIER, id), "waiting") == 0; k++)
		assert_int_equal(act(huu_nghi, 0, "POST", "/v1/gates/huu-nghi/call", "{\"count\":1}", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "called");
	snprintf(path, sizeof(path), "/v1/consignments/%s/decisions", id);
	assert_int_equal(act(NULL, VN_EXPORT, "POST", path, "{\"decision\":\"export_cleared\"}", NULL), 200);
	assert_int_equal(act(NULL, CN_IMPORT, "POST", path, "{\"decision\":\"import_cleared\"}", NULL), 200);

	/* The crossing is recorded by an operator of its gate only. */
	assert_int_equal(act(tan_thanh, 0, "POST", path, "{\"decision\":\"crossed\"}", field), 403);
	assert_string_equal(field, "gate");
	assert_string_equal(apifix_state(&fx, CARRIER, id), "import_cleared");
	assert_int_equal(act(huu_nghi, 0, "POST", path, "{\"decision\":\"crossed\"}", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "crossed");

	/* The history, the routing signed by the node among it, verifies. */
	struct bf_error err = {0};
	struct bf_ledger_summary sum;
	if (bf_service_verify(fx.svc, NULL, 0, &sum, &err) != 0)
		fail_msg("verify: %s (event %lld, %s)", err.message, (long long)sum.bad.seq, sum.bad.event_kind);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_whoami_and_history),
	    cmocka_unit_test(test_gate_changes_and_calls),
	    cmocka_unit_test(test_crossing_and_routing),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
