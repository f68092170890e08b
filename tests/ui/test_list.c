/* test_list.c: the list widget (src/ui/list.c) on its own: curses in test
 * mode at 80x24, a list of rows drawn into an area, then moved by the
 * movement requests as a screen moves it (Who has access?, the clusters
 * list pass no page of their own: the list's last drawn height is the
 * page) and searched by the one search rule (ui_list_find). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ui_test.h"

#define ROWS 50

static const struct ui_column columns[] = {{"Code", 8}, {"Name", 20}};

static const char *cell(void *ctx, int row, int column)
{
	static char buf[2][32];
	(void)ctx;
	if (column == 0)
		snprintf(buf[0], sizeof buf[0], "R%02d", row);
	else
		snprintf(buf[1], sizeof buf[1], "Row number %d", row);
	return buf[column];
}

static struct ui_list list(void)
{
	return (struct ui_list){.columns = columns,
	                        .n_columns = 2,
	                        .sort_column = -1,
	                        .n_rows = ROWS,
	                        .cell = cell};
}

/* A page is the rows the list showed: an area of 11 rows holds the header
 * and 10 rows, so PgDn moves by 10 and never skips one. */
static void test_page_is_rows_drawn(void **state)
{
	(void)state;
	struct ui_list l = list();
	ui_list_draw(&l, (struct ui_area){2, 0, 11, 80});
	assert_true(ui_list_key(&l, REQ_PAGE_DOWN, 0));
	assert_int_equal(l.cursor, 10);
	assert_int_equal(l.top, 10);
	ui_list_draw(&l, (struct ui_area){2, 0, 11, 80});
	assert_string_equal(line(3), "R10     Row number 10");
	assert_true(ui_list_key(&l, REQ_PAGE_UP, 0));
	assert_int_equal(l.cursor, 0);
	/* a page given wins */
	assert_true(ui_list_key(&l, REQ_PAGE_DOWN, 3));
	assert_int_equal(l.cursor, 3);
}

static void test_find(void **state)
{
	(void)state;
	struct ui_list l = list();
	static const int by[] = {0, 1};
	assert_true(ui_list_find(&l, "r1", by, 2)); /* a code's start */
	assert_int_equal(l.cursor, 10);
	assert_true(ui_list_find(&l, "r1", by, 2)); /* the next match */
	assert_int_equal(l.cursor, 11);
	assert_true(ui_list_find(&l, "number 42", by, 2)); /* a name's inside */
	assert_int_equal(l.cursor, 42);
	assert_false(ui_list_find(&l, "nothing", by, 2));
	assert_int_equal(l.cursor, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_page_is_rows_drawn),
	    cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, ui_test_setup, ui_test_teardown);
}
