/* JSON views of a consignment and of its control lanes
 * (codec/consignment.c). Each returns a new reference the caller must
 * json_decref(). */
#ifndef BF_CODEC_CONSIGNMENT_H
#define BF_CODEC_CONSIGNMENT_H

#include "model/consignment.h"
#include "model/error.h"
#include "model/risk.h"

#include <jansson.h>

json_t *bf_consignment_json(const struct bf_consignment *c);
/* C from PAYLOAD, the text of a consignment.declared event: the record as
 * declared (state declared). BF_EINVAL naming "payload" when a field is
 * missing, of the wrong type or too long. */
int bf_consignment_from_payload(const char *payload, struct bf_consignment *c, struct bf_error *err);
/* The N (0 to 2) control lanes V, export side first. */
json_t *bf_consignment_controls_json(const struct bf_control *v, int n);

#endif
