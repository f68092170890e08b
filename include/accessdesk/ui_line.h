/* ui_line.h: the one line editor (src/ui/line.c): a form's text fields
 * and the frame's prompt (ui_prompt) both edit through it, so a line edits
 * the same everywhere: a cursor inside the text (UTF-8: it moves and
 * deletes by code point), the requests of ui_text_keymap (Left/Right,
 * Home/End and ^A/^E, Backspace, Delete and ^D, ^W, ^U, ^K), printable
 * characters inserted at the cursor, a paste inserted whole with its
 * control characters dropped, and a view that scrolls a long value inside
 * its width with a marker on the side that is cut.
 *
 * The line edits the caller's string in place: `*text` is reallocated
 * (malloc'd, never NULL once initialised). Allocation failure: the edit
 * is not made and the line says "out of memory" with ui_error().
 */
#ifndef ACCESSDESK_UI_LINE_H
#define ACCESSDESK_UI_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "accessdesk/ui.h"

struct ui_line {
	char **text;       /* the string edited */
	size_t cursor;     /* a byte offset, always at a code point's start */
	size_t scroll;     /* byte offset of the first character shown */
	size_t max_chars;  /* 0: no limit */
	size_t max_bytes;  /* 0: no limit (a prompt's buffer) */
	const char *label; /* names the field in "Label: at most N ..." */
};

enum ui_line_result {
	UI_LINE_IGNORED, /* not a key of the line's */
	UI_LINE_MOVED,   /* the cursor moved; the text is as it was */
	UI_LINE_CHANGED, /* the text changed */
	UI_LINE_REFUSED, /* too long: said so on the message line */
};

/* Binds the line to *text (a NULL *text becomes ""), the cursor at its
 * end. False when out of memory. */
bool ui_line_init(struct ui_line *l, char **text, size_t max_chars);
/* A request of ui_text_keymap. */
enum ui_line_result ui_line_request(struct ui_line *l, enum ui_request r);
/* Inserts text at the cursor: control characters (C0, DEL, C1) and what
 * the sanitiser would replace are dropped, and in a C locale anything
 * not ASCII; what passes the maximum length is refused whole (and said). */
enum ui_line_result ui_line_insert(struct ui_line *l, const char *text);
/* Whether the key is a character a line takes as typed text. */
bool ui_line_printable(int key);
/* A key: its request in ui_text_keymap, else a printable character
 * typed, else UI_KEY_PASTE (the text of ui_pasted()). */
enum ui_line_result ui_line_key(struct ui_line *l, int key);
/* Whether a request of ui_text_keymap changes the text (not only the
 * cursor): a read-only field refuses those. */
bool ui_line_request_edits(enum ui_request r);

/* What shows in w columns: the visible part of the text into out (with
 * '<' in the first column when text is cut on the left, '>' in the last
 * when it is cut on the right), scrolled so the cursor is in view.
 * Returns the cursor's column (0 .. w-1). */
int ui_line_view(struct ui_line *l, int w, char *out, size_t len);
/* Draws the view at (y, x) of the area, w columns; returns the cursor's
 * column in the area. */
int ui_line_draw(struct ui_line *l, struct ui_area a, int y, int x, int w,
                 enum ui_style style);

#endif
