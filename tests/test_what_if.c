/* test_what_if.c: engine_cluster_what_if (engine_reach.h) against the
 * decision's own reach test.
 *
 * (a) Random worlds from a seed (forests with deep chains and wide fans,
 * organisations created out of tree order, clusters with members anywhere
 * strictly below their owner or none, users with 0-4 grants, some selecting
 * 1-3 clusters of the grant's organisation). A cluster and a new member set
 * are drawn (sometimes none, sometimes with duplicates, sometimes the same
 * members); the what-if is asked of the world with the users' grants as
 * the world holds them. A second world is then built the same but for that
 * cluster's members, and for every user and every organisation: gained iff
 * some grant reaches it after (engine_grant_reaches on the second world)
 * and none before (on the first), lost the other way round; likewise every
 * count and total, and the runs must be in preorder, disjoint and never
 * adjacent. A disagreement prints the seed, the world, the user and the
 * organisation, and fails. On 40 of the worlds, and on the seed, every
 * allocation of the what-if fails in turn (the linker wraps malloc,
 * calloc, realloc and free: see tests/meson.build): ENGINE_ENOMEM, out
 * empty, nothing left allocated.
 * (b) The seed's clusters by hand with known answers, and the error
 * returns.
 * (c) A timing at national scale (a TAP comment, not an assertion), where
 * gains minus losses must also match engine_specs_reach after minus
 * before on a sample of users.
 *
 * Seed: $WHATIF_SEED, else time-based; always printed. $WHATIF_WORLDS
 * changes the number of random worlds. Output: TAP.
 */
#include "rng.h"
#include <accessdesk/engine_reach.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ORGS     160
#define MAX_CLUSTERS 16
#define MAX_MEMBERS  6
#define MAX_USERS    40
#define MAX_GRANTS   4 /* per user */
#define MAX_SELECTED 3 /* clusters per grant */
#define MAX_REPORTED 8

/* ---- TAP ---------------------------------------------------------------- */

static int n_tests, n_failed;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static bool
ok(bool cond, const char *fmt, ...);

static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s %d - ", cond ? "ok" : "not ok", ++n_tests);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	n_failed += !cond;
	return cond;
}

/* ---- allocation failures: the linker sends the engine's (and this
 * file's) malloc, calloc, realloc and free here ------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static long fail_at = -1; /* the allocation to fail (0 the next), -1 none */
static long n_allocs;     /* allocations asked for */
static long live;         /* blocks allocated and not yet freed */

static bool failing(void)
{
	n_allocs++;
	return fail_at >= 0 && fail_at-- == 0;
}

void *__wrap_malloc(size_t n)
{
	void *p = failing() ? NULL : __real_malloc(n);
	live += p != NULL;
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	void *p = failing() ? NULL : __real_calloc(n, size);
	live += p != NULL;
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	if (failing())
		return NULL;
	void *q = __real_realloc(p, n);
	live += p == NULL && q != NULL;
	return q;
}

void __wrap_free(void *p)
{
	live -= p != NULL;
	__real_free(p);
}

/* ---- a random world, as a record both worlds are built from ----------- */

struct r_grant {
	int org;
	int clusters[MAX_SELECTED];
	int n_clusters;
};

struct rec {
	int n_orgs;
	int parent[MAX_ORGS];
	int n_clusters;
	int owner[MAX_CLUSTERS];
	int members[MAX_CLUSTERS][MAX_MEMBERS];
	int n_members[MAX_CLUSTERS];
	int n_users;
	struct r_grant grants[MAX_USERS][MAX_GRANTS];
	int n_grants[MAX_USERS];
	bool disabled[MAX_USERS]; /* reaches nothing: no what-if of its own */
	/* the question: cluster `target` with members `after` */
	int target;
	int after[2 * MAX_MEMBERS];
	int n_after;
};

static bool strictly_below(const struct rec *r, int x, int y)
{
	for (int p = r->parent[x]; p != -1; p = r->parent[p])
		if (p == y)
			return true;
	return false;
}

static bool has_below(const struct rec *r, int y)
{
	for (int x = 0; x < r->n_orgs; x++)
		if (r->parent[x] == y)
			return true;
	return false;
}

/* The organisations strictly below y. */
static int below(const struct rec *r, int y, int *out)
{
	int n = 0;
	for (int x = 0; x < r->n_orgs; x++)
		if (strictly_below(r, x, y))
			out[n++] = x;
	return n;
}

/* Positions where a parent comes before its child (chains, a fan, the
 * rest anywhere), then shuffled ids: parents are often created after
 * their children. */
static void gen_tree(struct rng *g, struct rec *r)
{
	int n_roots = rng_range(g, 1, 3);
	int k = rng_below(g, 100);
	int chain = k < 20 ? rng_range(g, 40, 80) : rng_range(g, 0, 12);
	int wide = rng_pct(g, 50) ? rng_range(g, 10, 40) : rng_range(g, 0, 4);
	int n = n_roots + chain + wide + rng_range(g, 0, 60);
	if (n > MAX_ORGS)
		n = MAX_ORGS;
	int ppos[MAX_ORGS], p = 0;
	for (; p < n_roots && p < n; p++)
		ppos[p] = -1;
	for (int i = 0; i < chain && p < n; i++, p++)
		ppos[p] = i == 0 ? rng_below(g, n_roots) : p - 1;
	int hub = rng_below(g, p);
	for (int i = 0; i < wide && p < n; i++, p++)
		ppos[p] = hub;
	for (; p < n; p++)
		ppos[p] = rng_pct(g, 40) ? p - 1 - rng_below(g, p < 4 ? p : 4)
		                         : rng_below(g, p);
	int id_of[MAX_ORGS];
	for (int i = 0; i < n; i++)
		id_of[i] = i;
	shuffle(g, id_of, n);
	r->n_orgs = n;
	for (int i = 0; i < n; i++)
		r->parent[id_of[i]] = ppos[i] < 0 ? -1 : id_of[ppos[i]];
}

static void gen_clusters(struct rng *g, struct rec *r)
{
	r->n_clusters = rng_range(g, 1, MAX_CLUSTERS);
	for (int c = 0; c < r->n_clusters; c++) {
		/* owners shared by several clusters, so grants select more
		 * than one */
		int owner = c > 0 && rng_pct(g, 40) ? r->owner[rng_below(g, c)]
		                                    : rng_below(g, r->n_orgs);
		/* mostly an organisation with something below it */
		bool want_below = rng_pct(g, 85);
		for (int i = 0; want_below && i < 8 && !has_below(r, owner);
		     i++)
			owner = rng_below(g, r->n_orgs);
		int cand[MAX_ORGS];
		int n_cand = below(r, owner, cand);
		shuffle(g, cand, n_cand);
		int n = rng_pct(g, 15) ? 0 : rng_range(g, 1, MAX_MEMBERS);
		r->owner[c] = owner;
		r->n_members[c] = n < n_cand ? n : n_cand;
		memcpy(r->members[c], cand, sizeof(int) * r->n_members[c]);
	}
}

static void gen_users(struct rng *g, struct rec *r)
{
	r->target = rng_below(g, r->n_clusters);
	/* mostly a cluster whose members can change */
	bool movable = rng_pct(g, 80);
	for (int i = 0; movable && i < r->n_clusters; i++) {
		int c = (r->target + i) % r->n_clusters;
		if (has_below(r, r->owner[c])) {
			r->target = c;
			break;
		}
	}
	r->n_users = rng_range(g, 1, MAX_USERS);
	for (int u = 0; u < r->n_users; u++) {
		int n = rng_range(g, 0, MAX_GRANTS), orgs[MAX_GRANTS];
		r->n_grants[u] = 0;
		r->disabled[u] = rng_pct(g, 15);
		for (int i = 0; i < n; i++) {
			/* often at the target's owner, or another owner */
			int k = rng_below(g, 100);
			int org = k < 40 ? r->owner[r->target]
			          : k < 65
			              ? r->owner[rng_below(g, r->n_clusters)]
			              : rng_below(g, r->n_orgs);
			if (contains(orgs, r->n_grants[u], org))
				continue; /* one grant per organisation */
			struct r_grant *gr = &r->grants[u][r->n_grants[u]];
			orgs[r->n_grants[u]++] = org;
			gr->org = org;
			gr->n_clusters = 0;
			if (rng_pct(g, 25))
				continue; /* no cluster: the whole subtree */
			int owned[MAX_CLUSTERS], n_owned = 0;
			for (int c = 0; c < r->n_clusters; c++)
				if (r->owner[c] == org)
					owned[n_owned++] = c;
			shuffle(g, owned, n_owned);
			/* the target among them, mostly */
			bool first = rng_pct(g, 70);
			for (int c = 1; first && c < n_owned; c++)
				if (owned[c] == r->target) {
					owned[c] = owned[0];
					owned[0] = r->target;
				}
			int want = rng_range(g, 1, MAX_SELECTED);
			gr->n_clusters = want < n_owned ? want : n_owned;
			memcpy(gr->clusters, owned,
			       sizeof(int) * gr->n_clusters);
		}
	}
}

/* The new members of the target: none, the same ones (shuffled, maybe
 * twice), or others below the owner, with duplicates now and then. */
static void gen_after(struct rng *g, struct rec *r)
{
	int t = r->target, k = rng_below(g, 100);
	int cand[MAX_ORGS];
	int n_cand = below(r, r->owner[t], cand);
	r->n_after = 0;
	if (k < 15 || n_cand == 0)
		return;
	if (k < 30) {
		memcpy(r->after, r->members[t], sizeof(int) * r->n_members[t]);
		r->n_after = r->n_members[t];
	} else {
		int n = rng_range(g, 1, MAX_MEMBERS);
		for (int i = 0; i < n; i++) {
			/* keep some of the old members */
			bool keep = r->n_members[t] > 0 && rng_pct(g, 30);
			r->after[r->n_after++] =
			    keep ? r->members[t][rng_below(g, r->n_members[t])]
			         : cand[rng_below(g, n_cand)];
		}
	}
	if (r->n_after > 0 && rng_pct(g, 25)) {
		int twice = r->after[rng_below(g, r->n_after)];
		r->after[r->n_after++] = twice;
	}
	shuffle(g, r->after, r->n_after);
}

/* The world of the record; with_after: the target's members are `after`
 * (without duplicates: the engine refuses them). NULL on a refusal. */
static struct engine_world *build(const struct rec *r, bool with_after)
{
	struct engine_world *w = engine_world_new();
	bool good = w != NULL;
	char key[32];
	for (int o = 0; good && o < r->n_orgs; o++) {
		snprintf(key, sizeof key, "O%d", o);
		good = engine_org_add(w, key, key, false, NULL) == ENGINE_OK;
	}
	for (int o = 0; good && o < r->n_orgs; o++)
		good = engine_org_set_parent(w, o, r->parent[o]) == ENGINE_OK;
	good = good && engine_world_index(w, NULL) == ENGINE_OK;
	for (int c = 0; good && c < r->n_clusters; c++) {
		int m[2 * MAX_MEMBERS], n = 0;
		const int *from = r->members[c];
		int n_from = r->n_members[c];
		if (with_after && c == r->target) {
			from = r->after;
			n_from = r->n_after;
		}
		for (int i = 0; i < n_from; i++)
			if (!contains(m, n, from[i]))
				m[n++] = from[i];
		snprintf(key, sizeof key, "%010X", (unsigned)c);
		good = engine_cluster_add(w, key, key, r->owner[c], m, n,
		                          NULL) == ENGINE_OK;
	}
	int role = ROLE_VIEW;
	for (int u = 0; good && u < r->n_users; u++) {
		snprintf(key, sizeof key, "u%d", u);
		int id = -1;
		good = engine_user_add(w, key, "F", key, !r->disabled[u],
		                       &id) == ENGINE_OK;
		for (int i = 0; good && i < r->n_grants[u]; i++) {
			const struct r_grant *gr = &r->grants[u][i];
			good = engine_grant_add(w, id, gr->org, &role, 1, 0,
			                        gr->clusters, gr->n_clusters,
			                        NULL) == ENGINE_OK;
		}
	}
	if (!good) {
		engine_world_free(w);
		return NULL;
	}
	return w;
}

/* The users' grants as the world holds them, as the what-if takes them. */
struct user_specs {
	struct engine_user_grants *users;
	struct engine_grant_spec *specs;
	int n;
};

static bool specs_of(const struct engine_world *w, struct user_specs *s)
{
	s->n = engine_n_users(w);
	s->users = calloc((size_t)s->n + 1, sizeof *s->users);
	s->specs = calloc((size_t)engine_n_grants(w) + 1, sizeof *s->specs);
	if (!s->users || !s->specs)
		return false;
	struct engine_grant_spec *next = s->specs;
	for (int u = 0; u < s->n; u++) {
		const struct engine_user *us = engine_user(w, u);
		s->users[u] = (struct engine_user_grants){next, us->n_grants,
		                                          !us->enabled};
		for (int i = 0; i < us->n_grants; i++) {
			const struct engine_grant *g =
			    engine_grant(w, us->grants[i]);
			*next++ = (struct engine_grant_spec){
			    .org = g->org,
			    .roles = g->roles,
			    .n_roles = g->n_roles,
			    .payments = g->payments,
			    .clusters = g->clusters,
			    .n_clusters = g->n_clusters,
			};
		}
	}
	return true;
}

static void specs_free(struct user_specs *s)
{
	free(s->users);
	free(s->specs);
}

/* What a failure leaves in out: nothing. */
static bool empty(const struct engine_what_if *wi)
{
	return !wi->users && !wi->n && !wi->affected && !wi->users_gaining &&
	       !wi->users_losing && !wi->orgs_gained && !wi->orgs_lost &&
	       !wi->grants_emptied;
}

/* Asks the what-if once, then again with each of its allocations failing
 * in turn: ENGINE_ENOMEM, out empty, nothing left allocated every time.
 * Returns how many allocations it makes, -1 when it does not fail so
 * (printed). */
static long fails_cleanly(const struct engine_world *w, int cluster,
                          const int *members, int n_members,
                          const struct engine_user_grants *users, int n_users)
{
	struct engine_what_if wi;
	long before = live;
	n_allocs = 0;
	enum engine_err e = engine_cluster_what_if(
	    w, cluster, members, n_members, users, n_users, &wi);
	long needed = n_allocs;
	engine_what_if_free(&wi);
	if (e != ENGINE_OK || live != before) {
		printf("# what-if: %s, %ld blocks left\n", engine_strerror(e),
		       live - before);
		return -1;
	}
	for (long k = 0; k < needed; k++) {
		wi.n = 99;
		fail_at = k;
		e = engine_cluster_what_if(w, cluster, members, n_members,
		                           users, n_users, &wi);
		fail_at = -1;
		bool clean = e == ENGINE_ENOMEM && empty(&wi) && live == before;
		engine_what_if_free(&wi);
		if (!clean) {
			printf(
			    "# allocation %ld of %ld failing: %s, %ld blocks "
			    "left\n",
			    k + 1, needed, engine_strerror(e), live - before);
			return -1;
		}
	}
	return needed;
}

/* ---- checking one what-if against the worlds -------------------------- */

static uint64_t master_seed;
static long mismatches;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
mismatch(int world, const char *fmt, ...);

static void mismatch(int world, const char *fmt, ...)
{
	if (++mismatches > MAX_REPORTED)
		return;
	va_list ap;
	va_start(ap, fmt);
	printf("# MISMATCH seed %" PRIu64 " world %d: ", master_seed, world);
	vprintf(fmt, ap);
	printf("\n#   reproduce: WHATIF_SEED=%" PRIu64 " ./test_what_if\n",
	       master_seed);
	va_end(ap);
}

/* Runs in preorder, disjoint, never adjacent, within the world: how many
 * organisations they hold, -1 when they are not so. */
static int runs_orgs(const struct engine_pre_run *r, int n, int n_orgs)
{
	int orgs = 0;
	for (int i = 0; i < n; i++) {
		if (r[i].first < 0 || r[i].first > r[i].last ||
		    r[i].last >= n_orgs ||
		    (i > 0 && r[i - 1].last + 1 >= r[i].first))
			return -1;
		orgs += r[i].last - r[i].first + 1;
	}
	return n > 0 || r == NULL ? orgs : -1;
}

static bool in_runs(const struct engine_pre_run *r, int n, int pre)
{
	for (int i = 0; i < n; i++)
		if (pre >= r[i].first && pre <= r[i].last)
			return true;
	return false;
}

/* Does some grant of user u reach org in w? */
static bool user_reaches(const struct engine_world *w, int u, int org)
{
	const struct engine_user *us = engine_user(w, u);
	for (int i = 0; i < us->n_grants; i++)
		if (engine_grant_reaches(w, us->grants[i], org))
			return true;
	return false;
}

static bool user_selects(const struct rec *r, int u)
{
	for (int i = 0; i < r->n_grants[u]; i++)
		if (contains(r->grants[u][i].clusters,
		             r->grants[u][i].n_clusters, r->target))
			return true;
	return false;
}

static void check_world(int world, const struct rec *r,
                        const struct engine_world *w0,
                        const struct engine_world *w1,
                        const struct engine_what_if *wi)
{
	bool any_gained[MAX_ORGS] = {0}, any_lost[MAX_ORGS] = {0};
	int affected = 0, gaining = 0, losing = 0, next = 0;
	for (int u = 0; u < r->n_users; u++) {
		const struct engine_reach_delta *d = NULL;
		if (next < wi->n && wi->users[next].user == u)
			d = &wi->users[next++];
		if (r->disabled[u]) {
			/* a disabled user reaches nothing either way */
			if (d)
				mismatch(world, "disabled user u%d listed", u);
			continue;
		}
		affected += user_selects(r, u);
		int n_gained = 0, n_lost = 0;
		for (int o = 0; o < r->n_orgs; o++) {
			bool before = user_reaches(w0, u, o);
			bool after = user_reaches(w1, u, o);
			int pre = engine_org(w0, o)->pre;
			bool gained = d && in_runs(d->gained, d->n_gained, pre);
			bool lost = d && in_runs(d->lost, d->n_lost, pre);
			if (gained != (after && !before) ||
			    lost != (before && !after))
				mismatch(world,
				         "user u%d org O%d: reached before %d "
				         "after %d, what-if gained %d lost %d",
				         u, o, before, after, gained, lost);
			n_gained += after && !before;
			n_lost += before && !after;
			any_gained[o] |= after && !before;
			any_lost[o] |= before && !after;
		}
		gaining += n_gained > 0;
		losing += n_lost > 0;
		if ((n_gained || n_lost) && !d)
			mismatch(world, "user u%d changes, not in the what-if",
			         u);
		if (!d)
			continue;
		if (!n_gained && !n_lost)
			mismatch(world, "user u%d does not change, listed", u);
		if (runs_orgs(d->gained, d->n_gained, r->n_orgs) != n_gained ||
		    d->orgs_gained != n_gained ||
		    runs_orgs(d->lost, d->n_lost, r->n_orgs) != n_lost ||
		    d->orgs_lost != n_lost)
			mismatch(world,
			         "user u%d: runs or counts wrong (gains %d, "
			         "says %d in %d runs; loses %d, says %d in %d "
			         "runs)",
			         u, n_gained, d->orgs_gained, d->n_gained,
			         n_lost, d->orgs_lost, d->n_lost);
	}
	int orgs_gained = 0, orgs_lost = 0;
	for (int o = 0; o < r->n_orgs; o++) {
		orgs_gained += any_gained[o];
		orgs_lost += any_lost[o];
	}
	/* the selecting grants that reached something and reach nothing */
	int emptied = 0;
	for (int u = 0; u < r->n_users; u++)
		for (int i = 0; i < r->n_grants[u]; i++) {
			if (!contains(r->grants[u][i].clusters,
			              r->grants[u][i].n_clusters, r->target))
				continue;
			int g = engine_user(w0, u)->grants[i];
			bool before = false, after = false;
			for (int o = 0; o < r->n_orgs; o++) {
				before |= engine_grant_reaches(w0, g, o);
				after |= engine_grant_reaches(w1, g, o);
			}
			emptied += before && !after;
		}
	if (wi->grants_emptied != emptied)
		mismatch(world, "grants emptied: what-if %d, worlds %d",
		         wi->grants_emptied, emptied);
	if (next != wi->n)
		mismatch(world, "users listed out of order or twice (%d of %d)",
		         next, wi->n);
	if (wi->affected != affected || wi->users_gaining != gaining ||
	    wi->users_losing != losing || wi->orgs_gained != orgs_gained ||
	    wi->orgs_lost != orgs_lost)
		mismatch(world,
		         "totals: affected %d/%d, gaining %d/%d, losing "
		         "%d/%d, orgs gained %d/%d, lost %d/%d (what-if/"
		         "worlds)",
		         wi->affected, affected, wi->users_gaining, gaining,
		         wi->users_losing, losing, wi->orgs_gained, orgs_gained,
		         wi->orgs_lost, orgs_lost);
}

static long env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	return s && *s ? strtol(s, NULL, 10) : dflt;
}

static void test_random_worlds(void)
{
	long worlds = env_long("WHATIF_WORLDS", 400);
	long changed = 0, unchanged = 0, users_changed = 0, refused = 0;
	long injected = 0; /* worlds asked with each allocation failing */
	struct rec *r = calloc(1, sizeof *r);
	for (long i = 0; r && i < worlds; i++) {
		struct rng g = {master_seed +
		                (uint64_t)i * 0x632be59bd9b4e019u};
		gen_tree(&g, r);
		gen_clusters(&g, r);
		gen_users(&g, r);
		gen_after(&g, r);
		struct engine_world *w0 = build(r, false), *w1 = build(r, true);
		struct user_specs s = {0};
		struct engine_what_if wi = {0};
		enum engine_err e = ENGINE_ENOMEM;
		if (w0 && w1 && specs_of(w0, &s))
			e = engine_cluster_what_if(w0, r->target, r->after,
			                           r->n_after, s.users, s.n,
			                           &wi);
		if (e != ENGINE_OK) {
			refused++;
			mismatch((int)i, "no what-if: %s", engine_strerror(e));
		}
		if (e == ENGINE_OK)
			check_world((int)i, r, w0, w1, &wi);
		/* every allocation failing, on some worlds with a change */
		if (e == ENGINE_OK && wi.n > 0 && injected < 40) {
			injected++;
			if (fails_cleanly(w0, r->target, r->after, r->n_after,
			                  s.users, s.n) < 0)
				mismatch((int)i, "an allocation failure");
		}
		changed += wi.n > 0;
		unchanged += wi.n == 0;
		users_changed += wi.n;
		engine_what_if_free(&wi);
		specs_free(&s);
		engine_world_free(w0);
		engine_world_free(w1);
	}
	bool allocated = r != NULL;
	free(r);
	printf("# %ld worlds: %ld with a change (%ld users), %ld without; "
	       "%ld with every allocation failing in turn\n",
	       worlds, changed, users_changed, unchanged, injected);
	ok(allocated && mismatches == 0 && refused == 0 &&
	       (worlds < 100 || changed > worlds / 4),
	   "random worlds: gained and lost, organisation by organisation, "
	   "agree with engine_grant_reaches on the two worlds (seed %" PRIu64
	   ")",
	   master_seed);
}

/* ---- the seed by hand ------------------------------------------------- */

/*   nhs > lat04 > cgc04 > A01AAA, B01BBB
 *               > man04 > C01CCC
 *       > lat05
 * lat04 owns C61A6DB801 = [A01AAA] and 873CF39E1C = [man04]. */
struct seed {
	struct engine_world *w;
	int nhs, lat04, cgc04, a01, b01, man04, c01, lat05;
	int east, north;
};

static int org(struct engine_world *w, const char *code, int parent)
{
	int id = -1;
	engine_org_add(w, code, code, false, &id);
	if (parent >= 0)
		engine_org_set_parent(w, id, parent);
	return id;
}

static bool seed_build(struct seed *s)
{
	struct engine_world *w = s->w = engine_world_new();
	if (!w)
		return false;
	s->nhs = org(w, "nhs", -1);
	s->lat04 = org(w, "lat04", s->nhs);
	s->cgc04 = org(w, "cgc04", s->lat04);
	s->a01 = org(w, "A01AAA", s->cgc04);
	s->b01 = org(w, "B01BBB", s->cgc04);
	s->man04 = org(w, "man04", s->lat04);
	s->c01 = org(w, "C01CCC", s->man04);
	s->lat05 = org(w, "lat05", s->nhs);
	s->east = s->north = -1;
	return engine_world_index(w, NULL) == ENGINE_OK &&
	       engine_cluster_add(w, "C61A6DB801", "Eastern", s->lat04, &s->a01,
	                          1, &s->east) == ENGINE_OK &&
	       engine_cluster_add(w, "873CF39E1C", "Northern", s->lat04,
	                          &s->man04, 1, &s->north) == ENGINE_OK;
}

static struct engine_pre_run run_of(const struct seed *s, int o)
{
	const struct engine_org *x = engine_org(s->w, o);
	return (struct engine_pre_run){x->pre, x->last};
}

static bool same_runs(const struct engine_pre_run *a, int na,
                      const struct engine_pre_run *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].first != b[i].first || a[i].last != b[i].last)
			return false;
	return true;
}

static void test_seed(void)
{
	struct seed s;
	if (!ok(seed_build(&s), "the seed's world builds")) {
		engine_world_free(s.w);
		return;
	}
	struct engine_what_if wi;
	int east = s.east;
	/* kal738: lat04 selecting east; pat: lat04 selecting east and
	 * north; zed: lat05, no cluster */
	struct engine_grant_spec lat04_east = {
	    .org = s.lat04, .clusters = &east, .n_clusters = 1};
	int both[] = {s.east, s.north};
	struct engine_grant_spec lat04_both = {
	    .org = s.lat04, .clusters = both, .n_clusters = 2};
	struct engine_grant_spec lat05 = {.org = s.lat05};
	struct engine_user_grants users[] = {{&lat04_east, 1, false},
	                                     {&lat05, 1, false},
	                                     {&lat04_both, 1, false}};

	/* no members: A01AAA's subtree is lost by the one grant that
	 * reached it only through east */
	enum engine_err e =
	    engine_cluster_what_if(s.w, s.east, NULL, 0, users, 3, &wi);
	struct engine_pre_run a01 = run_of(&s, s.a01);
	ok(e == ENGINE_OK && wi.n == 2 && wi.affected == 2 &&
	       wi.users[0].user == 0 && wi.users[0].n_gained == 0 &&
	       same_runs(wi.users[0].lost, wi.users[0].n_lost, &a01, 1) &&
	       wi.users[0].orgs_lost == 1 && wi.users[1].user == 2 &&
	       same_runs(wi.users[1].lost, wi.users[1].n_lost, &a01, 1) &&
	       wi.users_gaining == 0 && wi.users_losing == 2 &&
	       wi.orgs_gained == 0 && wi.orgs_lost == 1,
	   "C61A6DB801 = {}: lat04's grants selecting it lose A01AAA (%s)",
	   engine_strerror(e));
	engine_what_if_free(&wi);

	/* {cgc04}: gains cgc04's subtree minus A01AAA: cgc04 and B01BBB,
	 * two runs around A01AAA */
	e = engine_cluster_what_if(s.w, s.east, &s.cgc04, 1, users, 1, &wi);
	struct engine_pre_run gain[] = {run_of(&s, s.cgc04), run_of(&s, s.b01)};
	gain[0].last = gain[0].first;
	ok(e == ENGINE_OK && wi.n == 1 && wi.affected == 1 &&
	       wi.users[0].user == 0 &&
	       same_runs(wi.users[0].gained, wi.users[0].n_gained, gain, 2) &&
	       wi.users[0].orgs_gained == 2 && wi.users[0].n_lost == 0 &&
	       wi.users_gaining == 1 && wi.users_losing == 0 &&
	       wi.orgs_gained == 2 && wi.orgs_lost == 0,
	   "C61A6DB801 = {cgc04}: gains cgc04's subtree minus A01AAA");
	engine_what_if_free(&wi);

	/* {nhs}, which is not below lat04 (the store refuses that on save,
	 * the what-if does not): everything but A01AAA, and pat also keeps
	 * man04's subtree through north */
	e = engine_cluster_what_if(s.w, s.east, &s.nhs, 1, users, 3, &wi);
	struct engine_pre_run all[] = {{0, a01.first - 1},
	                               {a01.last + 1, engine_n_orgs(s.w) - 1}};
	ok(e == ENGINE_OK && wi.n == 2 && wi.users[0].user == 0 &&
	       same_runs(wi.users[0].gained, wi.users[0].n_gained, all, 2) &&
	       wi.users[0].orgs_gained == engine_n_orgs(s.w) - 1 &&
	       wi.users[1].orgs_gained == engine_n_orgs(s.w) - 3 &&
	       wi.orgs_gained == engine_n_orgs(s.w) - 1 && wi.orgs_lost == 0,
	   "C61A6DB801 = {nhs}: every organisation but A01AAA");
	engine_what_if_free(&wi);

	e = engine_cluster_what_if(s.w, s.east, &s.nhs, 1, users + 1, 1, &wi);
	ok(e == ENGINE_OK && empty(&wi),
	   "no user selecting it: nothing changes, nothing affected");
	engine_what_if_free(&wi);

	/* a second grant at cgc04 with no cluster: nothing changes either
	 * way */
	struct engine_grant_spec two[] = {lat04_east, {.org = s.cgc04}};
	struct engine_user_grants covered = {two, 2, false};
	bool same = true;
	e = engine_cluster_what_if(s.w, s.east, NULL, 0, &covered, 1, &wi);
	same &= e == ENGINE_OK && wi.n == 0 && wi.affected == 1;
	engine_what_if_free(&wi);
	e = engine_cluster_what_if(s.w, s.east, &s.cgc04, 1, &covered, 1, &wi);
	same &= e == ENGINE_OK && wi.n == 0 && wi.affected == 1 &&
	        wi.orgs_gained == 0 && wi.orgs_lost == 0;
	engine_what_if_free(&wi);
	ok(same, "with a grant at cgc04 and no cluster, nothing changes");

	/* the same members, twice over: nothing changes */
	int twice[] = {s.a01, s.a01};
	e = engine_cluster_what_if(s.w, s.east, twice, 2, users, 3, &wi);
	ok(e == ENGINE_OK && wi.n == 0 && wi.affected == 2 && wi.orgs_lost == 0,
	   "C61A6DB801 = {A01AAA, A01AAA}: nothing changes, 2 affected");
	engine_what_if_free(&wi);

	/* swapping east's member to man04 for pat, who reaches man04
	 * through north already: loses A01AAA only */
	e = engine_cluster_what_if(s.w, s.east, &s.man04, 1, users + 2, 1, &wi);
	ok(e == ENGINE_OK && wi.n == 1 && wi.users[0].user == 0 &&
	       wi.users[0].n_gained == 0 && wi.orgs_lost == 1,
	   "another cluster of the same grant keeps what it reaches");
	engine_what_if_free(&wi);

	/* engine_grant_reaches on the world's own grants */
	int view = ROLE_VIEW, u = -1, g_east = -1, g_plain = -1;
	bool added =
	    engine_user_add(s.w, "kal738", "K", "L", true, &u) == ENGINE_OK &&
	    engine_grant_add(s.w, u, s.lat04, &view, 1, 0, &east, 1, &g_east) ==
	        ENGINE_OK &&
	    engine_grant_add(s.w, u, s.lat05, &view, 1, 0, NULL, 0, &g_plain) ==
	        ENGINE_OK;
	ok(added && engine_grant_reaches(s.w, g_east, s.a01) &&
	       !engine_grant_reaches(s.w, g_east, s.lat04) &&
	       !engine_grant_reaches(s.w, g_east, s.b01) &&
	       engine_grant_reaches(s.w, g_plain, s.lat05) &&
	       !engine_grant_reaches(s.w, g_plain, s.nhs) &&
	       !engine_grant_reaches(s.w, -1, s.a01) &&
	       !engine_grant_reaches(s.w, g_plain + 1, s.a01) &&
	       !engine_grant_reaches(s.w, g_east, -1) &&
	       !engine_grant_reaches(s.w, g_east, engine_n_orgs(s.w)),
	   "engine_grant_reaches: the grant's reach(g); false out of range");

	/* errors: out is empty */
	int bad_org = engine_n_orgs(s.w), bad_cl = engine_n_clusters(s.w);
	struct engine_grant_spec g_bad_org = {.org = bad_org};
	struct engine_grant_spec g_neg_org = {.org = -1};
	struct engine_grant_spec g_bad_cl[] = {
	    lat04_east, {.org = s.lat04, .clusters = &bad_cl, .n_clusters = 1}};
	struct engine_user_grants bad_users[] = {{&g_bad_org, 1, false},
	                                         {&g_neg_org, 1, false},
	                                         {g_bad_cl, 2, false}};
	int minus_one = -1;
	bool errors = true;
	struct {
		int cluster;
		const int *members;
		int n_members;
		const struct engine_user_grants *users;
		int n_users;
	} cases[] = {
	    {-1, NULL, 0, users, 3},
	    {bad_cl, NULL, 0, users, 3},
	    {s.east, &minus_one, 1, users, 3},
	    {s.east, &bad_org, 1, users, 3},
	    {s.east, NULL, 0, bad_users, 1},
	    {s.east, NULL, 0, bad_users + 1, 1},
	    {s.east, NULL, 0, bad_users + 2, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		wi.n = 99;
		e = engine_cluster_what_if(
		    s.w, cases[i].cluster, cases[i].members, cases[i].n_members,
		    cases[i].users, cases[i].n_users, &wi);
		if (e != ENGINE_ENO_SUCH || !empty(&wi)) {
			printf("# error case %zu: %s\n", i, engine_strerror(e));
			errors = false;
		}
		engine_what_if_free(&wi);
	}
	ok(errors, "ids out of range: ENGINE_ENO_SUCH, out empty");

	engine_org_set_parent(s.w, s.lat05, s.lat04);
	wi.n = 99;
	e = engine_cluster_what_if(s.w, s.east, NULL, 0, users, 3, &wi);
	ok(e == ENGINE_ENOT_INDEXED && empty(&wi) &&
	       !engine_grant_reaches(s.w, g_plain, s.lat05),
	   "a tree changed since indexing: ENGINE_ENOT_INDEXED, out empty");
	engine_what_if_free(&wi);
	engine_world_free(s.w);
}

/* The seed's clusters, a member set that changes them, and users with
 * two grants, or one selecting both clusters, or no cluster. */
static void test_allocation_failures(void)
{
	struct seed s;
	bool built = seed_build(&s);
	int both[] = {s.east, s.north};
	struct engine_grant_spec g[] = {
	    {.org = s.lat04, .clusters = both, .n_clusters = 2},
	    {.org = s.lat05}};
	struct engine_grant_spec h = {
	    .org = s.lat04, .clusters = both, .n_clusters = 1};
	struct engine_user_grants users[] = {
	    {g, 2, false}, {&h, 1, false}, {g + 1, 1, false}};
	int members[] = {s.cgc04, s.c01, s.cgc04};
	long n = built ? fails_cleanly(s.w, s.east, members, 3, users, 3) : -1;
	ok(n > 0,
	   "each of the %ld allocations failing: ENGINE_ENOMEM, out empty, "
	   "nothing leaked",
	   n);
	engine_world_free(s.w);
}

/* ---- timing at national scale ----------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return (a > b) - (a < b);
}

/* The NHS's shape: root > 7 regions > 42 STPs > 106 CCGs > 1,255 PCNs >
 * 6,526 practices, 7,937 organisations (as bench_engine.c builds it), and
 * a cluster owned by the first region (organisation 1). */
static struct engine_world *national(const int *members, int n, int *cluster)
{
	static const int level_size[] = {1, 7, 42, 106, 1255, 6526};
	struct engine_world *w = engine_world_new();
	bool good = w != NULL;
	char code[16];
	for (int l = 0, o = 0, start = 0; good && l < 6; l++) {
		for (int i = 0; good && i < level_size[l]; i++, o++) {
			snprintf(code, sizeof code, "N%d", o);
			good = engine_org_add(w, code, code, false, NULL) ==
			           ENGINE_OK &&
			       (l == 0 ||
			        engine_org_set_parent(
			            w, o, start + i % level_size[l - 1]) ==
			            ENGINE_OK);
		}
		start += l > 0 ? level_size[l - 1] : 0;
	}
	if (good && engine_world_index(w, NULL) == ENGINE_OK &&
	    engine_cluster_add(w, "ABCDEF0123", "National", 1, members, n,
	                       cluster) == ENGINE_OK)
		return w;
	engine_world_free(w);
	return NULL;
}

/* 10,000 users selecting the cluster of n_old members, half of them
 * replaced, each with up to two more grants anywhere. The engine's time,
 * and on some users gains minus losses must be what engine_specs_reach
 * counts after minus before. */
static void test_timing(int n_old)
{
	enum { N_USERS = 10000, RUNS = 25, SAMPLE = 12 };
	struct rng g = {master_seed};
	int cluster = -1, n_cand = 0, old[64], after[64];
	struct engine_world *w = national(NULL, 0, &cluster), *w1 = NULL;
	int n = w ? engine_n_orgs(w) : 0;
	int *cand = calloc((size_t)n + 1, sizeof *cand);
	struct engine_grant_spec *specs = calloc(3 * N_USERS, sizeof *specs);
	struct engine_user_grants *users = calloc(N_USERS, sizeof *users);
	bool good = w && cand && specs && users && n_old <= 64;
	for (int o = 2; good && o < n; o++)
		if (engine_in_subtree(w, o, 1))
			cand[n_cand++] = o;
	shuffle(&g, cand, n_cand);
	for (int i = 0; good && i < n_old; i++) {
		old[i] = cand[i];
		after[i] = cand[i < n_old / 2 ? i : i + n_old];
	}
	engine_world_free(w);
	w = good ? national(old, n_old, &cluster) : NULL;
	w1 = good ? national(after, n_old, &cluster) : NULL;
	good = w && w1;
	for (int u = 0; good && u < N_USERS; u++) {
		int k = rng_range(&g, 1, 3);
		struct engine_grant_spec *s = &specs[3 * u];
		s[0] = (struct engine_grant_spec){
		    .org = 1, .clusters = &cluster, .n_clusters = 1};
		for (int i = 1; i < k; i++)
			s[i] = (struct engine_grant_spec){
			    .org = rng_pct(&g, 50) ? cand[rng_below(&g, n_cand)]
			                           : rng_below(&g, n)};
		users[u] = (struct engine_user_grants){s, k, false};
	}
	uint64_t ns[RUNS];
	struct engine_what_if wi = {0};
	for (int i = 0; good && i < RUNS; i++) {
		engine_what_if_free(&wi);
		uint64_t t0 = now_ns();
		good = engine_cluster_what_if(w, cluster, after, n_old, users,
		                              N_USERS, &wi) == ENGINE_OK;
		ns[i] = now_ns() - t0;
	}
	for (int i = 0; good && i < SAMPLE && i < wi.n; i++) {
		const struct engine_reach_delta *d =
		    &wi.users[i * wi.n / SAMPLE];
		const struct engine_user_grants *u = &users[d->user];
		good = d->orgs_gained - d->orgs_lost ==
		       engine_specs_reach(w1, u->grants, u->n) -
		           engine_specs_reach(w, u->grants, u->n);
	}
	if (good) {
		qsort(ns, RUNS, sizeof *ns, cmp_u64);
		printf("# timing: engine_cluster_what_if, %d organisations, %d "
		       "users, %d members (%d replaced): %d affected, %d "
		       "changed (%d gaining, %d losing), %d organisations "
		       "gained, %d lost: median %.2f ms, best %.2f ms of %d\n",
		       n, N_USERS, n_old, n_old - n_old / 2, wi.affected, wi.n,
		       wi.users_gaining, wi.users_losing, wi.orgs_gained,
		       wi.orgs_lost, (double)ns[RUNS / 2] / 1e6,
		       (double)ns[0] / 1e6, RUNS);
	}
	ok(good && wi.affected == N_USERS && wi.n > 0,
	   "national scale, %d members: runs, and gains minus losses agree "
	   "with engine_specs_reach on %d users (timing above)",
	   n_old, SAMPLE);
	engine_what_if_free(&wi);
	free(cand);
	free(specs);
	free(users);
	engine_world_free(w);
	engine_world_free(w1);
}

int main(void)
{
	const char *seed = getenv("WHATIF_SEED");
	master_seed = seed && *seed ? strtoull(seed, NULL, 10)
	                            : (uint64_t)time(NULL) * 1000003u ^
	                                  (uint64_t)getpid();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# seed %" PRIu64 " (rerun: WHATIF_SEED=%" PRIu64
	       " ./test_what_if)\n",
	       master_seed, master_seed);
	test_random_worlds();
	test_seed();
	test_allocation_failures();
	test_timing(8);
	test_timing(40);
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
