/* migrate.c: `db migrate`: the embedded sql/ files, applied in order, each
 * in its own transaction, recorded in schema_migrations. */
#include <stdio.h>
#include <stdlib.h>

#include "accessdesk/store.h"
#include "migrations.h"

int store_migrations_known(void)
{
	return n_migrations ? migrations[n_migrations - 1].version : 0;
}

int store_schema_version(struct store *s, struct store_error *err)
{
	PGresult *r = store_exec_rows(
	    s, "schema version",
	    "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL, 1,
	    err);
	if (!r)
		return -1;
	bool exists = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!exists)
		return 0;
	r = store_exec_rows(s, "schema version",
	                    "SELECT coalesce(max(version), 0) FROM "
	                    "schema_migrations",
	                    0, NULL, 1, err);
	if (!r)
		return -1;
	int v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/* Applies one migration unless another process did it first. */
static bool apply(struct store *s, const struct migration *m, bool *done,
                  struct store_error *err)
{
	char version[16];
	snprintf(version, sizeof version, "%d", m->version);
	const char *p[] = {version, m->name};
	*done = false;
	if (!store_begin(s, err))
		return false;
	/* One migrator at a time; the others wait, then find it applied. */
	if (!store_run(s, "SELECT pg_advisory_xact_lock(7411150)", 0, NULL,
	               err))
		goto fail;
	PGresult *r = store_exec(s,
	                         "SELECT 1 FROM schema_migrations WHERE "
	                         "version = $1",
	                         1, p, PGRES_TUPLES_OK, err);
	if (!r)
		goto fail;
	bool applied = PQntuples(r) > 0;
	PQclear(r);
	if (applied) {
		store_rollback(s);
		return true;
	}
	/* The migration is the binary's own SQL, never built from input. */
	r = PQexec(store_pg(s), m->sql);
	/* (a script whose last statement is a SELECT ends in TUPLES_OK) */
	if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK &&
	           PQresultStatus(r) != PGRES_TUPLES_OK)) {
		char what[128];
		snprintf(what, sizeof what, "migration %s failed", m->name);
		store_fail_result(s, what, r, err);
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	if (!store_run(s,
	               "INSERT INTO schema_migrations (version, name) VALUES "
	               "($1, $2)",
	               2, p, err) ||
	    !store_commit(s, err))
		goto fail;
	*done = true;
	return true;
fail:
	store_rollback(s);
	return false;
}

bool store_migrate(struct store *s, int *applied, struct store_error *err)
{
	*applied = 0;
	PGresult *r = store_exec_rows(
	    s, "migrate", "SELECT to_regclass('schema_migrations') IS NULL", 0,
	    NULL, 1, err);
	if (!r)
		return false;
	bool missing = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	/* (IF NOT EXISTS covers a concurrent first migrator) */
	if (missing &&
	    !store_run(s,
	               "CREATE TABLE IF NOT EXISTS schema_migrations ("
	               "version integer PRIMARY KEY, name text NOT NULL, "
	               "applied_at timestamptz NOT NULL DEFAULT now())",
	               0, NULL, err))
		return false;
	int have = store_schema_version(s, err);
	if (have < 0)
		return false;
	if (have > store_migrations_known()) {
		store_fail(err, "",
		           "the database's schema (version %d) is newer than "
		           "this accessdesk knows (version %d): upgrade "
		           "accessdesk",
		           have, store_migrations_known());
		return false;
	}
	for (int i = 0; i < n_migrations; i++) {
		if (migrations[i].version <= have)
			continue;
		bool done;
		if (!apply(s, &migrations[i], &done, err))
			return false;
		*applied += done;
	}
	return true;
}
