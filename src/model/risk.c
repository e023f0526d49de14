/* Control lanes and risk profiles. */
#include "model/risk.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const lane_names[BF_LANE_COUNT] = {"green", "yellow", "red"};

const char *bf_lane_name(enum bf_lane l)
{
	return (int)l >= 0 && l < BF_LANE_COUNT ? lane_names[l] : "?";
}

int bf_lane_parse(const char *s, enum bf_lane *out)
{
	for (int i = 0; s != NULL && i < BF_LANE_COUNT; i++)
		if (strcmp(s, lane_names[i]) == 0) {
			*out = (enum bf_lane)i;
			return BF_OK;
		}
	return BF_EINVAL;
}

void bf_risk_profile_default(struct bf_risk_profile *p, const char *country)
{
	memset(p, 0, sizeof(*p));
	bf_strlcpy(p->country, country, sizeof(p->country));
	p->share[BF_LANE_GREEN] = 0.80;
	p->share[BF_LANE_YELLOW] = 0.15;
	p->share[BF_LANE_RED] = 0.05;
	p->min_random_red = 0.02;
	p->minutes[BF_LANE_GREEN] = 8;
	p->minutes[BF_LANE_YELLOW] = 25;
	p->minutes[BF_LANE_RED] = 90;
}

int bf_risk_profile_validate(const struct bf_risk_profile *p, struct bf_error *err)
{
	double sum = 0;
	for (int l = 0; l < BF_LANE_COUNT; l++) {
		char field[32];
		snprintf(field, sizeof(field), "shares.%s", lane_names[l]);
		if (!(p->share[l] >= 0 && p->share[l] <= 1))
			return bf_error_set(err, BF_EINVAL, field, "must be a share from 0 to 1");
		sum += p->share[l];
		snprintf(field, sizeof(field), "minutes.%s", lane_names[l]);
		if (!(p->minutes[l] > 0 && p->minutes[l] <= 24 * 60))
			return bf_error_set(err, BF_EINVAL, field, "must be minutes above 0, at most a day");
		if (l > 0 && p->minutes[l] < p->minutes[l - 1])
			return bf_error_set(err, BF_EINVAL, field, "a stricter lane cannot take less time than %s",
			                    lane_names[l - 1]);
	}
	if (fabs(sum - 1) > 1e-6)
		return bf_error_set(err, BF_EINVAL, "shares", "the shares must add up to 1, not %g", sum);
	if (!(p->min_random_red >= 0 && p->min_random_red <= 1))
		return bf_error_set(err, BF_EINVAL, "min_random_red", "must be a share from 0 to 1");
	if (p->n_rules < 0 || p->n_rules > BF_RISK_MAX_RULES)
		return bf_error_set(err, BF_EINVAL, "rules", "at most %d rules", BF_RISK_MAX_RULES);
	for (int i = 0; i < p->n_rules; i++) {
		const struct bf_risk_rule *r = &p->rules[i];
		char field[48];
		snprintf(field, sizeof(field), "rules[%d]", i);
		if (!r->exporter_id[0] && !r->hs_code[0] && r->refused_within_days == 0)
			return bf_error_set(err, BF_EINVAL, field,
			                    "a rule names an exporter, a commodity or a refusal history (or several)");
		if (r->refused_within_days < 0 || r->refused_within_days > 3650)
			return bf_error_set(err, BF_EINVAL, field, "refused_within_days must be from 1 to 3650");
		if ((int)r->lane < 0 || r->lane >= BF_LANE_COUNT)
			return bf_error_set(err, BF_EINVAL, field, "lane must be green, yellow or red");
	}
	return BF_OK;
}

static bool matches(const struct bf_risk_rule *r, const struct bf_risk_facts *f)
{
	if (r->exporter_id[0] && (f->exporter_id == NULL || strcmp(r->exporter_id, f->exporter_id) != 0))
		return false;
	if (r->hs_code[0] && (f->hs_code == NULL || strncmp(r->hs_code, f->hs_code, strlen(r->hs_code)) != 0))
		return false;
	if (r->refused_within_days > 0 && (f->days_since_refusal < 0 || f->days_since_refusal > r->refused_within_days))
		return false;
	return true;
}

enum bf_lane bf_risk_route(const struct bf_risk_profile *p, const struct bf_risk_facts *facts, double u_red,
                           double u_share, char *reason, size_t cap)
{
	enum bf_lane lane = BF_LANE_GREEN;
	int rule = -1;
	for (int i = 0; i < p->n_rules; i++)
		if (matches(&p->rules[i], facts) && (rule < 0 || p->rules[i].lane > lane)) {
			lane = p->rules[i].lane;
			rule = i;
		}
	if (rule >= 0) {
		snprintf(reason, cap, "rule %d: %s", rule,
		         p->rules[rule].reason[0] ? p->rules[rule].reason : "matched");
	} else {
		/* The shares, drawn so that the expected share of red, random
		 * draws included, is the profile's. */
		if (u_share < p->share[BF_LANE_RED])
			lane = BF_LANE_RED;
		else if (u_share < p->share[BF_LANE_RED] + p->share[BF_LANE_YELLOW])
			lane = BF_LANE_YELLOW;
		snprintf(reason, cap, "profile shares");
	}
	if (lane != BF_LANE_RED && u_red < p->min_random_red) {
		lane = BF_LANE_RED;
		snprintf(reason, cap, "random physical inspection");
	}
	return lane;
}
