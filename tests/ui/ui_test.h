/* ui_test.h: what the widget tests in tests/ui/ share: curses started in
 * test mode (output to nowhere, a fixed size, keys from a script written
 * for the test), the screen read back as text, keys given to a screen as
 * the frame gives them, and small fixtures. For the cmocka tests only:
 * the helpers assert. */
#ifndef ACCESSDESK_TESTS_UI_TEST_H
#define ACCESSDESK_TESTS_UI_TEST_H

#include <stdbool.h>
#include <wchar.h>

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "accessdesk/config.h"
#include "accessdesk/ui.h"

/* How curses is started; zero for each: 80x24, the environment's locale,
 * no configuration (plain styles, the default keys), ACS lines, no keys. */
struct ui_test_options {
	int cols, lines;
	const char *locale;          /* LC_ALL */
	const struct config *config; /* given to ui_start */
	bool ascii;                  /* ASCII lines, not the terminal's ACS */
	const char *keys; /* the key script, for prompts and ui_run */
};

/* Starts curses in test mode (NULL: all the defaults); false, and why on
 * stdout as a TAP comment, when it does not start. A key script left by
 * the last start is removed first. */
bool ui_test_start(const struct ui_test_options *o);
/* Stops curses and removes the key script. */
void ui_test_stop(void);
/* cmocka's setup (curses with the defaults) and teardown (ui_test_stop),
 * for a test or a group. */
int ui_test_setup(void **state);
int ui_test_teardown(void **state);

/* The frame's body at 80x24: under the tab and title lines, above the
 * message line and the key bar. */
extern const struct ui_area body;

/* Row y of the screen as text (ui_screen_line). Four buffers in turn, so
 * that a few calls may be held and compared. */
const char *line(int y);
/* The first row of the screen showing text, or -1. */
int row_of(const char *text);
/* The frame drawn once (the key script has ended: ui_run draws and
 * returns), then its row y: the message line, the key bar. */
const char *frame_line(int y);
/* The terminal cursor's column and row. */
int cursor_x(void);
int cursor_y(void);
/* The attributes of the cell at (y, x); its character in *ch if not
 * NULL. */
attr_t attr_at(int y, int x, wchar_t *ch);

/* A key given to a screen pushed over a tab as the frame's loop gives it:
 * with the request it means along the screen's key map chain and then the
 * frame's inner map. */
enum ui_result key(struct ui_screen *s, int k);
/* The screen drawn into the body of a cleared screen. */
void draw_screen(struct ui_screen *s);

/* A copy on the heap, for the tests that free the caller's data while a
 * widget holds it. */
char *heap_copy(const char *s);

/* What a picker's callback was given, and the callback (ctx: a struct
 * pick). */
struct pick {
	int calls;
	char code[32];
};
void picked(void *ctx, const char *code);

#endif
