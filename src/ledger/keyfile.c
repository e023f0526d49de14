/* The public keys a node hands its peer, as JSON, and their import. */
#include "ledger/ledger.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
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
		if (strcmp(v[i].node, node) != 0)
			continue; /* a peer's keys are the peer's to hand out */
		json_array_append_new(keys, bf_ledger_key_json(&v[i]));
	}
	bf_store_keys_free(v, n);
	json_t *doc = json_pack("{s:s, s:s, s:o}", "format", KEYS_FORMAT, "node", node, "keys", keys);
	*out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (*out == NULL)
		return bf_error_set(err, BF_EINVAL, "", "the keys cannot be encoded");
	return BF_OK;
}

/* Reads string member NAME of key WHERE into DST (CAP bytes). */
static int key_text(json_t *k, const char *where, const char *name, char *dst, size_t cap, struct bf_error *err)
{
	json_t *v = json_object_get(k, name);
	if (!json_is_string(v))
		return bf_error_set(err, BF_EINVAL, "", "%s.%s: %s", where, name,
		                    v ? "must be a string" : "is missing");
	if (bf_strlcpy(dst, json_string_value(v), cap) != 0)
		return bf_error_set(err, BF_EINVAL, "", "%s.%s: longer than %zu characters", where, name, cap - 1);
	return BF_OK;
}

bool bf_ledger_key_same(const struct bf_signing_key *a, const struct bf_signing_key *b)
{
	return strcmp(a->party_id, b->party_id) == 0 && a->role == b->role && strcmp(a->node, b->node) == 0 &&
	       a->number == b->number && a->from_seq == b->from_seq &&
	       memcmp(a->public_key, b->public_key, sizeof(a->public_key)) == 0;
}

int bf_ledger_key_parse(json_t *j, const char *where, struct bf_signing_key *k, struct bf_error *err)
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
		return bf_error_set(err, BF_EINVAL, "", "%s: must be an object", where);
	json_object_foreach (j, name, v) {
		bool known = false;
		for (int a = 0; allowed[a]; a++)
			known = known || strcmp(name, allowed[a]) == 0;
		if (!known)
			return bf_error_set(err, BF_EINVAL, "", "%s.%s: %s", where, name,
			                    strstr(name, "secret") ? "a key file carries no secrets"
			                                           : "is not a field of a key");
	}
	if ((rc = key_text(j, where, "id", k->id, sizeof(k->id), err)) != 0 ||
	    (rc = key_text(j, where, "party", k->party_id, sizeof(k->party_id), err)) != 0 ||
	    (rc = key_text(j, where, "role", role, sizeof(role), err)) != 0 ||
	    (rc = key_text(j, where, "node", k->node, sizeof(k->node), err)) != 0 ||
	    (rc = key_text(j, where, "public_key", hex, sizeof(hex), err)) != 0 ||
	    (rc = key_text(j, where, "created_at", made, sizeof(made), err)) != 0)
		return rc;
	if (!k->party_id[0])
		return bf_error_set(err, BF_EINVAL, "", "%s.party: must not be empty", where);
	json_t *number = json_object_get(j, "number"), *from = json_object_get(j, "from_seq");
	if (!json_is_integer(number) || json_integer_value(number) < 1 || json_integer_value(number) > SEQ_MAX)
		return bf_error_set(err, BF_EINVAL, "", "%s.number: must be a whole number from 1 to 2^53", where);
	if (!json_is_integer(from) || json_integer_value(from) < 0 || json_integer_value(from) > SEQ_MAX)
		return bf_error_set(err, BF_EINVAL, "", "%s.from_seq: must be a whole number from 0 to 2^53", where);
	k->number = json_integer_value(number);
	k->from_seq = json_integer_value(from);
	if (bf_role_parse(role, &k->role) != 0)
		return bf_error_set(err, BF_EINVAL, "", "%s.role: \"%s\" is not a role", where, role);
	if (bf_ledger_node_check(k->node, &why) != 0)
		return bf_error_set(err, BF_EINVAL, "", "%s.node: %s", where, why.message);
	if (strlen(hex) != 2 * BF_PUBLIC_KEY_BYTES ||
	    sodium_hex2bin(k->public_key, sizeof(k->public_key), hex, strlen(hex), NULL, &bin_len, NULL) != 0 ||
	    bin_len != BF_PUBLIC_KEY_BYTES)
		return bf_error_set(err, BF_EINVAL, "", "%s.public_key: must be %d hex digits", where,
		                    2 * BF_PUBLIC_KEY_BYTES);
	bf_ledger_key_id(k->public_key, id);
	if (strcmp(id, k->id) != 0)
		return bf_error_set(err, BF_EINVAL, "", "%s.id: \"%s\" is not the id of its public key (%s)", where,
		                    k->id, id);
	if (bf_time_parse(made, &k->created_at) != 0)
		return bf_error_set(err, BF_EINVAL, "",
		                    "%s.created_at: \"%s\" is not an instant like "
		                    "2026-12-01T00:00:00Z",
		                    where, made);
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
		char where[32];
		snprintf(where, sizeof(where), "keys[%zu]", i);
		if ((rc = bf_ledger_key_parse(json_array_get(keys, i), where, &k, err)) != 0)
			break;
		if (strcmp(k.node, node) == 0) {
			rc = bf_error_set(err, BF_EINVAL, "",
			                  "%s.node: %s is this node; a peer's file holds its own keys", where, node);
			break;
		}
		/* A node key imported is pinned, as serve --peer-key pins it:
		 * never over another pin. */
		bool node_key = strcmp(k.party_id, BF_NODE_OPERATOR_ID) == 0 && k.number == 1;
		char pinned[2 * BF_PUBLIC_KEY_BYTES + 2], hex[2 * BF_PUBLIC_KEY_BYTES + 1];
		sodium_bin2hex(hex, sizeof(hex), k.public_key, sizeof(k.public_key));
		if (node_key && bf_store_pin_get(s, k.node, pinned, sizeof(pinned), err) == BF_OK &&
		    strcmp(pinned, hex) != 0) {
			rc = bf_error_set(
			    err, BF_ECONFLICT, "",
			    "%s: %s's node key in this file is %s, not the one pinned here (%s): a node key "
			    "is pinned once",
			    where, k.node, hex, pinned);
			break;
		}
		if (node_key && (rc = bf_ledger_pin(s, k.node, k.public_key, err)) != 0) {
			if (rc == BF_ECONFLICT || rc == BF_EINVAL) {
				char why[sizeof(err->message)];
				bf_strlcpy(why, err->message, sizeof(why));
				rc = bf_error_set(err, rc, "", "%s: %s", where, why);
			}
			break;
		}
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
		bool same = bf_ledger_key_same(&held, &k);
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

/* ---- keys on the chain ---- */

int bf_ledger_key_event_parse(const struct bf_event *e, struct bf_signing_key *out, struct bf_error *err)
{
	json_error_t jerr;
	char subject[BF_KEY_ID_MAX + 8];
	memset(out, 0, sizeof(*out));
	json_t *j = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	if (j == NULL)
		return bf_error_set(err, BF_EINVAL, "payload", "the payload of a key.made event is not a JSON object");
	int rc = bf_ledger_key_parse(j, "payload", out, err);
	json_decref(j);
	if (rc)
		return rc;
	bool node_key = strcmp(out->party_id, BF_NODE_OPERATOR_ID) == 0 && out->number == 1;
	snprintf(subject, sizeof(subject), "key/%s", out->id);
	if (strcmp(e->subject, subject) != 0)
		return bf_error_set(err, BF_EINVAL, "subject", "\"%s\" is not the key the event makes (%s)", e->subject,
		                    subject);
	if (strcmp(out->node, e->origin) != 0)
		return bf_error_set(err, BF_EINVAL, "payload.node", "%s makes keys of its own, not of %s", e->origin,
		                    out->node);
	if (strcmp(e->party_id, BF_NODE_OPERATOR_ID) != 0 || e->role != BF_ROLE_SYSTEM)
		return bf_error_set(err, BF_EINVAL, "party", "a key is made by the node operator, in the system role");
	if (strcmp(out->party_id, BF_NODE_OPERATOR_ID) == 0 && out->role != BF_ROLE_SYSTEM)
		return bf_error_set(err, BF_EINVAL, "payload.role", "the node operator signs in the system role only");
	if (out->created_at != e->at)
		return bf_error_set(err, BF_EINVAL, "payload.created_at",
		                    "not the time of the event that makes the key");
	if (out->from_seq != (node_key ? e->origin_seq - 1 : e->origin_seq))
		return bf_error_set(
		    err, BF_EINVAL, "payload.from_seq",
		    node_key ? "the node key signs from the event that makes it (%lld), not %lld"
		             : "a key signs from the event after the one that makes it (%lld), not %lld",
		    (long long)(node_key ? e->origin_seq - 1 : e->origin_seq), (long long)out->from_seq);
	if (node_key != (strcmp(e->key_id, out->id) == 0))
		return bf_error_set(err, BF_EINVAL, "key_id",
		                    node_key ? "the node key signs the event that makes it"
		                             : "a key other than the node key is made by an event the node key signs");
	return BF_OK;
}

int bf_ledger_pin(struct bf_store *s, const char *node, const unsigned char public_key[BF_PUBLIC_KEY_BYTES],
                  struct bf_error *err)
{
	char own[BF_NODE_ID_MAX + 1], hex[2 * BF_PUBLIC_KEY_BYTES + 1], held_hex[2 * BF_PUBLIC_KEY_BYTES + 1];
	struct bf_signing_key held;
	struct bf_error why = {0};
	int rc;
	if (bf_ledger_node_check(node, &why) != 0)
		return bf_error_set(err, BF_EINVAL, "node", "%s", why.message);
	if ((rc = bf_store_node_get(s, own, err)) != 0 && rc != BF_ENOTFOUND)
		return rc;
	if (rc == BF_OK && strcmp(own, node) == 0)
		return bf_error_set(err, BF_EINVAL, "node", "%s is this node: a node pins its peer's key", node);
	sodium_bin2hex(hex, sizeof(hex), public_key, BF_PUBLIC_KEY_BYTES);
	char pinned[2 * BF_PUBLIC_KEY_BYTES + 2];
	rc = bf_store_pin_get(s, node, pinned, sizeof(pinned), err);
	if (rc == BF_OK && strcmp(pinned, hex) == 0)
		return BF_OK;
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	rc = bf_store_key_numbered(s, BF_NODE_OPERATOR_ID, node, 1, &held, err);
	if (rc == BF_OK) {
		sodium_bin2hex(held_hex, sizeof(held_hex), held.public_key, sizeof(held.public_key));
		sodium_memzero(&held, sizeof(held));
		if (strcmp(held_hex, hex) != 0)
			return bf_error_set(err, BF_ECONFLICT, "pin",
			                    "%s's node key here is %s already, not %s: a node key is pinned once", node,
			                    held_hex, hex);
	} else if (rc != BF_ENOTFOUND) {
		return rc;
	}
	return bf_store_pin_put(s, node, hex, err);
}
