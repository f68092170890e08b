/* who.c: Who has access? for an organisation (w on the Organisations
 * tab): every user whose access reaches it, one row for each grant that
 * lets them in, with its roles, payment types and, under clusters, the
 * cluster and member; narrowed to one action on request (F); only users
 * the operator sees, the rest counted. The store finds the candidates in
 * one statement and the engine decides each (store_who_has_access). r
 * writes what is listed as CSV, with where each access comes from; Enter
 * opens the user's details, w their Why?. h asks for a date: the list as
 * of then, rebuilt from the audit trail (store_who_had_access), the row
 * under the cursor saying which record gave it (its CSV: the record, its
 * operator and time after the other columns); empty for now again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/count.h"
#include "accessdesk/csv.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_picker.h"

enum { COL_NAME, COL_LOGIN, COL_ORG, COL_ROLES, COL_PAY, COL_FROM, COLS };

struct who {
	struct ui_screen screen;
	struct session *c;
	char code[33];
	int action; /* -1: any organisation action */
	struct store_access a;
	/* as of a date: the date as typed ("" for now), as the store reads
	 * it, and who gave each row of a */
	char as_of[64], iso[32];
	struct store_given *given;
	bool loaded; /* a holds the answer for `generation` */
	long generation;
	char error[1024];
	struct ui_list list;
	char from[STORE_LIST_TEXT]; /* the From cell being drawn */
	char search[128];
};

/* At 80 columns: Name 17, User ID 7, the grant's Organisation ID 8,
 * Roles 17, Payment Types 8, From 16; the row under the cursor is told
 * whole below the list. */
static const struct ui_column columns[COLS] = {
    {"Name", 10},  {"User ID", 7},       {"Organisation ID", 8},
    {"Roles", 10}, {"Payment Types", 8}, {"From", 10},
};
static const struct ui_column_fit fit[COLS] = {
    {3, false}, {0, false}, {0, false}, {3, false}, {0, false}, {2, false},
};

static const struct ui_keydef who_keys[] = {
    {REQ_FILTER, "Action", "Narrow to one action (who may users.manage here?)",
     true, 0},
    {REQ_AS_OF, NULL,
     "Who had access on a past date, and which change gave it (empty: now)",
     true, 0},
    {REQ_REPORT, NULL, "Write what is listed as CSV, with where it comes from",
     true, 0},
    {REQ_SEARCH, NULL, "Search by User ID (its start) or name (anywhere)", true,
     0},
    {REQ_OPEN, "Details", "Open User Details of the user under the cursor",
     true, 0},
    {REQ_WHY, NULL, "Why? The user's effective access and its reasons", false,
     0},
    {REQ_BACK, NULL, "Back to the tree", true, 0},
    {REQ_QUIT, "Back", "Back, as Esc", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_who_keymap = {"who", "Who has access?", who_keys,
                                            &ui_list_keymap};

/* Where it comes from, in few words: the row's Organisation ID says
 * whose grant it is ("here", "above"), or the cluster that narrows it. */
static const char *from_cell(struct who *w, const struct store_access_row *r)
{
	if (r->cluster[0])
		snprintf(w->from, sizeof w->from, "cluster %s", r->cluster);
	else
		snprintf(w->from, sizeof w->from, "%s",
		         !r->grant_org[0]                     ? r->from
		         : strcmp(r->grant_org, w->code) == 0 ? "here"
		                                              : "above");
	return w->from;
}

static const char *cell(void *ctx, int row, int column)
{
	struct who *w = ctx;
	const struct store_access_row *r = &w->a.rows[row];
	switch (column) {
	case COL_NAME:
		return r->name;
	case COL_LOGIN:
		return r->login;
	case COL_ORG:
		return r->grant_org;
	case COL_ROLES:
		return r->roles;
	case COL_PAY:
		return r->payments;
	default:
		return from_cell(w, r);
	}
}

static void load(struct who *w)
{
	struct session *c = w->c;
	store_access_free(&w->a);
	free(w->given);
	w->given = NULL;
	w->loaded = true;
	w->generation = c->generation;
	w->error[0] = '\0';
	w->list.n_rows = 0;
	if (!c->connected) {
		snprintf(w->error, sizeof w->error,
		         "Not connected: Who has access? needs the database.");
		return;
	}
	struct store_error err = {0};
	if (w->as_of[0]) {
		struct store_access_then then;
		if (!store_who_had_access(c->store, c->world, &c->ids, c->op,
		                          w->code, w->action, w->iso, &then,
		                          &err)) {
			/* (the title says as of when) */
			snprintf(w->error, sizeof w->error, "%s", err.message);
			return;
		}
		w->a = then.list;
		w->given = then.given;
	} else if (!store_who_has_access(c->store, c->world, &c->ids, c->op,
	                                 w->code, w->action, &w->a, &err)) {
		snprintf(w->error, sizeof w->error, "%s", err.message);
		return;
	}
	w->list.n_rows = w->a.n;
	if (w->list.cursor >= w->a.n)
		w->list.cursor = w->a.n > 0 ? w->a.n - 1 : 0;
}

static void draw_row(struct who *w, struct ui_area a, int y)
{
	ui_hline(a, y);
	ui_text(a, y + 1, 0, a.w, STYLE_NORMAL, "");
	ui_text(a, y + 2, 0, a.w, STYLE_NORMAL, "");
	if (w->list.n_rows == 0)
		return;
	const struct store_access_row *r = &w->a.rows[w->list.cursor];
	char line[1024];
	if (r->grant_org[0])
		snprintf(line, sizeof line,
		         "%s %s: grant at %s, %s; payment types: %s", r->login,
		         r->name, r->grant_org, r->roles,
		         r->payments[0] ? r->payments : "none");
	else
		snprintf(line, sizeof line, "%s %s", r->login, r->name);
	ui_text_cut(a, y + 1, 0, a.w, STYLE_NORMAL, line, NULL);
	char given[STORE_LIST_TEXT] = "";
	if (w->given)
		store_given_text(&w->given[w->list.cursor], given,
		                 sizeof given);
	snprintf(line, sizeof line, "Access from %s%s%s", r->from,
	         given[0] ? "; given by " : "", given);
	ui_text_cut(a, y + 2, 0, a.w, STYLE_NORMAL, line, NULL);
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct who *w = (struct who *)s;
	if (!w->loaded || w->generation != w->c->generation)
		load(w);
	const struct engine_world *world = w->c->world;
	int o = engine_org_find(world, w->code);
	char line[1024], users[32], hidden[32];
	snprintf(line, sizeof line, "Who %s access to %s %s%s%s",
	         w->as_of[0] ? "had" : "has", w->code,
	         o >= 0 ? engine_org(world, o)->name : "",
	         w->as_of[0] ? " as of " : "", w->as_of);
	ui_text(a, 0, 0, a.w, STYLE_HEADER, line);
	count_text(users, sizeof users, w->a.users);
	count_text(hidden, sizeof hidden, w->a.hidden);
	snprintf(line, sizeof line, "Action: %s   %s user%s%s%s%s",
	         w->action < 0 ? "any organisation action"
	                       : engine_action_name(w->action),
	         users, w->a.users == 1 ? "" : "s", w->a.hidden ? ", " : "",
	         w->a.hidden ? hidden : "",
	         w->a.hidden ? " more not shown" : "");
	ui_text(a, 1, 0, a.w, STYLE_NORMAL, line);
	/* the list, a line across, the row under the cursor told whole */
	struct ui_area body = {a.y + 2, a.x, a.h - 5, a.w};
	draw_row(w, a, a.h - 3);
	ui_list_draw(&w->list, body);
	if (w->error[0] || w->a.n == 0) {
		ui_text(body, 1, 0, a.w,
		        w->error[0] ? STYLE_ERROR : STYLE_NORMAL,
		        w->error[0] ? w->error
		                    : "No user you may see has access here.");
		ui_cursor(body, 1, 0);
	}
}

/* ---- narrowing to an action --------------------------------------------- */

/* What each organisation action lets one do (access-model.md section 2). */
static const char *const meaning[ACT_STUDY_VIEW] = {
    [ACT_ORG_VIEW] = "see the organisation",
    [ACT_USERS_VIEW] = "see users who hold grants here",
    [ACT_USERS_MANAGE] = "add users, edit them, grant and revoke access",
    [ACT_USERS_MANAGE_STUDY_PROFILE] = "edit managed users' study profiles",
    [ACT_CLUSTERS_VIEW] = "see clusters owned here",
    [ACT_CLUSTERS_MANAGE] = "create, edit, delete clusters owned here",
    [ACT_ORGS_MANAGE] = "rename, move, delete; create organisations under",
    [ACT_REPORTS_RUN] = "run the Organisation / User report",
    [ACT_AUDIT_VIEW] = "read the audit trail of changes here",
    [ACT_ACHIEVEMENT_VIEW] = "see achievement data",
    [ACT_ACHIEVEMENT_DECLARE] = "declare achievement data",
    [ACT_ACCESS_GRANT_ANY] = "grant roles and payment types beyond one's own",
};

static void picked_action(void *ctx, const char *code)
{
	struct who *w = ctx;
	w->action = strcmp(code, "any") == 0 ? -1 : engine_action_find(code);
	w->list.cursor = w->list.top = 0;
	load(w);
}

static void choose_action(struct who *w)
{
	struct ui_pick_item items[ACT_STUDY_VIEW + 1];
	int n = 0;
	items[n++] =
	    (struct ui_pick_item){"any", "any organisation action", NULL};
	for (int a = 0; a < ACT_STUDY_VIEW; a++)
		items[n++] = (struct ui_pick_item){engine_action_name(a),
		                                   meaning[a], NULL};
	struct ui_screen *p = ui_picker_new("Who has access? for the action",
	                                    items, n, picked_action, w);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

/* ---- the CSV ------------------------------------------------------------- */

static long write_rows(FILE *f, void *ctx, struct store_error *err)
{
	struct who *w = ctx;
	(void)err;
	enum csv_cells cells = cli_csv_cells();
	if (w->given) {
		/* as of a date: who gave each row, after the columns */
		struct store_access_then then = {.list = w->a,
		                                 .given = w->given};
		csv_row(f, store_access_then_columns, STORE_ACCESS_THEN_COLUMNS,
		        cells);
		for (int i = 0; i < w->a.n; i++) {
			const char *fields[STORE_ACCESS_THEN_COLUMNS];
			char seq[24];
			store_access_then_fields(&then, i, seq, fields);
			csv_row(f, fields, STORE_ACCESS_THEN_COLUMNS, cells);
		}
		return ferror(f) ? -1 : w->a.n;
	}
	csv_row(f, store_access_columns, STORE_ACCESS_COLUMNS, cells);
	for (int i = 0; i < w->a.n; i++) {
		const char *fields[STORE_ACCESS_COLUMNS];
		store_access_fields(&w->a.rows[i], fields);
		csv_row(f, fields, STORE_ACCESS_COLUMNS, cells);
	}
	return ferror(f) ? -1 : w->a.n;
}

/* Asks for the date: the list as of then (empty: now). */
static void ask_as_of(struct who *w)
{
	char buf[sizeof w->as_of];
	snprintf(buf, sizeof buf, "%s", w->as_of);
	if (!ui_prompt("As of (DD/MM/YYYY [HH:MM], empty for now): ", buf,
	               sizeof buf))
		return;
	if (buf[0] &&
	    !store_time_parse(buf, STORE_TIME_DAY_END, w->iso, sizeof w->iso)) {
		ui_error("As of: \"%s\" is not a date (DD/MM/YYYY or "
		         "YYYY-MM-DD, optionally HH:MM).",
		         buf);
		return;
	}
	snprintf(w->as_of, sizeof w->as_of, "%s", buf);
	w->list.cursor = w->list.top = 0;
	load(w);
}

/* The next row after the cursor (wrapping) whose User ID starts with the
 * text or whose name holds it: the one search rule. */
static void search(struct who *w)
{
	char buf[sizeof w->search];
	snprintf(buf, sizeof buf, "%s", w->search);
	if (!ui_prompt("Search by User ID or name: ", buf, sizeof buf) ||
	    !buf[0])
		return;
	snprintf(w->search, sizeof w->search, "%s", buf);
	static const int by[] = {COL_LOGIN, COL_NAME};
	if (!ui_list_find(&w->list, buf, by, 2))
		ui_error("Nobody listed matches \"%s\".", buf);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct who *w = (struct who *)s;
	(void)k;
	const struct store_access_row *row =
	    w->list.n_rows > 0 ? &w->a.rows[w->list.cursor] : NULL;
	switch (r) {
	case REQ_BACK:
	case REQ_QUIT:
		return UI_CLOSE;
	case REQ_FILTER:
		choose_action(w);
		return UI_HANDLED;
	case REQ_SEARCH:
		search(w);
		return UI_HANDLED;
	case REQ_AS_OF:
		ask_as_of(w);
		return UI_HANDLED;
	case REQ_REPORT: {
		char path[64];
		snprintf(path, sizeof path, "who-has-access-%s.csv", w->code);
		screen_write_csv("Write Who has access? to: ", path, write_rows,
		                 w);
		return UI_HANDLED;
	}
	case REQ_OPEN:
	case REQ_WHY:
		if (row) {
			struct ui_screen *next =
			    r == REQ_OPEN
			        ? screen_user_form_new(w->c, row->login)
			        : screen_why_new(w->c, row->login);
			if (next)
				ui_push(next);
		}
		return UI_HANDLED;
	case REQ_HELP:
	case REQ_REDRAW:
	case REQ_CANCEL:
		return UI_IGNORED;
	default:
		/* the movement, and the digits and Tab are the view's while
		 * it is open */
		ui_list_key(&w->list, r, 0);
		return UI_HANDLED;
	}
}

static void changed(struct ui_screen *s)
{
	((struct who *)s)->loaded = false;
}

static void close_who(struct ui_screen *s)
{
	struct who *w = (struct who *)s;
	store_access_free(&w->a);
	free(w->given);
	free(w);
}

struct ui_screen *screen_who_new(struct session *c, const char *code)
{
	struct who *w = calloc(1, sizeof *w);
	if (!w) {
		ui_error("out of memory");
		return NULL;
	}
	w->c = c;
	w->action = -1;
	snprintf(w->code, sizeof w->code, "%s", code);
	w->screen = (struct ui_screen){.title = "Who has access?",
	                               .draw = draw,
	                               .key = key,
	                               .keymap = &screen_who_keymap,
	                               .close = close_who,
	                               .changed = changed};
	w->list = (struct ui_list){.columns = columns,
	                           .n_columns = COLS,
	                           .sort_column = -1,
	                           .cell = cell,
	                           .ctx = w,
	                           .fit = fit};
	return &w->screen;
}
