/* main.c: the command line: which subcommand, or the console. */
#include <stdio.h>
#include <string.h>

#include "accessdesk/cli.h"

static const char usage[] =
    "Usage: accessdesk [OPTION]\n"
    "       accessdesk COMMAND [ARGUMENT...]\n"
    "\n"
    "Administer who may access what: organisation access (roles and payment\n"
    "types per organisation, narrowed by Service Provider Clusters) and study\n"
    "access (profile roles, site and study restrictions, user access lists).\n"
    "\n"
    "Commands:\n"
    "  check --user LOGIN --action ACTION (--org CODE [--payment-type T] | "
    "--study CODE)\n"
    "        [--explain] [--policy FILE]\n"
    "                      decide one question; exit 0 allow, 1 deny, 2 error\n"
    "  policy test FILE... run the assertions of policy files; exit 0 all "
    "pass,\n"
    "                      1 some fail, 2 a bad file\n"
    "\n"
    "Options:\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stdout);
		return 0;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		puts("accessdesk " ACCESSDESK_VERSION);
		return 0;
	}
	if (strcmp(cmd, "db") == 0)
		return cli_db(argc - 2, argv + 2);
	if (strcmp(cmd, "check") == 0)
		return cli_check(argc - 2, argv + 2);
	if (strcmp(cmd, "policy") == 0) {
		if (argc >= 3 && strcmp(argv[2], "test") == 0)
			return cli_policy_test(argc - 3, argv + 3);
		cli_error("policy: unknown or missing subcommand (try "
		          "\"policy test FILE...\")");
		return EXIT_USAGE;
	}
	if (cmd[0] == '-')
		cli_error("unknown option \"%s\" (see --help)", cmd);
	else
		cli_error("unknown command \"%s\" (see --help)", cmd);
	return EXIT_USAGE;
}
