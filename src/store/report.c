/* report.c: the Organisation / User report: one row per user and grant,
 * only grants at organisations where the operator has users.view and
 * reports.run, streamed row by row (single-row mode) so a million users
 * never sit in memory. The operator's reach goes to the database as a set
 * of whole subtrees and single organisations (array parameters). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/store.h"

/* "{1,2,3}" from database ids of engine ids. */
static char *id_array(const struct store_idmap *m, const int *v, int n)
{
	size_t cap = 3 + (size_t)n * 21, at = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[at++] = '{';
	for (int i = 0; i < n; i++)
		at += (size_t)snprintf(s + at, cap - at, "%s%lld", i ? "," : "",
		                       m->db[v[i]]);
	snprintf(s + at, cap - at, "}");
	return s;
}

bool store_reach_arrays(const struct engine_world *w,
                        const struct store_ids *ids, int user,
                        engine_actions need, char **subtrees, char **singles)
{
	int n = engine_n_orgs(w);
	int *roots = malloc(((size_t)n + 1) * sizeof *roots);
	int *single = malloc(((size_t)n + 1) * sizeof *single);
	*subtrees = *singles = NULL;
	if (roots && single) {
		int nr, ns;
		engine_reach_sets(w, user, need, roots, &nr, single, &ns);
		*subtrees = id_array(&ids->org, roots, nr);
		*singles = id_array(&ids->org, single, ns);
	}
	free(roots);
	free(single);
	if (*subtrees && *singles)
		return true;
	free(*subtrees);
	free(*singles);
	return false;
}

static const char report_sql[] =
    "WITH RECURSIVE reach(id) AS ("
    " SELECT unnest($1::bigint[])"
    " UNION ALL SELECT o.id FROM organisations o JOIN reach r ON "
    "o.parent_id = r.id),"
    " visible AS (SELECT id FROM reach UNION SELECT unnest($2::bigint[]))"
    " SELECT u.login, u.last_name, u.first_name, u.email,"
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
    " FROM grants g JOIN visible v ON v.id = g.org_id"
    " JOIN users u ON u.id = g.user_id"
    " JOIN organisations o ON o.id = g.org_id"
    " LEFT JOIN organisations p ON p.id = o.parent_id"
    " WHERE ($3::text IS NULL OR u.login = $3)"
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

long store_report(struct store *s, const char *operator_login,
                  const char *only_login, store_row_fn *row, void *ctx,
                  struct store_error *err)
{
	struct store_ids ids;
	struct engine_world *w =
	    store_load_world(s, STORE_LOAD_BASE, &ids, err);
	if (!w)
		return -1;
	long count = -1;
	char *subtrees = NULL, *singles = NULL;
	const char *who[] = {operator_login};
	int op;
	if (!store_load_users(s, w, &ids, who, 1, err))
		goto out;
	op = engine_user_find(w, operator_login);
	if (op < 0) {
		store_fail(err, "", "no operator \"%s\"", operator_login);
		goto out;
	}
	if (!store_reach_arrays(w, &ids, op,
	                        ENGINE_ACT(ACT_USERS_VIEW) |
	                            ENGINE_ACT(ACT_REPORTS_RUN),
	                        &subtrees, &singles)) {
		store_fail(err, "", "out of memory");
		goto out;
	}
	const char *p[] = {subtrees, singles, only_login};
	PGconn *pg = store_pg(s);
	if (!PQsendQueryParams(pg, report_sql, 3, NULL, p, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(pg)) {
		store_fail(err, "", "%s", PQerrorMessage(pg));
		goto out;
	}
	count = 0;
	bool failed = false;
	PGresult *r;
	while ((r = PQgetResult(pg)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE && !failed) {
			const char *fields[STORE_REPORT_COLUMNS];
			for (int i = 0; i < STORE_REPORT_COLUMNS; i++)
				fields[i] = PQgetvalue(r, 0, i);
			if (!row(ctx, fields)) {
				failed = true;
				store_fail(err, "",
				           "could not write the report");
				/* drain the rest; a cancel would also do */
			}
			count++;
		} else if (st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE) {
			const char *m =
			    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
			store_fail(err, "", "%s", m ? m : PQerrorMessage(pg));
			failed = true;
		}
		PQclear(r);
	}
	if (failed)
		count = -1;
out:
	free(subtrees);
	free(singles);
	engine_world_free(w);
	store_ids_free(&ids);
	return count;
}
