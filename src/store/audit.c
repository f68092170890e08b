/* audit.c: the audit trail read back: the Audit tab's pages, one record's
 * before and after, `accessdesk audit` (CSV, streamed) and `accessdesk
 * audit verify` (the hash chain of sql/013_audit_chain.sql walked from the
 * first record to the head).
 *
 * Which records an operator reads is decided by the engine's reach for
 * audit.view (store_reach_of), sent as one array parameter: a record is
 * read when one of the organisations it touched is in it. Every statement
 * is assembled from the constant fragments below, one per filter given,
 * and runs as an index scan in the chain's order (sql/013's indexes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/count.h"
#include "internal.h"

const char *const store_audit_filter_names[AUDIT_FILTERS] = {
    [AUDIT_TARGET] = "Target", [AUDIT_OPERATOR] = "Operator",
    [AUDIT_KIND] = "Kind",     [AUDIT_FROM] = "From",
    [AUDIT_TO] = "To",
};

const char *const store_audit_kinds[STORE_AUDIT_KINDS] = {
    "user", "grant",    "cluster",  "study",        "organisation",
    "role", "settings", "database", "organisations"};

static int days_in(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
	                             31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* n digits at *p into *v, moving *p past them. */
static bool digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

/* One step of the unit typed last (a day, a minute or a second) later. */
static void step(int *y, int *m, int *d, int *hh, int *mm, int *ss, int unit)
{
	if (unit == 2 && ++*ss < 60)
		return;
	if (unit == 2)
		*ss = 0;
	if (unit >= 1 && ++*mm < 60)
		return;
	if (unit >= 1) {
		*mm = 0;
		if (++*hh < 24)
			return;
		*hh = 0;
	}
	if (++*d <= days_in(*y, *m))
		return;
	*d = 1;
	if (++*m > 12) {
		*m = 1;
		++*y;
	}
}

bool store_time_parse(const char *text, enum store_time_end end, char *iso,
                      size_t len)
{
	const char *p = text;
	int y, m, d, hh = 0, mm = 0, ss = 0;
	while (*p == ' ')
		p++;
	if (strlen(p) >= 10 && p[4] == '-') {
		if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &m) ||
		    *p++ != '-' || !digits(&p, 2, &d))
			return false;
	} else if (!digits(&p, 2, &d) || *p++ != '/' || !digits(&p, 2, &m) ||
	           *p++ != '/' || !digits(&p, 4, &y)) {
		return false;
	}
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
		return false;
	int unit = 0; /* the day, the minute or the second typed last */
	const char *q = p;
	while (*q == ' ')
		q++;
	if (*p == 'T' || (*p == ' ' && *q)) {
		p = *p == 'T' ? p + 1 : q;
		if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mm))
			return false;
		unit = 1;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &ss))
				return false;
			unit = 2;
		}
		if (hh > 23 || mm > 59 || ss > 59)
			return false;
	}
	while (*p == ' ')
		p++;
	if (*p)
		return false;
	if (end == STORE_TIME_UNIT_END ||
	    (end == STORE_TIME_DAY_END && unit == 0))
		step(&y, &m, &d, &hh, &mm, &ss, unit);
	int n = snprintf(iso, len, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh,
	                 mm, ss);
	return n > 0 && (size_t)n < len;
}

const char *const store_audit_columns[STORE_AUDIT_COLUMNS] = {
    "Record", "Time",   "Operator", "Action",    "Kind",
    "Target", "Before", "After",    "Prev Hash", "Hash"};

bool store_audit_reach(const struct engine_world *w,
                       const struct store_ids *ids, int op,
                       struct store_reach *r)
{
	return store_reach_of(w, ids, op, ENGINE_ACT(ACT_AUDIT_VIEW), r);
}

/* ---- the statements' fragments ---------------------------------------- */

/* $1 the organisations the operator reads (unless everything), $2..$6 the
 * filters in store_audit_filter order, $7 the keyset bound, $8 the page's
 * size. */
#define AUDIT_PARAMS 8
static const Oid audit_types[AUDIT_PARAMS] = {
    1016 /* bigint[] */, 25, 25, 25, 1184 /* timestamptz */, 1184, 20, 23};

static const char row_columns[] =
    "SELECT seq, to_char(at, 'DD/MM/YYYY HH24:MI:SS'), operator, action,"
    " target_kind, target";
static const char from_audit[] = " FROM audit WHERE true";
static const char visible[] = " AND org_ids && $1::bigint[]";
static const char *const filter_sql[AUDIT_FILTERS] = {
    [AUDIT_TARGET] = " AND lower(split_part(target, '/', 1)) = lower($2)",
    [AUDIT_OPERATOR] = " AND lower(operator) = lower($3)",
    [AUDIT_KIND] = " AND target_kind = $4",
    [AUDIT_FROM] = " AND at >= $5",
    [AUDIT_TO] = " AND at < $6",
};
static const char older[] = " AND seq < $7";
static const char newer_than[] = " AND seq > $7";
static const char newest_first[] = " ORDER BY seq DESC LIMIT $8";
static const char oldest_first[] = " ORDER BY seq LIMIT $8";

static bool given(const struct store_audit_query *q, int f)
{
	return q && q->f[f] && q->f[f][0];
}

/* The fragments of the reach and the filters given, appended to parts;
 * their number. */
static int where_parts(const struct store_reach *reach,
                       const struct store_audit_query *q, const char **parts)
{
	int k = 0;
	if (!reach->everything)
		parts[k++] = visible;
	for (int f = 0; f < AUDIT_FILTERS; f++)
		if (given(q, f))
			parts[k++] = filter_sql[f];
	return k;
}

struct audit_params {
	char after[24], limit[16];
	const char *v[AUDIT_PARAMS];
};

static void fill_params(struct audit_params *p, const struct store_reach *reach,
                        const struct store_audit_query *q, long long after,
                        int n)
{
	snprintf(p->after, sizeof p->after, "%lld", after);
	snprintf(p->limit, sizeof p->limit, "%d", n);
	p->v[0] = reach->everything ? NULL : reach->orgs;
	for (int f = 0; f < AUDIT_FILTERS; f++)
		p->v[1 + f] = given(q, f) ? q->f[f] : NULL;
	p->v[6] = p->after;
	p->v[7] = p->limit;
}

/* The statement of the k parts into sql and its parameters into p; false
 * after saying why. */
static bool assemble(const char *const *parts, int k, char *sql, size_t cap,
                     struct audit_params *p, const struct store_reach *reach,
                     const struct store_audit_query *q, long long after, int n,
                     struct store_error *err)
{
	if (!store_sql_join(sql, cap, parts, k)) {
		store_fail(err, "", "internal: audit statement too long");
		return false;
	}
	fill_params(p, reach, q, after, n);
	return true;
}

static void take_row(struct store_audit_row *row, const PGresult *r, int i)
{
	row->seq = strtoll(PQgetvalue(r, i, 0), NULL, 10);
	snprintf(row->at, sizeof row->at, "%s", PQgetvalue(r, i, 1));
	snprintf(row->operator_login, sizeof row->operator_login, "%s",
	         PQgetvalue(r, i, 2));
	snprintf(row->action, sizeof row->action, "%s", PQgetvalue(r, i, 3));
	snprintf(row->kind, sizeof row->kind, "%s", PQgetvalue(r, i, 4));
	snprintf(row->target, sizeof row->target, "%s", PQgetvalue(r, i, 5));
}

/* ---- the tab's pages -------------------------------------------------- */

bool store_audit_page(struct store *s, const struct store_reach *reach,
                      const struct store_audit_query *q, long long after,
                      bool newer, int n, struct store_audit_row *rows, int *got,
                      struct store_error *err)
{
	*got = 0;
	const char *parts[16] = {row_columns, from_audit};
	int k = 2 + where_parts(reach, q, parts + 2);
	if (newer)
		parts[k++] = newer_than;
	else if (after > 0)
		parts[k++] = older;
	parts[k++] = newer ? oldest_first : newest_first;
	char sql[2048];
	struct audit_params p;
	if (!assemble(parts, k, sql, sizeof sql, &p, reach, q, after, n, err))
		return false;
	PGresult *r = store_exec_typed(s, sql, AUDIT_PARAMS, audit_types, p.v,
	                               PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	int m = PQntuples(r);
	if (m > n)
		m = n;
	/* newer pages come oldest first: turned newest first here */
	for (int i = 0; i < m; i++)
		take_row(&rows[newer ? m - 1 - i : i], r, i);
	*got = m;
	PQclear(r);
	return true;
}

/* The count's statement and parameters of q. */
static bool count_stmt(const struct store_reach *reach,
                       const struct store_audit_query *q, char *sql, size_t cap,
                       struct audit_params *p, struct store_error *err)
{
	const char *parts[16] = {"SELECT count(*)", from_audit};
	int k = 2 + where_parts(reach, q, parts + 2);
	return assemble(parts, k, sql, cap, p, reach, q, 0, 0, err);
}

long store_audit_count(struct store *s, const struct store_reach *reach,
                       const struct store_audit_query *q,
                       struct store_error *err)
{
	char sql[2048];
	struct audit_params p;
	if (!count_stmt(reach, q, sql, sizeof sql, &p, err))
		return -1;
	PGresult *r = store_exec_typed(s, sql, AUDIT_PARAMS, audit_types, p.v,
	                               PGRES_TUPLES_OK, err);
	if (!r)
		return -1;
	long n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

long store_audit_count_start(struct store *s, struct store_count *c,
                             const struct store_reach *reach,
                             const struct store_audit_query *q, void *owner,
                             store_count_fn *fn, struct store_error *err)
{
	char sql[2048];
	struct audit_params p;
	if (!count_stmt(reach, q, sql, sizeof sql, &p, err))
		return -1;
	long estimate =
	    store_count_estimate(s, sql, AUDIT_PARAMS, audit_types, p.v, err);
	if (estimate >= 0 && !store_count_ask(c, owner, fn, sql, AUDIT_PARAMS,
	                                      audit_types, p.v, err))
		estimate = -1;
	return estimate;
}

/* ---- one record ------------------------------------------------------- */

bool store_audit_read(struct store *s, const struct store_reach *reach,
                      long long seq, struct store_audit_record *out,
                      struct store_error *err)
{
	*out = (struct store_audit_record){0};
	const char *parts[5] = {row_columns, ", before, after", from_audit};
	int k = 3;
	if (!reach->everything)
		parts[k++] = visible;
	parts[k++] = " AND seq = $7";
	char sql[1024];
	struct audit_params p;
	if (!assemble(parts, k, sql, sizeof sql, &p, reach, NULL, seq, 1, err))
		return false;
	PGresult *r = store_exec_typed(s, sql, AUDIT_PARAMS, audit_types, p.v,
	                               PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	bool ok = PQntuples(r) == 1;
	if (!ok) {
		store_fail(err, "", "no audit record %lld that you may read",
		           seq);
	} else {
		take_row(&out->row, r, 0);
		if (!PQgetisnull(r, 0, 6))
			out->before = strdup(PQgetvalue(r, 0, 6));
		if (!PQgetisnull(r, 0, 7))
			out->after = strdup(PQgetvalue(r, 0, 7));
		if ((!PQgetisnull(r, 0, 6) && !out->before) ||
		    (!PQgetisnull(r, 0, 7) && !out->after)) {
			store_audit_record_free(out);
			store_fail(err, "", "out of memory");
			ok = false;
		}
	}
	PQclear(r);
	return ok;
}

void store_audit_record_free(struct store_audit_record *r)
{
	free(r->before);
	free(r->after);
	*r = (struct store_audit_record){0};
}

/* ---- `accessdesk audit` ----------------------------------------------- */

long store_audit_export(struct store *s, const struct store_reach *reach,
                        const struct store_audit_query *q, store_row_fn *row,
                        void *ctx, struct store_error *err)
{
	const char *parts[16] = {
	    "SELECT seq, to_char(at, 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF'),"
	    " operator, action, target_kind, target, coalesce(before::text, "
	    "''),"
	    " coalesce(after::text, ''), coalesce(encode(prev_hash, 'hex'), "
	    "''),"
	    " encode(hash, 'hex')",
	    from_audit};
	int k = 2 + where_parts(reach, q, parts + 2);
	parts[k++] = " ORDER BY seq";
	char sql[2048];
	struct audit_params p;
	if (!assemble(parts, k, sql, sizeof sql, &p, reach, q, 0, 0, err))
		return -1;
	return store_stream(s, sql, AUDIT_PARAMS, audit_types, p.v,
	                    STORE_AUDIT_COLUMNS, row, ctx, err);
}

/* ---- `accessdesk audit verify` ---------------------------------------- */

/* A record of the walk: what verify reads of it. */
struct link {
	long long seq, id;
	bool sound; /* its content gives its hash */
	bool first; /* no record before it (prev_hash NULL) */
	char prev[65], hash[65];
	char said[256]; /* "02/12/2026 10:00:00, admin1: update user kal738" */
};

struct walk {
	struct store_chain_check *out;
	struct link last; /* the last record accepted */
	struct link held; /* read, not yet judged (it needs the next) */
	bool have_last, have_held;
	long long head_seq;
	char head_hash[65];
};

static void take_link(struct link *l, const char *const *f)
{
	l->seq = strtoll(f[0], NULL, 10);
	l->id = strtoll(f[1], NULL, 10);
	l->sound = f[2] && strcmp(f[2], "t") == 0;
	l->first = f[3] == NULL;
	snprintf(l->prev, sizeof l->prev, "%s", f[3] ? f[3] : "");
	snprintf(l->hash, sizeof l->hash, "%s", f[4] ? f[4] : "");
	snprintf(l->said, sizeof l->said, "%s, %s: %s %s %s", f[5], f[6], f[7],
	         f[8], f[9]);
}

/* The fault: "record N (id, when, who: what) WHY", `why` whole. */
static bool fault(struct walk *k, enum store_chain_fault f,
                  const struct link *l, long long seq, const char *why)
{
	struct store_chain_check *o = k->out;
	o->fault = f;
	o->seq = seq;
	o->id = l ? l->id : 0;
	char n[32];
	count_text(n, sizeof n, seq);
	int at = snprintf(o->what, sizeof o->what, "record %s", n);
	if (l && at > 0 && (size_t)at < sizeof o->what)
		at += snprintf(o->what + at, sizeof o->what - (size_t)at,
		               " (id %lld, %s)", l->id, l->said);
	if (at > 0 && (size_t)at < sizeof o->what)
		snprintf(o->what + at, sizeof o->what - (size_t)at, "%s", why);
	return false;
}

/* Does l follow the last record accepted? */
static bool follows(const struct walk *k, const struct link *l)
{
	return k->have_last ? !l->first && strcmp(l->prev, k->last.hash) == 0
	                    : l->first;
}

/* Judges the held record, `next` being the one after it (NULL at the
 * end); false when it is the first fault. */
static bool judge(struct walk *k, const struct link *next)
{
	struct link *r = &k->held;
	long long want = k->have_last ? k->last.seq + 1 : 1;
	char prev[32];
	count_text(prev, sizeof prev, k->have_last ? k->last.seq : 0);
	char why[160];
	if (r->seq > k->head_seq) {
		char head[32];
		count_text(head, sizeof head, k->head_seq);
		snprintf(why, sizeof why,
		         " was inserted behind the console's back: the "
		         "chain's head is record %s",
		         head);
		return fault(k, CHAIN_INSERTED, r, r->seq, why);
	}
	/* the next one follows the last accepted: this one is not of the
	 * chain (two records cannot both follow one) */
	if (!r->sound)
		return fault(k, CHAIN_EDITED, r, r->seq,
		             " was edited behind the console's back: its "
		             "content no longer gives its hash");
	/* the next one follows the last accepted: this one is not of the
	 * chain (two records cannot both follow one) */
	if (next && follows(k, next))
		return fault(k, CHAIN_INSERTED, r, r->seq,
		             " was inserted behind the console's back: the "
		             "record after it follows the one before it");
	if (!follows(k, r) && k->have_last && r->seq == want) {
		/* nothing missing by number: the one before was changed and
		 * its hash made again */
		k->out->checked--;
		return fault(k, CHAIN_EDITED, &k->last, k->last.seq,
		             " was edited behind the console's back and hashed "
		             "again: the record after it no longer follows it");
	}
	if (!follows(k, r)) {
		if (k->have_last)
			snprintf(why, sizeof why,
			         " was removed behind the console's back: "
			         "record %s is not followed by the record "
			         "that followed it",
			         prev);
		else
			snprintf(why, sizeof why,
			         " was removed behind the console's back: the "
			         "first record left follows one that is gone");
		return fault(k, CHAIN_REMOVED, NULL, want, why);
	}
	if (r->seq != want)
		return fault(k, CHAIN_INSERTED, r, r->seq,
		             " was inserted behind the console's back: it is "
		             "out of its place in the chain");
	k->last = *r;
	k->have_last = true;
	k->out->checked++;
	return true;
}

static bool walk_row(void *ctx, const char *const *f)
{
	struct walk *k = ctx;
	struct link next;
	take_link(&next, f);
	if (k->have_held && !judge(k, &next))
		return false;
	k->held = next;
	k->have_held = true;
	return true;
}

static const char verify_sql[] =
    "SELECT seq, id, hash = audit_hash(a), encode(prev_hash, 'hex'),"
    " encode(hash, 'hex'), to_char(at, 'DD/MM/YYYY HH24:MI:SS'), operator,"
    " action, target_kind, target FROM audit a ORDER BY seq";

bool store_audit_verify(struct store *s, struct store_chain_check *out,
                        struct store_error *err)
{
	*out = (struct store_chain_check){0};
	struct walk k = {.out = out};
	/* one snapshot for the head and the walk */
	if (!store_begin_snapshot(s, err))
		return false;
	PGresult *h = store_exec_rows(
	    s, "the chain's head",
	    "SELECT seq, coalesce(encode(hash, 'hex'), '') FROM audit_head", 0,
	    NULL, 0, err);
	bool ok = h != NULL;
	if (ok && PQntuples(h) != 1) {
		PQclear(h);
		store_rollback(s);
		out->fault = CHAIN_REMOVED;
		snprintf(out->what, sizeof out->what,
		         "the chain's head (the one row of audit_head) was "
		         "removed behind the console's back");
		return true;
	}
	if (ok) {
		k.head_seq = strtoll(PQgetvalue(h, 0, 0), NULL, 10);
		snprintf(k.head_hash, sizeof k.head_hash, "%s",
		         PQgetvalue(h, 0, 1));
	}
	PQclear(h);
	long rows = ok ? store_stream(s, verify_sql, 0, NULL, NULL, 10,
	                              walk_row, &k, err)
	               : -1;
	store_rollback(s);
	if (out->fault != CHAIN_SOUND) {
		err->message[0] = '\0';
		return true;
	}
	if (rows < 0)
		return false;
	if (k.have_held && !judge(&k, NULL))
		return true;
	char n[32], why[160];
	count_text(n, sizeof n, k.head_seq);
	snprintf(why, sizeof why,
	         " was removed behind the console's back: the chain's head "
	         "is record %s",
	         n);
	if (k.head_seq > (k.have_last ? k.last.seq : 0))
		fault(&k, CHAIN_REMOVED, NULL,
		      (k.have_last ? k.last.seq : 0) + 1, why);
	else if (k.have_last && strcmp(k.last.hash, k.head_hash) != 0) {
		out->checked--;
		fault(&k, CHAIN_EDITED, &k.last, k.last.seq,
		      " is not the record the chain's head names: it was "
		      "edited behind the console's back");
	} else if (!k.have_last && k.head_hash[0]) {
		out->fault = CHAIN_REMOVED;
		snprintf(out->what, sizeof out->what,
		         "the trail is empty but its head names a record: "
		         "every record was removed behind the console's back");
	} else
		snprintf(out->head, sizeof out->head, "%s", k.head_hash);
	return true;
}
