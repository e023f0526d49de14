/* JSON views of registry records (codec/registry.c), as the API answers
 * them and as registry events carry them. Each returns a new reference
 * the caller must json_decref(). */
#ifndef BF_CODEC_REGISTRY_H
#define BF_CODEC_REGISTRY_H

#include "model/registry.h"

#include <jansson.h>

json_t *bf_registry_exporter_json(const struct bf_exporter *e);
json_t *bf_registry_planting_area_json(const struct bf_planting_area *p);
json_t *bf_registry_packing_house_json(const struct bf_packing_house *p);
/* REC, a record of kind K (its struct, or a record's union), by its kind. */
json_t *bf_registry_json(enum bf_registry_kind k, const void *rec);

#endif
