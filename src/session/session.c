/* session.c: the console's connection and world (session.h).
 *
 * The world is loaded whole at the start and again whenever the database
 * announces a change (LISTEN accessdesk_changed; on a hot standby, which
 * refuses LISTEN, a poll of the audit chain's head while idle: follow),
 * after our own saves, and after a reconnection; each load bumps the
 * generation and tells every open screen. A lost connection (the server
 * restarted, the link dropped) is noticed on the socket or after a
 * statement; the top line then says NOT CONNECTED and reconnection is
 * tried from the loop's timer with backoff (0.5 s doubling to 8 s), never
 * on each readable event; libpq chooses the server again, so a promoted
 * standby is found where the conninfo names it. While a statement runs,
 * ^C cancels it, as in psql.
 *
 * A second connection carries the lists' counts (store_count), so that a
 * count never delays a page or a key: the loop watches its socket beside
 * the first's. The session's connections are one state: either lost
 * makes the top line say NOT CONNECTED, and the one reconnection (the
 * timer's, with its backoff) finds both again; a count owed on a lost
 * connection is answered "not known", and the reload after reconnecting
 * asks every list's count again. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessdesk/cli.h"
#include "accessdesk/session.h"

#define RETRY_FIRST_MS 500
#define RETRY_MAX_MS   8000

static const char listen_sql[] = "LISTEN accessdesk_changed";

static bool load(struct session *c, struct store_error *err)
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

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The connection is gone: say so, and retry from the timer. */
static void lost(struct session *c)
{
	if (!c->connected)
		return;
	c->connected = false;
	c->retry_ms = RETRY_FIRST_MS;
	c->due_ms = now_ms() + c->retry_ms;
	c->info.not_connected = true;
	ui_set_info(&c->info);
}

bool session_offline(struct session *c, const char *what)
{
	if (c->connected && !store_connected(c->store))
		lost(c);
	if (c->connected)
		return false;
	long long left = c->due_ms - now_ms();
	ui_error("Not connected to the database: cannot %s now; trying "
	         "again in %lld s. Your input is kept.",
	         what, left > 0 ? (left + 999) / 1000 : 0);
	return true;
}

bool session_reload(struct session *c)
{
	if (session_offline(c, "reload"))
		return false;
	struct store_error err = {0};
	if (!load(c, &err)) {
		ui_error("%s", err.message);
		if (!store_connected(c->store))
			lost(c);
		return false;
	}
	ui_notify_changed();
	return true;
}

bool session_load_user(struct session *c, const char *login)
{
	if (engine_user_find(c->world, login) >= 0)
		return true;
	if (session_offline(c, "read the user"))
		return false;
	struct store_error err = {0};
	const char *who[] = {login};
	if (!store_load_users(c->store, c->world, &c->ids, who, 1, &err)) {
		ui_error("%s", err.message);
		return false;
	}
	return engine_user_find(c->world, login) >= 0;
}

/* ---- following changes ------------------------------------------------ */

/* A hot standby refuses LISTEN ("cannot execute LISTEN during recovery"),
 * and the primary's NOTIFY never reaches it. There the session polls the
 * audit chain's head (one row) while the console is idle: every change
 * made through accessdesk adds a record (loads, seeds and imports too), so
 * a new head is taken as a NOTIFY would be, by a reload. A write made
 * behind accessdesk's back (SQL by hand) adds none and shows with the next
 * change. The replay position (pg_last_wal_replay_lsn) would see those,
 * but it moves with every commit of the whole cluster (other databases,
 * ANALYZE), each of which would reload the world. */
#define POLL_MS 1000

static const char head_sql[] = "SELECT seq FROM audit_head";

static bool read_head(struct session *c, long long *seq,
                      struct store_error *err)
{
	PGresult *r = store_exec_rows(c->store, "the audit chain's head",
	                              head_sql, 0, NULL, 1, err);
	if (!r)
		return false;
	*seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return true;
}

/* After each connection: LISTEN on a primary; on a standby, the head as it
 * stands and the first poll due. */
static bool follow(struct session *c, struct store_error *err)
{
	c->standby = store_hot_standby(c->store);
	if (!c->standby)
		return store_run(c->store, listen_sql, 0, NULL, err);
	c->poll_ms = now_ms() + POLL_MS;
	return read_head(c, &c->head_seq, err);
}

/* The standby's poll: a new head is a change announced. */
static void poll_head(struct session *c)
{
	struct store_error err = {0};
	long long seq;
	c->poll_ms = now_ms() + POLL_MS;
	if (!read_head(c, &seq, &err)) {
		if (!store_connected(c->store)) {
			lost(c);
			ui_error("Connection to the database lost: %s",
			         err.message);
		} else {
			ui_error("%s", err.message);
		}
	} else if (seq != c->head_seq) {
		c->head_seq = seq;
		session_reload(c);
	}
}

/* ---- the loop's callbacks --------------------------------------------- */

enum { FD_NOTIFY, FD_COUNTS };

static void sync_loop(struct session *c, struct ui_loop *l)
{
	l->fd[FD_NOTIFY] = c->connected ? store_socket(c->store) : -1;
	l->fd[FD_COUNTS] = c->connected ? store_count_socket(c->counts) : -1;
	/* the timer: reconnecting, or on a standby the next poll */
	long long left = (c->connected ? c->poll_ms : c->due_ms) - now_ms();
	l->timer_ms = c->connected && !c->standby ? -1
	              : left > 0                  ? (int)left
	                                          : 0;
}

static bool owes(struct ui_loop *l, int i)
{
	struct session *c = l->ctx;
	return i == FD_COUNTS && store_count_owed(c->counts);
}

static void on_socket(struct ui_loop *l, int i)
{
	struct session *c = l->ctx;
	struct store_error err = {0};
	if (i == FD_COUNTS) {
		/* answers go to the lists that asked (store_count_fn) */
		if (store_count_take(c->counts, &err) < 0) {
			/* (unless a statement found it lost and said so: a
			 * save's "not saved" stays on the message line) */
			if (c->connected)
				ui_error("Connection to the database lost: %s",
				         err.message);
			lost(c);
		} else if (err.message[0]) {
			ui_error("%s", err.message);
		}
		sync_loop(c, l);
		return;
	}
	int n = store_take_notifications(c->store, &err);
	if (n < 0) {
		if (c->connected)
			ui_error("Connection to the database lost: %s",
			         err.message);
		lost(c);
	} else if (n > 0) {
		session_reload(c);
	}
	sync_loop(c, l);
}

static void on_timer(struct ui_loop *l)
{
	struct session *c = l->ctx;
	if (c->connected && c->standby && now_ms() >= c->poll_ms)
		poll_head(c);
	if (!c->connected && now_ms() >= c->due_ms) {
		struct store_error err = {0};
		if (store_reconnect(c->store, &err) && follow(c, &err) &&
		    store_count_reconnect(c->counts, &err)) {
			c->connected = true;
			c->info.not_connected = false;
			ui_set_info(&c->info);
			if (session_reload(c))
				ui_message("Reconnected to the database.");
		} else {
			c->retry_ms *= 2;
			if (c->retry_ms > RETRY_MAX_MS)
				c->retry_ms = RETRY_MAX_MS;
			c->due_ms = now_ms() + c->retry_ms;
		}
	}
	sync_loop(c, l);
}

/* ^C while a statement runs: the handler may only cancel. */
static struct store *waiting_store;

static void interrupt(void)
{
	if (waiting_store)
		store_cancel(waiting_store);
}

/* SIGHUP or SIGTERM while a statement runs (the SSH connection dropped
 * while a save waits on a lock). The frame holds them back except while
 * it waits for keys, so the console would outlive its terminal, holding
 * its locks (the audit chain's: every change queues behind it), for as
 * long as the statement waits. While one runs they are let in: the
 * statement is cancelled, its transaction rolls back, and the signal goes
 * on to the handler that was there (the frame's records it and ends the
 * console; none: it ends the process as it would have). */
static struct sigaction ends_before[2]; /* SIGHUP's and SIGTERM's */
static sigset_t mask_before;
static bool ends_let_in;

static void on_end_signal(int sig)
{
	const struct sigaction *was = &ends_before[sig == SIGHUP ? 0 : 1];
	interrupt();
	if (was->sa_handler == SIG_DFL) {
		signal(sig, SIG_DFL);
		raise(sig);
	} else if (was->sa_handler != SIG_IGN) {
		was->sa_handler(sig);
	}
}

static void ends_while_waiting(bool waiting)
{
	if (waiting == ends_let_in)
		return;
	ends_let_in = waiting;
	if (!waiting) {
		sigprocmask(SIG_SETMASK, &mask_before, NULL);
		sigaction(SIGHUP, &ends_before[0], NULL);
		sigaction(SIGTERM, &ends_before[1], NULL);
		return;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_end_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, &ends_before[0]);
	sigaction(SIGTERM, &sa, &ends_before[1]);
	sigset_t ends;
	sigemptyset(&ends);
	sigaddset(&ends, SIGHUP);
	sigaddset(&ends, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &ends, &mask_before);
}

static void on_wait(void *ctx, bool waiting)
{
	struct session *c = ctx;
	waiting_store = waiting ? c->store : NULL;
	ui_waiting(waiting, interrupt);
	ends_while_waiting(waiting);
	if (!waiting && !store_connected(c->store))
		lost(c);
}

/* A notice raised during a save comes before the save's own message,
 * which would replace it: it is kept beside the message instead. */
static void notice_to_message(void *ctx, const char *message)
{
	(void)ctx;
	ui_notice(message);
}

/* ---- opening and running ---------------------------------------------- */

bool session_open(struct session *c)
{
	c->config = cli_config();
	if (!c->config)
		return false;
	c->read_only = cli_opts.read_only || c->config->ui.read_only;
	c->store = cli_connect();
	if (!c->store)
		return false;
	struct store_error err = {0};
	if (!cli_schema_current(c->store) ||
	    !cli_operator(c->store, c->operator_login,
	                  sizeof c->operator_login))
		return false;
	if (!load(c, &err) || !follow(c, &err) ||
	    !(c->counts = store_count_open(c->store, &err))) {
		cli_error("%s", err.message);
		return false;
	}
	/* a standby cannot be written: read-only there, whatever the flag */
	if (c->standby)
		c->read_only = true;
	c->connected = true;
	c->info.operator_login = c->operator_login;
	c->info.database = store_dbname(c->store);
	c->info.demo = c->config->operator_source == CONFIG_OPERATOR_FLAG;
	c->info.read_only = c->read_only;
	ui_set_info(&c->info);
	return true;
}

enum ui_end session_run(struct session *c)
{
	store_on_notice(c->store, notice_to_message, NULL);
	store_on_wait(c->store, on_wait, c);
	struct ui_loop loop = {
	    .on_fd = on_socket, .owes = owes, .on_timer = on_timer, .ctx = c};
	sync_loop(c, &loop);
	enum ui_end end = ui_run(&loop);
	store_on_wait(c->store, NULL, NULL);
	return end;
}

void session_close(struct session *c)
{
	store_reach_free(&c->reach);
	engine_world_free(c->world);
	store_ids_free(&c->ids);
	store_count_close(c->counts);
	store_disconnect(c->store);
	c->counts = NULL;
	c->store = NULL;
	c->world = NULL;
}
