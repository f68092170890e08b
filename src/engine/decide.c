/* decide.c: the decisions of access-model.md sections 3 (organisation
 * access) and 4 (study access). One code path serves the plain and the
 * explained check: reasons are recorded only when an explanation buffer is
 * given, and nothing here allocates otherwise. */
#include <assert.h>

#include "internal.h"

struct engine_grant_brief grant_brief(const struct engine_grant *g)
{
	return (struct engine_grant_brief){
	    .subtree_actions = (uint16_t)g->subtree_actions,
	    .org_actions = (uint16_t)g->org_actions,
	    .payments = g->payments,
	    .clusters = g->n_clusters > 0,
	    .org = g->org,
	    .org_pre = g->org_pre,
	    .org_last = g->org_last,
	};
}

/* reach(g) of section 3 on a grant's brief: subtree(g.org) without
 * clusters (read from the brief alone), else the union of the selected
 * clusters' members' subtrees, first in stored order (the grant itself is
 * read only then). A cluster with no members adds nothing (fail closed). */
static inline bool brief_reaches(const struct engine_world *w,
                                 const struct engine_grant_brief *b,
                                 const struct engine_grant *g, int org,
                                 int *cluster, int *member)
{
	const struct engine_org *target = &w->orgs[org];
	*cluster = *member = -1;
	if (!b->clusters)
		return target->pre >= b->org_pre && target->pre <= b->org_last;
	for (int i = 0; i < g->n_clusters; i++) {
		const struct engine_cluster *c = &w->clusters[g->clusters[i]];
		for (int m = 0; m < c->n_members; m++) {
			if (engine_in_subtree_pre(target,
			                          &w->orgs[c->members[m]])) {
				*cluster = g->clusters[i];
				*member = c->members[m];
				return true;
			}
		}
	}
	return false;
}

/* The actions of the grant's roles that act on org once its reach takes
 * org in: subtree-reach roles anywhere, organisation-reach roles on the
 * grant's own organisation only. */
static inline engine_actions brief_acting(const struct engine_grant_brief *b,
                                          int org)
{
	return b->subtree_actions | (org == b->org ? b->org_actions : 0u);
}

bool grant_reaches(const struct engine_world *w, const struct engine_grant *g,
                   int org, int *cluster, int *member)
{
	struct engine_grant_brief b = grant_brief(g);
	return brief_reaches(w, &b, g, org, cluster, member);
}

engine_actions engine_grant_actions_at(const struct engine_world *w, int grant,
                                       int org, int *cluster, int *member)
{
	assert(w->indexed);
	const struct engine_grant *g = &w->grants[grant];
	struct engine_grant_brief b = grant_brief(g);
	if (!brief_reaches(w, &b, g, org, cluster, member))
		return 0;
	return brief_acting(&b, org);
}

bool engine_role_acts_at(const struct engine_world *w, int grant, int role,
                         int org)
{
	return w->roles[role].reach == REACH_SUBTREE ||
	       org == w->grants[grant].org;
}

/* The first role of the grant, in stored order, that has the action and
 * acts on org (subtree reach, or org is the grant's own organisation). */
static int allowing_role(const struct engine_world *w, int gid, int action,
                         int org)
{
	const struct engine_grant *g = &w->grants[gid];
	for (int i = 0; i < g->n_roles; i++) {
		const struct engine_role *r = &w->roles[g->roles[i]];
		if ((r->actions & ENGINE_ACT(action)) &&
		    engine_role_acts_at(w, gid, g->roles[i], org))
			return g->roles[i];
	}
	return -1;
}

/* The first role with the action, whatever its reach. */
static int role_with_action(const struct engine_world *w,
                            const struct engine_grant *g, int action)
{
	for (int i = 0; i < g->n_roles; i++)
		if (w->roles[g->roles[i]].actions & ENGINE_ACT(action))
			return g->roles[i];
	return -1;
}

static void note_grant(struct engine_explain *ex, enum engine_why why,
                       const struct engine_grant *g, int grant_id, int action,
                       int org, int payment)
{
	struct engine_reason *r = explain_add(ex, why);
	if (r) {
		r->grant = grant_id;
		r->org = org;
		r->user = g->user;
		r->action = action;
		r->payment = payment;
	}
}

/* The first condition of section 3 a grant fails for (action, org,
 * payment), or WHY_ALLOW_GRANT; under clusters, which let org in. */
static enum engine_why grant_fails(const struct engine_world *w,
                                   const struct engine_grant_brief *b, int gid,
                                   engine_actions bit, int org, int payment,
                                   int *cluster, int *member)
{
	*cluster = *member = -1;
	if (!((b->subtree_actions | b->org_actions) & bit))
		return WHY_NO_ROLE_WITH_ACTION;
	if (!brief_reaches(w, b, &w->grants[gid], org, cluster, member))
		return b->clusters ? WHY_NOT_IN_CLUSTERS : WHY_NOT_IN_SUBTREE;
	if (!(brief_acting(b, org) & bit))
		return WHY_ROLE_ORG_ONLY;
	if (payment >= 0 && !(b->payments & ENGINE_PAY(payment)))
		return WHY_NO_PAYMENT_TYPE;
	return WHY_ALLOW_GRANT;
}

bool engine_org_allows(const struct engine_world *w, int user, int action,
                       int org, int payment, struct engine_explain *ex)
{
	assert(w->indexed);
	const struct engine_user *u = &w->users[user];
	struct engine_reason *r;
	if (!u->enabled || u->n_grants == 0) {
		r = explain_add(ex,
		                u->enabled ? WHY_NO_GRANTS : WHY_USER_DISABLED);
		if (r)
			r->user = user;
		return false;
	}
	engine_actions bit = ENGINE_ACT(action);
	int mark = ex ? ex->n : 0;
	for (int i = 0; i < u->n_grants; i++) {
		/* the grant itself is read only when it selects clusters, is
		 * past the user's briefs, or is being explained */
		struct engine_grant_brief copy;
		const struct engine_grant_brief *b = &copy;
		if (i < ENGINE_USER_INLINE_GRANTS)
			b = &u->brief[i];
		else
			copy = grant_brief(&w->grants[u->grants[i]]);

		int cluster, member;
		enum engine_why fail = grant_fails(w, b, u->grants[i], bit, org,
		                                   payment, &cluster, &member);
		if (fail == WHY_ALLOW_GRANT && !ex)
			return true;
		if (!ex)
			continue;
		int gid = u->grants[i];
		const struct engine_grant *g = &w->grants[gid];
		if (fail != WHY_ALLOW_GRANT) {
			note_grant(ex, fail, g, gid, action, org, payment);
			if (fail == WHY_ROLE_ORG_ONLY && ex->n > mark)
				ex->r[ex->n - 1].role =
				    role_with_action(w, g, action);
			continue;
		}
		ex->n = mark; /* an allow cites only what allowed */
		note_grant(ex, WHY_ALLOW_GRANT, g, gid, action, org, payment);
		if (ex->n > mark) {
			r = &ex->r[ex->n - 1];
			r->role = allowing_role(w, gid, action, org);
			r->cluster = cluster;
			r->member = member;
		}
		return true;
	}
	return false;
}

enum engine_err engine_check_org(const struct engine_world *w, int user,
                                 int action, int org, int payment,
                                 struct engine_explain *ex, bool *allow)
{
	if (!w->indexed)
		return ENGINE_ENOT_INDEXED;
	if (user < 0 || user >= w->n_users || org < 0 || org >= w->n_orgs)
		return ENGINE_ENO_SUCH;
	if (action < 0 || action >= ACT_COUNT ||
	    engine_action_domain(action) != DOMAIN_ORGANISATION)
		return ENGINE_EBAD_ACTION;
	if (payment < -1 || payment >= PAY_COUNT ||
	    (payment >= 0 && !(ENGINE_ACT(action) & ENGINE_PAYMENT_ACTIONS)))
		return ENGINE_EBAD_PAYMENT;
	*allow = engine_org_allows(w, user, action, org, payment, ex);
	return ENGINE_OK;
}

/* ---- study access ----------------------------------------------------- */

static const struct engine_entry *find_entry(const struct engine_user *u,
                                             int study)
{
	for (int i = 0; i < u->n_entries; i++)
		if (u->entries[i].study == study)
			return &u->entries[i];
	return NULL;
}

static bool has_int(const int *v, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static const struct engine_site_restriction *
find_site(const struct engine_user *u, int site)
{
	for (int i = 0; i < u->n_sites; i++)
		if (u->sites[i].site == site)
			return &u->sites[i];
	return NULL;
}

/* A listing's role, when it names one, must be in the user's profile. */
static bool entry_role_in_profile(const struct engine_user *u,
                                  const struct engine_entry *e)
{
	return has_int(u->profile_roles, u->n_profile_roles, e->role);
}

const struct engine_entry *engine_entry_find(const struct engine_world *w,
                                             int user, int study)
{
	return find_entry(&w->users[user], study);
}

bool engine_profile_has_role(const struct engine_world *w, int user, int role)
{
	const struct engine_user *u = &w->users[user];
	return has_int(u->profile_roles, u->n_profile_roles, role);
}

/* Records a study reason; returns it (or NULL without an explanation). */
static struct engine_reason *
note_study(struct engine_explain *ex, enum engine_why why, int user, int study)
{
	struct engine_reason *r = explain_add(ex, why);
	if (r) {
		r->user = user;
		r->study = study;
	}
	return r;
}

/* What a question about study access assumes: the world's settings and
 * the study's list as they are, or as a change would leave them (the
 * console's warnings: engine_study_actions_if,
 * engine_study_opened_by_emptying, engine_settings_shut_out). */
struct study_case {
	const struct engine_settings *settings;
	bool as_if; /* the list as n_entries and entry say, not the world */
	int n_entries;
	const struct engine_entry *entry; /* the user's; NULL: not listed */
};

/* The one rule of access-model.md section 4. */
static engine_actions study_actions(const struct engine_world *w, int user,
                                    int study, const struct study_case *k,
                                    struct engine_explain *ex)
{
	const struct engine_user *u = &w->users[user];
	const struct engine_study *s = &w->studies[study];
	if (!u->enabled) {
		note_study(ex, WHY_USER_DISABLED, user, study);
		return 0;
	}
	if (u->n_profile_roles == 0) {
		note_study(ex, WHY_NO_PROFILE_ROLE, user, study);
		return 0;
	}
	engine_actions a = u->profile_actions;
	enum engine_why rule;
	int role = -1;
	const struct engine_entry *e =
	    k->as_if ? k->entry : find_entry(u, study);
	if (e) {
		if (e->role < 0) {
			rule = WHY_ALLOW_LISTED;
		} else if (entry_role_in_profile(u, e)) {
			rule = WHY_ALLOW_LISTED_ROLE;
			role = e->role;
			a = w->roles[e->role].actions;
		} else {
			struct engine_reason *r = note_study(
			    ex, WHY_ENTRY_ROLE_NOT_IN_PROFILE, user, study);
			if (r)
				r->role = e->role;
			return 0;
		}
	} else if (a & ENGINE_ACT(ACT_STUDY_USER_MANAGEMENT)) {
		rule = WHY_ALLOW_USER_MANAGEMENT;
	} else if ((k->as_if ? k->n_entries : s->n_entries) > 0) {
		note_study(ex, WHY_NOT_LISTED, user, study);
		return 0;
	} else {
		enum engine_why deny = WHY_ALLOW_PROFILE;
		if (u->n_studies > 0 &&
		    !has_int(u->studies, u->n_studies, study))
			deny = WHY_STUDY_RESTRICTION;
		else if (u->n_sites > 0 && !find_site(u, s->site))
			deny = WHY_SITE_RESTRICTION;
		else if (u->n_sites == 0 &&
		         k->settings->require_site_restrictions)
			deny = WHY_SITE_RESTRICTION_REQUIRED;
		else if (u->n_studies == 0 &&
		         k->settings->require_study_restrictions)
			deny = WHY_STUDY_RESTRICTION_REQUIRED;
		if (deny != WHY_ALLOW_PROFILE) {
			struct engine_reason *r =
			    note_study(ex, deny, user, study);
			if (r)
				r->org = s->site;
			return 0;
		}
		rule = WHY_ALLOW_PROFILE;
	}
	const struct engine_site_restriction *sr = find_site(u, s->site);
	bool narrowed = sr && sr->recruitment_only;
	if (narrowed)
		a &= ENGINE_RECRUITMENT_ACTIONS;
	if (!a) {
		struct engine_reason *r =
		    note_study(ex, WHY_NO_ACTION_LEFT, user, study);
		if (r)
			r->org = s->site;
		return 0;
	}
	struct engine_reason *r = note_study(ex, rule, user, study);
	if (r) {
		r->role = role;
		r->actions = a;
	}
	if (narrowed) {
		r = note_study(ex, WHY_RECRUITMENT_ONLY, user, study);
		if (r)
			r->org = s->site;
	}
	return a;
}

engine_actions engine_study_actions(const struct engine_world *w, int user,
                                    int study, struct engine_explain *ex)
{
	const struct study_case as_is = {&w->settings, false, 0, NULL};
	return study_actions(w, user, study, &as_is, ex);
}

engine_actions engine_study_actions_if(const struct engine_world *w, int user,
                                       int study, int n_entries,
                                       const struct engine_entry *entry)
{
	const struct study_case as_if = {&w->settings, true, n_entries, entry};
	return study_actions(w, user, study, &as_if, NULL);
}

bool engine_entry_stale(const struct engine_world *w, int user, int study)
{
	const struct engine_entry *e = find_entry(&w->users[user], study);
	return e && e->role >= 0 && !entry_role_in_profile(&w->users[user], e);
}

int engine_study_opened_by_emptying(const struct engine_world *w, int study,
                                    const int *users, int n)
{
	const struct study_case as_is = {&w->settings, false, 0, NULL};
	const struct study_case emptied = {&w->settings, true, 0, NULL};
	int opened = 0;
	for (int i = 0; i < n; i++)
		opened += !study_actions(w, users[i], study, &as_is, NULL) &&
		          study_actions(w, users[i], study, &emptied, NULL);
	return opened;
}

int engine_settings_shut_out(const struct engine_world *w,
                             const struct engine_settings *to, const int *users,
                             int n)
{
	const struct study_case as_is = {&w->settings, false, 0, NULL};
	const struct study_case then = {to, false, 0, NULL};
	int shut = 0;
	for (int i = 0; i < n; i++) {
		bool lost = false;
		for (int s = 0; s < w->n_studies && !lost; s++)
			lost = study_actions(w, users[i], s, &as_is, NULL) &&
			       !study_actions(w, users[i], s, &then, NULL);
		shut += lost;
	}
	return shut;
}

enum engine_err engine_check_study(const struct engine_world *w, int user,
                                   int action, int study,
                                   struct engine_explain *ex, bool *allow)
{
	if (user < 0 || user >= w->n_users || study < 0 ||
	    study >= w->n_studies)
		return ENGINE_ENO_SUCH;
	if (action < 0 || action >= ACT_COUNT ||
	    engine_action_domain(action) != DOMAIN_STUDY)
		return ENGINE_EBAD_ACTION;
	engine_actions a = engine_study_actions(w, user, study, ex);
	*allow = (a & ENGINE_ACT(action)) != 0;
	if (a && !*allow) {
		/* the rule let the user in; the actions left lack this one */
		struct engine_reason *r =
		    note_study(ex, WHY_ACTION_NOT_GRANTED, user, study);
		if (r) {
			r->action = action;
			r->actions = a;
		}
	}
	return ENGINE_OK;
}

void engine_reach_sets(const struct engine_world *w, int user,
                       engine_actions need, int *roots, int *n_roots,
                       int *singles, int *n_singles)
{
	*n_roots = *n_singles = 0;
	int n = w->n_orgs;
	/* roots[] first serves as scratch, indexed by preorder: 0 denied,
	 * 1 allowed, 2 allowed on the whole subtree; computed bottom-up. */
	for (int pre = n - 1; pre >= 0; pre--) {
		int o = w->by_pre[pre];
		bool ok = true;
		for (int a = 0; a < ACT_COUNT && ok; a++)
			if (need & ENGINE_ACT(a))
				ok = engine_org_allows(w, user, a, o, -1, NULL);
		int state = ok ? 1 : 0; /* 1 allowed, 2 whole subtree */
		if (ok) {
			state = 2;
			const struct engine_org *x = &w->orgs[o];
			for (int c = x->pre + 1; c <= x->last && state == 2;) {
				int child = w->by_pre[c];
				if (roots[c] != 2)
					state = 1;
				c = w->orgs[child].last + 1;
			}
		}
		roots[pre] = state; /* scratch, by preorder */
	}
	/* Output in preorder: a whole subtree once; else a single. The
	 * scratch is read ahead of where the output is written. */
	int nr = 0, ns = 0;
	for (int pre = 0; pre < n;) {
		int o = w->by_pre[pre], state = roots[pre];
		if (state == 2) {
			roots[nr++] = o;
			pre = w->orgs[o].last + 1;
			continue;
		}
		if (state == 1)
			singles[ns++] = o;
		pre++;
	}
	*n_roots = nr;
	*n_singles = ns;
}
