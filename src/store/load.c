/* load.c: reading the database into an engine world. The tree, roles,
 * clusters and studies come whole (they are small: 100,000 organisations at
 * national scale); users come whole for the commands that need them all,
 * or a few at a time for the console. Rows come in stored order (id, then
 * position), which is the order explanations cite. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- id maps ---------------------------------------------------------- */

static size_t slot_of(long long key, size_t slots)
{
	unsigned long long h = (unsigned long long)key * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 17) & (slots - 1);
}

int store_idmap_find(const struct store_idmap *m, long long db)
{
	if (!m->slots)
		return -1;
	for (size_t i = slot_of(db, m->slots);; i = (i + 1) & (m->slots - 1)) {
		if (m->vals[i] < 0)
			return -1;
		if (m->keys[i] == db)
			return m->vals[i];
	}
}

static bool idmap_rehash(struct store_idmap *m, size_t slots)
{
	long long *keys = malloc(slots * sizeof *keys);
	int *vals = malloc(slots * sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return false;
	}
	memset(vals, 0xff, slots * sizeof *vals);
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->slots = slots;
	for (int e = 0; e < m->n; e++) {
		size_t i = slot_of(m->db[e], slots);
		while (vals[i] >= 0)
			i = (i + 1) & (slots - 1);
		keys[i] = m->db[e];
		vals[i] = e;
	}
	return true;
}

/* Records that engine id `engine` (the next one) is database id `db`. */
static bool idmap_add(struct store_idmap *m, int engine, long long db)
{
	if (engine >= m->cap) {
		int cap = m->cap ? m->cap * 2 : 64;
		while (cap <= engine)
			cap *= 2;
		long long *p = realloc(m->db, (size_t)cap * sizeof *p);
		if (!p)
			return false;
		m->db = p;
		m->cap = cap;
	}
	m->db[engine] = db;
	if (engine >= m->n)
		m->n = engine + 1;
	if ((size_t)m->n * 2 > m->slots)
		return idmap_rehash(m, m->slots ? m->slots * 4 : 256);
	size_t i = slot_of(db, m->slots);
	while (m->vals[i] >= 0)
		i = (i + 1) & (m->slots - 1);
	m->keys[i] = db;
	m->vals[i] = engine;
	return true;
}

static void idmap_free(struct store_idmap *m)
{
	free(m->db);
	free(m->keys);
	free(m->vals);
	*m = (struct store_idmap){0};
}

void store_ids_free(struct store_ids *ids)
{
	idmap_free(&ids->org);
	idmap_free(&ids->role);
	idmap_free(&ids->cluster);
	idmap_free(&ids->study);
	idmap_free(&ids->user);
}

/* ---- helpers ---------------------------------------------------------- */

/* An integer column, -1 for NULL. The server writes integers as decimal
 * digits after an optional '-', read here directly: a practice's
 * candidates at national size are a hundred thousand of them, and
 * strtoll costs 3 ms more. */
static long long col_ll(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return -1;
	const char *v = PQgetvalue(r, row, col);
	bool neg = *v == '-';
	unsigned long long x = 0; /* (unsigned: no overflow to fear) */
	for (v += neg; *v >= '0' && *v <= '9'; v++)
		x = x * 10 + (unsigned)(*v - '0');
	return neg ? (long long)(0 - x) : (long long)x;
}

static bool col_bool(const PGresult *r, int row, int col)
{
	return PQgetvalue(r, row, col)[0] == 't';
}

static bool engine_failed(enum engine_err e, const char *what, const char *key,
                          struct store_error *err)
{
	if (e == ENGINE_OK)
		return false;
	store_fail(err, "", "database holds an invalid %s \"%s\": %s", what,
	           key, engine_strerror(e));
	return true;
}

/* A growable int list for building member and role lists. */
struct ints {
	int *v;
	int n, cap;
};

static bool ints_push(struct ints *l, int x)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		int *p = realloc(l->v, (size_t)cap * sizeof *p);
		if (!p)
			return false;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = x;
	return true;
}

/* ---- the base: tree, roles, clusters, studies, settings --------------- */

/* Each base table is read whole (only NULL) or for the database ids of the
 * bigint[] literal `only`: two statements, one constant fragment apart. */
static PGresult *base_query(struct store *s, const char *all_sql,
                            const char *only_sql, const char *only,
                            struct store_error *err)
{
	const char *p[] = {only};
	return only ? store_exec(s, only_sql, 1, p, PGRES_TUPLES_OK, err)
	            : store_exec(s, all_sql, 0, NULL, PGRES_TUPLES_OK, err);
}

#define ORGS_SQL "SELECT id, code, name, parent_id, is_site FROM organisations "

static bool load_orgs(struct store *s, struct engine_world *w,
                      struct store_ids *ids, const char *only,
                      struct store_error *err)
{
	PGresult *r = base_query(s, ORGS_SQL "ORDER BY id",
	                         ORGS_SQL "WHERE id = ANY($1::bigint[]) "
	                                  "ORDER BY id",
	                         only, err);
	if (!r)
		return false;
	bool ok = true;
	int n = PQntuples(r);
	for (int i = 0; i < n && ok; i++) {
		int id;
		ok = !engine_failed(engine_org_add(w, PQgetvalue(r, i, 1),
		                                   PQgetvalue(r, i, 2),
		                                   col_bool(r, i, 4), &id),
		                    "organisation", PQgetvalue(r, i, 1), err) &&
		     idmap_add(&ids->org, id, col_ll(r, i, 0));
	}
	for (int i = 0; i < n && ok; i++) {
		long long parent = col_ll(r, i, 3);
		if (parent < 0)
			continue;
		ok = !engine_failed(
		    engine_org_set_parent(w, i,
		                          store_idmap_find(&ids->org, parent)),
		    "organisation", PQgetvalue(r, i, 1), err);
	}
	PQclear(r);
	int bad;
	if (ok && engine_failed(engine_world_index(w, &bad),
	                        "organisation tree", "", err))
		ok = false;
	return ok;
}

static bool load_roles(struct store *s, struct engine_world *w,
                       struct store_ids *ids, struct store_error *err)
{
	PGresult *r = store_exec(
	    s,
	    "SELECT r.id, r.name, r.domain, r.reach, r.builtin, "
	    "array_to_string(array_agg(ra.action ORDER BY ra.action), ' ') "
	    "FROM roles r LEFT JOIN role_actions ra ON ra.role_id = r.id "
	    "GROUP BY r.id ORDER BY r.id",
	    0, NULL, PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	bool ok = true;
	for (int i = 0; i < PQntuples(r) && ok; i++) {
		const char *name = PQgetvalue(r, i, 1);
		int id = engine_role_find(w, name);
		if (id < 0 || !col_bool(r, i, 4)) {
			engine_actions acts = 0;
			char *list = strdup(PQgetvalue(r, i, 5));
			if (!list) {
				store_fail(err, "", "out of memory");
				ok = false;
				break;
			}
			for (char *t = strtok(list, " "); t;
			     t = strtok(NULL, " "))
				if (engine_action_find(t) >= 0)
					acts |=
					    ENGINE_ACT(engine_action_find(t));
			free(list);
			enum engine_domain d =
			    strcmp(PQgetvalue(r, i, 2), "study") == 0
			        ? DOMAIN_STUDY
			        : DOMAIN_ORGANISATION;
			enum engine_reach reach =
			    strcmp(PQgetvalue(r, i, 3), "organisation") == 0
			        ? REACH_ORGANISATION
			        : REACH_SUBTREE;
			ok = !engine_failed(
			    engine_role_add(w, name, d, reach, acts, &id),
			    "role", name, err);
		}
		ok = ok && idmap_add(&ids->role, id, col_ll(r, i, 0));
	}
	PQclear(r);
	return ok;
}

#define CLUSTERS_SQL "SELECT id, short_name, name, owner_id FROM clusters "
#define MEMBERS_SQL  "SELECT cluster_id, org_id FROM cluster_members "

static bool load_clusters(struct store *s, struct engine_world *w,
                          struct store_ids *ids, const char *only,
                          struct store_error *err)
{
	PGresult *c = base_query(s, CLUSTERS_SQL "ORDER BY id",
	                         CLUSTERS_SQL "WHERE id = ANY($1::bigint[]) "
	                                      "ORDER BY id",
	                         only, err);
	if (!c)
		return false;
	PGresult *m =
	    base_query(s, MEMBERS_SQL "ORDER BY cluster_id, position",
	               MEMBERS_SQL "WHERE cluster_id = ANY($1::bigint[]) ORDER "
	                           "BY cluster_id, position",
	               only, err);
	if (!m) {
		PQclear(c);
		return false;
	}
	bool ok = true;
	struct ints members = {0};
	int k = 0, nm = PQntuples(m);
	for (int i = 0; i < PQntuples(c) && ok; i++) {
		long long cid = col_ll(c, i, 0);
		members.n = 0;
		for (; k < nm && col_ll(m, k, 0) == cid && ok; k++)
			ok = ints_push(
			    &members,
			    store_idmap_find(&ids->org, col_ll(m, k, 1)));
		int id;
		ok = ok &&
		     !engine_failed(
		         engine_cluster_add(
		             w, PQgetvalue(c, i, 1), PQgetvalue(c, i, 2),
		             store_idmap_find(&ids->org, col_ll(c, i, 3)),
		             members.v, members.n, &id),
		         "cluster", PQgetvalue(c, i, 1), err) &&
		     idmap_add(&ids->cluster, id, cid);
	}
	free(members.v);
	PQclear(c);
	PQclear(m);
	return ok;
}

#define STUDIES_SQL "SELECT id, code, name, site_id FROM studies "

static bool load_studies(struct store *s, struct engine_world *w,
                         struct store_ids *ids, const char *only,
                         struct store_error *err)
{
	PGresult *r = base_query(s, STUDIES_SQL "ORDER BY id",
	                         STUDIES_SQL "WHERE id = ANY($1::bigint[]) "
	                                     "ORDER BY id",
	                         only, err);
	if (!r)
		return false;
	bool ok = true;
	for (int i = 0; i < PQntuples(r) && ok; i++) {
		int id;
		ok = !engine_failed(
		         engine_study_add(
		             w, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
		             store_idmap_find(&ids->org, col_ll(r, i, 3)), &id),
		         "study", PQgetvalue(r, i, 1), err) &&
		     idmap_add(&ids->study, id, col_ll(r, i, 0));
	}
	PQclear(r);
	/* (the one settings row: sql/001, AD018) */
	r = store_exec_rows(s, "settings",
	                    "SELECT require_site_restrictions, "
	                    "require_study_restrictions FROM settings",
	                    0, NULL, 1, err);
	if (!r)
		return false;
	engine_settings(w)->require_site_restrictions = col_bool(r, 0, 0);
	engine_settings(w)->require_study_restrictions = col_bool(r, 0, 1);
	PQclear(r);
	return ok;
}

/* ---- users ------------------------------------------------------------ */

/* A bigint[] literal of database ids, grown one id at a time. */
struct id_list {
	char *s;
	size_t len, cap;
	int n;
};

/* Appends id (digits, as the server wrote them); false when out of
 * memory. */
static bool id_list_add(struct id_list *l, const char *id)
{
	size_t need = l->len + strlen(id) + 3; /* ',' or '{', id, '}', NUL */
	if (need > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		while (cap < need)
			cap *= 2;
		char *p = realloc(l->s, cap);
		if (!p)
			return false;
		l->s = p;
		l->cap = cap;
	}
	l->s[l->len++] = l->n++ ? ',' : '{';
	size_t n = strlen(id);
	memcpy(l->s + l->len, id, n);
	l->len += n;
	return true;
}

/* The literal ("{}" when empty); it stays the list's. */
static const char *id_list_end(struct id_list *l)
{
	if (!l->n)
		return "{}";
	l->s[l->len] = '}'; /* (room kept by id_list_add) */
	l->s[l->len + 1] = '\0';
	return l->s;
}

/* A user query has two statement shapes, both made at compile time from
 * the same constant fragments: every user (head tail), or some users
 * (head filter tail). Some users are found once, by login (the text[]
 * $1); every other statement then reads by database id, $1 a bigint[]:
 * the ids of the users just added or, for the grants' own tables, of the
 * grants read. Two filters:
 *
 * IN_LIST: one index probe per login or id, given as
 * ARRAY(SELECT unnest($1)), whose length the planner cannot see. Given
 * the literal itself it weighs every element (milliseconds for
 * thousands) and, from a few thousand on, prefers a (parallel)
 * sequential scan of the whole table, several times slower on these
 * tables in memory: for a practice's 7,426 candidates at national size,
 * grants 106 ms by a scan against 27 by probes, grant payment types (3
 * million rows) 177 against 28, and past 10,000 logins the million
 * users are scanned. (A table of under about a thousand rows is scanned
 * all the same, each row tested against every id.)
 *
 * JOINED: the short tables, the clusters of narrowed grants and the
 * study access entries (9,500 and 193 rows at national size): joined to
 * unnest($1), whose length the planner sees, they are hashed (3 and 1
 * ms there), where a probe per grant costs 12 and testing each entry
 * against every id 6. */
struct user_sql {
	const char *what, *all, *some;
};
/* the initialiser of a struct user_sql */
#define USER_SQL(what, head, filter, tail) what, head tail, head filter tail
#define IN_LIST(col, type)                                                     \
	" WHERE " col " = ANY (ARRAY(SELECT unnest($1::" type "[])))"
#define OF_IDS(col) IN_LIST(col, "bigint")
#define JOINED(col) " JOIN unnest($1::bigint[]) AS k(id) ON k.id = " col

#define USERS_HEAD                                                             \
	"SELECT u.id, u.login, u.first_name, u.last_name, u.enabled FROM "     \
	"users u"
static const struct user_sql q_users = {USER_SQL(
    "users", USERS_HEAD, IN_LIST("u.login", "text"), " ORDER BY u.id")};
/* The same found by database id (Who has access?'s candidates). */
static const struct user_sql q_users_by_id = {
    USER_SQL("users", USERS_HEAD, OF_IDS("u.id"), " ORDER BY u.id")};
static const struct user_sql q_grants = {
    USER_SQL("grants", "SELECT g.id, g.user_id, g.org_id FROM grants g",
             OF_IDS("g.user_id"), " ORDER BY g.id")};
static const struct user_sql q_grant_roles = {USER_SQL(
    "grant roles", "SELECT gr.grant_id, gr.role_id FROM grant_roles gr",
    OF_IDS("gr.grant_id"), " ORDER BY gr.grant_id, gr.position")};
static const struct user_sql q_grant_payments = {
    USER_SQL("grant payment types",
             "SELECT gp.grant_id, gp.payment_type FROM grant_payment_types gp",
             OF_IDS("gp.grant_id"), " ORDER BY gp.grant_id")};
static const struct user_sql q_grant_clusters = {
    USER_SQL("grant clusters",
             "SELECT gc.grant_id, gc.cluster_id FROM grant_clusters gc",
             JOINED("gc.grant_id"), " ORDER BY gc.grant_id, gc.position")};
static const struct user_sql q_profile_roles = {USER_SQL(
    "profile roles", "SELECT p.user_id, p.role_id FROM profile_roles p",
    OF_IDS("p.user_id"), " ORDER BY p.user_id, p.position")};
static const struct user_sql q_sites = {USER_SQL(
    "site restrictions",
    "SELECT p.user_id, p.site_id, p.recruitment_only FROM site_restrictions p",
    OF_IDS("p.user_id"), " ORDER BY p.user_id, p.position")};
static const struct user_sql q_studies = {
    USER_SQL("restricted studies",
             "SELECT p.user_id, p.study_id FROM restricted_studies p",
             OF_IDS("p.user_id"), " ORDER BY p.user_id, p.position")};
static const struct user_sql q_access = {
    USER_SQL("study access",
             "SELECT p.user_id, p.study_id, p.role_id FROM study_access p",
             JOINED("p.user_id"), " ORDER BY p.user_id, p.position")};

/* Runs q for every user (some false) or with $1 `param` (the logins for
 * q_users, a bigint[] of ids for the others). */
static PGresult *user_query(struct store *s, const struct user_sql *q,
                            bool some, const char *param,
                            struct store_error *err)
{
	const char *p[] = {param};
	return store_exec_rows(s, q->what, some ? q->some : q->all,
	                       some ? 1 : 0, p, 0, err);
}

/* A walk over rows sorted by column 0: the current row k and its key
 * (LLONG_MAX past the last row), each key read once. */
struct rows {
	const PGresult *r;
	int k;
	long long key;
};

static void rows_at(struct rows *c, int k)
{
	c->k = k;
	c->key = k < PQntuples(c->r) ? col_ll(c->r, k, 0) : LLONG_MAX;
}

static struct rows rows_of(const PGresult *r)
{
	struct rows c = {r, 0, 0};
	rows_at(&c, 0);
	return c;
}

/* Moves to the first row whose key is at least `key`: the rows of a grant
 * or user not read (one made between two statements) are skipped. */
static void rows_seek(struct rows *c, long long key)
{
	while (c->key < key)
		rows_at(c, c->k + 1);
}

/* The rows of c whose key is id. */
#define FOR_ROWS(c, id)                                                        \
	for (rows_seek(&(c), (id)); (c).key == (id); rows_at(&(c), (c).k + 1))

/* The grants of the users of the bigint[] `users` (every grant when some
 * is false). */
static bool load_grants(struct store *s, struct engine_world *w,
                        struct store_ids *ids, bool some, const char *users,
                        struct store_error *err)
{
	PGresult *g = user_query(s, &q_grants, some, users, err);
	if (!g)
		return false;
	struct id_list grants = {0};
	bool ok = true;
	for (int i = 0; some && ok && i < PQntuples(g); i++)
		ok = id_list_add(&grants, PQgetvalue(g, i, 0));
	const char *lit = id_list_end(&grants);
	PGresult *gr =
	    ok ? user_query(s, &q_grant_roles, some, lit, err) : NULL;
	PGresult *gp =
	    gr ? user_query(s, &q_grant_payments, some, lit, err) : NULL;
	PGresult *gc =
	    gp ? user_query(s, &q_grant_clusters, some, lit, err) : NULL;
	free(grants.s);
	ok = gc != NULL;
	struct ints roles = {0}, clusters = {0};
	struct rows rr = rows_of(gr), rp = rows_of(gp), rc = rows_of(gc);
	for (int i = 0; ok && i < PQntuples(g); i++) {
		long long gid = col_ll(g, i, 0);
		int user = store_idmap_find(&ids->user, col_ll(g, i, 1));
		int org = store_idmap_find(&ids->org, col_ll(g, i, 2));
		roles.n = clusters.n = 0;
		engine_payments pays = 0;
		FOR_ROWS(rr, gid)
		ok = ok &&
		     ints_push(&roles, store_idmap_find(&ids->role,
		                                        col_ll(gr, rr.k, 1)));
		FOR_ROWS(rp, gid)
		{
			int p = engine_payment_find(PQgetvalue(gp, rp.k, 1));
			if (p >= 0)
				pays |= ENGINE_PAY(p);
		}
		FOR_ROWS(rc, gid)
		ok = ok && ints_push(&clusters,
		                     store_idmap_find(&ids->cluster,
		                                      col_ll(gc, rc.k, 1)));
		if (!ok || user < 0 || engine_grant_find(w, user, org) >= 0)
			continue;
		ok = !engine_failed(
		    engine_grant_add(w, user, org, roles.v, roles.n, pays,
		                     clusters.v, clusters.n, NULL),
		    "grant of user", engine_user(w, user)->login, err);
	}
	free(roles.v);
	free(clusters.v);
	PQclear(g);
	PQclear(gr);
	PQclear(gp);
	PQclear(gc);
	if (!ok && err && !err->message[0])
		store_fail(err, "", "out of memory");
	return ok;
}

/* The profiles and study entries of the users from engine id first_new
 * on, whose database ids are the bigint[] `users` (every user's when
 * some is false). */
static bool load_profiles(struct store *s, struct engine_world *w,
                          struct store_ids *ids, int first_new, bool some,
                          const char *users, struct store_error *err)
{
	PGresult *pr = user_query(s, &q_profile_roles, some, users, err);
	PGresult *sr = pr ? user_query(s, &q_sites, some, users, err) : NULL;
	PGresult *rs = sr ? user_query(s, &q_studies, some, users, err) : NULL;
	PGresult *sa = rs ? user_query(s, &q_access, some, users, err) : NULL;
	bool ok = sa != NULL;
	struct ints roles = {0}, studies = {0};
	struct engine_site_restriction *sites = NULL;
	int n_sites = 0, cap_sites = 0;
	struct rows cp = rows_of(pr), cs = rows_of(sr), cr = rows_of(rs),
	            ca = rows_of(sa);
	for (int u = first_new; ok && u < engine_n_users(w); u++) {
		long long uid = ids->user.db[u];
		roles.n = studies.n = n_sites = 0;
		FOR_ROWS(cp, uid)
		ok = ok &&
		     ints_push(&roles, store_idmap_find(&ids->role,
		                                        col_ll(pr, cp.k, 1)));
		FOR_ROWS(cs, uid)
		{
			if (n_sites == cap_sites) {
				cap_sites = cap_sites ? cap_sites * 2 : 8;
				void *p = realloc(sites, (size_t)cap_sites *
				                             sizeof *sites);
				if (!p) {
					ok = false;
					break;
				}
				sites = p;
			}
			sites[n_sites++] = (struct engine_site_restriction){
			    store_idmap_find(&ids->org, col_ll(sr, cs.k, 1)),
			    col_bool(sr, cs.k, 2)};
		}
		FOR_ROWS(cr, uid)
		ok = ok &&
		     ints_push(&studies, store_idmap_find(&ids->study,
		                                          col_ll(rs, cr.k, 1)));
		ok = ok &&
		     !engine_failed(
		         engine_user_set_profile(w, u, roles.v, roles.n, sites,
		                                 n_sites, studies.v, studies.n),
		         "profile of user", engine_user(w, u)->login, err);
		FOR_ROWS(ca, uid)
		{
			long long role = col_ll(sa, ca.k, 2);
			ok = ok &&
			     !engine_failed(
			         engine_entry_add(
			             w,
			             store_idmap_find(&ids->study,
			                              col_ll(sa, ca.k, 1)),
			             u,
			             role < 0
			                 ? -1
			                 : store_idmap_find(&ids->role, role)),
			         "study access entry of user",
			         engine_user(w, u)->login, err);
		}
	}
	free(roles.v);
	free(studies.v);
	free(sites);
	PQclear(pr);
	PQclear(sr);
	PQclear(rs);
	PQclear(sa);
	return ok;
}

/* Every study's entry count from the database: the list is in force
 * whoever is loaded. */
static bool load_entry_counts(struct store *s, struct engine_world *w,
                              struct store_ids *ids, struct store_error *err)
{
	if (engine_n_studies(w) == 0)
		return true; /* no study: no count to read */
	/* the loaded studies' database ids */
	char *studies = store_id_array(ids->study.db, engine_n_studies(w));
	if (!studies) {
		store_fail(err, "", "out of memory");
		return false;
	}
	const char *p[] = {studies};
	PGresult *r = store_exec(s,
	                         "SELECT study_id, count(*) FROM study_access "
	                         "WHERE study_id = ANY($1::bigint[]) GROUP BY "
	                         "study_id",
	                         1, p, PGRES_TUPLES_OK, err);
	free(studies);
	if (!r)
		return false;
	for (int i = 0; i < engine_n_studies(w); i++)
		engine_study_set_entry_count(w, i, 0);
	for (int i = 0; i < PQntuples(r); i++)
		engine_study_set_entry_count(
		    w, store_idmap_find(&ids->study, col_ll(r, i, 0)),
		    (int)col_ll(r, i, 1));
	PQclear(r);
	return true;
}

/* Every user (some false) or those of `which` not loaded yet (q_users:
 * a text[] of logins; q_users_by_id: a bigint[] of ids), with their
 * grants (unless `grants` is false), profiles and study entries. */
static bool load_users(struct store *s, struct engine_world *w,
                       struct store_ids *ids, const struct user_sql *q,
                       bool some, const char *which, bool grants,
                       struct store_error *err)
{
	PGresult *r = user_query(s, q, some, which, err);
	if (!r)
		return false;
	int first_new = engine_n_users(w);
	struct id_list added = {0}; /* their database ids (when some) */
	bool ok = true;
	for (int i = 0; i < PQntuples(r) && ok; i++) {
		if (store_idmap_find(&ids->user, col_ll(r, i, 0)) >= 0)
			continue;
		int id;
		ok = !engine_failed(engine_user_add(w, PQgetvalue(r, i, 1),
		                                    PQgetvalue(r, i, 2),
		                                    PQgetvalue(r, i, 3),
		                                    col_bool(r, i, 4), &id),
		                    "user", PQgetvalue(r, i, 1), err) &&
		     idmap_add(&ids->user, id, col_ll(r, i, 0)) &&
		     (!some || id_list_add(&added, PQgetvalue(r, i, 0)));
		if (!ok && err && !err->message[0])
			store_fail(err, "", "out of memory");
	}
	PQclear(r);
	/* some users asked for, none new: nothing more to read of them */
	bool none = some && added.n == 0;
	const char *users = id_list_end(&added);
	ok =
	    ok &&
	    (none || ((!grants || load_grants(s, w, ids, some, users, err)) &&
	              load_profiles(s, w, ids, first_new, some, users, err))) &&
	    load_entry_counts(s, w, ids, err);
	free(added.s);
	return ok;
}

struct engine_world *store_load_world(struct store *s, enum store_load what,
                                      struct store_ids *ids,
                                      struct store_error *err)
{
	*ids = (struct store_ids){0};
	if (err)
		err->message[0] = '\0';
	struct engine_world *w = engine_world_new();
	if (!w) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
	if (load_orgs(s, w, ids, NULL, err) && load_roles(s, w, ids, err) &&
	    load_clusters(s, w, ids, NULL, err) &&
	    load_studies(s, w, ids, NULL, err) &&
	    load_entry_counts(s, w, ids, err) &&
	    (what == STORE_LOAD_BASE ||
	     load_users(s, w, ids, &q_users, false, NULL,
	                what == STORE_LOAD_ALL, err)))
		return w;
	engine_world_free(w);
	store_ids_free(ids);
	return NULL;
}

struct engine_world *store_load_part(struct store *s, const char *org_ids,
                                     const char *cluster_ids,
                                     const char *study_ids, const char *logins,
                                     struct store_ids *ids,
                                     struct store_error *err)
{
	*ids = (struct store_ids){0};
	struct engine_world *w = engine_world_new();
	if (!w) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
	if (load_orgs(s, w, ids, org_ids, err) && load_roles(s, w, ids, err) &&
	    /* most changes name no cluster: two statements fewer */
	    (strcmp(cluster_ids, "{}") == 0 ||
	     load_clusters(s, w, ids, cluster_ids, err)) &&
	    load_studies(s, w, ids, study_ids, err) &&
	    load_users(s, w, ids, &q_users, true, logins, true, err))
		return w;
	engine_world_free(w);
	store_ids_free(ids);
	return NULL;
}

char *store_text_array(const char *const *items, int n)
{
	size_t len = 3;
	for (int i = 0; i < n; i++)
		len += 2 * strlen(items[i]) + 3;
	char *out = malloc(len), *p = out;
	if (!out)
		return NULL;
	*p++ = '{';
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		*p++ = '"';
		for (const char *c = items[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\';
			*p++ = *c;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return out;
}

char *store_id_array(const long long *ids, int n)
{
	/* 20 digits and a sign, and a comma, each */
	size_t cap = 3 + (size_t)(n > 0 ? n : 0) * 22, at = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	out[at++] = '{';
	for (int i = 0; i < n; i++)
		at += (size_t)snprintf(out + at, cap - at, "%s%lld",
		                       i ? "," : "", ids[i]);
	snprintf(out + at, cap - at, "}");
	return out;
}

bool store_load_users(struct store *s, struct engine_world *w,
                      struct store_ids *ids, const char *const *logins,
                      int n_logins, struct store_error *err)
{
	char *lit = store_text_array(logins, n_logins);
	if (!lit) {
		store_fail(err, "", "out of memory");
		return false;
	}
	bool ok = load_users(s, w, ids, &q_users, true, lit, true, err);
	free(lit);
	return ok;
}

static bool users_by_id(struct store *s, struct engine_world *w,
                        struct store_ids *ids, const long long *db_ids, int n,
                        bool grants, struct store_error *err)
{
	char *lit = store_id_array(db_ids, n);
	if (!lit) {
		store_fail(err, "", "out of memory");
		return false;
	}
	bool ok = load_users(s, w, ids, &q_users_by_id, true, lit, grants, err);
	free(lit);
	return ok;
}

bool store_load_users_by_id(struct store *s, struct engine_world *w,
                            struct store_ids *ids, const long long *db_ids,
                            int n, struct store_error *err)
{
	return users_by_id(s, w, ids, db_ids, n, true, err);
}

bool store_load_study_users_by_id(struct store *s, struct engine_world *w,
                                  struct store_ids *ids,
                                  const long long *db_ids, int n,
                                  struct store_error *err)
{
	return users_by_id(s, w, ids, db_ids, n, false, err);
}
