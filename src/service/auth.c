/* Parties and bearer tokens. A token is "bf_<id>_<secret>": the id names
 * it in lists and revocations, the secret is 32 random bytes; the store
 * keeps only a BLAKE2b hash of the whole token, so a copy of the database
 * grants nothing. */
#include "service/service_int.h"

#include "model/authority.h"
#include "model/time.h"
#include "service/auth.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_ID_LEN 12
#define SECRET_BYTES 32

static void random_id(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[len] = '\0';
}

static void token_hash(const char *token, unsigned char hash[BF_TOKEN_HASH_BYTES])
{
	crypto_generichash(hash, BF_TOKEN_HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* Each gate P is assigned to is a pair this node knows, with a side in
 * P's country. */
static int check_gates(struct bf_store *s, const struct bf_party *p, struct bf_error *err)
{
	for (int i = 0; i < p->n_gates; i++) {
		struct bf_gate_pair g;
		int rc = bf_store_gate_get(s, p->gates[i], &g, err);
		if (rc == BF_ENOTFOUND)
			return bf_error_set(err, BF_EINVAL, "gates", "no gate pair has the id %s", p->gates[i]);
		if (rc)
			return rc;
		bool ours = strcmp(g.side[0].country, p->country) == 0 || strcmp(g.side[1].country, p->country) == 0;
		bf_gate_pair_clear(&g);
		if (!ours)
			return bf_error_set(err, BF_EINVAL, "gates", "%s has no side in %s, which %s acts for",
			                    p->gates[i], p->country, p->id);
	}
	return BF_OK;
}

/* On a node of one country (scope "country"), a party of another country
 * may only read, as the peer's auditor: its steps are its own node's to
 * sign. A carrier is the exception: a truck of either country carries
 * loads both ways, and its steps are the side's where the goods are. */
static int check_country(const struct bf_service *svc, const struct bf_party *p, struct bf_error *err)
{
	char country[3];
	if (!svc->country || p->role == BF_ROLE_AUDITOR || p->role == BF_ROLE_CARRIER ||
	    !bf_authority_node_country(svc->node, country) || strcmp(p->country, country) == 0)
		return BF_OK;
	return bf_error_set(err, BF_EFORBIDDEN, "country",
	                    "node %s acts for %s only: a party of %s may only read here, as an auditor; %s's %s "
	                    "acts on %s's node",
	                    svc->node, country, p->country, p->country, bf_role_name(p->role), p->country);
}

int bf_service_token_new(struct bf_service *svc, const struct bf_party *p, char token[BF_TOKEN_TEXT],
                         char id[BF_TOKEN_ID_MAX + 1], struct bf_error *err)
{
	unsigned char secret[SECRET_BYTES], hash[BF_TOKEN_HASH_BYTES];
	char secret_text[sodium_base64_ENCODED_LEN(SECRET_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	struct bf_party known;
	struct bf_store *s;
	bf_time now = bf_svc_now(svc);
	int rc;

	if (sodium_init() < 0)
		return bf_error_set(err, BF_EIO, "", "the random number source cannot be initialised");
	if (p->n_gates > 0 && p->role != BF_ROLE_GATE_OPERATOR)
		return bf_error_set(err, BF_EINVAL, "gates", "only a gate operator is assigned gates, not a %s",
		                    bf_role_name(p->role));
	if ((rc = check_country(svc, p, err)) != 0)
		return rc;
	random_id(id, TOKEN_ID_LEN);
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2base64(secret_text, sizeof(secret_text), secret, sizeof(secret),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(token, BF_TOKEN_TEXT, "bf_%s_%s", id, secret_text);
	sodium_memzero(secret, sizeof(secret));
	token_hash(token, hash);

	s = bf_store_pool_acquire(svc->writers);
	if ((rc = bf_store_begin(s, err)) != 0)
		goto out;
	rc = bf_store_party_get(s, p->id, &known, err);
	if (rc == BF_ENOTFOUND && strcmp(p->id, bf_service_node_operator.id) == 0) {
		/* Its key signs the node's own steps: no token may act as it. */
		rc = bf_error_set(err, BF_EINVAL, "party", "%s is the node's own party", p->id);
	} else if (rc == BF_ENOTFOUND) {
		if ((rc = bf_party_validate(p, err)) != 0 || (rc = check_gates(s, p, err)) != 0 ||
		    (rc = bf_store_party_put(s, p, now, err)) != 0)
			goto fail;
		char subject[BF_EVENT_SUBJECT_MAX + 1];
		snprintf(subject, sizeof(subject), "party/%s", p->id);
		json_t *payload = json_pack("{s:s, s:s, s:s, s:s}", "id", p->id, "name", p->name, "role",
		                            bf_role_name(p->role), "country", p->country);
		/* An operator's gates are part of it, in the history too: none
		 * there means every gate of its country. */
		if (p->role == BF_ROLE_GATE_OPERATOR) {
			json_t *gates = json_array();
			for (int i = 0; i < p->n_gates; i++)
				json_array_append_new(gates, json_string(p->gates[i]));
			json_object_set_new(payload, "gates", gates);
		}
		rc = bf_svc_event(s, &bf_service_node_operator, "party.created", subject, payload, now, err);
		known = *p;
	} else if (rc == BF_OK && known.role != p->role) {
		rc = bf_error_set(err, BF_ECONFLICT, "role", "party %s acts as %s, not %s", p->id,
		                  bf_role_name(known.role), bf_role_name(p->role));
	} else if (rc == BF_OK && strcmp(known.country, p->country) != 0) {
		rc = bf_error_set(err, BF_ECONFLICT, "country", "party %s acts for %s, not %s", p->id, known.country,
		                  p->country);
	} else if (rc == BF_OK && !bf_party_same_gates(&known, p)) {
		char list[BF_PARTY_GATE_LIST];
		bf_party_gate_list(&known, list, sizeof(list));
		rc = bf_error_set(err, BF_ECONFLICT, "gates", "party %s is assigned %s%s, not the gates given", p->id,
		                  known.n_gates ? "to " : "no gate (it acts at every gate of its country)", list);
	}

	if (rc)
		goto fail;
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	snprintf(subject, sizeof(subject), "token/%s", id);
	if ((rc = bf_store_token_put(s, id, hash, known.id, now, err)) != 0 ||
	    (rc = bf_svc_event(
	         s, &bf_service_node_operator, "token.issued", subject,
	         json_pack("{s:s, s:s, s:s}", "token", id, "party", known.id, "role", bf_role_name(known.role)), now,
	         err)) != 0)
		goto fail;
	rc = bf_store_commit(s, err);
	goto out;
fail:
	bf_store_rollback(s);
out:
	bf_store_pool_release(svc->writers, s);
	if (rc)
		sodium_memzero(token, BF_TOKEN_TEXT);
	return rc;
}

int bf_service_token_revoke(struct bf_service *svc, const char *id, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	char party[BF_PARTY_ID_MAX + 1], subject[BF_EVENT_SUBJECT_MAX + 1];
	bf_time now = bf_svc_now(svc);
	int rc = bf_store_begin(s, err);
	if (rc)
		goto out;
	snprintf(subject, sizeof(subject), "token/%s", id);
	if ((rc = bf_store_token_revoke(s, id, now, party, err)) != 0 ||
	    (rc = bf_svc_event(s, &bf_service_node_operator, "token.revoked", subject,
	                       json_pack("{s:s, s:s}", "token", id, "party", party), now, err)) != 0) {
		bf_store_rollback(s);
		goto out;
	}
	rc = bf_store_commit(s, err);
out:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_tokens(struct bf_service *svc, struct bf_token_info **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_tokens_list(s, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

/* The token's hash, or BF_EAUTH for what is no borderflow token. */
static int hash_of(const char *token, unsigned char hash[BF_TOKEN_HASH_BYTES], struct bf_error *err)
{
	size_t len = token ? strlen(token) : 0;
	if (len < 4 || len >= BF_TOKEN_TEXT || strncmp(token, "bf_", 3) != 0) {
		bf_error_set(err, BF_EAUTH, "Authorization", "not a borderflow token");
		return BF_EAUTH;
	}
	token_hash(token, hash);
	return BF_OK;
}

static int find(struct bf_service *svc, const unsigned char hash[BF_TOKEN_HASH_BYTES], struct bf_party *out,
                struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_token_find(s, hash, out, err);
	bf_store_pool_release(svc->pool, s);
	if (rc == BF_ENOTFOUND)
		return bf_error_set(err, BF_EAUTH, "Authorization", "unknown or revoked token");
	return rc;
}

int bf_service_authenticate(struct bf_service *svc, const char *token, struct bf_party *out, struct bf_error *err)
{
	unsigned char hash[BF_TOKEN_HASH_BYTES];
	int rc = hash_of(token, hash, err);
	return rc ? rc : find(svc, hash, out, err);
}

/* A hash is 32 uniformly random bytes: its first picks the slot. Only
 * tokens found are remembered; an unknown one is asked for each time. */
int bf_service_authenticate_at(struct bf_service *svc, const char *token, int64_t revision, struct bf_party *out,
                               struct bf_error *err)
{
	unsigned char hash[BF_TOKEN_HASH_BYTES];
	int rc = hash_of(token, hash, err);
	if (rc)
		return rc;
	struct bf_token_memo *m = &svc->tokens;
	unsigned i = hash[0] % BF_TOKEN_MEMO_SLOTS;
	bool known = false;
	int64_t now = bf_time_monotonic_ms();
	pthread_mutex_lock(&m->lock);
	if (m->slot[i].used && m->slot[i].revision == revision && now - m->slot[i].at_ms < BF_TOKEN_MEMO_AGE_MS &&
	    sodium_memcmp(m->slot[i].hash, hash, sizeof(hash)) == 0) {
		*out = m->slot[i].party;
		known = true;
	}
	pthread_mutex_unlock(&m->lock);
	if (known)
		return BF_OK;
	/* Read after REVISION was: the entry may hold what a write since made
	 * (a token issued, a party changed), never a token revoked by then;
	 * a request that reads a later revision asks the store again. */
	if ((rc = find(svc, hash, out, err)) != 0)
		return rc;
	pthread_mutex_lock(&m->lock);
	m->slot[i].used = true;
	m->slot[i].revision = revision;
	m->slot[i].at_ms = now;
	memcpy(m->slot[i].hash, hash, sizeof(hash));
	m->slot[i].party = *out;
	pthread_mutex_unlock(&m->lock);
	return BF_OK;
}

int bf_service_party(struct bf_service *svc, const char *id, struct bf_party *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_party_get(s, id, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}
