/* Tests model/buf: the cap holds exactly (a byte past it is refused and
 * nothing of it kept), the bytes stay NUL-terminated, a file past the cap
 * is refused, and taking or clearing leaves an empty buffer. */
#include "util/testutil.h"

#include "model/buf.h"
#include "model/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_cap(void **state)
{
	(void)state;
	struct bf_buf b;
	bf_buf_init(&b, 10);
	assert_int_equal(bf_buf_add(&b, "hello", 5), BF_OK);
	assert_int_equal(bf_buf_add(&b, "world", 5), BF_OK);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "helloworld");
	/* One byte more is refused, and the buffer is as it was. */
	assert_int_equal(bf_buf_add(&b, "!", 1), BF_ETOOBIG);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "helloworld");
	/* Nothing more is still accepted. */
	assert_int_equal(bf_buf_add(&b, "", 0), BF_OK);
	bf_buf_clear(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	/* A piece larger than the whole cap, into an empty buffer. */
	assert_int_equal(bf_buf_add(&b, "01234567890", 11), BF_ETOOBIG);
	assert_int_equal(b.len, 0);
	bf_buf_clear(&b);
}

static void test_growth_and_take(void **state)
{
	(void)state;
	struct bf_buf b;
	char piece[100];
	bf_buf_init(&b, 1 << 20);
	memset(piece, 'x', sizeof(piece));
	for (int i = 0; i < 5000; i++)
		assert_int_equal(bf_buf_add(&b, piece, sizeof(piece)), BF_OK);
	assert_int_equal(b.len, 500000);
	assert_int_equal(b.data[b.len], '\0');
	assert_true(b.alloc <= (1 << 20) + 1);
	char *taken = bf_buf_take(&b);
	assert_int_equal(strlen(taken), 500000);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(taken);
	/* An empty buffer hands out "", never NULL. */
	taken = bf_buf_take(&b);
	assert_non_null(taken);
	assert_string_equal(taken, "");
	free(taken);
}

static void test_file(void **state)
{
	(void)state;
	struct bf_buf b;
	FILE *f = tmpfile();
	assert_non_null(f);
	for (int i = 0; i < 3000; i++)
		fputs("0123456789", f);
	rewind(f);
	bf_buf_init(&b, 30000);
	assert_int_equal(bf_buf_add_file(&b, f), BF_OK);
	assert_int_equal(b.len, 30000);
	bf_buf_clear(&b);
	/* One byte under the file's length: refused. */
	rewind(f);
	bf_buf_init(&b, 29999);
	assert_int_equal(bf_buf_add_file(&b, f), BF_ETOOBIG);
	assert_true(b.len <= 29999);
	bf_buf_clear(&b);
	fclose(f);
	/* An empty file reads as "". */
	f = tmpfile();
	assert_non_null(f);
	bf_buf_init(&b, 10);
	assert_int_equal(bf_buf_add_file(&b, f), BF_OK);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	bf_buf_clear(&b);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_growth_and_take),
	    cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
