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

#include "accessdesk/cli.h"
#include "accessdesk/count.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_pager.h"

#define PAGE_MAX 500

struct users {
	struct ui_screen screen;
	struct session *c;
	struct store_user_query q;
	char search[128];
	struct ui_pager pager; /* of struct store_user_row */
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

static const struct store_user_row *row_at(const struct users *u, int i)
{
	return ui_pager_row(&u->pager, i);
}

static const char *cell(void *ctx, int row, int column)
{
	struct users *u = ctx;
	const struct store_user_row *r = row_at(u, row);
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
	const struct store_user_row *r = row_at(u, row);
	if (column != 1 || !r->hidden)
		return NULL;
	snprintf(u->tail, sizeof u->tail, "%s+%d not shown",
	         r->org_ids[0] ? " " : "", r->hidden);
	return u->tail;
}

/* The pager's read (ui_pager_fetch_fn): the store reads backwards by the
 * reversed sort, nearest first, turned here into the list's order. */
static int fetch_rows(void *ctx, const void *after, bool backwards, int n,
                      void **out)
{
	struct users *u = ctx;
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
	if (backwards)
		for (int i = 0; i < got / 2; i++) {
			struct store_user_row t = rows[i];
			rows[i] = rows[got - 1 - i];
			rows[got - 1 - i] = t;
		}
	*out = rows;
	return got;
}

/* The count of the current query, never in the way of a key: the
 * planner's estimate now ("of about 19,700"), the exact figure when the
 * counts' connection answers (ui_pager_counted); a count asked before
 * for this list is cancelled, its answer never shown. */
static void count(struct users *u)
{
	struct store_user_query q = u->q;
	q.search = u->search;
	struct store_error err = {0};
	u->pager.count = -1;
	u->pager.estimate = store_users_count_start(
	    u->c->store, u->c->counts, &u->c->reach, u->c->operator_login, &q,
	    &u->pager, ui_pager_counted, &err);
	if (u->pager.estimate < 0)
		ui_error("%s", err.message);
}

/* The first page of the current query, then its count. */
static void reload(struct users *u)
{
	if (ui_pager_first(&u->pager)) {
		count(u);
	} else {
		/* no page: no count of it to wait for */
		store_count_forget(u->c->counts, &u->pager);
		u->pager.count = u->pager.estimate = -1;
	}
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct users *u = (struct users *)s;
	/* the search line and the list's header above the rows */
	ui_pager_fit(&u->pager, a.h - 2);
	char line[256], range[96];
	ui_pager_range(&u->pager, "no users", range, sizeof range);
	snprintf(line, sizeof line, "Search by: %s [%s]",
	         search_names[u->q.search_by], u->search);
	int w = ui_text_width(range);
	ui_text(a, 0, 0, a.w - w - 1, STYLE_NORMAL, line);
	ui_text(a, 0, a.w - w, w, STYLE_NORMAL, range);
	u->list.sort_column = (int)u->q.sort;
	u->list.descending = u->q.descending;
	struct ui_area body = {a.y + 1, a.x, a.h - 1, a.w};
	if (u->pager.n_rows == 0) {
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
	/* a file: the database writes the CSV (csv.h's bytes) */
	store_report_csv_row(f, store_report_columns);
	return store_report_copy(u->c->store, u->c->operator_login, &q,
	                         cli_csv_cells(), f, err);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct users *u = (struct users *)s;
	(void)k;
	const struct store_user_row *row =
	    u->pager.n_rows ? row_at(u, u->list.cursor) : NULL;
	if (ui_pager_key(&u->pager, r) == UI_HANDLED)
		return UI_HANDLED;
	switch (r) {
	case REQ_FIRST:
		reload(u);
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
	long offset = u->pager.offset;
	int cursor = u->list.cursor;
	reload(u);
	/* stay near where the operator was when it is the first page */
	if (offset == 0 && cursor < u->pager.n_rows)
		u->list.cursor = cursor;
}

static void close_users(struct ui_screen *s)
{
	struct users *u = (struct users *)s;
	store_count_forget(u->c->counts, &u->pager);
	ui_pager_free(&u->pager);
	free(u);
}

struct ui_screen *screen_users_new(struct session *c)
{
	struct users *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->c = c;
	/* the rows the body shows, as the first draw finds them */
	u->pager = (struct ui_pager){.list = &u->list,
	                             .size = sizeof(struct store_user_row),
	                             .page_max = PAGE_MAX,
	                             .fetch = fetch_rows,
	                             .ctx = u,
	                             .page = ui_page_rows(),
	                             .count = -1,
	                             .estimate = -1};
	if (u->pager.page < 1 || u->pager.page > PAGE_MAX)
		u->pager.page = PAGE_MAX;
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
	reload(u);
	return &u->screen;
}
