/* copy.c: COPY ... FROM STDIN in text format, buffered, for the bulk
 * loaders (see store.h, "COPY"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/store.h"

#define COPY_BUF_SIZE (256 * 1024)

/* The connection failed under the COPY: libpq says why. */
static void copy_fail(struct store_copy *cp)
{
	if (cp->failed)
		return;
	cp->failed = true;
	store_fail_result(cp->s, cp->what, NULL, cp->err);
}

static void copy_flush(struct store_copy *cp)
{
	if (cp->failed || cp->len == 0)
		return;
	if (PQputCopyData(store_pg(cp->s), cp->buf, (int)cp->len) != 1)
		copy_fail(cp);
	cp->len = 0;
}

bool store_copy_begin(struct store_copy *cp, struct store *s, const char *what,
                      const char *sql, struct store_error *err)
{
	*cp = (struct store_copy){.s = s, .what = what, .err = err};
	cp->buf = malloc(COPY_BUF_SIZE);
	if (!cp->buf) {
		store_fail(err, "", "%s: out of memory", what);
		return false;
	}
	cp->cap = COPY_BUF_SIZE;
	PGresult *r =
	    PQexecParams(store_pg(s), sql, 0, NULL, NULL, NULL, NULL, 0);
	if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
		store_fail_result(s, what, r, err);
		PQclear(r);
		free(cp->buf);
		cp->buf = NULL;
		return false;
	}
	PQclear(r);
	return true;
}

/* Room for n more bytes (n <= cap). */
static bool copy_room(struct store_copy *cp, size_t n)
{
	if (cp->len + n > cp->cap)
		copy_flush(cp);
	return !cp->failed;
}

static void copy_sep(struct store_copy *cp)
{
	if (cp->row_open && copy_room(cp, 1))
		cp->buf[cp->len++] = '\t';
	cp->row_open = true;
}

void store_copy_text(struct store_copy *cp, const char *v)
{
	if (!v) {
		store_copy_raw(cp, "\\N");
		return;
	}
	if (cp->failed)
		return;
	copy_sep(cp);
	for (; *v; v++) {
		char esc = *v == '\\'   ? '\\'
		           : *v == '\t' ? 't'
		           : *v == '\n' ? 'n'
		           : *v == '\r' ? 'r'
		                        : 0;
		if (!copy_room(cp, 2))
			return;
		if (esc) {
			cp->buf[cp->len++] = '\\';
			cp->buf[cp->len++] = esc;
		} else {
			cp->buf[cp->len++] = *v;
		}
	}
}

void store_copy_raw(struct store_copy *cp, const char *v)
{
	size_t n = strlen(v);
	if (cp->failed)
		return;
	copy_sep(cp);
	while (n > 0) {
		size_t k = n < cp->cap ? n : cp->cap;
		if (!copy_room(cp, k))
			return;
		memcpy(cp->buf + cp->len, v, k);
		cp->len += k;
		v += k;
		n -= k;
	}
}

void store_copy_long(struct store_copy *cp, long long v)
{
	char num[24];
	snprintf(num, sizeof num, "%lld", v);
	store_copy_raw(cp, num);
}

void store_copy_bool(struct store_copy *cp, bool v)
{
	store_copy_raw(cp, v ? "t" : "f");
}

void store_copy_row_end(struct store_copy *cp)
{
	if (copy_room(cp, 1))
		cp->buf[cp->len++] = '\n';
	cp->row_open = false;
}

bool store_copy_end(struct store_copy *cp, long *rows)
{
	copy_flush(cp);
	if (cp->failed) {
		store_copy_abort(cp, "abandoned");
		return false;
	}
	free(cp->buf);
	cp->buf = NULL;
	PGconn *pg = store_pg(cp->s);
	if (PQputCopyEnd(pg, NULL) != 1) {
		copy_fail(cp);
		return false;
	}
	PGresult *r = PQgetResult(pg);
	bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		store_fail_result(cp->s, cp->what, r, cp->err);
	else if (rows)
		*rows = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	while ((r = PQgetResult(pg)) != NULL)
		PQclear(r);
	return ok;
}

void store_copy_abort(struct store_copy *cp, const char *why)
{
	free(cp->buf);
	cp->buf = NULL;
	cp->failed = true;
	PGconn *pg = store_pg(cp->s);
	if (PQputCopyEnd(pg, why) == 1) {
		PGresult *r;
		while ((r = PQgetResult(pg)) != NULL)
			PQclear(r);
	}
}
