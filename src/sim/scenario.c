/* What a scenario owns. */
#include "sim/scenario.h"

#include <stdlib.h>

void bf_scenario_policy_clear(struct bf_scenario *sc, int p)
{
	struct bf_sim_policy *pol = &sc->policies[p];
	if (pol->pairs)
		for (int g = 0; g < sc->n_gates; g++)
			bf_gate_pair_clear(&pol->pairs[g]);
	free(pol->pairs);
	pol->pairs = NULL;
}

void bf_scenario_clear(struct bf_scenario *sc)
{
	for (int i = 0; i < sc->n_policies; i++)
		bf_scenario_policy_clear(sc, i);
	sc->n_policies = 0;
}
