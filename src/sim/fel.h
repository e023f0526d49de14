/* The future-event list every simulation here runs on: a binary heap of
 * (time, kind, subject) ordered by time, ties broken by the order in which
 * events were scheduled so that a run is reproducible to the bit. The
 * functions are inline: the list is the innermost loop of every run. */
#ifndef BF_SIM_FEL_H
#define BF_SIM_FEL_H

#include "model/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct bf_fel_event {
	double t;
	uint64_t seq;
	int kind;
	int32_t subject; /* what the event is about: a load, a gate; the caller's */
};

struct bf_fel {
	struct bf_fel_event *v;
	size_t n, cap;
	uint64_t seq;
};

static inline bool bf_fel_earlier(const struct bf_fel_event *a, const struct bf_fel_event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static inline void bf_fel_push(struct bf_fel *f, double t, int kind, int32_t subject)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->v = bf_xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	struct bf_fel_event e = {t, f->seq++, kind, subject};
	size_t i = f->n++;
	while (i > 0 && bf_fel_earlier(&e, &f->v[(i - 1) / 2])) {
		f->v[i] = f->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	f->v[i] = e;
}

/* Removes and returns the earliest event; the list must not be empty. */
static inline struct bf_fel_event bf_fel_pop(struct bf_fel *f)
{
	struct bf_fel_event top = f->v[0], last = f->v[--f->n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		const struct bf_fel_event *best = &last;
		if (l < f->n && bf_fel_earlier(&f->v[l], best)) {
			m = l;
			best = &f->v[l];
		}
		if (r < f->n && bf_fel_earlier(&f->v[r], best)) {
			m = r;
			best = &f->v[r];
		}
		if (m == i)
			break;
		f->v[i] = f->v[m];
		i = m;
	}
	if (f->n > 0)
		f->v[i] = last;
	return top;
}

static inline void bf_fel_free(struct bf_fel *f)
{
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

#endif
