/* bench.h: what the database benchmarks share: the clock they time with
 * and how they stop on a store error. */
#ifndef ACCESSDESK_BENCH_H
#define ACCESSDESK_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The options of a benchmark of the database: -d CONNINFO (else libpq's
 * environment) and -n REPETITIONS (at least 1; *reps keeps its default
 * when not given); anything else prints usage and exits 2. */
static inline void bench_options(int argc, char **argv, const char *usage,
                                 const char **conninfo, int *reps)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			*conninfo = argv[++i];
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			*reps = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s\n", usage);
			exit(2);
		}
	}
	if (*reps < 1)
		*reps = 1;
}

/* Connected, or "NAME: connect: ..." and exit 1. */
#define bench_connect(conninfo) bench_connect_(BENCH, (conninfo))
static inline struct store *bench_connect_(const char *name,
                                           const char *conninfo)
{
	struct store_error err = {0};
	struct store *s = store_connect(conninfo, NULL, &err);
	if (!s)
		bench_die(name, "connect", &err);
	return s;
}

/* A benchmark's set-up: the statements in one transaction, committed,
 * then VACUUM ANALYZE (as production runs); any failure stops it. */
#define bench_setup(s, sql, n) bench_setup_(BENCH, (s), (sql), (n))
static inline void bench_setup_(const char *name, struct store *s,
                                const char *const *sql, size_t n)
{
	struct store_error err = {0};
	double t0 = now_ms();
	if (!store_begin(s, &err))
		bench_die(name, "begin", &err);
	for (size_t i = 0; i < n; i++)
		if (!store_command(s, "set-up", sql[i], 0, NULL, NULL, &err)) {
			store_rollback(s);
			bench_die(name, "set up", &err);
		}
	if (!store_commit(s, &err) ||
	    !store_command(s, "set-up", "VACUUM ANALYZE", 0, NULL, NULL, &err))
		bench_die(name, "set up", &err);
	printf("set up in %.0f ms\n", now_ms() - t0);
}

#endif
