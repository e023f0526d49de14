/* Notices: kind names, ids and the rules each kind's fields follow. */
#include "model/notice.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[BF_NOTICE_KINDS] = {"non_compliance", "gate_disruption", "rule_change"};

const char *bf_notice_kind_name(enum bf_notice_kind k)
{
	return (unsigned)k < BF_NOTICE_KINDS ? kind_names[k] : "unknown";
}

int bf_notice_kind_parse(const char *s, enum bf_notice_kind *out)
{
	for (int k = 0; k < BF_NOTICE_KINDS; k++) {
		if (strcmp(s, kind_names[k]) == 0) {
			*out = (enum bf_notice_kind)k;
			return BF_OK;
		}
	}
	return BF_EINVAL;
}

void bf_notice_id_format(const char *node, int64_t number, char out[BF_NOTICE_ID_MAX + 1])
{
	snprintf(out, BF_NOTICE_ID_MAX + 1, "N-%s-%06" PRId64, node, number);
}

int bf_notice_id_parse(const char *id, char *node, int64_t *number, struct bf_error *err)
{
	const char *dash = strrchr(id, '-');
	size_t len;
	if (strncmp(id, "N-", 2) != 0 || dash == NULL || dash <= id + 2)
		return bf_error_set(err, BF_EINVAL, "id", "\"%s\" is not a notice id such as N-vn-000001", id);
	len = (size_t)(dash - (id + 2));
	if (len > BF_NODE_ID_MAX || strlen(dash + 1) < 6 || strlen(dash + 1) > 15)
		return bf_error_set(err, BF_EINVAL, "id", "\"%s\" is not a notice id such as N-vn-000001", id);
	for (const char *c = dash + 1; *c; c++)
		if (*c < '0' || *c > '9')
			return bf_error_set(err, BF_EINVAL, "id", "\"%s\" is not a notice id such as N-vn-000001", id);
	memcpy(node, id + 2, len);
	node[len] = '\0';
	*number = strtoll(dash + 1, NULL, 10);
	if (*number < 1)
		return bf_error_set(err, BF_EINVAL, "id", "a notice's number starts from 1");
	return BF_OK;
}

int bf_notice_validate(const struct bf_notice *n, struct bf_error *err)
{
	bool names = n->exporter[0] || n->planting_area[0] || n->packing_house[0];
	size_t len = strlen(n->text);
	if ((unsigned)n->kind >= BF_NOTICE_KINDS)
		return bf_error_set(err, BF_EINVAL, "kind", "must be non_compliance, gate_disruption or rule_change");
	if (len == 0 || len > BF_NOTICE_TEXT_MAX)
		return bf_error_set(err, BF_EINVAL, "text", "must be a text of 1 to %d bytes", BF_NOTICE_TEXT_MAX);
	if (n->kind == BF_NOTICE_NON_COMPLIANCE && !names)
		return bf_error_set(err, BF_EINVAL, "names",
		                    "a non-compliance names its exporter, planting area or packing house");
	if (n->kind != BF_NOTICE_NON_COMPLIANCE && names)
		return bf_error_set(err, BF_EINVAL, "names", "only a non-compliance names registry codes");
	if (n->kind == BF_NOTICE_GATE_DISRUPTION && n->gate[0] == '\0')
		return bf_error_set(err, BF_EINVAL, "gate", "a gate disruption names its gate");
	if (n->kind != BF_NOTICE_GATE_DISRUPTION && n->gate[0])
		return bf_error_set(err, BF_EINVAL, "gate", "only a gate disruption names a gate");
	return BF_OK;
}

bool bf_notice_acked_by(const struct bf_notice *n, const char *country)
{
	for (int i = 0; i < n->n_acks; i++)
		if (strcmp(n->acks[i].country, country) == 0)
			return true;
	return false;
}

char *bf_notice_code_dst(struct bf_notice *n, enum bf_registry_kind k)
{
	return k == BF_REG_EXPORTER ? n->exporter : k == BF_REG_PLANTING_AREA ? n->planting_area : n->packing_house;
}

const char *bf_notice_code(const struct bf_notice *n, enum bf_registry_kind k)
{
	/* The same field, only read: the cast writes nothing. */
	return bf_notice_code_dst((struct bf_notice *)n, k);
}

bool bf_notice_role_posts(enum bf_role r)
{
	return r == BF_ROLE_EXPORT_AUTHORITY || r == BF_ROLE_IMPORT_AUTHORITY || r == BF_ROLE_GATE_OPERATOR ||
	       r == BF_ROLE_REGISTRY_AUTHORITY;
}
