/* bulk_driver.c: drives bulk.h for tests/db/test_import_seed.sh.
 *
 *   bulk_driver import CONNINFO FILE
 *   bulk_driver seed CONNINFO N SEED [DEMO_LOGIN]
 *
 * Prints the counts as "name value" lines (and each split PCN as a
 * "split ..." line); on error prints the message (and the server's
 * SQLSTATE in parentheses, when there is one) and exits 2.
 */
#include "accessdesk/bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: bulk_driver import CONNINFO FILE\n"
	                "       bulk_driver seed CONNINFO N SEED "
	                "[DEMO_LOGIN]\n");
	return 2;
}

static int failed(const struct store_error *err)
{
	fprintf(stderr, "%s%s%s%s\n", err->message,
	        err->sqlstate[0] ? " (" : "", err->sqlstate,
	        err->sqlstate[0] ? ")" : "");
	return 2;
}

static int do_import(struct store *c, const char *file)
{
	struct ods_counts n;
	struct store_error err;

	if (!bulk_import_ods(c, file, &n, &err))
		return failed(&err);
	printf("rows %ld\norganisations %ld\nregions %ld\nstps %ld\n"
	       "ccgs %ld\npcns %ld\npractices %ld\nno_pcn %ld\n"
	       "inserted %ld\nrenamed %ld\nmoved %ld\nmade_sites %ld\n"
	       "unchanged %ld\nsplit_pcns %zu\n",
	       n.rows, n.organisations, n.regions, n.stps, n.ccgs, n.pcns,
	       n.practices, n.no_pcn, n.inserted, n.renamed, n.moved,
	       n.made_sites, n.unchanged, n.split_pcns);
	for (size_t i = 0; i < n.split_pcns; i++)
		printf("split %s \"%s\": under %s (%ld practices: %s)\n",
		       n.split[i].code, n.split[i].name, n.split[i].ccg,
		       n.split[i].practices, n.split[i].ccg_split);
	bulk_ods_counts_free(&n);
	return 0;
}

static int do_seed(struct store *c, const char *users, const char *seed,
                   const char *demo)
{
	struct seed_options o = {0};
	struct seed_counts n;
	struct store_error err;
	char *end;

	o.n_users = strtol(users, &end, 10);
	if (*end || end == users)
		return usage();
	o.seed = strtoull(seed, &end, 10);
	if (*end || end == seed)
		return usage();
	o.demo_login = demo;
	if (!bulk_seed(c, &o, &n, &err))
		return failed(&err);
	printf("users %ld\ndisabled %ld\ngrants %ld\ngrant_roles %ld\n"
	       "grant_payment_types %ld\ngrant_clusters %ld\nclusters %ld\n"
	       "cluster_members %ld\nstudies %ld\nprofile_roles %ld\n"
	       "site_restrictions %ld\nrestricted_studies %ld\n"
	       "study_access %ld\n",
	       n.users, n.disabled, n.grants, n.grant_roles,
	       n.grant_payment_types, n.grant_clusters, n.clusters,
	       n.cluster_members, n.studies, n.profile_roles,
	       n.site_restrictions, n.restricted_studies, n.study_access);
	return 0;
}

int main(int argc, char **argv)
{
	bool import = argc == 4 && strcmp(argv[1], "import") == 0;
	bool seed = (argc == 5 || argc == 6) && strcmp(argv[1], "seed") == 0;
	struct store_error err;
	struct store *c;
	int rc;

	if (!import && !seed)
		return usage();
	if (!(c = store_connect(argv[2], NULL, &err))) {
		fprintf(stderr, "bulk_driver: %s\n", err.message);
		return 2;
	}
	if (import)
		rc = do_import(c, argv[3]);
	else
		rc = do_seed(c, argv[3], argv[4], argc == 6 ? argv[5] : NULL);
	store_disconnect(c);
	return rc;
}
