/* oracle.c: the naive second implementation of access-model.md sections 3, 4
 * and part of 5 (see oracle.h). Written from the spec's pseudo-code line by
 * line; it never calls the engine.
 */
#include "oracle.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- catalogue: transcribed from access-model.md section 2 ------------- */

static const char *const action_names[ORACLE_N_ACTIONS] = {
    "org.view",
    "users.view",
    "users.manage",
    "users.manage_study_profile",
    "clusters.view",
    "clusters.manage",
    "orgs.manage",
    "reports.run",
    "audit.view",
    "achievement.view",
    "achievement.declare",
    "access.grant_any",
    "study.view",
    "study.configure",
    "study.user_management",
    "subject.view",
    "subject.edit",
    "data.entry",
    "data.review",
    "volunteer.view",
    "volunteer.recruit",
    "screening.schedule",
};

static const char *const payment_names[ORACLE_N_PAYMENTS] = {
    "QOF", "GPES", "DES", "CC", "VAC", "LES",
};

/* The built-in role table, as the spec writes it. "*org" and "*study" stand
 * for "every organisation action" and "every study action". */
static const struct {
	const char *name;
	bool study;
	bool org_only;
	const char *actions;
} builtin_roles[ORACLE_N_BUILTIN_ROLES] = {
    {"System Administrator", false, false, "*org"},
    {"Advanced User Administrator", false, false,
     "org.view users.view users.manage users.manage_study_profile "
     "clusters.view clusters.manage reports.run audit.view"},
    {"User Administrator", false, true,
     "org.view users.view users.manage clusters.view reports.run"},
    {"View", false, false,
     "org.view users.view clusters.view reports.run achievement.view"},
    {"Study Administrator", true, false, "*study"},
    {"Study Coordinator", true, false,
     "study.view study.configure subject.view data.entry"},
    {"Investigator", true, false,
     "study.view subject.view subject.edit data.review"},
    {"Data Manager", true, false,
     "study.view subject.view data.entry data.review"},
    {"Recruiter", true, false,
     "volunteer.view volunteer.recruit screening.schedule"},
};

const char *oracle_action_name(int action)
{
	if (action < 0 || action >= ORACLE_N_ACTIONS)
		return NULL;
	return action_names[action];
}

int oracle_action_find(const char *name)
{
	for (int a = 0; a < ORACLE_N_ACTIONS; a++)
		if (strcmp(action_names[a], name) == 0)
			return a;
	return -1;
}

bool oracle_action_is_org(int action)
{
	/* The spec lists the organisation actions first. */
	return action >= 0 && action < ORACLE_N_ORG_ACTIONS;
}

bool oracle_action_is_recruitment(int action)
{
	const char *n = oracle_action_name(action);
	return n && (strcmp(n, "volunteer.view") == 0 ||
	             strcmp(n, "volunteer.recruit") == 0 ||
	             strcmp(n, "screening.schedule") == 0);
}

bool oracle_action_takes_payment(int action)
{
	const char *n = oracle_action_name(action);
	return n && (strcmp(n, "achievement.view") == 0 ||
	             strcmp(n, "achievement.declare") == 0);
}

/* Section 5: "achievement.view and achievement.declare in the organisation
 * domain (with their payment types), and every study action except
 * study.configure and study.user_management". */
bool oracle_action_is_business(int action)
{
	const char *n = oracle_action_name(action);
	if (!n)
		return false;
	if (oracle_action_takes_payment(action))
		return true;
	return !oracle_action_is_org(action) &&
	       strcmp(n, "study.configure") != 0 &&
	       strcmp(n, "study.user_management") != 0;
}

const char *oracle_payment_name(int payment)
{
	if (payment < 0 || payment >= ORACLE_N_PAYMENTS)
		return NULL;
	return payment_names[payment];
}

const char *oracle_builtin_role_name(int role)
{
	if (role < 0 || role >= ORACLE_N_BUILTIN_ROLES)
		return NULL;
	return builtin_roles[role].name;
}

/* ---- the world --------------------------------------------------------- */

struct o_org {
	int parent;
	bool is_site;
};

struct o_role {
	bool study;
	bool org_only;
	bool acts[ORACLE_N_ACTIONS];
};

struct o_cluster {
	int owner;
	int *members;
	int n_members;
};

struct o_study {
	int site;
};

struct o_grant {
	int user, org;
	int *roles;
	int n_roles;
	bool pays[ORACLE_N_PAYMENTS];
	int *clusters;
	int n_clusters;
	bool *reach; /* reach(g), materialised by oracle_prepare() */
};

struct o_user {
	bool enabled;
	int *grants;
	int n_grants;
	int *roles; /* profile roles */
	int n_roles;
	int *sites;
	bool *recruitment_only;
	int n_sites;
	int *studies; /* restricted studies */
	int n_studies;
};

struct o_entry {
	int study, user, role;
};

struct oracle_world {
	struct o_org *orgs;
	int n_orgs;
	struct o_role *roles;
	int n_roles;
	struct o_cluster *clusters;
	int n_clusters;
	struct o_study *studies;
	int n_studies;
	struct o_user *users;
	int n_users;
	struct o_grant *grants;
	int n_grants;
	struct o_entry *entries;
	int n_entries;
	bool require_site, require_study;
	/* sub[root * n_orgs + x]: x in subtree(root) */
	bool *sub;
	int sub_n;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("oracle: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) {
		fputs("oracle: out of memory\n", stderr);
		abort();
	}
	return p;
}

static int *copy_ints(const int *src, int n)
{
	int *p = xcalloc((size_t)n, sizeof *p);
	if (n)
		memcpy(p, src, (size_t)n * sizeof *p);
	return p;
}

/* Grows an array by one element; arrays are reallocated at every add: the
 * oracle values plainness over speed. */
#define GROW(arr, n)                                                           \
	((arr) = xrealloc((arr), ((size_t)(n) + 1) * sizeof *(arr)))

struct oracle_world *oracle_world_new(void)
{
	struct oracle_world *w = xcalloc(1, sizeof *w);
	for (int i = 0; i < ORACLE_N_BUILTIN_ROLES; i++) {
		bool acts[ORACLE_N_ACTIONS] = {false};
		const char *s = builtin_roles[i].actions;
		if (strcmp(s, "*org") == 0 || strcmp(s, "*study") == 0) {
			for (int a = 0; a < ORACLE_N_ACTIONS; a++)
				acts[a] = oracle_action_is_org(a) ==
				          (strcmp(s, "*org") == 0);
		} else {
			char buf[256];
			snprintf(buf, sizeof buf, "%s", s);
			for (char *t = strtok(buf, " "); t;
			     t = strtok(NULL, " ")) {
				int a = oracle_action_find(t);
				assert(a >= 0);
				acts[a] = true;
			}
		}
		oracle_role_add(w, builtin_roles[i].study,
		                builtin_roles[i].org_only, acts);
	}
	return w;
}

void oracle_world_free(struct oracle_world *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->n_clusters; i++)
		free(w->clusters[i].members);
	for (int i = 0; i < w->n_grants; i++) {
		free(w->grants[i].roles);
		free(w->grants[i].clusters);
		free(w->grants[i].reach);
	}
	for (int i = 0; i < w->n_users; i++) {
		free(w->users[i].grants);
		free(w->users[i].roles);
		free(w->users[i].sites);
		free(w->users[i].recruitment_only);
		free(w->users[i].studies);
	}
	free(w->orgs);
	free(w->roles);
	free(w->clusters);
	free(w->studies);
	free(w->users);
	free(w->grants);
	free(w->entries);
	free(w->sub);
	free(w);
}

int oracle_org_add(struct oracle_world *w, bool is_site)
{
	GROW(w->orgs, w->n_orgs);
	w->orgs[w->n_orgs] = (struct o_org){.parent = -1, .is_site = is_site};
	return w->n_orgs++;
}

void oracle_org_set_parent(struct oracle_world *w, int org, int parent)
{
	assert(org >= 0 && org < w->n_orgs);
	assert(parent >= -1 && parent < w->n_orgs);
	w->orgs[org].parent = parent;
}

int oracle_role_add(struct oracle_world *w, bool study_domain, bool org_only,
                    const bool acts[ORACLE_N_ACTIONS])
{
	GROW(w->roles, w->n_roles);
	struct o_role *r = &w->roles[w->n_roles];
	r->study = study_domain;
	r->org_only = org_only;
	memcpy(r->acts, acts, sizeof r->acts);
	return w->n_roles++;
}

int oracle_cluster_add(struct oracle_world *w, int owner, const int *members,
                       int n_members)
{
	GROW(w->clusters, w->n_clusters);
	w->clusters[w->n_clusters] = (struct o_cluster){
	    .owner = owner,
	    .members = copy_ints(members, n_members),
	    .n_members = n_members,
	};
	return w->n_clusters++;
}

int oracle_study_add(struct oracle_world *w, int site)
{
	GROW(w->studies, w->n_studies);
	w->studies[w->n_studies].site = site;
	return w->n_studies++;
}

int oracle_user_add(struct oracle_world *w, bool enabled)
{
	GROW(w->users, w->n_users);
	memset(&w->users[w->n_users], 0, sizeof w->users[w->n_users]);
	w->users[w->n_users].enabled = enabled;
	return w->n_users++;
}

int oracle_grant_add(struct oracle_world *w, int user, int org,
                     const int *roles, int n_roles,
                     const bool pays[ORACLE_N_PAYMENTS], const int *clusters,
                     int n_clusters)
{
	GROW(w->grants, w->n_grants);
	struct o_grant *g = &w->grants[w->n_grants];
	memset(g, 0, sizeof *g);
	g->user = user;
	g->org = org;
	g->roles = copy_ints(roles, n_roles);
	g->n_roles = n_roles;
	memcpy(g->pays, pays, sizeof g->pays);
	g->clusters = copy_ints(clusters, n_clusters);
	g->n_clusters = n_clusters;
	struct o_user *u = &w->users[user];
	GROW(u->grants, u->n_grants);
	u->grants[u->n_grants++] = w->n_grants;
	return w->n_grants++;
}

void oracle_user_set_profile(struct oracle_world *w, int user, const int *roles,
                             int n_roles, const int *sites,
                             const bool *recruitment_only, int n_sites,
                             const int *studies, int n_studies)
{
	struct o_user *u = &w->users[user];
	free(u->roles);
	free(u->sites);
	free(u->recruitment_only);
	free(u->studies);
	u->roles = copy_ints(roles, n_roles);
	u->n_roles = n_roles;
	u->sites = copy_ints(sites, n_sites);
	u->recruitment_only = xcalloc((size_t)n_sites, sizeof(bool));
	for (int i = 0; i < n_sites; i++)
		u->recruitment_only[i] = recruitment_only[i];
	u->n_sites = n_sites;
	u->studies = copy_ints(studies, n_studies);
	u->n_studies = n_studies;
}

void oracle_entry_add(struct oracle_world *w, int study, int user, int role)
{
	GROW(w->entries, w->n_entries);
	w->entries[w->n_entries++] =
	    (struct o_entry){.study = study, .user = user, .role = role};
}

void oracle_settings(struct oracle_world *w, bool require_site_restrictions,
                     bool require_study_restrictions)
{
	w->require_site = require_site_restrictions;
	w->require_study = require_study_restrictions;
}

/* reach of a grant at org with these clusters, materialised into set. */
static void materialise_reach(const struct oracle_world *w, int org,
                              const int *clusters, int n_clusters, bool *set)
{
	for (int x = 0; x < w->n_orgs; x++) {
		set[x] = false;
		if (n_clusters == 0) {
			set[x] = oracle_in_subtree(w, x, org);
			continue;
		}
		for (int i = 0; i < n_clusters; i++) {
			const struct o_cluster *c = &w->clusters[clusters[i]];
			for (int j = 0; j < c->n_members; j++)
				if (oracle_in_subtree(w, x, c->members[j]))
					set[x] = true;
		}
	}
}

void oracle_prepare(struct oracle_world *w)
{
	int n = w->n_orgs;
	free(w->sub);
	w->sub = xcalloc((size_t)n * (size_t)n, sizeof(bool));
	w->sub_n = n;
	/* subtree(y) holds x when y is met walking up from x. */
	for (int x = 0; x < n; x++) {
		int steps = 0;
		for (int y = x; y != -1; y = w->orgs[y].parent) {
			w->sub[(size_t)y * (size_t)n + (size_t)x] = true;
			assert(++steps <= n); /* a forest: no cycle */
			(void)steps;
		}
	}
	for (int i = 0; i < w->n_grants; i++) {
		struct o_grant *g = &w->grants[i];
		free(g->reach);
		g->reach = xcalloc((size_t)n, sizeof(bool));
		materialise_reach(w, g->org, g->clusters, g->n_clusters,
		                  g->reach);
	}
}

int oracle_n_orgs(const struct oracle_world *w)
{
	return w->n_orgs;
}

int oracle_org_parent(const struct oracle_world *w, int org)
{
	return w->orgs[org].parent;
}

bool oracle_in_subtree(const struct oracle_world *w, int x, int root)
{
	assert(w->sub_n == w->n_orgs);
	return w->sub[(size_t)root * (size_t)w->n_orgs + (size_t)x];
}

bool oracle_role_has(const struct oracle_world *w, int role, int action)
{
	return w->roles[role].acts[action];
}

bool oracle_role_org_only(const struct oracle_world *w, int role)
{
	return w->roles[role].org_only;
}

bool oracle_role_is_study(const struct oracle_world *w, int role)
{
	return w->roles[role].study;
}

int oracle_user_n_grants(const struct oracle_world *w, int user)
{
	return w->users[user].n_grants;
}

int oracle_user_grant(const struct oracle_world *w, int user, int i)
{
	return w->users[user].grants[i];
}

bool oracle_user_enabled(const struct oracle_world *w, int user)
{
	return w->users[user].enabled;
}

/* ---- section 3 --------------------------------------------------------- */

/* The body of the pseudo-code's loop for one grant g and one role r. */
static bool grant_role_allows(const struct oracle_world *w,
                              const struct o_grant *g, int role, int action,
                              int org, int payment)
{
	const struct o_role *r = &w->roles[role];
	if (!r->acts[action])
		return false;
	if (!g->reach[org])
		return false;
	if (r->org_only && org != g->org)
		return false;
	if (payment >= 0 && !g->pays[payment])
		return false;
	return true;
}

bool oracle_check_org(const struct oracle_world *w, int user, int action,
                      int org, int payment, struct oracle_allow *out)
{
	const struct o_user *u = &w->users[user];
	if (!u->enabled)
		return false;
	for (int i = 0; i < u->n_grants; i++) {
		const struct o_grant *g = &w->grants[u->grants[i]];
		for (int j = 0; j < g->n_roles; j++) {
			if (!grant_role_allows(w, g, g->roles[j], action, org,
			                       payment))
				continue;
			if (out) {
				out->grant = u->grants[i];
				out->role = g->roles[j];
				out->cluster = -1;
				out->member = -1;
			}
			/* the first cluster and member that let org in */
			for (int k = 0; out && k < g->n_clusters; k++) {
				const struct o_cluster *c =
				    &w->clusters[g->clusters[k]];
				for (int m = 0; m < c->n_members; m++) {
					if (oracle_in_subtree(w, org,
					                      c->members[m])) {
						out->cluster = g->clusters[k];
						out->member = c->members[m];
						break;
					}
				}
				if (out->cluster >= 0)
					break;
			}
			return true;
		}
	}
	return false;
}

void oracle_grant_facts(const struct oracle_world *w, int grant, int action,
                        int org, int payment, struct oracle_grant_facts *f)
{
	const struct o_grant *g = &w->grants[grant];
	memset(f, 0, sizeof *f);
	f->in_subtree = oracle_in_subtree(w, org, g->org);
	f->has_clusters = g->n_clusters > 0;
	f->in_reach = g->reach[org];
	f->payment_ok = payment < 0 || g->pays[payment];
	for (int j = 0; j < g->n_roles; j++) {
		const struct o_role *r = &w->roles[g->roles[j]];
		if (!r->acts[action])
			continue;
		f->has_role_with_action = true;
		if (!r->org_only || org == g->org)
			f->role_reach_ok = true;
		if (grant_role_allows(w, g, g->roles[j], action, org, payment))
			f->allows = true;
	}
}

/* ---- section 4 --------------------------------------------------------- */

static bool user_has_profile_role(const struct o_user *u, int role)
{
	for (int i = 0; i < u->n_roles; i++)
		if (u->roles[i] == role)
			return true;
	return false;
}

void oracle_study_actions(const struct oracle_world *w, int user, int study,
                          bool acts[ORACLE_N_ACTIONS],
                          enum oracle_study_why *why, bool *recruitment_only)
{
	const struct o_user *u = &w->users[user];
	const struct o_study *s = &w->studies[study];
	bool P[ORACLE_N_ACTIONS] = {false};
	bool A[ORACLE_N_ACTIONS] = {false};
	int um = oracle_action_find("study.user_management");

	for (int a = 0; a < ORACLE_N_ACTIONS; a++)
		acts[a] = false;
	*recruitment_only = false;

	/* P = union of actions(r) for r in V.profile_roles */
	for (int i = 0; i < u->n_roles; i++)
		for (int a = 0; a < ORACLE_N_ACTIONS; a++)
			if (w->roles[u->roles[i]].acts[a])
				P[a] = true;

	if (!u->enabled) {
		*why = ORACLE_DENY_DISABLED;
		return;
	}
	if (u->n_roles == 0) {
		*why = ORACLE_DENY_NO_PROFILE_ROLE;
		return;
	}
	const struct o_entry *e = NULL;
	int list_size = 0;
	for (int i = 0; i < w->n_entries; i++) {
		if (w->entries[i].study != study)
			continue;
		list_size++;
		if (w->entries[i].user == user)
			e = &w->entries[i];
	}
	if (e) {
		if (e->role == -1) {
			memcpy(A, P, sizeof A);
			*why = ORACLE_ALLOW_LISTED;
		} else if (user_has_profile_role(u, e->role)) {
			memcpy(A, w->roles[e->role].acts, sizeof A);
			*why = ORACLE_ALLOW_LISTED_ROLE;
		} else {
			*why = ORACLE_DENY_ENTRY_ROLE_NOT_IN_PROFILE;
			return;
		}
	} else if (P[um]) {
		memcpy(A, P, sizeof A);
		*why = ORACLE_ALLOW_USER_MANAGEMENT;
	} else if (list_size > 0) {
		*why = ORACLE_DENY_NOT_LISTED;
		return;
	} else {
		bool in_studies = false, in_sites = false;
		for (int i = 0; i < u->n_studies; i++)
			if (u->studies[i] == study)
				in_studies = true;
		for (int i = 0; i < u->n_sites; i++)
			if (u->sites[i] == s->site)
				in_sites = true;
		if (u->n_studies > 0 && !in_studies) {
			*why = ORACLE_DENY_STUDY_RESTRICTION;
			return;
		}
		if (u->n_sites > 0 && !in_sites) {
			*why = ORACLE_DENY_SITE_RESTRICTION;
			return;
		}
		if (u->n_sites == 0 && w->require_site) {
			*why = ORACLE_DENY_SITE_RESTRICTION_REQUIRED;
			return;
		}
		if (u->n_studies == 0 && w->require_study) {
			*why = ORACLE_DENY_STUDY_RESTRICTION_REQUIRED;
			return;
		}
		memcpy(A, P, sizeof A);
		*why = ORACLE_ALLOW_PROFILE;
	}
	for (int i = 0; i < u->n_sites; i++) {
		if (u->sites[i] == s->site && u->recruitment_only[i]) {
			*recruitment_only = true;
			for (int a = 0; a < ORACLE_N_ACTIONS; a++)
				if (!oracle_action_is_recruitment(a))
					A[a] = false;
		}
	}
	bool empty = true;
	for (int a = 0; a < ORACLE_N_ACTIONS; a++)
		if (A[a])
			empty = false;
	if (empty) {
		*why = ORACLE_DENY_NO_ACTION_LEFT;
		return;
	}
	memcpy(acts, A, sizeof A);
}

bool oracle_check_study(const struct oracle_world *w, int user, int action,
                        int study)
{
	bool acts[ORACLE_N_ACTIONS];
	enum oracle_study_why why;
	bool ro;
	oracle_study_actions(w, user, study, acts, &why, &ro);
	return acts[action];
}

/* ---- section 5 (part) -------------------------------------------------- */

/* "O holds a over X": the organisation check of section 3, no payment. */
static bool holds(const struct oracle_world *w, int op, int action, int org)
{
	return oracle_check_org(w, op, action, org, -1, NULL);
}

static bool holds_over_a_root(const struct oracle_world *w, int op, int action)
{
	for (int x = 0; x < w->n_orgs; x++)
		if (w->orgs[x].parent == -1 && holds(w, op, action, x))
			return true;
	return false;
}

bool oracle_may_see_user(const struct oracle_world *w, int op, int v)
{
	int uv = oracle_action_find("users.view");
	if (op == v)
		return true; /* O sees themself */
	const struct o_user *u = &w->users[v];
	if (u->n_grants == 0)
		return holds_over_a_root(w, op, uv);
	for (int i = 0; i < u->n_grants; i++)
		if (holds(w, op, uv, w->grants[u->grants[i]].org))
			return true;
	return false;
}

bool oracle_may_manage_user(const struct oracle_world *w, int op, int v)
{
	int um = oracle_action_find("users.manage");
	if (op == v)
		return false; /* on themself: contact details only */
	const struct o_user *u = &w->users[v];
	if (u->n_grants == 0)
		return holds_over_a_root(w, op, um);
	for (int i = 0; i < u->n_grants; i++)
		if (!holds(w, op, um, w->grants[u->grants[i]].org))
			return false;
	return true;
}

/* The no-escalation clause for one grant (as it was or will be): O holds
 * every action of every role that is not a business action over every
 * organisation the role reaches through the grant. Business actions and
 * payment types need nothing beyond users.manage over the grant's
 * organisation (checked by the caller). */
static bool within_operator(const struct oracle_world *w, int op,
                            const struct oracle_grant_spec *g)
{
	bool *reach = xcalloc((size_t)w->n_orgs, sizeof(bool));
	materialise_reach(w, g->org, g->clusters, g->n_clusters, reach);
	bool ok = true;
	for (int i = 0; ok && i < g->n_roles; i++) {
		const struct o_role *r = &w->roles[g->roles[i]];
		for (int a = 0; ok && a < ORACLE_N_ACTIONS; a++) {
			if (!r->acts[a] || oracle_action_is_business(a))
				continue;
			/* r's reach after cluster narrowing; with
			 * `organisation` reach, the grant's organisation
			 * alone (and so nothing under a cluster selection,
			 * as in section 3) */
			for (int x = 0; ok && x < w->n_orgs; x++) {
				if (!reach[x] || (r->org_only && x != g->org))
					continue;
				if (!holds(w, op, a, x))
					ok = false;
			}
		}
	}
	free(reach);
	return ok;
}

bool oracle_may_change_grant(const struct oracle_world *w, int op, int v,
                             bool v_is_new,
                             const struct oracle_grant_spec *before,
                             const struct oracle_grant_spec *after)
{
	int um = oracle_action_find("users.manage");
	int any = oracle_action_find("access.grant_any");
	const struct oracle_grant_spec *g = after ? after : before;
	assert(g && (!before || !after || before->org == after->org));
	int x = g->org;

	if (!v_is_new && !oracle_may_manage_user(w, op, v))
		return false;
	if (!holds(w, op, um, x))
		return false;
	for (int i = 0; after && i < after->n_clusters; i++)
		if (w->clusters[after->clusters[i]].owner != x)
			return false;
	if (holds(w, op, any, x))
		return true;
	if (before && !within_operator(w, op, before))
		return false;
	if (after && !within_operator(w, op, after))
		return false;
	return true;
}
