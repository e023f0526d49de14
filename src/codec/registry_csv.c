/* Registry CSV files: the header names the kind and its columns, each row
 * is one record read strictly, and every problem is reported with its line
 * and field (codec/registry_csv.h). */
#include "codec/registry_csv.h"

#include "model/csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 7
static const char *const columns[BF_REG_KINDS][MAX_COLUMNS] = {
    {"id", "name", "country", "status", "approvals"},
    {"code", "hs_code", "country", "province", "status"},
    {"code", "name", "country", "province", "status"},
    {"code", "name", "country", "province", "status", "registered_with", "products"},
};

/* Where each kind's status column stands. */
static const int status_column[BF_REG_KINDS] = {3, 4, 4, 4};

void bf_registry_csv_problem(struct bf_import_report *rep, int line, const char *field, const char *fmt, ...)
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
	for (int k = 0; k < BF_REG_KINDS; k++) {
		bool fits = true;
		for (int c = 0; c < MAX_COLUMNS; c++)
			pos[c] = -1;
		for (int f = 0; f < h->n && fits; f++) {
			bool known = false;
			for (int c = 0; c < MAX_COLUMNS; c++) {
				if (columns[k][c] && strcmp(h->field[f], columns[k][c]) == 0) {
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
			fits = pos[c] >= 0 || !columns[k][c] || strcmp(columns[k][c], "status") == 0;
		if (fits) {
			rep->kind = (enum bf_registry_kind)k;
			return BF_OK;
		}
	}
	bf_registry_csv_problem(
	    rep, 1, "header",
	    "the header must name the columns of one kind: exporters (id,name,country,status,approvals), "
	    "planting areas (code,hs_code,country,province,status), packing houses "
	    "(code,name,country,province,status) or facilities "
	    "(code,name,country,province,status,registered_with,products); status may be left out");
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
		bf_registry_csv_problem(rep, line, field, "is longer than %zu characters", cap - 1);
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
			bf_registry_csv_problem(rep, line, "approvals", "at most %d approvals", BF_MAX_APPROVALS);
			return false;
		}
		if (colon == NULL) {
			bf_registry_csv_problem(rep, line, "approvals",
			                        "\"%s\" is not HS_CODE:DESTINATION, as in 08106000:CN", item);
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
	int status_col = status_column[rep->kind];
	const char *status = cell(row, pos, status_col);
	enum bf_registry_status st = BF_REG_ACTIVE;
	struct bf_error err = {0};
	int rc;

	memset(r, 0, sizeof(*r));
	r->kind = rep->kind;
	if (status[0] && bf_registry_status_parse(status, &st)) {
		bf_registry_csv_problem(rep, line, "status", "must be active or suspended, not \"%s\"", status);
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
	case BF_REG_FACILITY: {
		struct bf_facility *f = &r->u.facility;
		f->status = st;
		if (!take(rep, line, cols[0], cell(row, pos, 0), f->code, sizeof(f->code)) ||
		    !take(rep, line, cols[1], cell(row, pos, 1), f->name, sizeof(f->name)) ||
		    !take(rep, line, cols[2], cell(row, pos, 2), f->country, sizeof(f->country)) ||
		    !take(rep, line, cols[3], cell(row, pos, 3), f->province, sizeof(f->province)) ||
		    !take(rep, line, cols[5], cell(row, pos, 5), f->registered_with, sizeof(f->registered_with)))
			return false;
		if (bf_facility_products_parse(cell(row, pos, 6), f, &err) != BF_OK) {
			bf_registry_csv_problem(rep, line, "products", "%s", err.message);
			return false;
		}
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
		bf_registry_csv_problem(rep, line, err.field[0] ? err.field : cols[0], "%s", err.message);
		return false;
	}
	return true;
}

int bf_registry_csv_read(const char *text, size_t len, struct bf_import_report *rep, struct bf_registry_record **out,
                         int **out_lines, int *out_n)
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
		bf_registry_csv_problem(rep, rc == 0 ? 1 : csv.line, "header", "%s",
		                        rc == 0 ? "the file is empty" : cerr.message);
	} else if (read_header(row, pos, rep) == BF_OK) {
		width = row->n;
		while ((rc = bf_csv_next(&csv, row, &cerr)) == 1) {
			rep->rows++;
			records = bf_xrealloc(records, (size_t)(n + 1) * sizeof(*records));
			lines = bf_xrealloc(lines, (size_t)(n + 1) * sizeof(*lines));
			lines[n] = csv.line;
			if (row->n != width)
				bf_registry_csv_problem(rep, csv.line, "row", "has %d fields where the header has %d",
				                        row->n, width);
			else if (parse_row(rep, csv.line, row, pos, &records[n]))
				n++;
		}
		if (rc < 0)
			bf_registry_csv_problem(rep, csv.line, "row", "%s", cerr.message);
	}
	free(row);

	/* Keys repeated within the file would make the last row win silently. */
	for (int j = 1; j < n; j++) {
		for (int i = 0; i < j; i++) {
			if (strcmp(bf_registry_key(rep->kind, &records[i].u),
			           bf_registry_key(rep->kind, &records[j].u)) == 0) {
				bf_registry_csv_problem(rep, lines[j], columns[rep->kind][0],
				                        "%s is on line %d already",
				                        bf_registry_key(rep->kind, &records[j].u), lines[i]);
				break;
			}
		}
	}
	*out = records;
	*out_lines = lines;
	*out_n = n;
	return rep->n_problems;
}
