/* options.c: what every command shares: the configuration, read once,
 * the connection it describes, and the operator's identity. */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accessdesk/cli.h"
#include "accessdesk/config.h"
#include "accessdesk/store.h"
#include "accessdesk/text.h"

struct cli_options cli_opts;

static struct config config;
static bool config_loaded;

const struct config *cli_config(void)
{
	if (config_loaded)
		return &config;
	char err[1024];
	config_defaults(&config);
	if (!config_load(&config, cli_opts.config_path, err, sizeof err)) {
		cli_line(stderr, "%s", err);
		return NULL;
	}
	config_loaded = true;
	return &config;
}

void cli_config_free(void)
{
	if (config_loaded)
		config_free(&config);
	config_loaded = false;
}

int cli_check_config(void)
{
	const struct config *c = cli_config();
	if (!c)
		return EXIT_USAGE;
	if (c->path[0])
		cli_line(stdout, "%s: valid", c->path);
	else
		printf("no configuration file found: the defaults apply\n");
	return 0;
}

static void notice_to_stderr(void *ctx, const char *message)
{
	(void)ctx;
	char clean[1024];
	text_sanitize(clean, sizeof clean, message, true);
	fprintf(stderr, "accessdesk: server: %s\n", clean);
}

struct store *cli_connect(void)
{
	const struct config *c = cli_config();
	if (!c)
		return NULL;
	struct store_error err = {0};
	struct store *s =
	    store_connect(c->database.conninfo, c->database.service, &err);
	if (!s) {
		cli_error("%s", err.message);
		return NULL;
	}
	store_on_notice(s, notice_to_stderr, NULL);
	return s;
}

struct store *cli_connect_as(char *op, size_t len)
{
	struct store *s = cli_connect();
	if (!s)
		return NULL;
	if (cli_schema_current(s) && cli_operator(s, op, len))
		return s;
	store_disconnect(s);
	return NULL;
}

bool cli_operator(struct store *s, char *buf, size_t len)
{
	const struct config *c = cli_config();
	if (!c)
		return false;
	struct store_error err = {0};
	const char *who;
	const char *sql;
	char unix_name[256];
	switch (c->operator_source) {
	case CONFIG_OPERATOR_FLAG:
		if (!cli_opts.operator_login) {
			cli_error("operator.source is \"flag\": give "
			          "--operator LOGIN");
			return false;
		}
		who = cli_opts.operator_login;
		sql = "SELECT login FROM users WHERE login = $1";
		break;
	case CONFIG_OPERATOR_DATABASE:
		who = store_session_user(s);
		sql = "SELECT login FROM users WHERE login = $1";
		break;
	default: {
		struct passwd *pw = getpwuid(geteuid());
		if (!pw) {
			cli_error("cannot tell who you are: no name for uid "
			          "%ld",
			          (long)geteuid());
			return false;
		}
		snprintf(unix_name, sizeof unix_name, "%s", pw->pw_name);
		who = unix_name;
		/* The recorded Unix account first; a login equal to the
		 * Unix name only for a user who records none. Each arm a
		 * lookup of its own unique index, whatever the statistics. */
		sql = "SELECT login FROM (SELECT login, 0 AS pref FROM users "
		      "WHERE unix_account = $1 UNION ALL SELECT login, 1 FROM "
		      "users WHERE login = $1 AND unix_account IS NULL) u "
		      "ORDER BY pref LIMIT 1";
		break;
	}
	}
	if (cli_opts.operator_login &&
	    c->operator_source != CONFIG_OPERATOR_FLAG) {
		cli_error("--operator is accepted only when operator.source "
		          "is \"flag\" (demos and tests)");
		return false;
	}
	const char *p[] = {who};
	PGresult *r = store_exec(s, sql, 1, p, PGRES_TUPLES_OK, &err);
	if (!r) {
		cli_error("%s", err.message);
		return false;
	}
	bool found = PQntuples(r) == 1;
	if (found)
		snprintf(buf, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!found) {
		char clean[256];
		text_sanitize(clean, sizeof clean, who, true);
		cli_error("\"%s\" is not a user of this database (operator "
		          "identified by %s)",
		          clean,
		          config_operator_source_name(c->operator_source));
		return false;
	}
	const char *q[] = {buf};
	r = store_exec_rows(
	    s, "the operator",
	    "SELECT enabled, EXISTS (SELECT 1 FROM grants WHERE "
	    "user_id = u.id) OR EXISTS (SELECT 1 FROM "
	    "profile_roles WHERE user_id = u.id) FROM users u "
	    "WHERE login = $1",
	    1, q, 1, &err);
	if (!r) {
		cli_error("%s", err.message);
		return false;
	}
	bool enabled = PQgetvalue(r, 0, 0)[0] == 't';
	bool has_role = PQgetvalue(r, 0, 1)[0] == 't';
	PQclear(r);
	if (!enabled || !has_role) {
		cli_error("%s cannot start accessdesk: %s", buf,
		          !enabled ? "the user is disabled"
		                   : "the user has no grant and no role");
		return false;
	}
	return true;
}
