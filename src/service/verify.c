/* What verify checks above the ledger: the records the service derives
 * from the log (registry records, notices), each as the events that
 * change it leave it. The walk over the events of some kinds and the
 * fault that names a record are shared here. */
#include "service/service_int.h"
#include "store/store_dispute.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERIFY_PAGE 1000

int bf_svc_events_each(struct bf_store *s, const char *prefix,
                       int (*fn)(void *ctx, const struct bf_event *e, const char *node), void *ctx,
                       struct bf_error *err)
{
	struct bf_store_event_ref *disputed = NULL;
	size_t n_disputed = 0, n;
	struct bf_event *v;
	char node[BF_NODE_ID_MAX + 1];
	int64_t after = 0;
	int rc = bf_store_node_get(s, node, err);
	if (rc == BF_ENOTFOUND)
		return BF_OK; /* no event yet */
	if (rc == BF_OK)
		rc = bf_store_disputed(s, node, NULL, &disputed, &n_disputed, err);
	while (rc == BF_OK) {
		if ((rc = bf_store_events_of_kind(s, prefix, after, VERIFY_PAGE, &v, &n, err)) != 0)
			break;
		for (size_t i = 0; rc == BF_OK && i < n; i++) {
			if (!bf_store_disputed_has(disputed, n_disputed, v[i].origin, v[i].origin_seq))
				rc = fn(ctx, &v[i], node);
		}
		if (n > 0)
			after = v[n - 1].seq;
		bf_store_events_free(v, n);
		if (n < VERIFY_PAGE)
			break;
	}
	free(disputed);
	return rc;
}

int bf_svc_changed_since(struct bf_store *s, const char *prefix, const char *subject, int64_t seq, bool *out,
                         struct bf_error *err)
{
	struct bf_event *v;
	size_t n;
	*out = false;
	for (;;) {
		int rc = bf_store_events_of_kind(s, prefix, seq, VERIFY_PAGE, &v, &n, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && !*out; i++)
			*out = strcmp(v[i].subject, subject) == 0;
		if (n > 0)
			seq = v[n - 1].seq;
		bf_store_events_free(v, n);
		if (*out || n < VERIFY_PAGE)
			return BF_OK;
	}
}

int bf_svc_record_fault(struct bf_ledger_fault *f, const char *what, const char *subject, const char *fmt, ...)
{
	va_list ap;
	memset(f, 0, sizeof(*f));
	f->kind = BF_LF_RECORD;
	bf_strlcpy(f->event_kind, what, sizeof(f->event_kind));
	bf_strlcpy(f->record, subject, sizeof(f->record));
	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
	return BF_EREJECTED;
}
