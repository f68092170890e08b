/* test_user_search.c: the Users list's searches against a real PostgreSQL
 * server (TAP; screens.md "1 Users"): a name search matches "Alloway",
 * "Alloway, Kenneth", "Kenneth Alloway" and "ken" (each form a statement
 * of its own), an Organisation search matches a code or a name, and the
 * count agrees with the pages, for an operator who sees everything
 * (mch112) and one who does not (gba204).
 *
 * Runs against the server of the PG* environment: creates ad_search_PID,
 * migrates it, loads $POLICY_DIR/good/cqrs-seed.conf and a few users of its
 * own, and drops it at the end. Skips (1..0) when no PostgreSQL is
 * configured and none answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

/* The logins the search lists, in the list's order (by name), paged 2 at a
 * time (so the cursor's fragment joins each shape), space-separated; and
 * whether the count agrees. */
static bool listed_by(struct store *s, struct pg_list_session *ls,
                      struct store_user_query q, char *out, size_t len)
{
	const char *search = q.search ? q.search : "";
	struct store_user_row rows[2], last;
	struct store_error err = {0};
	long total = 0;
	int got;
	out[0] = '\0';
	do {
		if (!store_users_page(s, ls->w, &ls->ids, ls->op, &ls->reach,
		                      &q, total ? &last : NULL, 2, rows, &got,
		                      &err)) {
			diag("store_users_page: %s", err.message);
			snprintf(out, len, "(error)");
			return false;
		}
		for (int i = 0; i < got; i++)
			snprintf(out + strlen(out), len - strlen(out), "%s%s",
			         out[0] ? " " : "", rows[i].login);
		if (got)
			last = rows[got - 1];
		total += got;
	} while (got == 2);
	long n = store_users_count(s, &ls->reach, ls->login, &q, &err);
	if (n != total)
		diag("%s: counted %ld, listed %ld (%s)", search, n, total,
		     err.message);
	return n == total;
}

static bool listed(struct store *s, struct pg_list_session *ls,
                   enum store_user_search by, const char *search, char *out,
                   size_t len)
{
	struct store_user_query q = {USER_SORT_NAME, false, by, search};
	return listed_by(s, ls, q, out, len);
}

/* The words of a listing, sorted, into out (to compare as sets). */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
static void as_set(const char *listing, char *out, size_t len)
{
	char buf[2048], *words[256], *save = NULL;
	int n = 0;
	snprintf(buf, sizeof buf, "%s", listing);
	for (char *w = strtok_r(buf, " ", &save); w && n < 256;
	     w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	qsort(words, (size_t)n, sizeof *words, cmp_str);
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
		         i ? " " : "", words[i]);
}

/* A narrow operator's list, unsearched or searched (by name, User ID or
 * email), has statements
 * of its own (each visible organisation's grants in the sort's order,
 * merged: 015_list_scale.sql), as has anyone's Organisation search (the
 * matching organisations' grants): on every sort of a user's own column,
 * both ways, paged 2 at a time, the narrow operator's lists what the walk
 * over every user lists, and counts as many; an Organisation search lists
 * the users that the same search sorted on an organisation column (which
 * is no walk) lists. */
static void narrow_is_walk(struct store *s, struct pg_list_session *ls)
{
	static const enum store_user_sort sorts[] = {
	    USER_SORT_NAME, USER_SORT_DATE, USER_SORT_STATUS};
	static const struct {
		enum store_user_search by;
		const char *text;
	} searches[] = {{USER_SEARCH_NAME, NULL},
	                {USER_SEARCH_NAME, "ken"},
	                {USER_SEARCH_NAME, "a"},
	                {USER_SEARCH_NAME, "Alloway, K"},
	                {USER_SEARCH_NAME, "Kenneth Allo"},
	                {USER_SEARCH_LOGIN, "k"},
	                {USER_SEARCH_LOGIN, "kal7"},
	                {USER_SEARCH_EMAIL, "a"},
	                {USER_SEARCH_EMAIL, "b@nhs"},
	                {USER_SEARCH_ORG, "lat"},
	                {USER_SEARCH_ORG, "latorg0"}};
	bool narrow = ls->reach.narrow;
	for (size_t f = 0; f < sizeof searches / sizeof *searches; f++)
		for (int i = 0; i < 3; i++) {
			/* who sees everything walks for an Organisation
			 * search only */
			if (ls->reach.everything &&
			    searches[f].by != USER_SEARCH_ORG)
				break;
			for (int d = 0; d < 2; d++) {
				struct store_user_query q = {sorts[i], d,
				                             searches[f].by,
				                             searches[f].text};
				bool org = q.search_by == USER_SEARCH_ORG;
				char merged[2048], walked[2048];
				ls->reach.narrow = true;
				bool a =
				    listed_by(s, ls, q, merged, sizeof merged);
				ls->reach.narrow = false;
				if (org)
					q.sort = USER_SORT_ORG_IDS;
				bool b =
				    listed_by(s, ls, q, walked, sizeof walked);
				if (org) {
					char x[2048];
					as_set(merged, x, sizeof x);
					strcpy(merged, x);
					as_set(walked, x, sizeof x);
					strcpy(walked, x);
				}
				ok(a && b && strcmp(merged, walked) == 0 &&
				       (merged[0] || q.search),
				   "%s, \"%s\", sort %d %s: merged \"%s\", "
				   "walked \"%s\"",
				   ls->login,
				   searches[f].text ? searches[f].text : "",
				   (int)sorts[i], d ? "desc" : "asc", merged,
				   walked);
			}
		}
	ls->reach.narrow = narrow;
}

/* Every grant's copies of its user's keys (015, 016) equal the user's,
 * after the user is renamed, a writer puts other values in a grant, and a
 * grant is added: the walks' statements read only the copies. */
static void keys_follow(const char *conninfo)
{
	static const char stale[] =
	    "SELECT count(*) FROM grants g JOIN users u ON u.id = g.user_id "
	    "WHERE (g.u_last, g.u_first, g.u_created, g.u_enabled, g.u_login, "
	    "g.u_email) IS DISTINCT FROM (u.last_name, u.first_name, "
	    "u.created_at, u.enabled, u.login, u.email) AND $1 <> ''";
	PGconn *raw = pg_test_raw(conninfo);
	bool renamed = pg_run(
	    raw, "UPDATE users SET last_name = 'Renamed', first_name = "
	         "'Kenny', email = 'renamed@nhs.uk', enabled = NOT enabled, "
	         "created_at = created_at - interval '1 day' WHERE login = "
	         "'kal738'");
	bool written =
	    pg_run(raw, "UPDATE grants SET u_last = 'Other', "
	                "u_email = 'x@y.z', u_login = 'zzz' WHERE "
	                "user_id = (SELECT id FROM users WHERE login "
	                "= 'gba204')");
	bool added = pg_run(
	    raw, "WITH k AS (SELECT g.org_id, gr.role_id FROM grants g JOIN "
	         "grant_roles gr ON gr.grant_id = g.id JOIN users u ON u.id = "
	         "g.user_id WHERE u.login = 'kal738' LIMIT 1), n AS (INSERT "
	         "INTO grants (user_id, org_id) SELECT u.id, k.org_id FROM "
	         "users u, k WHERE u.login = 'ken001' RETURNING id) INSERT "
	         "INTO grant_roles (grant_id, role_id, position) SELECT n.id, "
	         "k.role_id, 1 FROM n, k");
	ok(renamed && written && added && pg_is(raw, "0", stale, "x") &&
	       pg_is(raw, "renamed@nhs.uk",
	             "SELECT min(u_email) FROM grants WHERE u_login = $1",
	             "kal738"),
	   "every grant's copies of its user's keys are the user's, after a "
	   "rename, another writer's values and a new grant");
	PQfinish(raw);
}

/* A search that lists exactly `want`, and counts as many. */
static void search_is(struct store *s, struct pg_list_session *ls,
                      enum store_user_search by, const char *search,
                      const char *want)
{
	char got[1024];
	bool counted = listed(s, ls, by, search, got, sizeof got);
	ok(counted && strcmp(got, want) == 0,
	   "%s, search by %s \"%s\": \"%s\" (got \"%s\"), counted alike",
	   ls->login, by == USER_SEARCH_ORG ? "Organisation" : "Name", search,
	   want, got);
}

int main(void)
{
	pg_test_start();
	const struct pg_test_db *db = pg_test_create("ad_search", NULL);
	struct store *s = pg_test_connect(db->conninfo);
	pg_test_migrate(s);
	if (!pg_test_load(s, "good/cqrs-seed.conf"))
		bail("cannot load the seed", NULL);
	/* users of the test's own, with no grant (mch112 sees them) */
	PGconn *raw = pg_test_raw(db->conninfo);
	PGresult *r = PQexec(
	    raw, "INSERT INTO users (login, first_name, last_name, email, "
	         "work_phone) VALUES "
	         "('ken001', 'Alice', 'Kenworthy', 'a@nhs.uk', '0100'), "
	         "('ken002', 'Ken', 'Smith', 'b@nhs.uk', '0100'), "
	         "('ken003', 'Kenneth', 'Allen', 'c@nhs.uk', '0100'), "
	         "('vdy001', 'Jan', 'Van Dyke', 'd@nhs.uk', '0100'), "
	         "('pct001', 'Per%', 'Cent_', 'e@nhs.uk', '0100')");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		bail("insert users", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(raw);

	struct pg_list_session root, narrow;
	pg_list_open(s, "mch112", &root);
	pg_list_open(s, "gba204", &narrow);
	const enum store_user_search name = USER_SEARCH_NAME;
	search_is(s, &root, name, "Alloway", "kal738");
	search_is(s, &root, name, "Alloway, Kenneth", "kal738");
	search_is(s, &root, name, "alloway,kenneth", "kal738");
	search_is(s, &root, name, "ALLOWAY, KEN", "kal738");
	search_is(s, &root, name, "Alloway, ", "kal738");
	search_is(s, &root, name, "Kenneth Alloway", "kal738");
	search_is(s, &root, name, "  kenneth   allo ", "kal738");
	search_is(s, &root, name, "Kenneth Allen", "ken003");
	search_is(s, &root, name, "Allen, Kenneth", "ken003");
	search_is(s, &root, name, "ken", "ken003 kal738 ken001 ken002");
	search_is(s, &root, name, "Van Dyke", "vdy001");
	search_is(s, &root, name, "Van Dyke, J", "vdy001");
	search_is(s, &root, name, "Smith, Kenneth", "");
	search_is(s, &root, name, "Cent_, Per%", "pct001");
	search_is(s, &root, name, "Centx, Per", "");
	search_is(s, &narrow, name, "Alloway, Kenneth", "kal738");
	search_is(s, &narrow, name, "Kenneth Alloway", "kal738");
	search_is(s, &narrow, name, "Kenneth Allen", "");
	const enum store_user_search org = USER_SEARCH_ORG;
	search_is(s, &root, org, "lat04", "kal738 gba204 mch112");
	search_is(s, &root, org, "LatOrg04", "kal738 gba204 mch112");
	search_is(s, &narrow, org, "latorg04", "kal738 gba204 mch112");
	narrow_is_walk(s, &narrow);
	narrow_is_walk(s, &root);
	keys_follow(db->conninfo);
	pg_list_close(&root);
	pg_list_close(&narrow);

	store_disconnect(s);
	return pg_test_done(n_tests, n_failed);
}
