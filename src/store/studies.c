/* studies.c: tab 4, Study Configure (screens.md "4 Study Configure"), and
 * the settings switches. A study's user access list is read by user id;
 * its changes (Import, Edit, Delete) are each one change on the one change
 * path (change.c): lock the study's row and check its version (the list
 * as read), decide with engine_may_configure_study on the snapshot read in
 * the transaction (access-model.md section 5), write, bump the version,
 * audit. The counts the tab shows before a change (the users the last
 * entry's delete opens the study to, the users a settings switch shuts
 * out) and Import's candidates are decided by the engine on a world of
 * their own: the base (tree, roles, studies, settings) and the users one
 * statement names, a superset of those the rule can let through, so the
 * rule itself lives in the engine alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/text.h"
#include "internal.h"

/* ---- the list ---------------------------------------------------------- */

/* The study, then its entries (a row of NULL for none) in stored order. */
static const char entries_sql[] =
    "SELECT s.version, a.user_id FROM studies s "
    "LEFT JOIN study_access a ON a.study_id = s.id "
    "WHERE s.code = $1 ORDER BY a.position";

bool store_study_entries(struct store *s, const char *code,
                         struct store_study_list *out, struct store_error *err)
{
	*out = (struct store_study_list){0};
	const char *p[] = {code};
	PGresult *r = store_exec_rows(s, "the user access list", entries_sql, 1,
	                              p, 0, err);
	if (!r)
		return false;
	int n = PQntuples(r);
	if (n == 0) {
		PQclear(r);
		store_fail(err, "", "no study \"%s\"", code);
		return false;
	}
	out->version = atoi(PQgetvalue(r, 0, 0));
	if (PQgetisnull(r, 0, 1))
		n = 0;
	out->users = malloc(((size_t)n + 1) * sizeof *out->users);
	if (!out->users) {
		PQclear(r);
		store_fail(err, "", "out of memory");
		return false;
	}
	for (int i = 0; i < n; i++)
		out->users[i] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
	out->n = n;
	PQclear(r);
	return true;
}

void store_study_list_free(struct store_study_list *l)
{
	free(l->users);
	*l = (struct store_study_list){0};
}

void store_user_name_text(const struct engine_user *u, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", u->last_name,
	         u->last_name[0] && u->first_name[0] ? ", " : "",
	         u->first_name);
}

void store_user_sites_text(const struct engine_world *w, int v, char *buf,
                           size_t len)
{
	const struct engine_user *u = engine_user(w, v);
	size_t at = 0;
	buf[0] = '\0';
	for (int i = 0; i < u->n_sites && at < len; i++)
		at += (size_t)snprintf(
		    buf + at, len - at, "%s%s%s", i ? ", " : "",
		    engine_org(w, u->sites[i].site)->code,
		    u->sites[i].recruitment_only ? " (recruitment only)" : "");
}

void store_user_roles_text(const struct engine_world *w, int v, char *buf,
                           size_t len)
{
	const struct engine_user *u = engine_user(w, v);
	size_t at = 0;
	buf[0] = '\0';
	for (int i = 0; i < u->n_profile_roles && at < len; i++)
		at +=
		    (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
		                     engine_role(w, u->profile_roles[i])->name);
}

/* An engine id with its user, compared by Name, then User ID. */
struct user_at {
	const struct engine_user *u;
	int v;
};

static int user_at_order(const void *a, const void *b)
{
	const struct engine_user *x = ((const struct user_at *)a)->u,
	                         *y = ((const struct user_at *)b)->u;
	int d = strcmp(x->last_name, y->last_name);
	if (!d)
		d = strcmp(x->first_name, y->first_name);
	return d ? d : strcmp(x->login, y->login);
}

bool store_users_by_name(const struct engine_world *w, int *users, int n)
{
	if (n < 2)
		return true;
	struct user_at *t = malloc((size_t)n * sizeof *t);
	if (!t)
		return false;
	for (int i = 0; i < n; i++)
		t[i] = (struct user_at){engine_user(w, users[i]), users[i]};
	qsort(t, (size_t)n, sizeof *t, user_at_order);
	for (int i = 0; i < n; i++)
		users[i] = t[i].v;
	free(t);
	return true;
}

/* ---- a world of its own ------------------------------------------------ */

/* Past this many users, a world of every user's study profile (plain
 * scans: 2.6 s and 460 MB at 1,000,000 users) is read sooner than one of
 * the users named (each table probed once an id: 1.1 s for 107,000, 3 s
 * for 250,000, 7 s for 830,000; tests/bench/bench_studies.c). */
#define WORLD_OF_EVERYONE 400000
static int world_of_everyone = WORLD_OF_EVERYONE;

void store_study_set_everyone_at(int n)
{
	world_of_everyone = n > 0 ? n : WORLD_OF_EVERYONE;
}

/* The base and the users whose ids the statement's rows give (its first
 * column), their study profiles and entries (not their grants), in the
 * statement's order into *users (engine ids, *n of them). The caller
 * frees the world, ids and users. */
static struct engine_world *
world_of(struct store *s, const char *what, const char *sql, int n_params,
         const Oid *types, const char *const *params, struct store_ids *ids,
         int **users, int *n, struct store_error *err)
{
	*users = NULL;
	*n = 0;
	*ids = (struct store_ids){0};
	PGresult *r = store_exec_typed(s, sql, n_params, types, params,
	                               PGRES_TUPLES_OK, err);
	if (!r) { /* "what: " before the server's words */
		char state[sizeof err->sqlstate], message[sizeof err->message];
		snprintf(state, sizeof state, "%s", err->sqlstate);
		snprintf(message, sizeof message, "%s", err->message);
		store_fail(err, state, "%s: %s", what, message);
		return NULL;
	}
	int rows = PQntuples(r);
	long long *db = malloc(((size_t)rows + 1) * sizeof *db);
	*users = malloc(((size_t)rows + 1) * sizeof **users);
	struct engine_world *w = NULL;
	bool everyone = rows > world_of_everyone;
	if (!db || !*users)
		store_fail(err, "", "out of memory");
	else
		w = store_load_world(
		    s, everyone ? STORE_LOAD_STUDY : STORE_LOAD_BASE, ids, err);
	for (int i = 0; w && i < rows; i++)
		db[i] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
	PQclear(r);
	if (w && !everyone &&
	    !store_load_study_users_by_id(s, w, ids, db, rows, err)) {
		engine_world_free(w);
		store_ids_free(ids);
		w = NULL;
	}
	for (int i = 0; w && i < rows; i++) {
		int v = store_idmap_find(&ids->user, db[i]);
		if (v >= 0) /* one added since the statement is not there */
			(*users)[(*n)++] = v;
	}
	free(db);
	if (!w) {
		free(*users);
		*users = NULL;
	}
	return w;
}

/* ---- Import's candidates ----------------------------------------------- */

/* $1 the study's code, $2 the site's code, $3 the role's name; a shape
 * uses those its filter names (the others are typed, unused). */
static const Oid candidate_types[] = {25, 25, 25};
#define CANDIDATES_ALL "SELECT u.id FROM users u WHERE u.enabled"
#define CANDIDATES_ROLE                                                        \
	"SELECT u.id FROM profile_roles p "                                    \
	"JOIN roles ro ON ro.id = p.role_id AND ro.name = $3 "                 \
	"JOIN users u ON u.id = p.user_id WHERE u.enabled"
/* restricted to the site, or not restricted by site */
#define CANDIDATES_SITE                                                        \
	" AND (NOT EXISTS (SELECT 1 FROM site_restrictions r "                 \
	"WHERE r.user_id = u.id) OR EXISTS (SELECT 1 FROM site_restrictions "  \
	"r JOIN organisations o ON o.id = r.site_id WHERE r.user_id = u.id "   \
	"AND lower(o.code) = lower($2)))"
/* (in no order: the candidates are sorted once the engine has chosen
 * them, in a fifth of the time the server's sort of every row takes) */
#define CANDIDATES_UNLISTED                                                    \
	" AND NOT EXISTS (SELECT 1 FROM study_access a JOIN studies st ON "    \
	"st.id = a.study_id WHERE st.code = $1 AND a.user_id = u.id)"

static const char *const candidates_sql[2][2] = {
    /* [by role][by site] */
    {NULL, CANDIDATES_ALL CANDIDATES_SITE CANDIDATES_UNLISTED},
    {CANDIDATES_ROLE CANDIDATES_UNLISTED,
     CANDIDATES_ROLE CANDIDATES_SITE CANDIDATES_UNLISTED},
};

static bool used(const char *s)
{
	return s && s[0];
}

/* Is a site or a role given to filter by? */
static bool filter_given(const struct store_study_filter *f,
                         struct store_error *err)
{
	if (used(f->site) || used(f->role))
		return true;
	store_fail(err, "", "Import needs a site or a role to filter by");
	return false;
}

/* The study-domain role of that name in w; false with "no role" or "not a
 * study role" (SQLSTATE state). */
static bool study_role(const struct engine_world *w, const char *name,
                       int *role, const char *state, struct store_error *err)
{
	*role = engine_role_find(w, name);
	if (*role >= 0 && engine_role(w, *role)->domain == DOMAIN_STUDY)
		return true;
	store_fail(err, state, "%s \"%s\"",
	           *role < 0 ? "no role" : "not a study role:", name);
	return false;
}

/* The filter's site and role in w (-1 unused); false with a message when
 * one is unknown or of the wrong kind. */
static bool filter_ids(const struct engine_world *w,
                       const struct store_study_filter *f, int *site, int *role,
                       struct store_error *err)
{
	*site = *role = -1;
	if (!filter_given(f, err))
		return false;
	if (used(f->site)) {
		*site = engine_org_find(w, f->site);
		if (*site < 0 || !engine_org(w, *site)->is_site) {
			store_fail(err, "", "%s \"%s\"",
			           *site < 0 ? "no organisation"
			                     : "not a site:",
			           f->site);
			return false;
		}
	}
	return !used(f->role) || study_role(w, f->role, role, "", err);
}

/* A candidate's four texts in one allocation. */
static bool person(const struct engine_world *w, int v,
                   struct store_study_person *p)
{
	const struct engine_user *u = engine_user(w, v);
	char name[STORE_LIST_TEXT], sites[STORE_LIST_TEXT],
	    roles[STORE_LIST_TEXT];
	store_user_name_text(u, name, sizeof name);
	store_user_sites_text(w, v, sites, sizeof sites);
	store_user_roles_text(w, v, roles, sizeof roles);
	size_t l = strlen(u->login) + 1, n = strlen(name) + 1,
	       s = strlen(sites) + 1, r = strlen(roles) + 1;
	char *t = malloc(l + n + s + r);
	*p = (struct store_study_person){0};
	if (!t)
		return false;
	memcpy(t, u->login, l);
	memcpy(t + l, name, n);
	memcpy(t + l + n, sites, s);
	memcpy(t + l + n + s, roles, r);
	*p = (struct store_study_person){t, t + l, t + l + n, t + l + n + s, t};
	return true;
}

bool store_study_candidates(struct store *s, const char *code,
                            const struct store_study_filter *f,
                            struct store_study_person **out, int *n,
                            struct store_error *err)
{
	*out = NULL;
	*n = 0;
	const char *p[] = {code, used(f->site) ? f->site : "",
	                   used(f->role) ? f->role : ""};
	if (!filter_given(f, err))
		return false;
	const char *sql = candidates_sql[used(f->role)][used(f->site)];
	struct store_ids ids;
	int *users, n_users;
	struct engine_world *w =
	    world_of(s, "the candidates", sql, 3, candidate_types, p, &ids,
	             &users, &n_users, err);
	if (!w)
		return false;
	int site, role;
	bool ok = filter_ids(w, f, &site, &role, err);
	if (ok && engine_study_find(w, code) < 0) {
		store_fail(err, "", "no study \"%s\"", code);
		ok = false;
	}
	/* those the engine chooses (kept in place), in the Users list's
	 * order */
	int n_chosen = 0;
	for (int i = 0; ok && i < n_users; i++)
		if (engine_import_candidate(w, users[i], site, role))
			users[n_chosen++] = users[i];
	bool nomem = ok && !store_users_by_name(w, users, n_chosen);
	if (ok && !nomem) {
		*out = calloc((size_t)n_chosen + 1, sizeof **out);
		nomem = *out == NULL;
	}
	for (int i = 0; ok && !nomem && i < n_chosen; i++)
		nomem = !person(w, users[i], &(*out)[(*n)++]);
	if (nomem)
		store_fail(err, "", "out of memory");
	ok = ok && !nomem;
	free(users);
	engine_world_free(w);
	store_ids_free(&ids);
	if (!ok) {
		store_study_people_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return ok;
}

void store_study_people_free(struct store_study_person *p, int n)
{
	for (int i = 0; p && i < n; i++)
		free(p[i].text_);
	free(p);
}

/* ---- the changes ------------------------------------------------------- */

enum study_change_kind { CHG_IMPORT, CHG_SET_ROLE, CHG_REMOVE };

struct study_change {
	enum study_change_kind kind;
	const char *code;
	int version;
	const struct store_study_filter *f; /* import */
	const char *const *logins;
	int n;
	const char *role; /* set role: NULL or "" for all profile roles */
	/* each attempt's */
	long long study_id;
	long long *user_ids; /* by login, as the snapshot has them */
	long long role_id;   /* 0: none */
	bool unchanged;      /* set role: it already has that role */
};

static bool study_lock(struct store_tx *tx, void *ctx)
{
	struct study_change *c = ctx;
	c->role_id = 0;
	c->unchanged = false;
	return store_tx_lock_study(tx, c->code, c->version, &c->study_id);
}

static bool study_need(struct store_tx *tx, void *ctx)
{
	struct study_change *c = ctx;
	bool ok = store_tx_need_study(tx, c->code);
	if (ok && c->kind == CHG_IMPORT && used(c->f->site))
		ok = store_tx_need_org(tx, c->f->site);
	return ok && store_tx_need_users(tx, c->logins, c->n);
}

/* Each user (named once: study_change) one the engine lets the operator change
 * the entry of (engine_may_change_entry: never the operator's own), as the
 * change needs them: import, a candidate not listed yet; set role, listed, the
 * role in the profile; remove, listed. */
static bool users_ok(struct store_tx *tx, struct study_change *c, int study,
                     int site, int role)
{
	const struct engine_world *w = store_tx_world(tx);
	const struct store_ids *ids = store_tx_ids(tx);
	struct store_error *err = store_tx_err(tx);
	for (int i = 0; i < c->n; i++) {
		const char *login = c->logins[i];
		int v = engine_user_find(w, login);
		if (v < 0) {
			store_fail(err, "", "no user \"%s\"", login);
			return false;
		}
		c->user_ids[i] = ids->user.db[v];
		struct engine_explain ex;
		engine_explain_init(&ex);
		char what[160];
		snprintf(what, sizeof what, "change %s's entry on %s", login,
		         c->code);
		bool may = engine_may_change_entry(w, store_tx_op(tx), study, v,
		                                   &ex) ||
		           store_tx_refuse(tx, &ex, what);
		engine_explain_free(&ex);
		if (!may)
			return false;
		const struct engine_entry *e = engine_entry_find(w, v, study);
		if (c->kind == CHG_IMPORT && e) {
			store_fail(err, STORE_CONFLICT,
			           "%s is already on %s's user access list",
			           login, c->code);
			return false;
		}
		if (c->kind != CHG_IMPORT && !e) {
			store_fail(err, STORE_CONFLICT,
			           "%s is not on %s's user access list", login,
			           c->code);
			return false;
		}
		if (c->kind == CHG_IMPORT &&
		    !engine_import_candidate(w, v, site, role)) {
			/* what a candidate is, in the filter's words */
			char by[600] = "";
			if (role >= 0)
				snprintf(by, sizeof by, " holding %s",
				         engine_role(w, role)->name);
			if (site >= 0) {
				size_t at = strlen(by);
				snprintf(by + at, sizeof by - at,
				         "%s restricted to %s or to no site",
				         role >= 0 ? " and" : "",
				         engine_org(w, site)->code);
			}
			store_fail(err, STORE_REFUSED,
			           "%s is not a candidate for this import "
			           "(an enabled user%s)",
			           login, by);
			return false;
		}
		if (c->kind == CHG_SET_ROLE && role >= 0 &&
		    !engine_profile_has_role(w, v, role)) {
			store_fail(err, STORE_REFUSED,
			           "%s is not one of %s's profile roles",
			           engine_role(w, role)->name, login);
			return false;
		}
	}
	return true;
}

static bool study_decide(struct store_tx *tx, void *ctx)
{
	struct study_change *c = ctx;
	const struct engine_world *w = store_tx_world(tx);
	struct store_error *err = store_tx_err(tx);
	int study = engine_study_find(w, c->code);
	if (study < 0) {
		store_fail(err, "", "no study \"%s\"", c->code);
		return false;
	}
	struct engine_explain ex;
	engine_explain_init(&ex);
	char what[64];
	snprintf(what, sizeof what, "configure study %s", c->code);
	bool ok = engine_may_configure_study(w, store_tx_op(tx), study, &ex) ||
	          store_tx_refuse(tx, &ex, what);
	engine_explain_free(&ex);
	int site = -1, role = -1;
	if (ok && c->kind == CHG_IMPORT)
		ok = filter_ids(w, c->f, &site, &role, err);
	if (ok && c->kind == CHG_SET_ROLE && used(c->role))
		ok = study_role(w, c->role, &role, STORE_REFUSED, err);
	if (ok && role >= 0)
		c->role_id = store_tx_ids(tx)->role.db[role];
	if (ok && c->kind == CHG_SET_ROLE) {
		/* the same role again: nothing to write */
		int v = engine_user_find(w, c->logins[0]);
		const struct engine_entry *e =
		    v >= 0 ? engine_entry_find(w, v, study) : NULL;
		c->unchanged = e && e->role == role;
	}
	return ok && users_ok(tx, c, study, site, role);
}

static bool study_write(struct store_tx *tx, void *ctx)
{
	struct study_change *c = ctx;
	char study[24], role[24];
	snprintf(study, sizeof study, "%lld", c->study_id);
	snprintf(role, sizeof role, "%lld", c->role_id);
	const char *const role_param = c->role_id ? role : NULL;
	if (c->unchanged) {
		store_tx_unchanged(tx);
		return true;
	}
	char *users = store_id_array(c->user_ids, c->n);
	if (!users) {
		store_fail(store_tx_err(tx), "", "out of memory");
		return false;
	}
	const char *p[] = {study, users, role_param};
	bool ok;
	switch (c->kind) {
	case CHG_IMPORT:
		/* at the end of the list, in the order given */
		ok = store_tx_run(
		    tx,
		    "INSERT INTO study_access (study_id, user_id, role_id, "
		    "position) SELECT $1, u, $3::integer, (SELECT coalesce("
		    "max(position), -1) FROM study_access WHERE study_id = $1) "
		    "+ n::int FROM unnest($2::bigint[]) WITH ORDINALITY AS "
		    "t(u, n)",
		    3, p);
		break;
	case CHG_SET_ROLE:
		ok = store_tx_run(
		    tx,
		    "UPDATE study_access SET role_id = $3::integer "
		    "WHERE study_id = $1 AND user_id = ANY("
		    "$2::bigint[])",
		    3, p);
		break;
	default:
		ok =
		    store_tx_run(tx,
		                 "DELETE FROM study_access WHERE study_id = $1 "
		                 "AND user_id = ANY($2::bigint[])",
		                 2, p);
	}
	free(users);
	return ok && store_tx_run(tx,
	                          "UPDATE studies SET version = version + 1 "
	                          "WHERE id = $1",
	                          1, p);
}

/* Is a login named twice? Said by name (sorted, so an import of
 * hundreds of thousands is checked in n log n). */
static bool named_once(const char *const *logins, int n,
                       struct store_error *err)
{
	const char **v = malloc(((size_t)n + 1) * sizeof *v);
	if (!v) {
		store_fail(err, "", "out of memory");
		return false;
	}
	memcpy(v, logins, (size_t)n * sizeof *v);
	qsort(v, (size_t)n, sizeof *v, text_order);
	bool once = true;
	for (int i = 1; i < n && once; i++)
		if (strcmp(v[i - 1], v[i]) == 0) {
			store_fail(err, STORE_INVALID, "%s is named twice",
			           v[i]);
			once = false;
		}
	free(v);
	return once;
}

static bool study_change(struct store *s, const char *operator_login,
                         struct study_change *c, const char *action,
                         bool *changed, struct store_error *err)
{
	if (!named_once(c->logins, c->n, err))
		return false;
	c->user_ids = malloc(((size_t)c->n + 1) * sizeof *c->user_ids);
	if (!c->user_ids) {
		store_fail(err, "", "out of memory");
		return false;
	}
	const struct store_change ch = {.operator_login = operator_login,
	                                .action = action,
	                                .kind = STORE_TARGET_STUDY,
	                                .target = c->code,
	                                .ctx = c,
	                                .lock = study_lock,
	                                .need = study_need,
	                                .decide = study_decide,
	                                .write = study_write};
	bool ok = store_change(s, &ch, err);
	if (changed)
		*changed = ok && !c->unchanged;
	free(c->user_ids);
	return ok;
}

bool store_study_import(struct store *s, const char *operator_login,
                        const char *code, int version,
                        const struct store_study_filter *f,
                        const char *const *logins, int n,
                        struct store_error *err)
{
	if (n == 0) {
		store_fail(err, STORE_INVALID, "no user ticked to import");
		return false;
	}
	struct study_change c = {.kind = CHG_IMPORT,
	                         .code = code,
	                         .version = version,
	                         .f = f,
	                         .logins = logins,
	                         .n = n};
	return study_change(s, operator_login, &c, "import", NULL, err);
}

bool store_study_set_role(struct store *s, const char *operator_login,
                          const char *code, int version, const char *login,
                          const char *role, bool *changed,
                          struct store_error *err)
{
	struct study_change c = {.kind = CHG_SET_ROLE,
	                         .code = code,
	                         .version = version,
	                         .logins = &login,
	                         .n = 1,
	                         .role = role};
	return study_change(s, operator_login, &c, "edit", changed, err);
}

bool store_study_remove(struct store *s, const char *operator_login,
                        const char *code, int version,
                        const char *const *logins, int n,
                        struct store_error *err)
{
	if (n == 0) {
		store_fail(err, STORE_INVALID, "no entry ticked to delete");
		return false;
	}
	struct study_change c = {.kind = CHG_REMOVE,
	                         .code = code,
	                         .version = version,
	                         .logins = logins,
	                         .n = n};
	return study_change(s, operator_login, &c, "delete", NULL, err);
}

/* ---- what a change would do ------------------------------------------- */

/* Enabled users with a profile role whom neither their restricted studies
 * nor their site restrictions keep out of the study ($1), and those
 * listed on it. */
static const char opened_sql[] =
    "SELECT u.id FROM users u, studies s WHERE s.code = $1 AND u.enabled "
    "AND EXISTS (SELECT 1 FROM profile_roles p WHERE p.user_id = u.id) "
    "AND (NOT EXISTS (SELECT 1 FROM restricted_studies r WHERE r.user_id "
    "= u.id) OR EXISTS (SELECT 1 FROM restricted_studies r WHERE "
    "r.user_id = u.id AND r.study_id = s.id)) "
    "AND (NOT EXISTS (SELECT 1 FROM site_restrictions r WHERE r.user_id "
    "= u.id) OR EXISTS (SELECT 1 FROM site_restrictions r WHERE r.user_id "
    "= u.id AND r.site_id = s.site_id)) "
    "UNION SELECT a.user_id FROM study_access a JOIN studies s ON s.id = "
    "a.study_id WHERE s.code = $1";
static const Oid opened_types[] = {25};

bool store_study_opened_by_emptying(struct store *s, const char *code, long *n,
                                    struct store_error *err)
{
	*n = 0;
	const char *p[] = {code};
	struct store_ids ids;
	int *users, n_users;
	struct engine_world *w =
	    world_of(s, "the users the study would open to", opened_sql, 1,
	             opened_types, p, &ids, &users, &n_users, err);
	if (!w)
		return false;
	int study = engine_study_find(w, code);
	bool ok = study >= 0;
	if (ok)
		*n = engine_study_opened_by_emptying(w, study, users, n_users);
	else
		store_fail(err, "", "no study \"%s\"", code);
	free(users);
	engine_world_free(w);
	store_ids_free(&ids);
	return ok;
}

/* ---- the settings ------------------------------------------------------ */

bool store_settings_read(struct store *s, struct engine_settings *set,
                         int *version, struct store_error *err)
{
	PGresult *r = store_exec_rows(s, "the settings",
	                              "SELECT require_site_restrictions, "
	                              "require_study_restrictions, version "
	                              "FROM settings",
	                              0, NULL, 1, err);
	if (!r)
		return false;
	set->require_site_restrictions = PQgetvalue(r, 0, 0)[0] == 't';
	set->require_study_restrictions = PQgetvalue(r, 0, 1)[0] == 't';
	*version = atoi(PQgetvalue(r, 0, 2));
	PQclear(r);
	return true;
}

/* The users a switch turned on can touch: enabled, with a profile role,
 * and no site restriction (require site restrictions turned on), no
 * restricted study (require study restrictions), or either (both). */
#define SHUT_OUT_HEAD                                                          \
	"SELECT u.id FROM users u WHERE u.enabled AND EXISTS (SELECT 1 FROM "  \
	"profile_roles p WHERE p.user_id = u.id) AND "
#define NO_SITE                                                                \
	"NOT EXISTS (SELECT 1 FROM site_restrictions r WHERE r.user_id = "     \
	"u.id)"
#define NO_STUDY                                                               \
	"NOT EXISTS (SELECT 1 FROM restricted_studies r WHERE r.user_id = "    \
	"u.id)"
static const char *const shut_out_sql[2][2] = {
    /* [site turned on][study turned on] */
    {NULL, SHUT_OUT_HEAD NO_STUDY},
    {SHUT_OUT_HEAD NO_SITE, SHUT_OUT_HEAD "(" NO_SITE " OR " NO_STUDY ")"},
};

bool store_settings_shut_out(struct store *s, const struct engine_settings *to,
                             long *n, struct store_error *err)
{
	*n = 0;
	struct engine_settings now;
	int version;
	if (!store_settings_read(s, &now, &version, err))
		return false;
	bool site =
	    to->require_site_restrictions && !now.require_site_restrictions;
	bool study =
	    to->require_study_restrictions && !now.require_study_restrictions;
	if (!site && !study)
		return true; /* a switch turned off only lets users in */
	struct store_ids ids;
	int *users, n_users;
	struct engine_world *w =
	    world_of(s, "the users the settings would shut out",
	             shut_out_sql[site][study], 0, NULL, NULL, &ids, &users,
	             &n_users, err);
	if (!w)
		return false;
	*n = engine_settings_shut_out(w, to, users, n_users);
	free(users);
	engine_world_free(w);
	store_ids_free(&ids);
	return true;
}

struct settings_change {
	int version;
	const struct engine_settings *to;
	bool unchanged; /* they are so already */
};

static bool settings_lock(struct store_tx *tx, void *ctx)
{
	struct settings_change *c = ctx;
	c->unchanged = false;
	return store_tx_lock_settings(tx, c->version);
}

static bool settings_decide(struct store_tx *tx, void *ctx)
{
	struct settings_change *c = ctx;
	const struct engine_world *w = store_tx_world(tx);
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool ok = engine_may_change_settings(w, store_tx_op(tx), &ex) ||
	          store_tx_refuse(tx, &ex, "change the settings");
	engine_explain_free(&ex);
	const struct engine_settings *now = engine_settings_get(w);
	c->unchanged = now->require_site_restrictions ==
	                   c->to->require_site_restrictions &&
	               now->require_study_restrictions ==
	                   c->to->require_study_restrictions;
	return ok;
}

static bool settings_write(struct store_tx *tx, void *ctx)
{
	struct settings_change *c = ctx;
	if (c->unchanged) {
		store_tx_unchanged(tx);
		return true;
	}
	const char *p[] = {c->to->require_site_restrictions ? "t" : "f",
	                   c->to->require_study_restrictions ? "t" : "f"};
	return store_tx_run(tx,
	                    "UPDATE settings SET require_site_restrictions = "
	                    "$1, require_study_restrictions = $2, version = "
	                    "version + 1",
	                    2, p);
}

bool store_settings_save(struct store *s, const char *operator_login,
                         int version, const struct engine_settings *to,
                         bool *changed, struct store_error *err)
{
	struct settings_change c = {version, to, false};
	const struct store_change ch = {.operator_login = operator_login,
	                                .action = "update",
	                                .kind = STORE_TARGET_SETTINGS,
	                                .target = "settings",
	                                .ctx = &c,
	                                .lock = settings_lock,
	                                .decide = settings_decide,
	                                .write = settings_write};
	bool ok = store_change(s, &ch, err);
	if (changed)
		*changed = ok && !c.unchanged;
	return ok;
}
