/* The API's error body, with what a client sent made valid UTF-8. */
#include "codec/json.h"

#include <stdbool.h>
#include <string.h>

/* Copies SRC into DST (CAP bytes) as valid UTF-8: a byte that does not
 * start or continue a well-formed sequence becomes '?', and a sequence cut
 * by the end is dropped. Error messages echo what a client sent. */
static void utf8_clean(char *dst, size_t cap, const char *src)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)src;
	while (*p && o + 1 < cap) {
		int len = *p < 0x80 ? 1 : (*p >> 5) == 0x6 ? 2 : (*p >> 4) == 0xe ? 3 : (*p >> 3) == 0x1e ? 4 : 0;
		bool ok = len > 0;
		for (int k = 1; ok && k < len; k++)
			ok = (p[k] & 0xc0) == 0x80;
		if (!ok) {
			dst[o++] = '?';
			p++;
			continue;
		}
		if (o + (size_t)len >= cap)
			break;
		memcpy(dst + o, p, (size_t)len);
		o += (size_t)len;
		p += len;
	}
	dst[o] = '\0';
}

json_t *bf_json_error(const char *code, const char *field, const char *message)
{
	char f[256], m[1024];
	utf8_clean(f, sizeof(f), field ? field : "");
	utf8_clean(m, sizeof(m), message ? message : "");
	json_t *j = json_pack("{s:{s:s, s:s, s:o}}", "error", "code", code, "message", m, "field",
	                      f[0] ? json_string(f) : json_null());
	/* Cleaned text still fails only on overlong forms or surrogates: say
	 * so without echoing it. */
	return j ? j
	         : json_pack("{s:{s:s, s:s, s:n}}", "error", "code", code, "message", "the request held invalid UTF-8",
	                     "field");
}
