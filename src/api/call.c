/* The call a handler answers and the reply it fills: JSON bodies, errors
 * named by field, paging and the service's errors mapped to statuses. */
#include "api/call.h"

#include "codec/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void bf_reply_json(struct bf_reply *r, int status, json_t *body)
{
	json_decref(r->body);
	r->status = status;
	r->body = body;
}

void bf_reply_error(struct bf_reply *r, int status, const char *code, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bf_reply_json(r, status, bf_json_error(code, field, msg));
}

void bf_reply_failure(struct bf_reply *r, const struct bf_error *err)
{
	int status;
	switch (err->code) {
	case BF_EINVAL:
		status = 400;
		break;
	case BF_ENOTFOUND:
		status = 404;
		break;
	case BF_ECONFLICT:
		status = 409;
		break;
	case BF_EFORBIDDEN:
		status = 403;
		break;
	case BF_ETOOBIG:
		status = 413;
		break;
	case BF_EREJECTED:
		status = 422;
		break;
	case BF_EAUTH:
		status = 401;
		break;
	default:
		status = 500;
		break;
	}
	bf_reply_json(r, status, bf_json_error(bf_error_code_name(err->code), err->field, err->message));
}

bool bf_call_paging(struct bf_call *call, struct bf_reply *r, int *limit, int64_t *after, long long min_cursor)
{
	const char *l = call->query(call->conn, "limit"), *cur = call->query(call->conn, "cursor");
	char *end;
	if (l) {
		long v = strtol(l, &end, 10);
		if (!*l || *end || v < 1 || v > 500) {
			bf_reply_error(r, 400, "invalid", "limit", "must be a whole number from 1 to 500");
			return false;
		}
		*limit = (int)v;
	}
	if (cur) {
		long long a = strtoll(cur, &end, 10);
		if (!*cur || *end || a < min_cursor) {
			bf_reply_error(r, 400, "invalid", "cursor", "must be the next_cursor of a previous page");
			return false;
		}
		*after = a;
	}
	return true;
}

const char *bf_call_header(struct bf_call *call, const char *name)
{
	return call->header(call->conn, name);
}

json_t *bf_call_json_body(struct bf_call *call, struct bf_reply *r)
{
	json_error_t jerr;
	json_t *j;
	if (call->body == NULL || call->body_len == 0) {
		bf_reply_error(r, 400, "invalid", "body", "a JSON object is required");
		return NULL;
	}
	j = json_loadb(call->body, call->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL) {
		bf_reply_error(r, 400, "invalid", "body", "not valid JSON at line %d, column %d: %s", jerr.line,
		               jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		bf_reply_error(r, 400, "invalid", "body", "the body must be a JSON object");
		return NULL;
	}
	return j;
}
