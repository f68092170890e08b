/* input.c: keys, from the terminal or from a test script.
 *
 * From the terminal: curses' keys become ours; Backspace arrives as 8,
 * 127 or KEY_BACKSPACE and is one key; ESC followed at once by a digit is
 * that function key (vt100 has only PF1-PF4); an escape sequence curses
 * does not know does nothing.
 *
 * Test mode, like tig's: ACCESSDESK_TEST_KEYS names a script read instead
 * of the terminal. Each character is a key; <Name> is a named key (<Enter>
 * <Esc> <Tab> <S-Tab> <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home>
 * <End> <BS> <Del> <F1>..<F12> <C-x> <lt> <Dump> <Resize COLSxLINES>);
 * line breaks are ignored, so scripts read well. The script's end closes
 * the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/text.h"
#include "ui_internal.h"

static char *script; /* test mode: the whole key script */
static size_t at, script_len;
static int pushed = UI_KEY_NONE; /* a key read ahead */

bool ui_test_mode(void)
{
	return script != NULL;
}

bool ui_input_start(char *err, size_t len)
{
	const char *path = getenv("ACCESSDESK_TEST_KEYS");
	if (!path || !*path)
		return true;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, len, "%s: cannot read the key script", path);
		return false;
	}
	size_t cap = 4096;
	script = malloc(cap);
	size_t n;
	script_len = 0;
	while (script && (n = fread(script + script_len, 1,
	                            cap - script_len - 1, f)) > 0) {
		script_len += n;
		if (script_len + 1 == cap) {
			char *p = realloc(script, cap *= 2);
			if (!p) {
				free(script);
				script = NULL;
			}
			script = p;
		}
	}
	fclose(f);
	if (!script) {
		snprintf(err, len, "out of memory");
		return false;
	}
	script[script_len] = '\0';
	at = 0;
	return true;
}

void ui_input_stop(void)
{
	free(script);
	script = NULL;
}

static const struct {
	const char *name;
	int key;
} named[] = {
    {"Enter", UI_KEY_ENTER},   {"Esc", UI_KEY_ESC},     {"Tab", UI_KEY_TAB},
    {"S-Tab", UI_KEY_BACKTAB}, {"Up", UI_KEY_UP},       {"Down", UI_KEY_DOWN},
    {"Left", UI_KEY_LEFT},     {"Right", UI_KEY_RIGHT}, {"PgUp", UI_KEY_PGUP},
    {"PgDn", UI_KEY_PGDN},     {"Home", UI_KEY_HOME},   {"End", UI_KEY_END},
    {"BS", UI_KEY_BACKSPACE},  {"Del", UI_KEY_DELETE},  {"lt", '<'},
    {"Dump", UI_KEY_DUMP},     {"Space", ' '},
};

/* The next key of the script; -1 at its end. */
static int script_key(void)
{
	for (;;) {
		if (at >= script_len)
			return -1;
		if (script[at] == '\n' || script[at] == '\r') {
			at++;
			continue;
		}
		break;
	}
	if (script[at] == '<') {
		char *end = strchr(script + at, '>');
		if (end && end - (script + at) < 32) {
			char name[32];
			size_t n = (size_t)(end - (script + at)) - 1;
			memcpy(name, script + at + 1, n);
			name[n] = '\0';
			at += n + 2;
			for (size_t i = 0; i < sizeof named / sizeof *named;
			     i++)
				if (strcmp(name, named[i].name) == 0)
					return named[i].key;
			if (name[0] == 'F' && atoi(name + 1) > 0)
				return UI_KEY_F(atoi(name + 1));
			if (strncmp(name, "C-", 2) == 0 && name[2])
				return UI_CTRL(name[2]);
			int cols, lines;
			if (sscanf(name, "Resize %dx%d", &cols, &lines) == 2) {
				resizeterm(lines, cols);
				return UI_KEY_RESIZE;
			}
			return UI_KEY_NONE; /* unknown names do nothing */
		}
	}
	size_t len;
	long cp = text_utf8_decode((const unsigned char *)script + at,
	                           script_len - at, &len);
	at += len;
	return cp < 0 ? UI_KEY_NONE : (int)cp;
}

static int from_curses(int r, wint_t ch)
{
	if (r == OK) {
		if (ch == 8 || ch == 127)
			return UI_KEY_BACKSPACE;
		return (int)ch;
	}
	switch (ch) {
	case KEY_UP:
		return UI_KEY_UP;
	case KEY_DOWN:
		return UI_KEY_DOWN;
	case KEY_LEFT:
		return UI_KEY_LEFT;
	case KEY_RIGHT:
		return UI_KEY_RIGHT;
	case KEY_PPAGE:
		return UI_KEY_PGUP;
	case KEY_NPAGE:
		return UI_KEY_PGDN;
	case KEY_HOME:
		return UI_KEY_HOME;
	case KEY_END:
		return UI_KEY_END;
	case KEY_BTAB:
		return UI_KEY_BACKTAB;
	case KEY_BACKSPACE:
		return UI_KEY_BACKSPACE;
	case KEY_DC:
		return UI_KEY_DELETE;
	case KEY_ENTER:
		return UI_KEY_ENTER;
	case KEY_RESIZE:
		return UI_KEY_RESIZE;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(63))
			return UI_KEY_F(ch - KEY_F0);
		return UI_KEY_NONE; /* a key we do not know does nothing */
	}
}

int ui_input_key(bool block)
{
	if (pushed != UI_KEY_NONE) {
		int k = pushed;
		pushed = UI_KEY_NONE;
		return k;
	}
	if (script)
		return script_key();
	wint_t ch;
	wtimeout(stdscr, block ? -1 : 0);
	int r = wget_wch(stdscr, &ch);
	if (r == ERR)
		return UI_KEY_NONE;
	int k = from_curses(r, ch);
	if (k == UI_KEY_ESC) {
		/* ESC then a digit at once: that function key */
		wtimeout(stdscr, 0);
		r = wget_wch(stdscr, &ch);
		if (r == OK && ch >= '0' && ch <= '9')
			return UI_KEY_F(ch == '0' ? 10 : (int)(ch - '0'));
		if (r != ERR)
			pushed = from_curses(r, ch);
	}
	return k;
}
