/* A node applying its peer's feed, page by page, with the faults a wire
 * brings: a page cut off halfway is dropped whole and nothing of it is
 * applied; a page fetched twice is skipped event by event; a forged
 * event (an edited payload, a signature by another key, an author whose
 * role may not make that move) is refused with the reason named and never
 * applied, and the pull stops there; the honest events after it apply once
 * the forgery is gone. Each side's records follow: the consignment
 * declared on vn is on cn in the same state. */
#include "util/apifix.h"

#include "ledger/ledger.h"
#include "service/sync.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CARRIER, CUSTOMS, GATE, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {
    {"sy-carrier", BF_ROLE_CARRIER, "VN", ""},
    {"sy-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"sy-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},
};

static struct apifix vn;      /* a real server, node vn */
static struct bf_service *cn; /* the other node, fed pages by hand */
static char id[64];

static int setup(void **state)
{
	(void)state;
	struct bf_error err = {0};
	if (apifix_start(&vn, "sync-vn", parties, N_PARTIES) != 0)
		return -1;
	char db[2048];
	snprintf(db, sizeof(db), "%s/cn.db", tu_tmpdir("sync-cn"));
	struct bf_service_config cfg = {.db_url = db, .node = "cn"};
	if (bf_service_open(&cfg, &cn, &err) != 0) {
		fprintf(stderr, "cn: %s\n", err.message);
		return -1;
	}
	/* A history on vn: a load declared, booked, checked in and called. */
	long st;
	snprintf(id, sizeof(id), "%s",
	         apifix_declare(&vn, CARRIER, "VN-EXP-0101", "08109092", "VN-BTOR-0001", "VN-BTPH-001", "tan-thanh"));
	char path[128];
	snprintf(path, sizeof(path), "/v1/consignments/%s/booking", id);
	json_decref(apifix_call(&vn, CARRIER, "POST", path, "{\"gate\":\"tan-thanh\"}", NULL, &st));
	snprintf(path, sizeof(path), "/v1/consignments/%s/check-in", id);
	json_decref(apifix_call(&vn, CARRIER, "POST", path, NULL, NULL, &st));
	json_decref(apifix_call(&vn, GATE, "POST", "/v1/gates/tan-thanh/call", "{\"count\":1}", NULL, &st));
	/* cn registers vn's public keys, as `keys import` does. */
	char *keys;
	int added, known;
	if (bf_service_keys_export(vn.svc, &keys, &err) != 0 ||
	    bf_service_keys_import(cn, keys, strlen(keys), &added, &known, &err) != 0) {
		fprintf(stderr, "keys: %s\n", err.message);
		return -1;
	}
	free(keys);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bf_service_close(cn);
	apifix_stop(&vn);
	return 0;
}

/* vn's feed from AFTER, as the text the wire carries. */
static char *page_after(int64_t after)
{
	json_t *doc;
	struct bf_error err = {0};
	assert_int_equal(bf_service_feed(vn.svc, "vn", after, 200, &doc, &err), 0);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

static int64_t cn_head(void)
{
	json_t *doc;
	struct bf_error err = {0};
	assert_int_equal(bf_service_feed(cn, "vn", 0, 1000, &doc, &err), 0);
	int64_t n = (int64_t)json_array_size(json_object_get(doc, "events"));
	json_decref(doc);
	return n;
}

static void test_cut_and_duplicated_pages(void **state)
{
	(void)state;
	struct bf_sync_result res;
	struct bf_error err = {0};
	char *text = page_after(0);
	size_t len = strlen(text);
	/* Cut halfway: not a page; nothing of it applied. */
	assert_int_equal(bf_service_sync_apply_page(cn, "vn", text, len / 2, &res, &err), 0);
	assert_true(res.malformed);
	assert_int_equal(res.applied, 0);
	assert_int_equal(cn_head(), 0);
	/* Whole: every event applies, in order. */
	assert_int_equal(bf_service_sync_apply_page(cn, "vn", text, len, &res, &err), 0);
	assert_false(res.malformed || res.refused);
	assert_true(res.applied >= 6);
	int64_t head = cn_head();
	assert_int_equal(head, res.applied);
	/* Again: each event is here already, and none is applied twice. */
	assert_int_equal(bf_service_sync_apply_page(cn, "vn", text, len, &res, &err), 0);
	assert_int_equal(res.applied, 0);
	assert_int_equal(res.duplicates, head);
	assert_int_equal(cn_head(), head);
	free(text);
	/* The consignment is on cn too, in vn's state. */
	struct bf_consignment c;
	struct bf_party auditor = {.id = "cn-auditor", .role = BF_ROLE_AUDITOR, .country = "CN"};
	assert_int_equal(bf_service_consignment(cn, &auditor, id, &c, &err), 0);
	assert_int_equal(c.state, BF_ST_CALLED);
	/* Both chains of cn verify. */
	struct bf_ledger_summary sum;
	assert_int_equal(bf_service_verify(cn, &sum, &err), 0);
}

/* vn's next event, as a feed page with event field KEY changed by EDIT. */
static char *forged(int64_t after, void (*edit)(json_t *event))
{
	char *text = page_after(after);
	json_t *page = json_loads(text, 0, NULL);
	free(text);
	json_t *ev = json_array_get(json_object_get(page, "events"), 0);
	assert_non_null(ev);
	edit(ev);
	text = json_dumps(page, JSON_COMPACT);
	json_decref(page);
	return text;
}

static void edit_payload(json_t *ev)
{
	json_object_set_new(ev, "payload", json_string("{\"consignment\":\"c-someoneelse00000\"}"));
}

static void edit_signature(json_t *ev)
{
	/* A well-formed signature made with another key. */
	unsigned char pk[32], sk[64], sig[64], msg[32] = {0};
	char hex[129];
	crypto_sign_keypair(pk, sk);
	crypto_sign_detached(sig, NULL, msg, sizeof(msg), sk);
	sodium_bin2hex(hex, sizeof(hex), sig, sizeof(sig));
	json_object_set_new(ev, "signature", json_string(hex));
}

/* The same move, rewritten as the carrier's own: hashed and signed
 * properly with the carrier's real key, so that only the lifecycle (a
 * carrier may not clear for export) can refuse it. */
static void edit_role(json_t *ev)
{
	struct bf_event e;
	struct bf_error err = {0};
	sqlite3 *db;
	sqlite3_stmt *st;
	unsigned char sk[64];
	assert_int_equal(bf_ledger_event_parse(ev, &e, &err), 0);
	bf_strlcpy(e.party_id, "sy-carrier", sizeof(e.party_id));
	e.role = BF_ROLE_CARRIER;
	assert_int_equal(sqlite3_open(vn.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT id, secret_key FROM signing_key WHERE party_id = 'sy-carrier' "
	                                    "ORDER BY number DESC LIMIT 1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	bf_strlcpy(e.key_id, (const char *)sqlite3_column_text(st, 0), sizeof(e.key_id));
	assert_int_equal(sqlite3_column_bytes(st, 1), 64);
	memcpy(sk, sqlite3_column_blob(st, 1), 64);
	sqlite3_finalize(st);
	sqlite3_close(db);
	bf_ledger_hash(&e, e.hash);
	crypto_sign_detached(e.signature, NULL, e.hash, sizeof(e.hash), sk);
	json_t *out = bf_ledger_event_json(&e);
	json_object_update(ev, out);
	json_decref(out);
	free(e.payload);
}

static void check_refused(void (*edit)(json_t *), const char *fault)
{
	struct bf_sync_result res;
	struct bf_error err = {0};
	int64_t head = cn_head();
	char *text = forged(head, edit);
	assert_int_equal(bf_service_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_true(res.refused);
	assert_int_equal(res.applied, 0);
	if (strstr(res.reason, fault) == NULL)
		fail_msg("refused for \"%s\", not for %s", res.reason, fault);
	assert_int_equal(cn_head(), head);
}

static void test_forgeries_refused(void **state)
{
	(void)state;
	long st;
	struct bf_sync_result res;
	struct bf_error err = {0};
	/* A new event on vn for cn to pull: the export clearance. */
	char path[128];
	snprintf(path, sizeof(path), "/v1/consignments/%s/decisions", id);
	json_t *j = apifix_call(&vn, CUSTOMS, "POST", path, "{\"decision\":\"export_cleared\"}", NULL, &st);
	assert_int_equal(st, 200);
	json_decref(j);
	/* Its author signed for the first time, with a key cn has not been
	 * given: refused, until vn's keys are imported again. */
	char *text = page_after(cn_head());
	assert_int_equal(bf_service_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_true(res.refused);
	assert_non_null(strstr(res.reason, "unknown key"));
	char *keys;
	int added, known;
	assert_int_equal(bf_service_keys_export(vn.svc, &keys, &err), 0);
	assert_int_equal(bf_service_keys_import(cn, keys, strlen(keys), &added, &known, &err), 0);
	free(keys);
	assert_int_equal(added, 1);
	check_refused(edit_payload, "hash");
	check_refused(edit_signature, "signature");
	check_refused(edit_role, "transition");
	/* The honest page applies, and the load is cn's to decide on now. */
	text = page_after(cn_head());
	assert_int_equal(bf_service_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_false(res.refused);
	assert_true(res.applied >= 1);
	struct bf_consignment c;
	struct bf_party auditor = {.id = "cn-auditor", .role = BF_ROLE_AUDITOR, .country = "CN"};
	assert_int_equal(bf_service_consignment(cn, &auditor, id, &c, &err), 0);
	assert_int_equal(c.state, BF_ST_EXPORT_CLEARED);
	struct bf_ledger_summary sum;
	assert_int_equal(bf_service_verify(cn, &sum, &err), 0);
	assert_int_equal(sum.chains, 1);
}

static void test_feed_paging(void **state)
{
	(void)state;
	json_t *doc;
	struct bf_error err = {0};
	assert_int_equal(bf_service_feed(vn.svc, "vn", 0, 2, &doc, &err), 0);
	assert_string_equal(json_string_value(json_object_get(doc, "node")), "vn");
	assert_int_equal(json_array_size(json_object_get(doc, "events")), 2);
	assert_true(json_is_true(json_object_get(doc, "more")));
	assert_int_equal(json_integer_value(json_object_get(doc, "next_after")), 2);
	json_decref(doc);
	/* The API: an auditor's only; bad cursors are named. */
	long st;
	json_t *j = apifix_call(&vn, CARRIER, "GET", "/v1/events", NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(j);
	/* A cursor at the end of the numbers, or past them, is refused, not
	 * run past its end. */
	assert_int_equal(bf_service_feed(vn.svc, "vn", INT64_MAX, 10, &doc, &err), BF_EINVAL);
	assert_string_equal(err.field, "after");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cut_and_duplicated_pages),
	    cmocka_unit_test(test_forgeries_refused),
	    cmocka_unit_test(test_feed_paging),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
