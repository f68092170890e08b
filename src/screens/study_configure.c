/* study_configure.c: tab 4, Study Configure, as ClinSpark's Study >
 * Configure > User Access: the study selector at the top (p: the studies
 * the operator may configure, engine_may_configure_study, searchable by
 * code or name), the study's details read-only, whether its user access
 * list is in force, and the list: User ID, Name, Role (the one role, or
 * "all profile roles"), Sites (the user's site restrictions). An entry
 * whose role has left the user's profile is marked "!" and the pane under
 * the list says that it denies. The Action menu (A) holds Import (i),
 * Edit (e) and Delete (d); x marks entries for a Delete of several. O opens
 * the settings switches (study_settings.c).
 *
 * The list's users are loaded into the session's world, so that every
 * cell (name, role, sites, the marker) is what the engine holds; the list
 * is read by the study's code again after each reload (the database
 * announces every change). It is listed by Name (Last, First), then User
 * ID, as the Users list is; / finds the next row by User ID or name.
 *
 * Decisions where the seed is silent: Import's candidates are named by
 * User ID and Name with their profile roles and sites, whether or not the
 * operator may see them on the Users tab (the Study Coordinator who
 * imports them needs no organisation grant, as in ClinSpark); a filter by
 * Role may add a Site, as the seed's "Site filter is optional" says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/text.h"
#include "accessdesk/count.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_checklist.h"
#include "accessdesk/ui_menu.h"
#include "accessdesk/ui_picker.h"

enum { COL_MARK, COL_LOGIN, COL_NAME, COL_ROLE, COL_SITES, COLS };

/* The pane under the list: a line across, then three lines. */
#define DETAIL_H 4

struct entry {
	int v; /* the user, in the session's world */
	char login[65];
	char name[STORE_LIST_TEXT];
	char role[160]; /* "all profile roles", or the role ("! " when stale) */
	char sites[STORE_LIST_TEXT];
	bool stale, marked;
};

struct study_tab {
	struct ui_screen screen;
	struct session *c;
	char code[33]; /* the study shown; "" when none may be configured */
	int version;   /* the list's, as read */
	struct entry *rows;
	int n;
	bool loaded; /* rows are of code, at generation */
	long generation;
	char error[1024];
	struct ui_list list;
	char search[128];
	/* Import in progress: its filter, kept for the candidates' reload */
	char site[33], role[401];
	bool then_site;   /* by Role, then a Site */
	char editing[65]; /* Edit: the User ID whose role is being picked */
	char **marks;     /* logins marked, kept across a reload */
	int n_marks;
};

static const struct ui_column columns[COLS] = {
    {"", 1}, {"User ID", 7}, {"Name", 12}, {"Role", 12}, {"Sites", 8},
};
static const struct ui_column_fit fit[COLS] = {
    {0, true}, {0, false}, {3, false}, {2, false}, {2, false},
};

static const struct ui_keydef study_keys[] = {
    {REQ_OPEN, "Edit", "Edit the entry's role, as e", true, 0},
    {REQ_STUDY, NULL, "Pick the study (by its code or name)", true, 0},
    {REQ_MENU, NULL, "The Action menu: Import, Edit, Delete", true, 0},
    {REQ_IMPORT, NULL, "Import Study Users: by Site or by Role", false, 0},
    {REQ_EDIT, NULL, "Edit the entry's role (one of the user's profile roles)",
     false, 0},
    {REQ_MARK, NULL, "Mark the entry for a Delete of several", false, 0},
    {REQ_SELECT_ALL, "Mark all", "Mark every entry (again: none)", false, 0},
    {REQ_DELETE, NULL, "Delete the marked entries (or the one here)", false, 0},
    {REQ_SEARCH, NULL, "Search by User ID (its start) or Name (anywhere)", true,
     0},
    {REQ_WHY, NULL, "Why? The user's effective access and its reasons", false,
     0},
    {REQ_SETTINGS, NULL, "The settings: Require site / study restrictions?",
     true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_study_configure_keymap = {
    "study-configure", "Study Configure", study_keys, &ui_list_keymap};

static const struct ui_keydef study_keys_read_only[] = {
    {REQ_OPEN, NULL, "Edit (not in read-only mode)", false, 0},
    {REQ_MENU, NULL, "The Action menu (not in read-only mode)", false, 0},
    {REQ_MARK, NULL, "Mark (not in read-only mode)", false, 0},
    {REQ_SELECT_ALL, NULL, "Mark all (not in read-only mode)", false, 0},
    {REQ_IMPORT, NULL, "Import (not in read-only mode)", false, 0},
    {REQ_EDIT, NULL, "Edit (not in read-only mode)", false, 0},
    {REQ_DELETE, NULL, "Delete (not in read-only mode)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_study_configure_keymap_read_only = {
    "study-configure-read-only", "Read-only mode", study_keys_read_only,
    &screen_study_configure_keymap};

static bool may_configure(const struct study_tab *t, int study)
{
	return engine_may_configure_study(t->c->world, t->c->op, study, NULL);
}

/* The studies the operator may configure, by code: a new array of
 * engine ids (NULL when there is none or no memory). */
static int *configurable(const struct study_tab *t, int *n)
{
	const struct engine_world *w = t->c->world;
	int *v = malloc(((size_t)engine_n_studies(w) + 1) * sizeof *v);
	*n = 0;
	for (int s = 0; v && s < engine_n_studies(w); s++) {
		if (!may_configure(t, s))
			continue;
		int at = (*n)++;
		while (at > 0 && strcmp(engine_study(w, v[at - 1])->code,
		                        engine_study(w, s)->code) > 0) {
			v[at] = v[at - 1];
			at--;
		}
		v[at] = s;
	}
	return v;
}

static const char *cell(void *ctx, int row, int column)
{
	struct study_tab *t = ctx;
	const struct entry *e = &t->rows[row];
	switch (column) {
	case COL_MARK:
		return e->marked ? "x" : " ";
	case COL_LOGIN:
		return e->login;
	case COL_NAME:
		return e->name;
	case COL_ROLE:
		return e->role;
	default:
		return e->sites;
	}
}

/* The entry's cells from the world. */
static void fill(struct study_tab *t, struct entry *e, int study)
{
	const struct engine_world *w = t->c->world;
	const struct engine_user *u = engine_user(w, e->v);
	snprintf(e->login, sizeof e->login, "%s", u->login);
	store_user_name_text(u, e->name, sizeof e->name);
	const struct engine_entry *en = engine_entry_find(w, e->v, study);
	int role = en ? en->role : -2;
	e->stale = engine_entry_stale(w, e->v, study);
	snprintf(e->role, sizeof e->role, "%s%s", e->stale ? "! " : "",
	         role == -1  ? "all profile roles"
	         : role >= 0 ? engine_role(w, role)->name
	                     : "?");
	store_user_sites_text(w, e->v, e->sites, sizeof e->sites);
	const char *key = e->login; /* bsearch compares char * with char * */
	e->marked =
	    t->n_marks > 0 && bsearch(&key, t->marks, (size_t)t->n_marks,
	                              sizeof *t->marks, text_order) != NULL;
}

static void load(struct study_tab *t)
{
	struct session *c = t->c;
	/* the cursor stays on its entry, by User ID, whatever the order */
	char at_login[65] = "";
	if (t->rows && t->list.cursor < t->n)
		snprintf(at_login, sizeof at_login, "%s",
		         t->rows[t->list.cursor].login);
	free(t->rows);
	t->rows = NULL;
	t->n = t->list.n_rows = 0;
	t->loaded = true;
	t->generation = c->generation;
	t->error[0] = '\0';
	int study = engine_study_find(c->world, t->code);
	if (study < 0 || !may_configure(t, study)) {
		if (t->code[0]) /* a change here or elsewhere took it away */
			ui_message("You no longer configure %s: another study "
			           "is shown.",
			           t->code);
		int n, *v = configurable(t, &n);
		study = n > 0 ? v[0] : -1;
		free(v);
		snprintf(t->code, sizeof t->code, "%s",
		         study >= 0 ? engine_study(c->world, study)->code : "");
		store_names_free(&t->marks, &t->n_marks);
	}
	t->version = -1; /* a change before the list is read conflicts */
	if (study < 0)
		return;
	if (!c->connected) {
		snprintf(t->error, sizeof t->error,
		         "Not connected: the user access list is read from the "
		         "database.");
		return;
	}
	struct store_study_list l;
	struct store_error err = {0};
	if (!store_study_entries(c->store, t->code, &l, &err) ||
	    !store_load_users_by_id(c->store, c->world, &c->ids, l.users, l.n,
	                            &err)) {
		snprintf(t->error, sizeof t->error, "%s", err.message);
		store_study_list_free(&l);
		return;
	}
	t->version = l.version;
	/* the listed users, as the Users list orders them */
	int *v = malloc(((size_t)l.n + 1) * sizeof *v), n = 0;
	for (int i = 0; v && i < l.n; i++)
		if ((v[n] = store_idmap_find(&c->ids.user, l.users[i])) >= 0)
			n++; /* (one gone since: the next reload says so) */
	store_study_list_free(&l);
	t->rows = v && store_users_by_name(c->world, v, n)
	              ? calloc((size_t)n + 1, sizeof *t->rows)
	              : NULL;
	for (int i = 0; t->rows && i < n; i++) {
		t->rows[t->n].v = v[i];
		fill(t, &t->rows[t->n++], study);
	}
	free(v);
	if (!t->rows)
		snprintf(t->error, sizeof t->error, "out of memory");
	t->list.n_rows = t->n;
	for (int i = 0; at_login[0] && i < t->n; i++)
		if (strcmp(t->rows[i].login, at_login) == 0)
			t->list.cursor = i;
	if (t->list.cursor >= t->n)
		t->list.cursor = t->n > 0 ? t->n - 1 : 0;
}

static void current(struct study_tab *t)
{
	if (!t->loaded || t->generation != t->c->generation)
		load(t);
}

static const struct entry *cursor_row(const struct study_tab *t)
{
	return t->n > 0 ? &t->rows[t->list.cursor] : NULL;
}

/* ---- drawing ----------------------------------------------------------- */

/* What the entry under the cursor gives, in the engine's words. */
static void draw_detail(struct study_tab *t, struct ui_area a, int y, int study)
{
	const struct engine_world *w = t->c->world;
	const struct entry *e = cursor_row(t);
	ui_hline(a, y);
	for (int i = 1; i < DETAIL_H; i++)
		ui_text(a, y + i, 0, a.w, STYLE_NORMAL, "");
	if (!e)
		return;
	const struct engine_user *u = engine_user(w, e->v);
	char line[1400], why[768];
	snprintf(line, sizeof line, "%s %s%s", u->login, e->name,
	         e->stale ? ": this entry denies access (its role has left the "
	                    "profile)"
	                  : "");
	ui_text_cut(a, y + 1, 0, a.w, e->stale ? STYLE_ERROR : STYLE_BOLD, line,
	            NULL);
	struct engine_explain ex;
	engine_explain_init(&ex);
	engine_study_actions(w, e->v, study, &ex);
	store_explain_line(w, t->c->op, -1, &ex, why, sizeof why);
	engine_explain_free(&ex);
	ui_text_cut(a, y + 2, 0, a.w, STYLE_NORMAL, why, NULL);
	char roles[STORE_LIST_TEXT];
	store_user_roles_text(w, e->v, roles, sizeof roles);
	snprintf(line, sizeof line, "Profile roles: %s%s",
	         roles[0] ? roles : "none",
	         u->enabled ? "" : " (user disabled)");
	ui_text_cut(a, y + 3, 0, a.w, STYLE_NORMAL, line, NULL);
}

/* "You may configure no study": what it needs, and the engine's reason
 * for the first study by code. */
static void draw_none(struct study_tab *t, struct ui_area a)
{
	const struct engine_world *w = t->c->world;
	int first = -1;
	for (int s = 0; s < engine_n_studies(w); s++)
		if (first < 0 || strcmp(engine_study(w, s)->code,
		                        engine_study(w, first)->code) < 0)
			first = s;
	char why[768] = "", line[900];
	if (first >= 0) {
		struct engine_explain ex;
		engine_explain_init(&ex);
		engine_may_configure_study(w, t->c->op, first, &ex);
		store_explain_line(w, t->c->op, -1, &ex, why, sizeof why);
		engine_explain_free(&ex);
	}
	snprintf(line, sizeof line, "%s%s%s",
	         first >= 0 ? "For " : "There is no study.",
	         first >= 0 ? engine_study(w, first)->code : "",
	         first >= 0 ? ": " : "");
	size_t at = strlen(line);
	snprintf(line + at, sizeof line - at, "%s", why);
	char *lines[] = {"A study is configured by a user with "
	                 "study.configure or study.user_management in it.",
	                 "", line};
	int top = 0;
	ui_lines_draw(a, "You may configure no study.", lines, 3, &top);
	ui_cursor(a, 0, 0);
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct study_tab *t = (struct study_tab *)s;
	current(t);
	const struct engine_world *w = t->c->world;
	int study = engine_study_find(w, t->code);
	if (study < 0) {
		draw_none(t, a);
		return;
	}
	const struct engine_study *st = engine_study(w, study);
	const struct engine_org *site = engine_org(w, st->site);
	/* the list first: its top settles, which the count names */
	struct ui_area body = {a.y + 3, a.x, a.h - 3 - DETAIL_H, a.w};
	ui_list_draw(&t->list, body);
	char line[600], range[96], first[32], last[32], total[32];
	snprintf(line, sizeof line, "Study: %s - %s", st->code, st->name);
	int end = t->list.top + t->list.page;
	if (t->n == 0)
		snprintf(range, sizeof range, "no entries");
	else
		snprintf(range, sizeof range, "%s-%s of %s",
		         count_text(first, sizeof first, t->list.top + 1),
		         count_text(last, sizeof last, end < t->n ? end : t->n),
		         count_text(total, sizeof total, t->n));
	int rw = ui_text_width(range);
	ui_text_cut(a, 0, 0, a.w - rw - 1, STYLE_BOLD, line, NULL);
	ui_text(a, 0, a.w - rw - 1, 1, STYLE_NORMAL, "");
	ui_text(a, 0, a.w - rw, rw, STYLE_NORMAL, range);
	snprintf(line, sizeof line, "Site: %s - %s", site->code, site->name);
	ui_text_cut(a, 1, 0, a.w, STYLE_NORMAL, line, NULL);
	snprintf(line, sizeof line, "User Access: %s",
	         st->n_entries > 0
	             ? "in force"
	             : "not in force: profile restrictions decide");
	ui_text_cut(a, 2, 0, a.w, STYLE_NORMAL, line, NULL);
	draw_detail(t, a, a.h - DETAIL_H, study);
	/* the terminal's cursor on the row under the list's cursor */
	ui_cursor(body, 1 + t->list.cursor - t->list.top, 0);
	if (t->error[0] || t->n == 0) {
		ui_text_cut(
		    body, 1, 0, a.w, t->error[0] ? STYLE_ERROR : STYLE_NORMAL,
		    t->error[0] ? t->error
		    : t->c->read_only
		        ? "No user is listed."
		        : "No user is listed: i imports users by Site or "
		          "by Role.",
		    NULL);
		ui_cursor(body, 1, 0);
	}
}

/* ---- the study selector ------------------------------------------------ */

static void picked_study(void *ctx, const char *code)
{
	struct study_tab *t = ctx;
	if (strcmp(t->code, code) != 0)
		store_names_free(&t->marks, &t->n_marks);
	snprintf(t->code, sizeof t->code, "%s", code);
	t->list.cursor = t->list.top = 0;
	load(t);
}

static void pick_study(struct study_tab *t)
{
	const struct engine_world *w = t->c->world;
	int n, *v = configurable(t, &n);
	if (v && n == 0) {
		free(v);
		ui_error("You may configure no study.");
		return;
	}
	struct ui_pick_item *items = calloc((size_t)n + 1, sizeof *items);
	char(*names)[320] = calloc((size_t)n + 1, sizeof *names);
	if (!v || !items || !names) {
		ui_error("out of memory");
	} else {
		for (int i = 0; i < n; i++) {
			const struct engine_study *st = engine_study(w, v[i]);
			snprintf(names[i], sizeof names[i], "%s (site %s)",
			         st->name, engine_org(w, st->site)->code);
			items[i] =
			    (struct ui_pick_item){st->code, names[i], NULL};
		}
		struct ui_screen *p =
		    ui_picker_new("Study (the studies you may configure)",
		                  items, n, picked_study, t);
		if (p) {
			ui_push(p);
			ui_message("Type a code or name, Enter picks, Esc "
			           "cancels.");
		} else {
			ui_error("out of memory");
		}
	}
	free(v);
	free(items);
	free(names);
}

/* ---- the changes ------------------------------------------------------- */

/* Whether a change may start: connected, not read-only, a study. */
static bool may_change(struct study_tab *t, const char *what)
{
	if (t->c->read_only) {
		ui_error("Read-only mode: the user access list cannot be "
		         "changed.");
		return false;
	}
	if (!t->code[0]) {
		ui_error("You may configure no study.");
		return false;
	}
	return !session_offline(t->c, what);
}

/* After a change: its outcome on the message line; the world reloaded
 * (the list with it). */
static void changed_outcome(struct study_tab *t, bool ok,
                            const struct store_error *err, const char *done)
{
	if (ok) {
		session_reload(t->c);
		/* the change took the operator's own access: say so too */
		int study = engine_study_find(t->c->world, t->code);
		bool lost = study >= 0 && !may_configure(t, study);
		char code[33];
		snprintf(code, sizeof code, "%s", t->code);
		current(t); /* (its own word on a study it leaves: replaced) */
		if (lost)
			ui_message("%s You no longer configure %s: another "
			           "study is shown.",
			           done, code);
		else
			ui_message("%s", done);
	} else {
		if (strcmp(err->sqlstate, STORE_CONFLICT) == 0)
			session_reload(t->c);
		ui_error("%s", err->message);
	}
}

/* Before a change that leaves the list n_after long and the operator's
 * own entry `mine` (NULL: not listed): when the engine says the operator
 * could no longer configure the study then, asks whether to go on. */
static bool keeps_own_access(const struct study_tab *t, int study, int n_after,
                             const struct engine_entry *mine)
{
	if (engine_may_configure_study_if(t->c->world, t->c->op, study, n_after,
	                                  mine))
		return true;
	char q[200];
	snprintf(q, sizeof q,
	         "After this you may no longer configure %s yourself. Go on?",
	         t->code);
	if (ui_confirm(q))
		return true;
	ui_message("Nothing changed.");
	return false;
}

/* May the operator change the entry of login (in the session's world)?
 * When not, why (the engine's words) into why. */
static bool may_change_entry(const struct study_tab *t, const char *login,
                             char *why, size_t len)
{
	const struct engine_world *w = t->c->world;
	int v = engine_user_find(w, login),
	    study = engine_study_find(w, t->code);
	if (v < 0 || study < 0)
		return true; /* not loaded: the store's change decides */
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool may = engine_may_change_entry(w, t->c->op, study, v, &ex);
	if (!may)
		store_explain_line(w, t->c->op, v, &ex, why, len);
	engine_explain_free(&ex);
	return may;
}

/* -- Import -- */

/* The Import Study Users screen: the candidates as a checklist, Save (^S
 * or Enter) adds the ticked ones in one change and closes; a refusal, a
 * conflict or a No to a question leaves it open with its ticks. The
 * candidates are those read when it opened (at national size a reading
 * takes seconds: not again on every change the database announces); the
 * save decides each again, and a change to the list meanwhile is no
 * conflict for an import (it only adds), so the version is read again. */
struct import_screen {
	struct ui_screen screen;
	struct study_tab *t;
	struct ui_checklist *cl;
	char title[640];
	char site[33], role[401]; /* the filter */
	int version;              /* the list's, read again on a change */
	long generation;
};

static const struct ui_keydef import_keys[] = {
    {REQ_SUBMIT, "Save", "Add the ticked users to the list, one change", true,
     0},
    {REQ_OPEN, NULL, "Save, as ^S", false, 0},
    {REQ_BACK, NULL, "Leave without importing", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_study_import_keymap = {
    "study-import", "Import Study Users", import_keys, &ui_checklist_keymap};

/* The candidates into the checklist; false with the message shown. */
static bool import_rows(struct import_screen *im)
{
	struct study_tab *t = im->t;
	const struct store_study_filter f = {im->site, im->role};
	struct store_study_person *p;
	int n;
	struct store_error err = {0};
	if (!store_study_candidates(t->c->store, t->code, &f, &p, &n, &err)) {
		ui_error("%s", err.message);
		return false;
	}
	struct ui_checklist_row *rows = calloc((size_t)n + 1, sizeof *rows);
	bool ok = rows != NULL;
	for (int i = 0; ok && i < n; i++) {
		rows[i] = (struct ui_checklist_row){
		    p[i].login,
		    {p[i].login, p[i].name,
		     p[i].roles[0] ? p[i].roles : "none: cannot log in",
		     p[i].sites},
		    NULL};
		char why[768]; /* the checklist copies it */
		if (!may_change_entry(t, p[i].login, why, sizeof why))
			rows[i].dim = strdup(why);
	}
	ok = ok && ui_checklist_set_rows(im->cl, rows, n);
	if (!ok)
		ui_error("out of memory");
	else if (n == 0)
		ui_message("No enabled user who is not listed yet passes this "
		           "filter.");
	for (int i = 0; rows && i < n; i++)
		free((char *)rows[i].dim);
	free(rows);
	store_study_people_free(p, n);
	return ok;
}

/* The list's version now (the import adds to it as it is). */
static void import_version(struct import_screen *im)
{
	struct store_study_list l;
	struct store_error err = {0};
	im->generation = im->t->c->generation;
	if (store_study_entries(im->t->c->store, im->t->code, &l, &err))
		im->version = l.version;
	else
		ui_error("%s", err.message);
	store_study_list_free(&l);
}

static void import_draw(struct ui_screen *s, struct ui_area a)
{
	struct import_screen *im = (struct import_screen *)s;
	if (im->generation != im->t->c->generation)
		import_version(im);
	ui_text_cut(a, 0, 0, a.w, STYLE_HEADER, im->title, NULL);
	ui_checklist_draw(im->cl, (struct ui_area){a.y + 1, a.x, a.h - 1, a.w});
}

/* Saves the ticked users; true when imported. */
static bool import_save(struct import_screen *im)
{
	struct study_tab *t = im->t;
	const struct engine_world *w = t->c->world;
	int n = 0;
	char **keys = ui_checklist_ticked(im->cl, &n);
	if (!keys) {
		ui_error("out of memory");
		return false;
	}
	bool ok = false;
	int study = engine_study_find(w, t->code);
	if (n == 0) {
		ui_error("Nothing ticked: Space ticks a user, * them all.");
	} else if (study < 0 || !may_configure(t, study)) {
		ui_error("You no longer configure %s.", t->code);
	} else if (!session_offline(t->c, "import")) {
		const struct engine_entry added = {
		    study, im->role[0] ? engine_role_find(w, im->role) : -1};
		const struct engine_entry *mine =
		    store_names_find(keys, n, t->c->operator_login) >= 0
		        ? &added
		        : engine_entry_find(w, t->c->op, study);
		if (keeps_own_access(t, study,
		                     engine_study(w, study)->n_entries + n,
		                     mine)) {
			const struct store_study_filter f = {im->site,
			                                     im->role};
			struct store_error err = {0};
			ok = store_study_import(
			    t->c->store, t->c->operator_login, t->code,
			    im->version, &f, (const char *const *)keys, n,
			    &err);
			char done[600], count[32];
			snprintf(done, sizeof done,
			         "Imported %s user%s into %s%s%s.",
			         count_text(count, sizeof count, n),
			         n == 1 ? "" : "s", t->code,
			         im->role[0] ? " with role " : "", im->role);
			changed_outcome(t, ok, &err, done);
			/* one listed meanwhile: the candidates again, the
			 * others' ticks kept */
			if (!ok && strcmp(err.sqlstate, STORE_CONFLICT) == 0)
				import_rows(im);
		}
	}
	ui_checklist_keys_free(keys);
	return ok;
}

static enum ui_result import_key(struct ui_screen *s, int k, enum ui_request r)
{
	struct import_screen *im = (struct import_screen *)s;
	(void)k;
	if (r == REQ_SUBMIT || r == REQ_OPEN)
		return import_save(im) ? UI_CLOSE : UI_HANDLED;
	if (ui_checklist_request(im->cl, r, 0))
		return UI_HANDLED;
	return screen_form_rest(r, ui_checklist_n_ticked(im->cl) > 0);
}

static void import_changed(struct ui_screen *s)
{
	((struct import_screen *)s)->generation = -1;
}

static bool import_unsaved(struct ui_screen *s)
{
	return ui_checklist_n_ticked(((struct import_screen *)s)->cl) > 0;
}

static void import_close(struct ui_screen *s)
{
	struct import_screen *im = (struct import_screen *)s;
	ui_checklist_free(im->cl);
	free(im);
}

static void import_list(struct study_tab *t)
{
	static const struct ui_column cols[] = {
	    {"User ID", 8}, {"Name", 20}, {"Profile Roles", 24}, {"Sites", 8}};
	struct import_screen *im = calloc(1, sizeof *im);
	if (im)
		im->cl = ui_checklist_new(cols, 4);
	if (!im || !im->cl ||
	    !ui_checklist_set_empty(im->cl, "No enabled user who is not "
	                                    "listed yet passes this filter.")) {
		if (im)
			ui_checklist_free(im->cl);
		free(im);
		ui_error("out of memory");
		return;
	}
	im->t = t;
	snprintf(im->site, sizeof im->site, "%s", t->site);
	snprintf(im->role, sizeof im->role, "%s", t->role);
	snprintf(im->title, sizeof im->title,
	         "Import Study Users into %s: %s%s%s%s%s", t->code,
	         im->role[0] ? "role " : "", im->role,
	         im->role[0] && im->site[0] ? ", " : "",
	         im->site[0] ? "site " : "", im->site);
	im->screen = (struct ui_screen){.title = "Import Study Users",
	                                .draw = import_draw,
	                                .key = import_key,
	                                .keymap = &screen_study_import_keymap,
	                                .close = import_close,
	                                .changed = import_changed,
	                                .unsaved = import_unsaved};
	import_version(im);
	if (!import_rows(im)) {
		import_close(&im->screen);
		return;
	}
	ui_push(&im->screen);
}

static void picked_site(void *ctx, const char *code)
{
	struct study_tab *t = ctx;
	snprintf(t->site, sizeof t->site, "%s", code);
	import_list(t);
}

static void pick_site(struct study_tab *t)
{
	const struct engine_world *w = t->c->world;
	int n = 0;
	struct ui_pick_item *items =
	    calloc((size_t)engine_n_orgs(w) + 1, sizeof *items);
	for (int pre = 0; items && pre < engine_n_orgs(w); pre++) {
		const struct engine_org *o =
		    engine_org(w, engine_org_by_pre(w, pre));
		if (o->is_site)
			items[n++] =
			    (struct ui_pick_item){o->code, o->name, NULL};
	}
	struct ui_screen *p =
	    items ? ui_picker_new(t->role[0]
	                              ? "Import by Role, then Site: the site"
	                              : "Import by Site",
	                          items, n, picked_site, t)
	          : NULL;
	free(items);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

/* The picker's item for no role: "all profile roles", unless a role of
 * the user's profile is named so (a custom role may be), then in
 * brackets, so that the two never meet. */
static const char *all_roles_code(const struct engine_world *w, int v)
{
	const struct engine_user *u = engine_user(w, v);
	for (int i = 0; i < u->n_profile_roles; i++)
		if (strcmp(engine_role(w, u->profile_roles[i])->name,
		           "all profile roles") == 0)
			return "(all profile roles)";
	return "all profile roles";
}

/* The study-domain roles (only those of `only` when it is not NULL);
 * none_item (NULL: none) is the code of a first item for no role. */
static struct ui_screen *role_picker(const struct engine_world *w,
                                     const char *title, const int *only,
                                     int n_only, const char *none_item, int now,
                                     void (*picked)(void *, const char *),
                                     void *ctx)
{
	int n = 0, max = engine_n_roles(w) + 1;
	struct ui_pick_item *items = calloc((size_t)max + 1, sizeof *items);
	char(*acts)[400] = calloc((size_t)max + 1, sizeof *acts);
	struct ui_screen *p = NULL;
	if (items && acts) {
		if (none_item)
			items[n++] = (struct ui_pick_item){
			    none_item,
			    now == -1 ? "every role of the profile (now)"
			              : "every role of the profile",
			    NULL};
		for (int r = 0; r < engine_n_roles(w); r++) {
			const struct engine_role *ro = engine_role(w, r);
			bool in = only == NULL;
			for (int i = 0; i < n_only && !in; i++)
				in = only[i] == r;
			if (ro->domain != DOMAIN_STUDY || !in)
				continue;
			size_t at = 0;
			for (int a = 0; a < ACT_COUNT && at < sizeof acts[n];
			     a++)
				if (ro->actions & ENGINE_ACT(a))
					at += (size_t)snprintf(
					    acts[n] + at, sizeof acts[n] - at,
					    "%s%s", at ? " " : "",
					    engine_action_name(a));
			if (r == now && at < sizeof acts[n])
				snprintf(acts[n] + at, sizeof acts[n] - at,
				         " (now)");
			items[n] =
			    (struct ui_pick_item){ro->name, acts[n], NULL};
			n++;
		}
		p = ui_picker_new(title, items, n, picked, ctx);
	}
	free(items);
	free(acts);
	return p;
}

enum { BY_SITE = 1, BY_ROLE, BY_ROLE_AND_SITE };

static void picked_role(void *ctx, const char *name)
{
	struct study_tab *t = ctx;
	snprintf(t->role, sizeof t->role, "%s", name);
	if (t->then_site)
		pick_site(t);
	else
		import_list(t);
}

static void import_by(void *ctx, int id)
{
	struct study_tab *t = ctx;
	t->site[0] = t->role[0] = '\0';
	t->then_site = id == BY_ROLE_AND_SITE;
	if (id == BY_SITE) {
		pick_site(t);
		return;
	}
	struct ui_screen *p =
	    role_picker(t->c->world, "Import by Role (the entries get it)",
	                NULL, 0, NULL, -2, picked_role, t);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

static void import(struct study_tab *t)
{
	if (!may_change(t, "import"))
		return;
	static const struct ui_menu_item items[] = {
	    {BY_SITE, "Site: users restricted to it or to no site", 's', NULL},
	    {BY_ROLE, "Role: users with it in their profile", 'r', NULL},
	    {BY_ROLE_AND_SITE, "Role, then a Site", 'b', NULL},
	};
	struct ui_screen *m = ui_menu_new("Import Study Users: filter by",
	                                  items, 3, import_by, t);
	if (m)
		ui_push(m);
	else
		ui_error("out of memory");
}

/* -- Edit -- */

static void edited(void *ctx, const char *role)
{
	struct study_tab *t = ctx;
	/* the world may have been reloaded while the picker was open: the
	 * rows again, and the entry by the User ID being edited */
	current(t);
	const struct entry *e = NULL;
	for (int i = 0; i < t->n && !e; i++)
		if (strcmp(t->rows[i].login, t->editing) == 0)
			e = &t->rows[i];
	if (!e) {
		ui_error("%s is no longer on %s's user access list.",
		         t->editing, t->code);
		return;
	}
	char login[65];
	snprintf(login, sizeof login, "%s", e->login);
	bool all = strcmp(role, all_roles_code(t->c->world, e->v)) == 0,
	     changed = false;

	struct store_error err = {0};
	bool ok = store_study_set_role(t->c->store, t->c->operator_login,
	                               t->code, t->version, login,
	                               all ? NULL : role, &changed, &err);
	char done[700];
	snprintf(done, sizeof done,
	         changed ? "%s is listed on %s with %s."
	                 : "%s was already listed on %s with %s.",
	         login, t->code, role);
	changed_outcome(t, ok, &err, done);
}

static void edit(struct study_tab *t)
{
	const struct entry *e = cursor_row(t);
	if (!may_change(t, "edit"))
		return;
	if (!e) {
		ui_error("No entry here.");
		return;
	}
	const struct engine_world *w = t->c->world;
	const struct engine_user *u = engine_user(w, e->v);
	const struct engine_entry *now =
	    engine_entry_find(w, e->v, engine_study_find(w, t->code));
	char why[768];
	if (!may_change_entry(t, e->login, why, sizeof why)) {
		ui_error("Cannot edit %s's entry: %s", e->login, why);
		return;
	}
	snprintf(t->editing, sizeof t->editing, "%s", e->login);
	char title[160];
	snprintf(title, sizeof title, "Role of %s on %s (profile roles only)",
	         u->login, t->code);
	struct ui_screen *p = role_picker(
	    t->c->world, title, u->profile_roles, u->n_profile_roles,
	    all_roles_code(w, e->v), now ? now->role : -2, edited, t);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

/* -- Delete -- */

static void delete_entries(struct study_tab *t)
{
	if (!may_change(t, "delete"))
		return;
	char **logins = NULL;
	int n = 0;
	for (int i = 0; i < t->n; i++)
		if (t->rows[i].marked &&
		    !store_names_add(&logins, &n, t->rows[i].login))
			goto nomem;
	if (n == 0 && cursor_row(t) &&
	    !store_names_add(&logins, &n, cursor_row(t)->login))
		goto nomem;
	if (n == 0) {
		ui_error("No entry here.");
		return;
	}
	char why[768];
	for (int i = 0; i < n; i++)
		if (!may_change_entry(t, logins[i], why, sizeof why)) {
			ui_error("Cannot delete %s's entry: %s", logins[i],
			         why);
			goto out;
		}
	char q[320], count[32];
	bool last = n == t->n; /* the profile restrictions decide again */
	if (last)
		snprintf(q, sizeof q,
		         "Delete every entry of %s's user access list (%s)?",
		         t->code, count_text(count, sizeof count, n));
	else if (n == 1)
		snprintf(q, sizeof q, "Delete %s from %s's user access list?",
		         logins[0], t->code);
	else
		snprintf(q, sizeof q,
		         "Delete the %s marked entries from %s's user access "
		         "list?",
		         count_text(count, sizeof count, n), t->code);
	if (!ui_confirm(q)) {
		ui_message("Nothing deleted.");
		goto out;
	}
	if (last) {
		long opened;
		struct store_error err = {0};
		if (!store_study_opened_by_emptying(t->c->store, t->code,
		                                    &opened, &err)) {
			ui_error("%s", err.message);
			goto out;
		}
		ui_drop_typeahead(); /* this question is read, not typed past */
		snprintf(q, sizeof q,
		         "Profile restrictions then decide: %s more user%s "
		         "reach%s %s. Delete all?",
		         count_text(count, sizeof count, opened),
		         opened == 1 ? "" : "s", opened == 1 ? "es" : "",
		         t->code);
		if (!ui_confirm(q)) {
			ui_message("Nothing deleted.");
			goto out;
		}
	}
	struct store_error err = {0};
	bool ok = store_study_remove(t->c->store, t->c->operator_login, t->code,
	                             t->version, (const char *const *)logins, n,
	                             &err);
	if (ok)
		store_names_free(&t->marks, &t->n_marks);
	char done[160];
	snprintf(done, sizeof done, "Deleted %s entr%s from %s.",
	         count_text(count, sizeof count, n), n == 1 ? "y" : "ies",
	         t->code);
	changed_outcome(t, ok, &err, done);
	goto out;
nomem:
	ui_error("out of memory");
out:
	store_names_free(&logins, &n);
}

/* x: the entry under the cursor marked or unmarked (the marks kept by
 * User ID, sorted, across reloads); then the cursor moves on. */
static void mark(struct study_tab *t)
{
	if (t->c->read_only) {
		ui_error("Read-only mode: the user access list cannot be "
		         "changed.");
		return;
	}
	struct entry *e = t->n > 0 ? &t->rows[t->list.cursor] : NULL;
	if (!e) {
		ui_error("No entry here.");
		return;
	}
	int at = 0;
	while (at < t->n_marks && strcmp(t->marks[at], e->login) < 0)
		at++;
	if (at < t->n_marks && strcmp(t->marks[at], e->login) == 0) {
		store_names_remove(t->marks, &t->n_marks, at);
		e->marked = false;
	} else if (store_names_add(&t->marks, &t->n_marks, e->login)) {
		/* into its place: the last one added moves down to at */
		char *added = t->marks[t->n_marks - 1];
		memmove(t->marks + at + 1, t->marks + at,
		        (size_t)(t->n_marks - 1 - at) * sizeof *t->marks);
		t->marks[at] = added;
		e->marked = true;
	} else {
		ui_error("out of memory");
		return;
	}
	int marked = 0;
	for (int i = 0; i < t->n; i++)
		marked += t->rows[i].marked;
	char count[32];
	ui_message("%s marked: d deletes them.",
	           count_text(count, sizeof count, marked));
	ui_list_key(&t->list, REQ_DOWN, 0);
}

/* *: every entry marked, or none when all are. */
static void mark_all(struct study_tab *t)
{
	if (t->c->read_only) {
		ui_error("Read-only mode: the user access list cannot be "
		         "changed.");
		return;
	}
	bool all = t->n > 0 && t->n_marks == t->n;
	store_names_free(&t->marks, &t->n_marks);
	for (int i = 0; !all && i < t->n; i++)
		if (!store_names_add(&t->marks, &t->n_marks,
		                     t->rows[i].login)) {
			store_names_free(&t->marks, &t->n_marks);
			ui_error("out of memory");
			break;
		}
	if (t->n_marks > 1)
		qsort(t->marks, (size_t)t->n_marks, sizeof *t->marks,
		      text_order);
	for (int i = 0; i < t->n; i++)
		t->rows[i].marked = t->n_marks > 0;
	char count[32];
	ui_message("%s marked%s", count_text(count, sizeof count, t->n_marks),
	           t->n_marks ? ": d deletes them." : ".");
}

static void action_chosen(void *ctx, int id)
{
	struct study_tab *t = ctx;
	/* the world may have been reloaded while the menu was open: the
	 * rows are read again first (the cursor kept by User ID) */
	current(t);
	if (id == REQ_IMPORT)
		import(t);
	else if (id == REQ_EDIT)
		edit(t);
	else
		delete_entries(t);
}

static void action_menu(struct study_tab *t)
{
	if (!may_change(t, "change"))
		return;
	const char *none = t->n ? NULL : "No entry here.";
	const struct ui_menu_item items[] = {
	    {REQ_IMPORT, "Import", 'i', NULL},
	    {REQ_EDIT, "Edit", 'e', none},
	    {REQ_DELETE, "Delete", 'd', none},
	};
	struct ui_screen *m = ui_menu_new("Action", items, 3, action_chosen, t);
	if (m)
		ui_push(m);
	else
		ui_error("out of memory");
}

static void search(struct study_tab *t)
{
	char buf[sizeof t->search];
	snprintf(buf, sizeof buf, "%s", t->search);
	if (!ui_prompt("Search by User ID or Name: ", buf, sizeof buf) ||
	    !buf[0])
		return;
	snprintf(t->search, sizeof t->search, "%s", buf);
	static const int by[] = {COL_LOGIN, COL_NAME};
	if (!ui_list_find(&t->list, buf, by, 2))
		ui_error("No entry listed matches \"%s\".", buf);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct study_tab *t = (struct study_tab *)s;
	(void)k;
	current(t);
	switch (r) {
	case REQ_STUDY:
		pick_study(t);
		return UI_HANDLED;
	case REQ_MENU:
		action_menu(t);
		return UI_HANDLED;
	case REQ_IMPORT:
		import(t);
		return UI_HANDLED;
	case REQ_OPEN:
	case REQ_EDIT:
		edit(t);
		return UI_HANDLED;
	case REQ_DELETE:
		delete_entries(t);
		return UI_HANDLED;
	case REQ_MARK:
		mark(t);
		return UI_HANDLED;
	case REQ_SELECT_ALL:
		mark_all(t);
		return UI_HANDLED;
	case REQ_SEARCH:
		search(t);
		return UI_HANDLED;
	case REQ_SETTINGS: {
		struct ui_screen *set = screen_study_settings_new(t->c);
		if (set)
			ui_push(set);
		return UI_HANDLED;
	}
	case REQ_WHY: {
		const struct entry *e = cursor_row(t);
		if (!e) {
			ui_error("No entry here.");
			return UI_HANDLED;
		}
		struct ui_screen *w = screen_why_new(t->c, e->login);
		if (w)
			ui_push(w);
		return UI_HANDLED;
	}
	default:
		return ui_list_key(&t->list, r, 0) ? UI_HANDLED : UI_IGNORED;
	}
}

static void changed(struct ui_screen *s)
{
	((struct study_tab *)s)->loaded = false;
}

static void close_tab(struct ui_screen *s)
{
	struct study_tab *t = (struct study_tab *)s;
	free(t->rows);
	store_names_free(&t->marks, &t->n_marks);
	free(t);
}

struct ui_screen *screen_study_configure_new(struct session *c)
{
	struct study_tab *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->c = c;
	t->screen = (struct ui_screen){
	    .title = "Study Configure",
	    .draw = draw,
	    .key = key,
	    .keymap = c->read_only ? &screen_study_configure_keymap_read_only
	                           : &screen_study_configure_keymap,
	    .close = close_tab,
	    .changed = changed};
	t->list = (struct ui_list){.columns = columns,
	                           .n_columns = COLS,
	                           .sort_column = -1,
	                           .cell = cell,
	                           .ctx = t,
	                           .fit = fit};
	return &t->screen;
}
