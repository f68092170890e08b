/* store.c: the connection and the one way statements are run. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/csv.h"
#include "accessdesk/store.h"
#include "accessdesk/text.h"
#include "internal.h"

struct store {
	PGconn *pg;
	store_notice_fn *notice;
	void *notice_ctx;
	char session_user[128];
	PGcancel *cancel; /* for store_cancel(), from a signal handler */
	void (*on_wait)(void *ctx, bool waiting);
	void *wait_ctx;
	struct store_keys keys; /* the backend's keys table (user_list.c) */
};

void store_fail(struct store_error *err, const char *state, const char *fmt,
                ...)
{
	if (!err)
		return;
	snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state ? state : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

/* libpq's messages end with a newline and may hold several lines and
 * tabs; ours are one line. */
static void chomp(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
}

static const char *str(const char *s)
{
	return s ? s : "";
}

/* ": " after a message's what, when there is one. */
static const char *what_sep(const char *what)
{
	return what && *what ? ": " : "";
}

static void fail_from_conn(struct store *s, const char *what,
                           struct store_error *err)
{
	bool lost = PQstatus(s->pg) == CONNECTION_BAD;
	const char *msg = PQerrorMessage(s->pg);
	store_fail(
	    err, lost ? "08006" : "", "%s%s%s%s", str(what), what_sep(what),
	    lost ? "connection lost (not connected to the database): " : "",
	    msg && *msg ? msg : "no answer from the server");
	if (err)
		chomp(err->message);
}

void store_fail_result(struct store *s, const char *what, const PGresult *r,
                       struct store_error *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *primary =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_HINT) : NULL;
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (!primary && st != PGRES_FATAL_ERROR && st != PGRES_NONFATAL_ERROR &&
	    st != PGRES_BAD_RESPONSE) {
		/* the statement ran but did not answer as expected */
		store_fail(err, "", "%s%sunexpected result %s", str(what),
		           what_sep(what), PQresStatus(st));
		return;
	}
	if (!primary) {
		fail_from_conn(s, what, err);
		return;
	}
	/* the hint says what to do instead ("Remove the member from the
	 * cluster first."): the schema's invariants give one */
	store_fail(err, state, "%s%s%s%s%s%s%s", str(what), what_sep(what),
	           primary, detail ? ": " : "", str(detail), hint ? ". " : "",
	           str(hint));
	if (err)
		chomp(err->message);
}

/* Until a command installs its own: the server's words never reach a
 * terminal as control sequences. */
static void default_notice(void *ctx, const char *message)
{
	(void)ctx;
	char clean[1024];
	text_sanitize(clean, sizeof clean, message, true);
	fprintf(stderr, "accessdesk: server: %s\n", clean);
}

static void receive_notice(void *arg, const PGresult *r)
{
	struct store *s = arg;
	const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	s->notice(s->notice_ctx, primary ? primary : "(notice)");
}

/* The settings of each new backend (a reconnection's too). */
static bool backend_settings(struct store *s, struct store_error *err)
{
	/* Short statements only: compiling them costs more than it saves.
	 * A client killed while its statement waits (on a lock, say) would
	 * leave its backend holding its locks until the wait ends: the
	 * server looks for the client every second instead, and ends the
	 * backend, rolling back, when it is gone (PostgreSQL 14 and later) */
	return store_run(s, "SET jit = off", 0, NULL, err) &&
	       (PQserverVersion(s->pg) < 140000 ||
	        store_run(s, "SET client_connection_check_interval = 1000", 0,
	                  NULL, err));
}

/* Connects with the keywords and values given (NULL-terminated) and makes
 * the connection the store's: notices, the cancel key, the session user,
 * no JIT. NULL on failure with the reason in err. */
static struct store *connect_params(const char *const *keys,
                                    const char *const *values,
                                    struct store_error *err)
{
	struct store *s = calloc(1, sizeof *s);
	if (!s) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
	s->pg = PQconnectdbParams(keys, values, 1);
	if (!s->pg || PQstatus(s->pg) != CONNECTION_OK) {
		store_fail(err, "08001", "cannot connect to the database: %s",
		           s->pg ? PQerrorMessage(s->pg) : "out of memory");
		if (err)
			chomp(err->message);
		PQfinish(s->pg);
		free(s);
		return NULL;
	}
	s->notice = default_notice;
	PQsetNoticeReceiver(s->pg, receive_notice, s);
	s->cancel = PQgetCancel(s->pg);
	PGresult *r = store_exec_rows(s, "session user", "SELECT session_user",
	                              0, NULL, 1, err);
	if (!r) {
		store_disconnect(s);
		return NULL;
	}
	snprintf(s->session_user, sizeof s->session_user, "%s",
	         PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!backend_settings(s, err)) {
		store_disconnect(s);
		return NULL;
	}
	return s;
}

struct store *store_connect(const char *conninfo, const char *service,
                            struct store_error *err)
{
	const char *keys[6], *values[6];
	int n = 0;
	if (conninfo && *conninfo) {
		keys[n] = "dbname";
		values[n++] = conninfo;
	}
	if (service && *service) {
		keys[n] = "service";
		values[n++] = service;
	}
	keys[n] = "fallback_application_name";
	values[n++] = "accessdesk";
	keys[n] = "client_encoding";
	values[n++] = "UTF8";
	keys[n] = NULL;
	values[n] = NULL;
	return connect_params(keys, values, err);
}

struct store *store_connect_like(struct store *s, const char *application_name,
                                 struct store_error *err)
{
	/* the options the first connection was made with, as libpq settled
	 * them (host, port, database, user, password, service, ...): the
	 * same server and database, whatever the configuration said */
	PQconninfoOption *opts = PQconninfo(s->pg);
	if (!opts) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
	int n = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		n++;
	const char **keys = calloc((size_t)n + 2, sizeof *keys);
	const char **values = calloc((size_t)n + 2, sizeof *values);
	struct store *t = NULL;
	if (!keys || !values) {
		store_fail(err, "", "out of memory");
	} else {
		int k = 0;
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (o->val && *o->val &&
			    strcmp(o->keyword, "application_name") != 0) {
				keys[k] = o->keyword;
				values[k++] = o->val;
			}
		keys[k] = "application_name";
		values[k++] = application_name;
		t = connect_params(keys, values, err);
	}
	free(keys);
	free(values);
	PQconninfoFree(opts);
	return t;
}

void store_disconnect(struct store *s)
{
	if (!s)
		return;
	PQfreeCancel(s->cancel);
	PQfinish(s->pg);
	free(s->keys.reach);
	free(s);
}

PGconn *store_pg(struct store *s)
{
	return s->pg;
}

const char *store_dbname(struct store *s)
{
	return PQdb(s->pg);
}

const char *store_session_user(struct store *s)
{
	return s->session_user;
}

void store_on_notice(struct store *s, store_notice_fn *fn, void *ctx)
{
	s->notice = fn ? fn : default_notice;
	s->notice_ctx = ctx;
}

bool store_reconnect(struct store *s, struct store_error *err)
{
	if (PQstatus(s->pg) == CONNECTION_OK)
		return true;
	/* host selection runs again: every server the conninfo names, in
	 * turn, with its target_session_attrs (a failover's new primary) */
	PQreset(s->pg);
	if (PQstatus(s->pg) == CONNECTION_OK) {
		/* a new backend: a new key to cancel its statements */
		PGcancel *old = s->cancel;
		s->cancel = PQgetCancel(s->pg);
		PQfreeCancel(old);
		s->keys.built = false; /* its temporary tables went with it */
		return backend_settings(s, err);
	}
	fail_from_conn(s, NULL, err);
	return false;
}

struct store_keys *store_keys_of(struct store *s)
{
	return &s->keys;
}

bool store_connected(struct store *s)
{
	return PQstatus(s->pg) == CONNECTION_OK;
}

bool store_hot_standby(struct store *s)
{
	/* a parameter the server reports at the start and again when it
	 * changes (a promotion), as libpq's target_session_attrs reads it */
	const char *v = PQparameterStatus(s->pg, "in_hot_standby");
	return v && strcmp(v, "on") == 0;
}

int store_socket(struct store *s)
{
	return PQsocket(s->pg);
}

int store_take_notifications(struct store *s, struct store_error *err)
{
	if (!PQconsumeInput(s->pg) || PQstatus(s->pg) != CONNECTION_OK) {
		fail_from_conn(s, NULL, err);
		return -1;
	}
	int n = 0;
	PGnotify *note;
	while ((note = PQnotifies(s->pg)) != NULL) {
		n++;
		PQfreemem(note);
	}
	return n;
}

void store_on_wait(struct store *s, void (*fn)(void *ctx, bool waiting),
                   void *ctx)
{
	s->on_wait = fn;
	s->wait_ctx = ctx;
}

void store_wait(struct store *s, bool waiting)
{
	if (s->on_wait)
		s->on_wait(s->wait_ctx, waiting);
}

bool store_cancel(struct store *s)
{
	char buf[256];
	return s->cancel && PQcancel(s->cancel, buf, sizeof buf);
}

/* Runs sql; the result when its status is `expect`, else NULL with err
 * set (the result cleared). */
static PGresult *exec(struct store *s, const char *what, const char *sql,
                      int n_params, const Oid *types, const char *const *params,
                      ExecStatusType expect, struct store_error *err)
{
	store_wait(s, true);
	PGresult *r =
	    PQexecParams(s->pg, sql, n_params, types, params, NULL, NULL, 0);
	store_wait(s, false);
	if (r && PQresultStatus(r) == expect)
		return r;
	store_fail_result(s, what, r, err);
	PQclear(r);
	return NULL;
}

PGresult *store_exec(struct store *s, const char *sql, int n_params,
                     const char *const *params, ExecStatusType expect,
                     struct store_error *err)
{
	return exec(s, NULL, sql, n_params, NULL, params, expect, err);
}

PGresult *store_exec_typed(struct store *s, const char *sql, int n_params,
                           const Oid *types, const char *const *params,
                           ExecStatusType expect, struct store_error *err)
{
	return exec(s, NULL, sql, n_params, types, params, expect, err);
}

/* A streamed statement's results (store_stream, store_copy_csv) are read
 * as they come: each of status `each` goes to its taker, which writes what
 * it holds and counts it, false with err set when that fails. */
typedef bool take_fn(struct store *s, PGresult *r, void *ctx, long *count,
                     struct store_error *err);

/* Sends sql (with its parameters; a row at a time with single_row) and
 * reads its results to the last: each of status `each` to take, `done`
 * the end, any other the server's error or the lost connection's. After a
 * failure the rest is drained unread and its errors (a cancel's) are not
 * reported. ^C cancels from the send to the last result. The count, or
 * -1 with err set. */
static long stream_results(struct store *s, const char *sql, int n_params,
                           const Oid *types, const char *const *params,
                           bool single_row, ExecStatusType each,
                           ExecStatusType done, take_fn *take, void *ctx,
                           struct store_error *err)
{
	store_wait(s, true);
	if (!PQsendQueryParams(s->pg, sql, n_params, types, params, NULL, NULL,
	                       0) ||
	    (single_row && !PQsetSingleRowMode(s->pg))) {
		store_wait(s, false);
		store_fail_result(s, NULL, NULL, err);
		return -1;
	}
	long count = 0;
	bool failed = false;
	PGresult *r;
	while ((r = PQgetResult(s->pg)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == each && !failed)
			failed = !take(s, r, ctx, &count, err);
		else if (st != each && st != done && !failed) {
			store_fail_result(s, NULL, r, err);
			failed = true;
		}
		PQclear(r);
	}
	store_wait(s, false);
	return failed ? -1 : count;
}

enum { STREAM_MOST_FIELDS = 32 };

/* store_stream's row and where it goes. */
struct stream_to {
	int n_fields;
	store_row_fn *row;
	void *ctx;
};

/* One row of single-row mode to its store_row_fn (NULL for SQL NULL). */
static bool take_row(struct store *s, PGresult *r, void *ctx, long *count,
                     struct store_error *err)
{
	(void)s;
	struct stream_to *to = ctx;
	const char *fields[STREAM_MOST_FIELDS];
	for (int i = 0; i < to->n_fields; i++)
		fields[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
	errno = 0; /* a failed write's reason (a full disk) */
	if (!to->row(to->ctx, fields)) {
		if (!err->message[0] && errno)
			store_fail(err, "", "could not write the rows: %s",
			           strerror(errno));
		else if (!err->message[0])
			store_fail(err, "", "could not write the rows");
		return false;
	}
	(*count)++;
	return true;
}

long store_stream(struct store *s, const char *sql, int n_params,
                  const Oid *types, const char *const *params, int n_fields,
                  store_row_fn *row, void *ctx, struct store_error *err)
{
	if (n_fields > STREAM_MOST_FIELDS) {
		store_fail(err, "", "internal: a streamed row of %d fields",
		           n_fields);
		return -1;
	}
	struct stream_to to = {n_fields, row, ctx};
	return stream_results(s, sql, n_params, types, params, true,
	                      PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK, take_row,
	                      &to, err);
}

/* The rows of a COPY OUT under way, to the FILE ctx (store_copy_csv),
 * counted; false with err set when one cannot be written or is not a
 * whole row. Then the rest would go nowhere: the statement is cancelled
 * and what the server already sent is drained. */
static bool copy_rows(struct store *s, PGresult *r, void *ctx, long *count,
                      struct store_error *err)
{
	(void)r; /* PGRES_COPY_OUT: the rows come by PQgetCopyData */
	FILE *out = ctx;
	bool ok = true;
	char *buf;
	int n;
	while ((n = PQgetCopyData(s->pg, &buf, 0)) > 0) {
		if (!ok) {
			PQfreemem(buf);
			continue;
		}
		bool whole = buf[n - 1] == '\n';
		ok = whole &&
		     fwrite(buf, 1, (size_t)n - 1, out) == (size_t)n - 1 &&
		     fputs(CSV_EOL, out) != EOF;
		if (ok)
			(*count)++;
		else if (!whole)
			store_fail(err, "",
			           "internal: a COPY row without its "
			           "line end");
		else
			store_fail(err, "", "could not write the rows: %s",
			           strerror(errno));
		if (!ok)
			store_cancel(s);
		PQfreemem(buf);
	}
	/* n == -1: the end, its result follows; -2: the server's or the
	 * connection's error, as the next result */
	return ok;
}

long store_copy_csv(struct store *s, const char *sql, FILE *out,
                    struct store_error *err)
{
	long count =
	    stream_results(s, sql, 0, NULL, NULL, false, PGRES_COPY_OUT,
	                   PGRES_COMMAND_OK, copy_rows, out, err);
	if (count >= 0 && ferror(out)) {
		store_fail(err, "", "could not write the rows");
		return -1;
	}
	return count;
}

bool store_explain(struct store *s, const char *sql, int n_params,
                   const Oid *types, const char *const *params, char *plan,
                   size_t cap, struct store_error *err)
{
	size_t len = strlen(sql) + 16;
	char *explain = malloc(len);
	if (!explain) {
		store_fail(err, "", "out of memory");
		return false;
	}
	snprintf(explain, len, "EXPLAIN %s", sql);
	PGresult *r = store_exec_typed(s, explain, n_params, types, params,
	                               PGRES_TUPLES_OK, err);
	free(explain);
	if (!r)
		return false;
	size_t at = 0;
	plan[0] = '\0';
	for (int i = 0; i < PQntuples(r) && at < cap; i++)
		at += (size_t)snprintf(plan + at, cap - at, "%s\n",
		                       PQgetvalue(r, i, 0));
	PQclear(r);
	return true;
}

PGresult *store_exec_rows(struct store *s, const char *what, const char *sql,
                          int n_params, const char *const *params, int min_rows,
                          struct store_error *err)
{
	PGresult *r =
	    exec(s, what, sql, n_params, NULL, params, PGRES_TUPLES_OK, err);
	if (!r || PQntuples(r) >= min_rows)
		return r;
	if (min_rows == 1)
		store_fail(err, "", "%s%sexpected one row, got %d", str(what),
		           what_sep(what), PQntuples(r));
	else
		store_fail(err, "", "%s%sexpected at least %d rows, got %d",
		           str(what), what_sep(what), min_rows, PQntuples(r));
	PQclear(r);
	return NULL;
}

bool store_command(struct store *s, const char *what, const char *sql,
                   int n_params, const char *const *params, long *rows,
                   struct store_error *err)
{
	/* waited on as exec()'s are: ^C cancels a change's statement stuck
	 * on a lock, and a connection lost under it is noticed at once */
	store_wait(s, true);
	PGresult *r =
	    PQexecParams(s->pg, sql, n_params, NULL, params, NULL, NULL, 0);
	store_wait(s, false);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		store_fail_result(s, what, r, err);
	else if (rows)
		*rows = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return ok;
}

bool store_run(struct store *s, const char *sql, int n_params,
               const char *const *params, struct store_error *err)
{
	return store_command(s, NULL, sql, n_params, params, NULL, err);
}

bool store_begin(struct store *s, struct store_error *err)
{
	if (PQstatus(s->pg) != CONNECTION_OK) {
		fail_from_conn(s, "begin", err);
		return false;
	}
	if (PQtransactionStatus(s->pg) != PQTRANS_IDLE) {
		store_fail(err, "25001",
		           "begin: the connection is busy or already inside "
		           "a transaction");
		return false;
	}
	return store_command(s, "begin", "BEGIN", 0, NULL, NULL, err);
}

bool store_begin_repeatable(struct store *s, struct store_error *err)
{
	return store_begin(s, err) &&
	       store_command(s, "begin",
	                     "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
	                     0, NULL, NULL, err);
}

bool store_begin_snapshot(struct store *s, struct store_error *err)
{
	return store_begin_repeatable(s, err) &&
	       store_command(s, "begin", "SET TRANSACTION READ ONLY", 0, NULL,
	                     NULL, err);
}

bool store_chain_lock(struct store *s, struct store_error *err)
{
	return store_command(s, "the audit chain's lock",
	                     "LOCK TABLE audit_chain_lock IN EXCLUSIVE MODE", 0,
	                     NULL, NULL, err);
}

bool store_begin_utf8(struct store *s, struct store_error *err)
{
	/* (SET LOCAL: the session's own encoding is back after the end) */
	return store_begin(s, err) &&
	       store_command(s, "begin", "SET LOCAL client_encoding = 'UTF8'",
	                     0, NULL, NULL, err);
}

bool store_commit(struct store *s, struct store_error *err)
{
	PGresult *r = PQexec(s->pg, "COMMIT");
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok) /* (a deferred check's own message, as it stands) */
		store_fail_result(s, NULL, r, err);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		/* COMMIT of an aborted transaction answers ROLLBACK */
		store_fail(err, "40000",
		           "commit: the transaction was rolled back");
		ok = false;
	}
	PQclear(r);
	store_rollback(s);
	return ok;
}

void store_rollback(struct store *s)
{
	PGTransactionStatusType st = PQtransactionStatus(s->pg);
	if (st == PQTRANS_INTRANS || st == PQTRANS_INERROR)
		PQclear(PQexec(s->pg, "ROLLBACK"));
}
