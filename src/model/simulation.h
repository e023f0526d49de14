/* A simulation asked of the server (model/simulation.c): the request as
 * it was acknowledged, and the result once run. */
#ifndef BF_MODEL_SIMULATION_H
#define BF_MODEL_SIMULATION_H

#include "model/party.h"
#include "model/time.h"

#define BF_SIMULATION_ID_MAX 40
struct bf_simulation {
	char id[BF_SIMULATION_ID_MAX + 1];
	char party_id[BF_PARTY_ID_MAX + 1];
	bf_time created_at, finished_at; /* finished_at 0 until done or failed */
	char status[12];                 /* queued, running, done, failed */
	int total;                       /* runs: policies times replications */
	char *request, *result, *error;  /* JSON texts, owned; result and error may be NULL */
};
/* Frees the texts SIM owns. */
void bf_simulation_free(struct bf_simulation *sim);

#endif
