/* A borderflow node's use cases, over a shared pool of store connections:
 * this header opens and closes the node and reads the gate registry; each
 * other group of use cases has a header of its own beside it (auth.h,
 * registry.h, declare.h, booking.h, control.h, notice.h, ledger.h). Every
 * verb is safe to call from several threads at once; each takes a
 * connection for its own duration and gives it back. */
#ifndef BF_SERVICE_SERVICE_H
#define BF_SERVICE_SERVICE_H

#include "model/consignment.h"
#include "model/dataset.h"
#include "model/error.h"
#include "model/event.h"
#include "model/metrics.h"
#include "model/notice.h"
#include "model/party.h"
#include "model/simulation.h"
#include "plan/policy.h"

/* The store's connections and pools, opaque above the store: only the
 * rooms that may use the store (peer/, simrun/) include store/store.h. */
struct bf_store;
struct bf_store_pool;

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>

struct bf_service;

/* An override of the rule of time at a step (plan/window.h): the reason
 * the person taking the step states, signed into the step's event with
 * the rule it set aside. An empty reason is no override. */
#define BF_OVERRIDE_REASON_MAX 400
struct bf_override {
	char reason[BF_OVERRIDE_REASON_MAX];
};

/* A step refused for the time: the next span in which it may be taken
 * (START 0: none within the horizon), and how each side of the gate reads
 * its clock, so that an answer can give the span in both local times. */
struct bf_step_refusal {
	bool refused;
	char gate_id[BF_GATE_ID_MAX + 1];
	bf_time start, end;
	char country[2][3];
	int utc_offset_min[2];
};

struct bf_service_config {
	const char *db_url;    /* SQLite file path */
	const char *data_dir;  /* reference data to check and, on first start, load; NULL: the bundled data */
	unsigned connections;  /* store connections to keep open; 0 means 4 */
	int grace_minutes;     /* how late a vehicle may be for its slot; 0 means BF_GRACE_MINUTES */
	int call_lead_minutes; /* how long before its slot a vehicle may be called; 0 means BF_CALL_LEAD_MINUTES */
	const char *node;      /* this node's id ("vn", "cn"); NULL: the database's (see ledger/ledger.h) */
	/* The instant now, for tests that drive a day at a gate through time;
	 * NULL (always, in a running node): the real clock. No command-line
	 * option or environment variable sets it. */
	bf_time (*clock)(void *ctx);
	void *clock_ctx;
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
 * simulations by status. Release with bf_service_metrics_clear(). */
int bf_service_metrics(struct bf_service *svc, struct bf_store_metrics *out, struct bf_error *err);
void bf_service_metrics_clear(struct bf_store_metrics *m);
/* On SQLite, the groups of write transactions committed together
 * (store/pool.h) and the transactions they held; false on PostgreSQL. */
bool bf_service_commit_groups(struct bf_service *svc, uint64_t *groups, uint64_t *commits);

/* For the rooms that run beside the use cases (peer/, simrun/): the
 * store's connection pools (readers; writers, which on SQLite is one
 * connection whose users commit in groups, store/pool.h), and this node's
 * id ("" until set). Each lives as long as SVC. */
struct bf_store_pool *bf_service_readers(struct bf_service *svc);
struct bf_store_pool *bf_service_writers(struct bf_service *svc);
const char *bf_service_node(const struct bf_service *svc);
/* The instant now on SVC's clock (bf_service_config.clock, or the real
 * one): what the rooms beside the use cases stamp their records with. */
bf_time bf_service_now(const struct bf_service *svc);
/* Whether this node acts for its own country only (its database's scope
 * is "country", model/authority.h), as each node of a pair does: it
 * decides only on the consignments its side owns and signs only its
 * country's steps (service/authority.h). False: the node holds the whole
 * border, which its database records (a node given no id at its first
 * start), and never pairs. */
bool bf_service_country_scope(const struct bf_service *svc);

/* The local operator: who acts when a command is run on the node itself
 * (issuing tokens, importing files). Its events carry the system role. */
extern const struct bf_party bf_service_node_operator;

#endif
