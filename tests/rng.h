/* rng.h: the random numbers of the tests on random worlds (splitmix64,
 * our own so that a seed means the same world everywhere), and the small
 * array helpers they share. Included by test_differential.c and
 * test_what_if.c. */
#ifndef ACCESSDESK_TESTS_RNG_H
#define ACCESSDESK_TESTS_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static inline int rng_below(struct rng *r, int n)
{
	return n <= 0 ? 0 : (int)(rng_next(r) % (uint64_t)n);
}

static inline int rng_range(struct rng *r, int lo,
                            int hi) /* lo..hi inclusive */
{
	return lo + rng_below(r, hi - lo + 1);
}

static inline bool rng_pct(struct rng *r, int percent)
{
	return rng_below(r, 100) < percent;
}

static inline void shuffle(struct rng *r, int *a, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rng_below(r, i + 1);
		int t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static inline bool contains(const int *a, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (a[i] == x)
			return true;
	return false;
}

#endif
