/* What GET /metrics reports from a node's database, so that the figures
 * hold across restarts and for every process on one database; read by
 * the store, released with the service's bf_service_metrics_clear(). */
#ifndef BF_MODEL_METRICS_H
#define BF_MODEL_METRICS_H

#include "model/event.h"
#include "model/gate.h"

#include <stddef.h>

struct bf_gate_count {
	char gate_id[BF_GATE_ID_MAX + 1];
	long waiting; /* vehicles checked in at the yard, not yet called */
};
struct bf_kind_count {
	char kind[BF_EVENT_KIND_MAX + 1];
	long events;
};
struct bf_store_metrics {
	struct bf_gate_count *gates; /* every gate pair, by id */
	size_t n_gates;
	struct bf_kind_count *kinds; /* events appended, by kind */
	size_t n_kinds;
	/* Steps taken outside the rule of time with a stated reason, by the
	 * kind of the step's event (plan/window.h). */
	struct bf_kind_count *overrides;
	size_t n_overrides;
	long simulations[4]; /* queued, running, done, failed */
};

#endif
