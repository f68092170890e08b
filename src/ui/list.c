/* list.c: the list widget: a header with a sort marker, one row per item,
 * the cursor row in reverse video with the terminal's cursor on it. */
#include "ui_internal.h"

void ui_list_draw(struct ui_list *l, struct ui_area a)
{
	int rows = a.h - 1;
	if (rows < 1)
		return;
	if (l->cursor >= l->n_rows)
		l->cursor = l->n_rows - 1;
	if (l->cursor < 0)
		l->cursor = 0;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + rows)
		l->top = l->cursor - rows + 1;
	int x = 0;
	for (int c = 0; c < l->n_columns; c++) {
		int w = c == l->n_columns - 1 ? a.w - x : l->columns[c].width;
		int tw = w - (c < l->n_columns - 1);
		if (c == l->sort_column && tw > 2) {
			/* the marker stays visible: the title gives way */
			int used = ui_text(a, 0, x, tw - 2, STYLE_HEADER,
			                   l->columns[c].title);
			ui_text(a, 0, x + used, tw - used, STYLE_HEADER,
			        l->descending ? " v" : " ^");
		} else {
			ui_text(a, 0, x, tw, STYLE_HEADER, l->columns[c].title);
		}
		x += w;
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
		for (int c = 0; c < l->n_columns; c++) {
			int w = c == l->n_columns - 1 ? a.w - x
			                              : l->columns[c].width;
			/* one blank column between cells, in the row's style */
			ui_text(a, 1 + i, x, w, st, "");
			ui_text(a, 1 + i, x, w - (c < l->n_columns - 1), st,
			        l->cell(l->ctx, row, c));
			x += w;
		}
	}
	ui_cursor(a, 1 + l->cursor - l->top, 0);
}

bool ui_list_key(struct ui_list *l, enum ui_request r, int page)
{
	if (page < 1)
		page = 1;
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
