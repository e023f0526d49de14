/* The event feed (peer/feed.c), GET /v1/events: the page the other
 * side's node pulls (peer/sync.h). */
#ifndef BF_PEER_FEED_H
#define BF_PEER_FEED_H

#include "service/service.h"

#include <jansson.h>

/* Events of ORIGIN's chain numbered above AFTER (ORIGIN NULL: all events
 * in this node's order, AFTER a local seq), at most LIMIT (0 to 1000), as
 * {"node", "events": [...], "next_after", "more"}. *OUT is a new
 * reference. BF_EINVAL naming "limit", "after" or "origin" (not a node id)
 * when out of range. */
int bf_feed_page(struct bf_service *svc, const char *origin, int64_t after, int limit, json_t **out,
                 struct bf_error *err);

#endif
