/* organisations.c: tab 2, Organisations: the tree of the organisations the
 * operator may see (org.view), with Code, Name, Site, the users holding a
 * grant there and the clusters it owns; expand and collapse (a level, or
 * all below), search by code or name. Add child, rename, mark or unmark as
 * a site, move and delete, each asked of the engine first (so a refusal
 * says why before anything is typed) and made through the store's change
 * path (which decides again on what it reads). w: Who has access?.
 *
 * At national size the first screen waits for no count of the whole tree:
 * the users column is asked of the database for the rows on screen only,
 * one statement per screenful, and kept until the world is reloaded. The
 * detail pane under the tree says who administers the organisation under
 * the cursor (its User Administrators and the Advanced User Administrators
 * above it), the first question a practice asks the help desk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/count.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_tree.h"

/* The info column: "site  12,345        3" (Site, Users, Clusters). */
#define INFO_W 22
/* The detail pane: a line across, then three lines. */
#define DETAIL_H 4

enum { COUNT_UNKNOWN = -1, COUNT_HIDDEN = -2, COUNT_FAILED = -3 };

struct orgs;
/* Move in progress: the organisation moved, the version read, and the
 * explanations the picker's reasons are written from. The screen's own,
 * so a picker closed with Esc leaves nothing to free. */
struct move {
	struct orgs *t;
	char code[33];
	int version;
	struct engine_explain ex;
};

struct orgs {
	struct ui_screen screen;
	struct session *c;
	struct ui_tree *tree;
	long generation; /* of the world the counts below are of */
	int n_orgs;
	long *users;   /* by engine id: users holding a grant there */
	int *clusters; /* by engine id: clusters it owns; -1 hidden */
	char info[64];
	/* the detail pane's administrators, for detail_code */
	char detail_code[33];
	long detail_generation;
	char admins[2][512];
	char admins_hidden[32]; /* " (+2 not shown)", kept whole */
	char select[33];        /* a code to put the cursor on after a reload */
	struct move move;
};

static const struct ui_keydef orgs_keys[] = {
    {REQ_OPEN, "Expand", "Expand or collapse the row", false, 0},
    {REQ_ADD, "Add child", "Add child: a new organisation under this one", true,
     0},
    {REQ_RENAME, NULL, "Rename the organisation", true, 0},
    {REQ_MARK, "Site", "Mark or unmark the organisation as a site", false, 0},
    {REQ_MOVE, NULL, "Move: pick the new parent from the tree", true, 0},
    {REQ_DELETE, NULL, "Delete (refused while anything depends on it)", true,
     0},
    {REQ_WHY, "Who?",
     "Who has access? Every user whose access reaches the organisation", true,
     0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_organisations_keymap = {
    "organisations", "Organisations", orgs_keys, &ui_tree_keymap};

/* Read-only mode hides what changes things and answers with why not. */
static const struct ui_keydef orgs_keys_read_only[] = {
    {REQ_ADD, NULL, "Add child (not in read-only mode)", false, 0},
    {REQ_RENAME, NULL, "Rename (not in read-only mode)", false, 0},
    {REQ_MARK, NULL, "Mark as a site (not in read-only mode)", false, 0},
    {REQ_MOVE, NULL, "Move (not in read-only mode)", false, 0},
    {REQ_DELETE, NULL, "Delete (not in read-only mode)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_organisations_keymap_read_only = {
    "organisations-read-only", "Read-only mode", orgs_keys_read_only,
    &screen_organisations_keymap};

/* ---- the tree and its counts ------------------------------------------ */

static bool judge_visible(void *ctx, int o, char *reason, size_t len)
{
	struct orgs *t = ctx;
	(void)reason;
	(void)len;
	return engine_may_org(t->c->world, t->c->op, ORG_OP_SEE, o, -1, NULL);
}

/* Counts are of one world: made again (unknown) after each reload. */
static bool reset_counts(struct orgs *t)
{
	const struct engine_world *w = t->c->world;
	int n = engine_n_orgs(w);
	long *users = malloc(((size_t)n + 1) * sizeof *users);
	int *clusters = calloc((size_t)n + 1, sizeof *clusters);
	if (!users || !clusters) {
		free(users);
		free(clusters);
		return false;
	}
	for (int i = 0; i < engine_n_clusters(w); i++)
		clusters[engine_cluster(w, i)->owner]++;
	for (int o = 0; o < n; o++) {
		users[o] =
		    engine_org_allows(w, t->c->op, ACT_USERS_VIEW, o, -1, NULL)
		        ? COUNT_UNKNOWN
		        : COUNT_HIDDEN;
		if (!engine_org_allows(w, t->c->op, ACT_CLUSTERS_VIEW, o, -1,
		                       NULL))
			clusters[o] = -1;
	}
	free(t->users);
	free(t->clusters);
	t->users = users;
	t->clusters = clusters;
	t->n_orgs = n;
	t->generation = t->c->generation;
	t->detail_code[0] = '\0';
	return true;
}

/* (Re)builds the tree from the world; false when out of memory. */
static bool build(struct orgs *t)
{
	struct org_nodes on;
	if (!org_nodes_build(&on, t->c->world, judge_visible, t))
		return false;
	bool ok;
	if (t->tree) {
		ok = ui_tree_set_nodes(t->tree, on.nodes, on.n);
	} else {
		t->tree = ui_tree_new(on.nodes, on.n, false);
		ok = t->tree != NULL;
		/* the roots open: the first level is what one looks for */
		for (int i = 0; ok && i < on.n; i++)
			if (on.nodes[i].parent < 0 &&
			    ui_tree_select(t->tree, on.nodes[i].code))
				ui_tree_request(t->tree, REQ_EXPAND, 0);
		if (ok && on.n > 0)
			ui_tree_select(t->tree, on.nodes[0].code);
	}
	org_nodes_free(&on);
	return ok && reset_counts(t);
}

/* The world changed under the screen: everything again, by code. */
static void current(struct orgs *t)
{
	if (t->generation == t->c->generation && t->users)
		return;
	if (!build(t))
		ui_error("out of memory");
	if (t->select[0] && t->tree)
		ui_tree_select(t->tree, t->select);
	t->select[0] = '\0';
}

/* The users column of the rows on screen, in one statement. */
static void fetch_counts(struct orgs *t, int top, int h)
{
	const struct engine_world *w = t->c->world;
	long long ids[256];
	int of[256], n = 0;
	for (int r = top; r < top + h && n < 256; r++) {
		const char *code = ui_tree_row_code(t->tree, r);
		int o = code ? engine_org_find(w, code) : -1;
		if (o < 0 || t->users[o] != COUNT_UNKNOWN)
			continue;
		of[n] = o;
		ids[n++] = t->c->ids.org.db[o];
	}
	if (n == 0 || !t->c->connected)
		return;
	long got[256];
	struct store_error err = {0};
	bool ok = store_org_user_counts(t->c->store, ids, n, got, &err);
	for (int i = 0; i < n; i++)
		t->users[of[i]] = ok ? got[i] : COUNT_FAILED;
	if (!ok)
		ui_error("%s", err.message);
}

static const char *count_cell(char *buf, size_t len, long n)
{
	if (n == COUNT_HIDDEN)
		return "-";
	if (n < 0)
		return "?";
	return count_text(buf, len, n);
}

static const char *info(void *ctx, const char *code)
{
	struct orgs *t = ctx;
	const struct engine_world *w = t->c->world;
	int o = engine_org_find(w, code);
	if (o < 0)
		return "";
	char users[32], clusters[32];
	snprintf(
	    t->info, sizeof t->info, "%-4s %8s %8s",
	    engine_org(w, o)->is_site ? "site" : "",
	    count_cell(users, sizeof users, t->users[o]),
	    count_cell(clusters, sizeof clusters,
	               t->clusters[o] < 0 ? COUNT_HIDDEN : t->clusters[o]));
	return t->info;
}

/* ---- the detail pane --------------------------------------------------- */

/* "User Administrators: Alloway, Kenneth (kal738); ..." of the rows
 * holding the role `which` (STORE_ADMIN_*), each at the organisation or
 * "at" the one above it whose grant it is ("above" when that grant is not
 * shown to the operator). */
static void admins_line(char *buf, size_t len, const char *title,
                        const struct store_access *a, const char *code,
                        unsigned which)
{
	size_t at = (size_t)snprintf(buf, len, "%s: ", title);
	int n = 0;
	for (int i = 0; i < a->n && at < len; i++) {
		const struct store_access_row *r = &a->rows[i];
		if (!(r->admin & which))
			continue;
		const char *where = !r->grant_org[0]                  ? " above"
		                    : strcmp(r->grant_org, code) == 0 ? ""
		                                                      : " at ";
		at += (size_t)snprintf(
		    buf + at, len - at, "%s%s (%s)%s%s", n++ ? "; " : "",
		    r->name, r->login, where,
		    strcmp(where, " at ") == 0 ? r->grant_org : "");
	}
	if (n == 0 && at < len)
		snprintf(buf + at, len - at, "none");
}

static void fetch_admins(struct orgs *t, const char *code)
{
	struct session *c = t->c;
	snprintf(t->detail_code, sizeof t->detail_code, "%s", code);
	t->detail_generation = c->generation;
	t->admins[0][0] = t->admins[1][0] = t->admins_hidden[0] = '\0';
	if (!c->connected) {
		snprintf(t->admins[0], sizeof t->admins[0],
		         "Administrators: not connected");
		return;
	}
	struct store_access a = {0};
	struct store_error err = {0};
	if (!store_org_administrators(c->store, c->world, &c->ids, c->op, code,
	                              &a, &err)) {
		snprintf(t->admins[0], sizeof t->admins[0],
		         "Administrators: %.400s", err.message);
		return;
	}
	admins_line(t->admins[0], sizeof t->admins[0], "User Administrators",
	            &a, code, STORE_ADMIN_UA);
	admins_line(t->admins[1], sizeof t->admins[1],
	            "Advanced User Administrators", &a, code, STORE_ADMIN_AUA);
	if (a.hidden)
		snprintf(t->admins_hidden, sizeof t->admins_hidden,
		         " (+%d not shown)", a.hidden);
	store_access_free(&a);
}

static void draw_detail(struct orgs *t, struct ui_area a, int y)
{
	const struct engine_world *w = t->c->world;
	const char *code = ui_tree_cursor_code(t->tree);
	int o = code ? engine_org_find(w, code) : -1;
	ui_hline(a, y);
	for (int i = 1; i < DETAIL_H; i++)
		ui_text(a, y + i, 0, a.w, STYLE_NORMAL, "");
	if (o < 0)
		return;
	if (strcmp(t->detail_code, code) != 0 ||
	    t->detail_generation != t->c->generation)
		fetch_admins(t, code);
	const struct engine_org *org = engine_org(w, o);
	char line[1024];
	if (org->parent >= 0 &&
	    engine_may_org(w, t->c->op, ORG_OP_SEE, org->parent, -1, NULL))
		snprintf(line, sizeof line, "%s %s%s, under %s %s", org->code,
		         org->name, org->is_site ? " (site)" : "",
		         engine_org(w, org->parent)->code,
		         engine_org(w, org->parent)->name);
	else if (org->parent >= 0)
		snprintf(line, sizeof line,
		         "%s %s%s, under an organisation you may not see",
		         org->code, org->name, org->is_site ? " (site)" : "");
	else
		snprintf(line, sizeof line, "%s %s%s, a root organisation",
		         org->code, org->name, org->is_site ? " (site)" : "");
	ui_text_cut(a, y + 1, 0, a.w, STYLE_BOLD, line, NULL);
	ui_text_cut(a, y + 2, 0, a.w, STYLE_NORMAL, t->admins[0], NULL);
	ui_text_cut(a, y + 3, 0, a.w, STYLE_NORMAL, t->admins[1],
	            t->admins_hidden);
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct orgs *t = (struct orgs *)s;
	current(t);
	if (!t->tree)
		return;
	int tree_h = a.h - 1 - DETAIL_H;
	if (tree_h < 1)
		tree_h = 1;
	ui_text(a, 0, 0, a.w - INFO_W - 1, STYLE_HEADER, "Code  Name");
	ui_text(a, 0, a.w - INFO_W - 1, INFO_W + 1, STYLE_HEADER,
	        " Site    Users Clusters");
	struct ui_area body = {a.y + 1, a.x, tree_h, a.w};
	if (ui_tree_rows(t->tree) == 0) {
		ui_text(body, 0, 0, a.w, STYLE_NORMAL,
		        "No organisation you may see.");
		ui_cursor(body, 0, 0);
		return;
	}
	fetch_counts(t, ui_tree_view(t->tree, tree_h), tree_h);
	/* the detail first: the tree's draw leaves the cursor on its row */
	draw_detail(t, a, 1 + tree_h);
	ui_tree_draw(t->tree, body);
}

/* ---- the changes ------------------------------------------------------- */

/* The organisation under the cursor, or -1 (said why). */
static int cursor_org(struct orgs *t)
{
	const char *code = ui_tree_cursor_code(t->tree);
	int o = code ? engine_org_find(t->c->world, code) : -1;
	if (o < 0)
		ui_error("No organisation here.");
	return o;
}

/* Asks the engine on the session's world; false (said why) when it
 * refuses. The store asks again on what its transaction reads. */
static bool may(struct orgs *t, enum engine_org_op what, int o, int parent,
                const char *doing)
{
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool ok = engine_may_org(t->c->world, t->c->op, what, o, parent, &ex);
	if (!ok) {
		char why[600];
		store_explain_line(t->c->world, t->c->op, -1, &ex, why,
		                   sizeof why);
		ui_error("Cannot %s: %s", doing, why);
	}
	engine_explain_free(&ex);
	return ok;
}

static bool writable(struct orgs *t, const char *what)
{
	if (!t->c->read_only)
		return true;
	ui_error("Read-only mode: organisations cannot be %s.", what);
	return false;
}

/* After a change of ours: the world again (the reload tells this screen,
 * which rebuilds), the cursor on `code`. */
static void saved(struct orgs *t, const char *code)
{
	snprintf(t->select, sizeof t->select, "%s", code ? code : "");
	session_reload(t->c);
}

static void form_saved(void *ctx, const char *code)
{
	saved(ctx, code);
}

static void add_child(struct orgs *t)
{
	if (!writable(t, "added"))
		return;
	int o = ui_tree_rows(t->tree) ? cursor_org(t) : -1;
	const char *under =
	    o >= 0 ? engine_org(t->c->world, o)->code : "the top";
	char doing[96];
	snprintf(doing, sizeof doing, "add an organisation under %s", under);
	if ((o >= 0 || !ui_tree_rows(t->tree)) &&
	    may(t, ORG_OP_ADD_CHILD, o, -1, doing)) {
		struct ui_screen *f = screen_org_form_new(
		    t->c, o >= 0 ? engine_org(t->c->world, o)->code : "", NULL,
		    form_saved, t);
		if (f)
			ui_push(f);
	}
}

static void rename_org(struct orgs *t)
{
	int o;
	if (!writable(t, "renamed") || (o = cursor_org(t)) < 0)
		return;
	const char *code = engine_org(t->c->world, o)->code;
	char doing[96];
	snprintf(doing, sizeof doing, "rename %s", code);
	if (!may(t, ORG_OP_RENAME, o, -1, doing))
		return;
	struct ui_screen *f =
	    screen_org_form_new(t->c, NULL, code, form_saved, t);
	if (f)
		ui_push(f);
}

/* The organisation as the database holds it now (its version), or false
 * with the message shown. */
static bool read_now(struct orgs *t, const char *code, struct store_org_form *f)
{
	struct store_error err = {0};
	if (session_offline(t->c, "change the organisation"))
		return false;
	if (!store_org_read(t->c->store, code, f, &err)) {
		ui_error("%s", err.message);
		return false;
	}
	return true;
}

static void toggle_site(struct orgs *t)
{
	int o;
	if (!writable(t, "changed") || (o = cursor_org(t)) < 0)
		return;
	char code[33], doing[96], question[160];
	snprintf(code, sizeof code, "%s", engine_org(t->c->world, o)->code);
	struct store_org_form f;
	if (!read_now(t, code, &f))
		return;
	snprintf(doing, sizeof doing, "%s %s as a site",
	         f.is_site ? "unmark" : "mark", code);
	if (!may(t, ORG_OP_RENAME, o, -1, doing))
		return;
	snprintf(question, sizeof question, "%s %s as a site?",
	         f.is_site ? "Unmark" : "Mark", code);
	if (!ui_confirm(question))
		return;
	struct store_error err = {0};
	if (!store_org_set_site(t->c->store, t->c->operator_login, code,
	                        f.version, !f.is_site, &err)) {
		ui_error("Cannot %s: %s", doing, err.message);
		return;
	}
	saved(t, code);
	ui_message("%s %s as a site.", f.is_site ? "Unmarked" : "Marked", code);
}

/* ---- move: the new parent from the tree -------------------------------- */

/* The pseudo-node for "no parent": no organisation code has brackets. */
static const char top_code[] = "(top)";

/* Shown: what the operator sees; pickable: where the engine lets the
 * organisation go (orgs.manage over it and over the new parent, never
 * into its own subtree). */
static bool judge_parent(void *ctx, int p, char *reason, size_t len)
{
	struct move *m = ctx;
	const struct engine_world *w = m->t->c->world;
	int op = m->t->c->op, o = engine_org_find(w, m->code);
	if (!engine_may_org(w, op, ORG_OP_SEE, p, -1, NULL))
		return false;
	engine_explain_reset(&m->ex);
	if (o >= 0 && engine_org(w, o)->parent == p)
		snprintf(reason, len, "%s is under %s already", m->code,
		         engine_org(w, p)->code);
	else if (o >= 0 && !engine_may_org(w, op, ORG_OP_MOVE, o, p, &m->ex))
		store_explain_line(w, op, -1, &m->ex, reason, len);
	return true;
}

static void picked_parent(void *ctx, const char *code)
{
	struct move *m = ctx;
	struct orgs *t = m->t;
	bool top = strcmp(code, top_code) == 0;
	char question[200];
	snprintf(question, sizeof question, "Move %s %s%s?", m->code,
	         top ? "to the top (no parent)" : "under ", top ? "" : code);
	if (ui_confirm(question)) {
		struct store_error err = {0};
		if (store_org_move(t->c->store, t->c->operator_login, m->code,
		                   m->version, top ? "" : code, &err)) {
			saved(t, m->code);
			ui_message("Moved %s %s%s.", m->code,
			           top ? "to the top" : "under ",
			           top ? "" : code);
		} else {
			ui_error("Cannot move %s: %s", m->code, err.message);
		}
	}
}

static void move_org(struct orgs *t)
{
	int o;
	if (!writable(t, "moved") || (o = cursor_org(t)) < 0)
		return;
	struct move *m = &t->move;
	snprintf(m->code, sizeof m->code, "%s",
	         engine_org(t->c->world, o)->code);
	char doing[96];
	snprintf(doing, sizeof doing, "move %s", m->code);
	struct store_org_form f;
	if (!may(t, ORG_OP_RENAME, o, -1, doing) || !read_now(t, m->code, &f))
		return;
	m->version = f.version;
	struct org_nodes on;
	if (!org_nodes_build(&on, t->c->world, judge_parent, m)) {
		ui_error("out of memory");
		return;
	}
	/* "no parent" first, as a root of its own */
	struct ui_tree_node *nodes = malloc(((size_t)on.n + 1) * sizeof *nodes);
	char top_why[600] = "";
	struct ui_screen *picker = NULL;
	if (nodes) {
		engine_explain_reset(&m->ex);
		if (f.parent[0] == '\0')
			snprintf(top_why, sizeof top_why,
			         "%s is at the top already", m->code);
		else if (!engine_may_org(t->c->world, t->c->op, ORG_OP_MOVE, o,
		                         -1, &m->ex))
			store_explain_line(t->c->world, t->c->op, -1, &m->ex,
			                   top_why, sizeof top_why);
		nodes[0] =
		    (struct ui_tree_node){top_code,
		                          "No parent: a root organisation",
		                          NULL,
		                          -1,
		                          top_why[0] != '\0',
		                          top_why};
		for (int i = 0; i < on.n; i++) {
			nodes[i + 1] = on.nodes[i];
			if (nodes[i + 1].parent >= 0)
				nodes[i + 1].parent++;
		}
		char title[80];
		snprintf(title, sizeof title, "Move %s under", m->code);
		picker = ui_tree_picker_new(title, nodes, on.n + 1,
		                            picked_parent, m);
	}
	free(nodes);
	org_nodes_free(&on);
	if (!picker) {
		ui_error("out of memory");
		return;
	}
	ui_push(picker);
	ui_tree_select(ui_tree_picker_tree(picker), m->code);
	ui_message("Pick the new parent of %s (Enter), or Esc.", m->code);
}

static void delete_org(struct orgs *t)
{
	int o;
	if (!writable(t, "deleted") || (o = cursor_org(t)) < 0)
		return;
	const struct engine_org *org = engine_org(t->c->world, o);
	char code[33], name[128], doing[96], deps[512], question[256];
	snprintf(code, sizeof code, "%s", org->code);
	snprintf(name, sizeof name, "%s", org->name);
	snprintf(doing, sizeof doing, "delete %s", code);
	struct store_org_form f;
	struct store_error err = {0};
	if (!read_now(t, code, &f))
		return;
	if (!store_org_dependants(t->c->store, code, deps, sizeof deps, &err)) {
		ui_error("%s", err.message);
		return;
	}
	if (deps[0]) {
		ui_error("Cannot delete %s: it has %s.", code, deps);
		return;
	}
	if (!may(t, ORG_OP_DELETE, o, -1, doing))
		return;
	snprintf(question, sizeof question,
	         "Delete %s (%s)? It cannot be undone.", code, name);
	if (!ui_confirm(question))
		return;
	const char *parent = org->parent >= 0
	                         ? engine_org(t->c->world, org->parent)->code
	                         : NULL;
	char after[33] = "";
	if (parent)
		snprintf(after, sizeof after, "%s", parent);
	if (!store_org_delete(t->c->store, t->c->operator_login, code,
	                      f.version, &err)) {
		ui_error("Cannot delete %s: %s", code, err.message);
		return;
	}
	saved(t, after);
	ui_message("Deleted %s.", code);
}

/* ---- keys -------------------------------------------------------------- */

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct orgs *t = (struct orgs *)s;
	(void)k;
	current(t);
	if (!t->tree)
		return UI_IGNORED;
	switch (r) {
	case REQ_OPEN:
		ui_tree_request(
		    t->tree,
		    ui_tree_expanded(t->tree, ui_tree_cursor_code(t->tree))
		        ? REQ_COLLAPSE
		        : REQ_EXPAND,
		    0);
		return UI_HANDLED;
	case REQ_ADD:
		add_child(t);
		return UI_HANDLED;
	case REQ_RENAME:
		rename_org(t);
		return UI_HANDLED;
	case REQ_MARK:
		toggle_site(t);
		return UI_HANDLED;
	case REQ_MOVE:
		move_org(t);
		return UI_HANDLED;
	case REQ_DELETE:
		delete_org(t);
		return UI_HANDLED;
	case REQ_WHY: {
		int o = cursor_org(t);
		struct ui_screen *w =
		    o >= 0
		        ? screen_who_new(t->c, engine_org(t->c->world, o)->code)
		        : NULL;
		if (w)
			ui_push(w);
		return UI_HANDLED;
	}
	default:
		return ui_tree_request(t->tree, r, 0) ? UI_HANDLED : UI_IGNORED;
	}
}

static void changed(struct ui_screen *s)
{
	current((struct orgs *)s);
}

static void close_orgs(struct ui_screen *s)
{
	struct orgs *t = (struct orgs *)s;
	ui_tree_free(t->tree);
	engine_explain_free(&t->move.ex);
	free(t->users);
	free(t->clusters);
	free(t);
}

struct ui_screen *screen_organisations_new(struct session *c)
{
	struct orgs *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->c = c;
	t->move.t = t;
	engine_explain_init(&t->move.ex);
	t->screen = (struct ui_screen){
	    .title = "Organisations",
	    .draw = draw,
	    .key = key,
	    .keymap = c->read_only ? &screen_organisations_keymap_read_only
	                           : &screen_organisations_keymap,
	    .close = close_orgs,
	    .changed = changed};
	if (!build(t)) {
		close_orgs(&t->screen);
		ui_error("out of memory");
		return NULL;
	}
	ui_tree_set_info(t->tree, info, t, INFO_W);
	return &t->screen;
}
