/* bench_what_if.c: the Service Provider Clusters tab's what-if of a
 * members change (store_cluster_what_if) against a database (not run by
 * the tests). Connects through libpq's environment (or -d CONNINFO).
 *
 * Set-up, once (a database that has it is left as it is): the
 * organisation with the most children that is not a root owns a cluster
 * "bench what-if" of its first four children (by id), and 10,000 users
 * holding no grant there get one, role View, selecting it; in its own
 * committed transaction, then VACUUM ANALYZE.
 *
 * Then, on a base world loaded as the console loads it (STORE_LOAD_BASE),
 * times the what-if of removing the cluster's first member: the median
 * and the worst in milliseconds of -n repetitions (default 7), with the
 * users affected and what they lose.
 *
 *   PGDATABASE=... bench_what_if [-d CONNINFO] [-n REPETITIONS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessdesk/store.h"
#define BENCH "bench_what_if"
#include "bench.h"

#define BENCH_NAME   "bench what-if"
#define BENCH_GRANTS "10000"

/* The bench cluster's short name into buf ("" when there is none). */
static void bench_cluster(struct store *s, char *buf, size_t len)
{
	struct store_error err = {0};
	const char *p[] = {BENCH_NAME};
	PGresult *r = store_exec_rows(
	    s, "find the bench cluster",
	    "SELECT short_name FROM clusters WHERE name = $1", 1, p, 0, &err);
	if (!r)
		die("find the bench cluster", &err);
	snprintf(buf, len, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
}

/* Each step of the set-up, in one transaction. */
static const char *const setup_sql[] = {
    /* the owner: most children, not a root, first by id */
    "CREATE TEMP TABLE bench_owner ON COMMIT DROP AS "
    "SELECT o.id FROM organisations o WHERE o.parent_id IS NOT NULL "
    "AND EXISTS (SELECT 1 FROM organisations c WHERE c.parent_id = o.id) "
    "ORDER BY (SELECT count(*) FROM organisations c WHERE c.parent_id = "
    "o.id) DESC, o.id LIMIT 1",
    "INSERT INTO clusters (short_name, name, description, owner_id) "
    "SELECT upper(substr(md5(gen_random_uuid()::text), 1, 10)), "
    "'" BENCH_NAME "', 'bench_what_if: " BENCH_GRANTS " grants select it', "
    "id FROM bench_owner",
    "INSERT INTO cluster_members (cluster_id, org_id, position) "
    "SELECT c.id, k.id, (row_number() OVER (ORDER BY k.id) - 1)::int "
    "FROM clusters c JOIN organisations k ON k.parent_id = c.owner_id "
    "WHERE c.name = '" BENCH_NAME "' ORDER BY k.id LIMIT 4",
    "CREATE TEMP TABLE bench_grants (id bigint) ON COMMIT DROP",
    "WITH g AS (INSERT INTO grants (user_id, org_id) "
    " SELECT u.id, b.id FROM users u, bench_owner b WHERE NOT EXISTS "
    " (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.org_id = b.id) "
    " ORDER BY u.id LIMIT " BENCH_GRANTS " RETURNING id) "
    "INSERT INTO bench_grants SELECT id FROM g",
    "INSERT INTO grant_roles (grant_id, role_id, position) "
    "SELECT b.id, r.id, 0 FROM bench_grants b, roles r "
    "WHERE r.name = 'View' AND r.builtin",
    "INSERT INTO grant_clusters (grant_id, cluster_id, position) "
    "SELECT b.id, c.id, 0 FROM bench_grants b, clusters c "
    "WHERE c.name = '" BENCH_NAME "'",
};

static void setup(struct store *s)
{
	bench_setup(s, setup_sql, sizeof setup_sql / sizeof setup_sql[0]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *conninfo = NULL;
	int reps = 7;
	bench_options(argc, argv,
	              "bench_what_if [-d CONNINFO] [-n REPETITIONS]", &conninfo,
	              &reps);
	struct store_error err = {0};
	struct store *s = bench_connect(conninfo);
	char short_name[11];
	bench_cluster(s, short_name, sizeof short_name);
	if (!short_name[0]) {
		setup(s);
		bench_cluster(s, short_name, sizeof short_name);
	}

	struct store_ids ids = {0};
	double t0 = now_ms();
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, &err);
	if (!w)
		die("load the base world", &err);
	double load = now_ms() - t0;
	const struct engine_cluster *c =
	    engine_cluster(w, engine_cluster_find(w, short_name));
	if (!c || c->n_members < 2) {
		fprintf(stderr,
		        "bench_what_if: cluster %s has too few "
		        "members\n",
		        short_name);
		return 1;
	}
	/* every member but the first */
	const char *members[64];
	int n = 0;
	for (int i = 1; i < c->n_members && n < 64; i++)
		members[n++] = engine_org(w, c->members[i])->code;

	double *t = malloc((size_t)reps * sizeof *t);
	if (!t)
		return 1;
	struct store_what_if wi = {0};
	for (int i = 0; i < reps; i++) {
		store_what_if_free(&wi);
		t0 = now_ms();
		if (!store_cluster_what_if(s, w, &ids, short_name, members, n,
		                           &wi, &err))
			die("what-if", &err);
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)reps, sizeof *t, cmp_double);
	printf("database %s: %d organisations, base world loaded in %.0f ms\n",
	       store_dbname(s), engine_n_orgs(w), load);
	printf("cluster %s of %s, members %d -> %d (without %s)\n", short_name,
	       engine_org(w, c->owner)->code, c->n_members, n,
	       engine_org(w, c->members[0])->code);
	printf("what-if: median %.1f ms, worst %.1f ms of %d; %d users "
	       "affected, %d losing, %d organisations lost\n",
	       t[reps / 2], t[reps - 1], reps, wi.e.affected, wi.e.users_losing,
	       wi.e.orgs_lost);
	store_what_if_free(&wi);
	free(t);
	engine_world_free(w);
	store_ids_free(&ids);
	store_disconnect(s);
	return 0;
}
