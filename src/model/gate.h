/* Gate pairs: one crossing point shared by two countries, each side with
 * its own weekly hours in local time and its own dated exceptions, and the
 * crossing windows in which both sides are open at once. */
#ifndef BF_MODEL_GATE_H
#define BF_MODEL_GATE_H

#include "model/error.h"
#include "model/time.h"

#include <stdbool.h>
#include <stddef.h>

enum bf_mode { BF_MODE_ROAD, BF_MODE_RAIL };
enum bf_gate_class { BF_GATE_INTERNATIONAL, BF_GATE_MAIN, BF_GATE_SECONDARY };
enum bf_direction { BF_DIR_A_TO_B, BF_DIR_B_TO_A };

/* Commodity classes, the unit a gate is designated for. */
enum bf_commodity_class {
	BF_CC_FRUIT,
	BF_CC_VEGETABLE,
	BF_CC_GRAIN,
	BF_CC_DAIRY,
	BF_CC_AQUATIC,
	BF_CC_MEAT,
	BF_CC_PROCESSED,
	BF_CC_OTHER,
	BF_CC_COUNT
};

const char *bf_mode_name(enum bf_mode m);
int bf_mode_parse(const char *s, enum bf_mode *out);
const char *bf_gate_class_name(enum bf_gate_class c);
int bf_gate_class_parse(const char *s, enum bf_gate_class *out);
const char *bf_direction_name(enum bf_direction d);
int bf_direction_parse(const char *s, enum bf_direction *out);
const char *bf_commodity_class_name(enum bf_commodity_class c);
int bf_commodity_class_parse(const char *s, enum bf_commodity_class *out);
/* "mon".."sun" for 0..6. */
const char *bf_gate_weekday_name(int weekday);
int bf_gate_weekday_parse(const char *s, int *out);

/* A half-open UTC interval [start, end). */
struct bf_interval {
	bf_time start;
	bf_time end;
};

/* A growable, sorted list of disjoint intervals. The list owns V. */
struct bf_intervals {
	struct bf_interval *v;
	size_t n, cap;
};
void bf_intervals_free(struct bf_intervals *l);
void bf_intervals_push(struct bf_intervals *l, bf_time start, bf_time end);
/* Sorts and merges overlapping or touching intervals; drops empty ones. */
void bf_intervals_normalize(struct bf_intervals *l);
/* OUT = A ∩ B; A and B normalized; OUT is cleared first. */
void bf_intervals_intersect(const struct bf_intervals *a, const struct bf_intervals *b, struct bf_intervals *out);
/* L = L − B; both normalized. */
void bf_intervals_subtract(struct bf_intervals *l, const struct bf_intervals *b);

#define BF_MAX_DAY_INTERVALS 4

/* Opening hours of one weekday in local time, minutes after midnight,
 * each interval with open < close <= 1440, sorted and disjoint. */
struct bf_day_hours {
	int n;
	struct {
		short open, close;
	} iv[BF_MAX_DAY_INTERVALS];
};

/* A dated change to one side's hours: a closure removes [start, end) from
 * its opening hours, an extension adds it. Closures win over extensions. */
struct bf_exception {
	bf_time start, end;
	bool open; /* true: extension; false: closure */
	char note[400];
};

struct bf_gate_side {
	char country[3];     /* ISO 3166-1 alpha-2 */
	char subdivision[8]; /* ISO 3166-2 */
	char province[64];
	char gate[96]; /* this side's name of the gate, in its own language */
	char tz[48];   /* IANA name, informational */
	int utc_offset_min;
	struct bf_day_hours week[7];     /* 0 = Monday */
	struct bf_exception *exceptions; /* owned; sorted by start */
	size_t n_exceptions;
};

struct bf_lane_group {
	int lanes;
	double vehicles_per_hour; /* per lane */
};

/* A cargo train in a rail pair's weekly timetable. Its departure is in
 * side A's local time; WAGONS run, FARM_WAGONS of them held for farm
 * produce: those are the places borderflow books, one wagon each. */
struct bf_train {
	char number[16];
	unsigned days; /* bit 0 = Monday ... bit 6 = Sunday */
	short departs; /* minutes after side A's local midnight */
	short wagons, farm_wagons;
	enum bf_direction direction;
};

/* A dated change of lanes in one direction: from START to END the
 * direction has LANES lanes instead of its usual number. */
struct bf_lane_change {
	bf_time start, end;
	enum bf_direction direction;
	int lanes; /* 0 closes the direction's lanes */
};

#define BF_MAX_TRAINS  32
#define BF_GATE_ID_MAX 40
#define BF_NAME_MAX    128

struct bf_gate_pair {
	char id[BF_GATE_ID_MAX + 1];
	char name_vi[BF_NAME_MAX], name_zh[BF_NAME_MAX], name_en[BF_NAME_MAX];
	enum bf_mode mode;
	enum bf_gate_class klass;
	double lat, lon;
	unsigned designated;           /* bit (1u << enum bf_commodity_class) */
	struct bf_lane_group lanes[2]; /* by enum bf_direction */
	struct bf_gate_side side[2];   /* 0 = side A, 1 = side B */
	int n_trains;                  /* rail pairs: the weekly timetable */
	struct bf_train trains[BF_MAX_TRAINS];
	struct bf_lane_change *lane_changes; /* owned; sorted by start */
	size_t n_lane_changes;
};

/* Frees what a pair owns (exceptions, lane changes) and zeroes it. */
void bf_gate_pair_clear(struct bf_gate_pair *g);
/* Deep copy; DST must be cleared or fresh. */
void bf_gate_pair_copy(struct bf_gate_pair *dst, const struct bf_gate_pair *src);
/* Appends an exception to SIDE, keeping the list sorted. */
void bf_gate_side_add_exception(struct bf_gate_side *side, const struct bf_exception *e);

void bf_gate_add_lane_change(struct bf_gate_pair *g, const struct bf_lane_change *c);
/* Lanes open in DIR at T: the usual number unless a lane change covers T
 * (the latest-starting one wins). */
int bf_gate_lanes_at(const struct bf_gate_pair *g, enum bf_direction dir, bf_time t);

/* Adds one weekly interval; refuses a malformed or overlapping one. */
int bf_day_hours_add(struct bf_day_hours *d, int open, int close, struct bf_error *err);

/* Checks everything a loader or a caller may have got wrong: id, names,
 * coordinates, lanes, hours, exceptions. FIELD names are dotted paths. */
int bf_gate_pair_validate(const struct bf_gate_pair *g, struct bf_error *err);

/* Intervals within [from, to) in which SIDE is open: weekly hours plus
 * extensions minus closures. OUT is cleared first. */
void bf_gate_side_open(const struct bf_gate_side *side, bf_time from, bf_time to, struct bf_intervals *out);
/* Crossing windows within [from, to): both sides open at once. */
void bf_gate_windows(const struct bf_gate_pair *g, bf_time from, bf_time to, struct bf_intervals *out);
bool bf_gate_open_at(const struct bf_gate_pair *g, bf_time t);
/* The UTC span of the calendar day DAYS in side A's local time: a pair's
 * "day" is side A's, so that a day's plan reads naturally at the gate. */
struct bf_interval bf_gate_local_day(const struct bf_gate_pair *g, int64_t days);
/* The calendar day (days since epoch) in side A's local time at T. */
int64_t bf_gate_day_of(const struct bf_gate_pair *g, bf_time t);

#endif
