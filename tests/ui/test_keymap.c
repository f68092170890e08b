/* test_keymap.c: key maps over the one request table (src/ui/keymap.c)
 * and what is generated from them (src/ui/help.c): a key means the first
 * request along the chain, a child may take its parent's key, the help
 * lists only the keys that work there, and --check-config's check names
 * the line of an unknown request or of a key that collides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../src/ui/ui_internal.h"
#include "accessdesk/config.h"

/* A tick list over the list keymap: its Space ticks, the list's pages. */
static const struct ui_keydef tick_keys[] = {
    {REQ_TOGGLE, NULL, NULL, true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
static const struct ui_keymap tick_keymap = {"tick", "Ticking", tick_keys,
                                             &ui_list_keymap};

/* Two screens where w means two things, each with its own help. */
static const struct ui_keydef why_keys[] = {
    {REQ_WHY, "Why?", "Why: the user's effective access", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
static const struct ui_keymap why_keymap = {"users", "Users", why_keys,
                                            &ui_list_keymap};
static const struct ui_keydef who_keys[] = {
    {REQ_WHY, "Who has access?", "Who has access to the organisation", true, 0},
    {REQ_ADD, NULL, "Add a child organisation", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
static const struct ui_keymap who_keymap = {"organisations", "Organisations",
                                            who_keys, &ui_list_keymap};

static void test_chain(void **state)
{
	(void)state;
	ui_keys_configure(NULL);
	/* the frame puts its generic map after a tab's screen's chain */
	assert_int_equal(
	    ui_keymap_request_in(&tick_keymap, &ui_generic_keymap, 'q'),
	    REQ_QUIT);
	assert_int_equal(
	    ui_keymap_request_in(&tick_keymap, &ui_generic_keymap, '3'),
	    REQ_TAB_3);
	/* and the inner one after a pushed screen's: q and digits are not
	 * the frame's there */
	assert_int_equal(
	    ui_keymap_request_in(&tick_keymap, &ui_inner_keymap, 'q'),
	    REQ_NONE);
	assert_int_equal(ui_keymap_request(&tick_keymap, 'q'), REQ_NONE);
	/* the list's letters and their extras */
	assert_int_equal(ui_keymap_request(&tick_keymap, 'j'), REQ_DOWN);
	assert_int_equal(ui_keymap_request(&tick_keymap, UI_KEY_DOWN),
	                 REQ_DOWN);
	assert_int_equal(ui_keymap_request(&ui_list_keymap, ' '),
	                 REQ_PAGE_DOWN);
	/* the child takes Space for itself */
	assert_int_equal(ui_keymap_request(&tick_keymap, ' '), REQ_TOGGLE);
	assert_int_equal(ui_keymap_request(&tick_keymap, UI_KEY_PGDN),
	                 REQ_PAGE_DOWN);
	/* a key no map of the chain has means nothing */
	assert_int_equal(ui_keymap_request(&tick_keymap, 'w'), REQ_NONE);
	/* a form's tail has no tabs, no quit: its digits are its own */
	assert_int_equal(ui_keymap_request(&ui_inner_keymap, '2'), REQ_NONE);
	/* a chain holding the tail already walks it once */
	assert_int_equal(
	    ui_keymap_request_in(&ui_generic_keymap, &ui_generic_keymap, 'x'),
	    REQ_NONE);
	assert_int_equal(ui_keymap_request(&ui_inner_keymap, UI_KEY_F(1)),
	                 REQ_HELP);
	assert_true(ui_keymap_has(&tick_keymap, REQ_PAGE_DOWN));
	assert_false(ui_keymap_has(&tick_keymap, REQ_SUBMIT));
}

static void test_keys_named(void **state)
{
	char buf[64];
	(void)state;
	ui_keys_configure(NULL);
	/* the help names only the keys that work there, each once */
	ui_keymap_keys(&tick_keymap, REQ_PAGE_DOWN, buf, sizeof buf);
	assert_string_equal(buf, "PgDn");
	ui_keymap_keys(&ui_list_keymap, REQ_PAGE_DOWN, buf, sizeof buf);
	assert_string_equal(buf, "Space PgDn");
	ui_keymap_keys(&tick_keymap, REQ_OPEN, buf, sizeof buf);
	assert_string_equal(buf, ""); /* not on this chain */
	static const struct ui_keydef open_keys[] = {
	    {REQ_OPEN, NULL, NULL, true, 0},
	    {REQ_NONE, NULL, NULL, false, 0},
	};
	static const struct ui_keymap open_keymap = {"open", "Open", open_keys,
	                                             NULL};
	ui_keymap_keys(&open_keymap, REQ_OPEN, buf, sizeof buf);
	assert_string_equal(buf, "Enter"); /* 10 and 13: one name */
}

/* The help of a chain as text. */
static char *help_of(const struct ui_keymap *km)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	ui_help_print(km, &ui_generic_keymap, f);
	fclose(f);
	return text;
}

static void test_help(void **state)
{
	(void)state;
	ui_keys_configure(NULL);
	char *h = help_of(&tick_keymap);
	/* a heading per map, the keys that work, the help of each */
	assert_non_null(strstr(h, "# Ticking\n"));
	assert_non_null(strstr(h, "  Space        Tick or untick\n"));
	assert_non_null(strstr(h, "# Moving in a list\n"));
	assert_non_null(strstr(h, "  PgDn         Next page\n"));
	assert_non_null(strstr(h, "# Keys everywhere\n"));
	assert_non_null(strstr(h, "  q            Leave accessdesk\n"));
	/* never the old "(also PgDn, Space)" */
	assert_null(strstr(h, "(also"));
	free(h);

	/* w on each screen with its own help */
	h = help_of(&why_keymap);
	assert_non_null(strstr(h, "  w            Why: the user's"));
	assert_null(strstr(h, "Who has access"));
	free(h);
	h = help_of(&who_keymap);
	assert_non_null(strstr(h, "  w            Who has access to the"));
	free(h);
}

static void test_keybar(void **state)
{
	char bar[256];
	(void)state;
	ui_keys_configure(NULL);
	ui_keybar_text(&who_keymap, &ui_generic_keymap, 80, bar, sizeof bar);
	assert_string_equal(bar, "w Who has access?  a Add  ? Help  q Quit");
	/* pushed over a tab: F1, which works where ? is text typed */
	ui_keybar_text(&who_keymap, &ui_inner_keymap, 80, bar, sizeof bar);
	assert_string_equal(bar, "w Who has access?  a Add  F1 Help");
	/* too narrow for two spaces: one */
	ui_keybar_text(&who_keymap, &ui_generic_keymap, 38, bar, sizeof bar);
	assert_string_equal(bar, "w Who has access? a Add ? Help q Quit");
}

/* ---- the configuration's ui.keys -------------------------------------- */

static char conf[64];

static void load(struct config *c, const char *text)
{
	char err[512];
	snprintf(conf, sizeof conf, "/tmp/ad-keymap-%d.conf", (int)getpid());
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	if (!config_load(c, conf, err, sizeof err))
		fail_msg("%s", err);
	unlink(conf);
}

static void test_check_unknown(void **state)
{
	struct config c;
	char err[512], want[600];
	const struct ui_keymap *maps[] = {&why_keymap};
	(void)state;
	load(&c, "ui = {\n  keys = {\n    serach = \"/\";\n  };\n};\n");
	assert_false(ui_keys_check(&c, maps, 1, err, sizeof err));
	snprintf(want, sizeof want,
	         "%s:3: ui.keys.serach: unknown request (did you mean "
	         "\"search\"?)",
	         conf);
	assert_string_equal(err, want);
	config_free(&c);
}

static void test_check_collision(void **state)
{
	struct config c;
	char err[512], want[600];
	const struct ui_keymap *maps[] = {&why_keymap, &who_keymap};
	(void)state;
	/* a: Add on Organisations, where w is Who has access? */
	load(&c, "ui = { keys = {\n  add = \"w\";\n}; };\n");
	assert_false(ui_keys_check(&c, maps, 2, err, sizeof err));
	snprintf(want, sizeof want,
	         "%s:2: ui.keys.add: w is already why on Organisations "
	         "(organisations)",
	         conf);
	assert_string_equal(err, want);
	config_free(&c);
	ui_keys_configure(NULL);

	/* q for search: the list keymap's chain has quit on q */
	load(&c, "ui = { keys = { search = \"q\"; }; };\n");
	static const struct ui_keydef search_keys[] = {
	    {REQ_SEARCH, NULL, NULL, true, 0},
	    {REQ_NONE, NULL, NULL, false, 0},
	};
	static const struct ui_keymap search_keymap = {
	    "search", "Searching", search_keys, &ui_list_keymap};
	const struct ui_keymap *one[] = {&search_keymap};
	assert_false(ui_keys_check(&c, one, 1, err, sizeof err));
	assert_non_null(strstr(err, ":1: ui.keys.search: q is already quit"));
	config_free(&c);
	ui_keys_configure(NULL);
}

static void test_check_rebinds(void **state)
{
	struct config c;
	char err[512];
	const struct ui_keymap *maps[] = {&why_keymap, &who_keymap};
	(void)state;
	load(&c, "ui = { keys = { add = \"+\"; }; };\n");
	assert_true(ui_keys_check(&c, maps, 2, err, sizeof err));
	/* the binding holds after the check, and the old key is free */
	assert_int_equal(ui_keymap_request(&who_keymap, '+'), REQ_ADD);
	assert_int_equal(ui_keymap_request(&who_keymap, 'a'), REQ_NONE);
	config_free(&c);
	ui_keys_configure(NULL);
	assert_int_equal(ui_keymap_request(&who_keymap, 'a'), REQ_ADD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chain),
	    cmocka_unit_test(test_keys_named),
	    cmocka_unit_test(test_help),
	    cmocka_unit_test(test_keybar),
	    cmocka_unit_test(test_check_unknown),
	    cmocka_unit_test(test_check_collision),
	    cmocka_unit_test(test_check_rebinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
