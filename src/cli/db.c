/* db.c: `accessdesk db ...`: the commands that shape the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/store.h"

static int db_migrate(struct store *s)
{
	struct store_error err = {0};
	int applied;
	if (!store_migrate(s, &applied, &err)) {
		cli_error("db migrate: %s", err.message);
		return EXIT_USAGE;
	}
	printf("schema at version %d (%d migration%s applied)\n",
	       store_migrations_known(), applied, applied == 1 ? "" : "s");
	return 0;
}

/* Commands other than migrate need the schema this binary knows. */
bool cli_schema_current(struct store *s)
{
	struct store_error err = {0};
	int v = store_schema_version(s, &err);
	if (v < 0) {
		cli_error("%s", err.message);
		return false;
	}
	if (v > store_migrations_known()) {
		cli_error("the database's schema (version %d) is newer than "
		          "this accessdesk knows (version %d): upgrade "
		          "accessdesk",
		          v, store_migrations_known());
		return false;
	}
	if (v != store_migrations_known()) {
		cli_error("the database's schema is at version %d, this "
		          "accessdesk needs %d: run \"accessdesk db migrate\"",
		          v, store_migrations_known());
		return false;
	}
	return true;
}

int cli_db(int argc, char **argv)
{
	if (argc < 1) {
		cli_error("db needs a subcommand: migrate, load FILE");
		return EXIT_USAGE;
	}
	const char *sub = argv[0];
	bool migrate = strcmp(sub, "migrate") == 0;
	bool load = strcmp(sub, "load") == 0;
	if (!migrate && !load) {
		cli_error("db: unknown subcommand \"%s\"", sub);
		return EXIT_USAGE;
	}
	if ((migrate && argc != 1) || (load && argc != 2)) {
		cli_error(migrate ? "usage: accessdesk db migrate"
		                  : "usage: accessdesk db load FILE");
		return EXIT_USAGE;
	}
	struct store *s = cli_connect();
	if (!s)
		return EXIT_USAGE;
	int status;
	if (migrate)
		status = db_migrate(s);
	else
		status = cli_schema_current(s) ? cli_db_load(s, argv[1])
		                               : EXIT_USAGE;
	store_disconnect(s);
	return status;
}
