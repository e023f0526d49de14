/* Gate pairs built by hand for the tests. */
#include "util/gatefix.h"

#include "util/testutil.h"

#include "model/error.h"

#include <stdio.h>
#include <string.h>

/* Fills side S: its COUNTRY, SUBDIVISION, PROVINCE, the GATE there, and
 * its zone TZ, OFFSET minutes east of UTC. */
static void side(struct bf_gate_side *s, const char *country, const char *subdivision, const char *province,
                 const char *gate, const char *tz, int offset)
{
	strcpy(s->country, country);
	strcpy(s->subdivision, subdivision);
	strcpy(s->province, province);
	strcpy(s->gate, gate);
	strcpy(s->tz, tz);
	s->utc_offset_min = offset;
}

void gatefix_pair(struct bf_gate_pair *g, const char *id, struct bf_lane_group a_to_b, struct bf_lane_group b_to_a)
{
	memset(g, 0, sizeof(*g));
	strcpy(g->id, id);
	strcpy(g->name_vi, "Hữu Nghị");
	strcpy(g->name_zh, "友谊关");
	strcpy(g->name_en, "Friendship Pass");
	g->mode = BF_MODE_ROAD;
	g->klass = BF_GATE_INTERNATIONAL;
	g->lat = 21.97;
	g->lon = 106.71;
	g->designated = (1u << BF_CC_FRUIT) | (1u << BF_CC_VEGETABLE);
	g->lanes[BF_DIR_A_TO_B] = a_to_b;
	g->lanes[BF_DIR_B_TO_A] = b_to_a;
	side(&g->side[0], "VN", "VN-09", "Lạng Sơn", "Hữu Nghị", "Asia/Ho_Chi_Minh", 420);
	side(&g->side[1], "CN", "CN-GX", "广西", "友谊关", "Asia/Shanghai", 480);
}

void gatefix_add_hours(struct bf_day_hours *d, int open, int close)
{
	struct bf_error err = {0};
	int rc = bf_day_hours_add(d, open, close, &err);
	if (rc != 0)
		fail_msg("bf_day_hours_add(%d, %d): %d %s", open, close, rc, err.message);
}

void gatefix_every_day(struct bf_gate_side *s, int open, int close)
{
	for (int wd = 0; wd < 7; wd++)
		gatefix_add_hours(&s->week[wd], open, close);
}

void gatefix_standard_hours(struct bf_gate_pair *g)
{
	gatefix_every_day(&g->side[0], 7 * 60, 19 * 60);
	gatefix_every_day(&g->side[1], 8 * 60, 20 * 60);
}

void gatefix_add_exception(struct bf_gate_side *s, bf_time start, bf_time end, bool open)
{
	struct bf_exception e = {0};
	e.start = start;
	e.end = end;
	e.open = open;
	snprintf(e.note, sizeof(e.note), "%s", open ? "extension" : "closure");
	bf_gate_side_add_exception(s, &e);
}
