/* ui_menu.h: the Action menu (src/ui/menu.c), as ClinSpark's: a small
 * pushed screen of items (Import, Edit, Delete...), each with a letter
 * that picks it at once; a disabled item says why and the menu stays. */
#ifndef ACCESSDESK_UI_MENU_H
#define ACCESSDESK_UI_MENU_H

#include "accessdesk/ui.h"

struct ui_menu_item {
	int id;            /* the caller's: what chosen() is given */
	const char *label; /* "Import" */
	int letter;        /* 'i': picks it at once (either case); 0: none */
	/* non-NULL: the item is disabled, and choosing it says this */
	const char *disabled;
};

/* Up and Down move, Enter chooses, Esc closes. */
extern const struct ui_keymap ui_menu_keymap;

/* A menu of the items (copied). Choosing an enabled item closes the menu
 * and then calls chosen(ctx, item's id): once the menu is off the stack,
 * so chosen may push a screen of its own. NULL when out of memory. */
struct ui_screen *ui_menu_new(const char *title,
                              const struct ui_menu_item *items, int n,
                              void (*chosen)(void *ctx, int id), void *ctx);

#endif
