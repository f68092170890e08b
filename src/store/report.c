/* report.c: the Organisation / User report: one row per user and grant,
 * only grants at organisations where the operator has users.view and
 * reports.run, streamed row by row (single-row mode) so a million users
 * never sit in memory. The operator's reach goes to the database as one
 * array parameter, as for the Users list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/csv.h"
#include "internal.h"

/* $1 the organisations whose grants are shown, $4, $11 and $12 the
 * search's patterns (the Users list's numbering, so the search's fragments
 * are the list's; the others are unused). One statement per shape from
 * constant fragments: the head, each grant's roles, payment types and
 * clusters, the grants shown (all, or those at $1), the search, the order.
 * The same statement feeds both ways of writing the report: row by row
 * (store_report) and as the database's own CSV (store_report_copy). */
#define REPORT_PARAMS 12
static const Oid report_types[REPORT_PARAMS] = {
    1016 /* bigint[] */, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25};
/* Every column through NULLIF(.., ''): COPY's CSV writes an empty string
 * as "" and NULL as nothing, where csv_row writes both as nothing; with no
 * empty string left the two write the same bytes (COPY's rule for quoting
 * otherwise is csv_row's: a comma, a quote, CR or LF, quotes doubled). */
static const char report_head[] =
    "SELECT NULLIF(u.login, ''), NULLIF(u.last_name, ''),"
    " NULLIF(u.first_name, ''), NULLIF(u.email, ''),"
    " CASE WHEN u.enabled THEN 'Enabled' ELSE 'Disabled' END,"
    " NULLIF(to_char(u.created_at, 'DD/MM/YYYY'), ''), NULLIF(o.code, ''),"
    " NULLIF(o.name, ''), NULLIF(p.code, ''), NULLIF(p.name, ''),"
    " NULLIF(gr.v, ''), NULLIF(gp.v, ''), NULLIF(gc.v, '')"
    " FROM grants g JOIN users u ON u.id = g.user_id"
    " JOIN organisations o ON o.id = g.org_id"
    " LEFT JOIN organisations p ON p.id = o.parent_id";
/* A grant's roles, payment types and clusters: each list aggregated per
 * grant once for the whole set and joined by grant id (a merge or hash
 * join), not a subquery run for every row. Each aggregate runs over x, one
 * row per item. */
static const char roles_head[] =
    " LEFT JOIN (SELECT x.grant_id,"
    " string_agg(r.name, '; ' ORDER BY x.position) AS v"
    " FROM grant_roles x JOIN roles r ON r.id = x.role_id";
static const char roles_tail[] =
    " GROUP BY x.grant_id) gr ON gr.grant_id = g.id";
static const char payments_head[] =
    " LEFT JOIN (SELECT x.grant_id,"
    " string_agg(x.payment_type, ' ' ORDER BY pt.position) AS v"
    " FROM grant_payment_types x"
    " JOIN payment_types pt ON pt.code = x.payment_type";
static const char payments_tail[] =
    " GROUP BY x.grant_id) gp ON gp.grant_id = g.id";
static const char clusters_head[] =
    " LEFT JOIN (SELECT x.grant_id,"
    " string_agg(c.short_name, ' ' ORDER BY x.position) AS v"
    " FROM grant_clusters x JOIN clusters c ON c.id = x.cluster_id";
static const char clusters_tail[] =
    " GROUP BY x.grant_id) gc ON gc.grant_id = g.id";
/* When not every grant is shown, an aggregate covers only the grants
 * shown: the same grants and users, filtered by the same fragments, so a
 * narrow operator's or a search's report never aggregates every grant. */
static const char aggregate_shown[] =
    " JOIN grants g ON g.id = x.grant_id JOIN users u ON u.id = g.user_id"
    " WHERE true";
static const char report_where[] = " WHERE true";
static const char report_visible[] = " AND g.org_id = ANY($1::bigint[])";
static const char report_order[] =
    " ORDER BY u.last_name, u.first_name, u.login, g.id";

const char *const store_report_columns[STORE_REPORT_COLUMNS] = {
    "User ID",
    "Last Name",
    "First Name",
    "Email Address",
    "Status",
    "Date Added",
    "Organisation ID",
    "Organisation",
    "Parent Organisation ID",
    "Parent Organisation",
    "Roles",
    "Payment Types",
    "Service Provider Clusters"};

bool store_report_csv_row(void *ctx, const char *const *fields)
{
	return csv_row(ctx, fields, STORE_REPORT_COLUMNS);
}

/* The report's statement for the operator and the search, with its
 * parameters; report_stmt_free frees what it holds. */
struct report_stmt {
	char sql[8192];
	const char *p[REPORT_PARAMS];
	struct store_reach reach;
	char *search[3];
};

static void report_stmt_free(struct report_stmt *st)
{
	store_reach_free(&st->reach);
	for (int i = 0; i < 3; i++)
		free(st->search[i]);
}

/* Appends the fragments that choose the grants shown (the operator's
 * reach, the search) at parts[k]; the new count. */
static int shown_parts(const struct report_stmt *st,
                       const struct store_user_query *q, const char **parts,
                       int k)
{
	if (!st->reach.everything)
		parts[k++] = report_visible;
	return k + store_search_sql(q, st->reach.everything, parts + k);
}

static bool report_prepare(struct store *s, const char *operator_login,
                           const struct store_user_query *q,
                           struct report_stmt *st, struct store_error *err)
{
	*st = (struct report_stmt){0};
	struct store_ids ids;
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, err);
	if (!w)
		return false;
	bool ok = false;
	const char *who[] = {operator_login};
	int op;
	if (!store_load_users(s, w, &ids, who, 1, err))
		goto out;
	op = engine_user_find(w, operator_login);
	if (op < 0) {
		store_fail(err, "", "no operator \"%s\"", operator_login);
		goto out;
	}
	if (!store_reach_of(w, &ids, op,
	                    ENGINE_ACT(ACT_USERS_VIEW) |
	                        ENGINE_ACT(ACT_REPORTS_RUN),
	                    &st->reach) ||
	    !store_search_params(q, st->search)) {
		store_fail(err, "", "out of memory");
		goto out;
	}
	/* the most: head, 3 aggregates of 2 + shown (1 + 1 + 3), where,
	 * shown, order */
	const char *parts[32] = {report_head};
	static const char *const aggregates[3][2] = {
	    {roles_head, roles_tail},
	    {payments_head, payments_tail},
	    {clusters_head, clusters_tail}};
	const char *scratch[8];
	bool every_grant = shown_parts(st, q, scratch, 0) == 0;
	int k = 1;
	for (int a = 0; a < 3; a++) {
		parts[k++] = aggregates[a][0];
		if (!every_grant) {
			parts[k++] = aggregate_shown;
			k = shown_parts(st, q, parts, k);
		}
		parts[k++] = aggregates[a][1];
	}
	parts[k++] = report_where;
	k = shown_parts(st, q, parts, k);
	parts[k++] = report_order;
	if (!store_sql_join(st->sql, sizeof st->sql, parts, k)) {
		store_fail(err, "", "internal: report statement too long");
		goto out;
	}
	st->p[0] = st->reach.everything ? NULL : st->reach.orgs;
	st->p[3] = st->search[0];
	st->p[10] = st->search[1];
	st->p[11] = st->search[2];
	ok = true;
out:
	if (!ok)
		report_stmt_free(st);
	engine_world_free(w);
	store_ids_free(&ids);
	return ok;
}

long store_report(struct store *s, const char *operator_login,
                  const struct store_user_query *q, store_row_fn *row,
                  void *ctx, struct store_error *err)
{
	struct report_stmt st;
	if (!report_prepare(s, operator_login, q, &st, err))
		return -1;
	long count = store_stream(s, st.sql, REPORT_PARAMS, report_types, st.p,
	                          STORE_REPORT_COLUMNS, row, ctx, err);
	report_stmt_free(&st);
	return count;
}

/* The SQL type a parameter of report_types is read back as. */
static const char *type_name(Oid t)
{
	return t == 1016 ? "bigint[]" : "text";
}

/* sql for COPY, which takes no parameters: each $n becomes the setting
 * accessdesk.pn, which store_report_copy sets to the parameter's value in
 * the same transaction, cast to the parameter's type. The values never
 * enter the text; only the constant fragments are rewritten. Quoted
 * literals are copied as they are. False when it does not fit. */
static bool copy_sql(const char *sql, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "COPY (");
	bool quoted = false;
	for (const char *c = sql; *c && n < cap; c++) {
		quoted = quoted != (*c == '\'');
		if (quoted || *c != '$' || c[1] < '1' || c[1] > '9') {
			out[n++] = *c;
			continue;
		}
		int i = (int)strtol(c + 1, NULL, 10);
		if (i > REPORT_PARAMS)
			return false;
		n += (size_t)snprintf(out + n, cap - n,
		                      "current_setting('accessdesk.p%d')::%s",
		                      i, type_name(report_types[i - 1]));
		while (c[1] >= '0' && c[1] <= '9')
			c++;
	}
	if (n < cap)
		n += (size_t)snprintf(out + n, cap - n,
		                      ") TO STDOUT WITH (FORMAT csv)");
	return n < cap;
}

long store_report_copy(struct store *s, const char *operator_login,
                       const struct store_user_query *q, FILE *out,
                       struct store_error *err)
{
	struct report_stmt st;
	if (!report_prepare(s, operator_login, q, &st, err))
		return -1;
	long count = -1;
	char copy[16384];
	if (!copy_sql(st.sql, copy, sizeof copy)) {
		store_fail(err, "", "internal: report statement too long");
		goto out;
	}
	/* one read-only snapshot; the settings last until its end */
	if (!store_run(s, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0,
	               NULL, err))
		goto out;
	for (int i = 0; i < REPORT_PARAMS; i++) {
		char name[8];
		snprintf(name, sizeof name, "%d", i + 1);
		const char *v[] = {name, st.p[i]};
		if (st.p[i] &&
		    !store_run(
		        s, "SELECT set_config('accessdesk.p' || $1, $2, true)",
		        2, v, err))
			goto out;
	}
	count = store_copy_csv(s, copy, out, err);
out:
	store_rollback(s);
	report_stmt_free(&st);
	return count;
}
