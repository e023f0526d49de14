/* The use cases of a borderflow node, over a shared pool of store
 * connections. Every verb is safe to call from several threads at once;
 * each takes a connection for its own duration and gives it back. */
#ifndef BF_SERVICE_SERVICE_H
#define BF_SERVICE_SERVICE_H

#include "model/dataset.h"
#include "model/error.h"

#include <stdbool.h>
#include <stddef.h>

struct bf_service;

struct bf_service_config {
	const char *db_url;   /* SQLite file path */
	const char *data_dir; /* reference data to check and, on first start, load; NULL: the bundled data */
	unsigned connections; /* store connections to keep open; 0 means 4 */
};

/* Reads and checks the reference data first, so that a bad data file
 * stops start-up before the database is touched; then opens the store,
 * applies migrations and, on first start, loads the data. */
int bf_service_open(const struct bf_service_config *cfg, struct bf_service **out, struct bf_error *err);
void bf_service_close(struct bf_service *svc);

/* All gate pairs ordered by id. Free with bf_service_gates_free(). */
int bf_service_gates(struct bf_service *svc, struct bf_gate_pair **out, size_t *n, struct bf_error *err);
void bf_service_gates_free(struct bf_gate_pair *gates, size_t n);
/* One pair; release *OUT with bf_gate_pair_clear(). BF_ENOTFOUND if none. */
int bf_service_gate(struct bf_service *svc, const char *id, struct bf_gate_pair *out, struct bf_error *err);
/* All commodities ordered by HS code. Free with free(). */
int bf_service_commodities(struct bf_service *svc, struct bf_commodity **out, size_t *n, struct bf_error *err);

struct bf_health {
	const char *backend;
	int schema_version;
	long gates, commodities, exporters, planting_areas, packing_houses;
};
int bf_service_health(struct bf_service *svc, struct bf_health *out, struct bf_error *err);

#endif
