/* Notices on the shared history over HTTP: post, list, read, acknowledge,
 * and the one-step suspension of a non-compliance's codes. */
#include "api/handlers.h"
#include "codec/jsonread.h"
#include "codec/notice.h"
#include "service/notice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bf_h_notice_post(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	struct bf_notice in, out;
	json_t *body = bf_call_json_body(c, r);
	if (body == NULL)
		return;
	int rc = bf_notice_request_read(body, &in, &err);
	json_decref(body);
	if (rc == 0)
		rc = bf_service_notice_post(c->svc, &c->actor, &in, &out, &err);
	if (rc) {
		bf_reply_failure(r, &err);
		return;
	}
	snprintf(r->location, sizeof(r->location), "/v1/notices/%s", out.id);
	bf_reply_json(r, 201, bf_notice_json(&out));
}

const char *const bf_notices_query[] = {"unacknowledged", "kind", "limit", "cursor", NULL};

void bf_h_notices(struct bf_call *c, struct bf_reply *r)
{
	struct bf_notice_filter f = {.kind = -1, .acknowledged = -1, .limit = 50};
	const char *unack = c->query(c->conn, "unacknowledged"), *kind = c->query(c->conn, "kind");
	struct bf_error err = {0};
	struct bf_notice *v;
	int64_t next;
	size_t n;

	if (unack) {
		if (strcmp(unack, "true") != 0 && strcmp(unack, "false") != 0) {
			bf_reply_error(r, 400, "invalid", "unacknowledged", "must be true or false");
			return;
		}
		f.acknowledged = strcmp(unack, "true") == 0 ? 0 : 1;
	}
	if (kind) {
		enum bf_notice_kind k;
		if (bf_notice_kind_parse(kind, &k)) {
			bf_reply_error(r, 400, "invalid", "kind",
			               "must be non_compliance, gate_disruption or rule_change");
			return;
		}
		f.kind = (int)k;
	}
	if (!bf_call_paging(c, r, &f.limit, &f.after, 1))
		return;
	if (bf_service_notices(c->svc, &c->actor, &f, &v, &n, &next, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, bf_notice_json(&v[i]));
	free(v);
	char nc[24];
	snprintf(nc, sizeof(nc), "%lld", (long long)next);
	bf_reply_json(r, 200,
	              json_pack("{s:o, s:o}", "notices", list, "next_cursor", next ? json_string(nc) : json_null()));
}

void bf_h_notice(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	struct bf_notice n;
	if (bf_service_notice_get(c->svc, &c->actor, c->params[0], &n, &err))
		bf_reply_failure(r, &err);
	else
		bf_reply_json(r, 200, bf_notice_json(&n));
}

void bf_h_notice_acknowledge(struct bf_call *c, struct bf_reply *r)
{
	static const char *const keys[] = {"note", NULL};
	struct bf_error err = {0};
	struct bf_jr jr = {.err = &err};
	struct bf_notice n;
	char note[BF_NOTICE_NOTE_MAX + 1] = "";
	int rc = 0;
	/* The body is optional: {"note": "..."}. */
	if (c->body != NULL && c->body_len > 0) {
		json_t *body = bf_call_json_body(c, r);
		if (body == NULL)
			return;
		if ((rc = bf_jr_keys(&jr, body, "", keys)) == 0)
			rc = bf_jr_str(&jr, body, "note", "", note, sizeof(note), false);
		json_decref(body);
	}
	if (rc == 0)
		rc = bf_service_notice_acknowledge(c->svc, &c->actor, c->params[0], note, &n, &err);
	if (rc)
		bf_reply_failure(r, &err);
	else
		bf_reply_json(r, 200, bf_notice_json(&n));
}

static const char *const result_names[] = {"suspended", "already_suspended", "other_country"};

void bf_h_notice_suspend(struct bf_call *c, struct bf_reply *r)
{
	struct bf_error err = {0};
	struct bf_notice n;
	struct bf_notice_suspension v[BF_NOTICE_KINDS];
	int count;
	if (c->body != NULL && c->body_len > 0) {
		bf_reply_error(r, 400, "invalid", "body", "this request takes no body");
		return;
	}
	if (bf_service_notice_suspend(c->svc, &c->actor, c->params[0], &n, v, &count, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *codes = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(codes, json_pack("{s:s, s:s, s:s, s:s}", "kind", bf_registry_kind_noun(v[i].kind),
		                                       "code", v[i].code, "country", v[i].country, "result",
		                                       result_names[v[i].result]));
	bf_reply_json(r, 200, json_pack("{s:o, s:o}", "notice", bf_notice_json(&n), "codes", codes));
}
