/* A simulation's summary written as JSON, CSV or a table for people. */
#include "codec/summary.h"

#include <math.h>
#include <string.h>

static const char *booking_name(enum bf_sim_booking b)
{
	switch (b) {
	case BF_SIM_NO_BOOKING:
		return "none";
	case BF_SIM_BOOK_FCFS:
		return "first_come";
	case BF_SIM_BOOK_PLAN:
		return "planner";
	}
	return "";
}

static const char *gate_name(const struct bf_scenario *sc, int g)
{
	return g < sc->n_gates ? sc->gates[g].id : "all";
}

static json_t *real(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *estimate_json(struct bf_sim_estimate e)
{
	json_t *o = json_object();
	json_object_set_new(o, "mean", real(e.mean));
	if (isfinite(e.half))
		json_object_set_new(o, "ci95", json_pack("[o,o]", real(e.mean - e.half), real(e.mean + e.half)));
	else
		json_object_set_new(o, "ci95", json_null());
	return o;
}

json_t *bf_summary_json(const struct bf_scenario *sc, const struct bf_sim_summary *s)
{
	char date[BF_TIME_TEXT];
	json_t *root = json_object(), *pols = json_array(), *gates = json_array();
	bf_date_format(bf_time_floor_div(sc->start + (bf_time)sc->policies[0].pairs[0].side[0].utc_offset_min * 60,
	                                 BF_DAY_SECONDS),
	               date);
	json_object_set_new(root, "scenario", json_string(sc->name));
	json_object_set_new(root, "title", json_string(sc->title));
	json_object_set_new(
	    root, "season",
	    json_pack("{s:s,s:i,s:i}", "start", date, "days", sc->days, "warmup_days", sc->warmup_days));
	json_object_set_new(root, "replications", json_integer(s->replications));
	json_object_set_new(root, "seed", json_integer((json_int_t)(s->seed & INT64_MAX)));
	for (int g = 0; g <= sc->n_gates; g++)
		json_array_append_new(gates, json_string(gate_name(sc, g)));
	json_object_set_new(root, "gates", gates);
	for (int p = 0; p < s->n_policies; p++) {
		const struct bf_sim_policy *pol = &sc->policies[p];
		json_t *po = json_object(), *per = json_array();
		json_object_set_new(po, "name", json_string(pol->name));
		json_object_set_new(po, "description", json_string(pol->description));
		json_object_set_new(po, "booking", json_string(booking_name(pol->booking)));
		for (int g = 0; g <= sc->n_gates; g++) {
			const struct bf_sim_cell *c = bf_sim_cell_at(s, p, g);
			json_t *go = json_object(), *figs = json_object(), *diff = json_object(), *q = json_array();
			json_object_set_new(go, "gate", json_string(gate_name(sc, g)));
			for (int f = 0; f < BF_FIG_COUNT; f++) {
				json_object_set_new(figs, bf_sim_figure_name((enum bf_sim_figure)f),
				                    estimate_json(c->value[f]));
				json_object_set_new(diff, bf_sim_figure_name((enum bf_sim_figure)f),
				                    estimate_json(c->diff[f]));
			}
			json_object_set_new(go, "figures", figs);
			if (p > 0)
				json_object_set_new(go, "difference_from_baseline", diff);
			else
				json_decref(diff);
			for (int d = 0; d < s->days; d++)
				json_array_append_new(q, json_real(round(c->queue_by_day[d] * 100) / 100));
			json_object_set_new(go, "queue_by_day", q);
			json_object_set_new(go, "accounting",
			                    json_pack("{s:I,s:I,s:I,s:I,s:I}", "loads", (json_int_t)c->loads, "crossed",
			                              (json_int_t)c->crossed, "in_system", (json_int_t)c->in_system,
			                              "spoiled", (json_int_t)c->spoiled, "returned",
			                              (json_int_t)c->returned));
			json_array_append_new(per, go);
		}
		json_object_set_new(po, "gates", per);
		json_array_append_new(pols, po);
	}
	json_object_set_new(root, "policies", pols);
	return root;
}

/* A text field, quoted when it holds a comma, a quote or a line break. */
static void csv_text(FILE *out, const char *s, bool first)
{
	if (!first)
		fputc(',', out);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_number(FILE *out, double x)
{
	if (isfinite(x))
		fprintf(out, ",%.6g", x);
	else
		fputs(",", out);
}

void bf_summary_csv(const struct bf_scenario *sc, const struct bf_sim_summary *s, FILE *out)
{
	fputs("policy,gate,figure,mean,ci95_low,ci95_high,difference,difference_ci95_low,difference_ci95_high\n", out);
	for (int p = 0; p < s->n_policies; p++)
		for (int g = 0; g <= sc->n_gates; g++) {
			const struct bf_sim_cell *c = bf_sim_cell_at(s, p, g);
			for (int f = 0; f < BF_FIG_COUNT; f++) {
				struct bf_sim_estimate v = c->value[f], d = c->diff[f];
				csv_text(out, sc->policies[p].name, true);
				csv_text(out, gate_name(sc, g), false);
				csv_text(out, bf_sim_figure_name((enum bf_sim_figure)f), false);
				csv_number(out, v.mean);
				csv_number(out, v.mean - v.half);
				csv_number(out, v.mean + v.half);
				if (p == 0) {
					fputs(",,,\n", out);
					continue;
				}
				csv_number(out, d.mean);
				csv_number(out, d.mean - d.half);
				csv_number(out, d.mean + d.half);
				fputc('\n', out);
			}
		}
}

static void cell_text(FILE *out, struct bf_sim_estimate e, int width, int prec)
{
	char buf[64];
	if (isfinite(e.half))
		snprintf(buf, sizeof(buf), "%.*f ±%.*f", prec, e.mean, prec, e.half);
	else
		snprintf(buf, sizeof(buf), "%.*f", prec, e.mean);
	/* ± takes two bytes and one column. */
	fprintf(out, " %*s", width + (strstr(buf, "±") ? 1 : 0), buf);
}

void bf_summary_text(const struct bf_scenario *sc, const struct bf_sim_summary *s, FILE *out)
{
	fprintf(out, "%s: %d days, %d replications a policy, seed %llu; 95%% intervals\n", sc->name, sc->days,
	        s->replications, (unsigned long long)s->seed);
	for (int p = 0; p < s->n_policies; p++) {
		const struct bf_sim_policy *pol = &sc->policies[p];
		fprintf(out, "\n%s%s (booking: %s)%s%s\n", pol->name, p == 0 ? " [baseline]" : "",
		        booking_name(pol->booking), pol->description[0] ? " — " : "", pol->description);
		fprintf(out, "  %-16s %16s %16s %16s %14s %14s %18s %12s\n", "gate", "crossings/day", "wait mean h",
		        "wait p90 h", "longest queue", "spoiled loads", "spoiled value USD", "utilisation");
		for (int g = 0; g <= sc->n_gates; g++) {
			const struct bf_sim_cell *c = bf_sim_cell_at(s, p, g);
			fprintf(out, "  %-16s", gate_name(sc, g));
			cell_text(out, c->value[BF_FIG_CROSSINGS_PER_DAY], 16, 1);
			cell_text(out, c->value[BF_FIG_WAIT_MEAN], 16, 1);
			cell_text(out, c->value[BF_FIG_WAIT_P90], 16, 1);
			cell_text(out, c->value[BF_FIG_LONGEST_QUEUE], 14, 0);
			cell_text(out, c->value[BF_FIG_SPOILED_LOADS], 14, 0);
			cell_text(out, c->value[BF_FIG_SPOILED_VALUE], 18, 0);
			cell_text(out, c->value[BF_FIG_UTILISATION], 12, 2);
			fputc('\n', out);
		}
		if (p == 0)
			continue;
		const struct bf_sim_cell *all = bf_sim_cell_at(s, p, sc->n_gates);
		fprintf(out,
		        "  against the baseline, whole border: wait mean %+.1f h (±%.1f), spoiled value %+.0f USD "
		        "(±%.0f), crossings/day %+.1f (±%.1f)\n",
		        all->diff[BF_FIG_WAIT_MEAN].mean, all->diff[BF_FIG_WAIT_MEAN].half,
		        all->diff[BF_FIG_SPOILED_VALUE].mean, all->diff[BF_FIG_SPOILED_VALUE].half,
		        all->diff[BF_FIG_CROSSINGS_PER_DAY].mean, all->diff[BF_FIG_CROSSINGS_PER_DAY].half);
	}
}
