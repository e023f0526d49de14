/* Control lanes: the shares a profile expects are the shares it routes
 * (over a grid of draws), the random red minimum reaches every load, the
 * strictest matching rule wins, and a bad profile is refused by field. */
#include "util/testutil.h"

#include "model/risk.h"

#include <math.h>
#include <string.h>

#define GRID 1000

static void test_shares(void **state)
{
	(void)state;
	struct bf_risk_profile p;
	struct bf_risk_facts f = {"VN-EXP-0101", "08109092", -1};
	char why[160];
	int count[BF_LANE_COUNT] = {0};
	bf_risk_profile_default(&p, "VN");
	assert_int_equal(bf_risk_profile_validate(&p, NULL), 0);
	/* The two draws on independent grids: GRID x GRID loads. */
	for (int i = 0; i < GRID; i++)
		for (int j = 0; j < GRID; j++)
			count[bf_risk_route(&p, &f, (i + 0.5) / GRID, (j + 0.5) / GRID, why, sizeof(why))]++;
	double n = (double)GRID * GRID;
	/* Red: the share, plus the random minimum of those not red already. */
	double red = p.share[BF_LANE_RED] + p.min_random_red * (1 - p.share[BF_LANE_RED]);
	assert_true(fabs(count[BF_LANE_RED] / n - red) < 1e-3);
	assert_true(fabs(count[BF_LANE_YELLOW] / n - p.share[BF_LANE_YELLOW] * (1 - p.min_random_red)) < 1e-3);
	assert_true(fabs(count[BF_LANE_GREEN] / n - p.share[BF_LANE_GREEN] * (1 - p.min_random_red)) < 1e-3);
}

static void test_rules(void **state)
{
	(void)state;
	struct bf_risk_profile p;
	char why[160];
	bf_risk_profile_default(&p, "CN");
	p.share[BF_LANE_GREEN] = 1;
	p.share[BF_LANE_YELLOW] = p.share[BF_LANE_RED] = 0;
	p.min_random_red = 0.1;
	p.n_rules = 3;
	p.rules[0] = (struct bf_risk_rule){.hs_code = "0810", .lane = BF_LANE_YELLOW, .reason = "fresh fruit"};
	p.rules[1] = (struct bf_risk_rule){.exporter_id = "VN-EXP-0103", .lane = BF_LANE_RED, .reason = "watch list"};
	p.rules[2] = (struct bf_risk_rule){.refused_within_days = 30, .lane = BF_LANE_RED, .reason = "refused"};
	assert_int_equal(bf_risk_profile_validate(&p, NULL), 0);
	struct bf_risk_facts fruit = {"VN-EXP-0101", "08109092", -1}, rice = {"VN-EXP-0105", "10063030", -1},
	                     watched = {"VN-EXP-0103", "08109020", -1}, refused = {"VN-EXP-0105", "10063030", 12},
	                     long_ago = {"VN-EXP-0105", "10063030", 45};
	assert_int_equal(bf_risk_route(&p, &fruit, 0.5, 0.5, why, sizeof(why)), BF_LANE_YELLOW);
	assert_string_equal(why, "rule 0: fresh fruit");
	assert_int_equal(bf_risk_route(&p, &rice, 0.5, 0.5, why, sizeof(why)), BF_LANE_GREEN);
	/* Two rules match: the strictest wins. */
	assert_int_equal(bf_risk_route(&p, &watched, 0.5, 0.5, why, sizeof(why)), BF_LANE_RED);
	assert_string_equal(why, "rule 1: watch list");
	assert_int_equal(bf_risk_route(&p, &refused, 0.5, 0.5, why, sizeof(why)), BF_LANE_RED);
	assert_int_equal(bf_risk_route(&p, &long_ago, 0.5, 0.5, why, sizeof(why)), BF_LANE_GREEN);
	/* The random minimum reaches a load a rule sent to yellow. */
	assert_int_equal(bf_risk_route(&p, &fruit, 0.05, 0.5, why, sizeof(why)), BF_LANE_RED);
	assert_string_equal(why, "random physical inspection");
}

static void test_refusals(void **state)
{
	(void)state;
	struct bf_risk_profile p;
	struct bf_error err;
	bf_risk_profile_default(&p, "VN");
	p.share[BF_LANE_RED] = 0.2;
	assert_int_equal(bf_risk_profile_validate(&p, &err), BF_EINVAL);
	assert_string_equal(err.field, "shares");
	bf_risk_profile_default(&p, "VN");
	p.minutes[BF_LANE_YELLOW] = 5;
	assert_int_equal(bf_risk_profile_validate(&p, &err), BF_EINVAL);
	assert_string_equal(err.field, "minutes.yellow");
	bf_risk_profile_default(&p, "VN");
	p.min_random_red = -0.1;
	assert_int_equal(bf_risk_profile_validate(&p, &err), BF_EINVAL);
	assert_string_equal(err.field, "min_random_red");
	bf_risk_profile_default(&p, "VN");
	p.n_rules = 1;
	p.rules[0].lane = BF_LANE_RED;
	assert_int_equal(bf_risk_profile_validate(&p, &err), BF_EINVAL);
	assert_string_equal(err.field, "rules[0]");
	enum bf_lane l;
	assert_int_equal(bf_lane_parse("blue", &l), BF_EINVAL);
	assert_int_equal(bf_lane_parse("yellow", &l), 0);
	assert_int_equal(l, BF_LANE_YELLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shares),
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
