/* bench_count.c: the Users list's count in two steps (user_count.c)
 * against a database (not run by the tests). Acts as OPERATOR (default
 * "admin"); prints the start of a console's session as the console makes
 * it, up to its first page with the count's estimate (what the first
 * Users screen waits for), then, p50 of 5 for each query (no search, name
 * "smi", organisation "a81"): the estimate and the count sent (what a key
 * waits for), and the exact count's answer after it (what nothing waits
 * for), beside the blocking store_users_count.
 *
 *   PGDATABASE=... bench_count [OPERATOR]
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "accessdesk/store.h"
#define BENCH "bench_count"
#include "bench.h"

#define REPS 5

static long answer;

static void told(void *owner, long n)
{
	(void)owner;
	answer = n;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double p50(double *v)
{
	qsort(v, REPS, sizeof *v, by_value);
	return v[REPS / 2];
}

int main(int argc, char **argv)
{
	const char *login = argc > 1 ? argv[1] : "admin";
	struct store_error err = {0};
	/* the session's start, in the console's order (session_open, then
	 * the Users tab's first page and its count) */
	double t0 = now_ms();
	struct store *s = store_connect(NULL, NULL, &err);
	if (!s)
		die("connect", &err);
	struct store_ids ids;
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, &err);
	const char *who[] = {login};
	if (!w || !store_load_users(s, w, &ids, who, 1, &err))
		die("load", &err);
	int op = engine_user_find(w, login);
	struct store_reach reach;
	if (op < 0 ||
	    !store_reach_of(w, &ids, op, ENGINE_ACT(ACT_USERS_VIEW), &reach)) {
		fprintf(stderr, BENCH ": no user %s\n", login);
		return 1;
	}
	double t_world = now_ms();
	struct store_count *c = store_count_open(s, &err);
	if (!c)
		die("count connection", &err);
	double t_conn = now_ms();
	struct store_user_row rows[18];
	int got;
	struct store_user_query q = {0};
	if (!store_users_page(s, w, &ids, op, &reach, &q, NULL, 18, rows, &got,
	                      &err))
		die("page", &err);
	double t_page = now_ms();
	long est = store_users_count_start(s, c, &reach, login, &q, &answer,
	                                   told, &err);
	double t_est = now_ms();
	printf("start: connect and world %.1f ms, counts' connection %.1f ms, "
	       "first page %.1f ms, estimate %.1f ms: first screen's data at "
	       "%.1f ms\n",
	       t_world - t0, t_conn - t_world, t_page - t_conn, t_est - t_page,
	       t_est - t0);
	while (store_count_owed(c)) {
		struct pollfd p = {store_count_socket(c), POLLIN, 0};
		poll(&p, 1, -1);
		store_count_take(c, &err);
	}
	printf("       the exact count (%ld, estimated %ld) at %.1f ms\n",
	       answer, est, now_ms() - t0);

	static const struct {
		const char *name;
		struct store_user_query q;
	} queries[] = {
	    {"no search", {0}},
	    {"name 'smi'", {.search_by = USER_SEARCH_NAME, .search = "smi"}},
	    {"org 'a81'", {.search_by = USER_SEARCH_ORG, .search = "a81"}},
	};
	for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
		double start[REPS], exact[REPS], blocking[REPS];
		for (int r = 0; r < REPS; r++) {
			double a = now_ms();
			est = store_users_count_start(s, c, &reach, login,
			                              &queries[i].q, &answer,
			                              told, &err);
			if (est < 0)
				die("count", &err);
			start[r] = now_ms() - a;
			while (store_count_owed(c)) {
				struct pollfd p = {store_count_socket(c),
				                   POLLIN, 0};
				poll(&p, 1, -1);
				if (store_count_take(c, &err) < 0)
					die("count", &err);
			}
			exact[r] = now_ms() - a;
			a = now_ms();
			store_users_count(s, &reach, login, &queries[i].q,
			                  &err);
			blocking[r] = now_ms() - a;
		}
		printf("%-11s about %8ld (exact %8ld): estimate and send "
		       "%6.2f ms, exact in %7.2f ms (blocking count %7.2f "
		       "ms)\n",
		       queries[i].name, est, answer, p50(start), p50(exact),
		       p50(blocking));
	}
	store_count_close(c);
	store_reach_free(&reach);
	engine_world_free(w);
	store_ids_free(&ids);
	store_disconnect(s);
	return 0;
}
