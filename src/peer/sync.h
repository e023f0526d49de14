/* Two nodes, one history. Each side runs its own node with its own
 * database and keys; each pulls the other's chain from its event feed
 * (GET /v1/events?origin=PEER&after=N), checks every event with the ledger
 * (hash, link, signature by a key the peer exported, author role,
 * transition), then that the peer's side may make it at all (its country's
 * decisions and records only: peer/authority.h), and applies those that
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
#ifndef BF_PEER_SYNC_H
#define BF_PEER_SYNC_H

#include "service/service.h"

#include <jansson.h>

struct bf_sync_config {
	const char *peer_url;  /* "https://cn-node.example:8443", or http:// on loopback and in tests */
	const char *ca_file;   /* PEM: the CAs that may sign an https peer's certificate; NULL: the system's */
	const char *peer_node; /* the peer's node id, pinned: a feed that says it is another's is refused */
	const char *token;     /* an auditor's bearer token on the peer */
	int interval_ms;       /* between pulls when up to date; 0 means 500 */
	int stale_after_s;     /* a peer not pulled from with success for longer is stale; 0 means 300 */
};

/* The puller of the peer's chain: `serve` starts it beside the HTTP
 * server and stops it before closing SVC. */
struct bf_sync;

/* Starts pulling from the peer in a thread of its own, into SVC, which
 * must outlive it and act for its country only (bf_service_country_scope;
 * BF_EINVAL naming "peer" for a node that holds the whole border). *OUT
 * is freed by bf_sync_stop(). */
int bf_sync_start(struct bf_service *svc, const struct bf_sync_config *cfg, struct bf_sync **out, struct bf_error *err);
/* Stops the puller, waits for its thread and frees it; NULL is allowed. */
void bf_sync_stop(struct bf_sync *y);
/* What puller Y has done: peer, applied, refusals, last error, the last
 * pull that succeeded and whether that is longer ago than the threshold
 * (stale); Y NULL (a lone node): this node's id and no peer. A new
 * reference. */
json_t *bf_sync_status(struct bf_service *svc, struct bf_sync *y);

/* Whether this node may write: true on a lone node (Y NULL) and, on a
 * paired one, once its own chain has been compared with the peer's copy
 * of it and what the peer held beyond it re-applied here (so that no
 * number of its chain is given twice); else false, and WHY (CAP bytes)
 * says what it waits for. */
bool bf_sync_writable(struct bf_sync *y, char *why, size_t cap);

struct bf_sync_result {
	int applied, duplicates;
	int disputed;   /* events held without effect, each a dispute raised (model/dispute.h) */
	bool refused;   /* an event did not verify: the pull stops at it */
	bool malformed; /* the page is not a feed page: nothing applied */
	bool more;      /* the peer has more after this page */
	char reason[400];
};

/* Applies one feed page (the body TEXT of LEN bytes) of PEER's chain:
 * event by event, each checked and applied in a savepoint of its own
 * that a refusal undoes alone, the page in one transaction committed
 * durably before the events are counted in OUT (a failed commit applies
 * none: the pull takes the page again). A page that says it is another
 * node's is refused whole. */
int bf_sync_apply_page(struct bf_service *svc, const char *peer, const char *text, size_t len,
                       struct bf_sync_result *out, struct bf_error *err);

/* As bf_sync_apply_page(), with the page's hashes and signatures checked
 * ahead on THREADS threads (one per core if THREADS is 0 or less): what
 * it applies and refuses does not depend on THREADS. */
int bf_sync_apply_page_on(struct bf_service *svc, const char *peer, const char *text, size_t len, int threads,
                          struct bf_sync_result *out, struct bf_error *err);

#endif
