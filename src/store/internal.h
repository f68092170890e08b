/* internal.h: what the store's files share and nobody else sees. */
#ifndef ACCESSDESK_STORE_INTERNAL_H
#define ACCESSDESK_STORE_INTERNAL_H

#include "accessdesk/fields.h"
#include "accessdesk/store.h"

/* A text[] literal of the items, each double-quoted with \ and " escaped;
 * malloc'd, NULL when out of memory. */
char *store_text_array(const char *const *items, int n);
/* The same for database ids: "{1,2,3}" ("{}" for none), malloc'd; NULL
 * when out of memory. The one way a bigint[] parameter is written. */
char *store_id_array(const long long *ids, int n);

/* validate.c: a field rule (fields.h): true when value keeps it, else
 * false with STORE_INVALID and the rule's message. */
bool store_field_ok(enum field f, const char *value, struct store_error *err);

/* load.c: a world of part of the database, for a change's decision: the
 * organisations whose database ids are in the bigint[] literal org_ids
 * (which must hold every ancestor of each), every role, the clusters and
 * studies of cluster_ids and study_ids (their owners, members and sites
 * among org_ids), the settings, and the users of the text[] literal
 * logins with their grants, profiles and study entries (everything they
 * name among what was loaded). Entry counts of the loaded studies are the
 * database's. NULL on error. */
struct engine_world *store_load_part(struct store *s, const char *org_ids,
                                     const char *cluster_ids,
                                     const char *study_ids, const char *logins,
                                     struct store_ids *ids,
                                     struct store_error *err);

/* load.c: store_load_users_by_id without the users' grants, for a world
 * that decides study access alone (studies.c's counts and candidates). */
bool store_load_study_users_by_id(struct store *s, struct engine_world *w,
                                  struct store_ids *ids,
                                  const long long *db_ids, int n,
                                  struct store_error *err);
/* user_list.c: a statement from its constant fragments, into buf; false
 * when it does not fit. */
bool store_sql_join(char *buf, size_t cap, const char *const *parts, int n);
/* user_list.c: a list statement (the Users list's numbering of its
 * parameters) with its parameters' values and types; store_list_stmt_free
 * frees what it owns. */
#define STORE_LIST_PARAMS 12
/* What the connection's backend holds of the Users list's keys table
 * (user_list.c): built for the reach `reach` (with the operator) when
 * list_changes stood at n. A new backend (store_reconnect) has none. */
struct store_keys {
	bool built;
	long long n;
	char *reach;
};
struct store_keys *store_keys_of(struct store *s);

/* The planner's plan of sql (EXPLAIN), one line per plan line, in plan:
 * for the plan test and for diagnosis. */
bool store_explain(struct store *s, const char *sql, int n_params,
                   const Oid *types, const char *const *params, char *plan,
                   size_t cap, struct store_error *err);

struct store_list_stmt {
	char sql[4096];
	const char *v[STORE_LIST_PARAMS];
	const Oid *types;
	char limit[16];
	char field[4];
	char after_id[24];
	char *search[3]; /* $4, $11, $12 */
};
void store_list_stmt_free(struct store_list_stmt *st);
/* The statement counting what store_users_page lists (one row, one
 * bigint), for store_users_count and for a count sent on its own. */
bool store_users_count_stmt(const struct store_reach *reach,
                            const char *operator_login,
                            const struct store_user_query *q,
                            struct store_list_stmt *st,
                            struct store_error *err);
/* Tells the store_on_wait() handler that a statement is under way (true)
 * or done (false): for the statements not sent through store_exec (the
 * report's rows, streamed), so that ^C cancels them too. */
void store_wait(struct store *s, bool waiting);
/* user_list.c: the search's fragments (" AND ..." using $1, the visible
 * organisations, unless `everything`, and $4, the LIKE pattern), shared by
 * the Users list and the report; appended to parts (room for 3), the
 * number returned (0 without a search). */
int store_search_sql(const struct store_user_query *q, bool everything,
                     const char **parts);

/* change.c: in a change's lock step, as store_tx_lock_user for an
 * organisation: locks its row (code in any case) FOR UPDATE and checks
 * that its version is `version` (0: any), failing with STORE_CONFLICT
 * naming who changed it and when. *id gets its database id, stored (len
 * bytes) its code as stored. No such organisation: false with "no WHAT
 * \"CODE\"" (what: "organisation", "parent organisation"), SQLSTATE "". */
bool store_tx_lock_org(struct store_tx *tx, const char *code, int version,
                       const char *what, long long *id, char *stored,
                       size_t len);
/* The same for a cluster (its short name, compared exactly): "no cluster
 * \"SHORT\"" when there is none. */
bool store_tx_lock_cluster(struct store_tx *tx, const char *short_name,
                           int version, long long *id);
/* The same for a study (its code, compared exactly) and for the one
 * settings row. */
bool store_tx_lock_study(struct store_tx *tx, const char *code, int version,
                         long long *id);
bool store_tx_lock_settings(struct store_tx *tx, int version);

/* access.c, for Who has access? as of a past date (as_of.c): the one
 * list, its grants decided on w, what is shown decided by the viewer: the
 * operator op of world v.w (w itself for today's list). A viewer on
 * another world names its users and organisations by login and code;
 * load (NULL when v.w is w) loads the candidates (logins) into v.w first,
 * so that their visibility is decided there. */
struct store_access_viewer {
	struct engine_world *w;
	int op;
	bool (*load)(void *ctx, const char *const *logins, int n,
	             struct store_error *err);
	void *ctx;
};
/* The list of store_who_has_access for organisation org (an engine id of
 * w), seen by view; no refusal (the caller asks store_access_refused of
 * the viewer's world). */
bool store_access_viewed(struct store *s, struct engine_world *w,
                         struct store_ids *ids,
                         const struct store_access_viewer *view, int org,
                         int action, struct store_access *out,
                         struct store_error *err);
/* True (STORE_REFUSED, the engine's explanation in err) when op lacks
 * users.view over org. */
bool store_access_refused(const struct engine_world *w, int op, int org,
                          struct store_error *err);
/* The first role of grant gid that counts for a row of the list at org
 * (acts there, with the action if one is asked): the role the row's
 * access rests on; -1 when none does. */
int store_access_deciding_role(const struct engine_world *w, int gid, int org,
                               int action);

#endif
