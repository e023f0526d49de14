/* The use cases of a borderflow node, over a shared pool of store
 * connections. Every verb is safe to call from several threads at once;
 * each takes a connection for its own duration and gives it back. */
#ifndef BF_SERVICE_SERVICE_H
#define BF_SERVICE_SERVICE_H

#include "model/consignment.h"
#include "model/dataset.h"
#include "model/error.h"
#include "model/event.h"
#include "model/notice.h"
#include "ledger/ledger.h"
#include "model/party.h"
#include "store/store.h"

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>

struct bf_service;

#ifndef BF_GRACE_MINUTES
#define BF_GRACE_MINUTES 60
#endif

struct bf_service_config {
	const char *db_url;   /* SQLite file path */
	const char *data_dir; /* reference data to check and, on first start, load; NULL: the bundled data */
	unsigned connections; /* store connections to keep open; 0 means 4 */
	int grace_minutes;    /* how late a vehicle may be for its slot; 0 means BF_GRACE_MINUTES */
	const char *node;     /* this node's id ("vn", "cn"); NULL: the database's (see ledger/ledger.h) */
};

/* Reads and checks the reference data first, so that a bad data file
 * stops start-up before the database is touched; then opens the store,
 * applies migrations, sets the node id CFG->node if the database has none
 * (a database keeps its node id: another is refused with BF_ECONFLICT)
 * and, on first start, loads the data. */
int bf_service_open(const struct bf_service_config *cfg, struct bf_service **out, struct bf_error *err);
void bf_service_close(struct bf_service *svc);

/* The store's revision (store.h): the same number while no process has
 * committed a write since. */
int bf_service_revision(struct bf_service *svc, int64_t *out, struct bf_error *err);
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

/* What GET /metrics reports from the store: yards, events by kind,
 * simulations by status. Release with bf_store_metrics_clear(). */
int bf_service_metrics(struct bf_service *svc, struct bf_store_metrics *out, struct bf_error *err);
/* On SQLite, the groups of write transactions committed together
 * (store/pool.h) and the transactions they held; false on PostgreSQL. */
bool bf_service_commit_groups(struct bf_service *svc, uint64_t *groups, uint64_t *commits);

/* The local operator: who acts when a command is run on the node itself
 * (issuing tokens, importing files). Its events carry the system role. */
extern const struct bf_party bf_node_operator;

/* ---- parties and tokens (service/auth.c) ---- */

/* "bf_" + 12-character id + "_" + 43-character secret. */
#define BF_TOKEN_TEXT 64
/* Issues a bearer token to party P->id, creating the party (P's name,
 * role and country) if it is new. A known party must have P's role
 * (BF_ECONFLICT otherwise). TOKEN gets the token, shown this once; only its
 * hash is stored. ID gets the token's public id, for revoking it. */
int bf_service_token_new(struct bf_service *svc, const struct bf_party *p, char token[BF_TOKEN_TEXT],
                         char id[BF_TOKEN_ID_MAX + 1], struct bf_error *err);
int bf_service_token_revoke(struct bf_service *svc, const char *id, struct bf_error *err);
/* All tokens (never their secrets); free with free(). */
int bf_service_tokens(struct bf_service *svc, struct bf_token_info **out, size_t *n, struct bf_error *err);
/* The party with ID. */
int bf_service_party(struct bf_service *svc, const char *id, struct bf_party *out, struct bf_error *err);
/* The party holding TOKEN; BF_EAUTH for a malformed, unknown or revoked one. */
int bf_service_authenticate(struct bf_service *svc, const char *token, struct bf_party *out, struct bf_error *err);
/* The same, where the caller has just read the store's revision
 * (bf_service_revision): the answer is remembered with REVISION and given
 * again, without a query, while the revision read is the same. */
int bf_service_authenticate_at(struct bf_service *svc, const char *token, int64_t revision, struct bf_party *out,
                               struct bf_error *err);

/* ---- JSON views of records, as events and the API carry them ---- */

json_t *bf_svc_exporter_json(const struct bf_exporter *e);
json_t *bf_svc_planting_area_json(const struct bf_planting_area *p);
json_t *bf_svc_packing_house_json(const struct bf_packing_house *p);
json_t *bf_svc_consignment_json(const struct bf_consignment *c);

/* ---- the registry (service/registry.c) ---- */

enum bf_registry_kind { BF_REG_EXPORTER, BF_REG_PLANTING_AREA, BF_REG_PACKING_HOUSE };

/* One registry record of any kind. */
struct bf_registry_record {
	enum bf_registry_kind kind;
	union {
		struct bf_exporter exporter;
		struct bf_planting_area planting_area;
		struct bf_packing_house packing_house;
	} u;
};

/* Creates (CREATE) or replaces a record, as ACTOR: only a registry
 * authority of the country that issued the record may. One event a
 * change: created, updated, suspended or reinstated. */
int bf_service_registry_save(struct bf_service *svc, const struct bf_party *actor, const struct bf_registry_record *r,
                             bool create, struct bf_error *err);
/* Changes the record of KIND with KEY in one write transaction: MERGE,
 * given the record as stored, applies the change; the result is saved as
 * by bf_service_registry_save() and copied to *OUT. Two changes at once
 * cannot undo each other. */
int bf_service_registry_patch(struct bf_service *svc, const struct bf_party *actor, enum bf_registry_kind kind,
                              const char *key,
                              int (*merge)(struct bf_registry_record *rec, void *cls, struct bf_error *err), void *cls,
                              struct bf_registry_record *out, struct bf_error *err);
/* Reads the record of KIND with KEY into *OUT. */
int bf_service_registry_get(struct bf_service *svc, enum bf_registry_kind kind, const char *key,
                            struct bf_registry_record *out, struct bf_error *err);
/* A page of KIND in key order after AFTER; *OUT is an array of the
 * kind's struct, freed with free(). */
int bf_service_registry_list(struct bf_service *svc, enum bf_registry_kind kind, const char *after, int limit,
                             void **out, size_t *n, struct bf_error *err);

#define BF_IMPORT_MAX_PROBLEMS 200
struct bf_import_problem {
	int line;
	char field[64];
	char message[256];
};
struct bf_import_report {
	enum bf_registry_kind kind;
	int rows;                        /* data rows read */
	int created, updated, unchanged; /* when imported */
	int n_problems;                  /* every bad row, up to BF_IMPORT_MAX_PROBLEMS */
	struct bf_import_problem problems[BF_IMPORT_MAX_PROBLEMS];
};
/* Imports a registry CSV: one header row naming the columns, which says
 * the kind (exporters: id,name,country,status,approvals; planting areas:
 * code,hs_code,country,province,status; packing houses:
 * code,name,country,province,status). Rows are created or replace the
 * record with their key, in one transaction. A file with any bad row
 * imports nothing: BF_EREJECTED, with every problem in REPORT. */
int bf_service_import_registry(struct bf_service *svc, const struct bf_party *actor, const char *text, size_t len,
                               struct bf_import_report *report, struct bf_error *err);

/* ---- declarations (service/declare.c) ---- */

struct bf_violation {
	char field[64];
	char code[32]; /* not_registered, suspended, not_approved, ... */
	char message[256];
	char notice[BF_NOTICE_ID_MAX + 1]; /* a code suspended after a notice: its id; "" otherwise */
};

#define BF_MAX_VIOLATIONS 32
struct bf_declaration {
	struct bf_consignment consignment; /* as stored, when accepted */
	int n_violations;                  /* rules broken, when rejected */
	struct bf_violation violations[BF_MAX_VIOLATIONS];
	/* The first answer to a repeated idempotent request: the caller sends
	 * it as it is. NULL otherwise; owned by the declaration. */
	char *replayed_body;
	int replayed_status;
};
void bf_declaration_free(struct bf_declaration *d);

/* An Idempotency-Key and what it guards. RENDER writes the answer to
 * store with the key (the caller's JSON for the new consignment, malloc'd). */
struct bf_idempotency {
	const char *key;
	unsigned char request_hash[BF_TOKEN_HASH_BYTES];
	char *(*render)(const struct bf_consignment *c, void *cls);
	void *cls;
};

/* Declares C (shape already checked) for ACTOR, a carrier. Checks every
 * rule of the official channel against the registry: on success stores it
 * as validated, with its events, and fills OUT->consignment; otherwise
 * stores nothing and returns BF_EREJECTED with every broken rule in OUT.
 * With IDEM, a repeat of the same request returns the first answer
 * (OUT->replayed_body) and creates nothing; the same key on another
 * request is BF_ECONFLICT. */
int bf_service_declare(struct bf_service *svc, const struct bf_party *actor, const struct bf_consignment *c,
                       const struct bf_idempotency *idem, struct bf_declaration *out, struct bf_error *err);

/* One consignment, if ACTOR may see it: a carrier sees only its own
 * (BF_EFORBIDDEN otherwise). */
int bf_service_consignment(struct bf_service *svc, const struct bf_party *actor, const char *id,
                           struct bf_consignment *out, struct bf_error *err);
/* A page of consignments; a carrier's filter is narrowed to its own. */
int bf_service_consignments(struct bf_service *svc, const struct bf_party *actor, struct bf_consignment_filter *f,
                            struct bf_consignment **out, size_t *n, int64_t *next, struct bf_error *err);

/* ---- slots, bookings and the queue (service/booking.c) ---- */

/* Hours between a load's slot and the end of its crossing: its deadline
 * is its declaration plus its shelf life, less these. */
#define BF_CROSSING_HOURS 2
/* How late past its slot's start a vehicle may check in before its
 * booking moves to the next free slot. */
#define BF_GRACE_MINUTES  60

struct bf_slot_fill {
	enum bf_direction direction;
	bf_time start, end;
	int capacity, booked;
	int train;             /* index into the pair's timetable; -1 for lanes */
	char train_number[16]; /* "" for lanes */
};
/* Slots of gate ID starting within [FROM, TO), both directions, in time
 * order, with their bookings; free with free(). */
int bf_service_slots(struct bf_service *svc, const char *id, bf_time from, bf_time to, struct bf_slot_fill **out,
                     size_t *n, struct bf_error *err);

/* How far ahead a load may book, and how wide a span it may ask for. */
#define BF_BOOK_AHEAD_DAYS 60
#define BF_BOOK_SPAN_DAYS  14

struct bf_book_request {
	const char *gate; /* NULL or "any": the preferred gate, else any designated for the load */
	bf_time earliest; /* 0: now */
	bf_time latest;   /* 0: a week after EARLIEST */
};
#define BF_MAX_ALTERNATIVES 5
struct bf_book_result {
	struct bf_booking booking;
	bool changed; /* an existing booking was moved */
	int n_alternatives;
	struct {
		char gate[BF_GATE_ID_MAX + 1];
		bf_time slot_start;
		int free;
	} alternatives[BF_MAX_ALTERNATIVES];
};
/* Books (or moves) consignment ID's slot: the earliest slot with a free
 * place at the gates it may use, within the request's span. None free:
 * BF_ECONFLICT with the next free slots after it as alternatives. No slot
 * is ever booked past its capacity: the count and the booking share one
 * write transaction. */
int bf_service_book(struct bf_service *svc, const struct bf_party *actor, const char *id,
                    const struct bf_book_request *req, struct bf_book_result *out, struct bf_error *err);
/* Gives the slot up: back to validated. */
int bf_service_unbook(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_error *err);
/* Checks the vehicle in at the waiting yard: booked -> waiting. */
int bf_service_check_in(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_booking *out,
                        struct bf_error *err);

struct bf_queue_entry {
	struct bf_booking booking;
	int place;                     /* from 1 */
	bf_time estimated;             /* when it should reach the barrier */
	struct bf_control controls[2]; /* each side's control lane */
	int n_controls;
};
/* The waiting yard of gate ID: vehicles checked in, by slot then
 * deadline, with an estimate of when each crosses. Free with free(). */
int bf_service_queue(struct bf_service *svc, const char *id, struct bf_queue_entry **out, size_t *n,
                     struct bf_error *err);
/* Calls the next COUNT vehicles of the yard forward (waiting -> called),
 * after moving bookings whose vehicles missed their slot by more than the
 * grace. *CALLED (free()) lists them; *MISSED counts the moved misses. */
int bf_service_call(struct bf_service *svc, const struct bf_party *actor, const char *id, int count,
                    struct bf_booking **called, size_t *n, int *missed, struct bf_error *err);

enum bf_change_kind { BF_CHANGE_CLOSURE, BF_CHANGE_EXTENSION, BF_CHANGE_LANES };
struct bf_gate_change {
	enum bf_change_kind kind;
	int side;                    /* 0 = A, 1 = B: closures and extensions; -1: the operator's own */
	enum bf_direction direction; /* lane changes */
	int lanes;
	bf_time from, to;
	char note[200];
};
struct bf_moved_booking {
	char consignment_id[BF_CONSIGNMENT_ID_MAX + 1];
	bf_time from, to; /* slot starts; TO 0 when no slot is left */
	bool at_risk;     /* it will not cross before its deadline */
};
/* Records a change of gate ID by its operator and rebooks at once, at the
 * same gate: only the bookings that lost their place move, the most
 * perishable first; each move and each load now at risk is an event its
 * carrier reads. *MOVED (free()) lists them. */
int bf_service_change_gate(struct bf_service *svc, const struct bf_party *actor, const char *id,
                           const struct bf_gate_change *change, struct bf_moved_booking **moved, size_t *n,
                           struct bf_error *err);
/* The events about consignment ID, for one who may see it; free with
 * bf_store_events_free(). */
int bf_service_consignment_events(struct bf_service *svc, const struct bf_party *actor, const char *id,
                                  struct bf_event **out, size_t *n, struct bf_error *err);

/* Events after AFTER, at most LIMIT; free with bf_store_events_free(). */
int bf_service_events(struct bf_service *svc, int64_t after, int limit, struct bf_event **out, size_t *n,
                      struct bf_error *err);

/* ---- the ledger: keys and verification (service/ledger.c) ---- */

/* A new signing key for PARTY_ID on this node (first or rotation); *OUT
 * without its secret. BF_ENOTFOUND for an unknown party. */
int bf_service_key_new(struct bf_service *svc, const char *party_id, struct bf_signing_key *out, struct bf_error *err);
/* Every key registered here, without secrets; free with
 * bf_store_keys_free(). */
int bf_service_keys(struct bf_service *svc, struct bf_signing_key **out, size_t *n, struct bf_error *err);
/* This node's public keys as JSON for the peer; *OUT is the caller's to
 * free(). */
int bf_service_keys_export(struct bf_service *svc, char **out, struct bf_error *err);
/* Registers a peer's public keys (bf_ledger_keys_import), all or none. */
int bf_service_keys_import(struct bf_service *svc, const char *text, size_t len, int *added, int *known,
                           struct bf_error *err);
/* Verifies the whole log (bf_ledger_verify). */
int bf_service_verify(struct bf_service *svc, struct bf_ledger_summary *out, struct bf_error *err);

#endif
