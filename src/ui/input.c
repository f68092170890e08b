/* input.c: keys, from the terminal or from a test script.
 *
 * From the terminal: curses' keys become ours; Backspace arrives as 8,
 * 127 or KEY_BACKSPACE and is one key; ESC followed at once by a digit is
 * that function key (vt100 has only PF1-PF4); an escape sequence curses
 * does not know (ESC [ ... or ESC O x) does nothing: it is read whole and
 * dropped, so neither its ESC nor its other bytes act as keys.
 *
 * Test mode, like tig's: ACCESSDESK_TEST_KEYS names a script read instead
 * of the terminal. Each character is a key; <Name> is a named key (<Enter>
 * <Esc> <Tab> <S-Tab> <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home>
 * <End> <BS> <Del> <F1>..<F12> <C-x> <lt> <Dump> <Resize COLSxLINES>
 * <Notified>, which waits for the database's next announcement);
 * line breaks are ignored, so scripts read well. The script's end closes
 * the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/text.h"
#include "ui_internal.h"

static FILE *script;   /* test mode: the key script */
static char buf[4096]; /* what has been read of it */
static size_t at, len;
static int pushed = UI_KEY_NONE; /* a key read ahead */
static char pasted[4096];        /* the text of the last UI_KEY_PASTE */

const char *ui_pasted(void)
{
	return pasted;
}

bool ui_test_mode(void)
{
	return script != NULL;
}

bool ui_input_start(char *err, size_t errlen)
{
	const char *path = getenv("ACCESSDESK_TEST_KEYS");
	if (!path || !*path)
		return true;
	/* Read as it comes (a FIFO lets a test feed keys in steps). */
	script = fopen(path, "rb");
	if (!script) {
		snprintf(err, errlen, "%s: cannot read the key script", path);
		return false;
	}
	at = len = 0;
	return true;
}

void ui_input_stop(void)
{
	if (script)
		fclose(script);
	script = NULL;
}

/* Makes at least `need` unread bytes available unless the script ends;
 * returns how many are. */
static size_t have(size_t need)
{
	if (len - at >= need)
		return len - at;
	memmove(buf, buf + at, len - at);
	len -= at;
	at = 0;
	while (len < need) {
		/* one byte at a time: a FIFO's writer waits for what we
		 * draw, so we must not wait for more than we need */
		int c = fgetc(script);
		if (c == EOF)
			break;
		buf[len++] = (char)c;
	}
	return len - at;
}

static const struct {
	const char *name;
	int key;
} named[] = {
    {"Enter", UI_KEY_ENTER},
    {"Esc", UI_KEY_ESC},
    {"Tab", UI_KEY_TAB},
    {"S-Tab", UI_KEY_BACKTAB},
    {"Up", UI_KEY_UP},
    {"Down", UI_KEY_DOWN},
    {"Left", UI_KEY_LEFT},
    {"Right", UI_KEY_RIGHT},
    {"PgUp", UI_KEY_PGUP},
    {"PgDn", UI_KEY_PGDN},
    {"Home", UI_KEY_HOME},
    {"End", UI_KEY_END},
    {"BS", UI_KEY_BACKSPACE},
    {"Del", UI_KEY_DELETE},
    {"lt", '<'},
    {"Dump", UI_KEY_DUMP},
    {"Notified", UI_KEY_NOTIFIED},
    {"Space", ' '},
};

/* The next key of the script; -1 at its end. */
static int script_key(void)
{
	for (;;) {
		if (have(1) == 0)
			return -1;
		if (buf[at] != '\n' && buf[at] != '\r')
			break;
		at++;
	}
	if (buf[at] == '<') {
		/* a name runs to '>' within 32 bytes; else '<' is a key */
		size_t n = 1;
		while (n < 32 && have(n + 1) > n && buf[at + n] != '>')
			n++;
		if (n < 32 && have(n + 1) > n && buf[at + n] == '>') {
			char name[32];
			memcpy(name, buf + at + 1, n - 1);
			name[n - 1] = '\0';
			at += n + 1;
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
	unsigned char lead = (unsigned char)buf[at];
	size_t want = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
	size_t n = have(want), used;

	long cp = text_utf8_decode((const unsigned char *)buf + at, n, &used);
	at += used;
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

/* After ESC [ (CSI) or ESC O (SS3) that curses did not recognise: reads
 * the rest of the sequence (CSI: parameter and intermediate bytes up to a
 * final byte; SS3: one byte), waiting at most the escape delay for each,
 * so none of it arrives as keys. A byte that cannot belong to it is kept. */
static void skip_sequence(bool csi)
{
	wtimeout(stdscr, get_escdelay());
	for (int i = 0; i < 32; i++) {
		wint_t ch;
		int r = wget_wch(stdscr, &ch);
		if (r == ERR)
			return;
		if (r != OK) {
			pushed = from_curses(r, ch);
			return;
		}
		if (!csi || (ch >= 0x40 && ch <= 0x7E))
			return; /* the final byte */
		if (ch < 0x20 || ch > 0x3F) {
			pushed = from_curses(r, ch);
			return;
		}
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
		if (r == OK && (ch == '[' || ch == 'O')) {
			/* an escape sequence curses does not know */
			skip_sequence(ch == '[');
			return UI_KEY_NONE;
		}
		if (r != ERR)
			pushed = from_curses(r, ch);
	}
	return k;
}
