/* The official channel over HTTP on a real server: every rule of a
 * declaration alone and together, the role matrix, a carrier's view of
 * its own consignments, idempotent retries, the registry API, and hostile
 * bodies that must change no row. */
#include "util/apifix.h"
#include "service/auth.h"
#include "ledger/ledger.h"
#include "service/booking.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CARRIER_A, CARRIER_B, EXPORT_AUTH, IMPORT_AUTH, GATE_OP, PLANNER, REGISTRY_VN, REGISTRY_CN, AUDITOR, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {
    {"carrier-a", BF_ROLE_CARRIER, "VN", ""},
    {"carrier-b", BF_ROLE_CARRIER, "VN", ""},
    {"vn-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"cn-customs", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"huu-nghi-board", BF_ROLE_GATE_OPERATOR, "VN", ""},
    {"lang-son-planning", BF_ROLE_PLANNER, "VN", ""},
    {"vn-ppd", BF_ROLE_REGISTRY_AUTHORITY, "VN", ""},
    {"cn-gacc", BF_ROLE_REGISTRY_AUTHORITY, "CN", ""},
    {"auditor", BF_ROLE_AUDITOR, "VN", ""},
};
static struct apifix fx;
static struct bf_service *svc;
static char revoked_token[BF_TOKEN_TEXT];

static int start(void **state)
{
	*state = &fx;
	struct bf_error err = {0};
	struct bf_party gone = {.role = BF_ROLE_CARRIER, .id = "gone", .name = "gone", .country = "VN"};
	char id[BF_TOKEN_ID_MAX + 1];
	if (apifix_start(&fx, "channel", parties, N_PARTIES) != 0)
		return -1;
	svc = fx.svc;
	if (bf_service_token_new(svc, &gone, revoked_token, id, &err) || bf_service_token_revoke(svc, id, &err)) {
		fprintf(stderr, "revoked token: %s\n", err.message);
		return -1;
	}
	return 0;
}

/* Sends a request as PARTY (-1: no token; -2: the revoked token; -3: a
 * made-up token), with one extra HEADER or NULL. */
static json_t *as(int party, const char *method, const char *path, const char *body, const char *header, long *status)
{
	const char *token = party >= 0    ? parties[party].token
	                    : party == -2 ? revoked_token
	                    : party == -3 ? "bf_madeup_notarealtoken"
	                                  : NULL;
	return apifix_call_token(&fx, token, method, path, body, header, status);
}

static const char valid_dragon_fruit[] =
    "{\"exporter\":\"VN-EXP-0101\",\"commodity\":\"08109092\",\"net_weight_kg\":18000,\"packages\":1200,"
    "\"planting_areas\":[\"VN-BTOR-0001\",\"VN-BTOR-0002\"],\"packing_house\":\"VN-BTPH-001\","
    "\"phyto_certificate\":\"VN-PC-2026-0001\",\"vehicle\":{\"kind\":\"truck\",\"number\":\"12C-123.45\","
    "\"country\":\"VN\"},\"destination\":\"CN\",\"preferred_gate\":\"huu-nghi\"}";

/* The valid declaration with field KEY set to the JSON text VALUE
 * ("DELETE" removes it). Caller frees. */
static char *with(const char *key, const char *value)
{
	json_t *j = json_loads(valid_dragon_fruit, 0, NULL), *v;
	if (strcmp(value, "DELETE") == 0) {
		json_object_del(j, key);
	} else {
		v = json_loads(value, JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		if (strncmp(key, "vehicle.", 8) == 0)
			json_object_set_new(json_object_get(j, "vehicle"), key + 8, v);
		else
			json_object_set_new(j, key, v);
	}
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

static json_t *declare(int party, const char *body, long *status)
{
	return as(party, "POST", "/v1/consignments", body, NULL, status);
}

static void test_valid_declaration(void **state)
{
	(void)state;
	long st, events_before = apifix_rows(&fx, "event");
	json_t *j = as(CARRIER_A, "POST", "/v1/consignments", valid_dragon_fruit, NULL, &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "validated");
	assert_string_equal(json_string_value(json_object_get(j, "declared_by")), "carrier-a");
	assert_int_equal(json_array_size(json_object_get(j, "planting_areas")), 2);
	const char *id = json_string_value(json_object_get(j, "id"));
	assert_non_null(id);
	assert_int_equal(strncmp(id, "c-", 2), 0);

	/* Both the declaration and its validation are events, with the state,
	 * after the event that makes the carrier's key (its first event). */
	assert_int_equal(apifix_rows(&fx, "event"), events_before + 3);
	struct bf_event *ev;
	size_t n;
	struct bf_error err = {0};
	assert_int_equal(bf_service_events(svc, events_before, 10, &ev, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(ev[0].kind, BF_KEY_MADE);
	assert_string_equal(ev[0].party_id, BF_NODE_OPERATOR_ID);
	assert_non_null(strstr(ev[0].payload, "\"party\":\"carrier-a\""));
	assert_string_equal(ev[1].key_id, ev[0].subject + strlen("key/"));
	const struct bf_event *d = ev + 1; /* the declaration, then the validation */
	assert_string_equal(d[0].kind, "consignment.declared");
	assert_string_equal(d[0].party_id, "carrier-a");
	assert_int_equal(d[0].role, BF_ROLE_CARRIER);
	assert_string_equal(d[1].kind, "consignment.validated");
	assert_int_equal(d[1].role, BF_ROLE_SYSTEM);
	char subject[64];
	snprintf(subject, sizeof(subject), "consignment/%s", id);
	assert_string_equal(d[0].subject, subject);
	assert_non_null(strstr(d[0].payload, "\"exporter\":\"VN-EXP-0101\""));
	bf_service_events_free(ev, n);

	char path[128];
	snprintf(path, sizeof(path), "/v1/consignments/%s", id);
	json_t *g = as(CARRIER_A, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	/* The same record, with each side's control lane: none before the
	 * vehicle checks in. */
	assert_int_equal(json_array_size(json_object_get(g, "controls")), 0);
	assert_true(json_is_array(json_object_get(g, "controls")));
	json_object_del(g, "controls");
	assert_true(json_equal(g, j));
	json_decref(g);
	json_decref(j);

	/* A Chinese truck and a rail wagon at a rail gate pass too. */
	char *b = with("vehicle", "{\"kind\":\"truck\",\"number\":\"桂A12345\",\"country\":\"CN\"}");
	j = declare(CARRIER_A, b, &st);
	assert_int_equal(st, 201);
	json_decref(j);
	free(b);
	json_t *w = json_loads(valid_dragon_fruit, 0, NULL);
	json_object_set_new(w, "vehicle",
	                    json_pack("{s:s, s:s, s:s}", "kind", "wagon", "number", "3150 123 4567", "country", "VN"));
	json_object_set_new(w, "preferred_gate", json_string("lao-cai-rail"));
	json_object_set_new(w, "net_weight_kg", json_integer(50000));
	b = json_dumps(w, 0);
	j = declare(CARRIER_A, b, &st);
	assert_int_equal(st, 201);
	json_decref(j);
	json_decref(w);
	free(b);
}

/* Expects a 422 whose errors are exactly the (field, code) pairs given. */
static void expect_rules(const char *body, const char *const *pairs)
{
	long st, before = apifix_rows(&fx, "consignment"), events = apifix_rows(&fx, "event");
	json_t *j = declare(CARRIER_A, body, &st);
	json_t *errors = json_object_get(j, "errors");
	size_t want = 0;
	while (pairs[want * 2])
		want++;
	if (st != 422 || json_array_size(errors) != want) {
		char *text = json_dumps(j, JSON_COMPACT);
		fail_msg("wanted 422 with %zu errors, got %ld: %s", want, st, text);
	}
	assert_string_equal(json_string_value(json_object_get(j, "state")), "rejected");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "rejected");
	for (size_t i = 0; i < want; i++) {
		json_t *e = json_array_get(errors, i);
		if (strcmp(json_string_value(json_object_get(e, "field")), pairs[2 * i]) != 0 ||
		    strcmp(json_string_value(json_object_get(e, "code")), pairs[2 * i + 1]) != 0)
			fail_msg("error %zu is %s/%s, wanted %s/%s", i, json_string_value(json_object_get(e, "field")),
			         json_string_value(json_object_get(e, "code")), pairs[2 * i], pairs[2 * i + 1]);
		assert_true(json_string_length(json_object_get(e, "message")) > 0);
	}
	json_decref(j);
	/* A rejected declaration writes nothing. */
	assert_int_equal(apifix_rows(&fx, "consignment"), before);
	assert_int_equal(apifix_rows(&fx, "event"), events);
}

#define RULES(...) ((const char *const[]){__VA_ARGS__, NULL, NULL})

static void test_each_rule_alone(void **state)
{
	(void)state;
	static const struct {
		const char *key, *value, *field, *code;
	} cases[] = {
	    {"exporter", "\"VN-EXP-9999\"", "exporter", "not_registered"},
	    {"exporter", "\"VN-EXP-0104\"", "exporter", "suspended"},
	    {"exporter", "\"VN-EXP-0103\"", "exporter", "not_approved"},
	    {"destination", "\"LA\"", "exporter", "not_approved"},
	    {"planting_areas", "[\"VN-BTOR-0001\", \"VN-BTOR-9999\"]", "planting_areas[1]", "not_registered"},
	    {"planting_areas", "[\"VN-BGOR-0001\"]", "planting_areas[0]", "wrong_commodity"},
	    {"planting_areas", "[]", "planting_areas", "required"},
	    {"planting_areas", "DELETE", "planting_areas", "required"},
	    {"packing_house", "\"VN-XXPH-999\"", "packing_house", "not_registered"},
	    {"packing_house", "\"VN-TGPH-001\"", "packing_house", "suspended"},
	    {"packing_house", "DELETE", "packing_house", "required"},
	    {"phyto_certificate", "DELETE", "phyto_certificate", "required"},
	    {"phyto_certificate", "\"\"", "phyto_certificate", "required"},
	    {"net_weight_kg", "0", "net_weight_kg", "out_of_range"},
	    {"net_weight_kg", "-5", "net_weight_kg", "out_of_range"},
	    {"net_weight_kg", "32000.5", "net_weight_kg", "over_limit"},
	    {"vehicle.number", "\"ABC-1\"", "vehicle.number", "bad_format"},
	    {"vehicle.number", "\"29C-12\"", "vehicle.number", "bad_format"},
	    {"vehicle.country", "\"CN\"", "vehicle.number", "bad_format"},
	    {"preferred_gate", "\"no-such-gate\"", "preferred_gate", "unknown_gate"},
	    {"preferred_gate", "\"soc-giang\"", "preferred_gate", "not_designated"},
	    {"preferred_gate", "\"lao-cai-rail\"", "preferred_gate", "wrong_mode"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *b = with(cases[i].key, cases[i].value);
		expect_rules(b, RULES(cases[i].field, cases[i].code));
		free(b);
	}
	/* A suspended planting area, alone: a durian load from a suspended orchard. */
	expect_rules(
	    "{\"exporter\":\"VN-EXP-0102\",\"commodity\":\"08106000\",\"net_weight_kg\":15000,\"packages\":900,"
	    "\"planting_areas\":[\"VN-DLOR-0002\"],\"packing_house\":\"VN-DLPH-001\",\"phyto_certificate\":\"P1\","
	    "\"vehicle\":{\"kind\":\"truck\",\"number\":\"47C-555.55\",\"country\":\"VN\"},\"destination\":\"CN\"}",
	    RULES("planting_areas[0]", "suspended"));
	/* An unknown HS code cannot fail alone: no exporter is approved for it
	 * and the orchards grow something else. */
	char *b = with("commodity", "\"08109999\"");
	expect_rules(b, RULES("commodity", "unknown_commodity", "exporter", "not_approved", "planting_areas[0]",
	                      "wrong_commodity", "planting_areas[1]", "wrong_commodity"));
	free(b);
}

static void test_rules_together(void **state)
{
	(void)state;
	expect_rules("{\"exporter\":\"VN-EXP-0104\",\"commodity\":\"08109092\",\"net_weight_kg\":48000,\"packages\":1,"
	             "\"planting_areas\":[\"VN-DLOR-0001\",\"NOPE\"],\"packing_house\":\"VN-TGPH-001\","
	             "\"vehicle\":{\"kind\":\"truck\",\"number\":\"ABC\",\"country\":\"VN\"},\"destination\":\"CN\","
	             "\"preferred_gate\":\"dong-dang-rail\"}",
	             RULES("exporter", "suspended", "planting_areas[0]", "wrong_commodity", "planting_areas[1]",
	                   "not_registered", "packing_house", "suspended", "phyto_certificate", "required",
	                   "net_weight_kg", "over_limit", "vehicle.number", "bad_format", "preferred_gate",
	                   "not_designated", "preferred_gate", "wrong_mode"));
}

static void test_role_matrix(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path;
		const char *body;
		unsigned allowed; /* bits of the parties above; 0: public */
	} endpoints[] = {
	    {"GET", "/healthz", NULL, 0},
	    {"GET", "/v1/gates", NULL, 0},
	    {"GET", "/v1/commodities", NULL, 0},
	    {"POST", "/v1/consignments", "{}", 1u << CARRIER_A | 1u << CARRIER_B},
	    {"GET", "/v1/consignments", NULL, ~0u & ~(1u << REGISTRY_VN | 1u << REGISTRY_CN) & ((1u << N_PARTIES) - 1)},
	    {"GET", "/v1/consignments/c-nothing", NULL,
	     ~0u & ~(1u << REGISTRY_VN | 1u << REGISTRY_CN) & ((1u << N_PARTIES) - 1)},
	    {"GET", "/v1/exporters", NULL, (1u << N_PARTIES) - 1},
	    {"GET", "/v1/exporters/VN-EXP-0101", NULL, (1u << N_PARTIES) - 1},
	    {"POST", "/v1/exporters", "{}", 1u << REGISTRY_VN | 1u << REGISTRY_CN},
	    /* A Vietnamese record: the Chinese registry authority may not change it. */
	    {"PATCH", "/v1/exporters/VN-EXP-0101", "{}", 1u << REGISTRY_VN},
	    {"GET", "/v1/planting-areas", NULL, (1u << N_PARTIES) - 1},
	    {"POST", "/v1/planting-areas", "{}", 1u << REGISTRY_VN | 1u << REGISTRY_CN},
	    {"PATCH", "/v1/planting-areas/VN-BTOR-0001", "{}", 1u << REGISTRY_VN},
	    {"GET", "/v1/packing-houses", NULL, (1u << N_PARTIES) - 1},
	    {"POST", "/v1/packing-houses", "{}", 1u << REGISTRY_VN | 1u << REGISTRY_CN},
	    {"PATCH", "/v1/packing-houses/VN-BTPH-001", "{}", 1u << REGISTRY_VN},
	};
	char *before = apifix_dump_rows(&fx);
	for (size_t e = 0; e < sizeof(endpoints) / sizeof(endpoints[0]); e++) {
		long st;
		json_t *j;
		for (int p = -3; p < N_PARTIES; p++) {
			j = as(p, endpoints[e].method, endpoints[e].path, endpoints[e].body, NULL, &st);
			bool public_route = endpoints[e].allowed == 0;
			long want_class;
			if (public_route)
				want_class = 2;
			else if (p < 0)
				want_class = 401;
			else if (!(endpoints[e].allowed & (1u << p)))
				want_class = 403;
			else
				want_class = 0; /* allowed: anything but 401/403 */
			if ((want_class == 2 && st / 100 != 2) || (want_class >= 400 && st != want_class) ||
			    (want_class == 0 && (st == 401 || st == 403 || st >= 500)))
				fail_msg("%s %s as %s: %ld", endpoints[e].method, endpoints[e].path,
				         p >= 0    ? parties[p].id
				         : p == -1 ? "nobody"
				         : p == -2 ? "a revoked token"
				                   : "a made-up token",
				         st);
			if (st == 401 || st == 403) {
				const char *code =
				    json_string_value(json_object_get(json_object_get(j, "error"), "code"));
				assert_string_equal(code, st == 401 ? "unauthorized" : "forbidden");
			}
			json_decref(j);
		}
	}
	/* The matrix's allowed calls had empty bodies: none wrote anything. */
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_carrier_sees_only_its_own(void **state)
{
	(void)state;
	long st;
	char path[128];
	json_t *mine = declare(CARRIER_B, valid_dragon_fruit, &st);
	assert_int_equal(st, 201);
	snprintf(path, sizeof(path), "/v1/consignments/%s", json_string_value(json_object_get(mine, "id")));

	json_t *j = as(CARRIER_A, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = as(GATE_OP, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_decref(j);

	/* Carrier A's list holds none of B's, and B's only its own. */
	for (int p = CARRIER_A; p <= CARRIER_B; p++) {
		size_t i;
		json_t *c;
		j = as(p, "GET", "/v1/consignments?limit=500", NULL, NULL, &st);
		assert_int_equal(st, 200);
		assert_true(json_array_size(json_object_get(j, "consignments")) >= 1);
		json_array_foreach (json_object_get(j, "consignments"), i, c)
			assert_string_equal(json_string_value(json_object_get(c, "declared_by")), parties[p].id);
		json_decref(j);
	}
	/* Filters and paging, as an authority. */
	j = as(EXPORT_AUTH, "GET", "/v1/consignments?limit=1&state=validated&exporter=VN-EXP-0101", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(j, "consignments")), 1);
	const char *cursor = json_string_value(json_object_get(j, "next_cursor"));
	assert_non_null(cursor);
	snprintf(path, sizeof(path), "/v1/consignments?limit=1&state=validated&exporter=VN-EXP-0101&cursor=%s", cursor);
	json_t *k = as(EXPORT_AUTH, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_false(json_equal(json_array_get(json_object_get(k, "consignments"), 0),
	                        json_array_get(json_object_get(j, "consignments"), 0)));
	json_decref(k);
	json_decref(j);
	j = as(EXPORT_AUTH, "GET", "/v1/consignments?state=crossed", NULL, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(j, "consignments")), 0);
	json_decref(j);
	j = as(EXPORT_AUTH, "GET", "/v1/consignments?state=flying", NULL, NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	json_decref(mine);
}

struct retry {
	char body[2048];
	long status;
	char id[64];
};

static void *retry_thread(void *arg)
{
	struct retry *rt = arg;
	json_t *j =
	    as(CARRIER_A, "POST", "/v1/consignments", rt->body, "Idempotency-Key: same-key-for-eight", &rt->status);
	snprintf(rt->id, sizeof(rt->id), "%s",
	         json_string_value(json_object_get(j, "id")) ? json_string_value(json_object_get(j, "id")) : "");
	json_decref(j);
	return NULL;
}

static void test_idempotent_retry(void **state)
{
	(void)state;
	long st, before = apifix_rows(&fx, "consignment");
	const char *key = "Idempotency-Key: order-7781";
	json_t *first = as(CARRIER_A, "POST", "/v1/consignments", valid_dragon_fruit, key, &st);
	assert_int_equal(st, 201);
	json_t *again = as(CARRIER_A, "POST", "/v1/consignments", valid_dragon_fruit, key, &st);
	assert_int_equal(st, 201);
	assert_true(json_equal(first, again));
	assert_int_equal(apifix_rows(&fx, "consignment"), before + 1);

	/* The same key on another request is refused. */
	char *other = with("packages", "1201");
	json_t *j = as(CARRIER_A, "POST", "/v1/consignments", other, key, &st);
	assert_int_equal(st, 409);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")),
	                    "Idempotency-Key");
	json_decref(j);
	free(other);
	/* Keys belong to a party: carrier B's same key is a new request. */
	j = as(CARRIER_B, "POST", "/v1/consignments", valid_dragon_fruit, key, &st);
	assert_int_equal(st, 201);
	assert_string_not_equal(json_string_value(json_object_get(j, "id")),
	                        json_string_value(json_object_get(first, "id")));
	json_decref(j);
	json_decref(first);
	json_decref(again);

	/* Eight retries at once: one consignment, one id for all. */
	before = apifix_rows(&fx, "consignment");
	pthread_t t[8];
	struct retry rt[8];
	for (int i = 0; i < 8; i++) {
		snprintf(rt[i].body, sizeof(rt[i].body), "%s", valid_dragon_fruit);
		assert_int_equal(pthread_create(&t[i], NULL, retry_thread, &rt[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(rt[i].status, 201);
		assert_string_equal(rt[i].id, rt[0].id);
	}
	assert_int_equal(apifix_rows(&fx, "consignment"), before + 1);
}

static void test_registry_api(void **state)
{
	(void)state;
	long st;
	const char *pa =
	    "{\"code\":\"VN-BTOR-0100\",\"hs_code\":\"08109092\",\"country\":\"VN\",\"province\":\"Binh Thuan\"}";
	json_t *j = as(REGISTRY_CN, "POST", "/v1/planting-areas", pa, NULL, &st);
	assert_int_equal(st, 403);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "country");
	json_decref(j);
	j = as(REGISTRY_VN, "POST", "/v1/planting-areas", pa, NULL, &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "active");
	json_decref(j);
	/* The Location of a new record is its path, which answers. */
	struct tu_http res;
	char url[512];
	const char *ph = "{\"code\":\"VN-BTPH-0100\",\"name\":\"Kho\",\"country\":\"VN\",\"province\":\"Binh Thuan\"}";
	char auth[160];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", parties[REGISTRY_VN].token);
	const char *const headers[] = {auth, "Content-Type: application/json", NULL};
	snprintf(url, sizeof(url), "%s/v1/packing-houses", fx.base);
	assert_int_equal(tu_http("POST", url, ph, headers, &res), 0);
	assert_int_equal(res.status, 201);
	assert_string_equal(res.location, "/v1/packing-houses/VN-BTPH-0100");
	tu_http_free(&res);
	snprintf(url, sizeof(url), "%s/v1/packing-houses/VN-BTPH-0100", fx.base);
	assert_int_equal(tu_http("GET", url, NULL, headers, &res), 0);
	assert_int_equal(res.status, 200);
	tu_http_free(&res);
	j = as(REGISTRY_VN, "POST", "/v1/planting-areas", pa, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(j);
	j = as(REGISTRY_VN, "POST", "/v1/planting-areas",
	       "{\"code\":\"VN-X-1\",\"hs_code\":\"99999999\",\"country\":\"VN\",\"province\":\"P\"}", NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "hs_code");
	json_decref(j);

	/* A planting area named twice is refused, naming the repeat, and
	 * nothing is written. */
	long before = apifix_rows(&fx, "consignment");
	char *twice = with("planting_areas", "[\"VN-BTOR-0001\", \"VN-BTOR-0002\", \"VN-BTOR-0001\"]");
	j = declare(CARRIER_A, twice, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")),
	                    "planting_areas[2]");
	json_decref(j);
	free(twice);
	assert_int_equal(apifix_rows(&fx, "consignment"), before);

	/* A declaration naming it passes; once suspended, the same is refused. */
	char *b = with("planting_areas", "[\"VN-BTOR-0100\"]");
	j = declare(CARRIER_A, b, &st);
	assert_int_equal(st, 201);
	json_decref(j);
	long events = apifix_rows(&fx, "event");
	j = as(REGISTRY_VN, "PATCH", "/v1/planting-areas/VN-BTOR-0100", "{\"status\":\"suspended\"}", NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "suspended");
	assert_string_equal(json_string_value(json_object_get(j, "province")), "Binh Thuan");
	json_decref(j);
	assert_int_equal(apifix_rows(&fx, "event"), events + 1);
	struct bf_event *ev;
	size_t n;
	struct bf_error err = {0};
	assert_int_equal(bf_service_events(svc, events, 1, &ev, &n, &err), 0);
	assert_string_equal(ev[0].kind, "registry.planting_area.suspended");
	assert_string_equal(ev[0].party_id, "vn-ppd");
	bf_service_events_free(ev, n);
	expect_rules(b, RULES("planting_areas[0]", "suspended"));
	free(b);

	j = as(REGISTRY_VN, "PATCH", "/v1/planting-areas/VN-BTOR-0100", "{\"country\":\"CN\"}", NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	j = as(REGISTRY_VN, "PATCH", "/v1/planting-areas/VN-NONE", "{\"status\":\"active\"}", NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);

	/* An approval given twice is refused, naming the repeat. */
	j = as(REGISTRY_VN, "PATCH", "/v1/exporters/VN-EXP-0101",
	       "{\"approvals\":[{\"hs_code\":\"08109092\",\"destination\":\"CN\"},{\"hs_code\":\"08109092\","
	       "\"destination\":\"CN\"}]}",
	       NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "approvals[1]");
	json_decref(j);
	/* The scheme of the Authorization header is case-insensitive. */
	char lower[160];
	snprintf(lower, sizeof(lower), "Authorization: bearer  %s", parties[AUDITOR].token);
	j = apifix_call_token(&fx, NULL, "GET", "/v1/exporters?limit=1", NULL, lower, &st);
	assert_int_equal(st, 200);
	json_decref(j);

	/* An exporter with approvals, and paging of the list. */
	j = as(
	    REGISTRY_VN, "POST", "/v1/exporters",
	    "{\"id\":\"VN-EXP-0200\",\"name\":\"New Co\",\"country\":\"VN\",\"approvals\":[{\"hs_code\":\"08106000\","
	    "\"destination\":\"CN\"}]}",
	    NULL, &st);
	assert_int_equal(st, 201);
	json_decref(j);
	j = as(AUDITOR, "GET", "/v1/exporters?limit=2", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(j, "exporters")), 2);
	assert_string_equal(json_string_value(json_object_get(j, "next_after")), "VN-EXP-0102");
	json_decref(j);
	j = as(AUDITOR, "GET", "/v1/exporters?after=VN-EXP-0106&limit=5", NULL, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(j, "exporters")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(json_object_get(j, "exporters"), 0), "id")),
	    "VN-EXP-0200");
	assert_true(json_is_null(json_object_get(j, "next_after")));
	json_decref(j);
}

static void test_hostile_bodies(void **state)
{
	(void)state;
	static const char *const bodies[] = {
	    "",
	    "{",
	    "{\"exporter\":",
	    "[]",
	    "\"a string\"",
	    "42",
	    "null",
	    "{}",
	    "{\"exporter\":\"VN-EXP-0101\"}",
	    "{\"exporter\":\"VN-EXP-0101\",\"exporter\":\"VN-EXP-0102\"}",
	    "{\"unknown\":1}",
	    "{\"exporter\":42}",
	    "{\"exporter\":null}",
	    "{\"exporter\":[\"VN-EXP-0101\"]}",
	    "{\"exporter\":\"VN-EXP-0101'; DROP TABLE consignment; --\"}",
	    "{\"exporter\":\"VN\\u0000EXP\"}",
	    "{\"exporter\":\"\xff\xfe\"}",
	    "{\"exporter\":\"\xc3\x28\"}",
	    "{\"net_weight_kg\":1e999}",
	    "{\"packages\":123456789012345678901234567890}",
	    "{\"packages\":-1}",
	    "{\"packages\":1.5}",
	    "{\"packages\":\"12\"}",
	    "{\"packages\":true}",
	    "{\"vehicle\":\"12C-123.45\"}",
	    "{\"vehicle\":{\"kind\":\"boat\",\"number\":\"1\",\"country\":\"VN\"}}",
	    "{\"planting_areas\":\"VN-BTOR-0001\"}",
	    "{\"planting_areas\":[1,2,3]}",
	    "{\"planting_areas\":[\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\",\"I\",\"J\",\"K\",\"L\",\"M\",\"N\","
	    "\"O\",\"P\",\"Q\"]}",
	    "{\"destination\":\"China\"}",
	    "{\"commodity\":\"0810.90.92\"}",
	    "NaN",
	    "{\"exporter\":\"VN-EXP-0101\"} trailing",
	    "{'exporter':'VN-EXP-0101'}",
	    "{\"exporter\":\"VN-EXP-0101\",}",
	    "\xef\xbb\xbf{}",
	    "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
	    "<xml/>",
	    "{\"exporter\":\"\\ud800\"}",
	    /* 41 characters: over the limit */
	    "{\"phyto_certificate\":\"12345678901234567890123456789012345678901\"}",
	};
	const size_t n_plain = sizeof(bodies) / sizeof(bodies[0]);
	char *before = apifix_dump_rows(&fx);
	long st;
	size_t sent = 0;

	for (size_t i = 0; i < n_plain; i++) {
		/* Each hostile field is placed into an otherwise valid body too, so
		 * the server must refuse the field itself, not a missing neighbour. */
		for (int embed = 0; embed < 2; embed++) {
			char *b = NULL;
			if (embed) {
				json_t *h = json_loads(bodies[i], JSON_REJECT_DUPLICATES, NULL);
				if (!json_is_object(h) || json_object_size(h) != 1) {
					json_decref(h);
					continue;
				}
				const char *k = json_object_iter_key(json_object_iter(h));
				json_t *v = json_loads(valid_dragon_fruit, 0, NULL);
				json_t *valid = json_deep_copy(v);
				json_object_set(v, k, json_object_iter_value(json_object_iter(h)));
				bool same = json_equal(v, valid);
				b = same ? NULL : json_dumps(v, JSON_COMPACT);
				json_decref(valid);
				json_decref(v);
				json_decref(h);
				if (same)
					continue; /* the field alone is harmless in a valid body */
			}
			json_t *j = declare(CARRIER_A, b ? b : bodies[i], &st);
			if (st < 400 || st >= 500)
				fail_msg("hostile body %zu%s answered %ld", i, embed ? " (in a valid body)" : "", st);
			if (st == 400 || st == 413)
				assert_non_null(json_object_get(json_object_get(j, "error"), "field"));
			json_decref(j);
			free(b);
			sent++;
		}
	}
	/* Over the size limit, and a body that is all NUL bytes. */
	size_t big = BF_MAX_BODY + 1;
	char *huge = malloc(big + 1);
	memset(huge, '[', big);
	huge[big] = '\0';
	json_t *j = declare(CARRIER_A, huge, &st);
	assert_int_equal(st, 413);
	json_decref(j);
	free(huge);
	sent++;
	assert_true(sent >= 40);

	j = as(-1, "GET", "/healthz", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_decref(j);
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_declaration),
	    cmocka_unit_test(test_each_rule_alone),
	    cmocka_unit_test(test_rules_together),
	    cmocka_unit_test(test_role_matrix),
	    cmocka_unit_test(test_carrier_sees_only_its_own),
	    cmocka_unit_test(test_idempotent_retry),
	    cmocka_unit_test(test_registry_api),
	    cmocka_unit_test(test_hostile_bodies),
	};
	return cmocka_run_group_tests(tests, start, apifix_teardown);
}
