/* line.c: the one line editor (ui_line.h), shared by the form's text
 * fields and the frame's prompt. The text is UTF-8 and the cursor a byte
 * offset kept at code point boundaries; widths come from ui_text_width(),
 * the drawing code's own measure, so the view and the screen agree. */
#include <stdlib.h>
#include <string.h>

#include "accessdesk/text.h"
#include "accessdesk/ui_line.h"

/* Bytes of the code point starting at s[at] (1 for an invalid byte). */
static size_t cp_len(const char *s, size_t at)
{
	size_t n = strlen(s + at), len;
	if (n == 0)
		return 0;
	text_utf8_decode((const unsigned char *)s + at, n, &len);
	return len ? len : 1;
}

/* The start of the code point before byte at. */
static size_t cp_before(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	size_t p = at - 1;
	while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80)
		p--;
	return p;
}

static size_t cp_count(const char *s)
{
	size_t n = 0;
	for (size_t at = 0; s[at]; at += cp_len(s, at))
		n++;
	return n;
}

/* Columns of the bytes [from, to) as drawn. */
static int width_of(const char *s, size_t from, size_t to)
{
	char buf[1024];
	size_t n = to - from;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s + from, n);
	buf[n] = '\0';
	return ui_text_width(buf);
}

static int encode(long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A code point a line may hold: no control (C0, DEL, C1), nothing the
 * sanitiser would replace, only ASCII in a C locale. */
static bool allowed(long cp)
{
	if (cp < 32 || cp == 127 || (cp >= 0x80 && cp < 0xA0) ||
	    cp >= UI_KEY_BASE || text_is_hostile(cp))
		return false;
	return cp < 127 || ui_utf8();
}

bool ui_line_printable(int key)
{
	return key > 0 && allowed(key);
}

bool ui_line_init(struct ui_line *l, char **text, size_t max_chars)
{
	if (!*text && !(*text = strdup("")))
		return false;
	*l = (struct ui_line){
	    .text = text, .cursor = strlen(*text), .max_chars = max_chars};
	return true;
}

/* Replaces bytes [from, to) with ins (n bytes). */
static bool splice(struct ui_line *l, size_t from, size_t to, const char *ins,
                   size_t n)
{
	char *s = *l->text;
	size_t len = strlen(s);
	char *t = malloc(len - (to - from) + n + 1);
	if (!t) {
		ui_error("out of memory");
		return false;
	}
	memcpy(t, s, from);
	memcpy(t + from, ins, n);
	memcpy(t + from + n, s + to, len - to + 1);
	free(s);
	*l->text = t;
	l->cursor = from + n;
	if (l->scroll > strlen(t))
		l->scroll = 0;
	return true;
}

static enum ui_line_result cut(struct ui_line *l, size_t from, size_t to)
{
	if (from == to)
		return UI_LINE_MOVED;
	if (!splice(l, from, to, "", 0))
		return UI_LINE_IGNORED;
	l->cursor = from;
	return UI_LINE_CHANGED;
}

static bool is_space(char c)
{
	return c == ' ';
}

bool ui_line_request_edits(enum ui_request r)
{
	switch (r) {
	case REQ_DELETE_BACK:
	case REQ_DELETE_CHAR:
	case REQ_DELETE_WORD:
	case REQ_KILL_LINE:
	case REQ_KILL_END:
		return true;
	default:
		return false;
	}
}

enum ui_line_result ui_line_request(struct ui_line *l, enum ui_request r)
{
	const char *s = *l->text;
	size_t len = strlen(s), at = l->cursor;
	switch (r) {
	case REQ_LEFT:
		l->cursor = cp_before(s, at);
		return UI_LINE_MOVED;
	case REQ_RIGHT:
		l->cursor = at + cp_len(s, at);
		return UI_LINE_MOVED;
	case REQ_LINE_START:
		l->cursor = 0;
		return UI_LINE_MOVED;
	case REQ_LINE_END:
		l->cursor = len;
		return UI_LINE_MOVED;
	case REQ_DELETE_BACK:
		return cut(l, cp_before(s, at), at);
	case REQ_DELETE_CHAR:
		return cut(l, at, at + cp_len(s, at));
	case REQ_DELETE_WORD: {
		/* as a shell's ^W: the spaces before the cursor, then the
		 * word before them */
		size_t p = at;
		while (p > 0 && is_space(s[p - 1]))
			p--;
		while (p > 0 && !is_space(s[p - 1]))
			p = cp_before(s, p);
		return cut(l, p, at);
	}
	case REQ_KILL_LINE:
		return cut(l, 0, len);
	case REQ_KILL_END:
		return cut(l, at, len);
	default:
		return UI_LINE_IGNORED;
	}
}

enum ui_line_result ui_line_insert(struct ui_line *l, const char *text)
{
	size_t n = strlen(text);
	char *clean = malloc(n + 1);
	if (!clean) {
		ui_error("out of memory");
		return UI_LINE_IGNORED;
	}
	size_t out = 0, chars = 0;
	for (size_t at = 0; at < n;) {
		size_t len;
		long cp = text_utf8_decode((const unsigned char *)text + at,
		                           n - at, &len);
		if (len == 0)
			len = 1;
		if (cp >= 0 && allowed(cp)) {
			memcpy(clean + out, text + at, len);
			out += len;
			chars++;
		}
		at += len;
	}
	clean[out] = '\0';
	if (out == 0) {
		free(clean);
		return UI_LINE_IGNORED;
	}
	const char *label = l->label ? l->label : "This field";
	size_t have = strlen(*l->text);
	if (l->max_chars && cp_count(*l->text) + chars > l->max_chars) {
		ui_error("%s: at most %zu characters", label, l->max_chars);
		free(clean);
		return UI_LINE_REFUSED;
	}
	if (l->max_bytes && have + out > l->max_bytes) {
		ui_error("%s: no room for more", label);
		free(clean);
		return UI_LINE_REFUSED;
	}
	bool ok = splice(l, l->cursor, l->cursor, clean, out);
	free(clean);
	return ok ? UI_LINE_CHANGED : UI_LINE_IGNORED;
}

enum ui_line_result ui_line_key(struct ui_line *l, int key)
{
	enum ui_request r = ui_keymap_request(&ui_text_keymap, key);
	if (r != REQ_NONE)
		return ui_line_request(l, r);
	if (key == UI_KEY_PASTE)
		return ui_line_insert(l, ui_pasted());
	if (ui_line_printable(key)) {
		char enc[5];
		enc[encode(key, enc)] = '\0';
		return ui_line_insert(l, enc);
	}
	return UI_LINE_IGNORED;
}

/* Does the view from l->scroll fit w columns with the cursor in view?
 * *right gets whether the right is cut. */
static bool fits(const struct ui_line *l, int w, bool *right)
{
	const char *s = *l->text;
	size_t len = strlen(s);
	int left = l->scroll > 0 ? 1 : 0;
	int avail = w - left;
	int before = width_of(s, l->scroll, l->cursor);
	int after = width_of(s, l->cursor, len);
	if (before + after + (l->cursor == len ? 1 : 0) <= avail) {
		*right = false;
		return true;
	}
	*right = true; /* the cursor's cell, and one for the marker */
	return before + 2 <= avail;
}

int ui_line_view(struct ui_line *l, int w, char *out, size_t len)
{
	const char *s = *l->text;
	bool right = false;
	if (len == 0)
		return 0;
	out[0] = '\0';
	if (w < 3)
		return 0;
	if (l->cursor > strlen(s))
		l->cursor = strlen(s);
	if (l->scroll > l->cursor)
		l->scroll = l->cursor;
	while (!fits(l, w, &right) && l->scroll < l->cursor)
		l->scroll += cp_len(s, l->scroll);
	/* after a deletion, fill the room on the right with text from the
	 * left, as long as nothing on the right is cut */
	while (l->scroll > 0 && !right) {
		size_t keep = l->scroll;
		l->scroll = cp_before(s, l->scroll);
		if (!fits(l, w, &right) || right) {
			l->scroll = keep;
			fits(l, w, &right);
			break;
		}
	}
	size_t at = 0;
	int col = 0;
	if (l->scroll > 0 && at + 1 < len) {
		out[at++] = '<';
		col = 1;
	}
	int cursor_col = col;
	int limit = w - (right ? 1 : 0);
	for (size_t p = l->scroll; s[p];) {
		size_t n = cp_len(s, p);
		int cw = width_of(s, p, p + n);
		if (p == l->cursor)
			cursor_col = col;
		if (col + cw > limit || at + n + 2 > len)
			break;
		memcpy(out + at, s + p, n);
		at += n;
		col += cw;
		p += n;
		if (p == l->cursor)
			cursor_col = col;
	}
	if (right && at + 1 < len) {
		while (col < w - 1 && at + 2 < len) {
			out[at++] = ' ';
			col++;
		}
		out[at++] = '>';
	}
	out[at] = '\0';
	return cursor_col < w ? cursor_col : w - 1;
}

int ui_line_draw(struct ui_line *l, struct ui_area a, int y, int x, int w,
                 enum ui_style style)
{
	char view[1024];
	int cx = ui_line_view(l, w, view, sizeof view);
	ui_text(a, y, x, w, style, view);
	return x + cx;
}
