/* ui_form.h: the form widget (src/ui/form.c): a column of items, each
 * BOUND to the data it edits (as htop's CheckItem is bound to its field):
 * a text field to a `char *` it reallocates, a checkbox to a `bool` (or a
 * callback that toggles it), a radio or a choice to an `int`, a button to
 * a callback. Sections (headings) are jumped between with ^F / ^B (F6 /
 * F5); PgUp/PgDn move by a screen, Home/End to the first and last field
 * (outside text fields, where they are the line's), Tab / Down / ^N and
 * S-Tab / Up / ^P field by field. Text fields edit through the one line
 * editor (ui_line.h). Several items may share a row (a row of boxes, the
 * roles side by side where they fit). Read-only items look different (no
 * brackets, STYLE_READONLY) and say why when typed into or activated.
 *
 * Building: the caller rebuilds the items whenever its data may have
 * changed (ui_form_clear, the ui_form_* adders, ui_form_done); the focus
 * (and a text field's cursor) stays on the item with the same caller id
 * and arg. The items array grows as needed: there is no maximum.
 *
 * Lifetimes: labels, texts and reasons are copied; the bound data (the
 * `char **`, `bool *`, `int *`) and option arrays are the caller's and
 * must live until the next ui_form_clear or ui_form_free. An item pointer
 * returned by an adder is valid until the next adder call (the array
 * grows): set its options at once. Allocation failure: an adder returns
 * NULL and the form says "out of memory" with ui_error().
 */
#ifndef ACCESSDESK_UI_FORM_H
#define ACCESSDESK_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "accessdesk/ui.h"

struct ui_form;
struct ui_form_item;

/* A button pressed, a box toggled, a value changed: the caller's ctx and
 * the item's id and arg. */
typedef void ui_form_fn(void *ctx, int id, int arg);

/* The form's requests: next / previous field and section, go to a field,
 * pages, first and last, tick (Space), open (Enter), Left/Right on a radio
 * or choice. Parent: ui_text_keymap (the line editor's keys, so the help
 * lists them); the frame puts the inner map after it. A screen's own key
 * map has this as parent. */
extern const struct ui_keymap ui_form_keymap;

struct ui_form *ui_form_new(void *ctx);
void ui_form_free(struct ui_form *f);

/* Starts a rebuild: the items go (the focus is remembered by id, arg). */
void ui_form_clear(struct ui_form *f);
/* Ends it: the focus back on the item with the remembered id and arg (a
 * text field's cursor where it was), else on the nearest item that takes
 * the focus. */
void ui_form_done(struct ui_form *f);
/* Columns of the label column (default 18). */
void ui_form_set_label_width(struct ui_form *f, int w);

/* ---- items (label: the label column; NULL or "": none) ---------------- */

/* A text field editing *value (reallocated; NULL becomes ""), at most
 * max_chars characters (0: no limit). */
struct ui_form_item *ui_form_text(struct ui_form *f, int id, int arg,
                                  const char *label, char **value,
                                  size_t max_chars);
/* A checkbox "[x] text" bound to *value. */
struct ui_form_item *ui_form_check(struct ui_form *f, int id, int arg,
                                   const char *text, bool *value);
/* A checkbox showing `ticked`; Space calls toggle (which decides). */
struct ui_form_item *ui_form_check_fn(struct ui_form *f, int id, int arg,
                                      const char *text, bool ticked,
                                      ui_form_fn *toggle);
/* "(*) A  ( ) B" bound to *value (an index into options, n of them). */
struct ui_form_item *ui_form_radio(struct ui_form *f, int id, int arg,
                                   const char *label, int *value,
                                   const char *const *options, int n);
/* "< A >": one of the options at a time, bound to *value. */
struct ui_form_item *ui_form_choice(struct ui_form *f, int id, int arg,
                                    const char *label, int *value,
                                    const char *const *options, int n);
/* "[ text ]": Enter or Space calls press. */
struct ui_form_item *ui_form_button(struct ui_form *f, int id, int arg,
                                    const char *text, ui_form_fn *press);
/* A line that takes the focus (a grant's row); Enter calls open (may be
 * NULL). */
struct ui_form_item *ui_form_line(struct ui_form *f, int id, int arg,
                                  const char *text, ui_form_fn *open);
/* A static line: a label and a text; takes the focus only when it is
 * given a read-only reason (then typing into it says the reason). */
struct ui_form_item *ui_form_static(struct ui_form *f, int id, int arg,
                                    const char *label, const char *text);
/* A section heading: the jumps (^F / ^B, round the ends) go to the first
 * field after it; a sticky line's reach ends at one. */
struct ui_form_item *ui_form_heading(struct ui_form *f, int id, int arg,
                                     const char *text);
/* A heading inside a section: the jumps stop at it too, but a sticky line
 * above it stays (a grant's code above its clusters). */
struct ui_form_item *ui_form_subheading(struct ui_form *f, int id, int arg,
                                        const char *text);

/* ---- item options (on the item just added) ---------------------------- */

/* May not change: drawn without brackets in STYLE_READONLY; typing into
 * it or activating it says "Label: reason" (ui_error). NULL: may change. */
void ui_form_readonly(struct ui_form_item *it, const char *reason);
/* On the same row as the item before it, where it fits (else the next
 * row, under the first item of the row). */
void ui_form_same_row(struct ui_form_item *it);
/* Kept in view at the top while the focus is on the items after it (up
 * to the next sticky line or heading). */
void ui_form_sticky(struct ui_form_item *it);
/* The text field's width in columns, brackets excluded (default: the
 * maximum length, at most 40, at most what the row has left). */
void ui_form_width(struct ui_form_item *it, int columns);
/* Called after the bound value changed (a text edited, a box, a radio). */
void ui_form_on_change(struct ui_form_item *it, ui_form_fn *changed);
/* The style of a static line (default STYLE_NORMAL). */
void ui_form_style(struct ui_form_item *it, enum ui_style style);
/* The label the messages name ("User ID: ..."), when it is not the
 * item's own label (a box's, a button's text). */
void ui_form_name(struct ui_form_item *it, const char *name);

/* ---- using it --------------------------------------------------------- */

/* Draws the items into the area, the focus in view (with the sticky line
 * above it), the focused item STYLE_SELECTED and the terminal cursor on
 * it (in a text field at the text cursor). */
void ui_form_draw(struct ui_form *f, struct ui_area a);
/* A key and the request the screen's key map chain gives it: in a text
 * field the key is looked up in ui_text_keymap first, then a printable
 * key is typed and UI_KEY_PASTE pasted; then the request. UI_IGNORED for
 * what the form does not do (Esc, ^S, the help...). */
enum ui_result ui_form_key(struct ui_form *f, int key, enum ui_request r);
/* A paste into the focused text field, control characters dropped. */
enum ui_result ui_form_paste(struct ui_form *f, const char *text);

/* The focused item's id (and *arg); -1 when nothing takes the focus. */
int ui_form_focus_id(const struct ui_form *f, int *arg);
/* Puts the focus on the item with this id and arg (arg -1: any); false
 * when there is none that takes the focus. */
bool ui_form_focus(struct ui_form *f, int id, int arg);
/* Items in the form (for tests). */
int ui_form_count(const struct ui_form *f);

#endif
