/* Reading a simulation scenario (docs/scenarios.md) over the reference
 * data, and writing a simulation's results as JSON, CSV or text. */
#ifndef BF_SERVICE_SCENARIO_H
#define BF_SERVICE_SCENARIO_H

#include "model/dataset.h"
#include "model/error.h"
#include "sim/season.h"
#include "sim/summary.h"

#include <jansson.h>
#include <stdio.h>

/* Fills SC from the scenario ROOT over the gate pairs and commodities of
 * DATA. NAME says where ROOT came from, for messages; every error names
 * the field by its path ("policies[2].changes[0].gates[1]"). On failure SC
 * owns nothing. */
int bf_scenario_read(const char *name, json_t *root, const struct bf_dataset *data, struct bf_scenario *sc,
                     struct bf_error *err);

/* Reads SPEC: a path to a file, or the name of a bundled scenario
 * ("lang-son-2021"). */
int bf_scenario_load(const char *spec, const struct bf_dataset *data, struct bf_scenario *sc, struct bf_error *err);

/* The text of the bundled scenario NAME, or NULL. */
const char *bf_scenario_bundled(const char *name);
/* The names of the bundled scenarios, NULL-terminated; static. */
const char *const *bf_scenario_bundled_names(void);

/* The results as a JSON document (docs/scenarios.md, "Results"). */
json_t *bf_sim_summary_json(const struct bf_scenario *sc, const struct bf_sim_summary *s);
/* One row a policy, gate and figure: mean and interval, and the
 * difference from the baseline with its interval. */
void bf_sim_summary_csv(const struct bf_scenario *sc, const struct bf_sim_summary *s, FILE *out);
/* A table a policy, for people. */
void bf_sim_summary_text(const struct bf_scenario *sc, const struct bf_sim_summary *s, FILE *out);

#endif
