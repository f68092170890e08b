/* frame.c: the console's frame: starting and restoring the terminal, the
 * top line, tab bar, message line and key bar, the screen stacks, the one
 * input loop (resize, signals, suspend, the database's notifications), and
 * the help screen generated from the request table.
 *
 * Signals only set flags; the loop acts on them. The terminal is in raw
 * mode, so Ctrl-S reaches us (no XON/XOFF) and Ctrl-Z is a key that
 * suspends with a full redraw on return.
 *
 * The terminal: one that cannot address the cursor (no cup: TERM=dumb)
 * is refused with a message before anything is drawn. Bracketed paste is
 * turned on where the terminal has it (terminfo's BE/BD, else the xterm,
 * screen, tmux and rxvt families) and off again whenever curses stops.
 * Leaving restores the screen: curses' alternate screen (smcup/rmcup)
 * where the terminal has one; where it has none (vt100) the console's
 * screen is cleared and the cursor left on the bottom line, so the shell
 * never prints over a stale screen.
 */
#define _GNU_SOURCE /* ppoll */
#include <time.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "accessdesk/config.h"
#include "accessdesk/text.h"
#include "accessdesk/ui_line.h"
#include "ui_internal.h"

#define MAX_TABS  8
#define MIN_COLS  80
#define MIN_LINES 24

/* A tab's stack of screens: its own at the bottom, forms and views
 * pushed over it; it grows as they are pushed. */
struct stack {
	struct ui_screen **v;
	int n, cap;
};

static struct {
	bool started;
	SCREEN *term;
	FILE *out, *in;
	struct stack tabs[MAX_TABS];
	const char *labels[MAX_TABS];
	int n_tabs, tab;
	struct ui_frame_info info;
	char message[512];
	bool message_is_error;
	char notice[512]; /* the server's notices since the last key */
} ui;

/* Bracketed paste's on and off sequences; NULL where the terminal has
 * none. */
static const char *paste_on, *paste_off;

static volatile sig_atomic_t hangup; /* the signal that came, or 0 */
static sigset_t wait_mask; /* the signal mask while waiting for input */

static void on_signal(int sig)
{
	hangup = sig;
}

int ui_end_signal(void)
{
	return (int)hangup;
}

/* ---- waiting for the database: ^C cancels ----------------------------- */

static void (*volatile interrupt_fn)(void);

static void on_interrupt(int sig)
{
	(void)sig;
	void (*fn)(void) = interrupt_fn;
	if (fn)
		fn();
}

void ui_waiting(bool waiting, void (*interrupt)(void))
{
	/* the terminal's modes while not waiting, to go back to */
	static struct termios saved;
	static bool have_saved;
	if (!ui.started || ui_test_mode() || waiting == have_saved)
		return;
	/* raw mode passes ^C as a key; while a statement runs nobody reads
	 * keys, so the terminal turns ^C (and only ^C: not ^\ nor ^Z) into
	 * SIGINT instead */
	interrupt_fn = waiting ? interrupt : NULL;
	struct sigaction sa = {0};
	sa.sa_handler = waiting ? on_interrupt : SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	if (!waiting) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		have_saved = false;
		return;
	}
	if (tcgetattr(STDIN_FILENO, &saved) != 0)
		return;
	have_saved = true;
	struct termios t = saved;
	t.c_lflag |= ISIG;
	t.c_cc[VQUIT] = _POSIX_VDISABLE;
	t.c_cc[VSUSP] = _POSIX_VDISABLE;
	t.c_cc[VINTR] = UI_CTRL('c');
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

#if !defined(__SANITIZE_ADDRESS__)
/* A crash still gives the terminal back (as htop does), then dies of the
 * same signal. Not under AddressSanitizer, whose report matters more. */
static void on_fatal(int sig)
{
	if (paste_off) /* a constant string: write(2) is safe here */
		(void)!write(STDOUT_FILENO, paste_off, strlen(paste_off));
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
	if (st->attrs & CONFIG_ATTR_DIM)
		a |= A_DIM;
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

/* A string capability of the terminal, or NULL when it has none. */
static const char *term_str(const char *cap)
{
	char *v = tigetstr(cap);
	return v && v != (char *)-1 && *v ? v : NULL;
}

/* Writes bracketed paste's on or off sequence, when it has one, straight
 * to the terminal: curses has nothing of its own waiting to be written
 * then (before the first paint, after endwin), so the order holds. */
static void paste_write(const char *seq)
{
	if (seq && ui.out) {
		fputs(seq, ui.out);
		fflush(ui.out);
	}
}

/* Where the terminal has bracketed paste: its terminfo says so (ncurses
 * 6's BE and BD), or it is of a family that has had it for years whose
 * entries may lack them (screen's does). Never vt100, vt220, linux. */
static void paste_decide(const char *term)
{
	static const char *const families[] = {"xterm", "screen", "tmux",
	                                       "rxvt"};
	paste_on = term_str("BE");
	paste_off = term_str("BD");
	if (paste_on && paste_off)
		return;
	paste_on = paste_off = NULL;
	for (size_t i = 0; i < sizeof families / sizeof *families; i++)
		if (strncmp(term, families[i], strlen(families[i])) == 0) {
			paste_on = "\033[?2004h";
			paste_off = "\033[?2004l";
		}
}

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
	if (!ui_test_mode() && !term_str("cup")) {
		/* nothing drawn yet: the shell's screen stays as it was */
		snprintf(err, len,
		         "the terminal type \"%.64s\" cannot move the cursor: "
		         "the console needs one that can; set TERM to your "
		         "terminal's type (vt100, xterm, ...), or use the "
		         "commands (see --help)",
		         term);
		delscreen(ui.term);
		ui.term = NULL;
		ui_input_stop();
		return false;
	}
	ui.started = true;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(c ? c->ui.escdelay_ms : 25);
	ui_input_set_esc_digit_ms(c ? c->ui.esc_digit_ms : 500);
	ui_acs = !ascii_lines && !(c && c->ui.ascii_lines);
	set_styles(c);
	ui_keys_configure(c);
	curs_set(1);
	if (!ui_test_mode()) {
		paste_decide(term);
		paste_write(paste_on);
	}

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
	for (int t = 0; t < ui.n_tabs; t++) {
		struct stack *st = &ui.tabs[t];
		while (st->n > 0) {
			struct ui_screen *s = st->v[--st->n];
			if (s && s->close)
				s->close(s);
		}
		free(st->v);
		*st = (struct stack){0};
	}
	if (!ui_test_mode() && !term_str("rmcup")) {
		/* no alternate screen to go back to: leave a clear one, the
		 * cursor on its last line, for the shell */
		werase(stdscr);
		wmove(stdscr, LINES - 1, 0);
		wnoutrefresh(stdscr);
		doupdate();
	}
	endwin();
	paste_write(paste_off);
	paste_on = paste_off = NULL;
	delscreen(ui.term);
	sigprocmask(SIG_SETMASK, &wait_mask, NULL);
	if (ui.out && ui.out != stdout)
		fclose(ui.out);
	if (ui.in && ui.in != stdin)
		fclose(ui.in);
	ui.out = ui.in = NULL;
	ui_input_stop();
}

static bool stack_push(struct stack *st, struct ui_screen *s)
{
	if (st->n == st->cap) {
		int cap = st->cap ? st->cap * 2 : 8;
		struct ui_screen **v = realloc(st->v, (size_t)cap * sizeof *v);
		if (!v)
			return false;
		st->v = v;
		st->cap = cap;
	}
	st->v[st->n++] = s;
	return true;
}

void ui_set_tabs(const struct ui_tab *tabs, int n)
{
	ui.n_tabs = n < MAX_TABS ? n : MAX_TABS;
	for (int t = 0; t < ui.n_tabs; t++) {
		ui.labels[t] = tabs[t].label;
		ui.tabs[t].n = 0;
		if (tabs[t].screen && !stack_push(&ui.tabs[t], tabs[t].screen))
			ui_error("out of memory");
	}
	ui.tab = 0;
}

void ui_tab_help(int t, char *buf, size_t len)
{
	if (t < 0 || t >= ui.n_tabs) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "Tab %d: %s%s", t + 1, ui.labels[t],
	         ui.tabs[t].n ? "" : " (not part of this version)");
}

void ui_set_info(const struct ui_frame_info *info)
{
	ui.info = *info;
}

void ui_push(struct ui_screen *s)
{
	if (!stack_push(&ui.tabs[ui.tab], s)) {
		/* the screen cannot be shown: it is closed, and says so */
		if (s->close)
			s->close(s);
		ui_error("out of memory");
	}
}

static struct ui_screen *top(void)
{
	struct stack *st = &ui.tabs[ui.tab];
	return st->n ? st->v[st->n - 1] : NULL;
}

static int depth(void)
{
	return ui.tabs[ui.tab].n;
}

static void pop(void)
{
	struct ui_screen *s = top();
	if (!s || depth() <= 1)
		return;
	ui.tabs[ui.tab].n--;
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
	snprintf(
	    buf, sizeof buf, "accessdesk%s%s  operator %s  database %s%s%s",
	    ui.info.not_connected ? "  NOT CONNECTED" : "",
	    ui.info.no_root_admin ? "  NO ONE CAN ADMINISTER THE WHOLE TREE"
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

/* The frame's own map, after the top screen's chain: a tab's own screen
 * gets the generic one (quit, the tabs); a screen pushed over it the inner
 * one (its letters, digits and q are its own). */
static const struct ui_keymap *frame_map(void)
{
	return depth() > 1 ? &ui_inner_keymap : &ui_generic_keymap;
}

static void draw_keybar(const struct ui_screen *s)
{
	char bar[512];
	const struct ui_keymap *tail = frame_map();
	ui_keybar_text(s && s->keymap ? s->keymap : tail, tail, COLS, bar,
	               sizeof bar);
	ui_text(line_area(LINES - 1), 0, 0, COLS, STYLE_KEYBAR, bar);
}

/* The columns the first len bytes of text take once sanitised. */
static int prefix_width(const char *text, int len)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%.*s", len, text);
	return ui_text_width(buf);
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
		if (n < 3 && prefix_width(p, len) > COLS - 1) {
			/* the most that fits, by display width (a character
			 * whole), then back to a space */
			int fit = 0;
			while (fit < len) {
				int next = fit + 1;
				while (next < len &&
				       ((unsigned char)p[next] & 0xC0) == 0x80)
					next++;
				if (prefix_width(p, next) > COLS - 1)
					break;
				fit = next;
			}
			len = fit;
			while (len > 0 && p[len] != ' ')
				len--;
			if (len == 0)
				len = fit > 0 ? fit : 1;
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
		/* the last line holds the rest: cut, with the marker */
		ui_text_cut(line_area(LINES - 1 - n + i), 0, 0, COLS, st, buf,
		            NULL);
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

static void open_help(void)
{
	struct ui_screen *h = ui_help_new(top(), frame_map());
	if (h)
		ui_push(h);
	else
		ui_error("out of memory");
}

/* ---- the loop --------------------------------------------------------- */

static void suspend(void)
{
	def_prog_mode();
	endwin();
	paste_write(paste_off); /* the shell gets its terminal as it was */
	raise(SIGTSTP);
	paste_write(paste_on);
	reset_prog_mode();
	clearok(curscr, TRUE); /* a full redraw on return */
}

/* The loop's descriptors polled (p, n of them, in fd's order but for
 * those -1) that are readable or hung up: each handed to on_fd. Whether
 * any was. */
static bool ready(struct ui_loop *loop, const struct pollfd *p, int n)
{
	bool any = false;
	for (int i = 0, j = 0; i < UI_LOOP_FDS && j < n; i++) {
		if (loop->fd[i] < 0)
			continue;
		/* the callback of one may change the other's descriptor */
		if ((p[j].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    loop->fd[i] == p[j].fd) {
			loop->on_fd(loop, i);
			any = true;
		}
		j++;
	}
	return any;
}

/* How long test mode waits for the database (5 s), times the harness's
 * ACCESSDESK_WAIT_SCALE when it is set (1 to 100): a console run under
 * valgrind is that much slower, and so are the consoles it waits for. */
static int test_wait_ms(void)
{
	const char *s = getenv("ACCESSDESK_WAIT_SCALE");
	int scale = s ? atoi(s) : 1;
	return 5000 * (scale >= 1 && scale <= 100 ? scale : 1);
}

/* The next key: typed-ahead keys first, then wait for the keyboard, the
 * loop's descriptor or its timer. -1: the script ended or a signal came
 * (ended says which). loop may be NULL (a question on the message line:
 * the database waits until it is answered). */
static int next_key(struct ui_loop *loop, enum ui_end *ended)
{
	for (;;) {
		if (hangup) {
			*ended = UI_END_HANGUP;
			return -1;
		}
		struct pollfd p[1 + UI_LOOP_FDS] = {{STDIN_FILENO, POLLIN, 0}};
		int n = 1;
		for (int i = 0; loop && loop->on_fd && i < UI_LOOP_FDS; i++)
			if (loop->fd[i] >= 0)
				p[n++] =
				    (struct pollfd){loop->fd[i], POLLIN, 0};
		if (ui_test_mode()) {
			/* an answer owed comes in before the next key */
			for (int i = 0; n > 1 && i < UI_LOOP_FDS; i++) {
				struct pollfd o = {loop->fd[i], POLLIN, 0};
				if (loop->fd[i] >= 0 && loop->owes &&
				    loop->owes(loop, i) &&
				    poll(&o, 1, test_wait_ms()) > 0) {
					loop->on_fd(loop, i);
					return UI_KEY_NONE; /* redraw */
				}
			}
			/* the database's announcements are taken between
			 * keys; <Notified> waits for the next one; the timer
			 * runs between keys when it is due at once */
			int k = ui_input_key(true);
			if (k < 0)
				*ended = UI_END_SCRIPT;
			int wait = k == UI_KEY_NOTIFIED ? test_wait_ms() : 0;
			if (n > 1 && poll(p + 1, (nfds_t)(n - 1), wait) > 0) {
				ready(loop, p + 1, n - 1);
				if (k == UI_KEY_NOTIFIED)
					return UI_KEY_NONE;
			}
			if (loop && loop->on_timer && loop->timer_ms == 0)
				loop->on_timer(loop);
			return k == UI_KEY_NOTIFIED ? UI_KEY_NONE : k;
		}
		int k = ui_input_key(false);
		if (k != UI_KEY_NONE)
			return k;
		int ms = loop && loop->on_timer ? loop->timer_ms : -1;
		/* an ESC waiting for a digit: ask again when its wait ends */
		int esc_ms = ui_input_wait_ms();
		bool for_esc = esc_ms >= 0 && (ms < 0 || esc_ms <= ms);
		if (for_esc)
			ms = esc_ms;
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
		int r = ppoll(p, (nfds_t)n, ms >= 0 ? &ts : NULL, &wait_mask);
		if (r < 0 && errno != EINTR) {
			*ended = UI_END_HANGUP;
			return -1;
		}
		if (r == 0 && for_esc)
			continue;
		if (r == 0 && ms >= 0) {
			loop->on_timer(loop);
			return UI_KEY_NONE; /* redraw */
		}
		if (r > 0 && ready(loop, p + 1, n - 1))
			return UI_KEY_NONE; /* redraw */
		if (r > 0 && (p[0].revents & (POLLHUP | POLLERR))) {
			*ended = UI_END_HANGUP;
			return -1;
		}
		/* else a signal: SIGWINCH becomes KEY_RESIZE */
	}
}

void ui_notify_changed(void)
{
	for (int t = 0; t < ui.n_tabs; t++)
		for (int d = 0; d < ui.tabs[t].n; d++) {
			struct ui_screen *s = ui.tabs[t].v[d];
			if (s->changed)
				s->changed(s);
		}
}

/* Whether any open screen holds input not saved. */
static bool unsaved(void)
{
	for (int t = 0; t < ui.n_tabs; t++)
		for (int d = 0; d < ui.tabs[t].n; d++) {
			struct ui_screen *s = ui.tabs[t].v[d];
			if (s->unsaved && s->unsaved(s))
				return true;
		}
	return false;
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
		if (t < ui.n_tabs && ui.tabs[t].n > 0)
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
			if (ui.tabs[t].n > 0) {
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

enum ui_end ui_run(struct ui_loop *loop)
{
	enum ui_end ended = UI_END_QUIT;
	for (;;) {
		draw();
		int key = next_key(loop, &ended);
		if (key < 0)
			return ended;
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
		struct ui_screen *s = top();
		enum ui_request r = ui_keymap_request_in(s ? s->keymap : NULL,
		                                         frame_map(), key);
		if (r == REQ_NONE && (!s || !s->keymap))
			r = ui_keymap_request(frame_map(), key);
		if (too_small()) {
			/* keys are not acted on; the quit key (q, or what
			 * ui.keys binds) leaves only when nothing would be
			 * lost */
			if (ui_keymap_request(&ui_generic_keymap, key) ==
			        REQ_QUIT &&
			    !unsaved())
				return UI_END_QUIT;
			continue;
		}
		enum ui_result res =
		    s && s->key ? s->key(s, key, r) : UI_IGNORED;
		if (res == UI_QUIT)
			return UI_END_QUIT;
		if (res == UI_CLOSE) {
			pop();
			continue;
		}
		if (res == UI_IGNORED && !frame_request(r))
			return UI_END_QUIT;
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
	enum ui_end ended;
	while ((k = next_key(NULL, &ended)) == UI_KEY_DUMP)
		ui_dump_screen(); /* test mode: the question is on screen */
	return k;
}

void ui_drop_typeahead(void)
{
	if (!ui_test_mode()) /* a key script's keys are all meant */
		ui_input_flush();
}

/* The question is the message, so that a long one (a count and what it
 * means) takes the lines a message may; the cursor waits after it. */
bool ui_confirm(const char *question)
{
	ui_message("%s (y/n)", question);
	bool yes = false;
	for (;;) {
		draw();
		const char *lines[4];
		int lens[4];
		int n = message_lines(lines, lens);
		int x = prefix_width(lines[n - 1], lens[n - 1]) + 1;
		ui_cursor(line_area(LINES - 2), 0, x < COLS ? x : COLS - 1);
		wnoutrefresh(stdscr);
		doupdate();
		int k;
		enum ui_end ended;
		while ((k = next_key(NULL, &ended)) == UI_KEY_DUMP)
			ui_dump_screen(); /* test mode: the question is shown */
		if (k == 'y' || k == 'Y')
			yes = true;
		if (yes || k == 'n' || k == 'N' || k == UI_KEY_ESC || k < 0)
			break;
	}
	ui_message("%s", "");
	return yes;
}

bool ui_prompt(const char *prompt, char *buf, size_t len)
{
	/* the one line editor (line.c), on a copy grown as it needs */
	char *text = strdup(buf);
	struct ui_line l;
	if (!text || !ui_line_init(&l, &text, 0)) {
		free(text);
		ui_error("out of memory");
		return false;
	}
	l.max_bytes = len - 1;
	l.label = prompt;
	bool ok = false, fresh = text[0] != '\0';
	for (;;) {
		char view[1024], line[1200];
		int pw = ui_text_width(prompt);
		int w = COLS - pw > 3 ? COLS - pw : 3;
		int cx = ui_line_view(&l, w, view, sizeof view);
		snprintf(line, sizeof line, "%s%s", prompt, view);
		int k = ask(line, pw + cx);
		if (k < 0 || k == UI_KEY_ESC)
			break;
		if (k == UI_KEY_ENTER || k == '\r') {
			snprintf(buf, len, "%s", text);
			ok = true;
			break;
		}
		/* the text offered (the last search, a file's default name)
		 * is replaced by what is typed first, as a default is; a key
		 * that moves or edits takes it as it is */
		if (fresh && (ui_line_printable(k) || k == UI_KEY_PASTE) &&
		    ui_keymap_request(&ui_text_keymap, k) == REQ_NONE) {
			text[0] = '\0';
			l.cursor = l.scroll = 0;
		}
		fresh = false;
		ui_line_key(&l, k);
	}
	free(text);
	return ok;
}
