/* textview.c: a scrolling text view: a title, lines, headers in bold. */
#include <stdlib.h>
#include <string.h>

#include "ui_internal.h"

struct text_view {
	struct ui_screen screen;
	char *title;
	char **lines;
	int n, top;
};

static const enum ui_request keybar[] = {REQ_BACK, REQ_NONE};

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct text_view *v = (struct text_view *)s;
	ui_text(a, 0, 0, a.w, STYLE_HEADER, v->title);
	int rows = a.h - 1;
	if (v->top > v->n - rows)
		v->top = v->n - rows;
	if (v->top < 0)
		v->top = 0;
	for (int i = 0; i < rows; i++) {
		int l = v->top + i;
		const char *line = l < v->n ? v->lines[l] : "";
		bool header = strncmp(line, "# ", 2) == 0;
		ui_text(a, 1 + i, 0, a.w, header ? STYLE_BOLD : STYLE_NORMAL,
		        header ? line + 2 : line);
	}
	ui_cursor(a, 1, 0);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct text_view *v = (struct text_view *)s;
	int page = ui_page_rows();
	(void)k;
	switch (r) {
	case REQ_BACK:
	case REQ_QUIT:
		return UI_CLOSE;
	case REQ_DOWN:
		v->top++;
		break;
	case REQ_UP:
		v->top--;
		break;
	case REQ_PAGE_DOWN:
		v->top += page;
		break;
	case REQ_PAGE_UP:
		v->top -= page;
		break;
	case REQ_FIRST:
		v->top = 0;
		break;
	case REQ_LAST:
		v->top = v->n;
		break;
	default:
		return UI_IGNORED;
	}
	if (v->top > v->n - 1)
		v->top = v->n - 1;
	if (v->top < 0)
		v->top = 0;
	return UI_HANDLED;
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
	                               .keybar = keybar,
	                               .close = close_view};
	if (!ok) {
		close_view(&v->screen);
		return NULL;
	}
	return &v->screen;
}
