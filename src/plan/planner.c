/* The slot planner.
 *
 * bf_plan_assign() works in three passes:
 * 1. Value: jobs are taken the most valuable first, and each is kept on
 *    time if any rearrangement of those already kept lets it in. That is
 *    the greedy algorithm on a transversal matroid (the sets of jobs that
 *    can all be on time at once), which is exact: it leaves the least
 *    value to spoil that any plan can. Whether a job fits is a search for
 *    an augmenting path: its window's slots, the jobs booked in them, their
 *    own windows, and so on, until a slot with a free place. A search that
 *    fails proves every slot it saw full for good (no path can ever leave
 *    them), so those slots are never searched again.
 * 2. Waiting: each job on time moves to the earliest free slot in its
 *    window, when one is earlier than its own.
 * 3. What still has no slot in time gets the earliest slot left after its
 *    arrival, marked late (it spoils), or none.
 * Free places in a range of slots are found with one segment tree per
 * gate, so each step costs O(log slots).
 *
 * bf_plan_rebook() starts from the bookings that still fit, a set that
 * can all be on time, and adds the others the most valuable first: each
 * by an augmenting path if one exists, else in place of the least valuable
 * job its paths reach (its circuit in the matroid), if that is worth less.
 * Begun from any independent set, that exchange keeps the most valuable
 * set of the jobs seen so far, so it ends as exact as pass 1, while a
 * booking moves only on a path that makes room or in a replacement. */
#include "plan/planner.h"

#include "model/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A segment tree node over a gate's slots, in time order. */
struct node {
	int max_free; /* most free places in one slot of the range */
};

struct gate {
	int n;          /* slots of this gate */
	int *slot;      /* position -> index into p->slots */
	bf_time *start; /* position -> start, for binary search */
	int size;       /* leaves of the tree, a power of two */
	struct node *tree;
};

struct ctx {
	struct bf_plan *p;
	struct gate *gates;
	int *pos;    /* slot -> position within its gate */
	int *used;   /* slot -> jobs booked */
	int *first;  /* slot -> offset of its list in BOOKED */
	int *booked; /* lists of booked jobs, capacity entries a slot */
	int *where;  /* job -> index of its entry in BOOKED, or -1 */
	int *win;    /* job * BF_PLAN_MAX_OPTIONS + option -> on-time window, lo and hi */
	bool late;   /* the value pass books each job as late as it can (see free_for) */
};

static int first_at_or_after(const struct gate *g, bf_time t)
{
	int lo = 0, hi = g->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (g->start[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int last_at_or_before(const struct gate *g, bf_time t)
{
	int lo = 0, hi = g->n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (g->start[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

static struct node leaf(const struct ctx *c, int s)
{
	return (struct node){c->p->slots[s].capacity - c->used[s]};
}

static struct node join(struct node a, struct node b)
{
	return (struct node){a.max_free > b.max_free ? a.max_free : b.max_free};
}

static void refresh(struct ctx *c, int s)
{
	struct gate *g = &c->gates[c->p->slots[s].gate];
	int i = g->size + c->pos[s];
	g->tree[i] = leaf(c, s);
	for (i /= 2; i >= 1; i /= 2)
		g->tree[i] = join(g->tree[2 * i], g->tree[2 * i + 1]);
}

static int first_free_in(const struct gate *g, int i, int l, int r, int lo, int hi)
{
	if (r < lo || l > hi || g->tree[i].max_free <= 0)
		return -1;
	if (l == r)
		return l;
	int m = l + (r - l) / 2, x = first_free_in(g, 2 * i, l, m, lo, hi);
	return x >= 0 ? x : first_free_in(g, 2 * i + 1, m + 1, r, lo, hi);
}

/* Leftmost position in [LO, HI] with a free place, or -1. */
static int first_free(const struct gate *g, int lo, int hi)
{
	if (lo > hi || g->n == 0)
		return -1;
	return first_free_in(g, 1, 0, g->size - 1, lo, hi);
}

static void book(struct ctx *c, int j, int s)
{
	int k = c->first[s] + c->used[s]++;
	c->booked[k] = j;
	c->where[j] = k;
	c->p->jobs[j].slot = s;
	refresh(c, s);
}

static void unbook(struct ctx *c, int j)
{
	int s = c->p->jobs[j].slot, k = c->where[j];
	int last = c->first[s] + --c->used[s];
	c->booked[k] = c->booked[last];
	c->where[c->booked[k]] = k;
	c->where[j] = -1;
	c->p->jobs[j].slot = -1;
	refresh(c, s);
}

/* FLOOR: no window opens before it (the rebooking's NOW). */
static int ctx_init(struct ctx *c, struct bf_plan *p, bf_time floor)
{
	size_t total = 0;
	memset(c, 0, sizeof(*c));
	c->p = p;
	for (size_t s = 0; s < p->n_slots; s++) {
		if (p->slots[s].gate < 0 || p->slots[s].gate >= p->n_gates || p->slots[s].capacity < 0 ||
		    (s > 0 && p->slots[s].start < p->slots[s - 1].start))
			return BF_EINVAL;
		total += (size_t)p->slots[s].capacity;
	}
	for (size_t j = 0; j < p->n_jobs; j++) {
		if (p->jobs[j].n_options < 0 || p->jobs[j].n_options > BF_PLAN_MAX_OPTIONS)
			return BF_EINVAL;
		for (int o = 0; o < p->jobs[j].n_options; o++) {
			if (p->jobs[j].options[o].gate < 0 || p->jobs[j].options[o].gate >= p->n_gates)
				return BF_EINVAL;
		}
	}
	c->gates = bf_xcalloc((size_t)p->n_gates, sizeof(*c->gates));
	c->pos = bf_xcalloc(p->n_slots, sizeof(int));
	c->used = bf_xcalloc(p->n_slots, sizeof(int));
	c->first = bf_xcalloc(p->n_slots, sizeof(int));
	c->booked = bf_xcalloc(total, sizeof(int));
	c->where = bf_xmalloc((p->n_jobs ? p->n_jobs : 1) * sizeof(int));
	for (size_t j = 0; j < p->n_jobs; j++)
		c->where[j] = -1;
	for (size_t s = 0, off = 0; s < p->n_slots; s++) {
		c->first[s] = (int)off;
		off += (size_t)p->slots[s].capacity;
		c->gates[p->slots[s].gate].n++;
	}
	for (int g = 0; g < p->n_gates; g++) {
		struct gate *gt = &c->gates[g];
		gt->slot = bf_xmalloc(((size_t)gt->n + 1) * sizeof(int));
		gt->start = bf_xmalloc(((size_t)gt->n + 1) * sizeof(bf_time));
		for (gt->size = 1; gt->size < gt->n; gt->size *= 2)
			;
		gt->tree = bf_xmalloc(2 * (size_t)gt->size * sizeof(struct node));
		for (int i = 0; i < 2 * gt->size; i++)
			gt->tree[i] = (struct node){0};
		gt->n = 0;
	}
	for (size_t s = 0; s < p->n_slots; s++) {
		struct gate *gt = &c->gates[p->slots[s].gate];
		c->pos[s] = gt->n;
		gt->slot[gt->n] = (int)s;
		gt->start[gt->n++] = p->slots[s].start;
	}
	for (size_t s = 0; s < p->n_slots; s++)
		c->gates[p->slots[s].gate].tree[c->gates[p->slots[s].gate].size + c->pos[s]] = leaf(c, (int)s);
	for (int g = 0; g < p->n_gates; g++) {
		struct gate *gt = &c->gates[g];
		for (int i = gt->size - 1; i >= 1; i--)
			gt->tree[i] = join(gt->tree[2 * i], gt->tree[2 * i + 1]);
	}
	/* Each option's on-time window, found once: searches ask for it often. */
	c->win = bf_xmalloc((p->n_jobs ? p->n_jobs : 1) * BF_PLAN_MAX_OPTIONS * 2 * sizeof(int));
	for (size_t j = 0; j < p->n_jobs; j++) {
		const struct bf_plan_job *job = &p->jobs[j];
		for (int o = 0; o < job->n_options; o++) {
			const struct gate *gt = &c->gates[job->options[o].gate];
			int *w = &c->win[(j * BF_PLAN_MAX_OPTIONS + (size_t)o) * 2];
			w[0] =
			    first_at_or_after(gt, job->options[o].earliest > floor ? job->options[o].earliest : floor);
			w[1] = last_at_or_before(gt, job->deadline);
		}
	}
	return BF_OK;
}

static void ctx_free(struct ctx *c)
{
	for (int g = 0; c->gates && g < c->p->n_gates; g++) {
		free(c->gates[g].slot);
		free(c->gates[g].start);
		free(c->gates[g].tree);
	}
	free(c->gates);
	free(c->pos);
	free(c->used);
	free(c->first);
	free(c->booked);
	free(c->where);
	free(c->win);
}

/* The earliest free slot for job J starting no sooner than its arrival
 * (and NOT_BEFORE) and, when ON_TIME, no later than its deadline. */
static int earliest_free(struct ctx *c, int j, bf_time not_before, bool on_time)
{
	const struct bf_plan_job *job = &c->p->jobs[j];
	int best = -1;
	for (int o = 0; o < job->n_options; o++) {
		const struct gate *g = &c->gates[job->options[o].gate];
		bf_time from = job->options[o].earliest > not_before ? job->options[o].earliest : not_before;
		int lo = first_at_or_after(g, from);
		int hi = on_time ? last_at_or_before(g, job->deadline) : g->n - 1;
		int at = first_free(g, lo, hi);
		if (at >= 0 && (best < 0 || c->p->slots[g->slot[at]].start < c->p->slots[best].start))
			best = g->slot[at];
	}
	return best;
}

/* Sort keys, so that no comparison needs global state. */
struct key {
	bf_time deadline;
	double value;
	int job;
};

/* The most valuable first. Between equals the order does not change the
 * value kept on time, but it changes the work: the least perishable first
 * take the early places, and a perishable load that comes later finds a
 * short path that pushes one of them on, into a later slot it still
 * meets its deadline in (measured: a fifth less time, and less waiting,
 * than the most perishable first). */
static int cmp_value_desc(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? 1 : -1;
	return (x->job > y->job) - (x->job < y->job);
}

/* The most valuable first; between equals, the most perishable, which
 * then take the nearest places themselves rather than by a path. */
static int cmp_value_desc_perishable(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	return (x->job > y->job) - (x->job < y->job);
}

/* The most perishable first; between equals, the more valuable. */
static int cmp_deadline(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return (x->job > y->job) - (x->job < y->job);
}

/* Sorts the job numbers in ORDER by CMP. */
static void sort_jobs(const struct bf_plan *p, int *order, size_t n, int (*cmp)(const void *, const void *))
{
	struct key *k = bf_xmalloc((n ? n : 1) * sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = (struct key){p->jobs[order[i]].deadline, p->jobs[order[i]].value, order[i]};
	qsort(k, n, sizeof(*k), cmp);
	for (size_t i = 0; i < n; i++)
		order[i] = k[i].job;
	free(k);
}

/* ---- pass 1: value, by augmenting paths ---- */

/* Per-gate bookkeeping of the search: which slots are dead (full for
 * good), and which this search has seen. Both skip forward with
 * union-find links; the "seen" links are valid only under this search's
 * stamp, so they need no clearing between searches. */
struct search {
	int **free_next; /* gate -> position -> next position that may have a free place */
	int **free_prev; /* gate -> position + 1 -> position + 1 of the previous one; 0: none */
	int **dead_next; /* gate -> position -> next position that may be alive */
	int **seen_next;
	unsigned **seen_stamp;
	unsigned stamp;
	int *parent;  /* slot -> job whose window reached it, or -1 for the root */
	int *queue;   /* slots to expand */
	int *visited; /* slots seen by this search */
	size_t n_visited;
};

static int dead_find(int *next, int pos)
{
	int root = pos;
	while (next[root] != root)
		root = next[root];
	while (next[pos] != root) {
		int up = next[pos];
		next[pos] = root;
		pos = up;
	}
	return root;
}

/* The first position from POS on that is neither dead nor seen. */
static int next_open(struct search *sr, int g, int pos)
{
	int *seen = sr->seen_next[g];
	unsigned *stamp = sr->seen_stamp[g];
	for (;;) {
		pos = dead_find(sr->dead_next[g], pos);
		if (stamp[pos] != sr->stamp)
			return pos;
		/* Follow the seen links, compressing as we go. */
		int root = pos;
		while (stamp[root] == sr->stamp)
			root = seen[root];
		while (pos != root && stamp[pos] == sr->stamp) {
			int up = seen[pos];
			seen[pos] = root;
			pos = up;
		}
		pos = root;
	}
}

static void search_init(struct search *sr, const struct ctx *c)
{
	const struct bf_plan *p = c->p;
	memset(sr, 0, sizeof(*sr));
	sr->free_next = bf_xcalloc((size_t)p->n_gates, sizeof(int *));
	sr->free_prev = bf_xcalloc((size_t)p->n_gates, sizeof(int *));
	sr->dead_next = bf_xcalloc((size_t)p->n_gates, sizeof(int *));
	sr->seen_next = bf_xcalloc((size_t)p->n_gates, sizeof(int *));
	sr->seen_stamp = bf_xcalloc((size_t)p->n_gates, sizeof(unsigned *));
	for (int g = 0; g < p->n_gates; g++) {
		int n = c->gates[g].n;
		/* One extra position, always open, ends every walk. */
		sr->dead_next[g] = bf_xmalloc(((size_t)n + 1) * sizeof(int));
		sr->free_next[g] = bf_xmalloc(((size_t)n + 1) * sizeof(int));
		sr->free_prev[g] = bf_xmalloc(((size_t)n + 1) * sizeof(int));
		sr->seen_next[g] = bf_xmalloc(((size_t)n + 1) * sizeof(int));
		sr->seen_stamp[g] = bf_xcalloc((size_t)n + 1, sizeof(unsigned));
		for (int i = 0; i <= n; i++) {
			sr->dead_next[g][i] = i;
			sr->free_next[g][i] =
			    i < n && c->used[c->gates[g].slot[i]] >= p->slots[c->gates[g].slot[i]].capacity ? i + 1 : i;
			/* Position i - 1 at index i; index 0 ends every walk back. */
			sr->free_prev[g][i] =
			    i > 0 && c->used[c->gates[g].slot[i - 1]] >= p->slots[c->gates[g].slot[i - 1]].capacity
			        ? i - 1
			        : i;
		}
	}
	sr->parent = bf_xmalloc((p->n_slots ? p->n_slots : 1) * sizeof(int));
	sr->queue = bf_xmalloc((p->n_slots ? p->n_slots : 1) * sizeof(int));
	sr->visited = bf_xmalloc((p->n_slots ? p->n_slots : 1) * sizeof(int));
}

static void search_free(struct search *sr, int n_gates)
{
	for (int g = 0; g < n_gates; g++) {
		free(sr->free_next[g]);
		free(sr->free_prev[g]);
		free(sr->dead_next[g]);
		free(sr->seen_next[g]);
		free(sr->seen_stamp[g]);
	}
	free(sr->free_next);
	free(sr->free_prev);
	free(sr->dead_next);
	free(sr->seen_next);
	free(sr->seen_stamp);
	free(sr->parent);
	free(sr->queue);
	free(sr->visited);
}

/* The on-time window of option O of job J at its gate: [*LO, *HI]. */
static void window(const struct ctx *c, int j, int o, int *lo, int *hi)
{
	const int *w = &c->win[((size_t)j * BF_PLAN_MAX_OPTIONS + (size_t)o) * 2];
	*lo = w[0];
	*hi = w[1];
}

/* A free place for job J in its windows, nearest the start of each: the
 * earliest of them, or -1. */
static int free_in_windows(const struct ctx *c, int j)
{
	const struct bf_plan_job *job = &c->p->jobs[j];
	int best = -1;
	for (int o = 0; o < job->n_options; o++) {
		int lo, hi;
		const struct gate *g = &c->gates[job->options[o].gate];
		window(c, j, o, &lo, &hi);
		int at = first_free(g, lo, hi);
		if (at >= 0 && (best < 0 || c->p->slots[g->slot[at]].start < c->p->slots[best].start))
			best = g->slot[at];
	}
	return best;
}

/* In the first pass free places only ever fill, so the next (or last)
 * free place of a window is a union-find walk: near constant time.
 *
 * By default the pass books the earliest free place, which leaves the
 * second pass little to move (bench/plan_bench: 8 times faster than
 * late). With pack_late it books each job as late as its window allows,
 * keeping early places for the loads that come after with nearer
 * deadlines: fewer and shorter augmenting paths where the early places
 * are fought over (a season's backlog in the simulator: 4 times faster).
 * Either way the value kept is the same: which place a job holds does not
 * change which sets of jobs fit. */
static int free_for(struct search *sr, const struct ctx *c, int j)
{
	const struct bf_plan_job *job = &c->p->jobs[j];
	int best = -1;
	for (int o = 0; o < job->n_options; o++) {
		int g = job->options[o].gate, lo, hi;
		window(c, j, o, &lo, &hi);
		if (lo > hi)
			continue;
		int at = c->late ? dead_find(sr->free_prev[g], hi + 1) - 1 : dead_find(sr->free_next[g], lo);
		if (at < lo || at > hi)
			continue;
		int s = c->gates[g].slot[at];
		if (best < 0 || (c->late ? c->p->slots[s].start > c->p->slots[best].start
		                         : c->p->slots[s].start < c->p->slots[best].start))
			best = s;
	}
	return best;
}

static void took_place(struct search *sr, const struct ctx *c, int s)
{
	if (c->used[s] >= c->p->slots[s].capacity) {
		int g = c->p->slots[s].gate, pos = c->pos[s];
		sr->free_next[g][pos] = pos + 1;
		sr->free_prev[g][pos + 1] = pos;
	}
}

/* True when some window of job J holds a slot neither seen nor dead. */
static bool opens_up(struct search *sr, const struct ctx *c, int j)
{
	const struct bf_plan_job *job = &c->p->jobs[j];
	for (int o = 0; o < job->n_options; o++) {
		int lo, hi;
		window(c, j, o, &lo, &hi);
		if (lo <= hi && next_open(sr, job->options[o].gate, lo) <= hi)
			return true;
	}
	return false;
}

/* Marks the open slots of job J's windows seen, with J as their parent,
 * and queues the full ones. Returns the first with a free place it meets,
 * or -1: there the search ends. */
static int reach(struct search *sr, struct ctx *c, int j, size_t *tail)
{
	const struct bf_plan_job *job = &c->p->jobs[j];
	for (int o = 0; o < job->n_options; o++) {
		int g = job->options[o].gate, lo, hi;
		window(c, j, o, &lo, &hi);
		for (int pos = next_open(sr, g, lo); pos <= hi; pos = next_open(sr, g, pos)) {
			int s = c->gates[g].slot[pos];
			sr->seen_stamp[g][pos] = sr->stamp;
			sr->seen_next[g][pos] = pos + 1;
			sr->parent[s] = j;
			sr->visited[sr->n_visited++] = s;
			if (c->used[s] < c->p->slots[s].capacity)
				return s;
			sr->queue[(*tail)++] = s;
		}
	}
	return -1;
}

/* Books ROOT on time if some rearrangement of the bookings lets it in;
 * returns whether it did. */
static bool augment(struct search *sr, struct ctx *c, int root)
{
	int f = free_for(sr, c, root);
	if (f >= 0) {
		book(c, root, f);
		took_place(sr, c, f);
		return true;
	}
	size_t head = 0, tail = 0;
	sr->stamp++;
	sr->n_visited = 0;
	reach(sr, c, root, &tail);
	while (head < tail) {
		int s = sr->queue[head++];
		for (int k = 0; k < c->used[s]; k++) {
			int x = c->booked[c->first[s] + k];
			/* A job whose windows hold nothing unseen leads nowhere new:
			 * what is seen is full. */
			if (!opens_up(sr, c, x))
				continue;
			if ((f = free_for(sr, c, x)) < 0) {
				reach(sr, c, x, &tail);
				continue;
			}
			/* Shift along the path: X to the free slot, then each parent
			 * into the place its child left, up to the root. Only the
			 * free slot ends with one more booking. */
			int end = f;
			for (;;) {
				int from = c->p->jobs[x].slot;
				if (from >= 0)
					unbook(c, x);
				book(c, x, f);
				if (from < 0) {
					took_place(sr, c, end);
					return true;
				}
				f = from;
				x = sr->parent[from];
			}
		}
	}
	/* Every slot seen is full, and every job booked there can only use
	 * slots seen: no path will ever get out, so they are dead. */
	for (size_t i = 0; i < sr->n_visited; i++) {
		int s = sr->visited[i], g = c->p->slots[s].gate, pos = c->pos[s];
		sr->dead_next[g][pos] = pos + 1;
	}
	return false;
}

static void keep_most_valuable(struct ctx *c)
{
	struct bf_plan *p = c->p;
	struct search sr;
	int *order = bf_xmalloc((p->n_jobs ? p->n_jobs : 1) * sizeof(int));
	size_t n = 0;
	for (size_t j = 0; j < p->n_jobs; j++)
		order[n++] = (int)j;
	sort_jobs(p, order, n, cmp_value_desc);
	search_init(&sr, c);
	for (size_t i = 0; i < n; i++)
		augment(&sr, c, order[i]);
	search_free(&sr, p->n_gates);
	free(order);
}

/* ---- pass 2: waiting ---- */

/* True when slot S is the first slot of any of job J's windows: it cannot
 * wait less. */
static bool at_earliest(const struct ctx *c, int j, int s)
{
	const struct bf_plan_job *job = &c->p->jobs[j];
	bf_time start = c->p->slots[s].start;
	for (int o = 0; o < job->n_options; o++) {
		int lo, hi;
		window(c, j, o, &lo, &hi);
		if (lo <= hi && c->p->slots[c->gates[job->options[o].gate].slot[lo]].start < start)
			return false;
	}
	return true;
}

/* Moves each booked job to the earliest free slot in its windows when
 * that is earlier than its own; a few rounds, as moves free places. */
static void shorten_waits(struct ctx *c)
{
	struct bf_plan *p = c->p;
	for (int round = 0; round < 3; round++) {
		size_t moves = 0;
		for (size_t s = 0; s < p->n_slots; s++) {
			for (int k = c->used[s] - 1; k >= 0; k--) {
				int j = c->booked[c->first[s] + k];
				if (at_earliest(c, j, (int)s))
					continue;
				int f = free_in_windows(c, j);
				if (f >= 0 && p->slots[f].start < p->slots[s].start) {
					unbook(c, j);
					book(c, j, f);
					moves++;
				}
			}
		}
		if (moves == 0)
			break;
	}
}

/* ---- pass 3: what is late ---- */

static void place_late(struct ctx *c, int *order, size_t n, bf_time not_before)
{
	for (size_t i = 0; i < n; i++) {
		int j = order[i];
		int s = earliest_free(c, j, not_before, false);
		if (s >= 0)
			book(c, j, s);
	}
}

void bf_plan_measure(const struct bf_plan *p, struct bf_plan_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (size_t j = 0; j < p->n_jobs; j++) {
		struct bf_plan_job *job = &p->jobs[j];
		if (job->slot < 0) {
			st->unplaced++;
			st->spoiled_value += job->value;
			job->late = false;
			continue;
		}
		const struct bf_plan_slot *s = &p->slots[job->slot];
		job->late = s->start > job->deadline;
		if (job->late) {
			st->late++;
			st->spoiled_value += job->value;
			continue;
		}
		st->on_time++;
		for (int o = 0; o < job->n_options; o++) {
			if (job->options[o].gate == s->gate) {
				st->waiting_hours += (double)(s->start - job->options[o].earliest) / 3600.0;
				break;
			}
		}
		st->moved += job->moved;
	}
}

int bf_plan_assign(struct bf_plan *p, struct bf_plan_stats *stats)
{
	struct ctx c;
	int rc;
	for (size_t j = 0; j < p->n_jobs; j++) {
		p->jobs[j].slot = -1;
		p->jobs[j].moved = p->jobs[j].late = false;
	}
	if ((rc = ctx_init(&c, p, INT64_MIN)) != 0) {
		ctx_free(&c);
		return rc;
	}
	c.late = p->pack_late;
	keep_most_valuable(&c);
	shorten_waits(&c);
	int *order = bf_xmalloc((p->n_jobs ? p->n_jobs : 1) * sizeof(int));
	size_t n = 0;
	for (size_t j = 0; j < p->n_jobs; j++) {
		if (p->jobs[j].slot < 0)
			order[n++] = (int)j;
	}
	sort_jobs(p, order, n, cmp_value_desc);
	place_late(&c, order, n, 0);
	free(order);
	ctx_free(&c);
	if (stats)
		bf_plan_measure(p, stats);
	return BF_OK;
}

/* ---- rebooking ---- */

/* The jobs' distinct values, least first, and how many jobs of each hold
 * a place: the least value booked anywhere, in constant time but for a
 * walk up when its last job leaves. */
struct values {
	double *value; /* distinct, ascending */
	int *rank;     /* job -> index into VALUE */
	int *booked;   /* rank -> jobs of that value booked */
	size_t n, least;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Jobs share a handful of values (a load's worth follows its commodity
 * and weight): they are told apart by an open hash, not a sort of all. */
static size_t value_hash(double x, size_t mask)
{
	uint64_t bits;
	memcpy(&bits, &x, sizeof(bits));
	bits ^= bits >> 33;
	bits *= 0xff51afd7ed558ccdULL;
	bits ^= bits >> 33;
	return (size_t)bits & mask;
}

static void values_init(struct values *v, const struct bf_plan *p)
{
	size_t size = 16;
	while (size < 2 * p->n_jobs)
		size *= 2;
	int *table = bf_xmalloc(size * sizeof(int)); /* -1, or a job of that value */
	for (size_t i = 0; i < size; i++)
		table[i] = -1;
	v->value = bf_xmalloc((p->n_jobs ? p->n_jobs : 1) * sizeof(double));
	v->rank = bf_xmalloc((p->n_jobs ? p->n_jobs : 1) * sizeof(int));
	v->n = 0;
	for (size_t j = 0; j < p->n_jobs; j++) {
		size_t h = value_hash(p->jobs[j].value, size - 1);
		while (table[h] >= 0 && p->jobs[table[h]].value != p->jobs[j].value)
			h = (h + 1) & (size - 1);
		if (table[h] < 0) {
			table[h] = (int)j;
			v->value[v->n++] = p->jobs[j].value;
		}
	}
	qsort(v->value, v->n, sizeof(double), cmp_double);
	for (size_t j = 0; j < p->n_jobs; j++) {
		size_t lo = 0, hi = v->n;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (v->value[mid] <= p->jobs[j].value)
				lo = mid;
			else
				hi = mid;
		}
		v->rank[j] = (int)lo;
	}
	free(table);
	v->booked = bf_xcalloc(v->n ? v->n : 1, sizeof(int));
	v->least = v->n;
}

static void values_count(struct values *v, int j, int delta)
{
	size_t r = (size_t)v->rank[j];
	v->booked[r] += delta;
	if (delta > 0 && r < v->least)
		v->least = r;
	while (v->least < v->n && v->booked[v->least] == 0)
		v->least++;
}

static void values_free(struct values *v)
{
	free(v->value);
	free(v->rank);
	free(v->booked);
}

/* The first position of gate G from POS on that this search has not seen
 * (dead ones included: they hold no free place, but jobs to replace). */
static int next_unseen(struct search *sr, int g, int pos)
{
	int *seen = sr->seen_next[g];
	unsigned *stamp = sr->seen_stamp[g];
	int root = pos;
	while (stamp[root] == sr->stamp)
		root = seen[root];
	while (pos != root) {
		int up = seen[pos];
		seen[pos] = root;
		pos = up;
	}
	return root;
}

/* Queues the unseen slots of job J's windows, with J as their parent. */
static void reach_all(struct search *sr, const struct ctx *c, int j, size_t *tail)
{
	const struct bf_plan_job *job = &c->p->jobs[j];
	for (int o = 0; o < job->n_options; o++) {
		int g = job->options[o].gate, lo, hi;
		window(c, j, o, &lo, &hi);
		for (int pos = next_unseen(sr, g, lo); pos <= hi; pos = next_unseen(sr, g, pos)) {
			int s = c->gates[g].slot[pos];
			sr->seen_stamp[g][pos] = sr->stamp;
			sr->seen_next[g][pos] = pos + 1;
			sr->parent[s] = j;
			sr->queue[(*tail)++] = s;
		}
	}
}

/* Job X found no free place. The jobs booked in the slots its windows
 * reach, and in the slots theirs reach, and so on, are those it can
 * replace: each moves into the place the next one leaves, and the last
 * gives its place up (the circuit X closes in the matroid of jobs that
 * can be on time together). If the least valuable of them is worth less
 * than X, X takes its place and it loses its slot; the search stops at
 * the first job of the least value booked anywhere. Returns whether X
 * was booked. */
static bool replace_cheapest(struct search *sr, struct ctx *c, struct values *v, int x)
{
	const struct bf_plan_job *jobs = c->p->jobs;
	if (v->least >= v->n || v->value[v->least] >= jobs[x].value)
		return false;
	size_t head = 0, tail = 0;
	int best = -1, at = -1;
	sr->stamp++;
	reach_all(sr, c, x, &tail);
	while (head < tail) {
		int s = sr->queue[head++];
		for (int k = 0; k < c->used[s]; k++) {
			int y = c->booked[c->first[s] + k];
			if (best < 0 || jobs[y].value < jobs[best].value) {
				best = y;
				at = s;
			}
		}
		if (best >= 0 && v->rank[best] == (int)v->least)
			break;
		for (int k = 0; k < c->used[s]; k++)
			reach_all(sr, c, c->booked[c->first[s] + k], &tail);
	}
	if (best < 0 || jobs[best].value >= jobs[x].value)
		return false;
	/* BEST leaves; each parent along the path moves into the place its
	 * child left, up to X, which had none. */
	unbook(c, best);
	values_count(v, best, -1);
	for (int f = at, z = sr->parent[at];;) {
		int from = jobs[z].slot;
		if (from >= 0)
			unbook(c, z);
		book(c, z, f);
		if (from < 0)
			break;
		f = from;
		z = sr->parent[from];
	}
	values_count(v, x, +1);
	return true;
}

/* True when job J may start in slot S on time from its option's EARLIEST. */
static bool on_time_in(const struct bf_plan *p, const struct bf_plan_job *j, int s)
{
	for (int o = 0; o < j->n_options; o++)
		if (j->options[o].gate == p->slots[s].gate && p->slots[s].start >= j->options[o].earliest &&
		    p->slots[s].start <= j->deadline)
			return true;
	return false;
}

/* Rebooks C's plan from the slots in HELD (-1: none), kept where they
 * are while their slots have room. */
static void rebook_from(struct ctx *c, const int *held)
{
	struct bf_plan *p = c->p;
	struct search sr;
	struct values v;
	size_t n = p->n_jobs ? p->n_jobs : 1;
	/* Every job keeps the slot it holds on time while the slot has room:
	 * in a slot that shrank, the most perishable stay. Only those need
	 * sorting. */
	int *order = bf_xmalloc(n * sizeof(int)), *claims = bf_xcalloc(p->n_slots ? p->n_slots : 1, sizeof(int));
	size_t k = 0;
	values_init(&v, p);
	for (size_t j = 0; j < p->n_jobs; j++)
		if (held[j] >= 0)
			claims[held[j]]++;
	for (size_t j = 0; j < p->n_jobs; j++) {
		if (held[j] < 0)
			continue;
		if (claims[held[j]] <= p->slots[held[j]].capacity) {
			book(c, (int)j, held[j]);
			values_count(&v, (int)j, +1);
		} else {
			order[k++] = (int)j;
		}
	}
	free(claims);
	sort_jobs(p, order, k, cmp_deadline);
	for (size_t i = 0; i < k; i++) {
		int j = order[i];
		if (c->used[held[j]] < p->slots[held[j]].capacity) {
			book(c, j, held[j]);
			values_count(&v, j, +1);
		}
	}
	/* Then the others, the most valuable first: each takes a free place if
	 * some rearrangement frees one in time for it, else the place of the
	 * least valuable load it can replace, if that is worth less. Kept
	 * value only grows by that exchange, and ends the most any plan keeps
	 * (the greedy on a matroid, begun from a set that is independent). */
	k = 0;
	for (size_t j = 0; j < p->n_jobs; j++)
		if (p->jobs[j].slot < 0)
			order[k++] = (int)j;
	sort_jobs(p, order, k, cmp_value_desc_perishable);
	c->late = false;
	search_init(&sr, c);
	for (size_t i = 0; i < k; i++) {
		int x = order[i];
		if (augment(&sr, c, x))
			values_count(&v, x, +1);
		else
			replace_cheapest(&sr, c, &v, x);
	}
	search_free(&sr, p->n_gates);
	values_free(&v);
	free(order);
}

int bf_plan_rebook(struct bf_plan *p, bf_time now, struct bf_plan_stats *stats)
{
	struct ctx c;
	int rc;
	size_t n = p->n_jobs ? p->n_jobs : 1;
	int *held = bf_xmalloc(n * sizeof(int)), *was = bf_xmalloc(n * sizeof(int)),
	    *order = bf_xmalloc(n * sizeof(int));
	int *pinned = bf_xcalloc(p->n_slots ? p->n_slots : 1, sizeof(int));
	int *n_given = bf_xmalloc(n * sizeof(int));
	size_t k = 0;
	for (size_t j = 0; j < p->n_jobs; j++) {
		struct bf_plan_job *job = &p->jobs[j];
		was[j] = held[j] = job->slot >= 0 && (size_t)job->slot < p->n_slots ? job->slot : -1;
		if (held[j] >= 0 &&
		    (job->n_options < 0 || job->n_options > BF_PLAN_MAX_OPTIONS || !on_time_in(p, job, held[j])))
			held[j] = -1;
		if (held[j] >= 0 && p->slots[held[j]].start < now)
			pinned[held[j]]++;
	}
	/* A slot that began before NOW is under way: the jobs it holds on time
	 * stay, the most perishable first where it shrank, and are left out of
	 * the rest, which is planned from NOW on. */
	for (size_t j = 0; j < p->n_jobs; j++)
		if (held[j] >= 0 && p->slots[held[j]].start < now && pinned[held[j]] > p->slots[held[j]].capacity)
			order[k++] = (int)j;
	for (size_t i = 0; i < k; i++)
		pinned[held[order[i]]] = 0; /* counted again below, in order */
	sort_jobs(p, order, k, cmp_deadline);
	for (size_t i = 0; i < k; i++) {
		int j = order[i], s = held[j];
		if (p->slots[s].capacity - pinned[s] > 0)
			pinned[s]++;
		else
			held[j] = -1;
	}
	for (size_t s = 0; s < p->n_slots; s++)
		p->slots[s].capacity -= pinned[s];
	for (size_t j = 0; j < p->n_jobs; j++) {
		struct bf_plan_job *job = &p->jobs[j];
		n_given[j] = job->n_options;
		job->slot = -1;
		job->moved = job->late = false;
		if (held[j] >= 0 && p->slots[held[j]].start < now) {
			job->n_options = 0; /* out of the plan while it runs */
			held[j] = -1;
		}
	}
	if ((rc = ctx_init(&c, p, now)) == 0)
		rebook_from(&c, held);
	ctx_free(&c);
	for (size_t s = 0; s < p->n_slots; s++)
		p->slots[s].capacity += pinned[s];
	for (size_t j = 0; j < p->n_jobs; j++) {
		struct bf_plan_job *job = &p->jobs[j];
		if (job->n_options != n_given[j]) {
			job->slot = was[j]; /* under way, pinned */
			job->n_options = n_given[j];
		}
		if (rc == BF_OK)
			job->moved = job->slot != was[j];
		else
			job->slot = was[j];
	}
	free(n_given);
	free(held);
	free(was);
	free(order);
	free(pinned);
	if (rc == BF_OK && stats) {
		bf_plan_measure(p, stats);
		stats->moved = 0;
		for (size_t j = 0; j < p->n_jobs; j++)
			stats->moved += p->jobs[j].moved;
	}
	return rc;
}
