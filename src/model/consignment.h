/* A consignment: one load declared by an exporter for one crossing, and
 * where it stands in the lifecycle (model/lifecycle.h). */
#ifndef BF_MODEL_CONSIGNMENT_H
#define BF_MODEL_CONSIGNMENT_H

#include "model/commodity.h"
#include "model/gate.h"
#include "model/lifecycle.h"
#include "model/registry.h"
#include "model/time.h"

#define BF_MAX_PLANTING_AREAS 16
#define BF_PLATE_MAX          16
#define BF_CERT_MAX           40

enum bf_conveyance { BF_CONVEY_TRUCK, BF_CONVEY_WAGON };

struct bf_consignment {
	char id[40];
	char exporter_id[BF_CODE_MAX + 1];
	char hs_code[BF_HS_MAX + 1];
	double net_weight_kg;
	int packages;
	int n_planting_areas;
	char planting_areas[BF_MAX_PLANTING_AREAS][BF_CODE_MAX + 1];
	char packing_house[BF_CODE_MAX + 1];
	char phyto_certificate[BF_CERT_MAX + 1];
	enum bf_conveyance conveyance;
	char vehicle[BF_PLATE_MAX + 1]; /* plate of a truck or number of a wagon */
	enum bf_direction direction;
	char destination[3];
	char preferred_gate[BF_GATE_ID_MAX + 1]; /* "" for any */
	enum bf_state state;
	bf_time declared_at;
};

/* Checks the fields' own shapes and ranges; the registry checks of the
 * official channel are the service layer's. */
int bf_consignment_validate_shape(const struct bf_consignment *c, struct bf_error *err);

#endif
