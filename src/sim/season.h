/* The season simulator: one replication of one policy of a scenario, a
 * discrete-event simulation of every load from its growing area to the
 * far side of the border, and the Monte Carlo runner over replications,
 * policies and threads.
 *
 * A load becomes ready at its growing area (a non-homogeneous Poisson
 * process per flow: a daily rate with a harvest peak, spread over the
 * hours of the day), travels to a gate, waits in the gate's yard, clears
 * the export side and then the import side in lanes that work only while
 * both sides are open (the crossing windows of the real gate model, with
 * the policy's extensions, closures and lane changes), and crosses. At a
 * rail pair it waits for a cargo train with a free farm wagon instead. A
 * load that has not started clearance by its deadline (ready time plus
 * shelf life, less the hours a crossing takes) spoils; a load refused
 * after a physical inspection is returned.
 *
 * Without booking a load drives off at once to the allowed gate with the
 * least expected time to cross (travel plus its backlog over its
 * capacity, the figures a driver reads on the dashboard), and yards serve
 * in order of arrival. With booking, loads book slots of the same
 * capacity model the server books (plan/capacity.c): first come first
 * served at once, or through the planner (plan/planner.c) every
 * replan_hours; a booked load leaves so as to reach the gate two hours
 * before its slot,
 * and yards serve in order of slot.
 *
 * Common random numbers: a replication's loads, their travel times,
 * control lanes and service times are drawn from streams of their own
 * before the run, so every policy meets the same loads. */
#ifndef BF_SIM_SEASON_H
#define BF_SIM_SEASON_H

#include "sim/scenario.h"

#include <stdbool.h>
#include <stdint.h>

/* Waits are kept in bins of six minutes up to forty days, for quantiles. */
#define BF_SIM_WAIT_BIN_HOURS 0.1
#define BF_SIM_WAIT_BINS      9600

/* What one gate (or the whole border, as the last entry) did in one
 * replication; every figure is over the measured days (after warm-up),
 * except the accounting counts, which cover the whole run. */
struct bf_sim_gate_result {
	/* Accounting: every load that came to the gate is in exactly one of
	 * crossed, in_system, spoiled and returned at the end. For the whole
	 * border, loads is every load of the run and in_system includes those
	 * not yet on the road. */
	long loads, crossed, in_system, spoiled, returned;
	/* Measured. */
	double crossings_per_day;
	double wait_mean, wait_p50, wait_p90, wait_p99; /* hours in the yard before clearance */
	long waits;                                     /* loads the wait figures are over */
	int longest_queue;                              /* most loads in the yard at once */
	long spoiled_loads;
	double spoiled_value; /* US dollars */
	double utilisation;   /* busy over open lane-hours of the export side */
	double *queue_by_day; /* the day's time-average of the yard; DAYS entries, owned */
	/* Little's law on the yard, over the whole run: the area under the
	 * yard's count, and the sum of the loads' times in the yard. */
	double yard_area, yard_time;
	long yard_entries;
};

struct bf_sim_run {
	int n_gates;                      /* scenario gates; results has n_gates + 1 */
	struct bf_sim_gate_result *gates; /* owned; [n_gates] is the whole border */
	long events;
	double hours;
};

/* Runs replication REPLICATION of policy POLICY. 0, or BF_EINVAL. */
int bf_sim_run(const struct bf_scenario *sc, int policy, uint64_t seed, uint64_t replication, struct bf_sim_run *out);
void bf_sim_run_free(struct bf_sim_run *r);

/* Called from the runner's threads after each finished run, under a
 * lock, with the number done and the total; may be NULL. Returning false
 * stops the runner: no run starts after. */
typedef bool (*bf_sim_progress_fn)(void *ctx, long done, long total);

/* What bf_sim_replicate() returns when its progress function stopped it. */
#define BF_SIM_STOPPED 1

/* Runs REPLICATIONS of every policy on THREADS threads. OUT has
 * n_policies * REPLICATIONS runs, policy-major; each is the same whatever
 * THREADS is. Runs not made (after a stop) are left zeroed. */
int bf_sim_replicate(const struct bf_scenario *sc, uint64_t seed, int replications, int threads,
                     bf_sim_progress_fn progress, void *ctx, struct bf_sim_run *out);

#endif
