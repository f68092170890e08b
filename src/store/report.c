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
 * constant fragments: the head, the grants shown (all, or those at $1),
 * the search, the order. */
#define REPORT_PARAMS 12
static const Oid report_types[REPORT_PARAMS] = {
    1016 /* bigint[] */, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25};
static const char report_head[] =
    "SELECT u.login, u.last_name, u.first_name, u.email,"
    " CASE WHEN u.enabled THEN 'Enabled' ELSE 'Disabled' END,"
    " to_char(u.created_at, 'DD/MM/YYYY'), o.code, o.name,"
    " coalesce(p.code, ''), coalesce(p.name, ''),"
    " coalesce((SELECT string_agg(r.name, '; ' ORDER BY gr.position)"
    "  FROM grant_roles gr JOIN roles r ON r.id = gr.role_id"
    "  WHERE gr.grant_id = g.id), ''),"
    " coalesce((SELECT string_agg(gp.payment_type, ' ' ORDER BY pt.position)"
    "  FROM grant_payment_types gp JOIN payment_types pt ON pt.code ="
    "  gp.payment_type WHERE gp.grant_id = g.id), ''),"
    " coalesce((SELECT string_agg(c.short_name, ' ' ORDER BY gc.position)"
    "  FROM grant_clusters gc JOIN clusters c ON c.id = gc.cluster_id"
    "  WHERE gc.grant_id = g.id), '')"
    " FROM grants g JOIN users u ON u.id = g.user_id"
    " JOIN organisations o ON o.id = g.org_id"
    " LEFT JOIN organisations p ON p.id = o.parent_id"
    " WHERE true";
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

long store_report(struct store *s, const char *operator_login,
                  const struct store_user_query *q, store_row_fn *row,
                  void *ctx, struct store_error *err)
{
	struct store_ids ids;
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, err);
	if (!w)
		return -1;
	long count = -1;
	struct store_reach reach = {0};
	char *search[3] = {NULL, NULL, NULL}, sql[4096];
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
	                    &reach)) {
		store_fail(err, "", "out of memory");
		goto out;
	}
	if (!store_search_params(q, search)) {
		store_fail(err, "", "out of memory");
		goto out;
	}
	const char *parts[24] = {report_head};
	int k = 1;
	if (!reach.everything)
		parts[k++] = report_visible;
	k += store_search_sql(q, reach.everything, parts + k);
	parts[k++] = report_order;
	if (!store_sql_join(sql, sizeof sql, parts, k)) {
		store_fail(err, "", "internal: report statement too long");
		goto out;
	}
	const char *p[] = {reach.everything ? NULL : reach.orgs,
	                   NULL,
	                   NULL,
	                   search[0],
	                   NULL,
	                   NULL,
	                   NULL,
	                   NULL,
	                   NULL,
	                   NULL,
	                   search[1],
	                   search[2]};
	count = store_stream(s, sql, REPORT_PARAMS, report_types, p,
	                     STORE_REPORT_COLUMNS, row, ctx, err);
out:
	store_reach_free(&reach);
	for (int i = 0; i < 3; i++)
		free(search[i]);
	engine_world_free(w);
	store_ids_free(&ids);
	return count;
}
