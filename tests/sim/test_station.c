/* The simulator's core against queueing theory: the M/M/c queue's mean
 * wait matches Erlang's C formula within the 95% confidence interval of
 * the replications, and within 1% over ten million vehicles; Little's law
 * holds on every run; every arrival is accounted for; and one seed gives
 * the same figures whatever the number of threads. */
#include "util/testutil.h"

#include "model/error.h"
#include "sim/station.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define REPS 20

/* Student's t for 19 degrees of freedom, two-sided 95%. */
#define T19 2.093

static void check_mmc(int lanes, double load)
{
	double mu = 12; /* vehicles an hour a lane: five minutes each */
	struct bf_station_config cfg = {
	    .arrivals_per_hour = load * lanes * mu,
	    .services_per_hour = mu,
	    .lanes = lanes,
	    .open_hours = 24,
	    .customers = 200000,
	    .warmup = 20000,
	};
	struct bf_station_result r[REPS];
	assert_int_equal(bf_station_replicate(&cfg, 2026, REPS, 2, r), 0);
	double sum = 0, sq = 0;
	for (int i = 0; i < REPS; i++) {
		sum += r[i].mean_wait_hours;
		sq += r[i].mean_wait_hours * r[i].mean_wait_hours;
		/* Every arrival crossed, or is still in line or in a lane. */
		assert_int_equal(r[i].arrivals, cfg.customers);
		assert_int_equal(r[i].served + r[i].left_waiting + r[i].left_in_service, r[i].arrivals);
		/* Little's law, L = lambda W, on the run's own path: the area
		 * under the count of vehicles present against their times. */
		double little = r[i].arrival_rate_seen * r[i].mean_time_in_system;
		if (fabs(r[i].mean_in_system - little) > 1e-6 * (1 + little))
			fail_msg("c=%d load %.2f rep %d: L %.6f but lambda W %.6f", lanes, load, i, r[i].mean_in_system,
			         little);
	}
	double mean = sum / REPS, sd = sqrt((sq - REPS * mean * mean) / (REPS - 1)), half = T19 * sd / sqrt(REPS);
	double theory = bf_station_erlang_c_wait(cfg.arrivals_per_hour, mu, lanes);
	printf("M/M/%d at %.2f: wait %.5f h +- %.5f, Erlang C %.5f h\n", lanes, load, mean, half, theory);
	if (fabs(mean - theory) > half)
		fail_msg("M/M/%d at load %.2f: %.5f +- %.5f h does not hold Erlang C's %.5f h", lanes, load, mean, half,
		         theory);
}

static void test_erlang_c(void **state)
{
	(void)state;
	/* Known values: M/M/1 at 0.5 waits rho/(mu - lambda) = 0.5/6 h. */
	assert_true(fabs(bf_station_erlang_c_wait(6, 12, 1) - 0.5 / 6) < 1e-12);
	/* M/M/2, lambda 1, mu 1: P(wait) = 1/3, Wq = 1/3 / (2 - 1). */
	assert_true(fabs(bf_station_erlang_c_wait(1, 1, 2) - 1.0 / 3) < 1e-12);
	assert_true(bf_station_erlang_c_wait(12, 12, 1) < 0);
	static const int lanes[] = {1, 4, 8};
	static const double loads[] = {0.5, 0.8, 0.95};
	for (int c = 0; c < 3; c++)
		for (int l = 0; l < 3; l++)
			check_mmc(lanes[c], loads[l]);
}

static void test_ten_million(void **state)
{
	(void)state;
	struct bf_station_config cfg = {.arrivals_per_hour = 0.8 * 4 * 12,
	                                .services_per_hour = 12,
	                                .lanes = 4,
	                                .open_hours = 24,
	                                .customers = 10000000,
	                                .warmup = 100000};
	struct bf_station_result r;
	assert_int_equal(bf_station_run(&cfg, 7, 0, &r), 0);
	double theory = bf_station_erlang_c_wait(cfg.arrivals_per_hour, 12, 4);
	printf("M/M/4 at 0.8 over 10 million: %.6f h, Erlang C %.6f h (%+.3f%%), %ld events\n", r.mean_wait_hours,
	       theory, 100 * (r.mean_wait_hours - theory) / theory, r.events);
	assert_true(fabs(r.mean_wait_hours - theory) < 0.01 * theory);
}

static void test_same_figures_for_any_threads(void **state)
{
	(void)state;
	struct bf_station_config cfg = {.arrivals_per_hour = 40,
	                                .services_per_hour = 12,
	                                .lanes = 4,
	                                .open_hours = 12,
	                                .customers = 20000,
	                                .warmup = 0};
	struct bf_station_result one[8], two[8], eight[8];
	assert_int_equal(bf_station_replicate(&cfg, 99, 8, 1, one), 0);
	assert_int_equal(bf_station_replicate(&cfg, 99, 8, 2, two), 0);
	assert_int_equal(bf_station_replicate(&cfg, 99, 8, 8, eight), 0);
	for (int i = 0; i < 8; i++) {
		assert_true(one[i].mean_wait_hours == two[i].mean_wait_hours);
		assert_true(one[i].mean_wait_hours == eight[i].mean_wait_hours);
		assert_int_equal(one[i].events, eight[i].events);
		assert_int_equal(one[i].longest_line, two[i].longest_line);
	}
	/* Different replications are different streams. */
	assert_true(one[0].mean_wait_hours != one[1].mean_wait_hours);
}

static void test_opening_hours(void **state)
{
	(void)state;
	/* A gate open 12 hours a day at 80% of its daily capacity: vehicles
	 * arriving by night wait for the morning, so waits are far longer
	 * than always open at the same load; all are still served. */
	struct bf_station_config open12 = {.arrivals_per_hour = 0.4 * 4 * 12,
	                                   .services_per_hour = 12,
	                                   .lanes = 4,
	                                   .open_hours = 12,
	                                   .customers = 100000,
	                                   .warmup = 1000};
	struct bf_station_config always = open12;
	always.open_hours = 24;
	struct bf_station_result a, b;
	assert_int_equal(bf_station_run(&open12, 5, 0, &a), 0);
	assert_int_equal(bf_station_run(&always, 5, 0, &b), 0);
	assert_int_equal(a.served, a.arrivals);
	assert_true(a.mean_wait_hours > 10 * b.mean_wait_hours);
	/* Night arrivals wait about until opening: the median is hours. */
	assert_true(a.p90_wait_hours > 6);
	assert_true(a.p50_wait_hours <= a.p90_wait_hours && a.p90_wait_hours <= a.p99_wait_hours);

	struct bf_station_config bad = always;
	bad.lanes = 0;
	assert_int_equal(bf_station_run(&bad, 1, 0, &a), BF_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_erlang_c),
	    cmocka_unit_test(test_ten_million),
	    cmocka_unit_test(test_same_figures_for_any_threads),
	    cmocka_unit_test(test_opening_hours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
