/* Slots, bookings and the electronic queue on a real server: book, check
 * in, the yard's order, calls; 64 clients racing for a slot's last 10
 * places; a closure that rebooks only what it must, releasing what no
 * slot serves in time; alternatives when a span is full; deadlines; only a
 * load with a slot checks in; and bad requests. */
#include "util/apifix.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CARRIER_A, CARRIER_B, OPERATOR_VN, OPERATOR_CN, PLANNER, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {
    {"carrier-a", BF_ROLE_CARRIER, "VN", ""},         {"carrier-b", BF_ROLE_CARRIER, "VN", ""},
    {"operator-vn", BF_ROLE_GATE_OPERATOR, "VN", ""}, {"operator-cn", BF_ROLE_GATE_OPERATOR, "CN", ""},
    {"planner", BF_ROLE_PLANNER, "VN", ""},
};
static struct apifix fx;
/* The server's clock: a Tuesday morning, the gates open on both sides;
 * tests move it as the day goes. */
static bf_time now;

static int setup(void **state)
{
	*state = &fx;
	if (bf_time_parse("2026-12-01T03:00:00Z", &now) != 0)
		return -1;
	fx.clock = apifix_clock_at;
	fx.clock_ctx = &now;
	return apifix_start(&fx, "slots", parties, N_PARTIES);
}

/* Declares a load for PARTY and returns its id (static buffer, copied by
 * the caller). DURIAN picks a durian load instead of dragon fruit. */
static const char *declare(int party, const char *gate, bool durian)
{
	return durian ? apifix_declare(&fx, party, "VN-EXP-0102", "08106000", "VN-DLOR-0001", "VN-DLPH-001", gate)
	              : apifix_declare(&fx, party, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", gate);
}

/* The first a_to_b slot of GATE starting DAYS_AHEAD days from now or
 * later: its start (text) and capacity. */
static int future_slot(const char *gate, int days_ahead, int skip, char start[BF_TIME_TEXT])
{
	char path[256], from[BF_TIME_TEXT];
	long st;
	bf_time_format_utc(now + (bf_time)days_ahead * BF_DAY_SECONDS, from);
	snprintf(path, sizeof(path), "/v1/gates/%s/slots?from=%s&days=2", gate, from);
	json_t *j = apifix_call(&fx, -1, "GET", path, NULL, NULL, &st), *s;
	size_t i;
	int cap = -1;
	assert_int_equal(st, 200);
	json_array_foreach (json_object_get(j, "slots"), i, s) {
		if (strcmp(tu_str(s, "direction"), "a_to_b") != 0 || skip-- > 0)
			continue;
		snprintf(start, BF_TIME_TEXT, "%s", tu_str(s, "start"));
		cap = (int)json_integer_value(json_object_get(s, "capacity"));
		assert_int_equal(json_integer_value(json_object_get(s, "booked")), 0);
		break;
	}
	json_decref(j);
	assert_true(cap > 0);
	return cap;
}

static long book(int party, const char *id, const char *gate, const char *at, json_t **answer)
{
	char path[128], body[256];
	long st;
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
	snprintf(body, sizeof(body), "{\"gate\":\"%s\",\"earliest\":\"%s\",\"latest\":\"%s\"}", gate, at, at);
	json_t *j = apifix_call(&fx, party, "POST", path, body, NULL, &st);
	if (answer)
		*answer = j;
	else
		json_decref(j);
	return st;
}

static bool has_event(int party, const char *id, const char *kind)
{
	char path[128];
	long st;
	bool found = false;
	size_t i;
	json_t *e;
	snprintf(path, sizeof(path), "/v1/consignments/%s/events", id);
	json_t *j = apifix_call(&fx, party, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_array_foreach (json_object_get(j, "events"), i, e)
		found = found || strcmp(tu_str(e, "kind"), kind) == 0;
	json_decref(j);
	return found;
}

static void test_book_check_in_queue_call(void **state)
{
	(void)state;
	char slot[BF_TIME_TEXT], ids[3][64], path[128];
	long st;
	future_slot("huu-nghi", 2, 0, slot);
	for (int i = 0; i < 3; i++) {
		json_t *b;
		snprintf(ids[i], sizeof(ids[i]), "%s", declare(CARRIER_A, "huu-nghi", false));
		assert_int_equal(book(CARRIER_A, ids[i], "huu-nghi", slot, &b), 201);
		assert_string_equal(tu_str(b, "slot_start"), slot);
		assert_string_equal(tu_str(b, "state"), "booked");
		assert_string_equal(tu_str(b, "direction"), "a_to_b");
		json_decref(b);
	}
	/* Checked in in reverse order: the yard keeps slot, then deadline. */
	for (int i = 2; i >= 0; i--) {
		snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", ids[i]);
		json_t *j = apifix_call(&fx, CARRIER_A, "POST", path, NULL, NULL, &st);
		assert_int_equal(st, 200);
		assert_string_equal(tu_str(j, "state"), "waiting");
		json_decref(j);
	}
	json_t *q = apifix_call(&fx, OPERATOR_VN, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *w = json_object_get(q, "waiting");
	assert_int_equal(json_array_size(w), 3);
	for (int i = 0; i < 3; i++) {
		json_t *e = json_array_get(w, (size_t)i);
		assert_int_equal(json_integer_value(json_object_get(e, "place")), i + 1);
		assert_string_equal(tu_str(e, "consignment"), ids[i]); /* same slot: by deadline, i.e. declaration */
		assert_int_equal(strncmp(tu_str(e, "vehicle"), "12C-", 4), 0);
		assert_true(strcmp(tu_str(e, "estimated_crossing"), slot) >= 0);
	}
	/* Places behind the first cross later, at the lanes' rate. */
	assert_true(strcmp(tu_str(json_array_get(w, 2), "estimated_crossing"),
	                   tu_str(json_array_get(w, 0), "estimated_crossing")) > 0);
	json_decref(q);

	/* Two days early, no one is called: the slot is not due. */
	json_t *c = apifix_call(&fx, OPERATOR_VN, "POST", "/v1/gates/huu-nghi/call", "{\"count\":2}", NULL, &st);
	assert_int_equal(st, 409);
	assert_string_equal(tu_str(json_object_get(c, "error"), "field"), "time");
	bf_time due;
	char due_text[BF_TIME_TEXT];
	assert_int_equal(bf_time_parse(slot, &due), 0);
	bf_time_format_utc(due - BF_CALL_LEAD_MINUTES * 60, due_text);
	assert_string_equal(tu_str(json_object_get(c, "next_window"), "start"), due_text);
	json_decref(c);
	/* At the slot's start they are. */
	assert_int_equal(bf_time_parse(slot, &now), 0);
	c = apifix_call(&fx, OPERATOR_VN, "POST", "/v1/gates/huu-nghi/call", "{\"count\":2}", NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(c, "called")), 2);
	assert_string_equal(tu_str(json_array_get(json_object_get(c, "called"), 0), "consignment"), ids[0]);
	json_decref(c);
	q = apifix_call(&fx, OPERATOR_VN, "GET", "/v1/gates/huu-nghi/queue", NULL, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(q, "waiting")), 1);
	json_decref(q);
	snprintf(path, sizeof(path), "/v1/consignments/%s", ids[1]);
	json_t *cs = apifix_call(&fx, CARRIER_A, "GET", path, NULL, NULL, &st);
	assert_string_equal(tu_str(cs, "state"), "called");
	json_decref(cs);
	assert_true(has_event(CARRIER_A, ids[1], "consignment.booked"));
	assert_true(has_event(CARRIER_A, ids[1], "consignment.checked_in"));
	assert_true(has_event(CARRIER_A, ids[1], "consignment.called"));
	/* A load declared for any gate is found under the gate it booked. */
	char any[64], at_tt[BF_TIME_TEXT];
	future_slot("tan-thanh", 2, 0, at_tt);
	snprintf(any, sizeof(any), "%s", declare(CARRIER_A, "any", false));
	assert_int_equal(book(CARRIER_A, any, "tan-thanh", at_tt, NULL), 201);
	json_t *list = apifix_call(&fx, PLANNER, "GET", "/v1/consignments?gate=tan-thanh", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(list, "consignments")), 1);
	assert_string_equal(tu_str(json_array_get(json_object_get(list, "consignments"), 0), "id"), any);
	json_decref(list);

	/* A called load books no new slot; a carrier does not call. */
	assert_int_equal(book(CARRIER_A, ids[1], "huu-nghi", slot, NULL), 409);
	c = apifix_call(&fx, CARRIER_A, "POST", "/v1/gates/huu-nghi/call", "{}", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(c);
}

struct racer {
	char id[64];
	char slot[BF_TIME_TEXT];
	long status;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	r->status = book(CARRIER_B, r->id, "huu-nghi", r->slot, NULL);
	return NULL;
}

static void test_no_overbooking_under_concurrency(void **state)
{
	(void)state;
	char slot[BF_TIME_TEXT], path[256];
	int cap = future_slot("huu-nghi", 3, 0, slot);
	assert_true(cap > 10);
	long st;
	/* All but 10 places go first. */
	for (int i = 0; i < cap - 10; i++)
		assert_int_equal(book(CARRIER_B, declare(CARRIER_B, "huu-nghi", false), "huu-nghi", slot, NULL), 201);
	struct racer racers[64];
	pthread_t t[64];
	for (int i = 0; i < 64; i++) {
		snprintf(racers[i].id, sizeof(racers[i].id), "%s", declare(CARRIER_B, "huu-nghi", false));
		snprintf(racers[i].slot, sizeof(racers[i].slot), "%s", slot);
	}
	for (int i = 0; i < 64; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race, &racers[i]), 0);
	int won = 0, refused = 0;
	for (int i = 0; i < 64; i++) {
		pthread_join(t[i], NULL);
		won += racers[i].status == 201;
		refused += racers[i].status == 409;
	}
	assert_int_equal(won, 10);
	assert_int_equal(refused, 54);
	/* The slot holds exactly its capacity, as the API and the rows say. */
	snprintf(path, sizeof(path), "/v1/gates/huu-nghi/slots?from=%s&days=1", slot);
	json_t *j = apifix_call(&fx, -1, "GET", path, NULL, NULL, &st);
	json_t *s0 = json_array_get(json_object_get(j, "slots"), 0);
	assert_string_equal(tu_str(s0, "start"), slot);
	assert_int_equal(json_integer_value(json_object_get(s0, "booked")), cap);
	json_decref(j);

	/* The full slot answers 409 with the next free ones after it. */
	json_t *a;
	int loser = 0;
	while (racers[loser].status != 409)
		loser++;
	assert_int_equal(book(CARRIER_B, racers[loser].id, "huu-nghi", slot, &a), 409);
	json_t *alts = json_object_get(a, "alternatives");
	assert_true(json_array_size(alts) >= 1);
	assert_string_equal(tu_str(json_array_get(alts, 0), "gate"), "huu-nghi");
	assert_true(strcmp(tu_str(json_array_get(alts, 0), "slot_start"), slot) > 0);
	assert_string_equal(tu_str(json_object_get(a, "error"), "code"), "conflict");
	json_decref(a);
}

static void test_closure_rebooks_only_what_it_must(void **state)
{
	(void)state;
	char at_hn[BF_TIME_TEXT], at_tt[BF_TIME_TEXT], x[64], y[64], path[128], body[256], from[BF_TIME_TEXT],
	    to[BF_TIME_TEXT];
	long st;
	bf_time t;
	future_slot("huu-nghi", 5, 0, at_hn);
	future_slot("tan-thanh", 5, 0, at_tt);
	snprintf(x, sizeof(x), "%s", declare(CARRIER_A, "huu-nghi", false));
	snprintf(y, sizeof(y), "%s", declare(CARRIER_A, "tan-thanh", false));
	assert_int_equal(book(CARRIER_A, x, "huu-nghi", at_hn, NULL), 201);
	assert_int_equal(book(CARRIER_A, y, "tan-thanh", at_tt, NULL), 201);

	/* Huu Nghi's Vietnamese side closes for four hours around X's slot. */
	assert_int_equal(bf_time_parse(at_hn, &t), 0);
	bf_time_format_utc(t - 3600, from);
	bf_time_format_utc(t + 4 * 3600, to);
	snprintf(body, sizeof(body), "{\"kind\":\"closure\",\"from\":\"%s\",\"to\":\"%s\",\"note\":\"flood\"}", from,
	         to);
	json_t *wrong = apifix_call(&fx, OPERATOR_CN, "POST", "/v1/gates/huu-nghi/changes",
	                            "{\"kind\":\"closure\",\"side\":\"a\",\"from\":\"2030-01-01T00:00:00Z\","
	                            "\"to\":\"2030-01-02T00:00:00Z\"}",
	                            NULL, &st);
	assert_int_equal(st, 403);
	json_decref(wrong);
	json_t *j = apifix_call(&fx, OPERATOR_VN, "POST", "/v1/gates/huu-nghi/changes", body, NULL, &st);
	assert_int_equal(st, 201);
	json_t *moved = json_object_get(j, "moved"), *m;
	size_t i;
	bool x_moved = false;
	json_array_foreach (moved, i, m) {
		assert_string_not_equal(tu_str(m, "consignment"), y);
		if (strcmp(tu_str(m, "consignment"), x) == 0) {
			x_moved = true;
			assert_string_equal(tu_str(m, "from"), at_hn);
			assert_true(strcmp(tu_str(m, "to"), to) >= 0); /* after the closure */
		}
	}
	assert_true(x_moved);
	assert_int_equal(json_array_size(json_object_get(j, "at_risk")), 0);
	json_decref(j);
	assert_true(has_event(CARRIER_A, x, "booking.moved"));
	assert_false(has_event(CARRIER_A, y, "booking.moved"));

	/* The gate's windows now show the closure. */
	snprintf(path, sizeof(path), "/v1/gates/huu-nghi/slots?from=%s&days=1", from);
	json_t *s = apifix_call(&fx, -1, "GET", path, NULL, NULL, &st), *e;
	json_array_foreach (json_object_get(s, "slots"), i, e)
		assert_true(strcmp(tu_str(e, "start"), from) < 0 || strcmp(tu_str(e, "start"), to) >= 0);
	json_decref(s);

	/* A month's closure of Kim Thanh leaves a durian load no slot in time:
	 * it is reported at risk, and its carrier can read why. */
	char z[64], at_kt[BF_TIME_TEXT];
	future_slot("kim-thanh", 2, 0, at_kt);
	snprintf(z, sizeof(z), "%s", declare(CARRIER_A, "kim-thanh", true));
	assert_int_equal(book(CARRIER_A, z, "kim-thanh", at_kt, NULL), 201);
	assert_int_equal(bf_time_parse(at_kt, &t), 0);
	bf_time_format_utc(t - 3600, from);
	bf_time_format_utc(t + 40 * BF_DAY_SECONDS, to);
	snprintf(body, sizeof(body), "{\"kind\":\"closure\",\"from\":\"%s\",\"to\":\"%s\"}", from, to);
	j = apifix_call(&fx, OPERATOR_VN, "POST", "/v1/gates/kim-thanh/changes", body, NULL, &st);
	assert_int_equal(st, 201);
	assert_int_equal(json_array_size(json_object_get(j, "at_risk")), 1);
	json_t *r = json_array_get(json_object_get(j, "at_risk"), 0);
	assert_string_equal(tu_str(r, "consignment"), z);
	assert_string_equal(tu_str(r, "from"), at_kt);
	assert_true(json_is_null(json_object_get(r, "to"))); /* no slot, and no 1970 */
	json_decref(j);
	assert_true(has_event(CARRIER_A, z, "consignment.at_risk"));
	/* Released: validated again, holding no place, and told why. */
	assert_true(has_event(CARRIER_A, z, "booking.released"));
	snprintf(path, sizeof(path), "/v1/consignments/%s", z);
	j = apifix_call(&fx, CARRIER_A, "GET", path, NULL, NULL, &st);
	assert_string_equal(tu_str(j, "state"), "validated");
	json_decref(j);
	snprintf(path, sizeof(path), "/v1/consignments/%s/events", z);
	j = apifix_call(&fx, CARRIER_A, "GET", path, NULL, NULL, &st);
	char *text = json_dumps(j, JSON_COMPACT);
	assert_null(strstr(text, "1970-"));
	free(text);
	json_decref(j);
	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", z);
	j = apifix_call(&fx, CARRIER_A, "POST", path, NULL, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(j);
}

/* Durian keeps 504 hours: its deadline to start crossing is 502 hours
 * after it is declared. */
static void test_deadlines_and_slots(void **state)
{
	(void)state;
	char id[64], path[128], body[256], from[BF_TIME_TEXT], to[BF_TIME_TEXT];
	long st;
	bf_time deadline; /* the server's clock is NOW */
	snprintf(id, sizeof(id), "%s", declare(CARRIER_A, "chi-ma", true));
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);

	/* A span that begins after the deadline: 409, naming it and the last
	 * slot that starts by it. */
	bf_time_format_utc(now + 22 * BF_DAY_SECONDS, from);
	snprintf(body, sizeof(body), "{\"gate\":\"chi-ma\",\"earliest\":\"%s\"}", from);
	json_t *j = apifix_call(&fx, CARRIER_A, "POST", path, body, NULL, &st);
	assert_int_equal(st, 409);
	json_t *e = json_object_get(j, "error");
	assert_string_equal(tu_str(e, "code"), "conflict");
	assert_string_equal(tu_str(e, "field"), "earliest");
	assert_non_null(strstr(tu_str(e, "message"), "deadline"));
	assert_non_null(strstr(tu_str(e, "message"), "the last slot it can use starts at"));
	json_decref(j);

	/* A span that reaches past it ends there. */
	bf_time_format_utc(now + 20 * BF_DAY_SECONDS + 12 * 3600, from);
	bf_time_format_utc(now + 30 * BF_DAY_SECONDS, to);
	snprintf(body, sizeof(body), "{\"gate\":\"chi-ma\",\"earliest\":\"%s\",\"latest\":\"%s\"}", from, to);
	j = apifix_call(&fx, CARRIER_A, "POST", path, body, NULL, &st);
	assert_int_equal(st, 201);
	assert_int_equal(bf_time_parse(tu_str(j, "deadline"), &deadline), 0);
	assert_true(strcmp(tu_str(j, "slot_start"), tu_str(j, "deadline")) <= 0);
	assert_true(deadline > now + 20 * BF_DAY_SECONDS && deadline <= now + 21 * BF_DAY_SECONDS);
	json_decref(j);

	/* A booking left with no slot by an older build does not check in. */
	char sql[256];
	snprintf(sql, sizeof(sql), "UPDATE booking SET slot_start = 0 WHERE consignment_id = '%s'", id);
	tu_db_exec(fx.db, sql);
	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", id);
	j = apifix_call(&fx, CARRIER_A, "POST", path, NULL, NULL, &st);
	assert_int_equal(st, 409);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "slot");
	json_decref(j);
}

/* Chi Ma has one lane of 5 vehicles an hour: slots of 2 or 3 places. */
static void test_called_places_and_far_bookings_hold(void **state)
{
	(void)state;
	char slot[BF_TIME_TEXT], next[BF_TIME_TEXT], ids[3][64], y[64], path[256], body[256], from[BF_TIME_TEXT],
	    to[BF_TIME_TEXT];
	long st;
	bf_time t;
	int cap = future_slot("chi-ma", 6, 0, slot);
	assert_true(cap >= 2 && cap <= 3);
	for (int i = 0; i < cap; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%s", declare(CARRIER_A, "chi-ma", false));
		assert_int_equal(book(CARRIER_A, ids[i], "chi-ma", slot, NULL), 201);
	}
	/* Asking again for the slot it holds, when the slot is full, keeps it. */
	json_t *again;
	assert_int_equal(book(CARRIER_A, ids[0], "chi-ma", slot, &again), 200);
	assert_string_equal(tu_str(again, "slot_start"), slot);
	json_decref(again);
	/* The slot's vehicles arrive early and are called forward. */
	for (int i = 0; i < cap; i++) {
		snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", ids[i]);
		json_decref(apifix_call(&fx, CARRIER_A, "POST", path, NULL, NULL, &st));
		assert_int_equal(st, 200);
	}
	snprintf(body, sizeof(body), "{\"count\":%d}", cap);
	assert_int_equal(bf_time_parse(slot, &now), 0); /* the slot is due */
	json_t *c = apifix_call(&fx, OPERATOR_VN, "POST", "/v1/gates/chi-ma/call", body, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(c, "called")), (size_t)cap);
	json_decref(c);
	/* Y books from that slot on: it is full, so Y lands in a later one. */
	snprintf(y, sizeof(y), "%s", declare(CARRIER_A, "chi-ma", false));
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", y);
	snprintf(body, sizeof(body), "{\"gate\":\"chi-ma\",\"earliest\":\"%s\"}", slot);
	json_t *b = apifix_call(&fx, CARRIER_A, "POST", path, body, NULL, &st);
	assert_int_equal(st, 201);
	snprintf(next, sizeof(next), "%s", tu_str(b, "slot_start"));
	assert_true(strcmp(next, slot) > 0);
	json_decref(b);
	/* A far booking, 25 days ahead, at the same gate. */
	char far[64], far_at[BF_TIME_TEXT];
	future_slot("chi-ma", 25, 0, far_at);
	snprintf(far, sizeof(far), "%s", declare(CARRIER_A, "chi-ma", false));
	assert_int_equal(book(CARRIER_A, far, "chi-ma", far_at, NULL), 201);

	/* Y's slot closes. The called vehicles' slot looks free to no one:
	 * Y goes later, and that slot stays within its places. */
	assert_int_equal(bf_time_parse(next, &t), 0);
	bf_time_format_utc(t, from);
	bf_time_format_utc(t + 1800, to);
	snprintf(body, sizeof(body), "{\"kind\":\"closure\",\"from\":\"%s\",\"to\":\"%s\"}", from, to);
	json_t *j = apifix_call(&fx, OPERATOR_VN, "POST", "/v1/gates/chi-ma/changes", body, NULL, &st);
	assert_int_equal(st, 201);
	json_t *m = json_array_get(json_object_get(j, "moved"), 0);
	assert_int_equal(json_array_size(json_object_get(j, "moved")), 1);
	assert_string_equal(tu_str(m, "consignment"), y);
	assert_true(strcmp(tu_str(m, "to"), to) >= 0);
	/* The far booking is neither moved nor reported at risk. */
	assert_int_equal(json_array_size(json_object_get(j, "at_risk")), 0);
	json_decref(j);
	assert_false(has_event(CARRIER_A, far, "consignment.at_risk"));
	snprintf(path, sizeof(path), "/v1/gates/chi-ma/slots?from=%s&days=1", slot);
	json_t *sl = apifix_call(&fx, -1, "GET", path, NULL, NULL, &st), *e;
	size_t i;
	json_array_foreach (json_object_get(sl, "slots"), i, e)
		assert_true(json_integer_value(json_object_get(e, "booked")) <=
		            json_integer_value(json_object_get(e, "capacity")));
	json_decref(sl);
}

/* Declares a dragon fruit load for CARRIER_A on the truck PLATE (VN). */
static void declare_on(const char *plate, char id[64])
{
	char body[1024];
	long st;
	snprintf(body, sizeof(body),
	         "{\"exporter\":\"VN-EXP-0101\",\"commodity\":\"08109092\",\"net_weight_kg\":15000,"
	         "\"packages\":900,\"planting_areas\":[\"VN-BTOR-0001\"],\"packing_house\":\"VN-BTPH-001\","
	         "\"phyto_certificate\":\"P-1\",\"vehicle\":{\"kind\":\"truck\",\"number\":\"%s\","
	         "\"country\":\"VN\"},\"destination\":\"CN\"}",
	         plate);
	json_t *j = apifix_call(&fx, CARRIER_A, "POST", "/v1/consignments", body, NULL, &st);
	assert_int_equal(st, 201);
	snprintf(id, 64, "%s", tu_str(j, "id"));
	json_decref(j);
}

static long check_in(const char *id, json_t **answer)
{
	char path[128];
	long st;
	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", id);
	*answer = apifix_call(&fx, CARRIER_A, "POST", path, NULL, NULL, &st);
	return st;
}

/* A truck is in one yard at a time: one plate booked for two loads at two
 * gates (allowed: one trip after another) checks in for the first, and
 * is refused for the second, at the other gate or the same, with 409
 * naming the vehicle and where it waits; the refusal writes nothing.
 * Another truck checks in beside it. */
static void test_one_vehicle_one_yard(void **state)
{
	(void)state;
	char first[64], second[64], third[64], other[64], at_hn[BF_TIME_TEXT], at_tt[BF_TIME_TEXT];
	json_t *j;
	future_slot("huu-nghi", 4, 0, at_hn);
	future_slot("tan-thanh", 4, 0, at_tt);
	declare_on("51D-777.77", first);
	declare_on("51D-777.77", second);
	declare_on("51D-777.77", third);
	declare_on("51D-777.78", other);
	assert_int_equal(book(CARRIER_A, first, "huu-nghi", at_hn, NULL), 201);
	assert_int_equal(book(CARRIER_A, second, "tan-thanh", at_tt, NULL), 201);
	assert_int_equal(book(CARRIER_A, third, "huu-nghi", at_hn, NULL), 201);
	assert_int_equal(book(CARRIER_A, other, "tan-thanh", at_tt, NULL), 201);

	assert_int_equal(check_in(first, &j), 200);
	json_decref(j);
	char *before = apifix_dump_rows(&fx);
	const char *refused[] = {second, third};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(check_in(refused[i], &j), 409);
		json_t *e = json_object_get(j, "error");
		assert_string_equal(tu_str(e, "code"), "conflict");
		assert_string_equal(tu_str(e, "field"), "vehicle");
		const char *msg = tu_str(e, "message");
		if (strstr(msg, "51D-777.77") == NULL || strstr(msg, "huu-nghi") == NULL || strstr(msg, first) == NULL)
			fail_msg("the refusal names neither the plate, its gate nor its load: %s", msg);
		json_decref(j);
	}
	char *after = apifix_dump_rows(&fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	char path[128];
	long st;
	snprintf(path, sizeof(path), "/v1/consignments/%s", second);
	j = apifix_call(&fx, CARRIER_A, "GET", path, NULL, NULL, &st);
	assert_string_equal(tu_str(j, "state"), "booked");
	json_decref(j);

	assert_int_equal(check_in(other, &j), 200);
	assert_string_equal(tu_str(j, "state"), "waiting");
	json_decref(j);
}

static void test_bad_requests(void **state)
{
	(void)state;
	char id[64], path[128];
	long st;
	snprintf(id, sizeof(id), "%s", declare(CARRIER_A, "huu-nghi", false));
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
	static const struct {
		const char *body;
		long status;
		const char *field;
	} cases[] = {
	    {"{\"gat\":\"huu-nghi\"}", 400, "gat"},
	    {"{\"earliest\":\"tomorrow\"}", 400, "earliest"},
	    {"{\"gate\":\"soc-giang\"}", 400, "gate"},
	    {"{\"gate\":\"no-such-gate\"}", 404, "gate"},
	    {"{\"earliest\":\"2030-01-02T00:00:00Z\",\"latest\":\"2030-01-01T00:00:00Z\"}", 400, "latest"},
	    {"[1]", 400, "body"},
	    {"{\"earliest\":\"2099-01-01T00:00:00Z\"}", 400, "earliest"},
	    {"{\"earliest\":\"2026-01-01T00:00:00Z\",\"latest\":\"2099-01-01T00:00:00Z\"}", 400, "latest"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = apifix_call(&fx, CARRIER_A, "POST", path, cases[i].body, NULL, &st);
		if (st != cases[i].status)
			fail_msg("%s answered %ld", cases[i].body, st);
		assert_string_equal(tu_str(json_object_get(j, "error"), "field"), cases[i].field);
		json_decref(j);
	}
	json_t *j = apifix_call(&fx, CARRIER_B, "POST", path, "{}", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	j = apifix_call(&fx, CARRIER_A, "POST", "/v1/consignments/c-none/booking", "{}", NULL, &st);
	assert_int_equal(st, 404);
	json_decref(j);
	/* Checking in without a slot conflicts with the lifecycle. */
	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", id);
	j = apifix_call(&fx, CARRIER_A, "POST", path, NULL, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(j);
	static const char *const changes[] = {
	    "{\"kind\":\"closure\",\"from\":\"2030-01-02T00:00:00Z\",\"to\":\"2030-01-01T00:00:00Z\"}",
	    "{\"kind\":\"holiday\",\"from\":\"2030-01-01T00:00:00Z\",\"to\":\"2030-01-02T00:00:00Z\"}",
	    "{\"kind\":\"lanes\",\"from\":\"2030-01-01T00:00:00Z\",\"to\":\"2030-01-02T00:00:00Z\",\"lanes\":2}",
	    "{\"kind\":\"closure\",\"to\":\"2030-01-02T00:00:00Z\"}",
	    "{\"kind\":\"closure\",\"side\":\"c\",\"from\":\"2030-01-01T00:00:00Z\",\"to\":\"2030-01-02T00:00:00Z\"}",
	};
	long before = apifix_rows(&fx, "gate_exception");
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		j = apifix_call(&fx, OPERATOR_VN, "POST", "/v1/gates/huu-nghi/changes", changes[i], NULL, &st);
		if (st != 400)
			fail_msg("%s answered %ld", changes[i], st);
		json_decref(j);
	}
	assert_int_equal(apifix_rows(&fx, "gate_exception"), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_book_check_in_queue_call),
	    cmocka_unit_test(test_no_overbooking_under_concurrency),
	    cmocka_unit_test(test_closure_rebooks_only_what_it_must),
	    cmocka_unit_test(test_called_places_and_far_bookings_hold),
	    cmocka_unit_test(test_deadlines_and_slots),
	    cmocka_unit_test(test_one_vehicle_one_yard),
	    cmocka_unit_test(test_bad_requests),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
