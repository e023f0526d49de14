/* Validation of commodity records. */
#include "model/commodity.h"

#include <math.h>
#include <string.h>

bool bf_commodity_hs_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 6 || n > BF_HS_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

int bf_commodity_validate(const struct bf_commodity *c, struct bf_error *err)
{
	if (!bf_commodity_hs_code_valid(c->hs_code))
		return bf_error_set(err, BF_EINVAL, "hs_code", "must be 6 to 10 digits with no dots");
	if (!c->name_vi[0] || !c->name_zh[0] || !c->name_en[0])
		return bf_error_set(err, BF_EINVAL,
		                    !c->name_vi[0]   ? "names.vi"
		                    : !c->name_zh[0] ? "names.zh"
		                                     : "names.en",
		                    "every commodity needs a name in vi, zh and en");
	if ((int)c->klass < 0 || c->klass >= BF_CC_COUNT)
		return bf_error_set(err, BF_EINVAL, "class", "unknown commodity class");
	if (c->shelf_life_hours < 1 || c->shelf_life_hours > 24 * 365 * 5)
		return bf_error_set(err, BF_EINVAL, "shelf_life_hours", "must be from 1 hour to 5 years");
	if (!isfinite(c->value_usd_per_tonne) || c->value_usd_per_tonne <= 0 || c->value_usd_per_tonne > 1e7)
		return bf_error_set(err, BF_EINVAL, "value_usd_per_tonne",
		                    "must be more than 0 and at most 10,000,000");
	return BF_OK;
}
