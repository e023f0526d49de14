/* Answers kept a moment (api/cache.h): the cache on its own (given again
 * only at the same revision, for less than its age, for the same key;
 * a later answer never replaced by an earlier one), and on a real server
 * beside a second server on the same database, as a second process: a
 * route asked twice is answered again from memory, a write committed by
 * the other server is seen by the very next request, a refused write
 * changes nothing, and a kept answer still needs its token; a token
 * remembered with the revision is refused at once when the other server
 * revokes it, and within a second when it is revoked by hand in the
 * database. */
#include "util/apifix.h"

#include "api/cache.h"
#include "service/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CARRIER, OPERATOR_VN, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {
    {"kept-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"kept-operator", BF_ROLE_GATE_OPERATOR, "VN", ""},
};
static struct apifix fx;

static int setup(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "kept", parties, N_PARTIES);
}

static void test_cache_gives_again_at_the_same_revision_only(void **state)
{
	(void)state;
	struct bf_cache *c = bf_cache_new();
	size_t len = 0;
	char *got;
	assert_null(bf_cache_get(c, "/v1/gates", 7, 1000, &len));

	bf_cache_put(c, "/v1/gates", 7, 1000, "{\"gates\":[]}", 12);
	got = bf_cache_get(c, "/v1/gates", 7, 1500, &len);
	assert_non_null(got);
	assert_int_equal(len, 12);
	assert_string_equal(got, "{\"gates\":[]}");
	free(got);
	/* Another revision, another key, too old, or a clock gone back. */
	assert_null(bf_cache_get(c, "/v1/gates", 8, 1500, &len));
	assert_null(bf_cache_get(c, "/v1/gates?mode=4:rail", 7, 1500, &len));
	assert_null(bf_cache_get(c, "/v1/gates", 7, 1000 + BF_CACHE_MAX_AGE_MS, &len));
	assert_null(bf_cache_get(c, "/v1/gates", 7, 999, &len));

	/* An answer read at an earlier revision, put late, does not replace
	 * a later one; a later one replaces it. */
	bf_cache_put(c, "/v1/gates", 6, 1600, "old", 3);
	got = bf_cache_get(c, "/v1/gates", 7, 1600, &len);
	assert_non_null(got);
	assert_string_equal(got, "{\"gates\":[]}");
	free(got);
	bf_cache_put(c, "/v1/gates", 9, 1700, "new", 3);
	got = bf_cache_get(c, "/v1/gates", 9, 1700, &len);
	assert_non_null(got);
	assert_string_equal(got, "new");
	free(got);

	/* Bytes are kept as they are, NUL included; a body over the limit is
	 * not kept. */
	bf_cache_put(c, "/bin", 1, 0, "a\0b", 3);
	got = bf_cache_get(c, "/bin", 1, 1, &len);
	assert_non_null(got);
	assert_int_equal(len, 3);
	assert_memory_equal(got, "a\0b", 3);
	free(got);
	char *big = calloc(1, BF_CACHE_MAX_BODY + 1);
	assert_non_null(big);
	bf_cache_put(c, "/big", 1, 0, big, BF_CACHE_MAX_BODY + 1);
	assert_null(bf_cache_get(c, "/big", 1, 1, &len));
	free(big);

	/* Every slot filled and refilled: the cache stays bounded and frees
	 * what it replaces (the sanitizers would see a leak). */
	for (int i = 0; i < 4 * BF_CACHE_SLOTS; i++) {
		char key[32];
		snprintf(key, sizeof(key), "/k/%d", i);
		bf_cache_put(c, key, 1, 0, key, strlen(key));
		got = bf_cache_get(c, key, 1, 0, &len);
		assert_non_null(got);
		assert_string_equal(got, key);
		free(got);
	}
	bf_cache_free(c);
}

/* Answers of the kept routes that RESULT ("hit" or "miss"), from the
 * metrics page of BASE. */
static double kept_count(const char *base, const char *result)
{
	char url[128], series[96];
	struct tu_http r;
	snprintf(url, sizeof(url), "%s/metrics", base);
	snprintf(series, sizeof(series), "borderflow_http_answers_kept_total{result=\"%s\"}", result);
	assert_int_equal(tu_http("GET", url, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	double v = tu_metric(r.body, series);
	tu_http_free(&r);
	assert_true(v >= 0);
	return v;
}

/* GET PATH on FX as AS; the body as text (malloc'd), status 200. */
static char *get_text(struct apifix *f, int as, const char *path)
{
	long st;
	json_t *j = apifix_call(f, as, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return text;
}

static size_t slots_of(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	assert_non_null(j);
	size_t n = json_array_size(json_object_get(j, "slots"));
	json_decref(j);
	return n;
}

static void test_a_write_by_another_process_is_seen_at_once(void **state)
{
	(void)state;
	struct apifix other;
	char path[160], body[256], day[BF_TIME_TEXT], end[BF_TIME_TEXT];
	long st;
	/* A day two weeks ahead, at midnight UTC. */
	bf_time from = ((bf_time)time(NULL) / BF_DAY_SECONDS + 14) * BF_DAY_SECONDS;
	bf_time_format_utc(from, day);
	bf_time_format_utc(from + BF_DAY_SECONDS, end);
	snprintf(path, sizeof(path), "/v1/gates/huu-nghi/slots?from=%s&days=1", day);

	assert_int_equal(apifix_second(&fx, &other), 0);
	double miss0 = kept_count(fx.base, "miss"), hit0 = kept_count(fx.base, "hit");
	char *first = get_text(&fx, -1, path), *again = get_text(&fx, -1, path);
	assert_string_equal(first, again);
	assert_true(kept_count(fx.base, "miss") == miss0 + 1);
	assert_true(kept_count(fx.base, "hit") == hit0 + 1);
	size_t open_slots = slots_of(first);
	assert_true(open_slots > 0);

	/* A refused write commits nothing: the revision and the kept answer
	 * stay. */
	long rev0 = tu_db_scalar(fx.db, "SELECT n FROM revision");
	json_decref(apifix_call(
	    &other, OPERATOR_VN, "POST", "/v1/gates/huu-nghi/changes",
	    "{\"kind\":\"closure\",\"from\":\"2030-01-02T00:00:00Z\",\"to\":\"2030-01-01T00:00:00Z\"}", NULL, &st));
	assert_int_equal(st, 400);
	assert_int_equal(tu_db_scalar(fx.db, "SELECT n FROM revision"), rev0);
	free(again);
	again = get_text(&fx, -1, path);
	assert_string_equal(first, again);
	assert_true(kept_count(fx.base, "hit") == hit0 + 2);

	/* The other process closes the VN side for the whole day: the next
	 * request to this one sees it, whatever the time since. */
	snprintf(body, sizeof(body), "{\"kind\":\"closure\",\"from\":\"%s\",\"to\":\"%s\",\"note\":\"kept test\"}", day,
	         end);
	json_decref(apifix_call(&other, OPERATOR_VN, "POST", "/v1/gates/huu-nghi/changes", body, NULL, &st));
	assert_int_equal(st, 201);
	assert_int_equal(tu_db_scalar(fx.db, "SELECT n FROM revision"), rev0 + 1);
	char *after = get_text(&fx, -1, path);
	assert_string_not_equal(first, after);
	assert_true(slots_of(after) < open_slots);
	assert_true(kept_count(fx.base, "miss") == miss0 + 2);
	/* ... and the other process, which had kept nothing, agrees. */
	char *there = get_text(&other, -1, path);
	assert_string_equal(after, there);

	free(first);
	free(again);
	free(after);
	free(there);
	apifix_stop(&other);
}

static void test_a_kept_answer_is_remade_after_its_age(void **state)
{
	(void)state;
	const char *path = "/v1/gates?mode=road";
	char *first = get_text(&fx, -1, path);
	double miss0 = kept_count(fx.base, "miss");
	char *again = get_text(&fx, -1, path);
	assert_true(kept_count(fx.base, "miss") == miss0);
	struct timespec pause = {.tv_sec = BF_CACHE_MAX_AGE_MS / 1000, .tv_nsec = 100 * 1000000};
	nanosleep(&pause, NULL);
	char *late = get_text(&fx, -1, path);
	assert_true(kept_count(fx.base, "miss") == miss0 + 1);
	assert_string_equal(first, again);
	free(first);
	free(again);
	free(late);
}

static void test_a_kept_answer_still_needs_its_token(void **state)
{
	(void)state;
	long st;
	char *queue = get_text(&fx, OPERATOR_VN, "/v1/gates/huu-nghi/queue");
	char *carriers = get_text(&fx, CARRIER, "/v1/gates/huu-nghi/queue");
	assert_string_equal(queue, carriers);
	json_t *j = apifix_call(&fx, -1, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st);
	assert_int_equal(st, 401);
	json_decref(j);
	j = apifix_call_token(&fx, "bf_nosuchtoken_x", "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st);
	assert_int_equal(st, 401);
	json_decref(j);
	/* A query parameter the route does not take is still refused. */
	j = apifix_call(&fx, OPERATOR_VN, "GET", "/v1/gates/huu-nghi/queue?limit=1", NULL, NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	free(queue);
	free(carriers);
}

static void test_a_token_revoked_by_another_process_is_refused_at_once(void **state)
{
	(void)state;
	struct apifix other;
	struct bf_error err = {0};
	struct bf_party p = {.role = BF_ROLE_CARRIER, .id = "kept-late", .name = "kept-late", .country = "VN"};
	char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
	long st;
	assert_int_equal(apifix_second(&fx, &other), 0);
	assert_int_equal(bf_service_token_new(other.svc, &p, token, id, &err), 0);
	/* Asked twice at one revision: the second is answered from memory,
	 * token and all. */
	for (int i = 0; i < 2; i++) {
		json_decref(apifix_call_token(&fx, token, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st));
		assert_int_equal(st, 200);
	}
	double hit0 = kept_count(fx.base, "hit");
	json_decref(apifix_call_token(&fx, token, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st));
	assert_int_equal(st, 200);
	assert_true(kept_count(fx.base, "hit") == hit0 + 1);
	assert_int_equal(bf_service_token_revoke(other.svc, id, &err), 0);
	json_t *j = apifix_call_token(&fx, token, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st);
	assert_int_equal(st, 401);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
	                    "unknown or revoked token");
	json_decref(j);
	/* A token revoked by hand in the database moves no revision: it is
	 * refused once its remembered holder is a second old. */
	char by_hand[200];
	snprintf(by_hand, sizeof(by_hand), "UPDATE token SET revoked_at = 1 WHERE party_id = '%s'",
	         parties[CARRIER].id);
	for (int i = 0; i < 2; i++) {
		json_decref(apifix_call(&fx, CARRIER, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st));
		assert_int_equal(st, 200);
	}
	long rev = tu_db_scalar(fx.db, "SELECT n FROM revision");
	tu_db_exec(fx.db, by_hand);
	assert_int_equal(tu_db_scalar(fx.db, "SELECT n FROM revision"), rev);
	struct timespec pause = {.tv_sec = 1, .tv_nsec = 100 * 1000000};
	nanosleep(&pause, NULL);
	json_decref(apifix_call(&fx, CARRIER, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st));
	assert_int_equal(st, 401);
	snprintf(by_hand, sizeof(by_hand), "UPDATE token SET revoked_at = NULL WHERE party_id = '%s'",
	         parties[CARRIER].id);
	tu_db_exec(fx.db, by_hand);
	/* The other tokens still pass. */
	json_decref(apifix_call(&fx, CARRIER, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st));
	assert_int_equal(st, 200);
	apifix_stop(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cache_gives_again_at_the_same_revision_only),
	    cmocka_unit_test(test_a_write_by_another_process_is_seen_at_once),
	    cmocka_unit_test(test_a_kept_answer_is_remade_after_its_age),
	    cmocka_unit_test(test_a_kept_answer_still_needs_its_token),
	    cmocka_unit_test(test_a_token_revoked_by_another_process_is_refused_at_once),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
