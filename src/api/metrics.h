/* The server's figures for GET /metrics (Prometheus text format 0.0.4):
 * requests by route pattern, method and status, and their latency as a
 * histogram by route, kept in memory since the process started. */
#ifndef BF_API_METRICS_H
#define BF_API_METRICS_H

#include "api/routes.h"

struct bf_metrics;

/* Figures for the N_ROUTES routes of ROUTES (the route table, which must
 * outlive them). Never fails (allocation aborts); free with
 * bf_metrics_free(). */
struct bf_metrics *bf_metrics_new(const struct bf_route *routes, size_t n_routes);
void bf_metrics_free(struct bf_metrics *m);

/* Counts one answered request: ROUTE is the route it matched (NULL: none,
 * counted as route "unmatched", so that unknown paths add no labels),
 * SECONDS from its headers to its answer. Safe from any thread. */
void bf_metrics_observe(struct bf_metrics *m, const struct bf_route *route, const char *method, int status,
                        double seconds);

/* Counts one answer of a route that may be kept (api/cache.h): AGAIN when
 * a kept answer was given, not made anew. */
void bf_metrics_kept(struct bf_metrics *m, bool again);

/* Counts a request log line dropped (api/reqlog.h). */
void bf_metrics_log_dropped(struct bf_metrics *m);

/* METHOD as a label: the standard methods as they are, anything else
 * "OTHER" (a client chooses the method, and labels must stay few). */
const char *bf_metrics_method(const char *method);

#endif
