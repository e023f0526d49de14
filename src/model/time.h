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

/* Parses "YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)". An instant without a
 * zone is refused: a bare local time is ambiguous at a border. */
int bf_time_parse(const char *s, bf_time *out);
/* Parses "YYYY-MM-DD" into days since the epoch. */
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
