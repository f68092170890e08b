/* explain.c: recording reasons and turning them into one line of text each
 * (access-model.md section 6). The words are the spec's where it has them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

void engine_explain_init(struct engine_explain *ex)
{
	*ex = (struct engine_explain){0};
}

void engine_explain_reset(struct engine_explain *ex)
{
	ex->n = 0;
	ex->nomem = false;
	ex->depth = 0;
}

void engine_explain_free(struct engine_explain *ex)
{
	free(ex->r);
	engine_explain_init(ex);
}

struct engine_reason *explain_add(struct engine_explain *ex,
                                  enum engine_why why)
{
	if (!ex)
		return NULL;
	if (ex->n == ex->cap) {
		int ncap = ex->cap ? ex->cap * 2 : 16;
		struct engine_reason *p =
		    realloc(ex->r, (size_t)ncap * sizeof *p);
		if (!p) {
			ex->nomem = true;
			return NULL;
		}
		ex->r = p;
		ex->cap = ncap;
	}
	struct engine_reason *r = &ex->r[ex->n++];
	*r = (struct engine_reason){.why = why,
	                            .depth = ex->depth,
	                            .grant = -1,
	                            .role = -1,
	                            .cluster = -1,
	                            .member = -1,
	                            .org = -1,
	                            .study = -1,
	                            .user = -1,
	                            .action = -1,
	                            .payment = -1};
	return r;
}

/* A bounded writer: appends with snprintf, counts what it would write. */
struct out {
	char *buf;
	size_t len;
	int n;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t at = (size_t)o->n < o->len ? (size_t)o->n : o->len;
	int k = vsnprintf(o->buf ? o->buf + at : NULL, o->buf ? o->len - at : 0,
	                  fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += k;
}

static void put_actions(struct out *o, engine_actions a)
{
	const char *sep = "";
	for (int i = 0; i < ACT_COUNT; i++) {
		if (a & ENGINE_ACT(i)) {
			put(o, "%s%s", sep, engine_action_name(i));
			sep = " ";
		}
	}
	if (!*sep)
		put(o, "none");
}

static const char *org_code(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_orgs ? w->orgs[id].code : "?";
}

static const char *role_name(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_roles ? w->roles[id].name : "?";
}

static const char *study_code(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_studies ? w->studies[id].code : "?";
}

static const char *login(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_users ? w->users[id].login : "?";
}

static const struct engine_grant *grant_of(const struct engine_world *w,
                                           const struct engine_reason *r)
{
	return r->grant >= 0 && r->grant < w->n_grants ? &w->grants[r->grant]
	                                               : NULL;
}

static void put_clusters(struct out *o, const struct engine_world *w,
                         const struct engine_grant *g)
{
	for (int i = 0; i < g->n_clusters; i++) {
		const struct engine_cluster *c = &w->clusters[g->clusters[i]];
		put(o, "%s%s%s", i ? ", " : "", c->short_name,
		    c->n_members ? "" : " (no members)");
	}
}

static void put_grant_reason(struct out *o, const struct engine_world *w,
                             const struct engine_reason *r)
{
	const struct engine_grant *g = grant_of(w, r);
	const char *at = g ? org_code(w, g->org) : "?";
	const char *act = engine_action_name(r->action);
	put(o, "grant %s: ", at);
	switch (r->why) {
	case WHY_ALLOW_GRANT:
		put(o, "role %s", role_name(w, r->role));
		if (r->cluster >= 0)
			put(o, ", cluster %s, member %s",
			    w->clusters[r->cluster].short_name,
			    org_code(w, r->member));
		break;
	case WHY_NO_ROLE_WITH_ACTION:
		put(o, "no role has %s", act);
		break;
	case WHY_NOT_IN_SUBTREE:
		put(o, "%s is not %s or below it", org_code(w, r->org), at);
		break;
	case WHY_NOT_IN_CLUSTERS:
		put(o, "%s is not within its clusters ", org_code(w, r->org));
		if (g)
			put_clusters(o, w, g);
		break;
	case WHY_ROLE_ORG_ONLY:
		put(o, "role %s acts on %s only", role_name(w, r->role), at);
		break;
	case WHY_NO_PAYMENT_TYPE:
		put(o, "no payment type %s", engine_payment_name(r->payment));
		break;
	default:
		break;
	}
}

int engine_reason_format(const struct engine_world *w,
                         const struct engine_reason *r, char *buf, size_t len)
{
	struct out o = {buf, len, 0};
	if (buf && len)
		buf[0] = '\0';
	const char *study = study_code(w, r->study);
	switch (r->why) {
	case WHY_ALLOW_GRANT:
	case WHY_NO_ROLE_WITH_ACTION:
	case WHY_NOT_IN_SUBTREE:
	case WHY_NOT_IN_CLUSTERS:
	case WHY_ROLE_ORG_ONLY:
	case WHY_NO_PAYMENT_TYPE:
		put_grant_reason(&o, w, r);
		break;
	case WHY_ALLOW_LISTED:
		put(&o, "listed for %s with all profile roles: ", study);
		put_actions(&o, r->actions);
		break;
	case WHY_ALLOW_LISTED_ROLE:
		put(&o, "listed for %s with role %s: ", study,
		    role_name(w, r->role));
		put_actions(&o, r->actions);
		break;
	case WHY_ALLOW_USER_MANAGEMENT:
		put(&o, "Study User Management reaches every study: ");
		put_actions(&o, r->actions);
		break;
	case WHY_ALLOW_PROFILE:
		put(&o,
		    "profile: %s has no user access list and the "
		    "restrictions allow it: ",
		    study);
		put_actions(&o, r->actions);
		break;
	case WHY_RECRUITMENT_ONLY:
		put(&o, "recruitment only at site %s", org_code(w, r->org));
		break;
	case WHY_ALLOW_ADMIN:
		put(&o, "allowed");
		break;
	case WHY_USER_DISABLED:
		put(&o, "user disabled");
		break;
	case WHY_NO_GRANTS:
		put(&o, "user has no organisation grants");
		break;
	case WHY_NO_PROFILE_ROLE:
		put(&o, "no role: cannot log in");
		break;
	case WHY_ENTRY_ROLE_NOT_IN_PROFILE:
		put(&o, "study role no longer in the user's profile (%s in %s)",
		    role_name(w, r->role), study);
		break;
	case WHY_NOT_LISTED:
		put(&o, "study uses a user access list; user not listed (%s)",
		    study);
		break;
	case WHY_STUDY_RESTRICTION:
		put(&o,
		    "study restriction (%s is not a restricted study of "
		    "the user)",
		    study);
		break;
	case WHY_SITE_RESTRICTION:
		put(&o,
		    "site restriction (site %s of %s is not among the "
		    "user's sites)",
		    org_code(w, r->org), study);
		break;
	case WHY_SITE_RESTRICTION_REQUIRED:
		put(&o, "site restriction required");
		break;
	case WHY_STUDY_RESTRICTION_REQUIRED:
		put(&o, "study restriction required");
		break;
	case WHY_NO_ACTION_LEFT:
		put(&o, "no action left (recruitment only at site %s)",
		    org_code(w, r->org));
		break;
	case WHY_ACTION_NOT_GRANTED:
		put(&o, "%s is not among the actions left in %s",
		    engine_action_name(r->action), study);
		break;
	case WHY_ADMIN_LACKS:
		put(&o, "%s lacks %s over %s", login(w, r->user),
		    engine_action_name(r->action), org_code(w, r->org));
		break;
	case WHY_ADMIN_LACKS_ROOT:
		put(&o, "%s lacks %s over a root organisation",
		    login(w, r->user), engine_action_name(r->action));
		break;
	case WHY_ADMIN_SELF:
		put(&o, "operators may change only their own contact details");
		break;
	case WHY_ADMIN_ESCALATION:
		put(&o,
		    "escalation: role %s would give %s over %s, which %s "
		    "does not hold",
		    role_name(w, r->role), engine_action_name(r->action),
		    org_code(w, r->org), login(w, r->user));
		break;
	case WHY_ADMIN_PROFILE_ESCALATION:
		put(&o,
		    "escalation: profile role %s has powers %s's "
		    "profile lacks: ",
		    role_name(w, r->role), login(w, r->user));
		put_actions(&o, r->actions);
		break;
	case WHY_ADMIN_CLUSTER_NOT_OWNED:
		put(&o, "cluster %s is not owned by %s",
		    r->cluster >= 0 && r->cluster < w->n_clusters
		        ? w->clusters[r->cluster].short_name
		        : "?",
		    org_code(w, r->org));
		break;
	case WHY_ADMIN_LOCKOUT:
		put(&o, "no enabled user would hold System Administrator on a "
		        "root through a grant with no cluster selected");
		break;
	case WHY_ADMIN_DEPENDENTS:
		put(&o,
		    "%s has dependants (children, grants, clusters, "
		    "memberships, studies or site restrictions)",
		    org_code(w, r->org));
		break;
	case WHY_ADMIN_CYCLE:
		put(&o, "%s is %s or below it: the move would make a cycle",
		    org_code(w, r->member), org_code(w, r->org));
		break;
	case WHY_ADMIN_NO_STUDY_ACCESS:
		put(&o,
		    "%s has neither study.configure nor "
		    "study.user_management in %s",
		    login(w, r->user), study);
		break;
	case WHY_COUNT:
		break;
	}
	return o.n;
}
