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
 * are the list's; the others are unused). Each grant carries its report
 * row (015, 016, 017_report_rows.sql: its user's columns, its
 * organisation's and its parent's, its roles, payment types and clusters
 * as text), so the report is the grants alone in the order of
 * grants_report, which holds every column: with every grant fitting in an
 * index entry (nearly always: report_fits), one index-only scan and no sort
 * for the whole country. One statement per shape from constant fragments:
 * the head, the grants (all, or those of the users a search finds),
 * whether every grant fits, the grants shown (all, or those at $1), the
 * order. The same statement feeds both ways of writing the report: row by
 * row (store_report) and as the database's own CSV (store_report_copy). */
#define REPORT_PARAMS 12
static const Oid report_types[REPORT_PARAMS] = {
    1016 /* bigint[] */, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25};
/* Every column through NULLIF(.., ''): COPY's CSV writes an empty string
 * as "" and NULL as nothing, where csv_row writes both as nothing; with no
 * empty string left the two write the same bytes (COPY's rule for quoting
 * otherwise is csv_row's: a comma, a quote, CR or LF, quotes doubled).
 * CELL(x) is each text column as the CSV shows it: exactly (x), or for
 * COPY's CSV_SAFE, through ad_csv_cell (020_csv_cells.sql), csv_row's rule
 * against formulas in SQL; the rows read one by one are always exact, for
 * csv_row to apply the rule itself. */
/* clang-format off */
#define REPORT_HEAD(CELL)                                                   \
	"SELECT NULLIF(" CELL("r.u_login") ", ''),"                         \
	" NULLIF(" CELL("r.u_last") ", ''),"                                \
	" NULLIF(" CELL("r.u_first") ", ''),"                               \
	" NULLIF(" CELL("r.u_email") ", ''),"                               \
	" CASE WHEN r.u_enabled THEN 'Enabled' ELSE 'Disabled' END,"        \
	" NULLIF(to_char(r.u_created, 'DD/MM/YYYY'), ''),"                  \
	" NULLIF(" CELL("r.o_code") ", ''),"                                \
	" NULLIF(" CELL("r.o_name") ", ''),"                                \
	" NULLIF(" CELL("r.p_code") ", ''),"                                \
	" NULLIF(" CELL("r.p_name") ", ''),"                                \
	" NULLIF(" CELL("r.r_roles") ", ''),"                               \
	" NULLIF(" CELL("r.r_payment_types") ", ''),"                       \
	" NULLIF(" CELL("r.r_clusters") ", '')"
/* clang-format on */
#define EXACT_CELL(x) x
#define SAFE_CELL(x)  "ad_csv_cell(" x ")"
static const char report_head[] = REPORT_HEAD(EXACT_CELL);
static const char report_head_safe[] = REPORT_HEAD(SAFE_CELL);
static const char report_grants[] = " FROM grants r WHERE true";
/* A search's report: the users it finds (the list's fragments over users
 * u), then each one's grants (one probe of the grants by user each: never
 * a pass over a region's grants to meet a few hundred users). */
static const char report_search_head[] =
    " FROM (SELECT u.id FROM users u WHERE true";
static const char report_search_tail[] =
    " OFFSET 0) m CROSS JOIN LATERAL (SELECT r.* FROM grants r"
    " WHERE r.user_id = m.id OFFSET 0) r WHERE true";
/* when no grant is too long for grants_report (report_long) */
static const char report_fits[] = " AND r.report_fits";
static const char report_visible[] = " AND r.org_id = ANY($1::bigint[])";
static const char report_order[] =
    " ORDER BY r.u_last, r.u_first, r.u_login, r.id";
/* Whether some grant's row is too long for an index entry: then the
 * report sorts (seconds for the country) rather than miss it. Asked in
 * the report's own snapshot; grants_report_long holds only those grants. */
static const char report_long[] =
    "SELECT 1 FROM grants WHERE NOT report_fits LIMIT 1";

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
	return csv_row(ctx, fields, STORE_REPORT_COLUMNS, CSV_SAFE);
}

bool store_report_csv_row_exact(void *ctx, const char *const *fields)
{
	return csv_row(ctx, fields, STORE_REPORT_COLUMNS, CSV_EXACT);
}

/* The report's operator and search, with the parameters; report_free
 * frees what it holds. */
struct report_stmt {
	char sql[4096];
	const char *p[REPORT_PARAMS];
	struct store_reach reach;
	char *search[3];
	const struct store_user_query *q;
	enum csv_cells cells; /* CSV_SAFE: COPY applies ad_csv_cell */
};

static void report_free(struct report_stmt *st)
{
	store_reach_free(&st->reach);
	for (int i = 0; i < 3; i++)
		free(st->search[i]);
}

/* The operator's reach (users.view and reports.run) and the search's
 * patterns. */
static bool report_prepare(struct store *s, const char *operator_login,
                           const struct store_user_query *q,
                           struct report_stmt *st, struct store_error *err)
{
	*st = (struct report_stmt){.q = q, .cells = CSV_EXACT};
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
	st->p[0] = st->reach.everything ? NULL : st->reach.orgs;
	st->p[3] = st->search[0];
	st->p[10] = st->search[1];
	st->p[11] = st->search[2];
	ok = true;
out:
	if (!ok)
		report_free(st);
	engine_world_free(w);
	store_ids_free(&ids);
	return ok;
}

/* Opens the report's read-only snapshot and builds its statement in
 * st->sql: whether every grant fits is asked in that snapshot, so a long
 * row written meanwhile is in neither or in both. False with err set (the
 * transaction then rolled back). */
static bool report_begin(struct store *s, struct report_stmt *st,
                         struct store_error *err)
{
	if (!store_begin_snapshot(s, err))
		return false;
	PGresult *r = store_exec(s, report_long, 0, NULL, PGRES_TUPLES_OK, err);
	if (!r) {
		store_rollback(s);
		return false;
	}
	bool every_fits = PQntuples(r) == 0;
	PQclear(r);
	const char *search[8];
	int n = store_search_sql(st->q, st->reach.everything, search);
	/* The whole country's report is grants_report in its order. The
	 * planner prices a sort of these wide rows below its cost and would
	 * rather sort while the tables are small (86,151 grants: 428 ms by a
	 * sort against 214 ms from the index; 1,719,592: 3.4 s against
	 * 1.7 s), so for this shape alone, sorting is ruled out (a narrow
	 * operator's few grants are sorted, rightly). */
	if (every_fits && st->reach.everything && n == 0 &&
	    !store_run(s, "SET LOCAL enable_sort = off", 0, NULL, err)) {
		store_rollback(s);
		return false;
	}
	const char *parts[24] = {st->cells == CSV_SAFE ? report_head_safe
	                                               : report_head};
	int k = 1;
	if (n > 0) {
		parts[k++] = report_search_head;
		for (int i = 0; i < n; i++)
			parts[k++] = search[i];
		parts[k++] = report_search_tail;
	} else
		parts[k++] = report_grants;
	if (every_fits && n == 0)
		parts[k++] = report_fits;
	if (!st->reach.everything)
		parts[k++] = report_visible;
	parts[k++] = report_order;
	if (!store_sql_join(st->sql, sizeof st->sql, parts, k)) {
		store_fail(err, "", "internal: report statement too long");
		store_rollback(s);
		return false;
	}
	return true;
}

long store_report(struct store *s, const char *operator_login,
                  const struct store_user_query *q, store_row_fn *row,
                  void *ctx, struct store_error *err)
{
	struct report_stmt st;
	if (!report_prepare(s, operator_login, q, &st, err))
		return -1;
	long count = -1;
	if (report_begin(s, &st, err)) {
		count = store_stream(s, st.sql, REPORT_PARAMS, report_types,
		                     st.p, STORE_REPORT_COLUMNS, row, ctx, err);
		store_rollback(s);
	}
	report_free(&st);
	return count;
}

/* The SQL type a parameter of report_types is read back as. */
static const char *type_name(Oid t)
{
	return t == 1016 ? "bigint[]" : "text";
}

/* The report's statement for COPY, which takes no parameters, between
 * head and tail: each $n becomes the setting accessdesk.pn
 * (report_settings), cast to the parameter's type. The values never enter
 * the text; only the constant fragments are rewritten. Quoted literals are
 * copied as they are. False with err set when it does not fit. */
static bool copy_sql(const char *sql, const char *head, const char *tail,
                     char *out, size_t cap, struct store_error *err)
{
	size_t n = (size_t)snprintf(out, cap, "%s", head);
	bool quoted = false;
	for (const char *c = sql; *c && n < cap; c++) {
		quoted = quoted != (*c == '\'');
		if (quoted || *c != '$' || c[1] < '1' || c[1] > '9') {
			out[n++] = *c;
			continue;
		}
		int i = (int)strtol(c + 1, NULL, 10);
		if (i > REPORT_PARAMS)
			break;
		n += (size_t)snprintf(out + n, cap - n,
		                      "current_setting('accessdesk.p%d')::%s",
		                      i, type_name(report_types[i - 1]));
		while (c[1] >= '0' && c[1] <= '9')
			c++;
	}
	if (n < cap)
		n += (size_t)snprintf(out + n, cap - n, "%s", tail);
	if (n >= cap)
		store_fail(err, "", "internal: report statement too long");
	return n < cap;
}

/* The parameters as the settings copy_sql reads, until the snapshot's
 * end. */
static bool report_settings(struct store *s, const struct report_stmt *st,
                            struct store_error *err)
{
	for (int i = 0; i < REPORT_PARAMS; i++) {
		char name[8];
		snprintf(name, sizeof name, "%d", i + 1);
		const char *v[] = {name, st->p[i]};
		if (st->p[i] &&
		    !store_run(
		        s, "SELECT set_config('accessdesk.p' || $1, $2, true)",
		        2, v, err))
			return false;
	}
	return true;
}

/* A search's patterns are parameters the planner must see to use the
 * prefix indexes (a setting read by current_setting() is not one), and a
 * search's report is short: it goes row by row, through csv_row, whose
 * bytes COPY's are. The whole report, or a narrow operator's (whose
 * organisations, as a setting, still pick grants_org_users), is COPY's. */
static bool by_rows(const struct store_user_query *q)
{
	const char *search[8];
	return store_search_sql(q, true, search) > 0;
}

long store_report_copy(struct store *s, const char *operator_login,
                       const struct store_user_query *q, enum csv_cells cells,
                       FILE *out, struct store_error *err)
{
	if (by_rows(q))
		return store_report(s, operator_login, q,
		                    cells == CSV_SAFE
		                        ? store_report_csv_row
		                        : store_report_csv_row_exact,
		                    out, err);
	struct report_stmt st;
	if (!report_prepare(s, operator_login, q, &st, err))
		return -1;
	st.cells = cells;
	long count = -1;
	char copy[8192];
	if (report_begin(s, &st, err)) {
		if (copy_sql(st.sql, "COPY (", ") TO STDOUT WITH (FORMAT csv)",
		             copy, sizeof copy, err) &&
		    report_settings(s, &st, err))
			count = store_copy_csv(s, copy, out, err);
		store_rollback(s);
	}
	report_free(&st);
	return count;
}

bool store_report_explain(struct store *s, const char *operator_login,
                          const struct store_user_query *q, char *plan,
                          size_t cap, struct store_error *err)
{
	struct report_stmt st;
	if (!report_prepare(s, operator_login, q, &st, err))
		return false;
	bool ok = false;
	char sql[8192];
	/* COPY's statement as the report runs it by default */
	if (!by_rows(q))
		st.cells = CSV_SAFE;
	if (report_begin(s, &st, err)) {
		if (by_rows(q))
			ok = store_explain(s, st.sql, REPORT_PARAMS,
			                   report_types, st.p, plan, cap, err);
		else
			ok = copy_sql(st.sql, "", "", sql, sizeof sql, err) &&
			     report_settings(s, &st, err) &&
			     store_explain(s, sql, 0, NULL, NULL, plan, cap,
			                   err);
		store_rollback(s);
	}
	report_free(&st);
	return ok;
}
