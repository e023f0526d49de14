/* The planner on hand-made cases whose best answer is known. */
#include "util/testutil.h"

#include "model/error.h"
#include "plan/planner.h"

#include <string.h>

#define H 3600

static struct bf_plan_job job(double value, bf_time deadline, int gate, bf_time earliest)
{
	struct bf_plan_job j = {.value = value, .deadline = deadline, .n_options = 1, .slot = -1};
	j.options[0] = (struct bf_plan_option){gate, earliest};
	return j;
}

static void test_value_decides_when_capacity_is_short(void **state)
{
	(void)state;
	struct bf_plan_slot slots[] = {{0, 0, 1}};
	struct bf_plan_job jobs[] = {job(10, H, 0, 0), job(20, H, 0, 0)};
	struct bf_plan p = {slots, 1, jobs, 2, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_assign(&p, &st), 0);
	assert_int_equal(jobs[1].slot, 0);
	assert_int_equal(jobs[0].slot, -1);
	assert_int_equal(st.unplaced, 1);
	assert_true(st.spoiled_value == 10);
}

static void test_a_path_frees_the_place(void **state)
{
	(void)state;
	/* B (worth more) is placed first, in the first slot; A fits only
	 * there, so B must move to the second for both to be on time. */
	struct bf_plan_slot slots[] = {{0, 0, 1}, {0, H, 1}};
	struct bf_plan_job jobs[] = {job(10, 0, 0, 0), job(20, H, 0, 0)};
	struct bf_plan p = {slots, 2, jobs, 2, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_assign(&p, &st), 0);
	assert_int_equal(jobs[0].slot, 0);
	assert_int_equal(jobs[1].slot, 1);
	assert_int_equal(st.on_time, 2);
	assert_true(st.spoiled_value == 0);
	assert_true(st.waiting_hours == 1.0);
}

static void test_a_path_across_gates(void **state)
{
	(void)state;
	/* Gate 0 has one place, gate 1 one place an hour later. C can use
	 * either; D only gate 0. Both are on time only if C yields to D. */
	struct bf_plan_slot slots[] = {{0, 0, 1}, {1, H, 1}};
	struct bf_plan_job c = {.value = 50, .deadline = 2 * H, .n_options = 2, .slot = -1};
	c.options[0] = (struct bf_plan_option){0, 0};
	c.options[1] = (struct bf_plan_option){1, 0};
	struct bf_plan_job jobs[] = {c, job(5, 2 * H, 0, 0)};
	struct bf_plan p = {slots, 2, jobs, 2, 2, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_assign(&p, &st), 0);
	assert_int_equal(jobs[0].slot, 1);
	assert_int_equal(jobs[1].slot, 0);
	assert_int_equal(st.on_time, 2);
}

static void test_earliest_slot_and_late_jobs(void **state)
{
	(void)state;
	struct bf_plan_slot slots[] = {{0, 0, 1}, {0, H, 1}, {0, 2 * H, 1}, {0, 5 * H, 1}};
	/* Arrives at 0:30, so the first slot it may use is at 1:00. */
	struct bf_plan_job jobs[] = {job(100, 10 * H, 0, H / 2),
	                             /* Its deadline passed before any slot it can reach: late, in
	                              * the earliest slot left after its arrival. */
	                             job(7, H, 0, 2 * H)};
	struct bf_plan p = {slots, 4, jobs, 2, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_assign(&p, &st), 0);
	assert_int_equal(jobs[0].slot, 1);
	assert_int_equal(jobs[1].slot, 2);
	assert_true(jobs[1].late);
	assert_int_equal(st.late, 1);
	assert_true(st.spoiled_value == 7);
	assert_true(st.waiting_hours == 0.5);
}

static void test_rebook_moves_only_what_it_must(void **state)
{
	(void)state;
	/* Gate 0 closes; its two bookings must move; gate 1's stay. The new
	 * plan has gate 0's slot removed: slots renumbered as in the caller. */
	struct bf_plan_slot slots[] = {{1, 0, 2}, {1, H, 2}, {1, 2 * H, 1}};
	struct bf_plan_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct bf_plan_job){.value = 10, .deadline = 3 * H, .n_options = 2};
		jobs[i].options[0] = (struct bf_plan_option){0, 0};
		jobs[i].options[1] = (struct bf_plan_option){1, 0};
	}
	jobs[0].slot = 0;  /* at gate 1, stays */
	jobs[1].slot = 1;  /* at gate 1, stays */
	jobs[2].slot = -1; /* was at gate 0: must move */
	jobs[2].deadline = 5 * H;
	jobs[3].slot = -1; /* was at gate 0: must move; more perishable */
	jobs[3].deadline = H;
	struct bf_plan p = {slots, 3, jobs, 4, 2, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_rebook(&p, 0, &st), 0);
	assert_int_equal(jobs[0].slot, 0);
	assert_false(jobs[0].moved);
	assert_int_equal(jobs[1].slot, 1);
	assert_false(jobs[1].moved);
	/* The most perishable takes the earliest place left. */
	assert_int_equal(jobs[3].slot, 0);
	assert_true(jobs[3].moved);
	assert_int_equal(jobs[2].slot, 1);
	assert_int_equal(st.moved, 2);
	assert_int_equal(st.late, 0);
}

static void test_rebook_when_a_slot_shrinks(void **state)
{
	(void)state;
	/* A slot of 3 places falls to 1: the most perishable stays; the other
	 * two go to the next slot, which has one place, and the one after. */
	struct bf_plan_slot slots[] = {{0, 0, 1}, {0, H, 1}, {0, 4 * H, 5}};
	struct bf_plan_job jobs[] = {job(10, 5 * H, 0, 0), job(10, H / 2, 0, 0), job(10, 2 * H, 0, 0)};
	for (int i = 0; i < 3; i++)
		jobs[i].slot = 0;
	struct bf_plan p = {slots, 3, jobs, 3, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_rebook(&p, 0, &st), 0);
	assert_int_equal(jobs[1].slot, 0);
	assert_false(jobs[1].moved);
	assert_int_equal(jobs[2].slot, 1);
	assert_int_equal(jobs[0].slot, 2);
	assert_int_equal(st.moved, 2);
	assert_int_equal(st.late, 0);
}

static void test_rebook_after_an_extension(void **state)
{
	(void)state;
	/* A load booked late (at 5:00, deadline 2:00) moves into a slot the
	 * gate's extended hours add at 1:00; a load on time stays. */
	struct bf_plan_slot slots[] = {{0, 0, 1}, {0, H, 1}, {0, 5 * H, 2}};
	struct bf_plan_job jobs[] = {job(10, 2 * H, 0, 0), job(10, 9 * H, 0, 0)};
	jobs[0].slot = 2;
	jobs[1].slot = 2;
	struct bf_plan p = {slots, 3, jobs, 2, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_rebook(&p, 0, &st), 0);
	assert_int_equal(jobs[0].slot, 0);
	assert_true(jobs[0].moved);
	assert_false(jobs[0].late);
	assert_int_equal(jobs[1].slot, 2);
	assert_false(jobs[1].moved);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct bf_plan_slot unsorted[] = {{0, H, 1}, {0, 0, 1}};
	struct bf_plan_job jobs[] = {job(1, H, 0, 0)};
	struct bf_plan p = {unsorted, 2, jobs, 1, 1, false};
	assert_int_equal(bf_plan_assign(&p, NULL), BF_EINVAL);
	struct bf_plan_slot slots[] = {{0, 0, 1}};
	struct bf_plan_job far[] = {job(1, H, 3, 0)};
	struct bf_plan q = {slots, 1, far, 1, 1, false};
	assert_int_equal(bf_plan_assign(&q, NULL), BF_EINVAL);
	struct bf_plan empty = {slots, 1, NULL, 0, 1, false};
	struct bf_plan_stats st;
	assert_int_equal(bf_plan_assign(&empty, &st), 0);
	assert_int_equal(st.on_time + st.late + st.unplaced, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_value_decides_when_capacity_is_short),
	    cmocka_unit_test(test_a_path_frees_the_place),
	    cmocka_unit_test(test_a_path_across_gates),
	    cmocka_unit_test(test_earliest_slot_and_late_jobs),
	    cmocka_unit_test(test_rebook_moves_only_what_it_must),
	    cmocka_unit_test(test_rebook_when_a_slot_shrinks),
	    cmocka_unit_test(test_rebook_after_an_extension),
	    cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
