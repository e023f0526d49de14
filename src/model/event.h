/* Events: every change of state, of registry or of configuration,
 * recorded once, in order. The ledger (src/ledger/) chains and signs them;
 * here they are plain records with room for its fields. */
#ifndef BF_MODEL_EVENT_H
#define BF_MODEL_EVENT_H

#include "model/lifecycle.h"
#include "model/party.h"
#include "model/time.h"

#include <stdint.h>

#define BF_EVENT_KIND_MAX    48
#define BF_EVENT_SUBJECT_MAX 64
#define BF_NODE_ID_MAX       16 /* "vn", "cn": the node whose chain an event is in */
#define BF_KEY_ID_MAX        16 /* hex of the first 8 bytes of the public key's BLAKE2b-256 */
#define BF_EVENT_HASH_BYTES  32 /* BLAKE2b-256 */
#define BF_EVENT_SIG_BYTES   64 /* Ed25519 */

struct bf_event {
	int64_t seq; /* order in this node's log, from 1; set by the store */
	bf_time at;
	char party_id[BF_PARTY_ID_MAX + 1];
	enum bf_role role;
	char kind[BF_EVENT_KIND_MAX + 1];       /* "consignment.declared", "registry.exporter.created", ... */
	char subject[BF_EVENT_SUBJECT_MAX + 1]; /* "consignment/c-...", "exporter/VN-EXP-0101", ... */
	char *payload;                          /* canonical JSON text; owned by whoever filled the record */
	/* The ledger's fields; origin "" for a row written before the ledger. */
	char origin[BF_NODE_ID_MAX + 1];              /* node that recorded it first */
	int64_t origin_seq;                           /* its number in that node's chain, from 1 */
	unsigned char prev_hash[BF_EVENT_HASH_BYTES]; /* hash of origin_seq - 1 there; zeros for the first */
	unsigned char hash[BF_EVENT_HASH_BYTES];
	unsigned char signature[BF_EVENT_SIG_BYTES]; /* by the author's key over HASH */
	char key_id[BF_KEY_ID_MAX + 1];
};

#endif
