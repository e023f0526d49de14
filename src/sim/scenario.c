/* What a scenario owns. */
#include "sim/scenario.h"

#include <stdlib.h>

void bf_scenario_clear(struct bf_scenario *sc)
{
	for (int i = 0; i < sc->n_policies; i++) {
		if (sc->policies[i].pairs)
			for (int g = 0; g < sc->n_gates; g++)
				bf_gate_pair_clear(&sc->policies[i].pairs[g]);
		free(sc->policies[i].pairs);
		sc->policies[i].pairs = NULL;
	}
	sc->n_policies = 0;
}
