/* Tests model/gate: weekly hours, dated exceptions, interval arithmetic, crossing windows, validation and copies. */
#include "util/gatefix.h"
#include "util/testutil.h"

#include "model/error.h"
#include "model/gate.h"
#include "model/time.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01, by hand: 2026-12-01 = 20788 (a Tuesday). */
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

/* The UTC instant of DAY at H:M:S UTC. */
static bf_time z(int64_t day, int h, int m, int s)
{
	return (bf_time)day * 86400 + h * 3600 + m * 60 + s;
}

/* The UTC instant of local DAY at H:M in a zone OFF minutes east of UTC. */
static bf_time local(int64_t day, int h, int m, int off)
{
	return (bf_time)day * 86400 + h * 3600 + m * 60 - (bf_time)off * 60;
}

/* A valid pair with no hours: side A Vietnam (+07:00), side B China (+08:00). */
static void pair_init(struct bf_gate_pair *g)
{
	gatefix_pair(g, "huu-nghi", (struct bf_lane_group){4, 30.0}, (struct bf_lane_group){2, 25.0});
}

/* VN 07:00-19:00 and CN 08:00-20:00 every day: both are 00:00-12:00Z. */
static void pair_standard(struct bf_gate_pair *g)
{
	pair_init(g);
	gatefix_standard_hours(g);
}

static void expect_intervals(const struct bf_intervals *got, const struct bf_interval *want, size_t n)
{
	bool same = got->n == n;
	for (size_t i = 0; same && i < n; i++)
		same = got->v[i].start == want[i].start && got->v[i].end == want[i].end;
	if (same)
		return;
	for (size_t i = 0; i < got->n; i++) {
		char a[BF_TIME_TEXT], b[BF_TIME_TEXT];
		bf_time_format_utc(got->v[i].start, a);
		bf_time_format_utc(got->v[i].end, b);
		print_error("got  [%zu] %s .. %s\n", i, a, b);
	}
	for (size_t i = 0; i < n; i++) {
		char a[BF_TIME_TEXT], b[BF_TIME_TEXT];
		bf_time_format_utc(want[i].start, a);
		bf_time_format_utc(want[i].end, b);
		print_error("want [%zu] %s .. %s\n", i, a, b);
	}
	fail_msg("intervals differ: got %zu, want %zu", got->n, n);
}

#define IV(s, e) ((struct bf_interval){(s), (e)})
#define EXPECT(got, ...)                                                                                               \
	do {                                                                                                           \
		const struct bf_interval want_[] = {__VA_ARGS__};                                                      \
		expect_intervals((got), want_, sizeof(want_) / sizeof(want_[0]));                                      \
	} while (0)

/* (1) Both sides open every day. */
static void test_both_open(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};

	pair_standard(&g);
	bf_gate_windows(&g, z(MON_NOV30, 0, 0, 0), z(MON_DEC07, 0, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 0, 0, 0), z(MON_NOV30, 12, 0, 0)), IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)),
	       IV(z(WED_DEC02, 0, 0, 0), z(WED_DEC02, 12, 0, 0)), IV(z(THU_DEC03, 0, 0, 0), z(THU_DEC03, 12, 0, 0)),
	       IV(z(FRI_DEC04, 0, 0, 0), z(FRI_DEC04, 12, 0, 0)), IV(z(SAT_DEC05, 0, 0, 0), z(SAT_DEC05, 12, 0, 0)),
	       IV(z(SUN_DEC06, 0, 0, 0), z(SUN_DEC06, 12, 0, 0)));

	/* Each side alone, in UTC. */
	bf_gate_side_open(&g.side[0], z(TUE_DEC01, 0, 0, 0), z(WED_DEC02, 0, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)));
	bf_gate_side_open(&g.side[1], z(TUE_DEC01, 0, 0, 0), z(WED_DEC02, 0, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)));

	/* A range cutting the window clips it. */
	bf_gate_windows(&g, z(TUE_DEC01, 6, 0, 0), z(TUE_DEC01, 18, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 6, 0, 0), z(TUE_DEC01, 12, 0, 0)));
	bf_gate_windows(&g, z(TUE_DEC01, 12, 0, 0), z(TUE_DEC01, 23, 0, 0), &w);
	assert_int_equal(w.n, 0);
	/* An empty or inverted range has no window, and OUT is cleared. */
	bf_gate_windows(&g, z(TUE_DEC01, 6, 0, 0), z(TUE_DEC01, 6, 0, 0), &w);
	assert_int_equal(w.n, 0);
	bf_intervals_push(&w, 1, 2);
	bf_gate_windows(&g, z(TUE_DEC01, 8, 0, 0), z(TUE_DEC01, 6, 0, 0), &w);
	assert_int_equal(w.n, 0);
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);

	/* CN 08:00-18:00 (00:00-10:00Z): the window ends when China closes. */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60, 19 * 60);
	gatefix_every_day(&g.side[1], 8 * 60, 18 * 60);
	bf_gate_windows(&g, z(MON_NOV30, 0, 0, 0), z(THU_DEC03, 0, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 0, 0, 0), z(MON_NOV30, 10, 0, 0)), IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 10, 0, 0)),
	       IV(z(WED_DEC02, 0, 0, 0), z(WED_DEC02, 10, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);

	/* VN 09:00-17:00 (02:00-10:00Z), CN 08:00-20:00: VN's hours bound it. */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 9 * 60, 17 * 60);
	gatefix_every_day(&g.side[1], 8 * 60, 20 * 60);
	bf_gate_windows(&g, z(TUE_DEC01, 0, 0, 0), z(WED_DEC02, 0, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 2, 0, 0), z(TUE_DEC01, 10, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (1b) Two windows a day on one side (lunch break). */
static void test_lunch_break(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};

	pair_init(&g);
	for (int wd = 0; wd < 7; wd++) {
		gatefix_add_hours(&g.side[0].week[wd], 13 * 60, 19 * 60); /* added out of order */
		gatefix_add_hours(&g.side[0].week[wd], 7 * 60, 11 * 60 + 30);
	}
	gatefix_every_day(&g.side[1], 8 * 60, 20 * 60);
	bf_gate_windows(&g, z(TUE_DEC01, 0, 0, 0), z(WED_DEC02, 0, 0, 0), &w);
	/* VN 07:00-11:30 = 00:00-04:30Z; 13:00-19:00 = 06:00-12:00Z. */
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 4, 30, 0)),
	       IV(z(TUE_DEC01, 6, 0, 0), z(TUE_DEC01, 12, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (2) China closed on Sundays: no window that day, the others intact. */
static void test_one_side_closed(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};

	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60, 19 * 60);
	for (int wd = 0; wd < 6; wd++) /* Monday..Saturday */
		gatefix_add_hours(&g.side[1].week[wd], 8 * 60, 20 * 60);
	bf_gate_windows(&g, z(MON_NOV30, 0, 0, 0), z(MON_DEC07, 0, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 0, 0, 0), z(MON_NOV30, 12, 0, 0)), IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)),
	       IV(z(WED_DEC02, 0, 0, 0), z(WED_DEC02, 12, 0, 0)), IV(z(THU_DEC03, 0, 0, 0), z(THU_DEC03, 12, 0, 0)),
	       IV(z(FRI_DEC04, 0, 0, 0), z(FRI_DEC04, 12, 0, 0)), IV(z(SAT_DEC05, 0, 0, 0), z(SAT_DEC05, 12, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(SUN_DEC06, 6, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(SAT_DEC05, 6, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(MON_DEC07, 6, 0, 0)));
	/* Vietnam is open on Sunday all the same. */
	bf_gate_side_open(&g.side[0], z(SUN_DEC06, 0, 0, 0), z(MON_DEC07, 0, 0, 0), &w);
	EXPECT(&w, IV(z(SUN_DEC06, 0, 0, 0), z(SUN_DEC06, 12, 0, 0)));
	bf_gate_side_open(&g.side[1], z(SUN_DEC06, 0, 0, 0), z(MON_DEC07, 0, 0, 0), &w);
	assert_int_equal(w.n, 0);

	/* Vietnam closed on Wednesdays too: five windows left. */
	g.side[0].week[2].n = 0;
	bf_gate_windows(&g, z(MON_NOV30, 0, 0, 0), z(MON_DEC07, 0, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 0, 0, 0), z(MON_NOV30, 12, 0, 0)), IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)),
	       IV(z(THU_DEC03, 0, 0, 0), z(THU_DEC03, 12, 0, 0)), IV(z(FRI_DEC04, 0, 0, 0), z(FRI_DEC04, 12, 0, 0)),
	       IV(z(SAT_DEC05, 0, 0, 0), z(SAT_DEC05, 12, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (3) A window across local midnight merges into one. */
static void test_across_local_midnight(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};

	pair_init(&g);
	gatefix_add_hours(&g.side[0].week[0], 20 * 60, 24 * 60); /* Monday 20:00-24:00 */
	gatefix_add_hours(&g.side[0].week[1], 0, 4 * 60);        /* Tuesday 00:00-04:00 */
	gatefix_every_day(&g.side[1], 0, 24 * 60);

	/* The whole Vietnamese week of Mon 2026-11-30. */
	bf_time from = local(MON_NOV30, 0, 0, VN), to = local(MON_DEC07, 0, 0, VN);
	bf_gate_windows(&g, from, to, &w);
	/* Mon 20:00+07 = Mon 13:00Z; Tue 04:00+07 = Mon 21:00Z. */
	EXPECT(&w, IV(z(MON_NOV30, 13, 0, 0), z(MON_NOV30, 21, 0, 0)));

	bf_gate_side_open(&g.side[0], from, to, &w);
	EXPECT(&w, IV(z(MON_NOV30, 13, 0, 0), z(MON_NOV30, 21, 0, 0)));
	/* China open all day every day is one interval over the whole range. */
	bf_gate_side_open(&g.side[1], from, to, &w);
	EXPECT(&w, IV(from, to));

	assert_true(bf_gate_open_at(&g, local(MON_NOV30, 23, 59, VN)));
	assert_true(bf_gate_open_at(&g, local(TUE_DEC01, 0, 0, VN)));
	assert_true(bf_gate_open_at(&g, local(TUE_DEC01, 3, 59, VN) + 59));
	assert_false(bf_gate_open_at(&g, local(TUE_DEC01, 4, 0, VN)));
	assert_false(bf_gate_open_at(&g, local(MON_NOV30, 20, 0, VN) - 1));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (3b) A window that crosses UTC midnight: VN 05:00-09:00 = 22:00Z-02:00Z. */
static void test_across_utc_midnight(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};

	pair_init(&g);
	gatefix_every_day(&g.side[0], 5 * 60, 9 * 60);
	gatefix_every_day(&g.side[1], 0, 24 * 60);
	bf_gate_windows(&g, z(MON_NOV30, 12, 0, 0), z(WED_DEC02, 12, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 22, 0, 0), z(TUE_DEC01, 2, 0, 0)),
	       IV(z(TUE_DEC01, 22, 0, 0), z(WED_DEC02, 2, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 0, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(MON_NOV30, 23, 59, 59)));
	assert_true(bf_gate_open_at(&g, z(MON_NOV30, 22, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 2, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 12, 0, 0)));

	/* A range starting at UTC midnight cuts the window there. */
	bf_gate_windows(&g, z(TUE_DEC01, 0, 0, 0), z(WED_DEC02, 0, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 2, 0, 0)), IV(z(TUE_DEC01, 22, 0, 0), z(WED_DEC02, 0, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (4) Dated closures remove exactly their span. */
static void test_closure(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};

	pair_standard(&g);
	/* 2026-12-01 10:00-12:00+07:00 = 03:00-05:00Z. */
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 10, 0, VN), local(TUE_DEC01, 12, 0, VN), false);
	bf_gate_windows(&g, z(MON_NOV30, 0, 0, 0), z(THU_DEC03, 0, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 0, 0, 0), z(MON_NOV30, 12, 0, 0)), IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 3, 0, 0)),
	       IV(z(TUE_DEC01, 5, 0, 0), z(TUE_DEC01, 12, 0, 0)), IV(z(WED_DEC02, 0, 0, 0), z(WED_DEC02, 12, 0, 0)));
	bf_gate_side_open(&g.side[0], z(TUE_DEC01, 0, 0, 0), z(WED_DEC02, 0, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 3, 0, 0)), IV(z(TUE_DEC01, 5, 0, 0), z(TUE_DEC01, 12, 0, 0)));
	/* China is not affected. */
	bf_gate_side_open(&g.side[1], z(TUE_DEC01, 0, 0, 0), z(WED_DEC02, 0, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)));
	/* Half-open on both edges of the closure. */
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 2, 59, 59)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 3, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 4, 59, 59)));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 5, 0, 0)));

	/* A second closure on the other side: CN 2026-12-02 15:00-16:00+08:00 = 07:00-08:00Z. */
	gatefix_add_exception(&g.side[1], local(WED_DEC02, 15, 0, CN), local(WED_DEC02, 16, 0, CN), false);
	bf_gate_windows(&g, z(WED_DEC02, 0, 0, 0), z(THU_DEC03, 0, 0, 0), &w);
	EXPECT(&w, IV(z(WED_DEC02, 0, 0, 0), z(WED_DEC02, 7, 0, 0)), IV(z(WED_DEC02, 8, 0, 0), z(WED_DEC02, 12, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (4b) A closure spanning whole days. */
static void test_closure_whole_days(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};

	pair_standard(&g);
	/* China closed from 2026-12-02 00:00+08:00 to 2026-12-04 00:00+08:00,
	 * i.e. 2026-12-01 16:00Z to 2026-12-03 16:00Z. */
	gatefix_add_exception(&g.side[1], local(WED_DEC02, 0, 0, CN), local(FRI_DEC04, 0, 0, CN), false);
	bf_gate_windows(&g, z(MON_NOV30, 0, 0, 0), z(SAT_DEC05, 0, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 0, 0, 0), z(MON_NOV30, 12, 0, 0)), IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)),
	       IV(z(FRI_DEC04, 0, 0, 0), z(FRI_DEC04, 12, 0, 0)));
	bf_gate_side_open(&g.side[1], z(MON_NOV30, 0, 0, 0), z(SAT_DEC05, 0, 0, 0), &w);
	EXPECT(&w, IV(z(MON_NOV30, 0, 0, 0), z(MON_NOV30, 12, 0, 0)), IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)),
	       IV(z(FRI_DEC04, 0, 0, 0), z(FRI_DEC04, 12, 0, 0)));
	/* A range entirely inside the closure has nothing. */
	bf_gate_windows(&g, z(WED_DEC02, 0, 0, 0), z(THU_DEC03, 0, 0, 0), &w);
	assert_int_equal(w.n, 0);
	/* A closure that only partly overlaps the asked range still applies. */
	bf_gate_windows(&g, z(TUE_DEC01, 6, 0, 0), z(WED_DEC02, 6, 0, 0), &w);
	EXPECT(&w, IV(z(TUE_DEC01, 6, 0, 0), z(TUE_DEC01, 12, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (5) Dated extensions add hours; a window needs both sides; closures win. */
static void test_extension(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_intervals w = {0};
	bf_time day0 = z(TUE_DEC01, 0, 0, 0), day1 = z(WED_DEC02, 0, 0, 0);

	pair_standard(&g);
	/* China extends to 22:00+08:00 (14:00Z); Vietnam still closes 19:00+07:00 (12:00Z). */
	gatefix_add_exception(&g.side[1], local(TUE_DEC01, 20, 0, CN), local(TUE_DEC01, 22, 0, CN), true);
	bf_gate_side_open(&g.side[1], day0, day1, &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 14, 0, 0)));
	bf_gate_windows(&g, day0, day1, &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 12, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 13, 0, 0)));

	/* Vietnam extends to 21:00+07:00 (14:00Z) too: the window grows. */
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 19, 0, VN), local(TUE_DEC01, 21, 0, VN), true);
	bf_gate_windows(&g, day0, day1, &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 14, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 13, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 13, 59, 59)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 14, 0, 0)));
	/* The next day is untouched. */
	bf_gate_windows(&g, day1, z(THU_DEC03, 0, 0, 0), &w);
	EXPECT(&w, IV(z(WED_DEC02, 0, 0, 0), z(WED_DEC02, 12, 0, 0)));

	/* A Vietnamese closure 20:00-21:00+07:00 (13:00-14:00Z) inside the extension wins. */
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 20, 0, VN), local(TUE_DEC01, 21, 0, VN), false);
	bf_gate_windows(&g, day0, day1, &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 13, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 13, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);

	/* A closure that starts before and ends inside an extension: VN closed
	 * 18:00-20:00+07:00 (11:00-13:00Z), extended 19:00-21:00+07:00 (12:00-14:00Z). */
	pair_standard(&g);
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 19, 0, VN), local(TUE_DEC01, 21, 0, VN), true);
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 18, 0, VN), local(TUE_DEC01, 20, 0, VN), false);
	bf_gate_side_open(&g.side[0], day0, day1, &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 11, 0, 0)),
	       IV(z(TUE_DEC01, 13, 0, 0), z(TUE_DEC01, 14, 0, 0)));
	/* An extension entirely covered by a closure adds nothing. */
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 22, 0, VN), local(TUE_DEC01, 23, 0, VN), true);
	gatefix_add_exception(&g.side[0], local(TUE_DEC01, 21, 30, VN), local(TUE_DEC01, 23, 30, VN), false);
	bf_gate_side_open(&g.side[0], day0, day1, &w);
	EXPECT(&w, IV(z(TUE_DEC01, 0, 0, 0), z(TUE_DEC01, 11, 0, 0)),
	       IV(z(TUE_DEC01, 13, 0, 0), z(TUE_DEC01, 14, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);

	/* Extensions on a day with no weekly hours: China closed on Sunday,
	 * both sides open 10:00-14:00 their time on Sunday 2026-12-06. */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60, 19 * 60);
	for (int wd = 0; wd < 6; wd++)
		gatefix_add_hours(&g.side[1].week[wd], 8 * 60, 20 * 60);
	gatefix_add_exception(&g.side[1], local(SUN_DEC06, 10, 0, CN), local(SUN_DEC06, 14, 0, CN), true);
	bf_gate_windows(&g, z(SUN_DEC06, 0, 0, 0), z(MON_DEC07, 0, 0, 0), &w);
	/* China 02:00-06:00Z; Vietnam 00:00-12:00Z. */
	EXPECT(&w, IV(z(SUN_DEC06, 2, 0, 0), z(SUN_DEC06, 6, 0, 0)));
	bf_intervals_free(&w);
	bf_gate_pair_clear(&g);
}

/* (6) Windows are half-open: open at the opening instant, closed at the closing one. */
static void test_boundaries(void **state)
{
	(void)state;
	struct bf_gate_pair g;

	pair_standard(&g);
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 0, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 0, 0, 0) - 1));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 12, 0, 0) - 1));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 12, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 6, 0, 0)));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 18, 0, 0)));
	bf_gate_pair_clear(&g);

	/* Sides with different hours: VN 07:00-19:00 (00:00-12:00Z), CN 09:00-21:00 (01:00-13:00Z). */
	pair_init(&g);
	gatefix_every_day(&g.side[0], 7 * 60, 19 * 60);
	gatefix_every_day(&g.side[1], 9 * 60, 21 * 60);
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 0, 30, 0))); /* only VN open */
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 1, 0, 0) - 1));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 1, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(TUE_DEC01, 12, 0, 0) - 1));
	assert_false(bf_gate_open_at(&g, z(TUE_DEC01, 12, 0, 0))); /* only CN open */
	bf_gate_pair_clear(&g);

	/* Before 1970: 1969-12-31 (day -1) is a Wednesday. */
	pair_standard(&g);
	assert_true(bf_gate_open_at(&g, z(-1, 0, 0, 0)));
	assert_true(bf_gate_open_at(&g, z(-1, 11, 59, 59)));
	assert_false(bf_gate_open_at(&g, z(-1, 12, 0, 0)));
	assert_false(bf_gate_open_at(&g, -1)); /* 23:59:59Z */
	bf_gate_pair_clear(&g);
}

static void test_day_hours_add(void **state)
{
	(void)state;
	struct bf_day_hours d = {0};
	struct bf_error err = {0};

	/* close <= open */
	assert_int_equal(bf_day_hours_add(&d, 600, 600, &err), BF_EINVAL);
	assert_string_equal(err.field, "close");
	assert_int_equal(bf_day_hours_add(&d, 1140, 420, &err), BF_EINVAL);
	assert_int_equal(bf_day_hours_add(&d, -1, 420, &err), BF_EINVAL);
	assert_int_equal(bf_day_hours_add(&d, 420, 1441, &err), BF_EINVAL);
	assert_int_equal(d.n, 0);

	/* The whole day is one window. */
	assert_int_equal(bf_day_hours_add(&d, 0, 1440, &err), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(bf_day_hours_add(&d, 600, 700, &err), BF_EINVAL);
	assert_string_equal(err.field, "open");
	memset(&d, 0, sizeof(d));

	/* Overlaps are refused; touching windows are not. */
	assert_int_equal(bf_day_hours_add(&d, 420, 720, &err), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_day_hours_add(&d, 600, 800, &err), BF_EINVAL);
	assert_int_equal(err.code, BF_EINVAL);
	assert_string_equal(err.field, "open");
	assert_int_equal(bf_day_hours_add(&d, 300, 421, &err), BF_EINVAL);
	assert_int_equal(bf_day_hours_add(&d, 500, 600, &err), BF_EINVAL); /* inside */
	assert_int_equal(bf_day_hours_add(&d, 300, 900, &err), BF_EINVAL); /* around */
	assert_int_equal(bf_day_hours_add(&d, 420, 720, &err), BF_EINVAL); /* the same */
	assert_int_equal(d.n, 1);
	assert_int_equal(bf_day_hours_add(&d, 720, 900, &err), 0); /* touches the end */
	assert_int_equal(bf_day_hours_add(&d, 60, 420, &err), 0);  /* touches the start */
	assert_int_equal(bf_day_hours_add(&d, 1200, 1440, &err), 0);
	assert_int_equal(d.n, 4);
	/* Kept sorted by opening. */
	assert_int_equal(d.iv[0].open, 60);
	assert_int_equal(d.iv[0].close, 420);
	assert_int_equal(d.iv[1].open, 420);
	assert_int_equal(d.iv[1].close, 720);
	assert_int_equal(d.iv[2].open, 720);
	assert_int_equal(d.iv[2].close, 900);
	assert_int_equal(d.iv[3].open, 1200);
	assert_int_equal(d.iv[3].close, 1440);

	/* A fifth window is refused even where it fits. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_day_hours_add(&d, 1000, 1100, &err), BF_ETOOBIG);
	assert_int_equal(err.code, BF_ETOOBIG);
	assert_int_equal(d.n, 4);
	assert_int_equal(d.iv[3].open, 1200);

	/* A NULL error record is allowed. */
	assert_int_equal(bf_day_hours_add(&d, 5, 1, NULL), BF_EINVAL);
}

static void test_intervals_normalize(void **state)
{
	(void)state;
	struct bf_intervals l = {0};

	bf_intervals_push(&l, 5, 5); /* empty: not kept */
	bf_intervals_push(&l, 9, 3); /* inverted: not kept */
	assert_int_equal(l.n, 0);

	bf_intervals_push(&l, 50, 60);
	bf_intervals_push(&l, 10, 20);
	bf_intervals_push(&l, 20, 30); /* touches [10,20) */
	bf_intervals_push(&l, 55, 70); /* overlaps [50,60) */
	bf_intervals_push(&l, 52, 54); /* inside */
	bf_intervals_push(&l, 40, 45);
	bf_intervals_push(&l, 100, 110);
	/* Make one empty and one inverted behind push's back. */
	bf_intervals_push(&l, 200, 210);
	bf_intervals_push(&l, 300, 310);
	l.v[l.n - 2].end = 200;
	l.v[l.n - 1].end = 250;
	bf_intervals_normalize(&l);
	EXPECT(&l, IV(10, 30), IV(40, 45), IV(50, 70), IV(100, 110));

	/* Normalizing again changes nothing. */
	bf_intervals_normalize(&l);
	EXPECT(&l, IV(10, 30), IV(40, 45), IV(50, 70), IV(100, 110));

	/* An interval bridging all of them. */
	bf_intervals_push(&l, 25, 105);
	bf_intervals_normalize(&l);
	EXPECT(&l, IV(10, 110));
	bf_intervals_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);

	/* Normalizing an empty list is fine. */
	bf_intervals_normalize(&l);
	assert_int_equal(l.n, 0);

	/* Negative instants. */
	bf_intervals_push(&l, -10, -5);
	bf_intervals_push(&l, -20, -10);
	bf_intervals_normalize(&l);
	EXPECT(&l, IV(-20, -5));
	bf_intervals_free(&l);

	/* Growing past the first allocation. */
	for (int i = 99; i >= 0; i--)
		bf_intervals_push(&l, i * 10, i * 10 + 5);
	assert_int_equal(l.n, 100);
	bf_intervals_normalize(&l);
	assert_int_equal(l.n, 100);
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.v[i].start, (bf_time)i * 10);
		assert_int_equal(l.v[i].end, (bf_time)i * 10 + 5);
	}
	bf_intervals_free(&l);
}

static void test_intervals_intersect(void **state)
{
	(void)state;
	struct bf_intervals a = {0}, b = {0}, out = {0};

	bf_intervals_push(&a, 0, 10);
	bf_intervals_push(&a, 20, 30);
	bf_intervals_push(&a, 40, 50);
	bf_intervals_push(&b, 5, 25);
	bf_intervals_push(&b, 30, 40); /* touches both ends: nothing in common */
	bf_intervals_push(&b, 45, 60);
	bf_intervals_push(&out, 1000, 2000); /* OUT is cleared first */
	bf_intervals_intersect(&a, &b, &out);
	EXPECT(&out, IV(5, 10), IV(20, 25), IV(45, 50));

	/* Symmetric. */
	bf_intervals_intersect(&b, &a, &out);
	EXPECT(&out, IV(5, 10), IV(20, 25), IV(45, 50));

	/* With an empty list. */
	struct bf_intervals none = {0};
	bf_intervals_intersect(&a, &none, &out);
	assert_int_equal(out.n, 0);
	bf_intervals_intersect(&none, &a, &out);
	assert_int_equal(out.n, 0);

	/* One interval covering several of the other, with equal ends. */
	bf_intervals_free(&b);
	bf_intervals_push(&b, 0, 50);
	bf_intervals_intersect(&a, &b, &out);
	EXPECT(&out, IV(0, 10), IV(20, 30), IV(40, 50));
	bf_intervals_intersect(&a, &a, &out);
	EXPECT(&out, IV(0, 10), IV(20, 30), IV(40, 50));

	/* Disjoint lists. */
	bf_intervals_free(&b);
	bf_intervals_push(&b, 10, 20);
	bf_intervals_push(&b, 50, 70);
	bf_intervals_intersect(&a, &b, &out);
	assert_int_equal(out.n, 0);

	bf_intervals_free(&a);
	bf_intervals_free(&b);
	bf_intervals_free(&out);
}

static void test_intervals_subtract(void **state)
{
	(void)state;
	struct bf_intervals l = {0}, b = {0};

	/* Two holes split one interval into three pieces. */
	bf_intervals_push(&l, 0, 100);
	bf_intervals_push(&b, 10, 20);
	bf_intervals_push(&b, 30, 40);
	bf_intervals_subtract(&l, &b);
	EXPECT(&l, IV(0, 10), IV(20, 30), IV(40, 100));
	bf_intervals_free(&l);
	bf_intervals_free(&b);

	/* A hole spanning the gap between two intervals trims both. */
	bf_intervals_push(&l, 0, 10);
	bf_intervals_push(&l, 20, 30);
	bf_intervals_push(&b, 5, 25);
	bf_intervals_subtract(&l, &b);
	EXPECT(&l, IV(0, 5), IV(25, 30));
	bf_intervals_free(&l);
	bf_intervals_free(&b);

	/* Holes at the edges, touching holes, a hole covering all, holes outside. */
	bf_intervals_push(&l, 0, 10);
	bf_intervals_push(&l, 20, 30);
	bf_intervals_push(&l, 40, 50);
	bf_intervals_push(&l, 60, 70);
	bf_intervals_push(&b, -5, 0);  /* touches the first: removes nothing */
	bf_intervals_push(&b, 0, 2);   /* start */
	bf_intervals_push(&b, 8, 10);  /* end */
	bf_intervals_push(&b, 30, 40); /* exactly the gap */
	bf_intervals_push(&b, 40, 50); /* the whole third */
	bf_intervals_push(&b, 65, 80); /* past the end of the last */
	bf_intervals_normalize(&b);    /* subtract wants B normalized */
	EXPECT(&b, IV(-5, 2), IV(8, 10), IV(30, 50), IV(65, 80));
	bf_intervals_subtract(&l, &b);
	EXPECT(&l, IV(2, 8), IV(20, 30), IV(60, 65));
	bf_intervals_free(&l);
	bf_intervals_free(&b);

	/* Subtracting nothing, and from nothing. */
	bf_intervals_push(&l, 0, 10);
	bf_intervals_subtract(&l, &b);
	EXPECT(&l, IV(0, 10));
	bf_intervals_free(&l);
	bf_intervals_push(&b, 0, 10);
	bf_intervals_subtract(&l, &b);
	assert_int_equal(l.n, 0);
	bf_intervals_free(&l);
	bf_intervals_free(&b);
}

static void test_validate(void **state)
{
	(void)state;
	struct bf_gate_pair good, g;
	struct bf_error err;

	pair_standard(&good);
	gatefix_add_exception(&good.side[0], local(TUE_DEC01, 10, 0, VN), local(TUE_DEC01, 12, 0, VN), false);
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_gate_pair_validate(&good, &err), 0);

	static const char *const bad_ids[] = {"Huu Nghi", "huu nghi", "Huu-Nghi", "HUU",     "-huu-nghi",
	                                      "",         "huu_nghi", "huu.nghi", "hữu-nghị"};
	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		bf_gate_pair_copy(&g, &good);
		strcpy(g.id, bad_ids[i]);
		memset(&err, 0, sizeof(err));
		if (bf_gate_pair_validate(&g, &err) != BF_EINVAL || strcmp(err.field, "id") != 0)
			fail_msg("id \"%s\" was not refused on field id (field \"%s\")", bad_ids[i], err.field);
		bf_gate_pair_clear(&g);
	}
	/* Good ids. */
	static const char *const good_ids[] = {"huu-nghi", "tan-thanh", "lao-cai-rail", "a", "x1-2"};
	for (size_t i = 0; i < sizeof(good_ids) / sizeof(good_ids[0]); i++) {
		bf_gate_pair_copy(&g, &good);
		strcpy(g.id, good_ids[i]);
		if (bf_gate_pair_validate(&g, &err) != 0)
			fail_msg("id \"%s\" was refused: %s", good_ids[i], err.message);
		bf_gate_pair_clear(&g);
	}
	/* 40 characters is the limit. */
	bf_gate_pair_copy(&g, &good);
	memset(g.id, 'a', BF_GATE_ID_MAX);
	g.id[BF_GATE_ID_MAX] = '\0';
	assert_int_equal(bf_gate_pair_validate(&g, &err), 0);
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.name_zh[0] = '\0';
	memset(&err, 0, sizeof(err));
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "names.zh");
	assert_int_equal(err.code, BF_EINVAL);
	assert_true(err.message[0] != '\0');
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.name_vi[0] = '\0';
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "names.vi");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.name_en[0] = '\0';
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "names.en");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.lat = 95;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "location.lat");
	g.lat = -90.5;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "location.lat");
	g.lat = 90;
	assert_int_equal(bf_gate_pair_validate(&g, &err), 0);
	g.lon = 181;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "location.lon");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.lanes[BF_DIR_A_TO_B].lanes = 0;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "lanes.a_to_b.lanes");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.lanes[BF_DIR_B_TO_A].lanes = 0;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "lanes.b_to_a.lanes");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.lanes[BF_DIR_A_TO_B].vehicles_per_hour = 0;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "lanes.a_to_b.vehicles_per_hour");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.designated = 0;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "designated");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	strcpy(g.side[1].country, "cn");
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "sides.b.country");
	bf_gate_pair_clear(&g);

	bf_gate_pair_copy(&g, &good);
	g.side[1].utc_offset_min = 15 * 60;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "sides.b.utc_offset");
	bf_gate_pair_clear(&g);

	/* An exception that ends before it starts. */
	bf_gate_pair_copy(&g, &good);
	g.side[0].exceptions[0].end = g.side[0].exceptions[0].start;
	assert_int_equal(bf_gate_pair_validate(&g, &err), BF_EINVAL);
	assert_string_equal(err.field, "sides.a.exceptions[0].to");
	bf_gate_pair_clear(&g);

	/* The good pair is still good. */
	assert_int_equal(bf_gate_pair_validate(&good, NULL), 0);
	bf_gate_pair_clear(&good);
}

/* gate.h promises that validation checks "hours" too: weekly hours filled in
 * without bf_day_hours_add (as a store back end reading rows does) must be
 * refused when bf_day_hours_add would have refused them. */
static void test_validate_checks_weekly_hours(void **state)
{
	(void)state;
	struct bf_gate_pair g;
	struct bf_error err;

	/* Closing before opening. */
	pair_standard(&g);
	g.side[0].week[2].iv[0].open = 19 * 60;
	g.side[0].week[2].iv[0].close = 7 * 60;
	memset(&err, 0, sizeof(err));
	if (bf_gate_pair_validate(&g, &err) == 0)
		fail_msg("a side-A Wednesday window 19:00-07:00 passed bf_gate_pair_validate");
	bf_gate_pair_clear(&g);

	/* Past 24:00. */
	pair_standard(&g);
	g.side[1].week[0].iv[0].close = 1500;
	if (bf_gate_pair_validate(&g, &err) == 0)
		fail_msg("a side-B Monday window closing at minute 1500 passed bf_gate_pair_validate");
	bf_gate_pair_clear(&g);

	/* Overlapping windows on the same day. */
	pair_standard(&g);
	g.side[0].week[4].n = 2;
	g.side[0].week[4].iv[1].open = 12 * 60;
	g.side[0].week[4].iv[1].close = 20 * 60;
	if (bf_gate_pair_validate(&g, &err) == 0)
		fail_msg("overlapping side-A Friday windows 07:00-19:00 and 12:00-20:00 passed bf_gate_pair_validate");
	bf_gate_pair_clear(&g);

	/* More windows than the array holds. */
	pair_standard(&g);
	g.side[0].week[5].n = BF_MAX_DAY_INTERVALS + 1;
	if (bf_gate_pair_validate(&g, &err) == 0)
		fail_msg("a side-A Saturday with n = %d windows passed bf_gate_pair_validate",
		         BF_MAX_DAY_INTERVALS + 1);
	bf_gate_pair_clear(&g);
}

static void test_exceptions_sorted_and_copied(void **state)
{
	(void)state;
	struct bf_gate_pair g, c;

	pair_standard(&g);
	gatefix_add_exception(&g.side[0], 3000, 4000, false);
	gatefix_add_exception(&g.side[0], 1000, 2000, true);
	gatefix_add_exception(&g.side[0], 2000, 2500, false);
	gatefix_add_exception(&g.side[1], 500, 600, true);
	assert_int_equal(g.side[0].n_exceptions, 3);
	assert_int_equal(g.side[0].exceptions[0].start, 1000);
	assert_true(g.side[0].exceptions[0].open);
	assert_int_equal(g.side[0].exceptions[1].start, 2000);
	assert_int_equal(g.side[0].exceptions[1].end, 2500);
	assert_int_equal(g.side[0].exceptions[2].start, 3000);
	assert_false(g.side[0].exceptions[2].open);
	assert_string_equal(g.side[0].exceptions[2].note, "closure");

	bf_gate_pair_copy(&c, &g);
	assert_string_equal(c.id, "huu-nghi");
	assert_string_equal(c.name_zh, "友谊关");
	assert_int_equal(c.side[0].week[3].n, 1);
	assert_int_equal(c.side[0].n_exceptions, 3);
	assert_int_equal(c.side[1].n_exceptions, 1);
	assert_ptr_not_equal(c.side[0].exceptions, g.side[0].exceptions);
	assert_ptr_not_equal(c.side[1].exceptions, g.side[1].exceptions);
	assert_int_equal(c.side[0].exceptions[1].start, 2000);
	assert_int_equal(c.side[1].exceptions[0].end, 600);

	/* Changing the copy leaves the original alone. */
	c.side[0].exceptions[0].start = 1;
	c.side[0].exceptions[0].open = false;
	strcpy(c.side[0].exceptions[0].note, "changed");
	c.side[1].exceptions[0].end = 9999;
	gatefix_add_exception(&c.side[1], 100, 200, false);
	gatefix_add_exception(&c.side[0], 5000, 6000, true);
	strcpy(c.id, "other");
	c.side[0].week[3].n = 0;
	assert_int_equal(g.side[0].n_exceptions, 3);
	assert_int_equal(g.side[1].n_exceptions, 1);
	assert_int_equal(g.side[0].exceptions[0].start, 1000);
	assert_true(g.side[0].exceptions[0].open);
	assert_string_equal(g.side[0].exceptions[0].note, "extension");
	assert_int_equal(g.side[1].exceptions[0].start, 500);
	assert_int_equal(g.side[1].exceptions[0].end, 600);
	assert_string_equal(g.id, "huu-nghi");
	assert_int_equal(g.side[0].week[3].n, 1);
	assert_int_equal(c.side[1].n_exceptions, 2);
	assert_int_equal(c.side[1].exceptions[0].start, 100);

	/* Clearing one leaves the other usable (ASan catches a shared buffer). */
	bf_gate_pair_clear(&c);
	assert_null(c.side[0].exceptions);
	assert_int_equal(c.side[0].n_exceptions, 0);
	assert_int_equal(g.side[0].exceptions[2].end, 4000);
	bf_gate_pair_clear(&g);

	/* Copying a pair with no exceptions. */
	pair_standard(&g);
	bf_gate_pair_copy(&c, &g);
	assert_null(c.side[0].exceptions);
	assert_int_equal(c.side[0].n_exceptions, 0);
	bf_gate_pair_clear(&c);
	bf_gate_pair_clear(&g);
}

static void test_local_day(void **state)
{
	(void)state;
	struct bf_gate_pair g;

	pair_standard(&g);
	/* 2026-12-01 in Vietnam is 2026-11-30 17:00Z to 2026-12-01 17:00Z. */
	struct bf_interval d = bf_gate_local_day(&g, TUE_DEC01);
	assert_int_equal(d.start, z(MON_NOV30, 17, 0, 0));
	assert_int_equal(d.end, z(TUE_DEC01, 17, 0, 0));
	d = bf_gate_local_day(&g, 0);
	assert_int_equal(d.start, -7 * 3600);
	assert_int_equal(d.end, 17 * 3600);
	d = bf_gate_local_day(&g, -1);
	assert_int_equal(d.start, -86400 - 7 * 3600);
	assert_int_equal(d.end, -7 * 3600);

	assert_int_equal(bf_gate_day_of(&g, z(MON_NOV30, 17, 0, 0)), TUE_DEC01);
	assert_int_equal(bf_gate_day_of(&g, z(MON_NOV30, 17, 0, 0) - 1), MON_NOV30);
	assert_int_equal(bf_gate_day_of(&g, z(TUE_DEC01, 0, 0, 0)), TUE_DEC01);
	assert_int_equal(bf_gate_day_of(&g, z(TUE_DEC01, 16, 59, 59)), TUE_DEC01);
	assert_int_equal(bf_gate_day_of(&g, z(TUE_DEC01, 17, 0, 0)), WED_DEC02);
	assert_int_equal(bf_gate_day_of(&g, 0), 0);
	assert_int_equal(bf_gate_day_of(&g, -1), 0); /* 06:59:59 local on 1970-01-01 */
	assert_int_equal(bf_gate_day_of(&g, -7 * 3600), 0);
	assert_int_equal(bf_gate_day_of(&g, -7 * 3600 - 1), -1);
	assert_int_equal(bf_gate_day_of(&g, -86400 - 7 * 3600), -1);
	assert_int_equal(bf_gate_day_of(&g, -86400 - 7 * 3600 - 1), -2);

	/* The day is side A's, whatever side B's zone. */
	g.side[1].utc_offset_min = -300;
	d = bf_gate_local_day(&g, TUE_DEC01);
	assert_int_equal(d.start, z(MON_NOV30, 17, 0, 0));
	/* And follows side A's zone when it changes. */
	g.side[0].utc_offset_min = -210;
	d = bf_gate_local_day(&g, TUE_DEC01);
	assert_int_equal(d.start, z(TUE_DEC01, 3, 30, 0));
	assert_int_equal(d.end, z(WED_DEC02, 3, 30, 0));
	assert_int_equal(bf_gate_day_of(&g, z(TUE_DEC01, 3, 29, 59)), MON_NOV30);
	assert_int_equal(bf_gate_day_of(&g, z(TUE_DEC01, 3, 30, 0)), TUE_DEC01);
	bf_gate_pair_clear(&g);
}

static void test_names(void **state)
{
	(void)state;
	int wd = -1;
	enum bf_mode mode;
	enum bf_commodity_class cc;

	assert_string_equal(bf_gate_weekday_name(0), "mon");
	assert_string_equal(bf_gate_weekday_name(6), "sun");
	assert_int_equal(bf_gate_weekday_parse("sun", &wd), 0);
	assert_int_equal(wd, 6);
	assert_int_equal(bf_gate_weekday_parse("Sun", &wd), BF_EINVAL);
	assert_string_equal(bf_gate_weekday_name(7), "?");
	assert_string_equal(bf_gate_weekday_name(-1), "?");
	assert_int_equal(bf_mode_parse("rail", &mode), 0);
	assert_int_equal(mode, BF_MODE_RAIL);
	assert_int_equal(bf_mode_parse("air", &mode), BF_EINVAL);
	assert_int_equal(bf_commodity_class_parse("aquatic", &cc), 0);
	assert_int_equal(cc, BF_CC_AQUATIC);
	assert_string_equal(bf_commodity_class_name(BF_CC_OTHER), "other");
	assert_string_equal(bf_direction_name(BF_DIR_B_TO_A), "b_to_a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_both_open),
	    cmocka_unit_test(test_lunch_break),
	    cmocka_unit_test(test_one_side_closed),
	    cmocka_unit_test(test_across_local_midnight),
	    cmocka_unit_test(test_across_utc_midnight),
	    cmocka_unit_test(test_closure),
	    cmocka_unit_test(test_closure_whole_days),
	    cmocka_unit_test(test_extension),
	    cmocka_unit_test(test_boundaries),
	    cmocka_unit_test(test_day_hours_add),
	    cmocka_unit_test(test_intervals_normalize),
	    cmocka_unit_test(test_intervals_intersect),
	    cmocka_unit_test(test_intervals_subtract),
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test(test_validate_checks_weekly_hours),
	    cmocka_unit_test(test_exceptions_sorted_and_copied),
	    cmocka_unit_test(test_local_day),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
