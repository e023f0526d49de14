/* The ledger's encoding, hashing and signing of events, and its keys
 * (see ledger.h for the layout and the rules). */
#include "ledger/ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bf_ledger_node_check(const char *node, struct bf_error *err)
{
	size_t len = node ? strlen(node) : 0;
	if (len == 0 || len > BF_NODE_ID_MAX)
		return bf_error_set(err, BF_EINVAL, "node", "a node id has 1 to %d characters", BF_NODE_ID_MAX);
	if (node[0] < 'a' || node[0] > 'z')
		return bf_error_set(err, BF_EINVAL, "node", "a node id starts with a letter from a to z, not \"%s\"",
		                    node);
	for (size_t i = 0; i < len; i++) {
		char c = node[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return bf_error_set(err, BF_EINVAL, "node", "a node id holds only a-z, 0-9 and '-', not \"%s\"",
			                    node);
	}
	return BF_OK;
}

/* ---- the canonical encoding ---- */

/* Where encoded bytes go: a buffer (counting past its end) or a hash. */
struct sink {
	unsigned char *buf;
	size_t cap, len;
	crypto_generichash_state *hash;
};

static void put(struct sink *k, const void *p, size_t n)
{
	if (k->hash != NULL) {
		crypto_generichash_update(k->hash, p, n);
	} else if (k->len < k->cap) {
		size_t room = k->cap - k->len;
		memcpy(k->buf + k->len, p, n < room ? n : room);
	}
	k->len += n;
}

static void put_u32(struct sink *k, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	                      (unsigned char)v};
	put(k, b, sizeof(b));
}

static void put_i64(struct sink *k, int64_t v)
{
	uint64_t u = (uint64_t)v;
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (56 - 8 * i));
	put(k, b, sizeof(b));
}

static void put_bytes(struct sink *k, const void *p, size_t n)
{
	put_u32(k, (uint32_t)n);
	put(k, p, n);
}

static void put_text(struct sink *k, const char *s)
{
	put_bytes(k, s, strlen(s));
}

static void encode(const struct bf_event *e, struct sink *k)
{
	put_text(k, BF_LEDGER_ENCODING);
	put_text(k, e->origin);
	put_i64(k, e->origin_seq);
	put_i64(k, e->at);
	put_text(k, e->party_id);
	put_text(k, bf_role_name(e->role));
	put_text(k, e->kind);
	put_text(k, e->subject);
	put_text(k, e->payload ? e->payload : "{}");
	put_bytes(k, e->prev_hash, sizeof(e->prev_hash));
}

size_t bf_ledger_encode(const struct bf_event *e, unsigned char *buf, size_t cap)
{
	struct sink k = {.buf = buf, .cap = buf ? cap : 0};
	encode(e, &k);
	return k.len;
}

void bf_ledger_hash(const struct bf_event *e, unsigned char out[BF_EVENT_HASH_BYTES])
{
	crypto_generichash_state st;
	struct sink k = {.hash = &st};
	crypto_generichash_init(&st, NULL, 0, BF_EVENT_HASH_BYTES);
	encode(e, &k);
	crypto_generichash_final(&st, out, BF_EVENT_HASH_BYTES);
}

void bf_ledger_key_id(const unsigned char public_key[BF_PUBLIC_KEY_BYTES], char out[BF_KEY_ID_MAX + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), public_key, BF_PUBLIC_KEY_BYTES, NULL, 0);
	sodium_bin2hex(out, BF_KEY_ID_MAX + 1, h, BF_KEY_ID_MAX / 2);
}

/* ---- keys ---- */

/* This database's node id; the default one is set here if none was. */
static int local_node(struct bf_store *s, char node[BF_NODE_ID_MAX + 1], struct bf_error *err)
{
	int rc = bf_store_node_get(s, node, err);
	if (rc != BF_ENOTFOUND)
		return rc;
	if ((rc = bf_store_node_set(s, BF_LEDGER_DEFAULT_NODE, BF_SCOPE_BORDER, err)) != 0)
		return rc;
	return bf_store_node_get(s, node, err);
}

json_t *bf_ledger_key_json(const struct bf_signing_key *k)
{
	char hex[2 * BF_PUBLIC_KEY_BYTES + 1], made[BF_TIME_TEXT];
	sodium_bin2hex(hex, sizeof(hex), k->public_key, sizeof(k->public_key));
	bf_time_format_utc(k->created_at, made);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "id", k->id, "party", k->party_id, "role",
	                 bf_role_name(k->role), "node", k->node, "number", (json_int_t)k->number, "from_seq",
	                 (json_int_t)k->from_seq, "public_key", hex, "created_at", made);
}

/* A fresh key pair for PARTY_ID acting as ROLE on NODE, numbered NUMBER,
 * in force after FROM_SEQ of NODE's chain; *OUT keeps the secret (the
 * caller wipes it). */
static int key_pair(const char *party_id, enum bf_role role, const char *node, int64_t number, int64_t from_seq,
                    bf_time now, struct bf_signing_key *out, struct bf_error *err)
{
	if (sodium_init() < 0)
		return bf_error_set(err, BF_EIO, "", "libsodium cannot start (no random number source)");
	memset(out, 0, sizeof(*out));
	crypto_sign_keypair(out->public_key, out->secret_key);
	out->has_secret = true;
	bf_ledger_key_id(out->public_key, out->id);
	bf_strlcpy(out->party_id, party_id, sizeof(out->party_id));
	bf_strlcpy(out->node, node, sizeof(out->node));
	out->role = role;
	out->number = number;
	out->from_seq = from_seq;
	out->created_at = now;
	return BF_OK;
}

/* Appends the event that makes key K, signed by NODE's node operator. */
static int key_event(struct bf_store *s, const struct bf_signing_key *k, bf_time now, struct bf_error *err)
{
	struct bf_event e = {.at = now, .role = BF_ROLE_SYSTEM};
	bf_strlcpy(e.party_id, BF_NODE_OPERATOR_ID, sizeof(e.party_id));
	bf_strlcpy(e.kind, BF_KEY_MADE, sizeof(e.kind));
	snprintf(e.subject, sizeof(e.subject), "key/%s", k->id);
	json_t *j = bf_ledger_key_json(k);
	e.payload = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (e.payload == NULL)
		return bf_error_set(err, BF_EIO, "", "out of memory");
	int rc = bf_ledger_append(s, &e, err);
	free(e.payload);
	return rc;
}

/* Makes key NUMBER for PARTY_ID acting as ROLE on NODE, with its event
 * (ledger.h, keys on the chain), and the node key first if NODE has none;
 * *OUT keeps the secret (the caller wipes it). A new key retires the
 * party's older ones: their secrets are erased. */
static int make_key(struct bf_store *s, const char *party_id, enum bf_role role, const char *node, int64_t number,
                    bf_time now, struct bf_signing_key *out, struct bf_error *err)
{
	unsigned char head_hash[BF_EVENT_HASH_BYTES];
	struct bf_signing_key op;
	int64_t head;
	bool node_key = strcmp(party_id, BF_NODE_OPERATOR_ID) == 0 && number == 1;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!node_key) {
		/* The key that signs this one's event: the node key, made first. */
		rc = bf_store_key_current(s, BF_NODE_OPERATOR_ID, node, &op, err);
		if (rc == BF_ENOTFOUND)
			rc = make_key(s, BF_NODE_OPERATOR_ID, BF_ROLE_SYSTEM, node, 1, now, &op, err);
		bool held = op.has_secret;
		sodium_memzero(&op, sizeof(op));
		if (rc)
			return rc;
		if (!held)
			return bf_error_set(
			    err, BF_ECONFLICT, "key",
			    "this database holds no secret of %s's node key, which signs every new key: "
			    "restore the database that has it",
			    node);
	}
	if ((rc = bf_store_chain_head(s, node, &head, head_hash, err)) != 0)
		return rc;
	/* The node key signs its own event, the chain's first; any other key
	 * signs from the event after the one that makes it. */
	if ((rc = key_pair(party_id, role, node, number, node_key ? head : head + 1, now, out, err)) != 0)
		return rc;
	if (node_key)
		rc = bf_store_key_put(s, out, err);
	if (rc == BF_OK)
		rc = key_event(s, out, now, err);
	if (rc == BF_OK && !node_key)
		rc = bf_store_key_put(s, out, err);
	if (rc == BF_OK && number > 1)
		rc = bf_store_key_erase_before(s, party_id, node, number, err);
	if (rc)
		sodium_memzero(out, sizeof(*out));
	return rc;
}

int bf_ledger_key_new(struct bf_store *s, const char *party_id, bf_time now, struct bf_signing_key *out,
                      struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1];
	struct bf_signing_key cur;
	struct bf_party p;
	enum bf_role role;
	int64_t number = 1;
	int rc = local_node(s, node, err);
	if (rc)
		return rc;
	rc = bf_store_key_current(s, party_id, node, &cur, err);
	if (rc == BF_OK) {
		role = cur.role;
		number = cur.number + 1;
		sodium_memzero(&cur, sizeof(cur));
	} else if (rc != BF_ENOTFOUND) {
		return rc;
	} else if (strcmp(party_id, BF_NODE_OPERATOR_ID) == 0) {
		role = BF_ROLE_SYSTEM;
	} else if ((rc = bf_store_party_get(s, party_id, &p, err)) == BF_OK) {
		role = p.role;
	} else {
		if (rc == BF_ENOTFOUND)
			bf_error_set(err, BF_ENOTFOUND, "party", "no party %s on this node", party_id);
		return rc;
	}
	if ((rc = make_key(s, party_id, role, node, number, now, out, err)) != 0)
		return rc;
	sodium_memzero(out->secret_key, sizeof(out->secret_key));
	return BF_OK;
}

int bf_ledger_node_key(struct bf_store *s, bf_time now, struct bf_signing_key *out, struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1];
	int rc = local_node(s, node, err);
	if (rc)
		return rc;
	rc = bf_store_key_numbered(s, BF_NODE_OPERATOR_ID, node, 1, out, err);
	if (rc == BF_ENOTFOUND)
		rc = make_key(s, BF_NODE_OPERATOR_ID, BF_ROLE_SYSTEM, node, 1, now, out, err);
	if (rc == BF_OK) {
		sodium_memzero(out->secret_key, sizeof(out->secret_key));
		out->has_secret = false;
	}
	return rc;
}

/* ---- time ---- */

int bf_ledger_time_check(bf_time at, bf_time prev_at, bf_time now, char *why, size_t cap)
{
	char a[BF_TIME_TEXT], b[BF_TIME_TEXT];
	if (prev_at != BF_LEDGER_NO_TIME && prev_at > INT64_MIN + BF_LEDGER_CLOCK_TOLERANCE &&
	    at < prev_at - BF_LEDGER_CLOCK_TOLERANCE) {
		bf_time_format_utc(at, a);
		bf_time_format_utc(prev_at, b);
		snprintf(why, cap, "dated %s, more than %d minutes before the previous event of its chain (%s)", a,
		         BF_LEDGER_CLOCK_TOLERANCE / 60, b);
		return -1;
	}
	if (now != BF_LEDGER_NO_TIME && now < INT64_MAX - BF_LEDGER_CLOCK_TOLERANCE &&
	    at > now + BF_LEDGER_CLOCK_TOLERANCE) {
		bf_time_format_utc(at, a);
		bf_time_format_utc(now, b);
		snprintf(why, cap, "dated %s, more than %d minutes ahead of this node's clock (%s): a clock is wrong",
		         a, BF_LEDGER_CLOCK_TOLERANCE / 60, b);
		return -1;
	}
	return 0;
}

/* ---- appending ---- */

int bf_ledger_append(struct bf_store *s, struct bf_event *e, struct bf_error *err)
{
	struct bf_signing_key key;
	int rc = local_node(s, e->origin, err);
	if (rc)
		return rc;
	bf_time prev_at;
	if ((rc = bf_store_chain_head_at(s, e->origin, &e->origin_seq, e->prev_hash, &prev_at, err)) != 0)
		return rc;
	char why[200];
	if (bf_ledger_time_check(e->at, e->origin_seq > 0 ? prev_at : BF_LEDGER_NO_TIME, BF_LEDGER_NO_TIME, why,
	                         sizeof(why)) != 0)
		return bf_error_set(err, BF_ECONFLICT, "time",
		                    "this node's clock went back: the event would be %s; nothing is signed until the "
		                    "clock is right",
		                    why);
	/* The author's first key, or a new one where this database has lost
	 * the secret of its last (restored from a backup made before it): made
	 * here, with its event, and the event signed after it. */
	rc = bf_store_key_current(s, e->party_id, e->origin, &key, err);
	if (rc == BF_ENOTFOUND || (rc == BF_OK && !key.has_secret && strcmp(e->party_id, BF_NODE_OPERATOR_ID) != 0)) {
		int64_t number = rc == BF_OK ? key.number + 1 : 1;
		enum bf_role role = rc == BF_OK ? key.role : e->role;
		sodium_memzero(&key, sizeof(key));
		if ((rc = make_key(s, e->party_id, role, e->origin, number, e->at, &key, err)) == BF_OK)
			rc = bf_store_chain_head_at(s, e->origin, &e->origin_seq, e->prev_hash, &prev_at, err);
	}
	if (rc) {
		sodium_memzero(&key, sizeof(key));
		return rc;
	}
	e->origin_seq++;
	if (!key.has_secret) {
		sodium_memzero(&key, sizeof(key));
		return bf_error_set(err, BF_ECONFLICT, "party",
		                    "this database holds no secret of %s's current key (restored from a backup made "
		                    "before the key was); %s",
		                    e->party_id,
		                    strcmp(e->party_id, BF_NODE_OPERATOR_ID) == 0
		                        ? "the node key signs every new key, so restore the database that has it"
		                        : "it gets a new key at its next event");
	}
	if (key.role != e->role) {
		sodium_memzero(&key, sizeof(key));
		return bf_error_set(err, BF_ECONFLICT, "role", "party %s signs as %s, not %s", e->party_id,
		                    bf_role_name(key.role), bf_role_name(e->role));
	}
	bf_ledger_hash(e, e->hash);
	crypto_sign_detached(e->signature, NULL, e->hash, sizeof(e->hash), key.secret_key);
	memcpy(e->key_id, key.id, sizeof(e->key_id));
	sodium_memzero(&key, sizeof(key));
	return bf_store_event_append(s, e, err);
}
