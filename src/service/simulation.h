/* Simulations run by the server: a planner asks for one, the server
 * acknowledges it at once, runs it in the background over the live gate
 * model (the pairs with every posted closure, extension and lane change)
 * and keeps the result. The request is stored before it is acknowledged,
 * so a restart runs again whatever was queued or running: a run is fully
 * determined by its request. */
#ifndef BF_SERVICE_SIMULATION_H
#define BF_SERVICE_SIMULATION_H

#include "service/service.h"

#include <jansson.h>

/* Largest number of replications a request may ask of the server. */
#define BF_SIM_SERVER_MAX_REPLICATIONS 200

/* Starts the background runner with THREADS threads a simulation, and
 * queues what a previous process left unfinished. Servers call it; the
 * command-line tools that open a service do not. */
int bf_service_simulations_start(struct bf_service *svc, int threads, struct bf_error *err);

/* Checks REQUEST ({"scenario": NAME or an inline scenario, "replications",
 * "seed", "policies"}), stores and queues it, and returns its resource
 * (as bf_service_simulation_get does) in *OUT. BF_EINVAL names the field:
 * a scenario's own fields are under "scenario.". */
int bf_service_simulation_create(struct bf_service *svc, const struct bf_party *actor, json_t *request, json_t **out,
                                 struct bf_error *err);

/* The resource: id, status (queued, running, done, failed), party,
 * created_at, finished_at, request, progress {done, total}, and the
 * result or the error. */
int bf_service_simulation_get(struct bf_service *svc, const char *id, json_t **out, struct bf_error *err);

/* The bundled scenarios: name, title, days, gates and policies. */
json_t *bf_service_scenarios(struct bf_service *svc);

/* Stops the runner (the run in progress is left to be run again at the
 * next start). Called by bf_service_close(). */
void bf_service_simulations_stop(struct bf_service *svc);

#endif
