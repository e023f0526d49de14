/* A signed event as JSON, for the feed between nodes: every field the
 * hash and signature cover, carried exactly (the payload as the text that
 * was hashed, binary fields in hex), and read back strictly. */
#include "ledger/ledger.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD_MAX (64u << 10)

json_t *bf_ledger_event_json(const struct bf_event *e)
{
	char at[BF_TIME_TEXT], prev[2 * BF_EVENT_HASH_BYTES + 1], hash[2 * BF_EVENT_HASH_BYTES + 1],
	    sig[2 * BF_EVENT_SIG_BYTES + 1];
	bf_time_format_utc(e->at, at);
	sodium_bin2hex(prev, sizeof(prev), e->prev_hash, sizeof(e->prev_hash));
	sodium_bin2hex(hash, sizeof(hash), e->hash, sizeof(e->hash));
	sodium_bin2hex(sig, sizeof(sig), e->signature, sizeof(e->signature));
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq", (json_int_t)e->seq,
	                 "origin", e->origin, "origin_seq", (json_int_t)e->origin_seq, "at", at, "party", e->party_id,
	                 "role", bf_role_name(e->role), "kind", e->kind, "subject", e->subject, "payload",
	                 e->payload ? e->payload : "{}", "prev_hash", prev, "hash", hash, "key_id", e->key_id,
	                 "signature", sig);
}

static int text_field(json_t *j, const char *name, char *dst, size_t cap, struct bf_error *err)
{
	json_t *v = json_object_get(j, name);
	if (!json_is_string(v))
		return bf_error_set(err, BF_EINVAL, name, "%s: %s", name, v ? "must be a string" : "is missing");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return bf_error_set(err, BF_EINVAL, name, "%s: must not hold a NUL character", name);
	if (bf_strlcpy(dst, json_string_value(v), cap) != 0)
		return bf_error_set(err, BF_EINVAL, name, "%s: longer than %zu characters", name, cap - 1);
	return BF_OK;
}

static int hex_field(json_t *j, const char *name, unsigned char *dst, size_t n, struct bf_error *err)
{
	char text[2 * BF_EVENT_SIG_BYTES + 2];
	size_t got;
	int rc = text_field(j, name, text, sizeof(text), err);
	if (rc)
		return rc;
	if (strlen(text) != 2 * n || sodium_hex2bin(dst, n, text, strlen(text), NULL, &got, NULL) != 0 || got != n)
		return bf_error_set(err, BF_EINVAL, name, "%s: must be %zu hex digits", name, 2 * n);
	return BF_OK;
}

static int int_field(json_t *j, const char *name, int64_t lo, int64_t *out, struct bf_error *err)
{
	json_t *v = json_object_get(j, name);
	if (!json_is_integer(v))
		return bf_error_set(err, BF_EINVAL, name, "%s: %s", name, v ? "must be a whole number" : "is missing");
	if (json_integer_value(v) < lo)
		return bf_error_set(err, BF_EINVAL, name, "%s: must be at least %lld", name, (long long)lo);
	*out = json_integer_value(v);
	return BF_OK;
}

int bf_ledger_event_parse(json_t *j, struct bf_event *out, struct bf_error *err)
{
	static const char *const allowed[] = {"seq",     "origin",  "origin_seq", "at",   "party",  "role",      "kind",
	                                      "subject", "payload", "prev_hash",  "hash", "key_id", "signature", NULL};
	char at[BF_TIME_TEXT + 8], role[32];
	const char *name;
	json_t *v;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(j))
		return bf_error_set(err, BF_EINVAL, "", "an event must be a JSON object");
	json_object_foreach (j, name, v) {
		bool known = false;
		for (int a = 0; allowed[a]; a++)
			known = known || strcmp(name, allowed[a]) == 0;
		if (!known)
			return bf_error_set(err, BF_EINVAL, name, "%s: is not a field of an event", name);
	}
	json_t *payload = json_object_get(j, "payload");
	if (!json_is_string(payload))
		return bf_error_set(err, BF_EINVAL, "payload", "payload: %s",
		                    payload ? "must be a string (the canonical JSON text)" : "is missing");
	if (json_string_length(payload) > PAYLOAD_MAX ||
	    strlen(json_string_value(payload)) != json_string_length(payload))
		return bf_error_set(err, BF_EINVAL, "payload", "payload: at most %u bytes, without NUL", PAYLOAD_MAX);
	if ((rc = int_field(j, "seq", 1, &out->seq, err)) != 0 ||
	    (rc = text_field(j, "origin", out->origin, sizeof(out->origin), err)) != 0 ||
	    (rc = int_field(j, "origin_seq", 1, &out->origin_seq, err)) != 0 ||
	    (rc = text_field(j, "at", at, sizeof(at), err)) != 0 ||
	    (rc = text_field(j, "party", out->party_id, sizeof(out->party_id), err)) != 0 ||
	    (rc = text_field(j, "role", role, sizeof(role), err)) != 0 ||
	    (rc = text_field(j, "kind", out->kind, sizeof(out->kind), err)) != 0 ||
	    (rc = text_field(j, "subject", out->subject, sizeof(out->subject), err)) != 0 ||
	    (rc = hex_field(j, "prev_hash", out->prev_hash, sizeof(out->prev_hash), err)) != 0 ||
	    (rc = hex_field(j, "hash", out->hash, sizeof(out->hash), err)) != 0 ||
	    (rc = text_field(j, "key_id", out->key_id, sizeof(out->key_id), err)) != 0 ||
	    (rc = hex_field(j, "signature", out->signature, sizeof(out->signature), err)) != 0)
		return rc;
	struct bf_error why = {0};
	if (bf_ledger_node_check(out->origin, &why) != 0)
		return bf_error_set(err, BF_EINVAL, "origin", "origin: %s", why.message);
	if (bf_time_parse(at, &out->at) != 0)
		return bf_error_set(err, BF_EINVAL, "at", "at: \"%s\" is not an instant like 2026-12-01T00:00:00Z", at);
	if (bf_role_parse(role, &out->role) != 0)
		return bf_error_set(err, BF_EINVAL, "role", "role: \"%s\" is not a role", role);
	out->payload = bf_xstrdup(json_string_value(payload));
	return BF_OK;
}
