/* JSON views of a gate pair and its crossing windows (codec/gate.c).
 * Each returns a new reference the caller must json_decref(). */
#ifndef BF_CODEC_GATE_H
#define BF_CODEC_GATE_H

#include "model/gate.h"

#include <jansson.h>
#include <stdbool.h>

/* A pair's identity, names, mode, class, location, designations, lanes and
 * sides; with DETAIL also each side's weekly hours and exceptions. */
json_t *bf_gate_json(const struct bf_gate_pair *g, bool detail);
/* The crossing windows of G within [FROM, TO), each in UTC and in both
 * sides' local times, with its length in minutes. */
json_t *bf_gate_windows_json(const struct bf_gate_pair *g, bf_time from, bf_time to);

#endif
