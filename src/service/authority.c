/* The authority rule: whose step each kind of event is (the rules in
 * service/authority.h, the country of a
 * node and of a consignment's owner in model/authority.h). */
#include "service/authority.h"

#include "ledger/ledger.h"
#include "model/authority.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>

/* The payload's text field KEY into DST (CAP bytes); false when the
 * payload is not an object or the field is not a string that fits. */
static bool payload_text(const struct bf_event *e, const char *key, char *dst, size_t cap)
{
	json_t *j = e->payload ? json_loads(e->payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
	const char *v = json_string_value(json_object_get(j, key));
	bool ok = v != NULL && bf_strlcpy(dst, v, cap) == 0;
	json_decref(j);
	if (!ok)
		dst[0] = '\0';
	return ok;
}

/* ---- consignments ---- */

static bool consignment_kind(const struct bf_event *e)
{
	/* The moves the ledger reads (consignment.STATE, checked_in and the
	 * bookings' own), and the notes that move nothing. */
	return bf_ledger_event_state(e) >= 0 || strcmp(e->kind, "consignment.routed") == 0 ||
	       strcmp(e->kind, "consignment.at_risk") == 0 || strcmp(e->kind, "booking.changed") == 0;
}

static int consignment_event(struct bf_store *s, const struct bf_event *e, int before, const char *country,
                             struct bf_error *err)
{
	struct bf_consignment c;
	struct bf_exporter x;
	char exporter[BF_CODE_MAX + 1];
	const char *id = e->subject + strlen("consignment/");
	int rc;
	if (!consignment_kind(e))
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "this node does not know a %s event on a consignment, so it cannot tell who "
		                    "may make it",
		                    e->kind);
	if (strcmp(e->kind, "consignment.declared") == 0) {
		/* A load is declared on the node of the side it leaves from. */
		if (!payload_text(e, "exporter", exporter, sizeof(exporter)))
			return bf_error_set(err, BF_EINVAL, "payload", "the declaration cannot be read");
		rc = bf_store_exporter_get(s, exporter, &x, err);
		if (rc == BF_ENOTFOUND)
			return bf_error_set(err, BF_EFORBIDDEN, "authority",
			                    "exporter %s is not registered here, so whose export %s is cannot be told",
			                    exporter, id);
		if (rc)
			return rc;
		if (strcmp(x.country, country) != 0)
			return bf_error_set(err, BF_EFORBIDDEN, "authority",
			                    "%s is exported by %s, of %s: it is declared on %s's node, and node %s "
			                    "acts for %s",
			                    id, exporter, x.country, x.country, e->origin, country);
		return BF_OK;
	}
	rc = bf_store_consignment_get(s, id, &c, err);
	if (rc == BF_ENOTFOUND)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "consignment %s is not here", id);
	if (rc)
		return rc;
	if ((rc = bf_store_exporter_get(s, c.exporter_id, &x, err)) != 0)
		return rc;
	/* Each side decides for itself, as bf_service_decide() says. */
	if (e->role == BF_ROLE_EXPORT_AUTHORITY && strcmp(x.country, country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "the export decision on %s is %s's, and node %s acts for %s", id, x.country,
		                    e->origin, country);
	if (e->role == BF_ROLE_IMPORT_AUTHORITY && strcmp(c.destination, country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "the import decision on %s is %s's, and node %s acts for %s", id, c.destination,
		                    e->origin, country);
	/* And only while the goods are on its side. */
	enum bf_state state = before >= 0 && before < BF_ST_COUNT ? (enum bf_state)before : c.state;
	const char *owner = bf_authority_owner_country(state, x.country, c.destination);
	if (strcmp(owner, country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "%s is %s: %s's node decides on it now, and node %s acts for %s", id,
		                    bf_state_name(state), owner, e->origin, country);
	return BF_OK;
}

/* ---- notices ---- */

static int notice_event(const struct bf_event *e, const char *country, struct bf_error *err)
{
	bool posted = strcmp(e->kind, "notice.posted") == 0;
	char who[8];
	/* A payload without its country is refused when it is applied. */
	if (!payload_text(e, "country", who, sizeof(who)) || strcmp(who, country) == 0)
		return BF_OK;
	if (posted)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "the notice is posted for %s, and node %s acts for %s", who, e->origin, country);
	return bf_error_set(err, BF_EFORBIDDEN, "authority",
	                    "the acknowledgement is made for %s, and node %s acts for %s", who, e->origin, country);
}

/* ---- the registry ---- */

static int registry_event(struct bf_store *s, const struct bf_event *e, const char *country, struct bf_error *err)
{
	static const char *const verbs[4] = {"created", "updated", "suspended", "reinstated"};
	const char *rest = e->kind + strlen("registry."), *dot = strchr(rest, '.');
	int k = -1;
	bool verb = false;
	for (int i = 0; dot != NULL && i < BF_REG_KINDS; i++)
		if ((size_t)(dot - rest) == strlen(bf_registry_kind_noun((enum bf_registry_kind)i)) &&
		    strncmp(rest, bf_registry_kind_noun((enum bf_registry_kind)i), (size_t)(dot - rest)) == 0)
			k = i;
	for (int i = 0; k >= 0 && i < 4; i++)
		verb = verb || strcmp(dot + 1, verbs[i]) == 0;
	const char *noun = k >= 0 ? bf_registry_kind_noun((enum bf_registry_kind)k) : "";
	size_t n = strlen(noun);
	if (k < 0 || !verb || strncmp(e->subject, noun, n) != 0 || e->subject[n] != '/')
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "this node does not know a %s event on %s, so it cannot tell who may make it",
		                    e->kind, e->subject);
	const char *code = e->subject + n + 1;
	/* The node operator imports registry files, which may hold both
	 * sides' codes: a node's copy of them is its own business. */
	if (e->role == BF_ROLE_SYSTEM)
		return BF_OK;
	if (e->role != BF_ROLE_REGISTRY_AUTHORITY)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "a %s does not change the registry",
		                    bf_role_name(e->role));
	char claimed[8], here[3] = "";
	if (!payload_text(e, "country", claimed, sizeof(claimed)))
		return bf_error_set(err, BF_EINVAL, "payload", "the registry record names no country");
	if (strcmp(claimed, country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "%s %s is %s's to register, and node %s acts for %s", noun, code, claimed,
		                    e->origin, country);
	struct bf_registry_record rec;
	int rc = bf_store_registry_get(s, &rec, (enum bf_registry_kind)k, code, err);
	if (rc == BF_ENOTFOUND)
		return BF_OK;
	if (rc)
		return rc;
	bf_strlcpy(here, bf_registry_country(rec.kind, &rec.u), sizeof(here));
	if (strcmp(here, country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "%s %s is registered here as %s's, and node %s acts for %s", noun, code, here,
		                    e->origin, country);
	return BF_OK;
}

/* ---- gates and risk profiles ---- */

static int gate_event(struct bf_store *s, const struct bf_event *e, const char *country, struct bf_error *err)
{
	struct bf_gate_pair g;
	char what[16], side[4];
	int rc;
	if (strncmp(e->subject, "gate/", 5) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "a gate change names its gate, not %s",
		                    e->subject);
	if (e->role != BF_ROLE_GATE_OPERATOR && e->role != BF_ROLE_SYSTEM)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "a %s does not change a gate",
		                    bf_role_name(e->role));
	if (!payload_text(e, "kind", what, sizeof(what)))
		return bf_error_set(err, BF_EINVAL, "payload", "the gate change cannot be read");
	rc = bf_store_gate_get(s, e->subject + 5, &g, err);
	if (rc == BF_ENOTFOUND)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "gate %s is not here, so its sides cannot be told",
		                    e->subject + 5);
	if (rc)
		return rc;
	if (strcmp(what, "lanes") == 0) {
		/* The lanes are the pair's: either side's operator sets them. */
		if (strcmp(g.side[0].country, country) != 0 && strcmp(g.side[1].country, country) != 0)
			rc = bf_error_set(err, BF_EFORBIDDEN, "authority",
			                  "node %s acts for %s, which is neither side of %s", e->origin, country, g.id);
	} else if (strcmp(what, "closure") == 0 || strcmp(what, "extension") == 0) {
		int i = !payload_text(e, "side", side, sizeof(side)) ? -1
		        : strcmp(side, "a") == 0                     ? 0
		        : strcmp(side, "b") == 0                     ? 1
		                                                     : -1;
		if (i < 0)
			rc = bf_error_set(err, BF_EINVAL, "payload", "the gate change names no side");
		else if (strcmp(g.side[i].country, country) != 0)
			rc = bf_error_set(err, BF_EFORBIDDEN, "authority",
			                  "side %s of %s is %s's hours, and node %s acts for %s", side, g.id,
			                  g.side[i].country, e->origin, country);
	} else {
		rc = bf_error_set(err, BF_EFORBIDDEN, "authority", "this node does not know a gate change of kind %s",
		                  what);
	}
	bf_gate_pair_clear(&g);
	return rc;
}

static int risk_profile_event(const struct bf_event *e, const char *country, struct bf_error *err)
{
	if (strncmp(e->subject, "risk-profile/", 13) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "a risk profile's change names its country, not %s", e->subject);
	if (e->role != BF_ROLE_EXPORT_AUTHORITY && e->role != BF_ROLE_IMPORT_AUTHORITY)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "a %s does not set a risk profile",
		                    bf_role_name(e->role));
	if (strcmp(e->subject + 13, country) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "the risk profile of %s is %s's to set, and node %s acts for %s", e->subject + 13,
		                    e->subject + 13, e->origin, country);
	return BF_OK;
}

/* ---- disputes ---- */

/* A node disputes its peer's events, never its own: the node operator
 * signs it, about "event/ORIGIN/NUMBER" of another chain. */
static int dispute_event(const struct bf_event *e, struct bf_error *err)
{
	const char *origin = e->subject + 6, *slash = strchr(origin, '/');
	if (strncmp(e->subject, "event/", 6) != 0 || slash == NULL || slash == origin)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "a dispute names the event it disputes, not %s",
		                    e->subject);
	if (e->role != BF_ROLE_SYSTEM)
		return bf_error_set(err, BF_EFORBIDDEN, "authority",
		                    "a dispute is raised by the node operator, not a %s", bf_role_name(e->role));
	if ((size_t)(slash - origin) == strlen(e->origin) && strncmp(origin, e->origin, strlen(e->origin)) == 0)
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "node %s cannot dispute its own event %s",
		                    e->origin, e->subject);
	return BF_OK;
}

/* ---- every kind ---- */

int bf_authority_check(struct bf_store *s, const struct bf_event *e, int before, struct bf_error *err)
{
	char country[3];
	if (!bf_authority_node_country(e->origin, country))
		return bf_error_set(err, BF_EFORBIDDEN, "authority", "node id %s names no country to act for",
		                    e->origin);
	if (strncmp(e->subject, "consignment/", 12) == 0)
		return consignment_event(s, e, before, country, err);
	if (strcmp(e->kind, "notice.posted") == 0 || strcmp(e->kind, "notice.acknowledged") == 0)
		return notice_event(e, country, err);
	if (strncmp(e->kind, "registry.", 9) == 0)
		return registry_event(s, e, country, err);
	if (strcmp(e->kind, "gate.changed") == 0)
		return gate_event(s, e, country, err);
	if (strcmp(e->kind, "risk_profile.updated") == 0)
		return risk_profile_event(e, country, err);
	if (strcmp(e->kind, "dispute.raised") == 0)
		return dispute_event(e, err);
	/* A key of the node's own, made by its node operator: the ledger
	 * checks the rest (bf_ledger_key_event_parse). */
	if (strcmp(e->kind, BF_KEY_MADE) == 0 && strncmp(e->subject, "key/", 4) == 0)
		return strcmp(e->party_id, BF_NODE_OPERATOR_ID) == 0 && e->role == BF_ROLE_SYSTEM
		           ? BF_OK
		           : bf_error_set(err, BF_EFORBIDDEN, "authority", "a key is made by its node's operator");
	if ((strcmp(e->kind, "party.created") == 0 && strncmp(e->subject, "party/", 6) == 0) ||
	    ((strcmp(e->kind, "token.issued") == 0 || strcmp(e->kind, "token.revoked") == 0) &&
	     strncmp(e->subject, "token/", 6) == 0)) {
		if (e->role != BF_ROLE_SYSTEM)
			return bf_error_set(err, BF_EFORBIDDEN, "authority",
			                    "%s is the node operator's record, not a %s's", e->kind,
			                    bf_role_name(e->role));
		return BF_OK;
	}
	return bf_error_set(err, BF_EFORBIDDEN, "authority",
	                    "this node does not know a %s event on %s, so it cannot tell who may make it", e->kind,
	                    e->subject);
}
