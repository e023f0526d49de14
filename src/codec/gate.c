/* The JSON view of a gate pair and of its crossing windows. */
#include "codec/gate.h"

#include <stdbool.h>
#include <string.h>

static json_t *names(const char *vi, const char *zh, const char *en)
{
	return json_pack("{s:s, s:s, s:s}", "vi", vi, "zh", zh, "en", en);
}

static json_t *side_json(const struct bf_gate_side *s, bool detail)
{
	char off[8];
	bf_time_utc_offset_format(s->utc_offset_min, off);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "country", s->country, "subdivision", s->subdivision,
	                      "province", s->province, "gate", s->gate, "tz", s->tz, "utc_offset", off);
	if (!detail)
		return o;
	json_t *hours = json_object();
	for (int wd = 0; wd < 7; wd++) {
		json_t *day = json_array();
		for (int i = 0; i < s->week[wd].n; i++) {
			char a[8], b[8];
			bf_time_hhmm_format(s->week[wd].iv[i].open, a);
			bf_time_hhmm_format(s->week[wd].iv[i].close, b);
			json_array_append_new(day, json_pack("{s:s, s:s}", "open", a, "close", b));
		}
		json_object_set_new(hours, bf_gate_weekday_name(wd), day);
	}
	json_object_set_new(o, "hours", hours);
	json_t *exc = json_array();
	for (size_t i = 0; i < s->n_exceptions; i++) {
		const struct bf_exception *e = &s->exceptions[i];
		char from[BF_TIME_TEXT], to[BF_TIME_TEXT];
		bf_time_format_utc(e->start, from);
		bf_time_format_utc(e->end, to);
		json_array_append_new(exc, json_pack("{s:s, s:s, s:s, s:s}", "from", from, "to", to, "kind",
		                                     e->open ? "open" : "closed", "note", e->note));
	}
	json_object_set_new(o, "exceptions", exc);
	return o;
}

json_t *bf_gate_json(const struct bf_gate_pair *g, bool detail)
{
	json_t *des = json_array();
	for (int c = 0; c < BF_CC_COUNT; c++) {
		if (g->designated & (1u << c))
			json_array_append_new(des, json_string(bf_commodity_class_name((enum bf_commodity_class)c)));
	}
	json_t *lanes = json_object();
	for (int d = 0; d < 2; d++) {
		json_object_set_new(lanes, bf_direction_name((enum bf_direction)d),
		                    json_pack("{s:i, s:f}", "lanes", g->lanes[d].lanes, "vehicles_per_hour",
		                              g->lanes[d].vehicles_per_hour));
	}
	return json_pack("{s:s, s:o, s:s, s:s, s:{s:f, s:f}, s:o, s:o, s:{s:o, s:o}}", "id", g->id, "names",
	                 names(g->name_vi, g->name_zh, g->name_en), "mode", bf_mode_name(g->mode), "class",
	                 bf_gate_class_name(g->klass), "location", "lat", g->lat, "lon", g->lon, "designated", des,
	                 "lanes", lanes, "sides", "a", side_json(&g->side[0], detail), "b",
	                 side_json(&g->side[1], detail));
}

json_t *bf_gate_windows_json(const struct bf_gate_pair *g, bf_time from, bf_time to)
{
	struct bf_intervals w = {0};
	json_t *arr = json_array();
	bf_gate_windows(g, from, to, &w);
	for (size_t i = 0; i < w.n; i++) {
		char fu[BF_TIME_TEXT], tu[BF_TIME_TEXT], fa[BF_TIME_TEXT], ta[BF_TIME_TEXT], fb[BF_TIME_TEXT],
		    tb[BF_TIME_TEXT];
		bf_time_format_utc(w.v[i].start, fu);
		bf_time_format_utc(w.v[i].end, tu);
		bf_time_format_local(w.v[i].start, g->side[0].utc_offset_min, fa);
		bf_time_format_local(w.v[i].end, g->side[0].utc_offset_min, ta);
		bf_time_format_local(w.v[i].start, g->side[1].utc_offset_min, fb);
		bf_time_format_local(w.v[i].end, g->side[1].utc_offset_min, tb);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:I}", "from", fu, "to",
		                                     tu, "side_a", "from", fa, "to", ta, "side_b", "from", fb, "to", tb,
		                                     "minutes", (json_int_t)((w.v[i].end - w.v[i].start) / 60)));
	}
	bf_intervals_free(&w);
	return arr;
}
