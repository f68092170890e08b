/* cli.h: the subcommands (policy-file.md, "Commands"). Each takes the
 * arguments after its name and returns the process exit status. */
#ifndef ACCESSDESK_CLI_H
#define ACCESSDESK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "accessdesk/csv.h"
#include "accessdesk/engine.h"

/* Exit statuses shared by every command. */
enum { EXIT_ALLOW = 0, EXIT_DENY = 1, EXIT_USAGE = 2 };

struct store;

/* Options that come before the command, shared by every command. */
struct cli_options {
	const char *config_path;    /* --config FILE */
	const char *operator_login; /* --operator LOGIN */
	bool read_only;             /* --read-only */
	bool ascii_lines;           /* --ascii-lines */
	bool exact_csv; /* --exact-csv: CSV cells as stored (csv.h) */
};
extern struct cli_options cli_opts;

struct config;
/* The configuration, read once on first use (--config, else the search
 * path); NULL after printing "path:line: message". */
const struct config *cli_config(void);
void cli_config_free(void);
/* --check-config: validates and says which file was read. */
int cli_check_config(void);

/* The operator, identified as operator.source says (access-model.md
 * section 5: an enabled user with a grant or a profile role). Writes the
 * login into buf; false after printing why not. */
bool cli_operator(struct store *s, char *buf, size_t len);

/* Connects as the configuration says; prints the reason and returns NULL
 * on failure. */
struct store *cli_connect(void);

/* Is the database's schema the one this binary knows? Says why not. */
bool cli_schema_current(struct store *s);

/* Connects, checks the schema and names the operator (into op): what a
 * command acting as the operator starts with. NULL after printing why
 * not. */
struct store *cli_connect_as(char *op, size_t len);

int cli_check(int argc, char **argv);
int cli_db(int argc, char **argv);
int cli_db_load(struct store *s, const char *file);
int cli_report(int argc, char **argv);
int cli_policy_test(int argc, char **argv);
/* `user set` and `grant set` / `grant revoke` (src/cli/change.c): one
 * change as the operator, through the store's change path; exit 0 saved,
 * 1 refused by the engine, 2 an error. */
int cli_user(int argc, char **argv);
int cli_grant(int argc, char **argv);
/* `who-has-access --org CODE [--action A] [--csv]` (src/cli/who.c): Who
 * has access? as the operator; exit 0 listed, 1 refused (no users.view
 * there), 2 an error. */
int cli_who(int argc, char **argv);
/* `audit [FILTERS]` and `audit verify` (src/cli/audit.c): the trail as
 * CSV as the operator; the chain checked (exit 1: broken). */
int cli_audit(int argc, char **argv);

/* A command's options (src/cli/output.c): -h or --help anywhere prints
 * usage on standard output (true: the command is done, exit 0). */
bool cli_wants_help(int argc, char **argv, const char *usage);
/* "accessdesk: CMD: WHAT \"ARG\"" (no ARG: NULL) and the usage on
 * standard error; EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage, const char *what,
                    const char *arg);
/* "--NAME VALUE" or "--NAME=VALUE" at argv[*i], one of the n names, into
 * *slots[k] (*i moved past the value): k; -1 when argv[*i] is none of
 * them; -2 after a usage error (given twice, no value). */
int cli_take_option(int argc, char **argv, int *i, const char *const *names,
                    const char **const *slots, int n, const char *cmd,
                    const char *usage);

/* Prints an explanation, one reason a line, indented by two spaces (and
 * two more per nesting level). */
void cli_print_reasons(FILE *out, const struct engine_world *w,
                       const struct engine_explain *ex);

/* One RFC 4180 row (csv.h) of n fields on out; with terminal (out is
 * one), each field through the sanitiser first, so that a stored control
 * sequence never acts (nothing cut; at most CLI_CSV_FIELDS
 * fields). To a file or a pipe, values go as stored, but for the quote
 * before a would-be formula (CSV_SAFE) unless --exact-csv was given. */
#define CLI_CSV_FIELDS 16
bool cli_csv_row(FILE *out, const char *const *fields, int n, bool terminal);
/* How every CSV of this run writes its cells, from the command line and
 * from the console: CSV_EXACT with --exact-csv, else CSV_SAFE. */
enum csv_cells cli_csv_cells(void);

/* "accessdesk: message" on standard error. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void cli_error(const char *fmt, ...);

/* One line on out, through the sanitiser like cli_error but with no
 * prefix: a policy file's "FILE:LINE: ...", the configuration's
 * "PATH:LINE: ...", any line that echoes a file name or a value. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void cli_line(FILE *out, const char *fmt, ...);

#endif
