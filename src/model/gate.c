/* Gate pairs: names of the enums, validation, and the interval arithmetic
 * that turns two sides' local hours into UTC crossing windows. */
#include "model/gate.h"

#include "model/country.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mode_names[] = {"road", "rail"};
static const char *const gate_class_names[] = {"international", "main", "secondary"};
static const char *const direction_names[] = {"a_to_b", "b_to_a"};
static const char *const cc_names[BF_CC_COUNT] = {"fruit",   "vegetable", "grain",     "dairy",
                                                  "aquatic", "meat",      "processed", "other"};
static const char *const weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int lookup(const char *const *names, int count, const char *s, int *out)
{
	for (int i = 0; s != NULL && i < count; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return BF_OK;
		}
	}
	return BF_EINVAL;
}

#define NAMED_ENUM(fn_name, fn_parse, type, names)                                                                     \
	const char *fn_name(type v)                                                                                    \
	{                                                                                                              \
		int n = (int)(sizeof(names) / sizeof(names[0]));                                                       \
		return (int)v >= 0 && (int)v < n ? names[v] : "?";                                                     \
	}                                                                                                              \
	int fn_parse(const char *s, type *out)                                                                         \
	{                                                                                                              \
		int i;                                                                                                 \
		if (lookup(names, (int)(sizeof(names) / sizeof(names[0])), s, &i))                                     \
			return BF_EINVAL;                                                                              \
		*out = (type)i;                                                                                        \
		return BF_OK;                                                                                          \
	}

NAMED_ENUM(bf_mode_name, bf_mode_parse, enum bf_mode, mode_names)
NAMED_ENUM(bf_gate_class_name, bf_gate_class_parse, enum bf_gate_class, gate_class_names)
NAMED_ENUM(bf_direction_name, bf_direction_parse, enum bf_direction, direction_names)
NAMED_ENUM(bf_commodity_class_name, bf_commodity_class_parse, enum bf_commodity_class, cc_names)
NAMED_ENUM(bf_gate_weekday_name, bf_gate_weekday_parse, int, weekday_names)

void bf_intervals_free(struct bf_intervals *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void bf_intervals_push(struct bf_intervals *l, bf_time start, bf_time end)
{
	if (end <= start)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = bf_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (struct bf_interval){start, end};
}

static int cmp_interval(const void *a, const void *b)
{
	const struct bf_interval *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

void bf_intervals_normalize(struct bf_intervals *l)
{
	size_t w = 0;
	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof(*l->v), cmp_interval);
	for (size_t r = 0; r < l->n; r++) {
		if (l->v[r].end <= l->v[r].start)
			continue;
		if (w > 0 && l->v[r].start <= l->v[w - 1].end) {
			if (l->v[r].end > l->v[w - 1].end)
				l->v[w - 1].end = l->v[r].end;
		} else {
			l->v[w++] = l->v[r];
		}
	}
	l->n = w;
}

void bf_intervals_intersect(const struct bf_intervals *a, const struct bf_intervals *b, struct bf_intervals *out)
{
	size_t i = 0, j = 0;
	out->n = 0;
	while (i < a->n && j < b->n) {
		bf_time s = a->v[i].start > b->v[j].start ? a->v[i].start : b->v[j].start;
		bf_time e = a->v[i].end < b->v[j].end ? a->v[i].end : b->v[j].end;
		bf_intervals_push(out, s, e);
		if (a->v[i].end < b->v[j].end)
			i++;
		else
			j++;
	}
}

void bf_intervals_subtract(struct bf_intervals *l, const struct bf_intervals *b)
{
	struct bf_intervals out = {0};
	size_t j = 0;
	for (size_t i = 0; i < l->n; i++) {
		bf_time s = l->v[i].start, e = l->v[i].end;
		while (j < b->n && b->v[j].end <= s)
			j++;
		for (size_t k = j; k < b->n && b->v[k].start < e; k++) {
			bf_intervals_push(&out, s, b->v[k].start);
			if (b->v[k].end > s)
				s = b->v[k].end;
		}
		bf_intervals_push(&out, s, e);
	}
	bf_intervals_free(l);
	*l = out;
}

void bf_gate_pair_clear(struct bf_gate_pair *g)
{
	for (int s = 0; s < 2; s++)
		free(g->side[s].exceptions);
	free(g->lane_changes);
	memset(g, 0, sizeof(*g));
}

void bf_gate_add_lane_change(struct bf_gate_pair *g, const struct bf_lane_change *c)
{
	size_t i = g->n_lane_changes;
	g->lane_changes = bf_xrealloc(g->lane_changes, (i + 1) * sizeof(*c));
	while (i > 0 && g->lane_changes[i - 1].start > c->start) {
		g->lane_changes[i] = g->lane_changes[i - 1];
		i--;
	}
	g->lane_changes[i] = *c;
	g->n_lane_changes++;
}

int bf_gate_lanes_at(const struct bf_gate_pair *g, enum bf_direction dir, bf_time t)
{
	int lanes = g->lanes[dir].lanes;
	for (size_t i = 0; i < g->n_lane_changes; i++) {
		const struct bf_lane_change *c = &g->lane_changes[i];
		if (c->direction == dir && c->start <= t && t < c->end)
			lanes = c->lanes;
	}
	return lanes;
}

void bf_gate_pair_copy(struct bf_gate_pair *dst, const struct bf_gate_pair *src)
{
	*dst = *src;
	dst->lane_changes = NULL;
	if (src->n_lane_changes > 0) {
		dst->lane_changes = bf_xmalloc(src->n_lane_changes * sizeof(*src->lane_changes));
		memcpy(dst->lane_changes, src->lane_changes, src->n_lane_changes * sizeof(*src->lane_changes));
	}
	for (int s = 0; s < 2; s++) {
		size_t n = src->side[s].n_exceptions;
		dst->side[s].exceptions = NULL;
		if (n > 0) {
			dst->side[s].exceptions = bf_xmalloc(n * sizeof(struct bf_exception));
			memcpy(dst->side[s].exceptions, src->side[s].exceptions, n * sizeof(struct bf_exception));
		}
	}
}

void bf_gate_side_add_exception(struct bf_gate_side *side, const struct bf_exception *e)
{
	size_t i = side->n_exceptions;
	side->exceptions = bf_xrealloc(side->exceptions, (i + 1) * sizeof(*e));
	while (i > 0 && side->exceptions[i - 1].start > e->start) {
		side->exceptions[i] = side->exceptions[i - 1];
		i--;
	}
	side->exceptions[i] = *e;
	side->n_exceptions++;
}

int bf_day_hours_add(struct bf_day_hours *d, int open, int close, struct bf_error *err)
{
	char a[8], b[8];
	if (open < 0 || close > 24 * 60 || close <= open) {
		bf_time_hhmm_format(open < 0 ? 0 : open, a);
		bf_time_hhmm_format(close < 0 ? 0 : close, b);
		return bf_error_set(err, BF_EINVAL, "close",
		                    "the window %s-%s ends before it starts; write a window across midnight "
		                    "as two, one ending at 24:00 and one starting at 00:00 the next day",
		                    a, b);
	}
	for (int i = 0; i < d->n; i++) {
		if (open < d->iv[i].close && d->iv[i].open < close)
			return bf_error_set(err, BF_EINVAL, "open", "the window overlaps another on the same day");
	}
	if (d->n == BF_MAX_DAY_INTERVALS)
		return bf_error_set(err, BF_ETOOBIG, "days", "at most %d windows a day", BF_MAX_DAY_INTERVALS);
	int i = d->n++;
	while (i > 0 && d->iv[i - 1].open > open) {
		d->iv[i] = d->iv[i - 1];
		i--;
	}
	d->iv[i].open = (short)open;
	d->iv[i].close = (short)close;
	return BF_OK;
}

static bool is_slug(const char *s)
{
	if (*s == '\0' || *s == '-')
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	}
	return true;
}

static int validate_side(const struct bf_gate_side *sd, const char *path, struct bf_error *err)
{
	char field[64];
	if (!bf_country_code_valid(sd->country)) {
		snprintf(field, sizeof(field), "%s.country", path);
		return bf_error_set(err, BF_EINVAL, field, "must be an ISO 3166-1 alpha-2 code such as VN");
	}
	if (sd->gate[0] == '\0') {
		snprintf(field, sizeof(field), "%s.gate", path);
		return bf_error_set(err, BF_EINVAL, field, "must name the gate on this side");
	}
	if (sd->utc_offset_min < -14 * 60 || sd->utc_offset_min > 14 * 60) {
		snprintf(field, sizeof(field), "%s.utc_offset", path);
		return bf_error_set(err, BF_EINVAL, field, "must lie between -14:00 and +14:00");
	}
	/* Hours may come from a database rather than bf_day_hours_add(), so
	 * they are checked here too: counted, in range, sorted, disjoint. */
	for (int wd = 0; wd < 7; wd++) {
		const struct bf_day_hours *dh = &sd->week[wd];
		if (dh->n < 0 || dh->n > BF_MAX_DAY_INTERVALS) {
			snprintf(field, sizeof(field), "%s.hours.%s", path, bf_gate_weekday_name(wd));
			return bf_error_set(err, BF_EINVAL, field, "at most %d windows a day", BF_MAX_DAY_INTERVALS);
		}
		for (int i = 0; i < dh->n; i++) {
			if (dh->iv[i].open < 0 || dh->iv[i].close > 24 * 60 || dh->iv[i].close <= dh->iv[i].open ||
			    (i > 0 && dh->iv[i].open < dh->iv[i - 1].close)) {
				snprintf(field, sizeof(field), "%s.hours.%s[%d]", path, bf_gate_weekday_name(wd), i);
				return bf_error_set(err, BF_EINVAL, field,
				                    "windows must lie within 00:00-24:00, end after they start and not "
				                    "overlap");
			}
		}
	}
	for (size_t i = 0; i < sd->n_exceptions; i++) {
		if (sd->exceptions[i].end <= sd->exceptions[i].start) {
			snprintf(field, sizeof(field), "%s.exceptions[%zu].to", path, i);
			return bf_error_set(err, BF_EINVAL, field, "must be after from");
		}
	}
	return BF_OK;
}

int bf_gate_pair_validate(const struct bf_gate_pair *g, struct bf_error *err)
{
	if (!is_slug(g->id) || strlen(g->id) > BF_GATE_ID_MAX)
		return bf_error_set(err, BF_EINVAL, "id", "must be 1 to %d of a-z, 0-9 and '-', not starting with '-'",
		                    BF_GATE_ID_MAX);
	if (!g->name_vi[0] || !g->name_zh[0] || !g->name_en[0])
		return bf_error_set(err, BF_EINVAL,
		                    !g->name_vi[0]   ? "names.vi"
		                    : !g->name_zh[0] ? "names.zh"
		                                     : "names.en",
		                    "every pair needs a name in vi, zh and en");
	if (!isfinite(g->lat) || g->lat < -90 || g->lat > 90)
		return bf_error_set(err, BF_EINVAL, "location.lat", "must be a latitude from -90 to 90");
	if (!isfinite(g->lon) || g->lon < -180 || g->lon > 180)
		return bf_error_set(err, BF_EINVAL, "location.lon", "must be a longitude from -180 to 180");
	if (g->designated == 0 || g->designated >= (1u << BF_CC_COUNT))
		return bf_error_set(err, BF_EINVAL, "designated", "must name at least one commodity class");
	for (int d = 0; d < 2; d++) {
		const struct bf_lane_group *lg = &g->lanes[d];
		char field[48];
		if (lg->lanes < 1 || lg->lanes > 64) {
			snprintf(field, sizeof(field), "lanes.%s.lanes", bf_direction_name((enum bf_direction)d));
			return bf_error_set(err, BF_EINVAL, field, "must be a whole number from 1 to 64");
		}
		if (!isfinite(lg->vehicles_per_hour) || lg->vehicles_per_hour <= 0 || lg->vehicles_per_hour > 600) {
			snprintf(field, sizeof(field), "lanes.%s.vehicles_per_hour",
			         bf_direction_name((enum bf_direction)d));
			return bf_error_set(err, BF_EINVAL, field, "must be more than 0 and at most 600 per lane");
		}
	}
	for (int s = 0; s < 2; s++) {
		int rc = validate_side(&g->side[s], s == 0 ? "sides.a" : "sides.b", err);
		if (rc)
			return rc;
	}
	if (g->n_trains < 0 || g->n_trains > BF_MAX_TRAINS)
		return bf_error_set(err, BF_EINVAL, "trains", "at most %d trains", BF_MAX_TRAINS);
	if (g->n_trains > 0 && g->mode != BF_MODE_RAIL)
		return bf_error_set(err, BF_EINVAL, "trains", "only a rail pair has a timetable of trains");
	for (int i = 0; i < g->n_trains; i++) {
		const struct bf_train *t = &g->trains[i];
		char field[40];
		snprintf(field, sizeof(field), "trains[%d]", i);
		if (t->days == 0 || t->days > 0x7f || t->departs < 0 || t->departs >= 24 * 60 || t->wagons < 1 ||
		    t->wagons > 200 || t->farm_wagons < 0 || t->farm_wagons > t->wagons)
			return bf_error_set(err, BF_EINVAL, field,
			                    "a train runs on some day, departs between 00:00 and 23:59, has 1 to 200 "
			                    "wagons and holds no more of them for farm produce than it has");
	}
	return BF_OK;
}

void bf_gate_side_open(const struct bf_gate_side *side, bf_time from, bf_time to, struct bf_intervals *out)
{
	struct bf_intervals closed = {0};
	bf_time off = (bf_time)side->utc_offset_min * 60;
	int64_t first = bf_time_floor_div(from + off, BF_DAY_SECONDS);
	int64_t last = bf_time_floor_div(to - 1 + off, BF_DAY_SECONDS);

	out->n = 0;
	if (to <= from)
		return;
	for (int64_t day = first; day <= last; day++) {
		const struct bf_day_hours *dh = &side->week[bf_date_weekday(day)];
		bf_time base = day * BF_DAY_SECONDS - off;
		for (int i = 0; i < dh->n; i++)
			bf_intervals_push(out, base + dh->iv[i].open * 60, base + dh->iv[i].close * 60);
	}
	for (size_t i = 0; i < side->n_exceptions; i++) {
		const struct bf_exception *e = &side->exceptions[i];
		if (e->end <= from || e->start >= to)
			continue;
		bf_intervals_push(e->open ? out : &closed, e->start, e->end);
	}
	bf_intervals_normalize(out);
	bf_intervals_normalize(&closed);
	bf_intervals_subtract(out, &closed);
	bf_intervals_free(&closed);
	/* Clip to the asked range last, so windows merge across its edges first. */
	size_t w = 0;
	for (size_t i = 0; i < out->n; i++) {
		bf_time s = out->v[i].start < from ? from : out->v[i].start;
		bf_time e = out->v[i].end > to ? to : out->v[i].end;
		if (e > s)
			out->v[w++] = (struct bf_interval){s, e};
	}
	out->n = w;
}

void bf_gate_windows(const struct bf_gate_pair *g, bf_time from, bf_time to, struct bf_intervals *out)
{
	struct bf_intervals a = {0}, b = {0};
	bf_gate_side_open(&g->side[0], from, to, &a);
	bf_gate_side_open(&g->side[1], from, to, &b);
	bf_intervals_intersect(&a, &b, out);
	bf_intervals_free(&a);
	bf_intervals_free(&b);
}

bool bf_gate_open_at(const struct bf_gate_pair *g, bf_time t)
{
	struct bf_intervals w = {0};
	bf_gate_windows(g, t, t + 1, &w);
	bool open = w.n > 0;
	bf_intervals_free(&w);
	return open;
}

struct bf_interval bf_gate_local_day(const struct bf_gate_pair *g, int64_t days)
{
	bf_time start = days * BF_DAY_SECONDS - (bf_time)g->side[0].utc_offset_min * 60;
	return (struct bf_interval){start, start + BF_DAY_SECONDS};
}

int64_t bf_gate_day_of(const struct bf_gate_pair *g, bf_time t)
{
	return bf_time_floor_div(t + (bf_time)g->side[0].utc_offset_min * 60, BF_DAY_SECONDS);
}
