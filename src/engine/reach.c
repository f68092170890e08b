/* reach.c: the number of organisations a set of grants reaches, through
 * the decision's own reach(g) (grant_reaches in decide.c), so that the
 * console's "will reach 3 organisations, was 12" cannot disagree with a
 * check: a grant spec is put in the shape of a grant and asked.
 *
 * And the what-if of a change to a cluster's members, on sets of
 * organisations held as runs of preorder numbers (a subtree is the run
 * [pre, last]), so that 10,000 users cost a few runs each, never a walk
 * over the organisations: one merge computes every union, difference and
 * intersection. The differential test (tests/test_what_if.c) holds it to
 * grant_reaches organisation by organisation. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/engine_reach.h"
#include "internal.h"

int engine_specs_reach(const struct engine_world *w,
                       const struct engine_grant_spec *specs, int n)
{
	int count = 0;
	for (int o = 0; o < engine_n_orgs(w); o++) {
		for (int i = 0; i < n; i++) {
			const struct engine_grant_spec *s = &specs[i];
			if (s->org < 0 || s->org >= engine_n_orgs(w))
				continue;
			const struct engine_org *org = engine_org(w, s->org);
			struct engine_grant g = {
			    .org = s->org,
			    .clusters = (int *)s->clusters,
			    .n_clusters = s->n_clusters,
			    .org_pre = org->pre,
			    .org_last = org->last,
			};
			int cluster, member;
			if (grant_reaches(w, &g, o, &cluster, &member)) {
				count++;
				break;
			}
		}
	}
	return count;
}

bool engine_grant_reaches(const struct engine_world *w, int grant, int org)
{
	int cluster, member;
	return w->indexed && grant >= 0 && grant < w->n_grants && org >= 0 &&
	       org < w->n_orgs &&
	       grant_reaches(w, &w->grants[grant], org, &cluster, &member);
}

/* ---- runs: sets of organisations by preorder number -------------------- */

typedef struct engine_pre_run run;

/* A reader of runs sorted by first (they may overlap or touch): each step
 * yields the next maximal block of their union, [INT_MAX, INT_MAX] at the
 * end. */
struct blocks {
	const run *r;
	int n, i;
	int first, last;
};

static void blocks_next(struct blocks *b)
{
	if (b->i == b->n) {
		b->first = b->last = INT_MAX;
		return;
	}
	b->first = b->r[b->i].first;
	b->last = b->r[b->i++].last;
	for (; b->i < b->n && b->r[b->i].first <= b->last + 1; b->i++)
		if (b->r[b->i].last > b->last)
			b->last = b->r[b->i].last;
}

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* What a merge keeps: the organisations in a or b, in a and not in b, in
 * both. */
enum op { UNION, MINUS, MEET };

/* The one merge: a op b, of runs sorted by first (they may overlap),
 * written to out (room for na + nb runs: each run of b splits at most one
 * of a) in preorder, disjoint and never adjacent. Returns the number of
 * organisations out holds. A sweep over the blocks' boundaries: between two
 * of them, membership of a and of b is constant. */
static int merge(const run *a, int na, const run *b, int nb, enum op op,
                 run *out, int *n_out)
{
	struct blocks x = {.r = a, .n = na}, y = {.r = b, .n = nb};
	blocks_next(&x);
	blocks_next(&y);
	int n = 0, orgs = 0;
	for (int pos = min_int(x.first, y.first); pos != INT_MAX;) {
		bool in_x = x.first <= pos, in_y = y.first <= pos;
		int end = min_int(in_x ? x.last : x.first - 1,
		                  in_y ? y.last : y.first - 1);
		if (op == UNION   ? in_x || in_y
		    : op == MINUS ? in_x && !in_y
		                  : in_x && in_y) {
			if (n > 0 && out[n - 1].last + 1 == pos)
				out[n - 1].last = end;
			else
				out[n++] = (run){pos, end};
			orgs += end - pos + 1;
		}
		pos = end + 1;
		if (x.last < pos)
			blocks_next(&x);
		if (y.last < pos)
			blocks_next(&y);
		if (op != UNION && x.first == INT_MAX)
			break; /* nothing more to keep */
		if (x.first > pos && y.first > pos)
			pos = min_int(x.first, y.first); /* over a gap */
	}
	*n_out = n;
	return orgs;
}

static int by_first(const void *pa, const void *pb)
{
	const run *a = pa, *b = pb;
	return (a->first > b->first) - (a->first < b->first);
}

/* A growable array of runs. */
struct runs {
	run *r;
	int n, cap;
};

/* Room for n runs in all. */
static bool reserve(struct runs *s, int n)
{
	if (n <= s->cap)
		return true;
	int cap = n < 2 * s->cap ? 2 * s->cap : n < 16 ? 16 : n;
	run *r = realloc(s->r, (size_t)cap * sizeof *r);
	if (!r)
		return false;
	s->r = r;
	s->cap = cap;
	return true;
}

/* Appends the subtrees of orgs[0..n). */
static bool add_subtrees(const struct engine_world *w, struct runs *s,
                         const int *orgs, int n)
{
	if (!reserve(s, s->n + n))
		return false;
	for (int i = 0; i < n; i++)
		s->r[s->n++] =
		    (run){w->orgs[orgs[i]].pre, w->orgs[orgs[i]].last};
	return true;
}

/* out = a op b; *orgs: how many out holds. False on allocation failure. */
static bool merge_into(const struct runs *a, const struct runs *b, enum op op,
                       struct runs *out, int *orgs)
{
	if (!reserve(out, a->n + b->n))
		return false;
	*orgs = merge(a->r, a->n, b->r, b->n, op, out->r, &out->n);
	return true;
}

/* Sorts s and puts the union of its runs into out: a set as merge takes
 * it. */
static bool normalise(struct runs *s, struct runs *out, int *orgs)
{
	if (s->n > 1)
		qsort(s->r, (size_t)s->n, sizeof *s->r, by_first);
	return merge_into(s, &(struct runs){0}, UNION, out, orgs);
}

/* ---- the what-if of a cluster's members -------------------------------- */

static bool in_range(int id, int n)
{
	return id >= 0 && id < n;
}

static bool selects(const struct engine_grant_spec *g, int cluster)
{
	for (int i = 0; i < g->n_clusters; i++)
		if (g->clusters[i] == cluster)
			return true;
	return false;
}

/* Checks every id; *affected: the users with a grant selecting cluster. */
static enum engine_err check_input(const struct engine_world *w, int cluster,
                                   const int *members, int n_members,
                                   const struct engine_user_grants *users,
                                   int n_users, int *affected)
{
	if (!w->indexed)
		return ENGINE_ENOT_INDEXED;
	if (!in_range(cluster, w->n_clusters) || n_members < 0 || n_users < 0)
		return ENGINE_ENO_SUCH;
	for (int i = 0; i < n_members; i++)
		if (!in_range(members[i], w->n_orgs))
			return ENGINE_ENO_SUCH;
	*affected = 0;
	for (int u = 0; u < n_users; u++) {
		bool selecting = false;
		if (users[u].n < 0)
			return ENGINE_ENO_SUCH;
		for (int i = 0; i < users[u].n; i++) {
			const struct engine_grant_spec *g = &users[u].grants[i];
			if (!in_range(g->org, w->n_orgs) || g->n_clusters < 0)
				return ENGINE_ENO_SUCH;
			for (int c = 0; c < g->n_clusters; c++)
				if (!in_range(g->clusters[c], w->n_clusters))
					return ENGINE_ENO_SUCH;
			selecting |= selects(g, cluster);
		}
		*affected += selecting && !users[u].disabled;
	}
	return ENGINE_OK;
}

/* The selecting grants that reach something with the cluster's members
 * as they are and nothing with n_members of them. */
static int grants_emptied(const struct engine_world *w, int cluster,
                          int n_members, const struct engine_user_grants *users,
                          int n_users)
{
	int n = 0;
	for (int u = 0; u < n_users; u++)
		for (int i = 0; i < users[u].n; i++) {
			const struct engine_grant_spec *g = &users[u].grants[i];
			if (!selects(g, cluster))
				continue;
			int others = 0; /* members of its other clusters */
			for (int c = 0; c < g->n_clusters; c++)
				if (g->clusters[c] != cluster)
					others += w->clusters[g->clusters[c]]
					              .n_members;
			n += others == 0 && n_members == 0 &&
			     w->clusters[cluster].n_members > 0;
		}
	return n;
}

/* The user's reach apart from the cluster (its grants' subtrees and the
 * members of the other clusters they select), unsorted, in s. */
static bool reach_without(const struct engine_world *w,
                          const struct engine_user_grants *u, int cluster,
                          struct runs *s)
{
	s->n = 0;
	for (int i = 0; i < u->n; i++) {
		const struct engine_grant_spec *g = &u->grants[i];
		if (g->n_clusters == 0 && !add_subtrees(w, s, &g->org, 1))
			return false;
		for (int c = 0; c < g->n_clusters; c++) {
			const struct engine_cluster *cl =
			    &w->clusters[g->clusters[c]];
			if (g->clusters[c] != cluster &&
			    !add_subtrees(w, s, cl->members, cl->n_members))
				return false;
		}
	}
	return true;
}

/* The sets of one what-if: runs as collected (raw), the cluster's members
 * before and after, what the cluster itself gains and loses, one user's
 * reach apart from the cluster, what every user's reaches (common, and tmp
 * to compute it), and what the users gain and lose, one after another in
 * the order of out->users (pool). */
enum { RAW, OLD, NEW, GAIN, LOSS, REST, COMMON, TMP, POOL, N_SETS };

/* The subtrees of members[0..n) as a set. */
static bool members_set(const struct engine_world *w, const int *members, int n,
                        struct runs *raw, struct runs *out)
{
	int orgs;
	raw->n = 0;
	return add_subtrees(w, raw, members, n) && normalise(raw, out, &orgs);
}

/* Appends a op b to the pool; *n, *orgs: its runs and organisations. */
static bool pool_merge(const struct runs *a, const struct runs *b, enum op op,
                       struct runs *pool, int *n, int *orgs)
{
	if (!reserve(pool, pool->n + a->n + b->n))
		return false;
	*orgs = merge(a->r, a->n, b->r, b->n, op, pool->r + pool->n, n);
	pool->n += *n;
	return true;
}

/* Moves the pool behind out->users, in one block, and points each user's
 * gained and lost at its runs there (no block when nobody changes). */
static bool pool_attach(struct engine_what_if *out, const struct runs *pool)
{
	if (out->n == 0) {
		free(out->users);
		out->users = NULL;
		return true;
	}
	size_t head = (size_t)out->n * sizeof *out->users;
	char *block =
	    realloc(out->users, head + (size_t)pool->n * sizeof *pool->r);
	if (!block)
		return false;
	out->users = (struct engine_reach_delta *)block;
	run *p = (run *)(block + head);
	memcpy(p, pool->r, (size_t)pool->n * sizeof *pool->r);
	for (int i = 0; i < out->n; i++) {
		struct engine_reach_delta *d = &out->users[i];
		d->gained = d->n_gained ? p : NULL;
		p += d->n_gained;
		d->lost = d->n_lost ? p : NULL;
		p += d->n_lost;
	}
	return true;
}

/* With before = rest + old and after = rest + new (rest: the user's reach
 * apart from the cluster), after - before = (new - old) - rest and
 * before - after = (old - new) - rest: the cluster's own gain and loss are
 * computed once, and a user's are what its other grants and clusters do
 * not reach already. What some user gains is then the cluster's gain
 * minus what every user's rest reaches (common), and the same for losses,
 * so the totals need no list of every user's runs. */
static enum engine_err what_if(const struct engine_world *w, int cluster,
                               const int *members, int n_members,
                               const struct engine_user_grants *users,
                               int n_users, struct runs *s,
                               struct engine_what_if *out)
{
	const struct engine_cluster *cl = &w->clusters[cluster];
	int orgs;
	if (!members_set(w, cl->members, cl->n_members, &s[RAW], &s[OLD]) ||
	    !members_set(w, members, n_members, &s[RAW], &s[NEW]) ||
	    !merge_into(&s[NEW], &s[OLD], MINUS, &s[GAIN], &orgs) ||
	    !merge_into(&s[OLD], &s[NEW], MINUS, &s[LOSS], &orgs))
		return ENGINE_ENOMEM;
	if (out->affected == 0 || (s[GAIN].n == 0 && s[LOSS].n == 0))
		return ENGINE_OK; /* nobody changes */

	out->users = calloc((size_t)out->affected, sizeof *out->users);
	if (!out->users || !reserve(&s[COMMON], 1))
		return ENGINE_ENOMEM;
	s[COMMON].r[0] = (run){0, w->n_orgs - 1};
	s[COMMON].n = 1;
	for (int u = 0; u < n_users; u++) {
		bool selecting = false;
		for (int i = 0; i < users[u].n; i++)
			selecting |= selects(&users[u].grants[i], cluster);
		if (!selecting || users[u].disabled)
			continue;
		/* the next slot: counts only (the pool holds the runs) until
		 * pool_attach; cleared again when the user does not change */
		struct engine_reach_delta *d = &out->users[out->n];
		int pooled = s[POOL].n;
		if (!reach_without(w, &users[u], cluster, &s[RAW]) ||
		    !normalise(&s[RAW], &s[REST], &orgs) ||
		    !merge_into(&s[COMMON], &s[REST], MEET, &s[TMP], &orgs) ||
		    !pool_merge(&s[GAIN], &s[REST], MINUS, &s[POOL],
		                &d->n_gained, &d->orgs_gained) ||
		    !pool_merge(&s[LOSS], &s[REST], MINUS, &s[POOL], &d->n_lost,
		                &d->orgs_lost))
			return ENGINE_ENOMEM;
		struct runs common = s[TMP];
		s[TMP] = s[COMMON];
		s[COMMON] = common;
		if (s[POOL].n == pooled) {
			*d = (struct engine_reach_delta){0};
			continue;
		}
		d->user = u;
		out->n++;
		out->users_gaining += d->n_gained > 0;
		out->users_losing += d->n_lost > 0;
	}
	if (!merge_into(&s[GAIN], &s[COMMON], MINUS, &s[TMP],
	                &out->orgs_gained) ||
	    !merge_into(&s[LOSS], &s[COMMON], MINUS, &s[TMP],
	                &out->orgs_lost) ||
	    !pool_attach(out, &s[POOL]))
		return ENGINE_ENOMEM;
	return ENGINE_OK;
}

enum engine_err engine_cluster_what_if(const struct engine_world *w,
                                       int cluster, const int *members,
                                       int n_members,
                                       const struct engine_user_grants *users,
                                       int n_users, struct engine_what_if *out)
{
	*out = (struct engine_what_if){0};
	enum engine_err e = check_input(w, cluster, members, n_members, users,
	                                n_users, &out->affected);
	struct runs s[N_SETS] = {0};
	if (e == ENGINE_OK)
		e = what_if(w, cluster, members, n_members, users, n_users, s,
		            out);
	if (e == ENGINE_OK)
		out->grants_emptied =
		    grants_emptied(w, cluster, n_members, users, n_users);
	for (int i = 0; i < N_SETS; i++)
		free(s[i].r);
	if (e != ENGINE_OK)
		engine_what_if_free(out);
	return e;
}

void engine_what_if_free(struct engine_what_if *wi)
{
	free(wi->users); /* and the runs: they follow it in the same block */
	*wi = (struct engine_what_if){0};
}
