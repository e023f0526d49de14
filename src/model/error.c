/* Error records and aborting allocators shared by every layer. */
#include "model/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bf_error_set(struct bf_error *err, int code, const char *field, const char *fmt, ...)
{
	if (err != NULL) {
		va_list ap;
		err->code = code;
		bf_strlcpy(err->field, field ? field : "", sizeof(err->field));
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

void bf_error_prefix(struct bf_error *err, const char *fmt, ...)
{
	char prefix[256], joined[sizeof(err->message)];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	snprintf(joined, sizeof(joined), "%s: %s", prefix, err->message);
	memcpy(err->message, joined, sizeof(joined));
}

const char *bf_error_code_name(int code)
{
	switch (code) {
	case BF_OK:
		return "ok";
	case BF_EINVAL:
		return "invalid";
	case BF_ENOTFOUND:
		return "not_found";
	case BF_ECONFLICT:
		return "conflict";
	case BF_EFORBIDDEN:
		return "forbidden";
	case BF_EIO:
		return "io";
	case BF_ESTORE:
		return "store";
	case BF_ETOOBIG:
		return "too_big";
	case BF_EREJECTED:
		return "rejected";
	case BF_EAUTH:
		return "unauthorized";
	default:
		return "error";
	}
}

static void *check(void *p)
{
	if (p == NULL) {
		fputs("borderflow: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *bf_xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}
void *bf_xcalloc(size_t count, size_t size)
{
	return check(calloc(count ? count : 1, size ? size : 1));
}
void *bf_xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}
char *bf_xstrdup(const char *s)
{
	return check(strdup(s));
}

int bf_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);

	if (cap == 0)
		return BF_ETOOBIG;
	if (n >= cap) {
		memcpy(dst, src, cap - 1);
		dst[cap - 1] = '\0';
		return BF_ETOOBIG;
	}
	memcpy(dst, src, n + 1);
	return BF_OK;
}
