/* The JSON view of a commodity (codec/commodity.c): its HS code, names
 * in vi, zh and en, class and shelf life. A new reference. */
#ifndef BF_CODEC_COMMODITY_H
#define BF_CODEC_COMMODITY_H

#include "model/commodity.h"

#include <jansson.h>

json_t *bf_commodity_json(const struct bf_commodity *c);

#endif
