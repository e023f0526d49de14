/* Handlers of the API's routes, by the file that holds them; the route
 * table in routes.c names them. */
#ifndef BF_API_HANDLERS_H
#define BF_API_HANDLERS_H

#include "api/call.h"

/* gates_api.c */
extern const char *const bf_gates_query[];
extern const char *const bf_gate_query[];
extern const char *const bf_gates_commodities_query[];
void bf_h_health(struct bf_call *c, struct bf_reply *r);
void bf_h_gates(struct bf_call *c, struct bf_reply *r);
void bf_h_gate(struct bf_call *c, struct bf_reply *r);
void bf_h_commodities(struct bf_call *c, struct bf_reply *r);
void bf_h_whoami(struct bf_call *c, struct bf_reply *r);
void bf_h_openapi(struct bf_call *c, struct bf_reply *r);

/* metrics.c */
void bf_h_metrics(struct bf_call *c, struct bf_reply *r);

/* consignments.c */
extern const char *const bf_consignments_query[];
void bf_h_declare(struct bf_call *c, struct bf_reply *r);
void bf_h_consignment(struct bf_call *c, struct bf_reply *r);
void bf_h_consignments(struct bf_call *c, struct bf_reply *r);

/* registry_api.c */
extern const char *const bf_registry_query[];
void bf_h_exporters(struct bf_call *c, struct bf_reply *r);
void bf_h_exporter(struct bf_call *c, struct bf_reply *r);
void bf_h_exporter_create(struct bf_call *c, struct bf_reply *r);
void bf_h_exporter_patch(struct bf_call *c, struct bf_reply *r);
void bf_h_planting_areas(struct bf_call *c, struct bf_reply *r);
void bf_h_planting_area(struct bf_call *c, struct bf_reply *r);
void bf_h_planting_area_create(struct bf_call *c, struct bf_reply *r);
void bf_h_planting_area_patch(struct bf_call *c, struct bf_reply *r);
void bf_h_packing_houses(struct bf_call *c, struct bf_reply *r);
void bf_h_packing_house(struct bf_call *c, struct bf_reply *r);
void bf_h_packing_house_create(struct bf_call *c, struct bf_reply *r);
void bf_h_packing_house_patch(struct bf_call *c, struct bf_reply *r);
void bf_h_facilities(struct bf_call *c, struct bf_reply *r);
void bf_h_facility(struct bf_call *c, struct bf_reply *r);
void bf_h_facility_create(struct bf_call *c, struct bf_reply *r);
void bf_h_facility_patch(struct bf_call *c, struct bf_reply *r);

/* slots_api.c */
extern const char *const bf_slots_query[];
void bf_h_book(struct bf_call *c, struct bf_reply *r);
void bf_h_unbook(struct bf_call *c, struct bf_reply *r);
void bf_h_check_in(struct bf_call *c, struct bf_reply *r);
void bf_h_consignment_events(struct bf_call *c, struct bf_reply *r);
void bf_h_slots(struct bf_call *c, struct bf_reply *r);
void bf_h_queue(struct bf_call *c, struct bf_reply *r);
void bf_h_call(struct bf_call *c, struct bf_reply *r);
void bf_h_change(struct bf_call *c, struct bf_reply *r);

/* decisions_api.c */
void bf_h_decide(struct bf_call *c, struct bf_reply *r);
void bf_h_risk_profile(struct bf_call *c, struct bf_reply *r);
void bf_h_risk_profile_put(struct bf_call *c, struct bf_reply *r);

/* notices_api.c */
extern const char *const bf_notices_query[];
void bf_h_notice_post(struct bf_call *c, struct bf_reply *r);
void bf_h_notices(struct bf_call *c, struct bf_reply *r);
void bf_h_notice(struct bf_call *c, struct bf_reply *r);
void bf_h_notice_acknowledge(struct bf_call *c, struct bf_reply *r);
void bf_h_notice_suspend(struct bf_call *c, struct bf_reply *r);

/* sim_api.c */
void bf_h_simulate(struct bf_call *c, struct bf_reply *r);
void bf_h_simulation(struct bf_call *c, struct bf_reply *r);
void bf_h_scenarios(struct bf_call *c, struct bf_reply *r);

/* feed_api.c */
extern const char *const bf_feed_events_query[];
void bf_h_events(struct bf_call *c, struct bf_reply *r);
void bf_h_sync(struct bf_call *c, struct bf_reply *r);
void bf_h_disputes(struct bf_call *c, struct bf_reply *r);

/* web.c: the dashboard at / and its files under /assets/ */
void bf_h_web_index(struct bf_call *c, struct bf_reply *r);
void bf_h_web_asset(struct bf_call *c, struct bf_reply *r);

#endif
