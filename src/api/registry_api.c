/* The registry over HTTP: list, read, create and change exporters,
 * planting areas and packing houses. One set of handlers serves the three
 * kinds, told apart by the table of kinds (model/registry.h). */
#include "api/handlers.h"
#include "codec/jsonread.h"
#include "codec/registry.h"
#include "service/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const bf_registry_query[] = {"after", "limit", NULL};

static void list(enum bf_registry_kind kind, struct bf_call *c, struct bf_reply *r)
{
	const struct bf_registry_kind_info *k = bf_registry_kind_info(kind);
	const char *after = c->query(c->conn, "after"), *limit = c->query(c->conn, "limit");
	struct bf_error err = {0};
	long l = 100;
	void *v;
	size_t n;
	if (limit) {
		char *end;
		l = strtol(limit, &end, 10);
		if (!*limit || *end || l < 1 || l > 500) {
			bf_reply_error(r, 400, "invalid", "limit", "must be a whole number from 1 to 500");
			return;
		}
	}
	if (bf_service_registry_list(c->svc, kind, after ? after : "", (int)l, &v, &n, &err)) {
		bf_reply_failure(r, &err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, bf_registry_json(kind, (char *)v + i * k->size));
	json_t *next = n == (size_t)l ? json_string(bf_registry_key(kind, (char *)v + (n - 1) * k->size)) : json_null();
	free(v);
	bf_reply_json(r, 200, json_pack("{s:o, s:o}", k->plural, arr, "next_after", next));
}

static void get(enum bf_registry_kind kind, struct bf_call *c, struct bf_reply *r)
{
	struct bf_registry_record rec;
	struct bf_error err = {0};
	if (bf_service_registry_get(c->svc, kind, c->params[0], &rec, &err))
		bf_reply_failure(r, &err);
	else
		bf_reply_json(r, 200, bf_registry_json(kind, &rec.u));
}

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

/* Reads BODY over REC: every field on create, the ones present on a
 * change (whose key and country stay as they are). */
static int decode(enum bf_registry_kind kind, json_t *body, struct bf_registry_record *rec, bool create,
                  struct bf_error *err)
{
	static const char *const ekeys[] = {"id", "name", "country", "status", "approvals", NULL};
	static const char *const pkeys[] = {"code", "hs_code", "country", "province", "status", NULL};
	static const char *const hkeys[] = {"code", "name", "country", "province", "status", NULL};
	static const char *const ekeys_patch[] = {"name", "status", "approvals", NULL};
	static const char *const pkeys_patch[] = {"hs_code", "province", "status", NULL};
	static const char *const hkeys_patch[] = {"name", "province", "status", NULL};
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

struct patch {
	enum bf_registry_kind kind;
	json_t *body;
};

static int merge(struct bf_registry_record *rec, void *cls, struct bf_error *err)
{
	const struct patch *p = cls;
	return decode(p->kind, p->body, rec, false, err);
}

static void save(enum bf_registry_kind kind, struct bf_call *c, struct bf_reply *r, bool create)
{
	struct bf_registry_record rec;
	struct bf_error err = {0};
	json_t *body = bf_call_json_body(c, r);
	int rc;
	if (body == NULL)
		return;
	memset(&rec, 0, sizeof(rec));
	rec.kind = kind;
	if (create) {
		rc = decode(kind, body, &rec, true, &err);
		if (rc == BF_OK)
			rc = bf_service_registry_save(c->svc, &c->actor, &rec, true, &err);
	} else {
		struct patch p = {kind, body};
		rc = bf_service_registry_patch(c->svc, &c->actor, kind, c->params[0], merge, &p, &rec, &err);
	}
	json_decref(body);
	if (rc) {
		bf_reply_failure(r, &err);
		return;
	}
	bf_reply_json(r, create ? 201 : 200, bf_registry_json(kind, &rec.u));
	if (create)
		snprintf(r->location, sizeof(r->location), "/v1/%s/%s", bf_registry_kind_info(kind)->plural,
		         bf_registry_key(kind, &rec.u));
}

#define HANDLERS(name, plural_name, kind)                                                                              \
	void bf_h_##plural_name(struct bf_call *c, struct bf_reply *r)                                                 \
	{                                                                                                              \
		list(kind, c, r);                                                                                      \
	}                                                                                                              \
	void bf_h_##name(struct bf_call *c, struct bf_reply *r)                                                        \
	{                                                                                                              \
		get(kind, c, r);                                                                                       \
	}                                                                                                              \
	void bf_h_##name##_create(struct bf_call *c, struct bf_reply *r)                                               \
	{                                                                                                              \
		save(kind, c, r, true);                                                                                \
	}                                                                                                              \
	void bf_h_##name##_patch(struct bf_call *c, struct bf_reply *r)                                                \
	{                                                                                                              \
		save(kind, c, r, false);                                                                               \
	}

HANDLERS(exporter, exporters, BF_REG_EXPORTER)
HANDLERS(planting_area, planting_areas, BF_REG_PLANTING_AREA)
HANDLERS(packing_house, packing_houses, BF_REG_PACKING_HOUSE)
