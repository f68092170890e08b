/* ui_checklist.h: the checklist widget (src/ui/checklist.c): rows of
 * "[x] text" in columns, each with a key, some shown dim (they cannot be
 * changed, and trying says why), filtered by a search, read back as the
 * keys ticked. Cluster members, Study Configure's Import candidates, a
 * grant's cluster boxes; without boxes, the picker's list.
 *
 * The widget copies everything it is given: nothing points into the
 * caller's data, which a database reload frees. Ticks and the cursor are
 * kept by key, so rows can be replaced after a reload.
 */
#ifndef ACCESSDESK_UI_CHECKLIST_H
#define ACCESSDESK_UI_CHECKLIST_H

#include "accessdesk/ui.h"

/* Columns a row may have (User ID, Name, Role, Sites is four). */
#define UI_CHECKLIST_COLUMNS 6

struct ui_checklist_row {
	const char *key; /* a code or a database id as text; unique */
	const char *cells[UI_CHECKLIST_COLUMNS];
	/* non-NULL: shown dim, its box cannot be changed; why not */
	const char *dim;
};

struct ui_checklist;

/* A checklist with these columns (copied; the last takes what is left
 * of the width; when every title is empty there is no header row), and
 * no rows yet. NULL when out of memory. */
struct ui_checklist *ui_checklist_new(const struct ui_column *columns,
                                      int n_columns);
void ui_checklist_free(struct ui_checklist *cl);

/* Replaces the rows (copied), keeping the ticks and the cursor of the
 * keys still there (a tick whose key is gone goes with it). False when
 * out of memory; the old rows are kept then. */
bool ui_checklist_set_rows(struct ui_checklist *cl,
                           const struct ui_checklist_row *rows, int n);
/* Ticks exactly the rows of these keys, dim ones included (what the
 * data says); keys with no row are ignored. */
void ui_checklist_set_ticked(struct ui_checklist *cl, const char *const *keys,
                             int n);
bool ui_checklist_is_ticked(const struct ui_checklist *cl, const char *key);
int ui_checklist_n_ticked(const struct ui_checklist *cl);
/* The keys ticked, hidden rows' included, in row order: a new array of
 * copies, NULL terminated, *n of them; free with ui_checklist_keys_free.
 * NULL when out of memory. */
char **ui_checklist_ticked(const struct ui_checklist *cl, int *n);
void ui_checklist_keys_free(char **keys);

/* Shows only the rows that match the typed text (ui_text_match);
 * "" shows them all. Ticks are kept; the cursor stays on its row when
 * that is still shown, else goes to the first. */
void ui_checklist_set_filter(struct ui_checklist *cl, const char *typed);
const char *ui_checklist_filter(const struct ui_checklist *cl);

int ui_checklist_n_rows(const struct ui_checklist *cl);
int ui_checklist_n_shown(const struct ui_checklist *cl);
/* The key of the i-th row shown, or NULL. */
const char *ui_checklist_shown_key(const struct ui_checklist *cl, int i);
/* The key of the row under the cursor, or NULL when nothing is shown. */
const char *ui_checklist_cursor_key(const struct ui_checklist *cl);
/* Why the row under the cursor is dim, or NULL (not dim, or none). */
const char *ui_checklist_cursor_dim(const struct ui_checklist *cl);
/* Puts the cursor on the row of key if it is shown; false if not. */
bool ui_checklist_set_cursor(struct ui_checklist *cl, const char *key);

/* Without boxes and count line: a list to pick one row from (the
 * picker). REQ_TOGGLE and REQ_SELECT_ALL are not answered then. */
void ui_checklist_set_boxes(struct ui_checklist *cl, bool boxes);
/* What the list says when it has no rows ("There are no Provider
 * Clusters defined for this organisation"); copied. False when out of
 * memory. */
bool ui_checklist_set_empty(struct ui_checklist *cl, const char *text);

/* Tick, Select All, Search, and the list's movement. */
extern const struct ui_keymap ui_checklist_keymap;

/* Answers the requests of ui_checklist_keymap: REQ_TOGGLE ticks or
 * unticks the row under the cursor (a dim row says why, ui_error);
 * REQ_SELECT_ALL ticks every row shown that is not dim, or unticks them
 * all when they all are; REQ_SEARCH asks for the text (ui_prompt); the
 * movement requests move by page rows (0: the rows last drawn). True
 * when handled. */
bool ui_checklist_request(struct ui_checklist *cl, enum ui_request r, int page);
/* Header, rows (the cursor's STYLE_SELECTED, dim ones STYLE_READONLY,
 * the terminal's cursor on the cursor's box) and, on the last row of the
 * area, "3 of 12 ticked" with the search. */
void ui_checklist_draw(struct ui_checklist *cl, struct ui_area a);

/* A pushable screen over the checklist cl, which it takes (and frees,
 * even when it fails: NULL when out of memory). Enter (REQ_OPEN, labelled
 * done_label: "Done", "Save") closes it and then calls done with the keys
 * ticked (valid during the call); Esc cancels. done is called once the
 * screen is off the stack, so it may push a screen of its own. When the
 * database announces a change, changed (if not NULL) is called to replace
 * the rows (ui_checklist_set_rows). */
struct ui_screen *ui_checklist_screen_new(
    const char *title, const char *done_label, struct ui_checklist *cl,
    void (*done)(void *ctx, char *const *keys, int n),
    void (*changed)(void *ctx, struct ui_checklist *cl), void *ctx);
/* The checklist of a screen made by ui_checklist_screen_new. */
struct ui_checklist *ui_checklist_screen_list(struct ui_screen *s);

#endif
