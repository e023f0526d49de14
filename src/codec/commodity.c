/* The JSON view of a commodity. */
#include "codec/commodity.h"

static json_t *names(const char *vi, const char *zh, const char *en)
{
	return json_pack("{s:s, s:s, s:s}", "vi", vi, "zh", zh, "en", en);
}

json_t *bf_commodity_json(const struct bf_commodity *c)
{
	return json_pack("{s:s, s:o, s:s, s:i, s:f, s:b, s:s}", "hs_code", c->hs_code, "names",
	                 names(c->name_vi, c->name_zh, c->name_en), "class", bf_commodity_class_name(c->klass),
	                 "shelf_life_hours", c->shelf_life_hours, "value_usd_per_tonne", c->value_usd_per_tonne,
	                 "needs_phyto_certificate", c->needs_phyto_certificate, "source", c->source);
}
