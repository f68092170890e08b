/* frame.c: the console's frame: starting and restoring the terminal, the
 * top line, tab bar, message line and key bar, the screen stacks, the one
 * input loop (resize, signals, suspend, the database's notifications), and
 * the help screen generated from the request table.
 *
 * Signals only set flags; the loop acts on them. The terminal is in raw
 * mode, so Ctrl-S reaches us (no XON/XOFF) and Ctrl-Z is a key that
 * suspends with a full redraw on return.
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "accessdesk/config.h"
#include "accessdesk/text.h"
#include "ui_internal.h"

#define MAX_TABS  8
#define MAX_DEPTH 8
#define MIN_COLS  80
#define MIN_LINES 24

static struct {
	bool started;
	SCREEN *term;
	FILE *out, *in;
	struct ui_screen *tabs[MAX_TABS][MAX_DEPTH];
	int depth[MAX_TABS];
	const char *labels[MAX_TABS];
	int n_tabs, tab;
	struct ui_frame_info info;
	char message[512];
	bool message_is_error;
	char notice[512]; /* the server's notices since the last key */
} ui;

static volatile sig_atomic_t hangup;
static sigset_t wait_mask; /* the signal mask while waiting for input */

static void on_signal(int sig)
{
	(void)sig;
	hangup = 1;
}

#if !defined(__SANITIZE_ADDRESS__)
/* A crash still gives the terminal back (as htop does), then dies of the
 * same signal. Not under AddressSanitizer, whose report matters more. */
static void on_fatal(int sig)
{
	endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}
#endif

/* ---- styles ----------------------------------------------------------- */

static attr_t config_attrs(const struct config_style *st, int pair)
{
	attr_t a = A_NORMAL;
	if (st->attrs & CONFIG_ATTR_BOLD)
		a |= A_BOLD;
	if (st->attrs & CONFIG_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (st->attrs & CONFIG_ATTR_REVERSE)
		a |= A_REVERSE;
	return a | (pair ? (attr_t)COLOR_PAIR(pair) : 0);
}

/* Monochrome first: these hold on every terminal; colours are added
 * where the terminal has them and NO_COLOR is unset. */
static void set_styles(const struct config *c)
{
	static const int from_config[STYLE_COUNT] = {
	    [STYLE_NORMAL] = -1,
	    [STYLE_TITLE] = CONFIG_UI_TITLE,
	    [STYLE_TABS] = CONFIG_UI_TABS,
	    [STYLE_TAB_ACTIVE] = CONFIG_UI_TAB_ACTIVE,
	    [STYLE_KEYBAR] = CONFIG_UI_KEYBAR,
	    [STYLE_MESSAGE] = CONFIG_UI_MESSAGE,
	    [STYLE_ERROR] = CONFIG_UI_ERROR,
	    [STYLE_SELECTED] = CONFIG_UI_SELECTED,
	    [STYLE_HEADER] = CONFIG_UI_HEADER,
	    [STYLE_READONLY] = CONFIG_UI_READONLY,
	    [STYLE_BOLD] = -1,
	};
	const char *no_color = getenv("NO_COLOR");
	bool colour =
	    has_colors() && !(no_color && *no_color) && !ui_test_mode();
	if (colour) {
		start_color();
		use_default_colors();
	}
	for (int s = 0; s < STYLE_COUNT; s++) {
		int e = from_config[s];
		if (e < 0 || !c) {
			ui_attrs[s] = s == STYLE_BOLD ? A_BOLD : A_NORMAL;
			continue;
		}
		const struct config_style *st = &c->ui.colours[e];
		int pair = 0;
		if (colour &&
		    (st->fg != CONFIG_COLOUR_DEFAULT ||
		     st->bg != CONFIG_COLOUR_DEFAULT) &&
		    s < COLOR_PAIRS) {
			pair = s;
			init_pair((short)pair, (short)st->fg, (short)st->bg);
		}
		ui_attrs[s] = config_attrs(st, pair);
	}
}

/* ---- start and stop --------------------------------------------------- */

bool ui_start(const struct config *c, bool ascii_lines, char *err, size_t len)
{
	setlocale(LC_ALL, "");
	ui_draw_set_utf8(strcmp(nl_langinfo(CODESET), "UTF-8") == 0);
	if (!ui_input_start(err, len))
		return false;
	const char *term = getenv("TERM");
	if (ui_test_mode()) {
		/* Output to nowhere at a fixed size; keys from the script. */
		const char *size = getenv("ACCESSDESK_TEST_SIZE");
		int cols = 80, lines = 24;
		if (size)
			sscanf(size, "%dx%d", &cols, &lines);
		char buf[32];
		snprintf(buf, sizeof buf, "%d", cols);
		setenv("COLUMNS", buf, 1);
		snprintf(buf, sizeof buf, "%d", lines);
		setenv("LINES", buf, 1);
		ui.out = fopen("/dev/null", "w");
		ui.in = fopen("/dev/null", "r");
		if (!term || !*term)
			term = "vt100";
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			snprintf(err, len,
			         "the console needs a terminal (for "
			         "commands, see --help)");
			ui_input_stop();
			return false;
		}
		ui.out = stdout;
		ui.in = stdin;
	}
	if (!term || !*term) {
		snprintf(err, len,
		         "TERM is not set: set it to your terminal's "
		         "type (vt100, xterm, ...)");
		ui_input_stop();
		return false;
	}
	ui.term = newterm(term, ui.out, ui.in);
	if (!ui.term) {
		snprintf(err, len,
		         "unknown terminal type \"%.64s\": set TERM to a type "
		         "this system knows (vt100, vt220, xterm, screen, ...)",
		         term);
		ui_input_stop();
		return false;
	}
	set_term(ui.term);
	ui.started = true;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(c ? c->ui.escdelay_ms : 25);
	ui_acs = !ascii_lines && !(c && c->ui.ascii_lines);
	set_styles(c);
	ui_keys_configure(c);
	curs_set(1);

	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
#if !defined(__SANITIZE_ADDRESS__)
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
		signal(fatal[i], on_fatal);
#endif
	sigaction(SIGTERM, &sa, NULL);
	/* Held back except while waiting in ppoll(), so a signal that comes
	 * between checking the flag and waiting cannot be missed. */
	sigset_t ends;
	sigemptyset(&ends);
	sigaddset(&ends, SIGHUP);
	sigaddset(&ends, SIGTERM);
	sigprocmask(SIG_BLOCK, &ends, &wait_mask);
	sigdelset(&wait_mask, SIGHUP);
	sigdelset(&wait_mask, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	atexit(ui_stop);
	return true;
}

void ui_stop(void)
{
	if (!ui.started)
		return;
	ui.started = false;
	for (int t = 0; t < ui.n_tabs; t++)
		while (ui.depth[t] > 0) {
			struct ui_screen *s = ui.tabs[t][--ui.depth[t]];
			if (s && s->close)
				s->close(s);
		}
	endwin();
	delscreen(ui.term);
	sigprocmask(SIG_SETMASK, &wait_mask, NULL);
	if (ui.out && ui.out != stdout)
		fclose(ui.out);
	if (ui.in && ui.in != stdin)
		fclose(ui.in);
	ui.out = ui.in = NULL;
	ui_input_stop();
}

void ui_set_tabs(struct ui_screen *const *tabs, const char *const *labels,
                 int n)
{
	ui.n_tabs = n < MAX_TABS ? n : MAX_TABS;
	for (int t = 0; t < ui.n_tabs; t++) {
		ui.labels[t] = labels[t];
		ui.tabs[t][0] = tabs[t];
		ui.depth[t] = tabs[t] ? 1 : 0;
	}
	ui.tab = 0;
}

void ui_set_info(const struct ui_frame_info *info)
{
	ui.info = *info;
}

void ui_push(struct ui_screen *s)
{
	if (ui.depth[ui.tab] < MAX_DEPTH)
		ui.tabs[ui.tab][ui.depth[ui.tab]++] = s;
}

static struct ui_screen *top(void)
{
	int d = ui.depth[ui.tab];
	return d ? ui.tabs[ui.tab][d - 1] : NULL;
}

static void pop(void)
{
	struct ui_screen *s = top();
	if (!s || ui.depth[ui.tab] <= 1)
		return;
	ui.depth[ui.tab]--;
	if (s->close)
		s->close(s);
}

/* ---- messages --------------------------------------------------------- */

static void set_message(bool error, const char *fmt, va_list ap)
{
	vsnprintf(ui.message, sizeof ui.message, fmt, ap);
	ui.message_is_error = error;
}

void ui_message(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(false, fmt, ap);
	va_end(ap);
}

void ui_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(true, fmt, ap);
	va_end(ap);
}

void ui_notice(const char *text)
{
	char clean[sizeof ui.notice];
	size_t at = strlen(ui.notice);
	text_sanitize(clean, sizeof clean, text, ui_utf8());
	snprintf(ui.notice + at, sizeof ui.notice - at, "%sserver: %s",
	         at ? " " : "", clean);
}

/* What the message line shows: the message, then the notices after it. */
static const char *shown_message(void)
{
	static char buf[sizeof ui.message + sizeof ui.notice + 1];
	snprintf(buf, sizeof buf, "%s%s%s", ui.message,
	         ui.message[0] && ui.notice[0] ? " " : "", ui.notice);
	return buf;
}

/* ---- drawing the frame ------------------------------------------------ */

static struct ui_area line_area(int y)
{
	return (struct ui_area){y, 0, 1, COLS};
}

static void draw_top(void)
{
	char buf[256];
	snprintf(buf, sizeof buf, "accessdesk%s  operator %s  database %s%s%s",
	         ui.info.no_root_admin
	             ? "  NO ONE CAN ADMINISTER THE WHOLE TREE"
	             : "",
	         ui.info.operator_login ? ui.info.operator_login : "-",
	         ui.info.database ? ui.info.database : "-",
	         ui.info.demo ? "  DEMO" : "",
	         ui.info.read_only ? "  READ-ONLY" : "");
	ui_text(line_area(0), 0, 0, COLS, STYLE_TITLE, buf);
}

static void draw_tabs(void)
{
	struct ui_area a = line_area(1);
	ui_text(a, 0, 0, COLS, STYLE_TABS, "");
	int x = 0;
	for (int t = 0; t < ui.n_tabs && x < COLS; t++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%d %s", t + 1, ui.labels[t]);
		int w = ui_text_width(buf);
		ui_text(a, 0, x, w, t == ui.tab ? STYLE_TAB_ACTIVE : STYLE_TABS,
		        buf);
		x += w + 1;
	}
}

/* The frame's keys in the bar: help everywhere, quit on a tab's own
 * screen (a form takes q as text). */
static const enum ui_request frame_keys[] = {REQ_HELP, REQ_QUIT, REQ_NONE};
static const enum ui_request frame_keys_inner[] = {REQ_HELP, REQ_NONE};

static void draw_keybar(const struct ui_screen *s)
{
	char bar[512] = "";
	const enum ui_request *lists[] = {
	    s ? s->keybar : NULL,
	    ui.depth[ui.tab] > 1 ? frame_keys_inner : frame_keys};
	/* two spaces between keys; one when that would not fit */
	for (int sep = 2; sep >= 1; sep--) {
		size_t at = 0;
		bar[0] = '\0';
		for (int l = 0; l < 2; l++) {
			for (const enum ui_request *r = lists[l];
			     r && *r != REQ_NONE; r++) {
				const char *label = ui_request_label(*r);
				if (!label)
					continue;
				char key[16];
				ui_request_key_name(*r, key, sizeof key);
				/* over a form, ? may be text: F1 (PF1, or ESC
				 * then 1) is help there */
				if (lists[l] == frame_keys_inner &&
				    *r == REQ_HELP)
					snprintf(key, sizeof key, "F1");

				at += (size_t)snprintf(
				    bar + at, sizeof bar - at, "%s%s %s",
				    at ? (sep == 2 ? "  " : " ") : "", key,
				    label);
				if (at >= sizeof bar)
					at = sizeof bar - 1;
			}
		}
		if (ui_text_width(bar) <= COLS)
			break;
	}
	ui_text(line_area(LINES - 1), 0, 0, COLS, STYLE_KEYBAR, bar);
}

/* The message line; a long message (an explanation) takes up to four
 * lines above the key bar, broken at spaces; the body gives them room, so
 * a message never hides what the operator is working on. Returns the
 * lines the message takes (1 when there is none). */
static int message_lines(const char **lines, int *lens)
{
	int n = 0;
	const char *p = shown_message();
	while (n < 4) {
		int len = (int)strlen(p);
		if (len > COLS - 1 && n < 3) {
			len = COLS - 1;
			while (len > 0 && p[len] != ' ')
				len--;
			if (len == 0)
				len = COLS - 1;
		}
		lines[n] = p;
		lens[n++] = len;
		p += len;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
	}
	return n;
}

static void draw_message(void)
{
	enum ui_style st = ui.message_is_error ? STYLE_ERROR : STYLE_MESSAGE;
	const char *lines[4];
	int lens[4];
	int n = message_lines(lines, lens);
	for (int i = 0; i < n; i++) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%.*s", lens[i], lines[i]);
		ui_text(line_area(LINES - 1 - n + i), 0, 0, COLS, st, buf);
	}
}

static bool too_small(void)

{
	return COLS < MIN_COLS || LINES < MIN_LINES;
}

static void draw(void)
{
	werase(stdscr);
	if (too_small()) {
		char buf[64];
		snprintf(buf, sizeof buf, "Terminal too small: %dx%d needed",
		         MIN_COLS, MIN_LINES);
		struct ui_area a = {LINES / 2, 0, 1, COLS};
		ui_text(a, 0, 0, COLS, STYLE_ERROR, buf);
		ui_cursor(a, 0, 0);
	} else {
		struct ui_screen *s = top();
		draw_top();
		draw_tabs();
		draw_keybar(s);
		const char *lines[4];
		int lens[4];
		struct ui_area body = {
		    2, 0, LINES - 3 - message_lines(lines, lens), COLS};
		if (s && s->draw)
			s->draw(s, body);
		int cy, cx;
		getyx(stdscr, cy, cx);
		draw_message();
		wmove(stdscr, cy, cx);
	}

	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- the help screen -------------------------------------------------- */

struct help {
	struct ui_screen screen;
	const enum ui_request *keys;
	bool inner; /* over a form or view, not over a tab's own screen */
	int top;
	bool more; /* keys below the last row shown */
};

static const enum ui_request help_bar[] = {REQ_BACK, REQ_NONE};

/* The help's closing note, broken at spaces over the area's last rows. */
static const char help_note[] =
    "Function keys, arrows and colour are extras: every action has a "
    "letter. ESC then a digit acts as that function key.";

static int help_note_lines(int w, const char **starts, int *lens, int max)
{
	const char *p = help_note;
	int n = 0;
	while (*p && n < max) {
		int len = (int)strlen(p);
		if (len > w) {
			len = w;
			while (len > 0 && p[len] != ' ')
				len--;
			if (len == 0)
				len = w;
		}
		starts[n] = p;
		lens[n++] = len;
		p += len;
		while (*p == ' ')
			p++;
	}
	return n;
}

static void help_draw(struct ui_screen *s, struct ui_area a)
{
	struct help *h = (struct help *)s;
	static const enum ui_request global[] = {
	    REQ_TAB_1,   REQ_TAB_NEXT,  REQ_TAB_PREV, REQ_UP,   REQ_DOWN,
	    REQ_PAGE_UP, REQ_PAGE_DOWN, REQ_FIRST,    REQ_LAST, REQ_REDRAW,
	    REQ_HELP,    REQ_QUIT,      REQ_NONE};
	/* a form or a view takes the letters, Tab and q for itself: its own
	 * keys (in its key list) and help are all that hold there */
	static const enum ui_request inner[] = {REQ_HELP, REQ_NONE};
	const char *starts[4];
	int lens[4];
	int notes = help_note_lines(a.w, starts, lens, 4);
	/* the keys take the rows above a line and the note */
	int rows = a.h - notes - 1;
	int y = 0, row = 0;
	bool more = false;
	ui_text(a, y++, 0, a.w, STYLE_HEADER, "Keys of this screen");
	const enum ui_request *lists[] = {h->keys, h->inner ? inner : global};
	for (int l = 0; l < 2; l++) {
		if (l == 1 && row++ >= h->top) {
			if (y < rows)
				ui_text(a, y++, 0, a.w, STYLE_HEADER,
				        "Keys everywhere");
			else
				more = true;
		}
		for (const enum ui_request *r = lists[l]; r && *r; r++) {
			const char *help = ui_request_help(*r);
			if (!help || row++ < h->top)
				continue;
			if (y >= rows) {
				more = true;
				continue;
			}
			char key[16], line[256];
			ui_request_key_name(*r, key, sizeof key);
			snprintf(line, sizeof line, "  %-8s %s", key, help);
			ui_text(a, y++, 0, a.w, STYLE_NORMAL, line);
		}
	}
	h->more = more;
	if (more)
		ui_text(a, rows - 1, 0, a.w, STYLE_BOLD,
		        "  (more below: j or Down)");
	ui_hline(a, rows);
	for (int i = 0; i < notes; i++) {
		char line[256];
		snprintf(line, sizeof line, "%.*s", lens[i], starts[i]);
		ui_text(a, rows + 1 + i, 0, a.w, STYLE_NORMAL, line);
	}
	ui_cursor(a, 0, 0);
}

static enum ui_result help_key(struct ui_screen *s, int key, enum ui_request r)
{
	struct help *h = (struct help *)s;
	(void)key;
	if (r == REQ_BACK || r == REQ_HELP || r == REQ_QUIT)
		return UI_CLOSE;
	if ((r == REQ_DOWN || r == REQ_PAGE_DOWN) && h->more)
		h->top++;
	else if ((r == REQ_UP || r == REQ_PAGE_UP) && h->top > 0)
		h->top--;
	return UI_HANDLED;
}

static void help_close(struct ui_screen *s)
{
	free(s);
}

static void open_help(void)
{
	struct ui_screen *below = top();
	struct help *h = calloc(1, sizeof *h);
	if (!h) {
		ui_error("out of memory");
		return;
	}
	h->screen = (struct ui_screen){.title = "Help",
	                               .draw = help_draw,
	                               .key = help_key,
	                               .keybar = help_bar,
	                               .close = help_close};
	h->keys = below ? below->keybar : NULL;
	h->inner = ui.depth[ui.tab] > 1;
	ui_push(&h->screen);
}

/* ---- the loop --------------------------------------------------------- */

static void suspend(void)
{
	def_prog_mode();
	endwin();
	raise(SIGTSTP);
	reset_prog_mode();
	clearok(curscr, TRUE); /* a full redraw on return */
}

/* The next key: typed-ahead keys first, then wait for the keyboard or
 * the watched descriptor. -1: the script ended or a signal came. */
static int next_key(int poll_fd, void (*on_fd)(void *ctx), void *ctx)
{
	for (;;) {
		if (hangup)
			return -1;
		if (ui_test_mode()) {
			/* the database's announcements are taken between
			 * keys; <Notified> waits for the next one */
			int k = ui_input_key(true);
			int wait = k == UI_KEY_NOTIFIED ? 5000 : 0;
			struct pollfd p = {poll_fd, POLLIN, 0};
			if (poll_fd >= 0 && on_fd && poll(&p, 1, wait) > 0) {
				on_fd(ctx);
				if (k == UI_KEY_NOTIFIED)
					return UI_KEY_NONE;
			}
			return k == UI_KEY_NOTIFIED ? UI_KEY_NONE : k;
		}
		int k = ui_input_key(false);
		if (k != UI_KEY_NONE)
			return k;
		struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0},
		                      {poll_fd, POLLIN, 0}};
		int r = ppoll(p, poll_fd >= 0 ? 2 : 1, NULL, &wait_mask);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0 && poll_fd >= 0 && (p[1].revents & POLLIN) && on_fd) {
			on_fd(ctx);
			return UI_KEY_NONE; /* redraw */
		}
		if (r > 0 && (p[0].revents & (POLLHUP | POLLERR)))
			return -1;
		if (r < 0) /* a signal: SIGWINCH becomes KEY_RESIZE */
			continue;
	}
}

void ui_notify_changed(void)
{
	for (int t = 0; t < ui.n_tabs; t++)
		for (int d = 0; d < ui.depth[t]; d++)
			if (ui.tabs[t][d]->changed)
				ui.tabs[t][d]->changed(ui.tabs[t][d]);
}

/* The frame's own requests, when the screen did not take the key. */
static bool frame_request(enum ui_request r)
{
	switch (r) {
	case REQ_QUIT:
		return false;
	case REQ_HELP:
		open_help();
		break;
	case REQ_TAB_1:
	case REQ_TAB_2:
	case REQ_TAB_3:
	case REQ_TAB_4:
	case REQ_TAB_5: {
		int t = (int)(r - REQ_TAB_1);
		if (t < ui.n_tabs && ui.depth[t] > 0)
			ui.tab = t;
		else if (t < ui.n_tabs)
			ui_error("%s is not part of this version of accessdesk",
			         ui.labels[t]);
		break;
	}
	case REQ_TAB_NEXT:
	case REQ_TAB_PREV:
		for (int i = 1; i <= ui.n_tabs; i++) {
			int t = (ui.tab + (r == REQ_TAB_NEXT ? i : -i) +
			         ui.n_tabs) %
			        ui.n_tabs;
			if (ui.depth[t] > 0) {
				ui.tab = t;
				break;
			}
		}
		break;
	case REQ_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
	return true;
}

void ui_run(int poll_fd, void (*on_fd)(void *ctx), void *ctx)
{
	for (;;) {
		draw();
		int key = next_key(poll_fd, on_fd, ctx);
		if (key < 0)
			break;
		if (key == UI_KEY_NONE || key == UI_KEY_RESIZE)
			continue;
		if (key == UI_KEY_DUMP) {
			ui_dump_screen();
			continue;
		}
		if (key == UI_CTRL('z')) {
			suspend();
			continue;
		}
		ui.message[0] = '\0';
		ui.notice[0] = '\0';
		if (too_small()) {
			if (key == 'q')
				break;
			continue;
		}
		struct ui_screen *s = top();
		enum ui_request r = ui_request_of(key);
		enum ui_result res =
		    s && s->key ? s->key(s, key, r) : UI_IGNORED;
		if (res == UI_QUIT)
			break;
		if (res == UI_CLOSE) {
			pop();
			continue;
		}
		if (res == UI_IGNORED && !frame_request(r))
			break;
	}
}

/* ---- questions on the message line ------------------------------------ */

/* Draws the prompt line over the message line and returns the key. */
static int ask(const char *text, int cursor_x)
{
	draw();
	struct ui_area a = line_area(LINES - 2);
	ui_text(a, 0, 0, COLS, STYLE_MESSAGE, text);
	ui_cursor(a, 0, cursor_x < COLS ? cursor_x : COLS - 1);
	wnoutrefresh(stdscr);
	doupdate();
	int k;
	while ((k = next_key(-1, NULL, NULL)) == UI_KEY_DUMP)
		ui_dump_screen(); /* test mode: the question is on screen */
	return k;
}

bool ui_confirm(const char *question)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s (y/n) ", question);
	for (;;) {
		int k = ask(buf, ui_text_width(buf));
		if (k == 'y' || k == 'Y')
			return true;
		if (k == 'n' || k == 'N' || k == UI_KEY_ESC || k < 0)
			return false;
	}
}

bool ui_prompt(const char *prompt, char *buf, size_t len)
{
	size_t n = strlen(buf);
	for (;;) {
		char line[1024];
		snprintf(line, sizeof line, "%s%s", prompt, buf);
		int k = ask(line, ui_text_width(line));
		if (k < 0 || k == UI_KEY_ESC)
			return false;
		if (k == UI_KEY_ENTER || k == '\r')
			return true;
		if (k == UI_CTRL('u')) {
			n = 0; /* clears the line, as in a form's field */
			buf[0] = '\0';
		} else if (k == UI_KEY_BACKSPACE) {
			while (n > 0 &&

			       ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
				n--;
			if (n > 0)
				n--;
			buf[n] = '\0';
		} else if (k >= 32 && k < UI_KEY_BASE && k != 127) {
			char enc[8];
			mbstate_t st = {0};
			size_t e =
			    ui_utf8() ? wcrtomb(enc, (wchar_t)k, &st) : 1;
			if (!ui_utf8()) {
				if (k > 126)
					continue;
				enc[0] = (char)k;
			}
			if (e != (size_t)-1 && n + e < len) {
				memcpy(buf + n, enc, e);
				n += e;
				buf[n] = '\0';
			}
		}
	}
}
