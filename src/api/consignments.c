/* Declarations and reads of consignments over HTTP: the body's shape is
 * checked here (400 on any fault, nothing written); the rules of the
 * official channel are the service's (422 with every broken rule). */
#include "api/handlers.h"
#include "service/control.h"
#include "codec/jsonread.h"
#include "codec/consignment.h"
#include "codec/json.h"
#include "service/declare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a declaration body into C; 0, or BF_EINVAL naming the field. */
static int decode_declaration(json_t *body, struct bf_consignment *c, struct bf_error *err)
{
	static const char *const keys[] = {"exporter",
	                                   "commodity",
	                                   "net_weight_kg",
	                                   "packages",
	                                   "planting_areas",
	                                   "packing_house",
	                                   "phyto_certificate",
	                                   "health_certificate",
	                                   "facility",
	                                   "vehicle",
	                                   "destination",
	                                   "preferred_gate",
	                                   NULL};
	static const char *const vehicle_keys[] = {"kind", "number", "country", NULL};
	struct bf_jr r = {.err = err};
	json_t *areas, *vehicle, *a;
	char kind[8];
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = bf_jr_keys(&r, body, "", keys)) != 0 ||
	    (rc = bf_jr_str(&r, body, "exporter", "", c->exporter_id, sizeof(c->exporter_id), true)) != 0 ||
	    (rc = bf_jr_str(&r, body, "commodity", "", c->hs_code, sizeof(c->hs_code), true)) != 0 ||
	    (rc = bf_jr_number(&r, body, "net_weight_kg", "", &c->net_weight_kg, true)) != 0 ||
	    (rc = bf_jr_int(&r, body, "packages", "", 1, 1000000, &c->packages, true)) != 0 ||
	    (rc = bf_jr_array(&r, body, "planting_areas", "", &areas, false)) != 0 ||
	    (rc = bf_jr_str(&r, body, "packing_house", "", c->packing_house, sizeof(c->packing_house), false)) != 0 ||
	    (rc = bf_jr_str(&r, body, "phyto_certificate", "", c->phyto_certificate, sizeof(c->phyto_certificate),
	                    false)) != 0 ||
	    (rc = bf_jr_str(&r, body, "health_certificate", "", c->health_certificate, sizeof(c->health_certificate),
	                    false)) != 0 ||
	    (rc = bf_jr_str(&r, body, "facility", "", c->facility, sizeof(c->facility), false)) != 0 ||
	    (rc = bf_jr_object(&r, body, "vehicle", "", &vehicle, true)) != 0 ||
	    (rc = bf_jr_keys(&r, vehicle, "vehicle", vehicle_keys)) != 0 ||
	    (rc = bf_jr_str(&r, vehicle, "kind", "vehicle", kind, sizeof(kind), true)) != 0 ||
	    (rc = bf_jr_str(&r, vehicle, "number", "vehicle", c->vehicle, sizeof(c->vehicle), true)) != 0 ||
	    (rc = bf_jr_str(&r, vehicle, "country", "vehicle", c->vehicle_country, sizeof(c->vehicle_country), true)) !=
	        0 ||
	    (rc = bf_jr_str(&r, body, "destination", "", c->destination, sizeof(c->destination), true)) != 0 ||
	    (rc = bf_jr_str(&r, body, "preferred_gate", "", c->preferred_gate, sizeof(c->preferred_gate), false)) != 0)
		return rc;
	if (bf_conveyance_parse(kind, &c->conveyance))
		return bf_jr_fail(&r, "vehicle.kind", "must be truck or wagon");
	if (!bf_country_code_valid(c->vehicle_country))
		return bf_jr_fail(&r, "vehicle.country", "must be an ISO 3166-1 alpha-2 code such as VN");
	if (!bf_country_code_valid(c->destination))
		return bf_jr_fail(&r, "destination", "must be an ISO 3166-1 alpha-2 code such as CN");
	if (!bf_registry_code_valid(c->exporter_id))
		return bf_jr_fail(&r, "exporter", "must be a registration code");
	if (!bf_commodity_hs_code_valid(c->hs_code))
		return bf_jr_fail(&r, "commodity", "must be an HS code of 6 to 10 digits, without dots");
	if (c->packing_house[0] && !bf_registry_code_valid(c->packing_house))
		return bf_jr_fail(&r, "packing_house", "must be a registration code");
	if (c->facility[0] && !bf_registry_code_valid(c->facility))
		return bf_jr_fail(&r, "facility", "must be a registration code");
	if (strcmp(c->preferred_gate, "any") == 0)
		c->preferred_gate[0] = '\0';
	if (areas != NULL) {
		if (json_array_size(areas) > BF_MAX_PLANTING_AREAS)
			return bf_jr_fail(&r, "planting_areas", "at most %d planting areas", BF_MAX_PLANTING_AREAS);
		json_array_foreach (areas, i, a) {
			char field[32];
			snprintf(field, sizeof(field), "planting_areas[%zu]", i);
			if (!json_is_string(a) || json_string_length(a) != strlen(json_string_value(a)))
				return bf_jr_fail(&r, field, "must be a string");
			if (!bf_registry_code_valid(json_string_value(a)))
				return bf_jr_fail(&r, field, "must be a registration code");
			for (int k = 0; k < c->n_planting_areas; k++)
				if (strcmp(c->planting_areas[k], json_string_value(a)) == 0)
					return bf_jr_fail(&r, field, "repeats planting_areas[%d]", k);
			bf_strlcpy(c->planting_areas[c->n_planting_areas++], json_string_value(a), BF_CODE_MAX + 1);
		}
	}
	return BF_OK;
}

void bf_h_declare(struct bf_call *c, struct bf_reply *r)
{
	struct bf_consignment in;
	struct bf_declaration d;
	struct bf_error err = {0};
	json_t *body;
	int rc;

	if ((body = bf_call_json_body(c, r)) == NULL)
		return;
	rc = decode_declaration(body, &in, &err);
	json_decref(body);
	if (rc) {
		bf_reply_failure(r, &err);
		return;
	}
	rc = bf_service_declare(c->svc, &c->actor, &in, &d, &err);
	if (rc == BF_OK) {
		bf_reply_json(r, 201, bf_consignment_json(&d.consignment));
		snprintf(r->location, sizeof(r->location), "/v1/consignments/%s", d.consignment.id);
	} else if (rc == BF_EREJECTED) {
		json_t *errors = json_array();
		for (int i = 0; i < d.n_violations; i++) {
			json_t *v = json_pack("{s:s, s:s, s:s}", "field", d.violations[i].field, "code",
			                      d.violations[i].code, "message", d.violations[i].message);
			/* A code suspended after a notice names it. */
			if (d.violations[i].notice[0])
				json_object_set_new(v, "notice", json_string(d.violations[i].notice));
			json_array_append_new(errors, v);
		}
		json_t *j = bf_json_error("rejected", d.violations[0].field, err.message);
		json_object_set_new(j, "state", json_string("rejected"));
		json_object_set_new(j, "errors", errors);
		bf_reply_json(r, 422, j);
	} else {
		bf_reply_failure(r, &err);
	}
}

void bf_h_consignment(struct bf_call *c, struct bf_reply *r)
{
	struct bf_consignment cs;
	struct bf_error err = {0};
	struct bf_control ctl[2];
	int n;
	if (bf_service_consignment(c->svc, &c->actor, c->params[0], &cs, &err) ||
	    bf_service_controls(c->svc, cs.id, ctl, &n, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	/* The consignment, and each side's control lane once it checked in. */
	json_t *o = bf_consignment_json(&cs);
	json_object_set_new(o, "controls", bf_consignment_controls_json(ctl, n));
	bf_reply_json(r, 200, o);
}

const char *const bf_consignments_query[] = {"state", "gate", "exporter", "from", "to", "limit", "cursor", NULL};

void bf_h_consignments(struct bf_call *c, struct bf_reply *r)
{
	struct bf_consignment_filter f = {.state = -1, .limit = 50};
	const char *state = c->query(c->conn, "state"), *from = c->query(c->conn, "from"),
	           *to = c->query(c->conn, "to");
	struct bf_consignment *v;
	struct bf_error err = {0};
	int64_t next;
	size_t n;

	f.gate = c->query(c->conn, "gate");
	f.exporter_id = c->query(c->conn, "exporter");
	if (state) {
		enum bf_state st;
		if (bf_state_parse(state, &st)) {
			bf_reply_error(r, 400, "invalid", "state", "not a lifecycle state");
			return;
		}
		f.state = (int)st;
	}
	const char *why;
	if (from && bf_time_read(from, &f.declared_from, &why)) {
		bf_reply_error(r, 400, "invalid", "from",
		               "must be an instant with its zone, like 2026-12-01T00:00:00Z: \"%.64s\" %s", from, why);
		return;
	}
	if (to && bf_time_read(to, &f.declared_to, &why)) {
		bf_reply_error(r, 400, "invalid", "to",
		               "must be an instant with its zone, like 2026-12-08T00:00:00Z: \"%.64s\" %s", to, why);
		return;
	}
	if (!bf_call_paging(c, r, &f.limit, &f.after, 0))
		return;
	if (bf_service_consignments(c->svc, &c->actor, &f, &v, &n, &next, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, bf_consignment_json(&v[i]));
	free(v);
	char nc[24];
	snprintf(nc, sizeof(nc), "%lld", (long long)next);
	bf_reply_json(
	    r, 200, json_pack("{s:o, s:o}", "consignments", list, "next_cursor", next ? json_string(nc) : json_null()));
}
