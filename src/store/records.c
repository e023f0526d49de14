/* The records beyond gate pairs and commodities, on either engine:
 * parties, tokens, the registry (each kind's reads beside its writes),
 * consignments, events, idempotency keys. */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

/* ---- parties and tokens ---- */

int bf_store_party_put(struct bf_store *s, const struct bf_party *p, bf_time now, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc =
	    bf_db_prepare(s, "INSERT INTO party (id, name, role, country, created_at) VALUES (?,?,?,?,?)", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, p->id);
	bf_db_bind_text(st, 2, p->name);
	bf_db_bind_text(st, 3, bf_role_name(p->role));
	bf_db_bind_text(st, 4, p->country);
	bf_db_bind_int64(st, 5, now);
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		return rc;
	for (int i = 0; i < p->n_gates; i++) {
		if ((rc = bf_db_prepare(s, "INSERT INTO party_gate (party_id, position, gate_id) VALUES (?,?,?)", &st,
		                        err)) != 0)
			return rc;
		bf_db_bind_text(st, 1, p->id);
		bf_db_bind_int(st, 2, i);
		bf_db_bind_text(st, 3, p->gates[i]);
		if ((rc = bf_store_step_done(s, st, err)) != 0)
			return rc;
	}
	return BF_OK;
}

/* The gates P, a gate operator, is assigned to; other roles have none. */
static int read_gates(struct bf_store *s, struct bf_party *p, struct bf_error *err)
{
	struct bf_stmt *st;
	p->n_gates = 0;
	if (p->role != BF_ROLE_GATE_OPERATOR)
		return BF_OK;
	int rc = bf_db_prepare(s, "SELECT gate_id FROM party_gate WHERE party_id = ? ORDER BY position", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, p->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW && p->n_gates < BF_PARTY_GATES_MAX)
		bf_db_col_text_copy(st, 0, p->gates[p->n_gates++], sizeof(p->gates[0]));
	bf_db_finalize(st);
	return rc == BF_DB_ROW || rc == BF_DB_DONE ? BF_OK : bf_db_error(s, err, "read party's gates");
}

static void read_party(struct bf_stmt *st, int col, struct bf_party *p)
{
	memset(p, 0, sizeof(*p));
	bf_db_col_text_copy(st, col, p->id, sizeof(p->id));
	bf_db_col_text_copy(st, col + 1, p->name, sizeof(p->name));
	bf_role_parse((const char *)bf_db_col_text(st, col + 2), &p->role);
	bf_db_col_text_copy(st, col + 3, p->country, sizeof(p->country));
}

int bf_store_party_get(struct bf_store *s, const char *id, struct bf_party *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT id, name, role, country FROM party WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_party(st, 0, out);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "party", "no party has this id");
	return rc == BF_DB_ROW ? read_gates(s, out, err) : bf_db_error(s, err, "read party");
}

int bf_store_token_put(struct bf_store *s, const char *id, const unsigned char hash[BF_TOKEN_HASH_BYTES],
                       const char *party_id, bf_time now, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "INSERT INTO token (id, hash, party_id, created_at) VALUES (?,?,?,?)", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	bf_db_bind_blob(st, 2, hash, BF_TOKEN_HASH_BYTES);
	bf_db_bind_text(st, 3, party_id);
	bf_db_bind_int64(st, 4, now);
	return bf_store_step_done(s, st, err);
}

int bf_store_token_find(struct bf_store *s, const unsigned char hash[BF_TOKEN_HASH_BYTES], struct bf_party *out,
                        struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "SELECT p.id, p.name, p.role, p.country FROM token t JOIN party p ON p.id = t.party_id "
	                       "WHERE t.hash = ? AND t.revoked_at IS NULL",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_blob(st, 1, hash, BF_TOKEN_HASH_BYTES);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_party(st, 0, out);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "token", "unknown or revoked token");
	return rc == BF_DB_ROW ? read_gates(s, out, err) : bf_db_error(s, err, "read token");
}

int bf_store_token_revoke(struct bf_store *s, const char *id, bf_time now, char *party_id, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT party_id, revoked_at FROM token WHERE id = ?", &st, err);
	bool revoked = false;
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW) {
		bf_db_col_text_copy(st, 0, party_id, BF_PARTY_ID_MAX + 1);
		revoked = !bf_db_col_null(st, 1);
	}
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "token", "no token has this id");
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read token");
	if (revoked)
		return bf_error_set(err, BF_ECONFLICT, "token", "the token is revoked already");
	if ((rc = bf_db_prepare(s, "UPDATE token SET revoked_at = ? WHERE id = ?", &st, err)) != 0)
		return rc;
	bf_db_bind_int64(st, 1, now);
	bf_db_bind_text(st, 2, id);
	return bf_store_step_done(s, st, err);
}

int bf_store_tokens_list(struct bf_store *s, struct bf_token_info **out, size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	size_t len = 0, cap = 0;
	struct bf_token_info *v = NULL;
	int rc = bf_db_prepare(s,
	                       "SELECT t.id, t.party_id, p.role, t.created_at, coalesce(t.revoked_at, 0) FROM token t "
	                       "JOIN party p ON p.id = t.party_id ORDER BY t.created_at, t.id",
	                       &st, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		struct bf_token_info *t = &v[len++];
		memset(t, 0, sizeof(*t));
		bf_db_col_text_copy(st, 0, t->id, sizeof(t->id));
		bf_db_col_text_copy(st, 1, t->party_id, sizeof(t->party_id));
		bf_role_parse((const char *)bf_db_col_text(st, 2), &t->role);
		t->created_at = bf_db_col_int64(st, 3);
		t->revoked_at = bf_db_col_int64(st, 4);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(v);
		return bf_db_error(s, err, "list tokens");
	}
	*out = v;
	*n = len;
	return BF_OK;
}

/* ---- registry writes and pages ---- */

/* For REPLACE: BF_ENOTFOUND unless a row with KEY exists in TABLE. */
static int must_exist(struct bf_store *s, const char *sql, const char *key, const char *field, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, key);
	rc = bf_db_step(st);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, field, "%s is not registered", key);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read registry");
}

int bf_store_exporter_put(struct bf_store *s, const struct bf_exporter *e, bool replace, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc;
	if (replace) {
		if ((rc = must_exist(s, "SELECT 1 FROM exporter WHERE id = ?", e->id, "id", err)) != 0)
			return rc;
		rc = bf_db_prepare(s, "UPDATE exporter SET name = ?2, country = ?3, status = ?4 WHERE id = ?1", &st,
		                   err);
	} else {
		rc =
		    bf_db_prepare(s, "INSERT INTO exporter (id, name, country, status) VALUES (?1,?2,?3,?4)", &st, err);
	}
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, e->id);
	bf_db_bind_text(st, 2, e->name);
	bf_db_bind_text(st, 3, e->country);
	bf_db_bind_text(st, 4, bf_registry_status_name(e->status));
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		return rc;
	if (replace) {
		if ((rc = bf_db_prepare(s, "DELETE FROM exporter_approval WHERE exporter_id = ?", &st, err)) != 0)
			return rc;
		bf_db_bind_text(st, 1, e->id);
		if ((rc = bf_store_step_done(s, st, err)) != 0)
			return rc;
	}
	for (int i = 0; i < e->n_approvals; i++) {
		if ((rc = bf_db_prepare(s,
		                        "INSERT INTO exporter_approval (exporter_id, hs_code, destination) "
		                        "VALUES (?,?,?) ON CONFLICT DO NOTHING",
		                        &st, err)) != 0)
			return rc;
		bf_db_bind_text(st, 1, e->id);
		bf_db_bind_text(st, 2, e->approvals[i].hs_code);
		bf_db_bind_text(st, 3, e->approvals[i].destination);
		if ((rc = bf_store_step_done(s, st, err)) != 0)
			return rc;
	}
	return BF_OK;
}

/* Inserts a registry row of five text columns, the key first, or with
 * REPLACE updates the row with that key (BF_ENOTFOUND when none is). */
static int put_row(struct bf_store *s, bool replace, const char *exists_sql, const char *update_sql,
                   const char *insert_sql, const char *const v[5], struct bf_error *err)
{
	struct bf_stmt *st;
	int rc;
	if (replace && (rc = must_exist(s, exists_sql, v[0], "code", err)) != 0)
		return rc;
	if ((rc = bf_db_prepare(s, replace ? update_sql : insert_sql, &st, err)) != 0)
		return rc;
	for (int i = 0; i < 5; i++)
		bf_db_bind_text(st, i + 1, v[i]);
	return bf_store_step_done(s, st, err);
}

int bf_store_planting_area_put(struct bf_store *s, const struct bf_planting_area *p, bool replace, struct bf_error *err)
{
	const char *const v[5] = {p->code, p->hs_code, p->country, p->province, bf_registry_status_name(p->status)};
	return put_row(
	    s, replace, "SELECT 1 FROM planting_area WHERE code = ?",
	    "UPDATE planting_area SET hs_code = ?2, country = ?3, province = ?4, status = ?5 WHERE code = ?1",
	    "INSERT INTO planting_area (code, hs_code, country, province, status) VALUES (?1,?2,?3,?4,?5)", v, err);
}

int bf_store_packing_house_put(struct bf_store *s, const struct bf_packing_house *p, bool replace, struct bf_error *err)
{
	const char *const v[5] = {p->code, p->name, p->country, p->province, bf_registry_status_name(p->status)};
	return put_row(s, replace, "SELECT 1 FROM packing_house WHERE code = ?",
	               "UPDATE packing_house SET name = ?2, country = ?3, province = ?4, status = ?5 WHERE code = ?1",
	               "INSERT INTO packing_house (code, name, country, province, status) VALUES (?1,?2,?3,?4,?5)", v,
	               err);
}

int bf_store_facility_put(struct bf_store *s, const struct bf_facility *f, bool replace, struct bf_error *err)
{
	struct bf_stmt *st;
	char products[BF_FACILITY_PRODUCTS * (BF_HS_MAX + 1) + 1];
	int rc;
	if (replace && (rc = must_exist(s, "SELECT 1 FROM facility WHERE code = ?", f->code, "code", err)) != 0)
		return rc;
	rc =
	    bf_db_prepare(s,
	                  replace ? "UPDATE facility SET name = ?2, country = ?3, province = ?4, registered_with = ?5, "
	                            "products = ?6, status = ?7 WHERE code = ?1"
	                          : "INSERT INTO facility (code, name, country, province, registered_with, products, "
	                            "status) VALUES (?1,?2,?3,?4,?5,?6,?7)",
	                  &st, err);
	if (rc)
		return rc;
	bf_facility_products_format(f, " ", products, sizeof(products));
	bf_db_bind_text(st, 1, f->code);
	bf_db_bind_text(st, 2, f->name);
	bf_db_bind_text(st, 3, f->country);
	bf_db_bind_text(st, 4, f->province);
	bf_db_bind_text(st, 5, f->registered_with);
	bf_db_bind_text(st, 6, products);
	bf_db_bind_text(st, 7, bf_registry_status_name(f->status));
	return bf_store_step_done(s, st, err);
}

/* Runs SQL (bound: 1 = after, 2 = limit) and hands each row to READ,
 * which fills one element of SIZE bytes. */
static int list_page(struct bf_store *s, const char *sql, const char *after, int limit, size_t size,
                     void (*read)(struct bf_store *, struct bf_stmt *, void *), void **out, size_t *n,
                     struct bf_error *err)
{
	struct bf_stmt *st;
	char *v = NULL;
	size_t len = 0;
	int rc = bf_db_prepare(s, sql, &st, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, after ? after : "");
	bf_db_bind_int(st, 2, limit);
	v = bf_xcalloc(limit > 0 ? (size_t)limit : 1, size);
	while (len < (size_t)limit && (rc = bf_db_step(st)) == BF_DB_ROW)
		read(s, st, v + size * len++);
	bf_db_finalize(st);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW) {
		free(v);
		return bf_db_error(s, err, "list");
	}
	*out = v;
	*n = len;
	return BF_OK;
}

static void read_exporter(struct bf_store *s, struct bf_stmt *st, void *dst)
{
	struct bf_exporter *e = dst;
	struct bf_error ignored;
	char id[BF_CODE_MAX + 1];
	bf_db_col_text_copy(st, 0, id, sizeof(id));
	/* The approvals come from a second query on the same connection. */
	if (bf_store_exporter_get(s, id, e, &ignored) != BF_OK)
		bf_strlcpy(e->id, id, sizeof(e->id));
}

int bf_store_exporters_list(struct bf_store *s, const char *after, int limit, struct bf_exporter **out, size_t *n,
                            struct bf_error *err)
{
	return list_page(s, "SELECT id FROM exporter WHERE id > ?1 ORDER BY id LIMIT ?2", after, limit, sizeof(**out),
	                 read_exporter, (void **)out, n, err);
}

static void read_planting_area(struct bf_store *s, struct bf_stmt *st, void *dst)
{
	struct bf_planting_area *p = dst;
	(void)s;
	bf_db_col_text_copy(st, 0, p->code, sizeof(p->code));
	bf_db_col_text_copy(st, 1, p->hs_code, sizeof(p->hs_code));
	bf_db_col_text_copy(st, 2, p->country, sizeof(p->country));
	bf_db_col_text_copy(st, 3, p->province, sizeof(p->province));
	bf_registry_status_parse((const char *)bf_db_col_text(st, 4), &p->status);
}

int bf_store_planting_areas_list(struct bf_store *s, const char *after, int limit, struct bf_planting_area **out,
                                 size_t *n, struct bf_error *err)
{
	return list_page(s,
	                 "SELECT code, hs_code, country, province, status FROM planting_area WHERE code > ?1 "
	                 "ORDER BY code LIMIT ?2",
	                 after, limit, sizeof(**out), read_planting_area, (void **)out, n, err);
}

static void read_packing_house(struct bf_store *s, struct bf_stmt *st, void *dst)
{
	struct bf_packing_house *p = dst;
	(void)s;
	bf_db_col_text_copy(st, 0, p->code, sizeof(p->code));
	bf_db_col_text_copy(st, 1, p->name, sizeof(p->name));
	bf_db_col_text_copy(st, 2, p->country, sizeof(p->country));
	bf_db_col_text_copy(st, 3, p->province, sizeof(p->province));
	bf_registry_status_parse((const char *)bf_db_col_text(st, 4), &p->status);
}

int bf_store_packing_houses_list(struct bf_store *s, const char *after, int limit, struct bf_packing_house **out,
                                 size_t *n, struct bf_error *err)
{
	return list_page(s,
	                 "SELECT code, name, country, province, status FROM packing_house WHERE code > ?1 "
	                 "ORDER BY code LIMIT ?2",
	                 after, limit, sizeof(**out), read_packing_house, (void **)out, n, err);
}

#define FACILITY_COLUMNS "code, name, country, province, registered_with, products, status"

static void read_facility(struct bf_store *s, struct bf_stmt *st, void *dst)
{
	struct bf_facility *f = dst;
	(void)s;
	bf_db_col_text_copy(st, 0, f->code, sizeof(f->code));
	bf_db_col_text_copy(st, 1, f->name, sizeof(f->name));
	bf_db_col_text_copy(st, 2, f->country, sizeof(f->country));
	bf_db_col_text_copy(st, 3, f->province, sizeof(f->province));
	bf_db_col_text_copy(st, 4, f->registered_with, sizeof(f->registered_with));
	(void)bf_facility_products_parse((const char *)bf_db_col_text(st, 5), f, NULL);
	bf_registry_status_parse((const char *)bf_db_col_text(st, 6), &f->status);
}

int bf_store_facilities_list(struct bf_store *s, const char *after, int limit, struct bf_facility **out, size_t *n,
                             struct bf_error *err)
{
	return list_page(s, "SELECT " FACILITY_COLUMNS " FROM facility WHERE code > ?1 ORDER BY code LIMIT ?2", after,
	                 limit, sizeof(**out), read_facility, (void **)out, n, err);
}

/* Reads the one row SQL finds for KEY with READ; BF_ENOTFOUND, naming
 * FIELD, when there is none. */
static int get_row(struct bf_store *s, const char *sql, const char *key,
                   void (*read)(struct bf_store *, struct bf_stmt *, void *), void *out, size_t size, const char *field,
                   const char *missing, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, key);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW) {
		memset(out, 0, size);
		read(s, st, out);
	}
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, field, "%s", missing);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read registry");
}

int bf_store_exporter_get(struct bf_store *s, const char *id, struct bf_exporter *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT id, name, country, status FROM exporter WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW) {
		memset(out, 0, sizeof(*out));
		bf_db_col_text_copy(st, 0, out->id, sizeof(out->id));
		bf_db_col_text_copy(st, 1, out->name, sizeof(out->name));
		bf_db_col_text_copy(st, 2, out->country, sizeof(out->country));
		bf_registry_status_parse((const char *)bf_db_col_text(st, 3), &out->status);
	}
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "exporter", "no exporter is registered under this id");
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read exporter");
	if ((rc = bf_db_prepare(s,
	                        "SELECT hs_code, destination FROM exporter_approval WHERE exporter_id = ? "
	                        "ORDER BY hs_code, destination",
	                        &st, err)) != 0)
		return rc;
	bf_db_bind_text(st, 1, id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW && out->n_approvals < BF_MAX_APPROVALS) {
		struct bf_approval *a = &out->approvals[out->n_approvals++];
		bf_db_col_text_copy(st, 0, a->hs_code, sizeof(a->hs_code));
		bf_db_col_text_copy(st, 1, a->destination, sizeof(a->destination));
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW)
		return bf_db_error(s, err, "read approvals");
	return BF_OK;
}

int bf_store_planting_area_get(struct bf_store *s, const char *code, struct bf_planting_area *out, struct bf_error *err)
{
	return get_row(s, "SELECT code, hs_code, country, province, status FROM planting_area WHERE code = ?", code,
	               read_planting_area, out, sizeof(*out), "planting_areas",
	               "no planting area is registered under this code", err);
}

int bf_store_packing_house_get(struct bf_store *s, const char *code, struct bf_packing_house *out, struct bf_error *err)
{
	return get_row(s, "SELECT code, name, country, province, status FROM packing_house WHERE code = ?", code,
	               read_packing_house, out, sizeof(*out), "packing_house",
	               "no packing house is registered under this code", err);
}

int bf_store_facility_get(struct bf_store *s, const char *code, struct bf_facility *out, struct bf_error *err)
{
	return get_row(s, "SELECT " FACILITY_COLUMNS " FROM facility WHERE code = ?", code, read_facility, out,
	               sizeof(*out), "facility", "no facility is registered under this code", err);
}

/* ---- any kind, through one table ---- */

#define REGISTRY_KIND(noun)                                                                                            \
	static int noun##_get(struct bf_store *s, const char *key, void *out, struct bf_error *err)                    \
	{                                                                                                              \
		return bf_store_##noun##_get(s, key, out, err);                                                        \
	}                                                                                                              \
	static int noun##_put(struct bf_store *s, const void *rec, bool replace, struct bf_error *err)                 \
	{                                                                                                              \
		return bf_store_##noun##_put(s, rec, replace, err);                                                    \
	}                                                                                                              \
	static int noun##_list(struct bf_store *s, const char *after, int limit, void **out, size_t *n,                \
	                       struct bf_error *err)                                                                   \
	{                                                                                                              \
		return bf_store_##noun##s_list(s, after, limit, (void *)out, n, err);                                  \
	}
REGISTRY_KIND(exporter)
REGISTRY_KIND(planting_area)
REGISTRY_KIND(packing_house)

static int facility_get(struct bf_store *s, const char *key, void *out, struct bf_error *err)
{
	return bf_store_facility_get(s, key, out, err);
}
static int facility_put(struct bf_store *s, const void *rec, bool replace, struct bf_error *err)
{
	return bf_store_facility_put(s, rec, replace, err);
}
static int facility_list(struct bf_store *s, const char *after, int limit, void **out, size_t *n, struct bf_error *err)
{
	return bf_store_facilities_list(s, after, limit, (void *)out, n, err);
}

static const struct {
	int (*get)(struct bf_store *s, const char *key, void *out, struct bf_error *err);
	int (*put)(struct bf_store *s, const void *rec, bool replace, struct bf_error *err);
	int (*list)(struct bf_store *s, const char *after, int limit, void **out, size_t *n, struct bf_error *err);
} kinds[BF_REG_KINDS] = {
    [BF_REG_EXPORTER] = {exporter_get, exporter_put, exporter_list},
    [BF_REG_PLANTING_AREA] = {planting_area_get, planting_area_put, planting_area_list},
    [BF_REG_PACKING_HOUSE] = {packing_house_get, packing_house_put, packing_house_list},
    [BF_REG_FACILITY] = {facility_get, facility_put, facility_list},
};

int bf_store_registry_get(struct bf_store *s, struct bf_registry_record *out, enum bf_registry_kind kind,
                          const char *key, struct bf_error *err)
{
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	return kinds[kind].get(s, key, &out->u, err);
}

int bf_store_registry_put(struct bf_store *s, const struct bf_registry_record *r, bool replace, struct bf_error *err)
{
	return kinds[r->kind].put(s, &r->u, replace, err);
}

int bf_store_registry_list(struct bf_store *s, enum bf_registry_kind kind, const char *after, int limit, void **out,
                           size_t *n, struct bf_error *err)
{
	return kinds[kind].list(s, after, limit, out, n, err);
}

/* ---- consignments ---- */

int bf_store_consignment_put(struct bf_store *s, const struct bf_consignment *c, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc =
	    bf_db_prepare(s,
	                  "INSERT INTO consignment (id, declared_by, exporter_id, hs_code, net_weight_kg, packages, "
	                  "packing_house, phyto_certificate, conveyance, vehicle, vehicle_country, destination, "
	                  "preferred_gate, state, declared_at, updated_at, health_certificate, facility) "
	                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                  &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, c->id);
	bf_db_bind_text(st, 2, c->declared_by);
	bf_db_bind_text(st, 3, c->exporter_id);
	bf_db_bind_text(st, 4, c->hs_code);
	bf_db_bind_double(st, 5, c->net_weight_kg);
	bf_db_bind_int(st, 6, c->packages);
	bf_db_bind_text(st, 7, c->packing_house);
	bf_db_bind_text(st, 8, c->phyto_certificate);
	bf_db_bind_text(st, 9, bf_conveyance_name(c->conveyance));
	bf_db_bind_text(st, 10, c->vehicle);
	bf_db_bind_text(st, 11, c->vehicle_country);
	bf_db_bind_text(st, 12, c->destination);
	bf_db_bind_text(st, 13, c->preferred_gate);
	bf_db_bind_text(st, 14, bf_state_name(c->state));
	bf_db_bind_int64(st, 15, c->declared_at);
	bf_db_bind_int64(st, 16, c->updated_at);
	bf_db_bind_text(st, 17, c->health_certificate);
	bf_db_bind_text(st, 18, c->facility);
	if ((rc = bf_store_step_done(s, st, err)) != 0)
		return rc;
	for (int i = 0; i < c->n_planting_areas; i++) {
		if ((rc = bf_db_prepare(s,
		                        "INSERT INTO consignment_planting_area (consignment_id, position, code) "
		                        "VALUES (?,?,?)",
		                        &st, err)) != 0)
			return rc;
		bf_db_bind_text(st, 1, c->id);
		bf_db_bind_int(st, 2, i);
		bf_db_bind_text(st, 3, c->planting_areas[i]);
		if ((rc = bf_store_step_done(s, st, err)) != 0)
			return rc;
	}
	return BF_OK;
}

#define CONSIGNMENT_COLUMNS                                                                                            \
	"seq, id, declared_by, exporter_id, hs_code, net_weight_kg, packages, packing_house, phyto_certificate, "      \
	"conveyance, vehicle, vehicle_country, destination, preferred_gate, state, declared_at, updated_at, "          \
	"health_certificate, facility"

static int64_t read_consignment_row(struct bf_stmt *st, struct bf_consignment *c)
{
	memset(c, 0, sizeof(*c));
	bf_db_col_text_copy(st, 1, c->id, sizeof(c->id));
	bf_db_col_text_copy(st, 2, c->declared_by, sizeof(c->declared_by));
	bf_db_col_text_copy(st, 3, c->exporter_id, sizeof(c->exporter_id));
	bf_db_col_text_copy(st, 4, c->hs_code, sizeof(c->hs_code));
	c->net_weight_kg = bf_db_col_double(st, 5);
	c->packages = bf_db_col_int(st, 6);
	bf_db_col_text_copy(st, 7, c->packing_house, sizeof(c->packing_house));
	bf_db_col_text_copy(st, 8, c->phyto_certificate, sizeof(c->phyto_certificate));
	bf_conveyance_parse((const char *)bf_db_col_text(st, 9), &c->conveyance);
	bf_db_col_text_copy(st, 10, c->vehicle, sizeof(c->vehicle));
	bf_db_col_text_copy(st, 11, c->vehicle_country, sizeof(c->vehicle_country));
	bf_db_col_text_copy(st, 12, c->destination, sizeof(c->destination));
	bf_db_col_text_copy(st, 13, c->preferred_gate, sizeof(c->preferred_gate));
	bf_state_parse((const char *)bf_db_col_text(st, 14), &c->state);
	c->declared_at = bf_db_col_int64(st, 15);
	c->updated_at = bf_db_col_int64(st, 16);
	bf_db_col_text_copy(st, 17, c->health_certificate, sizeof(c->health_certificate));
	bf_db_col_text_copy(st, 18, c->facility, sizeof(c->facility));
	return bf_db_col_int64(st, 0);
}

static int load_planting_areas(struct bf_store *s, struct bf_consignment *c, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s, "SELECT code FROM consignment_planting_area WHERE consignment_id = ? ORDER BY position", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, c->id);
	while ((rc = bf_db_step(st)) == BF_DB_ROW && c->n_planting_areas < BF_MAX_PLANTING_AREAS)
		bf_db_col_text_copy(st, 0, c->planting_areas[c->n_planting_areas++], BF_CODE_MAX + 1);
	bf_db_finalize(st);
	return rc == BF_DB_DONE || rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read planting areas");
}

int bf_store_consignment_get(struct bf_store *s, const char *id, struct bf_consignment *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT " CONSIGNMENT_COLUMNS " FROM consignment WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_consignment_row(st, out);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "id", "no consignment has this id");
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "read consignment");
	return load_planting_areas(s, out, err);
}

int bf_store_consignments_list(struct bf_store *s, const struct bf_consignment_filter *f, struct bf_consignment **out,
                               size_t *n, int64_t *next, struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_consignment *v;
	size_t len = 0;
	int64_t last = 0;
	int rc = bf_db_prepare(
	    s,
	    "SELECT " CONSIGNMENT_COLUMNS " FROM consignment WHERE seq > ?1 "
	    "AND (CAST(?2 AS TEXT) IS NULL OR declared_by = ?2) AND (CAST(?3 AS TEXT) IS NULL OR exporter_id = ?3) "
	    "AND (CAST(?4 AS TEXT) IS NULL OR preferred_gate = ?4 OR id IN (SELECT consignment_id FROM booking WHERE "
	    "gate_id = ?4)) "
	    "AND (CAST(?5 AS TEXT) IS NULL OR state = ?5) "
	    "AND (CAST(?6 AS BIGINT) IS NULL OR declared_at >= ?6) AND (CAST(?7 AS BIGINT) IS NULL OR declared_at < "
	    "?7) "
	    "ORDER BY seq LIMIT ?8",
	    &st, err);
	*out = NULL;
	*n = 0;
	*next = 0;
	if (rc)
		return rc;
	bf_db_bind_int64(st, 1, f->after);
	if (f->declared_by)
		bf_db_bind_text(st, 2, f->declared_by);
	if (f->exporter_id)
		bf_db_bind_text(st, 3, f->exporter_id);
	if (f->gate)
		bf_db_bind_text(st, 4, f->gate);
	if (f->state >= 0)
		bf_db_bind_text(st, 5, bf_state_name((enum bf_state)f->state));
	if (f->declared_from)
		bf_db_bind_int64(st, 6, f->declared_from);
	if (f->declared_to)
		bf_db_bind_int64(st, 7, f->declared_to);
	/* One more than asked, to tell whether another page follows. */
	bf_db_bind_int(st, 8, f->limit + 1);
	v = bf_xcalloc((size_t)f->limit + 1, sizeof(*v));
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == (size_t)f->limit) {
			*next = last;
			rc = BF_DB_DONE;
			break;
		}
		last = read_consignment_row(st, &v[len++]);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(v);
		*next = 0;
		return bf_db_error(s, err, "list consignments");
	}
	for (size_t i = 0; i < len; i++) {
		if ((rc = load_planting_areas(s, &v[i], err)) != 0) {
			free(v);
			*next = 0;
			return rc;
		}
	}
	*out = v;
	*n = len;
	return BF_OK;
}

/* ---- events ---- */

int bf_store_event_append(struct bf_store *s, struct bf_event *e, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO event (at, party_id, role, kind, subject, payload, origin, origin_seq, "
	                       "prev_hash, hash, signature, key_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING seq",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_int64(st, 1, e->at);
	bf_db_bind_text(st, 2, e->party_id);
	bf_db_bind_text(st, 3, bf_role_name(e->role));
	bf_db_bind_text(st, 4, e->kind);
	bf_db_bind_text(st, 5, e->subject);
	bf_db_bind_text(st, 6, e->payload ? e->payload : "{}");
	/* An event outside any chain keeps the ledger's columns NULL. */
	if (e->origin[0]) {
		bf_db_bind_text(st, 7, e->origin);
		bf_db_bind_int64(st, 8, e->origin_seq);
		bf_db_bind_blob(st, 9, e->prev_hash, sizeof(e->prev_hash));
		bf_db_bind_blob(st, 10, e->hash, sizeof(e->hash));
		bf_db_bind_blob(st, 11, e->signature, sizeof(e->signature));
		bf_db_bind_text(st, 12, e->key_id);
	}
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		e->seq = bf_db_col_int64(st, 0);
	bf_db_finalize(st);
	if (rc == BF_ECONFLICT)
		return bf_error_set(err, BF_ECONFLICT, "", "already exists: %s", s->errmsg);
	if (rc != BF_DB_ROW)
		return bf_db_error(s, err, "write");
	return BF_OK;
}

#define EVENT_COLUMNS                                                                                                  \
	"seq, at, party_id, role, kind, subject, payload, origin, origin_seq, prev_hash, hash, signature, key_id"

/* Copies blob column COL into DST of exactly CAP bytes; a NULL or a blob
 * of another length leaves DST zeroed. */
static void col_blob(struct bf_stmt *st, int col, unsigned char *dst, size_t cap)
{
	const void *b = bf_db_col_blob(st, col);
	memset(dst, 0, cap);
	if (b != NULL && (size_t)bf_db_col_bytes(st, col) == cap)
		memcpy(dst, b, cap);
}

static void read_event(struct bf_stmt *st, struct bf_event *e)
{
	memset(e, 0, sizeof(*e));
	e->seq = bf_db_col_int64(st, 0);
	e->at = bf_db_col_int64(st, 1);
	bf_db_col_text_copy(st, 2, e->party_id, sizeof(e->party_id));
	/* An unknown role reads as BF_ROLE_COUNT, which no check accepts. */
	if (bf_role_parse((const char *)bf_db_col_text(st, 3), &e->role) != BF_OK)
		e->role = BF_ROLE_COUNT;
	bf_db_col_text_copy(st, 4, e->kind, sizeof(e->kind));
	bf_db_col_text_copy(st, 5, e->subject, sizeof(e->subject));
	const unsigned char *payload = bf_db_col_text(st, 6);
	e->payload = bf_xstrdup(payload ? (const char *)payload : "");
	bf_db_col_text_copy(st, 7, e->origin, sizeof(e->origin));
	e->origin_seq = bf_db_col_int64(st, 8);
	col_blob(st, 9, e->prev_hash, sizeof(e->prev_hash));
	col_blob(st, 10, e->hash, sizeof(e->hash));
	col_blob(st, 11, e->signature, sizeof(e->signature));
	bf_db_col_text_copy(st, 12, e->key_id, sizeof(e->key_id));
}

/* Events after AFTER, at most LIMIT, whose kind begins with PREFIX
 * (NULL: every event). */
static int events_after(struct bf_store *s, int64_t after, const char *prefix, int limit, struct bf_event **out,
                        size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_event *v;
	size_t len = 0;
	int rc = bf_db_prepare(s,
	                       prefix ? "SELECT " EVENT_COLUMNS " FROM event WHERE seq > ? AND substr(kind, 1, ?) = ? "
	                                "ORDER BY seq LIMIT ?"
	                              : "SELECT " EVENT_COLUMNS " FROM event WHERE seq > ? "
	                                "ORDER BY seq LIMIT ?",
	                       &st, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	bf_db_bind_int64(st, 1, after);
	if (prefix) {
		bf_db_bind_int(st, 2, (int)strlen(prefix));
		bf_db_bind_text(st, 3, prefix);
	}
	bf_db_bind_int(st, prefix ? 4 : 2, limit);
	v = bf_xcalloc(limit > 0 ? (size_t)limit : 1, sizeof(*v));
	while (len < (size_t)limit && (rc = bf_db_step(st)) == BF_DB_ROW) {
		read_event(st, &v[len++]);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE && rc != BF_DB_ROW) {
		bf_store_events_free(v, len);
		return bf_db_error(s, err, "list events");
	}
	*out = v;
	*n = len;
	return BF_OK;
}

int bf_store_events_list(struct bf_store *s, int64_t after, int limit, struct bf_event **out, size_t *n,
                         struct bf_error *err)
{
	return events_after(s, after, NULL, limit, out, n, err);
}

int bf_store_events_of_kind(struct bf_store *s, const char *prefix, int64_t after, int limit, struct bf_event **out,
                            size_t *n, struct bf_error *err)
{
	return events_after(s, after, prefix, limit, out, n, err);
}

void bf_store_events_free(struct bf_event *events, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(events[i].payload);
	free(events);
}

/* ---- idempotency keys ---- */

int bf_store_idempotency_get(struct bf_store *s, const char *party_id, const char *key,
                             struct bf_store_kept_answer *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "SELECT request, request_hash, status, body, location FROM idempotency "
	                       "WHERE party_id = ? AND key = ?",
	                       &st, err);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	bf_db_bind_text(st, 1, party_id);
	bf_db_bind_text(st, 2, key);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW) {
		bf_db_col_text_copy(st, 0, out->request, sizeof(out->request));
		const void *h = bf_db_col_blob(st, 1);
		if (h && bf_db_col_bytes(st, 1) == BF_TOKEN_HASH_BYTES)
			memcpy(out->request_hash, h, BF_TOKEN_HASH_BYTES);
		out->status = bf_db_col_int(st, 2);
		out->body = bf_xstrdup((const char *)bf_db_col_text(st, 3));
		bf_db_col_text_copy(st, 4, out->location, sizeof(out->location));
	}
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "Idempotency-Key", "new key");
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read idempotency key");
}

int bf_store_idempotency_put(struct bf_store *s, const char *party_id, const char *key,
                             const struct bf_store_kept_answer *a, bf_time now, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s,
	                       "INSERT INTO idempotency (party_id, key, request_hash, status, body, created_at, "
	                       "request, location) VALUES (?,?,?,?,?,?,?,?)",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, party_id);
	bf_db_bind_text(st, 2, key);
	bf_db_bind_blob(st, 3, a->request_hash, BF_TOKEN_HASH_BYTES);
	bf_db_bind_int(st, 4, a->status);
	bf_db_bind_text(st, 5, a->body);
	bf_db_bind_int64(st, 6, now);
	bf_db_bind_text(st, 7, a->request);
	bf_db_bind_text(st, 8, a->location);
	return bf_store_step_done(s, st, err);
}

/* ---- bookings ---- */

int bf_store_booking_put(struct bf_store *s, const struct bf_booking *b, bool replace, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(
	    s,
	    replace ? "UPDATE booking SET gate_id = ?2, direction = ?3, slot_start = ?4, earliest = ?5, "
	              "deadline = ?6, value = ?7, booked_at = ?8, checked_in_at = ?9, misses = ?10 "
	              "WHERE consignment_id = ?1"
	            : "INSERT INTO booking (consignment_id, gate_id, direction, slot_start, earliest, "
	              "deadline, value, booked_at, checked_in_at, misses) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	    &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, b->consignment_id);
	bf_db_bind_text(st, 2, b->gate_id);
	bf_db_bind_text(st, 3, bf_direction_name(b->direction));
	bf_db_bind_int64(st, 4, b->slot_start);
	bf_db_bind_int64(st, 5, b->earliest);
	bf_db_bind_int64(st, 6, b->deadline);
	bf_db_bind_double(st, 7, b->value);
	bf_db_bind_int64(st, 8, b->booked_at);
	if (b->checked_in_at)
		bf_db_bind_int64(st, 9, b->checked_in_at);
	bf_db_bind_int(st, 10, b->misses);
	return bf_store_step_done(s, st, err);
}

#define BOOKING_COLUMNS                                                                                                \
	"b.consignment_id, b.gate_id, b.direction, b.slot_start, b.earliest, b.deadline, b.value, b.booked_at, "       \
	"coalesce(b.checked_in_at, 0), b.misses, c.state, c.vehicle, c.hs_code"

static void read_booking(struct bf_stmt *st, struct bf_booking *b)
{
	memset(b, 0, sizeof(*b));
	bf_db_col_text_copy(st, 0, b->consignment_id, sizeof(b->consignment_id));
	bf_db_col_text_copy(st, 1, b->gate_id, sizeof(b->gate_id));
	bf_direction_parse((const char *)bf_db_col_text(st, 2), &b->direction);
	b->slot_start = bf_db_col_int64(st, 3);
	b->earliest = bf_db_col_int64(st, 4);
	b->deadline = bf_db_col_int64(st, 5);
	b->value = bf_db_col_double(st, 6);
	b->booked_at = bf_db_col_int64(st, 7);
	b->checked_in_at = bf_db_col_int64(st, 8);
	b->misses = bf_db_col_int(st, 9);
	bf_state_parse((const char *)bf_db_col_text(st, 10), &b->state);
	bf_db_col_text_copy(st, 11, b->vehicle, sizeof(b->vehicle));
	bf_db_col_text_copy(st, 12, b->hs_code, sizeof(b->hs_code));
}

int bf_store_booking_get(struct bf_store *s, const char *consignment_id, struct bf_booking *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc =
	    bf_db_prepare(s,
	                  "SELECT " BOOKING_COLUMNS " FROM booking b JOIN consignment c ON c.id = b.consignment_id "
	                  "WHERE b.consignment_id = ?",
	                  &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, consignment_id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_booking(st, out);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "booking", "this consignment holds no slot");
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "read booking");
}

int bf_store_vehicle_at_border(struct bf_store *s, enum bf_conveyance conveyance, const char *number,
                               const char *country, const char *except_id, struct bf_booking *out, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc =
	    bf_db_prepare(s,
	                  "SELECT " BOOKING_COLUMNS " FROM booking b JOIN consignment c ON c.id = b.consignment_id "
	                  "WHERE c.conveyance = ? AND c.vehicle = ? AND c.vehicle_country = ? AND c.id <> ? "
	                  "AND c.state IN ('waiting', 'called', 'export_cleared', 'held', 'inspection', "
	                  "'import_cleared', 'refused') ORDER BY b.checked_in_at LIMIT 1",
	                  &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, bf_conveyance_name(conveyance));
	bf_db_bind_text(st, 2, number);
	bf_db_bind_text(st, 3, country);
	bf_db_bind_text(st, 4, except_id);
	rc = bf_db_step(st);
	if (rc == BF_DB_ROW)
		read_booking(st, out);
	bf_db_finalize(st);
	if (rc == BF_DB_DONE)
		return bf_error_set(err, BF_ENOTFOUND, "vehicle", "the vehicle is at no gate");
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "find vehicle");
}

int bf_store_booking_delete(struct bf_store *s, const char *consignment_id, struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "DELETE FROM booking WHERE consignment_id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, consignment_id);
	return bf_store_step_done(s, st, err);
}

int bf_store_slot_used(struct bf_store *s, const char *gate_id, enum bf_direction dir, bf_time start, int *out,
                       struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "SELECT count(*) FROM booking WHERE gate_id = ? AND direction = ? AND slot_start = ?",
	                       &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, gate_id);
	bf_db_bind_text(st, 2, bf_direction_name(dir));
	bf_db_bind_int64(st, 3, start);
	rc = bf_db_step(st);
	*out = rc == BF_DB_ROW ? bf_db_col_int(st, 0) : 0;
	bf_db_finalize(st);
	return rc == BF_DB_ROW ? BF_OK : bf_db_error(s, err, "count bookings");
}

int bf_store_bookings_at(struct bf_store *s, const char *gate_id, bf_time from, int state, struct bf_booking **out,
                         size_t *n, struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_booking *v = NULL;
	size_t len = 0, cap = 0;
	int rc =
	    bf_db_prepare(s,
	                  "SELECT " BOOKING_COLUMNS " FROM booking b JOIN consignment c ON c.id = b.consignment_id "
	                  "WHERE b.gate_id = ?1 AND b.slot_start >= ?2 AND (CAST(?3 AS TEXT) IS NULL OR c.state = ?3) "
	                  "ORDER BY b.slot_start = 0, b.slot_start, b.deadline, b.booked_at, b.rowid",
	                  &st, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, gate_id);
	bf_db_bind_int64(st, 2, from);
	if (state >= 0)
		bf_db_bind_text(st, 3, bf_state_name((enum bf_state)state));
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 64;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		read_booking(st, &v[len++]);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		free(v);
		return bf_db_error(s, err, "list bookings");
	}
	*out = v;
	*n = len;
	return BF_OK;
}

int bf_store_consignment_state(struct bf_store *s, const char *id, enum bf_state state, bf_time now,
                               struct bf_error *err)
{
	struct bf_stmt *st;
	int rc = bf_db_prepare(s, "UPDATE consignment SET state = ?, updated_at = ? WHERE id = ?", &st, err);
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, bf_state_name(state));
	bf_db_bind_int64(st, 2, now);
	bf_db_bind_text(st, 3, id);
	return bf_store_step_done(s, st, err);
}

int bf_store_events_about(struct bf_store *s, const char *subject, struct bf_event **out, size_t *n,
                          struct bf_error *err)
{
	struct bf_stmt *st;
	struct bf_event *v = NULL;
	size_t len = 0, cap = 0;
	int rc = bf_db_prepare(s,
	                       "SELECT " EVENT_COLUMNS " FROM event WHERE subject = ? "
	                       "ORDER BY seq",
	                       &st, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	bf_db_bind_text(st, 1, subject);
	while ((rc = bf_db_step(st)) == BF_DB_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			v = bf_xrealloc(v, cap * sizeof(*v));
		}
		read_event(st, &v[len++]);
	}
	bf_db_finalize(st);
	if (rc != BF_DB_DONE) {
		bf_store_events_free(v, len);
		return bf_db_error(s, err, "list events");
	}
	*out = v;
	*n = len;
	return BF_OK;
}
