/* A node applying its peer's feed, page by page, with the faults a wire
 * brings: a page cut off halfway is dropped whole and nothing of it is
 * applied; a page fetched twice is skipped event by event; a forged
 * event (an edited payload, a signature by another key) is refused with the reason named and never
 * applied, and the pull stops there; the honest events after it apply once
 * the forgery is gone. Each side's records follow: the consignment
 * declared on vn is on cn in the same state.
 *
 * Then events signed properly by vn's own parties but not vn's to make,
 * since vn acts for VN only: China's import decision, an export decision
 * on China's export, a step on a load that is China's now, a declaration
 * of China's export, a notice or an acknowledgement for China, China's
 * registry codes, gate hours and risk profile, the node operator's records
 * by another, kinds cn does not know; and a move the lifecycle does not
 * give its author. cn holds each as vn signed it, so that the two keep
 * one chain, with no effect, and lists it as a dispute with the reason
 * named; vn's honest events of every kind apply after, cn's log verifies,
 * and vn, pulling cn's chain, lists the same disputes. */
#include "util/apifix.h"

#include "ledger/ledger.h"
#include "service/notice.h"
#include "peer/feed.h"
#include "peer/sync.h"
#include "service/auth.h"
#include "service/booking.h"
#include "service/control.h"
#include "service/declare.h"
#include "service/dispute.h"
#include "service/ledger.h"
#include "service/registry.h"
#include "store/pool.h"
#include "store/store_dispute.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* QUARANTINE is a party the vn node says acts for CN: vn's key signs for
 * it all the same, and what it signs is vn's. */
enum { CARRIER, CUSTOMS, GATE, QUARANTINE, PPD, N_PARTIES };
static struct apifix_party parties[N_PARTIES] = {
    {"sy-carrier", BF_ROLE_CARRIER, "VN", ""},        {"sy-customs", BF_ROLE_EXPORT_AUTHORITY, "VN", ""},
    {"sy-gate", BF_ROLE_GATE_OPERATOR, "VN", ""},     {"sy-quarantine", BF_ROLE_IMPORT_AUTHORITY, "CN", ""},
    {"sy-ppd", BF_ROLE_REGISTRY_AUTHORITY, "VN", ""},
};

static struct apifix vn;      /* a real server, node vn */
static struct bf_service *cn; /* the other node, fed pages by hand */
static char cn_db[2048];      /* its database */
static char id[64];
/* Both nodes' clock: a Tuesday morning, Tan Thanh open on both sides. */
static bf_time now;

static int setup(void **state)
{
	(void)state;
	struct bf_error err = {0};
	if (bf_time_parse("2026-12-01T03:00:00Z", &now) != 0)
		return -1;
	vn.clock = apifix_clock_at;
	vn.clock_ctx = &now;
	if (apifix_start(&vn, "sync-vn", parties, N_PARTIES) != 0)
		return -1;
	snprintf(cn_db, sizeof(cn_db), "%s/cn.db", tu_tmpdir("sync-cn"));
	struct bf_service_config cfg = {.db_url = cn_db, .node = "cn", .clock = apifix_clock_at, .clock_ctx = &now};
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
	/* Keys for the parties that have signed nothing yet but the customs. */
	struct bf_signing_key k;
	if (bf_service_key_new(vn.svc, "sy-quarantine", &k, &err) != 0 ||
	    bf_service_key_new(vn.svc, "sy-ppd", &k, &err) != 0) {
		fprintf(stderr, "keys new: %s\n", err.message);
		return -1;
	}
	sodium_memzero(&k, sizeof(k));
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
	assert_int_equal(bf_feed_page(vn.svc, "vn", after, 200, &doc, &err), 0);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

static int64_t cn_head(void)
{
	json_t *doc;
	struct bf_error err = {0};
	assert_int_equal(bf_feed_page(cn, "vn", 0, 1000, &doc, &err), 0);
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
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, len / 2, &res, &err), 0);
	assert_true(res.malformed);
	assert_int_equal(res.applied, 0);
	assert_int_equal(cn_head(), 0);
	/* Whole: every event applies, in order. */
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, len, &res, &err), 0);
	assert_false(res.malformed || res.refused);
	assert_true(res.applied >= 6);
	int64_t head = cn_head();
	assert_int_equal(head, res.applied);
	/* Again: each event is here already, and none is applied twice. */
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, len, &res, &err), 0);
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
	assert_int_equal(bf_service_verify(cn, NULL, 0, &sum, &err), 0);
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

/* PARTY's current key on vn, read from vn's database: its KEY_ID, its role
 * and its secret half. */
static void vn_key(const char *party, char key_id[BF_KEY_ID_MAX + 1], enum bf_role *role, unsigned char sk[64])
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(vn.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT id, role, secret_key FROM signing_key WHERE party_id = ? AND "
	                                    "node = 'vn' ORDER BY number DESC LIMIT 1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, party, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("%s has no key on vn", party);
	bf_strlcpy(key_id, (const char *)sqlite3_column_text(st, 0), BF_KEY_ID_MAX + 1);
	assert_int_equal(bf_role_parse((const char *)sqlite3_column_text(st, 1), role), 0);
	assert_int_equal(sqlite3_column_bytes(st, 2), 64);
	memcpy(sk, sqlite3_column_blob(st, 2), 64);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void check_refused(void (*edit)(json_t *), const char *fault)
{
	struct bf_sync_result res;
	struct bf_error err = {0};
	int64_t head = cn_head();
	char *text = forged(head, edit);
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
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
	/* Its author signed for the first time: the event that makes its key
	 * comes first, signed by vn's node key, so that cn learns the key from
	 * the chain, with no key file. A page edited on the way is refused. */
	check_refused(edit_payload, "hash");
	check_refused(edit_signature, "signature");
	/* The honest page applies, and the load is cn's to decide on now. */
	char *text = page_after(cn_head());
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_false(res.refused);
	assert_true(res.applied >= 2);
	struct bf_consignment c;
	struct bf_party auditor = {.id = "cn-auditor", .role = BF_ROLE_AUDITOR, .country = "CN"};
	assert_int_equal(bf_service_consignment(cn, &auditor, id, &c, &err), 0);
	assert_int_equal(c.state, BF_ST_EXPORT_CLEARED);
	struct bf_ledger_summary sum;
	assert_int_equal(bf_service_verify(cn, NULL, 0, &sum, &err), 0);
	assert_int_equal(sum.chains, 1);
}

/* ---- events vn signs but may not make ---- */

/* A feed page of one event vn never wrote: the next of vn's chain after
 * what cn holds, of KIND on SUBJECT with PAYLOAD, by PARTY in the role of
 * its key, hashed, linked and signed properly with that key, so that the
 * ledger finds nothing wrong with it: only whether vn may make it is left
 * to judge. */
static char *crafted_at(int64_t seq, const char *party, const char *kind, const char *subject, const char *payload)
{
	struct bf_event e = {0};
	struct bf_error err = {0};
	unsigned char sk[64];
	json_t *doc;
	int64_t head = seq - 1;
	assert_true(head >= 1);
	assert_int_equal(bf_feed_page(cn, "vn", head - 1, 1, &doc, &err), 0);
	const char *prev =
	    json_string_value(json_object_get(json_array_get(json_object_get(doc, "events"), 0), "hash"));
	assert_non_null(prev);
	assert_int_equal(sodium_hex2bin(e.prev_hash, sizeof(e.prev_hash), prev, strlen(prev), NULL, NULL, NULL), 0);
	json_decref(doc);
	vn_key(party, e.key_id, &e.role, sk);
	bf_strlcpy(e.origin, "vn", sizeof(e.origin));
	e.seq = e.origin_seq = head + 1;
	e.at = now;
	bf_strlcpy(e.party_id, party, sizeof(e.party_id));
	bf_strlcpy(e.kind, kind, sizeof(e.kind));
	bf_strlcpy(e.subject, subject, sizeof(e.subject));
	e.payload = (char *)payload;
	bf_ledger_hash(&e, e.hash);
	crypto_sign_detached(e.signature, NULL, e.hash, sizeof(e.hash), sk);
	sodium_memzero(sk, sizeof(sk));
	json_t *page = json_pack("{s:s, s:[o], s:I, s:b}", "node", "vn", "events", bf_ledger_event_json(&e),
	                         "next_after", (json_int_t)e.origin_seq, "more", 0);
	char *text = json_dumps(page, JSON_COMPACT);
	json_decref(page);
	return text;
}

static char *crafted(const char *party, const char *kind, const char *subject, const char *payload)
{
	return crafted_at(cn_head() + 1, party, kind, subject, payload);
}

/* vn's own copy of the one event in feed page TEXT: vn signed it, so its
 * chain holds it too (as a node of another build, or one whose rule was
 * bypassed, would hold it), and the two chains stay one. */
static void vn_holds(const char *text)
{
	struct bf_event e;
	struct bf_error err = {0};
	json_t *page = json_loads(text, 0, NULL);
	assert_int_equal(bf_ledger_event_parse(json_array_get(json_object_get(page, "events"), 0), &e, &err), 0);
	json_decref(page);
	struct bf_store *s = bf_store_pool_acquire(bf_service_writers(vn.svc));
	assert_int_equal(bf_store_begin(s, &err), 0);
	if (bf_store_event_append(s, &e, &err) != 0)
		fail_msg("vn holds %s: %s", e.kind, err.message);
	assert_int_equal(bf_store_commit(s, &err), 0);
	bf_store_pool_release(bf_service_writers(vn.svc), s);
	free(e.payload);
}

/* How many disputes cn lists; *LAST gets the last one's reason (if any). */
static size_t cn_disputes(char last[BF_DISPUTE_REASON_MAX + 1])
{
	struct bf_dispute *v;
	struct bf_error err = {0};
	size_t n;
	assert_int_equal(bf_service_disputes(cn, &v, &n, &err), 0);
	last[0] = '\0';
	if (n > 0)
		bf_strlcpy(last, v[n - 1].reason, BF_DISPUTE_REASON_MAX + 1);
	free(v);
	return n;
}

/* Such an event is not vn's to make (WHY in the reason, after RULE: the
 * "authority" or the "transition"): cn holds it as vn signed it, so that
 * both keep one chain, with no effect, and lists the dispute; the pull
 * goes on. */
static void check_disputed_for(const char *rule, const char *party, const char *kind, const char *subject,
                               const char *payload, const char *why)
{
	struct bf_sync_result res;
	struct bf_error err = {0};
	char last[BF_DISPUTE_REASON_MAX + 1], prefix[32];
	int64_t head = cn_head();
	size_t before = cn_disputes(last);
	char *text = crafted(party, kind, subject, payload);
	int rc = bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err);
	vn_holds(text);
	free(text);
	if (rc != 0)
		fail_msg("%s on %s by %s: not disputed, the pull failed: %s", kind, subject, party, err.message);
	if (res.refused)
		fail_msg("%s on %s by %s: refused (%s), not disputed", kind, subject, party, res.reason);
	assert_int_equal(res.applied, 0);
	assert_int_equal(res.disputed, 1);
	assert_int_equal(cn_head(), head + 1);
	assert_int_equal(cn_disputes(last), before + 1);
	snprintf(prefix, sizeof(prefix), "%s: ", rule);
	if (strncmp(last, prefix, strlen(prefix)) != 0 || strstr(last, why) == NULL)
		fail_msg("%s disputed for \"%s\", not for \"%s%s\"", kind, last, prefix, why);
}

static void check_not_theirs(const char *party, const char *kind, const char *subject, const char *payload,
                             const char *why)
{
	check_disputed_for("authority", party, kind, subject, payload, why);
}

/* A load exported by China, declared, booked, checked in and called on
 * cn: China's own, in cn's own chain. Its id (a static buffer). */
static const char *cn_export(void)
{
	static char out[BF_CONSIGNMENT_ID_MAX + 1];
	struct bf_party ppd = {
	    .id = "cn-ppd", .name = "CN plant protection", .role = BF_ROLE_REGISTRY_AUTHORITY, .country = "CN"};
	struct bf_party carrier = {
	    .id = "cn-carrier", .name = "Guangxi haulage", .role = BF_ROLE_CARRIER, .country = "CN"};
	struct bf_party gate = {
	    .id = "cn-gate", .name = "Youyiguan gate board", .role = BF_ROLE_GATE_OPERATOR, .country = "CN"};
	const struct bf_party *who[3] = {&ppd, &carrier, &gate};
	char token[BF_TOKEN_TEXT], tid[BF_TOKEN_ID_MAX + 1];
	struct bf_error err = {0};
	for (int i = 0; i < 3; i++)
		if (bf_service_token_new(cn, who[i], token, tid, &err) != 0)
			fail_msg("party %s: %s", who[i]->id, err.message);
	struct bf_registry_record r = {.kind = BF_REG_EXPORTER};
	bf_strlcpy(r.u.exporter.id, "CN-EXP-0001", sizeof(r.u.exporter.id));
	bf_strlcpy(r.u.exporter.name, "Sample Beibu Gulf Seafood Co.", sizeof(r.u.exporter.name));
	bf_strlcpy(r.u.exporter.country, "CN", sizeof(r.u.exporter.country));
	r.u.exporter.n_approvals = 1;
	bf_strlcpy(r.u.exporter.approvals[0].hs_code, "03046200", sizeof(r.u.exporter.approvals[0].hs_code));
	bf_strlcpy(r.u.exporter.approvals[0].destination, "VN", sizeof(r.u.exporter.approvals[0].destination));
	if (bf_service_registry_save(cn, &ppd, &r, true, &err) != 0)
		fail_msg("exporter: %s", err.message);
	struct bf_consignment c = {.net_weight_kg = 18000, .packages = 900, .conveyance = BF_CONVEY_TRUCK};
	bf_strlcpy(c.exporter_id, "CN-EXP-0001", sizeof(c.exporter_id));
	bf_strlcpy(c.hs_code, "03046200", sizeof(c.hs_code));
	bf_strlcpy(c.health_certificate, "CN-HC-2026-0001", sizeof(c.health_certificate));
	bf_strlcpy(c.vehicle, "12C-123.45", sizeof(c.vehicle));
	bf_strlcpy(c.vehicle_country, "VN", sizeof(c.vehicle_country));
	bf_strlcpy(c.destination, "VN", sizeof(c.destination));
	bf_strlcpy(c.preferred_gate, "tan-thanh", sizeof(c.preferred_gate));
	struct bf_declaration d;
	if (bf_service_declare(cn, &carrier, &c, &d, &err) != 0)
		fail_msg("declare: %s (%s)", err.message, d.n_violations ? d.violations[0].message : "");
	bf_strlcpy(out, d.consignment.id, sizeof(out));
	struct bf_book_request req = {.gate = "tan-thanh"};
	struct bf_book_result booked;
	struct bf_booking b;
	struct bf_booking *called;
	size_t n;
	int missed;
	if (bf_service_book(cn, &carrier, out, &req, &booked, &err) != 0 ||
	    bf_service_check_in(cn, &carrier, out, &b, &err) != 0 ||
	    bf_service_call(cn, &gate, "tan-thanh", 1, NULL, &called, &n, &missed, NULL, &err) != 0)
		fail_msg("book, check in, call: %s", err.message);
	free(called);
	assert_int_equal(n, 1);
	return out;
}

static void test_not_the_peers_to_make(void **state)
{
	(void)state;
	struct bf_sync_result res;
	struct bf_error err = {0};
	struct bf_consignment c;
	struct bf_party auditor = {.id = "cn-auditor", .role = BF_ROLE_AUDITOR, .country = "CN"};
	char subject[96], payload[1024], cn_load[BF_CONSIGNMENT_ID_MAX + 1];
	long st;
	json_t *j;

	/* Where the last test left it: vn's load is cleared for export, the
	 * import side's now. */
	assert_int_equal(bf_service_consignment(cn, &auditor, id, &c, &err), 0);
	assert_int_equal(c.state, BF_ST_EXPORT_CLEARED);
	snprintf(cn_load, sizeof(cn_load), "%s", cn_export());
	snprintf(subject, sizeof(subject), "consignment/%s", id);

	/* China's import decision, by vn's party that says it is China's. */
	snprintf(
	    payload, sizeof(payload),
	    "{\"consignment\":\"%s\",\"from\":\"export_cleared\",\"note\":\"\",\"reasons\":[],\"to\":\"inspection\"}",
	    id);
	check_not_theirs("sy-quarantine", "consignment.inspection", subject, payload, "the import decision on");
	/* Any step on a load that is China's now, that the lifecycle allows. */
	snprintf(payload, sizeof(payload), "{\"consignment\":\"%s\"}", id);
	check_not_theirs("sy-carrier", "consignment.routed", subject, payload, "CN's node decides on it now");
	check_not_theirs("node-operator", "booking.moved", subject, payload, "CN's node decides on it now");
	check_not_theirs("sy-carrier", "consignment.teleported", subject, payload,
	                 "does not know a consignment.teleported event");

	/* vn's export authority clearing China's export for it. */
	snprintf(subject, sizeof(subject), "consignment/%s", cn_load);
	snprintf(payload, sizeof(payload),
	         "{\"consignment\":\"%s\",\"from\":\"called\",\"note\":\"\",\"reasons\":[],\"to\":\"export_cleared\"}",
	         cn_load);
	check_not_theirs("sy-customs", "consignment.export_cleared", subject, payload, "the export decision on");

	/* Declarations of China's export, or of an export nobody here knows. */
	static const char declaration[] =
	    "{\"commodity\":\"03046200\",\"declared_at\":\"2026-01-05T01:00:00Z\",\"declared_by\":\"sy-carrier\","
	    "\"destination\":\"%s\",\"exporter\":\"%s\",\"id\":\"%s\",\"net_weight_kg\":18000.0,"
	    "\"packages\":900,\"packing_house\":null,\"phyto_certificate\":null,\"planting_areas\":[],"
	    "\"preferred_gate\":null,\"state\":\"declared\",\"updated_at\":\"2026-01-05T01:00:00Z\","
	    "\"vehicle\":{\"country\":\"VN\",\"kind\":\"truck\",\"number\":\"12C-123.45\"}}";
	snprintf(payload, sizeof(payload), declaration, "VN", "CN-EXP-0001", "c-notvnsexport0001");
	check_not_theirs("sy-carrier", "consignment.declared", "consignment/c-notvnsexport0001", payload,
	                 "is exported by CN-EXP-0001, of CN");
	snprintf(payload, sizeof(payload), declaration, "CN", "VN-EXP-9999", "c-notvnsexport0002");
	check_not_theirs("sy-carrier", "consignment.declared", "consignment/c-notvnsexport0002", payload,
	                 "exporter VN-EXP-9999 is not registered here");

	/* A notice for China, numbered by vn as its own. */
	check_not_theirs("sy-gate", "notice.posted", "notice/N-vn-000009",
	                 "{\"country\":\"CN\",\"id\":\"N-vn-000009\",\"kind\":\"rule_change\",\"posted_at\":"
	                 "\"2026-01-05T01:00:00Z\",\"posted_by\":\"sy-gate\",\"role\":\"gate_operator\",\"text\":"
	                 "\"all lanes closed\"}",
	                 "the notice is posted for CN");

	/* China's registry, its gate hours and its risk profile. */
	check_not_theirs("sy-ppd", "registry.exporter.suspended", "exporter/CN-EXP-0001",
	                 "{\"approvals\":[],\"country\":\"CN\",\"id\":\"CN-EXP-0001\",\"name\":\"x\",\"status\":"
	                 "\"suspended\"}",
	                 "exporter CN-EXP-0001 is CN's to register");
	check_not_theirs("sy-ppd", "registry.exporter.updated", "exporter/CN-EXP-0001",
	                 "{\"approvals\":[],\"country\":\"VN\",\"id\":\"CN-EXP-0001\",\"name\":\"x\",\"status\":"
	                 "\"active\"}",
	                 "exporter CN-EXP-0001 is registered here as CN's");
	struct bf_gate_pair g;
	assert_int_equal(bf_service_gate(cn, "tan-thanh", &g, &err), 0);
	const char *cn_side = strcmp(g.side[0].country, "CN") == 0 ? "a" : "b";
	bf_gate_pair_clear(&g);
	snprintf(payload, sizeof(payload),
	         "{\"from\":\"2030-01-01T00:00:00Z\",\"kind\":\"closure\",\"note\":\"\",\"side\":\"%s\",\"to\":"
	         "\"2030-01-02T00:00:00Z\"}",
	         cn_side);
	check_not_theirs("sy-gate", "gate.changed", "gate/tan-thanh", payload, "is CN's hours");
	check_not_theirs("sy-customs", "risk_profile.updated", "risk-profile/CN", "{\"shares\":{}}",
	                 "the risk profile of CN is CN's to set");

	/* The node operator's records, by another; kinds nobody knows. */
	check_not_theirs("sy-carrier", "party.created", "party/sy-friend",
	                 "{\"country\":\"VN\",\"id\":\"sy-friend\",\"name\":\"x\",\"role\":\"carrier\"}",
	                 "node operator's record");
	check_not_theirs("sy-gate", "weather.reported", "gate/tan-thanh", "{}", "does not know a weather.reported");

	/* vn's own steps of every kind apply: its notice, its side's hours,
	 * its risk profile, its registry. */
	j = apifix_call(&vn, GATE, "POST", "/v1/notices",
	                "{\"kind\":\"gate_disruption\",\"text\":\"scanner down\",\"gate\":\"tan-thanh\"}", NULL, &st);
	assert_int_equal(st, 201);
	char notice[BF_NOTICE_ID_MAX + 1];
	bf_strlcpy(notice, json_string_value(json_object_get(j, "id")), sizeof(notice));
	json_decref(j);
	j = apifix_call(&vn, GATE, "POST", "/v1/gates/tan-thanh/changes",
	                "{\"kind\":\"closure\",\"from\":\"2030-01-01T00:00:00Z\",\"to\":\"2030-01-01T06:00:00Z\","
	                "\"note\":\"works\"}",
	                NULL, &st);
	json_decref(j);
	assert_int_equal(st, 201);
	j = apifix_call(&vn, CUSTOMS, "PUT", "/v1/risk-profiles/VN",
	                "{\"shares\":{\"green\":0.8,\"yellow\":0.15,\"red\":0.05}}", NULL, &st);
	json_decref(j);
	assert_int_equal(st, 200);
	j = apifix_call(&vn, PPD, "PATCH", "/v1/planting-areas/VN-BTOR-0002", "{\"status\":\"suspended\"}", NULL, &st);
	json_decref(j);
	assert_int_equal(st, 200);
	char *text = page_after(cn_head());
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	if (res.refused)
		fail_msg("vn's own steps refused: %s", res.reason);
	assert_true(res.applied >= 4);
	struct bf_notice n;
	assert_int_equal(bf_service_notice_get(cn, &auditor, notice, &n, &err), 0);
	assert_string_equal(n.country, "VN");
	/* And each takes effect on cn: vn's side of Tan Thanh is closed there
	 * too, VN's risk profile is vn's, the planting area is suspended. */
	struct bf_gate_pair tt;
	bf_time closed;
	assert_int_equal(bf_time_parse("2030-01-01T00:00:00Z", &closed), 0);
	assert_int_equal(bf_service_gate(cn, "tan-thanh", &tt, &err), 0);
	int vn_side = strcmp(tt.side[0].country, "VN") == 0 ? 0 : 1;
	bool found = false;
	for (size_t i = 0; i < tt.side[vn_side].n_exceptions; i++)
		found |= tt.side[vn_side].exceptions[i].start == closed && !tt.side[vn_side].exceptions[i].open;
	bf_gate_pair_clear(&tt);
	assert_true(found);
	json_t *profile;
	assert_int_equal(bf_service_risk_profile(cn, "VN", &profile, &err), 0);
	assert_true(json_is_true(json_object_get(profile, "configured")));
	assert_true(json_real_value(json_object_get(json_object_get(profile, "shares"), "green")) == 0.8);
	json_decref(profile);
	struct bf_registry_record area;
	assert_int_equal(bf_service_registry_get(cn, BF_REG_PLANTING_AREA, "VN-BTOR-0002", &area, &err), 0);
	assert_int_equal(area.u.planting_area.status, BF_REG_SUSPENDED);

	/* vn acknowledging its own notice for China. */
	snprintf(subject, sizeof(subject), "notice/%s", notice);
	snprintf(
	    payload, sizeof(payload),
	    "{\"at\":\"2026-01-05T01:00:00Z\",\"by\":\"sy-quarantine\",\"country\":\"CN\",\"note\":\"\",\"notice\":"
	    "\"%s\"}",
	    notice);
	check_not_theirs("sy-quarantine", "notice.acknowledged", subject, payload,
	                 "the acknowledgement is made for CN");
	assert_int_equal(bf_service_notice_get(cn, &auditor, notice, &n, &err), 0);
	assert_int_equal(n.n_acks, 0);

	/* Nothing of it moved a record, and cn's log verifies. */
	assert_int_equal(bf_service_consignment(cn, &auditor, id, &c, &err), 0);
	assert_int_equal(c.state, BF_ST_EXPORT_CLEARED);
	assert_int_equal(bf_service_consignment(cn, &auditor, cn_load, &c, &err), 0);
	assert_int_equal(c.state, BF_ST_CALLED);
	assert_int_equal(bf_service_consignment(cn, &auditor, "c-notvnsexport0001", &c, &err), BF_ENOTFOUND);

	/* The same making, of a step that is vn's, applies: only the
	 * authority was wrong above. */
	snprintf(payload, sizeof(payload),
	         "{\"from\":\"2030-02-01T00:00:00Z\",\"kind\":\"closure\",\"note\":\"\",\"side\":\"%s\",\"to\":"
	         "\"2030-02-02T00:00:00Z\"}",
	         strcmp(cn_side, "a") == 0 ? "b" : "a");
	text = crafted("sy-gate", "gate.changed", "gate/tan-thanh", payload);
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	vn_holds(text);
	free(text);
	if (res.refused)
		fail_msg("vn's own gate hours refused: %s", res.reason);
	assert_int_equal(res.applied, 1);

	/* vn's node operator imports a file that lists a CN code as active:
	 * its event applies as history, and the code stays as China has it
	 * on cn. */
	struct bf_registry_record cn_area = {.kind = BF_REG_PLANTING_AREA};
	strcpy(cn_area.u.planting_area.code, "CN-GXOR-0901");
	strcpy(cn_area.u.planting_area.hs_code, "08109092");
	strcpy(cn_area.u.planting_area.country, "CN");
	strcpy(cn_area.u.planting_area.province, "Guangxi");
	cn_area.u.planting_area.status = BF_REG_SUSPENDED;
	if (bf_service_registry_save(cn, &bf_service_node_operator, &cn_area, true, &err) != 0)
		fail_msg("cn's own record: %s", err.message);
	text = crafted("node-operator", "registry.planting_area.reinstated", "planting_area/CN-GXOR-0901",
	               "{\"code\":\"CN-GXOR-0901\",\"country\":\"CN\",\"hs_code\":\"08109092\",\"province\":"
	               "\"Guangxi\",\"status\":\"active\"}");
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	vn_holds(text);
	free(text);
	if (res.refused)
		fail_msg("vn's import refused: %s", res.reason);
	assert_int_equal(res.applied, 1);
	assert_int_equal(bf_service_registry_get(cn, BF_REG_PLANTING_AREA, "CN-GXOR-0901", &area, &err), 0);
	assert_int_equal(area.u.planting_area.status, BF_REG_SUSPENDED);
	/* A move the lifecycle does not give (a load cleared for export
	 * crossing before China's decision), signed properly by vn: a dispute
	 * too, for its transition. */
	snprintf(subject, sizeof(subject), "consignment/%s", id);
	snprintf(payload, sizeof(payload),
	         "{\"consignment\":\"%s\",\"from\":\"export_cleared\",\"note\":\"\",\"reasons\":[],\"to\":"
	         "\"crossed\"}",
	         id);
	check_disputed_for("transition", "sy-gate", "consignment.crossed", subject, payload,
	                   "a consignment that is export_cleared cannot become crossed");
	assert_int_equal(bf_service_consignment(cn, &auditor, id, &c, &err), 0);
	assert_int_equal(c.state, BF_ST_EXPORT_CLEARED);

	/* cn's log verifies, the disputed events' moves aside. */
	char last[BF_DISPUTE_REASON_MAX + 1];
	size_t disputes = cn_disputes(last);
	assert_int_equal(disputes, 16);
	struct bf_ledger_summary sum;
	if (bf_service_verify(cn, NULL, 0, &sum, &err) != 0)
		fail_msg("verify: %s", err.message);
	assert_int_equal(sum.chains, 2);
	assert_int_equal(sum.disputed, 16);

	/* Both sides list them: vn pulls cn's chain, whose dispute.raised
	 * events it applies, and answers the same list over HTTP. */
	char *keys;
	int added, known;
	assert_int_equal(bf_service_keys_export(cn, &keys, &err), 0);
	assert_int_equal(bf_service_keys_import(vn.svc, keys, strlen(keys), &added, &known, &err), 0);
	free(keys);
	json_t *doc;
	assert_int_equal(bf_feed_page(cn, "cn", 0, 1000, &doc, &err), 0);
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_int_equal(bf_sync_apply_page(vn.svc, "cn", text, strlen(text), &res, &err), 0);
	free(text);
	if (res.refused || res.disputed)
		fail_msg("vn takes cn's chain: %s", res.reason);
	j = apifix_call(&vn, CUSTOMS, "GET", "/v1/disputes", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *list = json_object_get(j, "disputes");
	assert_int_equal(json_array_size(list), 16);
	json_t *first = json_array_get(list, 0);
	assert_string_equal(tu_str(first, "origin"), "vn");
	assert_string_equal(tu_str(first, "raised_by"), "cn");
	assert_non_null(strstr(tu_str(first, "reason"), "authority: the import decision on"));
	json_decref(j);
}

/* vn signs another event under the number of its last one: cn finds two
 * validly signed events under one number, keeps both as evidence (across
 * a restart too), shows them at GET /v1/sync, and takes nothing more of
 * vn's chain until an operator resolves the fork. */
static void test_a_fork_is_kept(void **state)
{
	(void)state;
	struct bf_sync_result res;
	struct bf_error err = {0};
	long st;
	int64_t head = cn_head();
	char *text = crafted_at(head, "sy-gate", "notice.posted", "notice/N-vn-000099",
	                        "{\"country\":\"VN\",\"id\":\"N-vn-000099\",\"kind\":\"gate_disruption\",\"text\":"
	                        "\"all lanes open\"}");
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_true(res.refused);
	if (strstr(res.reason, "fork: another event, also validly signed") == NULL)
		fail_msg("refused for \"%s\"", res.reason);
	assert_int_equal(cn_head(), head);

	/* Kept across a restart, both events as signed. */
	bf_service_close(cn);
	struct bf_service_config cfg = {.db_url = cn_db, .node = "cn", .clock = apifix_clock_at, .clock_ctx = &now};
	assert_int_equal(bf_service_open(&cfg, &cn, &err), 0);
	json_t *status = bf_sync_status(cn, NULL), *forks = json_object_get(status, "forks");
	assert_int_equal(json_array_size(forks), 1);
	json_t *fork = json_array_get(forks, 0);
	assert_string_equal(tu_str(fork, "origin"), "vn");
	assert_int_equal(json_integer_value(json_object_get(fork, "origin_seq")), head);
	assert_true(json_is_null(json_object_get(fork, "resolved_at")));
	const char *held = tu_str(json_object_get(fork, "held"), "hash"),
	           *offered = tu_str(json_object_get(fork, "offered"), "hash");
	assert_true(strlen(held) == 64 && strlen(offered) == 64 && strcmp(held, offered) != 0);
	assert_string_equal(tu_str(json_object_get(fork, "offered"), "payload"),
	                    "{\"country\":\"VN\",\"id\":\"N-vn-000099\",\"kind\":\"gate_disruption\",\"text\":"
	                    "\"all lanes open\"}");
	json_decref(status);

	/* vn's honest next event is not taken while the fork is open. */
	json_decref(apifix_call(&vn, GATE, "POST", "/v1/notices",
	                        "{\"kind\":\"gate_disruption\",\"text\":\"lane 1 open\",\"gate\":\"tan-thanh\"}", NULL,
	                        &st));
	assert_int_equal(st, 201);
	text = page_after(cn_head());
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	assert_true(res.refused);
	assert_int_equal(res.applied, 0);
	assert_non_null(strstr(res.reason, "vn's chain has forked (1 fork open"));

	/* Resolved by an operator: the pull goes on. */
	assert_int_equal(bf_service_fork_resolve(cn, "vn", head, &err), 0);
	assert_int_equal(bf_service_fork_resolve(cn, "vn", head, &err), BF_ENOTFOUND);
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	if (res.refused)
		fail_msg("refused after the fork was resolved: %s", res.reason);
	assert_int_equal(res.applied, 1);
}

/* Each page of vn's own chain carries vn's head, signed by vn's node key;
 * cn keeps the latest, and finds events withheld (a page that says "no
 * more" short of the head) and a fork it was never served (a head naming
 * another event under a number cn holds). */
static void test_signed_heads(void **state)
{
	(void)state;
	struct bf_sync_result res;
	struct bf_error err = {0};
	long st;
	for (int i = 0; i < 2; i++)
		json_decref(apifix_call(&vn, GATE, "POST", "/v1/notices",
		                        "{\"kind\":\"gate_disruption\",\"text\":\"head\",\"gate\":\"tan-thanh\"}", NULL,
		                        &st));
	int64_t head = cn_head();
	char *text = page_after(head);
	json_t *page = json_loads(text, 0, NULL), *events = json_object_get(page, "events");
	free(text);
	json_t *h = json_object_get(page, "head");
	assert_non_null(h);
	assert_string_equal(tu_str(h, "origin"), "vn");
	assert_int_equal(json_integer_value(json_object_get(h, "origin_seq")), head + 2);

	/* The last event withheld, the page saying there is no more. */
	assert_int_equal(json_array_size(events), 2);
	json_array_remove(events, 1);
	text = json_dumps(page, JSON_COMPACT);
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_true(res.refused);
	assert_int_equal(res.applied, 1);
	if (strstr(res.reason, "signed head is #") == NULL || strstr(res.reason, "events withheld") == NULL)
		fail_msg("refused for \"%s\"", res.reason);
	json_decref(page);
	/* The whole page: taken, and its head kept. */
	text = page_after(cn_head());
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_false(res.refused);
	assert_int_equal(res.applied, 1);
	struct bf_store *s = bf_store_pool_acquire(bf_service_readers(cn));
	int64_t kept;
	char *head_text;
	bf_time received;
	assert_int_equal(bf_store_peer_head_get(s, "vn", &kept, &head_text, &received, &err), 0);
	bf_store_pool_release(bf_service_readers(cn), s);
	assert_int_equal(kept, head + 2);
	free(head_text);

	/* A head signed by vn's node key that names another event under a
	 * number cn holds: a fork cn was never served, kept as evidence. */
	struct bf_ledger_head forged = {.origin = "vn", .origin_seq = head + 1, .at = now};
	enum bf_role role;
	unsigned char sk[64];
	char msg[256], hex[65];
	randombytes_buf(forged.hash, sizeof(forged.hash));
	vn_key("node-operator", forged.key_id, &role, sk);
	sodium_bin2hex(hex, sizeof(hex), forged.hash, sizeof(forged.hash));
	int len = snprintf(msg, sizeof(msg), "borderflow head v1\nvn\n%lld\n%s\n%lld\n", (long long)forged.origin_seq,
	                   hex, (long long)forged.at);
	crypto_sign_detached(forged.signature, NULL, (const unsigned char *)msg, (unsigned long long)len, sk);
	sodium_memzero(sk, sizeof(sk));
	page = json_pack("{s:s, s:[], s:I, s:b, s:o}", "node", "vn", "events", "next_after", (json_int_t)(head + 2),
	                 "more", 0, "head", bf_ledger_head_json(&forged));
	text = json_dumps(page, JSON_COMPACT);
	json_decref(page);
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_true(res.refused);
	if (strstr(res.reason, "fork: vn's signed head names another event as #") == NULL)
		fail_msg("refused for \"%s\"", res.reason);
	json_t *status = bf_sync_status(cn, NULL);
	json_t *forks = json_object_get(status, "forks"), *last = json_array_get(forks, json_array_size(forks) - 1);
	assert_int_equal(json_integer_value(json_object_get(last, "origin_seq")), head + 1);
	assert_string_equal(tu_str(json_object_get(last, "offered"), "hash"), hex);
	json_decref(status);
	assert_int_equal(bf_service_fork_resolve(cn, "vn", head + 1, &err), 0);
}

static void test_feed_paging(void **state)
{
	(void)state;
	json_t *doc;
	struct bf_error err = {0};
	assert_int_equal(bf_feed_page(vn.svc, "vn", 0, 2, &doc, &err), 0);
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
	assert_int_equal(bf_feed_page(vn.svc, "vn", INT64_MAX, 10, &doc, &err), BF_EINVAL);
	assert_string_equal(err.field, "after");
}

/* A page that says it is another node's is refused whole, though its
 * events are the peer's: the peer's id is pinned. */
static void test_a_page_of_another_node(void **state)
{
	(void)state;
	struct bf_sync_result res;
	struct bf_error err = {0};
	int64_t head = cn_head();
	char *text = page_after(0);
	char *at = strstr(text, "\"node\":\"vn\"");
	assert_non_null(at);
	memcpy(at, "\"node\":\"vx\"", 11);
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_true(res.refused);
	assert_int_equal(res.applied + res.duplicates, 0);
	assert_non_null(strstr(res.reason, "node vx's, not the peer vn's"));
	assert_int_equal(cn_head(), head);
	/* A page that names no node is refused as well. */
	const char *anonymous = "{\"events\":[],\"next_after\":0,\"more\":false}";
	assert_int_equal(bf_sync_apply_page(cn, "vn", anonymous, strlen(anonymous), &res, &err), 0);
	assert_true(res.refused);
	assert_non_null(strstr(res.reason, "node (none)'s"));
}

/* Events go forward in time. A node whose clock ran 400 days ahead signs
 * events dated then: its peer takes none of them, saying whose clock is
 * wrong; once the clock is right again, the node signs nothing dated
 * before its chain's last event (less five minutes) until it is past it,
 * and a peer takes no event dated back so. Run last: vn's chain is left
 * in the future. */
static void test_clocks_that_make_no_sense(void **state)
{
	(void)state;
	struct bf_sync_result res;
	struct bf_error err = {0};
	long st;
	int64_t head = cn_head();
	/* An event dated back a day from the chain's last one, validly signed. */
	bf_time right = now;
	now -= BF_DAY_SECONDS;
	char *text = crafted("sy-gate", "notice.posted", "notice/n-back", "{}");
	now = right;
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	if (!res.refused)
		fail_msg("applied %d, refused for \"%s\"", res.applied, res.reason);
	if (strstr(res.reason, "time: ") == NULL || strstr(res.reason, "before the previous event") == NULL)
		fail_msg("refused for \"%s\"", res.reason);
	assert_int_equal(cn_head(), head);

	/* vn's clock runs 400 days ahead: what it signs then, cn refuses,
	 * saying whose clock is wrong. */
	now = right + 400 * (bf_time)BF_DAY_SECONDS;
	text = crafted("sy-gate", "notice.posted", "notice/n-ahead", "{}");
	json_decref(
	    apifix_call(&vn, GATE, "POST", "/v1/notices", "{\"kind\":\"rule_change\",\"text\":\"skewed\"}", NULL, &st));
	assert_int_equal(st, 201);
	now = right;
	assert_int_equal(bf_sync_apply_page(cn, "vn", text, strlen(text), &res, &err), 0);
	free(text);
	assert_true(res.refused);
	assert_int_equal(res.applied, 0);
	if (strstr(res.reason, "ahead of this node's clock") == NULL)
		fail_msg("refused for \"%s\"", res.reason);
	assert_int_equal(cn_head(), head);

	/* The clock set right, vn signs nothing until it is past its last
	 * event: 409 on field time, and nothing written. */
	long events = apifix_rows(&vn, "event");
	json_t *j =
	    apifix_call(&vn, GATE, "POST", "/v1/notices", "{\"kind\":\"rule_change\",\"text\":\"again\"}", NULL, &st);
	assert_int_equal(st, 409);
	assert_string_equal(tu_str(json_object_get(j, "error"), "field"), "time");
	assert_non_null(strstr(tu_str(json_object_get(j, "error"), "message"), "clock went back"));
	json_decref(j);
	assert_int_equal(apifix_rows(&vn, "event"), events);
}

/* A node whose database lost an event in the middle of a chain answers
 * an error for a page that reaches the gap, never "no more". */
static void test_a_gap_is_an_error(void **state)
{
	(void)state;
	json_t *doc = NULL;
	struct bf_error err = {0};
	int64_t head = cn_head();
	assert_true(head >= 3);
	tu_db_exec(cn_db, "DELETE FROM event WHERE origin = 'vn' AND origin_seq = 2");
	assert_int_equal(bf_feed_page(cn, "vn", 0, 200, &doc, &err), BF_ESTORE);
	assert_null(doc);
	assert_non_null(strstr(err.message, "has no event #2"));
	/* A page after the gap is whole. */
	assert_int_equal(bf_feed_page(cn, "vn", 2, 200, &doc, &err), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "events")), (size_t)head - 2);
	json_decref(doc);
}

/* ---- the same answer on any number of threads ---- */

/* vn's whole feed as one page, with event AT changed by EDIT (none if
 * NULL), and how many events it holds. */
static char *whole_feed(size_t at, void (*edit)(json_t *event), size_t *count)
{
	char *text = page_after(0);
	json_t *page = json_loads(text, 0, NULL);
	free(text);
	*count = json_array_size(json_object_get(page, "events"));
	if (edit != NULL)
		edit(json_array_get(json_object_get(page, "events"), at));
	text = json_dumps(page, JSON_COMPACT);
	json_decref(page);
	return text;
}

/* A fresh node cn, given vn's keys, that applies vn's feed on THREADS
 * threads: a forgery in the middle of the page stops it at the same event
 * for the same reason whatever THREADS, what comes before it applied; the
 * honest page then applies to vn's head, and the log verifies. */
static void test_any_number_of_threads(void **state)
{
	(void)state;
	char first_reason[sizeof(((struct bf_sync_result *)0)->reason)] = "";
	void (*edits[2])(json_t *) = {edit_signature, edit_payload};
	const char *faults[2] = {"signature", "hash"};
	for (int threads = 1; threads <= 3; threads++) {
		for (int k = 0; k < 2; k++) {
			struct bf_error err = {0};
			struct bf_service *peer;
			char db[2048];
			snprintf(db, sizeof(db), "%s/cn.db", tu_tmpdir("sync-threads"));
			struct bf_service_config cfg = {
			    .db_url = db, .node = "cn", .clock = apifix_clock_at, .clock_ctx = &now};
			assert_int_equal(bf_service_open(&cfg, &peer, &err), 0);
			char *keys;
			int added, known;
			assert_int_equal(bf_service_keys_export(vn.svc, &keys, &err), 0);
			assert_int_equal(bf_service_keys_import(peer, keys, strlen(keys), &added, &known, &err), 0);
			free(keys);
			size_t count;
			char *text = whole_feed(0, NULL, &count);
			free(text);
			assert_true(count >= 8); /* enough for three threads to share */
			size_t at = count / 2;
			text = whole_feed(at, edits[k], &count);
			struct bf_sync_result res;
			assert_int_equal(bf_sync_apply_page_on(peer, "vn", text, strlen(text), threads, &res, &err), 0);
			free(text);
			assert_true(res.refused);
			assert_int_equal(res.applied, (long)at);
			char named[64];
			snprintf(named, sizeof(named), "vn #%zu", at + 1);
			if (strstr(res.reason, faults[k]) == NULL || strstr(res.reason, named) == NULL)
				fail_msg("on %d threads: refused for \"%s\", not for %s at %s", threads, res.reason,
				         faults[k], named);
			if (k == 0 && threads == 1)
				bf_strlcpy(first_reason, res.reason, sizeof(first_reason));
			else if (k == 0)
				assert_string_equal(res.reason, first_reason);
			text = whole_feed(0, NULL, &count);
			assert_int_equal(bf_sync_apply_page_on(peer, "vn", text, strlen(text), threads, &res, &err), 0);
			free(text);
			assert_false(res.refused);
			assert_int_equal(res.applied, (long)(count - at));
			assert_int_equal(res.duplicates, (long)at);
			struct bf_ledger_summary sum;
			assert_int_equal(bf_service_verify(peer, NULL, 0, &sum, &err), 0);
			assert_int_equal(sum.events, (long)count);
			bf_service_close(peer);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cut_and_duplicated_pages),
	    cmocka_unit_test(test_any_number_of_threads),
	    cmocka_unit_test(test_forgeries_refused),
	    cmocka_unit_test(test_not_the_peers_to_make),
	    cmocka_unit_test(test_a_fork_is_kept),
	    cmocka_unit_test(test_signed_heads),
	    cmocka_unit_test(test_feed_paging),
	    cmocka_unit_test(test_a_page_of_another_node),
	    cmocka_unit_test(test_clocks_that_make_no_sense),
	    cmocka_unit_test(test_a_gap_is_an_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
