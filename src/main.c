/* main.c: the command line: options shared by every command, then which
 * subcommand, or the console. */
#include <stdio.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/screens.h"

static const char usage[] =
    "Usage: accessdesk [OPTION...] [COMMAND [ARGUMENT...]]\n"
    "\n"
    "Administer who may access what: organisation access (roles and "
    "payment\n"
    "types per organisation, narrowed by Service Provider Clusters) and "
    "study\n"
    "access (profile roles, site and study restrictions, user access "
    "lists).\n"
    "\n"
    "Commands:\n"
    "  check --user LOGIN --action ACTION (--org CODE [--payment-type T] "
    "| --study CODE)\n"
    "        [--explain] [--policy FILE]\n"
    "                      decide one question; exit 0 allow, 1 deny, 2 "
    "error\n"
    "  policy test FILE... run the assertions of policy files; exit 0 all "
    "pass,\n"
    "                      1 some fail, 2 a bad file\n"
    "  db migrate          create or upgrade the schema\n"
    "  db load FILE        load a policy file into the database, all or "
    "nothing\n"
    "  db import-ods FILE  load the organisation hierarchy from an ODS "
    "CSV file\n"
    "                      (sql/data/gp-practice-hierarchy-2022-01.csv)\n"
    "  db seed --users N [--seed S] [--demo-login LOGIN]\n"
    "                      add N generated users (0 to 10,000,000) with "
    "grants,\n"
    "                      clusters and studies, the same for the same "
    "seed S,\n"
    "                      and a System Administrator LOGIN (default "
    "admin)\n"
    "  report              write the Organisation / User report as CSV "
    "on standard\n"
    "                      output (accessdesk report > FILE.csv)\n"
    "  user set LOGIN [--enabled | --disabled] [--email E] [--title T]\n"
    "        [--first-name F] [--last-name L] [--work-phone P] "
    "[--mobile-phone P]\n"
    "                      change a user's details as the operator\n"
    "  grant set LOGIN ORG --roles R[,R...] [--payment-types P[,P...]]\n"
    "        [--clusters S[,S...]]\n"
    "                      create a grant, or replace its roles, payment "
    "types\n"
    "                      and clusters (one left out: none)\n"
    "  grant revoke LOGIN ORG\n"
    "                      revoke a grant; user and grant exit 0 saved, 1 "
    "refused,\n"
    "                      2 error\n"
    "  who-has-access --org CODE [--action A] [--as-of DATE] [--csv]\n"
    "                      list every user whose access reaches the "
    "organisation\n"
    "                      (a grant there or above, or a cluster member "
    "at or\n"
    "                      above it), grant by grant, with the roles, "
    "payment\n"
    "                      types and where it comes from; with --action, "
    "those\n"
    "                      the engine allows that action there; --csv: "
    "RFC 4180.\n"
    "                      --as-of DATE (YYYY-MM-DD or DD/MM/YYYY "
    "[HH:MM[:SS]]):\n"
    "                      who had access then, rebuilt from the audit "
    "trail,\n"
    "                      with the record that gave each access.\n"
    "                      Needs users.view there; exit 0 listed, 1 "
    "refused,\n"
    "                      2 error\n"
    "  audit [--target T] [--by OPERATOR] [--kind K] [--from DATE] [--to "
    "DATE]\n"
    "                      write the audit records you may read as CSV, "
    "oldest\n"
    "                      first (DATE: YYYY-MM-DD or DD/MM/YYYY [HH:MM])\n"
    "  audit verify        check the audit trail's hash chain; exit 0 "
    "unbroken,\n"
    "                      1 names the first record edited, inserted or "
    "removed\n"
    "\n"
    "Options:\n"
    "  --config FILE       read this configuration file\n"
    "  --check-config      validate the configuration and exit\n"
    "  --operator LOGIN    act as LOGIN (only with operator.source = "
    "\"flag\")\n"
    "  --read-only         show everything, change nothing\n"
    "  --ascii-lines       draw lines with +-| only\n"
    "  --exact-csv         write CSV cells exactly as stored: without it "
    "a cell\n"
    "                      that begins with = + - @ TAB or CR gets a ' "
    "before it,\n"
    "                      so a spreadsheet shows it as text, never as a "
    "formula\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n";

/* Takes the options before the command; returns the index of the command
 * (argc when none), or -1 after a usage error. */
static int parse_options(int argc, char **argv, bool *check_config)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--config") == 0 ||
		    strcmp(a, "--operator") == 0) {
			if (i + 1 >= argc) {
				cli_error("%s needs a value", a);
				return -1;
			}
			if (a[2] == 'c')
				cli_opts.config_path = argv[++i];
			else
				cli_opts.operator_login = argv[++i];
		} else if (strncmp(a, "--config=", 9) == 0) {
			cli_opts.config_path = a + 9;
		} else if (strncmp(a, "--operator=", 11) == 0) {
			cli_opts.operator_login = a + 11;
		} else if (strcmp(a, "--check-config") == 0) {
			*check_config = true;
		} else if (strcmp(a, "--read-only") == 0) {
			cli_opts.read_only = true;
		} else if (strcmp(a, "--ascii-lines") == 0) {
			cli_opts.ascii_lines = true;
		} else if (strcmp(a, "--exact-csv") == 0) {
			cli_opts.exact_csv = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return -2;
		} else if (strcmp(a, "-V") == 0 ||
		           strcmp(a, "--version") == 0) {
			puts("accessdesk " ACCESSDESK_VERSION);
			return -2;
		} else {
			cli_error("unknown option \"%s\" (see --help)", a);
			return -1;
		}
	}
	return i;
}

static int run(int argc, char **argv)
{
	bool check_config = false;
	int i = parse_options(argc, argv, &check_config);
	if (i == -2)
		return 0;
	if (i < 0)
		return EXIT_USAGE;
	if (check_config) {
		if (i == argc)
			return console_check_config();
		cli_error("--check-config takes no command or argument: "
		          "unexpected \"%s\" (usage: accessdesk [--config "
		          "FILE] --check-config)",
		          argv[i]);
		return EXIT_USAGE;
	}
	if (i == argc)
		return console_main();
	const char *cmd = argv[i];
	if (strcmp(cmd, "db") == 0)
		return cli_db(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "report") == 0)
		return cli_report(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "check") == 0)
		return cli_check(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "user") == 0)
		return cli_user(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "grant") == 0)
		return cli_grant(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "who-has-access") == 0)
		return cli_who(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "audit") == 0)
		return cli_audit(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "policy") == 0) {
		if (i + 1 < argc && strcmp(argv[i + 1], "test") == 0)
			return cli_policy_test(argc - i - 2, argv + i + 2);
		cli_error("policy: unknown or missing subcommand (try "
		          "\"policy test FILE...\")");
		return EXIT_USAGE;
	}
	cli_error("unknown command \"%s\" (see --help)", cmd);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	int status = run(argc, argv);
	cli_config_free();
	return status;
}
