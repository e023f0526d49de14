/* The reference data a node starts from: gate pairs, commodities and the
 * registry. A dataset owns every array it holds. */
#ifndef BF_MODEL_DATASET_H
#define BF_MODEL_DATASET_H

#include "model/commodity.h"
#include "model/gate.h"
#include "model/registry.h"

#include <stddef.h>

struct bf_dataset {
	struct bf_gate_pair *gates;
	size_t n_gates;
	struct bf_commodity *commodities;
	size_t n_commodities;
	struct bf_exporter *exporters;
	size_t n_exporters;
	struct bf_planting_area *planting_areas;
	size_t n_planting_areas;
	struct bf_packing_house *packing_houses;
	size_t n_packing_houses;
	struct bf_facility *facilities;
	size_t n_facilities;
};

void bf_dataset_free(struct bf_dataset *d);

#endif
