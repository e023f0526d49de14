/* The registry over HTTP: list, read, create and change exporters,
 * planting areas, packing houses and facilities. One set of handlers
 * serves the four kinds, told apart by the table of kinds (model/registry.h). */
#include "api/handlers.h"
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

struct patch {
	enum bf_registry_kind kind;
	json_t *body;
};

static int merge(struct bf_registry_record *rec, void *cls, struct bf_error *err)
{
	const struct patch *p = cls;
	return bf_registry_read(p->kind, p->body, rec, false, err);
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
		rc = bf_registry_read(kind, body, &rec, true, &err);
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
		snprintf(r->location, sizeof(r->location), "/v1/%s/%s", bf_registry_kind_info(kind)->path,
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
HANDLERS(facility, facilities, BF_REG_FACILITY)
