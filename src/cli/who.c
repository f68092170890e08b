/* who.c: `accessdesk who-has-access --org CODE [--action A] [--as-of DATE]
 * [--csv]`: Who has access? (screens.md, "2 Organisations") from the
 * command line, as
 * the operator the console would start for (cli_operator), on the world
 * the console holds (the base, and users loaded as needed). The store
 * finds the candidates and the engine decides each grant, as for the
 * Organisations tab's w. With --as-of, who had access then, rebuilt from
 * the audit trail (store_who_had_access, src/store/as_of.c), each row
 * with the record that gave it (Given By; CSV: Record, Given By Operator,
 * Given At); the operator's visibility is today's.
 *
 * Exit 0 listed (none is a list too), 1 refused (the operator lacks
 * users.view there: the engine's explanation on standard error), 2 an
 * error (an unknown organisation or action, a study action, a usage
 * error, the database). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accessdesk/cli.h"
#include "accessdesk/count.h"
#include "accessdesk/store.h"
#include "accessdesk/text.h"

_Static_assert(STORE_ACCESS_COLUMNS <= CLI_CSV_FIELDS,
               "a row of Who has access? fits cli_csv_row");

static const char who_usage[] =
    "usage: accessdesk who-has-access --org CODE [--action A] [--as-of "
    "DATE] [--csv]\n"
    "  DATE: YYYY-MM-DD or DD/MM/YYYY, optionally HH:MM[:SS]; a date "
    "alone is the\n"
    "  end of that day\n";

struct who_args {
	const char *org, *action, *as_of;
	char iso[32]; /* as_of as store_time_parse writes it */
	bool csv;
};

static int who_usage_error(const char *what, const char *arg)
{
	return cli_usage_error("who-has-access", who_usage, what, arg);
}

static int parse_who(int argc, char **argv, struct who_args *w)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--csv") == 0) {
			w->csv = true;
			continue;
		}
		static const char *const names[] = {"--org", "--action",
		                                    "--as-of"};
		const char **const slots[] = {&w->org, &w->action, &w->as_of};
		int got = cli_take_option(argc, argv, &i, names, slots, 3,
		                          "who-has-access", who_usage);
		if (got == -2)
			return EXIT_USAGE;
		if (got == -1)
			return who_usage_error("unexpected argument", argv[i]);
	}
	if (!w->org || !*w->org)
		return who_usage_error("which organisation? (--org CODE)",
		                       NULL);
	if (w->as_of && !store_time_parse(w->as_of, STORE_TIME_DAY_END, w->iso,
	                                  sizeof w->iso))
		return who_usage_error(
		    "--as-of: not a date (YYYY-MM-DD or DD/MM/YYYY, optionally "
		    "HH:MM[:SS]):",
		    w->as_of);
	return 0;
}

/* The action asked (-1: any organisation action), or -2 after saying
 * why it is not one. */
static int action_of(const char *name)
{
	if (!name)
		return -1;
	int a = engine_action_find(name);
	if (a < 0) {
		const char *names[ACT_COUNT];
		for (int i = 0; i < ACT_COUNT; i++)
			names[i] = engine_action_name(i);
		const char *near = text_nearest(name, names, ACT_COUNT);
		if (near)
			cli_error("who-has-access: unknown action \"%s\" (did "
			          "you mean %s?)",
			          name, near);
		else
			cli_error("who-has-access: unknown action \"%s\"",
			          name);
		return -2;
	}
	if (engine_action_domain(a) != DOMAIN_ORGANISATION) {
		cli_error("who-has-access: %s is a study action: access to an "
		          "organisation is asked with an organisation action",
		          name);
		return -2;
	}
	return a;
}

/* Display columns of sanitised UTF-8 text: one per character. */
static int width_of(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The text columns: a row's fields as the table shows them. */
enum {
	W_LOGIN,
	W_NAME,
	W_ORG,
	W_ROLES,
	W_PAYMENTS,
	W_FROM,
	W_GIVEN, /* --as-of only */
	W_COLUMNS
};
static const char *const who_headers[W_COLUMNS] = {
    "User ID",       "Name",        "Organisation", "Roles",
    "Payment Types", "Access From", "Given By"};

static void text_fields(const struct store_access_row *r,
                        const char *f[W_COLUMNS])
{
	f[W_GIVEN] = "";
	f[W_LOGIN] = r->login;
	f[W_NAME] = r->name;
	f[W_ORG] = r->grant_org;
	f[W_ROLES] = r->roles;
	f[W_PAYMENTS] = r->payments;
	f[W_FROM] = r->from;
}

/* One line: the first n columns each sanitised, padded to its width (the
 * last not). */
static void text_line(const char *const f[W_COLUMNS],
                      const int width[W_COLUMNS], int n)
{
	char line[2048], clean[512];
	size_t at = 0;
	for (int c = 0; c < n && at < sizeof line; c++) {
		text_sanitize(clean, sizeof clean, f[c], true);
		int pad = c + 1 < n ? width[c] - width_of(clean) : 0;
		at += (size_t)snprintf(line + at, sizeof line - at, "%s%s%*s",
		                       c ? "  " : "", clean, pad > 0 ? pad : 0,
		                       "");
	}
	fputs(line, stdout);
	fputc('\n', stdout);
}

/* The table; with then (--as-of), its Given By column and the date. */
static void print_text(const struct store_access *a,
                       const struct store_access_then *then, const char *as_of,
                       const char *org, int action)
{
	int width[W_COLUMNS], n = then ? W_COLUMNS : W_GIVEN;
	const char *f[W_COLUMNS];
	char clean[512];
	char given[STORE_LIST_TEXT];
	for (int c = 0; c < n; c++)
		width[c] = width_of(who_headers[c]);
	for (int i = 0; i < a->n; i++) {
		text_fields(&a->rows[i], f);
		if (then) {
			store_given_text(&then->given[i], given, sizeof given);
			f[W_GIVEN] = given;
		}
		for (int c = 0; c < n; c++) {
			text_sanitize(clean, sizeof clean, f[c], true);
			int w = width_of(clean);
			if (w > width[c])
				width[c] = w;
		}
	}
	if (then)
		cli_line(stdout,
		         "Who had access to %s as of %s (the trail to record "
		         "#%lld)",
		         org, as_of, then->seq);
	text_line(who_headers, width, n);
	for (int i = 0; i < a->n; i++) {
		text_fields(&a->rows[i], f);
		if (then) {
			store_given_text(&then->given[i], given, sizeof given);
			f[W_GIVEN] = given;
		}
		text_line(f, width, n);
	}
	char users[32], hidden[32], what[64];
	count_text(users, sizeof users, a->users);
	count_text(hidden, sizeof hidden, a->hidden);
	if (action < 0)
		snprintf(what, sizeof what, "access to");
	else
		snprintf(what, sizeof what, "%s at",
		         engine_action_name(action));
	cli_line(stdout, "%s user%s %s %s %s%s%s%s", users,
	         a->users == 1 ? "" : "s",
	         then            ? "had"
	         : a->users == 1 ? "has"
	                         : "have",
	         what, org, a->hidden ? "; " : "", a->hidden ? hidden : "",
	         a->hidden ? " more not shown" : "");
}

static bool print_csv(const struct store_access *a)
{
	bool terminal = isatty(STDOUT_FILENO);
	bool ok = cli_csv_row(stdout, store_access_columns,
	                      STORE_ACCESS_COLUMNS, terminal);
	const char *f[STORE_ACCESS_COLUMNS];
	for (int i = 0; ok && i < a->n; i++) {
		store_access_fields(&a->rows[i], f);
		ok = cli_csv_row(stdout, f, STORE_ACCESS_COLUMNS, terminal);
	}
	return ok;
}

/* --as-of --csv: the columns and, after them, who gave each row. */
static bool print_csv_then(const struct store_access_then *t)
{
	bool terminal = isatty(STDOUT_FILENO);
	bool ok = cli_csv_row(stdout, store_access_then_columns,
	                      STORE_ACCESS_THEN_COLUMNS, terminal);
	const char *f[STORE_ACCESS_THEN_COLUMNS];
	char seq[24];
	for (int i = 0; ok && i < t->list.n; i++) {
		store_access_then_fields(t, i, seq, f);
		ok =
		    cli_csv_row(stdout, f, STORE_ACCESS_THEN_COLUMNS, terminal);
	}
	return ok;
}

/* Asks the store on the console's world and prints the answer. */
static int who(struct store *s, const char *op, const struct who_args *args,
               int action)
{
	struct store_error err = {0};
	struct store_ids ids;
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, &err);
	if (!w) {
		cli_error("who-has-access: %s", err.message);
		return EXIT_USAGE;
	}
	int status = EXIT_USAGE;
	struct store_access_then then = {0};
	struct store_access *a = &then.list;
	bool asked = store_load_users(s, w, &ids, &op, 1, &err);
	if (asked && args->as_of)
		asked = store_who_had_access(s, w, &ids,
		                             engine_user_find(w, op), args->org,
		                             action, args->iso, &then, &err);
	else if (asked)
		asked =
		    store_who_has_access(s, w, &ids, engine_user_find(w, op),
		                         args->org, action, a, &err);
	if (!asked && args->as_of && strcmp(err.sqlstate, STORE_REFUSED) != 0) {
		cli_error("who-has-access: --as-of %s: %s", args->as_of,
		          err.message);
	} else if (!asked) {
		cli_error("who-has-access: %s", err.message);
		if (strcmp(err.sqlstate, STORE_REFUSED) == 0)
			status = EXIT_DENY;
	} else {
		bool ok = true;
		const struct store_access_then *t = args->as_of ? &then : NULL;
		if (args->csv)
			ok = t ? print_csv_then(t) : print_csv(a);
		else
			print_text(
			    a, t, args->as_of,
			    engine_org(w, engine_org_find(w, args->org))->code,
			    action);
		if (ok && fflush(stdout) == 0)
			status = 0;
		else
			cli_error("who-has-access: write error");
	}
	store_access_then_free(&then);
	engine_world_free(w);
	store_ids_free(&ids);
	return status;
}

int cli_who(int argc, char **argv)
{
	if (cli_wants_help(argc, argv, who_usage))
		return 0;
	struct who_args args = {0};
	if (parse_who(argc, argv, &args) != 0)
		return EXIT_USAGE;
	int action = action_of(args.action);
	if (action < -1)
		return EXIT_USAGE;
	char op[128];
	struct store *s = cli_connect_as(op, sizeof op);
	if (!s)
		return EXIT_USAGE;
	int status = who(s, op, &args, action);
	store_disconnect(s);
	return status;
}
