/* config.c: the configuration file (config.h), read with libconfig.
 *
 * Finds the file (explicit, XDG, system), reads it, and checks every key:
 * unknown keys, wrong types and bad values are errors "FILE:LINE: message"
 * with the line of the offending value. Also owns the encodings of colours
 * and keys and the email domain rule, so that the UI and the forms share one
 * implementation of each. No curses; libpq only to parse a conninfo as
 * libpq itself would.
 */
#include "accessdesk/config.h"
#include "accessdesk/text.h"

#include <errno.h>
#include <libconfig.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The last place searched; a -D can move it for a packaged sysconfdir. */
#ifndef CONFIG_SYSTEM_FILE
#define CONFIG_SYSTEM_FILE "/etc/accessdesk/accessdesk.conf"
#endif
#define CONFIG_XDG_FILE "/accessdesk/accessdesk.conf"

#define PASSWORD_ADVICE "passwords belong in ~/.pgpass or PGPASSWORD"

#define DOMAIN_MAX       253
#define DOMAIN_LABEL_MAX 63
#define QUOTE_MAX        40 /* values quoted in messages are cut here */

/* ---- small string helpers ---------------------------------------------- */

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Case-insensitive for ASCII only, whatever the locale (a Turkish locale
 * must not make "I" and "i" differ). */
static bool ascii_ieq_n(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ascii_lower((unsigned char)a[i]) !=
		    ascii_lower((unsigned char)b[i]))
			return false;
		if (a[i] == '\0')
			return true;
	}
	return true;
}

static bool ascii_ieq(const char *a, const char *b)
{
	size_t la = strlen(a);

	return la == strlen(b) && ascii_ieq_n(a, b, la);
}

/* Copies a value into a message: printable ASCII as is, anything else as
 * '?', cut at QUOTE_MAX with "...", so that a hostile file cannot put
 * control characters on the operator's terminal through an error. */
static const char *quote(const char *s, char buf[QUOTE_MAX + 4])
{
	size_t i;

	for (i = 0; s[i] && i < QUOTE_MAX; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* printf into err, if there is room: every error goes through here. */
__attribute__((format(printf, 3, 4))) static bool
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return false;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* ---- names ------------------------------------------------------------ */

static const char *const element_names[CONFIG_UI_COUNT] = {
    [CONFIG_UI_TITLE] = "title",           [CONFIG_UI_TABS] = "tabs",
    [CONFIG_UI_TAB_ACTIVE] = "tab_active", [CONFIG_UI_KEYBAR] = "keybar",
    [CONFIG_UI_MESSAGE] = "message",       [CONFIG_UI_ERROR] = "error",
    [CONFIG_UI_SELECTED] = "selected",     [CONFIG_UI_HEADER] = "header",
    [CONFIG_UI_READONLY] = "readonly",
};

/* The defaults are designed monochrome first: the attributes alone tell
 * the parts apart on a vt100; the colours are an extra. Each is written as
 * the file would spell it, and parsed by config_parse_style(). */
static const char *const element_defaults[CONFIG_UI_COUNT] = {
    [CONFIG_UI_TITLE] = "bold white on blue",
    [CONFIG_UI_TABS] = "white on blue",
    [CONFIG_UI_TAB_ACTIVE] = "bold reverse",
    [CONFIG_UI_KEYBAR] = "black on cyan",
    [CONFIG_UI_MESSAGE] = "green",
    [CONFIG_UI_ERROR] = "bold red",
    [CONFIG_UI_SELECTED] = "reverse",
    [CONFIG_UI_HEADER] = "bold underline",
    [CONFIG_UI_READONLY] = "dim cyan",
};

static const char *const colour_names[] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};
#define N_COLOURS (sizeof(colour_names) / sizeof(colour_names[0]))

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
    {"bold", CONFIG_ATTR_BOLD},
    {"underline", CONFIG_ATTR_UNDERLINE},
    {"reverse", CONFIG_ATTR_REVERSE},
    {"dim", CONFIG_ATTR_DIM},
};
#define N_ATTRS (sizeof(attr_names) / sizeof(attr_names[0]))

static const char *const operator_names[] = {
    [CONFIG_OPERATOR_UNIX] = "unix",
    [CONFIG_OPERATOR_DATABASE] = "database",
    [CONFIG_OPERATOR_FLAG] = "flag",
};
#define N_OPERATORS (sizeof(operator_names) / sizeof(operator_names[0]))

/* Named keys; the first name of a code is the one config_key_name() gives,
 * the others are accepted as well. */
static const struct {
	const char *name;
	int key;
} key_names[] = {
    {"Tab", CONFIG_KEY_TAB},
    {"Enter", CONFIG_KEY_ENTER},
    {"Return", CONFIG_KEY_ENTER},
    {"Esc", CONFIG_KEY_ESC},
    {"Escape", CONFIG_KEY_ESC},
    {"Space", CONFIG_KEY_SPACE},
    {"Backspace", CONFIG_KEY_BACKSPACE},
    {"Up", CONFIG_KEY_UP},
    {"Down", CONFIG_KEY_DOWN},
    {"Left", CONFIG_KEY_LEFT},
    {"Right", CONFIG_KEY_RIGHT},
    {"Home", CONFIG_KEY_HOME},
    {"End", CONFIG_KEY_END},
    {"PageUp", CONFIG_KEY_PAGE_UP},
    {"PgUp", CONFIG_KEY_PAGE_UP},
    {"PageDown", CONFIG_KEY_PAGE_DOWN},
    {"PgDn", CONFIG_KEY_PAGE_DOWN},
    {"Insert", CONFIG_KEY_INSERT},
    {"Ins", CONFIG_KEY_INSERT},
    {"Delete", CONFIG_KEY_DELETE},
    {"Del", CONFIG_KEY_DELETE},
    {"BackTab", CONFIG_KEY_BACKTAB},
    {"Shift-Tab", CONFIG_KEY_BACKTAB},
};
#define N_KEY_NAMES (sizeof(key_names) / sizeof(key_names[0]))

const char *config_ui_element_name(enum config_ui_element e)
{
	return (unsigned)e < CONFIG_UI_COUNT ? element_names[e] : "?";
}

const char *config_operator_source_name(enum config_operator_source s)
{
	return (unsigned)s < N_OPERATORS ? operator_names[s] : "?";
}

/* ---- colours ----------------------------------------------------------- */

static int colour_find(const char *word)
{
	size_t i;

	if (ascii_ieq(word, "default"))
		return CONFIG_COLOUR_DEFAULT;
	for (i = 0; i < N_COLOURS; i++)
		if (ascii_ieq(word, colour_names[i]))
			return (int)i;
	return -2;
}

bool config_parse_style(const char *spec, struct config_style *out, char *err,
                        size_t errlen)
{
	struct config_style st = {CONFIG_COLOUR_DEFAULT, CONFIG_COLOUR_DEFAULT,
	                          0};
	bool have_fg = false, have_bg = false, after_on = false;
	const char *p = spec;
	char word[16], q[QUOTE_MAX + 4];
	int words = 0;

	for (;;) {
		size_t n = 0, i;
		int colour;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		while (p[n] && p[n] != ' ' && p[n] != '\t')
			n++;
		words++;
		if (n >= sizeof(word)) {
			memcpy(word, p, sizeof(word) - 1);
			word[sizeof(word) - 1] = '\0';
			return set_err(err, errlen, "unknown word \"%s...\"",
			               quote(word, q));
		}
		memcpy(word, p, n);
		word[n] = '\0';
		p += n;

		colour = colour_find(word);
		if (after_on) {
			if (colour == -2)
				return set_err(err, errlen,
				               "\"on\" must be followed by a "
				               "colour, not \"%s\"",
				               quote(word, q));
			st.bg = colour;
			have_bg = true;
			after_on = false;
			continue;
		}
		if (colour != -2) {
			if (have_bg)
				return set_err(err, errlen,
				               "the text colour \"%s\" must "
				               "come before \"on\"",
				               quote(word, q));
			if (have_fg)
				return set_err(
				    err, errlen,
				    "two text colours: give one, "
				    "then \"on\" and the background");
			st.fg = colour;
			have_fg = true;
			continue;
		}
		if (ascii_ieq(word, "on")) {
			if (have_bg)
				return set_err(err, errlen,
				               "\"on\" given twice");
			after_on = true;
			continue;
		}
		for (i = 0; i < N_ATTRS; i++)
			if (ascii_ieq(word, attr_names[i].name))
				break;
		if (i == N_ATTRS)
			return set_err(err, errlen,
			               "unknown word \"%s\" (colours: black "
			               "red green yellow blue magenta cyan "
			               "white default; attributes: bold "
			               "underline reverse dim; \"FG on BG\")",
			               quote(word, q));
		st.attrs |= attr_names[i].bit;
	}
	if (after_on)
		return set_err(err, errlen,
		               "\"on\" must be followed by a "
		               "colour");
	if (words == 0)
		return set_err(err, errlen,
		               "empty: give a colour such as \"white on "
		               "blue\", or \"default\"");
	*out = st;
	return true;
}

/* ---- keys -------------------------------------------------------------- */

bool config_parse_key(const char *spec, int *key, char *err, size_t errlen)
{
	size_t len = strlen(spec), i;
	char q[QUOTE_MAX + 4];
	unsigned char c0 = (unsigned char)spec[0];

	if (len == 1 && c0 >= 0x20 && c0 < 0x7f) {
		*key = c0;
		return true;
	}
	if (len == 2 && c0 == '^') {
		int c = ascii_lower((unsigned char)spec[1]);

		if (c >= 'a' && c <= 'z') {
			*key = CONFIG_KEY_CTRL(c);
			return true;
		}
		if (c == '?') {
			*key = CONFIG_KEY_BACKSPACE;
			return true;
		}
		if (c == '[' || c == '\\' || c == ']' || c == '^' || c == '_') {
			*key = CONFIG_KEY_CTRL(c);
			return true;
		}
	}
	if (len >= 2 && len <= 3 && (c0 == 'F' || c0 == 'f') &&
	    spec[1] >= '1' && spec[1] <= '9' &&
	    (len == 2 || (spec[2] >= '0' && spec[2] <= '9'))) {
		int n = atoi(spec + 1);

		if (n <= CONFIG_KEY_F_MAX) {
			*key = CONFIG_KEY_F(n);
			return true;
		}
	}
	for (i = 0; i < N_KEY_NAMES; i++) {
		if (ascii_ieq(spec, key_names[i].name)) {
			*key = key_names[i].key;
			return true;
		}
	}
	return set_err(err, errlen,
	               "not a key: \"%s\" (give one character, ^A to ^Z for "
	               "Ctrl, F1 to F63, or Enter Esc Tab BackTab Space "
	               "Backspace Up Down Left Right Home End PageUp PageDown "
	               "Insert Delete)",
	               quote(spec, q));
}

void config_key_name(int key, char *buf, size_t len)
{
	size_t i;

	if (!buf || len == 0)
		return;
	for (i = 0; i < N_KEY_NAMES; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, len, "%s", key_names[i].name);
			return;
		}
	}
	if (key > 0 && key < 0x20)
		snprintf(buf, len, "^%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else if (key > CONFIG_KEY_F0 && key <= CONFIG_KEY_F(CONFIG_KEY_F_MAX))
		snprintf(buf, len, "F%d", key - CONFIG_KEY_F0);
	else
		snprintf(buf, len, "?");
}

/* ---- email domains ----------------------------------------------------- */

/* A DNS name of at least two labels: letters, digits and inner hyphens,
 * labels of 1-63 characters, 253 in all. */
static bool domain_valid(const char *d)
{
	size_t len = strlen(d), label = 0, labels = 1, i;

	if (len == 0 || len > DOMAIN_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)d[i];

		if (ch == '.') {
			if (label == 0 || d[i - 1] == '-')
				return false;
			label = 0;
			labels++;
			continue;
		}
		if (ch == '-') {
			if (label == 0)
				return false;
		} else if (!((ch >= 'a' && ch <= 'z') ||
		             (ch >= 'A' && ch <= 'Z') ||
		             (ch >= '0' && ch <= '9'))) {
			return false;
		}
		if (++label > DOMAIN_LABEL_MAX)
			return false;
	}
	return label > 0 && d[len - 1] != '-' && labels >= 2;
}

bool config_email_allowed(const struct config *c, const char *email)
{
	const char *at, *d;
	size_t dlen, i;

	if (!email)
		return false;
	at = strrchr(email, '@');
	if (!at)
		return false;
	/* the address's own form is the field rules' (src/fields); this is
	 * only the configured domain policy */
	if (c->email.n_allowed_domains == 0)
		return true;
	d = at + 1;
	if (!domain_valid(d))
		return false;
	dlen = strlen(d);
	for (i = 0; i < c->email.n_allowed_domains; i++) {
		const char *a = c->email.allowed_domains[i];
		size_t alen = strlen(a);

		if (dlen == alen && ascii_ieq_n(d, a, alen))
			return true;
		/* A subdomain: "x.nhs.uk" but never "evil-nhs.uk". */
		if (dlen > alen && d[dlen - alen - 1] == '.' &&
		    ascii_ieq_n(d + dlen - alen, a, alen))
			return true;
	}
	return false;
}

/* ---- conninfo ---------------------------------------------------------- */

static bool is_uri(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	       strncmp(s, "postgres://", 11) == 0;
}

/* A dbname that libpq would read as a connection string of its own. */
static bool is_connection_string(const char *s)
{
	return is_uri(s) || strchr(s, '=') != NULL;
}

/* libpq's reason, one line, its control characters as '?'. */
static bool libpq_err(char *err, size_t errlen, char *why)
{
	size_t n;
	char *p;

	if (!why)
		return set_err(err, errlen, "out of memory");
	n = strlen(why);
	while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '))
		why[--n] = '\0';
	for (p = why; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	set_err(err, errlen, "%s", why);
	PQfreemem(why);
	return false;
}

/* Parsed by libpq itself (PQconninfoParse, key=value and URI alike), so that
 * what is refused is what libpq would read: any option libpq marks as a
 * password ("*": password, sslpassword), and whatever libpq cannot parse.
 * A dbname holding a connection string of its own is looked into too. */
static bool conninfo_check(const char *s, int depth, char *err, size_t errlen)
{
	PQconninfoOption *opts, *o;
	char *why = NULL;
	bool ok = true;

	opts = PQconninfoParse(s, &why);
	if (!opts)
		return libpq_err(err, errlen, why);
	for (o = opts; ok && o->keyword; o++) {
		if (!o->val)
			continue;
		if (o->dispchar && strchr(o->dispchar, '*'))
			ok = set_err(err, errlen, "%s a password (%s): %s",
			             is_uri(s) ? "the URI holds" : "holds",
			             o->keyword, PASSWORD_ADVICE);
		else if (depth == 0 && strcmp(o->keyword, "dbname") == 0 &&
		         is_connection_string(o->val))
			ok = conninfo_check(o->val, depth + 1, err, errlen);
	}
	PQconninfoFree(opts);
	return ok;
}

/* ---- the reader -------------------------------------------------------- */

struct reader {
	const char *file; /* used where libconfig names none */
	struct config *c;
	char *err;
	size_t errlen;
	const config_setting_t *conninfo, *service; /* NULL when absent */
};

typedef bool (*read_fn)(struct reader *r, const config_setting_t *s);

struct key_reader {
	const char *name;
	read_fn read;
	bool hidden; /* left out of "known here" */
};

/* The dotted name of a setting: "ui.colours.title",
 * "email.allowed_domains[2]". */
static void setting_name(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *chain[16];
	size_t n = 0, used = 0;

	buf[0] = '\0';
	while (s && config_setting_parent(s) && n < 16) {
		chain[n++] = s;
		s = config_setting_parent(s);
	}
	while (n-- > 0 && used < len) {
		const char *name = config_setting_name(chain[n]);
		int w;

		if (name)
			w = snprintf(buf + used, len - used, "%s%s",
			             used ? "." : "", name);
		else
			w = snprintf(buf + used, len - used, "[%d]",
			             config_setting_index(chain[n]));
		if (w < 0)
			return;
		used += (size_t)w;
	}
}

/* The file a setting or an error is in. libconfig (1.5) names an included
 * file as the @include line spells it, while it was opened in the main
 * file's directory: say that directory too. */
static const char *source_file(const char *main, const char *file, char *buf,
                               size_t len)
{
	const char *slash = strrchr(main, '/');

	if (!file || strcmp(file, main) == 0)
		return main;
	if (file[0] == '/' || !slash)
		return file;
	snprintf(buf, len, "%.*s/%s", (int)(slash - main), main, file);
	return buf;
}

/* "FILE:LINE: NAME: message": the first error wins. */
__attribute__((format(printf, 3, 4))) static bool
fail(struct reader *r, const config_setting_t *at, const char *fmt, ...)
{
	char name[256], file[CONFIG_PATH_MAX];
	va_list ap;
	int n;

	if (!r->err || r->errlen == 0)
		return false;
	setting_name(at, name, sizeof(name));
	n = snprintf(r->err, r->errlen, "%s:%u: %s%s",
	             source_file(r->file, config_setting_source_file(at), file,
	                         sizeof(file)),
	             config_setting_source_line(at), name, name[0] ? ": " : "");
	if (n < 0 || (size_t)n >= r->errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static const char *type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a decimal number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	default:
		return "a value of unknown type";
	}
}

/* Reads each member of a group with the reader of its name: unknown names
 * are errors, in the order of the file, naming the keys that are known
 * (those without a hint, such as database.password, are refused by their
 * reader with a reason instead). */
static bool read_group(struct reader *r, const config_setting_t *g,
                       const struct key_reader *keys, size_t n_keys)
{
	int i, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(r, g, "must be a group { ... }, not %s",
		            type_name(g));
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		const config_setting_t *s =
		    config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		char known[256];
		size_t k, used = 0;

		for (k = 0; k < n_keys; k++)
			if (strcmp(name, keys[k].name) == 0)
				break;
		if (k < n_keys) {
			if (!keys[k].read(r, s))
				return false;
			continue;
		}
		known[0] = '\0';
		for (k = 0; k < n_keys; k++) {
			int w;

			if (keys[k].hidden)
				continue;
			w = snprintf(known + used, sizeof(known) - used, "%s%s",
			             used ? " " : "", keys[k].name);
			if (w < 0 || (size_t)w >= sizeof(known) - used)
				break;
			used += (size_t)w;
		}
		return fail(r, s, "unknown key (known here: %s)", known);
	}
	return true;
}

static bool get_string(struct reader *r, const config_setting_t *s,
                       const char **out)
{
	*out = "";
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(r, s, "must be a string in double quotes, not %s",
		            type_name(s));
	*out = config_setting_get_string(s);
	return true;
}

static bool get_int(struct reader *r, const config_setting_t *s, int min,
                    int max, int *out)
{
	long long v;

	*out = min;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return fail(r, s, "must be an integer from %d to %d, not %s",
		            min, max, type_name(s));
	v = config_setting_get_int64(s);
	if (v < min || v > max)
		return fail(r, s, "must be an integer from %d to %d, not %lld",
		            min, max, v);
	*out = (int)v;
	return true;
}

static bool get_bool(struct reader *r, const config_setting_t *s, bool *out)
{
	*out = false;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(r, s, "must be true or false, not %s",
		            type_name(s));
	*out = config_setting_get_bool(s) != 0;
	return true;
}

/* ---- database ---------------------------------------------------------- */

static bool read_conninfo(struct reader *r, const config_setting_t *s)
{
	char why[256];
	const char *v;

	if (!get_string(r, s, &v))
		return false;
	if (strlen(v) >= sizeof(r->c->database.conninfo))
		return fail(r, s, "longer than %zu bytes",
		            sizeof(r->c->database.conninfo) - 1);
	if (!conninfo_check(v, 0, why, sizeof(why)))
		return fail(r, s, "%s", why);
	strcpy(r->c->database.conninfo, v);
	r->conninfo = s;
	return true;
}

/* A pg_service.conf section name. */
static bool read_service(struct reader *r, const config_setting_t *s)
{
	const char *v, *p;

	if (!get_string(r, s, &v))
		return false;
	if (strlen(v) >= sizeof(r->c->database.service))
		return fail(r, s, "longer than %zu bytes",
		            sizeof(r->c->database.service) - 1);
	for (p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		      *p == '.'))
			return fail(r, s,
			            "must be a service name of letters, "
			            "digits, '_', '-' and '.'");
	strcpy(r->c->database.service, v);
	r->service = s;
	return true;
}

static bool read_password(struct reader *r, const config_setting_t *s)
{
	return fail(r, s, "not allowed: %s", PASSWORD_ADVICE);
}

static const struct key_reader database_keys[] = {
    {"conninfo", read_conninfo, false},
    {"service", read_service, false},
    {"password", read_password, true},
};

static bool read_database(struct reader *r, const config_setting_t *s)
{
	if (!read_group(r, s, database_keys,
	                sizeof(database_keys) / sizeof(database_keys[0])))
		return false;
	if (r->conninfo && r->service && r->c->database.conninfo[0] &&
	    r->c->database.service[0]) {
		const config_setting_t *later =
		    config_setting_source_line(r->service) >=
		            config_setting_source_line(r->conninfo)
		        ? r->service
		        : r->conninfo;

		return fail(r, later,
		            "cannot be given with database.%s: use either "
		            "conninfo or service",
		            later == r->service ? "conninfo" : "service");
	}
	return true;
}

/* ---- operator ---------------------------------------------------------- */

static bool read_operator_source(struct reader *r, const config_setting_t *s)
{
	char q[QUOTE_MAX + 4];
	const char *v;
	size_t i;

	if (!get_string(r, s, &v))
		return false;
	for (i = 0; i < N_OPERATORS; i++) {
		if (strcmp(v, operator_names[i]) == 0) {
			r->c->operator_source = (enum config_operator_source)i;
			return true;
		}
	}
	return fail(r, s,
	            "must be \"unix\", \"database\" or \"flag\", not \"%s\"",
	            quote(v, q));
}

static const struct key_reader operator_keys[] = {
    {"source", read_operator_source, false},
};

static bool read_operator(struct reader *r, const config_setting_t *s)
{
	return read_group(r, s, operator_keys,
	                  sizeof(operator_keys) / sizeof(operator_keys[0]));
}

/* ---- ui ---------------------------------------------------------------- */

static bool read_page_size(struct reader *r, const config_setting_t *s)
{
	return get_int(r, s, CONFIG_PAGE_SIZE_MIN, CONFIG_PAGE_SIZE_MAX,
	               &r->c->ui.page_size);
}

static bool read_esc_digit(struct reader *r, const config_setting_t *s)
{
	return get_int(r, s, 0, CONFIG_ESC_DIGIT_MS_MAX,
	               &r->c->ui.esc_digit_ms);
}

static bool read_escdelay(struct reader *r, const config_setting_t *s)
{
	return get_int(r, s, 0, CONFIG_ESCDELAY_MS_MAX, &r->c->ui.escdelay_ms);
}

static bool read_ascii_lines(struct reader *r, const config_setting_t *s)
{
	return get_bool(r, s, &r->c->ui.ascii_lines);
}

static bool read_read_only(struct reader *r, const config_setting_t *s)
{
	return get_bool(r, s, &r->c->ui.read_only);
}

/* Printable ASCII (so that dates cannot disturb the terminal or the
 * columns), and only the conversions whose output is plain and short. */
static bool read_date_format(struct reader *r, const config_setting_t *s)
{
	static const char allowed[] = "dmYyHMSbeF%";
	const char *v, *p;
	size_t len;

	if (!get_string(r, s, &v))
		return false;
	len = strlen(v);
	if (len == 0)
		return fail(r, s, "must not be empty");
	if (len > CONFIG_DATE_FORMAT_MAX)
		return fail(r, s, "longer than %d characters",
		            CONFIG_DATE_FORMAT_MAX);
	for (p = v; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			return fail(r, s, "must be printable ASCII");
		if (*p != '%')
			continue;
		p++;
		if (*p == '\0')
			return fail(r, s, "ends with a lone '%%'");
		if (!strchr(allowed, *p))
			return fail(r, s,
			            "uses %%%c: only %%d %%m %%Y %%y %%H %%M "
			            "%%S %%b %%e %%F and %%%% are allowed",
			            (*p >= 0x20 && *p < 0x7f) ? *p : '?');
	}
	memcpy(r->c->ui.date_format, v, len + 1);
	return true;
}

static bool read_colours(struct reader *r, const config_setting_t *g)
{
	int i, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(r, g, "must be a group { ... }, not %s",
		            type_name(g));
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		const config_setting_t *s =
		    config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s), *v;
		char why[256];
		size_t e;

		for (e = 0; e < CONFIG_UI_COUNT; e++)
			if (strcmp(name, element_names[e]) == 0)
				break;
		if (e == CONFIG_UI_COUNT)
			return fail(r, s,
			            "unknown key (known here: title tabs "
			            "tab_active keybar message error selected "
			            "header readonly)");
		if (!get_string(r, s, &v))
			return false;
		if (!config_parse_style(v, &r->c->ui.colours[e], why,
		                        sizeof(why)))
			return fail(r, s, "%s", why);
	}
	return true;
}

static bool request_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > CONFIG_REQUEST_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') ||
		      (*name >= '0' && *name <= '9') || *name == '_' ||
		      *name == '-'))
			return false;
	return true;
}

static bool read_keys(struct reader *r, const config_setting_t *g)
{
	struct config *c = r->c;
	int i, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(r, g, "must be a group { ... }, not %s",
		            type_name(g));
	n = config_setting_length(g);
	if (n == 0)
		return true;
	c->ui.keys = calloc((size_t)n, sizeof(*c->ui.keys));
	if (!c->ui.keys)
		return fail(r, g, "out of memory");
	for (i = 0; i < n; i++) {
		const config_setting_t *s =
		    config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s), *v;
		struct config_key *k = &c->ui.keys[c->ui.n_keys];
		char why[512], kn[16];
		size_t j;

		if (!request_name_valid(name))
			return fail(r, s,
			            "not a request name (lower case "
			            "letters, digits, '_' and '-', at most "
			            "%d)",
			            CONFIG_REQUEST_NAME_MAX);
		if (!get_string(r, s, &v))
			return false;
		if (!config_parse_key(v, &k->key, why, sizeof(why)))
			return fail(r, s, "%s", why);
		for (j = 0; j < c->ui.n_keys; j++) {
			if (c->ui.keys[j].key == k->key) {
				config_key_name(k->key, kn, sizeof(kn));
				return fail(r, s,
				            "%s is already bound to %s at line "
				            "%d",
				            kn, c->ui.keys[j].request,
				            c->ui.keys[j].line);
			}
		}
		strcpy(k->request, name);
		k->line = (int)config_setting_source_line(s);
		c->ui.n_keys++;
	}
	return true;
}

static const struct key_reader ui_keys[] = {
    {"page_size", read_page_size, false},
    {"date_format", read_date_format, false},
    {"escdelay_ms", read_escdelay, false},
    {"esc_digit_ms", read_esc_digit, false},
    {"ascii_lines", read_ascii_lines, false},
    {"read_only", read_read_only, false},
    {"colours", read_colours, false},
    {"keys", read_keys, false},
};

static bool read_ui(struct reader *r, const config_setting_t *s)
{
	return read_group(r, s, ui_keys, sizeof(ui_keys) / sizeof(ui_keys[0]));
}

/* ---- email ------------------------------------------------------------- */

static bool read_allowed_domains(struct reader *r, const config_setting_t *s)
{
	struct config *c = r->c;
	int i, n;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail(r, s,
		            "must be an array of strings [ \"nhs.uk\", ... ], "
		            "not %s",
		            type_name(s));
	n = config_setting_length(s);
	if (n == 0)
		return true;
	c->email.allowed_domains =
	    calloc((size_t)n, sizeof(*c->email.allowed_domains));
	if (!c->email.allowed_domains)
		return fail(r, s, "out of memory");
	for (i = 0; i < n; i++) {
		const config_setting_t *e =
		    config_setting_get_elem(s, (unsigned)i);
		const char *v;
		char q[QUOTE_MAX + 4], *d, *p;

		if (!get_string(r, e, &v))
			return false;
		if (!domain_valid(v))
			return fail(r, e,
			            "not a domain name such as \"nhs.uk\": "
			            "\"%s\"",
			            quote(v, q));
		d = strdup(v);
		if (!d)
			return fail(r, e, "out of memory");
		for (p = d; *p; p++)
			*p = (char)ascii_lower((unsigned char)*p);
		c->email.allowed_domains[c->email.n_allowed_domains++] = d;
	}
	return true;
}

static const struct key_reader email_keys[] = {
    {"allowed_domains", read_allowed_domains, false},
};

static bool read_email(struct reader *r, const config_setting_t *s)
{
	return read_group(r, s, email_keys,
	                  sizeof(email_keys) / sizeof(email_keys[0]));
}

static const struct key_reader root_keys[] = {
    {"database", read_database, false},
    {"operator", read_operator, false},
    {"ui", read_ui, false},
    {"email", read_email, false},
};

/* ---- defaults, free ---------------------------------------------------- */

void config_defaults(struct config *c)
{
	size_t e;

	memset(c, 0, sizeof(*c));
	c->operator_source = CONFIG_OPERATOR_UNIX;
	c->ui.page_size = 20;
	c->ui.escdelay_ms = 25;
	c->ui.esc_digit_ms = 500;
	strcpy(c->ui.date_format, "%d/%m/%Y");
	for (e = 0; e < CONFIG_UI_COUNT; e++)
		config_parse_style(element_defaults[e], &c->ui.colours[e], NULL,
		                   0);
}

void config_free(struct config *c)
{
	size_t i;

	free(c->ui.keys);
	c->ui.keys = NULL;
	c->ui.n_keys = 0;
	for (i = 0; i < c->email.n_allowed_domains; i++)
		free(c->email.allowed_domains[i]);
	free(c->email.allowed_domains);
	c->email.allowed_domains = NULL;
	c->email.n_allowed_domains = 0;
}

/* ---- finding and reading the file ------------------------------------- */

/* buf = base (without trailing slashes) + tail; -1 when it does not fit. */
static int join(char *buf, size_t len, const char *base, size_t blen,
                const char *tail)
{
	int n;

	while (blen > 1 && base[blen - 1] == '/')
		blen--;
	if (blen > INT_MAX)
		return -1;
	n = snprintf(buf, len, "%.*s%s", (int)blen, base, tail);
	return n < 0 || (size_t)n >= len ? -1 : 1;
}

/* The i-th candidate: 1 found, 0 past the last, -1 too long for buf.
 * XDG: unset or empty variables take their defaults, and relative paths
 * are ignored. */
static int search_path(size_t i, char *buf, size_t len)
{
	const char *home = getenv("XDG_CONFIG_HOME"), *dirs, *p;
	size_t n = 0;

	if (home && home[0] == '/') {
		if (n++ == i)
			return join(buf, len, home, strlen(home),
			            CONFIG_XDG_FILE);
	} else if ((home = getenv("HOME")) && home[0] == '/') {
		if (n++ == i) {
			char base[CONFIG_PATH_MAX];

			if (join(base, sizeof(base), home, strlen(home),
			         "/.config") < 0)
				return -1;
			return join(buf, len, base, strlen(base),
			            CONFIG_XDG_FILE);
		}
	}
	dirs = getenv("XDG_CONFIG_DIRS");
	if (!dirs || !dirs[0])
		dirs = "/etc/xdg";
	for (p = dirs; *p;) {
		size_t seg = strcspn(p, ":");

		if (seg > 0 && p[0] == '/' && n++ == i)
			return join(buf, len, p, seg, CONFIG_XDG_FILE);
		p += seg;
		if (*p == ':')
			p++;
	}
	if (n++ == i)
		return join(buf, len, CONFIG_SYSTEM_FILE,
		            strlen(CONFIG_SYSTEM_FILE), "");
	return 0;
}

bool config_search_path(size_t i, char *buf, size_t len)
{
	return search_path(i, buf, len) > 0;
}

/* libconfig's @include is relative to the working directory unless told:
 * make it the file's own directory. */
static bool set_include_dir(config_t *cfg, const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t n;
	char *dir;

	if (!slash)
		return true;
	n = slash == file ? 1 : (size_t)(slash - file);
	dir = malloc(n + 1);
	if (!dir)
		return false;
	memcpy(dir, file, n);
	dir[n] = '\0';
	config_set_include_dir(cfg, dir);
	free(dir);
	return true;
}

/* libconfig (1.5) nests @include this deep at most, and says so. */
#define INCLUDE_DEPTH_MAX 10

/* libconfig opens an @include'd file itself: it would wait on a FIFO, and
 * a directory makes its scanner exit the process. So each file a line
 * `@include "NAME"` of file names (in main's directory, as set_include_dir
 * tells libconfig, which puts it before any NAME, even one starting with
 * '/'), and the files those include, must be regular files first. A
 * directive inside a comment or a string is checked too (it names a file
 * that should not be there either). One that does not exist is left to
 * libconfig, which says so at its line. */
static bool check_includes(const char *main, const char *file, int depth,
                           char *err, size_t errlen)
{
	const char *why, *slash = strrchr(main, '/');
	char name[CONFIG_PATH_MAX], path[2 * CONFIG_PATH_MAX], *t;
	size_t n, i = 0;
	unsigned line = 1;
	bool ok = true;
	FILE *g;

	if (depth >= INCLUDE_DEPTH_MAX || !(t = text_file_read(file, &n, &why)))
		return true; /* the caller has looked at it; libconfig stops */
	while (ok && i < n) {
		size_t start = i + strspn(t + i, " \t");

		if (text_include_name(t, n, start, name, sizeof(name), NULL)) {
			snprintf(path, sizeof(path), "%.*s%s%s",
			         slash ? (int)(slash - main) : 0, main,
			         slash ? "/" : "", name);
			if (!(g = text_file_open(path, &why))) {
				if (errno != ENOENT)
					ok = set_err(err, errlen,
					             "%s:%u: %s: %s", file,
					             line, path, why);
			} else {
				fclose(g);
				if (strcmp(path, file) != 0)
					ok = check_includes(
					    main, path, depth + 1, err, errlen);
			}
		}
		while (i < n && t[i] != '\n')
			i++;
		i++;
		line++;
	}
	free(t);
	return ok;
}

static bool read_file(struct config *c, const char *file, char *err,
                      size_t errlen)
{
	struct reader r = {file, c, err, errlen, NULL, NULL};
	const char *why;
	config_t cfg;
	FILE *probe;
	bool ok;

	/* libconfig says only "file I/O error", and waits on a FIFO: find
	 * out why first, refusing all but a regular file. */
	probe = text_file_open(file, &why);
	if (!probe)
		return set_err(err, errlen, "%s: %s", file, why);
	fclose(probe);
	if (!check_includes(file, file, 0, err, errlen))
		return false;

	config_init(&cfg);
	if (!set_include_dir(&cfg, file)) {
		config_destroy(&cfg);
		return set_err(err, errlen, "%s: out of memory", file);
	}
	if (!config_read_file(&cfg, file)) {
		char ef[CONFIG_PATH_MAX];

		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			set_err(err, errlen, "%s: cannot read file", file);
		else
			set_err(err, errlen, "%s:%d: %s",
			        source_file(file, config_error_file(&cfg), ef,
			                    sizeof(ef)),
			        config_error_line(&cfg),
			        config_error_text(&cfg));
		config_destroy(&cfg);
		return false;
	}
	ok = read_group(&r, config_root_setting(&cfg), root_keys,
	                sizeof(root_keys) / sizeof(root_keys[0]));
	config_destroy(&cfg);
	return ok;
}

bool config_load(struct config *c, const char *explicit_path, char *err,
                 size_t errlen)
{
	char buf[CONFIG_PATH_MAX];
	const char *file = explicit_path;

	config_defaults(c);
	if (err && errlen)
		err[0] = '\0';
	if (!file) {
		size_t i;
		struct stat st;

		for (i = 0;; i++) {
			int got = search_path(i, buf, sizeof(buf));

			if (got == 0)
				return true; /* no file: the defaults */
			if (got < 0)
				return set_err(err, errlen,
				               "configuration path %zu is "
				               "too long",
				               i + 1);
			if (stat(buf, &st) == 0)
				break;
			if (errno != ENOENT && errno != ENOTDIR)
				return set_err(err, errlen, "%s: %s", buf,
				               strerror(errno));
		}
		file = buf;
	}
	if (strlen(file) >= sizeof(c->path))
		return set_err(err, errlen, "%s: path too long", file);
	if (!read_file(c, file, err, errlen)) {
		config_free(c);
		config_defaults(c);
		return false;
	}
	strcpy(c->path, file);
	return true;
}

/* ---- key names against the UI ----------------------------------------- */

bool config_keys_check(const struct config *c, const char *const *requests,
                       size_t n_requests, char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < c->ui.n_keys; i++) {
		for (j = 0; j < n_requests; j++)
			if (strcmp(c->ui.keys[i].request, requests[j]) == 0)
				break;
		if (j == n_requests) {
			const char *near = text_nearest(c->ui.keys[i].request,
			                                requests, n_requests);
			char hint[64] = "";

			if (near)
				snprintf(hint, sizeof(hint),
				         " (did you mean \"%s\"?)", near);
			return set_err(err, errlen,
			               "%s:%d: ui.keys.%s: unknown request%s",
			               c->path, c->ui.keys[i].line,
			               c->ui.keys[i].request, hint);
		}
	}
	return true;
}

int config_key_for(const struct config *c, const char *request)
{
	size_t i;

	for (i = 0; i < c->ui.n_keys; i++)
		if (strcmp(c->ui.keys[i].request, request) == 0)
			return c->ui.keys[i].key;
	return 0;
}
