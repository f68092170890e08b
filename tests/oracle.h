/* oracle.h: a deliberately naive second implementation of access-model.md
 * sections 3 and 4 (and the "see user", "manage user" and "add a grant"
 * rules of section 5), used only by the differential test.
 *
 * It shares nothing with the engine: its own catalogue (transcribed from the
 * spec's tables by action name), its own arrays, sets as bool arrays,
 * subtrees found by walking parent links, reach(g) materialised as a set of
 * organisations. Slow on purpose: it must be obviously right, not fast.
 *
 * Ids are dense indexes in creation order, like the engine's, so that the
 * same world built in the same order has the same ids on both sides.
 * Allocation failure aborts (it is a test).
 */
#ifndef ACCESSDESK_TESTS_ORACLE_H
#define ACCESSDESK_TESTS_ORACLE_H

#include <stdbool.h>

/* The action catalogue of section 2, in the order of the spec's text. */
#define ORACLE_N_ORG_ACTIONS   12
#define ORACLE_N_STUDY_ACTIONS 10
#define ORACLE_N_ACTIONS       (ORACLE_N_ORG_ACTIONS + ORACLE_N_STUDY_ACTIONS)
#define ORACLE_N_PAYMENTS      6
#define ORACLE_N_BUILTIN_ROLES 9

const char *oracle_action_name(int action);
int oracle_action_find(const char *name); /* -1 when unknown */
bool oracle_action_is_org(int action);
bool oracle_action_is_recruitment(int action);
bool oracle_action_takes_payment(int action); /* achievement.* */
bool oracle_action_is_business(int action);   /* section 5 */
const char *oracle_payment_name(int payment);
const char *oracle_builtin_role_name(int role);

struct oracle_world;

struct oracle_world *oracle_world_new(void); /* with the built-in roles */
void oracle_world_free(struct oracle_world *w);

/* Building: each returns the new id. No validation beyond asserts: the
 * differential test only builds valid worlds. */
int oracle_org_add(struct oracle_world *w, bool is_site);
void oracle_org_set_parent(struct oracle_world *w, int org, int parent);
/* acts[a] for every action a of the role; org_only: reach `organisation`. */
int oracle_role_add(struct oracle_world *w, bool study_domain, bool org_only,
                    const bool acts[ORACLE_N_ACTIONS]);
int oracle_cluster_add(struct oracle_world *w, int owner, const int *members,
                       int n_members);
int oracle_study_add(struct oracle_world *w, int site);
int oracle_user_add(struct oracle_world *w, bool enabled);
/* pays[p] for every payment type p of the grant. */
int oracle_grant_add(struct oracle_world *w, int user, int org,
                     const int *roles, int n_roles,
                     const bool pays[ORACLE_N_PAYMENTS], const int *clusters,
                     int n_clusters);
void oracle_user_set_profile(struct oracle_world *w, int user, const int *roles,
                             int n_roles, const int *sites,
                             const bool *recruitment_only, int n_sites,
                             const int *studies, int n_studies);
/* role -1: none (all profile roles). */
void oracle_entry_add(struct oracle_world *w, int study, int user, int role);
void oracle_settings(struct oracle_world *w, bool require_site_restrictions,
                     bool require_study_restrictions);

/* Materialises subtree sets and reach(g) of every grant. Call after building
 * and before asking; again after any change. */
void oracle_prepare(struct oracle_world *w);

/* Read access for the test's diagnostics. */
int oracle_n_orgs(const struct oracle_world *w);
int oracle_org_parent(const struct oracle_world *w, int org);
bool oracle_in_subtree(const struct oracle_world *w, int x, int root);
bool oracle_role_has(const struct oracle_world *w, int role, int action);
bool oracle_role_org_only(const struct oracle_world *w, int role);
bool oracle_role_is_study(const struct oracle_world *w, int role);

/* ---- section 3 --------------------------------------------------------- */

/* Which grant, role, cluster and member let the user in: the first in stored
 * order (grants of the user, roles of the grant, clusters of the grant,
 * members of the cluster). cluster and member are -1 when the grant selects
 * no cluster. */
struct oracle_allow {
	int grant, role, cluster, member;
};

/* payment -1 for none. out may be NULL. */
bool oracle_check_org(const struct oracle_world *w, int user, int action,
                      int org, int payment, struct oracle_allow *out);

/* Why one grant did not allow (used to judge the engine's explanations).
 * Each flag is a fact about the grant, not a choice of "first" reason. */
struct oracle_grant_facts {
	bool has_role_with_action;
	bool in_subtree;    /* org in subtree(g.org) */
	bool has_clusters;  /* g selects a cluster */
	bool in_reach;      /* org in reach(g) */
	bool role_reach_ok; /* some role with the action reaches org */
	bool payment_ok;    /* payment absent or held */
	bool allows;        /* some role satisfies everything */
};
void oracle_grant_facts(const struct oracle_world *w, int grant, int action,
                        int org, int payment, struct oracle_grant_facts *f);
int oracle_user_n_grants(const struct oracle_world *w, int user);
int oracle_user_grant(const struct oracle_world *w, int user, int i);
bool oracle_user_enabled(const struct oracle_world *w, int user);

/* ---- section 4 --------------------------------------------------------- */

enum oracle_study_why {
	ORACLE_ALLOW_LISTED,      /* listed, no role */
	ORACLE_ALLOW_LISTED_ROLE, /* listed with a role of the profile */
	ORACLE_ALLOW_USER_MANAGEMENT,
	ORACLE_ALLOW_PROFILE,
	ORACLE_DENY_DISABLED,
	ORACLE_DENY_NO_PROFILE_ROLE,
	ORACLE_DENY_ENTRY_ROLE_NOT_IN_PROFILE,
	ORACLE_DENY_NOT_LISTED,
	ORACLE_DENY_STUDY_RESTRICTION,
	ORACLE_DENY_SITE_RESTRICTION,
	ORACLE_DENY_SITE_RESTRICTION_REQUIRED,
	ORACLE_DENY_STUDY_RESTRICTION_REQUIRED,
	ORACLE_DENY_NO_ACTION_LEFT
};

/* study_actions(V, S): A into acts (all false on a denial). *why is the
 * branch taken; *recruitment_only tells whether A was narrowed. */
void oracle_study_actions(const struct oracle_world *w, int user, int study,
                          bool acts[ORACLE_N_ACTIONS],
                          enum oracle_study_why *why, bool *recruitment_only);
bool oracle_check_study(const struct oracle_world *w, int user, int action,
                        int study);

/* ---- section 5 (part) -------------------------------------------------- */

/* The lock-out rule and the other operations are not modelled. */

bool oracle_may_see_user(const struct oracle_world *w, int op, int v);
bool oracle_may_manage_user(const struct oracle_world *w, int op, int v);
/* A grant as it was or will be. */
struct oracle_grant_spec {
	int org;
	const int *roles;
	int n_roles;
	bool pays[ORACLE_N_PAYMENTS];
	const int *clusters;
	int n_clusters;
};

/* Adding (before NULL), changing, or revoking (after NULL) V's grant at one
 * organisation; v_is_new: V is being created (v may then be -1). */
bool oracle_may_change_grant(const struct oracle_world *w, int op, int v,
                             bool v_is_new,
                             const struct oracle_grant_spec *before,
                             const struct oracle_grant_spec *after);

#endif
