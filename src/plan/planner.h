/* The slot planner: which consignment crosses in which slot. A pure
 * library over plain arrays, shared by the server and the simulator.
 *
 * Its objective, in order: first the value that spoils (loads that cannot
 * start crossing by their deadline), then the hours loads wait between
 * reaching a gate and their slot. bf_plan_assign() builds a whole plan;
 * bf_plan_rebook() repairs one after capacity changes, moving only the
 * bookings it must, the most perishable first. Neither allocates beyond
 * its own scratch, which it frees; neither keeps state between calls. */
#ifndef BF_PLAN_PLANNER_H
#define BF_PLAN_PLANNER_H

#include "model/time.h"

#include <stdbool.h>
#include <stddef.h>

/* A slot: GATE is an index into the caller's gates, from 0. */
struct bf_plan_slot {
	int gate;
	bf_time start;
	int capacity;
};

#define BF_PLAN_MAX_OPTIONS 8

/* A gate a job may cross at, and when it can be there at the earliest. */
struct bf_plan_option {
	int gate;
	bf_time earliest;
};

struct bf_plan_job {
	double value;     /* what spoils if it misses its deadline */
	bf_time deadline; /* the latest slot start that still crosses in time */
	int n_options;
	struct bf_plan_option options[BF_PLAN_MAX_OPTIONS];
	/* In for bf_plan_rebook(): the slot it holds, or -1 if it lost it.
	 * Out: the slot it is given, or -1 if there is none. */
	int slot;
	/* Out. */
	bool late;  /* given a slot after its deadline: it spoils */
	bool moved; /* bf_plan_rebook() moved it */
};

struct bf_plan {
	struct bf_plan_slot *slots; /* sorted by start */
	size_t n_slots;
	struct bf_plan_job *jobs;
	size_t n_jobs;
	int n_gates;
	/* bf_plan_assign: book as late as windows allow before shortening
	 * waits. The same value is kept; faster where early places are fought
	 * over by many loads (a backlog), slower where places are plenty. */
	bool pack_late;
};

struct bf_plan_stats {
	double spoiled_value; /* value of late and unplaced jobs */
	double waiting_hours; /* over jobs on time */
	size_t on_time, late, unplaced, moved;
};

/* Assigns every job a slot: on time where capacity allows, the more
 * valuable first where it does not; late jobs get the earliest slot left
 * after their arrival, or none. Returns 0, or BF_EINVAL when slots are not
 * sorted or a job names a gate out of range. */
int bf_plan_assign(struct bf_plan *p, struct bf_plan_stats *stats);

/* Repairs a plan after capacities changed (SLOTS hold the new ones; a
 * slot that is gone is absent, and its jobs carry slot -1). Jobs over a
 * slot's new capacity give way, the least perishable first; every job
 * that must move is placed, the most perishable first, in the earliest
 * slot from NOW that keeps it on time, else the earliest at all. Late jobs
 * that new capacity can put on time are moved too. Nothing else moves. */
int bf_plan_rebook(struct bf_plan *p, bf_time now, struct bf_plan_stats *stats);

/* Recomputes STATS for the plan as it stands. */
void bf_plan_measure(const struct bf_plan *p, struct bf_plan_stats *stats);

#endif
