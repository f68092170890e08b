/* load.c: reading the database into an engine world. The tree, roles,
 * clusters and studies come whole (they are small: 100,000 organisations at
 * national scale); users come whole for the commands that need them all,
 * or a few at a time for the console. Rows come in stored order (id, then
 * position), which is the order explanations cite. */
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

static long long col_ll(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col)
	           ? -1
	           : strtoll(PQgetvalue(r, row, col), NULL, 10);
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

/* A user query has two statement shapes, both made at compile time from
 * the same constant fragments: every user (head tail), or the users whose
 * login is in the text[] $1 (head filter tail). */
struct user_sql {
	const char *what, *all, *some;
};
/* the initialiser of a struct user_sql */
#define USER_SQL(what, head, filter, tail) what, head tail, head filter tail
#define OF_USERS(col)                                                          \
	" WHERE " col " IN (SELECT id FROM users WHERE login = "               \
	"ANY($1::text[]))"
#define OF_GRANTS(col)                                                         \
	" WHERE " col " IN (SELECT g.id FROM grants g JOIN users u ON "        \
	"u.id = g.user_id WHERE u.login = ANY($1::text[]))"

static const struct user_sql q_users = {USER_SQL(
    "users",
    "SELECT u.id, u.login, u.first_name, u.last_name, u.enabled FROM users u",
    " WHERE u.login = ANY($1::text[])", " ORDER BY u.id")};
static const struct user_sql q_grants = {
    USER_SQL("grants", "SELECT g.id, g.user_id, g.org_id FROM grants g",
             OF_USERS("g.user_id"), " ORDER BY g.id")};
static const struct user_sql q_grant_roles = {USER_SQL(
    "grant roles", "SELECT gr.grant_id, gr.role_id FROM grant_roles gr",
    OF_GRANTS("gr.grant_id"), " ORDER BY gr.grant_id, gr.position")};
static const struct user_sql q_grant_payments = {
    USER_SQL("grant payment types",
             "SELECT gp.grant_id, gp.payment_type FROM grant_payment_types gp",
             OF_GRANTS("gp.grant_id"), " ORDER BY gp.grant_id")};
static const struct user_sql q_grant_clusters = {
    USER_SQL("grant clusters",
             "SELECT gc.grant_id, gc.cluster_id FROM grant_clusters gc",
             OF_GRANTS("gc.grant_id"), " ORDER BY gc.grant_id, gc.position")};
static const struct user_sql q_profile_roles = {USER_SQL(
    "profile roles", "SELECT p.user_id, p.role_id FROM profile_roles p",
    OF_USERS("p.user_id"), " ORDER BY p.user_id, p.position")};
static const struct user_sql q_sites = {USER_SQL(
    "site restrictions",
    "SELECT p.user_id, p.site_id, p.recruitment_only FROM site_restrictions p",
    OF_USERS("p.user_id"), " ORDER BY p.user_id, p.position")};
static const struct user_sql q_studies = {
    USER_SQL("restricted studies",
             "SELECT p.user_id, p.study_id FROM restricted_studies p",
             OF_USERS("p.user_id"), " ORDER BY p.user_id, p.position")};
static const struct user_sql q_access = {
    USER_SQL("study access",
             "SELECT p.user_id, p.study_id, p.role_id FROM study_access p",
             OF_USERS("p.user_id"), " ORDER BY p.user_id, p.position")};

/* Runs q for every user (some false) or for the logins (a text[]
 * literal). */
static PGresult *user_query(struct store *s, const struct user_sql *q,
                            bool some, const char *logins,
                            struct store_error *err)
{
	const char *p[] = {logins};
	return store_exec_rows(s, q->what, some ? q->some : q->all,
	                       some ? 1 : 0, p, 0, err);
}

/* Rows of `r` (sorted by column 0) whose column 0 equals key, from *k on. */
#define FOR_ROWS(r, k, key)                                                    \
	for (; *(k) < PQntuples(r) && col_ll((r), *(k), 0) == (key); (*(k))++)

static bool load_grants(struct store *s, struct engine_world *w,
                        struct store_ids *ids, bool some, const char *logins,
                        struct store_error *err)
{
	PGresult *g = user_query(s, &q_grants, some, logins, err);
	PGresult *gr =
	    g ? user_query(s, &q_grant_roles, some, logins, err) : NULL;
	PGresult *gp =
	    gr ? user_query(s, &q_grant_payments, some, logins, err) : NULL;
	PGresult *gc =
	    gp ? user_query(s, &q_grant_clusters, some, logins, err) : NULL;
	bool ok = gc != NULL;
	struct ints roles = {0}, clusters = {0};
	int kr = 0, kp = 0, kc = 0;
	for (int i = 0; ok && i < PQntuples(g); i++) {
		long long gid = col_ll(g, i, 0);
		int user = store_idmap_find(&ids->user, col_ll(g, i, 1));
		int org = store_idmap_find(&ids->org, col_ll(g, i, 2));
		roles.n = clusters.n = 0;
		engine_payments pays = 0;
		/* rows of grants not loaded (a user already loaded) are
		 * skipped by the id order */
		while (kr < PQntuples(gr) && col_ll(gr, kr, 0) < gid)
			kr++;
		while (kp < PQntuples(gp) && col_ll(gp, kp, 0) < gid)
			kp++;
		while (kc < PQntuples(gc) && col_ll(gc, kc, 0) < gid)
			kc++;
		FOR_ROWS(gr, &kr, gid)
		ok = ok &&
		     ints_push(&roles,
		               store_idmap_find(&ids->role, col_ll(gr, kr, 1)));
		FOR_ROWS(gp, &kp, gid)
		{
			int p = engine_payment_find(PQgetvalue(gp, kp, 1));
			if (p >= 0)
				pays |= ENGINE_PAY(p);
		}
		FOR_ROWS(gc, &kc, gid)
		ok = ok &&
		     ints_push(&clusters, store_idmap_find(&ids->cluster,
		                                           col_ll(gc, kc, 1)));
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

static bool load_profiles(struct store *s, struct engine_world *w,
                          struct store_ids *ids, int first_new, bool some,
                          const char *logins, struct store_error *err)
{
	PGresult *pr = user_query(s, &q_profile_roles, some, logins, err);
	PGresult *sr = pr ? user_query(s, &q_sites, some, logins, err) : NULL;
	PGresult *rs = sr ? user_query(s, &q_studies, some, logins, err) : NULL;
	PGresult *sa = rs ? user_query(s, &q_access, some, logins, err) : NULL;
	bool ok = sa != NULL;
	struct ints roles = {0}, studies = {0};
	struct engine_site_restriction *sites = NULL;
	int n_sites = 0, cap_sites = 0;
	int kp = 0, ks = 0, kr = 0, ka = 0;
	for (int u = first_new; ok && u < engine_n_users(w); u++) {
		long long uid = ids->user.db[u];
		roles.n = studies.n = n_sites = 0;
		while (kp < PQntuples(pr) && col_ll(pr, kp, 0) < uid)
			kp++;
		while (ks < PQntuples(sr) && col_ll(sr, ks, 0) < uid)
			ks++;
		while (kr < PQntuples(rs) && col_ll(rs, kr, 0) < uid)
			kr++;
		while (ka < PQntuples(sa) && col_ll(sa, ka, 0) < uid)
			ka++;
		FOR_ROWS(pr, &kp, uid)
		ok = ok &&
		     ints_push(&roles,
		               store_idmap_find(&ids->role, col_ll(pr, kp, 1)));
		FOR_ROWS(sr, &ks, uid)
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
			    store_idmap_find(&ids->org, col_ll(sr, ks, 1)),
			    col_bool(sr, ks, 2)};
		}
		FOR_ROWS(rs, &kr, uid)
		ok = ok &&
		     ints_push(&studies, store_idmap_find(&ids->study,
		                                          col_ll(rs, kr, 1)));
		ok = ok &&
		     !engine_failed(
		         engine_user_set_profile(w, u, roles.v, roles.n, sites,
		                                 n_sites, studies.v, studies.n),
		         "profile of user", engine_user(w, u)->login, err);
		FOR_ROWS(sa, &ka, uid)
		{
			long long role = col_ll(sa, ka, 2);
			ok = ok &&
			     !engine_failed(
			         engine_entry_add(
			             w,
			             store_idmap_find(&ids->study,
			                              col_ll(sa, ka, 1)),
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
	/* the loaded studies' database ids, as a bigint[] literal */
	size_t cap = 3 + (size_t)engine_n_studies(w) * 21, at = 0;
	char *lit = malloc(cap);
	if (!lit) {
		store_fail(err, "", "out of memory");
		return false;
	}
	lit[at++] = '{';
	for (int i = 0; i < engine_n_studies(w); i++)
		at += (size_t)snprintf(lit + at, cap - at, "%s%lld",
		                       i ? "," : "", ids->study.db[i]);
	snprintf(lit + at, cap - at, "}");
	const char *p[] = {lit};
	PGresult *r = store_exec(s,
	                         "SELECT study_id, count(*) FROM study_access "
	                         "WHERE study_id = ANY($1::bigint[]) GROUP BY "
	                         "study_id",
	                         1, p, PGRES_TUPLES_OK, err);
	free(lit);
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

static bool load_users(struct store *s, struct engine_world *w,
                       struct store_ids *ids, bool some, const char *logins,
                       struct store_error *err)
{
	PGresult *r = user_query(s, &q_users, some, logins, err);
	if (!r)
		return false;
	int first_new = engine_n_users(w);
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
		     idmap_add(&ids->user, id, col_ll(r, i, 0));
	}
	PQclear(r);
	return ok && load_grants(s, w, ids, some, logins, err) &&
	       load_profiles(s, w, ids, first_new, some, logins, err) &&
	       load_entry_counts(s, w, ids, err);
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
	     load_users(s, w, ids, false, NULL, err)))
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
	    load_users(s, w, ids, true, logins, err))
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

bool store_load_users(struct store *s, struct engine_world *w,
                      struct store_ids *ids, const char *const *logins,
                      int n_logins, struct store_error *err)
{
	char *lit = store_text_array(logins, n_logins);
	if (!lit) {
		store_fail(err, "", "out of memory");
		return false;
	}
	bool ok = load_users(s, w, ids, true, lit, err);
	free(lit);
	return ok;
}
