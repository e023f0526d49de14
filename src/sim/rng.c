/* xoshiro256** and splitmix64, written from their published definitions. */
#include "sim/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void bf_rng_seed(struct bf_rng *r, uint64_t seed, uint64_t replication, uint64_t purpose)
{
	uint64_t x = seed ^ (replication * 0xd1b54a32d192ed03ULL) ^ (purpose * 0x8cb92ba72f3d8dd7ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t bf_rng_next(struct bf_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double bf_rng_uniform(struct bf_rng *r)
{
	/* 53 random bits, shifted off zero by half a step. */
	return ((double)(bf_rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

double bf_rng_exponential(struct bf_rng *r, double mean)
{
	return -mean * log(bf_rng_uniform(r));
}
