/* JSON views of registry records: exporters with their approvals,
 * planting areas and packing houses. */
#include "codec/registry.h"

json_t *bf_registry_exporter_json(const struct bf_exporter *e)
{
	json_t *approvals = json_array();
	for (int i = 0; i < e->n_approvals; i++)
		json_array_append_new(approvals, json_pack("{s:s, s:s}", "hs_code", e->approvals[i].hs_code,
		                                           "destination", e->approvals[i].destination));
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", e->id, "name", e->name, "country", e->country, "status",
	                 bf_registry_status_name(e->status), "approvals", approvals);
}

json_t *bf_registry_planting_area_json(const struct bf_planting_area *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", p->code, "hs_code", p->hs_code, "country", p->country,
	                 "province", p->province, "status", bf_registry_status_name(p->status));
}

json_t *bf_registry_packing_house_json(const struct bf_packing_house *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", p->code, "name", p->name, "country", p->country,
	                 "province", p->province, "status", bf_registry_status_name(p->status));
}

json_t *bf_registry_json(enum bf_registry_kind k, const void *rec)
{
	switch (k) {
	case BF_REG_EXPORTER:
		return bf_registry_exporter_json(rec);
	case BF_REG_PLANTING_AREA:
		return bf_registry_planting_area_json(rec);
	default:
		return bf_registry_packing_house_json(rec);
	}
}
