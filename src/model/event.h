/* Events: every change of state, of registry or of configuration,
 * recorded once, in order. The ledger chains and signs them; here they
 * are plain records. */
#ifndef BF_MODEL_EVENT_H
#define BF_MODEL_EVENT_H

#include "model/lifecycle.h"
#include "model/party.h"
#include "model/time.h"

#include <stdint.h>

#define BF_EVENT_KIND_MAX    48
#define BF_EVENT_SUBJECT_MAX 64

struct bf_event {
	int64_t seq; /* order in this node's log, from 1; set by the store */
	bf_time at;
	char party_id[BF_PARTY_ID_MAX + 1];
	enum bf_role role;
	char kind[BF_EVENT_KIND_MAX + 1];       /* "consignment.declared", "registry.exporter.created", ... */
	char subject[BF_EVENT_SUBJECT_MAX + 1]; /* "consignment/c-...", "exporter/VN-EXP-0101", ... */
	char *payload;                          /* canonical JSON text; owned by whoever filled the record */
};

#endif
