/* Simulations over HTTP: ask for one, read its progress and result, and
 * list the bundled scenarios to choose from; and the event feed and the
 * state of the pull from the peer node. */
#include "api/handlers.h"
#include "ledger/ledger.h"
#include "service/simulation.h"
#include "service/sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

void bf_h_simulate(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	json_t *doc;
	json_t *body = bf_call_json_body(c, r);
	if (body == NULL)
		return;
	int rc = bf_service_simulation_create(c->svc, &c->actor, body, &doc, &err);
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
	if (bf_service_simulation_get(c->svc, c->params[0], &doc, &err) != 0) {
		bf_reply_failure(r, &err);
		return;
	}
	bf_reply_json(r, 200, doc);
}

void bf_h_scenarios(struct bf_call *c, struct bf_reply *r)
{
	bf_reply_json(r, 200, json_pack("{s:o}", "scenarios", bf_service_scenarios(c->svc)));
}

const char *const bf_events_query[] = {"origin", "after", "limit", NULL};

/* The event feed: what the other side's node pulls, and the integration
 * point for other systems (a single window, a carrier's software). */
void bf_h_events(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	const char *origin = c->query(c->conn, "origin"), *after = c->query(c->conn, "after"),
	           *limit = c->query(c->conn, "limit");
	long long a = 0, l = 100;
	char *end;
	json_t *doc;
	errno = 0;
	if (after != NULL &&
	    (a = strtoll(after, &end, 10), *after == '\0' || *end != '\0' || a < 0 || errno == ERANGE)) {
		bf_reply_error(r, 400, "invalid", "after", "must be a whole number, 0 or more");
		return;
	}
	if (limit != NULL && (l = strtoll(limit, &end, 10), *limit == '\0' || *end != '\0' || l < 0 || l > 1000)) {
		bf_reply_error(r, 400, "invalid", "limit", "must be a whole number from 0 to 1000");
		return;
	}
	if (origin != NULL && bf_ledger_node_check(origin, &err) != 0) {
		bf_reply_error(r, 400, "invalid", "origin", "%s", err.message);
		return;
	}
	if (bf_service_feed(c->svc, origin, (int64_t)a, (int)l, &doc, &err) != 0) {
		bf_reply_failure(r, &err);
		return;
	}
	bf_reply_json(r, 200, doc);
}

void bf_h_sync(struct bf_call *c, struct bf_reply *r)
{
	bf_reply_json(r, 200, bf_service_sync_status(c->svc));
}
