/* The ledger: every event hash-chained and signed by the party that
 * authored it, so that either side can check the whole history.
 *
 * Nodes and chains. Each side runs its own node ("vn", "cn": 1 to 16 of
 * a-z, 0-9 and '-', starting with a letter) with its own database; the
 * node's id is kept in the database (meta key "node") and set once: by the
 * first command run on it with `--node`, or else to "vn" by the first event
 * it records or key it makes. It never changes after, since its chain is
 * named by it. Every event names its ORIGIN, the node that recorded it
 * first, and its ORIGIN_SEQ, its number in that origin's chain from 1.
 * There is one chain per origin: an event's prev_hash is the
 * hash of the event numbered origin_seq - 1 of the same origin (32 zero
 * bytes for the first). A node appends only to its own chain; a peer's
 * events keep their origin and number when applied here
 * (bf_ledger_apply_foreign), so that both nodes hold the same chains,
 * event for event and hash for hash, whatever order they interleave in
 * the local `seq`. The local seq is no part of what is hashed.
 *
 * The canonical encoding, from which the hash is taken. Fields in this
 * order; a text or bytes field is its length as a 4-byte big-endian
 * unsigned integer followed by its bytes (text in UTF-8, no terminator); an
 * integer is 8 bytes, big-endian two's complement, with no length:
 *
 *   1. text    "borderflow/event/1"  (the encoding's name and version)
 *   2. text    origin                ("vn")
 *   3. integer origin_seq
 *   4. integer at                    (UTC seconds)
 *   5. text    party_id
 *   6. text    role                  (its name: "carrier", "system", ...)
 *   7. text    kind                  ("consignment.booked")
 *   8. text    subject               ("consignment/c-...")
 *   9. text    payload               (the canonical JSON as stored)
 *  10. bytes   prev_hash             (always 32 bytes)
 *
 * hash = BLAKE2b-256 of those bytes, unkeyed (crypto_generichash, 32 bytes);
 * signature = Ed25519 (crypto_sign_detached) of the 32-byte hash by the
 * author's secret key. The key's id, stored beside the signature, is the
 * hex of the first 8 bytes of BLAKE2b-256 of the public key: it names the
 * key and cannot point at another one.
 *
 * Keys. A signing key belongs to one party, acting in one role, on one node
 * (table signing_key). The node holds the secret keys of its own parties,
 * in its database: whoever copies the database file can sign as them, so it
 * must be kept as closely as the keys themselves. A party's keys on a node
 * are numbered from 1, and each records FROM_SEQ: key N signs the events of
 * that node's chain numbered above its from_seq and up to key N+1's
 * from_seq. A party with no key on this node gets one the first time it
 * authors an event, in the same transaction; `keys new` rotates a party's
 * key: what follows is signed with the new key, the old one stays
 * registered so that the events it signed still verify, its secret is
 * erased, and an event it signs after the rotation fails.
 *
 * Keys on the chain. Every key a node makes is an event of its chain: kind
 * "key.made", subject "key/ID", by the node operator (BF_NODE_OPERATOR_ID)
 * in the system role, its payload the key's public half as `keys export`
 * writes it (id, party, role, node, number, from_seq, public_key,
 * created_at: the event's time). The node operator's first key is the
 * NODE KEY: it is made with the node's first event, which it signs itself
 * (its from_seq is the number before that event). Every other key is made
 * by an event signed with the node operator's key in force, and signs from
 * the event after it (its from_seq is that event's number), so that a peer
 * that holds a node's node key learns each of its later keys, rotations
 * and new parties alike, from the chain itself. The node key is the trust
 * root: pinned once on the peer, out of band (`serve --peer-key` with the
 * hex `keys node` prints; a `keys import` of the node's file pins it too),
 * and given to `verify --pin`, which then trusts no key table: a key row no
 * event makes, or one that differs from its event, is named.
 *
 * What verification checks, in this order, for each event of each chain:
 * the hash over the encoding (an edited field), origin_seq is the next of
 * its chain (a removed, reordered or repeated event), prev_hash is the
 * previous event's hash, the key is registered and is the author's on the
 * event's origin, the signature, the key is in force at that point of the
 * chain, the event's role is the key's, and for a consignment the
 * transition is one the lifecycle table (model/lifecycle.c) gives that
 * role, from the state the consignment's earlier events left it in. Which
 * events move a consignment (subject "consignment/ID"), so that a new
 * decision is named consignment.<the state it leads to>:
 *   consignment.declared          creates it, declared (a carrier's)
 *   consignment.STATE             moves it to STATE, for any state name
 *                                 (consignment.validated, .booked, .called,
 *                                 .export_cleared, .held, .inspection, ...)
 *   consignment.checked_in        to waiting
 *   booking.cancelled             to validated (the slot given up)
 *   booking.released              to validated, from booked or waiting:
 *                                 the system's, when no slot is left in
 *                                 time (bf_transition_release_check)
 *   booking.moved, booking.missed the system's rebooking: booked -> booked
 *                                 while booked; the system's alone
 * A payload's "from" and "to" fields, where present, must name the same
 * states. Other kinds on a consignment change no state.
 *
 * Threads: the functions take one store connection and run within the
 * caller's transaction where they write; none keeps state between calls. */
#ifndef BF_LEDGER_LEDGER_H
#define BF_LEDGER_LEDGER_H

#include "model/error.h"
#include "model/event.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BF_LEDGER_DEFAULT_NODE "vn"
#define BF_LEDGER_ENCODING     "borderflow/event/1"
/* The party that signs the node's own steps, in the system role. */
#define BF_NODE_OPERATOR_ID    "node-operator"

/* 0 when NODE is a well-formed node id, else BF_EINVAL naming "node". */
int bf_ledger_node_check(const char *node, struct bf_error *err);

/* Writes E's canonical encoding into BUF (CAP bytes; BUF may be NULL when
 * CAP is 0) and returns its full length, which may exceed CAP, as
 * snprintf does. E->payload NULL encodes as "{}". */
size_t bf_ledger_encode(const struct bf_event *e, unsigned char *buf, size_t cap);
/* BLAKE2b-256 of E's canonical encoding. */
void bf_ledger_hash(const struct bf_event *e, unsigned char out[BF_EVENT_HASH_BYTES]);
/* The key id of PUBLIC_KEY (BF_KEY_ID_MAX hex digits). */
void bf_ledger_key_id(const unsigned char public_key[BF_PUBLIC_KEY_BYTES], char out[BF_KEY_ID_MAX + 1]);

/* How far an event's time may be from its neighbours': no event is dated
 * more than this before the previous event of its chain, and no node
 * takes one dated more than this ahead of its own clock. It is a rule of
 * the chain, the same on both nodes (a node that allowed more would sign
 * events its peer refuses), so it is not a node's option. Seconds. */
#define BF_LEDGER_CLOCK_TOLERANCE (5 * 60)

/* 0 when an event dated AT may follow one dated PREV_AT in its chain (no
 * previous event: PREV_AT is BF_LEDGER_NO_TIME) and may be taken by a node
 * whose clock reads NOW (BF_LEDGER_NO_TIME: not checked); else nonzero
 * with the reason in WHY. */
#define BF_LEDGER_NO_TIME INT64_MIN
int bf_ledger_time_check(bf_time at, bf_time prev_at, bf_time now, char *why, size_t cap);

/* Appends E, authored by E->party_id in role E->role, to this node's
 * chain, within the caller's transaction: sets origin, origin_seq,
 * prev_hash, hash, key_id, signature and seq. The author's key is made
 * here if it has none. BF_ECONFLICT if the author's key is for another
 * role, and on field "time" if E is dated more than
 * BF_LEDGER_CLOCK_TOLERANCE before the chain's last event (this node's
 * clock went back: nothing is signed until it is right). Transitions are
 * not checked here: the service checks them before it writes, and
 * verification checks them again. */
int bf_ledger_append(struct bf_store *s, struct bf_event *e, struct bf_error *err);

/* Makes a new signing key for PARTY_ID on this node (a first key or a
 * rotation) and copies it, without its secret, to *OUT. The party's role is
 * its current key's, else the party's record's; the node operator's is
 * "system". BF_ENOTFOUND for a party this node does not know. */
int bf_ledger_key_new(struct bf_store *s, const char *party_id, bf_time now, struct bf_signing_key *out,
                      struct bf_error *err);

#define BF_KEY_MADE "key.made"

/* This node's node key (its node operator's key 1), made with its event
 * if the node has none yet; no secret in *OUT. */
int bf_ledger_node_key(struct bf_store *s, bf_time now, struct bf_signing_key *out, struct bf_error *err);

/* Pins NODE's node key here: NODE's chain is taken from the peer only if
 * its node key is PUBLIC_KEY. BF_EINVAL on field "node" for this node's
 * own id; BF_ECONFLICT naming "pin" when another node key of NODE is
 * registered here already. Pinning the same key again changes nothing.
 * A node key that `keys import` registers is pinned this way too, and a
 * file whose node key is not the one pinned is refused. */
int bf_ledger_pin(struct bf_store *s, const char *node, const unsigned char public_key[BF_PUBLIC_KEY_BYTES],
                  struct bf_error *err);

/* Key K's public half as a JSON object, as `keys export` and a key.made
 * event carry it. A new reference. */
json_t *bf_ledger_key_json(const struct bf_signing_key *k);
/* Whether A and B are the same key as registered: party, role, node,
 * number, from_seq and public key (secrets and times aside). */
bool bf_ledger_key_same(const struct bf_signing_key *a, const struct bf_signing_key *b);
/* Reads such an object J into *OUT, strictly (no secret, no unknown
 * field, the id its public key's); an error names WHERE and the field
 * ("keys[2].public_key"). */
int bf_ledger_key_parse(json_t *j, const char *where, struct bf_signing_key *out, struct bf_error *err);
/* The key that key.made event E makes, read from its payload and checked
 * against E: its subject names it, it is a key of E's origin, E is by the
 * node operator in the system role, dated when the key was made, and
 * from_seq is as said above (the node key signs E; no other key signs the
 * event that makes it). BF_EINVAL naming the field otherwise. */
int bf_ledger_key_event_parse(const struct bf_event *e, struct bf_signing_key *out, struct bf_error *err);

/* The public keys of this node's parties as JSON text, for the peer:
 *   {"format":"borderflow-keys/1","node":"vn","keys":[{"id":"…","party":"…",
 *    "role":"carrier","node":"vn","number":1,"from_seq":0,
 *    "public_key":"<64 hex>","created_at":"…Z"}]}
 * *OUT is the caller's to free. */
int bf_ledger_keys_export(struct bf_store *s, char **out, struct bf_error *err);
/* Registers a peer's public keys from TEXT (LEN bytes, at most 1 MiB), as
 * written by bf_ledger_keys_export on the peer, within the caller's
 * transaction: all or none. Keys of this node's own id, secrets, a key id
 * that is not its public key's, a known id with other contents: refused,
 * with the field named ("keys[2].public_key"). *ADDED and *KNOWN count the
 * keys new here and those already registered. */
int bf_ledger_keys_import(struct bf_store *s, const char *text, size_t len, int *added, int *known,
                          struct bf_error *err);

/* A stored event as JSON for a peer's feed: {"seq", "origin",
 * "origin_seq", "at" (UTC, "2026-12-01T00:00:00Z"), "party", "role",
 * "kind", "subject", "payload" (the exact text that was hashed, as a
 * string), "prev_hash", "hash" (64 hex digits), "key_id", "signature" (128
 * hex digits)}. "seq" is the sender's local order. A new reference. */
json_t *bf_ledger_event_json(const struct bf_event *e);
/* Reads such an object into *OUT, strictly: an unknown or missing field,
 * a wrong type, a value out of range or over its size is refused with the
 * field named (ERR->field). OUT->payload is the caller's to free(), set
 * only on success. It checks the form only: bf_ledger_apply_foreign()
 * checks the rest. */
int bf_ledger_event_parse(json_t *j, struct bf_event *out, struct bf_error *err);

/* Why an event fails. */
enum bf_ledger_fault_kind {
	BF_LF_NONE,
	BF_LF_UNCHAINED,        /* no origin: written before the ledger or around it */
	BF_LF_MALFORMED,        /* a field out of range (role, origin, number, payload) */
	BF_LF_HASH,             /* its fields do not give its hash: edited */
	BF_LF_SEQUENCE,         /* not the next of its chain: one removed, reordered or repeated */
	BF_LF_LINK,             /* prev_hash is not the previous event's hash */
	BF_LF_KEY_UNKNOWN,      /* signed with a key not registered here */
	BF_LF_KEY_MISMATCH,     /* signed with a key registered to another party or node */
	BF_LF_SIGNATURE,        /* the signature does not verify */
	BF_LF_KEY_NOT_IN_FORCE, /* signed with a key before it was made or after it was replaced */
	BF_LF_ROLE,             /* the event's role is not its author's */
	BF_LF_TRANSITION,       /* the lifecycle does not give the author this step */
	BF_LF_OWN_ORIGIN,       /* from a peer, but of this node's own chain */
	BF_LF_DUPLICATE,        /* from a peer, and already applied, identical */
	BF_LF_TIME,             /* dated before its chain's last event, or ahead of the taker's clock */
	BF_LF_RECORD,           /* a record the log does not give: edited, added or removed around it */
};
/* A short name for KIND ("hash", "sequence", ...). */
const char *bf_ledger_fault_name(enum bf_ledger_fault_kind kind);

struct bf_ledger_fault {
	enum bf_ledger_fault_kind kind;
	int64_t seq; /* the event's place in this node's log; 0 for one not stored */
	char origin[BF_NODE_ID_MAX + 1];
	int64_t origin_seq;
	char event_kind[BF_EVENT_KIND_MAX + 1];
	char reason[320]; /* a sentence naming what is wrong */
	char record[64];  /* BF_LF_RECORD: the record, "consignment/c-..." */
};

#define BF_LEDGER_ROOTS 8
struct bf_ledger_summary {
	long events;                /* events checked (all of them on a clean log) */
	int chains;                 /* origins seen */
	long disputed;              /* events this node disputes: held, their moves not replayed */
	struct bf_ledger_fault bad; /* the first failing event; kind BF_LF_NONE when clean */
	long legacy_keys;           /* keys registered before keys were events (migration 18), taken as held */
	int roots;                  /* chains whose node key was met, at most BF_LEDGER_ROOTS listed: */
	struct bf_ledger_root {
		char origin[BF_NODE_ID_MAX + 1];
		char key_id[BF_KEY_ID_MAX + 1];
		bool pinned; /* checked against a pin given to verify */
	} root[BF_LEDGER_ROOTS];
};

/* A node key the caller holds, out of the file verify reads. */
struct bf_ledger_pin {
	char node[BF_NODE_ID_MAX + 1];
	unsigned char public_key[BF_PUBLIC_KEY_BYTES];
};

/* Replays the whole log in local order and checks every event as said
 * above, then the key table against the key.made events: each key that
 * signs in the chains read is made by its event, as registered, and each
 * key an event makes is registered (a peer's key imported ahead of its
 * event is left until the event comes; a fault of kind BF_LF_RECORD names
 * "key/ID"). BF_OK on a clean log; BF_EREJECTED at the first failing event,
 * described in OUT->bad (and ERR); another code if the store fails. Reads
 * without a transaction, so it can run beside a live node. */
int bf_ledger_verify(struct bf_store *s, struct bf_ledger_summary *out, struct bf_error *err);

/* As bf_ledger_verify(), with the hashes and signatures (independent of
 * one another) checked on THREADS threads, or one per core if THREADS is
 * 0 or less; what it finds does not depend on THREADS. */
int bf_ledger_verify_on(struct bf_store *s, int threads, struct bf_ledger_summary *out, struct bf_error *err);

/* As bf_ledger_verify_on(), then the consignment records against the
 * log: each record is of a consignment the log declares, in the state its
 * moves leave it in (the events this node disputes aside), and each
 * consignment the log declares has its record. A record that differs is
 * named (OUT->bad.record, kind BF_LF_RECORD, ERR's field "record") unless
 * it and the log, read again, agree (a write committed while verify ran,
 * on a live node). The N_PINS PINS are node keys the caller holds: a
 * chain whose node key is another is refused (BF_LF_KEY_MISMATCH). */
int bf_ledger_verify_records(struct bf_store *s, int threads, const struct bf_ledger_pin *pins, size_t n_pins,
                             struct bf_ledger_summary *out, struct bf_error *err);

/* The threads verification uses when asked for ASKED (0: one per core). */
int bf_ledger_threads(int asked);

/* The quick check a node makes of its log as it starts: each chain has
 * as many events as its last number says (none removed), and its LAST
 * last events verify as bf_ledger_verify() checks them, transitions
 * aside (those need the whole log). BF_OK, BF_EREJECTED at the first
 * failure (OUT->bad and ERR), or another code if the store fails. */
int bf_ledger_check_ends(struct bf_store *s, int last, struct bf_ledger_summary *out, struct bf_error *err);

/* The state event E moves its consignment to, as verification reads it:
 * an enum bf_state, -1 for an event that moves none, or BF_ST_COUNT for a
 * rebooking (no change of state). */
int bf_ledger_event_state(const struct bf_event *e);

/* What was found of one event's hash and signature ahead of the checks
 * that need the chain's order, which read it instead of checking again:
 * DONE when a key was found for it, PUBLIC_KEY that key, HASH_OK whether
 * its fields give its hash, SIG_OK whether its signature verifies with
 * PUBLIC_KEY. The ordered check uses SIG_OK only if the key it finds in
 * force is PUBLIC_KEY, and checks again in place otherwise. */
struct bf_ledger_checked {
	bool done, hash_ok, sig_ok;
	unsigned char public_key[BF_PUBLIC_KEY_BYTES];
};

/* Checks ahead of an apply: while the caller applies the N EVENTS in
 * order, THREADS - 1 helper threads (THREADS 0 or less: one per core)
 * check the hashes and signatures of the events ahead of it, with the
 * keys registered here under their key ids, looked up first, here. EVENTS
 * must stay as they are until bf_ledger_checker_free(). BF_OK, or a store
 * error. */
struct bf_ledger_checker;
int bf_ledger_checker_start(struct bf_store *s, const struct bf_event *events, size_t n, int threads,
                            struct bf_ledger_checker **out, struct bf_error *err);
/* What was found of event I (NULL if I is not below N): if no helper has
 * checked it yet, the caller checks the events not yet taken, in order,
 * until it is. */
const struct bf_ledger_checked *bf_ledger_checker_get(struct bf_ledger_checker *c, size_t i);
/* Waits until the helpers have checked every event. */
void bf_ledger_checker_join(struct bf_ledger_checker *c);
/* Stops the helpers where they are, waits for them, and frees C. */
void bf_ledger_checker_free(struct bf_ledger_checker *c);

/* Checks one event E received from a peer, as verification would,
 * against this database: its origin is not this node, it is the next of
 * its chain here, its hash, the imported key of its author on its origin,
 * its signature and role, and its transition from the consignment's state
 * as the log here leaves it. Appends it within the caller's transaction
 * (E->seq is set) when all hold. BF_EREJECTED with FAULT filled when one
 * fails; BF_ECONFLICT with FAULT->kind BF_LF_DUPLICATE when the same event
 * is here already (a page fetched twice), which the caller may skip.
 * Applying the event's effect to the consignment records is the caller's.
 * PRE, if not NULL, is what a bf_ledger_checker found of E. */
int bf_ledger_apply_foreign(struct bf_store *s, struct bf_event *e, const struct bf_ledger_checked *pre,
                            struct bf_ledger_fault *fault, struct bf_error *err);

/* As bf_ledger_apply_foreign(), for an event this node disputes
 * (model/dispute.h): every check of its integrity (origin, place in its
 * chain, hash, link, time, key, signature, role) but not its move, which
 * has no effect here. The caller records the dispute in the same
 * transaction: from then on the log here, as bf_ledger_verify() and this
 * node's later checks read it, skips that event's move. */
int bf_ledger_apply_disputed(struct bf_store *s, struct bf_event *e, const struct bf_ledger_checked *pre,
                             struct bf_ledger_fault *fault, struct bf_error *err);

/* As bf_ledger_apply_foreign(), for an event of this node's own chain
 * that its database lacks and its peer holds (a database restored from a
 * backup, or cut short): the same checks, with the keys this database
 * holds for its own parties; BF_EREJECTED with FAULT filled when E is not
 * of this node's chain or one fails (a key made after the backup, which
 * this database no longer has, among them). */
int bf_ledger_apply_own(struct bf_store *s, struct bf_event *e, const struct bf_ledger_checked *pre,
                        struct bf_ledger_fault *fault, struct bf_error *err);

/* Whether E is validly signed as it stands: its fields give its hash, and
 * its signature verifies with the key registered here under its key id,
 * a key of its author on its origin. Its place in the chain is not
 * checked: this is what makes two events under one number a fork (both
 * signed), not a forgery. Writes nothing. */
bool bf_ledger_event_signed(struct bf_store *s, const struct bf_event *e);

/* A node's signed head (ledger/head.c): how far its own chain goes, its
 * last event's number, hash and time, signed with its node operator's key
 * (BF_NODE_OPERATOR_ID). */
struct bf_ledger_head {
	char origin[BF_NODE_ID_MAX + 1];
	int64_t origin_seq;
	unsigned char hash[BF_EVENT_HASH_BYTES];
	bf_time at;
	char key_id[BF_KEY_ID_MAX + 1];
	unsigned char signature[64];
};
/* This node's head, signed; BF_ENOTFOUND when its chain is empty or its
 * node operator has no key yet. */
int bf_ledger_head_sign(struct bf_store *s, struct bf_ledger_head *out, struct bf_error *err);
/* Whether H is signed by the node operator's key of H->origin registered
 * here that is in force at H's number: made at or before it, and not
 * retired by a newer node key at or before it. */
bool bf_ledger_head_verify(struct bf_store *s, const struct bf_ledger_head *h);
/* H as a feed page carries it, and back (BF_EINVAL on field "head"). */
json_t *bf_ledger_head_json(const struct bf_ledger_head *h);
int bf_ledger_head_parse(json_t *j, struct bf_ledger_head *out, struct bf_error *err);

#endif
