/* The call a handler answers and the reply it fills: JSON bodies, errors
 * named by field, paging and the service's errors mapped to statuses. */
#include "api/call.h"

#include "codec/json.h"
#include "codec/jsonread.h"

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

int bf_call_override(struct bf_jr *jr, json_t *body, struct bf_override *out)
{
	static const char *const keys[] = {"reason", NULL};
	json_t *o;
	int rc;
	out->reason[0] = '\0';
	if ((rc = bf_jr_object(jr, body, "override", "", &o, false)) != 0 || o == NULL)
		return rc;
	if ((rc = bf_jr_keys(jr, o, "override", keys)) != 0 ||
	    (rc = bf_jr_str(jr, o, "reason", "override", out->reason, sizeof(out->reason), true)) != 0)
		return rc;
	if (out->reason[0] == '\0')
		return bf_jr_fail(jr, "override.reason", "must state why the rule of time is set aside");
	return BF_OK;
}

static json_t *instant_json(bf_time t, int offset_min)
{
	char text[BF_TIME_TEXT];
	bf_time_format_local(t, offset_min, text);
	return json_string(text);
}

void bf_reply_step_failure(struct bf_reply *r, const struct bf_error *err, const struct bf_step_refusal *ref)
{
	bf_reply_failure(r, err);
	if (!ref->refused || r->body == NULL)
		return;
	json_t *next = json_null();
	if (ref->start) {
		json_t *local = json_array();
		for (int s = 0; s < 2; s++)
			json_array_append_new(local, json_pack("{s:s,s:o,s:o}", "country", ref->country[s], "start",
			                                       instant_json(ref->start, ref->utc_offset_min[s]), "end",
			                                       instant_json(ref->end, ref->utc_offset_min[s])));
		char start[BF_TIME_TEXT], end[BF_TIME_TEXT];
		bf_time_format_utc(ref->start, start);
		bf_time_format_utc(ref->end, end);
		next = json_pack("{s:s,s:s,s:s,s:o}", "gate", ref->gate_id, "start", start, "end", end, "local", local);
	}
	json_object_set_new(r->body, "next_window", next);
}
