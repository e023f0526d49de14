/* Reading a simulation scenario (docs/scenarios.md) over the reference
 * data, from a file or a bundled scenario. */
#ifndef BF_CODEC_SCENARIO_H
#define BF_CODEC_SCENARIO_H

#include "model/dataset.h"
#include "model/error.h"
#include "sim/season.h"

#include <jansson.h>

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

#endif
