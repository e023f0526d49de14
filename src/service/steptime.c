/* The rule of time at a step, as the service applies it: the verdict of
 * plan/window.h turned into a refusal a person can act on, or into the
 * override that is signed with the step. */
#include "service/service_int.h"

#include <stdio.h>
#include <string.h>

int bf_svc_step_time(const struct bf_service *svc, const struct bf_gate_pair *g, int step,
                     const struct bf_window_load *l, bf_time now, const struct bf_override *ov, json_t **overridden,
                     struct bf_step_refusal *refusal, struct bf_error *err)
{
	struct bf_window_verdict v;
	char next[160];
	if (overridden)
		*overridden = NULL;
	if (refusal)
		memset(refusal, 0, sizeof(*refusal));
	bf_window_check(g, (enum bf_window_step)step, l, svc->call_lead, now, &v);
	if (v.open)
		return BF_OK;
	if (v.span.start)
		bf_window_describe(g, v.span.start, next, sizeof(next));
	else
		snprintf(next, sizeof(next), "none within %d days", BF_WINDOW_HORIZON_DAYS);
	if (ov && ov->reason[0]) {
		if (overridden) {
			char text[BF_TIME_TEXT];
			bf_time_format_utc(now, text);
			*overridden = json_pack("{s:s,s:s,s:s,s:s}", "reason", ov->reason, "rule", v.rule, "at", text,
			                        "next_window", next);
		}
		return BF_OK;
	}
	if (refusal) {
		refusal->refused = true;
		bf_strlcpy(refusal->gate_id, g->id, sizeof(refusal->gate_id));
		refusal->start = v.span.start;
		refusal->end = v.span.end;
		for (int s = 0; s < 2; s++) {
			bf_strlcpy(refusal->country[s], g->side[s].country, sizeof(refusal->country[s]));
			refusal->utc_offset_min[s] = g->side[s].utc_offset_min;
		}
	}
	return bf_error_set(err, BF_ECONFLICT, "time",
	                    "%s is refused now; the next window opens %s (an override states its reason)", v.rule,
	                    next);
}
