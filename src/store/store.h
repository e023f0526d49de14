/* The one storage interface. Everything above src/store/ reads and writes
 * through these verbs and never sees SQL. A struct bf_store is one open
 * connection: use it from one thread at a time (see pool.h to share).
 *
 * Ownership: records read out are copied into caller-owned memory; arrays
 * returned through OUT parameters are the caller's to free with the free
 * function named beside them. */
#ifndef BF_STORE_STORE_H
#define BF_STORE_STORE_H

#include "model/dataset.h"
#include "model/error.h"

#include <stdbool.h>
#include <stddef.h>

struct bf_store;

/* Opens URL (a SQLite file path; created if missing) and applies pending
 * migrations. On failure *OUT is NULL and ERR says why. */
int bf_store_open(const char *url, struct bf_store **out, struct bf_error *err);
void bf_store_close(struct bf_store *s);

/* Name of the back end ("sqlite"), for health reports. */
const char *bf_store_backend(const struct bf_store *s);
/* Schema version after migrations; bf_store_latest_version() is what this
 * build knows. */
int bf_store_schema_version(struct bf_store *s, int *out, struct bf_error *err);
int bf_store_latest_version(void);

/* Transactions. begin takes the write lock at once, so a transaction
 * never fails half-way for lack of it. */
int bf_store_begin(struct bf_store *s, struct bf_error *err);
int bf_store_commit(struct bf_store *s, struct bf_error *err);
void bf_store_rollback(struct bf_store *s);

/* True once reference data has been loaded into this database. */
int bf_store_seeded(struct bf_store *s, bool *out, struct bf_error *err);
/* Loads DATA and marks the database seeded, all in one transaction. */
int bf_store_seed(struct bf_store *s, const struct bf_dataset *data, struct bf_error *err);

/* Gate pairs, with their hours and exceptions. *OUT of _get is
 * caller-owned: release with bf_gate_pair_clear(). */
int bf_store_gate_get(struct bf_store *s, const char *id, struct bf_gate_pair *out, struct bf_error *err);
/* All pairs ordered by id; free with bf_store_gates_free(). */
int bf_store_gates_list(struct bf_store *s, struct bf_gate_pair **out, size_t *n, struct bf_error *err);
void bf_store_gates_free(struct bf_gate_pair *gates, size_t n);

int bf_store_commodity_get(struct bf_store *s, const char *hs_code, struct bf_commodity *out, struct bf_error *err);
/* All commodities ordered by HS code; free with free(). */
int bf_store_commodities_list(struct bf_store *s, struct bf_commodity **out, size_t *n, struct bf_error *err);

int bf_store_exporter_get(struct bf_store *s, const char *id, struct bf_exporter *out, struct bf_error *err);
int bf_store_planting_area_get(struct bf_store *s, const char *code, struct bf_planting_area *out,
                               struct bf_error *err);
int bf_store_packing_house_get(struct bf_store *s, const char *code, struct bf_packing_house *out,
                               struct bf_error *err);

struct bf_store_counts {
	long gates, commodities, exporters, planting_areas, packing_houses;
};
int bf_store_counts(struct bf_store *s, struct bf_store_counts *out, struct bf_error *err);

#endif
