/* Validation of parties. */
#include "model/party.h"

#include "model/registry.h"

#include <stdio.h>
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
	if (p->n_gates < 0 || p->n_gates > BF_PARTY_GATES_MAX)
		return bf_error_set(err, BF_EINVAL, "gates", "at most %d gates", BF_PARTY_GATES_MAX);
	if (p->n_gates > 0 && p->role != BF_ROLE_GATE_OPERATOR)
		return bf_error_set(err, BF_EINVAL, "gates", "only a gate operator is assigned gates, not a %s",
		                    bf_role_name(p->role));
	for (int i = 0; i < p->n_gates; i++) {
		if (p->gates[i][0] == '\0')
			return bf_error_set(err, BF_EINVAL, "gates", "a gate's id is empty");
		for (int k = 0; k < i; k++)
			if (strcmp(p->gates[k], p->gates[i]) == 0)
				return bf_error_set(err, BF_EINVAL, "gates", "%s is named twice", p->gates[i]);
	}
	return BF_OK;
}

static bool assigned(const struct bf_party *p, const char *gate)
{
	for (int i = 0; i < p->n_gates; i++)
		if (strcmp(p->gates[i], gate) == 0)
			return true;
	return false;
}

void bf_party_gate_list(const struct bf_party *p, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < p->n_gates && len < cap; i++) {
		int n = snprintf(buf + len, cap - len, "%s%s", i ? ", " : "", p->gates[i]);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

bool bf_party_same_gates(const struct bf_party *p, const struct bf_party *q)
{
	if (p->n_gates != q->n_gates)
		return false;
	for (int i = 0; i < p->n_gates; i++)
		if (!assigned(q, p->gates[i]))
			return false;
	return true;
}

int bf_party_check_gate(const struct bf_party *p, const struct bf_gate_pair *g, const char *field, struct bf_error *err)
{
	if (p->role != BF_ROLE_GATE_OPERATOR)
		return BF_OK;
	if (strcmp(g->side[0].country, p->country) != 0 && strcmp(g->side[1].country, p->country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, field, "operator %s acts for %s, which is neither side of %s",
		                    p->id, p->country, g->id);
	if (p->n_gates > 0 && !assigned(p, g->id)) {
		char list[BF_PARTY_GATE_LIST];
		bf_party_gate_list(p, list, sizeof(list));
		return bf_error_set(err, BF_EFORBIDDEN, field, "operator %s is not assigned to %s; it acts at %s",
		                    p->id, g->id, list);
	}
	return BF_OK;
}
