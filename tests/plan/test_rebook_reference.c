/* Rebooking against the exact optimum: on 150 random plans hit by a
 * closure, an extension or a change of lanes, the value bf_plan_rebook()
 * lets spoil equals the least any plan of the changed slots allows, as
 * GLPK's min-cost flow computes it on the same instance; no load is given
 * a slot past its deadline or before it can use one; and where capacity
 * only grew, no booking that was on time loses its place. */
#include "util/plangen.h"
#include "util/testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define INSTANCES 150

static void test_rebooking_equals_the_optimum(void **state)
{
	(void)state;
	static const char *const kinds[] = {"closure", "extension", "lane change"};
	int of_kind[3] = {0}, exact = 0;
	size_t moved = 0, lost = 0, jobs = 0;
	double total_mine = 0, total_opt = 0;
	for (unsigned seed = 1; seed <= INSTANCES; seed++) {
		struct plangen g = {
		    .seed = 1000 + seed,
		    .gates = 1 + (int)(seed % 4),
		    .days = 1 + (int)(seed % 3),
		    .max_cap = 2 + (int)(seed % 5),
		};
		int capacity = g.gates * g.days * 24 * (g.max_cap + 1) / 2;
		g.jobs = capacity * (60 + (int)(seed * 41 % 120)) / 100;
		if (g.jobs > 1500)
			g.jobs = 1500;
		struct bf_plan before, after, view;
		struct bf_plan_stats st;
		bf_time now;
		int kind;
		char why[160];
		plangen_make(&g, &before);
		assert_int_equal(bf_plan_assign(&before, NULL), 0);
		plangen_disrupt(&before, seed, &after, &now, &kind);
		of_kind[kind]++;
		/* What the rebooking starts from: each job's slot in the new list. */
		int *held = malloc((after.n_jobs + 1) * sizeof(int));
		for (size_t j = 0; j < after.n_jobs; j++)
			held[j] = after.jobs[j].slot;
		plangen_rebook_view(&after, now, &view);
		double opt = plangen_optimum(&view, NULL, NULL);
		assert_true(opt >= 0);

		assert_int_equal(bf_plan_rebook(&after, now, &st), 0);
		if (plangen_check(&after, why, sizeof(why)) != 0)
			fail_msg("seed %u: %s", seed, why);
		assert_int_equal(st.late, 0);
		for (size_t j = 0; j < after.n_jobs; j++) {
			const struct bf_plan_job *job = &after.jobs[j];
			if (job->slot < 0) {
				lost += held[j] >= 0;
				continue;
			}
			const struct bf_plan_slot *s = &after.slots[job->slot];
			if (s->start > job->deadline)
				fail_msg("seed %u: job %zu given a slot at %lld past its deadline %lld", seed, j,
				         (long long)s->start, (long long)job->deadline);
			if (s->start < now && job->slot != held[j])
				fail_msg("seed %u: job %zu moved into a slot at %lld, before now %lld", seed, j,
				         (long long)s->start, (long long)now);
			assert_int_equal(job->moved, job->slot != held[j]);
		}
		/* Where capacity only grew, no booking on time loses its place. */
		for (size_t j = 0; kind == 1 && j < after.n_jobs; j++)
			if (held[j] >= 0 && after.slots[held[j]].start <= after.jobs[j].deadline &&
			    after.jobs[j].slot < 0)
				fail_msg("seed %u: an extension took job %zu's place", seed, j);
		if (fabs(st.spoiled_value - opt) > 1e-6 * (opt > 1 ? opt : 1))
			fail_msg("seed %u (%s, %d gates, %d days, %d jobs): rebooking spoils %.0f, the optimum %.0f",
			         seed, kinds[kind], g.gates, g.days, g.jobs, st.spoiled_value, opt);
		exact++;
		moved += st.moved;
		jobs += after.n_jobs;
		total_mine += st.spoiled_value;
		total_opt += opt;
		free(held);
		plangen_free(&view);
		plangen_free(&after);
		plangen_free(&before);
	}
	printf("rebooking vs optimum: %d of %d exact (%d closures, %d extensions, %d lane changes); "
	       "spoiled %.0f vs %.0f; %zu of %zu jobs moved, %zu lost their slot\n",
	       exact, INSTANCES, of_kind[0], of_kind[1], of_kind[2], total_mine, total_opt, moved, jobs, lost);
	assert_true(of_kind[0] > 0 && of_kind[1] > 0 && of_kind[2] > 0);
}

/* The case the greedy got wrong: two loads that will spoil whatever
 * happens lost their slot with the others; they get none, and every load
 * that can still cross keeps a place in time. */
static void test_no_place_to_a_load_that_spoils_anyway(void **state)
{
	(void)state;
	enum { H = 3600 };
	/* After the closure: four slots of one place each, from 10:00. */
	struct bf_plan_slot slots[] = {{0, 10 * H, 1}, {0, 11 * H, 1}, {0, 12 * H, 1}, {0, 13 * H, 1}};
	struct bf_plan_job jobs[6];
	for (int i = 0; i < 6; i++) {
		jobs[i] = (struct bf_plan_job){.value = 100, .deadline = (10 + i) * H, .n_options = 1, .slot = -1};
		jobs[i].options[0] = (struct bf_plan_option){0, 0};
	}
	/* Two rambutans worth less, whose deadline passed in the closure. */
	jobs[4].value = jobs[5].value = 10;
	jobs[4].deadline = jobs[5].deadline = 9 * H;
	struct bf_plan p = {slots, 4, jobs, 6, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_rebook(&p, 8 * H, &st), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(jobs[i].slot, i);
		assert_true(jobs[i].moved);
	}
	assert_int_equal(jobs[4].slot, -1);
	assert_int_equal(jobs[5].slot, -1);
	assert_false(jobs[4].moved); /* it held nothing, and holds nothing */
	assert_int_equal(st.unplaced, 2);
	assert_true(st.spoiled_value == 20);
}

/* A load that lost its slot takes the place of a less valuable one when
 * no rearrangement frees another; between equals, the one in place stays. */
static void test_the_more_valuable_load_keeps_crossing(void **state)
{
	(void)state;
	enum { H = 3600 };
	struct bf_plan_slot slots[] = {{0, H, 1}, {0, 2 * H, 1}};
	struct bf_plan_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct bf_plan_job){.value = 50, .deadline = 2 * H, .n_options = 1};
		jobs[i].options[0] = (struct bf_plan_option){0, 0};
	}
	jobs[0].slot = 0;
	jobs[0].value = 10; /* cheap, held */
	jobs[1].slot = 1;   /* held */
	jobs[2].slot = -1;  /* lost its slot; worth more than job 0 */
	jobs[3].slot = -1;  /* lost its slot; worth what job 1 is */
	struct bf_plan p = {slots, 2, jobs, 4, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_rebook(&p, 0, &st), 0);
	assert_int_equal(jobs[2].slot, 0);
	assert_int_equal(jobs[1].slot, 1);
	assert_false(jobs[1].moved);
	assert_int_equal(jobs[0].slot, -1);
	assert_true(jobs[0].moved);
	assert_int_equal(jobs[3].slot, -1);
	assert_true(st.spoiled_value == 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rebooking_equals_the_optimum),
	    cmocka_unit_test(test_no_place_to_a_load_that_spoils_anyway),
	    cmocka_unit_test(test_the_more_valuable_load_keeps_crossing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
