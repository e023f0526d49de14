/* The ledger's use cases: signing keys, their exchange with the peer,
 * and verification of the whole log. */
#include "service/service_int.h"
#include "service/ledger.h"

#include <sodium.h>
#include <string.h>

int bf_service_key_new(struct bf_service *svc, const char *party_id, struct bf_signing_key *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = bf_ledger_key_new(s, party_id, bf_svc_now(svc), out, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_node_key(struct bf_service *svc, struct bf_signing_key *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = bf_ledger_node_key(s, bf_svc_now(svc), out, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_pin(struct bf_service *svc, const char *node, const char *hex, struct bf_error *err)
{
	unsigned char key[BF_PUBLIC_KEY_BYTES];
	size_t len = 0;
	if (strlen(hex) != 2 * sizeof(key) ||
	    sodium_hex2bin(key, sizeof(key), hex, strlen(hex), NULL, &len, NULL) != 0 || len != sizeof(key))
		return bf_error_set(err, BF_EINVAL, "peer-key", "\"%s\" is not a node key: it must be %zu hex digits",
		                    hex, 2 * sizeof(key));
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = bf_ledger_pin(s, node, key, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_keys(struct bf_service *svc, struct bf_signing_key **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_keys_list(s, false, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

void bf_service_keys_free(struct bf_signing_key *v, size_t n)
{
	bf_store_keys_free(v, n);
}

int bf_service_keys_export(struct bf_service *svc, char **out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_ledger_keys_export(s, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_keys_import(struct bf_service *svc, const char *text, size_t len, int *added, int *known,
                           struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	int rc = bf_store_begin(s, err);
	*added = *known = 0;
	if (rc == BF_OK) {
		if ((rc = bf_ledger_keys_import(s, text, len, added, known, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	if (rc)
		*added = *known = 0;
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_check_ends(struct bf_service *svc, int last, struct bf_ledger_summary *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_ledger_check_ends(s, last, out, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_verify(struct bf_service *svc, const struct bf_ledger_pin *pins, size_t n_pins,
                      struct bf_ledger_summary *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_ledger_verify_records(s, 0, pins, n_pins, out, err);
	if (rc == BF_OK && (rc = bf_svc_registry_verify(s, &out->bad, err)) == BF_OK)
		rc = bf_svc_notices_verify(s, &out->bad, err);
	if (rc == BF_EREJECTED && out->bad.kind == BF_LF_RECORD)
		bf_error_set(err, BF_EREJECTED, "record", "%s: %s", out->bad.record, out->bad.reason);
	bf_store_pool_release(svc->pool, s);
	return rc;
}
