/* list.c: the list widget: a header with a sort marker, one row per item,
 * the cursor row in reverse video with the terminal's cursor on it. The
 * columns share the list's width (a wider terminal shows more of each); a
 * cell cut short ends with '>', and a column marked whole is never cut. */
#include "ui_internal.h"

#define MAX_COLUMNS 32

void ui_list_widths(const struct ui_column *c, const struct ui_column_fit *fit,
                    int n, int width, int *widths)
{
	int avail = width - (n - 1), base = 0, weights = 0;
	for (int i = 0; i < n; i++) {
		base += c[i].width;
		weights += fit && fit[i].weight > 0 ? fit[i].weight : 0;
	}
	if (weights == 0) {
		/* as given, the last taking what is left */
		int used = 0;
		for (int i = 0; i < n - 1; i++) {
			widths[i] = c[i].width - 1;
			used += c[i].width;
		}
		if (n > 0)
			widths[n - 1] = width - used;
		return;
	}
	for (int i = 0; i < n; i++)
		widths[i] = c[i].width;
	int extra = avail - base, given = 0;
	for (int i = 0; extra > 0 && i < n; i++)
		if (fit[i].weight > 0) {
			widths[i] += extra * fit[i].weight / weights;
			given += extra * fit[i].weight / weights;
		}
	/* what the rounding left, a column each in order */
	for (int i = 0; extra > 0 && given < extra; i = (i + 1) % n)
		if (fit[i].weight > 0) {
			widths[i]++;
			given++;
		}
	/* narrower than the widths given: the widest column that may be
	 * cut gives way, a column at a time */
	for (; extra < 0; extra++) {
		int widest = -1;
		for (int i = 0; i < n; i++)
			if (!fit[i].whole && widths[i] > 1 &&
			    (widest < 0 || widths[i] > widths[widest]))
				widest = i;
		if (widest < 0)
			break;
		widths[widest]--;
	}
}

void ui_text_cut(struct ui_area a, int y, int x, int w, enum ui_style st,
                 const char *text, const char *tail)
{
	if (w <= 0)
		return;
	if (!text)
		text = "";
	if (!tail)
		tail = "";
	int tw = ui_text_width(tail);
	if (tw >= w) {
		ui_text_cut(a, y, x, w, st, tail, "");
		return;
	}
	int used;
	if (ui_text_width(text) + tw <= w) {
		used = ui_text(a, y, x, w - tw, st, text);
	} else {
		used = ui_text(a, y, x, w - tw - 1, st, text);
		used += ui_text(a, y, x + used, 1, st, ">");
	}
	ui_text(a, y, x + used, w - used, st, tail);
}

void ui_list_draw(struct ui_list *l, struct ui_area a)
{
	int rows = a.h - 1;
	if (rows < 1)
		return;
	l->page = rows;
	if (l->cursor >= l->n_rows)
		l->cursor = l->n_rows - 1;
	if (l->cursor < 0)
		l->cursor = 0;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + rows)
		l->top = l->cursor - rows + 1;
	int n = l->n_columns < MAX_COLUMNS ? l->n_columns : MAX_COLUMNS;
	int widths[MAX_COLUMNS];
	ui_list_widths(l->columns, l->fit, n, a.w, widths);
	int x = 0;
	for (int c = 0; c < n; c++) {
		/* the sort marker stays visible: the title gives way */
		const char *marker = c != l->sort_column ? ""
		                     : l->descending     ? " v"
		                                         : " ^";
		ui_text_cut(a, 0, x, widths[c], STYLE_HEADER,
		            l->columns[c].title, marker);
		if (c < n - 1)
			ui_text(a, 0, x + widths[c], 1, STYLE_NORMAL, "");
		x += widths[c] + 1;
	}
	for (int i = 0; i < rows; i++) {
		int row = l->top + i;
		if (row >= l->n_rows) {
			ui_text(a, 1 + i, 0, a.w, STYLE_NORMAL, "");
			continue;
		}
		enum ui_style st =
		    row == l->cursor ? STYLE_SELECTED : STYLE_NORMAL;
		x = 0;
		for (int c = 0; c < n; c++) {
			ui_text_cut(
			    a, 1 + i, x, widths[c], st, l->cell(l->ctx, row, c),
			    l->cell_tail ? l->cell_tail(l->ctx, row, c) : NULL);
			/* one blank column between cells, in the row's style */
			if (c < n - 1)
				ui_text(a, 1 + i, x + widths[c], 1, st, "");
			x += widths[c] + 1;
		}
		if (x - 1 < a.w)
			ui_text(a, 1 + i, x - 1, a.w - x + 1, st, "");
	}
	ui_cursor(a, 1 + l->cursor - l->top, 0);
}

bool ui_list_key(struct ui_list *l, enum ui_request r, int page)
{
	if (page < 1)
		page = l->page > 0 ? l->page : 1;
	switch (r) {
	case REQ_UP:
		l->cursor--;
		break;
	case REQ_DOWN:
		l->cursor++;
		break;
	case REQ_PAGE_UP:
		l->cursor -= page;
		l->top -= page;
		break;
	case REQ_PAGE_DOWN:
		l->cursor += page;
		l->top += page;
		break;
	case REQ_FIRST:
		l->cursor = 0;
		break;
	case REQ_LAST:
		l->cursor = l->n_rows - 1;
		break;
	default:
		return false;
	}
	if (l->cursor >= l->n_rows)
		l->cursor = l->n_rows - 1;
	if (l->cursor < 0)
		l->cursor = 0;
	if (l->top > l->cursor)
		l->top = l->cursor;
	if (l->top < 0)
		l->top = 0;
	return true;
}

bool ui_list_find(struct ui_list *l, const char *text, const int *columns,
                  int n)
{
	const char *cells[8];
	if (n > 8)
		n = 8;
	for (int i = 1; i <= l->n_rows; i++) {
		int row = (l->cursor + i) % l->n_rows;
		for (int c = 0; c < n; c++)
			cells[c] = l->cell(l->ctx, row, columns[c]);
		if (ui_text_match(text, cells, n)) {
			l->cursor = row;
			return true;
		}
	}
	return false;
}
