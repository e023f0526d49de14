/* A reader of comma-separated values as RFC 4180 writes them: fields
 * separated by commas, rows by CRLF or LF, a field in double quotes may
 * hold commas, line breaks and doubled quotes. Input is bounded by the
 * caller; a row holds at most BF_CSV_MAX_FIELDS fields of at most
 * BF_CSV_FIELD_MAX bytes each. */
#ifndef BF_MODEL_CSV_H
#define BF_MODEL_CSV_H

#include "model/error.h"

#include <stddef.h>

#define BF_CSV_MAX_FIELDS 32
#define BF_CSV_FIELD_MAX  1024

struct bf_csv {
	const char *p, *end;
	int line; /* line number where the current row started, from 1 */
	int next_line;
};

struct bf_csv_row {
	int n;
	char field[BF_CSV_MAX_FIELDS][BF_CSV_FIELD_MAX];
};

void bf_csv_init(struct bf_csv *c, const char *text, size_t len);
/* Reads the next row into ROW. Returns 1 when a row was read, 0 at the
 * end of input, or BF_EINVAL (an unclosed quote, text after a closing
 * quote, too many or too long fields, a NUL byte) with ERR naming the
 * line. A blank line is skipped. */
int bf_csv_next(struct bf_csv *c, struct bf_csv_row *row, struct bf_error *err);

#endif
