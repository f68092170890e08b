/* test_admin.c: unit tests of administering access, access-model.md
 * section 5 ("what the console lets an operator do").
 *
 * One test (at least) per row of the section 5 table, each with an allowed
 * and a refused case; the test quotes the row it covers. Every decision is
 * taken twice, without and with an explanation, and must agree; a refusal
 * must say why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>

#include <cmocka.h>

#include "builders.h"

#include "accessdesk/engine.h"

#define IDS(...)  ((const int[]){__VA_ARGS__})
#define NIDS(...) ((int)(sizeof((const int[]){__VA_ARGS__}) / sizeof(int)))
#define LIST(...) IDS(__VA_ARGS__), NIDS(__VA_ARGS__)
#define A(x)      ENGINE_ACT(ACT_##x)
#define PAY(x)    ENGINE_PAY(PAY_##x)

/* The world every test starts from:
 *
 *   nhs                          X-ROOT
 *     lat04                        X01
 *       cgc04
 *         A01AAA (site)
 *         B01BBB (site)
 *       man04
 *         C01CCC (site)
 *     lat05
 *       D01DDD (site)
 *
 * Clusters: east [A01AAA], north [man04], west [cgc04] owned by lat04;
 * fifth [D01DDD] owned by lat05. Studies: S-A at A01AAA, S-C at B01BBB, S-D
 * at D01DDD.
 *
 * Operators: sysadm (System Administrator at nhs, every payment type,
 * profile Study Administrator), aua (Advanced User Administrator at lat04,
 * profile Investigator), ua (User Administrator at lat04), viewer (View at
 * lat04).
 * Users administered: t_cgc (User Administrator at cgc04), t_cgcv (View at
 * cgc04), t_lat04 (View at lat04), t_a01 (View at A01AAA), t_nhs (View at
 * nhs), t_lat05 (View at lat05), t_both (User Administrator at cgc04 and at
 * lat05), t_none (no grant).
 */
struct ax {
	struct engine_world *w;
	int nhs, lat04, cgc04, a01, b01, man04, c01, lat05, d01, root2, x01;
	int east, north, west, fifth;
	int s_a, s_c, s_d;
	/* custom roles */
	int granter, org_manager, local_viewer, subtree_viewer, local_clusters,
	    manager_only;
	int sysadm, aua, ua, viewer;
	int t_cgc, t_cgcv, t_lat04, t_a01, t_nhs, t_lat05, t_both, t_none;
	struct engine_explain ex;
};

static int add_user(struct engine_world *w, const char *login)
{
	int id = -1;
	assert_int_equal(engine_user_add(w, login, "First", login, true, &id),
	                 ENGINE_OK);
	return id;
}

static int add_role(struct engine_world *w, const char *name,
                    enum engine_reach r, engine_actions actions)
{
	int id = -1;
	assert_int_equal(
	    engine_role_add(w, name, DOMAIN_ORGANISATION, r, actions, &id),
	    ENGINE_OK);
	return id;
}

static void set_roles(struct engine_world *w, int user, const int *roles,
                      int n_roles)
{
	set_profile(w, user, roles, n_roles, NULL, 0, NULL, 0);
}

/* A grant as it will be (or was). */
static struct engine_grant_spec gspec(int org, const int *roles, int n_roles,
                                      engine_payments pay, const int *clusters,
                                      int n_clusters)
{
	struct engine_grant_spec g = {org, roles,    n_roles,
	                              pay, clusters, n_clusters};
	return g;
}

/* A grant as it is in the world. */
static struct engine_grant_spec gspec_of(const struct engine_world *w,
                                         int grant)
{
	const struct engine_grant *g = engine_grant(w, grant);
	return gspec(g->org, g->roles, g->n_roles, g->payments, g->clusters,
	             g->n_clusters);
}

static struct engine_profile_change chg_roles(const int *roles, int n)
{
	struct engine_profile_change c = {roles, n, NULL, 0, NULL, 0};
	return c;
}

static struct engine_profile_change chg_sites(const int *sites, int n)
{
	struct engine_profile_change c = {NULL, 0, sites, n, NULL, 0};
	return c;
}

static struct engine_profile_change chg_studies(const int *studies, int n)
{
	struct engine_profile_change c = {NULL, 0, NULL, 0, studies, n};
	return c;
}

static const struct engine_reason *ex_find(const struct ax *f,
                                           enum engine_why why)
{
	for (int i = 0; i < f->ex.n; i++)
		if (f->ex.r[i].why == why)
			return &f->ex.r[i];
	return NULL;
}

/* CALL is written with `ex_` for the explanation: it is evaluated without
 * one, then with one, and both answers must agree. */
#define DECIDE(f, CALL, want)                                                  \
	do {                                                                   \
		struct engine_explain *ex_ = NULL;                             \
		bool plain_ = (CALL);                                          \
		engine_explain_reset(&(f)->ex);                                \
		ex_ = &(f)->ex;                                                \
		bool explained_ = (CALL);                                      \
		assert_int_equal(plain_, explained_);                          \
		assert_int_equal(explained_, (want));                          \
		if (!(want))                                                   \
			assert_true((f)->ex.n > 0);                            \
	} while (0)
#define ALLOWED(f, CALL) DECIDE(f, CALL, true)
#define REFUSED(f, CALL) DECIDE(f, CALL, false)
/* Refused, and the explanation holds this reason. */
#define REFUSED_WHY(f, why, CALL)                                              \
	do {                                                                   \
		REFUSED(f, CALL);                                              \
		assert_non_null(ex_find((f), (why)));                          \
	} while (0)

static int ax_setup(void **state)
{
	struct ax *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->w = engine_world_new();
	assert_non_null(f->w);
	struct engine_world *w = f->w;

	f->nhs = add_org(w, "nhs", -1, false);
	f->lat04 = add_org(w, "lat04", f->nhs, false);
	f->cgc04 = add_org(w, "cgc04", f->lat04, false);
	f->a01 = add_org(w, "A01AAA", f->cgc04, true);
	f->b01 = add_org(w, "B01BBB", f->cgc04, true);
	f->man04 = add_org(w, "man04", f->lat04, false);
	f->c01 = add_org(w, "C01CCC", f->man04, true);
	f->lat05 = add_org(w, "lat05", f->nhs, false);
	f->d01 = add_org(w, "D01DDD", f->lat05, true);
	f->root2 = add_org(w, "X-ROOT", -1, false);
	f->x01 = add_org(w, "X01", f->root2, true);
	assert_int_equal(engine_world_index(w, NULL), ENGINE_OK);

	f->east = add_cluster(w, "C61A6DB801", f->lat04, LIST(f->a01));
	f->north = add_cluster(w, "873CF39E1C", f->lat04, LIST(f->man04));
	f->west = add_cluster(w, "B089991938", f->lat04, LIST(f->cgc04));
	f->fifth = add_cluster(w, "D0000000D1", f->lat05, LIST(f->d01));

	f->s_a = add_study(w, "S-A", f->a01);
	f->s_c = add_study(w, "S-C", f->b01);
	f->s_d = add_study(w, "S-D", f->d01);

	f->granter = add_role(w, "Granter", REACH_SUBTREE,
	                      A(ACCESS_GRANT_ANY) | A(ORG_VIEW));
	f->org_manager = add_role(w, "Org Manager", REACH_SUBTREE,
	                          A(ORG_VIEW) | A(ORGS_MANAGE));
	f->local_viewer =
	    add_role(w, "Local Viewer", REACH_ORGANISATION, A(ORG_VIEW));
	f->subtree_viewer =
	    add_role(w, "Subtree Viewer", REACH_SUBTREE, A(ORG_VIEW));
	f->local_clusters =
	    add_role(w, "Local Cluster Manager", REACH_ORGANISATION,
	             A(CLUSTERS_VIEW) | A(CLUSTERS_MANAGE));
	f->manager_only = add_role(w, "Manager Only", REACH_SUBTREE,
	                           A(USERS_MANAGE) | A(ORG_VIEW));

	const engine_payments all = (engine_payments)((1u << PAY_COUNT) - 1u);
	f->sysadm = add_user(w, "sysadm");
	add_grant(w, f->sysadm, f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR), all,
	          NULL, 0);
	set_roles(w, f->sysadm, LIST(ROLE_STUDY_ADMINISTRATOR));
	f->aua = add_user(w, "aua");
	add_grant(w, f->aua, f->lat04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR),
	          0, NULL, 0);
	set_roles(w, f->aua, LIST(ROLE_INVESTIGATOR));
	f->ua = add_user(w, "ua");
	add_grant(w, f->ua, f->lat04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL,
	          0);
	set_roles(w, f->ua, LIST(ROLE_INVESTIGATOR));
	f->viewer = add_user(w, "viewer");
	add_grant(w, f->viewer, f->lat04, LIST(ROLE_VIEW), 0, NULL, 0);

	f->t_cgc = add_user(w, "t_cgc");
	add_grant(w, f->t_cgc, f->cgc04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL,
	          0);
	f->t_cgcv = add_user(w, "t_cgcv");
	add_grant(w, f->t_cgcv, f->cgc04, LIST(ROLE_VIEW), 0, NULL, 0);
	f->t_lat04 = add_user(w, "t_lat04");
	add_grant(w, f->t_lat04, f->lat04, LIST(ROLE_VIEW), 0, NULL, 0);
	f->t_a01 = add_user(w, "t_a01");
	add_grant(w, f->t_a01, f->a01, LIST(ROLE_VIEW), 0, NULL, 0);
	f->t_nhs = add_user(w, "t_nhs");
	add_grant(w, f->t_nhs, f->nhs, LIST(ROLE_VIEW), 0, NULL, 0);
	f->t_lat05 = add_user(w, "t_lat05");
	add_grant(w, f->t_lat05, f->lat05, LIST(ROLE_VIEW), 0, NULL, 0);
	f->t_both = add_user(w, "t_both");
	add_grant(w, f->t_both, f->cgc04, LIST(ROLE_USER_ADMINISTRATOR), 0,
	          NULL, 0);
	add_grant(w, f->t_both, f->lat05, LIST(ROLE_USER_ADMINISTRATOR), 0,
	          NULL, 0);
	f->t_none = add_user(w, "t_none");
	set_roles(w, f->t_none, LIST(ROLE_INVESTIGATOR));

	engine_explain_init(&f->ex);
	*state = f;
	return 0;
}

static int ax_teardown(void **state)
{
	struct ax *f = *state;
	engine_explain_free(&f->ex);
	engine_world_free(f->w);
	free(f);
	return 0;
}

/* ---- users ------------------------------------------------------------- */

/* row "see user V": "O has `users.view` over some organisation where V holds
 * a grant (a user with no grant: `users.view` over a root)" */
static void test_s5_see_user(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_see_user(w, f->aua, f->t_cgc, ex_));
	ALLOWED(f, engine_may_see_user(w, f->viewer, f->t_a01, ex_));
	/* some organisation is enough: cgc04, not lat05 */
	ALLOWED(f, engine_may_see_user(w, f->aua, f->t_both, ex_));
	ALLOWED(f, engine_may_see_user(w, f->sysadm, f->t_none, ex_));
	REFUSED(f, engine_may_see_user(w, f->aua, f->t_lat05, ex_));
	REFUSED(f, engine_may_see_user(w, f->aua, f->t_nhs, ex_));
	REFUSED_WHY(f, WHY_ADMIN_LACKS_ROOT,
	            engine_may_see_user(w, f->aua, f->t_none, ex_));
	/* a user without users.view sees nobody else */
	REFUSED(f, engine_may_see_user(w, f->t_none, f->t_cgc, ex_));
}

/* row "manage user V (details, enable/disable, resend registration)": "O has
 * `users.manage` over every organisation where V holds a grant (no grant:
 * over a root)" */
static void test_s5_manage_user(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_manage_user(w, f->aua, f->t_cgc, ex_));
	ALLOWED(f, engine_may_manage_user(w, f->sysadm, f->t_both, ex_));
	ALLOWED(f, engine_may_manage_user(w, f->sysadm, f->t_none, ex_));
	/* every organisation: lat05 is not over aua */
	REFUSED_WHY(f, WHY_ADMIN_LACKS,
	            engine_may_manage_user(w, f->aua, f->t_both, ex_));
	REFUSED(f, engine_may_manage_user(w, f->viewer, f->t_cgc, ex_));
	REFUSED_WHY(f, WHY_ADMIN_LACKS_ROOT,
	            engine_may_manage_user(w, f->aua, f->t_none, ex_));
	/* a disabled operator manages nobody */
	engine_user_set_enabled(w, f->aua, false);
	REFUSED(f, engine_may_manage_user(w, f->aua, f->t_cgc, ex_));
}

/* section 2: "a User Administrator manages the users of its own
 * organisation only, an Advanced User Administrator those of its
 * organisation and every organisation below it" */
static void test_s5_ua_own_org_only_aua_and_below(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_manage_user(w, f->ua, f->t_lat04, ex_));
	REFUSED(f, engine_may_manage_user(w, f->ua, f->t_cgc, ex_));
	REFUSED(f, engine_may_manage_user(w, f->ua, f->t_a01, ex_));
	REFUSED(f, engine_may_manage_user(w, f->ua, f->t_nhs, ex_));
	ALLOWED(f, engine_may_manage_user(w, f->aua, f->t_lat04, ex_));
	ALLOWED(f, engine_may_manage_user(w, f->aua, f->t_cgc, ex_));
	ALLOWED(f, engine_may_manage_user(w, f->aua, f->t_a01, ex_));
	REFUSED(f, engine_may_manage_user(w, f->aua, f->t_nhs, ex_));
	REFUSED(f, engine_may_manage_user(w, f->aua, f->t_lat05, ex_));
}

/* Contact details are part of "manage user V (details ...)", and "on
 * themself ... edits their own contact details" */
static void test_s5_edit_contact(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_edit_contact(w, f->aua, f->t_cgc, ex_));
	ALLOWED(f, engine_may_edit_contact(w, f->viewer, f->viewer, ex_));
	REFUSED(f, engine_may_edit_contact(w, f->viewer, f->t_cgc, ex_));
	REFUSED(f, engine_may_edit_contact(w, f->ua, f->t_cgc, ex_));
}

/* Creating a user with no grant: "V with no grant: over a root" */
static void test_s5_create_user_without_grant(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_create_user(w, f->sysadm, 0, ex_));
	REFUSED(f, engine_may_create_user(w, f->aua, 0, ex_));
	ALLOWED(f,
	        engine_allows_on_a_root(w, f->sysadm, ACT_USERS_MANAGE, ex_));
	REFUSED_WHY(f, WHY_ADMIN_LACKS_ROOT,
	            engine_allows_on_a_root(w, f->aua, ACT_USERS_MANAGE, ex_));
}

/* ---- grants ------------------------------------------------------------ */

/* row "add a grant for V at X ...": "O manages V or V is new" */
static void test_s5_grant_manages_v_or_v_new(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_grant_spec ua_a01 =
	    gspec(f->a01, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	ALLOWED(f, engine_may_change_grant(w, f->aua, f->t_cgc, false, NULL,
	                                   &ua_a01, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, -1, true, NULL, &ua_a01,
	                                   ex_));
	/* t_both also holds a grant at lat05, which aua does not manage */
	REFUSED(f, engine_may_change_grant(w, f->aua, f->t_both, false, NULL,
	                                   &ua_a01, ex_));
	REFUSED(f, engine_may_change_grant(w, f->aua, f->t_none, false, NULL,
	                                   &ua_a01, ex_));
}

/* row "add a grant ...": "O has `users.manage` over X" */
static void test_s5_grant_users_manage_over_x(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_grant_spec ua_lat05 =
	    gspec(f->lat05, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec ua_lat04 =
	    gspec(f->lat04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec ua_cgc04 =
	    gspec(f->cgc04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	REFUSED_WHY(
	    f, WHY_ADMIN_LACKS,
	    engine_may_change_grant(w, f->aua, -1, true, NULL, &ua_lat05, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, -1, true, NULL, &ua_cgc04,
	                                   ex_));
	/* a User Administrator: its own organisation only */
	ALLOWED(f, engine_may_change_grant(w, f->ua, -1, true, NULL, &ua_lat04,
	                                   ex_));
	REFUSED(f, engine_may_change_grant(w, f->ua, -1, true, NULL, &ua_cgc04,
	                                   ex_));
	REFUSED(f, engine_may_change_grant(w, f->viewer, -1, true, NULL,
	                                   &ua_cgc04, ex_));
}

/* row "add a grant ...": "selected clusters are owned by X" */
static void test_s5_grant_clusters_owned_by_x(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_grant_spec owned = gspec(
	    f->lat04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0, LIST(f->west));
	struct engine_grant_spec not_owned = gspec(
	    f->cgc04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0, LIST(f->east));
	ALLOWED(
	    f, engine_may_change_grant(w, f->aua, -1, true, NULL, &owned, ex_));
	REFUSED_WHY(f, WHY_ADMIN_CLUSTER_NOT_OWNED,
	            engine_may_change_grant(w, f->aua, -1, true, NULL,
	                                    &not_owned, ex_));
	/* not even with access.grant_any */
	REFUSED_WHY(f, WHY_ADMIN_CLUSTER_NOT_OWNED,
	            engine_may_change_grant(w, f->sysadm, -1, true, NULL,
	                                    &not_owned, ex_));
}

/* row "add a grant ...": "no escalation of power ...: for every role r of
 * the grant and every action a of r that is not a business action, O holds
 * a over every organisation that r reaches through the grant" */
static void test_s5_grant_no_escalation_roles(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_grant_spec aua_cgc =
	    gspec(f->cgc04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec sys_cgc =
	    gspec(f->cgc04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec mixed = gspec(
	    f->cgc04, LIST(ROLE_VIEW, ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec org_mgr =
	    gspec(f->cgc04, LIST(f->org_manager), 0, NULL, 0);
	ALLOWED(f, engine_may_change_grant(w, f->aua, -1, true, NULL, &aua_cgc,
	                                   ex_));
	/* orgs.manage, access.grant_any: powers aua does not hold */
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, f->aua, -1, true, NULL, &sys_cgc, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, f->aua, -1, true, NULL, &org_mgr, ex_));
	/* one role that escalates is enough, whatever the others */
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, f->aua, -1, true, NULL, &mixed, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->sysadm, -1, true, NULL,
	                                   &sys_cgc, ex_));
	/* a viewer holds View's powers but not users.manage */
	struct engine_grant_spec view_cgc =
	    gspec(f->cgc04, LIST(ROLE_VIEW), 0, NULL, 0);
	REFUSED_WHY(f, WHY_ADMIN_LACKS,
	            engine_may_change_grant(w, f->viewer, -1, true, NULL,
	                                    &view_cgc, ex_));
}

/* row "add a grant ...": "(... with `organisation` reach, X alone)": a
 * subtree role reaches the whole subtree of X */
static void test_s5_grant_no_escalation_reach(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* ua holds org.view over lat04 only */
	struct engine_grant_spec local =
	    gspec(f->lat04, LIST(f->local_viewer), 0, NULL, 0);
	struct engine_grant_spec subtree =
	    gspec(f->lat04, LIST(f->subtree_viewer), 0, NULL, 0);
	ALLOWED(f,
	        engine_may_change_grant(w, f->ua, -1, true, NULL, &local, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, f->ua, -1, true, NULL, &subtree, ex_));
	/* "Manager Only" holds users.manage and org.view over lat04's
	 * subtree but not users.view: a User Administrator grant at lat04
	 * (organisation reach) would give users.view over lat04 */
	int mo = add_user(w, "mo");
	add_grant(w, mo, f->lat04, LIST(f->manager_only), 0, NULL, 0);
	struct engine_grant_spec ua_lat04 =
	    gspec(f->lat04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, mo, -1, true, NULL, &ua_lat04, ex_));
	struct engine_grant_spec lv_cgc =
	    gspec(f->cgc04, LIST(f->local_viewer), 0, NULL, 0);
	ALLOWED(f,
	        engine_may_change_grant(w, mo, -1, true, NULL, &lv_cgc, ex_));
}

/* row "add a grant ...": "(r's reach after cluster narrowing ...)" */
static void test_s5_grant_no_escalation_after_cluster_narrowing(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* aux manages users under lat04 and holds orgs.manage (a power)
	 * under cgc04 only */
	int aux = add_user(w, "aux");
	add_grant(w, aux, f->lat04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0,
	          NULL, 0);
	add_grant(w, aux, f->cgc04, LIST(f->org_manager), 0, NULL, 0);
	struct engine_grant_spec om_west =
	    gspec(f->lat04, LIST(f->org_manager), 0, LIST(f->west));
	struct engine_grant_spec om_east =
	    gspec(f->lat04, LIST(f->org_manager), 0, LIST(f->east));
	struct engine_grant_spec om_lat04 =
	    gspec(f->lat04, LIST(f->org_manager), 0, NULL, 0);
	struct engine_grant_spec om_north =
	    gspec(f->lat04, LIST(f->org_manager), 0, LIST(f->west, f->north));
	ALLOWED(f,
	        engine_may_change_grant(w, aux, -1, true, NULL, &om_west, ex_));
	ALLOWED(f,
	        engine_may_change_grant(w, aux, -1, true, NULL, &om_east, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, aux, -1, true, NULL, &om_lat04, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, aux, -1, true, NULL, &om_north, ex_));
}

/* row "add a grant ...": "business actions and payment types need nothing
 * beyond `users.manage` over X"; section 5: "*Business actions* are ...
 * `achievement.view` and `achievement.declare` in the organisation domain
 * (with their payment types) ... Every other action is a power" */
static void test_s5_grant_business_actions_need_only_users_manage(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	const engine_payments all = (engine_payments)((1u << PAY_COUNT) - 1u);
	int declarer = -1;
	assert_int_equal(
	    engine_role_add(w, "Declarer", DOMAIN_ORGANISATION, REACH_SUBTREE,
	                    A(ACHIEVEMENT_VIEW) | A(ACHIEVEMENT_DECLARE),
	                    &declarer),
	    ENGINE_OK);
	/* aua holds neither achievement action nor any payment type */
	struct engine_grant_spec view_all_pay =
	    gspec(f->cgc04, LIST(ROLE_VIEW), all, NULL, 0);
	struct engine_grant_spec declare_qof =
	    gspec(f->cgc04, LIST(declarer), PAY(QOF), NULL, 0);
	struct engine_grant_spec ua_view_qof_des =
	    gspec(f->cgc04, LIST(ROLE_USER_ADMINISTRATOR, ROLE_VIEW),
	          PAY(QOF) | PAY(DES), NULL, 0);
	ALLOWED(f, engine_may_change_grant(w, f->aua, -1, true, NULL,
	                                   &view_all_pay, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, -1, true, NULL,
	                                   &declare_qof, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, -1, true, NULL,
	                                   &ua_view_qof_des, ex_));
	/* and on a change and a revoke: the grant as it was, too */
	struct engine_grant_spec view_was =
	    gspec_of(w, engine_grant_find(w, f->t_cgcv, f->cgc04));
	ALLOWED(f, engine_may_change_grant(w, f->aua, f->t_cgcv, false,
	                                   &view_was, &view_all_pay, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, f->t_cgcv, false,
	                                   &view_was, NULL, ex_));
	/* "nothing beyond users.manage over X": still that */
	struct engine_grant_spec view_lat05 =
	    gspec(f->lat05, LIST(ROLE_VIEW), PAY(QOF), NULL, 0);
	REFUSED_WHY(f, WHY_ADMIN_LACKS,
	            engine_may_change_grant(w, f->aua, -1, true, NULL,
	                                    &view_lat05, ex_));
	/* View's other actions are powers: ua holds them over lat04 alone,
	 * so a View grant (subtree reach) at lat04 escalates */
	struct engine_grant_spec view_lat04 =
	    gspec(f->lat04, LIST(ROLE_VIEW), PAY(QOF), NULL, 0);
	REFUSED_WHY(f, WHY_ADMIN_ESCALATION,
	            engine_may_change_grant(w, f->ua, -1, true, NULL,
	                                    &view_lat04, ex_));
	/* a role of business actions alone, at ua's own organisation and
	 * below it: nothing but users.manage over lat04 */
	struct engine_grant_spec declare_lat04 =
	    gspec(f->lat04, LIST(declarer), all, NULL, 0);
	ALLOWED(f, engine_may_change_grant(w, f->ua, -1, true, NULL,
	                                   &declare_lat04, ex_));
}

/* section 5: "(Changed 2026-12-01: the earlier rule also counted business
 * actions and payment types, so the seed's own Advanced User
 * Administrator could not tick a cluster on a grant that carried View and
 * QOF.)" The seed's lat04: Kenneth Alloway (User Administrator and View,
 * QOF and DES, clusters Eastern City and Northern Region); Gemma Barlow,
 * Advanced User Administrator at lat04 (no payment type), View with QOF at
 * cgc04. */
static void test_s5_seed_aua_ticks_view_qof_and_a_cluster(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* a third cluster of lat04's (in this file's tree) */
	int south = add_cluster(w, "E92654EEF7", f->lat04, LIST(f->man04));
	int kal = add_user(w, "kal738");
	int kal_g = add_grant(w, kal, f->lat04,
	                      LIST(ROLE_USER_ADMINISTRATOR, ROLE_VIEW),
	                      PAY(QOF) | PAY(DES), LIST(f->east, f->north));
	int gba = add_user(w, "gba204");
	add_grant(w, gba, f->cgc04, LIST(ROLE_VIEW), PAY(QOF), NULL, 0);
	add_grant(w, gba, f->lat04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0,
	          NULL, 0);
	struct engine_grant_spec was = gspec_of(w, kal_g);
	/* a cluster ticked */
	struct engine_grant_spec ticked =
	    gspec(f->lat04, LIST(ROLE_USER_ADMINISTRATOR, ROLE_VIEW),
	          PAY(QOF) | PAY(DES), LIST(f->east, f->north, south));
	ALLOWED(
	    f, engine_may_change_grant(w, gba, kal, false, &was, &ticked, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, kal, false, &was, &ticked,
	                                   ex_));
	/* View and QOF ticked on a grant of his without them */
	struct engine_grant_spec bare =
	    gspec(f->lat04, LIST(ROLE_USER_ADMINISTRATOR), 0,
	          LIST(f->east, f->north));
	ALLOWED(f,
	        engine_may_change_grant(w, gba, kal, false, &bare, &was, ex_));
	/* a User Administrator still cannot hand out System Administrator,
	 * nor a reach it lacks (View without a cluster reaches below lat04) */
	struct engine_grant_spec sys = gspec(
	    f->lat04, LIST(ROLE_USER_ADMINISTRATOR, ROLE_SYSTEM_ADMINISTRATOR),
	    PAY(QOF) | PAY(DES), LIST(f->east, f->north));
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, f->ua, kal, false, &was, &sys, ex_));
	struct engine_grant_spec wide =
	    gspec(f->lat04, LIST(ROLE_USER_ADMINISTRATOR, ROLE_VIEW), PAY(QOF),
	          NULL, 0);
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, f->ua, -1, true, NULL, &wide, ex_));
}

/* row "add a grant ...": "unless O has `access.grant_any` over X" */
static void test_s5_grant_access_grant_any(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int g = add_user(w, "granter");
	add_grant(w, g, f->lat04,
	          LIST(ROLE_ADVANCED_USER_ADMINISTRATOR, f->granter), 0, NULL,
	          0);
	/* grant_any over cgc04 only */
	int gc = add_user(w, "granter_cgc");
	add_grant(w, gc, f->lat04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0,
	          NULL, 0);
	add_grant(w, gc, f->cgc04, LIST(f->granter), 0, NULL, 0);

	const engine_payments all = (engine_payments)((1u << PAY_COUNT) - 1u);
	struct engine_grant_spec sys_cgc =
	    gspec(f->cgc04, LIST(ROLE_SYSTEM_ADMINISTRATOR), all, NULL, 0);
	struct engine_grant_spec sys_man =
	    gspec(f->man04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec sys_lat05 =
	    gspec(f->lat05, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	ALLOWED(f,
	        engine_may_change_grant(w, g, -1, true, NULL, &sys_cgc, ex_));
	ALLOWED(f,
	        engine_may_change_grant(w, gc, -1, true, NULL, &sys_cgc, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_ESCALATION,
	    engine_may_change_grant(w, gc, -1, true, NULL, &sys_man, ex_));
	/* it does not lift the other conditions */
	REFUSED(f,
	        engine_may_change_grant(w, g, -1, true, NULL, &sys_lat05, ex_));
	REFUSED(f, engine_may_change_grant(w, g, f->t_both, false, NULL,
	                                   &sys_cgc, ex_));
}

/* row "add a grant ...": "checked on the grant as it was (for a change or
 * revoke)" */
static void test_s5_grant_revoke_checks_grant_as_it_was(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_grant_spec ua_was =
	    gspec_of(w, engine_grant_find(w, f->t_cgc, f->cgc04)); /* UA */
	struct engine_grant_spec view_was =
	    gspec_of(w, engine_grant_find(w, f->t_cgcv, f->cgc04)); /* View */
	ALLOWED(f, engine_may_change_grant(w, f->aua, f->t_cgc, false, &ua_was,
	                                   NULL, ex_));
	/* revoking a System Administrator grant would take away what aua
	 * cannot give */
	int t_sys = add_user(w, "t_sys");
	struct engine_grant_spec sys_was =
	    gspec_of(w, add_grant(w, t_sys, f->cgc04,
	                          LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0));
	REFUSED_WHY(f, WHY_ADMIN_ESCALATION,
	            engine_may_change_grant(w, f->aua, t_sys, false, &sys_was,
	                                    NULL, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->sysadm, t_sys, false, &sys_was,
	                                   NULL, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, f->t_cgcv, false,
	                                   &view_was, NULL, ex_));
	/* and it needs users.manage over X too */
	REFUSED(f, engine_may_change_grant(w, f->ua, f->t_cgc, false, &ua_was,
	                                   NULL, ex_));
}

/* row "add a grant ...": "and as it will be (for an add or change)" (a
 * change is checked both ways) */
static void test_s5_grant_change_checks_both(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_grant_spec ua_was =
	    gspec_of(w, engine_grant_find(w, f->t_cgc, f->cgc04));
	struct engine_grant_spec view_was =
	    gspec_of(w, engine_grant_find(w, f->t_cgcv, f->cgc04));
	struct engine_grant_spec to_aua =
	    gspec(f->cgc04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec to_sys =
	    gspec(f->cgc04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	struct engine_grant_spec to_ua =
	    gspec(f->cgc04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	ALLOWED(f, engine_may_change_grant(w, f->aua, f->t_cgc, false, &ua_was,
	                                   &to_aua, ex_));
	REFUSED_WHY(f, WHY_ADMIN_ESCALATION,
	            engine_may_change_grant(w, f->aua, f->t_cgc, false, &ua_was,
	                                    &to_sys, ex_));
	ALLOWED(f, engine_may_change_grant(w, f->aua, f->t_cgcv, false,
	                                   &view_was, &to_ua, ex_));
	/* the grant as it was escalates */
	int t_sys = add_user(w, "t_sys");
	struct engine_grant_spec sys_was =
	    gspec_of(w, add_grant(w, t_sys, f->cgc04,
	                          LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0));
	REFUSED_WHY(f, WHY_ADMIN_ESCALATION,
	            engine_may_change_grant(w, f->aua, t_sys, false, &sys_was,
	                                    &to_ua, ex_));
}

/* ---- study profile ----------------------------------------------------- */

/* row "edit V's profile roles, site restrictions, restricted studies": "O
 * manages V and has `users.manage_study_profile` over every organisation
 * where V holds a grant (V with no grant: over a root)" */
static void test_s5_profile_manage_and_study_profile(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_profile_change inv = chg_roles(LIST(ROLE_INVESTIGATOR));
	ALLOWED(f,
	        engine_may_edit_profile(w, f->aua, f->t_cgc, false, &inv, ex_));
	ALLOWED(f, engine_may_edit_profile(w, f->aua, f->t_lat04, false, &inv,
	                                   ex_));
	/* ua manages t_lat04 but has no users.manage_study_profile */
	REFUSED_WHY(
	    f, WHY_ADMIN_LACKS,
	    engine_may_edit_profile(w, f->ua, f->t_lat04, false, &inv, ex_));
	/* not every organisation of V */
	REFUSED(
	    f, engine_may_edit_profile(w, f->aua, f->t_both, false, &inv, ex_));
	/* V with no grant: over a root */
	struct engine_profile_change site = chg_sites(LIST(f->a01));
	ALLOWED(f, engine_may_edit_profile(w, f->sysadm, f->t_none, false,
	                                   &site, ex_));
	REFUSED(f, engine_may_edit_profile(w, f->aua, f->t_none, false, &site,
	                                   ex_));
}

/* row "edit V's profile ...": "each site added or removed, and each
 * restricted study's site, is one where O has `users.manage`" */
static void test_s5_profile_sites_and_studies(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	struct engine_profile_change a01 = chg_sites(LIST(f->a01, f->b01));
	struct engine_profile_change d01 = chg_sites(LIST(f->a01, f->d01));
	struct engine_profile_change s_a = chg_studies(LIST(f->s_a, f->s_c));
	struct engine_profile_change s_d = chg_studies(LIST(f->s_d));
	ALLOWED(f,
	        engine_may_edit_profile(w, f->aua, f->t_cgc, false, &a01, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_LACKS,
	    engine_may_edit_profile(w, f->aua, f->t_cgc, false, &d01, ex_));
	ALLOWED(f,
	        engine_may_edit_profile(w, f->aua, f->t_cgc, false, &s_a, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_LACKS,
	    engine_may_edit_profile(w, f->aua, f->t_cgc, false, &s_d, ex_));
}

/* row "edit V's profile ...": "no escalation of power: each profile role
 * added or removed has only actions that O's own profile roles hold,
 * business actions excepted, unless O has `access.grant_any` over every
 * organisation where V holds a grant" */
static void test_s5_profile_no_escalation(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* aua's profile: Investigator */
	struct engine_profile_change inv = chg_roles(LIST(ROLE_INVESTIGATOR));
	struct engine_profile_change sa =
	    chg_roles(LIST(ROLE_STUDY_ADMINISTRATOR));
	struct engine_profile_change coord =
	    chg_roles(LIST(ROLE_STUDY_COORDINATOR));
	ALLOWED(f,
	        engine_may_edit_profile(w, f->aua, f->t_cgc, false, &inv, ex_));
	/* study.configure and study.user_management are powers */
	REFUSED_WHY(
	    f, WHY_ADMIN_PROFILE_ESCALATION,
	    engine_may_edit_profile(w, f->aua, f->t_cgc, false, &sa, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_PROFILE_ESCALATION,
	    engine_may_edit_profile(w, f->aua, f->t_cgc, false, &coord, ex_));
	/* removing counts as well: t_cgc holds Study Administrator */
	set_roles(w, f->t_cgc, LIST(ROLE_STUDY_ADMINISTRATOR));
	REFUSED_WHY(
	    f, WHY_ADMIN_PROFILE_ESCALATION,
	    engine_may_edit_profile(w, f->aua, f->t_cgc, false, &sa, ex_));

	/* access.grant_any over every organisation where V holds a grant */
	int g = add_user(w, "granter");
	add_grant(w, g, f->lat04,
	          LIST(ROLE_ADVANCED_USER_ADMINISTRATOR, f->granter), 0, NULL,
	          0);
	set_roles(w, g, LIST(ROLE_INVESTIGATOR));
	ALLOWED(f, engine_may_edit_profile(w, g, f->t_cgc, false, &sa, ex_));
	int gc = add_user(w, "granter_cgc");
	add_grant(w, gc, f->lat04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0,
	          NULL, 0);
	add_grant(w, gc, f->cgc04, LIST(f->granter), 0, NULL, 0);
	set_roles(w, gc, LIST(ROLE_INVESTIGATOR));
	int two = add_user(w, "t_two");
	add_grant(w, two, f->cgc04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	add_grant(w, two, f->man04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	ALLOWED(f, engine_may_edit_profile(w, gc, f->t_cgc, false, &sa, ex_));
	REFUSED_WHY(f, WHY_ADMIN_PROFILE_ESCALATION,
	            engine_may_edit_profile(w, gc, two, false, &sa, ex_));
	ALLOWED(f, engine_may_edit_profile(w, gc, two, false, &inv, ex_));
}

/* row "edit V's profile ...": "business actions excepted"; section 5:
 * business actions are "every study action except `study.configure` and
 * `study.user_management`", "as ... a ClinSpark administrator gives an
 * Investigator role" */
static void test_s5_profile_business_actions_excepted(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* aua's profile is Investigator: Data Manager adds data.entry,
	 * Recruiter the recruitment actions; all of them business actions */
	struct engine_profile_change dm = chg_roles(LIST(ROLE_DATA_MANAGER));
	struct engine_profile_change rec = chg_roles(LIST(ROLE_RECRUITER));
	ALLOWED(f,
	        engine_may_edit_profile(w, f->aua, f->t_cgc, false, &dm, ex_));
	ALLOWED(f,
	        engine_may_edit_profile(w, f->aua, f->t_cgc, false, &rec, ex_));
	/* removing one, too */
	set_roles(w, f->t_cgc, LIST(ROLE_DATA_MANAGER, ROLE_RECRUITER));
	ALLOWED(f,
	        engine_may_edit_profile(w, f->aua, f->t_cgc, false, &rec, ex_));
	/* an administrator with no profile role at all gives an Investigator
	 * role */
	int bare = add_user(w, "bare_aua");
	add_grant(w, bare, f->lat04, LIST(ROLE_ADVANCED_USER_ADMINISTRATOR), 0,
	          NULL, 0);
	struct engine_profile_change inv = chg_roles(LIST(ROLE_INVESTIGATOR));
	ALLOWED(f,
	        engine_may_edit_profile(w, bare, f->t_cgc, false, &inv, ex_));
	/* a role with one power among business actions: the power counts,
	 * and the explanation names it alone */
	int cfg = -1;
	assert_int_equal(
	    engine_role_add(
	        w, "Configuring Investigator", DOMAIN_STUDY, REACH_SUBTREE,
	        A(STUDY_VIEW) | A(DATA_ENTRY) | A(STUDY_CONFIGURE), &cfg),
	    ENGINE_OK);
	struct engine_profile_change c = chg_roles(LIST(cfg));
	REFUSED_WHY(f, WHY_ADMIN_PROFILE_ESCALATION,
	            engine_may_edit_profile(w, bare, f->t_cgc, false, &c, ex_));
	assert_int_equal(ex_find(f, WHY_ADMIN_PROFILE_ESCALATION)->actions,
	                 A(STUDY_CONFIGURE));
}

/* ---- on themself, and the lock-out ------------------------------------- */

/* row "on themself (O = V)": "O sees themself and edits their own contact
 * details; nothing else" */
static void test_s5_on_themself(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_see_user(w, f->t_none, f->t_none, ex_));
	ALLOWED(f, engine_may_see_user(w, f->aua, f->aua, ex_));
	ALLOWED(f, engine_may_edit_contact(w, f->t_none, f->t_none, ex_));
	ALLOWED(f, engine_may_edit_contact(w, f->sysadm, f->sysadm, ex_));
	/* nothing else, even for a System Administrator at the root */
	REFUSED_WHY(f, WHY_ADMIN_SELF,
	            engine_may_manage_user(w, f->sysadm, f->sysadm, ex_));
	REFUSED(f, engine_may_manage_user(w, f->aua, f->aua, ex_));
	struct engine_grant_spec mine =
	    gspec_of(w, engine_grant_find(w, f->sysadm, f->nhs));
	struct engine_grant_spec more =
	    gspec(f->lat05, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	REFUSED_WHY(f, WHY_ADMIN_SELF,
	            engine_may_change_grant(w, f->sysadm, f->sysadm, false,
	                                    NULL, &more, ex_));
	REFUSED(f, engine_may_change_grant(w, f->sysadm, f->sysadm, false,
	                                   &mine, NULL, ex_));
	struct engine_profile_change inv = chg_roles(LIST(ROLE_INVESTIGATOR));
	REFUSED_WHY(
	    f, WHY_ADMIN_SELF,
	    engine_may_edit_profile(w, f->aua, f->aua, false, &inv, ex_));
	/* the same operations on someone else are allowed */
	ALLOWED(f, engine_may_change_grant(w, f->sysadm, f->t_none, false, NULL,
	                                   &more, ex_));
}

/* row "leave the database with no enabled user holding System
 * Administrator on a root through a grant with no cluster selected (by
 * disabling, revoking, removing the role or selecting a cluster)": "never:
 * a change may not take their number from one or more to none" */
static void test_s5_keeps_root_admin(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* a cluster owned by the root, to select */
	int rc = add_cluster(w, "ABCDEF0001", f->nhs, LIST(f->lat04));
	struct engine_grant_spec same =
	    gspec_of(w, engine_grant_find(w, f->sysadm, f->nhs));
	struct engine_grant_spec narrowed =
	    gspec(f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, LIST(rc));
	struct engine_grant_spec view =
	    gspec(f->nhs, LIST(ROLE_VIEW, ROLE_ADVANCED_USER_ADMINISTRATOR), 0,
	          NULL, 0);

	ALLOWED(f, engine_keeps_root_admin(w, f->sysadm, true, &same, 1, ex_));
	/* disabling */
	REFUSED_WHY(
	    f, WHY_ADMIN_LOCKOUT,
	    engine_keeps_root_admin(w, f->sysadm, false, &same, 1, ex_));
	/* revoking */
	REFUSED(f, engine_keeps_root_admin(w, f->sysadm, true, NULL, 0, ex_));
	/* removing the role */
	REFUSED(f, engine_keeps_root_admin(w, f->sysadm, true, &view, 1, ex_));
	/* selecting a cluster */
	REFUSED(f,
	        engine_keeps_root_admin(w, f->sysadm, true, &narrowed, 1, ex_));
	/* changes to other users do not matter */
	ALLOWED(f, engine_keeps_root_admin(w, f->aua, false, NULL, 0, ex_));

	/* System Administrator below a root does not count */
	int low = add_user(w, "lowsys");
	add_grant(w, low, f->lat04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL,
	          0);
	REFUSED(f, engine_keeps_root_admin(w, f->sysadm, false, &same, 1, ex_));
	/* nor a disabled one at a root */
	int off = add_user(w, "offsys");
	add_grant(w, off, f->root2, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL,
	          0);
	engine_user_set_enabled(w, off, false);
	REFUSED(f, engine_keeps_root_admin(w, f->sysadm, false, &same, 1, ex_));
	/* another enabled one at any root does */
	engine_user_set_enabled(w, off, true);
	ALLOWED(f, engine_keeps_root_admin(w, f->sysadm, false, &same, 1, ex_));
	/* and V may become one */
	engine_user_set_enabled(w, off, false);
	struct engine_grant_spec become = gspec(
	    f->root2, LIST(ROLE_VIEW, ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	ALLOWED(f,
	        engine_keeps_root_admin(w, f->sysadm, true, &become, 1, ex_));
}

/* row "leave the database with no enabled user holding System
 * Administrator on a root ...": "a change may not take their number from
 * one or more to none": from two to one is allowed, from one to none is
 * not, whichever way (the other user's state as the world holds it) */
static void test_s5_lockout_from_one_to_none(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int second = add_user(w, "second");
	add_grant(w, second, f->root2, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL,
	          0);
	struct engine_grant_spec mine =
	    gspec_of(w, engine_grant_find(w, f->sysadm, f->nhs));
	struct engine_grant_spec theirs =
	    gspec_of(w, engine_grant_find(w, second, f->root2));
	/* two: either may go */
	ALLOWED(f, engine_keeps_root_admin(w, f->sysadm, false, &mine, 1, ex_));
	ALLOWED(f, engine_keeps_root_admin(w, second, true, NULL, 0, ex_));
	/* one (second disabled): the last may not go */
	engine_user_set_enabled(w, second, false);
	REFUSED_WHY(
	    f, WHY_ADMIN_LOCKOUT,
	    engine_keeps_root_admin(w, f->sysadm, false, &mine, 1, ex_));
	REFUSED_WHY(f, WHY_ADMIN_LOCKOUT,
	            engine_keeps_root_admin(w, f->sysadm, true, NULL, 0, ex_));
	/* the one may also be V coming back: second enabled again while
	 * sysadm's grant goes */
	ALLOWED(f, engine_keeps_root_admin(w, second, true, &theirs, 1, ex_));
}

/* row "leave the database with no enabled user holding System
 * Administrator on a root ...": "where there is none already (a database
 * loaded that way), other changes are allowed" */
static void test_s5_lockout_none_already(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* the only root System Administrator disabled: none already */
	engine_user_set_enabled(w, f->sysadm, false);
	struct engine_grant_spec cgc =
	    gspec_of(w, engine_grant_find(w, f->t_cgc, f->cgc04));
	struct engine_grant_spec mine =
	    gspec_of(w, engine_grant_find(w, f->sysadm, f->nhs));
	/* any change to anyone else: disabling, revoking, changing */
	ALLOWED(f, engine_keeps_root_admin(w, f->t_cgc, false, &cgc, 1, ex_));
	ALLOWED(f, engine_keeps_root_admin(w, f->t_cgc, true, NULL, 0, ex_));
	ALLOWED(f, engine_keeps_root_admin(w, f->aua, true, NULL, 0, ex_));
	/* and to the disabled System Administrator, left as they are or
	 * not: there is nobody to lose */
	ALLOWED(f, engine_keeps_root_admin(w, f->sysadm, false, &mine, 1, ex_));
	ALLOWED(f, engine_keeps_root_admin(w, f->sysadm, false, NULL, 0, ex_));
	ALLOWED(f, engine_keeps_root_admin(w, f->sysadm, true, &mine, 1, ex_));
	/* a System Administrator grant narrowed by a cluster is none too */
	engine_user_set_enabled(w, f->sysadm, true);
	int rc = add_cluster(w, "ABCDEF0001", f->nhs, LIST(f->lat04));
	int narrowed = add_user(w, "narrowed");
	add_grant(w, narrowed, f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0,
	          LIST(rc));
	struct engine_grant_spec view =
	    gspec(f->nhs, LIST(ROLE_VIEW), 0, NULL, 0);
	REFUSED(f, engine_keeps_root_admin(w, f->sysadm, true, &view, 1, ex_));
	engine_user_set_enabled(w, f->sysadm, false);
	ALLOWED(f, engine_keeps_root_admin(w, narrowed, false, NULL, 0, ex_));
	/* as is one below a root */
	int low = add_user(w, "lowsys");
	add_grant(w, low, f->lat04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL,
	          0);
	ALLOWED(f, engine_keeps_root_admin(w, low, false, NULL, 0, ex_));
}

/* ---- organisations ----------------------------------------------------- */

/* row "see ... organisation X": "`org.view` over X" */
static void test_s5_org_see(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_org(w, f->viewer, ORG_OP_SEE, f->a01, -1, ex_));
	ALLOWED(f, engine_may_org(w, f->viewer, ORG_OP_SEE, f->lat04, -1, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_LACKS,
	    engine_may_org(w, f->viewer, ORG_OP_SEE, f->lat05, -1, ex_));
	REFUSED(f, engine_may_org(w, f->viewer, ORG_OP_SEE, f->nhs, -1, ex_));
}

/* row "create a child of ... organisation X": "`orgs.manage` over X" */
static void test_s5_org_add_child(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int om = add_user(w, "orgmgr");
	add_grant(w, om, f->lat04, LIST(f->org_manager), 0, NULL, 0);
	ALLOWED(f, engine_may_org(w, om, ORG_OP_ADD_CHILD, f->cgc04, -1, ex_));
	ALLOWED(f, engine_may_org(w, om, ORG_OP_ADD_CHILD, f->lat04, -1, ex_));
	REFUSED(f, engine_may_org(w, om, ORG_OP_ADD_CHILD, f->lat05, -1, ex_));
	REFUSED(f, engine_may_org(w, om, ORG_OP_ADD_CHILD, f->nhs, -1, ex_));
	/* an Advanced User Administrator has no orgs.manage */
	REFUSED(f,
	        engine_may_org(w, f->aua, ORG_OP_ADD_CHILD, f->cgc04, -1, ex_));
}

/* row "rename ... organisation X": "over X" */
static void test_s5_org_rename(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int om = add_user(w, "orgmgr");
	add_grant(w, om, f->lat04, LIST(f->org_manager), 0, NULL, 0);
	ALLOWED(f, engine_may_org(w, om, ORG_OP_RENAME, f->a01, -1, ex_));
	REFUSED(f, engine_may_org(w, om, ORG_OP_RENAME, f->nhs, -1, ex_));
	REFUSED(f, engine_may_org(w, om, ORG_OP_RENAME, f->d01, -1, ex_));
	ALLOWED(f,
	        engine_may_org(w, f->sysadm, ORG_OP_RENAME, f->nhs, -1, ex_));
}

/* row "move ... organisation X": "over X and over the new parent" (and
 * "moving an organisation may not create a cycle") */
static void test_s5_org_move(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int om = add_user(w, "orgmgr");
	add_grant(w, om, f->lat04, LIST(f->org_manager), 0, NULL, 0);
	ALLOWED(f, engine_may_org(w, om, ORG_OP_MOVE, f->b01, f->man04, ex_));
	/* not over the new parent */
	REFUSED(f, engine_may_org(w, om, ORG_OP_MOVE, f->b01, f->lat05, ex_));
	/* not over X */
	REFUSED(f, engine_may_org(w, om, ORG_OP_MOVE, f->d01, f->cgc04, ex_));
	/* a new root: over a root */
	REFUSED(f, engine_may_org(w, om, ORG_OP_MOVE, f->cgc04, -1, ex_));
	ALLOWED(f,
	        engine_may_org(w, f->sysadm, ORG_OP_MOVE, f->lat05, -1, ex_));
	/* a cycle, whoever asks */
	REFUSED_WHY(
	    f, WHY_ADMIN_CYCLE,
	    engine_may_org(w, f->sysadm, ORG_OP_MOVE, f->cgc04, f->a01, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_CYCLE,
	    engine_may_org(w, f->sysadm, ORG_OP_MOVE, f->cgc04, f->cgc04, ex_));
}

/* row "delete organisation X": "over X, and nothing depends on X" */
static void test_s5_org_delete(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int leaf = add_org(w, "EMPTY1", f->cgc04, false);
	assert_int_equal(engine_world_index(w, NULL), ENGINE_OK);
	int om = add_user(w, "orgmgr");
	add_grant(w, om, f->lat04, LIST(f->org_manager), 0, NULL, 0);
	ALLOWED(f, engine_may_org(w, om, ORG_OP_DELETE, leaf, -1, ex_));
	REFUSED(f, engine_may_org(w, f->viewer, ORG_OP_DELETE, leaf, -1, ex_));
	REFUSED_WHY(f, WHY_ADMIN_DEPENDENTS,
	            engine_may_org(w, om, ORG_OP_DELETE, f->cgc04, -1, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_DEPENDENTS,
	    engine_may_org(w, f->sysadm, ORG_OP_DELETE, f->lat04, -1, ex_));
}

/* Section 1: "an organisation that has children, grants, clusters,
 * memberships or studies cannot be deleted" */
static void test_s5_org_dependants(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int with_grant = add_org(w, "L1", f->lat05, false);
	int owner = add_org(w, "L2", f->lat05, false);
	int member = add_org(w, "L3", f->lat05, false);
	int with_study = add_org(w, "L4", f->lat05, true);
	int restricted = add_org(w, "L5", f->lat05, true);
	int free_leaf = add_org(w, "L6", f->lat05, true);
	assert_int_equal(engine_world_index(w, NULL), ENGINE_OK);
	int u = add_user(w, "holder");
	add_grant(w, u, with_grant, LIST(ROLE_VIEW), 0, NULL, 0);
	add_cluster(w, "ABCDEF0002", owner, NULL, 0);
	add_cluster(w, "ABCDEF0003", f->lat05, LIST(member));
	add_study(w, "S-L4", with_study);
	struct engine_site_restriction sr = {restricted, false};
	set_profile(w, u, LIST(ROLE_INVESTIGATOR), &sr, 1, NULL, 0);

	assert_true(engine_org_has_dependants(w, f->cgc04)); /* children */
	assert_true(engine_org_has_dependants(w, with_grant));
	assert_true(engine_org_has_dependants(w, owner));
	assert_true(engine_org_has_dependants(w, member));
	assert_true(engine_org_has_dependants(w, with_study));
	assert_true(engine_org_has_dependants(w, restricted));
	assert_false(engine_org_has_dependants(w, free_leaf));
	ALLOWED(
	    f, engine_may_org(w, f->sysadm, ORG_OP_DELETE, free_leaf, -1, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_DEPENDENTS,
	    engine_may_org(w, f->sysadm, ORG_OP_DELETE, member, -1, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_DEPENDENTS,
	    engine_may_org(w, f->sysadm, ORG_OP_DELETE, with_study, -1, ex_));
}

/* ---- clusters ---------------------------------------------------------- */

/* row "see ... a cluster": "`clusters.view` over its owner" */
static void test_s5_cluster_see(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_see_cluster(w, f->viewer, f->lat04, ex_));
	ALLOWED(f, engine_may_see_cluster(w, f->ua, f->lat04, ex_));
	REFUSED(f, engine_may_see_cluster(w, f->viewer, f->lat05, ex_));
	/* User Administrator: its own organisation only */
	REFUSED(f, engine_may_see_cluster(w, f->ua, f->cgc04, ex_));
	REFUSED(f, engine_may_see_cluster(w, f->t_none, f->lat04, ex_));
}

/* row "create, edit, delete a cluster": "`clusters.manage` over its owner;
 * every member within O's own reach for `clusters.manage`" */
static void test_s5_cluster_manage(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_manage_cluster(w, f->aua, f->lat04,
	                                     LIST(f->cgc04, f->c01), ex_));
	ALLOWED(f,
	        engine_may_manage_cluster(w, f->aua, f->lat04, NULL, 0, ex_));
	REFUSED(f, engine_may_manage_cluster(w, f->aua, f->lat05, LIST(f->d01),
	                                     ex_));
	REFUSED(f, engine_may_manage_cluster(w, f->viewer, f->lat04,
	                                     LIST(f->cgc04), ex_));
	/* clusters.manage over the owner alone, not over the members */
	int lcm = add_user(w, "lcm");
	add_grant(w, lcm, f->lat04, LIST(f->local_clusters), 0, NULL, 0);
	ALLOWED(f, engine_may_manage_cluster(w, lcm, f->lat04, NULL, 0, ex_));
	REFUSED_WHY(
	    f, WHY_ADMIN_LACKS,
	    engine_may_manage_cluster(w, lcm, f->lat04, LIST(f->a01), ex_));
	/* "a cluster that any grant selects cannot be deleted" */
	int sel = add_user(w, "selector");
	add_grant(w, sel, f->lat04, LIST(ROLE_VIEW), 0, LIST(f->north));
	assert_true(engine_cluster_in_use(w, f->north));
	assert_false(engine_cluster_in_use(w, f->east));
}

/* ---- studies, settings, audit ------------------------------------------ */

/* row "open Study Configure for S, import, edit, delete user access
 * entries": "`study.configure` or `study.user_management` in
 * `study_actions(O, S)`" */
static void test_s5_configure_study(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int coord = add_user(w, "coord");
	set_roles(w, coord, LIST(ROLE_STUDY_COORDINATOR, ROLE_INVESTIGATOR));
	int inv = add_user(w, "inv");
	set_roles(w, inv, LIST(ROLE_INVESTIGATOR));
	ALLOWED(f, engine_may_configure_study(w, coord, f->s_a, ex_));
	ALLOWED(f, engine_may_configure_study(w, f->sysadm, f->s_a, ex_));
	REFUSED_WHY(f, WHY_ADMIN_NO_STUDY_ACCESS,
	            engine_may_configure_study(w, inv, f->s_a, ex_));
	/* an organisation grant gives no study access */
	REFUSED(f, engine_may_configure_study(w, f->viewer, f->s_a, ex_));
	/* listed with a role without study.configure */
	assert_int_equal(engine_entry_add(w, f->s_c, coord, ROLE_INVESTIGATOR),
	                 ENGINE_OK);
	REFUSED(f, engine_may_configure_study(w, coord, f->s_c, ex_));
	/* Study User Management needs no listing */
	ALLOWED(f, engine_may_configure_study(w, f->sysadm, f->s_c, ex_));
	/* and is enough without study.configure */
	int umr = -1;
	assert_int_equal(
	    engine_role_add(w, "User Manager", DOMAIN_STUDY, REACH_SUBTREE,
	                    A(STUDY_USER_MANAGEMENT) | A(STUDY_VIEW), &umr),
	    ENGINE_OK);
	int um = add_user(w, "usermgr");
	set_roles(w, um, LIST(umr));
	ALLOWED(f, engine_may_configure_study(w, um, f->s_c, ex_));
	/* a list in force without coord */
	ALLOWED(f, engine_may_configure_study(w, coord, f->s_d, ex_));
	assert_int_equal(engine_entry_add(w, f->s_d, inv, -1), ENGINE_OK);
	REFUSED(f, engine_may_configure_study(w, coord, f->s_d, ex_));
}

/* row "import users for S filtered by site s / by role r": "candidates:
 * enabled users restricted to s or not restricted by site / enabled users
 * with r in their profile" */
static void test_s5_import_candidate(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	int free_u = add_user(w, "free");
	set_roles(w, free_u, LIST(ROLE_INVESTIGATOR));
	int at_a01 = add_user(w, "ata01");
	struct engine_site_restriction a01r = {f->a01, true};
	set_profile(w, at_a01, LIST(ROLE_RECRUITER), &a01r, 1, NULL, 0);
	int at_b01 = add_user(w, "atb01");
	struct engine_site_restriction b01 = {f->b01, false};
	set_profile(w, at_b01, LIST(ROLE_INVESTIGATOR), &b01, 1, NULL, 0);
	int off = add_user(w, "off");
	set_roles(w, off, LIST(ROLE_INVESTIGATOR));
	engine_user_set_enabled(w, off, false);

	/* by site */
	assert_true(engine_import_candidate(w, free_u, f->a01, -1));
	assert_true(engine_import_candidate(w, at_a01, f->a01, -1));
	assert_false(engine_import_candidate(w, at_b01, f->a01, -1));
	assert_false(engine_import_candidate(w, off, f->a01, -1));
	/* by role */
	assert_true(engine_import_candidate(w, free_u, -1, ROLE_INVESTIGATOR));
	assert_false(engine_import_candidate(w, free_u, -1, ROLE_RECRUITER));
	assert_true(engine_import_candidate(w, at_a01, -1, ROLE_RECRUITER));
	assert_false(engine_import_candidate(w, off, -1, ROLE_INVESTIGATOR));
	/* both filters ("Site filter is optional") */
	assert_true(
	    engine_import_candidate(w, at_b01, f->b01, ROLE_INVESTIGATOR));
	assert_false(
	    engine_import_candidate(w, at_b01, f->a01, ROLE_INVESTIGATOR));
	assert_false(
	    engine_import_candidate(w, at_a01, f->a01, ROLE_INVESTIGATOR));
}

/* rows "run the Organisation / User report, see a user's grants in the
 * Users list: only grants at organisations where O has `users.view`" and
 * "Why? for user V / Who has access? for organisation X: O sees V / O has
 * `users.view` over X" */
static void test_s5_reports_and_why_use_users_view(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	/* t_both's grants: cgc04 shown to aua, lat05 counted only */
	ALLOWED(
	    f, engine_org_allows(w, f->aua, ACT_USERS_VIEW, f->cgc04, -1, ex_));
	REFUSED(
	    f, engine_org_allows(w, f->aua, ACT_USERS_VIEW, f->lat05, -1, ex_));
	/* Why? for V */
	ALLOWED(f, engine_may_see_user(w, f->viewer, f->t_cgcv, ex_));
	REFUSED(f, engine_may_see_user(w, f->viewer, f->t_lat05, ex_));
	/* Who has access? for X */
	ALLOWED(f,
	        engine_org_allows(w, f->ua, ACT_USERS_VIEW, f->lat04, -1, ex_));
	REFUSED(f,
	        engine_org_allows(w, f->ua, ACT_USERS_VIEW, f->cgc04, -1, ex_));
}

/* row "change the settings switches": "O has `access.grant_any` over a
 * root" */
static void test_s5_change_settings(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_change_settings(w, f->sysadm, ex_));
	REFUSED(f, engine_may_change_settings(w, f->aua, ex_));
	/* grant_any below a root is not enough */
	int low = add_user(w, "lowgrant");
	add_grant(w, low, f->lat04, LIST(f->granter), 0, NULL, 0);
	REFUSED_WHY(f, WHY_ADMIN_LACKS_ROOT,
	            engine_may_change_settings(w, low, ex_));
	/* any root will do */
	int other = add_user(w, "othroot");
	add_grant(w, other, f->root2, LIST(f->granter), 0, NULL, 0);
	ALLOWED(f, engine_may_change_settings(w, other, ex_));
	/* under a cluster selection the root itself is not reached */
	int rc = add_cluster(w, "ABCDEF0004", f->nhs, LIST(f->lat04));
	int narrowed = add_user(w, "narrowed");
	add_grant(w, narrowed, f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0,
	          LIST(rc));
	REFUSED(f, engine_may_change_settings(w, narrowed, ex_));
}

/* row "read the audit trail": "`audit.view` over any organisation the change
 * touched ...; for settings, a root" */
static void test_s5_read_audit(void **state)
{
	struct ax *f = *state;
	struct engine_world *w = f->w;
	ALLOWED(f, engine_may_read_audit(w, f->aua, LIST(f->cgc04), ex_));
	ALLOWED(f,
	        engine_may_read_audit(w, f->aua, LIST(f->lat05, f->a01), ex_));
	REFUSED(f, engine_may_read_audit(w, f->aua, LIST(f->lat05), ex_));
	REFUSED(f, engine_may_read_audit(w, f->aua, LIST(f->nhs, f->d01), ex_));
	/* a User Administrator has no audit.view */
	REFUSED(f, engine_may_read_audit(w, f->ua, LIST(f->lat04), ex_));
	/* settings: a root */
	ALLOWED(f, engine_may_read_audit(w, f->sysadm, NULL, 0, ex_));
	REFUSED(f, engine_may_read_audit(w, f->aua, NULL, 0, ex_));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, ax_setup, ax_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_s5_see_user),
	    T(test_s5_manage_user),
	    T(test_s5_ua_own_org_only_aua_and_below),
	    T(test_s5_edit_contact),
	    T(test_s5_create_user_without_grant),
	    T(test_s5_grant_manages_v_or_v_new),
	    T(test_s5_grant_users_manage_over_x),
	    T(test_s5_grant_clusters_owned_by_x),
	    T(test_s5_grant_no_escalation_roles),
	    T(test_s5_grant_no_escalation_reach),
	    T(test_s5_grant_no_escalation_after_cluster_narrowing),
	    T(test_s5_grant_business_actions_need_only_users_manage),
	    T(test_s5_seed_aua_ticks_view_qof_and_a_cluster),
	    T(test_s5_grant_access_grant_any),
	    T(test_s5_grant_revoke_checks_grant_as_it_was),
	    T(test_s5_grant_change_checks_both),
	    T(test_s5_profile_manage_and_study_profile),
	    T(test_s5_profile_sites_and_studies),
	    T(test_s5_profile_no_escalation),
	    T(test_s5_profile_business_actions_excepted),
	    T(test_s5_on_themself),
	    T(test_s5_keeps_root_admin),
	    T(test_s5_lockout_from_one_to_none),
	    T(test_s5_lockout_none_already),
	    T(test_s5_org_see),
	    T(test_s5_org_add_child),
	    T(test_s5_org_rename),
	    T(test_s5_org_move),
	    T(test_s5_org_delete),
	    T(test_s5_org_dependants),
	    T(test_s5_cluster_see),
	    T(test_s5_cluster_manage),
	    T(test_s5_configure_study),
	    T(test_s5_import_candidate),
	    T(test_s5_reports_and_why_use_users_view),
	    T(test_s5_change_settings),
	    T(test_s5_read_audit),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
