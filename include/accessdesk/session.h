/* session.h: what the console's screens share, owned by one module: the
 * connection and its state (connected, or NOT CONNECTED and retrying with
 * backoff), the world the engine decides on (the tree, roles, clusters and
 * studies, loaded once and again when the database announces a change,
 * plus the users looked at), LISTEN/NOTIFY, the server's notices, and who
 * the operator is. Screens ask the session; they never hold a PGconn.
 *
 * Lifetimes: every reload replaces the world. Nothing may keep a pointer or
 * an engine index into it across a reload; keep codes or database ids and
 * look them up again. `generation` is bumped on each reload, so a screen
 * can tell that what it holds is stale. */
#ifndef ACCESSDESK_SESSION_H
#define ACCESSDESK_SESSION_H

#include <stdbool.h>

#include "accessdesk/config.h"
#include "accessdesk/engine.h"
#include "accessdesk/store.h"
#include "accessdesk/ui.h"

struct session {
	struct store *store;
	/* the second connection, for counts answered while keys are
	 * served (store_count); lost and found again with the first */
	struct store_count *counts;
	const struct config *config;
	struct engine_world *world;
	struct store_ids ids;
	int op; /* the operator's engine id */
	char operator_login[65];
	struct store_reach reach; /* where the operator has users.view */
	bool read_only;
	long generation;           /* bumped on each reload of the world */
	struct ui_frame_info info; /* the top line, kept up to date by loads */
	/* the connection: lost when a statement or the socket says so;
	 * retried from the loop's timeout with backoff */
	bool connected;
	int retry_ms;     /* the next wait before trying again */
	long long due_ms; /* when (monotonic ms) the next try is due */
	/* on a hot standby, where LISTEN is refused: the audit chain's head
	 * as last read, polled while idle (session.c, follow) */
	bool standby;
	long long head_seq;
	long long poll_ms; /* when (monotonic ms) the next poll is due */
};

/* Connects, checks the schema, names the operator and loads the world:
 * false with the message printed (before the terminal is taken). */
bool session_open(struct session *s);
void session_close(struct session *s);

/* Makes sure this user is in the world (for decisions about them). */
bool session_load_user(struct session *s, const char *login);
/* Reloads the world (after a change announced by the database, or our
 * own save) and tells every open screen. false with the message shown on
 * failure. */
bool session_reload(struct session *s);
/* The database cannot be asked now: says so on the message line ("what":
 * "save", "search") and returns true when not connected. */
bool session_offline(struct session *s, const char *what);

/* Hands the session to the frame's loop (the socket, the retry timer) and
 * runs it; returns how the loop ended. */
enum ui_end session_run(struct session *s);

#endif
