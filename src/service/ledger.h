/* The ledger's use cases (service/ledger.c): signing keys, their
 * exchange with the peer, and the verification of the whole log. */
#ifndef BF_SERVICE_LEDGER_H
#define BF_SERVICE_LEDGER_H

#include "ledger/ledger.h"
#include "service/service.h"

/* A new signing key for PARTY_ID on this node (first or rotation); *OUT
 * without its secret. BF_ENOTFOUND for an unknown party. */
int bf_service_key_new(struct bf_service *svc, const char *party_id, struct bf_signing_key *out, struct bf_error *err);
/* Every key registered here, without secrets; free with
 * bf_service_keys_free(). */
int bf_service_keys(struct bf_service *svc, struct bf_signing_key **out, size_t *n, struct bf_error *err);
/* This node's public keys as JSON for the peer; *OUT is the caller's to
 * free(). */
int bf_service_keys_export(struct bf_service *svc, char **out, struct bf_error *err);
/* Registers a peer's public keys (bf_ledger_keys_import), all or none. */
int bf_service_keys_import(struct bf_service *svc, const char *text, size_t len, int *added, int *known,
                           struct bf_error *err);
/* Verifies the whole log, then the consignment and registry records and
 * the notices against it, with the N_PINS node keys PINS as trust roots
 * (bf_ledger_verify_records, bf_svc_registry_verify,
 * bf_svc_notices_verify). */
int bf_service_verify(struct bf_service *svc, const struct bf_ledger_pin *pins, size_t n_pins,
                      struct bf_ledger_summary *out, struct bf_error *err);
/* This node's node key, made if it has none yet (bf_ledger_node_key). */
int bf_service_node_key(struct bf_service *svc, struct bf_signing_key *out, struct bf_error *err);
/* Pins the peer NODE's node key, given as hex (bf_ledger_pin); BF_EINVAL
 * naming "peer-key" when HEX is not 64 hex digits. */
int bf_service_pin(struct bf_service *svc, const char *node, const char *hex, struct bf_error *err);
/* Checks the ends of the chains, as a node does at start
 * (bf_ledger_check_ends). */
int bf_service_check_ends(struct bf_service *svc, int last, struct bf_ledger_summary *out, struct bf_error *err);

/* Frees the N keys of V that bf_service_keys() handed out. */
void bf_service_keys_free(struct bf_signing_key *v, size_t n);

#endif
