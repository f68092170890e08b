/* users.c: reading a user for the User Details form and saving it. A save
 * (of the form, or of one grant from the command line) is a change on the
 * one change path (change.c): lock the user and check the version the form
 * was read at, decide every difference with the engine on the snapshot
 * read inside the transaction (access-model.md section 5), write, audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/store.h"

/* ---- lists ------------------------------------------------------------ */

bool store_names_add(char ***v, int *n, const char *name)
{
	char *copy = strdup(name ? name : "");
	char **grown = copy ? realloc(*v, ((size_t)*n + 1) * sizeof **v) : NULL;
	if (!grown) {
		free(copy);
		return false;
	}
	grown[(*n)++] = copy;
	*v = grown;
	return true;
}

void store_names_remove(char **v, int *n, int i)
{
	if (i < 0 || i >= *n)
		return;
	free(v[i]);
	memmove(v + i, v + i + 1, (size_t)(*n - i - 1) * sizeof *v);
	(*n)--;
}

void store_names_free(char ***v, int *n)
{
	for (int i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

int store_names_find(char *const *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return i;
	return -1;
}

static bool names_copy(char ***dst, int *nd, char *const *src, int ns)
{
	*dst = NULL;
	*nd = 0;
	for (int i = 0; i < ns; i++)
		if (!store_names_add(dst, nd, src[i]))
			return false;
	return true;
}

bool store_user_add_site(struct store_user_form *f, const char *site,
                         bool recruitment_only)
{
	struct store_site_form *grown =
	    realloc(f->sites, ((size_t)f->n_sites + 1) * sizeof *f->sites);
	if (!grown)
		return false;
	f->sites = grown;
	struct store_site_form *sf = &f->sites[f->n_sites++];
	snprintf(sf->site, sizeof sf->site, "%s", site);
	sf->recruitment_only = recruitment_only;
	return true;
}

void store_user_remove_site(struct store_user_form *f, int i)
{
	if (i < 0 || i >= f->n_sites)
		return;
	memmove(f->sites + i, f->sites + i + 1,
	        (size_t)(f->n_sites - i - 1) * sizeof *f->sites);
	f->n_sites--;
}

void store_grant_form_free(struct store_grant_form *g)
{
	store_names_free(&g->roles, &g->n_roles);
	store_names_free(&g->clusters, &g->n_clusters);
}

bool store_grant_form_copy(struct store_grant_form *dst,
                           const struct store_grant_form *src)
{
	*dst = *src;
	bool ok =
	    names_copy(&dst->roles, &dst->n_roles, src->roles, src->n_roles);
	ok = names_copy(&dst->clusters, &dst->n_clusters, src->clusters,
	                src->n_clusters) &&
	     ok;
	return ok;
}

/* Appends a grant (a copy); false on allocation failure. */
static bool add_grant(struct store_user_form *f,
                      const struct store_grant_form *g)
{
	struct store_grant_form *grown =
	    realloc(f->grants, ((size_t)f->n_grants + 1) * sizeof *f->grants);
	if (!grown)
		return false;
	f->grants = grown;
	bool ok = store_grant_form_copy(&f->grants[f->n_grants], g);
	f->n_grants++; /* freed with the form even when half-copied */
	return ok;
}

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
	for (int g = 0; g < f->n_grants; g++)
		store_grant_form_free(&f->grants[g]);
	free(f->grants);
	store_names_free(&f->profile_roles, &f->n_profile_roles);
	free(f->sites);
	store_names_free(&f->studies, &f->n_studies);
	*f = (struct store_user_form){0};
}

bool store_user_form_copy(struct store_user_form *dst,
                          const struct store_user_form *src)
{
	*dst = (struct store_user_form){
	    .id = src->id,
	    .version = src->version,
	    .enabled = src->enabled,
	    .login = dup0(src->login),
	    .title = dup0(src->title),
	    .first_name = dup0(src->first_name),
	    .last_name = dup0(src->last_name),
	    .email = dup0(src->email),
	    .work_phone = dup0(src->work_phone),
	    .mobile_phone = dup0(src->mobile_phone),
	    .created = dup0(src->created),
	};
	bool ok = dst->login && dst->title && dst->first_name &&
	          dst->last_name && dst->email && dst->work_phone &&
	          dst->mobile_phone && dst->created;
	for (int g = 0; ok && g < src->n_grants; g++)
		ok = add_grant(dst, &src->grants[g]);
	for (int i = 0; ok && i < src->n_sites; i++)
		ok = store_user_add_site(dst, src->sites[i].site,
		                         src->sites[i].recruitment_only);
	ok = ok &&
	     names_copy(&dst->profile_roles, &dst->n_profile_roles,
	                src->profile_roles, src->n_profile_roles) &&
	     names_copy(&dst->studies, &dst->n_studies, src->studies,
	                src->n_studies);
	return ok;
}

/* ---- reading ---------------------------------------------------------- */

static PGresult *query1(struct store *s, const char *sql, const char *arg,
                        struct store_error *err)
{
	const char *p[] = {arg};
	return store_exec(s, sql, 1, p, PGRES_TUPLES_OK, err);
}

/* Appends column col of every row; false on allocation failure. */
static bool take_names(const PGresult *r, int col, char ***dst, int *n)
{
	for (int i = 0; i < PQntuples(r); i++)
		if (!store_names_add(dst, n, PQgetvalue(r, i, col)))
			return false;
	return true;
}

/* The grants and their lists, in stored order: four queries whatever the
 * number of grants; each list's rows are sorted by grant id, as the grants
 * are, so one pass over each gives every grant its items. */
static bool read_grants(struct store *s, struct store_user_form *f,
                        const char *uid, struct store_error *err)
{
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
	                         "g.id = gp.grant_id WHERE g.user_id = $1 "
	                         "ORDER BY gp.grant_id",
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
	bool ok = c != NULL;
	int kr = 0, kp = 0, kc = 0;
	for (int i = 0; ok && i < PQntuples(g); i++) {
		long long gid = strtoll(PQgetvalue(g, i, 0), NULL, 10);
		struct store_grant_form gf = {0};
		snprintf(gf.org, sizeof gf.org, "%s", PQgetvalue(g, i, 1));
		for (; ok && kr < PQntuples(r) &&
		       strtoll(PQgetvalue(r, kr, 0), NULL, 10) == gid;
		     kr++)
			ok = store_names_add(&gf.roles, &gf.n_roles,
			                     PQgetvalue(r, kr, 1));
		for (; ok && kc < PQntuples(c) &&
		       strtoll(PQgetvalue(c, kc, 0), NULL, 10) == gid;
		     kc++)
			ok = store_names_add(&gf.clusters, &gf.n_clusters,
			                     PQgetvalue(c, kc, 1));
		for (; kp < PQntuples(p) &&
		       strtoll(PQgetvalue(p, kp, 0), NULL, 10) == gid;
		     kp++) {
			int pt = engine_payment_find(PQgetvalue(p, kp, 1));
			if (pt >= 0)
				gf.payments |= ENGINE_PAY(pt);
		}
		/* the form takes over gf's lists */
		struct store_grant_form *grown =
		    ok ? realloc(f->grants,
		                 ((size_t)f->n_grants + 1) * sizeof *f->grants)
		       : NULL;
		if (grown) {
			f->grants = grown;
			f->grants[f->n_grants++] = gf;
		} else {
			store_grant_form_free(&gf);
			ok = false;
		}
	}
	if (c && !ok)
		store_fail(err, "", "out of memory");
	PQclear(g);
	PQclear(r);
	PQclear(p);
	PQclear(c);
	return ok;
}

static bool read_profile(struct store *s, struct store_user_form *f,
                         const char *uid, struct store_error *err)
{
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
	bool ok = st &&
	          take_names(pr, 0, &f->profile_roles, &f->n_profile_roles) &&
	          take_names(st, 0, &f->studies, &f->n_studies);
	for (int i = 0; ok && i < PQntuples(sr); i++)
		ok = store_user_add_site(f, PQgetvalue(sr, i, 0),
		                         PQgetvalue(sr, i, 1)[0] == 't');
	if (st && !ok)
		store_fail(err, "", "out of memory");
	PQclear(pr);
	PQclear(sr);
	PQclear(st);
	return ok;
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
	PQclear(u);
	char uid[24];
	snprintf(uid, sizeof uid, "%lld", f->id);
	bool ok = f->login && f->title && f->first_name && f->last_name &&
	          f->email && f->work_phone && f->mobile_phone && f->created;
	if (!ok)
		store_fail(err, "", "out of memory");
	if (ok && read_grants(s, f, uid, err) && read_profile(s, f, uid, err))
		return true;
	store_user_form_free(f);
	return false;
}

/* ---- deciding --------------------------------------------------------- */

void store_spec_buf_free(struct store_spec_buf *b)
{
	free(b->roles);
	free(b->clusters);
	*b = (struct store_spec_buf){0};
}

bool store_grant_spec(const struct engine_world *w,
                      const struct store_grant_form *g,
                      struct store_spec_buf *b, struct store_error *err)
{
	*b = (struct store_spec_buf){0};
	b->spec.org = engine_org_find(w, g->org);
	if (b->spec.org < 0) {
		store_fail(err, "", "no organisation \"%s\"", g->org);
		return false;
	}
	b->roles = malloc(((size_t)g->n_roles + 1) * sizeof *b->roles);
	b->clusters = malloc(((size_t)g->n_clusters + 1) * sizeof *b->clusters);
	if (!b->roles || !b->clusters) {
		store_spec_buf_free(b);
		store_fail(err, "", "out of memory");
		return false;
	}
	for (int i = 0; i < g->n_roles; i++) {
		b->roles[i] = engine_role_find(w, g->roles[i]);
		if (b->roles[i] < 0) {
			store_fail(err, "", "no role \"%s\"", g->roles[i]);
			store_spec_buf_free(b);
			return false;
		}
	}
	for (int i = 0; i < g->n_clusters; i++) {
		b->clusters[i] = engine_cluster_find(w, g->clusters[i]);
		if (b->clusters[i] < 0) {
			store_fail(err, "", "no cluster \"%s\"",
			           g->clusters[i]);
			store_spec_buf_free(b);
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

/* The same set of names, whatever the order. */
static bool same_names(char *const *a, int na, char *const *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (store_names_find(b, nb, a[i]) < 0)
			return false;
	return true;
}

static bool same_grant(const struct store_grant_form *a,
                       const struct store_grant_form *b)
{
	return a->payments == b->payments &&
	       same_names(a->roles, a->n_roles, b->roles, b->n_roles) &&
	       same_names(a->clusters, a->n_clusters, b->clusters,
	                  b->n_clusters);
}

static bool same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool same_profile(const struct store_user_form *a,
                         const struct store_user_form *b)
{
	if (!same_names(a->profile_roles, a->n_profile_roles, b->profile_roles,
	                b->n_profile_roles) ||
	    a->n_sites != b->n_sites || a->n_studies != b->n_studies)
		return false;
	for (int i = 0; i < a->n_sites; i++)
		if (strcasecmp(a->sites[i].site, b->sites[i].site) != 0 ||
		    a->sites[i].recruitment_only !=
		        b->sites[i].recruitment_only)
			return false;
	for (int i = 0; i < a->n_studies; i++)
		if (strcmp(a->studies[i], b->studies[i]) != 0)
			return false;
	return true;
}

static int find_form_grant(const struct store_user_form *f, const char *org)
{
	for (int i = 0; i < f->n_grants; i++)
		if (strcasecmp(f->grants[i].org, org) == 0)
			return i;
	return -1;
}

const struct store_grant_form *store_user_grant(const struct store_user_form *f,
                                                const char *org)
{
	int i = find_form_grant(f, org);
	return i >= 0 ? &f->grants[i] : NULL;
}

/* A save: of the form (in), or of one grant of an existing user (login,
 * org, grant: NULL revokes). */
struct save {
	const struct store_user_form *in;
	const char *login, *org;
	const struct store_grant_form *grant;
	/* read again by each attempt, in the transaction */
	struct store_user_form before;   /* as the database holds it */
	struct store_user_form built;    /* a grant save: before, with the grant
	                                    set or revoked */
	const struct store_user_form *f; /* as it will be: in or &built */
	struct store_spec_buf *old_specs, *new_specs;
	int n_old, n_new;
	struct engine_explain ex;
	long long id; /* the user's database id */
	int op, v;
	bool changed;
};

static void save_reset(struct save *sv)
{
	store_user_form_free(&sv->before);
	store_user_form_free(&sv->built);
	for (int i = 0; i < sv->n_old; i++)
		store_spec_buf_free(&sv->old_specs[i]);
	for (int i = 0; i < sv->n_new; i++)
		store_spec_buf_free(&sv->new_specs[i]);
	free(sv->old_specs);
	free(sv->new_specs);
	sv->old_specs = sv->new_specs = NULL;
	sv->n_old = sv->n_new = 0;
	sv->f = sv->in;
	engine_explain_reset(&sv->ex);
}

/* before with the grant at org set to g (added when absent) or, g NULL,
 * revoked. */
static bool build_grant_change(struct save *sv, struct store_error *err)
{
	struct store_user_form *b = &sv->built;
	if (!store_user_form_copy(b, &sv->before)) {
		store_fail(err, "", "out of memory");
		return false;
	}
	int at = find_form_grant(b, sv->org);
	if (at < 0 && !sv->grant) {
		store_fail(err, "", "%s holds no grant at \"%s\"", sv->login,
		           sv->org);
		return false;
	}
	if (at >= 0 && sv->grant && same_grant(&b->grants[at], sv->grant)) {
		sv->changed = false;
	} else if (at >= 0) {
		/* replaced or revoked in place: the stored order stays */
		store_grant_form_free(&b->grants[at]);
		memmove(b->grants + at, b->grants + at + 1,
		        (size_t)(b->n_grants - at - 1) * sizeof *b->grants);
		b->n_grants--;
		if (sv->grant && !add_grant(b, sv->grant)) {
			store_fail(err, "", "out of memory");
			return false;
		}
		if (sv->grant) { /* back to its place */
			struct store_grant_form g = b->grants[b->n_grants - 1];
			memmove(b->grants + at + 1, b->grants + at,
			        (size_t)(b->n_grants - 1 - at) *
			            sizeof *b->grants);
			b->grants[at] = g;
		}
	} else if (!add_grant(b, sv->grant)) {
		store_fail(err, "", "out of memory");
		return false;
	}
	sv->f = b;
	return true;
}

static bool save_lock(struct store_tx *tx, void *ctx)
{
	struct save *sv = ctx;
	struct store_error *err = store_tx_err(tx);
	save_reset(sv);
	sv->changed = true;
	const char *login = sv->in ? sv->in->login : sv->login;
	if (sv->in && sv->in->id == 0) {
		sv->before.login = dup0(login);
		sv->before.enabled = sv->in->enabled;
		if (!sv->before.login) {
			store_fail(err, "", "out of memory");
			return false;
		}
		sv->id = 0;
		return true;
	}
	if (!store_tx_lock_user(tx, login, sv->in ? sv->in->version : 0,
	                        &sv->id))
		return false;
	if (sv->in && sv->id != sv->in->id) {
		store_fail(err, "", "a user ID cannot be changed");
		return false;
	}
	if (!store_user_read(store_tx_store(tx), login, &sv->before, err))
		return false;
	return sv->in || build_grant_change(sv, err);
}

static bool save_need(struct store_tx *tx, void *ctx)
{
	struct save *sv = ctx;
	const struct store_user_form *f = sv->f;
	bool ok = sv->id == 0 || store_tx_need_user(tx, f->login);
	for (int i = 0; ok && i < f->n_grants; i++) {
		ok = store_tx_need_org(tx, f->grants[i].org);
		for (int k = 0; ok && k < f->grants[i].n_clusters; k++)
			ok =
			    store_tx_need_cluster(tx, f->grants[i].clusters[k]);
	}
	for (int i = 0; ok && i < f->n_sites; i++)
		ok = store_tx_need_org(tx, f->sites[i].site);
	for (int i = 0; ok && i < f->n_studies; i++)
		ok = store_tx_need_study(tx, f->studies[i]);
	return ok;
}

/* Asks the engine about every difference between before and the form. */
static bool decide_grants(struct store_tx *tx, struct save *sv)
{
	const struct engine_world *w = store_tx_world(tx);
	struct store_error *err = store_tx_err(tx);
	const struct store_user_form *f = sv->f, *b = &sv->before;
	bool is_new = sv->id == 0;
	struct engine_explain *ex = &sv->ex;
	int op = sv->op, v = sv->v;
	sv->old_specs = calloc((size_t)b->n_grants + 1, sizeof *sv->old_specs);
	sv->new_specs = calloc((size_t)f->n_grants + 1, sizeof *sv->new_specs);
	if (!sv->old_specs || !sv->new_specs) {
		store_fail(err, "", "out of memory");
		return false;
	}
	for (; sv->n_old < b->n_grants; sv->n_old++)
		if (!store_grant_spec(w, &b->grants[sv->n_old],
		                      &sv->old_specs[sv->n_old], err))
			return false;
	for (; sv->n_new < f->n_grants; sv->n_new++)
		if (!store_grant_spec(w, &f->grants[sv->n_new],
		                      &sv->new_specs[sv->n_new], err))
			return false;
	if (is_new && !engine_may_create_user(w, op, f->n_grants, ex))
		return store_tx_refuse(tx, ex, "create a user");
	bool contact = !same_str(f->title, b->title) ||
	               !same_str(f->first_name, b->first_name) ||
	               !same_str(f->last_name, b->last_name) ||
	               !same_str(f->email, b->email) ||
	               !same_str(f->work_phone, b->work_phone) ||
	               !same_str(f->mobile_phone, b->mobile_phone);
	if (!is_new && contact && !engine_may_edit_contact(w, op, v, ex))
		return store_tx_refuse(tx, ex, "change contact details");
	if (!is_new && f->enabled != b->enabled &&
	    !engine_may_manage_user(w, op, v, ex))
		return store_tx_refuse(tx, ex,
		                       f->enabled ? "enable" : "disable");
	bool grants_changed = f->n_grants != b->n_grants;
	for (int i = 0; i < b->n_grants; i++) {
		int j = find_form_grant(f, b->grants[i].org);
		if (j >= 0 && same_grant(&b->grants[i], &f->grants[j]))
			continue;
		grants_changed = true;
		if (!engine_may_change_grant(
		        w, op, v, is_new, &sv->old_specs[i].spec,
		        j >= 0 ? &sv->new_specs[j].spec : NULL, ex))
			return store_tx_refuse(tx, ex,
			                       j >= 0 ? "change this grant"
			                              : "revoke this grant");
	}
	for (int j = 0; j < f->n_grants; j++) {
		if (find_form_grant(b, f->grants[j].org) >= 0)
			continue;
		grants_changed = true;
		if (!engine_may_change_grant(w, op, is_new ? -1 : v, is_new,
		                             NULL, &sv->new_specs[j].spec, ex))
			return store_tx_refuse(tx, ex, "add this grant");
	}
	if ((grants_changed || f->enabled != b->enabled) && !is_new) {
		struct engine_grant_spec *specs =
		    malloc(((size_t)f->n_grants + 1) * sizeof *specs);
		if (!specs) {
			store_fail(err, "", "out of memory");
			return false;
		}
		for (int j = 0; j < f->n_grants; j++)
			specs[j] = sv->new_specs[j].spec;
		bool keeps = engine_keeps_root_admin(w, v, f->enabled, specs,
		                                     f->n_grants, ex);
		free(specs);
		if (!keeps)
			return store_tx_refuse(tx, ex, "save");
	}
	return true;
}

/* Appends the engine ids of the names of x missing from y; false, saying
 * which, for a name the world does not know. */
static bool names_not_in(struct store_tx *tx, char *const *x, int nx,
                         char *const *y, int ny,
                         int (*find)(const struct engine_world *, const char *),
                         const char *what, int *out, int *n)
{
	for (int i = 0; i < nx; i++) {
		int id = find(store_tx_world(tx), x[i]);
		if (id < 0) {
			store_fail(store_tx_err(tx), "", "no %s \"%s\"", what,
			           x[i]);
			return false;
		}
		if (store_names_find(y, ny, x[i]) < 0)
			out[(*n)++] = id;
	}
	return true;
}

/* Appends the sites of x that y lacks or holds with another recruitment
 * restriction. */
static bool sites_not_in(struct store_tx *tx, const struct store_user_form *x,
                         const struct store_user_form *y, int *out, int *n)
{
	for (int i = 0; i < x->n_sites; i++) {
		bool same = false;
		for (int j = 0; j < y->n_sites && !same; j++)
			same = strcasecmp(x->sites[i].site, y->sites[j].site) ==
			           0 &&
			       x->sites[i].recruitment_only ==
			           y->sites[j].recruitment_only;
		int o = engine_org_find(store_tx_world(tx), x->sites[i].site);
		if (o < 0) {
			store_fail(store_tx_err(tx), "", "no site \"%s\"",
			           x->sites[i].site);
			return false;
		}
		if (!same)
			out[(*n)++] = o;
	}
	return true;
}

/* A new user is put in the snapshot with its grants, so that "every
 * organisation where V holds a grant" means the new ones. */
static bool add_new_user(struct store_tx *tx, struct save *sv)
{
	struct engine_world *w = store_tx_world(tx);
	const struct store_user_form *f = sv->f;
	enum engine_err e = engine_user_add(w, f->login, "", "", true, &sv->v);
	for (int j = 0; e == ENGINE_OK && j < f->n_grants; j++) {
		const struct engine_grant_spec *g = &sv->new_specs[j].spec;
		e = engine_grant_add(w, sv->v, g->org, g->roles, g->n_roles,
		                     g->payments, g->clusters, g->n_clusters,
		                     NULL);
	}
	if (e == ENGINE_OK)
		return true;
	/* never decide on a world that lacks what the user is given */
	store_fail(store_tx_err(tx), e == ENGINE_ENOMEM ? "" : STORE_INVALID,
	           "user ID \"%s\": %s", f->login, engine_strerror(e));
	return false;
}

static bool decide_profile(struct store_tx *tx, struct save *sv)
{
	const struct store_user_form *f = sv->f, *b = &sv->before;
	if (same_profile(f, b))
		return true;
	size_t cap = (size_t)f->n_profile_roles + (size_t)b->n_profile_roles +
	             (size_t)f->n_sites + (size_t)b->n_sites +
	             (size_t)f->n_studies + (size_t)b->n_studies + 1;
	int *ids = malloc(cap * sizeof *ids);
	if (!ids) {
		store_fail(store_tx_err(tx), "", "out of memory");
		return false;
	}
	int *roles = ids, nr = 0;
	int *sites = roles + f->n_profile_roles + b->n_profile_roles, ns = 0;
	int *studies = sites + f->n_sites + b->n_sites, nt = 0;
	/* what was added (in the form, not before), then what was removed */
	bool ok = true;
	for (int pass = 0; ok && pass < 2; pass++) {
		const struct store_user_form *x = pass ? b : f,
		                             *y = pass ? f : b;
		ok = names_not_in(tx, x->profile_roles, x->n_profile_roles,
		                  y->profile_roles, y->n_profile_roles,
		                  engine_role_find, "role", roles, &nr) &&
		     names_not_in(tx, x->studies, x->n_studies, y->studies,
		                  y->n_studies, engine_study_find, "study",
		                  studies, &nt) &&
		     sites_not_in(tx, x, y, sites, &ns);
	}
	if (ok && nr + ns + nt > 0) {
		struct engine_profile_change chg = {roles, nr,      sites,
		                                    ns,    studies, nt};
		ok = (sv->id != 0 || add_new_user(tx, sv));
		if (ok &&
		    !engine_may_edit_profile(store_tx_world(tx), sv->op, sv->v,
		                             sv->id == 0, &chg, &sv->ex))
			ok = store_tx_refuse(tx, &sv->ex,
			                     "change the study profile");
	}
	free(ids);
	return ok;
}

bool store_user_form_differs(const struct store_user_form *f,
                             const struct store_user_form *b)
{
	if (!same_str(f->title, b->title) ||
	    !same_str(f->first_name, b->first_name) ||
	    !same_str(f->last_name, b->last_name) ||
	    !same_str(f->email, b->email) ||
	    !same_str(f->work_phone, b->work_phone) ||
	    !same_str(f->mobile_phone, b->mobile_phone) ||
	    f->enabled != b->enabled || f->n_grants != b->n_grants ||
	    !same_profile(f, b))
		return true;
	for (int i = 0; i < b->n_grants; i++) {
		int j = find_form_grant(f, b->grants[i].org);
		if (j < 0 || !same_grant(&b->grants[i], &f->grants[j]))
			return true;
	}
	return false;
}

/* Nothing to change still needs the right to make the change: a grant set
 * as it is needs what setting it would (so an answer of "nothing to
 * change" tells no one about a user or grant they could not touch); an
 * unchanged form, that the operator sees the user. */
static bool decide_unchanged(struct store_tx *tx, struct save *sv)
{
	const struct engine_world *w = store_tx_world(tx);
	int at = sv->grant ? find_form_grant(sv->f, sv->org) : -1;
	struct store_spec_buf b = {0};
	bool ok;
	if (at >= 0) {
		if (!store_grant_spec(w, &sv->f->grants[at], &b,
		                      store_tx_err(tx)))
			return false;
		ok = engine_may_change_grant(w, sv->op, sv->v, false, &b.spec,
		                             &b.spec, &sv->ex) ||
		     store_tx_refuse(tx, &sv->ex, "change this grant");
		store_spec_buf_free(&b);
		return ok;
	}
	return engine_may_see_user(w, sv->op, sv->v, &sv->ex) ||
	       store_tx_refuse(tx, &sv->ex, "see this user");
}

static bool save_decide(struct store_tx *tx, void *ctx)
{
	struct save *sv = ctx;
	sv->op = store_tx_op(tx);
	sv->v =
	    sv->id ? engine_user_find(store_tx_world(tx), sv->f->login) : -1;
	store_tx_set_user(tx, sv->v);
	if (sv->id && sv->changed)
		sv->changed = store_user_form_differs(sv->f, &sv->before);
	if (!sv->changed)
		return decide_unchanged(tx, sv);
	return decide_grants(tx, sv) && decide_profile(tx, sv);
}

/* ---- writing ---------------------------------------------------------- */

/* Inserts a list's rows ($1 the owner, $2 an item's name, $3 its
 * position): the statement finds each item by its name. */
static bool insert_named(struct store_tx *tx, const char *sql,
                         const char *owner, char *const *names, int n)
{
	char pos[16];
	for (int i = 0; i < n; i++) {
		snprintf(pos, sizeof pos, "%d", i);
		const char *p[] = {owner, names[i], pos};
		if (!store_tx_run(tx, sql, 3, p))
			return false;
	}
	return true;
}

static bool write_grant_items(struct store_tx *tx, const char *gid,
                              const struct store_grant_form *g)
{
	const char *q[] = {gid};
	if (!store_tx_run(tx, "DELETE FROM grant_roles WHERE grant_id = $1", 1,
	                  q) ||
	    !store_tx_run(tx,
	                  "DELETE FROM grant_payment_types WHERE grant_id = "
	                  "$1",
	                  1, q) ||
	    !store_tx_run(tx, "DELETE FROM grant_clusters WHERE grant_id = $1",
	                  1, q) ||
	    !insert_named(tx,
	                  "INSERT INTO grant_roles (grant_id, role_id, "
	                  "position) SELECT $1, id, $3 FROM roles WHERE name "
	                  "= $2",
	                  gid, g->roles, g->n_roles))
		return false;
	for (int t = 0; t < PAY_COUNT; t++) {
		if (!(g->payments & ENGINE_PAY(t)))
			continue;
		const char *p[] = {gid, engine_payment_name(t)};
		if (!store_tx_run(tx,
		                  "INSERT INTO grant_payment_types (grant_id, "
		                  "payment_type) VALUES ($1, $2)",
		                  2, p))
			return false;
	}
	return insert_named(tx,
	                    "INSERT INTO grant_clusters (grant_id, cluster_id, "
	                    "position) SELECT $1, id, $3 FROM clusters WHERE "
	                    "short_name = $2",
	                    gid, g->clusters, g->n_clusters);
}

/* Grants: revoked ones deleted, changed ones rewritten in place (so their
 * id, the stored order, stays), new ones appended, the rest untouched. */
static bool write_grants(struct store_tx *tx, struct save *sv, const char *uid)
{
	const struct store_user_form *f = sv->f, *b = &sv->before;
	for (int i = 0; i < b->n_grants; i++) {
		const char *org = b->grants[i].org;
		if (find_form_grant(f, org) >= 0)
			continue;
		const char *p[] = {uid, org};
		if (!store_tx_run(
		        tx,
		        "DELETE FROM grants WHERE user_id = $1 AND "
		        "org_id = (SELECT id FROM organisations WHERE "
		        "lower(code) = lower($2))",
		        2, p))
			return false;
	}
	for (int j = 0; j < f->n_grants; j++) {
		const struct store_grant_form *g = &f->grants[j];
		int i = find_form_grant(b, g->org);
		if (i >= 0 && same_grant(&b->grants[i], g))
			continue;
		const char *p[] = {uid, g->org};
		PGresult *r = store_tx_exec(
		    tx,
		    "WITH o AS (SELECT id FROM organisations WHERE "
		    "lower(code) = lower($2)), old AS (SELECT g.id FROM "
		    "grants g, o WHERE g.user_id = $1 AND g.org_id = o.id), "
		    "ins AS (INSERT INTO grants (user_id, org_id) SELECT "
		    "$1, o.id FROM o WHERE NOT EXISTS (SELECT 1 FROM old) "
		    "RETURNING id) SELECT id FROM old UNION ALL SELECT id "
		    "FROM ins",
		    2, p);
		if (!r)
			return false;
		if (PQntuples(r) != 1) {
			PQclear(r);
			store_fail(store_tx_err(tx), "",
			           "no organisation \"%s\"", g->org);
			return false;
		}
		char gid[24];
		snprintf(gid, sizeof gid, "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		if (!write_grant_items(tx, gid, g))
			return false;
	}
	return true;
}

static bool write_profile(struct store_tx *tx, struct save *sv, const char *uid)
{
	const struct store_user_form *f = sv->f;
	if (same_profile(f, &sv->before))
		return true;
	const char *q[] = {uid};
	if (!store_tx_run(tx, "DELETE FROM profile_roles WHERE user_id = $1", 1,
	                  q) ||
	    !store_tx_run(
	        tx, "DELETE FROM site_restrictions WHERE user_id = $1", 1, q) ||
	    !store_tx_run(tx,
	                  "DELETE FROM restricted_studies WHERE user_id = $1",
	                  1, q) ||
	    !insert_named(tx,
	                  "INSERT INTO profile_roles (user_id, role_id, "
	                  "position) SELECT $1, id, $3 FROM roles WHERE name "
	                  "= $2",
	                  uid, f->profile_roles, f->n_profile_roles))
		return false;
	char pos[16];
	for (int i = 0; i < f->n_sites; i++) {
		snprintf(pos, sizeof pos, "%d", i);
		const char *p[] = {
		    uid, f->sites[i].site,
		    f->sites[i].recruitment_only ? "true" : "false", pos};
		if (!store_tx_run(tx,
		                  "INSERT INTO site_restrictions (user_id, "
		                  "site_id, recruitment_only, position) SELECT "
		                  "$1, id, $3, $4 FROM organisations WHERE "
		                  "lower(code) = lower($2)",
		                  4, p))
			return false;
	}
	return insert_named(tx,
	                    "INSERT INTO restricted_studies (user_id, "
	                    "study_id, position) SELECT $1, id, $3 FROM "
	                    "studies WHERE code = $2",
	                    uid, f->studies, f->n_studies);
}

static bool save_write(struct store_tx *tx, void *ctx)
{
	struct save *sv = ctx;
	const struct store_user_form *f = sv->f;
	if (!sv->changed) {
		store_tx_unchanged(tx);
		return true;
	}
	char uid[24] = "";
	if (sv->id)
		snprintf(uid, sizeof uid, "%lld", sv->id);
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
	/* an update always writes the row, so its version moves even when
	 * only grants or the profile changed */
	PGresult *r =
	    sv->id ? store_tx_exec(tx,
	                           "UPDATE users SET title = $2, first_name = "
	                           "$3, last_name = $4, email = $5, work_phone "
	                           "= $6, mobile_phone = $7, enabled = $8 "
	                           "WHERE id = $9 AND login = $1 RETURNING id",
	                           9, u)
	           : store_tx_exec(tx,
	                           "INSERT INTO users (login, title, "
	                           "first_name, last_name, email, work_phone, "
	                           "mobile_phone, enabled) VALUES ($1, $2, $3, "
	                           "$4, $5, $6, $7, $8) RETURNING id",
	                           8, u);
	if (!r) {
		/* two operators creating the same User ID at once */
		if (!sv->id && strcmp(store_tx_err(tx)->sqlstate, "23505") == 0)
			store_fail(store_tx_err(tx), STORE_CONFLICT,
			           "User ID \"%s\" was taken by another user "
			           "after this form was read",
			           f->login);
		return false;
	}
	bool one = PQntuples(r) == 1;
	if (one) {
		snprintf(uid, sizeof uid, "%s", PQgetvalue(r, 0, 0));
		sv->id = strtoll(uid, NULL, 10);
	} else {
		store_fail(store_tx_err(tx), "", "no user \"%s\"", f->login);
	}
	PQclear(r);
	return one && write_grants(tx, sv, uid) && write_profile(tx, sv, uid);
}

static bool save(struct store *s, const char *operator_login, struct save *sv,
                 enum store_target kind, const char *action, const char *target,
                 struct store_error *err)
{
	engine_explain_init(&sv->ex);
	struct store_change c = {
	    .operator_login = operator_login,
	    .action = action,
	    .kind = kind,
	    .target = target,
	    .ctx = sv,
	    .lock = save_lock,
	    .need = save_need,
	    .decide = save_decide,
	    .write = save_write,
	};
	bool ok = store_change(s, &c, err);
	save_reset(sv);
	engine_explain_free(&sv->ex);
	return ok;
}

bool store_user_save(struct store *s, const char *operator_login,
                     const struct store_user_form *f, long long *id,
                     struct store_error *err)
{
	if (!store_user_form_valid(f, err->message, sizeof err->message)) {
		snprintf(err->sqlstate, sizeof err->sqlstate, STORE_INVALID);
		return false;
	}
	struct save sv = {.in = f};
	bool ok = save(s, operator_login, &sv, STORE_TARGET_USER,
	               f->id ? "update" : "create", f->login, err);
	if (ok)
		*id = sv.id;
	return ok;
}

bool store_grant_save(struct store *s, const char *operator_login,
                      const char *login, const char *org,
                      const struct store_grant_form *g, bool *changed,
                      struct store_error *err)
{
	/* the audit's key names the organisation by its stored code, however
	 * the caller spelt it */
	const char *p[] = {org};
	PGresult *r = store_exec(s,
	                         "SELECT code FROM organisations WHERE "
	                         "lower(code) = lower($1)",
	                         1, p, PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	char code[33] = "";
	if (PQntuples(r) == 1)
		snprintf(code, sizeof code, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!code[0]) {
		store_fail(err, "", "no organisation \"%s\"", org);
		return false;
	}
	char target[160];
	snprintf(target, sizeof target, "%s/%s", login, code);
	struct save sv = {.login = login, .org = code, .grant = g};
	bool ok = save(s, operator_login, &sv, STORE_TARGET_GRANT,
	               g ? "set" : "revoke", target, err);
	*changed = ok && sv.changed;
	return ok;
}

/* ---- Resend Registration Email ---------------------------------------- */

struct resend {
	const char *login;
	long long id;
};

static bool resend_lock(struct store_tx *tx, void *ctx)
{
	struct resend *r = ctx;
	return store_tx_lock_user(tx, r->login, 0, &r->id);
}

static bool resend_need(struct store_tx *tx, void *ctx)
{
	return store_tx_need_user(tx, ((struct resend *)ctx)->login);
}

static bool resend_decide(struct store_tx *tx, void *ctx)
{
	struct resend *r = ctx;
	struct engine_explain ex;
	engine_explain_init(&ex);
	const struct engine_world *w = store_tx_world(tx);
	int v = engine_user_find(w, r->login);
	store_tx_set_user(tx, v);
	bool ok = engine_may_manage_user(w, store_tx_op(tx), v, &ex) ||
	          store_tx_refuse(tx, &ex, "resend the registration email");
	engine_explain_free(&ex);
	return ok;
}

static bool resend_write(struct store_tx *tx, void *ctx)
{
	struct resend *r = ctx;
	char uid[24];
	snprintf(uid, sizeof uid, "%lld", r->id);
	const char *p[] = {uid, store_tx_operator(tx)};
	return store_tx_run(tx,
	                    "INSERT INTO registration_emails (user_id, email, "
	                    "queued_by) SELECT id, email, $2 FROM users WHERE "
	                    "id = $1",
	                    2, p);
}

bool store_user_queue_registration(struct store *s, const char *operator_login,
                                   const char *login, struct store_error *err)
{
	struct resend r = {.login = login};
	struct store_change c = {
	    .operator_login = operator_login,
	    .action = "resend-registration",
	    .kind = STORE_TARGET_USER,
	    .target = login,
	    .ctx = &r,
	    .lock = resend_lock,
	    .need = resend_need,
	    .decide = resend_decide,
	    .write = resend_write,
	};
	return store_change(s, &c, err);
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
