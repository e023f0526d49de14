/* Writing a simulation's results (codec/summary.c): the summary of every
 * policy and gate as JSON, CSV or a table. */
#ifndef BF_CODEC_SUMMARY_H
#define BF_CODEC_SUMMARY_H

#include "codec/scenario.h"
#include "sim/summary.h"

#include <jansson.h>
#include <stdio.h>

/* The results as a JSON document (docs/scenarios.md, "Results"). */
json_t *bf_summary_json(const struct bf_scenario *sc, const struct bf_sim_summary *s);
/* One row a policy, gate and figure: mean and interval, and the
 * difference from the baseline with its interval. */
void bf_summary_csv(const struct bf_scenario *sc, const struct bf_sim_summary *s, FILE *out);
/* A table a policy, for people. */
void bf_summary_text(const struct bf_scenario *sc, const struct bf_sim_summary *s, FILE *out);

#endif
