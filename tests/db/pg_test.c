/* pg_test.c: the set-up of the database tests written in C, and the checks they
 * share (pg_test.h). */
#include "pg_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/wait.h>

#include "accessdesk/cli.h"
#include "pg_env.h"

PGconn *pg_admin;

static const char *policy_dir;
static struct pg_test_db dbs[16]; /* made, in order */
static int n_dbs;

void diag(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fputs("# ", stdout);
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
		if (*p == '\n')
			fputs(p[1] ? "\n# " : "", stdout);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	putchar('\n');
}

static void drop(const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	         name);
	PQclear(PQexec(pg_admin, sql));
}

/* Drops every database made, the last made first (a template last), and
 * closes pg_admin. */
static void finish(void)
{
	while (n_dbs > 0)
		drop(dbs[--n_dbs].name);
	PQfinish(pg_admin);
	pg_admin = NULL;
}

void bail(const char *why, const char *detail)
{
	printf("Bail out! %s\n", why);
	if (detail)
		diag("%s", detail);
	finish();
	exit(1);
}

void pg_test_start(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	policy_dir = getenv("POLICY_DIR");
	if (!policy_dir) {
		printf("Bail out! POLICY_DIR is not set\n");
		exit(1);
	}
	pg_admin = PQconnectdb("dbname=postgres");
	if (PQstatus(pg_admin) != CONNECTION_OK) {
		if (!pg_configured()) {
			printf("1..0 # SKIP no PostgreSQL\n");
			PQfinish(pg_admin);
			exit(0);
		}
		printf("Bail out! cannot connect to PostgreSQL\n");
		diag("%s", PQerrorMessage(pg_admin));
		PQfinish(pg_admin);
		exit(1);
	}
	/* no NOTICE for a DROP DATABASE IF EXISTS of nothing */
	PQclear(PQexec(pg_admin, "SET client_min_messages = warning"));
}

const struct pg_test_db *pg_test_create(const char *prefix, const char *tmpl)
{
	if (n_dbs == (int)(sizeof dbs / sizeof dbs[0]))
		bail("too many databases", prefix);
	struct pg_test_db db;
	snprintf(db.name, sizeof db.name, "%s_%ld", prefix, (long)getpid());
	snprintf(db.conninfo, sizeof db.conninfo, "dbname=%s", db.name);
	drop(db.name);
	char sql[192];
	if (tmpl)
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s",
		         db.name, tmpl);
	else
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", db.name);
	PGresult *r = PQexec(pg_admin, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char why[512];
		snprintf(why, sizeof why, "%s", PQresultErrorMessage(r));
		PQclear(r);
		bail("cannot create the test database", why);
	}
	PQclear(r);
	dbs[n_dbs] = db;
	return &dbs[n_dbs++];
}

struct store *pg_test_connect(const char *conninfo)
{
	struct store_error err = {0};
	struct store *s = store_connect(conninfo, NULL, &err);
	if (!s)
		bail("store_connect", err.message);
	return s;
}

PGconn *pg_test_raw(const char *conninfo)
{
	PGconn *raw = PQconnectdb(conninfo);
	if (PQstatus(raw) != CONNECTION_OK) {
		char why[512];
		snprintf(why, sizeof why, "%s", PQerrorMessage(raw));
		PQfinish(raw);
		bail("second connection", why);
	}
	PQsetClientEncoding(raw, "UTF8");
	return raw;
}

void pg_test_migrate(struct store *s)
{
	struct store_error err = {0};
	int applied;
	if (!store_migrate(s, &applied, &err))
		bail("store_migrate", err.message);
}

void pg_list_open(struct store *s, const char *login,
                  struct pg_list_session *ls)
{
	struct store_error err = {0};
	const char *who[] = {login};
	*ls = (struct pg_list_session){.login = login};
	ls->w = store_load_world(s, STORE_LOAD_BASE, &ls->ids, &err);
	if (!ls->w || !store_load_users(s, ls->w, &ls->ids, who, 1, &err) ||
	    (ls->op = engine_user_find(ls->w, login)) < 0 ||
	    !store_reach_of(ls->w, &ls->ids, ls->op, ENGINE_ACT(ACT_USERS_VIEW),
	                    &ls->reach))
		bail("a session", err.message[0] ? err.message : login);
}

void pg_list_close(struct pg_list_session *ls)
{
	store_reach_free(&ls->reach);
	engine_world_free(ls->w);
	store_ids_free(&ls->ids);
}

bool pg_test_load(struct store *s, const char *file)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", policy_dir, file);
	if (cli_db_load(s, path) == 0)
		return true;
	diag("cli_db_load %s failed", path);
	return false;
}

int pg_test_done(int n_tests, int n_failed)
{
	finish();
	printf("1..%d\n", n_tests);
	if (n_failed)
		diag("%d of %d failed", n_failed, n_tests);
	return n_failed ? 1 : 0;
}

bool has(const char *message, const char *fragment)
{
	bool found = strstr(message, fragment) != NULL;
	if (!found)
		diag("message \"%s\" lacks \"%s\"", message, fragment);
	return found;
}

bool done(bool ok, const struct store_error *err)
{
	if (!ok)
		diag("%s (%s)", err->message, err->sqlstate);
	return ok;
}

bool refused_as(bool made, const struct store_error *err, const char *state)
{
	if (made)
		diag("the change was made");
	else if (strcmp(err->sqlstate, state) != 0)
		diag("SQLSTATE %s, expected %s: %s", err->sqlstate, state,
		     err->message);
	return !made && strcmp(err->sqlstate, state) == 0;
}

/* One racer, in its child: read, wait at the barrier, save, report. */
static void race_child(const char *conninfo, const struct pg_racer *r, int i,
                       int ready, int go, int result)
{
	struct pg_race_outcome out = {0};
	struct store_error err = {0};
	alarm(30);
	struct store *s = store_connect(conninfo, NULL, &err);
	void *state = s ? r->read(s, i, r->ctx, &err) : NULL;
	char c = 'r';
	if (write(ready, &c, 1) != 1)
		_exit(3);
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	if (state)
		out.saved = r->save(s, i, state, &err);
	snprintf(out.sqlstate, sizeof out.sqlstate, "%s", err.sqlstate);
	snprintf(out.message, sizeof out.message, "%s", err.message);
	if (write(result, &out, sizeof out) != (ssize_t)sizeof out)
		_exit(3);
	if (state)
		r->free(state);
	store_disconnect(s);
	_exit(0);
}

int pg_test_race(const char *conninfo, const struct pg_racer *r,
                 struct pg_race_outcome out[2])
{
	int ready[2], go[2], res[2][2];
	if (pipe(ready) || pipe(go) || pipe(res[0]) || pipe(res[1]))
		bail("pipe", strerror(errno));
	fflush(stdout);
	pid_t pid[2];
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			bail("fork", strerror(errno));
		if (pid[i] == 0) {
			close(ready[0]);
			close(go[1]);
			close(res[i][0]);
			race_child(conninfo, r, i, ready[1], go[0], res[i][1]);
		}
		close(res[i][1]);
	}
	close(ready[1]);
	close(go[0]);
	char c;
	int n_ready = 0;
	while (n_ready < 2 && read(ready[0], &c, 1) == 1)
		n_ready++;
	close(go[1]); /* both go at once */
	for (int i = 0; i < 2; i++) {
		out[i] = (struct pg_race_outcome){0};
		if (read(res[i][0], &out[i], sizeof out[i]) !=
		    (ssize_t)sizeof out[i])
			snprintf(out[i].message, sizeof out[i].message,
			         "no result from the child");
		close(res[i][0]);
		int st;
		waitpid(pid[i], &st, 0);
	}
	close(ready[0]);
	return n_ready;
}

const char *pg_value(PGconn *c, char *buf, size_t len, const char *sql, int n,
                     const char *const *params)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		diag("sql: %s", PQresultErrorMessage(r));
	snprintf(buf, len, "%s",
	         PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0
	             ? PQgetvalue(r, 0, 0)
	             : "(none)");
	PQclear(r);
	return buf;
}

long pg_number(PGconn *c, const char *sql, const char *key)
{
	char got[64];
	const char *p[] = {key};
	return strtol(pg_value(c, got, sizeof got, sql, key ? 1 : 0, p), NULL,
	              10);
}

bool pg_is(PGconn *c, const char *want, const char *sql, const char *key)
{
	char got[2048];
	const char *p[] = {key};
	bool same = strcmp(pg_value(c, got, sizeof got, sql, 1, p), want) == 0;
	if (!same)
		diag("%s gave \"%s\", expected \"%s\"", key, got, want);
	return same;
}

bool pg_run(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	bool good = PQresultStatus(r) == PGRES_COMMAND_OK ||
	            PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!good)
		diag("sql: %s", PQresultErrorMessage(r));
	PQclear(r);
	return good;
}

long pg_audits(PGconn *c)
{
	return pg_number(c, "SELECT count(*) FROM audit", NULL);
}

long pg_audits_of(PGconn *c, const char *kind, const char *target,
                  const char *action)
{
	const char *p[] = {kind, target, action};
	char got[64];
	return strtol(pg_value(c, got, sizeof got,
	                       "SELECT count(*) FROM audit WHERE target_kind = "
	                       "$1 AND target = $2 AND action = $3",
	                       3, p),
	              NULL, 10);
}

char *pg_state(PGconn *c, const char *sql)
{
	char buf[64];
	char *v = strdup(pg_value(c, buf, sizeof buf, sql, 0, NULL));
	if (!v)
		bail("out of memory", NULL);
	return v;
}

bool pg_same_state(PGconn *c, const char *sql, const char *before,
                   const char *what)
{
	char *now = pg_state(c, sql);
	bool same = strcmp(now, before) == 0;
	if (!same)
		diag("%s changed", what);
	free(now);
	return same;
}

void pg_set_str(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
}

bool pg_user_read(struct store *s, const char *login, struct store_user_form *f)
{
	struct store_error err = {0};
	if (store_user_read(s, login, f, &err))
		return true;
	diag("store_user_read %s: %s", login, err.message);
	return false;
}
