/* How every JSON answer is written, and the error body every refusal
 * carries (codec/json.c). */
#ifndef BF_CODEC_JSON_H
#define BF_CODEC_JSON_H

#include <jansson.h>

/* How every JSON answer is written: UTF-8 as it is, and reals with 12
 * significant digits, so that 106.7108 does not come out as
 * 106.71080000000001. */
#define BF_JSON_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(12))

/* {"error": {"code", "message", "field"}}; FIELD "" becomes null. */
json_t *bf_json_error(const char *code, const char *field, const char *message);

#endif
