/* world.c: building the engine's world: entities, key indexes, and the
 * preorder numbering of the organisation forest that makes a descendant
 * test O(1). Every add validates what it can alone and leaves the world
 * unchanged on error. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* ---- growth and strings ---------------------------------------------- */

/* Ensures room for one more item in an array of `size`-byte items. */
static bool grow(void **items, int *cap, int n, size_t size)
{
	if (n < *cap)
		return true;
	int ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*items, (size_t)ncap * size);
	if (!p)
		return false;
	*items = p;
	*cap = ncap;
	return true;
}

static char *dup_str(const char *s)
{
	return strdup(s ? s : "");
}

/* True when the list holds the same int twice. Lists are short. */
static bool has_duplicate(const int *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = 0; j < i; j++)
			if (v[i] == v[j])
				return true;
	return false;
}

/* ---- key indexes ------------------------------------------------------ */

typedef const char *key_fn(const struct engine_world *w, int id);

static const char *org_key(const struct engine_world *w, int id)
{
	return w->orgs[id].code;
}
static const char *role_key(const struct engine_world *w, int id)
{
	return w->roles[id].name;
}
static const char *cluster_key(const struct engine_world *w, int id)
{
	return w->clusters[id].short_name;
}
static const char *study_key(const struct engine_world *w, int id)
{
	return w->studies[id].code;
}
static const char *user_key(const struct engine_world *w, int id)
{
	return w->users[id].login;
}

static size_t hash_key(const char *s, bool fold)
{
	size_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 1099511628211u;
	}
	return h;
}

static bool same_key(const char *a, const char *b, bool fold)
{
	return fold ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static int index_find(const struct engine_world *w, const struct key_index *ix,
                      key_fn *key, bool fold, const char *k)
{
	if (!ix->cap || !k)
		return -1;
	for (size_t i = hash_key(k, fold) & (ix->cap - 1);;
	     i = (i + 1) & (ix->cap - 1)) {
		int id = ix->slots[i];
		if (id < 0)
			return -1;
		if (same_key(key(w, id), k, fold))
			return id;
	}
}

static void index_place(const struct engine_world *w, int *slots, size_t cap,
                        key_fn *key, bool fold, int id)
{
	size_t i = hash_key(key(w, id), fold) & (cap - 1);
	while (slots[i] >= 0)
		i = (i + 1) & (cap - 1);
	slots[i] = id;
}

/* Makes room for one more key; the caller then places it. */
static bool index_reserve(const struct engine_world *w, struct key_index *ix,
                          key_fn *key, bool fold)
{
	if ((ix->n + 1) * 2 <= ix->cap)
		return true;
	size_t ncap = ix->cap ? ix->cap * 2 : 64;
	int *slots = malloc(ncap * sizeof *slots);
	if (!slots)
		return false;
	memset(slots, 0xff, ncap * sizeof *slots);
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slots[i] >= 0)
			index_place(w, slots, ncap, key, fold, ix->slots[i]);
	free(ix->slots);
	ix->slots = slots;
	ix->cap = ncap;
	return true;
}

static void index_insert(const struct engine_world *w, struct key_index *ix,
                         key_fn *key, bool fold, int id)
{
	index_place(w, ix->slots, ix->cap, key, fold, id);
	ix->n++;
}

int engine_org_find(const struct engine_world *w, const char *code)
{
	return index_find(w, &w->org_index, org_key, true, code);
}
int engine_role_find(const struct engine_world *w, const char *name)
{
	return index_find(w, &w->role_index, role_key, false, name);
}
int engine_cluster_find(const struct engine_world *w, const char *short_name)
{
	return index_find(w, &w->cluster_index, cluster_key, false, short_name);
}
int engine_study_find(const struct engine_world *w, const char *code)
{
	return index_find(w, &w->study_index, study_key, false, code);
}
int engine_user_find(const struct engine_world *w, const char *login)
{
	return index_find(w, &w->user_index, user_key, false, login);
}

int engine_grant_find(const struct engine_world *w, int user, int org)
{
	if (user < 0 || user >= w->n_users)
		return -1;
	const struct engine_user *u = &w->users[user];
	for (int i = 0; i < u->n_grants; i++)
		if (w->grants[u->grants[i]].org == org)
			return u->grants[i];
	return -1;
}

/* ---- the world -------------------------------------------------------- */

static const struct {
	const char *name;
	enum engine_domain domain;
	enum engine_reach reach;
	engine_actions actions;
} builtin_roles[ROLE_BUILTIN_COUNT] = {
    [ROLE_SYSTEM_ADMINISTRATOR] = {"System Administrator", DOMAIN_ORGANISATION,
                                   REACH_SUBTREE, ENGINE_ORG_ACTIONS},
    [ROLE_ADVANCED_USER_ADMINISTRATOR] =
        {"Advanced User Administrator", DOMAIN_ORGANISATION, REACH_SUBTREE,
         ENGINE_ACT(ACT_ORG_VIEW) | ENGINE_ACT(ACT_USERS_VIEW) |
             ENGINE_ACT(ACT_USERS_MANAGE) |
             ENGINE_ACT(ACT_USERS_MANAGE_STUDY_PROFILE) |
             ENGINE_ACT(ACT_CLUSTERS_VIEW) | ENGINE_ACT(ACT_CLUSTERS_MANAGE) |
             ENGINE_ACT(ACT_REPORTS_RUN) | ENGINE_ACT(ACT_AUDIT_VIEW)},
    [ROLE_USER_ADMINISTRATOR] = {"User Administrator", DOMAIN_ORGANISATION,
                                 REACH_ORGANISATION,
                                 ENGINE_ACT(ACT_ORG_VIEW) |
                                     ENGINE_ACT(ACT_USERS_VIEW) |
                                     ENGINE_ACT(ACT_USERS_MANAGE) |
                                     ENGINE_ACT(ACT_CLUSTERS_VIEW) |
                                     ENGINE_ACT(ACT_REPORTS_RUN)},
    [ROLE_VIEW] = {"View", DOMAIN_ORGANISATION, REACH_SUBTREE,
                   ENGINE_ACT(ACT_ORG_VIEW) | ENGINE_ACT(ACT_USERS_VIEW) |
                       ENGINE_ACT(ACT_CLUSTERS_VIEW) |
                       ENGINE_ACT(ACT_REPORTS_RUN) |
                       ENGINE_ACT(ACT_ACHIEVEMENT_VIEW)},
    [ROLE_STUDY_ADMINISTRATOR] = {"Study Administrator", DOMAIN_STUDY,
                                  REACH_SUBTREE, ENGINE_STUDY_ACTIONS},
    [ROLE_STUDY_COORDINATOR] = {"Study Coordinator", DOMAIN_STUDY,
                                REACH_SUBTREE,
                                ENGINE_ACT(ACT_STUDY_VIEW) |
                                    ENGINE_ACT(ACT_STUDY_CONFIGURE) |
                                    ENGINE_ACT(ACT_SUBJECT_VIEW) |
                                    ENGINE_ACT(ACT_DATA_ENTRY)},
    [ROLE_INVESTIGATOR] = {"Investigator", DOMAIN_STUDY, REACH_SUBTREE,
                           ENGINE_ACT(ACT_STUDY_VIEW) |
                               ENGINE_ACT(ACT_SUBJECT_VIEW) |
                               ENGINE_ACT(ACT_SUBJECT_EDIT) |
                               ENGINE_ACT(ACT_DATA_REVIEW)},
    [ROLE_DATA_MANAGER] = {"Data Manager", DOMAIN_STUDY, REACH_SUBTREE,
                           ENGINE_ACT(ACT_STUDY_VIEW) |
                               ENGINE_ACT(ACT_SUBJECT_VIEW) |
                               ENGINE_ACT(ACT_DATA_ENTRY) |
                               ENGINE_ACT(ACT_DATA_REVIEW)},
    [ROLE_RECRUITER] = {"Recruiter", DOMAIN_STUDY, REACH_SUBTREE,
                        ENGINE_RECRUITMENT_ACTIONS},
};

static enum engine_err role_insert(struct engine_world *w, const char *name,
                                   enum engine_domain domain,
                                   enum engine_reach reach,
                                   engine_actions actions, bool builtin,
                                   int *id);

struct engine_world *engine_world_new(void)
{
	struct engine_world *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->indexed = true; /* an empty forest is indexed */
	for (int r = 0; r < ROLE_BUILTIN_COUNT; r++) {
		if (role_insert(w, builtin_roles[r].name,
		                builtin_roles[r].domain, builtin_roles[r].reach,
		                builtin_roles[r].actions, true,
		                NULL) != ENGINE_OK) {
			engine_world_free(w);
			return NULL;
		}
	}
	return w;
}

void engine_world_free(struct engine_world *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->n_orgs; i++) {
		free(w->orgs[i].code);
		free(w->orgs[i].name);
	}
	for (int i = 0; i < w->n_roles; i++)
		free(w->roles[i].name);
	for (int i = 0; i < w->n_clusters; i++) {
		free(w->clusters[i].name);
		free(w->clusters[i].members);
	}
	for (int i = 0; i < w->n_studies; i++) {
		free(w->studies[i].code);
		free(w->studies[i].name);
	}
	for (int i = 0; i < w->n_users; i++) {
		struct engine_user *u = &w->users[i];
		free(u->login);
		free(u->first_name);
		free(u->last_name);
		free(u->grants);
		free(u->profile_roles);
		free(u->sites);
		free(u->studies);
		free(u->entries);
	}
	for (int i = 0; i < w->n_grants; i++)
		free(w->grants[i].roles); /* clusters share the block */
	free(w->orgs);
	free(w->roles);
	free(w->clusters);
	free(w->studies);
	free(w->users);
	free(w->grants);
	free(w->org_index.slots);
	free(w->role_index.slots);
	free(w->cluster_index.slots);
	free(w->study_index.slots);
	free(w->user_index.slots);
	free(w->by_pre);
	free(w->roots);
	free(w);
}

int engine_n_orgs(const struct engine_world *w)
{
	return w->n_orgs;
}
int engine_n_roles(const struct engine_world *w)
{
	return w->n_roles;
}
int engine_n_clusters(const struct engine_world *w)
{
	return w->n_clusters;
}
int engine_n_studies(const struct engine_world *w)
{
	return w->n_studies;
}
int engine_n_users(const struct engine_world *w)
{
	return w->n_users;
}
int engine_n_grants(const struct engine_world *w)
{
	return w->n_grants;
}
const struct engine_org *engine_org(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_orgs ? &w->orgs[id] : NULL;
}
const struct engine_role *engine_role(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_roles ? &w->roles[id] : NULL;
}
const struct engine_cluster *engine_cluster(const struct engine_world *w,
                                            int id)
{
	return id >= 0 && id < w->n_clusters ? &w->clusters[id] : NULL;
}
const struct engine_study *engine_study(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_studies ? &w->studies[id] : NULL;
}
const struct engine_user *engine_user(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_users ? &w->users[id] : NULL;
}
const struct engine_grant *engine_grant(const struct engine_world *w, int id)
{
	return id >= 0 && id < w->n_grants ? &w->grants[id] : NULL;
}
struct engine_settings *engine_settings(struct engine_world *w)
{
	return &w->settings;
}
const struct engine_settings *engine_settings_get(const struct engine_world *w)
{
	return &w->settings;
}

/* ---- adding entities -------------------------------------------------- */

enum engine_err engine_org_add(struct engine_world *w, const char *code,
                               const char *name, bool is_site, int *id)
{
	if (!code || !engine_valid_org_code(code))
		return ENGINE_EBAD_CODE;
	if (engine_org_find(w, code) >= 0)
		return ENGINE_EDUP_ORG;
	if (!grow((void **)&w->orgs, &w->cap_orgs, w->n_orgs,
	          sizeof *w->orgs) ||
	    !index_reserve(w, &w->org_index, org_key, true))
		return ENGINE_ENOMEM;
	struct engine_org o = {.code = dup_str(code),
	                       .name = dup_str(name),
	                       .parent = -1,
	                       .is_site = is_site};
	if (!o.code || !o.name) {
		free(o.code);
		free(o.name);
		return ENGINE_ENOMEM;
	}
	w->orgs[w->n_orgs] = o;
	index_insert(w, &w->org_index, org_key, true, w->n_orgs);
	if (id)
		*id = w->n_orgs;
	w->n_orgs++;
	w->indexed = false;
	return ENGINE_OK;
}

enum engine_err engine_org_set_parent(struct engine_world *w, int org,
                                      int parent)
{
	if (org < 0 || org >= w->n_orgs || parent < -1 || parent >= w->n_orgs)
		return ENGINE_ENO_SUCH;
	for (int p = parent; p >= 0; p = w->orgs[p].parent)
		if (p == org)
			return ENGINE_ECYCLE;
	w->orgs[org].parent = parent;
	w->indexed = false;
	return ENGINE_OK;
}

static enum engine_err role_insert(struct engine_world *w, const char *name,
                                   enum engine_domain domain,
                                   enum engine_reach reach,
                                   engine_actions actions, bool builtin,
                                   int *id)
{
	if (!name || !*name)
		return ENGINE_EEMPTY_NAME;
	int old = engine_role_find(w, name);
	if (old >= 0)
		return w->roles[old].builtin ? ENGINE_EBUILTIN_ROLE
		                             : ENGINE_EDUP_ROLE;
	if (!actions)
		return ENGINE_ENO_ACTIONS;
	if (actions & ~ENGINE_ALL_ACTIONS)
		return ENGINE_EBAD_ACTION;
	engine_actions own =
	    domain == DOMAIN_STUDY ? ENGINE_STUDY_ACTIONS : ENGINE_ORG_ACTIONS;
	if (actions & ~own)
		return ENGINE_EACTION_DOMAIN;
	if (domain == DOMAIN_STUDY && reach != REACH_SUBTREE)
		return ENGINE_EREACH_STUDY;
	if (!grow((void **)&w->roles, &w->cap_roles, w->n_roles,
	          sizeof *w->roles) ||
	    !index_reserve(w, &w->role_index, role_key, false))
		return ENGINE_ENOMEM;
	char *copy = dup_str(name);
	if (!copy)
		return ENGINE_ENOMEM;
	w->roles[w->n_roles] = (struct engine_role){.name = copy,
	                                            .domain = domain,
	                                            .reach = reach,
	                                            .actions = actions,
	                                            .builtin = builtin};
	index_insert(w, &w->role_index, role_key, false, w->n_roles);
	if (id)
		*id = w->n_roles;
	w->n_roles++;
	return ENGINE_OK;
}

enum engine_err engine_role_add(struct engine_world *w, const char *name,
                                enum engine_domain domain,
                                enum engine_reach reach, engine_actions actions,
                                int *id)
{
	return role_insert(w, name, domain, reach, actions, false, id);
}

/* Is org a strict descendant of owner? Needs an indexed tree. */
static bool strictly_below(const struct engine_world *w, int org, int owner)
{
	return org != owner && engine_in_subtree(w, org, owner);
}

enum engine_err engine_cluster_add(struct engine_world *w,
                                   const char *short_name, const char *name,
                                   int owner, const int *members, int n_members,
                                   int *id)
{
	if (!w->indexed)
		return ENGINE_ENOT_INDEXED;
	if (!short_name || !engine_valid_short_name(short_name))
		return ENGINE_EBAD_SHORT_NAME;
	if (!name || !*name)
		return ENGINE_EEMPTY_NAME;
	if (engine_cluster_find(w, short_name) >= 0)
		return ENGINE_EDUP_CLUSTER;
	if (owner < 0 || owner >= w->n_orgs)
		return ENGINE_ENO_SUCH;
	for (int i = 0; i < n_members; i++) {
		if (members[i] < 0 || members[i] >= w->n_orgs)
			return ENGINE_ENO_SUCH;
		if (!strictly_below(w, members[i], owner))
			return ENGINE_EMEMBER_OUTSIDE;
	}
	if (has_duplicate(members, n_members))
		return ENGINE_EDUP_ITEM;
	if (!grow((void **)&w->clusters, &w->cap_clusters, w->n_clusters,
	          sizeof *w->clusters) ||
	    !index_reserve(w, &w->cluster_index, cluster_key, false))
		return ENGINE_ENOMEM;
	struct engine_cluster c = {
	    .name = dup_str(name), .owner = owner, .n_members = n_members};
	c.members = malloc((size_t)(n_members ? n_members : 1) * sizeof(int));
	if (!c.name || !c.members) {
		free(c.name);
		free(c.members);
		return ENGINE_ENOMEM;
	}
	if (n_members)
		memcpy(c.members, members, (size_t)n_members * sizeof(int));
	memcpy(c.short_name, short_name, 11);
	w->clusters[w->n_clusters] = c;
	index_insert(w, &w->cluster_index, cluster_key, false, w->n_clusters);
	if (id)
		*id = w->n_clusters;
	w->n_clusters++;
	return ENGINE_OK;
}

enum engine_err engine_study_add(struct engine_world *w, const char *code,
                                 const char *name, int site, int *id)
{
	if (!code || !engine_valid_org_code(code))
		return ENGINE_EBAD_CODE;
	if (engine_study_find(w, code) >= 0)
		return ENGINE_EDUP_STUDY;
	if (site < 0 || site >= w->n_orgs)
		return ENGINE_ENO_SUCH;
	if (!w->orgs[site].is_site)
		return ENGINE_ENOT_SITE;
	if (!grow((void **)&w->studies, &w->cap_studies, w->n_studies,
	          sizeof *w->studies) ||
	    !index_reserve(w, &w->study_index, study_key, false))
		return ENGINE_ENOMEM;
	struct engine_study s = {
	    .code = dup_str(code), .name = dup_str(name), .site = site};
	if (!s.code || !s.name) {
		free(s.code);
		free(s.name);
		return ENGINE_ENOMEM;
	}
	w->studies[w->n_studies] = s;
	index_insert(w, &w->study_index, study_key, false, w->n_studies);
	if (id)
		*id = w->n_studies;
	w->n_studies++;
	return ENGINE_OK;
}

enum engine_err engine_user_add(struct engine_world *w, const char *login,
                                const char *first_name, const char *last_name,
                                bool enabled, int *id)
{
	if (!login || !engine_valid_login(login))
		return ENGINE_EBAD_LOGIN;
	if (engine_user_find(w, login) >= 0)
		return ENGINE_EDUP_USER;
	if (!grow((void **)&w->users, &w->cap_users, w->n_users,
	          sizeof *w->users) ||
	    !index_reserve(w, &w->user_index, user_key, false))
		return ENGINE_ENOMEM;
	struct engine_user u = {.login = dup_str(login),
	                        .first_name = dup_str(first_name),
	                        .last_name = dup_str(last_name),
	                        .enabled = enabled};
	if (!u.login || !u.first_name || !u.last_name) {
		free(u.login);
		free(u.first_name);
		free(u.last_name);
		return ENGINE_ENOMEM;
	}
	w->users[w->n_users] = u;
	index_insert(w, &w->user_index, user_key, false, w->n_users);
	if (id)
		*id = w->n_users;
	w->n_users++;
	return ENGINE_OK;
}

void engine_user_set_enabled(struct engine_world *w, int user, bool enabled)
{
	if (user >= 0 && user < w->n_users)
		w->users[user].enabled = enabled;
}

enum engine_err engine_grant_add(struct engine_world *w, int user, int org,
                                 const int *roles, int n_roles,
                                 engine_payments payments, const int *clusters,
                                 int n_clusters, int *id)
{
	if (user < 0 || user >= w->n_users || org < 0 || org >= w->n_orgs)
		return ENGINE_ENO_SUCH;
	if (n_roles < 1)
		return ENGINE_ENO_ROLES;
	if (payments & ~(engine_payments)((1u << PAY_COUNT) - 1))
		return ENGINE_EBAD_PAYMENT;
	engine_actions subtree = 0, own = 0;
	for (int i = 0; i < n_roles; i++) {
		if (roles[i] < 0 || roles[i] >= w->n_roles)
			return ENGINE_ENO_SUCH;
		const struct engine_role *r = &w->roles[roles[i]];
		if (r->domain != DOMAIN_ORGANISATION)
			return ENGINE_EROLE_DOMAIN;
		if (r->reach == REACH_SUBTREE)
			subtree |= r->actions;
		else
			own |= r->actions;
	}
	for (int i = 0; i < n_clusters; i++) {
		if (clusters[i] < 0 || clusters[i] >= w->n_clusters)
			return ENGINE_ENO_SUCH;
		if (w->clusters[clusters[i]].owner != org)
			return ENGINE_ECLUSTER_NOT_OWNED;
	}
	if (has_duplicate(roles, n_roles) ||
	    has_duplicate(clusters, n_clusters))
		return ENGINE_EDUP_ITEM;
	if (engine_grant_find(w, user, org) >= 0)
		return ENGINE_EDUP_GRANT;
	struct engine_user *u = &w->users[user];
	if (!grow((void **)&w->grants, &w->cap_grants, w->n_grants,
	          sizeof *w->grants) ||
	    !grow((void **)&u->grants, &u->cap_grants, u->n_grants,
	          sizeof *u->grants))
		return ENGINE_ENOMEM;
	/* One block holds the roles, then the clusters. */
	int *block = malloc((size_t)(n_roles + n_clusters) * sizeof(int));
	if (!block)
		return ENGINE_ENOMEM;
	memcpy(block, roles, (size_t)n_roles * sizeof(int));
	if (n_clusters)
		memcpy(block + n_roles, clusters,
		       (size_t)n_clusters * sizeof(int));
	w->grants[w->n_grants] = (struct engine_grant){
	    .user = user,
	    .org = org,
	    .roles = block,
	    .n_roles = n_roles,
	    .payments = payments,
	    .clusters = block + n_roles,
	    .n_clusters = n_clusters,
	    .subtree_actions = subtree,
	    .org_actions = own,
	    .org_pre = w->orgs[org].pre,
	    .org_last = w->orgs[org].last,
	};
	if (u->n_grants < ENGINE_USER_INLINE_GRANTS)
		u->brief[u->n_grants] = grant_brief(&w->grants[w->n_grants]);
	u->grants[u->n_grants++] = w->n_grants;
	if (id)
		*id = w->n_grants;
	w->n_grants++;
	return ENGINE_OK;
}

/* Copies n items of `size` bytes into a fresh block (NULL for none). */
static bool copy_items(void **dst, const void *src, int n, size_t size)
{
	*dst = NULL;
	if (n == 0)
		return true;
	*dst = malloc((size_t)n * size);
	if (!*dst)
		return false;
	memcpy(*dst, src, (size_t)n * size);
	return true;
}

enum engine_err
engine_user_set_profile(struct engine_world *w, int user, const int *roles,
                        int n_roles,
                        const struct engine_site_restriction *sites,
                        int n_sites, const int *studies, int n_studies)
{
	if (user < 0 || user >= w->n_users)
		return ENGINE_ENO_SUCH;
	engine_actions actions = 0;
	for (int i = 0; i < n_roles; i++) {
		if (roles[i] < 0 || roles[i] >= w->n_roles)
			return ENGINE_ENO_SUCH;
		if (w->roles[roles[i]].domain != DOMAIN_STUDY)
			return ENGINE_EROLE_DOMAIN;
		actions |= w->roles[roles[i]].actions;
	}
	for (int i = 0; i < n_sites; i++) {
		int s = sites[i].site;
		if (s < 0 || s >= w->n_orgs)
			return ENGINE_ENO_SUCH;
		if (!w->orgs[s].is_site)
			return ENGINE_ENOT_SITE;
		for (int j = 0; j < i; j++)
			if (sites[j].site == s)
				return ENGINE_EDUP_ITEM;
	}
	for (int i = 0; i < n_studies; i++)
		if (studies[i] < 0 || studies[i] >= w->n_studies)
			return ENGINE_ENO_SUCH;
	if (has_duplicate(roles, n_roles) || has_duplicate(studies, n_studies))
		return ENGINE_EDUP_ITEM;
	void *r, *s, *st;
	if (!copy_items(&r, roles, n_roles, sizeof(int)))
		return ENGINE_ENOMEM;
	if (!copy_items(&s, sites, n_sites, sizeof *sites)) {
		free(r);
		return ENGINE_ENOMEM;
	}
	if (!copy_items(&st, studies, n_studies, sizeof(int))) {
		free(r);
		free(s);
		return ENGINE_ENOMEM;
	}
	struct engine_user *u = &w->users[user];
	free(u->profile_roles);
	free(u->sites);
	free(u->studies);
	u->profile_roles = r;
	u->n_profile_roles = n_roles;
	u->profile_actions = actions;
	u->sites = s;
	u->n_sites = n_sites;
	u->studies = st;
	u->n_studies = n_studies;
	return ENGINE_OK;
}

enum engine_err engine_entry_add(struct engine_world *w, int study, int user,
                                 int role)
{
	if (study < 0 || study >= w->n_studies || user < 0 ||
	    user >= w->n_users || role < -1 || role >= w->n_roles)
		return ENGINE_ENO_SUCH;
	if (role >= 0 && w->roles[role].domain != DOMAIN_STUDY)
		return ENGINE_EROLE_DOMAIN;
	struct engine_user *u = &w->users[user];
	for (int i = 0; i < u->n_entries; i++)
		if (u->entries[i].study == study)
			return ENGINE_EDUP_ENTRY;
	if (!grow((void **)&u->entries, &u->cap_entries, u->n_entries,
	          sizeof *u->entries))
		return ENGINE_ENOMEM;
	u->entries[u->n_entries++] = (struct engine_entry){study, role};
	w->studies[study].n_entries++;
	return ENGINE_OK;
}

void engine_study_set_entry_count(struct engine_world *w, int study, int n)
{
	if (study >= 0 && study < w->n_studies && n >= 0)
		w->studies[study].n_entries = n;
}

/* ---- the tree --------------------------------------------------------- */

bool engine_world_indexed(const struct engine_world *w)
{
	return w->indexed;
}

bool engine_in_subtree(const struct engine_world *w, int x, int root)
{
	return engine_in_subtree_pre(&w->orgs[x], &w->orgs[root]);
}

int engine_org_by_pre(const struct engine_world *w, int pre)
{
	return pre >= 0 && pre < w->n_orgs ? w->by_pre[pre] : -1;
}

enum engine_err engine_world_index(struct engine_world *w, int *bad)
{
	int n = w->n_orgs;
	/* Children in stored order, as a compressed list: first[p] .. */
	int *first = calloc((size_t)n + 2, sizeof(int));
	int *kids = malloc(((size_t)n + 1) * sizeof(int));
	int *stack = malloc(((size_t)n + 1) * sizeof(int));
	int *by_pre = malloc(((size_t)n + 1) * sizeof(int));
	int *roots = malloc(((size_t)n + 1) * sizeof(int));
	if (!first || !kids || !stack || !by_pre || !roots) {
		free(first);
		free(kids);
		free(stack);
		free(by_pre);
		free(roots);
		return ENGINE_ENOMEM;
	}
	/* Slot n collects the roots, so a root is a child of "n". */
	for (int i = 0; i < n; i++) {
		int p = w->orgs[i].parent < 0 ? n : w->orgs[i].parent;
		first[p + 1]++;
	}
	for (int p = 0; p <= n; p++)
		first[p + 1] += first[p];
	int *fill = stack; /* borrowed as a cursor per parent */
	memcpy(fill, first, ((size_t)n + 1) * sizeof(int));
	for (int i = 0; i < n; i++) {
		int p = w->orgs[i].parent < 0 ? n : w->orgs[i].parent;
		kids[fill[p]++] = i;
	}
	int n_roots = 0;
	for (int k = first[n]; k < first[n + 1]; k++)
		roots[n_roots++] = kids[k];

	/* Iterative preorder: push children in reverse so they pop in
	 * stored order; `last` is set when a node's subtree is done, which
	 * a second pass computes bottom-up from the preorder. */
	int pre = 0, top = 0;
	for (int r = n_roots - 1; r >= 0; r--)
		stack[top++] = roots[r];
	while (top > 0) {
		int o = stack[--top];
		w->orgs[o].pre = pre;
		by_pre[pre++] = o;
		for (int k = first[o + 1] - 1; k >= first[o]; k--)
			stack[top++] = kids[k];
	}
	for (int i = 0; i < n; i++)
		w->orgs[i].last = w->orgs[i].pre;
	for (int p = n - 1; p >= 0; p--) {
		int o = by_pre[p], parent = w->orgs[o].parent;
		if (parent >= 0 && w->orgs[o].last > w->orgs[parent].last)
			w->orgs[parent].last = w->orgs[o].last;
	}
	free(first);
	free(kids);
	free(stack);
	free(w->by_pre);
	free(w->roots);
	w->by_pre = by_pre;
	w->roots = roots;
	w->n_roots = n_roots;
	w->indexed = true;
	for (int g = 0; g < w->n_grants; g++) {
		w->grants[g].org_pre = w->orgs[w->grants[g].org].pre;
		w->grants[g].org_last = w->orgs[w->grants[g].org].last;
	}
	for (int u = 0; u < w->n_users; u++) {
		struct engine_user *user = &w->users[u];
		for (int i = 0;
		     i < user->n_grants && i < ENGINE_USER_INLINE_GRANTS; i++)
			user->brief[i] =
			    grant_brief(&w->grants[user->grants[i]]);
	}

	for (int c = 0; c < w->n_clusters; c++) {
		const struct engine_cluster *cl = &w->clusters[c];
		for (int i = 0; i < cl->n_members; i++) {
			if (!strictly_below(w, cl->members[i], cl->owner)) {
				if (bad)
					*bad = c;
				/* no decision over a tree that breaks it */
				w->indexed = false;
				return ENGINE_EMEMBER_OUTSIDE;
			}
		}
	}
	return ENGINE_OK;
}
