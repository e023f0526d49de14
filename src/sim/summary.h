/* The Monte Carlo summary of a simulation: for each policy, gate and
 * figure, the mean over the replications with its 95% confidence interval,
 * and for each variant the paired difference from the baseline (the same
 * replication, hence the same loads) with its own interval. */
#ifndef BF_SIM_SUMMARY_H
#define BF_SIM_SUMMARY_H

#include "sim/season.h"

enum bf_sim_figure {
	BF_FIG_CROSSINGS_PER_DAY,
	BF_FIG_WAIT_MEAN,
	BF_FIG_WAIT_P50,
	BF_FIG_WAIT_P90,
	BF_FIG_WAIT_P99,
	BF_FIG_LONGEST_QUEUE,
	BF_FIG_SPOILED_LOADS,
	BF_FIG_SPOILED_VALUE,
	BF_FIG_UTILISATION,
	BF_FIG_COUNT
};

/* "crossings_per_day", "wait_mean_hours", ... */
const char *bf_sim_figure_name(enum bf_sim_figure f);
double bf_sim_figure_of(const struct bf_sim_gate_result *g, enum bf_sim_figure f);

struct bf_sim_estimate {
	double mean, half; /* the interval is mean ± half */
};

struct bf_sim_cell {
	struct bf_sim_estimate value[BF_FIG_COUNT];
	struct bf_sim_estimate diff[BF_FIG_COUNT]; /* from the baseline; zero for the baseline */
	double *queue_by_day;                      /* mean over replications; DAYS entries */
	/* Accounting summed over the replications. */
	long loads, crossed, in_system, spoiled, returned;
};

struct bf_sim_summary {
	int n_policies, n_gates, days, replications;
	uint64_t seed;
	struct bf_sim_cell *cells; /* [policy * (n_gates + 1) + gate]; gate n_gates is the whole border */
};

/* Student's t quantile for a two-sided 95% interval with DF degrees of
 * freedom. */
double bf_summary_t975(int df);

/* Summarises RUNS (policy-major, REPLICATIONS each, as bf_sim_replicate
 * fills them). */
void bf_sim_summarise(const struct bf_scenario *sc, const struct bf_sim_run *runs, int replications, uint64_t seed,
                      struct bf_sim_summary *out);
void bf_sim_summary_free(struct bf_sim_summary *s);

static inline struct bf_sim_cell *bf_sim_cell_at(const struct bf_sim_summary *s, int policy, int gate)
{
	return &s->cells[(size_t)policy * (size_t)(s->n_gates + 1) + (size_t)gate];
}

#endif
