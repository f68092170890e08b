/* store.h: PostgreSQL access, the way psql does it: PQconnectdbParams with
 * expand_dbname (so a conninfo string, a URI, PGSERVICE, ~/.pgpass and the
 * PG* environment all work), statements only through parameters, only the
 * expected result statuses accepted, SQLSTATE and primary message kept,
 * server notices routed to a handler (never raw stderr).
 *
 * Every change is one transaction: store_begin(), re-read, re-decide with
 * the engine on what was read, write with a row version check, audit,
 * store_commit(). Any error rolls back.
 */
#ifndef ACCESSDESK_STORE_H
#define ACCESSDESK_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "accessdesk/engine.h"

struct store;

/* The last error: SQLSTATE ("" when not from the server), and a message
 * that says what and where. STORE_CONFLICT marks a stale screen. */
#define STORE_CONFLICT "40001"
struct store_error {
	char sqlstate[6];
	char message[1024];
};

typedef void store_notice_fn(void *ctx, const char *message);

/* Connects with conninfo (a "key=value" string or a URI; NULL or "" for
 * the environment's defaults) or a service name. NULL on failure with the
 * reason in err. */
struct store *store_connect(const char *conninfo, const char *service,
                            struct store_error *err);
void store_disconnect(struct store *s);
PGconn *store_pg(struct store *s);
const char *store_dbname(struct store *s);
const char *store_session_user(struct store *s);
/* Server notices go to fn (the console's message line; stderr with a
 * prefix for the command line). */
void store_on_notice(struct store *s, store_notice_fn *fn, void *ctx);
/* After a lost connection: one PQreset; false if still not connected. */
bool store_reconnect(struct store *s, struct store_error *err);

/* Runs sql with text parameters; returns the result when its status is the
 * one expected (PGRES_COMMAND_OK or PGRES_TUPLES_OK), else NULL with err
 * set (and the result cleared). The caller PQclear()s what it gets. */
PGresult *store_exec(struct store *s, const char *sql, int n_params,
                     const char *const *params, ExecStatusType expect,
                     struct store_error *err);
/* The same for statements that return nothing of interest. */
bool store_run(struct store *s, const char *sql, int n_params,
               const char *const *params, struct store_error *err);

bool store_begin(struct store *s, struct store_error *err);
bool store_commit(struct store *s, struct store_error *err);
void store_rollback(struct store *s);

/* Sets err from a printf format, with no SQLSTATE (or `state`). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void store_fail(struct store_error *err, const char *state, const char *fmt,
		...);

/* ---- migrations (sql/NNN_*.sql, embedded in the binary) --------------- */

int store_migrations_known(void); /* the newest version this binary has */
/* Applies what is missing, each file in its own transaction, recorded in
 * schema_migrations; refuses a database newer than this binary. *applied
 * gets the number applied now. */
bool store_migrate(struct store *s, int *applied, struct store_error *err);
/* The database's version: 0 for an empty database, -1 on error. */
int store_schema_version(struct store *s, struct store_error *err);

/* ---- reading into the engine ------------------------------------------ */

/* Database ids of the engine's entities, indexed by engine id, and the
 * reverse maps (database id to engine id). */
struct store_idmap {
	long long *db; /* by engine id */
	int n, cap;
	long long *keys; /* hash of database id -> engine id */
	int *vals;
	size_t slots;
};
struct store_ids {
	struct store_idmap org, role, cluster, study, user;
};
/* The engine id of a database id, -1 when not loaded. */
int store_idmap_find(const struct store_idmap *m, long long db);

enum store_load { STORE_LOAD_BASE, STORE_LOAD_ALL };
/* Reads the tree, roles, clusters, studies and settings, and with
 * STORE_LOAD_ALL every user with grants, profile and study entries. The
 * world is indexed. NULL on error. */
struct engine_world *store_load_world(struct store *s, enum store_load what,
                                      struct store_ids *ids,
                                      struct store_error *err);
/* Adds these users (by login) with everything the engine needs, skipping
 * those already loaded and logins that do not exist. Study entry counts
 * are refreshed from the database. */
bool store_load_users(struct store *s, struct engine_world *w,
                      struct store_ids *ids, const char *const *logins,
                      int n_logins, struct store_error *err);
void store_ids_free(struct store_ids *ids);

/* ---- audit ------------------------------------------------------------ */

/* One audit row: before/after are JSON text (NULL for none), orgs the
 * database ids of the organisations the change touched. */
bool store_audit(struct store *s, const char *operator_login,
                 const char *action, const char *target_kind,
                 const char *target, const char *before_json,
                 const char *after_json, const long long *org_ids, int n_orgs,
                 struct store_error *err);

#endif

/* ---- users: the User Details form's data ------------------------------ */

#define STORE_MAX_LIST 64 /* roles, clusters, sites, studies per list */

struct store_grant_form {
	char org[33];
	char *roles[STORE_MAX_LIST]; /* role names */
	int n_roles;
	engine_payments payments;
	char *clusters[STORE_MAX_LIST]; /* short names */
	int n_clusters;
};

struct store_site_form {
	char site[33];
	bool recruitment_only;
};

/* A user as the form holds it: names and codes, never database ids, so a
 * form survives a reload. Strings are owned (store_user_form_free). */
struct store_user_form {
	long long id; /* 0: a new user */
	int version;  /* the version the form was read at */
	char *login, *title, *first_name, *last_name, *email, *work_phone,
	    *mobile_phone; /* title and mobile_phone may be "" */
	bool enabled;
	char *created; /* Date Added, read only */
	struct store_grant_form *grants;
	int n_grants;
	char *profile_roles[STORE_MAX_LIST];
	int n_profile_roles;
	struct store_site_form sites[STORE_MAX_LIST];
	int n_sites;
	char *studies[STORE_MAX_LIST]; /* restricted study codes */
	int n_studies;
};

bool store_user_read(struct store *s, const char *login,
                     struct store_user_form *f, struct store_error *err);
void store_user_form_free(struct store_user_form *f);
/* Deep copy (for keeping the operator's input across a reload). */
bool store_user_form_copy(struct store_user_form *dst,
                          const struct store_user_form *src);

/* Saves the form in one transaction: re-reads the user under a row lock,
 * refuses a stale form (STORE_CONFLICT, naming who changed it and when),
 * asks the engine about every change on what it read (section 5), writes,
 * and audits. A refusal's message is the engine's explanation. On success
 * *id is the user's id and f is unchanged. */
bool store_user_save(struct store *s, const char *operator_login,
                     const struct store_user_form *f, long long *id,
                     struct store_error *err);

/* Resend Registration Email: queued for a mailer (a table and a NOTIFY). */
bool store_user_queue_registration(struct store *s, const char *operator_login,
                                   const char *login, struct store_error *err);

/* ---- the Organisation / User report ----------------------------------- */

#define STORE_REPORT_COLUMNS 13
extern const char *const store_report_columns[STORE_REPORT_COLUMNS];
/* Called once a row with STORE_REPORT_COLUMNS fields; false stops. */
typedef bool store_row_fn(void *ctx, const char *const *fields);
struct store_user_query;
/* Streams the report for the operator: one row per user and grant, only
 * grants at organisations where the operator has users.view and
 * reports.run; q's search limits the users (NULL: all). Returns the rows
 * written, -1 on error. */
long store_report(struct store *s, const char *operator_login,
                  const struct store_user_query *q, store_row_fn *row,
                  void *ctx, struct store_error *err);

/* ---- the Users list --------------------------------------------------- */

enum store_user_sort {
	USER_SORT_NAME,    /* Name (Last, First) */
	USER_SORT_ORG_IDS, /* Organisation ID(s) */
	USER_SORT_ORGS,    /* Organisation(s) */
	USER_SORT_PARENTS, /* Parent Organisation(s) */
	USER_SORT_DATE,    /* Date Added */
	USER_SORT_STATUS,  /* Status */
	USER_SORT_COUNT
};

enum store_user_search {
	USER_SEARCH_NAME,  /* last name or first name starts with it, or
	                      "Last, First" prefix */
	USER_SEARCH_LOGIN, /* User ID starts with it */
	USER_SEARCH_EMAIL, /* email starts with it */
	USER_SEARCH_ORG,   /* holds a grant at an organisation whose code
	                      starts with it */
	USER_SEARCH_COUNT
};

#define STORE_LIST_TEXT 256
struct store_user_row {
	long long id;
	char login[65];
	char name[STORE_LIST_TEXT];    /* "Last, First" */
	char org_ids[STORE_LIST_TEXT]; /* visible grants only */
	char orgs[STORE_LIST_TEXT];
	char parents[STORE_LIST_TEXT];
	char date[16];
	bool enabled;
	int hidden; /* grants not shown to the operator */
	/* the keyset cursor: the sort key of this row, as text */
	char key[2 * STORE_LIST_TEXT];
	char key2[STORE_LIST_TEXT];
	char key3[STORE_LIST_TEXT];
};

struct store_user_query {
	enum store_user_sort sort;
	bool descending;
	enum store_user_search search_by;
	const char *search; /* NULL or "": everything */
};

/* What the operator may see, computed once per session (and again when the
 * database announces a change): the organisations where every action of
 * `need` holds, as an array literal of database ids, or "everything". */
struct store_reach {
	bool everything;
	bool roots_too; /* users.view over a root: users with no grant */
	bool narrow;    /* under a fifth of the organisations */
	char *orgs;     /* "{...}" when not everything */
};
bool store_reach_of(const struct engine_world *w, const struct store_ids *ids,
                    int op, engine_actions need, struct store_reach *r);
/* A search text as a LIKE prefix pattern (lower-cased, metacharacters
 * escaped); malloc'd. */
char *store_like_prefix(const char *text);

void store_reach_free(struct store_reach *r);

/* One page of the Users list after the row `after` (NULL: the first
 * page), at most n rows; *got gets how many. The operator always sees
 * themself. Grants at organisations the operator may not see are counted
 * in `hidden`, not shown (decided by the engine). */
bool store_users_page(struct store *s, const struct engine_world *w,
                      const struct store_ids *ids, int op,
                      const struct store_reach *reach,
                      const struct store_user_query *q,
                      const struct store_user_row *after, int n,
                      struct store_user_row *rows, int *got,
                      struct store_error *err);
/* The number of users the same query lists. */
long store_users_count(struct store *s, const struct store_reach *reach,
                       const char *operator_login,
                       const struct store_user_query *q,
                       struct store_error *err);

/* ---- validation of the User Details fields ---------------------------- */

enum store_user_field {
	USER_FIELD_EMAIL,
	USER_FIELD_TITLE,
	USER_FIELD_FIRST_NAME,
	USER_FIELD_LAST_NAME,
	USER_FIELD_LOGIN,
	USER_FIELD_WORK_PHONE,
	USER_FIELD_MOBILE_PHONE,
	USER_FIELD_COUNT
};
extern const char *const store_user_field_labels[USER_FIELD_COUNT];
/* Is the value acceptable (the same rules as the database's checks)? On
 * false, msg says what is wrong, e.g. "Last Name: at most 200 characters". */
bool store_user_field_valid(enum store_user_field f, const char *value,
                            char *msg, size_t len);
/* Every field of the form; the first problem in msg. */
bool store_user_form_valid(const struct store_user_form *f, char *msg,
                           size_t len);

/* A new User ID from a name, as CQRS makes them: the first letter of the
 * first name, two of the last name, three digits ("kal738"), not yet
 * taken. */
bool store_user_new_login(struct store *s, const char *first, const char *last,
                          char *buf, size_t len, struct store_error *err);

/* A form's grant as the engine sees it (names resolved to ids). */
struct store_spec_buf {
	struct engine_grant_spec spec;
	int roles[STORE_MAX_LIST];
	int clusters[STORE_MAX_LIST];
};
bool store_grant_spec(const struct engine_world *w,
                      const struct store_grant_form *g,
                      struct store_spec_buf *b, struct store_error *err);
