/* Slot capacity from crossing windows, lanes and trains. */
#include "plan/capacity.h"

#include "model/error.h"

#include <math.h>
#include <stdlib.h>

static void push(struct bf_slot **v, size_t *n, size_t *cap, struct bf_slot s)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = bf_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

static void road_slots(const struct bf_gate_pair *g, enum bf_direction dir, bf_time from, bf_time to, int minutes,
                       struct bf_slot **v, size_t *n, size_t *cap)
{
	bf_time len = (bf_time)minutes * 60;
	struct bf_intervals w = {0};
	/* Whole windows, so that places accumulate from each window's start. */
	bf_gate_windows(g, bf_time_floor_div(from, BF_DAY_SECONDS) * BF_DAY_SECONDS - BF_DAY_SECONDS,
	                to + BF_DAY_SECONDS, &w);
	for (size_t i = 0; i < w.n; i++) {
		double acc = 0;
		long handed = 0;
		for (bf_time a = bf_time_floor_div(w.v[i].start, len) * len; a < w.v[i].end; a += len) {
			bf_time x = a > w.v[i].start ? a : w.v[i].start,
			        y = a + len < w.v[i].end ? a + len : w.v[i].end;
			/* Places accumulate within a UTC day, so that a slot's places
			 * never depend on where the caller's span begins, even in a
			 * window open round the clock. */
			if (a % BF_DAY_SECONDS == 0) {
				acc = 0;
				handed = 0;
			}
			int lanes = bf_gate_lanes_at(g, dir, x + (y - x) / 2);
			acc += lanes * g->lanes[dir].vehicles_per_hour * (double)(y - x) / 3600.0;
			/* A small tolerance keeps 2.9999999 from losing a place. */
			long whole = (long)floor(acc + 1e-9);
			int places = (int)(whole - handed);
			handed = whole;
			if (a < from || a >= to || places <= 0)
				continue;
			/* A closure inside one slot splits a window in two; the slot
			 * they share is one slot with the places of both parts. */
			if (*n > 0 && (*v)[*n - 1].start == a)
				(*v)[*n - 1].capacity += places;
			else
				push(v, n, cap, (struct bf_slot){a, a + len, places, -1});
		}
	}
	bf_intervals_free(&w);
}

static int cmp_slot(const void *a, const void *b)
{
	const struct bf_slot *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static void rail_slots(const struct bf_gate_pair *g, enum bf_direction dir, bf_time from, bf_time to, int minutes,
                       struct bf_slot **v, size_t *n, size_t *cap)
{
	bf_time off = (bf_time)g->side[0].utc_offset_min * 60;
	int64_t first = bf_time_floor_div(from + off, BF_DAY_SECONDS) - 1,
	        last = bf_time_floor_div(to + off, BF_DAY_SECONDS) + 1;
	size_t before = *n;
	for (int64_t day = first; day <= last; day++) {
		int wd = bf_date_weekday(day);
		for (int t = 0; t < g->n_trains; t++) {
			const struct bf_train *tr = &g->trains[t];
			if (tr->direction != dir || !(tr->days & (1u << wd)) || tr->farm_wagons <= 0)
				continue;
			bf_time dep = day * BF_DAY_SECONDS - off + (bf_time)tr->departs * 60;
			if (dep < from || dep >= to || !bf_gate_open_at(g, dep))
				continue;
			push(v, n, cap, (struct bf_slot){dep, dep + (bf_time)minutes * 60, tr->farm_wagons, t});
		}
	}
	if (*n > before)
		qsort(*v + before, *n - before, sizeof(**v), cmp_slot);
	/* Trains leaving at the same time are one slot: bookings are counted by
	 * the slot's start. */
	size_t w = before;
	for (size_t i = before; i < *n; i++) {
		if (w > before && (*v)[w - 1].start == (*v)[i].start)
			(*v)[w - 1].capacity += (*v)[i].capacity;
		else
			(*v)[w++] = (*v)[i];
	}
	*n = w;
}

void bf_capacity_slots(const struct bf_gate_pair *g, enum bf_direction dir, bf_time from, bf_time to, int slot_minutes,
                       struct bf_slot **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (slot_minutes < 1)
		slot_minutes = BF_SLOT_MINUTES;
	if (g->mode == BF_MODE_RAIL && g->n_trains > 0)
		rail_slots(g, dir, from, to, slot_minutes, out, n, &cap);
	else
		road_slots(g, dir, from, to, slot_minutes, out, n, &cap);
}

int bf_capacity_slot_at(const struct bf_gate_pair *g, enum bf_direction dir, bf_time start, int slot_minutes,
                        struct bf_slot *out)
{
	struct bf_slot *v;
	size_t n;
	int rc = BF_ENOTFOUND;
	bf_capacity_slots(g, dir, start, start + 1, slot_minutes, &v, &n);
	for (size_t i = 0; i < n; i++) {
		if (v[i].start == start) {
			*out = v[i];
			rc = BF_OK;
			break;
		}
	}
	free(v);
	return rc;
}
