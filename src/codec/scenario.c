/* The scenario reader: a scenario file over the bundled (or given) gate
 * pairs and commodities. Every policy gets its own copy of the pairs with
 * its changes applied through the same calls the server makes for a
 * posted closure, extension or lane change. */
#include "codec/scenario.h"

#include "model/gate.h"
#include "codec/dataset.h"
#include "codec/embedded.h"
#include "codec/jsonread.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_MAX_LEN 160

struct reader {
	struct bf_jr jr;
	const struct bf_dataset *data;
	struct bf_scenario *sc;
	struct bf_gate_pair *base; /* the scenario's gates with their overrides */
};

static int fail_at(struct reader *r, const char *path, const char *key, const char *fmt, const char *arg)
{
	char field[PATH_MAX_LEN];
	bf_jr_join(field, sizeof(field), path, key);
	return bf_jr_fail(&r->jr, field, fmt, arg);
}

static int gate_index(const struct bf_scenario *sc, const char *id)
{
	for (int i = 0; i < sc->n_gates; i++)
		if (strcmp(sc->gates[i].id, id) == 0)
			return i;
	return -1;
}

/* OBJ[KEY], a number within [LO, HI]. */
static int number_in(struct reader *r, json_t *obj, const char *key, const char *path, double lo, double hi,
                     double *out, bool required)
{
	int rc = bf_jr_number(&r->jr, obj, key, path, out, required);
	json_t *v = json_object_get(obj, key);
	if (rc == 0 && v && !json_is_null(v) && !(*out >= lo && *out <= hi)) {
		char field[PATH_MAX_LEN];
		bf_jr_join(field, sizeof(field), path, key);
		return bf_jr_fail(&r->jr, field, "must be a number from %g to %g", lo, hi);
	}
	return rc;
}

/* A service time: {"dist": "exponential|lognormal|fixed", "mean_minutes": M, "cv": C}. */
static int read_dist(struct reader *r, json_t *obj, const char *path, struct bf_dist *d)
{
	static const char *const keys[] = {"dist", "mean_minutes", "cv", "share", "refused", NULL};
	char kind[16];
	double minutes = 0, cv = 0;
	int rc;
	if (!json_is_object(obj))
		return bf_jr_fail(&r->jr, path, "must be an object");
	if ((rc = bf_jr_keys(&r->jr, obj, path, keys)) != 0 ||
	    (rc = bf_jr_str(&r->jr, obj, "dist", path, kind, sizeof(kind), true)) != 0 ||
	    (rc = number_in(r, obj, "mean_minutes", path, 0, 7 * 24 * 60, &minutes, true)) != 0 ||
	    (rc = number_in(r, obj, "cv", path, 0, 10, &cv, false)) != 0)
		return rc;
	if (strcmp(kind, "exponential") == 0)
		d->kind = BF_DIST_EXPONENTIAL;
	else if (strcmp(kind, "lognormal") == 0)
		d->kind = BF_DIST_LOGNORMAL;
	else if (strcmp(kind, "fixed") == 0)
		d->kind = BF_DIST_FIXED;
	else
		return fail_at(r, path, "dist", "must be \"exponential\", \"lognormal\" or \"fixed\", not \"%s\"",
		               kind);
	if (d->kind == BF_DIST_LOGNORMAL && !json_object_get(obj, "cv"))
		return fail_at(r, path, "cv", "%s", "is required for a lognormal distribution");
	d->mean = minutes / 60;
	d->cv = cv;
	return BF_OK;
}

/* One side's clearance: {"base": DIST, "yellow": DIST+share, "red": DIST+share+refused}. */
static int read_side(struct reader *r, json_t *gate, const char *key, const char *path, struct bf_sim_side *s)
{
	static const char *const keys[] = {"base", "yellow", "red", NULL};
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	json_t *obj, *x;
	int rc;
	if ((rc = bf_jr_object(&r->jr, gate, key, path, &obj, false)) != 0 || obj == NULL)
		return rc;
	bf_jr_join(p, sizeof(p), path, key);
	if ((rc = bf_jr_keys(&r->jr, obj, p, keys)) != 0)
		return rc;
	if ((x = json_object_get(obj, "base")) != NULL) {
		bf_jr_join(q, sizeof(q), p, "base");
		if ((rc = read_dist(r, x, q, &s->base)) != 0)
			return rc;
		if (json_object_get(x, "share") || json_object_get(x, "refused"))
			return fail_at(r, q, "share", "%s", "the base time applies to every vehicle: no share");
	}
	if ((x = json_object_get(obj, "yellow")) != NULL) {
		bf_jr_join(q, sizeof(q), p, "yellow");
		if ((rc = read_dist(r, x, q, &s->yellow)) != 0 ||
		    (rc = number_in(r, x, "share", q, 0, 1, &s->p_yellow, true)) != 0)
			return rc;
		if (json_object_get(x, "refused"))
			return fail_at(r, q, "refused", "%s", "only a red (physical) inspection refuses");
	}
	if ((x = json_object_get(obj, "red")) != NULL) {
		bf_jr_join(q, sizeof(q), p, "red");
		if ((rc = read_dist(r, x, q, &s->red)) != 0 ||
		    (rc = number_in(r, x, "share", q, 0, 1, &s->p_red, true)) != 0 ||
		    (rc = number_in(r, x, "refused", q, 0, 1, &s->p_refuse, false)) != 0)
			return rc;
	}
	if (s->p_yellow + s->p_red > 1 + 1e-9)
		return fail_at(r, p, "red", "%s", "the yellow and red shares add up to more than 1");
	return BF_OK;
}

static int read_gates(struct reader *r, json_t *root)
{
	static const char *const keys[] = {"id",     "lanes",         "vehicles_per_hour",     "export",
	                                   "import", "initial_queue", "initial_age_max_hours", NULL};
	json_t *arr, *x;
	size_t i;
	int rc;
	if ((rc = bf_jr_array(&r->jr, root, "gates", "", &arr, true)) != 0)
		return rc;
	if (json_array_size(arr) == 0 || json_array_size(arr) > BF_SIM_MAX_GATES)
		return bf_jr_fail(&r->jr, "gates", "must list from 1 to %d gate pairs", BF_SIM_MAX_GATES);
	r->base = bf_xcalloc(json_array_size(arr), sizeof(*r->base));
	json_array_foreach (arr, i, x) {
		char p[PATH_MAX_LEN];
		struct bf_sim_gate *g = &r->sc->gates[i];
		struct bf_gate_pair *pair = &r->base[i];
		const struct bf_gate_pair *known = NULL;
		int lanes = -1; /* -1 and 0: not given */
		double rate = 0, minutes;
		snprintf(p, sizeof(p), "gates[%zu]", i);
		if (!json_is_object(x))
			return bf_jr_fail(&r->jr, p, "must be an object");
		if ((rc = bf_jr_keys(&r->jr, x, p, keys)) != 0 ||
		    (rc = bf_jr_str(&r->jr, x, "id", p, g->id, sizeof(g->id), true)) != 0)
			return rc;
		for (size_t k = 0; k < r->data->n_gates; k++)
			if (strcmp(r->data->gates[k].id, g->id) == 0)
				known = &r->data->gates[k];
		if (known == NULL)
			return fail_at(r, p, "id", "no gate pair \"%s\" in the reference data", g->id);
		if (gate_index(r->sc, g->id) >= 0)
			return fail_at(r, p, "id", "gate pair \"%s\" is listed twice", g->id);
		bf_gate_pair_copy(pair, known);
		r->sc->n_gates++;
		/* The ranges the server's own check of a pair allows. */
		if ((rc = bf_jr_int(&r->jr, x, "lanes", p, 1, 64, &lanes, false)) != 0 ||
		    (rc = number_in(r, x, "vehicles_per_hour", p, 0.01, 600, &rate, false)) != 0 ||
		    (rc = bf_jr_int(&r->jr, x, "initial_queue", p, 0, 100000, &g->initial_queue, false)) != 0 ||
		    (rc = number_in(r, x, "initial_age_max_hours", p, 0, 24 * 365, &g->initial_age_max, false)) != 0)
			return rc;
		if (lanes > 0)
			pair->lanes[BF_DIR_A_TO_B].lanes = lanes;
		if (rate > 0)
			pair->lanes[BF_DIR_A_TO_B].vehicles_per_hour = rate;
		/* Unless the scenario says otherwise, each side clears a vehicle
		 * in the lane's own time on average, so that the lanes cross
		 * what the slots promise. */
		minutes = pair->lanes[BF_DIR_A_TO_B].vehicles_per_hour > 0
		              ? 60 / pair->lanes[BF_DIR_A_TO_B].vehicles_per_hour
		              : 0;
		for (int s = 0; s < 2; s++)
			g->side[s].base = (struct bf_dist){BF_DIST_EXPONENTIAL, minutes / 60, 1};
		if ((rc = read_side(r, x, "export", p, &g->side[0])) != 0 ||
		    (rc = read_side(r, x, "import", p, &g->side[1])) != 0)
			return rc;
	}
	return BF_OK;
}

static const struct bf_commodity *find_commodity(const struct bf_dataset *d, const char *hs)
{
	for (size_t i = 0; i < d->n_commodities; i++)
		if (strcmp(d->commodities[i].hs_code, hs) == 0)
			return &d->commodities[i];
	return NULL;
}

static int read_hourly(struct reader *r, json_t *flow, const char *path, double *hourly)
{
	json_t *arr, *v;
	size_t i;
	double sum = 0;
	int rc;
	for (int h = 0; h < 24; h++)
		hourly[h] = 1.0 / 24;
	if ((rc = bf_jr_array(&r->jr, flow, "hourly", path, &arr, false)) != 0 || arr == NULL)
		return rc;
	if (json_array_size(arr) != 24)
		return fail_at(r, path, "hourly", "%s", "must hold 24 weights, one an hour from 00:00");
	json_array_foreach (arr, i, v) {
		char p[PATH_MAX_LEN];
		snprintf(p, sizeof(p), "%s.hourly[%zu]", path, i);
		if (!json_is_number(v) || !(json_number_value(v) >= 0) || !isfinite(json_number_value(v)))
			return bf_jr_fail(&r->jr, p, "must be a number, 0 or more");
		hourly[i] = json_number_value(v);
		sum += hourly[i];
	}
	if (!(sum > 0))
		return fail_at(r, path, "hourly", "%s", "must have at least one weight above 0");
	for (int h = 0; h < 24; h++)
		hourly[h] /= sum;
	return BF_OK;
}

static int read_flows(struct reader *r, json_t *root)
{
	static const char *const keys[] = {
	    "name",  "commodity", "tonnes",           "loads_per_day",       "peak", "hourly",
	    "gates", "travel_cv", "shelf_life_hours", "value_usd_per_tonne", NULL};
	static const char *const peak_keys[] = {"day", "factor", "width_days", NULL};
	static const char *const gate_keys[] = {"id", "travel_hours", NULL};
	json_t *arr, *x;
	size_t i;
	int rc;
	if ((rc = bf_jr_array(&r->jr, root, "flows", "", &arr, true)) != 0)
		return rc;
	if (json_array_size(arr) == 0 || json_array_size(arr) > BF_SIM_MAX_FLOWS)
		return bf_jr_fail(&r->jr, "flows", "must list from 1 to %d flows", BF_SIM_MAX_FLOWS);
	json_array_foreach (arr, i, x) {
		char p[PATH_MAX_LEN], q[PATH_MAX_LEN], hs[BF_SIM_NAME_MAX];
		struct bf_sim_flow *f = &r->sc->flows[i];
		json_t *peak, *gates, *gx;
		size_t k;
		double value = 0, shelf = 0;
		snprintf(p, sizeof(p), "flows[%zu]", i);
		if (!json_is_object(x))
			return bf_jr_fail(&r->jr, p, "must be an object");
		if ((rc = bf_jr_keys(&r->jr, x, p, keys)) != 0 ||
		    (rc = bf_jr_str(&r->jr, x, "name", p, f->name, sizeof(f->name), true)) != 0 ||
		    (rc = bf_jr_str(&r->jr, x, "commodity", p, hs, sizeof(hs), true)) != 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->sc->flows[j].name, f->name) == 0)
				return fail_at(r, p, "name", "flow \"%s\" is named twice", f->name);
		const struct bf_commodity *c = find_commodity(r->data, hs);
		if (c == NULL)
			return fail_at(r, p, "commodity", "no commodity with HS code \"%s\" in the reference data", hs);
		bf_strlcpy(f->commodity, hs, sizeof(f->commodity));
		f->klass = c->klass;
		shelf = c->shelf_life_hours;
		value = c->value_usd_per_tonne;
		f->peak_factor = 1;
		if ((rc = number_in(r, x, "tonnes", p, 0.1, 100, &f->tonnes, true)) != 0 ||
		    (rc = number_in(r, x, "loads_per_day", p, 0, 100000, &f->per_day, true)) != 0 ||
		    (rc = number_in(r, x, "shelf_life_hours", p, 1, 24 * 365 * 5, &shelf, false)) != 0 ||
		    (rc = number_in(r, x, "value_usd_per_tonne", p, 0, 1e7, &value, false)) != 0 ||
		    (rc = number_in(r, x, "travel_cv", p, 0, 2, &f->travel_cv, false)) != 0 ||
		    (rc = read_hourly(r, x, p, f->hourly)) != 0 ||
		    (rc = bf_jr_object(&r->jr, x, "peak", p, &peak, false)) != 0)
			return rc;
		f->shelf_life = shelf;
		f->value = value * f->tonnes;
		if (peak) {
			bf_jr_join(q, sizeof(q), p, "peak");
			if ((rc = bf_jr_keys(&r->jr, peak, q, peak_keys)) != 0 ||
			    (rc = number_in(r, peak, "day", q, 0, BF_SIM_MAX_DAYS, &f->peak_day, true)) != 0 ||
			    (rc = number_in(r, peak, "factor", q, 1, 100, &f->peak_factor, true)) != 0 ||
			    (rc = number_in(r, peak, "width_days", q, 0.1, BF_SIM_MAX_DAYS, &f->peak_width, true)) != 0)
				return rc;
		}
		if ((rc = bf_jr_array(&r->jr, x, "gates", p, &gates, true)) != 0)
			return rc;
		if (json_array_size(gates) == 0 || json_array_size(gates) > BF_SIM_FLOW_GATES)
			return fail_at(r, p, "gates", "%s", "must list from 1 to 8 gates the loads may use");
		json_array_foreach (gates, k, gx) {
			char id[BF_GATE_ID_MAX + 1];
			snprintf(q, sizeof(q), "%s.gates[%zu]", p, k);
			if (!json_is_object(gx))
				return bf_jr_fail(&r->jr, q, "must be an object");
			if ((rc = bf_jr_keys(&r->jr, gx, q, gate_keys)) != 0 ||
			    (rc = bf_jr_str(&r->jr, gx, "id", q, id, sizeof(id), true)) != 0 ||
			    (rc = number_in(r, gx, "travel_hours", q, 0, 24 * 30, &f->travel[k], true)) != 0)
				return rc;
			f->gates[k] = gate_index(r->sc, id);
			if (f->gates[k] < 0)
				return fail_at(r, q, "id", "gate pair \"%s\" is not among the scenario's gates", id);
			for (size_t j = 0; j < k; j++)
				if (f->gates[j] == f->gates[k])
					return fail_at(r, q, "id", "gate pair \"%s\" is listed twice", id);
			f->n_gates++;
		}
		r->sc->n_flows++;
	}
	return BF_OK;
}

/* ---- policies ---- */

static int read_gate_list(struct reader *r, json_t *obj, const char *path, int *idx, int *n)
{
	json_t *arr, *v;
	size_t i;
	int rc;
	char p[PATH_MAX_LEN];
	*n = 0;
	if ((rc = bf_jr_array(&r->jr, obj, "gates", path, &arr, true)) != 0)
		return rc;
	if (json_array_size(arr) == 0)
		return fail_at(r, path, "gates", "%s", "must name at least one gate pair");
	json_array_foreach (arr, i, v) {
		snprintf(p, sizeof(p), "%s.gates[%zu]", path, i);
		if (!json_is_string(v))
			return bf_jr_fail(&r->jr, p, "must be a gate pair's id");
		int g = gate_index(r->sc, json_string_value(v));
		if (g < 0)
			return bf_jr_fail(&r->jr, p, "gate pair \"%s\" is not among the scenario's gates",
			                  json_string_value(v));
		idx[(*n)++] = g;
	}
	return BF_OK;
}

static int read_days(struct reader *r, json_t *obj, const char *path, unsigned *days)
{
	json_t *arr, *v;
	size_t i;
	int rc;
	*days = 0x7f;
	if ((rc = bf_jr_array(&r->jr, obj, "days", path, &arr, false)) != 0 || arr == NULL)
		return rc;
	*days = 0;
	json_array_foreach (arr, i, v) {
		char p[PATH_MAX_LEN];
		int wd;
		snprintf(p, sizeof(p), "%s.days[%zu]", path, i);
		if (!json_is_string(v) || bf_gate_weekday_parse(json_string_value(v), &wd))
			return bf_jr_fail(&r->jr, p, "must be one of mon, tue, wed, thu, fri, sat, sun");
		*days |= 1u << wd;
	}
	if (*days == 0)
		return fail_at(r, path, "days", "%s", "must name at least one day");
	return BF_OK;
}

/* A span of the season: "from" and "to" as instants, or the whole season. */
static int read_span(struct reader *r, json_t *obj, const char *path, bf_time *from, bf_time *to)
{
	char text[48];
	int rc;
	*from = r->sc->start;
	*to = r->sc->start + (bf_time)r->sc->days * BF_DAY_SECONDS;
	if ((rc = bf_jr_str(&r->jr, obj, "from", path, text, sizeof(text), false)) != 0)
		return rc;
	if (text[0] && bf_time_parse(text, from))
		return fail_at(r, path, "from", "%s",
		               "must be an instant with its offset, like 2021-12-20T00:00+07:00");
	if ((rc = bf_jr_str(&r->jr, obj, "to", path, text, sizeof(text), false)) != 0)
		return rc;
	if (text[0] && bf_time_parse(text, to))
		return fail_at(r, path, "to", "%s", "must be an instant with its offset, like 2021-12-27T00:00+07:00");
	if (*to <= *from)
		return fail_at(r, path, "to", "%s", "the span ends before it starts");
	return BF_OK;
}

/* Longer hours: every chosen day of the season, both sides open from OPEN
 * to CLOSE in side A's local time, as dated extensions of each side. */
static void extend_hours(struct reader *r, struct bf_gate_pair *g, unsigned days, int open, int close)
{
	int off = g->side[0].utc_offset_min;
	int64_t first = bf_time_floor_div(r->sc->start + (bf_time)off * 60, BF_DAY_SECONDS);
	for (int d = -1; d <= r->sc->days; d++) {
		int64_t day = first + d;
		if (!(days & (1u << bf_date_weekday(day))))
			continue;
		struct bf_exception e = {.open = true};
		e.start = day * BF_DAY_SECONDS - (bf_time)off * 60 + (bf_time)open * 60;
		e.end = day * BF_DAY_SECONDS - (bf_time)off * 60 + (bf_time)close * 60;
		snprintf(e.note, sizeof(e.note), "scenario policy: longer hours");
		for (int s = 0; s < 2; s++)
			bf_gate_side_add_exception(&g->side[s], &e);
	}
}

/* The fields each kind of change takes: a field of another kind is
 * refused rather than silently ignored. */
static const char *const *change_keys(const char *kind)
{
	static const char *const hours[] = {"kind", "gates", "open", "close", "days", "note", NULL};
	static const char *const close[] = {"kind", "gates", "from", "to", "note", NULL};
	static const char *const lanes[] = {"kind", "gates", "lanes", "from", "to", "note", NULL};
	static const char *const designate[] = {"kind", "gates", "classes", "only", "note", NULL};
	static const char *const train[] = {"kind", "gates", "train", "note", NULL};
	if (strcmp(kind, "hours") == 0)
		return hours;
	if (strcmp(kind, "close") == 0)
		return close;
	if (strcmp(kind, "lanes") == 0)
		return lanes;
	if (strcmp(kind, "designate") == 0)
		return designate;
	if (strcmp(kind, "train") == 0)
		return train;
	return NULL;
}

static int read_change(struct reader *r, json_t *x, const char *p, struct bf_gate_pair *pairs)
{
	char kind[16], text[16];
	int idx[BF_SIM_MAX_GATES], n = 0, rc;
	if (!json_is_object(x))
		return bf_jr_fail(&r->jr, p, "must be an object");
	if ((rc = bf_jr_str(&r->jr, x, "kind", p, kind, sizeof(kind), true)) != 0)
		return rc;
	const char *const *keys = change_keys(kind);
	if (keys == NULL)
		return fail_at(r, p, "kind",
		               "must be \"hours\", \"close\", \"lanes\", \"designate\" or \"train\", not \"%s\"", kind);
	if ((rc = bf_jr_keys(&r->jr, x, p, keys)) != 0 || (rc = read_gate_list(r, x, p, idx, &n)) != 0)
		return rc;
	if (strcmp(kind, "hours") == 0) {
		int open, close;
		unsigned days;
		if ((rc = bf_jr_str(&r->jr, x, "open", p, text, sizeof(text), true)) != 0)
			return rc;
		if (bf_time_hhmm_parse(text, &open) || open >= 24 * 60)
			return fail_at(r, p, "open", "%s", "must be a time from 00:00 to 23:59");
		if ((rc = bf_jr_str(&r->jr, x, "close", p, text, sizeof(text), true)) != 0)
			return rc;
		if (bf_time_hhmm_parse(text, &close) || close <= open)
			return fail_at(r, p, "close", "%s", "must be a time after open, up to 24:00");
		if ((rc = read_days(r, x, p, &days)) != 0)
			return rc;
		for (int i = 0; i < n; i++)
			extend_hours(r, &pairs[idx[i]], days, open, close);
	} else if (strcmp(kind, "close") == 0) {
		struct bf_exception e = {.open = false};
		if ((rc = read_span(r, x, p, &e.start, &e.end)) != 0)
			return rc;
		snprintf(e.note, sizeof(e.note), "scenario policy: closure");
		for (int i = 0; i < n; i++)
			for (int s = 0; s < 2; s++)
				bf_gate_side_add_exception(&pairs[idx[i]].side[s], &e);
	} else if (strcmp(kind, "lanes") == 0) {
		struct bf_lane_change c = {.direction = BF_DIR_A_TO_B};
		if ((rc = bf_jr_int(&r->jr, x, "lanes", p, 0, 64, &c.lanes, true)) != 0 ||
		    (rc = read_span(r, x, p, &c.start, &c.end)) != 0)
			return rc;
		for (int i = 0; i < n; i++)
			bf_gate_add_lane_change(&pairs[idx[i]], &c);
	} else if (strcmp(kind, "designate") == 0) {
		json_t *arr, *v;
		size_t k;
		unsigned classes = 0;
		bool only = false;
		if ((rc = bf_jr_array(&r->jr, x, "classes", p, &arr, true)) != 0 ||
		    (rc = bf_jr_bool(&r->jr, x, "only", p, &only, false)) != 0)
			return rc;
		json_array_foreach (arr, k, v) {
			char q[PATH_MAX_LEN];
			enum bf_commodity_class cc;
			snprintf(q, sizeof(q), "%s.classes[%zu]", p, k);
			if (!json_is_string(v) || bf_commodity_class_parse(json_string_value(v), &cc))
				return bf_jr_fail(&r->jr, q, "must be a commodity class such as fruit or vegetable");
			classes |= 1u << cc;
		}
		if (classes == 0)
			return fail_at(r, p, "classes", "%s", "must name at least one commodity class");
		for (int i = 0; i < n; i++)
			pairs[idx[i]].designated = only ? classes : pairs[idx[i]].designated | classes;
	} else if (strcmp(kind, "train") == 0) {
		json_t *t;
		char q[PATH_MAX_LEN];
		if ((rc = bf_jr_object(&r->jr, x, "train", p, &t, true)) != 0)
			return rc;
		bf_jr_join(q, sizeof(q), p, "train");
		for (int i = 0; i < n; i++) {
			struct bf_gate_pair *g = &pairs[idx[i]];
			if (g->mode != BF_MODE_RAIL)
				return fail_at(r, p, "gates",
				               "gate pair \"%s\" is a road crossing: trains need a rail pair", g->id);
			if (g->n_trains >= BF_MAX_TRAINS)
				return fail_at(r, p, "gates", "gate pair \"%s\" has no room for another train", g->id);
			if ((rc = bf_dataset_parse_train(&r->jr, t, q, &g->trains[g->n_trains])) != 0)
				return rc;
			g->n_trains++;
		}
	}
	return BF_OK;
}

static int read_policies(struct reader *r, json_t *root)
{
	static const char *const keys[] = {"name", "description", "booking", "replan_hours", "changes", NULL};
	json_t *arr, *x;
	size_t i;
	int rc;
	if ((rc = bf_jr_array(&r->jr, root, "policies", "", &arr, true)) != 0)
		return rc;
	if (json_array_size(arr) == 0 || json_array_size(arr) > BF_SIM_MAX_POLICIES)
		return bf_jr_fail(&r->jr, "policies", "must list from 1 to %d policies, the baseline first",
		                  BF_SIM_MAX_POLICIES);
	json_array_foreach (arr, i, x) {
		char p[PATH_MAX_LEN], booking[16];
		struct bf_sim_policy *pol = &r->sc->policies[i];
		json_t *changes, *c;
		size_t k;
		snprintf(p, sizeof(p), "policies[%zu]", i);
		if (!json_is_object(x))
			return bf_jr_fail(&r->jr, p, "must be an object");
		pol->pairs = bf_xcalloc((size_t)r->sc->n_gates, sizeof(*pol->pairs));
		r->sc->n_policies++;
		for (int g = 0; g < r->sc->n_gates; g++)
			bf_gate_pair_copy(&pol->pairs[g], &r->base[g]);
		pol->replan_hours = 1;
		if ((rc = bf_jr_keys(&r->jr, x, p, keys)) != 0 ||
		    (rc = bf_jr_str(&r->jr, x, "name", p, pol->name, sizeof(pol->name), true)) != 0 ||
		    (rc = bf_jr_str(&r->jr, x, "description", p, pol->description, sizeof(pol->description), false)) !=
		        0 ||
		    (rc = bf_jr_str(&r->jr, x, "booking", p, booking, sizeof(booking), false)) != 0 ||
		    (rc = number_in(r, x, "replan_hours", p, 0.25, 24, &pol->replan_hours, false)) != 0)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->sc->policies[j].name, pol->name) == 0)
				return fail_at(r, p, "name", "policy \"%s\" is named twice", pol->name);
		if (booking[0] == 0 || strcmp(booking, "none") == 0)
			pol->booking = BF_SIM_NO_BOOKING;
		else if (strcmp(booking, "first_come") == 0)
			pol->booking = BF_SIM_BOOK_FCFS;
		else if (strcmp(booking, "planner") == 0)
			pol->booking = BF_SIM_BOOK_PLAN;
		else
			return fail_at(r, p, "booking", "must be \"none\", \"first_come\" or \"planner\", not \"%s\"",
			               booking);
		if ((rc = bf_jr_array(&r->jr, x, "changes", p, &changes, false)) != 0)
			return rc;
		json_array_foreach (changes, k, c) {
			char q[PATH_MAX_LEN];
			snprintf(q, sizeof(q), "%s.changes[%zu]", p, k);
			if ((rc = read_change(r, c, q, pol->pairs)) != 0)
				return rc;
		}
		/* A policy is something the server can run: its pairs must pass
		 * the server's own checks. */
		for (int g = 0; g < r->sc->n_gates; g++)
			if ((rc = bf_gate_pair_validate(&pol->pairs[g], r->jr.err)) != 0) {
				char field[PATH_MAX_LEN];
				snprintf(field, sizeof(field), "%s: gate pair %s: %s", p, pol->pairs[g].id,
				         r->jr.err->field);
				bf_strlcpy(r->jr.err->field, field, sizeof(r->jr.err->field));
				return bf_jr_relabel(&r->jr, rc);
			}
	}
	return BF_OK;
}

/* "about": a text or a list of texts; "sources": a list of texts. They
 * are for people, but a scenario that names its sources names them as
 * text. */
static int read_notes(struct reader *r, json_t *root)
{
	json_t *about = json_object_get(root, "about"), *sources = json_object_get(root, "sources"), *v;
	size_t i;
	char field[PATH_MAX_LEN];
	if (about && !json_is_string(about)) {
		if (!json_is_array(about))
			return bf_jr_fail(&r->jr, "about", "must be a text or a list of texts");
		json_array_foreach (about, i, v) {
			snprintf(field, sizeof(field), "about[%zu]", i);
			if (!json_is_string(v))
				return bf_jr_fail(&r->jr, field, "must be a text");
		}
	}
	if (sources) {
		if (!json_is_array(sources))
			return bf_jr_fail(&r->jr, "sources", "must be a list of texts");
		json_array_foreach (sources, i, v) {
			snprintf(field, sizeof(field), "sources[%zu]", i);
			if (!json_is_string(v))
				return bf_jr_fail(&r->jr, field, "must be a text");
		}
	}
	return BF_OK;
}

/* Every gate with loads waiting at the start needs a flow that may use it
 * in the baseline, for the loads to be of. */
static int check_initial_queues(struct reader *r)
{
	const struct bf_scenario *sc = r->sc;
	for (int g = 0; g < sc->n_gates; g++) {
		bool fed = false;
		if (sc->gates[g].initial_queue == 0)
			continue;
		for (int f = 0; f < sc->n_flows; f++)
			for (int k = 0; k < sc->flows[f].n_gates; k++)
				if (sc->flows[f].gates[k] == g && (r->base[g].designated & (1u << sc->flows[f].klass)))
					fed = true;
		if (!fed) {
			char field[PATH_MAX_LEN];
			snprintf(field, sizeof(field), "gates[%d].initial_queue", g);
			return bf_jr_fail(
			    &r->jr, field,
			    "no flow may use gate pair %s in the baseline: the waiting loads would be of nothing",
			    sc->gates[g].id);
		}
	}
	return BF_OK;
}

static int read_all(struct reader *r, json_t *root)
{
	static const char *const keys[] = {"name",  "title", "about",    "sources", "season",
	                                   "gates", "flows", "policies", NULL};
	static const char *const season_keys[] = {"start", "days", "warmup_days", NULL};
	json_t *season;
	char start[16];
	int rc;
	if (!json_is_object(root))
		return bf_jr_fail(&r->jr, "", "a scenario must be a JSON object");
	if ((rc = bf_jr_keys(&r->jr, root, "", keys)) != 0 ||
	    (rc = bf_jr_str(&r->jr, root, "name", "", r->sc->name, sizeof(r->sc->name), true)) != 0 ||
	    (rc = bf_jr_str(&r->jr, root, "title", "", r->sc->title, sizeof(r->sc->title), false)) != 0 ||
	    (rc = bf_jr_object(&r->jr, root, "season", "", &season, true)) != 0 ||
	    (rc = bf_jr_keys(&r->jr, season, "season", season_keys)) != 0 ||
	    (rc = bf_jr_str(&r->jr, season, "start", "season", start, sizeof(start), true)) != 0 ||
	    (rc = bf_jr_int(&r->jr, season, "days", "season", 1, BF_SIM_MAX_DAYS, &r->sc->days, true)) != 0 ||
	    (rc = bf_jr_int(&r->jr, season, "warmup_days", "season", 0, r->sc->days - 1, &r->sc->warmup_days, false)) !=
	        0)
		return rc;
	if ((rc = read_notes(r, root)) != 0)
		return rc;
	int64_t day;
	if (bf_date_parse(start, &day))
		return bf_jr_fail(&r->jr, "season.start", "must be a date like 2021-12-01");
	if ((rc = read_gates(r, root)) != 0)
		return rc;
	r->sc->start = day * BF_DAY_SECONDS - (bf_time)r->base[0].side[0].utc_offset_min * 60;
	if ((rc = read_flows(r, root)) != 0 || (rc = check_initial_queues(r)) != 0 ||
	    (rc = read_policies(r, root)) != 0)
		return rc;
	return BF_OK;
}

int bf_scenario_read(const char *name, json_t *root, const struct bf_dataset *data, struct bf_scenario *sc,
                     struct bf_error *err)
{
	struct reader r = {.data = data, .sc = sc};
	memset(sc, 0, sizeof(*sc));
	r.jr.err = err;
	snprintf(r.jr.context, sizeof(r.jr.context), "%s", name ? name : "");
	int rc = read_all(&r, root);
	if (r.base) {
		for (int g = 0; g < sc->n_gates; g++)
			bf_gate_pair_clear(&r.base[g]);
		free(r.base);
	}
	if (rc != BF_OK)
		bf_scenario_clear(sc);
	return rc;
}

/* ---- bundled scenarios and scenario files ---- */

#define SCENARIO_FILE_MAX (4u << 20)
#define BUNDLED_MAX       16

const char *bf_scenario_bundled(const char *name)
{
	char key[128];
	snprintf(key, sizeof(key), "scenarios/%s.json", name);
	const struct bf_embedded_file *f = bf_embedded_find(key);
	return f ? f->data : NULL;
}

/* The bundled scenarios' names, listed once for all threads. */
static char bundled_names[BUNDLED_MAX][64];
static const char *bundled_list[BUNDLED_MAX + 1];

static void list_bundled(void)
{
	char(*names)[64] = bundled_names;
	const char **list = bundled_list;
	int n = 0;
	for (const struct bf_embedded_file *f = bf_embedded_files; f->name && n < BUNDLED_MAX; f++) {
		size_t len = strlen(f->name);
		if (strncmp(f->name, "scenarios/", 10) != 0 || len < 16 || len - 15 >= sizeof(names[0]))
			continue;
		memcpy(names[n], f->name + 10, len - 15);
		names[n][len - 15] = 0;
		list[n] = names[n];
		n++;
	}
	list[n] = NULL;
}

const char *const *bf_scenario_bundled_names(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, list_bundled);
	return bundled_list;
}

int bf_scenario_load(const char *spec, const struct bf_dataset *data, struct bf_scenario *sc, struct bf_error *err)
{
	json_error_t jerr;
	json_t *root;
	const char *text = bf_scenario_bundled(spec);
	char name[300];
	if (text) {
		snprintf(name, sizeof(name), "scenario %s", spec);
		root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	} else {
		struct stat st;
		if (stat(spec, &st) != 0)
			return bf_error_set(
			    err, BF_ENOTFOUND, "scenario",
			    "\"%s\" is neither a file nor a bundled scenario (bundled: run 'borderflow sim "
			    "--list')",
			    spec);
		if (!S_ISREG(st.st_mode))
			return bf_error_set(err, BF_EINVAL, "scenario", "%s is not a regular file", spec);
		if ((unsigned long long)st.st_size > SCENARIO_FILE_MAX)
			return bf_error_set(err, BF_ETOOBIG, "scenario", "%s is larger than %u bytes", spec,
			                    SCENARIO_FILE_MAX);
		snprintf(name, sizeof(name), "%s", spec);
		root = json_load_file(spec, JSON_REJECT_DUPLICATES, &jerr);
	}
	if (root == NULL)
		return bf_error_set(err, BF_EINVAL, "scenario", "%s:%d:%d: %s", name, jerr.line, jerr.column,
		                    jerr.text);
	int rc = bf_scenario_read(name, root, data, sc, err);
	json_decref(root);
	return rc;
}
