/* pager.c: a list read a page at a time by keyset (ui_pager.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/count.h"
#include "accessdesk/ui_pager.h"

void *ui_pager_row(const struct ui_pager *p, int i)
{
	return (char *)p->rows + (size_t)i * p->size;
}

static void hold(struct ui_pager *p, void *rows, int n)
{
	free(p->rows);
	p->rows = rows;
	p->n_rows = p->list->n_rows = n;
}

bool ui_pager_read(struct ui_pager *p, const void *after, bool backwards)
{
	void *rows;
	/* after may be a row held, which the page is about to replace */
	char *key = NULL;
	if (after && !(key = malloc(p->size)))
		return false;
	if (key)
		memcpy(key, after, p->size);
	int got = p->fetch(p->ctx, key, backwards, p->page, &rows);
	free(key);
	if (got < 0)
		return false;
	if (got == 0 && (after || backwards) && p->n_rows) {
		free(rows);
		return false; /* nothing that way: stay */
	}
	hold(p, rows, got);
	p->at_end = !backwards && got < p->page;
	return true;
}

bool ui_pager_first(struct ui_pager *p)
{
	p->offset = 0;
	p->list->cursor = p->list->top = 0;
	if (ui_pager_read(p, NULL, false))
		return true;
	ui_pager_clear(p); /* the rows held are another query's */
	return false;
}

void ui_pager_next(struct ui_pager *p, bool cursor_top)
{
	if (p->n_rows == 0 || p->at_end)
		return;
	long held = p->n_rows;
	if (ui_pager_read(p, ui_pager_row(p, p->n_rows - 1), false)) {
		p->offset += held;
		if (cursor_top)
			p->list->cursor = 0;
		else if (p->list->cursor >= p->n_rows)
			p->list->cursor = p->n_rows - 1;
		p->list->top = 0;
	} else {
		p->at_end = true;
	}
}

void ui_pager_prev(struct ui_pager *p, bool cursor_bottom)
{
	if (p->n_rows == 0 || p->offset == 0)
		return;
	/* the page before starts the list: a whole first page */
	bool first = p->offset <= p->page;
	if (!(first ? ui_pager_read(p, NULL, false)
	            : ui_pager_read(p, ui_pager_row(p, 0), true)))
		return;
	p->offset = first ? 0 : p->offset - p->n_rows;
	if (p->offset < 0)
		p->offset = 0;
	if (!first)
		p->at_end = false;
	p->list->cursor = cursor_bottom ? p->n_rows - 1 : 0;
	p->list->top = 0;
}

/* End while the count is only estimated: the last page itself is one
 * keyset read (the sort reversed), but where it stands, "19,716-19,733 of
 * 19,733", is the count's; rather than number it wrong or wait with the
 * key held, End is done when the count comes (within a second at
 * 1,000,000 users) and the operator may go on meanwhile. */
void ui_pager_last(struct ui_pager *p)
{
	if (p->count < 0 && p->estimate >= 0) {
		p->last_asked = true;
		ui_message("Counting: End goes to the last page when the count "
		           "is in.");
		return;
	}
	p->last_asked = false;
	if (p->n_rows == 0 || !ui_pager_read(p, NULL, true))
		return;
	p->at_end = true;
	p->offset = p->count > p->n_rows ? p->count - p->n_rows : 0;
	p->list->cursor = p->n_rows - 1;
}

void ui_pager_counted(void *pager, long n)
{
	struct ui_pager *p = pager;
	p->count = n;
	if (n < 0)
		p->estimate = -1;
	/* not known after all: the last page as before a count existed */
	if (p->last_asked) {
		ui_pager_last(p);
		ui_message("%s", ""); /* "Counting: ..." is done with */
	}
}

void ui_pager_fit(struct ui_pager *p, int rows)
{
	if (rows > p->page_max)
		rows = p->page_max;
	if (rows < 1 || rows == p->page)
		return;
	p->page = rows;
	if (p->n_rows > rows) {
		int drop =
		    p->list->cursor >= rows ? p->list->cursor - rows + 1 : 0;
		memmove(p->rows, ui_pager_row(p, drop),
		        (size_t)(p->n_rows - drop) * p->size);
		p->offset += drop;
		p->list->cursor -= drop;
		if (p->n_rows - drop > rows)
			p->at_end = false;
		p->n_rows = p->list->n_rows = rows;
		return;
	}
	if (p->n_rows == 0 || p->at_end)
		return;
	void *more;
	int want = rows - p->n_rows;
	int got = p->fetch(p->ctx, ui_pager_row(p, p->n_rows - 1), false, want,
	                   &more);
	if (got < 0)
		return;
	char *all = realloc(p->rows, (size_t)rows * p->size);
	if (!all) {
		free(more);
		return;
	}
	memcpy(all + (size_t)p->n_rows * p->size, more, (size_t)got * p->size);
	free(more);
	p->rows = all;
	p->n_rows = p->list->n_rows = p->n_rows + got;
	p->at_end = got < want;
}

void ui_pager_clear(struct ui_pager *p)
{
	hold(p, NULL, 0);
	p->offset = 0;
	p->list->cursor = p->list->top = 0;
}

void ui_pager_free(struct ui_pager *p)
{
	free(p->rows);
	p->rows = NULL;
	p->n_rows = 0;
}

enum ui_result ui_pager_key(struct ui_pager *p, enum ui_request r)
{
	int page = p->page;
	p->last_asked = false; /* another move: End is not waited for */
	switch (r) {
	case REQ_DOWN:
		if (p->list->cursor == p->n_rows - 1)
			ui_pager_next(p, true);
		else
			ui_list_key(p->list, r, page);
		return UI_HANDLED;
	case REQ_UP:
		if (p->list->cursor == 0)
			ui_pager_prev(p, true);
		else
			ui_list_key(p->list, r, page);
		return UI_HANDLED;
	case REQ_PAGE_DOWN:
		ui_pager_next(p, true);
		return UI_HANDLED;
	case REQ_PAGE_UP:
		ui_pager_prev(p, false);
		return UI_HANDLED;
	case REQ_LAST:
		ui_pager_last(p);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

/* The estimate as shown, to three significant figures (19,733 is "about
 * 19,700"): the planner's guess is not good to more. 0 when the rows seen
 * already prove it too low. */
static long about(const struct ui_pager *p)
{
	long n = p->estimate, seen = p->offset + p->n_rows;
	if (n < seen || (n == seen && !p->at_end))
		return 0;
	long unit = 1;
	while (n / unit >= 1000)
		unit *= 10;
	return (n + unit / 2) / unit * unit;
}

const char *ui_pager_range(const struct ui_pager *p, const char *none,
                           char *buf, size_t len)
{
	char first[32], last[32], total[32];
	if (p->n_rows == 0)
		snprintf(buf, len, "%s", none);
	else if (p->count < 0 && p->offset == 0 && p->at_end)
		/* the whole list is on screen: its count is no guess */
		snprintf(buf, len, "1-%s of %s",
		         count_text(last, sizeof last, p->n_rows),
		         count_text(total, sizeof total, p->n_rows));
	else if (p->count < 0 && p->estimate >= 0 && about(p) > 0)
		snprintf(buf, len, "%s-%s of about %s",
		         count_text(first, sizeof first, p->offset + 1),
		         count_text(last, sizeof last, p->offset + p->n_rows),
		         count_text(total, sizeof total, about(p)));
	else if (p->count < 0 && p->estimate >= 0)
		/* the planner guessed fewer than are already seen */
		snprintf(
		    buf, len, "%s-%s of more than %s",
		    count_text(first, sizeof first, p->offset + 1),
		    count_text(last, sizeof last, p->offset + p->n_rows),
		    count_text(total, sizeof total, p->offset + p->n_rows));
	else if (p->count < 0)
		snprintf(buf, len, "%s-%s",
		         count_text(first, sizeof first, p->offset + 1),
		         count_text(last, sizeof last, p->offset + p->n_rows));
	else
		snprintf(buf, len, "%s-%s of %s",
		         count_text(first, sizeof first, p->offset + 1),
		         count_text(last, sizeof last, p->offset + p->n_rows),
		         count_text(total, sizeof total, p->count));
	return buf;
}
