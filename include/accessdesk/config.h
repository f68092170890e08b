/* config.h: the configuration file (libconfig), read once at start-up.
 *
 * Where it is: `--config FILE`, else $XDG_CONFIG_HOME/accessdesk/
 * accessdesk.conf (default ~/.config), else accessdesk/accessdesk.conf in
 * each $XDG_CONFIG_DIRS entry (default /etc/xdg), else
 * /etc/accessdesk/accessdesk.conf. No file at all means every default, not
 * an error; a file that is found but cannot be read or is invalid is an
 * error, never skipped. Errors read "FILE:LINE: message".
 *
 * etc/accessdesk.conf is the commented example of every key. This module
 * knows neither curses nor libpq: colours and keys are stored in its own
 * encodings (below), which the UI translates.
 */
#ifndef ACCESSDESK_CONFIG_H
#define ACCESSDESK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_ERR_MAX 1024

#define CONFIG_PATH_MAX         4096
#define CONFIG_CONNINFO_MAX     1024 /* bytes, the terminating NUL included */
#define CONFIG_SERVICE_MAX      256
#define CONFIG_DATE_FORMAT_MAX  64 /* characters */
#define CONFIG_REQUEST_NAME_MAX 32 /* characters */

#define CONFIG_PAGE_SIZE_MIN    10
#define CONFIG_PAGE_SIZE_MAX    1000
#define CONFIG_ESCDELAY_MS_MAX  1000
#define CONFIG_ESC_DIGIT_MS_MAX 2000

/* How the console knows who the operator is (operator.source). */
enum config_operator_source {
	/* The Unix account name must match a user's login or the Unix
	 * account recorded for that user. */
	CONFIG_OPERATOR_UNIX,
	/* The PostgreSQL session user. */
	CONFIG_OPERATOR_DATABASE,
	/* `--operator LOGIN`, for demos and tests only: the console says DEMO
	 * on its top line. */
	CONFIG_OPERATOR_FLAG,
};

/* ---- colours (ui.colours) --------------------------------------------- */

/* The UI elements that take a colour, in the order of the file. */
enum config_ui_element {
	CONFIG_UI_TITLE,
	CONFIG_UI_TABS,
	CONFIG_UI_TAB_ACTIVE,
	CONFIG_UI_KEYBAR,
	CONFIG_UI_MESSAGE,
	CONFIG_UI_ERROR,
	CONFIG_UI_SELECTED,
	CONFIG_UI_HEADER,
	CONFIG_UI_READONLY,
	CONFIG_UI_COUNT
};

/* Colour numbers are those of curses' COLOR_BLACK..COLOR_WHITE (0-7);
 * CONFIG_COLOUR_DEFAULT is the terminal's own colour, -1 as for
 * use_default_colors(). */
enum config_colour {
	CONFIG_COLOUR_DEFAULT = -1,
	CONFIG_COLOUR_BLACK,
	CONFIG_COLOUR_RED,
	CONFIG_COLOUR_GREEN,
	CONFIG_COLOUR_YELLOW,
	CONFIG_COLOUR_BLUE,
	CONFIG_COLOUR_MAGENTA,
	CONFIG_COLOUR_CYAN,
	CONFIG_COLOUR_WHITE,
};

/* Attribute bits; the UI maps them to A_BOLD, A_UNDERLINE, A_REVERSE. */
#define CONFIG_ATTR_BOLD      0x1u
#define CONFIG_ATTR_UNDERLINE 0x2u
#define CONFIG_ATTR_REVERSE   0x4u
#define CONFIG_ATTR_DIM       0x8u /* where the terminal has it */

/* "[ATTR...] [FG] [on BG]", e.g. "bold white on blue". The attributes hold
 * on every terminal; fg and bg only where there is colour and NO_COLOR is
 * unset. */
struct config_style {
	int fg; /* enum config_colour */
	int bg;
	unsigned attrs; /* CONFIG_ATTR_* */
};

/* ---- keys (ui.keys) --------------------------------------------------- */

/* A key is an int, curses-free:
 *   0x01-0x7f             the byte itself: "a", "?", "^A" (1) ... "^Z" (26),
 *                         "Tab" (9), "Enter" (10: the UI also takes 13 and
 *                         KEY_ENTER), "Esc" (27), "Space" (32),
 *                         "Backspace" (127: the UI also takes 8 and
 *                         KEY_BACKSPACE)
 *   CONFIG_KEY_F(n)       function key Fn, n = 1..63 (0x1000 + n), the UI
 *                         maps it to KEY_F(n)
 *   CONFIG_KEY_SPECIAL+k  the named keys of enum config_key_special
 *                         ("Up", "PageDown", "BackTab", ...)
 * 0 is never a key. */
#define CONFIG_KEY_F0        0x1000
#define CONFIG_KEY_F(n)      (CONFIG_KEY_F0 + (n))
#define CONFIG_KEY_F_MAX     63
#define CONFIG_KEY_SPECIAL   0x1100
#define CONFIG_KEY_CTRL(c)   ((c)&0x1f) /* CONFIG_KEY_CTRL('A') == 1 */
#define CONFIG_KEY_TAB       9
#define CONFIG_KEY_ENTER     10
#define CONFIG_KEY_ESC       27
#define CONFIG_KEY_SPACE     32
#define CONFIG_KEY_BACKSPACE 127

enum config_key_special {
	CONFIG_KEY_UP = CONFIG_KEY_SPECIAL,
	CONFIG_KEY_DOWN,
	CONFIG_KEY_LEFT,
	CONFIG_KEY_RIGHT,
	CONFIG_KEY_HOME,
	CONFIG_KEY_END,
	CONFIG_KEY_PAGE_UP,
	CONFIG_KEY_PAGE_DOWN,
	CONFIG_KEY_INSERT,
	CONFIG_KEY_DELETE,
	CONFIG_KEY_BACKTAB, /* Shift-Tab */
	CONFIG_KEY_SPECIAL_END
};

/* One line of ui.keys: `request = "key";`. The request names are the UI's:
 * config_load() checks only their spelling, config_keys_check() checks them
 * against the UI's table. */
struct config_key {
	char request[CONFIG_REQUEST_NAME_MAX + 1];
	int key;
	int line; /* of the setting, for config_keys_check() */
};

/* ---- the configuration ------------------------------------------------ */

struct config {
	/* The file read, "" when none was found and these are the defaults. */
	char path[CONFIG_PATH_MAX];

	struct {
		/* A URI (postgresql://...) or "key=value ..." conninfo, never
		 * with a password; "" = libpq's defaults and environment. */
		char conninfo[CONFIG_CONNINFO_MAX];
		/* A pg_service.conf service name; "" = none. Never set
		 * together with conninfo. */
		char service[CONFIG_SERVICE_MAX];
	} database;

	enum config_operator_source operator_source; /* default unix */

	struct {
		int page_size;   /* read, 10..1000, and unused: a list's page
		                    is the rows its screen shows */
		int escdelay_ms; /* 0..1000, default 25 */
		/* how long after a lone ESC a digit typed by hand still makes
		 * it that function key: 0..2000, default 500; 0: only an ESC
		 * and digit sent together */
		int esc_digit_ms;
		bool ascii_lines;
		bool read_only;
		/* strftime format, default "%d/%m/%Y": printable ASCII, only
		 * %d %m %Y %y %H %M %S %b %e %F and %%. */
		char date_format[CONFIG_DATE_FORMAT_MAX + 1];
		struct config_style colours[CONFIG_UI_COUNT];
		/* Owned; requests not named keep the UI's default keys. */
		struct config_key *keys;
		size_t n_keys;
	} ui;

	struct {
		/* Lower-case domains; an address is allowed when its domain
		 * is one of them or a subdomain of one. None = any domain. */
		char **allowed_domains; /* owned */
		size_t n_allowed_domains;
	} email;
};

/* Every default; allocates nothing, so config_free() is optional after it. */
void config_defaults(struct config *c);

/* Fills *c (which must hold no allocations) from explicit_path, or when that
 * is NULL from the first file of the search order that exists. Sets c->path
 * to the file read, "" when none exists (then every value is the default
 * and the result is true). An explicit path that does not exist is an error.
 * On failure returns false, writes "FILE:LINE: message" or "FILE: message"
 * (no newline) into err, and leaves *c at the defaults. Free with
 * config_free(). */
bool config_load(struct config *c, const char *explicit_path, char *err,
                 size_t errlen);

/* Frees what config_load() allocated; c then holds no allocations. */
void config_free(struct config *c);

/* The i-th file of the search order (0-based), from the environment as it is
 * now: true with the path in buf, false past the last one or when buf is too
 * small. For `--check-config` to say where it looked. */
bool config_search_path(size_t i, char *buf, size_t len);

/* Checks every request of ui.keys against the names the UI knows: false with
 * "FILE:LINE: ui.keys.NAME: unknown request" at the first one that is not
 * there. To be called after config_load(), by --check-config as well. */
bool config_keys_check(const struct config *c, const char *const *requests,
                       size_t n_requests, char *err, size_t errlen);

/* The key bound to request in ui.keys, or 0 when the file binds none. */
int config_key_for(const struct config *c, const char *request);

/* Parsing and naming of the encodings above, shared with the UI and tests.
 * The parsers return false on a bad spec, with the reason in err (no file or
 * line: config_load adds them). */
bool config_parse_style(const char *spec, struct config_style *out, char *err,
                        size_t errlen);
bool config_parse_key(const char *spec, int *key, char *err, size_t errlen);
/* The name of a key as the file spells it ("a", "^A", "F5", "Enter"), for
 * the key bar and help; "?" for a code that is no key. */
void config_key_name(int key, char *buf, size_t len);

const char *config_ui_element_name(enum config_ui_element e);
const char *config_operator_source_name(enum config_operator_source s);

/* Whether email may be used under email.allowed_domains: its domain (after
 * the last '@', compared without regard to case) is an allowed domain or a
 * subdomain of one. With no allowed domains every well-formed domain is
 * allowed. False when email has no '@' or its domain is not a well-formed
 * domain name. */
bool config_email_allowed(const struct config *c, const char *email);

#endif
