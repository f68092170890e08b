/* input.c: keys, from the terminal or from a test script.
 *
 * From the terminal: curses' keys become ours; Backspace arrives as 8,
 * 127 or KEY_BACKSPACE and is one key; an escape sequence curses does not
 * know (ESC [ ... or ESC O x) does nothing: it is read whole and dropped,
 * so neither its ESC nor its other bytes act as keys.
 *
 * ESC then a digit is that function key (vt100 has only PF1-PF4; ESC 0 is
 * F10), typed at once or by hand. Curses already waits ESCDELAY
 * (ui.escdelay_ms, short) after an ESC for a sequence to follow, so keys
 * like the arrows stay quick over a slow link. What comes after that is
 * ours to judge, and a person types a digit well after ESCDELAY, so:
 *   - a digit within ui.esc_digit_ms (500 ms) of the ESC: that function
 *     key;
 *   - another ESC: Esc at once (ESC ESC is the quick Esc);
 *   - any other key: Esc, then that key, at once;
 *   - nothing for ui.esc_digit_ms: Esc.
 * So a lone Esc acts after half a second, as Midnight Commander's
 * ESC-digit mode does; the frame's loop keeps serving the database and
 * signals while it waits (ui_input_wait_ms()). Half a second is long
 * enough for a digit typed by hand (0.3 s is usual) and short enough for
 * Back; ESC ESC is there for those who want Esc sooner, and 0 turns the
 * wait off (an ESC and digit sent together still work).
 *
 * Bracketed paste (where the terminal has it, see ui_paste_supported()):
 * ESC [ 200 ~ TEXT ESC [ 201 ~ is one key, UI_KEY_PASTE, whose text is
 * ui_pasted(): C0 controls (TAB, CR, LF included), DEL, C1 controls and
 * the other characters text_is_hostile() names are dropped, invalid UTF-8
 * becomes '?' (so does non-ASCII in a locale that is not UTF-8); the first
 * 4 KB are kept, the rest is read and dropped. So a pasted line break or
 * escape sequence never acts as a key.
 *
 * Test mode, like tig's: ACCESSDESK_TEST_KEYS names a script read instead
 * of the terminal. Each character is a key; <Name> is a named key (<Enter>
 * <Esc> <Tab> <S-Tab> <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home>
 * <End> <BS> <Del> <F1>..<F12> <C-x> <lt> <Dump> <Resize COLSxLINES>
 * <Notified>, which waits for the database's next announcement; <Paste
 * TEXT>, TEXT up to the next '>', is a paste of TEXT); line breaks are
 * ignored, so scripts read well. The script's end closes the console.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "accessdesk/text.h"
#include "ui_internal.h"

static FILE *script;   /* test mode: the key script */
static char buf[4096]; /* what has been read of it */
static size_t at, len;
static int pushed = UI_KEY_NONE; /* a key read ahead */
static char pasted[4096];        /* the text of the last UI_KEY_PASTE */

/* An ESC read, waiting (up to esc_digit_ms) for a digit. */
static int esc_digit_ms = 500;
static bool esc_pending;
static long esc_at; /* when it came, ms */

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

const char *ui_pasted(void)
{
	return pasted;
}

/* Sets the paste's text from the bytes given, as the header says. */
static void paste_set(const char *bytes, size_t n)
{
	const unsigned char *s = (const unsigned char *)bytes;
	size_t o = 0;
	while (n > 0) {
		size_t used;
		long cp = text_utf8_decode(s, n, &used);
		const char *put = NULL;
		size_t put_len = 0;
		if (cp < 0 || (cp >= 0x80 && !ui_utf8())) {
			put = "?";
			put_len = 1;
		} else if (!text_is_hostile(cp)) {
			put = (const char *)s;
			put_len = used;
		}
		if (put && o + put_len >= sizeof pasted)
			break; /* the first 4 KB, whole characters only */
		if (put) {
			memcpy(pasted + o, put, put_len);
			o += put_len;
		}
		s += used;
		n -= used;
	}
	pasted[o] = '\0';
}

void ui_input_flush(void)
{
	pushed = UI_KEY_NONE;
	esc_pending = false;
	flushinp();
}

int ui_input_wait_ms(void)
{
	if (!esc_pending)
		return -1;
	long left = esc_digit_ms - (now_ms() - esc_at);
	return left > 0 ? (int)left : 0;
}

void ui_input_set_esc_digit_ms(int ms)
{
	esc_digit_ms = ms;
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

/* Whether the script's next bytes open a paste ("<Paste "), read only as
 * far as they match it: a shorter name (<Dump>) must not wait for more. */
static bool paste_next(void)
{
	static const char open[] = "<Paste ";
	for (size_t k = 0; k < sizeof open - 1; k++)
		if (have(k + 1) <= k || buf[at + k] != open[k])
			return false;
	return true;
}

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
	if (buf[at] == '<' && paste_next()) {
		/* a paste's text runs to the next '>' (within the buffer) */
		size_t n = 7;
		while (n + 1 < sizeof buf && have(n + 1) > n &&
		       buf[at + n] != '>')
			n++;
		if (have(n + 1) > n && buf[at + n] == '>') {
			paste_set(buf + at + 7, n - 7);
			at += n + 1;
			return UI_KEY_PASTE;
		}
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

/* The rest of a bracketed paste, after its ESC [ 200 ~: bytes up to
 * ESC [ 201 ~ (byte by byte, wgetch: the text's UTF-8 is judged whole by
 * paste_set). A key curses made of an escape sequence inside the paste is
 * dropped; a terminal that never ends the paste ends it by a second's
 * silence. */
static int read_paste(void)
{
	static const char end[] = "\033[201~";
	char raw[sizeof pasted];
	size_t n = 0, matched = 0;
	wtimeout(stdscr, 1000);
	for (;;) {
		int c = wgetch(stdscr);
		if (c == ERR)
			break;
		if (c == KEY_RESIZE) {
			pushed = UI_KEY_RESIZE;
			continue;
		}
		if (c > 0xFF)
			continue; /* a key curses recognised: a sequence */
		if (c == end[matched]) {
			if (++matched == sizeof end - 1)
				break;
			continue;
		}
		/* what looked like the end was text (its ESC is dropped) */
		for (size_t i = 0; i < matched; i++)
			if (n < sizeof raw)
				raw[n++] = end[i];
		matched = c == end[0];
		if (!matched && n < sizeof raw)
			raw[n++] = (char)c;
	}
	paste_set(raw, n);
	return UI_KEY_PASTE;
}

/* After ESC [ (CSI) or ESC O (SS3) that curses did not recognise: reads
 * the rest of the sequence (CSI: parameter and intermediate bytes up to a
 * final byte; SS3: one byte), waiting at most the escape delay for each,
 * so none of it arrives as keys. A byte that cannot belong to it is kept.
 * ESC [ 200 ~ starts a bracketed paste: UI_KEY_PASTE; else UI_KEY_NONE. */
static int read_sequence(bool csi)
{
	char params[8];
	size_t n = 0;
	wtimeout(stdscr, get_escdelay());
	for (int i = 0; i < 32; i++) {
		wint_t ch;
		int r = wget_wch(stdscr, &ch);
		if (r == ERR)
			return UI_KEY_NONE;
		if (r != OK) {
			pushed = from_curses(r, ch);
			return UI_KEY_NONE;
		}
		if (!csi)
			return UI_KEY_NONE; /* SS3's one byte */
		if (ch >= 0x40 && ch <= 0x7E) {
			/* the final byte */
			if (ch == '~' && n == 3 &&
			    memcmp(params, "200", 3) == 0)
				return read_paste();
			return UI_KEY_NONE;
		}
		if (ch < 0x20 || ch > 0x3F) {
			pushed = from_curses(r, ch);
			return UI_KEY_NONE;
		}
		if (n < sizeof params)
			params[n++] = (char)ch;
	}
	return UI_KEY_NONE;
}

/* after_esc()'s "nothing came yet". */
#define ESC_NOTHING (-2)

/* What follows an ESC (read with timeout ms, 0: only what is there): a
 * function key, a paste, Esc (with the key after it pushed), UI_KEY_NONE
 * for an unknown sequence dropped, or ESC_NOTHING. Ends the wait for a
 * digit when something came. */
static int after_esc(int ms)
{
	wint_t ch;
	wtimeout(stdscr, ms);
	int r = wget_wch(stdscr, &ch);
	if (r == ERR)
		return ESC_NOTHING;
	esc_pending = false;
	if (r == OK && ch >= '0' && ch <= '9')
		return UI_KEY_F(ch == '0' ? 10 : (int)(ch - '0'));
	if (r == OK && ch == 27)
		return UI_KEY_ESC; /* ESC ESC: Esc at once */
	if (r == OK && (ch == '[' || ch == 'O')) {
		/* an escape sequence curses does not know, or a paste */
		return read_sequence(ch == '[');
	}
	pushed = from_curses(r, ch);
	return UI_KEY_ESC;
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
	if (esc_pending) {
		int k = after_esc(block ? ui_input_wait_ms() : 0);
		if (k != ESC_NOTHING)
			return k;
		if (ui_input_wait_ms() > 0)
			return UI_KEY_NONE; /* the loop waits the rest */
		esc_pending = false;
		return UI_KEY_ESC; /* no digit came: a lone Esc */
	}
	wint_t ch;
	wtimeout(stdscr, block ? -1 : 0);
	int r = wget_wch(stdscr, &ch);
	if (r == ERR)
		return UI_KEY_NONE;
	int k = from_curses(r, ch);
	if (k != UI_KEY_ESC)
		return k;
	/* curses waited ESCDELAY for a sequence it knows: one it does not
	 * know, or a digit sent with the ESC, is here by now */
	k = after_esc(0);
	if (k != ESC_NOTHING)
		return k;
	if (esc_digit_ms == 0)
		return UI_KEY_ESC;
	esc_pending = true;
	esc_at = now_ms();
	return block ? ui_input_key(true) : UI_KEY_NONE;
}
