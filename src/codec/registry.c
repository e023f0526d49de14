/* Registry records' JSON: the views of exporters with their approvals,
 * planting areas, packing houses and facilities, and the reader of a request's body
 * beside them. */
#include "codec/registry.h"

#include "codec/jsonread.h"

#include <stdio.h>

json_t *bf_registry_exporter_json(const struct bf_exporter *e)
{
	json_t *approvals = json_array();
	for (int i = 0; i < e->n_approvals; i++)
		json_array_append_new(approvals, json_pack("{s:s, s:s}", "hs_code", e->approvals[i].hs_code,
		                                           "destination", e->approvals[i].destination));
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", e->id, "name", e->name, "country", e->country, "status",
	                 bf_registry_status_name(e->status), "approvals", approvals);
}

json_t *bf_registry_planting_area_json(const struct bf_planting_area *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", p->code, "hs_code", p->hs_code, "country", p->country,
	                 "province", p->province, "status", bf_registry_status_name(p->status));
}

json_t *bf_registry_packing_house_json(const struct bf_packing_house *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", p->code, "name", p->name, "country", p->country,
	                 "province", p->province, "status", bf_registry_status_name(p->status));
}

json_t *bf_registry_facility_json(const struct bf_facility *f)
{
	json_t *products = json_array();
	for (int i = 0; i < f->n_products; i++)
		json_array_append_new(products, json_string(f->products[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "code", f->code, "name", f->name, "country", f->country,
	                 "province", f->province, "registered_with", f->registered_with, "products", products, "status",
	                 bf_registry_status_name(f->status));
}

json_t *bf_registry_json(enum bf_registry_kind k, const void *rec)
{
	switch (k) {
	case BF_REG_FACILITY:
		return bf_registry_facility_json(rec);
	case BF_REG_EXPORTER:
		return bf_registry_exporter_json(rec);
	case BF_REG_PLANTING_AREA:
		return bf_registry_planting_area_json(rec);
	default:
		return bf_registry_packing_house_json(rec);
	}
}

/* ---- reading ---- */

/* Reads string KEY into DST when the body has it (always when REQUIRED). */
static int field(struct bf_jr *jr, json_t *body, const char *key, char *dst, size_t cap, bool required)
{
	if (!required && json_object_get(body, key) == NULL)
		return BF_OK;
	return bf_jr_str(jr, body, key, "", dst, cap, true);
}

static int read_status(struct bf_jr *jr, json_t *body, bool required, enum bf_registry_status *st)
{
	char text[16];
	int rc;
	if (json_object_get(body, "status") == NULL) {
		if (required)
			*st = BF_REG_ACTIVE;
		return BF_OK;
	}
	if ((rc = bf_jr_str(jr, body, "status", "", text, sizeof(text), true)) != 0)
		return rc;
	if (bf_registry_status_parse(text, st))
		return bf_jr_fail(jr, "status", "must be active or suspended");
	return BF_OK;
}

static int read_approvals(struct bf_jr *jr, json_t *body, struct bf_exporter *e)
{
	static const char *const akeys[] = {"hs_code", "destination", NULL};
	json_t *arr, *a;
	size_t i;
	int rc = bf_jr_array(jr, body, "approvals", "", &arr, false);
	if (rc || arr == NULL)
		return rc;
	if (json_array_size(arr) > BF_MAX_APPROVALS)
		return bf_jr_fail(jr, "approvals", "at most %d approvals", BF_MAX_APPROVALS);
	e->n_approvals = 0;
	json_array_foreach (arr, i, a) {
		char p[24];
		snprintf(p, sizeof(p), "approvals[%zu]", i);
		if (!json_is_object(a))
			return bf_jr_fail(jr, p, "must be an object");
		struct bf_approval *ap = &e->approvals[e->n_approvals++];
		if ((rc = bf_jr_keys(jr, a, p, akeys)) != 0 ||
		    (rc = bf_jr_str(jr, a, "hs_code", p, ap->hs_code, sizeof(ap->hs_code), true)) != 0 ||
		    (rc = bf_jr_str(jr, a, "destination", p, ap->destination, sizeof(ap->destination), true)) != 0)
			return rc;
	}
	return BF_OK;
}

static int read_products(struct bf_jr *jr, json_t *body, struct bf_facility *f, bool required)
{
	json_t *arr, *a;
	size_t i;
	int rc = bf_jr_array(jr, body, "products", "", &arr, required);
	if (rc || arr == NULL)
		return rc;
	if (json_array_size(arr) > BF_FACILITY_PRODUCTS)
		return bf_jr_fail(jr, "products", "at most %d HS codes or headings", BF_FACILITY_PRODUCTS);
	f->n_products = 0;
	json_array_foreach (arr, i, a) {
		char p[24];
		snprintf(p, sizeof(p), "products[%zu]", i);
		if (!json_is_string(a) || json_string_length(a) > BF_HS_MAX)
			return bf_jr_fail(jr, p, "must be an HS heading or code of 4 to 10 digits");
		bf_strlcpy(f->products[f->n_products++], json_string_value(a), BF_HS_MAX + 1);
	}
	return BF_OK;
}

int bf_registry_read(enum bf_registry_kind kind, json_t *body, struct bf_registry_record *rec, bool create,
                     struct bf_error *err)
{
	static const char *const ekeys[] = {"id", "name", "country", "status", "approvals", NULL};
	static const char *const pkeys[] = {"code", "hs_code", "country", "province", "status", NULL};
	static const char *const hkeys[] = {"code", "name", "country", "province", "status", NULL};
	static const char *const ekeys_patch[] = {"name", "status", "approvals", NULL};
	static const char *const pkeys_patch[] = {"hs_code", "province", "status", NULL};
	static const char *const hkeys_patch[] = {"name", "province", "status", NULL};
	static const char *const fkeys[] = {"code",     "name",   "country", "province", "registered_with",
	                                    "products", "status", NULL};
	static const char *const fkeys_patch[] = {"name", "province", "products", "status", NULL};
	struct bf_jr jr = {.err = err};
	int rc;

	switch (kind) {
	case BF_REG_EXPORTER: {
		struct bf_exporter *e = &rec->u.exporter;
		if ((rc = bf_jr_keys(&jr, body, "", create ? ekeys : ekeys_patch)) != 0 ||
		    (create && (rc = field(&jr, body, "id", e->id, sizeof(e->id), true)) != 0) ||
		    (create && (rc = field(&jr, body, "country", e->country, sizeof(e->country), true)) != 0) ||
		    (rc = field(&jr, body, "name", e->name, sizeof(e->name), create)) != 0 ||
		    (rc = read_status(&jr, body, create, &e->status)) != 0)
			return rc;
		if (create && json_object_get(body, "approvals") == NULL)
			return bf_jr_fail(&jr, "approvals", "is required (it may be empty)");
		return read_approvals(&jr, body, e);
	}
	case BF_REG_PLANTING_AREA: {
		struct bf_planting_area *p = &rec->u.planting_area;
		if ((rc = bf_jr_keys(&jr, body, "", create ? pkeys : pkeys_patch)) != 0 ||
		    (create && (rc = field(&jr, body, "code", p->code, sizeof(p->code), true)) != 0) ||
		    (create && (rc = field(&jr, body, "country", p->country, sizeof(p->country), true)) != 0) ||
		    (rc = field(&jr, body, "hs_code", p->hs_code, sizeof(p->hs_code), create)) != 0 ||
		    (rc = field(&jr, body, "province", p->province, sizeof(p->province), create)) != 0)
			return rc;
		return read_status(&jr, body, create, &p->status);
	}
	case BF_REG_FACILITY: {
		struct bf_facility *f = &rec->u.facility;
		if ((rc = bf_jr_keys(&jr, body, "", create ? fkeys : fkeys_patch)) != 0 ||
		    (create && (rc = field(&jr, body, "code", f->code, sizeof(f->code), true)) != 0) ||
		    (create && (rc = field(&jr, body, "country", f->country, sizeof(f->country), true)) != 0) ||
		    (create && (rc = field(&jr, body, "registered_with", f->registered_with, sizeof(f->registered_with),
		                           true)) != 0) ||
		    (rc = field(&jr, body, "name", f->name, sizeof(f->name), create)) != 0 ||
		    (rc = field(&jr, body, "province", f->province, sizeof(f->province), create)) != 0 ||
		    (rc = read_products(&jr, body, f, create)) != 0)
			return rc;
		return read_status(&jr, body, create, &f->status);
	}
	default: {
		struct bf_packing_house *p = &rec->u.packing_house;
		if ((rc = bf_jr_keys(&jr, body, "", create ? hkeys : hkeys_patch)) != 0 ||
		    (create && (rc = field(&jr, body, "code", p->code, sizeof(p->code), true)) != 0) ||
		    (create && (rc = field(&jr, body, "country", p->country, sizeof(p->country), true)) != 0) ||
		    (rc = field(&jr, body, "name", p->name, sizeof(p->name), create)) != 0 ||
		    (rc = field(&jr, body, "province", p->province, sizeof(p->province), create)) != 0)
			return rc;
		return read_status(&jr, body, create, &p->status);
	}
	}
}
