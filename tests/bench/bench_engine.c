/* bench_engine.c: the permission engine at national scale.
 *
 * Builds in memory a forest shaped like the NHS commissioning hierarchy
 * (national root > region > STP > CCG > PCN > practice, with the level sizes
 * of shared/data/gp-practice-hierarchy-2022-01.csv: 7 regions, 42 STPs, 106
 * CCGs, 1,255 PCNs, 6,527 practices per copy, replicated as separate roots
 * until the requested number of organisations), users with about three grants
 * each (roles, payment types, clusters), study profiles, studies and user
 * access lists. Then prints the build time, the peak RSS, and for organisation
 * checks (plain, with a payment type, explained) and study checks (plain,
 * explained): checks per second over a tight loop, and p50/p99 nanoseconds
 * per check, timed two ways: each check alone between two clock_gettime()
 * calls (includes the timer's own cost, printed), and batches of 16 checks
 * (the batch time / 16: the timer's cost is amortised; the headline figure).
 *
 * Organisation checks are also timed with users drawn from 1,024 users only
 * ("hot": their records stay in the cache, as in one console session).
 *
 * Usage: bench_engine [organisations [users [checks [seed]]]]
 *        defaults 100000 1000000 1000000 1
 * Built by meson, never run by the tests.
 */
#include <accessdesk/engine.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define BATCH 16

/* ---- small helpers ------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static int rng_below(int n)
{
	return n <= 0 ? 0 : (int)(rng_next() % (uint64_t)n);
}

static bool rng_pct(int percent)
{
	return rng_below(100) < percent;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double seconds_since(uint64_t t0)
{
	return (double)(now_ns() - t0) / 1e9;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss; /* KiB on Linux */
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "bench_engine: out of memory\n");
		exit(1);
	}
	return p;
}

static void must(enum engine_err e, const char *what)
{
	if (e != ENGINE_OK) {
		fprintf(stderr, "bench_engine: %s: %s\n", what,
		        engine_strerror(e));
		exit(1);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* ---- the world ---------------------------------------------------------- */

enum level { L_ROOT, L_REGION, L_STP, L_CCG, L_PCN, L_PRACTICE, L_COUNT };

static const char *const level_names[L_COUNT] = {
    "national", "region", "STP", "CCG", "PCN", "practice",
};
/* Organisations per level in one copy of the 2022 hierarchy. */
static const int level_size[L_COUNT] = {1, 7, 42, 106, 1255, 6527};

struct shape {
	int n_orgs;
	int *parent;
	unsigned char *level;
	int *by_level[L_COUNT]; /* org ids of each level */
	int n_by_level[L_COUNT];
	int *child_first, *child_list; /* children, compressed */
	int *sites;
	int n_sites;
	int *owned_cluster_first, *owned_clusters; /* clusters per owner */
};

struct roles {
	int practice_manager; /* organisation reach */
	int declarer;         /* achievement.* over a subtree */
	int auditor;
	int study_nurse; /* study roles */
	int monitor;
};

static int add_role(struct engine_world *w, const char *name,
                    enum engine_domain d, enum engine_reach reach,
                    engine_actions acts)
{
	int id = -1;
	must(engine_role_add(w, name, d, reach, acts, &id), "engine_role_add");
	return id;
}

static void build_roles(struct engine_world *w, struct roles *r)
{
	r->practice_manager = add_role(
	    w, "Practice Manager", DOMAIN_ORGANISATION, REACH_ORGANISATION,
	    ENGINE_ACT(ACT_ORG_VIEW) | ENGINE_ACT(ACT_USERS_VIEW) |
	        ENGINE_ACT(ACT_USERS_MANAGE) | ENGINE_ACT(ACT_REPORTS_RUN) |
	        ENGINE_ACT(ACT_ACHIEVEMENT_VIEW) |
	        ENGINE_ACT(ACT_ACHIEVEMENT_DECLARE));
	r->declarer = add_role(
	    w, "Achievement Declarer", DOMAIN_ORGANISATION, REACH_SUBTREE,
	    ENGINE_ACT(ACT_ORG_VIEW) | ENGINE_ACT(ACT_ACHIEVEMENT_VIEW) |
	        ENGINE_ACT(ACT_ACHIEVEMENT_DECLARE));
	r->auditor =
	    add_role(w, "Auditor", DOMAIN_ORGANISATION, REACH_SUBTREE,
	             ENGINE_ACT(ACT_ORG_VIEW) | ENGINE_ACT(ACT_AUDIT_VIEW) |
	                 ENGINE_ACT(ACT_REPORTS_RUN));
	r->study_nurse =
	    add_role(w, "Study Nurse", DOMAIN_STUDY, REACH_SUBTREE,
	             ENGINE_ACT(ACT_STUDY_VIEW) | ENGINE_ACT(ACT_SUBJECT_VIEW) |
	                 ENGINE_ACT(ACT_DATA_ENTRY) |
	                 ENGINE_ACT(ACT_SCREENING_SCHEDULE));
	r->monitor =
	    add_role(w, "Monitor", DOMAIN_STUDY, REACH_SUBTREE,
	             ENGINE_ACT(ACT_STUDY_VIEW) | ENGINE_ACT(ACT_DATA_REVIEW));
}

/* The forest: copies of the hierarchy, each level's organisations spread at
 * random over the level above (as uneven as the real fan-outs). */
static void build_tree(struct engine_world *w, struct shape *sh, int n_orgs)
{
	sh->n_orgs = n_orgs;
	sh->parent = xcalloc((size_t)n_orgs, sizeof(int));
	sh->level = xcalloc((size_t)n_orgs, 1);
	for (int l = 0; l < L_COUNT; l++)
		sh->by_level[l] = xcalloc((size_t)n_orgs, sizeof(int));
	sh->sites = xcalloc((size_t)n_orgs, sizeof(int));

	int id = 0;
	while (id < n_orgs) {
		int first_of[L_COUNT], count_of[L_COUNT];
		for (int l = 0; l < L_COUNT && id < n_orgs; l++) {
			first_of[l] = id;
			count_of[l] = 0;
			for (int i = 0; i < level_size[l] && id < n_orgs;
			     i++, id++) {
				bool site = l == L_PRACTICE && rng_pct(30);
				char code[16];
				snprintf(code, sizeof code, "%c%07d",
				         "NRSCPG"[l], id);
				int eid;
				must(engine_org_add(w, code, code, site, &eid),
				     "engine_org_add");
				sh->parent[id] =
				    l == 0 ? -1
				           : first_of[l - 1] +
				                 rng_below(count_of[l - 1]);
				sh->level[id] = (unsigned char)l;
				sh->by_level[l][sh->n_by_level[l]++] = id;
				if (site)
					sh->sites[sh->n_sites++] = id;
				count_of[l]++;
			}
		}
	}
	for (int x = 0; x < n_orgs; x++)
		must(engine_org_set_parent(w, x, sh->parent[x]),
		     "engine_org_set_parent");
	must(engine_world_index(w, NULL), "engine_world_index");

	/* children lists, for picking descendants */
	sh->child_first = xcalloc((size_t)n_orgs + 1, sizeof(int));
	sh->child_list = xcalloc((size_t)n_orgs, sizeof(int));
	for (int x = 0; x < n_orgs; x++)
		if (sh->parent[x] >= 0)
			sh->child_first[sh->parent[x] + 1]++;
	for (int x = 0; x < n_orgs; x++)
		sh->child_first[x + 1] += sh->child_first[x];
	int *fill = xcalloc((size_t)n_orgs, sizeof(int));
	for (int x = 0; x < n_orgs; x++)
		if (sh->parent[x] >= 0) {
			int p = sh->parent[x];
			sh->child_list[sh->child_first[p] + fill[p]++] = x;
		}
	free(fill);
}

/* A random descendant of x (x itself included), walking down. */
static int random_descendant(const struct shape *sh, int x)
{
	for (;;) {
		int n = sh->child_first[x + 1] - sh->child_first[x];
		if (n == 0 || rng_pct(35))
			return x;
		x = sh->child_list[sh->child_first[x] + rng_below(n)];
	}
}

/* Clusters: about one per CCG, owned by the CCG, members a few of its PCNs
 * or practices. */
static int build_clusters(struct engine_world *w, struct shape *sh)
{
	int n_ccg = sh->n_by_level[L_CCG];
	int n = 0;
	sh->owned_cluster_first = xcalloc((size_t)sh->n_orgs + 1, sizeof(int));
	sh->owned_clusters = xcalloc((size_t)n_ccg * 2 + 1, sizeof(int));
	int *owner_of = xcalloc((size_t)n_ccg * 2 + 1, sizeof(int));
	for (int i = 0; i < n_ccg; i++) {
		int ccg = sh->by_level[L_CCG][i];
		int k = rng_below(3); /* 0, 1 or 2 clusters */
		for (int c = 0; c < k; c++) {
			int members[8], n_members = 0;
			int want = 1 + rng_below(8);
			for (int t = 0; t < 3 * want && n_members < want; t++) {
				int m = random_descendant(sh, ccg);
				bool dup = m == ccg;
				for (int j = 0; j < n_members; j++)
					dup |= members[j] == m;
				if (!dup)
					members[n_members++] = m;
			}
			char sn[16];
			snprintf(sn, sizeof sn, "%010X", (unsigned)n);
			must(engine_cluster_add(w, sn, sn, ccg, members,
			                        n_members, NULL),
			     "engine_cluster_add");
			owner_of[n++] = ccg;
		}
	}
	/* owner -> clusters, compressed */
	for (int c = 0; c < n; c++)
		sh->owned_cluster_first[owner_of[c] + 1]++;
	for (int x = 0; x < sh->n_orgs; x++)
		sh->owned_cluster_first[x + 1] += sh->owned_cluster_first[x];
	int *fill = xcalloc((size_t)sh->n_orgs, sizeof(int));
	for (int c = 0; c < n; c++) {
		int o = owner_of[c];
		sh->owned_clusters[sh->owned_cluster_first[o] + fill[o]++] = c;
	}
	free(fill);
	free(owner_of);
	return n;
}

struct counts {
	long grants, with_clusters, with_payments, profiles, entries;
};

/* One grant: where the user works decides the roles. */
static void add_grant(struct engine_world *w, const struct shape *sh,
                      const struct roles *r, int user, struct counts *cn)
{
	int k = rng_below(1000);
	enum level l = k < 700   ? L_PRACTICE
	               : k < 850 ? L_PCN
	               : k < 950 ? L_CCG
	               : k < 990 ? L_STP
	               : k < 998 ? L_REGION
	                         : L_ROOT;
	int org = sh->by_level[l][rng_below(sh->n_by_level[l])];
	int roles[4], n_roles = 0;
	if (l == L_PRACTICE) {
		roles[n_roles++] =
		    rng_pct(60) ? ROLE_VIEW : r->practice_manager;
		if (rng_pct(20))
			roles[n_roles++] = ROLE_USER_ADMINISTRATOR;
	} else if (l == L_ROOT && rng_pct(20)) {
		roles[n_roles++] = ROLE_SYSTEM_ADMINISTRATOR;
	} else {
		roles[n_roles++] = ROLE_VIEW;
		if (rng_pct(30))
			roles[n_roles++] = r->declarer;
		if (rng_pct(10))
			roles[n_roles++] = ROLE_ADVANCED_USER_ADMINISTRATOR;
		if (rng_pct(5))
			roles[n_roles++] = r->auditor;
	}
	engine_payments pays =
	    rng_pct(50) ? 0 : (engine_payments)(1 + rng_below(63));
	int clusters[2], n_clusters = 0;
	int first = sh->owned_cluster_first[org];
	int n_owned = sh->owned_cluster_first[org + 1] - first;
	if (n_owned && rng_pct(40)) {
		clusters[n_clusters++] = sh->owned_clusters[first];
		if (n_owned > 1 && rng_pct(30))
			clusters[n_clusters++] = sh->owned_clusters[first + 1];
	}
	enum engine_err e = engine_grant_add(w, user, org, roles, n_roles, pays,
	                                     clusters, n_clusters, NULL);
	if (e == ENGINE_EDUP_GRANT)
		return; /* already has one there: fewer grants, fine */
	must(e, "engine_grant_add");
	cn->grants++;
	cn->with_clusters += n_clusters > 0;
	cn->with_payments += pays != 0;
}

static void build_users(struct engine_world *w, const struct shape *sh,
                        const struct roles *r, int n_users, int n_studies,
                        struct counts *cn)
{
	int study_roles[] = {ROLE_STUDY_COORDINATOR,  ROLE_INVESTIGATOR,
	                     ROLE_DATA_MANAGER,       ROLE_RECRUITER,
	                     r->study_nurse,          r->monitor,
	                     ROLE_STUDY_ADMINISTRATOR};
	int n_study_roles = (int)(sizeof study_roles / sizeof study_roles[0]);
	for (int u = 0; u < n_users; u++) {
		char login[16];
		snprintf(login, sizeof login, "u%07d", u);
		int id;
		must(engine_user_add(w, login, "First", "Last", rng_pct(97),
		                     &id),
		     "engine_user_add");
		int n_grants = 1 + rng_below(5); /* mean 3 */
		for (int i = 0; i < n_grants; i++)
			add_grant(w, sh, r, id, cn);
		if (!rng_pct(20))
			continue;
		/* a study profile */
		int roles[2], n_roles = 1;
		roles[0] = study_roles[rng_below(n_study_roles - 1)];
		if (rng_pct(2))
			roles[n_roles++] = ROLE_STUDY_ADMINISTRATOR;
		struct engine_site_restriction sites[2];
		int n_sites = 0;
		if (sh->n_sites && rng_pct(25)) {
			sites[n_sites++] = (struct engine_site_restriction){
			    .site = sh->sites[rng_below(sh->n_sites)],
			    .recruitment_only = rng_pct(20)};
		}
		int studies[2], n_st = 0;
		if (n_studies && rng_pct(10))
			studies[n_st++] = rng_below(n_studies);
		must(engine_user_set_profile(w, id, roles, n_roles, sites,
		                             n_sites, studies, n_st),
		     "engine_user_set_profile");
		cn->profiles++;
	}
}

static void build_studies(struct engine_world *w, const struct shape *sh,
                          int n_studies)
{
	for (int s = 0; s < n_studies; s++) {
		char code[16];
		snprintf(code, sizeof code, "ST%06d", s);
		must(engine_study_add(w, code, code,
		                      sh->sites[rng_below(sh->n_sites)], NULL),
		     "engine_study_add");
	}
}

static void build_entries(struct engine_world *w, int n_studies, int n_users,
                          struct counts *cn)
{
	for (int s = 0; s < n_studies; s++) {
		if (!rng_pct(20))
			continue;
		int k = 5 + rng_below(46);
		for (int i = 0; i < k; i++) {
			int role = rng_pct(50) ? -1 : ROLE_INVESTIGATOR;
			if (engine_entry_add(w, s, rng_below(n_users), role) ==
			    ENGINE_OK)
				cn->entries++;
		}
	}
}

/* ---- the questions and their timing ------------------------------------ */

enum kind {
	K_ORG,
	K_ORG_HOT,
	K_ORG_PAYMENT,
	K_ORG_EXPLAINED,
	K_STUDY,
	K_STUDY_EXPLAINED
};

/* K_ORG_HOT: the users asked about are HOT_USERS users only (as in one
 * console session, where the operator is the same user for every check), so
 * their records stay in the cache; every other kind draws users uniformly
 * from all users, so nearly every check starts with cache misses. */
#define HOT_USERS 1024

static const char *const kind_names[] = {
    [K_ORG] = "org check, plain",
    [K_ORG_HOT] = "org check, plain, hot users",
    [K_ORG_PAYMENT] = "org check, payment type",
    [K_ORG_EXPLAINED] = "org check, explained",
    [K_STUDY] = "study check, plain",
    [K_STUDY_EXPLAINED] = "study check, explained",
};

struct question {
	int user, action, target, payment;
};

/* Half the organisation questions land near one of the user's grants, so
 * that allows and the interesting denials are both common. */
static void make_questions(const struct engine_world *w, const struct shape *sh,
                           enum kind k, struct question *q, int n)
{
	int n_users = engine_n_users(w), n_studies = engine_n_studies(w);
	for (int i = 0; i < n; i++) {
		q[i].user = rng_below(n_users);
		if (k == K_ORG_HOT)
			q[i].user = (int)((uint64_t)rng_below(HOT_USERS) *
			                  2654435761u % (uint64_t)n_users);
		q[i].payment = -1;
		if (k == K_STUDY || k == K_STUDY_EXPLAINED) {
			q[i].action = ACT_STUDY_VIEW +
			              rng_below(ACT_COUNT - ACT_STUDY_VIEW);
			q[i].target = rng_below(n_studies);
			continue;
		}
		if (k == K_ORG_PAYMENT) {
			q[i].action = rng_pct(50) ? ACT_ACHIEVEMENT_VIEW
			                          : ACT_ACHIEVEMENT_DECLARE;
			q[i].payment = rng_below(PAY_COUNT);
		} else {
			q[i].action = rng_below(ACT_STUDY_VIEW);
		}
		const struct engine_user *u = engine_user(w, q[i].user);
		if (u->n_grants && rng_pct(50)) {
			const struct engine_grant *g =
			    engine_grant(w, u->grants[rng_below(u->n_grants)]);
			q[i].target = random_descendant(sh, g->org);
		} else {
			q[i].target = rng_below(sh->n_orgs);
		}
	}
}

static inline bool ask(const struct engine_world *w, enum kind k,
                       const struct question *q, struct engine_explain *ex)
{
	bool allow = false;
	if (k == K_STUDY || k == K_STUDY_EXPLAINED) {
		if (ex)
			engine_explain_reset(ex);
		engine_check_study(w, q->user, q->action, q->target, ex,
		                   &allow);
	} else {
		if (ex)
			engine_explain_reset(ex);
		engine_check_org(w, q->user, q->action, q->target, q->payment,
		                 ex, &allow);
	}
	return allow;
}

static volatile unsigned long sink;

static void bench_kind(const struct engine_world *w, const struct shape *sh,
                       enum kind k, int n, uint64_t timer_ns)
{
	struct question *q = xcalloc((size_t)n, sizeof *q);
	uint64_t *t = xcalloc((size_t)n, sizeof *t);
	make_questions(w, sh, k, q, n);
	struct engine_explain ex;
	engine_explain_init(&ex);
	struct engine_explain *x =
	    k == K_ORG_EXPLAINED || k == K_STUDY_EXPLAINED ? &ex : NULL;

	/* warm-up, and the allow rate */
	unsigned long allows = 0;
	for (int i = 0; i < n; i++)
		allows += ask(w, k, &q[i], x);

	/* throughput: one tight loop */
	uint64_t t0 = now_ns();
	unsigned long s = 0;
	for (int i = 0; i < n; i++)
		s += ask(w, k, &q[i], x);
	double rate = (double)n / ((double)(now_ns() - t0) / 1e9);
	sink += s;

	/* each check alone */
	for (int i = 0; i < n; i++) {
		uint64_t a = now_ns();
		s += ask(w, k, &q[i], x);
		t[i] = now_ns() - a;
	}
	qsort(t, (size_t)n, sizeof *t, cmp_u64);
	uint64_t p50 = t[n / 2], p99 = t[(size_t)n * 99 / 100];

	/* batches of BATCH checks */
	int nb = n / BATCH;
	for (int b = 0; b < nb; b++) {
		uint64_t a = now_ns();
		for (int i = b * BATCH; i < (b + 1) * BATCH; i++)
			s += ask(w, k, &q[i], x);
		t[b] = now_ns() - a;
	}
	qsort(t, (size_t)nb, sizeof *t, cmp_u64);
	double b50 = nb ? (double)t[nb / 2] / BATCH : 0;
	double b99 = nb ? (double)t[(size_t)nb * 99 / 100] / BATCH : 0;
	sink += s;

	printf("%-28s %6.2f M checks/s  batch-of-%d p50 %6.1f ns  p99 %7.1f "
	       "ns  | single p50 %5" PRIu64 " ns  p99 %6" PRIu64
	       " ns (incl. ~%" PRIu64 " ns timer)  allow %4.1f%%\n",
	       kind_names[k], rate / 1e6, BATCH, b50, b99, p50, p99, timer_ns,
	       100.0 * (double)allows / n);
	engine_explain_free(&ex);
	free(q);
	free(t);
}

/* The cost of one clock_gettime() pair, p50. */
static uint64_t timer_overhead(void)
{
	enum { N = 100000 };
	static uint64_t t[N];
	for (int i = 0; i < N; i++) {
		uint64_t a = now_ns();
		t[i] = now_ns() - a;
	}
	qsort(t, N, sizeof t[0], cmp_u64);
	return t[N / 2];
}

int main(int argc, char **argv)
{
	int n_orgs = argc > 1 ? atoi(argv[1]) : 100000;
	int n_users = argc > 2 ? atoi(argv[2]) : 1000000;
	int n_checks = argc > 3 ? atoi(argv[3]) : 1000000;
	rng_state = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
	if (n_orgs < L_COUNT || n_users < 1 || n_checks < BATCH) {
		fprintf(stderr,
		        "usage: bench_engine [organisations (>= %d) "
		        "[users [checks (>= %d) [seed]]]]\n",
		        L_COUNT, BATCH);
		return 2;
	}
	int n_studies = n_orgs / 20 > 0 ? n_orgs / 20 : 1;

	struct engine_world *w = engine_world_new();
	if (!w) {
		fprintf(stderr, "bench_engine: engine_world_new failed\n");
		return 1;
	}
	struct shape sh = {0};
	struct roles roles;
	struct counts cn = {0};

	uint64_t t_all = now_ns(), t0 = now_ns();
	build_roles(w, &roles);
	build_tree(w, &sh, n_orgs);
	double t_tree = seconds_since(t0);
	t0 = now_ns();
	int n_clusters = build_clusters(w, &sh);
	double t_clusters = seconds_since(t0);
	t0 = now_ns();
	build_studies(w, &sh, n_studies);
	build_users(w, &sh, &roles, n_users, n_studies, &cn);
	double t_users = seconds_since(t0);
	t0 = now_ns();
	build_entries(w, n_studies, n_users, &cn);
	double t_entries = seconds_since(t0);
	if (!engine_world_indexed(w))
		must(engine_world_index(w, NULL), "engine_world_index");
	double t_build = seconds_since(t_all);

	printf("world: %d organisations (%d roots;", n_orgs,
	       sh.n_by_level[L_ROOT]);
	for (int l = L_REGION; l < L_COUNT; l++)
		printf(" %d %s%s", sh.n_by_level[l], level_names[l],
		       l == L_COUNT - 1 ? "s" : "s,");
	printf("; %d sites), %d clusters, %d studies\n", sh.n_sites, n_clusters,
	       n_studies);
	printf("       %d users, %ld grants (%ld with clusters, %ld with "
	       "payment types), %ld study profiles, %ld user access "
	       "entries\n",
	       n_users, cn.grants, cn.with_clusters, cn.with_payments,
	       cn.profiles, cn.entries);
	printf("build: %.2f s (tree and index %.2f s, clusters %.2f s, "
	       "users, grants and profiles %.2f s, entries %.2f s)\n",
	       t_build, t_tree, t_clusters, t_users, t_entries);
	printf("peak RSS after build: %.1f MiB\n", peak_rss_kib() / 1024.0);

	uint64_t timer_ns = timer_overhead();
	printf("timing: %d checks per kind; clock_gettime(CLOCK_MONOTONIC) "
	       "pair costs ~%" PRIu64 " ns (p50), so the batch-of-%d figures "
	       "are the per-check cost\n",
	       n_checks, timer_ns, BATCH);
	for (int k = K_ORG; k <= K_STUDY_EXPLAINED; k++)
		bench_kind(w, &sh, (enum kind)k, n_checks, timer_ns);
	printf("peak RSS at end: %.1f MiB\n", peak_rss_kib() / 1024.0);

	engine_world_free(w);
	free(sh.parent);
	free(sh.level);
	for (int l = 0; l < L_COUNT; l++)
		free(sh.by_level[l]);
	free(sh.sites);
	free(sh.child_first);
	free(sh.child_list);
	free(sh.owned_cluster_first);
	free(sh.owned_clusters);
	return 0;
}
