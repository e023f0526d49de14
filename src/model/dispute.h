/* A dispute: an event of the peer's chain that holds together (its hash,
 * its link, its signature by a key known here) but breaks the authority
 * rule (service/authority.h), or a move the lifecycle does not give its
 * author. It is kept in the chain as it is, so that both nodes hold the
 * same history, and has no effect on the node that raised the dispute;
 * that node signs a dispute.raised event about it, which its peer lists
 * too. */
#ifndef BF_MODEL_DISPUTE_H
#define BF_MODEL_DISPUTE_H

#include "model/event.h"
#include "model/time.h"

#include <stdint.h>

#define BF_DISPUTE_REASON_MAX 400

struct bf_dispute {
	char origin[BF_NODE_ID_MAX + 1];        /* the disputed event's chain */
	int64_t origin_seq;                     /* and its number there */
	char kind[BF_EVENT_KIND_MAX + 1];       /* the disputed event's kind */
	char subject[BF_EVENT_SUBJECT_MAX + 1]; /* and its subject */
	char hash[BF_EVENT_HASH_BYTES * 2 + 1]; /* its hash, in hex */
	char raised_by[BF_NODE_ID_MAX + 1];     /* the node that disputes it */
	char reason[BF_DISPUTE_REASON_MAX + 1]; /* why, as that node's rule says */
	bf_time raised_at;
};

/* A fork: two different events, both validly signed, under one number of
 * one chain: the one this node holds and the one offered to it (by its
 * peer, of either chain). Both are kept as they were signed, as evidence;
 * the node takes no more events of that chain until an operator resolves
 * the fork (resolved_at, 0 while open). */
struct bf_fork {
	char origin[BF_NODE_ID_MAX + 1];
	int64_t origin_seq;
	char *held, *offered; /* each event as the feed carries it, JSON (malloc'd) */
	bf_time detected_at, resolved_at;
};

#endif
