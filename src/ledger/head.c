/* Signed heads: a node's statement of how far its own chain goes (its
 * last event's number, hash and time), signed with its node operator's
 * key, the node's own; carried by every feed page of that chain, so that
 * the peer can tell events withheld from it and a fork it was never
 * served (ledger.h). */
#include "ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* What is signed: a text no event's hash can be mistaken for. */
static int head_message(const struct bf_ledger_head *h, char *out, size_t cap)
{
	char hex[BF_EVENT_HASH_BYTES * 2 + 1];
	sodium_bin2hex(hex, sizeof(hex), h->hash, sizeof(h->hash));
	return snprintf(out, cap, "borderflow head v1\n%s\n%lld\n%s\n%lld\n", h->origin, (long long)h->origin_seq, hex,
	                (long long)h->at);
}

int bf_ledger_head_sign(struct bf_store *s, struct bf_ledger_head *out, struct bf_error *err)
{
	struct bf_signing_key key;
	char msg[256];
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = bf_store_node_get(s, out->origin, err)) != 0)
		return rc;
	if ((rc = bf_store_chain_head_at(s, out->origin, &out->origin_seq, out->hash, &out->at, err)) != 0)
		return rc;
	if (out->origin_seq == 0)
		return bf_error_set(err, BF_ENOTFOUND, "head", "the chain of %s is empty", out->origin);
	if ((rc = bf_store_key_current(s, BF_NODE_OPERATOR_ID, out->origin, &key, err)) != 0)
		return rc;
	if (!key.has_secret) {
		sodium_memzero(&key, sizeof(key));
		return bf_error_set(err, BF_ENOTFOUND, "head", "this node holds no secret of its own key");
	}
	int len = head_message(out, msg, sizeof(msg));
	bf_strlcpy(out->key_id, key.id, sizeof(out->key_id));
	crypto_sign_detached(out->signature, NULL, (const unsigned char *)msg, (unsigned long long)len, key.secret_key);
	sodium_memzero(&key, sizeof(key));
	return BF_OK;
}

bool bf_ledger_head_verify(struct bf_store *s, const struct bf_ledger_head *h)
{
	struct bf_signing_key key;
	struct bf_error err = {0};
	char msg[256];
	if (bf_store_key_get(s, h->key_id, &key, &err) != BF_OK)
		return false;
	sodium_memzero(key.secret_key, sizeof(key.secret_key));
	if (strcmp(key.party_id, BF_NODE_OPERATOR_ID) != 0 || strcmp(key.node, h->origin) != 0)
		return false;
	/* Signed by the node key in force at the head: none made after it,
	 * and none retired before it (its secret is erased then). */
	struct bf_signing_key next;
	int found = bf_store_key_numbered(s, key.party_id, key.node, key.number + 1, &next, &err);
	bool retired = found == BF_OK && next.from_seq <= h->origin_seq;
	sodium_memzero(&next, sizeof(next));
	if (key.from_seq > h->origin_seq || retired || (found != BF_OK && found != BF_ENOTFOUND))
		return false;
	int len = head_message(h, msg, sizeof(msg));
	return crypto_sign_verify_detached(h->signature, (const unsigned char *)msg, (unsigned long long)len,
	                                   key.public_key) == 0;
}

json_t *bf_ledger_head_json(const struct bf_ledger_head *h)
{
	char hash[BF_EVENT_HASH_BYTES * 2 + 1], sig[crypto_sign_BYTES * 2 + 1], at[BF_TIME_TEXT];
	sodium_bin2hex(hash, sizeof(hash), h->hash, sizeof(h->hash));
	sodium_bin2hex(sig, sizeof(sig), h->signature, sizeof(h->signature));
	bf_time_format_utc(h->at, at);
	return json_pack("{s:s, s:I, s:s, s:s, s:I, s:s, s:s}", "origin", h->origin, "origin_seq",
	                 (json_int_t)h->origin_seq, "hash", hash, "at", at, "at_unix", (json_int_t)h->at, "key_id",
	                 h->key_id, "signature", sig);
}

int bf_ledger_head_parse(json_t *j, struct bf_ledger_head *out, struct bf_error *err)
{
	const char *origin = json_string_value(json_object_get(j, "origin")),
	           *hash = json_string_value(json_object_get(j, "hash")),
	           *key = json_string_value(json_object_get(j, "key_id")),
	           *sig = json_string_value(json_object_get(j, "signature"));
	json_t *seq = json_object_get(j, "origin_seq"), *at = json_object_get(j, "at_unix");
	size_t n1 = 0, n2 = 0;
	memset(out, 0, sizeof(*out));
	if (!json_is_object(j) || origin == NULL || hash == NULL || key == NULL || sig == NULL ||
	    !json_is_integer(seq) || !json_is_integer(at) || bf_strlcpy(out->origin, origin, sizeof(out->origin)) ||
	    bf_strlcpy(out->key_id, key, sizeof(out->key_id)) ||
	    sodium_hex2bin(out->hash, sizeof(out->hash), hash, strlen(hash), NULL, &n1, NULL) != 0 ||
	    n1 != sizeof(out->hash) ||
	    sodium_hex2bin(out->signature, sizeof(out->signature), sig, strlen(sig), NULL, &n2, NULL) != 0 ||
	    n2 != sizeof(out->signature) || json_integer_value(seq) < 1)
		return bf_error_set(err, BF_EINVAL, "head", "the signed head cannot be read");
	out->origin_seq = (int64_t)json_integer_value(seq);
	out->at = (bf_time)json_integer_value(at);
	return BF_OK;
}
