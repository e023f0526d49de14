/* Bookings at the service layer: a vehicle that misses its slot by more
 * than the node's grace loses it to the next free slot, and the miss is
 * recorded; within the grace it keeps it. */
#include "util/testutil.h"

#include "service/service.h"
#include "service/auth.h"
#include "service/booking.h"
#include "service/declare.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static char db[2048];
static struct bf_service *svc;
static struct bf_party carrier = {.id = "carrier", .name = "carrier", .role = BF_ROLE_CARRIER, .country = "VN"};
static struct bf_party board = {.id = "board", .name = "board", .role = BF_ROLE_GATE_OPERATOR, .country = "VN"};

static int setup(void **state)
{
	(void)state;
	struct bf_service_config cfg = {.connections = 2, .grace_minutes = 30};
	struct bf_error err = {0};
	char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
	snprintf(db, sizeof(db), "%s", tu_db("booking"));
	cfg.db_url = db;
	if (bf_service_open(&cfg, &svc, &err) || bf_service_token_new(svc, &carrier, token, id, &err) ||
	    bf_service_token_new(svc, &board, token, id, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bf_service_close(svc);
	return 0;
}

/* A booked consignment at Huu Nghi; its id in ID. */
static void booked(char id[BF_CONSIGNMENT_ID_MAX + 1])
{
	struct bf_consignment c = {
	    .net_weight_kg = 15000, .packages = 10, .n_planting_areas = 1, .conveyance = BF_CONVEY_TRUCK};
	struct bf_declaration d;
	struct bf_book_result b;
	struct bf_book_request req = {.gate = "huu-nghi"};
	struct bf_error err = {0};
	strcpy(c.exporter_id, "VN-EXP-0101");
	strcpy(c.hs_code, "08109092");
	strcpy(c.planting_areas[0], "VN-BTOR-0001");
	strcpy(c.packing_house, "VN-BTPH-001");
	strcpy(c.phyto_certificate, "P-1");
	static unsigned plates; /* one vehicle a load: a plate waits in one yard */
	snprintf(c.vehicle, sizeof(c.vehicle), "12C-123.%02u", plates++ % 100);
	strcpy(c.vehicle_country, "VN");
	strcpy(c.destination, "CN");
	if (bf_service_declare(svc, &carrier, &c, &d, &err) ||
	    bf_service_book(svc, &carrier, d.consignment.id, &req, &b, &err))
		fail_msg("%s", err.message);
	strcpy(id, d.consignment.id);
}

/* Puts ID's slot MINUTES_AGO minutes in the past, straight in the database. */
static void slot_in_past(const char *id, int minutes_ago)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "UPDATE booking SET slot_start = %lld WHERE consignment_id = '%s'",
	         (long long)time(NULL) - minutes_ago * 60, id);
	tu_db_exec(db, sql);
}

static bool has_event(const char *id, const char *kind)
{
	struct bf_event *ev;
	size_t n;
	struct bf_error err = {0};
	bool found = false;
	assert_int_equal(bf_service_consignment_events(svc, &carrier, id, &ev, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		found = found || strcmp(ev[i].kind, kind) == 0;
	bf_service_events_free(ev, n);
	return found;
}

static void test_missed_slot_moves_after_the_grace(void **state)
{
	(void)state;
	char late[BF_CONSIGNMENT_ID_MAX + 1], on_time[BF_CONSIGNMENT_ID_MAX + 1];
	struct bf_booking *called, mine;
	struct bf_error err = {0};
	size_t n;
	int missed = -1;
	booked(late);
	booked(on_time);
	slot_in_past(late, 45);    /* beyond the grace of 30 minutes */
	slot_in_past(on_time, 20); /* within it */
	bf_time called_at = (bf_time)time(NULL);
	assert_int_equal(bf_service_call(svc, &board, "huu-nghi", 1, NULL, &called, &n, &missed, NULL, &err), 0);
	free(called);
	assert_int_equal(n, 0); /* nobody has checked in */
	assert_int_equal(missed, 1);
	assert_true(has_event(late, "booking.missed"));
	assert_false(has_event(on_time, "booking.missed"));

	/* The late one holds a slot from now on, and its miss is counted;
	 * the other still holds its own, and may check in. */
	assert_int_equal(bf_service_check_in(svc, &carrier, late, &mine, &err), 0);
	assert_true(mine.slot_start >= called_at);
	assert_int_equal(mine.misses, 1);
	assert_int_equal(bf_service_check_in(svc, &carrier, on_time, &mine, &err), 0);
	assert_int_equal(mine.misses, 0);
	assert_true(mine.slot_start < (bf_time)time(NULL) - 60 * 19);
}

static void test_late_check_in_waits_for_the_next_slot(void **state)
{
	(void)state;
	char late[BF_CONSIGNMENT_ID_MAX + 1];
	struct bf_booking mine;
	struct bf_error err = {0};
	booked(late);
	slot_in_past(late, 90);
	bf_time arrived = (bf_time)time(NULL);
	assert_int_equal(bf_service_check_in(svc, &carrier, late, &mine, &err), 0);
	assert_int_equal(mine.state, BF_ST_WAITING);
	assert_int_equal(mine.misses, 1);
	assert_true(mine.slot_start >= arrived);
	assert_true(has_event(late, "booking.missed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_missed_slot_moves_after_the_grace),
	                                   cmocka_unit_test(test_late_check_in_waits_for_the_next_slot)};
	return cmocka_run_group_tests(tests, setup, teardown);
}
