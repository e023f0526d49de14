/* Instants and calendar arithmetic. Every instant borderflow stores or
 * exchanges is a bf_time: whole seconds since 1970-01-01T00:00:00Z (UTC).
 * Local times exist only at the edges, as a UTC offset in minutes. */
#ifndef BF_MODEL_TIME_H
#define BF_MODEL_TIME_H

#include <stdint.h>

typedef int64_t bf_time;
/* A calendar day: days since 1970-01-01 (negative before). */
typedef int64_t bf_date;

#define BF_DAY_SECONDS 86400

/* Days since 1970-01-01 of the proleptic Gregorian date Y-M-D. */
int64_t bf_date_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of bf_date_from_civil. */
void bf_date_to_civil(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* Day of the week of DAYS: 0 = Monday ... 6 = Sunday. */
int bf_date_weekday(int64_t days);
/* Floor division for instants before the epoch too. */
int64_t bf_time_floor_div(int64_t a, int64_t b);
/* Milliseconds on the monotonic clock (CLOCK_MONOTONIC): for ages and
 * timeouts, never for instants. */
int64_t bf_time_monotonic_ms(void);
/* The instant now, on the real-time clock, in whole seconds. */
bf_time bf_time_now(void);

/* The instants kept: from 1900-01-02T00:00:00Z to 9999-12-30T23:59:59Z,
 * a day inside the years 1900 to 9999 at each end, so that an accepted
 * instant seen in any side's local time (offsets of up to 14 hours) is
 * written inside the years that are accepted back. Spans derived from an
 * instant (windows over several days) are checked against them where
 * they are asked for. */
#define BF_TIME_MIN ((bf_time)-2208902400LL)
#define BF_TIME_MAX ((bf_time)253402214399LL)

/* Parses an RFC 3339 instant, "YYYY-MM-DDTHH:MM[:SS[.frac]](Z|+HH:MM|-HH:MM)"
 * (T and Z in either case; seconds may be left out; a fraction of a
 * second is accepted and dropped). An instant without a zone is refused:
 * a bare local time is ambiguous at a border. On BF_EINVAL, *WHY (when
 * not NULL) says what is wrong, as a phrase to follow the field's name:
 * "has no zone: end it with Z or an offset like +07:00". */
int bf_time_read(const char *s, bf_time *out, const char **why);
int bf_time_parse(const char *s, bf_time *out);
/* Parses "YYYY-MM-DD" into days since the epoch, within the days kept;
 * *WHY as above. */
int bf_date_read(const char *s, int64_t *days_out, const char **why);
int bf_date_parse(const char *s, int64_t *days_out);
/* Parses "HH:MM" from 00:00 to 24:00 into minutes after midnight. */
int bf_time_hhmm_parse(const char *s, int *minutes_out);
/* Parses "+07:00" / "-03:30" into minutes east of UTC (-14:00..+14:00). */
int bf_time_utc_offset_parse(const char *s, int *minutes_out);

#define BF_TIME_TEXT 32
/* "2026-12-01T10:30:00Z" */
void bf_time_format_utc(bf_time t, char buf[BF_TIME_TEXT]);
/* "2026-12-01T17:30:00+07:00": T seen at UTC offset OFFSET_MIN. */
void bf_time_format_local(bf_time t, int offset_min, char buf[BF_TIME_TEXT]);
/* "2026-12-01" */
void bf_date_format(int64_t days, char buf[BF_TIME_TEXT]);
/* "+07:00" */
void bf_time_utc_offset_format(int offset_min, char buf[8]);
/* "07:00" (or "24:00") */
void bf_time_hhmm_format(int minutes, char buf[8]);

#endif
