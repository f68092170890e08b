/* test_form.c: the form widget (ui_form.h) and its line editor
 * (ui_line.h): every editing key on the bound string, UTF-8 editing, a
 * long value scrolling inside its field (what shows, where the cursor
 * is), a paste with its control characters dropped, the maximum length,
 * read-only items refusing with their reason, section jumps, pages,
 * 1,000 items, the focus kept by (id, arg) across a rebuild, a row of
 * boxes. Curses runs in test mode at 80x24 (output to nowhere); keys go
 * through ui_form_key with the request the form's key map gives them, or
 * through the frame's real loop (a key script) where the message line is
 * what is tested. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/ui_form.h"
#include "accessdesk/ui_line.h"
#include "ui_test.h"

/* Starts curses at 80x24 in the locale with the default configuration;
 * keys for ui_run and ui_prompt from `keys`. */
static void start(const char *locale, const char *keys)
{
	struct config c;
	config_defaults(&c);
	assert_true(ui_test_start(&(struct ui_test_options){
	    .locale = locale, .config = &c, .ascii = true, .keys = keys}));
}

static void draw(struct ui_form *f)
{
	ui_form_draw(f, body);
}

/* A key as the frame gives it: with its request along the form's map. */
static enum ui_result press(struct ui_form *f, int key)
{
	return ui_form_key(f, key, ui_keymap_request(&ui_form_keymap, key));
}

static void type(struct ui_form *f, const char *s)
{
	for (; *s; s++)
		press(f, (unsigned char)*s);
}

/* One text field "Name" bound to *s. */
static struct ui_form *one_field(char **s, size_t max)
{
	struct ui_form *f = ui_form_new(NULL);
	assert_non_null(f);
	ui_form_clear(f);
	ui_form_width(ui_form_text(f, 1, 0, "Name", s, max), 10);
	ui_form_done(f);
	assert_int_equal(ui_form_focus_id(f, NULL), 1);
	return f;
}

static void test_editing_keys(void **state)
{
	(void)state;
	start("C", NULL);
	char *s = strdup("Jon");
	struct ui_form *f = one_field(&s, 0);
	press(f, UI_KEY_LEFT);
	type(f, "h"); /* inserted in the middle, at the cursor */
	assert_string_equal(s, "John");
	press(f, UI_KEY_BACKSPACE); /* the h, before the cursor */
	assert_string_equal(s, "Jon");
	type(f, "hh");
	press(f, UI_KEY_BACKSPACE);
	assert_string_equal(s, "John");
	press(f, UI_CTRL('a'));
	type(f, "<");
	press(f, UI_CTRL('e'));
	type(f, ">");
	assert_string_equal(s, "<John>");
	press(f, UI_KEY_HOME);
	press(f, UI_KEY_DELETE);
	press(f, UI_KEY_END);
	press(f, UI_KEY_BACKSPACE);
	assert_string_equal(s, "John");
	press(f, UI_CTRL('a'));
	press(f, UI_KEY_RIGHT);
	press(f, UI_CTRL('d')); /* ^D deletes under the cursor too */
	assert_string_equal(s, "Jhn");
	type(f, "o");
	assert_string_equal(s, "John");
	press(f, UI_CTRL('e'));
	type(f, " Smith  ");
	press(f, UI_CTRL('w')); /* the spaces, then the word */
	assert_string_equal(s, "John ");
	type(f, "Smith");
	press(f, UI_CTRL('a'));
	for (int i = 0; i < 4; i++)
		press(f, UI_KEY_RIGHT);
	press(f, UI_CTRL('k')); /* to the end */
	assert_string_equal(s, "John");
	press(f, UI_CTRL('u')); /* everything */
	assert_string_equal(s, "");
	/* movement stops at the ends */
	press(f, UI_KEY_LEFT);
	press(f, UI_KEY_BACKSPACE);
	type(f, "ab");
	press(f, UI_KEY_RIGHT);
	type(f, "c");
	assert_string_equal(s, "abc");
	/* the key names itself in the help: the form's map lists the
	 * line editor's keys */
	assert_true(ui_keymap_has(&ui_form_keymap, REQ_DELETE_WORD));
	assert_true(ui_keymap_has(&ui_form_keymap, REQ_KILL_END));
	ui_form_free(f);
	free(s);
}

static void test_utf8(void **state)
{
	(void)state;
	start("C.UTF-8", NULL);
	char *s = strdup("Zo\xc3\xab"); /* Zoë */
	struct ui_form *f = one_field(&s, 0);
	press(f, UI_KEY_LEFT); /* before the ë: one code point, 2 bytes */
	press(f, UI_KEY_BACKSPACE);
	assert_string_equal(s, "Z\xc3\xab");
	press(f, 0xF1); /* ñ typed at the cursor */
	assert_string_equal(s, "Z\xc3\xb1\xc3\xab");
	press(f, UI_KEY_DELETE); /* the ë, whole */
	assert_string_equal(s, "Z\xc3\xb1");
	press(f, UI_KEY_LEFT);
	press(f, UI_KEY_LEFT);
	press(f, UI_KEY_RIGHT);
	press(f, UI_KEY_RIGHT);
	type(f, "ez");
	assert_string_equal(s, "Z\xc3\xb1"
	                       "ez");
	draw(f);
	assert_string_equal(line(2), "Name               [Z\xc3\xb1"
	                             "ez      ]");
	/* the cursor after 4 characters of 5 bytes: column 20 + 4 */
	assert_int_equal(cursor_x(), 24);
	/* ^W over a word with a non-ASCII letter */
	press(f, UI_CTRL('w'));
	assert_string_equal(s, "");
	ui_form_free(f);
	free(s);
}

static void test_c_locale_types_ascii_only(void **state)
{
	(void)state;
	start("C", NULL);
	char *s = strdup("a");
	struct ui_form *f = one_field(&s, 0);
	press(f, 0xF1); /* not typed where the terminal cannot show it */
	press(f, 0x85); /* a C1 control, never */
	assert_string_equal(s, "a");
	ui_form_free(f);
	free(s);
}

static void test_scrolling(void **state)
{
	(void)state;
	start("C", NULL);
	char *s = strdup("abcdefghijklmnopqrstuvwxyz0123");
	struct ui_form *f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_width(ui_form_text(f, 1, 0, "Long", &s, 0), 10);
	ui_form_done(f);
	draw(f);
	/* the cursor at the end: the end shows, cut on the left */
	assert_string_equal(line(2), "Long               [<wxyz0123 ]");
	assert_int_equal(cursor_y(), 2);
	assert_int_equal(cursor_x(), 29); /* after the 3, inside the field */
	press(f, UI_KEY_HOME);
	draw(f);
	assert_string_equal(line(2), "Long               [abcdefghi>]");
	assert_int_equal(cursor_x(), 20);
	for (int i = 0; i < 12; i++)
		press(f, UI_KEY_RIGHT);
	draw(f);
	/* cut on both sides, the cursor (before m) in view */
	const char *l = line(2);
	assert_memory_equal(l, "Long               [<", 21);
	assert_int_equal(l[29], '>');
	assert_int_equal(l[30], ']');
	int cx = cursor_x();
	assert_true(cx > 20 && cx < 29);
	assert_int_equal(mvinch(2, cx) & A_CHARTEXT, 'm');
	/* a field not focused shows the start */
	ui_form_clear(f);
	ui_form_width(ui_form_text(f, 1, 0, "Long", &s, 0), 10);
	ui_form_static(f, 2, 0, NULL, "after");
	ui_form_button(f, 3, 0, "OK", NULL);
	ui_form_done(f);
	press(f, UI_KEY_TAB);
	draw(f);
	assert_string_equal(line(2), "Long               [abcdefghi>]");
	ui_form_free(f);
	free(s);
}

static int changes;
static void count_change(void *ctx, int id, int arg)
{
	(void)ctx;
	(void)id;
	(void)arg;
	changes++;
}

static void test_paste(void **state)
{
	(void)state;
	start("C.UTF-8", NULL);
	char *s = strdup("ab");
	char *other = strdup("x");
	struct ui_form *f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_on_change(ui_form_text(f, 1, 0, "Name", &s, 0), count_change);
	ui_form_text(f, 2, 0, "Other", &other, 0);
	ui_form_done(f);
	press(f, UI_KEY_LEFT);
	changes = 0;
	/* TAB, LF, ESC, DEL, a C1 (NEL) and a bidi override dropped; the
	 * rest, UTF-8 too, goes into the one field at the cursor */
	ui_form_paste(f, "1\t2\n\x1b[3\x7f"
	                 "4\xc2\x85\xe2\x80\xae\xc3\xa9");
	assert_string_equal(s, "a12[34\xc3\xa9"
	                       "b");
	assert_string_equal(other, "x");
	assert_int_equal(changes, 1);
	ui_form_free(f);
	free(s);
	free(other);
}

/* A screen over a form, for the frame's loop: the message line. */
struct form_screen {
	struct ui_screen screen;
	struct ui_form *f;
};

static void fs_draw(struct ui_screen *s, struct ui_area a)
{
	ui_form_draw(((struct form_screen *)s)->f, a);
}

static enum ui_result fs_key(struct ui_screen *s, int key, enum ui_request r)
{
	enum ui_result res = ui_form_key(((struct form_screen *)s)->f, key, r);
	return res == UI_IGNORED && r == REQ_NONE ? UI_HANDLED : res;
}

/* Runs the key script over the form; the screen stays for reading. */
static void run(struct ui_form *f)
{
	static struct form_screen fs;
	fs.f = f;
	fs.screen = (struct ui_screen){.title = "Form",
	                               .draw = fs_draw,
	                               .key = fs_key,
	                               .keymap = &ui_form_keymap};
	struct ui_tab tab = {"Form", &fs.screen};
	ui_set_tabs(&tab, 1);
	struct ui_loop loop = {.fd = {-1, -1}, .timer_ms = -1};
	assert_int_equal(ui_run(&loop), UI_END_SCRIPT);
}

static void test_max_length(void **state)
{
	(void)state;
	start("C", "1234<Dump>");
	char *s = strdup("ab");
	struct ui_form *f = one_field(&s, 4);
	run(f);
	assert_string_equal(s, "ab12");
	assert_string_equal(line(22), "Name: at most 4 characters");
	ui_form_free(f);
	free(s);
}

/* A text, a box, a button and a radio, each read-only with its reason. */
static struct ui_form *read_only_form(char **login, bool *box, int *choice)
{
	static const char *const opts[] = {"Enabled", "Disabled"};
	struct ui_form *f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_readonly(ui_form_text(f, 1, 0, "User ID", login, 0),
	                 "a User ID never changes");
	ui_form_readonly(ui_form_check(f, 2, 0, "View", box),
	                 "you may not give View");
	ui_form_readonly(ui_form_button(f, 3, 0, "Remove", NULL),
	                 "not yours to remove");
	ui_form_readonly(ui_form_radio(f, 4, 0, "CQRS Access", choice, opts, 2),
	                 "you do not manage this user");
	ui_form_done(f);
	return f;
}

static void test_read_only(void **state)
{
	(void)state;
	start("C", "x<Down><Space><Down><Enter><Down><Right>");
	char *login = strdup("kal738");
	bool box = false;
	int choice = 0;
	struct ui_form *f = read_only_form(&login, &box, &choice);
	draw(f);
	/* no brackets, and dim */
	assert_string_equal(line(2), "User ID             kal738");
	assert_string_equal(line(3), "      View");
	assert_string_equal(line(4), "    Remove");
	assert_string_equal(line(5), "CQRS Access        Enabled");
	assert_true((mvinch(3, 6) & A_ATTRIBUTES) !=
	            (mvinch(2, 0) & A_ATTRIBUTES));
	ui_form_free(f);
	ui_test_stop();

	/* each says why, in the frame's message line */
	static const char *const steps[][2] = {
	    {"x", "User ID: a User ID never changes"},
	    {"<BS>", "User ID: a User ID never changes"},
	    {"<Down><Space>", "View: you may not give View"},
	    {"<Down><Down><Enter>", "Remove: not yours to remove"},
	    {"<Down><Down><Down><Right>",
	     "CQRS Access: you do not manage this user"},
	};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		start("C", steps[i][0]);
		f = read_only_form(&login, &box, &choice);
		run(f);
		assert_string_equal(line(22), steps[i][1]);
		ui_form_free(f);
		ui_test_stop();
	}
	/* nothing changed */
	assert_string_equal(login, "kal738");
	assert_false(box);
	assert_int_equal(choice, 0);
	/* Left and Right still move in a read-only text */
	start("C", NULL);
	f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_readonly(ui_form_text(f, 1, 0, "User ID", &login, 0), "no");
	ui_form_done(f);
	draw(f);
	int end = cursor_x();
	press(f, UI_KEY_LEFT);
	draw(f);
	assert_int_equal(cursor_x(), end - 1);
	ui_form_free(f);
	free(login);
}

/* Four sections of several fields. */
static char *texts[40];
static bool boxes[40];

static void build_sections(struct ui_form *f)
{
	static const char *const heads[] = {
	    "Details", "Access", "Organisation Access", "Study Profile"};
	ui_form_clear(f);
	for (int s = 0; s < 4; s++) {
		ui_form_heading(f, 100 + s, 0, heads[s]);
		for (int i = 0; i < 10; i++) {
			char label[32];
			snprintf(label, sizeof label, "Field %d.%d", s, i);
			if (i % 2)
				ui_form_check(f, s, i, label,
				              &boxes[s * 10 + i]);
			else
				ui_form_text(f, s, i, label, &texts[s * 10 + i],
				             20);
		}
	}
	ui_form_done(f);
}

static void test_sections_and_pages(void **state)
{
	(void)state;
	start("C", NULL);
	struct ui_form *f = ui_form_new(NULL);
	build_sections(f);
	int arg;
	assert_int_equal(ui_form_focus_id(f, &arg), 0);
	assert_int_equal(arg, 0);
	draw(f);
	assert_string_equal(line(2), "Details");
	/* ^F: the first field of the next section, its heading in view */
	press(f, UI_CTRL('f'));
	assert_int_equal(ui_form_focus_id(f, &arg), 1);
	assert_int_equal(arg, 0);
	draw(f);
	assert_string_equal(line(2), "Access");
	press(f, UI_KEY_F(6));
	press(f, UI_CTRL('f'));
	assert_int_equal(ui_form_focus_id(f, &arg), 3);
	assert_int_equal(arg, 0);
	press(f, UI_CTRL('f')); /* round the end: the first section */
	assert_int_equal(ui_form_focus_id(f, &arg), 0);
	press(f, UI_CTRL('b')); /* and back round */
	assert_int_equal(ui_form_focus_id(f, &arg), 3);
	assert_int_equal(arg, 0);
	/* ^B from inside a section: the previous section's first field */
	press(f, UI_KEY_DOWN);
	press(f, UI_KEY_DOWN);
	press(f, UI_CTRL('b'));
	assert_int_equal(ui_form_focus_id(f, &arg), 2);
	assert_int_equal(arg, 0);
	press(f, UI_KEY_F(5));
	press(f, UI_CTRL('b'));
	assert_int_equal(ui_form_focus_id(f, &arg), 0);
	assert_int_equal(arg, 0);
	/* every section within three keys of any other */
	/* PgDn: a screen down (20 rows: 19 rows on), PgUp back */
	draw(f);
	press(f, UI_KEY_PGDN);
	ui_form_focus_id(f, &arg);
	int id = ui_form_focus_id(f, &arg);
	assert_true(id * 11 + arg + 1 >= 19); /* rows: heading + 10 each */
	draw(f);
	int cy = cursor_y();
	assert_true(cy >= 2 && cy < 22);
	press(f, UI_KEY_PGUP);
	assert_int_equal(ui_form_focus_id(f, &arg), 0);
	assert_int_equal(arg, 0);
	/* Home/End outside a text field: first and last fields */
	press(f, UI_KEY_DOWN); /* a box */
	press(f, UI_KEY_END);
	assert_int_equal(ui_form_focus_id(f, &arg), 3);
	assert_int_equal(arg, 9);
	draw(f);
	assert_string_equal(line(21), "  [ ] Field 3.9");
	assert_int_equal(cursor_y(), 21);
	press(f, UI_KEY_HOME);
	assert_int_equal(ui_form_focus_id(f, &arg), 0);
	assert_int_equal(arg, 0);
	/* in a text field Home is the text's: the focus stays */
	press(f, UI_KEY_END);
	assert_int_equal(ui_form_focus_id(f, &arg), 0);
	/* Tab, S-Tab, ^N, ^P */
	press(f, UI_KEY_TAB);
	press(f, UI_CTRL('n'));
	assert_int_equal(ui_form_focus_id(f, &arg), 0);
	assert_int_equal(arg, 2);
	press(f, UI_KEY_BACKTAB);
	press(f, UI_CTRL('p'));
	assert_int_equal(arg, 2);
	ui_form_focus_id(f, &arg);
	assert_int_equal(arg, 0);
	/* Space ticks a box */
	press(f, UI_KEY_DOWN);
	press(f, ' ');
	assert_true(boxes[1]);
	ui_form_free(f);
	for (int i = 0; i < 40; i++) {
		free(texts[i]);
		texts[i] = NULL;
	}
}

static void test_thousand_items(void **state)
{
	(void)state;
	start("C", NULL);
	enum { N = 1000 };
	static bool ticks[N];
	struct ui_form *f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_heading(f, 0, 0, "Clusters");
	for (int i = 0; i < N; i++) {
		char text[32];
		snprintf(text, sizeof text, "C%04d", i);
		assert_non_null(ui_form_check(f, 1, i, text, &ticks[i]));
	}
	ui_form_done(f);
	assert_int_equal(ui_form_count(f), N + 1);
	press(f, UI_KEY_END);
	press(f, ' ');
	assert_true(ticks[N - 1]);
	draw(f);
	assert_string_equal(line(21), "  [x] C0999");
	assert_true(ui_form_focus(f, 1, 420));
	press(f, ' ');
	assert_true(ticks[420]);
	draw(f);
	char want[32];
	snprintf(want, sizeof want, "  [x] C0420");
	assert_string_equal(line(cursor_y()), want);
	ui_form_free(f);
}

static void rebuild_grants(struct ui_form *f, const int *orgs, int n)
{
	static char *dummy;
	ui_form_clear(f);
	ui_form_text(f, 1, 0, "Email", &dummy, 0);
	for (int i = 0; i < n; i++) {
		char text[32];
		snprintf(text, sizeof text, "org %d", orgs[i]);
		ui_form_line(f, 2, orgs[i], text, NULL);
	}
	ui_form_button(f, 3, 0, "Submit", NULL);
	ui_form_done(f);
}

static void test_focus_kept_across_rebuild(void **state)
{
	(void)state;
	start("C", NULL);
	struct ui_form *f = ui_form_new(NULL);
	const int before[] = {10, 20, 30, 40};
	rebuild_grants(f, before, 4);
	assert_true(ui_form_focus(f, 2, 30));
	/* two rows inserted before it, its place changes: the focus
	 * follows its id and arg */
	const int after[] = {5, 6, 10, 20, 30, 40};
	rebuild_grants(f, after, 6);
	int arg;
	assert_int_equal(ui_form_focus_id(f, &arg), 2);
	assert_int_equal(arg, 30);
	/* it goes: the focus on the item that took its place */
	const int gone[] = {5, 6, 10, 20, 40};
	rebuild_grants(f, gone, 5);
	assert_int_equal(ui_form_focus_id(f, &arg), 2);
	assert_int_equal(arg, 40);
	/* a text field's cursor stays where it was */
	char *s = strdup("abcdef");
	ui_form_clear(f);
	ui_form_text(f, 1, 0, "T", &s, 0);
	ui_form_done(f);
	ui_form_focus(f, 1, 0);
	press(f, UI_KEY_LEFT);
	press(f, UI_KEY_LEFT);
	ui_form_clear(f);
	ui_form_static(f, 9, 0, NULL, "new line");
	ui_form_text(f, 1, 0, "T", &s, 0);
	ui_form_done(f);
	type(f, "X");
	assert_string_equal(s, "abcdXef");
	ui_form_free(f);
	free(s);
}

static void test_row_of_boxes(void **state)
{
	(void)state;
	start("C", NULL);
	static const char *const pay[] = {"QOF", "GPES", "DES",
	                                  "CC",  "VAC",  "LES"};
	bool on[6] = {true, false, true, false, false, false};
	struct ui_form *f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_static(f, 0, 0, "Payment Type", "");
	for (int i = 0; i < 6; i++)
		ui_form_same_row(ui_form_check(f, 1, i, pay[i], &on[i]));
	/* roles side by side where they fit, the rest on the next row */
	static const char *const roles[] = {"System Administrator",
	                                    "Advanced User Administrator",
	                                    "User Administrator", "View"};
	bool r[4] = {false};
	ui_form_static(f, 0, 1, "Roles", "");
	for (int i = 0; i < 4; i++)
		ui_form_same_row(ui_form_check(f, 2, i, roles[i], &r[i]));
	ui_form_done(f);
	draw(f);
	assert_string_equal(
	    line(2),
	    "Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  "
	    "[ ] LES");
	assert_string_equal(line(3), "Roles                [ ] System "
	                             "Administrator  [ ] Advanced User "
	                             "Administrator");
	assert_string_equal(line(4), "                     [ ] User "
	                             "Administrator  [ ] View");
	/* Right moves nowhere on a box; Tab goes along the row */
	press(f, UI_KEY_TAB);
	press(f, ' ');
	assert_true(on[1]);
	draw(f);
	assert_int_equal(cursor_y(), 2);
	assert_int_equal(cursor_x(), 31); /* on GPES's mark */
	ui_form_free(f);
}

static const char *const titles[] = {"(none)", "Mr", "Mrs", "Dr"};

static void test_radio_and_choice(void **state)
{
	(void)state;
	start("C", NULL);
	static const char *const access[] = {"Enabled", "Disabled"};
	int a = 0, t = 1;
	struct ui_form *f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_radio(f, 1, 0, "CQRS Access", &a, access, 2);
	ui_form_choice(f, 2, 0, "Title", &t, titles, 4);
	ui_form_done(f);
	draw(f);
	assert_string_equal(line(2),
	                    "CQRS Access        (*) Enabled  ( ) Disabled");
	assert_string_equal(line(3), "Title              < Mr >");
	press(f, UI_KEY_RIGHT);
	assert_int_equal(a, 1);
	press(f, UI_KEY_LEFT);
	assert_int_equal(a, 0);
	press(f, ' ');
	assert_int_equal(a, 1);
	draw(f);
	assert_string_equal(line(2),
	                    "CQRS Access        ( ) Enabled  (*) Disabled");
	press(f, UI_KEY_DOWN);
	press(f, UI_KEY_RIGHT);
	press(f, UI_KEY_RIGHT);
	assert_int_equal(t, 3);
	press(f, UI_KEY_RIGHT); /* round */
	assert_int_equal(t, 0);
	press(f, UI_KEY_LEFT);
	assert_int_equal(t, 3);
	ui_form_free(f);
}

static void test_sticky(void **state)
{
	(void)state;
	start("C", NULL);
	static bool ticks[60];
	struct ui_form *f = ui_form_new(NULL);
	ui_form_clear(f);
	ui_form_heading(f, 0, 0, "Organisation Access");
	for (int i = 0; i < 10; i++) {
		char text[32];
		snprintf(text, sizeof text, "grant %d", i);
		ui_form_line(f, 1, i, text, NULL);
	}
	ui_form_sticky(ui_form_static(f, 2, 0, NULL, "lat04 - LatOrg04"));
	ui_form_subheading(f, 4, 0, "Clusters"); /* the sticky line stays */
	for (int i = 0; i < 60; i++) {
		char text[32];
		snprintf(text, sizeof text, "cluster %d", i);
		ui_form_check(f, 3, i, text, &ticks[i]);
	}
	ui_form_done(f);
	ui_form_focus(f, 3, 40);
	draw(f);
	/* the grant's line stays at the top, the focus in view */
	assert_string_equal(line(2), "  lat04 - LatOrg04");
	assert_string_equal(line(cursor_y()), "  [ ] cluster 40");
	assert_true(cursor_y() > 2);
	/* ^F stops at the part of the section: its first cluster */
	ui_form_focus(f, 1, 0);
	press(f, UI_CTRL('f'));
	int arg;
	assert_int_equal(ui_form_focus_id(f, &arg), 3);
	assert_int_equal(arg, 0);
	ui_form_free(f);
}

static void test_prompt_uses_the_line_editor(void **state)
{
	(void)state;
	start("C", "abd<Left>c<Home>X<C-e><BS><BS>d<Enter>");
	char buf[64] = "";
	assert_true(ui_prompt("Search: ", buf, sizeof buf));
	assert_string_equal(buf, "Xabd");
	ui_test_stop();
	start("C", "12345678<Enter>");
	char small[5] = "";
	assert_true(ui_prompt("Code: ", small, sizeof small));
	assert_string_equal(small, "1234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_editing_keys, ui_test_teardown),
	    cmocka_unit_test_teardown(test_utf8, ui_test_teardown),
	    cmocka_unit_test_teardown(test_c_locale_types_ascii_only,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_scrolling, ui_test_teardown),
	    cmocka_unit_test_teardown(test_paste, ui_test_teardown),
	    cmocka_unit_test_teardown(test_max_length, ui_test_teardown),
	    cmocka_unit_test_teardown(test_read_only, ui_test_teardown),
	    cmocka_unit_test_teardown(test_sections_and_pages,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_thousand_items, ui_test_teardown),
	    cmocka_unit_test_teardown(test_focus_kept_across_rebuild,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_row_of_boxes, ui_test_teardown),
	    cmocka_unit_test_teardown(test_radio_and_choice, ui_test_teardown),
	    cmocka_unit_test_teardown(test_sticky, ui_test_teardown),
	    cmocka_unit_test_teardown(test_prompt_uses_the_line_editor,
	                              ui_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
