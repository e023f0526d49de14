/* Strict JSON field readers. */
#include "codec/jsonread.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int bf_jr_fail(struct bf_jr *r, const char *field, const char *fmt, ...)
{
	char reason[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (r->context[0])
		return bf_error_set(r->err, BF_EINVAL, field, "%s: field %s: %s", r->context, field, reason);
	return bf_error_set(r->err, BF_EINVAL, field, "%s", reason);
}

int bf_jr_relabel(struct bf_jr *r, int code)
{
	char field[sizeof(r->err->field)], message[sizeof(r->err->message)];
	if (r->err == NULL || !r->context[0])
		return code;
	memcpy(field, r->err->field, sizeof(field));
	memcpy(message, r->err->message, sizeof(message));
	bf_error_set(r->err, code, field, "%s: field %s: %s", r->context, field, message);
	return code;
}

void bf_jr_join(char *dst, size_t cap, const char *prefix, const char *key)
{
	if (prefix == NULL || *prefix == '\0')
		snprintf(dst, cap, "%s", key);
	else
		snprintf(dst, cap, "%s.%s", prefix, key);
}

int bf_jr_keys(struct bf_jr *r, json_t *obj, const char *path, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach (obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			char field[128];
			bf_jr_join(field, sizeof(field), path, key);
			return bf_jr_fail(r, field, "unknown field");
		}
	}
	return BF_OK;
}

/* OBJ[KEY] into *V, with FIELD set to its path; 1 when absent. */
static int lookup(struct bf_jr *r, json_t *obj, const char *key, const char *path, json_t **v, char *field, size_t cap,
                  bool required)
{
	bf_jr_join(field, cap, path, key);
	*v = json_object_get(obj, key);
	if (*v == NULL || (json_is_null(*v) && !required))
		return required ? bf_jr_fail(r, field, "is required") : 1;
	return BF_OK;
}

int bf_jr_object(struct bf_jr *r, json_t *obj, const char *key, const char *path, json_t **out, bool required)
{
	char field[128];
	int rc = lookup(r, obj, key, path, out, field, sizeof(field), required);
	if (rc) {
		*out = NULL;
		return rc < 0 ? rc : BF_OK;
	}
	return json_is_object(*out) ? BF_OK : bf_jr_fail(r, field, "must be an object");
}

int bf_jr_array(struct bf_jr *r, json_t *obj, const char *key, const char *path, json_t **out, bool required)
{
	char field[128];
	int rc = lookup(r, obj, key, path, out, field, sizeof(field), required);
	if (rc) {
		*out = NULL;
		return rc < 0 ? rc : BF_OK;
	}
	return json_is_array(*out) ? BF_OK : bf_jr_fail(r, field, "must be an array");
}

int bf_jr_str(struct bf_jr *r, json_t *obj, const char *key, const char *path, char *dst, size_t cap, bool required)
{
	char field[128];
	json_t *v;
	int rc = lookup(r, obj, key, path, &v, field, sizeof(field), required);
	dst[0] = '\0';
	if (rc)
		return rc < 0 ? rc : BF_OK;
	if (!json_is_string(v))
		return bf_jr_fail(r, field, "must be a string");
	if (json_string_length(v) != strlen(json_string_value(v)))
		return bf_jr_fail(r, field, "must not contain NUL characters");
	if (json_string_length(v) >= cap)
		return bf_jr_fail(r, field, "is longer than %zu bytes", cap - 1);
	if (required && json_string_length(v) == 0)
		return bf_jr_fail(r, field, "must not be empty");
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return BF_OK;
}

int bf_jr_number(struct bf_jr *r, json_t *obj, const char *key, const char *path, double *out, bool required)
{
	char field[128];
	json_t *v;
	int rc = lookup(r, obj, key, path, &v, field, sizeof(field), required);
	if (rc)
		return rc < 0 ? rc : BF_OK;
	if (!json_is_number(v))
		return bf_jr_fail(r, field, "must be a number");
	*out = json_number_value(v);
	return BF_OK;
}

int bf_jr_int(struct bf_jr *r, json_t *obj, const char *key, const char *path, long lo, long hi, int *out,
              bool required)
{
	char field[128];
	json_t *v;
	int rc = lookup(r, obj, key, path, &v, field, sizeof(field), required);
	if (rc)
		return rc < 0 ? rc : BF_OK;
	if (!json_is_integer(v))
		return bf_jr_fail(r, field, "must be a whole number");
	if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		return bf_jr_fail(r, field, "must be from %ld to %ld", lo, hi);
	*out = (int)json_integer_value(v);
	return BF_OK;
}

int bf_jr_bool(struct bf_jr *r, json_t *obj, const char *key, const char *path, bool *out, bool required)
{
	char field[128];
	json_t *v;
	int rc = lookup(r, obj, key, path, &v, field, sizeof(field), required);
	if (rc)
		return rc < 0 ? rc : BF_OK;
	if (!json_is_boolean(v))
		return bf_jr_fail(r, field, "must be true or false");
	*out = json_is_true(v);
	return BF_OK;
}
