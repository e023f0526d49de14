/* Strict readers of JSON objects, shared by the data files and the API's
 * request bodies: a key not expected is refused, a value of the wrong type
 * or out of range is refused, and every refusal names the field by its
 * dotted path ("sides.a.hours[0].close"). */
#ifndef BF_CODEC_JSONREAD_H
#define BF_CODEC_JSONREAD_H

#include "model/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct bf_jr {
	struct bf_error *err;
	/* Where the object came from, for messages: "data/gates.json: gate 3
	 * (huu-nghi)". Empty for a request body, whose error names the field
	 * in its own member. */
	char context[256];
};

/* Sets the error BF_EINVAL on FIELD: "CONTEXT: field FIELD: REASON", or
 * REASON alone without a context. Returns BF_EINVAL. */
int bf_jr_fail(struct bf_jr *r, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Rewrites an error a validator set (field and reason) in the same form. */
int bf_jr_relabel(struct bf_jr *r, int code);
/* DST = PREFIX.KEY, or KEY when PREFIX is empty. */
void bf_jr_join(char *dst, size_t cap, const char *prefix, const char *key);
/* Refuses any key of OBJ (at PATH) not in ALLOWED, a NULL-terminated list. */
int bf_jr_keys(struct bf_jr *r, json_t *obj, const char *path, const char *const *allowed);

/* Each reads OBJ[KEY] (the field PATH.KEY). Absent and not REQUIRED:
 * *OUT is left alone (for _object/_array: set to NULL) and 0 returned. */
int bf_jr_object(struct bf_jr *r, json_t *obj, const char *key, const char *path, json_t **out, bool required);
int bf_jr_array(struct bf_jr *r, json_t *obj, const char *key, const char *path, json_t **out, bool required);
/* A string of fewer than CAP bytes, without NUL; if REQUIRED, not empty.
 * DST is set to "" when the key is absent. */
int bf_jr_str(struct bf_jr *r, json_t *obj, const char *key, const char *path, char *dst, size_t cap, bool required);
/* A number (integer or real). */
int bf_jr_number(struct bf_jr *r, json_t *obj, const char *key, const char *path, double *out, bool required);
/* A whole number from LO to HI. */
int bf_jr_int(struct bf_jr *r, json_t *obj, const char *key, const char *path, long lo, long hi, int *out,
              bool required);
int bf_jr_bool(struct bf_jr *r, json_t *obj, const char *key, const char *path, bool *out, bool required);

#endif
