/* pg_env.h: the database tests' one question about their environment. */
#ifndef ACCESSDESK_TESTS_PG_ENV_H
#define ACCESSDESK_TESTS_PG_ENV_H

#include <stdbool.h>
#include <stdlib.h>

/* Does the environment name a PostgreSQL server? A database test that
 * cannot connect skips when it does not, and fails when it does. */
static inline bool pg_configured(void)
{
	static const char *const vars[] = {"PGHOST", "PGHOSTADDR",
	                                   "PGPORT", "PGDATABASE",
	                                   "PGUSER", "PGSERVICE"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (getenv(vars[i]) && *getenv(vars[i]))
			return true;
	return false;
}

#endif
