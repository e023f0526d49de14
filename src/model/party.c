/* Validation of parties. */
#include "model/party.h"

#include "model/registry.h"

#include <string.h>

int bf_party_validate(const struct bf_party *p, struct bf_error *err)
{
	size_t n = strlen(p->id);
	if (n == 0 || n > BF_PARTY_ID_MAX)
		return bf_error_set(err, BF_EINVAL, "party", "must be 1 to %d characters", BF_PARTY_ID_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = p->id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
			return bf_error_set(err, BF_EINVAL, "party", "may hold only a-z, 0-9, '-', '.' and '_'");
	}
	if ((int)p->role <= BF_ROLE_SYSTEM || p->role >= BF_ROLE_COUNT)
		return bf_error_set(err, BF_EINVAL, "role",
		                    "must be carrier, export_authority, import_authority, gate_operator, planner, "
		                    "registry_authority or auditor");
	if (!bf_country_code_valid(p->country))
		return bf_error_set(err, BF_EINVAL, "country", "must be an ISO 3166-1 alpha-2 code such as VN");
	return BF_OK;
}
