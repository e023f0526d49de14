/* Slots, bookings, the waiting yard and disruptions (service/booking.c):
 * each verb one write transaction, so that no slot is booked past its
 * capacity. */
#ifndef BF_SERVICE_BOOKING_H
#define BF_SERVICE_BOOKING_H

#include "model/risk.h"
#include "plan/policy.h"
#include "service/service.h"

struct bf_slot_fill {
	enum bf_direction direction;
	bf_time start, end;
	int capacity, booked;
	int train;             /* index into the pair's timetable; -1 for lanes */
	char train_number[16]; /* "" for lanes */
};
/* Slots of gate ID starting within [FROM, TO), both directions, in time
 * order, with their bookings; free with free(). */
int bf_service_slots(struct bf_service *svc, const char *id, bf_time from, bf_time to, struct bf_slot_fill **out,
                     size_t *n, struct bf_error *err);

struct bf_book_request {
	const char *gate; /* NULL or "any": the preferred gate, else any designated for the load */
	bf_time earliest; /* 0: now */
	bf_time latest;   /* 0: a week after EARLIEST */
};
#define BF_MAX_ALTERNATIVES 5
struct bf_book_result {
	struct bf_booking booking;
	bool changed; /* an existing booking was moved */
	int n_alternatives;
	struct {
		char gate[BF_GATE_ID_MAX + 1];
		bf_time slot_start;
		int free;
	} alternatives[BF_MAX_ALTERNATIVES];
};
/* Books (or moves) consignment ID's slot: the earliest slot with a free
 * place at the gates it may use, within the request's span. None free:
 * BF_ECONFLICT with the next free slots after it as alternatives. No slot
 * is ever booked past its capacity: the count and the booking share one
 * write transaction. */
int bf_service_book(struct bf_service *svc, const struct bf_party *actor, const char *id,
                    const struct bf_book_request *req, struct bf_book_result *out, struct bf_error *err);
/* Gives the slot up: back to validated. */
int bf_service_unbook(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_error *err);
/* Checks the vehicle in at the waiting yard: booked -> waiting. */
int bf_service_check_in(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_booking *out,
                        struct bf_error *err);

struct bf_queue_entry {
	struct bf_booking booking;
	int place;                     /* from 1 */
	bf_time estimated;             /* when it should reach the barrier */
	struct bf_control controls[2]; /* each side's control lane */
	int n_controls;
};
/* The waiting yard of gate ID: vehicles checked in, by slot then
 * deadline, with an estimate of when each crosses. Free with free(). */
int bf_service_queue(struct bf_service *svc, const char *id, struct bf_queue_entry **out, size_t *n,
                     struct bf_error *err);
/* Calls the next COUNT vehicles of the yard forward (waiting -> called),
 * after moving bookings whose vehicles missed their slot by more than the
 * grace. A vehicle is called only while the pair has a crossing window
 * open and once its slot is due (plan/window.h): when the first in the
 * yard may not be, BF_ECONFLICT on "time" with *REFUSAL (if not NULL)
 * naming the next window, unless OV (NULL: none) states a reason to
 * override the rule, which is signed into each call's event. *CALLED
 * (free()) lists those called; *MISSED counts the moved misses. */
int bf_service_call(struct bf_service *svc, const struct bf_party *actor, const char *id, int count,
                    const struct bf_override *ov, struct bf_booking **called, size_t *n, int *missed,
                    struct bf_step_refusal *refusal, struct bf_error *err);

enum bf_change_kind { BF_CHANGE_CLOSURE, BF_CHANGE_EXTENSION, BF_CHANGE_LANES };
struct bf_gate_change {
	enum bf_change_kind kind;
	int side;                    /* 0 = A, 1 = B: closures and extensions; -1: the operator's own */
	enum bf_direction direction; /* lane changes */
	int lanes;
	bf_time from, to;
	char note[200];
};
struct bf_moved_booking {
	char consignment_id[BF_CONSIGNMENT_ID_MAX + 1];
	bf_time from, to; /* slot starts; TO 0 when no slot is left */
	bool at_risk;     /* it will not cross before its deadline */
};
/* Records a change of gate ID by its operator and rebooks at once, at the
 * same gate: only the bookings that lost their place move, the most
 * perishable first; each move and each load now at risk is an event its
 * carrier reads. *MOVED (free()) lists them. */
int bf_service_change_gate(struct bf_service *svc, const struct bf_party *actor, const char *id,
                           const struct bf_gate_change *change, struct bf_moved_booking **moved, size_t *n,
                           struct bf_error *err);
/* The events about consignment ID, for one who may see it; free with
 * bf_service_events_free(). */
int bf_service_consignment_events(struct bf_service *svc, const struct bf_party *actor, const char *id,
                                  struct bf_event **out, size_t *n, struct bf_error *err);

/* Events after AFTER, at most LIMIT; free with bf_service_events_free(). */
int bf_service_events(struct bf_service *svc, int64_t after, int limit, struct bf_event **out, size_t *n,
                      struct bf_error *err);

/* Frees the N events of V that bf_service_events() or
 * bf_service_consignment_events() handed out; V NULL is allowed. */
void bf_service_events_free(struct bf_event *v, size_t n);

/* The effect here of gate.changed E of the peer's chain, within the
 * caller's transaction: the closure, extension or lane change it carries,
 * and with REBOOK the rebooking it brings here at NOW (its moves signed by
 * this node), so that no load is booked into a window the other side has
 * closed. Without REBOOK (an event of this node's own chain re-applied
 * from the peer, whose rebooking's moves follow it in that chain), the
 * change only. BF_EINVAL when the payload cannot be read. */
int bf_service_gate_change_apply(struct bf_store *s, const struct bf_event *e, bool rebook, bf_time now,
                                 struct bf_error *err);

#endif
