/* Tests model/time: calendar arithmetic, weekdays, parsing and formatting of instants, dates, HH:MM and offsets. */
#include "util/testutil.h"

#include "model/error.h"
#include "model/time.h"

#include <stdbool.h>
#include <string.h>

/* 2026-12-01 is day 20788: 56 years 1970..2025 with 14 leap days (1972..2024)
 * = 20454 days to 2026-01-01, plus Jan..Nov of 2026 (334 days). */
#define D_2026_12_01       20788
/* 2026-12-01T10:30:00Z = 20788 * 86400 + 10.5 h. */
#define T_2026_12_01_1030Z ((bf_time)1796083200 + 37800)

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_len(int64_t y, unsigned m)
{
	static const unsigned len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

static void test_anchors(void **state)
{
	(void)state;
	int64_t y;
	unsigned m, d;

	assert_int_equal(bf_date_from_civil(1970, 1, 1), 0);
	assert_int_equal(bf_date_from_civil(1970, 1, 2), 1);
	assert_int_equal(bf_date_from_civil(1969, 12, 31), -1);
	/* 2000-01-01: 30 years with 7 leap days = 10957; + 31 + 29 = 11017. */
	assert_int_equal(bf_date_from_civil(2000, 1, 1), 10957);
	assert_int_equal(bf_date_from_civil(2000, 2, 29), 11016);
	assert_int_equal(bf_date_from_civil(2000, 3, 1), 11017);
	assert_int_equal(bf_date_from_civil(2026, 1, 1), 20454);
	assert_int_equal(bf_date_from_civil(2026, 12, 1), D_2026_12_01);
	/* 1900-01-01: 70 years back with 17 leap days (1904..1968). */
	assert_int_equal(bf_date_from_civil(1900, 1, 1), -25567);
	/* 2100-01-01: 2000-01-01 + 100 * 365 + 25 leap days (2000..2096). */
	assert_int_equal(bf_date_from_civil(2100, 1, 1), 47482);

	bf_date_to_civil(0, &y, &m, &d);
	assert_int_equal(y, 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	bf_date_to_civil(11017, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 3);
	assert_int_equal(d, 1);
	bf_date_to_civil(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	bf_date_to_civil(D_2026_12_01, &y, &m, &d);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 12);
	assert_int_equal(d, 1);
	bf_date_to_civil(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
}

/* Walks every day from 1900-01-01 to 2100-12-31 with an independent
 * calendar and checks both conversions and the weekday at each step. */
static void test_round_trip_1900_2100(void **state)
{
	(void)state;
	int64_t y = 1900;
	unsigned m = 1, d = 1;
	int64_t days = -25567;
	int wd = 0; /* 1900-01-01 was a Monday */
	long count = 0;

	while (y <= 2100) {
		int64_t gy;
		unsigned gm, gd;
		assert_int_equal(bf_date_from_civil(y, m, d), days);
		bf_date_to_civil(days, &gy, &gm, &gd);
		if (gy != y || gm != m || gd != d)
			fail_msg("day %lld: expected %lld-%02u-%02u, got %lld-%02u-%02u", (long long)days, (long long)y,
			         m, d, (long long)gy, gm, gd);
		assert_int_equal(bf_date_weekday(days), wd);

		days++;
		count++;
		wd = (wd + 1) % 7;
		if (++d > month_len(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	/* 201 years, 49 leap years (1904..2096 is 49; 1900 and 2100 are not). */
	assert_int_equal(count, 201 * 365 + 49);
	/* 2101-01-01 = 2100-01-01 + 365. */
	assert_int_equal(days, 47482 + 365);
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(bf_date_weekday(0), 3);            /* 1970-01-01 Thursday */
	assert_int_equal(bf_date_weekday(-1), 2);           /* 1969-12-31 Wednesday */
	assert_int_equal(bf_date_weekday(-4), 6);           /* 1969-12-28 Sunday */
	assert_int_equal(bf_date_weekday(-25567), 0);       /* 1900-01-01 Monday */
	assert_int_equal(bf_date_weekday(11017), 2);        /* 2000-03-01 Wednesday */
	assert_int_equal(bf_date_weekday(D_2026_12_01), 1); /* 2026-12-01 Tuesday */
	assert_int_equal(bf_date_weekday(D_2026_12_01 + 5), 6);
	assert_int_equal(bf_date_weekday(D_2026_12_01 + 6), 0);
}

static void test_floor_div(void **state)
{
	(void)state;
	assert_int_equal(bf_time_floor_div(7, 2), 3);
	assert_int_equal(bf_time_floor_div(-7, 2), -4);
	assert_int_equal(bf_time_floor_div(7, -2), -4);
	assert_int_equal(bf_time_floor_div(-8, 2), -4);
	assert_int_equal(bf_time_floor_div(0, 86400), 0);
	assert_int_equal(bf_time_floor_div(-1, 86400), -1);
	assert_int_equal(bf_time_floor_div(-86400, 86400), -1);
	assert_int_equal(bf_time_floor_div(-86401, 86400), -2);
	assert_int_equal(bf_time_floor_div(86399, 86400), 0);
}

static void test_time_parse_accepts(void **state)
{
	(void)state;
	bf_time t;

	t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T10:30:00Z", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T10:30Z", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T17:30+07:00", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T18:30:00+08:00", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T07:00-03:30", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	/* The offset moves the date: 03:30 at +07:00 is the day before in UTC. */
	t = 0;
	assert_int_equal(bf_time_parse("2026-12-02T03:30+07:00", &t), 0);
	assert_int_equal(t, (bf_time)D_2026_12_01 * 86400 + 20 * 3600 + 30 * 60);
	t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T23:59:59Z", &t), 0);
	assert_int_equal(t, (bf_time)D_2026_12_01 * 86400 + 86399);
	t = 1;
	assert_int_equal(bf_time_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	t = 0;
	assert_int_equal(bf_time_parse("1970-01-01T06:59:59+07:00", &t), 0);
	assert_int_equal(t, -1);
	t = 0;
	/* 1969-07-20: 1969-01-01 is -365, + 181 days to Jul 1, + 19 = -165. */
	assert_int_equal(bf_time_parse("1969-07-20T20:17:40Z", &t), 0);
	assert_int_equal(t, (bf_time)-165 * 86400 + 20 * 3600 + 17 * 60 + 40);
	t = 0;
	/* Leap day 2024-02-29: 2024-01-01 is 19723, + 31 + 28. */
	assert_int_equal(bf_time_parse("2024-02-29T00:00Z", &t), 0);
	assert_int_equal(t, (bf_time)(19723 + 59) * 86400);
	t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T10:30+14:00", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z - 14 * 3600);
}

static void test_time_parse_refuses(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "2026-12-01T10:30:00",  /* no zone */
	    "2026-12-01T10:30",     /* no zone */
	    "2026-12-01T25:00Z",    /* hour */
	    "2026-12-01T24:00Z",    /* hour */
	    "2026-12-01T10:60Z",    /* minute */
	    "2026-12-01T10:30:60Z", /* second */
	    "2026-02-29T10:00Z",    /* 2026 is not a leap year */
	    "2024-02-30T10:00Z",    /* February never has 30 days */
	    "2026-13-01T10:00Z",    /* month */
	    "2026-00-01T10:00Z",    /* month */
	    "2026-11-31T10:00Z",    /* November has 30 days */
	    "2026-12-00T10:00Z",    /* day */
	    "garbage",
	    "",
	    "2026-12-01",                /* a date is not an instant */
	    "2026-12-01 10:30Z",         /* space instead of T */
	    "2026-12-01T10:30:00Zjunk",  /* trailing text */
	    "2026-12-01T10:30:00Z ",     /* trailing space */
	    "2026-12-01T10:30+07:00:00", /* trailing text */
	    "2026-12-01T10:30+15:00",    /* offset beyond +14:00 */
	    "2026-12-01T10:30-15:00",    /* offset beyond -14:00 */
	    "2026-12-01T10:30+14:30",    /* offset beyond +14:00 */
	    "2026-12-01T10:30+07:60",    /* offset minutes */
	    "2026-12-01T10:30+0700",     /* offset without colon */
	    "2026-12-01T10:30+7:00",     /* offset with one digit */
	    "2026-12-1T10:30Z",          /* one-digit day */
	    "26-12-01T10:30Z",           /* two-digit year */
	    "2026-12-01T9:30Z",          /* one-digit hour */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bf_time t = 12345;
		if (bf_time_parse(bad[i], &t) != BF_EINVAL)
			fail_msg("bf_time_parse accepted \"%s\"", bad[i]);
	}
	bf_time t = 0;
	assert_int_equal(bf_time_parse(NULL, &t), BF_EINVAL);
}

/* RFC 3339 as JavaScript and Python write it: fractions of a second are
 * accepted (and dropped), T and Z in either case. */
static void test_time_parse_rfc3339(void **state)
{
	(void)state;
	bf_time t = 0;
	assert_int_equal(bf_time_parse("2026-12-01T10:30:00.000Z", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	assert_int_equal(bf_time_parse("2026-12-01T17:30:00.999999+07:00", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	assert_int_equal(bf_time_parse("2026-12-01t10:30:00.5z", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	assert_int_equal(bf_time_parse("2026-12-01T10:30:00.123456789Z", &t), 0);
	assert_int_equal(t, T_2026_12_01_1030Z);
	/* The last and first instants kept, and one past each. */
	assert_int_equal(bf_time_parse("9999-12-30T23:59:59Z", &t), 0);
	assert_int_equal(t, BF_TIME_MAX);
	assert_int_equal(bf_time_parse("1900-01-02T00:00:00Z", &t), 0);
	assert_int_equal(t, BF_TIME_MIN);
	assert_int_equal(bf_time_parse("9999-12-31T00:00:00Z", &t), BF_EINVAL);
	assert_int_equal(bf_time_parse("1900-01-01T23:59:59Z", &t), BF_EINVAL);
	/* Accepted by its date, past the last instant by its offset. */
	assert_int_equal(bf_time_parse("9999-12-30T23:00:00-14:00", &t), BF_EINVAL);
}

/* A refusal says what is wrong, not only the shape expected. */
static void test_time_parse_reasons(void **state)
{
	(void)state;
	static const struct {
		const char *text, *why;
	} cases[] = {
	    {"2026-12-01T10:30:00", "has no zone: end it with Z or an offset like +07:00"},
	    {"2026-02-30T10:00Z", "has no such day in its month"},
	    {"2026-13-01T10:00Z", "has no such month (01 to 12)"},
	    {"2026-12-01T10:30+15:00", "has an offset out of range (-14:00 to +14:00)"},
	    {"2026-12-01T10:30+0700", "has an offset not like +07:00"},
	    {"2026-12-01T24:00Z", "has no such time of day (00:00 to 23:59)"},
	    {"2026-12-01T23:59:60Z", "names a leap second, which is not kept"},
	    {"2026-12-01T10:30:00.Z", "has a decimal point with no digits after it"},
	    {"2026-12-01T10:30.5Z", "has a fraction of a second without its seconds"},
	    {"2026-12-01 10:30Z", "needs a T between the date and the time"},
	    {"2026-12-01", "has no time of day and zone"},
	    {"2026-12-01T10:30:00Z junk", "has something after its zone"},
	    {"10000-01-01T00:00:00Z", "is not a date like 2026-12-01"},
	    {"1899-12-31T00:00:00Z", "has a year outside 1900 to 9999"},
	    {"9999-12-31T12:00:00Z", "lies outside the instants kept (1900-01-02T00:00:00Z to 9999-12-30T23:59:59Z)"},
	    {"", "is empty"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bf_time t = 0;
		const char *why = NULL;
		if (bf_time_read(cases[i].text, &t, &why) != BF_EINVAL)
			fail_msg("\"%s\" was accepted", cases[i].text);
		if (why == NULL || strcmp(why, cases[i].why) != 0)
			fail_msg("\"%s\": said \"%s\", not \"%s\"", cases[i].text, why ? why : "(nothing)",
			         cases[i].why);
	}
	const char *why = NULL;
	int64_t days;
	assert_int_equal(bf_date_read("2026-02-29", &days, &why), BF_EINVAL);
	assert_string_equal(why, "has no such day in its month");
	assert_int_equal(bf_date_read("2026-12-01T00:00Z", &days, &why), BF_EINVAL);
	assert_string_equal(why, "has something after the date");
}

/* Whatever instant is kept, each side's local time of it is written in
 * the years accepted back: the ends of the range under the largest
 * offsets. */
static void test_written_is_accepted(void **state)
{
	(void)state;
	static const bf_time edges[] = {BF_TIME_MIN, BF_TIME_MIN + 1, BF_TIME_MAX - 1, BF_TIME_MAX};
	static const int offsets[] = {-840, -720, 0, 420, 480, 840};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		for (size_t j = 0; j < sizeof(offsets) / sizeof(offsets[0]); j++) {
			char buf[BF_TIME_TEXT];
			bf_time back = 0;
			bf_time_format_local(edges[i], offsets[j], buf);
			if (bf_time_parse(buf, &back) != 0 || back != edges[i])
				fail_msg("\"%s\" (offset %d) did not read back as %lld", buf, offsets[j],
				         (long long)edges[i]);
		}
	}
}

static void test_date_parse(void **state)
{
	(void)state;
	int64_t days = 0;
	assert_int_equal(bf_date_parse("2026-12-01", &days), 0);
	assert_int_equal(days, D_2026_12_01);
	assert_int_equal(bf_date_parse("1970-01-01", &days), 0);
	assert_int_equal(days, 0);
	/* The days kept start a day into 1900 (model/time.h). */
	assert_int_equal(bf_date_parse("1900-01-02", &days), 0);
	assert_int_equal(days, -25566);
	assert_int_equal(bf_date_parse("1900-01-01", &days), BF_EINVAL);
	assert_int_equal(bf_date_parse("9999-12-30", &days), 0);
	assert_int_equal(bf_date_parse("9999-12-31", &days), BF_EINVAL);
	assert_int_equal(bf_date_parse("2000-02-29", &days), 0);
	assert_int_equal(days, 11016);
	assert_int_equal(bf_date_parse("2026-02-29", &days), BF_EINVAL);
	assert_int_equal(bf_date_parse("1900-02-29", &days), BF_EINVAL); /* 1900 not leap */
	assert_int_equal(bf_date_parse("2026-12-01T00:00Z", &days), BF_EINVAL);
	assert_int_equal(bf_date_parse("2026-12-1", &days), BF_EINVAL);
	assert_int_equal(bf_date_parse("", &days), BF_EINVAL);
	assert_int_equal(bf_date_parse(NULL, &days), BF_EINVAL);
}

static void test_hhmm_parse(void **state)
{
	(void)state;
	int m = -1;
	assert_int_equal(bf_time_hhmm_parse("00:00", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(bf_time_hhmm_parse("24:00", &m), 0);
	assert_int_equal(m, 1440);
	assert_int_equal(bf_time_hhmm_parse("07:00", &m), 0);
	assert_int_equal(m, 420);
	assert_int_equal(bf_time_hhmm_parse("19:30", &m), 0);
	assert_int_equal(m, 1170);
	assert_int_equal(bf_time_hhmm_parse("23:59", &m), 0);
	assert_int_equal(m, 1439);

	static const char *const bad[] = {"24:01",  "25:00", "7:00", "07:60", "07:0",   "0700", "07:00 ",
	                                  " 07:00", "07-00", "",     "ab:cd", "07:00Z", "-1:00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = 777;
		if (bf_time_hhmm_parse(bad[i], &m) != BF_EINVAL)
			fail_msg("bf_time_hhmm_parse accepted \"%s\"", bad[i]);
	}
	assert_int_equal(bf_time_hhmm_parse(NULL, &m), BF_EINVAL);
}

static void test_utc_offset_parse(void **state)
{
	(void)state;
	int m = -1;
	assert_int_equal(bf_time_utc_offset_parse("+07:00", &m), 0);
	assert_int_equal(m, 420);
	assert_int_equal(bf_time_utc_offset_parse("+08:00", &m), 0);
	assert_int_equal(m, 480);
	assert_int_equal(bf_time_utc_offset_parse("-03:30", &m), 0);
	assert_int_equal(m, -210);
	assert_int_equal(bf_time_utc_offset_parse("+05:45", &m), 0);
	assert_int_equal(m, 345);
	assert_int_equal(bf_time_utc_offset_parse("+00:00", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(bf_time_utc_offset_parse("+14:00", &m), 0);
	assert_int_equal(m, 840);
	assert_int_equal(bf_time_utc_offset_parse("-14:00", &m), 0);
	assert_int_equal(m, -840);

	static const char *const bad[] = {"Z",     "07:00",   "+15:00", "-15:00", "+14:01", "+07:60", "+7:00",
	                                  "+0700", "+07:00 ", "+07",    "",       "UTC+7",  "+07:00Z"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = 777;
		if (bf_time_utc_offset_parse(bad[i], &m) != BF_EINVAL)
			fail_msg("bf_time_utc_offset_parse accepted \"%s\"", bad[i]);
	}
	assert_int_equal(bf_time_utc_offset_parse(NULL, &m), BF_EINVAL);
}

static void test_format(void **state)
{
	(void)state;
	char buf[BF_TIME_TEXT];
	char small[8];

	bf_time_format_utc(T_2026_12_01_1030Z, buf);
	assert_string_equal(buf, "2026-12-01T10:30:00Z");
	bf_time_format_local(T_2026_12_01_1030Z, 420, buf);
	assert_string_equal(buf, "2026-12-01T17:30:00+07:00");
	bf_time_format_local(T_2026_12_01_1030Z, 480, buf);
	assert_string_equal(buf, "2026-12-01T18:30:00+08:00");
	bf_time_format_local(T_2026_12_01_1030Z, -210, buf);
	assert_string_equal(buf, "2026-12-01T07:00:00-03:30");
	/* 20:00Z is already the next day at +08:00. */
	bf_time_format_local((bf_time)D_2026_12_01 * 86400 + 20 * 3600, 480, buf);
	assert_string_equal(buf, "2026-12-02T04:00:00+08:00");
	/* 02:00Z is still the day before at -03:30. */
	bf_time_format_local((bf_time)D_2026_12_01 * 86400 + 2 * 3600, -210, buf);
	assert_string_equal(buf, "2026-11-30T22:30:00-03:30");

	/* Before 1970. */
	bf_time_format_utc(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	bf_time_format_utc(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	bf_time_format_utc(-86400, buf);
	assert_string_equal(buf, "1969-12-31T00:00:00Z");
	bf_time_format_utc(-86401, buf);
	assert_string_equal(buf, "1969-12-30T23:59:59Z");
	bf_time_format_utc((bf_time)-165 * 86400 + 20 * 3600 + 17 * 60 + 40, buf);
	assert_string_equal(buf, "1969-07-20T20:17:40Z");
	bf_time_format_utc((bf_time)-25567 * 86400, buf);
	assert_string_equal(buf, "1900-01-01T00:00:00Z");
	bf_time_format_local(-1, 420, buf);
	assert_string_equal(buf, "1970-01-01T06:59:59+07:00");
	bf_time_format_local(3600, -210, buf);
	assert_string_equal(buf, "1969-12-31T21:30:00-03:30");
	bf_time_format_local((bf_time)-165 * 86400 + 20 * 3600 + 17 * 60 + 40, 480, buf);
	assert_string_equal(buf, "1969-07-21T04:17:40+08:00");

	bf_date_format(D_2026_12_01, buf);
	assert_string_equal(buf, "2026-12-01");
	bf_date_format(0, buf);
	assert_string_equal(buf, "1970-01-01");
	bf_date_format(-1, buf);
	assert_string_equal(buf, "1969-12-31");
	bf_date_format(-25567, buf);
	assert_string_equal(buf, "1900-01-01");
	bf_date_format(11016, buf);
	assert_string_equal(buf, "2000-02-29");

	bf_time_hhmm_format(0, small);
	assert_string_equal(small, "00:00");
	bf_time_hhmm_format(425, small);
	assert_string_equal(small, "07:05");
	bf_time_hhmm_format(1439, small);
	assert_string_equal(small, "23:59");
	bf_time_hhmm_format(1440, small);
	assert_string_equal(small, "24:00");

	bf_time_utc_offset_format(420, small);
	assert_string_equal(small, "+07:00");
	bf_time_utc_offset_format(480, small);
	assert_string_equal(small, "+08:00");
	bf_time_utc_offset_format(-210, small);
	assert_string_equal(small, "-03:30");
	bf_time_utc_offset_format(0, small);
	assert_string_equal(small, "+00:00");
	bf_time_utc_offset_format(-840, small);
	assert_string_equal(small, "-14:00");
}

/* What the formatters write, the parsers read back to the same value. */
static void test_format_parse_agree(void **state)
{
	(void)state;
	static const bf_time instants[] = {
	    0, -1, 1, 86399, -86401, T_2026_12_01_1030Z, (bf_time)-25566 * 86400, (bf_time)47846 * 86400 + 86399};
	static const int offsets[] = {0, 420, 480, -210, 345, 840, -840};
	for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++) {
		for (size_t j = 0; j < sizeof(offsets) / sizeof(offsets[0]); j++) {
			char buf[BF_TIME_TEXT];
			bf_time back = 0;
			bf_time_format_local(instants[i], offsets[j], buf);
			if (bf_time_parse(buf, &back) != 0 || back != instants[i])
				fail_msg("\"%s\" did not read back as %lld", buf, (long long)instants[i]);
		}
	}
	for (int m = 0; m <= 1440; m++) {
		char small[8];
		int back = -1;
		bf_time_hhmm_format(m, small);
		assert_int_equal(bf_time_hhmm_parse(small, &back), 0);
		assert_int_equal(back, m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_anchors),
	    cmocka_unit_test(test_round_trip_1900_2100),
	    cmocka_unit_test(test_weekday),
	    cmocka_unit_test(test_floor_div),
	    cmocka_unit_test(test_time_parse_accepts),
	    cmocka_unit_test(test_time_parse_refuses),
	    cmocka_unit_test(test_time_parse_rfc3339),
	    cmocka_unit_test(test_time_parse_reasons),
	    cmocka_unit_test(test_written_is_accepted),
	    cmocka_unit_test(test_date_parse),
	    cmocka_unit_test(test_hhmm_parse),
	    cmocka_unit_test(test_utc_offset_parse),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_format_parse_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
