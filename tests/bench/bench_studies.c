/* bench_studies.c: Study Configure against a database of national size
 * (not run by the tests). Connects through libpq's environment (or -d
 * CONNINFO).
 *
 * Set-up, once (a database that has it is left as it is): a study "BENCH"
 * at the site of the first study (by code) whose user access list holds
 * 10,000 users with a profile role, in its own committed transaction, then
 * VACUUM ANALYZE.
 *
 * Then times, each the median of -n repetitions (default 3), with the
 * peak resident memory after it:
 *   the list as the tab reads it: store_study_entries and the users
 *     loaded into the base world (store_load_users_by_id);
 *   Import's candidates by Site (the study's site), by Role
 *     (Investigator), by both;
 *   the count before the last entry is deleted (the first study without
 *     the bench's list: store_study_opened_by_emptying);
 *   the count before "Require site restrictions?" and "Require study
 *     restrictions?" are turned on (store_settings_shut_out);
 *   80,000 users imported by role in one change, then deleted in one
 *     (operator "admin", the seed's demo Study Administrator), once.
 *
 *   PGDATABASE=... bench_studies [-d CONNINFO] [-n REPETITIONS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "accessdesk/store.h"
#define BENCH "bench_studies"
#include "bench.h"

#define BENCH_STUDY "BENCH"

static const char *const setup_sql[] = {
    "INSERT INTO studies (code, name, site_id) SELECT '" BENCH_STUDY "', "
    "'bench_studies: 10,000 listed', site_id FROM studies ORDER BY code "
    "LIMIT 1",
    "INSERT INTO study_access (study_id, user_id, role_id, position) "
    "SELECT s.id, p.user_id, NULL, (row_number() OVER (ORDER BY "
    "p.user_id))::int FROM studies s, (SELECT DISTINCT user_id FROM "
    "profile_roles ORDER BY user_id LIMIT 10000) p WHERE s.code = "
    "'" BENCH_STUDY "'",
};

static bool has_bench_study(struct store *s)
{
	struct store_error err = {0};
	const char *p[] = {BENCH_STUDY};
	PGresult *r = store_exec_rows(s, "find the bench study",
	                              "SELECT 1 FROM studies WHERE code = $1",
	                              1, p, 0, &err);
	if (!r)
		die("find the bench study", &err);
	bool has = PQntuples(r) == 1;
	PQclear(r);
	return has;
}

static void setup(struct store *s)
{
	bench_setup(s, setup_sql, sizeof setup_sql / sizeof setup_sql[0]);
}

static long peak_mb(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss / 1024;
}

/* One measure: what it does, run reps times; prints the median. */
struct measure {
	const char *name;
	/* returns a count to print (rows, users), -1 on error */
	long (*run)(struct store *s, void *ctx, struct store_error *err);
	void *ctx;
};

static void timed(struct store *s, const struct measure *m, int reps)
{
	double best[16];
	long got = 0;
	if (reps > 16)
		reps = 16;
	for (int i = 0; i < reps; i++) {
		struct store_error err = {0};
		double t0 = now_ms();
		got = m->run(s, m->ctx, &err);
		best[i] = now_ms() - t0;
		if (got < 0)
			die(m->name, &err);
	}
	/* the median: a small insertion sort */
	for (int i = 1; i < reps; i++)
		for (int j = i; j > 0 && best[j - 1] > best[j]; j--) {
			double x = best[j];
			best[j] = best[j - 1];
			best[j - 1] = x;
		}
	printf("%-44s %10ld  median %8.1f ms  worst %8.1f ms  peak %ld MB\n",
	       m->name, got, best[reps / 2], best[reps - 1], peak_mb());
}

static long list_run(struct store *s, void *ctx, struct store_error *err)
{
	(void)ctx;
	struct store_ids ids;
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, err);
	if (!w)
		return -1;
	struct store_study_list l;
	long n = -1;
	if (store_study_entries(s, BENCH_STUDY, &l, err) &&
	    store_load_users_by_id(s, w, &ids, l.users, l.n, err))
		n = l.n;
	store_study_list_free(&l);
	engine_world_free(w);
	store_ids_free(&ids);
	return n;
}

static long candidates_run(struct store *s, void *ctx, struct store_error *err)
{
	const struct store_study_filter *f = ctx;
	struct store_study_person *p;
	int n;
	if (!store_study_candidates(s, BENCH_STUDY, f, &p, &n, err))
		return -1;
	free(p);
	return n;
}

static char other_study[33];

static long opened_run(struct store *s, void *ctx, struct store_error *err)
{
	(void)ctx;
	long n;
	return store_study_opened_by_emptying(s, other_study, &n, err) ? n : -1;
}

static long shut_out_run(struct store *s, void *ctx, struct store_error *err)
{
	long n;
	return store_settings_shut_out(s, ctx, &n, err) ? n : -1;
}

/* Import n candidates by role into the bench study as operator op (one
 * change), then delete them again (one change): each timed once. */
static void import_and_delete(struct store *s, const char *op, int n)
{
	struct store_error err = {0};
	const struct store_study_filter f = {NULL, "Investigator"};
	struct store_study_person *p;
	int got;
	if (!store_study_candidates(s, BENCH_STUDY, &f, &p, &got, &err))
		die("candidates to import", &err);
	if (got < n)
		n = got;
	const char **logins = malloc(((size_t)n + 1) * sizeof *logins);
	if (!logins)
		exit(1);
	for (int i = 0; i < n; i++)
		logins[i] = p[i].login;
	struct store_study_list l;
	if (!store_study_entries(s, BENCH_STUDY, &l, &err))
		die("the list", &err);
	double t0 = now_ms();
	if (!store_study_import(s, op, BENCH_STUDY, l.version, &f, logins, n,
	                        &err))
		die("import", &err);
	double imported = now_ms() - t0;
	t0 = now_ms();
	if (!store_study_remove(s, op, BENCH_STUDY, l.version + 1, logins, n,
	                        &err))
		die("delete", &err);
	printf("%-44s %10d  import %8.1f ms  delete %8.1f ms  peak %ld MB\n",
	       "import, then delete, one change each", n, imported,
	       now_ms() - t0, peak_mb());
	store_study_list_free(&l);
	free(logins);
	store_study_people_free(p, got);
}

int main(int argc, char **argv)
{
	const char *conninfo = NULL;
	int reps = 3;
	bench_options(argc, argv,
	              "bench_studies [-d CONNINFO] [-n REPETITIONS]", &conninfo,
	              &reps);
	struct store_error err = {0};
	struct store *s = bench_connect(conninfo);
	if (!has_bench_study(s))
		setup(s);
	/* the bench study's site, and another study (the first by code) */
	PGresult *r = store_exec_rows(
	    s, "the studies",
	    "SELECT o.code, (SELECT code FROM studies WHERE code <> $1 ORDER "
	    "BY code LIMIT 1), (SELECT count(*) FROM users), (SELECT "
	    "count(*) FROM studies) FROM studies s JOIN organisations o ON "
	    "o.id = s.site_id WHERE s.code = $1",
	    1, (const char *const[]){BENCH_STUDY}, 1, &err);
	if (!r)
		die("the studies", &err);
	static char site[33];
	snprintf(site, sizeof site, "%s", PQgetvalue(r, 0, 0));
	snprintf(other_study, sizeof other_study, "%s", PQgetvalue(r, 0, 1));
	printf("database %s: %s users, %s studies; bench study at %s, "
	       "emptying %s\n",
	       store_dbname(s), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3), site,
	       other_study);
	PQclear(r);
	struct store_study_filter by_site = {site, NULL},
	                          by_role = {NULL, "Investigator"},
	                          by_both = {site, "Investigator"};
	struct engine_settings site_on = {true, false},
	                       study_on = {false, true};
	const struct measure m[] = {
	    {"list of 10,000 read and its users loaded", list_run, NULL},
	    {"candidates by role Investigator and site", candidates_run,
	     &by_both},
	    {"candidates by role Investigator", candidates_run, &by_role},
	    {"candidates by site", candidates_run, &by_site},
	    {"opened by emptying a list", opened_run, NULL},
	    {"shut out by Require site restrictions", shut_out_run, &site_on},
	    {"shut out by Require study restrictions", shut_out_run, &study_on},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		timed(s, &m[i], reps);
	import_and_delete(s, "admin", 80000);
	store_disconnect(s);
	return 0;
}
