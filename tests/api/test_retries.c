/* Retries are safe on every write, through a real server: sixteen copies
 * of one booking, one check-in and one decision sent at once under one
 * Idempotency-Key write one event each and all get one answer, fifteen of
 * them marked Idempotent-Replayed; a retry of a cancellation, a call
 * forward, a gate change, a registry write and a notice gets the first
 * answer and writes nothing; the same key on another body or another path
 * is 409 naming the key; a refusal is not kept; keys are each party's. */
#include "util/apifix.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CARRIER, CARRIER_B, VN_EXPORT, CN_IMPORT, VN_GATE, VN_REGISTRY, N_PARTIES };

static struct apifix_party parties[N_PARTIES] = {
    {"rt-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"rt-carrier-b", BF_ROLE_CARRIER, "VN", ""},
    {"rt-vn-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"rt-cn-customs", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"rt-vn-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},
    {"rt-vn-registry", BF_ROLE_REGISTRY_AUTHORITY, "VN", ""},
};

static struct apifix fx;
/* A weekday morning at Huu Nghi: 10:00 in Hanoi. */
static bf_time now;

static int setup(void **state)
{
	*state = &fx;
	assert_int_equal(bf_time_parse("2026-12-01T03:00:00Z", &now), 0);
	fx.clock = apifix_clock_at;
	fx.clock_ctx = &now;
	return apifix_start(&fx, "retries", parties, N_PARTIES);
}

/* METHOD PATH as AS with BODY (or NULL) and, unless KEY is NULL, the
 * Idempotency-Key KEY; the whole answer into *RES. */
static void send(int as, const char *method, const char *path, const char *body, const char *key, struct tu_http *res)
{
	char url[512], auth[160], idem[200];
	const char *headers[4] = {auth, "Content-Type: application/json", NULL, NULL};
	snprintf(url, sizeof(url), "%s%s", fx.base, path);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", parties[as].token);
	if (key) {
		snprintf(idem, sizeof(idem), "Idempotency-Key: %s", key);
		headers[2] = idem;
	}
	assert_int_equal(tu_http(method, url, body, headers, res), 0);
}

static long status_of(int as, const char *method, const char *path, const char *body, const char *key)
{
	struct tu_http res;
	send(as, method, path, body, key, &res);
	long st = res.status;
	tu_http_free(&res);
	return st;
}

/* Events of KIND in consignment ID's history. */
static int events_of(const char *id, const char *kind)
{
	char path[128];
	long st;
	json_t *e;
	size_t i;
	int n = 0;
	snprintf(path, sizeof(path), "/v1/consignments/%s/events", id);
	json_t *j = apifix_call(&fx, CARRIER, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_array_foreach (json_object_get(j, "events"), i, e)
		n += strcmp(tu_str(e, "kind"), kind) == 0;
	json_decref(j);
	return n;
}

/* ---- sixteen at once ---- */

#define COPIES 16

struct copy {
	int as;
	const char *method, *path, *body, *key;
	struct tu_http res;
};

static void *send_copy(void *arg)
{
	struct copy *c = arg;
	send(c->as, c->method, c->path, c->body, c->key, &c->res);
	return NULL;
}

/* Sends COPIES copies of one request at once; each gets STATUS and the
 * same bytes, and all but one are marked as replayed. */
static void sixteen(int as, const char *method, const char *path, const char *body, const char *key, long status)
{
	pthread_t t[COPIES];
	struct copy c[COPIES];
	for (int i = 0; i < COPIES; i++) {
		c[i] = (struct copy){.as = as, .method = method, .path = path, .body = body, .key = key};
		assert_int_equal(pthread_create(&t[i], NULL, send_copy, &c[i]), 0);
	}
	int replayed = 0;
	for (int i = 0; i < COPIES; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < COPIES; i++) {
		if (c[i].res.status != status)
			fail_msg("copy %d of %s %s: %ld %s", i, method, path, c[i].res.status, c[i].res.body);
		assert_int_equal(c[i].res.len, c[0].res.len);
		assert_memory_equal(c[i].res.body, c[0].res.body, c[0].res.len);
		if (strcmp(c[i].res.replayed, "true") == 0)
			replayed++;
		else
			assert_string_equal(c[i].res.replayed, "");
	}
	assert_int_equal(replayed, COPIES - 1);
	for (int i = 0; i < COPIES; i++)
		tu_http_free(&c[i].res);
}

static void test_sixteen_retries_write_once(void **state)
{
	(void)state;
	char id[64], path[128];
	snprintf(id, sizeof(id), "%s",
	         apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "huu-nghi"));

	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
	sixteen(CARRIER, "POST", path, "{\"gate\":\"huu-nghi\"}", "book-7781", 201);
	assert_int_equal(events_of(id, "consignment.booked"), 1);
	assert_int_equal(events_of(id, "booking.changed"), 0);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "booked");

	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", id);
	sixteen(CARRIER, "POST", path, NULL, "arrive-7781", 200);
	assert_int_equal(events_of(id, "consignment.checked_in"), 1);
	assert_int_equal(events_of(id, "consignment.routed"), 1);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "waiting");

	/* Called forward once its slot is due (the first free one after
	 * NOW, of 30 minutes), then cleared for export sixteen times over. */
	now += 45 * 60;
	for (int i = 0; i < 50 && strcmp(apifix_state(&fx, CARRIER, id), "waiting") == 0; i++)
		assert_int_equal(status_of(VN_GATE, "POST", "/v1/gates/huu-nghi/call", "{\"count\":1}", NULL), 200);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "called");
	snprintf(path, sizeof(path), "/v1/consignments/%s/decisions", id);
	sixteen(VN_EXPORT, "POST", path, "{\"decision\":\"export_cleared\"}", "clear-7781", 200);
	assert_int_equal(events_of(id, "consignment.export_cleared"), 1);
	assert_string_equal(apifix_state(&fx, CARRIER, id), "export_cleared");
}

/* ---- a retry of each kind of write ---- */

/* Sends BODY to PATH as AS under KEY twice: the second answer is the
 * first's (STATUS, its bytes, its Location), marked replayed, and the
 * database is the same before and after it. Then the same key on
 * OTHER_BODY (at OTHER_PATH, or PATH when NULL) is 409 naming the key,
 * and writes nothing either. */
static void retry(int as, const char *method, const char *path, const char *body, const char *key, long status,
                  const char *other_path, const char *other_body)
{
	struct tu_http first, again, other;
	send(as, method, path, body, key, &first);
	if (first.status != status)
		fail_msg("%s %s: %ld %s", method, path, first.status, first.body);
	assert_string_equal(first.replayed, "");
	char *before = apifix_dump_rows(&fx);
	send(as, method, path, body, key, &again);
	assert_int_equal(again.status, status);
	assert_string_equal(again.replayed, "true");
	assert_int_equal(again.len, first.len);
	assert_memory_equal(again.body, first.body, first.len);
	assert_string_equal(again.location, first.location);
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(after, before);
	free(after);

	send(as, method, other_path ? other_path : path, other_body, key, &other);
	assert_int_equal(other.status, 409);
	json_t *j = tu_http_json(&other);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "Idempotency-Key");
	json_decref(j);
	after = apifix_dump_rows(&fx);
	assert_string_equal(after, before);
	free(after);
	free(before);
	tu_http_free(&first);
	tu_http_free(&again);
	tu_http_free(&other);
}

static void test_every_write_replays(void **state)
{
	(void)state;
	char id[64], other[64], path[128], other_path[128];
	snprintf(id, sizeof(id), "%s",
	         apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "huu-nghi"));
	snprintf(other, sizeof(other), "%s",
	         apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "huu-nghi"));
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
	assert_int_equal(status_of(CARRIER, "POST", path, "{\"gate\":\"huu-nghi\"}", NULL), 201);
	snprintf(other_path, sizeof(other_path), "/v1/consignments/%s/booking", other);
	assert_int_equal(status_of(CARRIER, "POST", other_path, "{\"gate\":\"huu-nghi\"}", NULL), 201);

	/* A cancellation: the same key on another consignment's is refused. */
	retry(CARRIER, "DELETE", path, NULL, "cancel-1", 200, other_path, NULL);
	assert_int_equal(events_of(id, "booking.cancelled"), 1);

	/* A change of booking (the other load, booked already). */
	retry(CARRIER, "POST", other_path, "{\"gate\":\"huu-nghi\",\"earliest\":\"2026-12-02T03:00:00Z\"}", "move-1",
	      200, NULL, "{\"gate\":\"huu-nghi\",\"earliest\":\"2026-12-03T03:00:00Z\"}");
	assert_int_equal(events_of(other, "booking.changed"), 1);

	/* A call forward at the gate, with nobody in the yard. */
	retry(VN_GATE, "POST", "/v1/gates/huu-nghi/call", "{\"count\":1}", "call-1", 200, NULL, "{\"count\":2}");

	/* A gate change, far ahead so that it moves no booking. */
	const char *closure = "{\"kind\":\"closure\",\"from\":\"2027-03-01T00:00:00Z\",\"to\":\"2027-03-01T06:00:00Z\","
	                      "\"note\":\"road works\"}";
	long closures = apifix_rows(&fx, "gate_exception");
	retry(VN_GATE, "POST", "/v1/gates/huu-nghi/changes", closure, "close-1", 201, NULL,
	      "{\"kind\":\"closure\",\"from\":\"2027-03-02T00:00:00Z\",\"to\":\"2027-03-02T06:00:00Z\"}");
	assert_int_equal(apifix_rows(&fx, "gate_exception"), closures + 1);

	/* A registry write, whose Location comes back too. */
	long areas = apifix_rows(&fx, "planting_area");
	retry(VN_REGISTRY, "POST", "/v1/planting-areas",
	      "{\"code\":\"VN-BTOR-0300\",\"hs_code\":\"08109092\",\"country\":\"VN\",\"province\":\"Binh Thuan\"}",
	      "area-1", 201, NULL,
	      "{\"code\":\"VN-BTOR-0301\",\"hs_code\":\"08109092\",\"country\":\"VN\",\"province\":\"Binh Thuan\"}");
	assert_int_equal(apifix_rows(&fx, "planting_area"), areas + 1);
	retry(VN_REGISTRY, "PATCH", "/v1/planting-areas/VN-BTOR-0300", "{\"status\":\"suspended\"}", "area-2", 200,
	      NULL, "{\"status\":\"active\"}");

	/* A notice; its key used again on another path is refused too. */
	long notices = apifix_rows(&fx, "notice");
	retry(VN_GATE, "POST", "/v1/notices", "{\"kind\":\"rule_change\",\"text\":\"carton labels from 1 June\"}",
	      "notice-1", 201, "/v1/gates/huu-nghi/call", "{\"count\":1}");
	assert_int_equal(apifix_rows(&fx, "notice"), notices + 1);
}

static void test_refusals_and_keys(void **state)
{
	(void)state;
	char id[64], path[128];
	snprintf(id, sizeof(id), "%s",
	         apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "huu-nghi"));
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
	long events = apifix_rows(&fx, "event");

	/* A key that is not 1 to 128 visible ASCII characters. */
	struct tu_http res;
	char long_key[140];
	memset(long_key, 'k', 129);
	long_key[129] = '\0';
	const char *bad[] = {long_key, "two words"};
	for (size_t i = 0; i < 2; i++) {
		send(CARRIER, "POST", path, "{\"gate\":\"huu-nghi\"}", bad[i], &res);
		assert_int_equal(res.status, 400);
		json_t *j = tu_http_json(&res);
		assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "Idempotency-Key");
		json_decref(j);
		tu_http_free(&res);
	}
	assert_int_equal(apifix_rows(&fx, "event"), events);

	/* A refusal wrote nothing and is not kept: the key's next request
	 * runs, and its success is the one kept. */
	assert_int_equal(status_of(CARRIER, "POST", path, "{\"gate\":\"no-such-gate\"}", "book-2"), 404);
	assert_int_equal(status_of(CARRIER, "POST", path, "{\"gate\":\"no-such-gate\"}", "book-2"), 404);
	assert_int_equal(apifix_rows(&fx, "event"), events);
	assert_int_equal(status_of(CARRIER, "POST", path, "{\"gate\":\"huu-nghi\"}", "book-2"), 201);
	assert_int_equal(status_of(CARRIER, "POST", path, "{\"gate\":\"no-such-gate\"}", "book-2"), 409);

	/* Keys are each party's: another carrier's "book-2" is its own, and
	 * runs (here refused: the load is not its). */
	assert_int_equal(status_of(CARRIER_B, "POST", path, "{\"gate\":\"huu-nghi\"}", "book-2"), 403);

	/* A declaration with a key, as before every write took one. */
	const char *decl = "{\"exporter\":\"VN-EXP-0101\",\"commodity\":\"08109092\",\"net_weight_kg\":15000,"
	                   "\"packages\":900,\"planting_areas\":[\"VN-BTOR-0001\"],\"packing_house\":\"VN-BTPH-001\","
	                   "\"phyto_certificate\":\"P-1\",\"vehicle\":{\"kind\":\"truck\",\"number\":\"12C-777.01\","
	                   "\"country\":\"VN\"},\"destination\":\"CN\",\"preferred_gate\":\"huu-nghi\"}";
	retry(CARRIER, "POST", "/v1/consignments", decl, "declare-1", 201, path, "{\"gate\":\"huu-nghi\"}");

	/* A declaration's key kept before keys kept their Location (schema
	 * 12 gave those rows none): its retry still names the consignment. */
	struct tu_http first, again;
	send(CARRIER, "POST", "/v1/consignments", decl, "declare-1", &first);
	tu_db_exec(fx.db, "UPDATE idempotency SET location = '' WHERE key = 'declare-1'");
	send(CARRIER, "POST", "/v1/consignments", decl, "declare-1", &again);
	assert_int_equal(again.status, 201);
	assert_string_equal(again.replayed, "true");
	assert_true(strncmp(first.location, "/v1/consignments/c-", 19) == 0);
	assert_string_equal(again.location, first.location);
	tu_http_free(&first);
	tu_http_free(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sixteen_retries_write_once),
	    cmocka_unit_test(test_every_write_replays),
	    cmocka_unit_test(test_refusals_and_keys),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
