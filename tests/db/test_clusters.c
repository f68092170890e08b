/* test_clusters.c: the Service Provider Clusters tab's store against a real
 * PostgreSQL server (TAP; screens.md "3 Service Provider Clusters",
 * access-model.md section 5, "see / create, edit, delete a cluster"):
 * store_cluster_list, store_cluster_read, store_cluster_save (add and
 * update), store_cluster_delete, store_cluster_users and
 * store_cluster_what_if. Each change is checked for what it says, what the
 * database holds afterwards and the audit record it wrote (one for a
 * change, none for a refusal or for nothing to change); each refusal
 * leaves the clusters, their members and the audit trail as they were.
 *
 * Runs against the server of the PG* environment: creates ad_clusters_PID,
 * migrates it, loads $POLICY_DIR/good/cqrs-seed.conf and
 * tests/db/clusters-fixture.conf (via $POLICY_DIR/../db) with cli_db_load,
 * and drops it at the end. Skips (1..0) when no PostgreSQL is configured
 * and none answers.
 */
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "accessdesk/fields.h"
#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

static PGconn *raw; /* to the test database: checks by plain SQL */
static const char *conninfo;

/* ---- plain SQL ---------------------------------------------------------- */

static int version_of(const char *short_name)
{
	return (int)pg_number(
	    raw, "SELECT version FROM clusters WHERE short_name = $1",
	    short_name);
}

/* The clusters, their members and the audit trail, as one digest: a
 * refused change must leave them as they were. */
static const char state_sql[] =
    "SELECT md5(coalesce((SELECT string_agg(c::text, ',' ORDER BY "
    "c.id) FROM clusters c), '') || coalesce((SELECT string_agg(m::"
    "text, ',' ORDER BY m.cluster_id, m.org_id) FROM cluster_members "
    "m), '') || (SELECT count(*) FROM audit))";

static char *state(void)
{
	return pg_state(raw, state_sql);
}

static bool same_state(const char *before)
{
	return pg_same_state(raw, state_sql, before,
	                     "the clusters, their members or the audit trail");
}

static bool refused(bool made, const struct store_error *err,
                    const char *state_, const char *before)
{
	return refused_as(made, err, state_) && (!before || same_state(before));
}

/* A form (strings copied); members NULL-terminated. */
static struct store_cluster_form form(const char *short_name, const char *owner,
                                      const char *name, const char *description,
                                      const char *const *members)
{
	struct store_cluster_form f = {0};
	snprintf(f.short_name, sizeof f.short_name, "%s", short_name);
	snprintf(f.owner, sizeof f.owner, "%s", owner);
	f.name = strdup(name);
	f.description = strdup(description);
	for (int i = 0; members && members[i]; i++)
		store_names_add(&f.members, &f.n_members, members[i]);
	return f;
}

/* The members as the database holds them, in stored order: "a,b". */
static const char members_sql[] =
    "SELECT coalesce(string_agg(o.code, ',' ORDER BY m.position), '') FROM "
    "clusters c JOIN cluster_members m ON m.cluster_id = c.id JOIN "
    "organisations o ON o.id = m.org_id WHERE c.short_name = $1";

/* ---- the tests ---------------------------------------------------------- */

static void test_list(struct store *s)
{
	struct store_cluster_list l;
	struct store_error err = {0};
	bool listed = store_cluster_list(s, "LAT04", &l, &err);
	long want = pg_number(raw,
	                      "SELECT count(*) FROM clusters WHERE owner_id = "
	                      "(SELECT id FROM organisations WHERE code = $1)",
	                      "lat04");
	ok(done(listed, &err) && l.n == want && want == 6,
	   "store_cluster_list LAT04: every cluster lat04 owns (%d of %ld)",
	   l.n, want);
	bool ordered = true;
	for (int i = 1; i < l.n; i++) {
		int c = strcasecmp(l.rows[i - 1].name, l.rows[i].name);
		if (c > 0 || (c == 0 && strcmp(l.rows[i - 1].short_name,
		                               l.rows[i].short_name) > 0))
			ordered = false;
	}
	ok(listed && l.n > 1 && ordered &&
	       strcmp(l.rows[0].name, "alpha practices") == 0,
	   "by name in either case: \"alpha practices\" first (bytes would "
	   "put it last)");
	bool counted = listed;
	for (int i = 0; counted && i < l.n; i++) {
		const char *sn = l.rows[i].short_name;
		long members = pg_number(
		    raw,
		    "SELECT count(*) FROM cluster_members m JOIN clusters c ON "
		    "c.id = m.cluster_id WHERE c.short_name = $1",
		    sn);
		long users = pg_number(
		    raw,
		    "SELECT count(DISTINCT g.user_id) FROM "
		    "grant_clusters gc JOIN grants g ON g.id = "
		    "gc.grant_id JOIN clusters c ON c.id = gc.cluster_id "
		    "WHERE c.short_name = $1",
		    sn);
		if (l.rows[i].members != members || l.rows[i].users != users ||
		    l.rows[i].version != version_of(sn)) {
			diag("%s: %d members, %d users, version %d; the "
			     "database: %ld, %ld, %d",
			     sn, l.rows[i].members, l.rows[i].users,
			     l.rows[i].version, members, users, version_of(sn));
			counted = false;
		}
	}
	int c61 = -1;
	for (int i = 0; i < l.n; i++)
		if (strcmp(l.rows[i].short_name, "C61A6DB801") == 0)
			c61 = i;
	ok(counted && c61 >= 0 && l.rows[c61].users == 3 &&
	       l.rows[c61].members == 1,
	   "each row's members, users and version are the database's "
	   "(C61A6DB801: 1 member, 3 users: kal738, cu0001, cu0002)");
	int b08 = -1;
	for (int i = 0; i < l.n; i++)
		if (strcmp(l.rows[i].short_name, "B089991938") == 0)
			b08 = i;
	ok(b08 >= 0 && l.rows[b08].members == 2 && l.rows[b08].users == 0 &&
	       strcmp(l.rows[b08].description,
	              "Practices of the western area") == 0,
	   "B089991938: 2 members, no user, its description");
	store_cluster_list_free(&l);

	ok(store_cluster_list(s, "lat05", &l, &err) && l.n == 0,
	   "store_cluster_list lat05 (owns none): no rows, no error");
	store_cluster_list_free(&l);
	ok(!store_cluster_list(s, "nope99", &l, &err) &&
	       err.sqlstate[0] == '\0' &&
	       strcmp(err.message, "no organisation \"nope99\"") == 0,
	   "store_cluster_list of no organisation: \"%s\"", err.message);
}

static void test_read(struct store *s)
{
	struct store_cluster_form f;
	struct store_error err = {0};
	bool read = store_cluster_read(s, "B089991938", &f, &err);
	ok(done(read, &err) && strcmp(f.short_name, "B089991938") == 0 &&
	       strcmp(f.owner, "lat04") == 0 &&
	       strcmp(f.name, "Western Area GP Cluster") == 0 &&
	       strcmp(f.description, "Practices of the western area") == 0 &&
	       f.n_members == 2 && strcmp(f.members[0], "B01BBB") == 0 &&
	       strcmp(f.members[1], "C01CCC") == 0 &&
	       f.version == version_of("B089991938"),
	   "store_cluster_read B089991938: owner, name, description, members "
	   "in stored order, version");
	struct store_cluster_form copy;
	ok(read && store_cluster_form_copy(&copy, &f) && copy.name != f.name &&
	       copy.members != f.members && copy.n_members == 2 &&
	       strcmp(copy.members[1], "C01CCC") == 0 &&
	       strcmp(copy.description, f.description) == 0,
	   "store_cluster_form_copy: a deep copy");
	store_cluster_form_free(&copy);
	store_cluster_form_free(&f);
	ok(!store_cluster_read(s, "FFFFFFFFFF", &f, &err) &&
	       err.sqlstate[0] == '\0' &&
	       strcmp(err.message, "no cluster \"FFFFFFFFFF\"") == 0,
	   "store_cluster_read of no cluster: \"%s\"", err.message);
	char blank[] = "c61a6db801"; /* short names are compared exactly */
	ok(!store_cluster_read(s, blank, &f, &err),
	   "store_cluster_read c61a6db801: no cluster (exact)");
}

/* The add of a new cluster and what it stored. */
static void test_add(struct store *s)
{
	struct store_error err = {0};
	const char *members[] = {"C01CCC", "a01aaa", NULL};
	struct store_cluster_form f =
	    form("", "LAT04", "Added By Gemma", "two practices", members);
	long before_audits = pg_audits(raw);
	bool changed = false;
	bool added = store_cluster_save(s, "gba204", &f, &changed, &err);
	regex_t hex;
	regcomp(&hex, "^[0-9A-F]{10}$", REG_EXTENDED | REG_NOSUB);
	bool format = regexec(&hex, f.short_name, 0, NULL, 0) == 0;
	regfree(&hex);
	ok(done(added, &err) && changed && format,
	   "gba204 (Advanced User Administrator at lat04) adds a cluster: "
	   "its short name %s is 10 upper-case hex digits",
	   f.short_name);
	ok(added &&
	       pg_number(raw,
	                 "SELECT count(*) FROM clusters WHERE short_name = $1",
	                 f.short_name) == 1 &&
	       pg_is(
	           raw, "lat04|Added By Gemma|two practices|1",
	           "SELECT o.code || '|' || c.name || '|' || c.description || "
	           "'|' || c.version FROM clusters c JOIN organisations o ON "
	           "o.id = c.owner_id WHERE c.short_name = $1",
	           f.short_name) &&
	       f.version == 1,
	   "stored once, owned by lat04, with its name and description, at "
	   "version 1 (the form's version too)");
	ok(added && pg_is(raw, "C01CCC,A01AAA", members_sql, f.short_name) &&
	       pg_is(
	           raw, "0,1",
	           "SELECT string_agg(m.position::text, ',' ORDER BY "
	           "m.position) FROM cluster_members m JOIN clusters c ON c.id "
	           "= m.cluster_id WHERE c.short_name = $1",
	           f.short_name),
	   "its members in the form's order, positions 0 and 1 (a01aaa "
	   "stored as A01AAA)");
	ok(added && pg_audits(raw) == before_audits + 1 &&
	       pg_audits_of(raw, "cluster", f.short_name, "add") == 1 &&
	       pg_is(
	           raw, "gba204|Added By Gemma|[\"C01CCC\", \"A01AAA\"]|true",
	           "SELECT operator || '|' || (after->>'name') || '|' || "
	           "(after->'members')::text || '|' || (before IS NULL "
	           "AND org_ids = ARRAY[(SELECT id FROM organisations WHERE "
	           "code = 'lat04')]) FROM audit WHERE target_kind = 'cluster' "
	           "AND target = $1",
	           f.short_name),
	   "one audit record: kind cluster, target the short name, action "
	   "add, no before, its after, the owner touched");
	char first[11];
	snprintf(first, sizeof first, "%s", f.short_name);
	store_cluster_form_free(&f);

	/* a second add has a short name of its own */
	f = form("", "lat04", "Added Again", "", members);
	added = store_cluster_save(s, "gba204", &f, NULL, &err);
	ok(done(added, &err) && strcmp(f.short_name, first) != 0 &&
	       f.short_name[0] != '\0',
	   "a second add: a short name of its own (%s, not %s)", f.short_name,
	   first);
	store_cluster_form_free(&f);
}

/* Refusals of an add: the form's fields, the name, the members, the
 * engine, the schema. Nothing is written by any. */
static void test_add_refused(struct store *s)
{
	struct store_error err = {0};
	char *before = state();
	const char *a01[] = {"A01AAA", NULL};
	bool added;
	char want[1100];

	struct store_cluster_form f =
	    form("", "lat04", "eastern CITY practices", "", a01);
	added = store_cluster_save(s, "mch112", &f, NULL, &err);
	ok(refused(added, &err, STORE_INVALID, before) &&
	       strcmp(err.message, "Name eastern CITY practices is already "
	                           "used by cluster C61A6DB801") == 0,
	   "a name lat04's C61A6DB801 has in another case: STORE_INVALID "
	   "\"%s\"",
	   err.message);
	store_cluster_form_free(&f);

	f = form("", "lat05", "Eastern City Practices", "", NULL);
	added = store_cluster_save(s, "mch112", &f, NULL, &err);
	ok(done(added, &err) &&
	       pg_number(raw,
	                 "SELECT count(*) FROM clusters WHERE lower(name) = "
	                 "lower($1)",
	                 "Eastern City Practices") == 2,
	   "the same name at another owner (lat05): added");
	store_cluster_form_free(&f);

	/* either case of the ASCII letters, as the policy loader compares:
	 * a non-ASCII letter is itself */
	f = form("", "lat05", "Zoë Practices", "", NULL);
	struct store_cluster_form g =
	    form("", "lat05", "ZOË PRACTICES", "", NULL);
	struct store_cluster_form h =
	    form("", "lat05", "zoë PRACTICES", "", NULL);
	bool first = store_cluster_save(s, "mch112", &f, NULL, &err);
	bool second = first && store_cluster_save(s, "mch112", &g, NULL, &err);
	free(before);
	before = state();
	added = second && store_cluster_save(s, "mch112", &h, NULL, &err);
	ok(done(second, &err) && refused(added, &err, STORE_INVALID, before) &&
	       has(err.message, f.short_name),
	   "\"Zoë Practices\" and \"ZOË PRACTICES\" both added (Ë is not "
	   "ë folded); \"zoë PRACTICES\" refused: \"%s\"",
	   err.message);
	store_cluster_form_free(&f);
	store_cluster_form_free(&g);
	store_cluster_form_free(&h);
	free(before);
	before = state();

	/* the field rules, with the table's own messages */
	static char long_name[202], long_desc[2002];
	memset(long_name, 'n', 201);
	memset(long_desc, 'd', 2001);
	const struct {
		const char *name, *description, *why;
		enum field field;
		const char *value;
	} bad[] = {
	    {"", "", "an empty name", FIELD_CLUSTER_NAME, ""},
	    {long_name, "", "a name of 201 characters", FIELD_CLUSTER_NAME,
	     long_name},
	    {"Fine", long_desc, "a description of 2,001 characters",
	     FIELD_CLUSTER_DESCRIPTION, long_desc},
	    {"Bad \xff", "", "a name that is not UTF-8", FIELD_CLUSTER_NAME,
	     "Bad \xff"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char rule[512];
		bool passes =
		    field_check(bad[i].field, bad[i].value, rule, sizeof rule);
		f = form("", "lat04", bad[i].name, bad[i].description, a01);
		added = store_cluster_save(s, "mch112", &f, NULL, &err);
		ok(!passes && refused(added, &err, STORE_INVALID, before) &&
		       strcmp(err.message, rule) == 0,
		   "%s: STORE_INVALID with the field rule's message \"%s\"",
		   bad[i].why, err.message);
		store_cluster_form_free(&f);
	}

	const char *twice[] = {"A01AAA", "B01BBB", "a01aaa", NULL};
	f = form("", "lat04", "Twice", "", twice);
	added = store_cluster_save(s, "mch112", &f, NULL, &err);
	ok(refused(added, &err, STORE_INVALID, before) &&
	       has(err.message, "a01aaa") && has(err.message, "twice"),
	   "a member listed twice (A01AAA, a01aaa): STORE_INVALID \"%s\"",
	   err.message);
	store_cluster_form_free(&f);

	const char *nope[] = {"A01AAA", "nope99", NULL};
	f = form("", "lat04", "Unknown Member", "", nope);
	added = store_cluster_save(s, "mch112", &f, NULL, &err);
	ok(refused(added, &err, "", before) &&
	       strcmp(err.message, "no organisation \"nope99\"") == 0,
	   "a member that does not exist: \"%s\"", err.message);
	store_cluster_form_free(&f);

	f = form("", "nope98", "Unknown Owner", "", NULL);
	added = store_cluster_save(s, "mch112", &f, NULL, &err);
	ok(refused(added, &err, "", before) &&
	       strcmp(err.message, "no organisation \"nope98\"") == 0,
	   "an owner that does not exist: \"%s\"", err.message);
	store_cluster_form_free(&f);

	/* the engine allows mch112 (System Administrator at the root); the
	 * schema does not */
	const char *outside[][2] = {{"lat05", "another root's child"},
	                            {"lat04", "the owner itself"}};
	for (int i = 0; i < 2; i++) {
		const char *m[] = {"A01AAA", outside[i][0], NULL};
		f = form("", "lat04", "Not Below", "", m);
		added = store_cluster_save(s, "mch112", &f, NULL, &err);
		snprintf(want, sizeof want,
		         ": member \"%s\" is not below the cluster's owner "
		         "\"lat04\"",
		         outside[i][0]);
		ok(refused(added, &err, STORE_REFUSED, before) &&
		       has(err.message, want) &&
		       has(err.message, "A cluster's members are strict "
		                        "descendants of its owner."),
		   "a member %s (%s): STORE_REFUSED in the schema's words and "
		   "hint \"%s\"",
		   outside[i][0], outside[i][1], err.message);
		store_cluster_form_free(&f);
	}

	const char *a01_g2[] = {"A01AAA", "G00002", NULL};
	f = form("", "lat04", "Beyond Cliff", "", a01_g2);
	added = store_cluster_save(s, "cm0001", &f, NULL, &err);
	ok(refused(added, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to add a cluster to lat04: ") &&
	       has(err.message, "cm0001 lacks clusters.manage over G00002"),
	   "cm0001 (clusters.manage at lat04 and over cgc04's subtree) with "
	   "G00002, beyond its reach: refused \"%s\"",
	   err.message);
	/* the same refusal as the engine gives it on the whole world */
	char said[sizeof err.message];
	snprintf(said, sizeof said, "%s", err.message);
	struct store_ids ids = {0};
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_ALL, &ids, &err);
	if (w) {
		int m[] = {engine_org_find(w, "A01AAA"),
		           engine_org_find(w, "G00002")};
		struct engine_explain ex;
		engine_explain_init(&ex);
		int op = engine_user_find(w, "cm0001");
		bool may = engine_may_manage_cluster(
		    w, op, engine_org_find(w, "lat04"), m, 2, &ex);
		char line[900];
		store_explain_line(w, op, -1, &ex, line, sizeof line);
		snprintf(want, sizeof want,
		         "not allowed to add a cluster to lat04: %s", line);
		engine_explain_free(&ex);
		if (strcmp(said, want) != 0)
			diag("the store said \"%s\"", said);
		ok(!may && strcmp(said, want) == 0,
		   "its message is the engine's explanation: \"%s\"", want);
		engine_world_free(w);
	} else {
		ok(false, "load the world: %s", err.message);
	}
	store_ids_free(&ids);
	store_cluster_form_free(&f);

	f = form("", "lat04", "By Una", "", a01);
	added = store_cluster_save(s, "ua0001", &f, NULL, &err);
	ok(refused(added, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to add a cluster to lat04: ") &&
	       has(err.message, "ua0001 lacks clusters.manage over lat04"),
	   "ua0001 (User Administrator: clusters.view only) adding: refused "
	   "\"%s\"",
	   err.message);
	store_cluster_form_free(&f);
	free(before);

	const char *a01_kid[] = {"A01AAA", "A01-KID", NULL};
	f = form("", "lat04", "Within Cliff", "", a01_kid);
	added = store_cluster_save(s, "cm0001", &f, NULL, &err);
	ok(done(added, &err) &&
	       pg_is(raw, "A01AAA,A01-KID", members_sql, f.short_name),
	   "cm0001 with members within its reach (A01AAA, A01-KID): added");
	store_cluster_form_free(&f);
}

/* Two adds of one name at once: the other's commits while this one waits
 * on the owner's row, after this one's snapshot, so only the unique
 * index sees it; the message is the same. */
static void test_add_race(struct store *s)
{
	bool begun =
	    pg_run(raw, "BEGIN; INSERT INTO clusters (short_name, name, "
	                "owner_id) SELECT '0123456789', 'Racer', id FROM "
	                "organisations WHERE code = 'lat04'");
	if (!ok(begun && PQsendQuery(raw, "SELECT pg_sleep(0.5); COMMIT"),
	        "another connection adds a cluster Racer to lat04, to commit "
	        "in half a second"))
		return;
	struct store_error err = {0};
	struct store_cluster_form f = form("", "lat04", "RACER", "", NULL);
	long before_audits = pg_audits(raw);
	bool added = store_cluster_save(s, "mch112", &f, NULL, &err);
	PGresult *r;
	while ((r = PQgetResult(raw)))
		PQclear(r);
	ok(refused(added, &err, STORE_INVALID, NULL) &&
	       strcmp(err.message,
	              "Name RACER is already used by cluster 0123456789") ==
	           0 &&
	       pg_number(raw,
	                 "SELECT count(*) FROM clusters WHERE lower(name) = $1",
	                 "racer") == 1 &&
	       pg_audits(raw) == before_audits,
	   "an add of RACER racing it: STORE_INVALID \"%s\", one cluster, no "
	   "audit record",
	   err.message);
	store_cluster_form_free(&f);
}

static void test_update(struct store *s)
{
	struct store_error err = {0};
	struct store_cluster_form f;
	if (!ok(store_cluster_read(s, "AB12CD34EF", &f, &err),
	        "read AB12CD34EF"))
		return;
	int read_at = f.version;
	struct store_cluster_form stale;
	store_cluster_form_copy(&stale, &f);

	free(f.name);
	f.name = strdup("Updated By Matt");
	bool changed = false;
	bool saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(done(saved, &err) && changed &&
	       pg_is(raw, "Updated By Matt",
	             "SELECT name FROM clusters WHERE short_name = $1",
	             "AB12CD34EF") &&
	       version_of("AB12CD34EF") == read_at + 1 &&
	       f.version == read_at + 1 &&
	       pg_is(raw, "man04", members_sql, "AB12CD34EF"),
	   "mch112 renames AB12CD34EF: renamed, version %d -> %d (the form's "
	   "too), members kept",
	   read_at, version_of("AB12CD34EF"));
	ok(pg_audits_of(raw, "cluster", "AB12CD34EF", "update") == 1 &&
	       pg_is(raw, "Update Me|Updated By Matt",
	             "SELECT (before->>'name') || '|' || (after->>'name') FROM "
	             "audit WHERE target_kind = 'cluster' AND target = $1 AND "
	             "action = 'update'",
	             "AB12CD34EF"),
	   "the update's audit record: before and after");

	free(f.description);
	f.description = strdup("Now described");
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(done(saved, &err) && changed &&
	       pg_is(raw, "Now described",
	             "SELECT description FROM clusters WHERE short_name = $1",
	             "AB12CD34EF") &&
	       version_of("AB12CD34EF") == read_at + 2,
	   "its description: written, version moved");

	store_names_free(&f.members, &f.n_members);
	store_names_add(&f.members, &f.n_members, "G00001");
	store_names_add(&f.members, &f.n_members, "b01bbb");
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(done(saved, &err) && changed &&
	       pg_is(raw, "G00001,B01BBB", members_sql, "AB12CD34EF") &&
	       version_of("AB12CD34EF") == read_at + 3 &&
	       pg_is(raw, "[\"man04\"]|[\"G00001\", \"B01BBB\"]",
	             "SELECT (before->'members')::text || '|' || "
	             "(after->'members')::text FROM audit WHERE target_kind = "
	             "'cluster' AND target = $1 ORDER BY id DESC LIMIT 1",
	             "AB12CD34EF"),
	   "its members replaced (man04 -> G00001, B01BBB, in that order): "
	   "version moved, audited before and after");

	char *before = state();
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(done(saved, &err) && !changed && same_state(before) &&
	       f.version == read_at + 3,
	   "the same form saved again: done, nothing written, no audit "
	   "record, version %d",
	   f.version);

	saved = store_cluster_save(s, "gba204", &stale, &changed, &err);
	ok(refused(saved, &err, STORE_CONFLICT, before) &&
	       has(err.message, "AB12CD34EF was changed by mch112 at ") &&
	       has(err.message, "(update) after this form was read"),
	   "a save from the form read before (version %d): STORE_CONFLICT "
	   "\"%s\"",
	   read_at, err.message);
	store_cluster_form_free(&stale);

	free(f.name);
	f.name = strdup("WESTERN area gp cluster");
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(refused(saved, &err, STORE_INVALID, before) &&
	       strcmp(err.message,
	              "Name WESTERN area gp cluster is already used by "
	              "cluster B089991938") == 0,
	   "a rename to B089991938's name in another case: STORE_INVALID "
	   "\"%s\"",
	   err.message);
	free(f.name);
	f.name = strdup("UPDATED BY MATT");
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(done(saved, &err) && changed &&
	       pg_is(raw, "UPDATED BY MATT",
	             "SELECT name FROM clusters WHERE short_name = $1",
	             "AB12CD34EF"),
	   "a rename to its own name in another case: written");
	free(before);
	before = state();

	/* members in another order are another stored order */
	char *first = f.members[0];
	f.members[0] = f.members[1];
	f.members[1] = first;
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(done(saved, &err) && changed &&
	       pg_is(raw, "B01BBB,G00001", members_sql, "AB12CD34EF"),
	   "the members in another order: written in that order");
	free(before);
	before = state();

	store_names_add(&f.members, &f.n_members, "G00002");
	saved = store_cluster_save(s, "cm0001", &f, &changed, &err);
	ok(refused(saved, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to change cluster AB12CD34EF: ") &&
	       has(err.message, "cm0001 lacks clusters.manage over G00002"),
	   "cm0001 adding G00002 (beyond its reach): refused \"%s\"",
	   err.message);
	store_names_remove(f.members, &f.n_members, 2);
	store_names_add(&f.members, &f.n_members, "lat05");
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(refused(saved, &err, STORE_REFUSED, before) &&
	       has(err.message, "member \"lat05\" is not below the cluster's "
	                        "owner \"lat04\""),
	   "mch112 adding lat05 (not below lat04): STORE_REFUSED \"%s\"",
	   err.message);
	store_names_remove(f.members, &f.n_members, 2);
	free(f.name);
	f.name = strdup("By Una");
	saved = store_cluster_save(s, "ua0001", &f, &changed, &err);
	ok(refused(saved, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to change cluster AB12CD34EF: "
	                        "ua0001 lacks clusters.manage over lat04"),
	   "ua0001 (clusters.view) renaming it: refused \"%s\"", err.message);
	snprintf(f.short_name, sizeof f.short_name, "FFFFFFFFFF");
	saved = store_cluster_save(s, "mch112", &f, &changed, &err);
	ok(refused(saved, &err, "", before) &&
	       strcmp(err.message, "no cluster \"FFFFFFFFFF\"") == 0,
	   "saving a cluster that does not exist: \"%s\"", err.message);
	free(before);
	store_cluster_form_free(&f);

	/* cm0001 may change a cluster whose members, before and after,
	 * are within its reach; not one that had G00002 */
	if (store_cluster_read(s, "E92654EEF7", &f, &err)) {
		before = state();
		store_names_free(&f.members, &f.n_members);
		store_names_add(&f.members, &f.n_members, "A01AAA");
		saved = store_cluster_save(s, "cm0001", &f, &changed, &err);
		ok(refused(saved, &err, STORE_REFUSED, before) &&
		       has(err.message, "cm0001 lacks clusters.manage over "
		                        "G00002"),
		   "cm0001 taking G00002 out of E92654EEF7 (the member it "
		   "had is beyond its reach): refused \"%s\"",
		   err.message);
		free(before);
		store_cluster_form_free(&f);
	}
}

/* One of two processes: connect, read the cluster, wait at the barrier,
 * save a new name. */
/* Each racer renames AB12CD34EF as its operator, from one version. */
static const char *const racers[2] = {"mch112", "gba204"};

static void *race_read(struct store *s, int i, void *ctx,
                       struct store_error *err)
{
	(void)i;
	(void)ctx;
	struct store_cluster_form *f = calloc(1, sizeof *f);
	if (f && store_cluster_read(s, "AB12CD34EF", f, err))
		return f;
	free(f);
	return NULL;
}

static bool race_save(struct store *s, int i, void *state,
                      struct store_error *err)
{
	struct store_cluster_form *f = state;
	free(f->name);
	f->name = strdup(racers[i]);
	return store_cluster_save(s, racers[i], f, NULL, err);
}

static void race_free(void *state)
{
	store_cluster_form_free(state);
	free(state);
}

static void test_race(void)
{
	const char *const *ops = racers;
	long before_audits = pg_audits(raw);
	struct pg_racer r = {race_read, race_save, race_free, NULL};
	struct pg_race_outcome out[2];
	int n_ready = pg_test_race(conninfo, &r, out);
	for (int i = 0; i < 2; i++)
		diag("%s: %s %s %s", ops[i], out[i].saved ? "saved" : "refused",
		     out[i].sqlstate, out[i].message);
	int winners = out[0].saved + out[1].saved;
	int loser = out[0].saved ? 1 : 0;
	ok(n_ready == 2 && winners == 1,
	   "two consoles save AB12CD34EF from one version at once: exactly "
	   "one succeeds");
	char who[80];
	snprintf(who, sizeof who, "AB12CD34EF was changed by %s at ",
	         ops[1 - loser]);
	ok(winners == 1 && strcmp(out[loser].sqlstate, STORE_CONFLICT) == 0 &&
	       has(out[loser].message, who),
	   "the other gets STORE_CONFLICT naming the winner");
	ok(winners == 1 &&
	       pg_is(raw, ops[1 - loser],
	             "SELECT name FROM clusters WHERE short_name = $1",
	             "AB12CD34EF") &&
	       pg_audits(raw) == before_audits + 1,
	   "the database holds the winner's name, one audit record");
}

static void test_delete(struct store *s)
{
	struct store_error err = {0};
	char *before = state();
	bool deleted = store_cluster_delete(s, "ua0001", "DE1E7E0001",
	                                    version_of("DE1E7E0001"), &err);
	ok(refused(deleted, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to delete cluster DE1E7E0001: "
	                        "ua0001 lacks clusters.manage over lat04"),
	   "ua0001 deleting DE1E7E0001: refused \"%s\"", err.message);
	/* every member within the operator's reach, for a delete too */
	deleted = store_cluster_delete(s, "cm0001", "E92654EEF7",
	                               version_of("E92654EEF7"), &err);
	ok(refused(deleted, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to delete cluster E92654EEF7: "
	                        "cm0001 lacks clusters.manage over G00002"),
	   "cm0001 deleting E92654EEF7, whose member G00002 is beyond his "
	   "reach: refused \"%s\"",
	   err.message);
	deleted = store_cluster_delete(s, "mch112", "DE1E7E0001",
	                               version_of("DE1E7E0001") + 1, &err);
	ok(refused(deleted, &err, STORE_CONFLICT, before),
	   "deleting DE1E7E0001 at a version it never had: STORE_CONFLICT "
	   "\"%s\"",
	   err.message);

	struct store_cluster_user *users = NULL;
	int n = 0;
	bool listed = store_cluster_users(s, "C61A6DB801", &users, &n, &err);
	deleted = store_cluster_delete(s, "mch112", "C61A6DB801", 0, &err);
	bool all_named = listed && n > 0;
	for (int i = 0; all_named && i < n; i++)
		all_named = has(err.message, users[i].login);
	ok(refused(deleted, &err, STORE_REFUSED, before) &&
	       has(err.message, "cluster C61A6DB801 cannot be deleted: the "
	                        "grants of ") &&
	       all_named,
	   "deleting C61A6DB801, which grants select: STORE_REFUSED naming "
	   "each of its %d users \"%s\"",
	   n, err.message);
	free(users);
	deleted = store_cluster_delete(s, "mch112", "FFFFFFFFFF", 0, &err);
	ok(refused(deleted, &err, "", before) &&
	       strcmp(err.message, "no cluster \"FFFFFFFFFF\"") == 0,
	   "deleting no cluster: \"%s\"", err.message);
	free(before);

	deleted = store_cluster_delete(s, "gba204", "DE1E7E0001",
	                               version_of("DE1E7E0001"), &err);
	ok(done(deleted, &err) &&
	       pg_number(raw,
	                 "SELECT count(*) FROM clusters WHERE short_name = $1",
	                 "DE1E7E0001") == 0 &&
	       pg_number(raw,
	                 "SELECT count(*) FROM cluster_members m WHERE NOT "
	                 "EXISTS (SELECT 1 FROM clusters c WHERE c.id = "
	                 "m.cluster_id)",
	                 NULL) == 0 &&
	       pg_audits_of(raw, "cluster", "DE1E7E0001", "delete") == 1 &&
	       pg_is(
	           raw, "alpha practices|[\"G00001\"]|",
	           "SELECT (before->>'name') || '|' || (before->'members')::"
	           "text || '|' || coalesce(after::text, '') FROM audit WHERE "
	           "target_kind = 'cluster' AND target = $1 AND action = "
	           "'delete'",
	           "DE1E7E0001"),
	   "gba204 deletes DE1E7E0001, unused: gone with its members, one "
	   "audit record (before, no after)");
}

static void test_users(struct store *s)
{
	struct store_cluster_user *u = NULL;
	int n = 0;
	struct store_error err = {0};
	bool listed = store_cluster_users(s, "C61A6DB801", &u, &n, &err);
	ok(done(listed, &err) && n == 3 && strcmp(u[0].login, "kal738") == 0 &&
	       strcmp(u[0].name, "Alloway, Kenneth") == 0 &&
	       strcmp(u[1].login, "cu0002") == 0 &&
	       strcmp(u[1].name, "Upton, Carl") == 0 &&
	       strcmp(u[2].login, "cu0001") == 0,
	   "store_cluster_users C61A6DB801: kal738 (Alloway), cu0002 (Upton, "
	   "Carl), cu0001 (Upton, Cora): by last name, first name");
	free(u);
	ok(store_cluster_users(s, "B089991938", &u, &n, &err) && n == 0,
	   "store_cluster_users B089991938: none");
	free(u);
	ok(!store_cluster_users(s, "FFFFFFFFFF", &u, &n, &err) &&
	       err.sqlstate[0] == '\0' &&
	       strcmp(err.message, "no cluster \"FFFFFFFFFF\"") == 0,
	   "store_cluster_users of no cluster: \"%s\"", err.message);
}

/* The organisations in the subtree of code, by the database. */
static long subtree_size(const char *code)
{
	return pg_number(raw,
	                 "WITH RECURSIVE t AS (SELECT id FROM organisations "
	                 "WHERE code = $1 UNION ALL SELECT o.id FROM "
	                 "organisations o JOIN t ON o.parent_id = t.id) SELECT "
	                 "count(*) FROM t",
	                 code);
}

/* The user of the what-if's delta i. */
static const char *delta_login(const struct store_what_if *wi, int i)
{
	return wi->users[wi->e.users[i].user].login;
}

static const struct engine_reach_delta *delta_of(const struct store_what_if *wi,
                                                 const char *login)
{
	for (int i = 0; i < wi->e.n; i++)
		if (strcmp(delta_login(wi, i), login) == 0)
			return &wi->e.users[i];
	return NULL;
}

static void test_what_if(struct store *s)
{
	struct store_error err = {0};
	struct store_ids ids = {0};
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, &err);
	if (!ok(w != NULL, "a base world, as the console loads it")) {
		diag("%s", err.message);
		return;
	}
	struct store_what_if wi;
	long a01 = subtree_size("A01AAA");
	bool asked =
	    store_cluster_what_if(s, w, &ids, "C61A6DB801", NULL, 0, &wi, &err);
	const struct engine_reach_delta *kal =
	    asked ? delta_of(&wi, "kal738") : NULL;
	const struct engine_reach_delta *cu1 =
	    asked ? delta_of(&wi, "cu0001") : NULL;
	ok(done(asked, &err) && wi.n_users == 3 && wi.e.affected == 3,
	   "removing A01AAA from C61A6DB801: its 3 users are affected "
	   "(kal738, cu0001, cu0002; got %d)",
	   asked ? wi.e.affected : -1);
	ok(asked && kal && cu1 && kal->orgs_lost == a01 &&
	       cu1->orgs_lost == a01 && kal->orgs_gained == 0 &&
	       wi.e.users_losing == 2 && wi.e.users_gaining == 0 &&
	       wi.e.orgs_lost == a01,
	   "kal738 and cu0001 lose A01AAA's subtree (%ld organisations), "
	   "nobody gains",
	   a01);
	ok(asked && !delta_of(&wi, "cu0002") && wi.e.n == 2,
	   "cu0002, whose grant at cgc04 (no cluster) covers A01AAA, loses "
	   "nothing");
	bool named = asked;
	for (int i = 0; named && i < wi.n_users; i++) {
		long long id =
		    pg_number(raw, "SELECT id FROM users WHERE login = $1",
		              wi.users[i].login);
		named =
		    wi.users[i].id == id &&
		    pg_is(raw, wi.users[i].name,
		          "SELECT last_name || ', ' || first_name FROM users "
		          "WHERE login = $1",
		          wi.users[i].login);
	}
	ok(named, "each affected user with its database id, login and "
	          "\"Last, First\"");
	store_what_if_free(&wi);

	const char *add_b01[] = {"A01AAA", "b01bbb"};
	long b01 = subtree_size("B01BBB");
	asked = store_cluster_what_if(s, w, &ids, "C61A6DB801", add_b01, 2, &wi,
	                              &err);
	kal = asked ? delta_of(&wi, "kal738") : NULL;
	ok(done(asked, &err) && kal && kal->orgs_gained == b01 &&
	       kal->orgs_lost == 0 && delta_of(&wi, "cu0001") &&
	       !delta_of(&wi, "cu0002") && wi.e.users_gaining == 2 &&
	       wi.e.orgs_gained == b01 && wi.e.users_losing == 0,
	   "adding b01bbb: kal738 and cu0001 gain B01BBB's subtree (%ld), "
	   "cu0002 (cgc04) nothing",
	   b01);
	store_what_if_free(&wi);

	/* kal738's grant selects two clusters: the second one's member
	 * counts as much as the first's */
	long man04 = subtree_size("man04");
	asked =
	    store_cluster_what_if(s, w, &ids, "873CF39E1C", NULL, 0, &wi, &err);
	kal = asked ? delta_of(&wi, "kal738") : NULL;
	ok(done(asked, &err) && wi.e.affected == 1 && kal &&
	       kal->orgs_lost == man04 && wi.e.orgs_lost == man04,
	   "removing man04 from 873CF39E1C, the second cluster of kal738's "
	   "grant: kal738 loses man04's subtree (%ld), A01AAA still reached",
	   man04);
	store_what_if_free(&wi);

	/* a disabled user reaches nothing whatever the cluster holds: not
	 * affected, but its grant counts among those emptied; kal738's grant
	 * keeps 873CF39E1C's man04 */
	asked =
	    pg_run(raw, "UPDATE users SET enabled = false WHERE login = "
	                "'cu0002'") &&
	    store_cluster_what_if(s, w, &ids, "C61A6DB801", NULL, 0, &wi, &err);
	ok(done(asked, &err) && wi.e.affected == 2 &&
	       !delta_of(&wi, "cu0002") && wi.e.grants_emptied == 2,
	   "cu0002 disabled: 2 users affected, not 3; two grants emptied "
	   "(cu0001's, and disabled cu0002's: enabled again it would reach "
	   "nothing; kal738's also selects 873CF39E1C): %d",
	   asked ? wi.e.grants_emptied : -1);
	store_what_if_free(&wi);
	pg_run(raw, "UPDATE users SET enabled = true WHERE login = 'cu0002'");

	asked =
	    store_cluster_what_if(s, w, &ids, "B089991938", NULL, 0, &wi, &err);
	ok(done(asked, &err) && wi.n_users == 0 && wi.e.affected == 0 &&
	       wi.e.n == 0,
	   "a cluster no grant selects: nobody affected");
	store_what_if_free(&wi);

	const char *nope[] = {"A01AAA", "nope99"};
	ok(!store_cluster_what_if(s, w, &ids, "C61A6DB801", nope, 2, &wi,
	                          &err) &&
	       err.sqlstate[0] == '\0' &&
	       strcmp(err.message, "no organisation \"nope99\"") == 0,
	   "a member that does not exist: \"%s\"", err.message);
	ok(!store_cluster_what_if(s, w, &ids, "FFFFFFFFFF", NULL, 0, &wi,
	                          &err) &&
	       strcmp(err.message, "no cluster \"FFFFFFFFFF\"") == 0,
	   "a cluster that does not exist: \"%s\"", err.message);

	/* the database moved on: a grant at an organisation made after the
	 * world was loaded */
	bool made = pg_run(
	    raw, "INSERT INTO organisations (code, name, parent_id) "
	         "SELECT 'late01', 'Late', id FROM organisations WHERE "
	         "code = 'lat05'; "
	         "INSERT INTO grants (user_id, org_id) SELECT u.id, o.id "
	         "FROM users u, organisations o WHERE u.login = "
	         "'cu0002' AND o.code = 'late01'; "
	         "INSERT INTO grant_roles (grant_id, role_id, position) "
	         "SELECT g.id, r.id, 0 FROM grants g JOIN organisations "
	         "o ON o.id = g.org_id, roles r WHERE o.code = 'late01' "
	         "AND r.name = 'View'");
	asked =
	    store_cluster_what_if(s, w, &ids, "C61A6DB801", NULL, 0, &wi, &err);
	ok(made && !asked &&
	       has(err.message, "a grant of cu0002 names "
	                        "organisation id ") &&
	       has(err.message, "does not hold"),
	   "a grant of an organisation the world does not hold: \"%s\"",
	   err.message);
	pg_run(
	    raw,
	    "DELETE FROM grants WHERE org_id = (SELECT id FROM organisations "
	    "WHERE code = 'late01'); DELETE FROM organisations WHERE code = "
	    "'late01'");
	engine_world_free(w);
	store_ids_free(&ids);
}

/* A change whose write leaves a grant with no role: the schema refuses
 * at COMMIT (AD011, a deferred check), and the change path says so as
 * every invariant's refusal, STORE_REFUSED, nothing written. */
static bool no_step(struct store_tx *tx, void *ctx)
{
	(void)tx;
	(void)ctx;
	return true;
}

static bool roleless_grant(struct store_tx *tx, void *ctx)
{
	(void)ctx;
	return store_tx_run(tx,
	                    "INSERT INTO grants (user_id, org_id) SELECT u.id, "
	                    "o.id FROM users u, organisations o WHERE u.login "
	                    "= 'cu0001' AND o.code = 'lat05'",
	                    0, NULL);
}

static void test_refused_at_commit(struct store *s)
{
	long grants = pg_number(raw, "SELECT count(*) FROM grants", NULL);
	long audits = pg_audits(raw);
	struct store_change chg = {.operator_login = "mch112",
	                           .action = "test",
	                           .kind = STORE_TARGET_USER,
	                           .target = "cu0001",
	                           .lock = no_step,
	                           .need = no_step,
	                           .decide = no_step,
	                           .write = roleless_grant};
	struct store_error err = {0};
	bool made = store_change(s, &chg, &err);
	ok(refused_as(made, &err, STORE_REFUSED) && has(err.message, "role") &&
	       pg_number(raw, "SELECT count(*) FROM grants", NULL) == grants &&
	       pg_audits(raw) == audits,
	   "a grant with no role, refused at COMMIT: STORE_REFUSED \"%s\", "
	   "nothing written",
	   err.message);
}

/* Server notices during a migration, one after another. */
static void keep_notice(void *ctx, const char *message)
{
	char *buf = ctx;
	size_t at = strlen(buf);
	snprintf(buf + at, 4096 - at, "%s\n", message);
}

/* 011 on a database that an older binary filled with two clusters of one
 * owner named alike: the later ones are renamed, with a warning each, and
 * the index made. (The database is put back to version 10 by hand: what
 * 011 to 019 made is undone.) */
static void test_migrate_duplicates(void)
{
	const struct pg_test_db *db = pg_test_create("ad_clusters_mig", NULL);
	struct store *s = pg_test_connect(db->conninfo);
	PGconn *saved_raw = raw;
	raw = pg_test_raw(db->conninfo);
	pg_test_migrate(s);
	if (!pg_test_load(s, "good/cqrs-seed.conf"))
		bail("cannot load the seed", NULL);
	static char long_name[201];
	memset(long_name, 'L', 200);
	char sql[4096];
	snprintf(
	    sql, sizeof sql,
	    "DROP TABLE list_changes; DROP FUNCTION "
	    "ad_grants_list_changed(), "
	    "ad_users_list_changed() CASCADE; DROP FUNCTION "
	    "ad_list_changed(bigint[]); "
	    "DROP FUNCTION ad_grant_items_changed(), ad_role_renamed(), "
	    "ad_cluster_renamed(), ad_orgs_renamed(), ad_grant_org_keys() "
	    "CASCADE; DROP FUNCTION ad_grant_items(bigint[]), "
	    "ad_grant_orgs(bigint[]); ALTER TABLE grants DROP COLUMN "
	    "report_fits, DROP COLUMN o_code, DROP COLUMN o_name, DROP "
	    "COLUMN p_code, DROP COLUMN p_name, DROP COLUMN r_roles, DROP "
	    "COLUMN r_payment_types, DROP COLUMN r_clusters; "
	    "DROP INDEX clusters_owner_name; CREATE INDEX clusters_owner "
	    "ON clusters (owner_id); DROP INDEX profile_roles_role; "
	    "DROP TRIGGER audit_chain ON audit; DROP TRIGGER audit_head "
	    "ON audit; DROP TABLE audit_head, audit_chain_lock; DROP FUNCTION "
	    "ad_audit_chain(), ad_audit_head(), ad_audit_head_guard(), "
	    "audit_hash(audit); DROP INDEX audit_subject, audit_operator, "
	    "audit_kind, audit_at, audit_orgs; ALTER TABLE audit DROP "
	    "COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash; "
	    "DROP FUNCTION audit_value_text, audit_item_text, "
	    "audit_items_not_in, audit_key_order, audit_object_changes, "
	    "audit_grant_changes, audit_changes; DROP TRIGGER "
	    "grants_user_keys ON grants; DROP TRIGGER users_grant_keys ON "
	    "users; DROP FUNCTION ad_grant_user_keys(), "
	    "ad_users_grant_keys(); DROP INDEX users_no_grant_name, "
	    "users_no_grant_created, users_no_grant_status; ALTER TABLE "
	    "grants DROP COLUMN u_last, DROP COLUMN u_first, DROP COLUMN "
	    "u_created, DROP COLUMN u_enabled, DROP COLUMN u_login, DROP "
	    "COLUMN u_email; DROP INDEX users_search_last_keys, "
	    "users_search_first_keys; CREATE INDEX users_search_first ON "
	    "users (lower(first_name) text_pattern_ops); "
	    "DROP FUNCTION ad_csv_cell(text); "
	    "DELETE FROM schema_migrations WHERE version >= 11; INSERT "
	    "INTO clusters (short_name, name, "
	    "owner_id) SELECT v.s, v.n, o.id FROM (VALUES ('0000000001', "
	    "'EASTERN city practices'), ('0000000002', '%s'), "
	    "('0000000003', lower('%s'))) v (s, n), organisations o "
	    "WHERE o.code = 'lat04'",
	    long_name, long_name);
	bool older = pg_run(raw, sql);
	char notices[4096] = "";
	store_on_notice(s, keep_notice, notices);
	struct store_error err = {0};
	int applied = 0;
	bool migrated = store_migrate(s, &applied, &err);
	/* 011 and those after it (012 to 020 made again what they were undone
	 * of) */
	ok(older && done(migrated, &err) &&
	       applied == store_migrations_known() - 10 &&
	       pg_is(raw, "EASTERN city practices (0000000001)",
	             "SELECT name FROM clusters WHERE short_name = $1",
	             "0000000001") &&
	       pg_is(raw, "Eastern City Practices",
	             "SELECT name FROM clusters WHERE short_name = $1",
	             "C61A6DB801") &&
	       pg_is(raw, long_name,
	             "SELECT name FROM clusters WHERE short_name = $1",
	             "0000000002"),
	   "011 on two clusters of lat04 named alike: the later one gets its "
	   "short name added, the first keeps its name");
	char cut[256];
	snprintf(cut, sizeof cut, "%.187s (0000000003)", long_name);
	for (char *c = cut; *c && *c != ' '; c++)
		*c = 'l';
	ok(migrated &&
	       pg_is(raw, cut,
	             "SELECT name FROM clusters WHERE short_name = $1",
	             "0000000003") &&
	       strlen(cut) == 200,
	   "a name of 200 characters is cut to 187 so that it fits the rule");
	ok(has(notices, "cluster 0000000001 of \"lat04\" was named \"EASTERN "
	                "city practices\"") &&
	       has(notices,
	           "renamed \"EASTERN city practices (0000000001)\"") &&
	       has(notices, "cluster 0000000003 of \"lat04\""),
	   "a warning names each renamed cluster");
	ok(migrated &&
	       pg_is(
	           raw,
	           "0000000001:EASTERN city practices (0000000001) "
	           "0000000003:ok",
	           "SELECT string_agg(target || ':' || CASE WHEN target = "
	           "'0000000003' THEN 'ok' ELSE after->>'name' END, ' ' "
	           "ORDER BY id) FROM audit WHERE operator = $1 AND action "
	           "= 'rename' AND target_kind = 'cluster' AND before->>'name' "
	           "<> after->>'name'",
	           "migration 011"),
	   "each rename has its audit record, by \"migration 011\", before "
	   "and after");
	ok(migrated &&
	       pg_is(raw, "clusters_owner_name",
	             "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE "
	             "tablename = $1 AND indexname LIKE 'clusters_owner%'",
	             "clusters"),
	   "clusters_owner_name made, clusters_owner gone");
	store_disconnect(s);
	PQfinish(raw);
	raw = saved_raw;
}

int main(void)
{
	pg_test_start();
	const struct pg_test_db *db = pg_test_create("ad_clusters", NULL);
	conninfo = db->conninfo;
	struct store *s = pg_test_connect(db->conninfo);
	raw = pg_test_raw(db->conninfo);
	pg_test_migrate(s);
	if (!ok(pg_test_load(s, "good/cqrs-seed.conf"),
	        "db load good/cqrs-seed.conf"))
		bail("cannot load the seed", NULL);
	if (!ok(pg_test_load(s, "../db/clusters-fixture.conf"),
	        "db load db/clusters-fixture.conf on top"))
		bail("cannot load the fixture", NULL);

	test_list(s);
	test_read(s);
	test_users(s);
	test_what_if(s);
	test_add(s);
	test_add_refused(s);
	test_add_race(s);
	test_update(s);
	test_race();
	test_delete(s);
	test_refused_at_commit(s);
	test_migrate_duplicates();

	store_disconnect(s);
	PQfinish(raw);
	return pg_test_done(n_tests, n_failed);
}
