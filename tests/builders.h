/* builders.h: the world-building steps the engine's unit tests share,
 * each asserting that the engine accepts it. Included by test_engine.c and
 * test_admin.c after <cmocka.h>. */
#ifndef ACCESSDESK_TEST_BUILDERS_H
#define ACCESSDESK_TEST_BUILDERS_H

#include "accessdesk/engine.h"

static int add_org(struct engine_world *w, const char *code, int parent,
                   bool site)
{
	int id = -1;
	assert_int_equal(engine_org_add(w, code, code, site, &id), ENGINE_OK);
	if (parent >= 0)
		assert_int_equal(engine_org_set_parent(w, id, parent),
		                 ENGINE_OK);
	return id;
}

static int add_cluster(struct engine_world *w, const char *short_name,
                       int owner, const int *members, int n)
{
	int id = -1;
	assert_int_equal(engine_cluster_add(w, short_name, short_name, owner,
	                                    members, n, &id),
	                 ENGINE_OK);
	return id;
}

static int add_study(struct engine_world *w, const char *code, int site)
{
	int id = -1;
	assert_int_equal(engine_study_add(w, code, code, site, &id), ENGINE_OK);
	return id;
}

static int add_grant(struct engine_world *w, int user, int org,
                     const int *roles, int n_roles, engine_payments pay,
                     const int *clusters, int n_clusters)
{
	int id = -1;
	assert_int_equal(engine_grant_add(w, user, org, roles, n_roles, pay,
	                                  clusters, n_clusters, &id),
	                 ENGINE_OK);
	return id;
}

static void set_profile(struct engine_world *w, int user, const int *roles,
                        int n_roles,
                        const struct engine_site_restriction *sites,
                        int n_sites, const int *studies, int n_studies)
{
	assert_int_equal(engine_user_set_profile(w, user, roles, n_roles, sites,
	                                         n_sites, studies, n_studies),
	                 ENGINE_OK);
}

#endif
