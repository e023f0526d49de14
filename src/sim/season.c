/* The season simulator; see season.h for the model. Time inside a run is
 * in hours from the season's start, as doubles; the gate model and the
 * planner work in whole UTC seconds, and abs_time() converts. */
#include "sim/season.h"

#include "model/error.h"
#include "plan/capacity.h"
#include "plan/planner.h"
#include "plan/policy.h"
#include "sim/dist.h"
#include "sim/fel.h"
#include "sim/rng.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* How far ahead loads may book and the hours a road crossing takes once
 * clearance starts, as the server has them (plan/policy.h). */
#define BOOK_SPAN_HOURS    (BF_BOOK_SPAN_DAYS * 24.0)
#define CROSSING_HOURS     ((double)BF_CROSSING_HOURS)
/* A booked load aims to reach the waiting yard this long before its slot,
 * so that the lanes find a vehicle to call forward when a place frees,
 * plus two standard deviations of its travel time, so that it is there in
 * time on all but a few trips. */
#define ARRIVE_AHEAD_HOURS 2.0

enum {
	EV_READY,
	EV_ARRIVE,
	EV_SPOIL,
	EV_DONE1,
	EV_DONE2,
	EV_OPEN,
	EV_CLOSE,
	EV_KICK,
	EV_TRAIN,
	EV_REPLAN,
	EV_DEPART,
};

/* PENDING: ready, with no slot; BOOKED: with a slot, not yet left. */
enum state { L_PENDING, L_BOOKED, L_ROAD, L_YARD, L_STAGE1, L_BETWEEN, L_STAGE2, L_CROSSED, L_SPOILED, L_RETURNED };

/* The uniforms drawn for each load before the run: U_TRAVEL, then for each
 * side its base time, control lane, added time and refusal. */
enum { U_TRAVEL, U_SIDE, U_PER_SIDE = 4, U_COUNT = U_SIDE + 2 * U_PER_SIDE };

struct load {
	double ready, deadline, arrived, key;
	double depart; /* a booked load's planned departure */
	double u[U_COUNT];
	int flow, gate;
	long slot; /* the slot it booked at its gate, or -1 */
	enum state state;
};

struct gate_state {
	const struct bf_gate_pair *pair;
	const struct bf_sim_gate *cfg;
	bool rail, open;
	struct bf_fel yard, between; /* yard: by key; between the sides: in order */
	long yard_n;
	int busy[2];
	struct bf_slot *slots; /* this policy's capacity, booked as the server books */
	int *rem;              /* places left in each slot */
	size_t n_slots, first_free, next_train;
	double rate; /* nominal places an hour over the season */
	/* The last answer of free_slot(): the first free slot from cache_from
	 * on. Any change of places at the gate forgets it. */
	bool cached;
	double cache_from;
	long cache_slot;
	double *window_end; /* the end of each crossing window, in order */
	size_t next_window;
	double closes; /* the end of the window open now */
	long backlog;
	double last_change;
	long *hist;
	double wait_sum, busy_hours[2], open_hours, train_places;
	long boarded;
};

struct run {
	const struct bf_scenario *sc;
	const struct bf_sim_policy *pol;
	struct bf_fel fel;
	struct load *loads;
	size_t n_loads, n_demand, next_ready; /* loads[n_demand..] were waiting at the start */
	struct gate_state *g;
	int *pending; /* loads waiting to book */
	size_t n_pending, cap_pending;
	double end, warm;
	long yard_total, *hist_all;
	double all_last_change;
	struct bf_sim_run *out;
};

static bf_time abs_time(const struct run *r, double h)
{
	return r->sc->start + (bf_time)llround(h * 3600);
}

static double rel_hours(const struct run *r, bf_time t)
{
	return (double)(t - r->sc->start) / 3600.0;
}

static double profile(const struct bf_sim_flow *f, double day)
{
	if (f->peak_factor <= 1 || f->peak_width <= 0)
		return 1;
	double z = (day - f->peak_day) / f->peak_width;
	return 1 + (f->peak_factor - 1) * exp(-0.5 * z * z);
}

static bool allowed(const struct run *r, const struct load *l, int gate)
{
	return (r->pol->pairs[gate].designated & (1u << r->sc->flows[l->flow].klass)) != 0;
}

/* ---- demand ---- */

static void add_load(struct run *r, size_t *cap, double ready, int flow, struct bf_rng *attrs)
{
	if (r->n_loads == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		r->loads = bf_xrealloc(r->loads, *cap * sizeof(*r->loads));
	}
	struct load *l = &r->loads[r->n_loads++];
	const struct bf_sim_flow *f = &r->sc->flows[flow];
	memset(l, 0, sizeof(*l));
	l->ready = ready;
	l->deadline = ready + f->shelf_life - CROSSING_HOURS;
	l->flow = flow;
	l->gate = -1;
	l->slot = -1;
	l->state = L_PENDING;
	for (int i = 0; i < U_COUNT; i++)
		l->u[i] = bf_rng_uniform(attrs);
}

static int cmp_ready(const void *a, const void *b)
{
	const struct load *x = a, *y = b;
	if (x->ready != y->ready)
		return x->ready < y->ready ? -1 : 1;
	return (x->flow > y->flow) - (x->flow < y->flow);
}

/* Whether flow FI may use gate GI in the baseline: the loads waiting at a
 * gate when the season starts are of those flows, the same under every
 * policy. */
static bool feeds(const struct bf_scenario *sc, int fi, int gi)
{
	const struct bf_sim_flow *f = &sc->flows[fi];
	for (int k = 0; k < f->n_gates; k++)
		if (f->gates[k] == gi)
			return (sc->policies[0].pairs[gi].designated & (1u << f->klass)) != 0;
	return false;
}

/* Every flow's loads of the season, from streams of its own: adding a flow
 * to a scenario leaves the others' loads as they were. */
static void make_demand(struct run *r, uint64_t seed, uint64_t rep)
{
	size_t cap = 0;
	const struct bf_scenario *sc = r->sc;
	for (int fi = 0; fi < sc->n_flows; fi++) {
		const struct bf_sim_flow *f = &sc->flows[fi];
		struct bf_rng times, attrs;
		bf_rng_seed(&times, seed, rep, 16 + 2 * (uint64_t)fi);
		bf_rng_seed(&attrs, seed, rep, 17 + 2 * (uint64_t)fi);
		for (int d = 0; d < sc->days; d++)
			for (int h = 0; h < 24; h++) {
				double rate = f->per_day * profile(f, d + (h + 0.5) / 24) * f->hourly[h];
				if (!(rate > 0))
					continue;
				double t = d * 24.0 + h;
				for (;;) {
					t += bf_rng_exponential(&times, 1.0 / rate);
					if (t >= d * 24.0 + h + 1)
						break;
					add_load(r, &cap, t, fi, &attrs);
				}
			}
	}
	if (r->n_loads > 1)
		qsort(r->loads, r->n_loads, sizeof(*r->loads), cmp_ready);
	r->n_demand = r->n_loads;
	/* Loads already in the yards when the season starts. */
	struct bf_rng init;
	bf_rng_seed(&init, seed, rep, 8);
	for (int gi = 0; gi < sc->n_gates; gi++) {
		double total = 0;
		int n = sc->gates[gi].initial_queue;
		for (int fi = 0; fi < sc->n_flows; fi++)
			if (feeds(sc, fi, gi))
				total += sc->flows[fi].per_day;
		for (int i = 0; i < n && total > 0; i++) {
			double pick = bf_rng_uniform(&init) * total,
			       age = bf_rng_uniform(&init) * sc->gates[gi].initial_age_max;
			int flow = -1;
			for (int fi = 0; fi < sc->n_flows; fi++)
				if (feeds(sc, fi, gi)) {
					if (flow < 0 || pick > 0)
						flow = fi; /* the last one takes what rounding leaves */
					pick -= sc->flows[fi].per_day;
				}
			add_load(r, &cap, -age, flow, &init);
			r->loads[r->n_loads - 1].gate = gi;
		}
	}
}

/* ---- the yards ---- */

/* Accounts for the time since the yard last changed, then changes it. */
static void yard_change(struct run *r, int gi, double now, int delta)
{
	struct gate_state *g = &r->g[gi];
	struct bf_sim_gate_result *gr = &r->out->gates[gi], *all = &r->out->gates[r->sc->n_gates];
	double *by_day = gr->queue_by_day, *all_day = all->queue_by_day;
	for (int pass = 0; pass < 2; pass++) {
		double from = pass ? r->all_last_change : g->last_change;
		double n = (double)(pass ? r->yard_total : g->yard_n);
		double *days = pass ? all_day : by_day;
		if (pass)
			all->yard_area += n * (now - from);
		else
			gr->yard_area += n * (now - from);
		/* Spread the area over the days it covers. */
		while (from < now && n > 0) {
			int d = (int)(from / 24);
			double upto = fmin(now, (d + 1) * 24.0);
			if (d >= 0 && d < r->sc->days)
				days[d] += n * (upto - from) / 24;
			from = upto;
		}
	}
	g->last_change = now;
	r->all_last_change = now;
	/* The size before the change lasted until now, and the size after
	 * starts now: both count once the warm-up is over. */
	for (int pass = 0; pass < 2; pass++) {
		if (pass) {
			g->yard_n += delta;
			r->yard_total += delta;
		}
		if (now >= r->warm) {
			if (g->yard_n > gr->longest_queue)
				gr->longest_queue = (int)g->yard_n;
			if (r->yard_total > all->longest_queue)
				all->longest_queue = (int)r->yard_total;
		}
	}
}

static void leave_yard(struct run *r, struct load *l, double now)
{
	struct bf_sim_gate_result *gr = &r->out->gates[l->gate], *all = &r->out->gates[r->sc->n_gates];
	yard_change(r, l->gate, now, -1);
	gr->yard_time += now - l->arrived;
	all->yard_time += now - l->arrived;
}

static void record_wait(struct run *r, struct load *l, double now)
{
	if (now < r->warm)
		return;
	struct gate_state *g = &r->g[l->gate];
	double w = now - l->arrived;
	int bin = (int)(w / BF_SIM_WAIT_BIN_HOURS);
	if (bin >= BF_SIM_WAIT_BINS)
		bin = BF_SIM_WAIT_BINS - 1;
	g->hist[bin]++;
	r->hist_all[bin]++;
	g->wait_sum += w;
	r->out->gates[l->gate].waits++;
}

static void finish(struct run *r, struct load *l, enum state s, double now)
{
	struct bf_sim_gate_result *gr = &r->out->gates[l->gate], *all = &r->out->gates[r->sc->n_gates];
	l->state = s;
	r->g[l->gate].backlog--;
	if (s == L_CROSSED) {
		gr->crossed++;
		all->crossed++;
		if (now >= r->warm)
			gr->crossings_per_day++; /* a count until the end of the run */
	} else {
		gr->returned++;
		all->returned++;
	}
}

/* A service time at SIDE from the load's uniforms U, and whether the load
 * is refused there. */
static double service_time(const struct bf_sim_side *side, const double *u, bool *refused)
{
	double t = bf_dist_sample(&side->base, u[0]);
	*refused = false;
	if (u[1] < side->p_red) {
		t += bf_dist_sample(&side->red, u[2]);
		*refused = u[3] < side->p_refuse;
	} else if (u[1] < side->p_red + side->p_yellow) {
		t += bf_dist_sample(&side->yellow, u[2]);
	}
	return t;
}

/* Busy time counts within the window: a vehicle still in a lane at
 * closing time is finished, but the lane is not open. */
static void add_busy(const struct run *r, struct gate_state *g, int side, double now, double d)
{
	double a = fmax(now, r->warm), b = fmin(now + d, fmin(r->end, g->closes));
	if (b > a)
		g->busy_hours[side] += b - a;
}

static void serve(struct run *r, int gi, double now)
{
	struct gate_state *g = &r->g[gi];
	if (!g->open || g->rail)
		return;
	int lanes = bf_gate_lanes_at(g->pair, BF_DIR_A_TO_B, abs_time(r, now));
	while (g->busy[1] < lanes && g->between.n > 0) {
		struct load *l = &r->loads[bf_fel_pop(&g->between).subject];
		bool refused;
		double d = service_time(&g->cfg->side[1], l->u + U_SIDE + U_PER_SIDE, &refused);
		l->state = L_STAGE2;
		g->busy[1]++;
		add_busy(r, g, 1, now, d);
		bf_fel_push(&r->fel, now + d, refused ? -EV_DONE2 : EV_DONE2, (int32_t)(l - r->loads));
	}
	while (g->busy[0] < lanes && g->yard_n > 0) {
		struct load *l = &r->loads[bf_fel_pop(&g->yard).subject];
		if (l->state != L_YARD)
			continue; /* spoiled while it waited: removed lazily */
		bool refused;
		double d = service_time(&g->cfg->side[0], l->u + U_SIDE, &refused);
		leave_yard(r, l, now);
		record_wait(r, l, now);
		l->state = L_STAGE1;
		g->busy[0]++;
		add_busy(r, g, 0, now, d);
		bf_fel_push(&r->fel, now + d, refused ? -EV_DONE1 : EV_DONE1, (int32_t)(l - r->loads));
	}
}

static void board_train(struct run *r, int gi, double now)
{
	struct gate_state *g = &r->g[gi];
	while (g->next_train < g->n_slots && rel_hours(r, g->slots[g->next_train].start) < now - 1e-9)
		g->next_train++;
	if (g->next_train >= g->n_slots)
		return;
	int places = g->slots[g->next_train++].capacity;
	if (now >= r->warm)
		g->train_places += places;
	while (places > 0 && g->yard_n > 0) {
		struct load *l = &r->loads[bf_fel_pop(&g->yard).subject];
		if (l->state != L_YARD)
			continue;
		leave_yard(r, l, now);
		record_wait(r, l, now);
		if (now >= r->warm)
			g->boarded++;
		places--;
		finish(r, l, L_CROSSED, now);
	}
}

/* ---- choosing a gate and booking ---- */

static double travel_time(const struct bf_sim_flow *f, int k, double u)
{
	if (f->travel_cv <= 0)
		return f->travel[k];
	struct bf_dist d = {BF_DIST_LOGNORMAL, f->travel[k], f->travel_cv};
	return bf_dist_sample(&d, u);
}

static void send(struct run *r, struct load *l, int k, double depart, double key)
{
	const struct bf_sim_flow *f = &r->sc->flows[l->flow];
	l->gate = f->gates[k];
	l->key = key;
	l->state = L_ROAD;
	r->g[l->gate].backlog++;
	bf_fel_push(&r->fel, depart + travel_time(f, k, l->u[U_TRAVEL]), EV_ARRIVE, (int32_t)(l - r->loads));
}

static void dispatch(struct run *r, struct load *l, double now)
{
	const struct bf_sim_flow *f = &r->sc->flows[l->flow];
	int best = -1;
	double best_t = INFINITY;
	for (int k = 0; k < f->n_gates; k++) {
		const struct gate_state *g = &r->g[f->gates[k]];
		if (!allowed(r, l, f->gates[k]) || !(g->rate > 0))
			continue;
		double t = f->travel[k] + (double)g->backlog / g->rate;
		if (t < best_t) {
			best_t = t;
			best = k;
		}
	}
	if (best >= 0)
		send(r, l, best, now, 0);
	else
		l->state = L_PENDING; /* nowhere to go: it waits, and spoils */
}

/* The first slot of gate GI from hour FROM with a place left. */
static long free_slot(struct run *r, int gi, double from)
{
	struct gate_state *g = &r->g[gi];
	bf_time t = abs_time(r, from);
	/* The first free slot from an earlier instant is the first from a later
	 * one too, while it starts after that: loads that find the gate full
	 * cost nothing more. */
	if (g->cached && from >= g->cache_from && (g->cache_slot < 0 || g->slots[g->cache_slot].start >= t))
		return g->cache_slot;
	while (g->first_free < g->n_slots && g->rem[g->first_free] == 0)
		g->first_free++;
	size_t lo = g->first_free, hi = g->n_slots;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->slots[mid].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	g->cached = true;
	g->cache_from = from;
	g->cache_slot = -1;
	for (size_t i = lo; i < g->n_slots; i++)
		if (g->rem[i] > 0) {
			g->cache_slot = (long)i;
			break;
		}
	return g->cache_slot;
}

/* Changes the places left in slot SLOT of G by DELTA. */
static void take_place(struct gate_state *g, long slot, int delta)
{
	g->rem[slot] += delta;
	g->cached = false;
	if (delta > 0 && (size_t)slot < g->first_free)
		g->first_free = (size_t)slot;
}

/* Books SLOT at the flow's K-th gate: the load waits where it is and
 * leaves so as to be in the yard ahead of its slot. */
static void book(struct run *r, struct load *l, int k, long slot, double now)
{
	const struct bf_sim_flow *f = &r->sc->flows[l->flow];
	struct gate_state *g = &r->g[f->gates[k]];
	double start = rel_hours(r, g->slots[slot].start);
	double ahead = ARRIVE_AHEAD_HOURS + 2 * f->travel_cv * f->travel[k];
	take_place(g, slot, -1);
	g->backlog++;
	l->gate = f->gates[k];
	l->slot = slot;
	l->key = start;
	l->state = L_BOOKED;
	l->depart = fmax(now, start - f->travel[k] - ahead);
	bf_fel_push(&r->fel, l->depart, EV_DEPART, (int32_t)(l - r->loads));
}

/* Gives a booked load's place back; it waits for a slot again. */
static void unbook(struct run *r, struct load *l)
{
	struct gate_state *g = &r->g[l->gate];
	take_place(g, l->slot, +1);
	g->backlog--;
	l->gate = -1;
	l->slot = -1;
	l->state = L_PENDING;
}

/* A booked load leaves for its gate, unless it was moved since (its
 * planned departure is another) or spoiled. */
static void depart(struct run *r, int li, double now)
{
	struct load *l = &r->loads[li];
	const struct bf_sim_flow *f = &r->sc->flows[l->flow];
	if (l->state != L_BOOKED || l->depart != now)
		return;
	for (int k = 0; k < f->n_gates; k++)
		if (f->gates[k] == l->gate) {
			l->state = L_ROAD;
			bf_fel_push(&r->fel, now + travel_time(f, k, l->u[U_TRAVEL]), EV_ARRIVE, li);
			return;
		}
}

/* First come, first served: the earliest free slot that keeps the load on
 * time, at any gate it may use. False when there is none. */
static bool book_first(struct run *r, struct load *l, double now)
{
	const struct bf_sim_flow *f = &r->sc->flows[l->flow];
	int best_k = -1;
	long best = -1;
	bf_time best_t = 0;
	for (int k = 0; k < f->n_gates; k++) {
		if (!allowed(r, l, f->gates[k]))
			continue;
		long s = free_slot(r, f->gates[k], fmax(now, l->ready) + f->travel[k]);
		if (s < 0)
			continue;
		bf_time t = r->g[f->gates[k]].slots[s].start;
		if (rel_hours(r, t) > l->deadline || rel_hours(r, t) > now + BOOK_SPAN_HOURS)
			continue;
		if (best < 0 || t < best_t) {
			best = s;
			best_k = k;
			best_t = t;
		}
	}
	if (best < 0)
		return false;
	book(r, l, best_k, best, now);
	return true;
}

static void pend(struct run *r, int li)
{
	if (r->n_pending == r->cap_pending) {
		r->cap_pending = r->cap_pending ? 2 * r->cap_pending : 256;
		r->pending = bf_xrealloc(r->pending, r->cap_pending * sizeof(int));
	}
	r->pending[r->n_pending++] = li;
}

struct slot_ref {
	int gate;
	long slot;
};

static int cmp_plan_slot(const void *a, const void *b)
{
	const struct bf_plan_slot *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->gate > y->gate) - (x->gate < y->gate);
}

/* The planner over the loads waiting to book and those booked that have
 * not left yet (their places given back first: a booking may move until
 * the load leaves its packing house), and the places left in the next
 * BOOK_SPAN_HOURS, as the server plans a gate's bookings. */
/* Loads are numbered in order of readiness (those waiting at the start,
 * numbered last, never wait to book): the order of numbers is first come. */
static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static void replan(struct run *r, double now)
{
	for (size_t i = 0; i < r->n_loads; i++)
		if (r->loads[i].state == L_BOOKED && r->loads[i].depart > now) {
			unbook(r, &r->loads[i]);
			pend(r, (int)i);
		}
	/* In order of readiness, for the loads served first come below. */
	if (r->n_pending > 1)
		qsort(r->pending, r->n_pending, sizeof(int), cmp_int);
	/* Loads that could spoil within the span that can be booked go to the
	 * planner; the others cannot spoil in any plan made now, and take the
	 * places left after, first come first served. */
	size_t n_urgent = 0;
	int *rest = bf_xcalloc(r->n_pending ? r->n_pending : 1, sizeof(int));
	size_t n_rest = 0;
	for (size_t i = 0; i < r->n_pending; i++) {
		if (r->loads[r->pending[i]].deadline < now + BOOK_SPAN_HOURS)
			r->pending[n_urgent++] = r->pending[i];
		else
			rest[n_rest++] = r->pending[i];
	}
	r->n_pending = n_urgent;
	size_t n_jobs = 0, n_slots = 0, cap_slots = 0;
	struct bf_plan_job *jobs = bf_xcalloc(r->n_pending ? r->n_pending : 1, sizeof(*jobs));
	struct bf_plan_slot *slots = NULL;
	bf_time from = abs_time(r, now), to = abs_time(r, now + BOOK_SPAN_HOURS);
	for (int gi = 0; gi < r->sc->n_gates; gi++) {
		struct gate_state *g = &r->g[gi];
		for (size_t i = g->first_free; i < g->n_slots && g->slots[i].start < to; i++) {
			if (g->slots[i].start < from || g->rem[i] == 0)
				continue;
			if (n_slots == cap_slots) {
				cap_slots = cap_slots ? 2 * cap_slots : 512;
				slots = bf_xrealloc(slots, cap_slots * sizeof(*slots));
			}
			/* The slot's index rides in its capacity's place until the
			 * sort; the capacity is put back after. */
			slots[n_slots++] = (struct bf_plan_slot){gi, g->slots[i].start, (int)i};
		}
	}
	if (n_slots > 1)
		qsort(slots, n_slots, sizeof(*slots), cmp_plan_slot);
	long *index = bf_xcalloc(n_slots ? n_slots : 1, sizeof(long));
	for (size_t i = 0; i < n_slots; i++) {
		index[i] = slots[i].capacity;
		slots[i].capacity = r->g[slots[i].gate].rem[index[i]];
	}
	for (size_t i = 0; i < r->n_pending; i++) {
		struct load *l = &r->loads[r->pending[i]];
		const struct bf_sim_flow *f = &r->sc->flows[l->flow];
		struct bf_plan_job *j = &jobs[n_jobs++];
		j->value = f->value;
		j->deadline = abs_time(r, l->deadline);
		j->slot = -1;
		for (int k = 0; k < f->n_gates && j->n_options < BF_PLAN_MAX_OPTIONS; k++)
			if (allowed(r, l, f->gates[k]))
				j->options[j->n_options++] = (struct bf_plan_option){
				    f->gates[k], abs_time(r, fmax(now, l->ready) + f->travel[k])};
	}
	/* A season's backlog: the early places are fought over. */
	struct bf_plan p = {slots, n_slots, jobs, n_jobs, r->sc->n_gates, true};
	struct bf_plan_stats st;
	size_t keep = 0;
	if (n_slots > 0 && n_jobs > 0 && bf_plan_assign(&p, &st) == BF_OK) {
		for (size_t i = 0; i < n_jobs; i++) {
			struct load *l = &r->loads[r->pending[i]];
			const struct bf_sim_flow *f = &r->sc->flows[l->flow];
			if (jobs[i].slot < 0 || jobs[i].late) {
				r->pending[keep++] = r->pending[i];
				continue;
			}
			int gi = slots[jobs[i].slot].gate;
			for (int k = 0; k < f->n_gates; k++)
				if (f->gates[k] == gi) {
					book(r, l, k, index[jobs[i].slot], now);
					break;
				}
		}
		r->n_pending = keep;
	}
	free(index);
	free(slots);
	free(jobs);
	for (size_t i = 0; i < n_rest; i++)
		if (!book_first(r, &r->loads[rest[i]], now))
			pend(r, rest[i]);
	free(rest);
}

/* ---- the run ---- */

static void ready(struct run *r, int li, double now)
{
	struct load *l = &r->loads[li];
	bf_fel_push(&r->fel, fmax(now, l->deadline), EV_SPOIL, li);
	switch (r->pol->booking) {
	case BF_SIM_NO_BOOKING:
		dispatch(r, l, now);
		break;
	case BF_SIM_BOOK_FCFS:
		if (!book_first(r, l, now))
			pend(r, li);
		break;
	case BF_SIM_BOOK_PLAN:
		pend(r, li);
		break;
	}
}

static void arrive(struct run *r, int li, double now)
{
	struct load *l = &r->loads[li];
	if (l->state != L_ROAD)
		return;
	l->state = L_YARD;
	l->arrived = now;
	struct gate_state *g = &r->g[l->gate];
	r->out->gates[l->gate].yard_entries++;
	r->out->gates[r->sc->n_gates].yard_entries++;
	yard_change(r, l->gate, now, +1);
	/* Without booking, yards serve in order of arrival; those waiting at
	 * the start, by age. With booking, in order of slot. */
	if (r->pol->booking == BF_SIM_NO_BOOKING && l->ready >= 0)
		l->key = now;
	bf_fel_push(&g->yard, l->key, 0, li);
	serve(r, l->gate, now);
}

static void spoil(struct run *r, int li, double now)
{
	struct load *l = &r->loads[li];
	struct bf_sim_gate_result *all = &r->out->gates[r->sc->n_gates];
	if (l->state != L_PENDING && l->state != L_BOOKED && l->state != L_ROAD && l->state != L_YARD)
		return;
	if (l->state == L_YARD)
		leave_yard(r, l, now);
	if (l->state == L_PENDING) {
		/* In order: first come is served first. */
		for (size_t i = 0; i < r->n_pending; i++)
			if (r->pending[i] == li) {
				memmove(&r->pending[i], &r->pending[i + 1], (r->n_pending - i - 1) * sizeof(int));
				r->n_pending--;
				break;
			}
	}
	l->state = L_SPOILED;
	all->spoiled++;
	if (now >= r->warm) {
		all->spoiled_loads++;
		all->spoiled_value += r->sc->flows[l->flow].value;
	}
	if (l->gate >= 0) {
		struct bf_sim_gate_result *gr = &r->out->gates[l->gate];
		struct gate_state *g = &r->g[l->gate];
		/* A place booked for a load that spoiled before its slot is given
		 * back, as a carrier cancels: others may book it. */
		if (l->slot >= 0 && rel_hours(r, g->slots[l->slot].start) > now)
			take_place(g, l->slot, +1);
		g->backlog--;
		gr->spoiled++;
		if (now >= r->warm) {
			gr->spoiled_loads++;
			gr->spoiled_value += r->sc->flows[l->flow].value;
		}
	}
}

static void setup_gate(struct run *r, int gi)
{
	struct gate_state *g = &r->g[gi];
	const struct bf_gate_pair *p = &r->pol->pairs[gi];
	struct bf_intervals w = {0};
	g->pair = p;
	g->cfg = &r->sc->gates[gi];
	g->rail = p->mode == BF_MODE_RAIL && p->n_trains > 0;
	g->hist = bf_xcalloc(BF_SIM_WAIT_BINS, sizeof(long));
	bf_capacity_slots(p, BF_DIR_A_TO_B, abs_time(r, 0), abs_time(r, r->end + BOOK_SPAN_HOURS), BF_SLOT_MINUTES,
	                  &g->slots, &g->n_slots);
	g->rem = bf_xcalloc(g->n_slots ? g->n_slots : 1, sizeof(int));
	double places = 0;
	for (size_t i = 0; i < g->n_slots; i++) {
		g->rem[i] = g->slots[i].capacity;
		if (g->slots[i].start < abs_time(r, r->end))
			places += g->slots[i].capacity;
		if (g->rail && rel_hours(r, g->slots[i].start) <= r->end)
			bf_fel_push(&r->fel, rel_hours(r, g->slots[i].start), EV_TRAIN, gi);
	}
	g->rate = places / r->end;
	bf_gate_windows(p, abs_time(r, 0), abs_time(r, r->end), &w);
	g->window_end = bf_xcalloc(w.n ? w.n : 1, sizeof(double));
	for (size_t i = 0; i < w.n; i++) {
		double a = rel_hours(r, w.v[i].start), b = rel_hours(r, w.v[i].end);
		g->window_end[i] = b;
		bf_fel_push(&r->fel, a, EV_OPEN, gi);
		bf_fel_push(&r->fel, b, EV_CLOSE, gi);
		/* Open lane-hours of the export side over the measured days, by
		 * half hours, with the lanes of each. */
		double from = fmax(a, r->warm);
		for (int k = 0; from + 0.5 * k < b; k++) {
			double t = from + 0.5 * k, u = fmin(b, t + 0.5);
			g->open_hours += (u - t) * bf_gate_lanes_at(p, BF_DIR_A_TO_B, abs_time(r, (t + u) / 2));
		}
	}
	bf_intervals_free(&w);
	for (size_t i = 0; i < p->n_lane_changes; i++) {
		bf_fel_push(&r->fel, fmax(0, rel_hours(r, p->lane_changes[i].start)), EV_KICK, gi);
		bf_fel_push(&r->fel, fmax(0, rel_hours(r, p->lane_changes[i].end)), EV_KICK, gi);
	}
}

static void quantiles(const long *hist, long total, double *p50, double *p90, double *p99)
{
	static const double q[3] = {0.5, 0.9, 0.99};
	double *outs[3] = {p50, p90, p99};
	for (int i = 0; i < 3; i++) {
		long want = (long)ceil(q[i] * (double)total), seen = 0;
		*outs[i] = 0;
		if (total == 0)
			continue;
		for (int b = 0; b < BF_SIM_WAIT_BINS; b++) {
			seen += hist[b];
			if (seen >= want) {
				*outs[i] = (b + 0.5) * BF_SIM_WAIT_BIN_HOURS;
				break;
			}
		}
	}
}

static void conclude(struct run *r)
{
	const struct bf_scenario *sc = r->sc;
	struct bf_sim_gate_result *all = &r->out->gates[sc->n_gates];
	double days = (r->end - r->warm) / 24, busy = 0, open = 0, filled = 0, places = 0;
	long waits = 0;
	double wait_sum = 0;
	/* Close the yards' areas at the end, and count the loads still in the
	 * system from their states, independently of the counters. */
	for (int gi = 0; gi < sc->n_gates; gi++)
		yard_change(r, gi, r->end, 0);
	for (size_t i = 0; i < r->n_loads; i++) {
		struct load *l = &r->loads[i];
		all->loads++;
		if (l->gate >= 0)
			r->out->gates[l->gate].loads++;
		if (l->state == L_CROSSED || l->state == L_SPOILED || l->state == L_RETURNED)
			continue;
		all->in_system++;
		if (l->gate >= 0)
			r->out->gates[l->gate].in_system++;
		if (l->state == L_YARD) {
			r->out->gates[l->gate].yard_time += r->end - l->arrived;
			all->yard_time += r->end - l->arrived;
		}
	}
	for (int gi = 0; gi < sc->n_gates; gi++) {
		struct gate_state *g = &r->g[gi];
		struct bf_sim_gate_result *gr = &r->out->gates[gi];
		gr->crossings_per_day = days > 0 ? gr->crossings_per_day / days : 0;
		all->crossings_per_day += gr->crossings_per_day;
		gr->wait_mean = gr->waits ? g->wait_sum / (double)gr->waits : 0;
		quantiles(g->hist, gr->waits, &gr->wait_p50, &gr->wait_p90, &gr->wait_p99);
		if (g->rail) {
			gr->utilisation = g->train_places > 0 ? (double)g->boarded / g->train_places : 0;
			filled += (double)g->boarded;
			places += g->train_places;
		} else {
			/* The busier side is the one that limits the crossing. */
			double b = fmax(g->busy_hours[0], g->busy_hours[1]);
			gr->utilisation = g->open_hours > 0 ? b / g->open_hours : 0;
			busy += b;
			open += g->open_hours;
		}
		waits += gr->waits;
		wait_sum += g->wait_sum;
	}
	all->waits = waits;
	all->wait_mean = waits ? wait_sum / (double)waits : 0;
	/* The whole border's is its road lanes'; wagons are another unit, and
	 * count only where there is no road. */
	all->utilisation = open > 0 ? busy / open : places > 0 ? filled / places : 0;
	quantiles(r->hist_all, waits, &all->wait_p50, &all->wait_p90, &all->wait_p99);
}

int bf_sim_run(const struct bf_scenario *sc, int policy, uint64_t seed, uint64_t replication, struct bf_sim_run *out)
{
	memset(out, 0, sizeof(*out));
	if (policy < 0 || policy >= sc->n_policies || sc->days < 1 || sc->days > BF_SIM_MAX_DAYS || sc->n_gates < 1 ||
	    sc->warmup_days < 0 || sc->warmup_days >= sc->days)
		return BF_EINVAL;
	struct run r = {.sc = sc, .pol = &sc->policies[policy], .out = out};
	r.end = sc->days * 24.0;
	r.warm = sc->warmup_days * 24.0;
	out->n_gates = sc->n_gates;
	out->gates = bf_xcalloc((size_t)sc->n_gates + 1, sizeof(*out->gates));
	for (int gi = 0; gi <= sc->n_gates; gi++)
		out->gates[gi].queue_by_day = bf_xcalloc((size_t)sc->days, sizeof(double));
	r.g = bf_xcalloc((size_t)sc->n_gates, sizeof(*r.g));
	r.hist_all = bf_xcalloc(BF_SIM_WAIT_BINS, sizeof(long));
	for (int gi = 0; gi < sc->n_gates; gi++)
		setup_gate(&r, gi);
	make_demand(&r, seed, replication);

	/* The loads already waiting: in the yard at the start, with a place
	 * booked for them first where loads book. */
	for (size_t i = r.n_demand; i < r.n_loads; i++) {
		struct load *l = &r.loads[i];
		l->state = L_ROAD;
		r.g[l->gate].backlog++;
		l->key = l->ready;
		if (r.pol->booking != BF_SIM_NO_BOOKING) {
			long s = free_slot(&r, l->gate, 0);
			if (s >= 0) {
				take_place(&r.g[l->gate], s, -1);
				l->slot = s;
				l->key = rel_hours(&r, r.g[l->gate].slots[s].start);
			}
		}
		bf_fel_push(&r.fel, fmax(0, l->deadline), EV_SPOIL, (int32_t)i);
		arrive(&r, (int)i, 0);
	}
	/* Ready events one at a time, in order: the list stays small. */
	if (r.n_demand > 0)
		bf_fel_push(&r.fel, r.loads[0].ready, EV_READY, 0);
	if (r.pol->booking != BF_SIM_NO_BOOKING)
		bf_fel_push(&r.fel, 0, EV_REPLAN, 0);

	double replan_every = r.pol->replan_hours > 0 ? r.pol->replan_hours : 1;
	while (r.fel.n > 0 && r.fel.v[0].t <= r.end) {
		struct bf_fel_event e = bf_fel_pop(&r.fel);
		double now = e.t;
		out->events++;
		/* A clearance that ends in refusal is scheduled with its kind
		 * negated. */
		int kind = e.kind < 0 ? -e.kind : e.kind;
		bool refused = e.kind < 0;
		switch (kind) {
		case EV_READY:
			ready(&r, e.subject, now);
			if (++r.next_ready < r.n_demand)
				bf_fel_push(&r.fel, r.loads[r.next_ready].ready, EV_READY, (int32_t)r.next_ready);
			break;
		case EV_ARRIVE:
			arrive(&r, e.subject, now);
			break;
		case EV_SPOIL:
			spoil(&r, e.subject, now);
			break;
		case EV_DONE1: {
			struct load *l = &r.loads[e.subject];
			struct gate_state *g = &r.g[l->gate];
			g->busy[0]--;
			if (refused) {
				finish(&r, l, L_RETURNED, now);
			} else {
				l->state = L_BETWEEN;
				bf_fel_push(&g->between, now, 0, e.subject);
			}
			serve(&r, l->gate, now);
			break;
		}
		case EV_DONE2: {
			struct load *l = &r.loads[e.subject];
			r.g[l->gate].busy[1]--;
			finish(&r, l, refused ? L_RETURNED : L_CROSSED, now);
			serve(&r, l->gate, now);
			break;
		}
		case EV_OPEN:
			r.g[e.subject].open = true;
			r.g[e.subject].closes = r.g[e.subject].window_end[r.g[e.subject].next_window++];
			serve(&r, e.subject, now);
			break;
		case EV_CLOSE:
			r.g[e.subject].open = false;
			break;
		case EV_KICK:
			serve(&r, e.subject, now);
			break;
		case EV_TRAIN:
			board_train(&r, e.subject, now);
			break;
		case EV_DEPART:
			depart(&r, e.subject, now);
			break;
		case EV_REPLAN:
			if (r.pol->booking == BF_SIM_BOOK_PLAN) {
				replan(&r, now);
			} else {
				size_t keep = 0, n = r.n_pending;
				for (size_t i = 0; i < n; i++)
					if (!book_first(&r, &r.loads[r.pending[i]], now))
						r.pending[keep++] = r.pending[i];
				r.n_pending = keep;
			}
			bf_fel_push(&r.fel, now + replan_every, EV_REPLAN, 0);
			break;
		}
	}
	out->hours = r.end;
	conclude(&r);
	for (int gi = 0; gi < sc->n_gates; gi++) {
		bf_fel_free(&r.g[gi].yard);
		bf_fel_free(&r.g[gi].between);
		free(r.g[gi].slots);
		free(r.g[gi].rem);
		free(r.g[gi].hist);
		free(r.g[gi].window_end);
	}
	free(r.g);
	free(r.hist_all);
	free(r.loads);
	free(r.pending);
	bf_fel_free(&r.fel);
	return BF_OK;
}

void bf_sim_run_free(struct bf_sim_run *r)
{
	if (r->gates)
		for (int gi = 0; gi <= r->n_gates; gi++)
			free(r->gates[gi].queue_by_day);
	free(r->gates);
	memset(r, 0, sizeof(*r));
}

/* ---- Monte Carlo ---- */

struct job {
	const struct bf_scenario *sc;
	uint64_t seed;
	int replications;
	long total;
	long *next, *done; /* shared, under LOCK */
	bool *stop;
	pthread_mutex_t *lock;
	bf_sim_progress_fn progress;
	void *ctx;
	struct bf_sim_run *out;
	int rc;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	for (;;) {
		pthread_mutex_lock(j->lock);
		long k = *j->stop ? j->total : (*j->next)++;
		pthread_mutex_unlock(j->lock);
		if (k >= j->total)
			break;
		int rc =
		    bf_sim_run(j->sc, (int)(k / j->replications), j->seed, (uint64_t)(k % j->replications), &j->out[k]);
		if (rc != BF_OK && j->rc == BF_OK)
			j->rc = rc;
		pthread_mutex_lock(j->lock);
		long done = ++*j->done;
		if (j->progress && !j->progress(j->ctx, done, j->total))
			*j->stop = true;
		pthread_mutex_unlock(j->lock);
	}
	return NULL;
}

int bf_sim_replicate(const struct bf_scenario *sc, uint64_t seed, int replications, int threads,
                     bf_sim_progress_fn progress, void *ctx, struct bf_sim_run *out)
{
	long total = (long)sc->n_policies * replications, next = 0, done = 0;
	bool stop = false;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	if (replications < 1 || sc->n_policies < 1)
		return BF_EINVAL;
	if (threads < 1)
		threads = 1;
	if (threads > total)
		threads = (int)total;
	pthread_t *t = bf_xcalloc((size_t)threads, sizeof(*t));
	struct job *jobs = bf_xcalloc((size_t)threads, sizeof(*jobs));
	bool *started = bf_xcalloc((size_t)threads, sizeof(bool));
	for (int i = 0; i < threads; i++) {
		jobs[i] =
		    (struct job){sc, seed, replications, total, &next, &done, &stop, &lock, progress, ctx, out, BF_OK};
		if (i > 0)
			started[i] = pthread_create(&t[i], NULL, worker, &jobs[i]) == 0;
	}
	worker(&jobs[0]);
	int rc = BF_OK;
	for (int i = 0; i < threads; i++) {
		if (i > 0 && started[i])
			pthread_join(t[i], NULL);
		if (jobs[i].rc != BF_OK && rc == BF_OK)
			rc = jobs[i].rc;
	}
	free(t);
	free(jobs);
	free(started);
	return rc == BF_OK && stop ? BF_SIM_STOPPED : rc;
}
