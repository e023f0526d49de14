/* The server's simulation runner: one background thread takes stored
 * requests in order and runs each over the live gate model; progress is
 * kept in memory, the request and the result in the store. */
#include "simrun/runner.h"

#include "codec/jsonread.h"
#include "codec/scenario.h"
#include "codec/summary.h"
#include "model/worker.h"
#include "store/pool.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct bf_simrun {
	struct bf_service *svc;
	struct bf_worker worker; /* its lock guards what follows */
	char (*queue)[BF_SIMULATION_ID_MAX + 1];
	size_t head, n, cap;
	char current[BF_SIMULATION_ID_MAX + 1]; /* the one running; "" if none */
	long done;
	int threads;
};

static void enqueue(struct bf_simrun *q, const char *id)
{
	pthread_mutex_lock(&q->worker.lock);
	if (q->head > 0 && q->n == q->cap) {
		/* Reuse the room of the ids already taken before growing. */
		memmove(q->queue, q->queue + q->head, (q->n - q->head) * sizeof(*q->queue));
		q->n -= q->head;
		q->head = 0;
	}
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 16;
		q->queue = bf_xrealloc(q->queue, q->cap * sizeof(*q->queue));
	}
	bf_strlcpy(q->queue[q->n++], id, sizeof(q->queue[0]));
	bf_worker_signal(&q->worker);
	pthread_mutex_unlock(&q->worker.lock);
}

/* ---- requests ---- */

/* The live model as reference data: the pairs as they stand, with every
 * posted change, and the commodities. */
static int live_data(struct bf_service *svc, struct bf_dataset *d, struct bf_error *err)
{
	memset(d, 0, sizeof(*d));
	int rc = bf_service_gates(svc, &d->gates, &d->n_gates, err);
	if (rc == 0 && (rc = bf_service_commodities(svc, &d->commodities, &d->n_commodities, err)) != 0) {
		bf_service_gates_free(d->gates, d->n_gates);
		memset(d, 0, sizeof(*d));
	}
	return rc;
}

static void live_data_free(struct bf_dataset *d)
{
	bf_service_gates_free(d->gates, d->n_gates);
	free(d->commodities);
}

/* Keeps only the policies REQUEST names, in its order (the first is the
 * baseline then). */
static int pick_policies(struct bf_jr *jr, json_t *names, struct bf_scenario *sc)
{
	struct bf_sim_policy kept[BF_SIM_MAX_POLICIES];
	bool used[BF_SIM_MAX_POLICIES] = {false};
	size_t i, n = json_array_size(names);
	json_t *v;
	if (n == 0 || n > (size_t)sc->n_policies)
		return bf_jr_fail(jr, "policies", "must name from 1 to %d of the scenario's policies", sc->n_policies);
	json_array_foreach (names, i, v) {
		char field[32];
		int found = -1;
		snprintf(field, sizeof(field), "policies[%zu]", i);
		if (!json_is_string(v))
			return bf_jr_fail(jr, field, "must be a policy's name");
		for (int p = 0; p < sc->n_policies; p++)
			if (strcmp(sc->policies[p].name, json_string_value(v)) == 0)
				found = p;
		if (found < 0)
			return bf_jr_fail(jr, field, "the scenario has no policy \"%s\"", json_string_value(v));
		if (used[found])
			return bf_jr_fail(jr, field, "policy \"%s\" is named twice", json_string_value(v));
		used[found] = true;
		kept[i] = sc->policies[found];
	}
	for (int p = 0; p < sc->n_policies; p++)
		if (!used[p])
			bf_scenario_policy_clear(sc, p);
	memcpy(sc->policies, kept, n * sizeof(kept[0]));
	sc->n_policies = (int)n;
	return BF_OK;
}

/* Reads REQUEST into SC, REPS and SEED; the same for a new request and for
 * one read back from the store. */
static int prepare(struct bf_service *svc, json_t *request, struct bf_scenario *sc, int *reps, uint64_t *seed,
                   struct bf_error *err)
{
	static const char *const keys[] = {"scenario", "replications", "seed", "policies", NULL};
	struct bf_jr jr = {.err = err};
	struct bf_dataset data;
	json_t *scen, *policies, *root = NULL;
	double s = 1;
	int rc;
	*reps = 10;
	memset(sc, 0, sizeof(*sc));
	if ((rc = bf_jr_keys(&jr, request, "", keys)) != 0 ||
	    (rc = bf_jr_int(&jr, request, "replications", "", 1, BF_SIM_SERVER_MAX_REPLICATIONS, reps, false)) != 0 ||
	    (rc = bf_jr_number(&jr, request, "seed", "", &s, false)) != 0 ||
	    (rc = bf_jr_array(&jr, request, "policies", "", &policies, false)) != 0)
		return rc;
	if (!(s >= 0 && s <= 9007199254740991.0 && s == (double)(uint64_t)s))
		return bf_jr_fail(&jr, "seed", "must be a whole number from 0 to 2^53 - 1");
	*seed = (uint64_t)s;
	scen = json_object_get(request, "scenario");
	if (json_is_string(scen)) {
		const char *text = bf_scenario_bundled(json_string_value(scen));
		if (text == NULL)
			return bf_jr_fail(&jr, "scenario", "no bundled scenario \"%s\" (GET /v1/scenarios lists them)",
			                  json_string_value(scen));
		root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	} else if (json_is_object(scen)) {
		root = json_incref(scen);
	} else {
		return bf_jr_fail(&jr, "scenario", "must be a bundled scenario's name or a scenario object");
	}
	if (root == NULL)
		return bf_error_set(err, BF_EIO, "scenario", "the bundled scenario cannot be read");
	if ((rc = live_data(svc, &data, err)) != 0) {
		json_decref(root);
		return rc;
	}
	rc = bf_scenario_read(NULL, root, &data, sc, err);
	live_data_free(&data);
	json_decref(root);
	if (rc != 0) {
		char field[sizeof(err->field)];
		snprintf(field, sizeof(field), "scenario%s%s", err->field[0] ? "." : "", err->field);
		bf_strlcpy(err->field, field, sizeof(err->field));
		return rc;
	}
	if (policies && (rc = pick_policies(&jr, policies, sc)) != 0) {
		bf_scenario_clear(sc);
		return rc;
	}
	return BF_OK;
}

static void new_id(char id[BF_SIMULATION_ID_MAX + 1])
{
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyz23456789";
	memcpy(id, "sim-", 4);
	for (int i = 4; i < 20; i++)
		id[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	id[20] = '\0';
}

int bf_simrun_create(struct bf_simrun *q, const struct bf_party *actor, json_t *request, json_t **out,
                     struct bf_error *err)
{
	struct bf_service *svc = q->svc;
	struct bf_scenario sc;
	struct bf_simulation sim = {0};
	uint64_t seed;
	int reps, rc;
	*out = NULL;
	if (!json_is_object(request))
		return bf_error_set(err, BF_EINVAL, "", "the body must be a JSON object");
	if ((rc = prepare(svc, request, &sc, &reps, &seed, err)) != 0)
		return rc;
	sim.total = sc.n_policies * reps;
	bf_scenario_clear(&sc);
	new_id(sim.id);
	bf_strlcpy(sim.party_id, actor->id, sizeof(sim.party_id));
	sim.created_at = bf_service_now(svc);
	bf_strlcpy(sim.status, "queued", sizeof(sim.status));
	sim.request = json_dumps(request, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	struct bf_store *s = bf_store_pool_acquire(bf_service_readers(svc));
	rc = bf_store_simulation_put(s, &sim, err);
	bf_store_pool_release(bf_service_readers(svc), s);
	free(sim.request);
	if (rc != 0)
		return rc;
	/* The answer shows the request as stored, before the runner takes it. */
	if ((rc = bf_simrun_get(q, sim.id, out, err)) != 0)
		return rc;
	enqueue(q, sim.id);
	return BF_OK;
}

int bf_simrun_get(struct bf_simrun *q, const char *id, json_t **out, struct bf_error *err)
{
	struct bf_service *svc = q->svc;
	struct bf_simulation sim;
	char at[BF_TIME_TEXT];
	long done = 0;
	*out = NULL;
	struct bf_store *s = bf_store_pool_acquire(bf_service_readers(svc));
	int rc = bf_store_simulation_get(s, id, &sim, err);
	bf_store_pool_release(bf_service_readers(svc), s);
	if (rc != 0)
		return rc;
	if (strcmp(sim.status, "done") == 0) {
		done = sim.total;
	} else {
		pthread_mutex_lock(&q->worker.lock);
		if (strcmp(q->current, sim.id) == 0)
			done = q->done;
		pthread_mutex_unlock(&q->worker.lock);
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(sim.id));
	json_object_set_new(o, "status", json_string(sim.status));
	json_object_set_new(o, "party", json_string(sim.party_id));
	bf_time_format_utc(sim.created_at, at);
	json_object_set_new(o, "created_at", json_string(at));
	if (sim.finished_at) {
		bf_time_format_utc(sim.finished_at, at);
		json_object_set_new(o, "finished_at", json_string(at));
	} else {
		json_object_set_new(o, "finished_at", json_null());
	}
	json_object_set_new(o, "request", json_loads(sim.request, 0, NULL));
	json_object_set_new(o, "progress",
	                    json_pack("{s:I,s:I}", "done", (json_int_t)done, "total", (json_int_t)sim.total));
	if (sim.result)
		json_object_set_new(o, "result", json_loads(sim.result, 0, NULL));
	if (sim.error)
		json_object_set_new(o, "error", json_loads(sim.error, 0, NULL));
	bf_simulation_free(&sim);
	*out = o;
	return BF_OK;
}

json_t *bf_simrun_scenarios(struct bf_service *svc)
{
	struct bf_dataset data;
	struct bf_error err = {0};
	json_t *list = json_array();
	if (live_data(svc, &data, &err) != 0)
		return list;
	for (const char *const *n = bf_scenario_bundled_names(); *n; n++) {
		struct bf_scenario sc;
		if (bf_scenario_load(*n, &data, &sc, &err) != 0)
			continue; /* a bundled scenario the live model no longer fits */
		json_t *o = json_object(), *gates = json_array(), *pols = json_array();
		json_object_set_new(o, "name", json_string(sc.name));
		json_object_set_new(o, "title", json_string(sc.title));
		json_object_set_new(o, "days", json_integer(sc.days));
		for (int g = 0; g < sc.n_gates; g++)
			json_array_append_new(gates, json_string(sc.gates[g].id));
		for (int p = 0; p < sc.n_policies; p++)
			json_array_append_new(pols, json_pack("{s:s,s:s}", "name", sc.policies[p].name, "description",
			                                      sc.policies[p].description));
		json_object_set_new(o, "gates", gates);
		json_object_set_new(o, "policies", pols);
		json_array_append_new(list, o);
		bf_scenario_clear(&sc);
	}
	live_data_free(&data);
	return list;
}

/* ---- the runner ---- */

static bool note_progress(void *ctx, long done, long total)
{
	struct bf_simrun *q = ctx;
	(void)total;
	pthread_mutex_lock(&q->worker.lock);
	q->done = done;
	bool go_on = !q->worker.stopping;
	pthread_mutex_unlock(&q->worker.lock);
	return go_on;
}

static json_t *error_json(const struct bf_error *err)
{
	return json_pack("{s:s,s:s,s:s}", "code", bf_error_code_name(err->code), "field", err->field, "message",
	                 err->message);
}

/* Runs one stored simulation; false when the runner was stopped in the
 * middle (the request stays queued for the next start). */
static bool run_one(struct bf_service *svc, struct bf_simrun *q, const char *id)
{
	struct bf_simulation sim;
	struct bf_error err = {0};
	struct bf_scenario sc;
	uint64_t seed;
	int reps, rc;
	char *result = NULL, *error = NULL;
	const char *status = "failed";
	struct bf_store *s = bf_store_pool_acquire(bf_service_readers(svc));
	rc = bf_store_simulation_get(s, id, &sim, &err);
	if (rc == 0)
		rc = bf_store_simulation_status(s, id, "running", NULL, NULL, 0, &err);
	bf_store_pool_release(bf_service_readers(svc), s);
	if (rc != 0)
		return true;
	json_t *request = json_loads(sim.request, 0, NULL);
	bf_simulation_free(&sim);
	rc = request ? prepare(svc, request, &sc, &reps, &seed, &err)
	             : bf_error_set(&err, BF_EINVAL, "", "the stored request is not JSON");
	json_decref(request);
	if (rc == 0) {
		struct bf_sim_run *runs = bf_xcalloc((size_t)sc.n_policies * (size_t)reps, sizeof(*runs));
		rc = bf_sim_replicate(&sc, seed, reps, q->threads, note_progress, q, runs);
		if (rc == 0) {
			struct bf_sim_summary sum;
			bf_sim_summarise(&sc, runs, reps, seed, &sum);
			json_t *doc = bf_summary_json(&sc, &sum);
			result = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(6));
			json_decref(doc);
			bf_sim_summary_free(&sum);
			status = "done";
		} else if (rc != BF_SIM_STOPPED) {
			bf_error_set(&err, rc, "scenario", "the scenario cannot be run");
		}
		for (long i = 0; i < (long)sc.n_policies * reps; i++)
			bf_sim_run_free(&runs[i]);
		free(runs);
		bf_scenario_clear(&sc);
	}
	if (rc == BF_SIM_STOPPED)
		return false;
	if (result == NULL) {
		json_t *e = error_json(&err);
		error = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(e);
	}
	s = bf_store_pool_acquire(bf_service_readers(svc));
	bf_store_simulation_status(s, id, status, result, error, bf_service_now(svc), &err);
	bf_store_pool_release(bf_service_readers(svc), s);
	free(result);
	free(error);
	return true;
}

static void runner(struct bf_worker *w)
{
	struct bf_simrun *q = w->arg;
	struct bf_service *svc = q->svc;
	for (;;) {
		char id[BF_SIMULATION_ID_MAX + 1];
		bool go_on = true;
		pthread_mutex_lock(&w->lock);
		while (go_on && q->head == q->n)
			go_on = bf_worker_sleep(w, -1);
		if (!go_on || w->stopping) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		bf_strlcpy(id, q->queue[q->head++], sizeof(id));
		bf_strlcpy(q->current, id, sizeof(q->current));
		q->done = 0;
		pthread_mutex_unlock(&w->lock);
		bool finished = run_one(svc, q, id);
		pthread_mutex_lock(&w->lock);
		q->current[0] = '\0';
		pthread_mutex_unlock(&w->lock);
		if (!finished)
			break;
	}
}

int bf_simrun_start(struct bf_service *svc, int threads, struct bf_simrun **out, struct bf_error *err)
{
	char(*ids)[BF_SIMULATION_ID_MAX + 1];
	size_t n;
	*out = NULL;
	struct bf_store *s = bf_store_pool_acquire(bf_service_readers(svc));
	int rc = bf_store_simulations_unfinished(s, &ids, &n, err);
	bf_store_pool_release(bf_service_readers(svc), s);
	if (rc != 0)
		return rc;
	struct bf_simrun *q = bf_xcalloc(1, sizeof(*q));
	q->svc = svc;
	q->threads = threads > 0 ? threads : 1;
	if (bf_worker_start(&q->worker, runner, q) != BF_OK) {
		free(ids);
		free(q);
		return bf_error_set(err, BF_EIO, "", "the simulation runner cannot start");
	}
	/* Queued before any new request, which comes only once this returns:
	 * they were acknowledged first. */
	for (size_t i = 0; i < n; i++)
		enqueue(q, ids[i]);
	free(ids);
	*out = q;
	return BF_OK;
}

void bf_simrun_stop(struct bf_simrun *q)
{
	if (q == NULL)
		return;
	bf_worker_stop(&q->worker);
	free(q->queue);
	free(q);
}
