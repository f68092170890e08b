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
	UI_KEY_F0 = UI_KEY_BASE + 0x100, /* UI_KEY_F0 + n is Fn */
};
#define UI_KEY_F(n) (UI_KEY_F0 + (n))
#define UI_CTRL(c)  ((c)&0x1f)

/* Every request: name (for ui.keys in the configuration), default key,
 * key-bar label, help text. */
#define REQ_INFO(_)                                                            \
	_(QUIT, "quit", 'q', "Quit", "Leave accessdesk")                       \
	_(HELP, "help", '?', "Help", "Show the keys of this screen")           \
	_(TAB_NEXT, "tab-next", UI_KEY_TAB, "Tab", "Next tab")                 \
	_(TAB_PREV, "tab-prev", UI_KEY_BACKTAB, "S-Tab", "Previous tab")       \
	_(TAB_1, "tab-1", '1', "1-5", "Tab 1: Users")                          \
	_(TAB_2, "tab-2", '2', NULL, "Tab 2: Organisations")                   \
	_(TAB_3, "tab-3", '3', NULL, "Tab 3: Service Provider Clusters")       \
	_(TAB_4, "tab-4", '4', NULL, "Tab 4: Study Configure")                 \
	_(TAB_5, "tab-5", '5', NULL, "Tab 5: Audit")                           \
	_(UP, "up", 'k', NULL, "Move up (also Up arrow)")                      \
	_(DOWN, "down", 'j', NULL, "Move down (also Down arrow)")              \
	_(PAGE_UP, "page-up", 'b', NULL, "Previous page (also PgUp)")          \
	_(PAGE_DOWN, "page-down", ' ', NULL, "Next page (also PgDn, Space)")   \
	_(FIRST, "first", 'g', NULL, "First row (also Home)")                  \
	_(LAST, "last", 'G', NULL, "Last row (also End)")                      \
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
	_(SUBMIT, "submit", UI_CTRL('s'), "Submit",                            \
	  "Submit the form (Ctrl-S)")                                          \
	_(NEXT_FIELD, "next-field", UI_CTRL('n'), NULL,                        \
	  "Next field (also Tab, Down)")                                       \
	_(PREV_FIELD, "prev-field", UI_CTRL('p'), NULL,                        \
	  "Previous field (also Shift-Tab, Up)")                               \
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
/* The request a key means (after the configuration's ui.keys), or
 * REQ_NONE. */
enum ui_request ui_request_of(int key);
/* "Enter", "^S", "q", "F1"... of the request's current key. */
void ui_request_key_name(enum ui_request r, char *buf, size_t len);

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
	/* Requests shown in the key bar, REQ_NONE terminated. */
	const enum ui_request *keybar;
	/* Frees the screen (after it was popped). */
	void (*close)(struct ui_screen *s);
	/* Called when the database announced a change (LISTEN/NOTIFY). */
	void (*changed)(struct ui_screen *s);
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
};

/* Starts curses on the terminal (or, in test mode, on the key script):
 * false with a message when the terminal cannot be used (unknown TERM). */
bool ui_start(const struct config *c, bool ascii_lines, char *err, size_t len);
/* Restores the terminal; safe to call twice, and from a fatal path. */
void ui_stop(void);

/* The tab screens, in tab order (NULL for a tab not built). */
void ui_set_tabs(struct ui_screen *const *tabs, const char *const *labels,
                 int n);
void ui_set_info(const struct ui_frame_info *info);

/* Runs the input loop until a screen says UI_QUIT or a signal ends it.
 * poll_fd: a file descriptor to watch besides the keyboard (the database
 * socket for NOTIFY), -1 for none; on_fd is called when it is readable. */
void ui_run(int poll_fd, void (*on_fd)(void *ctx), void *ctx);

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

/* Asks a yes/no question on the message line; true for y. */
bool ui_confirm(const char *question);
/* Reads a line of text on the message line (prompt, initial value);
 * false when cancelled with Esc. */
bool ui_prompt(const char *prompt, char *buf, size_t len);

/* ---- drawing (all text passes the sanitiser) -------------------------- */

/* Draws text in the area's row y (relative), from column x, at most w
 * columns, padded with spaces to w; returns the columns used. */
int ui_text(struct ui_area a, int y, int x, int w, enum ui_style style,
            const char *text);
/* Columns text takes once sanitised. */
int ui_text_width(const char *text);
/* A horizontal line (ACS, or '-' with --ascii-lines). */
void ui_hline(struct ui_area a, int y);
/* Puts the terminal cursor at (y, x) of the area, for screen readers. */
void ui_cursor(struct ui_area a, int y, int x);
bool ui_utf8(void);
/* Rows a page holds in the body (for paging keys). */
int ui_page_rows(void);

/* ---- the list widget -------------------------------------------------- */

/* Columns with a header, one row per item, a cursor, a sort marker; the
 * rows come from the screen (which pages through the store). */
struct ui_column {
	const char *title;
	int width; /* columns; the last column takes what is left */
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
};

/* Draws header and rows into the area; keeps the cursor visible. */
void ui_list_draw(struct ui_list *l, struct ui_area a);
/* Moves the cursor for the movement requests (up, down, pages, first,
 * last); true when handled. The page size is the area's height less the
 * header. */
bool ui_list_key(struct ui_list *l, enum ui_request r, int page);

/* ---- test mode (like tig's): keys from a file, screens dumped as text -- */

/* In test mode (ACCESSDESK_TEST_KEYS names a script), the script's
 * <Dump> writes the whole screen, one text line per row, to the file
 * ACCESSDESK_TEST_DUMP (appended, then a line "-- cursor Y,X" giving the
 * terminal cursor's place). */
bool ui_test_mode(void);

/* ---- a scrolling text view (Why?, before/after) ----------------------- */

/* A screen showing lines (copied), scrolled with the movement keys and
 * closed with Esc or q. Lines starting with "# " are headers. */
struct ui_screen *ui_text_view_new(const char *title, const char *const *lines,
                                   int n);

/* ---- the searchable picker -------------------------------------------- */

struct ui_pick_item {
	const char *code; /* shown first, matched by prefix */
	const char *name; /* matched anywhere, case-insensitively */
};

/* A screen listing items (borrowed: they must outlive it) filtered by
 * what the operator types; Enter calls picked(ctx, index) and closes. */
struct ui_screen *ui_picker_new(const char *title,
                                const struct ui_pick_item *items, int n,
                                void (*picked)(void *ctx, int index),
                                void *ctx);

#endif
