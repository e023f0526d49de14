/* Instants over HTTP as RFC 3339 writes them: fractions of a second are
 * accepted, a refusal names the field and what is wrong with it, and
 * every instant an answer writes near the ends of the range is one the
 * API accepts back. */
#include "util/apifix.h"
#include "util/testutil.h"

#include "model/time.h"

#include <stdio.h>
#include <string.h>

static struct apifix fx;

static int setup(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "instants", NULL, 0);
}

/* Expects a 400 naming FIELD whose message holds WHAT. */
static void expect_refusal(const char *path, const char *field, const char *what)
{
	long status = 0;
	json_t *j = apifix_call(&fx, -1, "GET", path, NULL, NULL, &status);
	json_t *e = json_object_get(j, "error");
	const char *f = json_string_value(json_object_get(e, "field"));
	const char *m = json_string_value(json_object_get(e, "message"));
	if (status != 400 || f == NULL || strcmp(f, field) != 0 || m == NULL || strstr(m, what) == NULL)
		fail_msg("%s: %ld, field %s, message \"%s\"; wanted 400, %s, \"%s\"", path, status, f ? f : "-",
		         m ? m : "-", field, what);
	json_decref(j);
}

static void test_fractions_accepted(void **state)
{
	(void)state;
	long status = 0;
	json_t *j =
	    apifix_call(&fx, -1, "GET", "/v1/gates/huu-nghi?from=2026-12-01T00:00:00.000Z&days=1", NULL, NULL, &status);
	assert_int_equal(status, 200);
	assert_string_equal(json_string_value(json_object_get(j, "windows_from")), "2026-12-01T00:00:00Z");
	json_decref(j);
	j = apifix_call(&fx, -1, "GET", "/v1/gates?open_at=2026-12-01T10:30:00.123%2B07:00", NULL, NULL, &status);
	assert_int_equal(status, 200);
	json_decref(j);
}

static void test_refusals_say_why(void **state)
{
	(void)state;
	expect_refusal("/v1/gates/huu-nghi?from=2026-12-01T10:30:00", "from", "has no zone");
	expect_refusal("/v1/gates/huu-nghi?from=2026-02-30T10:30:00Z", "from", "has no such day in its month");
	expect_refusal("/v1/gates/huu-nghi?from=2026-12-01T10:30%2B15:00", "from", "offset out of range");
	expect_refusal("/v1/gates?date=2026-13-01", "date", "has no such month");
	expect_refusal("/v1/gates?open_at=9999-12-31T00:00:00Z", "open_at", "lies outside the instants kept");
	expect_refusal("/v1/gates/huu-nghi?from=9999-12-29T00:00:00Z&days=7", "days", "reaches past");
	expect_refusal("/v1/gates/huu-nghi/slots?from=9999-12-29T00:00:00Z&days=7", "days", "reaches past");
}

/* Every string of RFC 3339 shape in J, read back. */
static int check_instants(json_t *j, int *seen)
{
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		bf_time t;
		if (strlen(s) >= 20 && s[4] == '-' && s[10] == 'T') {
			(*seen)++;
			if (bf_time_parse(s, &t) != 0)
				fail_msg("the answer wrote \"%s\", which the API refuses", s);
		}
		return 0;
	}
	size_t i;
	const char *k;
	json_t *v;
	if (json_is_array(j))
		json_array_foreach (j, i, v)
			check_instants(v, seen);
	if (json_is_object(j))
		json_object_foreach (j, k, v)
			check_instants(v, seen);
	return 0;
}

static void test_written_near_the_end_is_accepted(void **state)
{
	(void)state;
	static const char *const paths[] = {
	    "/v1/gates/huu-nghi?from=9999-12-29T00:00:00Z&days=1",
	    "/v1/gates/huu-nghi?from=1900-01-02T00:00:00Z&days=1",
	    "/v1/gates?date=9999-12-30",
	    "/v1/gates?date=1900-01-02",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		long status = 0;
		int seen = 0;
		json_t *j = apifix_call(&fx, -1, "GET", paths[i], NULL, NULL, &status);
		if (status != 200)
			fail_msg("%s: %ld", paths[i], status);
		check_instants(j, &seen);
		if (seen == 0)
			fail_msg("%s: no instant written", paths[i]);
		json_decref(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fractions_accepted),
	    cmocka_unit_test(test_refusals_say_why),
	    cmocka_unit_test(test_written_near_the_end_is_accepted),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
