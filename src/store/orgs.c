/* orgs.c: the Organisations tab's changes (add a child, rename, mark or
 * unmark a site, move, delete), each one change on the one change path
 * (change.c): lock the organisation (for an add, its parent) and check the
 * version it was read at, decide with engine_may_org on the snapshot read
 * inside the transaction (access-model.md section 5), write, audit. The
 * schema's triggers (sql/003_invariants.sql) hold the tree's invariants;
 * their refusals reach the operator in their own words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/fields.h"
#include "accessdesk/store.h"
#include "internal.h"

/* A statement about the organisation with this code ($1, any case): its
 * one row, or NULL with "no organisation \"CODE\"" when there is none. */
static PGresult *one_org(struct store *s, const char *sql, const char *code,
                         struct store_error *err)
{
	const char *p[] = {code};
	PGresult *r = store_exec(s, sql, 1, p, PGRES_TUPLES_OK, err);
	if (r && PQntuples(r) != 1) {
		PQclear(r);
		r = NULL;
		store_fail(err, "", "no organisation \"%s\"", code);
	}
	return r;
}

bool store_org_read(struct store *s, const char *code, struct store_org_form *f,
                    struct store_error *err)
{
	PGresult *r = one_org(
	    s,
	    "SELECT o.code, o.name, coalesce(p.code, ''), o.is_site, "
	    "o.version FROM organisations o LEFT JOIN organisations p ON "
	    "p.id = o.parent_id WHERE lower(o.code) = lower($1)",
	    code, err);
	if (!r)
		return false;
	snprintf(f->code, sizeof f->code, "%s", PQgetvalue(r, 0, 0));
	snprintf(f->name, sizeof f->name, "%s", PQgetvalue(r, 0, 1));
	snprintf(f->parent, sizeof f->parent, "%s", PQgetvalue(r, 0, 2));
	f->is_site = strcmp(PQgetvalue(r, 0, 3), "t") == 0;
	f->version = atoi(PQgetvalue(r, 0, 4));
	PQclear(r);
	return true;
}

/* ---- a change ---------------------------------------------------------- */

enum org_change_kind { CHG_ADD, CHG_RENAME, CHG_SITE, CHG_MOVE, CHG_DELETE };

struct org_change {
	enum org_change_kind kind;
	const char *code; /* as given (an add: the new one) */
	int version;
	const char *name;   /* add, rename */
	const char *parent; /* add: the parent; move: the new one; "": a root */
	bool is_site;       /* add, site */
	/* the audit's target: the code as stored, set by lock */
	char target[33];
	/* read again by each attempt, in the transaction */
	char parent_code[33]; /* add: the parent's code as stored */
	long long id;         /* the organisation's; an add: its parent's */
	long long parent_id;  /* move: the new parent's (0: the top) */
	bool unchanged;
	bool code_taken; /* add: the unique index refused the code */
};

static bool org_lock(struct store_tx *tx, void *ctx)
{
	struct org_change *c = ctx;
	c->id = c->parent_id = 0;
	c->unchanged = c->code_taken = false;
	c->parent_code[0] = '\0';
	if (c->kind != CHG_ADD)
		return store_tx_lock_org(tx, c->code, c->version,
		                         "organisation", &c->id, c->target,
		                         sizeof c->target);
	/* a new child: its parent's row, so that the parent is not deleted
	 * or moved under the add */
	return !c->parent[0] ||
	       store_tx_lock_org(tx, c->parent, 0, "parent organisation",
	                         &c->id, c->parent_code, sizeof c->parent_code);
}

static bool org_need(struct store_tx *tx, void *ctx)
{
	struct org_change *c = ctx;
	const char *parent = c->kind == CHG_ADD ? c->parent_code : c->parent;
	return (c->kind == CHG_ADD || store_tx_need_org(tx, c->target)) &&
	       (!parent || !parent[0] || store_tx_need_org(tx, parent));
}

/* Did the engine refuse a delete for its dependants alone? It looks at
 * them only once orgs.manage holds over the organisation. The snapshot
 * holds only the organisations named and their ancestors, so it cannot
 * know them all: the database does, and the delete's trigger refuses with
 * their counts. */
static bool only_dependants(const struct engine_explain *ex)
{
	for (int i = 0; i < ex->n; i++)
		if (ex->r[i].why == WHY_ADMIN_DEPENDENTS)
			return true;
	return false;
}

static bool org_decide(struct store_tx *tx, void *ctx)
{
	struct org_change *c = ctx;
	const struct engine_world *w = store_tx_world(tx);
	const char *parent = c->kind == CHG_ADD ? c->parent_code : c->parent;
	int o = c->kind == CHG_ADD ? -1 : engine_org_find(w, c->target);
	int p = parent && parent[0] ? engine_org_find(w, parent) : -1;
	if ((c->kind != CHG_ADD && o < 0) || (parent && parent[0] && p < 0)) {
		store_fail(store_tx_err(tx), "", "no organisation \"%s\"",
		           o < 0 && c->kind != CHG_ADD ? c->target : parent);
		return false;
	}
	const struct engine_org *org = o >= 0 ? engine_org(w, o) : NULL;
	enum engine_org_op op = ORG_OP_RENAME;
	char what[128];
	switch (c->kind) {
	case CHG_ADD:
		op = ORG_OP_ADD_CHILD;
		if (p < 0)
			snprintf(what, sizeof what, "add a root organisation");
		else
			snprintf(what, sizeof what,
			         "add an organisation under %s", parent);
		o = p;
		break;
	case CHG_RENAME:
		snprintf(what, sizeof what, "rename %s", c->target);
		c->unchanged = strcmp(org->name, c->name) == 0;
		break;
	case CHG_SITE:
		/* marking or unmarking a site is an edit of the
		 * organisation: orgs.manage over it, as a rename */
		snprintf(what, sizeof what, "%s %s as a site",
		         c->is_site ? "mark" : "unmark", c->target);
		c->unchanged = org->is_site == c->is_site;
		break;
	case CHG_MOVE:
		op = ORG_OP_MOVE;
		if (p < 0)
			snprintf(what, sizeof what, "move %s to the top",
			         c->target);
		else
			snprintf(what, sizeof what, "move %s under %s",
			         c->target, engine_org(w, p)->code);
		c->unchanged = org->parent == p;
		c->parent_id = p < 0 ? 0 : store_tx_ids(tx)->org.db[p];
		break;
	case CHG_DELETE:
		op = ORG_OP_DELETE;
		snprintf(what, sizeof what, "delete %s", c->target);
		break;
	}
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool ok = engine_may_org(w, store_tx_op(tx), op, o, p, &ex) ||
	          (c->kind == CHG_DELETE && only_dependants(&ex)) ||
	          store_tx_refuse(tx, &ex, what);
	engine_explain_free(&ex);
	return ok;
}

/* Is the code free, compared case-insensitively? Else STORE_INVALID
 * naming the organisation that holds it. */
static bool code_free(struct store *s, const char *code,
                      struct store_error *err)
{
	const char *p[] = {code};
	PGresult *r = store_exec(s,
	                         "SELECT code, name FROM organisations WHERE "
	                         "lower(code) = lower($1)",
	                         1, p, PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	bool free_ = PQntuples(r) == 0;
	if (!free_)
		store_fail(err, STORE_INVALID,
		           "Code %s is already used by %s (%s)", code,
		           PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
	PQclear(r);
	return free_;
}

static bool org_write(struct store_tx *tx, void *ctx)
{
	struct org_change *c = ctx;
	if (c->unchanged) {
		store_tx_unchanged(tx);
		return true;
	}
	char id[24], parent_id[24];
	snprintf(id, sizeof id, "%lld", c->id);
	snprintf(parent_id, sizeof parent_id, "%lld", c->parent_id);
	const char *p[] = {id, NULL};
	switch (c->kind) {
	case CHG_ADD: {
		if (!code_free(store_tx_store(tx), c->code, store_tx_err(tx)))
			return false;
		const char *a[] = {c->code, c->name, c->id ? id : NULL,
		                   c->is_site ? "true" : "false"};
		bool ok = store_tx_run(tx,
		                       "INSERT INTO organisations (code, name, "
		                       "parent_id, is_site) VALUES ($1, $2, "
		                       "$3, $4)",
		                       4, a);
		/* another add of the code committed after this one's
		 * snapshot: the index is the backstop, and the message is
		 * made once the transaction is over (see store_org_add) */
		c->code_taken =
		    !ok && strcmp(store_tx_err(tx)->sqlstate, "23505") == 0;
		return ok;
	}
	case CHG_RENAME:
		p[1] = c->name;
		return store_tx_run(
		    tx, "UPDATE organisations SET name = $2 WHERE id = $1", 2,
		    p);
	case CHG_SITE:
		p[1] = c->is_site ? "true" : "false";
		return store_tx_run(
		    tx, "UPDATE organisations SET is_site = $2 WHERE id = $1",
		    2, p);
	case CHG_MOVE:
		p[1] = c->parent_id ? parent_id : NULL;
		return store_tx_run(
		    tx, "UPDATE organisations SET parent_id = $2 WHERE id = $1",
		    2, p);
	case CHG_DELETE:
		return store_tx_run(
		    tx, "DELETE FROM organisations WHERE id = $1", 1, p);
	}
	return false;
}

static bool org_change(struct store *s, const char *operator_login,
                       const char *action, struct org_change *c,
                       struct store_error *err)
{
	snprintf(c->target, sizeof c->target, "%s", c->code);
	struct store_change chg = {
	    .operator_login = operator_login,
	    .action = action,
	    .kind = STORE_TARGET_ORG,
	    .target = c->target,
	    .ctx = c,
	    .lock = org_lock,
	    .need = org_need,
	    .decide = org_decide,
	    .write = org_write,
	};
	return store_change(s, &chg, err);
}

bool store_org_add(struct store *s, const char *operator_login,
                   const struct store_org_form *f, struct store_error *err)
{
	if (!store_field_ok(FIELD_ORG_CODE, f->code, err) ||
	    !store_field_ok(FIELD_ORG_NAME, f->name, err))
		return false;
	struct org_change c = {.kind = CHG_ADD,
	                       .code = f->code,
	                       .name = f->name,
	                       .parent = f->parent,
	                       .is_site = f->is_site};
	if (org_change(s, operator_login, "add", &c, err))
		return true;
	/* now that the other add is visible: who holds the code */
	if (c.code_taken && code_free(s, f->code, err))
		store_fail(err, STORE_INVALID, "Code %s is already used",
		           f->code);
	return false;
}

bool store_org_rename(struct store *s, const char *operator_login,
                      const char *code, int version, const char *name,
                      struct store_error *err)
{
	if (!store_field_ok(FIELD_ORG_NAME, name, err))
		return false;
	struct org_change c = {
	    .kind = CHG_RENAME, .code = code, .version = version, .name = name};
	return org_change(s, operator_login, "rename", &c, err);
}

bool store_org_set_site(struct store *s, const char *operator_login,
                        const char *code, int version, bool is_site,
                        struct store_error *err)
{
	struct org_change c = {.kind = CHG_SITE,
	                       .code = code,
	                       .version = version,
	                       .is_site = is_site};
	return org_change(s, operator_login,
	                  is_site ? "mark site" : "unmark site", &c, err);
}

bool store_org_move(struct store *s, const char *operator_login,
                    const char *code, int version, const char *new_parent,
                    struct store_error *err)
{
	struct org_change c = {.kind = CHG_MOVE,
	                       .code = code,
	                       .version = version,
	                       .parent = new_parent ? new_parent : ""};
	return org_change(s, operator_login, "move", &c, err);
}

bool store_org_delete(struct store *s, const char *operator_login,
                      const char *code, int version, struct store_error *err)
{
	struct org_change c = {
	    .kind = CHG_DELETE, .code = code, .version = version};
	return org_change(s, operator_login, "delete", &c, err);
}

/* ---- what the tab shows ------------------------------------------------ */

bool store_org_dependants(struct store *s, const char *code, char *buf,
                          size_t len, struct store_error *err)
{
	PGresult *r = one_org(s,
	                      "SELECT ad_org_dependants(id) FROM organisations "
	                      "WHERE lower(code) = lower($1)",
	                      code, err);
	if (r)
		snprintf(buf, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return r != NULL;
}

bool store_org_user_counts(struct store *s, const long long *org_ids, int n,
                           long *users, struct store_error *err)
{
	if (n <= 0)
		return true;
	char *lit = store_id_array(org_ids, n);
	if (!lit) {
		store_fail(err, "", "out of memory");
		return false;
	}
	const char *p[] = {lit};
	/* a grant is one user's at one organisation: its count is the
	 * users', each an index scan of grants_org_users */
	PGresult *r = store_exec(
	    s,
	    "SELECT (SELECT count(*) FROM grants g WHERE g.org_id = u.id) "
	    "FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, n) ORDER BY "
	    "u.n",
	    1, p, PGRES_TUPLES_OK, err);
	free(lit);
	if (!r)
		return false;
	bool all = PQntuples(r) == n;
	for (int i = 0; all && i < n; i++)
		users[i] = strtol(PQgetvalue(r, i, 0), NULL, 10);
	if (!all)
		store_fail(err, "", "user counts: expected %d rows, got %d", n,
		           PQntuples(r));
	PQclear(r);
	return all;
}
