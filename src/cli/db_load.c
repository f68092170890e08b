/* db_load.c: `accessdesk db load FILE`: a policy file into the database,
 * all or nothing. The database's world is read first and the file applied
 * on top of it by the policy loader (so references may point to what the
 * database holds, and every invariant is checked by the same code as
 * `policy test`); then what is new is inserted, audited, re-read, and the
 * file's assertions decided on what the database now holds. Any failure
 * rolls everything back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/store.h"
#include "accessdesk/policy.h"

struct loader {
	struct store *s;
	struct engine_world *w;
	struct store_ids ids;
	int base_orgs, base_roles, base_clusters, base_studies, base_users;
	struct store_error *err;
};

/* Runs an INSERT ... RETURNING id; -1 on error. */
static long long insert_id(struct loader *l, const char *sql, int n,
                           const char *const *params)
{
	/* (no what: the caller puts FILE:LINE: before the server's words) */
	PGresult *r = store_exec_rows(l->s, NULL, sql, n, params, 1, l->err);
	if (!r)
		return -1;
	long long id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

static void fmt_id(char *buf, size_t len, long long id)
{
	snprintf(buf, len, "%lld", id);
}

/* The audit record of something the file created (its key: a code, a
 * short name, a login). */
static bool audit_create(struct loader *l, enum store_target kind,
                         const char *key)
{
	return store_audit_record(l->s, NULL, "create", kind, key, NULL, NULL,
	                          l->err);
}

static bool insert_orgs(struct loader *l)
{
	/* Preorder, so every parent is in before its children. */
	for (int pre = 0; pre < engine_n_orgs(l->w); pre++) {
		int o = engine_org_by_pre(l->w, pre);
		if (o < l->base_orgs)
			continue;
		const struct engine_org *org = engine_org(l->w, o);
		char parent[24];
		if (org->parent >= 0)
			fmt_id(parent, sizeof parent,
			       l->ids.org.db[org->parent]);
		const char *p[] = {org->code, org->name,
		                   org->parent >= 0 ? parent : NULL,
		                   org->is_site ? "true" : "false"};
		long long id = insert_id(
		    l,
		    "INSERT INTO organisations (code, name, parent_id, "
		    "is_site) VALUES ($1, $2, $3, $4) RETURNING id",
		    4, p);
		if (id < 0)
			return false;
		l->ids.org.db[o] = id;
		if (!audit_create(l, STORE_TARGET_ORG, org->code))
			return false;
	}
	return true;
}

static bool insert_roles(struct loader *l)
{
	for (int r = l->base_roles; r < engine_n_roles(l->w); r++) {
		const struct engine_role *role = engine_role(l->w, r);
		const char *p[] = {role->name, engine_domain_name(role->domain),
		                   engine_reach_name(role->reach)};
		long long id = insert_id(l,
		                         "INSERT INTO roles (name, domain, "
		                         "reach) VALUES ($1, $2, $3) "
		                         "RETURNING id",
		                         3, p);
		if (id < 0)
			return false;
		l->ids.role.db[r] = id;
		char sid[24];
		fmt_id(sid, sizeof sid, id);
		for (int a = 0; a < ACT_COUNT; a++) {
			if (!(role->actions & ENGINE_ACT(a)))
				continue;
			const char *q[] = {sid, engine_action_name(a)};
			if (!store_run(l->s,
			               "INSERT INTO role_actions (role_id, "
			               "action) VALUES ($1, $2)",
			               2, q, l->err))
				return false;
		}
		if (!audit_create(l, STORE_TARGET_ROLE, role->name))
			return false;
	}
	return true;
}

static const char *cfg_string(const config_setting_t *elem, const char *key)
{
	const char *v = NULL;
	config_setting_lookup_string(elem, key, &v);
	return v;
}

static bool insert_clusters(struct loader *l, const config_t *cfg)
{
	const config_setting_t *list = config_lookup(cfg, "clusters");
	int n = list ? config_setting_length(list) : 0;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, i);
		int c = engine_cluster_find(l->w, cfg_string(e, "short_name"));
		if (c < l->base_clusters)
			continue;
		const struct engine_cluster *cl = engine_cluster(l->w, c);
		const char *desc = cfg_string(e, "description");
		char owner[24], sid[24], mid[24], pos[16];
		fmt_id(owner, sizeof owner, l->ids.org.db[cl->owner]);
		const char *p[] = {cl->short_name, cl->name, desc ? desc : "",
		                   owner};
		long long id = insert_id(
		    l,
		    "INSERT INTO clusters (short_name, name, description, "
		    "owner_id) VALUES ($1, $2, $3, $4) RETURNING id",
		    4, p);
		if (id < 0)
			return false;
		l->ids.cluster.db[c] = id;
		fmt_id(sid, sizeof sid, id);
		for (int m = 0; m < cl->n_members; m++) {
			fmt_id(mid, sizeof mid, l->ids.org.db[cl->members[m]]);
			snprintf(pos, sizeof pos, "%d", m);
			const char *q[] = {sid, mid, pos};
			if (!store_run(l->s,
			               "INSERT INTO cluster_members "
			               "(cluster_id, org_id, position) VALUES "
			               "($1, $2, $3)",
			               3, q, l->err))
				return false;
		}
		if (!audit_create(l, STORE_TARGET_CLUSTER, cl->short_name))
			return false;
	}
	return true;
}

static bool insert_studies(struct loader *l)
{
	for (int s = l->base_studies; s < engine_n_studies(l->w); s++) {
		const struct engine_study *st = engine_study(l->w, s);
		char site[24];
		fmt_id(site, sizeof site, l->ids.org.db[st->site]);
		const char *p[] = {st->code, st->name, site};
		long long id = insert_id(l,
		                         "INSERT INTO studies (code, name, "
		                         "site_id) VALUES ($1, $2, $3) "
		                         "RETURNING id",
		                         3, p);
		if (id < 0)
			return false;
		l->ids.study.db[s] = id;
		if (!audit_create(l, STORE_TARGET_STUDY, st->code))
			return false;
	}
	return true;
}

/* Inserts (table, user, item id, position) rows of a user's list. */
static bool insert_items(struct loader *l, const char *sql, const char *uid,
                         const long long *items, int n)
{
	char id[24], pos[16];
	for (int i = 0; i < n; i++) {
		fmt_id(id, sizeof id, items[i]);
		snprintf(pos, sizeof pos, "%d", i);
		const char *p[] = {uid, id, pos};
		if (!store_run(l->s, sql, 3, p, l->err))
			return false;
	}
	return true;
}

static bool insert_grant(struct loader *l, const char *uid,
                         const struct engine_grant *g)
{
	char org[24], gid[24];
	fmt_id(org, sizeof org, l->ids.org.db[g->org]);
	const char *p[] = {uid, org};
	long long id = insert_id(l,
	                         "INSERT INTO grants (user_id, org_id) VALUES "
	                         "($1, $2) RETURNING id",
	                         2, p);
	if (id < 0)
		return false;
	fmt_id(gid, sizeof gid, id);
	bool ok = true;
	for (int i = 0; i < g->n_roles && ok; i++) {
		char pos[16], rid[24];
		snprintf(pos, sizeof pos, "%d", i);
		fmt_id(rid, sizeof rid, l->ids.role.db[g->roles[i]]);
		const char *q[] = {gid, rid, pos};
		ok = store_run(l->s,
		               "INSERT INTO grant_roles (grant_id, role_id, "
		               "position) VALUES ($1, $2, $3)",
		               3, q, l->err);
	}
	for (int pt = 0; pt < PAY_COUNT && ok; pt++) {
		if (!(g->payments & ENGINE_PAY(pt)))
			continue;
		const char *q[] = {gid, engine_payment_name(pt)};
		ok = store_run(l->s,
		               "INSERT INTO grant_payment_types (grant_id, "
		               "payment_type) VALUES ($1, $2)",
		               2, q, l->err);
	}
	for (int i = 0; i < g->n_clusters && ok; i++) {
		char pos[16], cid[24];
		snprintf(pos, sizeof pos, "%d", i);
		fmt_id(cid, sizeof cid, l->ids.cluster.db[g->clusters[i]]);
		const char *q[] = {gid, cid, pos};
		ok = store_run(l->s,
		               "INSERT INTO grant_clusters (grant_id, "
		               "cluster_id, position) VALUES ($1, $2, $3)",
		               3, q, l->err);
	}
	return ok;
}

static bool insert_profile(struct loader *l, const char *uid,
                           const struct engine_user *u)
{
	long long *items =
	    malloc(((size_t)u->n_profile_roles + (size_t)u->n_studies + 1) *
	           sizeof *items);
	if (!items) {
		store_fail(l->err, "", "out of memory");
		return false;
	}
	bool ok = true;
	for (int i = 0; i < u->n_profile_roles; i++)
		items[i] = l->ids.role.db[u->profile_roles[i]];
	ok = insert_items(l,
	                  "INSERT INTO profile_roles (user_id, role_id, "
	                  "position) VALUES ($1, $2, $3)",
	                  uid, items, u->n_profile_roles);
	for (int i = 0; ok && i < u->n_studies; i++)
		items[i] = l->ids.study.db[u->studies[i]];
	ok = ok && insert_items(l,
	                        "INSERT INTO restricted_studies (user_id, "
	                        "study_id, position) VALUES ($1, $2, $3)",
	                        uid, items, u->n_studies);
	free(items);
	for (int i = 0; ok && i < u->n_sites; i++) {
		char site[24], pos[16];
		fmt_id(site, sizeof site, l->ids.org.db[u->sites[i].site]);
		snprintf(pos, sizeof pos, "%d", i);
		const char *p[] = {
		    uid, site, u->sites[i].recruitment_only ? "true" : "false",
		    pos};
		ok = store_run(l->s,
		               "INSERT INTO site_restrictions (user_id, "
		               "site_id, recruitment_only, position) VALUES "
		               "($1, $2, $3, $4)",
		               4, p, l->err);
	}
	return ok;
}

static bool insert_users(struct loader *l, const config_t *cfg)
{
	const config_setting_t *list = config_lookup(cfg, "users");
	int n = list ? config_setting_length(list) : 0;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, i);
		int v = engine_user_find(l->w, cfg_string(e, "login"));
		if (v < l->base_users)
			continue;
		const struct engine_user *u = engine_user(l->w, v);
		int enabled = 1;
		config_setting_lookup_bool(e, "enabled", &enabled);
		const char *p[] = {u->login,
		                   cfg_string(e, "title"),
		                   cfg_string(e, "first_name"),
		                   cfg_string(e, "last_name"),
		                   cfg_string(e, "email"),
		                   cfg_string(e, "work_phone"),
		                   cfg_string(e, "mobile_phone"),
		                   enabled ? "true" : "false"};
		long long id = insert_id(
		    l,
		    /* an empty title or mobile phone is none, as on the
		     * form (the field rules' optional fields) */
		    "INSERT INTO users (login, title, first_name, "
		    "last_name, email, work_phone, mobile_phone, enabled) "
		    "VALUES ($1, NULLIF($2, ''), $3, $4, $5, $6, "
		    "NULLIF($7, ''), $8) RETURNING id",
		    8, p);
		if (id < 0)
			return false;
		char uid[24];
		fmt_id(uid, sizeof uid, id);
		for (int g = 0; g < u->n_grants; g++)
			if (!insert_grant(l, uid,
			                  engine_grant(l->w, u->grants[g])))
				return false;
		if (!insert_profile(l, uid, u) ||
		    !audit_create(l, STORE_TARGET_USER, u->login))
			return false;
	}
	return true;
}

static bool insert_entries_and_settings(struct loader *l, const config_t *cfg)
{
	const config_setting_t *list = config_lookup(cfg, "study_access");
	int n = list ? config_setting_length(list) : 0;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, i);
		const char *role = cfg_string(e, "role");
		const char *p[] = {cfg_string(e, "study"),
		                   cfg_string(e, "user"), role};
		if (!store_run(l->s,
		               "INSERT INTO study_access (study_id, user_id, "
		               "role_id, position) SELECT s.id, u.id, r.id, "
		               "(SELECT count(*) FROM study_access WHERE "
		               "study_id = s.id) FROM studies s, users u LEFT "
		               "JOIN roles r ON r.name = $3 WHERE s.code = $1 "
		               "AND u.login = $2",
		               3, p, l->err))
			return false;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, i);
		const char *p[] = {cfg_string(e, "study")};
		/* one audit row per study whose list changed */
		bool first = true;
		for (int j = 0; j < i; j++)
			if (strcmp(cfg_string(config_setting_get_elem(list, j),
			                      "study"),
			           p[0]) == 0)
				first = false;
		if (first && !store_audit_record(l->s, NULL, "user-access",
		                                 STORE_TARGET_STUDY, p[0], NULL,
		                                 NULL, l->err))
			return false;
	}
	const config_setting_t *set = config_lookup(cfg, "settings");
	int v;
	if (!set)
		return true;
	const char *before_sql = "SELECT to_jsonb(s) - 'id' - 'version' FROM "
	                         "settings s";
	PGresult *before =
	    store_exec_rows(l->s, "settings", before_sql, 0, NULL, 1, l->err);
	if (!before)
		return false;
	bool ok = true;
	if (config_setting_lookup_bool(set, "require_site_restrictions", &v)) {
		const char *p[] = {v ? "true" : "false"};
		ok = store_run(l->s,
		               "UPDATE settings SET require_site_restrictions "
		               "= $1",
		               1, p, l->err);
	}
	if (ok &&
	    config_setting_lookup_bool(set, "require_study_restrictions", &v)) {
		const char *p[] = {v ? "true" : "false"};
		ok = store_run(l->s,
		               "UPDATE settings SET require_study_restrictions "
		               "= $1",
		               1, p, l->err);
	}
	ok = ok && store_audit_record(l->s, NULL, "update",
	                              STORE_TARGET_SETTINGS, "settings",
	                              PQgetvalue(before, 0, 0), NULL, l->err);
	PQclear(before);
	return ok;
}

/* Decides the file's assertions on the world as the database now holds
 * it; prints each failure like `policy test`. */
static int failed_assertions(struct loader *l, const struct policy *p)
{
	struct store_ids ids2;
	struct engine_world *w2 =
	    store_load_world(l->s, STORE_LOAD_ALL, &ids2, l->err);
	if (!w2)
		return -1;
	struct engine_explain ex;
	engine_explain_init(&ex);
	int failed = 0;
	for (int i = 0; i < p->n_assertions; i++) {
		const struct policy_assertion *a = &p->assertions[i];
		int user =
		    engine_user_find(w2, engine_user(l->w, a->user)->login);
		bool allow = false;
		engine_explain_reset(&ex);
		if (a->org >= 0)
			engine_check_org(
			    w2, user, a->action,
			    engine_org_find(w2, engine_org(l->w, a->org)->code),
			    a->payment, &ex, &allow);
		else
			engine_check_study(
			    w2, user, a->action,
			    engine_study_find(
			        w2, engine_study(l->w, a->study)->code),
			    &ex, &allow);
		if (allow == a->expect_allow)
			continue;
		failed++;
		cli_line(stderr, "%s:%d: expected %s, got %s", p->file, a->line,
		         a->expect_allow ? "allow" : "deny",
		         allow ? "allow" : "deny");
		cli_print_reasons(stderr, w2, &ex);
	}
	engine_explain_free(&ex);
	engine_world_free(w2);
	store_ids_free(&ids2);
	return failed;
}

/* The id maps must have a slot for every engine id of the merged world. */
static bool reserve_ids(struct store_idmap *m, int n)
{
	if (n <= m->cap) {
		if (n > m->n)
			m->n = n;
		return true;
	}
	long long *db = realloc(m->db, (size_t)n * sizeof *db);
	if (!db)
		return false;
	m->db = db;
	m->cap = m->n = n;
	return true;
}

int cli_db_load(struct store *s, const char *file)
{
	struct store_error err = {0};
	struct loader l = {.s = s, .err = &err};
	struct policy p;
	char perr[POLICY_ERR_MAX];
	int status = EXIT_USAGE;
	if (!store_begin(s, &err))
		goto out;
	/* One loader at a time, and the audit chain's lock before the
	 * snapshot, as a change takes it (sql/013_audit_chain.sql): its
	 * first record would hold the chain until the commit anyway, and
	 * taken first it cannot meet a change's lock in the other order. */
	if (!store_chain_lock(s, &err) ||
	    !store_run(s, "SELECT pg_advisory_xact_lock(7411151)", 0, NULL,
	               &err))
		goto out;
	l.w = store_load_world(s, STORE_LOAD_ALL, &l.ids, &err);
	if (!l.w)
		goto out;
	l.base_orgs = engine_n_orgs(l.w);
	l.base_roles = engine_n_roles(l.w);
	l.base_clusters = engine_n_clusters(l.w);
	l.base_studies = engine_n_studies(l.w);
	l.base_users = engine_n_users(l.w);
	if (!policy_load_into(file, l.w, &p, perr, sizeof perr)) {
		cli_line(stderr, "%s", perr);
		store_rollback(s);
		engine_world_free(l.w);
		store_ids_free(&l.ids);
		return EXIT_USAGE;
	}
	if (!reserve_ids(&l.ids.org, engine_n_orgs(l.w)) ||
	    !reserve_ids(&l.ids.role, engine_n_roles(l.w)) ||
	    !reserve_ids(&l.ids.cluster, engine_n_clusters(l.w)) ||
	    !reserve_ids(&l.ids.study, engine_n_studies(l.w))) {
		store_fail(&err, "", "out of memory");
		goto loaded;
	}
	if (!insert_orgs(&l) || !insert_roles(&l) ||
	    !insert_clusters(&l, &p.cfg) || !insert_studies(&l) ||
	    !insert_users(&l, &p.cfg) ||
	    !insert_entries_and_settings(&l, &p.cfg))
		goto loaded;
	int failed = failed_assertions(&l, &p);
	if (failed < 0)
		goto loaded;
	if (failed > 0) {
		store_fail(&err, "", "%d assertion%s failed: nothing loaded",
		           failed, failed == 1 ? "" : "s");
		goto loaded;
	}
	if (store_commit(s, &err))
		status = 0;
loaded:
	policy_free(&p);
out:
	if (status != 0) {
		store_rollback(s);
		cli_error("db load %s: %s", file, err.message);
	}
	engine_world_free(l.w);
	store_ids_free(&l.ids);
	return status;
}
