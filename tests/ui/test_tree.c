/* test_tree.c: the tree widget (ui_tree.h): drawing with ACS and with
 * ASCII lines, read back with ui_screen_line(); expand, collapse and
 * collapse-to-parent; search by code and by name, jumping deep, wrapping
 * and going on to the next match; the checkbox column and Select All; a
 * reload keeping what was expanded, ticked and under the cursor by code;
 * the picker returning a code and refusing a dim node; a 100,000-node
 * forest. Curses runs in test mode (output to /dev/null), started afresh
 * by each test, in the C locale so ACS is the terminal's own. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/ui_tree.h"
#include "forest.h"
#include "ui_test.h"

/* The read-only style's attributes beyond the defaults (which give it a
 * colour only, and test mode has none). */
static unsigned readonly_attrs;

/* Starts curses at 80x24 in the C locale with the default configuration;
 * keys (for ui_prompt) from `keys`. */
static void start(bool ascii, const char *keys)
{
	struct config c;
	config_defaults(&c);
	c.ui.colours[CONFIG_UI_READONLY].attrs |= readonly_attrs;
	readonly_attrs = 0;
	assert_true(ui_test_start(&(struct ui_test_options){
	    .locale = "C", .config = &c, .ascii = ascii, .keys = keys}));
}

/* R1 North              (info "site  3 users")
 *   A Alpha
 *     A1 Alpha One
 *     A2 Alpha Two
 *   B Beta
 *     B1 Beta One
 *       DW1 Deepwater Surgery
 * R2 South
 *   C Gamma
 * given in an order that is not the tree's, to show children keep the
 * input's order and parents may come after their children. */
static const struct ui_tree_node small[] = {
    {"R1", "North", "site  3 users", -1, false, NULL},
    {"A", "Alpha", NULL, 0, false, NULL},
    {"A1", "Alpha One", NULL, 1, false, NULL},
    {"C", "Gamma", NULL, 8, false, NULL},
    {"B", "Beta", NULL, 0, false, NULL},
    {"A2", "Alpha Two", NULL, 1, false, NULL},
    {"B1", "Beta One", NULL, 4, false, NULL},
    {"DW1", "Deepwater Surgery", NULL, 6, false, NULL},
    {"R2", "South", NULL, -1, false, NULL},
};
#define N_SMALL ((int)(sizeof small / sizeof *small))

static const char *const small_drawn[] = {
    "[-] R1  North",
    " +-[-] A  Alpha",
    " |  +---- A1  Alpha One",
    " |  +---- A2  Alpha Two",
    " +-[-] B  Beta",
    "    +-[-] B1  Beta One",
    "       +---- DW1  Deepwater Surgery",
    "[-] R2  South",
    " +---- C  Gamma",
};

/* The visible rows as "R1 A B R2". */
static const char *rows_text(const struct ui_tree *t)
{
	static char buf[4096];
	size_t at = 0;
	buf[0] = '\0';
	for (int r = 0; r < ui_tree_rows(t); r++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s",
		                       r ? " " : "", ui_tree_row_code(t, r));
	return buf;
}

static void check_small_drawing(bool acs)
{
	struct ui_tree *t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);
	ui_tree_expand_all(t);
	assert_true(ui_tree_select(t, "B1"));
	struct ui_area a = {2, 0, 12, 80};
	ui_tree_draw(t, a);
	/* the terminal cursor is on the cursor's row, at B1's marker */
	int cy, cx;
	getyx(stdscr, cy, cx);
	assert_int_equal(cy, 2 + 5);
	assert_int_equal(cx, 6);
	for (int i = 0; i < N_SMALL; i++) {
		char want[128];
		/* the info column takes the right of the row */
		snprintf(want, sizeof want, "%s", small_drawn[i]);
		if (i == 0)
			snprintf(want, sizeof want, "%-67s%s", small_drawn[0],
			         "site  3 users");
		assert_string_equal(line(2 + i), want);
	}
	assert_string_equal(line(2 + N_SMALL), "");

	/* A's tee, the | under R1's children and a leaf's line: ACS or
	 * plain characters */
	int cells[][2] = {{3, 1}, {3, 2}, {4, 1}, {4, 4}, {4, 6}, {8, 7}};
	for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
		wchar_t ch;
		attr_t at = attr_at(cells[i][0], cells[i][1], &ch);
		assert_int_equal((at & A_ALTCHARSET) != 0, acs);
		if (!acs)
			assert_true(ch == '+' || ch == '-' || ch == '|');
	}

	/* the cursor's row stands out */
	assert_int_not_equal(attr_at(7, 10, NULL) & ~A_ALTCHARSET,
	                     attr_at(6, 10, NULL) & ~A_ALTCHARSET);
	ui_tree_free(t);
}

static void test_draw_acs(void **state)
{
	(void)state;
	start(false, NULL);
	check_small_drawing(true);
}

static void test_draw_ascii(void **state)
{
	(void)state;
	start(true, NULL);
	check_small_drawing(false);
}

/* A dim node is drawn differently from one that may be picked. */
static void test_draw_dim(void **state)
{
	(void)state;
	readonly_attrs = CONFIG_ATTR_UNDERLINE;
	start(false, NULL);
	struct ui_tree_node nodes[] = {
	    {"X", "Picked", NULL, -1, false, NULL},
	    {"Y", "Not here", NULL, -1, true, "outside your organisations"},
	    {"Z", "Cursor", NULL, -1, false, NULL},
	};
	struct ui_tree *t = ui_tree_new(nodes, 3, false);
	assert_non_null(t);
	assert_true(ui_tree_select(t, "Z"));
	ui_tree_draw(t, (struct ui_area){0, 0, 5, 80});
	assert_string_equal(line(1), "    Y  Not here");
	assert_int_not_equal(attr_at(1, 4, NULL), attr_at(0, 4, NULL));
	ui_tree_free(t);
}

static void test_expand_collapse(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree *t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);
	assert_string_equal(rows_text(t), "R1 R2");
	assert_string_equal(ui_tree_cursor_code(t), "R1");

	assert_true(ui_tree_request(t, REQ_EXPAND, 10));
	assert_string_equal(rows_text(t), "R1 A B R2");
	assert_true(ui_tree_expanded(t, "R1"));
	assert_true(ui_tree_request(t, REQ_DOWN, 10));
	assert_true(ui_tree_request(t, REQ_EXPAND, 10));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2");
	assert_string_equal(ui_tree_cursor_code(t), "A");
	/* Expand on an expanded node goes to its first child */
	assert_true(ui_tree_request(t, REQ_EXPAND, 10));
	assert_string_equal(ui_tree_cursor_code(t), "A1");
	/* on a leaf, nothing */
	assert_true(ui_tree_request(t, REQ_EXPAND, 10));
	assert_string_equal(ui_tree_cursor_code(t), "A1");
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2");

	/* collapsing the root hides A's children but A stays expanded */
	assert_true(ui_tree_request(t, REQ_FIRST, 10));
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	assert_string_equal(rows_text(t), "R1 R2");
	assert_true(ui_tree_expanded(t, "A"));
	assert_true(ui_tree_request(t, REQ_EXPAND, 10));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2");

	/* collapsing with the cursor below the node keeps rows in place */
	assert_true(ui_tree_request(t, REQ_LAST, 10));
	assert_string_equal(ui_tree_cursor_code(t), "R2");
	assert_true(ui_tree_request(t, REQ_EXPAND, 10));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2 C");
	assert_true(ui_tree_select(t, "A"));
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	assert_string_equal(rows_text(t), "R1 A B R2 C");
	assert_string_equal(ui_tree_cursor_code(t), "A");

	ui_tree_expand_all(t);
	assert_int_equal(ui_tree_rows(t), N_SMALL);
	assert_string_equal(ui_tree_cursor_code(t), "A");
	assert_true(ui_tree_select(t, "DW1"));
	ui_tree_collapse_all(t);
	assert_string_equal(rows_text(t), "R1 R2");
	/* the cursor goes to the root it was under */
	assert_string_equal(ui_tree_cursor_code(t), "R1");

	/* not a tree request */
	assert_false(ui_tree_request(t, REQ_ADD, 10));
	ui_tree_free(t);
}

static void test_collapse_leaf_goes_to_parent(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree *t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);
	assert_true(ui_tree_select(t, "A2"));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2");
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	assert_string_equal(ui_tree_cursor_code(t), "A");
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2");
	/* now on an expanded node: it collapses, the cursor stays */
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	assert_string_equal(ui_tree_cursor_code(t), "A");
	assert_string_equal(rows_text(t), "R1 A B R2");
	/* collapsed: to its parent */
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	assert_string_equal(ui_tree_cursor_code(t), "R1");
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	/* a collapsed root: nowhere to go */
	assert_string_equal(ui_tree_cursor_code(t), "R1");
	assert_string_equal(rows_text(t), "R1 R2");
	ui_tree_free(t);
}

/* E opens everything below the row, C closes it; the rows elsewhere
 * keep their state, and the cursor stays on the row. */
static void test_expand_collapse_below(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree *t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);
	assert_string_equal(rows_text(t), "R1 R2");
	assert_true(ui_tree_request(t, REQ_EXPAND_ALL, 0));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B B1 DW1 R2");
	assert_string_equal(ui_tree_cursor_code(t), "R1");
	/* R2 is not below R1: still closed */
	assert_false(ui_tree_expanded(t, "R2"));
	assert_true(ui_tree_select(t, "B"));
	assert_true(ui_tree_request(t, REQ_COLLAPSE_ALL, 0));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2");
	assert_string_equal(ui_tree_cursor_code(t), "B");
	/* closed all the way down: opening B a level shows B1 closed */
	assert_true(ui_tree_request(t, REQ_EXPAND, 0));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B B1 R2");
	/* on a leaf, nothing to open or close */
	assert_true(ui_tree_select(t, "A1"));
	assert_true(ui_tree_request(t, REQ_EXPAND_ALL, 0));
	assert_string_equal(rows_text(t), "R1 A A1 A2 B B1 R2");
	ui_tree_free(t);
}

/* The caller's info column: asked for the rows drawn only, by code, and
 * ui_tree_view names the first of them before the draw. */
static int info_asked;
static char info_codes[512];
static const char *info_of(void *ctx, const char *code)
{
	(void)ctx;
	info_asked++;
	size_t at = strlen(info_codes);
	snprintf(info_codes + at, sizeof info_codes - at, "%s ", code);
	static char buf[32];
	snprintf(buf, sizeof buf, "n=%s", code);
	return buf;
}

static void test_info_callback(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree *t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);
	ui_tree_expand_all(t);
	ui_tree_set_info(t, info_of, NULL, 10);
	assert_true(ui_tree_select(t, "DW1"));
	/* three rows: the cursor's row is the last of them */
	assert_int_equal(ui_tree_view(t, 3), 4);
	info_asked = 0;
	info_codes[0] = '\0';
	ui_tree_draw(t, (struct ui_area){2, 0, 3, 80});
	assert_int_equal(info_asked, 3);
	assert_string_equal(info_codes, "B B1 DW1 ");
	/* right-aligned in its 10 columns at the row's end */
	char want[128];
	snprintf(want, sizeof want, "%-70s%s",
	         "       +---- DW1  Deepwater Surgery", "n=DW1");
	assert_string_equal(line(4), want);
	ui_tree_free(t);
}

static void test_search_code_and_name(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree *t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);

	/* a code by its start, either case */
	assert_true(ui_tree_search(t, "dw"));
	assert_string_equal(ui_tree_cursor_code(t), "DW1");
	assert_string_equal(rows_text(t), "R1 A B B1 DW1 R2");
	assert_true(ui_tree_expanded(t, "B1"));
	assert_false(ui_tree_expanded(t, "A"));
	assert_string_equal(ui_tree_search_text(t), "dw");

	/* a name anywhere, not a code's middle */
	ui_tree_collapse_all(t);
	assert_true(ui_tree_search(t, "WATER"));
	assert_string_equal(ui_tree_cursor_code(t), "DW1");
	assert_int_equal(ui_tree_cursor_row(t), 4);
	assert_false(ui_tree_search(t, "W1"));
	assert_string_equal(ui_tree_cursor_code(t), "DW1");

	/* nothing matches: the cursor stays */
	assert_false(ui_tree_search(t, "zzz"));
	assert_string_equal(ui_tree_cursor_code(t), "DW1");
	assert_false(ui_tree_search(t, ""));

	/* the jump is drawn, the cursor's row on screen */
	ui_tree_draw(t, (struct ui_area){0, 0, 3, 80});
	int cy = cursor_y();
	assert_string_equal(line(cy), "       +---- DW1  Deepwater Surgery");
	ui_tree_free(t);
}

static void test_search_next_and_wrap(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree *t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);
	/* from the cursor onward: A (Alpha), then the next ones */
	assert_true(ui_tree_search(t, "alpha"));
	assert_string_equal(ui_tree_cursor_code(t), "A");
	assert_true(ui_tree_search(t, "alpha"));
	assert_string_equal(ui_tree_cursor_code(t), "A1");
	assert_true(ui_tree_search(t, "Alpha"));
	assert_string_equal(ui_tree_cursor_code(t), "A2");
	/* and round again */
	assert_true(ui_tree_search(t, "alpha"));
	assert_string_equal(ui_tree_cursor_code(t), "A");

	/* from the last node, wrapping to the first */
	assert_true(ui_tree_select(t, "C"));
	assert_true(ui_tree_search(t, "north"));
	assert_string_equal(ui_tree_cursor_code(t), "R1");
	/* a new text starts at the cursor: the node there if it matches */
	assert_true(ui_tree_search(t, "r"));
	assert_string_equal(ui_tree_cursor_code(t), "R1");
	assert_true(ui_tree_search(t, "r"));
	assert_string_equal(ui_tree_cursor_code(t), "DW1"); /* "Deepwater" */
	assert_true(ui_tree_search(t, "r"));
	assert_string_equal(ui_tree_cursor_code(t), "R2");
	ui_tree_free(t);
}

static const char *const no_codes[] = {NULL};

static void test_checkbox_column(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree_node nodes[N_SMALL];
	memcpy(nodes, small, sizeof nodes);
	nodes[4].dim = true; /* B */
	nodes[4].reason = "Beta is outside your organisations.";
	struct ui_tree *t = ui_tree_new(nodes, N_SMALL, true);
	assert_non_null(t);
	ui_tree_expand_all(t);

	assert_true(ui_tree_select(t, "A"));
	assert_true(ui_tree_request(t, REQ_TOGGLE, 10));
	assert_true(ui_tree_ticked(t, "A"));
	/* a dim node is not ticked (its reason goes to the message line) */
	assert_true(ui_tree_select(t, "B"));
	assert_true(ui_tree_request(t, REQ_TOGGLE, 10));
	assert_false(ui_tree_ticked(t, "B"));

	ui_tree_draw(t, (struct ui_area){0, 0, 12, 80});
	assert_string_equal(line(1), "[x]  +-[-] A  Alpha");
	assert_string_equal(line(2), "[ ]  |  +---- A1  Alpha One");
	int cy, cx;
	getyx(stdscr, cy, cx);
	assert_int_equal(cy, 4);
	assert_int_equal(cx, 1); /* in B's box */

	/* Select All: every node that may be ticked, then none */
	assert_true(ui_tree_request(t, REQ_SELECT_ALL, 10));
	const char *codes[N_SMALL];
	assert_int_equal(ui_tree_ticked_codes(t, codes, N_SMALL), N_SMALL - 1);
	const char *const want[] = {"R1", "A",   "A1", "A2",
	                            "B1", "DW1", "R2", "C"};
	for (int i = 0; i < N_SMALL - 1; i++)
		assert_string_equal(codes[i], want[i]);
	assert_false(ui_tree_ticked(t, "B"));
	assert_true(ui_tree_request(t, REQ_SELECT_ALL, 10));
	assert_int_equal(ui_tree_ticked_codes(t, codes, N_SMALL), 0);

	/* ticks from codes; ones not in the tree are left out */
	const char *const set[] = {"C", "A2", "nope"};
	assert_int_equal(ui_tree_set_ticked(t, set, 3), 2);
	assert_int_equal(ui_tree_ticked_codes(t, codes, 1), 2);
	assert_string_equal(codes[0], "A2");
	assert_int_equal(ui_tree_ticked_codes(t, codes, N_SMALL), 2);
	assert_string_equal(codes[1], "C");
	/* Select All with some ticked ticks the rest */
	assert_true(ui_tree_request(t, REQ_SELECT_ALL, 10));
	assert_int_equal(ui_tree_ticked_codes(t, NULL, 0), N_SMALL - 1);
	assert_int_equal(ui_tree_set_ticked(t, no_codes, 0), 0);
	assert_int_equal(ui_tree_ticked_codes(t, NULL, 0), 0);
	ui_tree_free(t);

	/* without the column, Space is not the tree's (the list pages) */
	t = ui_tree_new(small, N_SMALL, false);
	assert_non_null(t);
	assert_false(ui_tree_request(t, REQ_TOGGLE, 10));
	assert_false(ui_tree_request(t, REQ_SELECT_ALL, 10));
	ui_tree_free(t);
}

/* The nodes as the caller's "world" holds them: allocated, to be freed. */
static struct ui_tree_node *world_copy(const struct ui_tree_node *in, int n)
{
	struct ui_tree_node *w = calloc((size_t)n, sizeof *w);
	assert_non_null(w);
	for (int i = 0; i < n; i++) {
		w[i] = in[i];
		w[i].code = strdup(in[i].code);
		w[i].name = strdup(in[i].name);
		w[i].info = in[i].info ? strdup(in[i].info) : NULL;
	}
	return w;
}

static void world_free(struct ui_tree_node *w, int n)
{
	for (int i = 0; i < n; i++) {
		free((char *)w[i].code);
		free((char *)w[i].name);
		free((char *)w[i].info);
	}
	free(w);
}

static void test_reload_keeps_state_by_code(void **state)
{
	(void)state;
	start(false, NULL);
	struct ui_tree_node *w = world_copy(small, N_SMALL);
	struct ui_tree *t = ui_tree_new(w, N_SMALL, true);
	world_free(w, N_SMALL); /* the tree has its own copy */
	assert_non_null(t);
	assert_true(ui_tree_select(t, "A2"));
	const char *const ticks[] = {"A2", "C", "A1"};
	assert_int_equal(ui_tree_set_ticked(t, ticks, 3), 3);
	assert_string_equal(rows_text(t), "R1 A A1 A2 B R2");

	/* the reload: R2 now first, A1 gone, A3 new, indexes all changed */
	const struct ui_tree_node after[] = {
	    {"R2", "South", NULL, -1, false, NULL},
	    {"C", "Gamma", NULL, 0, false, NULL},
	    {"R1", "North (renamed)", NULL, -1, false, NULL},
	    {"A", "Alpha", NULL, 2, false, NULL},
	    {"A2", "Alpha Two", NULL, 3, false, NULL},
	    {"A3", "Alpha Three", NULL, 3, false, NULL},
	    {"B", "Beta", NULL, 2, false, NULL},
	};
	w = world_copy(after, 7);
	assert_true(ui_tree_set_nodes(t, w, 7));
	world_free(w, 7);
	assert_string_equal(rows_text(t), "R2 R1 A A2 A3 B");
	assert_string_equal(ui_tree_cursor_code(t), "A2");
	assert_true(ui_tree_expanded(t, "A"));
	assert_false(ui_tree_expanded(t, "R2"));
	const char *codes[8];
	assert_int_equal(ui_tree_ticked_codes(t, codes, 8), 2);
	assert_string_equal(codes[0], "C");
	assert_string_equal(codes[1], "A2");
	ui_tree_draw(t, (struct ui_area){0, 0, 10, 80});
	assert_string_equal(line(1), "[ ] [-] R1  North (renamed)");

	/* the cursor's node goes: its parent takes the cursor */
	const struct ui_tree_node gone[] = {
	    {"R1", "North", NULL, -1, false, NULL},
	    {"A", "Alpha", NULL, 0, false, NULL},
	    {"A3", "Alpha Three", NULL, 1, false, NULL},
	};
	assert_true(ui_tree_set_nodes(t, gone, 3));
	assert_string_equal(ui_tree_cursor_code(t), "A");
	assert_string_equal(rows_text(t), "R1 A A3");
	assert_int_equal(ui_tree_ticked_codes(t, codes, 8), 0);

	/* a node moved under a collapsed parent keeps the cursor, shown */
	const struct ui_tree_node moved[] = {
	    {"R1", "North", NULL, -1, false, NULL},
	    {"R9", "Elsewhere", NULL, -1, false, NULL},
	    {"A", "Alpha", NULL, 1, false, NULL},
	};
	assert_true(ui_tree_set_nodes(t, moved, 3));
	assert_string_equal(ui_tree_cursor_code(t), "A");
	assert_string_equal(rows_text(t), "R1 R9 A");

	/* and to nothing at all */
	assert_true(ui_tree_set_nodes(t, NULL, 0));
	assert_int_equal(ui_tree_rows(t), 0);
	assert_null(ui_tree_cursor_code(t));
	assert_true(ui_tree_request(t, REQ_DOWN, 10));
	assert_true(ui_tree_request(t, REQ_COLLAPSE, 10));
	assert_false(ui_tree_search(t, "A"));
	ui_tree_draw(t, (struct ui_area){0, 0, 10, 80});
	assert_string_equal(line(0), "");
	ui_tree_free(t);
}

/* Parents out of range and cycles do not hang or lose nodes. */
static void test_bad_parents(void **state)
{
	(void)state;
	start(false, NULL);
	const struct ui_tree_node nodes[] = {
	    {"P", "p", NULL, 1, false, NULL}, /* P and Q: a cycle */
	    {"Q", "q", NULL, 0, false, NULL},
	    {"S", "s", NULL, 2, false, NULL}, /* its own parent */
	    {"T", "t", NULL, 99, false, NULL},
	    {"U", "u", NULL, 1, false, NULL},
	};
	struct ui_tree *t = ui_tree_new(nodes, 5, false);
	assert_non_null(t);
	ui_tree_expand_all(t);
	/* P, cut from its cycle, is the first root */
	assert_string_equal(rows_text(t), "P Q U S T");
	ui_tree_free(t);
}

/* Very deep: the indentation is capped, the code stays on screen. */
static void test_deep_keeps_code_in_view(void **state)
{
	(void)state;
	start(false, NULL);
	enum { DEPTH = 2000 };
	static struct ui_tree_node chain[DEPTH];
	static char codes[DEPTH][8];
	for (int i = 0; i < DEPTH; i++) {
		snprintf(codes[i], sizeof codes[i], "D%d", i);
		chain[i] = (struct ui_tree_node){codes[i], "Deep", NULL,
		                                 i - 1,    false,  NULL};
	}
	struct ui_tree *t = ui_tree_new(chain, DEPTH, false);
	assert_non_null(t);
	assert_true(ui_tree_search(t, "D1999"));
	assert_int_equal(ui_tree_rows(t), DEPTH);
	struct ui_area a = {0, 0, 22, 80};
	ui_tree_draw(t, a);
	int cy, cx;
	getyx(stdscr, cy, cx);
	assert_int_equal(cy, 21);
	const char *l = line(cy);
	const char *at = strstr(l, "D1999  Deep");
	assert_non_null(at);
	assert_true(at - l <= 80 / 4 + 4);
	assert_true(cx <= 80 / 4);
	ui_tree_free(t);
}

/* Text from the database cannot leave its cell nor move the cursor. */
static void test_hostile_text(void **state)
{
	(void)state;
	start(false, NULL);
	const struct ui_tree_node nodes[] = {
	    {"E\x1b[2J", "Evil\r\nname\x1b[31m\x9b", "x\ty", -1, false, NULL},
	    {"OK", "Fine", "info", -1, false, NULL},
	};
	struct ui_tree *t = ui_tree_new(nodes, 2, false);
	assert_non_null(t);
	ui_tree_draw(t, (struct ui_area){0, 0, 4, 80});
	for (int y = 0; y < 2; y++) {
		const char *l = line(y);
		for (const char *c = l; *c; c++)
			assert_true((unsigned char)*c >= 32 &&
			            (unsigned char)*c < 127);
		assert_true(strlen(l) <= 80);
	}
	/* the info column is where it is on the next row */
	assert_string_equal(line(1) + 76, "info");
	assert_int_equal(strlen(line(0)), 79); /* "x" "y" and the tab's mark */
	assert_int_equal(line(0)[76], 'x');
	assert_int_equal(line(0)[78], 'y');
	ui_tree_free(t);
}

/* The tree's keys, through its key maps: the tick list's Space ticks,
 * the plain tree's pages (the list's). */
static void test_keymaps(void **state)
{
	(void)state;
	start(false, NULL);
	assert_int_equal(ui_keymap_request(&ui_tree_keymap, '+'), REQ_EXPAND);
	assert_int_equal(ui_keymap_request(&ui_tree_keymap, UI_KEY_RIGHT),
	                 REQ_EXPAND);
	assert_int_equal(ui_keymap_request(&ui_tree_keymap, '-'), REQ_COLLAPSE);
	assert_int_equal(ui_keymap_request(&ui_tree_keymap, UI_KEY_LEFT),
	                 REQ_COLLAPSE);
	assert_int_equal(ui_keymap_request(&ui_tree_keymap, '/'), REQ_SEARCH);
	assert_int_equal(ui_keymap_request(&ui_tree_keymap, UI_KEY_DOWN),
	                 REQ_DOWN);
	assert_int_equal(ui_keymap_request(&ui_tree_keymap, ' '),
	                 REQ_PAGE_DOWN);
	assert_int_equal(ui_keymap_request(&ui_tree_check_keymap, ' '),
	                 REQ_TOGGLE);
	assert_int_equal(ui_keymap_request(&ui_tree_check_keymap, '*'),
	                 REQ_SELECT_ALL);
	assert_int_equal(ui_keymap_request(&ui_tree_check_keymap, '+'),
	                 REQ_EXPAND);
	assert_int_equal(ui_keymap_request(&ui_tree_check_keymap, UI_KEY_PGDN),
	                 REQ_PAGE_DOWN);
}

/* ---- the picker --------------------------------------------------------- */

/* R1 is dim (the operator manages only what is below it) */
static struct ui_screen *small_picker(struct pick *p)
{
	struct ui_tree_node nodes[N_SMALL];
	memcpy(nodes, small, sizeof nodes);
	nodes[0].dim = true;
	nodes[0].reason = "North is above your organisations.";
	struct ui_screen *s =
	    ui_tree_picker_new("Add Organisation", nodes, N_SMALL, picked, p);
	assert_non_null(s);
	assert_non_null(s->keymap);
	return s;
}

static void test_picker_returns_code(void **state)
{
	(void)state;
	start(false, NULL);
	struct pick p = {0};
	struct ui_screen *s = small_picker(&p);
	struct ui_tree *t = ui_tree_picker_tree(s);
	/* the roots open, and the cursor on the first that may be picked */
	assert_string_equal(rows_text(t), "R1 A B R2 C");
	assert_string_equal(ui_tree_cursor_code(t), "A");

	s->draw(s, (struct ui_area){2, 0, 20, 80});
	assert_string_equal(line(2), "Add Organisation");
	assert_string_equal(line(4), " +-[+] A  Alpha");

	/* keys come resolved along the picker's key map */
	assert_int_equal(ui_keymap_request(s->keymap, UI_KEY_ENTER), REQ_OPEN);
	assert_int_equal(ui_keymap_request(s->keymap, '/'), REQ_SEARCH);
	assert_int_equal(ui_keymap_request(s->keymap, '+'), REQ_EXPAND);
	assert_int_equal(ui_keymap_request(s->keymap, '-'), REQ_COLLAPSE);
	assert_int_equal(ui_keymap_request(s->keymap, 'j'), REQ_DOWN);
	assert_int_equal(s->key(s, '+', REQ_EXPAND), UI_HANDLED);
	assert_int_equal(s->key(s, 'j', REQ_DOWN), UI_HANDLED);
	assert_string_equal(ui_tree_cursor_code(t), "A1");
	assert_int_equal(s->key(s, UI_KEY_ENTER, REQ_OPEN), UI_CLOSE);
	assert_int_equal(p.calls, 1);
	assert_string_equal(p.code, "A1");
	s->close(s);
}

/* The checker: ticks start as given, Done hands them over; a reload
 * gives it the caller's new nodes, the ticks kept by code. */
static int reloads;
static void done_codes(void *ctx, const char *const *codes, int n)
{
	char *out = ctx;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		strcat(out, i ? " " : "");
		strcat(out, codes[i]);
	}
}
static void reload_without_b(void *ctx, struct ui_tree *t)
{
	(void)ctx;
	struct ui_tree_node nodes[N_SMALL];
	int n = 0;
	for (int i = 0; i < N_SMALL; i++)
		if (strcmp(small[i].code, "B") != 0 &&
		    strcmp(small[i].code, "B1") != 0 &&
		    strcmp(small[i].code, "DW1") != 0)
			nodes[n++] = small[i];
	/* parents by index: C's, R2, is at 5 now (A2's, A, still at 1) */
	nodes[3].parent = 5;
	reloads++;
	assert_true(ui_tree_set_nodes(t, nodes, n));
}

static void test_checker_reload(void **state)
{
	(void)state;
	start(false, NULL);
	char got[128] = "unset";
	const char *ticked[] = {"A1", "B1"};
	struct ui_screen *s = ui_tree_checker_new("Members", small, N_SMALL,
	                                          ticked, 2, done_codes, got);
	assert_non_null(s);
	struct ui_tree *t = ui_tree_picker_tree(s);
	assert_true(ui_tree_ticked(t, "A1") && ui_tree_ticked(t, "B1"));
	/* no reload asked for: a change leaves it as it is */
	assert_null(s->changed);
	ui_tree_picker_on_changed(s, reload_without_b);
	reloads = 0;
	s->changed(s);
	assert_int_equal(reloads, 1);
	assert_false(ui_tree_select(t, "B1")); /* gone */
	assert_int_equal(s->key(s, UI_KEY_ENTER, REQ_OPEN), UI_CLOSE);
	assert_string_equal(got, "A1");
	s->close(s);
}

static void test_picker_refuses_dim(void **state)
{
	(void)state;
	start(false, NULL);
	struct pick p = {0};
	struct ui_screen *s = small_picker(&p);
	assert_int_equal(s->key(s, 'k', REQ_UP), UI_HANDLED);
	assert_string_equal(ui_tree_cursor_code(ui_tree_picker_tree(s)), "R1");
	assert_int_equal(s->key(s, UI_KEY_ENTER, REQ_OPEN), UI_HANDLED);
	assert_int_equal(p.calls, 0);
	/* Esc closes without picking */
	assert_int_equal(s->key(s, UI_KEY_ESC, REQ_BACK), UI_CLOSE);
	assert_int_equal(p.calls, 0);
	/* what is not the picker's goes to the frame */
	assert_int_equal(s->key(s, 'a', REQ_ADD), UI_IGNORED);
	s->close(s);
}

static void test_picker_search(void **state)
{
	(void)state;
	/* the answers to the picker's two prompts: a text, then the same
	 * text offered again and taken with Enter (the next match) */
	start(false, "alpha<Enter><Enter>");
	struct pick p = {0};
	struct ui_screen *s = small_picker(&p);
	struct ui_tree *t = ui_tree_picker_tree(s);
	assert_true(ui_tree_select(t, "R2"));
	assert_int_equal(s->key(s, '/', REQ_SEARCH), UI_HANDLED);
	assert_string_equal(ui_tree_cursor_code(t), "A"); /* wrapped */
	assert_int_equal(s->key(s, '/', REQ_SEARCH), UI_HANDLED);
	assert_string_equal(ui_tree_cursor_code(t), "A1");
	s->draw(s, (struct ui_area){2, 0, 20, 80});
	assert_string_equal(line(2), "Add Organisation  Search: alpha");
	assert_int_equal(s->key(s, UI_KEY_ENTER, REQ_OPEN), UI_CLOSE);
	assert_string_equal(p.code, "A1");
	s->close(s);
}

/* ---- 100,000 nodes ------------------------------------------------------ */

/* As the NHS hierarchy: 13 regions, 104 ICBs, 1,248 sub-ICB locations, the
 * rest practices, each level dealt round its parents (forest.h, which the
 * benchmark builds too). */
enum { BIG = 100000 };
static struct forest forest;

static void test_hundred_thousand(void **state)
{
	(void)state;
	start(false, NULL);
	assert_true(forest_build(&forest, BIG));
	const struct ui_tree_node *big = forest.nodes;
	struct ui_tree *t = ui_tree_new(big, BIG, true);
	assert_non_null(t);
	assert_int_equal(ui_tree_rows(t), FOREST_ROOTS);

	ui_tree_expand_all(t);
	assert_int_equal(ui_tree_rows(t), BIG);
	/* the oracle: the last node, from the input */
	int visible;
	int last = forest_last(&forest, &visible);
	assert_string_equal(ui_tree_row_code(t, BIG - 1), big[last].code);

	ui_tree_collapse_all(t);
	assert_int_equal(ui_tree_rows(t), FOREST_ROOTS);
	assert_string_equal(ui_tree_cursor_code(t), "Y00");

	/* from the first row to the last node, its ancestors opened */
	assert_true(ui_tree_search(t, big[last].name));
	assert_string_equal(ui_tree_cursor_code(t), big[last].code);
	assert_int_equal(ui_tree_rows(t), visible);
	assert_int_equal(ui_tree_cursor_row(t), visible - 1);
	assert_true(ui_tree_expanded(t, big[big[last].parent].code));

	ui_tree_draw(t, (struct ui_area){2, 0, 20, 80});
	int cy = cursor_y();
	assert_int_equal(cy, 21);
	char want[64];
	snprintf(want, sizeof want, "%s  %s", big[last].code, big[last].name);
	assert_non_null(strstr(line(cy), want));
	assert_non_null(strstr(line(cy - 19), "P"));

	/* a page down from the top of all 100,000, and Select All */
	ui_tree_expand_all(t);
	assert_true(ui_tree_request(t, REQ_FIRST, 0));
	assert_true(ui_tree_request(t, REQ_PAGE_DOWN, 0));
	assert_int_equal(ui_tree_cursor_row(t), 20);
	assert_true(ui_tree_request(t, REQ_SELECT_ALL, 0));
	assert_int_equal(ui_tree_ticked_codes(t, NULL, 0), BIG);

	/* a reload of the same keeps all of it */
	assert_true(ui_tree_set_nodes(t, big, BIG));
	assert_int_equal(ui_tree_rows(t), BIG);
	assert_int_equal(ui_tree_ticked_codes(t, NULL, 0), BIG);
	assert_int_equal(ui_tree_cursor_row(t), 20);
	ui_tree_free(t);
	forest_free(&forest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_draw_acs, ui_test_teardown),
	    cmocka_unit_test_teardown(test_draw_ascii, ui_test_teardown),
	    cmocka_unit_test_teardown(test_draw_dim, ui_test_teardown),
	    cmocka_unit_test_teardown(test_expand_collapse, ui_test_teardown),
	    cmocka_unit_test_teardown(test_expand_collapse_below,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_info_callback, ui_test_teardown),
	    cmocka_unit_test_teardown(test_collapse_leaf_goes_to_parent,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_search_code_and_name,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_search_next_and_wrap,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_checkbox_column, ui_test_teardown),
	    cmocka_unit_test_teardown(test_reload_keeps_state_by_code,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_bad_parents, ui_test_teardown),
	    cmocka_unit_test_teardown(test_deep_keeps_code_in_view,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_hostile_text, ui_test_teardown),
	    cmocka_unit_test_teardown(test_keymaps, ui_test_teardown),
	    cmocka_unit_test_teardown(test_picker_returns_code,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_picker_refuses_dim,
	                              ui_test_teardown),
	    cmocka_unit_test_teardown(test_picker_search, ui_test_teardown),
	    cmocka_unit_test_teardown(test_checker_reload, ui_test_teardown),
	    cmocka_unit_test_teardown(test_hundred_thousand, ui_test_teardown),
	};
	return cmocka_run_group_tests_name("ui-tree", tests, NULL, NULL);
}
