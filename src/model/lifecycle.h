/* The consignment lifecycle: its states, the roles that act on it, and the
 * one table of which role may move a consignment from which state to which.
 * Every other file asks this table; none keeps its own copy of the rules. */
#ifndef BF_MODEL_LIFECYCLE_H
#define BF_MODEL_LIFECYCLE_H

#include "model/error.h"

#include <stdbool.h>
#include <stddef.h>

enum bf_state {
	BF_ST_DECLARED,
	BF_ST_VALIDATED,
	BF_ST_REJECTED,
	BF_ST_BOOKED,
	BF_ST_WAITING,
	BF_ST_CALLED,
	BF_ST_EXPORT_CLEARED,
	BF_ST_HELD,
	BF_ST_IMPORT_CLEARED,
	BF_ST_INSPECTION,
	BF_ST_REFUSED,
	BF_ST_RETURNED,
	BF_ST_CROSSED,
	BF_ST_CANCELLED,
	BF_ST_COUNT
};

/* "system" is borderflow itself: it validates declarations against the
 * registry and rebooks after a disruption, on no person's say-so. */
enum bf_role {
	BF_ROLE_SYSTEM,
	BF_ROLE_CARRIER,
	BF_ROLE_EXPORT_AUTHORITY,
	BF_ROLE_IMPORT_AUTHORITY,
	BF_ROLE_GATE_OPERATOR,
	BF_ROLE_PLANNER,
	BF_ROLE_REGISTRY_AUTHORITY,
	BF_ROLE_AUDITOR,
	BF_ROLE_COUNT
};

struct bf_transition {
	enum bf_state from, to;
	enum bf_role role;
};

/* The lifecycle table; bf_lifecycle_len entries. */
extern const struct bf_transition bf_lifecycle[];
extern const size_t bf_lifecycle_len;

const char *bf_state_name(enum bf_state s);
int bf_state_parse(const char *s, enum bf_state *out);
const char *bf_role_name(enum bf_role r);
int bf_role_parse(const char *s, enum bf_role *out);
/* A terminal state has no way out: rejected, returned, crossed, cancelled. */
bool bf_state_terminal(enum bf_state s);

/* 0 when ROLE may move a consignment FROM -> TO; otherwise BF_ECONFLICT
 * (no such transition from that state) or BF_EFORBIDDEN (the transition
 * exists but belongs to another role), with the reason in ERR. */
int bf_transition_check(enum bf_state from, enum bf_state to, enum bf_role role, struct bf_error *err);

/* The system's release of a booking it can no longer keep in time (after
 * a change at the gate or a missed slot, no slot with a place is left
 * before the load's deadline): booked or waiting -> validated, recorded as
 * booking.released. Not a row of the table, whose pairs have one role
 * each and where booked -> validated is the carrier's giving its slot up.
 * 0, or BF_ECONFLICT (another state) or BF_EFORBIDDEN (another role). */
int bf_transition_release_check(enum bf_state from, enum bf_role role, struct bf_error *err);

#endif
