/* test_field_rules.c: the one table of field rules (src/fields/fields.c)
 * and the schema's checks (sql/008_field_rules.sql) agree (TAP, cmocka).
 *
 * For every field, values generated from its row of the table (lengths at
 * and around its limits, in one-, two- and four-byte characters; each of
 * the 127 ASCII characters and a spread of others at the start, inside and
 * at the end of a valid value, and for an email in each part of it; the
 * examples of issue 7) go both to field_valid() and, as an UPDATE of a real
 * row, to the database: the two must agree on every one. Then: each field
 * has its one constraint, validated; a database holding rows an older rule
 * let in still migrates, with a warning, and holds new rows to the table;
 * store_email_taken; `db load` of a role name longer than the schema holds
 * is refused by the loader, at its line, before the database sees it, and
 * an empty title or mobile phone is loaded as none.
 *
 * Runs against the server of the PG* environment (the suite runs inside
 * pg_virtualenv), in databases of its own, dropped at the end; skips when
 * no PostgreSQL is configured. SQL_DIR (set by meson) holds the
 * migrations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "accessdesk/cli.h"
#include "accessdesk/fields.h"
#include "accessdesk/store.h"
#include "pg_env.h"

static bool no_server;      /* skip everything */
static char dbname[64];     /* the migrated database */
static PGconn *admin;       /* to "postgres": create, drop */
static PGconn *raw;         /* to dbname: the vectors */
static struct store *store; /* to dbname, through the store */
static long long ids[5];    /* the fixture's rows */
enum { ROW_ORG, ROW_STUDY, ROW_ROLE, ROW_CLUSTER, ROW_USER };

/* Where each field is stored; its constraint is TABLE_COLUMN_rule. */
static const struct {
	const char *table, *column;
	int row;
	bool nullable; /* "" is stored as NULL (no title, no mobile) */
} where[FIELD_COUNT] = {
    [FIELD_ORG_CODE] = {"organisations", "code", ROW_ORG, false},
    [FIELD_ORG_NAME] = {"organisations", "name", ROW_ORG, false},
    [FIELD_STUDY_CODE] = {"studies", "code", ROW_STUDY, false},
    [FIELD_STUDY_NAME] = {"studies", "name", ROW_STUDY, false},
    [FIELD_LOGIN] = {"users", "login", ROW_USER, false},
    [FIELD_TITLE] = {"users", "title", ROW_USER, true},
    [FIELD_FIRST_NAME] = {"users", "first_name", ROW_USER, false},
    [FIELD_LAST_NAME] = {"users", "last_name", ROW_USER, false},
    [FIELD_EMAIL] = {"users", "email", ROW_USER, false},
    [FIELD_WORK_PHONE] = {"users", "work_phone", ROW_USER, false},
    [FIELD_MOBILE_PHONE] = {"users", "mobile_phone", ROW_USER, true},
    [FIELD_ROLE_NAME] = {"roles", "name", ROW_ROLE, false},
    [FIELD_SHORT_NAME] = {"clusters", "short_name", ROW_CLUSTER, false},
    [FIELD_CLUSTER_NAME] = {"clusters", "name", ROW_CLUSTER, false},
    [FIELD_CLUSTER_DESCRIPTION] = {"clusters", "description", ROW_CLUSTER,
                                   false},
};

/* ---- plain SQL ------------------------------------------------------ */

static PGresult *sql(PGconn *c, ExecStatusType want, const char *q, int n,
                     const char *const *params)
{
	PGresult *r = PQexecParams(c, q, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != want)
		fail_msg("%s: %s", q, PQresultErrorMessage(r));
	return r;
}

/* The first value of the first row, as a long long. */
static long long sql_ll(PGconn *c, const char *q, int n,
                        const char *const *params)
{
	PGresult *r = sql(c, PGRES_TUPLES_OK, q, n, params);
	assert_int_equal(PQntuples(r), 1);
	long long v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static void drop(const char *name)
{
	char q[128];
	snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	PQclear(PQexec(admin, q));
}

static void create(const char *name)
{
	char q[128];
	drop(name);
	snprintf(q, sizeof q, "CREATE DATABASE %s", name);
	PQclear(sql(admin, PGRES_COMMAND_OK, q, 0, NULL));
}

static PGconn *connect_to(const char *name)
{
	char conninfo[128];
	snprintf(conninfo, sizeof conninfo, "dbname=%s", name);
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connect to %s: %s", name, PQerrorMessage(c));
	PQsetClientEncoding(c, "UTF8");
	return c;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int group_setup(void **state)
{
	(void)state;
	admin = PQconnectdb("dbname=postgres");
	PQsetNoticeProcessor(admin, quiet, NULL);
	if (PQstatus(admin) != CONNECTION_OK) {
		if (pg_configured()) {
			print_error("cannot connect to PostgreSQL: %s",
			            PQerrorMessage(admin));
			return -1;
		}
		no_server = true;
		return 0;
	}
	snprintf(dbname, sizeof dbname, "ad_fields_%ld", (long)getpid());
	create(dbname);

	char conninfo[128];
	struct store_error err = {0};
	int applied;
	snprintf(conninfo, sizeof conninfo, "dbname=%s", dbname);
	store = store_connect(conninfo, NULL, &err);
	if (!store || !store_migrate(store, &applied, &err)) {
		print_error("migrate %s: %s", dbname, err.message);
		return -1;
	}
	raw = connect_to(dbname);
	PQsetNoticeProcessor(raw, quiet, NULL);
	ids[ROW_ORG] = sql_ll(raw,
	                      "INSERT INTO organisations (code, name, is_site) "
	                      "VALUES ('fx-org', 'Fixture', true) RETURNING id",
	                      0, NULL);
	char org[24];
	snprintf(org, sizeof org, "%lld", ids[ROW_ORG]);
	const char *p[] = {org};
	ids[ROW_STUDY] = sql_ll(raw,
	                        "INSERT INTO studies (code, name, site_id) "
	                        "VALUES ('FX-STUDY', 'Fixture', $1) "
	                        "RETURNING id",
	                        1, p);
	ids[ROW_ROLE] =
	    sql_ll(raw,
	           "WITH r AS (INSERT INTO roles (name, domain) "
	           "VALUES ('Fixture role', 'study') RETURNING id), "
	           "a AS (INSERT INTO role_actions SELECT id, "
	           "'study.view' FROM r) SELECT id FROM r",
	           0, NULL);
	ids[ROW_CLUSTER] = sql_ll(raw,
	                          "INSERT INTO clusters (short_name, name, "
	                          "owner_id) VALUES ('FFFFFFFFFF', 'Fixture', "
	                          "$1) RETURNING id",
	                          1, p);
	ids[ROW_USER] = sql_ll(raw,
	                       "INSERT INTO users (login, first_name, "
	                       "last_name, email, work_phone) VALUES "
	                       "('fx.user', 'F', 'U', 'f@x.org', '01') "
	                       "RETURNING id",
	                       0, NULL);
	/* One value into one column of one row: did the checks let it in?
	 * A unique violation comes after the checks passed. The update is
	 * undone either way (ZX999), so the row is as it was for the next. */
	PQclear(sql(raw, PGRES_COMMAND_OK,
	            "CREATE FUNCTION pg_temp.accepts(tbl text, col text, "
	            "row_id bigint, v text) RETURNS boolean LANGUAGE plpgsql "
	            "AS $$ BEGIN "
	            "EXECUTE format('UPDATE %I SET %I = $1 WHERE id = $2', "
	            "tbl, col) USING v, row_id; RAISE SQLSTATE 'ZX999'; "
	            "EXCEPTION WHEN check_violation THEN RETURN false; "
	            "WHEN unique_violation OR SQLSTATE 'ZX999' THEN "
	            "RETURN true; END $$",
	            0, NULL));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (no_server)
		return 0;
	store_disconnect(store);
	PQfinish(raw);
	drop(dbname);
	PQfinish(admin);
	return 0;
}

#define NEED_SERVER()                                                          \
	do {                                                                   \
		if (no_server)                                                 \
			skip();                                                \
	} while (0)

/* ---- the values ----------------------------------------------------- */

struct values {
	char **v;
	size_t n, cap;
};

static void add(struct values *x, const char *s)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 256;
		x->v = realloc(x->v, x->cap * sizeof *x->v);
		assert_non_null(x->v);
	}
	x->v[x->n] = strdup(s);
	assert_non_null(x->v[x->n]);
	x->n++;
}

static void addf(struct values *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void addf(struct values *x, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof buf);
	add(x, buf);
}

static void values_free(struct values *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i]);
	free(x->v);
}

/* unit, n times, after head and before tail. */
static void add_repeat(struct values *x, const char *head, const char *unit,
                       int n, const char *tail)
{
	if (n < 0)
		return;
	size_t len = strlen(head) + strlen(unit) * (size_t)n + strlen(tail);
	char *s = malloc(len + 1);
	assert_non_null(s);
	strcpy(s, head);
	for (int i = 0; i < n; i++)
		strcat(s, unit);
	strcat(s, tail);
	add(x, s);
	free(s);
}

/* A code of n characters that the rule allows, running through its set. */
static void code_of(const struct field_rule *r, int n, char *buf)
{
	for (int i = 0; i < n; i++) {
		const char *pool = i == 0 && r->first ? r->first : r->chars;
		buf[i] = pool[(size_t)(i * 7 + 3) % strlen(pool)];
	}
	buf[n] = '\0';
}

static void utf8(long cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xc0 | (cp >> 6));
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xe0 | (cp >> 12));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (unsigned char)(0xf0 | (cp >> 18));
		*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = '\0';
}

/* Every ASCII character but NUL (which text cannot hold), then C1
 * controls, a no-break space, a soft hyphen, letters, zero-width and bidi
 * characters, a separator, a BOM, a replacement character, an emoji, the
 * last code point. */
static long char_at(int i)
{
	static const long others[] = {0x80,   0x85,   0x9f,    0xa0,    0xad,
	                              0xe9,   0x3b1,  0x200b,  0x202e,  0x2028,
	                              0xfeff, 0xfffd, 0x1f600, 0x10ffff};
	if (i < 127)
		return i + 1;
	i -= 127;
	return i < (int)(sizeof others / sizeof *others) ? others[i] : -1;
}

static const char *const examples[] = {
    /* issue 7 */
    "---",
    ".a@x.org",
    "a@x.c",
    "a@example..org",
    "a.@x.org",
    "a..b@x.org",
    /* access-model.md section 1, the seeds, hostile values */
    "lat04",
    "A01AAA",
    "1-LAT1",
    "kal738",
    "C61A6DB801",
    "c61a6db801",
    "Kenneth.Alloway@nhs.uk",
    "o'brien\\x@example.com",
    "+44 (0)20 7946-0000",
    "0315841236",
    "Mr",
    "Prof",
    "Sir",
    "mr",
    "Zo\xc3\xab \xc3\x98"
    "degard",
    "Robert'); DELETE FROM audit; --",
    "a@b@c.org",
    "@x.org",
    "a@",
    "a@.org",
    "a@org.",
    "a@x",
    "a@x.co",
    "a@x.c0",
    "a@x.\xd1\x80\xd1\x84",
    " ",
    "0",
    "()",
    "+",
    "S/001",
    "lat 04",
    "l\xc3\xa4t04",
    ".kal",
    "-kal",
    "7ab.c_d-e",
};

static void generate(enum field f, struct values *x)
{
	const struct field_rule *r = &field_rules[f];
	const int lens[] = {0,          1,          2,          r->min - 1,
	                    r->min,     r->min + 1, r->max - 1, r->max,
	                    r->max + 1, r->max + 2};
	char buf[4200], c[8];

	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		int n = lens[i];
		if (n < 0)
			continue;
		switch (r->kind) {
		case FIELD_KIND_TEXT:
			add_repeat(x, "", "N", n, "");
			add_repeat(x, "", "\xc3\xa9", n, "");
			add_repeat(x, "", "\xf0\x9f\x98\x80", n, "");
			add_repeat(x, "", " ", n, "");
			break;
		case FIELD_KIND_CODE:
			code_of(r, n, buf);
			add(x, buf);
			break;
		case FIELD_KIND_PHONE:
			add_repeat(x, "", "7", n, "");
			add_repeat(x, "", " ", n - 1, "1");
			add_repeat(x, "", "-", n, "");
			break;
		case FIELD_KIND_EMAIL:
			add_repeat(x, "", "a", n - 12, "@example.org");
			add_repeat(x, "", "\xc3\xa9", n - 12, "@example.org");
			add_repeat(x, "a@", "b", n - 6, ".org");
			add_repeat(x, "a@b.", "c", n - 4, "");
			break;
		case FIELD_KIND_CHOICE:
			add_repeat(x, "", "M", n, "");
			break;
		}
	}
	for (const char *const *ch = r->choices; ch && *ch; ch++) {
		add(x, *ch);
		addf(x, "%s ", *ch);
		addf(x, "%.1s", *ch);
	}
	for (int i = 0; char_at(i) >= 0; i++) {
		utf8(char_at(i), c);
		switch (r->kind) {
		case FIELD_KIND_TEXT:
		case FIELD_KIND_PHONE:
			addf(x, "1%s2", c);
			addf(x, "%s1", c);
			addf(x, "1%s", c);
			addf(x, "%s", c);
			break;
		case FIELD_KIND_CODE: {
			int n = r->min > 3 ? r->min : 3;
			code_of(r, n, buf);
			const int places[] = {0, n / 2, n - 1};
			for (size_t k = 0; k < 3; k++) {
				int at = places[k];
				char s[64];
				snprintf(s, sizeof s, "%.*s%s%s", at, buf, c,
				         buf + at + 1);
				add(x, s);
			}
			addf(x, "%s%s", buf, c); /* one more */
			break;
		}
		case FIELD_KIND_EMAIL: {
			/* before and after the character */
			static const char *const forms[][2] = {
			    {"", "a@example.org"}, {"a", "b@example.org"},
			    {"a", "@example.org"}, {"a@", "x.org"},
			    {"a@x", "y.org"},      {"a@x", ".org"},
			    {"a@x.o", "g"},        {"a@x.or", ""},
			    {"a@x.", "a"},         {"a@x.", ""},
			    {"a@", ".org"},        {"", ""},
			};
			for (size_t k = 0; k < sizeof forms / sizeof *forms;
			     k++)
				addf(x, "%s%s%s", forms[k][0], c, forms[k][1]);
			addf(x, "a@x.%s%s", c, c);
			break;
		}
		case FIELD_KIND_CHOICE:
			addf(x, "%s%s", r->choices[0], c);
			addf(x, "%s%s", c, r->choices[0]);
			break;
		}
	}
	for (size_t i = 0; i < sizeof examples / sizeof *examples; i++)
		add(x, examples[i]);
}

/* The value for a message: control characters and non-ASCII escaped. */
static const char *shown(const char *v)
{
	static char buf[200];
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)v;
	     *p && o + 5 < sizeof buf; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			o += (size_t)snprintf(buf + o, 5, "\\x%02x", *p);
		else
			buf[o++] = (char)*p;
	}
	buf[o] = '\0';
	return buf;
}

/* The values as one text[] literal: each quoted, with " and \ escaped;
 * "" of a nullable column is NULL (as the store writes it). */
static char *array_literal(enum field f, const struct values *x)
{
	size_t len = 3;
	for (size_t i = 0; i < x->n; i++)
		len += 2 * strlen(x->v[i]) + 8;
	char *s = malloc(len), *o = s;
	assert_non_null(s);
	*o++ = '{';
	for (size_t i = 0; i < x->n; i++) {
		if (i)
			*o++ = ',';
		if (!*x->v[i] && where[f].nullable) {
			memcpy(o, "NULL", 4);
			o += 4;
			continue;
		}
		*o++ = '"';
		for (const char *c = x->v[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	return s;
}

/* Does the database take each value into f's column? One 't' or 'f' a
 * value, in order (allocated). */
static char *database_verdicts(enum field f, const struct values *x)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", ids[where[f].row]);
	char *list = array_literal(f, x);
	const char *p[] = {where[f].table, where[f].column, id, list};
	PGresult *r = sql(raw, PGRES_TUPLES_OK,
	                  "SELECT string_agg(CASE WHEN pg_temp.accepts($1, $2, "
	                  "$3::bigint, v) THEN 't' ELSE 'f' END, '' ORDER BY "
	                  "i) FROM unnest($4::text[]) WITH ORDINALITY AS t(v, "
	                  "i)",
	                  4, p);
	free(list);
	assert_int_equal(PQntuples(r), 1);
	char *verdicts = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	assert_non_null(verdicts);
	assert_int_equal(strlen(verdicts), x->n);
	return verdicts;
}

static void test_agree(void **state)
{
	enum field f = (enum field)(intptr_t)*state;
	struct values x = {0};
	size_t disagree = 0, accepted = 0;

	NEED_SERVER();
	generate(f, &x);
	char *db = database_verdicts(f, &x);
	for (size_t i = 0; i < x.n; i++) {
		bool c = field_valid(f, x.v[i]);
		accepted += c;
		if (c != (db[i] == 't') && disagree++ < 10)
			print_error("%s \"%s\": the table %s, the schema %s\n",
			            field_rules[f].key, shown(x.v[i]),
			            c ? "accepts" : "refuses",
			            db[i] == 't' ? "accepts" : "refuses");
	}
	print_message("# %s.%s: %zu values (%zu accepted), %zu disagree\n",
	              where[f].table, where[f].column, x.n, accepted, disagree);
	free(db);
	values_free(&x);
	assert_int_equal(disagree, 0);
	assert_true(accepted > 0); /* both sides were really asked */
}

/* Each field has its one constraint, validated on a fresh database; no
 * check of 001 on those columns survives beside them. */
static void test_constraints(void **state)
{
	(void)state;
	NEED_SERVER();
	for (int f = 0; f < FIELD_COUNT; f++) {
		char name[128];
		snprintf(name, sizeof name, "%s_%s_rule", where[f].table,
		         where[f].column);
		const char *p[] = {name, where[f].table};
		PGresult *r =
		    sql(raw, PGRES_TUPLES_OK,
		        "SELECT convalidated, pg_get_constraintdef(oid) "
		        "FROM pg_constraint WHERE conname = $1 AND "
		        "conrelid = $2::regclass AND contype = 'c'",
		        2, p);
		if (PQntuples(r) != 1)
			fail_msg("no constraint %s", name);
		assert_string_equal(PQgetvalue(r, 0, 0), "t");
		assert_non_null(strstr(PQgetvalue(r, 0, 1), where[f].column));
		PQclear(r);
	}
	assert_int_equal(
	    sql_ll(raw,
	           "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND "
	           "conname LIKE '%\\_rule'",
	           0, NULL),
	    FIELD_COUNT);
	assert_int_equal(sql_ll(raw,
	                        "SELECT count(*) FROM pg_constraint WHERE "
	                        "contype = 'c' AND conname LIKE '%\\_check' "
	                        "AND conrelid::regclass::text IN "
	                        "('organisations', 'studies', 'users', "
	                        "'clusters') ",
	                        0, NULL),
	                 0);
}

/* ---- a database that older rules filled ---------------------------- */

static char warnings[4096];

static void collect(void *arg, const char *message)
{
	(void)arg;
	strncat(warnings, message, sizeof warnings - strlen(warnings) - 1);
}

/* The text of SQL_DIR/NNN_*.sql for number n, or NULL. */
static char *migration(int n)
{
	const char *dir = getenv("SQL_DIR");
	char prefix[16], path[4096];
	struct dirent *e;
	char *text = NULL;
	DIR *d;

	assert_non_null(dir);
	d = opendir(dir);
	assert_non_null(d);
	snprintf(prefix, sizeof prefix, "%03d_", n);
	while ((e = readdir(d)) && !text) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, 4) != 0 || len < 5 ||
		    strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		long size = ftell(f);
		fseek(f, 0, SEEK_SET);
		text = malloc((size_t)size + 1);
		assert_non_null(text);
		assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
		text[size] = '\0';
		fclose(f);
	}
	closedir(d);
	return text;
}

static void test_legacy_rows(void **state)
{
	char name[80];
	(void)state;
	NEED_SERVER();
	snprintf(name, sizeof name, "ad_fields_legacy_%ld", (long)getpid());
	create(name);
	PGconn *c = connect_to(name);
	PQsetNoticeProcessor(c, quiet, NULL);
	for (int n = 1; n < 8; n++) {
		char *text = migration(n);
		PGresult *r = text ? PQexec(c, text) : NULL;
		free(text);
		/* (a script whose last statement is a SELECT: TUPLES_OK) */
		if (r && PQresultStatus(r) != PGRES_COMMAND_OK &&
		    PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("migration %03d: %s", n,
			         PQresultErrorMessage(r));
		PQclear(r);
	}
	/* 001's email check let these in */
	PQclear(sql(c, PGRES_COMMAND_OK,
	            "INSERT INTO users (login, first_name, last_name, email, "
	            "work_phone) VALUES ('old.one', 'O', 'One', '.a@x.org', "
	            "'---'), ('old.two', 'O', 'Two', 'two@x.org', '02')",
	            0, NULL));
	char *text = migration(8);
	assert_non_null(text);
	PQsetNoticeProcessor(c, collect, NULL);
	PGresult *r = PQexec(c, text);
	free(text);
	PQsetNoticeProcessor(c, quiet, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("008 did not apply: %s", PQresultErrorMessage(r));
	PQclear(r);
	assert_non_null(strstr(warnings, "users_email_rule"));
	assert_non_null(strstr(warnings, "users_work_phone_rule"));
	assert_int_equal(
	    sql_ll(c,
	           "SELECT count(*) FROM pg_constraint WHERE NOT convalidated "
	           "AND conname IN ('users_email_rule', "
	           "'users_work_phone_rule')",
	           0, NULL),
	    2);
	assert_int_equal(sql_ll(c,
	                        "SELECT count(*) FROM pg_constraint WHERE "
	                        "NOT convalidated AND conname LIKE '%\\_rule'",
	                        0, NULL),
	                 2);
	assert_int_equal(sql_ll(c,
	                        "SELECT count(*) FROM users WHERE email = "
	                        "'.a@x.org' AND work_phone = '---'",
	                        0, NULL),
	                 1);
	/* new rows follow the table */
	r = PQexec(c, "INSERT INTO users (login, first_name, last_name, email, "
	              "work_phone) VALUES ('new.one', 'N', 'One', '.b@x.org', "
	              "'03')");
	assert_string_equal(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23514");
	PQclear(r);
	PQfinish(c);
	drop(name);
}

/* ---- the email another user has ------------------------------------- */

static void test_email_taken(void **state)
{
	struct store_error err = {0};
	char other[65];
	(void)state;
	NEED_SERVER();
	char id[24];
	snprintf(id, sizeof id, "%lld", ids[ROW_USER]);
	const char *me[] = {id};
	PQclear(sql(raw, PGRES_COMMAND_OK,
	            "UPDATE users SET email = 'Shared.Mail@Example.org' WHERE "
	            "id = $1",
	            1, me));
	long long other_id =
	    sql_ll(raw,
	           "INSERT INTO users (login, first_name, last_name, email, "
	           "work_phone) VALUES ('fx.other', 'F', 'O', "
	           "'shared.mail@example.org', '01') RETURNING id",
	           0, NULL);
	/* case-insensitively, as the index on lower(email) compares */
	assert_true(store_email_taken(store, "SHARED.MAIL@example.ORG",
	                              ids[ROW_USER], other, sizeof other,
	                              &err));
	assert_string_equal(other, "fx.other");
	assert_true(store_email_taken(store, "shared.mail@example.org",
	                              other_id, other, sizeof other, &err));
	assert_string_equal(other, "fx.user");
	/* a new user (id 0) against both: the first by id */
	assert_true(store_email_taken(store, "shared.mail@example.org", 0,
	                              other, sizeof other, &err));
	assert_string_equal(other, "fx.user");
	assert_false(store_email_taken(store, "nobody@example.org",
	                               ids[ROW_USER], other, sizeof other,
	                               &err));
	assert_string_equal(other, "");
	assert_string_equal(err.message, "");
	/* a value that is SQL is a value */
	assert_false(store_email_taken(store, "x' OR '1'='1", 0, other,
	                               sizeof other, &err));
	assert_string_equal(err.message, "");
	/* Among 20,000 users the query uses an index on lower(email)
	 * (users_email, or the search's text_pattern_ops one): a plan, not a
	 * timing. */
	PQclear(sql(raw, PGRES_COMMAND_OK,
	            "INSERT INTO users (login, first_name, last_name, email, "
	            "work_phone) SELECT 'bulk' || g, 'B', 'U', 'bulk' || g || "
	            "'@example.org', '01' FROM generate_series(1, 20000) g",
	            0, NULL));
	PQclear(sql(raw, PGRES_COMMAND_OK, "ANALYZE users", 0, NULL));
	const char *p[] = {"Bulk77@example.org", id};
	PGresult *r = sql(raw, PGRES_TUPLES_OK,
	                  "EXPLAIN SELECT login FROM users WHERE lower(email) "
	                  "= lower($1) AND id <> $2::bigint ORDER BY id "
	                  "LIMIT 1",
	                  2, p);
	bool indexed = false;
	for (int i = 0; i < PQntuples(r); i++)
		indexed |= strstr(PQgetvalue(r, i, 0),
		                  "Index Cond: (lower(email) =") != NULL;
	PQclear(r);
	assert_true(indexed);
	assert_true(store_email_taken(store, "Bulk77@example.org",
	                              ids[ROW_USER], other, sizeof other,
	                              &err));
	assert_string_equal(other, "bulk77");
}

/* ---- db load: the loader refuses what the schema would ------------- */

/* `db load` of text: its exit status; its standard error in out, and
 * the file's path in path. */
static int db_load(const char *text, char *path, size_t path_len, char *out,
                   size_t out_len)
{
	char errpath[128];
	snprintf(path, path_len, "/tmp/ad_fields_%ld.conf", (long)getpid());
	snprintf(errpath, sizeof errpath, "/tmp/ad_fields_%ld.err",
	         (long)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);

	/* its messages go to standard error: catch them */
	fflush(stderr);
	int saved = dup(2);
	int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	int rc = cli_db_load(store, path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fopen(errpath, "r");
	assert_non_null(f);
	size_t n = fread(out, 1, out_len - 1, f);
	out[n] = '\0';
	fclose(f);
	unlink(path);
	unlink(errpath);
	return rc;
}

/* A role name longer than the schema holds passed `policy test` and failed
 * `db load` with the constraint's name: the loader refuses it first, at
 * its line, with the rule. */
static void test_db_load_role_name(void **state)
{
	char path[128], name[151], text[400], out[4096], want[200];
	(void)state;
	NEED_SERVER();
	memset(name, 'R', 150);
	name[150] = '\0';
	snprintf(text, sizeof text,
	         "roles = (\n  { domain = \"study\";\n    name = \"%s\";\n"
	         "    actions = [ \"study.view\" ]; }\n);\n",
	         name);
	int rc = db_load(text, path, sizeof path, out, sizeof out);
	snprintf(want, sizeof want, "%s:3: ", path);
	if (rc != 2 || !strstr(out, want) ||
	    !strstr(out, "is longer than 100 characters") ||
	    strstr(out, "roles_name"))
		fail_msg("exit %d, stderr: %s", rc, out);
	const char *p[] = {name};
	assert_int_equal(
	    sql_ll(raw, "SELECT count(*) FROM roles WHERE name = $1", 1, p), 0);
}

/* An empty title or mobile phone in a file is none, as the form's blank
 * one is: stored as NULL (the schema refuses ""). */
static void test_db_load_empty_optional(void **state)
{
	char path[128], out[4096];
	(void)state;
	NEED_SERVER();
	int rc = db_load("users = (\n  { login = \"fx.blank\"; title = \"\"; "
	                 "first_name = \"B\"; last_name = \"L\";\n    email = "
	                 "\"b.l@example.org\"; work_phone = \"01\"; "
	                 "mobile_phone = \"\"; }\n);\n",
	                 path, sizeof path, out, sizeof out);
	if (rc != 0)
		fail_msg("exit %d, stderr: %s", rc, out);
	assert_int_equal(sql_ll(raw,
	                        "SELECT count(*) FROM users WHERE login = "
	                        "'fx.blank' AND title IS NULL AND "
	                        "mobile_phone IS NULL",
	                        0, NULL),
	                 1);
}

int main(void)
{
#define AGREE(f) cmocka_unit_test_prestate(test_agree, (void *)(intptr_t)(f))
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_constraints),
	    AGREE(FIELD_ORG_CODE),
	    AGREE(FIELD_ORG_NAME),
	    AGREE(FIELD_STUDY_CODE),
	    AGREE(FIELD_STUDY_NAME),
	    AGREE(FIELD_LOGIN),
	    AGREE(FIELD_TITLE),
	    AGREE(FIELD_FIRST_NAME),
	    AGREE(FIELD_LAST_NAME),
	    AGREE(FIELD_EMAIL),
	    AGREE(FIELD_WORK_PHONE),
	    AGREE(FIELD_MOBILE_PHONE),
	    AGREE(FIELD_ROLE_NAME),
	    AGREE(FIELD_SHORT_NAME),
	    AGREE(FIELD_CLUSTER_NAME),
	    AGREE(FIELD_CLUSTER_DESCRIPTION),
	    cmocka_unit_test(test_legacy_rows),
	    cmocka_unit_test(test_email_taken),
	    cmocka_unit_test(test_db_load_role_name),
	    cmocka_unit_test(test_db_load_empty_optional),
	};
	_Static_assert(FIELD_COUNT == 15, "a field without its AGREE line");
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
