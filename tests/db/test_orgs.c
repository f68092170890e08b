/* test_orgs.c: the Organisations tab's changes against a real PostgreSQL
 * server (TAP; access-model.md section 5, "create a child of / rename /
 * move / delete organisation X"): store_org_read, store_org_add,
 * store_org_rename, store_org_set_site, store_org_move, store_org_delete,
 * store_org_dependants and store_org_user_counts. Each change is checked
 * for what it says, what the database holds afterwards and the audit
 * record it wrote (one for a change, none for a refusal or for nothing to
 * change).
 *
 * Runs against the server of the PG* environment: creates ad_orgs_PID,
 * migrates it, loads $POLICY_DIR/good/cqrs-seed.conf and
 * tests/db/orgs-fixture.conf (via $POLICY_DIR/../db) with cli_db_load, and
 * drops it at the end. Skips (1..0) when no PostgreSQL is configured and
 * none answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

static PGconn *raw; /* to the test database: checks by plain SQL */

/* ---- plain SQL ---------------------------------------------------------- */

/* The organisations as they are, as one digest: a refused change must
 * leave them, and the audit trail, as they were. */
static const char state_sql[] =
    "SELECT md5(string_agg(o::text, ',' ORDER BY o.id) "
    "|| (SELECT count(*) FROM audit)) FROM "
    "organisations o";

static char *state(void)
{
	return pg_state(raw, state_sql);
}

static bool same_state(const char *before)
{
	return pg_same_state(raw, state_sql, before,
	                     "the organisations or the audit trail");
}

static int version_of(const char *code)
{
	return (int)pg_number(
	    raw,
	    "SELECT version FROM organisations WHERE lower(code) = lower($1)",
	    code);
}

static const char parent_sql[] =
    "SELECT coalesce(p.code, '') FROM organisations o LEFT JOIN "
    "organisations p ON p.id = o.parent_id WHERE o.code = $1";

static bool refused(bool made, const struct store_error *err,
                    const char *state_, const char *before)
{
	return refused_as(made, err, state_) && (!before || same_state(before));
}

static struct store_org_form form(const char *code, const char *name,
                                  const char *parent, bool is_site)
{
	struct store_org_form f = {.is_site = is_site};
	snprintf(f.code, sizeof f.code, "%s", code);
	snprintf(f.name, sizeof f.name, "%s", name);
	snprintf(f.parent, sizeof f.parent, "%s", parent);
	return f;
}

/* ---- the tests ---------------------------------------------------------- */

static void test_read(struct store *s)
{
	struct store_org_form f;
	struct store_error err = {0};
	ok(store_org_read(s, "LAT04", &f, &err) &&
	       strcmp(f.code, "lat04") == 0 &&
	       strcmp(f.name, "LatOrg04") == 0 &&
	       strcmp(f.parent, "nhs") == 0 && !f.is_site &&
	       f.version == version_of("lat04") && f.version > 0,
	   "store_org_read LAT04: code as stored, name, parent, version");
	ok(store_org_read(s, "a01aaa", &f, &err) && f.is_site &&
	       strcmp(f.parent, "cgc04") == 0,
	   "store_org_read a01aaa: A01AAA, a site under cgc04");
	ok(store_org_read(s, "nhs", &f, &err) && f.parent[0] == '\0',
	   "store_org_read nhs: a root, parent \"\"");
	ok(!store_org_read(s, "nope99", &f, &err) && err.sqlstate[0] == '\0' &&
	       strcmp(err.message, "no organisation \"nope99\"") == 0,
	   "store_org_read of no organisation: \"%s\"", err.message);
}

static void test_add(struct store *s)
{
	struct store_error err = {0};
	struct store_org_form f = form("new-01", "New One", "LAT05", true);
	long before_audits = pg_audits(raw);
	bool added = store_org_add(s, "mch112", &f, &err);
	ok(done(added, &err) && pg_is(raw, "lat05", parent_sql, "new-01") &&
	       pg_is(raw, "New One|true",
	             "SELECT name || '|' || is_site FROM organisations WHERE "
	             "code = $1",
	             "new-01"),
	   "mch112 adds new-01 (a site) under LAT05: stored under lat05");
	ok(pg_audits(raw) == before_audits + 1 &&
	       pg_audits_of(raw, "organisation", "new-01", "add") == 1 &&
	       pg_is(
	           raw, "lat05|",
	           "SELECT (after->>'parent') || '|' || coalesce(before::text, "
	           "'') FROM audit WHERE target_kind = 'organisation' AND "
	           "target = $1",
	           "new-01"),
	   "the add's one audit record: action add, target new-01, its after "
	   "naming the parent, no before");

	char *before = state();
	f = form("LAT04", "Another", "lat05", false);
	added = store_org_add(s, "mch112", &f, &err);
	ok(refused(added, &err, STORE_INVALID, before) &&
	       strcmp(err.message,
	              "Code LAT04 is already used by lat04 (LatOrg04)") == 0,
	   "a code used in another case: STORE_INVALID \"%s\"", err.message);
	f = form("bad code", "Bad", "lat05", false);
	added = store_org_add(s, "mch112", &f, &err);
	ok(refused(added, &err, STORE_INVALID, before) &&
	       has(err.message, "Organisation Code is not valid"),
	   "a code with a space: STORE_INVALID \"%s\"", err.message);
	char long_name[202];
	memset(long_name, 'n', 201);
	long_name[201] = '\0';
	f = form("long-01", long_name, "lat05", false);
	added = store_org_add(s, "mch112", &f, &err);
	ok(refused(added, &err, STORE_INVALID, before) &&
	       strcmp(err.message,
	              "Organisation Name is longer than 200 characters") == 0,
	   "a name of 201 characters: STORE_INVALID \"%s\"", err.message);
	f = form("orph-01", "Orphan", "nope99", false);
	added = store_org_add(s, "mch112", &f, &err);
	ok(refused(added, &err, "", before) &&
	       has(err.message, "no parent organisation \"nope99\""),
	   "a parent that does not exist: \"%s\"", err.message);
	f = form("ua-new", "By a User Administrator", "lat05", false);
	added = store_org_add(s, "uad001", &f, &err);
	ok(refused(added, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to add an organisation under "
	                        "lat05: ") &&
	       has(err.message, "uad001 lacks orgs.manage over lat05; grant "
	                        "lat05: no role has orgs.manage"),
	   "a User Administrator (reach: organisation) adding a child: "
	   "refused with the engine's explanation \"%s\"",
	   err.message);
	f = form("root-om", "Root by om0001", "", false);
	added = store_org_add(s, "om0001", &f, &err);
	ok(refused(added, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to add a root organisation: ") &&
	       has(err.message,
	           "om0001 lacks orgs.manage over a root organisation"),
	   "om0001 (System Administrator at lat04) adding a root: refused "
	   "\"%s\"",
	   err.message);
	free(before);

	f = form("root-02", "Second Root", "", false);
	added = store_org_add(s, "mch112", &f, &err);
	ok(done(added, &err) && pg_is(raw, "", parent_sql, "root-02") &&
	       pg_audits_of(raw, "organisation", "root-02", "add") == 1,
	   "mch112 (orgs.manage over the root nhs) adds a root");
}

/* Two adds of one code at once: the other's commits while this one's
 * waits, after this one's snapshot, so only the unique index sees it;
 * the message is the same. */
static void test_add_race(struct store *s)
{
	PGresult *r = PQexec(raw, "BEGIN; INSERT INTO organisations (code, "
	                          "name, parent_id) SELECT 'race-01', "
	                          "'Racer', id FROM organisations WHERE code "
	                          "= 'lat05'");
	bool begun = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok(begun && PQsendQuery(raw, "SELECT pg_sleep(0.5); COMMIT"),
	        "another connection adds race-01, to commit in half a second"))
		return;
	struct store_error err = {0};
	struct store_org_form f = form("RACE-01", "Second", "lat05", false);
	bool added = store_org_add(s, "mch112", &f, &err);
	while ((r = PQgetResult(raw)))
		PQclear(r);
	ok(refused(added, &err, STORE_INVALID, NULL) &&
	       strcmp(err.message,
	              "Code RACE-01 is already used by race-01 (Racer)") == 0 &&
	       pg_number(raw,
	                 "SELECT count(*) FROM organisations WHERE lower(code) "
	                 "= lower($1)",
	                 "race-01") == 1 &&
	       pg_number(raw,
	                 "SELECT count(*) FROM audit WHERE lower(target) = "
	                 "lower($1)",
	                 "race-01") == 0,
	   "an add of RACE-01 racing it: STORE_INVALID \"%s\", one "
	   "organisation, no audit record",
	   err.message);
}

static void test_rename(struct store *s)
{
	struct store_error err = {0};
	struct store_org_form f;
	if (!ok(store_org_read(s, "rn01", &f, &err), "read rn01"))
		return;
	bool renamed =
	    store_org_rename(s, "om0001", "RN01", f.version, "By Orla", &err);
	ok(done(renamed, &err) &&
	       pg_is(raw, "By Orla",
	             "SELECT name FROM organisations WHERE code = $1",
	             "rn01") &&
	       version_of("rn01") == f.version + 1,
	   "om0001 renames RN01 at the version read: renamed, version moved");
	ok(pg_audits_of(raw, "organisation", "rn01", "rename") == 1 &&
	       pg_is(raw, "Rename Me|By Orla",
	             "SELECT (before->>'name') || '|' || (after->>'name') FROM "
	             "audit WHERE target_kind = 'organisation' AND target = $1 "
	             "AND action = 'rename'",
	             "rn01"),
	   "the rename's audit record: target rn01 as stored, before and "
	   "after");
	char *before = state();
	renamed =
	    store_org_rename(s, "mch112", "rn01", f.version, "By Matt", &err);
	ok(refused(renamed, &err, STORE_CONFLICT, before) &&
	       has(err.message, "rn01 was changed by om0001 at ") &&
	       has(err.message, "(rename) after this form was read"),
	   "the second rename from a form read at the same version: "
	   "STORE_CONFLICT \"%s\"",
	   err.message);
	renamed = store_org_rename(s, "mch112", "rn01", f.version + 1,
	                           "By Orla", &err);
	ok(done(renamed, &err) && same_state(before) &&
	       version_of("rn01") == f.version + 1,
	   "a rename to the name it has: done, nothing written, no audit "
	   "record");
	renamed = store_org_rename(s, "mch112", "rn01", 0, "", &err);
	ok(refused(renamed, &err, STORE_INVALID, before) &&
	       has(err.message, "Organisation Name is required"),
	   "an empty name: STORE_INVALID \"%s\"", err.message);
	renamed = store_org_rename(s, "uad001", "lat05", 0, "Mine", &err);
	ok(refused(renamed, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to rename lat05: uad001 lacks "
	                        "orgs.manage over lat05"),
	   "uad001 renaming lat05: refused \"%s\"", err.message);
	renamed = store_org_rename(s, "mch112", "nope99", 0, "Who", &err);
	ok(refused(renamed, &err, "", before) &&
	       has(err.message, "no organisation \"nope99\""),
	   "renaming no organisation: \"%s\"", err.message);
	free(before);
}

static void test_site(struct store *s)
{
	struct store_error err = {0};
	const char *site_sql =
	    "SELECT is_site::text FROM organisations WHERE code = $1";
	bool set = store_org_set_site(s, "mch112", "st-free",
	                              version_of("st-free"), true, &err);
	ok(done(set, &err) && pg_is(raw, "true", site_sql, "st-free") &&
	       pg_audits_of(raw, "organisation", "st-free", "mark site") == 1,
	   "mch112 marks st-free as a site; audited as \"mark site\"");
	char *before = state();
	set = store_org_set_site(s, "mch112", "st-free", 0, true, &err);
	ok(done(set, &err) && same_state(before),
	   "marking it again: done, nothing written, no audit record");
	set = store_org_set_site(s, "uad001", "lat05", 0, true, &err);
	ok(refused(set, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to mark lat05 as a site: uad001 "
	                        "lacks orgs.manage over lat05"),
	   "uad001 marking lat05 (an edit: orgs.manage over it): refused "
	   "\"%s\"",
	   err.message);
	set = store_org_set_site(s, "mch112", "st-study", 0, false, &err);
	ok(refused(set, &err, STORE_REFUSED, before) &&
	       has(err.message, "organisation \"st-study\" must stay a site: "
	                        "it is the site of 1 study, and of 0 site "
	                        "restrictions"),
	   "unmarking st-study, a study's site: refused \"%s\"", err.message);
	set = store_org_set_site(s, "mch112", "st-restr", 0, false, &err);
	ok(refused(set, &err, STORE_REFUSED, before) &&
	       has(err.message, "organisation \"st-restr\" must stay a site: "
	                        "it is the site of 0 studies, and of 1 site "
	                        "restriction"),
	   "unmarking st-restr, named by a site restriction: refused \"%s\"",
	   err.message);
	free(before);
	set = store_org_set_site(s, "mch112", "ST-FREE", version_of("st-free"),
	                         false, &err);
	ok(done(set, &err) && pg_is(raw, "false", site_sql, "st-free") &&
	       pg_audits_of(raw, "organisation", "st-free", "unmark site") == 1,
	   "mch112 unmarks ST-FREE; audited as \"unmark site\" of st-free");
}

/* Moves refused: by the engine (a cycle, the operator's reach), by the
 * schema (a cluster member out of its owner's subtree, with the
 * trigger's hint), or for want of the new parent. */
static const struct bad_move {
	const char *op, *code, *to, *why, *state, *says, *says_too;
} bad_moves[] = {
    {"mch112", "mv01", "mv01-kid", "its own child", STORE_REFUSED,
     "not allowed to move mv01 under mv01-kid: ", "cycle"},
    {"mch112", "mv01", "mv01", "itself", STORE_REFUSED,
     "not allowed to move mv01 under mv01: ", "cycle"},
    {"mch112", "del-mem", "lat02", "a member of del-own's cluster",
     STORE_REFUSED,
     "organisation \"del-mem\": the move would take \"del-mem\", a "
     "member of cluster D0D0D0D0D0, out of its owner \"del-own\"",
     "Remove the member from the cluster first."},
    {"om0001", "rn01", "", "no orgs.manage over a root", STORE_REFUSED,
     "not allowed to move rn01 to the top: om0001 lacks orgs.manage over "
     "a root organisation",
     NULL},
    {"om0001", "rn01", "lat05", "orgs.manage over rn01, not lat05",
     STORE_REFUSED,
     "not allowed to move rn01 under lat05: om0001 lacks orgs.manage "
     "over lat05",
     NULL},
    {"mch112", "mv01", "nope99", "no such organisation", "",
     "no organisation \"nope99\"", NULL},
};

static void test_move(struct store *s)
{
	struct store_error err = {0};
	char *before = state();
	for (size_t i = 0; i < sizeof bad_moves / sizeof bad_moves[0]; i++) {
		const struct bad_move *m = &bad_moves[i];
		bool moved = store_org_move(s, m->op, m->code, 0, m->to, &err);
		ok(refused(moved, &err, m->state, before) &&
		       has(err.message, m->says) &&
		       (!m->says_too || has(err.message, m->says_too)),
		   "%s moving %s %s%s (%s): refused \"%s\"", m->op, m->code,
		   m->to[0] ? "under " : "to the top", m->to, m->why,
		   err.message);
	}
	free(before);

	int read_at = version_of("mv01");
	bool moved =
	    store_org_move(s, "mch112", "MV01", read_at, "LAT02", &err);
	ok(done(moved, &err) && pg_is(raw, "lat02", parent_sql, "mv01") &&
	       pg_is(raw, "mv01", parent_sql, "mv01-kid") &&
	       pg_audits_of(raw, "organisation", "mv01", "move") == 1 &&
	       pg_is(raw, "lat05|lat02",
	             "SELECT (before->>'parent') || '|' || (after->>'parent') "
	             "FROM audit WHERE target_kind = 'organisation' AND target "
	             "= $1 AND action = 'move'",
	             "mv01"),
	   "mch112 moves MV01 under LAT02: its parent_id is lat02's, its "
	   "child goes with it, one audit record");
	before = state();
	moved = store_org_move(s, "mch112", "mv01", 0, "lat02", &err);
	ok(done(moved, &err) && same_state(before),
	   "a move to the parent it has: done, nothing written, no audit "
	   "record");
	moved = store_org_move(s, "mch112", "mv01", read_at, "lat05", &err);
	ok(refused(moved, &err, STORE_CONFLICT, before) &&
	       has(err.message, "mv01 was changed by mch112 at ") &&
	       has(err.message, "(move)"),
	   "a move from a form read before the last one: STORE_CONFLICT "
	   "\"%s\"",
	   err.message);
	free(before);
	moved = store_org_move(s, "mch112", "mv01", 0, "", &err);
	ok(done(moved, &err) && pg_is(raw, "", parent_sql, "mv01") &&
	       pg_audits_of(raw, "organisation", "mv01", "move") == 2,
	   "mch112 (orgs.manage over a root) moves mv01 to the top");
}

/* What depends on each organisation, as the refusal and
 * store_org_dependants both say it. */
static const struct {
	const char *code, *deps;
} in_use[] = {
    {"del-par", "1 child organisation"},
    {"del-grant", "1 grant"},
    {"del-own", "1 child organisation, 1 cluster it owns"},
    {"del-mem", "1 cluster membership"},
    {"st-study", "1 study"},
    {"st-restr", "1 site restriction"},
};

static void test_delete(struct store *s)
{
	struct store_error err = {0};
	char *before = state();
	for (size_t i = 0; i < sizeof in_use / sizeof in_use[0]; i++) {
		char want[256];
		snprintf(want, sizeof want,
		         "organisation \"%s\" cannot be deleted: it has %s",
		         in_use[i].code, in_use[i].deps);
		bool deleted =
		    store_org_delete(s, "mch112", in_use[i].code,
		                     version_of(in_use[i].code), &err);
		ok(refused(deleted, &err, STORE_REFUSED, before) &&
		       strcmp(err.message, want) == 0,
		   "deleting %s, which has %s: refused \"%s\"", in_use[i].code,
		   in_use[i].deps, err.message);
		char deps[256] = "?";
		ok(store_org_dependants(s, in_use[i].code, deps, sizeof deps,
		                        &err) &&
		       strcmp(deps, in_use[i].deps) == 0,
		   "store_org_dependants %s: \"%s\"", in_use[i].code, deps);
	}
	bool deleted = store_org_delete(s, "uad001", "del-leaf", 0, &err);
	ok(refused(deleted, &err, STORE_REFUSED, before) &&
	       has(err.message, "not allowed to delete del-leaf: uad001 lacks "
	                        "orgs.manage over del-leaf"),
	   "uad001 deleting del-leaf: refused \"%s\"", err.message);
	deleted = store_org_delete(s, "mch112", "del-leaf",
	                           version_of("del-leaf") + 1, &err);
	ok(refused(deleted, &err, STORE_CONFLICT, before),
	   "deleting del-leaf at a version it never had: STORE_CONFLICT "
	   "\"%s\"",
	   err.message);
	free(before);
	char deps[256] = "?";
	ok(store_org_dependants(s, "DEL-LEAF", deps, sizeof deps, &err) &&
	       deps[0] == '\0',
	   "store_org_dependants DEL-LEAF: \"\" (got \"%s\")", deps);
	deleted = store_org_delete(s, "mch112", "DEL-LEAF",
	                           version_of("del-leaf"), &err);
	ok(done(deleted, &err) &&
	       pg_number(raw,
	                 "SELECT count(*) FROM organisations WHERE code = $1",
	                 "del-leaf") == 0 &&
	       pg_audits_of(raw, "organisation", "del-leaf", "delete") == 1 &&
	       pg_is(raw, "Unused Leaf|",
	             "SELECT (before->>'name') || '|' || coalesce(after::text, "
	             "'') FROM audit WHERE target_kind = 'organisation' AND "
	             "target = $1 AND action = 'delete'",
	             "del-leaf"),
	   "mch112 deletes DEL-LEAF, unused: gone, one audit record (before, "
	   "no after)");
	ok(!store_org_dependants(s, "del-leaf", deps, sizeof deps, &err) &&
	       has(err.message, "no organisation \"del-leaf\""),
	   "store_org_dependants of no organisation: \"%s\"", err.message);
}

static long long id_of(const char *code)
{
	return pg_number(raw, "SELECT id FROM organisations WHERE code = $1",
	                 code);
}

static void test_user_counts(struct store *s)
{
	/* lat04: kal738, gba204, mch112 (the seed's) and om0001 */
	long long ids[] = {id_of("del-grant"), id_of("lat04"), id_of("st-free"),
	                   999999999, id_of("lat04")};
	long users[] = {-1, -1, -1, -1, -1};
	struct store_error err = {0};
	bool counted = store_org_user_counts(s, ids, 5, users, &err);
	long lat04 =
	    pg_number(raw,
	              "SELECT count(DISTINCT user_id) FROM grants WHERE "
	              "org_id = (SELECT id FROM organisations WHERE code "
	              "= $1)",
	              "lat04");
	ok(done(counted, &err) && users[0] == 1 && users[1] == 4 &&
	       users[1] == lat04 && users[2] == 0 && users[3] == 0 &&
	       users[4] == 4,
	   "store_org_user_counts del-grant, lat04, st-free, no such id, "
	   "lat04: 1 4 0 0 4 in the order given (got %ld %ld %ld %ld %ld)",
	   users[0], users[1], users[2], users[3], users[4]);
	ok(store_org_user_counts(s, ids, 0, users, &err),
	   "store_org_user_counts of no organisation: nothing to do");
}

int main(void)
{
	pg_test_start();
	const struct pg_test_db *db = pg_test_create("ad_orgs", NULL);
	struct store *s = pg_test_connect(db->conninfo);
	raw = pg_test_raw(db->conninfo);
	pg_test_migrate(s);
	if (!ok(pg_test_load(s, "good/cqrs-seed.conf"),
	        "db load good/cqrs-seed.conf"))
		bail("cannot load the seed", NULL);
	if (!ok(pg_test_load(s, "../db/orgs-fixture.conf"),
	        "db load db/orgs-fixture.conf on top"))
		bail("cannot load the fixture", NULL);

	test_read(s);
	test_add(s);
	test_add_race(s);
	test_rename(s);
	test_site(s);
	test_move(s);
	test_delete(s);
	test_user_counts(s);

	store_disconnect(s);
	PQfinish(raw);
	return pg_test_done(n_tests, n_failed);
}
