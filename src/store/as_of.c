/* as_of.c: Who has access? as of a past date (screens.md, "5 Audit": "As
 * of"), rebuilt from the audit trail.
 *
 * The state at D. Every audit record holds full snapshots of what it
 * changed (sql/005_snapshots.sql, sql/007_change.sql): before and after
 * of a user (details, enabled, every grant with its roles, payment types
 * and clusters, profile roles, sites, studies), of one grant
 * ("login/ORG"), a cluster (owner, members), an organisation (parent), a
 * role (actions). So the state at D is the current state, except that
 * each entity with records after D takes the before of its earliest
 * record after D (no before: it did not exist then). That needs only the
 * records after D (the audit_seq index from D's place in the chain), and
 * it equals replaying the trail forward from its start when the trail is
 * whole. A user's grants are touched by both kinds: a 'user' record
 * (its grants array) and a 'grant' record (login/ORG); for each (user,
 * organisation) the earliest record after D of either kind that touches
 * it decides (a user record touches every grant of its user). Studies and
 * their access lists are read as they are now (Who has access? of an
 * organisation does not read them), less what names something that did
 * not exist then; the settings as now.
 *
 * What the trail cannot undo: a date before its first record, or before
 * a bulk record that came after that (kind 'database': `db seed`;
 * 'organisations': `db import-ods`), which leave one summary record and
 * no snapshots. Such a date is refused with a message naming the record.
 *
 * One implementation. The state at D is built inside one transaction as
 * temporary objects with the names of the tables load.c and access.c
 * read (organisations, users, grants, grant_roles, grant_payment_types,
 * grant_clusters, clusters, cluster_members, roles, role_actions,
 * profile_roles, site_restrictions, restricted_studies, studies,
 * study_access): PostgreSQL looks for an unqualified name in pg_temp
 * first, so the very statements of Who has access? (its candidates,
 * store_load_world, store_load_users) read the past, and the engine
 * decides each grant as it does today. Those statements are plain SQL
 * (no function with a pinned search_path in between). Each temporary
 * object is a view: the real table's rows less those of the entities
 * changed since D, and the rows rebuilt from their before (so only the
 * entities changed since D are copied, and the real tables' indexes
 * still serve every statement); roles alone is a temporary table (with
 * the real one's keys), as load.c's roles statement groups by its
 * primary key. A view is bound to what its names meant when it was
 * made, so each is made before its own name is shadowed and reads the
 * real table. Entities that exist now keep their ids (found by code,
 * login, short name or role name); those gone since get ids past any
 * real one. Everything is dropped by the ROLLBACK that ends the
 * transaction; it writes nothing else (it is not READ ONLY only because
 * PostgreSQL refuses CREATE TEMP there).
 *
 * Visibility is today's: the operator needs users.view over the
 * organisation now, users are listed when the operator sees them now and
 * a grant is shown when the operator has users.view over its
 * organisation now (access.c's viewer: the console's world, into which
 * the candidates are loaded with the search path turned to put pg_temp
 * last, i.e. the real tables). A user or organisation gone since is not
 * seen.
 *
 * Limits: a grant that no longer exists gets an id after every real one,
 * so where one user holds several grants that let them in, their rows
 * may come in another order than they then would; organisation codes,
 * logins and role names are taken as the records name them (the console
 * never changes one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- the state at D ------------------------------------------------------ */

/* Ids of entities gone since D: past any real one (roles are integer). */
#define GONE_ID      "4000000000000000"
#define GONE_ROLE_ID "2000000000"

/* The id at D of the organisation, role, cluster or user named (codes in
 * any case): its rebuilt row's, else the real one's. */
#define ORG_ID(code)                                                           \
	"coalesce((SELECT pp.id FROM pg_temp.as_of_orgs pp"                    \
	" WHERE pp.key = lower(" code                                          \
	")), (SELECT rr.id FROM organisations rr"                              \
	" WHERE lower(rr.code) = lower(" code ")))"
#define ROLE_ID(name)                                                          \
	"coalesce((SELECT pp.id FROM pg_temp.as_of_roles pp"                   \
	" WHERE pp.key = " name "), (SELECT rr.id FROM roles rr"               \
	" WHERE rr.name = " name "))"
#define CLUSTER_ID(name)                                                       \
	"coalesce((SELECT pp.id FROM pg_temp.as_of_clusters pp"                \
	" WHERE pp.key = " name "), (SELECT rr.id FROM clusters rr"            \
	" WHERE rr.short_name = " name "))"
#define USER_ID(login)                                                         \
	"coalesce((SELECT pp.id FROM pg_temp.as_of_users pp"                   \
	" WHERE pp.key = " login "), (SELECT rr.id FROM users rr"              \
	" WHERE rr.login = " login "))"
/* The grant of organisation `org` (a code, any case) in one side
 * (r.before or r.after) of audit record r, NULL when it has none. */
#define ITEM(side, org)                                                        \
	"(CASE WHEN r.target_kind = 'grant' THEN CASE WHEN"                    \
	" lower(split_part(r.target, '/', 2)) = lower(" org ") THEN " side     \
	" END ELSE (SELECT e FROM jsonb_array_elements(" side "->'grants') e"  \
	" WHERE lower(e->>'org') = lower(" org ") LIMIT 1) END)"
/* The rebuilt rows of entities of one kind: key, id, before. */
#define REBUILT(table, kind, real, match, gone)                                \
	"CREATE TEMP TABLE " table " ON COMMIT DROP AS SELECT f.key,"          \
	" coalesce(r.id, " gone                                                \
	" + row_number() OVER (ORDER BY f.key)) AS id,"                        \
	" f.before AS b, r.version, m.at"                                      \
	" FROM pg_temp.as_of_first f CROSS JOIN pg_temp.as_of_moment m"        \
	" LEFT JOIN " real " r ON " match " WHERE f.kind = '" kind "'"         \
	" AND f.before IS NOT NULL"
/* The real ids of the entities of one kind changed since D. */
#define GONE(table, kind, real, match)                                         \
	"CREATE TEMP TABLE " table " ON COMMIT DROP AS SELECT r.id"            \
	" FROM pg_temp.as_of_first f JOIN " real " r ON " match                \
	" WHERE f.kind = '" kind "'"
/* A shadow: the real rows whose key is not gone, and the rebuilt ones. */
#define SHADOW(name, cols, key, gone, rebuilt)                                 \
	"CREATE TEMP VIEW " name " AS SELECT " cols " FROM " name " t"         \
	" WHERE NOT EXISTS (SELECT 1 FROM pg_temp." gone " x"                  \
	" WHERE x.id = t." key ") UNION ALL " rebuilt

static const char moment_sql[] =
    "INSERT INTO pg_temp.as_of_moment SELECT least($1::timestamptz, now()),"
    " coalesce((SELECT a.seq FROM audit a"
    " WHERE a.at <= least($1::timestamptz, now())"
    " ORDER BY a.at DESC LIMIT 1), 0), current_setting('search_path')"
    " RETURNING to_char(at, 'DD/MM/YYYY HH24:MI:SS'), seq";

/* In this order: what is read of the real tables first, the shadows
 * last. */
static const char *const build_sql[] = {
    /* the earliest record after D of each entity */
    /* (keys and places sorted, the snapshots read after: sorting them
     * with the before spilled 64 MB at a million records) */
    "CREATE TEMP TABLE as_of_first ON COMMIT DROP AS"
    " SELECT f.kind, f.key, f.seq, b.before FROM (SELECT DISTINCT ON"
    " (a.target_kind, k.key) a.target_kind AS kind, k.key, a.seq"
    " FROM audit a CROSS JOIN LATERAL (SELECT CASE"
    " WHEN a.target_kind IN ('grant', 'organisation') THEN lower(a.target)"
    " ELSE a.target END AS key) k"
    " WHERE a.seq > (SELECT m.seq FROM pg_temp.as_of_moment m)"
    " AND a.target_kind IN ('user', 'grant', 'organisation', 'cluster',"
    " 'role') ORDER BY a.target_kind, k.key, a.seq) f"
    " JOIN audit b ON b.seq = f.seq",
    /* organisations, their parents once every one has its id */
    REBUILT("as_of_orgs", "organisation", "organisations",
            "lower(r.code) = f.key", GONE_ID),
    GONE("as_of_gone_orgs", "organisation", "organisations",
         "lower(r.code) = f.key"),
    "ALTER TABLE pg_temp.as_of_orgs ADD COLUMN parent_id bigint",
    "UPDATE pg_temp.as_of_orgs c SET parent_id = " ORG_ID("c.b->>'parent'"),
    REBUILT("as_of_roles", "role", "roles", "r.name = f.key", GONE_ROLE_ID),
    GONE("as_of_gone_roles", "role", "roles", "r.name = f.key"),
    REBUILT("as_of_clusters", "cluster", "clusters", "r.short_name = f.key",
            GONE_ID),
    GONE("as_of_gone_clusters", "cluster", "clusters", "r.short_name = f.key"),
    REBUILT("as_of_users", "user", "users", "r.login = f.key", GONE_ID),
    GONE("as_of_gone_users", "user", "users", "r.login = f.key"),
    /* each grant at D of the users with a user or grant record since:
     * a grant record decides when no user record of its user came before
     * it; the other grants of a user with grant records alone are as
     * now (each user's grants are rebuilt whole, so that they keep their
     * order: below) */
    "CREATE TEMP TABLE as_of_grant_items ON COMMIT DROP AS"
    " WITH u AS (SELECT f.key AS login, f.seq, f.before"
    " FROM pg_temp.as_of_first f WHERE f.kind = 'user'),"
    " g AS (SELECT split_part(f.key, '/', 1) AS login,"
    " split_part(f.key, '/', 2) AS org, f.before FROM pg_temp.as_of_first f"
    " WHERE f.kind = 'grant' AND NOT EXISTS (SELECT 1 FROM u"
    " WHERE u.login = split_part(f.key, '/', 1) AND u.seq < f.seq))"
    " SELECT u.login, lower(e.item->>'org') AS org, e.item, e.n FROM u"
    " CROSS JOIN LATERAL jsonb_array_elements(u.before->'grants')"
    " WITH ORDINALITY AS e(item, n) WHERE NOT EXISTS (SELECT 1 FROM g"
    " WHERE g.login = u.login AND g.org = lower(e.item->>'org'))"
    " UNION ALL SELECT g.login, g.org, g.before, 0 FROM g"
    " WHERE g.before IS NOT NULL"
    " UNION ALL SELECT cu.login, lower(co.code),"
    " grant_items(cg.id) || jsonb_build_object('org', co.code), 0"
    " FROM (SELECT DISTINCT g.login FROM g WHERE NOT EXISTS (SELECT 1"
    " FROM u WHERE u.login = g.login)) l JOIN users cu ON cu.login = l.login"
    " JOIN grants cg ON cg.user_id = cu.id"
    " JOIN organisations co ON co.id = cg.org_id WHERE NOT EXISTS (SELECT 1"
    " FROM g WHERE g.login = l.login AND g.org = lower(co.code))",
    /* their ids: in the order the grants were made (ids are given so),
     * by the record that made each (the latest at or before D whose after
     * holds it and whose before does not; 0 before the trail), then the
     * id it has now, then its place in its user's snapshot */
    "CREATE TEMP TABLE as_of_grants ON COMMIT DROP AS SELECT " GONE_ID
    " + row_number() OVER (ORDER BY i.login, i.made, i.now_id NULLS LAST,"
    " i.n) AS id, " USER_ID("i.login") " AS user_id, " ORG_ID(
        "i.org") " AS org_id, i.item FROM (SELECT k.*, cg.id AS now_id, "
                 "coalesce((SELECT"
                 " r.seq FROM audit r WHERE lower(split_part(r.target, '/', "
                 "1)) = k.login"
                 " AND r.seq <= (SELECT m.seq FROM pg_temp.as_of_moment m)"
                 " AND r.target_kind IN ('user', 'grant')"
                 " AND " ITEM(
                     "r.after",
                     "k.org") " IS NOT NULL"
                              " AND " ITEM(
                                  "r.before",
                                  "k.org") " IS NULL"
                                           " ORDER BY "
                                           "lower(split_part(r.target, '/', "
                                           "1)) DESC, r.seq DESC"
                                           " LIMIT 1), 0) AS made FROM "
                                           "pg_temp.as_of_grant_items k"
                                           " LEFT JOIN users cu ON cu.login = "
                                           "k.login"
                                           " LEFT JOIN organisations co ON "
                                           "lower(co.code) = k.org"
                                           " LEFT JOIN grants cg ON cg.user_id "
                                           "= cu.id AND cg.org_id = co.id) i",
    /* every grant now of those users */
    "CREATE TEMP TABLE as_of_gone_grants ON COMMIT DROP AS"
    " SELECT g.id FROM (SELECT DISTINCT split_part(f.key, '/', 1) AS login"
    " FROM pg_temp.as_of_first f WHERE f.kind IN ('user', 'grant')) l"
    " JOIN users u ON u.login = l.login JOIN grants g ON g.user_id = u.id",
    /* the lists inside them, in their snapshots' order */
    "CREATE TEMP TABLE as_of_grant_roles ON COMMIT DROP AS"
    " SELECT g.id AS grant_id, k.id AS role_id, x.n::integer AS position"
    " FROM pg_temp.as_of_grants g CROSS JOIN LATERAL"
    " jsonb_array_elements_text(g.item->'roles') WITH ORDINALITY AS x(name, n)"
    " CROSS JOIN LATERAL (SELECT " ROLE_ID("x.name") " AS id) k"
                                                     " WHERE k.id IS NOT NULL",
    "CREATE TEMP TABLE as_of_grant_payment_types ON COMMIT DROP AS"
    " SELECT g.id AS grant_id, x.code AS payment_type"
    " FROM pg_temp.as_of_grants g CROSS JOIN LATERAL"
    " jsonb_array_elements_text(g.item->'payment_types') AS x(code)",
    "CREATE TEMP TABLE as_of_grant_clusters ON COMMIT DROP AS"
    " SELECT g.id AS grant_id, k.id AS cluster_id, x.n::integer AS position"
    " FROM pg_temp.as_of_grants g CROSS JOIN LATERAL"
    " jsonb_array_elements_text(g.item->'clusters') WITH ORDINALITY AS x(s, n)"
    " CROSS JOIN LATERAL (SELECT " CLUSTER_ID("x.s") " AS id) k"
                                                     " WHERE k.id IS NOT NULL",
    "CREATE TEMP TABLE as_of_cluster_members ON COMMIT DROP AS"
    " SELECT c.id AS cluster_id, k.id AS org_id, x.n::integer AS position"
    " FROM pg_temp.as_of_clusters c CROSS JOIN LATERAL"
    " jsonb_array_elements_text(c.b->'members') WITH ORDINALITY AS x(code, n)"
    " CROSS JOIN LATERAL (SELECT " ORG_ID("x.code") " AS id) k"
                                                    " WHERE k.id IS NOT NULL",
    "CREATE TEMP TABLE as_of_role_actions ON COMMIT DROP AS"
    " SELECT r.id AS role_id, x.action FROM pg_temp.as_of_roles r"
    " CROSS JOIN LATERAL jsonb_array_elements_text(r.b->'actions') AS"
    " x(action)",
    "CREATE TEMP TABLE as_of_profile_roles ON COMMIT DROP AS"
    " SELECT u.id AS user_id, k.id AS role_id, x.n::integer AS position"
    " FROM pg_temp.as_of_users u CROSS JOIN LATERAL"
    " jsonb_array_elements_text(u.b->'profile_roles') WITH ORDINALITY AS"
    " x(name, n) CROSS JOIN LATERAL (SELECT " ROLE_ID(
        "x.name") " AS id) k"
                  " WHERE k.id IS NOT NULL",
    "CREATE TEMP TABLE as_of_site_restrictions ON COMMIT DROP AS"
    " SELECT u.id AS user_id, k.id AS site_id,"
    " coalesce((x.e->>'recruitment_only')::boolean, false) AS"
    " recruitment_only, x.n::integer AS position FROM pg_temp.as_of_users u"
    " CROSS JOIN LATERAL jsonb_array_elements(u.b->'sites') WITH ORDINALITY"
    " AS x(e, n) CROSS JOIN LATERAL (SELECT " ORG_ID(
        "x.e->>'site'") " AS id)"
                        " k WHERE k.id IS NOT NULL",
    "CREATE TEMP TABLE as_of_restricted_studies ON COMMIT DROP AS"
    " SELECT u.id AS user_id, s.id AS study_id, x.n::integer AS position"
    " FROM pg_temp.as_of_users u CROSS JOIN LATERAL"
    " jsonb_array_elements_text(u.b->'studies') WITH ORDINALITY AS x(code, n)"
    " JOIN studies s ON s.code = x.code",
    /* roles: a table with the real one's keys, filled before it hides it */
    "CREATE TEMP TABLE as_of_role_rows ON COMMIT DROP AS"
    " SELECT t.id, t.name, t.domain, t.reach, t.builtin, t.version FROM roles t"
    " WHERE NOT EXISTS (SELECT 1 FROM pg_temp.as_of_gone_roles x"
    " WHERE x.id = t.id) UNION ALL SELECT p.id::integer, p.key, p.b->>'domain',"
    " coalesce(p.b->>'reach', 'subtree'), coalesce((SELECT r.builtin"
    " FROM roles r WHERE r.id = p.id), false), coalesce(p.version, 1)"
    " FROM pg_temp.as_of_roles p",
    /* ---- the shadows ---- */
    "CREATE TEMP TABLE roles (LIKE roles INCLUDING ALL) ON COMMIT DROP",
    "INSERT INTO pg_temp.roles OVERRIDING SYSTEM VALUE"
    " SELECT * FROM pg_temp.as_of_role_rows",
    SHADOW("role_actions", "t.role_id, t.action", "role_id", "as_of_gone_roles",
           "SELECT p.role_id::integer, p.action FROM pg_temp.as_of_role_actions"
           " p"),
    SHADOW("clusters",
           "t.id, t.short_name, t.name, t.description, t.owner_id, t.version",
           "id", "as_of_gone_clusters",
           "SELECT p.id, p.key, p.b->>'name', coalesce(p.b->>'description',"
           " ''), " ORG_ID("p.b->>'owner'") ", coalesce(p.version, 1)"
                                            " FROM pg_temp.as_of_clusters p"),
    SHADOW("cluster_members", "t.cluster_id, t.org_id, t.position",
           "cluster_id", "as_of_gone_clusters",
           "SELECT p.cluster_id, p.org_id, p.position"
           " FROM pg_temp.as_of_cluster_members p"),
    SHADOW("organisations",
           "t.id, t.code, t.name, t.parent_id, t.is_site, t.version,"
           " t.created_at",
           "id", "as_of_gone_orgs",
           "SELECT p.id, p.b->>'code', p.b->>'name', p.parent_id,"
           " coalesce((p.b->>'is_site')::boolean, false),"
           " coalesce(p.version, 1), p.at FROM pg_temp.as_of_orgs p"),
    SHADOW("users",
           "t.id, t.login, t.title, t.first_name, t.last_name, t.email,"
           " t.work_phone, t.mobile_phone, t.unix_account, t.enabled,"
           " t.created_at, t.version",
           "id", "as_of_gone_users",
           "SELECT p.id, p.key, p.b->>'title', p.b->>'first_name',"
           " p.b->>'last_name', p.b->>'email', p.b->>'work_phone',"
           " p.b->>'mobile_phone', NULL, (p.b->>'enabled')::boolean, p.at,"
           " coalesce(p.version, 1) FROM pg_temp.as_of_users p"),
    SHADOW("grants", "t.id, t.user_id, t.org_id", "id", "as_of_gone_grants",
           "SELECT p.id, p.user_id, p.org_id FROM pg_temp.as_of_grants p"
           " WHERE p.user_id IS NOT NULL AND p.org_id IS NOT NULL"),
    SHADOW("grant_roles", "t.grant_id, t.role_id, t.position", "grant_id",
           "as_of_gone_grants",
           "SELECT p.grant_id, p.role_id::integer, p.position"
           " FROM pg_temp.as_of_grant_roles p"),
    SHADOW("grant_payment_types", "t.grant_id, t.payment_type", "grant_id",
           "as_of_gone_grants",
           "SELECT p.grant_id, p.payment_type"
           " FROM pg_temp.as_of_grant_payment_types p"),
    SHADOW("grant_clusters", "t.grant_id, t.cluster_id, t.position", "grant_id",
           "as_of_gone_grants",
           "SELECT p.grant_id, p.cluster_id, p.position"
           " FROM pg_temp.as_of_grant_clusters p"),
    SHADOW("profile_roles", "t.user_id, t.role_id, t.position", "user_id",
           "as_of_gone_users",
           "SELECT p.user_id, p.role_id::integer, p.position"
           " FROM pg_temp.as_of_profile_roles p"),
    SHADOW("site_restrictions",
           "t.user_id, t.site_id, t.recruitment_only, t.position", "user_id",
           "as_of_gone_users",
           "SELECT p.user_id, p.site_id, p.recruitment_only, p.position"
           " FROM pg_temp.as_of_site_restrictions p"),
    SHADOW("restricted_studies", "t.user_id, t.study_id, t.position", "user_id",
           "as_of_gone_users",
           "SELECT p.user_id, p.study_id, p.position"
           " FROM pg_temp.as_of_restricted_studies p"),
    /* studies and their lists as now, where what they name was there */
    "CREATE TEMP VIEW studies AS SELECT t.id, t.code, t.name, t.site_id,"
    " t.version FROM studies t WHERE EXISTS (SELECT 1"
    " FROM pg_temp.organisations o WHERE o.id = t.site_id)",
    "CREATE TEMP VIEW study_access AS SELECT t.study_id, t.user_id,"
    " t.role_id, t.position FROM study_access t WHERE EXISTS (SELECT 1"
    " FROM pg_temp.studies s WHERE s.id = t.study_id) AND EXISTS (SELECT 1"
    " FROM pg_temp.users u WHERE u.id = t.user_id) AND (t.role_id IS NULL"
    " OR EXISTS (SELECT 1 FROM pg_temp.roles r WHERE r.id = t.role_id))",
};

/* The search path as the session had it (pg_temp first: the past), or
 * with pg_temp last (the real tables: now). */
static const char past_path_sql[] =
    "SELECT set_config('search_path', (SELECT m.path"
    " FROM pg_temp.as_of_moment m), true)";
static const char now_path_sql[] =
    "SELECT set_config('search_path', (SELECT m.path"
    " FROM pg_temp.as_of_moment m) || ', pg_temp', true)";

/* ---- what the trail can rebuild ------------------------------------------ */

static const char first_sql[] =
    "SELECT a.seq, to_char(a.at, 'DD/MM/YYYY HH24:MI:SS'),"
    " a.at > $1::timestamptz FROM audit a ORDER BY a.seq LIMIT 1";
/* The latest bulk record after D (audit_kind, each kind's newest). */
static const char bulk_sql[] =
    "SELECT b.seq, to_char(b.at, 'DD/MM/YYYY HH24:MI:SS'), b.target_kind"
    " FROM (SELECT a.seq, a.at, a.target_kind FROM audit a"
    " WHERE a.target_kind = 'database' ORDER BY a.seq DESC LIMIT 1) b"
    " WHERE b.at > $1::timestamptz UNION ALL"
    " SELECT b.seq, to_char(b.at, 'DD/MM/YYYY HH24:MI:SS'), b.target_kind"
    " FROM (SELECT a.seq, a.at, a.target_kind FROM audit a"
    " WHERE a.target_kind = 'organisations' ORDER BY a.seq DESC LIMIT 1) b"
    " WHERE b.at > $1::timestamptz ORDER BY 1 DESC LIMIT 1";

static bool trail_reaches(struct store *s, const char *at,
                          struct store_error *err)
{
	const char *p[] = {at};
	/* a moment later than today's end is not past: refused (today's
	 * end, or a time later today, is now) */
	PGresult *f = store_exec_rows(
	    s, "as of: the future",
	    "SELECT $1::timestamptz > date_trunc('day', now()) + interval "
	    "'1 day'",
	    1, p, 1, err);
	if (!f)
		return false;
	bool future = PQgetvalue(f, 0, 0)[0] == 't';
	PQclear(f);
	if (future) {
		store_fail(err, "",
		           "that date is still to come: as of a past date, or "
		           "Who has access? as it is now");
		return false;
	}
	PGresult *r = store_exec_rows(s, "as of: the trail's first record",
	                              first_sql, 1, p, 0, err);
	if (!r)
		return false;
	bool ok = PQntuples(r) == 0 || PQgetvalue(r, 0, 2)[0] != 't';
	if (!ok)
		store_fail(err, "",
		           "the audit trail begins with record #%s at %s; it "
		           "cannot rebuild access before then",
		           PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
	PQclear(r);
	if (!ok)
		return false;
	r = store_exec_rows(s, "as of: the bulk records", bulk_sql, 1, p, 0,
	                    err);
	if (!r)
		return false;
	ok = PQntuples(r) == 0;
	if (!ok)
		store_fail(
		    err, "",
		    "the trail cannot rebuild access before the %s "
		    "(record #%s at %s), which left no snapshots; ask for "
		    "a date after it",
		    strcmp(PQgetvalue(r, 0, 2), "database") == 0
		        ? "seed of the database"
		        : "import of the organisations",
		    PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
	PQclear(r);
	return ok;
}

static bool build(struct store *s, const char *at,
                  struct store_access_then *out, struct store_error *err)
{
	if (!store_command(s, "as of",
	                   "CREATE TEMP TABLE as_of_moment (at timestamptz NOT "
	                   "NULL, seq bigint NOT NULL, path text NOT NULL) ON "
	                   "COMMIT DROP",
	                   0, NULL, NULL, err))
		return false;
	const char *p[] = {at};
	PGresult *r =
	    store_exec_rows(s, "as of: the moment", moment_sql, 1, p, 1, err);
	if (!r)
		return false;
	snprintf(out->at, sizeof out->at, "%s", PQgetvalue(r, 0, 0));
	out->seq = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	for (size_t i = 0; i < sizeof build_sql / sizeof *build_sql; i++)
		if (!store_command(s, "as of: rebuild the state then",
		                   build_sql[i], 0, NULL, NULL, err))
			return false;
	return true;
}

/* ---- today's visibility ----------------------------------------------------
 */

struct now_loader {
	struct store *s;
	struct engine_world *w;
	struct store_ids *ids;
};

/* The candidates as they are now, into the viewer's world: the real
 * tables for as long as it takes. */
static bool load_now(void *ctx, const char *const *logins, int n,
                     struct store_error *err)
{
	struct now_loader *l = ctx;
	bool ok = store_command(l->s, "as of: today's users", now_path_sql, 0,
	                        NULL, NULL, err) &&
	          store_load_users(l->s, l->w, l->ids, logins, n, err);
	return store_command(l->s, "as of: back to then", past_path_sql, 0,
	                     NULL, NULL, ok ? err : NULL) &&
	       ok;
}

/* ---- given by
 * ---------------------------------------------------------------- */

/* For each (login $1, organisation $2, role $3): the latest record at or
 * before D that gave that grant that role (audit_subject, newest first
 * from D's place). */
static const char given_sql[] =
    "SELECT k.n, a.seq, a.operator, to_char(a.at, 'DD/MM/YYYY HH24:MI:SS')"
    " FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS"
    " k(login, org, role, n) LEFT JOIN LATERAL (SELECT r.seq, r.operator,"
    " r.at FROM audit r WHERE lower(split_part(r.target, '/', 1)) ="
    " lower(k.login) AND r.seq <= (SELECT m.seq FROM pg_temp.as_of_moment m)"
    " AND r.target_kind IN ('user', 'grant')"
    " AND coalesce(" ITEM(
        "r.after",
        "k.org") "->'roles' ? k.role, false)"
                 " AND NOT coalesce(" ITEM(
                     "r.before",
                     "k.org") "->'roles' ? k.role,"
                              " false) ORDER BY lower(split_part(r.target, "
                              "'/', 1)) DESC, r.seq DESC"
                              " LIMIT 1) a ON true ORDER BY k.n";

static bool given_by(struct store *s, const struct engine_world *w, int org,
                     int action, struct store_access_then *out,
                     struct store_error *err)
{
	int n = out->list.n, asked = 0;
	out->given = calloc((size_t)n + 1, sizeof *out->given);
	const char **logins = malloc(((size_t)n + 1) * sizeof *logins);
	const char **orgs = malloc(((size_t)n + 1) * sizeof *orgs);
	const char **roles = malloc(((size_t)n + 1) * sizeof *roles);
	int *row_of = malloc(((size_t)n + 1) * sizeof *row_of);
	bool ok = out->given && logins && orgs && roles && row_of;
	for (int i = 0; ok && i < n; i++) {
		const struct store_access_row *row = &out->list.rows[i];
		out->given[i].seq = -1;
		int u = engine_user_find(w, row->login);
		int g = row->grant_org[0] && u >= 0
		            ? engine_grant_find(
		                  w, u, engine_org_find(w, row->grant_org))
		            : -1;
		int r =
		    g >= 0 ? store_access_deciding_role(w, g, org, action) : -1;
		if (r < 0)
			continue;
		out->given[i].seq = 0;
		logins[asked] = row->login;
		orgs[asked] = row->grant_org;
		roles[asked] = engine_role(w, r)->name;
		row_of[asked++] = i;
	}
	char *p[3] = {NULL, NULL, NULL};
	if (ok && asked > 0) {
		p[0] = store_text_array(logins, asked);
		p[1] = store_text_array(orgs, asked);
		p[2] = store_text_array(roles, asked);
		ok = p[0] && p[1] && p[2];
	}
	if (!ok)
		store_fail(err, "", "out of memory");
	PGresult *r = ok && asked > 0
	                  ? store_exec_rows(s, "as of: given by", given_sql, 3,
	                                    (const char *const *)p, asked, err)
	                  : NULL;
	ok = ok && (asked == 0 || r);
	for (int k = 0; r && k < asked; k++) {
		if (PQgetisnull(r, k, 1))
			continue;
		struct store_given *g = &out->given[row_of[k]];
		g->seq = strtoll(PQgetvalue(r, k, 1), NULL, 10);
		snprintf(g->operator_login, sizeof g->operator_login, "%s",
		         PQgetvalue(r, k, 2));
		snprintf(g->at, sizeof g->at, "%s", PQgetvalue(r, k, 3));
	}
	PQclear(r);
	for (int i = 0; i < 3; i++)
		free(p[i]);
	free(logins);
	free(orgs);
	free(roles);
	free(row_of);
	return ok;
}

/* ---- the question
 * ------------------------------------------------------------ */

/* On the state at D (built): the past world, the one list seen from now,
 * who gave each row. */
static bool decide(struct store *s, struct engine_world *now,
                   struct store_ids *ids, int op, const char *org, int action,
                   struct store_access_then *out, struct store_error *err)
{
	struct store_ids past_ids;
	struct engine_world *past =
	    store_load_world(s, STORE_LOAD_BASE, &past_ids, err);
	if (!past)
		return false;
	int o = engine_org_find(past, org);
	bool ok = o >= 0;
	if (!ok)
		store_fail(err, "", "organisation \"%s\" did not exist on %s",
		           org, out->at);
	struct now_loader loader = {s, now, ids};
	struct store_access_viewer view = {now, op, load_now, &loader};
	ok = ok &&
	     store_access_viewed(s, past, &past_ids, &view, o, action,
	                         &out->list, err) &&
	     given_by(s, past, o, action, out, err);
	engine_world_free(past);
	store_ids_free(&past_ids);
	return ok;
}

/* The past is rebuilt in temporary tables, which a hot standby cannot
 * make: said plainly, not in the server's words. */
static bool on_standby(struct store *s, struct store_error *err)
{
	if (!store_hot_standby(s))
		return false;
	store_fail(err, "",
	           "who had access: the server is a hot standby (read-only), "
	           "where the past cannot be rebuilt (it takes temporary "
	           "tables): ask the primary");
	return true;
}

bool store_who_had_access(struct store *s, struct engine_world *now,
                          struct store_ids *ids, int op, const char *org,
                          int action, const char *at,
                          struct store_access_then *out,
                          struct store_error *err)
{
	*out = (struct store_access_then){0};
	if (op < 0 || op >= engine_n_users(now)) {
		store_fail(err, "",
		           "who had access: the operator is not loaded");
		return false;
	}
	int o = engine_org_find(now, org);
	if (o < 0) {
		store_fail(err, "", "no organisation \"%s\"", org);
		return false;
	}
	if (store_access_refused(now, op, o, err) || on_standby(s, err) ||
	    !store_begin_repeatable(s, err))
		return false;
	bool ok = trail_reaches(s, at, err) && build(s, at, out, err) &&
	          decide(s, now, ids, op, org, action, out, err);
	store_rollback(s);
	if (!ok)
		store_access_then_free(out);
	return ok;
}

void store_access_then_free(struct store_access_then *t)
{
	store_access_free(&t->list);
	free(t->given);
	*t = (struct store_access_then){0};
}

void store_given_text(const struct store_given *g, char *buf, size_t len)
{
	if (g->seq < 0)
		snprintf(buf, len, "%s", "");
	else if (g->seq == 0)
		snprintf(buf, len, "before the trail");
	else
		snprintf(buf, len, "#%lld %s %s", g->seq, g->operator_login,
		         g->at);
}

const char *const store_access_then_columns[STORE_ACCESS_THEN_COLUMNS] = {
    "User ID", "Name",   "Organisation ID", "Roles",  "Payment Types",
    "Cluster", "Member", "Access From",     "Record", "Given By Operator",
    "Given At"};

void store_access_then_fields(const struct store_access_then *t, int i,
                              char buf[24],
                              const char *fields[STORE_ACCESS_THEN_COLUMNS])
{
	store_access_fields(&t->list.rows[i], fields);
	const struct store_given *g = &t->given[i];
	buf[0] = '\0';
	if (g->seq > 0)
		snprintf(buf, 24, "%lld", g->seq);
	fields[STORE_ACCESS_COLUMNS] = buf;
	fields[STORE_ACCESS_COLUMNS + 1] = g->seq > 0 ? g->operator_login : "";
	fields[STORE_ACCESS_COLUMNS + 2] = g->seq > 0 ? g->at : "";
}
