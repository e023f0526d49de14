/* Declarations through the official channel: every rule checked against
 * the registry at once, and the consignment stored as validated only when
 * all pass, with its events in one transaction. */
#include "service/service_int.h"
#include "store/store_notice.h"
#include "codec/consignment.h"
#include "service/declare.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void violate(struct bf_declaration *d, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void violate(struct bf_declaration *d, const char *field, const char *code, const char *fmt, ...)
{
	va_list ap;
	if (d->n_violations == BF_MAX_VIOLATIONS)
		return;
	struct bf_violation *v = &d->violations[d->n_violations++];
	bf_strlcpy(v->field, field, sizeof(v->field));
	bf_strlcpy(v->code, code, sizeof(v->code));
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	va_end(ap);
}

/* A suspended code: the rule names the notice it was suspended after, if
 * it was, with the notice's own words. WHAT is "planting area" etc., KIND
 * the registry's noun ("planting_area"). */
static void suspended(struct bf_store *s, struct bf_declaration *d, const char *field, const char *kind,
                      const char *what, const char *code, int *rc)
{
	struct bf_notice n;
	int r = bf_store_notice_suspension_get(s, kind, code, &n, NULL);
	if (r == BF_OK) {
		int before = d->n_violations;
		/* The notice's words as far as they fit, cut between characters,
		 * so that the message stays UTF-8. */
		int head = snprintf(NULL, 0, "%s %s is suspended after notice %s: ", what, code, n.id);
		size_t cap = sizeof(d->violations[0].message), len = strlen(n.text);
		size_t room = head >= 0 && (size_t)head + 8 < cap ? cap - 1 - (size_t)head : 3;
		const char *more = "";
		if (len > room) {
			len = room - 3; /* room for "..." */
			while (len > 0 && ((unsigned char)n.text[len] & 0xC0) == 0x80)
				len--;
			more = "...";
		}
		violate(d, field, "suspended", "%s %s is suspended after notice %s: %.*s%s", what, code, n.id, (int)len,
		        n.text, more);
		if (d->n_violations > before)
			bf_strlcpy(d->violations[before].notice, n.id, sizeof(d->violations[before].notice));
		return;
	}
	if (r != BF_ENOTFOUND)
		*rc = r;
	violate(d, field, "suspended", "%s %s is suspended", what, code);
}

/* Turns a look-up's result into "found", keeping a store failure in *RC. */
static bool found(int r, int *rc)
{
	if (r != BF_OK && r != BF_ENOTFOUND)
		*rc = r;
	return r == BF_OK;
}

/* DOC missing from a load of COM bound for C->destination, which REQ (the
 * destination's requirement, or every country's: "*") asks for. */
static void required(struct bf_declaration *d, const struct bf_consignment *c, const struct bf_commodity *com,
                     const struct bf_requirement *req, enum bf_document doc)
{
	if (strcmp(req->importer, "*") == 0)
		violate(d, bf_document_name(doc), "required", "%s %s bound for %s must carry its %s", com->hs_code,
		        com->name_en, c->destination, bf_document_words(doc));
	else
		violate(d, bf_document_name(doc), "required", "%s requires the %s for %s %s", req->importer,
		        bf_document_words(doc), com->hs_code, com->name_en);
}

/* A certificate DOC given for a load whose destination asks none of it. */
static void unexpected(struct bf_declaration *d, const struct bf_consignment *c, const struct bf_commodity *com,
                       const struct bf_requirement *req, enum bf_document doc)
{
	char asked[128];
	bf_documents_format(req->documents, ", ", asked, sizeof(asked));
	violate(d, bf_document_name(doc), "unexpected", "%s asks no %s for %s %s; it asks: %s", c->destination,
	        bf_document_words(doc), com->hs_code, com->name_en, asked[0] ? asked : "nothing");
}

/* Every rule of the official channel; violations go to D. What the load
 * must carry is what its destination asks of its commodity (the
 * commodity's requirements); every code it names is checked against the
 * registry whether asked for or not. Returns a store failure, if one
 * happens, else 0. */
static int check_rules(struct bf_store *s, const struct bf_consignment *c, struct bf_declaration *d,
                       struct bf_error *err)
{
	struct bf_commodity com;
	struct bf_exporter exp;
	struct bf_planting_area pa;
	struct bf_packing_house ph;
	struct bf_facility fac;
	struct bf_gate_pair gate;
	const struct bf_requirement *req = NULL;
	unsigned need = 0;
	bool have_com;
	int rc = BF_OK;

	have_com = found(bf_store_commodity_get(s, c->hs_code, &com, NULL), &rc);
	if (!have_com) {
		violate(d, "commodity", "unknown_commodity", "%s is not an HS code borderflow knows", c->hs_code);
	} else {
		long gates = 0;
		int r = bf_store_gates_designated(s, com.klass, &gates, NULL);
		if (r != BF_OK)
			rc = r;
		else if (gates == 0)
			violate(
			    d, "commodity", "no_gate",
			    "no gate pair is designated for %s, the class of %s %s: no crossing can be booked for it",
			    bf_commodity_class_name(com.klass), com.hs_code, com.name_en);
		req = bf_commodity_requirement(&com, c->destination);
		need = req ? req->documents : 0;
	}

	if (!found(bf_store_exporter_get(s, c->exporter_id, &exp, NULL), &rc)) {
		violate(d, "exporter", "not_registered", "no exporter is registered as %s", c->exporter_id);
	} else {
		bool approved = false;
		if (exp.status != BF_REG_ACTIVE)
			suspended(s, d, "exporter", "exporter", "exporter", exp.id, &rc);
		for (int i = 0; i < exp.n_approvals; i++)
			approved = approved || (strcmp(exp.approvals[i].hs_code, c->hs_code) == 0 &&
			                        strcmp(exp.approvals[i].destination, c->destination) == 0);
		if (!approved)
			violate(d, "exporter", "not_approved", "exporter %s is not approved to export %s to %s", exp.id,
			        c->hs_code, c->destination);
	}

	if ((need & BF_DOC_PLANTING_AREAS) && c->n_planting_areas == 0)
		required(d, c, &com, req, BF_DOC_PLANTING_AREAS);
	for (int i = 0; i < c->n_planting_areas; i++) {
		char field[40];
		snprintf(field, sizeof(field), "planting_areas[%d]", i);
		if (!found(bf_store_planting_area_get(s, c->planting_areas[i], &pa, NULL), &rc)) {
			violate(d, field, "not_registered", "no planting area is registered as %s",
			        c->planting_areas[i]);
			continue;
		}
		if (pa.status != BF_REG_ACTIVE)
			suspended(s, d, field, "planting_area", "planting area", pa.code, &rc);
		if (strcmp(pa.hs_code, c->hs_code) != 0)
			violate(d, field, "wrong_commodity", "planting area %s is registered for %s, not %s", pa.code,
			        pa.hs_code, c->hs_code);
	}

	if (c->packing_house[0] == '\0') {
		if (need & BF_DOC_PACKING_HOUSE)
			required(d, c, &com, req, BF_DOC_PACKING_HOUSE);
	} else if (!found(bf_store_packing_house_get(s, c->packing_house, &ph, NULL), &rc)) {
		violate(d, "packing_house", "not_registered", "no packing house is registered as %s", c->packing_house);
	} else if (ph.status != BF_REG_ACTIVE) {
		suspended(s, d, "packing_house", "packing_house", "packing house", ph.code, &rc);
	}

	/* Certificates: the kind the destination asks for, not the other. */
	if ((need & BF_DOC_PHYTO_CERTIFICATE) && c->phyto_certificate[0] == '\0')
		required(d, c, &com, req, BF_DOC_PHYTO_CERTIFICATE);
	else if (req && !(need & BF_DOC_PHYTO_CERTIFICATE) && c->phyto_certificate[0])
		unexpected(d, c, &com, req, BF_DOC_PHYTO_CERTIFICATE);
	if ((need & BF_DOC_HEALTH_CERTIFICATE) && c->health_certificate[0] == '\0')
		required(d, c, &com, req, BF_DOC_HEALTH_CERTIFICATE);
	else if (req && !(need & BF_DOC_HEALTH_CERTIFICATE) && c->health_certificate[0])
		unexpected(d, c, &com, req, BF_DOC_HEALTH_CERTIFICATE);

	if (c->facility[0] == '\0') {
		if (need & BF_DOC_FACILITY)
			required(d, c, &com, req, BF_DOC_FACILITY);
	} else if (!found(bf_store_facility_get(s, c->facility, &fac, NULL), &rc)) {
		violate(d, "facility", "not_registered", "no facility is registered as %s", c->facility);
	} else {
		if (fac.status != BF_REG_ACTIVE)
			suspended(s, d, "facility", "facility", "facility", fac.code, &rc);
		if (strcmp(fac.registered_with, c->destination) != 0)
			violate(d, "facility", "wrong_destination", "facility %s is registered with %s, not %s",
			        fac.code, fac.registered_with, c->destination);
		if (!bf_facility_makes(&fac, c->hs_code))
			violate(d, "facility", "wrong_commodity", "facility %s is not registered for %s", fac.code,
			        c->hs_code);
	}

	double max = bf_conveyance_max_net_kg(c->conveyance);
	if (!(c->net_weight_kg > 0))
		violate(d, "net_weight_kg", "out_of_range", "must be more than 0 kg");
	else if (c->net_weight_kg > max)
		violate(d, "net_weight_kg", "over_limit", "%.0f kg is over the %.0f kg a %s may carry",
		        c->net_weight_kg, max, bf_conveyance_name(c->conveyance));

	if (c->conveyance == BF_CONVEY_TRUCK && !bf_vehicle_plate_valid(c->vehicle_country, c->vehicle))
		violate(d, "vehicle.number", "bad_format", "\"%s\" is not a %s truck plate", c->vehicle,
		        c->vehicle_country);
	if (c->conveyance == BF_CONVEY_WAGON && !bf_vehicle_wagon_number_valid(c->vehicle))
		violate(d, "vehicle.number", "bad_format", "\"%s\" is not a wagon number (5 to 12 digits)", c->vehicle);

	if (c->preferred_gate[0]) {
		if (!found(bf_store_gate_get(s, c->preferred_gate, &gate, NULL), &rc)) {
			violate(d, "preferred_gate", "unknown_gate", "no gate pair has the id %s", c->preferred_gate);
		} else {
			if (have_com && !(gate.designated & (1u << com.klass)))
				violate(d, "preferred_gate", "not_designated", "%s is not designated for %s", gate.id,
				        bf_commodity_class_name(com.klass));
			if ((c->conveyance == BF_CONVEY_WAGON) != (gate.mode == BF_MODE_RAIL))
				violate(d, "preferred_gate", "wrong_mode", "%s is a %s gate; a %s cannot cross there",
				        gate.id, bf_mode_name(gate.mode), bf_conveyance_name(c->conveyance));
			bf_gate_pair_clear(&gate);
		}
	}
	if (rc)
		bf_error_set(err, rc, "", "the registry could not be read");
	return rc;
}

static void new_consignment_id(char *id)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	char *p = id + 2;
	memcpy(id, "c-", 3);
	for (int i = 0; i < 16; i++)
		*p++ = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	*p = '\0';
}

int bf_service_declare(struct bf_service *svc, const struct bf_party *actor, const struct bf_consignment *c,
                       struct bf_declaration *out, struct bf_error *err)
{
	struct bf_store *s;
	bf_time now = bf_svc_now(svc);
	char subject[BF_EVENT_SUBJECT_MAX + 1];
	int rc;

	memset(out, 0, sizeof(*out));
	if (actor->role != BF_ROLE_CARRIER)
		return bf_error_set(err, BF_EFORBIDDEN, "role", "only a carrier declares consignments");

	s = bf_store_pool_acquire(svc->writers);
	if ((rc = bf_store_begin(s, err)) != 0)
		goto out;
	if ((rc = check_rules(s, c, out, err)) != 0)
		goto fail;
	if (out->n_violations > 0) {
		rc = bf_error_set(err, BF_EREJECTED, out->violations[0].field,
		                  "%d rule%s of the official channel failed", out->n_violations,
		                  out->n_violations == 1 ? "" : "s");
		goto fail;
	}

	out->consignment = *c;
	struct bf_consignment *n = &out->consignment;
	new_consignment_id(n->id);
	bf_strlcpy(n->declared_by, actor->id, sizeof(n->declared_by));
	n->declared_at = n->updated_at = now;
	n->state = BF_ST_DECLARED;
	snprintf(subject, sizeof(subject), "consignment/%s", n->id);
	if ((rc = bf_svc_event(s, actor, "consignment.declared", subject, bf_consignment_json(n), now, err)) != 0)
		goto fail;
	/* The checks above are the system's own step, declared -> validated. */
	if ((rc = bf_transition_check(BF_ST_DECLARED, BF_ST_VALIDATED, BF_ROLE_SYSTEM, err)) != 0)
		goto fail;
	n->state = BF_ST_VALIDATED;
	if ((rc = bf_store_consignment_put(s, n, err)) != 0 ||
	    (rc = bf_svc_event(s, &bf_service_node_operator, "consignment.validated", subject,
	                       json_pack("{s:s, s:s, s:s}", "id", n->id, "from", "declared", "to", "validated"), now,
	                       err)) != 0)
		goto fail;
	rc = bf_store_commit(s, err);
	goto out;
fail:
	bf_store_rollback(s);
out:
	bf_store_pool_release(svc->writers, s);
	return rc;
}

static bool may_read_consignments(enum bf_role r)
{
	return r == BF_ROLE_CARRIER || r == BF_ROLE_EXPORT_AUTHORITY || r == BF_ROLE_IMPORT_AUTHORITY ||
	       r == BF_ROLE_GATE_OPERATOR || r == BF_ROLE_PLANNER || r == BF_ROLE_AUDITOR || r == BF_ROLE_SYSTEM;
}

int bf_service_consignment(struct bf_service *svc, const struct bf_party *actor, const char *id,
                           struct bf_consignment *out, struct bf_error *err)
{
	if (!may_read_consignments(actor->role))
		return bf_error_set(err, BF_EFORBIDDEN, "role", "a %s does not read consignments",
		                    bf_role_name(actor->role));
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_consignment_get(s, id, out, err);
	bf_store_pool_release(svc->pool, s);
	if (rc == BF_OK && actor->role == BF_ROLE_CARRIER && strcmp(out->declared_by, actor->id) != 0)
		return bf_error_set(err, BF_EFORBIDDEN, "id", "this consignment belongs to another carrier");
	return rc;
}

int bf_service_consignments(struct bf_service *svc, const struct bf_party *actor, struct bf_consignment_filter *f,
                            struct bf_consignment **out, size_t *n, int64_t *next, struct bf_error *err)
{
	if (!may_read_consignments(actor->role))
		return bf_error_set(err, BF_EFORBIDDEN, "role", "a %s does not read consignments",
		                    bf_role_name(actor->role));
	if (actor->role == BF_ROLE_CARRIER)
		f->declared_by = actor->id;
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_consignments_list(s, f, out, n, next, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}
