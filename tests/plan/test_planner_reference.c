/* The planner against the exact optimum: on 200 random instances of up to
 * 2,000 consignments, the value it lets spoil is within 1% of the least
 * that any plan can reach, as GLPK's min-cost flow computes it; and the
 * same with pack_late, the packing the simulator uses. */
#include "util/plangen.h"
#include "util/testutil.h"

#include <stdio.h>
#include <string.h>

static void test_within_one_percent(void **state)
{
	(void)state;
	double worst = 0, total_mine = 0, total_opt = 0;
	int exact = 0;
	for (unsigned seed = 1; seed <= 200; seed++) {
		struct plangen g = {
		    .seed = seed,
		    .gates = 1 + (int)(seed % 5),
		    .days = 1 + (int)(seed % 4),
		    .max_cap = 2 + (int)(seed % 6),
		};
		/* From light to heavy load: demand from 0.5 to 2 times capacity. */
		int capacity = g.gates * g.days * 24 * (g.max_cap + 1) / 2;
		g.jobs = capacity * (50 + (int)(seed * 37 % 150)) / 100;
		if (g.jobs > 2000)
			g.jobs = 2000;
		struct bf_plan p;
		struct bf_plan_stats st;
		char why[160];
		plangen_make(&g, &p);
		/* Every other instance packs late: the value kept must not depend
		 * on it. */
		p.pack_late = seed % 2 == 0;
		assert_int_equal(bf_plan_assign(&p, &st), 0);
		if (plangen_check(&p, why, sizeof(why)) != 0)
			fail_msg("seed %u: %s", seed, why);
		assert_int_equal(st.on_time + st.late + st.unplaced, p.n_jobs);
		double opt = plangen_optimum(&p, NULL, NULL);
		assert_true(opt >= 0);
		/* Nothing can beat the optimum: a check on both sides. */
		if (st.spoiled_value < opt - 1e-6)
			fail_msg("seed %u: planner %.0f below the optimum %.0f", seed, st.spoiled_value, opt);
		if (st.spoiled_value > opt * 1.01 + 1e-6)
			fail_msg("seed %u (%d gates, %d days, %d jobs): spoiled %.0f, optimum %.0f (+%.2f%%)", seed,
			         g.gates, g.days, g.jobs, st.spoiled_value, opt,
			         100.0 * (st.spoiled_value - opt) / opt);
		if (opt > 0 && (st.spoiled_value - opt) / opt > worst)
			worst = (st.spoiled_value - opt) / opt;
		exact += st.spoiled_value <= opt + 1e-6;
		total_mine += st.spoiled_value;
		total_opt += opt;
		plangen_free(&p);
	}
	printf("planner vs optimum: %d of 200 exact, worst +%.3f%%, total %.0f vs %.0f\n", exact, 100 * worst,
	       total_mine, total_opt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_within_one_percent)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
