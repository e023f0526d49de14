/* Deadlines and rebooking at the service layer, on the service's clock:
 * a closure at Chi Ma with 40 durian loads and 2 rambutan loads that will
 * spoil whatever happens keeps every durian in time and releases only the
 * rambutans, at risk; a booking, a change and every alternative stay
 * before the load's deadline, and a load past it is refused naming it; a
 * missed slot with no place left in time releases the load; only a load
 * with a slot checks in, and the yard is in slot order. */
#include "util/testutil.h"

#include "service/auth.h"
#include "service/booking.h"
#include "service/declare.h"
#include "service/registry.h"
#include "service/service.h"

#include <stdio.h>
#include <string.h>

#define H   3600
#define DAY (24 * H)

static struct bf_party carrier = {.id = "carrier", .name = "carrier", .role = BF_ROLE_CARRIER, .country = "VN"};
static struct bf_party board = {.id = "board", .name = "board", .role = BF_ROLE_GATE_OPERATOR, .country = "VN"};
static struct bf_party ppd = {
    .id = "ppd", .name = "plant protection", .role = BF_ROLE_REGISTRY_AUTHORITY, .country = "VN"};

static bf_time now, t0; /* the service's clock; 2026-12-01T03:00:00Z, 10:00 in Hanoi */
static char db[2048];

static bf_time clock_at(void *ctx)
{
	return *(const bf_time *)ctx;
}

static bf_time at(const char *text)
{
	bf_time t;
	assert_int_equal(bf_time_parse(text, &t), 0);
	return t;
}

static void save(struct bf_service *svc, struct bf_registry_record *r)
{
	struct bf_error err = {0};
	if (bf_service_registry_save(svc, &ppd, r, true, &err))
		fail_msg("registry: %s", err.message);
}

/* A node of its own for each test, with a registered rambutan grower
 * beside the bundled durian one (the sample registry has none). */
static struct bf_service *open_node(const char *name)
{
	struct bf_service_config cfg = {.connections = 2, .grace_minutes = 30, .clock = clock_at, .clock_ctx = &now};
	struct bf_service *svc;
	struct bf_error err = {0};
	char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
	t0 = now = at("2026-12-01T03:00:00Z");
	now -= 30 * DAY; /* the registry is older than every declaration */
	snprintf(db, sizeof(db), "%s", tu_db(name));
	cfg.db_url = db;
	if (bf_service_open(&cfg, &svc, &err) || bf_service_token_new(svc, &carrier, token, id, &err) ||
	    bf_service_token_new(svc, &board, token, id, &err) || bf_service_token_new(svc, &ppd, token, id, &err))
		fail_msg("%s", err.message);
	struct bf_registry_record r = {.kind = BF_REG_EXPORTER};
	strcpy(r.u.exporter.id, "VN-EXP-0901");
	strcpy(r.u.exporter.name, "Test Rambutan Co.");
	strcpy(r.u.exporter.country, "VN");
	r.u.exporter.n_approvals = 1;
	strcpy(r.u.exporter.approvals[0].hs_code, "08109030");
	strcpy(r.u.exporter.approvals[0].destination, "CN");
	save(svc, &r);
	r = (struct bf_registry_record){.kind = BF_REG_PLANTING_AREA};
	strcpy(r.u.planting_area.code, "VN-RBOR-0001");
	strcpy(r.u.planting_area.hs_code, "08109030");
	strcpy(r.u.planting_area.country, "VN");
	strcpy(r.u.planting_area.province, "Ben Tre");
	save(svc, &r);
	r = (struct bf_registry_record){.kind = BF_REG_PACKING_HOUSE};
	strcpy(r.u.packing_house.code, "VN-RBPH-001");
	strcpy(r.u.packing_house.name, "Test rambutan packing house");
	strcpy(r.u.packing_house.country, "VN");
	strcpy(r.u.packing_house.province, "Ben Tre");
	save(svc, &r);
	now = t0;
	return svc;
}

/* A load to declare: a durian (or a rambutan) whose deadline to start
 * crossing is DEADLINE; its id goes to ID. */
struct load {
	bool rambutan;
	bf_time deadline;
	char *id;
};

/* When L is declared: its deadline less its shelf life in the bundled
 * data (rambutan 14 days, durian 21) and the 2 hours to cross. */
static bf_time declared_at(const struct load *l)
{
	return l->deadline - (bf_time)((l->rambutan ? 336 : 504) - 2) * H;
}

/* Declares a durian load (or a rambutan one) whose deadline to start
 * crossing is DEADLINE: declared that long before, by the clock. */
static void declare(struct bf_service *svc, bool rambutan, bf_time deadline, char id[BF_CONSIGNMENT_ID_MAX + 1])
{
	static unsigned plates;
	struct bf_consignment c = {
	    .net_weight_kg = 15000, .packages = 900, .n_planting_areas = 1, .conveyance = BF_CONVEY_TRUCK};
	struct bf_declaration d;
	struct bf_error err = {0};
	bf_time keep = now;
	strcpy(c.exporter_id, rambutan ? "VN-EXP-0901" : "VN-EXP-0102");
	strcpy(c.hs_code, rambutan ? "08109030" : "08106000");
	strcpy(c.planting_areas[0], rambutan ? "VN-RBOR-0001" : "VN-DLOR-0001");
	strcpy(c.packing_house, rambutan ? "VN-RBPH-001" : "VN-DLPH-001");
	strcpy(c.phyto_certificate, "P-1");
	snprintf(c.vehicle, sizeof(c.vehicle), "12C-%03u.%02u", plates / 100 % 1000, plates % 100);
	plates++;
	strcpy(c.vehicle_country, "VN");
	strcpy(c.destination, "CN");
	now = declared_at(&(struct load){.rambutan = rambutan, .deadline = deadline});
	if (bf_service_declare(svc, &carrier, &c, &d, &err) || d.n_violations)
		fail_msg("declare: %s %s", err.message, d.n_violations ? d.violations[0].message : "");
	now = keep;
	strcpy(id, d.consignment.id);
}

static int by_declared_at(const void *a, const void *b)
{
	bf_time x = declared_at(*(const struct load *const *)a), y = declared_at(*(const struct load *const *)b);
	return (x > y) - (x < y);
}

/* Declares the N loads of V, the earliest declared first: a chain's
 * events go forward in time, so a test declares every load it needs
 * before it books any. */
static void declare_all(struct bf_service *svc, struct load *v, size_t n)
{
	const struct load **order = calloc(n, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = &v[i];
	qsort(order, n, sizeof(*order), by_declared_at);
	for (size_t i = 0; i < n; i++)
		declare(svc, order[i]->rambutan, order[i]->deadline, order[i]->id);
	free(order);
}

static int book(struct bf_service *svc, const char *id, bf_time earliest, bf_time latest, struct bf_book_result *out,
                struct bf_error *err)
{
	struct bf_book_request req = {.gate = "chi-ma", .earliest = earliest, .latest = latest};
	return bf_service_book(svc, &carrier, id, &req, out, err);
}

static enum bf_state state_of(struct bf_service *svc, const char *id)
{
	struct bf_consignment c;
	struct bf_error err = {0};
	assert_int_equal(bf_service_consignment(svc, &carrier, id, &c, &err), 0);
	return c.state;
}

/* How many events of KIND its carrier reads about ID; no instant in them
 * (the event's own, or any in its payload) is epoch zero. */
static int events_of(struct bf_service *svc, const char *id, const char *kind)
{
	struct bf_event *ev;
	size_t n;
	struct bf_error err = {0};
	int found = 0;
	assert_int_equal(bf_service_consignment_events(svc, &carrier, id, &ev, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		assert_true(ev[i].at > 0);
		if (ev[i].payload && strstr(ev[i].payload, "1970-"))
			fail_msg("%s of %s carries epoch zero: %s", ev[i].kind, id, ev[i].payload);
		found += strcmp(ev[i].kind, kind) == 0;
	}
	bf_service_events_free(ev, n);
	return found;
}

/* The a_to_b slots of Chi Ma in [FROM, TO). Free with free(). */
static struct bf_slot_fill *slots(struct bf_service *svc, bf_time from, bf_time to, size_t *n)
{
	struct bf_slot_fill *v, *out;
	size_t k, m = 0;
	struct bf_error err = {0};
	assert_int_equal(bf_service_slots(svc, "chi-ma", from, to, &v, &k, &err), 0);
	out = calloc(k + 1, sizeof(*out));
	for (size_t i = 0; i < k; i++) {
		assert_true(v[i].booked <= v[i].capacity);
		if (v[i].direction == BF_DIR_A_TO_B)
			out[m++] = v[i];
	}
	free(v);
	*n = m;
	return out;
}

static void test_closure_keeps_every_durian_in_time(void **state)
{
	(void)state;
	struct bf_service *svc = open_node("rebook-closure");
	struct bf_error err = {0};
	struct bf_book_result b;
	bf_time day2 = at("2026-12-02T00:00:00Z"); /* 07:00 in Hanoi: Chi Ma opens */
	char durian[40][BF_CONSIGNMENT_ID_MAX + 1], rambutan[2][BF_CONSIGNMENT_ID_MAX + 1];
	bf_time deadline[40];

	/* Each durian's deadline is the start of the slot that holds its
	 * place among the first 40 of the second day: those 40 places are
	 * exactly enough, and only in that order. */
	size_t n;
	struct bf_slot_fill *s2 = slots(svc, day2, day2 + DAY, &n);
	for (size_t i = 0, place = 0; i < n && place < 40; i++)
		for (int k = 0; k < s2[i].capacity && place < 40; k++)
			deadline[place++] = s2[i].start;
	free(s2);
	assert_true(deadline[39] > day2);

	/* The two rambutans must start crossing by 08:00 UTC on the first day. */
	struct load loads[42];
	for (int i = 0; i < 2; i++)
		loads[i] = (struct load){true, t0 + 5 * H, rambutan[i]};
	for (int i = 0; i < 40; i++)
		loads[2 + i] = (struct load){false, deadline[i], durian[i]};
	declare_all(svc, loads, 42);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(book(svc, rambutan[i], 0, 0, &b, &err), 0);
		assert_true(b.booking.slot_start <= t0 + 5 * H);
	}
	for (int i = 0; i < 40; i++) {
		if (book(svc, durian[i], 0, 0, &b, &err))
			fail_msg("durian %d: %s", i, err.message);
		assert_true(b.booking.slot_start <= deadline[i]);
	}

	/* Vietnam's side of Chi Ma closes for the rest of the first day. */
	struct bf_gate_change ch = {.kind = BF_CHANGE_CLOSURE, .side = 0, .from = t0, .to = day2};
	strcpy(ch.note, "landslide");
	struct bf_moved_booking *m;
	size_t n_moved;
	if (bf_service_change_gate(svc, &board, "chi-ma", &ch, &m, &n_moved, &err))
		fail_msg("closure: %s", err.message);
	int at_risk = 0;
	for (size_t i = 0; i < n_moved; i++) {
		if (!m[i].at_risk)
			continue;
		at_risk++;
		assert_true(strcmp(m[i].consignment_id, rambutan[0]) == 0 ||
		            strcmp(m[i].consignment_id, rambutan[1]) == 0);
		assert_int_equal(m[i].to, 0); /* no slot: the API answers null */
	}
	free(m);
	assert_int_equal(at_risk, 2);

	/* Every durian holds a slot after the closure and before its deadline. */
	for (int i = 0; i < 40; i++) {
		struct bf_booking mine;
		assert_int_equal(state_of(svc, durian[i]), BF_ST_BOOKED);
		assert_int_equal(events_of(svc, durian[i], "consignment.at_risk"), 0);
		assert_int_equal(bf_service_check_in(svc, &carrier, durian[i], &mine, &err), 0);
		assert_true(mine.slot_start >= day2);
		if (mine.slot_start > deadline[i])
			fail_msg("durian %d at %lld, past its deadline %lld", i, (long long)mine.slot_start,
			         (long long)deadline[i]);
	}
	/* The rambutans, which no slot could serve in time, are released:
	 * validated again, holding no place, and told so. */
	for (int i = 0; i < 2; i++) {
		struct bf_booking mine;
		assert_int_equal(state_of(svc, rambutan[i]), BF_ST_VALIDATED);
		assert_int_equal(events_of(svc, rambutan[i], "booking.released"), 1);
		assert_int_equal(events_of(svc, rambutan[i], "consignment.at_risk"), 1);
		assert_int_equal(bf_service_check_in(svc, &carrier, rambutan[i], &mine, &err), BF_ECONFLICT);
	}
	free(slots(svc, day2, day2 + DAY, &n)); /* and no slot is over its capacity */
	/* The yard is in slot order. */
	struct bf_queue_entry *q;
	assert_int_equal(bf_service_queue(svc, "chi-ma", &q, &n, &err), 0);
	assert_int_equal(n, 40);
	for (size_t i = 1; i < n; i++)
		assert_true(q[i - 1].booking.slot_start <= q[i].booking.slot_start);
	free(q);
	bf_service_close(svc);
}

static void test_bookings_stay_before_the_deadline(void **state)
{
	(void)state;
	struct bf_service *svc = open_node("rebook-deadline");
	struct bf_error err = {0};
	struct bf_book_result b;
	char late[BF_CONSIGNMENT_ID_MAX + 1], soon[BF_CONSIGNMENT_ID_MAX + 1], full[BF_CONSIGNMENT_ID_MAX + 1],
	    spare[BF_CONSIGNMENT_ID_MAX + 1];
	bf_time deadline = at("2026-12-02T02:00:00Z");

	/* The loads, declared first: one past its deadline, one due at 02:00
	 * UTC on the second day, as many as fill the places from 01:00 to
	 * 02:00 beside it (due a day later), one more due at 02:00 and one due
	 * three hours later. */
	size_t n;
	struct bf_slot_fill *v = slots(svc, deadline - H, deadline + 1, &n);
	size_t fill = 0;
	for (size_t i = 0; i < n; i++)
		fill += (size_t)(v[i].capacity - v[i].booked);
	free(v);
	assert_true(fill >= 2);
	fill--; /* the place "soon" takes */
	char(*filler)[BF_CONSIGNMENT_ID_MAX + 1] = calloc(fill, sizeof(*filler));
	struct load *loads = calloc(fill + 4, sizeof(*loads));
	loads[0] = (struct load){true, t0 - 2 * H, late};
	loads[1] = (struct load){false, deadline, soon};
	loads[2] = (struct load){false, deadline, full};
	loads[3] = (struct load){false, deadline + 3 * H, spare};
	for (size_t i = 0; i < fill; i++)
		loads[4 + i] = (struct load){false, deadline + DAY, filler[i]};
	declare_all(svc, loads, fill + 4);
	free(loads);

	/* Past its deadline (01:00 UTC today): refused, naming the deadline and
	 * the last slot it could have used. */
	assert_int_equal(book(svc, late, 0, 0, &b, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "deadline");
	assert_non_null(strstr(err.message, "2026-12-01T01:00:00Z"));
	assert_non_null(strstr(err.message, "the last slot it could use started at 2026-12-01T01:00:00Z at chi-ma"));
	assert_int_equal(state_of(svc, late), BF_ST_VALIDATED);
	assert_int_equal(events_of(svc, late, "consignment.booked"), 0);

	/* A span that begins after the deadline: refused, naming the last slot. */
	assert_int_equal(book(svc, soon, deadline + DAY, 0, &b, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "earliest");
	assert_non_null(strstr(err.message, "2026-12-02T02:00:00Z"));
	assert_non_null(strstr(err.message, "the last slot it can use starts at 2026-12-02T02:00:00Z at chi-ma"));

	/* A span that reaches past it ends there: the slot is in time. */
	assert_int_equal(book(svc, soon, deadline - H, deadline + 5 * DAY, &b, &err), 0);
	assert_int_equal(b.booking.slot_start, deadline - H);
	assert_int_equal(b.booking.deadline, deadline);

	/* Fill the slots from 01:00 to 02:00 UTC of the second day. */
	v = slots(svc, deadline - H, deadline + 1, &n);
	size_t used = 0;
	for (size_t i = 0; i < n; i++)
		for (int k = v[i].booked; k < v[i].capacity; k++) {
			assert_true(used < fill);
			assert_int_equal(book(svc, filler[used++], v[i].start, v[i].start, &b, &err), 0);
		}
	free(v);
	assert_int_equal(used, fill);
	free(filler);
	/* A change of booking stays before the deadline too: asked for the
	 * next day, it is refused and keeps its slot. */
	assert_int_equal(book(svc, soon, deadline + H, deadline + DAY, &b, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "earliest");
	/* Full up to the deadline: every alternative offered starts by it. */
	assert_int_equal(book(svc, full, deadline - H, deadline - H, &b, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "slot");
	assert_non_null(strstr(err.message, "2026-12-02T02:00:00Z"));
	assert_int_equal(b.n_alternatives, 0); /* none is left by 02:00 */
	assert_int_equal(book(svc, spare, deadline - H, deadline - H, &b, &err), BF_ECONFLICT);
	assert_true(b.n_alternatives >= 1);
	for (int i = 0; i < b.n_alternatives; i++) {
		assert_true(b.alternatives[i].slot_start > deadline - H);
		assert_true(b.alternatives[i].slot_start <= deadline + 3 * H);
	}
	bf_service_close(svc);
}

static void test_missed_slot_with_no_time_left_is_released(void **state)
{
	(void)state;
	struct bf_service *svc = open_node("rebook-missed");
	struct bf_error err = {0};
	struct bf_book_result b;
	struct bf_booking mine, *called;
	char id[BF_CONSIGNMENT_ID_MAX + 1], other[BF_CONSIGNMENT_ID_MAX + 1];
	size_t n;
	int missed;

	/* Booked for 03:00 UTC, which is also its deadline. */
	declare_all(svc, (struct load[]){{true, t0, id}, {true, t0 + DAY, other}}, 2);
	assert_int_equal(book(svc, id, 0, 0, &b, &err), 0);
	assert_int_equal(b.booking.slot_start, t0);
	/* Another, with a day to spare, misses its slot too. */
	assert_int_equal(book(svc, other, 0, 0, &b, &err), 0);

	/* Two hours later, past the grace of 30 minutes: checking in is
	 * refused and writes nothing, for no slot is left in time. */
	now = t0 + 2 * H;
	long events = tu_db_scalar(db, "SELECT count(*) FROM event");
	assert_int_equal(bf_service_check_in(svc, &carrier, id, &mine, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "slot");
	assert_non_null(strstr(err.message, "2026-12-01T03:00:00Z"));
	assert_int_equal(tu_db_scalar(db, "SELECT count(*) FROM event"), events);
	assert_int_equal(state_of(svc, id), BF_ST_BOOKED);

	/* The operator's next call moves the one with time left and releases
	 * the other, at risk. */
	assert_int_equal(bf_service_call(svc, &board, "chi-ma", 1, NULL, &called, &n, &missed, NULL, &err), 0);
	free(called);
	assert_int_equal(missed, 1);
	assert_int_equal(state_of(svc, id), BF_ST_VALIDATED);
	assert_int_equal(events_of(svc, id, "booking.released"), 1);
	assert_int_equal(events_of(svc, id, "consignment.at_risk"), 1);
	assert_int_equal(state_of(svc, other), BF_ST_BOOKED);
	assert_int_equal(events_of(svc, other, "booking.missed"), 1);
	assert_int_equal(events_of(svc, other, "consignment.at_risk"), 0);
	assert_int_equal(bf_service_check_in(svc, &carrier, other, &mine, &err), 0);
	assert_true(mine.slot_start >= now && mine.slot_start <= t0 + DAY);
	/* Released, it may be booked again; past its deadline, it may not. */
	assert_int_equal(book(svc, id, 0, 0, &b, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "deadline");
	bf_service_close(svc);
}

static void test_only_a_load_with_a_slot_checks_in(void **state)
{
	(void)state;
	struct bf_service *svc = open_node("rebook-check-in");
	struct bf_error err = {0};
	struct bf_book_result b;
	struct bf_booking mine;
	char id[3][BF_CONSIGNMENT_ID_MAX + 1], sql[256];
	bf_time start[3];
	declare_all(
	    svc,
	    (struct load[]){{false, t0 + 2 * DAY, id[0]}, {false, t0 + 2 * DAY, id[1]}, {false, t0 + 2 * DAY, id[2]}},
	    3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(book(svc, id[i], t0 + (2 - i) * H, 0, &b, &err), 0);
		start[i] = b.booking.slot_start;
	}
	/* A booking left with no slot by an older build: no check-in. */
	snprintf(sql, sizeof(sql), "UPDATE booking SET slot_start = 0 WHERE consignment_id = '%s'", id[1]);
	tu_db_exec(db, sql);
	assert_int_equal(bf_service_check_in(svc, &carrier, id[1], &mine, &err), BF_ECONFLICT);
	assert_string_equal(err.field, "slot");
	assert_int_equal(state_of(svc, id[1]), BF_ST_BOOKED);
	/* Checked in latest slot first, the yard is in slot order. */
	assert_int_equal(bf_service_check_in(svc, &carrier, id[0], &mine, &err), 0);
	assert_int_equal(bf_service_check_in(svc, &carrier, id[2], &mine, &err), 0);
	struct bf_queue_entry *q;
	size_t n;
	assert_int_equal(bf_service_queue(svc, "chi-ma", &q, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(q[0].booking.consignment_id, id[2]);
	assert_int_equal(q[0].booking.slot_start, start[2]);
	assert_string_equal(q[1].booking.consignment_id, id[0]);
	assert_int_equal(q[0].place, 1);
	assert_true(q[0].estimated >= start[2] && q[1].estimated >= start[0]);
	free(q);
	/* The operator's next call gives the one with no slot a real one, and
	 * no event says 1970. */
	struct bf_booking *called;
	int missed;
	assert_int_equal(bf_service_call(svc, &board, "chi-ma", 0, NULL, &called, &n, &missed, NULL, &err), 0);
	free(called);
	assert_int_equal(missed, 1);
	assert_int_equal(events_of(svc, id[1], "booking.missed"), 1);
	assert_int_equal(bf_service_check_in(svc, &carrier, id[1], &mine, &err), 0);
	assert_true(mine.slot_start >= now && mine.slot_start <= t0 + 2 * DAY);
	bf_service_close(svc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_closure_keeps_every_durian_in_time),
	    cmocka_unit_test(test_bookings_stay_before_the_deadline),
	    cmocka_unit_test(test_missed_slot_with_no_time_left_is_released),
	    cmocka_unit_test(test_only_a_load_with_a_slot_checks_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
