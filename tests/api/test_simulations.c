/* Simulations over HTTP, against a real server: a planner's request is
 * acknowledged at once and runs in the background; the result is the one
 * the simulator gives in process for the same request (the server runs
 * the same model and planner); a request acknowledged before a restart
 * completes after it; only planners may ask; bad requests name the field
 * and store nothing. */
#include "util/apifix.h"

#include "codec/dataset.h"
#include "codec/scenario.h"
#include "codec/summary.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct apifix_party parties[] = {
    {"sim-planner", BF_ROLE_PLANNER, "VN", ""},
    {"sim-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"sim-auditor", BF_ROLE_AUDITOR, "CN", ""},
};
enum { PLANNER, CARRIER, AUDITOR };

static struct apifix fx;

static int start(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "simulations", parties, 3);
}

/* Polls the simulation at PATH until it is done or failed; at most two
 * minutes. */
static json_t *wait_done(const char *path)
{
	for (int i = 0; i < 1200; i++) {
		long st;
		json_t *j = apifix_call(&fx, PLANNER, "GET", path, NULL, NULL, &st);
		assert_int_equal(st, 200);
		const char *status = json_string_value(json_object_get(j, "status"));
		assert_non_null(status);
		if (strcmp(status, "done") == 0 || strcmp(status, "failed") == 0)
			return j;
		json_t *pr = json_object_get(j, "progress");
		assert_true(json_integer_value(json_object_get(pr, "done")) <=
		            json_integer_value(json_object_get(pr, "total")));
		json_decref(j);
		usleep(100 * 1000);
	}
	fail_msg("%s did not finish in two minutes", path);
	return NULL;
}

/* The summary the simulator gives in process, as the server would store
 * it (reals to six digits). */
static json_t *in_process(const char *scenario, const char *const *policies, int n_policies, int reps, uint64_t seed)
{
	struct bf_dataset data;
	struct bf_scenario sc;
	struct bf_error err = {0};
	assert_int_equal(bf_dataset_load(NULL, &data, &err), 0);
	assert_int_equal(bf_scenario_load(scenario, &data, &sc, &err), 0);
	bf_dataset_free(&data);
	/* Keep the policies named, in order, as the server does. */
	struct bf_sim_policy kept[BF_SIM_MAX_POLICIES];
	bool used[BF_SIM_MAX_POLICIES] = {false};
	for (int i = 0; i < n_policies; i++)
		for (int p = 0; p < sc.n_policies; p++)
			if (strcmp(sc.policies[p].name, policies[i]) == 0) {
				kept[i] = sc.policies[p];
				used[p] = true;
			}
	for (int p = 0; p < sc.n_policies; p++)
		if (!used[p])
			bf_scenario_policy_clear(&sc, p);
	memcpy(sc.policies, kept, (size_t)n_policies * sizeof(kept[0]));
	sc.n_policies = n_policies;
	struct bf_sim_run *runs = calloc((size_t)n_policies * (size_t)reps, sizeof(*runs));
	assert_int_equal(bf_sim_replicate(&sc, seed, reps, 2, NULL, NULL, runs), 0);
	struct bf_sim_summary sum;
	bf_sim_summarise(&sc, runs, reps, seed, &sum);
	json_t *doc = bf_summary_json(&sc, &sum);
	char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(doc);
	doc = json_loads(text, 0, NULL);
	free(text);
	bf_sim_summary_free(&sum);
	for (int i = 0; i < n_policies * reps; i++)
		bf_sim_run_free(&runs[i]);
	free(runs);
	bf_scenario_clear(&sc);
	return doc;
}

static void test_runs_as_in_process(void **state)
{
	(void)state;
	long st;
	const char *body = "{\"scenario\":\"lang-son-2021\",\"replications\":3,\"seed\":11,"
	                   "\"policies\":[\"booking-planner\",\"baseline\"]}";
	json_t *j = apifix_call(&fx, PLANNER, "POST", "/v1/simulations", body, NULL, &st);
	assert_int_equal(st, 202);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "queued");
	assert_string_equal(json_string_value(json_object_get(j, "party")), "sim-planner");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "progress"), "total")), 6);
	char path[128];
	snprintf(path, sizeof(path), "/v1/simulations/%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);

	j = wait_done(path);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "done");
	assert_non_null(json_object_get(j, "finished_at"));
	json_t *result = json_object_get(j, "result");
	/* The first policy named is the baseline. */
	json_t *pols = json_object_get(result, "policies");
	assert_int_equal(json_array_size(pols), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(pols, 0), "name")), "booking-planner");
	assert_null(json_object_get(json_array_get(json_object_get(json_array_get(pols, 0), "gates"), 0),
	                            "difference_from_baseline"));

	static const char *const names[] = {"booking-planner", "baseline"};
	json_t *want = in_process("lang-son-2021", names, 2, 3, 11);
	if (!json_equal(want, result)) {
		char *a = json_dumps(want, JSON_COMPACT), *b = json_dumps(result, JSON_COMPACT);
		fail_msg("the server's result differs from the simulator's:\n%.600s\n%.600s", a, b);
	}
	json_decref(want);
	json_decref(j);
}

static void test_survives_restart(void **state)
{
	(void)state;
	long st;
	const char *body = "{\"scenario\":\"lang-son-2021\",\"replications\":4,\"seed\":3,"
	                   "\"policies\":[\"baseline\",\"more-lanes\",\"fruit-trains\"]}";
	json_t *j = apifix_call(&fx, PLANNER, "POST", "/v1/simulations", body, NULL, &st);
	assert_int_equal(st, 202);
	char path[128];
	snprintf(path, sizeof(path), "/v1/simulations/%s", json_string_value(json_object_get(j, "id")));
	json_decref(j);
	/* The process stops at once, in the middle of the runs; the request
	 * was acknowledged, so the next process runs it. */
	assert_int_equal(apifix_restart(&fx), 0);
	j = wait_done(path);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "done");
	static const char *const names[] = {"baseline", "more-lanes", "fruit-trains"};
	json_t *want = in_process("lang-son-2021", names, 3, 4, 3);
	assert_true(json_equal(want, json_object_get(j, "result")));
	json_decref(want);
	json_decref(j);
}

static void test_roles(void **state)
{
	(void)state;
	long st;
	const char *body = "{\"scenario\":\"lang-son-2021\",\"replications\":1}";
	json_t *j = apifix_call(&fx, CARRIER, "POST", "/v1/simulations", body, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = apifix_call(&fx, AUDITOR, "POST", "/v1/simulations", body, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = apifix_call(&fx, -1, "POST", "/v1/simulations", body, NULL, &st);
	assert_int_equal(st, 401);
	json_decref(j);
	j = apifix_call(&fx, CARRIER, "GET", "/v1/simulations/sim-anything", NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	/* The list of scenarios is public. */
	j = apifix_call(&fx, -1, "GET", "/v1/scenarios", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *first = json_array_get(json_object_get(j, "scenarios"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "name")), "lang-son-2021");
	assert_int_equal(json_array_size(json_object_get(first, "policies")), 7);
	json_decref(j);
}

static void check_bad(const char *body, const char *field)
{
	long st, before = apifix_rows(&fx, "simulation");
	json_t *j = apifix_call(&fx, PLANNER, "POST", "/v1/simulations", body, NULL, &st);
	if (st != 400)
		fail_msg("%s: status %ld, not 400", body, st);
	json_t *e = json_object_get(j, "error");
	const char *got = json_string_value(json_object_get(e, "field"));
	if (got == NULL || strcmp(got, field) != 0)
		fail_msg("%s: field \"%s\", not \"%s\" (%s)", body, got ? got : "(none)", field,
		         json_string_value(json_object_get(e, "message")));
	assert_true(strlen(json_string_value(json_object_get(e, "message"))) > 5);
	json_decref(j);
	assert_int_equal(apifix_rows(&fx, "simulation"), before);
}

static void test_bad_requests(void **state)
{
	(void)state;
	check_bad("{}", "scenario");
	check_bad("{\"scenario\":42}", "scenario");
	check_bad("{\"scenario\":\"lang-son-2021\",\"replications\":0}", "replications");
	check_bad("{\"scenario\":\"lang-son-2021\",\"replications\":201}", "replications");
	check_bad("{\"scenario\":\"lang-son-2021\",\"seed\":-1}", "seed");
	check_bad("{\"scenario\":\"lang-son-2021\",\"seed\":1.5}", "seed");
	check_bad("{\"scenario\":\"lang-son-2021\",\"policies\":[]}", "policies");
	check_bad("{\"scenario\":\"lang-son-2021\",\"policies\":[\"baseline\",\"baseline\"]}", "policies[1]");
	check_bad("{\"scenario\":\"lang-son-2021\",\"colour\":\"red\"}", "colour");
	check_bad("{\"scenario\":{\"name\":\"x\",\"season\":{\"start\":\"2021-13-01\",\"days\":5},"
	          "\"gates\":[],\"flows\":[],\"policies\":[]}}",
	          "scenario.season.start");
	check_bad("{\"scenario\":{\"name\":\"x\",\"season\":{\"start\":\"2021-12-01\",\"days\":5},"
	          "\"gates\":[{\"id\":\"huu-nghi\",\"export\":{\"base\":{\"dist\":\"gamma\",\"mean_minutes\":5}}}],"
	          "\"flows\":[],\"policies\":[]}}",
	          "scenario.gates[0].export.base.dist");
	long st;
	json_t *j = apifix_call(&fx, PLANNER, "POST", "/v1/simulations", "[1,2]", NULL, &st);
	assert_int_equal(st, 400);
	json_decref(j);
	j = apifix_call(&fx, PLANNER, "GET", "/v1/simulations/sim-doesnotexist0000", NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_bad_requests),
	    cmocka_unit_test(test_runs_as_in_process),
	    cmocka_unit_test(test_survives_restart),
	};
	return cmocka_run_group_tests(tests, start, apifix_teardown);
}
