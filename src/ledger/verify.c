/* Verification of the ledger: the whole log replayed in order, and one
 * event from a peer checked before it is applied (rules in ledger.h). */
#include "ledger/ledger.h"
#include "store/store_dispute.h"

#include <jansson.h>
#include <pthread.h>
#include <sched.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE        4096
#define THREADS_MAX 64

static const char *const fault_names[] = {
    [BF_LF_NONE] = "none",
    [BF_LF_UNCHAINED] = "unchained",
    [BF_LF_MALFORMED] = "malformed",
    [BF_LF_HASH] = "hash",
    [BF_LF_SEQUENCE] = "sequence",
    [BF_LF_LINK] = "link",
    [BF_LF_KEY_UNKNOWN] = "unknown key",
    [BF_LF_KEY_MISMATCH] = "key of another",
    [BF_LF_SIGNATURE] = "signature",
    [BF_LF_KEY_NOT_IN_FORCE] = "key not in force",
    [BF_LF_ROLE] = "role",
    [BF_LF_TRANSITION] = "transition",
    [BF_LF_OWN_ORIGIN] = "own origin",
    [BF_LF_DUPLICATE] = "duplicate",
    [BF_LF_TIME] = "time",
    [BF_LF_RECORD] = "record",
};

const char *bf_ledger_fault_name(enum bf_ledger_fault_kind kind)
{
	return (int)kind >= 0 && (size_t)kind < sizeof(fault_names) / sizeof(fault_names[0]) ? fault_names[kind] : "?";
}

static int fail(struct bf_ledger_fault *f, const struct bf_event *e, enum bf_ledger_fault_kind kind, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

static int fail(struct bf_ledger_fault *f, const struct bf_event *e, enum bf_ledger_fault_kind kind, const char *fmt,
                ...)
{
	va_list ap;
	f->kind = kind;
	f->seq = e->seq;
	bf_strlcpy(f->origin, e->origin, sizeof(f->origin));
	f->origin_seq = e->origin_seq;
	bf_strlcpy(f->event_kind, e->kind, sizeof(f->event_kind));
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
	return BF_EREJECTED;
}

/* ---- transitions ---- */

#define NO_STATE (-1)

/* The state event E moves its consignment to: a state, NO_STATE for an
 * event that moves none, or BF_ST_COUNT for the system's rebooking (no
 * change of state, the system's alone). */
static int target_of(const struct bf_event *e)
{
	static const char prefix[] = "consignment.";
	enum bf_state st;
	if (strcmp(e->kind, "consignment.checked_in") == 0)
		return BF_ST_WAITING;
	if (strcmp(e->kind, "booking.cancelled") == 0 || strcmp(e->kind, "booking.released") == 0)
		return BF_ST_VALIDATED;
	if (strcmp(e->kind, "booking.moved") == 0 || strcmp(e->kind, "booking.missed") == 0)
		return BF_ST_COUNT;
	if (strncmp(e->kind, prefix, sizeof(prefix) - 1) == 0 && bf_state_parse(e->kind + sizeof(prefix) - 1, &st) == 0)
		return (int)st;
	return NO_STATE;
}

int bf_ledger_event_state(const struct bf_event *e)
{
	return target_of(e);
}

/* Reads the payload's "from" and "to" where present; 1 when one is there
 * but names no state. */
static int payload_states(const char *payload, int *from, int *to)
{
	*from = *to = NO_STATE;
	/* Most payloads have neither: spare them the parse. */
	if (payload == NULL || (strstr(payload, "\"from\"") == NULL && strstr(payload, "\"to\"") == NULL))
		return 0;
	json_t *j = json_loads(payload, 0, NULL);
	int bad = j == NULL;
	const char *names[2] = {"from", "to"};
	int *outs[2] = {from, to};
	for (int i = 0; j != NULL && i < 2; i++) {
		json_t *v = json_object_get(j, names[i]);
		enum bf_state st;
		if (v == NULL)
			continue;
		if (!json_is_string(v) || bf_state_parse(json_string_value(v), &st) != 0)
			bad = 1;
		else
			*outs[i] = (int)st;
	}
	json_decref(j);
	return bad;
}

static bool about_consignment(const struct bf_event *e)
{
	return strncmp(e->subject, "consignment/", 12) == 0;
}

/* Checks E against *STATE, the state its consignment's earlier events
 * left it in (NO_STATE before its declaration), and moves *STATE on. */
static int check_transition(const struct bf_event *e, int *state, struct bf_ledger_fault *f)
{
	struct bf_error why = {0};
	int from, to;
	if (!about_consignment(e))
		return BF_OK;
	if (strcmp(e->kind, "consignment.declared") == 0) {
		if (*state != NO_STATE)
			return fail(f, e, BF_LF_TRANSITION, "%s was declared already; it is %s", e->subject,
			            bf_state_name((enum bf_state) * state));
		if (e->role != BF_ROLE_CARRIER)
			return fail(f, e, BF_LF_TRANSITION, "a consignment is declared by a carrier, not the %s",
			            bf_role_name(e->role));
		*state = BF_ST_DECLARED;
		return BF_OK;
	}
	int target = target_of(e);
	if (target == NO_STATE)
		return BF_OK;
	if (*state == NO_STATE)
		return fail(f, e, BF_LF_TRANSITION, "%s is moved before it was declared", e->subject);
	if (target == BF_ST_COUNT) {
		/* The system's rebooking: booked -> booked while booked. */
		if (e->role != BF_ROLE_SYSTEM)
			return fail(f, e, BF_LF_TRANSITION, "moving a booking is the system's step, not the %s's",
			            bf_role_name(e->role));
		if (*state == BF_ST_BOOKED && bf_transition_check(BF_ST_BOOKED, BF_ST_BOOKED, e->role, &why) != 0)
			return fail(f, e, BF_LF_TRANSITION, "%s", why.message);
		return BF_OK;
	}
	if (payload_states(e->payload, &from, &to))
		return fail(f, e, BF_LF_MALFORMED, "the payload's \"from\" or \"to\" is not a state");
	if (from != NO_STATE && from != *state)
		return fail(f, e, BF_LF_TRANSITION, "the payload says from %s, but %s is %s",
		            bf_state_name((enum bf_state)from), e->subject, bf_state_name((enum bf_state) * state));
	if (to != NO_STATE && to != target)
		return fail(f, e, BF_LF_TRANSITION, "the payload says to %s, but a %s event moves to %s",
		            bf_state_name((enum bf_state)to), e->kind, bf_state_name((enum bf_state)target));
	if (strcmp(e->kind, "booking.released") == 0
	        ? bf_transition_release_check((enum bf_state) * state, e->role, &why)
	        : bf_transition_check((enum bf_state) * state, (enum bf_state)target, e->role, &why))
		return fail(f, e, BF_LF_TRANSITION, "%s", why.message);
	*state = target;
	return BF_OK;
}

/* ---- one event ---- */

static bool zero(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Whether E's fields give its hash: it was not edited after it was signed. */
static bool hash_holds(const struct bf_event *e)
{
	unsigned char h[BF_EVENT_HASH_BYTES];
	bf_ledger_hash(e, h);
	return sodium_memcmp(h, e->hash, sizeof(h)) == 0;
}

/* Whether E's signature of its hash verifies with PUBLIC_KEY. */
static bool signature_holds(const struct bf_event *e, const unsigned char public_key[BF_PUBLIC_KEY_BYTES])
{
	return crypto_sign_verify_detached(e->signature, e->hash, sizeof(e->hash), public_key) == 0;
}

/* The checks that need no state but the chain's head and the key: the
 * form, the hash, the place in the chain, the time (not before HEAD_AT,
 * the head's, less the tolerance), the key, the signature, the role. KEY
 * is NULL when E's key is not registered; UNTIL is the from_seq of the
 * key that replaced it (INT64_MAX while it is the party's last). PRE, if
 * not NULL, holds the hash and signature checks already made (on other
 * cores); they are made here when PRE is NULL or was made with another
 * key. */
static int check_event(const struct bf_event *e, int64_t head_seq, const unsigned char head_hash[BF_EVENT_HASH_BYTES],
                       bf_time head_at, const struct bf_signing_key *key, int64_t until,
                       const struct bf_ledger_checked *pre, struct bf_ledger_fault *f)
{
	char when[200];
	struct bf_error why = {0};
	if (!e->origin[0])
		return fail(f, e, BF_LF_UNCHAINED, "it has no origin: it was written outside the ledger");
	if (bf_ledger_node_check(e->origin, &why) != 0)
		return fail(f, e, BF_LF_MALFORMED, "origin: %s", why.message);
	if ((int)e->role < 0 || e->role >= BF_ROLE_COUNT)
		return fail(f, e, BF_LF_MALFORMED, "role: not a role");
	if (e->origin_seq < 1)
		return fail(f, e, BF_LF_MALFORMED, "origin_seq: %lld is not a number from 1", (long long)e->origin_seq);
	if (!e->kind[0] || !e->subject[0] || !e->party_id[0] || e->payload == NULL)
		return fail(f, e, BF_LF_MALFORMED, "party, kind, subject and payload must not be empty");
	if (!(pre != NULL && pre->done ? pre->hash_ok : hash_holds(e)))
		return fail(f, e, BF_LF_HASH, "its fields do not give its hash: it was edited after it was signed");
	if (e->origin_seq <= head_seq)
		return fail(f, e, BF_LF_SEQUENCE, "%s #%lld comes after %s #%lld: an event was reordered or repeated",
		            e->origin, (long long)e->origin_seq, e->origin, (long long)head_seq);
	/* origin_seq >= 1 here, and head_seq < origin_seq: no overflow. */
	if (e->origin_seq - 1 > head_seq) {
		if (e->origin_seq - 2 == head_seq)
			return fail(f, e, BF_LF_SEQUENCE, "%s #%lld is missing before it: removed or moved", e->origin,
			            (long long)head_seq + 1);
		return fail(f, e, BF_LF_SEQUENCE, "%s #%lld to #%lld are missing before it: removed or moved",
		            e->origin, (long long)head_seq + 1, (long long)e->origin_seq - 1);
	}
	if (sodium_memcmp(e->prev_hash, head_hash, BF_EVENT_HASH_BYTES) != 0)
		return fail(f, e, BF_LF_LINK,
		            head_seq == 0 && !zero(e->prev_hash, BF_EVENT_HASH_BYTES)
		                ? "the first event of %s links to a previous one"
		                : "prev_hash is not the hash of %s #%lld: the chain was rewritten before it",
		            e->origin, (long long)head_seq);
	if (bf_ledger_time_check(e->at, head_seq > 0 ? head_at : BF_LEDGER_NO_TIME, BF_LEDGER_NO_TIME, when,
	                         sizeof(when)) != 0)
		return fail(f, e, BF_LF_TIME, "%s #%lld is %s", e->origin, (long long)e->origin_seq, when);
	if (key == NULL)
		return fail(f, e, BF_LF_KEY_UNKNOWN, "signed with key \"%s\", which is not registered here", e->key_id);
	if (strcmp(key->party_id, e->party_id) != 0 || strcmp(key->node, e->origin) != 0)
		return fail(f, e, BF_LF_KEY_MISMATCH, "signed with key %s of %s on %s, not a key of %s on %s", key->id,
		            key->party_id, key->node, e->party_id, e->origin);
	bool sig_ok = pre != NULL && pre->done && memcmp(pre->public_key, key->public_key, sizeof(pre->public_key)) == 0
	                  ? pre->sig_ok
	                  : signature_holds(e, key->public_key);
	if (!sig_ok)
		return fail(f, e, BF_LF_SIGNATURE, "the signature does not verify with %s's key %s", e->party_id,
		            key->id);
	if (e->origin_seq <= key->from_seq)
		return fail(f, e, BF_LF_KEY_NOT_IN_FORCE, "signed with %s's key %s, which signs only after %s #%lld",
		            e->party_id, key->id, e->origin, (long long)key->from_seq);
	if (e->origin_seq > until)
		return fail(f, e, BF_LF_KEY_NOT_IN_FORCE,
		            "signed with %s's key %s, which was replaced from %s #%lld on", e->party_id, key->id,
		            e->origin, (long long)until + 1);
	if (key->role != e->role)
		return fail(f, e, BF_LF_ROLE, "%s signs as %s, but the event claims the %s role", e->party_id,
		            bf_role_name(key->role), bf_role_name(e->role));
	return BF_OK;
}

/* ---- the whole log ---- */

struct chain {
	char origin[BF_NODE_ID_MAX + 1];
	int64_t seq;
	unsigned char hash[BF_EVENT_HASH_BYTES];
	bf_time at;
};

/* Consignment states by subject: open addressing, grown at half full. */
struct state_map {
	char **keys;
	signed char *states;
	size_t cap, len;
};

static size_t map_slot(const struct state_map *m, const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	size_t i = (size_t)h & (m->cap - 1);
	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void map_grow(struct state_map *m)
{
	struct state_map n = {.cap = m->cap ? 2 * m->cap : 1024, .len = m->len};
	n.keys = bf_xcalloc(n.cap, sizeof(*n.keys));
	n.states = bf_xcalloc(n.cap, sizeof(*n.states));
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		size_t j = map_slot(&n, m->keys[i]);
		n.keys[j] = m->keys[i];
		n.states[j] = m->states[i];
	}
	free(m->keys);
	free(m->states);
	*m = n;
}

/* The state slot of KEY, added (NO_STATE) if new. */
static signed char *map_at(struct state_map *m, const char *key)
{
	if (2 * (m->len + 1) > m->cap)
		map_grow(m);
	size_t i = map_slot(m, key);
	if (m->keys[i] == NULL) {
		m->keys[i] = bf_xstrdup(key);
		m->states[i] = NO_STATE;
		m->len++;
	}
	return &m->states[i];
}

static void map_free(struct state_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->states);
}

/* A key a key.made event makes, and where that event is. */
struct made_key {
	struct bf_signing_key key;
	int64_t origin_seq, seq;
};

/* A registered key and the from_seq of the key that replaced it. */
struct held_key {
	struct bf_signing_key key;
	int64_t until;
};

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct held_key *)a)->key.id, ((const struct held_key *)b)->key.id);
}

struct verifier {
	struct bf_store *s;
	struct held_key *keys; /* sorted by id */
	size_t n_keys;
	struct chain *chains;
	size_t n_chains;
	struct state_map states;
	struct bf_store_event_ref *disputed; /* the events this node disputes, sorted */
	size_t n_disputed;
	long skipped;          /* of those, met */
	struct made_key *made; /* the keys the key.made events make, in log order */
	size_t n_made;
	const struct bf_ledger_pin *pins; /* node keys the caller holds */
	size_t n_pins;
	struct bf_ledger_summary *out;
};

/* (Re)reads every registered key, with where each stops. */
static int load_keys(struct verifier *v, struct bf_error *err)
{
	struct bf_signing_key *list;
	size_t n;
	int rc = bf_store_keys_list(v->s, false, &list, &n, err);
	if (rc)
		return rc;
	free(v->keys);
	v->keys = bf_xcalloc(n ? n : 1, sizeof(*v->keys));
	v->n_keys = n;
	/* The list comes by party, node and number. */
	for (size_t i = 0; i < n; i++) {
		const struct bf_signing_key *next = i + 1 < n ? &list[i + 1] : NULL;
		v->keys[i].key = list[i];
		v->keys[i].until = INT64_MAX;
		if (next && strcmp(next->party_id, list[i].party_id) == 0 && strcmp(next->node, list[i].node) == 0 &&
		    next->number == list[i].number + 1)
			v->keys[i].until = next->from_seq;
	}
	bf_store_keys_free(list, n);
	qsort(v->keys, v->n_keys, sizeof(*v->keys), key_cmp);
	return BF_OK;
}

/* E's key: from the keys read so far, else from the keys read again (a
 * key made while verification runs). NULL if none. */
static const struct held_key *find_key(struct verifier *v, const char *id, struct bf_error *err, int *rc)
{
	struct held_key probe = {.until = 0};
	bf_strlcpy(probe.key.id, id, sizeof(probe.key.id));
	*rc = BF_OK;
	for (int attempt = 0; attempt < 2; attempt++) {
		const struct held_key *k = bsearch(&probe, v->keys, v->n_keys, sizeof(*v->keys), key_cmp);
		if (k != NULL || attempt == 1)
			return k;
		if ((*rc = load_keys(v, err)) != 0)
			return NULL;
	}
	return NULL;
}

/* The events this node disputes (none before it has an id). */
static int load_disputed(struct verifier *v, struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1];
	int rc = bf_store_node_get(v->s, node, err);
	if (rc == BF_ENOTFOUND)
		return BF_OK;
	if (rc)
		return rc;
	return bf_store_disputed(v->s, node, NULL, &v->disputed, &v->n_disputed, err);
}

static struct chain *chain_of(struct verifier *v, const char *origin)
{
	for (size_t i = 0; i < v->n_chains; i++) {
		if (strcmp(v->chains[i].origin, origin) == 0)
			return &v->chains[i];
	}
	v->chains = bf_xrealloc(v->chains, (v->n_chains + 1) * sizeof(*v->chains));
	struct chain *c = &v->chains[v->n_chains++];
	memset(c, 0, sizeof(*c));
	bf_strlcpy(c->origin, origin, sizeof(c->origin));
	return c;
}

/* A key.made event E, checked already as any event is: the key it makes,
 * read and kept to compare with the key table at the end; a node key
 * against the pins. */
static int key_made(struct verifier *v, const struct bf_event *e, struct bf_ledger_fault *f)
{
	struct bf_error why = {0};
	struct made_key m = {.origin_seq = e->origin_seq, .seq = e->seq};
	if (bf_ledger_key_event_parse(e, &m.key, &why) != 0)
		return fail(f, e, BF_LF_MALFORMED, "%s: %s", why.field, why.message);
	if (strcmp(m.key.party_id, BF_NODE_OPERATOR_ID) == 0 && m.key.number == 1) {
		bool pinned = false;
		for (size_t i = 0; i < v->n_pins; i++) {
			if (strcmp(v->pins[i].node, e->origin) != 0)
				continue;
			if (sodium_memcmp(v->pins[i].public_key, m.key.public_key, BF_PUBLIC_KEY_BYTES) != 0)
				return fail(f, e, BF_LF_KEY_MISMATCH, "%s's node key %s is not the key pinned for %s",
				            e->origin, m.key.id, e->origin);
			pinned = true;
		}
		struct bf_ledger_summary *out = v->out;
		if (out->roots < BF_LEDGER_ROOTS) {
			struct bf_ledger_root *r = &out->root[out->roots];
			bf_strlcpy(r->origin, e->origin, sizeof(r->origin));
			bf_strlcpy(r->key_id, m.key.id, sizeof(r->key_id));
			r->pinned = pinned;
		}
		out->roots++;
	}
	v->made = bf_xrealloc(v->made, (v->n_made + 1) * sizeof(*v->made));
	v->made[v->n_made++] = m;
	return BF_OK;
}

static int verify_one(struct verifier *v, const struct bf_event *e, const struct bf_ledger_checked *pre,
                      struct bf_ledger_fault *f, struct bf_error *err)
{
	static const unsigned char none[BF_EVENT_HASH_BYTES];
	int rc;
	if (!e->origin[0])
		return check_event(e, 0, none, 0, NULL, INT64_MAX, NULL, f); /* fails: unchained */
	struct chain *c = chain_of(v, e->origin);
	const struct held_key *key = find_key(v, e->key_id, err, &rc);
	if (rc)
		return rc;
	if ((rc = check_event(e, c->seq, c->hash, c->at, key ? &key->key : NULL, key ? key->until : INT64_MAX, pre,
	                      f)) != 0)
		return rc;
	bool disputed = bf_store_disputed_has(v->disputed, v->n_disputed, e->origin, e->origin_seq);
	v->skipped += disputed;
	if (strcmp(e->kind, BF_KEY_MADE) == 0 && (rc = key_made(v, e, f)) != 0)
		return rc;
	if (!disputed && about_consignment(e)) {
		signed char *st = map_at(&v->states, e->subject);
		int state = (int)*st;
		if ((rc = check_transition(e, &state, f)) != 0)
			return rc;
		*st = (signed char)state;
	}
	c->seq = e->origin_seq;
	c->at = e->at;
	memcpy(c->hash, e->hash, sizeof(c->hash));
	return BF_OK;
}

/* ---- hashes and signatures on every core ---- */

/* Each event's hash and signature are independent of every other's:
 * workers check a page's events in parallel, each its share, before the
 * ordered checks (links, numbers, keys in force, moves) run over the page
 * in the log's order. */
struct precheck_job {
	const struct bf_event *events;
	struct bf_ledger_checked *pre;
	size_t from, to;
};

static void *precheck_run(void *arg)
{
	const struct precheck_job *j = arg;
	for (size_t i = j->from; i < j->to; i++) {
		const struct bf_event *e = &j->events[i];
		struct bf_ledger_checked *p = &j->pre[i];
		if (!p->done)
			continue; /* no key to check it with: the ordered check says so */
		p->hash_ok = hash_holds(e);
		p->sig_ok = signature_holds(e, p->public_key);
	}
	return NULL;
}

/* Checks the N events of PAGE whose key PRE[i] names (done, public_key),
 * on THREADS threads, this one among them; a thread that cannot be
 * started has its share checked here. */
static void precheck_shares(const struct bf_event *page, size_t n, struct bf_ledger_checked *pre, int threads)
{
	struct precheck_job jobs[THREADS_MAX] = {{0}};
	pthread_t tids[THREADS_MAX];
	bool started[THREADS_MAX] = {false};
	if ((size_t)threads > n) /* no thread without an event to check */
		threads = n > 0 ? (int)n : 1;
	size_t share = (n + (size_t)threads - 1) / (size_t)threads;
	for (int t = 0; t < threads; t++) {
		size_t from = (size_t)t * share;
		jobs[t] = (struct precheck_job){page, pre, from < n ? from : n, from + share < n ? from + share : n};
		if (t > 0)
			started[t] = pthread_create(&tids[t], NULL, precheck_run, &jobs[t]) == 0;
	}
	precheck_run(&jobs[0]);
	for (int t = 1; t < threads; t++) {
		if (started[t])
			pthread_join(tids[t], NULL);
		else
			precheck_run(&jobs[t]);
	}
}

/* Fills PRE[0..N) for the N events of PAGE on THREADS threads, with the
 * keys the verifier holds (looked up first, here). */
static int precheck_page(struct verifier *v, const struct bf_event *page, size_t n, struct bf_ledger_checked *pre,
                         int threads, struct bf_error *err)
{
	int rc;
	for (size_t i = 0; i < n; i++) {
		const struct held_key *k = page[i].origin[0] ? find_key(v, page[i].key_id, err, &rc) : NULL;
		if (page[i].origin[0] && rc)
			return rc;
		pre[i].done = k != NULL;
		if (k != NULL)
			memcpy(pre[i].public_key, k->key.public_key, sizeof(pre[i].public_key));
	}
	precheck_shares(page, n, pre, threads);
	return BF_OK;
}

/* ---- checks ahead of an apply ---- */

/* While one thread applies a page's events in order, helpers check the
 * hashes and signatures of those that follow. Events are taken in order,
 * each by whichever thread claims it first (NEXT); the applier, coming to
 * an event not checked yet, claims and checks the next ones itself until
 * it is: no event is checked twice, and no thread idles while one is left
 * unclaimed. */
struct bf_ledger_checker {
	const struct bf_event *events;
	size_t n;
	struct bf_ledger_checked *pre;
	atomic_bool *ready;
	atomic_size_t next;
	atomic_bool stop;
	int helpers;
	bool joined;
	pthread_t tids[THREADS_MAX];
	bool started[THREADS_MAX];
};

static void check_claimed(struct bf_ledger_checker *c, size_t i)
{
	struct bf_ledger_checked *p = &c->pre[i];
	if (p->done) {
		p->hash_ok = hash_holds(&c->events[i]);
		p->sig_ok = signature_holds(&c->events[i], p->public_key);
	}
	atomic_store_explicit(&c->ready[i], true, memory_order_release);
}

static void *checker_run(void *arg)
{
	struct bf_ledger_checker *c = arg;
	while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
		size_t i = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed);
		if (i >= c->n)
			break;
		check_claimed(c, i);
	}
	return NULL;
}

int bf_ledger_checker_start(struct bf_store *s, const struct bf_event *events, size_t n, int threads,
                            struct bf_ledger_checker **out, struct bf_error *err)
{
	struct bf_ledger_checker *c = bf_xcalloc(1, sizeof(*c));
	c->events = events;
	c->n = n;
	c->pre = bf_xcalloc(n ? n : 1, sizeof(*c->pre));
	c->ready = bf_xcalloc(n ? n : 1, sizeof(*c->ready));
	c->joined = true;
	atomic_init(&c->stop, false);
	atomic_init(&c->next, 0);
	for (size_t i = 0; i < n; i++)
		atomic_init(&c->ready[i], false);
	/* The keys, looked up here: a page's events come from few authors,
	 * each key read once (the last KNOWN kept, by id). */
	enum { KNOWN = 16 };
	size_t known[KNOWN], n_known = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < n_known && strcmp(events[known[k]].key_id, events[i].key_id) != 0)
			k++;
		if (k < n_known) {
			c->pre[i] = c->pre[known[k]];
			continue;
		}
		struct bf_signing_key key;
		int rc = events[i].key_id[0] ? bf_store_key_get(s, events[i].key_id, &key, err) : BF_ENOTFOUND;
		if (rc == BF_OK) {
			c->pre[i].done = true;
			memcpy(c->pre[i].public_key, key.public_key, sizeof(c->pre[i].public_key));
			sodium_memzero(key.secret_key, sizeof(key.secret_key));
		} else if (rc != BF_ENOTFOUND) {
			bf_ledger_checker_free(c);
			return rc;
		}
		known[n_known < KNOWN ? n_known++ : i % KNOWN] = i;
	}
	/* The applier is one of THREADS; the others help. */
	int helpers = bf_ledger_threads(threads) - 1;
	c->helpers = (size_t)helpers > n ? (int)n : helpers;
	c->joined = false;
	for (int t = 0; t < c->helpers; t++)
		c->started[t] = pthread_create(&c->tids[t], NULL, checker_run, c) == 0;
	*out = c;
	return BF_OK;
}

const struct bf_ledger_checked *bf_ledger_checker_get(struct bf_ledger_checker *c, size_t i)
{
	if (i >= c->n)
		return NULL;
	while (!atomic_load_explicit(&c->ready[i], memory_order_acquire)) {
		size_t j = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed);
		if (j < c->n)
			check_claimed(c, j);
		else
			sched_yield(); /* I is a helper's, being checked */
	}
	return &c->pre[i];
}

void bf_ledger_checker_join(struct bf_ledger_checker *c)
{
	if (c->joined)
		return;
	for (int t = 0; t < c->helpers; t++) {
		if (c->started[t])
			pthread_join(c->tids[t], NULL);
	}
	c->joined = true;
}

void bf_ledger_checker_free(struct bf_ledger_checker *c)
{
	if (c == NULL)
		return;
	atomic_store_explicit(&c->stop, true, memory_order_relaxed);
	bf_ledger_checker_join(c);
	free(c->pre);
	free(c->ready);
	free(c);
}

int bf_ledger_threads(int asked)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int n = asked > 0 ? asked : cores > 0 ? (int)cores : 1;
	return n > THREADS_MAX ? THREADS_MAX : n;
}

static int check_records(struct verifier *v, struct bf_ledger_fault *f, struct bf_error *err);
static int check_keys(struct verifier *v, struct bf_ledger_fault *f, struct bf_error *err);

static int verify_run(struct bf_store *s, int threads, bool records, const struct bf_ledger_pin *pins, size_t n_pins,
                      struct bf_ledger_summary *out, struct bf_error *err)
{
	struct verifier v = {.s = s, .pins = pins, .n_pins = n_pins, .out = out};
	struct bf_ledger_checked *pre = NULL;
	int64_t after = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	threads = bf_ledger_threads(threads);
	if ((rc = load_keys(&v, err)) != 0 || (rc = load_disputed(&v, err)) != 0) {
		free(v.keys);
		return rc;
	}
	if (threads > 1)
		pre = bf_xcalloc(PAGE, sizeof(*pre));
	for (;;) {
		struct bf_event *page;
		size_t n;
		if ((rc = bf_store_events_list(s, after, PAGE, &page, &n, err)) != 0)
			break;
		if (pre != NULL)
			rc = precheck_page(&v, page, n, pre, threads, err);
		for (size_t i = 0; rc == BF_OK && i < n; i++) {
			rc = verify_one(&v, &page[i], pre ? &pre[i] : NULL, &out->bad, err);
			if (rc == BF_OK)
				out->events++;
		}
		if (n > 0)
			after = page[n - 1].seq;
		bf_store_events_free(page, n);
		if (rc || n < PAGE)
			break;
	}
	if (rc == BF_OK)
		rc = check_keys(&v, &out->bad, err);
	if (rc == BF_OK && records)
		rc = check_records(&v, &out->bad, err);
	out->chains = (int)v.n_chains;
	out->disputed = v.skipped;
	if (rc == BF_EREJECTED && out->bad.kind == BF_LF_RECORD)
		bf_error_set(err, BF_EREJECTED, "record", "%s: %s", out->bad.record, out->bad.reason);
	else if (rc == BF_EREJECTED)
		bf_error_set(err, BF_EREJECTED, "seq", "event %lld (%s #%lld, %s): %s", (long long)out->bad.seq,
		             out->bad.origin[0] ? out->bad.origin : "no origin", (long long)out->bad.origin_seq,
		             out->bad.event_kind, out->bad.reason);
	free(pre);
	free(v.keys); /* read without secrets */
	free(v.chains);
	free(v.disputed);
	free(v.made);
	map_free(&v.states);
	return rc;
}

int bf_ledger_verify_on(struct bf_store *s, int threads, struct bf_ledger_summary *out, struct bf_error *err)
{
	return verify_run(s, threads, false, NULL, 0, out, err);
}

int bf_ledger_verify(struct bf_store *s, struct bf_ledger_summary *out, struct bf_error *err)
{
	return verify_run(s, 0, false, NULL, 0, out, err);
}

int bf_ledger_verify_records(struct bf_store *s, int threads, const struct bf_ledger_pin *pins, size_t n_pins,
                             struct bf_ledger_summary *out, struct bf_error *err)
{
	return verify_run(s, threads, true, pins, n_pins, out, err);
}

/* ---- the key table against the key events ---- */

static int made_cmp(const void *a, const void *b)
{
	return strcmp(((const struct made_key *)a)->key.id, ((const struct made_key *)b)->key.id);
}

static int signing_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bf_signing_key *)a)->id, ((const struct bf_signing_key *)b)->id);
}

static int key_fault(struct bf_ledger_fault *f, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fills F for key ID's record: BF_EREJECTED. */
static int key_fault(struct bf_ledger_fault *f, const char *id, const char *fmt, ...)
{
	va_list ap;
	memset(f, 0, sizeof(*f));
	f->kind = BF_LF_RECORD;
	bf_strlcpy(f->event_kind, "key", sizeof(f->event_kind));
	snprintf(f->record, sizeof(f->record), "key/%s", id);
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
	return BF_EREJECTED;
}

/* Each registered key against the event that made it, and each key an
 * event made against its row (ledger.h). */
/* How long NODE's chain is in the store now (0 if it cannot be read). */
static int64_t chain_now(struct bf_store *s, const char *node)
{
	unsigned char hash[BF_EVENT_HASH_BYTES];
	struct bf_error err = {0};
	int64_t head = 0;
	return bf_store_chain_head(s, node, &head, hash, &err) == BF_OK ? head : 0;
}

static int check_keys(struct verifier *v, struct bf_ledger_fault *f, struct bf_error *err)
{
	struct bf_signing_key *rows;
	size_t n;
	int rc = bf_store_keys_list(v->s, false, &rows, &n, err);
	if (rc)
		return rc;
	char own[BF_NODE_ID_MAX + 1] = "";
	if ((rc = bf_store_node_get(v->s, own, err)) != 0 && rc != BF_ENOTFOUND) {
		bf_store_keys_free(rows, n);
		return rc;
	}
	rc = BF_OK;
	if (v->n_made > 0)
		qsort(v->made, v->n_made, sizeof(*v->made), made_cmp);
	if (n > 0)
		qsort(rows, n, sizeof(*rows), signing_key_cmp);
	for (size_t i = 0; rc == BF_OK && i < n; i++) {
		const struct bf_signing_key *k = &rows[i];
		struct made_key probe = {.origin_seq = 0};
		bf_strlcpy(probe.key.id, k->id, sizeof(probe.key.id));
		const struct made_key *m =
		    v->n_made > 0 ? bsearch(&probe, v->made, v->n_made, sizeof(*v->made), made_cmp) : NULL;
		if (m == NULL) {
			/* A peer's key may be registered ahead of its event (a key
			 * file imported), as may a key made here while verify ran;
			 * this node's own keys are otherwise all made by its chain. */
			bool node_key = strcmp(k->party_id, BF_NODE_OPERATOR_ID) == 0 && k->number == 1;
			int64_t at = node_key ? k->from_seq + 1 : k->from_seq, head = 0;
			for (size_t c = 0; c < v->n_chains; c++)
				if (strcmp(v->chains[c].origin, k->node) == 0)
					head = v->chains[c].seq;
			bool ahead = head < at && (strcmp(k->node, own) != 0 || chain_now(v->s, own) >= at),
			     legacy = false;
			if (!ahead && (rc = bf_store_key_legacy(v->s, k->id, &legacy, err)) != BF_OK)
				break;
			v->out->legacy_keys += legacy;
			if (!ahead && !legacy)
				rc = key_fault(
				    f, k->id,
				    "key %lld of %s on %s is registered, but no event of %s's chain makes it: "
				    "added around the ledger",
				    (long long)k->number, k->party_id, k->node, k->node);
			continue;
		}
		const struct bf_signing_key *e = &m->key;
		if (!bf_ledger_key_same(e, k))
			rc = key_fault(f, k->id,
			               "its row differs from the event that made it (%s #%lld): edited around "
			               "the ledger",
			               e->node, (long long)m->origin_seq);
	}
	for (size_t i = 0; rc == BF_OK && i < v->n_made; i++) {
		if (n == 0 || bsearch(&v->made[i].key, rows, n, sizeof(*rows), signing_key_cmp) == NULL)
			rc = key_fault(f, v->made[i].key.id,
			               "%s #%lld makes it, but it is not registered here: removed around the ledger",
			               v->made[i].key.node, (long long)v->made[i].origin_seq);
	}
	bf_store_keys_free(rows, n);
	return rc;
}

/* ---- the ends of the chains, at start ---- */

int bf_ledger_check_ends(struct bf_store *s, int last, struct bf_ledger_summary *out, struct bf_error *err)
{
	struct verifier v = {.s = s};
	struct bf_store_chain *chains;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = bf_store_chains(s, &chains, &n, err)) != 0)
		return rc;
	if ((rc = load_keys(&v, err)) != 0) {
		free(chains);
		return rc;
	}
	for (size_t i = 0; rc == BF_OK && i < n; i++) {
		const struct bf_store_chain *c = &chains[i];
		out->chains++;
		if (c->count != c->head) {
			/* A count below the head: events removed somewhere. */
			struct bf_event head = {0};
			bf_strlcpy(head.origin, c->origin, sizeof(head.origin));
			head.origin_seq = c->head;
			bf_strlcpy(head.kind, "?", sizeof(head.kind));
			rc = fail(&out->bad, &head, BF_LF_SEQUENCE,
			          "%s's chain goes to #%lld but holds %lld events: %lld are missing", c->origin,
			          (long long)c->head, (long long)c->count, (long long)(c->head - c->count));
			break;
		}
		int64_t from = c->head - last + 1 > 1 ? c->head - last + 1 : 1;
		struct bf_event prev = {0};
		if (from > 1 && (rc = bf_store_chain_event(s, c->origin, from - 1, &prev, err)) != 0) {
			if (rc == BF_ENOTFOUND) {
				prev.origin_seq = from - 1;
				bf_strlcpy(prev.origin, c->origin, sizeof(prev.origin));
				bf_strlcpy(prev.kind, "?", sizeof(prev.kind));
				rc = fail(&out->bad, &prev, BF_LF_SEQUENCE,
				          "%s #%lld is missing, though the chain goes on to #%lld", c->origin,
				          (long long)(from - 1), (long long)c->head);
			}
			break;
		}
		int64_t prev_seq = from - 1;
		bf_time prev_at = prev.at;
		unsigned char prev_hash[BF_EVENT_HASH_BYTES];
		memcpy(prev_hash, prev.hash, sizeof(prev_hash));
		free(prev.payload);
		for (int64_t k = from; rc == BF_OK && k <= c->head; k++) {
			struct bf_event e;
			if ((rc = bf_store_chain_event(s, c->origin, k, &e, err)) == BF_ENOTFOUND) {
				/* Numbered twice, or renumbered: the count matched, a number is missing. */
				struct bf_event missing = {0};
				bf_strlcpy(missing.origin, c->origin, sizeof(missing.origin));
				missing.origin_seq = k;
				bf_strlcpy(missing.kind, "?", sizeof(missing.kind));
				rc = fail(&out->bad, &missing, BF_LF_SEQUENCE,
				          "%s #%lld is missing, though the chain goes on to #%lld", c->origin,
				          (long long)k, (long long)c->head);
			}
			if (rc)
				break;
			const struct held_key *key = find_key(&v, e.key_id, err, &rc);
			if (rc == BF_OK)
				rc = check_event(&e, prev_seq, prev_hash, prev_at, key ? &key->key : NULL,
				                 key ? key->until : INT64_MAX, NULL, &out->bad);
			if (rc == BF_OK) {
				out->events++;
				prev_seq = e.origin_seq;
				prev_at = e.at;
				memcpy(prev_hash, e.hash, sizeof(prev_hash));
			}
			free(e.payload);
		}
	}
	if (rc == BF_EREJECTED)
		bf_error_set(err, BF_EREJECTED, "seq", "%s #%lld (%s): %s", out->bad.origin,
		             (long long)out->bad.origin_seq, out->bad.event_kind, out->bad.reason);
	free(chains);
	free(v.keys);
	return rc;
}

/* ---- one event from a peer ---- */

/* The state the log here leaves SUBJECT in, the events NODE disputes
 * aside; NO_STATE if never declared. */
static int state_here(struct bf_store *s, const char *node, const char *subject, int *state, struct bf_error *err)
{
	struct bf_event *v;
	struct bf_store_event_ref *disputed;
	size_t n, n_disputed;
	struct bf_ledger_fault ignored;
	int rc = bf_store_disputed(s, node, subject, &disputed, &n_disputed, err);
	*state = NO_STATE;
	if (rc)
		return rc;
	if ((rc = bf_store_events_about(s, subject, &v, &n, err)) != 0) {
		free(disputed);
		return rc;
	}
	/* These events were checked when they were written or applied. */
	for (size_t i = 0; i < n; i++)
		if (!bf_store_disputed_has(disputed, n_disputed, v[i].origin, v[i].origin_seq))
			(void)check_transition(&v[i], state, &ignored);
	bf_store_events_free(v, n);
	free(disputed);
	return BF_OK;
}

/* ---- the consignment records against the log ---- */

/* The record of consignment ROW differs from what verify's replay left
 * it in: a fault, unless the record and the log read again now agree
 * (written while verify ran). */
static int record_differs(struct bf_store *s, const char *node, const struct bf_consignment *row,
                          struct bf_ledger_fault *f, struct bf_error *err)
{
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	struct bf_consignment now;
	int fresh, rc;
	snprintf(subject, sizeof(subject), "consignment/%s", row->id);
	if ((rc = state_here(s, node, subject, &fresh, err)) != 0)
		return rc;
	rc = bf_store_consignment_get(s, row->id, &now, err);
	if (rc == BF_OK && fresh == (int)now.state)
		return BF_OK;
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	struct bf_event at = {.kind = "consignment"};
	if (rc == BF_ENOTFOUND)
		fail(f, &at, BF_LF_RECORD,
		     "the log declares it (%s now), but it has no record: removed around the ledger",
		     bf_state_name((enum bf_state)fresh));
	else if (fresh == NO_STATE)
		fail(f, &at, BF_LF_RECORD, "its record says %s, but no event declares it: written around the ledger",
		     bf_state_name(now.state));
	else
		fail(f, &at, BF_LF_RECORD, "its record says %s, but its events leave it %s: edited around the ledger",
		     bf_state_name(now.state), bf_state_name((enum bf_state)fresh));
	bf_strlcpy(f->record, subject, sizeof(f->record));
	return BF_EREJECTED;
}

static int check_records(struct verifier *v, struct bf_ledger_fault *f, struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1] = "";
	struct bf_consignment_filter filter = {.state = -1, .limit = 500};
	size_t declared = 0, matched = 0;
	int rc = bf_store_node_get(v->s, node, err);
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	for (size_t i = 0; i < v->states.cap; i++)
		declared += v->states.keys[i] != NULL && v->states.states[i] != NO_STATE;
	for (rc = BF_OK; rc == BF_OK;) {
		struct bf_consignment *list;
		size_t n;
		int64_t next;
		if ((rc = bf_store_consignments_list(v->s, &filter, &list, &n, &next, err)) != 0)
			return rc;
		for (size_t k = 0; rc == BF_OK && k < n; k++) {
			char subject[BF_EVENT_SUBJECT_MAX + 1];
			snprintf(subject, sizeof(subject), "consignment/%s", list[k].id);
			int state = (int)*map_at(&v->states, subject);
			matched += state != NO_STATE;
			if (state != (int)list[k].state)
				rc = record_differs(v->s, node, &list[k], f, err);
		}
		free(list);
		if (next == 0)
			break;
		filter.after = next;
	}
	/* A consignment the log declares with no record: removed. */
	for (size_t i = 0; rc == BF_OK && matched < declared && i < v->states.cap; i++) {
		struct bf_consignment row = {0};
		if (v->states.keys[i] == NULL || v->states.states[i] == NO_STATE)
			continue;
		bf_strlcpy(row.id, v->states.keys[i] + strlen("consignment/"), sizeof(row.id));
		rc = bf_store_consignment_get(v->s, row.id, &row, err);
		if (rc == BF_ENOTFOUND)
			rc = record_differs(v->s, node, &row, f, err);
	}
	return rc;
}

/* Whether node key K, made by E, is the one pinned here for its node:
 * BF_OK, or BF_EREJECTED with FAULT filled (no pin, another key). */
static int pinned(struct bf_store *s, const struct bf_signing_key *k, struct bf_ledger_fault *fault,
                  const struct bf_event *e, struct bf_error *err)
{
	char pin[2 * BF_PUBLIC_KEY_BYTES + 2], hex[2 * BF_PUBLIC_KEY_BYTES + 1];
	int rc = bf_store_pin_get(s, k->node, pin, sizeof(pin), err);
	if (rc == BF_ENOTFOUND)
		return fail(fault, e, BF_LF_KEY_UNKNOWN,
		            "%s's node key %s is not pinned here: give it to serve --peer-key (`borderflow keys "
		            "node` on %s prints it)",
		            k->node, k->id, k->node);
	if (rc)
		return rc;
	sodium_bin2hex(hex, sizeof(hex), k->public_key, sizeof(k->public_key));
	if (strcmp(pin, hex) != 0)
		return fail(fault, e, BF_LF_KEY_MISMATCH, "%s's node key %s is not the one pinned here (%.16s...)",
		            k->node, k->id, pin);
	return BF_OK;
}

/* Registers key K that E makes (its public half), or checks it against
 * the same key registered ahead (a key file imported). */
static int register_made(struct bf_store *s, const struct bf_signing_key *k, const struct bf_event *e,
                         struct bf_ledger_fault *fault, struct bf_error *err)
{
	struct bf_signing_key held;
	int rc = bf_store_key_get(s, k->id, &held, err);
	if (rc == BF_OK) {
		bool same = bf_ledger_key_same(&held, k);
		sodium_memzero(&held, sizeof(held));
		return same
		           ? BF_OK
		           : fail(fault, e, BF_LF_KEY_MISMATCH, "key %s is registered here with other contents", k->id);
	}
	if (rc != BF_ENOTFOUND)
		return rc;
	rc = bf_store_key_current(s, k->party_id, k->node, &held, err);
	int64_t next = rc == BF_OK ? held.number + 1 : 1;
	int64_t after = rc == BF_OK ? held.from_seq : -1;
	sodium_memzero(&held, sizeof(held));
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	if (k->number != next || k->from_seq <= after)
		return fail(fault, e, BF_LF_MALFORMED, "key %lld of %s on %s does not follow key %lld, the last made",
		            (long long)k->number, k->party_id, k->node, (long long)next - 1);
	struct bf_signing_key pub = *k;
	pub.has_secret = false;
	return bf_store_key_put(s, &pub, err);
}

/* Checks and appends E: a peer's event (OWN false), or one of this
 * node's own chain that its database lacks (OWN true); with MOVES, its
 * move too. */
static int apply(struct bf_store *s, struct bf_event *e, const struct bf_ledger_checked *pre, bool own, bool moves,
                 struct bf_ledger_fault *fault, struct bf_error *err)
{
	char node[BF_NODE_ID_MAX + 1];
	unsigned char head_hash[BF_EVENT_HASH_BYTES];
	struct bf_signing_key key;
	int64_t head_seq;
	bf_time head_at;
	int rc, state;

	memset(fault, 0, sizeof(*fault));
	e->seq = 0;
	if ((rc = bf_store_node_get(s, node, err)) != 0)
		return rc;
	if (!own && e->origin[0] && strcmp(e->origin, node) == 0) {
		fail(fault, e, BF_LF_OWN_ORIGIN, "%s's chain is this node's own: it takes no events of it from a peer",
		     node);
		goto refused;
	}
	if (own && strcmp(e->origin, node) != 0) {
		fail(fault, e, BF_LF_MALFORMED, "%s's chain is not this node's own (%s)",
		     e->origin[0] ? e->origin : "no origin", node);
		goto refused;
	}
	if (e->origin[0] && bf_ledger_node_check(e->origin, NULL) == 0) {
		if ((rc = bf_store_chain_head_at(s, e->origin, &head_seq, head_hash, &head_at, err)) != 0)
			return rc;
		if (e->origin_seq >= 1 && e->origin_seq <= head_seq) {
			/* Seen already: the same event again, or a fork. */
			struct bf_event held;
			if ((rc = bf_store_chain_event(s, e->origin, e->origin_seq, &held, err)) != 0)
				return rc;
			bool same = sodium_memcmp(held.hash, e->hash, sizeof(held.hash)) == 0;
			free(held.payload);
			if (same) {
				fail(fault, e, BF_LF_DUPLICATE, "%s #%lld is here already", e->origin,
				     (long long)e->origin_seq);
				bf_error_set(err, BF_ECONFLICT, "origin_seq", "%s", fault->reason);
				return BF_ECONFLICT;
			}
			fail(fault, e, BF_LF_SEQUENCE, "%s #%lld here is another event: the peer's chain has forked",
			     e->origin, (long long)e->origin_seq);
			goto refused;
		}
	} else {
		head_seq = 0;
		head_at = 0;
		memset(head_hash, 0, sizeof(head_hash));
	}
	/* A key.made event: the key it makes is read first, since the node
	 * key signs its own, and is taken on its pin. */
	struct bf_signing_key made;
	struct bf_error why = {0};
	bool making = strcmp(e->kind, BF_KEY_MADE) == 0;
	bool readable = making && bf_ledger_key_event_parse(e, &made, &why) == 0;
	int64_t until = INT64_MAX;
	rc = bf_store_key_get(s, e->key_id, &key, err);
	if (rc == BF_ENOTFOUND && readable && strcmp(made.id, e->key_id) == 0) {
		if ((rc = pinned(s, &made, fault, e, err)) == BF_EREJECTED)
			goto refused;
		if (rc)
			return rc;
		key = made;
		rc = BF_OK;
	} else if (rc == BF_OK) {
		struct bf_signing_key next;
		sodium_memzero(key.secret_key, sizeof(key.secret_key));
		int found = bf_store_key_numbered(s, key.party_id, key.node, key.number + 1, &next, err);
		if (found == BF_OK)
			until = next.from_seq;
		else if (found != BF_ENOTFOUND)
			return found;
		sodium_memzero(&next, sizeof(next));
	} else if (rc != BF_ENOTFOUND) {
		return rc;
	}
	if (check_event(e, head_seq, head_hash, head_at, rc == BF_OK ? &key : NULL, until, pre, fault) != 0)
		goto refused;
	if (moves && about_consignment(e)) {
		if ((rc = state_here(s, node, e->subject, &state, err)) != 0)
			return rc;
		if (check_transition(e, &state, fault) != 0)
			goto refused;
	}
	/* Its payload is read once the event is known to be as signed. */
	if (making && !readable) {
		fail(fault, e, BF_LF_MALFORMED, "%s: %s", why.field, why.message);
		goto refused;
	}
	if (making && (rc = register_made(s, &made, e, fault, err)) != BF_OK) {
		if (rc == BF_EREJECTED)
			goto refused;
		return rc;
	}
	return bf_store_event_append(s, e, err);
refused:
	fault->seq = 0;
	return bf_error_set(err, BF_EREJECTED, "event", "%s #%lld (%s) refused: %s",
	                    fault->origin[0] ? fault->origin : "no origin", (long long)fault->origin_seq,
	                    fault->event_kind, fault->reason);
}

int bf_ledger_apply_foreign(struct bf_store *s, struct bf_event *e, const struct bf_ledger_checked *pre,
                            struct bf_ledger_fault *fault, struct bf_error *err)
{
	return apply(s, e, pre, false, true, fault, err);
}

int bf_ledger_apply_disputed(struct bf_store *s, struct bf_event *e, const struct bf_ledger_checked *pre,
                             struct bf_ledger_fault *fault, struct bf_error *err)
{
	return apply(s, e, pre, false, false, fault, err);
}

int bf_ledger_apply_own(struct bf_store *s, struct bf_event *e, const struct bf_ledger_checked *pre,
                        struct bf_ledger_fault *fault, struct bf_error *err)
{
	return apply(s, e, pre, true, true, fault, err);
}

bool bf_ledger_event_signed(struct bf_store *s, const struct bf_event *e)
{
	struct bf_signing_key key;
	struct bf_error err = {0};
	if (!hash_holds(e) || bf_store_key_get(s, e->key_id, &key, &err) != BF_OK)
		return false;
	sodium_memzero(key.secret_key, sizeof(key.secret_key));
	return strcmp(key.party_id, e->party_id) == 0 && strcmp(key.node, e->origin) == 0 &&
	       signature_holds(e, key.public_key);
}
