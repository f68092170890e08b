/* screens.h: the console's tabs and the screens stacked on them.
 *
 * The tab registry is declared once, here, as tig declares its views: one
 * line per tab gives its number (its place), its name (the constructor is
 * screen_NAME_new), its label in the tab bar and the help, and whether it
 * is built. The tab bar, the labels, the constructors' prototypes and the
 * help lines are generated from it. Adding a tab is one file in
 * src/screens/, its line here turned to 1, and one line in meson.build. */
#ifndef ACCESSDESK_SCREENS_H
#define ACCESSDESK_SCREENS_H

#include "accessdesk/session.h"

/* _(ID, name, label, built) */
#define TAB_INFO(_)                                                            \
	_(USERS, users, "Users", 1)                                            \
	_(ORGANISATIONS, organisations, "Organisations", 0)                    \
	_(CLUSTERS, clusters, "Service Provider Clusters", 0)                  \
	_(STUDY_CONFIGURE, study_configure, "Study Configure", 0)              \
	_(AUDIT, audit, "Audit", 0)

enum screen_tab {
#define TAB_ENUM(id, name, label, built) TAB_##id,
	TAB_INFO(TAB_ENUM)
#undef TAB_ENUM
	    TAB_COUNT
};

/* A built tab's constructor: its screen on the session, or NULL with the
 * message shown. */
#define TAB_PROTO_1(name)                                                      \
	struct ui_screen *screen_##name##_new(struct session *c);
#define TAB_PROTO_0(name)
#define TAB_PROTO(id, name, label, built) TAB_PROTO_##built(name)
TAB_INFO(TAB_PROTO)
#undef TAB_PROTO

/* Runs the console; returns the exit status. */
int console_main(void);
/* --check-config: the file, then its ui.keys against every key map. */
int console_check_config(void);

/* The screens' key maps (for --check-config). */
extern const struct ui_keymap screen_users_keymap,
    screen_users_keymap_read_only, screen_user_form_keymap,
    screen_user_form_keymap_read_only;

/* The screens pushed over a tab. */
struct ui_screen *screen_user_form_new(struct session *c, const char *login);
struct ui_screen *screen_why_new(struct session *c, const char *login);
/* After a conflict: the user as saved now beside the operator's form
 * (opened: as read when the form opened; yours: the input); why: the
 * conflict's message. */
struct ui_screen *screen_user_diff_new(struct session *c,
                                       const struct store_user_form *opened,
                                       const struct store_user_form *yours,
                                       const char *why);

#endif
