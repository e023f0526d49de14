/* Internals shared by the service layer's files. */
#ifndef BF_SERVICE_SERVICE_INT_H
#define BF_SERVICE_SERVICE_INT_H

#include "service/service.h"
#include "plan/window.h"
#include "store/pool.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "store/store_notice.h"
#include "service/auth.h"
#include "service/registry.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

/* Parties found by their tokens, each with the store's revision it was
 * read at (auth.c): borderflow revokes a token, and changes a party, only
 * by a write, and each of its writes moves the revision on, so an entry
 * read at the revision the store still has is still true. An entry is
 * also given for less than BF_TOKEN_MEMO_AGE_MS only: a token revoked by
 * hand in the database, which moves no revision, is refused within it. */
#define BF_TOKEN_MEMO_SLOTS  64
#define BF_TOKEN_MEMO_AGE_MS 1000
struct bf_token_memo {
	pthread_mutex_t lock;
	struct {
		bool used;
		int64_t revision, at_ms; /* at_ms: when it was read, CLOCK_MONOTONIC */
		unsigned char hash[BF_TOKEN_HASH_BYTES];
		struct bf_party party;
	} slot[BF_TOKEN_MEMO_SLOTS];
};

struct bf_service {
	struct bf_store_pool *pool;
	/* Where write transactions take their connection. On SQLite, which
	 * takes one writer at a time, a pool of one connection of its own:
	 * this process's writers queue for it, each woken as soon as it is
	 * free (SQLite's busy timeout would poll with sleeps of up to 100 ms),
	 * and its page cache stays valid from one write to the next, as no
	 * other connection of this process writes; writers that queue for it
	 * commit in groups, one wait for the disk a group (store/pool.h).
	 * Otherwise POOL itself. */
	struct bf_store_pool *writers;
	bf_time grace;                 /* seconds a vehicle may be late for its slot */
	int call_lead;                 /* minutes before its slot a vehicle may be called */
	char node[BF_NODE_ID_MAX + 1]; /* this node's id at start; "" until the first event sets it */
	bool country;                  /* the node acts for its country only (scope "country", read at open) */
	bf_time (*clock)(void *ctx);   /* NULL: the real clock */
	void *clock_ctx;
	struct bf_token_memo tokens; /* for bf_service_authenticate_at() */
};

/* The rule of time at step STEP of the load L at gate G, asked at NOW
 * (plan/window.h). 0 when the step may be taken; 0 as well when OV states
 * a reason, and then *OVERRIDDEN (else NULL) gets what goes into the
 * step's event as "override": the reason and the rule set aside. Else
 * BF_ECONFLICT on field "time", naming the next span in both sides' local
 * times and UTC, and *REFUSAL (if not NULL) filled. */
int bf_svc_step_time(const struct bf_service *svc, const struct bf_gate_pair *g, int step,
                     const struct bf_window_load *l, bf_time now, const struct bf_override *ov, json_t **overridden,
                     struct bf_step_refusal *refusal, struct bf_error *err);

/* The service's clock: the real one, or the one a test gave in
 * bf_service_config (never settable from the command line). */
bf_time bf_svc_now(const struct bf_service *svc);

/* For a node of one country (scope "country"), whether it may decide on
 * a consignment now in STATE, exported from EXPORT_COUNTRY to DESTINATION
 * (service.c); a node that holds the whole border decides on every one. */
bool bf_svc_owns(struct bf_service *svc, enum bf_state state, const char *export_country, const char *destination);

/* Appends one event by ACTOR within the caller's transaction, chained
 * and signed by the ledger (ledger/ledger.h). PAYLOAD is taken over
 * (decref'd) and stored in canonical form: compact, keys sorted. */
int bf_svc_event(struct bf_store *s, const struct bf_party *actor, const char *kind, const char *subject,
                 json_t *payload, bf_time now, struct bf_error *err);

/* Suspends the registry record of KIND with KEY as ACTOR (who must be the
 * registry authority of its country), within the caller's transaction,
 * at NOW, as bf_service_registry_save() would: one registry.<kind>.suspended
 * event, whose payload also names NOTICE_ID when not NULL. A record
 * suspended already is left as it is (*CHANGED false). *OUT gets the
 * record after. */
int bf_svc_registry_suspend(struct bf_store *s, bf_time now, const struct bf_party *actor, enum bf_registry_kind kind,
                            const char *key, const char *notice_id, struct bf_registry_record *out, bool *changed,
                            struct bf_error *err);
/* The registry records against the log (service/registry.c): each
 * record a registry event of the log takes effect on here (every event of
 * this node's own chain, the peer's for its own country's codes, the
 * events this node disputes aside) is as the last such event left it. Records no event
 * ever changed (the bundled reference data) are not compared. BF_OK, or
 * BF_EREJECTED with F naming the first record that differs (kind
 * BF_LF_RECORD, "exporter/VN-EXP-0101"); a record changed by an event
 * written while this ran is not taken for an edit. */
int bf_svc_registry_verify(struct bf_store *s, struct bf_ledger_fault *f, struct bf_error *err);
/* The notices against the log (service/notice.c), as the registry: each
 * notice a notice.posted event of the log posts is here as posted, with
 * the acknowledgements its notice.acknowledged events make and no other,
 * and no notice is here that no event posts. */
int bf_svc_notices_verify(struct bf_store *s, struct bf_ledger_fault *f, struct bf_error *err);

/* The walk the checks above share (service/verify.c): FN(CTX, E, NODE)
 * for each event of the log whose kind begins with PREFIX, in log order,
 * the events this node (NODE) disputes aside, until FN answers nonzero;
 * none before the node has an id. */
int bf_svc_events_each(struct bf_store *s, const char *prefix,
                       int (*fn)(void *ctx, const struct bf_event *e, const char *node), void *ctx,
                       struct bf_error *err);
/* Whether an event of kind PREFIX... on SUBJECT was written after SEQ: a
 * change committed while verify read the log, not an edit. */
int bf_svc_changed_since(struct bf_store *s, const char *prefix, const char *subject, int64_t seq, bool *out,
                         struct bf_error *err);
/* Fills F for record SUBJECT, of WHAT ("registry", "notice"), with the
 * reason: BF_EREJECTED. */
int bf_svc_record_fault(struct bf_ledger_fault *f, const char *what, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
