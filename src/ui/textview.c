/* textview.c: a scrolling text view: a title, lines, headers in bold. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_internal.h"

struct text_view {
	struct ui_screen screen;
	char *title;
	char **lines;
	int n, top;
};

/* The movement requests have no label: in the help only. */
static const struct ui_keydef view_keys[] = {
    {REQ_BACK, NULL, NULL, true, 0},
    {REQ_QUIT, "Back", "Close the view", false, 0},
    {REQ_UP, NULL, "Scroll up", false, 0},
    {REQ_DOWN, NULL, "Scroll down", false, 0},
    {REQ_PAGE_UP, NULL, "Scroll up a page", false, 0},
    {REQ_PAGE_DOWN, NULL, "Scroll down a page", false, 0},
    {REQ_FIRST, NULL, "To the top", false, 0},
    {REQ_LAST, NULL, "To the bottom", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
static const struct ui_keymap view_keymap = {"view", "Reading", view_keys,
                                             &ui_inner_keymap};

/* Bytes of s that fit in w columns: all of it, or up to the last space
 * that fits (a word longer than the width is cut). */
static size_t fit(const char *s, int w)
{
	if (ui_text_width(s) <= w)
		return strlen(s);
	size_t i = 0, space = 0;
	int used = 0;
	while (s[i]) {
		size_t n = 1;
		while (s[i + n] && ((unsigned char)s[i + n] & 0xC0) == 0x80)
			n++;
		char c[8];
		memcpy(c, s + i, n < sizeof c ? n : sizeof c - 1);
		c[n < sizeof c ? n : sizeof c - 1] = '\0';
		int cw = ui_text_width(c);
		if (used + cw > w)
			break;
		if (s[i] == ' ')
			space = i;
		used += cw;
		i += n;
	}
	return space > 0 ? space : i;
}

void ui_lines_draw(struct ui_area a, const char *title, char *const *lines,
                   int n_lines, int *top)
{
	ui_text(a, 0, 0, a.w, STYLE_HEADER, title);
	int rows = a.h - 1;
	if (*top > n_lines - rows)
		*top = n_lines - rows;
	if (*top < 0)
		*top = 0;
	int y = 0;
	for (int l = *top; l < n_lines && y < rows; l++) {
		const char *line = lines[l];
		bool header = strncmp(line, "# ", 2) == 0;
		enum ui_style st = header ? STYLE_BOLD : STYLE_NORMAL;
		if (header)
			line += 2;
		int indent = (int)strspn(line, " ") + 2;
		if (indent > a.w / 2)
			indent = 2;
		int x = 0;
		do {
			size_t n = fit(line, a.w - x);
			if (n == 0)
				n = strlen(line);
			char part[1024];
			snprintf(part, sizeof part, "%.*s", (int)n, line);
			ui_text(a, 1 + y, 0, x, STYLE_NORMAL, "");
			ui_text(a, 1 + y, x, a.w - x, st, part);
			y++;
			line += n;
			while (*line == ' ')
				line++;
			x = indent;
		} while (*line && y < rows);
	}
	for (; y < rows; y++)
		ui_text(a, 1 + y, 0, a.w, STYLE_NORMAL, "");
	ui_cursor(a, 1, 0);
}

bool ui_lines_scroll(int *top, int n, enum ui_request r)
{
	int page = ui_page_rows();
	switch (r) {
	case REQ_DOWN:
		++*top;
		break;
	case REQ_UP:
		--*top;
		break;
	case REQ_PAGE_DOWN:
		*top += page;
		break;
	case REQ_PAGE_UP:
		*top -= page;
		break;
	case REQ_FIRST:
		*top = 0;
		break;
	case REQ_LAST:
		*top = n;
		break;
	default:
		return false;
	}
	if (*top > n - 1)
		*top = n - 1;
	if (*top < 0)
		*top = 0;
	return true;
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct text_view *v = (struct text_view *)s;
	ui_lines_draw(a, v->title, v->lines, v->n, &v->top);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct text_view *v = (struct text_view *)s;
	(void)k;
	if (r == REQ_BACK || r == REQ_QUIT)
		return UI_CLOSE;
	return ui_lines_scroll(&v->top, v->n, r) ? UI_HANDLED : UI_IGNORED;
}

static void close_view(struct ui_screen *s)
{
	struct text_view *v = (struct text_view *)s;
	for (int i = 0; i < v->n; i++)
		free(v->lines[i]);
	free(v->lines);
	free(v->title);
	free(v);
}

struct ui_screen *ui_text_view_new(const char *title, const char *const *lines,
                                   int n)
{
	struct text_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->title = strdup(title);
	v->lines = calloc((size_t)n + 1, sizeof *v->lines);
	bool ok = v->title && v->lines;
	for (int i = 0; ok && i < n; i++, v->n++)
		ok = (v->lines[i] = strdup(lines[i])) != NULL;
	v->screen = (struct ui_screen){.title = v->title,
	                               .draw = draw,
	                               .key = key,
	                               .keymap = &view_keymap,
	                               .close = close_view};
	if (!ok) {
		close_view(&v->screen);
		return NULL;
	}
	return &v->screen;
}

void ui_lines_add(struct ui_lines *l, const char *fmt, ...)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		char **p = realloc(l->v, (size_t)cap * sizeof *p);
		if (!p) {
			l->nomem = true;
			return;
		}
		l->v = p;
		l->cap = cap;
	}
	/* the whole line, however long: measured, then written */
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *line = len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (!line) {
		l->nomem = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, (size_t)len + 1, fmt, ap);
	va_end(ap);
	l->v[l->n++] = line;
}

void ui_lines_free(struct ui_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (struct ui_lines){0};
}
