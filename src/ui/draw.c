/* draw.c: text and lines. Every string goes through text_sanitize() before
 * its width is measured (wcwidth in a UTF-8 locale; one column a byte in
 * the C locale, where the sanitiser leaves only ASCII), so a hostile value
 * cannot send a control sequence nor leave its cell. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "accessdesk/text.h"
#include "ui_internal.h"

attr_t ui_attrs[STYLE_COUNT];
bool ui_acs = true;
static bool utf8;

void ui_draw_set_utf8(bool on)
{
	utf8 = on;
}

bool ui_utf8(void)
{
	return utf8;
}

/* Byte-wise and ASCII case-insensitive: codes and most names are ASCII;
 * a non-ASCII letter matches itself in the same case. */
static bool starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

bool ui_text_match(const char *typed, const char *const *cells, int n)
{
	if (!typed || !*typed)
		return true;
	if (n > 0 && cells[0] && starts_ci(cells[0], typed))
		return true;
	for (int i = 1; i < n; i++)
		if (cells[i] && contains_ci(cells[i], typed))
			return true;
	return false;
}

int ui_page_rows(void)
{
	return LINES > 8 ? LINES - 6 : 2;
}

/* Decodes sanitised text into wide characters, each with its width (a
 * character wcwidth cannot place becomes '?'). Returns the count. */
static int to_cells(const char *clean, wchar_t *wc, int *wd, int max)
{
	int n = 0;
	const unsigned char *s = (const unsigned char *)clean;
	size_t left = strlen(clean);
	while (left > 0 && n < max) {
		size_t len;
		long cp = text_utf8_decode(s, left, &len);
		wchar_t c = cp < 0 ? L'?' : (wchar_t)cp;
		int w = cp < 0x80 ? 1 : wcwidth(c);
		if (w < 0 || (w == 0 && n == 0)) {
			c = L'?';
			w = 1;
		}
		wc[n] = c;
		wd[n] = w;
		n++;
		s += len;
		left -= len;
	}
	return n;
}

int ui_text_width(const char *text)
{
	char clean[1024];
	wchar_t wc[1024];
	int wd[1024], total = 0;
	text_sanitize(clean, sizeof clean, text, utf8);
	int n = to_cells(clean, wc, wd, 1024);
	for (int i = 0; i < n; i++)
		total += wd[i];
	return total;
}

int ui_text(struct ui_area a, int y, int x, int w, enum ui_style style,
            const char *text)
{
	if (y < 0 || y >= a.h || x >= a.w)
		return 0;
	if (x + w > a.w)
		w = a.w - x;
	if (w <= 0)
		return 0;
	char clean[1024];
	wchar_t wc[1024];
	int wd[1024];
	text_sanitize(clean, sizeof clean, text ? text : "", utf8);
	int n = to_cells(clean, wc, wd, 1024);
	attr_t old_attr;
	short old_pair;
	wattr_get(stdscr, &old_attr, &old_pair, NULL);
	wattrset(stdscr, (int)ui_attrs[style]);
	wmove(stdscr, a.y + y, a.x + x);
	int used = 0;
	for (int i = 0; i < n && used + wd[i] <= w; i++) {
		if (wd[i] == 0) {
			waddnwstr(stdscr, &wc[i], 1); /* a combining mark */
			continue;
		}
		if (utf8) {
			waddnwstr(stdscr, &wc[i], 1);
		} else {
			char c = (char)wc[i];
			waddnstr(stdscr, &c, 1);
		}
		used += wd[i];
	}
	for (int i = used; i < w; i++)
		waddch(stdscr, ' ');
	wattrset(stdscr, (int)old_attr);
	return used;
}

void ui_hline(struct ui_area a, int y)
{
	if (y < 0 || y >= a.h)
		return;
	wattrset(stdscr, (int)ui_attrs[STYLE_NORMAL]);
	/* the wide form, as the tree draws its lines: in a UTF-8 locale
	 * curses sends the Unicode line, elsewhere the terminal's ACS */
	if (ui_acs)
		mvwhline_set(stdscr, a.y + y, a.x, WACS_HLINE, a.w);
	else
		mvwhline(stdscr, a.y + y, a.x, '-', a.w);
}

void ui_cursor(struct ui_area a, int y, int x)
{
	wmove(stdscr, a.y + y, a.x + x);
}

void ui_screen_line(int y, char *line, size_t len)
{
	size_t at = 0;
	int cy, cx;
	getyx(stdscr, cy, cx);
	for (int x = 0; x < COLS && at + 8 < len; x++) {
		cchar_t cc;
		if (mvwin_wch(stdscr, y, x, &cc) == ERR)
			break;
		wchar_t wch[CCHARW_MAX + 1];
		attr_t attr;
		short pair;
		if (getcchar(&cc, wch, &attr, &pair, NULL) == ERR)
			continue;
		if (wch[0] >= 0x80 && wcwidth(wch[0]) == 2)
			x++; /* its second column holds no text */
		for (int i = 0; wch[i] && i < CCHARW_MAX; i++) {
			wchar_t c = wch[i];
			if (attr & A_ALTCHARSET) {
				/* line drawing shows as its ASCII twin */
				line[at++] = c == 'q'   ? '-'
				             : c == 'x' ? '|'
				                        : '+';
				continue;
			}
			if (c < 0x80) {
				line[at++] = (char)c;
			} else {
				mbstate_t st = {0};
				size_t k = wcrtomb(line + at, c, &st);
				if (k != (size_t)-1)
					at += k;
			}
		}
	}
	while (at > 0 && line[at - 1] == ' ')
		at--;
	line[at] = '\0';
	wmove(stdscr, cy, cx);
}

void ui_dump_screen(void)
{
	const char *path = getenv("ACCESSDESK_TEST_DUMP");
	FILE *f = path && *path ? fopen(path, "a") : NULL;
	if (!f)
		return;
	/* where the terminal's cursor is: what a screen reader follows */
	int cy, cx;
	getyx(stdscr, cy, cx);
	for (int y = 0; y < LINES; y++) {
		char line[4096];
		ui_screen_line(y, line, sizeof line);
		fprintf(f, "%s\n", line);
	}
	fprintf(f, "-- cursor %d,%d\n", cy, cx);
	fclose(f);
}
