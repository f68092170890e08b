/* ui_picker.h: the searchable picker (src/ui/picker.c): organisations,
 * sites, studies. Type to filter (a code by its start, a name anywhere,
 * either case), move, Enter picks, Esc cancels. */
#ifndef ACCESSDESK_UI_PICKER_H
#define ACCESSDESK_UI_PICKER_H

#include "accessdesk/ui.h"

struct ui_pick_item {
	const char *code; /* shown first, matched by its start */
	const char *name; /* matched anywhere */
	/* non-NULL: shown dim, cannot be picked; picking it says this */
	const char *dim;
};

/* Pick (Enter), Cancel (Esc), the list's movement; Backspace and ^U edit
 * the filter. Printable keys are the filter's, never requests. */
extern const struct ui_keymap ui_picker_keymap;

/* A screen listing the items (copied: the caller may free them at once,
 * as a database reload does). Enter on an item closes the picker and then
 * calls picked(ctx, its code) (valid during the call), once the picker is
 * off the stack; Esc closes it without a call. NULL when out of memory. */
struct ui_screen *ui_picker_new(const char *title,
                                const struct ui_pick_item *items, int n,
                                void (*picked)(void *ctx, const char *code),
                                void *ctx);

#endif
