/* Release of a dataset's arrays. */
#include "model/dataset.h"

#include <stdlib.h>
#include <string.h>

void bf_dataset_free(struct bf_dataset *d)
{
	for (size_t i = 0; i < d->n_gates; i++)
		bf_gate_pair_clear(&d->gates[i]);
	free(d->gates);
	free(d->commodities);
	free(d->exporters);
	free(d->planting_areas);
	free(d->packing_houses);
	free(d->facilities);
	memset(d, 0, sizeof(*d));
}
