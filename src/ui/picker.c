/* picker.c: a searchable picker (organisations, sites, studies): type to
 * filter (a code by its start, a name anywhere, either case), move with
 * the arrows, Enter picks, Esc cancels. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui_internal.h"

struct picker {
	struct ui_screen screen;
	char *title;
	const struct ui_pick_item *items;
	int n;
	int *shown; /* indexes of the items that match */
	int n_shown;
	char filter[64];
	struct ui_list list;
	void (*picked)(void *ctx, int index);
	void *ctx;
};

static const struct ui_column columns[] = {{"Code", 14}, {"Name", 0}};
static const enum ui_request keybar[] = {REQ_OPEN, REQ_BACK, REQ_NONE};

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

static void refilter(struct picker *p)
{
	size_t n = strlen(p->filter);
	p->n_shown = 0;
	for (int i = 0; i < p->n; i++)
		if (strncasecmp(p->items[i].code, p->filter, n) == 0 ||
		    contains_ci(p->items[i].name, p->filter))
			p->shown[p->n_shown++] = i;
	p->list.n_rows = p->n_shown;
	p->list.cursor = p->list.top = 0;
}

static const char *cell(void *ctx, int row, int column)
{
	struct picker *p = ctx;
	const struct ui_pick_item *it = &p->items[p->shown[row]];
	return column == 0 ? it->code : it->name;
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct picker *p = (struct picker *)s;
	char line[256];
	snprintf(line, sizeof line, "%s  Type to filter: %s_  (%d of %d)",
	         p->title, p->filter, p->n_shown, p->n);
	ui_text(a, 0, 0, a.w, STYLE_HEADER, line);
	struct ui_area body = {a.y + 1, a.x, a.h - 1, a.w};
	ui_list_draw(&p->list, body);
	if (p->n_shown == 0) {
		ui_text(body, 1, 0, a.w, STYLE_NORMAL, "Nothing matches.");
		ui_cursor(body, 1, 0);
	}
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct picker *p = (struct picker *)s;
	size_t n = strlen(p->filter);
	if (k == UI_KEY_ESC)
		return UI_CLOSE;
	if (k == UI_KEY_ENTER || k == '\r') {
		if (p->n_shown > 0)
			p->picked(p->ctx, p->shown[p->list.cursor]);
		return UI_CLOSE;
	}
	if (k == UI_KEY_BACKSPACE) {
		if (n > 0)
			p->filter[n - 1] = '\0';
		refilter(p);
		return UI_HANDLED;
	}
	if (k >= 32 && k < 127 && n + 1 < sizeof p->filter) {
		p->filter[n] = (char)k;
		p->filter[n + 1] = '\0';
		refilter(p);
		return UI_HANDLED;
	}
	/* only arrows and paging keys move: letters are for the filter */
	if (k >= UI_KEY_BASE && ui_list_key(&p->list, r, ui_page_rows()))
		return UI_HANDLED;
	return k == UI_KEY_TAB || k == UI_KEY_BACKTAB ? UI_HANDLED : UI_IGNORED;
}

static void close_picker(struct ui_screen *s)
{
	struct picker *p = (struct picker *)s;
	free(p->shown);
	free(p->title);
	free(p);
}

struct ui_screen *ui_picker_new(const char *title,
                                const struct ui_pick_item *items, int n,
                                void (*picked)(void *ctx, int index), void *ctx)
{
	struct picker *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->title = strdup(title);
	p->shown = malloc(((size_t)n + 1) * sizeof *p->shown);
	if (!p->title || !p->shown) {
		free(p->title);
		free(p->shown);
		free(p);
		return NULL;
	}
	p->items = items;
	p->n = n;
	p->picked = picked;
	p->ctx = ctx;
	p->list = (struct ui_list){.columns = columns,
	                           .n_columns = 2,
	                           .sort_column = -1,
	                           .cell = cell,
	                           .ctx = p};
	p->screen = (struct ui_screen){.title = p->title,
	                               .draw = draw,
	                               .key = key,
	                               .keybar = keybar,
	                               .close = close_picker};
	refilter(p);
	return &p->screen;
}
