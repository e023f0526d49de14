/* Whose step it is (model/authority.c). A node acts for one country, the
 * one its id begins with ("vn" for VN), and a consignment is decided on by
 * the side the goods are on: the rule a node applies to what it signs and
 * to what it accepts from its peer (service/authority.h). */
#ifndef BF_MODEL_AUTHORITY_H
#define BF_MODEL_AUTHORITY_H

#include "model/consignment.h"

#include <stdbool.h>

/* The country node NODE acts for: its id's first two letters, in upper
 * case, into OUT. False when they are not two letters. */
bool bf_authority_node_country(const char *node, char out[3]);

/* The country whose node decides on a consignment now in STATE, exported
 * from EXPORT_COUNTRY to DESTINATION: the import side's while it is
 * export_cleared, in inspection, import_cleared or refused (so the import
 * side's gate records its crossing or return), the export side's in every
 * other state. One of the two arguments. */
const char *bf_authority_owner_country(enum bf_state state, const char *export_country, const char *destination);

/* What a node acts for, recorded in its database beside its id.
 * BF_SCOPE_COUNTRY: one side of a two-node deployment, acting for the
 * country its id names and for nothing else; BF_SCOPE_BORDER: one node
 * that holds the whole border, both sides' steps (never paired). */
enum bf_scope { BF_SCOPE_BORDER, BF_SCOPE_COUNTRY };

/* "border" or "country"; and back (false for another name). */
const char *bf_scope_name(enum bf_scope scope);
bool bf_scope_parse(const char *name, enum bf_scope *out);

#endif
