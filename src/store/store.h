/* The one storage interface. Everything above src/store/ reads and writes
 * through these verbs and never sees SQL. A struct bf_store is one open
 * connection: use it from one thread at a time (see pool.h to share).
 *
 * Ownership: records read out are copied into caller-owned memory; arrays
 * returned through OUT parameters are the caller's to free with the free
 * function named beside them. */
#ifndef BF_STORE_STORE_H
#define BF_STORE_STORE_H

#include "model/consignment.h"
#include "model/dataset.h"
#include "model/error.h"
#include "model/event.h"
#include "model/party.h"
#include "model/risk.h"
#include "model/simulation.h"
#include "model/metrics.h"
#include "model/authority.h"

#include <stdbool.h>
#include <stddef.h>

struct bf_store;

/* Opens URL and applies pending migrations. URL is a SQLite file path
 * (created if missing) or a PostgreSQL connection URI, postgres://… or
 * postgresql://…, naming a database that exists. On failure *OUT is NULL
 * and ERR says why. */
int bf_store_open(const char *url, struct bf_store **out, struct bf_error *err);
void bf_store_close(struct bf_store *s);
/* Whether URL names a PostgreSQL database rather than a SQLite file. */
bool bf_store_is_postgres(const char *url);

/* Name of the back end ("sqlite" or "postgresql"), for health reports. */
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
/* The store's revision: how many write transactions have been committed
 * to it, by any connection of any process. Answers read at one revision
 * hold while it stays the same (except for what they say of the clock). */
int bf_store_revision(struct bf_store *s, int64_t *out, struct bf_error *err);

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

/* A dated exception on SIDE (0 = A, 1 = B) of a pair, and a dated lane
 * change. */
int bf_store_exception_put(struct bf_store *s, const char *gate_id, int side, const struct bf_exception *e,
                           struct bf_error *err);
int bf_store_lane_change_put(struct bf_store *s, const char *gate_id, const struct bf_lane_change *c,
                             struct bf_error *err);

int bf_store_commodity_get(struct bf_store *s, const char *hs_code, struct bf_commodity *out, struct bf_error *err);
/* All commodities ordered by HS code; free with free(). */
int bf_store_commodities_list(struct bf_store *s, struct bf_commodity **out, size_t *n, struct bf_error *err);

int bf_store_exporter_get(struct bf_store *s, const char *id, struct bf_exporter *out, struct bf_error *err);
int bf_store_planting_area_get(struct bf_store *s, const char *code, struct bf_planting_area *out,
                               struct bf_error *err);
int bf_store_packing_house_get(struct bf_store *s, const char *code, struct bf_packing_house *out,
                               struct bf_error *err);
int bf_store_facility_get(struct bf_store *s, const char *code, struct bf_facility *out, struct bf_error *err);
/* How many gate pairs are designated for commodity class K, into *N. */
int bf_store_gates_designated(struct bf_store *s, enum bf_commodity_class k, long *n, struct bf_error *err);

struct bf_store_counts {
	long gates, commodities, exporters, planting_areas, packing_houses;
};
int bf_store_counts(struct bf_store *s, struct bf_store_counts *out, struct bf_error *err);

/* Parties. _put refuses an existing id with BF_ECONFLICT. */
int bf_store_party_put(struct bf_store *s, const struct bf_party *p, bf_time now, struct bf_error *err);
int bf_store_party_get(struct bf_store *s, const char *id, struct bf_party *out, struct bf_error *err);

/* Bearer tokens, kept only as a hash. */
int bf_store_token_put(struct bf_store *s, const char *id, const unsigned char hash[BF_TOKEN_HASH_BYTES],
                       const char *party_id, bf_time now, struct bf_error *err);
/* The party holding the token in force with HASH; BF_ENOTFOUND when none
 * is, revoked ones included. */
int bf_store_token_find(struct bf_store *s, const unsigned char hash[BF_TOKEN_HASH_BYTES], struct bf_party *out,
                        struct bf_error *err);
/* Revokes token ID; BF_ENOTFOUND if no such token, BF_ECONFLICT if it
 * was revoked already. *PARTY_ID (BF_PARTY_ID_MAX + 1 bytes) gets its
 * holder. */
int bf_store_token_revoke(struct bf_store *s, const char *id, bf_time now, char *party_id, struct bf_error *err);
/* All tokens, oldest first; free with free(). */
int bf_store_tokens_list(struct bf_store *s, struct bf_token_info **out, size_t *n, struct bf_error *err);

/* Registry writes: insert, or with REPLACE overwrite an existing record
 * (an exporter's approvals are replaced whole). Without REPLACE an
 * existing key gives BF_ECONFLICT; with it, a missing one BF_ENOTFOUND. */
int bf_store_exporter_put(struct bf_store *s, const struct bf_exporter *e, bool replace, struct bf_error *err);
int bf_store_planting_area_put(struct bf_store *s, const struct bf_planting_area *p, bool replace,
                               struct bf_error *err);
int bf_store_packing_house_put(struct bf_store *s, const struct bf_packing_house *p, bool replace,
                               struct bf_error *err);
int bf_store_facility_put(struct bf_store *s, const struct bf_facility *f, bool replace, struct bf_error *err);
/* Pages of the registry in key order, after key AFTER ("" from the
 * start), at most LIMIT records; free with free(). */
int bf_store_exporters_list(struct bf_store *s, const char *after, int limit, struct bf_exporter **out, size_t *n,
                            struct bf_error *err);
int bf_store_planting_areas_list(struct bf_store *s, const char *after, int limit, struct bf_planting_area **out,
                                 size_t *n, struct bf_error *err);
int bf_store_packing_houses_list(struct bf_store *s, const char *after, int limit, struct bf_packing_house **out,
                                 size_t *n, struct bf_error *err);
int bf_store_facilities_list(struct bf_store *s, const char *after, int limit, struct bf_facility **out, size_t *n,
                             struct bf_error *err);
/* The same for a record of any kind, through the store's table of kinds:
 * _get fills *OUT (its kind set to KIND), _put writes R by its kind,
 * _list gives an array of KIND's struct. */
int bf_store_registry_get(struct bf_store *s, struct bf_registry_record *out, enum bf_registry_kind kind,
                          const char *key, struct bf_error *err);
int bf_store_registry_put(struct bf_store *s, const struct bf_registry_record *r, bool replace, struct bf_error *err);
int bf_store_registry_list(struct bf_store *s, enum bf_registry_kind kind, const char *after, int limit, void **out,
                           size_t *n, struct bf_error *err);

/* Consignments. */
int bf_store_consignment_put(struct bf_store *s, const struct bf_consignment *c, struct bf_error *err);
int bf_store_consignment_get(struct bf_store *s, const char *id, struct bf_consignment *out, struct bf_error *err);

/* Consignments matching F in declaration order. *NEXT is the cursor of
 * the next page, or 0 when this page is the last. Free with free(). */
int bf_store_consignments_list(struct bf_store *s, const struct bf_consignment_filter *f, struct bf_consignment **out,
                               size_t *n, int64_t *next, struct bf_error *err);

/* Events: append sets E->seq. */
int bf_store_event_append(struct bf_store *s, struct bf_event *e, struct bf_error *err);
/* Events with seq > AFTER, at most LIMIT, in order; free with
 * bf_store_events_free(). */
int bf_store_events_list(struct bf_store *s, int64_t after, int limit, struct bf_event **out, size_t *n,
                         struct bf_error *err);
/* As bf_store_events_list(), of the events whose kind begins with PREFIX
 * ("registry.") only. */
int bf_store_events_of_kind(struct bf_store *s, const char *prefix, int64_t after, int limit, struct bf_event **out,
                            size_t *n, struct bf_error *err);
void bf_store_events_free(struct bf_event *events, size_t n);

/* ---- the ledger's records (sqlite_ledger.c) ---- */

/* The id of the node this database belongs to, kept in the database so
 * that it cannot change under its chain, and what it acts for (its scope,
 * model/authority.h), set with it. _get gives BF_ENOTFOUND before it is
 * set; _set refuses to change it (BF_ECONFLICT). OUT holds
 * BF_NODE_ID_MAX + 1 bytes. bf_store_scope_get() reads both in one
 * query: BF_ENOTFOUND before the id is set; a database that has an id
 * and no scope (none has, after migration 14) holds the whole border. */
int bf_store_node_get(struct bf_store *s, char *out, struct bf_error *err);
int bf_store_node_set(struct bf_store *s, const char *node, enum bf_scope scope, struct bf_error *err);
int bf_store_scope_get(struct bf_store *s, char *node, enum bf_scope *scope, struct bf_error *err);

/* The last event of ORIGIN's chain: its origin_seq and hash (and, with
 * the second, its time); 0 and zeros when the chain is empty. */
int bf_store_chain_head(struct bf_store *s, const char *origin, int64_t *origin_seq,
                        unsigned char hash[BF_EVENT_HASH_BYTES], struct bf_error *err);
int bf_store_chain_head_at(struct bf_store *s, const char *origin, int64_t *origin_seq,
                           unsigned char hash[BF_EVENT_HASH_BYTES], bf_time *at, struct bf_error *err);
/* The event of ORIGIN's chain numbered ORIGIN_SEQ; BF_ENOTFOUND if none.
 * Free *OUT's payload. */
/* Each chain in the log: its origin, its last number and how many events
 * it has (equal on a chain with no gap). Free *OUT with free(). */
struct bf_store_chain {
	char origin[BF_NODE_ID_MAX + 1];
	int64_t head, count;
};
int bf_store_chains(struct bf_store *s, struct bf_store_chain **out, size_t *n, struct bf_error *err);
int bf_store_chain_event(struct bf_store *s, const char *origin, int64_t origin_seq, struct bf_event *out,
                         struct bf_error *err);

/* Signing keys (struct bf_signing_key, model/event.h). Stores K; an existing id, public key or number gives
 * BF_ECONFLICT. */
int bf_store_key_put(struct bf_store *s, const struct bf_signing_key *k, struct bf_error *err);
/* Key ID; BF_ENOTFOUND if none. */
int bf_store_key_get(struct bf_store *s, const char *id, struct bf_signing_key *out, struct bf_error *err);
/* Key NUMBER of PARTY_ID on NODE; BF_ENOTFOUND if none. */
int bf_store_key_numbered(struct bf_store *s, const char *party_id, const char *node, int64_t number,
                          struct bf_signing_key *out, struct bf_error *err);
/* The highest-numbered key of PARTY_ID on NODE; BF_ENOTFOUND if none. */
int bf_store_key_current(struct bf_store *s, const char *party_id, const char *node, struct bf_signing_key *out,
                         struct bf_error *err);
/* All keys by party, node and number; WITH_SECRETS false leaves the secrets
 * out (zeroed). Free with bf_store_keys_free(), which wipes them. */
int bf_store_keys_list(struct bf_store *s, bool with_secrets, struct bf_signing_key **out, size_t *n,
                       struct bf_error *err);
void bf_store_keys_free(struct bf_signing_key *keys, size_t n);
/* Erases the secrets of PARTY_ID's keys on NODE numbered below NUMBER:
 * keys retired by a newer one sign nothing more. */
int bf_store_key_erase_before(struct bf_store *s, const char *party_id, const char *node, int64_t number,
                              struct bf_error *err);
/* Whether key ID was registered before keys were events of the chain
 * (migration 18). */
int bf_store_key_legacy(struct bf_store *s, const char *id, bool *out, struct bf_error *err);
/* The node key of NODE pinned here (ledger.h), as hex into HEX (CAP
 * bytes); BF_ENOTFOUND if none. _put sets or replaces it. */
int bf_store_pin_get(struct bf_store *s, const char *node, char *hex, size_t cap, struct bf_error *err);
int bf_store_pin_put(struct bf_store *s, const char *node, const char *hex, struct bf_error *err);

/* Idempotency keys: the first answer to a request, by party and key. */
struct bf_store_kept_answer {
	char request[BF_KEPT_REQUEST_MAX + 1];           /* "POST /v1/consignments/c-.../booking" */
	unsigned char request_hash[BF_TOKEN_HASH_BYTES]; /* of its body */
	int status;
	char *body; /* the answer's bytes; the caller's to free */
	char location[BF_KEPT_LOCATION_MAX + 1];
};
/* _get gives BF_ENOTFOUND for a new key. */
int bf_store_idempotency_get(struct bf_store *s, const char *party_id, const char *key,
                             struct bf_store_kept_answer *out, struct bf_error *err);
int bf_store_idempotency_put(struct bf_store *s, const char *party_id, const char *key,
                             const struct bf_store_kept_answer *a, bf_time now, struct bf_error *err);

/* Bookings (struct bf_booking, model/consignment.h). Inserts B, or with REPLACE moves it (keeping booked_at and misses
 * unless set). */
int bf_store_booking_put(struct bf_store *s, const struct bf_booking *b, bool replace, struct bf_error *err);
int bf_store_booking_get(struct bf_store *s, const char *consignment_id, struct bf_booking *out, struct bf_error *err);
int bf_store_booking_delete(struct bf_store *s, const char *consignment_id, struct bf_error *err);
/* Places taken in the slot (GATE, DIR, START). */
int bf_store_slot_used(struct bf_store *s, const char *gate_id, enum bf_direction dir, bf_time start, int *out,
                       struct bf_error *err);
/* Bookings at GATE (any direction) with slots from FROM on (0: all), in
 * slot order, with their consignments' state, vehicle and commodity;
 * STATE -1 for any. Free with free(). */
int bf_store_bookings_at(struct bf_store *s, const char *gate_id, bf_time from, int state, struct bf_booking **out,
                         size_t *n, struct bf_error *err);
/* The booking of a consignment other than EXCEPT_ID whose vehicle
 * (CONVEYANCE, NUMBER, COUNTRY) has checked in and not yet left the
 * border (waiting, called, or in the hands of either side): BF_OK with
 * it in *OUT, or BF_ENOTFOUND when there is none. */
int bf_store_vehicle_at_border(struct bf_store *s, enum bf_conveyance conveyance, const char *number,
                               const char *country, const char *except_id, struct bf_booking *out,
                               struct bf_error *err);
/* Moves a consignment to STATE (the caller checked the lifecycle). */
int bf_store_consignment_state(struct bf_store *s, const char *id, enum bf_state state, bf_time now,
                               struct bf_error *err);
/* Events about SUBJECT in order; free with bf_store_events_free(). */
int bf_store_events_about(struct bf_store *s, const char *subject, struct bf_event **out, size_t *n,
                          struct bf_error *err);

/* Simulations asked of the server: the request as it was acknowledged,
 * and the result once run. */
int bf_store_simulation_put(struct bf_store *s, const struct bf_simulation *sim, struct bf_error *err);
/* Sets the status; for done and failed also the result or error and the
 * time finished. */
int bf_store_simulation_status(struct bf_store *s, const char *id, const char *status, const char *result,
                               const char *error, bf_time finished_at, struct bf_error *err);
int bf_store_simulation_get(struct bf_store *s, const char *id, struct bf_simulation *out, struct bf_error *err);
/* Ids of the simulations queued or running, oldest first; free(). */
int bf_store_simulations_unfinished(struct bf_store *s, char (**ids)[BF_SIMULATION_ID_MAX + 1], size_t *n,
                                    struct bf_error *err);

/* Risk profiles, one a country, kept as the JSON text the service reads;
 * _get gives BF_ENOTFOUND when the country configured none. */
int bf_store_risk_profile_get(struct bf_store *s, const char *country, char **body, struct bf_error *err);
int bf_store_risk_profile_put(struct bf_store *s, const char *country, const char *body, const char *by, bf_time now,
                              struct bf_error *err);

/* A side's control lane for a consignment (struct bf_control, model/risk.h). */
int bf_store_control_put(struct bf_store *s, const char *consignment_id, const struct bf_control *c,
                         struct bf_error *err);
/* The consignment's controls (at most 2, export first) in OUT; *N how many. */
int bf_store_controls_get(struct bf_store *s, const char *consignment_id, struct bf_control out[2], int *n,
                          struct bf_error *err);
int bf_store_refusal_put(struct bf_store *s, const char *consignment_id, const char *exporter_id, bf_time at,
                         struct bf_error *err);
/* When the exporter last had a load refused: *AT, or 0 if never. */
int bf_store_last_refusal(struct bf_store *s, const char *exporter_id, bf_time *at, struct bf_error *err);

/* ---- operations (metrics.c, backup.c) ---- */

/* What GET /metrics reports from the database, so that the figures hold
 * across restarts and for every process on one database. */
int bf_store_metrics(struct bf_store *s, struct bf_store_metrics *out, struct bf_error *err);
void bf_store_metrics_clear(struct bf_store_metrics *m);

/* Copies the SQLite database DB_PATH to OUT_PATH with SQLite's online
 * backup API, as one snapshot: safe while a server writes to DB_PATH (the
 * copy holds every transaction committed before it began). OUT_PATH must
 * not exist (BF_ECONFLICT); on failure it is removed. */
int bf_store_backup(const char *db_path, const char *out_path, struct bf_error *err);
/* Copies the backup BACKUP_PATH (checked first) over DB_PATH with the same
 * API. An existing DB_PATH needs FORCE (BF_ECONFLICT otherwise); one open
 * by another process, a running server, is always refused (BF_ECONFLICT). */
int bf_store_restore(const char *backup_path, const char *db_path, bool force, struct bf_error *err);

#endif
