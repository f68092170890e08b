/* user_count.c: counts that never block a key (issue 13, item 2). A
 * list's page is shown first; its count is the planner's estimate at once
 * (EXPLAIN of the count's own statement, a plan and no scan) and the
 * exact figure later, from a statement sent on a second connection of the
 * session's own (store_count), whose socket the console's loop watches
 * beside the first's. The pages never queue behind a count, and a count
 * never holds up a key.
 *
 * The connection answers one statement at a time: the counts asked wait
 * in a short queue, one per owner (a screen's pager). An owner that asks
 * again (a new search or sort) replaces what it asked before: still
 * queued, it is dropped; already sent, the server is asked to cancel it
 * and its answer, whatever comes, is never given (the request no longer
 * names an owner). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define COUNT_QUEUE  8  /* owners asking at once: a screen each */
#define COUNT_PARAMS 16 /* the most parameters of a count's statement */

struct count_req {
	void *owner; /* NULL: forgotten, its answer dropped */
	store_count_fn *fn;
	char *sql;
	int n;
	Oid types[COUNT_PARAMS];
	char *v[COUNT_PARAMS]; /* copies; NULL stays NULL (SQL NULL) */
};

struct store_count {
	struct store *conn;
	struct count_req q[COUNT_QUEUE];
	int n;       /* requests queued, q[0] first */
	bool sent;   /* q[0] is under way on conn */
	long answer; /* q[0]'s count, once its row is in; -1 before */
	bool failed; /* q[0]'s statement failed */
	/* a cancel sent for a forgotten count and perhaps not spent yet: it
	 * may land on the count sent after it (PQcancel is asynchronous),
	 * which is then sent again, once */
	bool cancel_out;
	struct store_error why; /* and why */
};

struct store_count *store_count_open(struct store *s, struct store_error *err)
{
	struct store_count *c = calloc(1, sizeof *c);
	if (!c) {
		store_fail(err, "", "out of memory");
		return NULL;
	}
	c->conn = store_connect_like(s, "accessdesk count", err);
	if (!c->conn) {
		free(c);
		return NULL;
	}
	return c;
}

static void req_free(struct count_req *r)
{
	free(r->sql);
	for (int i = 0; i < r->n; i++)
		free(r->v[i]);
	*r = (struct count_req){0};
}

/* Takes q[0] off the queue. */
static void pop(struct store_count *c)
{
	req_free(&c->q[0]);
	memmove(&c->q[0], &c->q[1], (size_t)(c->n - 1) * sizeof c->q[0]);
	c->q[--c->n] = (struct count_req){0};
	c->sent = false;
}

/* Every count asked is answered "not known" (-1) and dropped: the
 * connection is gone, or closing. */
static void drop_all(struct store_count *c)
{
	while (c->n > 0) {
		struct count_req r = c->q[0];
		c->q[0].owner = NULL;
		pop(c);
		if (r.owner)
			r.fn(r.owner, -1);
	}
}

void store_count_close(struct store_count *c)
{
	if (!c)
		return;
	while (c->n > 0)
		pop(c);
	store_disconnect(c->conn);
	free(c);
}

int store_count_socket(struct store_count *c)
{
	return c && store_connected(c->conn) ? store_socket(c->conn) : -1;
}

bool store_count_owed(const struct store_count *c)
{
	return c && c->n > 0;
}

bool store_count_connected(struct store_count *c)
{
	return c && store_connected(c->conn);
}

bool store_count_reconnect(struct store_count *c, struct store_error *err)
{
	if (store_connected(c->conn))
		return true; /* the counts owed still come */
	drop_all(c);
	return store_reconnect(c->conn, err);
}

int store_count_backend(struct store_count *c)
{
	return PQbackendPID(store_pg(c->conn));
}

/* Sends q[0] unless a statement is under way; false when it cannot be
 * sent (the connection is gone: err says so). */
static bool send_head(struct store_count *c, struct store_error *err)
{
	if (c->sent || c->n == 0)
		return true;
	struct count_req *r = &c->q[0];
	if (!PQsendQueryParams(store_pg(c->conn), r->sql, r->n, r->types,
	                       (const char *const *)r->v, NULL, NULL, 0)) {
		store_fail_result(c->conn, "count", NULL, err);
		return false;
	}
	c->sent = true;
	c->answer = -1;
	c->failed = false;
	c->why = (struct store_error){0};
	return true;
}

void store_count_forget(struct store_count *c, void *owner)
{
	if (!c)
		return;
	for (int i = c->n - 1; i >= 0; i--) {
		if (c->q[i].owner != owner)
			continue;
		if (i == 0 && c->sent) {
			/* its answer is dropped whatever comes; the server
			 * stops counting for nothing */
			c->q[0].owner = NULL;
			c->cancel_out = store_cancel(c->conn);
			continue;
		}
		req_free(&c->q[i]);
		memmove(&c->q[i], &c->q[i + 1],
		        (size_t)(c->n - i - 1) * sizeof c->q[0]);
		c->q[--c->n] = (struct count_req){0};
	}
}

bool store_count_ask(struct store_count *c, void *owner, store_count_fn *fn,
                     const char *sql, int n_params, const Oid *types,
                     const char *const *values, struct store_error *err)
{
	store_count_forget(c, owner);
	if (!store_connected(c->conn)) {
		store_fail(err, "08006",
		           "count: not connected to the database");
		return false;
	}
	if (n_params > COUNT_PARAMS || c->n == COUNT_QUEUE) {
		store_fail(err, "", "internal: too many counts asked at once");
		return false;
	}
	struct count_req r = {.owner = owner, .fn = fn, .n = n_params};
	bool ok = (r.sql = strdup(sql)) != NULL;
	for (int i = 0; ok && i < n_params; i++) {
		r.types[i] = types ? types[i] : 0;
		if (values[i] && !(r.v[i] = strdup(values[i])))
			ok = false;
	}
	if (!ok) {
		req_free(&r);
		store_fail(err, "", "out of memory");
		return false;
	}
	c->q[c->n++] = r;
	if (send_head(c, err))
		return true;
	drop_all(c); /* each told "not known"; the caller has err */
	return false;
}

int store_count_take(struct store_count *c, struct store_error *err)
{
	PGconn *pg = store_pg(c->conn);
	int answered = 0;
	if (!PQconsumeInput(pg) || PQstatus(pg) != CONNECTION_OK) {
		store_fail_result(c->conn, NULL, NULL, err);
		drop_all(c);
		return -1;
	}
	while (c->sent && !PQisBusy(pg)) {
		PGresult *r = PQgetResult(pg);
		if (r) {
			/* the statement's result; NULL follows it */
			if (PQresultStatus(r) == PGRES_TUPLES_OK &&
			    PQntuples(r) == 1) {
				c->answer =
				    strtol(PQgetvalue(r, 0, 0), NULL, 10);
			} else {
				store_fail_result(c->conn, "count", r, &c->why);
				c->failed = true;
			}
			PQclear(r);
			continue;
		}
		bool cancelled =
		    c->failed && strcmp(c->why.sqlstate, "57014") == 0;
		if (cancelled && c->cancel_out && c->q[0].owner) {
			/* our cancel of the count before: this one again */
			c->cancel_out = false;
			c->sent = false;
			if (!send_head(c, err)) {
				drop_all(c);
				return -1;
			}
			continue;
		}
		if (cancelled || c->q[0].owner)
			c->cancel_out = false; /* spent, or never will be */
		struct count_req done = c->q[0];
		long n = c->failed ? -1 : c->answer;
		bool failed = c->failed;
		c->q[0].owner = NULL;
		/* a forgotten count's error is its cancel: never shown */
		if (done.owner && failed && err)
			*err = c->why;
		pop(c);
		if (done.owner) {
			done.fn(done.owner, n);
			answered++;
		}
		if (!send_head(c, err)) {
			drop_all(c);
			return -1;
		}
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		drop_all(c);
		return -1;
	}
	return answered;
}

/* ---- the planner's estimate ------------------------------------------- */

/* EXPLAIN (FORMAT JSON) read just far enough: each plan node's type, its
 * relation to its parent, its Plan Rows and (a Gather) its workers. */
struct plan_node {
	char type[32], strategy[16], rel[16];
	double rows;
	int workers;
	double estimate; /* the rows the count will find, as planned */
};

static void skip_ws(const char **p)
{
	while (isspace((unsigned char)**p))
		(*p)++;
}

/* A JSON string into buf (escapes kept as they are: the names read here
 * have none); false when malformed. */
static bool json_string(const char **p, char *buf, size_t cap)
{
	skip_ws(p);
	if (**p != '"')
		return false;
	size_t n = 0;
	for ((*p)++; **p && **p != '"'; (*p)++) {
		if (**p == '\\' && (*p)[1])
			(*p)++;
		if (n + 1 < cap)
			buf[n++] = **p;
	}
	if (cap)
		buf[n] = '\0';
	if (**p != '"')
		return false;
	(*p)++;
	return true;
}

static bool json_skip(const char **p);

/* The items of an array or the members of an object, each skipped. */
static bool json_skip_items(const char **p, char close, bool members)
{
	char key[64];
	(*p)++;
	skip_ws(p);
	if (**p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		if (members) {
			if (!json_string(p, key, sizeof key))
				return false;
			skip_ws(p);
			if (*(*p)++ != ':')
				return false;
		}
		if (!json_skip(p))
			return false;
		skip_ws(p);
		if (**p == ',') {
			(*p)++;
			continue;
		}
		if (**p != close)
			return false;
		(*p)++;
		return true;
	}
}

static bool json_skip(const char **p)
{
	skip_ws(p);
	switch (**p) {
	case '"':
		return json_string(p, NULL, 0);
	case '{':
		return json_skip_items(p, '}', true);
	case '[':
		return json_skip_items(p, ']', false);
	case '\0':
		return false;
	default: /* a number, true, false, null */
		while (**p && !strchr(",}] \t\r\n", **p))
			(*p)++;
		return true;
	}
}

/* PostgreSQL's share of a partial plan's rows per process
 * (get_parallel_divisor, costsize.c): the workers and what the leader
 * adds beside them. */
static double parallel_divisor(int workers)
{
	double d = workers, leader = 1.0 - 0.3 * workers;
	return leader > 0 ? d + leader : d;
}

/* A plan node and below: the count's estimate is its own rows, but for a
 * node that passes its input's rows on to the count (a plain Aggregate,
 * a Gather) it is its outer child's, a Gather's times its processes
 * (a partial plan's rows are each process's share). */
static bool plan_node(const char **p, struct plan_node *n)
{
	*n = (struct plan_node){.rows = -1, .estimate = -1};
	skip_ws(p);
	if (**p != '{')
		return false;
	(*p)++;
	char key[64];
	for (;;) {
		skip_ws(p);
		if (**p == '}') {
			(*p)++;
			break;
		}
		if (!json_string(p, key, sizeof key))
			return false;
		skip_ws(p);
		if (*(*p)++ != ':')
			return false;
		skip_ws(p);
		if (strcmp(key, "Node Type") == 0) {
			if (!json_string(p, n->type, sizeof n->type))
				return false;
		} else if (strcmp(key, "Strategy") == 0) {
			if (!json_string(p, n->strategy, sizeof n->strategy))
				return false;
		} else if (strcmp(key, "Parent Relationship") == 0) {
			if (!json_string(p, n->rel, sizeof n->rel))
				return false;
		} else if (strcmp(key, "Plan Rows") == 0) {
			n->rows = strtod(*p, NULL);
			if (!json_skip(p))
				return false;
		} else if (strcmp(key, "Workers Planned") == 0) {
			n->workers = (int)strtol(*p, NULL, 10);
			if (!json_skip(p))
				return false;
		} else if (strcmp(key, "Plans") == 0 && **p == '[') {
			(*p)++;
			bool passes = (strcmp(n->type, "Aggregate") == 0 &&
			               strcmp(n->strategy, "Plain") == 0) ||
			              strcmp(n->type, "Gather") == 0;
			for (;;) {
				skip_ws(p);
				if (**p == ']') {
					(*p)++;
					break;
				}
				struct plan_node child;
				if (!plan_node(p, &child))
					return false;
				if (passes && n->estimate < 0 &&
				    strcmp(child.rel, "Outer") == 0)
					n->estimate = child.estimate;
				skip_ws(p);
				if (**p == ',')
					(*p)++;
			}
			if (n->estimate >= 0 && strcmp(n->type, "Gather") == 0)
				n->estimate *= parallel_divisor(n->workers);
		} else if (!json_skip(p)) {
			return false;
		}
		skip_ws(p);
		if (**p == ',')
			(*p)++;
	}
	if (n->estimate < 0)
		n->estimate = n->rows;
	return true;
}

long store_count_estimate(struct store *s, const char *sql, int n_params,
                          const Oid *types, const char *const *values,
                          struct store_error *err)
{
	size_t len = strlen(sql) + 32;
	char *explain = malloc(len);
	if (!explain) {
		store_fail(err, "", "out of memory");
		return -1;
	}
	snprintf(explain, len, "EXPLAIN (FORMAT JSON) %s", sql);
	PGresult *r = store_exec_typed(s, explain, n_params, types, values,
	                               PGRES_TUPLES_OK, err);
	free(explain);
	if (!r)
		return -1;
	/* [ { "Plan": { ... } } ] */
	const char *p = PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
	const char *plan = strstr(p, "\"Plan\"");
	struct plan_node top;
	bool ok = plan && (p = strchr(plan + 6, ':')) && (p++, true) &&
	          plan_node(&p, &top) && top.estimate >= 0;
	PQclear(r);
	if (!ok) {
		store_fail(err, "", "count: the planner's estimate unread");
		return -1;
	}
	return (long)(top.estimate + 0.5);
}

/* ---- the Users list's count ------------------------------------------- */

long store_users_count_start(struct store *s, struct store_count *c,
                             const struct store_reach *reach,
                             const char *operator_login,
                             const struct store_user_query *q, void *owner,
                             store_count_fn *fn, struct store_error *err)
{
	struct store_list_stmt st;
	if (!store_users_count_stmt(reach, operator_login, q, &st, err))
		return -1;
	long estimate = store_count_estimate(s, st.sql, STORE_LIST_PARAMS,
	                                     st.types, st.v, err);
	if (estimate >= 0 &&
	    !store_count_ask(c, owner, fn, st.sql, STORE_LIST_PARAMS, st.types,
	                     st.v, err))
		estimate = -1;
	store_list_stmt_free(&st);
	return estimate;
}
