/* Random planning instances for the planner's tests and benchmark, and
 * their exact optimum by GLPK's min-cost flow (used only by tests and
 * benchmarks). Instances are discrete on purpose, as real ones are (loads
 * declared on the hour, a handful of commodities and origins), so that
 * identical loads merge into classes with the same optimum. */
#ifndef BF_TESTS_PLANGEN_H
#define BF_TESTS_PLANGEN_H

#include "plan/planner.h"

struct plangen {
	unsigned seed;
	int gates;      /* 1.. */
	int days;       /* horizon */
	int jobs;       /* consignments */
	int max_cap;    /* places per slot, 1..max_cap */
	int step_hours; /* loads are declared on this grid of hours; 0 means 1 */
};

/* Fills P with a new instance; release with plangen_free(). */
void plangen_make(const struct plangen *g, struct bf_plan *p);
void plangen_free(struct bf_plan *p);

/* The least spoiled value any plan can reach, by GLPK's out-of-kilter
 * min-cost flow on the network source -> job class -> on-time slot ->
 * sink, with a "spoils" arc per class. *SECONDS gets GLPK's time and
 * *CLASSES the number of merged classes. Returns a negative value if GLPK
 * fails. */
double plangen_optimum(const struct bf_plan *p, double *seconds, size_t *classes);

/* A change of capacity to rebook after, drawn from SEED: a gate closed for
 * some hours (its slots there gone), extended (slots added after its day
 * ends, and places added), or its lanes changed (places up or down). AFTER
 * gets BEFORE's jobs, each holding its slot in the new list or -1 where
 * the slot is gone; *NOW a time in the first half of the horizon; *KIND
 * 0, 1 or 2 as above. Release AFTER with plangen_free(). */
void plangen_disrupt(const struct bf_plan *before, unsigned seed, struct bf_plan *after, bf_time *now, int *kind);

/* The instance bf_plan_rebook(P, NOW) solves, as a plan plangen_optimum()
 * reads: each option from NOW, less the jobs that a slot begun before NOW
 * holds on time, and their places. Release VIEW with plangen_free(). */
void plangen_rebook_view(const struct bf_plan *p, bf_time now, struct bf_plan *view);

/* Checks that the plan respects capacities and that each job's slot is
 * at a gate it may use, no sooner than it can be there; 0 when it does. */
int plangen_check(const struct bf_plan *p, char *why, size_t cap);

#endif
