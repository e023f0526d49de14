/* RFC 4180 reader. */
#include "model/csv.h"

#include <string.h>

void bf_csv_init(struct bf_csv *c, const char *text, size_t len)
{
	c->p = text;
	c->end = text + len;
	c->line = c->next_line = 1;
	/* A UTF-8 byte order mark, as spreadsheet programs write it. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

static int put(struct bf_csv *c, struct bf_csv_row *row, size_t *len, char ch, struct bf_error *err)
{
	if (*len + 1 >= BF_CSV_FIELD_MAX)
		return bf_error_set(err, BF_EINVAL, "", "line %d: field %d is longer than %d bytes", c->line,
		                    row->n + 1, BF_CSV_FIELD_MAX - 1);
	row->field[row->n][(*len)++] = ch;
	return BF_OK;
}

int bf_csv_next(struct bf_csv *c, struct bf_csv_row *row, struct bf_error *err)
{
	/* Skip blank lines. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->next_line++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	c->line = c->next_line;
	row->n = 0;
	for (;;) {
		size_t len = 0;
		int rc;
		if (row->n == BF_CSV_MAX_FIELDS)
			return bf_error_set(err, BF_EINVAL, "", "line %d: more than %d fields", c->line,
			                    BF_CSV_MAX_FIELDS);
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end)
					return bf_error_set(err, BF_EINVAL, "",
					                    "line %d: a quoted field is never closed", c->line);
				char ch = *c->p++;
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"') {
						c->p++;
					} else {
						break;
					}
				} else if (ch == '\n') {
					c->next_line++;
				} else if (ch == '\0') {
					return bf_error_set(err, BF_EINVAL, "", "line %d: a NUL byte", c->line);
				}
				if ((rc = put(c, row, &len, ch, err)) != 0)
					return rc;
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
				return bf_error_set(err, BF_EINVAL, "",
				                    "line %d: text after the closing quote of field %d", c->line,
				                    row->n + 1);
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
				char ch = *c->p++;
				if (ch == '"')
					return bf_error_set(
					    err, BF_EINVAL, "",
					    "line %d: a quote inside unquoted field %d; quote the whole field", c->line,
					    row->n + 1);
				if (ch == '\0')
					return bf_error_set(err, BF_EINVAL, "", "line %d: a NUL byte", c->line);
				if ((rc = put(c, row, &len, ch, err)) != 0)
					return rc;
			}
		}
		row->field[row->n++][len] = '\0';
		if (c->p >= c->end)
			return 1;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		if (*c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->next_line++;
		}
		return 1;
	}
}
