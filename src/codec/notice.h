/* A notice's JSON (codec/notice.c). The readers are strict: a key not
 * expected, a wrong type or a bad code is refused with BF_EINVAL naming the
 * field ("names.exporter"); they check the form, and the service checks
 * that the codes exist. Writers return a new reference. */
#ifndef BF_CODEC_NOTICE_H
#define BF_CODEC_NOTICE_H

#include "model/error.h"
#include "model/notice.h"

#include <jansson.h>

/* A request body {"kind", "text", "names"?, "gate"?, "consignment"?}. */
int bf_notice_request_read(json_t *body, struct bf_notice *out, struct bf_error *err);
/* A notice.posted event's payload: the request's fields and those the
 * node adds (id, posted_by, role, country, posted_at). */
int bf_notice_payload_read(json_t *payload, struct bf_notice *out, struct bf_error *err);

/* The notice.posted event's payload: the whole notice but its
 * acknowledgements. */
json_t *bf_notice_payload_json(const struct bf_notice *n);
/* The notice as the API shows it: the payload, plus "acknowledged" (by
 * anyone) and "acknowledgements" [{"by", "role", "country", "at", "note"}]. */
json_t *bf_notice_json(const struct bf_notice *n);

#endif
