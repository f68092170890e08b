/* bench_change.c: saves through the one change path against a database
 * (not run by the tests). Connects through libpq's environment, acts as
 * OPERATOR (default "admin"), picks N users (default 200) at random, and
 * times for each: a contact change (the work phone, through
 * store_user_save, as the console's Submit does) and a grant change (the
 * first grant's QOF payment type toggled, through store_grant_save, as
 * `accessdesk grant set` does). Prints the median, 90th percentile and
 * worst of each. Every change is real: run it on a benchmark database.
 *
 *   PGDATABASE=... bench_change [OPERATOR [N]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "accessdesk/store.h"
#define BENCH "bench_change"
#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, double *t, int n)
{
	if (n == 0) {
		printf("%-40s no samples\n", what);
		return;
	}
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	printf("%-40s n=%d median %.2f ms, p90 %.2f ms, worst %.2f ms\n", what,
	       n, t[n / 2], t[(n * 9) / 10], t[n - 1]);
}

static long scalar(struct store *s, const char *sql)
{
	struct store_error err = {0};
	PGresult *r = store_exec(s, sql, 0, NULL, PGRES_TUPLES_OK, &err);
	if (!r || PQntuples(r) != 1)
		die(sql, &err);
	long v = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "admin";
	int n = argc > 2 ? atoi(argv[2]) : 200;
	if (n < 1 || n > 100000) {
		fprintf(stderr, "usage: bench_change [OPERATOR [N]]\n");
		return 2;
	}
	struct store_error err = {0};
	struct store *s = store_connect(NULL, NULL, &err);
	if (!s)
		die("connect", &err);
	printf("%ld organisations, %ld users, %ld grants; operator %s\n",
	       scalar(s, "SELECT count(*) FROM organisations"),
	       scalar(s, "SELECT count(*) FROM users"),
	       scalar(s, "SELECT count(*) FROM grants"), op);
	char nbuf[16];
	snprintf(nbuf, sizeof nbuf, "%d", n);
	const char *p[] = {nbuf, op};
	/* users with a grant, drawn at random (not the operator) */
	PGresult *users = store_exec(
	    s,
	    "SELECT u.login, o.code FROM users u TABLESAMPLE SYSTEM (1) "
	    "JOIN LATERAL (SELECT org_id FROM grants g WHERE g.user_id = "
	    "u.id ORDER BY g.id LIMIT 1) g ON true JOIN organisations o ON "
	    "o.id = g.org_id WHERE u.login <> $2 ORDER BY random() LIMIT "
	    "$1::int",
	    2, p, PGRES_TUPLES_OK, &err);
	if (!users)
		die("users", &err);
	int got = PQntuples(users);
	double *contact = calloc((size_t)got + 1, sizeof *contact);
	double *grant = calloc((size_t)got + 1, sizeof *grant);
	int nc = 0, ng = 0;
	for (int i = 0; i < got; i++) {
		const char *login = PQgetvalue(users, i, 0);
		struct store_user_form f;
		if (!store_user_read(s, login, &f, &err))
			die("read", &err);
		/* a real change each time: the other of two numbers */
		const char *phone = strcmp(f.work_phone, "0115 496 0001") == 0
		                        ? "0115 496 0002"
		                        : "0115 496 0001";
		free(f.work_phone);
		f.work_phone = strdup(phone);
		long long id;
		double t0 = now_ms();
		bool saved = store_user_save(s, op, &f, &id, &err);
		double t = now_ms() - t0;
		if (saved)
			contact[nc++] = t;
		else if (i == 0)
			fprintf(stderr, "bench_change: %s: %s\n", login,
			        err.message);
		int g = -1;
		for (int k = 0; k < f.n_grants && g < 0; k++)
			if (strcasecmp(f.grants[k].org,
			               PQgetvalue(users, i, 1)) == 0)
				g = k;
		if (g >= 0) {
			struct store_grant_form *gf = &f.grants[g];
			gf->payments ^= ENGINE_PAY(PAY_QOF);
			bool changed;
			t0 = now_ms();
			saved = store_grant_save(s, op, login, gf->org, gf,
			                         &changed, &err);
			t = now_ms() - t0;
			if (saved)
				grant[ng++] = t;
		}
		store_user_form_free(&f);
	}
	PQclear(users);
	report("contact change (store_user_save)", contact, nc);
	report("grant change (store_grant_save)", grant, ng);
	free(contact);
	free(grant);
	store_disconnect(s);
	return 0;
}
