/* When each step of a load at a gate may be taken (plan/window.h). */
#include "plan/window.h"

#include <stdio.h>
#include <string.h>

int bf_window_step_of(enum bf_state to)
{
	switch (to) {
	case BF_ST_CALLED:
		return BF_WINDOW_CALL;
	case BF_ST_EXPORT_CLEARED:
	case BF_ST_HELD:
		return BF_WINDOW_EXPORT;
	case BF_ST_INSPECTION:
	case BF_ST_IMPORT_CLEARED:
	case BF_ST_REFUSED:
		return BF_WINDOW_IMPORT;
	case BF_ST_CROSSED:
	case BF_ST_RETURNED:
		return BF_WINDOW_CROSS;
	default:
		return -1;
	}
}

/* L = L ∩ [FROM, TO). */
static void clip(struct bf_intervals *l, bf_time from, bf_time to)
{
	size_t w = 0;
	for (size_t i = 0; i < l->n; i++) {
		bf_time s = l->v[i].start < from ? from : l->v[i].start;
		bf_time e = l->v[i].end > to ? to : l->v[i].end;
		if (e > s)
			l->v[w++] = (struct bf_interval){s, e};
	}
	l->n = w;
}

/* The span of L that holds T, else the first after it. */
static void verdict_from(const struct bf_intervals *l, bf_time t, struct bf_window_verdict *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].end <= t)
			continue;
		out->open = l->v[i].start <= t;
		out->span = l->v[i];
		return;
	}
	out->open = false;
	out->span = (struct bf_interval){0, 0};
}

void bf_window_check(const struct bf_gate_pair *g, enum bf_window_step step, const struct bf_window_load *l,
                     int lead_minutes, bf_time t, struct bf_window_verdict *out)
{
	/* From a day back, so that the span T is in is whole. */
	bf_time from = t - BF_DAY_SECONDS, to = t + (bf_time)BF_WINDOW_HORIZON_DAYS * BF_DAY_SECONDS;
	struct bf_intervals spans = {0};
	int export_side = l->direction == BF_DIR_A_TO_B ? 0 : 1;
	bf_time len = (bf_time)BF_SLOT_MINUTES * 60;

	memset(out, 0, sizeof(*out));
	switch (step) {
	case BF_WINDOW_CALL: {
		bf_time due = l->slot_start - (bf_time)lead_minutes * 60;
		bf_gate_windows(g, from, to, &spans);
		if (t < due) {
			clip(&spans, due, to);
			snprintf(out->rule, sizeof(out->rule),
			         "the call of a vehicle before its slot is due (%d minutes before it starts)",
			         lead_minutes);
		} else {
			snprintf(out->rule, sizeof(out->rule),
			         "the call of a vehicle while %s has no crossing window open", g->id);
		}
		break;
	}
	case BF_WINDOW_EXPORT:
	case BF_WINDOW_IMPORT: {
		int side = step == BF_WINDOW_EXPORT ? export_side : 1 - export_side;
		bf_gate_side_open(&g->side[side], from, to, &spans);
		snprintf(out->rule, sizeof(out->rule), "an %s decision while the %s side of %s is shut",
		         step == BF_WINDOW_EXPORT ? "export" : "import", g->side[side].country, g->id);
		break;
	}
	case BF_WINDOW_CROSS:
		bf_gate_windows(g, from, to, &spans);
		if (l->train) {
			clip(&spans, l->slot_start, l->slot_start + len);
			snprintf(out->rule, sizeof(out->rule), "the crossing of a load outside its train's slot at %s",
			         g->id);
		} else {
			snprintf(out->rule, sizeof(out->rule), "the crossing while %s has no crossing window open",
			         g->id);
		}
		break;
	}
	verdict_from(&spans, t, out);
	bf_intervals_free(&spans);
}

void bf_window_describe(const struct bf_gate_pair *g, bf_time t, char *buf, size_t cap)
{
	char local[2][BF_TIME_TEXT], offset[2][8], utc[BF_TIME_TEXT];
	for (int s = 0; s < 2; s++) {
		bf_time_format_local(t, g->side[s].utc_offset_min, local[s]);
		bf_time_utc_offset_format(g->side[s].utc_offset_min, offset[s]);
		local[s][10] = ' '; /* "2026-12-02 07:00" */
		local[s][16] = '\0';
	}
	bf_time_format_utc(t, utc);
	snprintf(buf, cap, "%s %s time (UTC%s), %s %s time (UTC%s), %s", local[0], g->side[0].country, offset[0],
	         local[1], g->side[1].country, offset[1], utc);
}
