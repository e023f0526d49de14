/* Slots, bookings, the waiting yard and disruptions over HTTP. */
#include "api/handlers.h"
#include "service/control.h"
#include "codec/jsonread.h"
#include "codec/consignment.h"
#include "service/booking.h"
#include "service/declare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *time_json(bf_time t)
{
	char text[BF_TIME_TEXT];
	if (t == 0)
		return json_null();
	bf_time_format_utc(t, text);
	return json_string(text);
}

static json_t *booking_json(const struct bf_booking *b)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i}", "consignment", b->consignment_id, "state",
	                 bf_state_name(b->state), "gate", b->gate_id, "direction", bf_direction_name(b->direction),
	                 "slot_start", time_json(b->slot_start), "earliest", time_json(b->earliest), "deadline",
	                 time_json(b->deadline), "checked_in_at", time_json(b->checked_in_at), "misses", b->misses);
}

/* Reads an optional instant field; 0 when absent. */
static int read_time(struct bf_jr *jr, json_t *body, const char *key, bf_time *out)
{
	char text[40];
	int rc = bf_jr_str(jr, body, key, "", text, sizeof(text), false);
	*out = 0;
	if (rc || !text[0])
		return rc;
	const char *why;
	if (bf_time_read(text, out, &why))
		return bf_jr_fail(jr, key, "must be an instant with its zone, like 2026-12-01T10:30:00Z: \"%s\" %s",
		                  text, why);
	return BF_OK;
}

void bf_h_book(struct bf_call *c, struct bf_reply *r)
{
	static const char *const keys[] = {"gate", "earliest", "latest", NULL};
	struct bf_book_request req = {0};
	struct bf_book_result res;
	struct bf_error err = {0};
	struct bf_jr jr = {.err = &err};
	char gate[BF_GATE_ID_MAX + 1];
	json_t *body = c->body_len ? bf_call_json_body(c, r) : json_object();
	int rc;
	if (body == NULL)
		return;
	if ((rc = bf_jr_keys(&jr, body, "", keys)) != 0 ||
	    (rc = bf_jr_str(&jr, body, "gate", "", gate, sizeof(gate), false)) != 0 ||
	    (rc = read_time(&jr, body, "earliest", &req.earliest)) != 0 ||
	    (rc = read_time(&jr, body, "latest", &req.latest)) != 0) {
		json_decref(body);
		bf_reply_failure(r, &err);
		return;
	}
	json_decref(body);
	req.gate = gate[0] ? gate : NULL;
	rc = bf_service_book(c->svc, &c->actor, c->params[0], &req, &res, &err);
	if (rc == BF_OK) {
		bf_reply_json(r, res.changed ? 200 : 201, booking_json(&res.booking));
		return;
	}
	bf_reply_failure(r, &err);
	if (rc == BF_ECONFLICT && strcmp(err.field, "slot") == 0) {
		json_t *alts = json_array();
		for (int i = 0; i < res.n_alternatives; i++)
			json_array_append_new(alts, json_pack("{s:s, s:o, s:i}", "gate", res.alternatives[i].gate,
			                                      "slot_start", time_json(res.alternatives[i].slot_start),
			                                      "free", res.alternatives[i].free));
		json_object_set_new(r->body, "alternatives", alts);
	}
}

void bf_h_unbook(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	struct bf_consignment cs;
	if (bf_service_unbook(c->svc, &c->actor, c->params[0], &err) ||
	    bf_service_consignment(c->svc, &c->actor, c->params[0], &cs, &err))
		bf_reply_failure(r, &err);
	else
		bf_reply_json(r, 200, bf_consignment_json(&cs));
}

void bf_h_check_in(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	struct bf_booking b = {0};
	if (bf_service_check_in(c->svc, &c->actor, c->params[0], &b, &err))
		bf_reply_failure(r, &err);
	else
		bf_reply_json(r, 200, booking_json(&b));
}

void bf_h_consignment_events(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	struct bf_event *ev;
	size_t n;
	if (bf_service_consignment_events(c->svc, &c->actor, c->params[0], &ev, &n, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *payload = json_loads(ev[i].payload, 0, NULL);
		json_array_append_new(arr, json_pack("{s:I, s:o, s:s, s:s, s:s, s:o}", "seq", (json_int_t)ev[i].seq,
		                                     "at", time_json(ev[i].at), "party", ev[i].party_id, "role",
		                                     bf_role_name(ev[i].role), "kind", ev[i].kind, "payload",
		                                     payload ? payload : json_null()));
	}
	bf_service_events_free(ev, n);
	bf_reply_json(r, 200, json_pack("{s:o}", "events", arr));
}

const char *const bf_slots_query[] = {"from", "days", NULL};

void bf_h_slots(struct bf_call *c, struct bf_reply *r)
{
	const char *ftext = c->query(c->conn, "from"), *dtext = c->query(c->conn, "days");
	bf_time from = bf_service_now(c->svc);
	long days = 1;
	struct bf_slot_fill *v;
	struct bf_error err = {0};
	size_t n;
	const char *why;
	if (ftext && bf_time_read(ftext, &from, &why)) {
		bf_reply_error(r, 400, "invalid", "from",
		               "must be an instant with its zone, like 2026-12-01T00:00:00Z: \"%.64s\" %s", ftext, why);
		return;
	}
	if (dtext) {
		char *end;
		days = strtol(dtext, &end, 10);
		if (!*dtext || *end || days < 1 || days > 14) {
			bf_reply_error(r, 400, "invalid", "days", "must be a whole number from 1 to 14");
			return;
		}
	}
	if (from + days * BF_DAY_SECONDS > BF_TIME_MAX) {
		bf_reply_error(r, 400, "invalid", "days", "reaches past 9999-12-30T23:59:59Z, the last instant kept");
		return;
	}
	if (bf_service_slots(c->svc, c->params[0], from, from + days * BF_DAY_SECONDS, &v, &n, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:o, s:o, s:i, s:i}", "direction", bf_direction_name(v[i].direction),
		                      "start", time_json(v[i].start), "end", time_json(v[i].end), "capacity",
		                      v[i].capacity, "booked", v[i].booked);
		if (v[i].train >= 0)
			json_object_set_new(o, "train", json_string(v[i].train_number));
		json_array_append_new(arr, o);
	}
	free(v);
	bf_reply_json(r, 200, json_pack("{s:s, s:o}", "gate", c->params[0], "slots", arr));
}

void bf_h_queue(struct bf_call *c, struct bf_reply *r)
{
	struct bf_queue_entry *q;
	struct bf_error err = {0};
	size_t n;
	if (bf_service_queue(c->svc, c->params[0], &q, &n, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = booking_json(&q[i].booking);
		json_object_set_new(o, "place", json_integer(q[i].place));
		json_object_set_new(o, "vehicle", json_string(q[i].booking.vehicle));
		json_object_set_new(o, "commodity", json_string(q[i].booking.hs_code));
		json_object_set_new(o, "estimated_crossing", time_json(q[i].estimated));
		json_object_set_new(o, "controls", bf_consignment_controls_json(q[i].controls, q[i].n_controls));
		json_array_append_new(arr, o);
	}
	free(q);
	bf_reply_json(r, 200, json_pack("{s:s, s:o}", "gate", c->params[0], "waiting", arr));
}

void bf_h_call(struct bf_call *c, struct bf_reply *r)
{
	static const char *const keys[] = {"count", "override", NULL};
	struct bf_error err = {0};
	struct bf_jr jr = {.err = &err};
	struct bf_booking *called;
	struct bf_override ov;
	struct bf_step_refusal refusal;
	size_t n;
	int count = 1, missed = 0;
	json_t *body = c->body_len ? bf_call_json_body(c, r) : json_object();
	if (body == NULL)
		return;
	if (bf_jr_keys(&jr, body, "", keys) || bf_jr_int(&jr, body, "count", "", 1, 100, &count, false) ||
	    bf_call_override(&jr, body, &ov)) {
		json_decref(body);
		bf_reply_failure(r, &err);
		return;
	}
	json_decref(body);
	if (bf_service_call(c->svc, &c->actor, c->params[0], count, &ov, &called, &n, &missed, &refusal, &err)) {
		bf_reply_step_failure(r, &err, &refusal);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, booking_json(&called[i]));
	free(called);
	bf_reply_json(r, 200, json_pack("{s:o, s:i}", "called", arr, "missed_moved", missed));
}

void bf_h_change(struct bf_call *c, struct bf_reply *r)
{
	static const char *const keys[] = {"kind", "from", "to", "side", "direction", "lanes", "note", NULL};
	struct bf_gate_change ch = {.side = -1};
	struct bf_error err = {0};
	struct bf_jr jr = {.err = &err};
	struct bf_moved_booking *moved;
	char kind[16], side[4], dir[12];
	size_t n;
	int rc;
	json_t *body = bf_call_json_body(c, r);
	if (body == NULL)
		return;
	if ((rc = bf_jr_keys(&jr, body, "", keys)) != 0 ||
	    (rc = bf_jr_str(&jr, body, "kind", "", kind, sizeof(kind), true)) != 0 ||
	    (rc = read_time(&jr, body, "from", &ch.from)) != 0 || (rc = read_time(&jr, body, "to", &ch.to)) != 0 ||
	    (rc = bf_jr_str(&jr, body, "side", "", side, sizeof(side), false)) != 0 ||
	    (rc = bf_jr_str(&jr, body, "direction", "", dir, sizeof(dir), false)) != 0 ||
	    (rc = bf_jr_int(&jr, body, "lanes", "", 0, 64, &ch.lanes, false)) != 0 ||
	    (rc = bf_jr_str(&jr, body, "note", "", ch.note, sizeof(ch.note), false)) != 0)
		goto bad;
	if (strcmp(kind, "closure") == 0)
		ch.kind = BF_CHANGE_CLOSURE;
	else if (strcmp(kind, "extension") == 0)
		ch.kind = BF_CHANGE_EXTENSION;
	else if (strcmp(kind, "lanes") == 0)
		ch.kind = BF_CHANGE_LANES;
	else {
		rc = bf_jr_fail(&jr, "kind", "must be closure, extension or lanes");
		goto bad;
	}
	if (!ch.from || !ch.to) {
		rc = bf_jr_fail(&jr, ch.from ? "to" : "from", "is required");
		goto bad;
	}
	if (side[0] && strcmp(side, "a") != 0 && strcmp(side, "b") != 0) {
		rc = bf_jr_fail(&jr, "side", "must be a or b");
		goto bad;
	}
	ch.side = side[0] ? side[0] - 'a' : -1;
	if (ch.kind == BF_CHANGE_LANES) {
		if (!dir[0] || bf_direction_parse(dir, &ch.direction)) {
			rc = bf_jr_fail(&jr, "direction", "a change of lanes names its direction, a_to_b or b_to_a");
			goto bad;
		}
		if (json_object_get(body, "lanes") == NULL) {
			rc = bf_jr_fail(&jr, "lanes", "is required for a change of lanes");
			goto bad;
		}
	}
	json_decref(body);
	body = NULL;
	if ((rc = bf_service_change_gate(c->svc, &c->actor, c->params[0], &ch, &moved, &n, &err)) != 0)
		goto bad;
	json_t *mv = json_array(), *risk = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:o, s:o}", "consignment", moved[i].consignment_id, "from",
		                      time_json(moved[i].from), "to", time_json(moved[i].to));
		if (moved[i].to && moved[i].to != moved[i].from)
			json_array_append(mv, o);
		if (moved[i].at_risk)
			json_array_append(risk, o);
		json_decref(o);
	}
	free(moved);
	bf_reply_json(r, 201, json_pack("{s:s, s:o, s:o}", "gate", c->params[0], "moved", mv, "at_risk", risk));
	return;
bad:
	json_decref(body);
	bf_reply_failure(r, &err);
}
