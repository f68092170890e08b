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

/* A narrow operator's list without a search has statements of its own
 * (each visible organisation's grants in the sort's order, merged:
 * 015_list_scale.sql): on every sort of a user's own column, both ways,
 * paged 2 at a time, it lists what the walk over every user lists, and
 * counts as many. */
static void narrow_is_walk(struct store *s, struct pg_list_session *ls)
{
	static const enum store_user_sort sorts[] = {
	    USER_SORT_NAME, USER_SORT_DATE, USER_SORT_STATUS};
	for (int i = 0; i < 3; i++)
		for (int d = 0; d < 2; d++) {
			struct store_user_query q = {sorts[i], d, 0, NULL};
			char merged[2048], walked[2048];
			ls->reach.narrow = true;
			bool a = listed_by(s, ls, q, merged, sizeof merged);
			ls->reach.narrow = false;
			bool b = listed_by(s, ls, q, walked, sizeof walked);
			ok(a && b && merged[0] && strcmp(merged, walked) == 0,
			   "%s, sort %d %s: merged \"%s\", walked \"%s\"",
			   ls->login, (int)sorts[i], d ? "desc" : "asc", merged,
			   walked);
		}
	ls->reach.narrow = true;
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
	pg_list_close(&root);
	pg_list_close(&narrow);

	store_disconnect(s);
	return pg_test_done(n_tests, n_failed);
}
