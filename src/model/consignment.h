/* A consignment: one load declared by a carrier for an exporter, for one
 * crossing, and where it stands in the lifecycle (model/lifecycle.h). */
#ifndef BF_MODEL_CONSIGNMENT_H
#define BF_MODEL_CONSIGNMENT_H

#include "model/commodity.h"
#include "model/gate.h"
#include "model/lifecycle.h"
#include "model/party.h"
#include "model/registry.h"
#include "model/time.h"
#include "model/vehicle.h"

#define BF_MAX_PLANTING_AREAS 16
#define BF_VEHICLE_MAX        16
#define BF_CERT_MAX           40
#define BF_CONSIGNMENT_ID_MAX 24

struct bf_consignment {
	char id[BF_CONSIGNMENT_ID_MAX + 1];
	char declared_by[BF_PARTY_ID_MAX + 1]; /* the carrier party */
	char exporter_id[BF_CODE_MAX + 1];
	char hs_code[BF_HS_MAX + 1];
	double net_weight_kg;
	int packages;
	int n_planting_areas;
	char planting_areas[BF_MAX_PLANTING_AREAS][BF_CODE_MAX + 1];
	char packing_house[BF_CODE_MAX + 1]; /* "" when none */
	char phyto_certificate[BF_CERT_MAX + 1];
	enum bf_conveyance conveyance;
	char vehicle[BF_VEHICLE_MAX + 1]; /* a truck's plate or a wagon's number */
	char vehicle_country[3];          /* country that issued the plate */
	char destination[3];
	char preferred_gate[BF_GATE_ID_MAX + 1]; /* "" for any */
	enum bf_state state;
	bf_time declared_at;
	bf_time updated_at;
};

#endif
