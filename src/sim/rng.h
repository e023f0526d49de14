/* Random streams for the simulator: xoshiro256** (Blackman and Vigna),
 * seeded through splitmix64 from a seed, a replication and a purpose, so
 * that every replication and every use in it has its own stream and a
 * policy compared with another sees the same arrivals (common random
 * numbers). */
#ifndef BF_SIM_RNG_H
#define BF_SIM_RNG_H

#include <stdint.h>

struct bf_rng {
	uint64_t s[4];
};

/* The stream for (SEED, REPLICATION, PURPOSE). */
void bf_rng_seed(struct bf_rng *r, uint64_t seed, uint64_t replication, uint64_t purpose);
uint64_t bf_rng_next(struct bf_rng *r);
/* Uniform on (0, 1): never 0, so that logarithms are finite. */
double bf_rng_uniform(struct bf_rng *r);
/* Exponential with mean MEAN. */
double bf_rng_exponential(struct bf_rng *r, double mean);

#endif
