/* Planning instances and their exact optimum. */
#include "util/plangen.h"

#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned next_rand(unsigned *s)
{
	/* xorshift32: enough to spread test instances. */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int pick(unsigned *s, int n)
{
	return (int)(next_rand(s) % (unsigned)n);
}

/* Commodities: a load's value (USD) and the hours it keeps. */
static const struct {
	double value;
	int shelf_hours;
} goods[] = {{45000, 72}, {20000, 36}, {12000, 48}, {8000, 24}, {3000, 240}, {1500, 120}};

void plangen_make(const struct plangen *g, struct bf_plan *p)
{
	unsigned s = g->seed * 2654435761u + 1;
	int slots_per_day = 24; /* 12 h open in 30-minute slots */
	memset(p, 0, sizeof(*p));
	p->n_gates = g->gates;
	p->slots = calloc((size_t)(g->gates * g->days * slots_per_day), sizeof(*p->slots));
	/* Each gate opens at its own hour and has its own lanes. */
	int *open_at = calloc((size_t)g->gates, sizeof(int)), *cap = calloc((size_t)g->gates, sizeof(int));
	for (int k = 0; k < g->gates; k++) {
		open_at[k] = pick(&s, 3);
		cap[k] = 1 + pick(&s, g->max_cap);
	}
	for (int d = 0; d < g->days; d++) {
		for (int i = 0; i < slots_per_day; i++) {
			for (int k = 0; k < g->gates; k++) {
				struct bf_plan_slot *sl = &p->slots[p->n_slots++];
				sl->gate = k;
				sl->start = (bf_time)d * 86400 + (bf_time)open_at[k] * 3600 + (bf_time)i * 1800;
				sl->capacity = cap[k] - (pick(&s, 4) == 0 ? cap[k] / 2 : 0);
			}
		}
	}
	/* Slots must be sorted by start; gates opening at different hours
	 * interleave, so sort. */
	for (size_t i = 1; i < p->n_slots; i++) {
		struct bf_plan_slot x = p->slots[i];
		size_t j = i;
		while (j > 0 && p->slots[j - 1].start > x.start) {
			p->slots[j] = p->slots[j - 1];
			j--;
		}
		p->slots[j] = x;
	}
	/* Travel hours from four growing regions to each gate. */
	int travel[4][16];
	for (int r = 0; r < 4; r++)
		for (int k = 0; k < g->gates && k < 16; k++)
			travel[r][k] = 2 + 2 * pick(&s, 4);
	p->n_jobs = (size_t)g->jobs;
	p->jobs = calloc((size_t)g->jobs, sizeof(*p->jobs));
	for (int j = 0; j < g->jobs; j++) {
		struct bf_plan_job *job = &p->jobs[j];
		int kind = pick(&s, (int)(sizeof(goods) / sizeof(goods[0])));
		int region = pick(&s, 4);
		int step = g->step_hours > 0 ? g->step_hours : 1, hours = g->days * 24 - 4 > 1 ? g->days * 24 - 4 : 1;
		bf_time declared = (bf_time)(pick(&s, (hours + step - 1) / step) * step) * 3600;
		job->value = goods[kind].value;
		/* Two hours of the shelf life go to crossing and beyond. */
		job->deadline = declared + (bf_time)(goods[kind].shelf_hours - 2) * 3600;
		/* Each region and commodity ships through its own few gates. */
		int want = 1 + (region + kind) % (g->gates < 3 ? g->gates : 3);
		int first = (region * 5 + kind * 3) % g->gates;
		for (int o = 0; o < want; o++) {
			int k = (first + o * 7) % g->gates;
			bool dup = false;
			for (int q = 0; q < job->n_options; q++)
				dup = dup || job->options[q].gate == k;
			if (dup)
				continue;
			job->options[job->n_options].gate = k;
			job->options[job->n_options++].earliest = declared + (bf_time)travel[region][k % 16] * 3600;
		}
		job->slot = -1;
	}
	free(open_at);
	free(cap);
}

void plangen_free(struct bf_plan *p)
{
	free(p->slots);
	free(p->jobs);
	memset(p, 0, sizeof(*p));
}

static int cmp_slot(const void *a, const void *b)
{
	const struct bf_plan_slot *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->gate - y->gate;
}

void plangen_disrupt(const struct bf_plan *before, unsigned seed, struct bf_plan *after, bf_time *now, int *kind)
{
	unsigned s = seed * 2246822519u + 7;
	bf_time end = 0;
	for (size_t i = 0; i < before->n_slots; i++)
		if (before->slots[i].start > end)
			end = before->slots[i].start;
	int gate = pick(&s, before->n_gates), days = (int)(end / 86400) + 1;
	bf_time from = (bf_time)pick(&s, days * 24) * 3600, to = from + (bf_time)(2 + pick(&s, 30)) * 3600;
	*kind = pick(&s, 3);
	*now = (bf_time)pick(&s, days * 12) * 3600;
	/* Each slot tagged with its old index in CAPACITY's place while sorting. */
	size_t extra = *kind == 1 ? (size_t)days * 4 : 0;
	struct tagged {
		struct bf_plan_slot slot;
		int old;
	} *t = calloc(before->n_slots + extra + 1, sizeof(*t));
	size_t n = 0;
	for (size_t i = 0; i < before->n_slots; i++) {
		struct bf_plan_slot sl = before->slots[i];
		bool in = sl.gate == gate && sl.start >= from && sl.start < to;
		if (in && *kind == 0)
			continue;
		if (in && *kind == 1)
			sl.capacity += 1 + pick(&s, 3);
		if (in && *kind == 2) {
			sl.capacity += pick(&s, 3) - sl.capacity / 2 - pick(&s, 2);
			if (sl.capacity < 0)
				sl.capacity = 0;
		}
		t[n++] = (struct tagged){sl, (int)i};
	}
	if (*kind == 1) {
		/* Two more hours after the gate's day ends, every day. */
		bf_time last = 0;
		for (size_t i = 0; i < before->n_slots; i++)
			if (before->slots[i].gate == gate && before->slots[i].start % 86400 > last)
				last = before->slots[i].start % 86400;
		for (int d = 0; d < days; d++)
			for (int k = 1; k <= 4; k++)
				t[n++] =
				    (struct tagged){{gate, (bf_time)d * 86400 + last + k * 1800, 1 + pick(&s, 3)}, -1};
	}
	/* Stable by time, then gate: insertion sort, as plangen_make does. */
	for (size_t i = 1; i < n; i++) {
		struct tagged x = t[i];
		size_t j = i;
		while (j > 0 && cmp_slot(&t[j - 1].slot, &x.slot) > 0) {
			t[j] = t[j - 1];
			j--;
		}
		t[j] = x;
	}
	int *renumber = malloc((before->n_slots + 1) * sizeof(int));
	for (size_t i = 0; i < before->n_slots; i++)
		renumber[i] = -1;
	memset(after, 0, sizeof(*after));
	after->n_gates = before->n_gates;
	after->slots = calloc(n + 1, sizeof(*after->slots));
	for (size_t i = 0; i < n; i++) {
		after->slots[i] = t[i].slot;
		if (t[i].old >= 0)
			renumber[t[i].old] = (int)i;
	}
	after->n_slots = n;
	after->n_jobs = before->n_jobs;
	after->jobs = calloc(before->n_jobs + 1, sizeof(*after->jobs));
	memcpy(after->jobs, before->jobs, before->n_jobs * sizeof(*after->jobs));
	for (size_t j = 0; j < after->n_jobs; j++)
		after->jobs[j].slot = before->jobs[j].slot >= 0 ? renumber[before->jobs[j].slot] : -1;
	free(renumber);
	free(t);
}

/* The order bf_plan_rebook() keeps jobs in a slot under way by: the most
 * perishable, then the most valuable, then the first. */
static const struct bf_plan *by_deadline_plan;
static int by_deadline(const void *a, const void *b)
{
	const struct bf_plan_job *x = &by_deadline_plan->jobs[*(const int *)a],
	                         *y = &by_deadline_plan->jobs[*(const int *)b];
	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return *(const int *)a - *(const int *)b;
}

void plangen_rebook_view(const struct bf_plan *p, bf_time now, struct bf_plan *view)
{
	int *order = malloc((p->n_jobs + 1) * sizeof(int));
	bool *pinned = calloc(p->n_jobs + 1, sizeof(bool));
	size_t k = 0;
	*view = *p;
	view->slots = malloc((p->n_slots + 1) * sizeof(*p->slots));
	view->jobs = malloc((p->n_jobs + 1) * sizeof(*p->jobs));
	memcpy(view->slots, p->slots, p->n_slots * sizeof(*p->slots));
	for (size_t j = 0; j < p->n_jobs; j++) {
		const struct bf_plan_job *job = &p->jobs[j];
		const struct bf_plan_slot *held = job->slot >= 0 ? &p->slots[job->slot] : NULL;
		bool on_time = false;
		for (int o = 0; held && o < job->n_options; o++)
			on_time = on_time || (job->options[o].gate == held->gate &&
			                      held->start >= job->options[o].earliest && held->start <= job->deadline);
		if (on_time && held->start < now)
			order[k++] = (int)j;
	}
	/* Slots under way keep the jobs they hold on time, out of the instance. */
	by_deadline_plan = p;
	qsort(order, k, sizeof(int), by_deadline);
	for (size_t i = 0; i < k; i++) {
		struct bf_plan_slot *s = &view->slots[p->jobs[order[i]].slot];
		if (s->capacity > 0) {
			s->capacity--;
			pinned[order[i]] = true;
		}
	}
	view->n_jobs = 0;
	for (size_t j = 0; j < p->n_jobs; j++) {
		if (pinned[j])
			continue;
		struct bf_plan_job *job = &view->jobs[view->n_jobs++];
		*job = p->jobs[j];
		for (int o = 0; o < job->n_options; o++)
			if (job->options[o].earliest < now)
				job->options[o].earliest = now;
	}
	free(order);
	free(pinned);
}

int plangen_check(const struct bf_plan *p, char *why, size_t cap)
{
	int *used = calloc(p->n_slots ? p->n_slots : 1, sizeof(int));
	int rc = 0;
	for (size_t j = 0; j < p->n_jobs && rc == 0; j++) {
		const struct bf_plan_job *job = &p->jobs[j];
		if (job->slot < 0)
			continue;
		if ((size_t)job->slot >= p->n_slots) {
			snprintf(why, cap, "job %zu has slot %d of %zu", j, job->slot, p->n_slots);
			rc = -1;
			break;
		}
		const struct bf_plan_slot *s = &p->slots[job->slot];
		bool ok = false;
		for (int o = 0; o < job->n_options; o++)
			ok = ok || (job->options[o].gate == s->gate && s->start >= job->options[o].earliest);
		if (!ok) {
			snprintf(why, cap, "job %zu is in a slot of gate %d at %lld it cannot use", j, s->gate,
			         (long long)s->start);
			rc = -1;
		}
		if (++used[job->slot] > s->capacity) {
			snprintf(why, cap, "slot %d is over its capacity %d", job->slot, s->capacity);
			rc = -1;
		}
	}
	free(used);
	return rc;
}

struct vdata {
	double rhs;
};
struct adata {
	double low, cap, cost;
};

/* Classes of identical jobs: same value, deadline and options. */
static int same_job(const struct bf_plan_job *a, const struct bf_plan_job *b)
{
	if (a->value != b->value || a->deadline != b->deadline || a->n_options != b->n_options)
		return 0;
	for (int o = 0; o < a->n_options; o++) {
		if (a->options[o].gate != b->options[o].gate || a->options[o].earliest != b->options[o].earliest)
			return 0;
	}
	return 1;
}

static int cmp_job(const void *x, const void *y)
{
	const struct bf_plan_job *a = x, *b = y;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	if (a->n_options != b->n_options)
		return a->n_options - b->n_options;
	for (int o = 0; o < a->n_options; o++) {
		if (a->options[o].gate != b->options[o].gate)
			return a->options[o].gate - b->options[o].gate;
		if (a->options[o].earliest != b->options[o].earliest)
			return a->options[o].earliest < b->options[o].earliest ? -1 : 1;
	}
	return 0;
}

double plangen_optimum(const struct bf_plan *p, double *seconds, size_t *classes)
{
	struct timespec t0, t1;
	struct bf_plan_job *sorted = malloc((p->n_jobs ? p->n_jobs : 1) * sizeof(*sorted));
	int *count = malloc((p->n_jobs ? p->n_jobs : 1) * sizeof(int));
	size_t nc = 0;
	double total_value = 0, sol = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memcpy(sorted, p->jobs, p->n_jobs * sizeof(*sorted));
	qsort(sorted, p->n_jobs, sizeof(*sorted), cmp_job);
	for (size_t j = 0; j < p->n_jobs; j++) {
		total_value += sorted[j].value;
		if (nc > 0 && same_job(&sorted[nc - 1], &sorted[j])) {
			count[nc - 1]++;
		} else {
			sorted[nc] = sorted[j];
			count[nc++] = 1;
		}
	}
	/* Nodes: 1 source, classes, slots, spoil, sink (1-based in GLPK). */
	glp_graph *G = glp_create_graph(sizeof(struct vdata), sizeof(struct adata));
	int source = 1, first_class = 2, first_slot = first_class + (int)nc, spoil = first_slot + (int)p->n_slots,
	    sink = spoil + 1;
	glp_add_vertices(G, sink);
	((struct vdata *)G->v[source]->data)->rhs = (double)p->n_jobs;
	((struct vdata *)G->v[sink]->data)->rhs = -(double)p->n_jobs;
	for (size_t c = 0; c < nc; c++) {
		glp_arc *a = glp_add_arc(G, source, first_class + (int)c);
		*(struct adata *)a->data = (struct adata){0, count[c], 0};
		a = glp_add_arc(G, first_class + (int)c, spoil);
		*(struct adata *)a->data = (struct adata){0, count[c], sorted[c].value};
		for (size_t s = 0; s < p->n_slots; s++) {
			const struct bf_plan_slot *sl = &p->slots[s];
			if (sl->capacity <= 0 || sl->start > sorted[c].deadline)
				continue;
			for (int o = 0; o < sorted[c].n_options; o++) {
				if (sorted[c].options[o].gate == sl->gate &&
				    sl->start >= sorted[c].options[o].earliest) {
					a = glp_add_arc(G, first_class + (int)c, first_slot + (int)s);
					*(struct adata *)a->data = (struct adata){0, count[c], 0};
					break;
				}
			}
		}
	}
	for (size_t s = 0; s < p->n_slots; s++) {
		glp_arc *a = glp_add_arc(G, first_slot + (int)s, sink);
		*(struct adata *)a->data = (struct adata){0, p->slots[s].capacity, 0};
	}
	glp_arc *a = glp_add_arc(G, spoil, sink);
	*(struct adata *)a->data = (struct adata){0, (double)p->n_jobs, 0};
	glp_term_out(GLP_OFF);
	int rc = glp_mincost_okalg(G, offsetof(struct vdata, rhs), offsetof(struct adata, low),
	                           offsetof(struct adata, cap), offsetof(struct adata, cost), &sol, -1, -1);
	glp_delete_graph(G);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (seconds)
		*seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (classes)
		*classes = nc;
	free(sorted);
	free(count);
	(void)total_value;
	return rc == 0 ? sol : -1.0;
}
