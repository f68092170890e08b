/* access.c: Who has access? (screens.md, "2 Organisations"): every user
 * whose access reaches an organisation, grant by grant. The database only
 * names the candidates, in one set-based statement; the engine decides
 * each of their grants (engine_grant_actions_at, the check's own reach and
 * role tests), so the list cannot disagree with `check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *const store_access_columns[STORE_ACCESS_COLUMNS] = {
    "User ID",       "Name",    "Organisation ID", "Roles",
    "Payment Types", "Cluster", "Member",          "Access From"};

void store_access_fields(const struct store_access_row *r,
                         const char *fields[STORE_ACCESS_COLUMNS])
{
	fields[0] = r->login;
	fields[1] = r->name;
	fields[2] = r->grant_org;
	fields[3] = r->roles;
	fields[4] = r->payments;
	fields[5] = r->cluster;
	fields[6] = r->member;
	fields[7] = r->from;
}

void store_access_free(struct store_access *a)
{
	free(a->rows);
	*a = (struct store_access){0};
}

/* The candidates: users with a grant that may reach $1's first element,
 * $1 being the organisation and its ancestors (database ids). A grant
 * with no cluster reaches it from any of them; a narrowed grant only
 * through a member among them (a member is a strict descendant of the
 * grant's organisation, so such a grant is an ancestor's). Each arm reads
 * an index: grants_org_users (then grant_clusters' primary key for "no
 * cluster", or one hash of that small table when thousands of grants are
 * asked about), cluster_members_org then grant_clusters_cluster. User ids,
 * not logins: joining users costs a random heap read per candidate (about
 * 100 ms for the 7,000 at a practice at national size), and the world
 * maps ids to users it holds already. A user may come twice (UNION ALL:
 * the name sort brings the two together, cheaper than the server's
 * hash). */
/* Assembled from constant fragments: the two arms, and the join that
 * keeps only grants holding one of the roles $2. */
#define CANDIDATES_NO_CLUSTER(JOIN)                                            \
	"SELECT g.user_id FROM grants g" JOIN                                  \
	" WHERE g.org_id = ANY($1::bigint[])"                                  \
	" AND NOT EXISTS (SELECT 1 FROM grant_clusters gc"                     \
	"  WHERE gc.grant_id = g.id)"
#define CANDIDATES_BY_MEMBER(JOIN)                                             \
	"SELECT g.user_id FROM cluster_members cm"                             \
	" JOIN grant_clusters gc ON gc.cluster_id = cm.cluster_id"             \
	" JOIN grants g ON g.id = gc.grant_id" JOIN                            \
	" WHERE cm.org_id = ANY($1::bigint[])"
#define HOLDING_ROLES                                                          \
	" JOIN grant_roles gr ON gr.grant_id = g.id"                           \
	"  AND gr.role_id = ANY($2::int[])"
static const char candidates_sql[] =
    CANDIDATES_NO_CLUSTER("") " UNION ALL " CANDIDATES_BY_MEMBER("");
/* The administrators' candidates: the same, of grants holding one of the
 * roles $2 (the built-in User Administrator and Advanced User
 * Administrator), so the detail pane under a region's row does not load
 * the thousands who only view it. grant_roles' primary key (grant, role)
 * for each. */
static const char admin_candidates_sql[] = CANDIDATES_NO_CLUSTER(
    HOLDING_ROLES) " UNION ALL " CANDIDATES_BY_MEMBER(HOLDING_ROLES);
/* Runs sql with $1 the bigint[] of these n database ids and, when roles
 * is not NULL, $2 that int[] literal; `what` names it in an error. */
static PGresult *exec_ids(struct store *s, const char *what, const char *sql,
                          const long long *v, int n, const char *roles,
                          struct store_error *err)
{
	char *lit = store_id_array(v, n);
	if (!lit) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
	const char *p[] = {lit, roles};
	PGresult *r = store_exec_rows(s, what, sql, roles ? 2 : 1, p, 0, err);
	free(lit);
	return r;
}

/* The candidates' database ids: the statement on org and its ancestors
 * (the administrators': only grants holding their roles). */
static PGresult *candidates(struct store *s, const struct engine_world *w,
                            const struct store_ids *ids, int org,
                            bool administrators, struct store_error *err)
{
	int depth = 0;
	for (int o = org; o >= 0; o = engine_org(w, o)->parent)
		depth++;
	long long *path = malloc((size_t)depth * sizeof *path);
	if (!path) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
	depth = 0;
	for (int o = org; o >= 0; o = engine_org(w, o)->parent)
		path[depth++] = ids->org.db[o];
	char roles[64];
	snprintf(roles, sizeof roles, "{%lld,%lld}",
	         ids->role.db[ROLE_USER_ADMINISTRATOR],
	         ids->role.db[ROLE_ADVANCED_USER_ADMINISTRATOR]);
	PGresult *r =
	    administrators
	        ? exec_ids(s, "who administers it: the candidates",
	                   admin_candidates_sql, path, depth, roles, err)
	        : exec_ids(s, "who has access: the candidates", candidates_sql,
	                   path, depth, NULL, err);
	free(path);
	return r;
}

/* Finds the candidates and loads those w does not hold yet (the console's
 * world keeps what it loaded; the database announces changes and the
 * session reloads). *users gets their engine ids, *n how many. */
static bool load_candidates(struct store *s, struct engine_world *w,
                            struct store_ids *ids, int org, bool administrators,
                            int **users, int *n, struct store_error *err)
{
	*users = NULL;
	*n = 0;
	PGresult *r = candidates(s, w, ids, org, administrators, err);
	if (!r)
		return false;
	int rows = PQntuples(r), missing = 0;
	long long *db = malloc(((size_t)rows + 1) * sizeof *db);
	long long *todo = malloc(((size_t)rows + 1) * sizeof *todo);
	*users = malloc(((size_t)rows + 1) * sizeof **users);
	bool ok = db && todo && *users;
	for (int i = 0; ok && i < rows; i++) {
		db[i] = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		if (store_idmap_find(&ids->user, db[i]) < 0)
			todo[missing++] = db[i];
	}
	PQclear(r);
	if (!ok)
		store_fail(err, "", "out of memory");
	ok = ok && (missing == 0 ||
	            store_load_users_by_id(s, w, ids, todo, missing, err));
	for (int i = 0; ok && i < rows; i++) {
		int u = store_idmap_find(&ids->user, db[i]);
		if (u >= 0) /* one created since is found next time */
			(*users)[(*n)++] = u;
	}
	free(db);
	free(todo);
	if (!ok) {
		free(*users);
		*users = NULL;
		*n = 0;
	}
	return ok;
}

/* Sorts the candidates and drops a second mention of one; returns how
 * many are left, -1 when out of memory. */
static int sort_by_name(const struct engine_world *w, int *users, int n)
{
	if (!store_users_by_name(w, users, n))
		return -1;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (k == 0 || users[k - 1] != users[i])
			users[k++] = users[i];
	return k;
}

/* What a list asks of each grant: the action (-1: any organisation
 * action), and for the administrators' list the roles that count. */
struct access_query {
	int org, action;
	bool administrators;
};

/* Does the viewer see user `user` of w, and grant organisation `org` of
 * w (users.view there)? On w itself, the engine asks directly; on
 * another world (as of a past date: the operator's visibility is today's,
 * src/store/as_of.c), the user and organisation of the same login and
 * code there; one it does not hold (gone since) is not seen. */
static bool viewer_sees_user(const struct store_access_viewer *v,
                             const struct engine_world *w, int user)
{
	if (v->w == w)
		return engine_may_see_user(w, v->op, user, NULL);
	int now = engine_user_find(v->w, engine_user(w, user)->login);
	return now >= 0 && engine_may_see_user(v->w, v->op, now, NULL);
}

static bool viewer_sees_org(const struct store_access_viewer *v,
                            const struct engine_world *w, int org)
{
	int now =
	    v->w == w ? org : engine_org_find(v->w, engine_org(w, org)->code);
	return now >= 0 &&
	       engine_org_allows(v->w, v->op, ACT_USERS_VIEW, now, -1, NULL);
}

/* Does role r of grant g (which reaches q->org) act there and count for
 * the question? Organisation reach acts at the grant's organisation only
 * (section 3: the engine answers for the grant as a whole, the row names
 * its roles); the administrators are the built-in User Administrator and
 * Advanced User Administrator, at the organisation or above it. */
static bool role_counts(const struct engine_world *w, int gid, int r,
                        const struct access_query *q)
{
	const struct engine_role *role = engine_role(w, r);
	if (!engine_role_acts_at(w, gid, r, q->org))
		return false;
	if (q->action >= 0 && !(role->actions & ENGINE_ACT(q->action)))
		return false;
	return !q->administrators || r == ROLE_USER_ADMINISTRATOR ||
	       r == ROLE_ADVANCED_USER_ADMINISTRATOR;
}

/* Does grant gid let its user in for q? The engine's actions of the
 * grant there (with the action asked, if one was) and, for the
 * administrators' list, one of their roles acting there. *cluster and
 * *member: what let org in under clusters, else -1. */
static bool grant_lets_in(const struct engine_world *w, int gid,
                          const struct access_query *q, int *cluster,
                          int *member)
{
	engine_actions acts =
	    engine_grant_actions_at(w, gid, q->org, cluster, member);
	if (q->action >= 0)
		acts &= ENGINE_ACT(q->action);
	if (!acts || !q->administrators)
		return acts != 0;
	const struct engine_grant *g = engine_grant(w, gid);
	for (int i = 0; i < g->n_roles; i++)
		if (role_counts(w, gid, g->roles[i], q))
			return true;
	return false;
}

/* Copies src into dst (cap bytes), cut to fit; returns the end. */
static char *put(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return dst + n;
}

/* The row of user v's grant gid, which lets v in for q. A grant at an
 * organisation where op lacks users.view is not shown (access-model.md
 * section 5: a user's other grants are counted, not shown): the row says
 * the user has access here through a grant not shown, and nothing of it. */
static void fill_row(const struct engine_world *w,
                     const struct store_access_viewer *view, int v, int gid,
                     const struct access_query *q, int cluster, int member,
                     struct store_access_row *row)
{
	const struct engine_user *u = engine_user(w, v);
	const struct engine_grant *g = engine_grant(w, gid);
	const char *code = engine_org(w, g->org)->code;
	memset(row, 0, sizeof *row);
	put(row->login, sizeof row->login, u->login);
	store_user_name_text(u, row->name, sizeof row->name);
	for (int i = 0; i < g->n_roles; i++)
		if (role_counts(w, gid, g->roles[i], q))
			row->admin |=
			    g->roles[i] == ROLE_USER_ADMINISTRATOR
			        ? STORE_ADMIN_UA
			    : g->roles[i] == ROLE_ADVANCED_USER_ADMINISTRATOR
			        ? STORE_ADMIN_AUA
			        : 0;
	if (!viewer_sees_org(view, w, g->org)) {
		put(row->from, sizeof row->from, "a grant not shown");
		return;
	}
	put(row->grant_org, sizeof row->grant_org, code);
	char *end = row->roles + sizeof row->roles;
	char *at = row->roles;
	for (int i = 0; i < g->n_roles; i++) {
		if (!role_counts(w, gid, g->roles[i], q))
			continue;
		if (at > row->roles)
			at = put(at, (size_t)(end - at), ", ");
		at = put(at, (size_t)(end - at),
		         engine_role(w, g->roles[i])->name);
	}
	engine_names_text(row->payments, sizeof row->payments, g->payments,
	                  PAY_COUNT, engine_payment_name, ", ");
	if (cluster >= 0) {
		put(row->cluster, sizeof row->cluster,
		    engine_cluster(w, cluster)->short_name);
		put(row->member, sizeof row->member,
		    engine_org(w, member)->code);
		snprintf(row->from, sizeof row->from, "cluster %s, member %s",
		         row->cluster, row->member);
	} else if (g->org == q->org) {
		put(row->from, sizeof row->from, "grant here");
	} else {
		snprintf(row->from, sizeof row->from, "grant at ancestor %s",
		         code);
	}
}

/* Room for one more row at out->rows[out->n]. */
static bool row_room(struct store_access *out, int *cap)
{
	if (out->n < *cap)
		return true;
	int n = *cap ? *cap * 2 : 64;
	void *p = realloc(out->rows, (size_t)n * sizeof *out->rows);
	if (!p)
		return false;
	out->rows = p;
	*cap = n;
	return true;
}

/* The candidates' logins to the viewer's loader, when it has one. */
static bool viewer_load(const struct store_access_viewer *v,
                        const struct engine_world *w, const int *users, int n,
                        struct store_error *err)
{
	if (!v->load || n == 0)
		return true;
	const char **logins = malloc((size_t)n * sizeof *logins);
	if (!logins) {
		store_fail(err, "", "out of memory");
		return false;
	}
	for (int i = 0; i < n; i++)
		logins[i] = engine_user(w, users[i])->login;
	bool ok = v->load(v->ctx, logins, n, err);
	free(logins);
	return ok;
}

/* Both lists: the candidates, each grant decided by the engine; users the
 * operator does not see (or all, when `seen` is false) are counted. */
static bool list_access(struct store *s, struct engine_world *w,
                        struct store_ids *ids,
                        const struct store_access_viewer *view,
                        const struct access_query *q, bool seen,
                        struct store_access *out, struct store_error *err)
{
	int *users, n, cap = 0;
	if (!load_candidates(s, w, ids, q->org, q->administrators, &users, &n,
	                     err))
		return false;
	if (!viewer_load(view, w, users, n, err)) {
		free(users);
		return false;
	}
	n = sort_by_name(w, users, n);
	bool ok = n >= 0;
	for (int i = 0; ok && i < n; i++) {
		const struct engine_user *u = engine_user(w, users[i]);
		if (!u->enabled)
			continue;
		int first = out->n, sees = -1; /* asked once a grant lets in */
		/* the user's grants not shown: one row for them all */
		int not_shown = 0, not_shown_row = -1;
		for (int k = 0; ok && k < u->n_grants; k++) {
			int cluster, member;
			if (!grant_lets_in(w, u->grants[k], q, &cluster,
			                   &member))
				continue;
			if (sees < 0)
				sees =
				    seen && viewer_sees_user(view, w, users[i]);
			if (!sees) {
				out->hidden++;
				break;
			}
			struct store_access_row row;
			fill_row(w, view, users[i], u->grants[k], q, cluster,
			         member, &row);
			if (!row.grant_org[0] && not_shown++ > 0) {
				out->rows[not_shown_row].admin |= row.admin;
				continue;
			}
			ok = row_room(out, &cap);
			if (!ok)
				break;
			if (!row.grant_org[0])
				not_shown_row = out->n;
			out->rows[out->n++] = row;
		}
		if (not_shown > 1)
			snprintf(out->rows[not_shown_row].from,
			         sizeof out->rows[not_shown_row].from,
			         "%d grants not shown", not_shown);
		out->users += out->n > first;
	}
	free(users);
	if (!ok) {
		store_fail(err, "", "out of memory");
		store_access_free(out);
	}
	return ok;
}

/* The organisation of a code, or -1 with the error set; -1 too when the
 * operator is not a user of the world (the caller loads them first). */
static int org_of(const struct engine_world *w, int op, const char *code,
                  struct store_error *err)
{
	if (op < 0 || op >= engine_n_users(w)) {
		store_fail(err, "",
		           "who has access: the operator is not loaded");
		return -1;
	}
	int org = engine_org_find(w, code);
	if (org < 0)
		store_fail(err, "", "no organisation \"%s\"", code);
	return org;
}

bool store_access_refused(const struct engine_world *w, int op, int org,
                          struct store_error *err)
{
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool allowed = engine_org_allows(w, op, ACT_USERS_VIEW, org, -1, &ex);
	if (!allowed) {
		int at = snprintf(err->message, sizeof err->message,
		                  "not allowed to see who has access to %s "
		                  "(users.view there): ",
		                  engine_org(w, org)->code);
		if (at > 0 && (size_t)at < sizeof err->message)
			store_explain_line(w, op, -1, &ex, err->message + at,
			                   sizeof err->message - (size_t)at);
		snprintf(err->sqlstate, sizeof err->sqlstate, "%s",
		         STORE_REFUSED);
	}
	engine_explain_free(&ex);
	return !allowed;
}

static bool organisation_action(int action, struct store_error *err)
{
	if (action < -1 || action >= ACT_COUNT ||
	    (action >= 0 &&
	     engine_action_domain(action) != DOMAIN_ORGANISATION)) {
		store_fail(err, "",
		           "who has access: not an organisation action");
		return false;
	}
	return true;
}

bool store_access_viewed(struct store *s, struct engine_world *w,
                         struct store_ids *ids,
                         const struct store_access_viewer *view, int org,
                         int action, struct store_access *out,
                         struct store_error *err)
{
	*out = (struct store_access){0};
	struct access_query q = {org, action, false};
	return organisation_action(action, err) &&
	       list_access(s, w, ids, view, &q, true, out, err);
}

int store_access_deciding_role(const struct engine_world *w, int gid, int org,
                               int action)
{
	struct access_query q = {org, action, false};
	const struct engine_grant *g = engine_grant(w, gid);
	for (int i = 0; i < g->n_roles; i++)
		if (role_counts(w, gid, g->roles[i], &q))
			return g->roles[i];
	return -1;
}

bool store_who_has_access(struct store *s, struct engine_world *w,
                          struct store_ids *ids, int op, const char *org,
                          int action, struct store_access *out,
                          struct store_error *err)
{
	*out = (struct store_access){0};
	struct access_query q = {org_of(w, op, org, err), action, false};
	if (q.org < 0 || !organisation_action(action, err) ||
	    store_access_refused(w, op, q.org, err))
		return false;
	struct store_access_viewer view = {w, op, NULL, NULL};
	return list_access(s, w, ids, &view, &q, true, out, err);
}

bool store_org_administrators(struct store *s, struct engine_world *w,
                              struct store_ids *ids, int op, const char *org,
                              struct store_access *out, struct store_error *err)
{
	*out = (struct store_access){0};
	struct access_query q = {org_of(w, op, org, err), ACT_USERS_MANAGE,
	                         true};
	if (q.org < 0)
		return false;
	/* no refusal: without users.view there, every one is counted */
	bool seen = engine_org_allows(w, op, ACT_USERS_VIEW, q.org, -1, NULL);
	struct store_access_viewer view = {w, op, NULL, NULL};
	return list_access(s, w, ids, &view, &q, seen, out, err);
}
