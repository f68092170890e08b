/* engine_reach.h: how far a set of grants reaches (src/engine/reach.c),
 * for the warnings before a save that narrows a user's access, and the
 * what-if of a change to a cluster's members (who gains and who loses
 * reach over which organisations) before it is saved. */
#ifndef ACCESSDESK_ENGINE_REACH_H
#define ACCESSDESK_ENGINE_REACH_H

#include "accessdesk/engine.h"

/* How many organisations the grants reach together: the union of each
 * grant's reach (access-model.md section 3: its subtree, or its clusters'
 * members' subtrees). The world must be indexed. 0 when none. */
int engine_specs_reach(const struct engine_world *w,
                       const struct engine_grant_spec *specs, int n);

/* Does the grant's reach (section 3's reach(g): its subtree, or the
 * subtrees of its clusters' members) take org in? The decision's own test,
 * whatever the grant's roles. */
bool engine_grant_reaches(const struct engine_world *w, int grant, int org);

/* A run of organisations by preorder number (engine_org_by_pre), first to
 * last inclusive: a reach is a few runs where it would be thousands of
 * organisations. */
struct engine_pre_run {
	int first, last;
};

/* A user's grants as they are (org and clusters are what reach reads).
 * A disabled user reaches nothing whatever the clusters hold: not
 * affected, never listed, but its grants count in grants_emptied (enabled
 * again, such a grant would reach nothing). */
struct engine_user_grants {
	const struct engine_grant_spec *grants;
	int n;
	bool disabled;
};

/* How one user's reach (the union of reach(g) over every grant of the
 * user) changes: the runs it gains and those it loses, each in preorder,
 * disjoint and never adjacent, with the organisations they hold. */
struct engine_reach_delta {
	int user; /* the index into the caller's users */
	struct engine_pre_run *gained, *lost;
	int n_gained, n_lost;
	int orgs_gained, orgs_lost;
};

/* The what-if of a cluster's members becoming members[0..n_members)
 * (n_members 0: none, so a grant selecting only it reaches nothing): for
 * every one of the users given whose grants select the cluster, the
 * user's reach before (the cluster's members as the world holds them) and
 * after, each grant's reach(g) as the decision computes it. */
struct engine_what_if {
	/* the users whose reach changes, in the order given */
	struct engine_reach_delta *users;
	int n;
	int affected; /* enabled users with a grant selecting it, changed or
	                 not */
	int users_gaining, users_losing; /* a user may be both */
	/* organisations some user gains, some user loses (each counted
	 * once however many users) */
	int orgs_gained, orgs_lost;
	/* grants selecting it that reach something before and nothing
	 * after: every cluster they select is empty then (a grant selecting
	 * another cluster with members still reaches those) */
	int grants_emptied;
};

/* Fills out (freed with engine_what_if_free, also after a failure). The
 * members must be organisations of the world (duplicates count once);
 * they need not be below the owner (the store refuses that on save). The
 * grants' organisations and clusters must be the world's. The world must
 * be indexed. ENGINE_ENO_SUCH for a cluster, member, organisation or
 * cluster of a grant out of range, ENGINE_ENOT_INDEXED, ENGINE_ENOMEM;
 * out is then empty. The caller gives the users (the store reads the
 * grants of every user whose grants select the cluster: the world need
 * not hold them). */
enum engine_err engine_cluster_what_if(const struct engine_world *w,
                                       int cluster, const int *members,
                                       int n_members,
                                       const struct engine_user_grants *users,
                                       int n_users, struct engine_what_if *out);
void engine_what_if_free(struct engine_what_if *wi);

#endif
