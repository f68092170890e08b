#define _GNU_SOURCE /* fopencookie */
/* test_report.c: the Organisation / User report's two ways of writing
 * against a real PostgreSQL server (TAP): the database's CSV
 * (store_report_copy, for a file or a pipe) must give byte for byte what
 * the rows through csv_row give (store_report with store_report_csv_row),
 * for the root operator and narrow ones, with and without each search, on
 * values holding commas, quotes, CR, LF, control characters and non-ASCII,
 * and on empty values (no payment type, no parent), with both settings
 * of the cells: by default a value a spreadsheet would take for a formula
 * (=, +, -, @, TAB, CR first) gets a quote before it, and with
 * --exact-csv's CSV_EXACT it is written as stored; each is checked byte
 * for byte both ways. A write error and a
 * connection lost in the middle of the rows fail the report (-1, a
 * message), never a short file taken for the whole.
 *
 * Runs in the PG* environment (pg_virtualenv), in its own database
 * ad_report_PID, dropped at the end; skips (1..0) with no PostgreSQL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

static PGconn *raw;

static bool run(const char *sql)
{
	PGresult *r = PQexec(raw, sql);
	bool good = PQresultStatus(r) == PGRES_COMMAND_OK ||
	            PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!good)
		diag("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return good;
}

/* The report as op would write it one way, into a malloc'd buffer. */
struct written {
	char *bytes;
	size_t len;
	long rows;
	struct store_error err;
};

static struct written report_as(struct store *s, const char *op,
                                const struct store_user_query *q, bool copy,
                                enum csv_cells cells)
{
	struct written w = {0};
	FILE *f = open_memstream(&w.bytes, &w.len);
	store_row_fn *row = cells == CSV_SAFE ? store_report_csv_row
	                                      : store_report_csv_row_exact;
	row(f, store_report_columns);
	w.rows = copy ? store_report_copy(s, op, q, cells, f, &w.err)
	              : store_report(s, op, q, row, f, &w.err);
	fclose(f);
	return w;
}

/* The report as written by default (formulas neutralised). */
static struct written report(struct store *s, const char *op,
                             const struct store_user_query *q, bool copy)
{
	return report_as(s, op, q, copy, CSV_SAFE);
}

/* Both ways, for op and q, with the cells written one way: the same
 * bytes, and at least min_rows rows. */
static void same_bytes_as(struct store *s, const char *op,
                          const struct store_user_query *q, long min_rows,
                          enum csv_cells cells, const char *what)
{
	struct written rows = report_as(s, op, q, false, cells);
	struct written copy = report_as(s, op, q, true, cells);
	bool same = rows.rows >= 0 && copy.rows == rows.rows &&
	            copy.len == rows.len &&
	            memcmp(copy.bytes, rows.bytes, rows.len) == 0;
	if (rows.rows < 0 || copy.rows < 0)
		diag("%s / %s", rows.err.message, copy.err.message);
	else if (!same) {
		size_t i = 0;
		while (i < rows.len && i < copy.len &&
		       rows.bytes[i] == copy.bytes[i])
			i++;
		diag("%ld rows, %zu bytes row by row; %ld rows, %zu bytes by "
		     "COPY; first difference at byte %zu: \"%.40s\" / "
		     "\"%.40s\"",
		     rows.rows, rows.len, copy.rows, copy.len, i,
		     i < rows.len ? rows.bytes + i : "",
		     i < copy.len ? copy.bytes + i : "");
	}
	ok(same && rows.rows >= min_rows,
	   "%s%s: COPY writes the bytes csv_row writes (%ld rows)", what,
	   cells == CSV_EXACT ? ", exact cells" : "", rows.rows);
	free(rows.bytes);
	free(copy.bytes);
}

/* Both ways, with the cells as written by default. */
static void same_bytes(struct store *s, const char *op,
                       const struct store_user_query *q, long min_rows,
                       const char *what)
{
	same_bytes_as(s, op, q, min_rows, CSV_SAFE, what);
}

/* And with both settings of the cells. */
static void same_bytes_both(struct store *s, const char *op,
                            const struct store_user_query *q, long min_rows,
                            const char *what)
{
	same_bytes_as(s, op, q, min_rows, CSV_SAFE, what);
	same_bytes_as(s, op, q, min_rows, CSV_EXACT, what);
}

static bool holds(const struct written *w, const char *text)
{
	if (memmem(w->bytes, w->len, text, strlen(text)))
		return true;
	diag("the report lacks \"%s\"", text);
	return false;
}

/* Values a spreadsheet would take for formulas, each a user's last name
 * (login csvN, first name Csv, a View grant at cgc04, whose name begins
 * with '-'), and how each is written: by default (CSV_SAFE) and with
 * --exact-csv (CSV_EXACT), quoted as RFC 4180 says. */
static const struct {
	const char *value, *safe, *exact;
} formulas[] = {
    {"=HYPERLINK(\"http://x\",\"y\")",
     "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
     "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
    {"+1", "'+1", "+1"},
    {"-1+1", "'-1+1", "-1+1"},
    {"@SUM(A1)", "'@SUM(A1)", "@SUM(A1)"},
    {"\t=1", "'\t=1", "\t=1"},
    {"\r=1", "\"'\r=1\"", "\"\r=1\""},
    {"'=already", "'=already", "'=already"},
    {"=a \"quote\"", "\"'=a \"\"quote\"\"\"", "\"=a \"\"quote\"\"\""},
    {"=1\n+2", "\"'=1\n+2\"", "\"=1\n+2\""},
    {"+44 20 7946 0000", "'+44 20 7946 0000", "+44 20 7946 0000"},
    {"plain=1", "plain=1", "plain=1"},
};
#define N_FORMULAS (int)(sizeof formulas / sizeof formulas[0])

/* Makes the users of formulas, through parameters. */
static bool make_formulas(void)
{
	bool made = run("UPDATE organisations SET name = '-CommOrg04'"
	                " WHERE code = 'cgc04'");
	for (int i = 0; made && i < N_FORMULAS; i++) {
		char login[16];
		snprintf(login, sizeof login, "csv%d", i);
		const char *p[] = {login, formulas[i].value};
		PGresult *r = PQexecParams(
		    raw,
		    "WITH u AS (INSERT INTO users (login, first_name,"
		    " last_name, email, work_phone) VALUES ($1, 'Csv', $2,"
		    " $1 || '@example.com', '0123') RETURNING id), g AS"
		    " (INSERT INTO grants (user_id, org_id) SELECT u.id, o.id"
		    " FROM u, organisations o WHERE o.code = 'cgc04'"
		    " RETURNING id) INSERT INTO grant_roles SELECT g.id, r.id,"
		    " 1 FROM g, roles r WHERE r.name = 'View'",
		    2, NULL, p, NULL, NULL, 0);
		made = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!made)
			diag("%s: %s", login, PQresultErrorMessage(r));
		PQclear(r);
	}
	return made;
}

/* Each way of writing, with each setting: every value of formulas as that
 * setting writes it, and the organisation's name, in the report of pno100
 * (View at cgc04: its few grants, by COPY when asked). */
static void test_formulas(struct store *s)
{
	for (int copy = 0; copy < 2; copy++)
		for (int safe = 0; safe < 2; safe++) {
			struct written w =
			    report_as(s, "pno100", NULL, copy,
			              safe ? CSV_SAFE : CSV_EXACT);
			bool all = w.rows > 0;
			for (int i = 0; all && i < N_FORMULAS; i++) {
				char row[160];
				snprintf(row, sizeof row, "\r\ncsv%d,%s,Csv,",
				         i,
				         safe ? formulas[i].safe
				              : formulas[i].exact);
				all = holds(&w, row);
			}
			all = all && holds(&w, safe ? ",cgc04,'-CommOrg04,"
			                            : ",cgc04,-CommOrg04,");
			ok(all,
			   "%s, %s: each would-be formula written as %s, byte "
			   "for byte (%d values)",
			   copy ? "COPY" : "row by row",
			   safe ? "by default" : "exact cells",
			   safe ? "text behind a quote" : "stored", N_FORMULAS);
			free(w.bytes);
		}
}

/* The grants whose carried report columns (017_report_rows.sql) differ
 * from what the joins give, or -1 on error: 0 when the copies follow. */
static long copies_differ(void)
{
	PGresult *r = PQexec(
	    raw,
	    "SELECT count(*) FROM grants g JOIN organisations o ON o.id ="
	    " g.org_id LEFT JOIN organisations p ON p.id = o.parent_id"
	    " WHERE (g.o_code, g.o_name, g.p_code, g.p_name, g.r_roles,"
	    " g.r_payment_types, g.r_clusters) IS DISTINCT FROM (o.code,"
	    " o.name, coalesce(p.code, ''), coalesce(p.name, ''),"
	    " coalesce((SELECT string_agg(x.name, '; ' ORDER BY gr.position)"
	    " FROM grant_roles gr JOIN roles x ON x.id = gr.role_id"
	    " WHERE gr.grant_id = g.id), ''),"
	    " coalesce((SELECT string_agg(gp.payment_type, ' ' ORDER BY"
	    " pt.position) FROM grant_payment_types gp JOIN payment_types pt"
	    " ON pt.code = gp.payment_type WHERE gp.grant_id = g.id), ''),"
	    " coalesce((SELECT string_agg(c.short_name, ' ' ORDER BY"
	    " gc.position) FROM grant_clusters gc JOIN clusters c ON c.id ="
	    " gc.cluster_id WHERE gc.grant_id = g.id), ''))");
	long n = PQresultStatus(r) == PGRES_TUPLES_OK
	             ? strtol(PQgetvalue(r, 0, 0), NULL, 10)
	             : -1;
	if (n != 0)
		diag("%ld grants' copies differ: %s", n,
		     PQresultErrorMessage(r));
	PQclear(r);
	return n;
}

/* Each kind of change, by SQL on another connection: the grants' copies
 * follow it (the triggers of 017), checked against the joins after each. */
static void test_copies_follow(void)
{
	static const struct {
		const char *what, *sql;
	} changes[] = {
	    {"an organisation with children renamed (its grants' names, its "
	     "children's grants' parents)",
	     "UPDATE organisations SET name = 'Lat Renamed', code = 'lat04x'"
	     " WHERE code = 'lat04'"},
	    {"an organisation moved to another parent",
	     "UPDATE organisations SET parent_id = (SELECT id FROM"
	     " organisations WHERE parent_id IS NULL LIMIT 1) WHERE id ="
	     " (SELECT o.id FROM organisations o JOIN grants g ON g.org_id ="
	     " o.id WHERE o.parent_id IS NOT NULL AND o.parent_id <> (SELECT"
	     " id FROM organisations WHERE parent_id IS NULL LIMIT 1)"
	     " ORDER BY o.id LIMIT 1)"},
	    {"a grant's roles replaced",
	     "DELETE FROM grant_roles WHERE grant_id = (SELECT min(grant_id)"
	     " FROM grant_roles); INSERT INTO grant_roles (grant_id, role_id,"
	     " position) SELECT (SELECT min(g.id) FROM grants g WHERE NOT"
	     " EXISTS (SELECT FROM grant_roles x WHERE x.grant_id = g.id)),"
	     " r.id, row_number() OVER (ORDER BY r.id) FROM (SELECT id FROM"
	     " roles WHERE domain = 'organisation' ORDER BY id DESC LIMIT 2)"
	     " r"},
	    {"a role of the policy's own, held by a grant, renamed",
	     "INSERT INTO roles (name, domain, reach) VALUES ('Tester',"
	     " 'organisation', 'subtree'); INSERT INTO role_actions (role_id,"
	     " action) SELECT id, 'org.view' FROM roles WHERE name ="
	     " 'Tester'; INSERT INTO grant_roles (grant_id,"
	     " role_id, position) SELECT min(grant_id), (SELECT id FROM roles"
	     " WHERE name = 'Tester'), 99 FROM grant_roles; UPDATE roles SET"
	     " name = 'Tester (renamed)' WHERE name = 'Tester'"},
	    {"a grant given a payment type and its clusters cleared",
	     "INSERT INTO grant_payment_types (grant_id, payment_type) SELECT"
	     " (SELECT max(id) FROM grants), code FROM payment_types ORDER BY"
	     " position LIMIT 1 ON CONFLICT DO NOTHING;"
	     " DELETE FROM grant_clusters WHERE grant_id = (SELECT"
	     " min(grant_id) FROM grant_clusters)"},
	    {"a grant moved to another organisation",
	     "UPDATE grants SET org_id = (SELECT o.id FROM organisations o"
	     " WHERE NOT EXISTS (SELECT FROM grants x WHERE x.org_id = o.id"
	     " AND x.user_id = grants.user_id) ORDER BY o.id DESC LIMIT 1)"
	     " WHERE id = (SELECT max(g.id) FROM grants g WHERE NOT EXISTS"
	     " (SELECT FROM grant_clusters c WHERE c.grant_id = g.id))"},
	    {"a grant deleted",
	     "DELETE FROM grants WHERE id = (SELECT max(id) FROM grants)"},
	};
	ok(copies_differ() == 0, "the seed's grants carry their report rows");
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++)
		ok(run(changes[i].sql) && copies_differ() == 0,
		   "%s: the copies follow", changes[i].what);
	/* the rename above reached a grant's copy (else it proved nothing) */
	PGresult *r = PQexec(raw, "SELECT count(*) FROM grants WHERE r_roles"
	                          " LIKE '%(renamed)%'");
	ok(PQresultStatus(r) == PGRES_TUPLES_OK &&
	       strcmp(PQgetvalue(r, 0, 0), "0") != 0,
	   "the renamed role is in %s grants' copies",
	   PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "no");
	PQclear(r);
}

/* A user whose names are 200 four-byte characters each, at an
 * organisation named so too: the grant's row is too long for
 * grants_report's entry (report_fits false) and is made all the same; the
 * report, sorting then, still holds it, in both ways. */
static void test_long_row(struct store *s)
{
	char name[801], sql[4096];
	for (int i = 0; i < 200; i++)
		memcpy(name + 4 * i, "\xf0\x9f\x98\x80", 4);
	name[800] = '\0';
	snprintf(sql, sizeof sql,
	         "UPDATE organisations SET name = '%s' WHERE code = 'lat05';"
	         " WITH u AS (INSERT INTO users (login, first_name, last_name,"
	         " email, work_phone) VALUES ('longrow', '%s', '%s',"
	         " 'long.row@example.com', '0123') RETURNING id), g AS"
	         " (INSERT INTO grants (user_id, org_id) SELECT u.id, o.id FROM"
	         " u, organisations o WHERE o.code = 'lat05' RETURNING id)"
	         " INSERT INTO grant_roles SELECT g.id, r.id, 1 FROM g, roles r"
	         " WHERE r.name = 'View'",
	         name, name, name);
	bool made = run(sql);
	PGresult *r = PQexec(raw, "SELECT g.report_fits FROM grants g JOIN"
	                          " users u ON u.id = g.user_id WHERE u.login"
	                          " = 'longrow'");
	bool too_long = PQresultStatus(r) == PGRES_TUPLES_OK &&
	                PQntuples(r) == 1 &&
	                strcmp(PQgetvalue(r, 0, 0), "f") == 0;
	PQclear(r);
	ok(made && too_long,
	   "a grant of a user and an organisation with 200 four-byte "
	   "characters in each name is made, too long for grants_report");
	same_bytes_both(s, "rootaua", NULL, 20000,
	                "with a row too long, the root");
	struct written w = report(s, "rootaua", NULL, true);
	ok(w.rows > 0 && holds(&w, "\r\nlongrow,"),
	   "the report holds that row");
	free(w.bytes);
	ok(run("DELETE FROM grants WHERE user_id = (SELECT id FROM users"
	       " WHERE login = 'longrow')"),
	   "its grant removed");
	same_bytes(s, "rootaua", NULL, 20000, "then every row fits again");
}

/* A FILE whose writes fail as a full disk's. */
static ssize_t full_write(void *c, const char *buf, size_t n)
{
	(void)c;
	(void)buf;
	(void)n;
	errno = ENOSPC;
	return -1;
}

/* A FILE that, at its first write, has the store's backend terminated:
 * the connection is lost with most of the rows still to come. */
static ssize_t killing_write(void *c, const char *buf, size_t n)
{
	(void)buf;
	struct store *s = c;
	static bool done_once;
	if (!done_once) {
		done_once = true;
		char pid[16];
		snprintf(pid, sizeof pid, "%d", PQbackendPID(store_pg(s)));
		const char *p[] = {pid};
		PQclear(PQexecParams(
		    pg_admin, "SELECT pg_terminate_backend($1::int, 5000)", 1,
		    NULL, p, NULL, NULL, 0));
	}
	return (ssize_t)n;
}

static void test_failures(const char *conninfo)
{
	struct store *s = pg_test_connect(conninfo);
	struct store_error err = {0};
	FILE *full = fopencookie(NULL, "w",
	                         (cookie_io_functions_t){.write = full_write});
	long n = store_report_copy(s, "rootaua", NULL, CSV_SAFE, full, &err);
	diag("%s", err.message);
	ok(n == -1 && has(err.message, "could not write the rows") &&
	       has(err.message, strerror(ENOSPC)),
	   "a full disk: -1, and the message says the rows could not be "
	   "written and why");
	fclose(full);
	struct written after = report(s, "rootaua", NULL, true);
	ok(after.rows > 0 && store_connected(s),
	   "the connection is still usable after (the statement cancelled, "
	   "the rest drained): %ld rows",
	   after.rows);
	free(after.bytes);

	err = (struct store_error){0};
	FILE *killing = fopencookie(
	    s, "w", (cookie_io_functions_t){.write = killing_write});
	setvbuf(killing, NULL, _IONBF, 0);
	n = store_report_copy(s, "rootaua", NULL, CSV_SAFE, killing, &err);
	diag("%s", err.message);
	ok(n == -1 && err.message[0] && !store_connected(s),
	   "the connection lost in the middle of the rows: -1 and a message");
	fclose(killing);
	store_disconnect(s);
}

int main(void)
{
	pg_test_start();
	const char *conninfo = pg_test_create("ad_report", NULL)->conninfo;
	struct store *s = pg_test_connect(conninfo);
	raw = pg_test_raw(conninfo);
	pg_test_migrate(s);
	if (!ok(pg_test_load(s, "good/cqrs-seed.conf") &&
	            pg_test_load(s, "../db/store-fixture.conf"),
	        "db load the seed and the fixture"))
		bail("cannot load the seed", NULL);
	/* Hostile values where the report shows them, grants with no payment
	 * type or cluster (empty fields) and the root's grants (no parent);
	 * then enough users that the rows outlast the socket's buffers. */
	bool made =
	    run("UPDATE users SET first_name = CASE login"
	        " WHEN 'gba204' THEN 'Gem, \"the\" ma'"
	        " WHEN 'kal738' THEN E'Ken\\nneth\\r\\nline'"
	        " WHEN 'mch112' THEN E'\\x1b]52;c;ZXZpbA==\\x07 \\x1b[2J'"
	        " WHEN 'tgt001' THEN E'cr\\rbs\\b tab\\t del\\x7f'"
	        " ELSE first_name END,"
	        " last_name = CASE login"
	        " WHEN 'gba204' THEN 'Zo\xc3\xab \xc3\x98"
	        "deg\xc3\xa5rd "
	        "\xe6\x9d\x8e'"
	        " WHEN 'aua001' THEN '\"'"
	        " WHEN 'ua0001' THEN ','"
	        " ELSE last_name END,"
	        " email = CASE login WHEN 'tgt001'"
	        " THEN 'o''brien\\x\",;--@example.com' ELSE email END");
	made =
	    made &&
	    run("UPDATE organisations SET name = E'Lat \"04\", the\\nnew'"
	        " WHERE code = 'lat04'") &&
	    run("INSERT INTO users (login, first_name, last_name, email,"
	        " work_phone) SELECT 'bulk' || i, 'F' || i % 97,"
	        " 'L' || i % 89, 'b' || i || '@example.com', '0123'"
	        " FROM generate_series(1, 20000) i") &&
	    run("WITH g AS (INSERT INTO grants (user_id, org_id)"
	        " SELECT u.id, o.id FROM users u, organisations o"
	        " WHERE u.login LIKE 'bulk%' AND o.code = 'lat04'"
	        " RETURNING id) INSERT INTO grant_roles"
	        " SELECT g.id, r.id, 1 FROM g, roles r WHERE r.name = 'View'");
	made = made && make_formulas();
	if (!ok(made, "hostile values and 20,000 more users in place"))
		bail("cannot make the data", NULL);

	same_bytes_both(s, "rootaua", NULL, 20000, "the root operator");
	same_bytes(s, "gba204", NULL, 20000, "a narrow operator (gba204)");
	same_bytes(s, "aua001", NULL, 1, "another narrow operator (aua001)");
	same_bytes_both(s, "pno100", NULL, N_FORMULAS,
	                "a narrow operator with few grants (pno100)");
	static const struct {
		enum store_user_search by;
		const char *text;
	} searches[] = {
	    {USER_SEARCH_NAME, "Gem"},    {USER_SEARCH_NAME, "Zo\xc3\xab"},
	    {USER_SEARCH_NAME, "L1, F1"}, {USER_SEARCH_NAME, "F1 L1"},
	    {USER_SEARCH_LOGIN, "bulk1"}, {USER_SEARCH_EMAIL, "o'brien"},
	    {USER_SEARCH_ORG, "lat"},     {USER_SEARCH_NAME, "'; --$1"},
	};
	for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
		struct store_user_query q = {.search_by = searches[i].by,
		                             .search = searches[i].text};
		char what[96];
		snprintf(what, sizeof what, "search %d \"%s\", root",
		         (int)searches[i].by, searches[i].text);
		same_bytes(s, "rootaua", &q, 0, what);
		snprintf(what, sizeof what, "search %d \"%s\", gba204",
		         (int)searches[i].by, searches[i].text);
		same_bytes(s, "gba204", &q, 0, what);
	}

	/* one hostile row as RFC 4180 says it: quoted, quotes doubled, the
	 * value's own CR LF kept, the row ended CRLF */
	struct written w = report(s, "rootaua", NULL, true);
	ok(w.rows > 0 &&
	       holds(&w, "\r\nkal738,Alloway,\"Ken\nneth\r\nline\",") &&
	       holds(&w, ",\"Lat \"\"04\"\", the\nnew\",") &&
	       holds(&w, ",\"o'brien\\x\"\",;--@example.com\","),
	   "the values are quoted as RFC 4180 says, their own line ends "
	   "kept");
	free(w.bytes);

	test_formulas(s);
	test_long_row(s);
	test_copies_follow();
	test_failures(conninfo);
	store_disconnect(s);
	PQfinish(raw);
	return pg_test_done(n_tests, n_failed);
}
