/* tree.c: the tree widget and the tree picker (ui_tree.h).
 *
 * The tree owns a copy of its nodes (a "forest": the strings in one
 * block, per node its parent, first child, next sibling, depth and
 * preorder position, and a hash of the codes) and the visible rows: the
 * nodes shown, in preorder, as an array. Expanding a node inserts its
 * visible descendants after its row and collapsing removes them (the
 * work is the rows that change and one memmove); expanding to a node far
 * away, expand all and collapse all rebuild the rows in one O(n) walk.
 * The rows are in preorder, so a node's row is found by binary search
 * on the preorder positions. Nothing here points into the caller's data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/ui_tree.h"
#include "accessdesk/count.h"
#include "ui_internal.h"

enum {
	TREE_DIM = 1,
	TREE_EXPANDED = 2,
	TREE_TICKED = 4,
};

/* Columns each level of indentation takes: " |-" and " | ". */
#define TREE_LEVEL_W 3
/* The marker: "[+] ". */
#define TREE_MARK_W 4
/* The info column is at most this wide, whatever the texts. */
#define TREE_INFO_MAX 40
/* The search text kept for "again" and for the prompt. */
#define TREE_SEARCH_MAX 128

struct tree_item {
	const char *code, *name, *info, *reason; /* in forest.text */
	int parent, first, next;                 /* -1: none */
	int depth;
	int pos; /* in preorder */
	unsigned char flags;
};

/* A code's hash is kept beside its node, so a probe that meets another
 * code rarely has to read it. */
struct tree_slot {
	int node; /* -1: empty */
	uint32_t hash;
};

struct forest {
	struct tree_item *items;
	int n;
	int first_root; /* -1 when empty; the roots are linked by next */
	char *text;     /* every string, one after the other */
	int *pre;       /* the node at each preorder position */
	struct tree_slot *hash; /* code -> node (open addressing) */
	size_t hash_mask;
	int info_w;     /* the widest info, in characters */
	int n_pickable; /* nodes not dim */
};

struct ui_tree {
	struct forest f;
	int *rows; /* the visible nodes, in preorder; room for f.n */
	int n_rows;
	int cursor; /* index in rows */
	int top;    /* first row drawn */
	int page;   /* height last drawn (0: not drawn yet) */
	bool checks;
	int n_ticked_pickable; /* for Select All: are they all ticked? */
	char search[TREE_SEARCH_MAX];
	/* the caller's info column (ui_tree_set_info), or NULL */
	const char *(*info)(void *ctx, const char *code);
	void *info_ctx;
	int info_width;
};

static const char tree_default_reason[] = "It may not be picked here.";

/* ---- the keys ----------------------------------------------------------- */

static const struct ui_keydef tree_keys[] = {
    {REQ_EXPAND, NULL, "Expand the row; on an expanded row, to its first child",
     false, 0},
    {REQ_COLLAPSE, NULL,
     "Collapse the row; on a leaf or a collapsed row, to its parent", false, 0},
    {REQ_EXPAND_ALL, NULL, NULL, false, 0},
    {REQ_COLLAPSE_ALL, NULL, NULL, false, 0},
    {REQ_SEARCH, NULL,
     "Search by code (its start) or name (anywhere); again: next match", true,
     0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_tree_keymap = {"tree", "The organisation tree",
                                         tree_keys, &ui_list_keymap};

static const struct ui_keydef tree_check_keys[] = {
    {REQ_TOGGLE, NULL, "Tick or untick the row", true, 0},
    {REQ_SELECT_ALL, NULL,
     "Tick every row that may be ticked, or untick them all", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_tree_check_keymap = {
    "tree-check", "Ticking in the organisation tree", tree_check_keys,
    &ui_tree_keymap};

/* ---- the forest --------------------------------------------------------- */

static uint32_t tree_hash_of(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int tree_lookup(const struct forest *f, const char *code)
{
	if (!code || f->n == 0)
		return -1;
	uint32_t hash = tree_hash_of(code);
	for (size_t h = hash & f->hash_mask;; h = (h + 1) & f->hash_mask) {
		const struct tree_slot *sl = &f->hash[h];
		if (sl->node < 0 ||
		    (sl->hash == hash &&
		     strcmp(f->items[sl->node].code, code) == 0))
			return sl->node;
	}
}

static void tree_forest_free(struct forest *f)
{
	free(f->items);
	free(f->text);
	free(f->pre);
	free(f->hash);
	memset(f, 0, sizeof *f);
	f->first_root = -1;
}

/* Characters, as an estimate of columns that needs no locale: the info
 * column's width must not depend on when the tree was made. */
static int tree_chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static char *tree_copy(char **at, const char *s)
{
	char *d = *at;
	size_t len = strlen(s) + 1;
	memcpy(d, s, len);
	*at += len;
	return d;
}

/* Links first child and next sibling from the parents, in input order;
 * `last` has room for n. */
static void tree_link(struct forest *f, int *last)
{
	int last_root = -1;
	f->first_root = -1;
	for (int i = 0; i < f->n; i++) {
		f->items[i].first = f->items[i].next = -1;
		last[i] = -1;
	}
	for (int i = 0; i < f->n; i++) {
		int p = f->items[i].parent;
		int *prev = p < 0 ? &last_root : &last[p];
		if (*prev < 0) {
			if (p < 0)
				f->first_root = i;
			else
				f->items[p].first = i;
		} else {
			f->items[*prev].next = i;
		}
		*prev = i;
	}
}

/* Marks (pos = 0) what is reachable from v through the child links; a
 * stack rather than the parents, which may still form a cycle here. */
static void tree_mark(struct forest *f, int v, int *stack)
{
	int sp = 0;
	stack[sp++] = v;
	while (sp > 0) {
		int u = stack[--sp];
		if (f->items[u].pos == 0)
			continue;
		f->items[u].pos = 0;
		for (int c = f->items[u].first; c >= 0; c = f->items[c].next)
			stack[sp++] = c;
	}
}

/* The node after v in preorder, within the subtree of `top` (-1: the
 * whole forest), descending into every node (all) or the expanded ones. */
static int tree_next(const struct forest *f, int v, int top, bool all)
{
	const struct tree_item *it = &f->items[v];
	if (it->first >= 0 && (all || (it->flags & TREE_EXPANDED)))
		return it->first;
	while (v != top) {
		if (f->items[v].next >= 0)
			return f->items[v].next;
		v = f->items[v].parent;
	}
	return -1;
}

static bool tree_forest_build(struct forest *f, const struct ui_tree_node *in,
                              int n)
{
	memset(f, 0, sizeof *f);
	f->first_root = -1;
	if (n < 0)
		n = 0;
	size_t text = 1, slots = 16;
	for (int i = 0; i < n; i++) {
		text += strlen(in[i].code ? in[i].code : "") + 1;
		text += strlen(in[i].name ? in[i].name : "") + 1;
		text += strlen(in[i].info ? in[i].info : "") + 1;
		if (in[i].dim && in[i].reason)
			text += strlen(in[i].reason) + 1;
	}
	while (slots < 2 * (size_t)n)
		slots *= 2;
	size_t count = n > 0 ? (size_t)n : 1;
	f->items = malloc(count * sizeof *f->items);
	f->text = malloc(text);
	f->pre = malloc(count * sizeof *f->pre);
	f->hash = malloc(slots * sizeof *f->hash);
	int *tmp = malloc(2 * count * sizeof *tmp);
	if (!f->items || !f->text || !f->pre || !f->hash || !tmp) {
		free(tmp);
		tree_forest_free(f);
		return false;
	}
	f->n = n;
	f->hash_mask = slots - 1;
	for (size_t h = 0; h < slots; h++)
		f->hash[h].node = -1;

	char *at = f->text;
	for (int i = 0; i < n; i++) {
		struct tree_item *it = &f->items[i];
		it->code = tree_copy(&at, in[i].code ? in[i].code : "");
		it->name = tree_copy(&at, in[i].name ? in[i].name : "");
		it->info = tree_copy(&at, in[i].info ? in[i].info : "");
		it->reason = !in[i].dim     ? NULL
		             : in[i].reason ? tree_copy(&at, in[i].reason)
		                            : tree_default_reason;
		it->flags = in[i].dim ? TREE_DIM : 0;
		f->n_pickable += !in[i].dim;
		int p = in[i].parent;
		it->parent = p < 0 || p >= n || p == i ? -1 : p;
		it->pos = -1;
		int w = tree_chars(it->info);
		if (w > f->info_w)
			f->info_w = w < TREE_INFO_MAX ? w : TREE_INFO_MAX;
		/* the first of two equal codes is the one found */
		uint32_t hash = tree_hash_of(it->code);
		size_t h = hash & f->hash_mask;
		while (f->hash[h].node >= 0 &&
		       (f->hash[h].hash != hash ||
		        strcmp(f->items[f->hash[h].node].code, it->code) != 0))
			h = (h + 1) & f->hash_mask;
		if (f->hash[h].node < 0)
			f->hash[h] = (struct tree_slot){i, hash};
	}

	/* A node in a cycle of parents is reached from no root: it becomes
	 * one, and takes the rest of its cycle with it. */
	int *last = tmp, *stack = tmp + count;
	tree_link(f, last);
	for (int r = f->first_root; r >= 0; r = f->items[r].next)
		tree_mark(f, r, stack);
	bool cut = false;
	for (int i = 0; i < n; i++)
		if (f->items[i].pos != 0) {
			f->items[i].parent = -1;
			tree_mark(f, i, stack);
			cut = true;
		}
	if (cut)
		tree_link(f, last);
	free(tmp);

	int pos = 0;
	for (int v = f->first_root; v >= 0; v = tree_next(f, v, -1, true)) {
		struct tree_item *it = &f->items[v];
		it->depth = it->parent < 0 ? 0 : f->items[it->parent].depth + 1;
		it->pos = pos;
		f->pre[pos++] = v;
	}
	return true;
}

/* ---- the visible rows --------------------------------------------------- */

static void tree_rows_rebuild(struct ui_tree *t)
{
	t->n_rows = 0;
	for (int v = t->f.first_root; v >= 0;
	     v = tree_next(&t->f, v, -1, false))
		t->rows[t->n_rows++] = v;
}

static void tree_clamp(struct ui_tree *t)
{
	if (t->cursor >= t->n_rows)
		t->cursor = t->n_rows - 1;
	if (t->cursor < 0)
		t->cursor = 0;
	if (t->top > t->cursor)
		t->top = t->cursor;
	if (t->top < 0)
		t->top = 0;
}

/* The row showing node v, or -1: the rows are in preorder. */
static int tree_row_of(const struct ui_tree *t, int v)
{
	int lo = 0, hi = t->n_rows - 1, pos = t->f.items[v].pos;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int p = t->f.items[t->rows[mid]].pos;
		if (p == pos)
			return mid;
		if (p < pos)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int tree_cursor_node(const struct ui_tree *t)
{
	return t->n_rows > 0 ? t->rows[t->cursor] : -1;
}

static bool tree_has_children(const struct forest *f, int v)
{
	return f->items[v].first >= 0;
}

static bool tree_is_expanded(const struct forest *f, int v)
{
	return tree_has_children(f, v) && (f->items[v].flags & TREE_EXPANDED);
}

/* Expands the node at row r: its visible descendants go in after it. */
static void tree_expand_row(struct ui_tree *t, int r)
{
	struct forest *f = &t->f;
	int v = t->rows[r];
	if (tree_is_expanded(f, v) || !tree_has_children(f, v))
		return;
	f->items[v].flags |= TREE_EXPANDED;
	int k = 0;
	for (int w = f->items[v].first; w >= 0; w = tree_next(f, w, v, false))
		k++;
	memmove(t->rows + r + 1 + k, t->rows + r + 1,
	        (size_t)(t->n_rows - r - 1) * sizeof *t->rows);
	int at = r + 1;
	for (int w = f->items[v].first; w >= 0; w = tree_next(f, w, v, false))
		t->rows[at++] = w;
	t->n_rows += k;
	if (t->cursor > r)
		t->cursor += k;
}

/* Collapses the node at row r: the rows below it that are deeper go. */
static void tree_collapse_row(struct ui_tree *t, int r)
{
	struct forest *f = &t->f;
	int v = t->rows[r], d = f->items[v].depth, k = 0;
	f->items[v].flags &= (unsigned char)~TREE_EXPANDED;
	while (r + 1 + k < t->n_rows && f->items[t->rows[r + 1 + k]].depth > d)
		k++;
	memmove(t->rows + r + 1, t->rows + r + 1 + k,
	        (size_t)(t->n_rows - r - 1 - k) * sizeof *t->rows);
	t->n_rows -= k;
	if (t->cursor > r + k)
		t->cursor -= k;
	else if (t->cursor > r)
		t->cursor = r;
}

/* Sets or clears `expanded` on v and everything below it, and shows the
 * rows as they now are, the cursor staying on v. */
static void tree_expand_below(struct ui_tree *t, int v, bool expanded)
{
	struct forest *f = &t->f;
	for (int w = v; w >= 0; w = tree_next(f, w, v, true)) {
		if (expanded && tree_has_children(f, w))
			f->items[w].flags |= TREE_EXPANDED;
		else
			f->items[w].flags &= (unsigned char)~TREE_EXPANDED;
	}
	tree_rows_rebuild(t);
	t->cursor = tree_row_of(t, v);
}

/* Puts the cursor on node v, opening its ancestors. */
static void tree_move_to(struct ui_tree *t, int v)
{
	struct forest *f = &t->f;
	bool opened = false;
	for (int p = f->items[v].parent; p >= 0; p = f->items[p].parent)
		if (!(f->items[p].flags & TREE_EXPANDED)) {
			f->items[p].flags |= TREE_EXPANDED;
			opened = true;
		}
	if (opened)
		tree_rows_rebuild(t);
	int r = tree_row_of(t, v);
	t->cursor = r >= 0 ? r : 0;
}

/* ---- making and replacing ----------------------------------------------- */

static void tree_count_ticks(struct ui_tree *t)
{
	t->n_ticked_pickable = 0;
	for (int i = 0; i < t->f.n; i++)
		t->n_ticked_pickable +=
		    (t->f.items[i].flags & (TREE_TICKED | TREE_DIM)) ==
		    TREE_TICKED;
}

struct ui_tree *ui_tree_new(const struct ui_tree_node *nodes, int n,
                            bool checks)
{
	struct ui_tree *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (!tree_forest_build(&t->f, nodes, n)) {
		free(t);
		return NULL;
	}
	t->rows = malloc((size_t)(t->f.n > 0 ? t->f.n : 1) * sizeof *t->rows);
	if (!t->rows) {
		tree_forest_free(&t->f);
		free(t);
		return NULL;
	}
	t->checks = checks;
	tree_rows_rebuild(t);
	return t;
}

void ui_tree_free(struct ui_tree *t)
{
	if (!t)
		return;
	tree_forest_free(&t->f);
	free(t->rows);
	free(t);
}

bool ui_tree_set_nodes(struct ui_tree *t, const struct ui_tree_node *nodes,
                       int n)
{
	struct forest nf;
	if (!tree_forest_build(&nf, nodes, n))
		return false;
	int *rows = malloc((size_t)(nf.n > 0 ? nf.n : 1) * sizeof *rows);
	if (!rows) {
		tree_forest_free(&nf);
		return false;
	}
	const struct forest *of = &t->f;
	for (int i = 0; i < of->n; i++) {
		unsigned char keep =
		    of->items[i].flags & (TREE_EXPANDED | TREE_TICKED);
		int j = keep ? tree_lookup(&nf, of->items[i].code) : -1;
		if (j >= 0)
			nf.items[j].flags |= keep;
	}
	/* the cursor's node, or the nearest ancestor still there */
	int to = -1;
	for (int u = tree_cursor_node(t); u >= 0 && to < 0;
	     u = of->items[u].parent)
		to = tree_lookup(&nf, of->items[u].code);
	int screen_row = t->cursor - t->top;

	tree_forest_free(&t->f);
	free(t->rows);
	t->f = nf;
	t->rows = rows;
	tree_count_ticks(t);
	tree_rows_rebuild(t);
	if (to >= 0)
		tree_move_to(t, to);
	tree_clamp(t);
	/* the cursor stays where it was on the screen */
	t->top = t->cursor - screen_row;
	tree_clamp(t);
	return true;
}

/* ---- drawing ------------------------------------------------------------ */

enum tree_line { TREE_TEE, TREE_CORNER, TREE_VLINE, TREE_HLINE };

/* One line-drawing character: ACS (which curses gives vt100 too), or its
 * ASCII twin with --ascii-lines. */
static void tree_line(struct ui_area a, int y, int x, enum ui_style st,
                      enum tree_line which)
{
	if (x < 0 || x >= a.w || y < 0 || y >= a.h)
		return;
	if (!ui_acs) {
		static const char *const ascii[] = {"+", "+", "|", "-"};
		ui_text(a, y, x, 1, st, ascii[which]);
		return;
	}
	const cchar_t *acs = which == TREE_TEE      ? WACS_LTEE
	                     : which == TREE_CORNER ? WACS_LLCORNER
	                     : which == TREE_VLINE  ? WACS_VLINE
	                                            : WACS_HLINE;
	attr_t old_attr;
	short old_pair;
	wattr_get(stdscr, &old_attr, &old_pair, NULL);
	wattrset(stdscr, (int)ui_attrs[st]);
	mvwadd_wch(stdscr, a.y + y, a.x + x, acs);
	wattrset(stdscr, (int)old_attr);
}

/* Draws node v in row y; returns the column the terminal cursor goes to
 * when it is the cursor's row. */
static int tree_draw_row(const struct ui_tree *t, struct ui_area a, int y,
                         int v, bool selected)
{
	const struct forest *f = &t->f;
	const struct tree_item *it = &f->items[v];
	enum ui_style st = selected ? STYLE_SELECTED : STYLE_NORMAL;
	enum ui_style text_st = selected                 ? STYLE_SELECTED
	                        : (it->flags & TREE_DIM) ? STYLE_READONLY
	                                                 : STYLE_NORMAL;
	ui_text(a, y, 0, a.w, st, "");
	int x = 0, cursor_x;
	if (t->checks) {
		ui_text(a, y, 0, 3, text_st,
		        it->flags & TREE_TICKED ? "[x]" : "[ ]");
		x = 4;
	}
	cursor_x = t->checks ? 1 : x;

	/* A deep node keeps its code in view: the indentation takes at
	 * most a quarter of the width, the levels nearest the node. */
	int max_levels = (a.w - x) / 4 / TREE_LEVEL_W;
	int levels = it->depth < max_levels ? it->depth : max_levels;
	if (levels > 0) {
		int cx = x + (levels - 1) * TREE_LEVEL_W + 1;
		tree_line(a, y, cx, st, it->next >= 0 ? TREE_TEE : TREE_CORNER);
		tree_line(a, y, cx + 1, st, TREE_HLINE);
		int u = it->parent;
		for (int j = levels - 2; j >= 0; j--, u = f->items[u].parent)
			if (f->items[u].next >= 0)
				tree_line(a, y, x + j * TREE_LEVEL_W + 1, st,
				          TREE_VLINE);
	}
	x += levels * TREE_LEVEL_W;
	if (!t->checks)
		cursor_x = x;
	if (tree_has_children(f, v)) {
		ui_text(a, y, x, 3, st,
		        it->flags & TREE_EXPANDED ? "[-]" : "[+]");
	} else if (levels > 0) {
		/* a leaf's line runs on to its code */
		for (int i = 0; i < TREE_MARK_W - 1; i++)
			tree_line(a, y, x + i, st, TREE_HLINE);
	}
	x += TREE_MARK_W;

	int info_w = t->info ? t->info_width : f->info_w;
	if (info_w > a.w / 3)
		info_w = a.w / 3;
	int end = info_w > 0 ? a.w - info_w - 1 : a.w;
	int code_w = ui_text_width(it->code);
	if (code_w > end - x)
		code_w = end - x;
	x += ui_text(a, y, x, code_w, text_st, it->code) + 2;
	ui_text_cut(a, y, x, end - x, text_st, it->name, NULL);
	if (info_w > 0)
		ui_text(a, y, a.w - info_w, info_w, text_st,
		        t->info ? t->info(t->info_ctx, it->code) : it->info);
	return cursor_x;
}

void ui_tree_set_info(struct ui_tree *t,
                      const char *(*info)(void *ctx, const char *code),
                      void *ctx, int width)
{
	t->info = info;
	t->info_ctx = ctx;
	t->info_width = width;
}

int ui_tree_view(struct ui_tree *t, int h)
{
	if (h < 1)
		return t->top;
	t->page = h;
	tree_clamp(t);
	if (t->cursor >= t->top + h)
		t->top = t->cursor - h + 1;
	/* no blank rows at the bottom while there are rows above */
	if (t->top > t->n_rows - h)
		t->top = t->n_rows - h > 0 ? t->n_rows - h : 0;
	return t->top;
}

void ui_tree_draw(struct ui_tree *t, struct ui_area a)
{
	int h = a.h;
	if (h < 1 || a.w < 1)
		return;
	ui_tree_view(t, h);
	int cursor_x = 0;
	for (int i = 0; i < h; i++) {
		int row = t->top + i;
		if (row >= t->n_rows) {
			ui_text(a, i, 0, a.w, STYLE_NORMAL, "");
			continue;
		}
		int cx = tree_draw_row(t, a, i, t->rows[row], row == t->cursor);
		if (row == t->cursor)
			cursor_x = cx;
	}
	ui_cursor(a, t->cursor - t->top, cursor_x < a.w ? cursor_x : 0);
}

/* ---- requests ----------------------------------------------------------- */

static bool tree_toggle(struct ui_tree *t)
{
	int v = tree_cursor_node(t);
	if (v < 0)
		return true;
	struct tree_item *it = &t->f.items[v];
	if (it->flags & TREE_DIM) {
		ui_error("%s", it->reason);
		return true;
	}
	it->flags ^= TREE_TICKED;
	t->n_ticked_pickable += it->flags & TREE_TICKED ? 1 : -1;
	return true;
}

static void tree_select_all(struct ui_tree *t)
{
	struct forest *f = &t->f;
	if (f->n_pickable == 0) {
		ui_error("Nothing here may be ticked.");
		return;
	}
	bool tick = t->n_ticked_pickable < f->n_pickable;
	for (int i = 0; i < f->n; i++) {
		if (f->items[i].flags & TREE_DIM)
			continue;
		if (tick)
			f->items[i].flags |= TREE_TICKED;
		else
			f->items[i].flags &= (unsigned char)~TREE_TICKED;
	}
	t->n_ticked_pickable = tick ? f->n_pickable : 0;
}

static void tree_search_prompt(struct ui_tree *t)
{
	char buf[TREE_SEARCH_MAX];
	snprintf(buf, sizeof buf, "%s", t->search);
	if (!ui_prompt("Search by code or name: ", buf, sizeof buf) || !buf[0])
		return;
	if (!ui_tree_search(t, buf))
		ui_error("Nothing matches \"%s\".", buf);
}

bool ui_tree_request(struct ui_tree *t, enum ui_request r, int page)
{
	if (page <= 0)
		page = t->page > 0 ? t->page : ui_page_rows();
	int v = tree_cursor_node(t);
	switch (r) {
	case REQ_UP:
		t->cursor--;
		break;
	case REQ_DOWN:
		t->cursor++;
		break;
	case REQ_PAGE_UP:
		t->cursor -= page;
		t->top -= page;
		break;
	case REQ_PAGE_DOWN:
		t->cursor += page;
		t->top += page;
		break;
	case REQ_FIRST:
		t->cursor = 0;
		break;
	case REQ_LAST:
		t->cursor = t->n_rows - 1;
		break;
	case REQ_EXPAND:
		if (v < 0 || !tree_has_children(&t->f, v))
			break;
		if (tree_is_expanded(&t->f, v))
			t->cursor++; /* to its first child */
		else
			tree_expand_row(t, t->cursor);
		break;
	case REQ_COLLAPSE:
		if (v < 0)
			break;
		if (tree_is_expanded(&t->f, v))
			tree_collapse_row(t, t->cursor);
		else if (t->f.items[v].parent >= 0)
			t->cursor = tree_row_of(t, t->f.items[v].parent);
		break;
	case REQ_EXPAND_ALL:
	case REQ_COLLAPSE_ALL:
		if (v >= 0)
			tree_expand_below(t, v, r == REQ_EXPAND_ALL);
		break;
	case REQ_SEARCH:
		tree_search_prompt(t);
		break;
	case REQ_TOGGLE:
		if (!t->checks)
			return false;
		return tree_toggle(t);
	case REQ_SELECT_ALL:
		if (!t->checks)
			return false;
		tree_select_all(t);
		break;
	default:
		return false;
	}
	tree_clamp(t);
	return true;
}

/* ---- search and selection ----------------------------------------------- */

/* The one search rule: a code by its start, a name anywhere. */
static bool tree_matches(const struct tree_item *it, const char *text)
{
	const char *cells[] = {it->code, it->name};
	return ui_text_match(text, cells, 2);
}

bool ui_tree_search(struct ui_tree *t, const char *text)
{
	const struct forest *f = &t->f;
	if (!text || !text[0])
		return false;
	/* the same text again (either case), on a match: the next one */
	bool again = strcasecmp(text, t->search) == 0;
	snprintf(t->search, sizeof t->search, "%s", text);
	int v = tree_cursor_node(t);
	if (v < 0)
		return false;
	int start = f->items[v].pos;
	if (again && tree_matches(&f->items[v], text))
		start++;
	for (int k = 0; k < f->n; k++) {
		int w = f->pre[(start + k) % f->n];
		if (tree_matches(&f->items[w], text)) {
			tree_move_to(t, w);
			return true;
		}
	}
	return false;
}

const char *ui_tree_search_text(const struct ui_tree *t)
{
	return t->search;
}

bool ui_tree_select(struct ui_tree *t, const char *code)
{
	int v = tree_lookup(&t->f, code);
	if (v < 0)
		return false;
	tree_move_to(t, v);
	return true;
}

const char *ui_tree_cursor_code(const struct ui_tree *t)
{
	int v = tree_cursor_node(t);
	return v < 0 ? NULL : t->f.items[v].code;
}

const char *ui_tree_cursor_reason(const struct ui_tree *t)
{
	int v = tree_cursor_node(t);
	return v < 0 ? NULL : t->f.items[v].reason;
}

void ui_tree_expand_all(struct ui_tree *t)
{
	int v = tree_cursor_node(t);
	for (int i = 0; i < t->f.n; i++)
		if (tree_has_children(&t->f, i))
			t->f.items[i].flags |= TREE_EXPANDED;
	tree_rows_rebuild(t);
	if (v >= 0)
		t->cursor = tree_row_of(t, v);
	tree_clamp(t);
}

void ui_tree_collapse_all(struct ui_tree *t)
{
	int v = tree_cursor_node(t);
	for (int i = 0; i < t->f.n; i++)
		t->f.items[i].flags &= (unsigned char)~TREE_EXPANDED;
	tree_rows_rebuild(t);
	while (v >= 0 && t->f.items[v].parent >= 0)
		v = t->f.items[v].parent;
	if (v >= 0)
		t->cursor = tree_row_of(t, v);
	t->top = 0;
	tree_clamp(t);
}

void ui_tree_open_pickable(struct ui_tree *t)
{
	struct forest *f = &t->f;
	for (int r = f->first_root; r >= 0; r = f->items[r].next)
		f->items[r].flags |= TREE_EXPANDED;
	/* each dim node is opened once: the walk stops at an open one */
	for (int i = 0; i < f->n; i++) {
		if (f->items[i].flags & TREE_DIM)
			continue;
		for (int p = f->items[i].parent;
		     p >= 0 && (f->items[p].flags & TREE_DIM) &&
		     !(f->items[p].flags & TREE_EXPANDED);
		     p = f->items[p].parent)
			f->items[p].flags |= TREE_EXPANDED;
	}
	tree_rows_rebuild(t);
	t->cursor = t->top = 0;
	for (int r = 0; r < t->n_rows; r++)
		if (!(f->items[t->rows[r]].flags & TREE_DIM)) {
			t->cursor = r;
			break;
		}
}

int ui_tree_rows(const struct ui_tree *t)
{
	return t->n_rows;
}

const char *ui_tree_row_code(const struct ui_tree *t, int row)
{
	return row >= 0 && row < t->n_rows ? t->f.items[t->rows[row]].code
	                                   : NULL;
}

int ui_tree_cursor_row(const struct ui_tree *t)
{
	return t->cursor;
}

bool ui_tree_expanded(const struct ui_tree *t, const char *code)
{
	int v = tree_lookup(&t->f, code);
	return v >= 0 && tree_is_expanded(&t->f, v);
}

/* ---- ticks -------------------------------------------------------------- */

bool ui_tree_ticked(const struct ui_tree *t, const char *code)
{
	int v = tree_lookup(&t->f, code);
	return v >= 0 && (t->f.items[v].flags & TREE_TICKED);
}

int ui_tree_ticked_codes(const struct ui_tree *t, const char **codes, int max)
{
	int n = 0;
	for (int p = 0; p < t->f.n; p++) {
		const struct tree_item *it = &t->f.items[t->f.pre[p]];
		if (!(it->flags & TREE_TICKED))
			continue;
		if (n < max)
			codes[n] = it->code;
		n++;
	}
	return n;
}

int ui_tree_set_ticked(struct ui_tree *t, const char *const *codes, int n)
{
	int found = 0;
	for (int i = 0; i < t->f.n; i++)
		t->f.items[i].flags &= (unsigned char)~TREE_TICKED;
	for (int i = 0; i < n; i++) {
		int v = tree_lookup(&t->f, codes[i]);
		if (v >= 0 && !(t->f.items[v].flags & TREE_TICKED)) {
			t->f.items[v].flags |= TREE_TICKED;
			found++;
		}
	}
	tree_count_ticks(t);
	return found;
}

/* ---- the tree picker ---------------------------------------------------- */

/* The picker of one node, and the checker of several (the same screen
 * with the checkbox column: done instead of picked). */
struct tree_picker {
	struct ui_screen screen;
	char *title;
	struct ui_tree *tree;
	void (*picked)(void *ctx, const char *code);
	void (*done)(void *ctx, const char *const *codes, int n);
	void *ctx;
	/* the world was reloaded: the caller's new nodes (NULL: none) */
	void (*reload)(void *ctx, struct ui_tree *t);
};

static const struct ui_keydef tree_picker_keys[] = {
    {REQ_OPEN, "Pick", "Pick the organisation under the cursor", true, 0},
    {REQ_SEARCH, NULL, NULL, true, 0},
    {REQ_BACK, NULL, "Close without picking", true, 0},
    {REQ_EXPAND, NULL, NULL, false, 0},
    {REQ_COLLAPSE, NULL, NULL, false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
static const struct ui_keymap tree_picker_keymap = {
    "tree-picker", "Picking an organisation", tree_picker_keys,
    &ui_tree_keymap};

static const struct ui_keydef tree_checker_keys[] = {
    {REQ_TOGGLE, NULL, NULL, true, 0},
    {REQ_SELECT_ALL, NULL, NULL, true, 0},
    {REQ_OPEN, "Done", "Done: keep what is ticked", true, 0},
    {REQ_SEARCH, NULL, NULL, true, 0},
    {REQ_BACK, "Cancel", "Close, leaving the ticks as they were", true, 0},
    {REQ_EXPAND, NULL, NULL, false, 0},
    {REQ_COLLAPSE, NULL, NULL, false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
static const struct ui_keymap tree_checker_keymap = {
    "tree-checker", "Ticking organisations", tree_checker_keys,
    &ui_tree_check_keymap};

static void tree_picker_draw(struct ui_screen *s, struct ui_area a)
{
	struct tree_picker *p = (struct tree_picker *)s;
	const char *search = ui_tree_search_text(p->tree);
	char line[512], ticked[48] = "", n[32];
	if (p->done)
		snprintf(ticked, sizeof ticked, "  %s ticked",
		         count_text(n, sizeof n,
		                    ui_tree_ticked_codes(p->tree, NULL, 0)));
	snprintf(line, sizeof line, "%s%s%s%s", p->title, ticked,
	         search[0] ? "  Search: " : "", search);
	ui_text(a, 0, 0, a.w, STYLE_HEADER, line);
	struct ui_area body = {a.y + 1, a.x, a.h - 1, a.w};
	ui_tree_draw(p->tree, body);
	if (ui_tree_rows(p->tree) == 0) {
		ui_text(body, 0, 0, body.w, STYLE_NORMAL, "Nothing to pick.");
		ui_cursor(body, 0, 0);
	}
}

/* The ticked codes to the caller; false (said so) when out of memory. */
static bool tree_checker_done(struct tree_picker *p)
{
	int n = ui_tree_ticked_codes(p->tree, NULL, 0);
	const char **codes = malloc(((size_t)n + 1) * sizeof *codes);
	if (!codes) {
		ui_error("out of memory");
		return false;
	}
	ui_tree_ticked_codes(p->tree, codes, n);
	p->done(p->ctx, codes, n);
	free(codes);
	return true;
}

static enum ui_result tree_picker_key(struct ui_screen *s, int key,
                                      enum ui_request r)
{
	struct tree_picker *p = (struct tree_picker *)s;
	(void)key;
	if (p->done && r == REQ_OPEN)
		return tree_checker_done(p) ? UI_CLOSE : UI_HANDLED;
	switch (r) {
	case REQ_OPEN: {
		const char *code = ui_tree_cursor_code(p->tree);
		const char *reason = ui_tree_cursor_reason(p->tree);
		if (!code)
			return UI_HANDLED;
		if (reason) {
			ui_error("%s", reason);
			return UI_HANDLED;
		}
		p->picked(p->ctx, code);
		return UI_CLOSE;
	}
	case REQ_BACK:
		return UI_CLOSE;
	default:
		return ui_tree_request(p->tree, r, 0) ? UI_HANDLED : UI_IGNORED;
	}
}

static void tree_picker_close(struct ui_screen *s)
{
	struct tree_picker *p = (struct tree_picker *)s;
	ui_tree_free(p->tree);
	free(p->title);
	free(p);
}

static struct tree_picker *tree_picker_make(const char *title,
                                            const struct ui_tree_node *nodes,
                                            int n, bool checks, void *ctx)
{
	struct tree_picker *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->title = strdup(title ? title : "");
	p->tree = ui_tree_new(nodes, n, checks);
	if (!p->title || !p->tree) {
		ui_tree_free(p->tree);
		free(p->title);
		free(p);
		return NULL;
	}
	ui_tree_open_pickable(p->tree);
	p->ctx = ctx;
	p->screen = (struct ui_screen){.title = p->title,
	                               .draw = tree_picker_draw,
	                               .key = tree_picker_key,
	                               .keymap = checks ? &tree_checker_keymap
	                                                : &tree_picker_keymap,
	                               .close = tree_picker_close};
	return p;
}

struct ui_screen *
ui_tree_picker_new(const char *title, const struct ui_tree_node *nodes, int n,
                   void (*picked)(void *ctx, const char *code), void *ctx)
{
	struct tree_picker *p = tree_picker_make(title, nodes, n, false, ctx);
	if (!p)
		return NULL;
	p->picked = picked;
	return &p->screen;
}

struct ui_screen *
ui_tree_checker_new(const char *title, const struct ui_tree_node *nodes, int n,
                    const char *const *ticked, int n_ticked,
                    void (*done)(void *ctx, const char *const *codes, int n),
                    void *ctx)
{
	struct tree_picker *p = tree_picker_make(title, nodes, n, true, ctx);
	if (!p)
		return NULL;
	p->done = done;
	ui_tree_set_ticked(p->tree, ticked, n_ticked);
	return &p->screen;
}

struct ui_tree *ui_tree_picker_tree(struct ui_screen *s)
{
	return ((struct tree_picker *)s)->tree;
}

static void tree_picker_changed(struct ui_screen *s)
{
	struct tree_picker *p = (struct tree_picker *)s;
	if (p->reload)
		p->reload(p->ctx, p->tree);
}

void ui_tree_picker_on_changed(struct ui_screen *s,
                               void (*reload)(void *ctx, struct ui_tree *t))
{
	struct tree_picker *p = (struct tree_picker *)s;
	p->reload = reload;
	p->screen.changed = tree_picker_changed;
}
