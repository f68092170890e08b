/* engine.h: the permission engine, the one implementation of access-model.md.
 *
 * Pure C: no I/O, no ncurses, no libpq. A `struct engine_world` holds the
 * organisation forest, roles, clusters, studies, users with their grants and
 * profiles, and the settings. Everything is addressed by a dense int id (the
 * index into the world's arrays, in creation order: "stored order"); -1 means
 * none. Entities are added with engine_*_add(), which validate what they can
 * on their own; engine_world_index() must then be called (again after any
 * change to the tree) before asking anything: it numbers the tree so that a
 * descendant test is O(1), and checks the invariants that need the whole tree.
 *
 * Allocation failure: every function that allocates returns ENGINE_ENOMEM and
 * leaves the world as it was. Decisions never allocate except to grow a
 * caller's explanation buffer.
 */
#ifndef ACCESSDESK_ENGINE_H
#define ACCESSDESK_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- catalogue (access-model.md section 2) ---------------------------- */

enum engine_action {
	/* organisation domain */
	ACT_ORG_VIEW,
	ACT_USERS_VIEW,
	ACT_USERS_MANAGE,
	ACT_USERS_MANAGE_STUDY_PROFILE,
	ACT_CLUSTERS_VIEW,
	ACT_CLUSTERS_MANAGE,
	ACT_ORGS_MANAGE,
	ACT_REPORTS_RUN,
	ACT_AUDIT_VIEW,
	ACT_ACHIEVEMENT_VIEW,
	ACT_ACHIEVEMENT_DECLARE,
	ACT_ACCESS_GRANT_ANY,
	/* study domain */
	ACT_STUDY_VIEW,
	ACT_STUDY_CONFIGURE,
	ACT_STUDY_USER_MANAGEMENT,
	ACT_SUBJECT_VIEW,
	ACT_SUBJECT_EDIT,
	ACT_DATA_ENTRY,
	ACT_DATA_REVIEW,
	ACT_VOLUNTEER_VIEW,
	ACT_VOLUNTEER_RECRUIT,
	ACT_SCREENING_SCHEDULE,
	ACT_COUNT
};

/* A set of actions: bit (1u << action). */
typedef uint32_t engine_actions;
#define ENGINE_ACT(a)        ((engine_actions)1u << (a))
#define ENGINE_ORG_ACTIONS   (ENGINE_ACT(ACT_STUDY_VIEW) - 1u)
#define ENGINE_ALL_ACTIONS   (ENGINE_ACT(ACT_COUNT) - 1u)
#define ENGINE_STUDY_ACTIONS (ENGINE_ALL_ACTIONS & ~ENGINE_ORG_ACTIONS)
#define ENGINE_RECRUITMENT_ACTIONS                                             \
	(ENGINE_ACT(ACT_VOLUNTEER_VIEW) | ENGINE_ACT(ACT_VOLUNTEER_RECRUIT) |  \
	 ENGINE_ACT(ACT_SCREENING_SCHEDULE))
#define ENGINE_PAYMENT_ACTIONS                                                 \
	(ENGINE_ACT(ACT_ACHIEVEMENT_VIEW) | ENGINE_ACT(ACT_ACHIEVEMENT_DECLARE))
/* Business actions (access-model.md section 5): what administrators hand to
 * the people they manage without holding it themselves; "no escalation"
 * applies to every other action (a power). */
#define ENGINE_BUSINESS_ACTIONS                                                \
	(ENGINE_PAYMENT_ACTIONS |                                              \
	 (ENGINE_STUDY_ACTIONS & ~(ENGINE_ACT(ACT_STUDY_CONFIGURE) |           \
	                           ENGINE_ACT(ACT_STUDY_USER_MANAGEMENT))))

enum engine_domain { DOMAIN_ORGANISATION, DOMAIN_STUDY };
enum engine_reach { REACH_SUBTREE, REACH_ORGANISATION };

enum engine_payment {
	PAY_QOF,
	PAY_GPES,
	PAY_DES,
	PAY_CC,
	PAY_VAC,
	PAY_LES,
	PAY_COUNT
};
typedef uint8_t engine_payments; /* bit (1u << payment) */
#define ENGINE_PAY(p) ((engine_payments)(1u << (p)))

const char *engine_action_name(int action); /* "users.manage" */
int engine_action_find(const char *name);   /* -1 when unknown */
enum engine_domain engine_action_domain(int action);
const char *engine_payment_name(int payment); /* "QOF" */
/* The names of the set bits, in catalogue order, joined by sep, written
 * into buf (cut to fit): engine_action_name or engine_payment_name for
 * name, ACT_COUNT or PAY_COUNT for n. "" when no bit is set. */
void engine_names_text(char *buf, size_t len, uint32_t bits, int n,
                       const char *(*name)(int), const char *sep);
int engine_payment_find(const char *name);            /* -1 when unknown */
const char *engine_domain_name(enum engine_domain d); /* "organisation" */
const char *engine_reach_name(enum engine_reach r);   /* "subtree" */

/* Built-in roles: present in every world with these ids, in this order. */
enum engine_builtin_role {
	ROLE_SYSTEM_ADMINISTRATOR,
	ROLE_ADVANCED_USER_ADMINISTRATOR,
	ROLE_USER_ADMINISTRATOR,
	ROLE_VIEW,
	ROLE_STUDY_ADMINISTRATOR,
	ROLE_STUDY_COORDINATOR,
	ROLE_INVESTIGATOR,
	ROLE_DATA_MANAGER,
	ROLE_RECRUITER,
	ROLE_BUILTIN_COUNT
};

/* Key formats of access-model.md section 1. */
bool engine_valid_org_code(const char *s); /* also study codes */
bool engine_valid_login(const char *s);
bool engine_valid_short_name(const char *s); /* 10 upper-case hex digits */

/* ---- errors: one list, one message each ------------------------------- */

enum engine_err {
	ENGINE_OK = 0,
	ENGINE_ENOMEM,
	ENGINE_EBAD_CODE,  /* organisation or study code format */
	ENGINE_EBAD_LOGIN, /* login format */
	ENGINE_EBAD_SHORT_NAME,
	ENGINE_EEMPTY_NAME, /* a name that must not be empty */
	ENGINE_EDUP_ORG,    /* organisation code exists (case-insensitively) */
	ENGINE_EDUP_ROLE,   /* role name exists */
	ENGINE_EBUILTIN_ROLE, /* custom role with a built-in role's name */
	ENGINE_EDUP_CLUSTER,  /* short name exists */
	ENGINE_EDUP_STUDY,
	ENGINE_EDUP_USER,
	ENGINE_EDUP_GRANT,  /* the user already has a grant at that organisation
	                     */
	ENGINE_EDUP_ENTRY,  /* the user is already listed for that study */
	ENGINE_EDUP_ITEM,   /* the same item twice in one list */
	ENGINE_ENO_SUCH,    /* an id out of range */
	ENGINE_ECYCLE,      /* the parent link would make a cycle */
	ENGINE_ENO_ACTIONS, /* a role with no action */
	ENGINE_EACTION_DOMAIN,  /* an action of the other domain in a role */
	ENGINE_EREACH_STUDY,    /* organisation reach on a study role */
	ENGINE_ENO_ROLES,       /* a grant with no role */
	ENGINE_EROLE_DOMAIN,    /* a role of the wrong domain */
	ENGINE_EMEMBER_OUTSIDE, /* cluster member not a strict descendant of the
	                           owner */
	ENGINE_ECLUSTER_NOT_OWNED, /* selected cluster owned by another
	                              organisation */
	ENGINE_ENOT_SITE, /* a site (study site, site restriction) that is not a
	                     site */
	ENGINE_EBAD_PAYMENT, /* payment type outside the catalogue */
	ENGINE_EBAD_ACTION,  /* action outside the catalogue */
	ENGINE_ENOT_INDEXED, /* the tree changed since engine_world_index() */
	ENGINE_ERR_COUNT
};

const char *engine_strerror(enum engine_err e);

/* ---- the world -------------------------------------------------------- */

struct engine_org {
	char *code;
	char *name;
	int parent; /* -1 for a root */
	bool is_site;
	/* set by engine_world_index(): preorder number, and the last preorder
	 * number in the subtree, so subtree(X) = [pre, last]. */
	int pre, last;
};

struct engine_role {
	char *name;
	enum engine_domain domain;
	enum engine_reach reach; /* REACH_SUBTREE for study roles */
	engine_actions actions;
	bool builtin;
};

struct engine_cluster {
	char short_name[11];
	char *name;
	int owner;
	int *members;
	int n_members;
};

struct engine_study {
	char *code;
	char *name;
	int site;
	int n_entries; /* user access entries: the list is in force when > 0 */
};

struct engine_grant {
	int user;
	int org;
	int *roles;
	int n_roles;
	engine_payments payments;
	int *clusters;
	int n_clusters;
	/* derived from roles: actions of its subtree-reach and of its
	 * organisation-reach roles */
	engine_actions subtree_actions, org_actions;
	/* copied from the grant's organisation by engine_world_index(), so a
	 * check need not visit it: subtree(org) = [org_pre, org_last] */
	int org_pre, org_last;
};

struct engine_site_restriction {
	int site;
	bool recruitment_only;
};

struct engine_entry { /* a study user access entry */
	int study;
	int role; /* -1: all profile roles */
};

/* What an organisation check reads of a grant, copied into its user for
 * the first few grants, so that a check on a user not in cache waits for
 * one memory load (the user), not two (the user, then its grants). Kept
 * in step by engine_grant_add() and engine_world_index(). */
struct engine_grant_brief {
	uint16_t subtree_actions, org_actions; /* organisation actions */
	uint8_t payments;
	bool clusters; /* it selects clusters: the grant decides its reach */
	int org, org_pre, org_last;
};
#define ENGINE_USER_INLINE_GRANTS 3
struct engine_user {
	/* what an organisation check reads first, together at the start */
	bool enabled;
	int n_grants;
	struct engine_grant_brief brief[ENGINE_USER_INLINE_GRANTS];
	int *grants; /* grant ids, stored order */
	int cap_grants;
	char *login;
	char *first_name,
	    *last_name; /* for explanations and lists; may be "" */
	int *profile_roles;
	int n_profile_roles;
	engine_actions
	    profile_actions; /* union of the profile roles' actions */
	struct engine_site_restriction *sites;
	int n_sites;
	int *studies; /* restricted studies */
	int n_studies;
	struct engine_entry
	    *entries; /* study user access entries of this user */
	int n_entries, cap_entries;
};

struct engine_settings {
	bool require_site_restrictions;
	bool require_study_restrictions;
};

struct engine_world;

struct engine_world *engine_world_new(void); /* NULL on allocation failure */
void engine_world_free(struct engine_world *w);

/* Read access to the arrays (ids are indexes). */
int engine_n_orgs(const struct engine_world *w);
int engine_n_roles(const struct engine_world *w);
int engine_n_clusters(const struct engine_world *w);
int engine_n_studies(const struct engine_world *w);
int engine_n_users(const struct engine_world *w);
int engine_n_grants(const struct engine_world *w);
const struct engine_org *engine_org(const struct engine_world *w, int id);
const struct engine_role *engine_role(const struct engine_world *w, int id);
const struct engine_cluster *engine_cluster(const struct engine_world *w,
                                            int id);
const struct engine_study *engine_study(const struct engine_world *w, int id);
const struct engine_user *engine_user(const struct engine_world *w, int id);
const struct engine_grant *engine_grant(const struct engine_world *w, int id);
struct engine_settings *engine_settings(struct engine_world *w);
const struct engine_settings *engine_settings_get(const struct engine_world *w);

/* Look-ups by key: -1 when absent. Organisation codes are compared
 * case-insensitively (ASCII), everything else exactly. */
int engine_org_find(const struct engine_world *w, const char *code);
int engine_role_find(const struct engine_world *w, const char *name);
int engine_cluster_find(const struct engine_world *w, const char *short_name);
int engine_study_find(const struct engine_world *w, const char *code);
int engine_user_find(const struct engine_world *w, const char *login);
int engine_grant_find(const struct engine_world *w, int user, int org);

/* Building. Each returns ENGINE_OK or an error and, on success, stores the
 * new id in *id when id is not NULL. Strings are copied. */
enum engine_err engine_org_add(struct engine_world *w, const char *code,
                               const char *name, bool is_site, int *id);
/* parent -1 makes a root. Refuses a cycle (checked at once) and, once
 * clusters exist, a move that takes a member out of its owner's subtree
 * (checked by engine_world_index()). Marks the tree for re-indexing. */
enum engine_err engine_org_set_parent(struct engine_world *w, int org,
                                      int parent);
enum engine_err engine_role_add(struct engine_world *w, const char *name,
                                enum engine_domain domain,
                                enum engine_reach reach, engine_actions actions,
                                int *id);
/* Members are checked to be strict descendants of the owner: needs an
 * indexed tree. */
enum engine_err engine_cluster_add(struct engine_world *w,
                                   const char *short_name, const char *name,
                                   int owner, const int *members, int n_members,
                                   int *id);
enum engine_err engine_study_add(struct engine_world *w, const char *code,
                                 const char *name, int site, int *id);
enum engine_err engine_user_add(struct engine_world *w, const char *login,
                                const char *first_name, const char *last_name,
                                bool enabled, int *id);
void engine_user_set_enabled(struct engine_world *w, int user, bool enabled);
/* A grant: roles of the organisation domain (at least one), payment types,
 * clusters owned by org. Appended to the user's grants (stored order). */
enum engine_err engine_grant_add(struct engine_world *w, int user, int org,
                                 const int *roles, int n_roles,
                                 engine_payments payments, const int *clusters,
                                 int n_clusters, int *id);
/* The study profile, replaced whole: study-domain roles, site restrictions
 * (sites must be sites), restricted studies. */
enum engine_err
engine_user_set_profile(struct engine_world *w, int user, const int *roles,
                        int n_roles,
                        const struct engine_site_restriction *sites,
                        int n_sites, const int *studies, int n_studies);
/* A study user access entry; role -1 for "all profile roles", otherwise a
 * study-domain role (not necessarily in the user's profile: such an entry
 * denies). */
enum engine_err engine_entry_add(struct engine_world *w, int study, int user,
                                 int role);

/* For a world that holds only some users (the console, the store): the
 * number of entries the study's list has in the database, so that "the
 * list is in force" does not depend on which users were loaded. */
void engine_study_set_entry_count(struct engine_world *w, int study, int n);

/* Numbers the tree (preorder) and checks that every cluster member is still
 * a strict descendant of its owner. On ENGINE_EMEMBER_OUTSIDE, *bad is the
 * cluster id when bad is not NULL. */
enum engine_err engine_world_index(struct engine_world *w, int *bad);
bool engine_world_indexed(const struct engine_world *w);

/* O(1): is x in subtree(root)? Needs an indexed world. */
static inline bool engine_in_subtree_pre(const struct engine_org *x,
                                         const struct engine_org *root)
{
	return x->pre >= root->pre && x->pre <= root->last;
}
bool engine_in_subtree(const struct engine_world *w, int x, int root);
/* The organisation with preorder number `pre` (children of X are found by
 * walking pre+1, then last+1 of each child while within X). */
int engine_org_by_pre(const struct engine_world *w, int pre);

/* ---- explanations (access-model.md section 6) ------------------------- */

enum engine_why {
	/* allowing reasons */
	WHY_ALLOW_GRANT,  /* grant, role; cluster and member when narrowed */
	WHY_ALLOW_LISTED, /* study: listed with no role: profile actions */
	WHY_ALLOW_LISTED_ROLE, /* study: listed with role: that role's actions
	                        */
	WHY_ALLOW_USER_MANAGEMENT, /* study: Study User Management in the
	                              profile */
	WHY_ALLOW_PROFILE,    /* study: profile restrictions let the user in */
	WHY_RECRUITMENT_ONLY, /* study: narrowed to recruitment at the site */
	WHY_ALLOW_ADMIN,      /* section 5: the operation is allowed */
	/* denying reasons, organisation checks (one per grant) */
	WHY_USER_DISABLED,
	WHY_NO_GRANTS,
	WHY_NO_ROLE_WITH_ACTION, /* grant: no role of it has the action */
	WHY_NOT_IN_SUBTREE,      /* grant: target outside subtree(grant org) */
	WHY_NOT_IN_CLUSTERS,     /* grant: target covered by no member of the
	                            selected clusters */
	WHY_ROLE_ORG_ONLY,       /* grant: its roles with the action act on the
	                            grant's own organisation only */
	WHY_NO_PAYMENT_TYPE,     /* grant: lacks the payment type */
	/* denying reasons, study checks */
	WHY_NO_PROFILE_ROLE,
	WHY_ENTRY_ROLE_NOT_IN_PROFILE,
	WHY_NOT_LISTED,
	WHY_STUDY_RESTRICTION,
	WHY_SITE_RESTRICTION,
	WHY_SITE_RESTRICTION_REQUIRED,
	WHY_STUDY_RESTRICTION_REQUIRED,
	WHY_NO_ACTION_LEFT,
	WHY_ACTION_NOT_GRANTED, /* study: the actions left lack this one */
	/* denying reasons, administration (section 5) */
	WHY_ADMIN_LACKS,      /* operator lacks `action` over `org` (a
	                         nested organisation check follows) */
	WHY_ADMIN_LACKS_ROOT, /* operator lacks `action` over every root */
	WHY_ADMIN_SELF,       /* operators do not administer themselves */
	WHY_ADMIN_ESCALATION, /* would give or take the power `action` (role
	                         `role`) over `org`, which the operator does
	                         not hold */
	WHY_ADMIN_PROFILE_ESCALATION, /* profile role has powers (`actions`)
	                                 the operator's profile lacks */
	WHY_ADMIN_CLUSTER_NOT_OWNED,
	WHY_ADMIN_LOCKOUT,         /* would leave no enabled root System
	                              Administrator */
	WHY_ADMIN_DEPENDENTS,      /* organisation has dependants */
	WHY_ADMIN_CYCLE,           /* move under its own subtree */
	WHY_ADMIN_NO_STUDY_ACCESS, /* lacks study.configure/user_management */
	WHY_COUNT
};

struct engine_reason {
	enum engine_why why;
	int depth; /* nesting: 0 top level, 1 the checks behind an admin rule */
	int grant, role, cluster, member, org, study, user;
	int action, payment;    /* -1 when not relevant */
	engine_actions actions; /* study: the actions left */
};

/* A growable list of reasons, owned by the caller and reusable. */
struct engine_explain {
	struct engine_reason *r;
	int n, cap;
	bool nomem; /* some reason could not be recorded */
	int depth;  /* current nesting, used while recording */
};

void engine_explain_init(struct engine_explain *ex);
void engine_explain_reset(struct engine_explain *ex);
void engine_explain_free(struct engine_explain *ex);
/* One line of text for a reason, without indentation: "grant lat04: role
 * View lacks users.manage". Returns the length it would have (snprintf). */
int engine_reason_format(const struct engine_world *w,
                         const struct engine_reason *r, char *buf, size_t len);

/* ---- decisions (sections 3 and 4) ------------------------------------- */

/* Validates the question: an unknown id, an action of the study domain, a
 * payment type with an action other than achievement.*: ENGINE_E... and no
 * decision. Otherwise ENGINE_OK with *allow set. ex may be NULL (plain
 * check); the same code path runs either way. payment is -1 for none. */
enum engine_err engine_check_org(const struct engine_world *w, int user,
                                 int action, int org, int payment,
                                 struct engine_explain *ex, bool *allow);
enum engine_err engine_check_study(const struct engine_world *w, int user,
                                   int action, int study,
                                   struct engine_explain *ex, bool *allow);
/* study_actions(V, S) of section 4: the set A, empty on a denial. No
 * validation beyond ids (asserted). */
engine_actions engine_study_actions(const struct engine_world *w, int user,
                                    int study, struct engine_explain *ex);
/* The user's entry on the study's user access list, or NULL. */
const struct engine_entry *engine_entry_find(const struct engine_world *w,
                                             int user, int study);
/* Is the role one of the user's profile roles? */
bool engine_profile_has_role(const struct engine_world *w, int user, int role);
/* Is v listed for the study with a role that has left v's profile (the
 * entry is kept, marked, and denies: section 5)? */
bool engine_entry_stale(const struct engine_world *w, int user, int study);
/* study_actions as it would be were the study's list n_entries long and
 * the user's entry on it `entry` (NULL: not listed): what a change to the
 * list leaves the user, asked before it is made (the console warns an
 * operator whose change would take their own access away). */
engine_actions engine_study_actions_if(const struct engine_world *w, int user,
                                       int study, int n_entries,
                                       const struct engine_entry *entry);
/* Of these users, how many study_actions would let into the study once
 * its user access list has no entry (the list's last entry deleted: the
 * profile restrictions decide again) who it does not let in now. The
 * study's entry count is the world's (engine_study_set_entry_count). */
int engine_study_opened_by_emptying(const struct engine_world *w, int study,
                                    const int *users, int n);
/* Of these users, how many would lose access to at least one study (one
 * they have now) were the settings `to`: the number a switch shuts out. */
int engine_settings_shut_out(const struct engine_world *w,
                             const struct engine_settings *to, const int *users,
                             int n);
/* The unvalidated core of section 3 for internal callers (administration,
 * lists): does `action` (any organisation action) hold over org, with an
 * optional payment type (-1 for none)? */
bool engine_org_allows(const struct engine_world *w, int user, int action,
                       int org, int payment, struct engine_explain *ex);

/* The organisation actions one grant gives over org (section 3, no payment
 * type): those of its roles that act there (subtree reach, or org is the
 * grant's own organisation) when the grant's reach takes org in; 0 when it
 * does not. Under clusters *cluster and *member name the first (stored
 * order) that lets org in; else both are -1. A user's check allows an
 * action there exactly when the user is enabled and one of its grants
 * gives it (the grant-by-grant form of engine_org_allows, for Who has
 * access?). */
engine_actions engine_grant_actions_at(const struct engine_world *w, int grant,
                                       int org, int *cluster, int *member);
/* Does role (one of the grant's) act on org, once the grant's reach takes
 * org in: subtree reach anywhere, organisation reach on the grant's own
 * organisation only? (Which of a grant's roles a row names.) */
bool engine_role_acts_at(const struct engine_world *w, int grant, int role,
                         int org);

/* Where every action of `need` holds for the user (section 3, no payment
 * type), as maximal whole subtrees (roots) and single organisations whose
 * subtree is not wholly covered, each in preorder. The arrays need room
 * for engine_n_orgs() ids. For the store's set-based filters. */
void engine_reach_sets(const struct engine_world *w, int user,
                       engine_actions need, int *roots, int *n_roots,
                       int *singles, int *n_singles);

/* ---- administering access (section 5) --------------------------------- */

/* A grant as it was or will be. */
struct engine_grant_spec {
	int org;
	const int *roles;
	int n_roles;
	engine_payments payments;
	const int *clusters;
	int n_clusters;
};

/* Does `action` hold for the operator over some root organisation? */
bool engine_allows_on_a_root(const struct engine_world *w, int op, int action,
                             struct engine_explain *ex);
bool engine_may_see_user(const struct engine_world *w, int op, int v,
                         struct engine_explain *ex);
bool engine_may_manage_user(const struct engine_world *w, int op, int v,
                            struct engine_explain *ex);
bool engine_may_edit_contact(const struct engine_world *w, int op, int v,
                             struct engine_explain *ex);
/* Add (before NULL), change, or revoke (after NULL) V's grant. v_is_new:
 * V is being created in the same transaction (v may then be -1). No
 * escalation of power: every action of the grant's roles but the business
 * actions must hold for O where the role reaches; business actions and
 * payment types need only users.manage over the grant's organisation. */
bool engine_may_change_grant(const struct engine_world *w, int op, int v,
                             bool v_is_new,
                             const struct engine_grant_spec *before,
                             const struct engine_grant_spec *after,
                             struct engine_explain *ex);
/* Creating a user with no grant needs users.manage over a root. */
bool engine_may_create_user(const struct engine_world *w, int op, int n_grants,
                            struct engine_explain *ex);

struct engine_profile_change {
	const int *roles_changed; /* profile roles added or removed */
	int n_roles_changed;
	const int *sites_changed; /* site restrictions added, removed or
	                             with recruitment changed */
	int n_sites_changed;
	const int *studies_changed; /* restricted studies added or removed */
	int n_studies_changed;
};
/* v must be a user of the world: a new user is added to it, with the
 * grants it is being created with, before asking. */
bool engine_may_edit_profile(const struct engine_world *w, int op, int v,
                             bool v_is_new,
                             const struct engine_profile_change *chg,
                             struct engine_explain *ex);

/* The lock-out rule: a change may not take the number of enabled users
 * holding System Administrator on a root through a grant with no cluster
 * selected from one or more to none. After V's change (enabled_after, and
 * V's grants as they will be), does one remain, or was there none before
 * (V as the world holds it included), so that there is nothing to keep?
 * The world must hold V as it is and, when the database has any root
 * System Administrator besides V, at least one of them. */
bool engine_keeps_root_admin(const struct engine_world *w, int v,
                             bool enabled_after,
                             const struct engine_grant_spec *grants_after,
                             int n_grants_after, struct engine_explain *ex);

enum engine_org_op {
	ORG_OP_SEE,
	ORG_OP_ADD_CHILD,
	ORG_OP_RENAME,
	ORG_OP_MOVE,
	ORG_OP_DELETE
};
/* new_parent: for ORG_OP_MOVE (-1 makes a root: needs orgs.manage over a
 * root). ORG_OP_DELETE also refuses when anything depends on org. */
bool engine_may_org(const struct engine_world *w, int op,
                    enum engine_org_op what, int org, int new_parent,
                    struct engine_explain *ex);
/* Does anything depend on org (children, grants, clusters, memberships,
 * studies, site restrictions)? */
bool engine_org_has_dependants(const struct engine_world *w, int org);

/* See a cluster owned by owner; manage it with these members (n_members may
 * be 0 to ask about the cluster without members). */
bool engine_may_see_cluster(const struct engine_world *w, int op, int owner,
                            struct engine_explain *ex);
bool engine_may_manage_cluster(const struct engine_world *w, int op, int owner,
                               const int *members, int n_members,
                               struct engine_explain *ex);
/* Is the cluster selected by any grant? */
bool engine_cluster_in_use(const struct engine_world *w, int cluster);

bool engine_may_configure_study(const struct engine_world *w, int op, int study,
                                struct engine_explain *ex);
/* The same were the study's list n_entries long and the operator's own
 * entry on it `entry` (NULL: not listed): asked before a change to the
 * list that could take the operator's access away. */
bool engine_may_configure_study_if(const struct engine_world *w, int op,
                                   int study, int n_entries,
                                   const struct engine_entry *entry);
/* Import v into the study's list, edit or delete v's entry: the study
 * configured (engine_may_configure_study), and v not the operator
 * (section 5: on themself, nothing but their contact details). */
bool engine_may_change_entry(const struct engine_world *w, int op, int study,
                             int v, struct engine_explain *ex);
bool engine_may_change_settings(const struct engine_world *w, int op,
                                struct engine_explain *ex);
/* Audit: audit.view over any of the touched organisations (roots when n is
 * 0, for settings). */
bool engine_may_read_audit(const struct engine_world *w, int op,
                           const int *orgs, int n_orgs,
                           struct engine_explain *ex);
/* Import candidates for a study: by site (enabled, restricted to site or
 * not restricted by site) or by role (enabled, role in profile). site or
 * role -1 when that filter is unused. */
bool engine_import_candidate(const struct engine_world *w, int v, int site,
                             int role);

#endif
