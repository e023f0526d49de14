/* A scenario: a harvest season at a set of gate pairs, the loads that come
 * to them, and the policies to compare. Plain data, filled by the scenario
 * reader (codec/scenario.c) from a file in data/scenarios/, the format
 * of which docs/scenarios.md describes field by field.
 *
 * A policy is expressed in the server's own terms (invariant 6): dated
 * extensions and closures of each side's hours, dated lane changes, the
 * commodity classes a gate is designated for, a rail pair's timetable of
 * cargo trains, and whether loads book slots through the planner. Each
 * policy carries its own copy of the gate pairs with its changes applied,
 * which is exactly what the server would load and plan with. */
#ifndef BF_SIM_SCENARIO_H
#define BF_SIM_SCENARIO_H

#include "model/gate.h"
#include "model/time.h"

#include <stddef.h>

#define BF_SIM_NAME_MAX     48
#define BF_SIM_TEXT_MAX     512
#define BF_SIM_MAX_GATES    24
#define BF_SIM_MAX_FLOWS    32
#define BF_SIM_MAX_POLICIES 16
#define BF_SIM_MAX_DAYS     366
#define BF_SIM_FLOW_GATES   8

/* A service time: its distribution and mean, in hours. */
enum bf_dist_kind { BF_DIST_FIXED, BF_DIST_EXPONENTIAL, BF_DIST_LOGNORMAL };

struct bf_dist {
	enum bf_dist_kind kind;
	double mean; /* hours; 0 means the step takes no time */
	double cv;   /* coefficient of variation, for the lognormal */
};

/* One side's clearance at a gate: every vehicle takes BASE; a share is
 * routed to the yellow lane (document check) or the red lane (physical
 * inspection), which add their own time; a share of red inspections ends
 * in refusal, and the load goes back. */
struct bf_sim_side {
	struct bf_dist base, yellow, red;
	double p_yellow, p_red, p_refuse; /* p_refuse is a share of red */
};

struct bf_sim_gate {
	char id[BF_GATE_ID_MAX + 1];
	struct bf_sim_side side[2]; /* 0 = export side (A), 1 = import side (B) */
	int initial_queue;          /* loads already waiting in the yard at the start */
	double initial_age_max;     /* hours; their ages are uniform on [0, this] */
};

/* A stream of loads of one commodity from one growing area. */
struct bf_sim_flow {
	char name[BF_SIM_NAME_MAX];
	char commodity[BF_SIM_NAME_MAX]; /* the commodity's HS code, for reports */
	enum bf_commodity_class klass;
	double tonnes;                    /* per load */
	double value;                     /* per load, US dollars */
	double shelf_life;                /* hours from loading */
	double per_day;                   /* loads a day outside the peak */
	double peak_day;                  /* day of the season of the harvest peak, from 0 */
	double peak_factor;               /* loads a day at the peak over PER_DAY, at least 1 */
	double peak_width;                /* days: the peak's standard deviation */
	double hourly[24];                /* share of a day's loads leaving in each hour (side A time), sums to 1 */
	int n_gates;                      /* the gates it may use, in order of preference */
	int gates[BF_SIM_FLOW_GATES];     /* indexes into the scenario's gates */
	double travel[BF_SIM_FLOW_GATES]; /* hours from the growing area to each */
	double travel_cv;                 /* spread of travel times */
};

enum bf_sim_booking {
	BF_SIM_NO_BOOKING, /* loads drive to the gate and queue in order of arrival */
	BF_SIM_BOOK_FCFS,  /* loads book the earliest free slot, in order of declaration */
	BF_SIM_BOOK_PLAN   /* the planner assigns slots: perishable and valuable loads first */
};

struct bf_sim_policy {
	char name[BF_SIM_NAME_MAX];
	char description[BF_SIM_TEXT_MAX];
	enum bf_sim_booking booking;
	double replan_hours;        /* booking: how often the planner runs over new declarations */
	struct bf_gate_pair *pairs; /* one a scenario gate, with this policy's changes; owned */
};

struct bf_scenario {
	char name[BF_SIM_NAME_MAX];
	char title[BF_SIM_TEXT_MAX];
	bf_time start; /* 00:00 of the first day in side A's time of the first gate */
	int days;
	int warmup_days; /* left out of the statistics */
	int n_gates;
	struct bf_sim_gate gates[BF_SIM_MAX_GATES];
	int n_flows;
	struct bf_sim_flow flows[BF_SIM_MAX_FLOWS];
	int n_policies; /* policies[0] is the baseline */
	struct bf_sim_policy policies[BF_SIM_MAX_POLICIES];
};

/* Frees what the policies own. */
void bf_scenario_clear(struct bf_scenario *sc);
/* Frees what policy P owns, leaving it in place with no pairs. */
void bf_scenario_policy_clear(struct bf_scenario *sc, int p);

#endif
