/* Control lanes: each side routes a consignment to the green lane
 * (documents only), the yellow lane (a document check) or the red lane
 * (a physical inspection), by the risk profile its authority configures:
 * rules on the exporter, the commodity and the exporter's history that
 * send a load to a lane at least that strict, an expected share of each
 * lane for the loads no rule names, and a minimum share of red drawn at
 * random from every load, so that no exporter can count on green. The
 * lane sets the time the side expects to take, which the queue's
 * estimates use. */
#ifndef BF_MODEL_RISK_H
#define BF_MODEL_RISK_H

#include "model/error.h"
#include "model/registry.h"
#include "model/time.h"

#include <stdbool.h>

enum bf_lane { BF_LANE_GREEN, BF_LANE_YELLOW, BF_LANE_RED, BF_LANE_COUNT };

const char *bf_lane_name(enum bf_lane l);
int bf_lane_parse(const char *s, enum bf_lane *out);

#define BF_RISK_MAX_RULES 64

/* A rule matches when every condition it sets holds. */
struct bf_risk_rule {
	char exporter_id[BF_CODE_MAX + 1]; /* "" for any */
	char hs_code[BF_HS_MAX + 1];       /* "" for any; a prefix matches (0810 for all of 0810xxxx) */
	int refused_within_days;           /* 0 for any; else the exporter had a load refused that recently */
	enum bf_lane lane;
	char reason[120]; /* what the officer reads */
};

struct bf_risk_profile {
	char country[3];
	double share[BF_LANE_COUNT];   /* expected shares of the loads no rule names; sum to 1 */
	double min_random_red;         /* share of every load sent to red at random, 0..1 */
	double minutes[BF_LANE_COUNT]; /* expected clearance time of a vehicle in each lane */
	int n_rules;
	struct bf_risk_rule rules[BF_RISK_MAX_RULES];
};

/* What a rule can see of a consignment. */
struct bf_risk_facts {
	const char *exporter_id;
	const char *hs_code;
	int days_since_refusal; /* -1 when the exporter never had a load refused */
};

/* The defaults of a side that has configured nothing: shares 80/15/5,
 * 2% red at random, 8, 25 and 90 minutes (Vietnam's customs lanes take
 * 5-10, 20-30 and 60-120 minutes). */
void bf_risk_profile_default(struct bf_risk_profile *p, const char *country);
/* Shares in 0..1 summing to 1 (within 1e-6), minutes positive and not
 * decreasing from green to red, rules well formed. */
int bf_risk_profile_validate(const struct bf_risk_profile *p, struct bf_error *err);

/* Routes FACTS: the strictest lane of the rules that match, raised to red
 * when U_RED < min_random_red, and for a load no rule names the lane the
 * shares give at U_SHARE. U_RED and U_SHARE are uniform on [0, 1). REASON
 * (CAP bytes) says why. */
enum bf_lane bf_risk_route(const struct bf_risk_profile *p, const struct bf_risk_facts *facts, double u_red,
                           double u_share, char *reason, size_t cap);

/* A side's control lane for a consignment. */
struct bf_control {
	char side[8]; /* export, import */
	char country[3];
	char lane[8]; /* green, yellow, red */
	double minutes;
	char reason[160];
	bf_time at;
};

#endif
