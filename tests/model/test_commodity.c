/* What each importing country asks of a commodity's loads: the country's
 * own requirement before "*", none when neither is there; the documents'
 * names read and written back; a requirement named twice or for no
 * country refused. */
#include "util/testutil.h"

#include "model/commodity.h"

#include <string.h>

static struct bf_commodity fruit(void)
{
	struct bf_commodity c = {.hs_code = "08109092",
	                         .name_vi = "Thanh long",
	                         .name_zh = "火龙果",
	                         .name_en = "Dragon fruit",
	                         .klass = BF_CC_FRUIT,
	                         .shelf_life_hours = 672,
	                         .value_usd_per_tonne = 900,
	                         .n_requirements = 2};
	strcpy(c.requirements[0].importer, "*");
	c.requirements[0].documents = BF_DOC_PHYTO_CERTIFICATE;
	strcpy(c.requirements[1].importer, "CN");
	c.requirements[1].documents = BF_DOC_PLANTING_AREAS | BF_DOC_PACKING_HOUSE | BF_DOC_PHYTO_CERTIFICATE;
	return c;
}

static void test_the_destination_before_any(void **state)
{
	(void)state;
	struct bf_commodity c = fruit();
	assert_int_equal(bf_commodity_validate(&c, NULL), BF_OK);
	assert_string_equal(bf_commodity_requirement(&c, "CN")->importer, "CN");
	assert_string_equal(bf_commodity_requirement(&c, "LA")->importer, "*");
	assert_true(bf_commodity_needs_phyto(&c));
	c.n_requirements = 0;
	assert_null(bf_commodity_requirement(&c, "CN"));
	assert_false(bf_commodity_needs_phyto(&c));
}

static void test_document_names(void **state)
{
	(void)state;
	enum bf_document d;
	char text[128], bad[32];
	unsigned docs;
	for (int i = 0; i < BF_DOCUMENTS; i++) {
		assert_int_equal(bf_document_parse(bf_document_name((enum bf_document)(1u << i)), &d), BF_OK);
		assert_int_equal(d, 1u << i);
	}
	assert_string_equal(bf_document_words(BF_DOC_FACILITY), "registered facility number");
	bf_documents_format(BF_DOC_HEALTH_CERTIFICATE | BF_DOC_FACILITY, " ", text, sizeof(text));
	assert_string_equal(text, "health_certificate facility");
	assert_int_equal(bf_documents_parse(text, &docs, bad, sizeof(bad)), BF_OK);
	assert_int_equal(docs, BF_DOC_HEALTH_CERTIFICATE | BF_DOC_FACILITY);
	assert_int_equal(bf_documents_parse("", &docs, bad, sizeof(bad)), BF_OK);
	assert_int_equal(docs, 0);
	assert_int_equal(bf_documents_parse("facility,visa", &docs, bad, sizeof(bad)), BF_EINVAL);
	assert_string_equal(bad, "visa");
	assert_int_equal(bf_document_parse("phyto", &d), BF_EINVAL);
}

static void test_bad_requirements(void **state)
{
	(void)state;
	struct bf_error err = {0};
	struct bf_commodity c = fruit();
	strcpy(c.requirements[1].importer, "*");
	assert_int_equal(bf_commodity_validate(&c, &err), BF_EINVAL);
	assert_string_equal(err.field, "requires.*");
	c = fruit();
	strcpy(c.requirements[1].importer, "cn");
	assert_int_equal(bf_commodity_validate(&c, &err), BF_EINVAL);
	assert_string_equal(err.field, "requires");
	c = fruit();
	c.requirements[0].documents = 1u << BF_DOCUMENTS;
	assert_int_equal(bf_commodity_validate(&c, &err), BF_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_destination_before_any),
	    cmocka_unit_test(test_document_names),
	    cmocka_unit_test(test_bad_requirements),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
