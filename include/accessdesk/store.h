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
#include <stdio.h>

#include <libpq-fe.h>

#include "accessdesk/csv.h"
#include "accessdesk/engine.h"
#include "accessdesk/engine_reach.h"

struct store;

/* The last error: SQLSTATE ("" when not from the server), and a message
 * that says what and where. The store's own codes are of the project's
 * class AD (as the schema's AD001-AD018), in the AD1xx range:
 *   STORE_CONFLICT  a stale screen: the target changed since it was read
 *   STORE_REFUSED   the engine refused the change (its explanation follows)
 *   STORE_INVALID   a value breaks a field rule
 *   STORE_BUSY      serialization failures outlasted the retries */
#define STORE_CONFLICT "AD101"
#define STORE_REFUSED  "AD102"
#define STORE_INVALID  "AD103"
#define STORE_BUSY     "AD104"
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
/* A second connection to the server and database of s, as the same user,
 * named application_name (pg_stat_activity tells the two apart): for
 * statements sent on their own beside the first's (user_count.c). */
struct store *store_connect_like(struct store *s, const char *application_name,
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
bool store_connected(struct store *s);
/* Whether the server is a hot standby (in recovery: it reads, never
 * writes), as it reported itself (PostgreSQL 14 and later); no statement. */
bool store_hot_standby(struct store *s);
/* The connection's socket (-1 when there is none), to wait on. */
int store_socket(struct store *s);
/* Reads what the server sent: the number of notifications (LISTEN) taken,
 * or -1 with err when the connection is lost. */
int store_take_notifications(struct store *s, struct store_error *err);
/* fn(ctx, true) before each statement is sent, fn(ctx, false) once its
 * result is in: the console lets ^C cancel while it waits. */
void store_on_wait(struct store *s, void (*fn)(void *ctx, bool waiting),
                   void *ctx);
/* Asks the server to cancel the statement running; safe in a signal
 * handler (libpq's PQcancel). */
bool store_cancel(struct store *s);

/* Runs sql with text parameters; returns the result when its status is the
 * one expected (PGRES_COMMAND_OK or PGRES_TUPLES_OK), else NULL with err
 * set (and the result cleared). The caller PQclear()s what it gets. */
PGresult *store_exec(struct store *s, const char *sql, int n_params,
                     const char *const *params, ExecStatusType expect,
                     struct store_error *err);
/* store_exec with the parameters' types given (OIDs), for statements
 * assembled from fragments that use only some of a fixed set of numbered
 * parameters: an unused parameter needs a type, never a dummy use. */
PGresult *store_exec_typed(struct store *s, const char *sql, int n_params,
                           const Oid *types, const char *const *params,
                           ExecStatusType expect, struct store_error *err);
/* Streams the rows of a statement (single-row mode, so a million rows
 * never sit in memory) to row, n_fields fields each (NULL for SQL NULL);
 * row returning false stops the writing (the rest is drained; it may set
 * err first). ^C cancels it (store_on_wait). Returns the rows read, -1 on
 * error. */
typedef bool store_row_fn(void *ctx, const char *const *fields);
long store_stream(struct store *s, const char *sql, int n_params,
                  const Oid *types, const char *const *params, int n_fields,
                  store_row_fn *row, void *ctx, struct store_error *err);
/* Streams a COPY (...) TO STDOUT WITH (FORMAT csv) statement's rows to
 * out as the server wrote them, each ended CSV_EOL (csv.h) instead of the
 * server's \n: the server sends one row a message, so a row's last byte is
 * its line end and a \n inside a quoted value stays. No row is parsed,
 * none sits in memory. A write error cancels the statement. ^C cancels it
 * (store_on_wait). Returns the rows written, -1 on error (err says whose:
 * the server's, the connection's, or the write's). */
long store_copy_csv(struct store *s, const char *sql, FILE *out,
                    struct store_error *err);
/* The same for statements that return nothing of interest. */
bool store_run(struct store *s, const char *sql, int n_params,
               const char *const *params, struct store_error *err);
/* A statement whose rows are read: the result when its status is
 * PGRES_TUPLES_OK and it has at least min_rows rows, else NULL with err
 * set, e.g. "session user: expected one row, got 0". `what` (NULL: none)
 * says what the statement does and prefixes every message of a failure
 * ("seed: read the organisations: permission denied ..."). */
PGresult *store_exec_rows(struct store *s, const char *what, const char *sql,
                          int n_params, const char *const *params, int min_rows,
                          struct store_error *err);
/* store_run with a `what`; *rows (if not NULL) gets the rows the statement
 * affected or returned (PQcmdTuples). */
bool store_command(struct store *s, const char *what, const char *sql,
                   int n_params, const char *const *params, long *rows,
                   struct store_error *err);

/* BEGIN on an idle connection: refuses one inside a transaction or busy
 * (SQLSTATE 25001). */
bool store_begin(struct store *s, struct store_error *err);
/* The same, with client_encoding UTF8 for this transaction whatever the
 * session's (the bulk loaders' COPY text is UTF-8). */
bool store_begin_utf8(struct store *s, struct store_error *err);
/* The same, REPEATABLE READ: one snapshot for all the statements that
 * follow (the list's keys table, the access as of a date). */
bool store_begin_repeatable(struct store *s, struct store_error *err);
/* The same, READ ONLY too (a report, the audit chain's check). */
bool store_begin_snapshot(struct store *s, struct store_error *err);
/* The audit chain's lock (sql/013_audit_chain.sql), for a transaction that
 * writes audit records: its first statement, before the snapshot, so that
 * writers queue for the chain in one order and never deadlock on it. */
bool store_chain_lock(struct store *s, struct store_error *err);
/* COMMIT; false when the transaction had failed (the server then answers
 * ROLLBACK: "commit: the transaction was rolled back", SQLSTATE 40000).
 * Whatever the outcome, no transaction is open afterwards. */
bool store_commit(struct store *s, struct store_error *err);
/* ROLLBACK if a transaction is open; never fails from the caller's view. */
void store_rollback(struct store *s);

/* Sets err from a printf format, with no SQLSTATE (or `state`). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void store_fail(struct store_error *err, const char *state, const char *fmt,
		...);
/* Sets err from a failed result (NULL: the connection's error): "what: "
 * (when what is not NULL), the primary message, ": detail" and ". hint"
 * when there are; the SQLSTATE. */
void store_fail_result(struct store *s, const char *what, const PGresult *r,
                       struct store_error *err);

/* ---- COPY ... FROM STDIN, text format (the bulk loaders) -------------- */

/* Fields are escaped (backslash, tab, newline, carriage return) and sent
 * in large buffers. After the first failure every call is a no-op (failed
 * is set) and store_copy_end reports it, prefixed with `what`. */
struct store_copy {
	struct store *s;
	const char *what;
	struct store_error *err;
	char *buf;
	size_t len, cap;
	bool row_open; /* a field has been written on the current row */
	bool failed;
};
bool store_copy_begin(struct store_copy *cp, struct store *s, const char *what,
                      const char *sql, struct store_error *err);
void store_copy_text(struct store_copy *cp, const char *v); /* NULL: \N */
void store_copy_long(struct store_copy *cp, long long v);
void store_copy_bool(struct store_copy *cp, bool v);
/* A field written verbatim (the caller guarantees it needs no escaping,
 * e.g. an array literal of codes). */
void store_copy_raw(struct store_copy *cp, const char *v);
void store_copy_row_end(struct store_copy *cp);
/* Ends the COPY; *rows (if not NULL) gets the rows the server stored. */
bool store_copy_end(struct store_copy *cp, long *rows);
/* Abandons the COPY (the server then fails the transaction) and frees it;
 * err is left as it is (the caller says why). */
void store_copy_abort(struct store_copy *cp, const char *why);

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

enum store_load { STORE_LOAD_BASE, STORE_LOAD_ALL, STORE_LOAD_STUDY };
/* Reads the tree, roles, clusters, studies and settings, and with
 * STORE_LOAD_ALL every user with grants, profile and study entries (with
 * STORE_LOAD_STUDY the same without the grants: a world that decides
 * study access alone). The world is indexed. NULL on error. */
struct engine_world *store_load_world(struct store *s, enum store_load what,
                                      struct store_ids *ids,
                                      struct store_error *err);
/* Adds these users (by login) with everything the engine needs, skipping
 * those already loaded and logins that do not exist. Study entry counts
 * are refreshed from the database. */
bool store_load_users(struct store *s, struct engine_world *w,
                      struct store_ids *ids, const char *const *logins,
                      int n_logins, struct store_error *err);
/* The same by database id (ids the world lacks; those that do not exist
 * are skipped). */
bool store_load_users_by_id(struct store *s, struct engine_world *w,
                            struct store_ids *ids, const long long *db_ids,
                            int n, struct store_error *err);
void store_ids_free(struct store_ids *ids);

/* ---- the one change path --------------------------------------------- */

/* What a change is about: its audit record's target_kind, and the SQL
 * function that names the organisations it touched (audit_org_ids in
 * sql/007_change.sql): */
enum store_target {
	STORE_TARGET_USER,     /* "user": each organisation of its grants */
	STORE_TARGET_GRANT,    /* "grant": the grant's organisation */
	STORE_TARGET_CLUSTER,  /* "cluster": its owner */
	STORE_TARGET_STUDY,    /* "study": its site */
	STORE_TARGET_ORG,      /* "organisation": itself */
	STORE_TARGET_ROLE,     /* "role": a root */
	STORE_TARGET_SETTINGS, /* "settings": a root */
	STORE_TARGET_COUNT
};
extern const char *const store_target_kinds[STORE_TARGET_COUNT];

/* A change in flight: the transaction, the snapshot the engine decides on,
 * the error. Handed to a change's steps. */
struct store_tx;

struct store_change {
	const char *operator_login;
	const char *action; /* the audit's action: "update", "revoke", ... */
	enum store_target kind;
	/* the audit's target key: a login, "login ORG" for a grant, a short
	 * name, a code, "settings"; may be set by `write` (a new user's
	 * login is known before, its database id after) */
	const char *target;
	void *ctx;
	/* The steps, in this order, in one transaction; all again on a
	 * retry after a serialization failure (so they must not keep state
	 * across attempts except through ctx, reset by `lock`). Each returns
	 * false with the error set (store_tx_fail, store_tx_refuse). */
	/* Lock the target's rows (FOR UPDATE) and check the version the
	 * screen read: store_tx_lock_user does it for a user. */
	bool (*lock)(struct store_tx *tx, void *ctx);
	/* Name what the engine must see besides the operator and the
	 * enabled root System Administrators: store_tx_need_*. */
	bool (*need)(struct store_tx *tx, void *ctx);
	/* Decide on store_tx_world(tx); refuse with store_tx_refuse. */
	bool (*decide)(struct store_tx *tx, void *ctx);
	bool (*write)(struct store_tx *tx, void *ctx);
};

/* Runs a change (access-model.md section 5, "Every change is one
 * transaction"): BEGIN ISOLATION LEVEL SERIALIZABLE; lock the operator's
 * row (so revoking the operator's access stops a save in flight) and the
 * target, checking its version; read the audit's before; load a snapshot
 * of just what the decision needs (the operator, the target, the root
 * System Administrators, the organisations, clusters and studies they
 * name, and the ancestors of those organisations); decide; write; one
 * audit record (operator, time, target, before, after, organisations
 * touched before and after); COMMIT. A serialization failure or deadlock
 * is retried (a few times, then STORE_BUSY). Any failure rolls back:
 * nothing is half-written. */
bool store_change(struct store *s, const struct store_change *c,
                  struct store_error *err);
/* What store_change met in this process since it started: serialization
 * failures (40001) and deadlocks (40P01), each retried unless it was the
 * last try, which then failed with STORE_BUSY (busy counts those). For the
 * load test's figures (tests/load/test_load.c). */
struct store_change_stats {
	long serialization_failures, deadlocks, busy;
};
void store_change_stats(struct store_change_stats *out);

/* One audit record: the after snapshot and the organisations touched are
 * the database's now (audit_record in sql/007_change.sql), with those of
 * before_orgs (a bigint[] literal, NULL for none); before_json NULL for
 * none; operator_login NULL for the session's user (db load). The change
 * path writes its record with this; db load too. */
bool store_audit_record(struct store *s, const char *operator_login,
                        const char *action, enum store_target kind,
                        const char *target, const char *before_json,
                        const char *before_orgs, struct store_error *err);

struct store *store_tx_store(struct store_tx *tx);
struct store_error *store_tx_err(struct store_tx *tx);
const char *store_tx_operator(struct store_tx *tx);
/* The snapshot and its id maps; the operator's engine id. Valid in
 * decide and write. */
struct engine_world *store_tx_world(struct store_tx *tx);
const struct store_ids *store_tx_ids(struct store_tx *tx);
int store_tx_op(struct store_tx *tx);
/* In need: these users (with their grants, profiles and study entries),
 * organisations (by code), clusters (short name), studies (code), roles
 * (name) must be in the snapshot. Names the database does not hold are
 * left out (decide then finds -1 and says so). */
bool store_tx_need_user(struct store_tx *tx, const char *login);
/* The same for many logins at once, each named once (an import's: not
 * checked against those named before, which one name twice costs
 * nothing). */
bool store_tx_need_users(struct store_tx *tx, const char *const *logins, int n);
bool store_tx_need_org(struct store_tx *tx, const char *code);
bool store_tx_need_cluster(struct store_tx *tx, const char *short_name);
bool store_tx_need_study(struct store_tx *tx, const char *code);
/* In lock: locks the user's row FOR UPDATE and checks that its version
 * is `version` (0: any), failing with STORE_CONFLICT naming who changed
 * it and when. *id gets the user's database id. No such user: false
 * with a message, SQLSTATE "". */
bool store_tx_lock_user(struct store_tx *tx, const char *login, int version,
                        long long *id);
/* An explanation as one line, "reason; reason", for operator op about
 * user v (-1: none, or new): what it says of v's grants at organisations
 * where op lacks users.view (hidden grants, access-model.md section 5) is
 * counted, never named: "op lacks ACTION where V holds grants not shown
 * (+N)". The console's refusals and the store's share it. */
void store_explain_line(const struct engine_world *w, int op, int v,
                        const struct engine_explain *ex, char *buf, size_t len);
/* In decide: the change's user, whose hidden grants a refusal counts. */
void store_tx_set_user(struct store_tx *tx, int v);
/* A refusal: "not allowed to WHAT: " and the explanation as
 * store_explain_line gives it, about the change's user (store_tx_user) if
 * it named one (STORE_REFUSED). */
bool store_tx_refuse(struct store_tx *tx, const struct engine_explain *ex,
                     const char *what);
/* In write: nothing differs, so nothing is written and no audit record
 * is made (the transaction still commits: its locks were the point). */
void store_tx_unchanged(struct store_tx *tx);
/* Statements in the change's transaction. A refusal by one of the
 * schema's invariants that an operator's change may meet (a cycle, a
 * member not below its owner, a cluster in use...: change.c lists them)
 * comes back as STORE_REFUSED, in the trigger's words and hint. */
bool store_tx_run(struct store_tx *tx, const char *sql, int n_params,
                  const char *const *params);
PGresult *store_tx_exec(struct store_tx *tx, const char *sql, int n_params,
                        const char *const *params);

/* ---- users: the User Details form's data ------------------------------ */

/* Lists are as long as the data: arrays of owned strings grown one item
 * at a time (store_names_add), in stored order. */
bool store_names_add(char ***v, int *n, const char *name); /* a copy */
void store_names_remove(char **v, int *n, int i); /* frees it, keeps order */
void store_names_free(char ***v, int *n);
int store_names_find(char *const *v, int n, const char *name); /* or -1 */

struct store_grant_form {
	char org[33];
	char **roles; /* role names */
	int n_roles;
	engine_payments payments;
	char **clusters; /* short names */
	int n_clusters;
};
void store_grant_form_free(struct store_grant_form *g);
bool store_grant_form_copy(struct store_grant_form *dst,
                           const struct store_grant_form *src);

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
	char **profile_roles;
	int n_profile_roles;
	struct store_site_form *sites;
	int n_sites;
	char **studies; /* restricted study codes */
	int n_studies;
};
bool store_user_add_site(struct store_user_form *f, const char *site,
                         bool recruitment_only);
void store_user_remove_site(struct store_user_form *f, int i);

bool store_user_read(struct store *s, const char *login,
                     struct store_user_form *f, struct store_error *err);
void store_user_form_free(struct store_user_form *f);
/* Deep copy (for keeping the operator's input across a reload). */
bool store_user_form_copy(struct store_user_form *dst,
                          const struct store_user_form *src);
/* Whether two forms say different things of a user: a field, a grant (by
 * organisation, any order; roles, clusters and profile roles as sets), a
 * site or a study. Its version and Date Added are not compared. */
bool store_user_form_differs(const struct store_user_form *a,
                             const struct store_user_form *b);
/* The form's grant at org (any case), or NULL. */
const struct store_grant_form *store_user_grant(const struct store_user_form *f,
                                                const char *org);

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

/* One grant of V set or revoked on its own (the command line's `grant set`
 * and `grant revoke`), through the change path with the same decisions as
 * a form's save; its audit record names the grant's organisation. g: the
 * grant as it will be (created, or its roles, payment types and clusters
 * replaced), NULL to revoke the grant at org. *changed says whether
 * anything differed (false: nothing written, no audit). */
bool store_grant_save(struct store *s, const char *operator_login,
                      const char *login, const char *org,
                      const struct store_grant_form *g, bool *changed,
                      struct store_error *err);

/* ---- the Organisation / User report ----------------------------------- */

#define STORE_REPORT_COLUMNS 13
extern const char *const store_report_columns[STORE_REPORT_COLUMNS];
struct store_user_query;
/* Streams the report for the operator: one row per user and grant, only
 * grants at organisations where the operator has users.view and
 * reports.run; q's search limits the users (NULL: all). Returns the rows
 * written, -1 on error. */
long store_report(struct store *s, const char *operator_login,
                  const struct store_user_query *q, store_row_fn *row,
                  void *ctx, struct store_error *err);
/* The same report written to out exactly as store_report through
 * store_report_csv_row (cells CSV_SAFE) or store_report_csv_row_exact
 * (CSV_EXACT) writes it, but as the database's own CSV (COPY), each row's
 * bytes going straight to out: for a file or a pipe, where the values
 * need no sanitiser, without a row's fields ever taken apart. Returns the
 * rows written, -1 on error (the connection lost, a write error: nothing
 * may be taken as the whole report). */
long store_report_copy(struct store *s, const char *operator_login,
                       const struct store_user_query *q, enum csv_cells cells,
                       FILE *out, struct store_error *err);
/* The planner's plan (EXPLAIN) of the statement the report would run for
 * the operator and the query, in the report's snapshot: for the plan test
 * and for diagnosis. */
bool store_report_explain(struct store *s, const char *operator_login,
                          const struct store_user_query *q, char *plan,
                          size_t cap, struct store_error *err);
/* A store_row_fn writing the row as RFC 4180 CSV (csv.h) to the FILE *
 * ctx: `accessdesk report` and the console's r. store_report_csv_row
 * neutralises formulas (CSV_SAFE); store_report_csv_row_exact writes the
 * values as stored (CSV_EXACT). */
bool store_report_csv_row(void *ctx, const char *const *fields);
bool store_report_csv_row_exact(void *ctx, const char *const *fields);

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
	USER_SEARCH_NAME,  /* last name or first name starts with it;
	                      "Last, First" or "First Last": both start so */
	USER_SEARCH_LOGIN, /* User ID starts with it */
	USER_SEARCH_EMAIL, /* email starts with it */
	USER_SEARCH_ORG,   /* holds a grant at an organisation whose code
	                      or name starts with it */
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
/* The search's parameters in the list's numbering: [0] $4, the text as a
 * prefix pattern; [1] $11 and [2] $12, a name's last and first name
 * patterns when it is typed "Last, First" or "First Last" (NULL where the
 * shape has none). Each malloc'd; false when out of memory (all NULL). */
bool store_search_params(const struct store_user_query *q, char *params[3]);

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

/* The planner's plan (EXPLAIN, one line per plan line) of the statement
 * store_users_page (count false) or store_users_count (count true) would
 * run for this query: for the plan test and for diagnosis. */
bool store_users_explain(struct store *s, const struct store_reach *reach,
                         const char *operator_login,
                         const struct store_user_query *q,
                         const struct store_user_row *after, int n, bool count,
                         char *plan, size_t cap, struct store_error *err);

/* Does an enabled user hold System Administrator on a root through a grant
 * with no cluster selected? When none does, the console's top line says
 * that no one can administer the whole tree. */
bool store_has_root_admin(struct store *s, bool *has, struct store_error *err);

/* ---- counts that never block a key (src/store/user_count.c) ----------- */

/* A list's count in two steps: the planner's estimate at once, from EXPLAIN
 * of the count's own statement on the first connection (no rows read),
 * and the exact figure later, from the statement sent on a second
 * connection (store_count) whose socket the console's loop watches. The
 * counts asked wait there one at a time, one per owner (a screen's
 * pager); fn(owner, n) gives each answer, n -1 when it is not known (the
 * statement failed, the connection was lost). */
typedef void store_count_fn(void *owner, long n);
struct store_count;
/* A second connection like s's (application_name "accessdesk count");
 * NULL on failure with err. */
struct store_count *store_count_open(struct store *s, struct store_error *err);
/* Closes it; the counts still owed are dropped, unanswered. */
void store_count_close(struct store_count *c);
/* The socket to wait on (-1 when not connected); store_count_take reads
 * it when readable. */
int store_count_socket(struct store_count *c);
/* A count asked and not answered yet. */
bool store_count_owed(const struct store_count *c);
bool store_count_connected(struct store_count *c);
/* After a lost connection (nothing when connected): every count owed is
 * answered -1, then one PQreset; false if still not connected. */
bool store_count_reconnect(struct store_count *c, struct store_error *err);
/* The server process of the connection (for the tests). */
int store_count_backend(struct store_count *c);
/* Asks for the count of sql (its parameters as for store_exec_typed,
 * copied) for owner, in place of what owner asked before (dropped, or
 * cancelled on the server when already under way: its answer never
 * given). false with err when it cannot be sent. */
bool store_count_ask(struct store_count *c, void *owner, store_count_fn *fn,
                     const char *sql, int n_params, const Oid *types,
                     const char *const *values, struct store_error *err);
/* owner asks nothing more (a screen closing, a query gone). */
void store_count_forget(struct store_count *c, void *owner);
/* Reads what the server sent and gives the answers that are in: their
 * number (err says why when one failed), or -1 when the connection is
 * lost (every count owed answered -1). Never waits. */
int store_count_take(struct store_count *c, struct store_error *err);
/* The planner's estimate of the rows sql counts (sql: "SELECT count(*)
 * ..."): the Plan Rows of what the top Aggregate counts (through a
 * Gather, its processes' shares added up); -1 on failure with err. */
long store_count_estimate(struct store *s, const char *sql, int n_params,
                          const Oid *types, const char *const *values,
                          struct store_error *err);
/* The Users list's count of q (store_users_count's statement): returns
 * the estimate and asks c for the exact figure for owner; -1 when neither
 * can be had (err). */
long store_users_count_start(struct store *s, struct store_count *c,
                             const struct store_reach *reach,
                             const char *operator_login,
                             const struct store_user_query *q, void *owner,
                             store_count_fn *fn, struct store_error *err);

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
/* Is the value acceptable (the one table of field rules, which the
 * database's checks hold too)? On false, msg says what is wrong and names
 * the rule, e.g. "Last Name is longer than 200 characters". */
bool store_user_field_valid(enum store_user_field f, const char *value,
                            char *msg, size_t len);
/* Every field of the form; the first problem in msg. */
bool store_user_form_valid(const struct store_user_form *f, char *msg,
                           size_t len);
/* Does a user other than except_user_id (0: none) have this email,
 * compared case-insensitively? true with that user's login in other_login
 * (the first by id); false when none does, or on an error (err set). A
 * warning for the form, never a refusal. */
bool store_email_taken(struct store *s, const char *email,
                       long long except_user_id, char *other_login, size_t len,
                       struct store_error *err);

/* A new User ID from a name, as CQRS makes them: the first letter of the
 * first name, two of the last name, three digits ("kal738"), not yet
 * taken. */
bool store_user_new_login(struct store *s, const char *first, const char *last,
                          char *buf, size_t len, struct store_error *err);

/* A form's grant as the engine sees it (names resolved to ids); the
 * arrays are allocated: store_spec_buf_free. */
struct store_spec_buf {
	struct engine_grant_spec spec;
	int *roles;
	int *clusters;
};
bool store_grant_spec(const struct engine_world *w,
                      const struct store_grant_form *g,
                      struct store_spec_buf *b, struct store_error *err);
void store_spec_buf_free(struct store_spec_buf *b);

/* ---- organisations: the Organisations tab (src/store/orgs.c) ---------- */

/* An organisation as a form holds it: codes, never database ids. */
struct store_org_form {
	char code[33];
	char name[801];  /* 200 characters of UTF-8 at most */
	char parent[33]; /* "" for a root */
	bool is_site;
	int version; /* as read; 0 for a new one */
};
/* Reads the organisation with this code (any case). No such: false with
 * "no organisation \"CODE\"" and SQLSTATE "". */
bool store_org_read(struct store *s, const char *code, struct store_org_form *f,
                    struct store_error *err);

/* The changes of the Organisations tab, each one store_change() (locked,
 * version-checked against f->version or `version`, decided by the engine
 * with engine_may_org on what the transaction read, audited with target
 * kind "organisation" and the code, announced). Their refusals:
 *   STORE_INVALID   a field rule (fields.h: "Organisation Name is longer
 *                   than 200 characters"), or a code already used,
 *                   compared case-insensitively: "Code LAT04 is already
 *                   used by lat04 (LatOrg04)"
 *   STORE_REFUSED   the engine's explanation ("not allowed to add an
 *                   organisation under lat04: ..."), or the schema's
 *                   invariants (sql/003_invariants.sql): a cycle, a
 *                   cluster member taken out of its owner's subtree, a
 *                   site still named by a study or a site restriction,
 *                   an organisation something depends on, each with its
 *                   reason and counts
 *   STORE_CONFLICT  changed since it was read: who changed it and when.
 * Add: a child of f->parent ("" a root) with f's code, name and site. */
bool store_org_add(struct store *s, const char *operator_login,
                   const struct store_org_form *f, struct store_error *err);
bool store_org_rename(struct store *s, const char *operator_login,
                      const char *code, int version, const char *name,
                      struct store_error *err);
bool store_org_set_site(struct store *s, const char *operator_login,
                        const char *code, int version, bool is_site,
                        struct store_error *err);
/* new_parent "" makes it a root (needs orgs.manage over a root). */
bool store_org_move(struct store *s, const char *operator_login,
                    const char *code, int version, const char *new_parent,
                    struct store_error *err);
bool store_org_delete(struct store *s, const char *operator_login,
                      const char *code, int version, struct store_error *err);
/* What depends on the organisation, as the delete's refusal names it:
 * "2 child organisations, 3 grants" ("" when nothing does). The schema's
 * one list (ad_org_dependants, which the delete trigger uses too). */
bool store_org_dependants(struct store *s, const char *code, char *buf,
                          size_t len, struct store_error *err);
/* The number of users holding a grant at each of n organisations (by
 * database id) into users[i]: one statement, an index scan each. */
bool store_org_user_counts(struct store *s, const long long *org_ids, int n,
                           long *users, struct store_error *err);

/* ---- Who has access? (src/store/access.c) ------------------------------ */

/* One way a user's access reaches the organisation: a grant that lets
 * them in, as the engine decides it. */
struct store_access_row {
	char login[65];
	char name[STORE_LIST_TEXT]; /* "Last, First" */
	char grant_org[33];         /* the grant's organisation */
	/* the grant's roles that act here (with the action asked, if one
	 * was), in stored order, ", " between */
	char roles[STORE_LIST_TEXT];
	char payments[64];            /* "QOF, GPES"; "" for none */
	char cluster[11], member[33]; /* "" unless narrowed by clusters */
	/* where it comes from: "grant here", "grant at ancestor 15E",
	 * "cluster C61A6DB801, member A81001"; "a grant not shown" (or "2
	 * grants not shown", one row for them all) for a
	 * grant at an organisation where the operator lacks users.view
	 * (grant_org, roles, payments, cluster and member then empty) */
	char from[STORE_LIST_TEXT];
	/* store_org_administrators: which of the two roles act here */
	unsigned char admin; /* STORE_ADMIN_UA | STORE_ADMIN_AUA */
};
#define STORE_ADMIN_UA  1u /* User Administrator */
#define STORE_ADMIN_AUA 2u /* Advanced User Administrator */
struct store_access {
	struct store_access_row *rows; /* by name, login, then grant order */
	int n;
	int users;  /* distinct users listed */
	int hidden; /* users whose access reaches it, not seen by the
	               operator: counted, never named */
};
/* Every enabled user whose access reaches org (a code): through a grant
 * there, an ancestor's grant, or a cluster member at or above it; with
 * action (an organisation action, -1: any), those for whom the engine
 * allows that action there. One query for the candidate grants (grants
 * with no cluster on org's ancestors and itself, and grants narrowed by a
 * cluster with a member at or above org); the candidate users are loaded
 * into w (store_load_users) and the engine decides each. Only users the
 * operator sees are listed (engine_may_see_user), the rest counted. The
 * operator needs users.view over org: else STORE_REFUSED with the
 * engine's explanation. An unknown org: SQLSTATE "" and a message. */
bool store_who_has_access(struct store *s, struct engine_world *w,
                          struct store_ids *ids, int op, const char *org,
                          int action, struct store_access *out,
                          struct store_error *err);
/* Who administers org (the first question a practice asks the help
 * desk): its User Administrators (a grant at org) and the Advanced User
 * Administrators above it (a grant at an ancestor), as the engine lets
 * them users.manage there; the rows of store_who_has_access for
 * users.manage whose allowing role is one of those two, roles naming it.
 * Same visibility and counting; no refusal: an operator without
 * users.view over org gets no rows and hidden set. */
bool store_org_administrators(struct store *s, struct engine_world *w,
                              struct store_ids *ids, int op, const char *org,
                              struct store_access *out,
                              struct store_error *err);
void store_access_free(struct store_access *a);

/* The CSV's columns: User ID, Name, Organisation ID (the grant's),
 * Roles, Payment Types, Cluster, Member, Access From. */
#define STORE_ACCESS_COLUMNS 8
extern const char *const store_access_columns[STORE_ACCESS_COLUMNS];
/* A row's fields in that order (pointers into the row). */
void store_access_fields(const struct store_access_row *r,
                         const char *fields[STORE_ACCESS_COLUMNS]);

/* ---- Who has access? as of a past date (src/store/as_of.c) ------------- */

/* The change that gave a row's access: the latest audit record at or
 * before the date that gave the row's grant its deciding role (the first
 * of the grant's roles that acts there, with the action if one was
 * asked): a record whose after holds the grant (user LOGIN: its grants
 * array; grant LOGIN/ORG) with that role and whose before does not (no
 * before, no such grant, or the grant without it). seq 0: none in the
 * trail ("before the trail": the role was there before its first record,
 * or came with a seed); -1: a row not shown (a grant not shown). */
struct store_given {
	long long seq;
	char operator_login[65];
	char at[20]; /* DD/MM/YYYY HH:MM:SS */
};
struct store_access_then {
	struct store_access list;  /* as store_who_has_access, then */
	struct store_given *given; /* one per row of list */
	char at[20];               /* the date asked, DD/MM/YYYY HH:MM:SS */
	long long seq;             /* the last record at or before it */
};
/* Who had access to org (a code) at `at` (an ISO time as
 * store_time_parse writes it), rebuilt from the audit trail: the state
 * then is the current state with each entity changed since taking the
 * before of its earliest record after `at` (see as_of.c). Decided by
 * the one Who has access? (store_who_has_access's candidates and engine
 * decisions) on that state, in one transaction that leaves nothing
 * behind. The operator's visibility is today's: op (an engine id of
 * now, the world the console holds, loaded as needed) needs users.view
 * over org now (else STORE_REFUSED), and only users op sees now are
 * listed, grants at organisations op has users.view over now. A date
 * before the trail's first record, or before a seed or an import that
 * came after it (the trail cannot undo those), an organisation not there
 * then or not now: false with SQLSTATE "" and a message. */
bool store_who_had_access(struct store *s, struct engine_world *now,
                          struct store_ids *ids, int op, const char *org,
                          int action, const char *at,
                          struct store_access_then *out,
                          struct store_error *err);
void store_access_then_free(struct store_access_then *t);
/* A row's given-by in words: "#41 admin1 01/12/2026 10:00:00", "before
 * the trail", "" for a row not shown. */
void store_given_text(const struct store_given *g, char *buf, size_t len);
/* The CSV's columns as of a date: those of STORE_ACCESS_COLUMNS, then
 * Record (the given-by record's number, "" when none), Given By Operator
 * and Given At (DD/MM/YYYY HH:MM:SS). */
#define STORE_ACCESS_THEN_COLUMNS (STORE_ACCESS_COLUMNS + 3)
extern const char *const store_access_then_columns[STORE_ACCESS_THEN_COLUMNS];
/* Row i's fields in that order (buf: room for the record's number). */
void store_access_then_fields(const struct store_access_then *t, int i,
                              char buf[24],
                              const char *fields[STORE_ACCESS_THEN_COLUMNS]);

/* ---- Service Provider Clusters (src/store/clusters.c) ------------------ */

/* One cluster of an owner's list. Strings are owned (the list's free). */
struct store_cluster_row {
	char short_name[11];
	char *name, *description;
	int members; /* organisations in it */
	int users;   /* users whose grants select it */
	int version;
};
struct store_cluster_list {
	struct store_cluster_row *rows; /* by name (either case), short name */
	int n;
};
/* The clusters owned by owner (a code, any case), with their members and
 * users counted: one statement, index scans (clusters_owner_name,
 * cluster_members' key, grant_clusters_cluster). No such organisation:
 * false with "no organisation \"CODE\"", SQLSTATE "". */
bool store_cluster_list(struct store *s, const char *owner,
                        struct store_cluster_list *out,
                        struct store_error *err);
void store_cluster_list_free(struct store_cluster_list *l);

/* A cluster as its form holds it: codes, never database ids. */
struct store_cluster_form {
	char short_name[11]; /* "" for a new cluster: generated on save */
	char owner[33];      /* the owner's code */
	char *name, *description;
	char **members; /* organisation codes, stored order */
	int n_members;
	int version; /* as read; 0 for a new one */
};
/* Reads the cluster with this short name. No such cluster: false with
 * "no cluster \"SHORT\"", SQLSTATE "". */
bool store_cluster_read(struct store *s, const char *short_name,
                        struct store_cluster_form *f, struct store_error *err);
void store_cluster_form_free(struct store_cluster_form *f);
bool store_cluster_form_copy(struct store_cluster_form *dst,
                             const struct store_cluster_form *src);
/* Whether two forms say different things of a cluster: its name,
 * description or members (in order: the first member that lets an
 * organisation in is the one an explanation cites); the members alone. */
bool store_cluster_form_differs(const struct store_cluster_form *a,
                                const struct store_cluster_form *b);
bool store_cluster_members_differ(const struct store_cluster_form *a,
                                  const struct store_cluster_form *b);

/* Saves the form through the change path (store_change: locked,
 * version-checked, decided by engine_may_manage_cluster on what the
 * transaction read: clusters.manage over the owner and over every member,
 * those it had and those it will have; audited with target kind
 * "cluster" and the short name; announced). With f->short_name "" it adds
 * a cluster owned by f->owner with a generated short name (10 upper-case
 * hex digits, unique), written into f->short_name; otherwise it replaces
 * the name, description and members (in the form's order, which is the
 * stored order) of that cluster, whose owner stays (f->owner is not
 * read). *changed (if not NULL) says whether anything was written; when
 * it was, f->version is the version now stored (so a second save of the
 * same form is not stale). Nothing differing (the members compared in
 * order) writes nothing and no audit record. The refusals:
 *   STORE_INVALID   a field rule (fields.h), a member listed twice
 *                   (codes in either case: "Member A01AAA is listed
 *                   twice"), or a name already used among the owner's
 *                   clusters, either case: "Name Eastern City Practices
 *                   is already used by cluster C61A6DB801"
 *   STORE_REFUSED   the engine's explanation ("not allowed to add a
 *                   cluster to lat04: ...", "not allowed to change
 *                   cluster C61A6DB801: ..."), or the schema's invariants
 *                   in their own words and hint (a member not below the
 *                   owner)
 *   STORE_CONFLICT  changed since it was read: who changed it and when
 *   ""              no such owner, cluster or member organisation: "no
 *                   organisation \"X\"", "no cluster \"SHORT\"". */
bool store_cluster_save(struct store *s, const char *operator_login,
                        struct store_cluster_form *f, bool *changed,
                        struct store_error *err);
/* Is the name free among the clusters of the owner (database id), in
 * either case of the ASCII letters, but for the cluster `except` (a short
 * name; "" for none)? Else false with STORE_INVALID naming the cluster
 * that holds it: the save's own check, asked by the form at Continue so
 * that the operator hears it before the summary. */
bool store_cluster_name_free(struct store *s, long long owner_id,
                             const char *name, const char *except,
                             struct store_error *err);
/* Deletes it, through the change path, as store_cluster_save decides.
 * While any grant selects it: STORE_REFUSED, "cluster C61A6DB801 cannot
 * be deleted: the grants of kal738, znu300 select it" (the schema's
 * refusal; store_cluster_users lists them all). */
bool store_cluster_delete(struct store *s, const char *operator_login,
                          const char *short_name, int version,
                          struct store_error *err);

/* The users whose grants select the cluster, by name then login: one
 * statement (grant_clusters_cluster, then the grants and users by key);
 * *out is the caller's to free(). No such cluster: false with "no cluster
 * \"SHORT\"", SQLSTATE "". */
/* A user a cluster narrows (its users, the what-if's). */
struct store_cluster_user {
	long long id;
	char login[65];
	char name[STORE_LIST_TEXT]; /* "Last, First" */
};
bool store_cluster_users(struct store *s, const char *short_name,
                         struct store_cluster_user **out, int *n,
                         struct store_error *err);

/* The what-if of the cluster's members becoming members[0..n) (codes),
 * before a save: one statement reads the grants (organisation, clusters)
 * of every user whose grants select it (a disabled one, who reaches
 * nothing either way, counts only among the grants emptied), with the user's
 * id, login and name; engine_cluster_what_if decides on them with the cluster
 * as w holds it (the session reloads the world when the database announces a
 * change). Nothing is loaded into w. An unknown cluster or member code:
 * false, SQLSTATE "", "no cluster \"SHORT\"" or "no organisation
 * \"X\""; a grant naming an organisation or cluster w does not hold (the
 * database changed since w was loaded): false, saying so. */
struct store_what_if {
	struct engine_what_if e;          /* e.users[i].user indexes users */
	struct store_cluster_user *users; /* every affected user */
	int n_users;
};
bool store_cluster_what_if(struct store *s, const struct engine_world *w,
                           const struct store_ids *ids, const char *short_name,
                           const char *const *members, int n,
                           struct store_what_if *out, struct store_error *err);
void store_what_if_free(struct store_what_if *wi);

/* ---- Study Configure (src/store/studies.c) ---------------------------- */

/* A study's user access list as the tab reads it: the study's version and
 * its entries' users by database id, in stored order. The entries' roles,
 * the users' names and sites come from the world, into which the tab loads
 * these users (store_load_users_by_id). No such study: false, SQLSTATE "",
 * "no study \"CODE\"". */
struct store_study_list {
	int version;
	long long *users;
	int n;
};
bool store_study_entries(struct store *s, const char *code,
                         struct store_study_list *out, struct store_error *err);
void store_study_list_free(struct store_study_list *l);

/* A user's name as lists show it, "Last, First" (either alone when the
 * other is ""). */
void store_user_name_text(const struct engine_user *u, char *buf, size_t len);
/* A user's site restrictions as the list shows them, "A01AAA, B01BBB
 * (recruitment only)" ("" for none), and profile roles ("Investigator,
 * Recruiter"). */
void store_user_sites_text(const struct engine_world *w, int v, char *buf,
                           size_t len);
void store_user_roles_text(const struct engine_world *w, int v, char *buf,
                           size_t len);

/* Sorts engine user ids by Name (Last, First), then User ID, as the Users
 * list sorts them (byte order); false when out of memory (left as they
 * were). */
bool store_users_by_name(const struct engine_world *w, int *users, int n);

/* Import's filter: a site's code and a study-domain role's name, each NULL
 * or "" when unused (at least one is used). */
struct store_study_filter {
	const char *site, *role;
};
/* One candidate: not listed yet, and engine_import_candidate says so.
 * The four texts share one allocation (a national list holds hundreds of
 * thousands). */
struct store_study_person {
	const char *login;
	const char *name;  /* "Last, First" */
	const char *sites; /* store_user_sites_text */
	const char *roles; /* store_user_roles_text */
	char *text_;       /* owned: the four */
};
/* The candidates for importing into the study, by name then User ID: one
 * statement per filter's shape names the users the filter's data lets
 * through (site restrictions, profile roles, enabled, not listed); they
 * are loaded into a world of their own (their study profiles, not their
 * grants) and the engine decides each. An unknown study, site or role:
 * false, SQLSTATE "", saying which. Free with store_study_people_free. */
bool store_study_candidates(struct store *s, const char *code,
                            const struct store_study_filter *f,
                            struct store_study_person **out, int *n,
                            struct store_error *err);
void store_study_people_free(struct store_study_person *p, int n);

/* The changes of the tab, each one store_change() with target kind
 * "study" and the study's code: the study's row locked and its version
 * checked against `version` (the list as read: STORE_CONFLICT naming who
 * changed it and when), decided on the transaction's snapshot by
 * engine_may_configure_study (STORE_REFUSED with the explanation), written
 * (the study's version goes up by one), audited with the list before and
 * after.
 * Import adds the users (logins) at the end of the list, each with the
 * filter's role (none: all profile roles); each must be a candidate for
 * the filter (engine_import_candidate) and not listed, else STORE_REFUSED
 * naming the first that is not. */
bool store_study_import(struct store *s, const char *operator_login,
                        const char *code, int version,
                        const struct store_study_filter *f,
                        const char *const *logins, int n,
                        struct store_error *err);
/* The entry's role: role NULL or "" for all profile roles, else one of the
 * user's profile roles (else STORE_REFUSED saying it is not). The user
 * must be listed. *changed: false when the role was already that one
 * (nothing written, no audit). */
bool store_study_set_role(struct store *s, const char *operator_login,
                          const char *code, int version, const char *login,
                          const char *role, bool *changed,
                          struct store_error *err);
/* Deletes the entries of these users (each listed, else STORE_CONFLICT). */
bool store_study_remove(struct store *s, const char *operator_login,
                        const char *code, int version,
                        const char *const *logins, int n,
                        struct store_error *err);
/* How many users the study would be open to, that it is not open to now,
 * once its list has no entry (engine_study_opened_by_emptying): one
 * statement names the enabled users with a profile role whose restricted
 * studies and site restrictions do not shut them out, plus the listed
 * ones; they are loaded into a world of their own and the engine decides
 * each. */
bool store_study_opened_by_emptying(struct store *s, const char *code, long *n,
                                    struct store_error *err);

/* Past how many users named a world of their own holds every user's
 * study profile (plain scans) rather than theirs alone (0: the default,
 * 400,000): for the tests, which run both ways. */
void store_study_set_everyone_at(int n);

/* ---- the settings (src/store/studies.c) ------------------------------- */

bool store_settings_read(struct store *s, struct engine_settings *set,
                         int *version, struct store_error *err);
/* How many users would lose access to a study they have now were the
 * settings `to` (engine_settings_shut_out): only a switch turned on shuts
 * anyone out; one statement names the enabled users with a profile role
 * it can touch (no site restriction, no restricted study), loaded into a
 * world of their own. */
bool store_settings_shut_out(struct store *s, const struct engine_settings *to,
                             long *n, struct store_error *err);
/* Saves the switches (one change, target kind "settings"): locked,
 * version-checked, engine_may_change_settings (access.grant_any over a
 * root), audited. *changed false when they were already so. */
bool store_settings_save(struct store *s, const char *operator_login,
                         int version, const struct engine_settings *to,
                         bool *changed, struct store_error *err);

/* ---- the audit trail (src/store/audit.c) ------------------------------ */

/* The Audit tab's and `accessdesk audit`'s filters; NULL or "": not
 * filtered. Target: the record's target or, for a grant ("login/ORG"),
 * its user, in any case. Operator: as stored. Kind: a target kind
 * (store_target_kinds, or "database" / "organisations" for a seed or an
 * import). From and to: times as PostgreSQL reads them ("2026-12-01",
 * "2026-12-01 14:30"), from inclusive, to exclusive; the caller turns
 * what is typed into the moment after it for `to` (STORE_TIME_UNIT_END). */
enum store_audit_filter {
	AUDIT_TARGET,
	AUDIT_OPERATOR,
	AUDIT_KIND,
	AUDIT_FROM,
	AUDIT_TO,
	AUDIT_FILTERS
};
struct store_audit_query {
	const char *f[AUDIT_FILTERS];
};
/* The filter's name as the tab and the command line say it. */
extern const char *const store_audit_filter_names[AUDIT_FILTERS];
/* The kinds a record may have, for the kind filter's check and menu. */
#define STORE_AUDIT_KINDS 9
extern const char *const store_audit_kinds[STORE_AUDIT_KINDS];

/* A time as an operator types it: "YYYY-MM-DD" or "DD/MM/YYYY" (the
 * console's order), either with " HH:MM" or " HH:MM:SS" after it (or "T"
 * between), spaces around it no matter; into iso ("YYYY-MM-DD HH:MM:SS",
 * the server's time zone). A date alone is its first moment, and a time
 * is what it says (STORE_TIME_AS_TYPED: a range's start); with
 * STORE_TIME_DAY_END a date alone is the next day's first moment (as of
 * 01/12/2026: at the end of that day; as of 01/12/2026 10:00: then); with
 * STORE_TIME_UNIT_END whatever is typed is taken whole, the moment after
 * the day, minute or second typed (a range's end: "to 10:00" takes in
 * that minute). False when it is none of these or no such day or time. */
enum store_time_end {
	STORE_TIME_AS_TYPED,
	STORE_TIME_DAY_END,
	STORE_TIME_UNIT_END
};
bool store_time_parse(const char *text, enum store_time_end end, char *iso,
                      size_t len);

/* One record as the list shows it. */
struct store_audit_row {
	long long seq; /* the place in the chain: the record's number */
	char at[20];   /* DD/MM/YYYY HH:MM:SS */
	char operator_login[65];
	char action[33];
	char kind[17];
	char target[STORE_LIST_TEXT];
};
/* What the operator may read: the records touching an organisation where
 * they have audit.view (access-model.md section 5, "read the audit
 * trail"), as store_reach_of(ENGINE_ACT(ACT_AUDIT_VIEW)) says. */
bool store_audit_reach(const struct engine_world *w,
                       const struct store_ids *ids, int op,
                       struct store_reach *r);
/* One page of the trail, newest first: the records older than `after`
 * (0: from the newest), or with `newer` the n records just newer than
 * `after`, still newest first; *got how many. One statement per shape
 * (each filter given or not, the reach everything or not) from constant
 * fragments, each an index scan in the chain's order. */
bool store_audit_page(struct store *s, const struct store_reach *reach,
                      const struct store_audit_query *q, long long after,
                      bool newer, int n, struct store_audit_row *rows, int *got,
                      struct store_error *err);
/* The Audit tab's count of q in two steps, as store_users_count_start
 * (store_count_estimate, store_count_ask): the estimate returned. */
long store_audit_count_start(struct store *s, struct store_count *c,
                             const struct store_reach *reach,
                             const struct store_audit_query *q, void *owner,
                             store_count_fn *fn, struct store_error *err);
/* How many records the same query lists. */
long store_audit_count(struct store *s, const struct store_reach *reach,
                       const struct store_audit_query *q,
                       struct store_error *err);
/* One record's before and after as JSON text (NULL where there is none:
 * a creation, a deletion) and the row; false with SQLSTATE "" when the
 * operator may not read it or there is no such record. malloc'd texts,
 * freed by store_audit_record_free. */
struct store_audit_record {
	struct store_audit_row row;
	char *before, *after;
};
bool store_audit_read(struct store *s, const struct store_reach *reach,
                      long long seq, struct store_audit_record *out,
                      struct store_error *err);
void store_audit_record_free(struct store_audit_record *r);

/* What one record changed (src/store/audit_changes.c), from the record as
 * store_audit_read gave it: only what differs, in the forms' order, the
 * record's own fields first, then a user's grants one group each (a grant
 * record: its grant's group). A value: old and now as text (NULL: none;
 * booleans in words). A list (is_list): old the items removed, now the
 * items added, ", "-separated (NULL: none). A grant added or removed has
 * the field "grant" naming it ("lat04 - LatOrg04") in old or now. A
 * creation gives everything after holds, a deletion everything before
 * held. */
struct store_audit_change {
	char *group; /* NULL: the record's own; "Grant lat04" */
	char *field; /* the snapshot's key: "email", "roles", "grant" */
	bool is_list;
	char *old, *now;
};
struct store_audit_changes {
	struct store_audit_change *v;
	int n;
};
bool store_audit_changes(struct store *s, const struct store_audit_record *rec,
                         struct store_audit_changes *out,
                         struct store_error *err);
void store_audit_changes_free(struct store_audit_changes *c);

/* `accessdesk audit`: the records the query lists, oldest first, streamed
 * (single-row mode) to row, STORE_AUDIT_COLUMNS fields each. Returns the
 * rows written, -1 on error. */
#define STORE_AUDIT_COLUMNS 10
extern const char *const store_audit_columns[STORE_AUDIT_COLUMNS];
long store_audit_export(struct store *s, const struct store_reach *reach,
                        const struct store_audit_query *q, store_row_fn *row,
                        void *ctx, struct store_error *err);

/* `accessdesk audit verify`: recomputes every record's hash and walks the
 * chain from the first record to the head. */
enum store_chain_fault {
	CHAIN_SOUND,
	CHAIN_EDITED,   /* the record's content no longer gives its hash */
	CHAIN_INSERTED, /* a record that is not the next of the chain */
	CHAIN_REMOVED,  /* the record the chain needs here is gone */
};
struct store_chain_check {
	long long checked; /* records checked */
	enum store_chain_fault fault;
	long long seq;  /* the record named (CHAIN_REMOVED: the one missing) */
	long long id;   /* its id, 0 when it is gone */
	char what[512]; /* the fault in words */
	char head[65];  /* the head's hash (hex), when sound */
};
bool store_audit_verify(struct store *s, struct store_chain_check *out,
                        struct store_error *err);

#endif
