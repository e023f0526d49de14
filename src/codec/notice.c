/* A notice's JSON: the request a poster sends, the notice.posted event's
 * payload (read back when a peer's notice arrives), and the view the API
 * answers, side by side. */
#include "codec/notice.h"

#include "codec/jsonread.h"

#include <stdio.h>
#include <string.h>

json_t *bf_notice_payload_json(const struct bf_notice *n)
{
	char at[BF_TIME_TEXT];
	json_t *o = json_object();
	bf_time_format_utc(n->posted_at, at);
	json_object_set_new(o, "id", json_string(n->id));
	json_object_set_new(o, "kind", json_string(bf_notice_kind_name(n->kind)));
	json_object_set_new(o, "text", json_string(n->text));
	if (n->kind == BF_NOTICE_NON_COMPLIANCE) {
		json_t *names = json_object();
		for (enum bf_registry_kind k = 0; k < BF_NOTICE_KINDS; k++)
			if (bf_notice_code(n, k)[0])
				json_object_set_new(names, bf_registry_kind_noun(k), json_string(bf_notice_code(n, k)));
		json_object_set_new(o, "names", names);
	}
	if (n->gate[0])
		json_object_set_new(o, "gate", json_string(n->gate));
	if (n->consignment[0])
		json_object_set_new(o, "consignment", json_string(n->consignment));
	json_object_set_new(o, "posted_by", json_string(n->posted_by));
	json_object_set_new(o, "role", json_string(bf_role_name(n->role)));
	json_object_set_new(o, "country", json_string(n->country));
	json_object_set_new(o, "posted_at", json_string(at));
	return o;
}

static json_t *ack_json(const struct bf_notice_ack *a)
{
	char at[BF_TIME_TEXT];
	bf_time_format_utc(a->at, at);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "by", a->by, "role", bf_role_name(a->role), "country", a->country,
	                 "at", at, "note", a->note);
}

json_t *bf_notice_json(const struct bf_notice *n)
{
	json_t *o = bf_notice_payload_json(n), *acks = json_array();
	/* The same keys for every kind, null where a kind has none. */
	if (json_object_get(o, "names") == NULL)
		json_object_set_new(o, "names", json_null());
	if (json_object_get(o, "gate") == NULL)
		json_object_set_new(o, "gate", json_null());
	if (json_object_get(o, "consignment") == NULL)
		json_object_set_new(o, "consignment", json_null());
	for (int i = 0; i < n->n_acks; i++)
		json_array_append_new(acks, ack_json(&n->acks[i]));
	json_object_set_new(o, "acknowledged", json_boolean(n->n_acks > 0));
	json_object_set_new(o, "acknowledgements", acks);
	return o;
}

/* Reads the fields a poster gives; with FULL also those the node adds
 * (id, poster, role, country, time), as an event's payload holds them. */
static int notice_read(struct bf_jr *jr, json_t *body, bool full, struct bf_notice *out)
{
	static const char *const request_keys[] = {"kind", "text", "names", "gate", "consignment", NULL};
	static const char *const payload_keys[] = {"kind",      "text", "names",   "gate",      "consignment", "id",
	                                           "posted_by", "role", "country", "posted_at", NULL};
	static const char *const name_keys[] = {"exporter", "planting_area", "packing_house", NULL};
	char kind[24], text[64];
	json_t *names;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = bf_jr_keys(jr, body, "", full ? payload_keys : request_keys)) != 0 ||
	    (rc = bf_jr_str(jr, body, "kind", "", kind, sizeof(kind), true)) != 0)
		return rc;
	if (bf_notice_kind_parse(kind, &out->kind))
		return bf_jr_fail(jr, "kind", "must be non_compliance, gate_disruption or rule_change");
	if ((rc = bf_jr_str(jr, body, "text", "", out->text, sizeof(out->text), true)) != 0 ||
	    (rc = bf_jr_object(jr, body, "names", "", &names, false)) != 0 ||
	    (rc = bf_jr_str(jr, body, "gate", "", out->gate, sizeof(out->gate), false)) != 0 ||
	    (rc = bf_jr_str(jr, body, "consignment", "", out->consignment, sizeof(out->consignment), false)) != 0)
		return rc;
	if (names != NULL) {
		if ((rc = bf_jr_keys(jr, names, "names", name_keys)) != 0)
			return rc;
		for (enum bf_registry_kind k = 0; k < BF_NOTICE_KINDS; k++) {
			char field[48];
			if (json_object_get(names, bf_registry_kind_noun(k)) == NULL)
				continue;
			if ((rc = bf_jr_str(jr, names, bf_registry_kind_noun(k), "names", bf_notice_code_dst(out, k),
			                    BF_CODE_MAX + 1, true)) != 0)
				return rc;
			snprintf(field, sizeof(field), "names.%s", bf_registry_kind_noun(k));
			if (!bf_registry_code_valid(bf_notice_code(out, k)))
				return bf_jr_fail(jr, field, "must be a registration code");
		}
	}
	if (json_object_get(body, "gate") && out->gate[0] == '\0')
		return bf_jr_fail(jr, "gate", "must not be empty");
	if (json_object_get(body, "consignment") && out->consignment[0] == '\0')
		return bf_jr_fail(jr, "consignment", "must not be empty");
	if (full) {
		if ((rc = bf_jr_str(jr, body, "id", "", out->id, sizeof(out->id), true)) != 0 ||
		    (rc = bf_jr_str(jr, body, "posted_by", "", out->posted_by, sizeof(out->posted_by), true)) != 0 ||
		    (rc = bf_jr_str(jr, body, "role", "", kind, sizeof(kind), true)) != 0)
			return rc;
		if (bf_role_parse(kind, &out->role) || !bf_notice_role_posts(out->role))
			return bf_jr_fail(jr, "role", "must be a role that posts notices");
		if ((rc = bf_jr_str(jr, body, "country", "", out->country, sizeof(out->country), true)) != 0 ||
		    (rc = bf_jr_str(jr, body, "posted_at", "", text, sizeof(text), true)) != 0)
			return rc;
		if (!bf_country_code_valid(out->country))
			return bf_jr_fail(jr, "country", "must be an ISO 3166-1 alpha-2 code");
		if (bf_time_parse(text, &out->posted_at))
			return bf_jr_fail(jr, "posted_at", "must be an instant with its zone");
	}
	return bf_notice_validate(out, jr->err);
}

int bf_notice_request_read(json_t *body, struct bf_notice *out, struct bf_error *err)
{
	struct bf_jr jr = {.err = err};
	return notice_read(&jr, body, false, out);
}

int bf_notice_payload_read(json_t *payload, struct bf_notice *out, struct bf_error *err)
{
	struct bf_jr jr = {.err = err};
	return notice_read(&jr, payload, true, out);
}
