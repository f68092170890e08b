/* test_count.c: counts that never block a key (store_count, user_count.c)
 * against a real PostgreSQL server (TAP): the planner's estimate of the
 * Users list's and the Audit tab's counts after ANALYZE; the exact count
 * answered on the second connection, agreeing with store_users_count; a
 * query replaced before its count comes (queued, and under way on a
 * server process held stopped), whose stale answer is never given; a lost
 * connection, every count owed answered "not known", and the reconnection.
 *
 * Runs against the server of the PG* environment: creates ad_count_PID,
 * migrates it, loads $POLICY_DIR/good/cqrs-seed.conf and 3,000 users of
 * its own, and drops it at the end. Skips (1..0) when no PostgreSQL is
 * configured and none answers.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

/* What an owner was told: each answer, in order. */
struct owner {
	int answers;
	long n[8];
};

static void told(void *owner, long n)
{
	struct owner *o = owner;
	if (o->answers < 8)
		o->n[o->answers] = n;
	o->answers++;
}

/* Takes answers until none is owed (5 s at most), as the console's loop
 * does: poll on the socket, then store_count_take. The last take's
 * result: -1 when the connection was lost. */
static int settle(struct store_count *c, struct store_error *err)
{
	int got = 0;
	for (int i = 0; i < 500 && store_count_owed(c); i++) {
		struct pollfd p = {store_count_socket(c), POLLIN, 0};
		if (p.fd < 0 || poll(&p, 1, 10) < 0)
			return -1;
		if (p.revents && (got = store_count_take(c, err)) < 0)
			return -1;
	}
	return store_count_owed(c) ? -1 : got;
}

static long exact(struct store *s, struct pg_list_session *ls,
                  const char *search)
{
	struct store_error err = {0};
	struct store_user_query q = {.search = search};
	long n = store_users_count(s, &ls->reach, ls->login, &q, &err);
	if (n < 0)
		bail("store_users_count", err.message);
	return n;
}

/* 3,000 users more, with no grant, logins PREFIX1..., and the statistics
 * the estimates come from. */
static bool add_users(PGconn *raw, const char *prefix)
{
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO users (login, first_name, last_name, email, "
	         "work_phone) SELECT '%s' || g, 'Ann', 'Count' || g, '%s' || g "
	         "|| '@count.nhs.uk', '0100 000000' FROM generate_series(1, "
	         "3000) g; ANALYZE",
	         prefix, prefix);
	return pg_run(raw, sql);
}

/* Within a tenth of want (the planner's statistics of a sample). */
static bool near(long got, long want)
{
	long d = got > want ? got - want : want - got;
	if (d * 10 > want)
		diag("estimate %ld, exact %ld", got, want);
	return d * 10 <= want;
}

int main(void)
{
	pg_test_start();
	const struct pg_test_db *db = pg_test_create("ad_count", NULL);
	struct store *s = pg_test_connect(db->conninfo);
	pg_test_migrate(s);
	if (!pg_test_load(s, "good/cqrs-seed.conf"))
		bail("load", "cqrs-seed.conf");
	PGconn *raw = pg_test_raw(db->conninfo);
	if (!add_users(raw, "cnt"))
		bail("users", PQerrorMessage(raw));

	struct pg_list_session root, narrow;
	pg_list_open(s, "mch112", &root);
	pg_list_open(s, "gba204", &narrow);
	struct store_error err = {0};
	struct store_count *c = store_count_open(s, &err);
	if (!c)
		bail("store_count_open", err.message);
	char pid[16];
	snprintf(pid, sizeof pid, "%d", store_count_backend(c));
	ok(pg_is(raw, "accessdesk count",
	         "SELECT application_name FROM pg_stat_activity WHERE pid = "
	         "$1::int",
	         pid),
	   "the counts' connection is a second one, named apart");

	/* the estimate, then the exact count */
	struct store_user_query all = {0}, cnt = {.search = "count"};
	struct owner a = {0};
	long all_exact = exact(s, &root, NULL);
	long est = store_users_count_start(s, c, &root.reach, root.login, &all,
	                                   &a, told, &err);
	ok(est >= 0 && near(est, all_exact),
	   "root, no search: the estimate (%ld) is near the count (%ld)", est,
	   all_exact);
	ok(store_count_owed(c) && a.answers == 0,
	   "the exact count is owed, not waited for");
	bool t = settle(c, &err) >= 0 && a.answers == 1 && a.n[0] == all_exact;
	ok(t, "then answered once: %ld (%d answers)", a.n[0], a.answers);

	long cnt_exact = exact(s, &root, "count");
	a = (struct owner){0};
	est = store_users_count_start(s, c, &root.reach, root.login, &cnt, &a,
	                              told, &err);
	t = est >= 0 && near(est, cnt_exact) && settle(c, &err) >= 0 &&
	    a.answers == 1 && a.n[0] == cnt_exact;
	ok(t, "a search: estimate %ld, exact %ld", est, a.n[0]);

	long narrow_exact = exact(s, &narrow, NULL);
	a = (struct owner){0};
	est = store_users_count_start(s, c, &narrow.reach, narrow.login, &all,
	                              &a, told, &err);
	t = est >= 0 && settle(c, &err) >= 0 && a.answers == 1 &&
	    a.n[0] == narrow_exact && narrow_exact > 0;
	ok(t, "a narrow operator: estimate %ld, exact %ld of %ld", est, a.n[0],
	   narrow_exact);

	struct store_reach audit_all = {.everything = true};
	struct store_audit_query aq = {0};
	long audit_exact = store_audit_count(s, &audit_all, &aq, &err);
	a = (struct owner){0};
	est = store_audit_count_start(s, c, &audit_all, &aq, &a, told, &err);
	t = est >= 0 && settle(c, &err) >= 0 && a.answers == 1 &&
	    a.n[0] == audit_exact && audit_exact > 0;
	ok(t, "the Audit tab's count, the same way: estimate %ld, exact %ld",
	   est, a.n[0]);

	/* replaced while queued: B's first query never answered */
	struct owner b = {0};
	a = (struct owner){0};
	store_users_count_start(s, c, &root.reach, root.login, &all, &a, told,
	                        &err);
	store_users_count_start(s, c, &root.reach, root.login, &all, &b, told,
	                        &err);
	store_users_count_start(s, c, &root.reach, root.login, &cnt, &b, told,
	                        &err);
	t = settle(c, &err) >= 0 && a.answers == 1 && a.n[0] == all_exact &&
	    b.answers == 1 && b.n[0] == cnt_exact;
	ok(t,
	   "replaced while queued: one answer each, the newest query's "
	   "(%ld, then %ld of %d)",
	   a.n[0], b.n[0], b.answers);

	/* replaced while under way: the server process is held stopped, so
	 * the first count is surely sent and not answered when the query
	 * changes; once it goes on, only the new query's count is given */
	int backend = store_count_backend(c);
	if (kill(backend, SIGSTOP) != 0) {
		ok(true, "# SKIP cannot stop the server process (%s)",
		   strerror(errno));
	} else {
		a = (struct owner){0};
		store_users_count_start(s, c, &root.reach, root.login, &all, &a,
		                        told, &err);
		struct pollfd p = {store_count_socket(c), POLLIN, 0};
		bool quiet = poll(&p, 1, 200) == 0;
		store_users_count_start(s, c, &root.reach, root.login, &cnt, &a,
		                        told, &err);
		kill(backend, SIGCONT);
		t = quiet && settle(c, &err) >= 0 && a.answers == 1 &&
		    a.n[0] == cnt_exact;
		ok(t,
		   "replaced while under way: the stale count (%ld) never "
		   "given, the new one is (%ld, %d answers)",
		   all_exact, a.n[0], a.answers);
	}
	a = (struct owner){0};
	store_users_count_start(s, c, &root.reach, root.login, &all, &a, told,
	                        &err);
	t = settle(c, &err) >= 0 && a.answers == 1 && a.n[0] == all_exact;
	ok(t, "and the connection counts on after it");

	/* forgotten (a screen closing): never answered */
	a = (struct owner){0};
	store_users_count_start(s, c, &root.reach, root.login, &all, &a, told,
	                        &err);
	store_count_forget(c, &a);
	settle(c, &err);
	ok(a.answers == 0 && !store_count_owed(c),
	   "a count forgotten is never answered");

	/* lost: every count owed is "not known"; the reconnection */
	if (kill(backend, SIGSTOP) == 0) {
		a = b = (struct owner){0};
		store_users_count_start(s, c, &root.reach, root.login, &all, &a,
		                        told, &err);
		store_users_count_start(s, c, &root.reach, root.login, &cnt, &b,
		                        told, &err);
		snprintf(pid, sizeof pid, "%d", backend);
		const char *v[] = {pid};
		PQclear(PQexecParams(raw,
		                     "SELECT pg_terminate_backend($1::int)", 1,
		                     NULL, v, NULL, NULL, 0));
		kill(backend, SIGCONT);
	} else {
		/* no stopping it: the counts are answered before the end */
		a.answers = b.answers = 0;
		snprintf(pid, sizeof pid, "%d", backend);
		const char *v[] = {pid};
		PQclear(PQexecParams(raw,
		                     "SELECT pg_terminate_backend($1::int)", 1,
		                     NULL, v, NULL, NULL, 0));
		store_users_count_start(s, c, &root.reach, root.login, &all, &a,
		                        told, &err);
		b.answers = 1, b.n[0] = -1;
	}
	int last = settle(c, &err);
	ok(last < 0 && a.answers == 1 && a.n[0] == -1 && b.answers == 1 &&
	       b.n[0] == -1 && !store_count_owed(c),
	   "the connection lost: each count owed is not known (%ld, %ld)",
	   a.n[0], b.n[0]);
	ok(!store_count_connected(c) && store_count_socket(c) < 0,
	   "and the connection says so");
	a = (struct owner){0};
	t = store_count_reconnect(c, &err) &&
	    store_users_count_start(s, c, &root.reach, root.login, &all, &a,
	                            told, &err) >= 0 &&
	    settle(c, &err) >= 0 && a.answers == 1 && a.n[0] == all_exact;
	ok(t, "reconnected, it counts again: %ld", a.n[0]);

	/* the estimate reads the plan, not a fixed figure */
	add_users(raw, "more");
	est = store_users_count_start(s, c, &root.reach, root.login, &all, &a,
	                              told, &err);
	settle(c, &err);
	ok(est >= 0 && near(est, all_exact + 3000),
	   "after 3,000 users more and ANALYZE, the estimate follows (%ld)",
	   est);

	store_count_close(c);
	pg_list_close(&root);
	pg_list_close(&narrow);
	PQfinish(raw);
	store_disconnect(s);
	return pg_test_done(n_tests, n_failed);
}
