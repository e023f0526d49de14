/* JSON views of a consignment, as the API answers it and its events
 * carry it, the reading of a declaration event's payload back, and the
 * view of the control lanes it was routed to. */
#include "codec/consignment.h"

#include <stdio.h>
#include <string.h>

json_t *bf_consignment_json(const struct bf_consignment *c)
{
	json_t *areas = json_array();
	char declared[BF_TIME_TEXT], updated[BF_TIME_TEXT];
	for (int i = 0; i < c->n_planting_areas; i++)
		json_array_append_new(areas, json_string(c->planting_areas[i]));
	bf_time_format_utc(c->declared_at, declared);
	bf_time_format_utc(c->updated_at, updated);
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:f, s:i, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s, s:s}, s:s, s:o, s:s, s:s}", "id",
	    c->id, "state", bf_state_name(c->state), "declared_by", c->declared_by, "exporter", c->exporter_id,
	    "commodity", c->hs_code, "net_weight_kg", c->net_weight_kg, "packages", c->packages, "planting_areas",
	    areas, "packing_house", c->packing_house[0] ? json_string(c->packing_house) : json_null(),
	    "phyto_certificate", c->phyto_certificate[0] ? json_string(c->phyto_certificate) : json_null(),
	    "health_certificate", c->health_certificate[0] ? json_string(c->health_certificate) : json_null(),
	    "facility", c->facility[0] ? json_string(c->facility) : json_null(), "vehicle", "kind",
	    bf_conveyance_name(c->conveyance), "number", c->vehicle, "country", c->vehicle_country, "destination",
	    c->destination, "preferred_gate", c->preferred_gate[0] ? json_string(c->preferred_gate) : json_null(),
	    "declared_at", declared, "updated_at", updated);
}

json_t *bf_consignment_controls_json(const struct bf_control *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:f,s:s}", "side", v[i].side, "country", v[i].country,
		                                   "lane", v[i].lane, "minutes", v[i].minutes, "reason", v[i].reason));
	return a;
}

static int read_text(json_t *o, const char *key, char *dst, size_t cap)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (v == NULL || strlen(v) >= cap)
		return BF_EINVAL;
	bf_strlcpy(dst, v, cap);
	return BF_OK;
}

int bf_consignment_from_payload(const char *payload, struct bf_consignment *c, struct bf_error *err)
{
	json_t *j = json_loads(payload, 0, NULL), *areas, *v;
	size_t i;
	int bad = j == NULL;
	memset(c, 0, sizeof(*c));
	if (!bad) {
		json_t *veh = json_object_get(j, "vehicle");
		bad |= read_text(j, "id", c->id, sizeof(c->id)) |
		       read_text(j, "declared_by", c->declared_by, sizeof(c->declared_by)) |
		       read_text(j, "exporter", c->exporter_id, sizeof(c->exporter_id)) |
		       read_text(j, "commodity", c->hs_code, sizeof(c->hs_code)) |
		       read_text(j, "destination", c->destination, sizeof(c->destination)) |
		       read_text(veh, "number", c->vehicle, sizeof(c->vehicle)) |
		       read_text(veh, "country", c->vehicle_country, sizeof(c->vehicle_country));
		read_text(j, "packing_house", c->packing_house, sizeof(c->packing_house));
		read_text(j, "phyto_certificate", c->phyto_certificate, sizeof(c->phyto_certificate));
		read_text(j, "health_certificate", c->health_certificate, sizeof(c->health_certificate));
		read_text(j, "facility", c->facility, sizeof(c->facility));
		read_text(j, "preferred_gate", c->preferred_gate, sizeof(c->preferred_gate));
		bad |= bf_conveyance_parse(json_string_value(json_object_get(veh, "kind")), &c->conveyance) != 0;
		c->net_weight_kg = json_number_value(json_object_get(j, "net_weight_kg"));
		c->packages = (int)json_integer_value(json_object_get(j, "packages"));
		areas = json_object_get(j, "planting_areas");
		json_array_foreach (areas, i, v) {
			if (c->n_planting_areas == BF_MAX_PLANTING_AREAS || !json_is_string(v) ||
			    strlen(json_string_value(v)) > BF_CODE_MAX) {
				bad = 1;
				break;
			}
			bf_strlcpy(c->planting_areas[c->n_planting_areas++], json_string_value(v), BF_CODE_MAX + 1);
		}
		bad |= bf_time_parse(json_string_value(json_object_get(j, "declared_at")), &c->declared_at) != 0;
		c->updated_at = c->declared_at;
		c->state = BF_ST_DECLARED;
	}
	json_decref(j);
	return bad ? bf_error_set(err, BF_EINVAL, "payload", "a declaration from the peer cannot be read") : BF_OK;
}
