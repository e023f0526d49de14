/* Node start-up (data check, migrations, first-start load) and the read
 * use cases of the gate registry. */
#include "service/service.h"

#include "ledger/ledger.h"
#include "model/authority.h"
#include "codec/dataset.h"
#include "service/service_int.h"
#include "service/authority.h"
#include "service/booking.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct bf_party bf_service_node_operator = {
    .id = BF_NODE_OPERATOR_ID, .name = "the operator of this node", .role = BF_ROLE_SYSTEM, .country = ""};

bf_time bf_svc_now(const struct bf_service *svc)
{
	return svc->clock ? svc->clock(svc->clock_ctx) : bf_time_now();
}

/* Whether this node may sign E (its payload PAYLOAD): a node of a
 * two-node deployment signs only its own country's steps, by the rule
 * it applies to its peer's events (service/authority.h), whatever its
 * party claims; a node that holds the whole border (or has no id yet, so
 * the ledger gives it the default one, which holds the whole border)
 * signs every step. BF_EFORBIDDEN on field "authority" when it may not. */
static int may_sign(struct bf_store *s, struct bf_event *e, json_t *payload, struct bf_error *err)
{
	enum bf_scope scope;
	int rc = bf_store_scope_get(s, e->origin, &scope, err);
	if (rc == BF_ENOTFOUND || (rc == BF_OK && scope == BF_SCOPE_BORDER)) {
		e->origin[0] = '\0';
		return BF_OK;
	}
	if (rc)
		return rc;
	/* A move on a consignment is made after its row is moved: its payload
	 * names the state it was in. */
	int before = -1;
	enum bf_state from;
	const char *name = json_string_value(json_object_get(payload, "from"));
	if (strncmp(e->subject, "consignment/", 12) == 0 && name != NULL && bf_state_parse(name, &from) == 0)
		before = (int)from;
	rc = bf_authority_check(s, e, before, err);
	e->origin[0] = '\0';
	return rc;
}

int bf_svc_event(struct bf_store *s, const struct bf_party *actor, const char *kind, const char *subject,
                 json_t *payload, bf_time now, struct bf_error *err)
{
	struct bf_event e = {.at = now, .role = actor->role};
	int rc;
	bf_strlcpy(e.party_id, actor->id, sizeof(e.party_id));
	bf_strlcpy(e.kind, kind, sizeof(e.kind));
	bf_strlcpy(e.subject, subject, sizeof(e.subject));
	e.payload = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	if (e.payload == NULL) {
		json_decref(payload);
		return bf_error_set(err, BF_EINVAL, "", "the event's payload cannot be encoded");
	}
	rc = may_sign(s, &e, payload, err);
	json_decref(payload);
	if (rc == BF_OK)
		rc = bf_ledger_append(s, &e, err);
	free(e.payload);
	return rc;
}

int bf_service_events(struct bf_service *svc, int64_t after, int limit, struct bf_event **out, size_t *n,
                      struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_events_list(s, after, limit, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

/* With WANT, sets the database's node id if it has none and refuses to
 * run it as another node; without, reads the id if there is one (the
 * ledger sets the default with the first event). OUT gets the id or "". */
static int node_id(struct bf_store *s, const char *want, char out[BF_NODE_ID_MAX + 1], struct bf_error *err)
{
	int rc;
	out[0] = '\0';
	if (want != NULL && (rc = bf_ledger_node_check(want, err)) != 0)
		return rc;
	for (int attempt = 0; attempt < 2; attempt++) {
		rc = bf_store_node_get(s, out, err);
		if (rc == BF_OK) {
			if (want != NULL && strcmp(want, out) != 0)
				return bf_error_set(err, BF_ECONFLICT, "node",
				                    "this database is node %s's; it cannot run as node %s", out, want);
			return BF_OK;
		}
		if (rc != BF_ENOTFOUND)
			return rc;
		out[0] = '\0';
		if (want == NULL)
			return BF_OK;
		rc = bf_store_node_set(s, want, BF_SCOPE_COUNTRY, err);
		/* BF_ECONFLICT: another process set it first; read it again. */
		if (rc != BF_OK && rc != BF_ECONFLICT)
			return rc;
	}
	return bf_error_set(err, BF_ESTORE, "node", "the node id cannot be read back");
}

int bf_service_open(const struct bf_service_config *cfg, struct bf_service **out, struct bf_error *err)
{
	struct bf_dataset data;
	struct bf_store *s;
	bool seeded;
	int rc;

	*out = NULL;
	if (sodium_init() < 0)
		return bf_error_set(err, BF_EIO, "", "libsodium cannot start (no random number source)");
	if ((rc = bf_dataset_load(cfg->data_dir, &data, err)) != 0)
		return rc;
	struct bf_service *svc = bf_xcalloc(1, sizeof(*svc));
	svc->grace = (bf_time)(cfg->grace_minutes > 0 ? cfg->grace_minutes : BF_GRACE_MINUTES) * 60;
	svc->call_lead = cfg->call_lead_minutes > 0 ? cfg->call_lead_minutes : BF_CALL_LEAD_MINUTES;
	svc->clock = cfg->clock;
	svc->clock_ctx = cfg->clock_ctx;
	if ((rc = bf_store_pool_open(cfg->db_url, cfg->connections ? cfg->connections : 4, &svc->pool, err)) != 0) {
		bf_dataset_free(&data);
		free(svc);
		return rc;
	}
	pthread_mutex_init(&svc->tokens.lock, NULL);
	s = bf_store_pool_acquire(svc->pool);
	/* SQLite takes one writer at a time: the writers of this process
	 * queue for one connection of their own (service_int.h). */
	svc->writers = svc->pool;
	rc = BF_OK;
	if (strcmp(bf_store_backend(s), "sqlite") == 0)
		rc = bf_store_pool_open_grouped(cfg->db_url, &svc->writers, err);
	if (rc == BF_OK)
		rc = node_id(s, cfg->node, svc->node, err);
	if (rc == BF_OK && svc->node[0]) {
		enum bf_scope scope;
		char node[BF_NODE_ID_MAX + 1];
		rc = bf_store_scope_get(s, node, &scope, err);
		svc->country = scope == BF_SCOPE_COUNTRY;
	}
	if (rc == BF_OK)
		rc = bf_store_seeded(s, &seeded, err);
	if (rc == BF_OK && !seeded) {
		rc = bf_store_seed(s, &data, err);
		/* Another process may have seeded the database in between. */
		if (rc == BF_ECONFLICT)
			rc = BF_OK;
	}
	bf_store_pool_release(svc->pool, s);
	bf_dataset_free(&data);
	if (rc) {
		bf_service_close(svc);
		return rc;
	}
	*out = svc;
	return BF_OK;
}

void bf_service_close(struct bf_service *svc)
{
	if (svc == NULL)
		return;
	if (svc->writers != svc->pool)
		bf_store_pool_close(svc->writers);
	bf_store_pool_close(svc->pool);
	pthread_mutex_destroy(&svc->tokens.lock);
	free(svc);
}

int bf_service_gates(struct bf_service *svc, struct bf_gate_pair **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_gates_list(s, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

void bf_service_gates_free(struct bf_gate_pair *gates, size_t n)
{
	bf_store_gates_free(gates, n);
}

int bf_service_gate(struct bf_service *svc, const char *id, struct bf_gate_pair *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_gate_get(s, id, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_commodities(struct bf_service *svc, struct bf_commodity **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_commodities_list(s, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_revision(struct bf_service *svc, int64_t *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_revision(s, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_metrics(struct bf_service *svc, struct bf_store_metrics *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_metrics(s, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

void bf_service_metrics_clear(struct bf_store_metrics *m)
{
	bf_store_metrics_clear(m);
}

void bf_service_events_free(struct bf_event *v, size_t n)
{
	bf_store_events_free(v, n);
}

bool bf_service_commit_groups(struct bf_service *svc, uint64_t *groups, uint64_t *commits)
{
	struct bf_pool_stats ps;
	if (svc->writers == svc->pool)
		return false;
	bf_store_pool_stats(svc->writers, &ps);
	*groups = ps.groups;
	*commits = ps.commits;
	return true;
}

int bf_service_health(struct bf_service *svc, struct bf_health *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	struct bf_store_counts counts;
	int rc = bf_store_schema_version(s, &out->schema_version, err);
	if (rc == BF_OK)
		rc = bf_store_counts(s, &counts, err);
	out->backend = bf_store_backend(s);
	bf_store_pool_release(svc->pool, s);
	if (rc == BF_OK) {
		out->gates = counts.gates;
		out->commodities = counts.commodities;
		out->exporters = counts.exporters;
		out->planting_areas = counts.planting_areas;
		out->packing_houses = counts.packing_houses;
	}
	return rc;
}

/* ---- for the rooms beside the use cases (peer/, simrun/) ---- */

struct bf_store_pool *bf_service_readers(struct bf_service *svc)
{
	return svc->pool;
}

struct bf_store_pool *bf_service_writers(struct bf_service *svc)
{
	return svc->writers;
}

const char *bf_service_node(const struct bf_service *svc)
{
	return svc->node;
}

bf_time bf_service_now(const struct bf_service *svc)
{
	return bf_svc_now(svc);
}

bool bf_service_country_scope(const struct bf_service *svc)
{
	return svc->country;
}

bool bf_svc_owns(struct bf_service *svc, enum bf_state state, const char *export_country, const char *destination)
{
	if (!svc->country)
		return true; /* one node holds the whole border */
	char country[3];
	return bf_authority_node_country(svc->node, country) &&
	       strcmp(country, bf_authority_owner_country(state, export_country, destination)) == 0;
}
