/* users.c: reading a user for the User Details form and saving it: one
 * transaction that locks the user's row, checks the version the form was
 * read at, asks the engine about every change on data read inside the
 * transaction (access-model.md section 5), writes, and audits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/store.h"

static char *dup0(const char *s)
{
	return strdup(s ? s : "");
}

void store_user_form_free(struct store_user_form *f)
{
	free(f->login);
	free(f->title);
	free(f->first_name);
	free(f->last_name);
	free(f->email);
	free(f->work_phone);
	free(f->mobile_phone);
	free(f->created);
	for (int g = 0; g < f->n_grants; g++) {
		for (int i = 0; i < f->grants[g].n_roles; i++)
			free(f->grants[g].roles[i]);
		for (int i = 0; i < f->grants[g].n_clusters; i++)
			free(f->grants[g].clusters[i]);
	}
	free(f->grants);
	for (int i = 0; i < f->n_profile_roles; i++)
		free(f->profile_roles[i]);
	for (int i = 0; i < f->n_studies; i++)
		free(f->studies[i]);
	*f = (struct store_user_form){0};
}

static bool copy_names(char **dst, char *const *src, int n)
{
	bool ok = true;
	for (int i = 0; i < n; i++)
		ok &= (dst[i] = dup0(src[i])) != NULL;
	return ok;
}

bool store_user_form_copy(struct store_user_form *dst,
                          const struct store_user_form *src)
{
	*dst = *src;
	dst->login = dup0(src->login);
	dst->title = dup0(src->title);
	dst->first_name = dup0(src->first_name);
	dst->last_name = dup0(src->last_name);
	dst->email = dup0(src->email);
	dst->work_phone = dup0(src->work_phone);
	dst->mobile_phone = dup0(src->mobile_phone);
	dst->created = dup0(src->created);
	dst->grants = calloc((size_t)src->n_grants + 1, sizeof *dst->grants);
	bool ok = dst->login && dst->title && dst->first_name &&
	          dst->last_name && dst->email && dst->work_phone &&
	          dst->mobile_phone && dst->created && dst->grants;
	for (int g = 0; ok && g < src->n_grants; g++) {
		dst->grants[g] = src->grants[g];
		ok =
		    copy_names(dst->grants[g].roles, src->grants[g].roles,
		               src->grants[g].n_roles) &&
		    copy_names(dst->grants[g].clusters, src->grants[g].clusters,
		               src->grants[g].n_clusters);
	}
	ok = ok &&
	     copy_names(dst->profile_roles, src->profile_roles,
	                src->n_profile_roles) &&
	     copy_names(dst->studies, src->studies, src->n_studies);
	if (!ok && dst->grants == NULL)
		dst->n_grants = 0;
	return ok;
}

/* ---- reading ---------------------------------------------------------- */

static PGresult *query1(struct store *s, const char *sql, const char *arg,
                        struct store_error *err)
{
	const char *p[] = {arg};
	return store_exec(s, sql, 1, p, PGRES_TUPLES_OK, err);
}

/* Appends names from column col of rows whose column 0 equals key. */
static void take_names(const PGresult *r, int col, char **dst, int *n)
{
	for (int i = 0; i < PQntuples(r) && *n < STORE_MAX_LIST; i++)
		dst[(*n)++] = dup0(PQgetvalue(r, i, col));
}

bool store_user_read(struct store *s, const char *login,
                     struct store_user_form *f, struct store_error *err)
{
	*f = (struct store_user_form){0};
	PGresult *u = query1(s,
	                     "SELECT id, version, login, coalesce(title, ''), "
	                     "first_name, last_name, email, work_phone, "
	                     "coalesce(mobile_phone, ''), enabled, "
	                     "to_char(created_at, 'DD/MM/YYYY') FROM users "
	                     "WHERE login = $1",
	                     login, err);
	if (!u)
		return false;
	if (PQntuples(u) != 1) {
		PQclear(u);
		store_fail(err, "", "no user \"%s\"", login);
		return false;
	}
	f->id = strtoll(PQgetvalue(u, 0, 0), NULL, 10);
	f->version = atoi(PQgetvalue(u, 0, 1));
	f->login = dup0(PQgetvalue(u, 0, 2));
	f->title = dup0(PQgetvalue(u, 0, 3));
	f->first_name = dup0(PQgetvalue(u, 0, 4));
	f->last_name = dup0(PQgetvalue(u, 0, 5));
	f->email = dup0(PQgetvalue(u, 0, 6));
	f->work_phone = dup0(PQgetvalue(u, 0, 7));
	f->mobile_phone = dup0(PQgetvalue(u, 0, 8));
	f->enabled = PQgetvalue(u, 0, 9)[0] == 't';
	f->created = dup0(PQgetvalue(u, 0, 10));
	char uid[24];
	snprintf(uid, sizeof uid, "%lld", f->id);
	PQclear(u);

	/* the grants, then each list of every grant at once (four queries
	 * whatever the number of grants), in stored order */
	PGresult *g = query1(s,
	                     "SELECT g.id, o.code FROM grants g JOIN "
	                     "organisations o ON o.id = g.org_id WHERE "
	                     "g.user_id = $1 ORDER BY g.id",
	                     uid, err);
	PGresult *r = g ? query1(s,
	                         "SELECT gr.grant_id, r.name FROM grant_roles "
	                         "gr JOIN roles r ON r.id = gr.role_id JOIN "
	                         "grants g ON g.id = gr.grant_id WHERE "
	                         "g.user_id = $1 ORDER BY gr.grant_id, "
	                         "gr.position",
	                         uid, err)
	                : NULL;
	PGresult *p = r ? query1(s,
	                         "SELECT gp.grant_id, gp.payment_type FROM "
	                         "grant_payment_types gp JOIN grants g ON "
	                         "g.id = gp.grant_id WHERE g.user_id = $1",
	                         uid, err)
	                : NULL;
	PGresult *c = p ? query1(s,
	                         "SELECT gc.grant_id, c.short_name FROM "
	                         "grant_clusters gc JOIN clusters c ON c.id = "
	                         "gc.cluster_id JOIN grants g ON g.id = "
	                         "gc.grant_id WHERE g.user_id = $1 ORDER BY "
	                         "gc.grant_id, gc.position",
	                         uid, err)
	                : NULL;
	f->grants =
	    c ? calloc((size_t)PQntuples(g) + 1, sizeof *f->grants) : NULL;
	if (c && !f->grants)
		store_fail(err, "", "out of memory");
	for (int i = 0; f->grants && i < PQntuples(g); i++) {
		struct store_grant_form *gf = &f->grants[f->n_grants++];
		snprintf(gf->org, sizeof gf->org, "%s", PQgetvalue(g, i, 1));
		const char *gid = PQgetvalue(g, i, 0);
		for (int k = 0; k < PQntuples(r); k++)
			if (strcmp(PQgetvalue(r, k, 0), gid) == 0 &&
			    gf->n_roles < STORE_MAX_LIST)
				gf->roles[gf->n_roles++] =
				    dup0(PQgetvalue(r, k, 1));
		for (int k = 0; k < PQntuples(c); k++)
			if (strcmp(PQgetvalue(c, k, 0), gid) == 0 &&
			    gf->n_clusters < STORE_MAX_LIST)
				gf->clusters[gf->n_clusters++] =
				    dup0(PQgetvalue(c, k, 1));
		for (int k = 0; k < PQntuples(p); k++) {
			int pt = engine_payment_find(PQgetvalue(p, k, 1));
			if (strcmp(PQgetvalue(p, k, 0), gid) == 0 && pt >= 0)
				gf->payments |= ENGINE_PAY(pt);
		}
	}
	bool read = f->grants != NULL;
	PQclear(g);
	PQclear(r);
	PQclear(p);
	PQclear(c);
	if (!read)
		goto fail;
	PGresult *pr = query1(s,
	                      "SELECT r.name FROM profile_roles p JOIN roles r "
	                      "ON r.id = p.role_id WHERE p.user_id = $1 ORDER "
	                      "BY p.position",
	                      uid, err);
	PGresult *sr = pr ? query1(s,
	                           "SELECT o.code, p.recruitment_only FROM "
	                           "site_restrictions p JOIN organisations o "
	                           "ON o.id = p.site_id WHERE p.user_id = $1 "
	                           "ORDER BY p.position",
	                           uid, err)
	                  : NULL;
	PGresult *st = sr ? query1(s,
	                           "SELECT st.code FROM restricted_studies p "
	                           "JOIN studies st ON st.id = p.study_id "
	                           "WHERE p.user_id = $1 ORDER BY p.position",
	                           uid, err)
	                  : NULL;
	if (st) {
		take_names(pr, 0, f->profile_roles, &f->n_profile_roles);
		take_names(st, 0, f->studies, &f->n_studies);
		for (int i = 0;
		     i < PQntuples(sr) && f->n_sites < STORE_MAX_LIST; i++) {
			struct store_site_form *sf = &f->sites[f->n_sites++];
			snprintf(sf->site, sizeof sf->site, "%s",
			         PQgetvalue(sr, i, 0));
			sf->recruitment_only = PQgetvalue(sr, i, 1)[0] == 't';
		}
	}
	PQclear(pr);
	PQclear(sr);
	PQclear(st);
	if (st)
		return true;
fail:
	store_user_form_free(f);
	return false;
}

/* ---- deciding --------------------------------------------------------- */

bool store_grant_spec(const struct engine_world *w,
                      const struct store_grant_form *g,
                      struct store_spec_buf *b, struct store_error *err)
{

	b->spec.org = engine_org_find(w, g->org);
	if (b->spec.org < 0) {
		store_fail(err, "", "no organisation \"%s\"", g->org);
		return false;
	}
	for (int i = 0; i < g->n_roles; i++) {
		b->roles[i] = engine_role_find(w, g->roles[i]);
		if (b->roles[i] < 0) {
			store_fail(err, "", "no role \"%s\"", g->roles[i]);
			return false;
		}
	}
	for (int i = 0; i < g->n_clusters; i++) {
		b->clusters[i] = engine_cluster_find(w, g->clusters[i]);
		if (b->clusters[i] < 0) {
			store_fail(err, "", "no cluster \"%s\"",
			           g->clusters[i]);
			return false;
		}
	}
	b->spec.roles = b->roles;
	b->spec.n_roles = g->n_roles;
	b->spec.payments = g->payments;
	b->spec.clusters = b->clusters;
	b->spec.n_clusters = g->n_clusters;
	return true;
}

/* The same set of ints, whatever the order. */
static bool same_set(const int *a, int na, const int *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++) {
		bool found = false;
		for (int j = 0; j < nb && !found; j++)
			found = a[i] == b[j];
		if (!found)
			return false;
	}
	return true;
}

static bool same_grant(const struct engine_grant_spec *a,
                       const struct engine_grant_spec *b)
{
	return a->payments == b->payments &&
	       same_set(a->roles, a->n_roles, b->roles, b->n_roles) &&
	       same_set(a->clusters, a->n_clusters, b->clusters, b->n_clusters);
}

static bool same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Turns an engine refusal into the error message. */
static bool refused(const struct engine_world *w, struct engine_explain *ex,
                    const char *what, struct store_error *err)
{
	char line[512];
	size_t at = 0;
	at += (size_t)snprintf(err->message, sizeof err->message,
	                       "not allowed to %s", what);
	for (int i = 0; i < ex->n && at < sizeof err->message; i++) {
		engine_reason_format(w, &ex->r[i], line, sizeof line);
		at += (size_t)snprintf(err->message + at,
		                       sizeof err->message - at, "%s%s",
		                       i ? "; " : ": ", line);
	}
	snprintf(err->sqlstate, sizeof err->sqlstate, "42501");
	return false;
}

struct save {
	struct store *s;
	struct engine_world *w;
	struct store_ids ids;
	struct engine_explain ex;
	struct store_error *err;
	const struct store_user_form *f;
	struct store_user_form before; /* as the database holds it */
	struct store_spec_buf *old_specs, *new_specs;
	int op, v;
};

/* Adds the few enabled users that hold System Administrator on a root
 * with no cluster, so the lock-out rule sees them. */
static bool load_root_admins(struct save *sv)
{
	PGresult *r = store_exec(
	    sv->s,
	    "SELECT DISTINCT u.login FROM users u JOIN grants g ON "
	    "g.user_id = u.id JOIN organisations o ON o.id = g.org_id AND "
	    "o.parent_id IS NULL JOIN grant_roles gr ON gr.grant_id = g.id "
	    "JOIN roles r ON r.id = gr.role_id AND r.builtin AND r.name = "
	    "'System Administrator' WHERE u.enabled AND NOT EXISTS (SELECT "
	    "1 FROM grant_clusters gc WHERE gc.grant_id = g.id) LIMIT 3",
	    0, NULL, PGRES_TUPLES_OK, sv->err);
	if (!r)
		return false;
	const char *logins[3];
	int n = PQntuples(r);
	for (int i = 0; i < n; i++)
		logins[i] = PQgetvalue(r, i, 0);
	bool ok = store_load_users(sv->s, sv->w, &sv->ids, logins, n, sv->err);
	PQclear(r);
	return ok;
}

static int find_form_grant(const struct store_user_form *f, const char *org)
{
	for (int i = 0; i < f->n_grants; i++)
		if (strcasecmp(f->grants[i].org, org) == 0)
			return i;
	return -1;
}

/* Asks the engine about every difference between before and the form. */
static bool decide(struct save *sv)
{
	const struct engine_world *w = sv->w;
	const struct store_user_form *f = sv->f, *b = &sv->before;
	bool is_new = f->id == 0;
	struct engine_explain *ex = &sv->ex;
	int op = sv->op, v = sv->v;
	for (int i = 0; i < b->n_grants; i++)
		if (!store_grant_spec(w, &b->grants[i], &sv->old_specs[i],
		                      sv->err))
			return false;
	for (int i = 0; i < f->n_grants; i++)
		if (!store_grant_spec(w, &f->grants[i], &sv->new_specs[i],
		                      sv->err))
			return false;
	if (is_new && !engine_may_create_user(w, op, f->n_grants, ex))
		return refused(w, ex, "create a user", sv->err);
	bool contact = !same_str(f->title, b->title) ||
	               !same_str(f->first_name, b->first_name) ||
	               !same_str(f->last_name, b->last_name) ||
	               !same_str(f->email, b->email) ||
	               !same_str(f->work_phone, b->work_phone) ||
	               !same_str(f->mobile_phone, b->mobile_phone);
	if (!is_new && contact && !engine_may_edit_contact(w, op, v, ex))
		return refused(w, ex, "change contact details", sv->err);
	if (!is_new && f->enabled != b->enabled &&
	    !engine_may_manage_user(w, op, v, ex))
		return refused(w, ex, f->enabled ? "enable" : "disable",
		               sv->err);
	bool grants_changed = f->n_grants != b->n_grants;
	for (int i = 0; i < b->n_grants; i++) {
		int j = find_form_grant(f, b->grants[i].org);
		const struct engine_grant_spec *after =
		    j >= 0 ? &sv->new_specs[j].spec : NULL;
		if (after && same_grant(&sv->old_specs[i].spec, after))
			continue;
		grants_changed = true;
		if (!engine_may_change_grant(w, op, v, is_new,
		                             &sv->old_specs[i].spec, after, ex))
			return refused(w, ex,
			               after ? "change this grant"
			                     : "revoke this grant",
			               sv->err);
	}
	for (int j = 0; j < f->n_grants; j++) {
		if (find_form_grant(b, f->grants[j].org) >= 0)
			continue;
		grants_changed = true;
		if (!engine_may_change_grant(w, op, is_new ? -1 : v, is_new,
		                             NULL, &sv->new_specs[j].spec, ex))
			return refused(w, ex, "add this grant", sv->err);
	}
	if ((grants_changed || f->enabled != b->enabled) && !is_new) {
		struct engine_grant_spec specs[STORE_MAX_LIST];
		int n = 0;
		for (int j = 0; j < f->n_grants && n < STORE_MAX_LIST; j++)
			specs[n++] = sv->new_specs[j].spec;
		if (!engine_keeps_root_admin(w, v, f->enabled, specs, n, ex))
			return refused(w, ex, "save", sv->err);
	}
	return true;
}

/* The profile's differences, as engine ids, and the check. */
/* The names of x missing from y, as engine ids (find), appended to out;
 * false, saying which, for a name the world does not know. */
static bool names_not_in(struct save *sv, char *const *x, int nx,
                         char *const *y, int ny,
                         int (*find)(const struct engine_world *, const char *),
                         const char *what, int *out, int *n)
{
	for (int i = 0; i < nx; i++) {
		int id = find(sv->w, x[i]);
		if (id < 0) {
			store_fail(sv->err, "", "no %s \"%s\"", what, x[i]);
			return false;
		}
		bool in = false;
		for (int j = 0; j < ny && !in; j++)
			in = strcmp(x[i], y[j]) == 0;
		if (!in)
			out[(*n)++] = id;
	}
	return true;
}

static bool decide_profile(struct save *sv)
{
	struct engine_world *w = sv->w;
	const struct store_user_form *f = sv->f, *b = &sv->before;
	int roles[2 * STORE_MAX_LIST], sites[2 * STORE_MAX_LIST],
	    studies[2 * STORE_MAX_LIST];
	int nr = 0, ns = 0, nt = 0;
	/* what was added (in the form, not before), then what was removed */
	for (int pass = 0; pass < 2; pass++) {
		const struct store_user_form *x = pass ? b : f,
		                             *y = pass ? f : b;
		if (!names_not_in(sv, x->profile_roles, x->n_profile_roles,
		                  y->profile_roles, y->n_profile_roles,
		                  engine_role_find, "role", roles, &nr) ||
		    !names_not_in(sv, x->studies, x->n_studies, y->studies,
		                  y->n_studies, engine_study_find, "study",
		                  studies, &nt))
			return false;
		/* a site changes also when its recruitment restriction does */
		for (int i = 0; i < x->n_sites; i++) {
			bool same = false;
			for (int j = 0; j < y->n_sites && !same; j++)
				same = strcasecmp(x->sites[i].site,
				                  y->sites[j].site) == 0 &&
				       x->sites[i].recruitment_only ==
				           y->sites[j].recruitment_only;
			int o = engine_org_find(w, x->sites[i].site);
			if (o < 0) {
				store_fail(sv->err, "", "no site \"%s\"",
				           x->sites[i].site);
				return false;
			}
			if (!same)
				sites[ns++] = o;
		}
	}
	if (nr + ns + nt == 0)
		return true;
	int v = sv->v;
	if (sv->f->id == 0) {
		/* A new user: put it in the world with its grants, so "every
		 * organisation where V holds a grant" means the new ones. */
		enum engine_err e =
		    engine_user_add(w, f->login, "", "", true, &v);
		if (e != ENGINE_OK) {
			store_fail(sv->err, "", "user ID \"%s\": %s", f->login,
			           engine_strerror(e));
			return false;
		}
		for (int j = 0; j < f->n_grants; j++) {
			const struct engine_grant_spec *g =
			    &sv->new_specs[j].spec;
			engine_grant_add(w, v, g->org, g->roles, g->n_roles,
			                 g->payments, g->clusters,
			                 g->n_clusters, NULL);
		}
	}
	struct engine_profile_change chg = {roles, nr, sites, ns, studies, nt};
	if (!engine_may_edit_profile(w, sv->op, v, sv->f->id == 0, &chg,
	                             &sv->ex))
		return refused(w, &sv->ex, "change the study profile", sv->err);
	return true;
}

/* ---- writing ---------------------------------------------------------- */

static bool run(struct save *sv, const char *sql, int n, const char *const *p)
{
	return store_run(sv->s, sql, n, p, sv->err);
}

/* Inserts a list's rows ($1 the owner, $2 an item's name, $3 its
 * position): the statement finds each item by its name. */
static bool insert_named(struct save *sv, const char *sql, const char *owner,
                         char *const *names, int n)
{
	char pos[16];
	for (int i = 0; i < n; i++) {
		snprintf(pos, sizeof pos, "%d", i);
		const char *p[] = {owner, names[i], pos};
		if (!run(sv, sql, 3, p))
			return false;
	}
	return true;
}

static bool write_grant_items(struct save *sv, const char *gid,
                              const struct store_grant_form *g)
{
	if (!insert_named(
	        sv,
	        "INSERT INTO grant_roles (grant_id, role_id, position) "
	        "SELECT $1, id, $3 FROM roles WHERE name = $2",
	        gid, g->roles, g->n_roles))
		return false;
	for (int t = 0; t < PAY_COUNT; t++) {
		if (!(g->payments & ENGINE_PAY(t)))
			continue;
		const char *p[] = {gid, engine_payment_name(t)};
		if (!run(sv,
		         "INSERT INTO grant_payment_types (grant_id, "
		         "payment_type) VALUES ($1, $2)",
		         2, p))
			return false;
	}
	return insert_named(sv,
	                    "INSERT INTO grant_clusters (grant_id, cluster_id, "
	                    "position) SELECT $1, id, $3 FROM clusters WHERE "
	                    "short_name = $2",
	                    gid, g->clusters, g->n_clusters);
}

/* Grants: revoked ones deleted, kept ones rewritten in place (so their id,
 * the stored order, stays), new ones appended. */
static bool write_grants(struct save *sv, const char *uid)
{
	const struct store_user_form *f = sv->f;
	for (int i = 0; i < sv->before.n_grants; i++) {
		const char *org = sv->before.grants[i].org;
		if (find_form_grant(f, org) >= 0)
			continue;
		const char *p[] = {uid, org};
		if (!run(sv,
		         "DELETE FROM grants WHERE user_id = $1 AND org_id = "
		         "(SELECT id FROM organisations WHERE lower(code) = "
		         "lower($2))",
		         2, p))
			return false;
	}
	for (int j = 0; j < f->n_grants; j++) {
		const struct store_grant_form *g = &f->grants[j];
		const char *p[] = {uid, g->org};
		PGresult *r = store_exec(
		    sv->s,
		    "WITH o AS (SELECT id FROM organisations WHERE "
		    "lower(code) = lower($2)), old AS (SELECT g.id FROM "
		    "grants g, o WHERE g.user_id = $1 AND g.org_id = o.id), "
		    "ins AS (INSERT INTO grants (user_id, org_id) SELECT "
		    "$1, o.id FROM o WHERE NOT EXISTS (SELECT 1 FROM old) "
		    "RETURNING id) SELECT id FROM old UNION ALL SELECT id "
		    "FROM ins",
		    2, p, PGRES_TUPLES_OK, sv->err);
		if (!r)
			return false;
		char gid[24];
		snprintf(gid, sizeof gid, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		const char *q[] = {gid};
		if (!run(sv, "DELETE FROM grant_roles WHERE grant_id = $1", 1,
		         q) ||
		    !run(sv,
		         "DELETE FROM grant_payment_types WHERE grant_id = $1",
		         1, q) ||
		    !run(sv, "DELETE FROM grant_clusters WHERE grant_id = $1",
		         1, q) ||
		    !write_grant_items(sv, gid, g))
			return false;
	}
	return true;
}

static bool write_profile(struct save *sv, const char *uid)
{
	const struct store_user_form *f = sv->f;
	const char *q[] = {uid};
	if (!run(sv, "DELETE FROM profile_roles WHERE user_id = $1", 1, q) ||
	    !run(sv, "DELETE FROM site_restrictions WHERE user_id = $1", 1,
	         q) ||
	    !run(sv, "DELETE FROM restricted_studies WHERE user_id = $1", 1, q))
		return false;
	char pos[16];
	if (!insert_named(
	        sv,
	        "INSERT INTO profile_roles (user_id, role_id, "
	        "position) SELECT $1, id, $3 FROM roles WHERE name = $2",
	        uid, f->profile_roles, f->n_profile_roles))
		return false;
	for (int i = 0; i < f->n_sites; i++) {
		snprintf(pos, sizeof pos, "%d", i);
		const char *p[] = {
		    uid, f->sites[i].site,
		    f->sites[i].recruitment_only ? "true" : "false", pos};
		if (!run(sv,
		         "INSERT INTO site_restrictions (user_id, site_id, "
		         "recruitment_only, position) SELECT $1, id, $3, $4 "
		         "FROM organisations WHERE lower(code) = lower($2)",
		         4, p))
			return false;
	}
	return insert_named(
	    sv,
	    "INSERT INTO restricted_studies (user_id, study_id, "
	    "position) SELECT $1, id, $3 FROM studies WHERE code "
	    "= $2",
	    uid, f->studies, f->n_studies);
}

/* The stale-form error: who changed the user, and when. */
static bool conflict(struct save *sv, const char *uid, int version)
{
	const char *p[] = {sv->f->login};
	PGresult *r =
	    store_exec(sv->s,
	               "SELECT operator, to_char(at, 'DD/MM/YYYY "
	               "HH24:MI:SS'), action FROM audit WHERE "
	               "target_kind = 'user' AND target = $1 ORDER BY "
	               "id DESC LIMIT 1",
	               1, p, PGRES_TUPLES_OK, sv->err);
	(void)uid;
	if (r && PQntuples(r) == 1)
		store_fail(sv->err, STORE_CONFLICT,
		           "%s was changed by %s at %s (%s) after this form "
		           "was read: your input is kept; reopen the user to "
		           "see the change",
		           sv->f->login, PQgetvalue(r, 0, 0),
		           PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
	else
		store_fail(sv->err, STORE_CONFLICT,
		           "%s was changed (version %d, form read at %d): your "
		           "input is kept; reopen the user to see the change",
		           sv->f->login, version, sv->f->version);
	PQclear(r);
	return false;
}

static bool save_in_transaction(struct save *sv, const char *operator_login,
                                long long *id)
{
	const struct store_user_form *f = sv->f;
	char uid[24] = "";
	if (!store_user_form_valid(f, sv->err->message,
	                           sizeof sv->err->message)) {
		snprintf(sv->err->sqlstate, sizeof sv->err->sqlstate, "22023");
		return false;
	}
	if (f->id) {
		snprintf(uid, sizeof uid, "%lld", f->id);
		const char *p[] = {uid};
		PGresult *r = store_exec(sv->s,
		                         "SELECT version, login FROM users "
		                         "WHERE id = $1 FOR UPDATE",
		                         1, p, PGRES_TUPLES_OK, sv->err);
		if (!r)
			return false;
		if (PQntuples(r) != 1) {
			PQclear(r);
			store_fail(sv->err, "", "no user with id %s", uid);
			return false;
		}
		int version = atoi(PQgetvalue(r, 0, 0));
		bool same_login = strcmp(PQgetvalue(r, 0, 1), f->login) == 0;
		PQclear(r);
		if (!same_login) {
			store_fail(sv->err, "", "a user ID cannot be changed");
			return false;
		}
		if (version != f->version)
			return conflict(sv, uid, version);
		if (!store_user_read(sv->s, f->login, &sv->before, sv->err))
			return false;
	} else {
		sv->before.login = dup0(f->login);
		sv->before.enabled = f->enabled;
	}
	sv->w = store_load_world(sv->s, STORE_LOAD_BASE, &sv->ids, sv->err);
	const char *who[] = {operator_login, f->login};
	if (!sv->w ||
	    !store_load_users(sv->s, sv->w, &sv->ids, who, f->id ? 2 : 1,
	                      sv->err) ||
	    !load_root_admins(sv))
		return false;
	sv->op = engine_user_find(sv->w, operator_login);
	sv->v = f->id ? engine_user_find(sv->w, f->login) : -1;
	if (sv->op < 0) {
		store_fail(sv->err, "", "no operator \"%s\"", operator_login);
		return false;
	}
	sv->old_specs =
	    calloc((size_t)sv->before.n_grants + 1, sizeof *sv->old_specs);
	sv->new_specs = calloc((size_t)f->n_grants + 1, sizeof *sv->new_specs);
	if (!sv->old_specs || !sv->new_specs) {
		store_fail(sv->err, "", "out of memory");
		return false;
	}
	if (!decide(sv) || !decide_profile(sv))
		return false;

	PGresult *before = NULL;
	if (f->id) {
		const char *p[] = {uid};
		before = store_exec(
		    sv->s, "SELECT user_snapshot($1), user_org_ids($1)", 1, p,
		    PGRES_TUPLES_OK, sv->err);
		if (!before)
			return false;
	}
	const char *u[] = {f->login,
	                   f->title && *f->title ? f->title : NULL,
	                   f->first_name,
	                   f->last_name,
	                   f->email,
	                   f->work_phone,
	                   f->mobile_phone && *f->mobile_phone ? f->mobile_phone
	                                                       : NULL,
	                   f->enabled ? "true" : "false",
	                   uid};
	PGresult *r =
	    f->id ? store_exec(sv->s,
	                       "UPDATE users SET title = $2, first_name = "
	                       "$3, last_name = $4, email = $5, work_phone "
	                       "= $6, mobile_phone = $7, enabled = $8 WHERE "
	                       "id = $9 AND login = $1 RETURNING id",
	                       9, u, PGRES_TUPLES_OK, sv->err)
	          : store_exec(sv->s,
	                       "INSERT INTO users (login, title, "
	                       "first_name, last_name, email, work_phone, "
	                       "mobile_phone, enabled) VALUES ($1, $2, $3, "
	                       "$4, $5, $6, $7, $8) RETURNING id",
	                       8, u, PGRES_TUPLES_OK, sv->err);
	bool ok = r != NULL;
	if (ok) {
		snprintf(uid, sizeof uid, "%s", PQgetvalue(r, 0, 0));
		*id = strtoll(uid, NULL, 10);
	}
	PQclear(r);
	ok = ok && write_grants(sv, uid) && write_profile(sv, uid);
	if (ok) {
		const char *p[] = {operator_login,
		                   f->id ? "update" : "create",
		                   f->login,
		                   before ? PQgetvalue(before, 0, 0) : NULL,
		                   uid,
		                   before ? PQgetvalue(before, 0, 1) : "{}"};
		ok = run(
		    sv,
		    "INSERT INTO audit (operator, action, target_kind, "
		    "target, before, after, org_ids) SELECT $1, $2, "
		    "'user', $3, $4::jsonb, user_snapshot($5), ARRAY(SELECT "
		    "DISTINCT unnest($6::bigint[] || user_org_ids($5)))",
		    6, p);
	}
	PQclear(before);
	return ok;
}

bool store_user_save(struct store *s, const char *operator_login,
                     const struct store_user_form *f, long long *id,
                     struct store_error *err)
{
	struct save sv = {.s = s, .err = err, .f = f};
	engine_explain_init(&sv.ex);
	err->message[0] = '\0';
	err->sqlstate[0] = '\0';
	bool ok = store_begin(s, err) &&
	          save_in_transaction(&sv, operator_login, id) &&
	          store_commit(s, err);
	if (!ok)
		store_rollback(s);
	engine_explain_free(&sv.ex);
	engine_world_free(sv.w);
	store_ids_free(&sv.ids);
	store_user_form_free(&sv.before);
	free(sv.old_specs);
	free(sv.new_specs);
	return ok;
}

bool store_user_queue_registration(struct store *s, const char *operator_login,
                                   const char *login, struct store_error *err)
{
	struct save sv = {.s = s, .err = err};
	engine_explain_init(&sv.ex);
	bool ok = store_begin(s, err);
	if (ok) {
		sv.w = store_load_world(s, STORE_LOAD_BASE, &sv.ids, err);
		const char *who[] = {operator_login, login};
		ok = sv.w && store_load_users(s, sv.w, &sv.ids, who, 2, err);
	}
	if (ok) {
		int op = engine_user_find(sv.w, operator_login);
		int v = engine_user_find(sv.w, login);
		if (op < 0 || v < 0) {
			store_fail(err, "", "no user \"%s\"",
			           op < 0 ? operator_login : login);
			ok = false;
		} else if (!engine_may_manage_user(sv.w, op, v, &sv.ex)) {
			ok = refused(sv.w, &sv.ex,
			             "resend the registration email", err);
		}
	}
	const char *p[] = {login, operator_login};
	ok = ok &&
	     store_run(s,
	               "INSERT INTO registration_emails (user_id, email, "
	               "queued_by) SELECT id, email, $2 FROM users WHERE login "
	               "= $1",
	               2, p, err) &&
	     store_run(s,
	               "INSERT INTO audit (operator, action, target_kind, "
	               "target, after, org_ids) SELECT $2, "
	               "'resend-registration', 'user', login, "
	               "jsonb_build_object('email', email), user_org_ids(id) "
	               "FROM users WHERE login = $1",
	               2, p, err) &&
	     store_commit(s, err);
	if (!ok)
		store_rollback(s);
	engine_explain_free(&sv.ex);
	engine_world_free(sv.w);
	store_ids_free(&sv.ids);
	return ok;
}

/* Lower-case ASCII letters of s, at most n, padded with 'x'. */
static void letters(const char *s, int n, char *out)
{
	int k = 0;
	for (; *s && k < n; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z')
			out[k++] = c;
	}
	while (k < n)
		out[k++] = 'x';
	out[k] = '\0';
}

bool store_user_new_login(struct store *s, const char *first, const char *last,
                          char *buf, size_t len, struct store_error *err)
{
	char a[2], b[3], base[8];
	letters(first, 1, a);
	letters(last, 2, b);
	snprintf(base, sizeof base, "%s%s", a, b);
	const char *p[] = {base};
	PGresult *r = store_exec(s,
	                         "SELECT n FROM generate_series(100, 999) n "
	                         "WHERE NOT EXISTS (SELECT 1 FROM users WHERE "
	                         "login = $1 || n) ORDER BY random() LIMIT 1",
	                         1, p, PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	bool ok = PQntuples(r) == 1;
	if (ok)
		snprintf(buf, len, "%s%s", base, PQgetvalue(r, 0, 0));
	else
		store_fail(err, "", "every User ID %s100-%s999 is taken", base,
		           base);
	PQclear(r);
	return ok;
}
