/* Reference data files: strict JSON readers that refuse unknown keys, wrong
 * types and out-of-range values, naming file, record and field. */
#include "codec/dataset.h"

#include "codec/embedded.h"
#include "codec/jsonread.h"
#include "model/buf.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends the record's key to its label: "gate 3" becomes "gate 3 (huu-nghi)". */
static void name_record(struct bf_jr *c, const char *key)
{
	size_t n = strlen(c->context);
	snprintf(c->context + n, sizeof(c->context) - n, " (%s)", key);
}

static int get_names(struct bf_jr *c, json_t *obj, char *vi, char *zh, char *en)
{
	static const char *const keys[] = {"vi", "zh", "en", NULL};
	json_t *names;
	int rc;
	if ((rc = bf_jr_object(c, obj, "names", "", &names, true)) != 0 ||
	    (rc = bf_jr_keys(c, names, "names", keys)) != 0 ||
	    (rc = bf_jr_str(c, names, "vi", "names", vi, BF_NAME_MAX, true)) != 0 ||
	    (rc = bf_jr_str(c, names, "zh", "names", zh, BF_NAME_MAX, true)) != 0 ||
	    (rc = bf_jr_str(c, names, "en", "names", en, BF_NAME_MAX, true)) != 0)
		return rc;
	return BF_OK;
}

/* The record's "sources" annotation: an object of strings, "*" required. */
static int get_sources(struct bf_jr *c, json_t *obj, char *dst, size_t cap)
{
	json_t *src, *v;
	const char *key;
	int rc = bf_jr_object(c, obj, "sources", "", &src, true);
	if (rc)
		return rc;
	json_object_foreach (src, key, v) {
		if (!json_is_string(v)) {
			char field[128];
			bf_jr_join(field, sizeof(field), "sources", key);
			return bf_jr_fail(c, field, "must be a string");
		}
	}
	return bf_jr_str(c, src, "*", "sources", dst, cap, true);
}

static int get_assumed(struct bf_jr *c, json_t *obj)
{
	json_t *a, *v;
	const char *key;
	int rc = bf_jr_object(c, obj, "assumed", "", &a, false);
	if (rc || a == NULL)
		return rc;
	json_object_foreach (a, key, v) {
		if (!json_is_string(v)) {
			char field[128];
			bf_jr_join(field, sizeof(field), "assumed", key);
			return bf_jr_fail(c, field, "must be a string saying what was assumed and why");
		}
	}
	return BF_OK;
}

static int parse_hours(struct bf_jr *c, json_t *arr, const char *path, struct bf_gate_side *side)
{
	static const char *const keys[] = {"days", "open", "close", "note", NULL};
	size_t i;
	json_t *h;
	json_array_foreach (arr, i, h) {
		char p[96], field[128], text[8];
		json_t *days, *d;
		int open, close, rc;
		size_t j;
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_is_object(h))
			return bf_jr_fail(c, p, "must be an object");
		if ((rc = bf_jr_keys(c, h, p, keys)) != 0 || (rc = bf_jr_array(c, h, "days", p, &days, true)) != 0)
			return rc;
		if (json_array_size(days) == 0)
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "days"), field),
			                  "must name at least one day");
		if ((rc = bf_jr_str(c, h, "open", p, text, sizeof(text), true)) != 0)
			return rc;
		if (bf_time_hhmm_parse(text, &open) || open == 24 * 60)
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "open"), field),
			                  "must be a time from 00:00 to 23:59, not \"%s\"", text);
		if ((rc = bf_jr_str(c, h, "close", p, text, sizeof(text), true)) != 0)
			return rc;
		if (bf_time_hhmm_parse(text, &close))
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "close"), field),
			                  "must be a time from 00:00 to 24:00, not \"%s\"", text);
		json_array_foreach (days, j, d) {
			int wd;
			snprintf(field, sizeof(field), "%s.days[%zu]", p, j);
			if (!json_is_string(d) || bf_gate_weekday_parse(json_string_value(d), &wd))
				return bf_jr_fail(c, field, "must be one of mon, tue, wed, thu, fri, sat, sun");
			if ((rc = bf_day_hours_add(&side->week[wd], open, close, c->err)) != 0) {
				char sub[128];
				snprintf(sub, sizeof(sub), "%s.%s", p, c->err->field);
				bf_strlcpy(c->err->field, sub, sizeof(c->err->field));
				return bf_jr_relabel(c, rc);
			}
		}
	}
	return BF_OK;
}

static int parse_exceptions(struct bf_jr *c, json_t *arr, const char *path, struct bf_gate_side *side)
{
	static const char *const keys[] = {"from", "to", "kind", "note", NULL};
	size_t i;
	json_t *x;
	json_array_foreach (arr, i, x) {
		char p[96], field[128], text[40];
		struct bf_exception e = {0};
		int rc;
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_is_object(x))
			return bf_jr_fail(c, p, "must be an object");
		if ((rc = bf_jr_keys(c, x, p, keys)) != 0 ||
		    (rc = bf_jr_str(c, x, "from", p, text, sizeof(text), true)) != 0)
			return rc;
		if (bf_time_parse(text, &e.start))
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "from"), field),
			                  "must be an instant with its offset, like 2027-02-05T00:00+07:00");
		if ((rc = bf_jr_str(c, x, "to", p, text, sizeof(text), true)) != 0)
			return rc;
		if (bf_time_parse(text, &e.end))
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "to"), field),
			                  "must be an instant with its offset, like 2027-02-08T00:00+07:00");
		if (e.end <= e.start)
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "to"), field),
			                  "the window ends before it starts");
		if ((rc = bf_jr_str(c, x, "kind", p, text, sizeof(text), true)) != 0)
			return rc;
		if (strcmp(text, "closed") != 0 && strcmp(text, "open") != 0)
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "kind"), field),
			                  "must be \"closed\" or \"open\"");
		e.open = strcmp(text, "open") == 0;
		if ((rc = bf_jr_str(c, x, "note", p, e.note, sizeof(e.note), false)) != 0)
			return rc;
		bf_gate_side_add_exception(side, &e);
	}
	return BF_OK;
}

static int parse_side(struct bf_jr *c, json_t *sides, const char *letter, struct bf_gate_side *side)
{
	static const char *const keys[] = {"country",    "subdivision", "province",   "gate", "tz",
	                                   "utc_offset", "hours",       "exceptions", "note", NULL};
	char path[16], field[64], text[16];
	json_t *obj, *hours, *exc;
	int rc;
	snprintf(path, sizeof(path), "sides.%s", letter);
	if ((rc = bf_jr_object(c, sides, letter, "sides", &obj, true)) != 0 ||
	    (rc = bf_jr_keys(c, obj, path, keys)) != 0 ||
	    (rc = bf_jr_str(c, obj, "country", path, side->country, sizeof(side->country), true)) != 0 ||
	    (rc = bf_jr_str(c, obj, "subdivision", path, side->subdivision, sizeof(side->subdivision), true)) != 0 ||
	    (rc = bf_jr_str(c, obj, "province", path, side->province, sizeof(side->province), true)) != 0 ||
	    (rc = bf_jr_str(c, obj, "gate", path, side->gate, sizeof(side->gate), true)) != 0 ||
	    (rc = bf_jr_str(c, obj, "tz", path, side->tz, sizeof(side->tz), true)) != 0 ||
	    (rc = bf_jr_str(c, obj, "utc_offset", path, text, sizeof(text), true)) != 0)
		return rc;
	if (bf_time_utc_offset_parse(text, &side->utc_offset_min))
		return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), path, "utc_offset"), field),
		                  "must look like +07:00");
	if ((rc = bf_jr_array(c, obj, "hours", path, &hours, true)) != 0)
		return rc;
	bf_jr_join(field, sizeof(field), path, "hours");
	if ((rc = parse_hours(c, hours, field, side)) != 0)
		return rc;
	if ((rc = bf_jr_array(c, obj, "exceptions", path, &exc, false)) != 0)
		return rc;
	bf_jr_join(field, sizeof(field), path, "exceptions");
	return exc ? parse_exceptions(c, exc, field, side) : BF_OK;
}

static int parse_lanes(struct bf_jr *c, json_t *rec, struct bf_gate_pair *g)
{
	static const char *const keys[] = {"direction", "lanes", "vehicles_per_hour", "note", NULL};
	bool seen[2] = {false, false};
	json_t *arr, *l;
	size_t i;
	int rc = bf_jr_array(c, rec, "lanes", "", &arr, true);
	if (rc)
		return rc;
	if (json_array_size(arr) != 2)
		return bf_jr_fail(c, "lanes", "must hold exactly two entries, a_to_b and b_to_a");
	json_array_foreach (arr, i, l) {
		char p[16], text[16], field[48];
		enum bf_direction d;
		snprintf(p, sizeof(p), "lanes[%zu]", i);
		if (!json_is_object(l))
			return bf_jr_fail(c, p, "must be an object");
		if ((rc = bf_jr_keys(c, l, p, keys)) != 0 ||
		    (rc = bf_jr_str(c, l, "direction", p, text, sizeof(text), true)) != 0)
			return rc;
		if (bf_direction_parse(text, &d))
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "direction"), field),
			                  "must be a_to_b or b_to_a");
		if (seen[d])
			return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "direction"), field),
			                  "%s is given twice", text);
		seen[d] = true;
		if ((rc = bf_jr_int(c, l, "lanes", p, 1, 64, &g->lanes[d].lanes, true)) != 0 ||
		    (rc = bf_jr_number(c, l, "vehicles_per_hour", p, &g->lanes[d].vehicles_per_hour, true)) != 0)
			return rc;
	}
	return BF_OK;
}

/* A rail pair's weekly timetable: departures in side A's local time. */
int bf_dataset_parse_train(struct bf_jr *c, json_t *t, const char *p, struct bf_train *tr)
{
	static const char *const keys[] = {"number",      "days",      "departs", "wagons",
	                                   "farm_wagons", "direction", "note",    NULL};
	char field[160], text[16];
	int minutes, wagons, farm, rc;
	json_t *days, *d;
	size_t k;
	memset(tr, 0, sizeof(*tr));
	if (!json_is_object(t))
		return bf_jr_fail(c, p, "must be an object");
	if ((rc = bf_jr_keys(c, t, p, keys)) != 0 ||
	    (rc = bf_jr_str(c, t, "number", p, tr->number, sizeof(tr->number), true)) != 0 ||
	    (rc = bf_jr_array(c, t, "days", p, &days, true)) != 0 ||
	    (rc = bf_jr_str(c, t, "departs", p, text, sizeof(text), true)) != 0)
		return rc;
	json_array_foreach (days, k, d) {
		int wd;
		snprintf(field, sizeof(field), "%s.days[%zu]", p, k);
		if (!json_is_string(d) || bf_gate_weekday_parse(json_string_value(d), &wd))
			return bf_jr_fail(c, field, "must be one of mon, tue, wed, thu, fri, sat, sun");
		tr->days |= 1u << wd;
	}
	if (tr->days == 0)
		return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "days"), field),
		                  "must name at least one day");
	if (bf_time_hhmm_parse(text, &minutes) || minutes >= 24 * 60)
		return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "departs"), field),
		                  "must be a time from 00:00 to 23:59");
	tr->departs = (short)minutes;
	if ((rc = bf_jr_int(c, t, "wagons", p, 1, 200, &wagons, true)) != 0 ||
	    (rc = bf_jr_int(c, t, "farm_wagons", p, 0, wagons, &farm, true)) != 0 ||
	    (rc = bf_jr_str(c, t, "direction", p, text, sizeof(text), true)) != 0)
		return rc;
	tr->wagons = (short)wagons;
	tr->farm_wagons = (short)farm;
	if (bf_direction_parse(text, &tr->direction))
		return bf_jr_fail(c, (bf_jr_join(field, sizeof(field), p, "direction"), field),
		                  "must be a_to_b or b_to_a");
	return BF_OK;
}

static int parse_trains(struct bf_jr *c, json_t *rec, struct bf_gate_pair *g)
{
	json_t *arr, *t;
	size_t i;
	int rc = bf_jr_array(c, rec, "trains", "", &arr, false);
	if (rc || arr == NULL)
		return rc;
	if (json_array_size(arr) > BF_MAX_TRAINS)
		return bf_jr_fail(c, "trains", "at most %d trains", BF_MAX_TRAINS);
	json_array_foreach (arr, i, t) {
		char p[24];
		snprintf(p, sizeof(p), "trains[%zu]", i);
		if ((rc = bf_dataset_parse_train(c, t, p, &g->trains[g->n_trains++])) != 0)
			return rc;
	}
	return BF_OK;
}

static int parse_gate(struct bf_jr *c, json_t *rec, struct bf_gate_pair *g)
{
	static const char *const keys[] = {"id",    "names",  "mode",    "class",   "location", "designated", "lanes",
	                                   "sides", "trains", "sources", "assumed", "note",     NULL};
	static const char *const loc_keys[] = {"lat", "lon", NULL};
	char text[32], field[48], sources[512];
	json_t *loc, *des, *sides, *d;
	size_t i;
	int rc;

	if (!json_is_object(rec))
		return bf_jr_fail(c, "", "must be an object");
	if ((rc = bf_jr_str(c, rec, "id", "", g->id, sizeof(g->id), true)) != 0)
		return rc;
	name_record(c, g->id);
	if ((rc = bf_jr_keys(c, rec, "", keys)) != 0)
		return rc;
	if ((rc = get_names(c, rec, g->name_vi, g->name_zh, g->name_en)) != 0 ||
	    (rc = bf_jr_str(c, rec, "mode", "", text, sizeof(text), true)) != 0)
		return rc;
	if (bf_mode_parse(text, &g->mode))
		return bf_jr_fail(c, "mode", "must be road or rail, not \"%s\"", text);
	if ((rc = bf_jr_str(c, rec, "class", "", text, sizeof(text), true)) != 0)
		return rc;
	if (bf_gate_class_parse(text, &g->klass))
		return bf_jr_fail(c, "class", "must be international, main or secondary, not \"%s\"", text);
	if ((rc = bf_jr_object(c, rec, "location", "", &loc, true)) != 0 ||
	    (rc = bf_jr_keys(c, loc, "location", loc_keys)) != 0 ||
	    (rc = bf_jr_number(c, loc, "lat", "location", &g->lat, true)) != 0 ||
	    (rc = bf_jr_number(c, loc, "lon", "location", &g->lon, true)) != 0)
		return rc;
	if ((rc = bf_jr_array(c, rec, "designated", "", &des, true)) != 0)
		return rc;
	json_array_foreach (des, i, d) {
		enum bf_commodity_class cc;
		snprintf(field, sizeof(field), "designated[%zu]", i);
		if (!json_is_string(d) || bf_commodity_class_parse(json_string_value(d), &cc))
			return bf_jr_fail(
			    c, field,
			    "unknown commodity class %s%s%s; known: fruit, vegetable, grain, dairy, aquatic, "
			    "meat, processed, other",
			    json_is_string(d) ? "\"" : "", json_is_string(d) ? json_string_value(d) : "(not a string)",
			    json_is_string(d) ? "\"" : "");
		g->designated |= 1u << cc;
	}
	if ((rc = parse_lanes(c, rec, g)) != 0 || (rc = parse_trains(c, rec, g)) != 0)
		return rc;
	if ((rc = bf_jr_object(c, rec, "sides", "", &sides, true)) != 0)
		return rc;
	{
		static const char *const side_keys[] = {"a", "b", NULL};
		if ((rc = bf_jr_keys(c, sides, "sides", side_keys)) != 0 ||
		    (rc = parse_side(c, sides, "a", &g->side[0])) != 0 ||
		    (rc = parse_side(c, sides, "b", &g->side[1])) != 0)
			return rc;
	}
	if ((rc = get_sources(c, rec, sources, sizeof(sources))) != 0 || (rc = get_assumed(c, rec)) != 0 ||
	    (rc = bf_jr_str(c, rec, "note", "", sources, sizeof(sources), false)) != 0)
		return rc;
	if ((rc = bf_gate_pair_validate(g, c->err)) != 0)
		return bf_jr_relabel(c, rc);
	return BF_OK;
}

/* "requires": {"CN": ["planting_areas", ...], "*": [...]}: what each
 * importing country asks a consignment of the commodity to carry. */
static int get_requires(struct bf_jr *c, json_t *rec, struct bf_commodity *m)
{
	json_t *req, *docs, *d;
	const char *importer;
	int rc = bf_jr_object(c, rec, "requires", "", &req, true);
	if (rc)
		return rc;
	json_object_foreach (req, importer, docs) {
		char field[64];
		size_t i;
		bf_jr_join(field, sizeof(field), "requires", importer);
		if (m->n_requirements == BF_REQUIREMENTS)
			return bf_jr_fail(c, "requires", "at most %d importing countries", BF_REQUIREMENTS);
		if (strlen(importer) > 2 || (strcmp(importer, "*") != 0 && !bf_country_code_valid(importer)))
			return bf_jr_fail(c, field, "must be keyed by an ISO 3166-1 alpha-2 code or \"*\"");
		if (!json_is_array(docs))
			return bf_jr_fail(c, field, "must be an array of document names");
		struct bf_requirement *r = &m->requirements[m->n_requirements++];
		bf_strlcpy(r->importer, importer, sizeof(r->importer));
		json_array_foreach (docs, i, d) {
			enum bf_document doc;
			char item[80];
			snprintf(item, sizeof(item), "%s[%zu]", field, i);
			if (bf_document_parse(json_string_value(d), &doc) != BF_OK)
				return bf_jr_fail(c, item,
				                  "must be planting_areas, packing_house, phyto_certificate, "
				                  "health_certificate or facility");
			if (r->documents & doc)
				return bf_jr_fail(c, item, "names %s twice", bf_document_name(doc));
			r->documents |= doc;
		}
	}
	return BF_OK;
}

static int parse_commodity(struct bf_jr *c, json_t *rec, struct bf_commodity *m)
{
	static const char *const keys[] = {
	    "hs_code", "names", "class", "shelf_life_hours", "value_usd_per_tonne", "requires", "sources",
	    "assumed", "note",  NULL};
	char text[32], note[512];
	int rc;
	if (!json_is_object(rec))
		return bf_jr_fail(c, "", "must be an object");
	if ((rc = bf_jr_str(c, rec, "hs_code", "", m->hs_code, sizeof(m->hs_code), true)) != 0)
		return rc;
	name_record(c, m->hs_code);
	if ((rc = bf_jr_keys(c, rec, "", keys)) != 0)
		return rc;
	if ((rc = get_names(c, rec, m->name_vi, m->name_zh, m->name_en)) != 0 ||
	    (rc = bf_jr_str(c, rec, "class", "", text, sizeof(text), true)) != 0)
		return rc;
	if (bf_commodity_class_parse(text, &m->klass))
		return bf_jr_fail(
		    c, "class",
		    "unknown commodity class \"%s\"; known: fruit, vegetable, grain, dairy, aquatic, meat, "
		    "processed, other",
		    text);
	if ((rc = bf_jr_int(c, rec, "shelf_life_hours", "", 1, 24 * 365 * 5, &m->shelf_life_hours, true)) != 0 ||
	    (rc = bf_jr_number(c, rec, "value_usd_per_tonne", "", &m->value_usd_per_tonne, true)) != 0)
		return rc;
	if ((rc = get_requires(c, rec, m)) != 0)
		return rc;
	if ((rc = get_sources(c, rec, m->source, sizeof(m->source))) != 0 || (rc = get_assumed(c, rec)) != 0 ||
	    (rc = bf_jr_str(c, rec, "note", "", note, sizeof(note), false)) != 0)
		return rc;
	if ((rc = bf_commodity_validate(m, c->err)) != 0)
		return bf_jr_relabel(c, rc);
	return BF_OK;
}

static int get_status(struct bf_jr *c, json_t *rec, enum bf_registry_status *out)
{
	char text[16];
	int rc = bf_jr_str(c, rec, "status", "", text, sizeof(text), true);
	if (rc)
		return rc;
	if (bf_registry_status_parse(text, out))
		return bf_jr_fail(c, "status", "must be active or suspended");
	return BF_OK;
}

static int parse_exporter(struct bf_jr *c, json_t *rec, struct bf_exporter *e)
{
	static const char *const keys[] = {"id", "name", "country", "status", "approvals", "note", NULL};
	static const char *const akeys[] = {"hs_code", "destination", NULL};
	json_t *arr, *a;
	size_t i;
	int rc;
	if (!json_is_object(rec))
		return bf_jr_fail(c, "", "must be an object");
	if ((rc = bf_jr_str(c, rec, "id", "", e->id, sizeof(e->id), true)) != 0)
		return rc;
	name_record(c, e->id);
	if ((rc = bf_jr_keys(c, rec, "", keys)) != 0)
		return rc;
	if ((rc = bf_jr_str(c, rec, "name", "", e->name, sizeof(e->name), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "country", "", e->country, sizeof(e->country), true)) != 0 ||
	    (rc = get_status(c, rec, &e->status)) != 0 || (rc = bf_jr_array(c, rec, "approvals", "", &arr, true)) != 0)
		return rc;
	if (json_array_size(arr) > BF_MAX_APPROVALS)
		return bf_jr_fail(c, "approvals", "at most %d approvals", BF_MAX_APPROVALS);
	json_array_foreach (arr, i, a) {
		char p[24];
		snprintf(p, sizeof(p), "approvals[%zu]", i);
		if (!json_is_object(a))
			return bf_jr_fail(c, p, "must be an object");
		if ((rc = bf_jr_keys(c, a, p, akeys)) != 0 ||
		    (rc = bf_jr_str(c, a, "hs_code", p, e->approvals[i].hs_code, sizeof(e->approvals[i].hs_code),
		                    true)) != 0 ||
		    (rc = bf_jr_str(c, a, "destination", p, e->approvals[i].destination,
		                    sizeof(e->approvals[i].destination), true)) != 0)
			return rc;
		e->n_approvals++;
	}
	if ((rc = bf_exporter_validate(e, c->err)) != 0)
		return bf_jr_relabel(c, rc);
	return BF_OK;
}

static int parse_planting_area(struct bf_jr *c, json_t *rec, struct bf_planting_area *p)
{
	static const char *const keys[] = {"code", "hs_code", "country", "province", "status", "note", NULL};
	int rc;
	if (!json_is_object(rec))
		return bf_jr_fail(c, "", "must be an object");
	if ((rc = bf_jr_str(c, rec, "code", "", p->code, sizeof(p->code), true)) != 0)
		return rc;
	name_record(c, p->code);
	if ((rc = bf_jr_keys(c, rec, "", keys)) != 0)
		return rc;
	if ((rc = bf_jr_str(c, rec, "hs_code", "", p->hs_code, sizeof(p->hs_code), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "country", "", p->country, sizeof(p->country), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "province", "", p->province, sizeof(p->province), true)) != 0 ||
	    (rc = get_status(c, rec, &p->status)) != 0)
		return rc;
	if ((rc = bf_planting_area_validate(p, c->err)) != 0)
		return bf_jr_relabel(c, rc);
	return BF_OK;
}

static int parse_packing_house(struct bf_jr *c, json_t *rec, struct bf_packing_house *p)
{
	static const char *const keys[] = {"code", "name", "country", "province", "status", "note", NULL};
	int rc;
	if (!json_is_object(rec))
		return bf_jr_fail(c, "", "must be an object");
	if ((rc = bf_jr_str(c, rec, "code", "", p->code, sizeof(p->code), true)) != 0)
		return rc;
	name_record(c, p->code);
	if ((rc = bf_jr_keys(c, rec, "", keys)) != 0)
		return rc;
	if ((rc = bf_jr_str(c, rec, "name", "", p->name, sizeof(p->name), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "country", "", p->country, sizeof(p->country), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "province", "", p->province, sizeof(p->province), true)) != 0 ||
	    (rc = get_status(c, rec, &p->status)) != 0)
		return rc;
	if ((rc = bf_packing_house_validate(p, c->err)) != 0)
		return bf_jr_relabel(c, rc);
	return BF_OK;
}

static int parse_facility(struct bf_jr *c, json_t *rec, struct bf_facility *f)
{
	static const char *const keys[] = {"code",     "name",   "country", "province", "registered_with",
	                                   "products", "status", "note",    NULL};
	json_t *arr, *a;
	size_t i;
	int rc;
	if (!json_is_object(rec))
		return bf_jr_fail(c, "", "must be an object");
	if ((rc = bf_jr_str(c, rec, "code", "", f->code, sizeof(f->code), true)) != 0)
		return rc;
	name_record(c, f->code);
	if ((rc = bf_jr_keys(c, rec, "", keys)) != 0)
		return rc;
	if ((rc = bf_jr_str(c, rec, "name", "", f->name, sizeof(f->name), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "country", "", f->country, sizeof(f->country), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "province", "", f->province, sizeof(f->province), true)) != 0 ||
	    (rc = bf_jr_str(c, rec, "registered_with", "", f->registered_with, sizeof(f->registered_with), true)) !=
	        0 ||
	    (rc = get_status(c, rec, &f->status)) != 0 || (rc = bf_jr_array(c, rec, "products", "", &arr, true)) != 0)
		return rc;
	if (json_array_size(arr) > BF_FACILITY_PRODUCTS)
		return bf_jr_fail(c, "products", "at most %d HS codes or headings", BF_FACILITY_PRODUCTS);
	json_array_foreach (arr, i, a) {
		char p[24];
		snprintf(p, sizeof(p), "products[%zu]", i);
		if (!json_is_string(a) || json_string_length(a) > BF_HS_MAX)
			return bf_jr_fail(c, p, "must be an HS heading or code of 4 to 10 digits");
		bf_strlcpy(f->products[f->n_products++], json_string_value(a), BF_HS_MAX + 1);
	}
	if ((rc = bf_facility_validate(f, c->err)) != 0)
		return bf_jr_relabel(c, rc);
	return BF_OK;
}

/* Parses the array ROOT[KEY], growing *ARR by one zeroed element of SIZE
 * bytes a record and handing it to PARSE. */
static int parse_records(struct bf_jr *c, const char *file, json_t *root, const char *key, const char *label,
                         void **arr, size_t *n, size_t size, int (*parse)(struct bf_jr *, json_t *, void *))
{
	json_t *list, *rec;
	size_t i;
	int rc;
	if ((rc = bf_jr_array(c, root, key, "", &list, true)) != 0)
		return rc;
	json_array_foreach (list, i, rec) {
		char *base;
		*arr = bf_xrealloc(*arr, (*n + 1) * size);
		base = (char *)*arr + *n * size;
		memset(base, 0, size);
		(*n)++; /* counted at once, so that bf_dataset_free releases a half-read record */
		snprintf(c->context, sizeof(c->context), "%s: %s %zu", file, label, i + 1);
		if ((rc = parse(c, rec, base)) != 0)
			return rc;
	}
	return BF_OK;
}

static int parse_gate_cb(struct bf_jr *c, json_t *j, void *p)
{
	return parse_gate(c, j, p);
}
static int parse_commodity_cb(struct bf_jr *c, json_t *j, void *p)
{
	return parse_commodity(c, j, p);
}
static int parse_exporter_cb(struct bf_jr *c, json_t *j, void *p)
{
	return parse_exporter(c, j, p);
}
static int parse_pa_cb(struct bf_jr *c, json_t *j, void *p)
{
	return parse_planting_area(c, j, p);
}
static int parse_ph_cb(struct bf_jr *c, json_t *j, void *p)
{
	return parse_packing_house(c, j, p);
}
static int parse_facility_cb(struct bf_jr *c, json_t *j, void *p)
{
	return parse_facility(c, j, p);
}

int bf_dataset_parse(const char *name, const char *text, size_t len, struct bf_dataset *out, struct bf_error *err)
{
	struct bf_jr c = {.err = err};
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	json_error_t jerr;
	json_t *root;
	int rc;

	snprintf(c.context, sizeof(c.context), "%s: top level", name);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return bf_error_set(err, BF_EINVAL, "", "%s: line %d, column %d: not valid JSON: %s", name, jerr.line,
		                    jerr.column, jerr.text);
	if (!json_is_object(root)) {
		rc = bf_jr_fail(&c, "", "the file must hold a JSON object");
	} else if (strcmp(base, "gates.json") == 0) {
		static const char *const keys[] = {"about", "gates", "sources", "note", NULL};
		if ((rc = bf_jr_keys(&c, root, "", keys)) == 0)
			rc = parse_records(&c, name, root, "gates", "gate", (void **)&out->gates, &out->n_gates,
			                   sizeof(*out->gates), parse_gate_cb);
	} else if (strcmp(base, "commodities.json") == 0) {
		static const char *const keys[] = {"about", "commodities", "sources", "note", NULL};
		if ((rc = bf_jr_keys(&c, root, "", keys)) == 0)
			rc = parse_records(&c, name, root, "commodities", "commodity", (void **)&out->commodities,
			                   &out->n_commodities, sizeof(*out->commodities), parse_commodity_cb);
	} else if (strcmp(base, "registry.json") == 0) {
		static const char *const keys[] = {
		    "about", "exporters", "planting_areas", "packing_houses", "facilities", "note", NULL};
		if ((rc = bf_jr_keys(&c, root, "", keys)) == 0 &&
		    (rc = parse_records(&c, name, root, "exporters", "exporter", (void **)&out->exporters,
		                        &out->n_exporters, sizeof(*out->exporters), parse_exporter_cb)) == 0 &&
		    (rc =
		         parse_records(&c, name, root, "planting_areas", "planting area", (void **)&out->planting_areas,
		                       &out->n_planting_areas, sizeof(*out->planting_areas), parse_pa_cb)) == 0 &&
		    (rc =
		         parse_records(&c, name, root, "packing_houses", "packing house", (void **)&out->packing_houses,
		                       &out->n_packing_houses, sizeof(*out->packing_houses), parse_ph_cb)) == 0 &&
		    json_object_get(root, "facilities") != NULL)
			rc = parse_records(&c, name, root, "facilities", "facility", (void **)&out->facilities,
			                   &out->n_facilities, sizeof(*out->facilities), parse_facility_cb);
	} else {
		rc = bf_error_set(err, BF_EINVAL, "",
		                  "%s: not a data file borderflow knows (gates.json, commodities.json, registry.json)",
		                  name);
	}
	json_decref(root);
	return rc;
}

static bool has_commodity(const struct bf_dataset *d, const char *hs)
{
	for (size_t i = 0; i < d->n_commodities; i++) {
		if (strcmp(d->commodities[i].hs_code, hs) == 0)
			return true;
	}
	return false;
}

#define DUPLICATES(arr, n, key, file, label)                                                                           \
	for (size_t i = 0; i < (n); i++)                                                                               \
		for (size_t j = i + 1; j < (n); j++)                                                                   \
			if (strcmp((arr)[i].key, (arr)[j].key) == 0)                                                   \
				return bf_error_set(err, BF_EINVAL, #key,                                              \
				                    "%s: %s %zu: field " #key ": \"%s\" is already used by %s %zu",    \
				                    file, label, j + 1, (arr)[j].key, label, i + 1);

int bf_dataset_check(const struct bf_dataset *d, struct bf_error *err)
{
	DUPLICATES(d->gates, d->n_gates, id, "gates.json", "gate")
	DUPLICATES(d->commodities, d->n_commodities, hs_code, "commodities.json", "commodity")
	DUPLICATES(d->exporters, d->n_exporters, id, "registry.json", "exporter")
	DUPLICATES(d->planting_areas, d->n_planting_areas, code, "registry.json", "planting area")
	DUPLICATES(d->packing_houses, d->n_packing_houses, code, "registry.json", "packing house")
	DUPLICATES(d->facilities, d->n_facilities, code, "registry.json", "facility")
	for (size_t i = 0; i < d->n_exporters; i++) {
		for (int a = 0; a < d->exporters[i].n_approvals; a++) {
			if (!has_commodity(d, d->exporters[i].approvals[a].hs_code))
				return bf_error_set(err, BF_EINVAL, "hs_code",
				                    "registry.json: exporter %zu (%s): field approvals[%d].hs_code: %s "
				                    "is not in commodities.json",
				                    i + 1, d->exporters[i].id, a, d->exporters[i].approvals[a].hs_code);
		}
	}
	for (size_t i = 0; i < d->n_planting_areas; i++) {
		if (!has_commodity(d, d->planting_areas[i].hs_code))
			return bf_error_set(
			    err, BF_EINVAL, "hs_code",
			    "registry.json: planting area %zu (%s): field hs_code: %s is not in commodities.json",
			    i + 1, d->planting_areas[i].code, d->planting_areas[i].hs_code);
	}
	return BF_OK;
}

static int read_file(const char *path, char **text, size_t *len, struct bf_error *err)
{
	struct bf_buf buf;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return bf_error_set(err, BF_EIO, "data", "%s: cannot open: %s", path, strerror(errno));
	bf_buf_init(&buf, BF_DATASET_FILE_MAX);
	int rc = bf_buf_add_file(&buf, f);
	fclose(f);
	if (rc != BF_OK) {
		bf_buf_clear(&buf);
		return rc == BF_ETOOBIG ? bf_error_set(err, BF_ETOOBIG, "data", "%s: larger than %u bytes", path,
		                                       BF_DATASET_FILE_MAX)
		                        : bf_error_set(err, BF_EIO, "data", "%s: read failed", path);
	}
	*len = buf.len;
	*text = bf_buf_take(&buf);
	return BF_OK;
}

int bf_dataset_load(const char *dir, struct bf_dataset *out, struct bf_error *err)
{
	static const char *const files[] = {"commodities.json", "gates.json", "registry.json"};
	int rc = BF_OK;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && rc == BF_OK; i++) {
		if (dir == NULL) {
			const struct bf_embedded_file *f = bf_embedded_find(files[i]);
			char name[64];
			snprintf(name, sizeof(name), "data/%s", files[i]);
			rc = f ? bf_dataset_parse(name, f->data, f->len, out, err)
			       : bf_error_set(err, BF_EIO, "data", "%s is not built into this binary", files[i]);
		} else {
			char path[4096];
			char *text = NULL;
			size_t len = 0;
			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			if ((rc = read_file(path, &text, &len, err)) == 0)
				rc = bf_dataset_parse(path, text, len, out, err);
			free(text);
		}
	}
	if (rc == BF_OK)
		rc = bf_dataset_check(out, err);
	if (rc)
		bf_dataset_free(out);
	return rc;
}
