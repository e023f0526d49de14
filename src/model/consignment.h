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
	char packing_house[BF_CODE_MAX + 1];      /* "" when none */
	char phyto_certificate[BF_CERT_MAX + 1];  /* "" when none */
	char health_certificate[BF_CERT_MAX + 1]; /* "" when none */
	char facility[BF_CODE_MAX + 1];           /* the producing plant's registration number; "" when none */
	enum bf_conveyance conveyance;
	char vehicle[BF_VEHICLE_MAX + 1]; /* a truck's plate or a wagon's number */
	char vehicle_country[3];          /* country that issued the plate */
	char destination[3];
	char preferred_gate[BF_GATE_ID_MAX + 1]; /* "" for any */
	enum bf_state state;
	bf_time declared_at;
	bf_time updated_at;
};

/* Which consignments a page holds. */
struct bf_consignment_filter {
	const char *declared_by; /* NULL: any */
	const char *exporter_id; /* NULL: any */
	const char *gate;        /* NULL: any; the preferred gate or the gate booked */
	int state;               /* -1: any, else an enum bf_state */
	bf_time declared_from;   /* 0: no lower bound; inclusive */
	bf_time declared_to;     /* 0: no upper bound; exclusive */
	int64_t after;           /* paging cursor: 0 from the start */
	int limit;               /* 1..500 */
};

/* Bookings: a consignment's place in a slot. */
struct bf_booking {
	char consignment_id[BF_CONSIGNMENT_ID_MAX + 1];
	char gate_id[BF_GATE_ID_MAX + 1];
	enum bf_direction direction;
	bf_time slot_start;
	bf_time earliest; /* when the vehicle can be at the gate */
	bf_time deadline; /* latest slot start that still crosses before the load spoils */
	double value;     /* what spoils if it misses */
	bf_time booked_at;
	bf_time checked_in_at; /* 0 until checked in */
	int misses;
	enum bf_state state; /* the consignment's, when read with it */
	char vehicle[BF_VEHICLE_MAX + 1];
	char hs_code[BF_HS_MAX + 1];
};

#endif
