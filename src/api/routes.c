/* The route table of the HTTP API: each route's method, path pattern,
 * query parameters, roles and handler; and the matching of a request's
 * path against it. */
#include "api/routes.h"

#include "api/handlers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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
#define KEPT BF_ROUTE_KEPT

/* UNKEYED: a write that an Idempotency-Key does not guard (every other
 * route that needs a token and is not a GET does, api/idempotency.h): a
 * simulation's run is handed to the runner's thread, which must find it
 * stored at once, and it changes nothing of the border's state. */
#define UNKEYED BF_ROUTE_UNKEYED

static const struct bf_route routes[] = {
    {"GET", "/", NULL, 0, bf_h_web_index, 0},
    {"GET", "/assets/{name}", NULL, 0, bf_h_web_asset, 0},
    {"GET", "/healthz", NULL, 0, bf_h_health, 0},
    {"GET", "/metrics", NULL, 0, bf_h_metrics, 0},
    {"GET", "/v1/openapi.json", NULL, 0, bf_h_openapi, 0},
    {"GET", "/v1/whoami", NULL, BF_ROLES_ALL, bf_h_whoami, 0},
    {"GET", "/v1/gates", bf_gates_query, 0, bf_h_gates, KEPT},
    {"GET", "/v1/gates/{id}", bf_gate_query, 0, bf_h_gate, KEPT},
    {"GET", "/v1/commodities", bf_gates_commodities_query, 0, bf_h_commodities, KEPT},
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
    {"GET", "/v1/events", bf_feed_events_query, BF_ROLE_BIT(BF_ROLE_AUDITOR), bf_h_events, 0},
    {"GET", "/v1/sync", NULL, BF_ROLES_ALL, bf_h_sync, 0},
    {"GET", "/v1/disputes", NULL, BF_ROLES_ALL, bf_h_disputes, 0},
    {"POST", "/v1/simulations", NULL, PLANNER, bf_h_simulate, UNKEYED},
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
    {"GET", "/v1/facilities", bf_registry_query, BF_ROLES_ALL, bf_h_facilities, 0},
    {"POST", "/v1/facilities", NULL, REGISTRY, bf_h_facility_create, 0},
    {"GET", "/v1/facilities/{code}", NULL, BF_ROLES_ALL, bf_h_facility, 0},
    {"PATCH", "/v1/facilities/{code}", NULL, REGISTRY, bf_h_facility_patch, 0},
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
