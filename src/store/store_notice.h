/* The store's verbs for notices (model/notice.h): the notices, their
 * acknowledgements, and the registry codes suspended after them. Same
 * rules as store.h: one connection, one thread; records copied out. */
#ifndef BF_STORE_STORE_NOTICE_H
#define BF_STORE_STORE_NOTICE_H

#include "model/notice.h"
#include "store/store.h"

/* The number the next notice of ORIGIN takes (1 for the first). Call it
 * inside the write transaction that stores the notice. */
int bf_store_notice_next_number(struct bf_store *s, const char *origin, int64_t *out, struct bf_error *err);
/* Stores N (its acknowledgements aside), numbered NUMBER of ORIGIN; an
 * existing id or number gives BF_ECONFLICT. */
int bf_store_notice_put(struct bf_store *s, const struct bf_notice *n, const char *origin, int64_t number,
                        struct bf_error *err);
/* Notice ID with its acknowledgements; BF_ENOTFOUND (field "id") if none. */
int bf_store_notice_get(struct bf_store *s, const char *id, struct bf_notice *out, struct bf_error *err);

/* Notices matching F, newest first (by time posted, then by arrival here).
 * *NEXT is the cursor of the next page, 0 when this one is the last.
 * Free *OUT with free(). */
int bf_store_notices_list(struct bf_store *s, const struct bf_notice_filter *f, struct bf_notice **out, size_t *n,
                          int64_t *next, struct bf_error *err);

/* Records A on notice NOTICE_ID; a second one of A's country gives
 * BF_ECONFLICT. */
int bf_store_notice_ack_put(struct bf_store *s, const char *notice_id, const struct bf_notice_ack *a,
                            struct bf_error *err);

/* Registry code CODE of KIND ("exporter", "planting_area",
 * "packing_house") was suspended after notice NOTICE_ID: _put records it
 * (replacing an earlier link), _clear forgets it (the code is
 * reinstated), _get gives the notice (BF_ENOTFOUND without a link). */
int bf_store_notice_suspension_put(struct bf_store *s, const char *kind, const char *code, const char *notice_id,
                                   bf_time at, struct bf_error *err);
int bf_store_notice_suspension_clear(struct bf_store *s, const char *kind, const char *code, struct bf_error *err);
int bf_store_notice_suspension_get(struct bf_store *s, const char *kind, const char *code, struct bf_notice *out,
                                   struct bf_error *err);

#endif
