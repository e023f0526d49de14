/* The JSON view of a commodity (codec/commodity.c): its HS code, names
 * in vi, zh and en, class, shelf life and what each importing country
 * asks a load of it to carry. A new reference. */
#ifndef BF_CODEC_COMMODITY_H
#define BF_CODEC_COMMODITY_H

#include "model/commodity.h"

#include <jansson.h>

json_t *bf_commodity_json(const struct bf_commodity *c);
/* What each importing country asks of C's loads: {"CN": ["facility",
 * "health_certificate"], "*": [...]}. A new reference. */
json_t *bf_commodity_requires_json(const struct bf_commodity *c);

#endif
