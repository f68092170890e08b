/* bench_audit.c: the audit trail at 1,000,000 records (not run by the
 * tests). Connects through libpq's environment (or -d CONNINFO); when the
 * trail holds fewer than 1,000,000 records, adds the rest through the
 * chain's trigger (each a user's change of work phone, touching the
 * user's grants' organisations), in transactions of 100,000, then VACUUM
 * ANALYZE (as production runs). Then, as OPERATOR (default "admin"), the
 * best of REPETITIONS (default 5) in milliseconds of:
 *
 *   the Audit tab's first page (20 records), the next, the one before;
 *   the first page of each filter (target, operator, kind, a day);
 *   the count; `audit verify` (the whole chain); the CSV export.
 *
 *   PGDATABASE=... bench_audit [-d CONNINFO] [-n REPETITIONS] [OPERATOR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/store.h"
#define BENCH "bench_audit"
#include "bench.h"

#define RECORDS 1000000L
#define BATCH   100000L
#define PAGE    20

static const char add_sql[] =
    "INSERT INTO audit (operator, action, target_kind, target, before,"
    " after, org_ids)"
    " SELECT 'bench', 'update', 'user', u.login,"
    "  jsonb_build_object('work_phone', '0113 496 0000'),"
    "  jsonb_build_object('work_phone', '0113 496 ' || g),"
    "  ARRAY(SELECT org_id FROM grants WHERE user_id = u.id ORDER BY id)"
    " FROM generate_series(1, $1::int) g"
    " JOIN users u ON u.id = (SELECT min(id) FROM users)"
    "  + g % (SELECT count(*) FROM users)";

static long records(struct store *s)
{
	struct store_error err = {0};
	PGresult *r = store_exec_rows(s, "count", "SELECT count(*) FROM audit",
	                              0, NULL, 1, &err);
	if (!r)
		die("count the records", &err);
	long n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

static void fill(struct store *s)
{
	long have = records(s);
	if (have >= RECORDS)
		return;
	struct store_error err = {0};
	double t0 = now_ms();
	while (have < RECORDS) {
		char n[24];
		snprintf(n, sizeof n, "%ld",
		         RECORDS - have < BATCH ? RECORDS - have : BATCH);
		const char *p[] = {n};
		if (!store_run(s, add_sql, 1, p, &err))
			die("add records", &err);
		have = records(s);
		fprintf(stderr, "%ld records\n", have);
	}
	if (!store_run(s, "VACUUM ANALYZE audit", 0, NULL, &err))
		die("vacuum", &err);
	printf("added records up to %ld in %.0f s\n", have,
	       (now_ms() - t0) / 1000);
}

struct run {
	struct store *s;
	struct store_reach reach;
	struct store_audit_row rows[PAGE];
	int got;
	int reps;
};

static double best_page(struct run *r, const struct store_audit_query *q,
                        long long after, bool newer)
{
	double best = 1e9;
	for (int i = 0; i < r->reps; i++) {
		struct store_error err = {0};
		double t0 = now_ms();
		if (!store_audit_page(r->s, &r->reach, q, after, newer, PAGE,
		                      r->rows, &r->got, &err))
			die("page", &err);
		double t = now_ms() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

static bool discard(void *ctx, const char *const *fields)
{
	(void)fields;
	(*(long *)ctx)++;
	return true;
}

int main(int argc, char **argv)
{
	const char *conninfo = NULL, *op = "admin";
	int reps = 5;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			conninfo = argv[++i];
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else
			op = argv[i];
	}
	struct run r = {.s = bench_connect(conninfo),
	                .reps = reps < 1 ? 1 : reps};
	fill(r.s);
	struct store_error err = {0};
	struct store_ids ids;
	double t0 = now_ms();
	struct engine_world *w =
	    store_load_world(r.s, STORE_LOAD_BASE, &ids, &err);
	if (!w || !store_load_users(r.s, w, &ids, &op, 1, &err))
		die("load the world", &err);
	int o = engine_user_find(w, op);
	if (o < 0 || !store_audit_reach(w, &ids, o, &r.reach)) {
		fprintf(stderr, "bench_audit: no operator \"%s\"\n", op);
		return 1;
	}
	printf("%s: session start (world, operator, reach) %.0f ms; reads %s\n",
	       op, now_ms() - t0,
	       r.reach.everything ? "every record" : "its organisations'");

	struct store_audit_query none = {{NULL}};
	double t = best_page(&r, &none, 0, false);
	printf("first page        %8.2f ms (%d records)\n", t, r.got);
	long long last = r.got ? r.rows[r.got - 1].seq : 0;
	long long first = r.got ? r.rows[0].seq : 0;
	t = best_page(&r, &none, last, false);
	printf("next page         %8.2f ms (%d records)\n", t, r.got);
	t = best_page(&r, &none, first - 2 * PAGE, true);
	printf("page before       %8.2f ms (%d records)\n", t, r.got);

	/* a target and a day from the trail itself */
	char target[STORE_LIST_TEXT] = "", day[16] = "";
	best_page(&r, &none, 0, false);
	if (r.got) {
		snprintf(target, sizeof target, "%s", r.rows[0].target);
		snprintf(day, sizeof day, "%.10s", r.rows[0].at);
	}
	char from[32] = "", to[32] = "";
	if (!store_time_parse(day, STORE_TIME_AS_TYPED, from, sizeof from) ||
	    !store_time_parse(day, STORE_TIME_UNIT_END, to, sizeof to))
		from[0] = to[0] = '\0';
	struct store_audit_query by[] = {
	    {.f = {[AUDIT_TARGET] = target}},
	    {.f = {[AUDIT_OPERATOR] = "bench"}},
	    {.f = {[AUDIT_KIND] = "user"}},
	    {.f = {[AUDIT_FROM] = from, [AUDIT_TO] = to}},
	    {.f = {[AUDIT_KIND] = "cluster"}},
	};
	const char *names[] = {"target", "operator", "kind user", "a day",
	                       "kind cluster"};
	for (size_t i = 0; i < sizeof by / sizeof *by; i++) {
		t = best_page(&r, &by[i], 0, false);
		printf("filter %-12s %7.2f ms (%d records)\n", names[i], t,
		       r.got);
	}

	double best = 1e9;
	long n = 0;
	for (int i = 0; i < r.reps; i++) {
		t0 = now_ms();
		n = store_audit_count(r.s, &r.reach, &none, &err);
		if (n < 0)
			die("count", &err);
		if (now_ms() - t0 < best)
			best = now_ms() - t0;
	}
	printf("count             %8.1f ms (%ld records)\n", best, n);

	t0 = now_ms();
	struct store_chain_check c;
	if (!store_audit_verify(r.s, &c, &err))
		die("verify", &err);
	double tv = now_ms() - t0;
	printf(
	    "verify            %8.0f ms (%lld records, %s; %.0f records/s)\n",
	    tv, c.checked, c.fault == CHAIN_SOUND ? "unbroken" : c.what,
	    c.checked / (tv / 1000));

	long rows = 0;
	t0 = now_ms();
	if (store_audit_export(r.s, &r.reach, &none, discard, &rows, &err) < 0)
		die("export", &err);
	double te = now_ms() - t0;
	printf("export            %8.0f ms (%ld rows, %.0f rows/s)\n", te, rows,
	       rows / (te / 1000));

	store_reach_free(&r.reach);
	engine_world_free(w);
	store_ids_free(&ids);
	store_disconnect(r.s);
	return 0;
}
