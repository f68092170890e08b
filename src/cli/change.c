/* change.c: `accessdesk user set`, `grant set` and `grant revoke`: the
 * console's changes from the command line, for operators who script and
 * for tests (access-model.md section 5). The operator is identified as the
 * console identifies it (cli_operator: operator.source, --operator only
 * with "flag"), and every change goes through the store's one change path
 * (store_user_save, store_grant_save): the same engine decisions on data
 * read inside the transaction, the same audit record.
 *
 * Exit 0 saved (one line on standard output saying what changed, or that
 * nothing differed), 1 refused (the engine's explanation on standard
 * error, nothing written), 2 an error (an unknown name, a value breaking
 * a field rule, a usage error, a conflict, the database). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/config.h"
#include "accessdesk/store.h"

static const char user_usage[] =
    "usage: accessdesk user set LOGIN [--enabled | --disabled] [--email E] "
    "[--title T]\n"
    "                          [--first-name F] [--last-name L] "
    "[--work-phone P]\n"
    "                          [--mobile-phone P]\n";

static const char grant_usage[] =
    "usage: accessdesk grant set LOGIN ORG --roles R[,R...] "
    "[--payment-types P[,P...]]\n"
    "                            [--clusters S[,S...]]\n"
    "       accessdesk grant revoke LOGIN ORG\n";

/* A usage error: what is wrong, then the command's usage, on stderr. */
static int usage_error(const char *usage, const char *what, const char *arg)
{
	if (arg)
		cli_error("%s \"%s\"", what, arg);
	else
		cli_error("%s", what);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

/* `user --help`, `user set --help` and the like: the usage on stdout. */
static bool wants_help(int argc, char **argv, const char *usage)
{
	for (int i = 0; i < argc && i < 2; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage, stdout);
			return true;
		}
	return false;
}

/* The value of option `name` at argv[*i] ("--name value" or
 * "--name=value"): 1 with *value set, 0 when argv[*i] is another
 * argument, -1 when the option has no value. */
static int option(int argc, char **argv, int *i, const char *name,
                  const char **value)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];
	if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

/* Connects and identifies the operator as the console does; NULL after
 * saying why not. A read-only session (--read-only, ui.read_only) changes
 * nothing, as in the console, nor does a hot standby. */
static struct store *open_as_operator(const char *cmd, char *op, size_t len)
{
	const struct config *c = cli_config();
	if (!c)
		return NULL;
	if (cli_opts.read_only || c->ui.read_only) {
		cli_error("%s: this session is read-only (%s): nothing is "
		          "changed",
		          cmd,
		          cli_opts.read_only ? "--read-only"
		                             : "ui.read_only in the "
		                               "configuration");
		return NULL;
	}
	struct store *s = cli_connect_as(op, len);
	if (s && store_hot_standby(s)) {
		/* (the server's own refusal names a transaction's mode) */
		cli_error("%s: the server is a hot standby (read-only): "
		          "nothing is changed (target_session_attrs=read-write "
		          "in the conninfo finds the primary)",
		          cmd);
		store_disconnect(s);
		return NULL;
	}
	return s;
}

/* A failed change: the store's message; exit 1 when the engine refused,
 * else 2. */
static int change_failed(const char *what, const struct store_error *err)
{
	cli_error("%s: %s", what, err->message[0] ? err->message : "failed");
	return strcmp(err->sqlstate, STORE_REFUSED) == 0 ? EXIT_DENY
	                                                 : EXIT_USAGE;
}

/* Appends "; " (after the first) and the formatted text to line. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
say(char *line, size_t cap, const char *fmt, ...)
{
	size_t at = strlen(line);
	if (at + 3 >= cap)
		return;
	if (at) {
		memcpy(line + at, "; ", 3);
		at += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + at, cap - at, fmt, ap);
	va_end(ap);
}

/* ---- user set ---------------------------------------------------- */

/* The contact details, as options: the field rule each value must keep
 * and the form's string it replaces. */
static const struct contact_option {
	const char *name;  /* "--work-phone" */
	const char *label; /* in the line saying what changed */
	enum store_user_field field;
	size_t member; /* offset of the form's char * */
} contact_options[] = {
    {"--title", "title", USER_FIELD_TITLE,
     offsetof(struct store_user_form, title)},
    {"--first-name", "first name", USER_FIELD_FIRST_NAME,
     offsetof(struct store_user_form, first_name)},
    {"--last-name", "last name", USER_FIELD_LAST_NAME,
     offsetof(struct store_user_form, last_name)},
    {"--email", "email", USER_FIELD_EMAIL,
     offsetof(struct store_user_form, email)},
    {"--work-phone", "work phone", USER_FIELD_WORK_PHONE,
     offsetof(struct store_user_form, work_phone)},
    {"--mobile-phone", "mobile phone", USER_FIELD_MOBILE_PHONE,
     offsetof(struct store_user_form, mobile_phone)},
};
#define N_CONTACT (sizeof contact_options / sizeof contact_options[0])

struct user_set {
	const char *login;
	const char *values[N_CONTACT]; /* NULL: not given */
	int enabled;                   /* -1 not given, 0 or 1 */
};

static int parse_user_set(int argc, char **argv, struct user_set *u)
{
	u->enabled = -1;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--enabled") == 0 ||
		    strcmp(a, "--disabled") == 0) {
			if (u->enabled >= 0)
				return usage_error(user_usage,
				                   "user set: give one of "
				                   "--enabled and --disabled, "
				                   "once",
				                   NULL);
			u->enabled = a[2] == 'e';
			continue;
		}
		int got = 0;
		for (size_t k = 0; k < N_CONTACT && !got; k++) {
			const char *v;
			got =
			    option(argc, argv, &i, contact_options[k].name, &v);
			if (got < 0)
				return usage_error(user_usage,
				                   "user set: a value is "
				                   "needed after",
				                   contact_options[k].name);
			if (got && u->values[k])
				return usage_error(user_usage,
				                   "user set: given twice:",
				                   contact_options[k].name);
			if (got)
				u->values[k] = v;
		}
		if (got)
			continue;
		if (a[0] == '-' || u->login)
			return usage_error(user_usage,
			                   "user set: unexpected argument", a);
		u->login = a;
	}
	if (!u->login)
		return usage_error(user_usage, "user set: which user? (LOGIN)",
		                   NULL);
	bool any = u->enabled >= 0;
	for (size_t k = 0; k < N_CONTACT; k++)
		any = any || u->values[k];
	if (!any)
		return usage_error(user_usage,
		                   "user set: nothing to set (give an option)",
		                   NULL);
	return 0;
}

/* Sets *slot to value when they differ; false when out of memory. */
static bool replace_string(char **slot, const char *value, bool *differs)
{
	*differs = strcmp(*slot ? *slot : "", value) != 0;
	if (!*differs)
		return true;
	char *copy = strdup(value);
	if (!copy)
		return false;
	free(*slot);
	*slot = copy;
	return true;
}

static int user_set(struct store *s, const char *op, const struct user_set *u)
{
	struct store_error err = {0};
	struct store_user_form f;
	if (!store_user_read(s, u->login, &f, &err))
		return change_failed("user set", &err);
	char line[2048] = "";
	int status = EXIT_USAGE;
	bool email_changed = false;
	if (u->enabled >= 0 && f.enabled != (u->enabled == 1)) {
		f.enabled = u->enabled == 1;
		say(line, sizeof line, "%s",
		    f.enabled ? "enabled" : "disabled");
	}
	for (size_t k = 0; k < N_CONTACT; k++) {
		const struct contact_option *o = &contact_options[k];
		bool differs;
		if (!u->values[k])
			continue;
		if (!replace_string((char **)((char *)&f + o->member),
		                    u->values[k], &differs)) {
			cli_error("user set: out of memory");
			goto out;
		}
		email_changed |= differs && o->field == USER_FIELD_EMAIL;
		if (differs)
			say(line, sizeof line, "%s %s", o->label,
			    u->values[k][0] ? u->values[k] : "(none)");
	}
	/* the configured domains, as the form asks them */
	if (email_changed && !config_email_allowed(cli_config(), f.email)) {
		cli_error("user set: --email \"%s\": the domain is not one "
		          "this service allows (email.allowed_domains)",
		          f.email);
		goto out;
	}
	/* saved even when nothing differs: the store then writes nothing but
	 * still asks whether the operator may see the user, so the answer
	 * tells no one about a user they could not see */
	long long id;
	if (!store_user_save(s, op, &f, &id, &err)) {
		status = change_failed("user set", &err);
		goto out;
	}
	if (!line[0]) {
		cli_line(stdout, "%s: nothing to change (already as given)",
		         f.login);
		status = 0;
		goto out;
	}
	cli_line(stdout, "%s: %s", f.login, line);
	/* as on the form: a warning, never a refusal; the other user is not
	 * named (the operator may not see them) */
	char other[65];
	if (email_changed &&
	    store_email_taken(s, f.email, f.id, other, sizeof other, &err))
		cli_error("user set: warning: another user already has the "
		          "email address %s",
		          f.email);
	status = 0;
out:
	store_user_form_free(&f);
	return status;
}

int cli_user(int argc, char **argv)
{
	if (wants_help(argc, argv, user_usage))
		return 0;
	if (argc == 0 || strcmp(argv[0], "set") != 0)
		return usage_error(user_usage,
		                   argc ? "user: unknown subcommand"
		                        : "user: which subcommand? (set)",
		                   argc ? argv[0] : NULL);
	struct user_set u = {0};
	if (parse_user_set(argc - 1, argv + 1, &u) != 0)
		return EXIT_USAGE;
	/* the field rules first, so a bad value is named before anything is
	 * read */
	for (size_t k = 0; k < N_CONTACT; k++) {
		char msg[256];
		if (u.values[k] &&
		    !store_user_field_valid(contact_options[k].field,
		                            u.values[k], msg, sizeof msg)) {
			cli_error("user set: %s \"%s\": %s",
			          contact_options[k].name, u.values[k], msg);
			return EXIT_USAGE;
		}
	}
	char op[128];
	struct store *s = open_as_operator("user set", op, sizeof op);
	if (!s)
		return EXIT_USAGE;
	int status = user_set(s, op, &u);
	store_disconnect(s);
	return status;
}

/* ---- grant set, grant revoke -------------------------------------- */

/* One name of a list, trimmed of spaces, added to (*v, *n); exit status
 * 2 after saying why when it is empty or given twice. */
static int add_name(const char *opt, const char *what, const char *p,
                    size_t len, char ***v, int *n)
{
	while (len && *p == ' ')
		p++, len--;
	while (len && p[len - 1] == ' ')
		len--;
	if (len == 0)
		return usage_error(grant_usage, "grant set: an empty name in",
		                   opt);
	char *name = strndup(p, len);
	int status = EXIT_USAGE;
	if (name && store_names_find(*v, *n, name) >= 0)
		cli_error("grant set: %s \"%s\" given twice", what, name);
	else if (!name || !store_names_add(v, n, name))
		cli_error("grant set: out of memory");
	else
		status = 0;
	free(name);
	return status;
}

/* The comma-separated names of list added to (*v, *n); "" names none. */
static int split_names(const char *opt, const char *list, const char *what,
                       char ***v, int *n)
{
	if (!*list)
		return 0;
	for (const char *p = list;; p++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int status = add_name(opt, what, p, len, v, n);
		if (status || !end)
			return status;
		p = end;
	}
}

/* "QOF, DES" of the bits, or "none". */
static void payment_list(char *buf, size_t cap, engine_payments bits)
{
	engine_names_text(buf, cap, bits, PAY_COUNT, engine_payment_name, ", ");
	if (!buf[0])
		snprintf(buf, cap, "none");
}

/* The payment types of list as bits; unknown names are an error. */
static int payment_types(const char *list, engine_payments *bits)
{
	char **names = NULL;
	int n = 0;
	int status =
	    split_names("--payment-types", list, "payment type", &names, &n);
	for (int i = 0; status == 0 && i < n; i++) {
		int p = engine_payment_find(names[i]);
		if (p < 0) {
			char known[64];
			payment_list(
			    known, sizeof known,
			    (engine_payments)(ENGINE_PAY(PAY_COUNT) - 1));
			cli_error("grant set: no payment type \"%s\" (the "
			          "payment types are %s)",
			          names[i], known);
			status = EXIT_USAGE;
		} else {
			*bits |= ENGINE_PAY(p);
		}
	}
	store_names_free(&names, &n);
	return status;
}

struct grant_cmd {
	bool revoke;
	const char *login, *org;
	const char *roles, *payments, *clusters; /* NULL: not given */
};

static int parse_grant(int argc, char **argv, struct grant_cmd *g)
{
	if (argc == 0 ||
	    (strcmp(argv[0], "set") != 0 && strcmp(argv[0], "revoke") != 0))
		return usage_error(grant_usage,
		                   argc ? "grant: unknown subcommand"
		                        : "grant: which subcommand? (set, "
		                          "revoke)",
		                   argc ? argv[0] : NULL);
	g->revoke = argv[0][0] == 'r';
	struct {
		const char *name;
		const char **slot;
	} opts[] = {{"--roles", &g->roles},
	            {"--payment-types", &g->payments},
	            {"--clusters", &g->clusters}};
	for (int i = 1; i < argc; i++) {
		int got = 0;
		for (size_t k = 0; !g->revoke && k < 3 && !got; k++) {
			const char *v;
			got = option(argc, argv, &i, opts[k].name, &v);
			if (got < 0)
				return usage_error(grant_usage,
				                   "grant set: a value is "
				                   "needed after",
				                   opts[k].name);
			if (got && *opts[k].slot)
				return usage_error(
				    grant_usage,
				    "grant set: given twice:", opts[k].name);
			if (got)
				*opts[k].slot = v;
		}
		if (got)
			continue;
		if (argv[i][0] == '-' || g->org)
			return usage_error(
			    grant_usage,
			    g->revoke ? "grant revoke: unexpected "
			                "argument"
			              : "grant set: unexpected argument",
			    argv[i]);
		if (g->login)
			g->org = argv[i];
		else
			g->login = argv[i];
	}
	if (!g->org)
		return usage_error(grant_usage,
		                   g->revoke ? "grant revoke: which user and "
		                               "organisation? (LOGIN ORG)"
		                             : "grant set: which user and "
		                               "organisation? (LOGIN ORG)",
		                   NULL);
	if (!g->revoke && !g->roles)
		return usage_error(grant_usage,
		                   "grant set: --roles is required (a grant "
		                   "holds at least one role)",
		                   NULL);
	return 0;
}

/* The grant as it will be, from the command's lists. */
static int build_grant(const struct grant_cmd *c, struct store_grant_form *g)
{
	if (strlen(c->org) >= sizeof g->org) {
		cli_error("grant set: no organisation \"%s\"", c->org);
		return EXIT_USAGE;
	}
	snprintf(g->org, sizeof g->org, "%s", c->org);
	int status =
	    split_names("--roles", c->roles, "role", &g->roles, &g->n_roles);
	if (status == 0 && g->n_roles == 0)
		status = usage_error(grant_usage,
		                     "grant set: --roles names no role (a "
		                     "grant holds at least one)",
		                     NULL);
	if (status == 0 && c->payments)
		status = payment_types(c->payments, &g->payments);
	if (status == 0 && c->clusters)
		status = split_names("--clusters", c->clusters, "cluster",
		                     &g->clusters, &g->n_clusters);
	return status;
}

/* "A, B" of the names, or "none". */
static void join(char *buf, size_t cap, char *const *v, int n)
{
	buf[0] = '\0';
	size_t at = 0;
	for (int i = 0; i < n && at < cap; i++)
		at += (size_t)snprintf(buf + at, cap - at, "%s%s",
		                       i ? ", " : "", v[i]);
	if (n == 0)
		snprintf(buf, cap, "none");
}

/* What the grant now holds, in one line. */
static void describe_grant(const struct grant_cmd *c,
                           const struct store_grant_form *g)
{
	char roles[512], pays[64], clusters[512];
	join(roles, sizeof roles, g->roles, g->n_roles);
	join(clusters, sizeof clusters, g->clusters, g->n_clusters);
	payment_list(pays, sizeof pays, g->payments);
	cli_line(stdout, "%s at %s: roles %s; payment types %s; clusters %s",
	         c->login, c->org, roles, pays, clusters);
}

int cli_grant(int argc, char **argv)
{
	if (wants_help(argc, argv, grant_usage))
		return 0;
	struct grant_cmd c = {0};
	if (parse_grant(argc, argv, &c) != 0)
		return EXIT_USAGE;
	const char *cmd = c.revoke ? "grant revoke" : "grant set";
	struct store_grant_form g = {0};
	int status = c.revoke ? 0 : build_grant(&c, &g);
	char op[128];
	struct store *s =
	    status == 0 ? open_as_operator(cmd, op, sizeof op) : NULL;
	if (!s) {
		store_grant_form_free(&g);
		return EXIT_USAGE;
	}
	struct store_error err = {0};
	bool changed;
	if (!store_grant_save(s, op, c.login, c.org, c.revoke ? NULL : &g,
	                      &changed, &err))
		status = change_failed(cmd, &err);
	else if (!changed)
		cli_line(stdout,
		         "%s at %s: nothing to change (the grant is already as "
		         "given)",
		         c.login, c.org);
	else if (c.revoke)
		cli_line(stdout, "%s at %s: revoked", c.login, c.org);
	else
		describe_grant(&c, &g);
	store_disconnect(s);
	store_grant_form_free(&g);
	return status;
}
