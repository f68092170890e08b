/* bench_store.c: the Users list and the report against a database (not run
 * by the tests). Connects through libpq's environment, acts as OPERATOR
 * (default "admin"), and times, best of 5: the first page, the next page,
 * a search, every sort both ways, the count; then writes the report as a
 * file gets it (COPY, to /dev/null, best of 3) and prints rows per second.
 *
 *   PGDATABASE=... bench_store [OPERATOR [PAGE]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessdesk/store.h"
#define BENCH "bench_store"
#include "bench.h"

struct ctx {
	struct store *s;
	struct engine_world *w;
	struct store_ids ids;
	int op;
	struct store_reach reach;
	int page;
	struct store_user_row *rows;
};

/* Best of 5 of one page (after `after`, or the first). */
static double page_ms(struct ctx *c, const struct store_user_query *q,
                      const struct store_user_row *after, int *got)
{
	double best = 1e9;
	for (int i = 0; i < 5; i++) {
		struct store_error err = {0};
		double t0 = now_ms();
		if (!store_users_page(c->s, c->w, &c->ids, c->op, &c->reach, q,
		                      after, c->page, c->rows, got, &err))
			die("page", &err);
		double t = now_ms() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	const char *op_login = argc > 1 ? argv[1] : "admin";
	struct ctx c = {.page = argc > 2 ? atoi(argv[2]) : 20};
	struct store_error err = {0};
	double t0 = now_ms();
	c.s = store_connect(NULL, NULL, &err);
	if (!c.s)
		die("connect", &err);
	c.w = store_load_world(c.s, STORE_LOAD_BASE, &c.ids, &err);
	if (!c.w)
		die("load", &err);
	const char *who[] = {op_login};
	if (!store_load_users(c.s, c.w, &c.ids, who, 1, &err))
		die("operator", &err);
	c.op = engine_user_find(c.w, op_login);
	if (c.op < 0) {
		fprintf(stderr, "bench_store: no user %s\n", op_login);
		return 1;
	}
	if (!store_reach_of(c.w, &c.ids, c.op, ENGINE_ACT(ACT_USERS_VIEW),
	                    &c.reach))
		return 1;
	printf("session start (tree of %d organisations, operator, reach): "
	       "%.1f ms\n",
	       engine_n_orgs(c.w), now_ms() - t0);
	c.rows = calloc((size_t)c.page * 2, sizeof *c.rows);
	struct store_user_query q = {0};
	int got;
	printf("first page:             %7.2f ms\n",
	       page_ms(&c, &q, NULL, &got));
	struct store_user_row last = c.rows[got ? got - 1 : 0];
	printf("next page:              %7.2f ms\n",
	       page_ms(&c, &q, &last, &got));
	double t = now_ms();
	long n = store_users_count(c.s, &c.reach, op_login, &q, &err);
	printf("count (%ld users):      %7.2f ms\n", n, now_ms() - t);
	static const char *const sorts[] = {"name",    "org ids", "orgs",
	                                    "parents", "date",    "status"};
	for (int s = 0; s < USER_SORT_COUNT; s++)
		for (int d = 0; d < 2; d++) {
			q.sort = (enum store_user_sort)s;
			q.descending = d;
			double first = page_ms(&c, &q, NULL, &got);
			last = c.rows[got ? got - 1 : 0];
			double next = page_ms(&c, &q, &last, &got);
			printf("sort %-8s %-4s first %6.2f ms, next %6.2f ms\n",
			       sorts[s], d ? "desc" : "asc", first, next);
		}
	/* A narrow operator's sorts on the organisation columns read keys
	 * the session builds once per change (019_list_changes.sql): the
	 * first page after a change, which builds them, best of 5 (the
	 * visible organisations' counters moved by hand each time). */
	q = (struct store_user_query){.sort = USER_SORT_ORG_IDS};
	double build = 1e9;
	for (int i = 0; i < 5 && !c.reach.everything; i++) {
		const char *orgs[] = {c.reach.orgs};
		if (!store_run(c.s, "SELECT ad_list_changed($1::bigint[])", 1,
		               orgs, &err))
			die("list_changes", &err);
		t = now_ms();
		if (!store_users_page(c.s, c.w, &c.ids, c.op, &c.reach, &q,
		                      NULL, c.page, c.rows, &got, &err))
			die("page", &err);
		if (now_ms() - t < build)
			build = now_ms() - t;
	}
	if (!c.reach.everything)
		printf("sort org ids after a change (keys built): %.2f ms\n",
		       build);
	q = (struct store_user_query){.search_by = USER_SEARCH_NAME,
	                              .search = "smi"};
	printf("search name 'smi':      %7.2f ms\n",
	       page_ms(&c, &q, NULL, &got));
	q.search_by = USER_SEARCH_EMAIL;
	q.search = "a";
	printf("search email 'a':       %7.2f ms\n",
	       page_ms(&c, &q, NULL, &got));
	q.search_by = USER_SEARCH_LOGIN;
	q.search = "a";
	printf("search user id 'a':     %7.2f ms\n",
	       page_ms(&c, &q, NULL, &got));
	q.search_by = USER_SEARCH_ORG;
	q.search = "a81";
	printf("search org 'a81':       %7.2f ms\n",
	       page_ms(&c, &q, NULL, &got));
	/* the report as a file gets it (the console's r, `accessdesk
	 * report > file`): the database's CSV, to /dev/null, best of 3 */
	FILE *null = fopen("/dev/null", "w");
	if (!null) {
		perror("bench_store: /dev/null");
		return 1;
	}
	double best = 1e18;
	long rows = 0;
	for (int i = 0; i < 3; i++) {
		t = now_ms();
		rows = store_report_copy(c.s, op_login, NULL, CSV_SAFE, null,
		                         &err);
		if (rows < 0 || fflush(null) != 0)
			die("report", &err);
		if (now_ms() - t < best)
			best = now_ms() - t;
	}
	fclose(null);
	printf("report: %ld rows in %.2f s, %.0f rows/s\n", rows, best / 1e3,
	       rows / (best > 0 ? best / 1e3 : 1));
	free(c.rows);
	store_reach_free(&c.reach);
	engine_world_free(c.w);
	store_ids_free(&c.ids);
	store_disconnect(c.s);
	return 0;
}
