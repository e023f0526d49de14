/* Whose step an event is (peer/authority.c). Each side decides for
 * itself: a node acts for one country, the one its id begins with ("vn"
 * for VN), and owns a consignment while the goods are on its side. The
 * ledger checks that a peer's event is signed by a key of its author in
 * the role it claims; this checks that the peer's country may take that
 * step at all, since the peer makes its own parties and their roles.
 *
 * What a peer's node may send, kind by kind (anything else is refused):
 *   consignment.declared      a load exported by an exporter registered
 *                             here as the peer's country's
 *   consignment.*, booking.*  on a consignment here that the peer's side
 *                             owns in its state before the event (see
 *                             bf_authority_owner_country); an export decision
 *                             only when the peer's country is the
 *                             exporter's, an import decision only when it
 *                             is the destination
 *   notice.posted             a notice posted for the peer's country
 *   notice.acknowledged       an acknowledgement by the peer's country
 *   registry.KIND.VERB        by a registry authority, of a code the
 *                             peer's country issued (payload and any
 *                             record here); by the peer's node operator,
 *                             any code: its import of a registry file
 *   gate.changed              hours of the peer's own side of a gate
 *                             here, or lanes of a gate it is a side of
 *   risk_profile.updated      the peer's country's profile, by a border
 *                             authority
 *   party.created, token.*    the peer's node operator's own records */
#ifndef BF_PEER_AUTHORITY_H
#define BF_PEER_AUTHORITY_H

#include "model/authority.h"
#include "model/event.h"
#include "store/store.h"

#include <stdbool.h>

/* Checks that the peer node E->origin may make event E, as the list above
 * says, against this node's records, within the caller's transaction:
 * after bf_ledger_apply_foreign() has checked and appended E, before its
 * effect is applied. Writes nothing. BF_EFORBIDDEN naming "authority"
 * with the reason when it may not, BF_EINVAL when the payload it needs
 * cannot be read, another code when the store fails. */
int bf_peer_authority_check(struct bf_store *s, const struct bf_event *e, struct bf_error *err);

#endif
