/* ui_internal.h: what the files of src/ui/ share. */
#ifndef ACCESSDESK_UI_INTERNAL_H
#define ACCESSDESK_UI_INTERNAL_H

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "accessdesk/ui.h"

/* The attributes of each style (colour pair included when colour is on). */
extern attr_t ui_attrs[STYLE_COUNT];
/* Lines drawn with ACS (false: --ascii-lines, +-|). */
extern bool ui_acs;

/* Keys: the terminal or, in test mode, the script. Returns UI_KEY_NONE
 * when nothing is waiting (non-blocking) and -1 at the script's end. */
int ui_input_key(bool block);
/* While an ESC waits for a digit (input.c's header): the ms left before it
 * is a lone Esc, which the loop waits at most before asking again; -1
 * when nothing waits. */
int ui_input_wait_ms(void);
/* Drops what was typed ahead (a question is answered by a key typed after
 * it shows, never before). */
void ui_input_flush(void);
bool ui_input_start(char *err, size_t len);
/* ui.esc_digit_ms: how long a lone ESC waits for a digit. */
void ui_input_set_esc_digit_ms(int ms);
void ui_input_stop(void);
/* The terminal's own keys configured under ui.keys. */
void ui_keys_configure(const struct config *c);

const char *ui_request_label(enum ui_request r);
const char *ui_request_help(enum ui_request r);
void ui_key_name(int key, char *buf, size_t len);

/* The key bar of a key map chain, fitted to width when it can be. */
void ui_keybar_text(const struct ui_keymap *chain, const struct ui_keymap *tail,
                    int width, char *bar, size_t len);
/* The help screen of the screen below (its key map chain, then tail). */
struct ui_screen *ui_help_new(const struct ui_screen *below,
                              const struct ui_keymap *tail);
/* The help of tab t (0-based): "Tab 2: Organisations (not part of this
 * version)"; "" for a tab that does not exist. */
void ui_tab_help(int t, char *buf, size_t len);

/* Whether the locale speaks UTF-8 (set by ui_start). */
void ui_draw_set_utf8(bool on);

/* Writes the screen as text to the dump file (test mode). */
void ui_dump_screen(void);

#endif
