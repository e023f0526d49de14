/* The HTTP API on a real server on a loopback port, queried with libcurl:
 * the read endpoints, errors with their JSON bodies, and every example of
 * the OpenAPI document checked against what the server answers. */
#include "util/apifix.h"

#include "api/server.h"
#include "service/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct apifix fx;

/* The server on a SQLite file of its own (test_health expects the store
 * to be sqlite), with 4 connections and 4 threads: fewer than the 8
 * readers of test_concurrent_reads. */
static int start(void **state)
{
	*state = &fx;
	fx.connections = 4;
	fx.threads = 4;
	snprintf(fx.db, sizeof(fx.db), "%s/api.db", tu_tmpdir("api"));
	return apifix_open(&fx);
}

/* A bearer token for the example party of ROLE ("example-ROLE", acting
 * for VN), issued on first use. */
static const char *token_for(const char *role)
{
	static char tokens[BF_ROLE_COUNT][BF_TOKEN_TEXT];
	struct bf_party p = {.country = "VN"};
	struct bf_error err = {0};
	char id[BF_TOKEN_ID_MAX + 1];
	assert_int_equal(bf_role_parse(role, &p.role), 0);
	if (tokens[p.role][0] == '\0') {
		snprintf(p.id, sizeof(p.id), "example-%s", role);
		snprintf(p.name, sizeof(p.name), "Example %s", role);
		if (bf_service_token_new(fx.svc, &p, tokens[p.role], id, &err) != 0)
			fail_msg("token for %s: %s", role, err.message);
	}
	return tokens[p.role];
}

/* METHOD PATH as ROLE (NULL: no token); returns the parsed body, the
 * status in *STATUS. */
static json_t *call_as(const char *role, const char *method, const char *path, const char *body, long *status)
{
	char url[4096], auth[128];
	const char *headers[] = {auth, NULL};
	struct tu_http r;
	snprintf(url, sizeof(url), "%s%s", fx.base, path);
	if (role)
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token_for(role));
	assert_int_equal(tu_http(method, url, body, role ? headers : NULL, &r), 0);
	*status = r.status;
	assert_non_null(strstr(r.content_type, "application/json"));
	json_t *j = tu_http_json(&r);
	tu_http_free(&r);
	return j;
}

static json_t *call(const char *method, const char *path, const char *body, long *status)
{
	return call_as(NULL, method, path, body, status);
}

static void assert_error(json_t *j, const char *code, const char *field)
{
	json_t *e = json_object_get(j, "error");
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "code")), code);
	assert_true(json_string_length(json_object_get(e, "message")) > 0);
	if (field == NULL)
		assert_true(json_is_null(json_object_get(e, "field")));
	else
		assert_string_equal(json_string_value(json_object_get(e, "field")), field);
}

static void test_health(void **state)
{
	(void)state;
	long st;
	json_t *j = call("GET", "/healthz", NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(j, "store")), "sqlite");
	assert_true(json_integer_value(json_object_get(json_object_get(j, "counts"), "gates")) >= 14);
	json_decref(j);
}

static const char *window_field(json_t *w, const char *side, const char *key)
{
	return json_string_value(json_object_get(side ? json_object_get(w, side) : w, key));
}

static void test_gates_day(void **state)
{
	(void)state;
	long st;
	json_t *j = call("GET", "/v1/gates?date=2026-12-01", NULL, &st);
	assert_int_equal(st, 200);
	json_t *gates = json_object_get(j, "gates"), *g;
	size_t i;
	bool seen = false;
	assert_true(json_array_size(gates) >= 14);
	json_array_foreach (gates, i, g) {
		assert_string_equal(json_string_value(json_object_get(g, "day")), "2026-12-01");
		if (strcmp(json_string_value(json_object_get(g, "id")), "huu-nghi") != 0)
			continue;
		/* Vietnam 07:00-19:00 (UTC+7) meets China 08:00-20:00 (UTC+8). */
		json_t *w = json_array_get(json_object_get(g, "windows"), 0);
		assert_int_equal(json_array_size(json_object_get(g, "windows")), 1);
		assert_string_equal(window_field(w, NULL, "from"), "2026-12-01T00:00:00Z");
		assert_string_equal(window_field(w, NULL, "to"), "2026-12-01T12:00:00Z");
		assert_string_equal(window_field(w, "side_a", "from"), "2026-12-01T07:00:00+07:00");
		assert_string_equal(window_field(w, "side_b", "to"), "2026-12-01T20:00:00+08:00");
		assert_int_equal(json_integer_value(json_object_get(w, "minutes")), 720);
		assert_string_equal(json_string_value(json_object_get(json_object_get(g, "names"), "zh")),
		                    "友谊关口岸");
		seen = true;
	}
	assert_true(seen);
	json_decref(j);

	/* Filters: open at 11:30 UTC leaves out the pairs that close at 17:00
	 * Hanoi time (10:00 UTC); designated=dairy keeps only such pairs. */
	j = call("GET", "/v1/gates?open_at=2026-12-01T11:30:00Z", NULL, &st);
	assert_int_equal(st, 200);
	json_array_foreach (json_object_get(j, "gates"), i, g) {
		json_t *w = json_array_get(json_object_get(g, "windows"), 0);
		assert_true(strcmp(window_field(w, NULL, "to"), "2026-12-01T11:30:00Z") > 0);
		assert_true(strcmp(json_string_value(json_object_get(g, "id")), "chi-ma") != 0);
	}
	assert_true(json_array_size(json_object_get(j, "gates")) >= 1);
	json_decref(j);

	j = call("GET", "/v1/gates?mode=rail", NULL, &st);
	assert_int_equal(st, 200);
	json_array_foreach (json_object_get(j, "gates"), i, g)
		assert_string_equal(json_string_value(json_object_get(g, "mode")), "rail");
	assert_true(json_array_size(json_object_get(j, "gates")) >= 2);
	json_decref(j);
}

static void test_gate_detail(void **state)
{
	(void)state;
	long st;
	json_t *j = call("GET", "/v1/gates/huu-nghi?from=2026-12-01T00:00:00%2B07:00&days=7", NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_string_value(json_object_get(j, "windows_from")), "2026-11-30T17:00:00Z");
	assert_string_equal(json_string_value(json_object_get(j, "windows_to")), "2026-12-07T17:00:00Z");
	json_t *w = json_object_get(j, "windows");
	assert_int_equal(json_array_size(w), 7);
	assert_string_equal(window_field(json_array_get(w, 6), NULL, "from"), "2026-12-07T00:00:00Z");
	json_t *hours = json_object_get(json_object_get(json_object_get(j, "sides"), "b"), "hours");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(json_object_get(hours, "mon"), 0), "open")), "08:00");
	assert_true(json_is_array(json_object_get(json_object_get(json_object_get(j, "sides"), "a"), "exceptions")));
	json_decref(j);

	/* Without ?from= the windows start now and span 7 days. */
	j = call("GET", "/v1/gates/kim-thanh", NULL, &st);
	assert_int_equal(st, 200);
	assert_true(json_array_size(json_object_get(j, "windows")) >= 5);
	json_decref(j);
}

static void test_errors(void **state)
{
	(void)state;
	long st;
	struct tu_http r;
	char url[256];

	json_t *j = call("GET", "/v1/nowhere", NULL, &st);
	assert_int_equal(st, 404);
	assert_error(j, "not_found", NULL);
	json_decref(j);

	j = call("GET", "/v1/gates/no-such-gate", NULL, &st);
	assert_int_equal(st, 404);
	assert_error(j, "not_found", "id");
	json_decref(j);

	/* A 405 names the methods the path does answer. */
	snprintf(url, sizeof(url), "%s/v1/gates", fx.base);
	assert_int_equal(tu_http("POST", url, "{}", NULL, &r), 0);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "GET");
	j = tu_http_json(&r);
	assert_error(j, "method_not_allowed", NULL);
	json_decref(j);
	tu_http_free(&r);

	static const struct {
		const char *path, *field;
	} bad[] = {
	    {"/v1/gates?date=2026-13-01", "date"},
	    {"/v1/gates?date=yesterday", "date"},
	    {"/v1/gates?open_at=2026-12-01T10:30:00", "open_at"},
	    {"/v1/gates?mode=air", "mode"},
	    {"/v1/gates?class=big", "class"},
	    {"/v1/gates?designated=flowers", "designated"},
	    {"/v1/gates?foo=1", "foo"},
	    {"/v1/gates/huu-nghi?days=0", "days"},
	    {"/v1/gates/huu-nghi?days=7x", "days"},
	    {"/v1/gates/huu-nghi?days=", "days"},
	    {"/v1/gates/huu-nghi?from=2026-12-01", "from"},
	    {"/v1/commodities?class=", "class"},
	    {"/healthz?verbose=1", "verbose"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = call("GET", bad[i].path, NULL, &st);
		if (st != 400)
			fail_msg("%s answered %ld, not 400", bad[i].path, st);
		assert_error(j, "invalid", bad[i].field);
		json_decref(j);
	}

	/* HEAD is answered as GET, without the body. */
	snprintf(url, sizeof(url), "%s/healthz", fx.base);
	assert_int_equal(tu_http("HEAD", url, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 0);
	tu_http_free(&r);

	/* Errors echo what was sent as valid UTF-8, always in a JSON body. */
	j = call("GET", "/v1/xx%FF", NULL, &st);
	assert_int_equal(st, 404);
	assert_error(j, "not_found", NULL);
	json_decref(j);
	j = call("GET", "/v1/gates?%FF=1", NULL, &st);
	assert_int_equal(st, 400);
	assert_error(j, "invalid", "?");
	json_decref(j);
	/* A parameter given twice is refused; a doubly encoded id is not
	 * decoded twice. */
	j = call("GET", "/v1/gates/mong-cai?days=5&days=9", NULL, &st);
	assert_int_equal(st, 400);
	assert_error(j, "invalid", "days");
	json_decref(j);
	j = call("GET", "/v1/gates/mong%252Dcai", NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);

	/* Hostile path segments: encoded slash, over-long. A NUL or a control
	 * character is refused with 400 (tests/api/test_paths.c). */
	static const char *const odd[] = {"/v1/gates/huu%2Fnghi", "/v1/gates/%zz", "/v1/gates/x/y", "/v1/gates/"};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		j = call("GET", odd[i], NULL, &st);
		assert_int_equal(st, 404);
		json_decref(j);
	}
	char longpath[600] = "/v1/gates/";
	memset(longpath + 10, 'a', 500);
	longpath[510] = '\0';
	j = call("GET", longpath, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);

	/* A body over the limit gets 413 and the server stays up. */
	size_t big = BF_MAX_BODY + 100;
	char *body = malloc(big + 1);
	memset(body, ' ', big);
	body[big] = '\0';
	j = call("GET", "/v1/gates", body, &st);
	assert_int_equal(st, 413);
	assert_error(j, "too_big", "body");
	json_decref(j);
	free(body);
	j = call("GET", "/healthz", NULL, &st);
	assert_int_equal(st, 200);
	json_decref(j);
}

/* True when every field of WANT is in GOT with that value; arrays match
 * element by element, with as many elements. */
static bool json_subset(json_t *want, json_t *got)
{
	if (json_is_object(want)) {
		const char *k;
		json_t *v;
		if (!json_is_object(got))
			return false;
		json_object_foreach (want, k, v) {
			if (!json_subset(v, json_object_get(got, k)))
				return false;
		}
		return true;
	}
	if (json_is_array(want)) {
		size_t i;
		json_t *v;
		if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
			return false;
		json_array_foreach (want, i, v) {
			if (!json_subset(v, json_array_get(got, i)))
				return false;
		}
		return true;
	}
	return json_equal(want, got);
}

static void test_openapi_examples(void **state)
{
	(void)state;
	char path[2048];
	snprintf(path, sizeof(path), "%s/api/openapi.json", tu_source_dir());
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");

	/* The server serves this very document. */
	long st;
	json_t *served = call("GET", "/v1/openapi.json", NULL, &st);
	assert_int_equal(st, 200);
	assert_true(json_equal(served, doc));
	json_decref(served);

	const char *p, *m, *code, *name;
	json_t *item, *op, *resp, *ex;
	int checked = 0, operations = 0;
	json_object_foreach (json_object_get(doc, "paths"), p, item) {
		json_object_foreach (item, m, op) {
			int examples_here = 0;
			operations++;
			json_object_foreach (json_object_get(op, "responses"), code, resp) {
				json_t *exs = json_object_get(
				    json_object_get(json_object_get(resp, "content"), "application/json"), "examples");
				json_object_foreach (exs, name, ex) {
					json_t *rq = json_object_get(ex, "x-request");
					const char *method = json_string_value(json_object_get(rq, "method"));
					const char *rpath = json_string_value(json_object_get(rq, "path"));
					const char *match = json_string_value(json_object_get(ex, "x-match"));
					const char *role = json_string_value(json_object_get(rq, "as"));
					json_t *body = json_object_get(rq, "body");
					char *btext = body ? json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
					assert_non_null(method);
					assert_non_null(rpath);
					json_t *got = call_as(role, method, rpath, btext, &st);
					free(btext);
					if (st != atol(code))
						fail_msg("%s %s: example %s expects %s, server answered %ld", m, p,
						         name, code, st);
					bool same = match && strcmp(match, "subset") == 0
					                ? json_subset(json_object_get(ex, "value"), got)
					                : json_equal(json_object_get(ex, "value"), got);
					if (!same) {
						char *text = json_dumps(got, JSON_COMPACT);
						fail_msg("%s %s: example %s differs from the answer %.400s", m, p, name,
						         text);
					}
					json_decref(got);
					checked++;
					examples_here++;
				}
			}
			if (examples_here == 0)
				fail_msg("%s %s has no example", m, p);
		}
	}
	assert_true(operations >= 5);
	assert_true(checked >= operations);
	json_decref(doc);
}

static void *reader(void *arg)
{
	(void)arg;
	char url[128];
	int ok = 0;
	snprintf(url, sizeof(url), "%s/v1/gates?date=2026-12-01", fx.base);
	for (int i = 0; i < 25; i++) {
		struct tu_http r;
		if (tu_http("GET", url, NULL, NULL, &r) == 0 && r.status == 200 && strstr(r.body, "\"huu-nghi\""))
			ok++;
		tu_http_free(&r);
	}
	return (void *)(intptr_t)ok;
}

static void test_concurrent_reads(void **state)
{
	(void)state;
	pthread_t t[8];
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
	for (int i = 0; i < 8; i++) {
		void *ok;
		pthread_join(t[i], &ok);
		assert_int_equal((intptr_t)ok, 25);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_health),           cmocka_unit_test(test_gates_day),
	    cmocka_unit_test(test_gate_detail),      cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_openapi_examples), cmocka_unit_test(test_concurrent_reads),
	};
	return cmocka_run_group_tests(tests, start, apifix_teardown);
}
