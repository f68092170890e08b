/* form.c: the form widget (ui_form.h): items bound to the caller's data,
 * laid out in rows (a label column, then the value; several items on a
 * row where they fit), a focus kept by the caller's (id, arg) across a
 * rebuild, section jumps, pages, and text fields edited through the one
 * line editor (line.c). The widget dispatches on requests; raw keys only
 * type text. */
#include <stdlib.h>
#include <string.h>

#include "accessdesk/ui_checklist.h"
#include "accessdesk/ui_form.h"
#include "accessdesk/ui_line.h"
#include "ui_internal.h"

enum kind {
	K_TEXT,
	K_CHECK,
	K_RADIO,
	K_CHOICE,
	K_BUTTON,
	K_LINE,
	K_STATIC,
	K_HEADING
};

struct ui_form_item {
	enum kind kind;
	int id, arg;
	char *label;    /* the label column, or NULL */
	char *text;     /* a box's, button's, line's or heading's text */
	char *name;     /* what messages call it, or NULL */
	char *readonly; /* why it may not change, or NULL */
	char **str;     /* K_TEXT */
	size_t max_chars;
	int width;
	bool *flag; /* K_CHECK bound */
	bool ticked;
	ui_form_fn *toggle;
	int *value; /* K_RADIO, K_CHOICE */
	const char *const *options;
	int n_options;
	ui_form_fn *press, *changed;
	bool same_row, sticky;
	int level; /* K_HEADING: 1 a section, 2 a part of one */
	enum ui_style style;
	int row, x, vx, w; /* laid out: row, item's and value's column, width */
};

struct ui_form {
	void *ctx;
	struct ui_form_item *items;
	int n, cap;
	int focus; /* item index, -1: none */
	int top;   /* first row shown */
	int label_w;
	int page;   /* rows of the last area drawn */
	int laid_w; /* the width the rows were laid out for; 0: not yet */
	int n_rows;
	bool to_section; /* a section jump: its heading goes to the top */
	/* the focused text field's cursor (SIZE_MAX: at the end) */
	size_t cursor, scroll;
	/* remembered by ui_form_clear for ui_form_done */
	bool keep;
	int keep_id, keep_arg, keep_index;
	size_t keep_cursor, keep_scroll;
};

static const struct ui_keydef form_keys[] = {
    {REQ_NEXT_FIELD, NULL, NULL, false, 0},
    {REQ_PREV_FIELD, NULL, NULL, false, 0},
    {REQ_NEXT_SECTION, NULL, NULL, false, 0},
    {REQ_PREV_SECTION, NULL, NULL, false, 0},
    {REQ_GOTO, NULL, NULL, false, 0},
    /* before the pages: Space ticks (a key means the first request of
     * the chain it reaches) */
    {REQ_TOGGLE, NULL, "Tick or untick a box; change a choice", false, 0},
    {REQ_PAGE_UP, NULL, "Previous screen", false, 0},
    {REQ_PAGE_DOWN, NULL, "Next screen", false, 0},
    {REQ_FIRST, NULL, "First field (outside a text field)", false, 0},
    {REQ_LAST, NULL, "Last field (outside a text field)", false, 0},
    {REQ_OPEN, NULL, "Press a button; in a text field, the next field", false,
     0},
    {REQ_LEFT, NULL, "Previous choice; in a text field, move left", false, 0},
    {REQ_RIGHT, NULL, "Next choice; in a text field, move right", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
/* The line editor's map comes next, so that the help lists its keys too
 * (a text field asks it first: there Home is the start of the text). */
const struct ui_keymap ui_form_keymap = {"form", "Moving in a form", form_keys,
                                         &ui_text_keymap};

struct ui_form *ui_form_new(void *ctx)
{
	struct ui_form *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->ctx = ctx;
	f->focus = -1;
	f->label_w = 18;
	f->cursor = SIZE_MAX;
	return f;
}

static void item_free(struct ui_form_item *it)
{
	free(it->label);
	free(it->text);
	free(it->name);
	free(it->readonly);
}

void ui_form_free(struct ui_form *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->n; i++)
		item_free(&f->items[i]);
	free(f->items);
	free(f);
}

void ui_form_set_label_width(struct ui_form *f, int w)
{
	f->label_w = w;
	f->laid_w = 0;
}

static bool focusable(const struct ui_form_item *it)
{
	if (it->kind == K_HEADING)
		return false;
	return it->kind != K_STATIC || it->readonly;
}

void ui_form_clear(struct ui_form *f)
{
	f->keep = f->focus >= 0 && f->focus < f->n;
	if (f->keep) {
		f->keep_id = f->items[f->focus].id;
		f->keep_arg = f->items[f->focus].arg;
		f->keep_index = f->focus;
		f->keep_cursor = f->cursor;
		f->keep_scroll = f->scroll;
	}
	for (int i = 0; i < f->n; i++)
		item_free(&f->items[i]);
	f->n = 0;
	f->laid_w = 0;
}

static int first_focusable(const struct ui_form *f, int from, int by)
{
	for (int i = from; i >= 0 && i < f->n; i += by)
		if (focusable(&f->items[i]))
			return i;
	return -1;
}

/* Moves the focus; a text field newly focused has its cursor at the end. */
static void set_focus(struct ui_form *f, int i)
{
	if (i < 0 || i == f->focus)
		return;
	f->focus = i;
	f->cursor = SIZE_MAX;
	f->scroll = 0;
}

void ui_form_done(struct ui_form *f)
{
	int want = -1;
	if (f->keep)
		for (int i = 0; i < f->n && want < 0; i++)
			if (f->items[i].id == f->keep_id &&
			    f->items[i].arg == f->keep_arg &&
			    focusable(&f->items[i]))
				want = i;
	if (want >= 0) {
		f->focus = want;
		f->cursor = f->keep_cursor;
		f->scroll = f->keep_scroll;
		return;
	}
	/* the item went: the nearest one at or before its place */
	int at = f->keep ? f->keep_index : 0;
	if (at >= f->n)
		at = f->n - 1;
	f->focus = -1;
	int i = first_focusable(f, at, -1);
	if (i < 0)
		i = first_focusable(f, at < 0 ? 0 : at, 1);
	set_focus(f, i);
	f->focus = i;
}

static struct ui_form_item *add(struct ui_form *f, enum kind kind, int id,
                                int arg, const char *label, const char *text)
{
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 64;
		struct ui_form_item *p =
		    realloc(f->items, (size_t)cap * sizeof *p);
		if (!p) {
			ui_error("out of memory");
			return NULL;
		}
		f->items = p;
		f->cap = cap;
	}
	struct ui_form_item *it = &f->items[f->n];
	*it = (struct ui_form_item){.kind = kind, .id = id, .arg = arg};
	it->label = label && *label ? strdup(label) : NULL;
	it->text = strdup(text ? text : "");
	if ((label && *label && !it->label) || !it->text) {
		item_free(it);
		ui_error("out of memory");
		return NULL;
	}
	f->n++;
	f->laid_w = 0;
	if (f->focus >= f->n)
		f->focus = -1;
	return it;
}

struct ui_form_item *ui_form_text(struct ui_form *f, int id, int arg,
                                  const char *label, char **value,
                                  size_t max_chars)
{
	if (!*value && !(*value = strdup(""))) {
		ui_error("out of memory");
		return NULL;
	}
	struct ui_form_item *it = add(f, K_TEXT, id, arg, label, NULL);
	if (it) {
		it->str = value;
		it->max_chars = max_chars;
	}
	return it;
}

struct ui_form_item *ui_form_check(struct ui_form *f, int id, int arg,
                                   const char *text, bool *value)
{
	struct ui_form_item *it = add(f, K_CHECK, id, arg, NULL, text);
	if (it)
		it->flag = value;
	return it;
}

struct ui_form_item *ui_form_check_fn(struct ui_form *f, int id, int arg,
                                      const char *text, bool ticked,
                                      ui_form_fn *toggle)
{
	struct ui_form_item *it = add(f, K_CHECK, id, arg, NULL, text);
	if (it) {
		it->ticked = ticked;
		it->toggle = toggle;
	}
	return it;
}

static struct ui_form_item *add_options(struct ui_form *f, enum kind kind,
                                        int id, int arg, const char *label,
                                        int *value, const char *const *options,
                                        int n)
{
	struct ui_form_item *it = add(f, kind, id, arg, label, NULL);
	if (it) {
		it->value = value;
		it->options = options;
		it->n_options = n;
		if (*value < 0 || *value >= n)
			*value = 0;
	}
	return it;
}

struct ui_form_item *ui_form_radio(struct ui_form *f, int id, int arg,
                                   const char *label, int *value,
                                   const char *const *options, int n)
{
	return add_options(f, K_RADIO, id, arg, label, value, options, n);
}

struct ui_form_item *ui_form_choice(struct ui_form *f, int id, int arg,
                                    const char *label, int *value,
                                    const char *const *options, int n)
{
	return add_options(f, K_CHOICE, id, arg, label, value, options, n);
}

struct ui_form_item *ui_form_button(struct ui_form *f, int id, int arg,
                                    const char *text, ui_form_fn *press)
{
	struct ui_form_item *it = add(f, K_BUTTON, id, arg, NULL, text);
	if (it)
		it->press = press;
	return it;
}

struct ui_form_item *ui_form_line(struct ui_form *f, int id, int arg,
                                  const char *text, ui_form_fn *open)
{
	struct ui_form_item *it = add(f, K_LINE, id, arg, NULL, text);
	if (it)
		it->press = open;
	return it;
}

struct ui_form_item *ui_form_static(struct ui_form *f, int id, int arg,
                                    const char *label, const char *text)
{
	return add(f, K_STATIC, id, arg, label, text);
}

struct ui_form_item *ui_form_heading(struct ui_form *f, int id, int arg,
                                     const char *text)
{
	struct ui_form_item *it = add(f, K_HEADING, id, arg, NULL, text);
	if (it)
		it->level = 1;
	return it;
}

struct ui_form_item *ui_form_subheading(struct ui_form *f, int id, int arg,
                                        const char *text)
{
	struct ui_form_item *it = add(f, K_HEADING, id, arg, NULL, text);
	if (it)
		it->level = 2;
	return it;
}

/* Options: a NULL item (out of memory, said already) takes none. */
void ui_form_readonly(struct ui_form_item *it, const char *reason)
{
	if (!it)
		return;
	free(it->readonly);
	it->readonly = reason ? strdup(reason) : NULL;
}

void ui_form_same_row(struct ui_form_item *it)
{
	if (it)
		it->same_row = true;
}

void ui_form_sticky(struct ui_form_item *it)
{
	if (it)
		it->sticky = true;
}

void ui_form_width(struct ui_form_item *it, int columns)
{
	if (it)
		it->width = columns;
}

void ui_form_on_change(struct ui_form_item *it, ui_form_fn *changed)
{
	if (it)
		it->changed = changed;
}

void ui_form_style(struct ui_form_item *it, enum ui_style style)
{
	if (it)
		it->style = style;
}

void ui_form_name(struct ui_form_item *it, const char *name)
{
	if (!it)
		return;
	free(it->name);
	it->name = name ? strdup(name) : NULL;
}

int ui_form_count(const struct ui_form *f)
{
	return f->n;
}

int ui_form_focus_id(const struct ui_form *f, int *arg)
{
	if (f->focus < 0 || f->focus >= f->n)
		return -1;
	if (arg)
		*arg = f->items[f->focus].arg;
	return f->items[f->focus].id;
}

bool ui_form_focus(struct ui_form *f, int id, int arg)
{
	for (int i = 0; i < f->n; i++)
		if (f->items[i].id == id &&
		    (arg < 0 || f->items[i].arg == arg) &&
		    focusable(&f->items[i])) {
			set_focus(f, i);
			return true;
		}
	return false;
}

/* ---- layout ------------------------------------------------------------ */

static int value_width(const struct ui_form *f, const struct ui_form_item *it,
                       int room)
{
	int w = 0;
	switch (it->kind) {
	case K_TEXT: {
		int inner = it->width;
		if (inner <= 0)
			inner = it->max_chars && it->max_chars < 40
			            ? (int)it->max_chars + 1
			            : 40;
		w = inner + 2;
		break;
	}
	case K_CHECK:
		w = 4 + ui_text_width(it->text);
		break;
	case K_RADIO:
		for (int i = 0; i < it->n_options; i++)
			w += (i ? 2 : 0) + 4 + ui_text_width(it->options[i]);
		break;
	case K_CHOICE:
		for (int i = 0; i < it->n_options; i++) {
			int ow = ui_text_width(it->options[i]);
			if (ow + 4 > w)
				w = ow + 4;
		}
		break;
	case K_BUTTON:
		w = ui_text_width(it->text) + 4;
		break;
	default:
		w = ui_text_width(it->text);
		break;
	}
	(void)f;
	return w < room ? w : room;
}

static void layout(struct ui_form *f, int width)
{
	int row = -1, x_end = 0, wrap_x = 0;
	for (int i = 0; i < f->n; i++) {
		struct ui_form_item *it = &f->items[i];
		bool label = it->label && !it->same_row;
		if (it->same_row && i > 0 && row >= 0) {
			int x = x_end + 2;
			int w = value_width(f, it, width - x);
			int full = value_width(f, it, width);
			if (w < full && wrap_x + full <= width) {
				row++; /* it does not fit: under the first */
				x = wrap_x;
				w = full;
			}
			it->row = row;
			it->x = it->vx = x;
			it->w = w;
		} else {
			row++;
			it->x = it->kind == K_HEADING || label ? 0 : 2;
			it->vx = label ? f->label_w + 1 : it->x;
			it->w = (it->vx - it->x) +
			        value_width(f, it, width - it->vx);
			it->row = row;
			/* a row continued on the next one starts under its
			 * first value (a labelled leader's value column) */
			wrap_x =
			    it->kind == K_STATIC ? it->x + it->w + 2 : it->x;
		}
		x_end = it->x + it->w;
	}
	f->n_rows = row + 1;
	f->laid_w = width;
}

/* ---- drawing ----------------------------------------------------------- */

/* "Label: ..." of the messages: the label without its " *". */
static void item_name(const struct ui_form_item *it, char *buf, size_t len)
{
	const char *n = it->name      ? it->name
	                : it->label   ? it->label
	                : it->text[0] ? it->text
	                              : "Cannot change";
	snprintf(buf, len, "%s", n);
	char *star = strstr(buf, " *");
	if (star)
		*star = '\0';
}

static void bind_line(struct ui_form *f, struct ui_form_item *it,
                      struct ui_line *l)
{
	ui_line_init(l, it->str, it->max_chars);
	size_t len = strlen(*it->str);
	l->cursor = f->cursor > len ? len : f->cursor;
	while (l->cursor > 0 && l->cursor < len &&
	       ((unsigned char)(*it->str)[l->cursor] & 0xC0) == 0x80)
		l->cursor--;
	l->scroll = f->scroll > l->cursor ? 0 : f->scroll;
}

/* Draws one item at screen row y; returns the cursor column when it has
 * the focus. */
static int draw_item(struct ui_form *f, struct ui_form_item *it,
                     struct ui_area a, int y, bool focus)
{
	bool ro = it->readonly != NULL;
	enum ui_style st = focus ? STYLE_SELECTED
	                   : ro  ? STYLE_READONLY
	                         : STYLE_NORMAL;
	int x = it->vx, room = it->x + it->w - it->vx, cx = it->vx;
	char buf[1024];
	if (it->label)
		ui_text(a, y, it->x, f->label_w,
		        focus ? STYLE_SELECTED : STYLE_NORMAL, it->label);
	switch (it->kind) {
	case K_TEXT: {
		struct ui_line l;
		bind_line(f, it, &l);
		if (!focus)
			l.cursor = l.scroll = 0;
		ui_text(a, y, x, 1, st, ro ? " " : "[");
		int c = ui_line_draw(&l, a, y, x + 1, room - 2, st);
		ui_text(a, y, x + room - 1, 1, st, ro ? " " : "]");
		if (focus) {
			f->cursor = l.cursor;
			f->scroll = l.scroll;
			cx = c;
		}
		break;
	}
	case K_CHECK: {
		bool on = it->flag ? *it->flag : it->ticked;
		snprintf(buf, sizeof buf, ro ? " %c  %s" : "[%c] %s",
		         on ? 'x' : ' ', it->text);
		ui_text(a, y, x, room, st, buf);
		cx = x + 1;
		break;
	}
	case K_RADIO: {
		size_t at = 0;
		buf[0] = '\0';
		if (ro) {
			snprintf(buf, sizeof buf, "%s",
			         it->options[*it->value]);
		} else {
			for (int i = 0; i < it->n_options && at < sizeof buf;
			     i++)
				at += (size_t)snprintf(
				    buf + at, sizeof buf - at, "%s(%c) %s",
				    i ? "  " : "", i == *it->value ? '*' : ' ',
				    it->options[i]);
			/* the cursor on the chosen option's mark */
			for (int i = 0; i < *it->value; i++)
				cx += 6 + ui_text_width(it->options[i]);
			cx++;
		}
		ui_text(a, y, x, room, st, buf);
		break;
	}
	case K_CHOICE:
		/* read only: the value where a text field's would be */
		snprintf(buf, sizeof buf, ro ? " %s" : "< %s >",
		         it->options[*it->value]);
		ui_text(a, y, x, room, st, buf);
		cx = x + (ro ? 1 : 2);
		break;
	case K_BUTTON:
		snprintf(buf, sizeof buf, ro ? "  %s" : "[ %s ]", it->text);
		ui_text(a, y, x, room, st, buf);
		cx = x + 2;
		break;
	case K_HEADING:
		ui_text(a, y, x, room, STYLE_BOLD, it->text);
		break;
	case K_STATIC:
		ui_text(a, y, x, room,
		        focus                             ? STYLE_SELECTED
		        : ro && it->style == STYLE_NORMAL ? STYLE_READONLY
		                                          : it->style,
		        it->text);
		break;
	default:
		ui_text(a, y, x, room, st, it->text);
		break;
	}
	return cx < a.w ? cx : a.w - 1;
}

/* The sticky line that rules the focus: the last one before it with no
 * section heading between. -1 when none. */
static int sticky_of(const struct ui_form *f)
{
	for (int i = f->focus - 1; i >= 0; i--) {
		if (f->items[i].kind == K_HEADING && f->items[i].level == 1)
			return -1;
		if (f->items[i].sticky)
			return i;
	}
	return -1;
}

/* The heading of the focus's section, or -1. */
static int heading_before(const struct ui_form *f, int from)
{
	for (int i = from; i >= 0; i--)
		if (f->items[i].kind == K_HEADING)
			return i;
	return -1;
}

/* Sets f->top so the focus is in view (and the sticky line above it). */
static void scroll_to_focus(struct ui_form *f, int h)
{
	if (f->focus < 0) {
		f->top = 0;
		return;
	}
	int fr = f->items[f->focus].row;
	if (f->to_section) {
		int hd = heading_before(f, f->focus);
		f->top = hd >= 0 ? f->items[hd].row : 0;
		f->to_section = false;
	}
	if (fr < f->top) {
		/* the lines just above that take no focus (a heading)
		 * come into view with it */
		int i = f->focus - 1, top = fr;
		while (i >= 0 && !focusable(&f->items[i]) &&
		       f->items[i].row >= fr - 2)
			top = f->items[i--].row;
		f->top = top;
	}
	if (fr >= f->top + h)
		f->top = fr - h + 1;
	/* the lines just after it that take no focus (its notes: a
	 * cluster's members under its box) come into view with it, as far
	 * as they fit above it */
	int end = fr;
	for (int i = f->focus + 1; i < f->n && !focusable(&f->items[i]) &&
	                           f->items[i].kind != K_HEADING;
	     i++)
		end = f->items[i].row;
	if (end >= f->top + h)
		f->top = end - h + 1 < fr ? end - h + 1 : fr;
	/* on the last field, what follows it comes into view too */
	if (first_focusable(f, f->focus + 1, 1) < 0 && f->top < f->n_rows - h)
		f->top = f->n_rows - h < fr ? f->n_rows - h : fr;
	int s = sticky_of(f);
	if (s >= 0 && f->items[s].row < f->top && fr < f->top + 1)
		f->top = fr - 1;
	if (f->top > f->n_rows - h)
		f->top = f->n_rows - h > fr - h + 1 ? f->n_rows - h : f->top;
	if (f->top < 0)
		f->top = 0;
}

void ui_form_draw(struct ui_form *f, struct ui_area a)
{
	if (f->laid_w != a.w)
		layout(f, a.w);
	f->page = a.h > 1 ? a.h : 1;
	scroll_to_focus(f, a.h);
	int s = sticky_of(f);
	bool pinned = s >= 0 && f->items[s].row < f->top;
	for (int y = 0; y < a.h; y++)
		ui_text(a, y, 0, a.w, STYLE_NORMAL, "");
	int cy = 0, cx = 0;
	if (pinned)
		for (int i = s; i < f->n && f->items[i].row == f->items[s].row;
		     i++)
			draw_item(f, &f->items[i], a, 0, false);
	for (int i = 0; i < f->n; i++) {
		struct ui_form_item *it = &f->items[i];
		int y = it->row - f->top;
		if (y < (pinned ? 1 : 0) || y >= a.h)
			continue;
		bool focus = i == f->focus;
		int c = draw_item(f, it, a, y, focus);
		if (focus) {
			cy = y;
			cx = c;
		}
	}
	ui_cursor(a, cy, cx);
}

/* ---- keys -------------------------------------------------------------- */

static enum ui_result refuse(const struct ui_form_item *it)
{
	char name[128];
	item_name(it, name, sizeof name);
	ui_error("%s: %s", name, it->readonly);
	return UI_HANDLED;
}

static void changed(struct ui_form *f, const struct ui_form_item *it)
{
	if (it->changed)
		it->changed(f->ctx, it->id, it->arg);
}

static enum ui_result step(struct ui_form *f, struct ui_form_item *it, int by)
{
	if (it->readonly)
		return refuse(it);
	*it->value = (*it->value + by + it->n_options) % it->n_options;
	changed(f, it);
	return UI_HANDLED;
}

/* Enter or Space on the focus. */
static enum ui_result activate(struct ui_form *f, struct ui_form_item *it)
{
	/* the callbacks may rebuild the form: copy what they need */
	int id = it->id, arg = it->arg;
	ui_form_fn *fn;
	if (it->readonly)
		return refuse(it);
	switch (it->kind) {
	case K_CHECK:
		if (it->flag) {
			*it->flag = !*it->flag;
			changed(f, it);
		} else if (it->toggle) {
			it->toggle(f->ctx, id, arg);
		}
		return UI_HANDLED;
	case K_RADIO:
	case K_CHOICE:
		return step(f, it, 1);
	case K_BUTTON:
	case K_LINE:
		fn = it->press;
		if (fn)
			fn(f->ctx, id, arg);
		return UI_HANDLED;
	default:
		return UI_HANDLED;
	}
}

static void move_to_row(struct ui_form *f, int by)
{
	int fr = f->items[f->focus].row, target = fr + by, best = -1;
	if (by > 0) {
		for (int i = f->focus + 1; i < f->n && best < 0; i++)
			if (focusable(&f->items[i]) &&
			    f->items[i].row >= target)
				best = i;
		if (best < 0)
			best = first_focusable(f, f->n - 1, -1);
	} else {
		for (int i = f->focus - 1; i >= 0 && best < 0; i--)
			if (focusable(&f->items[i]) &&
			    f->items[i].row <= target)
				best = i;
		if (best < 0)
			best = first_focusable(f, 0, 1);
	}
	set_focus(f, best);
}

/* The first field of the next or previous section (a heading's, or the
 * form's start before the first heading), round the ends. */
static void move_section(struct ui_form *f, bool next)
{
	/* section starts: -1 (the form's start) and each heading */
	int cur = heading_before(f, f->focus), target = -1;
	for (int k = 0; k < f->n + 1 && target < 0; k++) {
		if (next) {
			int h = cur + 1;
			while (h < f->n && f->items[h].kind != K_HEADING)
				h++;
			cur = h < f->n ? h : -1;
		} else {
			cur = cur >= 0 ? heading_before(f, cur - 1)
			               : heading_before(f, f->n - 1);
		}
		int t = first_focusable(f, cur + 1, 1);
		/* a heading with no field of its own before the next one */
		int end = cur + 1;
		while (end < f->n && f->items[end].kind != K_HEADING)
			end++;
		if (t >= 0 && t < end && t != f->focus)
			target = t;
		else if (t >= 0 && t < end)
			break; /* round to where it was: one section only */
	}
	if (target >= 0) {
		set_focus(f, target);
		f->to_section = true;
	}
}

/* A key in a text field: the line editor's, else not handled. */
static bool text_key(struct ui_form *f, struct ui_form_item *it, int key,
                     enum ui_result *res)
{
	enum ui_request tr = ui_keymap_request(&ui_text_keymap, key);
	bool typed = ui_line_printable(key) || key == UI_KEY_PASTE;
	if (tr == REQ_NONE && !typed)
		return false;
	*res = UI_HANDLED;
	if (it->readonly && (typed || ui_line_request_edits(tr))) {
		refuse(it);
		return true;
	}
	struct ui_line l;
	char name[128];
	bind_line(f, it, &l);
	item_name(it, name, sizeof name);
	l.label = name;
	enum ui_line_result lr =
	    tr != REQ_NONE ? ui_line_request(&l, tr) : ui_line_key(&l, key);
	f->cursor = l.cursor;
	f->scroll = l.scroll;
	if (lr == UI_LINE_CHANGED)
		changed(f, it);
	return true;
}

enum ui_result ui_form_paste(struct ui_form *f, const char *text)
{
	if (f->focus < 0)
		return UI_HANDLED;
	struct ui_form_item *it = &f->items[f->focus];
	if (it->kind != K_TEXT) {
		ui_error("Paste: the focus is not on a text field");
		return UI_HANDLED;
	}
	if (it->readonly)
		return refuse(it);
	struct ui_line l;
	char name[128];
	bind_line(f, it, &l);
	item_name(it, name, sizeof name);
	l.label = name;
	if (ui_line_insert(&l, text) == UI_LINE_CHANGED)
		changed(f, it);
	f->cursor = l.cursor;
	f->scroll = l.scroll;
	return UI_HANDLED;
}

/* The next field after the focus (round the end) whose label or text
 * holds what was typed, by the one match rule (ui_text_match). */
static void go_to(struct ui_form *f)
{
	static char typed[64];
	if (!ui_prompt("Go to the field: ", typed, sizeof typed) || !typed[0])
		return;
	for (int k = 1; k <= f->n; k++) {
		int i = (f->focus + k) % f->n;
		const struct ui_form_item *it = &f->items[i];
		const char *cells[] = {NULL, it->label, it->text, it->name};
		if (focusable(it) && ui_text_match(typed, cells, 4)) {
			set_focus(f, i);
			return;
		}
	}
	ui_error("No field of this form is named with \"%s\".", typed);
}

enum ui_result ui_form_key(struct ui_form *f, int key, enum ui_request r)
{
	if (f->focus < 0 || f->focus >= f->n)
		return UI_IGNORED;
	struct ui_form_item *it = &f->items[f->focus];
	if (it->kind == K_TEXT) {
		enum ui_result res;
		if (key == UI_KEY_PASTE)
			return ui_form_paste(f, ui_pasted());
		if (text_key(f, it, key, &res))
			return res;
	} else if (key == UI_KEY_PASTE) {
		return ui_form_paste(f, ui_pasted());
	}
	if (f->laid_w == 0)
		layout(f, COLS);
	int page = f->page > 1 ? f->page - 1 : ui_page_rows();
	switch (r) {
	case REQ_NEXT_FIELD:
		set_focus(f, first_focusable(f, f->focus + 1, 1));
		return UI_HANDLED;
	case REQ_PREV_FIELD:
		set_focus(f, first_focusable(f, f->focus - 1, -1));
		return UI_HANDLED;
	case REQ_NEXT_SECTION:
	case REQ_PREV_SECTION:
		move_section(f, r == REQ_NEXT_SECTION);
		return UI_HANDLED;
	case REQ_GOTO:
		go_to(f);
		return UI_HANDLED;
	case REQ_PAGE_DOWN:
	case REQ_PAGE_UP:
		move_to_row(f, r == REQ_PAGE_DOWN ? page : -page);
		return UI_HANDLED;
	case REQ_FIRST:
		set_focus(f, first_focusable(f, 0, 1));
		return UI_HANDLED;
	case REQ_LAST:
		set_focus(f, first_focusable(f, f->n - 1, -1));
		return UI_HANDLED;
	case REQ_LEFT:
	case REQ_RIGHT:
		if (it->kind == K_RADIO || it->kind == K_CHOICE)
			return step(f, it, r == REQ_LEFT ? -1 : 1);
		return UI_HANDLED;
	case REQ_TOGGLE:
		return activate(f, it);
	case REQ_OPEN:
		if (it->kind == K_TEXT) {
			set_focus(f, first_focusable(f, f->focus + 1, 1));
			return UI_HANDLED;
		}
		return activate(f, it);
	default:
		break;
	}
	/* typed at an item that is not text: a read-only one says why */
	if (r == REQ_NONE && ui_line_printable(key) && it->readonly)
		return refuse(it);
	return UI_IGNORED;
}
