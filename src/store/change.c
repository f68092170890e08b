/* change.c: the one change path. Every change of the console and the
 * command line runs through store_change(): one SERIALIZABLE transaction
 * that locks, reads the audit's before, loads a snapshot of just what the
 * decision needs, lets the engine decide, writes, audits and commits, and
 * is run again from the start when PostgreSQL reports a serialization
 * failure or a deadlock.
 *
 * Why SERIALIZABLE: the lock-out rule reads every enabled root System
 * Administrator and each change writes one of them; two concurrent saves
 * disabling the last two would each see the other still enabled (write
 * skew). Serializable snapshot isolation aborts one of them; its retry
 * reads the other's commit and the engine refuses it. The operator's own
 * row is locked too (FOR SHARE): a change to the operator (every change to
 * a user writes its row) committed after this transaction's snapshot makes
 * the lock fail with a serialization failure, so the retry decides on the
 * operator's access as it now is.
 *
 * Since the audit trail became a hash chain (sql/013_audit_chain.sql),
 * every change first takes the chain's lock, before its snapshot: changes
 * run one after another, each deciding on the commits before it, and the
 * chain never forks. SERIALIZABLE stays, for any writer that does not
 * queue (a trigger's row lock keeps those off the chain's fork, a
 * serialization failure sends them round again). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define CHANGE_TRIES 5

const char *const store_target_kinds[STORE_TARGET_COUNT] = {
    [STORE_TARGET_USER] = "user",         [STORE_TARGET_GRANT] = "grant",
    [STORE_TARGET_CLUSTER] = "cluster",   [STORE_TARGET_STUDY] = "study",
    [STORE_TARGET_ORG] = "organisation",  [STORE_TARGET_ROLE] = "role",
    [STORE_TARGET_SETTINGS] = "settings",
};

/* What the snapshot must hold, named by the change's need step. */
struct need {
	char **logins, **orgs, **clusters, **studies;
	int n_logins, n_orgs, n_clusters, n_studies;
	bool nomem;
};

struct store_tx {
	struct store *s;
	const struct store_change *c;
	struct store_error *err;
	struct need need;
	struct engine_world *w;
	struct store_ids ids;
	int op;
	int v; /* the change's user in the snapshot, -1 for none */
	bool unchanged;
};

struct store *store_tx_store(struct store_tx *tx)
{
	return tx->s;
}

struct store_error *store_tx_err(struct store_tx *tx)
{
	return tx->err;
}

const char *store_tx_operator(struct store_tx *tx)
{
	return tx->c->operator_login;
}

struct engine_world *store_tx_world(struct store_tx *tx)
{
	return tx->w;
}

const struct store_ids *store_tx_ids(struct store_tx *tx)
{
	return &tx->ids;
}

int store_tx_op(struct store_tx *tx)
{
	return tx->op;
}

void store_tx_unchanged(struct store_tx *tx)
{
	tx->unchanged = true;
}

/* A statement of a change failed: a refusal by one of the schema's
 * invariants that an operator's change may meet (sql/003_invariants.sql:
 * a cycle, a member not below its owner or taken out of it, a cluster
 * not owned or in use, a role of the wrong domain or with no action, a
 * grant with no role, a site in use, an organisation or role something
 * depends on) is the change's refusal, STORE_REFUSED, in the trigger's
 * words and hint. The others (a built-in role changed, a user or the
 * settings row deleted, the catalogue or the audit trail written, an
 * unknown audit target) are the program's faults and keep their code. */
static void schema_refusal(struct store_tx *tx)
{
	static const char *const refusals[] = {
	    "AD001", "AD002", "AD003", "AD004", "AD005", "AD006", "AD007",
	    "AD009", "AD010", "AD011", "AD012", "AD014", "AD017"};
	for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++)
		if (strcmp(tx->err->sqlstate, refusals[i]) == 0)
			snprintf(tx->err->sqlstate, sizeof tx->err->sqlstate,
			         "%s", STORE_REFUSED);
}

bool store_tx_run(struct store_tx *tx, const char *sql, int n_params,
                  const char *const *params)
{
	if (store_run(tx->s, sql, n_params, params, tx->err))
		return true;
	schema_refusal(tx);
	return false;
}

PGresult *store_tx_exec(struct store_tx *tx, const char *sql, int n_params,
                        const char *const *params)
{
	PGresult *r =
	    store_exec(tx->s, sql, n_params, params, PGRES_TUPLES_OK, tx->err);
	if (!r)
		schema_refusal(tx);
	return r;
}

static bool need_add(struct store_tx *tx, char ***v, int *n, const char *name)
{
	if (store_names_find(*v, *n, name) >= 0 || store_names_add(v, n, name))
		return true;
	store_fail(tx->err, "", "out of memory");
	return false;
}

bool store_tx_need_user(struct store_tx *tx, const char *login)
{
	return need_add(tx, &tx->need.logins, &tx->need.n_logins, login);
}

bool store_tx_need_users(struct store_tx *tx, const char *const *logins, int n)
{
	struct need *nd = &tx->need;
	char **grown = realloc(
	    nd->logins, ((size_t)nd->n_logins + (size_t)n + 1) * sizeof *grown);
	if (!grown) {
		store_fail(tx->err, "", "out of memory");
		return false;
	}
	nd->logins = grown;
	for (int i = 0; i < n; i++) {
		if (!(grown[nd->n_logins] = strdup(logins[i]))) {
			store_fail(tx->err, "", "out of memory");
			return false;
		}
		nd->n_logins++;
	}
	return true;
}

bool store_tx_need_org(struct store_tx *tx, const char *code)
{
	return need_add(tx, &tx->need.orgs, &tx->need.n_orgs, code);
}

bool store_tx_need_cluster(struct store_tx *tx, const char *short_name)
{
	return need_add(tx, &tx->need.clusters, &tx->need.n_clusters,
	                short_name);
}

bool store_tx_need_study(struct store_tx *tx, const char *code)
{
	return need_add(tx, &tx->need.studies, &tx->need.n_studies, code);
}

static void tx_free(struct store_tx *tx)
{
	store_names_free(&tx->need.logins, &tx->need.n_logins);
	store_names_free(&tx->need.orgs, &tx->need.n_orgs);
	store_names_free(&tx->need.clusters, &tx->need.n_clusters);
	store_names_free(&tx->need.studies, &tx->need.n_studies);
	engine_world_free(tx->w);
	tx->w = NULL;
	store_ids_free(&tx->ids);
}

/* Does the reason name the organisation of one of v's grants that op
 * may not see ("lacks users.manage over X", and the checks nested under
 * it)? */
static bool names_hidden_grant(const struct engine_world *w, int op, int v,
                               const struct engine_reason *r)
{
	return r->why == WHY_ADMIN_LACKS && r->org >= 0 && v >= 0 &&
	       engine_grant_find(w, v, r->org) >= 0 &&
	       !engine_org_allows(w, op, ACT_USERS_VIEW, r->org, -1, NULL);
}

void store_explain_line(const struct engine_world *w, int op, int v,
                        const struct engine_explain *ex, char *buf, size_t len)
{
	size_t at = 0;
	int hidden = 0;
	bool skipping = false;
	const struct engine_reason *first_hidden = NULL;
	buf[0] = '\0';
	for (int i = 0; i < ex->n && at < len; i++) {
		const struct engine_reason *r = &ex->r[i];
		if (r->depth == 0)
			skipping = names_hidden_grant(w, op, v, r);
		if (skipping) {
			hidden += r->depth == 0;
			if (!first_hidden)
				first_hidden = r;
			continue;
		}
		char line[256];
		engine_reason_format(w, r, line, sizeof line);
		if (strstr(buf, line))
			continue; /* the grant as it was and as it will be */
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
		                       at ? "; " : "", line);
	}
	if (first_hidden && at < len)
		snprintf(buf + at, len - at,
		         "%s%s lacks %s where %s holds grants not shown (+%d)",
		         at ? "; " : "",
		         engine_user(w, first_hidden->user)->login,
		         engine_action_name(first_hidden->action),
		         engine_user(w, v)->login, hidden);
	if (!buf[0])
		snprintf(buf, len, "not allowed");
}

void store_tx_set_user(struct store_tx *tx, int v)
{
	tx->v = v;
}

bool store_tx_refuse(struct store_tx *tx, const struct engine_explain *ex,
                     const char *what)
{
	struct store_error *err = tx->err;
	int at = snprintf(err->message, sizeof err->message,
	                  "not allowed to %s: ", what);
	if (at > 0 && (size_t)at < sizeof err->message)
		store_explain_line(tx->w, tx->op, tx->v, ex, err->message + at,
		                   sizeof err->message - (size_t)at);
	snprintf(err->sqlstate, sizeof err->sqlstate, "%s", STORE_REFUSED);
	return false;
}

/* A row a change locks: how its lock reads it, and how the stale-screen
 * error finds the latest change to it in the audit trail. */
struct row_kind {
	/* $1 the key as given: id, version and the key as stored */
	const char *lock_sql;
	/* $1 the key as stored: operator, time and action of the latest
	 * change to it */
	const char *last_sql;
};

#define LAST_CHANGE                                                            \
	"SELECT operator, to_char(at, 'DD/MM/YYYY HH24:MI:SS'), action FROM "  \
	"audit WHERE "

/* A user is changed by its details and by one grant at a time (the
 * index audit_user_changes of sql/007_change.sql serves this). */
static const struct row_kind user_row = {
    "SELECT id, version, login FROM users WHERE login = $1 FOR UPDATE",
    LAST_CHANGE "target_kind IN ('user', 'grant') AND split_part(target, "
                "'/', 1) = $1 ORDER BY id DESC LIMIT 1",
};

/* An organisation's audit target is its code as stored. */
static const struct row_kind org_row = {
    "SELECT id, version, code FROM organisations WHERE lower(code) = "
    "lower($1) FOR UPDATE",
    LAST_CHANGE "target_kind = 'organisation' AND target = $1 ORDER BY id "
                "DESC LIMIT 1",
};

/* A cluster's audit target is its short name (audit_target serves the
 * look-up). */
static const struct row_kind cluster_row = {
    "SELECT id, version, short_name FROM clusters WHERE short_name = $1 "
    "FOR UPDATE",
    LAST_CHANGE "target_kind = 'cluster' AND target = $1 ORDER BY id DESC "
                "LIMIT 1",
};

/* A study's audit target is its code (studies change by their user
 * access lists). */
static const struct row_kind study_row = {
    "SELECT id, version, code FROM studies WHERE code = $1 FOR UPDATE",
    LAST_CHANGE "target_kind = 'study' AND target = $1 ORDER BY id DESC "
                "LIMIT 1",
};

/* The one settings row; its audit target is "settings". */
static const struct row_kind settings_row = {
    "SELECT id, version, $1::text FROM settings FOR UPDATE",
    LAST_CHANGE "target_kind = 'settings' AND target = $1 ORDER BY id DESC "
                "LIMIT 1",
};

/* The stale-screen error: who changed the row last, and when. */
static bool conflict(struct store_tx *tx, const struct row_kind *k,
                     const char *key, int version, int read_at)
{
	const char *p[] = {key};
	PGresult *r =
	    store_exec(tx->s, k->last_sql, 1, p, PGRES_TUPLES_OK, tx->err);
	if (r && PQntuples(r) == 1)
		store_fail(tx->err, STORE_CONFLICT,
		           "%s was changed by %s at %s (%s) after this form "
		           "was read",
		           key, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
		           PQgetvalue(r, 0, 2));
	else if (r)
		store_fail(tx->err, STORE_CONFLICT,
		           "%s was changed (version %d, form read at %d)", key,
		           version, read_at);
	PQclear(r);
	return false;
}

/* Locks the row of key FOR UPDATE and checks its version (0: any); *id
 * gets its database id, stored (when not NULL) its key as stored. No such
 * row: "no WHAT \"KEY\"". */
static bool lock_row(struct store_tx *tx, const struct row_kind *k,
                     const char *what, const char *key, int version,
                     long long *id, char *stored, size_t len)
{
	const char *p[] = {key};
	PGresult *r =
	    store_exec(tx->s, k->lock_sql, 1, p, PGRES_TUPLES_OK, tx->err);
	if (!r)
		return false;
	if (PQntuples(r) != 1) {
		PQclear(r);
		store_fail(tx->err, "", "no %s \"%s\"", what, key);
		return false;
	}
	*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	int now = atoi(PQgetvalue(r, 0, 1));
	char as_stored[160];
	snprintf(as_stored, sizeof as_stored, "%s", PQgetvalue(r, 0, 2));
	PQclear(r);
	if (stored)
		snprintf(stored, len, "%s", as_stored);
	if (version != 0 && now != version)
		return conflict(tx, k, as_stored, now, version);
	return true;
}

bool store_tx_lock_user(struct store_tx *tx, const char *login, int version,
                        long long *id)
{
	return lock_row(tx, &user_row, "user", login, version, id, NULL, 0);
}

bool store_tx_lock_org(struct store_tx *tx, const char *code, int version,
                       const char *what, long long *id, char *stored,
                       size_t len)
{
	return lock_row(tx, &org_row, what, code, version, id, stored, len);
}

bool store_tx_lock_cluster(struct store_tx *tx, const char *short_name,
                           int version, long long *id)
{
	return lock_row(tx, &cluster_row, "cluster", short_name, version, id,
	                NULL, 0);
}

bool store_tx_lock_study(struct store_tx *tx, const char *code, int version,
                         long long *id)
{
	return lock_row(tx, &study_row, "study", code, version, id, NULL, 0);
}

bool store_tx_lock_settings(struct store_tx *tx, int version)
{
	long long id;
	return lock_row(tx, &settings_row, "settings", "settings", version, &id,
	                NULL, 0);
}

/* ---- the snapshot ----------------------------------------------------- */

/* From the names the change gave, the database ids of what the snapshot
 * holds: the users (those named, the operator, and every enabled user
 * holding System Administrator on a root through a grant with no cluster,
 * for the lock-out rule), the clusters their grants select and those
 * named, the studies their profiles and entries name and those named, and
 * every organisation these name or stand in, with all its ancestors; and
 * below the organisations named, those of the named users' grants but the
 * operator's ($5), and the members of the clusters named or selected by
 * those grants, every descendant: a grant's reach is whole subtrees, and
 * the escalation rule asks about every organisation in it (a View at a
 * practice reaches the site below it). One statement; each part an index
 * scan from what names it. */
static const char snapshot_sql[] =
    "WITH RECURSIVE "
    "u AS (SELECT id FROM users WHERE login = ANY($1::text[]) "
    "  UNION SELECT g.user_id FROM grants g "
    "  JOIN organisations o ON o.id = g.org_id AND o.parent_id IS NULL "
    "  JOIN grant_roles gr ON gr.grant_id = g.id "
    "  JOIN roles r ON r.id = gr.role_id AND r.builtin "
    "   AND r.name = 'System Administrator' "
    "  JOIN users a ON a.id = g.user_id AND a.enabled "
    "  WHERE NOT EXISTS (SELECT 1 FROM grant_clusters gc "
    "   WHERE gc.grant_id = g.id)), "
    "c AS (SELECT gc.cluster_id AS id FROM grants g "
    "  JOIN grant_clusters gc ON gc.grant_id = g.id "
    "  WHERE g.user_id IN (SELECT id FROM u) "
    "  UNION SELECT id FROM clusters WHERE short_name = ANY($3::text[])), "
    "s AS (SELECT study_id AS id FROM restricted_studies "
    "  WHERE user_id IN (SELECT id FROM u) "
    "  UNION SELECT study_id FROM study_access "
    "  WHERE user_id IN (SELECT id FROM u) "
    "  UNION SELECT id FROM studies WHERE code = ANY($4::text[])), "
    "seed AS (SELECT org_id AS id FROM grants "
    "  WHERE user_id IN (SELECT id FROM u) "
    "  UNION SELECT site_id FROM site_restrictions "
    "  WHERE user_id IN (SELECT id FROM u) "
    "  UNION SELECT owner_id FROM clusters WHERE id IN (SELECT id FROM c) "
    "  UNION SELECT org_id FROM cluster_members "
    "  WHERE cluster_id IN (SELECT id FROM c) "
    "  UNION SELECT site_id FROM studies WHERE id IN (SELECT id FROM s) "
    "  UNION SELECT id FROM organisations "
    "  WHERE lower(code) = ANY($2::text[])), "
    "up AS (SELECT id FROM seed UNION SELECT o.parent_id FROM up "
    "  JOIN organisations o ON o.id = up.id "
    "  WHERE o.parent_id IS NOT NULL), "
    "t AS (SELECT g.id, g.org_id FROM grants g "
    "  JOIN users v ON v.id = g.user_id "
    "  WHERE v.login = ANY($1::text[]) AND v.login <> $5), "
    "down AS (SELECT id FROM organisations "
    "  WHERE lower(code) = ANY($2::text[]) "
    "  UNION SELECT org_id FROM t "
    "  UNION SELECT org_id FROM cluster_members WHERE cluster_id IN "
    "  (SELECT id FROM clusters WHERE short_name = ANY($3::text[]) "
    "   UNION SELECT cluster_id FROM grant_clusters "
    "   WHERE grant_id IN (SELECT id FROM t)) "
    "  UNION SELECT o.id FROM down "
    "  JOIN organisations o ON o.parent_id = down.id) "
    "SELECT ARRAY(SELECT id FROM up UNION SELECT id FROM down "
    "  ORDER BY id), "
    "  ARRAY(SELECT id FROM c ORDER BY id), "
    "  ARRAY(SELECT id FROM s ORDER BY id), "
    "  ARRAY(SELECT login FROM users WHERE id IN (SELECT id FROM u) "
    "   ORDER BY id)";

static bool load_snapshot(struct store_tx *tx)
{
	struct need *n = &tx->need;
	/* organisation codes are compared case-insensitively */
	for (int i = 0; i < n->n_orgs; i++)
		for (char *c = n->orgs[i]; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
	if (!store_tx_need_user(tx, tx->c->operator_login))
		return false;
	char *lit[4] = {
	    store_text_array((const char *const *)n->logins, n->n_logins),
	    store_text_array((const char *const *)n->orgs, n->n_orgs),
	    store_text_array((const char *const *)n->clusters, n->n_clusters),
	    store_text_array((const char *const *)n->studies, n->n_studies),
	};
	PGresult *r = NULL;
	bool ok = lit[0] && lit[1] && lit[2] && lit[3];
	const char *p[] = {lit[0], lit[1], lit[2], lit[3],
	                   tx->c->operator_login};
	if (!ok)
		store_fail(tx->err, "", "out of memory");
	else
		r = store_tx_exec(tx, snapshot_sql, 5, p);
	ok = r != NULL;
	if (ok && PQntuples(r) != 1) {
		store_fail(tx->err, "", "snapshot: expected one row, got %d",
		           PQntuples(r));
		ok = false;
	}
	if (ok)
		tx->w =
		    store_load_part(tx->s, PQgetvalue(r, 0, 0),
		                    PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2),
		                    PQgetvalue(r, 0, 3), &tx->ids, tx->err);
	PQclear(r);
	for (int i = 0; i < 4; i++)
		free(lit[i]);
	if (!tx->w)
		return false;
	tx->op = engine_user_find(tx->w, tx->c->operator_login);
	if (tx->op < 0) {
		store_fail(tx->err, "", "no operator \"%s\"",
		           tx->c->operator_login);
		return false;
	}
	return true;
}

/* ---- the transaction -------------------------------------------------- */

bool store_audit_record(struct store *s, const char *operator_login,
                        const char *action, enum store_target kind,
                        const char *target, const char *before_json,
                        const char *before_orgs, struct store_error *err)
{
	/* the session's user as a text parameter: the name type's "C"
	 * collation would otherwise become the call's, and the functions'
	 * look-ups by login could use no index */
	const char *p[] = {operator_login ? operator_login
	                                  : store_session_user(s),
	                   action,
	                   store_target_kinds[kind],
	                   target,
	                   before_json,
	                   before_orgs};
	return store_run(s,
	                 "SELECT audit_record($1, $2, $3, $4, $5::jsonb, "
	                 "$6::bigint[])",
	                 6, p, err);
}

static bool attempt(struct store_tx *tx)
{
	const struct store_change *c = tx->c;
	const char *kind = store_target_kinds[c->kind];
	const char *op[] = {c->operator_login};
	const char *key[] = {kind, c->target};
	/* The audit chain's lock before the snapshot: changes queue for
	 * the chain rather than fail on it (sql/013_audit_chain.sql) */
	if (!store_run(tx->s, "BEGIN ISOLATION LEVEL SERIALIZABLE", 0, NULL,
	               tx->err) ||
	    !store_chain_lock(tx->s, tx->err))
		return false;
	/* the first statement takes the snapshot: the operator's row */
	if (!store_tx_run(tx, "SELECT 1 FROM users WHERE login = $1 FOR SHARE",
	                  1, op) ||
	    (c->lock && !c->lock(tx, c->ctx)))
		return false;
	PGresult *before = store_tx_exec(
	    tx, "SELECT audit_snapshot($1, $2), audit_org_ids($1, $2)", 2, key);
	if (!before)
		return false;
	bool ok = PQntuples(before) == 1;
	if (!ok)
		store_fail(tx->err, "", "audit: expected one row, got %d",
		           PQntuples(before));
	ok = ok && (!c->need || c->need(tx, c->ctx)) && load_snapshot(tx) &&
	     (!c->decide || c->decide(tx, c->ctx)) && c->write(tx, c->ctx);
	if (ok && !tx->unchanged)
		ok = store_audit_record(
		    tx->s, c->operator_login, c->action, c->kind, c->target,
		    PQgetisnull(before, 0, 0) ? NULL : PQgetvalue(before, 0, 0),
		    PQgetvalue(before, 0, 1), tx->err);
	PQclear(before);
	if (!ok)
		return false;
	/* the invariants checked at commit (a role with no action, a grant
	 * with no role) refuse there */
	if (store_commit(tx->s, tx->err))
		return true;
	if (!store_connected(tx->s)) {
		/* the COMMIT went and no answer came back */
		store_fail(tx->err, "08007",
		           "the connection to the database was lost during the "
		           "commit: the change may or may not have been saved; "
		           "look before trying again");
		return false;
	}
	schema_refusal(tx);
	return false;
}

/* A change the database could not take for a reason of its own, not the
 * change's: said plainly, "not saved: ..." (the server's words after, for
 * a read-only database or a full disk; a lost connection's are libpq's
 * and say no more). A commit without its answer (08007) said so above. */
static void not_saved(struct store *s, struct store_error *err)
{
	const char *why;
	bool words = true;
	if (strcmp(err->sqlstate, "08007") == 0)
		return;
	if (!store_connected(s)) {
		why = "not connected to the database (the connection was "
		      "lost); nothing was written";
		words = false;
	} else if (strcmp(err->sqlstate, "25006") == 0)
		why = "the database is read-only";
	else if (strcmp(err->sqlstate, "53100") == 0)
		why = "the database's disk is full";
	else
		return;
	char state[sizeof err->sqlstate], server[sizeof err->message];
	snprintf(state, sizeof state, "%s", err->sqlstate);
	snprintf(server, sizeof server, "%s", err->message);
	store_fail(err, state, "not saved: %s%s%s", why, words ? ": " : "",
	           words ? server : "");
}

/* Serialization failure and deadlock: the transaction may succeed when
 * run again on fresh data. */
static bool retryable(const struct store_error *err)
{
	return strcmp(err->sqlstate, "40001") == 0 ||
	       strcmp(err->sqlstate, "40P01") == 0;
}

static struct store_change_stats stats;

void store_change_stats(struct store_change_stats *out)
{
	*out = stats;
}

bool store_change(struct store *s, const struct store_change *c,
                  struct store_error *err)
{
	for (int tries = 1;; tries++) {
		struct store_tx tx = {
		    .s = s, .c = c, .err = err, .op = -1, .v = -1};
		err->message[0] = '\0';
		err->sqlstate[0] = '\0';
		bool ok = attempt(&tx);
		tx_free(&tx);
		if (ok)
			return true;
		store_rollback(s);
		if (!retryable(err)) {
			not_saved(s, err);
			return false;
		}
		if (strcmp(err->sqlstate, "40001") == 0)
			stats.serialization_failures++;
		else
			stats.deadlocks++;
		if (tries == CHANGE_TRIES) {
			stats.busy++;
			store_fail(
			    err, STORE_BUSY,
			    "the database kept refusing to serialize this "
			    "change (%d tries): try again",
			    tries);
			return false;
		}
		/* a short pause, longer each time, so that two retries do
		 * not collide again */
		struct timespec pause = {0, (long)tries * 5000000L +
		                                (long)(rand() % 5000000)};
		nanosleep(&pause, NULL);
	}
}
