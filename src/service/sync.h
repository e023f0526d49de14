/* Two nodes, one history. Each side runs its own node with its own
 * database and keys; each pulls the other's chain from its event feed
 * (GET /v1/events?origin=PEER&after=N), checks every event with the ledger
 * (hash, link, signature by a key the peer exported, author role,
 * transition), then that the peer's side may make it at all (its country's
 * decisions and records only: service/authority.h), and applies those that
 * hold, in order, each in one transaction with its effect on the
 * consignment records. An event that
 * does not hold is refused, logged and reported (GET /v1/sync), never
 * applied, and the pull stops there: a chain cannot skip an event. A page
 * that is cut off or does not parse is dropped whole and fetched again; a
 * page fetched twice finds its events here already and skips them. Errors
 * back off from half a second to half a minute; a success resets it.
 *
 * A consignment is owned by one side at a time, and ownership passes with
 * the goods: the export side's node decides until export clearance, the
 * import side's after. The two nodes never decide on the same
 * consignment at once, so their chains never disagree about its state. */
#ifndef BF_SERVICE_SYNC_H
#define BF_SERVICE_SYNC_H

#include "service/service.h"

#include <jansson.h>

/* The feed: events of ORIGIN's chain numbered above AFTER (ORIGIN NULL:
 * all events in this node's order, AFTER a local seq), at most LIMIT, as
 * {"node", "events": [...], "next_after", "more"}. */
int bf_service_feed(struct bf_service *svc, const char *origin, int64_t after, int limit, json_t **out,
                    struct bf_error *err);

struct bf_sync_config {
	const char *peer_url; /* "http://127.0.0.1:8081" */
	const char *token;    /* an auditor's bearer token on the peer */
	int interval_ms;      /* between pulls when up to date; 0 means 500 */
};

/* Starts pulling from the peer in a thread of its own. */
int bf_service_sync_start(struct bf_service *svc, const struct bf_sync_config *cfg, struct bf_error *err);
/* Stops the puller; bf_service_close() calls it. */
void bf_service_sync_stop(struct bf_service *svc);
/* What the puller has done: peer, applied, refusals, last error. */
json_t *bf_service_sync_status(struct bf_service *svc);

struct bf_sync_result {
	int applied, duplicates;
	bool refused;   /* an event did not verify: the pull stops at it */
	bool malformed; /* the page is not a feed page: nothing applied */
	bool more;      /* the peer has more after this page */
	char reason[400];
};

/* Applies one feed page (the body TEXT of LEN bytes) of PEER's chain:
 * event by event, each checked and applied in its own transaction. */
int bf_service_sync_apply_page(struct bf_service *svc, const char *peer, const char *text, size_t len,
                               struct bf_sync_result *out, struct bf_error *err);

/* In two-node mode, whether this node may decide on a consignment now in
 * STATE, exported from EXPORT_COUNTRY to DESTINATION. */
bool bf_svc_owns(struct bf_service *svc, enum bf_state state, const char *export_country, const char *destination);

#endif
