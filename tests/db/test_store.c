#define _GNU_SOURCE /* strcasestr */
/* test_store.c: the C store against a real PostgreSQL server (TAP).
 *
 * Runs against the server of the PG* environment (the suite runs inside
 * pg_virtualenv). Creates its own database ad_store_PID, migrates it, loads
 * $POLICY_DIR/good/cqrs-seed.conf and tests/db/store-fixture.conf (found
 * next to this file's source, via $POLICY_DIR/../db) with cli_db_load, then
 * exercises store_user_read, store_user_save (section 5 of access-model.md:
 * stale forms, two connections, two processes at once, escalation, the
 * operator's own grants, lock-out, creation), hostile values, the length
 * limit, the registration queue and its NOTIFY, and a lost connection.
 * The database is dropped at the end. Skips (1..0) when no PostgreSQL is
 * configured and none answers.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

static const char *conninfo; /* of the test database */
static PGconn *raw;          /* to the test database: checks by plain SQL */

/* ---- plain SQL ---------------------------------------------------------- */

/* The first column of the first row as a new string ("" for NULL), or NULL
 * on an error or no row. */
static char *sql1(const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(raw, sql, n, NULL, params, NULL, NULL, 0);
	char *v = NULL;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
		v = strdup(PQgetvalue(r, 0, 0));
	else if (PQresultStatus(r) != PGRES_TUPLES_OK)
		diag("sql: %s", PQresultErrorMessage(r));
	PQclear(r);
	return v;
}

/* Does the query's single value equal want? */
static bool sql_is(const char *want, const char *sql, int n,
                   const char *const *params)
{
	char *v = sql1(sql, n, params);
	bool same = v && strcmp(v, want) == 0;
	if (!same)
		diag("query gave \"%s\", expected \"%s\"", v ? v : "(none)",
		     want);
	free(v);
	return same;
}

static long count_of(const char *sql)
{
	char *v = sql1(sql, 0, NULL);
	long n = v ? strtol(v, NULL, 10) : -1;
	free(v);
	return n;
}

/* Everything a save may touch, as one digest: a refused save must leave it
 * as it was. */
static char *fingerprint(void)
{
	return sql1(
	    "SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM ("
	    "SELECT 'u ' || t::text AS x FROM users t "
	    "UNION ALL SELECT 'g ' || t::text FROM grants t "
	    "UNION ALL SELECT 'gr ' || t::text FROM grant_roles t "
	    "UNION ALL SELECT 'gp ' || t::text FROM grant_payment_types t "
	    "UNION ALL SELECT 'gc ' || t::text FROM grant_clusters t "
	    "UNION ALL SELECT 'pr ' || t::text FROM profile_roles t "
	    "UNION ALL SELECT 'sr ' || t::text FROM site_restrictions t "
	    "UNION ALL SELECT 'rs ' || t::text FROM restricted_studies t "
	    "UNION ALL SELECT 're ' || t::text FROM registration_emails t "
	    "UNION ALL SELECT 'a ' || t::text FROM audit t) s",
	    0, NULL);
}

static bool same_fingerprint(const char *before)
{
	char *after = fingerprint();
	bool same = before && after && strcmp(before, after) == 0;
	if (!same)
		diag("the database changed");
	free(after);
	return same;
}

/* ---- forms -------------------------------------------------------------- */

/* Saves f as operator; on failure err says why. */
static bool save(struct store *s, const char *operator_login,
                 const struct store_user_form *f, struct store_error *err)
{
	long long id = 0;
	*err = (struct store_error){0};
	return store_user_save(s, operator_login, f, &id, err);
}

static int user_version(const char *login)
{
	const char *p[] = {login};
	char *v = sql1("SELECT version FROM users WHERE login = $1", 1, p);
	int n = v ? atoi(v) : -1;
	free(v);
	return n;
}

/* ---- the tests ---------------------------------------------------------- */

/* Runs plain SQL that returns nothing; false (with a diagnostic) on error. */
static bool sql_run(const char *sql)
{
	PGresult *r = PQexec(raw, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	          PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		diag("sql: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

/* Issue 7, item 3: lists are as long as the data. A user with 100 grants,
 * 200 site restrictions and 200 restricted studies keeps every one of them
 * after a contact change (with fixed lists of 64 the save kept 64 and said
 * it had saved), and the audit record names every organisation touched. */
static void test_long_lists(struct store *s)
{
	bool made =
	    sql_run("INSERT INTO organisations (code, name, parent_id) "
	            "SELECT 'big', 'Big Trust', id FROM organisations WHERE "
	            "code = 'nhs'") &&
	    sql_run("INSERT INTO organisations (code, name, parent_id, "
	            "is_site) SELECT 'bs' || lpad(n::text, 3, '0'), 'Big "
	            "site ' || n, (SELECT id FROM organisations WHERE code = "
	            "'big'), true FROM generate_series(1, 200) n") &&
	    sql_run("INSERT INTO studies (code, name, site_id) SELECT 'bst' "
	            "|| substr(o.code, 3), 'Big study ' || o.code, o.id FROM "
	            "organisations o WHERE o.code LIKE 'bs%'") &&
	    sql_run("INSERT INTO users (login, first_name, last_name, email, "
	            "work_phone) VALUES ('lng001', 'Lena', 'Long', "
	            "'Lena.Long@nhs.uk', '0315840100')") &&
	    sql_run("BEGIN; INSERT INTO grants (user_id, org_id) SELECT u.id, "
	            "o.id "
	            "FROM users u, organisations o WHERE u.login = 'lng001' "
	            "AND o.code BETWEEN 'bs001' AND 'bs100' ORDER BY o.code") &&
	    sql_run("INSERT INTO grant_roles (grant_id, role_id, position) "
	            "SELECT g.id, r.id, 0 FROM grants g JOIN users u ON u.id = "
	            "g.user_id, roles r WHERE u.login = 'lng001' AND r.name = "
	            "'View'; COMMIT") &&
	    sql_run("INSERT INTO profile_roles (user_id, role_id, position) "
	            "SELECT u.id, r.id, 0 FROM users u, roles r WHERE u.login "
	            "= 'lng001' AND r.name = 'Investigator'") &&
	    sql_run("INSERT INTO site_restrictions (user_id, site_id, "
	            "recruitment_only, position) SELECT u.id, o.id, "
	            "o.code > 'bs150', row_number() OVER (ORDER BY o.code) "
	            "FROM users u, organisations o WHERE u.login = 'lng001' "
	            "AND o.code LIKE 'bs%'") &&
	    sql_run("INSERT INTO restricted_studies (user_id, study_id, "
	            "position) SELECT u.id, st.id, row_number() OVER (ORDER "
	            "BY st.code) FROM users u, studies st WHERE u.login = "
	            "'lng001' AND st.code LIKE 'bst%'");
	if (!ok(made, "a user with 100 grants, 200 site restrictions and 200 "
	              "restricted studies is made"))
		return;
	struct store_user_form f;
	if (!pg_user_read(s, "lng001", &f))
		return;
	ok(f.n_grants == 100 && f.n_sites == 200 && f.n_studies == 200 &&
	       f.sites[199].recruitment_only && !f.sites[0].recruitment_only,
	   "the form reads all 100 grants, 200 sites and 200 studies "
	   "(got %d, %d, %d)",
	   f.n_grants, f.n_sites, f.n_studies);
	pg_set_str(&f.work_phone, "0315840199");
	struct store_error err;
	bool saved = save(s, "mch112", &f, &err);
	if (err.message[0])
		diag("%s", err.message);
	ok(saved, "mch112 changes lng001's work phone");
	store_user_form_free(&f);
	ok(count_of("SELECT count(*) FROM grants g JOIN users u ON u.id = "
	            "g.user_id WHERE u.login = 'lng001'") == 100 &&
	       count_of("SELECT count(*) FROM site_restrictions s JOIN users "
	                "u ON u.id = s.user_id WHERE u.login = 'lng001' AND "
	                "s.recruitment_only = (s.site_id IN (SELECT id FROM "
	                "organisations WHERE code > 'bs150'))") == 200 &&
	       count_of("SELECT count(*) FROM restricted_studies s JOIN users "
	                "u ON u.id = s.user_id WHERE u.login = 'lng001'") ==
	           200 &&
	       sql_is("0315840199",
	              "SELECT work_phone FROM users WHERE login = 'lng001'", 0,
	              NULL),
	   "after the save lng001 still has 100 grants, 200 site "
	   "restrictions (recruitment flags kept) and 200 restricted studies");
	ok(sql_is("100",
	          "SELECT cardinality(org_ids) FROM audit WHERE target_kind = "
	          "'user' AND target = 'lng001' ORDER BY id DESC LIMIT 1",
	          0, NULL) &&
	       sql_is("0",
	              "SELECT count(*) FROM grants g JOIN users u ON u.id = "
	              "g.user_id WHERE u.login = 'lng001' AND NOT EXISTS "
	              "(SELECT 1 FROM (SELECT org_ids FROM audit WHERE target "
	              "= 'lng001' ORDER BY id DESC LIMIT 1) a WHERE g.org_id = "
	              "ANY(a.org_ids))",
	              0, NULL),
	   "the audit record of the save names every one of the 100 "
	   "organisations of lng001's grants");
}

/* Issue 7, item 1: conflicts and refusals carry SQLSTATEs of the
 * project's own class (AD), not PostgreSQL's 40001 and 42501. */
static void test_own_sqlstates(struct store *s)
{
	ok(strncmp(STORE_CONFLICT, "AD", 2) == 0 &&
	       strncmp(STORE_REFUSED, "AD", 2) == 0 &&
	       strncmp(STORE_INVALID, "AD", 2) == 0 &&
	       strncmp(STORE_BUSY, "AD", 2) == 0 &&
	       strcmp(STORE_CONFLICT, STORE_REFUSED) != 0,
	   "the store's conflict, refusal, invalid and busy codes are of "
	   "class AD and distinct");
	struct store_user_form f;
	if (!pg_user_read(s, "tgt001", &f))
		return;
	pg_set_str(&f.work_phone, "0315849999");
	struct store_error err;
	bool saved = save(s, "ua0001", &f, &err);
	ok(saved, "ua0001 changes tgt001's phone");
	/* the same form again: stale */
	pg_set_str(&f.work_phone, "0315849998");
	saved = save(s, "ua0001", &f, &err);
	ok(!saved && strcmp(err.sqlstate, STORE_CONFLICT) == 0 &&
	       has(err.message, "changed by ua0001"),
	   "a stale form gets STORE_CONFLICT (%s) naming who changed it",
	   err.sqlstate);
	store_user_form_free(&f);
	if (!pg_user_read(s, "mch112", &f))
		return;
	f.enabled = false;
	saved = save(s, "ua0001", &f, &err);
	ok(!saved && strcmp(err.sqlstate, STORE_REFUSED) == 0 &&
	       has(err.message, "not allowed"),
	   "a refusal gets STORE_REFUSED (%s) and the engine's words",
	   err.sqlstate);
	store_user_form_free(&f);
}

/* Issue 7, item 5: a refusal from the store never names the organisation
 * of a grant the operator may not see (the console's own refusals count
 * them; the store's, given when the operator's access changed after the
 * form opened, or from the command line, the same way). */
static void test_refusal_hides_grants(struct store *s)
{
	struct store_user_form f;
	if (!pg_user_read(s, "mch112", &f))
		return;
	pg_set_str(&f.work_phone, "0315840888");
	struct store_error err;
	bool saved = save(s, "aua001", &f, &err);
	ok(!saved && strcmp(err.sqlstate, STORE_REFUSED) == 0 &&
	       has(err.message, "grants not shown") &&
	       !strstr(err.message, "over nhs") &&
	       !strstr(err.message, "over lat05"),
	   "aua001 may not change mch112's phone, and the refusal counts "
	   "mch112's grants aua001 cannot see instead of naming them (%s)",
	   err.message);
	store_user_form_free(&f);
}

/* Issue 7, item 1: one grant set and revoked on its own (the command
 * line's path): the same decisions, the audit names the grant's
 * organisation only, nothing written when nothing differs. */
static void test_grant_save(struct store *s)
{
	struct store_grant_form g = {0};
	snprintf(g.org, sizeof g.org, "%s", "lat04");
	store_names_add(&g.roles, &g.n_roles, "View");
	g.payments = ENGINE_PAY(PAY_QOF);
	struct store_error err = {0};
	bool changed = false;
	char *before = fingerprint();
	bool saved = store_grant_save(s, "ua0001", "pno100", "lat04", &g,
	                              &changed, &err);
	ok(!saved && strcmp(err.sqlstate, STORE_REFUSED) == 0 &&
	       same_fingerprint(before),
	   "ua0001 (User Administrator at lat04) may not give pno100 (of "
	   "cgc04) a grant: refused, nothing written");
	free(before);
	saved = store_grant_save(s, "mch112", "pno100", "lat04", &g, &changed,
	                         &err);
	if (!saved)
		diag("%s", err.message);
	ok(saved && changed &&
	       sql_is("{lat04}",
	              "SELECT array_agg(o.code) FROM audit a, "
	              "unnest(a.org_ids) x JOIN organisations o ON o.id = x "
	              "WHERE a.id = (SELECT max(id) FROM audit) AND "
	              "a.target_kind = 'grant' AND a.target = 'pno100/lat04'",
	              0, NULL),
	   "mch112 gives pno100 View and QOF at lat04: one audit record of "
	   "kind grant naming lat04 only");
	long audits = count_of("SELECT count(*) FROM audit");
	saved = store_grant_save(s, "mch112", "pno100", "LAT04", &g, &changed,
	                         &err);
	if (!saved || changed)
		diag("%s (changed %d)", err.message, changed);
	ok(saved && !changed &&
	       count_of("SELECT count(*) FROM audit") == audits &&
	       count_of("SELECT count(*) FROM audit WHERE target = "
	                "'pno100/LAT04'") == 0,
	   "the same grant again: saved, nothing changed, no audit record");
	saved = store_grant_save(s, "ua0001", "pno100", "lat04", &g, &changed,
	                         &err);
	ok(!saved && strcmp(err.sqlstate, STORE_REFUSED) == 0,
	   "the same grant set by ua0001, who does not manage pno100: "
	   "refused, not \"nothing to change\" (%s)",
	   err.message);
	saved = store_grant_save(s, "mch112", "pno100", "lat04", NULL, &changed,
	                         &err);
	ok(saved && changed &&
	       count_of("SELECT count(*) FROM grants g JOIN users u ON u.id = "
	                "g.user_id JOIN organisations o ON o.id = g.org_id "
	                "WHERE u.login = 'pno100' AND o.code = 'lat04'") == 0 &&
	       sql_is("revoke",
	              "SELECT action FROM audit ORDER BY id DESC LIMIT 1", 0,
	              NULL),
	   "mch112 revokes it; audited as a revoke");
	saved = store_grant_save(s, "mch112", "pno100", "lat04", NULL, &changed,
	                         &err);
	ok(!saved && has(err.message, "no grant"),
	   "revoking a grant that is not there says so");
	store_grant_form_free(&g);
}

/* Issue 7, item 1: `db load` writes its audit records through the same
 * functions: clusters name their owner, studies their site, roles and
 * settings the roots (before, clusters and studies named none). */
static void test_load_audit(struct store *s)
{
	if (ok(pg_test_load(s, "good/clinspark-seed.conf"),
	       "db load good/clinspark-seed.conf on top (studies)"))
		ok(count_of("SELECT count(*) FROM audit a JOIN studies st ON "
		            "st.code = a.target WHERE a.target_kind = 'study' "
		            "AND a.org_ids = ARRAY[st.site_id]") ==
		           count_of("SELECT count(*) FROM audit WHERE "
		                    "target_kind = 'study'") &&
		       count_of("SELECT count(*) FROM studies") > 0,
		   "db load's study records name the study's site");
	ok(count_of("SELECT count(*) FROM audit a JOIN clusters c ON "
	            "c.short_name = a.target WHERE a.target_kind = 'cluster' "
	            "AND a.org_ids = ARRAY[c.owner_id]") > 0 &&
	       count_of("SELECT count(*) FROM audit WHERE target_kind = "
	                "'cluster' AND cardinality(org_ids) = 0") == 0,
	   "db load's cluster records name the cluster's owner");
	ok(count_of("SELECT count(*) FROM audit WHERE target_kind IN "
	            "('role', 'organisation', 'user') AND action = 'create' "
	            "AND target_kind <> 'user' AND cardinality(org_ids) = 0") ==
	       0,
	   "db load's organisation and role records name organisations");
}

static void test_read(struct store *s)
{
	struct store_user_form f;
	if (!ok(pg_user_read(s, "kal738", &f), "store_user_read kal738"))
		return;
	ok(f.id > 0 && f.version >= 1 && strcmp(f.login, "kal738") == 0 &&
	       strcmp(f.title, "Mr") == 0 &&
	       strcmp(f.first_name, "Kenneth") == 0 &&
	       strcmp(f.last_name, "Alloway") == 0 &&
	       strcmp(f.email, "Kenneth.Alloway@nhs.uk") == 0 &&
	       strcmp(f.work_phone, "0315841236") == 0 &&
	       strcmp(f.mobile_phone, "") == 0 && f.enabled && f.created &&
	       strlen(f.created) == 10,
	   "kal738's details as loaded (mobile phone absent reads \"\")");
	ok(f.n_grants == 1 && strcmp(f.grants[0].org, "lat04") == 0 &&
	       f.grants[0].n_roles == 2 &&
	       strcmp(f.grants[0].roles[0], "User Administrator") == 0 &&
	       strcmp(f.grants[0].roles[1], "View") == 0 &&
	       f.grants[0].payments ==
	           (ENGINE_PAY(PAY_QOF) | ENGINE_PAY(PAY_DES)) &&
	       f.grants[0].n_clusters == 2 &&
	       strcmp(f.grants[0].clusters[0], "C61A6DB801") == 0 &&
	       strcmp(f.grants[0].clusters[1], "873CF39E1C") == 0,
	   "kal738's lat04 grant: roles, payment types, clusters in stored "
	   "order");
	ok(f.n_profile_roles == 0 && f.n_sites == 0 && f.n_studies == 0,
	   "kal738 has no study profile");
	store_user_form_free(&f);

	static const char *const order[] = {
	    "1-LAT1", "25X",   "A01AAA", "B01BBB", "C01CCC", "D01DDD", "G00001",
	    "G00002", "cgc04", "lat01",  "lat02",  "lat04",  "lat05",  "nhs"};
	if (!pg_user_read(s, "mch112", &f)) {
		ok(false, "mch112's 14 grants in the file's order");
		return;
	}
	bool same = f.n_grants == 14;
	for (int i = 0; same && i < 14; i++)
		same = strcmp(f.grants[i].org, order[i]) == 0;
	ok(same && strcmp(f.mobile_phone, "07700900123") == 0 &&
	       strcmp(f.grants[13].roles[0], "System Administrator") == 0,
	   "mch112's 14 grants in the file's order");
	store_user_form_free(&f);

	struct store_error err = {0};
	ok(!store_user_read(s, "nobody", &f, &err) &&
	       has(err.message, "nobody"),
	   "store_user_read of an unknown login fails, naming it");
}

static void test_tick_cluster(struct store *s)
{
	struct store_user_form f;
	if (!pg_user_read(s, "kal738", &f)) {
		ok(false, "Advanced User Administrator ticks a cluster");
		return;
	}
	int v0 = f.version;
	long audits = count_of("SELECT count(*) FROM audit");
	struct store_grant_form *g = &f.grants[0];
	store_names_add(&g->clusters, &g->n_clusters, "E92654EEF7");
	struct store_error err;
	ok(save(s, "aua001", &f, &err),
	   "Advanced User Administrator aua001 ticks cluster E92654EEF7 on "
	   "kal738's lat04 grant");
	if (err.message[0])
		diag("%s", err.message);
	store_user_form_free(&f);
	if (pg_user_read(s, "kal738", &f)) {
		ok(f.version == v0 + 1 && f.grants[0].n_clusters == 3 &&
		       strcmp(f.grants[0].clusters[2], "E92654EEF7") == 0 &&
		       strcmp(f.grants[0].clusters[0], "C61A6DB801") == 0,
		   "the cluster is stored after the others, version %d -> %d",
		   v0, f.version);
		store_user_form_free(&f);
	}
	ok(count_of("SELECT count(*) FROM audit") == audits + 1,
	   "one audit row for the save");
	ok(sql_is("aua001|update|user|kal738|false|true",
	          "SELECT operator || '|' || action || '|' || target_kind || "
	          "'|' || target || '|' || (before->'grants'->0->'clusters' "
	          "? 'E92654EEF7') || '|' || "
	          "(after->'grants'->0->'clusters' ? 'E92654EEF7') FROM "
	          "audit ORDER BY id DESC LIMIT 1",
	          0, NULL),
	   "the audit row: operator, target, the short name after and not "
	   "before");
	ok(sql_is("[\"C61A6DB801\", \"873CF39E1C\", \"E92654EEF7\"]",
	          "SELECT after->'grants'->0->>'clusters' FROM audit ORDER BY "
	          "id DESC LIMIT 1",
	          0, NULL) &&
	       sql_is("lat04|LatOrg04",
	              "SELECT (after->'grants'->0->>'org') || '|' || "
	              "(after->'grants'->0->>'org_name') FROM audit ORDER BY "
	              "id DESC LIMIT 1",
	              0, NULL) &&
	       sql_is("t",
	              "SELECT org_ids = ARRAY[(SELECT id FROM organisations "
	              "WHERE code = 'lat04')] FROM audit ORDER BY id DESC "
	              "LIMIT 1",
	              0, NULL),
	   "the audit row's after lists the clusters in order, the grant's "
	   "organisation by code and name, org_ids = {lat04}");
}

static void test_two_connections(struct store *s1)
{
	struct store_error err = {0};
	struct store *s2 = store_connect(conninfo, NULL, &err);
	if (!ok(s2 != NULL, "a second connection")) {
		diag("%s", err.message);
		return;
	}
	struct store_user_form f1, f2;
	if (!pg_user_read(s1, "kal738", &f1) ||
	    !pg_user_read(s2, "kal738", &f2)) {
		store_disconnect(s2);
		return;
	}
	ok(f1.version == f2.version, "both read kal738 at version %d",
	   f1.version);
	pg_set_str(&f1.work_phone, "0315849999");
	ok(save(s1, "aua001", &f1, &err), "the first (aua001) saves");
	pg_set_str(&f2.email, "K.Alloway@nhs.uk");
	char *before = fingerprint();
	bool saved = save(s2, "rootaua", &f2, &err);
	ok(!saved && strcmp(err.sqlstate, STORE_CONFLICT) == 0,
	   "the second's save (rootaua) fails with STORE_CONFLICT");
	diag("%s: %s", err.sqlstate, err.message);
	ok(!saved && has(err.message, "aua001") && has(err.message, "kal738"),
	   "the conflict message names the user and the first operator");
	ok(same_fingerprint(before), "the stale save changed nothing");
	free(before);
	store_user_form_free(&f1);
	if (pg_user_read(s2, "kal738", &f1)) {
		ok(strcmp(f1.work_phone, "0315849999") == 0 &&
		       strcmp(f1.email, "Kenneth.Alloway@nhs.uk") == 0,
		   "the database holds the first's change only");
		store_user_form_free(&f1);
	}
	store_user_form_free(&f2);
	store_disconnect(s2);
}

/* One of two processes: connect, read, wait at the barrier, save. */
/* Each racer sets kal738's work phone, from one version. */
static const char *const phones[2] = {"0315840101", "0315840202"};

static void *race_read(struct store *s, int i, void *ctx,
                       struct store_error *err)
{
	(void)i;
	(void)ctx;
	struct store_user_form *f = calloc(1, sizeof *f);
	if (f && store_user_read(s, "kal738", f, err))
		return f;
	free(f);
	return NULL;
}

static bool race_save(struct store *s, int i, void *state,
                      struct store_error *err)
{
	struct store_user_form *f = state;
	pg_set_str(&f->work_phone, phones[i]);
	long long id;
	return store_user_save(s, "aua001", f, &id, err);
}

static void race_free(void *state)
{
	store_user_form_free(state);
	free(state);
}

static void test_concurrent(void)
{
	struct pg_racer r = {race_read, race_save, race_free, NULL};
	struct pg_race_outcome out[2];
	int n_ready = pg_test_race(conninfo, &r, out);
	ok(n_ready == 2, "two processes read kal738 and wait at a barrier");
	int winners = out[0].saved + out[1].saved;
	int loser = out[0].saved ? 1 : 0;
	for (int i = 0; i < 2; i++)
		diag("process %d: %s %s %s", i,
		     out[i].saved ? "saved" : "refused", out[i].sqlstate,
		     out[i].message);
	ok(winners == 1, "exactly one of two simultaneous saves succeeds");
	ok(winners == 1 && strcmp(out[loser].sqlstate, STORE_CONFLICT) == 0 &&
	       strstr(out[loser].message, "aua001") != NULL,
	   "the other gets STORE_CONFLICT naming the operator");
	if (winners == 1) {
		const char *p[] = {phones[1 - loser]};
		ok(sql_is("t",
		          "SELECT work_phone = $1 FROM users WHERE login = "
		          "'kal738'",
		          1, p),
		   "the database holds the winner's change");
	} else {
		ok(false, "the database holds the winner's change");
	}
}

static void test_escalation(struct store *s)
{
	struct store_user_form f;
	if (!pg_user_read(s, "tgt001", &f))
		return;
	char *before = fingerprint();
	struct store_grant_form *g = &f.grants[0];
	store_names_add(&g->roles, &g->n_roles, "System Administrator");
	struct store_error err;
	bool saved = save(s, "ua0001", &f, &err);
	diag("%s", err.message);
	ok(!saved && has(err.message, "escalation") &&
	       has(err.message, "System Administrator"),
	   "User Administrator ua0001 cannot grant System Administrator: "
	   "\"escalation\"");
	ok(same_fingerprint(before), "the refused escalation changed nothing");
	free(before);
	store_user_form_free(&f);

	/* the same User Administrator may change tgt001's phone (lat04) */
	if (pg_user_read(s, "tgt001", &f)) {
		pg_set_str(&f.work_phone, "0315840044");
		ok(save(s, "ua0001", &f, &err),
		   "ua0001 manages tgt001 of its own organisation");
		if (err.message[0])
			diag("%s", err.message);
		store_user_form_free(&f);
	}

	/* pno100 holds a grant at cgc04 only, below lat04 */
	if (!pg_user_read(s, "pno100", &f))
		return;
	before = fingerprint();
	pg_set_str(&f.work_phone, "0315840055");
	saved = save(s, "ua0001", &f, &err);
	diag("%s", err.message);
	ok(!saved && has(err.message, "grants not shown") &&
	       !strstr(err.message, "cgc04"),
	   "User Administrator ua0001 cannot manage pno100 of cgc04 (below "
	   "its organisation)");
	ok(same_fingerprint(before), "the refused save changed nothing");
	free(before);
	store_user_form_free(&f);
}

static void test_lockout(struct store *s)
{
	struct store_user_form f;
	if (!pg_user_read(s, "mch112", &f))
		return;
	char *before = fingerprint();
	f.enabled = false;
	struct store_error err;
	bool saved = save(s, "rootaua", &f, &err);
	diag("%s", err.message);
	ok(!saved && has(err.message, "System Administrator"),
	   "disabling mch112, the only enabled root System Administrator, "
	   "is refused");
	ok(same_fingerprint(before) &&
	       sql_is("t", "SELECT enabled FROM users WHERE login = 'mch112'",
	              0, NULL),
	   "mch112 stays enabled; nothing changed");
	free(before);
	store_user_form_free(&f);

	/* with a second root System Administrator enabled, disabling one of
	 * them is fine; then the other becomes the last */
	if (!pg_user_read(s, "tdi901", &f))
		return;
	f.enabled = true;
	saved = save(s, "mch112", &f, &err);
	ok(saved, "System Administrator mch112 may enable tdi901");
	if (err.message[0])
		diag("%s", err.message);
	store_user_form_free(&f);
	if (pg_user_read(s, "mch112", &f)) {
		f.enabled = false;
		saved = save(s, "tdi901", &f, &err);
		ok(saved, "with tdi901 enabled, tdi901 may disable mch112");
		if (err.message[0])
			diag("%s", err.message);
		store_user_form_free(&f);
	}
	if (pg_user_read(s, "tdi901", &f)) {
		f.enabled = false;
		saved = save(s, "rootaua", &f, &err);
		diag("%s", err.message);
		ok(!saved, "now disabling tdi901, the last one, is refused");
		store_user_form_free(&f);
	}
	/* put mch112 back for the tests that follow */
	if (pg_user_read(s, "mch112", &f)) {
		f.enabled = true;
		ok(save(s, "tdi901", &f, &err), "tdi901 enables mch112 again");
		store_user_form_free(&f);
	}
}

static void test_self(struct store *s)
{
	struct store_user_form f;
	if (!pg_user_read(s, "aua001", &f))
		return;
	char *before = fingerprint();
	struct store_grant_form *g = &f.grants[0];
	store_names_add(&g->clusters, &g->n_clusters, "C61A6DB801");
	struct store_error err;
	bool saved = save(s, "aua001", &f, &err);
	diag("%s", err.message);
	ok(!saved && has(err.message, "own contact details"),
	   "aua001 cannot change its own grant (even to narrow it)");
	ok(same_fingerprint(before), "nothing changed");
	free(before);
	store_user_form_free(&f);

	if (!pg_user_read(s, "aua001", &f))
		return;
	g = &f.grants[0];
	store_names_remove(g->roles, &g->n_roles, g->n_roles - 1);
	saved = save(s, "aua001", &f, &err);
	ok(!saved, "aua001 cannot remove a role from its own grant");
	store_user_form_free(&f);

	if (!pg_user_read(s, "aua001", &f))
		return;
	f.enabled = false;
	saved = save(s, "aua001", &f, &err);
	ok(!saved, "aua001 cannot disable itself");
	store_user_form_free(&f);

	if (!pg_user_read(s, "aua001", &f))
		return;
	pg_set_str(&f.work_phone, "+44 (0)20 7946-0000");
	pg_set_str(&f.mobile_phone, "07700900999");
	saved = save(s, "aua001", &f, &err);
	if (err.message[0])
		diag("%s", err.message);
	store_user_form_free(&f);
	ok(saved &&
	       sql_is("+44 (0)20 7946-0000|07700900999",
	              "SELECT work_phone || '|' || mobile_phone FROM users "
	              "WHERE login = 'aua001'",
	              0, NULL),
	   "aua001 changes its own phone numbers");
}

static void new_form(struct store_user_form *f, const char *login,
                     const char *org, const char *role)
{
	*f = (struct store_user_form){0};
	f->login = strdup(login);
	f->title = strdup("Dr");
	f->first_name = strdup("Nina");
	f->last_name = strdup("Newcome");
	f->email = strdup("Nina.Newcome@nhs.uk");
	f->work_phone = strdup("0315840777");
	f->mobile_phone = strdup("");
	f->created = strdup("");
	f->enabled = true;
	f->grants = calloc(1, sizeof *f->grants);
	f->n_grants = 1;
	snprintf(f->grants[0].org, sizeof f->grants[0].org, "%s", org);
	store_names_add(&f->grants[0].roles, &f->grants[0].n_roles, role);
}

static void test_create(struct store *s)
{
	struct store_user_form f;
	new_form(&f, "new100", "cgc04", "View");
	struct store_error err = {0};
	long long id = 0;
	bool saved = store_user_save(s, "aua001", &f, &id, &err);
	if (err.message[0])
		diag("%s", err.message);
	ok(saved && id > 0,
	   "aua001 creates new100 with View at cgc04 (below lat04)");
	store_user_form_free(&f);
	if (pg_user_read(s, "new100", &f)) {
		ok(f.id == id && f.n_grants == 1 &&
		       strcmp(f.grants[0].org, "cgc04") == 0 &&
		       strcmp(f.title, "Dr") == 0 &&
		       strcmp(f.mobile_phone, "") == 0,
		   "new100 reads back with its grant");
		store_user_form_free(&f);
	}
	ok(sql_is("aua001|create|true|cgc04",
	          "SELECT operator || '|' || action || '|' || (before IS "
	          "NULL) || '|' || (after->'grants'->0->>'org') FROM audit "
	          "WHERE target_kind = 'user' AND target = 'new100'",
	          0, NULL),
	   "one audit row \"create\" by aua001, no before");

	char *before = fingerprint();
	new_form(&f, "new101", "cgc04", "View");
	saved = save(s, "pno100", &f, &err);
	diag("%s", err.message);
	ok(!saved && has(err.message, "users.manage"),
	   "pno100 (View only) cannot create a user: lacks users.manage");
	ok(same_fingerprint(before), "nothing changed");
	free(before);
	store_user_form_free(&f);

	before = fingerprint();
	new_form(&f, "new102", "lat05", "View");
	saved = save(s, "aua001", &f, &err);
	diag("%s", err.message);
	ok(!saved, "aua001 cannot create a user with a grant at lat05 (not "
	           "below lat04)");
	ok(same_fingerprint(before), "nothing changed");
	free(before);
	store_user_form_free(&f);

	before = fingerprint();
	new_form(&f, "kal738", "cgc04", "View");
	saved = save(s, "aua001", &f, &err);
	diag("%s %s", err.sqlstate, err.message);
	ok(!saved && same_fingerprint(before) &&
	       strcmp(err.sqlstate, STORE_CONFLICT) == 0 &&
	       has(err.message, "User ID \"kal738\" was taken"),
	   "creating a user whose login exists fails with a conflict that "
	   "says so, and changes nothing");
	free(before);
	store_user_form_free(&f);
}

static void test_hostile(struct store *s)
{
	static const char *const values[] = {
	    "O'Brien \"Bob\"",
	    "back\\slash \\' \\\\ \\x41 \\n",
	    "'; DROP TABLE users; --",
	    "Robert'); DELETE FROM audit; --",
	    "Zo\xc3\xab \xc3\x98"
	    "deg\xc3\xa5rd \xe6\x9d\x8e",
	    "\x1b]52;c;ZXZpbA==\x07 and \x1b[2J",
	    "cr\rlf\nbs\b tab\t del\x7f",
	    "%s%n%x $1 :'var' E'\\x00'",
	};
	int n_values = (int)(sizeof values / sizeof values[0]);
	long users = count_of("SELECT count(*) FROM users");
	struct store_error err;
	for (int i = 0; i < n_values; i++) {
		struct store_user_form f;
		if (!pg_user_read(s, "tgt001", &f))
			return;
		pg_set_str(&f.first_name, values[i]);
		pg_set_str(&f.last_name, values[n_values - 1 - i]);
		bool saved = save(s, "aua001", &f, &err);
		if (err.message[0])
			diag("%s", err.message);
		store_user_form_free(&f);
		bool exact = false;
		if (saved && pg_user_read(s, "tgt001", &f)) {
			exact =
			    strcmp(f.first_name, values[i]) == 0 &&
			    strcmp(f.last_name, values[n_values - 1 - i]) == 0;
			store_user_form_free(&f);
		}
		const char *p[] = {values[i], values[n_values - 1 - i]};
		ok(saved && exact &&
		       sql_is("true|true|true",
		              "SELECT (first_name = $1) || '|' || "
		              "(octet_length(first_name) = octet_length($1)) "
		              "|| '|' || (last_name = $2) FROM users WHERE "
		              "login = 'tgt001'",
		              2, p) &&
		       sql_is("t",
		              "SELECT after->>'first_name' = $1 FROM audit "
		              "ORDER BY id DESC LIMIT 1",
		              1, p),
		   "hostile value %d stored and read back byte-exactly, and "
		   "in the audit row",
		   i + 1);
	}
	/* an email with quotes and a backslash (the format allows them) */
	struct store_user_form f;
	if (pg_user_read(s, "tgt001", &f)) {
		const char *email = "o'brien\\x\";--@example.com";
		pg_set_str(&f.email, email);
		bool saved = save(s, "aua001", &f, &err);
		if (err.message[0])
			diag("%s", err.message);
		store_user_form_free(&f);
		const char *p[] = {email};
		ok(saved && sql_is("t",
		                   "SELECT email = $1 FROM users WHERE login "
		                   "= 'tgt001'",
		                   1, p),
		   "an email with a quote, a backslash and ; stored exactly");
	}
	ok(sql_is("t", "SELECT to_regclass('users') IS NOT NULL", 0, NULL) &&
	       count_of("SELECT count(*) FROM users") == users &&
	       count_of("SELECT count(*) FROM audit") > 0,
	   "the users table is still there, with as many users; audit too");
}

static void test_limits(struct store *s)
{
	struct store_user_form f;
	char name[1024];
	if (!pg_user_read(s, "tgt001", &f))
		return;
	/* 200 characters of two bytes each: the limit counts characters */
	name[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(name, "\xc3\xa9");
	pg_set_str(&f.last_name, name);
	struct store_error err;
	bool saved = save(s, "aua001", &f, &err);
	if (err.message[0])
		diag("%s", err.message);
	ok(saved, "a last name of 200 characters (400 bytes) is accepted");
	store_user_form_free(&f);

	if (!pg_user_read(s, "tgt001", &f))
		return;
	memset(name, 'x', 201);
	name[201] = '\0';
	pg_set_str(&f.last_name, name);
	char *before = fingerprint();
	int version = user_version("tgt001");
	saved = save(s, "aua001", &f, &err);
	diag("%s: %s", err.sqlstate, err.message);
	ok(!saved && same_fingerprint(before) &&
	       user_version("tgt001") == version,
	   "a last name of 201 characters is rejected; nothing changed");
	/* A clear message names the field as the form does and its limit;
	 * a constraint name alone ("users_last_name_check") is not. */
	ok(!saved && strcasestr(err.message, "last name") &&
	       strstr(err.message, "200"),
	   "the rejection says \"last name\" and its limit, 200");
	free(before);
	store_user_form_free(&f);
}

static void test_registration(struct store *s)
{
	PGconn *l = PQconnectdb(conninfo);
	PGresult *r = PQexec(l, "LISTEN accessdesk_registration");
	bool listening = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	ok(listening, "a second connection LISTENs on accessdesk_registration");
	long audits = count_of("SELECT count(*) FROM audit WHERE action = "
	                       "'resend-registration'");
	struct store_error err = {0};
	bool queued =
	    store_user_queue_registration(s, "aua001", "kal738", &err);
	if (err.message[0])
		diag("%s", err.message);
	ok(queued, "aua001 queues kal738's registration email");
	char *id =
	    sql1("SELECT r.id FROM registration_emails r JOIN users u ON "
	         "u.id = r.user_id WHERE u.login = 'kal738' AND "
	         "r.queued_by = 'aua001' AND r.email = "
	         "'Kenneth.Alloway@nhs.uk' AND r.sent_at IS NULL",
	         0, NULL);
	ok(id != NULL, "a registration_emails row with the user's email");
	ok(count_of("SELECT count(*) FROM audit WHERE action = "
	            "'resend-registration' AND operator = 'aua001' AND "
	            "target = 'kal738' AND after->>'email' = "
	            "'Kenneth.Alloway@nhs.uk'") == audits + 1,
	   "and one audit row");
	PGnotify *n = NULL;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (!PQconsumeInput(l))
			break;
		if ((n = PQnotifies(l)) != NULL)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		          (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= 2000)
			break;
		struct pollfd p = {.fd = PQsocket(l), .events = POLLIN};
		poll(&p, 1, (int)(2000 - ms));
	}
	ok(n && strcmp(n->relname, "accessdesk_registration") == 0 && id &&
	       strcmp(n->extra, id) == 0,
	   "the listener is notified within 2 s, with the row's id (%s)",
	   id ? id : "?");
	if (n)
		PQfreemem(n);
	free(id);
	PQfinish(l);

	char *before = fingerprint();
	queued = store_user_queue_registration(s, "pno100", "kal738", &err);
	diag("%s", err.message);
	ok(!queued && same_fingerprint(before),
	   "pno100 may not resend kal738's registration; nothing queued");
	free(before);
}

/* Another operator renames an organisation where the user holds a grant:
 * nothing the form shows of the user changed, so the form is not stale. */
static void test_rename_not_stale(struct store *s)
{
	struct store_user_form f;
	if (!pg_user_read(s, "kal738", &f))
		return;
	int version = user_version("kal738");
	PGresult *r = PQexec(raw, "UPDATE organisations SET name = 'LatOrg04 "
	                          "(renamed)' WHERE code = 'lat04'");
	ok(PQresultStatus(r) == PGRES_COMMAND_OK,
	   "another session renames lat04 while kal738's form is open");
	PQclear(r);
	ok(user_version("kal738") == version,
	   "the rename leaves kal738's row version as it was (%d, now %d)",
	   version, user_version("kal738"));
	pg_set_str(&f.work_phone, "0315841000");
	struct store_error err;
	bool saved = save(s, "aua001", &f, &err);
	if (err.message[0])
		diag("%s: %s", err.sqlstate, err.message);
	ok(saved, "the open form still saves (no spurious STORE_CONFLICT)");
	store_user_form_free(&f);
}

/* Has the server end s's backend, from another connection (pg_admin), as
 * an administrator or a restart would. */
static bool terminate_backend(struct store *s)
{
	char pid[16];
	snprintf(pid, sizeof pid, "%d", PQbackendPID(store_pg(s)));
	const char *p[] = {pid};
	PGresult *r =
	    PQexecParams(pg_admin, "SELECT pg_terminate_backend($1::int, 5000)",
	                 1, NULL, p, NULL, NULL, 0);
	bool done = PQresultStatus(r) == PGRES_TUPLES_OK &&
	            strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return done;
}

static void test_lost_connection(void)
{
	struct store_error err = {0};
	struct store *s = store_connect(conninfo, NULL, &err);
	if (!ok(s != NULL, "a connection to lose")) {
		diag("%s", err.message);
		return;
	}
	int pid = PQbackendPID(store_pg(s));
	ok(terminate_backend(s),
	   "pg_terminate_backend from another connection");
	PGresult *r = store_exec(s, "SELECT 1", 0, NULL, PGRES_TUPLES_OK, &err);
	diag("%s: %s", err.sqlstate, err.message);
	ok(r == NULL && has(err.message, "connection lost"),
	   "store_exec then fails with \"connection lost\"");
	PQclear(r);
	bool back = store_reconnect(s, &err);
	if (!back)
		diag("%s", err.message);
	ok(back, "store_reconnect() restores the connection");
	r = store_exec(s, "SELECT count(*) FROM users", 0, NULL,
	               PGRES_TUPLES_OK, &err);
	ok(r != NULL && strcmp(PQgetvalue(r, 0, 0), "0") != 0 &&
	       PQbackendPID(store_pg(s)) != pid,
	   "and statements run again, on a new backend");
	PQclear(r);
	store_disconnect(s);
}

/* ---- the Users list: sorts on the organisation columns ----------------- */

/* What a console session holds for the list: the world with the operator,
 * and the operator's users.view reach. */
struct list_session {
	struct engine_world *w;
	struct store_ids ids;
	int op;
	struct store_reach reach;
};

static bool list_open(struct store *s, const char *login,
                      struct list_session *ls)
{
	struct store_error err = {0};
	const char *who[] = {login};
	*ls = (struct list_session){0};
	ls->w = store_load_world(s, STORE_LOAD_BASE, &ls->ids, &err);
	if (ls->w && store_load_users(s, ls->w, &ls->ids, who, 1, &err) &&
	    (ls->op = engine_user_find(ls->w, login)) >= 0 &&
	    store_reach_of(ls->w, &ls->ids, ls->op, ENGINE_ACT(ACT_USERS_VIEW),
	                   &ls->reach))
		return true;
	diag("a list session for %s: %s", login, err.message);
	return false;
}

static void list_close(struct list_session *ls)
{
	store_reach_free(&ls->reach);
	engine_world_free(ls->w);
	store_ids_free(&ls->ids);
}

/* The logins starting with "srt" of the list sorted so, in order, a page
 * of `page` rows at a time (keyset paging), space-separated. */
static void srt_order(struct store *s, struct list_session *ls,
                      enum store_user_sort sort, bool descending,
                      const char *search, int page, char *out, size_t len)
{
	struct store_user_query q = {sort, descending, USER_SEARCH_NAME,
	                             search};
	struct store_user_row rows[64], last;
	bool have_last = false;
	int got = 0;
	out[0] = '\0';
	do {
		struct store_error err = {0};
		if (!store_users_page(s, ls->w, &ls->ids, ls->op, &ls->reach,
		                      &q, have_last ? &last : NULL, page, rows,
		                      &got, &err)) {
			diag("store_users_page: %s", err.message);
			snprintf(out, len, "(error)");
			return;
		}
		for (int i = 0; i < got; i++)
			if (strncmp(rows[i].login, "srt", 3) == 0)
				snprintf(out + strlen(out), len - strlen(out),
				         "%s%s", out[0] ? " " : "",
				         rows[i].login);
		if (got > 0) {
			last = rows[got - 1];
			have_last = true;
		}
	} while (got == page);
}

/* The number of rows the whole list has, sorted so, paged 64 at a time. */
static long list_rows(struct store *s, struct list_session *ls,
                      enum store_user_sort sort)
{
	struct store_user_query q = {sort, false, USER_SEARCH_NAME, NULL};
	struct store_user_row rows[64], last;
	long total = 0;
	int got = 0;
	do {
		struct store_error err = {0};
		if (!store_users_page(s, ls->w, &ls->ids, ls->op, &ls->reach,
		                      &q, total ? &last : NULL, 64, rows, &got,
		                      &err)) {
			diag("store_users_page: %s", err.message);
			return -1;
		}
		total += got;
		if (got > 0)
			last = rows[got - 1];
	} while (got == 64);
	return total;
}

/* access-model.md section 5: "a user's other grants are counted, not
 * shown ..., and never shape what is shown (a sort on the organisation
 * columns uses the visible grants only)" */
static void test_list_sort_visible(struct store *s)
{
	if (!ok(pg_test_load(s, "../db/list-fixture.conf"),
	        "db load db/list-fixture.conf"))
		return;
#define SRT_12 "srt001 srt002"
#define SRT_21 "srt002 srt001"
	/* the order as aua001 sees it, the other way round, and as every
	 * grant has it */
	static const struct {
		enum store_user_sort sort;
		char name[24], visible[16], visible_desc[16], every[16];
	} cases[] = {
	    {USER_SORT_ORG_IDS, "Organisation ID(s)", SRT_21, SRT_12, SRT_12},
	    {USER_SORT_ORGS, "Organisation(s)", SRT_21, SRT_12, SRT_12},
	    {USER_SORT_PARENTS, "Parent Organisation(s)", SRT_12, SRT_21,
	     SRT_21},
	};
#undef SRT_12
#undef SRT_21
	struct list_session aua, root;
	if (!list_open(s, "aua001", &aua))
		return;
	if (!list_open(s, "mch112", &root)) {
		list_close(&aua);
		return;
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char got[256], down[256], paged[256], searched[256], all[256];
		const char *want = cases[i].visible;
		const char *rev = cases[i].visible_desc;
		srt_order(s, &aua, cases[i].sort, false, NULL, 64, got,
		          sizeof got);
		srt_order(s, &aua, cases[i].sort, true, NULL, 64, down,
		          sizeof down);
		ok(strcmp(got, want) == 0 && strcmp(down, rev) == 0,
		   "aua001 sorts on %s by the grants it sees: %s, descending "
		   "%s (got %s; %s)",
		   cases[i].name, want, rev, got, down);
		srt_order(s, &aua, cases[i].sort, false, "sorter", 1, paged,
		          sizeof paged);
		srt_order(s, &aua, cases[i].sort, true, "Sorter", 64, searched,
		          sizeof searched);
		ok(strcmp(paged, want) == 0 && strcmp(searched, rev) == 0,
		   "the same one row a page, and with a name search (got %s; "
		   "%s)",
		   paged, searched);
		srt_order(s, &root, cases[i].sort, false, NULL, 64, all,
		          sizeof all);
		ok(strcmp(all, cases[i].every) == 0,
		   "mch112, who sees every grant, sorts on %s by all of "
		   "them: %s (got %s)",
		   cases[i].name, cases[i].every, all);
	}
	struct store_user_query q = {USER_SORT_ORG_IDS, false,
	                             USER_SEARCH_LOGIN, "srt001"};
	struct store_user_row row;
	int got = 0;
	struct store_error err = {0};
	ok(store_users_page(s, aua.w, &aua.ids, aua.op, &aua.reach, &q, NULL, 1,
	                    &row, &got, &err) &&
	       got == 1 && strcmp(row.org_ids, "ZZZ01") == 0 &&
	       strcmp(row.parents, "LatOrg04 (renamed)") == 0 &&
	       row.hidden == 1,
	   "aua001's row of srt001: ZZZ01 shown, +1 not shown");
	/* the sorts built from the visible grants list whom the others do:
	 * kal738 sees the members of its clusters, not lat04, its own
	 * grant's organisation, and is listed all the same */
	struct list_session kal;
	if (list_open(s, "kal738", &kal)) {
		struct store_user_query all = {USER_SORT_NAME, false,
		                               USER_SEARCH_NAME, NULL};
		long n = store_users_count(s, &kal.reach, "kal738", &all, &err);
		long by_name = list_rows(s, &kal, USER_SORT_NAME);
		long by_code = list_rows(s, &kal, USER_SORT_ORG_IDS);
		long by_parent = list_rows(s, &kal, USER_SORT_PARENTS);
		ok(n > 1 && by_name == n && by_code == n && by_parent == n,
		   "kal738's list has the same %ld users sorted by name, "
		   "Organisation ID(s) and Parent Organisation(s) (%ld, %ld, "
		   "%ld)",
		   n, by_name, by_code, by_parent);
		list_close(&kal);
	}
	list_close(&aua);
	list_close(&root);
}

static void count_notice(void *ctx, const char *message)
{
	diag("notice: %s", message);
	(*(int *)ctx)++;
}

/* The oid of the session's keys table (user_list.c), 0 when it has none. */
static long long keys_table_oid(struct store *s)
{
	struct store_error err = {0};
	PGresult *r = store_exec(
	    s, "SELECT coalesce(to_regclass('pg_temp.ad_list_keys')::oid, 0)",
	    0, NULL, PGRES_TUPLES_OK, &err);
	long long oid = r ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;
	PQclear(r);
	return oid;
}

/* A narrow operator's sorts on the organisation columns read the keys the
 * session built into a table (user_list.c, 019_list_changes.sql): they
 * follow a change made by another session, are those the page builds
 * itself (inside a transaction, where no table is kept), and are built
 * again on the new backend after a reconnection. */
static void test_list_keys_follow(struct store *s)
{
	struct list_session aua;
	if (!list_open(s, "aua001", &aua))
		return;
	char before[256], after[256], in_tx[256], back[256];
	srt_order(s, &aua, USER_SORT_ORGS, false, NULL, 64, before,
	          sizeof before);
	/* a change aua001 cannot see (AAA01, the hidden grant's) keeps the
	 * table the session built: the same table, not one built again */
	long long table = keys_table_oid(s);
	bool elsewhere = pg_run(raw, "UPDATE organisations SET name = "
	                             "'Aardvark Renamed' WHERE code = 'AAA01'");
	srt_order(s, &aua, USER_SORT_ORGS, false, NULL, 64, after,
	          sizeof after);
	ok(elsewhere && table > 0 && keys_table_oid(s) == table &&
	       strcmp(after, before) == 0,
	   "a rename elsewhere (AAA01) keeps aua001's keys table (%lld, "
	   "now %lld) and order (%s)",
	   table, keys_table_oid(s), after);
	/* srt001's visible grant is at ZZZ01 "Zebra Visible", srt002's at
	 * MMM01 "Middle Visible": renamed "Aardwolf", ZZZ01 comes first */
	bool renamed = pg_run(raw, "UPDATE organisations SET name = "
	                           "'Aardwolf Visible' WHERE code = 'ZZZ01'");
	srt_order(s, &aua, USER_SORT_ORGS, false, NULL, 64, after,
	          sizeof after);
	ok(renamed && strcmp(before, "srt002 srt001") == 0 &&
	       strcmp(after, "srt001 srt002") == 0 &&
	       keys_table_oid(s) != table,
	   "another session renames ZZZ01: aua001's sort on Organisation(s) "
	   "follows (%s, then %s)",
	   before, after);
	struct store_error err = {0};
	bool began = store_begin(s, &err);
	srt_order(s, &aua, USER_SORT_ORGS, false, NULL, 64, in_tx,
	          sizeof in_tx);
	store_rollback(s);
	ok(began && strcmp(in_tx, after) == 0,
	   "the keys a page builds itself, inside a transaction, sort the "
	   "same (%s)",
	   in_tx);
	bool ended = terminate_backend(s);
	PQclear(store_exec(s, "SELECT 1", 0, NULL, PGRES_TUPLES_OK, &err));
	bool again = ended && store_reconnect(s, &err);
	int notices = 0;
	store_on_notice(s, count_notice, &notices);
	srt_order(s, &aua, USER_SORT_ORGS, true, NULL, 64, back, sizeof back);
	store_on_notice(s, NULL, NULL);
	ok(again && strcmp(back, "srt002 srt001") == 0,
	   "after a reconnection, on a new backend, descending: %s", back);
	/* the console shows the server's notices: building the table on a
	 * backend with no temporary schema yet says nothing */
	ok(notices == 0, "and building it there gave no notice (%d)", notices);
	pg_run(raw, "UPDATE organisations SET name = 'Zebra Visible' WHERE "
	            "code = 'ZZZ01'");
	pg_run(raw, "UPDATE organisations SET name = 'Aardvark Hidden' WHERE "
	            "code = 'AAA01'");
	list_close(&aua);
}

/* ---- section 5 as changed 2026-12-01 ----------------------------------- */

/* operator ticks (or unticks, when ticked) the cluster on kal738's lat04
 * grant and saves. */
static bool toggle_kal738_cluster(struct store *s, const char *operator_login,
                                  const char *short_name,
                                  struct store_error *err)
{
	struct store_user_form f;
	*err = (struct store_error){0};
	if (!pg_user_read(s, "kal738", &f))
		return false;
	struct store_grant_form *g = &f.grants[0];
	int at = store_names_find(g->clusters, g->n_clusters, short_name);
	if (at >= 0)
		store_names_remove(g->clusters, &g->n_clusters, at);
	else
		store_names_add(&g->clusters, &g->n_clusters, short_name);
	bool saved = save(s, operator_login, &f, err);
	if (err->message[0])
		diag("%s", err->message);
	store_user_form_free(&f);
	return saved;
}

/* access-model.md section 5: "business actions and payment types need
 * nothing beyond `users.manage` over X"; "(Changed 2026-12-01: the earlier
 * rule ... the seed's own Advanced User Administrator could not tick a
 * cluster on a grant that carried View and QOF.)" gba204, the seed's
 * Advanced User Administrator at lat04, holds no payment type there. */
static void test_seed_aua_ticks_cluster(struct store *s)
{
	struct store_error err;
	ok(toggle_kal738_cluster(s, "gba204", "B089991938", &err),
	   "gba204 (Advanced User Administrator at lat04, no payment type "
	   "there) ticks cluster B089991938 on kal738's grant of View, QOF "
	   "and DES");
	ok(toggle_kal738_cluster(s, "gba204", "B089991938", &err),
	   "and unticks it");
	/* a User Administrator still cannot hand out System Administrator */
	struct store_user_form f;
	if (!pg_user_read(s, "tgt001", &f))
		return;
	char *before = fingerprint();
	store_names_add(&f.grants[0].roles, &f.grants[0].n_roles, "View");
	store_names_add(&f.grants[0].roles, &f.grants[0].n_roles,
	                "System Administrator");
	f.grants[0].payments = ENGINE_PAY(PAY_QOF);
	bool saved = save(s, "ua0001", &f, &err);
	ok(!saved && has(err.message, "System Administrator") &&
	       strstr(err.message, "QOF") == NULL && same_fingerprint(before),
	   "ua0001 still cannot give System Administrator (its refusal "
	   "names the power, not the payment type)");
	free(before);
	store_user_form_free(&f);
}

/* access-model.md section 5, the lock-out rule: "where there is none
 * already (a database loaded that way), other changes are allowed" */
static void test_lockout_none_already(struct store *s)
{
	char *was = sql1("SELECT string_agg(login, ',' ORDER BY login) FROM "
	                 "users WHERE enabled AND login IN ('mch112', "
	                 "'tdi901')",
	                 0, NULL);
	PQclear(PQexec(raw, "UPDATE users SET enabled = false WHERE login IN "
	                    "('mch112', 'tdi901')"));
	struct store_error err;
	ok(count_of("SELECT count(*) FROM users WHERE enabled AND login IN "
	            "('mch112', 'tdi901')") == 0 &&
	       toggle_kal738_cluster(s, "aua001", "B089991938", &err),
	   "with no enabled root System Administrator, aua001 may still "
	   "change kal738's grant");
	ok(toggle_kal738_cluster(s, "aua001", "B089991938", &err),
	   "and change it back");
	for (int enable = 0; enable < 2; enable++) {
		struct store_user_form f;
		if (!pg_user_read(s, "tgt001", &f))
			break;
		f.enabled = enable;
		ok(save(s, "rootaua", &f, &err), "rootaua may %s tgt001",
		   enable ? "enable" : "disable");
		store_user_form_free(&f);
	}
	const char *p[] = {was ? was : ""};
	PQclear(PQexecParams(raw,
	                     "UPDATE users SET enabled = true WHERE login = "
	                     "ANY(string_to_array($1, ','))",
	                     1, NULL, p, NULL, NULL, 0));
	free(was);
}

/* ---- the Users list: users with no grant ------------------------------- */

/* The logins a list page holds, space-separated. */
static void page_logins(struct store *s, struct list_session *ls,
                        const struct store_user_query *q, char *out, size_t len)
{
	struct store_user_row rows[16];
	int got = 0;
	struct store_error err = {0};
	out[0] = '\0';
	if (!store_users_page(s, ls->w, &ls->ids, ls->op, &ls->reach, q, NULL,
	                      16, rows, &got, &err))
		diag("%s", err.message);
	for (int i = 0; i < got; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
		         i ? " " : "", rows[i].login);
}

/* The shape for an operator with users.view over a root who does not see
 * everything (a second root exists): users with no grant are listed, in
 * every shape (the visible keys of an organisation sort, a plain sort, a
 * search's few matches) and counted; an operator over no root lists none
 * of them. Runs after the ClinSpark seed added the root iqvia and its
 * users, who hold no organisation grant. */
static void test_list_no_grant_shape(struct store *s)
{
	struct list_session root, aua;
	if (!list_open(s, "rootaua", &root))
		return;
	if (!list_open(s, "aua001", &aua)) {
		list_close(&root);
		return;
	}
	ok(!root.reach.everything && root.reach.roots_too,
	   "rootaua (nhs only, with iqvia a second root) does not see "
	   "everything but sees users with no grant");
	struct store_user_query q = {USER_SORT_ORG_IDS, false,
	                             USER_SEARCH_LOGIN, "no"};
	char a[256], b[256], c[256], d[256];
	page_logins(s, &root, &q, a, sizeof a);
	q.sort = USER_SORT_NAME;
	page_logins(s, &root, &q, b, sizeof b);
	q.search = "nor";
	page_logins(s, &root, &q, c, sizeof c);
	ok(strstr(a, "nog200") && strstr(a, "nor001") && strstr(b, "nog200") &&
	       strstr(b, "nor001") && strcmp(c, "nor001") == 0,
	   "rootaua lists nog200 and nor001 (no grant) sorted on "
	   "Organisation ID (%s), on Name (%s), and found by a search (%s)",
	   a, b, c);
	struct store_error err = {0};
	q.search = "no";
	long n_root = store_users_count(s, &root.reach, "rootaua", &q, &err);
	long n_aua = store_users_count(s, &aua.reach, "aua001", &q, &err);
	page_logins(s, &aua, &q, d, sizeof d);
	ok(n_root == 2 && n_aua == 0 && d[0] == '\0',
	   "counted for rootaua (%ld); aua001, over no root, lists and counts "
	   "none (%ld, \"%s\")",
	   n_root, n_aua, d);
	list_close(&root);
	list_close(&aua);
}

int main(void)
{
	pg_test_start();
	conninfo = pg_test_create("ad_store", NULL)->conninfo;
	struct store *s = pg_test_connect(conninfo);
	raw = pg_test_raw(conninfo);

	int applied = -1;
	struct store_error err = {0};
	ok(store_migrate(s, &applied, &err) &&
	       applied == store_migrations_known() &&
	       store_schema_version(s, &err) == store_migrations_known(),
	   "store_migrate from empty applies all %d migrations",
	   store_migrations_known());
	if (!ok(pg_test_load(s, "good/cqrs-seed.conf"),
	        "db load good/cqrs-seed.conf"))
		bail("cannot load the seed", NULL);
	if (!ok(pg_test_load(s, "../db/store-fixture.conf"),
	        "db load db/store-fixture.conf on top (operators)"))
		bail("cannot load the fixture", NULL);

	test_read(s);
	test_registration(s);
	test_tick_cluster(s);
	test_two_connections(s);
	test_concurrent();
	test_escalation(s);
	test_lockout(s);
	test_self(s);
	test_create(s);
	test_hostile(s);
	test_limits(s);
	test_rename_not_stale(s);
	test_list_sort_visible(s);
	test_list_keys_follow(s);
	test_long_lists(s);
	test_own_sqlstates(s);
	test_refusal_hides_grants(s);
	test_grant_save(s);
	test_load_audit(s);
	test_list_no_grant_shape(s);
	test_seed_aua_ticks_cluster(s);
	test_lockout_none_already(s);
	test_lost_connection();

	store_disconnect(s);
	PQfinish(raw);
	return pg_test_done(n_tests, n_failed);
}
