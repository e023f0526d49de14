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

/* A signing key: bound to one party acting in one role on one node, and
 * in force over a stretch of that node's chain (see ledger/ledger.h). */
#define BF_PUBLIC_KEY_BYTES 32
#define BF_SECRET_KEY_BYTES 64
struct bf_signing_key {
	char id[BF_KEY_ID_MAX + 1];
	char party_id[BF_PARTY_ID_MAX + 1];
	enum bf_role role;
	char node[BF_NODE_ID_MAX + 1];
	int64_t number;   /* the party's keys on NODE count from 1 */
	int64_t from_seq; /* signs events of NODE's chain numbered above this */
	unsigned char public_key[BF_PUBLIC_KEY_BYTES];
	bool has_secret; /* false for a peer's imported key */
	unsigned char secret_key[BF_SECRET_KEY_BYTES];
	bf_time created_at;
};

#endif
