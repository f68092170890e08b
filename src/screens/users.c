/* users.c: tab 1, Users: the CQRS Users list. Only users the operator may
 * see; sort on every column both ways; Search by Name, User ID, Email or
 * Organisation; pages fetched by keyset so it stays instant with a million
 * users, each as many rows as the body shows (again on a resize), so the
 * count names the rows on screen and paging skips none. Enter opens User
 * Details, a adds a user, w asks Why?, r writes the Organisation / User
 * report of what is listed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/count.h"
#include "accessdesk/screens.h"

#define PAGE_MAX 500

struct users {
	struct ui_screen screen;
	struct session *c;
	struct store_user_query q;
	char search[128];
	struct store_user_row *rows;
	int n_rows, page;
	long offset; /* of rows[0] in the whole list */
	long count;  /* -1: not known */
	bool at_end; /* no row after rows[n_rows - 1] */
	struct ui_list list;
	char tail[32];
};

/* The columns share the width (at 80 columns Name 18, the organisation
 * columns 15, 12 and 12); a date and a status are never cut. */
static const struct ui_column columns[USER_SORT_COUNT] = {
    {"Name", 12},           {"Organisation ID(s)", 10},
    {"Organisation(s)", 8}, {"Parent Organisation(s)", 8},
    {"Date Added", 10},     {"Status", 8}, /* "Disabled" */
};
static const struct ui_column_fit fit[USER_SORT_COUNT] = {
    {4, false}, {3, false}, {3, false}, {3, false}, {0, true}, {0, true},
};

static const char *const search_names[USER_SEARCH_COUNT] = {
    "Name", "User ID", "Email", "Organisation"};

static const struct ui_keydef users_keys[] = {
    {REQ_OPEN, NULL, "Open User Details of the user under the cursor", true, 0},
    {REQ_SEARCH, NULL, "Search (by what Search by says)", true, 0},
    {REQ_SEARCH_BY, NULL, "Search by Name, User ID, Email or Organisation",
     true, 0},
    {REQ_SORT, NULL, "Sort by the next column", true, 0},
    {REQ_REVERSE, NULL, "Reverse the sort order", false, 0},
    {REQ_ADD, NULL, "Add New User", true, 0},
    {REQ_WHY, NULL, "Why? The user's effective access and its reasons", true,
     0},
    {REQ_REPORT, NULL, "Write the Organisation / User report (CSV)", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_users_keymap = {"users", "Users", users_keys,
                                              &ui_list_keymap};
/* Read-only mode hides what changes things (screens.md): Add is taken
 * out of the bar, and answered with why not. */
static const struct ui_keydef users_keys_read_only[] = {
    {REQ_ADD, NULL, "Add New User (not in read-only mode)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_users_keymap_read_only = {
    "users-read-only", "Read-only mode", users_keys_read_only,
    &screen_users_keymap};

static const char *cell(void *ctx, int row, int column)
{
	struct users *u = ctx;
	const struct store_user_row *r = &u->rows[row];
	switch (column) {
	case 0:
		return r->name;
	case 1:
		return r->org_ids;
	case 2:
		return r->orgs;
	case 3:
		return r->parents;
	case 4:
		return r->date;
	default:
		return r->enabled ? "Enabled" : "Disabled";
	}
}

/* The grants not shown stay visible when the codes are cut. */
static const char *cell_tail(void *ctx, int row, int column)
{
	struct users *u = ctx;
	const struct store_user_row *r = &u->rows[row];
	if (column != 1 || !r->hidden)
		return NULL;
	snprintf(u->tail, sizeof u->tail, "%s+%d not shown",
	         r->org_ids[0] ? " " : "", r->hidden);
	return u->tail;
}

/* At most n rows after `after` (NULL: from the start), or, with
 * backwards, before it (nearest first), into a new array; -1 on an
 * error (said on the message line). */
static int fetch_rows(struct users *u, const struct store_user_row *after,
                      bool backwards, int n, struct store_user_row **out)
{
	struct session *c = u->c;
	struct store_user_query q = u->q;
	q.search = u->search;
	if (backwards)
		q.descending = !q.descending;
	struct store_user_row *rows = malloc((size_t)n * sizeof *rows);
	int got = 0;
	struct store_error err = {0};
	if (!rows ||
	    !store_users_page(c->store, c->world, &c->ids, c->op, &c->reach, &q,
	                      after, n, rows, &got, &err)) {
		free(rows);
		ui_error("%s", err.message[0] ? err.message : "out of memory");
		return -1;
	}
	*out = rows;
	return got;
}

/* Fetches the page after `after` (NULL: the first), or, with backwards,
 * the page before it. */
static bool fetch(struct users *u, const struct store_user_row *after,
                  bool backwards)
{
	struct store_user_row cursor, *rows;
	if (after)
		cursor = *after; /* rows is about to be replaced */
	int got =
	    fetch_rows(u, after ? &cursor : NULL, backwards, u->page, &rows);
	if (got < 0)
		return false;
	if (got == 0 && after) {
		free(rows);
		return false; /* nothing that way: stay */
	}
	if (backwards)
		for (int i = 0; i < got / 2; i++) {
			struct store_user_row t = rows[i];
			rows[i] = rows[got - 1 - i];
			rows[got - 1 - i] = t;
		}
	free(u->rows);
	u->rows = rows;
	u->n_rows = got;
	u->list.n_rows = got;
	u->at_end = !backwards && got < u->page;
	return true;
}

static void count(struct users *u)
{
	struct store_user_query q = u->q;
	q.search = u->search;
	struct store_error err = {0};
	u->count = store_users_count(u->c->store, &u->c->reach,
	                             u->c->operator_login, &q, &err);
	if (u->count < 0)
		ui_error("%s", err.message);
}

/* The first page of the current query, with its count. */
static void reload(struct users *u)
{
	u->offset = 0;
	u->list.cursor = u->list.top = 0;
	if (fetch(u, NULL, false))
		count(u);
}

static void next_page(struct users *u, bool cursor_top)
{
	if (u->n_rows == 0 || u->at_end)
		return;
	long old = u->n_rows;
	if (fetch(u, &u->rows[u->n_rows - 1], false)) {
		u->offset += old;
		u->list.cursor = cursor_top ? 0 : u->list.cursor;
		u->list.top = 0;
	} else {
		u->at_end = true;
	}
}

static void prev_page(struct users *u, bool cursor_bottom)
{
	if (u->n_rows == 0 || u->offset == 0)
		return;
	if (u->offset <= u->page) {
		/* the page before starts the list: a whole first page */
		if (fetch(u, NULL, false)) {
			u->offset = 0;
			u->list.cursor = cursor_bottom ? u->n_rows - 1 : 0;
			u->list.top = 0;
		}
		return;
	}
	if (fetch(u, &u->rows[0], true)) {
		u->offset -= u->n_rows;
		if (u->offset < 0)
			u->offset = 0;
		u->at_end = false;
		u->list.cursor = cursor_bottom ? u->n_rows - 1 : 0;
		u->list.top = 0;
	}
}

static void last_page(struct users *u)
{
	if (!fetch(u, NULL, true))
		return;
	u->at_end = true;
	u->offset = u->count > u->n_rows ? u->count - u->n_rows : 0;
	u->list.cursor = u->n_rows - 1;
}

/* The page becomes as many rows as the body shows: the rows held stay
 * (the cursor's among them), and rows after them are fetched to fill a
 * taller page. */
static void fit_page(struct users *u, int rows)
{
	if (rows > PAGE_MAX)
		rows = PAGE_MAX;
	if (rows < 1 || rows == u->page)
		return;
	u->page = rows;
	if (u->n_rows > rows) {
		int drop =
		    u->list.cursor >= rows ? u->list.cursor - rows + 1 : 0;
		memmove(u->rows, u->rows + drop,
		        (size_t)(u->n_rows - drop) * sizeof *u->rows);
		u->offset += drop;
		u->list.cursor -= drop;
		if (u->n_rows - drop > rows)
			u->at_end = false;
		u->n_rows = u->list.n_rows = rows;
		return;
	}
	if (u->n_rows == 0 || u->at_end)
		return;
	struct store_user_row *more, *all;
	int want = rows - u->n_rows;
	int got = fetch_rows(u, &u->rows[u->n_rows - 1], false, want, &more);
	if (got < 0)
		return;
	all = realloc(u->rows, (size_t)rows * sizeof *all);
	if (!all) {
		free(more);
		return;
	}
	memcpy(all + u->n_rows, more, (size_t)got * sizeof *all);
	free(more);
	u->rows = all;
	u->n_rows = u->list.n_rows = u->n_rows + got;
	u->at_end = got < want;
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct users *u = (struct users *)s;
	/* the search line and the list's header above the rows */
	fit_page(u, a.h - 2);
	char line[256], range[96], first[32], last[32], total[32];
	if (u->n_rows == 0)
		snprintf(range, sizeof range, "no users");
	else
		snprintf(range, sizeof range, "%s-%s of %s",
		         count_text(first, sizeof first, u->offset + 1),
		         count_text(last, sizeof last, u->offset + u->n_rows),
		         count_text(total, sizeof total, u->count));
	snprintf(line, sizeof line, "Search by: %s [%s]",
	         search_names[u->q.search_by], u->search);
	int w = ui_text_width(range);
	ui_text(a, 0, 0, a.w - w - 1, STYLE_NORMAL, line);
	ui_text(a, 0, a.w - w, w, STYLE_NORMAL, range);
	u->list.sort_column = (int)u->q.sort;
	u->list.descending = u->q.descending;
	struct ui_area body = {a.y + 1, a.x, a.h - 1, a.w};
	if (u->n_rows == 0) {
		ui_list_draw(&u->list, body);
		ui_text(body, 1, 0, a.w, STYLE_NORMAL,
		        u->search[0] ? "No user matches the search."
		                     : "No users to show.");
		ui_cursor(body, 1, 0);
		return;
	}
	ui_list_draw(&u->list, body);
}

/* The report of what is listed: its header, then its rows. */
static long write_report(FILE *f, void *ctx, struct store_error *err)
{
	struct users *u = ctx;
	struct store_user_query q = u->q;
	q.search = u->search;
	store_report_csv_row(f, store_report_columns);
	return store_report(u->c->store, u->c->operator_login, &q,
	                    store_report_csv_row, f, err);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct users *u = (struct users *)s;
	(void)k;
	int page = u->page;
	const struct store_user_row *row =
	    u->n_rows ? &u->rows[u->list.cursor] : NULL;
	switch (r) {
	case REQ_DOWN:
		if (u->list.cursor == u->n_rows - 1)
			next_page(u, true);
		else
			ui_list_key(&u->list, r, page);
		return UI_HANDLED;
	case REQ_UP:
		if (u->list.cursor == 0)
			prev_page(u, true);
		else
			ui_list_key(&u->list, r, page);
		return UI_HANDLED;
	case REQ_PAGE_DOWN:
		next_page(u, true);
		return UI_HANDLED;
	case REQ_PAGE_UP:
		prev_page(u, false);
		return UI_HANDLED;
	case REQ_FIRST:
		reload(u);
		return UI_HANDLED;
	case REQ_LAST:
		last_page(u);
		return UI_HANDLED;
	case REQ_SEARCH: {
		char prompt[64], buf[128];
		snprintf(prompt, sizeof prompt,
		         "Search by %s: ", search_names[u->q.search_by]);
		snprintf(buf, sizeof buf, "%s", u->search);
		if (ui_prompt(prompt, buf, sizeof buf)) {
			snprintf(u->search, sizeof u->search, "%s", buf);
			reload(u);
		}
		return UI_HANDLED;
	}
	case REQ_SEARCH_BY:
		u->q.search_by = (u->q.search_by + 1) % USER_SEARCH_COUNT;
		ui_message("Search by: %s", search_names[u->q.search_by]);
		if (u->search[0])
			reload(u);
		return UI_HANDLED;
	case REQ_SORT:
		u->q.sort = (u->q.sort + 1) % USER_SORT_COUNT;
		u->q.descending = false;
		reload(u);
		return UI_HANDLED;
	case REQ_REVERSE:
		u->q.descending = !u->q.descending;
		reload(u);
		return UI_HANDLED;
	case REQ_OPEN:
		if (row) {
			struct ui_screen *f =
			    screen_user_form_new(u->c, row->login);
			if (f)
				ui_push(f);
		}
		return UI_HANDLED;
	case REQ_ADD: {
		if (u->c->read_only) {
			ui_error("Read-only mode: users cannot be added.");
			return UI_HANDLED;
		}
		struct ui_screen *f = screen_user_form_new(u->c, NULL);
		if (f)
			ui_push(f);
		return UI_HANDLED;
	}
	case REQ_WHY:
		if (row) {
			struct ui_screen *w = screen_why_new(u->c, row->login);
			if (w)
				ui_push(w);
		}
		return UI_HANDLED;
	case REQ_REPORT:
		screen_write_csv("Write the Organisation / User report to: ",
		                 "users-report.csv", write_report, u);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

static void changed(struct ui_screen *s)
{
	struct users *u = (struct users *)s;
	long offset = u->offset;
	int cursor = u->list.cursor;
	reload(u);
	/* stay near where the operator was when it is the first page */
	if (offset == 0 && cursor < u->n_rows)
		u->list.cursor = cursor;
}

static void close_users(struct ui_screen *s)
{
	struct users *u = (struct users *)s;
	free(u->rows);
	free(u);
}

struct ui_screen *screen_users_new(struct session *c)
{
	struct users *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->c = c;
	/* the rows the body shows, as the first draw finds them */
	u->page = ui_page_rows();
	if (u->page < 1 || u->page > PAGE_MAX)
		u->page = PAGE_MAX;
	u->screen = (struct ui_screen){
	    .title = "Users",
	    .draw = draw,
	    .key = key,
	    .keymap = c->read_only ? &screen_users_keymap_read_only
	                           : &screen_users_keymap,
	    .close = close_users,
	    .changed = changed};
	u->list = (struct ui_list){.columns = columns,
	                           .n_columns = USER_SORT_COUNT,
	                           .cell = cell,
	                           .ctx = u,
	                           .cell_tail = cell_tail,
	                           .fit = fit};
	u->count = -1;
	reload(u);
	return &u->screen;
}
