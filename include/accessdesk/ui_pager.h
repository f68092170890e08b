/* ui_pager.h: a list read a page at a time by keyset (the Users list, the
 * Audit tab): the rows of one page held, where they stand in the whole
 * list, and the moves between pages; each page as many rows as the body
 * shows, so the count names the rows on screen and paging skips none.
 * What a row is and how a page is read is the screen's: a callback. */
#ifndef ACCESSDESK_UI_PAGER_H
#define ACCESSDESK_UI_PAGER_H

#include <stdbool.h>
#include <stddef.h>

#include "accessdesk/ui.h"

/* At most n rows after the row `after` (NULL: from the start), or with
 * backwards the n just before it, in the list's order either way, into a
 * new malloc'd array; -1 after saying what failed (ui_error). */
typedef int ui_pager_fetch_fn(void *ctx, const void *after, bool backwards,
                              int n, void **out);

struct ui_pager {
	struct ui_list *list; /* its n_rows, cursor and top follow the page */
	size_t size;          /* bytes of a row */
	int page_max;         /* the tallest page read */
	ui_pager_fetch_fn *fetch;
	void *ctx;
	void *rows;
	int n_rows, page;
	long offset; /* of the first row held in the whole list */
	long count;  /* rows in the whole list, -1: not known (the screen's) */
	/* while count is -1: the planner's figure, shown "of about 19,700",
	 * the exact count on its way (ui_pager_counted); -1: none */
	long estimate;
	bool last_asked; /* End waits for the exact count */
	bool at_end;     /* no row after the last held */
};

/* Row i of those held. */
void *ui_pager_row(const struct ui_pager *p, int i);
/* The page after `after` (NULL: the first), or with backwards the page
 * before it, in place of the rows held; false when there is none that
 * way (the page stays) or on an error. */
bool ui_pager_read(struct ui_pager *p, const void *after, bool backwards);
/* The first page, the cursor on its first row; on an error none (the
 * rows held were the last query's). */
bool ui_pager_first(struct ui_pager *p);
void ui_pager_next(struct ui_pager *p, bool cursor_top);
void ui_pager_prev(struct ui_pager *p, bool cursor_bottom);
/* The last page (count must be known for the offset), the cursor on its
 * last row. While the count is only estimated, End is remembered and
 * done when the exact count comes (ui_pager_counted), said on the
 * message line; any other move forgets it. */
void ui_pager_last(struct ui_pager *p);
/* The exact count has come (a store_count_fn: pager is the struct
 * ui_pager): count n, or with -1 not known (the estimate goes too); an
 * End waiting for it is done. */
void ui_pager_counted(void *pager, long n);
/* The page becomes `rows` tall (the body's height): the rows held stay,
 * the cursor's among them, and rows after them are read to fill a taller
 * page. */
void ui_pager_fit(struct ui_pager *p, int rows);
/* Down and Up past the page's ends, PgDn, PgUp and End, each a page
 * read; UI_IGNORED for any other request (Home is the screen's: it reads
 * the first page again, with its count). */
enum ui_result ui_pager_key(struct ui_pager *p, enum ui_request r);
/* "1-18 of 1,000,000"; while the count is on its way, "1-18 of about
 * 19,700" (the estimate to three significant figures), or "1-18 of more
 * than 18" when the rows seen prove the estimate low; "1-18" while
 * nothing is known ("1-5 of 5" when the whole list is held); or `none`
 * when no row is held; into buf, returned. */
const char *ui_pager_range(const struct ui_pager *p, const char *none,
                           char *buf, size_t len);
/* No rows held. */
void ui_pager_clear(struct ui_pager *p);
void ui_pager_free(struct ui_pager *p);

#endif
