/* Service and travel times drawn from one uniform each, by inversion, so
 * that a load's times under two policies come from the same number. */
#ifndef BF_SIM_DIST_H
#define BF_SIM_DIST_H

#include "sim/scenario.h"

/* The quantile of the standard normal distribution at P in (0, 1);
 * relative error below 1.2e-9 (Acklam's rational approximation refined
 * by one Halley step). */
double bf_dist_normal_quantile(double p);

/* A value of D at the quantile U in (0, 1); never negative. */
double bf_dist_sample(const struct bf_dist *d, double u);

#endif
