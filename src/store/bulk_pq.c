/* bulk_pq.c: libpq plumbing shared by the bulk loaders (see bulk_pq.h). */
#include "bulk_pq.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_BUF_SIZE (256 * 1024)

void bulk_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "what: primary message (SQLSTATE)" plus the detail when there is one. */
static void result_error(PGconn *c, const PGresult *r, const char *what,
                         char *err, size_t errlen)
{
	const char *msg =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *detail =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	size_t n;

	if (!msg) {
		msg = PQerrorMessage(c);
		if (!msg || !*msg)
			msg = r ? PQresStatus(PQresultStatus(r))
			        : "no result from the server";
	}
	bulk_errf(err, errlen, "%s: %s%s%s%s%s", what, msg, state ? " (" : "",
	          state ? state : "", state ? ")" : "", detail ? ": " : "");
	if (detail && errlen) {
		n = strlen(err);
		if (n < errlen - 1)
			snprintf(err + n, errlen - n, "%s", detail);
	}
	/* libpq messages end in a newline; ours do not. */
	n = errlen ? strlen(err) : 0;
	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
}

PGresult *bulk_query(PGconn *c, const char *what, const char *sql, int nparams,
                     const char *const *params, ExecStatusType expect,
                     char *err, size_t errlen)
{
	PGresult *r =
	    PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);

	if (r && PQresultStatus(r) == expect)
		return r;
	result_error(c, r, what, err, errlen);
	PQclear(r);
	return NULL;
}

bool bulk_command(PGconn *c, const char *what, const char *sql, int nparams,
                  const char *const *params, long *rows, char *err,
                  size_t errlen)
{
	PGresult *r = bulk_query(c, what, sql, nparams, params,
	                         PGRES_COMMAND_OK, err, errlen);

	if (!r)
		return false;
	if (rows)
		*rows = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return true;
}

bool bulk_begin(PGconn *c, char *err, size_t errlen)
{
	if (PQstatus(c) != CONNECTION_OK) {
		bulk_errf(err, errlen, "not connected to the database");
		return false;
	}
	if (PQtransactionStatus(c) != PQTRANS_IDLE) {
		bulk_errf(err, errlen,
		          "the connection is busy or inside a transaction");
		return false;
	}
	/* UTF-8 whatever the caller's client encoding; reverts at the end. */
	return bulk_command(c, "begin", "BEGIN", 0, NULL, NULL, err, errlen) &&
	       bulk_command(c, "begin", "SET LOCAL client_encoding = 'UTF8'", 0,
	                    NULL, NULL, err, errlen);
}

bool bulk_commit(PGconn *c, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, "COMMIT");
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		result_error(c, r, "commit", err, errlen);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		/* COMMIT of an aborted transaction answers ROLLBACK. */
		bulk_errf(err, errlen,
		          "commit: the transaction was rolled back");
		ok = false;
	}
	PQclear(r);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		bulk_rollback(c);
	return ok;
}

void bulk_rollback(PGconn *c)
{
	PGTransactionStatusType s = PQtransactionStatus(c);

	if (s == PQTRANS_INTRANS || s == PQTRANS_INERROR)
		PQclear(PQexec(c, "ROLLBACK"));
}

/* ---- COPY ---------------------------------------------------------------- */

static void copy_fail(struct bulk_copy *cp, const char *msg)
{
	if (cp->failed)
		return;
	cp->failed = true;
	bulk_errf(cp->err, cp->errlen, "%s: %s", cp->what, msg);
}

static void copy_flush(struct bulk_copy *cp)
{
	if (cp->failed || cp->len == 0)
		return;
	if (PQputCopyData(cp->conn, cp->buf, (int)cp->len) != 1)
		copy_fail(cp, PQerrorMessage(cp->conn));
	cp->len = 0;
}

bool bulk_copy_begin(struct bulk_copy *cp, PGconn *c, const char *what,
                     const char *sql, char *err, size_t errlen)
{
	PGresult *r;

	memset(cp, 0, sizeof *cp);
	cp->conn = c;
	cp->what = what;
	cp->err = err;
	cp->errlen = errlen;
	cp->buf = malloc(COPY_BUF_SIZE);
	if (!cp->buf) {
		bulk_errf(err, errlen, "%s: out of memory", what);
		return false;
	}
	cp->cap = COPY_BUF_SIZE;
	r = bulk_query(c, what, sql, 0, NULL, PGRES_COPY_IN, err, errlen);
	if (!r) {
		free(cp->buf);
		cp->buf = NULL;
		return false;
	}
	PQclear(r);
	return true;
}

/* Room for n more bytes (n <= cap). */
static bool copy_room(struct bulk_copy *cp, size_t n)
{
	if (cp->len + n > cp->cap)
		copy_flush(cp);
	return !cp->failed;
}

static void copy_sep(struct bulk_copy *cp)
{
	if (cp->row_open && copy_room(cp, 1))
		cp->buf[cp->len++] = '\t';
	cp->row_open = true;
}

void bulk_copy_textn(struct bulk_copy *cp, const char *s, size_t n)
{
	size_t i;

	if (cp->failed)
		return;
	copy_sep(cp);
	for (i = 0; i < n; i++) {
		char ch = s[i], esc = 0;

		switch (ch) {
		case '\\':
			esc = '\\';
			break;
		case '\t':
			esc = 't';
			break;
		case '\n':
			esc = 'n';
			break;
		case '\r':
			esc = 'r';
			break;
		default:
			break;
		}
		if (!copy_room(cp, 2))
			return;
		if (esc) {
			cp->buf[cp->len++] = '\\';
			cp->buf[cp->len++] = esc;
		} else {
			cp->buf[cp->len++] = ch;
		}
	}
}

void bulk_copy_text(struct bulk_copy *cp, const char *s)
{
	if (!s) {
		bulk_copy_raw(cp, "\\N");
		return;
	}
	bulk_copy_textn(cp, s, strlen(s));
}

void bulk_copy_raw(struct bulk_copy *cp, const char *s)
{
	size_t n = strlen(s);

	if (cp->failed)
		return;
	copy_sep(cp);
	while (n > 0) {
		size_t k = n < cp->cap ? n : cp->cap;

		if (!copy_room(cp, k))
			return;
		memcpy(cp->buf + cp->len, s, k);
		cp->len += k;
		s += k;
		n -= k;
	}
}

void bulk_copy_long(struct bulk_copy *cp, long long v)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", v);
	bulk_copy_raw(cp, num);
}

void bulk_copy_bool(struct bulk_copy *cp, bool v)
{
	bulk_copy_raw(cp, v ? "t" : "f");
}

void bulk_copy_row_end(struct bulk_copy *cp)
{
	if (copy_room(cp, 1))
		cp->buf[cp->len++] = '\n';
	cp->row_open = false;
}

bool bulk_copy_end(struct bulk_copy *cp, long *rows)
{
	PGresult *r;
	bool ok;

	copy_flush(cp);
	if (cp->failed) {
		bulk_copy_abort(cp, "abandoned");
		return false;
	}
	free(cp->buf);
	cp->buf = NULL;
	if (PQputCopyEnd(cp->conn, NULL) != 1) {
		copy_fail(cp, PQerrorMessage(cp->conn));
		return false;
	}
	r = PQgetResult(cp->conn);
	ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		result_error(cp->conn, r, cp->what, cp->err, cp->errlen);
	else if (rows)
		*rows = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	while ((r = PQgetResult(cp->conn)) != NULL)
		PQclear(r);
	return ok;
}

void bulk_copy_abort(struct bulk_copy *cp, const char *why)
{
	PGresult *r;

	free(cp->buf);
	cp->buf = NULL;
	if (PQputCopyEnd(cp->conn, why) == 1) {
		while ((r = PQgetResult(cp->conn)) != NULL)
			PQclear(r);
	}
}
