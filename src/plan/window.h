/* When each step of a load at a gate may be taken: the rule of time that
 * the service applies at the moment a step is asked for.
 *
 * - A vehicle is called forward only while its gate pair has a crossing
 *   window open (both sides open at once) and only once its slot is due:
 *   its start less the call lead.
 * - A side's authority records a decision only while that side is open:
 *   its weekly hours with dated closures and extensions. The export side
 *   clears or holds; the import side inspects, clears or refuses.
 * - The crossing (and a refused load's return) is recorded only inside a
 *   crossing window; a load booked on a train crosses with that train,
 *   within its slot.
 *
 * Outside these the rule names what is shut and the next span in which the
 * step may be taken, so that a refusal can say when to come back. */
#ifndef BF_PLAN_WINDOW_H
#define BF_PLAN_WINDOW_H

#include "model/gate.h"
#include "model/lifecycle.h"
#include "plan/policy.h"

#include <stdbool.h>
#include <stddef.h>

enum bf_window_step {
	BF_WINDOW_CALL,   /* waiting -> called */
	BF_WINDOW_EXPORT, /* export_cleared, held */
	BF_WINDOW_IMPORT, /* inspection, import_cleared, refused */
	BF_WINDOW_CROSS,  /* crossed, returned */
};

/* What the rule reads of a load: the direction and slot it is booked in. */
struct bf_window_load {
	enum bf_direction direction;
	bf_time slot_start;
	bool train; /* booked on a train of a rail pair's timetable */
};

struct bf_window_verdict {
	bool open;               /* the step may be taken at the instant asked */
	struct bf_interval span; /* open: the span it is in; shut: the next one
	                          * (start 0: none within BF_BOOK_AHEAD_DAYS) */
	char rule[200];          /* shut: what is shut, as a sentence's subject */
};

/* How far ahead the next span is looked for. */
#define BF_WINDOW_HORIZON_DAYS BF_BOOK_AHEAD_DAYS

/* The step STEP of load L at G, asked at T, with calls allowed LEAD_MINUTES
 * before a slot's start: *OUT says whether it may be taken and when. */
void bf_window_check(const struct bf_gate_pair *g, enum bf_window_step step, const struct bf_window_load *l,
                     int lead_minutes, bf_time t, struct bf_window_verdict *out);

/* The step a move to state TO is, or -1 for a move that no gate's hours
 * bound (a booking, a check-in, a cancellation). */
int bf_window_step_of(enum bf_state to);

/* "2026-12-02 07:00 VN time (UTC+07:00), 08:00 CN time (UTC+08:00),
 * 2026-12-02T00:00:00Z": instant T as each side of G reads it, and UTC. */
void bf_window_describe(const struct bf_gate_pair *g, bf_time t, char *buf, size_t cap);

#endif
