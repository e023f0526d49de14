/* Gate pairs built by hand for the model, plan and store tests. */
#ifndef BF_TESTS_GATEFIX_H
#define BF_TESTS_GATEFIX_H

#include "model/gate.h"
#include "model/time.h"

#include <stdbool.h>

/* A valid road pair named ID with no hours, the Hữu Nghị – 友谊关
 * crossing ("Friendship Pass", an international gate for fruit and
 * vegetables): side A Vietnam (VN-09, Lạng Sơn, Asia/Ho_Chi_Minh,
 * +07:00), side B China (CN-GX, 广西, Asia/Shanghai, +08:00); A_TO_B and
 * B_TO_A are its lanes each way. */
void gatefix_pair(struct bf_gate_pair *g, const char *id, struct bf_lane_group a_to_b, struct bf_lane_group b_to_a);
/* Adds OPEN..CLOSE (minutes after local midnight) to D; fails the test if
 * it is refused. */
void gatefix_add_hours(struct bf_day_hours *d, int open, int close);
/* OPEN..CLOSE on every day of the week of S. */
void gatefix_every_day(struct bf_gate_side *s, int open, int close);
/* The standard hours of G: VN 07:00-19:00 (+07:00) on side A and CN
 * 08:00-20:00 (+08:00) on side B every day, both 00:00-12:00Z. */
void gatefix_standard_hours(struct bf_gate_pair *g);
/* A dated exception START..END on S: an extension ("extension") when OPEN,
 * else a closure ("closure"). */
void gatefix_add_exception(struct bf_gate_side *s, bf_time start, bf_time end, bool open);

#endif
