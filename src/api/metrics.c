/* GET /metrics: the request figures kept here, and the node's own from
 * the store (yards, events, simulations) and from the peer sync. */
#include "api/metrics.h"

#include "api/handlers.h"
#include "peer/sync.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};
#define N_METHODS (sizeof(methods) / sizeof(methods[0]))

/* Upper bounds of the latency buckets, in seconds; +Inf follows. */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define N_BOUNDS (sizeof(bounds) / sizeof(bounds[0]))

/* Distinct (route, method, status) series kept; a request past them is
 * still timed, and counted in borderflow_http_requests_dropped_total. */
#define MAX_SERIES 1024

struct series {
	unsigned route, method;
	int status;
	uint64_t count;
};

struct latency {
	uint64_t buckets[N_BOUNDS]; /* by upper bound, not yet cumulative */
	uint64_t count;
	double sum;
};

struct bf_metrics {
	pthread_mutex_t lock;
	const struct bf_route *routes;
	size_t n_routes;           /* index n_routes is "unmatched" */
	struct latency *latencies; /* (n_routes + 1) × N_METHODS: by route and method */
	struct series series[MAX_SERIES];
	size_t n_series;
	uint64_t dropped;
	uint64_t kept[2]; /* answers of KEPT routes made anew, given again */
	uint64_t log_dropped;
};

struct bf_metrics *bf_metrics_new(const struct bf_route *routes, size_t n_routes)
{
	struct bf_metrics *m = bf_xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	m->routes = routes;
	m->n_routes = n_routes;
	m->latencies = bf_xcalloc((m->n_routes + 1) * N_METHODS, sizeof(*m->latencies));
	return m;
}

void bf_metrics_free(struct bf_metrics *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m->latencies);
	free(m);
}

static unsigned method_index(const char *method)
{
	for (unsigned i = 0; i + 1 < N_METHODS; i++)
		if (method != NULL && strcmp(method, methods[i]) == 0)
			return i;
	return N_METHODS - 1;
}

const char *bf_metrics_method(const char *method)
{
	return methods[method_index(method)];
}

void bf_metrics_observe(struct bf_metrics *m, const struct bf_route *route, const char *method, int status,
                        double seconds)
{
	unsigned r = route != NULL ? (unsigned)(route - m->routes) : (unsigned)m->n_routes;
	unsigned mi = method_index(method);
	size_t b = 0;
	if (r > m->n_routes)
		r = (unsigned)m->n_routes;
	while (b < N_BOUNDS && seconds > bounds[b])
		b++;
	pthread_mutex_lock(&m->lock);
	struct latency *l = &m->latencies[r * N_METHODS + mi];
	if (b < N_BOUNDS)
		l->buckets[b]++;
	l->count++;
	l->sum += seconds;
	size_t i = 0;
	while (i < m->n_series &&
	       !(m->series[i].route == r && m->series[i].method == mi && m->series[i].status == status))
		i++;
	if (i == m->n_series && i < MAX_SERIES)
		m->series[m->n_series++] = (struct series){.route = r, .method = mi, .status = status};
	if (i < MAX_SERIES)
		m->series[i].count++;
	else
		m->dropped++;
	pthread_mutex_unlock(&m->lock);
}

void bf_metrics_kept(struct bf_metrics *m, bool again)
{
	__atomic_fetch_add(&m->kept[again], 1, __ATOMIC_RELAXED);
}

void bf_metrics_log_dropped(struct bf_metrics *m)
{
	__atomic_fetch_add(&m->log_dropped, 1, __ATOMIC_RELAXED);
}

static const char *route_label(const struct bf_metrics *m, unsigned r)
{
	return r < m->n_routes ? m->routes[r].pattern : "unmatched";
}

static void render_requests(struct bf_metrics *m, FILE *f)
{
	pthread_mutex_lock(&m->lock);
	fputs("# HELP borderflow_http_requests_total HTTP requests answered, by route pattern, method and status.\n"
	      "# TYPE borderflow_http_requests_total counter\n",
	      f);
	for (size_t i = 0; i < m->n_series; i++) {
		const struct series *s = &m->series[i];
		fprintf(f, "borderflow_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
		        route_label(m, s->route), methods[s->method], s->status, (unsigned long long)s->count);
	}
	fprintf(f,
	        "# HELP borderflow_http_requests_dropped_total Requests past the series kept, counted only here.\n"
	        "# TYPE borderflow_http_requests_dropped_total counter\n"
	        "borderflow_http_requests_dropped_total %llu\n",
	        (unsigned long long)m->dropped);
	fprintf(f,
	        "# HELP borderflow_http_answers_kept_total Answers of the routes whose answers are kept a moment, "
	        "made anew (miss) or given again (hit).\n"
	        "# TYPE borderflow_http_answers_kept_total counter\n"
	        "borderflow_http_answers_kept_total{result=\"miss\"} %llu\n"
	        "borderflow_http_answers_kept_total{result=\"hit\"} %llu\n",
	        (unsigned long long)__atomic_load_n(&m->kept[0], __ATOMIC_RELAXED),
	        (unsigned long long)__atomic_load_n(&m->kept[1], __ATOMIC_RELAXED));
	fprintf(f,
	        "# HELP borderflow_log_lines_dropped_total Request log lines dropped because the log's writer had "
	        "fallen a buffer behind.\n"
	        "# TYPE borderflow_log_lines_dropped_total counter\n"
	        "borderflow_log_lines_dropped_total %llu\n",
	        (unsigned long long)__atomic_load_n(&m->log_dropped, __ATOMIC_RELAXED));
	fputs("# HELP borderflow_http_request_duration_seconds Time from a request's headers to its answer, by "
	      "route pattern and method.\n"
	      "# TYPE borderflow_http_request_duration_seconds histogram\n",
	      f);
	/* One series a route pattern and method: the table has a route for
	 * each method of a pattern, and a HEAD may take a GET's route. */
	for (unsigned r = 0; r <= m->n_routes; r++) {
		for (unsigned mi = 0; mi < N_METHODS; mi++) {
			const struct latency *l = &m->latencies[r * N_METHODS + mi];
			const char *route = route_label(m, r), *method = methods[mi];
			uint64_t cumulative = 0;
			if (l->count == 0)
				continue;
			for (size_t b = 0; b < N_BOUNDS; b++) {
				cumulative += l->buckets[b];
				fprintf(f,
				        "borderflow_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le="
				        "\"%g\"} "
				        "%llu\n",
				        route, method, bounds[b], (unsigned long long)cumulative);
			}
			fprintf(
			    f,
			    "borderflow_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"+Inf\"} "
			    "%llu\n",
			    route, method, (unsigned long long)l->count);
			fprintf(f, "borderflow_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n",
			        route, method, l->sum);
			fprintf(f, "borderflow_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n",
			        route, method, (unsigned long long)l->count);
		}
	}
	pthread_mutex_unlock(&m->lock);
}

static long events_of(const struct bf_store_metrics *sm, const char *kind)
{
	for (size_t i = 0; i < sm->n_kinds; i++)
		if (strcmp(sm->kinds[i].kind, kind) == 0)
			return sm->kinds[i].events;
	return 0;
}

static void render_store(const struct bf_store_metrics *sm, FILE *f)
{
	static const char *const statuses[4] = {"queued", "running", "done", "failed"};
	fputs("# HELP borderflow_queue_vehicles Vehicles waiting in each gate's yard (checked in, not yet called).\n"
	      "# TYPE borderflow_queue_vehicles gauge\n",
	      f);
	for (size_t i = 0; i < sm->n_gates; i++)
		fprintf(f, "borderflow_queue_vehicles{gate=\"%s\"} %ld\n", sm->gates[i].gate_id, sm->gates[i].waiting);
	fprintf(f,
	        "# HELP borderflow_bookings_total Slots booked (consignment.booked events).\n"
	        "# TYPE borderflow_bookings_total counter\n"
	        "borderflow_bookings_total %ld\n"
	        "# HELP borderflow_rebookings_total Bookings moved: by the planner after a gate change, after a "
	        "missed slot, or by the carrier.\n"
	        "# TYPE borderflow_rebookings_total counter\n"
	        "borderflow_rebookings_total{reason=\"gate_change\"} %ld\n"
	        "borderflow_rebookings_total{reason=\"missed_slot\"} %ld\n"
	        "borderflow_rebookings_total{reason=\"carrier\"} %ld\n",
	        events_of(sm, "consignment.booked"), events_of(sm, "booking.moved"), events_of(sm, "booking.missed"),
	        events_of(sm, "booking.changed"));
	fputs("# HELP borderflow_events_total Events appended to this node's history (both chains), by kind.\n"
	      "# TYPE borderflow_events_total counter\n",
	      f);
	for (size_t i = 0; i < sm->n_kinds; i++)
		fprintf(f, "borderflow_events_total{kind=\"%s\"} %ld\n", sm->kinds[i].kind, sm->kinds[i].events);
	fputs("# HELP borderflow_overrides_total Steps taken outside the gate's hours or before their slot was due, "
	      "each with a stated reason signed into its event, by the step's event kind.\n"
	      "# TYPE borderflow_overrides_total counter\n",
	      f);
	for (size_t i = 0; i < sm->n_overrides; i++)
		fprintf(f, "borderflow_overrides_total{kind=\"%s\"} %ld\n", sm->overrides[i].kind,
		        sm->overrides[i].events);
	fputs("# HELP borderflow_simulations Simulations asked of this node, by status (done and failed have run).\n"
	      "# TYPE borderflow_simulations gauge\n",
	      f);
	for (int i = 0; i < 4; i++)
		fprintf(f, "borderflow_simulations{status=\"%s\"} %ld\n", statuses[i], sm->simulations[i]);
}

static json_int_t int_of(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The pull from the peer, only when one is configured; the commit groups,
 * on SQLite. */
static void render_sync(struct bf_service *svc, struct bf_sync *sync, FILE *f)
{
	json_t *st = bf_sync_status(svc, sync);
	if (st != NULL && json_is_object(json_object_get(st, "peer"))) {
		fprintf(f,
		        "# HELP borderflow_sync_applied_total Events pulled from the peer and applied.\n"
		        "# TYPE borderflow_sync_applied_total counter\n"
		        "borderflow_sync_applied_total %lld\n"
		        "# HELP borderflow_sync_failures_total Pulls from the peer that failed (unreachable, cut off, "
		        "refused).\n"
		        "# TYPE borderflow_sync_failures_total counter\n"
		        "borderflow_sync_failures_total %lld\n"
		        "# HELP borderflow_sync_refusals Events of the peer refused (kept for GET /v1/sync).\n"
		        "# TYPE borderflow_sync_refusals gauge\n"
		        "borderflow_sync_refusals %zu\n"
		        "# HELP borderflow_sync_seconds_since_success Seconds since a pull from the peer last "
		        "succeeded (since the start, before the first).\n"
		        "# TYPE borderflow_sync_seconds_since_success gauge\n"
		        "borderflow_sync_seconds_since_success %lld\n"
		        "# HELP borderflow_sync_stale 1 when that is longer than the threshold (serve "
		        "--peer-stale-after): the nodes no longer share what they sign.\n"
		        "# TYPE borderflow_sync_stale gauge\n"
		        "borderflow_sync_stale %d\n",
		        (long long)int_of(st, "applied"), (long long)int_of(st, "failures"),
		        json_array_size(json_object_get(st, "refusals")),
		        (long long)int_of(st, "seconds_since_success"),
		        json_is_true(json_object_get(st, "stale")) ? 1 : 0);
	}
	json_t *ph = json_object_get(st, "peer_head");
	if (json_is_object(ph))
		fprintf(f,
		        "# HELP borderflow_sync_peer_head_age_seconds Seconds since the latest signed head of the "
		        "peer's chain arrived.\n"
		        "# TYPE borderflow_sync_peer_head_age_seconds gauge\n"
		        "borderflow_sync_peer_head_age_seconds %lld\n",
		        (long long)int_of(ph, "age_seconds"));
	size_t open_forks = 0, i;
	json_t *fk;
	json_array_foreach (json_object_get(st, "forks"), i, fk)
		open_forks += json_is_null(json_object_get(fk, "resolved_at"));
	if (st != NULL)
		fprintf(f,
		        "# HELP borderflow_forks Forks found on the link and not yet resolved: two validly signed "
		        "events under one number of one chain, kept as evidence (GET /v1/sync).\n"
		        "# TYPE borderflow_forks gauge\n"
		        "borderflow_forks %zu\n",
		        open_forks);
	if (st != NULL && json_is_integer(json_object_get(st, "disputes")))
		fprintf(f,
		        "# HELP borderflow_disputes Events either node holds without effect for breaking the "
		        "authority rule (GET /v1/disputes).\n"
		        "# TYPE borderflow_disputes gauge\n"
		        "borderflow_disputes %lld\n",
		        (long long)int_of(st, "disputes"));
	json_decref(st);
	uint64_t groups, commits;
	if (bf_service_commit_groups(svc, &groups, &commits))
		fprintf(f,
		        "# HELP borderflow_store_commit_groups_total Groups of write transactions committed together, "
		        "with one wait for the disk each (SQLite).\n"
		        "# TYPE borderflow_store_commit_groups_total counter\n"
		        "borderflow_store_commit_groups_total %llu\n"
		        "# HELP borderflow_store_grouped_commits_total Write transactions committed in those groups.\n"
		        "# TYPE borderflow_store_grouped_commits_total counter\n"
		        "borderflow_store_grouped_commits_total %llu\n",
		        (unsigned long long)groups, (unsigned long long)commits);
}

/* Public, like the health check: the figures name route patterns, gates
 * and event kinds, never a path, a party, a vehicle or a token. */
void bf_h_metrics(struct bf_call *c, struct bf_reply *r)
{
	struct bf_store_metrics sm;
	struct bf_error err = {0};
	char *text = NULL;
	size_t len = 0;
	if (bf_service_metrics(c->svc, &sm, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	FILE *f = open_memstream(&text, &len);
	if (f == NULL) {
		bf_service_metrics_clear(&sm);
		bf_reply_error(r, 500, "internal", "", "out of memory");
		return;
	}
	if (c->metrics != NULL)
		render_requests(c->metrics, f);
	render_store(&sm, f);
	render_sync(c->svc, c->sync, f);
	bf_service_metrics_clear(&sm);
	fclose(f);
	r->status = 200;
	r->text = text;
	r->text_len = len;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
