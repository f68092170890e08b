/* audit.c: `accessdesk audit [FILTERS]`, the trail as RFC 4180 CSV, and
 * `accessdesk audit verify`, the hash chain checked (screens.md, "5
 * Audit").
 *
 * The CSV lists the records the operator may read (audit.view over an
 * organisation the change touched, as the Audit tab), oldest first,
 * streamed, with the tab's filters: --target (a login, an organisation
 * code, a cluster's short name, a study's code, a role's name; a grant is
 * its user's), --by (the operator who made the change: --operator is the
 * option naming who runs the command), --kind, --from and --to (dates as
 * the console takes them; a date alone as --to takes in that whole day).
 *
 * verify reads every record and needs no operator: exit 0 and how many
 * records it checked when the chain is unbroken, 1 naming the first
 * record edited, inserted or removed behind the console's back, 2 an
 * error. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accessdesk/cli.h"
#include "accessdesk/count.h"
#include "accessdesk/store.h"

_Static_assert(STORE_AUDIT_COLUMNS <= CLI_CSV_FIELDS,
               "a record fits cli_csv_row");

static const char audit_usage[] =
    "usage: accessdesk audit [--target T] [--by OPERATOR] [--kind K] "
    "[--from DATE] [--to DATE] > FILE.csv\n"
    "       accessdesk audit verify\n"
    "DATE: YYYY-MM-DD or DD/MM/YYYY, optionally with HH:MM[:SS]\n";

static int audit_usage_error(const char *what, const char *arg)
{
	return cli_usage_error("audit", audit_usage, what, arg);
}

/* The filters' options, in store_audit_filter order. */
static const char *const options[AUDIT_FILTERS] = {
    [AUDIT_TARGET] = "--target", [AUDIT_OPERATOR] = "--by",
    [AUDIT_KIND] = "--kind",     [AUDIT_FROM] = "--from",
    [AUDIT_TO] = "--to",
};

struct audit_args {
	const char *f[AUDIT_FILTERS];
	char from[32], to[32];
};

static bool known_kind(const char *k)
{
	for (int i = 0; i < STORE_AUDIT_KINDS; i++)
		if (strcmp(k, store_audit_kinds[i]) == 0)
			return true;
	return false;
}

/* Checks the values and turns the dates into the store's form. */
static int check_args(struct audit_args *a)
{
	if (a->f[AUDIT_KIND] && !known_kind(a->f[AUDIT_KIND])) {
		char kinds[256] = "";
		for (int i = 0; i < STORE_AUDIT_KINDS; i++)
			snprintf(kinds + strlen(kinds),
			         sizeof kinds - strlen(kinds), "%s%s",
			         i ? ", " : "", store_audit_kinds[i]);
		cli_error("audit: --kind \"%s\" is not a kind of record (%s)",
		          a->f[AUDIT_KIND], kinds);
		return EXIT_USAGE;
	}
	char *iso[] = {a->from, a->to};
	for (int k = 0; k < 2; k++) {
		int f = k ? AUDIT_TO : AUDIT_FROM;
		if (!a->f[f])
			continue;
		if (!store_time_parse(
		        a->f[f], k ? STORE_TIME_UNIT_END : STORE_TIME_AS_TYPED,
		        iso[k], sizeof a->from)) {
			cli_error("audit: %s \"%s\" is not a date "
			          "(YYYY-MM-DD or DD/MM/YYYY, optionally with "
			          "HH:MM[:SS])",
			          options[f], a->f[f]);
			return EXIT_USAGE;
		}
		a->f[f] = iso[k];
	}
	return 0;
}

static bool csv_row_for_terminal(void *ctx, const char *const *fields)
{
	return cli_csv_row(ctx, fields, STORE_AUDIT_COLUMNS, true);
}

static bool csv_row_exact(void *ctx, const char *const *fields)
{
	return cli_csv_row(ctx, fields, STORE_AUDIT_COLUMNS, false);
}

static int export_csv(const struct audit_args *a)
{
	char op[128];
	struct store *s = cli_connect_as(op, sizeof op);
	if (!s)
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	struct store_error err = {0};
	struct store_ids ids;
	struct store_reach reach = {0};
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, &err);
	const char *who[] = {op};
	if (!w || !store_load_users(s, w, &ids, who, 1, &err)) {
		cli_error("audit: %s", err.message);
	} else if (!store_audit_reach(w, &ids, engine_user_find(w, op),
	                              &reach)) {
		cli_error("audit: out of memory");
	} else {
		store_row_fn *row = isatty(STDOUT_FILENO) ? csv_row_for_terminal
		                                          : csv_row_exact;
		struct store_audit_query q;
		memcpy(q.f, a->f, sizeof q.f);
		if (row(stdout, store_audit_columns) &&
		    store_audit_export(s, &reach, &q, row, stdout, &err) >= 0 &&
		    fflush(stdout) == 0)
			status = 0;
		else
			cli_error("audit: %s",
			          err.message[0] ? err.message : "write error");
	}
	store_reach_free(&reach);
	engine_world_free(w);
	if (w)
		store_ids_free(&ids);
	store_disconnect(s);
	return status;
}

static int verify(void)
{
	struct store *s = cli_connect();
	if (!s)
		return EXIT_USAGE;
	if (!cli_schema_current(s)) {
		store_disconnect(s);
		return EXIT_USAGE;
	}
	struct store_error err = {0};
	struct store_chain_check c;
	int status = EXIT_USAGE;
	if (!store_audit_verify(s, &c, &err)) {
		cli_error("audit verify: %s", err.message);
	} else if (c.fault != CHAIN_SOUND) {
		char n[32];
		count_text(n, sizeof n, c.checked);
		cli_line(stdout, "audit verify: %s", c.what);
		cli_line(stdout, "%s record%s before it %s sound", n,
		         c.checked == 1 ? "" : "s",
		         c.checked == 1 ? "is" : "are");
		status = EXIT_DENY;
	} else {
		char n[32];
		count_text(n, sizeof n, c.checked);
		cli_line(stdout,
		         "audit verify: %s record%s checked: the chain is "
		         "unbroken%s%s",
		         n, c.checked == 1 ? "" : "s",
		         c.head[0] ? "; its head's hash is " : "", c.head);
		status = 0;
	}
	store_disconnect(s);
	return status;
}

int cli_audit(int argc, char **argv)
{
	if (cli_wants_help(argc, argv, audit_usage))
		return 0;
	if (argc > 0 && strcmp(argv[0], "verify") == 0) {
		if (argc > 1)
			return audit_usage_error("verify takes no argument: "
			                         "unexpected",
			                         argv[1]);
		return verify();
	}
	struct audit_args a = {0};
	const char **const slots[AUDIT_FILTERS] = {
	    &a.f[AUDIT_TARGET], &a.f[AUDIT_OPERATOR], &a.f[AUDIT_KIND],
	    &a.f[AUDIT_FROM], &a.f[AUDIT_TO]};
	for (int i = 0; i < argc; i++) {
		int f = cli_take_option(argc, argv, &i, options, slots,
		                        AUDIT_FILTERS, "audit", audit_usage);
		if (f == -2)
			return EXIT_USAGE;
		if (f == -1)
			return audit_usage_error("unexpected argument",
			                         argv[i]);
	}
	int bad = check_args(&a);
	return bad ? bad : export_csv(&a);
}
