/* console.c: starting the console: configuration, connection, operator,
 * the world, the tabs; then the frame's loop. Changes announced by the
 * database (LISTEN accessdesk_changed) reload the world and tell the
 * screens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/console.h"

static bool load(struct console *c, struct store_error *err)
{
	bool root_admin = true;
	if (!store_has_root_admin(c->store, &root_admin, err))
		return false;
	struct store_ids ids;
	struct engine_world *w =
	    store_load_world(c->store, STORE_LOAD_BASE, &ids, err);
	if (!w)
		return false;
	const char *who[] = {c->operator_login};
	if (!store_load_users(c->store, w, &ids, who, 1, err)) {
		engine_world_free(w);
		store_ids_free(&ids);
		return false;
	}
	int op = engine_user_find(w, c->operator_login);
	struct store_reach reach;
	if (op < 0 ||
	    !store_reach_of(w, &ids, op, ENGINE_ACT(ACT_USERS_VIEW), &reach)) {
		store_fail(err, "", "the operator %s is gone",
		           c->operator_login);
		engine_world_free(w);
		store_ids_free(&ids);
		return false;
	}
	engine_world_free(c->world);
	store_ids_free(&c->ids);
	store_reach_free(&c->reach);
	c->world = w;
	c->ids = ids;
	c->op = op;
	c->reach = reach;
	c->generation++;
	/* where there is none (a database loaded that way), the top line
	 * says that no one can administer the whole tree */
	c->info.no_root_admin = !root_admin;
	ui_set_info(&c->info);
	return true;
}

bool console_reload(struct console *c)
{
	struct store_error err = {0};
	if (!store_reconnect(c->store, &err) || !load(c, &err)) {
		ui_error("%s", err.message);
		return false;
	}
	return true;
}

bool console_load_user(struct console *c, const char *login)
{
	if (engine_user_find(c->world, login) >= 0)
		return true;
	struct store_error err = {0};
	const char *who[] = {login};
	if (!store_load_users(c->store, c->world, &c->ids, who, 1, &err)) {
		ui_error("%s", err.message);
		return false;
	}
	return engine_user_find(c->world, login) >= 0;
}

static void on_database(void *ctx)
{
	struct console *c = ctx;
	PGconn *pg = store_pg(c->store);
	bool changed = false;
	if (!PQconsumeInput(pg)) {
		ui_error("connection lost: %s", PQerrorMessage(pg));
		struct store_error err = {0};
		if (store_reconnect(c->store, &err) &&
		    store_run(c->store, "LISTEN accessdesk_changed", 0, NULL,
		              &err))
			ui_message("Reconnected to the database.");
		return;
	}
	PGnotify *n;
	while ((n = PQnotifies(pg)) != NULL) {
		changed = true;
		PQfreemem(n);
	}
	if (changed && console_reload(c))
		ui_notify_changed();
}

/* A notice raised during a save comes before the save's own message,
 * which would replace it: it is kept beside the message instead. */
static void notice_to_message(void *ctx, const char *message)
{
	(void)ctx;
	ui_notice(message);
}

int console_main(void)
{
	struct console c = {0};
	c.config = cli_config();
	if (!c.config)
		return EXIT_USAGE;
	c.read_only = cli_opts.read_only || c.config->ui.read_only;
	c.store = cli_connect();
	if (!c.store)
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	struct store_error err = {0};
	if (!cli_schema_current(c.store) ||
	    !cli_operator(c.store, c.operator_login, sizeof c.operator_login))
		goto out;
	if (!load(&c, &err) ||
	    !store_run(c.store, "LISTEN accessdesk_changed", 0, NULL, &err)) {
		cli_error("%s", err.message);
		goto out;
	}
	char msg[512];
	if (!ui_start(c.config, cli_opts.ascii_lines, msg, sizeof msg)) {
		cli_error("%s", msg);
		goto out;
	}
	store_on_notice(c.store, notice_to_message, NULL);
	c.info.operator_login = c.operator_login;
	c.info.database = store_dbname(c.store);
	c.info.demo = c.config->operator_source == CONFIG_OPERATOR_FLAG;
	c.info.read_only = c.read_only;
	ui_set_info(&c.info);
	struct ui_screen *tabs[] = {screen_users_new(&c), NULL, NULL, NULL,
	                            NULL};
	if (!tabs[0]) {
		ui_stop();
		cli_error("out of memory");
		goto out;
	}
	static const char *const labels[] = {"Users", "Organisations",
	                                     "Service Provider Clusters",
	                                     "Study Configure", "Audit"};
	ui_set_tabs(tabs, labels, 5);
	ui_run(PQsocket(store_pg(c.store)), on_database, &c);
	ui_stop();
	status = 0;
out:
	store_reach_free(&c.reach);
	engine_world_free(c.world);
	store_ids_free(&c.ids);
	store_disconnect(c.store);
	return status;
}
