/* admin.c: administering access, access-model.md section 5. Every rule is
 * written in terms of section 3's decision ("O has a over X"), so the
 * console, the store and the command line share one answer. */
#include "internal.h"

/* "O has action over org": on a denial with an explanation, says what is
 * lacking and nests the organisation check's reasons under it. */
static bool over(const struct engine_world *w, int op, int action, int org,
                 int payment, struct engine_explain *ex)
{
	if (engine_org_allows(w, op, action, org, payment, NULL))
		return true;
	struct engine_reason *r = explain_add(ex, WHY_ADMIN_LACKS);
	if (r) {
		r->user = op;
		r->action = action;
		r->org = org;
		r->payment = payment;
		ex->depth++;
		engine_org_allows(w, op, action, org, payment, ex);
		ex->depth--;
	}
	return false;
}

bool engine_allows_on_a_root(const struct engine_world *w, int op, int action,
                             struct engine_explain *ex)
{
	for (int i = 0; i < w->n_roots; i++)
		if (engine_org_allows(w, op, action, w->roots[i], -1, NULL))
			return true;
	struct engine_reason *r = explain_add(ex, WHY_ADMIN_LACKS_ROOT);
	if (r) {
		r->user = op;
		r->action = action;
	}
	return false;
}

static bool self(int op, int v, struct engine_explain *ex)
{
	if (op != v)
		return false;
	explain_add(ex, WHY_ADMIN_SELF);
	return true;
}

/* "O has action over every organisation where V holds a grant (V with no
 * grant: over a root)". */
static bool over_all_grants(const struct engine_world *w, int op, int v,
                            int action, struct engine_explain *ex)
{
	const struct engine_user *u = &w->users[v];
	if (u->n_grants == 0)
		return engine_allows_on_a_root(w, op, action, ex);
	bool ok = true;
	for (int i = 0; i < u->n_grants && (ok || ex); i++)
		if (!over(w, op, action, w->grants[u->grants[i]].org, -1, ex))
			ok = false;
	return ok;
}

bool engine_may_see_user(const struct engine_world *w, int op, int v,
                         struct engine_explain *ex)
{
	if (op == v)
		return true;
	const struct engine_user *u = &w->users[v];
	if (u->n_grants == 0)
		return engine_allows_on_a_root(w, op, ACT_USERS_VIEW, ex);
	for (int i = 0; i < u->n_grants; i++)
		if (engine_org_allows(w, op, ACT_USERS_VIEW,
		                      w->grants[u->grants[i]].org, -1, NULL))
			return true;
	for (int i = 0; i < u->n_grants && ex; i++)
		over(w, op, ACT_USERS_VIEW, w->grants[u->grants[i]].org, -1,
		     ex);
	return false;
}

bool engine_may_manage_user(const struct engine_world *w, int op, int v,
                            struct engine_explain *ex)
{
	if (self(op, v, ex))
		return false;
	return over_all_grants(w, op, v, ACT_USERS_MANAGE, ex);
}

bool engine_may_edit_contact(const struct engine_world *w, int op, int v,
                             struct engine_explain *ex)
{
	return op == v || engine_may_manage_user(w, op, v, ex);
}

bool engine_may_create_user(const struct engine_world *w, int op, int n_grants,
                            struct engine_explain *ex)
{
	return n_grants > 0 ||
	       engine_allows_on_a_root(w, op, ACT_USERS_MANAGE, ex);
}

/* Does O hold `action` over every organisation of subtree(top)? A grant
 * that lets O in at top through a subtree-reach role covers the whole
 * subtree (its reach is a union of subtrees); a grant through an
 * organisation-reach role covers top alone, and then each child must be
 * covered in turn. Returns -1 when covered, else an uncovered org. */
static int uncovered_in_subtree(const struct engine_world *w, int op,
                                int action, int top)
{
	const struct engine_user *u = &w->users[op];
	if (!u->enabled)
		return top;
	engine_actions bit = ENGINE_ACT(action);
	for (int i = 0; i < u->n_grants; i++) {
		const struct engine_grant *g = &w->grants[u->grants[i]];
		int c, m;
		if ((g->subtree_actions & bit) &&
		    grant_reaches(w, g, top, &c, &m))
			return -1;
	}
	if (!engine_org_allows(w, op, action, top, -1, NULL))
		return top;
	const struct engine_org *t = &w->orgs[top];
	for (int pre = t->pre + 1; pre <= t->last;) {
		int child = w->by_pre[pre];
		int bad = uncovered_in_subtree(w, op, action, child);
		if (bad >= 0)
			return bad;
		pre = w->orgs[child].last + 1;
	}
	return -1;
}

static void note_escalation(struct engine_explain *ex, int op, int role,
                            int action, int org)
{
	struct engine_reason *r = explain_add(ex, WHY_ADMIN_ESCALATION);
	if (r) {
		r->user = op;
		r->role = role;
		r->action = action;
		r->org = org;
	}
}

/* No escalation of power for one role of a grant at x: O holds each of
 * the role's actions but the business actions over everything the role
 * reaches through the grant. */
static bool role_within_operator(const struct engine_world *w, int op,
                                 const struct engine_grant_spec *g, int role,
                                 struct engine_explain *ex)
{
	const struct engine_role *r = &w->roles[role];
	engine_actions powers = r->actions & ~ENGINE_BUSINESS_ACTIONS;
	for (int a = 0; a < ACT_COUNT; a++) {
		if (!(powers & ENGINE_ACT(a)))
			continue;
		int bad = -1;
		if (r->reach == REACH_ORGANISATION) {
			/* Under a cluster selection it reaches nothing. */
			if (g->n_clusters == 0 &&
			    !engine_org_allows(w, op, a, g->org, -1, NULL))
				bad = g->org;
		} else if (g->n_clusters == 0) {
			bad = uncovered_in_subtree(w, op, a, g->org);
		} else {
			for (int i = 0; i < g->n_clusters && bad < 0; i++) {
				const struct engine_cluster *c =
				    &w->clusters[g->clusters[i]];
				for (int m = 0; m < c->n_members && bad < 0;
				     m++)
					bad = uncovered_in_subtree(
					    w, op, a, c->members[m]);
			}
		}
		if (bad >= 0) {
			note_escalation(ex, op, role, a, bad);
			return false;
		}
	}
	return true;
}

/* Payment types, like business actions, need nothing beyond users.manage
 * over the grant's organisation (checked by the caller). */
static bool grant_within_operator(const struct engine_world *w, int op,
                                  const struct engine_grant_spec *g,
                                  struct engine_explain *ex)
{
	bool ok = true;
	for (int i = 0; i < g->n_roles && (ok || ex); i++)
		if (g->roles[i] < 0 || g->roles[i] >= w->n_roles ||
		    !role_within_operator(w, op, g, g->roles[i], ex))
			ok = false;
	return ok;
}

bool engine_may_change_grant(const struct engine_world *w, int op, int v,
                             bool v_is_new,
                             const struct engine_grant_spec *before,
                             const struct engine_grant_spec *after,
                             struct engine_explain *ex)
{
	const struct engine_grant_spec *g = after ? after : before;
	if (!g || (before && after && before->org != after->org))
		return false;
	if (self(op, v, ex))
		return false;
	if (!v_is_new && !engine_may_manage_user(w, op, v, ex))
		return false;
	int x = g->org;
	if (!over(w, op, ACT_USERS_MANAGE, x, -1, ex))
		return false;
	bool ok = true;
	for (int i = 0; after && i < after->n_clusters; i++) {
		int c = after->clusters[i];
		if (c < 0 || c >= w->n_clusters || w->clusters[c].owner != x) {
			struct engine_reason *r =
			    explain_add(ex, WHY_ADMIN_CLUSTER_NOT_OWNED);
			if (r) {
				r->cluster = c;
				r->org = x;
			}
			ok = false;
		}
	}
	if (!ok)
		return false;
	if (engine_org_allows(w, op, ACT_ACCESS_GRANT_ANY, x, -1, NULL))
		return true;
	if (before && !grant_within_operator(w, op, before, ex))
		ok = false;
	if (after && (ok || ex) && !grant_within_operator(w, op, after, ex))
		ok = false;
	return ok;
}

bool engine_may_edit_profile(const struct engine_world *w, int op, int v,
                             bool v_is_new,
                             const struct engine_profile_change *chg,
                             struct engine_explain *ex)
{
	if (self(op, v, ex))
		return false;
	if (!v_is_new && !engine_may_manage_user(w, op, v, ex))
		return false;
	bool ok = over_all_grants(w, op, v, ACT_USERS_MANAGE_STUDY_PROFILE, ex);
	for (int i = 0; i < chg->n_sites_changed && (ok || ex); i++)
		if (!over(w, op, ACT_USERS_MANAGE, chg->sites_changed[i], -1,
		          ex))
			ok = false;
	for (int i = 0; i < chg->n_studies_changed && (ok || ex); i++) {
		int s = chg->studies_changed[i];
		if (!over(w, op, ACT_USERS_MANAGE, w->studies[s].site, -1, ex))
			ok = false;
	}
	if (!ok)
		return false;
	/* business actions are excepted: only powers count */
	engine_actions mine =
	    w->users[op].profile_actions | ENGINE_BUSINESS_ACTIONS;
	bool escalates = false;
	for (int i = 0; i < chg->n_roles_changed; i++)
		if (w->roles[chg->roles_changed[i]].actions & ~mine)
			escalates = true;
	if (!escalates || over_all_grants(w, op, v, ACT_ACCESS_GRANT_ANY, NULL))
		return true;
	for (int i = 0; i < chg->n_roles_changed; i++) {
		const struct engine_role *r = &w->roles[chg->roles_changed[i]];
		struct engine_reason *why;
		if ((r->actions & ~mine) &&
		    (why = explain_add(ex, WHY_ADMIN_PROFILE_ESCALATION))) {
			why->user = op;
			why->role = chg->roles_changed[i];
			why->actions = r->actions & ~mine;
		}
	}
	return false;
}

/* A grant that keeps the database administrable: System Administrator at a
 * root with no cluster selected. */
static bool root_admin_grant(const struct engine_world *w, int org,
                             const int *roles, int n_roles, int n_clusters)
{
	if (w->orgs[org].parent >= 0 || n_clusters > 0)
		return false;
	for (int i = 0; i < n_roles; i++)
		if (roles[i] == ROLE_SYSTEM_ADMINISTRATOR)
			return true;
	return false;
}

/* Does an enabled user of the world, V left out when skip_v, hold one? */
static bool world_has_root_admin(const struct engine_world *w, int v,
                                 bool skip_v)
{
	for (int i = 0; i < w->n_grants; i++) {
		const struct engine_grant *g = &w->grants[i];
		if ((!skip_v || g->user != v) && w->users[g->user].enabled &&
		    root_admin_grant(w, g->org, g->roles, g->n_roles,
		                     g->n_clusters))
			return true;
	}
	return false;
}

bool engine_keeps_root_admin(const struct engine_world *w, int v,
                             bool enabled_after,
                             const struct engine_grant_spec *grants_after,
                             int n_grants_after, struct engine_explain *ex)
{
	for (int i = 0; enabled_after && i < n_grants_after; i++) {
		const struct engine_grant_spec *g = &grants_after[i];
		if (root_admin_grant(w, g->org, g->roles, g->n_roles,
		                     g->n_clusters))
			return true;
	}
	if (world_has_root_admin(w, v, true))
		return true;
	/* none after the change: refused only if there was one before (V
	 * as it is); where there is none already, nothing is lost */
	if (!world_has_root_admin(w, v, false))
		return true;
	explain_add(ex, WHY_ADMIN_LOCKOUT);
	return false;
}

bool engine_org_has_dependants(const struct engine_world *w, int org)
{
	const struct engine_org *o = &w->orgs[org];
	if (o->last > o->pre)
		return true; /* children */
	for (int i = 0; i < w->n_grants; i++)
		if (w->grants[i].org == org)
			return true;
	for (int i = 0; i < w->n_clusters; i++) {
		const struct engine_cluster *c = &w->clusters[i];
		if (c->owner == org)
			return true;
		for (int m = 0; m < c->n_members; m++)
			if (c->members[m] == org)
				return true;
	}
	for (int i = 0; i < w->n_studies; i++)
		if (w->studies[i].site == org)
			return true;
	for (int i = 0; i < w->n_users; i++)
		for (int s = 0; s < w->users[i].n_sites; s++)
			if (w->users[i].sites[s].site == org)
				return true;
	return false;
}

bool engine_may_org(const struct engine_world *w, int op,
                    enum engine_org_op what, int org, int new_parent,
                    struct engine_explain *ex)
{
	struct engine_reason *r;
	switch (what) {
	case ORG_OP_SEE:
		return over(w, op, ACT_ORG_VIEW, org, -1, ex);
	case ORG_OP_ADD_CHILD:
		/* org -1: a new root, which needs orgs.manage over a root */
		return org < 0
		           ? engine_allows_on_a_root(w, op, ACT_ORGS_MANAGE, ex)
		           : over(w, op, ACT_ORGS_MANAGE, org, -1, ex);
	case ORG_OP_RENAME:
		return over(w, op, ACT_ORGS_MANAGE, org, -1, ex);
	case ORG_OP_MOVE:
		if (!over(w, op, ACT_ORGS_MANAGE, org, -1, ex))
			return false;
		if (new_parent >= 0 && engine_in_subtree(w, new_parent, org)) {
			if ((r = explain_add(ex, WHY_ADMIN_CYCLE))) {
				r->org = org;
				r->member = new_parent;
			}
			return false;
		}
		return new_parent < 0
		           ? engine_allows_on_a_root(w, op, ACT_ORGS_MANAGE, ex)
		           : over(w, op, ACT_ORGS_MANAGE, new_parent, -1, ex);
	case ORG_OP_DELETE:
		if (!over(w, op, ACT_ORGS_MANAGE, org, -1, ex))
			return false;
		if (engine_org_has_dependants(w, org)) {
			if ((r = explain_add(ex, WHY_ADMIN_DEPENDENTS)))
				r->org = org;
			return false;
		}
		return true;
	}
	return false;
}

bool engine_may_see_cluster(const struct engine_world *w, int op, int owner,
                            struct engine_explain *ex)
{
	return over(w, op, ACT_CLUSTERS_VIEW, owner, -1, ex);
}

bool engine_may_manage_cluster(const struct engine_world *w, int op, int owner,
                               const int *members, int n_members,
                               struct engine_explain *ex)
{
	bool ok = over(w, op, ACT_CLUSTERS_MANAGE, owner, -1, ex);
	for (int i = 0; i < n_members && (ok || ex); i++)
		if (!over(w, op, ACT_CLUSTERS_MANAGE, members[i], -1, ex))
			ok = false;
	return ok;
}

bool engine_cluster_in_use(const struct engine_world *w, int cluster)
{
	for (int i = 0; i < w->n_grants; i++)
		for (int c = 0; c < w->grants[i].n_clusters; c++)
			if (w->grants[i].clusters[c] == cluster)
				return true;
	return false;
}

/* Either lets an operator configure a study (section 5). */
static const engine_actions configure_actions =
    ENGINE_ACT(ACT_STUDY_CONFIGURE) | ENGINE_ACT(ACT_STUDY_USER_MANAGEMENT);

bool engine_may_configure_study_if(const struct engine_world *w, int op,
                                   int study, int n_entries,
                                   const struct engine_entry *entry)
{
	return (engine_study_actions_if(w, op, study, n_entries, entry) &
	        configure_actions) != 0;
}

bool engine_may_configure_study(const struct engine_world *w, int op, int study,
                                struct engine_explain *ex)
{
	if (engine_study_actions(w, op, study, NULL) & configure_actions)
		return true;
	struct engine_reason *r = explain_add(ex, WHY_ADMIN_NO_STUDY_ACCESS);
	if (r) {
		r->user = op;
		r->study = study;
		ex->depth++;
		engine_study_actions(w, op, study, ex);
		ex->depth--;
	}
	return false;
}

bool engine_may_change_entry(const struct engine_world *w, int op, int study,
                             int v, struct engine_explain *ex)
{
	return !self(op, v, ex) && engine_may_configure_study(w, op, study, ex);
}

bool engine_may_change_settings(const struct engine_world *w, int op,
                                struct engine_explain *ex)
{
	return engine_allows_on_a_root(w, op, ACT_ACCESS_GRANT_ANY, ex);
}

bool engine_may_read_audit(const struct engine_world *w, int op,
                           const int *orgs, int n_orgs,
                           struct engine_explain *ex)
{
	if (n_orgs == 0)
		return engine_allows_on_a_root(w, op, ACT_AUDIT_VIEW, ex);
	for (int i = 0; i < n_orgs; i++)
		if (engine_org_allows(w, op, ACT_AUDIT_VIEW, orgs[i], -1, NULL))
			return true;
	for (int i = 0; i < n_orgs && ex; i++)
		over(w, op, ACT_AUDIT_VIEW, orgs[i], -1, ex);
	return false;
}

bool engine_import_candidate(const struct engine_world *w, int v, int site,
                             int role)
{
	const struct engine_user *u = &w->users[v];
	if (!u->enabled)
		return false;
	if (site >= 0 && u->n_sites > 0) {
		bool found = false;
		for (int i = 0; i < u->n_sites; i++)
			found |= u->sites[i].site == site;
		if (!found)
			return false;
	}
	if (role >= 0) {
		bool found = false;
		for (int i = 0; i < u->n_profile_roles; i++)
			found |= u->profile_roles[i] == role;
		if (!found)
			return false;
	}
	return true;
}
