/* test_menu.c: the Action menu (src/ui/menu.c) on its own: curses in
 * test mode at 80x24, keys given to the menu's key handler with the
 * request its key map gives them, as the frame does; the screen and the
 * frame's message line read back as text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/ui_menu.h"
#include "ui_test.h"

enum { IMPORT = 11, EDIT = 12, DELETE = 13 };

static const struct ui_menu_item items[] = {
    {IMPORT, "Import", 'i', NULL},
    {EDIT, "Edit", 'e', "Select an entry first."},
    {DELETE, "Delete", 'd', NULL},
};

struct result {
	int calls;
	int id;
};

static void chosen(void *ctx, int id)
{
	struct result *r = ctx;
	r->calls++;
	r->id = id;
}

static struct ui_screen *menu(struct result *r)
{
	struct ui_screen *s = ui_menu_new("Action", items, 3, chosen, r);
	assert_non_null(s);
	return s;
}

/* The frame's message line, the frame drawn once. */
static const char *message(void)
{
	return frame_line(22);
}

static void test_letter_chooses(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = menu(&r);
	/* 'd' is the Delete item's, not the frame's */
	assert_int_equal(key(s, 'd'), UI_CLOSE);
	assert_int_equal(r.calls, 0); /* reported once off the stack */
	s->close(s);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.id, DELETE);
}

static void test_letter_either_case(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = menu(&r);
	assert_int_equal(key(s, 'I'), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.id, IMPORT);
}

static void test_enter_chooses_cursor(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = menu(&r);
	assert_int_equal(key(s, UI_KEY_DOWN), UI_HANDLED);
	assert_int_equal(key(s, 'j'), UI_HANDLED); /* no item's letter */
	assert_int_equal(key(s, 'j'), UI_HANDLED); /* stays on the last */
	assert_int_equal(key(s, UI_KEY_ENTER), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.id, DELETE);
}

static void test_disabled_says_why(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = menu(&r);
	ui_message("%s", "");
	assert_int_equal(key(s, 'e'), UI_HANDLED);
	assert_non_null(strstr(message(), "Edit: Select an entry first."));
	/* by Enter too, and the menu stays */
	ui_message("%s", "");
	assert_int_equal(key(s, 'k'), UI_HANDLED);
	assert_int_equal(key(s, 'j'), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_ENTER), UI_HANDLED);
	assert_non_null(strstr(message(), "Select an entry first."));
	s->close(s);
	assert_int_equal(r.calls, 0);
}

static void test_esc_closes(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = menu(&r);
	assert_int_equal(key(s, 'j'), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_ESC), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.calls, 0);
}

static void test_draw(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = menu(&r);
	key(s, 'j');
	draw_screen(s);
	int cy, cx;
	getyx(stdscr, cy, cx);
	assert_int_equal(row_of("Action"), body.y);
	int import = row_of("Import"), edit = row_of("Edit"),
	    del = row_of("Delete");
	assert_int_equal(import, body.y + 1);
	assert_int_equal(edit, body.y + 2);
	assert_int_equal(del, body.y + 3);
	/* each with its letter, a disabled one with its reason */
	assert_non_null(strstr(line(import), "i  Import"));
	assert_non_null(
	    strstr(line(edit), "e  Edit    Select an entry first."));
	assert_non_null(strstr(line(del), "d  Delete"));
	/* the terminal's cursor on the cursor's item */
	assert_int_equal(cy, edit);
	assert_int_equal(cx, 1);
	s->close(s);
}

static void test_copies_items(void **state)
{
	(void)state;
	struct result r = {0};
	char *label = heap_copy("Import"), *why = heap_copy("Not now.");
	struct ui_menu_item it[] = {{7, label, 'i', NULL},
	                            {8, "Edit", 'e', why}};
	struct ui_screen *s = ui_menu_new("Action", it, 2, chosen, &r);
	assert_non_null(s);
	memset(label, 'Z', strlen(label));
	memset(why, 'Z', strlen(why));
	free(label);
	free(why);
	draw_screen(s);
	assert_true(row_of("i  Import") >= 0);
	assert_true(row_of("Not now.") >= 0);
	assert_int_equal(key(s, 'i'), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.id, 7);
}

static void test_keymap(void **state)
{
	(void)state;
	const struct ui_keydef *open = NULL;
	for (const struct ui_keydef *d = ui_menu_keymap.keys; d->request; d++)
		if (d->request == REQ_OPEN)
			open = d;
	assert_non_null(open);
	assert_string_equal(open->label, "Choose");
	assert_ptr_equal(ui_menu_keymap.parent, &ui_list_keymap);
	assert_int_equal(ui_keymap_request(&ui_menu_keymap, UI_KEY_ESC),
	                 REQ_BACK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_letter_chooses),
	    cmocka_unit_test(test_letter_either_case),
	    cmocka_unit_test(test_enter_chooses_cursor),
	    cmocka_unit_test(test_disabled_says_why),
	    cmocka_unit_test(test_esc_closes),
	    cmocka_unit_test(test_draw),
	    cmocka_unit_test(test_copies_items),
	    cmocka_unit_test(test_keymap),
	};
	return cmocka_run_group_tests(tests, ui_test_setup, ui_test_teardown);
}
