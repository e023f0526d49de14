/* The store's verbs for disputes (model/dispute.h). Same rules as
 * store.h: one connection, one thread; records copied out. */
#ifndef BF_STORE_STORE_DISPUTE_H
#define BF_STORE_STORE_DISPUTE_H

#include "model/dispute.h"
#include "store/store.h"

/* Records D; a dispute of the same event (origin, number) is kept as it
 * was (its first record stands). */
int bf_store_dispute_put(struct bf_store *s, const struct bf_dispute *d, struct bf_error *err);
/* Every dispute, in the order they were raised here. Free *OUT with
 * free(). */
int bf_store_disputes_list(struct bf_store *s, struct bf_dispute **out, size_t *n, struct bf_error *err);
/* How many disputes there are. */
int bf_store_disputes_count(struct bf_store *s, int64_t *out, struct bf_error *err);

/* The events node RAISED_BY disputes, those about SUBJECT only (NULL:
 * all), as (origin, origin_seq) pairs sorted by origin then number, for
 * bf_store_disputed_has(). Free *OUT with free(). */
struct bf_store_event_ref {
	char origin[BF_NODE_ID_MAX + 1];
	int64_t origin_seq;
};
int bf_store_disputed(struct bf_store *s, const char *raised_by, const char *subject, struct bf_store_event_ref **out,
                      size_t *n, struct bf_error *err);
/* Whether event ORIGIN #ORIGIN_SEQ is among the N sorted REFS. */
bool bf_store_disputed_has(const struct bf_store_event_ref *refs, size_t n, const char *origin, int64_t origin_seq);

/* Records fork F (a fork of the same event found again stands as first
 * recorded). */
int bf_store_fork_put(struct bf_store *s, const struct bf_fork *f, struct bf_error *err);
/* Every fork, open or resolved, in the order found; free with
 * bf_store_forks_free(). */
int bf_store_forks_list(struct bf_store *s, struct bf_fork **out, size_t *n, struct bf_error *err);
void bf_store_forks_free(struct bf_fork *v, size_t n);
/* The forks of ORIGIN's chain still open (NULL: of any chain). */
int bf_store_forks_open(struct bf_store *s, const char *origin, int64_t *out, struct bf_error *err);
/* Marks the fork of ORIGIN #ORIGIN_SEQ resolved at AT; BF_ENOTFOUND when
 * no open fork is there. */
int bf_store_fork_resolve(struct bf_store *s, const char *origin, int64_t origin_seq, bf_time at, struct bf_error *err);

/* The latest signed head of ORIGIN's chain received here: HEAD is its
 * JSON as the feed carried it. _put keeps the highest number (an older
 * head arriving late changes nothing); _get gives BF_ENOTFOUND before any
 * (*HEAD malloc'd). */
int bf_store_peer_head_put(struct bf_store *s, const char *origin, int64_t origin_seq, const char *head,
                           bf_time received_at, struct bf_error *err);
int bf_store_peer_head_get(struct bf_store *s, const char *origin, int64_t *origin_seq, char **head,
                           bf_time *received_at, struct bf_error *err);

#endif
