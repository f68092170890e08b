/* test_differential.c: the engine against the naive oracle (oracle.c).
 *
 * Builds random worlds from a seed (forests with deep chains and wide fans,
 * organisations created out of tree order, clusters empty or with members at
 * any depth, custom roles of both domains and reaches, grants with and
 * without payment types and clusters, study profiles with site and study
 * restrictions, user access lists with stale entry roles, both settings
 * switches, disabled users, users with no grant) and feeds each one to both
 * the engine and the oracle. Then both are asked the same random questions:
 * organisation checks with and without a payment type, study checks and
 * study_actions(V, S) (section 3 and 4), section 5's see / manage user and
 * add / change / revoke a grant; the explained path must decide as the plain
 * path, and the explanation must cite what the oracle finds (the first
 * allowing grant, role, cluster and member; only true reasons for a
 * denial; the branch of section 4 taken). Some worlds then move
 * organisations and are asked again. Invalid questions must be errors, and
 * inputs that break section 1's invariants must be refused.
 *
 * Any disagreement is printed with the seed, the world, the question and what
 * matters of the world, and fails the run.
 *
 * Seed: argv[1], else $DIFF_SEED, else time-based; always printed. $DIFF_WORLD
 * (or argv[2]) runs one world of that seed only; $DIFF_WORLDS and
 * $DIFF_CHECKS change the number of worlds and checks per world.
 * Output: TAP.
 */
#include "oracle.h"
#include "rng.h"

#include <accessdesk/engine.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ORGS     320
#define MAX_ROLES    24
#define MAX_CLUSTERS 40
#define MAX_STUDIES  32
#define MAX_USERS    128
#define MAX_GRANTS   6 /* per user */
#define MAX_PROFILE  4
#define NO_ENTRY     (-2)
#define MAX_REPORTED 8 /* mismatches printed in full per sub-test */

/* ---- sub-tests and mismatch reports ------------------------------------ */

enum sub {
	SUB_CATALOGUE,
	SUB_BUILD,
	SUB_ORG,
	SUB_ORG_PAYMENT,
	SUB_STUDY,
	SUB_STUDY_ACTIONS,
	SUB_EXPLAINED,
	SUB_EXPLANATION,
	SUB_VALIDATION,
	SUB_SEE_MANAGE,
	SUB_ADD_GRANT,
	SUB_COUNT
};

static const char *const sub_desc[SUB_COUNT] = {
    "catalogue and built-in roles agree with the spec's tables",
    "random worlds build alike (every valid input accepted, same ids)",
    "organisation checks without payment type agree",
    "organisation checks with payment type agree",
    "study checks agree",
    "study_actions(V, S) sets agree",
    "explained path decides as the plain path",
    "explanations cite the first allowing grant, role, cluster, member",
    "invalid questions are errors, never decisions; invariants refused",
    "section 5: see user and manage user agree",
    "section 5: add, change, revoke a grant (no escalation) agree",
};

static long sub_count[SUB_COUNT];
static long sub_fail[SUB_COUNT];
static long sub_allow[SUB_COUNT]; /* how many the oracle allowed */
/* How often each branch of section 4's pseudo-code was taken, to show the
 * random worlds reach them all. */
static long study_branch[ORACLE_DENY_NO_ACTION_LEFT + 1];
static long study_recruitment_only;
static long org_allow_via_cluster;
static uint64_t master_seed;

/* ---- the generated world: our own record of what was built ------------ */

struct g_grant {
	int org;
	int roles[3];
	int n_roles;
	unsigned pays; /* bit per oracle payment */
	int clusters[3];
	int n_clusters;
	int id; /* global grant id */
};

struct g_user {
	bool enabled;
	struct g_grant grants[MAX_GRANTS]; /* stored order */
	int n_grants;
	int roles[MAX_PROFILE];
	int n_roles;
	int sites[MAX_PROFILE];
	bool recruitment_only[MAX_PROFILE];
	int n_sites;
	int studies[MAX_PROFILE];
	int n_studies;
};

struct g_cluster {
	int owner;
	int members[6];
	int n_members;
};

struct gen {
	int world;
	struct rng rng;
	struct engine_world *ew;
	struct oracle_world *ow;

	int n_orgs;
	int parent[MAX_ORGS];
	bool is_site[MAX_ORGS];
	int sites[MAX_ORGS];
	int n_sites;
	int subtree[MAX_ORGS][MAX_ORGS]; /* members of subtree(x) */
	int n_subtree[MAX_ORGS];

	int n_roles; /* built-ins included */
	int org_roles[MAX_ROLES];
	int n_org_roles;
	int study_roles[MAX_ROLES];
	int n_study_roles;

	struct g_cluster clusters[MAX_CLUSTERS];
	int n_clusters;

	int study_site[MAX_STUDIES];
	int n_studies;
	int list_size[MAX_STUDIES];
	int entry[MAX_STUDIES][MAX_USERS]; /* NO_ENTRY, -1, or a role */

	struct g_user users[MAX_USERS];
	int n_users;
	bool require_site, require_study;
};

/* oracle id -> engine id */
static int act_map[ORACLE_N_ACTIONS];
static int pay_map[ORACLE_N_PAYMENTS];

static engine_actions engine_set_of(const bool acts[ORACLE_N_ACTIONS])
{
	engine_actions s = 0;
	for (int a = 0; a < ORACLE_N_ACTIONS; a++)
		if (acts[a])
			s |= ENGINE_ACT(act_map[a]);
	return s;
}

static engine_payments engine_pays_of(unsigned pays)
{
	engine_payments s = 0;
	for (int p = 0; p < ORACLE_N_PAYMENTS; p++)
		if (pays & (1u << p))
			s |= ENGINE_PAY(pay_map[p]);
	return s;
}

static void pays_to_bools(unsigned pays, bool out[ORACLE_N_PAYMENTS])
{
	for (int p = 0; p < ORACLE_N_PAYMENTS; p++)
		out[p] = (pays & (1u << p)) != 0;
}

/* ---- describing a question when the two sides disagree ---------------- */

static void print_org_path(const struct gen *g, int org)
{
	printf("#     O%d", org);
	int depth = 0;
	for (int y = g->parent[org]; y != -1; y = g->parent[y]) {
		if (++depth <= 6)
			printf(" < O%d", y);
	}
	if (depth > 6)
		printf(" < ... (%d ancestors)", depth);
	printf("%s\n", g->is_site[org] ? " [site]" : "");
}

static void print_role(const struct oracle_world *ow, int role)
{
	printf("%d(%s%s:", role,
	       role < ORACLE_N_BUILTIN_ROLES ? oracle_builtin_role_name(role)
	                                     : "custom",
	       oracle_role_org_only(ow, role) ? ",org-reach" : "");
	for (int a = 0; a < ORACLE_N_ACTIONS; a++)
		if (oracle_role_has(ow, role, a))
			printf(" %s", oracle_action_name(a));
	printf(")");
}

static void print_grant(const struct gen *g, const struct g_grant *gr)
{
	printf("#     grant #%d at O%d roles", gr->id, gr->org);
	for (int j = 0; j < gr->n_roles; j++) {
		printf(" ");
		print_role(g->ow, gr->roles[j]);
	}
	printf(" pays");
	for (int p = 0; p < ORACLE_N_PAYMENTS; p++)
		if (gr->pays & (1u << p))
			printf(" %s", oracle_payment_name(p));
	printf(" clusters");
	for (int j = 0; j < gr->n_clusters; j++) {
		const struct g_cluster *c = &g->clusters[gr->clusters[j]];
		printf(" C%d(owner O%d){", gr->clusters[j], c->owner);
		for (int m = 0; m < c->n_members; m++)
			printf("%sO%d", m ? "," : "", c->members[m]);
		printf("}");
	}
	printf("\n");
	print_org_path(g, gr->org);
}

static void print_user(const struct gen *g, int u)
{
	const struct g_user *us = &g->users[u];
	printf("#   user u%d %s, %d grant(s)\n", u,
	       us->enabled ? "enabled" : "DISABLED", us->n_grants);
	for (int i = 0; i < us->n_grants; i++)
		print_grant(g, &us->grants[i]);
}

static void print_profile(const struct gen *g, int u)
{
	const struct g_user *us = &g->users[u];
	printf("#   profile roles");
	for (int i = 0; i < us->n_roles; i++) {
		printf(" ");
		print_role(g->ow, us->roles[i]);
	}
	printf("\n#   site restrictions");
	for (int i = 0; i < us->n_sites; i++)
		printf(" O%d%s", us->sites[i],
		       us->recruitment_only[i] ? "(recruitment only)" : "");
	printf("\n#   restricted studies");
	for (int i = 0; i < us->n_studies; i++)
		printf(" S%d", us->studies[i]);
	printf("\n#   settings: require_site %d require_study %d\n",
	       g->require_site, g->require_study);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bool
report(const struct gen *g, enum sub s, const char *fmt, ...);

static bool report(const struct gen *g, enum sub s, const char *fmt, ...)
{
	sub_fail[s]++;
	if (sub_fail[s] > MAX_REPORTED)
		return false;
	va_list ap;
	va_start(ap, fmt);
	printf("# MISMATCH [%s] seed %" PRIu64 " world %d: ", sub_desc[s],
	       master_seed, g->world);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n#   reproduce: DIFF_SEED=%" PRIu64 " DIFF_WORLD=%d "
	       "./test_differential\n",
	       master_seed, g->world);
	return true;
}

/* ---- building one world on both sides ---------------------------------- */

static bool built_ok(struct gen *g, enum engine_err e, int eid, int oid,
                     const char *what)
{
	if (e == ENGINE_OK && eid == oid)
		return true;
	report(g, SUB_BUILD, "%s: engine %s, id %d (oracle id %d)", what,
	       engine_strerror(e), eid, oid);
	return false;
}

static void compute_subtrees(struct gen *g);

static bool build_tree(struct gen *g)
{
	struct rng *r = &g->rng;
	int n_roots = rng_range(r, 1, 4);
	int k = rng_below(r, 100);
	int chain = k < 15   ? rng_range(r, 100, 200)
	            : k < 75 ? rng_range(r, 30, 60)
	                     : rng_range(r, 0, 8);
	int wide = rng_pct(r, 60) ? rng_range(r, 20, 60) : rng_range(r, 0, 5);
	int rest = rng_range(r, 10, 120);
	int n = n_roots + chain + wide + rest;
	if (n > MAX_ORGS)
		n = MAX_ORGS;

	/* Build in "positions" where a parent comes before its child, then
	 * give positions shuffled ids so parents are often created after
	 * their children. */
	int ppos[MAX_ORGS];
	int p = 0;
	for (; p < n_roots && p < n; p++)
		ppos[p] = -1;
	for (int i = 0; i < chain && p < n; i++, p++)
		ppos[p] = i == 0 ? rng_below(r, n_roots) : p - 1;
	int hub = rng_below(r, p);
	for (int i = 0; i < wide && p < n; i++, p++)
		ppos[p] = hub;
	for (; p < n; p++) {
		if (rng_pct(r, 40))
			ppos[p] = p - 1 - rng_below(r, p < 4 ? p : 4);
		else
			ppos[p] = rng_below(r, p);
	}
	int id_of[MAX_ORGS];
	for (int i = 0; i < n; i++)
		id_of[i] = i;
	shuffle(r, id_of, n);

	g->n_orgs = n;
	for (int i = 0; i < n; i++) {
		g->parent[id_of[i]] = ppos[i] < 0 ? -1 : id_of[ppos[i]];
		g->is_site[id_of[i]] = rng_pct(r, 30);
	}
	g->is_site[id_of[n - 1]] = true; /* at least one site */

	for (int id = 0; id < n; id++) {
		char code[32];
		/* codes in both cases: compared case-insensitively */
		snprintf(code, sizeof code, id % 2 ? "o%d" : "O%d", id);
		int eid = -1;
		enum engine_err e =
		    engine_org_add(g->ew, code, code, g->is_site[id], &eid);
		int oid = oracle_org_add(g->ow, g->is_site[id]);
		if (!built_ok(g, e, eid, oid, "engine_org_add"))
			return false;
	}
	/* Some organisations first hang under a root, then move: the engine
	 * must re-index. */
	for (int id = 0; id < n; id++) {
		if (g->parent[id] != -1 && rng_pct(r, 10)) {
			int root = id_of[0];
			if (root != id &&
			    engine_org_set_parent(g->ew, id, root) != ENGINE_OK)
				engine_org_set_parent(g->ew, id, -1);
		}
	}
	for (int id = 0; id < n; id++) {
		enum engine_err e = engine_org_set_parent(g->ew, id, -1);
		if (!built_ok(g, e, 0, 0, "engine_org_set_parent(-1)"))
			return false;
	}
	for (int id = 0; id < n; id++) {
		enum engine_err e =
		    engine_org_set_parent(g->ew, id, g->parent[id]);
		oracle_org_set_parent(g->ow, id, g->parent[id]);
		if (!built_ok(g, e, 0, 0, "engine_org_set_parent"))
			return false;
	}
	int bad = -1;
	enum engine_err e = engine_world_index(g->ew, &bad);
	if (!built_ok(g, e, 0, 0, "engine_world_index"))
		return false;
	oracle_prepare(g->ow);

	g->n_sites = 0;
	for (int x = 0; x < n; x++)
		if (g->is_site[x])
			g->sites[g->n_sites++] = x;
	compute_subtrees(g);
	return true;
}

/* Our lists of each subtree, from the oracle's (prepared) tree. */
static void compute_subtrees(struct gen *g)
{
	int n = g->n_orgs;
	for (int x = 0; x < n; x++) {
		/* subtree[x][0] is x, then its strict descendants */
		g->subtree[x][0] = x;
		g->n_subtree[x] = 1;
		for (int y = 0; y < n; y++)
			if (y != x && oracle_in_subtree(g->ow, y, x))
				g->subtree[x][g->n_subtree[x]++] = y;
	}
}

static bool build_roles(struct gen *g)
{
	struct rng *r = &g->rng;
	g->n_roles = ORACLE_N_BUILTIN_ROLES;
	g->n_org_roles = 0;
	g->n_study_roles = 0;
	for (int i = 0; i < ORACLE_N_BUILTIN_ROLES; i++) {
		if (oracle_role_is_study(g->ow, i))
			g->study_roles[g->n_study_roles++] = i;
		else
			g->org_roles[g->n_org_roles++] = i;
	}
	int n_custom = rng_range(r, 0, 8);
	for (int i = 0; i < n_custom; i++) {
		bool study = rng_pct(r, 50);
		bool org_only = !study && rng_pct(r, 40);
		bool acts[ORACLE_N_ACTIONS] = {false};
		bool any = false;
		int density = rng_range(r, 10, 60);
		while (!any) {
			for (int a = 0; a < ORACLE_N_ACTIONS; a++) {
				if (oracle_action_is_org(a) == study)
					continue;
				acts[a] = rng_pct(r, density);
				any |= acts[a];
			}
		}
		char name[32];
		snprintf(name, sizeof name, "custom %s role %d",
		         study ? "study" : "org", i);
		int eid = -1;
		enum engine_err e = engine_role_add(
		    g->ew, name, study ? DOMAIN_STUDY : DOMAIN_ORGANISATION,
		    org_only ? REACH_ORGANISATION : REACH_SUBTREE,
		    engine_set_of(acts), &eid);
		int oid = oracle_role_add(g->ow, study, org_only, acts);
		if (!built_ok(g, e, eid, oid, "engine_role_add"))
			return false;
		if (study)
			g->study_roles[g->n_study_roles++] = oid;
		else
			g->org_roles[g->n_org_roles++] = oid;
		g->n_roles++;
	}
	return true;
}

static bool build_clusters(struct gen *g)
{
	struct rng *r = &g->rng;
	int want = rng_range(r, 0, MAX_CLUSTERS);
	g->n_clusters = 0;
	for (int tries = 0; g->n_clusters < want && tries < 4 * want; tries++) {
		int owner = rng_below(r, g->n_orgs);
		if (g->n_subtree[owner] < 2)
			continue;
		struct g_cluster *c = &g->clusters[g->n_clusters];
		c->owner = owner;
		c->n_members = 0;
		int n_members = rng_pct(r, 12) ? 0 : rng_range(r, 1, 6);
		for (int i = 0; i < 3 * n_members && c->n_members < n_members;
		     i++) {
			/* a strict descendant, at any depth */
			int m = g->subtree[owner][rng_range(
			    r, 1, g->n_subtree[owner] - 1)];
			if (!contains(c->members, c->n_members, m))
				c->members[c->n_members++] = m;
		}
		char sn[16];
		snprintf(sn, sizeof sn, "%02X%08X", g->world & 0xff,
		         (unsigned)g->n_clusters * 2654435761u);
		int eid = -1;
		enum engine_err e = engine_cluster_add(
		    g->ew, sn, sn, owner, c->members, c->n_members, &eid);
		int oid =
		    oracle_cluster_add(g->ow, owner, c->members, c->n_members);
		if (!built_ok(g, e, eid, oid, "engine_cluster_add"))
			return false;
		g->n_clusters++;
	}
	return true;
}

static bool build_studies(struct gen *g)
{
	struct rng *r = &g->rng;
	g->n_studies = rng_range(r, 2, MAX_STUDIES);
	for (int s = 0; s < g->n_studies; s++) {
		/* studies bunch at a few sites so site rules matter */
		int site =
		    g->sites[rng_below(r, g->n_sites < 5 ? g->n_sites : 5)];
		if (rng_pct(r, 30))
			site = g->sites[rng_below(r, g->n_sites)];
		g->study_site[s] = site;
		g->list_size[s] = 0;
		for (int u = 0; u < MAX_USERS; u++)
			g->entry[s][u] = NO_ENTRY;
		char code[32];
		snprintf(code, sizeof code, "S%d", s);
		int eid = -1;
		enum engine_err e =
		    engine_study_add(g->ew, code, code, site, &eid);
		int oid = oracle_study_add(g->ow, site);
		if (!built_ok(g, e, eid, oid, "engine_study_add"))
			return false;
	}
	return true;
}

/* An organisation for a new grant: often a cluster owner, often high up. */
static int pick_grant_org(struct gen *g)
{
	struct rng *r = &g->rng;
	if (g->n_clusters && rng_pct(r, 40))
		return g->clusters[rng_below(r, g->n_clusters)].owner;
	if (rng_pct(r, 20)) {
		int x = rng_below(r, g->n_orgs);
		while (g->parent[x] != -1 && rng_pct(r, 70))
			x = g->parent[x];
		return x;
	}
	return rng_below(r, g->n_orgs);
}

static bool user_has_grant_at(const struct g_user *us, int org)
{
	for (int i = 0; i < us->n_grants; i++)
		if (us->grants[i].org == org)
			return true;
	return false;
}

/* Roles, payment types and clusters of a grant at gr->org. */
static void pick_grant_contents(struct gen *g, struct g_grant *gr)
{
	struct rng *r = &g->rng;
	gr->n_roles = 0;
	int want = rng_range(r, 1, 3);
	while (gr->n_roles < want) {
		int role = g->org_roles[rng_below(r, g->n_org_roles)];
		if (!contains(gr->roles, gr->n_roles, role))
			gr->roles[gr->n_roles++] = role;
	}
	gr->pays = rng_pct(r, 50) ? 0u : (unsigned)rng_range(r, 1, 63);
	gr->n_clusters = 0;
	int owned[MAX_CLUSTERS], n_owned = 0;
	for (int c = 0; c < g->n_clusters; c++)
		if (g->clusters[c].owner == gr->org)
			owned[n_owned++] = c;
	if (n_owned && rng_pct(r, 65)) {
		int n_sel = rng_range(r, 1, n_owned < 3 ? n_owned : 3);
		shuffle(r, owned, n_owned);
		for (int i = 0; i < n_sel; i++)
			gr->clusters[gr->n_clusters++] = owned[i];
	}
}

struct pending_grant {
	int user;
	struct g_grant gr;
};

/* One user's study profile, on both sides (replaced whole). */
static bool set_profile(struct gen *g, int u)
{
	struct rng *r = &g->rng;
	struct g_user *us = &g->users[u];
	us->n_roles = us->n_sites = us->n_studies = 0;
	if (rng_pct(r, 80)) {
		int want = rng_pct(r, 8) ? 0 : rng_range(r, 1, 3);
		while (us->n_roles < want) {
			int role =
			    g->study_roles[rng_below(r, g->n_study_roles)];
			if (!contains(us->roles, us->n_roles, role))
				us->roles[us->n_roles++] = role;
		}
		int n_sites = rng_pct(r, 45) ? rng_range(r, 1, 3) : 0;
		for (int i = 0; i < 3 * n_sites && us->n_sites < n_sites; i++) {
			int k =
			    rng_pct(r, 70) && g->n_sites > 5 ? 5 : g->n_sites;
			int site = g->sites[rng_below(r, k)];
			if (contains(us->sites, us->n_sites, site))
				continue;
			us->recruitment_only[us->n_sites] = rng_pct(r, 35);
			us->sites[us->n_sites++] = site;
		}
		int n_studies = rng_pct(r, 35) ? rng_range(r, 1, 3) : 0;
		for (int i = 0; i < 3 * n_studies && us->n_studies < n_studies;
		     i++) {
			int s = rng_below(r, g->n_studies);
			if (!contains(us->studies, us->n_studies, s))
				us->studies[us->n_studies++] = s;
		}
	}
	struct engine_site_restriction sr[MAX_PROFILE];
	for (int i = 0; i < us->n_sites; i++)
		sr[i] = (struct engine_site_restriction){
		    .site = us->sites[i],
		    .recruitment_only = us->recruitment_only[i]};
	enum engine_err e =
	    engine_user_set_profile(g->ew, u, us->roles, us->n_roles, sr,
	                            us->n_sites, us->studies, us->n_studies);
	oracle_user_set_profile(g->ow, u, us->roles, us->n_roles, us->sites,
	                        us->recruitment_only, us->n_sites, us->studies,
	                        us->n_studies);
	return built_ok(g, e, 0, 0, "engine_user_set_profile");
}

static bool build_users(struct gen *g)
{
	struct rng *r = &g->rng;
	static struct pending_grant pending[MAX_USERS * MAX_GRANTS];
	int n_pending = 0;
	bool disable_later[MAX_USERS];

	g->n_users = rng_range(r, 20, MAX_USERS);
	for (int u = 0; u < g->n_users; u++) {
		struct g_user *us = &g->users[u];
		memset(us, 0, sizeof *us);
		us->enabled = rng_pct(r, 85);
		disable_later[u] = !us->enabled && rng_pct(r, 50);
		char login[32];
		snprintf(login, sizeof login, "u%d", u);
		int eid = -1;
		enum engine_err e =
		    engine_user_add(g->ew, login, "First", "Last",
		                    us->enabled || disable_later[u], &eid);
		int oid = oracle_user_add(g->ow, us->enabled);
		if (!built_ok(g, e, eid, oid, "engine_user_add"))
			return false;

		/* Grants are decided per user, then created interleaved. */
		int n_grants = rng_pct(r, 15) ? 0 : rng_range(r, 1, 5);
		struct g_user shadow = {0};
		for (int i = 0; i < n_grants; i++) {
			struct g_grant gr;
			int tries = 0;
			do
				gr.org = pick_grant_org(g);
			while (user_has_grant_at(&shadow, gr.org) &&
			       ++tries < 50);
			if (user_has_grant_at(&shadow, gr.org))
				continue;
			pick_grant_contents(g, &gr);
			shadow.grants[shadow.n_grants++] = gr;
			pending[n_pending++] =
			    (struct pending_grant){.user = u, .gr = gr};
		}
	}
	/* Interleave users' grants so grant ids are not grouped by user; a
	 * user's own grants keep their relative order. */
	for (int i = n_pending - 1; i > 0; i--) {
		int j = rng_below(r, i + 1);
		if (pending[i].user == pending[j].user)
			continue;
		struct pending_grant t = pending[i];
		pending[i] = pending[j];
		pending[j] = t;
	}
	for (int i = 0; i < n_pending; i++) {
		struct g_user *us = &g->users[pending[i].user];
		struct g_grant *gr = &us->grants[us->n_grants];
		*gr = pending[i].gr;
		bool pays[ORACLE_N_PAYMENTS];
		pays_to_bools(gr->pays, pays);
		int eid = -1;
		enum engine_err e =
		    engine_grant_add(g->ew, pending[i].user, gr->org, gr->roles,
		                     gr->n_roles, engine_pays_of(gr->pays),
		                     gr->clusters, gr->n_clusters, &eid);
		int oid = oracle_grant_add(g->ow, pending[i].user, gr->org,
		                           gr->roles, gr->n_roles, pays,
		                           gr->clusters, gr->n_clusters);
		if (!built_ok(g, e, eid, oid, "engine_grant_add"))
			return false;
		gr->id = oid;
		us->n_grants++;
	}
	for (int u = 0; u < g->n_users; u++)
		if (!set_profile(g, u))
			return false;

	/* Study user access lists. */
	for (int s = 0; s < g->n_studies; s++) {
		if (!rng_pct(r, 45))
			continue;
		int want = rng_range(r, 1, 8);
		for (int i = 0; i < want; i++) {
			int u = rng_below(r, g->n_users);
			if (g->entry[s][u] != NO_ENTRY)
				continue;
			const struct g_user *us = &g->users[u];
			int role = -1;
			int k = rng_below(r, 100);
			if (k >= 40 && k < 75 && us->n_roles)
				role = us->roles[rng_below(r, us->n_roles)];
			else if (k >= 75)
				role = g->study_roles[rng_below(
				    r, g->n_study_roles)];
			enum engine_err e = engine_entry_add(g->ew, s, u, role);
			oracle_entry_add(g->ow, s, u, role);
			if (!built_ok(g, e, 0, 0, "engine_entry_add"))
				return false;
			g->entry[s][u] = role;
			g->list_size[s]++;
		}
	}
	/* Some profiles change after the listing: entries go stale. */
	for (int u = 0; u < g->n_users; u++)
		if (rng_pct(r, 8) && !set_profile(g, u))
			return false;
	for (int u = 0; u < g->n_users; u++)
		if (disable_later[u])
			engine_user_set_enabled(g->ew, u, false);

	g->require_site = rng_pct(r, 35);
	g->require_study = rng_pct(r, 35);
	struct engine_settings *st = engine_settings(g->ew);
	st->require_site_restrictions = g->require_site;
	st->require_study_restrictions = g->require_study;
	oracle_settings(g->ow, g->require_site, g->require_study);
	return true;
}

static bool build_world(struct gen *g)
{
	if (!build_tree(g) || !build_roles(g) || !build_clusters(g) ||
	    !build_studies(g) || !build_users(g))
		return false;
	oracle_prepare(g->ow);
	if (!engine_world_indexed(g->ew)) {
		enum engine_err e = engine_world_index(g->ew, NULL);
		if (!built_ok(g, e, 0, 0, "engine_world_index (final)"))
			return false;
	}
	return true;
}

/* Is y in subtree(root), by our own parent links? */
static bool gen_in_subtree(const struct gen *g, int y, int root)
{
	for (; y != -1; y = g->parent[y])
		if (y == root)
			return true;
	return false;
}

static bool members_inside(const struct gen *g)
{
	for (int c = 0; c < g->n_clusters; c++) {
		const struct g_cluster *cl = &g->clusters[c];
		for (int m = 0; m < cl->n_members; m++)
			if (g->parent[cl->members[m]] == -1 ||
			    !gen_in_subtree(g, g->parent[cl->members[m]],
			                    cl->owner))
				return false;
	}
	return true;
}

/* Moves after the world was indexed and questioned: the engine must
 * re-index, and engine_world_index() must refuse a move that takes a
 * cluster member out of its owner's subtree (then the move is undone). */
static bool move_orgs(struct gen *g)
{
	struct rng *r = &g->rng;
	int n_moves = rng_range(r, 1, 6);
	for (int i = 0; i < n_moves; i++) {
		int x = rng_below(r, g->n_orgs);
		int p = rng_pct(r, 10) ? -1 : rng_below(r, g->n_orgs);
		if (p >= 0 && gen_in_subtree(g, p, x))
			continue; /* a cycle: see check_invariants() */
		int old = g->parent[x];
		g->parent[x] = p;
		bool valid = members_inside(g);
		enum engine_err e = engine_org_set_parent(g->ew, x, p);
		if (!built_ok(g, e, 0, 0, "engine_org_set_parent (move)"))
			return false;
		/* until re-indexed, organisation questions are errors */
		bool allow = false;
		e = engine_check_org(g->ew, 0, act_map[0], x, -1, NULL, &allow);
		sub_count[SUB_VALIDATION]++;
		if (e != ENGINE_ENOT_INDEXED)
			report(g, SUB_VALIDATION,
			       "org check after a move, before "
			       "engine_world_index(): %s (%s)",
			       engine_strerror(e), allow ? "allow" : "deny");
		int bad = -1;
		e = engine_world_index(g->ew, &bad);
		if (valid) {
			if (!built_ok(g, e, 0, 0, "engine_world_index (move)"))
				return false;
		} else {
			sub_count[SUB_VALIDATION]++;
			if (e != ENGINE_EMEMBER_OUTSIDE)
				report(g, SUB_VALIDATION,
				       "moving O%d under O%d takes a cluster "
				       "member out of its owner's subtree, "
				       "engine_world_index() says %s",
				       x, p, engine_strerror(e));
			g->parent[x] = old;
			e = engine_org_set_parent(g->ew, x, old);
			if (!built_ok(g, e, 0, 0,
			              "engine_org_set_parent (undo)"))
				return false;
			e = engine_world_index(g->ew, &bad);
			if (!built_ok(g, e, 0, 0, "engine_world_index (undo)"))
				return false;
		}
		oracle_org_set_parent(g->ow, x, g->parent[x]);
	}
	oracle_prepare(g->ow);
	compute_subtrees(g);
	return true;
}

/* ---- questions ---------------------------------------------------------- */

static int pick_user(struct gen *g, bool with_grants)
{
	for (int tries = 0; tries < 20; tries++) {
		int u = rng_below(&g->rng, g->n_users);
		if (!with_grants || g->users[u].n_grants)
			return u;
	}
	return rng_below(&g->rng, g->n_users);
}

/* A target organisation: mostly near one of the user's grants, so that
 * allows and the interesting denials (just outside a cluster, the parent of
 * the grant's organisation) are frequent. */
static int pick_target_org(struct gen *g, int u)
{
	struct rng *r = &g->rng;
	const struct g_user *us = &g->users[u];
	if (!us->n_grants || rng_pct(r, 30))
		return rng_below(r, g->n_orgs);
	const struct g_grant *gr = &us->grants[rng_below(r, us->n_grants)];
	int k = rng_below(r, 100);
	if (k < 15)
		return gr->org;
	if (k < 25 && g->parent[gr->org] != -1)
		return g->parent[gr->org];
	if (k < 60 && gr->n_clusters) {
		const struct g_cluster *c =
		    &g->clusters[gr->clusters[rng_below(r, gr->n_clusters)]];
		if (c->n_members) {
			int m = c->members[rng_below(r, c->n_members)];
			if (rng_pct(r, 30))
				return m;
			return g->subtree[m][rng_below(r, g->n_subtree[m])];
		}
	}
	return g->subtree[gr->org][rng_below(r, g->n_subtree[gr->org])];
}

static const char *payment_label(int p)
{
	return p < 0 ? "none" : oracle_payment_name(p);
}

static bool has_reason(const struct engine_explain *ex, enum engine_why why)
{
	for (int i = 0; i < ex->n; i++)
		if (ex->r[i].why == why && ex->r[i].depth == 0)
			return true;
	return false;
}

static void print_explanation(const struct gen *g,
                              const struct engine_explain *ex)
{
	char buf[512];
	for (int i = 0; i < ex->n; i++) {
		engine_reason_format(g->ew, &ex->r[i], buf, sizeof buf);
		printf("#     engine says [%d] %*s%s (why %d grant %d role %d "
		       "cluster %d member %d)\n",
		       i, 2 * ex->r[i].depth, "", buf, (int)ex->r[i].why,
		       ex->r[i].grant, ex->r[i].role, ex->r[i].cluster,
		       ex->r[i].member);
	}
}

/* Is the engine's reason about one grant true of that grant? */
static bool grant_reason_true(enum engine_why why,
                              const struct oracle_grant_facts *f)
{
	switch (why) {
	case WHY_NO_ROLE_WITH_ACTION:
		return !f->has_role_with_action;
	case WHY_NOT_IN_SUBTREE:
		return !f->in_subtree;
	case WHY_NOT_IN_CLUSTERS:
		return f->has_clusters && !f->in_reach;
	case WHY_ROLE_ORG_ONLY:
		return f->has_role_with_action && !f->role_reach_ok;
	case WHY_NO_PAYMENT_TYPE:
		return !f->payment_ok;
	default:
		return false;
	}
}

static void check_org_explanation(struct gen *g,
                                  const struct engine_explain *ex, int u,
                                  int oa, int org, int p, bool oallow,
                                  const struct oracle_allow *al,
                                  const char *question)
{
	sub_count[SUB_EXPLANATION]++;
	if (ex->nomem)
		return;
	const struct g_user *us = &g->users[u];
	const char *problem = NULL;
	if (oallow) {
		const struct engine_reason *first = NULL;
		for (int i = 0; i < ex->n && !first; i++)
			if (ex->r[i].depth == 0 &&
			    ex->r[i].why == WHY_ALLOW_GRANT)
				first = &ex->r[i];
		if (!first)
			problem = "allowed without a WHY_ALLOW_GRANT reason";
		else if (first->grant != al->grant || first->role != al->role)
			problem = "cites another grant or role than the first "
			          "in stored order";
		else if (first->cluster != al->cluster ||
		         first->member != al->member)
			problem = "cites another cluster or member than the "
			          "first in stored order";
		if (problem && report(g, SUB_EXPLANATION,
		                      "%s: %s; oracle cites grant #%d role %d "
		                      "cluster %d member %d",
		                      question, problem, al->grant, al->role,
		                      al->cluster, al->member)) {
			print_user(g, u);
			print_explanation(g, ex);
		}
		return;
	}
	if (!us->enabled) {
		if (!has_reason(ex, WHY_USER_DISABLED))
			problem = "disabled user denied without "
			          "WHY_USER_DISABLED";
	} else if (!us->n_grants) {
		if (!has_reason(ex, WHY_NO_GRANTS))
			problem = "user with no grant denied without "
			          "WHY_NO_GRANTS";
	} else {
		for (int i = 0; i < us->n_grants && !problem; i++) {
			bool cited = false;
			for (int j = 0; j < ex->n; j++)
				cited |= ex->r[j].depth == 0 &&
				         ex->r[j].grant == us->grants[i].id;
			if (!cited)
				problem = "a grant of the user is not cited in "
				          "the denial";
		}
		for (int j = 0; j < ex->n && !problem; j++) {
			const struct engine_reason *rs = &ex->r[j];
			if (rs->depth != 0 || rs->grant < 0)
				continue;
			struct oracle_grant_facts f;
			oracle_grant_facts(g->ow, rs->grant, oa, org, p, &f);
			if (!grant_reason_true(rs->why, &f))
				problem = "a reason given for a grant is not "
				          "true of it";
		}
	}
	if (problem &&
	    report(g, SUB_EXPLANATION, "%s: %s", question, problem)) {
		print_user(g, u);
		print_org_path(g, org);
		print_explanation(g, ex);
	}
}

static void check_org_once(struct gen *g, struct engine_explain *ex,
                           bool with_payment)
{
	struct rng *r = &g->rng;
	int u = pick_user(g, rng_pct(r, 80));
	int oa, p = -1;
	if (with_payment) {
		oa = oracle_action_find(rng_pct(r, 50) ? "achievement.view"
		                                       : "achievement.declare");
		p = rng_below(r, ORACLE_N_PAYMENTS);
	} else {
		oa = rng_below(r, ORACLE_N_ORG_ACTIONS);
	}
	int org = pick_target_org(g, u);
	int ep = p < 0 ? -1 : pay_map[p];

	bool eallow = false, xallow = false;
	enum engine_err e =
	    engine_check_org(g->ew, u, act_map[oa], org, ep, NULL, &eallow);
	engine_explain_reset(ex);
	enum engine_err xe =
	    engine_check_org(g->ew, u, act_map[oa], org, ep, ex, &xallow);
	struct oracle_allow al;
	bool oallow = oracle_check_org(g->ow, u, oa, org, p, &al);

	char q[160];
	snprintf(q, sizeof q,
	         "engine_check_org(user u%d, %s, org O%d, payment %s)", u,
	         oracle_action_name(oa), org, payment_label(p));
	enum sub s = with_payment ? SUB_ORG_PAYMENT : SUB_ORG;
	sub_count[s]++;
	sub_allow[s] += oallow;
	org_allow_via_cluster += oallow && al.cluster >= 0;
	if ((e != ENGINE_OK || eallow != oallow) &&
	    report(g, s, "%s: engine %s/%s, oracle %s", q, engine_strerror(e),
	           eallow ? "allow" : "deny", oallow ? "allow" : "deny")) {
		print_user(g, u);
		printf("#   target:\n");
		print_org_path(g, org);
		print_explanation(g, ex);
	}
	sub_count[SUB_EXPLAINED]++;
	if ((xe != e || xallow != eallow) &&
	    report(g, SUB_EXPLAINED, "%s: plain %s/%s, explained %s/%s", q,
	           engine_strerror(e), eallow ? "allow" : "deny",
	           engine_strerror(xe), xallow ? "allow" : "deny"))
		print_user(g, u);
	if (e == ENGINE_OK && xe == ENGINE_OK && xallow == oallow)
		check_org_explanation(g, ex, u, oa, org, p, oallow, &al, q);
}

static enum engine_why study_why(enum oracle_study_why w)
{
	switch (w) {
	case ORACLE_ALLOW_LISTED:
		return WHY_ALLOW_LISTED;
	case ORACLE_ALLOW_LISTED_ROLE:
		return WHY_ALLOW_LISTED_ROLE;
	case ORACLE_ALLOW_USER_MANAGEMENT:
		return WHY_ALLOW_USER_MANAGEMENT;
	case ORACLE_ALLOW_PROFILE:
		return WHY_ALLOW_PROFILE;
	case ORACLE_DENY_DISABLED:
		return WHY_USER_DISABLED;
	case ORACLE_DENY_NO_PROFILE_ROLE:
		return WHY_NO_PROFILE_ROLE;
	case ORACLE_DENY_ENTRY_ROLE_NOT_IN_PROFILE:
		return WHY_ENTRY_ROLE_NOT_IN_PROFILE;
	case ORACLE_DENY_NOT_LISTED:
		return WHY_NOT_LISTED;
	case ORACLE_DENY_STUDY_RESTRICTION:
		return WHY_STUDY_RESTRICTION;
	case ORACLE_DENY_SITE_RESTRICTION:
		return WHY_SITE_RESTRICTION;
	case ORACLE_DENY_SITE_RESTRICTION_REQUIRED:
		return WHY_SITE_RESTRICTION_REQUIRED;
	case ORACLE_DENY_STUDY_RESTRICTION_REQUIRED:
		return WHY_STUDY_RESTRICTION_REQUIRED;
	case ORACLE_DENY_NO_ACTION_LEFT:
		return WHY_NO_ACTION_LEFT;
	}
	return WHY_COUNT;
}

static void print_study_question(const struct gen *g, int u, int s)
{
	print_user(g, u);
	print_profile(g, u);
	printf("#   study S%d at site O%d, list of %d entr%s; user u%d ", s,
	       g->study_site[s], g->list_size[s],
	       g->list_size[s] == 1 ? "y" : "ies", u);
	if (g->entry[s][u] == NO_ENTRY)
		printf("not listed\n");
	else if (g->entry[s][u] == -1)
		printf("listed with no role\n");
	else
		printf("listed with role %d\n", g->entry[s][u]);
}

static void check_study_once(struct gen *g, struct engine_explain *ex)
{
	struct rng *r = &g->rng;
	int u = pick_user(g, false);
	int s = rng_below(r, g->n_studies);
	/* half the time, a study the user is listed for or restricted to */
	const struct g_user *us = &g->users[u];
	if (rng_pct(r, 25) && us->n_studies)
		s = us->studies[rng_below(r, us->n_studies)];
	else if (rng_pct(r, 25)) {
		for (int k = 0; k < g->n_studies; k++)
			if (g->entry[k][u] != NO_ENTRY)
				s = k;
	}
	int oa = ORACLE_N_ORG_ACTIONS + rng_below(r, ORACLE_N_STUDY_ACTIONS);

	bool eallow = false, xallow = false;
	enum engine_err e =
	    engine_check_study(g->ew, u, act_map[oa], s, NULL, &eallow);
	engine_explain_reset(ex);
	enum engine_err xe =
	    engine_check_study(g->ew, u, act_map[oa], s, ex, &xallow);
	bool acts[ORACLE_N_ACTIONS];
	enum oracle_study_why why;
	bool ro;
	oracle_study_actions(g->ow, u, s, acts, &why, &ro);
	bool oallow = acts[oa];

	char q[160];
	snprintf(q, sizeof q, "engine_check_study(user u%d, %s, study S%d)", u,
	         oracle_action_name(oa), s);
	sub_count[SUB_STUDY]++;
	sub_allow[SUB_STUDY] += oallow;
	study_branch[why]++;
	study_recruitment_only += ro;
	if ((e != ENGINE_OK || eallow != oallow) &&
	    report(g, SUB_STUDY, "%s: engine %s/%s, oracle %s", q,
	           engine_strerror(e), eallow ? "allow" : "deny",
	           oallow ? "allow" : "deny")) {
		print_study_question(g, u, s);
		print_explanation(g, ex);
	}
	sub_count[SUB_EXPLAINED]++;
	if ((xe != e || xallow != eallow) &&
	    report(g, SUB_EXPLAINED, "%s: plain %s/%s, explained %s/%s", q,
	           engine_strerror(e), eallow ? "allow" : "deny",
	           engine_strerror(xe), xallow ? "allow" : "deny"))
		print_study_question(g, u, s);

	engine_actions eset = engine_study_actions(g->ew, u, s, NULL);
	engine_actions oset = engine_set_of(acts);
	sub_count[SUB_STUDY_ACTIONS]++;
	if (eset != oset &&
	    report(g, SUB_STUDY_ACTIONS,
	           "engine_study_actions(user u%d, study S%d): engine 0x%06x, "
	           "oracle 0x%06x",
	           u, s, (unsigned)eset, (unsigned)oset))
		print_study_question(g, u, s);

	/* The explanation names the branch of the pseudo-code taken. */
	if (e != ENGINE_OK || xe != ENGINE_OK || xallow != oallow || ex->nomem)
		return;
	sub_count[SUB_EXPLANATION]++;
	enum engine_why want = study_why(why);
	const char *problem = NULL;
	if (why <= ORACLE_ALLOW_PROFILE) {
		if (!has_reason(ex, want))
			problem = "the allowing branch is not cited";
		else if (ro && !has_reason(ex, WHY_RECRUITMENT_ONLY))
			problem = "recruitment-only narrowing is not cited";
		else if (!oallow && !has_reason(ex, WHY_ACTION_NOT_GRANTED))
			problem = "the action left out is not cited";
	} else if (!has_reason(ex, want)) {
		problem = "the denying rule is not cited";
	}
	if (problem && report(g, SUB_EXPLANATION, "%s: %s (expected why %d)", q,
	                      problem, (int)want)) {
		print_study_question(g, u, s);
		print_explanation(g, ex);
	}
}

/* Questions that name something unknown or pair things wrongly: an error,
 * never a decision, whatever the user's state. */
static void check_validation(struct gen *g, struct engine_explain *ex)
{
	struct rng *r = &g->rng;
	int u = pick_user(g, false);
	int org = rng_below(r, g->n_orgs);
	int s = rng_below(r, g->n_studies);
	int org_act = act_map[rng_below(r, ORACLE_N_ORG_ACTIONS)];
	int study_act = act_map[ORACLE_N_ORG_ACTIONS +
	                        rng_below(r, ORACLE_N_STUDY_ACTIONS)];
	int ach = act_map[oracle_action_find("achievement.declare")];
	int plain_act = act_map[oracle_action_find("users.view")];
	int pay = pay_map[rng_below(r, ORACLE_N_PAYMENTS)];
	struct {
		bool study;
		int user, action, target, payment;
		const char *what;
	} q[] = {
	    {false, u, study_act, org, -1, "study action on an org"},
	    {false, u, plain_act, org, pay, "payment with users.view"},
	    {false, u, ach, org, PAY_COUNT, "unknown payment type"},
	    {false, u, ach, org, -2, "payment -2"},
	    {false, u, -1, org, -1, "action -1"},
	    {false, u, ACT_COUNT, org, -1, "action ACT_COUNT"},
	    {false, -1, org_act, org, -1, "user -1"},
	    {false, g->n_users, org_act, org, -1, "unknown user"},
	    {false, u, org_act, -1, -1, "organisation -1"},
	    {false, u, org_act, g->n_orgs, -1, "unknown organisation"},
	    {true, u, org_act, s, -1, "organisation action on a study"},
	    {true, u, -1, s, -1, "study action -1"},
	    {true, u, study_act, g->n_studies, -1, "unknown study"},
	    {true, g->n_users, study_act, s, -1, "unknown user"},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		for (int explained = 0; explained < 2; explained++) {
			bool allow = false;
			struct engine_explain *x = explained ? ex : NULL;
			if (x)
				engine_explain_reset(x);
			enum engine_err e =
			    q[i].study
			        ? engine_check_study(g->ew, q[i].user,
			                             q[i].action, q[i].target,
			                             x, &allow)
			        : engine_check_org(g->ew, q[i].user,
			                           q[i].action, q[i].target,
			                           q[i].payment, x, &allow);
			sub_count[SUB_VALIDATION]++;
			if (e == ENGINE_OK)
				report(
				    g, SUB_VALIDATION,
				    "%s (user %d action %d target %d payment "
				    "%d, %s): decided %s instead of an error",
				    q[i].what, q[i].user, q[i].action,
				    q[i].target, q[i].payment,
				    explained ? "explained" : "plain",
				    allow ? "allow" : "deny");
		}
	}
}

/* Inputs the store must refuse (section 1 invariants). Run last in a world:
 * a wrongly accepted input would change it. */
static void check_invariants(struct gen *g)
{
	struct rng *r = &g->rng;
	int x = rng_below(r, g->n_orgs);
	int role_study = g->study_roles[rng_below(r, g->n_study_roles)];
	int role_org = g->org_roles[rng_below(r, g->n_org_roles)];
	int u = rng_below(r, g->n_users);
	enum engine_err e;

	/* a cluster whose member is its owner, or outside the owner */
	int self = x;
	e = engine_cluster_add(g->ew, "FFFFFFFFF0", "bad", x, &self, 1, NULL);
	sub_count[SUB_VALIDATION]++;
	if (e == ENGINE_OK)
		report(g, SUB_VALIDATION,
		       "cluster owned by O%d with member O%d accepted", x, x);
	if (g->parent[x] != -1) {
		int up = g->parent[x];
		e = engine_cluster_add(g->ew, "FFFFFFFFF1", "bad", x, &up, 1,
		                       NULL);
		sub_count[SUB_VALIDATION]++;
		if (e == ENGINE_OK)
			report(g, SUB_VALIDATION,
			       "cluster owned by O%d with its parent O%d as "
			       "member accepted",
			       x, up);
	}
	/* a move under its own subtree */
	if (g->n_subtree[x] > 1) {
		int below = g->subtree[x][rng_range(r, 1, g->n_subtree[x] - 1)];
		e = engine_org_set_parent(g->ew, x, below);
		sub_count[SUB_VALIDATION]++;
		if (e == ENGINE_OK)
			report(g, SUB_VALIDATION,
			       "moving O%d under its descendant O%d accepted",
			       x, below);
	}
	/* a grant with a study role; a grant selecting a foreign cluster */
	if (!user_has_grant_at(&g->users[u], x)) {
		e = engine_grant_add(g->ew, u, x, &role_study, 1, 0, NULL, 0,
		                     NULL);
		sub_count[SUB_VALIDATION]++;
		if (e == ENGINE_OK)
			report(g, SUB_VALIDATION,
			       "grant with study role %d accepted", role_study);
		for (int c = 0; c < g->n_clusters; c++) {
			if (g->clusters[c].owner == x)
				continue;
			e = engine_grant_add(g->ew, u, x, &role_org, 1, 0, &c,
			                     1, NULL);
			sub_count[SUB_VALIDATION]++;
			if (e == ENGINE_OK)
				report(g, SUB_VALIDATION,
				       "grant at O%d selecting C%d owned by "
				       "O%d accepted",
				       x, c, g->clusters[c].owner);
			break;
		}
	}
	/* a profile with an organisation role */
	e = engine_user_set_profile(g->ew, u, &role_org, 1, NULL, 0, NULL, 0);
	sub_count[SUB_VALIDATION]++;
	if (e == ENGINE_OK)
		report(g, SUB_VALIDATION, "profile with org role %d accepted",
		       role_org);
}

/* ---- section 5 ---------------------------------------------------------- */

static void check_see_manage_once(struct gen *g, struct engine_explain *ex)
{
	struct rng *r = &g->rng;
	int op = pick_user(g, rng_pct(r, 90));
	int v = rng_pct(r, 5) ? op : pick_user(g, rng_pct(r, 80));
	for (int manage = 0; manage < 2; manage++) {
		bool eplain = manage
		                  ? engine_may_manage_user(g->ew, op, v, NULL)
		                  : engine_may_see_user(g->ew, op, v, NULL);
		engine_explain_reset(ex);
		bool expl = manage ? engine_may_manage_user(g->ew, op, v, ex)
		                   : engine_may_see_user(g->ew, op, v, ex);
		bool o = manage ? oracle_may_manage_user(g->ow, op, v)
		                : oracle_may_see_user(g->ow, op, v);
		const char *fn =
		    manage ? "engine_may_manage_user" : "engine_may_see_user";
		sub_count[SUB_SEE_MANAGE]++;
		sub_allow[SUB_SEE_MANAGE] += o;
		if (eplain != o && report(g, SUB_SEE_MANAGE,
		                          "%s(op u%d, v u%d): engine %s, "
		                          "oracle %s",
		                          fn, op, v, eplain ? "allow" : "deny",
		                          o ? "allow" : "deny")) {
			printf("#   operator:\n");
			print_user(g, op);
			printf("#   managed user:\n");
			print_user(g, v);
			print_explanation(g, ex);
		}
		sub_count[SUB_EXPLAINED]++;
		if (expl != eplain)
			report(g, SUB_EXPLAINED,
			       "%s(op u%d, v u%d): plain %d, explained %d", fn,
			       op, v, eplain, expl);
	}
}

static struct engine_grant_spec engine_spec_of(const struct g_grant *gr)
{
	return (struct engine_grant_spec){
	    .org = gr->org,
	    .roles = gr->roles,
	    .n_roles = gr->n_roles,
	    .payments = engine_pays_of(gr->pays),
	    .clusters = gr->clusters,
	    .n_clusters = gr->n_clusters,
	};
}

static struct oracle_grant_spec oracle_spec_of(const struct g_grant *gr)
{
	struct oracle_grant_spec s = {
	    .org = gr->org,
	    .roles = gr->roles,
	    .n_roles = gr->n_roles,
	    .clusters = gr->clusters,
	    .n_clusters = gr->n_clusters,
	};
	pays_to_bools(gr->pays, s.pays);
	return s;
}

/* New contents for a grant at gr->org, now and then with a cluster owned
 * elsewhere (which must be refused). */
static void pick_new_contents(struct gen *g, struct g_grant *gr)
{
	struct rng *r = &g->rng;
	pick_grant_contents(g, gr);
	if (rng_pct(r, 60))
		gr->pays = 0;
	if (rng_pct(r, 5) && g->n_clusters && gr->n_clusters < 3) {
		int c = rng_below(r, g->n_clusters);
		if (!contains(gr->clusters, gr->n_clusters, c))
			gr->clusters[gr->n_clusters++] = c;
	}
	gr->id = -1;
}

/* Add, change or revoke V's grant at one organisation. */
static void check_change_grant_once(struct gen *g, struct engine_explain *ex)
{
	static const char *const what[] = {"add", "change", "revoke"};
	struct rng *r = &g->rng;
	int op = pick_user(g, rng_pct(r, 95));
	int mode = rng_below(r, 3);
	bool v_is_new = mode == 0 && rng_pct(r, 25);
	int v = v_is_new ? -1 : (rng_pct(r, 5) ? op : pick_user(g, mode != 0));
	const struct g_user *ou = &g->users[op];
	struct g_grant before = {0}, after = {0};

	if (mode == 0) {
		int tries = 0;
		do {
			/* mostly where the operator has some grant */
			if (ou->n_grants && rng_pct(r, 75)) {
				int base =
				    ou->grants[rng_below(r, ou->n_grants)].org;
				after.org = g->subtree[base][rng_below(
				    r, g->n_subtree[base])];
			} else {
				after.org = pick_grant_org(g);
			}
		} while (v >= 0 && user_has_grant_at(&g->users[v], after.org) &&
		         ++tries < 50);
		if (v >= 0 && user_has_grant_at(&g->users[v], after.org))
			return;
		pick_new_contents(g, &after);
	} else {
		const struct g_user *vu = &g->users[v];
		if (!vu->n_grants)
			return;
		before = vu->grants[rng_below(r, vu->n_grants)];
		after.org = before.org;
		if (mode == 1)
			pick_new_contents(g, &after);
	}

	struct engine_grant_spec eb = engine_spec_of(&before);
	struct engine_grant_spec ea = engine_spec_of(&after);
	struct oracle_grant_spec ob = oracle_spec_of(&before);
	struct oracle_grant_spec oa = oracle_spec_of(&after);
	const struct engine_grant_spec *eb_p = mode ? &eb : NULL;
	const struct engine_grant_spec *ea_p = mode != 2 ? &ea : NULL;
	bool eplain =
	    engine_may_change_grant(g->ew, op, v, v_is_new, eb_p, ea_p, NULL);
	engine_explain_reset(ex);
	bool expl =
	    engine_may_change_grant(g->ew, op, v, v_is_new, eb_p, ea_p, ex);
	bool o = oracle_may_change_grant(
	    g->ow, op, v, v_is_new, mode ? &ob : NULL, mode != 2 ? &oa : NULL);
	sub_count[SUB_ADD_GRANT]++;
	sub_allow[SUB_ADD_GRANT] += o;
	if (eplain != o &&
	    report(g, SUB_ADD_GRANT,
	           "engine_may_change_grant(op u%d, v %d%s, %s at O%d): "
	           "engine %s, oracle %s",
	           op, v, v_is_new ? " (new)" : "", what[mode], after.org,
	           eplain ? "allow" : "deny", o ? "allow" : "deny")) {
		printf("#   operator:\n");
		print_user(g, op);
		if (v >= 0) {
			printf("#   managed user:\n");
			print_user(g, v);
		}
		if (mode) {
			printf("#   the grant as it was:\n");
			print_grant(g, &before);
		}
		if (mode != 2) {
			printf("#   the grant as it will be:\n");
			print_grant(g, &after);
		}
		print_explanation(g, ex);
	}
	sub_count[SUB_EXPLAINED]++;
	if (expl != eplain)
		report(g, SUB_EXPLAINED,
		       "engine_may_change_grant(op u%d, v %d, %s at O%d): "
		       "plain %d, explained %d",
		       op, v, what[mode], after.org, eplain, expl);
}

/* ---- the catalogue ------------------------------------------------------ */

/* Maps oracle ids to engine ids and checks the engine's catalogue and
 * built-in roles against the spec's tables. False when the maps cannot be
 * made (nothing else can then run). */
static bool check_catalogue(void)
{
	bool mapped = true;
	sub_count[SUB_CATALOGUE]++;
	if (ACT_COUNT != ORACLE_N_ACTIONS || PAY_COUNT != ORACLE_N_PAYMENTS) {
		printf("# catalogue: engine has %d actions, %d payment types; "
		       "the spec %d and %d\n",
		       (int)ACT_COUNT, (int)PAY_COUNT, ORACLE_N_ACTIONS,
		       ORACLE_N_PAYMENTS);
		sub_fail[SUB_CATALOGUE]++;
	}
	for (int a = 0; a < ORACLE_N_ACTIONS; a++) {
		act_map[a] = engine_action_find(oracle_action_name(a));
		if (act_map[a] < 0) {
			printf("# catalogue: engine lacks action %s\n",
			       oracle_action_name(a));
			sub_fail[SUB_CATALOGUE]++;
			mapped = false;
			continue;
		}
		enum engine_domain d = engine_action_domain(act_map[a]);
		if ((d == DOMAIN_ORGANISATION) != oracle_action_is_org(a)) {
			printf("# catalogue: %s in the wrong domain\n",
			       oracle_action_name(a));
			sub_fail[SUB_CATALOGUE]++;
		}
	}
	for (int p = 0; p < ORACLE_N_PAYMENTS; p++) {
		pay_map[p] = engine_payment_find(oracle_payment_name(p));
		if (pay_map[p] < 0) {
			printf("# catalogue: engine lacks payment type %s\n",
			       oracle_payment_name(p));
			sub_fail[SUB_CATALOGUE]++;
			mapped = false;
		}
	}
	if (!mapped)
		return false;

	engine_actions recruitment = 0, payment = 0, org = 0, business = 0;
	for (int a = 0; a < ORACLE_N_ACTIONS; a++) {
		if (oracle_action_is_recruitment(a))
			recruitment |= ENGINE_ACT(act_map[a]);
		if (oracle_action_takes_payment(a))
			payment |= ENGINE_ACT(act_map[a]);
		if (oracle_action_is_org(a))
			org |= ENGINE_ACT(act_map[a]);
		if (oracle_action_is_business(a))
			business |= ENGINE_ACT(act_map[a]);
	}
	if (recruitment != ENGINE_RECRUITMENT_ACTIONS ||
	    payment != ENGINE_PAYMENT_ACTIONS || org != ENGINE_ORG_ACTIONS ||
	    business != ENGINE_BUSINESS_ACTIONS) {
		printf("# catalogue: recruitment, payment, organisation or "
		       "business action sets differ\n");
		sub_fail[SUB_CATALOGUE]++;
	}

	struct engine_world *ew = engine_world_new();
	struct oracle_world *ow = oracle_world_new();
	if (!ew) {
		printf("# engine_world_new failed\n");
		sub_fail[SUB_CATALOGUE]++;
		oracle_world_free(ow);
		return false;
	}
	if (engine_n_roles(ew) != ORACLE_N_BUILTIN_ROLES) {
		printf("# catalogue: a new world has %d roles, not %d\n",
		       engine_n_roles(ew), ORACLE_N_BUILTIN_ROLES);
		sub_fail[SUB_CATALOGUE]++;
	}
	for (int i = 0; i < ORACLE_N_BUILTIN_ROLES && i < engine_n_roles(ew);
	     i++) {
		const struct engine_role *er = engine_role(ew, i);
		bool acts[ORACLE_N_ACTIONS];
		for (int a = 0; a < ORACLE_N_ACTIONS; a++)
			acts[a] = oracle_role_has(ow, i, a);
		bool study = oracle_role_is_study(ow, i);
		if (strcmp(er->name, oracle_builtin_role_name(i)) != 0 ||
		    (er->domain == DOMAIN_STUDY) != study ||
		    (!study && (er->reach == REACH_ORGANISATION) !=
		                   oracle_role_org_only(ow, i)) ||
		    er->actions != engine_set_of(acts) || !er->builtin) {
			printf(
			    "# catalogue: built-in role %d (%s) differs from "
			    "the spec: engine \"%s\" actions 0x%06x reach "
			    "%d\n",
			    i, oracle_builtin_role_name(i), er->name,
			    (unsigned)er->actions, (int)er->reach);
			sub_fail[SUB_CATALOGUE]++;
		}
	}
	engine_world_free(ew);
	oracle_world_free(ow);
	return true;
}

/* ---- main --------------------------------------------------------------- */

static long env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	return s && *s ? strtol(s, NULL, 10) : dflt;
}

static void run_checks(struct gen *g, int checks, struct engine_explain *ex)
{
	for (int i = 0; i < checks; i++) {
		int k = rng_below(&g->rng, 100);
		if (k < 35)
			check_org_once(g, ex, false);
		else if (k < 55)
			check_org_once(g, ex, true);
		else
			check_study_once(g, ex);
	}
	for (int i = 0; i < checks / 10; i++)
		check_see_manage_once(g, ex);
	for (int i = 0; i < checks / 15; i++)
		check_change_grant_once(g, ex);
	check_validation(g, ex);
}

static void run_world(struct gen *g, int world, int checks,
                      struct engine_explain *ex)
{
	memset(g, 0, sizeof *g);
	g->world = world;
	g->rng.s = master_seed ^ ((uint64_t)(world + 1) * 0x9e3779b97f4a7c15u);
	rng_next(&g->rng);
	g->ew = engine_world_new();
	g->ow = oracle_world_new();
	sub_count[SUB_BUILD]++;
	if (!g->ew) {
		report(g, SUB_BUILD, "engine_world_new failed");
	} else if (build_world(g)) {
		run_checks(g, checks, ex);
		/* sometimes the tree changes under the same users */
		if (rng_pct(&g->rng, 40) && move_orgs(g))
			run_checks(g, checks / 2, ex);
		check_invariants(g);
	}
	engine_world_free(g->ew);
	oracle_world_free(g->ow);
}

int main(int argc, char **argv)
{
	const char *seed_arg = argc > 1 ? argv[1] : getenv("DIFF_SEED");
	if (seed_arg && *seed_arg)
		master_seed = strtoull(seed_arg, NULL, 10);
	else
		master_seed =
		    (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	long only =
	    argc > 2 ? strtol(argv[2], NULL, 10) : env_long("DIFF_WORLD", -1);
	long worlds = env_long("DIFF_WORLDS", 500);
	long checks = env_long("DIFF_CHECKS", 800);

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", SUB_COUNT);
	printf("# seed %" PRIu64 " (rerun: DIFF_SEED=%" PRIu64
	       " ./test_differential)\n",
	       master_seed, master_seed);

	struct gen *g = calloc(1, sizeof *g);
	struct engine_explain ex;
	engine_explain_init(&ex);
	if (!g) {
		printf("Bail out! out of memory\n");
		return 1;
	}
	clock_t t0 = clock();
	if (check_catalogue()) {
		for (long w = 0; w < worlds; w++)
			if (only < 0 || w == only)
				run_world(g, (int)w, (int)checks, &ex);
	}
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	engine_explain_free(&ex);
	free(g);

	bool all_ok = true;
	for (int s = 0; s < SUB_COUNT; s++) {
		bool ok = sub_fail[s] == 0 && sub_count[s] > 0;
		all_ok &= ok;
		printf("%s %d - %s (%ld questions, %ld mismatches)\n",
		       ok ? "ok" : "not ok", s + 1, sub_desc[s], sub_count[s],
		       sub_fail[s]);
	}
	printf("# oracle allowed: %ld org, %ld org+payment (%ld through a "
	       "cluster), %ld study, %ld see/manage, %ld grant changes\n",
	       sub_allow[SUB_ORG], sub_allow[SUB_ORG_PAYMENT],
	       org_allow_via_cluster, sub_allow[SUB_STUDY],
	       sub_allow[SUB_SEE_MANAGE], sub_allow[SUB_ADD_GRANT]);
	printf("# study branches:");
	for (int b = 0; b <= ORACLE_DENY_NO_ACTION_LEFT; b++)
		printf(" %ld", study_branch[b]);
	printf(" (recruitment-only %ld)\n", study_recruitment_only);
	printf("# %ld worlds, %.1f s CPU, seed %" PRIu64 "\n",
	       only < 0 ? worlds : 1, secs, master_seed);
	return all_ok ? 0 : 1;
}
