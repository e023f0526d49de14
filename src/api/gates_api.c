/* Handlers of the public read endpoints: health, gates, commodities,
 * who a token stands for, and the OpenAPI document. */
#include "api/handlers.h"

#include "codec/commodity.h"
#include "codec/embedded.h"
#include "codec/gate.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void bf_h_health(struct bf_call *c, struct bf_reply *r)
{
	struct bf_health h;
	struct bf_error err;
	if (bf_service_health(c->svc, &h, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	bf_reply_json(r, 200,
	              json_pack("{s:s, s:s, s:i, s:{s:i, s:i, s:i, s:i, s:i}}", "status", "ok", "store", h.backend,
	                        "schema_version", h.schema_version, "counts", "gates", (int)h.gates, "commodities",
	                        (int)h.commodities, "exporters", (int)h.exporters, "planting_areas",
	                        (int)h.planting_areas, "packing_houses", (int)h.packing_houses));
}

/* Reads query parameter NAME as an instant; absent leaves *OUT alone. */
static bool query_time(struct bf_call *c, struct bf_reply *r, const char *name, bf_time *out)
{
	const char *v = c->query(c->conn, name), *why;
	if (v != NULL && bf_time_read(v, out, &why)) {
		bf_reply_error(r, 400, "invalid", name,
		               "must be an instant with its zone, like 2026-12-01T10:30:00Z: \"%.64s\" %s", v, why);
		return false;
	}
	return true;
}

const char *const bf_gates_query[] = {"date", "open_at", "mode", "class", "designated", NULL};

/* GET /v1/gates: every pair with its crossing windows on one day (side
 * A's calendar day: ?date=, else the day of ?open_at=, else today), filtered by ?mode=, ?class=,
 * ?designated= and ?open_at=. */
void bf_h_gates(struct bf_call *c, struct bf_reply *r)
{
	const char *date = c->query(c->conn, "date"), *mode = c->query(c->conn, "mode");
	const char *klass = c->query(c->conn, "class"), *des = c->query(c->conn, "designated");
	bf_time open_at = 0, now = bf_service_now(c->svc);
	int64_t day = 0;
	enum bf_mode m = BF_MODE_ROAD;
	enum bf_gate_class gc = BF_GATE_MAIN;
	enum bf_commodity_class cc = BF_CC_FRUIT;
	struct bf_gate_pair *gates;
	struct bf_error err;
	size_t n;

	const char *why;
	if (date != NULL && bf_date_read(date, &day, &why)) {
		bf_reply_error(r, 400, "invalid", "date", "must be a calendar date like 2026-12-01: \"%.64s\" %s", date,
		               why);
		return;
	}
	if (mode != NULL && bf_mode_parse(mode, &m)) {
		bf_reply_error(r, 400, "invalid", "mode", "must be road or rail");
		return;
	}
	if (klass != NULL && bf_gate_class_parse(klass, &gc)) {
		bf_reply_error(r, 400, "invalid", "class", "must be international, main or secondary");
		return;
	}
	if (des != NULL && bf_commodity_class_parse(des, &cc)) {
		bf_reply_error(r, 400, "invalid", "designated", "must be a commodity class such as fruit");
		return;
	}
	if (!query_time(c, r, "open_at", &open_at))
		return;
	if (bf_service_gates(c->svc, &gates, &n, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct bf_gate_pair *g = &gates[i];
		if ((mode && g->mode != m) || (klass && g->klass != gc) || (des && !(g->designated & (1u << cc))))
			continue;
		if (c->query(c->conn, "open_at") && !bf_gate_open_at(g, open_at))
			continue;
		/* With ?open_at= the day shown is the one holding that instant. */
		int64_t d = date ? day : bf_gate_day_of(g, c->query(c->conn, "open_at") ? open_at : now);
		struct bf_interval span = bf_gate_local_day(g, d);
		char dtext[BF_TIME_TEXT];
		json_t *o = bf_gate_json(g, false);
		bf_date_format(d, dtext);
		json_object_set_new(o, "day", json_string(dtext));
		json_object_set_new(o, "windows", bf_gate_windows_json(g, span.start, span.end));
		json_array_append_new(list, o);
	}
	bf_service_gates_free(gates, n);
	bf_reply_json(r, 200, json_pack("{s:o}", "gates", list));
}

const char *const bf_gate_query[] = {"from", "days", NULL};

/* GET /v1/gates/{id}: one pair in full, with its crossing windows over
 * ?days= days (7 unless given, at most 31) from ?from= (now unless given). */
void bf_h_gate(struct bf_call *c, struct bf_reply *r)
{
	struct bf_gate_pair g;
	struct bf_error err;
	bf_time from = bf_service_now(c->svc);
	long days = 7;
	const char *dtext = c->query(c->conn, "days");

	if (!query_time(c, r, "from", &from))
		return;
	if (dtext != NULL) {
		char *end;
		days = strtol(dtext, &end, 10);
		if (*dtext == '\0' || *end != '\0' || days < 1 || days > 31) {
			bf_reply_error(r, 400, "invalid", "days", "must be a whole number from 1 to 31");
			return;
		}
	}
	if (from + days * BF_DAY_SECONDS > BF_TIME_MAX) {
		bf_reply_error(r, 400, "invalid", "days", "reaches past 9999-12-30T23:59:59Z, the last instant kept");
		return;
	}
	if (bf_service_gate(c->svc, c->params[0], &g, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	char ftext[BF_TIME_TEXT], ttext[BF_TIME_TEXT];
	bf_time to = from + days * BF_DAY_SECONDS;
	json_t *o = bf_gate_json(&g, true);
	bf_time_format_utc(from, ftext);
	bf_time_format_utc(to, ttext);
	json_object_set_new(o, "windows_from", json_string(ftext));
	json_object_set_new(o, "windows_to", json_string(ttext));
	json_object_set_new(o, "windows", bf_gate_windows_json(&g, from, to));
	bf_gate_pair_clear(&g);
	bf_reply_json(r, 200, o);
}

const char *const bf_gates_commodities_query[] = {"class", NULL};

void bf_h_commodities(struct bf_call *c, struct bf_reply *r)
{
	const char *klass = c->query(c->conn, "class");
	enum bf_commodity_class cc = BF_CC_FRUIT;
	struct bf_commodity *v;
	struct bf_error err;
	size_t n;

	if (klass != NULL && bf_commodity_class_parse(klass, &cc)) {
		bf_reply_error(r, 400, "invalid", "class", "must be a commodity class such as fruit");
		return;
	}
	if (bf_service_commodities(c->svc, &v, &n, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		if (klass == NULL || v[i].klass == cc)
			json_array_append_new(list, bf_commodity_json(&v[i]));
	}
	free(v);
	bf_reply_json(r, 200, json_pack("{s:o}", "commodities", list));
}

/* GET /v1/whoami: the party and role a token stands for, so that a client
 * (the dashboard) can show what it may do. */
void bf_h_whoami(struct bf_call *c, struct bf_reply *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "party", c->actor.id, "name", c->actor.name, "role",
	                      bf_role_name(c->actor.role), "country", c->actor.country);
	/* A gate operator's gates; none: every gate of its country. */
	if (c->actor.role == BF_ROLE_GATE_OPERATOR) {
		json_t *gates = json_array();
		for (int i = 0; i < c->actor.n_gates; i++)
			json_array_append_new(gates, json_string(c->actor.gates[i]));
		json_object_set_new(o, "gates", gates);
	}
	bf_reply_json(r, 200, o);
}

void bf_h_openapi(struct bf_call *c, struct bf_reply *r)
{
	const struct bf_embedded_file *f = bf_embedded_find("openapi.json");
	(void)c;
	if (f == NULL) {
		bf_reply_error(r, 500, "internal", "", "the OpenAPI document is not built in");
		return;
	}
	r->status = 200;
	r->raw = f->data;
	r->raw_len = f->len;
}
