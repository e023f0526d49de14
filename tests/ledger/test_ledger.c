/* The ledger on real SQLite files: the canonical encoding against the
 * documented layout, append and verify of a clean log, every kind of
 * tampering named at the exact event, key files, and events from a peer. */
#include "util/testutil.h"

#include "ledger/ledger.h"
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;

/* ---- the encoding, written again from ledger.h's description ---- */

struct buf {
	unsigned char b[4096];
	size_t n;
};

static void be(struct buf *o, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--)
		o->b[o->n++] = (unsigned char)(v >> (8 * i));
}

static void field(struct buf *o, const void *p, size_t len)
{
	be(o, len, 4);
	memcpy(o->b + o->n, p, len);
	o->n += len;
}

static void text(struct buf *o, const char *s)
{
	field(o, s, strlen(s));
}

static void sample_event(struct bf_event *e)
{
	memset(e, 0, sizeof(*e));
	strcpy(e->origin, "vn");
	e->origin_seq = 3;
	e->at = 1764547200; /* 2025-12-01T00:00:00Z */
	strcpy(e->party_id, "fruitco");
	e->role = BF_ROLE_CARRIER;
	strcpy(e->kind, "consignment.booked");
	strcpy(e->subject, "consignment/c-1");
	e->payload = (char *)"{\"gate\":\"huu-nghi\"}";
	for (int i = 0; i < BF_EVENT_HASH_BYTES; i++)
		e->prev_hash[i] = (unsigned char)i;
}

static void test_encoding(void **state)
{
	(void)state;
	struct bf_event e;
	struct buf want = {.n = 0};
	unsigned char got[4096], h[32], h2[32];
	char hex[65];

	sample_event(&e);
	text(&want, "borderflow/event/1");
	text(&want, "vn");
	be(&want, 3, 8);
	be(&want, 1764547200, 8);
	text(&want, "fruitco");
	text(&want, "carrier");
	text(&want, "consignment.booked");
	text(&want, "consignment/c-1");
	text(&want, "{\"gate\":\"huu-nghi\"}");
	field(&want, e.prev_hash, 32);

	size_t len = bf_ledger_encode(&e, got, sizeof(got));
	assert_int_equal(len, want.n);
	assert_memory_equal(got, want.b, want.n);
	/* A short buffer still reports the full length and writes no more. */
	memset(got, 0xEE, sizeof(got));
	assert_int_equal(bf_ledger_encode(&e, got, 10), want.n);
	assert_memory_equal(got, want.b, 10);
	assert_int_equal(got[10], 0xEE);

	crypto_generichash(h, 32, want.b, want.n, NULL, 0);
	bf_ledger_hash(&e, h2);
	assert_memory_equal(h, h2, 32);
	/* Pinned: the same bytes hashed by Python's hashlib.blake2b
	 * (digest_size=32). A change here breaks every stored chain. */
	sodium_bin2hex(hex, sizeof(hex), h2, 32);
	assert_string_equal(hex, "13a9b5ad1431ae165887b77bed825255cda530180f603c0bdca7f5f314f269b4");

	/* Each field counts: a one-byte change anywhere changes the hash. */
	e.origin_seq = 4;
	bf_ledger_hash(&e, h2);
	assert_memory_not_equal(h, h2, 32);
	e.origin_seq = 3;
	e.role = BF_ROLE_GATE_OPERATOR;
	bf_ledger_hash(&e, h2);
	assert_memory_not_equal(h, h2, 32);
	e.role = BF_ROLE_CARRIER;
	e.prev_hash[31] ^= 1;
	bf_ledger_hash(&e, h2);
	assert_memory_not_equal(h, h2, 32);
	/* Length prefixes keep field boundaries: "ab"+"c" is not "a"+"bc". */
	e.prev_hash[31] ^= 1;
	strcpy(e.kind, "consignment.booke");
	strcpy(e.subject, "dconsignment/c-1");
	bf_ledger_hash(&e, h2);
	assert_memory_not_equal(h, h2, 32);
}

/* ---- a log to tamper with ---- */

static struct bf_store *open_node(const char *path, const char *node)
{
	struct bf_store *s;
	struct bf_error err = {0};
	remove(path);
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_node_set(s, node, BF_SCOPE_COUNTRY, &err), 0);
	return s;
}

/* bf_ledger_apply_foreign() in a write transaction of its own, as the
 * sync does: committed when applied, rolled back when refused. Each event
 * is first tried without a precheck (rolled back whatever the answer),
 * then with its hash and signature checked ahead by a helper thread, as a
 * catch-up does: both must give the same answer and the same fault. */
static int apply_foreign(struct bf_store *s, struct bf_event *e, struct bf_ledger_fault *f, struct bf_error *err)
{
	struct bf_ledger_fault plain;
	struct bf_ledger_checker *ahead;
	assert_int_equal(bf_store_begin(s, err), 0);
	int plain_rc = bf_ledger_apply_foreign(s, e, NULL, &plain, err);
	bf_store_rollback(s);
	assert_int_equal(bf_ledger_checker_start(s, e, 1, 2, &ahead, err), 0);
	bf_ledger_checker_join(ahead);
	const struct bf_ledger_checked *pre = bf_ledger_checker_get(ahead, 0);
	assert_non_null(pre);
	assert_int_equal(bf_store_begin(s, err), 0);
	int rc = bf_ledger_apply_foreign(s, e, pre, f, err);
	bf_ledger_checker_free(ahead);
	if (rc == 0)
		assert_int_equal(bf_store_commit(s, err), 0);
	else
		bf_store_rollback(s);
	assert_int_equal(rc, plain_rc);
	assert_int_equal(f->kind, plain.kind);
	assert_string_equal(f->reason, plain.reason);
	return rc;
}

/* The ledger's key calls in a write transaction of their own, as the
 * service makes them: committed when they succeed. */
static int in_transaction(struct bf_store *s, int rc, struct bf_error *err)
{
	if (rc == 0)
		assert_int_equal(bf_store_commit(s, err), 0);
	else
		bf_store_rollback(s);
	return rc;
}

static int key_new(struct bf_store *s, const char *party, bf_time at, struct bf_signing_key *out, struct bf_error *err)
{
	assert_int_equal(bf_store_begin(s, err), 0);
	return in_transaction(s, bf_ledger_key_new(s, party, at, out, err), err);
}

static int node_key(struct bf_store *s, struct bf_signing_key *out, struct bf_error *err)
{
	assert_int_equal(bf_store_begin(s, err), 0);
	return in_transaction(s, bf_ledger_node_key(s, 1764547200, out, err), err);
}

static int pin(struct bf_store *s, const char *node, const unsigned char key[32], struct bf_error *err)
{
	assert_int_equal(bf_store_begin(s, err), 0);
	return in_transaction(s, bf_ledger_pin(s, node, key, err), err);
}

static int64_t add(struct bf_store *s, const char *party, enum bf_role role, const char *kind, const char *subject,
                   const char *payload)
{
	struct bf_event e = {.at = 1764547200, .role = role};
	struct bf_error err = {0};
	strcpy(e.party_id, party);
	strcpy(e.kind, kind);
	strcpy(e.subject, subject);
	e.payload = (char *)payload;
	assert_int_equal(bf_store_begin(s, &err), 0);
	int rc = bf_ledger_append(s, &e, &err);
	if (rc)
		fail_msg("append %s: %s", kind, err.message);
	assert_int_equal(bf_store_commit(s, &err), 0);
	return e.seq;
}

/* The lifecycle of one consignment up to its call, and a party made:
 * events 1..10, every one of chain vn in order, three of them the events
 * that make the keys of the node (1), fruitco (3) and hn-gate (9), each
 * ahead of its party's first event. */
static void make_history(struct bf_store *s)
{
	add(s, "node-operator", BF_ROLE_SYSTEM, "party.created", "party/fruitco", "{\"id\":\"fruitco\"}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.declared", "consignment/c-1", "{\"id\":\"c-1\"}");
	add(s, "node-operator", BF_ROLE_SYSTEM, "consignment.validated", "consignment/c-1",
	    "{\"from\":\"declared\",\"id\":\"c-1\",\"to\":\"validated\"}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.booked", "consignment/c-1", "{\"gate\":\"huu-nghi\"}");
	add(s, "node-operator", BF_ROLE_SYSTEM, "booking.moved", "consignment/c-1", "{\"moved_to\":\"x\"}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.checked_in", "consignment/c-1", "{\"gate\":\"huu-nghi\"}");
	add(s, "hn-gate", BF_ROLE_GATE_OPERATOR, "consignment.called", "consignment/c-1", "{\"gate\":\"huu-nghi\"}");
}

static int verify(struct bf_store *s, struct bf_ledger_summary *sum)
{
	struct bf_error err = {0};
	int rc = bf_ledger_verify(s, sum, &err);
	if (rc != BF_OK && rc != BF_EREJECTED)
		fail_msg("verify: %s", err.message);
	return rc;
}

static void sql(const char *path, const char *statement)
{
	sqlite3 *db;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, statement, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", statement, msg);
	sqlite3_close(db);
}

/* A fresh log of seven events in NAME, closed again. */
static const char *fresh_log(const char *name)
{
	static char path[1024];
	snprintf(path, sizeof(path), "%s", tu_path(dir, name));
	struct bf_store *s = open_node(path, "vn");
	make_history(s);
	bf_store_close(s);
	return path;
}

/* Verifies the log at PATH and expects it to fail at event SEQ for KIND,
 * after BEFORE events that verify: the same on one thread as with the
 * hashes and signatures checked on two and three. */
static void expect_fault_after(const char *path, int64_t seq, enum bf_ledger_fault_kind kind, long before)
{
	for (int threads = 1; threads <= 3; threads++) {
		struct bf_store *s;
		struct bf_ledger_summary sum;
		struct bf_error err = {0};
		assert_int_equal(bf_store_open(path, &s, &err), 0);
		int rc = bf_ledger_verify_on(s, threads, &sum, &err);
		bf_store_close(s);
		if (rc != BF_OK && rc != BF_EREJECTED)
			fail_msg("verify: %s", err.message);
		if (rc != BF_EREJECTED)
			fail_msg("%s: verify on %d thread(s) found nothing wrong", path, threads);
		if (sum.bad.seq != seq || sum.bad.kind != kind)
			fail_msg("%s: on %d thread(s), expected event %lld (%s), got event %lld (%s): %s", path,
			         threads, (long long)seq, bf_ledger_fault_name(kind), (long long)sum.bad.seq,
			         bf_ledger_fault_name(sum.bad.kind), sum.bad.reason);
		assert_int_equal(sum.events, before);
	}
}

static void expect_fault(const char *path, int64_t seq, enum bf_ledger_fault_kind kind)
{
	expect_fault_after(path, seq, kind, (long)seq - 1);
}

static void test_append_and_verify(void **state)
{
	(void)state;
	struct bf_store *s = open_node(tu_path(dir, "clean.db"), "vn");
	struct bf_ledger_summary sum;
	struct bf_event *v;
	size_t n;
	struct bf_error err = {0};

	make_history(s);
	assert_int_equal(verify(s, &sum), BF_OK);
	assert_int_equal(sum.events, 10);
	assert_int_equal(sum.chains, 1);
	assert_int_equal(sum.bad.kind, BF_LF_NONE);

	/* Each event is the next of chain vn and links to the one before. */
	assert_int_equal(bf_store_events_list(s, 0, 100, &v, &n, &err), 0);
	assert_int_equal(n, 10);
	for (size_t i = 0; i < n; i++) {
		unsigned char h[32], zero[32] = {0};
		assert_string_equal(v[i].origin, "vn");
		assert_int_equal(v[i].origin_seq, (int64_t)i + 1);
		assert_memory_equal(v[i].prev_hash, i ? v[i - 1].hash : zero, 32);
		bf_ledger_hash(&v[i], h);
		assert_memory_equal(h, v[i].hash, 32);
	}
	/* Each party got one key on first use, bound to its role. */
	struct bf_signing_key k;
	assert_int_equal(bf_store_key_current(s, "hn-gate", "vn", &k, &err), 0);
	assert_int_equal(k.role, BF_ROLE_GATE_OPERATOR);
	assert_string_equal(v[9].key_id, k.id);
	assert_int_equal(crypto_sign_verify_detached(v[9].signature, v[9].hash, 32, k.public_key), 0);
	/* Each key is made by an event of the chain: the node key by the
	 * first, which it signs itself; hn-gate's by the event before its
	 * first, signed by the node key, and in force from the event after. */
	struct bf_signing_key node_key;
	assert_int_equal(bf_store_key_numbered(s, "node-operator", "vn", 1, &node_key, &err), 0);
	assert_string_equal(v[0].kind, BF_KEY_MADE);
	assert_string_equal(v[0].key_id, node_key.id);
	assert_int_equal(node_key.from_seq, 0);
	assert_string_equal(v[8].kind, BF_KEY_MADE);
	assert_string_equal(v[8].party_id, "node-operator");
	assert_string_equal(v[8].key_id, node_key.id);
	assert_int_equal(k.from_seq, 9);
	char subject[64];
	snprintf(subject, sizeof(subject), "key/%s", k.id);
	assert_string_equal(v[8].subject, subject);
	struct bf_signing_key from_event;
	assert_int_equal(bf_ledger_key_event_parse(&v[8], &from_event, &err), 0);
	assert_memory_equal(from_event.public_key, k.public_key, 32);
	assert_int_equal(from_event.role, BF_ROLE_GATE_OPERATOR);
	sodium_memzero(&node_key, sizeof(node_key));
	bf_store_events_free(v, n);

	/* A party signs in its own role only. */
	struct bf_event e = {.at = 1, .role = BF_ROLE_IMPORT_AUTHORITY, .payload = (char *)"{}"};
	strcpy(e.party_id, "fruitco");
	strcpy(e.kind, "consignment.import_cleared");
	strcpy(e.subject, "consignment/c-1");
	assert_int_equal(bf_ledger_append(s, &e, &err), BF_ECONFLICT);

	/* A rotated key signs what follows; the older events still verify. */
	struct bf_signing_key rotated;
	assert_int_equal(key_new(s, "fruitco", 1764547200, &rotated, &err), 0);
	assert_int_equal(rotated.role, BF_ROLE_CARRIER);
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.cancelled", "consignment/c-1", "{}");
	assert_int_equal(bf_store_events_list(s, 10, 2, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].kind, BF_KEY_MADE);
	assert_string_equal(v[1].key_id, rotated.id);
	bf_store_events_free(v, n);
	assert_int_equal(verify(s, &sum), BF_OK);
	assert_int_equal(sum.events, 12);
	/* A party this node does not know gets no key. */
	assert_int_equal(key_new(s, "nobody", 1, &rotated, &err), BF_ENOTFOUND);
	bf_store_close(s);
}

static void test_tamper_payload(void **state)
{
	(void)state;
	const char *path = fresh_log("payload.db");
	sql(path, "UPDATE event SET payload = '{\"gate\":\"tan-thanh\"}' WHERE seq = 4");
	expect_fault(path, 4, BF_LF_HASH);
	/* A changed time or author is as much an edit. */
	path = fresh_log("at.db");
	sql(path, "UPDATE event SET at = at + 3600 WHERE seq = 5");
	expect_fault(path, 5, BF_LF_HASH);
}

static void test_tamper_delete(void **state)
{
	(void)state;
	const char *path = fresh_log("delete.db");
	sql(path, "DELETE FROM event WHERE seq = 4");
	expect_fault_after(path, 5, BF_LF_SEQUENCE, 3);
	/* The last event removed leaves a shorter, valid chain: no chain can
	 * tell its own end; the peer, which holds a copy, can. */
	path = fresh_log("tail.db");
	sql(path, "DELETE FROM event WHERE seq = 10");
	struct bf_store *s;
	struct bf_ledger_summary sum;
	struct bf_error err = {0};
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(verify(s, &sum), BF_OK);
	assert_int_equal(sum.events, 9);
	bf_store_close(s);
	/* Not so the event that makes a key still registered: its key is then
	 * one the log does not give. */
	path = fresh_log("key-event.db");
	sql(path, "DELETE FROM event WHERE seq IN (9, 10)");
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(verify(s, &sum), BF_EREJECTED);
	assert_int_equal(sum.bad.kind, BF_LF_RECORD);
	assert_int_equal(strncmp(sum.bad.record, "key/", 4), 0);
	assert_non_null(strstr(sum.bad.reason, "no event of vn's chain makes it"));
	bf_store_close(s);
}

static void test_tamper_swap(void **state)
{
	(void)state;
	const char *path = fresh_log("swap.db");
	sql(path, "UPDATE event SET seq = 100 WHERE seq = 3;"
	          "UPDATE event SET seq = 3 WHERE seq = 4;"
	          "UPDATE event SET seq = 4 WHERE seq = 100;");
	expect_fault(path, 3, BF_LF_SEQUENCE);
	/* Renumbering the swapped pair to hide it breaks the link instead. */
	path = fresh_log("renumber.db");
	sql(path, "UPDATE event SET seq = 100, origin_seq = 100 WHERE seq = 3;"
	          "UPDATE event SET seq = 3, origin_seq = 3 WHERE seq = 4;"
	          "UPDATE event SET seq = 4, origin_seq = 4 WHERE seq = 100;");
	expect_fault(path, 3, BF_LF_HASH);
}

/* Rewrites event SEQ at PATH with PAYLOAD, a correct hash and a signature
 * by SECRET (NULL: keep the old signature), named KEY_ID. */
static void rewrite(const char *path, int64_t seq, const char *payload, const unsigned char *secret, const char *key_id)
{
	struct bf_store *s;
	struct bf_event *v;
	size_t n;
	struct bf_error err = {0};
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_events_list(s, seq - 1, 1, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	free(v[0].payload);
	v[0].payload = strdup(payload);
	bf_ledger_hash(&v[0], v[0].hash);
	if (secret)
		crypto_sign_detached(v[0].signature, NULL, v[0].hash, 32, secret);
	bf_store_close(s);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "UPDATE event SET payload = ?, hash = ?, signature = ?, key_id = ? "
	                                    "WHERE seq = ?",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, v[0].payload, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 2, v[0].hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 3, v[0].signature, 64, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, key_id ? key_id : v[0].key_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, seq);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	bf_store_events_free(v, n);
}

static void test_tamper_signature(void **state)
{
	(void)state;
	unsigned char pk[32], sk[64];
	char id[BF_KEY_ID_MAX + 1];
	crypto_sign_keypair(pk, sk);
	bf_ledger_key_id(pk, id);

	/* Hash recomputed, old signature kept. */
	const char *path = fresh_log("rehash.db");
	rewrite(path, 4, "{\"gate\":\"tan-thanh\"}", NULL, NULL);
	expect_fault(path, 4, BF_LF_SIGNATURE);
	/* Signed again with a key of the forger's, under the author's key id. */
	path = fresh_log("forged.db");
	rewrite(path, 4, "{\"gate\":\"tan-thanh\"}", sk, NULL);
	expect_fault(path, 4, BF_LF_SIGNATURE);
	/* ... or under its own id, which this node never registered. */
	path = fresh_log("unknown.db");
	rewrite(path, 4, "{\"gate\":\"tan-thanh\"}", sk, id);
	expect_fault(path, 4, BF_LF_KEY_UNKNOWN);

	/* Signed with another party's registered key: the gate operator's. */
	path = fresh_log("other.db");
	struct bf_store *s;
	struct bf_signing_key gate;
	struct bf_error err = {0};
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_key_current(s, "hn-gate", "vn", &gate, &err), 0);
	bf_store_close(s);
	rewrite(path, 4, "{\"gate\":\"tan-thanh\"}", gate.secret_key, gate.id);
	expect_fault(path, 4, BF_LF_KEY_MISMATCH);
	sodium_memzero(&gate, sizeof(gate));
}

static void test_rotation(void **state)
{
	(void)state;
	struct bf_store *s;
	struct bf_signing_key old, rotated;
	struct bf_ledger_summary sum;
	struct bf_error err = {0};
	const char *path = fresh_log("rotation.db");

	/* fruitco's key 1, made by event 3, signed events 4, 6 and 8; key 2,
	 * made by event 11, signs from 12. */
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_key_current(s, "fruitco", "vn", &old, &err), 0);
	assert_int_equal(old.number, 1);
	assert_int_equal(old.from_seq, 3);
	assert_true(old.has_secret);
	assert_int_equal(key_new(s, "fruitco", 1764547200, &rotated, &err), 0);
	assert_int_equal(rotated.number, 2);
	assert_int_equal(rotated.from_seq, 11);
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.cancelled", "consignment/c-1", "{}");
	assert_int_equal(bf_store_key_current(s, "fruitco", "vn", &rotated, &err), 0);
	assert_int_equal(verify(s, &sum), BF_OK);
	assert_int_equal(sum.events, 12);
	/* The retired key's secret is erased: this node can sign nothing
	 * more with it. */
	struct bf_signing_key retired;
	assert_int_equal(bf_store_key_numbered(s, "fruitco", "vn", 1, &retired, &err), 0);
	assert_false(retired.has_secret);
	assert_memory_equal(retired.public_key, old.public_key, 32);
	bf_store_close(s);

	/* A key row no event makes: named, unless it is one of the keys
	 * registered before keys were events (migration 18), which verify
	 * counts and takes as held. */
	sql(path, "INSERT INTO signing_key (id, party_id, role, node, number, from_seq, public_key, created_at) "
	          "VALUES ('feedfacefeedface', 'old-party', 'carrier', 'vn', 1, 0, randomblob(32), 0)");
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(verify(s, &sum), BF_EREJECTED);
	assert_int_equal(sum.bad.kind, BF_LF_RECORD);
	assert_string_equal(sum.bad.record, "key/feedfacefeedface");
	bf_store_close(s);
	sql(path, "INSERT INTO key_legacy (id) VALUES ('feedfacefeedface')");
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(verify(s, &sum), BF_OK);
	assert_int_equal(sum.legacy_keys, 1);
	bf_store_close(s);
	sql(path, "DELETE FROM key_legacy; DELETE FROM signing_key WHERE id = 'feedfacefeedface'");

	/* The old key, after its replacement (its secret as it was before). */
	rewrite(path, 12, "{}", old.secret_key, old.id);
	expect_fault(path, 12, BF_LF_KEY_NOT_IN_FORCE);
	/* The new key, on an event from before it was made. */
	rewrite(path, 12, "{}", rotated.secret_key, rotated.id);
	rewrite(path, 4, "{\"gate\":\"huu-nghi\"}", rotated.secret_key, rotated.id);
	expect_fault(path, 4, BF_LF_KEY_NOT_IN_FORCE);
	sodium_memzero(&old, sizeof(old));
	sodium_memzero(&rotated, sizeof(rotated));
}

static void test_tamper_role(void **state)
{
	(void)state;
	struct bf_store *s;
	struct bf_error err = {0};

	/* A carrier signs, with its own key, a call only the gate may make. */
	const char *path = fresh_log("role.db");
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.export_cleared", "consignment/c-1", "{}");
	bf_store_close(s);
	expect_fault(path, 11, BF_LF_TRANSITION);

	/* A step from a state the consignment is not in. */
	path = fresh_log("from.db");
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	add(s, "hn-gate", BF_ROLE_GATE_OPERATOR, "consignment.crossed", "consignment/c-1", "{}");
	bf_store_close(s);
	expect_fault(path, 11, BF_LF_TRANSITION);

	/* The carrier, holding its own secret, claims the gate's role. */
	path = fresh_log("claim.db");
	struct bf_signing_key carrier;
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	assert_int_equal(bf_store_key_current(s, "fruitco", "vn", &carrier, &err), 0);
	bf_store_close(s);
	sql(path, "UPDATE event SET role = 'gate_operator', party_id = 'fruitco' WHERE seq = 10");
	rewrite(path, 10, "{\"gate\":\"huu-nghi\"}", carrier.secret_key, carrier.id);
	expect_fault(path, 10, BF_LF_ROLE);
	sodium_memzero(&carrier, sizeof(carrier));

	/* A payload whose "from" is not where the consignment stands. */
	path = fresh_log("fromfield.db");
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.cancelled", "consignment/c-1", "{\"from\":\"waiting\"}");
	bf_store_close(s);
	expect_fault(path, 11, BF_LF_TRANSITION);

	/* A step on a consignment never declared. */
	path = fresh_log("undeclared.db");
	assert_int_equal(bf_store_open(path, &s, &err), 0);
	add(s, "node-operator", BF_ROLE_SYSTEM, "consignment.validated", "consignment/c-2", "{}");
	bf_store_close(s);
	expect_fault(path, 11, BF_LF_TRANSITION);

	/* A row written around the ledger. */
	path = fresh_log("unchained.db");
	sql(path, "INSERT INTO event (at, party_id, role, kind, subject, payload) "
	          "VALUES (1, 'fruitco', 'carrier', 'note', 'party/fruitco', '{}')");
	expect_fault(path, 11, BF_LF_UNCHAINED);
}

/* The system releases a booking it can keep no longer: booked (or
 * waiting) -> validated, its own step; not the carrier's, and not twice. */
static void test_release(void **state)
{
	(void)state;
	const char *path = tu_path(dir, "release.db");
	struct bf_store *s = open_node(path, "vn");
	struct bf_ledger_summary sum;
	add(s, "node-operator", BF_ROLE_SYSTEM, "party.created", "party/fruitco", "{\"id\":\"fruitco\"}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.declared", "consignment/c-1", "{\"id\":\"c-1\"}");
	add(s, "node-operator", BF_ROLE_SYSTEM, "consignment.validated", "consignment/c-1", "{}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.booked", "consignment/c-1", "{\"gate\":\"huu-nghi\"}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.checked_in", "consignment/c-1", "{\"gate\":\"huu-nghi\"}");
	add(s, "node-operator", BF_ROLE_SYSTEM, "booking.released", "consignment/c-1", "{\"gate\":\"huu-nghi\"}");
	/* Validated again: the carrier books anew. */
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.booked", "consignment/c-1", "{\"gate\":\"huu-nghi\"}");
	add(s, "node-operator", BF_ROLE_SYSTEM, "booking.released", "consignment/c-1", "{}");
	assert_int_equal(verify(s, &sum), BF_OK);
	assert_int_equal(sum.events, 10); /* and the events of the node's and fruitco's keys */
	/* Released from validated: nothing to release. */
	add(s, "node-operator", BF_ROLE_SYSTEM, "booking.released", "consignment/c-1", "{}");
	bf_store_close(s);
	expect_fault(path, 11, BF_LF_TRANSITION);

	/* A carrier signing a release. */
	path = tu_path(dir, "release-carrier.db");
	s = open_node(path, "vn");
	add(s, "node-operator", BF_ROLE_SYSTEM, "party.created", "party/fruitco", "{\"id\":\"fruitco\"}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.declared", "consignment/c-1", "{\"id\":\"c-1\"}");
	add(s, "node-operator", BF_ROLE_SYSTEM, "consignment.validated", "consignment/c-1", "{}");
	add(s, "fruitco", BF_ROLE_CARRIER, "consignment.booked", "consignment/c-1", "{}");
	add(s, "fruitco", BF_ROLE_CARRIER, "booking.released", "consignment/c-1", "{}");
	bf_store_close(s);
	expect_fault(path, 7, BF_LF_TRANSITION);
}

static void test_key_files(void **state)
{
	(void)state;
	struct bf_store *vn = open_node(tu_path(dir, "keys-vn.db"), "vn");
	struct bf_store *cn = open_node(tu_path(dir, "keys-cn.db"), "cn");
	struct bf_error err = {0};
	char *text;
	int added, known;

	make_history(vn);
	assert_int_equal(bf_ledger_keys_export(vn, &text, &err), 0);
	assert_null(strstr(text, "secret"));
	assert_int_equal(bf_ledger_keys_import(cn, text, strlen(text), &added, &known, &err), 0);
	assert_int_equal(added, 3); /* node-operator, fruitco, hn-gate */
	assert_int_equal(known, 0);
	assert_int_equal(bf_ledger_keys_import(cn, text, strlen(text), &added, &known, &err), 0);
	assert_int_equal(added, 0);
	assert_int_equal(known, 3);
	/* Its own keys are no peer's. */
	assert_int_equal(bf_ledger_keys_import(vn, text, strlen(text), &added, &known, &err), BF_EINVAL);
	assert_non_null(strstr(err.message, "keys[0].node"));
	/* The import pinned vn's node key on cn: a file with another node key
	 * of vn is refused, and pinning another by hand too. */
	char pin_hex[65];
	assert_int_equal(bf_store_pin_get(cn, "vn", pin_hex, sizeof(pin_hex), &err), 0);
	struct bf_signing_key vn_node;
	assert_int_equal(node_key(vn, &vn_node, &err), 0);
	char want_hex[65];
	sodium_bin2hex(want_hex, sizeof(want_hex), vn_node.public_key, 32);
	assert_string_equal(pin_hex, want_hex);
	unsigned char other[32];
	randombytes_buf(other, sizeof(other));
	assert_int_equal(pin(cn, "vn", other, &err), BF_ECONFLICT);
	struct bf_store *cn2 = open_node(tu_path(dir, "keys-cn2.db"), "cn");
	assert_int_equal(pin(cn2, "vn", other, &err), 0);
	assert_int_equal(bf_store_begin(cn2, &err), 0);
	assert_int_equal(bf_ledger_keys_import(cn2, text, strlen(text), &added, &known, &err), BF_ECONFLICT);
	bf_store_rollback(cn2);
	assert_non_null(strstr(err.message, "a node key is pinned once"));
	bf_store_close(cn2);

	/* An empty log verifies, with no keys and no events. */
	struct bf_store *empty = open_node(tu_path(dir, "keys-empty.db"), "th");
	struct bf_ledger_summary none;
	assert_int_equal(verify(empty, &none), BF_OK);
	assert_int_equal(none.events, 0);
	bf_store_close(empty);

	/* A bad file names what is wrong and registers nothing. */
	static const struct {
		const char *file, *says;
	} bad[] = {
	    {"{\"format\":", "line 1"},
	    {"[]", "one JSON object"},
	    {"{\"format\":\"x\",\"keys\":[]}", "format"},
	    {"{\"format\":\"borderflow-keys/1\",\"keys\":{}}", "keys: must be an array"},
	    {"{\"format\":\"borderflow-keys/1\",\"keys\":[{\"id\":\"00\",\"party\":\"p\",\"role\":\"carrier\","
	     "\"node\":\"th\",\"number\":1,\"from_seq\":0,\"public_key\":\"zz\",\"created_at\":\"2026-12-01T00:00:"
	     "00Z\"}]}",
	     "keys[0].public_key"},
	    {"{\"format\":\"borderflow-keys/1\",\"keys\":[{\"id\":\"00\",\"party\":\"p\",\"role\":\"carrier\","
	     "\"node\":\"th\",\"number\":1,\"from_seq\":0,\"public_key\":"
	     "\"0000000000000000000000000000000000000000000000000000000000000000\","
	     "\"created_at\":\"2026-12-01T00:00:00Z\"}]}",
	     "keys[0].id"},
	    {"{\"format\":\"borderflow-keys/1\",\"keys\":[{\"id\":\"00\",\"party\":\"p\",\"role\":\"king\"}]}",
	     "keys[0].node: is missing"},
	    {"{\"format\":\"borderflow-keys/1\",\"keys\":[{\"secret_key\":\"00\"}]}", "keys[0].secret_key"},
	    {"{\"format\":\"borderflow-keys/1\",\"keys\":[{\"id\":\"00\",\"party\":\"p\",\"role\":\"carrier\","
	     "\"node\":\"th\",\"number\":0,\"from_seq\":0,\"public_key\":\"00\",\"created_at\":\"x\"}]}",
	     "keys[0].number"},
	    {"{\"format\":\"borderflow-keys/1\",\"keys\":[{\"id\":\"00\",\"party\":\"p\",\"role\":\"king\","
	     "\"node\":\"th\",\"number\":1,\"from_seq\":0,\"public_key\":\"00\",\"created_at\":\"x\"}]}",
	     "keys[0].role"},
	};
	struct bf_store *th = open_node(tu_path(dir, "keys-zz.db"), "zz");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(bf_store_begin(th, &err), 0);
		int rc = bf_ledger_keys_import(th, bad[i].file, strlen(bad[i].file), &added, &known, &err);
		bf_store_rollback(th);
		assert_int_not_equal(rc, 0);
		if (strstr(err.message, bad[i].says) == NULL)
			fail_msg("file %zu: expected \"%s\" in \"%s\"", i, bad[i].says, err.message);
	}
	struct bf_signing_key *keys;
	size_t n;
	assert_int_equal(bf_store_keys_list(th, false, &keys, &n, &err), 0);
	assert_int_equal(n, 0);
	bf_store_keys_free(keys, n);
	free(text);
	bf_store_close(th);
	bf_store_close(vn);
	bf_store_close(cn);
}

/* Applies the events of ORIGIN's chain in FROM's log to TO, each sent
 * as JSON text and read back, as the feed carries them. */
static void apply_chain(struct bf_store *from, const char *origin, struct bf_store *to)
{
	struct bf_event *v;
	size_t n;
	struct bf_error err = {0};
	struct bf_ledger_fault f;
	assert_int_equal(bf_store_events_list(from, 0, 1000, &v, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].origin, origin) != 0)
			continue;
		json_t *j = bf_ledger_event_json(&v[i]);
		char *text = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		j = json_loads(text, 0, NULL);
		free(text);
		struct bf_event got;
		if (bf_ledger_event_parse(j, &got, &err) != 0)
			fail_msg("reading %s #%lld back: %s", v[i].origin, (long long)v[i].origin_seq, err.message);
		json_decref(j);
		assert_string_equal(got.payload, v[i].payload);
		assert_memory_equal(got.signature, v[i].signature, BF_EVENT_SIG_BYTES);
		int rc = apply_foreign(to, &got, &f, &err);
		free(got.payload);
		if (rc)
			fail_msg("applying %s #%lld: %s", v[i].origin, (long long)v[i].origin_seq, err.message);
	}
	bf_store_events_free(v, n);
}

/* A malformed event from a peer is refused with its field named. */
static void test_event_json(void **state)
{
	(void)state;
	struct bf_event e, got;
	struct bf_error err;
	sample_event(&e);
	e.seq = 12;
	e.signature[0] = 0xAB;
	strcpy(e.key_id, "0123456789abcdef");
	json_t *j = bf_ledger_event_json(&e);
	assert_int_equal(bf_ledger_event_parse(j, &got, &err), 0);
	assert_int_equal(got.seq, 12);
	assert_int_equal(got.at, e.at);
	assert_int_equal(got.role, BF_ROLE_CARRIER);
	assert_memory_equal(got.prev_hash, e.prev_hash, 32);
	assert_int_equal(got.signature[0], 0xAB);
	unsigned char h1[32], h2[32];
	bf_ledger_hash(&e, h1);
	bf_ledger_hash(&got, h2);
	assert_memory_equal(h1, h2, 32);
	free(got.payload);

	static const struct {
		const char *field, *value; /* JSON; NULL deletes the field */
	} bad[] = {
	    {"origin", "\"VN\""}, {"origin_seq", "0"},       {"origin_seq", "\"3\""}, {"at", "\"2026-12-01T00:00\""},
	    {"role", "\"king\""}, {"payload", "{}"},         {"prev_hash", "\"00\""}, {"signature", "\"zz\""},
	    {"hash", NULL},       {"kind", "\"" /* long */}, {"extra", "1"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *c = json_deep_copy(j);
		if (bad[i].value == NULL) {
			json_object_del(c, bad[i].field);
		} else if (strcmp(bad[i].value, "\"") == 0) {
			char longer[200];
			memset(longer, 'k', sizeof(longer) - 1);
			longer[sizeof(longer) - 1] = '\0';
			json_object_set_new(c, bad[i].field, json_string(longer));
		} else {
			json_object_set_new(c, bad[i].field, json_loads(bad[i].value, JSON_DECODE_ANY, NULL));
		}
		memset(&err, 0, sizeof(err));
		assert_int_equal(bf_ledger_event_parse(c, &got, &err), BF_EINVAL);
		if (strcmp(err.field, bad[i].field) != 0)
			fail_msg("case %zu: expected field %s, got %s (%s)", i, bad[i].field, err.field, err.message);
		json_decref(c);
	}
	json_decref(j);
}

static void test_foreign_events(void **state)
{
	(void)state;
	struct bf_store *vn = open_node(tu_path(dir, "peer-vn.db"), "vn");
	struct bf_store *cn = open_node(tu_path(dir, "peer-cn.db"), "cn");
	struct bf_error err = {0};
	struct bf_ledger_fault f;
	struct bf_ledger_summary sum;
	struct bf_event *v;
	size_t n;
	char *text;
	int added, known;

	/* cn declares and moves a consignment of its own; vn knows its keys. */
	add(cn, "cn-carrier", BF_ROLE_CARRIER, "consignment.declared", "consignment/c-9", "{}");
	add(cn, "node-operator", BF_ROLE_SYSTEM, "consignment.validated", "consignment/c-9",
	    "{\"from\":\"declared\",\"to\":\"validated\"}");
	add(cn, "cn-carrier", BF_ROLE_CARRIER, "consignment.booked", "consignment/c-9", "{}");
	add(cn, "cn-carrier", BF_ROLE_CARRIER, "consignment.checked_in", "consignment/c-9", "{}");
	make_history(vn);
	assert_int_equal(bf_ledger_keys_export(cn, &text, &err), 0);
	assert_int_equal(bf_ledger_keys_import(vn, text, strlen(text), &added, &known, &err), 0);
	free(text);
	assert_int_equal(bf_store_events_list(cn, 0, 100, &v, &n, &err), 0);
	assert_int_equal(n, 6); /* the node key's event, cn-carrier's key's, and four moves */
	struct bf_event *c = v + 2;

	/* Out of order: #2 before #1. */
	assert_int_equal(apply_foreign(vn, &v[1], &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_SEQUENCE);
	assert_int_equal(f.origin_seq, 2);
	/* In order, each is taken; the same again is a duplicate. */
	assert_int_equal(apply_foreign(vn, &v[0], &f, &err), 0);
	assert_int_equal(apply_foreign(vn, &v[0], &f, &err), BF_ECONFLICT);
	assert_int_equal(f.kind, BF_LF_DUPLICATE);
	assert_int_equal(apply_foreign(vn, &v[1], &f, &err), 0);
	assert_int_equal(apply_foreign(vn, &c[0], &f, &err), 0);
	/* An edited one is refused, then the true one taken. */
	struct bf_event forged = c[1];
	forged.payload = (char *)"{\"from\":\"declared\",\"to\":\"rejected\"}";
	assert_int_equal(apply_foreign(vn, &forged, &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_HASH);
	bf_ledger_hash(&forged, forged.hash);
	assert_int_equal(apply_foreign(vn, &forged, &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_SIGNATURE);
	/* A precheck that says the forgery holds, made with another key than
	 * the one in force (a key replaced between the two), is not trusted:
	 * the signature is checked again with the key in force. */
	struct bf_ledger_checked stale = {.done = true, .hash_ok = true, .sig_ok = true};
	randombytes_buf(stale.public_key, sizeof(stale.public_key));
	assert_int_equal(bf_store_begin(vn, &err), 0);
	assert_int_equal(bf_ledger_apply_foreign(vn, &forged, &stale, &f, &err), BF_EREJECTED);
	bf_store_rollback(vn);
	assert_int_equal(f.kind, BF_LF_SIGNATURE);
	assert_int_equal(apply_foreign(vn, &c[1], &f, &err), 0);
	/* The carrier's own key, on a step only the gate may take. */
	struct bf_signing_key carrier;
	assert_int_equal(bf_store_key_current(cn, "cn-carrier", "cn", &carrier, &err), 0);
	forged = c[2];
	strcpy(forged.kind, "consignment.called");
	bf_ledger_hash(&forged, forged.hash);
	crypto_sign_detached(forged.signature, NULL, forged.hash, 32, carrier.secret_key);
	sodium_memzero(&carrier, sizeof(carrier));
	assert_int_equal(apply_foreign(vn, &forged, &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_TRANSITION);
	assert_int_equal(apply_foreign(vn, &c[2], &f, &err), 0);
	assert_int_equal(apply_foreign(vn, &c[3], &f, &err), 0);
	bf_store_events_free(v, n);

	/* vn's own chain is not taken back from a peer. */
	assert_int_equal(bf_store_events_list(vn, 0, 1, &v, &n, &err), 0);
	assert_int_equal(apply_foreign(vn, &v[0], &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_OWN_ORIGIN);
	/* Nor by cn before it pins vn's node key, nor on another pin. */
	assert_string_equal(v[0].kind, BF_KEY_MADE);
	assert_int_equal(apply_foreign(cn, &v[0], &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_KEY_UNKNOWN);
	assert_non_null(strstr(f.reason, "not pinned here"));
	unsigned char other[32];
	randombytes_buf(other, sizeof(other));
	assert_int_equal(pin(cn, "vn", other, &err), 0);
	assert_int_equal(apply_foreign(cn, &v[0], &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_KEY_MISMATCH);
	bf_store_events_free(v, n);

	/* Both chains verify on vn; cn, once it pins vn's node key, learns
	 * every other key of vn from vn's chain and holds the same chains,
	 * with the same hashes, and the same key table. */
	assert_int_equal(verify(vn, &sum), BF_OK);
	assert_int_equal(sum.events, 16);
	assert_int_equal(sum.chains, 2);
	struct bf_signing_key vn_node;
	assert_int_equal(node_key(vn, &vn_node, &err), 0);
	assert_int_equal(pin(cn, "vn", vn_node.public_key, &err), 0);
	apply_chain(vn, "vn", cn);
	/* Pinned once: another key is refused now that vn's is registered. */
	assert_int_equal(pin(cn, "vn", other, &err), BF_ECONFLICT);
	assert_int_equal(pin(cn, "vn", vn_node.public_key, &err), 0);
	assert_int_equal(pin(cn, "cn", vn_node.public_key, &err), BF_EINVAL);
	struct bf_signing_key *ka, *kb;
	size_t na, nb;
	assert_int_equal(bf_store_keys_list(vn, false, &ka, &na, &err), 0);
	assert_int_equal(bf_store_keys_list(cn, false, &kb, &nb, &err), 0);
	assert_int_equal(na, 5); /* vn's node-operator, fruitco, hn-gate; cn's node-operator, cn-carrier */
	assert_int_equal(nb, na);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(ka[i].id, kb[i].id);
		assert_int_equal(ka[i].from_seq, kb[i].from_seq);
	}
	bf_store_keys_free(ka, na);
	bf_store_keys_free(kb, nb);
	assert_int_equal(verify(cn, &sum), BF_OK);
	assert_int_equal(sum.chains, 2);
	for (int o = 0; o < 2; o++) {
		const char *origin = o ? "cn" : "vn";
		int64_t seq_a, seq_b;
		unsigned char ha[32], hb[32];
		assert_int_equal(bf_store_chain_head(vn, origin, &seq_a, ha, &err), 0);
		assert_int_equal(bf_store_chain_head(cn, origin, &seq_b, hb, &err), 0);
		assert_int_equal(seq_a, seq_b);
		assert_memory_equal(ha, hb, 32);
	}

	/* cn rotates its carrier's key; vn, told of it by cn's chain, refuses
	 * what the old key signs after the rotation. */
	struct bf_signing_key old, rotated;
	assert_int_equal(bf_store_key_current(cn, "cn-carrier", "cn", &old, &err), 0);
	assert_int_equal(key_new(cn, "cn-carrier", 1764547200, &rotated, &err), 0);
	add(cn, "cn-carrier", BF_ROLE_CARRIER, "consignment.cancelled", "consignment/c-9", "{}");
	/* The old secret is erased on cn. */
	struct bf_signing_key retired;
	assert_int_equal(bf_store_key_numbered(cn, "cn-carrier", "cn", 1, &retired, &err), 0);
	assert_false(retired.has_secret);
	struct bf_event made;
	assert_int_equal(bf_store_chain_event(cn, "cn", 7, &made, &err), 0);
	assert_string_equal(made.kind, BF_KEY_MADE);
	assert_int_equal(apply_foreign(vn, &made, &f, &err), 0);
	free(made.payload);
	struct bf_event fifth;
	assert_int_equal(bf_store_chain_event(cn, "cn", 8, &fifth, &err), 0);
	assert_string_equal(fifth.key_id, rotated.id);
	forged = fifth;
	crypto_sign_detached(forged.signature, NULL, forged.hash, 32, old.secret_key);
	memcpy(forged.key_id, old.id, sizeof(forged.key_id));
	assert_int_equal(apply_foreign(vn, &forged, &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_KEY_NOT_IN_FORCE);
	assert_int_equal(f.origin_seq, 8);
	/* A number at the end of the range is a gap like any other. */
	forged = fifth;
	forged.origin_seq = INT64_MAX;
	bf_ledger_hash(&forged, forged.hash);
	assert_int_equal(apply_foreign(vn, &forged, &f, &err), BF_EREJECTED);
	assert_int_equal(f.kind, BF_LF_SEQUENCE);
	assert_int_equal(apply_foreign(vn, &fifth, &f, &err), 0);
	free(fifth.payload);
	sodium_memzero(&old, sizeof(old));
	assert_int_equal(verify(vn, &sum), BF_OK);
	assert_int_equal(sum.events, 18);
	bf_store_close(vn);
	bf_store_close(cn);
}

/* A signed head is taken only with the node key in force at its number:
 * a head signed with a retired node key, after it was retired, is not. */
static void test_head_keys(void **state)
{
	(void)state;
	struct bf_store *s = open_node(tu_path(dir, "heads.db"), "vn");
	struct bf_error err = {0};
	struct bf_signing_key old, rotated;
	struct bf_ledger_head h1, h2, forged;
	make_history(s);
	assert_int_equal(bf_store_key_current(s, "node-operator", "vn", &old, &err), 0);
	assert_int_equal(bf_ledger_head_sign(s, &h1, &err), 0);
	assert_string_equal(h1.key_id, old.id);
	assert_int_equal(key_new(s, "node-operator", 1764547200, &rotated, &err), 0);
	assert_int_equal(bf_ledger_head_sign(s, &h2, &err), 0);
	assert_string_equal(h2.key_id, rotated.id);
	assert_int_equal(h2.origin_seq, h1.origin_seq + 1); /* the event that made the new key */
	assert_true(bf_ledger_head_verify(s, &h1));
	assert_true(bf_ledger_head_verify(s, &h2));
	/* The old key, which made the new key's event and was then retired,
	 * signing the head that includes that event. */
	forged = h2;
	char hex[65], msg[256];
	sodium_bin2hex(hex, sizeof(hex), forged.hash, 32);
	int len = snprintf(msg, sizeof(msg), "borderflow head v1\n%s\n%lld\n%s\n%lld\n", forged.origin,
	                   (long long)forged.origin_seq, hex, (long long)forged.at);
	crypto_sign_detached(forged.signature, NULL, (const unsigned char *)msg, (unsigned long long)len,
	                     old.secret_key);
	strcpy(forged.key_id, old.id);
	assert_false(bf_ledger_head_verify(s, &forged));
	/* The same signature over the head before, which it was in force for,
	 * holds: the message is what was signed. */
	forged.origin_seq = h1.origin_seq;
	memcpy(forged.hash, h1.hash, 32);
	forged.at = h1.at;
	sodium_bin2hex(hex, sizeof(hex), forged.hash, 32);
	len = snprintf(msg, sizeof(msg), "borderflow head v1\n%s\n%lld\n%s\n%lld\n", forged.origin,
	               (long long)forged.origin_seq, hex, (long long)forged.at);
	crypto_sign_detached(forged.signature, NULL, (const unsigned char *)msg, (unsigned long long)len,
	                     old.secret_key);
	assert_true(bf_ledger_head_verify(s, &forged));
	sodium_memzero(&old, sizeof(old));
	bf_store_close(s);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	dir = tu_tmpdir("ledger");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encoding),       cmocka_unit_test(test_append_and_verify),
	    cmocka_unit_test(test_tamper_payload), cmocka_unit_test(test_tamper_delete),
	    cmocka_unit_test(test_tamper_swap),    cmocka_unit_test(test_tamper_signature),
	    cmocka_unit_test(test_rotation),       cmocka_unit_test(test_tamper_role),
	    cmocka_unit_test(test_release),        cmocka_unit_test(test_key_files),
	    cmocka_unit_test(test_event_json),     cmocka_unit_test(test_foreign_events),
	    cmocka_unit_test(test_head_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
