/* Paths over HTTP: an id with a NUL or a control character in it is
 * refused with 400 naming the path, before any route or the store sees
 * it; a NUL does not cut the id short; other odd ids are only unknown. */
#include "util/apifix.h"
#include "util/testutil.h"

#include <string.h>

static struct apifix_party parties[] = {{"paths-carrier", BF_ROLE_CARRIER, "VN", ""}};
static struct apifix fx;

static int setup(void **state)
{
	*state = &fx;
	return apifix_start(&fx, "paths", parties, 1);
}

static void expect(const char *path, int as, long want, const char *field)
{
	long status = 0;
	json_t *j = apifix_call(&fx, as, "GET", path, NULL, NULL, &status);
	const char *f = json_string_value(json_object_get(json_object_get(j, "error"), "field"));
	if (status != want || (field && (f == NULL || strcmp(f, field) != 0)))
		fail_msg("%s: %ld (field %s), wanted %ld (field %s)", path, status, f ? f : "-", want,
		         field ? field : "-");
	json_decref(j);
}

static void test_control_characters_refused(void **state)
{
	(void)state;
	expect("/v1/gates/huu-nghi", -1, 200, NULL);
	/* Without the check, "huu-nghi%00x" would read as "huu-nghi". */
	expect("/v1/gates/huu-nghi%00x", -1, 400, "path");
	expect("/v1/gates/huu%0Anghi", -1, 400, "path");
	expect("/v1/gates/huu%0Dnghi", -1, 400, "path");
	expect("/v1/gates/huu%1Fnghi", -1, 400, "path");
	expect("/v1/gates/huu%7Fnghi", -1, 400, "path");
	expect("/v1/consignments/c-%01abc", 0, 400, "path");
	/* Printable oddities are ids like any other: unknown. */
	expect("/v1/gates/huu%20nghi", -1, 404, "id");
	expect("/v1/gates/%E5%8F%8B%E8%B0%8A", -1, 404, "id");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_control_characters_refused),
	};
	return cmocka_run_group_tests(tests, setup, apifix_teardown);
}
