/* test_plans.c: the Users list's plans stay right (issue 13, "Plans that
 * stay right"). On a database of 50,000 users seeded over the NHS
 * hierarchy and then analysed (VACUUM ANALYZE, the statistics autovacuum
 * leaves in production: a plan that is an index scan only while the
 * planner knows nothing is the bug this test is for), the plan of every
 * statement shape of the list (store_users_explain: every sort, both ways,
 * the first page and the next, with no search and with each search field
 * and shape) and of its count has no sequential scan of users or grants,
 * and of the report's (store_report_explain), for an operator of each
 * kind of reach: the root's System Administrator
 * (everything), an administrator of two regions (not narrow), of one
 * region and of one CCG (narrow: a statement of their own). One TAP line
 * per shape, named by operator, statement, sort, direction, page and
 * search; a failure prints the plan as diagnostics.
 *
 * Runs against the server of the PG* environment: creates ad_plans_PID,
 * migrates it, imports $ODS_CSV (sql/data/gp-practice-hierarchy-2022-01.csv)
 * and seeds it (bulk.h), and drops it at the end. Skips (1..0) when no
 * PostgreSQL is configured and none answers. Skips with a plan of 1..0 too
 * when PLANS_SKIP is set: the sanitizer build sets it (tests/meson.build),
 * for the plans are the server's, the same in either build, and the seed
 * is most of the time the suite can spare.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "accessdesk/bulk.h"
#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

#define N_USERS 50000
#define SEED    1
#define PAGE    50 /* a screenful and more */

static const char *const sort_names[USER_SORT_COUNT] = {
    [USER_SORT_NAME] = "Name",
    [USER_SORT_ORG_IDS] = "Organisation ID(s)",
    [USER_SORT_ORGS] = "Organisation(s)",
    [USER_SORT_PARENTS] = "Parent Organisation(s)",
    [USER_SORT_DATE] = "Date Added",
    [USER_SORT_STATUS] = "Status",
};
static const char *const field_names[USER_SEARCH_COUNT] = {
    [USER_SEARCH_NAME] = "Name",
    [USER_SEARCH_LOGIN] = "User ID",
    [USER_SEARCH_EMAIL] = "Email",
    [USER_SEARCH_ORG] = "Organisation",
};

/* The first enabled user (by login) holding System Administrator or
 * Advanced User Administrator, with no cluster, at $2 or more
 * organisations of depth $1 (1 a region, 3 a CCG) and, with $3, no other
 * grant: the seed's logins follow its numbers, so the operators are found
 * by what they hold, not named. */
static const char find_operator[] =
    "WITH RECURSIVE t (id, depth) AS (SELECT id, 0 FROM organisations "
    "WHERE parent_id IS NULL UNION ALL SELECT o.id, t.depth + 1 FROM "
    "organisations o JOIN t ON o.parent_id = t.id), a AS (SELECT g.user_id "
    "FROM grants g JOIN t ON t.id = g.org_id WHERE t.depth = $1::int AND "
    "EXISTS (SELECT FROM grant_roles gr JOIN roles r ON r.id = gr.role_id "
    "WHERE gr.grant_id = g.id AND r.name IN ('System Administrator', "
    "'Advanced User Administrator')) AND NOT EXISTS (SELECT FROM "
    "grant_clusters c WHERE c.grant_id = g.id)) SELECT u.login FROM users "
    "u JOIN a ON a.user_id = u.id WHERE u.enabled GROUP BY u.id HAVING "
    "count(*) >= $2::int AND (NOT $3::boolean OR count(*) = (SELECT "
    "count(*) FROM grants g WHERE g.user_id = u.id)) ORDER BY u.login "
    "LIMIT 1";

struct tested_op {
	const char *kind;
	const char *depth, *at_least, *alone; /* find_operator's parameters */
	bool everything, narrow;              /* the reach expected */
	char login[65];
};

#define N_SEARCHES 10
struct search {
	enum store_user_search by;
	char text[96];
};

static struct store *s;

/* The first line of plan that reads all of users or grants ("Seq Scan on
 * users u", "Parallel Seq Scan on grants"), or NULL; *len gets its length.
 * The table's name must end there: "users_x" would be another. */
static const char *seq_scan(const char *plan, int *len)
{
	static const char *const scans[] = {"Seq Scan on users",
	                                    "Seq Scan on grants"};
	for (const char *line = plan; *line;) {
		const char *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		for (int i = 0; i < 2; i++) {
			const char *at = strstr(line, scans[i]);
			size_t n = strlen(scans[i]);
			if (at && at < end && (at[n] == ' ' || at + n == end)) {
				*len = (int)(end - line);
				return line;
			}
		}
		line = *end ? end + 1 : end;
	}
	return NULL;
}

/* The plan as diagnostics, a line each, each cut at 200 characters: the
 * reach's array of organisation ids fills kilobytes of a Filter line. */
static void diag_plan(const char *plan)
{
	for (const char *line = plan; *line;) {
		const char *end = strchr(line, '\n');
		int n = end ? (int)(end - line) : (int)strlen(line);
		diag("  %.*s%s", n < 200 ? n : 200, line, n < 200 ? "" : "...");
		line += n + (end != NULL);
	}
}

/* One shape's TAP line: its plan (a page after `after`, or the count) has
 * no sequential scan of users or grants, unless may_scan (a shape that
 * reads them all anyway). */
static void plan_is_right(const struct pg_list_session *ls,
                          const struct store_user_query *q,
                          const struct store_user_row *after, bool count,
                          bool may_scan, const char *name)
{
	static char plan[64 * 1024];
	struct store_error err = {0};
	if (!store_users_explain(s, &ls->reach, ls->login, q, after, PAGE,
	                         count, plan, sizeof plan, &err)) {
		ok(false, "%s: EXPLAIN", name);
		diag("%s", err.message);
		return;
	}
	int len = 0;
	const char *bad = may_scan ? NULL : seq_scan(plan, &len);
	if (!ok(!bad, "%s", name)) {
		for (; *bad == ' ' && len > 0; len--)
			bad++;
		diag("sequential scan: %.*s", len, bad);
		diag_plan(plan);
	}
}

/* "search Name \"smi\"", or "no search". */
static void search_name(const struct store_user_query *q, char *buf, size_t len)
{
	if (q->search)
		snprintf(buf, len, "search %s \"%s\"",
		         field_names[q->search_by], q->search);
	else
		snprintf(buf, len, "no search");
}

/* Every page shape of one search (every sort, both ways, the first page
 * and the next, after the first page's last row), and its count. */
static void shapes_of(const struct tested_op *o,
                      const struct pg_list_session *ls, const struct search *sr)
{
	static struct store_user_row rows[PAGE];
	struct store_user_query q = {0, false, sr ? sr->by : USER_SEARCH_NAME,
	                             sr ? sr->text : NULL};
	char what[160], name[400];
	search_name(&q, what, sizeof what);
	snprintf(name, sizeof name, "%s (%s): count, %s", o->login, o->kind,
	         what);
	/* The root's count of everyone reads every user, and the count of
	 * an operator who is not narrow (a fifth of the organisations or
	 * more) without a search reads that share of the grants whatever
	 * the plan: a sequential scan is the cheapest way to, and right. A
	 * narrow operator's count reads only the visible organisations'
	 * grants (an index-only scan of grants_org_users, 010). */
	plan_is_right(ls, &q, NULL, true, !ls->reach.narrow && !sr, name);
	for (int so = 0; so < USER_SORT_COUNT; so++)
		for (int d = 0; d < 2; d++) {
			q.sort = (enum store_user_sort)so;
			q.descending = d;
			const char *dir = d ? "desc" : "asc";
			snprintf(name, sizeof name,
			         "%s (%s): page, sort %s %s, first page, %s",
			         o->login, o->kind, sort_names[so], dir, what);
			plan_is_right(ls, &q, NULL, false, false, name);
			struct store_error err = {0};
			int got = 0;
			if (!store_users_page(s, ls->w, &ls->ids, ls->op,
			                      &ls->reach, &q, NULL, PAGE, rows,
			                      &got, &err))
				diag("store_users_page: %s", err.message);
			snprintf(name, sizeof name,
			         "%s (%s): page, sort %s %s, next page, %s",
			         o->login, o->kind, sort_names[so], dir, what);
			if (got == 0) {
				ok(false, "%s: a first page to follow", name);
				continue;
			}
			plan_is_right(ls, &q, &rows[got - 1], false, false,
			              name);
		}
}

/* The report's plan for one search (or none): the whole country's report
 * (the root's, no search) is one index-only scan of grants_report in its
 * order, no sort (017_report_rows.sql); the others have no sequential scan
 * of users or grants but a report without a search of those who see most
 * of the country, which reads most grants anyway. */
static void report_plan(const struct tested_op *o,
                        const struct pg_list_session *ls,
                        const struct search *sr)
{
	static char plan[64 * 1024];
	struct store_user_query q = {USER_SORT_NAME, false,
	                             sr ? sr->by : USER_SEARCH_NAME,
	                             sr ? sr->text : NULL};
	char what[160];
	search_name(&q, what, sizeof what);
	struct store_error err = {0};
	if (!store_report_explain(s, ls->login, &q, plan, sizeof plan, &err)) {
		ok(false, "%s (%s): report, %s: EXPLAIN", o->login, o->kind,
		   what);
		diag("%s", err.message);
		return;
	}
	int len = 0;
	const char *bad = NULL;
	bool right;
	if (ls->reach.everything && !sr)
		right = strstr(plan, "Index Only Scan using grants_report ") &&
		        !strstr(plan, "Sort");
	else
		right =
		    (!ls->reach.narrow && !sr) || !(bad = seq_scan(plan, &len));
	if (!ok(right, "%s (%s): report, %s", o->login, o->kind, what)) {
		if (bad)
			diag("sequential scan: %.*s", len, bad);
		diag_plan(plan);
	}
}

static bool ascii_word(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= 'a' && p[i] <= 'z')))
			return false;
	return true;
}

/* The searches, from a user the operator lists (so that each finds a
 * first page to follow): by name one word short (under three characters:
 * the walk of the sort's index) and long (three or more: the matches
 * first), "Last, First" and "First Last"; by User ID, Email and
 * Organisation short and long. Out of the first page by name, the first
 * user with a plain ASCII name (a prefix never cuts a character) and a
 * visible grant. */
static bool searches_of(const struct pg_list_session *ls, PGconn *raw,
                        struct search out[N_SEARCHES])
{
	static struct store_user_row rows[PAGE];
	struct store_user_query q = {USER_SORT_NAME, false, 0, NULL};
	struct store_error err = {0};
	int got = 0;
	if (!store_users_page(s, ls->w, &ls->ids, ls->op, &ls->reach, &q, NULL,
	                      PAGE, rows, &got, &err)) {
		diag("store_users_page: %s", err.message);
		return false;
	}
	for (int i = 0; i < got; i++) {
		const struct store_user_row *r = &rows[i];
		const char *comma = strstr(r->name, ", ");
		size_t last = comma ? (size_t)(comma - r->name) : 0;
		const char *first = comma ? comma + 2 : "";
		size_t code = strcspn(r->org_ids, ",");
		if (last < 3 || !ascii_word(r->name, last) || !*first ||
		    !ascii_word(first, strlen(first)) || code < 3)
			continue;
		char email[128], id[24];
		snprintf(id, sizeof id, "%lld", r->id);
		const char *p[] = {id};
		pg_value(raw, email, sizeof email,
		         "SELECT email FROM users WHERE id = $1::bigint", 1, p);
		const struct search made[N_SEARCHES] = {
		    {USER_SEARCH_NAME, ""},  {USER_SEARCH_NAME, ""},
		    {USER_SEARCH_NAME, ""},  {USER_SEARCH_NAME, ""},
		    {USER_SEARCH_LOGIN, ""}, {USER_SEARCH_LOGIN, ""},
		    {USER_SEARCH_EMAIL, ""}, {USER_SEARCH_EMAIL, ""},
		    {USER_SEARCH_ORG, ""},   {USER_SEARCH_ORG, ""},
		};
		memcpy(out, made, sizeof made);
		int n = (int)last;
		snprintf(out[0].text, sizeof out[0].text, "%.2s", r->name);
		snprintf(out[1].text, sizeof out[1].text, "%.3s", r->name);
		snprintf(out[2].text, sizeof out[2].text, "%.*s, %.1s", n,
		         r->name, first);
		snprintf(out[3].text, sizeof out[3].text, "%s %.*s", first, n,
		         r->name);
		snprintf(out[4].text, sizeof out[4].text, "%.2s", r->login);
		snprintf(out[5].text, sizeof out[5].text, "%.4s", r->login);
		snprintf(out[6].text, sizeof out[6].text, "%.2s", email);
		snprintf(out[7].text, sizeof out[7].text, "%.4s", email);
		snprintf(out[8].text, sizeof out[8].text, "%.2s", r->org_ids);
		snprintf(out[9].text, sizeof out[9].text, "%.*s", (int)code,
		         r->org_ids);
		return true;
	}
	diag("no user with a plain name and a grant on the first page");
	return false;
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The NHS hierarchy, 50,000 users over it, and the statistics. */
static void build(const char *csv, PGconn *raw)
{
	struct store_error err = {0};
	struct ods_counts oc;
	if (!bulk_import_ods(s, csv, &oc, &err))
		bail("bulk_import_ods", err.message);
	bulk_ods_counts_free(&oc);
	struct seed_options so = {N_USERS, SEED, NULL};
	struct seed_counts sc;
	if (!bulk_seed(s, &so, &sc, &err))
		bail("bulk_seed", err.message);
	if (!pg_run(raw, "VACUUM ANALYZE"))
		bail("VACUUM ANALYZE", NULL);
}

int main(void)
{
	if (getenv("PLANS_SKIP")) {
		printf("1..0 # SKIP %s\n", getenv("PLANS_SKIP"));
		return 0;
	}
	const char *csv = getenv("ODS_CSV");
	pg_test_start();
	if (!csv)
		bail("ODS_CSV is not set", NULL);
	double t0 = seconds();
	const struct pg_test_db *db = pg_test_create("ad_plans", NULL);
	s = pg_test_connect(db->conninfo);
	pg_test_migrate(s);
	PGconn *raw = pg_test_raw(db->conninfo);
	build(csv, raw);
	double t1 = seconds();

	struct tested_op ops[] = {
	    {"the root's System Administrator", NULL, NULL, NULL, true, false,
	     "admin"},
	    {"two regions' administrator", "1", "2", "false", false, false, ""},
	    {"a region's administrator", "1", "1", "true", false, true, ""},
	    {"a CCG's administrator", "3", "1", "true", false, true, ""},
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		struct tested_op *o = &ops[i];
		if (o->depth) {
			const char *p[] = {o->depth, o->at_least, o->alone};
			pg_value(raw, o->login, sizeof o->login, find_operator,
			         3, p);
		}
		struct pg_list_session ls;
		pg_list_open(s, o->login, &ls);
		struct search sr[N_SEARCHES];
		bool have = searches_of(&ls, raw, sr);
		/* the kind of reach the operator stands for, else the
		 * shapes below are not those named */
		ok(have && ls.reach.everything == o->everything &&
		       ls.reach.narrow == o->narrow,
		   "%s is %s: reach %s, searches from a user listed", o->login,
		   o->kind,
		   o->everything ? "everything"
		                 : (o->narrow ? "narrow" : "not narrow"));
		shapes_of(o, &ls, NULL);
		report_plan(o, &ls, NULL);
		for (int k = 0; have && k < N_SEARCHES; k++) {
			shapes_of(o, &ls, &sr[k]);
			report_plan(o, &ls, &sr[k]);
		}
		pg_list_close(&ls);
	}
	diag("built in %.1f s, plans in %.1f s", t1 - t0, seconds() - t1);
	PQfinish(raw);
	store_disconnect(s);
	return pg_test_done(n_tests, n_failed);
}
