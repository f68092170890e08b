/* db.c: `accessdesk db ...`: the commands that shape the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/bulk.h"
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

/* A bulk loader's failure: what and where, and the server's SQLSTATE. */
static int bulk_failed(const char *cmd, const struct store_error *err)
{
	cli_error("%s: %s%s%s%s", cmd, err->message,
	          err->sqlstate[0] ? " (" : "", err->sqlstate,
	          err->sqlstate[0] ? ")" : "");
	return EXIT_USAGE;
}

static int db_import_ods(struct store *s, const char *file)
{
	struct ods_counts n = {0};
	struct store_error err;
	if (!bulk_import_ods(s, file, &n, &err))
		return bulk_failed("db import-ods", &err);
	cli_line(stdout,
	         "%s: %ld rows: %ld regions, %ld STPs, %ld CCGs, %ld PCNs, %ld "
	         "practices (%ld with no PCN); %ld organisations with the root",
	         file, n.rows, n.regions, n.stps, n.ccgs, n.pcns, n.practices,
	         n.no_pcn, n.organisations);
	printf(
	    "inserted %ld, renamed %ld, moved %ld, made sites %ld, unchanged "
	    "%ld\n",
	    n.inserted, n.renamed, n.moved, n.made_sites, n.unchanged);
	for (size_t i = 0; i < n.split_pcns; i++)
		cli_line(
		    stdout,
		    "PCN %s (%s) has practices in several CCGs (%s): placed "
		    "under %s",
		    n.split[i].code, n.split[i].name, n.split[i].ccg_split,
		    n.split[i].ccg);
	bulk_ods_counts_free(&n);
	return 0;
}

static int db_seed(struct store *s, int argc, char **argv)
{
	struct seed_options o = {.n_users = -1, .seed = 1};
	for (int i = 0; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "--users") == 0 && i + 1 < argc)
			o.n_users = strtol(argv[++i], &end, 10);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			o.seed = strtoull(argv[++i], &end, 10);
		else if (strcmp(argv[i], "--demo-login") == 0 && i + 1 < argc)
			o.demo_login = argv[++i];
		else {
			cli_error("db seed: unknown argument \"%s\"", argv[i]);
			return EXIT_USAGE;
		}
		if (end && *end) {
			cli_error("db seed: \"%s\" is not a number", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (o.n_users < 0 || o.n_users > 10000000) {
		cli_error(
		    "usage: accessdesk db seed --users N (0 to 10,000,000) "
		    "[--seed S] [--demo-login LOGIN]");
		return EXIT_USAGE;
	}
	struct seed_counts n = {0};
	struct store_error err;
	if (!bulk_seed(s, &o, &n, &err))
		return bulk_failed("db seed", &err);
	printf("seeded %ld users (%ld disabled), %ld grants, %ld clusters, %ld "
	       "studies, %ld profile roles, %ld site restrictions, %ld "
	       "restricted studies, %ld study access entries\n",
	       n.users, n.disabled, n.grants, n.clusters, n.studies,
	       n.profile_roles, n.site_restrictions, n.restricted_studies,
	       n.study_access);
	return 0;
}

int cli_db(int argc, char **argv)
{
	const char *sub = argc > 0 ? argv[0] : "";
	bool migrate = strcmp(sub, "migrate") == 0;
	bool load = strcmp(sub, "load") == 0;
	bool import = strcmp(sub, "import-ods") == 0;
	bool seed = strcmp(sub, "seed") == 0;
	if (!migrate && !load && !import && !seed) {
		cli_error("db: unknown or missing subcommand \"%s\" (migrate, "
		          "load FILE, import-ods FILE, seed --users N)",
		          sub);
		return EXIT_USAGE;
	}
	if ((migrate && argc != 1) || ((load || import) && argc != 2)) {
		cli_error("usage: accessdesk db %s", migrate ? "migrate"
		                                     : load
		                                         ? "load FILE"
		                                         : "import-ods FILE");
		return EXIT_USAGE;
	}
	struct store *s = cli_connect();
	if (!s)
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	if (migrate)
		status = db_migrate(s);
	else if (!cli_schema_current(s))
		status = EXIT_USAGE;
	else if (load)
		status = cli_db_load(s, argv[1]);
	else if (import)

		status = db_import_ods(s, argv[1]);
	else if (seed)
		status = db_seed(s, argc - 1, argv + 1);
	store_disconnect(s);
	return status;
}
