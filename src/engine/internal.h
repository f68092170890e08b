/* internal.h: the engine world's layout, shared by the engine's files only.
 * Everything outside src/engine/ goes through include/accessdesk/engine.h. */
#ifndef ACCESSDESK_ENGINE_INTERNAL_H
#define ACCESSDESK_ENGINE_INTERNAL_H

#include "accessdesk/engine.h"

/* An open-addressing hash index of entity ids by their string key. */
struct key_index {
	int *slots; /* -1 empty */
	size_t cap; /* power of two, or 0 */
	size_t n;
};

struct engine_world {
	struct engine_org *orgs;
	int n_orgs, cap_orgs;
	struct engine_role *roles;
	int n_roles, cap_roles;
	struct engine_cluster *clusters;
	int n_clusters, cap_clusters;
	struct engine_study *studies;
	int n_studies, cap_studies;
	struct engine_user *users;
	int n_users, cap_users;
	struct engine_grant *grants;
	int n_grants, cap_grants;

	struct key_index org_index, role_index, cluster_index, study_index,
	    user_index;

	int *by_pre; /* org id by preorder number */
	int *roots;  /* root org ids, in stored order */
	int n_roots;
	bool indexed;

	struct engine_settings settings;
};

/* Records a reason when ex is not NULL; returns its slot or NULL. */
struct engine_reason *explain_add(struct engine_explain *ex,
                                  enum engine_why why);

/* Does the grant's reach (after cluster narrowing) contain org? On success
 * *cluster and *member name what let it in (-1 without clusters). */
bool grant_reaches(const struct engine_world *w, const struct engine_grant *g,
                   int org, int *cluster, int *member);

/* The brief of a grant (see engine.h). */
struct engine_grant_brief grant_brief(const struct engine_grant *g);

#endif
