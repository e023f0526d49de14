/* Tests plan/capacity: road slots on the UTC grid from crossing windows, lanes
 * and their rate (places accumulated, none lost to rounding), window edges
 * inside a slot, dated closures and extensions, lane changes, rail slots from
 * a timetable, bf_capacity_slot_at and the [from, to) bounds.
 *
 * Every expected value is worked out by hand in the comments. */
#include "util/gatefix.h"
#include "util/testutil.h"

#include "model/error.h"
#include "model/gate.h"
#include "model/time.h"
#include "plan/capacity.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days since 1970-01-01, by hand: 1970..2025 is 56 years with 14 leap days
 * (1972..2024), so 2026-01-01 = 56*365 + 14 = 20454; January..November 2026
 * add 31+28+31+30+31+30+31+31+30+31+30 = 334, so 2026-12-01 = 20788.
 * 1970-01-01 was a Thursday and (20788 + 3) % 7 = 20791 % 7 = 1 (20790 =
 * 7*2970), so 2026-12-01 is a Tuesday and 2026-11-30 a Monday. */
#define MON_NOV30 20787
#define TUE_DEC01 20788
#define WED_DEC02 20789
#define THU_DEC03 20790
#define FRI_DEC04 20791
#define SAT_DEC05 20792
#define SUN_DEC06 20793
#define MON_DEC07 20794

#define VN 420 /* UTC+07:00 */
#define CN 480 /* UTC+08:00 */

#define SLOT (30 * 60) /* seconds in a 30-minute slot */

/* The UTC instant of DAY at H:M UTC. */
static bf_time z(int64_t day, int h, int m)
{
	return (bf_time)day * 86400 + h * 3600 + m * 60;
}

/* The UTC instant of local DAY at H:M in a zone OFF minutes east of UTC. */
static bf_time local(int64_t day, int h, int m, int off)
{
	return (bf_time)day * 86400 + h * 3600 + m * 60 - (bf_time)off * 60;
}

static void add_lane_change(struct bf_gate_pair *g, enum bf_direction dir, int lanes, bf_time start, bf_time end)
{
	struct bf_lane_change c = {0};
	c.start = start;
	c.end = end;
	c.direction = dir;
	c.lanes = lanes;
	bf_gate_add_lane_change(g, &c);
}

/* A road pair with no hours: side A Vietnam (+07:00), side B China
 * (+08:00); a_to_b 2 lanes of 17 vehicles an hour, b_to_a 1 lane of 5. */
static void pair_init(struct bf_gate_pair *g)
{
	gatefix_pair(g, "huu-nghi", (struct bf_lane_group){2, 17.0}, (struct bf_lane_group){1, 5.0});
}

/* VN 07:00-19:00 (+07:00) = 00:00-12:00Z and CN 08:00-20:00 (+08:00) =
 * 00:00-12:00Z every day: the crossing window is 00:00-12:00Z daily. */
static void pair_standard(struct bf_gate_pair *g)
{
	pair_init(g);
	gatefix_standard_hours(g);
}

/* The standard hours as a rail pair with two trains:
 * 0: a_to_b, Monday..Friday (bits 0..4 = 0x1f), 09:00 side-A local
 *    (+07:00) = 02:00Z, 20 wagons of which 6 for farm produce;
 * 1: b_to_a, Saturdays (bit 5), 10:00 side-A local = 03:00Z, no farm wagons. */
static void pair_rail(struct bf_gate_pair *g)
{
	pair_standard(g);
	strcpy(g->id, "dong-dang-rail");
	g->mode = BF_MODE_RAIL;
	g->n_trains = 2;
	g->trains[0] = (struct bf_train){"MR1", 0x1f, 9 * 60, 20, 6, BF_DIR_A_TO_B};
	g->trains[1] = (struct bf_train){"MR2", 1u << 5, 10 * 60, 20, 0, BF_DIR_B_TO_A};
}

static void dump(const struct bf_slot *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char a[BF_TIME_TEXT], b[BF_TIME_TEXT];
		bf_time_format_utc(v[i].start, a);
		bf_time_format_utc(v[i].end, b);
		print_error("  [%zu] %s .. %s capacity %d train %d\n", i, a, b, v[i].capacity, v[i].train);
	}
}

/* One expected slot: its start, capacity and train (end = start + 30 min). */
struct want {
	bf_time start;
	int capacity;
	int train;
};

/* Checks V against WANT exactly; frees V before failing. */
static void expect_slots(struct bf_slot *v, size_t n, const struct want *want, size_t nwant, const char *what)
{
	bool same = n == nwant;
	for (size_t i = 0; same && i < n; i++)
		same = v[i].start == want[i].start && v[i].end == want[i].start + SLOT &&
		       v[i].capacity == want[i].capacity && v[i].train == want[i].train;
	if (!same) {
		print_error("%s: got %zu slots\n", what, n);
		dump(v, n);
		print_error("%s: want %zu slots\n", what, nwant);
		for (size_t i = 0; i < nwant; i++) {
			char a[BF_TIME_TEXT];
			bf_time_format_utc(want[i].start, a);
			print_error("  [%zu] %s capacity %d train %d\n", i, a, want[i].capacity, want[i].train);
		}
	}
	free(v);
	if (!same)
		fail_msg("%s: slots differ", what);
}

/* Road slots every 30 minutes from FIRST, COUNT (at most 48) of them, the
 * capacities taken from CAPS, or all CAP when CAPS is NULL; frees V. */
static void expect_grid(struct bf_slot *v, size_t n, bf_time first, size_t count, const int *caps, int cap,
                        const char *what)
{
	struct want w[48];
	if (count > 48) {
		free(v);
		fail_msg("%s: expect_grid takes at most 48 slots", what);
	}
	for (size_t i = 0; i < count; i++)
		w[i] = (struct want){first + (bf_time)i * SLOT, caps ? caps[i] : cap, -1};
	expect_slots(v, n, w, count, what);
}

static struct bf_slot *slots(const struct bf_gate_pair *g, enum bf_direction dir, bf_time from, bf_time to, size_t *n)
{
	struct bf_slot *v = NULL;
	*n = 12345; /* bf_capacity_slots must set it */
	bf_capacity_slots(g, dir, from, to, BF_SLOT_MINUTES, &v, n);
	if (*n > 0)
		assert_non_null(v);
	return v;
}

static long total(const struct bf_slot *v, size_t n)
{
	long s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i].capacity;
	return s;
}

/* 1. One day of the standard road pair, 30-minute slots. */
static void test_road_one_day(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;
	int caps[24];

	pair_standard(&g);

	/* a_to_b: the window 00:00-12:00Z holds 12 h / 30 min = 24 slots,
	 * starting 00:00Z, 00:30Z, ... 11:30Z; each has 2 lanes x 17 / h x
	 * 0.5 h = 17 places, and 17 is whole so accumulating changes nothing. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(n, 24);
	assert_int_equal(total(v, n), 24 * 17); /* 408 = 34 / h x 12 h */
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, NULL, 17, "a_to_b one day");

	/* b_to_a: 1 lane x 5 / h x 0.5 h = 2.5 a slot. Accumulated: 2.5 -> 2
	 * handed out (2), 5.0 -> 5 (3), 7.5 -> 7 (2), 10 -> 10 (3), ...: the
	 * slots alternate 2, 3 and the 24 of them hold 12 x 5 = 60 places,
	 * not the 24 x 2 = 48 that rounding each slot down would give. */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 60);
	for (int i = 0; i < 24; i++)
		caps[i] = i % 2 == 0 ? 2 : 3;
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, caps, 0, "b_to_a one day");

	/* Two days: the same 24 slots again on 2026-12-02, the places
	 * accumulating afresh from that day's window (2 at 00:00Z again). */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(THU_DEC03, 0, 0), &n);
	assert_int_equal(n, 48);
	assert_int_equal(total(v, n), 120);
	assert_int_equal(v[24].start, z(WED_DEC02, 0, 0));
	assert_int_equal(v[24].capacity, 2);
	assert_int_equal(v[23].start, z(TUE_DEC01, 11, 30));
	free(v);

	/* A slot length under 1 minute means the default 30: the same 24. */
	bf_capacity_slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), 0, &v, &n);
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, NULL, 17, "a_to_b slot_minutes 0");

	/* Hour slots: 12 of them, 34 places a_to_b and 5 b_to_a each. */
	bf_capacity_slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), 60, &v, &n);
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].start, z(TUE_DEC01, (int)i, 0));
		assert_int_equal(v[i].end, z(TUE_DEC01, (int)i + 1, 0));
		assert_int_equal(v[i].capacity, 34);
	}
	free(v);
	bf_capacity_slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), 60, &v, &n);
	assert_int_equal(n, 12);
	assert_int_equal(total(v, n), 60);
	assert_int_equal(v[0].capacity, 5);
	assert_int_equal(v[11].capacity, 5);
	free(v);

	/* An empty range has no slots. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 5, 0), z(TUE_DEC01, 5, 0), &n);
	assert_int_equal(n, 0);
	free(v);
	/* Nor has a range outside the window (12:00Z-24:00Z). */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 12, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(n, 0);
	free(v);

	bf_gate_pair_clear(&g);
}

/* 2. The window follows both sides' zones. */
static void test_time_zones(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;
	int caps[22];

	/* CN 09:00-20:00 (+08:00) = 01:00-12:00Z; VN still 00:00-12:00Z: the
	 * window is 01:00-12:00Z, 11 h = 22 slots from 01:00Z to 11:30Z. */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60, 19 * 60);
	gatefix_every_day(&g.side[1], 9 * 60, 20 * 60);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(n, 22);
	assert_int_equal(v[0].start, z(TUE_DEC01, 1, 0));
	assert_int_equal(v[21].start, z(TUE_DEC01, 11, 30));
	expect_grid(v, n, z(TUE_DEC01, 1, 0), 22, NULL, 17, "a_to_b CN 09:00-20:00");

	/* b_to_a accumulates from 01:00Z: 2, 3, 2, 3, ..., 11 h x 5 = 55. */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 55);
	for (int i = 0; i < 22; i++)
		caps[i] = i % 2 == 0 ? 2 : 3;
	expect_grid(v, n, z(TUE_DEC01, 1, 0), 22, caps, 0, "b_to_a CN 09:00-20:00");
	bf_gate_pair_clear(&g);

	/* The same local hours with side B at +07:00: CN 09:00-20:00 is then
	 * 02:00-13:00Z, the window 02:00-12:00Z: 20 slots from 02:00Z. */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60, 19 * 60);
	gatefix_every_day(&g.side[1], 9 * 60, 20 * 60);
	g.side[1].utc_offset_min = VN;
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	expect_grid(v, n, z(TUE_DEC01, 2, 0), 20, NULL, 17, "a_to_b side B at +07:00");
	bf_gate_pair_clear(&g);
}

/* 3. A window edge inside a slot: the slot keeps its grid start and gets
 * the places of its open part. */
static void test_window_edge_inside_slot(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;
	int caps[24];

	/* VN opens 07:15 (+07:00) = 00:15Z: window 00:15-12:00Z, 11.75 h. */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60 + 15, 19 * 60);
	gatefix_every_day(&g.side[1], 8 * 60, 20 * 60);

	/* a_to_b: the 00:00Z slot is open 15 min: 34 / h x 0.25 h = 8.5,
	 * handed out 8. Then 17 a slot: cumulative 25.5 -> 25 (17), 42.5 -> 42
	 * (17), ... 8.5 + 23 x 17 = 399.5 -> 399 after the 24th slot (11:30Z).
	 * Total floor(2 x 17 x 11.75) = floor(399.5) = 399 = 8 + 23 x 17. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 399);
	caps[0] = 8;
	for (int i = 1; i < 24; i++)
		caps[i] = 17;
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, caps, 0, "a_to_b VN opens 07:15");

	/* b_to_a: 5 x 0.25 = 1.25 -> 1; then +2.5: 3.75 -> 3 (2), 6.25 -> 6
	 * (3), 8.75 -> 8 (2), ...; odd slots 2, even slots from the third 3;
	 * total floor(5 x 11.75) = floor(58.75) = 58 = 1 + 12 x 2 + 11 x 3. */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 58);
	caps[0] = 1;
	for (int i = 1; i < 24; i++)
		caps[i] = i % 2 == 1 ? 2 : 3;
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, caps, 0, "b_to_a VN opens 07:15");
	bf_gate_pair_clear(&g);

	/* The closing edge: CN closes 19:45 (+08:00) = 11:45Z, window
	 * 00:00-11:45Z. 23 whole slots of 17 (391), then the 11:30Z slot open
	 * 15 min: 391 + 8.5 = 399.5 -> 399, so it gets 8. */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60, 19 * 60);
	gatefix_every_day(&g.side[1], 8 * 60, 19 * 60 + 45);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 399);
	for (int i = 0; i < 23; i++)
		caps[i] = 17;
	caps[23] = 8;
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, caps, 0, "a_to_b CN closes 19:45");
	bf_gate_pair_clear(&g);
}

/* 4. A dated closure on one side removes the slots it covers and moves
 * none of the others off the grid. */
static void test_closure(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;
	struct want w[24];
	size_t k;

	/* VN closed 2026-12-01 10:00-12:00 (+07:00) = 03:00-05:00Z: windows
	 * 00:00-03:00Z (6 slots, 00:00Z..02:30Z) and 05:00-12:00Z (14 slots,
	 * 05:00Z..11:30Z), 17 places each a_to_b. */
	pair_standard(&g);
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 10, 0, VN), local(TUE_DEC01, 12, 0, VN), false);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	for (size_t i = 0; i < n; i++)
		if (v[i].start >= z(TUE_DEC01, 3, 0) && v[i].start < z(TUE_DEC01, 5, 0)) {
			free(v);
			fail_msg("a slot starts inside the closure 03:00-05:00Z");
		}
	k = 0;
	for (int i = 0; i < 6; i++)
		w[k++] = (struct want){z(TUE_DEC01, 0, 0) + i * SLOT, 17, -1};
	for (int i = 0; i < 14; i++)
		w[k++] = (struct want){z(TUE_DEC01, 5, 0) + i * SLOT, 17, -1};
	assert_int_equal(w[5].start, z(TUE_DEC01, 2, 30));
	assert_int_equal(w[6].start, z(TUE_DEC01, 5, 0));
	expect_slots(v, n, w, k, "a_to_b closure 03:00-05:00Z");

	/* b_to_a: places accumulate per window: 2,3,2,3,2,3 (15 = 5 x 3 h)
	 * before, then afresh from 05:00Z 2,3,... x 14 (35 = 5 x 7 h). */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 50);
	k = 0;
	for (int i = 0; i < 6; i++)
		w[k++] = (struct want){z(TUE_DEC01, 0, 0) + i * SLOT, i % 2 == 0 ? 2 : 3, -1};
	for (int i = 0; i < 14; i++)
		w[k++] = (struct want){z(TUE_DEC01, 5, 0) + i * SLOT, i % 2 == 0 ? 2 : 3, -1};
	expect_slots(v, n, w, k, "b_to_a closure 03:00-05:00Z");

	/* The next day is untouched: 24 slots of 17. */
	v = slots(&g, BF_DIR_A_TO_B, z(WED_DEC02, 0, 0), z(THU_DEC03, 0, 0), &n);
	expect_grid(v, n, z(WED_DEC02, 0, 0), 24, NULL, 17, "a_to_b the day after the closure");
	bf_gate_pair_clear(&g);

	/* Off the grid, on side B: CN closed 11:10-12:50 (+08:00) =
	 * 03:10-04:50Z. Windows 00:00-03:10Z and 04:50-12:00Z.
	 * First window: 6 whole slots (102 places), then the 03:00Z slot open
	 * 10 min: 102 + 34/6 = 107.67 -> 107, so 5. Second window: the 04:30Z
	 * slot open 10 min: 5.67 -> 5; 05:00Z: 22.67 -> 22 (17); 05:30Z:
	 * 39.67 -> 39 (17); ... 17 each up to 11:30Z (14 slots from 05:00Z).
	 * No slot at 03:30Z or 04:00Z; the others stay on the grid. */
	pair_standard(&g);
	gatefix_add_exception(&g.side[1], local(TUE_DEC01, 11, 10, CN), local(TUE_DEC01, 12, 50, CN), false);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	k = 0;
	for (int i = 0; i < 6; i++)
		w[k++] = (struct want){z(TUE_DEC01, 0, 0) + i * SLOT, 17, -1};
	w[k++] = (struct want){z(TUE_DEC01, 3, 0), 5, -1};
	w[k++] = (struct want){z(TUE_DEC01, 4, 30), 5, -1};
	for (int i = 0; i < 14; i++)
		w[k++] = (struct want){z(TUE_DEC01, 5, 0) + i * SLOT, 17, -1};
	expect_slots(v, n, w, k, "a_to_b closure 03:10-04:50Z");
	bf_gate_pair_clear(&g);
}

/* 4b. A short closure inside one slot splits the window in two, both of
 * which touch the 03:00Z slot. The header promises slots "in time order"
 * and the booking service counts places by (gate, direction, start), so
 * there must be one slot at 03:00Z, not two. */
static void test_closure_inside_one_slot(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;

	/* VN closed 10:10-10:20 (+07:00) = 03:10-03:20Z. Windows 00:00-03:10Z
	 * and 03:20-12:00Z; the 03:00Z slot is open 10 + 10 = 20 minutes. */
	pair_standard(&g);
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 10, 10, VN), local(TUE_DEC01, 10, 20, VN), false);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	size_t at_0300 = 0;
	bool ordered = true;
	for (size_t i = 0; i < n; i++) {
		if (v[i].start == z(TUE_DEC01, 3, 0))
			at_0300++;
		if (i > 0 && v[i].start <= v[i - 1].start)
			ordered = false;
	}
	if (at_0300 != 1 || !ordered || n != 24)
		dump(v, n);
	free(v);
	bf_gate_pair_clear(&g);
	/* 24 slots 00:00Z..11:30Z, each start once, strictly increasing. */
	if (at_0300 != 1)
		fail_msg("%zu slots start at 03:00Z, want 1", at_0300);
	assert_true(ordered);
	assert_int_equal(n, 24);
}

/* 5. A dated extension lengthens the window only when both sides have it. */
static void test_extension(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;
	int caps[30];

	/* VN 19:00-22:00 (+07:00) = 12:00-15:00Z and CN 20:00-23:00 (+08:00) =
	 * 12:00-15:00Z on 2026-12-01: the window is 00:00-15:00Z, 30 slots
	 * from 00:00Z to 14:30Z. */
	pair_standard(&g);
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 19, 0, VN), local(TUE_DEC01, 22, 0, VN), true);
	gatefix_add_exception(&g.side[1], local(TUE_DEC01, 20, 0, CN), local(TUE_DEC01, 23, 0, CN), true);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(n, 30);
	assert_int_equal(v[29].start, z(TUE_DEC01, 14, 30));
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 30, NULL, 17, "a_to_b extended on both sides");
	/* One window, so b_to_a keeps alternating: 15 h x 5 = 75. */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 75);
	for (int i = 0; i < 30; i++)
		caps[i] = i % 2 == 0 ? 2 : 3;
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 30, caps, 0, "b_to_a extended on both sides");
	bf_gate_pair_clear(&g);

	/* Side A alone: CN still closes 12:00Z, no extra slot. */
	pair_standard(&g);
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 19, 0, VN), local(TUE_DEC01, 22, 0, VN), true);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, NULL, 17, "a_to_b extended on side A only");
	bf_gate_pair_clear(&g);

	/* Side B alone: VN still closes 12:00Z, no extra slot. */
	pair_standard(&g);
	gatefix_add_exception(&g.side[1], local(TUE_DEC01, 20, 0, CN), local(TUE_DEC01, 23, 0, CN), true);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, NULL, 17, "a_to_b extended on side B only");
	bf_gate_pair_clear(&g);
}

/* 6. A lane change for a few hours. */
static void test_lane_change(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;
	int caps[24];
	struct want w[24];
	size_t k;

	/* a_to_b 1 lane from 04:00Z to 06:00Z: before, 8 slots x 17 = 136;
	 * then 1 x 17 x 0.5 = 8.5 a slot: 144.5 -> 144 (8), 153 (9), 161.5 ->
	 * 161 (8), 170 (9); then 17 a slot again. Total 10 h x 34 + 2 h x 17 =
	 * 374 = 20 x 17 + 8 + 9 + 8 + 9. */
	pair_standard(&g);
	add_lane_change(&g, BF_DIR_A_TO_B, 1, z(TUE_DEC01, 4, 0), z(TUE_DEC01, 6, 0));
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 374);
	for (int i = 0; i < 24; i++)
		caps[i] = 17;
	caps[8] = 8;  /* 04:00Z */
	caps[9] = 9;  /* 04:30Z */
	caps[10] = 8; /* 05:00Z */
	caps[11] = 9; /* 05:30Z */
	expect_grid(v, n, z(TUE_DEC01, 0, 0), 24, caps, 0, "a_to_b 1 lane 04:00-06:00Z");
	/* The change is a_to_b's only: b_to_a keeps its 60. */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(n, 24);
	assert_int_equal(total(v, n), 60);
	free(v);
	bf_gate_pair_clear(&g);

	/* 0 lanes from 04:00Z to 06:00Z: those 4 slots have no places and are
	 * left out: 8 slots 00:00Z..03:30Z and 12 slots 06:00Z..11:30Z, 17
	 * each (340 = 10 h x 34). */
	pair_standard(&g);
	add_lane_change(&g, BF_DIR_A_TO_B, 0, z(TUE_DEC01, 4, 0), z(TUE_DEC01, 6, 0));
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 340);
	k = 0;
	for (int i = 0; i < 8; i++)
		w[k++] = (struct want){z(TUE_DEC01, 0, 0) + i * SLOT, 17, -1};
	for (int i = 0; i < 12; i++)
		w[k++] = (struct want){z(TUE_DEC01, 6, 0) + i * SLOT, 17, -1};
	expect_slots(v, n, w, k, "a_to_b 0 lanes 04:00-06:00Z");

	/* b_to_a closed 04:00-06:00Z: before, 8 slots 2,3,... (20); the four
	 * closed slots add nothing to the running 20; from 06:00Z 2.5 a slot
	 * again: 22.5 -> 22 (2), 25 (3), ...: 12 slots 2,3,... (30). */
	add_lane_change(&g, BF_DIR_B_TO_A, 0, z(TUE_DEC01, 4, 0), z(TUE_DEC01, 6, 0));
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 0, 0), z(WED_DEC02, 0, 0), &n);
	assert_int_equal(total(v, n), 50);
	k = 0;
	for (int i = 0; i < 8; i++)
		w[k++] = (struct want){z(TUE_DEC01, 0, 0) + i * SLOT, i % 2 == 0 ? 2 : 3, -1};
	for (int i = 0; i < 12; i++)
		w[k++] = (struct want){z(TUE_DEC01, 6, 0) + i * SLOT, i % 2 == 0 ? 2 : 3, -1};
	expect_slots(v, n, w, k, "b_to_a 0 lanes 04:00-06:00Z");
	bf_gate_pair_clear(&g);
}

/* 7. Rail: one slot a train, its farm wagons the places. */
static void test_rail(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;

	/* Monday 2026-11-30 to Monday 2026-12-07: train 0 (Mon-Fri, 09:00
	 * +07:00 = 02:00Z, inside 00:00-12:00Z) runs Mon 30, Tue 1, Wed 2,
	 * Thu 3, Fri 4: 5 slots at 02:00Z, 6 places, train 0, 30 minutes. */
	pair_rail(&g);
	v = slots(&g, BF_DIR_A_TO_B, z(MON_NOV30, 0, 0), z(MON_DEC07, 0, 0), &n);
	expect_slots(v, n,
	             (const struct want[]){{z(MON_NOV30, 2, 0), 6, 0},
	                                   {z(TUE_DEC01, 2, 0), 6, 0},
	                                   {z(WED_DEC02, 2, 0), 6, 0},
	                                   {z(THU_DEC03, 2, 0), 6, 0},
	                                   {z(FRI_DEC04, 2, 0), 6, 0}},
	             5, "rail a_to_b week");

	/* Train 1 (b_to_a, Saturday 10:00 +07:00 = 03:00Z) holds no farm
	 * wagons, so no b_to_a slot all week: see test_rail_no_slot, run last.
	 * With 4 farm wagons it gives one slot, Saturday 2026-12-05 03:00Z,
	 * train 1; a_to_b is unchanged. */
	g.trains[1].farm_wagons = 4;
	v = slots(&g, BF_DIR_B_TO_A, z(MON_NOV30, 0, 0), z(MON_DEC07, 0, 0), &n);
	expect_slots(v, n, (const struct want[]){{z(SAT_DEC05, 3, 0), 4, 1}}, 1, "rail b_to_a 4 farm wagons");
	v = slots(&g, BF_DIR_A_TO_B, z(MON_NOV30, 0, 0), z(MON_DEC07, 0, 0), &n);
	assert_int_equal(n, 5);
	free(v);
	g.trains[1].farm_wagons = 0;

	/* CN closed all of Wednesday 2026-12-02 (+08:00), that is
	 * 2026-12-01 16:00Z to 2026-12-02 16:00Z: Wednesday's 02:00Z train
	 * does not run; 4 slots remain. */
	gatefix_add_exception(&g.side[1], local(WED_DEC02, 0, 0, CN), local(THU_DEC03, 0, 0, CN), false);
	v = slots(&g, BF_DIR_A_TO_B, z(MON_NOV30, 0, 0), z(MON_DEC07, 0, 0), &n);
	expect_slots(v, n,
	             (const struct want[]){{z(MON_NOV30, 2, 0), 6, 0},
	                                   {z(TUE_DEC01, 2, 0), 6, 0},
	                                   {z(THU_DEC03, 2, 0), 6, 0},
	                                   {z(FRI_DEC04, 2, 0), 6, 0}},
	             4, "rail a_to_b with CN closed on Wednesday");
	bf_gate_pair_clear(&g);
}

/* 8. bf_capacity_slot_at. */
static void test_slot_at(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot s;

	pair_rail(&g);
	/* Thursday 2026-12-03 02:00Z: train 0, 6 places, to 02:30Z. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_A_TO_B, z(THU_DEC03, 2, 0), BF_SLOT_MINUTES, &s), BF_OK);
	assert_int_equal(s.start, z(THU_DEC03, 2, 0));
	assert_int_equal(s.end, z(THU_DEC03, 2, 30));
	assert_int_equal(s.capacity, 6);
	assert_int_equal(s.train, 0);
	/* The rail BF_ENOTFOUND cases (03:00Z on a weekday, 02:00Z on a
	 * Saturday) are in test_rail_no_slot, run last. */
	bf_gate_pair_clear(&g);

	/* Road: 05:30Z is the twelfth slot of the 00:00Z window: a_to_b 17;
	 * b_to_a accumulated 12 x 2.5 = 30 minus 27 (floor 27.5) = 3, the
	 * same as in the whole day's list. 05:15Z is off the grid; 12:00Z is
	 * after the window. */
	pair_standard(&g);
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 5, 30), BF_SLOT_MINUTES, &s), BF_OK);
	assert_int_equal(s.start, z(TUE_DEC01, 5, 30));
	assert_int_equal(s.end, z(TUE_DEC01, 6, 0));
	assert_int_equal(s.capacity, 17);
	assert_int_equal(s.train, -1);
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 5, 30), BF_SLOT_MINUTES, &s), BF_OK);
	assert_int_equal(s.capacity, 3);
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 5, 0), BF_SLOT_MINUTES, &s), BF_OK);
	assert_int_equal(s.capacity, 2);
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 5, 15), BF_SLOT_MINUTES, &s),
	                 BF_ENOTFOUND);
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 12, 0), BF_SLOT_MINUTES, &s),
	                 BF_ENOTFOUND);
	bf_gate_pair_clear(&g);
}

/* 9. The slots returned are those whose start lies in [from, to). */
static void test_bounds(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v;
	size_t n;

	pair_standard(&g);
	/* [05:10Z, 06:00Z): 05:00Z starts before, 06:00Z at the open end;
	 * only 05:30Z, with 17 places (a whole slot, not the 50 min asked). */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 5, 10), z(TUE_DEC01, 6, 0), &n);
	expect_slots(v, n, (const struct want[]){{z(TUE_DEC01, 5, 30), 17, -1}}, 1, "a_to_b [05:10Z, 06:00Z)");
	/* b_to_a: places still accumulate from the window's 00:00Z start, so
	 * 05:30Z has 3 (see test_slot_at), not the 2 of a first slot. */
	v = slots(&g, BF_DIR_B_TO_A, z(TUE_DEC01, 5, 10), z(TUE_DEC01, 6, 0), &n);
	expect_slots(v, n, (const struct want[]){{z(TUE_DEC01, 5, 30), 3, -1}}, 1, "b_to_a [05:10Z, 06:00Z)");
	/* [05:00Z, 06:00Z): 05:00Z and 05:30Z. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 5, 0), z(TUE_DEC01, 6, 0), &n);
	expect_slots(v, n, (const struct want[]){{z(TUE_DEC01, 5, 0), 17, -1}, {z(TUE_DEC01, 5, 30), 17, -1}}, 2,
	             "a_to_b [05:00Z, 06:00Z)");
	/* [05:30Z, 05:30Z + 1 s): just 05:30Z. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 5, 30), z(TUE_DEC01, 5, 30) + 1, &n);
	expect_slots(v, n, (const struct want[]){{z(TUE_DEC01, 5, 30), 17, -1}}, 1, "a_to_b [05:30Z, +1 s)");
	/* [05:31Z, 06:00Z): none. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 5, 31), z(TUE_DEC01, 6, 0), &n);
	assert_int_equal(n, 0);
	free(v);
	/* Across UTC midnight: [Tue 11:00Z, Wed 01:00Z) gives Tuesday's
	 * 11:00Z and 11:30Z and Wednesday's 00:00Z and 00:30Z. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 11, 0), z(WED_DEC02, 1, 0), &n);
	expect_slots(v, n,
	             (const struct want[]){{z(TUE_DEC01, 11, 0), 17, -1},
	                                   {z(TUE_DEC01, 11, 30), 17, -1},
	                                   {z(WED_DEC02, 0, 0), 17, -1},
	                                   {z(WED_DEC02, 0, 30), 17, -1}},
	             4, "a_to_b [Tue 11:00Z, Wed 01:00Z)");
	bf_gate_pair_clear(&g);

	/* Rail: [Tue 02:00Z, Tue 02:00Z + 1 s) holds Tuesday's train; the
	 * range [Tue 02:00Z, Wed 02:00Z] holds it and Wednesday's. (An empty
	 * rail range is in test_rail_no_slot, run last.) */
	pair_rail(&g);
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 2, 0), z(TUE_DEC01, 2, 0) + 1, &n);
	expect_slots(v, n, (const struct want[]){{z(TUE_DEC01, 2, 0), 6, 0}}, 1, "rail [Tue 02:00Z, +1 s)");
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 2, 0), z(WED_DEC02, 2, 0) + 1, &n);
	expect_slots(v, n, (const struct want[]){{z(TUE_DEC01, 2, 0), 6, 0}, {z(WED_DEC02, 2, 0), 6, 0}}, 2,
	             "rail [Tue 02:00Z, Wed 02:00Z]");
	bf_gate_pair_clear(&g);
}

/* 7b/8b. Rail queries with no slot in range. They come last because
 * src/plan/capacity.c rail_slots() calls qsort(*v + before, 0, ...) with
 * *v still NULL when no train matched; passing NULL to qsort is undefined
 * even for 0 elements (C17 7.22.5p1), and the sanitizer build
 * (-fno-sanitize-recover=undefined) stops the whole program there. */
static void test_rail_no_slot(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_slot *v, s;
	size_t n;

	pair_rail(&g);
	/* Train 1 (b_to_a, Saturday 10:00 +07:00 = 03:00Z) holds no farm
	 * wagons: no b_to_a slot all week (and no lanes stand in for it). */
	v = slots(&g, BF_DIR_B_TO_A, z(MON_NOV30, 0, 0), z(MON_DEC07, 0, 0), &n);
	assert_int_equal(n, 0);
	free(v);
	/* No train at 03:00Z on a weekday, nor at 02:00Z on Saturday. */
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_A_TO_B, z(THU_DEC03, 3, 0), BF_SLOT_MINUTES, &s), BF_ENOTFOUND);
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_A_TO_B, z(SAT_DEC05, 2, 0), BF_SLOT_MINUTES, &s), BF_ENOTFOUND);
	/* Saturday's b_to_a train: no farm wagons, no slot. */
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_B_TO_A, z(SAT_DEC05, 3, 0), BF_SLOT_MINUTES, &s), BF_ENOTFOUND);
	/* A minute off the departure is not a slot's start. */
	assert_int_equal(bf_capacity_slot_at(&g, BF_DIR_A_TO_B, z(THU_DEC03, 2, 1), BF_SLOT_MINUTES, &s), BF_ENOTFOUND);
	/* [Tue 02:01Z, Wed 02:00Z): Tuesday's train has left, Wednesday's is
	 * at the open end. */
	v = slots(&g, BF_DIR_A_TO_B, z(TUE_DEC01, 2, 1), z(WED_DEC02, 2, 0), &n);
	assert_int_equal(n, 0);
	free(v);
	bf_gate_pair_clear(&g);

	/* A train departing while a side is shut gives no slot: VN opens
	 * 09:30 (+07:00) = 02:30Z, after the 02:00Z departure. */
	pair_rail(&g);
	for (int wd = 0; wd < 7; wd++)
		g.side[0].week[wd].n = 0;
	gatefix_every_day(&g.side[0], 9 * 60 + 30, 19 * 60);
	v = slots(&g, BF_DIR_A_TO_B, z(MON_NOV30, 0, 0), z(MON_DEC07, 0, 0), &n);
	assert_int_equal(n, 0);
	free(v);
	bf_gate_pair_clear(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_road_one_day),
	    cmocka_unit_test(test_time_zones),
	    cmocka_unit_test(test_window_edge_inside_slot),
	    cmocka_unit_test(test_closure),
	    cmocka_unit_test(test_closure_inside_one_slot),
	    cmocka_unit_test(test_extension),
	    cmocka_unit_test(test_lane_change),
	    cmocka_unit_test(test_rail),
	    cmocka_unit_test(test_slot_at),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_rail_no_slot), /* last: see its comment */
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
