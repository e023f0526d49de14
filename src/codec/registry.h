/* Registry records' JSON (codec/registry.c): the views the API answers
 * and registry events carry, each a new reference the caller must
 * json_decref(), and the reader of a request's body. */
#ifndef BF_CODEC_REGISTRY_H
#define BF_CODEC_REGISTRY_H

#include "model/error.h"
#include "model/registry.h"

#include <jansson.h>
#include <stdbool.h>

json_t *bf_registry_exporter_json(const struct bf_exporter *e);
json_t *bf_registry_planting_area_json(const struct bf_planting_area *p);
json_t *bf_registry_packing_house_json(const struct bf_packing_house *p);
json_t *bf_registry_facility_json(const struct bf_facility *f);
/* REC, a record of kind K (its struct, or a record's union), by its kind. */
json_t *bf_registry_json(enum bf_registry_kind k, const void *rec);

/* Reads a request's BODY over REC, of kind KIND, strictly (a key not
 * expected, a wrong type or a bad status is BF_EINVAL naming the field):
 * with CREATE every field, the record's key and country included; else
 * the fields present, a change's key and country staying as they are. */
int bf_registry_read(enum bf_registry_kind kind, json_t *body, struct bf_registry_record *rec, bool create,
                     struct bf_error *err);

#endif
