/* bench_user_search.c: the Users list's name search shapes against a
 * database (not run by the tests): "Last, First" and "First Last" beside
 * the one-word search, each a page of the list (18 rows, as at 80x24) and
 * its count, best of 5, as OPERATOR (default "admin").
 *
 *   PGDATABASE=... bench_user_search [OPERATOR [LAST FIRST]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "accessdesk/store.h"
#define BENCH "bench_user_search"
#include "bench.h"

int main(int argc, char **argv)
{
	const char *op_login = argc > 1 ? argv[1] : "admin";
	const char *last = argc > 3 ? argv[2] : "Smith";
	const char *first = argc > 3 ? argv[3] : "Olivia";
	struct store_error err = {0};
	struct store_ids ids;
	struct store_reach reach;
	struct store *s = store_connect(NULL, NULL, &err);
	if (!s)
		die("connect", &err);
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, &err);
	const char *who[] = {op_login};
	if (!w || !store_load_users(s, w, &ids, who, 1, &err))
		die("load", &err);
	int op = engine_user_find(w, op_login);
	if (op < 0 ||
	    !store_reach_of(w, &ids, op, ENGINE_ACT(ACT_USERS_VIEW), &reach))
		die("operator", &err);
	char comma[256], space[256];
	snprintf(comma, sizeof comma, "%s, %s", last, first);
	snprintf(space, sizeof space, "%s %s", first, last);
	const char *searches[] = {last, comma, space, "Alloway, Kenneth",
	                          "Kenneth Alloway"};
	struct store_user_row rows[18];
	for (size_t i = 0; i < sizeof searches / sizeof *searches; i++) {
		struct store_user_query q = {USER_SORT_NAME, false,
		                             USER_SEARCH_NAME, searches[i]};
		double page = 1e9, count = 1e9;
		int got = 0;
		long n = 0;
		for (int k = 0; k < 5; k++) {
			double t0 = now_ms();
			if (!store_users_page(s, w, &ids, op, &reach, &q, NULL,
			                      18, rows, &got, &err))
				die("page", &err);
			double t1 = now_ms();
			n = store_users_count(s, &reach, op_login, &q, &err);
			if (n < 0)
				die("count", &err);
			double t2 = now_ms();
			page = t1 - t0 < page ? t1 - t0 : page;
			count = t2 - t1 < count ? t2 - t1 : count;
		}
		printf("search name %-20s first page %7.2f ms (%2d rows), "
		       "count %7.2f ms (%ld)\n",
		       searches[i], page, got, count, n);
	}
	store_reach_free(&reach);
	engine_world_free(w);
	store_ids_free(&ids);
	store_disconnect(s);
	return 0;
}
