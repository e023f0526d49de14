/* Tests model/csv: rows split on LF and CRLF, quoted fields holding commas,
 * doubled quotes and line breaks, empty fields, blank lines, a byte order
 * mark, line numbers, and every error with the line it names. */
#include "util/testutil.h"

#include "model/csv.h"
#include "model/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS(...) ((const char *const[]){__VA_ARGS__})

static int setup(void **state)
{
	/* A row is 32 fields of 1 KiB: too big for the stack of a test. */
	*state = calloc(1, sizeof(struct bf_csv_row));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* The next row must be read, start on LINE and hold exactly the N FIELDS. */
static void expect_row(struct bf_csv *c, struct bf_csv_row *row, int line, int n, const char *const *fields)
{
	struct bf_error err = {0};
	int rc = bf_csv_next(c, row, &err);
	if (rc != 1)
		fail_msg("expected a row at line %d, got %d (%s)", line, rc, err.message);
	assert_int_equal(c->line, line);
	assert_int_equal(row->n, n);
	for (int i = 0; i < n; i++) {
		if (strcmp(row->field[i], fields[i]) != 0)
			fail_msg("line %d field %d: \"%s\", expected \"%s\"", line, i + 1, row->field[i], fields[i]);
	}
}

static void expect_end(struct bf_csv *c, struct bf_csv_row *row)
{
	struct bf_error err = {0};
	assert_int_equal(bf_csv_next(c, row, &err), 0);
	/* The end stays the end. */
	assert_int_equal(bf_csv_next(c, row, &err), 0);
}

/* TEXT (LEN bytes) yields GOOD rows, then an error on LINE whose message
 * says "line LINE:" and holds FRAGMENT. */
static void expect_error(struct bf_csv_row *row, const char *text, size_t len, int good, int line, const char *fragment)
{
	struct bf_csv c;
	struct bf_error err = {0};
	char prefix[32];
	int rc;

	bf_csv_init(&c, text, len);
	for (int i = 0; i < good; i++) {
		rc = bf_csv_next(&c, row, &err);
		if (rc != 1)
			fail_msg("row %d before the error: got %d (%s)", i + 1, rc, err.message);
	}
	rc = bf_csv_next(&c, row, &err);
	assert_int_equal(rc, BF_EINVAL);
	assert_int_equal(err.code, BF_EINVAL);
	snprintf(prefix, sizeof(prefix), "line %d: ", line);
	if (strncmp(err.message, prefix, strlen(prefix)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err.message, prefix);
	if (strstr(err.message, fragment) == NULL)
		fail_msg("message \"%s\" does not say \"%s\"", err.message, fragment);
}

static void test_simple_rows(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	static const char text[] = "id,name,country\nVN-1,Alpha,VN\nCN-2,Beta,CN\n";

	bf_csv_init(&c, text, strlen(text));
	expect_row(&c, row, 1, 3, FIELDS("id", "name", "country"));
	expect_row(&c, row, 2, 3, FIELDS("VN-1", "Alpha", "VN"));
	expect_row(&c, row, 3, 3, FIELDS("CN-2", "Beta", "CN"));
	expect_end(&c, row);

	/* Spaces belong to the field; one field alone is a row. */
	static const char spaced[] = " a , b \nsolo\n";
	bf_csv_init(&c, spaced, strlen(spaced));
	expect_row(&c, row, 1, 2, FIELDS(" a ", " b "));
	expect_row(&c, row, 2, 1, FIELDS("solo"));
	expect_end(&c, row);

	/* Only LEN bytes are read, whatever follows. */
	bf_csv_init(&c, "a,b\nc,d\n", 4);
	expect_row(&c, row, 1, 2, FIELDS("a", "b"));
	expect_end(&c, row);
}

static void test_line_endings(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	static const char crlf[] = "a,b\r\nc,d\r\n";
	static const char mixed[] = "a\r\nb\nc\r\nd";

	bf_csv_init(&c, crlf, strlen(crlf));
	expect_row(&c, row, 1, 2, FIELDS("a", "b"));
	expect_row(&c, row, 2, 2, FIELDS("c", "d"));
	expect_end(&c, row);

	bf_csv_init(&c, mixed, strlen(mixed));
	expect_row(&c, row, 1, 1, FIELDS("a"));
	expect_row(&c, row, 2, 1, FIELDS("b"));
	expect_row(&c, row, 3, 1, FIELDS("c"));
	expect_row(&c, row, 4, 1, FIELDS("d"));
	expect_end(&c, row);
}

static void test_quoted_fields(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	/* Line 1: a comma and doubled quotes; lines 2-3: one row whose second
	 * field holds a line break; line 4: the next row. */
	static const char text[] = "\"Binh Thuan, VN\",\"say \"\"hi\"\"\",\"\"\n"
	                           "x,\"two\nlines\",y\n"
	                           "after,\"\"\"\"\n";

	bf_csv_init(&c, text, strlen(text));
	expect_row(&c, row, 1, 3, FIELDS("Binh Thuan, VN", "say \"hi\"", ""));
	expect_row(&c, row, 2, 3, FIELDS("x", "two\nlines", "y"));
	expect_row(&c, row, 4, 2, FIELDS("after", "\""));
	expect_end(&c, row);

	/* CRLF inside quotes is kept as written and counts as one line; a
	 * quoted field may hold several line breaks and end the input. */
	static const char crlf[] = "\"a\r\nb\",c\r\nnext\r\n\"1\n2\n3\"";
	bf_csv_init(&c, crlf, strlen(crlf));
	expect_row(&c, row, 1, 2, FIELDS("a\r\nb", "c"));
	expect_row(&c, row, 3, 1, FIELDS("next"));
	expect_row(&c, row, 4, 1, FIELDS("1\n2\n3"));
	expect_end(&c, row);

	/* Quoted and unquoted fields mix; a quoted empty field ends a row. */
	static const char mix[] = "1,\"2\",3,\"\"\r\n";
	bf_csv_init(&c, mix, strlen(mix));
	expect_row(&c, row, 1, 4, FIELDS("1", "2", "3", ""));
	expect_end(&c, row);
}

static void test_empty_fields(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	static const char text[] = ",,\na,,b\na,\n,a\n,\n";

	bf_csv_init(&c, text, strlen(text));
	expect_row(&c, row, 1, 3, FIELDS("", "", ""));
	expect_row(&c, row, 2, 3, FIELDS("a", "", "b"));
	expect_row(&c, row, 3, 2, FIELDS("a", ""));
	expect_row(&c, row, 4, 2, FIELDS("", "a"));
	expect_row(&c, row, 5, 2, FIELDS("", ""));
	expect_end(&c, row);

	/* A trailing comma at the very end is one more empty field. */
	bf_csv_init(&c, "a,b,", 4);
	expect_row(&c, row, 1, 3, FIELDS("a", "b", ""));
	expect_end(&c, row);
}

static void test_trailing_newline(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	static const char *const texts[] = {"a,b\nc,d", "a,b\nc,d\n", "a,b\r\nc,d\r\n", "a,b\r\nc,d"};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		bf_csv_init(&c, texts[i], strlen(texts[i]));
		expect_row(&c, row, 1, 2, FIELDS("a", "b"));
		expect_row(&c, row, 2, 2, FIELDS("c", "d"));
		expect_end(&c, row);
	}

	/* Nothing at all, or nothing but line breaks, is no row. */
	bf_csv_init(&c, "", 0);
	expect_end(&c, row);
	bf_csv_init(&c, "\n\r\n\n", 4);
	expect_end(&c, row);
}

static void test_blank_lines(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	/* Lines: 1 "", 2 "", 3 "a", 4 "" (CRLF), 5 "", 6 "b,c", 7 "", then end. */
	static const char text[] = "\n\na\n\r\n\nb,c\n\n";

	bf_csv_init(&c, text, strlen(text));
	expect_row(&c, row, 3, 1, FIELDS("a"));
	expect_row(&c, row, 6, 2, FIELDS("b", "c"));
	expect_end(&c, row);
}

static void test_byte_order_mark(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	static const char text[] = "\xEF\xBB\xBFid,name\r\n1,\xE6\xA1\x82\r\n";

	bf_csv_init(&c, text, strlen(text));
	expect_row(&c, row, 1, 2, FIELDS("id", "name"));
	/* Other UTF-8 passes through untouched (桂). */
	expect_row(&c, row, 2, 2, FIELDS("1", "\xE6\xA1\x82"));
	expect_end(&c, row);

	/* A mark alone is an empty file; a quoted first field follows it. */
	bf_csv_init(&c, "\xEF\xBB\xBF", 3);
	expect_end(&c, row);
	bf_csv_init(&c, "\xEF\xBB\xBF\"q,r\"", 8);
	expect_row(&c, row, 1, 1, FIELDS("q,r"));
	expect_end(&c, row);
}

static void test_errors(void **state)
{
	struct bf_csv_row *row = *state;
	static const char unclosed[] = "a,b\n\"open,c\nd\n";
	static const char after_quote[] = "a\n\"x\"y,z\n";
	static const char after_quote_2[] = "a,\"x\" \n";
	static const char inner_quote[] = "a\nb\nab\"c\n";
	static const char inner_quote_3[] = "1,2,x\"\n";
	static const char nul[] = "a,b\nc\0d\n";
	static const char nul_quoted[] = "a\n\n\"c\0\"\n";
	/* The quoted field spans lines 1-2, so the bad row is on line 3. */
	static const char after_multiline[] = "\"a\nb\",c\nx\"y\n";

	expect_error(row, unclosed, strlen(unclosed), 1, 2, "a quoted field is never closed");
	expect_error(row, after_quote, strlen(after_quote), 1, 2, "text after the closing quote of field 1");
	expect_error(row, after_quote_2, strlen(after_quote_2), 0, 1, "text after the closing quote of field 2");
	expect_error(row, inner_quote, strlen(inner_quote), 2, 3, "a quote inside unquoted field 1");
	expect_error(row, inner_quote_3, strlen(inner_quote_3), 0, 1, "a quote inside unquoted field 3");
	expect_error(row, nul, sizeof(nul) - 1, 1, 2, "a NUL byte");
	expect_error(row, nul_quoted, sizeof(nul_quoted) - 1, 1, 3, "a NUL byte");
	expect_error(row, after_multiline, strlen(after_multiline), 1, 3, "a quote inside unquoted field 1");
}

/* N fields "f" joined by commas, after PREFIX; malloc'd. */
static char *many_fields(const char *prefix, int n)
{
	size_t len = strlen(prefix);
	char *s = malloc(len + (size_t)n * 2 + 2);
	assert_non_null(s);
	memcpy(s, prefix, len);
	for (int i = 0; i < n; i++) {
		s[len++] = 'f';
		s[len++] = i + 1 < n ? ',' : '\n';
	}
	s[len] = '\0';
	return s;
}

static void test_field_count_limit(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	char msg[64];
	char *full = many_fields("", BF_CSV_MAX_FIELDS);
	char *over = many_fields("ok\n\n", BF_CSV_MAX_FIELDS + 1);
	struct bf_error err = {0};

	/* Exactly 32 fields is a row. */
	bf_csv_init(&c, full, strlen(full));
	assert_int_equal(bf_csv_next(&c, row, &err), 1);
	assert_int_equal(row->n, 32);
	assert_string_equal(row->field[0], "f");
	assert_string_equal(row->field[31], "f");
	expect_end(&c, row);

	/* 33 fields on line 3 (after "ok" and a blank line). */
	snprintf(msg, sizeof(msg), "more than %d fields", BF_CSV_MAX_FIELDS);
	assert_string_equal(msg, "more than 32 fields");
	expect_error(row, over, strlen(over), 1, 3, msg);
	free(full);
	free(over);

	/* 32 fields and a trailing comma make 33. */
	static const char comma[] = "f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,f,\n";
	expect_error(row, comma, strlen(comma), 0, 1, "more than 32 fields");
}

static void test_field_length_limit(void **state)
{
	struct bf_csv_row *row = *state;
	struct bf_csv c;
	struct bf_error err = {0};
	/* Room for "x,", a quote pair, BF_CSV_FIELD_MAX bytes and "\n". */
	char *text = malloc(BF_CSV_FIELD_MAX + 16);
	size_t n;
	assert_non_null(text);

	/* 1023 bytes is the longest field. */
	memcpy(text, "x,", 2);
	memset(text + 2, 'L', BF_CSV_FIELD_MAX - 1);
	n = 2 + BF_CSV_FIELD_MAX - 1;
	text[n++] = '\n';
	bf_csv_init(&c, text, n);
	assert_int_equal(bf_csv_next(&c, row, &err), 1);
	assert_int_equal(row->n, 2);
	assert_string_equal(row->field[0], "x");
	assert_int_equal(strlen(row->field[1]), BF_CSV_FIELD_MAX - 1);
	assert_int_equal(row->field[1][BF_CSV_FIELD_MAX - 2], 'L');
	expect_end(&c, row);

	/* 1024 bytes is too long, unquoted ... */
	memset(text + 2, 'L', BF_CSV_FIELD_MAX);
	n = 2 + BF_CSV_FIELD_MAX;
	text[n++] = '\n';
	expect_error(row, text, n, 0, 1, "field 2 is longer than 1023 bytes");

	/* ... and quoted, on line 2 after a row with a quoted line break. */
	static const char head[] = "\"a\nb\"\n\"";
	memcpy(text, head, strlen(head));
	n = strlen(head);
	memset(text + n, 'Q', BF_CSV_FIELD_MAX);
	n += BF_CSV_FIELD_MAX;
	text[n++] = '"';
	expect_error(row, text, n, 1, 3, "field 1 is longer than 1023 bytes");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_simple_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_line_endings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quoted_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trailing_newline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blank_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_byte_order_mark, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_field_count_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_field_length_limit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
