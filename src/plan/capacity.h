/* Slot capacity of a gate pair: the places in each slot of one direction,
 * from the crossing windows (both sides open), the lanes and their service
 * rate, dated closures, extensions and lane changes, and for a rail pair
 * its timetable of cargo trains. */
#ifndef BF_PLAN_CAPACITY_H
#define BF_PLAN_CAPACITY_H

#include "model/gate.h"
#include "plan/policy.h"

#include <stddef.h>

struct bf_slot {
	bf_time start, end;
	int capacity;
	int train; /* index into the pair's trains; -1 for a slot of lanes */
};

/* The slots of G in direction DIR that start within [FROM, TO), in time
 * order; *OUT is the caller's to free(). Road: slots lie on a grid of
 * SLOT_MINUTES from the epoch, so a closure elsewhere never moves them;
 * a slot cut by a window's edge gets the places of the part that is open.
 * Places accumulate over a window and are handed out whole, so none are
 * lost to rounding (2 lanes of 5 an hour give 5 places an hour, not 4).
 * Rail: one slot a train that departs while both sides are open, with
 * its farm wagons as places; a rail pair with no timetable is served like
 * a road pair, by its lanes. A lane change is read at the middle of each
 * slot, so one that starts inside a slot counts for the whole of it. */
void bf_capacity_slots(const struct bf_gate_pair *g, enum bf_direction dir, bf_time from, bf_time to, int slot_minutes,
                       struct bf_slot **out, size_t *n);

/* The slot of G in DIR that starts at START, if there is one with places:
 * 0 and *OUT filled, else BF_ENOTFOUND. */
int bf_capacity_slot_at(const struct bf_gate_pair *g, enum bf_direction dir, bf_time start, int slot_minutes,
                        struct bf_slot *out);

#endif
