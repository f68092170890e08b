/* test_studies.c: the Study Configure tab's store and the settings
 * switches against a real PostgreSQL server (TAP; screens.md "4 Study
 * Configure", access-model.md sections 4 and 5, "open Study Configure for
 * S, import, edit, delete user access entries", "import users for S
 * filtered by site s / by role r", "change the settings switches"):
 * store_study_entries, store_user_sites_text, store_user_roles_text,
 * store_study_candidates, store_study_import, store_study_set_role,
 * store_study_remove, store_study_opened_by_emptying, store_settings_read,
 * store_settings_shut_out and store_settings_save.
 *
 * Each change is checked for what it says, what the database holds after
 * it and the audit record it wrote (one for a change, none for a refusal
 * or for nothing to change); each refusal leaves the lists, the studies'
 * versions, the settings and the audit trail as they were. The counts the
 * tab shows before a change (the users emptying a list opens the study
 * to, the users a switch shuts out) are compared with what the engine
 * says once the change is really made: a world of every user loaded
 * before, the change saved, a world loaded again, user by user and study
 * by study. Import's candidates are compared with a hand-derived list,
 * with plain SQL and with engine_import_candidate over every user. The
 * same comparisons run again on 160 users made at random.
 *
 * Runs against the server of the PG* environment: makes a template
 * database ad_studies_tmpl_PID (migrated, tests/console/studies.conf and
 * tests/db/studies-fixture.conf loaded with cli_db_load, via
 * $POLICY_DIR/..), then a copy of it for each part that changes the data,
 * and drops them all at the end. Skips (1..0) when no PostgreSQL is
 * configured and none answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "accessdesk/engine.h"
#include "accessdesk/store.h"
#include "../rng.h"
#include "pg_test.h"
#include "tap.h"

static PGconn *raw;          /* to the database of the part running */
static const char *conninfo; /* its conninfo */
static const char *template_name;

/* ---- set-up ------------------------------------------------------------ */

/* A copy of the template for one part: its store, and raw on it. */
static struct store *part_begin(const char *prefix)
{
	const struct pg_test_db *db = pg_test_create(prefix, template_name);
	conninfo = db->conninfo;
	raw = pg_test_raw(db->conninfo);
	return pg_test_connect(db->conninfo);
}

static void part_end(struct store *s)
{
	store_disconnect(s);
	PQfinish(raw);
	raw = NULL;
}

static struct engine_world *load_all(struct store *s, struct store_ids *ids)
{
	struct store_error err = {0};
	struct engine_world *w = store_load_world(s, STORE_LOAD_ALL, ids, &err);
	if (!w)
		bail("store_load_world STORE_LOAD_ALL", err.message);
	return w;
}

static void free_all(struct engine_world *w, struct store_ids *ids)
{
	engine_world_free(w);
	store_ids_free(ids);
}

/* ---- plain SQL --------------------------------------------------------- */

/* A statement the test needs, bailing when it fails. */
static void must_run(const char *sql)
{
	if (!pg_run(raw, sql))
		bail("a statement of the test failed", sql);
}

static int study_version(const char *code)
{
	return (int)pg_number(
	    raw, "SELECT version FROM studies WHERE code = $1", code);
}

static int settings_version(void)
{
	return (int)pg_number(raw, "SELECT version FROM settings", NULL);
}

/* A study's list as stored, in stored order: "login:role,..." (role "-"
 * for none). */
static const char list_sql[] =
    "SELECT coalesce(string_agg(u.login || ':' || coalesce(r.name, '-'), "
    "',' ORDER BY a.position), '') FROM studies s JOIN study_access a ON "
    "a.study_id = s.id JOIN users u ON u.id = a.user_id LEFT JOIN roles r "
    "ON r.id = a.role_id WHERE s.code = $1";

static bool list_is(const char *code, const char *want)
{
	return pg_is(raw, want, list_sql, code);
}

/* The latest audit record of a target: "action|operator|before|after",
 * each list as "login:role,..." as list_sql writes it. */
static const char audit_lists_sql[] =
    "SELECT a.action || '|' || a.operator || '|' || coalesce((SELECT "
    "string_agg((e->>'user') || ':' || coalesce(e->>'role', '-'), ',' "
    "ORDER BY n) FROM jsonb_array_elements(a.before->'user_access') WITH "
    "ORDINALITY AS t(e, n)), '') || '|' || coalesce((SELECT "
    "string_agg((e->>'user') || ':' || coalesce(e->>'role', '-'), ',' "
    "ORDER BY n) FROM jsonb_array_elements(a.after->'user_access') WITH "
    "ORDINALITY AS t(e, n)), '') FROM audit a WHERE a.target_kind = "
    "'study' AND a.target = $1 ORDER BY a.id DESC LIMIT 1";

/* What a refused change must leave as it was: every list, every study's
 * version, the settings and the audit trail. */
static const char state_sql[] =
    "SELECT md5(coalesce((SELECT string_agg(a::text, ',' ORDER BY "
    "a.study_id, a.user_id) FROM study_access a), '') || (SELECT "
    "string_agg(s.code || '=' || s.version, ',' ORDER BY s.id) FROM "
    "studies s) || (SELECT s::text FROM settings s) || (SELECT count(*) "
    "FROM audit))";

static char *state(void)
{
	return pg_state(raw, state_sql);
}

static bool same_state(const char *before)
{
	return pg_same_state(
	    raw, state_sql, before,
	    "the lists, the studies' versions, the settings or "
	    "the audit trail");
}

static bool refused(bool made, const struct store_error *err,
                    const char *sqlstate, const char *before)
{
	return refused_as(made, err, sqlstate) && same_state(before);
}

static bool no_error_state(const struct store_error *err)
{
	if (err->sqlstate[0])
		diag("SQLSTATE %s: %s", err->sqlstate, err->message);
	return err->sqlstate[0] == '\0';
}

static bool message_is(const struct store_error *err, const char *want)
{
	bool same = strcmp(err->message, want) == 0;
	if (!same)
		diag("message \"%s\", expected \"%s\"", err->message, want);
	return same;
}

/* ---- the engine on a whole world --------------------------------------- */

static bool listed(const struct engine_world *w, int v, int study)
{
	const struct engine_user *u = engine_user(w, v);
	for (int i = 0; i < u->n_entries; i++)
		if (u->entries[i].study == study)
			return true;
	return false;
}

/* The users a has no access to `code` and b has (matched by login), and
 * their logins into names. */
static int opened_between(const struct engine_world *a,
                          const struct engine_world *b, const char *code,
                          char *names, size_t len)
{
	int sa = engine_study_find(a, code), sb = engine_study_find(b, code);
	int n = 0;
	size_t at = 0;
	names[0] = '\0';
	for (int v = 0; sa >= 0 && sb >= 0 && v < engine_n_users(b); v++) {
		const char *login = engine_user(b, v)->login;
		int u = engine_user_find(a, login);
		if (u >= 0 && !engine_study_actions(a, u, sa, NULL) &&
		    engine_study_actions(b, v, sb, NULL)) {
			n++;
			if (at < len)
				at += (size_t)snprintf(names + at, len - at,
				                       "%s%s", at ? "," : "",
				                       login);
		}
	}
	return n;
}

/* The users of a who have access in a to some study that they (by login)
 * lack in b (the study by code), and their logins into names. */
static int lost_between(const struct engine_world *a,
                        const struct engine_world *b, char *names, size_t len)
{
	int n = 0;
	size_t at = 0;
	names[0] = '\0';
	for (int u = 0; u < engine_n_users(a); u++) {
		const char *login = engine_user(a, u)->login;
		int v = engine_user_find(b, login);
		bool lost = false;
		for (int s = 0; s < engine_n_studies(a) && !lost; s++) {
			int t = engine_study_find(b, engine_study(a, s)->code);
			lost = engine_study_actions(a, u, s, NULL) &&
			       (v < 0 || t < 0 ||
			        !engine_study_actions(b, v, t, NULL));
		}
		if (lost) {
			n++;
			if (at < len)
				at += (size_t)snprintf(names + at, len - at,
				                       "%s%s", at ? "," : "",
				                       login);
		}
	}
	return n;
}

static int *all_users(const struct engine_world *w)
{
	int n = engine_n_users(w);
	int *v = malloc(((size_t)n + 1) * sizeof *v);
	if (!v)
		bail("out of memory", NULL);
	for (int i = 0; i < n; i++)
		v[i] = i;
	return v;
}

/* Name order as the candidates are listed, the Users list's: last name,
 * first name, then User ID, byte by byte. */
static int by_name(const struct engine_world *w, int a, int b)
{
	const struct engine_user *x = engine_user(w, a), *y = engine_user(w, b);
	int c = strcmp(x->last_name, y->last_name);
	if (!c)
		c = strcmp(x->first_name, y->first_name);
	return c ? c : strcmp(x->login, y->login);
}

/* The candidates the engine names on a whole world: enabled, not listed,
 * engine_import_candidate; by name. Logins joined by ",". */
static void engine_candidates(const struct engine_world *w, const char *code,
                              const struct store_study_filter *f, char *out,
                              size_t len)
{
	int study = engine_study_find(w, code);
	int site = f->site && f->site[0] ? engine_org_find(w, f->site) : -1;
	int role = f->role && f->role[0] ? engine_role_find(w, f->role) : -1;
	int n = 0;
	int *v = all_users(w);
	for (int u = 0; u < engine_n_users(w); u++)
		if (engine_user(w, u)->enabled && !listed(w, u, study) &&
		    engine_import_candidate(w, u, site, role))
			v[n++] = u;
	for (int i = 1; i < n; i++) /* insertion sort: a few hundred */
		for (int j = i; j > 0 && by_name(w, v[j - 1], v[j]) > 0; j--) {
			int t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	size_t at = 0;
	out[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s", i ? "," : "",
		                       engine_user(w, v[i])->login);
	free(v);
}

static void people_logins(const struct store_study_person *p, int n, char *out,
                          size_t len)
{
	size_t at = 0;
	out[0] = '\0';
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s", i ? "," : "",
		                       p[i].login);
}

/* Independent plain SQL for the candidates: $1 study, $2 site ("" none),
 * $3 role ("" none). */
static const char candidates_sql[] =
    "SELECT coalesce(string_agg(u.login, ',' ORDER BY u.last_name COLLATE "
    "\"C\", u.first_name COLLATE \"C\", u.login COLLATE \"C\"), '') "
    "FROM users u WHERE u.enabled AND "
    "($2 = '' OR u.id NOT IN (SELECT user_id FROM site_restrictions) OR "
    "u.id IN (SELECT r.user_id FROM site_restrictions r JOIN "
    "organisations o ON o.id = r.site_id WHERE lower(o.code) = "
    "lower($2))) AND ($3 = '' OR u.id IN (SELECT p.user_id FROM "
    "profile_roles p JOIN roles r ON r.id = p.role_id WHERE r.name = $3)) "
    "AND u.id NOT IN (SELECT a.user_id FROM study_access a JOIN studies s "
    "ON s.id = a.study_id WHERE s.code = $1)";

static void sql_candidates(const char *code, const struct store_study_filter *f,
                           char *out, size_t len)
{
	const char *p[] = {code, f->site ? f->site : "",
	                   f->role ? f->role : ""};
	pg_value(raw, out, len, candidates_sql, 3, p);
}

/* ---- the list ---------------------------------------------------------- */

static long long user_id(const char *login)
{
	return pg_number(raw, "SELECT id FROM users WHERE login = $1", login);
}

static void test_entries(struct store *s)
{
	struct store_study_list l;
	struct store_error err = {0};
	bool read = store_study_entries(s, "STUDY-A", &l, &err);
	ok(done(read, &err) && l.n == 3 && l.users[0] == user_id("pri002") &&
	       l.users[1] == user_id("imp001") &&
	       l.users[2] == user_id("dsb002") &&
	       l.version == study_version("STUDY-A"),
	   "store_study_entries STUDY-A: pri002, imp001, dsb002 (disabled) "
	   "by database id in stored order, the study's version %d",
	   read ? l.version : -1);
	store_study_list_free(&l);
	read = store_study_entries(s, "STUDY-B", &l, &err);
	ok(done(read, &err) && l.n == 3 && l.users[0] == user_id("xy0001") &&
	       l.users[1] == user_id("sta001") &&
	       l.users[2] == user_id("coo001"),
	   "store_study_entries STUDY-B: xy0001, sta001, coo001 in stored "
	   "order (not by id nor by login)");
	store_study_list_free(&l);
	/* the version is the row's, whatever it is (each UPDATE bumps it) */
	int vc = study_version("STUDY-C");
	bool bumped = pg_run(raw, "UPDATE studies SET name = name WHERE code "
	                          "= 'STUDY-C'; UPDATE studies SET name = name "
	                          "WHERE code = 'STUDY-C'");
	read = store_study_entries(s, "STUDY-C", &l, &err);
	ok(bumped && done(read, &err) && l.n == 0 && l.version == vc + 2 &&
	       study_version("STUDY-C") == vc + 2,
	   "store_study_entries STUDY-C (no list): no entry, version %d (the "
	   "row's, moved on twice)",
	   read ? l.version : -1);
	store_study_list_free(&l);
	read = store_study_entries(s, "NOPE-9", &l, &err);
	ok(!read && no_error_state(&err) &&
	       message_is(&err, "no study \"NOPE-9\"") && l.users == NULL,
	   "store_study_entries of no study: \"%s\", SQLSTATE \"\"",
	   err.message);
	read = store_study_entries(s, "study-a", &l, &err);
	ok(!read && message_is(&err, "no study \"study-a\""),
	   "study codes are compared exactly: study-a is no study");
}

static void test_texts(struct store *s)
{
	struct store_ids ids;
	struct engine_world *w = load_all(s, &ids);
	char buf[256];
	int v = engine_user_find(w, "rec001");
	store_user_sites_text(w, v, buf, sizeof buf);
	ok(strcmp(buf, "SITE-B (recruitment only)") == 0,
	   "store_user_sites_text rec001: \"%s\"", buf);
	store_user_sites_text(w, engine_user_find(w, "two001"), buf,
	                      sizeof buf);
	ok(strcmp(buf, "SITE-A, SITE-B") == 0,
	   "store_user_sites_text two001: \"%s\"", buf);
	store_user_roles_text(w, engine_user_find(w, "xy0001"), buf,
	                      sizeof buf);
	bool roles = strcmp(buf, "Role X, Role Y") == 0;
	store_user_roles_text(w, engine_user_find(w, "rec001"), buf,
	                      sizeof buf);
	ok(roles && strcmp(buf, "Investigator, Recruiter") == 0,
	   "store_user_roles_text xy0001, rec001: profile order, \", \"");
	store_user_sites_text(w, engine_user_find(w, "nor001"), buf,
	                      sizeof buf);
	bool none = buf[0] == '\0';
	store_user_roles_text(w, engine_user_find(w, "nor001"), buf,
	                      sizeof buf);
	ok(none && buf[0] == '\0', "nor001 (nothing): \"\" and \"\"");
	char small[9];
	memset(small, 'x', sizeof small);
	store_user_sites_text(w, engine_user_find(w, "two001"), small, 8);
	ok(strcmp(small, "SITE-A,") == 0 && small[8] == 'x',
	   "into 8 bytes: cut to \"%s\", nothing written beyond", small);
	free_all(w, &ids);
}

/* ---- Import's candidates ------------------------------------------------ */

struct candidate_case {
	const char *code, *site, *role;
	const char *want; /* by hand, NULL: not derived by hand */
	const char *why;
};

static void check_candidates(struct store *s, const struct engine_world *w,
                             const struct candidate_case *c)
{
	const struct store_study_filter f = {c->site, c->role};
	struct store_study_person *p = NULL;
	int n = 0;
	struct store_error err = {0};
	bool listed_ok = store_study_candidates(s, c->code, &f, &p, &n, &err);
	static char got[8192], by_sql[8192], by_engine[8192];
	people_logins(p, n, got, sizeof got);
	sql_candidates(c->code, &f, by_sql, sizeof by_sql);
	engine_candidates(w, c->code, &f, by_engine, sizeof by_engine);
	if (listed_ok && strcmp(got, by_engine) != 0)
		diag("the store: %s\nthe engine: %s", got, by_engine);
	if (listed_ok && strcmp(got, by_sql) != 0)
		diag("the store: %s\nplain SQL: %s", got, by_sql);
	if (listed_ok && c->want && strcmp(got, c->want) != 0)
		diag("the store: %s\nby hand: %s", got, c->want);
	ok(done(listed_ok, &err) && strcmp(got, by_engine) == 0 &&
	       strcmp(got, by_sql) == 0 &&
	       (!c->want || strcmp(got, c->want) == 0),
	   "candidates for %s by %s%s%s (%s): %d, as the engine over every "
	   "user, plain SQL%s say",
	   c->code, c->site ? c->site : "", c->site && c->role ? " and " : "",
	   c->role ? c->role : "", c->why, n, c->want ? " and the hand" : "");
	/* each row as the list shows it */
	bool rows = listed_ok;
	int study = engine_study_find(w, c->code);
	int site = c->site ? engine_org_find(w, c->site) : -1;
	int role = c->role ? engine_role_find(w, c->role) : -1;
	for (int i = 0; rows && i < n; i++) {
		int v = engine_user_find(w, p[i].login);
		const struct engine_user *u = engine_user(w, v);
		char name[300], sites[256], roles[256];
		snprintf(name, sizeof name, "%s, %s", u->last_name,
		         u->first_name);
		store_user_sites_text(w, v, sites, sizeof sites);
		store_user_roles_text(w, v, roles, sizeof roles);
		rows = engine_import_candidate(w, v, site, role) &&
		       u->enabled && !listed(w, v, study) &&
		       strcmp(p[i].name, name) == 0 &&
		       strcmp(p[i].sites, sites) == 0 &&
		       strcmp(p[i].roles, roles) == 0;
		if (!rows)
			diag("%s: \"%s\" \"%s\" \"%s\"", p[i].login, p[i].name,
			     p[i].sites, p[i].roles);
	}
	if (n > 0)
		ok(rows,
		   "... each passes engine_import_candidate, enabled, "
		   "unlisted, "
		   "with \"Last, First\", its sites and roles as the texts");
	store_study_people_free(p, n);
}

static void test_candidates(struct store *s)
{
	struct store_ids ids;
	struct engine_world *w = load_all(s, &ids);
	static const struct candidate_case cases[] = {
	    {"STUDY-A", "SITE-A", NULL,
	     "two001,rca001,rcz001,stu001,bth001,sta001,sum001,adm001,new001,"
	     "pri001,coo001,sit001,nor001,xy0001",
	     "restricted to SITE-A or not by site; not rec001 (SITE-B), "
	     "dis001 (disabled), nor the listed pri002, imp001, dsb002"},
	    {"STUDY-A", NULL, "Investigator",
	     "two001,rca001,rcz001,rec001,stu001,sta001,new001,pri001,sit001",
	     "Investigator in the profile; not pri002 (listed), dis001"},
	    {"STUDY-A", "SITE-A", "Investigator",
	     "two001,rca001,rcz001,stu001,sta001,new001,pri001,sit001",
	     "both: rec001 (SITE-B) goes"},
	    {"STUDY-B", NULL, "Recruiter", "rca001,rec001,imp001",
	     "not sta001, listed with Recruiter though it lacks it"},
	    {"STUDY-B", "SITE-B", "Data Manager", "imp001",
	     "not bth001 (SITE-A), dsb002 (disabled)"},
	    {"STUDY-C", "SITE-B", NULL,
	     "two001,rec001,stu001,sta001,sum001,adm001,new001,pri001,coo001,"
	     "imp001,nor001,pri002,xy0001",
	     "a study without a list; not sit001, bth001, rca001, rcz001 "
	     "(SITE-A)"},
	    {"STUDY-E", "site-a", NULL, NULL, "the site in another case"},
	    {"STUDY-D", NULL, "Role X", "xy0001", "a custom role"},
	    {"STUDY-D", NULL, "Study Administrator", "sum001",
	     "Study User Management holders are candidates too"},
	    {"STUDY-E", "", "Recruiter", NULL, "an empty site is no filter"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_candidates(s, w, &cases[i]);
	free_all(w, &ids);

	/* the errors: each clear, SQLSTATE "", no rows */
	static const struct {
		const char *code, *site, *role, *want, *why;
	} bad[] = {
	    {"STUDY-A", "NOPE-S", NULL, "no organisation \"NOPE-S\"",
	     "an unknown site"},
	    {"STUDY-A", "iqvia", NULL, "not a site: \"iqvia\"",
	     "an organisation that is not a site"},
	    {"STUDY-A", NULL, "Wizard", "no role \"Wizard\"",
	     "an unknown role"},
	    {"STUDY-A", NULL, "View", "not a study role: \"View\"",
	     "an organisation-domain role"},
	    {"NOPE-9", "SITE-A", NULL, "no study \"NOPE-9\"",
	     "an unknown study"},
	    {"NOPE-9", NULL, "Investigator", "no study \"NOPE-9\"",
	     "an unknown study, by role"},
	    {"STUDY-A", NULL, NULL,
	     "Import needs a site or a role to filter by", "no filter"},
	    {"STUDY-A", "", "", "Import needs a site or a role to filter by",
	     "empty filters"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct store_study_filter f = {bad[i].site, bad[i].role};
		struct store_study_person *p = (void *)1;
		int n = -1;
		struct store_error err = {0};
		bool listed_ok =
		    store_study_candidates(s, bad[i].code, &f, &p, &n, &err);
		ok(!listed_ok && no_error_state(&err) &&
		       message_is(&err, bad[i].want) && p == NULL && n == 0,
		   "candidates with %s: \"%s\"", bad[i].why, err.message);
		if (listed_ok)
			store_study_people_free(p, n);
	}

	/* A statement the server refuses (a code that is not UTF-8): the
	 * message is "the candidates: " and the server's words, once (an
	 * error formatted into itself once repeated the prefix). */
	const struct store_study_filter f = {"SITE-A", NULL};
	struct store_study_person *p = NULL;
	int n = 0;
	struct store_error err = {0};
	bool listed_ok =
	    store_study_candidates(s, "STUDY-\xff", &f, &p, &n, &err);
	const char *prefix = "the candidates: ";
	const char *again = strstr(err.message + strlen(prefix), prefix);
	bool clear = !listed_ok &&
	             strncmp(err.message, prefix, strlen(prefix)) == 0 &&
	             !again && strstr(err.message, "UTF8") &&
	             strcmp(err.sqlstate, "22021") == 0;
	if (!clear)
		diag("SQLSTATE \"%s\", message \"%s\"", err.sqlstate,
		     err.message);
	ok(clear,
	   "a study code that is not UTF-8: the server's error once, after "
	   "\"the candidates: \", its SQLSTATE 22021");
	if (listed_ok)
		store_study_people_free(p, n);
}

/* ---- Import -------------------------------------------------------------- */

static bool import(struct store *s, const char *op, const char *code,
                   int version, const char *site, const char *role,
                   const char *const *logins, int n, struct store_error *err)
{
	const struct store_study_filter f = {site, role};
	return store_study_import(s, op, code, version, &f, logins, n, err);
}

static void test_import(struct store *s)
{
	struct store_error err = {0};
	long audits = pg_audits(raw);
	int ve = study_version("STUDY-E");
	const char *e_users[] = {"two001", "new001"};
	bool made = import(s, "coo001", "STUDY-E", ve, "SITE-A", NULL, e_users,
	                   2, &err);
	ok(done(made, &err) && list_is("STUDY-E", "two001:-,new001:-") &&
	       study_version("STUDY-E") == ve + 1,
	   "coo001 (Study Coordinator) imports two001, new001 into STUDY-E "
	   "(no list) by SITE-A: at the end in the order given, no role (all "
	   "profile roles), version %d -> %d",
	   ve, study_version("STUDY-E"));
	ok(made && pg_audits(raw) == audits + 1 &&
	       pg_audits_of(raw, "study", "STUDY-E", "import") == 1 &&
	       pg_is(raw, "import|coo001||two001:-,new001:-", audit_lists_sql,
	             "STUDY-E") &&
	       pg_is(raw, "true",
	             "SELECT (org_ids = ARRAY[(SELECT id FROM organisations "
	             "WHERE code = 'SITE-A')])::text FROM audit WHERE "
	             "target_kind = 'study' AND target = $1",
	             "STUDY-E"),
	   "one audit record: kind study, target STUDY-E, action import, by "
	   "coo001, the list before (empty) and after; the study's site "
	   "touched");
	/* the list is in force now: coo001 is not on it */
	char *before = state();
	const char *sit[] = {"sit001"};
	made = import(s, "coo001", "STUDY-E", ve + 1, "SITE-A", NULL, sit, 1,
	              &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to configure study STUDY-E: "),
	   "coo001 again on STUDY-E, whose list it is not on: STORE_REFUSED "
	   "\"%s\"",
	   err.message);
	free(before);

	int va = study_version("STUDY-A");
	audits = pg_audits(raw);
	const char *a_users[] = {"sta001", "sit001"};
	made = import(s, "sum001", "STUDY-A", va, NULL, "Investigator", a_users,
	              2, &err);
	ok(done(made, &err) &&
	       list_is("STUDY-A", "pri002:-,imp001:-,dsb002:-,sta001:"
	                          "Investigator,sit001:Investigator") &&
	       pg_is(raw, "0,1,2,3,4",
	             "SELECT string_agg(a.position::text, ',' ORDER BY "
	             "a.position) FROM study_access a JOIN studies s ON s.id "
	             "= a.study_id WHERE s.code = $1",
	             "STUDY-A") &&
	       study_version("STUDY-A") == va + 1,
	   "sum001 (Study Administrator) imports sta001, sit001 into STUDY-A "
	   "by Investigator: after the three entries, with the filter's "
	   "role, positions 3 and 4, version +1");
	ok(made && pg_audits(raw) == audits + 1 &&
	       pg_is(raw,
	             "import|sum001|pri002:-,imp001:-,dsb002:-|pri002:-,imp001:"
	             "-,dsb002:-,sta001:Investigator,sit001:Investigator",
	             audit_lists_sql, "STUDY-A"),
	   "one audit record, the list before and after");
	struct store_ids ids;
	struct engine_world *w = load_all(s, &ids);
	int st = engine_study_find(w, "STUDY-A");
	ok(engine_study_actions(w, engine_user_find(w, "sit001"), st, NULL) ==
	           engine_role(w, ROLE_INVESTIGATOR)->actions &&
	       engine_study_actions(w, engine_user_find(w, "new001"), st,
	                            NULL) == 0,
	   "the engine, on the world read again: sit001 has Investigator's "
	   "actions in STUDY-A, new001 (not listed) none");
	free_all(w, &ids);

	int vb = study_version("STUDY-B");
	const char *b_users[] = {"two001"};
	made = import(s, "coo001", "STUDY-B", vb, "site-a", "Investigator",
	              b_users, 1, &err);
	ok(done(made, &err) &&
	       list_is("STUDY-B", "xy0001:Role X,sta001:Recruiter,coo001:-,"
	                          "two001:Investigator") &&
	       study_version("STUDY-B") == vb + 1,
	   "coo001 (listed on STUDY-B) imports two001 by site-a and "
	   "Investigator: the role written");
	vb++;

	/* refusals: nothing written by any */
	before = state();
	const char *with_rec[] = {"new001", "rec001"};
	made = import(s, "sum001", "STUDY-B", vb, "SITE-A", NULL, with_rec, 2,
	              &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "rec001 is not a candidate for this import"),
	   "new001 and rec001 (restricted to SITE-B) by SITE-A: STORE_REFUSED "
	   "\"%s\", new001 not written either",
	   err.message);
	const char *new1[] = {"new001"};
	made = import(s, "sum001", "STUDY-B", vb, NULL, "Recruiter", new1, 1,
	              &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "new001 is not a candidate"),
	   "new001 (no Recruiter) by Recruiter: STORE_REFUSED \"%s\"",
	   err.message);
	const char *dis[] = {"dis001"};
	made = import(s, "sum001", "STUDY-B", vb, "SITE-A", NULL, dis, 1, &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "dis001 is not a candidate"),
	   "dis001 (disabled) by SITE-A: STORE_REFUSED \"%s\"", err.message);
	const char *xy[] = {"stu001", "xy0001"};
	made = import(s, "sum001", "STUDY-B", vb, NULL, "Role X", xy, 2, &err);
	ok(refused(made, &err, STORE_REFUSED, before),
	   "stu001 (no Role X) and xy0001 by Role X: refused at stu001 "
	   "\"%s\"",
	   err.message);
	const char *xy_only[] = {"xy0001"};
	made = import(s, "sum001", "STUDY-B", vb, NULL, "Role X", xy_only, 1,
	              &err);
	ok(refused(made, &err, STORE_CONFLICT, before) &&
	       message_is(&err,
	                  "xy0001 is already on STUDY-B's user access list"),
	   "xy0001, already listed on STUDY-B: STORE_CONFLICT \"%s\"",
	   err.message);
	const char *stu[] = {"stu001"};
	made = import(s, "new001", "STUDY-C", study_version("STUDY-C"),
	              "SITE-B", NULL, stu, 1, &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to configure study STUDY-C: "),
	   "new001 (Investigator: neither study.configure nor "
	   "study.user_management) importing into STUDY-C: STORE_REFUSED "
	   "\"%s\"",
	   err.message);
	/* the engine's explanation, as the store gives it */
	char said[sizeof err.message];
	snprintf(said, sizeof said, "%s", err.message);
	w = load_all(s, &ids);
	struct engine_explain ex;
	engine_explain_init(&ex);
	int op = engine_user_find(w, "new001");
	bool may = engine_may_configure_study(
	    w, op, engine_study_find(w, "STUDY-C"), &ex);
	char line[900], want[1000];
	store_explain_line(w, op, -1, &ex, line, sizeof line);
	snprintf(want, sizeof want,
	         "not allowed to configure study STUDY-C: %s", line);
	engine_explain_free(&ex);
	free_all(w, &ids);
	ok(!may && strcmp(said, want) == 0,
	   "its message is the engine's explanation: \"%s\"", want);
	const char *im[] = {"imp001"};
	made = import(s, "coo001", "STUDY-A", study_version("STUDY-A"), NULL,
	              "Recruiter", im, 1, &err);
	ok(refused(made, &err, STORE_REFUSED, before),
	   "coo001 (study.configure, not on STUDY-A's list) importing into "
	   "STUDY-A: STORE_REFUSED \"%s\"",
	   err.message);
	made = import(s, "sum001", "STUDY-A", va, NULL, "Investigator", new1, 1,
	              &err);
	ok(refused(made, &err, STORE_CONFLICT, before) &&
	       has(err.message, "STUDY-A was changed by sum001 at ") &&
	       has(err.message, "(import) after this form was read"),
	   "an import from the list read before sum001's (version %d): "
	   "STORE_CONFLICT \"%s\"",
	   va, err.message);
	const char *ghost[] = {"ghost1"};
	made =
	    import(s, "sum001", "STUDY-D", 0, "SITE-B", NULL, ghost, 1, &err);
	ok(refused(made, &err, "", before) &&
	       message_is(&err, "no user \"ghost1\""),
	   "a user that does not exist: \"%s\"", err.message);
	made = import(s, "sum001", "NOPE-9", 0, "SITE-B", NULL, stu, 1, &err);
	ok(refused(made, &err, "", before) &&
	       message_is(&err, "no study \"NOPE-9\""),
	   "a study that does not exist: \"%s\"", err.message);
	made = import(s, "sum001", "STUDY-D", 0, "iqvia", NULL, stu, 1, &err);
	ok(!made && same_state(before) && has(err.message, "not a site"),
	   "filtered by iqvia (not a site): refused \"%s\"", err.message);
	made = import(s, "sum001", "STUDY-D", 0, "SITE-B", NULL, stu, 0, &err);
	ok(refused(made, &err, STORE_INVALID, before),
	   "no user ticked: STORE_INVALID \"%s\"", err.message);
	/* an import naming one user twice is refused naming the user (it
	 * once met study_access's primary key, naming no one) */
	const char *twice[] = {"stu001", "stu001"};
	made = import(s, "sum001", "STUDY-D", 0, NULL, "Investigator", twice, 2,
	              &err);
	ok(!made && same_state(before),
	   "stu001 ticked twice: refused, nothing written");
	ok(!made && strcmp(err.sqlstate, STORE_INVALID) == 0 &&
	       has(err.message, "stu001 is named twice"),
	   "... STORE_INVALID naming stu001 (SQLSTATE %s: \"%s\")",
	   err.sqlstate, err.message);
	free(before);
}

/* ---- Edit (the entry's role) -------------------------------------------- */

static void test_set_role(struct store *s)
{
	struct store_error err = {0};
	bool changed = false;
	int vb = study_version("STUDY-B");
	long audits = pg_audits(raw);
	bool made = store_study_set_role(s, "coo001", "STUDY-B", vb, "xy0001",
	                                 "Role Y", &changed, &err);
	ok(done(made, &err) && changed &&
	       list_is("STUDY-B", "xy0001:Role Y,sta001:Recruiter,coo001:-") &&
	       study_version("STUDY-B") == vb + 1 &&
	       pg_audits(raw) == audits + 1 &&
	       pg_is(raw,
	             "edit|coo001|xy0001:Role X,sta001:Recruiter,coo001:-|"
	             "xy0001:Role Y,sta001:Recruiter,coo001:-",
	             audit_lists_sql, "STUDY-B"),
	   "coo001 sets xy0001's role on STUDY-B from Role X to Role Y (in "
	   "its profile): written in place, version +1, one audit record "
	   "'edit' with the list before and after");
	struct store_ids ids;
	struct engine_world *w = load_all(s, &ids);
	ok(engine_study_actions(w, engine_user_find(w, "xy0001"),
	                        engine_study_find(w, "STUDY-B"), NULL) ==
	       engine_role(w, engine_role_find(w, "Role Y"))->actions,
	   "the engine then gives xy0001 Role Y's actions in STUDY-B");
	free_all(w, &ids);

	char *before = state();
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 1, "xy0001",
	                            "Role Y", &changed, &err);
	ok(done(made, &err) && !changed && same_state(before),
	   "Role Y again: done, changed false, nothing written, no audit "
	   "record, the version kept");
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 1, "xy0001",
	                            "Investigator", &changed, &err);
	ok(refused(made, &err, STORE_REFUSED, before) && !changed &&
	       message_is(&err,
	                  "Investigator is not one of xy0001's profile roles"),
	   "Investigator, not in xy0001's profile: STORE_REFUSED \"%s\"",
	   err.message);
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 1, "sta001",
	                            "Recruiter", &changed, &err);
	ok(refused(made, &err, STORE_REFUSED, before),
	   "sta001's own role Recruiter, which left its profile, set again: "
	   "STORE_REFUSED \"%s\"",
	   err.message);
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 1, "xy0001",
	                            "Wizard", &changed, &err);
	ok(!made && same_state(before) && has(err.message, "Wizard"),
	   "a role that does not exist: refused \"%s\"", err.message);
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 1, "xy0001",
	                            "View", &changed, &err);
	ok(!made && same_state(before) && has(err.message, "View"),
	   "an organisation-domain role: refused \"%s\"", err.message);
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 1, "new001",
	                            NULL, &changed, &err);
	ok(refused(made, &err, STORE_CONFLICT, before) &&
	       message_is(&err, "new001 is not on STUDY-B's user access list"),
	   "new001, not listed: STORE_CONFLICT \"%s\"", err.message);
	made = store_study_set_role(s, "new001", "STUDY-B", vb + 1, "xy0001",
	                            NULL, &changed, &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to configure study STUDY-B: "),
	   "new001 (Investigator, not listed) as the operator: STORE_REFUSED "
	   "\"%s\"",
	   err.message);
	made = store_study_set_role(s, "coo001", "STUDY-B", vb, "xy0001", NULL,
	                            &changed, &err);
	ok(refused(made, &err, STORE_CONFLICT, before) &&
	       has(err.message, "STUDY-B was changed by coo001 at ") &&
	       has(err.message, "(edit)"),
	   "from the list read before the edit: STORE_CONFLICT \"%s\"",
	   err.message);
	free(before);

	audits = pg_audits(raw);
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 1, "xy0001",
	                            NULL, &changed, &err);
	ok(done(made, &err) && changed &&
	       list_is("STUDY-B", "xy0001:-,sta001:Recruiter,coo001:-") &&
	       study_version("STUDY-B") == vb + 2 &&
	       pg_audits(raw) == audits + 1,
	   "NULL: all profile roles (role NULL), written and audited");
	before = state();
	made = store_study_set_role(s, "coo001", "STUDY-B", vb + 2, "xy0001",
	                            "", &changed, &err);
	ok(done(made, &err) && !changed && same_state(before),
	   "\"\" when it has no role already: changed false, no audit");
	free(before);

	made = store_study_set_role(s, "sum001", "STUDY-B", vb + 2, "sta001",
	                            "", &changed, &err);
	w = load_all(s, &ids);
	int sta = engine_user_find(w, "sta001");
	int sb = engine_study_find(w, "STUDY-B");
	ok(done(made, &err) && changed &&
	       list_is("STUDY-B", "xy0001:-,sta001:-,coo001:-") &&
	       !engine_entry_stale(w, sta, sb) &&
	       engine_study_actions(w, sta, sb, NULL) ==
	           engine_role(w, ROLE_INVESTIGATOR)->actions,
	   "sta001's stale entry (Recruiter) set to all profile roles by "
	   "sum001: no longer stale, Investigator's actions");
	free_all(w, &ids);
}

/* ---- Delete ------------------------------------------------------------- */

static void test_remove(struct store *s)
{
	struct store_error err = {0};
	int vb = study_version("STUDY-B");
	char *before = state();
	const char *none[] = {"new001"};
	bool made =
	    store_study_remove(s, "coo001", "STUDY-B", vb, none, 1, &err);
	ok(refused(made, &err, STORE_CONFLICT, before) &&
	       message_is(&err, "new001 is not on STUDY-B's user access list"),
	   "deleting new001's entry (not listed): STORE_CONFLICT \"%s\"",
	   err.message);
	const char *one_not[] = {"xy0001", "new001"};
	made = store_study_remove(s, "coo001", "STUDY-B", vb, one_not, 2, &err);
	ok(refused(made, &err, STORE_CONFLICT, before) &&
	       list_is("STUDY-B", "xy0001:Role X,sta001:Recruiter,coo001:-"),
	   "xy0001 and new001: STORE_CONFLICT, xy0001 kept too");
	const char *xy[] = {"xy0001"};
	made = store_study_remove(s, "new001", "STUDY-B", vb, xy, 1, &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to configure study STUDY-B: "),
	   "new001 (Investigator) deleting: STORE_REFUSED \"%s\"", err.message);
	made = store_study_remove(s, "coo001", "STUDY-B", vb + 5, xy, 1, &err);
	ok(refused(made, &err, STORE_CONFLICT, before),
	   "at a version it never had: STORE_CONFLICT \"%s\"", err.message);
	made = store_study_remove(s, "coo001", "STUDY-B", vb, xy, 0, &err);
	ok(refused(made, &err, STORE_INVALID, before),
	   "no entry ticked: STORE_INVALID \"%s\"", err.message);
	free(before);

	long audits = pg_audits(raw);
	const char *two[] = {"xy0001", "sta001"};
	made = store_study_remove(s, "coo001", "STUDY-B", vb, two, 2, &err);
	ok(done(made, &err) && list_is("STUDY-B", "coo001:-") &&
	       study_version("STUDY-B") == vb + 1 &&
	       pg_audits(raw) == audits + 1 &&
	       pg_audits_of(raw, "study", "STUDY-B", "delete") == 1 &&
	       pg_is(raw,
	             "delete|coo001|xy0001:Role X,sta001:Recruiter,coo001:-|"
	             "coo001:-",
	             audit_lists_sql, "STUDY-B"),
	   "coo001 deletes xy0001's and sta001's entries at once: coo001's "
	   "left, version +1, ONE audit record 'delete' with the list before "
	   "and after");
	made = store_study_remove(s, "coo001", "STUDY-B", vb, xy, 1, &err);
	ok(refused_as(made, &err, STORE_CONFLICT) &&
	       has(err.message, "STUDY-B was changed by coo001 at ") &&
	       has(err.message, "(delete)"),
	   "from the list read before: STORE_CONFLICT \"%s\"", err.message);
	/* a user named twice is refused, as an import's is */
	int va = study_version("STUDY-A");
	const char *twice[] = {"imp001", "imp001"};
	made = store_study_remove(s, "sum001", "STUDY-A", va, twice, 2, &err);
	ok(refused_as(made, &err, STORE_INVALID) &&
	       has(err.message, "imp001 is named twice") &&
	       list_is("STUDY-A", "pri002:-,imp001:-,dsb002:-"),
	   "imp001 named twice: refused \"%s\", nothing deleted", err.message);
	/* the last entry: the list is no longer in force */
	const char *last[] = {"coo001"};
	made =
	    store_study_remove(s, "sum001", "STUDY-B", vb + 1, last, 1, &err);
	struct store_study_list l;
	bool read = store_study_entries(s, "STUDY-B", &l, &err);
	ok(done(made, &err) && read && l.n == 0 &&
	       l.version == study_version("STUDY-B") && list_is("STUDY-B", ""),
	   "sum001 deletes coo001's entry, the last: STUDY-B has no list");
	store_study_list_free(&l);
	struct store_ids ids;
	struct engine_world *w = load_all(s, &ids);
	int sb = engine_study_find(w, "STUDY-B");
	ok(engine_study(w, sb)->n_entries == 0 &&
	       engine_study_actions(w, engine_user_find(w, "new001"), sb,
	                            NULL) != 0 &&
	       engine_may_configure_study(w, engine_user_find(w, "coo001"), sb,
	                                  NULL),
	   "the profile restrictions decide again: new001 let in, coo001 "
	   "still configures it");
	free_all(w, &ids);
}

/* ---- operators and their own entries ------------------------------------ */

/* access-model.md section 5: "on themself (O = V): O sees themself and
 * edits their own contact details; nothing else". esc001 (made here:
 * profile Study Coordinator and Investigator) is listed on STUDY-B with
 * Study Coordinator only: setting its own role to all profile roles
 * would give it Investigator's subject.edit and data.review there (an
 * escalation); engine_may_change_entry refuses it, as it refuses coo001
 * deleting its own entry. */
static void test_self(struct store *s)
{
	must_run(
	    "INSERT INTO users (login, first_name, last_name, email, "
	    "work_phone) VALUES ('esc001', 'Esme', 'Scott', "
	    "'esme.scott@example.com', '0200000201'); INSERT INTO "
	    "profile_roles (user_id, role_id, position) SELECT u.id, r.id, "
	    "r.n FROM users u, (SELECT id, CASE name WHEN 'Study "
	    "Coordinator' THEN 0 ELSE 1 END AS n FROM roles WHERE name IN "
	    "('Study Coordinator', 'Investigator')) r WHERE u.login = "
	    "'esc001'; INSERT INTO study_access (study_id, user_id, "
	    "role_id, position) SELECT s.id, u.id, r.id, 3 FROM studies s, "
	    "users u, roles r WHERE s.code = 'STUDY-B' AND u.login = "
	    "'esc001' AND r.name = 'Study Coordinator'");
	struct store_error err = {0};
	bool changed = false;
	int vb = study_version("STUDY-B");
	char *before = state();
	bool made = store_study_set_role(s, "esc001", "STUDY-B", vb, "esc001",
	                                 NULL, &changed, &err);
	ok(refused(made, &err, STORE_REFUSED, before),
	   "esc001 (listed on STUDY-B as Study Coordinator of Study "
	   "Coordinator and Investigator) setting its own entry to all "
	   "profile roles: refused, nothing written");
	if (made) /* put it back for what follows */
		must_run(
		    "UPDATE study_access SET role_id = (SELECT id FROM "
		    "roles WHERE name = 'Study Coordinator') WHERE user_id "
		    "= (SELECT id FROM users WHERE login = 'esc001')");
	free(before);
	before = state();
	const char *coo[] = {"coo001"};
	made = store_study_remove(s, "coo001", "STUDY-B",
	                          study_version("STUDY-B"), coo, 1, &err);
	ok(refused(made, &err, STORE_REFUSED, before) &&
	       has(err.message, "operators may change only their own contact"),
	   "coo001 deleting its own entry on STUDY-B: refused \"%s\", nothing "
	   "written",
	   err.message);
	free(before);
	/* another operator may */
	made = store_study_set_role(s, "sum001", "STUDY-B",
	                            study_version("STUDY-B"), "esc001", "",
	                            &changed, &err);
	ok(done(made, &err) && changed &&
	       pg_is(raw, "-",
	             "SELECT coalesce(r.name, '-') FROM study_access a JOIN "
	             "users u ON u.id = a.user_id LEFT JOIN roles r ON r.id = "
	             "a.role_id WHERE u.login = $1",
	             "esc001"),
	   "sum001 setting esc001's entry to all profile roles: written");
}

/* ---- two consoles ---------------------------------------------------------
 */

/* Each racer imports one user into STUDY-D (no list) from one version. */
static const char *const race_ops[2] = {"sum001", "coo001"};
static const char *const race_users[2] = {"new001", "stu001"};

static void *race_read(struct store *s, int i, void *ctx,
                       struct store_error *err)
{
	(void)i;
	(void)ctx;
	struct store_study_list *l = calloc(1, sizeof *l);
	if (l && store_study_entries(s, "STUDY-D", l, err))
		return l;
	free(l);
	return NULL;
}

static bool race_save(struct store *s, int i, void *state,
                      struct store_error *err)
{
	const struct store_study_list *l = state;
	const char *who[] = {race_users[i]};
	return import(s, race_ops[i], "STUDY-D", l->version, "SITE-B", NULL,
	              who, 1, err);
}

static void race_free(void *state)
{
	store_study_list_free(state);
	free(state);
}

static void test_race(void)
{
	long audits = pg_audits(raw);
	int vd = study_version("STUDY-D");
	struct pg_racer r = {race_read, race_save, race_free, NULL};
	struct pg_race_outcome out[2];
	int n_ready = pg_test_race(conninfo, &r, out);
	for (int i = 0; i < 2; i++)
		diag("%s: %s %s %s", race_ops[i],
		     out[i].saved ? "saved" : "refused", out[i].sqlstate,
		     out[i].message);
	int winners = out[0].saved + out[1].saved;
	int loser = out[0].saved ? 1 : 0;
	ok(n_ready == 2 && winners == 1,
	   "two consoles import into STUDY-D from one version at once: "
	   "exactly one succeeds");
	char who[80], want[80];
	snprintf(who, sizeof who, "STUDY-D was changed by %s at ",
	         race_ops[1 - loser]);
	snprintf(want, sizeof want, "%s:-", race_users[1 - loser]);
	ok(winners == 1 && strcmp(out[loser].sqlstate, STORE_CONFLICT) == 0 &&
	       has(out[loser].message, who),
	   "the other gets STORE_CONFLICT naming the winner");
	ok(winners == 1 && list_is("STUDY-D", want) &&
	       study_version("STUDY-D") == vd + 1 &&
	       pg_audits(raw) == audits + 1,
	   "the list holds the winner's entry alone, version +1, one audit "
	   "record");
}

/* ---- the users emptying a list opens the study to ------------------------ */

/* For each study: the store's count, then every entry deleted with
 * store_study_remove (by sum001), and the users who have access now and
 * had none, user by user on worlds of every user. */
static void check_opened(struct store *s, const char *code, int by_hand,
                         const char *setting)
{
	struct store_error err = {0};
	long n = -1;
	bool counted = store_study_opened_by_emptying(s, code, &n, &err);
	struct store_ids ids0, ids1;
	struct engine_world *w0 = load_all(s, &ids0);
	int *users = all_users(w0);
	int engine_n = engine_study_opened_by_emptying(
	    w0, engine_study_find(w0, code), users, engine_n_users(w0));
	free(users);
	struct store_study_list l;
	bool emptied = store_study_entries(s, code, &l, &err);
	const char **logins = calloc((size_t)l.n + 1, sizeof *logins);
	char(*names)[65] = calloc((size_t)l.n + 1, sizeof *names);
	for (int i = 0; emptied && i < l.n; i++) {
		char key[32];
		snprintf(key, sizeof key, "%lld", l.users[i]);
		const char *p[] = {key};
		pg_value(raw, names[i], sizeof names[i],
		         "SELECT login FROM users WHERE id = $1", 1, p);
		logins[i] = names[i];
	}
	emptied = emptied && l.n > 0 &&
	          store_study_remove(s, "sum001", code, l.version, logins, l.n,
	                             &err) &&
	          list_is(code, "");
	struct engine_world *w1 = load_all(s, &ids1);
	char who[2048];
	int opened = opened_between(w0, w1, code, who, sizeof who);
	ok(done(counted && emptied, &err) && n == opened && n == by_hand &&
	       engine_n == n,
	   "%s%s: store_study_opened_by_emptying says %ld; deleting all %d "
	   "entries let in %d who had no access (%s; by hand %d; the engine "
	   "on every user %d)",
	   code, setting, n, l.n, opened, who, by_hand, engine_n);
	long after = -1;
	bool again = store_study_opened_by_emptying(s, code, &after, &err);
	ok(done(again, &err) && after == 0,
	   "%s%s, its list empty: 0 to open (%ld)", code, setting, after);
	store_study_list_free(&l);
	free(logins);
	free(names);
	free_all(w0, &ids0);
	free_all(w1, &ids1);
}

static void test_opened(void)
{
	static const struct {
		const char *prefix, *sql, *setting;
		int a, b;
	} runs[] = {
	    {"ad_studies_open", NULL, "", 8, 7},
	    {"ad_studies_open_site",
	     "UPDATE settings SET require_site_restrictions = true",
	     " (site restrictions required)", 3, 4},
	    {"ad_studies_open_study",
	     "UPDATE settings SET require_study_restrictions = true",
	     " (study restrictions required)", 1, 1},
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		struct store *s = part_begin(runs[i].prefix);
		if (runs[i].sql)
			pg_run(raw, runs[i].sql);
		check_opened(s, "STUDY-A", runs[i].a, runs[i].setting);
		check_opened(s, "STUDY-B", runs[i].b, runs[i].setting);
		if (i == 0) {
			struct store_error err = {0};
			long n = -1;
			bool counted = store_study_opened_by_emptying(
			    s, "STUDY-C", &n, &err);
			ok(done(counted, &err) && n == 0,
			   "STUDY-C (no list): 0");
			counted = store_study_opened_by_emptying(s, "NOPE-9",
			                                         &n, &err);
			ok(!counted && message_is(&err, "no study \"NOPE-9\""),
			   "no study: \"%s\"", err.message);
		}
		part_end(s);
	}
}

/* ---- the settings ---------------------------------------------------------
 */

/* The store's count for `to`, the switches saved by adm001, and the users
 * who lost access to some study, on worlds of every user. */
static void check_shut_out(struct store *s, struct engine_settings to,
                           int by_hand, const char *what)
{
	struct store_error err = {0};
	long n = -1;
	bool counted = store_settings_shut_out(s, &to, &n, &err);
	struct store_ids ids0, ids1;
	struct engine_world *w0 = load_all(s, &ids0);
	int *users = all_users(w0);
	int engine_n =
	    engine_settings_shut_out(w0, &to, users, engine_n_users(w0));
	free(users);
	struct engine_settings now;
	int version = 0;
	bool changed = false;
	bool saved =
	    store_settings_read(s, &now, &version, &err) &&
	    store_settings_save(s, "adm001", version, &to, &changed, &err);
	struct engine_world *w1 = load_all(s, &ids1);
	char who[2048];
	int lost = lost_between(w0, w1, who, sizeof who);
	ok(done(counted && saved, &err) && n == lost && n == by_hand &&
	       engine_n == n,
	   "%s: store_settings_shut_out says %ld; saved, %d lose access to a "
	   "study (%s; by hand %d; the engine on every user %d)",
	   what, n, lost, who, by_hand, engine_n);
	free_all(w0, &ids0);
	free_all(w1, &ids1);
}

static void test_settings(void)
{
	struct store *s = part_begin("ad_studies_set");
	struct store_error err = {0};
	struct engine_settings now = {true, true};
	int version = -1;
	bool read = store_settings_read(s, &now, &version, &err);
	ok(done(read, &err) && !now.require_site_restrictions &&
	       !now.require_study_restrictions && version == settings_version(),
	   "store_settings_read: both off, version %d", version);
	const struct engine_settings off = {false, false}, site = {true, false},
	                             both = {true, true};
	long n = -1;
	ok(store_settings_shut_out(s, &off, &n, &err) && n == 0,
	   "shut out by the settings as they are: 0");

	char *before = state();
	bool changed = true;
	bool saved =
	    store_settings_save(s, "coo001", version, &site, &changed, &err);
	ok(refused(saved, &err, STORE_REFUSED, before) && !changed &&
	       has(err.message, "not allowed to change the settings: "),
	   "coo001 (no access.grant_any over a root) saving: STORE_REFUSED "
	   "\"%s\"",
	   err.message);
	saved =
	    store_settings_save(s, "sum001", version, &site, &changed, &err);
	ok(refused(saved, &err, STORE_REFUSED, before),
	   "sum001 (Study Administrator, no grant): STORE_REFUSED \"%s\"",
	   err.message);
	saved = store_settings_save(s, "coo001", version, &off, &changed, &err);
	ok(refused(saved, &err, STORE_REFUSED, before),
	   "coo001 saving the values as they are: STORE_REFUSED too");
	saved = store_settings_save(s, "adm001", version, &off, &changed, &err);
	ok(done(saved, &err) && !changed && same_state(before),
	   "adm001 saving the values as they are: done, changed false, no "
	   "audit record, the version kept");
	free(before);

	long audits = pg_audits(raw);
	long updates = pg_audits_of(raw, "settings", "settings", "update");
	check_shut_out(s, site, 7, "site restrictions required");
	ok(pg_audits(raw) == audits + 1 &&
	       pg_audits_of(raw, "settings", "settings", "update") ==
	           updates + 1 &&
	       settings_version() == version + 1 &&
	       pg_is(raw, "adm001|false|true|false|false|true",
	             "SELECT operator || '|' || (before->>"
	             "'require_site_restrictions') || '|' || (after->>"
	             "'require_site_restrictions') || '|' || (before->>"
	             "'require_study_restrictions') || '|' || (after->>"
	             "'require_study_restrictions') || '|' || (org_ids = "
	             "ARRAY(SELECT id FROM organisations WHERE parent_id IS "
	             "NULL))::text FROM audit WHERE target_kind = $1 ORDER "
	             "BY id DESC LIMIT 1",
	             "settings"),
	   "the save: one audit record (kind settings, target settings, "
	   "update, by adm001), before and after, the roots touched; version "
	   "+1");
	ok(store_settings_read(s, &now, &version, &err) &&
	       now.require_site_restrictions && !now.require_study_restrictions,
	   "store_settings_read: site on, study off");
	before = state();
	saved = store_settings_save(s, "adm001", version - 1, &both, &changed,
	                            &err);
	ok(refused(saved, &err, STORE_CONFLICT, before) &&
	       has(err.message, "settings was changed by adm001 at ") &&
	       has(err.message, "(update) after this form was read"),
	   "a save from the settings read before (version %d): "
	   "STORE_CONFLICT \"%s\"",
	   version - 1, err.message);
	saved =
	    store_settings_save(s, "adm001", version, &site, &changed, &err);
	ok(done(saved, &err) && !changed && same_state(before),
	   "site on saved again: changed false, no audit");
	free(before);
	check_shut_out(s, both, 4,
	               "study restrictions required too (site already)");
	check_shut_out(s, off, 0, "both turned off");
	ok(store_settings_read(s, &now, &version, &err) &&
	       !now.require_site_restrictions &&
	       !now.require_study_restrictions &&
	       pg_audits_of(raw, "settings", "settings", "update") ==
	           updates + 3,
	   "both off again, three saves audited");
	part_end(s);

	s = part_begin("ad_studies_set_study");
	check_shut_out(s, (struct engine_settings){false, true}, 9,
	               "study restrictions required");
	part_end(s);
	s = part_begin("ad_studies_set_both");
	check_shut_out(s, both, 11, "both turned on at once");
	part_end(s);
}

/* ---- random users ---------------------------------------------------------
 */

static const char *const study_roles[] = {"Study Administrator",
                                          "Study Coordinator",
                                          "Investigator",
                                          "Data Manager",
                                          "Recruiter",
                                          "Role X",
                                          "Role Y"};
#define N_STUDY_ROLES 7
static const char *const studies[] = {"STUDY-A", "STUDY-B", "STUDY-C",
                                      "STUDY-D", "STUDY-E"};
#define N_STUDIES 5
static const char *const sites[] = {"SITE-A", "SITE-B"};

static void random_users(struct rng *r, int n)
{
	static const char *const last[] = {"Abbot", "abbot", "Baker", "Cole",
	                                   "Dee",   "Evans", "evans", "Ford"};
	static const char *const first[] = {"Ann", "ann", "Bob", "Cy", "Di"};
	char sql[1024];
	for (int i = 0; i < n; i++) {
		char login[16];
		snprintf(login, sizeof login, "r%03d", i);
		snprintf(
		    sql, sizeof sql,
		    "INSERT INTO users (login, first_name, last_name, email, "
		    "work_phone, enabled) VALUES ('%s', '%s', '%s', "
		    "'%s@example.com', '0200000999', %s)",
		    login, first[rng_below(r, 5)], last[rng_below(r, 8)], login,
		    rng_pct(r, 85) ? "true" : "false");
		must_run(sql);
		bool in_profile[N_STUDY_ROLES] = {0};
		int pos = 0;
		int k = rng_range(r, 0, 3);
		for (int j = 0; j < k; j++) {
			int role = rng_below(r, N_STUDY_ROLES);
			/* Study Administrator sometimes, not often */
			if (in_profile[role] || (role == 0 && rng_pct(r, 70)))
				continue;
			in_profile[role] = true;
			snprintf(
			    sql, sizeof sql,
			    "INSERT INTO profile_roles (user_id, role_id, "
			    "position) SELECT u.id, r.id, %d FROM users u, "
			    "roles r WHERE u.login = '%s' AND r.name = '%s'",
			    pos++, login, study_roles[role]);
			must_run(sql);
		}
		pos = 0;
		for (int j = 0; j < 2; j++) {
			if (!rng_pct(r, 30))
				continue;
			snprintf(
			    sql, sizeof sql,
			    "INSERT INTO site_restrictions (user_id, site_id, "
			    "recruitment_only, position) SELECT u.id, o.id, "
			    "%s, %d FROM users u, organisations o WHERE "
			    "u.login = '%s' AND o.code = '%s'",
			    rng_pct(r, 25) ? "true" : "false", pos++, login,
			    sites[j]);
			must_run(sql);
		}
		pos = 0;
		bool restricted = rng_pct(r, 30);
		for (int j = 0; restricted && j < N_STUDIES; j++) {
			if (!rng_pct(r, 40))
				continue;
			snprintf(
			    sql, sizeof sql,
			    "INSERT INTO restricted_studies (user_id, "
			    "study_id, position) SELECT u.id, s.id, %d FROM "
			    "users u, studies s WHERE u.login = '%s' AND "
			    "s.code = '%s'",
			    pos++, login, studies[j]);
			must_run(sql);
		}
		for (int j = 0; j < N_STUDIES; j++) {
			/* STUDY-C keeps no list: its count is 0 */
			if (j == 2 || !rng_pct(r, 15))
				continue;
			/* none, a role of the profile or maybe not (stale) */
			int role =
			    rng_pct(r, 40) ? -1 : rng_below(r, N_STUDY_ROLES);
			char role_sql[80];
			if (role < 0)
				snprintf(role_sql, sizeof role_sql, "NULL");
			else
				snprintf(role_sql, sizeof role_sql,
				         "(SELECT id FROM roles WHERE name = "
				         "'%s')",
				         study_roles[role]);
			snprintf(
			    sql, sizeof sql,
			    "INSERT INTO study_access (study_id, user_id, "
			    "role_id, position) SELECT s.id, u.id, %s, "
			    "(SELECT coalesce(max(position), -1) + 1 FROM "
			    "study_access WHERE study_id = s.id) FROM users "
			    "u, studies s WHERE u.login = '%s' AND s.code = "
			    "'%s'",
			    role_sql, login, studies[j]);
			must_run(sql);
		}
	}
}

static const char *const settings_sql[4] = {
    "UPDATE settings SET require_site_restrictions = false, "
    "require_study_restrictions = false",
    "UPDATE settings SET require_site_restrictions = true, "
    "require_study_restrictions = false",
    "UPDATE settings SET require_site_restrictions = false, "
    "require_study_restrictions = true",
    "UPDATE settings SET require_site_restrictions = true, "
    "require_study_restrictions = true"};

static struct engine_settings settings_of(int k)
{
	return (struct engine_settings){(k & 1) != 0, (k & 2) != 0};
}

static void test_random(void)
{
	struct store *s = part_begin("ad_studies_rand");
	struct rng r = {20261201};
	random_users(&r, 160);
	struct store_error err = {0};

	/* candidates: every study, every filter */
	struct store_ids ids;
	struct engine_world *w = load_all(s, &ids);
	ok(engine_n_users(w) == 19 + 160,
	   "160 random users made beside the 19 of the fixture (%d)",
	   engine_n_users(w));
	for (int j = 0; j < N_STUDIES; j++) {
		int filters = 0, wrong = 0;
		for (int site = -1; site < 2; site++)
			for (int role = -1; role < N_STUDY_ROLES; role++) {
				if (site < 0 && role < 0)
					continue;
				const struct store_study_filter f = {
				    site < 0 ? NULL : sites[site],
				    role < 0 ? NULL : study_roles[role]};
				struct store_study_person *p = NULL;
				int n = 0;
				static char got[16384], want[16384],
				    by_sql[16384];
				bool listed_ok = store_study_candidates(
				    s, studies[j], &f, &p, &n, &err);
				people_logins(p, n, got, sizeof got);
				engine_candidates(w, studies[j], &f, want,
				                  sizeof want);
				sql_candidates(studies[j], &f, by_sql,
				               sizeof by_sql);
				filters++;
				if (!listed_ok || strcmp(got, want) != 0 ||
				    strcmp(got, by_sql) != 0) {
					wrong++;
					diag("%s by %s/%s: %s\nthe store: %s\n"
					     "the engine: %s\nplain SQL: %s",
					     studies[j], f.site ? f.site : "-",
					     f.role ? f.role : "-",
					     listed_ok ? "" : err.message, got,
					     want, by_sql);
				}
				store_study_people_free(p, n);
			}
		ok(wrong == 0,
		   "random users, %s: the candidates of each of %d filters "
		   "are the engine's over every user and plain SQL's (%d "
		   "differ)",
		   studies[j], filters, wrong);
	}
	free_all(w, &ids);

	/* the users emptying each list opens its study to, under each
	 * setting: the list deleted by hand and put back */
	for (int k = 0; k < 4; k++) {
		must_run(settings_sql[k]);
		int wrong = 0, total = 0;
		for (int j = 0; j < N_STUDIES; j++) {
			long n = -1;
			bool counted = store_study_opened_by_emptying(
			    s, studies[j], &n, &err);
			struct store_ids ids0, ids1;
			struct engine_world *w0 = load_all(s, &ids0);
			char sql[512];
			snprintf(
			    sql, sizeof sql,
			    "CREATE TEMP TABLE kept AS SELECT a.* FROM "
			    "study_access a JOIN studies s ON s.id = "
			    "a.study_id WHERE s.code = '%s'; DELETE FROM "
			    "study_access WHERE study_id IN (SELECT study_id "
			    "FROM kept)",
			    studies[j]);
			must_run(sql);
			struct engine_world *w1 = load_all(s, &ids1);
			must_run(
			    "INSERT INTO study_access SELECT * FROM kept; DROP "
			    "TABLE kept");
			char who[4096];
			int opened =
			    opened_between(w0, w1, studies[j], who, sizeof who);
			total += opened;
			if (!counted || n != opened) {
				wrong++;
				diag("%s, settings %d: the store %ld (%s), "
				     "emptied %d: %s",
				     studies[j], k, n,
				     counted ? "" : err.message, opened, who);
			}
			free_all(w0, &ids0);
			free_all(w1, &ids1);
		}
		ok(wrong == 0,
		   "random users, settings site %s study %s: "
		   "store_study_opened_by_emptying of each study is what "
		   "emptying its list does (%d let in over the %d studies; %d "
		   "differ)",
		   k & 1 ? "on" : "off", k & 2 ? "on" : "off", total, N_STUDIES,
		   wrong);
	}

	/* the users each change of the settings shuts out */
	for (int from = 0; from < 4; from++) {
		int wrong = 0, total = 0;
		for (int to = 0; to < 4; to++) {
			must_run(settings_sql[from]);
			struct engine_settings t = settings_of(to);
			long n = -1;
			bool counted = store_settings_shut_out(s, &t, &n, &err);
			struct store_ids ids0, ids1;
			struct engine_world *w0 = load_all(s, &ids0);
			must_run(settings_sql[to]);
			struct engine_world *w1 = load_all(s, &ids1);
			char who[4096];
			int lost = lost_between(w0, w1, who, sizeof who);
			total += lost;
			if (!counted || n != lost) {
				wrong++;
				diag("settings %d -> %d: the store %ld (%s), "
				     "saved %d: %s",
				     from, to, n, counted ? "" : err.message,
				     lost, who);
			}
			free_all(w0, &ids0);
			free_all(w1, &ids1);
		}
		ok(wrong == 0,
		   "random users, from site %s study %s to each of the four "
		   "settings: store_settings_shut_out is who loses a study "
		   "(%d in all; %d differ)",
		   from & 1 ? "on" : "off", from & 2 ? "on" : "off", total,
		   wrong);
	}
	part_end(s);
}

/* The worlds of their own read both ways (every user's study profile
 * past a threshold, those named below it) give the same candidates and
 * counts: the threshold set to 1 against the default, on the seed's
 * users and the fixture's. */
static void test_everyone(void)
{
	struct store *s = part_begin("ad_studies_everyone");
	static const struct store_study_filter filters[] = {
	    {"SITE-A", NULL}, {NULL, "Investigator"}, {"SITE-B", "Recruiter"}};
	int same = 0, all = 0;
	for (size_t j = 0; j < 3; j++) { /* STUDY-A, -B and -C */
		for (size_t k = 0; k < sizeof filters / sizeof *filters; k++) {
			static char by_ids[8192], by_all[8192];
			struct store_study_person *p = NULL;
			int n = 0;
			struct store_error err = {0};
			store_study_set_everyone_at(0);
			bool a = store_study_candidates(
			    s, studies[j], &filters[k], &p, &n, &err);
			people_logins(p, n, by_ids, sizeof by_ids);
			store_study_people_free(p, n);
			store_study_set_everyone_at(1);
			bool b = store_study_candidates(
			    s, studies[j], &filters[k], &p, &n, &err);
			people_logins(p, n, by_all, sizeof by_all);
			store_study_people_free(p, n);
			all++;
			if (a && b && strcmp(by_ids, by_all) == 0 && by_ids[0])
				same++;
			else
				diag("%s: %s / %s", studies[j], by_ids, by_all);
		}
		long o1 = -1, o2 = -2;
		struct store_error err = {0};
		store_study_set_everyone_at(0);
		bool a =
		    store_study_opened_by_emptying(s, studies[j], &o1, &err);
		store_study_set_everyone_at(1);
		bool b =
		    store_study_opened_by_emptying(s, studies[j], &o2, &err);
		all++;
		same += a && b && o1 == o2;
	}
	const struct engine_settings to = {true, true};
	long n1 = -1, n2 = -2;
	struct store_error err = {0};
	store_study_set_everyone_at(0);
	bool a = store_settings_shut_out(s, &to, &n1, &err);
	store_study_set_everyone_at(1);
	bool b = store_settings_shut_out(s, &to, &n2, &err);
	store_study_set_everyone_at(0);
	all++;
	same += a && b && n1 == n2 && n1 > 0;
	ok(same == all,
	   "every user's study profiles or those named: the same candidates "
	   "(9 filters), users opened (3 studies) and shut out (%d of %d)",
	   same, all);
	part_end(s);
}

int main(void)
{
	pg_test_start();
	const struct pg_test_db *tmpl = pg_test_create("ad_studies_tmpl", NULL);
	template_name = tmpl->name;
	struct store *s = pg_test_connect(tmpl->conninfo);
	pg_test_migrate(s);
	if (!ok(pg_test_load(s, "../console/studies.conf"),
	        "db load console/studies.conf"))
		bail("cannot load the seed world", NULL);
	if (!ok(pg_test_load(s, "../db/studies-fixture.conf"),
	        "db load db/studies-fixture.conf on top"))
		bail("cannot load the fixture", NULL);
	store_disconnect(s);

	s = part_begin("ad_studies_read");
	test_entries(s);
	test_texts(s);
	test_candidates(s);
	part_end(s);
	s = part_begin("ad_studies_import");
	test_import(s);
	part_end(s);
	s = part_begin("ad_studies_role");
	test_set_role(s);
	part_end(s);
	s = part_begin("ad_studies_remove");
	test_remove(s);
	part_end(s);
	s = part_begin("ad_studies_self");
	test_self(s);
	test_race();
	part_end(s);
	test_opened();
	test_settings();
	test_random();
	test_everyone();

	return pg_test_done(n_tests, n_failed);
}
