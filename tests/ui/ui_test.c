/* ui_test.c: the widget tests' shared helpers (ui_test.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui_test.h"

static char script[64]; /* the key script's path, while there is one */

static void remove_script(void)
{
	if (script[0])
		unlink(script);
	script[0] = '\0';
}

static bool write_script(const char *keys)
{
	snprintf(script, sizeof script, "/tmp/ui_test_keys.XXXXXX");
	int fd = mkstemp(script);
	if (fd < 0) {
		script[0] = '\0';
		return false;
	}
	size_t len = strlen(keys);
	bool ok = write(fd, keys, len) == (ssize_t)len;
	close(fd);
	return ok;
}

bool ui_test_start(const struct ui_test_options *o)
{
	static const struct ui_test_options none;
	char size[32], err[256];
	if (!o)
		o = &none;
	remove_script();
	snprintf(size, sizeof size, "%dx%d", o->cols ? o->cols : 80,
	         o->lines ? o->lines : 24);
	setenv("ACCESSDESK_TEST_SIZE", size, 1);
	if (o->locale)
		setenv("LC_ALL", o->locale, 1);
	setenv("TERM", "vt100", 1);
	if (o->keys && !write_script(o->keys)) {
		printf("# the key script was not written\n");
		remove_script();
		return false;
	}
	setenv("ACCESSDESK_TEST_KEYS", o->keys ? script : "/dev/null", 1);
	if (!ui_start(o->config, o->ascii, err, sizeof err)) {
		printf("# ui_start: %s\n", err);
		return false;
	}
	return true;
}

void ui_test_stop(void)
{
	ui_stop();
	remove_script();
}

int ui_test_setup(void **state)
{
	(void)state;
	return ui_test_start(NULL) ? 0 : -1;
}

int ui_test_teardown(void **state)
{
	(void)state;
	ui_test_stop();
	return 0;
}

const struct ui_area body = {2, 0, 20, 80};

const char *line(int y)
{
	static char buf[4][512];
	static int next;
	char *b = buf[next++ % 4];
	ui_screen_line(y, b, sizeof buf[0]);
	return b;
}

int row_of(const char *text)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(line(y), text))
			return y;
	return -1;
}

const char *frame_line(int y)
{
	ui_run(NULL);
	return line(y);
}

int cursor_x(void)
{
	int y, x;
	getyx(stdscr, y, x);
	(void)y;
	return x;
}

int cursor_y(void)
{
	int y, x;
	getyx(stdscr, y, x);
	(void)x;
	return y;
}

attr_t attr_at(int y, int x, wchar_t *ch)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t attr;
	short pair;
	assert_int_not_equal(mvwin_wch(stdscr, y, x, &cc), ERR);
	assert_int_not_equal(getcchar(&cc, wch, &attr, &pair, NULL), ERR);
	if (ch)
		*ch = wch[0];
	return attr;
}

enum ui_result key(struct ui_screen *s, int k)
{
	/* as ui_run resolves it for a screen over a tab's own */
	enum ui_request r =
	    ui_keymap_request_in(s->keymap, &ui_inner_keymap, k);
	if (r == REQ_NONE && !s->keymap)
		r = ui_keymap_request(&ui_inner_keymap, k);
	return s->key(s, k, r);
}

void draw_screen(struct ui_screen *s)
{
	werase(stdscr);
	s->draw(s, body);
}

char *heap_copy(const char *s)
{
	char *d = strdup(s);
	assert_non_null(d);
	return d;
}

void picked(void *ctx, const char *code)
{
	struct pick *p = ctx;
	p->calls++;
	snprintf(p->code, sizeof p->code, "%s", code);
}
