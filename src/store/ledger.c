/* The ledger's records on either engine: the node's id, the head of each
 * origin's chain, and signing keys. The chain itself is the event table
 * (records.c). */
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bf_store_node_get(struct bf_store *s, char *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT value FROM meta WHERE key = 'node'", &st, err);
	if (rc)
		return rc;
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		bf_db_col_text_copy(st, 0, out, BF_NODE_ID_MAX + 1);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "node", "this database has no node id yet");
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read the node id");
	return BF_OK;
}

int bf_store_node_set(struct bf_store *s, const char *node, enum bf_scope scope, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "INSERT INTO meta (key, value) VALUES ('node', ?), ('scope', ?)", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, node);
	bf_db_bind_text(st, 2, bf_scope_name(scope));
	return bf_store_step_done(s, st, err);
}

int bf_store_scope_get(struct bf_store *s, char *node, enum bf_scope *scope, struct bf_error *err)
{
	struct bf_stmt *st;
	char key[8], value[BF_NODE_ID_MAX + 1];
	bool have_node = false;
	int rc = bf_db_prepare(s, "SELECT key, value FROM meta WHERE key IN ('node', 'scope')", &st, err);
	if (rc)
		return rc;
	*scope = BF_SCOPE_BORDER;
	node[0] = '\0';
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		bf_db_col_text_copy(st, 0, key, sizeof(key));
		bf_db_col_text_copy(st, 1, value, sizeof(value));
		if (strcmp(key, "node") == 0) {
			bf_strlcpy(node, value, BF_NODE_ID_MAX + 1);
			have_node = true;
		} else if (!bf_scope_parse(value, scope)) {
			bf_db_finalize(st);
			return bf_error_set(err, BF_ESTORE, "scope", "this database's scope \"%s\" is not one known",
			                    value);
		}
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE)
		return bf_db_error(s, err, "read the node's scope");
	if (!have_node)
		return bf_error_set(err, BF_ENOTFOUND, "node", "this database has no node id yet");
	return BF_OK;
}

int bf_store_chain_head(struct bf_store *s, const char *origin, int64_t *origin_seq,
                        unsigned char hash[BF_EVENT_HASH_BYTES], struct bf_error *err)
{
	bf_time at;
	return bf_store_chain_head_at(s, origin, origin_seq, hash, &at, err);
}

int bf_store_chain_head_at(struct bf_store *s, const char *origin, int64_t *origin_seq,
                           unsigned char hash[BF_EVENT_HASH_BYTES], bf_time *at, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s, "SELECT origin_seq, hash, at FROM event WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1", &st, err);
	*origin_seq = 0;
	*at = 0;
	memset(hash, 0, BF_EVENT_HASH_BYTES);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, origin);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW) {
		const void *h = bf_db_col_blob(st, 1);
		*origin_seq = bf_db_col_int64(st, 0);
		*at = bf_db_col_int64(st, 2);
		if (h != NULL && bf_db_col_bytes(st, 1) == BF_EVENT_HASH_BYTES)
			memcpy(hash, h, BF_EVENT_HASH_BYTES);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_ROW && rc != BF_DB_DONE)
		return bf_db_error(s, err, "read the chain's head");
	return BF_OK;
}

int bf_store_chains(struct bf_store *s, struct bf_store_chain **out, size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = bf_db_prepare(s,
	                       "SELECT origin, max(origin_seq), count(*) FROM event WHERE origin IS NOT NULL AND "
	                       "origin <> '' AND origin_seq >= 1 GROUP BY origin ORDER BY origin",
	                       &st, err);
	if (rc)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 4;
			*out = bf_xrealloc(*out, cap * sizeof(**out));
		}
		struct bf_store_chain *c = &(*out)[(*n)++];
		bf_db_col_text_copy(st, 0, c->origin, sizeof(c->origin));
		c->head = bf_db_col_int64(st, 1);
		c->count = bf_db_col_int64(st, 2);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return bf_db_error(s, err, "read the chains");
	}
	return BF_OK;
}

int bf_store_chain_event(struct bf_store *s, const char *origin, int64_t origin_seq, struct bf_event *out,
                         struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT seq FROM event WHERE origin = ? AND origin_seq = ?", &st, err);
	int64_t seq = 0;
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, origin);
	bf_db_bind_int64(st, 2, origin_seq);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		seq = bf_db_col_int64(st, 0);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "origin_seq", "%s has no event %lld", origin,
		                    (long long)origin_seq);
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read an event");
	struct bf_event *v;
	size_t n;
	if ((rc = bf_store_events_list(s, seq - 1, 1, &v, &n, err)) != 0)
		return rc;
	if (n != 1) {
		bf_store_events_free(v, n);
		return bf_error_set(err, BF_ENOTFOUND, "seq", "event %lld vanished", (long long)seq);
	}
	*out = v[0];
	free(v); /* the payload moved to *OUT */
	return BF_OK;
}

/* ---- signing keys ---- */

#define KEY_COLUMNS "id, party_id, role, node, public_key, secret_key, created_at, number, from_seq"

static int read_key(struct bf_stmt *st, bool with_secret, struct bf_signing_key *k)
{
	memset(k, 0, sizeof(*k));
	bf_db_col_text_copy(st, 0, k->id, sizeof(k->id));
	bf_db_col_text_copy(st, 1, k->party_id, sizeof(k->party_id));
	if (bf_role_parse((const char *)bf_db_col_text(st, 2), &k->role) != BF_OK)
		k->role = BF_ROLE_COUNT;
	bf_db_col_text_copy(st, 3, k->node, sizeof(k->node));
	if (bf_db_col_bytes(st, 4) != BF_PUBLIC_KEY_BYTES)
		return BF_ESTORE;
	memcpy(k->public_key, bf_db_col_blob(st, 4), BF_PUBLIC_KEY_BYTES);
	k->has_secret = !bf_db_col_null(st, 5);
	if (k->has_secret && with_secret) {
		if (bf_db_col_bytes(st, 5) != BF_SECRET_KEY_BYTES)
			return BF_ESTORE;
		memcpy(k->secret_key, bf_db_col_blob(st, 5), BF_SECRET_KEY_BYTES);
	}
	k->created_at = bf_db_col_int64(st, 6);
	k->number = bf_db_col_int64(st, 7);
	k->from_seq = bf_db_col_int64(st, 8);
	return BF_OK;
}

int bf_store_key_put(struct bf_store *s, const struct bf_signing_key *k, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "INSERT INTO signing_key (" KEY_COLUMNS ") VALUES (?,?,?,?,?,?,?,?,?)", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, k->id);
	bf_db_bind_text(st, 2, k->party_id);
	bf_db_bind_text(st, 3, bf_role_name(k->role));
	bf_db_bind_text(st, 4, k->node);
	bf_db_bind_blob(st, 5, k->public_key, BF_PUBLIC_KEY_BYTES);
	if (k->has_secret)
		bf_db_bind_blob(st, 6, k->secret_key, BF_SECRET_KEY_BYTES);
	bf_db_bind_int64(st, 7, k->created_at);
	bf_db_bind_int64(st, 8, k->number);
	bf_db_bind_int64(st, 9, k->from_seq);
	return bf_store_step_done(s, st, err);
}

/* Runs ST (bound) for at most one key. */
static int one_key(struct bf_store *s, struct bf_stmt *st, const char *what, struct bf_signing_key *out,
                   struct bf_error *err)
{
	int rc = bf_db_step(st);
	int bad = rc == BF_DB_ROW ? read_key(st, true, out) : BF_OK;
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "key", "no such key: %s", what);
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read a signing key");
	if (bad) {
		explicit_bzero(out, sizeof(*out));
		return bf_error_set(err, BF_ESTORE, "key", "signing key of %s is damaged in the database", what);
	}
	return BF_OK;
}

int bf_store_key_get(struct bf_store *s, const char *id, struct bf_signing_key *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT " KEY_COLUMNS " FROM signing_key WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	return one_key(s, st, id, out, err);
}

int bf_store_key_numbered(struct bf_store *s, const char *party_id, const char *node, int64_t number,
                          struct bf_signing_key *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s, "SELECT " KEY_COLUMNS " FROM signing_key WHERE party_id = ? AND node = ? AND number = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, party_id);
	bf_db_bind_text(st, 2, node);
	bf_db_bind_int64(st, 3, number);
	return one_key(s, st, party_id, out, err);
}

int bf_store_key_current(struct bf_store *s, const char *party_id, const char *node, struct bf_signing_key *out,
                         struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "SELECT " KEY_COLUMNS " FROM signing_key WHERE party_id = ? AND node = ? "
	                       "ORDER BY number DESC LIMIT 1",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, party_id);
	bf_db_bind_text(st, 2, node);
	return one_key(s, st, party_id, out, err);
}

int bf_store_keys_list(struct bf_store *s, bool with_secrets, struct bf_signing_key **out, size_t *n,
                       struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_signing_key *v = NULL;
	size_t len = 0, cap = 0;
	int rc = bf_db_prepare(s, "SELECT " KEY_COLUMNS " FROM signing_key ORDER BY party_id, node, number", &st, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		if (read_key(st, with_secrets, &v[len]) != BF_OK) {
			bf_db_finalize(st);
			bf_store_keys_free(v, len + 1);
			return bf_error_set(err, BF_ESTORE, "key", "a signing key is damaged in the database");
		}
		len++;
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		bf_store_keys_free(v, len);
		return bf_db_error(s, err, "list signing keys");
	}
	*out = v;
	*n = len;
	return BF_OK;
}

void bf_store_keys_free(struct bf_signing_key *keys, size_t n)
{
	if (keys != NULL)
		explicit_bzero(keys, n * sizeof(*keys));
	free(keys);
}

int bf_store_key_erase_before(struct bf_store *s, const char *party_id, const char *node, int64_t number,
                              struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "UPDATE signing_key SET secret_key = NULL "
	                       "WHERE party_id = ? AND node = ? AND number < ? AND secret_key IS NOT NULL",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, party_id);
	bf_db_bind_text(st, 2, node);
	bf_db_bind_int64(st, 3, number);
	return bf_store_step_done(s, st, err);
}

/* A pin is the row "pin:NODE" of meta, the key as hex. */
int bf_store_pin_get(struct bf_store *s, const char *node, char *hex, size_t cap, struct bf_error *err)
{
	struct bf_stmt *st;
	char key[BF_NODE_ID_MAX + 8];
	snprintf(key, sizeof(key), "pin:%s", node);
	int rc = bf_db_prepare(s, "SELECT value FROM meta WHERE key = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, key);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		bf_db_col_text_copy(st, 0, hex, cap);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "pin", "no node key of %s is pinned here", node);
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read a pinned key");
	return BF_OK;
}

int bf_store_pin_put(struct bf_store *s, const char *node, const char *hex, struct bf_error *err)
{
	struct bf_stmt *st;
	char key[BF_NODE_ID_MAX + 8];
	snprintf(key, sizeof(key), "pin:%s", node);
	int rc = bf_db_prepare(
	    s, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, key);
	bf_db_bind_text(st, 2, hex);
	return bf_store_step_done(s, st, err);
}

int bf_store_key_legacy(struct bf_store *s, const char *id, bool *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT 1 FROM key_legacy WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	bf_db_finalize(st);
	if (rc != BF_DB_ROW && rc != BF_DB_DONE)
		return bf_db_error(s, err, "read the keys made before key events");
	*out = rc == BF_DB_ROW;
	return BF_OK;
}
