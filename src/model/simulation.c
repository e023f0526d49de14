/* What a simulation record owns (model/simulation.h). */
#include "model/simulation.h"

#include <stdlib.h>

void bf_simulation_free(struct bf_simulation *sim)
{
	free(sim->request);
	free(sim->result);
	free(sim->error);
	sim->request = sim->result = sim->error = NULL;
}
