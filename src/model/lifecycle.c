/* The lifecycle table of the consignment (the design's state diagram), and its queries.
 *
 * Where this table reads more into the design's diagram, and why:
 * - "held" is the export authority's hold; it may later release the load
 *   (held -> export_cleared). A hold that can never be lifted would force a
 *   cancel and a new declaration for a paperwork fault.
 * - an inspection ends in import clearance or a refusal, both the import
 *   authority's; a refused load is returned through the gate, which the gate
 *   operator records.
 * - a carrier may give its slot up and keep its declaration
 *   (booked -> validated), to book again later; changing a slot is no
 *   change of state.
 * Cancelling belongs to the carrier and is open from every state that is
 * neither terminal nor past the point of no return (crossed).
 * One step of the system's stands beside the table: when rebooking finds a
 * load no place before its deadline, it releases the booking (booked or
 * waiting -> validated, bf_transition_release_check), so that no load
 * stays booked without a slot. */
#include "model/lifecycle.h"

#include <string.h>

#define T(f, t, r)                                                                                                     \
	{                                                                                                              \
		BF_ST_##f, BF_ST_##t, BF_ROLE_##r                                                                      \
	}

const struct bf_transition bf_lifecycle[] = {
    T(DECLARED, VALIDATED, SYSTEM),
    T(DECLARED, REJECTED, SYSTEM),
    T(VALIDATED, BOOKED, CARRIER),
    T(BOOKED, VALIDATED, CARRIER), /* the carrier gives its slot up */
    T(BOOKED, BOOKED, SYSTEM),     /* rebooked after a change of capacity */
    T(BOOKED, WAITING, CARRIER),   /* checked in at the waiting yard */
    T(WAITING, CALLED, GATE_OPERATOR),
    T(CALLED, EXPORT_CLEARED, EXPORT_AUTHORITY),
    T(CALLED, HELD, EXPORT_AUTHORITY),
    T(HELD, EXPORT_CLEARED, EXPORT_AUTHORITY),
    T(EXPORT_CLEARED, IMPORT_CLEARED, IMPORT_AUTHORITY),
    T(EXPORT_CLEARED, INSPECTION, IMPORT_AUTHORITY),
    T(INSPECTION, IMPORT_CLEARED, IMPORT_AUTHORITY),
    T(INSPECTION, REFUSED, IMPORT_AUTHORITY),
    T(REFUSED, RETURNED, GATE_OPERATOR),
    T(IMPORT_CLEARED, CROSSED, GATE_OPERATOR),
    T(DECLARED, CANCELLED, CARRIER),
    T(VALIDATED, CANCELLED, CARRIER),
    T(BOOKED, CANCELLED, CARRIER),
    T(WAITING, CANCELLED, CARRIER),
    T(CALLED, CANCELLED, CARRIER),
    T(EXPORT_CLEARED, CANCELLED, CARRIER),
    T(HELD, CANCELLED, CARRIER),
    T(INSPECTION, CANCELLED, CARRIER),
    T(IMPORT_CLEARED, CANCELLED, CARRIER),
    T(REFUSED, CANCELLED, CARRIER),
};
const size_t bf_lifecycle_len = sizeof(bf_lifecycle) / sizeof(bf_lifecycle[0]);

static const char *const state_names[BF_ST_COUNT] = {
    "declared", "validated",      "rejected",   "booked",  "waiting",  "called",  "export_cleared",
    "held",     "import_cleared", "inspection", "refused", "returned", "crossed", "cancelled",
};

static const char *const role_names[BF_ROLE_COUNT] = {
    "system",        "carrier", "export_authority",   "import_authority",
    "gate_operator", "planner", "registry_authority", "auditor",
};

const char *bf_state_name(enum bf_state s)
{
	return (int)s >= 0 && s < BF_ST_COUNT ? state_names[s] : "?";
}

int bf_state_parse(const char *s, enum bf_state *out)
{
	for (int i = 0; s != NULL && i < BF_ST_COUNT; i++) {
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum bf_state)i;
			return BF_OK;
		}
	}
	return BF_EINVAL;
}

const char *bf_role_name(enum bf_role r)
{
	return (int)r >= 0 && r < BF_ROLE_COUNT ? role_names[r] : "?";
}

int bf_role_parse(const char *s, enum bf_role *out)
{
	for (int i = 0; s != NULL && i < BF_ROLE_COUNT; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum bf_role)i;
			return BF_OK;
		}
	}
	return BF_EINVAL;
}

int bf_transition_release_check(enum bf_state from, enum bf_role role, struct bf_error *err)
{
	if (role != BF_ROLE_SYSTEM)
		return bf_error_set(err, BF_EFORBIDDEN, "role",
		                    "releasing a booking is the system's step, not the %s's", bf_role_name(role));
	if (from != BF_ST_BOOKED && from != BF_ST_WAITING)
		return bf_error_set(err, BF_ECONFLICT, "state", "a consignment that is %s holds no booking to release",
		                    bf_state_name(from));
	return BF_OK;
}

bool bf_state_terminal(enum bf_state s)
{
	for (size_t i = 0; i < bf_lifecycle_len; i++) {
		if (bf_lifecycle[i].from == s)
			return false;
	}
	return true;
}

int bf_transition_check(enum bf_state from, enum bf_state to, enum bf_role role, struct bf_error *err)
{
	if ((int)from < 0 || from >= BF_ST_COUNT || (int)to < 0 || to >= BF_ST_COUNT)
		return bf_error_set(err, BF_EINVAL, "state", "unknown state");
	if ((int)role < 0 || role >= BF_ROLE_COUNT)
		return bf_error_set(err, BF_EINVAL, "role", "unknown role");
	for (size_t i = 0; i < bf_lifecycle_len; i++) {
		const struct bf_transition *t = &bf_lifecycle[i];
		if (t->from != from || t->to != to)
			continue;
		if (t->role == role)
			return BF_OK;
		return bf_error_set(err, BF_EFORBIDDEN, "role",
		                    "moving a consignment from %s to %s belongs to the %s, not the %s",
		                    state_names[from], state_names[to], role_names[t->role], bf_role_name(role));
	}
	return bf_error_set(err, BF_ECONFLICT, "state", "a consignment that is %s cannot become %s", state_names[from],
	                    state_names[to]);
}
