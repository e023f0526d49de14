/* libFuzzer harness: a scenario file read over the bundled data, and, when
 * it reads and is small, one replication of its baseline and one of its
 * last policy (where the booking and the changes are). */
#include "model/dataset.h"
#include "codec/dataset.h"
#include "codec/scenario.h"
#include "sim/season.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct bf_dataset dataset;

static void free_dataset(void)
{
	bf_dataset_free(&dataset);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct bf_error err = {0};
	(void)argc;
	(void)argv;
	if (bf_dataset_load(NULL, &dataset, &err) != 0) {
		fprintf(stderr, "fuzz: the bundled data does not load: %s\n", err.message);
		abort();
	}
	atexit(free_dataset);
	return 0;
}

/* Runs only scenarios that finish in a moment, even under the sanitizers
 * on a busy machine: a few days, a few hundred loads, and the planner's
 * rounds at most hourly (a round replans every pending load). */
static int small_enough(const struct bf_scenario *sc)
{
	double loads = 0;
	if (sc->days > 4)
		return 0;
	for (int i = 0; i < sc->n_flows; i++)
		loads +=
		    sc->flows[i].per_day * (sc->flows[i].peak_factor > 1 ? sc->flows[i].peak_factor : 1) * sc->days;
	for (int i = 0; i < sc->n_gates; i++)
		loads += sc->gates[i].initial_queue;
	for (int i = 0; i < sc->n_policies; i++)
		if (sc->policies[i].booking != BF_SIM_NO_BOOKING && sc->policies[i].replan_hours < 1)
			return 0;
	return loads <= 600;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bf_scenario *sc;
	struct bf_error err = {0};
	json_t *root;
	if (size > 64 * 1024)
		return -1;
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (root == NULL)
		return 0;
	sc = calloc(1, sizeof(*sc));
	if (bf_scenario_read("fuzz", root, &dataset, sc, &err) == 0) {
		if (small_enough(sc)) {
			int policies[2] = {0, sc->n_policies - 1};
			for (int i = 0; i < (policies[1] > 0 ? 2 : 1); i++) {
				struct bf_sim_run run = {0};
				if (bf_sim_run(sc, policies[i], 1, 0, &run) == 0)
					bf_sim_run_free(&run);
			}
		}
		bf_scenario_clear(sc);
	}
	free(sc);
	json_decref(root);
	return 0;
}
