/* The booking policy the server runs and the simulator models, in one
 * place, so that a policy tried in simulation is the one the server runs
 * (service/booking.c, sim/season.c). */
#ifndef BF_PLAN_POLICY_H
#define BF_PLAN_POLICY_H

/* Slots are this long, aligned to multiples of it from the epoch. */
#define BF_SLOT_MINUTES 30

/* How long before its slot's start a waiting vehicle may be called
 * forward, unless the node is configured otherwise
 * (bf_service_config.call_lead_minutes). */
#define BF_CALL_LEAD_MINUTES 30

/* Hours between a load's slot and the end of its crossing: its deadline
 * to start is its declaration plus its shelf life, less these. */
#define BF_CROSSING_HOURS 2

/* How late past its slot's start a vehicle may check in before its
 * booking moves to the next free slot, unless the node is configured
 * otherwise (bf_service_config.grace_minutes). */
#define BF_GRACE_MINUTES 60

/* How far ahead a load may book, and how wide a span it may ask for. */
#define BF_BOOK_AHEAD_DAYS 60
#define BF_BOOK_SPAN_DAYS  14

#endif
