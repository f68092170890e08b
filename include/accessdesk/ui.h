/* ui.h: the console's frame and widgets (screens.md). Screens draw and read
 * keys only through this header; curses stays inside src/ui/.
 *
 * The frame: top line (product, operator, database), tab bar, body, message
 * line, key bar. Every key maps to a request declared once in REQ_INFO
 * with its key, its key-bar label and its help text; the key bar and the
 * help screen are generated from that table. Text from the database goes
 * through text_sanitize() inside ui_text(), so no caller can forget it.
 */
#ifndef ACCESSDESK_UI_H
#define ACCESSDESK_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config;

/* Keys beyond characters (characters are their Unicode code point). */
enum {
	UI_KEY_NONE = 0,
	UI_KEY_TAB = 9,
	UI_KEY_ENTER = 10,
	UI_KEY_ESC = 27,
	UI_KEY_BACKSPACE = 127,
	UI_KEY_BASE = 0x110000, /* above every code point */
	UI_KEY_UP,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_BACKTAB,
	UI_KEY_DELETE,
	UI_KEY_RESIZE,
	UI_KEY_DUMP,     /* test mode: write the screen as text */
	UI_KEY_NOTIFIED, /* test mode: wait (5 s at most) for the database to
	                    announce a change, and take it */
	UI_KEY_PASTE,    /* a paste (bracketed paste where the terminal has
	                    it): its text is ui_pasted() */
	UI_KEY_F0 = UI_KEY_BASE + 0x100, /* UI_KEY_F0 + n is Fn */
};
#define UI_KEY_F(n) (UI_KEY_F0 + (n))
#define UI_CTRL(c)  ((c)&0x1f)

/* Every request, declared once: name (for ui.keys in the configuration),
 * default key, key-bar label and help text. A screen or widget says which
 * requests it answers to in its key map (below), where it may give a
 * request its own label and help; keys reach requests only through the
 * key maps, so the help screen and the key bar are what the keys do. */
#define REQ_INFO(_)                                                            \
	_(QUIT, "quit", 'q', "Quit", "Leave accessdesk")                       \
	_(HELP, "help", '?', "Help", "Show the keys of this screen")           \
	_(TAB_NEXT, "tab-next", UI_KEY_TAB, "Tab", "Next tab")                 \
	_(TAB_PREV, "tab-prev", UI_KEY_BACKTAB, "S-Tab", "Previous tab")       \
	_(TAB_1, "tab-1", '1', "1-5", NULL)                                    \
	_(TAB_2, "tab-2", '2', NULL, NULL)                                     \
	_(TAB_3, "tab-3", '3', NULL, NULL)                                     \
	_(TAB_4, "tab-4", '4', NULL, NULL)                                     \
	_(TAB_5, "tab-5", '5', NULL, NULL)                                     \
	_(UP, "up", 'k', NULL, "Move up")                                      \
	_(DOWN, "down", 'j', NULL, "Move down")                                \
	_(PAGE_UP, "page-up", 'b', NULL, "Previous page")                      \
	_(PAGE_DOWN, "page-down", ' ', NULL, "Next page")                      \
	_(FIRST, "first", 'g', NULL, "First row")                              \
	_(LAST, "last", 'G', NULL, "Last row")                                 \
	_(OPEN, "open", UI_KEY_ENTER, "Open", "Open the row under the cursor") \
	_(BACK, "back", UI_KEY_ESC, "Back", "Back, or cancel")                 \
	_(SEARCH, "search", '/', "Search", "Search")                           \
	_(SEARCH_BY, "search-by", 'f', "Search by",                            \
	  "Change what Search looks at")                                       \
	_(SORT, "sort", 's', "Sort", "Sort by the next column")                \
	_(REVERSE, "reverse", 'S', NULL, "Reverse the sort order")             \
	_(ADD, "add", 'a', "Add", "Add")                                       \
	_(WHY, "why", 'w', "Why?",                                             \
	  "Why: the effective access and its reasons")                         \
	_(REPORT, "report", 'r', "Report",                                     \
	  "Write the Organisation / User report")                              \
	_(SUBMIT, "submit", UI_CTRL('s'), "Submit", "Submit the form")         \
	_(NEXT_FIELD, "next-field", UI_CTRL('n'), NULL, "Next field")          \
	_(PREV_FIELD, "prev-field", UI_CTRL('p'), NULL, "Previous field")      \
	_(NEXT_SECTION, "next-section", UI_CTRL('f'), NULL, "Next section")    \
	_(GOTO, "goto", UI_CTRL('g'), NULL,                                    \
	  "Go to the next field whose name holds the text typed")              \
	_(PREV_SECTION, "prev-section", UI_CTRL('b'), NULL,                    \
	  "Previous section")                                                  \
	_(EXPAND, "expand", '+', "Expand", "Expand the row")                   \
	_(COLLAPSE, "collapse", '-', "Collapse", "Collapse the row")           \
	_(EXPAND_ALL, "expand-all", 'E', NULL,                                 \
	  "Expand the row and everything below it")                            \
	_(COLLAPSE_ALL, "collapse-all", 'C', NULL,                             \
	  "Collapse the row and everything below it")                          \
	_(TOGGLE, "toggle", ' ', "Tick", "Tick or untick")                     \
	_(SELECT_ALL, "select-all", '*', "Select All",                         \
	  "Tick every row shown, or untick them all")                          \
	_(RENAME, "rename", 'n', "Rename", "Rename")                           \
	_(MOVE, "move", 'm', "Move", "Move under another parent")              \
	_(DELETE, "delete", 'd', "Delete", "Delete")                           \
	_(EDIT, "edit", 'e', "Edit", "Edit")                                   \
	_(IMPORT, "import", 'i', "Import", "Import")                           \
	_(FILTER, "filter", 'F', "Filter", "Filter")                           \
	_(CLEAR, "clear", 'c', "Clear", "Clear the filters")                   \
	_(MEMBERS, "members", 'M', "Members", "Show the members")              \
	_(MARK, "mark", 'x', "Mark", "Mark or unmark")                         \
	_(MENU, "menu", 'A', "Action", "The Action menu")                      \
	_(OWNER, "owner", 'o', "Owner", "Pick the owner organisation")         \
	_(STUDY, "study", 'p', "Study", "Pick the study")                      \
	_(SETTINGS, "settings", 'O', "Settings", "The settings switches")      \
	_(YES, "yes", 'y', "Yes", "Yes")                                       \
	_(NO, "no", 'n', "No", "No")                                           \
	_(LIST, "list", 'l', "List", "List them")                              \
	_(AS_OF, "as-of", 'h', "As of",                                        \
	  "As of a past date, rebuilt from the audit trail")                   \
	_(LEFT, "left", UI_KEY_LEFT, NULL, "Move left")                        \
	_(RIGHT, "right", UI_KEY_RIGHT, NULL, "Move right")                    \
	_(LINE_START, "line-start", UI_CTRL('a'), NULL,                        \
	  "To the start of the text")                                          \
	_(LINE_END, "line-end", UI_CTRL('e'), NULL, "To the end of the text")  \
	_(DELETE_BACK, "delete-back", UI_KEY_BACKSPACE, NULL,                  \
	  "Delete the character before the cursor")                            \
	_(DELETE_CHAR, "delete-char", UI_KEY_DELETE, NULL,                     \
	  "Delete the character under the cursor")                             \
	_(DELETE_WORD, "delete-word", UI_CTRL('w'), NULL,                      \
	  "Delete the word before the cursor")                                 \
	_(KILL_LINE, "kill-line", UI_CTRL('u'), NULL, "Clear the text")        \
	_(KILL_END, "kill-end", UI_CTRL('k'), NULL,                            \
	  "Delete from the cursor to the end")                                 \
	_(CANCEL, "cancel", UI_CTRL('c'), NULL,                                \
	  "Cancel a query or report that is running")                          \
	_(REDRAW, "redraw", UI_CTRL('l'), NULL, "Redraw the screen")           \
	_(DUMP, "dump", UI_KEY_DUMP, NULL, NULL)

enum ui_request {
	REQ_NONE,
#define REQ_ENUM(id, name, key, label, help) REQ_##id,
	REQ_INFO(REQ_ENUM)
#undef REQ_ENUM
	    REQ_COUNT
};

const char *ui_request_name(enum ui_request r);
/* The request named so ("search"), or REQ_NONE. */
enum ui_request ui_request_named(const char *name);
/* "Enter", "^S", "q", "F1"... of the request's first key. */
void ui_request_key_name(enum ui_request r, char *buf, size_t len);

/* ---- key maps (as tig's keymaps fall back to the generic one) --------- */

/* One request a screen or widget answers to. */
struct ui_keydef {
	enum ui_request request;
	const char *label; /* in the key bar; NULL: the request's own */
	const char *help;  /* in the help; NULL: the request's own */
	bool bar;          /* shown in the key bar */
	int key;           /* the key the bar names; 0: the first that works */
};

/* A screen's or widget's keys, falling back to its parent's: a key means
 * the first request along the chain that it is bound to, so a child may
 * take a key its parent uses (a tick list's Space ticks; the list's Space
 * pages). The help screen and the key bar are generated from the chain. */
struct ui_keymap {
	const char *name;  /* "users": for the configuration's messages */
	const char *title; /* its heading in the help: "Users" */
	const struct ui_keydef *keys; /* REQ_NONE terminated */
	const struct ui_keymap *parent;
};

/* The frame's maps, put after a screen's chain by the frame: */
/* under a tab's own screen: quit, help, the tabs, redraw, cancel. */
extern const struct ui_keymap ui_generic_keymap;
/* Forms and views pushed over a tab: help (F1, and ? where it is not text
 * typed), redraw, cancel; q and the digits are theirs. */
extern const struct ui_keymap ui_inner_keymap;
/* Editing a line of text (a form's field, a prompt, a search). */
extern const struct ui_keymap ui_text_keymap;
/* Moving in a list: up, down, pages, first, last. */
extern const struct ui_keymap ui_list_keymap;

/* The request this key means along the key map's chain, or REQ_NONE. */
enum ui_request ui_keymap_request(const struct ui_keymap *km, int key);
/* The same along the chain and then tail's (the frame puts its own map
 * after a screen's: generic under a tab's own screen, inner under a
 * screen pushed over it), and the keys that reach r so. */
enum ui_request ui_keymap_request_in(const struct ui_keymap *km,
                                     const struct ui_keymap *tail, int key);
void ui_keymap_keys_in(const struct ui_keymap *km, const struct ui_keymap *tail,
                       enum ui_request r, char *buf, size_t len);
/* The map after km along a chain with a tail (NULL at the end). */
const struct ui_keymap *ui_keymap_next(const struct ui_keymap *km,
                                       const struct ui_keymap **tail);
/* Whether the request is reachable by some key along the chain. */
bool ui_keymap_has(const struct ui_keymap *km, enum ui_request r);
/* The keys that reach r along the chain, as "Space PgDn"; "" for none. */
void ui_keymap_keys(const struct ui_keymap *km, enum ui_request r, char *buf,
                    size_t len);
/* The definition of r along the chain (its label and help), or NULL. */
const struct ui_keydef *ui_keymap_def(const struct ui_keymap *km,
                                      enum ui_request r);
/* Checks the configuration's ui.keys against the request table (an
 * unknown request) and along each of these key maps' chains (a key bound
 * there that another request of the chain answers to): false with
 * "FILE:LINE: ..." at the first problem. For --check-config. */
bool ui_keys_check(const struct config *c, const struct ui_keymap *const *maps,
                   int n, char *err, size_t len);
/* The help of a key map chain as text: "# Title" headings and
 * "  KEYS  HELP" lines (tests, the README's key tables). */
void ui_help_print(const struct ui_keymap *chain, const struct ui_keymap *tail,
                   FILE *f);

/* ---- styles ----------------------------------------------------------- */

enum ui_style {
	STYLE_NORMAL,
	STYLE_TITLE,
	STYLE_TABS,
	STYLE_TAB_ACTIVE,
	STYLE_KEYBAR,
	STYLE_MESSAGE,
	STYLE_ERROR,
	STYLE_SELECTED,
	STYLE_HEADER,
	STYLE_READONLY,
	STYLE_BOLD,
	STYLE_COUNT
};

/* ---- screens ---------------------------------------------------------- */

/* What a screen's key handler did. */
enum ui_result {
	UI_IGNORED, /* not mine: the frame tries the request table */
	UI_HANDLED, /* done; redraw */
	UI_CLOSE,   /* pop this screen (a form, a view) */
	UI_QUIT,    /* leave the console */
};

struct ui_area {
	int y, x, h, w;
};

/* A screen: one file in src/screens/, registered in screens.c. A tab's
 * screen is at the bottom of its stack; forms and views are pushed on it. */
struct ui_screen {
	const char *title;
	/* Draws the body; `a` is the body's area. Must set the cursor. */
	void (*draw)(struct ui_screen *s, struct ui_area a);
	/* A key (the raw key and the request it maps to). */
	enum ui_result (*key)(struct ui_screen *s, int key, enum ui_request r);
	/* Its keys: what they do, the key bar and the help. */
	const struct ui_keymap *keymap;
	/* Frees the screen (after it was popped). */
	void (*close)(struct ui_screen *s);
	/* Called when the world was reloaded (a change the database
	 * announced, a save, a reconnection): nothing it held of the old
	 * world may be used again. */
	void (*changed)(struct ui_screen *s);
	/* Whether it holds input not saved (NULL: never): q on a terminal
	 * too small leaves only when no screen does. */
	bool (*unsaved)(struct ui_screen *s);
};

/* Pushes a screen over the current tab's top screen (a form, a view);
 * popped when its key handler returns UI_CLOSE. Every key goes to the top
 * screen first; what it ignores, the frame takes (tabs, help, quit). */
void ui_push(struct ui_screen *s);
/* Tells every open screen that the database announced a change. */
void ui_notify_changed(void);

/* ---- frame ------------------------------------------------------------ */

struct ui_frame_info {
	const char *operator_login;
	const char *database;
	bool demo;      /* operator.source = "flag": the top line says DEMO */
	bool read_only; /* help-desk mode: the top line says READ-ONLY */
	/* no enabled user holds System Administrator on a root through a
	 * grant with no cluster selected: the top line says so, right after
	 * the product name (access-model.md section 5) */
	bool no_root_admin;
	/* the connection is lost: the top line says NOT CONNECTED */
	bool not_connected;
};

/* Starts curses on the terminal (or, in test mode, on the key script):
 * false with a message when the terminal cannot be used (unknown TERM). */
bool ui_start(const struct config *c, bool ascii_lines, char *err, size_t len);
/* Restores the terminal; safe to call twice, and from a fatal path. */
void ui_stop(void);
/* While waiting for the database: ^C calls interrupt (from a signal
 * handler: it must be async-signal-safe), as psql cancels a query. Off
 * again with waiting false. Nothing in test mode. */
void ui_waiting(bool waiting, void (*interrupt)(void));
/* The signal that ended the loop with UI_END_HANGUP (0: the terminal
 * closed), for the exit status. */
int ui_end_signal(void);

/* The tabs, in tab order: label and screen (NULL for a tab not built,
 * which the tab bar shows and the digit answers "not part of this
 * version"). The help lists every tab from these. */
struct ui_tab {
	const char *label;
	struct ui_screen *screen;
};
void ui_set_tabs(const struct ui_tab *tabs, int n);
void ui_set_info(const struct ui_frame_info *info);

/* How the input loop ended. */
enum ui_end {
	UI_END_QUIT,   /* the operator quit */
	UI_END_HANGUP, /* SIGHUP, SIGTERM or the terminal went away */
	UI_END_SCRIPT, /* test mode: the key script ended */
};

/* What the loop watches besides the keyboard: descriptors (the
 * database's socket, for NOTIFY; the counts' connection, whose answers
 * come while keys are served) and a timer (reconnecting). Any callback
 * may change fd and timer_ms; the loop reads them again. */
#define UI_LOOP_FDS 2
struct ui_loop {
	int fd[UI_LOOP_FDS];                    /* -1: none */
	void (*on_fd)(struct ui_loop *, int i); /* fd[i] is readable */
	/* does fd[i] owe an answer (a count under way)? In test mode the
	 * loop waits for it (5 s at most) before the next scripted key, so
	 * the screens a script dumps never depend on the server's speed.
	 * NULL: none ever does. */
	bool (*owes)(struct ui_loop *, int i);
	int timer_ms; /* -1: none; else wait at most this */
	void (*on_timer)(struct ui_loop *); /* the wait ran out */
	void *ctx;
};

/* Runs the input loop until a screen says UI_QUIT, the key script ends or
 * a signal ends it. */
enum ui_end ui_run(struct ui_loop *loop);

/* The message line: info or error (shown until the next key). */
void ui_message(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif

    ;
void ui_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif

    ;

/* A server notice (libpq's notice receiver): sanitised, it follows
 * whatever the message line says ("Updated user successfully. server:
 * ..."), several in the order they came, until the next key. */
void ui_notice(const char *text);

/* Asks a yes/no question on the message line; true for y. Keys typed
 * ahead answer it (a user who knows the question types Enter y at once). */
bool ui_confirm(const char *question);
/* Drops the keys typed ahead: before a question whose words the operator
 * must read first (a count worked out after an earlier question, which a
 * double y would otherwise answer unread). */
void ui_drop_typeahead(void);
/* Reads a line of text on the message line (prompt, initial value);
 * false when cancelled with Esc. The initial value is offered as a
 * default: Enter takes it, the first character typed (or pasted) replaces
 * it, a key that moves or edits (Right, End, Backspace...) edits it. */
bool ui_prompt(const char *prompt, char *buf, size_t len);

/* ---- drawing (all text passes the sanitiser) -------------------------- */

/* Draws text in the area's row y (relative), from column x, at most w
 * columns, padded with spaces to w; returns the columns used. */
int ui_text(struct ui_area a, int y, int x, int w, enum ui_style style,
            const char *text);
/* The same, cut to fit: text in w columns, then tail (NULL: none); when
 * they do not fit, the text is cut and ends with '>' before the tail,
 * which stays whole (or, wider than w, is itself cut so). A list's cells
 * and a screen's long lines are drawn so. */
void ui_text_cut(struct ui_area a, int y, int x, int w, enum ui_style style,
                 const char *text, const char *tail);
/* The one search rule of every list, tick list, picker, tree and form:
 * typed text matches a row whose first cell (a code) starts with it, or
 * one of whose other cells (a name) holds it anywhere, either case (ASCII
 * letters; a non-ASCII letter matches itself); "" matches all. A NULL
 * cell is skipped. */
bool ui_text_match(const char *typed, const char *const *cells, int n);
/* Columns text takes once sanitised. */
int ui_text_width(const char *text);
/* A horizontal line (ACS, or '-' with --ascii-lines). */
void ui_hline(struct ui_area a, int y);
/* Puts the terminal cursor at (y, x) of the area, for screen readers. */
void ui_cursor(struct ui_area a, int y, int x);
bool ui_utf8(void);
/* The text of the last UI_KEY_PASTE, control characters already dropped
 * (valid until the next key). */
const char *ui_pasted(void);
/* Rows a page holds in the body (for paging keys). */
int ui_page_rows(void);

/* ---- the list widget -------------------------------------------------- */

/* Columns with a header, one row per item, a cursor, a sort marker; the
 * rows come from the screen (which pages through the store). */
struct ui_column {
	const char *title;
	int width; /* columns; the last column takes what is left */
};
/* How a list's columns share its width (ui_list.fit, one per column):
 * each is at least its `width`, and those with a weight take that many
 * shares of what is left over. A cell cut short ends with '>'; a `whole`
 * column (Status) is never cut, never narrower than `width`, its widest
 * value. */
struct ui_column_fit {
	int weight;
	bool whole;
};

struct ui_list {
	const struct ui_column *columns;
	int n_columns;
	int sort_column; /* -1: none */
	bool descending;
	int top;    /* first row shown */
	int cursor; /* row under the cursor */
	int n_rows; /* rows the screen holds */
	/* text of a cell */
	const char *(*cell)(void *ctx, int row, int column);
	void *ctx;
	/* NULL, or a text kept whole at a cell's end when the cell's text is
	 * cut (" +3 not shown"): the text gives way, with the marker */
	const char *(*cell_tail)(void *ctx, int row, int column);
	/* NULL: the columns' widths as given; else how they share */
	const struct ui_column_fit *fit;
	int page; /* rows the last draw showed: ui_list_key's page */
};
/* The columns' widths (text only; one blank between columns) in a list
 * `width` wide, into widths[n]: shared as fit says (NULL: as given, the
 * last taking what is left). */
void ui_list_widths(const struct ui_column *c, const struct ui_column_fit *fit,
                    int n, int width, int *widths);

/* Draws header and rows into the area; keeps the cursor visible. */
void ui_list_draw(struct ui_list *l, struct ui_area a);
/* Moves the cursor for the movement requests (up, down, pages, first,
 * last); true when handled. page: the rows a page moves; 0 or less: the
 * rows the last draw showed (the area's height less the header). */
bool ui_list_key(struct ui_list *l, enum ui_request r, int page);
/* Moves the cursor to the next row after it (wrapping) that the text
 * matches by the one search rule (ui_text_match) on these columns' cells
 * (at most 8; the first is the one matched by its start); false when none
 * does (the cursor stays). */
bool ui_list_find(struct ui_list *l, const char *text, const int *columns,
                  int n);

/* ---- test mode (like tig's): keys from a file, screens dumped as text -- */

/* In test mode (ACCESSDESK_TEST_KEYS names a script), the script's
 * <Dump> writes the whole screen, one text line per row, to the file
 * ACCESSDESK_TEST_DUMP (appended, then a line "-- cursor Y,X" giving the
 * terminal cursor's place). */
bool ui_test_mode(void);
/* The text of screen row y as the dump writes it (ACS lines as +-|,
 * trailing blanks cut): for widget tests. */
void ui_screen_line(int y, char *buf, size_t len);

/* ---- a scrolling text view (Why?, before/after) ----------------------- */

/* A screen showing lines (copied), scrolled with the movement keys and
 * closed with Esc or q. Lines starting with "# " are headers. */
struct ui_screen *ui_text_view_new(const char *title, const char *const *lines,
                                   int n);

/* The view's drawing and scrolling, for a screen that shows lines in a
 * mode of its own (a summary before a save): the title, then the lines
 * from *top (kept in range); a line longer than the width goes on over the
 * next rows, indented two columns more than the line itself, broken at
 * spaces: nothing is cut. ui_lines_scroll moves *top for the movement
 * requests (true when r is one). */
void ui_lines_draw(struct ui_area a, const char *title, char *const *lines,
                   int n, int *top);
bool ui_lines_scroll(int *top, int n, enum ui_request r);

/* Lines being written for a view: each added line formatted and copied;
 * nomem once an allocation failed (the view is then not shown). */
struct ui_lines {
	char **v;
	int n, cap;
	bool nomem;
};
void ui_lines_add(struct ui_lines *l, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ui_lines_free(struct ui_lines *l);

/* The searchable picker: accessdesk/ui_picker.h. */

#endif
