/* The JSON view of a commodity. */
#include "codec/commodity.h"

static json_t *names(const char *vi, const char *zh, const char *en)
{
	return json_pack("{s:s, s:s, s:s}", "vi", vi, "zh", zh, "en", en);
}

json_t *bf_commodity_requires_json(const struct bf_commodity *c)
{
	json_t *o = json_object();
	for (int i = 0; i < c->n_requirements; i++) {
		json_t *docs = json_array();
		for (int d = 0; d < BF_DOCUMENTS; d++)
			if (c->requirements[i].documents & 1u << d)
				json_array_append_new(docs, json_string(bf_document_name((enum bf_document)(1u << d))));
		json_object_set_new(o, c->requirements[i].importer, docs);
	}
	return o;
}

json_t *bf_commodity_json(const struct bf_commodity *c)
{
	return json_pack("{s:s, s:o, s:s, s:i, s:f, s:o, s:b, s:s}", "hs_code", c->hs_code, "names",
	                 names(c->name_vi, c->name_zh, c->name_en), "class", bf_commodity_class_name(c->klass),
	                 "shelf_life_hours", c->shelf_life_hours, "value_usd_per_tonne", c->value_usd_per_tonne,
	                 "requires", bf_commodity_requires_json(c), "needs_phyto_certificate",
	                 bf_commodity_needs_phyto(c), "source", c->source);
}
