/* Registry management: exporters, planting areas and packing houses,
 * written only by the registry authority of the country that issued them,
 * each change one event; and the import of registry CSV files. */
#include "codec/registry.h"
#include "model/csv.h"
#include "service/service_int.h"
#include "store/store_notice.h"
#include "service/registry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The kind's name, key, country and status of a record, from the kinds'
 * table (model/registry.h). */
static const char *kind_noun(enum bf_registry_kind k)
{
	return bf_registry_kind_noun(k);
}

static const char *record_key(const struct bf_registry_record *r)
{
	return bf_registry_key(r->kind, &r->u);
}

static const char *record_country(const struct bf_registry_record *r)
{
	return bf_registry_country(r->kind, &r->u);
}

static enum bf_registry_status record_status(const struct bf_registry_record *r)
{
	return bf_registry_status_of(r->kind, &r->u);
}

/* Commodities named by R must be in the commodity table. */
static int check_commodities(struct bf_store *s, const struct bf_registry_record *r, struct bf_error *err)
{
	struct bf_commodity c;
	char field[48];
	int rc;
	if (r->kind == BF_REG_PLANTING_AREA) {
		rc = bf_store_commodity_get(s, r->u.planting_area.hs_code, &c, err);
		if (rc == BF_ENOTFOUND)
			return bf_error_set(err, BF_EINVAL, "hs_code", "%s is not a commodity borderflow knows",
			                    r->u.planting_area.hs_code);
		if (rc)
			return rc; /* the store failed: the transaction must not go on */
	} else if (r->kind == BF_REG_EXPORTER) {
		for (int i = 0; i < r->u.exporter.n_approvals; i++) {
			snprintf(field, sizeof(field), "approvals[%d].hs_code", i);
			rc = bf_store_commodity_get(s, r->u.exporter.approvals[i].hs_code, &c, err);
			if (rc == BF_ENOTFOUND)
				return bf_error_set(err, BF_EINVAL, field, "%s is not a commodity borderflow knows",
				                    r->u.exporter.approvals[i].hs_code);
			if (rc)
				return rc;
		}
	}
	return BF_OK;
}

/* The write and its event, inside the caller's transaction. *OUTCOME
 * tells which it was. NOTICE_ID, when not NULL, is the notice a
 * suspension follows: its event names it. */
enum outcome { SAVED_NEW, SAVED_CHANGED, SAVED_SAME };

static int save_in_tx(struct bf_store *s, const struct bf_party *actor, const struct bf_registry_record *r, bool create,
                      bool upsert, const char *notice_id, enum outcome *outcome, struct bf_error *err)
{
	struct bf_registry_record old;
	char kind[BF_EVENT_KIND_MAX + 1], subject[BF_EVENT_SUBJECT_MAX + 1];
	const char *verb;
	json_t *payload;
	int rc = bf_registry_record_validate(r, err);
	if (rc)
		return rc;
	if (actor->role != BF_ROLE_SYSTEM &&
	    (actor->role != BF_ROLE_REGISTRY_AUTHORITY || strcmp(actor->country, record_country(r)) != 0))
		return bf_error_set(err, BF_EFORBIDDEN, "country",
		                    "only the registry authority of %s may register or change this %s; you act for %s",
		                    record_country(r), kind_noun(r->kind),
		                    actor->country[0] ? actor->country : "no country");
	if ((rc = check_commodities(s, r, err)) != 0)
		return rc;
	rc = bf_store_registry_get(s, &old, r->kind, record_key(r), err);
	if (rc != BF_OK && rc != BF_ENOTFOUND)
		return rc;
	bool fresh = rc == BF_ENOTFOUND;
	*outcome = fresh ? SAVED_NEW : SAVED_CHANGED;
	if (create && !fresh && !upsert)
		return bf_error_set(err, BF_ECONFLICT, bf_registry_kind_info(r->kind)->key,
		                    "%s %s is registered already", kind_noun(r->kind), record_key(r));
	if (!create && !upsert && fresh)
		return bf_error_set(err, BF_ENOTFOUND, bf_registry_kind_info(r->kind)->key, "%s %s is not registered",
		                    kind_noun(r->kind), record_key(r));
	if (!fresh && strcmp(record_country(&old), record_country(r)) != 0)
		return bf_error_set(err, BF_EINVAL, "country", "a registered %s cannot change country",
		                    kind_noun(r->kind));
	payload = bf_registry_json(r->kind, &r->u);
	if (!fresh) {
		/* A save that changes nothing writes nothing, and no event. */
		json_t *before = bf_registry_json(old.kind, &old.u);
		bool same = json_equal(before, payload);
		json_decref(before);
		if (same) {
			json_decref(payload);
			*outcome = SAVED_SAME;
			return BF_OK;
		}
	}
	if ((rc = bf_store_registry_put(s, r, !fresh, err)) != 0) {
		json_decref(payload);
		return rc;
	}
	if (fresh)
		verb = "created";
	else if (record_status(&old) != record_status(r))
		verb = record_status(r) == BF_REG_SUSPENDED ? "suspended" : "reinstated";
	else
		verb = "updated";
	/* A reinstated code no longer stands suspended after a notice. */
	if (!fresh && record_status(&old) == BF_REG_SUSPENDED && record_status(r) != BF_REG_SUSPENDED &&
	    (rc = bf_store_notice_suspension_clear(s, kind_noun(r->kind), record_key(r), err)) != 0) {
		json_decref(payload);
		return rc;
	}
	if (notice_id != NULL)
		json_object_set_new(payload, "notice", json_string(notice_id));
	snprintf(kind, sizeof(kind), "registry.%s.%s", kind_noun(r->kind), verb);
	snprintf(subject, sizeof(subject), "%s/%s", kind_noun(r->kind), record_key(r));
	return bf_svc_event(s, actor, kind, subject, payload, bf_svc_now(), err);
}

int bf_service_registry_save(struct bf_service *svc, const struct bf_party *actor, const struct bf_registry_record *r,
                             bool create, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	enum outcome outcome;
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = save_in_tx(s, actor, r, create, false, NULL, &outcome, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_service_registry_patch(struct bf_service *svc, const struct bf_party *actor, enum bf_registry_kind kind,
                              const char *key,
                              int (*merge)(struct bf_registry_record *rec, void *cls, struct bf_error *err), void *cls,
                              struct bf_registry_record *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	enum outcome outcome;
	int rc = bf_store_begin(s, err);
	if (rc == BF_OK) {
		if ((rc = bf_store_registry_get(s, out, kind, key, err)) == BF_OK &&
		    (rc = merge(out, cls, err)) == BF_OK &&
		    (rc = save_in_tx(s, actor, out, false, false, NULL, &outcome, err)) == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	return rc;
}

int bf_svc_registry_suspend(struct bf_store *s, const struct bf_party *actor, enum bf_registry_kind kind,
                            const char *key, const char *notice_id, struct bf_registry_record *out, bool *changed,
                            struct bf_error *err)
{
	enum outcome outcome = SAVED_SAME;
	int rc = bf_store_registry_get(s, out, kind, key, err);
	*changed = false;
	if (rc)
		return rc;
	if (record_status(out) == BF_REG_SUSPENDED)
		return BF_OK;
	bf_registry_status_set(kind, &out->u, BF_REG_SUSPENDED);
	if ((rc = save_in_tx(s, actor, out, false, false, notice_id, &outcome, err)) != 0)
		return rc;
	*changed = outcome == SAVED_CHANGED;
	return BF_OK;
}

int bf_service_registry_get(struct bf_service *svc, enum bf_registry_kind kind, const char *key,
                            struct bf_registry_record *out, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_registry_get(s, out, kind, key, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

int bf_service_registry_list(struct bf_service *svc, enum bf_registry_kind kind, const char *after, int limit,
                             void **out, size_t *n, struct bf_error *err)
{
	struct bf_store *s = bf_store_pool_acquire(svc->pool);
	int rc = bf_store_registry_list(s, kind, after, limit, out, n, err);
	bf_store_pool_release(svc->pool, s);
	return rc;
}

/* ---- CSV import ---- */

#define MAX_COLUMNS 5
static const char *const columns[3][MAX_COLUMNS] = {
    {"id", "name", "country", "status", "approvals"},
    {"code", "hs_code", "country", "province", "status"},
    {"code", "name", "country", "province", "status"},
};

static void problem(struct bf_import_report *rep, int line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(struct bf_import_report *rep, int line, const char *field, const char *fmt, ...)
{
	va_list ap;
	if (rep->n_problems == BF_IMPORT_MAX_PROBLEMS)
		return;
	struct bf_import_problem *p = &rep->problems[rep->n_problems++];
	p->line = line;
	bf_strlcpy(p->field, field, sizeof(p->field));
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
}

/* Which kind the header names, and where each column stands (-1: absent). */
static int read_header(const struct bf_csv_row *h, int pos[MAX_COLUMNS], struct bf_import_report *rep)
{
	for (int k = 0; k < 3; k++) {
		bool fits = true;
		for (int c = 0; c < MAX_COLUMNS; c++)
			pos[c] = -1;
		for (int f = 0; f < h->n && fits; f++) {
			bool known = false;
			for (int c = 0; c < MAX_COLUMNS; c++) {
				if (strcmp(h->field[f], columns[k][c]) == 0) {
					if (pos[c] >= 0)
						fits = false;
					pos[c] = f;
					known = true;
				}
			}
			fits = fits && known;
		}
		/* Every column but status is required. */
		for (int c = 0; c < MAX_COLUMNS && fits; c++)
			fits = pos[c] >= 0 || strcmp(columns[k][c], "status") == 0;
		if (fits) {
			rep->kind = (enum bf_registry_kind)k;
			return BF_OK;
		}
	}
	problem(rep, 1, "header",
	        "the header must name the columns of one kind: exporters (id,name,country,status,approvals), "
	        "planting areas (code,hs_code,country,province,status) or packing houses "
	        "(code,name,country,province,status); status may be left out");
	return BF_EINVAL;
}

static const char *cell(const struct bf_csv_row *row, const int pos[MAX_COLUMNS], int c)
{
	return pos[c] >= 0 && pos[c] < row->n ? row->field[pos[c]] : "";
}

/* Copies a cell, reporting one that does not fit. */
static bool take(struct bf_import_report *rep, int line, const char *field, const char *text, char *dst, size_t cap)
{
	if (bf_strlcpy(dst, text, cap) != BF_OK) {
		problem(rep, line, field, "is longer than %zu characters", cap - 1);
		return false;
	}
	return true;
}

/* "08106000:CN;08109092:CN" into E's approvals. */
static bool parse_approvals(struct bf_import_report *rep, int line, const char *text, struct bf_exporter *e)
{
	char buf[BF_CSV_FIELD_MAX], *save = NULL;
	bf_strlcpy(buf, text, sizeof(buf));
	for (char *item = strtok_r(buf, "; ", &save); item; item = strtok_r(NULL, "; ", &save)) {
		char *colon = strchr(item, ':');
		if (e->n_approvals == BF_MAX_APPROVALS) {
			problem(rep, line, "approvals", "at most %d approvals", BF_MAX_APPROVALS);
			return false;
		}
		if (colon == NULL) {
			problem(rep, line, "approvals", "\"%s\" is not HS_CODE:DESTINATION, as in 08106000:CN", item);
			return false;
		}
		*colon = '\0';
		struct bf_approval *a = &e->approvals[e->n_approvals++];
		if (!take(rep, line, "approvals", item, a->hs_code, sizeof(a->hs_code)) ||
		    !take(rep, line, "approvals", colon + 1, a->destination, sizeof(a->destination)))
			return false;
	}
	return true;
}

static bool parse_row(struct bf_import_report *rep, int line, const struct bf_csv_row *row, const int pos[MAX_COLUMNS],
                      struct bf_registry_record *r)
{
	const char *const *cols = columns[rep->kind];
	int status_col = rep->kind == BF_REG_EXPORTER ? 3 : 4;
	const char *status = cell(row, pos, status_col);
	enum bf_registry_status st = BF_REG_ACTIVE;
	struct bf_error err = {0};
	int rc;

	memset(r, 0, sizeof(*r));
	r->kind = rep->kind;
	if (status[0] && bf_registry_status_parse(status, &st)) {
		problem(rep, line, "status", "must be active or suspended, not \"%s\"", status);
		return false;
	}
	switch (rep->kind) {
	case BF_REG_EXPORTER: {
		struct bf_exporter *e = &r->u.exporter;
		e->status = st;
		if (!take(rep, line, cols[0], cell(row, pos, 0), e->id, sizeof(e->id)) ||
		    !take(rep, line, cols[1], cell(row, pos, 1), e->name, sizeof(e->name)) ||
		    !take(rep, line, cols[2], cell(row, pos, 2), e->country, sizeof(e->country)) ||
		    !parse_approvals(rep, line, cell(row, pos, 4), e))
			return false;
		break;
	}
	case BF_REG_PLANTING_AREA: {
		struct bf_planting_area *p = &r->u.planting_area;
		p->status = st;
		if (!take(rep, line, cols[0], cell(row, pos, 0), p->code, sizeof(p->code)) ||
		    !take(rep, line, cols[1], cell(row, pos, 1), p->hs_code, sizeof(p->hs_code)) ||
		    !take(rep, line, cols[2], cell(row, pos, 2), p->country, sizeof(p->country)) ||
		    !take(rep, line, cols[3], cell(row, pos, 3), p->province, sizeof(p->province)))
			return false;
		break;
	}
	default: {
		struct bf_packing_house *p = &r->u.packing_house;
		p->status = st;
		if (!take(rep, line, cols[0], cell(row, pos, 0), p->code, sizeof(p->code)) ||
		    !take(rep, line, cols[1], cell(row, pos, 1), p->name, sizeof(p->name)) ||
		    !take(rep, line, cols[2], cell(row, pos, 2), p->country, sizeof(p->country)) ||
		    !take(rep, line, cols[3], cell(row, pos, 3), p->province, sizeof(p->province)))
			return false;
		break;
	}
	}
	if ((rc = bf_registry_record_validate(r, &err)) != 0) {
		problem(rep, line, err.field[0] ? err.field : cols[0], "%s", err.message);
		return false;
	}
	return true;
}

int bf_service_import_registry(struct bf_service *svc, const struct bf_party *actor, const char *text, size_t len,
                               struct bf_import_report *rep, struct bf_error *err)
{
	struct bf_csv csv;
	struct bf_csv_row *row = bf_xmalloc(sizeof(*row));
	struct bf_registry_record *records = NULL;
	int *lines = NULL, pos[MAX_COLUMNS], n = 0, width = 0, rc;
	struct bf_error cerr = {0};

	memset(rep, 0, sizeof(*rep));
	bf_csv_init(&csv, text, len);
	rc = bf_csv_next(&csv, row, &cerr);
	if (rc <= 0) {
		problem(rep, rc == 0 ? 1 : csv.line, "header", "%s", rc == 0 ? "the file is empty" : cerr.message);
	} else if (read_header(row, pos, rep) == BF_OK) {
		width = row->n;
		while ((rc = bf_csv_next(&csv, row, &cerr)) == 1) {
			rep->rows++;
			records = bf_xrealloc(records, (size_t)(n + 1) * sizeof(*records));
			lines = bf_xrealloc(lines, (size_t)(n + 1) * sizeof(*lines));
			lines[n] = csv.line;
			if (row->n != width)
				problem(rep, csv.line, "row", "has %d fields where the header has %d", row->n, width);
			else if (parse_row(rep, csv.line, row, pos, &records[n]))
				n++;
		}
		if (rc < 0)
			problem(rep, csv.line, "row", "%s", cerr.message);
	}
	free(row);

	/* Keys repeated within the file would make the last row win silently. */
	for (int j = 1; j < n; j++) {
		for (int i = 0; i < j; i++) {
			if (strcmp(record_key(&records[i]), record_key(&records[j])) == 0) {
				problem(rep, lines[j], columns[rep->kind][0], "%s is on line %d already",
				        record_key(&records[j]), lines[i]);
				break;
			}
		}
	}
	if (rep->n_problems > 0) {
		free(records);
		free(lines);
		return bf_error_set(err, BF_EREJECTED, "", "%d problem%s found; nothing was imported", rep->n_problems,
		                    rep->n_problems == 1 ? "" : "s");
	}

	/* Checks against the database (a commodity, the country) go on past
	 * the first failure, so that every bad row is reported at once; any
	 * failure rolls the whole file back. */
	struct bf_store *s = bf_store_pool_acquire(svc->writers);
	if ((rc = bf_store_begin(s, err)) == BF_OK) {
		for (int i = 0; i < n && rc != BF_ESTORE; i++) {
			enum outcome outcome = SAVED_SAME;
			struct bf_error rerr = {0};
			int one = save_in_tx(s, actor, &records[i], true, true, NULL, &outcome, &rerr);
			if (one == BF_OK) {
				rep->created += outcome == SAVED_NEW;
				rep->updated += outcome == SAVED_CHANGED;
				rep->unchanged += outcome == SAVED_SAME;
			} else if (one == BF_ESTORE) {
				rc = bf_error_set(err, BF_ESTORE, "", "%s", rerr.message);
			} else {
				problem(rep, lines[i], rerr.field, "%s", rerr.message);
			}
		}
		if (rc == BF_OK && rep->n_problems > 0)
			rc = bf_error_set(err, BF_EREJECTED, "", "%d problem%s found; nothing was imported",
			                  rep->n_problems, rep->n_problems == 1 ? "" : "s");
		if (rc == BF_OK)
			rc = bf_store_commit(s, err);
		else
			bf_store_rollback(s);
	}
	bf_store_pool_release(svc->writers, s);
	if (rc != BF_OK)
		rep->created = rep->updated = rep->unchanged = 0;
	free(records);
	free(lines);
	return rc;
}
