/* bench.h: what the database benchmarks share: the clock they time with
 * and how they stop on a store error. */
#ifndef ACCESSDESK_BENCH_H
#define ACCESSDESK_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "accessdesk/store.h"

/* Milliseconds of the monotonic clock. */
static inline double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* "NAME: what: message" on standard error, exit 1. */
#define die(what, err) bench_die(BENCH, (what), (err))
static inline void bench_die(const char *name, const char *what,
                             const struct store_error *err)
{
	fprintf(stderr, "%s: %s: %s\n", name, what, err->message);
	exit(1);
}

#endif
