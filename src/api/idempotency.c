/* Writes under an Idempotency-Key, for every route the key guards, in one
 * place: the key's form and the request's hash here, the transaction that
 * reads the key, runs the handler's use cases and keeps the answer in the
 * service (service/idempotency.h). A refusal (4xx) writes nothing and is
 * not kept: a retry of it runs again, and may then succeed. */
#include "api/idempotency.h"

#include "codec/json.h"
#include "service/idempotency.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool bf_idempotency_guards(const struct bf_route *route)
{
	return route->roles != 0 && !(route->flags & BF_ROUTE_UNKEYED) && strcmp(route->method, "GET") != 0;
}

/* 1 to 128 visible ASCII characters. */
static bool key_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return false;
	return true;
}

/* A declaration's key kept before keys kept their Location (schema 12):
 * the Location is the consignment the first answer names. */
static void declaration_location(struct bf_reply *r)
{
	json_t *j = json_loadb(r->text, r->text_len, 0, NULL);
	const char *id = json_string_value(json_object_get(j, "id"));
	if (id != NULL)
		snprintf(r->location, sizeof(r->location), "/v1/consignments/%s", id);
	json_decref(j);
}

void bf_idempotency_answer(struct bf_call *call, const struct bf_route *route, const char *path, struct bf_reply *r)
{
	const char *key = bf_call_header(call, "Idempotency-Key");
	struct bf_error err = {0};
	if (key == NULL) {
		route->handler(call, r);
		return;
	}
	if (!key_valid(key)) {
		bf_reply_error(r, 400, "invalid", "Idempotency-Key", "must be 1 to 128 visible ASCII characters");
		return;
	}
	/* The key guards this exact request: its method and path by name, its
	 * body by its hash. */
	char request[BF_KEPT_REQUEST_MAX + 2];
	unsigned char hash[BF_TOKEN_HASH_BYTES];
	snprintf(request, sizeof(request), "%s %s", route->method, path);
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)(call->body ? call->body : ""),
	                   call->body ? call->body_len : 0, NULL, 0);
	struct bf_keyed_request *kr;
	struct bf_keyed_answer a = {0};
	if (bf_service_keyed_begin(call->svc, &call->actor, key, request, hash, &kr, &a, &err) != 0) {
		bf_reply_failure(r, &err);
		return;
	}
	if (kr == NULL) {
		r->status = a.status;
		r->text = a.body; /* the server frees it */
		r->text_len = strlen(a.body);
		bf_strlcpy(r->location, a.location, sizeof(r->location));
		if (r->location[0] == '\0' && r->status == 201 && strcmp(request, "POST /v1/consignments") == 0)
			declaration_location(r);
		bf_strlcpy(r->idempotent_replay, "true", sizeof(r->idempotent_replay));
		return;
	}
	route->handler(call, r);
	/* Kept as the bytes sent, so that a retry's answer is the same to the
	 * byte. */
	if (r->body != NULL && r->text == NULL && r->raw == NULL) {
		r->text = json_dumps(r->body, BF_JSON_DUMP_FLAGS);
		if (r->text != NULL) {
			r->text_len = strlen(r->text);
			json_decref(r->body);
			r->body = NULL;
		}
	}
	bool success = r->status >= 200 && r->status < 300;
	bool keep = success && r->text != NULL;
	a.status = r->status;
	a.body = r->text;
	bf_strlcpy(a.location, r->location, sizeof(a.location));
	int rc = bf_service_keyed_end(kr, keep ? &a : NULL, &err);
	if (rc == 0 && success && !keep)
		rc = bf_error_set(&err, BF_ESTORE, "", "the answer could not be written, and nothing was done");
	if (rc != 0) {
		/* Nothing it wrote stands: the answer is not sent. */
		free(r->text);
		r->text = NULL;
		r->location[0] = '\0';
		bf_reply_failure(r, &err);
	}
}
