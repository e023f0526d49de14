/* Whose step an event is (service/authority.c): one rule, applied by a
 * node to what it signs and to what it accepts from its peer. Each side
 * decides for itself: a node acts for one country, the one its id begins
 * with ("vn" for VN), and owns a consignment while the goods are on its
 * side. The ledger checks that an event is signed by a key of its author
 * in the role it claims; this checks that the author's node may take that
 * step at all, since each node makes its own parties and their roles and a
 * party may claim any country.
 *
 * What a node (E->origin) may sign, kind by kind (anything else is
 * refused); "the node's country" is the one its id names:
 *   consignment.declared      a load exported by an exporter registered
 *                             here as the node's country's
 *   consignment.*, booking.*  on a consignment here that the node's side
 *                             owns in its state before the event (see
 *                             bf_authority_owner_country); an export decision
 *                             only when the node's country is the
 *                             exporter's, an import decision only when it
 *                             is the destination
 *   notice.posted             a notice posted for the node's country
 *   notice.acknowledged       an acknowledgement by the node's country
 *   registry.KIND.VERB        by a registry authority, of a code the
 *                             node's country issued (payload and any
 *                             record here); by the node operator of the
 *                             node, any code: its import of a registry file
 *   gate.changed              hours of the node's own side of a gate
 *                             here, or lanes of a gate it is a side of
 *   risk_profile.updated      the node's country's profile, by a border
 *                             authority
 *   party.created, token.*    the node operator's own records
 *   key.made                  by the node operator: a key of its node
 *                             (ledger.h, keys on the chain)
 *   dispute.raised            by its node operator, of an event of
 *                             another node's chain (service/dispute.h) */
#ifndef BF_SERVICE_AUTHORITY_H
#define BF_SERVICE_AUTHORITY_H

#include "model/authority.h"
#include "model/event.h"
#include "store/store.h"

#include <stdbool.h>

/* Checks that node E->origin may make event E, as the list above says,
 * against this node's records, within the caller's transaction, before
 * E's effect on them is applied (the peer's event), or before E is signed
 * (this node's own). BEFORE is the state of E's consignment before E when
 * the caller has already moved it (-1: read it from the store). Writes
 * nothing. BF_EFORBIDDEN naming "authority" with the reason when it may
 * not, BF_EINVAL when the payload it needs cannot be read, another code
 * when the store fails. */
int bf_authority_check(struct bf_store *s, const struct bf_event *e, int before, struct bf_error *err);

#endif
