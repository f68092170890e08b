/* checklist.c: the checklist widget: rows of "[x] text" in columns, each
 * with a key; dim rows that cannot be changed; a search that hides what
 * does not match and keeps the ticks; the keys ticked read back. Also its
 * pushable screen (Done or Save, Esc cancels), and the one search rule
 * the picker shares.
 *
 * Everything is copied in: a database reload frees the caller's data
 * while the widget is on screen, so it keeps no pointer into it. Ticks
 * and the cursor follow their keys across ui_checklist_set_rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/text.h"
#include "accessdesk/count.h"
#include "accessdesk/ui_checklist.h"
#include "ui_internal.h"

struct row {
	char *key;
	char *cells[UI_CHECKLIST_COLUMNS];
	char *dim; /* NULL: it may be changed */
	bool ticked;
};

struct ui_checklist {
	char *titles[UI_CHECKLIST_COLUMNS];
	int widths[UI_CHECKLIST_COLUMNS];
	int n_columns;
	bool header; /* some column has a title */
	bool boxes;  /* false: the picker's list */
	char *empty; /* what an empty list says; NULL: the default */
	struct row *rows;
	int n_rows;
	int *shown; /* indexes of the rows that match the filter */
	int n_shown;
	char filter[128];
	/* cursor and top over the rows shown, moved by ui_list_key */
	struct ui_list list;
	int page; /* rows drawn last time: the movement requests' page */
};

/* ---- rows ------------------------------------------------------------- */

static void row_free(struct row *r)
{
	free(r->key);
	for (int c = 0; c < UI_CHECKLIST_COLUMNS; c++)
		free(r->cells[c]);
	free(r->dim);
}

static char *copy(const char *s)
{
	return strdup(s ? s : "");
}

static bool row_copy(struct row *to, const struct ui_checklist_row *from,
                     int n_columns)
{
	memset(to, 0, sizeof *to);
	bool ok = (to->key = copy(from->key)) != NULL;
	for (int c = 0; ok && c < n_columns; c++)
		ok = (to->cells[c] = copy(from->cells[c])) != NULL;
	if (ok && from->dim)
		ok = (to->dim = strdup(from->dim)) != NULL;
	if (!ok)
		row_free(to);
	return ok;
}

static bool in_sorted(const char *const *sorted, size_t n, const char *key)
{
	return n && bsearch(&key, sorted, n, sizeof *sorted, text_order);
}

static struct row *cursor_row(const struct ui_checklist *cl)
{
	if (cl->n_shown == 0)
		return NULL;
	return &cl->rows[cl->shown[cl->list.cursor]];
}

/* The rows that match the filter; the cursor on key's row if it is
 * shown, else at index `otherwise` (clamped). */
static void refilter(struct ui_checklist *cl, const char *key, int otherwise)
{
	cl->n_shown = 0;
	for (int i = 0; i < cl->n_rows; i++) {
		struct row *r = &cl->rows[i];
		if (ui_text_match(cl->filter, (const char *const *)r->cells,
		                  cl->n_columns))
			cl->shown[cl->n_shown++] = i;
	}
	cl->list.n_rows = cl->n_shown;
	cl->list.cursor = otherwise;
	for (int i = 0; key && i < cl->n_shown; i++)
		if (strcmp(cl->rows[cl->shown[i]].key, key) == 0)
			cl->list.cursor = i;
	if (cl->list.cursor >= cl->n_shown)
		cl->list.cursor = cl->n_shown - 1;
	if (cl->list.cursor < 0)
		cl->list.cursor = 0;
}

struct ui_checklist *ui_checklist_new(const struct ui_column *columns,
                                      int n_columns)
{
	struct ui_checklist *cl = calloc(1, sizeof *cl);
	if (!cl)
		return NULL;
	if (n_columns > UI_CHECKLIST_COLUMNS)
		n_columns = UI_CHECKLIST_COLUMNS;
	cl->n_columns = n_columns;
	cl->boxes = true;
	cl->shown = malloc(sizeof *cl->shown);
	bool ok = cl->shown != NULL;
	for (int c = 0; ok && c < n_columns; c++) {
		ok = (cl->titles[c] = copy(columns[c].title)) != NULL;
		cl->widths[c] = columns[c].width;
		cl->header = cl->header || (ok && cl->titles[c][0]);
	}
	cl->list.sort_column = -1;
	if (!ok) {
		ui_checklist_free(cl);
		return NULL;
	}
	return cl;
}

void ui_checklist_free(struct ui_checklist *cl)
{
	if (!cl)
		return;
	for (int i = 0; i < cl->n_rows; i++)
		row_free(&cl->rows[i]);
	for (int c = 0; c < UI_CHECKLIST_COLUMNS; c++)
		free(cl->titles[c]);
	free(cl->rows);
	free(cl->shown);
	free(cl->empty);
	free(cl);
}

bool ui_checklist_set_rows(struct ui_checklist *cl,
                           const struct ui_checklist_row *rows, int n)
{
	if (n < 0)
		n = 0;
	struct row *nr = calloc((size_t)n + 1, sizeof *nr);
	int *shown = malloc(((size_t)n + 1) * sizeof *shown);
	/* the old ticks, sorted, to find each new row's in log time */
	const char **ticked = malloc(((size_t)cl->n_rows + 1) * sizeof *ticked);
	int done = 0;
	bool ok = nr && shown && ticked;
	for (; ok && done < n; done++)
		ok = row_copy(&nr[done], &rows[done], cl->n_columns);
	if (!ok) {
		for (int i = 0; i < done; i++)
			row_free(&nr[i]);
		free(nr);
		free(shown);
		free(ticked);
		return false;
	}
	size_t n_ticked = 0;
	for (int i = 0; i < cl->n_rows; i++)
		if (cl->rows[i].ticked)
			ticked[n_ticked++] = cl->rows[i].key;
	qsort(ticked, n_ticked, sizeof *ticked, text_order);
	for (int i = 0; i < n; i++)
		nr[i].ticked = in_sorted(ticked, n_ticked, nr[i].key);

	struct row *old = cl->rows;
	int n_old = cl->n_rows;
	const struct row *at = cursor_row(cl);
	const char *cursor_key = at ? at->key : NULL; /* in old: freed after */
	free(cl->shown);
	cl->rows = nr;
	cl->n_rows = n;
	cl->shown = shown;
	refilter(cl, cursor_key, cl->list.cursor);
	for (int i = 0; i < n_old; i++)
		row_free(&old[i]);
	free(old);
	free(ticked);
	return true;
}

void ui_checklist_set_ticked(struct ui_checklist *cl, const char *const *keys,
                             int n)
{
	/* sorted copies of the pointers; without memory, one by one */
	const char **sorted = n > 0 ? malloc((size_t)n * sizeof *sorted) : NULL;
	if (sorted) {
		memcpy(sorted, keys, (size_t)n * sizeof *sorted);
		qsort(sorted, (size_t)n, sizeof *sorted, text_order);
	}
	for (int i = 0; i < cl->n_rows; i++) {
		struct row *r = &cl->rows[i];
		r->ticked = false;
		if (sorted) {
			r->ticked = in_sorted(sorted, (size_t)n, r->key);
			continue;
		}
		for (int k = 0; k < n && !r->ticked; k++)
			r->ticked = strcmp(keys[k], r->key) == 0;
	}
	free(sorted);
}

bool ui_checklist_is_ticked(const struct ui_checklist *cl, const char *key)
{
	for (int i = 0; i < cl->n_rows; i++)
		if (strcmp(cl->rows[i].key, key) == 0)
			return cl->rows[i].ticked;
	return false;
}

int ui_checklist_n_ticked(const struct ui_checklist *cl)
{
	int n = 0;
	for (int i = 0; i < cl->n_rows; i++)
		n += cl->rows[i].ticked;
	return n;
}

char **ui_checklist_ticked(const struct ui_checklist *cl, int *n)
{
	int count = ui_checklist_n_ticked(cl);
	char **keys = calloc((size_t)count + 1, sizeof *keys);
	if (!keys)
		return NULL;
	int at = 0;
	for (int i = 0; i < cl->n_rows; i++) {
		if (!cl->rows[i].ticked)
			continue;
		if (!(keys[at++] = strdup(cl->rows[i].key))) {
			ui_checklist_keys_free(keys);
			return NULL;
		}
	}
	*n = count;
	return keys;
}

void ui_checklist_keys_free(char **keys)
{
	if (!keys)
		return;
	for (char **k = keys; *k; k++)
		free(*k);
	free(keys);
}

void ui_checklist_set_filter(struct ui_checklist *cl, const char *typed)
{
	const struct row *at = cursor_row(cl);
	snprintf(cl->filter, sizeof cl->filter, "%s", typed ? typed : "");
	refilter(cl, at ? at->key : NULL, 0);
}

const char *ui_checklist_filter(const struct ui_checklist *cl)
{
	return cl->filter;
}

int ui_checklist_n_rows(const struct ui_checklist *cl)
{
	return cl->n_rows;
}

int ui_checklist_n_shown(const struct ui_checklist *cl)
{
	return cl->n_shown;
}

const char *ui_checklist_shown_key(const struct ui_checklist *cl, int i)
{
	return i >= 0 && i < cl->n_shown ? cl->rows[cl->shown[i]].key : NULL;
}

const char *ui_checklist_cursor_key(const struct ui_checklist *cl)
{
	const struct row *r = cursor_row(cl);
	return r ? r->key : NULL;
}

const char *ui_checklist_cursor_dim(const struct ui_checklist *cl)
{
	const struct row *r = cursor_row(cl);
	return r ? r->dim : NULL;
}

bool ui_checklist_set_cursor(struct ui_checklist *cl, const char *key)
{
	for (int i = 0; i < cl->n_shown; i++)
		if (strcmp(cl->rows[cl->shown[i]].key, key) == 0) {
			cl->list.cursor = i;
			return true;
		}
	return false;
}

void ui_checklist_set_boxes(struct ui_checklist *cl, bool boxes)
{
	cl->boxes = boxes;
}

bool ui_checklist_set_empty(struct ui_checklist *cl, const char *text)
{
	char *t = text ? strdup(text) : NULL;
	if (text && !t)
		return false;
	free(cl->empty);
	cl->empty = t;
	return true;
}

/* ---- requests --------------------------------------------------------- */

static const struct ui_keydef checklist_keys[] = {
    {REQ_TOGGLE, "Tick", "Tick or untick the row under the cursor", true, 0},
    {REQ_SELECT_ALL, NULL,
     "Tick every row shown that can be ticked, or untick them all when they "
     "all are",
     true, 0},
    {REQ_SEARCH, NULL,
     "Show only the rows that match (a code by its start, a name anywhere); "
     "ticks are kept",
     true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_checklist_keymap = {"checklist", "Tick list",
                                              checklist_keys, &ui_list_keymap};

static void toggle(struct ui_checklist *cl)
{
	struct row *r = cursor_row(cl);
	if (!r)
		return;
	if (r->dim)
		ui_error("%s", r->dim);
	else
		r->ticked = !r->ticked;
}

static void select_all(struct ui_checklist *cl)
{
	int n = 0, ticked = 0;
	for (int i = 0; i < cl->n_shown; i++) {
		const struct row *r = &cl->rows[cl->shown[i]];
		if (!r->dim) {
			n++;
			ticked += r->ticked;
		}
	}
	if (n == 0) {
		ui_error("Nothing shown can be ticked.");
		return;
	}
	bool tick = ticked < n;
	for (int i = 0; i < cl->n_shown; i++) {
		struct row *r = &cl->rows[cl->shown[i]];
		if (!r->dim)
			r->ticked = tick;
	}
	ui_message("%s all %d shown.", tick ? "Ticked" : "Unticked", n);
}

static void search(struct ui_checklist *cl)
{
	char buf[sizeof cl->filter];
	snprintf(buf, sizeof buf, "%s", cl->filter);
	if (ui_prompt("Search: ", buf, sizeof buf))
		ui_checklist_set_filter(cl, buf);
}

bool ui_checklist_request(struct ui_checklist *cl, enum ui_request r, int page)
{
	switch (r) {
	case REQ_TOGGLE:
		if (!cl->boxes)
			return false;
		toggle(cl);
		return true;
	case REQ_SELECT_ALL:
		if (!cl->boxes)
			return false;
		select_all(cl);
		return true;
	case REQ_SEARCH:
		search(cl);
		return true;
	default:
		return ui_list_key(&cl->list, r, page > 0 ? page : cl->page);
	}
}

/* ---- drawing ---------------------------------------------------------- */

/* Cells in the columns from x0, one blank column between them in the
 * row's style (as the list draws them). */
static void draw_cells(const struct ui_checklist *cl, struct ui_area a, int y,
                       int x0, enum ui_style st, char *const *cells)
{
	int x = x0;
	for (int c = 0; c < cl->n_columns; c++) {
		bool last = c == cl->n_columns - 1;
		int w = last ? a.w - x : cl->widths[c];
		ui_text(a, y, x, w, st, "");
		ui_text_cut(a, y, x, w - !last, st, cells[c], NULL);
		x += w;
	}
}

static void draw_footer(const struct ui_checklist *cl, struct ui_area a, int y)
{
	char line[512], ticked[32], rows[32], shown[32];
	int at = snprintf(
	    line, sizeof line, "%s of %s ticked",
	    count_text(ticked, sizeof ticked, ui_checklist_n_ticked(cl)),
	    count_text(rows, sizeof rows, cl->n_rows));
	if (cl->filter[0] && at < (int)sizeof line)
		at += snprintf(line + at, sizeof line - (size_t)at,
		               "  Search: %s (%s shown)", cl->filter,
		               count_text(shown, sizeof shown, cl->n_shown));
	const struct row *r = cursor_row(cl);
	/* the cursor row is in reverse video: its dimness is said here */
	if (r && r->dim && at < (int)sizeof line)
		snprintf(line + at, sizeof line - (size_t)at,
		         "  Cannot change: %s", r->dim);
	ui_text_cut(a, y, 0, a.w, STYLE_NORMAL, line, NULL);
}

void ui_checklist_draw(struct ui_checklist *cl, struct ui_area a)
{
	int box = cl->boxes ? 4 : 0;
	int y0 = 0;
	if (cl->header && a.h > 1) {
		ui_text(a, 0, 0, box, STYLE_HEADER, "");
		draw_cells(cl, a, 0, box, STYLE_HEADER, cl->titles);
		y0 = 1;
	}
	int foot = cl->boxes && a.h - y0 > 1;
	int rows = a.h - y0 - foot;
	if (rows < 1)
		rows = 1;
	cl->page = rows;
	struct ui_list *l = &cl->list;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + rows)
		l->top = l->cursor - rows + 1;
	if (l->top > cl->n_shown - rows)
		l->top = cl->n_shown - rows;
	if (l->top < 0)
		l->top = 0;
	for (int i = 0; i < rows; i++) {
		int at = l->top + i;
		ui_text(a, y0 + i, 0, a.w, STYLE_NORMAL, "");
		if (at >= cl->n_shown)
			continue;
		const struct row *r = &cl->rows[cl->shown[at]];
		enum ui_style st = at == l->cursor ? STYLE_SELECTED
		                   : r->dim        ? STYLE_READONLY
		                                   : STYLE_NORMAL;
		/* a box that cannot change has no brackets, as a field */
		const char *mark = r->dim ? (r->ticked ? " x " : "   ")
		                          : (r->ticked ? "[x]" : "[ ]");
		if (box)
			ui_text(a, y0 + i, 0, box, st, mark);
		draw_cells(cl, a, y0 + i, box, st, r->cells);
	}
	if (cl->n_shown == 0) {
		char line[256];
		if (cl->n_rows > 0)
			snprintf(line, sizeof line, "Nothing matches \"%s\".",
			         cl->filter);
		else
			snprintf(line, sizeof line, "%s",
			         cl->empty ? cl->empty : "Nothing to list.");
		ui_text(a, y0, box, a.w - box, STYLE_NORMAL, line);
	}
	if (foot)
		draw_footer(cl, a, a.h - 1);
	/* on the box (or the row's start): what a screen reader follows */
	ui_cursor(a, y0 + l->cursor - l->top, box ? 1 : 0);
}

/* ---- the pushable screen ---------------------------------------------- */

struct checklist_screen {
	struct ui_screen screen;
	char *title;
	char *label;
	struct ui_checklist *cl;
	struct ui_keydef keys[3];
	struct ui_keymap keymap; /* its own: the Enter label is the caller's */
	bool finished;           /* Enter: report the ticks once closed */
	void (*done)(void *ctx, char *const *keys, int n);
	void (*changed)(void *ctx, struct ui_checklist *cl);
	void *ctx;
};

static void screen_draw(struct ui_screen *s, struct ui_area a)
{
	struct checklist_screen *cs = (struct checklist_screen *)s;
	ui_text(a, 0, 0, a.w, STYLE_HEADER, cs->title);
	ui_checklist_draw(cs->cl, (struct ui_area){a.y + 1, a.x, a.h - 1, a.w});
}

static enum ui_result screen_key(struct ui_screen *s, int k, enum ui_request r)
{
	struct checklist_screen *cs = (struct checklist_screen *)s;
	(void)k;
	if (r == REQ_OPEN) {
		cs->finished = true;
		return UI_CLOSE;
	}
	if (r == REQ_BACK)
		return UI_CLOSE;
	return ui_checklist_request(cs->cl, r, 0) ? UI_HANDLED : UI_IGNORED;
}

static void screen_changed(struct ui_screen *s)
{
	struct checklist_screen *cs = (struct checklist_screen *)s;
	if (cs->changed)
		cs->changed(cs->ctx, cs->cl);
}

/* Popped: the ticks are reported now, so done() may push a screen. */
static void screen_close(struct ui_screen *s)
{
	struct checklist_screen *cs = (struct checklist_screen *)s;
	if (cs->finished && cs->done) {
		int n = 0;
		char **keys = ui_checklist_ticked(cs->cl, &n);
		if (keys)
			cs->done(cs->ctx, keys, n);
		else
			ui_error("out of memory");
		ui_checklist_keys_free(keys);
	}
	ui_checklist_free(cs->cl);
	free(cs->title);
	free(cs->label);
	free(cs);
}

struct ui_screen *ui_checklist_screen_new(
    const char *title, const char *done_label, struct ui_checklist *cl,
    void (*done)(void *ctx, char *const *keys, int n),
    void (*changed)(void *ctx, struct ui_checklist *cl), void *ctx)
{
	struct checklist_screen *cs = calloc(1, sizeof *cs);
	if (!cs) {
		ui_checklist_free(cl);
		return NULL;
	}
	cs->cl = cl;
	cs->title = copy(title);
	cs->label = copy(done_label ? done_label : "Done");
	cs->screen = (struct ui_screen){.title = cs->title,
	                                .draw = screen_draw,
	                                .key = screen_key,
	                                .keymap = &cs->keymap,
	                                .close = screen_close,
	                                .changed = screen_changed};
	if (!cl || !cs->title || !cs->label) {
		screen_close(&cs->screen);
		return NULL;
	}
	cs->keys[0] = (struct ui_keydef){
	    REQ_OPEN, cs->label, "Close, keeping what is ticked", true, 0};
	cs->keys[1] = (struct ui_keydef){
	    REQ_BACK, "Cancel", "Close, leaving everything as it was", true, 0};
	cs->keys[2] = (struct ui_keydef){REQ_NONE, NULL, NULL, false, 0};
	cs->keymap = (struct ui_keymap){"checklist-screen", cs->title, cs->keys,
	                                &ui_checklist_keymap};
	cs->done = done;
	cs->changed = changed;
	cs->ctx = ctx;
	return &cs->screen;
}

struct ui_checklist *ui_checklist_screen_list(struct ui_screen *s)
{
	return ((struct checklist_screen *)s)->cl;
}
