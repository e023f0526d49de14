/* Slots, bookings, the waiting yard and disruptions. Every verb is one
 * write transaction: a slot's places are counted and taken under the
 * same lock, so no slot is ever booked past its capacity. */
#include "plan/capacity.h"
#include "plan/planner.h"
#include "service/control.h"
#include "service/service_int.h"
#include "service/booking.h"
#include "service/declare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEEK (7 * BF_DAY_SECONDS)

/* Direction of a load bound for DESTINATION through G: 1 when it enters
 * side B, 0 side A; -1 when the pair does not lead there. */
static int direction_to(const struct bf_gate_pair *g, const char *destination)
{
	if (strcmp(g->side[1].country, destination) == 0)
		return BF_DIR_A_TO_B;
	if (strcmp(g->side[0].country, destination) == 0)
		return BF_DIR_B_TO_A;
	return -1;
}

/* Why G does not take load C of COM, the first of: its designation, its
 * mode, its destination; 0 when it does. */
enum refusal { TAKES, NOT_DESIGNATED, WRONG_MODE, WRONG_WAY };

static enum refusal gate_refuses(const struct bf_gate_pair *g, const struct bf_commodity *com,
                                 const struct bf_consignment *c)
{
	if (!(g->designated & (1u << com->klass)))
		return NOT_DESIGNATED;
	if ((c->conveyance == BF_CONVEY_WAGON) != (g->mode == BF_MODE_RAIL))
		return WRONG_MODE;
	if (direction_to(g, c->destination) < 0)
		return WRONG_WAY;
	return TAKES;
}

/* The wanted gate G refuses C for WHY: BF_EINVAL naming the gate. */
static int wanted_refuses(const struct bf_gate_pair *g, const struct bf_commodity *com, const struct bf_consignment *c,
                          enum refusal why, struct bf_error *err)
{
	if (why == NOT_DESIGNATED)
		return bf_error_set(err, BF_EINVAL, "gate", "%s is not designated for %s, the class of %s %s", g->id,
		                    bf_commodity_class_name(com->klass), com->hs_code, com->name_en);
	if (why == WRONG_MODE)
		return bf_error_set(err, BF_EINVAL, "gate", "%s is a %s gate; a %s cannot cross there", g->id,
		                    bf_mode_name(g->mode), bf_conveyance_name(c->conveyance));
	return bf_error_set(err, BF_EINVAL, "gate", "%s joins %s and %s; it does not lead to %s", g->id,
	                    g->side[0].country, g->side[1].country, c->destination);
}

/* No gate of ALL takes C: why, as the first step at which every gate
 * fell away (the class, the conveyance, the destination). BF_EREJECTED. */
static int no_gate(const struct bf_gate_pair *all, size_t n, const struct bf_commodity *com,
                   const struct bf_consignment *c, struct bf_error *err)
{
	int designated = 0, by_mode = 0;
	for (size_t i = 0; i < n; i++) {
		enum refusal why = gate_refuses(&all[i], com, c);
		designated += why != NOT_DESIGNATED;
		by_mode += why != NOT_DESIGNATED && why != WRONG_MODE;
	}
	const char *klass = bf_commodity_class_name(com->klass);
	if (designated == 0)
		return bf_error_set(err, BF_EREJECTED, "commodity",
		                    "no gate pair is designated for %s, the class of %s %s: no crossing can be booked",
		                    klass, com->hs_code, com->name_en);
	if (by_mode == 0)
		return bf_error_set(err, BF_EREJECTED, "vehicle.kind",
		                    "no gate pair designated for %s takes a %s: the %d designated are %s gates", klass,
		                    bf_conveyance_name(c->conveyance), designated,
		                    c->conveyance == BF_CONVEY_WAGON ? "road" : "rail");
	return bf_error_set(err, BF_EREJECTED, "destination",
	                    "no gate pair designated for %s that takes a %s leads to %s", klass,
	                    bf_conveyance_name(c->conveyance), c->destination);
}

static bf_time deadline_of(const struct bf_consignment *c, const struct bf_commodity *com)
{
	return c->declared_at + (bf_time)com->shelf_life_hours * 3600 - (bf_time)BF_CROSSING_HOURS * 3600;
}

/* The last slot with places of any of the N gates GATES (directions
 * DIRS) that starts by DEADLINE, looked for over the fortnight before it:
 * *AT its start and *GATE its index, or *GATE -1 when there is none. */
static void last_usable_slot(const struct bf_gate_pair *gates, const int *dirs, int n, bf_time deadline, bf_time *at,
                             int *gate)
{
	*gate = -1;
	*at = 0;
	for (int i = 0; i < n; i++) {
		struct bf_slot *v;
		size_t k;
		bf_capacity_slots(&gates[i], (enum bf_direction)dirs[i], deadline - 2 * WEEK, deadline + 1,
		                  BF_SLOT_MINUTES, &v, &k);
		for (size_t x = k; x-- > 0;) {
			if (v[x].capacity <= 0)
				continue;
			if (*gate < 0 || v[x].start > *at) {
				*at = v[x].start;
				*gate = i;
			}
			break;
		}
		free(v);
	}
}

/* Refuses a booking that cannot start crossing by DEADLINE: the load's
 * deadline has passed (field "deadline"), or the span asked for begins
 * after it ("earliest"). The reason names the deadline and the last slot
 * of the candidate gates that starts by it. */
static int refuse_past_deadline(const struct bf_gate_pair *gates, const int *dirs, int n, bf_time deadline, bf_time now,
                                struct bf_error *err)
{
	char dl[BF_TIME_TEXT], last[BF_TIME_TEXT + 64];
	bf_time at;
	int gate;
	last_usable_slot(gates, dirs, n, deadline, &at, &gate);
	bf_time_format_utc(deadline, dl);
	if (gate >= 0) {
		char start[BF_TIME_TEXT];
		bf_time_format_utc(at, start);
		snprintf(last, sizeof(last),
		         deadline < now ? "the last slot it could use started at %s at %s"
		                        : "the last slot it can use starts at %s at %s",
		         start, gates[gate].id);
	} else {
		snprintf(last, sizeof(last), "no slot of its gates starts in the fortnight before it");
	}
	if (deadline < now)
		return bf_error_set(
		    err, BF_ECONFLICT, "deadline",
		    "the load's deadline to start crossing (declared, plus its shelf life, less %d h to "
		    "cross) was %s and has passed: %s",
		    BF_CROSSING_HOURS, dl, last);
	return bf_error_set(err, BF_ECONFLICT, "earliest",
	                    "is after the load's deadline to start crossing, %s (declared, plus its shelf life, less "
	                    "%d h to cross): %s",
	                    dl, BF_CROSSING_HOURS, last);
}

/* The first slot of G in DIR within [FROM, TO] with a free place. OWN,
 * when not NULL, is a booking the searcher holds already: its own place
 * counts as free to it. */
static int first_free_slot_for(struct bf_store *s, const struct bf_gate_pair *g, enum bf_direction dir, bf_time from,
                               bf_time to, const struct bf_booking *own, struct bf_slot *out, int *free_places,
                               struct bf_error *err)
{
	struct bf_slot *v;
	size_t n;
	int rc = BF_ENOTFOUND;
	bf_capacity_slots(g, dir, from, to + 1, BF_SLOT_MINUTES, &v, &n);
	for (size_t i = 0; i < n; i++) {
		int used;
		if ((rc = bf_store_slot_used(s, g->id, dir, v[i].start, &used, err)) != 0)
			break;
		if (own && own->slot_start == v[i].start && own->direction == dir && strcmp(own->gate_id, g->id) == 0)
			used--;
		if (used < v[i].capacity) {
			*out = v[i];
			*free_places = v[i].capacity - used;
			rc = BF_OK;
			break;
		}
		rc = BF_ENOTFOUND;
	}
	free(v);
	return rc;
}

static int first_free_slot(struct bf_store *s, const struct bf_gate_pair *g, enum bf_direction dir, bf_time from,
                           bf_time to, struct bf_slot *out, int *free_places, struct bf_error *err)
{
	return first_free_slot_for(s, g, dir, from, to, NULL, out, free_places, err);
}

static int load_own(struct bf_store *s, const struct bf_party *actor, const char *id, struct bf_consignment *c,
                    struct bf_error *err)
{
	int rc = bf_store_consignment_get(s, id, c, err);
	if (rc)
		return rc;
	if (actor->role == BF_ROLE_CARRIER && strcmp(c->declared_by, actor->id) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "id", "this consignment belongs to another carrier");
	return BF_OK;
}

/* A booking as events carry it. A slot start of 0, which only an older
 * build wrote, is no instant: it goes as null, never as 1970. */
static json_t *booking_json(const struct bf_booking *b)
{
	char start[BF_TIME_TEXT], deadline[BF_TIME_TEXT];
	bf_time_format_utc(b->slot_start, start);
	bf_time_format_utc(b->deadline, deadline);
	return json_pack("{s:s, s:s, s:s, s:o, s:s}", "consignment", b->consignment_id, "gate", b->gate_id, "direction",
	                 bf_direction_name(b->direction), "slot_start",
	                 b->slot_start ? json_string(start) : json_null(), "deadline", deadline);
}

static int event_about(struct bf_store *s, const struct bf_party *actor, const char *id, const char *kind,
                       json_t *payload, bf_time now, struct bf_error *err)
{
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	snprintf(subject, sizeof(subject), "consignment/%s", id);
	return bf_svc_event(s, actor, kind, subject, payload, now, err);
}

static int next_slot_in_time(struct bf_store *s, const struct bf_gate_pair *g, const struct bf_booking *b, bf_time from,
                             struct bf_slot *out, struct bf_error *err);
static int move_missed(struct bf_store *s, struct bf_booking *b, const struct bf_slot *slot, bf_time now,
                       struct bf_error *err);

int bf_service_slots(struct bf_service *svc, const char *id, bf_time from, bf_time to, struct bf_slot_fill **out,
                     size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	struct bf_gate_pair g;
	size_t len = 0;
	int rc = bf_store_gate_get(s, id, &g, err);
	*out = NULL;
	*n = 0;
	if (rc == BF_OK) {
		for (int d = 0; d < 2 && rc == BF_OK; d++) {
			struct bf_slot *v;
			size_t k;
			bf_capacity_slots(&g, (enum bf_direction)d, from, to, BF_SLOT_MINUTES, &v, &k);
			*out = bf_xrealloc(*out, (len + k + 1) * sizeof(**out));
			for (size_t i = 0; i < k && rc == BF_OK; i++) {
				struct bf_slot_fill *f = &(*out)[len++];
				*f = (struct bf_slot_fill){.direction = (enum bf_direction)d,
				                           .start = v[i].start,
				                           .end = v[i].end,
				                           .capacity = v[i].capacity,
				                           .train = v[i].train};
				if (v[i].train >= 0)
					bf_strlcpy(f->train_number, g.trains[v[i].train].number,
					           sizeof(f->train_number));
				rc = bf_store_slot_used(s, g.id, (enum bf_direction)d, v[i].start, &f->booked, err);
			}
			free(v);
		}
		bf_gate_pair_clear(&g);
	}
	bf_store_pool_release(svc->pool, s);
	if (rc) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*n = len;
	return BF_OK;
}

/* Fills OUT with up to BF_MAX_ALTERNATIVES next free slots, one a gate,
 * earliest first, after AFTER and starting by UNTIL (the load's
 * deadline), within a fortnight. */
static int alternatives(struct bf_store *s, struct bf_gate_pair *gates, int n_gates, const int *dirs, bf_time after,
                        bf_time until, struct bf_book_result *out, struct bf_error *err)
{
	out->n_alternatives = 0;
	if (until > after + 2 * WEEK)
		until = after + 2 * WEEK;
	for (int i = 0; i < n_gates && after < until; i++) {
		struct bf_slot slot;
		int free_places, rc = first_free_slot(s, &gates[i], (enum bf_direction)dirs[i], after + 1, until, &slot,
		                                      &free_places, err);
		if (rc == BF_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		/* Keep the list sorted by time, the earliest few. */
		int at = out->n_alternatives;
		while (at > 0 && out->alternatives[at - 1].slot_start > slot.start)
			at--;
		if (at >= BF_MAX_ALTERNATIVES)
			continue;
		int last = out->n_alternatives < BF_MAX_ALTERNATIVES ? out->n_alternatives : BF_MAX_ALTERNATIVES - 1;
		memmove(&out->alternatives[at + 1], &out->alternatives[at],
		        (size_t)(last - at) * sizeof(out->alternatives[0]));
		bf_strlcpy(out->alternatives[at].gate, gates[i].id, sizeof(out->alternatives[at].gate));
		out->alternatives[at].slot_start = slot.start;
		out->alternatives[at].free = free_places;
		if (out->n_alternatives < BF_MAX_ALTERNATIVES)
			out->n_alternatives++;
	}
	return BF_OK;
}

int bf_service_book(struct bf_service *svc, const struct bf_party *actor, const char *id,
                    const struct bf_book_request *req, struct bf_book_result *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	struct bf_consignment c;
	struct bf_commodity com;
	struct bf_gate_pair *all = NULL, *cand = NULL;
	int *dirs = NULL, n_cand = 0;
	size_t n_all = 0;
	bf_time now = bf_svc_now(svc);
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = bf_store_begin(s, err)) != 0)
		goto done;
	if ((rc = load_own(s, actor, id, &c, err)) != 0 || (rc = bf_store_commodity_get(s, c.hs_code, &com, err)) != 0)
		goto fail;
	if (c.state == BF_ST_BOOKED) {
		out->changed = true;
	} else if ((rc = bf_transition_check(c.state, BF_ST_BOOKED, actor->role, err)) != 0) {
		goto fail;
	}
	bf_time earliest = req->earliest > now ? req->earliest : now;
	bf_time latest = req->latest ? req->latest : earliest + WEEK;
	if (latest < earliest) {
		rc = bf_error_set(err, BF_EINVAL, "latest", "must not be before earliest");
		goto fail;
	}
	/* Bounded spans: the search lists every slot in them under the write
	 * lock, so a span of years must not be asked for. */
	if (earliest > now + BF_BOOK_AHEAD_DAYS * BF_DAY_SECONDS) {
		rc = bf_error_set(err, BF_EINVAL, "earliest", "at most %d days ahead", BF_BOOK_AHEAD_DAYS);
		goto fail;
	}
	if (latest - earliest > BF_BOOK_SPAN_DAYS * BF_DAY_SECONDS) {
		rc = bf_error_set(err, BF_EINVAL, "latest", "at most %d days after earliest", BF_BOOK_SPAN_DAYS);
		goto fail;
	}
	struct bf_booking held = {0}, *own = NULL;
	if (out->changed) {
		if ((rc = bf_store_booking_get(s, c.id, &held, err)) != 0)
			goto fail;
		own = &held;
	}
	const char *want = req->gate && strcmp(req->gate, "any") != 0 ? req->gate
	                   : c.preferred_gate[0]                      ? c.preferred_gate
	                                                              : NULL;
	/* A wanted gate is read alone: the whole list costs a round of queries
	 * a pair, under the write lock. */
	if (want) {
		all = bf_xcalloc(1, sizeof(*all));
		rc = bf_store_gate_get(s, want, all, err);
		if (rc == BF_ENOTFOUND)
			rc = bf_error_set(err, BF_ENOTFOUND, "gate", "no gate pair has the id %s", want);
		if (rc)
			goto fail;
		n_all = 1;
	} else if ((rc = bf_store_gates_list(s, &all, &n_all, err)) != 0) {
		goto fail;
	}
	cand = bf_xcalloc(n_all ? n_all : 1, sizeof(*cand));
	dirs = bf_xcalloc(n_all ? n_all : 1, sizeof(int));
	for (size_t i = 0; i < n_all; i++) {
		if (want && strcmp(all[i].id, want) != 0)
			continue;
		enum refusal why = gate_refuses(&all[i], &com, &c);
		if (why != TAKES) {
			if (want) {
				rc = wanted_refuses(&all[i], &com, &c, why, err);
				goto fail;
			}
			continue;
		}
		cand[n_cand] = all[i];
		dirs[n_cand++] = direction_to(&all[i], c.destination);
	}
	if (want && n_cand == 0) {
		rc = bf_error_set(err, BF_ENOTFOUND, "gate", "no gate pair has the id %s", want);
		goto fail;
	}
	if (n_cand == 0) {
		rc = no_gate(all, n_all, &com, &c, err);
		goto fail;
	}
	/* No slot past the load's deadline: the span ends there. */
	bf_time deadline = deadline_of(&c, &com);
	if (deadline < earliest) {
		rc = refuse_past_deadline(cand, dirs, n_cand, deadline, now, err);
		goto fail;
	}
	if (latest > deadline)
		latest = deadline;
	/* The earliest free place at any of them. */
	int best = -1, free_places;
	struct bf_slot slot, found;
	for (int i = 0; i < n_cand; i++) {
		rc = first_free_slot_for(s, &cand[i], (enum bf_direction)dirs[i], earliest, latest, own, &found,
		                         &free_places, err);
		if (rc == BF_ENOTFOUND)
			continue;
		if (rc)
			goto fail;
		if (best < 0 || found.start < slot.start) {
			best = i;
			slot = found;
		}
	}
	rc = BF_OK;
	if (best < 0) {
		char dl[BF_TIME_TEXT];
		bf_time_format_utc(deadline, dl);
		if ((rc = alternatives(s, cand, n_cand, dirs, latest, deadline, out, err)) == 0)
			rc = bf_error_set(err, BF_ECONFLICT, "slot",
			                  "no slot has a free place in that span%s before the load's deadline to start "
			                  "crossing, %s",
			                  out->n_alternatives ? "; the next free ones are listed, all" : "", dl);
		goto fail;
	}
	struct bf_booking *b = &out->booking;
	bf_strlcpy(b->consignment_id, c.id, sizeof(b->consignment_id));
	bf_strlcpy(b->gate_id, cand[best].id, sizeof(b->gate_id));
	b->direction = (enum bf_direction)dirs[best];
	b->slot_start = slot.start;
	b->earliest = earliest;
	b->deadline = deadline;
	b->value = com.value_usd_per_tonne * c.net_weight_kg / 1000.0;
	b->booked_at = now;
	b->state = BF_ST_BOOKED;
	if (out->changed) {
		b->misses = held.misses;
		rc = bf_store_booking_put(s, b, true, err);
	} else {
		rc = bf_store_booking_put(s, b, false, err);
		if (rc == BF_OK)
			rc = bf_store_consignment_state(s, c.id, BF_ST_BOOKED, now, err);
	}
	if (rc == BF_OK)
		rc = event_about(s, actor, c.id, out->changed ? "booking.changed" : "consignment.booked",
		                 booking_json(b), now, err);
	if (rc)
		goto fail;
	rc = bf_store_commit(s, err);
	goto done;
fail:
	bf_store_rollback(s);
done:
	bf_store_gates_free(all, n_all);
	free(cand); /* shallow copies of ALL's pairs */
	free(dirs);
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_unbook(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	struct bf_consignment c;
	bf_time now = bf_svc_now(svc);
	int rc = bf_store_begin(s, err);
	if (rc)
		goto done;
	if ((rc = load_own(s, actor, id, &c, err)) != 0 ||
	    (rc = bf_transition_check(c.state, BF_ST_VALIDATED, actor->role, err)) != 0 ||
	    (rc = bf_store_booking_delete(s, id, err)) != 0 ||
	    (rc = bf_store_consignment_state(s, id, BF_ST_VALIDATED, now, err)) != 0 ||
	    (rc = event_about(s, actor, id, "booking.cancelled", json_pack("{s:s}", "consignment", id), now, err)) !=
	        0) {
		bf_store_rollback(s);
		goto done;
	}
	rc = bf_store_commit(s, err);
done:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

/* A vehicle is in one place at a time: C's may not check in while it is
 * checked in for another load, at this gate or another, until that load
 * has crossed or gone back. Booking it for several loads is allowed (a
 * truck makes one trip after another). */
static int vehicle_free(struct bf_store *s, const struct bf_consignment *c, struct bf_error *err)
{
	struct bf_booking other;
	int rc = bf_store_vehicle_at_border(s, c->conveyance, c->vehicle, c->vehicle_country, c->id, &other, err);
	if (rc == BF_ENOTFOUND)
		return BF_OK;
	if (rc)
		return rc;
	return bf_error_set(err, BF_ECONFLICT, "vehicle",
	                    "%s %s (%s) is already checked in at gate %s for consignment %s (%s)",
	                    bf_conveyance_name(c->conveyance), c->vehicle, c->vehicle_country, other.gate_id,
	                    other.consignment_id, bf_state_name(other.state));
}

int bf_service_check_in(struct bf_service *svc, const struct bf_party *actor, const char *id, struct bf_booking *out,
                        struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	struct bf_consignment c;
	bf_time now = bf_svc_now(svc);
	int rc = bf_store_begin(s, err);
	if (rc)
		goto done;
	if ((rc = load_own(s, actor, id, &c, err)) != 0 ||
	    (rc = bf_transition_check(c.state, BF_ST_WAITING, actor->role, err)) != 0 ||
	    (rc = bf_store_booking_get(s, id, out, err)) != 0 || (rc = vehicle_free(s, &c, err)) != 0)
		goto fail;
	if (out->slot_start == 0) {
		/* Only a load with a slot waits in the yard, which is ordered by slot. */
		rc = bf_error_set(err, BF_ECONFLICT, "slot", "this consignment holds no slot: book one, then check in");
		goto fail;
	}
	if (out->slot_start + svc->grace < now) {
		/* Too late for its slot: it waits for the next free one before its
		 * deadline, not at the head of the yard in a slot long gone. */
		struct bf_gate_pair g;
		struct bf_slot next = {0};
		if ((rc = bf_store_gate_get(s, out->gate_id, &g, err)) != 0)
			goto fail;
		rc = next_slot_in_time(s, &g, out, now, &next, err);
		bf_gate_pair_clear(&g);
		if (rc == BF_ENOTFOUND) {
			char slot[BF_TIME_TEXT], dl[BF_TIME_TEXT];
			bf_time_format_utc(out->slot_start, slot);
			bf_time_format_utc(out->deadline, dl);
			rc = bf_error_set(
			    err, BF_ECONFLICT, "slot",
			    "its slot at %s was missed by more than the grace, and no slot with a free place "
			    "is left before its deadline to start crossing, %s",
			    slot, dl);
		}
		if (rc == BF_OK)
			rc = move_missed(s, out, &next, now, err);
		if (rc)
			goto fail;
	}
	out->checked_in_at = now;
	out->state = BF_ST_WAITING;
	if ((rc = bf_store_booking_put(s, out, true, err)) != 0 ||
	    (rc = bf_store_consignment_state(s, id, BF_ST_WAITING, now, err)) != 0 ||
	    (rc = event_about(s, actor, id, "consignment.checked_in", booking_json(out), now, err)) != 0)
		goto fail;
	/* Each side routes the vehicle to its control lane as it checks in. */
	struct bf_control lanes[2];
	if ((rc = bf_svc_route(s, &c, now, lanes, err)) != 0)
		goto fail;
	rc = bf_store_commit(s, err);
	goto done;
fail:
	bf_store_rollback(s);
done:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

/* Vehicles an hour can take through G in DIR at T, for the estimates. */
static double rate_at(const struct bf_gate_pair *g, enum bf_direction dir, bf_time t)
{
	double r = bf_gate_lanes_at(g, dir, t) * g->lanes[dir].vehicles_per_hour;
	return r > 0 ? r : g->lanes[dir].vehicles_per_hour;
}

static int queue_in_tx(struct bf_store *s, const struct bf_gate_pair *g, bf_time now, struct bf_queue_entry **out,
                       size_t *n, struct bf_error *err)
{
	struct bf_booking *v;
	size_t k;
	int rc = bf_store_bookings_at(s, g->id, 0, BF_ST_WAITING, &v, &k, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	*out = bf_xcalloc(k ? k : 1, sizeof(**out));
	bf_time next[2] = {now, now};
	int place[2] = {0, 0};
	for (size_t i = 0; i < k; i++) {
		struct bf_queue_entry *e = &(*out)[i];
		int d = v[i].direction;
		e->booking = v[i];
		e->place = ++place[d];
		/* Each vehicle crosses at its slot, or after those ahead of it,
		 * at the rate the lanes serve. */
		bf_time at = v[i].slot_start > next[d] ? v[i].slot_start : next[d];
		e->estimated = at;
		/* A vehicle takes the lanes' average time, or longer where a
		 * side's control lane expects more (a physical inspection holds
		 * one of the lanes that long). */
		double step = 3600.0 / rate_at(g, (enum bf_direction)d, at);
		int lanes = bf_gate_lanes_at(g, (enum bf_direction)d, at);
		if ((rc = bf_store_controls_get(s, v[i].consignment_id, e->controls, &e->n_controls, err)) != 0) {
			free(v);
			free(*out);
			*out = NULL;
			return rc;
		}
		for (int x = 0; x < e->n_controls; x++)
			if (lanes > 0 && e->controls[x].minutes * 60 / lanes > step)
				step = e->controls[x].minutes * 60 / lanes;
		next[d] = at + (bf_time)step;
	}
	free(v);
	*n = k;
	return BF_OK;
}

int bf_service_queue(struct bf_service *svc, const char *id, struct bf_queue_entry **out, size_t *n,
                     struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	struct bf_gate_pair g;
	int rc = bf_store_gate_get(s, id, &g, err);
	if (rc == BF_OK) {
		rc = queue_in_tx(s, &g, bf_svc_now(svc), out, n, err);
		bf_gate_pair_clear(&g);
	}
	bf_store_pool_release(svc->pool, s);
	return rc;
}

/* The next slot with a free place for booking B at G from FROM that
 * starts by B's deadline (within a fortnight): 0 and *OUT, or
 * BF_ENOTFOUND. */
static int next_slot_in_time(struct bf_store *s, const struct bf_gate_pair *g, const struct bf_booking *b, bf_time from,
                             struct bf_slot *out, struct bf_error *err)
{
	int free_places;
	bf_time until = b->deadline < from + 2 * WEEK ? b->deadline : from + 2 * WEEK;
	if (until < from)
		return BF_ENOTFOUND;
	return first_free_slot(s, g, b->direction, from, until, out, &free_places, err);
}

/* Moves booking B, whose vehicle missed its slot, to SLOT, counting the
 * miss: the system's step, recorded as booking.missed. */
static int move_missed(struct bf_store *s, struct bf_booking *b, const struct bf_slot *slot, bf_time now,
                       struct bf_error *err)
{
	json_t *payload = booking_json(b);
	char to[BF_TIME_TEXT];
	int rc;
	bf_time_format_utc(slot->start, to);
	json_object_set_new(payload, "moved_to", json_string(to));
	b->slot_start = slot->start;
	b->misses++;
	if ((b->state != BF_ST_BOOKED ||
	     (rc = bf_transition_check(BF_ST_BOOKED, BF_ST_BOOKED, BF_ROLE_SYSTEM, err)) == 0) &&
	    (rc = bf_store_booking_put(s, b, true, err)) == 0)
		return event_about(s, &bf_service_node_operator, b->consignment_id, "booking.missed", payload, now,
		                   err);
	json_decref(payload);
	return rc;
}

/* Releases booking B, which holds no place before its deadline any more:
 * its slot is given up and the load is validated again, to be booked
 * anew, with an at-risk event its carrier reads (why: REASON). */
static int release(struct bf_store *s, const struct bf_booking *b, const char *reason, bf_time now,
                   struct bf_error *err)
{
	json_t *payload = booking_json(b);
	int rc;
	json_object_set_new(payload, "reason", json_string(reason));
	if ((rc = bf_transition_release_check(b->state, BF_ROLE_SYSTEM, err)) == 0 &&
	    (rc = bf_store_booking_delete(s, b->consignment_id, err)) == 0 &&
	    (rc = bf_store_consignment_state(s, b->consignment_id, BF_ST_VALIDATED, now, err)) == 0 &&
	    (rc = event_about(s, &bf_service_node_operator, b->consignment_id, "booking.released", json_incref(payload),
	                      now, err)) == 0)
		rc = event_about(s, &bf_service_node_operator, b->consignment_id, "consignment.at_risk",
		                 json_incref(payload), now, err);
	json_decref(payload);
	return rc;
}

/* Bookings at G whose vehicles have not checked in by their slot's start
 * plus the grace, or that hold no slot, move to the next free slot from
 * NOW that still starts by their deadline, or are released when there is
 * none. */
static int move_misses(struct bf_store *s, const struct bf_gate_pair *g, bf_time now, bf_time grace, int *missed,
                       struct bf_error *err)
{
	struct bf_booking *v;
	size_t k;
	int rc = bf_store_bookings_at(s, g->id, 0, BF_ST_BOOKED, &v, &k, err);
	*missed = 0;
	for (size_t i = 0; rc == BF_OK && i < k; i++) {
		struct bf_slot next = {0};
		if (v[i].slot_start != 0 && v[i].slot_start + grace >= now)
			continue; /* not missed yet; one with no slot (an older build's) is served as missed */
		rc = next_slot_in_time(s, g, &v[i], now, &next, err);
		if (rc == BF_OK && (rc = move_missed(s, &v[i], &next, now, err)) == 0)
			(*missed)++;
		else if (rc == BF_ENOTFOUND)
			rc = release(s, &v[i],
			             "its slot was missed, and no slot with a free place is left before its deadline",
			             now, err);
	}
	free(v);
	return rc;
}

int bf_service_call(struct bf_service *svc, const struct bf_party *actor, const char *id, int count,
                    const struct bf_override *ov, struct bf_booking **called, size_t *n, int *missed,
                    struct bf_step_refusal *refusal, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	struct bf_gate_pair g;
	struct bf_queue_entry *q = NULL;
	size_t k = 0;
	bf_time now = bf_svc_now(svc);
	int rc = bf_store_begin(s, err);

	*called = NULL;
	*n = 0;
	if (refusal)
		memset(refusal, 0, sizeof(*refusal));
	if (rc)
		goto done;
	if ((rc = bf_store_gate_get(s, id, &g, err)) != 0) {
		bf_store_rollback(s);
		goto done;
	}
	if ((rc = bf_party_check_gate(actor, &g, "id", err)) != 0 ||
	    (rc = move_misses(s, &g, now, svc->grace, missed, err)) != 0 ||
	    (rc = queue_in_tx(s, &g, now, &q, &k, err)) != 0)
		goto fail;
	/* The yard in order: slot, then deadline, both directions merged. A
	 * vehicle is called only while the pair has a crossing window open
	 * and once its slot is due; those behind it are due later still. */
	*called = bf_xcalloc((size_t)count + 1, sizeof(**called));
	for (size_t i = 0; i < k && *n < (size_t)count; i++) {
		struct bf_booking *b = &q[i].booking;
		struct bf_window_load load = {b->direction, b->slot_start, g.mode == BF_MODE_RAIL && g.n_trains > 0};
		json_t *overridden;
		if ((rc = bf_transition_check(BF_ST_WAITING, BF_ST_CALLED, actor->role, err)) != 0)
			goto fail;
		rc = bf_svc_step_time(svc, &g, BF_WINDOW_CALL, &load, now, ov, &overridden, *n == 0 ? refusal : NULL,
		                      err);
		if (rc == BF_ECONFLICT && *n > 0) {
			rc = BF_OK; /* those due are called; the rest wait for their time */
			break;
		}
		if (rc)
			goto fail;
		json_t *payload = booking_json(b);
		if (overridden)
			json_object_set_new(payload, "override", overridden);
		if ((rc = bf_store_consignment_state(s, b->consignment_id, BF_ST_CALLED, now, err)) != 0 ||
		    (rc = event_about(s, actor, b->consignment_id, "consignment.called", payload, now, err)) != 0)
			goto fail;
		b->state = BF_ST_CALLED;
		(*called)[(*n)++] = *b;
	}
	rc = bf_store_commit(s, err);
	goto out;
fail:
	bf_store_rollback(s);
	free(*called);
	*called = NULL;
	*n = 0;
out:
	free(q);
	bf_gate_pair_clear(&g);
done:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

/* Rebooks the bookings at G from NOW after its capacity changed, by the
 * planner's own rule (plan/planner.h): the value that spoils is the least
 * any plan of the gate's new slots allows. Bookings keep their slots where
 * those still have room; a load that cannot start crossing by its deadline
 * anywhere is released (back to validated, at risk), and none takes a
 * place from one that still can. */
static int rebook_gate(struct bf_store *s, const struct bf_gate_pair *g, bf_time now, struct bf_moved_booking **moved,
                       size_t *n_moved, struct bf_error *err)
{
	struct bf_booking *v;
	size_t k, n_slots = 0;
	const bf_time slot_len = (bf_time)BF_SLOT_MINUTES * 60;
	int rc = bf_store_bookings_at(s, g->id, now - slot_len, -1, &v, &k, err);
	*moved = NULL;
	*n_moved = 0;
	if (rc)
		return rc;
	/* Only loads not yet called forward can move; the others keep their
	 * places, which the slots' capacities for the planner leave out. The
	 * horizon reaches every booking and every deadline no booking may be
	 * made past, so none looks lost for being far. */
	struct bf_booking *fixed = bf_xcalloc(k ? k : 1, sizeof(*fixed));
	size_t live = 0, n_fixed = 0;
	bf_time horizon = now + slot_len,
	        reach = now + (bf_time)(BF_BOOK_AHEAD_DAYS + BF_BOOK_SPAN_DAYS) * BF_DAY_SECONDS;
	for (size_t i = 0; i < k; i++) {
		bf_time last = v[i].deadline < reach ? v[i].deadline : reach;
		if (v[i].slot_start + slot_len > horizon)
			horizon = v[i].slot_start + slot_len;
		if (last + slot_len > horizon)
			horizon = last + slot_len;
		if (v[i].state == BF_ST_BOOKED || v[i].state == BF_ST_WAITING)
			v[live++] = v[i];
		else
			fixed[n_fixed++] = v[i];
	}
	k = live;
	struct bf_slot *sv[2];
	size_t sn[2];
	for (int d = 0; d < 2; d++) {
		bf_capacity_slots(g, (enum bf_direction)d, now - slot_len, horizon, BF_SLOT_MINUTES, &sv[d], &sn[d]);
		n_slots += sn[d];
		for (size_t x = 0; x < sn[d]; x++) {
			for (size_t f = 0; f < n_fixed; f++) {
				if ((int)fixed[f].direction == d && fixed[f].slot_start == sv[d][x].start &&
				    sv[d][x].capacity > 0)
					sv[d][x].capacity--;
			}
		}
	}
	free(fixed);
	/* The planner's slots: both directions, as two "gates", in time order. */
	struct bf_plan p = {.n_gates = 2};
	p.slots = bf_xcalloc(n_slots ? n_slots : 1, sizeof(*p.slots));
	for (size_t a = 0, b = 0; a < sn[0] || b < sn[1];) {
		bool take_a = b >= sn[1] || (a < sn[0] && sv[0][a].start <= sv[1][b].start);
		struct bf_slot *x = take_a ? &sv[0][a++] : &sv[1][b++];
		p.slots[p.n_slots++] = (struct bf_plan_slot){take_a ? 0 : 1, x->start, x->capacity};
	}
	p.jobs = bf_xcalloc(k ? k : 1, sizeof(*p.jobs));
	p.n_jobs = k;
	for (size_t i = 0; i < k; i++) {
		struct bf_plan_job *j = &p.jobs[i];
		j->value = v[i].value;
		j->deadline = v[i].deadline;
		j->n_options = 1;
		j->options[0] = (struct bf_plan_option){(int)v[i].direction, v[i].earliest};
		j->slot = -1;
		size_t lo = 0, hi = p.n_slots;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (p.slots[mid].start < v[i].slot_start)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t x = lo; x < p.n_slots && p.slots[x].start == v[i].slot_start; x++) {
			if (p.slots[x].gate == (int)v[i].direction) {
				j->slot = (int)x;
				break;
			}
		}
	}
	struct bf_plan_stats st;
	if ((rc = bf_plan_rebook(&p, now, &st)) != 0) {
		rc = bf_error_set(err, rc, "", "the planner refused the gate's slots");
		goto out;
	}
	*moved = bf_xcalloc(k ? k : 1, sizeof(**moved));
	for (size_t i = 0; i < k && rc == BF_OK; i++) {
		const struct bf_plan_job *j = &p.jobs[i];
		bf_time to = j->slot >= 0 ? p.slots[j->slot].start : 0;
		if (j->slot >= 0 && to == v[i].slot_start)
			continue;
		struct bf_moved_booking *m = &(*moved)[(*n_moved)++];
		bf_strlcpy(m->consignment_id, v[i].consignment_id, sizeof(m->consignment_id));
		m->from = v[i].slot_start;
		m->to = to;
		m->at_risk = j->slot < 0;
		if (j->slot < 0) {
			rc = release(s, &v[i],
			             "the change at the gate leaves no slot with a free place before its deadline", now,
			             err);
			continue;
		}
		json_t *payload = booking_json(&v[i]);
		char text[BF_TIME_TEXT];
		bf_time_format_utc(to, text);
		json_object_set_new(payload, "moved_to", json_string(text));
		v[i].slot_start = to;
		if (v[i].state == BF_ST_BOOKED)
			rc = bf_transition_check(BF_ST_BOOKED, BF_ST_BOOKED, BF_ROLE_SYSTEM, err);
		if (rc == BF_OK)
			rc = bf_store_booking_put(s, &v[i], true, err);
		if (rc == BF_OK)
			rc = event_about(s, &bf_service_node_operator, v[i].consignment_id, "booking.moved",
			                 json_incref(payload), now, err);
		json_decref(payload);
	}
out:
	free(p.slots);
	free(p.jobs);
	free(sv[0]);
	free(sv[1]);
	free(v);
	return rc;
}

int bf_service_change_gate(struct bf_service *svc, const struct bf_party *actor, const char *id,
                           const struct bf_gate_change *ch, struct bf_moved_booking **moved, size_t *n,
                           struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	struct bf_gate_pair g;
	bf_time now = bf_svc_now(svc);
	int rc, side = ch->side;

	*moved = NULL;
	*n = 0;
	if (actor->role != BF_ROLE_GATE_OPERATOR && actor->role != BF_ROLE_SYSTEM) {
		bf_store_pool_release(svc->writers, s);
		return bf_error_set(err, BF_EFORBIDDEN, "role", "only a gate's operator changes its hours or lanes");
	}
	if (ch->to <= ch->from) {
		bf_store_pool_release(svc->writers, s);
		return bf_error_set(err, BF_EINVAL, "to", "must be after from");
	}
	if ((rc = bf_store_begin(s, err)) != 0)
		goto done;
	if ((rc = bf_store_gate_get(s, id, &g, err)) != 0) {
		bf_store_rollback(s);
		goto done;
	}
	if ((rc = bf_party_check_gate(actor, &g, "id", err)) != 0)
		goto fail;
	if (side < 0) {
		/* The operator's own side, by the country it acts for. */
		side = strcmp(actor->country, g.side[1].country) == 0 ? 1 : 0;
		if (strcmp(actor->country, g.side[side].country) != 0 && actor->role != BF_ROLE_SYSTEM) {
			rc =
			    bf_error_set(err, BF_EFORBIDDEN, "side",
			                 "the operator acts for %s, which is neither side of %s", actor->country, g.id);
			goto fail;
		}
	} else if (actor->role != BF_ROLE_SYSTEM && strcmp(actor->country, g.side[side].country) != 0) {
		rc = bf_error_set(err, BF_EFORBIDDEN, "side", "an operator changes only its own side of the gate");
		goto fail;
	}
	json_t *payload;
	char from[BF_TIME_TEXT], to[BF_TIME_TEXT];
	bf_time_format_utc(ch->from, from);
	bf_time_format_utc(ch->to, to);
	if (ch->kind == BF_CHANGE_LANES) {
		struct bf_lane_change lc = {ch->from, ch->to, ch->direction, ch->lanes};
		if (ch->lanes < 0 || ch->lanes > 64) {
			rc = bf_error_set(err, BF_EINVAL, "lanes", "must be from 0 to 64");
			goto fail;
		}
		rc = bf_store_lane_change_put(s, g.id, &lc, err);
		bf_gate_add_lane_change(&g, &lc);
		payload = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "kind", "lanes", "direction",
		                    bf_direction_name(ch->direction), "lanes", ch->lanes, "from", from, "to", to,
		                    "note", ch->note);
	} else {
		struct bf_exception e = {.start = ch->from, .end = ch->to, .open = ch->kind == BF_CHANGE_EXTENSION};
		bf_strlcpy(e.note, ch->note, sizeof(e.note));
		rc = bf_store_exception_put(s, g.id, side, &e, err);
		bf_gate_side_add_exception(&g.side[side], &e);
		payload = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", e.open ? "extension" : "closure", "side",
		                    side ? "b" : "a", "from", from, "to", to, "note", ch->note);
	}
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	snprintf(subject, sizeof(subject), "gate/%s", g.id);
	if (rc == BF_OK)
		rc = bf_svc_event(s, actor, "gate.changed", subject, payload, now, err);
	else
		json_decref(payload);
	if (rc == BF_OK)
		rc = rebook_gate(s, &g, now, moved, n, err);
	if (rc)
		goto fail;
	rc = bf_store_commit(s, err);
	bf_gate_pair_clear(&g);
	goto done;
fail:
	bf_store_rollback(s);
	bf_gate_pair_clear(&g);
	free(*moved);
	*moved = NULL;
	*n = 0;
done:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_consignment_events(struct bf_service *svc, const struct bf_party *actor, const char *id,
                                  struct bf_event **out, size_t *n, struct bf_error *err)
{
	struct bf_consignment c;
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	int rc = bf_service_consignment(svc, actor, id, &c, err);
	if (rc)
		return rc;
	snprintf(subject, sizeof(subject), "consignment/%s", id);
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	rc = bf_store_events_about(s, subject, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

/* ---- the peer's gate changes ---- */

int bf_service_gate_change_apply(struct bf_store *s, const struct bf_event *e, bool rebook, bf_time now,
                                 struct bf_error *err)
{
	static const char prefix[] = "gate/";
	if (strncmp(e->subject, prefix, strlen(prefix)) != 0)
		return bf_error_set(err, BF_EINVAL, "subject", "%s is not a gate", e->subject);
	json_t *p = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
	const char *kind = json_string_value(json_object_get(p, "kind")),
	           *from = json_string_value(json_object_get(p, "from")),
	           *to = json_string_value(json_object_get(p, "to")),
	           *note = json_string_value(json_object_get(p, "note"));
	struct bf_gate_pair g;
	bf_time start, end;
	int rc;
	if (kind == NULL || from == NULL || to == NULL || bf_time_parse(from, &start) != 0 ||
	    bf_time_parse(to, &end) != 0 || end <= start) {
		json_decref(p);
		return bf_error_set(err, BF_EINVAL, "payload", "the gate change cannot be read");
	}
	if ((rc = bf_store_gate_get(s, e->subject + strlen(prefix), &g, err)) != 0) {
		json_decref(p);
		return rc == BF_ENOTFOUND ? bf_error_set(err, BF_EINVAL, "subject", "no gate %s here", e->subject) : rc;
	}
	if (strcmp(kind, "lanes") == 0) {
		const char *dir = json_string_value(json_object_get(p, "direction"));
		json_t *lanes = json_object_get(p, "lanes");
		struct bf_lane_change lc = {.start = start, .end = end};
		if (dir == NULL || bf_direction_parse(dir, &lc.direction) != 0 || !json_is_integer(lanes) ||
		    json_integer_value(lanes) < 0 || json_integer_value(lanes) > 64) {
			rc = bf_error_set(err, BF_EINVAL, "payload", "the lane change cannot be read");
		} else {
			lc.lanes = (int)json_integer_value(lanes);
			rc = bf_store_lane_change_put(s, g.id, &lc, err);
			bf_gate_add_lane_change(&g, &lc);
		}
	} else if (strcmp(kind, "closure") == 0 || strcmp(kind, "extension") == 0) {
		const char *side = json_string_value(json_object_get(p, "side"));
		struct bf_exception x = {.start = start, .end = end, .open = strcmp(kind, "extension") == 0};
		bf_strlcpy(x.note, note ? note : "", sizeof(x.note));
		if (side == NULL || (strcmp(side, "a") != 0 && strcmp(side, "b") != 0)) {
			rc = bf_error_set(err, BF_EINVAL, "payload", "the side of the gate cannot be read");
		} else {
			int k = side[0] == 'b';
			rc = bf_store_exception_put(s, g.id, k, &x, err);
			bf_gate_side_add_exception(&g.side[k], &x);
		}
	} else {
		rc = bf_error_set(err, BF_EINVAL, "payload", "\"%s\" is not a change of a gate", kind);
	}
	json_decref(p);
	struct bf_moved_booking *moved = NULL;
	size_t n = 0;
	if (rc == BF_OK && rebook)
		rc = rebook_gate(s, &g, now, &moved, &n, err);
	free(moved);
	bf_gate_pair_clear(&g);
	return rc;
}
