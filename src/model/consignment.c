/* Shape checks of consignment records. */
#include "model/consignment.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int bf_consignment_validate_shape(const struct bf_consignment *c, struct bf_error *err)
{
	if (!bf_registry_code_valid(c->exporter_id))
		return bf_error_set(err, BF_EINVAL, "exporter", "must be a registration code");
	if (!bf_hs_code_valid(c->hs_code))
		return bf_error_set(err, BF_EINVAL, "commodity", "must be an HS code of 6 to 10 digits");
	if (!isfinite(c->net_weight_kg) || c->net_weight_kg <= 0)
		return bf_error_set(err, BF_EINVAL, "net_weight_kg", "must be more than 0");
	if (c->packages < 1)
		return bf_error_set(err, BF_EINVAL, "packages", "must be at least 1");
	for (int i = 0; i < c->n_planting_areas; i++) {
		if (!bf_registry_code_valid(c->planting_areas[i])) {
			char field[40];
			snprintf(field, sizeof(field), "planting_areas[%d]", i);
			return bf_error_set(err, BF_EINVAL, field, "must be a registration code");
		}
	}
	if (c->vehicle[0] == '\0')
		return bf_error_set(err, BF_EINVAL, "vehicle", "must name the truck's plate or the wagon's number");
	if (!bf_country_code_valid(c->destination))
		return bf_error_set(err, BF_EINVAL, "destination", "must be an ISO 3166-1 alpha-2 code");
	return BF_OK;
}
