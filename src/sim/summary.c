/* Means, confidence intervals and paired differences over replications. */
#include "sim/summary.h"

#include "model/error.h"

#include <math.h>
#include <stdlib.h>

static const char *const figure_names[BF_FIG_COUNT] = {
    "crossings_per_day", "wait_mean_hours", "wait_p50_hours",    "wait_p90_hours", "wait_p99_hours",
    "longest_queue",     "spoiled_loads",   "spoiled_value_usd", "utilisation",
};

const char *bf_sim_figure_name(enum bf_sim_figure f)
{
	return f < BF_FIG_COUNT ? figure_names[f] : "";
}

double bf_sim_figure_of(const struct bf_sim_gate_result *g, enum bf_sim_figure f)
{
	switch (f) {
	case BF_FIG_CROSSINGS_PER_DAY:
		return g->crossings_per_day;
	case BF_FIG_WAIT_MEAN:
		return g->wait_mean;
	case BF_FIG_WAIT_P50:
		return g->wait_p50;
	case BF_FIG_WAIT_P90:
		return g->wait_p90;
	case BF_FIG_WAIT_P99:
		return g->wait_p99;
	case BF_FIG_LONGEST_QUEUE:
		return g->longest_queue;
	case BF_FIG_SPOILED_LOADS:
		return (double)g->spoiled_loads;
	case BF_FIG_SPOILED_VALUE:
		return g->spoiled_value;
	case BF_FIG_UTILISATION:
		return g->utilisation;
	case BF_FIG_COUNT:
		break;
	}
	return 0;
}

double bf_summary_t975(int df)
{
	/* Exact to three decimals up to 30 degrees of freedom; beyond, the
	 * Cornish-Fisher expansion about the normal quantile, which is closer
	 * than 1e-4 there. */
	static const double table[31] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	                                 2.201, 2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080,
	                                 2.074, 2.069,  2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
	if (df < 1)
		return INFINITY;
	if (df <= 30)
		return table[df];
	double z = 1.959963984540054, n = df;
	double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
	return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
	       (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

static struct bf_sim_estimate estimate(const double *x, int n)
{
	struct bf_sim_estimate e = {0, 0};
	double sum = 0, sq = 0;
	for (int i = 0; i < n; i++)
		sum += x[i];
	e.mean = n > 0 ? sum / n : 0;
	for (int i = 0; i < n; i++)
		sq += (x[i] - e.mean) * (x[i] - e.mean);
	e.half = n > 1 ? bf_summary_t975(n - 1) * sqrt(sq / (n - 1)) / sqrt((double)n) : INFINITY;
	if (n > 1 && sq == 0)
		e.half = 0;
	return e;
}

void bf_sim_summarise(const struct bf_scenario *sc, const struct bf_sim_run *runs, int replications, uint64_t seed,
                      struct bf_sim_summary *out)
{
	int ng = sc->n_gates + 1, reps = replications;
	out->n_policies = sc->n_policies;
	out->n_gates = sc->n_gates;
	out->days = sc->days;
	out->replications = reps;
	out->seed = seed;
	out->cells = bf_xcalloc((size_t)sc->n_policies * (size_t)ng, sizeof(*out->cells));
	double *x = bf_xcalloc((size_t)reps, sizeof(double));
	for (int p = 0; p < sc->n_policies; p++)
		for (int g = 0; g < ng; g++) {
			struct bf_sim_cell *c = bf_sim_cell_at(out, p, g);
			c->queue_by_day = bf_xcalloc((size_t)sc->days, sizeof(double));
			for (int r = 0; r < reps; r++) {
				const struct bf_sim_gate_result *gr =
				    &runs[(size_t)p * (size_t)reps + (size_t)r].gates[g];
				c->loads += gr->loads;
				c->crossed += gr->crossed;
				c->in_system += gr->in_system;
				c->spoiled += gr->spoiled;
				c->returned += gr->returned;
				for (int d = 0; d < sc->days; d++)
					c->queue_by_day[d] += gr->queue_by_day[d] / reps;
			}
			for (int f = 0; f < BF_FIG_COUNT; f++) {
				for (int r = 0; r < reps; r++)
					x[r] = bf_sim_figure_of(&runs[(size_t)p * (size_t)reps + (size_t)r].gates[g],
					                        (enum bf_sim_figure)f);
				c->value[f] = estimate(x, reps);
				if (p == 0)
					continue;
				/* Paired by replication: the same loads under both. */
				for (int r = 0; r < reps; r++)
					x[r] -= bf_sim_figure_of(&runs[(size_t)r].gates[g], (enum bf_sim_figure)f);
				c->diff[f] = estimate(x, reps);
			}
		}
	free(x);
}

void bf_sim_summary_free(struct bf_sim_summary *s)
{
	if (s->cells)
		for (int i = 0; i < s->n_policies * (s->n_gates + 1); i++)
			free(s->cells[i].queue_by_day);
	free(s->cells);
	s->cells = NULL;
}
