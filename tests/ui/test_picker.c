/* test_picker.c: the picker (src/ui/picker.c) on its own: curses in test
 * mode at 80x24; keys given to the picker's key handler with the request
 * its key map gives them, as the frame does; the screen read back as
 * text. The picker copies its items: a reload frees the caller's while it
 * is open. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/ui_picker.h"
#include "ui_test.h"

static const struct ui_pick_item items[] = {
    {"lat01", "LatOrg01", NULL},
    {"lat02", "LatOrg02", NULL},
    {"kal07", "Kalamata", NULL},
    {"abc", "Abbey Latimer", NULL},
    {"dim1", "Dimmed", "You do not manage users at dim1."},
};

static struct ui_screen *picker(struct pick *r)
{
	struct ui_screen *s =
	    ui_picker_new("Add Organisation", items, 5, picked, r);
	assert_non_null(s);
	return s;
}

static void type(struct ui_screen *s, const char *text)
{
	for (; *text; text++)
		assert_int_equal(key(s, (unsigned char)*text), UI_HANDLED);
}

/* Which of the items are on screen, as a string of 0/1. */
static const char *shown(struct ui_screen *s)
{
	static char buf[8];
	draw_screen(s);
	for (int i = 0; i < 5; i++)
		buf[i] = row_of(items[i].name) >= 0 ? '1' : '0';
	buf[5] = '\0';
	return buf;
}

static void test_filter_code_by_start(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	assert_string_equal(shown(s), "11111");
	type(s, "lat");
	/* lat01, lat02 by their code; Abbey Latimer by its name */
	assert_string_equal(shown(s), "11010");
	assert_true(row_of("Type to filter: lat_  (3 of 5)") >= 0);
	s->close(s);
}

static void test_filter_name_anywhere(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	type(s, "ORG0");
	assert_string_equal(shown(s), "11000");
	s->close(s);
}

static void test_code_not_anywhere(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	type(s, "t01");
	assert_string_equal(shown(s), "00000");
	assert_true(row_of("Nothing matches") >= 0);
	/* Enter with nothing to pick keeps the picker open */
	assert_int_equal(key(s, UI_KEY_ENTER), UI_HANDLED);
	s->close(s);
	assert_int_equal(r.calls, 0);
}

static void test_backspace_and_clear(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	type(s, "kx");
	assert_string_equal(shown(s), "00000");
	assert_int_equal(key(s, UI_KEY_BACKSPACE), UI_HANDLED);
	assert_string_equal(shown(s), "00100");
	type(s, "zz");
	assert_int_equal(key(s, UI_CTRL('u')), UI_HANDLED);
	assert_string_equal(shown(s), "11111");
	assert_true(row_of("Type to filter: _") >= 0);
	s->close(s);
}

static void test_printable_keys_are_text(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	/* j, G, q, ?, a digit and Space are other screens' keys */
	type(s, "jGq?1 ");
	draw_screen(s);
	assert_true(row_of("Type to filter: jGq?1 _") >= 0);
	s->close(s);
	assert_int_equal(r.calls, 0);
}

static void test_enter_picks_code(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	type(s, "kal");
	assert_int_equal(key(s, UI_KEY_ENTER), UI_CLOSE);
	assert_int_equal(r.calls, 0); /* reported once off the stack */
	s->close(s);
	assert_int_equal(r.calls, 1);
	assert_string_equal(r.code, "kal07");
}

/* Typed text that starts a code goes to that row, though a row above
 * matches it by its name (the role picker: "Recr" is Recruiter, not
 * Study Administrator, whose actions hold volunteer.recruit). */
static void test_code_match_first(void **state)
{
	(void)state;
	static const struct ui_pick_item roles[] = {
	    {"Study Administrator", "study.view volunteer.recruit", NULL},
	    {"Recruiter", "volunteer.view volunteer.recruit", NULL},
	};
	struct pick r = {0};
	struct ui_screen *s = ui_picker_new("Role", roles, 2, picked, &r);
	assert_non_null(s);
	type(s, "recr");
	assert_int_equal(key(s, UI_KEY_ENTER), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.calls, 1);
	assert_string_equal(r.code, "Recruiter");
	/* a name's match alone still leaves the first shown */
	struct pick q = {0};
	s = ui_picker_new("Role", roles, 2, picked, &q);
	assert_non_null(s);
	type(s, "volunteer.r");
	assert_int_equal(key(s, UI_KEY_ENTER), UI_CLOSE);
	s->close(s);
	assert_string_equal(q.code, "Study Administrator");
}

/* A long title gives way to what is typed: cut with the marker, the
 * filter and the count whole. */
static void test_long_title(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = ui_picker_new(
	    "Role of a user with a long login on a study with a long code "
	    "(profile roles only)",
	    items, 5, picked, &r);
	assert_non_null(s);
	type(s, "lat0");
	draw_screen(s);
	int y = row_of("Type to filter: lat0_  (2 of 5)");
	assert_true(y >= 0);
	assert_non_null(strstr(line(y), "> "));
	assert_non_null(strstr(line(y), "Role of a user"));
	s->close(s);
}

static void test_movement(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	assert_int_equal(key(s, UI_KEY_DOWN), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_DOWN), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_UP), UI_HANDLED);
	draw_screen(s);
	int cy, cx;
	getyx(stdscr, cy, cx);
	assert_int_equal(cy, row_of("LatOrg02"));
	assert_int_equal(cx, 0);
	assert_int_equal(key(s, UI_KEY_END), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_HOME), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_DOWN), UI_HANDLED);
	assert_int_equal(key(s, '\r'), UI_CLOSE);
	s->close(s);
	assert_string_equal(r.code, "lat02");
}

static void test_dim_says_why(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	ui_message("%s", "");
	type(s, "dim");
	assert_int_equal(key(s, UI_KEY_ENTER), UI_HANDLED);
	assert_non_null(
	    strstr(frame_line(22), "You do not manage users at dim1."));
	s->close(s);
	assert_int_equal(r.calls, 0);
}

static void test_esc_cancels(void **state)
{
	(void)state;
	struct pick r = {0};
	struct ui_screen *s = picker(&r);
	type(s, "kal");
	assert_int_equal(key(s, UI_KEY_ESC), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.calls, 0);
}

/* A database announcement frees what the caller built the picker from
 * while it is open: it still shows and picks what it was given. */
static void test_survives_reload(void **state)
{
	(void)state;
	struct pick r = {0};
	int n = 3;
	struct ui_pick_item *heap = calloc((size_t)n, sizeof *heap);
	assert_non_null(heap);
	const char *codes[] = {"org1", "org2", "org3"};
	const char *names[] = {"First Org", "Second Org", "Third Org"};
	for (int i = 0; i < n; i++)
		heap[i] = (struct ui_pick_item){heap_copy(codes[i]),
		                                heap_copy(names[i]), NULL};
	struct ui_screen *s =
	    ui_picker_new("Add Organisation", heap, n, picked, &r);
	assert_non_null(s);
	for (int i = 0; i < n; i++) {
		memset((char *)heap[i].code, 'Z', strlen(heap[i].code));
		memset((char *)heap[i].name, 'Z', strlen(heap[i].name));
		free((char *)heap[i].code);
		free((char *)heap[i].name);
		heap[i] = (struct ui_pick_item){"ZZZZ", "ZZZZ", NULL};
	}
	free(heap);
	draw_screen(s);
	assert_true(row_of("org2") >= 0);
	assert_true(row_of("Second Org") >= 0);
	assert_int_equal(row_of("ZZZZ"), -1);
	type(s, "sec");
	assert_int_equal(key(s, UI_KEY_ENTER), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.calls, 1);
	assert_string_equal(r.code, "org2");
}

static void test_keymap(void **state)
{
	(void)state;
	assert_ptr_equal(ui_picker_keymap.parent, &ui_list_keymap);
	assert_int_equal(ui_keymap_request(&ui_picker_keymap, UI_KEY_ENTER),
	                 REQ_OPEN);
	assert_int_equal(ui_keymap_request(&ui_picker_keymap, UI_KEY_ESC),
	                 REQ_BACK);
	const struct ui_keydef *open = NULL;
	for (const struct ui_keydef *d = ui_picker_keymap.keys; d->request; d++)
		if (d->request == REQ_OPEN)
			open = d;
	assert_non_null(open);
	assert_string_equal(open->label, "Pick");
	assert_true(open->bar);
}

/* Last: the picker stays on the frame's stack (ui_stop closes it). */
static void test_key_bar(void **state)
{
	(void)state;
	static struct ui_screen base = {.title = "Users"};
	base.keymap = &ui_generic_keymap;
	struct ui_tab tab = {"Users", &base};
	ui_set_tabs(&tab, 1);
	struct pick r = {0};
	ui_push(picker(&r));
	const char *bar = frame_line(23);
	assert_non_null(strstr(bar, "Enter Pick"));
	assert_null(strstr(bar, "Open"));
	assert_non_null(strstr(bar, "Esc Cancel"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_filter_code_by_start),
	    cmocka_unit_test(test_filter_name_anywhere),
	    cmocka_unit_test(test_code_not_anywhere),
	    cmocka_unit_test(test_backspace_and_clear),
	    cmocka_unit_test(test_printable_keys_are_text),
	    cmocka_unit_test(test_enter_picks_code),
	    cmocka_unit_test(test_code_match_first),
	    cmocka_unit_test(test_long_title),
	    cmocka_unit_test(test_movement),
	    cmocka_unit_test(test_dim_says_why),
	    cmocka_unit_test(test_esc_cancels),
	    cmocka_unit_test(test_survives_reload),
	    cmocka_unit_test(test_keymap),
	    cmocka_unit_test(test_key_bar),
	};
	return cmocka_run_group_tests(tests, ui_test_setup, ui_test_teardown);
}
