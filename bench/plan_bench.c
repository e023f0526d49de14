/* Benchmark of the slot planner: 100,000 consignments over 20 gates and 14
 * days of 30-minute slots. Prints the time to assign them (best of
 * several runs, one core), the value left to spoil beside the exact
 * optimum GLPK's min-cost flow finds for the same instance (identical
 * loads merged into classes), the speed ratio against GLPK from the same
 * run, and the time to rebook after the busiest gate closes for 24 hours,
 * with the value it lets spoil beside GLPK's optimum for the changed
 * slots. */
#include "util/plangen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct plangen g = {.seed = 2026, .gates = 20, .days = 14, .jobs = 100000, .max_cap = 40, .step_hours = 3};
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	struct bf_plan p;
	struct bf_plan_stats st = {0};
	double best = 1e9;

	plangen_make(&g, &p);
	size_t capacity = 0;
	for (size_t s = 0; s < p.n_slots; s++)
		capacity += (size_t)p.slots[s].capacity;
	printf("instance: %zu consignments, %d gates, %d days, %zu slots, %zu places\n", p.n_jobs, g.gates, g.days,
	       p.n_slots, capacity);
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		if (bf_plan_assign(&p, &st) != 0) {
			fprintf(stderr, "assign failed\n");
			return 1;
		}
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	char why[160];
	if (plangen_check(&p, why, sizeof(why)) != 0) {
		fprintf(stderr, "invalid plan: %s\n", why);
		return 1;
	}
	printf("planner: %.1f ms (best of %d), %zu on time, %zu late, %zu unplaced, spoiled %.0f USD, waiting %.0f h\n",
	       best * 1e3, runs, st.on_time, st.late, st.unplaced, st.spoiled_value, st.waiting_hours);

	double glpk_s = 0;
	size_t classes = 0;
	double opt = plangen_optimum(&p, &glpk_s, &classes);
	if (opt < 0) {
		fprintf(stderr, "GLPK failed\n");
		return 1;
	}
	double gap = opt > 0 ? (st.spoiled_value - opt) / opt * 100 : (st.spoiled_value > 0 ? 100 : 0);
	printf("GLPK min-cost flow (out-of-kilter, %zu classes): %.1f ms, optimum spoiled %.0f USD\n", classes,
	       glpk_s * 1e3, opt);
	printf("planner cost vs optimum: %+.3f%% (target: within 1%%)\n", gap);
	printf("speed: planner %.1fx faster than GLPK on the same instance\n", glpk_s / best);
	printf("target: assign in under 200 ms: %s\n", best < 0.2 ? "met" : "NOT met");

	/* The busiest gate closes for 24 hours from the middle of the horizon. */
	int *load = calloc((size_t)p.n_gates, sizeof(int));
	for (size_t j = 0; j < p.n_jobs; j++)
		if (p.jobs[j].slot >= 0)
			load[p.slots[p.jobs[j].slot].gate]++;
	int busiest = 0;
	for (int k = 1; k < p.n_gates; k++)
		if (load[k] > load[busiest])
			busiest = k;
	bf_time from = (bf_time)g.days / 2 * 86400, to = from + 86400;
	struct bf_plan after = p;
	after.slots = malloc(p.n_slots * sizeof(*p.slots));
	after.jobs = malloc(p.n_jobs * sizeof(*p.jobs));
	int *renumber = malloc(p.n_slots * sizeof(int));
	after.n_slots = 0;
	for (size_t s = 0; s < p.n_slots; s++) {
		bool closed = p.slots[s].gate == busiest && p.slots[s].start >= from && p.slots[s].start < to;
		renumber[s] = closed ? -1 : (int)after.n_slots;
		if (!closed)
			after.slots[after.n_slots++] = p.slots[s];
	}
	double best_rebook = 1e9, rebook_opt = -1;
	struct bf_plan_stats rs = {0};
	for (int r = 0; r < runs; r++) {
		memcpy(after.jobs, p.jobs, p.n_jobs * sizeof(*p.jobs));
		for (size_t j = 0; j < p.n_jobs; j++)
			after.jobs[j].slot = p.jobs[j].slot >= 0 ? renumber[p.jobs[j].slot] : -1;
		if (r == 0) {
			struct bf_plan view;
			plangen_rebook_view(&after, from, &view);
			rebook_opt = plangen_optimum(&view, NULL, NULL);
			plangen_free(&view);
		}
		double t0 = now();
		bf_plan_rebook(&after, from, &rs);
		double t = now() - t0;
		if (t < best_rebook)
			best_rebook = t;
	}
	size_t kept_elsewhere = 0, moved_elsewhere = 0, displaced = 0, replaced = 0;
	for (size_t j = 0; j < p.n_jobs; j++) {
		if (p.jobs[j].slot >= 0 && renumber[p.jobs[j].slot] < 0) {
			displaced++;
			replaced += after.jobs[j].slot >= 0;
		}
	}
	for (size_t j = 0; j < p.n_jobs; j++) {
		if (p.jobs[j].slot < 0 || p.slots[p.jobs[j].slot].gate == busiest)
			continue;
		if (after.jobs[j].moved)
			moved_elsewhere++;
		else
			kept_elsewhere++;
	}
	printf("rebooking after gate %d (%d bookings over 14 days) closes for 24 h: %.1f ms (best of %d); "
	       "%zu bookings lost their slot, %zu of them rebooked, %zu left without one (reported); "
	       "%zu bookings at other gates kept, %zu moved; spoiled %.0f USD (was %.0f; GLPK's optimum for the "
	       "changed slots %.0f)\n",
	       busiest, load[busiest], best_rebook * 1e3, runs, displaced, replaced, displaced - replaced,
	       kept_elsewhere, moved_elsewhere, rs.spoiled_value, st.spoiled_value, rebook_opt);
	printf("rebooking cost vs optimum: %+.3f%% (target: exact)\n",
	       rebook_opt > 0 ? (rs.spoiled_value - rebook_opt) / rebook_opt * 100 : rs.spoiled_value - rebook_opt);
	printf("target: rebook in under 50 ms: %s\n", best_rebook < 0.05 ? "met" : "NOT met");
	free(load);
	free(renumber);
	free(after.slots);
	free(after.jobs);
	plangen_free(&p);
	return 0;
}
