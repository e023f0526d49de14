/* The ledger under the service layer: a database keeps its node id, and
 * events written by many threads at once form one unbroken, verifiable
 * chain, each signed by its author. */
#include "util/testutil.h"

#include "service/service.h"
#include "service/auth.h"
#include "service/booking.h"
#include "service/ledger.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define EACH    10

static char db[2048];

static struct bf_service *open_as(const char *node, int *rc, struct bf_error *err)
{
	struct bf_service_config cfg = {.db_url = db, .connections = THREADS, .node = node};
	struct bf_service *svc = NULL;
	*rc = bf_service_open(&cfg, &svc, err);
	return svc;
}

static void test_node_id_is_kept(void **state)
{
	(void)state;
	struct bf_error err = {0};
	int rc;
	snprintf(db, sizeof(db), "%s", tu_db("ledger-service-node"));

	struct bf_service *svc = open_as("cn", &rc, &err);
	assert_int_equal(rc, 0);
	bf_service_close(svc);
	/* Another id is refused, without one the database's is kept. */
	svc = open_as("vn", &rc, &err);
	assert_int_equal(rc, BF_ECONFLICT);
	assert_null(svc);
	assert_non_null(strstr(err.message, "this database is node cn's"));
	svc = open_as(NULL, &rc, &err);
	assert_int_equal(rc, 0);
	struct bf_party p = {.id = "cn-customs", .name = "customs", .role = BF_ROLE_IMPORT_AUTHORITY, .country = "CN"};
	char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
	assert_int_equal(bf_service_token_new(svc, &p, token, id, &err), 0);
	struct bf_event *v;
	size_t n;
	assert_int_equal(bf_service_events(svc, 0, 10, &v, &n, &err), 0);
	assert_int_equal(n, 3); /* key.made (the node key), party.created, token.issued */
	assert_string_equal(v[0].kind, BF_KEY_MADE);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i].origin, "cn");
	bf_service_events_free(v, n);
	/* A malformed id is refused. */
	bf_service_close(svc);
	svc = open_as("Cn!", &rc, &err);
	assert_int_equal(rc, BF_EINVAL);
	assert_string_equal(err.field, "node");
}

struct worker {
	struct bf_service *svc;
	int index, failures;
};

static void *issue_tokens(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < EACH; i++) {
		struct bf_party p = {.role = BF_ROLE_CARRIER, .country = "VN"};
		char token[BF_TOKEN_TEXT], id[BF_TOKEN_ID_MAX + 1];
		struct bf_error err = {0};
		snprintf(p.id, sizeof(p.id), "carrier-%d-%d", w->index, i);
		snprintf(p.name, sizeof(p.name), "Carrier %d-%d", w->index, i);
		if (bf_service_token_new(w->svc, &p, token, id, &err) != 0 ||
		    bf_service_token_revoke(w->svc, id, &err) != 0)
			w->failures++;
	}
	return NULL;
}

static void test_concurrent_writers_one_chain(void **state)
{
	(void)state;
	struct bf_error err = {0};
	struct worker w[THREADS];
	pthread_t t[THREADS];
	int rc;
	snprintf(db, sizeof(db), "%s", tu_db("ledger-service-busy"));
	struct bf_service *svc = open_as("vn", &rc, &err);
	assert_int_equal(rc, 0);

	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){.svc = svc, .index = i};
		assert_int_equal(pthread_create(&t[i], NULL, issue_tokens, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}

	/* The node key's event, then three events a token (party created,
	 * issued, revoked), numbered 1..N in the order written, every one
	 * signed by the node operator. */
	struct bf_ledger_summary sum;
	assert_int_equal(bf_service_verify(svc, NULL, 0, &sum, &err), 0);
	assert_int_equal(sum.events, 1 + THREADS * EACH * 3);
	assert_int_equal(sum.chains, 1);
	struct bf_event *v;
	size_t n;
	assert_int_equal(bf_service_events(svc, 0, 1000, &v, &n, &err), 0);
	assert_int_equal(n, 1 + THREADS * EACH * 3);
	assert_string_equal(v[0].kind, BF_KEY_MADE);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].origin_seq, (int64_t)i + 1);
		assert_string_equal(v[i].party_id, "node-operator");
	}
	bf_service_events_free(v, n);
	/* One key, the node operator's; the carriers have authored nothing. */
	struct bf_signing_key *keys;
	assert_int_equal(bf_service_keys(svc, &keys, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(keys[0].party_id, "node-operator");
	assert_int_equal(keys[0].role, BF_ROLE_SYSTEM);
	assert_true(keys[0].has_secret);
	bf_store_keys_free(keys, n);
	bf_service_close(svc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_node_id_is_kept),
	    cmocka_unit_test(test_concurrent_writers_one_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
