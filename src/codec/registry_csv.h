/* Registry CSV files (codec/registry_csv.c): one header row naming the
 * columns of one kind (exporters: id,name,country,status,approvals;
 * planting areas: code,hs_code,country,province,status; packing houses:
 * code,name,country,province,status; status may be left out), then a
 * record a row. Every problem is kept with its line and field, so that a
 * file is refused whole with all that is wrong in it. */
#ifndef BF_CODEC_REGISTRY_CSV_H
#define BF_CODEC_REGISTRY_CSV_H

#include "model/registry.h"

#include <stddef.h>

#define BF_IMPORT_MAX_PROBLEMS 200
struct bf_import_problem {
	int line;
	char field[64];
	char message[256];
};
struct bf_import_report {
	enum bf_registry_kind kind;
	int rows;                        /* data rows read */
	int created, updated, unchanged; /* when imported */
	int n_problems;                  /* every bad row, up to BF_IMPORT_MAX_PROBLEMS */
	struct bf_import_problem problems[BF_IMPORT_MAX_PROBLEMS];
};

/* Reads TEXT (LEN bytes) into REP (kind, rows, problems; cleared first)
 * and the records that read well into *OUT, with the line each came from
 * in *LINES, *N of them (free both with free()). A key repeated in the
 * file is a problem of its later line. Returns the number of problems. */
int bf_registry_csv_read(const char *text, size_t len, struct bf_import_report *rep, struct bf_registry_record **out,
                         int **lines, int *n);
/* Adds a problem of LINE and FIELD to REP, while it has room. */
void bf_registry_csv_problem(struct bf_import_report *rep, int line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
