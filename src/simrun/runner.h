/* Simulations run by the server: a planner asks for one, the server
 * acknowledges it at once, runs it in the background over the live gate
 * model (the pairs with every posted closure, extension and lane change)
 * and keeps the result. The request is stored before it is acknowledged,
 * so a restart runs again whatever was queued or running: a run is fully
 * determined by its request. */
#ifndef BF_SIMRUN_RUNNER_H
#define BF_SIMRUN_RUNNER_H

#include "service/service.h"

#include <jansson.h>

/* Largest number of replications a request may ask of the server. */
#define BF_SIM_SERVER_MAX_REPLICATIONS 200

/* The runner: one background thread, a queue of stored requests. */
struct bf_simrun;

/* Starts the background runner over SVC (which must outlive it) with
 * THREADS threads a simulation, and queues what a previous process left
 * unfinished. `serve` starts it beside the HTTP server; the command-line
 * tools that open a service do not. *OUT is freed by bf_simrun_stop(). */
int bf_simrun_start(struct bf_service *svc, int threads, struct bf_simrun **out, struct bf_error *err);

/* Checks REQUEST ({"scenario": NAME or an inline scenario, "replications",
 * "seed", "policies"}), stores and queues it, and returns its resource
 * (as bf_simrun_get does) in *OUT. BF_EINVAL names the field:
 * a scenario's own fields are under "scenario.". */
int bf_simrun_create(struct bf_simrun *q, const struct bf_party *actor, json_t *request, json_t **out,
                     struct bf_error *err);

/* The resource: id, status (queued, running, done, failed), party,
 * created_at, finished_at, request, progress {done, total}, and the
 * result or the error. */
int bf_simrun_get(struct bf_simrun *q, const char *id, json_t **out, struct bf_error *err);

/* The bundled scenarios: name, title, days, gates and policies. */
json_t *bf_simrun_scenarios(struct bf_service *svc);

/* Stops the runner, waits for its thread and frees it (the run in
 * progress is left to be run again at the next start); NULL is allowed. */
void bf_simrun_stop(struct bf_simrun *q);

#endif
