/* console.h: what the console's screens share: the connection, the world
 * the engine decides on (the tree, roles, clusters and studies, loaded
 * once and again when the database announces a change, plus the users
 * looked at), and who the operator is. */
#ifndef ACCESSDESK_CONSOLE_H
#define ACCESSDESK_CONSOLE_H

#include "accessdesk/config.h"
#include "accessdesk/engine.h"
#include "accessdesk/store.h"
#include "accessdesk/ui.h"

struct console {
	struct store *store;
	const struct config *config;
	struct engine_world *world;
	struct store_ids ids;
	int op; /* the operator's engine id */
	char operator_login[65];
	struct store_reach reach; /* where the operator has users.view */
	bool read_only;
	long generation;           /* bumped on each reload of the world */
	struct ui_frame_info info; /* the top line, kept up to date by loads */
};

/* Runs the console; returns the exit status. */
int console_main(void);

/* Makes sure these users are in the world (for decisions about them). */
bool console_load_user(struct console *c, const char *login);
/* Reloads the world (after a change announced by the database, or our
 * own save). false with the message shown on failure. */
bool console_reload(struct console *c);

/* The screens (src/screens/). */
struct ui_screen *screen_users_new(struct console *c);
struct ui_screen *screen_user_form_new(struct console *c, const char *login);
struct ui_screen *screen_why_new(struct console *c, const char *login);

#endif
