/* Tests model/vehicle: truck plates in Vietnamese, Chinese and other
 * formats, wagon numbers, conveyance names and the weight caps. */
#include "util/testutil.h"

#include "model/error.h"
#include "model/vehicle.h"

#include <stdbool.h>
#include <string.h>

static void expect_plates(const char *country, bool valid, const char *const *plates, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (bf_vehicle_plate_valid(country, plates[i]) != valid)
			fail_msg("%s plate \"%s\" should be %s", country, plates[i], valid ? "accepted" : "refused");
	}
}

#define EXPECT_PLATES(country, valid, ...)                                                                             \
	expect_plates(country, valid, (const char *const[]){__VA_ARGS__},                                              \
	              sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void test_vn_plates(void **state)
{
	(void)state;
	/* Province 29, series C (or LD, or C1), 4 or 5 digits; dash and dot optional. */
	EXPECT_PLATES("VN", true, "29C-123.45", "29C12345", "51LD-123.45", "29C-1234", "29C1234", "29C-12345",
	              "29C1-234.56", "51LD12345", "29C123.45");
	EXPECT_PLATES("VN", false, "ABC", "29-12345", "2C-12345", "29C-123", "29C-1234567", "29c-12345", "",
	              /* no series letter, a second series then too few digits, a stray letter */
	              "2912345", "29CD-123", "29C-12A45", "29C", "29", "29C-", "29C 12345");
}

static void test_cn_plates(void **state)
{
	(void)state;
	/* 桂 (Guangxi), 粤 (Guangdong), 云 (Yunnan), 京 (Beijing). */
	EXPECT_PLATES("CN", true, "桂A12345", "桂A-12345", "粤BD12345", "云A1234D", "京AD1234F", "桂A 12345");
}

static void test_cn_plates_refused(void **state)
{
	(void)state;
	/* No letter after the province; no province character; 4 characters;
	 * 3 letters; 7 characters; a lower-case letter; an unknown character. */
	EXPECT_PLATES("CN", false, "桂12345", "XA12345", "桂A1234", "桂AABC12", "桂A1234567", "桂a12345", "桂A1234a",
	              "中A12345", "", "桂", "桂A");
}

static void test_other_plates(void **state)
{
	(void)state;
	EXPECT_PLATES("LA", true, "AB 1234", "AB-1234", "12", "ABCDEFGHIJKL", "KH 1A-2345");
	/* 1 character, lower case, 13 characters, other punctuation. */
	EXPECT_PLATES("LA", false, "a", "A", "ab 1234", "ABCDEFGHIJKLM", "AB_1234", "AB.1234", "");
	/* The generic rule is not VN's or CN's. */
	assert_true(bf_vehicle_plate_valid("TH", "AB 1234"));
	assert_false(bf_vehicle_plate_valid("VN", "AB 1234"));
	assert_false(bf_vehicle_plate_valid("CN", "AB 1234"));
}

static void test_wagon_numbers(void **state)
{
	(void)state;
	static const char *const good[] = {"12345", "3150 123 4567", "3150-123-4567", "123456789012", "12 345"};
	static const char *const bad[] = {"1234",    "12a45",   "-12345", "12345-", "1234567890123", "",
	                                  "12  345", "12 -345", " 12345", "12345 ", "1 2 3 4"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!bf_vehicle_wagon_number_valid(good[i]))
			fail_msg("wagon \"%s\" should be accepted", good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bf_vehicle_wagon_number_valid(bad[i]))
			fail_msg("wagon \"%s\" should be refused", bad[i]);
	}
}

static void test_conveyance(void **state)
{
	(void)state;
	enum bf_conveyance c = BF_CONVEY_WAGON;

	assert_string_equal(bf_conveyance_name(BF_CONVEY_TRUCK), "truck");
	assert_string_equal(bf_conveyance_name(BF_CONVEY_WAGON), "wagon");
	assert_int_equal(bf_conveyance_parse("truck", &c), BF_OK);
	assert_int_equal(c, BF_CONVEY_TRUCK);
	assert_int_equal(bf_conveyance_parse("wagon", &c), BF_OK);
	assert_int_equal(c, BF_CONVEY_WAGON);

	/* Round trip through the name. */
	const enum bf_conveyance all[] = {BF_CONVEY_TRUCK, BF_CONVEY_WAGON};
	for (size_t i = 0; i < 2; i++) {
		enum bf_conveyance back = all[1 - i];
		assert_int_equal(bf_conveyance_parse(bf_conveyance_name(all[i]), &back), BF_OK);
		assert_int_equal(back, all[i]);
	}

	assert_int_equal(bf_conveyance_parse("Truck", &c), BF_EINVAL);
	assert_int_equal(bf_conveyance_parse("trucks", &c), BF_EINVAL);
	assert_int_equal(bf_conveyance_parse("", &c), BF_EINVAL);
	assert_int_equal(bf_conveyance_parse(NULL, &c), BF_EINVAL);

	assert_true(bf_conveyance_max_net_kg(BF_CONVEY_TRUCK) == 32000.0);
	assert_true(bf_conveyance_max_net_kg(BF_CONVEY_WAGON) == 60000.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vn_plates),         cmocka_unit_test(test_cn_plates),
	    cmocka_unit_test(test_cn_plates_refused), cmocka_unit_test(test_other_plates),
	    cmocka_unit_test(test_wagon_numbers),     cmocka_unit_test(test_conveyance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
