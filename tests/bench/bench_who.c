/* bench_who.c: Who has access? against a database (not run by the tests).
 * Connects through libpq's environment (or -d CONNINFO), loads the base
 * world as the console does for OPERATOR (default "admin", a System
 * Administrator at the root, who sees everyone), and times
 * store_who_has_access at the first root and at ORG (default: the first
 * leaf, by id, that holds grants), for any action and for users.manage:
 *
 *   cold: each repetition on a fresh base world, so the candidates are
 *         found and loaded (store_load_users) every time: the console's
 *         first look at an organisation;
 *   warm: the same world again, the candidates already loaded: the
 *         console's next look.
 *
 * Prints the median and the worst in milliseconds and the rows listed.
 *
 *   PGDATABASE=... bench_who [-d CONNINFO] [-n REPETITIONS] [OPERATOR [ORG]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessdesk/store.h"
#define BENCH "bench_who"
#include "bench.h"

struct world {
	struct engine_world *w;
	struct store_ids ids;
	int op;
};

static void world_load(struct store *s, const char *op, struct world *wd)
{
	struct store_error err = {0};
	wd->w = store_load_world(s, STORE_LOAD_BASE, &wd->ids, &err);
	if (!wd->w)
		die("load the base world", &err);
	if (!store_load_users(s, wd->w, &wd->ids, &op, 1, &err))
		die("load the operator", &err);
	wd->op = engine_user_find(wd->w, op);
	if (wd->op < 0) {
		fprintf(stderr, "bench_who: no user \"%s\"\n", op);
		exit(1);
	}
}

static void world_free(struct world *wd)
{
	engine_world_free(wd->w);
	store_ids_free(&wd->ids);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One timed call; *rows and *users of the answer. */
static double time_one(struct store *s, struct world *wd, const char *org,
                       int action, int *rows, int *users)
{
	struct store_error err = {0};
	struct store_access a;
	double t0 = now_ms();
	if (!store_who_has_access(s, wd->w, &wd->ids, wd->op, org, action, &a,
	                          &err))
		die(org, &err);
	double t = now_ms() - t0;
	*rows = a.n;
	*users = a.users;
	store_access_free(&a);
	return t;
}

static void report(const char *org, int action, const char *mode, double *t,
                   int n, int rows, int users)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	printf("%-8s %-14s %-4s median %8.1f ms  max %8.1f ms  %d rows, %d "
	       "users\n",
	       org, action < 0 ? "any" : engine_action_name(action), mode,
	       t[n / 2], t[n - 1], rows, users);
}

static void bench(struct store *s, const char *op, const char *org, int action,
                  int reps)
{
	double *t = malloc((size_t)reps * sizeof *t);
	if (!t)
		exit(1);
	int rows = 0, users = 0;
	for (int i = 0; i < reps; i++) {
		struct world wd;
		world_load(s, op, &wd);
		t[i] = time_one(s, &wd, org, action, &rows, &users);
		world_free(&wd);
	}
	report(org, action, "cold", t, reps, rows, users);
	struct world wd;
	world_load(s, op, &wd);
	time_one(s, &wd, org, action, &rows, &users); /* loads them */
	for (int i = 0; i < reps; i++)
		t[i] = time_one(s, &wd, org, action, &rows, &users);
	world_free(&wd);
	report(org, action, "warm", t, reps, rows, users);
	free(t);
}

int main(int argc, char **argv)
{
	const char *conninfo = NULL, *op = "admin", *org = NULL;
	int reps = 7, pos = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			conninfo = argv[++i];
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (pos++ == 0)
			op = argv[i];
		else
			org = argv[i];
	}
	if (reps < 1)
		reps = 1;
	struct store_error err = {0};
	struct store *s = store_connect(conninfo, NULL, &err);
	if (!s)
		die("connect", &err);
	struct world wd;
	world_load(s, op, &wd);
	char root[33] = "", leaf[33] = "";
	for (int o = 0; o < engine_n_orgs(wd.w) && !root[0]; o++)
		if (engine_org(wd.w, o)->parent < 0)
			snprintf(root, sizeof root, "%s",
			         engine_org(wd.w, o)->code);
	world_free(&wd);
	if (!org) {
		PGresult *r = store_exec_rows(
		    s, "the first leaf with grants",
		    "SELECT o.code FROM organisations o WHERE NOT EXISTS "
		    "(SELECT 1 FROM organisations c WHERE c.parent_id = o.id) "
		    "AND EXISTS (SELECT 1 FROM grants g WHERE g.org_id = o.id) "
		    "ORDER BY o.id LIMIT 1",
		    0, NULL, 1, &err);
		if (!r)
			die("find a practice", &err);
		snprintf(leaf, sizeof leaf, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		org = leaf;
	}
	printf("database %s, operator %s, %d repetitions\n", store_dbname(s),
	       op, reps);
	bench(s, op, root, -1, reps);
	bench(s, op, root, ACT_USERS_MANAGE, reps);
	bench(s, op, org, -1, reps);
	bench(s, op, org, ACT_USERS_MANAGE, reps);
	store_disconnect(s);
	return 0;
}
