/* Whose step it is: the country a node acts for, and the side that
 * decides on a consignment in each state (model/authority.h). */
#include "model/authority.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

bool bf_authority_node_country(const char *node, char out[3])
{
	out[0] = '\0';
	if (node == NULL || !isalpha((unsigned char)node[0]) || !isalpha((unsigned char)node[1]))
		return false;
	out[0] = (char)toupper((unsigned char)node[0]);
	out[1] = (char)toupper((unsigned char)node[1]);
	out[2] = '\0';
	return true;
}

const char *bf_authority_owner_country(enum bf_state state, const char *export_country, const char *destination)
{
	bool import_phase = state == BF_ST_EXPORT_CLEARED || state == BF_ST_INSPECTION ||
	                    state == BF_ST_IMPORT_CLEARED || state == BF_ST_REFUSED;
	return import_phase ? destination : export_country;
}

const char *bf_scope_name(enum bf_scope scope)
{
	return scope == BF_SCOPE_COUNTRY ? "country" : "border";
}

bool bf_scope_parse(const char *name, enum bf_scope *out)
{
	if (strcmp(name, "country") == 0)
		*out = BF_SCOPE_COUNTRY;
	else if (strcmp(name, "border") == 0)
		*out = BF_SCOPE_BORDER;
	else
		return false;
	return true;
}
