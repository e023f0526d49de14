/* Handlers of the public read endpoints: health, gates, commodities and
 * the OpenAPI document. */
#include "api/routes.h"

#include "api/encode.h"
#include "api/handlers.h"
#include "service/embedded.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void bf_reply_json(struct bf_reply *r, int status, json_t *body)
{
	json_decref(r->body);
	r->status = status;
	r->body = body;
}

void bf_reply_error(struct bf_reply *r, int status, const char *code, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bf_reply_json(r, status, bf_json_error(code, field, msg));
}

void bf_reply_failure(struct bf_reply *r, const struct bf_error *err)
{
	int status;
	switch (err->code) {
	case BF_EINVAL:
		status = 400;
		break;
	case BF_ENOTFOUND:
		status = 404;
		break;
	case BF_ECONFLICT:
		status = 409;
		break;
	case BF_EFORBIDDEN:
		status = 403;
		break;
	case BF_ETOOBIG:
		status = 413;
		break;
	case BF_EREJECTED:
		status = 422;
		break;
	case BF_EAUTH:
		status = 401;
		break;
	default:
		status = 500;
		break;
	}
	bf_reply_json(r, status, bf_json_error(bf_error_code_name(err->code), err->field, err->message));
}

static bf_time now_utc(void)
{
	return (bf_time)time(NULL);
}

static void h_health(struct bf_call *c, struct bf_reply *r)
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

bool bf_call_paging(struct bf_call *call, struct bf_reply *r, int *limit, int64_t *after, long long min_cursor)
{
	const char *l = call->query(call->conn, "limit"), *cur = call->query(call->conn, "cursor");
	char *end;
	if (l) {
		long v = strtol(l, &end, 10);
		if (!*l || *end || v < 1 || v > 500) {
			bf_reply_error(r, 400, "invalid", "limit", "must be a whole number from 1 to 500");
			return false;
		}
		*limit = (int)v;
	}
	if (cur) {
		long long a = strtoll(cur, &end, 10);
		if (!*cur || *end || a < min_cursor) {
			bf_reply_error(r, 400, "invalid", "cursor", "must be the next_cursor of a previous page");
			return false;
		}
		*after = a;
	}
	return true;
}

/* Reads query parameter NAME as an instant; absent leaves *OUT alone. */
static bool query_time(struct bf_call *c, struct bf_reply *r, const char *name, bf_time *out)
{
	const char *v = c->query(c->conn, name);
	if (v != NULL && bf_time_parse(v, out)) {
		bf_reply_error(r, 400, "invalid", name, "must be an instant with its zone, like 2026-12-01T10:30:00Z");
		return false;
	}
	return true;
}

static const char *const gates_query[] = {"date", "open_at", "mode", "class", "designated", NULL};

/* GET /v1/gates: every pair with its crossing windows on one day (side
 * A's calendar day: ?date=, else the day of ?open_at=, else today), filtered by ?mode=, ?class=,
 * ?designated= and ?open_at=. */
static void h_gates(struct bf_call *c, struct bf_reply *r)
{
	const char *date = c->query(c->conn, "date"), *mode = c->query(c->conn, "mode");
	const char *klass = c->query(c->conn, "class"), *des = c->query(c->conn, "designated");
	bf_time open_at = 0, now = now_utc();
	int64_t day = 0;
	enum bf_mode m = BF_MODE_ROAD;
	enum bf_gate_class gc = BF_GATE_MAIN;
	enum bf_commodity_class cc = BF_CC_FRUIT;
	struct bf_gate_pair *gates;
	struct bf_error err;
	size_t n;

	if (date != NULL && bf_date_parse(date, &day)) {
		bf_reply_error(r, 400, "invalid", "date", "must be a calendar date like 2026-12-01");
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
		json_t *o = bf_json_gate(g, false);
		bf_date_format(d, dtext);
		json_object_set_new(o, "day", json_string(dtext));
		json_object_set_new(o, "windows", bf_json_windows(g, span.start, span.end));
		json_array_append_new(list, o);
	}
	bf_service_gates_free(gates, n);
	bf_reply_json(r, 200, json_pack("{s:o}", "gates", list));
}

static const char *const gate_query[] = {"from", "days", NULL};

/* GET /v1/gates/{id}: one pair in full, with its crossing windows over
 * ?days= days (7 unless given, at most 31) from ?from= (now unless given). */
static void h_gate(struct bf_call *c, struct bf_reply *r)
{
	struct bf_gate_pair g;
	struct bf_error err;
	bf_time from = now_utc();
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
	if (bf_service_gate(c->svc, c->params[0], &g, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	char ftext[BF_TIME_TEXT], ttext[BF_TIME_TEXT];
	bf_time to = from + days * BF_DAY_SECONDS;
	json_t *o = bf_json_gate(&g, true);
	bf_time_format_utc(from, ftext);
	bf_time_format_utc(to, ttext);
	json_object_set_new(o, "windows_from", json_string(ftext));
	json_object_set_new(o, "windows_to", json_string(ttext));
	json_object_set_new(o, "windows", bf_json_windows(&g, from, to));
	bf_gate_pair_clear(&g);
	bf_reply_json(r, 200, o);
}

static const char *const commodities_query[] = {"class", NULL};

static void h_commodities(struct bf_call *c, struct bf_reply *r)
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
			json_array_append_new(list, bf_json_commodity(&v[i]));
	}
	free(v);
	bf_reply_json(r, 200, json_pack("{s:o}", "commodities", list));
}

/* GET /v1/whoami: the party and role a token stands for, so that a client
 * (the dashboard) can show what it may do. */
static void h_whoami(struct bf_call *c, struct bf_reply *r)
{
	bf_reply_json(r, 200,
	              json_pack("{s:s, s:s, s:s, s:s}", "party", c->actor.id, "name", c->actor.name, "role",
	                        bf_role_name(c->actor.role), "country", c->actor.country));
}

static void h_openapi(struct bf_call *c, struct bf_reply *r)
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

#define CARRIER     BF_ROLE_BIT(BF_ROLE_CARRIER)
#define REGISTRY    BF_ROLE_BIT(BF_ROLE_REGISTRY_AUTHORITY)
#define OPERATOR    BF_ROLE_BIT(BF_ROLE_GATE_OPERATOR)
#define PLANNER     BF_ROLE_BIT(BF_ROLE_PLANNER)
#define DECIDERS    (BF_ROLE_BIT(BF_ROLE_EXPORT_AUTHORITY) | BF_ROLE_BIT(BF_ROLE_IMPORT_AUTHORITY) | OPERATOR)
#define AUTHORITIES (BF_ROLE_BIT(BF_ROLE_EXPORT_AUTHORITY) | BF_ROLE_BIT(BF_ROLE_IMPORT_AUTHORITY))
/* Who posts and acknowledges notices. */
#define NOTIFIERS   (DECIDERS | REGISTRY)
/* Who reads consignments: everyone but the registry authorities. */
#define READERS     (BF_ROLES_ALL & ~REGISTRY)

/* KEPT: the answer depends on the path, the query, the store and the
 * clock only, never on who asks; the server may answer again what it
 * answered at the same revision of the store less than a second ago
 * (api/cache.h). */
#define KEPT true

static const struct bf_route routes[] = {
    {"GET", "/", NULL, 0, bf_h_web_index, 0},
    {"GET", "/assets/{name}", NULL, 0, bf_h_web_asset, 0},
    {"GET", "/healthz", NULL, 0, h_health, 0},
    {"GET", "/metrics", NULL, 0, bf_h_metrics, 0},
    {"GET", "/v1/openapi.json", NULL, 0, h_openapi, 0},
    {"GET", "/v1/whoami", NULL, BF_ROLES_ALL, h_whoami, 0},
    {"GET", "/v1/gates", gates_query, 0, h_gates, KEPT},
    {"GET", "/v1/gates/{id}", gate_query, 0, h_gate, KEPT},
    {"GET", "/v1/commodities", commodities_query, 0, h_commodities, KEPT},
    {"POST", "/v1/consignments", NULL, CARRIER, bf_h_declare, 0},
    {"GET", "/v1/consignments", bf_consignments_query, READERS, bf_h_consignments, 0},
    {"GET", "/v1/consignments/{id}", NULL, READERS, bf_h_consignment, 0},
    {"POST", "/v1/consignments/{id}/booking", NULL, CARRIER, bf_h_book, 0},
    {"DELETE", "/v1/consignments/{id}/booking", NULL, CARRIER, bf_h_unbook, 0},
    {"POST", "/v1/consignments/{id}/check-in", NULL, CARRIER, bf_h_check_in, 0},
    {"GET", "/v1/consignments/{id}/events", NULL, READERS, bf_h_consignment_events, 0},
    {"POST", "/v1/consignments/{id}/decisions", NULL, DECIDERS, bf_h_decide, 0},
    {"GET", "/v1/risk-profiles/{country}", NULL, BF_ROLES_ALL, bf_h_risk_profile, 0},
    {"PUT", "/v1/risk-profiles/{country}", NULL, AUTHORITIES, bf_h_risk_profile_put, 0},
    {"GET", "/v1/gates/{id}/slots", bf_slots_query, 0, bf_h_slots, KEPT},
    {"GET", "/v1/gates/{id}/queue", NULL, READERS, bf_h_queue, KEPT},
    {"POST", "/v1/gates/{id}/call", NULL, OPERATOR, bf_h_call, 0},
    {"POST", "/v1/gates/{id}/changes", NULL, OPERATOR, bf_h_change, 0},
    {"GET", "/v1/scenarios", NULL, 0, bf_h_scenarios, 0},
    {"GET", "/v1/events", bf_events_query, BF_ROLE_BIT(BF_ROLE_AUDITOR), bf_h_events, 0},
    {"GET", "/v1/sync", NULL, BF_ROLES_ALL, bf_h_sync, 0},
    {"POST", "/v1/simulations", NULL, PLANNER, bf_h_simulate, 0},
    {"GET", "/v1/simulations/{id}", NULL, PLANNER, bf_h_simulation, 0},
    {"POST", "/v1/notices", NULL, NOTIFIERS, bf_h_notice_post, 0},
    {"GET", "/v1/notices", bf_notices_query, BF_ROLES_ALL, bf_h_notices, 0},
    {"GET", "/v1/notices/{id}", NULL, BF_ROLES_ALL, bf_h_notice, 0},
    {"POST", "/v1/notices/{id}/acknowledge", NULL, NOTIFIERS, bf_h_notice_acknowledge, 0},
    {"POST", "/v1/notices/{id}/suspend", NULL, REGISTRY, bf_h_notice_suspend, 0},
    {"GET", "/v1/exporters", bf_registry_query, BF_ROLES_ALL, bf_h_exporters, 0},
    {"POST", "/v1/exporters", NULL, REGISTRY, bf_h_exporter_create, 0},
    {"GET", "/v1/exporters/{id}", NULL, BF_ROLES_ALL, bf_h_exporter, 0},
    {"PATCH", "/v1/exporters/{id}", NULL, REGISTRY, bf_h_exporter_patch, 0},
    {"GET", "/v1/planting-areas", bf_registry_query, BF_ROLES_ALL, bf_h_planting_areas, 0},
    {"POST", "/v1/planting-areas", NULL, REGISTRY, bf_h_planting_area_create, 0},
    {"GET", "/v1/planting-areas/{code}", NULL, BF_ROLES_ALL, bf_h_planting_area, 0},
    {"PATCH", "/v1/planting-areas/{code}", NULL, REGISTRY, bf_h_planting_area_patch, 0},
    {"GET", "/v1/packing-houses", bf_registry_query, BF_ROLES_ALL, bf_h_packing_houses, 0},
    {"POST", "/v1/packing-houses", NULL, REGISTRY, bf_h_packing_house_create, 0},
    {"GET", "/v1/packing-houses/{code}", NULL, BF_ROLES_ALL, bf_h_packing_house, 0},
    {"PATCH", "/v1/packing-houses/{code}", NULL, REGISTRY, bf_h_packing_house_patch, 0},
};

const struct bf_route *bf_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

/* The {x} segments of a path that matched a pattern. */
struct path_params {
	int n;
	char v[BF_MAX_PATH_PARAMS][sizeof(((struct bf_call *)0)->params[0])];
};

/* Matches PATH against PATTERN segment by segment; {x} takes one
 * non-empty segment, into OUT. */
static bool match_path(const char *pattern, const char *path, struct path_params *out)
{
	int n = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			char *dst;
			size_t len = 0;
			if (n == BF_MAX_PATH_PARAMS)
				return false;
			dst = out->v[n];
			while (*pattern && *pattern != '}')
				pattern++;
			if (*pattern)
				pattern++;
			/* The HTTP library has decoded the path already: decoding again
			 * would turn "%252F" into a slash. */
			while (*path && *path != '/') {
				if (len + 1 >= sizeof(out->v[0]))
					return false;
				dst[len++] = *path++;
			}
			dst[len] = '\0';
			if (len == 0)
				return false;
			n++;
			continue;
		}
		if (*pattern++ != *path++)
			return false;
	}
	if (*pattern || *path)
		return false;
	out->n = n;
	return true;
}

const struct bf_route *bf_route_find(const char *method, const char *path, struct bf_call *call, bool *path_known,
                                     char *allow, size_t allow_cap)
{
	const struct bf_route *found = NULL;
	*path_known = false;
	allow[0] = '\0';
	struct path_params probe = {0};
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!match_path(routes[i].pattern, path, &probe))
			continue;
		*path_known = true;
		size_t len = strlen(allow);
		snprintf(allow + len, allow_cap - len, "%s%s", len ? ", " : "", routes[i].method);
		/* HEAD is answered as GET; the library sends the headers only. */
		if (found == NULL && (strcmp(routes[i].method, method) == 0 ||
		                      (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))) {
			found = &routes[i];
			call->n_params = probe.n;
			for (int k = 0; k < probe.n; k++)
				memcpy(call->params[k], probe.v[k], strlen(probe.v[k]) + 1);
		}
	}
	if (found != NULL)
		allow[0] = '\0';
	return found;
}
