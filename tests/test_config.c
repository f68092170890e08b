/* test_config.c: the configuration file (config.h): defaults, every key,
 * the search order, errors with their lines, the password refusal, email
 * domains, colour and key specs, and the example etc/accessdesk.conf (found
 * through $ETC_DIR). Files are written to a temporary directory that the
 * group set-up makes and the tear-down removes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessdesk/config.h"

static char tmp[256];  /* the temporary directory */
static char conf[512]; /* tmp/t.conf, written by load_text() */
static char err[CONFIG_ERR_MAX];

/* ---- helpers ----------------------------------------------------------- */

static void rm_rf(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d) {
		while ((e = readdir(d))) {
			char sub[1024];

			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

/* mkdir -p */
static void make_dirs(const char *path)
{
	char buf[1024];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0700);
			*p = '/';
		}
	}
	mkdir(buf, 0700);
}

static void write_file(const char *path, const char *text)
{
	char dir[1024], *slash;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	assert_non_null(slash);
	*slash = '\0';
	make_dirs(dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Writes text to tmp/t.conf and loads it. */
static bool load_text(struct config *c, const char *text)
{
	write_file(conf, text);
	return config_load(c, conf, err, sizeof(err));
}

static void load_ok(struct config *c, const char *text)
{
	if (!load_text(c, text))
		fail_msg("unexpected error: %s", err);
	assert_string_equal(c->path, conf);
}

/* The load must fail with "tmp/t.conf:LINE: ..." holding needle. */
static void expect_error_at(const char *text, int line, const char *needle)
{
	struct config c;
	char prefix[600];

	if (load_text(&c, text))
		fail_msg("loaded, but expected an error at line %d (%s):\n%s",
		         line, needle, text);
	snprintf(prefix, sizeof(prefix), "%s:%d: ", conf, line);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, needle))
		fail_msg("expected \"%s...%s\", got \"%s\"", prefix, needle,
		         err);
	/* A failed load leaves the defaults and nothing to free. */
	assert_string_equal(c.path, "");
	assert_int_equal(c.ui.page_size, 20);
	assert_null(c.ui.keys);
	assert_null(c.email.allowed_domains);
	config_free(&c);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/accessdesk-config-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(conf, sizeof(conf), "%s/t.conf", tmp);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	rm_rf(tmp);
	return 0;
}

/* ---- defaults ---------------------------------------------------------- */

static void test_defaults(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	assert_string_equal(c.path, "");
	assert_string_equal(c.database.conninfo, "");
	assert_string_equal(c.database.service, "");
	assert_int_equal(c.operator_source, CONFIG_OPERATOR_UNIX);
	assert_int_equal(c.ui.page_size, 20);
	assert_int_equal(c.ui.escdelay_ms, 25);
	assert_int_equal(c.ui.esc_digit_ms, 500);
	assert_string_equal(c.ui.date_format, "%d/%m/%Y");
	assert_false(c.ui.ascii_lines);
	assert_false(c.ui.read_only);
	assert_null(c.ui.keys);
	assert_int_equal(c.ui.n_keys, 0);
	assert_null(c.email.allowed_domains);
	assert_int_equal(c.email.n_allowed_domains, 0);
	/* Monochrome first: the active tab and the selected row stand out
	 * by their attributes alone. */
	assert_true(c.ui.colours[CONFIG_UI_TAB_ACTIVE].attrs &
	            CONFIG_ATTR_REVERSE);
	assert_true(c.ui.colours[CONFIG_UI_SELECTED].attrs &
	            CONFIG_ATTR_REVERSE);
	assert_int_equal(c.ui.colours[CONFIG_UI_TITLE].fg, CONFIG_COLOUR_WHITE);
	assert_int_equal(c.ui.colours[CONFIG_UI_TITLE].bg, CONFIG_COLOUR_BLUE);
	assert_int_equal(c.ui.colours[CONFIG_UI_TITLE].attrs, CONFIG_ATTR_BOLD);
	config_free(&c);
	config_free(&c); /* twice is harmless */
}

/* An empty file and empty sections are the defaults, with path set. */
static void test_empty_file(void **state)
{
	struct config c;

	(void)state;
	load_ok(&c, "# nothing\n");
	assert_int_equal(c.ui.page_size, 20);
	config_free(&c);
	load_ok(&c, "database = {};\noperator = {};\nui = { colours = {}; "
	            "keys = {}; };\nemail = { allowed_domains = []; };\n");
	assert_int_equal(c.ui.n_keys, 0);
	assert_int_equal(c.email.n_allowed_domains, 0);
	config_free(&c);
}

/* ---- every key --------------------------------------------------------- */

static void test_every_key(void **state)
{
	struct config c;

	(void)state;
	load_ok(&c, "database = { conninfo = \"host=db port=5433 "
	            "dbname=desk\"; };\n"
	            "operator = { source = \"database\"; };\n"
	            "ui = {\n"
	            "  page_size = 50;\n"
	            "  date_format = \"%Y-%m-%d %H:%M:%S\";\n"
	            "  escdelay_ms = 100;\n"
	            "  ascii_lines = true;\n"
	            "  read_only = true;\n"
	            "  colours = { title = \"bold yellow on black\";\n"
	            "              error = \"underline reverse magenta\"; };\n"
	            "  keys = { quit = \"^Q\"; search = \"F3\"; add = \"A\";\n"
	            "           open = \"Enter\"; back = \"Esc\"; };\n"
	            "};\n"
	            "email = { allowed_domains = [ \"NHS.uk\", "
	            "\"example.org\" ]; };\n");
	assert_string_equal(c.database.conninfo,
	                    "host=db port=5433 dbname=desk");
	assert_string_equal(c.database.service, "");
	assert_int_equal(c.operator_source, CONFIG_OPERATOR_DATABASE);
	assert_int_equal(c.ui.page_size, 50);
	assert_string_equal(c.ui.date_format, "%Y-%m-%d %H:%M:%S");
	assert_int_equal(c.ui.escdelay_ms, 100);
	assert_true(c.ui.ascii_lines);
	assert_true(c.ui.read_only);
	assert_int_equal(c.ui.colours[CONFIG_UI_TITLE].fg,
	                 CONFIG_COLOUR_YELLOW);
	assert_int_equal(c.ui.colours[CONFIG_UI_TITLE].bg, CONFIG_COLOUR_BLACK);
	assert_int_equal(c.ui.colours[CONFIG_UI_TITLE].attrs, CONFIG_ATTR_BOLD);
	assert_int_equal(c.ui.colours[CONFIG_UI_ERROR].fg,
	                 CONFIG_COLOUR_MAGENTA);
	assert_int_equal(c.ui.colours[CONFIG_UI_ERROR].bg,
	                 CONFIG_COLOUR_DEFAULT);
	assert_int_equal(c.ui.colours[CONFIG_UI_ERROR].attrs,
	                 CONFIG_ATTR_UNDERLINE | CONFIG_ATTR_REVERSE);
	/* Elements not named keep their defaults. */
	assert_int_equal(c.ui.colours[CONFIG_UI_KEYBAR].fg,
	                 CONFIG_COLOUR_BLACK);
	assert_int_equal(c.ui.colours[CONFIG_UI_KEYBAR].bg, CONFIG_COLOUR_CYAN);
	assert_int_equal(c.ui.n_keys, 5);
	assert_string_equal(c.ui.keys[0].request, "quit");
	assert_int_equal(c.ui.keys[0].line, 11);
	assert_int_equal(config_key_for(&c, "quit"), 17);
	assert_int_equal(config_key_for(&c, "search"), CONFIG_KEY_F(3));
	assert_int_equal(config_key_for(&c, "add"), 'A');
	assert_int_equal(config_key_for(&c, "open"), CONFIG_KEY_ENTER);
	assert_int_equal(config_key_for(&c, "back"), CONFIG_KEY_ESC);
	assert_int_equal(config_key_for(&c, "help"), 0);
	assert_int_equal(c.email.n_allowed_domains, 2);
	assert_string_equal(c.email.allowed_domains[0], "nhs.uk");
	assert_string_equal(c.email.allowed_domains[1], "example.org");
	config_free(&c);

	load_ok(&c, "database = { service = \"accessdesk_prod\"; };\n"
	            "operator = { source = \"flag\"; };\n"
	            "ui = { page_size = 10; escdelay_ms = 0; esc_digit_ms = 0; "
	            "};\n"
	            "email = { allowed_domains = ( \"nhs.uk\" ); };\n");
	assert_string_equal(c.database.service, "accessdesk_prod");
	assert_int_equal(c.operator_source, CONFIG_OPERATOR_FLAG);
	assert_int_equal(c.ui.page_size, 10);
	assert_int_equal(c.ui.escdelay_ms, 0);
	assert_int_equal(c.ui.esc_digit_ms, 0);
	assert_int_equal(c.email.n_allowed_domains, 1);
	config_free(&c);

	load_ok(&c, "operator = { source = \"unix\"; };\n"
	            "ui = { page_size = 1000; escdelay_ms = 1000;\n"
	            "       esc_digit_ms = 2000;\n"
	            "       ascii_lines = false; read_only = false; };\n"
	            "database = { conninfo = \"postgresql://desk@db:5432/ad"
	            "?sslmode=require\"; service = \"\"; };\n");
	assert_int_equal(c.operator_source, CONFIG_OPERATOR_UNIX);
	assert_int_equal(c.ui.page_size, 1000);
	assert_int_equal(c.ui.escdelay_ms, 1000);
	assert_int_equal(c.ui.esc_digit_ms, 2000);
	assert_string_equal(c.database.conninfo,
	                    "postgresql://desk@db:5432/ad?sslmode=require");
	config_free(&c);
}

static void test_date_formats(void **state)
{
	static const char *const good[] = {
	    "%d/%m/%Y",
	    "%e %b %Y",
	    "%F",
	    "%y%m%d",
	    "%H:%M:%S",
	    "100%%",
	    "x",
	    /* 64 characters exactly */
	    "%d/%m/%Y %d/%m/%Y %d/%m/%Y %d/%m/%Y %d/%m/%Y %d/%m/%Y %d/%m/%Y 1",
	};
	struct config c;
	char text[256];
	size_t i;

	(void)state;
	assert_int_equal(strlen(good[7]), 64);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text),
		         "ui = { date_format = \"%s\"; };\n", good[i]);
		load_ok(&c, text);
		assert_string_equal(c.ui.date_format, good[i]);
		config_free(&c);
	}
}

/* ---- the search order -------------------------------------------------- */

static void write_page_size(const char *path, int n)
{
	char text[64];

	snprintf(text, sizeof(text), "ui = { page_size = %d; };\n", n);
	write_file(path, text);
}

static void expect_search_loads(const char *path, int page_size)
{
	struct config c;

	if (!config_load(&c, NULL, err, sizeof(err)))
		fail_msg("unexpected error: %s", err);
	assert_string_equal(c.path, path);
	assert_int_equal(c.ui.page_size, page_size);
	config_free(&c);
}

static void test_search_order(void **state)
{
	char home[512], d1[512], d2[512], f_home[600], f_d1[600], f_d2[600],
	    dirs[1100], buf[CONFIG_PATH_MAX], home_env[512], f_dot[600];
	struct config c;
	struct stat st;

	(void)state;
	snprintf(home, sizeof(home), "%s/xdg-home", tmp);
	snprintf(d1, sizeof(d1), "%s/xdg-d1", tmp);
	snprintf(d2, sizeof(d2), "%s/xdg-d2/", tmp); /* a trailing slash */
	snprintf(f_home, sizeof(f_home), "%s/accessdesk/accessdesk.conf", home);
	snprintf(f_d1, sizeof(f_d1), "%s/accessdesk/accessdesk.conf", d1);
	snprintf(f_d2, sizeof(f_d2), "%s/xdg-d2/accessdesk/accessdesk.conf",
	         tmp);
	/* Relative and empty entries are ignored, as XDG says. */
	snprintf(dirs, sizeof(dirs), "relative/dir::%s:%s", d1, d2);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("XDG_CONFIG_DIRS", dirs, 1);

	assert_true(config_search_path(0, buf, sizeof(buf)));
	assert_string_equal(buf, f_home);
	assert_true(config_search_path(1, buf, sizeof(buf)));
	assert_string_equal(buf, f_d1);
	assert_true(config_search_path(2, buf, sizeof(buf)));
	assert_string_equal(buf, f_d2);
	assert_true(config_search_path(3, buf, sizeof(buf)));
	assert_string_equal(buf, "/etc/accessdesk/accessdesk.conf");
	assert_false(config_search_path(4, buf, sizeof(buf)));
	assert_false(config_search_path(0, buf, 8)); /* too small */

	write_page_size(f_home, 11);
	write_page_size(f_d1, 12);
	write_page_size(f_d2, 13);
	expect_search_loads(f_home, 11);
	unlink(f_home);
	expect_search_loads(f_d1, 12);
	unlink(f_d1);
	expect_search_loads(f_d2, 13);
	unlink(f_d2);
	if (stat("/etc/accessdesk/accessdesk.conf", &st) != 0) {
		/* Nothing found: the defaults, and no error. */
		assert_true(config_load(&c, NULL, err, sizeof(err)));
		assert_string_equal(c.path, "");
		assert_int_equal(c.ui.page_size, 20);
		config_free(&c);
	}

	/* A found file that is invalid is an error, never skipped. */
	write_file(f_home, "ui = { page_size = 5; };\n");
	write_page_size(f_d1, 12);
	assert_false(config_load(&c, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, f_home));
	assert_non_null(strstr(err, ":1: ui.page_size: must be"));
	assert_string_equal(c.path, "");
	/* So is one that cannot be read (a directory in the way: even root
	 * cannot read that). */
	unlink(f_home);
	make_dirs(f_home);
	assert_false(config_load(&c, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, f_home));
	assert_non_null(strstr(err, "is a directory"));
	rmdir(f_home);
	expect_search_loads(f_d1, 12);

	/* XDG_CONFIG_HOME unset, empty or relative: $HOME/.config. */
	snprintf(home_env, sizeof(home_env), "%s/home", tmp);
	snprintf(f_dot, sizeof(f_dot), "%s/.config/accessdesk/accessdesk.conf",
	         home_env);
	setenv("HOME", home_env, 1);
	write_page_size(f_dot, 14);
	unsetenv("XDG_CONFIG_HOME");
	expect_search_loads(f_dot, 14);
	setenv("XDG_CONFIG_HOME", "", 1);
	expect_search_loads(f_dot, 14);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	expect_search_loads(f_dot, 14);
	unlink(f_dot);
	expect_search_loads(f_d1, 12);
	unlink(f_d1);

	/* XDG_CONFIG_DIRS unset or empty: /etc/xdg. */
	unsetenv("XDG_CONFIG_DIRS");
	assert_true(config_search_path(1, buf, sizeof(buf)));
	assert_string_equal(buf, "/etc/xdg/accessdesk/accessdesk.conf");
	setenv("XDG_CONFIG_DIRS", "", 1);
	assert_true(config_search_path(1, buf, sizeof(buf)));
	assert_string_equal(buf, "/etc/xdg/accessdesk/accessdesk.conf");
	assert_true(config_search_path(2, buf, sizeof(buf)));
	assert_string_equal(buf, "/etc/accessdesk/accessdesk.conf");
	assert_false(config_search_path(3, buf, sizeof(buf)));

	/* An explicit file wins over everything and must exist. */
	write_page_size(f_home, 11);
	setenv("XDG_CONFIG_HOME", home, 1);
	write_page_size(conf, 15);
	assert_true(config_load(&c, conf, err, sizeof(err)));
	assert_int_equal(c.ui.page_size, 15);
	config_free(&c);
	unlink(f_home);
}

static void test_explicit_missing(void **state)
{
	struct config c;
	char path[600], want[700];

	(void)state;
	snprintf(path, sizeof(path), "%s/no-such.conf", tmp);
	assert_false(config_load(&c, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
	assert_string_equal(c.path, "");
	config_free(&c);

	assert_false(config_load(&c, tmp, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: is a directory", tmp);
	assert_string_equal(err, want);
}

/* ---- errors with their lines ------------------------------------------ */

static void test_syntax_error(void **state)
{
	(void)state;
	expect_error_at(
	    "ui = {\n  page_size = 20;\n  read_only = = true;\n};\n", 3,
	    "syntax error");
	expect_error_at("ui = { page_size = 20; page_size = 30; };\n", 1,
	                "duplicate");
}

static void test_bad_values(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *needle;
	} cases[] = {
	    /* ranges */
	    {"\nui = {\n page_size = 9;\n};\n", 3,
	     "ui.page_size: must be an integer from 10 to 1000, not 9"},
	    {"ui = { page_size = 1001; };\n", 1, "not 1001"},
	    {"ui = { page_size = -20; };\n", 1, "not -20"},
	    {"ui = { page_size = 5000000000L; };\n", 1, "not 5000000000"},
	    {"ui = { escdelay_ms = -1; };\n", 1,
	     "ui.escdelay_ms: must be an integer from 0 to 1000"},
	    {"ui = { escdelay_ms = 1001; };\n", 1, "not 1001"},
	    {"ui = { esc_digit_ms = 2001; };\n", 1,
	     "ui.esc_digit_ms: must be an integer from 0 to 2000, not 2001"},
	    {"ui = { esc_digit_ms = -1; };\n", 1, "not -1"},
	    /* types */
	    {"ui = { page_size = \"20\"; };\n", 1, "not a string"},
	    {"ui = { page_size = 20.0; };\n", 1, "not a decimal number"},
	    {"ui = { page_size = true; };\n", 1, "not a boolean"},
	    {"ui = {\n  ascii_lines = 1;\n};\n", 2,
	     "ui.ascii_lines: must be true or false, not an integer"},
	    {"ui = { read_only = \"yes\"; };\n", 1,
	     "ui.read_only: must be true or false, not a string"},
	    {"ui = 3;\n", 1, "ui: must be a group { ... }, not an integer"},
	    {"database = [ \"x\" ];\n", 1, "database: must be a group"},
	    {"ui = { colours = \"red\"; };\n", 1,
	     "ui.colours: must be a group"},
	    {"ui = { keys = ( \"a\" ); };\n", 1, "ui.keys: must be a group"},
	    {"ui = { colours = { title = 3; }; };\n", 1,
	     "ui.colours.title: must be a string"},
	    {"ui = { keys = { quit = 'q'; }; };\n", 1, "syntax error"},
	    {"ui = { keys = { quit = 113; }; };\n", 1,
	     "ui.keys.quit: must be a string"},
	    {"database = { conninfo = 3; };\n", 1,
	     "database.conninfo: must be a string"},
	    {"database = { service = [ ]; };\n", 1,
	     "database.service: must be a string in double quotes, not an "
	     "array"},
	    {"operator = { source = 1; };\n", 1,
	     "operator.source: must be a string"},
	    {"email = { allowed_domains = \"nhs.uk\"; };\n", 1,
	     "email.allowed_domains: must be an array of strings"},
	    {"email = { allowed_domains = [ 1, 2 ]; };\n", 1,
	     "email.allowed_domains[0]: must be a string"},
	    {"email = {\n allowed_domains = (\n  \"nhs.uk\",\n  3\n );\n};\n",
	     4, "email.allowed_domains[1]: must be a string"},
	    /* values */
	    {"operator = {\n  source = \"ldap\";\n};\n", 2,
	     "operator.source: must be \"unix\", \"database\" or \"flag\", "
	     "not \"ldap\""},
	    {"operator = { source = \"Unix\"; };\n", 1, "not \"Unix\""},
	    {"ui = { date_format = \"\"; };\n", 1,
	     "ui.date_format: must not be empty"},
	    {"ui = { date_format = \"%d/%m/%Y %A\"; };\n", 1,
	     "ui.date_format: uses %A: only %d %m %Y %y %H %M %S %b %e %F and "
	     "%% are allowed"},
	    {"ui = { date_format = \"%s\"; };\n", 1, "uses %s"},
	    {"ui = { date_format = \"%n\"; };\n", 1, "uses %n"},
	    {"ui = { date_format = \"%Y%\"; };\n", 1, "ends with a lone '%'"},
	    {"ui = { date_format = \"%d\\t%m\"; };\n", 1,
	     "must be printable ASCII"},
	    {"ui = { date_format = \"%d \xc3\xa9\"; };\n", 1,
	     "must be printable ASCII"},
	    {"ui = { date_format = \"%d/%m/%Y %d/%m/%Y %d/%m/%Y %d/%m/%Y "
	     "%d/%m/%Y %d/%m/%Y %d/%m/%Y 12\"; };\n",
	     1, "longer than 64 characters"},
	    {"ui = { colours = {\n title = \"bold purple\";\n}; };\n", 2,
	     "ui.colours.title: unknown word \"purple\""},
	    {"ui = { colours = { tabs = \"\"; }; };\n", 1,
	     "ui.colours.tabs: empty"},
	    {"ui = { colours = { tabs = \"white on\"; }; };\n", 1,
	     "\"on\" must be followed by a colour"},
	    {"ui = { keys = {\n\n quit = \"Ctrl-Q\";\n}; };\n", 3,
	     "ui.keys.quit: not a key: \"Ctrl-Q\""},
	    {"ui = { keys = { quit = \"\"; }; };\n", 1, "not a key"},
	    {"ui = { keys = { quit = \"F64\"; }; };\n", 1, "not a key"},
	    {"ui = { keys = { quit = \"F0\"; }; };\n", 1, "not a key"},
	    {"ui = { keys = { quit = \"^1\"; }; };\n", 1, "not a key"},
	    {"ui = { keys = { Quit = \"q\"; }; };\n", 1,
	     "ui.keys.Quit: not a request name"},
	    {"ui = { keys = {\n quit = \"q\";\n help = \"q\";\n}; };\n", 3,
	     "ui.keys.help: q is already bound to quit at line 2"},
	    {"ui = { keys = { open = \"Enter\"; x = \"^J\"; }; };\n", 1,
	     "ui.keys.x: Enter is already bound to open at line 1"},
	    {"email = { allowed_domains = [\n\"nhs.uk\",\n\"@nhs.uk\" ]; };\n",
	     3,
	     "email.allowed_domains[1]: not a domain name such as \"nhs.uk\": "
	     "\"@nhs.uk\""},
	    {"email = { allowed_domains = [ \"localhost\" ]; };\n", 1,
	     "not a domain name"},
	    {"email = { allowed_domains = [ \"*.nhs.uk\" ]; };\n", 1,
	     "not a domain name"},
	    {"email = { allowed_domains = [ \"nhs..uk\" ]; };\n", 1,
	     "not a domain name"},
	    {"email = { allowed_domains = [ \"-nhs.uk\" ]; };\n", 1,
	     "not a domain name"},
	    {"email = { allowed_domains = [ \"\" ]; };\n", 1,
	     "not a domain name"},
	    {"database = { service = \"my service\"; };\n", 1,
	     "database.service: must be a service name"},
	    {"database = {\n  conninfo = \"host=db\";\n  service = "
	     "\"x\";\n};\n",
	     3, "database.service: cannot be given with database.conninfo"},
	    {"database = {\n  service = \"x\";\n  conninfo = "
	     "\"host=db\";\n};\n",
	     3, "database.conninfo: cannot be given with database.service"},
	    {"database = { conninfo = \"host\"; };\n", 1,
	     "database.conninfo: missing \"=\" after \"host\""},
	    {"database = { conninfo = \"host='db\"; };\n", 1,
	     "unterminated quoted string"},
	    /* what libpq cannot parse, with libpq's own reason */
	    {"database = {\n conninfo = \"host=db bogus=1\";\n};\n", 2,
	     "database.conninfo: invalid connection option \"bogus\""},
	    {"database = { conninfo = \"host=db sslpassword_file=x\"; };\n", 1,
	     "invalid connection option \"sslpassword_file\""},
	    {"database = { conninfo = \"postgresql://db/ad?bogus=1\"; };\n", 1,
	     "invalid URI query parameter: \"bogus\""},
	    {"database = { conninfo = \"postgresql://[::1/ad\"; };\n", 1,
	     "database.conninfo: end of string reached when looking for "
	     "matching \"]\""},
	    {"database = { conninfo = \"dbname='host=db bogus=1'\"; };\n", 1,
	     "invalid connection option \"bogus\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error_at(cases[i].text, cases[i].line, cases[i].needle);
}

static void test_unknown_keys(void **state)
{
	(void)state;
	expect_error_at("# a comment\nuser = \"x\";\n", 2,
	                "user: unknown key (known here: database "
	                "operator ui email)");
	expect_error_at("database = {\n  host = \"db\";\n};\n", 2,
	                "database.host: unknown key (known here: "
	                "conninfo service)");
	expect_error_at("operator = { login = \"x\"; };\n", 1,
	                "operator.login: unknown key (known here: "
	                "source)");
	expect_error_at("ui = {\n page_size = 20;\n pagesize = 20;\n};\n", 3,
	                "ui.pagesize: unknown key (known here: "
	                "page_size date_format escdelay_ms esc_digit_ms "
	                "ascii_lines "
	                "read_only colours keys)");
	expect_error_at("ui = { colours = { background = \"red\"; }; };\n", 1,
	                "ui.colours.background: unknown key");
	expect_error_at("email = { domains = [ ]; };\n", 1,
	                "email.domains: unknown key (known here: "
	                "allowed_domains)");
	expect_error_at("ui = { page_size = 20; };\nUI = { };\n", 2,
	                "UI: unknown key");
}

/* config_keys_check() names the line of a request the UI does not know. */
static void test_keys_check(void **state)
{
	static const char *const known[] = {"quit", "search", "help"};
	struct config c;
	char want[700];

	(void)state;
	load_ok(&c, "ui = {\n keys = {\n  quit = \"Q\";\n  serch = \"S\";\n"
	            " };\n};\n");
	assert_false(config_keys_check(&c, known, 3, err, sizeof(err)));
	snprintf(want, sizeof(want),
	         "%s:4: ui.keys.serch: unknown request (did you mean "
	         "\"search\"?)",
	         conf);
	assert_string_equal(err, want);
	config_free(&c);
	load_ok(&c, "ui = { keys = { help = \"F1\"; quit = \"q\"; }; };\n");
	assert_true(config_keys_check(&c, known, 3, err, sizeof(err)));
	config_free(&c);
}

/* ---- passwords --------------------------------------------------------- */

static void expect_password_refused(const char *conninfo, const char *what)
{
	char text[512];

	snprintf(text, sizeof(text),
	         "\ndatabase = {\n conninfo = \"%s\";\n};\n", conninfo);
	expect_error_at(text, 3, what);
	expect_error_at(text, 3, "passwords belong in ~/.pgpass or PGPASSWORD");
}

static void test_password_refused(void **state)
{
	(void)state;
	/* key=value */
	expect_password_refused("password=secret", "holds a password");
	expect_password_refused("host=db password=secret dbname=x",
	                        "holds a password");
	expect_password_refused("host=db password = secret",
	                        "holds a password");
	expect_password_refused("host=db\\tpassword\\n=\\n'a b'",
	                        "holds a password");
	/* libpq's keywords are case-sensitive: not a password, not valid */
	expect_error_at("database = { conninfo = \"host=db PASSWORD=x\"; };\n",
	                1, "invalid connection option \"PASSWORD\"");
	expect_password_refused("password=", "holds a password");
	expect_password_refused("application_name='it\\\\'s' password=x",
	                        "holds a password");
	/* a dbname holding a connection string that libpq may expand */
	expect_password_refused("dbname='host=db password=x'",
	                        "holds a password");
	expect_password_refused("dbname=postgresql://u:pw@db/x",
	                        "the URI holds a password");
	/* URI userinfo */
	expect_password_refused("postgresql://desk:secret@db/accessdesk",
	                        "the URI holds a password (password)");
	expect_password_refused("postgresql://:pw@db", "the URI holds");
	/* URI parameters, percent-encoded or not */
	expect_password_refused("postgresql://db/ad?password=secret",
	                        "the URI holds a password (password)");
	expect_password_refused(
	    "postgresql://db/ad?sslmode=require&password=secret",
	    "the URI holds a password");
	expect_password_refused("postgresql://db/ad?pass%77ord=secret",
	                        "the URI holds a password");
	/* the client key's password, as libpq knows it */
	expect_password_refused("host=db sslpassword=secret",
	                        "holds a password (sslpassword)");
	expect_password_refused("sslpassword=", "holds a password");
	expect_password_refused("postgresql://db/ad?sslpassword=secret",
	                        "the URI holds a password (sslpassword)");
	expect_password_refused("postgresql://db/ad?ssl%70assword=x",
	                        "the URI holds a password (sslpassword)");
	expect_password_refused("dbname='host=db sslpassword=x'",
	                        "holds a password (sslpassword)");
	/* a key of its own */
	expect_error_at("database = {\n password = \"x\";\n};\n", 2,
	                "database.password: not allowed: passwords belong "
	                "in ~/.pgpass or PGPASSWORD");
}

static void test_password_not_refused(void **state)
{
	static const char *const fine[] = {
	    "",
	    "host=db",
	    "host=db passfile=/home/desk/.pgpass",
	    "application_name=password",
	    "application_name='password=x'",
	    "dbname=x options='-c search_path=password'",
	    "postgresql://",
	    "postgresql://desk@db/accessdesk",
	    "postgresql://desk@db:5432,db2:5433/ad?target_session_attrs=any",
	    "postgresql:///ad?host=/var/run/postgresql",
	    "postgresql://db/ad?passfile=/x&application_name=password",
	    "postgresql://db/a:b@c", /* '@' after '/': not userinfo */
	    "postgres://desk:@db",   /* an empty password: libpq reads none */
	};
	struct config c;
	char text[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		snprintf(text, sizeof(text),
		         "database = { conninfo = \"%s\"; };\n", fine[i]);
		load_ok(&c, text);
		assert_string_equal(c.database.conninfo, fine[i]);
		config_free(&c);
	}
}

/* ---- email domains ----------------------------------------------------- */

static void test_email_domains(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	/* No list: any domain; the address's own form ("a@", "a@localhost")
	 * is the field rules' to judge (src/fields), which accept an
	 * internationalised domain the schema and policy files accept too. */
	assert_true(config_email_allowed(&c, "a@example.org"));
	assert_true(config_email_allowed(&c, "a@nhs.uk"));
	assert_true(config_email_allowed(&c, "a@ex\xc3\xa4mple.org"));
	assert_false(config_email_allowed(&c, "no-at.example.org"));
	assert_false(config_email_allowed(&c, NULL));

	load_ok(&c, "email = { allowed_domains = [ \"nhs.uk\", "
	            "\"Example.ORG\" ]; };\n");
	assert_true(config_email_allowed(&c, "a@nhs.uk"));
	assert_true(config_email_allowed(&c, "a@NHS.UK"));
	assert_true(config_email_allowed(&c, "First.Last@Nhs.Uk"));
	assert_true(config_email_allowed(&c, "a@x.nhs.uk"));
	assert_true(config_email_allowed(&c, "a@deep.x.NHS.uk"));
	assert_true(config_email_allowed(&c, "a@example.org"));
	assert_true(config_email_allowed(&c, "a@mail.example.org"));
	/* Not a subdomain, only a name that ends the same way. */
	assert_false(config_email_allowed(&c, "a@evil-nhs.uk"));
	assert_false(config_email_allowed(&c, "a@evilnhs.uk"));
	assert_false(config_email_allowed(&c, "a@nhs.uk.evil.com"));
	assert_false(config_email_allowed(&c, "a@uk"));
	assert_false(config_email_allowed(&c, "a@gmail.com"));
	/* The domain is after the last @. */
	assert_false(config_email_allowed(&c, "a@nhs.uk@evil.com"));
	assert_true(config_email_allowed(&c, "\"a@evil.com\"@nhs.uk"));
	/* Malformed domains never match. */
	assert_false(config_email_allowed(&c, "a@.nhs.uk"));
	assert_false(config_email_allowed(&c, "a@x..nhs.uk"));
	assert_false(config_email_allowed(&c, "a@nhs.uk."));
	assert_false(config_email_allowed(&c, "a@ nhs.uk"));
	assert_false(config_email_allowed(&c, "a@x .nhs.uk"));
	assert_false(config_email_allowed(&c, "a@-x.nhs.uk"));
	assert_false(config_email_allowed(&c, "a@"));
	assert_false(config_email_allowed(&c, "nhs.uk"));
	config_free(&c);
}

/* ---- colour and key specs --------------------------------------------- */

static void expect_style(const char *spec, int fg, int bg, unsigned attrs)
{
	struct config_style st;

	if (!config_parse_style(spec, &st, err, sizeof(err)))
		fail_msg("\"%s\": %s", spec, err);
	assert_int_equal(st.fg, fg);
	assert_int_equal(st.bg, bg);
	assert_int_equal(st.attrs, attrs);
}

static void expect_bad_style(const char *spec, const char *needle)
{
	struct config_style st = {5, 5, 5};

	if (config_parse_style(spec, &st, err, sizeof(err)))
		fail_msg("\"%s\" parsed", spec);
	if (!strstr(err, needle))
		fail_msg("\"%s\": expected \"%s\" in \"%s\"", spec, needle,
		         err);
	assert_int_equal(st.fg, 5); /* untouched */
}

static void test_colour_specs(void **state)
{
	const int D = CONFIG_COLOUR_DEFAULT;

	(void)state;
	expect_style("bold white on blue", CONFIG_COLOUR_WHITE,
	             CONFIG_COLOUR_BLUE, CONFIG_ATTR_BOLD);
	expect_style("red", CONFIG_COLOUR_RED, D, 0);
	expect_style("default", D, D, 0);
	expect_style("default on default", D, D, 0);
	expect_style("black on white", CONFIG_COLOUR_BLACK, CONFIG_COLOUR_WHITE,
	             0);
	expect_style("on green", D, CONFIG_COLOUR_GREEN, 0);
	expect_style("reverse", D, D, CONFIG_ATTR_REVERSE);
	expect_style("bold underline reverse", D, D,
	             CONFIG_ATTR_BOLD | CONFIG_ATTR_UNDERLINE |
	                 CONFIG_ATTR_REVERSE);
	expect_style("  Yellow \t ON  Magenta bold ", CONFIG_COLOUR_YELLOW,
	             CONFIG_COLOUR_MAGENTA, CONFIG_ATTR_BOLD);
	expect_style("cyan underline", CONFIG_COLOUR_CYAN, D,
	             CONFIG_ATTR_UNDERLINE);
	expect_style("bold bold", D, D, CONFIG_ATTR_BOLD);
	expect_style("dim cyan", CONFIG_COLOUR_CYAN, D, CONFIG_ATTR_DIM);

	expect_bad_style("", "empty");
	expect_bad_style("   ", "empty");
	expect_bad_style("purple", "unknown word \"purple\"");
	expect_bad_style("white on", "\"on\" must be followed by a colour");
	expect_bad_style("white on bold", "not \"bold\"");
	expect_bad_style("white on blue on red", "\"on\" given twice");
	expect_bad_style("on blue white", "must come before \"on\"");
	expect_bad_style("white red", "two text colours");
	expect_bad_style("blink", "unknown word \"blink\"");
	expect_bad_style("brightwhiteandmore", "unknown word");
	expect_bad_style("white\x1b[2J", "unknown word \"white?[2J\"");
}

static void expect_key(const char *spec, int key, const char *name)
{
	char buf[32];
	int got = 0;

	if (!config_parse_key(spec, &got, err, sizeof(err)))
		fail_msg("\"%s\": %s", spec, err);
	assert_int_equal(got, key);
	config_key_name(got, buf, sizeof(buf));
	assert_string_equal(buf, name);
	/* The name reads back as the same key. */
	assert_true(config_parse_key(buf, &got, err, sizeof(err)));
	assert_int_equal(got, key);
}

static void test_key_specs(void **state)
{
	static const char *const bad[] = {
	    "",    "ab",     "^@", "^1",   "F0",       "F64",    "F01", "F1x",
	    "FF1", "Ctrl-A", "\t", "\x01", "\xc3\xa9", "Enterr", "C-a", "^^^",
	};
	char buf[32];
	size_t i;
	int key;

	(void)state;
	expect_key("a", 'a', "a");
	expect_key("A", 'A', "A");
	expect_key("F", 'F', "F");
	expect_key("/", '/', "/");
	expect_key("?", '?', "?");
	expect_key("1", '1', "1");
	expect_key("^", '^', "^");
	expect_key("^A", 1, "^A");
	expect_key("^a", 1, "^A");
	expect_key("^Z", 26, "^Z");
	expect_key("^Q", 17, "^Q");
	expect_key("^I", CONFIG_KEY_TAB, "Tab");
	expect_key("^J", CONFIG_KEY_ENTER, "Enter");
	expect_key("^M", 13, "^M");
	expect_key("^[", CONFIG_KEY_ESC, "Esc");
	expect_key("^\\", 28, "^\\");
	expect_key("^_", 31, "^_");
	expect_key("^?", CONFIG_KEY_BACKSPACE, "Backspace");
	expect_key("F1", CONFIG_KEY_F(1), "F1");
	expect_key("f5", CONFIG_KEY_F(5), "F5");
	expect_key("F12", CONFIG_KEY_F(12), "F12");
	expect_key("F63", CONFIG_KEY_F(63), "F63");
	expect_key("Enter", CONFIG_KEY_ENTER, "Enter");
	expect_key("enter", CONFIG_KEY_ENTER, "Enter");
	expect_key("Return", CONFIG_KEY_ENTER, "Enter");
	expect_key("Esc", CONFIG_KEY_ESC, "Esc");
	expect_key("ESCAPE", CONFIG_KEY_ESC, "Esc");
	expect_key("Tab", CONFIG_KEY_TAB, "Tab");
	expect_key("BackTab", CONFIG_KEY_BACKTAB, "BackTab");
	expect_key("Shift-Tab", CONFIG_KEY_BACKTAB, "BackTab");
	expect_key("Space", ' ', "Space");
	expect_key(" ", ' ', "Space");
	expect_key("Backspace", CONFIG_KEY_BACKSPACE, "Backspace");
	expect_key("Up", CONFIG_KEY_UP, "Up");
	expect_key("down", CONFIG_KEY_DOWN, "Down");
	expect_key("Left", CONFIG_KEY_LEFT, "Left");
	expect_key("Right", CONFIG_KEY_RIGHT, "Right");
	expect_key("Home", CONFIG_KEY_HOME, "Home");
	expect_key("End", CONFIG_KEY_END, "End");
	expect_key("PgUp", CONFIG_KEY_PAGE_UP, "PageUp");
	expect_key("PageDown", CONFIG_KEY_PAGE_DOWN, "PageDown");
	expect_key("Ins", CONFIG_KEY_INSERT, "Insert");
	expect_key("Del", CONFIG_KEY_DELETE, "Delete");
	assert_int_equal(CONFIG_KEY_F(5), 0x1005);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		key = -7;
		if (config_parse_key(bad[i], &key, err, sizeof(err)))
			fail_msg("\"%s\" parsed as %d", bad[i], key);
		assert_non_null(strstr(err, "not a key"));
		assert_int_equal(key, -7);
	}
	config_key_name(0, buf, sizeof(buf));
	assert_string_equal(buf, "?");
	config_key_name(CONFIG_KEY_F(64), buf, sizeof(buf));
	assert_string_equal(buf, "?");
	config_key_name(0x7fff, buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(config_ui_element_name(CONFIG_UI_TAB_ACTIVE),
	                    "tab_active");
	assert_string_equal(config_ui_element_name(CONFIG_UI_READONLY),
	                    "readonly");
	assert_string_equal(config_ui_element_name(CONFIG_UI_COUNT), "?");
	assert_string_equal(config_operator_source_name(CONFIG_OPERATOR_FLAG),
	                    "flag");
	assert_string_equal(
	    config_operator_source_name(CONFIG_OPERATOR_DATABASE), "database");
}

/* ---- @include and the example ----------------------------------------- */

static void test_include_relative_to_file(void **state)
{
	char inc[600], want[700];
	struct config c;

	(void)state;
	snprintf(inc, sizeof(inc), "%s/part.conf", tmp);
	write_file(inc, "page_size = 30;\n");
	load_ok(&c, "ui = {\n  @include \"part.conf\"\n};\n");
	assert_int_equal(c.ui.page_size, 30);
	config_free(&c);
	/* An error inside names the included file and its line. */
	write_file(inc, "\n\npage_size = 3;\n");
	assert_false(load_text(&c, "ui = {\n  @include \"part.conf\"\n};\n"));
	snprintf(want, sizeof(want), "%s:3: ui.page_size: must be", inc);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("expected \"%s...\", got \"%s\"", want, err);
	/* And a syntax error in it as well. */
	write_file(inc, "\npage_size = = 3;\n");
	assert_false(load_text(&c, "ui = {\n  @include \"part.conf\"\n};\n"));
	snprintf(want, sizeof(want), "%s:2: syntax error", inc);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("expected \"%s...\", got \"%s\"", want, err);
}

static void test_example_file(void **state)
{
	const char *etc = getenv("ETC_DIR");
	struct config c, d;
	char path[1024];
	size_t e;

	(void)state;
	if (!etc)
		etc = "etc";
	snprintf(path, sizeof(path), "%s/accessdesk.conf", etc);
	if (!config_load(&c, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(c.path, path);
	/* Every value is the default. */
	config_defaults(&d);
	assert_string_equal(c.database.conninfo, d.database.conninfo);
	assert_string_equal(c.database.service, d.database.service);
	assert_int_equal(c.operator_source, d.operator_source);
	assert_int_equal(c.ui.page_size, d.ui.page_size);
	assert_int_equal(c.ui.escdelay_ms, d.ui.escdelay_ms);
	assert_string_equal(c.ui.date_format, d.ui.date_format);
	assert_int_equal(c.ui.ascii_lines, d.ui.ascii_lines);
	assert_int_equal(c.ui.read_only, d.ui.read_only);
	for (e = 0; e < CONFIG_UI_COUNT; e++) {
		assert_int_equal(c.ui.colours[e].fg, d.ui.colours[e].fg);
		assert_int_equal(c.ui.colours[e].bg, d.ui.colours[e].bg);
		assert_int_equal(c.ui.colours[e].attrs, d.ui.colours[e].attrs);
	}
	assert_int_equal(c.ui.n_keys, 0);
	assert_int_equal(c.email.n_allowed_domains, 0);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_empty_file),
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_date_formats),
	    cmocka_unit_test(test_search_order),
	    cmocka_unit_test(test_explicit_missing),
	    cmocka_unit_test(test_syntax_error),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_unknown_keys),
	    cmocka_unit_test(test_keys_check),
	    cmocka_unit_test(test_password_refused),
	    cmocka_unit_test(test_password_not_refused),
	    cmocka_unit_test(test_email_domains),
	    cmocka_unit_test(test_colour_specs),
	    cmocka_unit_test(test_key_specs),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_include_relative_to_file),
	    cmocka_unit_test(test_example_file),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
