/* menu.c: the Action menu: a small pushed screen of items, each with a
 * letter shown beside it that chooses it at once. A disabled item is dim,
 * says why when chosen, and the menu stays open. The items are copied. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/ui_menu.h"
#include "ui_internal.h"

struct item {
	int id;
	char *label;
	int letter;
	char *disabled;
};

struct menu {
	struct ui_screen screen;
	char *title;
	struct item *items;
	int n;
	struct ui_list list; /* the cursor, moved by ui_list_key */
	int chosen_item;     /* -1: none; else reported once closed */
	void (*chosen)(void *ctx, int id);
	void *ctx;
};

static const struct ui_keydef menu_keys[] = {
    {REQ_OPEN, "Choose",
     "Choose the item under the cursor (or type its "
     "letter)",
     true, 0},
    {REQ_BACK, NULL, "Close the menu", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_menu_keymap = {"menu", "Action menu", menu_keys,
                                         &ui_list_keymap};

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct menu *m = (struct menu *)s;
	ui_text(a, 0, 0, a.w, STYLE_HEADER, m->title);
	int width = 0;
	for (int i = 0; i < m->n; i++) {
		int w = ui_text_width(m->items[i].label);
		width = w > width ? w : width;
	}
	int rows = a.h - 1;
	struct ui_list *l = &m->list;
	if (l->cursor >= l->top + rows)
		l->top = l->cursor - rows + 1;
	if (l->top > l->cursor)
		l->top = l->cursor;
	for (int y = 0; y < rows && l->top + y < m->n; y++) {
		int i = l->top + y;
		const struct item *it = &m->items[i];
		enum ui_style st = i == l->cursor ? STYLE_SELECTED
		                   : it->disabled ? STYLE_READONLY
		                                  : STYLE_NORMAL;
		char letter[4] = "";
		if (it->letter > 32 && it->letter < 127)
			letter[0] = (char)it->letter;
		ui_text(a, 1 + y, 0, a.w, st, "");
		ui_text(a, 1 + y, 1, 3, st, letter);
		ui_text(a, 1 + y, 4, width + 2, st, it->label);
		if (it->disabled)
			ui_text(a, 1 + y, 6 + width, a.w - 6 - width, st,
			        it->disabled);
	}
	if (m->n == 0)
		ui_text(a, 1, 1, a.w - 1, STYLE_NORMAL, "Nothing to do here.");
	/* on the item's letter: what a screen reader follows */
	ui_cursor(a, 1 + l->cursor - l->top, 1);
}

/* Chooses item i: a disabled one says why and the menu stays. */
static enum ui_result choose(struct menu *m, int i)
{
	if (i < 0 || i >= m->n)
		return UI_HANDLED;
	m->list.cursor = i;
	if (m->items[i].disabled) {
		ui_error("%s: %s", m->items[i].label, m->items[i].disabled);
		return UI_HANDLED;
	}
	m->chosen_item = i;
	return UI_CLOSE;
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct menu *m = (struct menu *)s;
	/* an item's letter first: it is what the menu shows */
	if (k > 32 && k < 127)
		for (int i = 0; i < m->n; i++)
			if (m->items[i].letter > 0 &&
			    m->items[i].letter < 127 &&
			    tolower(m->items[i].letter) == tolower(k))
				return choose(m, i);
	if (r == REQ_OPEN)
		return choose(m, m->list.cursor);
	if (r == REQ_BACK)
		return UI_CLOSE;
	return ui_list_key(&m->list, r, ui_page_rows()) ? UI_HANDLED
	                                                : UI_IGNORED;
}

/* Popped: the choice is reported now, so chosen() may push a screen. */
static void close_menu(struct ui_screen *s)
{
	struct menu *m = (struct menu *)s;
	if (m->chosen_item >= 0 && m->chosen)
		m->chosen(m->ctx, m->items[m->chosen_item].id);
	for (int i = 0; i < m->n; i++) {
		free(m->items[i].label);
		free(m->items[i].disabled);
	}
	free(m->items);
	free(m->title);
	free(m);
}

struct ui_screen *ui_menu_new(const char *title,
                              const struct ui_menu_item *items, int n,
                              void (*chosen)(void *ctx, int id), void *ctx)
{
	struct menu *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->chosen_item = -1;
	m->chosen = chosen;
	m->ctx = ctx;
	m->screen = (struct ui_screen){.title = NULL,
	                               .draw = draw,
	                               .key = key,
	                               .keymap = &ui_menu_keymap,
	                               .close = close_menu};
	m->title = strdup(title ? title : "");
	m->items = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *m->items);
	bool ok = m->title && m->items;
	for (; ok && m->n < n; m->n++) {
		struct item *it = &m->items[m->n];
		it->id = items[m->n].id;
		it->letter = items[m->n].letter;
		it->label = strdup(items[m->n].label ? items[m->n].label : "");
		it->disabled =
		    items[m->n].disabled ? strdup(items[m->n].disabled) : NULL;
		ok = it->label && (it->disabled || !items[m->n].disabled);
	}
	if (!ok) {
		/* m->n counts the item half copied: freed with the others */
		close_menu(&m->screen);
		return NULL;
	}
	m->screen.title = m->title;
	m->list = (struct ui_list){.sort_column = -1, .n_rows = m->n};
	return &m->screen;
}
