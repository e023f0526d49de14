/* Disputes (model/dispute.h): the events of the peer's chain that this
 * node holds without effect because they break the authority rule, and
 * those its peer holds so of this node's chain. */
#ifndef BF_SERVICE_DISPUTE_H
#define BF_SERVICE_DISPUTE_H

#include "model/dispute.h"
#include "service/service.h"
#include "store/store.h"

/* Records, within the caller's transaction and at NOW, that this node
 * (NODE) disputes event E of its peer's chain, which the caller has
 * appended with bf_ledger_apply_disputed(), for REASON; and signs a
 * dispute.raised event about it (subject "event/ORIGIN/NUMBER") as the
 * node operator, which the peer applies with bf_service_dispute_apply(). */
int bf_service_dispute_raise(struct bf_store *s, const char *node, const struct bf_event *e, const char *reason,
                             bf_time now, struct bf_error *err);

/* The effect of a peer's dispute.raised event E, within the caller's
 * transaction: the dispute is listed here too, raised by E's origin.
 * Idempotent. BF_EINVAL (field named) when the payload cannot be read or
 * disagrees with the event's subject. */
int bf_service_dispute_apply(struct bf_store *s, const struct bf_event *e, struct bf_error *err);

/* Every dispute either node raised, as this node holds them, in the order
 * raised. Free *OUT with free(). */
int bf_service_disputes(struct bf_service *svc, struct bf_dispute **out, size_t *n, struct bf_error *err);
/* How many there are. */
int bf_service_disputes_count(struct bf_service *svc, int64_t *out, struct bf_error *err);

/* Records, within the caller's transaction and at NOW, that event HELD
 * (this node's) and event OFFERED (the peer's copy), both validly signed
 * (bf_ledger_event_signed), stand under the same number of the same
 * chain: a fork, both kept as evidence, said in the log as an ALERT. */
int bf_service_fork_record(struct bf_store *s, const struct bf_event *held, const struct bf_event *offered, bf_time now,
                           struct bf_error *err);
/* As bf_service_fork_record(), where what is offered is the peer's signed
 * head HEAD (its JSON, as the feed carried it), naming another event than
 * HELD under HELD's number. */
int bf_service_fork_head(struct bf_store *s, const struct bf_event *held, const char *head, bf_time now,
                         struct bf_error *err);
/* Every fork this node has found, open or resolved; free with
 * bf_service_forks_free(). */
int bf_service_forks(struct bf_service *svc, struct bf_fork **out, size_t *n, struct bf_error *err);
void bf_service_forks_free(struct bf_fork *v, size_t n);
/* Marks the fork of ORIGIN #ORIGIN_SEQ resolved (an operator's step, once
 * the two sides have settled which history stands): the pull takes that
 * chain's events again. BF_ENOTFOUND when no open fork is there. */
int bf_service_fork_resolve(struct bf_service *svc, const char *origin, int64_t origin_seq, struct bf_error *err);

#endif
