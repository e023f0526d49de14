/* Commodities as the registry and the planner see them: an HS code, a
 * class that gates are designated for, how long a load keeps, its value. */
#ifndef BF_MODEL_COMMODITY_H
#define BF_MODEL_COMMODITY_H

#include "model/error.h"
#include "model/gate.h"

#include <stdbool.h>

#define BF_HS_MAX 10

struct bf_commodity {
	char hs_code[BF_HS_MAX + 1]; /* 6 to 10 digits, no dots */
	char name_vi[BF_NAME_MAX], name_zh[BF_NAME_MAX], name_en[BF_NAME_MAX];
	enum bf_commodity_class klass;
	int shelf_life_hours;
	double value_usd_per_tonne;
	bool needs_phyto_certificate;
	char source[512]; /* where the figures come from, for people */
};

/* True when S is 6 to 10 decimal digits. */
bool bf_commodity_hs_code_valid(const char *s);
int bf_commodity_validate(const struct bf_commodity *c, struct bf_error *err);

#endif
