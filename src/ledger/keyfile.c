/* The public keys a node hands its peer, as JSON, and their import. */
#include "ledger/ledger.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define KEYS_FORMAT  "borderflow-keys/1"
#define KEYFILE_MAX  (1u << 20)
#define KEYFILE_KEYS 10000
#define SEQ_MAX      (1LL << 53) /* exact in every JSON reader */

int bf_ledger_keys_export(struct bf_store *s, char **out, struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1];
	struct bf_signing_key *v;
	size_t n;
	int rc;

	*out = NULL;
	if ((rc = bf_store_node_get(s, node, err)) != 0)
		return rc;
	if ((rc = bf_store_keys_list(s, false, &v, &n, err)) != 0)
		return rc;
	json_t *keys = json_array();
	for (size_t i = 0; i < n; i++) {
		char hex[2 * BF_PUBLIC_KEY_BYTES + 1], made[BF_TIME_TEXT];
		if (strcmp(v[i].node, node) != 0)
			continue; /* a peer's keys are the peer's to hand out */
		sodium_bin2hex(hex, sizeof(hex), v[i].public_key, sizeof(v[i].public_key));
		bf_time_format_utc(v[i].created_at, made);
		json_array_append_new(keys,
		                      json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "id", v[i].id, "party",
		                                v[i].party_id, "role", bf_role_name(v[i].role), "node", v[i].node,
		                                "number", (json_int_t)v[i].number, "from_seq",
		                                (json_int_t)v[i].from_seq, "public_key", hex, "created_at", made));
	}
	bf_store_keys_free(v, n);
	json_t *doc = json_pack("{s:s, s:s, s:o}", "format", KEYS_FORMAT, "node", node, "keys", keys);
	*out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (*out == NULL)
		return bf_error_set(err, BF_EINVAL, "", "the keys cannot be encoded");
	return BF_OK;
}

/* Reads string member NAME of key I into DST (CAP bytes). */
static int key_text(json_t *k, size_t i, const char *name, char *dst, size_t cap, struct bf_error *err)
{
	json_t *v = json_object_get(k, name);
	if (!json_is_string(v))
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].%s: %s", i, name,
		                    v ? "must be a string" : "is missing");
	if (bf_strlcpy(dst, json_string_value(v), cap) != 0)
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].%s: longer than %zu characters", i, name, cap - 1);
	return BF_OK;
}

/* Fills K from member I of the file, checked; no secret. */
static int read_key(json_t *j, size_t i, const char *own_node, struct bf_signing_key *k, struct bf_error *err)
{
	static const char *const allowed[] = {"id",       "party",      "role",       "node", "number",
	                                      "from_seq", "public_key", "created_at", NULL};
	char role[32], hex[2 * BF_PUBLIC_KEY_BYTES + 2], made[BF_TIME_TEXT + 8], id[BF_KEY_ID_MAX + 1];
	const char *name;
	json_t *v;
	size_t bin_len;
	struct bf_error why = {0};
	int rc;

	memset(k, 0, sizeof(*k));
	if (!json_is_object(j))
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu]: must be an object", i);
	json_object_foreach (j, name, v) {
		bool known = false;
		for (int a = 0; allowed[a]; a++)
			known = known || strcmp(name, allowed[a]) == 0;
		if (!known)
			return bf_error_set(err, BF_EINVAL, "", "keys[%zu].%s: %s", i, name,
			                    strstr(name, "secret") ? "a key file carries no secrets"
			                                           : "is not a field of a key");
	}
	if ((rc = key_text(j, i, "id", k->id, sizeof(k->id), err)) != 0 ||
	    (rc = key_text(j, i, "party", k->party_id, sizeof(k->party_id), err)) != 0 ||
	    (rc = key_text(j, i, "role", role, sizeof(role), err)) != 0 ||
	    (rc = key_text(j, i, "node", k->node, sizeof(k->node), err)) != 0 ||
	    (rc = key_text(j, i, "public_key", hex, sizeof(hex), err)) != 0 ||
	    (rc = key_text(j, i, "created_at", made, sizeof(made), err)) != 0)
		return rc;
	if (!k->party_id[0])
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].party: must not be empty", i);
	json_t *number = json_object_get(j, "number"), *from = json_object_get(j, "from_seq");
	if (!json_is_integer(number) || json_integer_value(number) < 1 || json_integer_value(number) > SEQ_MAX)
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].number: must be a whole number from 1 to 2^53", i);
	if (!json_is_integer(from) || json_integer_value(from) < 0 || json_integer_value(from) > SEQ_MAX)
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].from_seq: must be a whole number from 0 to 2^53", i);
	k->number = json_integer_value(number);
	k->from_seq = json_integer_value(from);
	if (bf_role_parse(role, &k->role) != 0)
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].role: \"%s\" is not a role", i, role);
	if (bf_ledger_node_check(k->node, &why) != 0)
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].node: %s", i, why.message);
	if (strcmp(k->node, own_node) == 0)
		return bf_error_set(err, BF_EINVAL, "",
		                    "keys[%zu].node: %s is this node; a peer's file holds its own keys", i, own_node);
	if (strlen(hex) != 2 * BF_PUBLIC_KEY_BYTES ||
	    sodium_hex2bin(k->public_key, sizeof(k->public_key), hex, strlen(hex), NULL, &bin_len, NULL) != 0 ||
	    bin_len != BF_PUBLIC_KEY_BYTES)
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].public_key: must be %d hex digits", i,
		                    2 * BF_PUBLIC_KEY_BYTES);
	bf_ledger_key_id(k->public_key, id);
	if (strcmp(id, k->id) != 0)
		return bf_error_set(err, BF_EINVAL, "", "keys[%zu].id: \"%s\" is not the id of its public key (%s)", i,
		                    k->id, id);
	if (bf_time_parse(made, &k->created_at) != 0)
		return bf_error_set(err, BF_EINVAL, "",
		                    "keys[%zu].created_at: \"%s\" is not an instant like "
		                    "2026-12-01T00:00:00Z",
		                    i, made);
	return BF_OK;
}

int bf_ledger_keys_import(struct bf_store *s, const char *text, size_t len, int *added, int *known,
                          struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1];
	json_error_t jerr;
	json_t *doc, *keys;
	int rc;

	*added = *known = 0;
	if (len > KEYFILE_MAX)
		return bf_error_set(err, BF_ETOOBIG, "", "a key file is at most %u bytes", KEYFILE_MAX);
	if ((rc = bf_store_node_get(s, node, err)) != 0)
		return rc;
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return bf_error_set(err, BF_EINVAL, "", "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
	json_t *format = json_object_get(doc, "format");
	keys = json_object_get(doc, "keys");
	if (!json_is_object(doc))
		rc = bf_error_set(err, BF_EINVAL, "", "the file must hold one JSON object");
	else if (!json_is_string(format) || strcmp(json_string_value(format), KEYS_FORMAT) != 0)
		rc = bf_error_set(err, BF_EINVAL, "", "format: must be \"%s\"", KEYS_FORMAT);
	else if (!json_is_array(keys))
		rc = bf_error_set(err, BF_EINVAL, "", "keys: must be an array");
	else if (json_array_size(keys) > KEYFILE_KEYS)
		rc = bf_error_set(err, BF_ETOOBIG, "", "keys: at most %d keys", KEYFILE_KEYS);
	for (size_t i = 0; rc == BF_OK && i < json_array_size(keys); i++) {
		struct bf_signing_key k, held;
		if ((rc = read_key(json_array_get(keys, i), i, node, &k, err)) != 0)
			break;
		rc = bf_store_key_get(s, k.id, &held, err);
		if (rc == BF_ENOTFOUND) {
			if ((rc = bf_store_key_put(s, &k, err)) == BF_OK)
				(*added)++;
			else if (rc == BF_ECONFLICT)
				rc = bf_error_set(
				    err, BF_ECONFLICT, "",
				    "keys[%zu]: its public key, or key %lld of %s on %s, is registered already", i,
				    (long long)k.number, k.party_id, k.node);
			continue;
		}
		if (rc)
			break;
		bool same = strcmp(held.party_id, k.party_id) == 0 && held.role == k.role &&
		            strcmp(held.node, k.node) == 0 && held.number == k.number && held.from_seq == k.from_seq &&
		            memcmp(held.public_key, k.public_key, sizeof(k.public_key)) == 0;
		sodium_memzero(&held, sizeof(held));
		if (!same)
			rc = bf_error_set(err, BF_ECONFLICT, "",
			                  "keys[%zu].id: %s is registered here with other contents", i, k.id);
		else
			(*known)++;
	}
	json_decref(doc);
	return rc;
}
