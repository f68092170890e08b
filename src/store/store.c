/* store.c: the connection and the one way statements are run. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/store.h"

struct store {
	PGconn *pg;
	store_notice_fn *notice;
	void *notice_ctx;
	char session_user[128];
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

static void fail_from_conn(struct store *s, struct store_error *err)
{
	store_fail(err, PQstatus(s->pg) == CONNECTION_BAD ? "08006" : "",
	           "%s%s",
	           PQstatus(s->pg) == CONNECTION_BAD ? "connection lost: " : "",
	           PQerrorMessage(s->pg));
	if (err)
		chomp(err->message);
}

static void fail_from_result(struct store *s, const PGresult *r,
                             struct store_error *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *primary =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	if (!primary) {
		fail_from_conn(s, err);
		return;
	}
	store_fail(err, state, "%s%s%s", primary, detail ? ": " : "",
	           detail ? detail : "");
}

static void default_notice(void *ctx, const char *message)
{
	(void)ctx;
	fprintf(stderr, "accessdesk: server: %s\n", message);
}

static void receive_notice(void *arg, const PGresult *r)
{
	struct store *s = arg;
	const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	s->notice(s->notice_ctx, primary ? primary : "(notice)");
}

struct store *store_connect(const char *conninfo, const char *service,
                            struct store_error *err)
{
	struct store *s = calloc(1, sizeof *s);
	if (!s) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
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
	PGresult *r =
	    store_exec(s, "SELECT session_user", 0, NULL, PGRES_TUPLES_OK, err);
	if (!r) {
		store_disconnect(s);
		return NULL;
	}
	snprintf(s->session_user, sizeof s->session_user, "%s",
	         PQgetvalue(r, 0, 0));
	PQclear(r);
	/* Short statements only: compiling them costs more than it saves. */
	if (!store_run(s, "SET jit = off", 0, NULL, err)) {
		store_disconnect(s);
		return NULL;
	}

	return s;
}

void store_disconnect(struct store *s)
{
	if (!s)
		return;
	PQfinish(s->pg);
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
	PQreset(s->pg);
	if (PQstatus(s->pg) == CONNECTION_OK)
		return true;
	fail_from_conn(s, err);
	return false;
}

PGresult *store_exec(struct store *s, const char *sql, int n_params,
                     const char *const *params, ExecStatusType expect,
                     struct store_error *err)
{
	PGresult *r =
	    PQexecParams(s->pg, sql, n_params, NULL, params, NULL, NULL, 0);
	if (r && PQresultStatus(r) == expect)
		return r;
	fail_from_result(s, r, err);
	PQclear(r);
	return NULL;
}

bool store_run(struct store *s, const char *sql, int n_params,
               const char *const *params, struct store_error *err)
{
	PGresult *r =
	    PQexecParams(s->pg, sql, n_params, NULL, params, NULL, NULL, 0);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		fail_from_result(s, r, err);
	PQclear(r);
	return ok;
}

bool store_begin(struct store *s, struct store_error *err)
{
	return store_run(s, "BEGIN", 0, NULL, err);
}

bool store_commit(struct store *s, struct store_error *err)
{
	return store_run(s, "COMMIT", 0, NULL, err);
}

void store_rollback(struct store *s)
{
	if (PQtransactionStatus(s->pg) != PQTRANS_IDLE)
		PQclear(PQexec(s->pg, "ROLLBACK"));
}

bool store_audit(struct store *s, const char *operator_login,
                 const char *action, const char *target_kind,
                 const char *target, const char *before_json,
                 const char *after_json, const long long *org_ids, int n_orgs,
                 struct store_error *err)
{
	/* The organisation ids as an array literal of digits only. */
	size_t cap = 3 + (size_t)n_orgs * 21;
	char *orgs = malloc(cap);
	if (!orgs) {
		store_fail(err, "", "out of memory");
		return false;
	}
	size_t at = 0;
	orgs[at++] = '{';
	for (int i = 0; i < n_orgs; i++)
		at += (size_t)snprintf(orgs + at, cap - at, "%s%lld",
		                       i ? "," : "", org_ids[i]);
	snprintf(orgs + at, cap - at, "}");
	const char *p[] = {operator_login, action,     target_kind, target,
	                   before_json,    after_json, orgs};
	bool ok = store_run(s,
	                    "INSERT INTO audit (operator, action, target_kind, "
	                    "target, before, after, org_ids) VALUES ($1, $2, "
	                    "$3, $4, $5::jsonb, $6::jsonb, $7::bigint[])",
	                    7, p, err);
	free(orgs);
	return ok;
}
