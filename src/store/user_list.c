/* user_list.c: the Users list: filtered by the operator's reach in SQL
 * (the organisations where the operator has users.view, as one array
 * parameter), searched by prefix, sorted on any column either way, and
 * paged by keyset (for an operator who sees every grant, every page is an
 * index scan; anyone else's sorts on the organisation columns use keys
 * built from the grants they may see). The statement for each sort,
 * direction and shape is assembled from the fixed fragments below; values
 * only ever travel as parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- reach ------------------------------------------------------------ */

bool store_reach_of(const struct engine_world *w, const struct store_ids *ids,
                    int op, engine_actions need, struct store_reach *r)
{
	*r = (struct store_reach){0};
	int n = engine_n_orgs(w);
	int *roots = malloc(((size_t)n + 1) * sizeof *roots);
	int *singles = malloc(((size_t)n + 1) * sizeof *singles);
	if (!roots || !singles) {
		free(roots);
		free(singles);
		return false;
	}
	int nr, ns;
	engine_reach_sets(w, op, need, roots, &nr, singles, &ns);
	/* Everything: every root's whole subtree. */
	int whole_roots = 0;
	for (int i = 0; i < nr; i++)
		whole_roots += engine_org(w, roots[i])->parent < 0;
	r->roots_too = false;
	for (int i = 0; i < nr && !r->roots_too; i++)
		r->roots_too = engine_org(w, roots[i])->parent < 0;
	for (int i = 0; i < ns && !r->roots_too; i++)
		r->roots_too = engine_org(w, singles[i])->parent < 0;
	int n_roots_all = 0;
	for (int i = 0; i < n; i++)
		n_roots_all += engine_org(w, i)->parent < 0;
	r->everything = whole_roots == n_roots_all && n > 0;
	int visible = ns;
	for (int i = 0; i < nr; i++) {
		const struct engine_org *o = engine_org(w, roots[i]);
		visible += o->last - o->pre + 1;
	}
	r->narrow = !r->everything && visible * 5 < n;
	bool ok = true;
	if (!r->everything) {
		size_t cap = 3, at = 0;
		for (int i = 0; i < nr; i++) {
			const struct engine_org *o = engine_org(w, roots[i]);
			cap += (size_t)(o->last - o->pre + 1) * 21;
		}
		cap += (size_t)ns * 21;
		r->orgs = malloc(cap);
		ok = r->orgs != NULL;
		if (ok) {
			r->orgs[at++] = '{';
			for (int i = 0; i < nr; i++) {
				const struct engine_org *o =
				    engine_org(w, roots[i]);
				for (int p = o->pre; p <= o->last; p++)
					at += (size_t)snprintf(
					    r->orgs + at, cap - at, "%s%lld",
					    at > 1 ? "," : "",
					    ids->org
					        .db[engine_org_by_pre(w, p)]);
			}
			for (int i = 0; i < ns; i++)
				at += (size_t)snprintf(
				    r->orgs + at, cap - at, "%s%lld",
				    at > 1 ? "," : "", ids->org.db[singles[i]]);
			snprintf(r->orgs + at, cap - at, "}");
		}
	}
	free(roots);
	free(singles);
	return ok;
}

void store_reach_free(struct store_reach *r)
{
	free(r->orgs);
	*r = (struct store_reach){0};
}

/* ---- the statements --------------------------------------------------- */

/* Every list statement numbers its parameters the same way, each typed
 * (list_types), and uses only those its shape needs: $1 the visible
 * organisations, $2 the operator's login, $3 (unused: users with no grant
 * are a shape of their own), $4 the search pattern, $5 (unused: the search
 * field is a shape), $6..$8 the cursor's keys, $9 the cursor's id, $10 the
 * page size, $11 and $12 a name search's last and first name patterns.
 * One statement per shape, from constant fragments: no parameter switches
 * a condition on or off. */
#define LIST_PARAMS STORE_LIST_PARAMS
static const Oid list_types[LIST_PARAMS] = {1016,     /* bigint[] */
                                            25,       /* text */
                                            16,       /* boolean */
                                            25,   23, /* text, integer */
                                            25,   25, 25, 20, /* bigint */
                                            23,   25, 25};

static const char list_select[] =
    "SELECT u.id, u.login, u.last_name || ', ' || u.first_name, "
    "to_char(u.created_at, 'DD/MM/YYYY'), u.enabled, ";

static const char list_grants[] =
    ", coalesce((SELECT string_agg(g.org_id::text, ',' ORDER BY "
    "lower(o.code)) FROM grants g JOIN organisations o ON o.id = "
    "g.org_id WHERE g.user_id = u.id), '') ";

/* Who is listed, for an operator who does not see everything: the
 * operator, users with a grant at a visible organisation, and (with
 * users.view over a root) users with no grant (the users row says so: no
 * organisation codes, 006). The grant is looked for user by user (an index
 * probe of grants (user_id, org_id)): OFFSET 0 keeps the planner from
 * hashing every visible grant first, a pass over the grants of a region. */
static const char visible_head[] =
    " AND (u.login = $2 OR EXISTS (SELECT FROM grants g WHERE g.user_id = "
    "u.id AND g.org_id = ANY($1::bigint[]) OFFSET 0)";
static const char visible_no_grant[] = " OR u.org_codes = ''";

/* A name search's shape: with a comma "Last, First" ("Alloway, Ken"),
 * else with a blank between words "First Last" ("Ken Alloway"). */
enum name_shape { NAME_ONE, NAME_COMMA, NAME_SPACE };

/* A search's alternatives: a row matches when one of them holds. */
struct match {
	int n;
	const char *alt[3];
};
/* A name search's alternatives over a row's last and first names, by the
 * text's shape (enum name_shape): one word ($4, either name); "Last,
 * First" ($11 and $12: both prefixes, one range scan of 009's index on
 * (last, first)); "First Last" (the whole text as a name of its own, "Van
 * Dyke", or the last word a last name and the words before a first). Over
 * the users row (u) or a grant's copies of its user's names (g, 015). */
#define LAST_FIRST(last, first)                                                \
	"lower(" last ") LIKE $11 AND lower(" first ") LIKE $12"
#define NAME_MATCH(last, first)                                                \
	{                                                                      \
		[NAME_ONE] = {2,                                               \
		              {"lower(" last ") LIKE $4",                      \
		               "lower(" first ") LIKE $4"}},                   \
		[NAME_COMMA] = {1, {LAST_FIRST(last, first)}},                 \
		[NAME_SPACE] = {3,                                             \
		                {"lower(" last ") LIKE $4",                    \
		                 "lower(" first ") LIKE $4",                   \
		                 LAST_FIRST(last, first)}},                    \
	}
static const struct match name_users[] =
    NAME_MATCH("u.last_name", "u.first_name");
static const struct match name_grants[] = NAME_MATCH("g.u_last", "g.u_first");

/* " AND (a OR b ...)": the alternatives as one condition; returns the
 * fragments added. */
static int any_of(const struct match *m, const char **parts)
{
	int n = 0;
	parts[n++] = " AND (";
	for (int i = 0; i < m->n; i++) {
		if (i)
			parts[n++] = " OR ";
		parts[n++] = m->alt[i];
	}
	parts[n++] = ")";
	return n;
}

/* The search, by field ($4 the pattern): the list's and the report's. An
 * Organisation search matches a code or a name (each an index of its
 * own: 006's and 009's). */
#define ORG_MATCH       "(lower(o.code) LIKE $4 OR lower(o.name) LIKE $4)"
#define LOGIN_LIKE(col) col " LIKE $4"
#define EMAIL_LIKE(col) "lower(" col ") LIKE $4"
static const char *const search_sql[USER_SEARCH_COUNT] = {
    [USER_SEARCH_LOGIN] = " AND " LOGIN_LIKE("u.login"),
    [USER_SEARCH_EMAIL] = " AND " EMAIL_LIKE("u.email"),
    [USER_SEARCH_ORG] = " AND u.id IN (SELECT g.user_id FROM grants g JOIN "
                        "organisations o ON o.id = g.org_id WHERE " ORG_MATCH,
};
/* the same over a grant's copies (016); "true" for a walk that is no
 * search, or an Organisation search (its organisations are the walk's) */
static const struct match login_grants = {1, {LOGIN_LIKE("g.u_login")}};
static const struct match email_grants = {1, {EMAIL_LIKE("g.u_email")}};
static const struct match everyone = {1, {"true"}};
/* the organisation search sees only visible organisations */
static const char search_org_visible[] = " AND g.org_id = ANY($1::bigint[])";

static enum name_shape name_shape(const char *text)
{
	if (strchr(text, ','))
		return NAME_COMMA;
	bool word = false, gap = false;
	for (const char *c = text; *c; c++) {
		bool blank = *c == ' ' || *c == '\t';
		if (!blank && gap)
			return NAME_SPACE;
		gap = gap || (blank && word);
		word = word || !blank;
	}
	return NAME_ONE;
}

/* A name search's text with blanks trimmed and runs of them made one
 * (into whole), and its parts split by its shape: at the first comma, or
 * at the last blank; *last and *first point into norm, each trimmed. */
static enum name_shape name_split(const char *text, char *norm, size_t cap,
                                  char *whole, const char **last,
                                  const char **first)
{
	size_t n = 0;
	for (const char *c = text; *c && n + 1 < cap; c++) {
		bool blank = *c == ' ' || *c == '\t';
		if (blank && (n == 0 || norm[n - 1] == ' ' || c[1] == '\0'))
			continue;
		norm[n++] = blank ? ' ' : *c;
	}
	while (n > 0 && norm[n - 1] == ' ')
		n--;
	norm[n] = '\0';
	strcpy(whole, norm);
	enum name_shape shape = name_shape(norm);
	if (shape == NAME_ONE)
		return NAME_ONE;
	bool comma = shape == NAME_COMMA;
	char *at = comma ? strchr(norm, ',') : strrchr(norm, ' ');
	*at = '\0';
	char *after = at + 1;
	while (*after == ' ')
		after++;
	if (at > norm && at[-1] == ' ')
		at[-1] = '\0';
	*last = comma ? norm : after;
	*first = comma ? after : norm;
	return shape;
}

bool store_search_params(const struct store_user_query *q, char *params[3])
{
	params[0] = params[1] = params[2] = NULL;
	if (!q || !q->search || !*q->search)
		return true;
	size_t cap = strlen(q->search) + 1;
	char *buf = malloc(cap), *whole = malloc(cap);
	const char *last = NULL, *first = NULL;
	bool ok = buf && whole;
	enum name_shape shape = NAME_ONE;
	if (ok && q->search_by == USER_SEARCH_NAME)
		shape = name_split(q->search, buf, cap, whole, &last, &first);
	else if (ok)
		strcpy(whole, q->search);
	if (ok && shape != NAME_COMMA)
		ok = (params[0] = store_like_prefix(whole)) != NULL;
	if (ok && shape != NAME_ONE)
		ok = (params[1] = store_like_prefix(last)) != NULL &&
		     (params[2] = store_like_prefix(first)) != NULL;
	free(buf);
	free(whole);
	if (!ok) {
		for (int i = 0; i < 3; i++) {
			free(params[i]);
			params[i] = NULL;
		}
	}
	return ok;
}

int store_search_sql(const struct store_user_query *q, bool everything,
                     const char **parts)
{
	int n = 0;
	if (!q || !q->search || !*q->search || q->search_by < 0 ||
	    q->search_by >= USER_SEARCH_COUNT)
		return 0;
	if (q->search_by == USER_SEARCH_NAME)
		return any_of(&name_users[name_shape(q->search)], parts);
	parts[n++] = search_sql[q->search_by];
	if (q->search_by == USER_SEARCH_ORG) {
		if (!everything)
			parts[n++] = search_org_visible;
		parts[n++] = ")";
	}
	return n;
}

/* The visibility and search fragments of the list and its count. */
static int visible_parts(const struct store_reach *reach, const char **parts)
{
	int n = 0;
	if (!reach->everything) {
		parts[n++] = visible_head;
		if (reach->roots_too)
			parts[n++] = visible_no_grant;
		parts[n++] = ")";
	}
	return n;
}

static int filter_parts(const struct store_reach *reach,
                        const struct store_user_query *q, const char **parts)
{
	int n = visible_parts(reach, parts);
	return n + store_search_sql(q, reach->everything, parts + n);
}

/* Per sort: the key columns as selected (text), the keyset comparison's
 * left and right sides, and the ORDER BY list without direction. */
struct sort_sql {
	const char *keys; /* three text columns */
	const char *left, *right;
	const char *order_asc, *order_desc;
};
/* A sort on one text column (an organisation column's key), then id. */
#define ONE_COLUMN_SORT(col)                                                   \
	{                                                                      \
		col ", '', ''", "(" col ", u.id)", "($6, $9::bigint)",         \
		    col ", u.id", col " DESC, u.id DESC"                       \
	}
static const struct sort_sql sorts[USER_SORT_COUNT] = {
    [USER_SORT_NAME] = {"u.last_name, u.first_name, ''",
                        "(u.last_name, u.first_name, u.id)",
                        "($6, $7, $9::bigint)",
                        "u.last_name, u.first_name, u.id",
                        "u.last_name DESC, u.first_name DESC, u.id DESC"},
    [USER_SORT_ORG_IDS] = ONE_COLUMN_SORT("u.org_codes"),
    [USER_SORT_ORGS] = ONE_COLUMN_SORT("u.org_names"),
    [USER_SORT_PARENTS] = ONE_COLUMN_SORT("u.parent_names"),
    [USER_SORT_DATE] = {"u.created_at::text, '', ''", "(u.created_at, u.id)",
                        "($6::timestamptz, $9::bigint)", "u.created_at, u.id",
                        "u.created_at DESC, u.id DESC"},
    [USER_SORT_STATUS] = {"u.enabled::text, u.last_name, u.first_name",
                          "(u.enabled, u.last_name, u.first_name, u.id)",
                          "($6::boolean, $7, $8, $9::bigint)",
                          "u.enabled, u.last_name, u.first_name, u.id",
                          "u.enabled DESC, u.last_name DESC, "
                          "u.first_name DESC, u.id DESC"},
};

/* The users of the grants at the organisations v (a walk's): one index
 * range of 010's grants_org_users each (OFFSET 0: never a pass over every
 * grant to pick those of a region's organisations). */
#define GRANTS_AT_V                                                            \
	" CROSS JOIN LATERAL (SELECT g.user_id, g.org_id FROM grants g WHERE " \
	"g.org_id = v.org OFFSET 0) g"
/* The organisation columns' keys from the grants the operator may see
 * ($1), for an operator who does not see everything, as vk.k: a user's
 * hidden grants never shape a sort. The same keys as the users row keeps
 * from every grant (006_user_list.sql: codes, names or parents' names in
 * the order of the codes); a user with no visible grant has ''. */
#define KEY_OF(item)                                                           \
	"coalesce(string_agg(" item ", ', ' ORDER BY lower(o.code)), '')"
#define VISIBLE_KEY(item) KEY_OF(item) " AS k FROM "
#define VISIBLE_ORGS                                                           \
	" JOIN organisations o ON o.id = g.org_id LEFT JOIN organisations p "  \
	"ON p.id = o.parent_id "
/* A page of the whole list: the keys of every visible user at once, from
 * the grants at each visible organisation (GRANTS_AT_V), then the users
 * they name (and, with no visible grant, the operator and, with users.view
 * over a root, the users with no grant), so that only a page of users rows
 * is read. Ends in WHERE, for the search. The operator's and the no-grant
 * users' rows have `blank` for each key. */
#define VISIBLE_ALL_HEAD "SELECT g.user_id AS id, "
#define VISIBLE_GRANTS                                                         \
	"unnest($1::bigint[]) v(org)" GRANTS_AT_V VISIBLE_ORGS                 \
	"GROUP BY g.user_id "
#define VISIBLE_OPERATOR(blank)                                                \
	"UNION ALL SELECT x.id, " blank " FROM users x WHERE x.login = $2 "    \
	"AND NOT EXISTS (SELECT FROM grants h WHERE h.user_id = x.id AND "     \
	"h.org_id = ANY($1::bigint[])) "
#define VISIBLE_ALL_TAIL VISIBLE_GRANTS VISIBLE_OPERATOR("''")
/* with users.view over a root: the users with no grant too (the users row
 * says so: no organisation codes, 006; 015's partial indexes) */
#define VISIBLE_NO_GRANT(blank)                                                \
	"UNION ALL SELECT x.id, " blank " FROM users x WHERE x.login <> $2 "   \
	"AND x.org_codes = '' "
static const char visible_all_no_grant[] = VISIBLE_NO_GRANT("''");
static const char visible_all_end[] =
    ") vk JOIN users u ON u.id = vk.id WHERE true";
#define VISIBLE_ALL(item) VISIBLE_ALL_HEAD VISIBLE_KEY(item) VISIBLE_ALL_TAIL
/* A search's few matches: the keys of each (LATERAL). */
#define VISIBLE_FEW_HEAD "CROSS JOIN LATERAL (SELECT "
#define VISIBLE_FEW_TAIL                                                       \
	"grants g" VISIBLE_ORGS "WHERE g.user_id = u.id AND g.org_id = "       \
	"ANY($1::bigint[])) vk "
#define VISIBLE_FEW(item)                                                      \
	VISIBLE_FEW_HEAD VISIBLE_KEY(item)                                     \
	VISIBLE_FEW_TAIL
static const char *const visible_all[USER_SORT_COUNT] = {
    [USER_SORT_ORG_IDS] = VISIBLE_ALL("o.code"),
    [USER_SORT_ORGS] = VISIBLE_ALL("o.name"),
    [USER_SORT_PARENTS] = VISIBLE_ALL("coalesce(p.name, '')"),
};
static const char *const visible_few[USER_SORT_COUNT] = {
    [USER_SORT_ORG_IDS] = VISIBLE_FEW("o.code"),
    [USER_SORT_ORGS] = VISIBLE_FEW("o.name"),
    [USER_SORT_PARENTS] = VISIBLE_FEW("coalesce(p.name, '')"),
};
/* The keys table: a narrow operator's session builds every visible
 * user's three keys once into pg_temp.ad_list_keys, an index per key, and
 * reads each page from it while list_changes (019_list_changes.sql) stands
 * where it stood (list_keys_ready). The same rows as visible_all. */
static const char keys_build[] =
    "CREATE TEMP TABLE ad_list_keys AS " VISIBLE_ALL_HEAD
        KEY_OF("o.code") " AS codes, " KEY_OF("o.name") " AS names, " KEY_OF(
            "coalesce(p.name, '')") " AS parents FROM " VISIBLE_GRANTS
            VISIBLE_OPERATOR("'', '', ''");
static const char keys_build_no_grant[] = VISIBLE_NO_GRANT("'', '', ''");
static const char *const keys_index[] = {
    "CREATE INDEX ON pg_temp.ad_list_keys (codes, id)",
    "CREATE INDEX ON pg_temp.ad_list_keys (names, id)",
    "CREATE INDEX ON pg_temp.ad_list_keys (parents, id)",
    "ANALYZE pg_temp.ad_list_keys"};
static const char *const keys_table[USER_SORT_COUNT] = {
    [USER_SORT_ORG_IDS] =
        "SELECT t.id, t.codes AS k FROM pg_temp.ad_list_keys t ",
    [USER_SORT_ORGS] = "SELECT t.id, t.names AS k FROM pg_temp.ad_list_keys t ",
    [USER_SORT_PARENTS] =
        "SELECT t.id, t.parents AS k FROM pg_temp.ad_list_keys t ",
};
static const struct sort_sql visible_sort = ONE_COLUMN_SORT("vk.k");
/* With no search the page is chosen from the keys alone, before any users
 * row is read (a join first would read every visible user's row). */
static const char visible_page_head[] = "FROM (SELECT vk.* FROM (";
static const struct sort_sql visible_page = {"", "(vk.k, vk.id)",
                                             "($6, $9::bigint)", "vk.k, vk.id",
                                             "vk.k DESC, vk.id DESC"};

/* A narrow operator's page of a sort on the user's own columns (name,
 * Date Added, Status): for each visible organisation ($1), the first page
 * of its grants in the sort's order (a grant carries its user's keys,
 * 015_list_scale.sql: one short range of an index each), merged with the
 * operator and, with users.view over a root, the first page of the users
 * with no grant; the union's first page names the users rows to read.
 * Every branch names its row g, with the grant's column names, so the
 * keyset's fragments are one per sort. */
struct narrow_sql {
	const char *cols; /* g.user_id, then the keys */
	const char *left; /* the keyset's left side */
	const char *order_asc, *order_desc;
};
static const struct narrow_sql narrow_sorts[USER_SORT_COUNT] = {
    [USER_SORT_NAME] = {"g.user_id, g.u_last, g.u_first",
                        "(g.u_last, g.u_first, g.user_id)",
                        "g.u_last, g.u_first, g.user_id",
                        "g.u_last DESC, g.u_first DESC, g.user_id DESC"},
    [USER_SORT_DATE] = {"g.user_id, g.u_created", "(g.u_created, g.user_id)",
                        "g.u_created, g.user_id",
                        "g.u_created DESC, g.user_id DESC"},
    [USER_SORT_STATUS] = {"g.user_id, g.u_enabled, g.u_last, g.u_first",
                          "(g.u_enabled, g.u_last, g.u_first, g.user_id)",
                          "g.u_enabled, g.u_last, g.u_first, g.user_id",
                          "g.u_enabled DESC, g.u_last DESC, g.u_first DESC, "
                          "g.user_id DESC"},
};
/* users rows under the grant's names: the operator; the users with no
 * grant (an index of their own, 015) */
#define USERS_AS_G                                                             \
	"(SELECT x.id AS user_id, x.last_name AS u_last, x.first_name AS "     \
	"u_first, x.created_at AS u_created, x.enabled AS u_enabled, x.login " \
	"AS u_login, x.email AS u_email FROM users x"
/* A search's few matches (found first: OFFSET 0 keeps them a subquery,
 * named u as the users row is, with the sort's keys), their page in the
 * sort's order, then the page's users rows. A name search's alternatives
 * are branches of their own (UNION), each a range of its own index, which
 * holds the name order's keys (016): index-only for the default sort. */
static const char few_head[] = "FROM users u JOIN (SELECT u.id FROM (SELECT ";
static const char few_union[] = " UNION SELECT ";
static const char few_from[] = " FROM users u WHERE true";
static const char *const few_cols[USER_SORT_COUNT] = {
    [USER_SORT_NAME] = "u.id, u.last_name, u.first_name",
    [USER_SORT_ORG_IDS] = "u.id, u.org_codes",
    [USER_SORT_ORGS] = "u.id, u.org_names",
    [USER_SORT_PARENTS] = "u.id, u.parent_names",
    [USER_SORT_DATE] = "u.id, u.created_at",
    [USER_SORT_STATUS] = "u.id, u.enabled, u.last_name, u.first_name",
};
static const char few_end[] = " LIMIT $10) m ON m.id = u.id WHERE true";

static const char walk_head[] =
    "FROM users u JOIN (SELECT g.user_id FROM (SELECT ";
/* a user with grants at two organisations walked is listed once: by the
 * union with the operator's branch, or else by DISTINCT */
static const char walk_rows[] = "x.* FROM ";
static const char walk_rows_distinct[] = "DISTINCT x.* FROM ";
/* the organisations walked: the visible ones ($1); with an Organisation
 * search, those of them that match, or for an operator who sees
 * everything every one that matches */
static const char walk_visible[] = "unnest($1::bigint[]) v(org)";
static const char walk_visible_match[] =
    "unnest($1::bigint[]) v(org) JOIN organisations o ON o.id = v.org AND "
    "" ORG_MATCH;
static const char walk_match[] =
    "(SELECT o.id AS org FROM organisations o WHERE " ORG_MATCH ") v";
static const char walk_lateral[] = " CROSS JOIN LATERAL (SELECT ";
static const char narrow_grants[] = " FROM grants g WHERE g.org_id = v.org";
static const char walk_branch_end[] = " LIMIT $10) x";
static const char narrow_operator[] = " UNION SELECT ";
static const char narrow_operator_from[] =
    " FROM " USERS_AS_G ") g WHERE g.u_login = $2";
static const char narrow_no_grant[] = " UNION (SELECT ";
static const char narrow_no_grant_from[] =
    " FROM " USERS_AS_G " WHERE x.org_codes = '') g WHERE true";
static const char narrow_no_grant_end[] = " LIMIT $10)";
static const char narrow_end[] = " LIMIT $10) m ON m.user_id = u.id WHERE true";

/* The count of the list without a search, for an operator who does not
 * see everything: the users of the visible organisations' grants, the
 * operator, and with users.view over a root the users with no grant;
 * never a pass over every user. */
static const char visible_count_head[] =
    "SELECT count(*) FROM (SELECT g.user_id FROM unnest($1::bigint[]) v(org)"
    "" GRANTS_AT_V " UNION SELECT x.id FROM users x WHERE x.login = $2";
static const char visible_count_no_grant[] =
    " UNION SELECT x.id FROM users x WHERE x.org_codes = ''";
/* The count of an Organisation search: the users of the walked
 * organisations' grants (walk_orgs). */
static const char org_count_head[] =
    "SELECT count(*) FROM (SELECT DISTINCT g.user_id FROM ";
static const char org_count_end[] = GRANTS_AT_V ") m";

/* The organisations a walk reads the grants of (see page_stmt). */
static const char *walk_orgs(const struct store_reach *reach,
                             enum store_user_search by)
{
	if (by != USER_SEARCH_ORG)
		return walk_visible;
	return reach->everything ? walk_match : walk_visible_match;
}

bool store_sql_join(char *buf, size_t cap, const char *const *parts, int n)
{
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(parts[i]);
		if (at + len >= cap)
			return false;
		memcpy(buf + at, parts[i], len);
		at += len;
	}
	buf[at] = '\0';
	return true;
}

/* The search text as a LIKE prefix pattern: lower-cased (but for User
 * IDs, which are lower-case already), metacharacters escaped. */
char *store_like_prefix(const char *text)
{
	size_t n = strlen(text);
	char *p = malloc(2 * n + 2), *o = p;
	if (!p)
		return NULL;
	for (const char *c = text; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			*o++ = '\\';
		*o++ = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* ---- pages ------------------------------------------------------------ */

/* Copies at most cap-1 bytes, never cutting a UTF-8 character. */
static void copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void append(char *dst, size_t cap, const char *sep, const char *s)
{
	size_t at = strlen(dst);
	if (at && at + strlen(sep) < cap) {
		strcat(dst, sep);
		at += strlen(sep);
	}
	copy_text(dst + at, cap - at, s);
}

/* The grants' organisations the operator may see, by the engine. */
static void fill_orgs(const struct engine_world *w, const struct store_ids *ids,
                      int op, const char *list, struct store_user_row *row)
{
	row->org_ids[0] = row->orgs[0] = row->parents[0] = '\0';
	row->hidden = 0;
	for (const char *p = list; *p;) {
		char *end;
		long long db = strtoll(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
		if (end == p && *p)
			break;
		int o = store_idmap_find(&ids->org, db);
		if (o < 0 ||
		    !engine_org_allows(w, op, ACT_USERS_VIEW, o, -1, NULL)) {
			row->hidden++;
			continue;
		}
		const struct engine_org *org = engine_org(w, o);
		const struct engine_org *parent = engine_org(w, org->parent);
		append(row->org_ids, sizeof row->org_ids, ", ", org->code);
		append(row->orgs, sizeof row->orgs, ", ", org->name);
		append(row->parents, sizeof row->parents, ", ",
		       parent ? parent->name : "");
	}
}

static void set_params(struct store_list_stmt *p,
                       const struct store_reach *reach, const char *op_login,
                       const struct store_user_query *q,
                       const struct store_user_row *after, int n)
{
	memset(p, 0, sizeof *p);
	p->v[0] = reach->everything ? NULL : reach->orgs;
	p->v[1] = op_login;
	p->v[2] = reach->roots_too ? "true" : "false";
	store_search_params(q, p->search);
	p->v[3] = p->search[0];
	p->v[10] = p->search[1];
	p->v[11] = p->search[2];
	snprintf(p->field, sizeof p->field, "%d", (int)q->search_by);
	p->v[4] = p->field;
	if (after) {
		p->v[5] = after->key;
		p->v[6] = after->key2;
		p->v[7] = after->key3;
		snprintf(p->after_id, sizeof p->after_id, "%lld", after->id);
		p->v[8] = p->after_id;
	}
	snprintf(p->limit, sizeof p->limit, "%d", n);
	p->v[9] = p->limit;
}

void store_list_stmt_free(struct store_list_stmt *p)
{
	for (int i = 0; i < 3; i++)
		free(p->search[i]);
}

/* The keyset's condition, after a row (none for a first page): left, the
 * comparison, right (the row's keys); returns the fragments added. */
static int keyset(const char **parts, const struct store_user_row *after,
                  const char *left, const char *cmp, const char *right)
{
	if (!after)
		return 0;
	parts[0] = " AND ";
	parts[1] = left;
	parts[2] = cmp;
	parts[3] = right;
	return 4;
}

/* The page's statement and parameters (store_users_page's shapes). */
static bool page_stmt(const struct store_reach *reach, const char *op_login,
                      const struct store_user_query *q,
                      const struct store_user_row *after, int n, bool keys,
                      struct store_list_stmt *st, struct store_error *err)
{
	/* Who sees everything sorts on the keys the users row keeps;
	 * anyone else on the organisation columns by the visible grants. */
	bool visible = !reach->everything && visible_all[q->sort];
	const struct sort_sql *so = visible ? &visible_sort : &sorts[q->sort];
	/* A search of three characters or more on the users' own columns
	 * makes the matches a small set: it is found first (OFFSET 0 keeps
	 * it a subquery) and then sorted, rather than walking the sort's
	 * index over every user until a page of matches turns up (a short,
	 * broad prefix finds its page sooner by the walk). */
	bool few = q->search && strlen(q->search) >= 3 &&
	           q->search_by != USER_SEARCH_ORG;
	const char *order = q->descending ? so->order_desc : so->order_asc;
	const char *cmp = q->descending ? " < " : " > ";
	/* The walk over organisations' grants (015), for a sort on a user's
	 * own column: a narrow operator's list, unsearched or searched by
	 * name, User ID or email (on the grants' copies of those, 015 and
	 * 016); and anyone's Organisation search (the matching
	 * organisations' grants). The operator and the users with no grant
	 * join a walk when they match; never an Organisation search. */
	bool searching = q->search && *q->search;
	enum store_user_search by =
	    searching ? q->search_by : USER_SEARCH_COUNT;
	bool walk = narrow_sorts[q->sort].cols &&
	            (by == USER_SEARCH_ORG || reach->narrow);
	const struct narrow_sql *ns = walk ? &narrow_sorts[q->sort] : NULL;
	const struct match *wm = by == USER_SEARCH_NAME
	                             ? &name_grants[name_shape(q->search)]
	                         : by == USER_SEARCH_LOGIN ? &login_grants
	                         : by == USER_SEARCH_EMAIL ? &email_grants
	                                                   : &everyone;
	bool others = by != USER_SEARCH_ORG;
	const char *norder =
	    ns ? (q->descending ? ns->order_desc : ns->order_asc) : NULL;
	/* the shapes: the few matches of a search (found first, then
	 * sorted); the visible keys over the whole list; the users row's
	 * keys. Each a list of constant fragments. */
	const char *parts[128];
	int k = 0;
	parts[k++] = list_select;
	parts[k++] = so->keys;
	parts[k++] = list_grants;
	if (few && !ns && !visible) {
		/* the page of the matches, their keys read with them, then
		 * only the page's users rows */
		parts[k++] = few_head;
		if (q->search_by == USER_SEARCH_NAME) {
			const struct match *m =
			    &name_users[name_shape(q->search)];
			for (int i = 0; i < m->n; i++) {
				parts[k++] = i ? few_union : "";
				parts[k++] = few_cols[q->sort];
				parts[k++] = few_from;
				k += visible_parts(reach, parts + k);
				parts[k++] = " AND ";
				parts[k++] = m->alt[i];
			}
		} else {
			parts[k++] = few_cols[q->sort];
			parts[k++] = few_from;
			k += filter_parts(reach, q, parts + k);
		}
		parts[k++] = " OFFSET 0) u WHERE true";
		k += keyset(parts + k, after, so->left, cmp, so->right);
		parts[k++] = " ORDER BY ";
		parts[k++] = order;
		parts[k++] = few_end;
	} else if (few && !ns) {
		parts[k++] = "FROM users u JOIN (SELECT u.id FROM users u "
		             "WHERE true";
		k += filter_parts(reach, q, parts + k);
		parts[k++] = " OFFSET 0) m ON m.id = u.id ";
		parts[k++] = visible_few[q->sort];
		parts[k++] = "WHERE true";
	} else if (ns) {
		parts[k++] = walk_head;
		parts[k++] = others ? walk_rows : walk_rows_distinct;
		parts[k++] = walk_orgs(reach, by);
		parts[k++] = walk_lateral;
		/* each alternative of the search a branch of its own, so
		 * that each is one range of its own search index (016) */
		for (int i = 0; i < wm->n; i++) {
			if (i)
				parts[k++] = " UNION SELECT ";
			parts[k++] = ns->cols;
			parts[k++] = narrow_grants;
			parts[k++] = " AND ";
			parts[k++] = wm->alt[i];
			k += keyset(parts + k, after, ns->left, cmp, so->right);
		}
		/* Unsearched or by organisation, each organisation's first
		 * page (an index range in the sort's order); searched on the
		 * grants' copies, all its matches (one range of a search
		 * index, 016: never its grants read in order to find a few
		 * that match), at most the operator's visible grants. */
		if (by == USER_SEARCH_COUNT || by == USER_SEARCH_ORG) {
			parts[k++] = " ORDER BY ";
			parts[k++] = norder;
			parts[k++] = walk_branch_end;
		} else
			parts[k++] = " OFFSET 0) x"; /* per organisation */
		if (others) {
			parts[k++] = narrow_operator;
			parts[k++] = ns->cols;
			parts[k++] = narrow_operator_from;
			k += any_of(wm, parts + k);
			k += keyset(parts + k, after, ns->left, cmp, so->right);
		}
		if (others && reach->roots_too) {
			parts[k++] = narrow_no_grant;
			parts[k++] = ns->cols;
			parts[k++] = narrow_no_grant_from;
			k += any_of(wm, parts + k);
			k += keyset(parts + k, after, ns->left, cmp, so->right);
			parts[k++] = " ORDER BY ";
			parts[k++] = norder;
			parts[k++] = narrow_no_grant_end;
		}
		parts[k++] = ") g ORDER BY ";
		parts[k++] = norder;
		parts[k++] = narrow_end;
	} else if (visible) {
		const struct sort_sql *vp = &visible_page;
		parts[k++] = searching ? "FROM (" : visible_page_head;
		if (keys)
			parts[k++] = keys_table[q->sort];
		else {
			parts[k++] = visible_all[q->sort];
			if (reach->roots_too)
				parts[k++] = visible_all_no_grant;
		}
		if (!searching) {
			parts[k++] = ") vk WHERE true";
			k += keyset(parts + k, after, vp->left, cmp, vp->right);
			parts[k++] = " ORDER BY ";
			parts[k++] =
			    q->descending ? vp->order_desc : vp->order_asc;
			parts[k++] = " LIMIT $10";
		}
		parts[k++] = visible_all_end;
		k += store_search_sql(q, false, parts + k);
	} else {
		parts[k++] = "FROM users u WHERE true";
		k += filter_parts(reach, q, parts + k);
	}
	k += keyset(parts + k, after, so->left, cmp, so->right);
	parts[k++] = " ORDER BY ";
	parts[k++] = order;
	parts[k++] = " LIMIT $10";
	set_params(st, reach, op_login, q, after, n);
	st->types = list_types;
	if (!store_sql_join(st->sql, sizeof st->sql, parts, k)) {
		store_list_stmt_free(st);
		store_fail(err, "", "internal: list statement too long");
		return false;
	}
	return true;
}

/* The changes the keys of the organisations orgs ("{1,2}") depend on, and
 * with no_grant the users with no grant's (019_list_changes.sql: row 0),
 * as one figure that moves whenever one of them does. */
static bool list_changes_of(struct store *s, const char *orgs, bool no_grant,
                            long long *n, struct store_error *err)
{
	size_t len = strlen(orgs) + 4;
	char *ids = malloc(len);
	if (!ids) {
		store_fail(err, "", "out of memory");
		return false;
	}
	bool none = strcmp(orgs, "{}") == 0;
	snprintf(ids, len, "%s%s", no_grant ? (none ? "{0" : "{0,") : "{",
	         orgs + 1);
	const char *p[] = {ids};
	PGresult *r = store_exec_rows(
	    s, "the list's changes",
	    "SELECT coalesce(sum(n), 0) FROM list_changes WHERE org_id = "
	    "ANY($1::bigint[])",
	    1, p, 1, err);
	free(ids);
	if (!r)
		return false;
	*n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return true;
}

/* Whether the page of q reads the keys table, built now if it must be:
 * for a sort on an organisation column by an operator who does not see
 * everything, outside a transaction (the table outlives the statement; one
 * made inside a transaction that is rolled back would not). The table is
 * built in one snapshot with the changes it is good for; while they stand
 * there and the reach is the same, it is the same table. False with
 * *failed on a failure (err set); false alone when the page builds its
 * keys itself. */
static bool list_keys_ready(struct store *s, const struct store_reach *reach,
                            const char *op_login,
                            const struct store_user_query *q, bool *failed,
                            struct store_error *err)
{
	*failed = false;
	/* (a standby makes no tables: there each page builds its keys) */
	if (reach->everything || !visible_all[q->sort] ||
	    PQtransactionStatus(store_pg(s)) != PQTRANS_IDLE ||
	    store_hot_standby(s))
		return false;
	struct store_keys *keys = store_keys_of(s);
	size_t len = strlen(reach->orgs) + strlen(op_login) + 8;
	char *want = malloc(len);
	if (!want) {
		store_fail(err, "", "out of memory");
		*failed = true;
		return false;
	}
	snprintf(want, len, "%s|%s|%d", reach->orgs, op_login,
	         reach->roots_too);
	long long n = 0;
	bool ok = list_changes_of(s, reach->orgs, reach->roots_too, &n, err);
	if (!ok || (keys->built && keys->reach &&
	            strcmp(keys->reach, want) == 0 && keys->n == n)) {
		free(want);
		*failed = !ok;
		return ok;
	}
	keys->built = false;
	const char *p[] = {reach->orgs, op_login};
	char sql[sizeof keys_build + sizeof keys_build_no_grant];
	snprintf(sql, sizeof sql, "%s%s", keys_build,
	         reach->roots_too ? keys_build_no_grant : "");
	ok = store_begin_repeatable(s, err) &&
	     list_changes_of(s, reach->orgs, reach->roots_too, &n, err) &&
	     /* (no notice of a table or a temporary schema not there) */
	     store_run(s, "SET LOCAL client_min_messages = warning", 0, NULL,
	               err) &&
	     store_run(s, "DROP TABLE IF EXISTS pg_temp.ad_list_keys", 0, NULL,
	               err) &&
	     store_run(s, sql, 2, p, err);
	for (size_t i = 0; ok && i < sizeof keys_index / sizeof *keys_index;
	     i++)
		ok = store_run(s, keys_index[i], 0, NULL, err);
	if (ok && store_commit(s, err)) {
		free(keys->reach);
		keys->reach = want;
		keys->n = n;
		keys->built = true;
		return true;
	}
	store_rollback(s);
	free(want);
	*failed = true;
	return false;
}

bool store_users_page(struct store *s, const struct engine_world *w,
                      const struct store_ids *ids, int op,
                      const struct store_reach *reach,
                      const struct store_user_query *q,
                      const struct store_user_row *after, int n,
                      struct store_user_row *rows, int *got,
                      struct store_error *err)
{
	*got = 0;
	struct store_list_stmt p;
	const char *login = engine_user(w, op)->login;
	bool failed;
	bool keys = list_keys_ready(s, reach, login, q, &failed, err);
	if (failed || !page_stmt(reach, login, q, after, n, keys, &p, err))
		return false;
	PGresult *r = store_exec_typed(s, p.sql, LIST_PARAMS, list_types, p.v,
	                               PGRES_TUPLES_OK, err);
	store_list_stmt_free(&p);
	if (!r)
		return false;
	for (int i = 0; i < PQntuples(r) && i < n; i++) {
		struct store_user_row *row = &rows[i];
		memset(row, 0, sizeof *row);
		row->id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		copy_text(row->login, sizeof row->login, PQgetvalue(r, i, 1));
		copy_text(row->name, sizeof row->name, PQgetvalue(r, i, 2));
		copy_text(row->date, sizeof row->date, PQgetvalue(r, i, 3));
		row->enabled = PQgetvalue(r, i, 4)[0] == 't';
		copy_text(row->key, sizeof row->key, PQgetvalue(r, i, 5));
		copy_text(row->key2, sizeof row->key2, PQgetvalue(r, i, 6));
		copy_text(row->key3, sizeof row->key3, PQgetvalue(r, i, 7));
		fill_orgs(w, ids, op, PQgetvalue(r, i, 8), row);
		(*got)++;
	}
	PQclear(r);
	return true;
}

bool store_users_count_stmt(const struct store_reach *reach,
                            const char *operator_login,
                            const struct store_user_query *q,
                            struct store_list_stmt *st, struct store_error *err)
{
	const char *parts[24] = {"SELECT count(*) FROM users u WHERE true"};
	int k = 1;
	bool searching = q->search && *q->search;
	if (!reach->everything && !searching) {
		parts[0] = visible_count_head;
		if (reach->roots_too)
			parts[k++] = visible_count_no_grant;
		parts[k++] = ") m";
	} else if (q->search_by == USER_SEARCH_ORG) {
		parts[0] = org_count_head;
		parts[k++] = walk_orgs(reach, USER_SEARCH_ORG);
		parts[k++] = org_count_end;
	} else
		k += filter_parts(reach, q, parts + 1);
	set_params(st, reach, operator_login, q, NULL, 0);
	st->types = list_types;
	if (!store_sql_join(st->sql, sizeof st->sql, parts, k)) {
		store_list_stmt_free(st);
		store_fail(err, "", "internal: count statement too long");
		return false;
	}
	return true;
}

long store_users_count(struct store *s, const struct store_reach *reach,
                       const char *operator_login,
                       const struct store_user_query *q,
                       struct store_error *err)
{
	struct store_list_stmt p;
	if (!store_users_count_stmt(reach, operator_login, q, &p, err))
		return -1;
	PGresult *r = store_exec_typed(s, p.sql, LIST_PARAMS, list_types, p.v,
	                               PGRES_TUPLES_OK, err);
	store_list_stmt_free(&p);
	if (!r)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		store_fail(err, "", "count users: expected one row");
		return -1;
	}
	long n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

/* EXPLAIN of a statement of the list's numbering, its plan's lines joined
 * by newlines into plan. */
bool store_users_explain(struct store *s, const struct store_reach *reach,
                         const char *operator_login,
                         const struct store_user_query *q,
                         const struct store_user_row *after, int n, bool count,
                         char *plan, size_t cap, struct store_error *err)
{
	struct store_list_stmt st;
	bool failed = false;
	bool keys = !count &&
	            list_keys_ready(s, reach, operator_login, q, &failed, err);
	if (failed ||
	    (count ? !store_users_count_stmt(reach, operator_login, q, &st, err)
	           : !page_stmt(reach, operator_login, q, after, n, keys, &st,
	                        err)))
		return false;
	bool ok = store_explain(s, st.sql, LIST_PARAMS, list_types, st.v, plan,
	                        cap, err);
	store_list_stmt_free(&st);
	return ok;
}

/* ---- the top line ----------------------------------------------------- */

bool store_has_root_admin(struct store *s, bool *has, struct store_error *err)
{
	/* the lock-out rule's count (access-model.md section 5): enabled
	 * users holding System Administrator on a root through a grant
	 * with no cluster selected */
	PGresult *r = store_exec_rows(
	    s, "look for a root System Administrator",
	    "SELECT EXISTS (SELECT FROM users u, grants g, organisations o, "
	    "grant_roles gr, roles r WHERE u.enabled AND g.user_id = u.id "
	    "AND o.id = g.org_id AND o.parent_id IS NULL AND gr.grant_id = "
	    "g.id AND r.id = gr.role_id AND r.builtin AND r.name = 'System "
	    "Administrator' AND NOT EXISTS (SELECT FROM grant_clusters c "
	    "WHERE c.grant_id = g.id))",
	    0, NULL, 1, err);
	if (!r)
		return false;
	*has = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return true;
}
