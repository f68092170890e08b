/* test_engine.c: unit tests of the permission engine's decisions
 * (access-model.md sections 1 to 4 and 6).
 *
 * Every line under "Consequences, each a test" in sections 3 and 4 has a
 * test named test_s3_... / test_s4_... that quotes the line it covers. Then:
 * validation of questions, explanations, the catalogue and building errors.
 * The tests state the spec; where the engine disagrees, the engine is wrong.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "builders.h"

#include "accessdesk/engine.h"

/* ---- helpers ----------------------------------------------------------- */

#define IDS(...)  ((const int[]){__VA_ARGS__})
#define NIDS(...) ((int)(sizeof((const int[]){__VA_ARGS__}) / sizeof(int)))
/* A list literal and its length, for the (array, count) parameters. */
#define LIST(...) IDS(__VA_ARGS__), NIDS(__VA_ARGS__)

#define A(x) ENGINE_ACT(ACT_##x)

/* Action sets of the built-in roles, as section 2 lists them. */
#define SET_AUA                                                                \
	(A(ORG_VIEW) | A(USERS_VIEW) | A(USERS_MANAGE) |                       \
	 A(USERS_MANAGE_STUDY_PROFILE) | A(CLUSTERS_VIEW) |                    \
	 A(CLUSTERS_MANAGE) | A(REPORTS_RUN) | A(AUDIT_VIEW))
#define SET_UA                                                                 \
	(A(ORG_VIEW) | A(USERS_VIEW) | A(USERS_MANAGE) | A(CLUSTERS_VIEW) |    \
	 A(REPORTS_RUN))
#define SET_VIEW                                                               \
	(A(ORG_VIEW) | A(USERS_VIEW) | A(CLUSTERS_VIEW) | A(REPORTS_RUN) |     \
	 A(ACHIEVEMENT_VIEW))
#define SET_COORD                                                              \
	(A(STUDY_VIEW) | A(STUDY_CONFIGURE) | A(SUBJECT_VIEW) | A(DATA_ENTRY))
#define SET_INV                                                                \
	(A(STUDY_VIEW) | A(SUBJECT_VIEW) | A(SUBJECT_EDIT) | A(DATA_REVIEW))
#define SET_DM                                                                 \
	(A(STUDY_VIEW) | A(SUBJECT_VIEW) | A(DATA_ENTRY) | A(DATA_REVIEW))
#define SET_REC ENGINE_RECRUITMENT_ACTIONS

/* The world every test starts from:
 *
 *   nhs                      X-ROOT (a second root)
 *     lat04
 *       cgc04
 *         A01AAA (site)
 *         B01BBB (site)
 *       man04
 *         C01CCC (site)
 *           C01-SUB (site)
 *     lat05
 *       D01DDD (site)
 *
 * Clusters owned by lat04: east C61A6DB801 = [A01AAA], north 873CF39E1C =
 * [man04], south E92654EEF7 = [] (no member), west B089991938 = [cgc04].
 * Studies: S-A and S-B at A01AAA, S-C at B01BBB, S-SUB at C01-SUB.
 */
struct fx {
	struct engine_world *w;
	int nhs, lat04, cgc04, a01, b01, man04, c01, c01sub, lat05, d01, root2;
	int east, north, south, west;
	int s_a, s_b, s_c, s_sub;
	struct engine_explain ex;
};

static int add_user(struct engine_world *w, const char *login, bool enabled)
{
	int id = -1;
	assert_int_equal(
	    engine_user_add(w, login, "First", login, enabled, &id), ENGINE_OK);
	return id;
}

static int add_role(struct engine_world *w, const char *name,
                    enum engine_domain d, enum engine_reach r,
                    engine_actions actions)
{
	int id = -1;
	assert_int_equal(engine_role_add(w, name, d, r, actions, &id),
	                 ENGINE_OK);
	return id;
}

/* A profile with roles only. */
static void set_roles(struct engine_world *w, int user, const int *roles,
                      int n_roles)
{
	set_profile(w, user, roles, n_roles, NULL, 0, NULL, 0);
}

static void add_entry(struct engine_world *w, int study, int user, int role)
{
	assert_int_equal(engine_entry_add(w, study, user, role), ENGINE_OK);
}

/* A valid organisation question: the decision. */
static bool org_ok(struct fx *f, int user, int action, int org, int payment)
{
	bool allow = false, allow_ex = false;
	assert_int_equal(
	    engine_check_org(f->w, user, action, org, payment, NULL, &allow),
	    ENGINE_OK);
	/* the explained path must decide the same */
	engine_explain_reset(&f->ex);
	assert_int_equal(engine_check_org(f->w, user, action, org, payment,
	                                  &f->ex, &allow_ex),
	                 ENGINE_OK);
	assert_int_equal(allow, allow_ex);
	return allow;
}

static bool study_ok(struct fx *f, int user, int action, int study)
{
	bool allow = false, allow_ex = false;
	assert_int_equal(
	    engine_check_study(f->w, user, action, study, NULL, &allow),
	    ENGINE_OK);
	engine_explain_reset(&f->ex);
	assert_int_equal(
	    engine_check_study(f->w, user, action, study, &f->ex, &allow_ex),
	    ENGINE_OK);
	assert_int_equal(allow, allow_ex);
	return allow;
}

#define ALLOW(f, u, a, o) assert_true(org_ok((f), (u), ACT_##a, (o), -1))
#define DENY(f, u, a, o)  assert_false(org_ok((f), (u), ACT_##a, (o), -1))
#define ALLOW_P(f, u, a, o, p)                                                 \
	assert_true(org_ok((f), (u), ACT_##a, (o), PAY_##p))
#define DENY_P(f, u, a, o, p)                                                  \
	assert_false(org_ok((f), (u), ACT_##a, (o), PAY_##p))
#define S_ALLOW(f, u, a, s) assert_true(study_ok((f), (u), ACT_##a, (s)))
#define S_DENY(f, u, a, s)  assert_false(study_ok((f), (u), ACT_##a, (s)))

/* The study actions, and the same through the explained path. */
static engine_actions actions_of(struct fx *f, int user, int study)
{
	engine_actions a = engine_study_actions(f->w, user, study, NULL);
	engine_explain_reset(&f->ex);
	assert_int_equal(engine_study_actions(f->w, user, study, &f->ex), a);
	return a;
}

/* Does the last explanation hold a reason with this `why`? */
static const struct engine_reason *ex_find(const struct fx *f,
                                           enum engine_why why)
{
	for (int i = 0; i < f->ex.n; i++)
		if (f->ex.r[i].why == why)
			return &f->ex.r[i];
	return NULL;
}

static int ex_count(const struct fx *f, enum engine_why why)
{
	int n = 0;
	for (int i = 0; i < f->ex.n; i++)
		n += f->ex.r[i].why == why;
	return n;
}

/* The first denying reason at the top level, WHY_COUNT when none. */
static enum engine_why ex_first_deny(const struct fx *f)
{
	for (int i = 0; i < f->ex.n; i++)
		if (f->ex.r[i].depth == 0 &&
		    f->ex.r[i].why >= WHY_USER_DISABLED)
			return f->ex.r[i].why;
	return WHY_COUNT;
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
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
	f->c01sub = add_org(w, "C01-SUB", f->c01, true);
	f->lat05 = add_org(w, "lat05", f->nhs, false);
	f->d01 = add_org(w, "D01DDD", f->lat05, true);
	f->root2 = add_org(w, "X-ROOT", -1, false);
	assert_int_equal(engine_world_index(w, NULL), ENGINE_OK);

	f->east = add_cluster(w, "C61A6DB801", f->lat04, LIST(f->a01));
	f->north = add_cluster(w, "873CF39E1C", f->lat04, LIST(f->man04));
	f->south = add_cluster(w, "E92654EEF7", f->lat04, NULL, 0);
	f->west = add_cluster(w, "B089991938", f->lat04, LIST(f->cgc04));

	f->s_a = add_study(w, "S-A", f->a01);
	f->s_b = add_study(w, "S-B", f->a01);
	f->s_c = add_study(w, "S-C", f->b01);
	f->s_sub = add_study(w, "S-SUB", f->c01sub);

	engine_explain_init(&f->ex);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	engine_explain_free(&f->ex);
	engine_world_free(f->w);
	free(f);
	return 0;
}

/* ---- section 3: organisation access ------------------------------------ */

/* s3: "no cluster selected: the grant is not restricted by cluster (seed:
 * 'When no Provider Cluster is selected the user's access is not restricted
 * by Provider Cluster')" */
static void test_s3_no_cluster_selected_not_restricted(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "kal738", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0, NULL, 0);

	/* the whole subtree of lat04, clusters or not */
	ALLOW(f, u, ORG_VIEW, f->lat04);
	ALLOW(f, u, ORG_VIEW, f->cgc04);
	ALLOW(f, u, ORG_VIEW, f->a01);
	ALLOW(f, u, ORG_VIEW, f->man04);
	ALLOW(f, u, ORG_VIEW, f->c01sub);
	/* and nothing outside it */
	DENY(f, u, ORG_VIEW, f->nhs);
	DENY(f, u, ORG_VIEW, f->lat05);
	DENY(f, u, ORG_VIEW, f->d01);
	DENY(f, u, ORG_VIEW, f->root2);
}

/* s3: "clusters selected: only their member organisations and the members'
 * descendants, even though those are not listed (seed)" */
static void test_s3_clusters_selected_members_and_descendants(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "kal738", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0, LIST(f->north));

	ALLOW(f, u, ORG_VIEW, f->man04);  /* the member */
	ALLOW(f, u, ORG_VIEW, f->c01);    /* its child, not listed */
	ALLOW(f, u, ORG_VIEW, f->c01sub); /* its grandchild, not listed */
	DENY(f, u, ORG_VIEW, f->cgc04);   /* in lat04, not in the cluster */
	assert_int_equal(ex_first_deny(f), WHY_NOT_IN_CLUSTERS);
	DENY(f, u, ORG_VIEW, f->a01);
	DENY(f, u, ORG_VIEW, f->lat05);
}

/* s3: "the grant's own organisation is *not* reachable unless a member
 * covers it" (members are strict descendants of the owner, so never) */
static void test_s3_clusters_selected_grant_org_not_reachable(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "kal738", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0,
	          LIST(f->east, f->north, f->west));

	DENY(f, u, ORG_VIEW, f->lat04);
	assert_int_equal(ex_first_deny(f), WHY_NOT_IN_CLUSTERS);
	DENY(f, u, USERS_VIEW, f->lat04);
	ALLOW(f, u, ORG_VIEW, f->cgc04); /* a member, for contrast */
}

/* s3: "several clusters on one grant: the union of their reaches" */
static void test_s3_several_clusters_union(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "kal738", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0,
	          LIST(f->east, f->north));

	ALLOW(f, u, ORG_VIEW, f->a01);    /* east */
	ALLOW(f, u, ORG_VIEW, f->man04);  /* north */
	ALLOW(f, u, ORG_VIEW, f->c01sub); /* below north's member */
	DENY(f, u, ORG_VIEW, f->b01);     /* sibling of east's member */
	DENY(f, u, ORG_VIEW, f->cgc04);   /* parent of east's member */
	DENY(f, u, ORG_VIEW, f->lat04);
}

/* s3: "several grants: each grant applies on its own; roles and payment
 * types of one grant never combine with the reach of another" */
static void test_s3_several_grants_apply_on_their_own(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "gba001", true);
	/* View with QOF at cgc04; User Administrator and View with GPES at
	 * man04 */
	add_grant(f->w, u, f->cgc04, LIST(ROLE_VIEW), ENGINE_PAY(PAY_QOF), NULL,
	          0);
	add_grant(f->w, u, f->man04, LIST(ROLE_USER_ADMINISTRATOR, ROLE_VIEW),
	          ENGINE_PAY(PAY_GPES), NULL, 0);

	/* each grant alone */
	ALLOW_P(f, u, ACHIEVEMENT_VIEW, f->a01, QOF);
	ALLOW_P(f, u, ACHIEVEMENT_VIEW, f->c01, GPES);
	ALLOW(f, u, USERS_MANAGE, f->man04);
	/* payment type of one grant with the reach of the other */
	DENY_P(f, u, ACHIEVEMENT_VIEW, f->a01, GPES);
	DENY_P(f, u, ACHIEVEMENT_VIEW, f->c01, QOF);
	/* role of one grant with the reach of the other: users.manage comes
	 * from man04's grant only */
	DENY(f, u, USERS_MANAGE, f->cgc04);
	DENY(f, u, USERS_MANAGE, f->a01);
}

/* s3: "a selected cluster with no members reaches nothing (fail closed)" */
static void test_s3_empty_cluster_reaches_nothing(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "kal738", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0,
	          LIST(f->south));

	DENY(f, u, ORG_VIEW, f->lat04);
	DENY(f, u, ORG_VIEW, f->cgc04);
	DENY(f, u, ORG_VIEW, f->a01);
	DENY(f, u, ORG_VIEW, f->man04);
	DENY(f, u, ORGS_MANAGE, f->c01sub);
	DENY(f, u, USERS_MANAGE, f->b01);
}

/* s3: "a check that names a payment type needs a grant holding that payment
 * type: a grant with no payment types allows no payment-qualified action for
 * any payment type" */
static void test_s3_payment_type_needs_grant_holding_it(void **state)
{
	struct fx *f = *state;
	int none = add_user(f->w, "nopay1", true);
	add_grant(f->w, none, f->lat04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0,
	          NULL, 0);
	for (int p = 0; p < PAY_COUNT; p++) {
		assert_false(org_ok(f, none, ACT_ACHIEVEMENT_VIEW, f->a01, p));
		assert_int_equal(ex_first_deny(f), WHY_NO_PAYMENT_TYPE);
		assert_false(
		    org_ok(f, none, ACT_ACHIEVEMENT_DECLARE, f->a01, p));
	}

	int qof = add_user(f->w, "qof001", true);
	add_grant(f->w, qof, f->lat04, LIST(ROLE_SYSTEM_ADMINISTRATOR),
	          ENGINE_PAY(PAY_QOF) | ENGINE_PAY(PAY_LES), NULL, 0);
	ALLOW_P(f, qof, ACHIEVEMENT_VIEW, f->a01, QOF);
	ALLOW_P(f, qof, ACHIEVEMENT_DECLARE, f->a01, LES);
	DENY_P(f, qof, ACHIEVEMENT_VIEW, f->a01, GPES);
	DENY_P(f, qof, ACHIEVEMENT_DECLARE, f->a01, VAC);
}

/* s3: "a check that names no payment type does not look at payment types at
 * all" */
static void test_s3_no_payment_type_ignores_payment_types(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "nopay1", true);
	add_grant(f->w, u, f->cgc04, LIST(ROLE_VIEW), 0, NULL, 0);
	ALLOW(f, u, ACHIEVEMENT_VIEW, f->a01);
	/* still needs the action: View has no achievement.declare */
	DENY(f, u, ACHIEVEMENT_DECLARE, f->a01);
	DENY(f, u, ACHIEVEMENT_VIEW, f->lat05);
}

/* s3: "a user with no grants has no organisation access" */
static void test_s3_no_grants_no_org_access(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "nogr01", true);
	/* a study profile does not give organisation access */
	set_roles(f->w, u, LIST(ROLE_STUDY_ADMINISTRATOR));
	for (int a = 0; a < ACT_STUDY_VIEW; a++) {
		assert_false(org_ok(f, u, a, f->nhs, -1));
		assert_false(org_ok(f, u, a, f->a01, -1));
	}
	assert_int_equal(ex_first_deny(f), WHY_NO_GRANTS);

	int g = add_user(f->w, "gr0001", true); /* contrast */
	add_grant(f->w, g, f->nhs, LIST(ROLE_VIEW), 0, NULL, 0);
	ALLOW(f, g, ORG_VIEW, f->a01);
}

/* s3: "a role whose reach is `organisation` acts on the grant's own
 * organisation only" */
static void test_s3_org_reach_role_own_org_only(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "ua0001", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	ALLOW(f, u, USERS_MANAGE, f->lat04);
	DENY(f, u, USERS_MANAGE, f->cgc04);
	assert_int_equal(ex_first_deny(f), WHY_ROLE_ORG_ONLY);
	DENY(f, u, USERS_MANAGE, f->a01);
	DENY(f, u, ORG_VIEW, f->man04);

	/* a custom role with organisation reach, next to a subtree role in
	 * the same grant: each keeps its own reach */
	int local = add_role(f->w, "Local Manager", DOMAIN_ORGANISATION,
	                     REACH_ORGANISATION, A(ORGS_MANAGE) | A(ORG_VIEW));
	int v = add_user(f->w, "mix001", true);
	add_grant(f->w, v, f->cgc04, LIST(local, ROLE_VIEW), 0, NULL, 0);
	ALLOW(f, v, ORGS_MANAGE, f->cgc04);
	DENY(f, v, ORGS_MANAGE, f->a01);
	ALLOW(f, v, ORG_VIEW, f->a01); /* through View */
}

/* s3: "under a cluster selection (which never reaches the grant's own
 * organisation) it acts nowhere" */
static void test_s3_org_reach_role_under_cluster_nowhere(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "ua0002", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_USER_ADMINISTRATOR), 0,
	          LIST(f->east, f->west));
	DENY(f, u, USERS_MANAGE, f->lat04);
	DENY(f, u, USERS_MANAGE, f->cgc04);
	DENY(f, u, USERS_MANAGE, f->a01);
	DENY(f, u, ORG_VIEW, f->a01);

	int c = add_user(f->w, "ua0003", true); /* contrast: no cluster */
	add_grant(f->w, c, f->lat04, LIST(ROLE_USER_ADMINISTRATOR), 0, NULL, 0);
	ALLOW(f, c, USERS_MANAGE, f->lat04);
}

/* s3 pseudo-code: "V disabled -> deny 'user disabled'", before any grant */
static void test_s3_disabled_user_denied(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "dis001", true);
	add_grant(f->w, u, f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR),
	          ENGINE_PAY(PAY_QOF), NULL, 0);
	ALLOW(f, u, ORG_VIEW, f->a01);
	engine_user_set_enabled(f->w, u, false);
	DENY(f, u, ORG_VIEW, f->a01);
	assert_int_equal(ex_first_deny(f), WHY_USER_DISABLED);
	DENY_P(f, u, ACHIEVEMENT_VIEW, f->nhs, QOF);
	engine_user_set_enabled(f->w, u, true);
	ALLOW(f, u, ORG_VIEW, f->a01);
}

/* ---- one grant's actions at an organisation (Who has access?) ---------- */

/* Grant g gives these actions at org, citing this cluster and member
 * (-1: none). */
static void assert_at(struct fx *f, int g, int org, engine_actions actions,
                      int cluster, int member)
{
	int c = 99, m = 99;
	assert_int_equal(engine_grant_actions_at(f->w, g, org, &c, &m),
	                 actions);
	assert_int_equal(c, cluster);
	assert_int_equal(m, member);
}

/* The grant-by-grant form agrees with the check: for every organisation
 * and organisation action, the user is allowed exactly when enabled and
 * one of its grants gives the action there. */
static void assert_grants_agree_with_check(struct fx *f, int u)
{
	const struct engine_user *user = engine_user(f->w, u);
	for (int o = 0; o < engine_n_orgs(f->w); o++) {
		engine_actions given = 0;
		for (int i = 0; i < user->n_grants; i++) {
			int c, m;
			given |= engine_grant_actions_at(f->w, user->grants[i],
			                                 o, &c, &m);
		}
		for (int a = 0; a < ACT_STUDY_VIEW; a++)
			assert_int_equal(org_ok(f, u, a, o, -1),
			                 user->enabled &&
			                     (given & ENGINE_ACT(a)) != 0);
	}
}

/* No cluster: the grant's roles over subtree(g.org), nothing cited */
static void test_grant_actions_no_clusters(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "who001", true);
	int g = add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW),
	                  ENGINE_PAY(PAY_QOF), NULL, 0);
	assert_at(f, g, f->lat04, SET_VIEW, -1, -1);
	assert_at(f, g, f->c01sub, SET_VIEW, -1, -1);
	assert_grants_agree_with_check(f, u);
}

/* A cluster member above the organisation lets it in, and is cited (the
 * first cluster and member in stored order); the grant's own organisation
 * stays out (s3) */
static void test_grant_actions_cluster_member_above(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "who002", true);
	int g = add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0,
	                  LIST(f->east, f->west, f->north));
	assert_at(f, g, f->c01sub, SET_VIEW, f->north, f->man04);
	/* A01AAA is east's member and below west's: east comes first */
	assert_at(f, g, f->a01, SET_VIEW, f->east, f->a01);
	assert_at(f, g, f->b01, SET_VIEW, f->west, f->cgc04);
	assert_at(f, g, f->lat04, 0, -1, -1);
	assert_grants_agree_with_check(f, u);
	/* under clusters an organisation-reach role acts nowhere (s3) */
	int v = add_user(f->w, "who006", true);
	int h = add_grant(f->w, v, f->lat04,
	                  LIST(ROLE_USER_ADMINISTRATOR, ROLE_VIEW), 0,
	                  LIST(f->north));
	assert_at(f, h, f->man04, SET_VIEW, f->north, f->man04);
	assert_grants_agree_with_check(f, v);
}

/* A role with organisation reach acts at the grant's organisation and not
 * below it; a subtree role of the same grant acts at both */
static void test_grant_actions_org_reach_role(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "who003", true);
	int g = add_grant(f->w, u, f->lat04,
	                  LIST(ROLE_USER_ADMINISTRATOR, ROLE_VIEW), 0, NULL, 0);
	int alone = add_grant(f->w, u, f->man04, LIST(ROLE_USER_ADMINISTRATOR),
	                      0, NULL, 0);
	assert_at(f, g, f->lat04, SET_UA | SET_VIEW, -1, -1);
	assert_at(f, g, f->cgc04, SET_VIEW, -1, -1);
	assert_at(f, alone, f->man04, SET_UA, -1, -1);
	assert_at(f, alone, f->c01, 0, -1, -1);
	assert_grants_agree_with_check(f, u);
}

/* A grant that does not reach gives nothing and cites nothing: outside
 * its subtree, or under a cluster with no member. A disabled user's grant
 * still gives its actions: being enabled is the check's condition, not
 * the grant's */
static void test_grant_actions_not_reaching(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "who004", true);
	int g = add_grant(f->w, u, f->lat04, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0,
	                  NULL, 0);
	int other = add_grant(f->w, u, f->lat05, LIST(ROLE_VIEW), 0, NULL, 0);
	int v = add_user(f->w, "who005", true);
	int south =
	    add_grant(f->w, v, f->lat04, LIST(ROLE_VIEW), 0, LIST(f->south));
	assert_at(f, g, f->nhs, 0, -1, -1);
	assert_at(f, g, f->root2, 0, -1, -1);
	assert_at(f, other, f->lat04, 0, -1, -1);
	for (int o = 0; o < engine_n_orgs(f->w); o++)
		assert_at(f, south, o, 0, -1, -1);
	assert_grants_agree_with_check(f, u);
	assert_grants_agree_with_check(f, v);
	engine_user_set_enabled(f->w, u, false);
	assert_at(f, g, f->lat04, ENGINE_ORG_ACTIONS, -1, -1);
	assert_grants_agree_with_check(f, u);
}

/* ---- section 4: study access ------------------------------------------- */

/* s4: "a new user has no site and study restrictions: every study without a
 * user access list" */
static void test_s4_new_user_every_study_without_list(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "new001", true);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR));
	S_ALLOW(f, u, STUDY_VIEW, f->s_a);
	assert_non_null(ex_find(f, WHY_ALLOW_PROFILE));
	S_ALLOW(f, u, SUBJECT_EDIT, f->s_c);
	S_ALLOW(f, u, DATA_REVIEW, f->s_sub);
	assert_int_equal(actions_of(f, u, f->s_b), SET_INV);
	/* only the actions of the profile */
	S_DENY(f, u, DATA_ENTRY, f->s_a);
	assert_non_null(ex_find(f, WHY_ACTION_NOT_GRANTED));
	/* a study with a user access list is not among them */
	int other = add_user(f->w, "oth001", true);
	set_roles(f->w, other, LIST(ROLE_INVESTIGATOR));
	add_entry(f->w, f->s_b, other, -1);
	S_DENY(f, u, STUDY_VIEW, f->s_b);
	assert_int_equal(ex_first_deny(f), WHY_NOT_LISTED);
}

/* s4: same line, "(unless a `require_...` setting is on)":
 * require_site_restrictions */
static void test_s4_new_user_require_site_restrictions(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "new001", true);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR));
	int s = add_user(f->w, "site01", true);
	struct engine_site_restriction at_a01 = {f->a01, false};
	set_profile(f->w, s, LIST(ROLE_INVESTIGATOR), &at_a01, 1, NULL, 0);

	engine_settings(f->w)->require_site_restrictions = true;
	S_DENY(f, u, STUDY_VIEW, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_SITE_RESTRICTION_REQUIRED);
	assert_int_equal(actions_of(f, u, f->s_a), 0);
	S_ALLOW(f, s, STUDY_VIEW, f->s_a); /* has a site restriction */
	S_DENY(f, s, STUDY_VIEW, f->s_c);  /* but not at B01BBB */
	assert_int_equal(ex_first_deny(f), WHY_SITE_RESTRICTION);

	engine_settings(f->w)->require_site_restrictions = false;
	S_ALLOW(f, u, STUDY_VIEW, f->s_a);
}

/* s4: same line, "(unless a `require_...` setting is on)":
 * require_study_restrictions */
static void test_s4_new_user_require_study_restrictions(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "new001", true);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR));
	int r = add_user(f->w, "rst001", true);
	set_profile(f->w, r, LIST(ROLE_INVESTIGATOR), NULL, 0, LIST(f->s_a));

	engine_settings(f->w)->require_study_restrictions = true;
	assert_true(engine_settings_get(f->w)->require_study_restrictions);
	S_DENY(f, u, STUDY_VIEW, f->s_c);
	assert_int_equal(ex_first_deny(f), WHY_STUDY_RESTRICTION_REQUIRED);
	S_ALLOW(f, r, STUDY_VIEW, f->s_a);
	S_DENY(f, r, STUDY_VIEW, f->s_c);
	assert_int_equal(ex_first_deny(f), WHY_STUDY_RESTRICTION);

	/* both switches: site first, as in the pseudo-code */
	engine_settings(f->w)->require_site_restrictions = true;
	S_DENY(f, u, STUDY_VIEW, f->s_c);
	assert_int_equal(ex_first_deny(f), WHY_SITE_RESTRICTION_REQUIRED);
	S_DENY(f, r, STUDY_VIEW, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_SITE_RESTRICTION_REQUIRED);
}

/* s4: "a study's user access list is in force as soon as it has one entry;
 * an empty list means the profile restrictions decide" */
static void test_s4_list_in_force_with_one_entry(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "usr001", true);
	set_profile(f->w, u, LIST(ROLE_DATA_MANAGER), NULL, 0, LIST(f->s_a));
	int l = add_user(f->w, "lst001", true);
	set_roles(f->w, l, LIST(ROLE_RECRUITER));

	/* empty list: the profile decides (restricted to S-A) */
	assert_int_equal(engine_study(f->w, f->s_a)->n_entries, 0);
	S_ALLOW(f, u, DATA_ENTRY, f->s_a);
	S_DENY(f, u, DATA_ENTRY, f->s_b);
	assert_int_equal(ex_first_deny(f), WHY_STUDY_RESTRICTION);

	/* one entry, of someone else: the list is in force */
	add_entry(f->w, f->s_a, l, -1);
	assert_int_equal(engine_study(f->w, f->s_a)->n_entries, 1);
	S_DENY(f, u, DATA_ENTRY, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_NOT_LISTED);
	S_ALLOW(f, l, VOLUNTEER_VIEW, f->s_a);
}

/* s4: same line, for a world that holds only some users (the console):
 * the study's entry count says whether its list is in force */
static void test_s4_list_in_force_by_entry_count(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "usr001", true);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR));
	S_ALLOW(f, u, STUDY_VIEW, f->s_c);
	/* one entry in the database, of a user not loaded */
	engine_study_set_entry_count(f->w, f->s_c, 1);
	S_DENY(f, u, STUDY_VIEW, f->s_c);
	assert_int_equal(ex_first_deny(f), WHY_NOT_LISTED);
	/* the last entry deleted: the profile decides again */
	engine_study_set_entry_count(f->w, f->s_c, 0);
	S_ALLOW(f, u, STUDY_VIEW, f->s_c);
}

/* s4: "priority rule 1: access in the profile, study has a user access
 * list, user not listed: no access" */
static void test_s4_priority_rule_1_not_listed_no_access(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "pr1001", true);
	/* S-A in the profile as a restricted study, at a site it may use */
	struct engine_site_restriction at_a01 = {f->a01, false};
	set_profile(f->w, u, LIST(ROLE_INVESTIGATOR), &at_a01, 1, LIST(f->s_a));
	S_ALLOW(f, u, STUDY_VIEW, f->s_a);

	int l = add_user(f->w, "lst001", true);
	set_roles(f->w, l, LIST(ROLE_INVESTIGATOR));
	add_entry(f->w, f->s_a, l, -1);
	S_DENY(f, u, STUDY_VIEW, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_NOT_LISTED);
	assert_int_equal(actions_of(f, u, f->s_a), 0);
}

/* s4: "priority rule 2: study A in the profile (A has no list) and listed on
 * study B: A and B" */
static void test_s4_priority_rule_2_profile_and_listed(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "pr2001", true);
	set_profile(f->w, u, LIST(ROLE_INVESTIGATOR), NULL, 0, LIST(f->s_a));
	add_entry(f->w, f->s_b, u, -1);

	S_ALLOW(f, u, SUBJECT_EDIT, f->s_a);
	assert_non_null(ex_find(f, WHY_ALLOW_PROFILE));
	S_ALLOW(f, u, SUBJECT_EDIT, f->s_b);
	assert_non_null(ex_find(f, WHY_ALLOW_LISTED));
	assert_int_equal(actions_of(f, u, f->s_b), SET_INV);
	/* and no third study */
	S_DENY(f, u, STUDY_VIEW, f->s_c);
	assert_int_equal(ex_first_deny(f), WHY_STUDY_RESTRICTION);
}

/* s4: "role restriction: listed with role X out of profile roles X and Y:
 * only X's actions in that study" */
static void test_s4_role_restriction_only_x(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "xy0001", true);
	set_roles(f->w, u, LIST(ROLE_DATA_MANAGER, ROLE_INVESTIGATOR));
	add_entry(f->w, f->s_a, u, ROLE_DATA_MANAGER);

	assert_int_equal(actions_of(f, u, f->s_a), SET_DM);
	S_ALLOW(f, u, DATA_ENTRY, f->s_a);
	assert_non_null(ex_find(f, WHY_ALLOW_LISTED_ROLE));
	S_DENY(f, u, SUBJECT_EDIT, f->s_a); /* Investigator's only */
	assert_non_null(ex_find(f, WHY_ACTION_NOT_GRANTED));
	/* elsewhere both roles */
	assert_int_equal(actions_of(f, u, f->s_c), SET_DM | SET_INV);
	S_ALLOW(f, u, SUBJECT_EDIT, f->s_c);
}

/* s4: "one role per user per study" */
static void test_s4_one_role_per_user_per_study(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "one001", true);
	set_roles(f->w, u, LIST(ROLE_DATA_MANAGER, ROLE_INVESTIGATOR));
	add_entry(f->w, f->s_a, u, ROLE_DATA_MANAGER);
	assert_int_equal(engine_entry_add(f->w, f->s_a, u, ROLE_INVESTIGATOR),
	                 ENGINE_EDUP_ENTRY);
	assert_int_equal(engine_entry_add(f->w, f->s_a, u, -1),
	                 ENGINE_EDUP_ENTRY);
	assert_int_equal(engine_study(f->w, f->s_a)->n_entries, 1);
	/* another study is another pair */
	assert_int_equal(engine_entry_add(f->w, f->s_b, u, ROLE_INVESTIGATOR),
	                 ENGINE_OK);
	assert_int_equal(actions_of(f, u, f->s_a), SET_DM);
}

/* s4: "the role must be one of the user's profile roles when set" (an entry
 * whose role is not in the profile is kept and denies) */
static void test_s4_entry_role_must_be_in_profile(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "rol001", true);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR, ROLE_RECRUITER));
	add_entry(f->w, f->s_a, u, ROLE_RECRUITER);
	S_ALLOW(f, u, VOLUNTEER_RECRUIT, f->s_a);

	/* the role leaves the profile: the entry denies, even what the
	 * remaining profile would allow */
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR));
	S_DENY(f, u, VOLUNTEER_RECRUIT, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_ENTRY_ROLE_NOT_IN_PROFILE);
	S_DENY(f, u, STUDY_VIEW, f->s_a);
	assert_int_equal(actions_of(f, u, f->s_a), 0);

	/* an entry with a role that was never in the profile */
	add_entry(f->w, f->s_b, u, ROLE_DATA_MANAGER);
	S_DENY(f, u, STUDY_VIEW, f->s_b);
	assert_int_equal(ex_first_deny(f), WHY_ENTRY_ROLE_NOT_IN_PROFILE);
}

/* s4: "`study.user_management` (Study Administrator) reaches every study
 * without being listed" */
static void test_s4_user_management_reaches_every_study(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "sum001", true);
	set_roles(f->w, u, LIST(ROLE_STUDY_ADMINISTRATOR));
	int l = add_user(f->w, "lst001", true);
	set_roles(f->w, l, LIST(ROLE_INVESTIGATOR));
	add_entry(f->w, f->s_a, l, -1); /* S-A has a list without u */

	S_ALLOW(f, u, STUDY_CONFIGURE, f->s_a);
	assert_non_null(ex_find(f, WHY_ALLOW_USER_MANAGEMENT));
	assert_int_equal(actions_of(f, u, f->s_a), ENGINE_STUDY_ACTIONS);
	S_ALLOW(f, u, DATA_ENTRY, f->s_c);
	S_ALLOW(f, u, STUDY_USER_MANAGEMENT, f->s_sub);

	/* a custom role holding only study.user_management does too */
	int sumr = add_role(f->w, "User Manager", DOMAIN_STUDY, REACH_SUBTREE,
	                    A(STUDY_USER_MANAGEMENT) | A(STUDY_VIEW));
	int m = add_user(f->w, "sum002", true);
	set_roles(f->w, m, LIST(sumr));
	S_ALLOW(f, m, STUDY_VIEW, f->s_a);
	S_DENY(f, m, DATA_ENTRY, f->s_a); /* but only its own actions */
}

/* s4: "but a listing with a role still takes priority in that study" */
static void test_s4_user_management_listing_with_role_priority(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "sum001", true);
	set_roles(f->w, u, LIST(ROLE_STUDY_ADMINISTRATOR, ROLE_RECRUITER));
	add_entry(f->w, f->s_a, u, ROLE_RECRUITER);

	assert_int_equal(actions_of(f, u, f->s_a), SET_REC);
	S_ALLOW(f, u, SCREENING_SCHEDULE, f->s_a);
	S_DENY(f, u, STUDY_CONFIGURE, f->s_a);
	S_DENY(f, u, STUDY_USER_MANAGEMENT, f->s_a);
	/* in the other studies, everything */
	assert_int_equal(actions_of(f, u, f->s_b), ENGINE_STUDY_ACTIONS);
}

/* s4: "recruitment-only at a site leaves only recruitment actions in that
 * site's studies" (profile path) */
static void test_s4_recruitment_only_profile(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "rec001", true);
	struct engine_site_restriction sites[] = {{f->a01, true},
	                                          {f->b01, false}};
	set_profile(f->w, u, LIST(ROLE_INVESTIGATOR, ROLE_RECRUITER), sites, 2,
	            NULL, 0);

	assert_int_equal(actions_of(f, u, f->s_a), SET_REC);
	S_ALLOW(f, u, VOLUNTEER_RECRUIT, f->s_a);
	assert_non_null(ex_find(f, WHY_RECRUITMENT_ONLY));
	S_DENY(f, u, SUBJECT_VIEW, f->s_a);
	/* the other site is not narrowed */
	assert_int_equal(actions_of(f, u, f->s_c), SET_INV | SET_REC);
	S_ALLOW(f, u, SUBJECT_VIEW, f->s_c);

	/* no recruitment action in the profile: nothing left */
	int v = add_user(f->w, "rec002", true);
	struct engine_site_restriction rec_a01 = {f->a01, true};
	set_profile(f->w, v, LIST(ROLE_INVESTIGATOR), &rec_a01, 1, NULL, 0);
	S_DENY(f, v, STUDY_VIEW, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_NO_ACTION_LEFT);
	assert_int_equal(actions_of(f, v, f->s_a), 0);
}

/* s4: "recruitment-only at a site ... for listed users and Study User
 * Management holders too" */
static void test_s4_recruitment_only_listed_and_user_management(void **state)
{
	struct fx *f = *state;
	struct engine_site_restriction rec_a01 = {f->a01, true};
	int l = add_user(f->w, "lst001", true);
	set_profile(f->w, l, LIST(ROLE_INVESTIGATOR, ROLE_RECRUITER), &rec_a01,
	            1, NULL, 0);
	add_entry(f->w, f->s_a, l, -1);
	assert_int_equal(actions_of(f, l, f->s_a), SET_REC);
	S_DENY(f, l, SUBJECT_EDIT, f->s_a);
	S_ALLOW(f, l, VOLUNTEER_VIEW, f->s_a);

	int s = add_user(f->w, "sum001", true);
	set_profile(f->w, s, LIST(ROLE_STUDY_ADMINISTRATOR), &rec_a01, 1, NULL,
	            0);
	assert_int_equal(actions_of(f, s, f->s_b), SET_REC);
	S_DENY(f, s, STUDY_CONFIGURE, f->s_b);
	S_ALLOW(f, s, SCREENING_SCHEDULE, f->s_b);
	/* at another site, everything */
	assert_int_equal(actions_of(f, s, f->s_c), ENGINE_STUDY_ACTIONS);

	/* listed with a role that has no recruitment action: none left */
	int r = add_user(f->w, "lst002", true);
	set_profile(f->w, r, LIST(ROLE_INVESTIGATOR, ROLE_RECRUITER), &rec_a01,
	            1, NULL, 0);
	add_entry(f->w, f->s_b, r, ROLE_INVESTIGATOR);
	S_DENY(f, r, STUDY_VIEW, f->s_b);
	assert_int_equal(ex_first_deny(f), WHY_NO_ACTION_LEFT);
}

/* s4: "a listed user ... is not subject to restricted studies, site
 * restrictions or the `require_...` switches in that study" */
static void test_s4_listed_user_not_subject_to_restrictions(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "lst001", true);
	struct engine_site_restriction at_b01 = {f->b01, false};
	/* restricted to S-C at B01BBB; S-A is at A01AAA */
	set_profile(f->w, u, LIST(ROLE_INVESTIGATOR), &at_b01, 1, LIST(f->s_c));
	S_DENY(f, u, STUDY_VIEW, f->s_a);
	add_entry(f->w, f->s_a, u, -1);
	S_ALLOW(f, u, STUDY_VIEW, f->s_a);

	int n = add_user(f->w, "lst002", true); /* no restriction at all */
	set_roles(f->w, n, LIST(ROLE_INVESTIGATOR));
	add_entry(f->w, f->s_b, n, -1);
	engine_settings(f->w)->require_site_restrictions = true;
	engine_settings(f->w)->require_study_restrictions = true;
	S_ALLOW(f, u, STUDY_VIEW, f->s_a);
	S_ALLOW(f, n, SUBJECT_EDIT, f->s_b);
	assert_non_null(ex_find(f, WHY_ALLOW_LISTED));
}

/* s4: "... and a Study User Management holder, is not subject to restricted
 * studies, site restrictions or the `require_...` switches" */
static void test_s4_user_management_not_subject_to_restrictions(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "sum001", true);
	struct engine_site_restriction at_b01 = {f->b01, false};
	set_profile(f->w, u, LIST(ROLE_STUDY_ADMINISTRATOR), &at_b01, 1,
	            LIST(f->s_c));
	S_ALLOW(f, u, STUDY_VIEW, f->s_a); /* not its study, not its site */
	int n = add_user(f->w, "sum002", true);
	set_roles(f->w, n, LIST(ROLE_STUDY_ADMINISTRATOR));
	engine_settings(f->w)->require_site_restrictions = true;
	engine_settings(f->w)->require_study_restrictions = true;
	S_ALLOW(f, u, STUDY_VIEW, f->s_a);
	S_ALLOW(f, n, STUDY_VIEW, f->s_sub);
	assert_non_null(ex_find(f, WHY_ALLOW_USER_MANAGEMENT));
}

/* s4: "... everyone else is" (subject to restricted studies, site
 * restrictions and the switches) */
static void test_s4_everyone_else_subject_to_restrictions(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "oth001", true);
	struct engine_site_restriction at_b01 = {f->b01, false};
	set_profile(f->w, u, LIST(ROLE_STUDY_COORDINATOR), &at_b01, 1,
	            LIST(f->s_a, f->s_c));
	S_ALLOW(f, u, STUDY_CONFIGURE, f->s_c);
	S_DENY(f, u, STUDY_VIEW, f->s_b); /* not a restricted study */
	assert_int_equal(ex_first_deny(f), WHY_STUDY_RESTRICTION);
	S_DENY(f, u, STUDY_VIEW, f->s_a); /* restricted study, wrong site */
	assert_int_equal(ex_first_deny(f), WHY_SITE_RESTRICTION);

	/* site restrictions match the site exactly, not by subtree */
	int v = add_user(f->w, "oth002", true);
	struct engine_site_restriction at_c01 = {f->c01, false};
	set_profile(f->w, v, LIST(ROLE_INVESTIGATOR), &at_c01, 1, NULL, 0);
	S_DENY(f, v, STUDY_VIEW, f->s_sub); /* S-SUB is at C01-SUB */
	assert_int_equal(ex_first_deny(f), WHY_SITE_RESTRICTION);

	/* the switches */
	int w2 = add_user(f->w, "oth003", true);
	set_roles(f->w, w2, LIST(ROLE_INVESTIGATOR));
	S_ALLOW(f, w2, STUDY_VIEW, f->s_a);
	engine_settings(f->w)->require_study_restrictions = true;
	S_DENY(f, w2, STUDY_VIEW, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_STUDY_RESTRICTION_REQUIRED);
}

/* s4 pseudo-code: "V disabled -> deny", "V has no profile role -> deny
 * 'no role: cannot log in'", even when listed */
static void test_s4_disabled_or_no_profile_role_denied(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "nor001", true);
	add_entry(f->w, f->s_a, u, -1);
	S_DENY(f, u, STUDY_VIEW, f->s_a);
	assert_int_equal(ex_first_deny(f), WHY_NO_PROFILE_ROLE);
	S_DENY(f, u, STUDY_VIEW, f->s_c);
	assert_int_equal(ex_first_deny(f), WHY_NO_PROFILE_ROLE);

	int d = add_user(f->w, "dis001", false);
	set_roles(f->w, d, LIST(ROLE_STUDY_ADMINISTRATOR));
	S_DENY(f, d, STUDY_VIEW, f->s_c);
	assert_int_equal(ex_first_deny(f), WHY_USER_DISABLED);
	assert_int_equal(actions_of(f, d, f->s_c), 0);
	engine_user_set_enabled(f->w, d, true);
	S_ALLOW(f, d, STUDY_VIEW, f->s_c);
}

/* ---- validation: an error, never a denial (section 2) ------------------ */

static void test_validate_unknown_ids(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "val001", true);
	add_grant(f->w, u, f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	set_roles(f->w, u, LIST(ROLE_STUDY_ADMINISTRATOR));
	int nu = engine_n_users(f->w), no = engine_n_orgs(f->w);
	int ns = engine_n_studies(f->w);
	bool allow = true;

	assert_int_equal(
	    engine_check_org(f->w, nu, ACT_ORG_VIEW, f->nhs, -1, NULL, &allow),
	    ENGINE_ENO_SUCH);
	assert_int_equal(
	    engine_check_org(f->w, -1, ACT_ORG_VIEW, f->nhs, -1, NULL, &allow),
	    ENGINE_ENO_SUCH);
	assert_int_equal(
	    engine_check_org(f->w, u, ACT_ORG_VIEW, no, -1, NULL, &allow),
	    ENGINE_ENO_SUCH);
	assert_int_equal(
	    engine_check_org(f->w, u, ACT_ORG_VIEW, -1, -1, NULL, &allow),
	    ENGINE_ENO_SUCH);
	assert_int_equal(
	    engine_check_study(f->w, u, ACT_STUDY_VIEW, ns, NULL, &allow),
	    ENGINE_ENO_SUCH);
	assert_int_equal(
	    engine_check_study(f->w, nu, ACT_STUDY_VIEW, f->s_a, NULL, &allow),
	    ENGINE_ENO_SUCH);
	/* actions and payment types outside the catalogue */
	assert_int_equal(
	    engine_check_org(f->w, u, ACT_COUNT, f->nhs, -1, NULL, &allow),
	    ENGINE_EBAD_ACTION);
	assert_int_equal(
	    engine_check_org(f->w, u, -1, f->nhs, -1, NULL, &allow),
	    ENGINE_EBAD_ACTION);
	assert_int_equal(
	    engine_check_study(f->w, u, ACT_COUNT, f->s_a, NULL, &allow),
	    ENGINE_EBAD_ACTION);
	assert_int_equal(engine_check_org(f->w, u, ACT_ACHIEVEMENT_VIEW, f->nhs,
	                                  PAY_COUNT, NULL, &allow),
	                 ENGINE_EBAD_PAYMENT);
	/* the same questions, well formed, are decided */
	assert_int_equal(
	    engine_check_org(f->w, u, ACT_ORG_VIEW, f->nhs, -1, NULL, &allow),
	    ENGINE_OK);
	assert_true(allow);
}

/* "a wrong pairing": a study action about an organisation, and the reverse */
static void test_validate_wrong_pairing(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "val001", true);
	add_grant(f->w, u, f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR), 0, NULL, 0);
	set_roles(f->w, u, LIST(ROLE_STUDY_ADMINISTRATOR));
	bool allow = false;
	for (int a = ACT_STUDY_VIEW; a < ACT_COUNT; a++)
		assert_int_not_equal(
		    engine_check_org(f->w, u, a, f->a01, -1, NULL, &allow),
		    ENGINE_OK);
	for (int a = 0; a < ACT_STUDY_VIEW; a++)
		assert_int_not_equal(
		    engine_check_study(f->w, u, a, f->s_a, NULL, &allow),
		    ENGINE_OK);
}

/* "a payment type with another action is an error": only achievement.* */
static void test_validate_payment_type_with_other_action(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "val001", true);
	add_grant(f->w, u, f->nhs, LIST(ROLE_SYSTEM_ADMINISTRATOR),
	          ENGINE_PAY(PAY_QOF), NULL, 0);
	bool allow = false;
	for (int a = 0; a < ACT_STUDY_VIEW; a++) {
		enum engine_err e =
		    engine_check_org(f->w, u, a, f->a01, PAY_QOF, NULL, &allow);
		if (ENGINE_ACT(a) & ENGINE_PAYMENT_ACTIONS) {
			assert_int_equal(e, ENGINE_OK);
			assert_true(allow);
		} else {
			assert_int_not_equal(e, ENGINE_OK);
		}
	}
}

/* "whatever the user's state": validation comes before "user disabled" */
static void test_validate_before_disabled(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "dis001", false);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR));
	bool allow = false;
	assert_int_not_equal(engine_check_org(f->w, u, ACT_USERS_MANAGE, f->a01,
	                                      PAY_QOF, NULL, &allow),
	                     ENGINE_OK);
	assert_int_not_equal(
	    engine_check_org(f->w, u, ACT_STUDY_VIEW, f->a01, -1, NULL, &allow),
	    ENGINE_OK);
	assert_int_not_equal(
	    engine_check_study(f->w, u, ACT_ORG_VIEW, f->s_a, NULL, &allow),
	    ENGINE_OK);
	assert_int_equal(engine_check_org(f->w, u, ACT_ORG_VIEW,
	                                  engine_n_orgs(f->w), -1, NULL,
	                                  &allow),
	                 ENGINE_ENO_SUCH);
	/* well formed: a denial */
	assert_int_equal(engine_check_org(f->w, u, ACT_USERS_MANAGE, f->a01, -1,
	                                  NULL, &allow),
	                 ENGINE_OK);
	assert_false(allow);
}

/* engine.h: a question on a tree changed since engine_world_index() */
static void test_validate_not_indexed(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "val001", true);
	add_grant(f->w, u, f->nhs, LIST(ROLE_VIEW), 0, NULL, 0);
	assert_true(engine_world_indexed(f->w));
	assert_int_equal(engine_org_set_parent(f->w, f->b01, f->man04),
	                 ENGINE_OK);
	assert_false(engine_world_indexed(f->w));
	bool allow = false;
	assert_int_equal(
	    engine_check_org(f->w, u, ACT_ORG_VIEW, f->b01, -1, NULL, &allow),
	    ENGINE_ENOT_INDEXED);
	assert_int_equal(engine_world_index(f->w, NULL), ENGINE_OK);
	assert_true(engine_in_subtree(f->w, f->b01, f->man04));
	assert_false(engine_in_subtree(f->w, f->b01, f->cgc04));
}

/* ---- explanations (section 6) ------------------------------------------ */

static const struct engine_reason *only_allow_grant(struct fx *f)
{
	assert_int_equal(ex_count(f, WHY_ALLOW_GRANT), 1);
	return ex_find(f, WHY_ALLOW_GRANT);
}

/* "When several grants ... would allow, the explanation cites the first in
 * their stored order" */
static void test_explain_allow_cites_first_grant(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "exp001", true);
	int g1 = add_grant(f->w, u, f->cgc04, LIST(ROLE_VIEW), 0, NULL, 0);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0, NULL, 0);
	int v = add_user(f->w, "exp002", true);
	int h1 = add_grant(f->w, v, f->lat04, LIST(ROLE_VIEW), 0, NULL, 0);
	add_grant(f->w, v, f->cgc04, LIST(ROLE_VIEW), 0, NULL, 0);

	ALLOW(f, u, ORG_VIEW, f->a01);
	const struct engine_reason *r = only_allow_grant(f);
	assert_int_equal(r->grant, g1);
	assert_int_equal(r->role, ROLE_VIEW);
	assert_int_equal(r->cluster, -1);
	assert_int_equal(r->depth, 0);

	ALLOW(f, v, ORG_VIEW, f->a01);
	assert_int_equal(only_allow_grant(f)->grant, h1);

	/* the first grant does not allow: the second is cited, and only
	 * what let the user in ("which grant, role, cluster and member let
	 * the user in") */
	ALLOW(f, u, ORG_VIEW, f->man04);
	assert_int_equal(only_allow_grant(f)->grant, g1 + 1);
	assert_int_equal(f->ex.n, 1);
}

/* "... several roles ... the first in their stored order" (the grant's own
 * list of roles, as a policy file writes it) */
static void test_explain_allow_cites_first_role(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "exp001", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW, ROLE_SYSTEM_ADMINISTRATOR),
	          0, NULL, 0);
	int v = add_user(f->w, "exp002", true);
	add_grant(f->w, v, f->lat04,
	          LIST(ROLE_ADVANCED_USER_ADMINISTRATOR, ROLE_VIEW), 0, NULL,
	          0);

	ALLOW(f, u, ORG_VIEW, f->cgc04);
	assert_int_equal(only_allow_grant(f)->role, ROLE_VIEW);
	ALLOW(f, u, ORGS_MANAGE, f->cgc04);
	assert_int_equal(only_allow_grant(f)->role, ROLE_SYSTEM_ADMINISTRATOR);
	ALLOW(f, v, ORG_VIEW, f->cgc04);
	assert_int_equal(only_allow_grant(f)->role,
	                 ROLE_ADVANCED_USER_ADMINISTRATOR);
}

/* "... several clusters or members ... the first in their stored order",
 * and the cluster and member "that let O in" */
static void test_explain_allow_cites_cluster_and_member(void **state)
{
	struct fx *f = *state;
	/* both clusters cover A01AAA; members listed in either order */
	int c1 =
	    add_cluster(f->w, "AAAAAAAAA1", f->lat04, LIST(f->a01, f->cgc04));
	int c2 =
	    add_cluster(f->w, "AAAAAAAAA2", f->lat04, LIST(f->cgc04, f->a01));
	int u = add_user(f->w, "exp001", true);
	int g = add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0,
	                  LIST(f->north, c1, c2));
	int v = add_user(f->w, "exp002", true);
	add_grant(f->w, v, f->lat04, LIST(ROLE_VIEW), 0, LIST(c2, c1));

	ALLOW(f, u, ORG_VIEW, f->a01);
	const struct engine_reason *r = only_allow_grant(f);
	assert_int_equal(r->grant, g);
	assert_int_equal(r->role, ROLE_VIEW);
	assert_int_equal(r->cluster, c1);
	assert_int_equal(r->member, f->a01);

	/* only cgc04 covers B01BBB */
	ALLOW(f, u, ORG_VIEW, f->b01);
	r = only_allow_grant(f);
	assert_int_equal(r->cluster, c1);
	assert_int_equal(r->member, f->cgc04);

	/* the north cluster lets C01-SUB in through man04 */
	ALLOW(f, u, ORG_VIEW, f->c01sub);
	r = only_allow_grant(f);
	assert_int_equal(r->cluster, f->north);
	assert_int_equal(r->member, f->man04);

	ALLOW(f, v, ORG_VIEW, f->a01);
	r = only_allow_grant(f);
	assert_int_equal(r->cluster, c2);
	assert_int_equal(r->member, f->cgc04);
}

/* "for a denial, each grant ... considered and the first condition it
 * failed": one reason per grant, in stored order */
static void test_explain_deny_one_reason_per_grant(void **state)
{
	struct fx *f = *state;
	int local =
	    add_role(f->w, "Local Viewer", DOMAIN_ORGANISATION,
	             REACH_ORGANISATION, A(ORG_VIEW) | A(ACHIEVEMENT_VIEW));
	int u = add_user(f->w, "exp001", true);
	int g[5];
	/* outside subtree(lat05) */
	g[0] = add_grant(f->w, u, f->lat05, LIST(ROLE_VIEW),
	                 ENGINE_PAY(PAY_QOF), NULL, 0);
	/* lat04 narrowed to man04 */
	g[1] = add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW),
	                 ENGINE_PAY(PAY_QOF), LIST(f->north));
	/* no role with achievement.view */
	g[2] = add_grant(f->w, u, f->a01, LIST(ROLE_USER_ADMINISTRATOR),
	                 ENGINE_PAY(PAY_QOF), NULL, 0);
	/* the role with it acts on nhs only */
	g[3] = add_grant(f->w, u, f->nhs, LIST(local), ENGINE_PAY(PAY_QOF),
	                 NULL, 0);
	/* everything but the payment type */
	g[4] = add_grant(f->w, u, f->cgc04, LIST(ROLE_VIEW), 0, NULL, 0);
	const enum engine_why want[5] = {
	    WHY_NOT_IN_SUBTREE, WHY_NOT_IN_CLUSTERS, WHY_NO_ROLE_WITH_ACTION,
	    WHY_ROLE_ORG_ONLY, WHY_NO_PAYMENT_TYPE};

	DENY_P(f, u, ACHIEVEMENT_VIEW, f->a01, QOF);
	assert_int_equal(f->ex.n, 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(f->ex.r[i].depth, 0);
		assert_int_equal(f->ex.r[i].grant, g[i]);
		assert_int_equal(f->ex.r[i].why, want[i]);
	}
	assert_false(f->ex.nomem);
}

/* The role condition comes first: "for each role r of g with a in
 * actions(r)", so a grant with no such role fails there, wherever it is */
static void test_explain_deny_role_condition_first(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "exp001", true);
	int g = add_grant(f->w, u, f->lat05, LIST(ROLE_VIEW), 0, NULL, 0);
	DENY(f, u, USERS_MANAGE, f->a01);
	assert_int_equal(f->ex.n, 1);
	assert_int_equal(f->ex.r[0].grant, g);
	assert_int_equal(f->ex.r[0].why, WHY_NO_ROLE_WITH_ACTION);
}

static bool has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* engine_reason_format: readable text naming what the reason cites */
static void test_explain_reason_format(void **state)
{
	struct fx *f = *state;
	char buf[512];
	int u = add_user(f->w, "kal738", true);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0, LIST(f->east));

	ALLOW(f, u, ORG_VIEW, f->a01);
	const struct engine_reason *r = only_allow_grant(f);
	int n = engine_reason_format(f->w, r, buf, sizeof buf);
	assert_int_equal(n, (int)strlen(buf));
	assert_true(has(buf, "lat04"));
	assert_true(has(buf, "View"));
	assert_true(has(buf, "C61A6DB801"));
	assert_true(has(buf, "A01AAA"));

	/* a too short buffer: snprintf's contract */
	char small[8];
	memset(small, 'x', sizeof small);
	assert_int_equal(engine_reason_format(f->w, r, small, sizeof small), n);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_int_equal(engine_reason_format(f->w, r, NULL, 0), n);

	/* a denial names the grant's organisation */
	DENY(f, u, ORG_VIEW, f->b01);
	assert_int_equal(f->ex.n, 1);
	n = engine_reason_format(f->w, &f->ex.r[0], buf, sizeof buf);
	assert_true(n > 0);
	assert_true(has(buf, "lat04"));

	engine_user_set_enabled(f->w, u, false);
	DENY(f, u, ORG_VIEW, f->a01);
	engine_reason_format(f->w, &f->ex.r[0], buf, sizeof buf);
	assert_true(has(buf, "disabled"));
}

/* A study explanation names the rule and the study */
static void test_explain_study(void **state)
{
	struct fx *f = *state;
	char buf[512];
	int u = add_user(f->w, "exp001", true);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR, ROLE_DATA_MANAGER));
	add_entry(f->w, f->s_a, u, ROLE_INVESTIGATOR);

	S_ALLOW(f, u, SUBJECT_EDIT, f->s_a);
	const struct engine_reason *r = ex_find(f, WHY_ALLOW_LISTED_ROLE);
	assert_non_null(r);
	assert_int_equal(r->study, f->s_a);
	assert_int_equal(r->role, ROLE_INVESTIGATOR);
	assert_int_equal(r->actions, SET_INV);
	engine_reason_format(f->w, r, buf, sizeof buf);
	assert_true(has(buf, "Investigator"));

	S_ALLOW(f, u, DATA_ENTRY, f->s_b);
	r = ex_find(f, WHY_ALLOW_PROFILE);
	assert_non_null(r);
	assert_int_equal(r->actions, SET_INV | SET_DM);

	/* the explanation is reset by the caller and reused */
	engine_explain_reset(&f->ex);
	assert_int_equal(f->ex.n, 0);
}

/* ---- catalogue (section 2) and key formats (section 1) ----------------- */

static void test_catalogue_actions(void **state)
{
	(void)state;
	static const char *names[ACT_COUNT] = {"org.view",
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
	                                       "screening.schedule"};
	for (int a = 0; a < ACT_COUNT; a++) {
		assert_string_equal(engine_action_name(a), names[a]);
		assert_int_equal(engine_action_find(names[a]), a);
		assert_int_equal(engine_action_domain(a),
		                 a < ACT_STUDY_VIEW ? DOMAIN_ORGANISATION
		                                    : DOMAIN_STUDY);
	}
	assert_int_equal(engine_action_find("users.Manage"), -1);
	assert_int_equal(engine_action_find("study"), -1);
	assert_int_equal(engine_action_find(""), -1);
	static const char *pays[PAY_COUNT] = {"QOF", "GPES", "DES",
	                                      "CC",  "VAC",  "LES"};
	for (int p = 0; p < PAY_COUNT; p++) {
		assert_string_equal(engine_payment_name(p), pays[p]);
		assert_int_equal(engine_payment_find(pays[p]), p);
	}
	assert_int_equal(engine_payment_find("qof"), -1);
	assert_int_equal(engine_payment_find("XYZ"), -1);
	assert_string_equal(engine_domain_name(DOMAIN_ORGANISATION),
	                    "organisation");
	assert_string_equal(engine_domain_name(DOMAIN_STUDY), "study");
	assert_string_equal(engine_reach_name(REACH_SUBTREE), "subtree");
	assert_string_equal(engine_reach_name(REACH_ORGANISATION),
	                    "organisation");
}

/* "Built-in roles (present in every database ...)": names, reach, actions */
static void test_catalogue_builtin_roles(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *name;
		enum engine_domain domain;
		enum engine_reach reach;
		engine_actions actions;
	} want[ROLE_BUILTIN_COUNT] = {
	    {"System Administrator", DOMAIN_ORGANISATION, REACH_SUBTREE,
	     ENGINE_ORG_ACTIONS},
	    {"Advanced User Administrator", DOMAIN_ORGANISATION, REACH_SUBTREE,
	     SET_AUA},
	    {"User Administrator", DOMAIN_ORGANISATION, REACH_ORGANISATION,
	     SET_UA},
	    {"View", DOMAIN_ORGANISATION, REACH_SUBTREE, SET_VIEW},
	    {"Study Administrator", DOMAIN_STUDY, REACH_SUBTREE,
	     ENGINE_STUDY_ACTIONS},
	    {"Study Coordinator", DOMAIN_STUDY, REACH_SUBTREE, SET_COORD},
	    {"Investigator", DOMAIN_STUDY, REACH_SUBTREE, SET_INV},
	    {"Data Manager", DOMAIN_STUDY, REACH_SUBTREE, SET_DM},
	    {"Recruiter", DOMAIN_STUDY, REACH_SUBTREE, SET_REC},
	};
	assert_int_equal(engine_n_roles(f->w), ROLE_BUILTIN_COUNT);
	for (int i = 0; i < ROLE_BUILTIN_COUNT; i++) {
		const struct engine_role *r = engine_role(f->w, i);
		assert_non_null(r);
		assert_string_equal(r->name, want[i].name);
		assert_int_equal(r->domain, want[i].domain);
		assert_int_equal(r->reach, want[i].reach);
		assert_int_equal(r->actions, want[i].actions);
		assert_true(r->builtin);
		assert_int_equal(engine_role_find(f->w, want[i].name), i);
	}
	assert_int_equal(ENGINE_ORG_ACTIONS, (1u << 12) - 1u);
	int n_study = 0;
	for (int a = 0; a < ACT_COUNT; a++)
		n_study += (ENGINE_STUDY_ACTIONS & ENGINE_ACT(a)) != 0;
	assert_int_equal(n_study, 10);
}

/* Section 1 key formats */
static void test_key_formats(void **state)
{
	(void)state;
	assert_true(engine_valid_org_code("lat04"));
	assert_true(engine_valid_org_code("A01AAA"));
	assert_true(engine_valid_org_code("1-LAT1"));
	assert_true(engine_valid_org_code("a.b_c-d"));
	assert_true(engine_valid_org_code("12345678901234567890123456789012"));
	assert_false(engine_valid_org_code(""));
	assert_false(
	    engine_valid_org_code("123456789012345678901234567890123"));
	assert_false(engine_valid_org_code("lat 04"));
	assert_false(engine_valid_org_code("lat/04"));
	assert_false(engine_valid_org_code("lät04"));

	assert_true(engine_valid_login("kal738"));
	assert_true(engine_valid_login("7ab.c_d-e"));
	assert_true(engine_valid_login("a"));
	assert_false(engine_valid_login(""));
	assert_false(engine_valid_login("Kal738"));
	assert_false(engine_valid_login(".kal"));
	assert_false(engine_valid_login("-kal"));
	assert_false(engine_valid_login("kal 738"));
	char login[70];
	memset(login, 'a', 64);
	login[64] = '\0';
	assert_true(engine_valid_login(login));
	login[64] = 'a';
	login[65] = '\0';
	assert_false(engine_valid_login(login));

	assert_true(engine_valid_short_name("C61A6DB801"));
	assert_true(engine_valid_short_name("0123456789"));
	assert_false(engine_valid_short_name("c61a6db801"));
	assert_false(engine_valid_short_name("C61A6DB80"));
	assert_false(engine_valid_short_name("C61A6DB8011"));
	assert_false(engine_valid_short_name("G61A6DB801"));
	assert_false(engine_valid_short_name(""));
}

/* ---- building errors (section 1 invariants) ---------------------------- */

/* "unique and compared case-insensitively" */
static void test_build_duplicate_org_code_case_insensitive(void **state)
{
	struct fx *f = *state;
	int id = -1;
	assert_int_equal(engine_org_add(f->w, "LAT04", "Other", false, &id),
	                 ENGINE_EDUP_ORG);
	assert_int_equal(engine_org_add(f->w, "Lat04", "Other", false, NULL),
	                 ENGINE_EDUP_ORG);
	assert_int_equal(engine_org_add(f->w, "a01aaa", "Other", true, NULL),
	                 ENGINE_EDUP_ORG);
	assert_int_equal(engine_org_find(f->w, "LAT04"), f->lat04);
	assert_int_equal(engine_org_find(f->w, "c01-sub"), f->c01sub);
	assert_int_equal(engine_org_find(f->w, "lat4"), -1);
	assert_int_equal(engine_org_add(f->w, "lat 04", "Bad", false, NULL),
	                 ENGINE_EBAD_CODE);
	assert_int_equal(engine_org_add(f->w, "lat06", "New", false, &id),
	                 ENGINE_OK);
	assert_int_equal(id, engine_n_orgs(f->w) - 1);
	assert_string_equal(engine_org(f->w, id)->code, "lat06");
	assert_int_equal(engine_org(f->w, id)->parent, -1);
}

/* "The organisations form a forest: no cycles, ever." */
static void test_build_cycle_refused(void **state)
{
	struct fx *f = *state;
	assert_int_equal(engine_org_set_parent(f->w, f->lat04, f->c01sub),
	                 ENGINE_ECYCLE);
	assert_int_equal(engine_org_set_parent(f->w, f->lat04, f->lat04),
	                 ENGINE_ECYCLE);
	assert_int_equal(engine_org_set_parent(f->w, f->nhs, f->d01),
	                 ENGINE_ECYCLE);
	assert_int_equal(engine_org(f->w, f->lat04)->parent, f->nhs);
	assert_int_equal(engine_org(f->w, f->nhs)->parent, -1);
	/* a move that is no cycle is fine */
	assert_int_equal(engine_org_set_parent(f->w, f->root2, f->lat05),
	                 ENGINE_OK);
	assert_int_equal(engine_world_index(f->w, NULL), ENGINE_OK);
	assert_true(engine_in_subtree(f->w, f->root2, f->nhs));
}

/* "a cluster's members are strict descendants of its owner" */
static void test_build_cluster_member_outside_owner(void **state)
{
	struct fx *f = *state;
	int id = -1;
	assert_int_equal(engine_cluster_add(f->w, "ABCDEF0123", "x", f->lat04,
	                                    LIST(f->d01), &id),
	                 ENGINE_EMEMBER_OUTSIDE);
	assert_int_equal(engine_cluster_add(f->w, "ABCDEF0123", "x", f->lat04,
	                                    LIST(f->lat04), &id),
	                 ENGINE_EMEMBER_OUTSIDE); /* strict */
	assert_int_equal(engine_cluster_add(f->w, "ABCDEF0123", "x", f->cgc04,
	                                    LIST(f->a01, f->c01), &id),
	                 ENGINE_EMEMBER_OUTSIDE);
	assert_int_equal(engine_cluster_add(f->w, "ABCDEF0123", "x", f->lat04,
	                                    LIST(f->a01, f->a01), &id),
	                 ENGINE_EDUP_ITEM);
	assert_int_equal(engine_cluster_add(f->w, "abcdef0123", "x", f->lat04,
	                                    LIST(f->a01), &id),
	                 ENGINE_EBAD_SHORT_NAME);
	assert_int_equal(engine_cluster_add(f->w, "C61A6DB801", "x", f->lat04,
	                                    LIST(f->a01), &id),
	                 ENGINE_EDUP_CLUSTER);
	assert_int_equal(engine_n_clusters(f->w), 4);
	assert_int_equal(engine_cluster_add(f->w, "ABCDEF0123", "x", f->cgc04,
	                                    LIST(f->a01, f->b01), &id),
	                 ENGINE_OK);
	assert_int_equal(engine_cluster_find(f->w, "ABCDEF0123"), id);
	assert_int_equal(engine_cluster(f->w, id)->n_members, 2);
}

/* "moving an organisation may not ... take a cluster member out of its
 * owner's subtree" (refused by the move or by the next index) */
static void test_build_move_member_out_of_owner(void **state)
{
	struct fx *f = *state;
	enum engine_err e = engine_org_set_parent(f->w, f->a01, f->lat05);
	if (e == ENGINE_OK) {
		int bad = -1;
		assert_int_equal(engine_world_index(f->w, &bad),
		                 ENGINE_EMEMBER_OUTSIDE);
		assert_int_equal(bad, f->east);
	} else {
		assert_int_equal(e, ENGINE_EMEMBER_OUTSIDE);
	}
}

/* "a grant's selected clusters are owned by the grant's organisation" */
static void test_build_cluster_not_owned_by_grant_org(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "bld001", true);
	assert_int_equal(engine_grant_add(f->w, u, f->cgc04, LIST(ROLE_VIEW), 0,
	                                  LIST(f->east), NULL),
	                 ENGINE_ECLUSTER_NOT_OWNED);
	assert_int_equal(engine_grant_add(f->w, u, f->nhs, LIST(ROLE_VIEW), 0,
	                                  LIST(f->west), NULL),
	                 ENGINE_ECLUSTER_NOT_OWNED);
	assert_int_equal(engine_n_grants(f->w), 0);
	int g = -1;
	assert_int_equal(engine_grant_add(f->w, u, f->lat04, LIST(ROLE_VIEW), 0,
	                                  LIST(f->east, f->west), &g),
	                 ENGINE_OK);
	assert_int_equal(engine_grant_find(f->w, u, f->lat04), g);
	assert_int_equal(engine_grant(f->w, g)->n_clusters, 2);
}

/* Grants: "roles (organisation domain, at least one)", "at most one per
 * pair", "No list holds the same item twice" */
static void test_build_grant_errors(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "bld001", true);
	assert_int_equal(
	    engine_grant_add(f->w, u, f->lat04, NULL, 0, 0, NULL, 0, NULL),
	    ENGINE_ENO_ROLES);
	assert_int_equal(engine_grant_add(f->w, u, f->lat04,
	                                  LIST(ROLE_INVESTIGATOR), 0, NULL, 0,
	                                  NULL),
	                 ENGINE_EROLE_DOMAIN);
	assert_int_equal(engine_grant_add(f->w, u, f->lat04,
	                                  LIST(ROLE_VIEW, ROLE_VIEW), 0, NULL,
	                                  0, NULL),
	                 ENGINE_EDUP_ITEM);
	assert_int_equal(engine_grant_add(f->w, u, f->lat04, LIST(ROLE_VIEW), 0,
	                                  LIST(f->east, f->east), NULL),
	                 ENGINE_EDUP_ITEM);
	assert_int_equal(engine_grant_add(f->w, u, f->lat04, LIST(ROLE_VIEW),
	                                  (engine_payments)(1u << PAY_COUNT),
	                                  NULL, 0, NULL),
	                 ENGINE_EBAD_PAYMENT);
	assert_int_equal(engine_grant_add(f->w, u, engine_n_orgs(f->w),
	                                  LIST(ROLE_VIEW), 0, NULL, 0, NULL),
	                 ENGINE_ENO_SUCH);
	assert_int_equal(engine_grant_add(f->w, u, f->lat04,
	                                  LIST(engine_n_roles(f->w)), 0, NULL,
	                                  0, NULL),
	                 ENGINE_ENO_SUCH);
	assert_int_equal(engine_n_grants(f->w), 0);
	assert_int_equal(engine_user(f->w, u)->n_grants, 0);
	add_grant(f->w, u, f->lat04, LIST(ROLE_VIEW), 0, NULL, 0);
	assert_int_equal(engine_grant_add(f->w, u, f->lat04,
	                                  LIST(ROLE_USER_ADMINISTRATOR), 0,
	                                  NULL, 0, NULL),
	                 ENGINE_EDUP_GRANT);
	assert_int_equal(engine_user(f->w, u)->n_grants, 1);
}

/* Roles: "a non-empty set of actions of that domain", "a custom role may
 * not take a built-in role's name", names unique, "reach (organisation
 * domain only)" */
static void test_build_role_errors(void **state)
{
	struct fx *f = *state;
	struct engine_world *w = f->w;
	assert_int_equal(engine_role_add(w, "Empty", DOMAIN_ORGANISATION,
	                                 REACH_SUBTREE, 0, NULL),
	                 ENGINE_ENO_ACTIONS);
	assert_int_equal(engine_role_add(w, "Mixed", DOMAIN_ORGANISATION,
	                                 REACH_SUBTREE,
	                                 A(ORG_VIEW) | A(STUDY_VIEW), NULL),
	                 ENGINE_EACTION_DOMAIN);
	assert_int_equal(engine_role_add(w, "Mixed", DOMAIN_STUDY,
	                                 REACH_SUBTREE,
	                                 A(USERS_VIEW) | A(STUDY_VIEW), NULL),
	                 ENGINE_EACTION_DOMAIN);
	assert_int_equal(engine_role_add(w, "View", DOMAIN_ORGANISATION,
	                                 REACH_SUBTREE, A(ORG_VIEW), NULL),
	                 ENGINE_EBUILTIN_ROLE);
	assert_int_equal(engine_role_add(w, "Recruiter", DOMAIN_STUDY,
	                                 REACH_SUBTREE, A(VOLUNTEER_VIEW),
	                                 NULL),
	                 ENGINE_EBUILTIN_ROLE);
	assert_int_equal(engine_role_add(w, "", DOMAIN_STUDY, REACH_SUBTREE,
	                                 A(VOLUNTEER_VIEW), NULL),
	                 ENGINE_EEMPTY_NAME);
	assert_int_not_equal(engine_role_add(w, "Outside", DOMAIN_STUDY,
	                                     REACH_SUBTREE,
	                                     ENGINE_ACT(ACT_COUNT), NULL),
	                     ENGINE_OK);
	assert_int_equal(engine_n_roles(w), ROLE_BUILTIN_COUNT);
	int id = add_role(w, "Night Recruiter", DOMAIN_STUDY, REACH_SUBTREE,
	                  A(VOLUNTEER_VIEW));
	assert_int_equal(id, ROLE_BUILTIN_COUNT);
	assert_false(engine_role(w, id)->builtin);
	assert_int_equal(engine_role_add(w, "Night Recruiter", DOMAIN_STUDY,
	                                 REACH_SUBTREE, A(VOLUNTEER_RECRUIT),
	                                 NULL),
	                 ENGINE_EDUP_ROLE);
	/* role names are compared exactly */
	assert_int_equal(engine_role_find(w, "night recruiter"), -1);
}

/* "reach (organisation domain only ...)": organisation reach on a study
 * role */
static void test_build_reach_on_study_role(void **state)
{
	struct fx *f = *state;
	assert_int_equal(engine_role_add(f->w, "Local Study", DOMAIN_STUDY,
	                                 REACH_ORGANISATION, A(STUDY_VIEW),
	                                 NULL),
	                 ENGINE_EREACH_STUDY);
	int id = add_role(f->w, "Local Org", DOMAIN_ORGANISATION,
	                  REACH_ORGANISATION, A(ORG_VIEW));
	assert_int_equal(engine_role(f->w, id)->reach, REACH_ORGANISATION);
}

/* "profile roles and study entries use study-domain roles" */
static void test_build_profile_and_entry_role_domain(void **state)
{
	struct fx *f = *state;
	int u = add_user(f->w, "bld001", true);
	assert_int_equal(
	    engine_user_set_profile(f->w, u, LIST(ROLE_VIEW), NULL, 0, NULL, 0),
	    ENGINE_EROLE_DOMAIN);
	assert_int_equal(
	    engine_user_set_profile(f->w, u,
	                            LIST(ROLE_INVESTIGATOR, ROLE_INVESTIGATOR),
	                            NULL, 0, NULL, 0),
	    ENGINE_EDUP_ITEM);
	assert_int_equal(engine_user(f->w, u)->n_profile_roles, 0);
	assert_int_equal(
	    engine_entry_add(f->w, f->s_a, u, ROLE_SYSTEM_ADMINISTRATOR),
	    ENGINE_EROLE_DOMAIN);
	assert_int_equal(engine_study(f->w, f->s_a)->n_entries, 0);
	set_roles(f->w, u, LIST(ROLE_INVESTIGATOR, ROLE_RECRUITER));
	assert_int_equal(engine_user(f->w, u)->profile_actions,
	                 SET_INV | SET_REC);
}

/* "a study's site is an organisation with `is_site`"; site restrictions
 * name sites too */
static void test_build_study_site_not_a_site(void **state)
{
	struct fx *f = *state;
	assert_int_equal(engine_study_add(f->w, "S-X", "x", f->cgc04, NULL),
	                 ENGINE_ENOT_SITE);
	assert_int_equal(engine_study_add(f->w, "S-A", "x", f->b01, NULL),
	                 ENGINE_EDUP_STUDY);
	assert_int_equal(engine_study_add(f->w, "S X", "x", f->b01, NULL),
	                 ENGINE_EBAD_CODE);
	int u = add_user(f->w, "bld001", true);
	struct engine_site_restriction not_site = {f->cgc04, false};
	assert_int_equal(engine_user_set_profile(f->w, u,
	                                         LIST(ROLE_INVESTIGATOR),
	                                         &not_site, 1, NULL, 0),
	                 ENGINE_ENOT_SITE);
	struct engine_site_restriction twice[] = {{f->a01, false},
	                                          {f->a01, true}};
	assert_int_equal(engine_user_set_profile(f->w, u,
	                                         LIST(ROLE_INVESTIGATOR), twice,
	                                         2, NULL, 0),
	                 ENGINE_EDUP_ITEM);
	assert_int_equal(engine_user_set_profile(f->w, u,
	                                         LIST(ROLE_INVESTIGATOR), NULL,
	                                         0, LIST(f->s_a, f->s_a)),
	                 ENGINE_EDUP_ITEM);
	int id = -1;
	assert_int_equal(engine_study_add(f->w, "S-X", "x", f->d01, &id),
	                 ENGINE_OK);
	assert_int_equal(engine_study_find(f->w, "S-X"), id);
	assert_int_equal(engine_study_find(f->w, "s-x"), -1); /* exact */
}

/* Users: login format, unique */
static void test_build_user_errors(void **state)
{
	struct fx *f = *state;
	int id = add_user(f->w, "kal738", true);
	assert_int_equal(engine_user_add(f->w, "kal738", "K", "A", true, NULL),
	                 ENGINE_EDUP_USER);
	assert_int_equal(engine_user_add(f->w, "Kal739", "K", "A", true, NULL),
	                 ENGINE_EBAD_LOGIN);
	assert_int_equal(engine_user_find(f->w, "kal738"), id);
	assert_int_equal(engine_user_find(f->w, "KAL738"), -1);
	assert_true(engine_user(f->w, id)->enabled);
	engine_user_set_enabled(f->w, id, false);
	assert_false(engine_user(f->w, id)->enabled);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_s3_no_cluster_selected_not_restricted),
	    T(test_s3_clusters_selected_members_and_descendants),
	    T(test_s3_clusters_selected_grant_org_not_reachable),
	    T(test_s3_several_clusters_union),
	    T(test_s3_several_grants_apply_on_their_own),
	    T(test_s3_empty_cluster_reaches_nothing),
	    T(test_s3_payment_type_needs_grant_holding_it),
	    T(test_s3_no_payment_type_ignores_payment_types),
	    T(test_s3_no_grants_no_org_access),
	    T(test_s3_org_reach_role_own_org_only),
	    T(test_s3_org_reach_role_under_cluster_nowhere),
	    T(test_s3_disabled_user_denied),
	    T(test_grant_actions_no_clusters),
	    T(test_grant_actions_cluster_member_above),
	    T(test_grant_actions_org_reach_role),
	    T(test_grant_actions_not_reaching),
	    T(test_s4_new_user_every_study_without_list),
	    T(test_s4_new_user_require_site_restrictions),
	    T(test_s4_new_user_require_study_restrictions),
	    T(test_s4_list_in_force_with_one_entry),
	    T(test_s4_list_in_force_by_entry_count),
	    T(test_s4_priority_rule_1_not_listed_no_access),
	    T(test_s4_priority_rule_2_profile_and_listed),
	    T(test_s4_role_restriction_only_x),
	    T(test_s4_one_role_per_user_per_study),
	    T(test_s4_entry_role_must_be_in_profile),
	    T(test_s4_user_management_reaches_every_study),
	    T(test_s4_user_management_listing_with_role_priority),
	    T(test_s4_recruitment_only_profile),
	    T(test_s4_recruitment_only_listed_and_user_management),
	    T(test_s4_listed_user_not_subject_to_restrictions),
	    T(test_s4_user_management_not_subject_to_restrictions),
	    T(test_s4_everyone_else_subject_to_restrictions),
	    T(test_s4_disabled_or_no_profile_role_denied),
	    T(test_validate_unknown_ids),
	    T(test_validate_wrong_pairing),
	    T(test_validate_payment_type_with_other_action),
	    T(test_validate_before_disabled),
	    T(test_validate_not_indexed),
	    T(test_explain_allow_cites_first_grant),
	    T(test_explain_allow_cites_first_role),
	    T(test_explain_allow_cites_cluster_and_member),
	    T(test_explain_deny_one_reason_per_grant),
	    T(test_explain_deny_role_condition_first),
	    T(test_explain_reason_format),
	    T(test_explain_study),
	    T(test_catalogue_actions),
	    T(test_catalogue_builtin_roles),
	    T(test_key_formats),
	    T(test_build_duplicate_org_code_case_insensitive),
	    T(test_build_cycle_refused),
	    T(test_build_cluster_member_outside_owner),
	    T(test_build_move_member_out_of_owner),
	    T(test_build_cluster_not_owned_by_grant_org),
	    T(test_build_grant_errors),
	    T(test_build_role_errors),
	    T(test_build_reach_on_study_role),
	    T(test_build_profile_and_entry_role_domain),
	    T(test_build_study_site_not_a_site),
	    T(test_build_user_errors),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
