/* Simulations over HTTP: ask for one, read its progress and result, and
 * list the bundled scenarios to choose from. */
#include "api/handlers.h"

#include "simrun/runner.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>

/* A server started without a runner (an embedding of the API that runs
 * none) says so rather than queueing what nothing would run. */
static bool no_runner(struct bf_call *c, struct bf_reply *r)
{
	if (c->simrun != NULL)
		return false;
	bf_reply_error(r, 503, "unavailable", "", "this server runs no simulations");
	return true;
}

void bf_h_simulate(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	json_t *doc;
	if (no_runner(c, r))
		return;
	json_t *body = bf_call_json_body(c, r);
	if (body == NULL)
		return;
	int rc = bf_simrun_create(c->simrun, &c->actor, body, &doc, &err);
	json_decref(body);
	if (rc != 0) {
		bf_reply_failure(r, &err);
		return;
	}
	/* Accepted: it runs in the background; the Location is polled. */
	snprintf(r->location, sizeof(r->location), "/v1/simulations/%s", json_string_value(json_object_get(doc, "id")));
	bf_reply_json(r, 202, doc);
}

void bf_h_simulation(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	json_t *doc;
	if (no_runner(c, r))
		return;
	if (bf_simrun_get(c->simrun, c->params[0], &doc, &err) != 0) {
		bf_reply_failure(r, &err);
		return;
	}
	bf_reply_json(r, 200, doc);
}

void bf_h_scenarios(struct bf_call *c, struct bf_reply *r)
{
	bf_reply_json(r, 200, json_pack("{s:o}", "scenarios", bf_simrun_scenarios(c->svc)));
}
