/* import_ods.c: `accessdesk db import-ods FILE`: the NHS GP practice
 * hierarchy (shared/data/README.md) into the organisation tree.
 *
 * The CSV (RFC 4180) is read and checked here, row by row, and streamed by
 * COPY into a TEMP table; everything else is set-based SQL in the same
 * transaction: consistency of the file across rows, the parent of each PCN,
 * then per level, top-down, one UPDATE of the organisations that exist
 * (renamed, moved) and one INSERT of those that do not. Top-down means every
 * new parent is already in its final place when its children move, so a move
 * never makes a cycle, even for a moment.
 */
#include "accessdesk/bulk.h"
#include "accessdesk/fields.h"
#include "accessdesk/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ods_col {
	COL_PRACTICE_CODE,
	COL_PRACTICE_NAME,
	COL_PCN_CODE,
	COL_PCN_NAME,
	COL_CCG_CODE,
	COL_CCG_NAME,
	COL_STP_CODE,
	COL_STP_NAME,
	COL_REGION_CODE,
	COL_REGION_NAME,
	COL_COUNT
};

static const char *const col_names[COL_COUNT] = {
    "PRACTICE_CODE",    "PRACTICE_NAME",    "PCN_CODE", "PCN_NAME",
    "CCG_CODE",         "CCG_NAME",         "STP_CODE", "STP_NAME",
    "COMM_REGION_CODE", "COMM_REGION_NAME",
};

/* The levels as numbered in SQL (ods_occ.lvl), top-down, by code column. */
#define ODS_LEVELS 5
static const char *const level_col[ODS_LEVELS + 1] = {
    "root",     "COMM_REGION_CODE", "STP_CODE",
    "CCG_CODE", "PCN_CODE",         "PRACTICE_CODE",
};

/* ---- reading the file ---------------------------------------------------- */

static char *read_file(const char *path, size_t *len, struct store_error *err)
{
	const char *why;
	char *buf = text_file_read(path, len, &why);

	if (!buf)
		store_fail(err, "", "%s: %s", path, why);
	return buf;
}

/* ---- RFC 4180 records ---------------------------------------------------- */

/* A record's fields live in text, each NUL-terminated, at offsets field[]. */
struct csv {
	const char *path;
	const char *p, *end;
	long line;  /* the physical line p is on, from 1 */
	long start; /* the line the current record began on */
	char *text;
	size_t len, cap;
	size_t *field;
	size_t nfields, fcap;
};

enum csv_status { CSV_RECORD, CSV_EOF, CSV_ERROR };

static bool csv_put(struct csv *s, char ch)
{
	char *nt;

	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		nt = realloc(s->text, s->cap);
		if (!nt)
			return false;
		s->text = nt;
	}
	s->text[s->len++] = ch;
	return true;
}

static bool csv_field_start(struct csv *s)
{
	size_t *nf;

	if (s->nfields == s->fcap) {
		s->fcap = s->fcap ? s->fcap * 2 : 32;
		nf = realloc(s->field, s->fcap * sizeof *nf);
		if (!nf)
			return false;
		s->field = nf;
	}
	s->field[s->nfields++] = s->len;
	return true;
}

static const char *csv_get(const struct csv *s, size_t i)
{
	return s->text + s->field[i];
}

/* Reads the next record. Lines end in LF, CRLF or CR; a quoted field may hold
 * commas, doubled quotes and line ends; a quote inside an unquoted field is
 * taken as it is. Wholly blank lines are skipped. */
static enum csv_status csv_record(struct csv *s, struct store_error *err)
{
	const char *oom = "out of memory";

again:
	s->nfields = 0;
	s->len = 0;
	s->start = s->line;
	if (s->p >= s->end)
		return CSV_EOF;
	for (;;) {
		if (!csv_field_start(s))
			goto nomem;
		if (s->p < s->end && *s->p == '"') {
			long opened = s->line;

			s->p++;
			for (;;) {
				char ch;

				if (s->p >= s->end) {
					store_fail(
					    err, "",
					    "%s:%ld: unterminated quoted "
					    "field",
					    s->path, opened);
					return CSV_ERROR;
				}
				ch = *s->p++;
				if (ch == '"') {
					if (s->p < s->end && *s->p == '"')
						s->p++;
					else
						break;
				} else if (ch == '\n' ||
				           (ch == '\r' && (s->p >= s->end ||
				                           *s->p != '\n'))) {
					s->line++;
				}
				if (!csv_put(s, ch))
					goto nomem;
			}
			if (s->p < s->end && *s->p != ',' && *s->p != '\n' &&
			    *s->p != '\r') {
				store_fail(
				    err, "",
				    "%s:%ld: field %zu: a character after "
				    "the closing quote",
				    s->path, s->line, s->nfields);
				return CSV_ERROR;
			}
		} else {
			while (s->p < s->end && *s->p != ',' && *s->p != '\n' &&
			       *s->p != '\r')
				if (!csv_put(s, *s->p++))
					goto nomem;
		}
		if (!csv_put(s, '\0'))
			goto nomem;
		if (s->p >= s->end)
			break;
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		if (*s->p == '\r')
			s->p++;
		if (s->p < s->end && *s->p == '\n')
			s->p++;
		s->line++;
		break;
	}
	if (s->nfields == 1 && s->text[0] == '\0')
		goto again;
	return CSV_RECORD;
nomem:
	store_fail(err, "", "%s:%ld: %s", s->path, s->start, oom);
	return CSV_ERROR;
}

/* ---- checking values ----------------------------------------------------- */

static bool is_no_pcn(const char *code)
{
	return (code[0] == 'U' || code[0] == 'u') && code[1] == '\0';
}

/* Maps the header's columns (exact names, any order, others ignored). */
static bool map_header(struct csv *s, size_t col[COL_COUNT],
                       struct store_error *err)
{
	for (int k = 0; k < COL_COUNT; k++)
		col[k] = (size_t)-1;
	for (size_t i = 0; i < s->nfields; i++) {
		const char *name = csv_get(s, i);

		/* A UTF-8 byte order mark before the first name. */
		if (i == 0 && strncmp(name, "\xef\xbb\xbf", 3) == 0)
			name += 3;
		for (int k = 0; k < COL_COUNT; k++) {
			if (strcmp(name, col_names[k]) != 0)
				continue;
			if (col[k] != (size_t)-1) {
				store_fail(err, "",
				           "%s:%ld: column %s appears twice",
				           s->path, s->start, col_names[k]);
				return false;
			}
			col[k] = i;
		}
	}
	for (int k = 0; k < COL_COUNT; k++) {
		if (col[k] == (size_t)-1) {
			store_fail(
			    err, "",
			    "%s:%ld: not an NHS practice hierarchy file: "
			    "no column %s in the header",
			    s->path, s->start, col_names[k]);
			return false;
		}
	}
	return true;
}

/* Checks one data row and writes it to the COPY. */
static bool copy_row(struct csv *s, const size_t col[COL_COUNT], size_t nheader,
                     struct store_copy *cp, struct store_error *err)
{
	const char *v[COL_COUNT];
	bool no_pcn;

	if (s->nfields != nheader) {
		store_fail(err, "",
		           "%s:%ld: %zu fields, but the header has %zu",
		           s->path, s->start, s->nfields, nheader);
		return false;
	}
	for (int k = 0; k < COL_COUNT; k++)
		v[k] = csv_get(s, col[k]);
	no_pcn = is_no_pcn(v[COL_PCN_CODE]);
	for (int k = 0; k < COL_COUNT; k++) {
		char why[64];

		if (no_pcn && (k == COL_PCN_CODE || k == COL_PCN_NAME))
			continue;
		if (k % 2 == 0) { /* a code column */
			if (field_valid(FIELD_ORG_CODE, v[k]))
				continue;
			store_fail(err, "",
			           "%s:%ld: %s \"%.40s\" is not a valid "
			           "organisation code",
			           s->path, s->start, col_names[k], v[k]);
			return false;
		}
		/* the one table of field rules; a file holds no control
		 * characters */
		if (field_fault(FIELD_ORG_NAME, v[k], FIELD_NO_CONTROL, why,
		                sizeof why) != FIELD_FAULT_NONE) {
			store_fail(err, "", "%s:%ld: %s %s", s->path, s->start,
			           col_names[k], why);
			return false;
		}
	}
	store_copy_long(cp, s->start);
	for (int k = 0; k < COL_COUNT; k++)
		store_copy_text(
		    cp, no_pcn && (k == COL_PCN_CODE || k == COL_PCN_NAME)
		            ? NULL
		            : v[k]);
	store_copy_row_end(cp);
	return !cp->failed;
}

/* Streams the file's rows into the TEMP table ods_rows. */
static bool load_rows(struct store *c, const char *path, long *rows,
                      struct store_error *err)
{
	struct csv s = {0};
	struct store_copy cp;
	size_t col[COL_COUNT], nheader, len = 0;
	char *buf = read_file(path, &len, err);
	bool ok = false;
	enum csv_status st;

	if (!buf)
		return false;
	s.path = path;
	s.p = buf;
	s.end = buf + len;
	s.line = 1;
	st = csv_record(&s, err);
	if (st == CSV_EOF)
		store_fail(err, "", "%s: empty file (no header)", path);
	if (st != CSV_RECORD || !map_header(&s, col, err))
		goto out;
	nheader = s.nfields;
	if (!store_copy_begin(&cp, c, "import-ods: copy rows",
	                      "COPY ods_rows FROM STDIN", err))
		goto out;
	while ((st = csv_record(&s, err)) == CSV_RECORD)
		if (!copy_row(&s, col, nheader, &cp, err))
			break;
	if (st != CSV_EOF) {
		store_copy_abort(&cp, "the file has an error");
		goto out;
	}
	if (!store_copy_end(&cp, rows))
		goto out;
	if (*rows == 0) {
		store_fail(err, "", "%s: no data rows after the header", path);
		goto out;
	}
	ok = true;
out:
	free(s.text);
	free(s.field);
	free(buf);
	return ok;
}

/* ---- the SQL ------------------------------------------------------------- */

static const char sql_create_rows[] =
    "CREATE TEMP TABLE ods_rows ("
    " line integer NOT NULL,"
    " practice_code text NOT NULL, practice_name text NOT NULL,"
    " pcn_code text, pcn_name text,"
    " ccg_code text NOT NULL, ccg_name text NOT NULL,"
    " stp_code text NOT NULL, stp_name text NOT NULL,"
    " region_code text NOT NULL, region_name text NOT NULL"
    ") ON COMMIT DROP";

/* Every occurrence of an organisation in the file: one per row and level,
 * with the parent that row gives it (a practice in no PCN: its CCG). */
static const char sql_occurrences[] =
    "CREATE TEMP TABLE ods_occ ON COMMIT DROP AS "
    "SELECT lvl, code, lower(code) AS key, name, parent,"
    "       lower(parent) AS pkey, line FROM ("
    " SELECT 1 AS lvl, region_code AS code, region_name AS name,"
    "        'nhs'::text AS parent, line FROM ods_rows"
    " UNION ALL SELECT 2, stp_code, stp_name, region_code, line FROM ods_rows"
    " UNION ALL SELECT 3, ccg_code, ccg_name, stp_code, line FROM ods_rows"
    " UNION ALL SELECT 4, pcn_code, pcn_name, ccg_code, line FROM ods_rows"
    "           WHERE pcn_code IS NOT NULL"
    " UNION ALL SELECT 5, practice_code, practice_name,"
    "           coalesce(pcn_code, ccg_code), line FROM ods_rows) o";

/* The first row (and level) that disagrees with the first occurrence of its
 * code: another level, another name, another parent (a PCN may have
 * several: see below), a second practice row, or the root's code. */
static const char sql_conflict[] =
    "WITH first AS ("
    " SELECT DISTINCT ON (key) key, lvl, name, parent, pkey, line"
    " FROM ods_occ ORDER BY key, line, lvl) "
    "SELECT o.line, o.lvl, o.code, o.name, o.parent,"
    "       f.line, f.lvl, f.name, f.parent,"
    "       CASE WHEN o.key = 'nhs' THEN 'root'"
    "            WHEN o.lvl <> f.lvl THEN 'level'"
    "            WHEN o.lvl = 5 THEN 'duplicate'"
    "            WHEN o.name <> f.name THEN 'name'"
    "            ELSE 'parent' END "
    "FROM ods_occ o JOIN first f USING (key) "
    "WHERE o.key = 'nhs' OR o.lvl <> f.lvl"
    "   OR (o.lvl = 5 AND o.line <> f.line) OR o.name <> f.name"
    "   OR (o.lvl <> 4 AND o.pkey <> f.pkey) "
    "ORDER BY o.line, o.lvl LIMIT 1";

static const char sql_nodes[] =
    "CREATE TEMP TABLE ods_node ON COMMIT DROP AS "
    "SELECT DISTINCT ON (key) lvl, code, key, name, pkey, line"
    " FROM ods_occ ORDER BY key, line, lvl";

/* A PCN's parent: the CCG of most of its practices, ties the lowest code. */
static const char sql_pcn_parents[] =
    "UPDATE ods_node n SET pkey = m.ccg FROM ("
    " SELECT DISTINCT ON (pcn) pcn, ccg FROM ("
    "  SELECT lower(pcn_code) AS pcn, lower(ccg_code) AS ccg, count(*) AS n"
    "  FROM ods_rows WHERE pcn_code IS NOT NULL GROUP BY 1, 2) x"
    " ORDER BY pcn, n DESC, ccg COLLATE \"C\") m "
    "WHERE n.lvl = 4 AND n.key = m.pcn AND n.pkey <> m.ccg";

static const char sql_splits[] =
    "CREATE TEMP TABLE ods_split ON COMMIT DROP AS "
    "WITH pc AS ("
    " SELECT lower(pcn_code) AS pcn, lower(ccg_code) AS ccg, count(*) AS n"
    " FROM ods_rows WHERE pcn_code IS NOT NULL GROUP BY 1, 2) "
    "SELECT n.code, n.name, c.code AS ccg, sum(pc.n)::bigint AS practices,"
    "       string_agg(cc.code || ' ' || pc.n, ', '"
    "                  ORDER BY pc.n DESC, pc.ccg COLLATE \"C\") AS ccg_split "
    "FROM pc JOIN ods_node n ON n.lvl = 4 AND n.key = pc.pcn"
    " JOIN ods_node c ON c.key = n.pkey"
    " JOIN ods_node cc ON cc.key = pc.ccg "
    "GROUP BY n.code, n.name, c.code HAVING count(*) > 1";

static const char sql_split_list[] =
    "SELECT code, name, ccg, practices, ccg_split FROM ods_split"
    " ORDER BY lower(code) COLLATE \"C\"";

static const char sql_level_counts[] =
    "SELECT count(*) FILTER (WHERE lvl = 1), count(*) FILTER (WHERE lvl = 2),"
    "       count(*) FILTER (WHERE lvl = 3), count(*) FILTER (WHERE lvl = 4),"
    "       count(*) FILTER (WHERE lvl = 5),"
    "       (SELECT count(*) FROM ods_rows WHERE pcn_code IS NULL) "
    "FROM ods_node";

static const char sql_root[] =
    "SELECT id, parent_id IS NULL FROM organisations WHERE lower(code) = 'nhs'";

static const char sql_root_insert[] =
    "INSERT INTO organisations (code, name) VALUES ('nhs', 'NHS England')"
    " RETURNING id";

/* One level ($1): update the organisations that exist, insert the others.
 * Returns inserted, renamed, moved, made sites, unchanged, existing. (The
 * version of an updated row is bumped by its trigger, sql/003.) */
static const char sql_level[] =
    "WITH plan AS ("
    " SELECT o.id, n.name, p.id AS parent_id, o.name <> n.name AS renamed,"
    "        o.parent_id IS DISTINCT FROM p.id AS moved,"
    "        n.lvl = 5 AND NOT o.is_site AS site"
    " FROM ods_node n JOIN organisations o ON lower(o.code) = n.key"
    " JOIN organisations p ON lower(p.code) = n.pkey"
    " WHERE n.lvl = $1::int), "
    "upd AS ("
    " UPDATE organisations o SET name = plan.name,"
    "        parent_id = plan.parent_id, is_site = o.is_site OR plan.site"
    " FROM plan WHERE o.id = plan.id"
    "   AND (plan.renamed OR plan.moved OR plan.site) RETURNING o.id), "
    "ins AS ("
    " INSERT INTO organisations (code, name, parent_id, is_site)"
    " SELECT n.code, n.name, p.id, n.lvl = 5"
    " FROM ods_node n JOIN organisations p ON lower(p.code) = n.pkey"
    " WHERE n.lvl = $1::int AND NOT EXISTS ("
    "   SELECT 1 FROM organisations o WHERE lower(o.code) = n.key)"
    " ORDER BY n.line RETURNING id), "
    "touched AS ("
    " INSERT INTO ods_touched SELECT id FROM upd UNION ALL SELECT id FROM ins) "
    "SELECT (SELECT count(*) FROM ins), count(*) FILTER (WHERE renamed),"
    "       count(*) FILTER (WHERE moved), count(*) FILTER (WHERE site),"
    "       count(*) FILTER (WHERE NOT (renamed OR moved OR site)), count(*) "
    "FROM plan";

static const char sql_audit[] =
    "INSERT INTO audit (operator, action, target_kind, target, after, org_ids)"
    " SELECT current_user, 'import-ods', 'organisations', $1::text,"
    "  jsonb_build_object('file', $1::text, 'rows', $2::bigint,"
    "   'organisations', $3::bigint, 'regions', $4::bigint,"
    "   'stps', $5::bigint, 'ccgs', $6::bigint, 'pcns', $7::bigint,"
    "   'practices', $8::bigint, 'no_pcn', $9::bigint,"
    "   'inserted', $10::bigint, 'renamed', $11::bigint,"
    "   'moved', $12::bigint, 'made_sites', $13::bigint,"
    "   'unchanged', $14::bigint,"
    "   'split_pcns', (SELECT coalesce(jsonb_agg(jsonb_build_object("
    "      'pcn', code, 'name', name, 'ccg', ccg, 'practices', practices,"
    "      'ccgs', ccg_split) ORDER BY lower(code) COLLATE \"C\"), '[]')"
    "    FROM ods_split)),"
    "  ARRAY(SELECT id FROM ods_touched UNION"
    "        SELECT id FROM organisations WHERE lower(code) = 'nhs'"
    "        ORDER BY 1)";

/* ---- the steps ----------------------------------------------------------- */

static long get_long(const PGresult *r, int row, int col)
{
	return strtol(PQgetvalue(r, row, col), NULL, 10);
}

/* Turns the first inconsistency between rows (if any) into an error. */
static bool check_consistency(struct store *c, const char *path,
                              struct store_error *err)
{
	PGresult *r = store_exec_rows(c, "import-ods: check the rows",
	                              sql_conflict, 0, NULL, 0, err);
	long line, first_line;
	int lvl, first_lvl;
	const char *code, *kind;

	if (!r)
		return false;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return true;
	}
	line = get_long(r, 0, 0);
	lvl = (int)get_long(r, 0, 1);
	code = PQgetvalue(r, 0, 2);
	first_line = get_long(r, 0, 5);
	first_lvl = (int)get_long(r, 0, 6);
	kind = PQgetvalue(r, 0, 9);
	if (lvl < 1 || lvl > ODS_LEVELS || first_lvl < 1 ||
	    first_lvl > ODS_LEVELS)
		lvl = first_lvl = 1;
	if (strcmp(kind, "root") == 0)
		store_fail(err, "",
		           "%s:%ld: %s \"%s\" is the code of the root "
		           "organisation",
		           path, line, level_col[lvl], code);
	else if (strcmp(kind, "level") == 0)
		store_fail(err, "",
		           "%s:%ld: %s \"%s\" is already a %s on line %ld",
		           path, line, level_col[lvl], code,
		           level_col[first_lvl], first_line);
	else if (strcmp(kind, "duplicate") == 0)
		store_fail(
		    err, "",
		    "%s:%ld: PRACTICE_CODE \"%s\" is already on line %ld", path,
		    line, code, first_line);
	else if (strcmp(kind, "name") == 0)
		store_fail(err, "",
		           "%s:%ld: %s \"%s\" is named \"%s\" here but \"%s\" "
		           "on line %ld",
		           path, line, level_col[lvl], code,
		           PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 7),
		           first_line);
	else
		store_fail(
		    err, "",
		    "%s:%ld: %s \"%s\" is under %s \"%s\" here but under "
		    "\"%s\" on line %ld",
		    path, line, level_col[lvl], code, level_col[lvl - 1],
		    PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 8), first_line);
	PQclear(r);
	return false;
}

static char *dup_value(const PGresult *r, int row, int col)
{
	return strdup(PQgetvalue(r, row, col));
}

static bool read_splits(struct store *c, struct ods_counts *out,
                        struct store_error *err)
{
	PGresult *r = store_exec_rows(c, "import-ods: split PCNs",
	                              sql_split_list, 0, NULL, 0, err);
	int n;

	if (!r)
		return false;
	n = PQntuples(r);
	if (n > 0) {
		out->split = calloc((size_t)n, sizeof *out->split);
		if (!out->split)
			goto nomem;
	}
	for (int i = 0; i < n; i++) {
		struct ods_split_pcn *s = &out->split[i];

		out->split_pcns++;
		s->code = dup_value(r, i, 0);
		s->name = dup_value(r, i, 1);
		s->ccg = dup_value(r, i, 2);
		s->practices = get_long(r, i, 3);
		s->ccg_split = dup_value(r, i, 4);
		if (!s->code || !s->name || !s->ccg || !s->ccg_split)
			goto nomem;
	}
	PQclear(r);
	return true;
nomem:
	PQclear(r);
	store_fail(err, "", "import-ods: out of memory");
	return false;
}

static bool level_counts(struct store *c, struct ods_counts *out,
                         struct store_error *err)
{
	PGresult *r = store_exec_rows(c, "import-ods: count", sql_level_counts,
	                              0, NULL, 1, err);

	if (!r)
		return false;
	out->regions = get_long(r, 0, 0);
	out->stps = get_long(r, 0, 1);
	out->ccgs = get_long(r, 0, 2);
	out->pcns = get_long(r, 0, 3);
	out->practices = get_long(r, 0, 4);
	out->no_pcn = get_long(r, 0, 5);
	out->organisations = out->regions + out->stps + out->ccgs + out->pcns +
	                     out->practices + 1;
	PQclear(r);
	return true;
}

/* The root "nhs": created when absent; it must be a root. */
static bool ensure_root(struct store *c, struct ods_counts *out,
                        struct store_error *err)
{
	PGresult *r = store_exec_rows(c, "import-ods: find the root nhs",
	                              sql_root, 0, NULL, 0, err);
	bool ok = true;

	if (!r)
		return false;
	if (PQntuples(r) == 1) {
		ok = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
		if (ok)
			out->unchanged++;
		else
			store_fail(
			    err, "",
			    "import-ods: organisation nhs exists but has "
			    "a parent; the hierarchy needs it as a root");
		PQclear(r);
		return ok;
	}
	PQclear(r);
	r = store_exec_rows(c, "import-ods: create the root nhs",
	                    sql_root_insert, 0, NULL, 1, err);
	if (!r)
		return false;
	PQclear(r);
	out->inserted++;
	return store_command(
	    c, "import-ods: record the root",
	    "INSERT INTO ods_touched SELECT id FROM organisations"
	    " WHERE lower(code) = 'nhs'",
	    0, NULL, NULL, err);
}

static bool apply_levels(struct store *c, struct ods_counts *out,
                         struct store_error *err)
{
	const long expect[ODS_LEVELS + 1] = {
	    0, out->regions, out->stps, out->ccgs, out->pcns, out->practices};

	for (int lvl = 1; lvl <= ODS_LEVELS; lvl++) {
		char num[12], what[64];
		const char *params[1] = {num};
		PGresult *r;
		long inserted, existing;

		snprintf(num, sizeof num, "%d", lvl);
		snprintf(what, sizeof what, "import-ods: %s organisations",
		         level_col[lvl]);
		r = store_exec_rows(c, what, sql_level, 1, params, 1, err);
		if (!r)
			return false;
		inserted = get_long(r, 0, 0);
		out->inserted += inserted;
		out->renamed += get_long(r, 0, 1);
		out->moved += get_long(r, 0, 2);
		out->made_sites += get_long(r, 0, 3);
		out->unchanged += get_long(r, 0, 4);
		existing = get_long(r, 0, 5);
		PQclear(r);
		/* Every organisation of the level found its parent. */
		if (inserted + existing != expect[lvl]) {
			store_fail(
			    err, "",
			    "%s: placed %ld of %ld (a parent is missing)", what,
			    inserted + existing, expect[lvl]);
			return false;
		}
	}
	return true;
}

static bool write_audit(struct store *c, const char *path,
                        const struct ods_counts *n, struct store_error *err)
{
	const char *slash = strrchr(path, '/');
	const long v[13] = {
	    n->rows,  n->organisations, n->regions,  n->stps,     n->ccgs,
	    n->pcns,  n->practices,     n->no_pcn,   n->inserted, n->renamed,
	    n->moved, n->made_sites,    n->unchanged};
	char num[13][24];
	const char *params[14];

	params[0] = slash ? slash + 1 : path;
	for (int i = 0; i < 13; i++) {
		snprintf(num[i], sizeof num[i], "%ld", v[i]);
		params[i + 1] = num[i];
	}
	return store_command(c, "import-ods: audit", sql_audit, 14, params,
	                     NULL, err);
}

static bool run(struct store *c, const char *path, struct ods_counts *out,
                struct store_error *err)
{
	static const char *const setup[] = {
	    sql_create_rows,
	    "CREATE TEMP TABLE ods_touched (id bigint) ON COMMIT DROP",
	    /* Nobody else edits the tree while it is compared and written. */
	    "LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE",
	};
	static const char *const derive[] = {
	    "ANALYZE ods_rows", sql_occurrences, sql_nodes,
	    sql_pcn_parents,    sql_splits,      "ANALYZE ods_node",
	};

	for (size_t i = 0; i < sizeof setup / sizeof *setup; i++)
		if (!store_command(c, "import-ods: set up", setup[i], 0, NULL,
		                   NULL, err))
			return false;
	if (!load_rows(c, path, &out->rows, err))
		return false;
	for (size_t i = 0; i < sizeof derive / sizeof *derive; i++) {
		if (!store_command(c, "import-ods: derive the tree", derive[i],
		                   0, NULL, NULL, err))
			return false;
		if (derive[i] == sql_occurrences &&
		    !check_consistency(c, path, err))
			return false;
	}
	return level_counts(c, out, err) && read_splits(c, out, err) &&
	       ensure_root(c, out, err) && apply_levels(c, out, err) &&
	       /* fresh statistics for what runs next (a seed, the console) */
	       store_command(c, "import-ods: statistics",
	                     "ANALYZE organisations", 0, NULL, NULL, err) &&
	       write_audit(c, path, out, err);
}

bool bulk_import_ods(struct store *c, const char *csv_path,
                     struct ods_counts *out, struct store_error *err)
{
	struct ods_counts n = {0};

	if (err)
		*err = (struct store_error){0};
	if (out)
		memset(out, 0, sizeof *out);
	/* the audit chain's lock first, as every writer of records */
	if (!store_begin_utf8(c, err) || !store_chain_lock(c, err))
		return false;
	if (!run(c, csv_path, &n, err) || !store_commit(c, err)) {
		store_rollback(c);
		bulk_ods_counts_free(&n);
		return false;
	}
	if (out)
		*out = n;
	else
		bulk_ods_counts_free(&n);
	return true;
}

void bulk_ods_counts_free(struct ods_counts *counts)
{
	if (!counts)
		return;
	for (size_t i = 0; i < counts->split_pcns; i++) {
		free(counts->split[i].code);
		free(counts->split[i].name);
		free(counts->split[i].ccg);
		free(counts->split[i].ccg_split);
	}
	free(counts->split);
	memset(counts, 0, sizeof *counts);
}
