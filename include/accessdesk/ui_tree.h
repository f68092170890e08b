/* ui_tree.h: the tree widget (src/ui/tree.c): a forest of organisations
 * drawn with line-drawing characters, expanded and collapsed, searched by
 * code or name, with an optional checkbox column; and a picker screen
 * over it.
 *
 * The tree copies what it shows when it is made: nothing in it points
 * into the caller's data, which the session frees and reloads when the
 * database announces a change. Everything that comes out of it is a
 * node's CODE, never an index into the caller's arrays; a reload
 * (ui_tree_set_nodes) keeps the expanded nodes, the ticks and the cursor
 * by code.
 *
 * Allocation failure: the functions that allocate return NULL or false
 * and leave the tree as it was; the caller says "out of memory".
 */
#ifndef ACCESSDESK_UI_TREE_H
#define ACCESSDESK_UI_TREE_H

#include <stdbool.h>

#include "accessdesk/ui.h"

/* One node of the input. Every string is copied; info and reason may be
 * NULL. Children are shown in the order they come in the input. */
struct ui_tree_node {
	const char *code; /* unique; what selections and results are */
	const char *name;
	const char *info;   /* a column after the name: "site  3 users" */
	int parent;         /* index in the same array; -1 for a root */
	bool dim;           /* may not be picked or ticked here */
	const char *reason; /* why not (ui_error), when dim */
};

struct ui_tree;

/* The tree's requests: expand (+, Right), collapse (-, Left: on a leaf
 * or a collapsed node, to its parent), expand or collapse everything below
 * the row (E, C) and search (/); the movement comes from ui_list_keymap,
 * its parent. */
extern const struct ui_keymap ui_tree_keymap;
/* The same with the checkbox column: tick (Space) and Select All (*). */
extern const struct ui_keymap ui_tree_check_keymap;

/* A tree of n nodes, the roots collapsed and the cursor on the first;
 * with `checks`, a checkbox column. A parent out of range or a cycle
 * makes the node a root. NULL when out of memory. */
struct ui_tree *ui_tree_new(const struct ui_tree_node *nodes, int n,
                            bool checks);
void ui_tree_free(struct ui_tree *t);

/* Replaces the nodes (after a reload): the nodes expanded, ticked and
 * under the cursor stay so by code; a cursor whose node is gone goes to
 * its nearest ancestor that is still there. False when out of memory
 * (the tree keeps its old nodes). */
bool ui_tree_set_nodes(struct ui_tree *t, const struct ui_tree_node *nodes,
                       int n);

/* One row per visible node into the area: the checkbox, the lines, a
 * marker ([+] collapsed, [-] expanded), code, name and info; the cursor
 * row selected, with the terminal cursor on it. Keeps the cursor row in
 * view. */
void ui_tree_draw(struct ui_tree *t, struct ui_area a);

/* The info column from the caller instead of the nodes' info: info(ctx,
 * code) for each row drawn, `width` columns wide, right-aligned by the
 * caller's text (so the caller may fill it lazily: only rows on screen
 * are asked). NULL info: the nodes' own again. */
void ui_tree_set_info(struct ui_tree *t,
                      const char *(*info)(void *ctx, const char *code),
                      void *ctx, int width);
/* Scrolls as a draw of h rows would and returns the first row it would
 * draw: the caller learns which rows are on screen before drawing (to
 * fetch what their info needs in one go). */
int ui_tree_view(struct ui_tree *t, int h);

/* Does a request of ui_tree_keymap or ui_tree_check_keymap (and the
 * movement of ui_list_keymap): true when handled. `page` is the rows a
 * page moves; 0 or less: the height last drawn. REQ_SEARCH asks for the
 * text with ui_prompt() (the last text offered again, so Enter goes to
 * the next match). Ticking a dim node says its reason with ui_error(). */
bool ui_tree_request(struct ui_tree *t, enum ui_request r, int page);

/* Moves the cursor to the next node, in preorder from the cursor's and
 * wrapping, whose code starts with text or whose name contains it (either
 * case, ASCII), opening its ancestors; the same text again moves to the
 * match after. False when nothing matches (the cursor stays). */
bool ui_tree_search(struct ui_tree *t, const char *text);
/* The text of the last search ("" before any). */
const char *ui_tree_search_text(const struct ui_tree *t);

/* Moves the cursor to the node with this code, opening its ancestors;
 * false when there is none. */
bool ui_tree_select(struct ui_tree *t, const char *code);
/* The code under the cursor; NULL when the tree is empty. The string is
 * the tree's: valid until the next ui_tree_set_nodes or ui_tree_free. */
const char *ui_tree_cursor_code(const struct ui_tree *t);
/* Why the node under the cursor may not be picked; NULL when it may. */
const char *ui_tree_cursor_reason(const struct ui_tree *t);

void ui_tree_expand_all(struct ui_tree *t);
void ui_tree_collapse_all(struct ui_tree *t);
/* Expands the roots and every dim node on the way to a node that may be
 * picked, so the topmost pickable nodes are in view, and puts the cursor
 * on the first of them: a picker's start. */
void ui_tree_open_pickable(struct ui_tree *t);

/* The visible rows: how many, the code of one (NULL out of range), the
 * cursor's row (0 when empty). */
int ui_tree_rows(const struct ui_tree *t);
const char *ui_tree_row_code(const struct ui_tree *t, int row);
int ui_tree_cursor_row(const struct ui_tree *t);
/* Whether the node with this code is expanded (false when unknown). */
bool ui_tree_expanded(const struct ui_tree *t, const char *code);

/* ---- the checkbox column ------------------------------------------------ */

bool ui_tree_ticked(const struct ui_tree *t, const char *code);
/* The ticked codes in preorder: fills codes[0..max) and returns how many
 * are ticked (max 0 counts them). The strings are the tree's, as with
 * ui_tree_cursor_code. */
int ui_tree_ticked_codes(const struct ui_tree *t, const char **codes, int max);
/* Ticks exactly the nodes with these codes (dim ones too: it is the
 * caller's state, only the operator is refused); returns how many of the
 * codes were found. */
int ui_tree_set_ticked(struct ui_tree *t, const char *const *codes, int n);

/* ---- the tree picker ---------------------------------------------------- */

/* A screen picking one node of the forest (copied): the roots expanded,
 * and the dim nodes on the way to pickable ones (ui_tree_open_pickable);
 * / searches, Enter on a node that may be picked calls picked(ctx, code)
 * and closes, on a dim node says why and stays; Esc closes without
 * picking. NULL when out of memory. */
struct ui_screen *
ui_tree_picker_new(const char *title, const struct ui_tree_node *nodes, int n,
                   void (*picked)(void *ctx, const char *code), void *ctx);
/* The same screen ticking several nodes (the checkbox column): the nodes
 * with the codes `ticked` start ticked; Space ticks, * is Select All, /
 * searches; Enter calls done(ctx, codes, n) with the ticked codes in
 * preorder (the strings valid during the call) and closes; Esc closes and
 * leaves the caller's ticks as they were. The title line counts the
 * ticks. NULL when out of memory. */
struct ui_screen *
ui_tree_checker_new(const char *title, const struct ui_tree_node *nodes, int n,
                    const char *const *ticked, int n_ticked,
                    void (*done)(void *ctx, const char *const *codes, int n),
                    void *ctx);
/* The picker's tree (to replace its nodes when the world is reloaded). */
struct ui_tree *ui_tree_picker_tree(struct ui_screen *s);
/* When the world is reloaded, the picker or checker calls reload(ctx,
 * tree) (the ctx it was made with), which gives the tree its new nodes
 * (ui_tree_set_nodes: the cursor and the ticks stay by code), so a moved
 * or deleted organisation or a reason that changed is seen at once. */
void ui_tree_picker_on_changed(struct ui_screen *s,
                               void (*reload)(void *ctx, struct ui_tree *t));

#endif
