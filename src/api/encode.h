/* JSON views of the model, shared by the HTTP API and the command line's
 * --json output, so that both speak the same shapes. Every function
 * returns a new reference the caller must json_decref(). */
#ifndef BF_API_ENCODE_H
#define BF_API_ENCODE_H

#include "model/commodity.h"
#include "model/gate.h"

#include <jansson.h>
#include <stdbool.h>

/* How every JSON answer is written: UTF-8 as it is, and reals with 12
 * significant digits, so that 106.7108 does not come out as
 * 106.71080000000001. */
#define BF_JSON_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(12))

/* A pair's identity, names, mode, class, location, designations, lanes and
 * sides; with DETAIL also each side's weekly hours and exceptions. */
json_t *bf_json_gate(const struct bf_gate_pair *g, bool detail);
/* The crossing windows of G within [FROM, TO), each in UTC and in both
 * sides' local times, with its length in minutes. */
json_t *bf_json_windows(const struct bf_gate_pair *g, bf_time from, bf_time to);
json_t *bf_json_commodity(const struct bf_commodity *c);
/* {"error": {"code", "message", "field"}}; FIELD "" becomes null. */
json_t *bf_json_error(const char *code, const char *field, const char *message);

#endif
