/* bulk_pq.h: the libpq plumbing the bulk loaders share (import_ods.c,
 * seed.c): one transaction, parameterised statements that accept only the
 * expected result status, and a COPY text-format writer. Private to
 * src/store/.
 *
 * Errors: every function that fails writes "what: message (SQLSTATE)" into
 * the caller's err buffer and returns false or NULL; nothing here exits.
 */
#ifndef ACCESSDESK_BULK_PQ_H
#define ACCESSDESK_BULK_PQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#if defined(__GNUC__) || defined(__clang__)
#define BULK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BULK_PRINTF(f, a)
#endif

/* snprintf into err (when errlen > 0). */
void bulk_errf(char *err, size_t errlen, const char *fmt, ...)
    BULK_PRINTF(3, 4);

/* Runs sql with text parameters (NULL for SQL NULL); returns the result when
 * its status is expect, else NULL with "what: ..." in err. PQclear it. */
PGresult *bulk_query(PGconn *c, const char *what, const char *sql, int nparams,
                     const char *const *params, ExecStatusType expect,
                     char *err, size_t errlen);

/* A statement without rows; *rows (if not NULL) gets PQcmdTuples. */
bool bulk_command(PGconn *c, const char *what, const char *sql, int nparams,
                  const char *const *params, long *rows, char *err,
                  size_t errlen);

/* BEGIN on an idle connection (refuses one inside a transaction). */
bool bulk_begin(PGconn *c, char *err, size_t errlen);
bool bulk_commit(PGconn *c, char *err, size_t errlen);
/* ROLLBACK if a transaction is open; never fails from the caller's view. */
void bulk_rollback(PGconn *c);

/* A COPY ... FROM STDIN in text format, buffered. Fields are escaped
 * (backslash, tab, newline, carriage return). After the first failure every
 * call is a no-op and bulk_copy_end reports the failure. */
struct bulk_copy {
	PGconn *conn;
	const char *what;
	char *buf;
	size_t len, cap;
	bool row_open; /* a field has been written on the current row */
	bool failed;
	char *err;
	size_t errlen;
};

bool bulk_copy_begin(struct bulk_copy *cp, PGconn *c, const char *what,
                     const char *sql, char *err, size_t errlen);
void bulk_copy_text(struct bulk_copy *cp, const char *s); /* NULL: \N */
void bulk_copy_textn(struct bulk_copy *cp, const char *s, size_t n);
void bulk_copy_long(struct bulk_copy *cp, long long v);
void bulk_copy_bool(struct bulk_copy *cp, bool v);
/* A field written verbatim (the caller guarantees it needs no escaping, e.g.
 * an array literal of codes). */
void bulk_copy_raw(struct bulk_copy *cp, const char *s);
void bulk_copy_row_end(struct bulk_copy *cp);
/* Ends the COPY; *rows (if not NULL) gets the rows the server stored. */
bool bulk_copy_end(struct bulk_copy *cp, long *rows);
/* Abandons the COPY (the transaction is then aborted) and frees it. */
void bulk_copy_abort(struct bulk_copy *cp, const char *why);

#endif
