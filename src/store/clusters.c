/* clusters.c: the Service Provider Clusters tab (screens.md "3 Service
 * Provider Clusters"): an owner's clusters with their counts, a cluster as
 * its form holds it, its save (an add or an update) and its delete, each
 * one change on the one change path (change.c): lock (the owner for an
 * add, the cluster and its version otherwise), decide with
 * engine_may_manage_cluster on the snapshot read inside the transaction
 * (access-model.md section 5: clusters.manage over the owner and every
 * member, those it had and those it will have), write, audit. The schema's
 * triggers (sql/003_invariants.sql) hold the invariants (a member below the
 * owner, no delete while a grant selects it); their refusals reach the
 * operator in their own words. Also the users whose grants select a
 * cluster, and the what-if of a change to its members, which the engine
 * works out (engine_cluster_what_if) on the grants one statement reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/fields.h"
#include "internal.h"

/* ---- the owner's list -------------------------------------------------- */

/* The owner, then its clusters through clusters_owner_name. A grant that
 * selects a cluster is at its owner (AD004) and a user holds one grant an
 * organisation, so the cluster's rows in grant_clusters (an index-only
 * scan of grant_clusters_cluster) are its users. An owner with no cluster
 * is one row of NULLs. */
static const char list_sql[] =
    "SELECT c.short_name, c.name, c.description, "
    " (SELECT count(*) FROM cluster_members m WHERE m.cluster_id = c.id), "
    " (SELECT count(*) FROM grant_clusters gc WHERE gc.cluster_id = c.id), "
    " c.version "
    "FROM organisations o LEFT JOIN clusters c ON c.owner_id = o.id "
    "WHERE lower(o.code) = lower($1) "
    "ORDER BY lower(c.name COLLATE \"C\"), c.short_name";

bool store_cluster_list(struct store *s, const char *owner,
                        struct store_cluster_list *out, struct store_error *err)
{
	*out = (struct store_cluster_list){0};
	const char *p[] = {owner};
	PGresult *r =
	    store_exec_rows(s, "the clusters", list_sql, 1, p, 0, err);
	if (!r)
		return false;
	int n = PQntuples(r);
	if (n == 0) {
		PQclear(r);
		store_fail(err, "", "no organisation \"%s\"", owner);
		return false;
	}
	if (PQgetisnull(r, 0, 0))
		n = 0;
	out->rows = calloc((size_t)n + 1, sizeof *out->rows);
	bool ok = out->rows != NULL;
	for (int i = 0; ok && i < n; i++) {
		struct store_cluster_row *row = &out->rows[i];
		snprintf(row->short_name, sizeof row->short_name, "%s",
		         PQgetvalue(r, i, 0));
		row->name = strdup(PQgetvalue(r, i, 1));
		row->description = strdup(PQgetvalue(r, i, 2));
		row->members = atoi(PQgetvalue(r, i, 3));
		row->users = atoi(PQgetvalue(r, i, 4));
		row->version = atoi(PQgetvalue(r, i, 5));
		out->n++;
		ok = row->name && row->description;
	}
	PQclear(r);
	if (!ok) {
		store_cluster_list_free(out);
		store_fail(err, "", "out of memory");
	}
	return ok;
}

void store_cluster_list_free(struct store_cluster_list *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->rows[i].name);
		free(l->rows[i].description);
	}
	free(l->rows);
	*l = (struct store_cluster_list){0};
}

/* ---- the form ---------------------------------------------------------- */

/* The cluster, one row per member in stored order (one row of NULL
 * members for none): no array to take apart. */
static const char read_sql[] =
    "SELECT c.short_name, o.code, c.name, c.description, c.version, m.code "
    "FROM clusters c JOIN organisations o ON o.id = c.owner_id "
    "LEFT JOIN cluster_members cm ON cm.cluster_id = c.id "
    "LEFT JOIN organisations m ON m.id = cm.org_id "
    "WHERE c.short_name = $1 ORDER BY cm.position";

bool store_cluster_read(struct store *s, const char *short_name,
                        struct store_cluster_form *f, struct store_error *err)
{
	*f = (struct store_cluster_form){0};
	const char *p[] = {short_name};
	PGresult *r = store_exec_rows(s, "the cluster", read_sql, 1, p, 0, err);
	if (!r)
		return false;
	int n = PQntuples(r);
	if (n == 0) {
		PQclear(r);
		store_fail(err, "", "no cluster \"%s\"", short_name);
		return false;
	}
	snprintf(f->short_name, sizeof f->short_name, "%s",
	         PQgetvalue(r, 0, 0));
	snprintf(f->owner, sizeof f->owner, "%s", PQgetvalue(r, 0, 1));
	f->name = strdup(PQgetvalue(r, 0, 2));
	f->description = strdup(PQgetvalue(r, 0, 3));
	f->version = atoi(PQgetvalue(r, 0, 4));
	bool ok = f->name && f->description;
	for (int i = 0; ok && i < n && !PQgetisnull(r, i, 5); i++)
		ok = store_names_add(&f->members, &f->n_members,
		                     PQgetvalue(r, i, 5));
	PQclear(r);
	if (!ok) {
		store_cluster_form_free(f);
		store_fail(err, "", "out of memory");
	}
	return ok;
}

void store_cluster_form_free(struct store_cluster_form *f)
{
	free(f->name);
	free(f->description);
	store_names_free(&f->members, &f->n_members);
	*f = (struct store_cluster_form){0};
}

bool store_cluster_form_copy(struct store_cluster_form *dst,
                             const struct store_cluster_form *src)
{
	*dst = *src;
	dst->name = strdup(src->name ? src->name : "");
	dst->description = strdup(src->description ? src->description : "");
	dst->members = NULL;
	dst->n_members = 0;
	bool ok = dst->name && dst->description;
	for (int i = 0; ok && i < src->n_members; i++)
		ok = store_names_add(&dst->members, &dst->n_members,
		                     src->members[i]);
	return ok; /* half-copied: dst is still the caller's to free */
}

bool store_cluster_members_differ(const struct store_cluster_form *a,
                                  const struct store_cluster_form *b)
{
	if (a->n_members != b->n_members)
		return true;
	for (int i = 0; i < a->n_members; i++)
		if (strcmp(a->members[i], b->members[i]) != 0)
			return true;
	return false;
}

bool store_cluster_form_differs(const struct store_cluster_form *a,
                                const struct store_cluster_form *b)
{
	return strcmp(a->name ? a->name : "", b->name ? b->name : "") != 0 ||
	       strcmp(a->description ? a->description : "",
	              b->description ? b->description : "") != 0 ||
	       store_cluster_members_differ(a, b);
}

/* ---- a change ---------------------------------------------------------- */

enum cluster_change_kind { CHG_ADD, CHG_UPDATE, CHG_DELETE };

struct cluster_change {
	enum cluster_change_kind kind;
	const struct store_cluster_form *f; /* add, update */
	int version;                        /* as read */
	/* the audit's target: the short name (an add's: made by write) */
	char target[11];
	/* the form's members in the snapshot, in its order (n_members of
	 * each, allocated by the caller) */
	int *members;
	long long *member_ids;
	int n_members;
	/* read again by each attempt, in the transaction */
	char owner[33];      /* add: the owner's code as stored */
	long long id;        /* the cluster's; an add: the owner's */
	long long owner_id;  /* the owner's */
	bool members_differ; /* update: the members change */
	bool name_taken;     /* the unique index refused the name */
	bool written;
	int version_now; /* the version written */
};

static bool cluster_lock(struct store_tx *tx, void *ctx)
{
	struct cluster_change *c = ctx;
	c->id = c->owner_id = 0;
	c->members_differ = c->name_taken = c->written = false;
	c->version_now = 0;
	c->owner[0] = '\0';
	if (c->kind != CHG_ADD)
		return store_tx_lock_cluster(tx, c->target, c->version, &c->id);
	/* a new cluster: its owner's row, so that the owner is not deleted
	 * or moved under the add, and two adds to one owner take turns */
	c->target[0] = '\0';
	return store_tx_lock_org(tx, c->f->owner, 0, "organisation", &c->id,
	                         c->owner, sizeof c->owner);
}

/* The snapshot holds a named cluster with its owner and members (as it
 * was); the members it will have are named here. */
static bool cluster_need(struct store_tx *tx, void *ctx)
{
	struct cluster_change *c = ctx;
	bool ok = c->kind == CHG_ADD ? store_tx_need_org(tx, c->owner)
	                             : store_tx_need_cluster(tx, c->target);
	for (int i = 0; ok && i < c->n_members; i++)
		ok = store_tx_need_org(tx, c->f->members[i]);
	return ok;
}

static bool cluster_decide(struct store_tx *tx, void *ctx)
{
	struct cluster_change *c = ctx;
	const struct engine_world *w = store_tx_world(tx);
	const struct store_ids *ids = store_tx_ids(tx);
	struct store_error *err = store_tx_err(tx);
	const struct engine_cluster *was = NULL;
	int owner;
	if (c->kind == CHG_ADD) {
		owner = engine_org_find(w, c->owner);
	} else {
		int cl = engine_cluster_find(w, c->target);
		was = cl >= 0 ? engine_cluster(w, cl) : NULL;
		owner = was ? was->owner : -1;
	}
	if (owner < 0) {
		store_fail(err, "", "no %s \"%s\"",
		           c->kind == CHG_ADD ? "organisation" : "cluster",
		           c->kind == CHG_ADD ? c->owner : c->target);
		return false;
	}
	c->owner_id = ids->org.db[owner];
	for (int i = 0; i < c->n_members; i++) {
		c->members[i] = engine_org_find(w, c->f->members[i]);
		if (c->members[i] < 0) {
			store_fail(err, "", "no organisation \"%s\"",
			           c->f->members[i]);
			return false;
		}
		c->member_ids[i] = ids->org.db[c->members[i]];
	}
	int n_was = was ? was->n_members : 0;
	c->members_differ =
	    !was || n_was != c->n_members ||
	    (n_was && memcmp(was->members, c->members,
	                     (size_t)n_was * sizeof *c->members) != 0);
	/* clusters.manage over every member it will have and had */
	int *check =
	    malloc(((size_t)c->n_members + (size_t)n_was + 1) * sizeof *check);
	if (!check) {
		store_fail(err, "", "out of memory");
		return false;
	}
	int n_check = c->n_members;
	if (c->n_members) /* a delete has none, nor an array */
		memcpy(check, c->members, (size_t)c->n_members * sizeof *check);
	for (int i = 0; i < n_was; i++) {
		bool kept = false;
		for (int j = 0; j < c->n_members && !kept; j++)
			kept = c->members[j] == was->members[i];
		if (!kept)
			check[n_check++] = was->members[i];
	}
	char what[64];
	if (c->kind == CHG_ADD)
		snprintf(what, sizeof what, "add a cluster to %s",
		         engine_org(w, owner)->code);
	else
		snprintf(what, sizeof what, "%s cluster %s",
		         c->kind == CHG_DELETE ? "delete" : "change",
		         c->target);
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool ok = engine_may_manage_cluster(w, store_tx_op(tx), owner, check,
	                                    n_check, &ex) ||
	          store_tx_refuse(tx, &ex, what);
	engine_explain_free(&ex);
	free(check);
	return ok;
}

/* After a failed write (the schema's invariants, a member not below the
 * owner or a cluster a grant selects deleted, are STORE_REFUSED already:
 * store_tx_run): a name the unique index refused (another save committed
 * it after this one's snapshot) is noted, its message made once the
 * transaction is over (see store_cluster_save). */
static bool write_failed(struct store_tx *tx, struct cluster_change *c)
{
	c->name_taken = strcmp(store_tx_err(tx)->sqlstate, "23505") == 0;
	return false;
}

/* A statement of the write returning the cluster's row: its version. */
static PGresult *write_row(struct store_tx *tx, struct cluster_change *c,
                           const char *sql, int n, const char *const *p)
{
	PGresult *r = store_tx_exec(tx, sql, n, p);
	if (!r)
		write_failed(tx, c);
	else if (PQntuples(r) == 1)
		c->version_now = atoi(PQgetvalue(r, 0, PQnfields(r) - 1));
	return r;
}

/* store.h; the index clusters_owner_name answers it. */
bool store_cluster_name_free(struct store *s, long long owner_id,
                             const char *name, const char *except,
                             struct store_error *err)
{
	char owner[24];
	snprintf(owner, sizeof owner, "%lld", owner_id);
	const char *p[] = {owner, name, except};
	PGresult *r = store_exec(s,
	                         "SELECT short_name FROM clusters WHERE "
	                         "owner_id = $1 AND lower(name COLLATE \"C\") "
	                         "= lower($2 COLLATE \"C\") "
	                         "AND short_name <> $3",
	                         3, p, PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	bool free_ = PQntuples(r) == 0;
	if (!free_)
		store_fail(err, STORE_INVALID,
		           "Name %s is already used by cluster %s", name,
		           PQgetvalue(r, 0, 0));
	PQclear(r);
	return free_;
}

/* The short name: 10 upper-case hex digits from the server's random
 * UUIDs; one already taken inserts nothing (no error, so the transaction
 * goes on) and another is drawn. */
#define SHORT_NAME_TRIES 5

static bool insert_cluster(struct store_tx *tx, struct cluster_change *c)
{
	char owner[24];
	snprintf(owner, sizeof owner, "%lld", c->owner_id);
	const char *p[] = {c->f->name, c->f->description, owner};
	for (int i = 0; i < SHORT_NAME_TRIES; i++) {
		PGresult *r = write_row(
		    tx, c,
		    "INSERT INTO clusters (short_name, name, description, "
		    "owner_id) VALUES (upper(substr(md5(gen_random_uuid()::"
		    "text), 1, 10)), $1, $2, $3) ON CONFLICT (short_name) DO "
		    "NOTHING RETURNING id, short_name, version",
		    3, p);
		if (!r)
			return false;
		bool got = PQntuples(r) == 1;
		if (got) {
			c->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			snprintf(c->target, sizeof c->target, "%s",
			         PQgetvalue(r, 0, 1));
		}
		PQclear(r);
		if (got)
			return true;
	}
	store_fail(store_tx_err(tx), "",
	           "no free short name in %d tries: try again",
	           SHORT_NAME_TRIES);
	return false;
}

/* The members, in the form's order (positions from 0). */
static bool insert_members(struct store_tx *tx, struct cluster_change *c)
{
	if (c->n_members == 0)
		return true;
	char id[24];
	snprintf(id, sizeof id, "%lld", c->id);
	char *lit = store_id_array(c->member_ids, c->n_members);
	if (!lit) {
		store_fail(store_tx_err(tx), "", "out of memory");
		return false;
	}
	const char *p[] = {id, lit};
	bool ok = store_tx_run(tx,
	                       "INSERT INTO cluster_members (cluster_id, "
	                       "org_id, position) SELECT $1, m, (n - 1)::int "
	                       "FROM unnest($2::bigint[]) WITH ORDINALITY AS "
	                       "t(m, n)",
	                       2, p) ||
	          write_failed(tx, c);
	free(lit);
	return ok;
}

static bool update_cluster(struct store_tx *tx, struct cluster_change *c)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", c->id);
	const char *p[] = {id, c->f->name, c->f->description};
	/* the row is written whenever anything differs, members too, so
	 * its version moves (the stale-screen check) */
	PGresult *r =
	    c->members_differ
	        ? write_row(tx, c,
	                    "UPDATE clusters SET name = $2, description = "
	                    "$3 WHERE id = $1 RETURNING version",
	                    3, p)
	        : write_row(tx, c,
	                    "UPDATE clusters SET name = $2, description = "
	                    "$3 WHERE id = $1 AND (name <> $2 OR "
	                    "description <> $3) RETURNING version",
	                    3, p);
	if (!r)
		return false;
	bool written = PQntuples(r) == 1;
	PQclear(r);
	if (!written) {
		store_tx_unchanged(tx);
		return true;
	}
	c->written = true;
	return !c->members_differ ||
	       ((store_tx_run(tx,
	                      "DELETE FROM cluster_members WHERE cluster_id = "
	                      "$1",
	                      1, p) ||
	         write_failed(tx, c)) &&
	        insert_members(tx, c));
}

static bool cluster_write(struct store_tx *tx, void *ctx)
{
	struct cluster_change *c = ctx;
	struct store *s = store_tx_store(tx);
	struct store_error *err = store_tx_err(tx);
	switch (c->kind) {
	case CHG_ADD:
		c->written = store_cluster_name_free(s, c->owner_id, c->f->name,
		                                     "", err) &&
		             insert_cluster(tx, c) && insert_members(tx, c);
		return c->written;
	case CHG_UPDATE:
		return store_cluster_name_free(s, c->owner_id, c->f->name,
		                               c->target, err) &&
		       update_cluster(tx, c);
	case CHG_DELETE: {
		char id[24];
		snprintf(id, sizeof id, "%lld", c->id);
		const char *p[] = {id};
		c->written =
		    store_tx_run(tx, "DELETE FROM clusters WHERE id = $1", 1,
		                 p) ||
		    write_failed(tx, c);
		return c->written;
	}
	}
	return false;
}

static bool cluster_change(struct store *s, const char *operator_login,
                           const char *action, struct cluster_change *c,
                           struct store_error *err)
{
	struct store_change chg = {
	    .operator_login = operator_login,
	    .action = action,
	    .kind = STORE_TARGET_CLUSTER,
	    .target = c->target,
	    .ctx = c,
	    .lock = cluster_lock,
	    .need = cluster_need,
	    .decide = cluster_decide,
	    .write = cluster_write,
	};
	return store_change(s, &chg, err);
}

/* What the form says on its own: its fields' rules, and no member twice
 * (codes compared case-insensitively, as organisations' are). */
static bool form_ok(const struct store_cluster_form *f, struct store_error *err)
{
	if (!store_field_ok(FIELD_CLUSTER_NAME, f->name ? f->name : "", err) ||
	    !store_field_ok(FIELD_CLUSTER_DESCRIPTION,
	                    f->description ? f->description : "", err))
		return false;
	for (int i = 0; i < f->n_members; i++)
		for (int j = 0; j < i; j++)
			if (strcasecmp(f->members[i], f->members[j]) == 0) {
				store_fail(err, STORE_INVALID,
				           "Member %s is listed twice",
				           f->members[i]);
				return false;
			}
	return true;
}

bool store_cluster_save(struct store *s, const char *operator_login,
                        struct store_cluster_form *f, bool *changed,
                        struct store_error *err)
{
	if (changed)
		*changed = false;
	if (!form_ok(f, err))
		return false;
	/* the fields as the form has them ("" for none), for the write */
	struct store_cluster_form v = *f;
	v.name = f->name ? f->name : "";
	v.description = f->description ? f->description : "";
	struct cluster_change c = {
	    .kind = f->short_name[0] ? CHG_UPDATE : CHG_ADD,
	    .f = &v,
	    .version = f->version,
	    .n_members = f->n_members,
	    .members = malloc(((size_t)f->n_members + 1) * sizeof(int)),
	    .member_ids =
	        malloc(((size_t)f->n_members + 1) * sizeof(long long)),
	};
	snprintf(c.target, sizeof c.target, "%s", f->short_name);
	bool ok = c.members && c.member_ids;
	if (!ok)
		store_fail(err, "", "out of memory");
	ok =
	    ok && cluster_change(s, operator_login,
	                         c.kind == CHG_ADD ? "add" : "update", &c, err);
	free(c.members);
	free(c.member_ids);
	/* now that the other save is visible: which cluster holds the name */
	if (!ok && c.name_taken &&
	    store_cluster_name_free(s, c.owner_id, v.name, f->short_name, err))
		store_fail(err, STORE_INVALID, "Name %s is already used",
		           v.name);
	if (!ok)
		return false;
	if (c.written) {
		snprintf(f->short_name, sizeof f->short_name, "%s", c.target);
		f->version = c.version_now;
	}
	if (changed)
		*changed = c.written;
	return true;
}

bool store_cluster_delete(struct store *s, const char *operator_login,
                          const char *short_name, int version,
                          struct store_error *err)
{
	struct cluster_change c = {.kind = CHG_DELETE, .version = version};
	snprintf(c.target, sizeof c.target, "%s", short_name);
	if (strcmp(c.target, short_name) != 0) {
		store_fail(err, "", "no cluster \"%s\"", short_name);
		return false;
	}
	return cluster_change(s, operator_login, "delete", &c, err);
}

/* ---- who it narrows ---------------------------------------------------- */

/* The cluster, then its users: grant_clusters_cluster, the grants' and
 * the users' primary keys. A cluster no grant selects is one row of
 * NULLs. */
static const char users_sql[] =
    "SELECT u.login, u.last_name || ', ' || u.first_name, u.id "
    "FROM clusters c LEFT JOIN (grant_clusters gc "
    " JOIN grants g ON g.id = gc.grant_id "
    " JOIN users u ON u.id = g.user_id) ON gc.cluster_id = c.id "
    "WHERE c.short_name = $1 "
    "ORDER BY u.last_name, u.first_name, u.login";

bool store_cluster_users(struct store *s, const char *short_name,
                         struct store_cluster_user **out, int *n,
                         struct store_error *err)
{
	*out = NULL;
	*n = 0;
	const char *p[] = {short_name};
	PGresult *r =
	    store_exec_rows(s, "the cluster's users", users_sql, 1, p, 0, err);
	if (!r)
		return false;
	int rows = PQntuples(r);
	if (rows == 0) {
		PQclear(r);
		store_fail(err, "", "no cluster \"%s\"", short_name);
		return false;
	}
	if (PQgetisnull(r, 0, 0))
		rows = 0;
	*out = calloc((size_t)rows + 1, sizeof **out);
	if (!*out) {
		PQclear(r);
		store_fail(err, "", "out of memory");
		return false;
	}
	for (int i = 0; i < rows; i++) {
		snprintf((*out)[i].login, sizeof(*out)[i].login, "%s",
		         PQgetvalue(r, i, 0));
		snprintf((*out)[i].name, sizeof(*out)[i].name, "%s",
		         PQgetvalue(r, i, 1));
		(*out)[i].id = strtoll(PQgetvalue(r, i, 2), NULL, 10);
	}
	*n = rows;
	PQclear(r);
	return true;
}

/* ---- the what-if of a members change ------------------------------------ */

/* Every grant of every user whose grants select the cluster $1 (by
 * database id), by user then grant (stored order), one row per cluster it
 * selects in their stored order (one with NULL for none). A grant that
 * selects the cluster is at its owner $2 (AD004), so they are found among
 * the owner's grants by grants_org_users (an index-only scan, which holds
 * the grant's and the user's ids), each tried on grant_clusters' primary
 * key; then the users' primary key, the users' grants (grants' (user_id,
 * org_id) key) and each grant's clusters (grant_clusters' primary key).
 * Reached from grant_clusters_cluster instead, the selecting grants' rows
 * are wanted by id, and with 10,000 of them the planner read all 1.7
 * million grants (a parallel sequential scan, JIT-compiled): the what-if
 * took 270 ms at national size, 120-130 ms this way; an array of each
 * grant's clusters (a subquery a grant) was about 30 ms slower than the
 * join (README, "Figures"). A user comes once: a user holds one grant an
 * organisation. */
static const char what_if_sql[] =
    "SELECT u.id, u.login, u.last_name || ', ' || u.first_name, g.id, "
    " g.org_id, c.cluster_id, u.enabled "
    "FROM grants sg JOIN users u ON u.id = sg.user_id "
    "JOIN grants g ON g.user_id = u.id "
    "LEFT JOIN grant_clusters c ON c.grant_id = g.id "
    "WHERE sg.org_id = $2 AND EXISTS (SELECT 1 FROM grant_clusters s "
    " WHERE s.grant_id = sg.id AND s.cluster_id = $1) "
    "ORDER BY u.id, g.id, c.position";

/* What the engine is given: per user its grants (org and clusters), all
 * in three arrays. */
struct what_if_input {
	struct engine_grant_spec *specs; /* by grant */
	int *clusters;                   /* by row */
	struct engine_user_grants *users;
	int n_users;
};

static void what_if_input_free(struct what_if_input *in)
{
	free(in->specs);
	free(in->clusters);
	free(in->users);
}

/* The engine id of a database id of the world's, or a message. */
static bool world_id(const struct store_idmap *m, long long db,
                     const char *what, const char *login, int *id,
                     struct store_error *err)
{
	*id = store_idmap_find(m, db);
	if (*id >= 0)
		return true;
	store_fail(err, "",
	           "what-if: a grant of %s names %s id %lld, which the "
	           "console's world does not hold (it changed: reload)",
	           login, what, db);
	return false;
}

static long long col_ll(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* Takes the rows apart into out->users and in: a user's grants are
 * consecutive rows, and so are a grant's clusters (at most one a row, so
 * in->clusters is indexed by row). */
static bool what_if_rows(const struct store_ids *ids, PGresult *r,
                         struct store_what_if *out, struct what_if_input *in,
                         struct store_error *err)
{
	int rows = PQntuples(r), n_specs = 0;
	in->specs = calloc((size_t)rows + 1, sizeof *in->specs);
	in->clusters = malloc(((size_t)rows + 1) * sizeof *in->clusters);
	in->users = calloc((size_t)rows + 1, sizeof *in->users);
	out->users = calloc((size_t)rows + 1, sizeof *out->users);
	if (!in->specs || !in->clusters || !in->users || !out->users) {
		store_fail(err, "", "out of memory");
		return false;
	}
	long long last_user = -1, last_grant = -1;
	struct engine_grant_spec *g = NULL;
	for (int i = 0; i < rows; i++) {
		long long user = col_ll(r, i, 0), grant = col_ll(r, i, 3);
		if (user != last_user) {
			struct store_cluster_user *u =
			    &out->users[out->n_users++];
			u->id = last_user = user;
			snprintf(u->login, sizeof u->login, "%s",
			         PQgetvalue(r, i, 1));
			snprintf(u->name, sizeof u->name, "%s",
			         PQgetvalue(r, i, 2));
			/* disabled: no reach of its own to change, but
			 * its grants count among those emptied */
			in->users[in->n_users].disabled =
			    strcmp(PQgetvalue(r, i, 6), "f") == 0;
			in->users[in->n_users++].grants = &in->specs[n_specs];
		}
		const char *login = out->users[out->n_users - 1].login;
		if (grant != last_grant) {
			last_grant = grant;
			g = &in->specs[n_specs++];
			in->users[in->n_users - 1].n++;
			g->clusters = &in->clusters[i];
			if (!world_id(&ids->org, col_ll(r, i, 4),
			              "organisation", login, &g->org, err))
				return false;
		}
		if (PQgetisnull(r, i, 5))
			continue;
		if (!world_id(&ids->cluster, col_ll(r, i, 5), "cluster", login,
		              &in->clusters[i], err))
			return false;
		g->n_clusters++;
	}
	return true;
}

bool store_cluster_what_if(struct store *s, const struct engine_world *w,
                           const struct store_ids *ids, const char *short_name,
                           const char *const *members, int n,
                           struct store_what_if *out, struct store_error *err)
{
	*out = (struct store_what_if){0};
	int cl = engine_cluster_find(w, short_name);
	if (cl < 0) {
		store_fail(err, "", "no cluster \"%s\"", short_name);
		return false;
	}
	int *m = malloc(((size_t)n + 1) * sizeof *m);
	if (!m) {
		store_fail(err, "", "out of memory");
		return false;
	}
	for (int i = 0; i < n; i++) {
		m[i] = engine_org_find(w, members[i]);
		if (m[i] < 0) {
			store_fail(err, "", "no organisation \"%s\"",
			           members[i]);
			free(m);
			return false;
		}
	}
	char id[24], owner[24];
	snprintf(id, sizeof id, "%lld", ids->cluster.db[cl]);
	snprintf(owner, sizeof owner, "%lld",
	         ids->org.db[engine_cluster(w, cl)->owner]);
	const char *p[] = {id, owner};
	PGresult *r = store_exec_rows(s, "what-if: the grants", what_if_sql, 2,
	                              p, 0, err);
	struct what_if_input in = {0};
	bool ok = r && what_if_rows(ids, r, out, &in, err);
	PQclear(r);
	if (ok) {
		enum engine_err e = engine_cluster_what_if(
		    w, cl, m, n, in.users, in.n_users, &out->e);
		ok = e == ENGINE_OK;
		if (!ok)
			store_fail(err, "", "what-if of cluster %s: %s",
			           short_name, engine_strerror(e));
	}
	what_if_input_free(&in);
	free(m);
	if (!ok)
		store_what_if_free(out);
	return ok;
}

void store_what_if_free(struct store_what_if *wi)
{
	engine_what_if_free(&wi->e);
	free(wi->users);
	*wi = (struct store_what_if){0};
}
