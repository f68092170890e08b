/* test_who.c: Who has access? against a real PostgreSQL server (TAP;
 * screens.md "2 Organisations", access-model.md sections 3 and 5):
 * store_who_has_access, store_org_administrators and `accessdesk
 * who-has-access`.
 *
 * Runs against the server of the PG* environment. A template database
 * ad_who_t_PID is migrated once; each database of the test is a copy of
 * it, loaded with cli_db_load, and all are dropped at the end:
 *   (a) the seed's sentence on $POLICY_DIR/good/cqrs-seed.conf: a user
 *       assigned to a cluster "may only access organisations listed in
 *       the cluster(s) along with the organisations descendants";
 *       the administrators; refusals; an unknown organisation;
 *   (b) random worlds (seeded: WHO_SEED, else the time; the seed is
 *       printed), each written as a policy file: for every organisation
 *       and every organisation action and "any", the users listed are
 *       exactly those engine_check_org allows on the whole world
 *       (STORE_LOAD_ALL), for an operator who sees everyone and for a
 *       narrow one (who sees some, the rest counted);
 *   (c) the command line, in this process (cli_who, its output caught):
 *       the text and CSV forms, the exit statuses.
 * Skips (1..0) when no PostgreSQL is configured and none answers.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "accessdesk/cli.h"
#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

static const char *tmpl; /* the migrated template */
static char tmpdir[64];

/* ---- a session: the console's world for one operator ------------------- */

struct session {
	struct engine_world *w;
	struct store_ids ids;
	int op;
};

static bool open_session(struct store *s, const char *login, struct session *ss)
{
	struct store_error err = {0};
	ss->w = store_load_world(s, STORE_LOAD_BASE, &ss->ids, &err);
	if (!ss->w || !store_load_users(s, ss->w, &ss->ids, &login, 1, &err)) {
		diag("session for %s: %s", login, err.message);
		return false;
	}
	ss->op = engine_user_find(ss->w, login);
	return ss->op >= 0;
}

static void close_session(struct session *ss)
{
	engine_world_free(ss->w);
	store_ids_free(&ss->ids);
	*ss = (struct session){0};
}

/* The rows of one call as text, "login@grant_org" a row, space between,
 * for messages and comparisons. */
static const char *rows_text(const struct store_access *a)
{
	static char buf[4096];
	size_t at = 0;
	buf[0] = '\0';
	for (int i = 0; i < a->n && at < sizeof buf; i++)
		at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s@%s",
		                       i ? " " : "", a->rows[i].login,
		                       a->rows[i].grant_org);
	return buf;
}

/* The row of login at grant_org, or NULL. */
static const struct store_access_row *row_of(const struct store_access *a,
                                             const char *login, const char *org)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].login, login) == 0 &&
		    strcmp(a->rows[i].grant_org, org) == 0)
			return &a->rows[i];
	return NULL;
}

static bool listed(const struct store_access *a, const char *login)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->rows[i].login, login) == 0)
			return true;
	return false;
}

/* Does the row say these (NULL: not checked)? */
static bool row_says(const struct store_access_row *r, const char *roles,
                     const char *payments, const char *cluster,
                     const char *member, const char *from)
{
	if (!r)
		return false;
	const char *want[] = {roles, payments, cluster, member, from};
	const char *got[] = {r->roles, r->payments, r->cluster, r->member,
	                     r->from};
	for (int i = 0; i < 5; i++)
		if (want[i] && strcmp(want[i], got[i]) != 0) {
			diag("row %s@%s: \"%s\", expected \"%s\"", r->login,
			     r->grant_org, got[i], want[i]);
			return false;
		}
	return true;
}

/* ---- (a) the seed ------------------------------------------------------ */

static bool who(struct store *s, struct session *ss, const char *org,
                int action, struct store_access *a, struct store_error *err)
{
	*err = (struct store_error){0};
	return store_who_has_access(s, ss->w, &ss->ids, ss->op, org, action, a,
	                            err);
}

static void test_seed_cluster(struct store *s)
{
	struct session ss;
	if (!ok(open_session(s, "mch112", &ss), "seed: a session for mch112"))
		return;
	struct store_error err;
	struct store_access a;
	/* G00001 is below man04, the member of 873CF39E1C */
	bool got = who(s, &ss, "G00001", -1, &a, &err);
	ok(got && row_says(row_of(&a, "kal738", "lat04"), "View", "QOF, DES",
	                   "873CF39E1C", "man04",
	                   "cluster 873CF39E1C, member man04"),
	   "seed: a descendant of a member (G00001 under man04) lists kal738, "
	   "citing the cluster and the member: %s",
	   got ? rows_text(&a) : err.message);
	ok(got && a.hidden == 0 && !listed(&a, "tdi901"),
	   "seed: a disabled System Administrator at the root is not listed; "
	   "nothing hidden from mch112 (%d)",
	   a.hidden);
	ok(got &&
	       row_says(row_of(&a, "mch112", "G00001"), "View", "", "", "",
	                "grant here") &&
	       row_says(row_of(&a, "mch112", "nhs"), "System Administrator",
	                "QOF, GPES, DES, CC, VAC", "", "",
	                "grant at ancestor nhs") &&
	       row_says(row_of(&a, "gba204", "cgc04"), "View", "QOF", "", "",
	                "grant at ancestor cgc04") &&
	       !row_of(&a, "gba204", "man04"),
	   "seed: grants here and at ancestors; gba204's User Administrator "
	   "at man04 acts at man04 only");
	/* the order: name, login, then grant stored order */
	static const char order[] =
	    "kal738@lat04 gba204@cgc04 gba204@lat04 mch112@G00001 "
	    "mch112@cgc04 mch112@lat04 mch112@nhs pno100@cgc04";
	ok(got && strcmp(rows_text(&a), order) == 0 && a.users == 4,
	   "seed: rows by name, login, then grant order (%s), 4 users (%d)",
	   got ? rows_text(&a) : "", a.users);
	store_access_free(&a);

	got = who(s, &ss, "lat04", -1, &a, &err);
	ok(got && !listed(&a, "kal738") && listed(&a, "gba204"),
	   "seed: the grant's own organisation (lat04) does not list kal738: "
	   "%s",
	   got ? rows_text(&a) : err.message);
	store_access_free(&a);
	got = who(s, &ss, "man04", -1, &a, &err);
	ok(got && row_says(row_of(&a, "kal738", "lat04"), "View", NULL,
	                   "873CF39E1C", "man04", NULL),
	   "seed: the member itself (man04) lists kal738: %s",
	   got ? rows_text(&a) : err.message);
	store_access_free(&a);
	got = who(s, &ss, "B01BBB", -1, &a, &err);
	ok(got && !listed(&a, "kal738"),
	   "seed: an organisation of a cluster not ticked (B01BBB) does not "
	   "list kal738");
	store_access_free(&a);

	/* narrowed by action: users.manage at A01AAA */
	got = who(s, &ss, "A01AAA", ACT_USERS_MANAGE, &a, &err);
	ok(got && !listed(&a, "kal738") &&
	       row_says(row_of(&a, "gba204", "lat04"),
	                "Advanced User Administrator", "", "", "",
	                "grant at ancestor lat04") &&
	       row_says(row_of(&a, "mch112", "nhs"), "System Administrator",
	                NULL, NULL, NULL, NULL) &&
	       !row_of(&a, "mch112", "A01AAA"),
	   "seed: users.manage at A01AAA: not kal738 (a User Administrator "
	   "under clusters acts nowhere), roles with the action only: %s",
	   got ? rows_text(&a) : err.message);
	store_access_free(&a);

	/* the administrators of man04 */
	err = (struct store_error){0};
	got = store_org_administrators(s, ss.w, &ss.ids, ss.op, "man04", &a,
	                               &err);
	ok(got && strcmp(rows_text(&a), "gba204@lat04 gba204@man04") == 0 &&
	       row_says(&a.rows[0], "Advanced User Administrator", NULL, NULL,
	                NULL, "grant at ancestor lat04") &&
	       row_says(&a.rows[1], "User Administrator", NULL, NULL, NULL,
	                "grant here"),
	   "seed: man04's administrators: gba204's Advanced User "
	   "Administrator above it and User Administrator there, not the "
	   "System Administrator: %s",
	   got ? rows_text(&a) : err.message);
	store_access_free(&a);

	got = who(s, &ss, "nosuch", -1, &a, &err);
	ok(!got && err.sqlstate[0] == '\0' && strstr(err.message, "nosuch"),
	   "seed: an unknown organisation: SQLSTATE \"\" and a message (%s)",
	   err.message);
	got = who(s, &ss, "nhs", ACT_STUDY_VIEW, &a, &err);
	ok(!got && err.sqlstate[0] == '\0',
	   "seed: a study action is refused as an error (%s)", err.message);
	close_session(&ss);

	/* pno100: View at cgc04 */
	if (!ok(open_session(s, "pno100", &ss), "seed: a session for pno100"))
		return;
	got = who(s, &ss, "G00001", -1, &a, &err);
	ok(got && !listed(&a, "kal738") && a.hidden == 1 &&
	       listed(&a, "gba204") && listed(&a, "mch112") &&
	       listed(&a, "pno100") && a.users == 3,
	   "seed: pno100 at G00001 sees those with a grant in cgc04's "
	   "subtree; kal738 counted (%d hidden): %s",
	   a.hidden, got ? rows_text(&a) : err.message);
	store_access_free(&a);
	got = who(s, &ss, "lat04", -1, &a, &err);
	ok(!got && strcmp(err.sqlstate, STORE_REFUSED) == 0 &&
	       strstr(err.message, "users.view") &&
	       strstr(err.message, "grant cgc04"),
	   "seed: pno100 lacks users.view at lat04: refused with the "
	   "engine's explanation (%s)",
	   err.message);
	err = (struct store_error){0};
	got = store_org_administrators(s, ss.w, &ss.ids, ss.op, "lat04", &a,
	                               &err);
	ok(got && a.n == 0 && a.hidden == 1,
	   "seed: lat04's administrators for pno100: no refusal, no rows, 1 "
	   "counted (%d, %d)",
	   a.n, a.hidden);
	store_access_free(&a);
	close_session(&ss);
}

/* ---- (b) random worlds ------------------------------------------------- */

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

#define MAX_ORGS      80
#define MAX_CLUST     10
#define N_ORG_ACTIONS ACT_STUDY_VIEW

struct gen {
	int n_orgs, parent[MAX_ORGS];
	int n_clusters, owner[MAX_CLUST], n_members[MAX_CLUST],
	    members[MAX_CLUST][3];
};

static bool is_strict_descendant(const struct gen *g, int x, int of)
{
	for (int p = g->parent[x]; p >= 0; p = g->parent[p])
		if (p == of)
			return true;
	return false;
}

static const char *const last_names[] = {"Smith",  "Jones", "Brown",
                                         "Taylor", "Ng",    "Van Dyke"};
static const char *const first_names[] = {"Ann", "Bob", "Cy", "Di"};
static const char *const payments[] = {"QOF", "GPES", "DES",
                                       "CC",  "VAC",  "LES"};
static const char *const builtin_org_roles[] = {"System Administrator",
                                                "Advanced User Administrator",
                                                "User Administrator", "View"};
#define N_CUSTOM 3

/* One grant of a user at org, written into f: 1-2 roles, payment types,
 * and, where org owns clusters, sometimes 1-2 of them. */
static void write_grant(FILE *f, const struct gen *g, int org)
{
	fprintf(f, "      { org = \"w%02d\"; roles = [ ", org);
	int n_roles = 4 + N_CUSTOM, r1 = (int)rnd((unsigned)n_roles);
	int r2 = rnd(2) ? (int)rnd((unsigned)n_roles) : r1;
	for (int i = 0; i < (r2 == r1 ? 1 : 2); i++) {
		int r = i ? r2 : r1;
		if (r < 4)
			fprintf(f, "%s\"%s\"", i ? ", " : "",
			        builtin_org_roles[r]);
		else
			fprintf(f, "%s\"Custom %d\"", i ? ", " : "", r - 4);
	}
	fprintf(f, " ]; payment_types = [ ");
	for (int p = 0, k = 0; p < 6; p++)
		if (rnd(3) == 0)
			fprintf(f, "%s\"%s\"", k++ ? ", " : "", payments[p]);
	fprintf(f, " ];");
	int owned[MAX_CLUST], n_owned = 0;
	for (int c = 0; c < g->n_clusters; c++)
		if (g->owner[c] == org)
			owned[n_owned++] = c;
	if (n_owned && rnd(3) != 0) {
		int a = owned[rnd((unsigned)n_owned)],
		    b = owned[rnd((unsigned)n_owned)];
		fprintf(f, " clusters = [ \"C0FFEE%04X\"", a);
		if (b != a)
			fprintf(f, ", \"C0FFEE%04X\"", b);
		fprintf(f, " ];");
	}
	fprintf(f, " }");
}

/* A user with 0-3 grants (n_grants -1: random) at distinct random
 * organisations, or at the given ones. */
static void write_user(FILE *f, const struct gen *g, const char *login,
                       bool enabled, const int *orgs, int n_grants)
{
	int mine[3];
	if (!orgs) {
		n_grants = (int)rnd(4);
		for (int i = 0; i < n_grants; i++) {
			mine[i] = (int)rnd((unsigned)g->n_orgs);
			for (int k = 0; k < i; k++)
				if (mine[k] == mine[i])
					mine[i--] = -1, n_grants--;
		}
		orgs = mine;
	}
	fprintf(f,
	        "  { login = \"%s\"; first_name = \"%s\"; last_name = \"%s\";"
	        " email = \"%s@example.nhs.uk\"; work_phone = \"0100\";"
	        " enabled = %s;\n    access = (\n",
	        login, first_names[rnd(4)], last_names[rnd(6)], login,
	        enabled ? "true" : "false");
	for (int i = 0; i < n_grants; i++) {
		if (i)
			fprintf(f, ",\n");
		write_grant(f, g, orgs[i]);
	}
	fprintf(f, "\n    ); }");
}

/* A random world as a policy file: a forest of 40-80 organisations,
 * custom roles, clusters whose members are strict descendants of their
 * owner, 30-60 users; "opall", a System Administrator on every root (no
 * cluster); "opnarrow", View at one organisation and a custom role at
 * another, neither a root. */
static bool write_world(const char *path, struct gen *g)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	g->n_orgs = 40 + (int)rnd(41);
	int roots = 1 + (int)rnd(3);
	fprintf(f, "organisations = (\n");
	for (int i = 0; i < g->n_orgs; i++) {
		g->parent[i] = i < roots ? -1 : (int)rnd((unsigned)i);
		fprintf(f, "  { code = \"w%02d\"; name = \"Org %d\";", i, i);
		if (g->parent[i] >= 0)
			fprintf(f, " parent = \"w%02d\";", g->parent[i]);
		fprintf(f, " }%s\n", i + 1 < g->n_orgs ? "," : "");
	}
	fprintf(f, ");\nroles = (\n");
	for (int r = 0; r < N_CUSTOM; r++) {
		fprintf(f,
		        "  { name = \"Custom %d\"; domain = \"organisation\"; "
		        "reach = \"%s\"; actions = [ ",
		        r, rnd(2) ? "subtree" : "organisation");
		int k = 0;
		for (int a = 0; a < N_ORG_ACTIONS; a++)
			if (rnd(3) == 0 || (a == N_ORG_ACTIONS - 1 && !k))
				fprintf(f, "%s\"%s\"", k++ ? ", " : "",
				        engine_action_name(a));
		fprintf(f, " ]; }%s\n", r + 1 < N_CUSTOM ? "," : "");
	}
	fprintf(f, ");\nclusters = (\n");
	g->n_clusters = 0;
	for (int tries = 0; tries < 40 && g->n_clusters < 3 + (int)rnd(8);
	     tries++) {
		int owner = (int)rnd((unsigned)g->n_orgs);
		int c = g->n_clusters, want = (int)rnd(4); /* 0: no member */
		g->n_members[c] = 0;
		for (int t = 0; t < 30 && g->n_members[c] < want; t++) {
			int m = (int)rnd((unsigned)g->n_orgs), dup = 0;
			for (int k = 0; k < g->n_members[c]; k++)
				dup |= g->members[c][k] == m;
			if (!dup && is_strict_descendant(g, m, owner))
				g->members[c][g->n_members[c]++] = m;
		}
		if (want && !g->n_members[c])
			continue; /* a leaf: no member to have */
		g->owner[c] = owner;
		fprintf(
		    f,
		    "%s  { short_name = \"C0FFEE%04X\"; name = \"Cluster %d\"; "
		    "owner = \"w%02d\"; members = [ ",
		    c ? ",\n" : "", c, c, owner);
		for (int k = 0; k < g->n_members[c]; k++)
			fprintf(f, "%s\"w%02d\"", k ? ", " : "",
			        g->members[c][k]);
		fprintf(f, " ]; }");
		g->n_clusters++;
	}
	fprintf(f, "\n);\nusers = (\n");
	int n_users = 30 + (int)rnd(31);
	for (int u = 0; u < n_users; u++) {
		char login[16];
		snprintf(login, sizeof login, "u%03d", u);
		write_user(f, g, login, rnd(7) != 0, NULL, -1);
		fprintf(f, ",\n");
	}
	int all[MAX_ORGS], n_roots = 0;
	for (int i = 0; i < g->n_orgs; i++)
		if (g->parent[i] < 0)
			all[n_roots++] = i;
	fprintf(f, "  { login = \"opall\"; first_name = \"Op\"; last_name = "
	           "\"All\"; email = \"opall@example.nhs.uk\"; work_phone = "
	           "\"0100\";\n    access = (\n");
	for (int i = 0; i < n_roots; i++)
		fprintf(f,
		        "%s      { org = \"w%02d\"; roles = [ \"System "
		        "Administrator\" ]; }",
		        i ? ",\n" : "", all[i]);
	/* never at a root, so that some organisations refuse opnarrow */
	int a = roots + (int)rnd((unsigned)(g->n_orgs - roots)),
	    b = roots + (int)rnd((unsigned)(g->n_orgs - roots));
	if (g->parent[g->parent[a]] >= 0)
		a = g->parent[a]; /* one with a subtree, when there is one */
	fprintf(f,
	        "\n    ); },\n  { login = \"opnarrow\"; first_name = \"Op\"; "
	        "last_name = \"Narrow\"; email = \"opn@example.nhs.uk\"; "
	        "work_phone = \"0100\";\n    access = (\n"
	        "      { org = \"w%02d\"; roles = [ \"View\" ]; }",
	        a);
	if (b != a)
		fprintf(f,
		        ",\n      { org = \"w%02d\"; roles = [ \"Custom 0\" "
		        "]; }",
		        b);
	fprintf(f, "\n    ); }\n);\n");
	return fclose(f) == 0;
}

/* A sorted set of logins. */
struct set {
	const char *v[128];
	int n;
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void set_add(struct set *s, const char *x)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return;
	if (s->n < 128)
		s->v[s->n++] = x;
}

static void set_sort(struct set *s)
{
	qsort(s->v, (size_t)s->n, sizeof s->v[0], str_cmp);
}

static bool set_eq(const struct set *a, const struct set *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static const char *set_text(const struct set *s, char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = '\0';
	for (int i = 0; i < s->n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "",
		                       s->v[i]);
	return buf;
}

/* {v : engine_check_org allows action (-1: some organisation action) at
 * org} on the whole world. */
static void expected(const struct engine_world *all, int org, int action,
                     struct set *out)
{
	out->n = 0;
	for (int v = 0; v < engine_n_users(all); v++) {
		bool allow = false;
		for (int a = action < 0 ? 0 : action;
		     a < (action < 0 ? N_ORG_ACTIONS : action + 1) && !allow;
		     a++)
			if (engine_check_org(all, v, a, org, -1, NULL,
			                     &allow) != ENGINE_OK)
				return;
		if (allow)
			set_add(out, engine_user(all, v)->login);
	}
	set_sort(out);
}

/* Are the rows in the list's order: name (last, first), login? */
static bool in_order(const struct engine_world *all,
                     const struct store_access *a)
{
	for (int i = 1; i < a->n; i++) {
		const struct engine_user *p = engine_user(
		    all, engine_user_find(all, a->rows[i - 1].login));
		const struct engine_user *q =
		    engine_user(all, engine_user_find(all, a->rows[i].login));
		int c = strcmp(p->last_name, q->last_name);
		if (!c)
			c = strcmp(p->first_name, q->first_name);
		if (!c)
			c = strcmp(p->login, q->login);
		if (c > 0)
			return false;
	}
	return true;
}

struct tally {
	int calls, mismatches, hidden, order, refused, admins, counted;
	char first[1024];
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
miss(struct tally *t, const char *fmt, ...)
{
	if (!t->first[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(t->first, sizeof t->first, fmt, ap);
		va_end(ap);
	}
}

/* The elements of a ", "-joined list of roles that are the built-in
 * User Administrator or Advanced User Administrator, joined the same way
 * (custom roles are "Custom N"). */
static void admin_roles(const char *roles, char *buf, size_t len)
{
	char copy[STORE_LIST_TEXT];
	snprintf(copy, sizeof copy, "%s", roles);
	size_t at = 0;
	buf[0] = '\0';
	for (char *r = copy, *next; r; r = next) {
		next = strstr(r, ", ");
		if (next) {
			*next = '\0';
			next += 2;
		}
		if (strcmp(r, "User Administrator") == 0 ||
		    strcmp(r, "Advanced User Administrator") == 0)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
			                       at ? ", " : "", r);
	}
}

/* The administrators of code are the users.manage rows `manage` that
 * name a built-in administrator role, with those roles alone; counted
 * users at most those of `manage`. */
static void check_admins(struct store *s, struct session *ss, const char *code,
                         const struct store_access *manage, struct tally *t)
{
	struct store_access adm;
	struct store_error err = {0};
	if (!store_org_administrators(s, ss->w, &ss->ids, ss->op, code, &adm,
	                              &err)) {
		t->admins++;
		miss(t, "administrators of %s: %s", code, err.message);
		return;
	}
	int k = 0;
	bool same = true;
	for (int i = 0; i < manage->n; i++) {
		const struct store_access_row *r = &manage->rows[i];
		char want[STORE_LIST_TEXT];
		admin_roles(r->roles, want, sizeof want);
		/* a user's grants not shown are one row, naming nothing: an
		 * administrator's there when one of them holds either role */
		bool not_shown = !r->grant_org[0];
		if (not_shown ? !r->admin : !want[0])
			continue;
		same = same && k < adm.n &&
		       strcmp(adm.rows[k].login, r->login) == 0 &&
		       strcmp(adm.rows[k].grant_org, r->grant_org) == 0 &&
		       strcmp(adm.rows[k].roles, not_shown ? "" : want) == 0 &&
		       (adm.rows[k].admin & r->admin) == adm.rows[k].admin;
		k++;
	}
	if (!same || k != adm.n || adm.hidden > manage->hidden) {
		t->admins++;
		miss(t, "administrators of %s: {%s}", code, rows_text(&adm));
	}
	store_access_free(&adm);
}

/* Every organisation, every action and "any", for operator op_login:
 * listed == expected among those op sees; the rest counted. */
static void check_world(struct store *s, const struct engine_world *all,
                        const char *op_login, bool all_seen, struct tally *t)
{
	int op_all = engine_user_find(all, op_login);
	for (int org = 0; org < engine_n_orgs(all); org++) {
		struct session ss;
		if (!open_session(s, op_login, &ss)) {
			t->mismatches++;
			miss(t, "no session for %s", op_login);
			return;
		}
		const char *code = engine_org(all, org)->code;
		bool may = engine_org_allows(all, op_all, ACT_USERS_VIEW, org,
		                             -1, NULL);
		for (int action = -1; action < N_ORG_ACTIONS; action++) {
			struct store_access a;
			struct store_error err;
			bool got = who(s, &ss, code, action, &a, &err);
			t->calls++;
			if (!may) {
				if (got || strcmp(err.sqlstate, STORE_REFUSED))
					miss(t, "%s at %s: not refused",
					     op_login, code);
				t->refused += !got;
				t->mismatches += got;
				store_access_free(&a);
				continue;
			}
			if (!got) {
				t->mismatches++;
				miss(t, "%s at %s: %s", op_login, code,
				     err.message);
				continue;
			}
			struct set want, seen, listed_set = {.n = 0};
			expected(all, org, action, &want);
			seen.n = 0;
			for (int i = 0; i < want.n; i++)
				if (engine_may_see_user(
				        all, op_all,
				        engine_user_find(all, want.v[i]), NULL))
					seen.v[seen.n++] = want.v[i];
			for (int i = 0; i < a.n; i++)
				set_add(&listed_set, a.rows[i].login);
			set_sort(&listed_set);
			if (!set_eq(&listed_set, &seen) ||
			    a.users != listed_set.n) {
				char w1[1024], w2[1024];
				t->mismatches++;
				miss(t,
				     "%s at %s, %s: listed {%s}, expected {%s}",
				     op_login, code,
				     action < 0 ? "any"
				                : engine_action_name(action),
				     set_text(&listed_set, w1, sizeof w1),
				     set_text(&seen, w2, sizeof w2));
			}
			t->counted += a.hidden;
			if (a.users + a.hidden != want.n ||
			    (all_seen && a.hidden)) {
				t->hidden++;
				miss(t,
				     "%s at %s: %d listed + %d hidden, %d have "
				     "access",
				     op_login, code, a.users, a.hidden, want.n);
			}
			if (!in_order(all, &a)) {
				t->order++;
				miss(t, "%s at %s: rows out of order: %s",
				     op_login, code, rows_text(&a));
			}
			if (action == ACT_USERS_MANAGE)
				check_admins(s, &ss, code, &a, t);
			store_access_free(&a);
		}
		close_session(&ss);
	}
}

static void test_random_worlds(void)
{
	const char *env = getenv("WHO_SEED");
	unsigned long long seed =
	    env ? strtoull(env, NULL, 10) : (unsigned long long)time(NULL);
	rng = seed * 2654435761ull + 1;
	diag("random worlds: seed %llu (WHO_SEED=%llu to repeat)", seed, seed);
	int worlds = 6;
	for (int k = 0; k <= worlds; k++) {
		bool narrow = k == worlds;
		char path[128], prefix[16];
		struct gen g = {0};
		snprintf(path, sizeof path, "%s/world%d.conf", tmpdir, k);
		snprintf(prefix, sizeof prefix, "ad_who_w%d", k);
		if (!ok(write_world(path, &g), "world %d: written", k))
			continue;
		const struct pg_test_db *db = pg_test_create(prefix, tmpl);
		struct store *s = pg_test_connect(db->conninfo);
		if (!ok(cli_db_load(s, path) == 0,
		        "world %d: loaded (%d organisations, %d clusters)", k,
		        g.n_orgs, g.n_clusters)) {
			store_disconnect(s);
			continue;
		}
		struct store_error err = {0};
		struct store_ids ids;
		struct engine_world *all =
		    store_load_world(s, STORE_LOAD_ALL, &ids, &err);
		if (!all) {
			ok(false, "world %d: loaded whole: %s", k, err.message);
			store_disconnect(s);
			continue;
		}
		struct tally t = {0};
		const char *op = narrow ? "opnarrow" : "opall";
		check_world(s, all, op, !narrow, &t);
		ok(t.mismatches == 0,
		   "world %d (%s): %d calls, the users listed are exactly "
		   "those "
		   "the engine allows%s%s",
		   k, op, t.calls, narrow ? " and the operator sees" : "",
		   t.first[0] ? ": " : "");
		if (t.first[0])
			diag("%s", t.first);
		if (narrow)
			ok(t.hidden == 0 && t.refused > 0,
			   "world %d (%s): listed + hidden = all who have "
			   "access (%d wrong, %d counted); refused where "
			   "opnarrow lacks users.view (%d)",
			   k, op, t.hidden, t.counted, t.refused);
		else
			ok(t.hidden == 0,
			   "world %d (%s): nothing hidden (%d wrong)", k, op,
			   t.hidden);
		ok(t.order == 0, "world %d (%s): rows by name, then login", k,
		   op);
		ok(t.admins == 0,
		   "world %d (%s): the administrators are the users.manage "
		   "rows of the built-in User Administrator and Advanced User "
		   "Administrator",
		   k, op);
		engine_world_free(all);
		store_ids_free(&ids);
		store_disconnect(s);
		unlink(path);
	}
}

/* ---- (c) the command line ---------------------------------------------- */

/* What the last run_who wrote on standard output and error. */
static char out[16384], errs[4096];

/* Runs cli_who as `operator` with its standard output and error caught in
 * out and errs; returns its exit status. */
static int run_who(const char *operator_login, int argc, ...)
{
	char *argv[8];
	va_list ap;
	va_start(ap, argc);
	for (int i = 0; i < argc && i < 8; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	char po[128], pe[128];
	snprintf(po, sizeof po, "%s/out", tmpdir);
	snprintf(pe, sizeof pe, "%s/err", tmpdir);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	int fo = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int fe = open(pe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fo, 1);
	dup2(fe, 2);
	close(fo);
	close(fe);
	cli_opts.operator_login = operator_login;
	int status = cli_who(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	const char *paths[] = {po, pe};
	char *bufs[] = {out, errs};
	size_t lens[] = {sizeof out, sizeof errs};
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(paths[i], "r");
		size_t n = f ? fread(bufs[i], 1, lens[i] - 1, f) : 0;
		bufs[i][n] = '\0';
		if (f)
			fclose(f);
	}
	return status;
}

/* Is there a line of out starting with `start` and holding a and b? */
static bool line_has(const char *start, const char *a, const char *b)
{
	for (const char *l = out; l && *l;) {
		const char *end = strchr(l, '\n');
		size_t n = end ? (size_t)(end - l) : strlen(l);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)n, l);
		if (strncmp(line, start, strlen(start)) == 0 &&
		    strstr(line, a) && strstr(line, b))
			return true;
		l = end ? end + 1 : NULL;
	}
	return false;
}

/* One command line case: what it wrote, on failure. */
static void cli_ok(bool cond, int status, const char *name)
{
	if (!ok(cond, "cli: %s (exit %d)", name, status)) {
		diag("stdout: %s", out);
		diag("stderr: %s", errs);
	}
}

static void test_cli(const char *conninfo)
{
	char conf[128];
	snprintf(conf, sizeof conf, "%s/who.conf", tmpdir);
	FILE *f = fopen(conf, "w");
	if (!f)
		bail("cannot write the configuration", conf);
	fprintf(f,
	        "database = { conninfo = \"%s\"; };\noperator = { source = "
	        "\"flag\"; };\n",
	        conninfo);
	fclose(f);
	cli_opts.config_path = conf;
	int st = run_who("mch112", 2, "--org", "G00001");
	cli_ok(st == 0 && strstr(out, "User ID") == out &&
	           strstr(out, "Access From") &&
	           line_has("kal738 ", "Alloway, Kenneth",
	                    "cluster 873CF39E1C, member man04") &&
	           strstr(out, "\n4 users have access to G00001\n"),
	       st, "text: a header, a line a row, the count");
	st = run_who("pno100", 1, "--org=g00001");
	cli_ok(st == 0 && strstr(out, "\n3 users have access to G00001; 1 "
	                              "more not shown\n"),
	       st, "the code in any case; users not seen are counted");
	st = run_who("mch112", 5, "--org", "A01AAA", "--action", "users.manage",
	             "--csv");
	static const char header[] = "User ID,Name,Organisation ID,Roles,"
	                             "Payment Types,Cluster,Member,Access "
	                             "From\r\n";
	cli_ok(st == 0 && strncmp(out, header, strlen(header)) == 0 &&
	           strstr(out, "\r\ngba204,\"Barlow, Gemma\",lat04,Advanced "
	                       "User Administrator,,,,grant at ancestor "
	                       "lat04\r\n"),
	       st, "--csv: the header and a row, RFC 4180");
	st = run_who("mch112", 4, "--org", "nhs", "--action", "users.manage");
	cli_ok(st == 0 && strstr(out, "\n1 user has users.manage at nhs\n"), st,
	       "--action: the count names it");
	st = run_who("mch112", 2, "--org", "nosuch");
	cli_ok(st == 2 && strstr(errs, "nosuch") && !out[0], st,
	       "an unknown organisation: exit 2");
	st = run_who("mch112", 4, "--org", "nhs", "--action", "users.manag");
	cli_ok(st == 2 && strstr(errs, "unknown action"), st,
	       "an unknown action: exit 2");
	st = run_who("mch112", 4, "--org", "nhs", "--action", "study.view");
	cli_ok(st == 2 && strstr(errs, "study action"), st,
	       "a study action: exit 2");
	st = run_who("mch112", 1, "--org");
	cli_ok(st == 2 && strstr(errs, "usage:"), st,
	       "a bad argument: exit 2 with the usage");
	st = run_who("pno100", 2, "--org", "lat04");
	cli_ok(st == 1 && strstr(errs, "not allowed") &&
	           strstr(errs, "grant cgc04") && !out[0],
	       st, "refused (no users.view at lat04): exit 1, the explanation");
	cli_config_free();
	cli_opts.config_path = NULL;
}

int main(void)
{
	pg_test_start();
	snprintf(tmpdir, sizeof tmpdir, "/tmp/ad-who-XXXXXX");
	if (!mkdtemp(tmpdir))
		bail("mkdtemp", tmpdir);

	const struct pg_test_db *db = pg_test_create("ad_who_t", NULL);
	struct store *s = pg_test_connect(db->conninfo);
	pg_test_migrate(s);
	store_disconnect(s);
	tmpl = db->name;

	db = pg_test_create("ad_who_seed", tmpl);
	s = pg_test_connect(db->conninfo);
	if (!ok(pg_test_load(s, "good/cqrs-seed.conf"),
	        "db load good/cqrs-seed.conf"))
		bail("cannot load the seed", NULL);
	test_seed_cluster(s);
	store_disconnect(s);
	test_cli(db->conninfo);
	test_random_worlds();

	rmdir(tmpdir);
	return pg_test_done(n_tests, n_failed);
}
