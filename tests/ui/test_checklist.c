/* test_checklist.c: the checklist widget (src/ui/checklist.c) on its own:
 * curses in test mode at 80x24, drawn into the screen and read back as
 * text; requests given through the widget's key map, as the frame does.
 *
 * The key script (ACCESSDESK_TEST_KEYS) is this test's own, written
 * before curses starts: it answers the two Search prompts, in the order
 * the first two tests ask them, and ends, so later frame draws read no
 * key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/ui_checklist.h"
/* the styles' attributes and curses, to see what the rows are drawn in */
#include "../../src/ui/ui_internal.h"
#include "ui_test.h"

static const struct ui_column columns[] = {{"Short Name", 12}, {"Name", 0}};

static const struct ui_checklist_row fixture[] = {
    {.key = "lat01", .cells = {"lat01", "LatOrg01"}},
    {.key = "lat02", .cells = {"lat02", "LatOrg02"}},
    {.key = "kal07", .cells = {"kal07", "Kalamata"}},
    {.key = "abc", .cells = {"abc", "Abbey Latimer"}},
    {.key = "dim1",
     .cells = {"dim1", "Dimmed"},
     .dim = "You do not manage users at dim1."},
};
#define N_FIXTURE 5

static struct ui_checklist *fixture_list(void)
{
	struct ui_checklist *cl = ui_checklist_new(columns, 2);
	assert_non_null(cl);
	assert_true(ui_checklist_set_rows(cl, fixture, N_FIXTURE));
	return cl;
}

/* The request a key means on the checklist, as the frame asks it. */
static bool press(struct ui_checklist *cl, int key)
{
	return ui_checklist_request(
	    cl, ui_keymap_request(&ui_checklist_keymap, key), 0);
}

static void draw(struct ui_checklist *cl)
{
	werase(stdscr);
	ui_checklist_draw(cl, body);
}

/* What the frame's message line says: the frame drawn once (the key
 * script has ended, so ui_run draws and returns). */
static const char *message(void)
{
	static char all[2048];
	ui_run(NULL);
	all[0] = '\0';
	for (int y = LINES - 5; y < LINES - 1; y++) {
		strncat(all, line(y), sizeof all - strlen(all) - 2);
		strcat(all, " ");
	}
	return all;
}

static void clear_message(void)
{
	ui_message("%s", "");
}

/* Which of the test's monochrome styles the cell is drawn in. */
static attr_t style_at(int y, int x)
{
	return attr_at(y, x, NULL) & (A_REVERSE | A_DIM | A_UNDERLINE);
}

/* ---- search: first, while the script has the prompts' keys ---------- */

static void test_search_prompt(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	const char *kal[] = {"kal07"};
	ui_checklist_set_ticked(cl, kal, 1);
	/* the script types "lat" and Enter */
	assert_true(press(cl, '/'));
	assert_string_equal(ui_checklist_filter(cl), "lat");
	/* lat01 and lat02 by their code, abc by its name ("Latimer") */
	assert_int_equal(ui_checklist_n_shown(cl), 3);
	draw(cl);
	assert_true(row_of("LatOrg01") >= 0);
	assert_true(row_of("LatOrg02") >= 0);
	assert_true(row_of("Abbey Latimer") >= 0);
	assert_int_equal(row_of("Kalamata"), -1);
	/* hidden, kal07 keeps its tick */
	assert_true(ui_checklist_is_ticked(cl, "kal07"));
	assert_int_equal(ui_checklist_n_ticked(cl), 1);
	ui_checklist_free(cl);
}

static void test_search_cancelled(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	ui_checklist_set_filter(cl, "lat");
	/* the script types "x" and Esc: the search stays as it was */
	assert_true(press(cl, '/'));
	assert_string_equal(ui_checklist_filter(cl), "lat");
	assert_int_equal(ui_checklist_n_shown(cl), 3);
	ui_checklist_free(cl);
}

/* ---- the rule ---------------------------------------------------------- */

static void test_match_rule(void **state)
{
	(void)state;
	const char *cells[] = {"lat01", "LatOrg01"};
	assert_true(ui_text_match("", cells, 2));
	assert_true(ui_text_match("la", cells, 2));   /* code's start */
	assert_true(ui_text_match("LAT0", cells, 2)); /* either case */
	assert_true(ui_text_match("org0", cells, 2)); /* name anywhere */
	assert_false(ui_text_match("t01", cells, 2)); /* code: start */
	assert_false(ui_text_match("kal", cells, 2));
	const char *code_only[] = {"lat01"};
	assert_false(ui_text_match("at0", code_only, 1));
}

static void test_filter_keeps_cursor(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	assert_true(ui_checklist_set_cursor(cl, "abc"));
	ui_checklist_set_filter(cl, "lat");
	assert_string_equal(ui_checklist_cursor_key(cl), "abc");
	/* the cursor's row hidden: the first row shown */
	ui_checklist_set_filter(cl, "kal");
	assert_string_equal(ui_checklist_cursor_key(cl), "kal07");
	ui_checklist_set_filter(cl, "nothing");
	assert_int_equal(ui_checklist_n_shown(cl), 0);
	assert_null(ui_checklist_cursor_key(cl));
	draw(cl);
	assert_true(row_of("Nothing matches \"nothing\".") >= 0);
	/* toggling nothing does nothing */
	assert_true(press(cl, ' '));
	assert_int_equal(ui_checklist_n_ticked(cl), 0);
	ui_checklist_free(cl);
}

/* ---- ticking ----------------------------------------------------------- */

static void test_toggle(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	/* Space ticks here: the checklist's TOGGLE shadows the list's page */
	assert_int_equal(ui_keymap_request(&ui_checklist_keymap, ' '),
	                 REQ_TOGGLE);
	assert_true(press(cl, ' '));
	assert_true(ui_checklist_is_ticked(cl, "lat01"));
	assert_true(press(cl, 'j'));
	assert_true(press(cl, ' '));
	int n = -1;
	char **keys = ui_checklist_ticked(cl, &n);
	assert_int_equal(n, 2);
	assert_string_equal(keys[0], "lat01");
	assert_string_equal(keys[1], "lat02");
	assert_null(keys[2]);
	ui_checklist_keys_free(keys);
	assert_true(press(cl, ' '));
	assert_false(ui_checklist_is_ticked(cl, "lat02"));
	assert_int_equal(ui_checklist_n_ticked(cl), 1);
	ui_checklist_free(cl);
}

static void test_dim_says_why(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	clear_message();
	assert_true(ui_checklist_set_cursor(cl, "dim1"));
	assert_true(press(cl, ' '));
	assert_false(ui_checklist_is_ticked(cl, "dim1"));
	assert_non_null(strstr(message(), "You do not manage users at dim1."));
	/* what the data says is shown, dim or not, and stays */
	const char *dim[] = {"dim1"};
	ui_checklist_set_ticked(cl, dim, 1);
	assert_true(press(cl, ' '));
	assert_true(ui_checklist_is_ticked(cl, "dim1"));
	ui_checklist_free(cl);
}

static void test_select_all(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	/* only the rows shown */
	ui_checklist_set_filter(cl, "lat");
	assert_true(press(cl, '*'));
	assert_int_equal(ui_checklist_n_ticked(cl), 3);
	assert_false(ui_checklist_is_ticked(cl, "kal07"));
	/* all shown are ticked: Select All unticks them */
	assert_true(press(cl, '*'));
	assert_int_equal(ui_checklist_n_ticked(cl), 0);
	/* some ticked: it ticks the rest; the dim row is left alone */
	ui_checklist_set_filter(cl, "");
	const char *one[] = {"kal07"};
	ui_checklist_set_ticked(cl, one, 1);
	assert_true(press(cl, '*'));
	assert_int_equal(ui_checklist_n_ticked(cl), 4);
	assert_false(ui_checklist_is_ticked(cl, "dim1"));
	/* every row that can be ticked is: untick, dim row still alone */
	assert_true(press(cl, '*'));
	assert_int_equal(ui_checklist_n_ticked(cl), 0);
	/* nothing shown that can be ticked says so */
	clear_message();
	ui_checklist_set_filter(cl, "dim");
	assert_true(press(cl, '*'));
	assert_int_equal(ui_checklist_n_ticked(cl), 0);
	assert_non_null(strstr(message(), "Nothing shown can be ticked."));
	ui_checklist_free(cl);
}

static void test_set_ticked(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	const char *keys[] = {"abc", "gone", "lat01"};
	ui_checklist_set_ticked(cl, keys, 3);
	assert_int_equal(ui_checklist_n_ticked(cl), 2);
	assert_true(ui_checklist_is_ticked(cl, "abc"));
	assert_true(ui_checklist_is_ticked(cl, "lat01"));
	/* exactly these: what was ticked before goes */
	const char *other[] = {"kal07"};
	ui_checklist_set_ticked(cl, other, 1);
	assert_int_equal(ui_checklist_n_ticked(cl), 1);
	assert_true(ui_checklist_is_ticked(cl, "kal07"));
	ui_checklist_free(cl);
}

/* ---- moving ------------------------------------------------------------ */

static void test_movement(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	assert_string_equal(ui_checklist_cursor_key(cl), "lat01");
	assert_true(press(cl, UI_KEY_DOWN));
	assert_string_equal(ui_checklist_cursor_key(cl), "lat02");
	assert_true(press(cl, 'G'));
	assert_string_equal(ui_checklist_cursor_key(cl), "dim1");
	assert_true(press(cl, 'j')); /* stays on the last */
	assert_string_equal(ui_checklist_cursor_key(cl), "dim1");
	assert_true(press(cl, 'g'));
	assert_string_equal(ui_checklist_cursor_key(cl), "lat01");
	assert_true(ui_checklist_request(cl, REQ_PAGE_DOWN, 3));
	assert_string_equal(ui_checklist_cursor_key(cl), "abc");
	assert_true(ui_checklist_request(cl, REQ_PAGE_UP, 3));
	assert_string_equal(ui_checklist_cursor_key(cl), "lat01");
	assert_false(ui_checklist_request(cl, REQ_SORT, 0));
	ui_checklist_free(cl);
}

static void test_scrolls_to_cursor(void **state)
{
	(void)state;
	struct ui_checklist *cl = ui_checklist_new(columns, 2);
	struct ui_checklist_row rows[100];
	char keys[100][8], names[100][16];
	for (int i = 0; i < 100; i++) {
		snprintf(keys[i], sizeof keys[i], "k%03d", i);
		snprintf(names[i], sizeof names[i], "Name %03d", i);
		rows[i] = (struct ui_checklist_row){
		    .key = keys[i], .cells = {keys[i], names[i]}};
	}
	assert_true(ui_checklist_set_rows(cl, rows, 100));
	draw(cl);
	assert_true(press(cl, 'G'));
	draw(cl);
	int y = row_of("Name 099");
	assert_true(y >= 0);
	assert_int_equal(row_of("Name 000"), -1);
	/* the terminal's cursor on the cursor row's box */
	int cy, cx;
	getyx(stdscr, cy, cx);
	assert_int_equal(cy, y);
	assert_int_equal(cx, 1);
	/* a page is the rows drawn: 20 less header and count line */
	assert_true(press(cl, 'g'));
	assert_true(ui_checklist_request(cl, REQ_PAGE_DOWN, 0));
	assert_string_equal(ui_checklist_cursor_key(cl), "k018");
	ui_checklist_free(cl);
}

/* ---- drawing ----------------------------------------------------------- */

static void test_draw(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	const char *keys[] = {"lat02", "dim1"};
	ui_checklist_set_ticked(cl, keys, 2);
	draw(cl);
	assert_non_null(strstr(line(body.y), "Short Name"));
	assert_non_null(strstr(line(body.y), "Name"));
	assert_non_null(strstr(line(row_of("LatOrg01")), "[ ] lat01"));
	assert_non_null(strstr(line(row_of("LatOrg02")), "[x] lat02"));
	/* a box that cannot change has no brackets */
	assert_non_null(strstr(line(row_of("Dimmed")), " x  dim1"));
	assert_null(strstr(line(row_of("Dimmed")), "["));
	assert_true(row_of("2 of 5 ticked") == body.y + body.h - 1);
	ui_checklist_set_filter(cl, "lat");
	draw(cl);
	assert_true(row_of("2 of 5 ticked  Search: lat (3 shown)") >= 0);
	ui_checklist_free(cl);
}

static void test_styles(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	assert_true(ui_checklist_set_cursor(cl, "lat02"));
	draw(cl);
	int cy, cx;
	getyx(stdscr, cy, cx);
	int cursor = row_of("LatOrg02"), dim = row_of("Dimmed"),
	    plain = row_of("LatOrg01");
	assert_int_equal(cy, cursor);
	assert_int_equal(cx, 1);
	assert_int_equal(style_at(cursor, 6), A_REVERSE);
	assert_int_equal(style_at(dim, 6), A_DIM);
	assert_int_equal(style_at(plain, 6), 0);
	assert_int_equal(style_at(body.y, 6), A_UNDERLINE);
	/* the dim row under the cursor: the count line says why */
	assert_true(ui_checklist_set_cursor(cl, "dim1"));
	draw(cl);
	assert_true(row_of("Cannot change: You do not manage users") >= 0);
	ui_checklist_free(cl);
}

static void test_sanitised(void **state)
{
	(void)state;
	struct ui_checklist *cl = ui_checklist_new(columns, 2);
	struct ui_checklist_row row = {.key = "x",
	                               .cells = {"x", "evil\x1b[2J\r\nname"}};
	assert_true(ui_checklist_set_rows(cl, &row, 1));
	draw(cl);
	int y = row_of("evil");
	assert_true(y >= 0);
	assert_null(strchr(line(y), '\x1b'));
	assert_non_null(strstr(line(y), "evil?[2J??name"));
	ui_checklist_free(cl);
}

static void test_no_header_and_empty(void **state)
{
	(void)state;
	static const struct ui_column plain[] = {{"", 0}};
	struct ui_checklist *cl = ui_checklist_new(plain, 1);
	assert_true(ui_checklist_set_empty(
	    cl, "There are no Provider Clusters defined for this "
	        "organisation"));
	draw(cl);
	assert_int_equal(row_of("There are no Provider Clusters"), body.y);
	struct ui_checklist_row row = {.key = "r", .cells = {"Recruiter"}};
	assert_true(ui_checklist_set_rows(cl, &row, 1));
	draw(cl);
	/* no titles: the first row is at the top */
	assert_int_equal(row_of("[ ] Recruiter"), body.y);
	ui_checklist_free(cl);
}

/* ---- copies and reloads ------------------------------------------------ */

static void test_copies_rows(void **state)
{
	(void)state;
	char *key = heap_copy("org9"), *name = heap_copy("Ninth Organisation");
	char *why = heap_copy("Not yours.");
	struct ui_checklist_row row = {
	    .key = key, .cells = {key, name}, .dim = why};
	struct ui_checklist *cl = ui_checklist_new(columns, 2);
	assert_true(ui_checklist_set_rows(cl, &row, 1));
	const char *k[] = {"org9"};
	ui_checklist_set_ticked(cl, k, 1);
	/* the caller's data freed, as a reload does */
	memset(key, 'Z', strlen(key));
	memset(name, 'Z', strlen(name));
	memset(why, 'Z', strlen(why));
	free(key);
	free(name);
	free(why);
	draw(cl);
	assert_true(row_of("Ninth Organisation") >= 0);
	assert_string_equal(ui_checklist_cursor_key(cl), "org9");
	assert_string_equal(ui_checklist_cursor_dim(cl), "Not yours.");
	int n;
	char **keys = ui_checklist_ticked(cl, &n);
	assert_int_equal(n, 1);
	assert_string_equal(keys[0], "org9");
	ui_checklist_keys_free(keys);
	ui_checklist_free(cl);
}

static void test_set_rows_keeps_ticks_and_cursor(void **state)
{
	(void)state;
	struct ui_checklist *cl = fixture_list();
	const char *keys[] = {"lat02", "abc"};
	ui_checklist_set_ticked(cl, keys, 2);
	assert_true(ui_checklist_set_cursor(cl, "abc"));
	/* reloaded: lat02 gone, a new row, another order, names changed */
	struct ui_checklist_row reloaded[] = {
	    {.key = "new1", .cells = {"new1", "Brand New"}},
	    {.key = "abc", .cells = {"abc", "Abbey Renamed"}},
	    {.key = "lat01", .cells = {"lat01", "LatOrg01"}},
	};
	assert_true(ui_checklist_set_rows(cl, reloaded, 3));
	assert_string_equal(ui_checklist_cursor_key(cl), "abc");
	assert_true(ui_checklist_is_ticked(cl, "abc"));
	assert_false(ui_checklist_is_ticked(cl, "new1"));
	assert_false(ui_checklist_is_ticked(cl, "lat01"));
	assert_int_equal(ui_checklist_n_ticked(cl), 1);
	draw(cl);
	assert_non_null(strstr(line(row_of("Abbey Renamed")), "[x] abc"));
	assert_true(row_of("1 of 3 ticked") >= 0);
	/* the cursor's row gone: the cursor stays where it was, clamped */
	struct ui_checklist_row fewer[] = {
	    {.key = "new1", .cells = {"new1", "Brand New"}},
	};
	assert_true(ui_checklist_set_rows(cl, fewer, 1));
	assert_string_equal(ui_checklist_cursor_key(cl), "new1");
	assert_int_equal(ui_checklist_n_ticked(cl), 0);
	ui_checklist_free(cl);
}

/* ---- the screen -------------------------------------------------------- */

struct result {
	int calls;
	int n;
	char keys[8][16];
	int changed;
};

static void done(void *ctx, char *const *keys, int n)
{
	struct result *r = ctx;
	r->calls++;
	r->n = n;
	for (int i = 0; i < n && i < 8; i++)
		snprintf(r->keys[i], sizeof r->keys[i], "%s", keys[i]);
}

static void changed(void *ctx, struct ui_checklist *cl)
{
	struct result *r = ctx;
	r->changed++;
	struct ui_checklist_row row = {.key = "lat01",
	                               .cells = {"lat01", "Reloaded"}};
	assert_true(ui_checklist_set_rows(cl, &row, 1));
}

static struct ui_screen *screen(struct result *r)
{
	struct ui_screen *s = ui_checklist_screen_new(
	    "Import candidates", "Save", fixture_list(), done, changed, r);
	assert_non_null(s);
	return s;
}

static void test_screen_done(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = screen(&r);
	assert_int_equal(key(s, ' '), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_DOWN), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_DOWN), UI_HANDLED);
	assert_int_equal(key(s, ' '), UI_HANDLED);
	draw_screen(s);
	assert_int_equal(row_of("Import candidates"), body.y);
	assert_true(row_of("2 of 5 ticked") >= 0);
	assert_int_equal(key(s, UI_KEY_ENTER), UI_CLOSE);
	assert_int_equal(r.calls, 0); /* reported once off the stack */
	s->close(s);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.keys[0], "lat01");
	assert_string_equal(r.keys[1], "kal07");
}

/* The count line separates thousands, as every count does. */
static void test_count_thousands(void **state)
{
	(void)state;
	enum { N = 1234 };
	static struct ui_checklist_row rows[N];
	static char keys[N][8];
	for (int i = 0; i < N; i++) {
		snprintf(keys[i], sizeof keys[i], "k%04d", i);
		rows[i] = (struct ui_checklist_row){.key = keys[i],
		                                    .cells = {keys[i], "Name"}};
	}
	struct ui_checklist *cl = ui_checklist_new(columns, 2);
	assert_non_null(cl);
	assert_true(ui_checklist_set_rows(cl, rows, N));
	draw(cl);
	assert_true(row_of("0 of 1,234 ticked") >= 0);
	ui_checklist_set_filter(cl, "k1");
	draw(cl);
	assert_true(row_of("0 of 1,234 ticked  Search: k1 (234 shown)") >= 0);
	ui_checklist_free(cl);
}

/* A cell cut short ends with the marker, as a list's does. */
static void test_cut_cell_marked(void **state)
{
	(void)state;
	static const struct ui_column narrow[] = {
	    {"User ID", 8}, {"Sites", 12}, {"Name", 0}};
	static const struct ui_checklist_row rows[] = {
	    {.key = "rec001",
	     .cells = {"rec001", "SITE-B (recruitment only)", "Cruz"}}};
	struct ui_checklist *cl = ui_checklist_new(narrow, 3);
	assert_non_null(cl);
	assert_true(ui_checklist_set_rows(cl, rows, 1));
	draw(cl);
	int y = row_of("rec001");
	assert_true(y >= 0);
	assert_non_null(strstr(line(y), "SITE-B (re> Cruz"));
	ui_checklist_free(cl);
}

static void test_screen_cancel(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = screen(&r);
	assert_int_equal(key(s, ' '), UI_HANDLED);
	assert_int_equal(key(s, UI_KEY_ESC), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.calls, 0);
}

static void test_screen_keys(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = screen(&r);
	/* the caller's label on Enter; the checklist's keys below it */
	const struct ui_keydef *d = NULL;
	for (const struct ui_keydef *k = s->keymap->keys; k->request; k++)
		if (k->request == REQ_OPEN)
			d = k;
	assert_non_null(d);
	assert_string_equal(d->label, "Save");
	assert_true(d->bar);
	assert_int_equal(ui_keymap_request(s->keymap, '*'), REQ_SELECT_ALL);
	assert_int_equal(ui_keymap_request(s->keymap, '/'), REQ_SEARCH);
	/* what it does not know it leaves to the frame */
	assert_int_equal(key(s, UI_KEY_TAB), UI_IGNORED);
	s->close(s);
	assert_int_equal(r.calls, 0);
}

static void test_screen_changed(void **state)
{
	(void)state;
	struct result r = {0};
	struct ui_screen *s = screen(&r);
	assert_int_equal(key(s, ' '), UI_HANDLED); /* lat01 */
	s->changed(s);
	assert_int_equal(r.changed, 1);
	struct ui_checklist *cl = ui_checklist_screen_list(s);
	assert_int_equal(ui_checklist_n_rows(cl), 1);
	assert_true(ui_checklist_is_ticked(cl, "lat01"));
	draw_screen(s);
	assert_true(row_of("Reloaded") >= 0);
	assert_int_equal(key(s, UI_KEY_ENTER), UI_CLOSE);
	s->close(s);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.keys[0], "lat01");
}

/* Curses once for all the tests, with the answers to the two Search
 * prompts as its key script. */
static int setup(void **state)
{
	(void)state;
	if (!ui_test_start(
	        &(struct ui_test_options){.keys = "lat<Enter>x<Esc>"}))
		return -1;
	/* monochrome styles, so the test sees which a row is drawn in */
	ui_attrs[STYLE_SELECTED] = A_REVERSE;
	ui_attrs[STYLE_READONLY] = A_DIM;
	ui_attrs[STYLE_HEADER] = A_UNDERLINE;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search_prompt),
	    cmocka_unit_test(test_search_cancelled),
	    cmocka_unit_test(test_match_rule),
	    cmocka_unit_test(test_filter_keeps_cursor),
	    cmocka_unit_test(test_toggle),
	    cmocka_unit_test(test_dim_says_why),
	    cmocka_unit_test(test_select_all),
	    cmocka_unit_test(test_set_ticked),
	    cmocka_unit_test(test_movement),
	    cmocka_unit_test(test_scrolls_to_cursor),
	    cmocka_unit_test(test_draw),
	    cmocka_unit_test(test_styles),
	    cmocka_unit_test(test_sanitised),
	    cmocka_unit_test(test_no_header_and_empty),
	    cmocka_unit_test(test_copies_rows),
	    cmocka_unit_test(test_set_rows_keeps_ticks_and_cursor),
	    cmocka_unit_test(test_screen_done),
	    cmocka_unit_test(test_screen_cancel),
	    cmocka_unit_test(test_cut_cell_marked),
	    cmocka_unit_test(test_count_thousands),
	    cmocka_unit_test(test_screen_keys),
	    cmocka_unit_test(test_screen_changed),
	};
	return cmocka_run_group_tests(tests, setup, ui_test_teardown);
}
