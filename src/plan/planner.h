/* The slot planner: which consignment crosses in which slot. A pure
 * library over plain arrays, shared by the server and the simulator.
 *
 * Its objective, in order: first the value that spoils (loads that cannot
 * start crossing by their deadline), then the hours loads wait between
 * reaching a gate and their slot. bf_plan_assign() builds a whole plan;
 * bf_plan_rebook() repairs one after capacity changes, to the same first
 * objective, keeping every booking it can where it is. Neither allocates
 * beyond its own scratch, which it frees; neither keeps state between
 * calls. */
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
 * slot that is gone is absent, and its jobs carry slot -1), exactly as
 * bf_plan_assign() plans: the value that spoils is the least any plan of
 * the new slots allows. A job keeps the slot it holds while it is on time
 * there and the slot has room (where a slot shrank, the most perishable
 * stay). The others, the most valuable first, take the earliest free
 * place in time for them, shifting booked jobs along a shortest chain of
 * slots where that frees one; failing that, the place of the least
 * valuable job they can replace, if it is worth less. A job that cannot
 * be on time gets no slot (-1): none is given a slot past its deadline,
 * so none takes a place from a job that can still be on time. Jobs take
 * slots from NOW or their earliest, whichever is later; a slot that began
 * before NOW is under way, and the jobs it holds on time stay there (the
 * most perishable, where it shrank). MOVED tells whose
 * slot changed (given, changed or lost). Returns 0, or BF_EINVAL as
 * bf_plan_assign() does, with the jobs as they were. */
int bf_plan_rebook(struct bf_plan *p, bf_time now, struct bf_plan_stats *stats);

/* Recomputes STATS for the plan as it stands. */
void bf_plan_measure(const struct bf_plan *p, struct bf_plan_stats *stats);

#endif
