/* Registered facilities: the importing country's registration number of a
 * plant, the country that registered it (not the plant's own) and the HS
 * codes or headings it may ship, a load matching by heading. */
#include "util/testutil.h"

#include "model/registry.h"

#include <string.h>

static struct bf_facility dairy(void)
{
	struct bf_facility f = {.code = "CNREG-VN-DP-001",
	                        .name = "Dairy plant",
	                        .country = "VN",
	                        .province = "Nghe An",
	                        .registered_with = "CN"};
	assert_int_equal(bf_facility_products_parse("0401;0402", &f, NULL), BF_OK);
	return f;
}

static void test_facility_products(void **state)
{
	(void)state;
	struct bf_facility f = dairy();
	char text[64];
	assert_int_equal(f.n_products, 2);
	assert_int_equal(bf_facility_validate(&f, NULL), BF_OK);
	assert_true(bf_facility_makes(&f, "04012010"));
	assert_true(bf_facility_makes(&f, "04021000"));
	assert_false(bf_facility_makes(&f, "10063030"));
	bf_facility_products_format(&f, " ", text, sizeof(text));
	assert_string_equal(text, "0401 0402");
	/* The kinds' table knows it, its key and its country. */
	assert_string_equal(bf_registry_kind_noun(BF_REG_FACILITY), "facility");
	assert_string_equal(bf_registry_kind_info(BF_REG_FACILITY)->path, "facilities");
	assert_string_equal(bf_registry_key(BF_REG_FACILITY, &f), "CNREG-VN-DP-001");
	assert_string_equal(bf_registry_country(BF_REG_FACILITY, &f), "VN");
}

static void test_bad_facilities(void **state)
{
	(void)state;
	struct bf_error err = {0};
	struct bf_facility f = dairy();
	strcpy(f.registered_with, "VN");
	assert_int_equal(bf_facility_validate(&f, &err), BF_EINVAL);
	assert_string_equal(err.field, "registered_with");
	f = dairy();
	strcpy(f.products[1], "04a1");
	assert_int_equal(bf_facility_validate(&f, &err), BF_EINVAL);
	assert_string_equal(err.field, "products[1]");
	f = dairy();
	strcpy(f.products[1], "0401");
	assert_int_equal(bf_facility_validate(&f, &err), BF_EINVAL);
	assert_non_null(strstr(err.message, "repeats"));
	f = dairy();
	f.n_products = 0;
	assert_int_equal(bf_facility_validate(&f, &err), BF_EINVAL);
	assert_string_equal(err.field, "products");
	assert_int_equal(bf_facility_products_parse("0401 0402 0403 0404 0405 0406 1006 0714 0811", &f, &err),
	                 BF_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_facility_products),
	    cmocka_unit_test(test_bad_facilities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
