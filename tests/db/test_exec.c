/* test_exec.c: the store's one exec layer (store.h) against a real
 * PostgreSQL server: the row-count guard (store_exec_rows), messages that
 * say what failed (with the server's SQLSTATE and detail), row counts of
 * commands, transactions (a begin inside one refused, a commit of a failed
 * one refused, the bulk loaders' UTF-8 begin), COPY, and the bulk loaders
 * (bulk.h) failing mid-way: nothing written, the what-and-where message in
 * a struct store_error.
 *
 * Runs against the server of the PG* environment (the suite runs inside
 * pg_virtualenv) in a database of its own, ad_exec_PID, migrated here and
 * dropped at the end. Skips when no PostgreSQL is configured and none
 * answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessdesk/bulk.h"
#include "accessdesk/store.h"
#include "pg_env.h"

static struct store *db; /* the test database */
static char db_name[64];
static char csv_path[256];

/* ---- helpers ----------------------------------------------------------- */

/* The single value of sql (a fresh string, "" for NULL) or NULL. */
static char *value(const char *sql)
{
	struct store_error err = {0};
	PGresult *r = store_exec_rows(db, "value", sql, 0, NULL, 1, &err);
	if (!r) {
		print_message("# %s\n", err.message);
		return NULL;
	}
	char *v = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static void assert_value(const char *sql, const char *want)
{
	char *v = value(sql);
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

static void run(const char *sql)
{
	struct store_error err = {0};
	if (!store_run(db, sql, 0, NULL, &err))
		fail_msg("%s: %s", sql, err.message);
}

/* The message starts with want. */
static void assert_starts(const char *message, const char *want)
{
	if (strncmp(message, want, strlen(want)) != 0)
		fail_msg("\"%s\" does not start with \"%s\"", message, want);
}

static void write_csv(const char *rows)
{
	FILE *f = fopen(csv_path, "w");
	assert_non_null(f);
	fputs("PRACTICE_CODE,PRACTICE_NAME,PCN_CODE,PCN_NAME,CCG_CODE,CCG_NAME,"
	      "STP_CODE,STP_NAME,COMM_REGION_CODE,COMM_REGION_NAME\n",
	      f);
	fputs(rows, f);
	assert_int_equal(fclose(f), 0);
}

#define ROW(p, pcn) p ",Practice " p "," pcn ",PCN " pcn ",C1,CCG,S1,STP,R1,R\n"

/* Everything a loader may write, as one line: "nothing written". */
static const char everything[] =
    "SELECT concat_ws(' ', (SELECT count(*) FROM organisations),"
    " (SELECT count(*) FROM users), (SELECT count(*) FROM grants),"
    " (SELECT count(*) FROM clusters), (SELECT count(*) FROM studies),"
    " (SELECT count(*) FROM audit))";

/* A loader failed on the test trigger: its message, nothing written, no
 * transaction left open. */
static void assert_boom(const struct store_error *err, const char *message,
                        const char *before)
{
	assert_string_equal(err->message, message);
	assert_string_equal(err->sqlstate, "P0001");
	assert_value(everything, before);
	assert_int_equal(PQtransactionStatus(store_pg(db)), PQTRANS_IDLE);
}

/* ---- the row-count guard ----------------------------------------------- */

static void test_rows_guard(void **state)
{
	(void)state;
	struct store_error err = {0};
	PGresult *r = store_exec_rows(db, "no row", "SELECT 1 WHERE false", 0,
	                              NULL, 1, &err);
	assert_null(r);
	assert_string_equal(err.message, "no row: expected one row, got 0");
	assert_string_equal(err.sqlstate, "");

	r = store_exec_rows(db, "two rows", "SELECT generate_series(1, 2)", 0,
	                    NULL, 3, &err);
	assert_null(r);
	assert_string_equal(err.message,
	                    "two rows: expected at least 3 rows, got 2");

	const char *p[] = {"2"};
	r = store_exec_rows(db, "enough", "SELECT generate_series(1, $1::int)",
	                    1, p, 2, &err);
	assert_non_null(r);
	assert_int_equal(PQntuples(r), 2);
	PQclear(r);
	r = store_exec_rows(db, "none needed", "SELECT 1 WHERE false", 0, NULL,
	                    0, &err);
	assert_non_null(r);
	assert_int_equal(PQntuples(r), 0);
	PQclear(r);

	/* a statement without rows where rows are read */
	r = store_exec_rows(db, "a set", "SET jit = off", 0, NULL, 0, &err);
	assert_null(r);
	assert_string_equal(err.message,
	                    "a set: unexpected result PGRES_COMMAND_OK");
}

/* ---- messages ---------------------------------------------------------- */

static void test_messages(void **state)
{
	(void)state;
	struct store_error err = {0};
	PGresult *r =
	    store_exec_rows(db, "divide", "SELECT 1 / 0", 0, NULL, 1, &err);
	assert_null(r);
	assert_string_equal(err.message, "divide: division by zero");
	assert_string_equal(err.sqlstate, "22012");

	run("CREATE TEMP TABLE once (k int PRIMARY KEY)");
	run("INSERT INTO once VALUES (1)");
	assert_false(store_command(db, "insert twice",
	                           "INSERT INTO once VALUES (1)", 0, NULL, NULL,
	                           &err));
	assert_string_equal(err.message,
	                    "insert twice: duplicate key value violates "
	                    "unique constraint \"once_pkey\": Key (k)=(1) "
	                    "already exists.");
	assert_string_equal(err.sqlstate, "23505");

	/* without a what: the server's words alone (store_exec, store_run) */
	assert_false(
	    store_run(db, "INSERT INTO once VALUES (1)", 0, NULL, &err));
	assert_starts(err.message, "duplicate key value");
	run("DROP TABLE once");
}

static void test_command_rows(void **state)
{
	(void)state;
	struct store_error err = {0};
	long rows = -1;
	run("CREATE TEMP TABLE n (i int)");
	assert_true(store_command(db, "fill",
	                          "INSERT INTO n SELECT generate_series(1, 5)",
	                          0, NULL, &rows, &err));
	assert_int_equal(rows, 5);
	assert_true(store_command(db, "halve", "DELETE FROM n WHERE i > 3", 0,
	                          NULL, &rows, &err));
	assert_int_equal(rows, 2);
	run("DROP TABLE n");
}

/* ---- transactions ------------------------------------------------------ */

static void test_transactions(void **state)
{
	(void)state;
	struct store_error err = {0};
	PGconn *pg = store_pg(db);

	assert_true(store_begin(db, &err));
	assert_false(store_begin(db, &err));
	assert_string_equal(err.sqlstate, "25001");
	assert_starts(err.message, "begin: ");
	assert_int_equal(PQtransactionStatus(pg), PQTRANS_INTRANS);
	store_rollback(db);
	assert_int_equal(PQtransactionStatus(pg), PQTRANS_IDLE);

	/* a failed transaction does not commit, and is over afterwards */
	assert_true(store_begin(db, &err));
	run("CREATE TABLE never (i int)");
	assert_false(store_run(db, "SELECT 1 / 0", 0, NULL, &err));
	assert_false(store_commit(db, &err));
	assert_string_equal(err.message,
	                    "commit: the transaction was rolled back");
	assert_string_equal(err.sqlstate, "40000");
	assert_int_equal(PQtransactionStatus(pg), PQTRANS_IDLE);
	assert_value("SELECT to_regclass('never') IS NULL", "t");

	/* the bulk loaders' begin: UTF-8 for the transaction only */
	run("SET client_encoding = 'LATIN1'");
	assert_true(store_begin_utf8(db, &err));
	assert_value("SHOW client_encoding", "UTF8");
	store_rollback(db);
	assert_value("SHOW client_encoding", "LATIN1");
	run("SET client_encoding = 'UTF8'");
}

/* ---- COPY -------------------------------------------------------------- */

static void test_copy(void **state)
{
	(void)state;
	struct store_error err = {0};
	struct store_copy cp;
	long rows = -1;
	run("CREATE TEMP TABLE c (t text, n bigint, b bool)");
	assert_true(
	    store_copy_begin(&cp, db, "copy c", "COPY c FROM STDIN", &err));
	store_copy_text(&cp, "tab\there, line\nend, back\\slash, cr\r");
	store_copy_long(&cp, -42);
	store_copy_bool(&cp, true);
	store_copy_row_end(&cp);
	store_copy_text(&cp, NULL);
	store_copy_raw(&cp, "7");
	store_copy_bool(&cp, false);
	store_copy_row_end(&cp);
	assert_true(store_copy_end(&cp, &rows));
	assert_int_equal(rows, 2);
	assert_value(
	    "SELECT t = E'tab\\there, line\\nend, back\\\\slash, cr\\r'"
	    " AND n = -42 AND b FROM c WHERE n < 0",
	    "t");
	assert_value("SELECT t IS NULL AND n = 7 AND NOT b FROM c WHERE n > 0",
	             "t");

	/* a bad value: the server's reason after the what */
	assert_true(
	    store_copy_begin(&cp, db, "copy bad", "COPY c FROM STDIN", &err));
	store_copy_text(&cp, "x");
	store_copy_text(&cp, "not a number");
	store_copy_bool(&cp, true);
	store_copy_row_end(&cp);
	assert_false(store_copy_end(&cp, &rows));
	assert_starts(err.message,
	              "copy bad: invalid input syntax for type bigint");
	assert_string_equal(err.sqlstate, "22P02");
	assert_value("SELECT count(*) FROM c", "2");

	/* a COPY that is not one */
	assert_false(
	    store_copy_begin(&cp, db, "copy nothing", "SELECT 1", &err));
	assert_string_equal(err.message,
	                    "copy nothing: unexpected result PGRES_TUPLES_OK");
	run("DROP TABLE c");
}

/* ---- the bulk loaders, failing mid-way --------------------------------- */

static void test_import_fails_midway(void **state)
{
	(void)state;
	struct store_error err = {0};
	struct ods_counts n;
	char *before = value(everything), want[512];
	assert_non_null(before);

	/* the server refuses the second practice, after the regions, STPs,
	 * CCGs, PCNs and the first practice were written */
	run("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS "
	    "$$BEGIN RAISE EXCEPTION 'boom on %', TG_TABLE_NAME USING "
	    "DETAIL = 'a test trigger'; END$$");
	run("CREATE TRIGGER boom BEFORE INSERT ON organisations FOR EACH ROW "
	    "WHEN (NEW.code = 'P2') EXECUTE FUNCTION boom()");
	write_csv(ROW("P1", "N1") ROW("P2", "N1"));
	assert_false(bulk_import_ods(db, csv_path, &n, &err));
	assert_boom(&err,
	            "import-ods: PRACTICE_CODE organisations: boom on "
	            "organisations: a test trigger",
	            before);
	assert_int_equal(n.inserted, 0);
	run("DROP TRIGGER boom ON organisations");

	/* the file's own error, at its line, after rows went to the COPY */
	write_csv(ROW("P1", "N1") ROW("", "N1") ROW("P3", "N1"));
	assert_false(bulk_import_ods(db, csv_path, &n, &err));
	snprintf(want, sizeof want,
	         "%s:3: PRACTICE_CODE \"\" is not a valid organisation code",
	         csv_path);
	assert_string_equal(err.message, want);
	assert_string_equal(err.sqlstate, "");
	assert_value(everything, before);
	free(before);

	/* and the same store then imports a good file */
	write_csv(ROW("P1", "N1") ROW("P2", "N1") ROW("P3", "U"));
	if (!bulk_import_ods(db, csv_path, &n, &err))
		fail_msg("%s", err.message);
	assert_int_equal(n.inserted, 8); /* nhs R1 S1 C1 N1 P1 P2 P3 */
	bulk_ods_counts_free(&n);
}

static void test_seed_fails_midway(void **state)
{
	(void)state;
	struct store_error err = {0};
	struct seed_options o = {.n_users = 20, .seed = 7};
	struct seed_counts n;
	char *before = value(everything);
	assert_non_null(before);

	/* users, studies and clusters are written before the grants */
	run("CREATE TRIGGER boom BEFORE INSERT ON grants FOR EACH ROW "
	    "EXECUTE FUNCTION boom()");
	assert_false(bulk_seed(db, &o, &n, &err));
	assert_boom(&err, "seed: grants: boom on grants: a test trigger",
	            before);
	assert_int_equal(n.users, 0);
	run("DROP TRIGGER boom ON grants");
	free(before);

	if (!bulk_seed(db, &o, &n, &err))
		fail_msg("%s", err.message);
	assert_int_equal(n.users, 21);
	assert_value("SELECT count(*) FROM users", "21");
}

/* ---- set-up ------------------------------------------------------------ */

/* Runs sql (CREATE or DROP DATABASE) on the server's postgres database. */
static bool on_server(const char *sql, struct store_error *err)
{
	struct store *s = store_connect("dbname=postgres", NULL, err);
	bool ok = s && store_run(s, sql, 0, NULL, err);
	store_disconnect(s);
	return ok;
}

static int set_up(void **state)
{
	(void)state;
	struct store_error err = {0};
	char sql[128];
	int applied;
	snprintf(db_name, sizeof db_name, "ad_exec_%ld", (long)getpid());
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db_name);
	if (!on_server(sql, &err)) {
		print_error("cannot create %s: %s\n", db_name, err.message);
		db_name[0] = '\0';
		return -1;
	}
	snprintf(sql, sizeof sql, "dbname=%s", db_name);
	db = store_connect(sql, NULL, &err);
	if (!db || !store_migrate(db, &applied, &err)) {
		print_error("%s: %s\n", db_name, err.message);
		return -1;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(csv_path, sizeof csv_path, "%s/ad_exec_%ld.csv",
	         tmp && *tmp ? tmp : "/tmp", (long)getpid());
	return 0;
}

static int tear_down(void **state)
{
	(void)state;
	struct store_error err = {0};
	char sql[128];
	store_disconnect(db);
	db = NULL;
	unlink(csv_path);
	if (!db_name[0])
		return 0;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	         db_name);
	return on_server(sql, &err) ? 0 : -1;
}

int main(void)
{
	struct store_error err = {0};
	struct store *probe = store_connect("dbname=postgres", NULL, &err);
	if (!probe && !pg_configured()) {
		printf("1..0 # SKIP no PostgreSQL\n");
		return 0;
	}
	store_disconnect(probe);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_guard),
	    cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_command_rows),
	    cmocka_unit_test(test_transactions),
	    cmocka_unit_test(test_copy),
	    cmocka_unit_test(test_import_fails_midway),
	    cmocka_unit_test(test_seed_fails_midway),
	};
	return cmocka_run_group_tests(tests, set_up, tear_down);
}
