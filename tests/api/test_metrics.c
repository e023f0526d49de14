/* GET /metrics on a real server: requests counted by route, method and
 * status; the latency histogram cumulative with _count equal to the
 * requests; a gate's yard gauge equal to its queue after a check-in;
 * bookings and events counted; every line a comment or a sample; public,
 * and holding no path, party or token. */
#include "util/apifix.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CARRIER, OPERATOR_VN, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {
    {"metrics-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"metrics-operator", BF_ROLE_GATE_OPERATOR, "VN", ""},
};
static struct apifix fx;

static int setup(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "metrics", parties, N_PARTIES);
}

/* The metrics page as text (malloc'd); checks its status and type. */
static char *metrics_text(void)
{
	char url[128];
	struct tu_http r;
	snprintf(url, sizeof(url), "%s/metrics", fx.base);
	assert_int_equal(tu_http("GET", url, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/plain"));
	assert_non_null(strstr(r.content_type, "version=0.0.4"));
	char *text = r.body;
	r.body = NULL;
	tu_http_free(&r);
	assert_non_null(text);
	return text;
}

static double sample_or_zero(const char *text, const char *series)
{
	double v = tu_metric(text, series);
	return v < 0 ? 0 : v;
}

static void get(int as, const char *path, long want)
{
	long st;
	json_t *j = apifix_call(&fx, as, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, want);
	json_decref(j);
}

static void test_counts_requests_and_latency(void **state)
{
	(void)state;
	const char *series = "borderflow_http_requests_total{route=\"/v1/gates/{id}\",method=\"GET\",status=\"200\"}";
	const char *missing = "borderflow_http_requests_total{route=\"/v1/gates/{id}\",method=\"GET\",status=\"404\"}";
	char *before = metrics_text();
	double n0 = sample_or_zero(before, series), m0 = sample_or_zero(before, missing);
	enum { N = 7 };
	for (int i = 0; i < N; i++)
		get(-1, "/v1/gates/huu-nghi?days=1", 200);
	get(-1, "/v1/gates/no-such-gate", 404);
	get(-1, "/v1/secret-looking-path-4711", 404);
	char *after = metrics_text();
	assert_true(tu_metric(after, series) == n0 + N);
	assert_true(tu_metric(after, missing) == m0 + 1);
	/* Counted by the route's pattern: a path never becomes a label. */
	assert_null(strstr(after, "huu-nghi?"));
	assert_null(strstr(after, "no-such-gate"));
	assert_null(strstr(after, "secret-looking-path"));
	assert_true(
	    tu_metric(after, "borderflow_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}") >= 1);

	/* The route's histogram: cumulative buckets, +Inf and _count equal to
	 * every request of the route (200 and 404 here). */
	const char *prefix =
	    "borderflow_http_request_duration_seconds_bucket{route=\"/v1/gates/{id}\",method=\"GET\",le=\"";
	double last = -1, inf = -1;
	int buckets = 0;
	for (const char *line = after; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, prefix, strlen(prefix)) != 0)
			continue;
		const char *v = strchr(line, ' ');
		assert_non_null(v);
		double x = strtod(v + 1, NULL);
		assert_true(x >= last);
		last = x;
		buckets++;
		if (strncmp(line + strlen(prefix), "+Inf\"}", 6) == 0)
			inf = x;
	}
	assert_true(buckets >= 2);
	double count =
	    tu_metric(after, "borderflow_http_request_duration_seconds_count{route=\"/v1/gates/{id}\",method=\"GET\"}");
	assert_true(inf == last);
	assert_true(count == inf);
	assert_true(count == tu_metric(after, series) + tu_metric(after, missing));
	assert_true(count >= N + 1);
	assert_true(
	    tu_metric(after, "borderflow_http_request_duration_seconds_sum{route=\"/v1/gates/{id}\",method=\"GET\"}") >
	    0);
	free(before);
	free(after);
}

/* Every line is "# HELP name text", "# TYPE name kind" or
 * name{label="value",...} number; no line is empty. */
static void check_format(const char *text)
{
	const char *line = text;
	int samples = 0;
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	while (*line) {
		const char *end = strchr(line, '\n');
		assert_non_null(end);
		char buf[1024];
		size_t len = (size_t)(end - line);
		assert_true(len > 0 && len < sizeof(buf));
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (buf[0] == '#') {
			char word[8], name[200];
			assert_int_equal(sscanf(buf, "# %7s %199s", word, name), 2);
			assert_true(strcmp(word, "HELP") == 0 || strcmp(word, "TYPE") == 0);
			if (strcmp(word, "TYPE") == 0) {
				const char *kind = buf + strlen("# TYPE ") + strlen(name) + 1;
				assert_true(strcmp(kind, "counter") == 0 || strcmp(kind, "gauge") == 0 ||
				            strcmp(kind, "histogram") == 0);
			}
		} else {
			const char *p = buf;
			assert_true(isalpha((unsigned char)*p) || *p == '_');
			while (isalnum((unsigned char)*p) || *p == '_' || *p == ':')
				p++;
			if (*p == '{') {
				p++;
				for (int labels = 0; *p != '}'; labels++) {
					assert_true(labels < 8);
					assert_true(isalpha((unsigned char)*p) || *p == '_');
					while (isalnum((unsigned char)*p) || *p == '_')
						p++;
					assert_true(p[0] == '=' && p[1] == '"');
					p += 2;
					while (*p && *p != '"') {
						assert_true(*p != '\\' && *p != '\n');
						p++;
					}
					assert_true(*p == '"');
					p++;
					if (*p == ',')
						p++;
					else
						assert_true(*p == '}');
				}
				p++;
			}
			assert_true(*p == ' ');
			char *num_end;
			strtod(p + 1, &num_end);
			assert_true(num_end > p + 1 && *num_end == '\0');
			samples++;
		}
		line = end + 1;
	}
	assert_true(samples > 10);
}

static void test_format_parses(void **state)
{
	(void)state;
	get(-1, "/healthz", 200);
	get(CARRIER, "/v1/whoami", 200);
	char *text = metrics_text();
	check_format(text);
	/* Public, and naming no party nor token. */
	assert_null(strstr(text, parties[CARRIER].id));
	assert_null(strstr(text, parties[CARRIER].token));
	assert_null(strstr(text, "bf_"));
	free(text);
}

static void test_queue_bookings_events(void **state)
{
	(void)state;
	char path[128], *before = metrics_text();
	const char *gauge = "borderflow_queue_vehicles{gate=\"huu-nghi\"}";
	double booked0 = tu_metric(before, "borderflow_bookings_total");
	double checked0 = sample_or_zero(before, "borderflow_events_total{kind=\"consignment.checked_in\"}");
	double declared0 = sample_or_zero(before, "borderflow_events_total{kind=\"consignment.declared\"}");
	long st;
	assert_true(tu_metric(before, gauge) >= 0);
	assert_true(booked0 >= 0);
	/* Every gate has its gauge, empty yards too. */
	assert_true(tu_metric(before, "borderflow_queue_vehicles{gate=\"mong-cai\"}") == 0);
	assert_true(tu_metric(before, "borderflow_queue_vehicles{gate=\"lao-cai-rail\"}") == 0);

	for (int i = 0; i < 2; i++) {
		char id[64];
		snprintf(
		    id, sizeof(id), "%s",
		    apifix_declare(&fx, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "huu-nghi"));
		snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
		json_t *j = apifix_call(&fx, CARRIER, "POST", path, "{\"gate\":\"huu-nghi\"}", NULL, &st);
		assert_int_equal(st, 201);
		json_decref(j);
		snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", id);
		j = apifix_call(&fx, CARRIER, "POST", path, NULL, NULL, &st);
		assert_int_equal(st, 200);
		json_decref(j);
	}
	json_t *q = apifix_call(&fx, OPERATOR_VN, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st);
	assert_int_equal(st, 200);
	size_t waiting = json_array_size(json_object_get(q, "waiting"));
	json_decref(q);
	assert_true(waiting >= 2);

	char *after = metrics_text();
	assert_true(tu_metric(after, gauge) == (double)waiting);
	assert_true(tu_metric(after, "borderflow_bookings_total") == booked0 + 2);
	assert_true(tu_metric(after, "borderflow_events_total{kind=\"consignment.checked_in\"}") == checked0 + 2);
	assert_true(tu_metric(after, "borderflow_events_total{kind=\"consignment.declared\"}") == declared0 + 2);
	assert_true(tu_metric(after, "borderflow_rebookings_total{reason=\"gate_change\"}") >= 0);
	assert_true(tu_metric(after, "borderflow_simulations{status=\"done\"}") >= 0);
	/* No peer configured: no sync figures. */
	assert_null(strstr(after, "borderflow_sync_"));
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts_requests_and_latency),
	    cmocka_unit_test(test_format_parses),
	    cmocka_unit_test(test_queue_bookings_events),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
