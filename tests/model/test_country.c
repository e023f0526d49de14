/* Tests model/country: a code is one ISO 3166-1 alpha-2 assigns, in
 * capitals; a code of the right shape that no country holds is refused. */
#include "util/testutil.h"

#include "model/country.h"

static void test_assigned(void **state)
{
	(void)state;
	static const char *const good[] = {"VN", "CN", "LA", "KH", "TH", "MM", "GB", "US", "AD", "ZW", "HK", "TW"};
	static const char *const bad[] = {"XX", "ZZ", "AA", "UK", "EU", "QZ", "vn", "Vn", "V", "VNM", "", "V1", "ZX"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!bf_country_code_valid(good[i]))
			fail_msg("\"%s\" was refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (bf_country_code_valid(bad[i]))
			fail_msg("\"%s\" was accepted", bad[i]);
	assert_false(bf_country_code_valid(NULL));
}

/* Of the 676 pairs of capitals, exactly the 249 assigned codes pass. */
static void test_count(void **state)
{
	(void)state;
	int n = 0;
	char s[3] = "AA";
	for (char a = 'A'; a <= 'Z'; a++)
		for (char b = 'A'; b <= 'Z'; b++) {
			s[0] = a;
			s[1] = b;
			n += bf_country_code_valid(s);
		}
	assert_int_equal(n, 249);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_assigned),
	    cmocka_unit_test(test_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
