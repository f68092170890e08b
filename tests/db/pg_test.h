/* pg_test.h: the set-up of the database tests written in C (beside tap.h,
 * whose ok() stays in each test program).
 *
 * A test starts with pg_test_start, which skips it (1..0) when no
 * PostgreSQL is configured and none answers; makes its databases with
 * pg_test_create, each named PREFIX_PID; connects, migrates and loads
 * policy files; and ends with return pg_test_done(n_tests, n_failed),
 * which drops every database it made. A bail drops them too.
 */
#ifndef ACCESSDESK_TESTS_PG_TEST_H
#define ACCESSDESK_TESTS_PG_TEST_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "accessdesk/store.h"

/* The connection to "postgres" that creates and drops the databases. */
extern PGconn *pg_admin;

struct pg_test_db {
	char name[64];     /* PREFIX_PID */
	char conninfo[80]; /* "dbname=NAME" */
};

/* Line-buffers standard output, reads $POLICY_DIR (for pg_test_load) and
 * connects pg_admin. Exits: 0 with the plan 1..0 when PostgreSQL is neither
 * configured nor answering, 1 with a bail when POLICY_DIR is not set or a
 * configured server does not answer. */
void pg_test_start(void);

/* Creates the database PREFIX_PID, a copy of the database tmpl (NULL: an
 * empty one), dropping any left by an earlier run of that name first. It
 * is dropped by pg_test_done or a bail. Bails if it cannot be made. */
const struct pg_test_db *pg_test_create(const char *prefix, const char *tmpl);

/* A store connected to conninfo; bails if it cannot connect. */
struct store *pg_test_connect(const char *conninfo);

/* A plain libpq connection to conninfo (UTF8), for checks by SQL; bails if
 * it cannot connect. The test closes it. */
PGconn *pg_test_raw(const char *conninfo);

/* Applies every migration; bails if one fails. */
void pg_test_migrate(struct store *s);

/* A Users list session of one operator, opened as the console opens it:
 * the world (STORE_LOAD_BASE) with the operator's user loaded, and the
 * operator's users.view reach (store_reach_of). pg_list_open bails if any
 * of it fails; pg_list_close frees it. */
struct pg_list_session {
	struct engine_world *w;
	struct store_ids ids;
	int op;
	struct store_reach reach;
	const char *login;
};
void pg_list_open(struct store *s, const char *login,
                  struct pg_list_session *ls);
void pg_list_close(struct pg_list_session *ls);

/* Loads the policy file $POLICY_DIR/file with cli_db_load: did it load?
 * (If not, a diagnostic names the path.) */
bool pg_test_load(struct store *s, const char *file);

/* Drops the databases, closes pg_admin, prints the plan (and how many
 * failed); the exit status: 1 if any failed. */
int pg_test_done(int n_tests, int n_failed);

/* A TAP diagnostic: "# " and the message, each line of it a comment line
 * of its own; control characters and non-ASCII bytes written as \xNN so
 * that a hostile value cannot break the TAP stream. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void diag(const char *fmt, ...);

/* The checks the store's tests share, each saying what went wrong as a
 * diagnostic: the message holds the fragment; a store call succeeded (its
 * message and SQLSTATE when not); it was refused with this SQLSTATE. */
bool has(const char *message, const char *fragment);
bool done(bool ok, const struct store_error *err);
bool refused_as(bool made, const struct store_error *err, const char *state);

/* Checks by plain SQL on a connection of pg_test_raw, each saying what
 * went wrong as a diagnostic: the first value of the query's first row
 * ("(none)" for no row) into buf; the query's number about one key ($1;
 * NULL: no parameter); whether the query about one key gives want; a
 * statement run; the audit records, all of them or those of a target
 * (kind, key and action). */
const char *pg_value(PGconn *c, char *buf, size_t len, const char *sql, int n,
                     const char *const *params);
long pg_number(PGconn *c, const char *sql, const char *key);
bool pg_is(PGconn *c, const char *want, const char *sql, const char *key);
bool pg_run(PGconn *c, const char *sql);
long pg_audits(PGconn *c);
long pg_audits_of(PGconn *c, const char *kind, const char *target,
                  const char *action);

/* What a refused change must leave as it was, as one digest: the first
 * value of sql (an md5 of the tables), malloc'd; and whether it is as it
 * was (before: pg_state's), else a diagnostic "WHAT changed". */
char *pg_state(PGconn *c, const char *sql);
bool pg_same_state(PGconn *c, const char *sql, const char *before,
                   const char *what);

/* A race of two consoles: two processes each connect to conninfo and
 * read (read(s, i, ctx, err): what racer i will change, its own state, or
 * NULL), meet at a barrier, then save at once (save(s, i, state, err):
 * whether it saved); free(state) after. out[i] is racer i's outcome;
 * returns how many reached the barrier (2 when the race was run). */
struct pg_race_outcome {
	int saved;
	char sqlstate[6];
	char message[1024];
};
struct pg_racer {
	void *(*read)(struct store *s, int i, void *ctx,
	              struct store_error *err);
	bool (*save)(struct store *s, int i, void *state,
	             struct store_error *err);
	void (*free)(void *state);
	void *ctx;
};
int pg_test_race(const char *conninfo, const struct pg_racer *r,
                 struct pg_race_outcome out[2]);

/* Forms: a form's string field replaced by a copy of v; the user's form
 * read (false, with a diagnostic naming the login, when it cannot be). */
void pg_set_str(char **field, const char *v);
bool pg_user_read(struct store *s, const char *login,
                  struct store_user_form *f);

/* "Bail out! why", detail (unless NULL) as a diagnostic; drops the
 * databases and exits 1. */
_Noreturn void bail(const char *why, const char *detail);

#endif
