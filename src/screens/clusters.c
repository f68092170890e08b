/* clusters.c: tab 3, Service Provider Clusters, as CQRS lists them: pick
 * the owner organisation (o: a tree of the organisations where the
 * operator has clusters.view), then its clusters with Short Name, Name,
 * Description, members and the users whose grants select each (one
 * statement: store_cluster_list). Enter opens a cluster by its short name
 * (rename, description, members, delete: cluster_form.c), a is Add New
 * Cluster, d deletes (refused while any grant selects it, listing who),
 * / searches by short name or name. The pane under the list names the
 * members of the cluster under the cursor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/count.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_tree.h"

enum { COL_SHORT, COL_NAME, COL_DESCRIPTION, COL_MEMBERS, COL_USERS, COLS };

/* The pane under the list: a line across, then three lines. */
#define DETAIL_H 4

struct clusters {
	struct ui_screen screen;
	struct session *c;
	char owner[33]; /* "" when the operator may see no cluster */
	struct store_cluster_list l;
	bool loaded; /* l is of owner, at generation */
	long generation;
	char error[1024];
	struct ui_list list;
	char members[16], users[16]; /* the cells being drawn */
	char select[11]; /* a short name to put the cursor on after a load */
	char search[128];
};

static const struct ui_column columns[COLS] = {
    {"Short Name", 10}, {"Name", 12}, {"Description", 8},
    {"Members", 7},     {"Users", 5},
};
static const struct ui_column_fit fit[COLS] = {
    {0, false}, {3, false}, {2, false}, {0, true}, {0, true},
};

static const struct ui_keydef cluster_keys[] = {
    {REQ_OPEN, NULL, "Open the cluster: rename, description, members, delete",
     true, 0},
    {REQ_ADD, "Add New Cluster", "Add New Cluster to the owner", true, 0},
    {REQ_OWNER, NULL, "Pick the owner organisation whose clusters are listed",
     true, 0},
    {REQ_DELETE, NULL, "Delete the cluster (refused while a grant selects it)",
     true, 0},
    {REQ_SEARCH, NULL, "Search by Short Name (its start) or Name (anywhere)",
     true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_clusters_keymap = {
    "clusters", "Service Provider Clusters", cluster_keys, &ui_list_keymap};

static const struct ui_keydef cluster_keys_read_only[] = {
    {REQ_ADD, NULL, "Add New Cluster (not in read-only mode)", false, 0},
    {REQ_DELETE, NULL, "Delete (not in read-only mode)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_clusters_keymap_read_only = {
    "clusters-read-only", "Read-only mode", cluster_keys_read_only,
    &screen_clusters_keymap};

static bool may_see(const struct clusters *t, int o)
{
	return engine_may_see_cluster(t->c->world, t->c->op, o, NULL);
}

/* The first organisation, in tree order, whose clusters the operator may
 * see and that owns one; else the first whose clusters they may see. */
static void default_owner(struct clusters *t)
{
	const struct engine_world *w = t->c->world;
	int n = engine_n_orgs(w), first = -1;
	bool *owns = calloc((size_t)n + 1, sizeof *owns);
	for (int i = 0; owns && i < engine_n_clusters(w); i++)
		owns[engine_cluster(w, i)->owner] = true;
	for (int pre = 0; pre < n; pre++) {
		int o = engine_org_by_pre(w, pre);
		if (!may_see(t, o))
			continue;
		if (first < 0)
			first = o;
		if (owns && owns[o]) {
			first = o;
			break;
		}
	}
	free(owns);
	snprintf(t->owner, sizeof t->owner, "%s",
	         first >= 0 ? engine_org(w, first)->code : "");
}

/* Does the engine let the operator add a cluster to o (read-only mode
 * never does)? */
static bool may_add(const struct clusters *t, int o)
{
	return !t->c->read_only && o >= 0 &&
	       engine_may_manage_cluster(t->c->world, t->c->op, o, NULL, 0,
	                                 NULL);
}

static const char *cell(void *ctx, int row, int column)
{
	struct clusters *t = ctx;
	const struct store_cluster_row *r = &t->l.rows[row];
	switch (column) {
	case COL_SHORT:
		return r->short_name;
	case COL_NAME:
		return r->name;
	case COL_DESCRIPTION:
		return r->description;
	case COL_MEMBERS:
		return count_text(t->members, sizeof t->members, r->members);
	default:
		return count_text(t->users, sizeof t->users, r->users);
	}
}

static void load(struct clusters *t)
{
	struct session *c = t->c;
	store_cluster_list_free(&t->l);
	t->loaded = true;
	t->generation = c->generation;
	t->error[0] = '\0';
	t->list.n_rows = 0;
	int o = engine_org_find(c->world, t->owner);
	if (o < 0 || !may_see(t, o))
		default_owner(t);
	if (!t->owner[0])
		return;
	if (!c->connected) {
		snprintf(t->error, sizeof t->error,
		         "Not connected: the clusters are read from the "
		         "database.");
		return;
	}
	struct store_error err = {0};
	if (!store_cluster_list(c->store, t->owner, &t->l, &err)) {
		snprintf(t->error, sizeof t->error, "%s", err.message);
		return;
	}
	t->list.n_rows = t->l.n;
	for (int i = 0; t->select[0] && i < t->l.n; i++)
		if (strcmp(t->l.rows[i].short_name, t->select) == 0)
			t->list.cursor = i;
	t->select[0] = '\0';
	if (t->list.cursor >= t->l.n)
		t->list.cursor = t->l.n > 0 ? t->l.n - 1 : 0;
}

static void current(struct clusters *t)
{
	if (!t->loaded || t->generation != t->c->generation)
		load(t);
}

static const struct store_cluster_row *cursor_row(const struct clusters *t)
{
	return t->list.n_rows > 0 ? &t->l.rows[t->list.cursor] : NULL;
}

/* "Members: A01AAA SvcProviderA01; B01BBB ..." of the world's cluster. */
static void draw_detail(struct clusters *t, struct ui_area a, int y)
{
	const struct engine_world *w = t->c->world;
	const struct store_cluster_row *r = cursor_row(t);
	ui_hline(a, y);
	for (int i = 1; i < DETAIL_H; i++)
		ui_text(a, y + i, 0, a.w, STYLE_NORMAL, "");
	if (!r)
		return;
	int cl = engine_cluster_find(w, r->short_name);
	char line[2048];
	snprintf(line, sizeof line, "%s %s, owned by %s%s%s", r->short_name,
	         r->name, t->owner, r->description[0] ? ": " : "",
	         r->description);
	ui_text_cut(a, y + 1, 0, a.w, STYLE_BOLD, line, NULL);
	size_t at = (size_t)snprintf(line, sizeof line, "Members: ");
	const struct engine_cluster *c = cl >= 0 ? engine_cluster(w, cl) : NULL;
	for (int i = 0; c && i < c->n_members && at < sizeof line; i++) {
		const struct engine_org *m = engine_org(w, c->members[i]);
		at += (size_t)snprintf(line + at, sizeof line - at, "%s%s %s",
		                       i ? "; " : "", m->code, m->name);
	}
	if (!c || c->n_members == 0)
		snprintf(line + at, sizeof line - at,
		         "none (a grant selecting only this cluster reaches "
		         "nothing)");
	ui_text_cut(a, y + 2, 0, a.w, STYLE_NORMAL, line, NULL);
	char users[32];
	snprintf(line, sizeof line,
	         "Users whose grants select it: %s (narrowed to the members "
	         "and below)",
	         count_text(users, sizeof users, r->users));
	ui_text_cut(a, y + 3, 0, a.w, STYLE_NORMAL, line, NULL);
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct clusters *t = (struct clusters *)s;
	current(t);
	const struct engine_world *w = t->c->world;
	if (!t->owner[0]) {
		ui_text(a, 0, 0, a.w, STYLE_NORMAL,
		        "No organisation whose clusters you may see.");
		for (int y = 1; y < a.h; y++)
			ui_text(a, y, 0, a.w, STYLE_NORMAL, "");
		ui_cursor(a, 0, 0);
		return;
	}
	int o = engine_org_find(w, t->owner);
	char line[512], n[32];
	snprintf(line, sizeof line, "Owner: %s - %s", t->owner,
	         o >= 0 ? engine_org(w, o)->name : "?");
	char count[32];
	snprintf(n, sizeof n, "%s cluster%s",
	         count_text(count, sizeof count, t->l.n),
	         t->l.n == 1 ? "" : "s");
	int nw = (int)strlen(n);
	ui_text_cut(a, 0, 0, a.w - nw - 1, STYLE_BOLD, line, NULL);
	ui_text(a, 0, a.w - nw - 1, nw + 1, STYLE_NORMAL, "");
	ui_text(a, 0, a.w - nw, nw, STYLE_NORMAL, n);
	struct ui_area body = {a.y + 1, a.x, a.h - 1 - DETAIL_H, a.w};
	draw_detail(t, a, a.h - DETAIL_H);
	ui_list_draw(&t->list, body);
	if (t->error[0] || t->l.n == 0) {
		ui_text(
		    body, 1, 0, a.w, t->error[0] ? STYLE_ERROR : STYLE_NORMAL,
		    t->error[0]     ? t->error
		    : may_add(t, o) ? "No cluster is owned here: a adds one."
		                    : "No cluster is owned here.");
		ui_cursor(body, 1, 0);
	}
}

/* ---- the keys ---------------------------------------------------------- */

static void saved(void *ctx, const char *short_name)
{
	struct clusters *t = ctx;
	snprintf(t->select, sizeof t->select, "%s", short_name);
	session_reload(t->c);
}

static void picked_owner(void *ctx, const char *code)
{
	struct clusters *t = ctx;
	snprintf(t->owner, sizeof t->owner, "%s", code);
	t->list.cursor = t->list.top = 0;
	load(t);
}

static bool judge_owner(void *ctx, int o, char *reason, size_t len)
{
	(void)reason;
	(void)len;
	return may_see(ctx, o);
}

static void owners_refresh(void *ctx, struct ui_tree *tree)
{
	struct clusters *t = ctx;
	if (!org_nodes_refresh(tree, t->c->world, judge_owner, t))
		ui_error("out of memory");
}

static void pick_owner(struct clusters *t)
{
	struct org_nodes on;
	if (!org_nodes_build(&on, t->c->world, judge_owner, t)) {
		ui_error("out of memory");
		return;
	}
	struct ui_screen *p =
	    ui_tree_picker_new("Owner organisation of the clusters", on.nodes,
	                       on.n, picked_owner, t);
	org_nodes_free(&on);
	if (!p) {
		ui_error("out of memory");
		return;
	}
	ui_tree_picker_on_changed(p, owners_refresh);
	ui_push(p);
	if (t->owner[0])
		ui_tree_select(ui_tree_picker_tree(p), t->owner);
	ui_message("Pick the owner (Enter), / to search, or Esc.");
}

static void add(struct clusters *t)
{
	const struct engine_world *w = t->c->world;
	if (t->c->read_only) {
		ui_error("Read-only mode: clusters cannot be added.");
		return;
	}
	int o = engine_org_find(w, t->owner);
	if (o < 0) {
		ui_error("Pick an owner organisation first (o).");
		return;
	}
	struct engine_explain ex;
	engine_explain_init(&ex);
	if (!engine_may_manage_cluster(w, t->c->op, o, NULL, 0, &ex)) {
		char why[600];
		store_explain_line(w, t->c->op, -1, &ex, why, sizeof why);
		ui_error("Cannot add a cluster to %s: %s", t->owner, why);
	} else {
		struct ui_screen *f =
		    screen_cluster_form_new(t->c, t->owner, NULL, saved, t);
		if (f)
			ui_push(f);
	}
	engine_explain_free(&ex);
}

static void search(struct clusters *t)
{
	char buf[sizeof t->search];
	snprintf(buf, sizeof buf, "%s", t->search);
	if (!ui_prompt("Search by Short Name or Name: ", buf, sizeof buf) ||
	    !buf[0])
		return;
	snprintf(t->search, sizeof t->search, "%s", buf);
	static const int by[] = {COL_SHORT, COL_NAME};
	if (!ui_list_find(&t->list, buf, by, 2))
		ui_error("No cluster listed matches \"%s\".", buf);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct clusters *t = (struct clusters *)s;
	(void)k;
	current(t);
	const struct store_cluster_row *row = cursor_row(t);
	switch (r) {
	case REQ_OWNER:
		pick_owner(t);
		return UI_HANDLED;
	case REQ_ADD:
		add(t);
		return UI_HANDLED;
	case REQ_SEARCH:
		search(t);
		return UI_HANDLED;
	case REQ_OPEN:
	case REQ_DELETE: {
		if (!row) {
			ui_error("No cluster here.");
			return UI_HANDLED;
		}
		char short_name[11];
		snprintf(short_name, sizeof short_name, "%s", row->short_name);
		if (r == REQ_DELETE) {
			if (t->c->read_only)
				ui_error("Read-only mode: clusters cannot be "
				         "deleted.");
			else
				screen_cluster_delete(t->c, short_name);
			return UI_HANDLED;
		}
		struct ui_screen *f = screen_cluster_form_new(
		    t->c, t->owner, short_name, saved, t);
		if (f)
			ui_push(f);
		return UI_HANDLED;
	}
	default:
		return ui_list_key(&t->list, r, 0) ? UI_HANDLED : UI_IGNORED;
	}
}

static void changed(struct ui_screen *s)
{
	((struct clusters *)s)->loaded = false;
}

static void close_clusters(struct ui_screen *s)
{
	struct clusters *t = (struct clusters *)s;
	store_cluster_list_free(&t->l);
	free(t);
}

struct ui_screen *screen_clusters_new(struct session *c)
{
	struct clusters *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->c = c;
	t->screen = (struct ui_screen){
	    .title = "Service Provider Clusters",
	    .draw = draw,
	    .key = key,
	    .keymap = c->read_only ? &screen_clusters_keymap_read_only
	                           : &screen_clusters_keymap,
	    .close = close_clusters,
	    .changed = changed};
	t->list = (struct ui_list){.columns = columns,
	                           .n_columns = COLS,
	                           .sort_column = -1,
	                           .cell = cell,
	                           .ctx = t,
	                           .fit = fit};
	return &t->screen;
}
