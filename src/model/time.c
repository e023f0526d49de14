/* Calendar arithmetic on the proleptic Gregorian calendar, without the C
 * library's time zone state (which is global and not thread-safe). */
#include "model/time.h"

#include "model/error.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t bf_time_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Era-based conversion: 400-year eras of 146097 days each. */
int64_t bf_date_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = bf_time_floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = (m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void bf_date_to_civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = bf_time_floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int bf_date_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int days_in_month(int64_t y, unsigned m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 ? 28 + leap : mdays[m - 1];
}

/* Reads exactly N decimal digits from *P. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return BF_EINVAL;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return BF_OK;
}

/* Each parser below says why it refused, in *WHY, for an error that names
 * what is wrong rather than only the shape expected. */
static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return BF_EINVAL;
}

static int parse_date_part(const char **p, int64_t *days, const char **why)
{
	int y, m, d;
	if (digits(p, 4, &y) || **p != '-')
		return fail(why, "is not a date like 2026-12-01");
	(*p)++;
	if (digits(p, 2, &m) || **p != '-')
		return fail(why, "is not a date like 2026-12-01");
	(*p)++;
	if (digits(p, 2, &d))
		return fail(why, "is not a date like 2026-12-01");
	if (y < 1900 || y > 9999)
		return fail(why, "has a year outside 1900 to 9999");
	if (m < 1 || m > 12)
		return fail(why, "has no such month (01 to 12)");
	if (d < 1 || d > days_in_month(y, (unsigned)m))
		return fail(why, "has no such day in its month");
	*days = bf_date_from_civil(y, (unsigned)m, (unsigned)d);
	return BF_OK;
}

static int parse_offset_part(const char **p, int *minutes, const char **why)
{
	int sign, h, m;
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*minutes = 0;
		return BF_OK;
	}
	if (**p == '\0')
		return fail(why, "has no zone: end it with Z or an offset like +07:00");
	if (**p != '+' && **p != '-')
		return fail(why, "has no zone where one should be: Z or an offset like +07:00");
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (digits(p, 2, &h) || **p != ':')
		return fail(why, "has an offset not like +07:00");
	(*p)++;
	if (digits(p, 2, &m) || m > 59)
		return fail(why, "has an offset not like +07:00");
	if (h * 60 + m > 14 * 60)
		return fail(why, "has an offset out of range (-14:00 to +14:00)");
	*minutes = sign * (h * 60 + m);
	return BF_OK;
}

int bf_time_read(const char *s, bf_time *out, const char **why)
{
	const char *p = s;
	int64_t days;
	int h, mi, sec = 0, off;

	if (s == NULL || *s == '\0')
		return fail(why, "is empty");
	if (parse_date_part(&p, &days, why))
		return BF_EINVAL;
	if (*p != 'T' && *p != 't')
		return fail(why, *p ? "needs a T between the date and the time" : "has no time of day and zone");
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
		return fail(why, "is not a time of day like 10:30 or 10:30:00");
	bool has_seconds = *p == ':';
	if (has_seconds) {
		p++;
		if (digits(&p, 2, &sec))
			return fail(why, "is not a time of day like 10:30 or 10:30:00");
	}
	if (h > 23 || mi > 59)
		return fail(why, "has no such time of day (00:00 to 23:59)");
	if (sec > 59)
		return fail(why,
		            sec == 60 ? "names a leap second, which is not kept" : "has no such second (00 to 59)");
	/* Fractions of a second, as JavaScript and Python write them, are
	 * accepted and dropped: instants are kept in whole seconds. RFC 3339
	 * has them after the seconds only. */
	if (*p == '.' && !has_seconds)
		return fail(why, "has a fraction of a second without its seconds");
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return fail(why, "has a decimal point with no digits after it");
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (parse_offset_part(&p, &off, why))
		return BF_EINVAL;
	if (*p != '\0')
		return fail(why, "has something after its zone");
	bf_time t = days * BF_DAY_SECONDS + h * 3600 + mi * 60 + sec - (bf_time)off * 60;
	if (t < BF_TIME_MIN || t > BF_TIME_MAX)
		return fail(why, "lies outside the instants kept (1900-01-02T00:00:00Z to 9999-12-30T23:59:59Z)");
	*out = t;
	return BF_OK;
}

int bf_time_parse(const char *s, bf_time *out)
{
	return bf_time_read(s, out, NULL);
}

int bf_date_read(const char *s, int64_t *days_out, const char **why)
{
	const char *p = s;
	int64_t days;
	if (s == NULL || *s == '\0')
		return fail(why, "is empty");
	if (parse_date_part(&p, &days, why))
		return BF_EINVAL;
	if (*p != '\0')
		return fail(why, "has something after the date");
	if (days * BF_DAY_SECONDS < BF_TIME_MIN || days * BF_DAY_SECONDS > BF_TIME_MAX)
		return fail(why, "lies outside the days kept (1900-01-02 to 9999-12-30)");
	*days_out = days;
	return BF_OK;
}

int bf_date_parse(const char *s, int64_t *days_out)
{
	return bf_date_read(s, days_out, NULL);
}

int bf_time_hhmm_parse(const char *s, int *minutes_out)
{
	const char *p = s;
	int h, m;
	if (s == NULL || digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &m) || *p != '\0')
		return BF_EINVAL;
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return BF_EINVAL;
	*minutes_out = h * 60 + m;
	return BF_OK;
}

int bf_time_utc_offset_parse(const char *s, int *minutes_out)
{
	const char *p = s;
	if (s == NULL || *s == 'Z' || *s == 'z' || parse_offset_part(&p, minutes_out, NULL) || *p != '\0')
		return BF_EINVAL;
	return BF_OK;
}

void bf_date_format(int64_t days, char buf[BF_TIME_TEXT])
{
	int64_t y;
	unsigned m, d;
	bf_date_to_civil(days, &y, &m, &d);
	snprintf(buf, BF_TIME_TEXT, "%04lld-%02u-%02u", (long long)y, m, d);
}

static void format_at(bf_time local, char buf[BF_TIME_TEXT], const char *zone)
{
	int64_t days = bf_time_floor_div(local, BF_DAY_SECONDS);
	int64_t secs = local - days * BF_DAY_SECONDS;
	int64_t y;
	unsigned m, d;
	bf_date_to_civil(days, &y, &m, &d);
	snprintf(buf, BF_TIME_TEXT, "%04lld-%02u-%02uT%02d:%02d:%02d%s", (long long)y, m, d, (int)(secs / 3600),
	         (int)(secs / 60 % 60), (int)(secs % 60), zone);
}

void bf_time_format_utc(bf_time t, char buf[BF_TIME_TEXT])
{
	format_at(t, buf, "Z");
}

void bf_time_utc_offset_format(int offset_min, char buf[8])
{
	int a = offset_min < 0 ? -offset_min : offset_min;
	snprintf(buf, 8, "%c%02d:%02d", offset_min < 0 ? '-' : '+', (a / 60) % 100, a % 60);
}

void bf_time_format_local(bf_time t, int offset_min, char buf[BF_TIME_TEXT])
{
	char zone[8];
	bf_time_utc_offset_format(offset_min, zone);
	format_at(t + (bf_time)offset_min * 60, buf, zone);
}

void bf_time_hhmm_format(int minutes, char buf[8])
{
	snprintf(buf, 8, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
}

int64_t bf_time_monotonic_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bf_time bf_time_now(void)
{
	return (bf_time)time(NULL);
}
