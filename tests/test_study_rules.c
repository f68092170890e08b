/* test_study_rules.c: unit tests of the rules Study Configure asks the
 * engine (access-model.md section 4, and section 5 "import users for S
 * ...: an entry whose role later leaves the profile is kept, marked, and
 * denies"): engine_entry_stale, engine_study_opened_by_emptying and
 * engine_settings_shut_out.
 *
 * The two counts are checked against a brute force: the world is
 * described once (struct spec) and built twice, as it is and as the change
 * would leave it (without the study's entries; with the other settings),
 * and engine_study_actions is compared user by user (and study by study).
 * Hand-built worlds first (the ClinSpark seed world of
 * tests/console/studies.conf with tests/db/studies-fixture.conf, whose
 * counts tests/db/test_studies.c finds in PostgreSQL too; and the corner
 * cases), then 300 random worlds (tests/rng.h).
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
#include "rng.h"

#include "accessdesk/engine.h"

#define A(x) ENGINE_ACT(ACT_##x)

/* ---- a world described once, built as often as needed ----------------- */

#define MAX_ORGS    8
#define MAX_CUSTOM  3
#define MAX_STUDIES 6
#define MAX_USERS   24
#define NO_ENTRY    (-2) /* entry[]: not listed; -1 listed with no role */

struct uspec {
	bool enabled;
	int n_roles, roles[6];
	int n_sites;
	struct engine_site_restriction sites[MAX_ORGS]; /* org indexes */
	int n_studies, studies[MAX_STUDIES];
	int entry[MAX_STUDIES]; /* NO_ENTRY, -1 or a role id */
};

struct spec {
	int n_orgs, parent[MAX_ORGS];
	bool is_site[MAX_ORGS];
	int n_custom;
	engine_actions custom[MAX_CUSTOM]; /* study roles, ids 9, 10, ... */
	int n_studies, study_site[MAX_STUDIES];
	int n_users;
	struct uspec u[MAX_USERS];
	struct engine_settings settings;
};

/* Organisation, study and user ids are the spec's indexes; the roles are
 * the built-ins, then the custom ones. `without`: the study whose entries
 * are left out (-1: none); settings NULL: the spec's. */
static struct engine_world *build(const struct spec *sp, int without,
                                  const struct engine_settings *settings)
{
	struct engine_world *w = engine_world_new();
	assert_non_null(w);
	for (int i = 0; i < sp->n_orgs; i++) {
		char code[24];
		snprintf(code, sizeof code, "O%d", i);
		assert_int_equal(
		    add_org(w, code, sp->parent[i], sp->is_site[i]), i);
	}
	assert_int_equal(engine_world_index(w, NULL), ENGINE_OK);
	for (int i = 0; i < sp->n_custom; i++) {
		char name[24];
		int id = -1;
		snprintf(name, sizeof name, "Custom %d", i);
		assert_int_equal(engine_role_add(w, name, DOMAIN_STUDY,
		                                 REACH_SUBTREE, sp->custom[i],
		                                 &id),
		                 ENGINE_OK);
		assert_int_equal(id, ROLE_BUILTIN_COUNT + i);
	}
	for (int i = 0; i < sp->n_studies; i++) {
		char code[24];
		snprintf(code, sizeof code, "S%d", i);
		assert_int_equal(add_study(w, code, sp->study_site[i]), i);
	}
	for (int i = 0; i < sp->n_users; i++) {
		const struct uspec *u = &sp->u[i];
		char login[24];
		int id = -1;
		snprintf(login, sizeof login, "u%02d", i);
		assert_int_equal(
		    engine_user_add(w, login, "F", login, u->enabled, &id),
		    ENGINE_OK);
		assert_int_equal(id, i);
		set_profile(w, i, u->roles, u->n_roles, u->sites, u->n_sites,
		            u->studies, u->n_studies);
	}
	for (int i = 0; i < sp->n_users; i++)
		for (int s = 0; s < sp->n_studies; s++)
			if (s != without && sp->u[i].entry[s] != NO_ENTRY)
				assert_int_equal(
				    engine_entry_add(w, s, i,
				                     sp->u[i].entry[s]),
				    ENGINE_OK);
	*engine_settings(w) = settings ? *settings : sp->settings;
	assert_int_equal(engine_world_index(w, NULL), ENGINE_OK);
	return w;
}

static void spec_init(struct spec *sp)
{
	memset(sp, 0, sizeof *sp);
	for (int i = 0; i < MAX_USERS; i++) {
		sp->u[i].enabled = true;
		for (int s = 0; s < MAX_STUDIES; s++)
			sp->u[i].entry[s] = NO_ENTRY;
	}
}

static int all[MAX_USERS];

static void all_init(void)
{
	for (int i = 0; i < MAX_USERS; i++)
		all[i] = i;
}

/* The brute force: users (of `users`) with no access to the study now
 * who have some once the world is built without its entries. */
static int opened_brute(const struct spec *sp, int study, const int *users,
                        int n)
{
	struct engine_world *now = build(sp, -1, NULL);
	struct engine_world *then = build(sp, study, NULL);
	assert_int_equal(engine_study(then, study)->n_entries, 0);
	int opened = 0;
	for (int i = 0; i < n; i++)
		opened += !engine_study_actions(now, users[i], study, NULL) &&
		          engine_study_actions(then, users[i], study, NULL);
	engine_world_free(now);
	engine_world_free(then);
	return opened;
}

/* The brute force: users who have access to some study now and lack it
 * in the world built with the settings `to`. */
static int shut_out_brute(const struct spec *sp,
                          const struct engine_settings *to, const int *users,
                          int n)
{
	struct engine_world *now = build(sp, -1, NULL);
	struct engine_world *then = build(sp, -1, to);
	int shut = 0;
	for (int i = 0; i < n; i++) {
		bool lost = false;
		for (int s = 0; s < sp->n_studies; s++)
			lost |= engine_study_actions(now, users[i], s, NULL) &&
			        !engine_study_actions(then, users[i], s, NULL);
		shut += lost;
	}
	engine_world_free(now);
	engine_world_free(then);
	return shut;
}

static bool in_profile(const struct uspec *u, int role)
{
	for (int i = 0; i < u->n_roles; i++)
		if (u->roles[i] == role)
			return true;
	return false;
}

/* ---- the seed world ----------------------------------------------------- */

/* tests/console/studies.conf and tests/db/studies-fixture.conf: iqvia (0),
 * SITE-A (1), SITE-B (2); Role X (9), Role Y (10); STUDY-A..E (0..4) at
 * SITE-A, SITE-A, SITE-B, SITE-B, SITE-A. */
enum {
	COO001,
	ADM001,
	NEW001,
	NOR001,
	SIT001,
	REC001,
	STU001,
	PRI001,
	PRI002,
	XY0001,
	SUM001,
	IMP001,
	STA001,
	DIS001,
	TWO001,
	RCA001,
	RCZ001,
	DSB002,
	BTH001,
	SEED_USERS
};
enum { ST_A, ST_B, ST_C, ST_D, ST_E };
#define ROLE_X (ROLE_BUILTIN_COUNT)
#define ROLE_Y (ROLE_BUILTIN_COUNT + 1)

static void roles_of(struct uspec *u, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		u->roles[u->n_roles++] = va_arg(ap, int);
	va_end(ap);
}

static void site_of(struct uspec *u, int site, bool recruitment_only)
{
	u->sites[u->n_sites++] =
	    (struct engine_site_restriction){site, recruitment_only};
}

static void seed(struct spec *sp)
{
	spec_init(sp);
	sp->n_orgs = 3;
	sp->parent[0] = -1;
	sp->parent[1] = sp->parent[2] = 0;
	sp->is_site[1] = sp->is_site[2] = true;
	sp->n_custom = 2;
	sp->custom[0] = A(STUDY_VIEW) | A(SUBJECT_VIEW) | A(DATA_ENTRY);
	sp->custom[1] = A(STUDY_VIEW) | A(SUBJECT_EDIT) | A(DATA_REVIEW);
	sp->n_studies = 5;
	const int at[] = {1, 1, 2, 2, 1};
	memcpy(sp->study_site, at, sizeof at);
	sp->n_users = SEED_USERS;
	struct uspec *u = sp->u;
	roles_of(&u[COO001], 1, ROLE_STUDY_COORDINATOR);
	u[COO001].entry[ST_B] = -1;
	roles_of(&u[NEW001], 1, ROLE_INVESTIGATOR);
	roles_of(&u[SIT001], 1, ROLE_INVESTIGATOR);
	site_of(&u[SIT001], 1, false);
	roles_of(&u[REC001], 2, ROLE_INVESTIGATOR, ROLE_RECRUITER);
	site_of(&u[REC001], 2, true);
	roles_of(&u[STU001], 1, ROLE_INVESTIGATOR);
	u[STU001].studies[u[STU001].n_studies++] = ST_C;
	roles_of(&u[PRI001], 1, ROLE_INVESTIGATOR);
	u[PRI001].studies[u[PRI001].n_studies++] = ST_A;
	roles_of(&u[PRI002], 1, ROLE_INVESTIGATOR);
	u[PRI002].studies[u[PRI002].n_studies++] = ST_C;
	u[PRI002].entry[ST_A] = -1;
	roles_of(&u[XY0001], 2, ROLE_X, ROLE_Y);
	u[XY0001].entry[ST_B] = ROLE_X;
	roles_of(&u[SUM001], 1, ROLE_STUDY_ADMINISTRATOR);
	u[SUM001].studies[u[SUM001].n_studies++] = ST_C;
	roles_of(&u[IMP001], 2, ROLE_DATA_MANAGER, ROLE_RECRUITER);
	u[IMP001].entry[ST_A] = -1;
	roles_of(&u[STA001], 1, ROLE_INVESTIGATOR);
	u[STA001].entry[ST_B] = ROLE_RECRUITER; /* left its profile */
	u[DIS001].enabled = false;
	roles_of(&u[DIS001], 1, ROLE_INVESTIGATOR);
	roles_of(&u[TWO001], 1, ROLE_INVESTIGATOR);
	site_of(&u[TWO001], 1, false);
	site_of(&u[TWO001], 2, false);
	roles_of(&u[RCA001], 2, ROLE_INVESTIGATOR, ROLE_RECRUITER);
	site_of(&u[RCA001], 1, true);
	roles_of(&u[RCZ001], 1, ROLE_INVESTIGATOR);
	site_of(&u[RCZ001], 1, true);
	u[DSB002].enabled = false;
	roles_of(&u[DSB002], 1, ROLE_DATA_MANAGER);
	u[DSB002].entry[ST_A] = -1;
	roles_of(&u[BTH001], 1, ROLE_DATA_MANAGER);
	site_of(&u[BTH001], 1, false);
	u[BTH001].studies[u[BTH001].n_studies++] = ST_B;
}

/* ---- engine_entry_stale ------------------------------------------------- */

/* "an entry whose role later leaves the profile is kept, marked, and
 * denies" */
static void test_entry_stale(void **state)
{
	(void)state;
	struct spec sp;
	seed(&sp);
	struct engine_world *w = build(&sp, -1, NULL);
	/* listed with a role not in the profile */
	assert_true(engine_entry_stale(w, STA001, ST_B));
	assert_int_equal(engine_study_actions(w, STA001, ST_B, NULL), 0);
	/* listed with a role in the profile */
	assert_false(engine_entry_stale(w, XY0001, ST_B));
	/* listed with no role */
	assert_false(engine_entry_stale(w, COO001, ST_B));
	assert_false(engine_entry_stale(w, PRI002, ST_A));
	/* not listed, on a study with a list and on one without */
	assert_false(engine_entry_stale(w, STA001, ST_A));
	assert_false(engine_entry_stale(w, STA001, ST_C));
	assert_false(engine_entry_stale(w, XY0001, ST_A));
	/* the entry is marked whatever the user: disabled, no profile */
	engine_world_free(w);
	sp.u[DIS001].entry[ST_C] = ROLE_RECRUITER;
	sp.u[NOR001].entry[ST_C] = ROLE_INVESTIGATOR;
	sp.u[NOR001].entry[ST_D] = -1;
	sp.u[XY0001].entry[ST_D] = ROLE_Y;
	w = build(&sp, -1, NULL);
	assert_true(engine_entry_stale(w, DIS001, ST_C));
	assert_true(engine_entry_stale(w, NOR001, ST_C));
	assert_false(engine_entry_stale(w, NOR001, ST_D));
	/* each entry on its own: Role Y is in xy0001's profile */
	assert_false(engine_entry_stale(w, XY0001, ST_D));
	assert_false(engine_entry_stale(w, XY0001, ST_B));
	engine_world_free(w);
	/* the profile changes under the entry: stale, then not again */
	sp.u[XY0001].n_roles = 1; /* Role X only */
	w = build(&sp, -1, NULL);
	assert_true(engine_entry_stale(w, XY0001, ST_D));
	assert_false(engine_entry_stale(w, XY0001, ST_B));
	assert_int_equal(engine_study_actions(w, XY0001, ST_D, NULL), 0);
	engine_world_free(w);
}

/* ---- engine_study_opened_by_emptying ------------------------------------ */

static void check_opened(const struct spec *sp, int study, int want)
{
	struct engine_world *w = build(sp, -1, NULL);
	int got = engine_study_opened_by_emptying(w, study, all, sp->n_users);
	int brute = opened_brute(sp, study, all, sp->n_users);
	if (got != brute || (want >= 0 && got != want))
		print_message("# study %d: engine %d, brute force %d, by hand "
		              "%d\n",
		              study, got, brute, want);
	assert_int_equal(got, brute);
	if (want >= 0)
		assert_int_equal(got, want);
	engine_world_free(w);
}

/* The seed world: the counts test_studies.c finds in PostgreSQL. */
static void test_opened_seed(void **state)
{
	(void)state;
	struct spec sp;
	seed(&sp);
	/* coo001, new001, sit001, pri001, xy0001, sta001, two001, rca001 */
	check_opened(&sp, ST_A, 8);
	/* new001, sit001, imp001, sta001, two001, rca001, bth001 */
	check_opened(&sp, ST_B, 7);
	/* no list: nothing to open */
	check_opened(&sp, ST_C, 0);
	check_opened(&sp, ST_D, 0);
	check_opened(&sp, ST_E, 0);
	sp.settings.require_site_restrictions = true;
	check_opened(&sp, ST_A, 3); /* sit001, two001, rca001 */
	check_opened(&sp, ST_B, 4); /* and bth001 */
	sp.settings.require_site_restrictions = false;
	sp.settings.require_study_restrictions = true;
	check_opened(&sp, ST_A, 1); /* pri001 */
	check_opened(&sp, ST_B, 1); /* bth001 */
	sp.settings.require_site_restrictions = true;
	check_opened(&sp, ST_A, 0); /* sit001 and two001: no study */
	check_opened(&sp, ST_B, 1); /* bth001 */
}

/* Only the users given are counted, each once per mention. */
static void test_opened_subset(void **state)
{
	(void)state;
	struct spec sp;
	seed(&sp);
	struct engine_world *w = build(&sp, -1, NULL);
	const int some[] = {COO001, NEW001, REC001, SUM001, DSB002};
	/* coo001 and new001; rec001 (SITE-B), sum001 (in already), dsb002
	 * (disabled) not */
	assert_int_equal(engine_study_opened_by_emptying(w, ST_A, some, 5), 2);
	assert_int_equal(opened_brute(&sp, ST_A, some, 5), 2);
	assert_int_equal(engine_study_opened_by_emptying(w, ST_A, some, 0), 0);
	const int one[] = {STA001};
	assert_int_equal(engine_study_opened_by_emptying(w, ST_B, one, 1), 1);
	const int none_opened[] = {XY0001, COO001, RCZ001,
	                           DIS001, NOR001, ADM001};
	assert_int_equal(
	    engine_study_opened_by_emptying(w, ST_B, none_opened, 6), 0);
	/* the world itself is not changed */
	assert_int_equal(engine_study(w, ST_A)->n_entries, 3);
	assert_int_equal(engine_study_actions(w, NEW001, ST_A, NULL), 0);
	engine_world_free(w);
}

/* Corner cases of the rule, each against the brute force. */
static void test_opened_corners(void **state)
{
	(void)state;
	struct spec sp;
	spec_init(&sp);
	sp.n_orgs = 4;
	sp.parent[0] = -1;
	sp.parent[1] = sp.parent[2] = 0;
	sp.parent[3] = 1;
	sp.is_site[1] = sp.is_site[2] = sp.is_site[3] = true;
	sp.n_custom = 1;
	sp.custom[0] = A(VOLUNTEER_VIEW); /* recruitment only */
	sp.n_studies = 2;
	sp.study_site[0] = 1;
	sp.study_site[1] = 3; /* a site below a site: matched exactly */
	sp.n_users = 10;
	struct uspec *u = sp.u;
	/* 0: Study User Management, listed with a role: in now, in after */
	roles_of(&u[0], 2, ROLE_STUDY_ADMINISTRATOR, ROLE_INVESTIGATOR);
	u[0].entry[0] = ROLE_INVESTIGATOR;
	/* 1: Study User Management listed with a stale role: out now (the
	 * listing takes priority), in after */
	roles_of(&u[1], 1, ROLE_STUDY_ADMINISTRATOR);
	u[1].entry[0] = ROLE_RECRUITER;
	/* 2: listed, recruitment only at the site with no recruitment
	 * action: out now, out after */
	roles_of(&u[2], 1, ROLE_DATA_MANAGER);
	site_of(&u[2], 1, true);
	u[2].entry[0] = -1;
	/* 3: not listed, restricted to the parent site 1: not to study 1's
	 * site 3 */
	roles_of(&u[3], 1, ROLE_INVESTIGATOR);
	site_of(&u[3], 1, false);
	/* 4: recruitment only with a recruitment role: in after */
	roles_of(&u[4], 1, ROLE_BUILTIN_COUNT);
	site_of(&u[4], 3, true);
	/* 5: no profile role, listed: out now and after */
	u[5].entry[0] = -1;
	u[5].entry[1] = -1;
	/* 6: disabled, unrestricted: out */
	u[6].enabled = false;
	roles_of(&u[6], 1, ROLE_INVESTIGATOR);
	/* 7: listed with a stale role, restricted elsewhere: out, out */
	roles_of(&u[7], 1, ROLE_INVESTIGATOR);
	u[7].entry[1] = ROLE_RECRUITER;
	u[7].studies[u[7].n_studies++] = 0;
	/* 8: listed with a stale role, restricted to it: out now, in */
	roles_of(&u[8], 1, ROLE_INVESTIGATOR);
	u[8].entry[1] = ROLE_RECRUITER;
	u[8].studies[u[8].n_studies++] = 1;
	/* 9: unrestricted, not listed */
	roles_of(&u[9], 1, ROLE_INVESTIGATOR);
	check_opened(&sp, 0, 4); /* 1, 3, 7 (restricted to it), 9 */
	check_opened(&sp, 1, 3); /* 4, 8, 9 */
	sp.settings.require_site_restrictions = true;
	check_opened(&sp, 0, 2); /* 1 (Study User Management), 3 */
	check_opened(&sp, 1, 1); /* 4 */
	sp.settings.require_study_restrictions = true;
	check_opened(&sp, 1, 0); /* 4 has no restricted study */
	sp.settings.require_site_restrictions = false;
	check_opened(&sp, 1, 1); /* 8 */
}

/* A world that holds only some users (the store's): the list's count is
 * the database's, so the list is in force though no entry is loaded, and
 * emptying it opens the study to those the profile restrictions let in. */
static void test_opened_entry_count(void **state)
{
	(void)state;
	struct spec sp;
	seed(&sp);
	struct engine_world *w = build(&sp, ST_C, NULL);
	assert_int_equal(
	    engine_study_opened_by_emptying(w, ST_C, all, sp.n_users), 0);
	engine_study_set_entry_count(w, ST_C, 2);
	assert_int_equal(engine_study_actions(w, NEW001, ST_C, NULL), 0);
	/* those the profile lets into STUDY-C (SITE-B), sum001 already in:
	 * coo001, new001, rec001 (recruitment), stu001, pri002, xy0001,
	 * imp001, sta001, two001 */
	assert_int_equal(
	    engine_study_opened_by_emptying(w, ST_C, all, sp.n_users), 9);
	engine_world_free(w);
}

/* ---- engine_settings_shut_out ------------------------------------------- */

static void check_shut_out(const struct spec *sp, struct engine_settings to,
                           int want)
{
	struct engine_world *w = build(sp, -1, NULL);
	int got = engine_settings_shut_out(w, &to, all, sp->n_users);
	int brute = shut_out_brute(sp, &to, all, sp->n_users);
	if (got != brute || (want >= 0 && got != want))
		print_message("# to %d/%d: engine %d, brute force %d, by hand "
		              "%d\n",
		              to.require_site_restrictions,
		              to.require_study_restrictions, got, brute, want);
	assert_int_equal(got, brute);
	if (want >= 0)
		assert_int_equal(got, want);
	/* the world's settings are not changed */
	assert_int_equal(engine_settings_get(w)->require_site_restrictions,
	                 sp->settings.require_site_restrictions);
	assert_int_equal(engine_settings_get(w)->require_study_restrictions,
	                 sp->settings.require_study_restrictions);
	engine_world_free(w);
}

static void test_shut_out_seed(void **state)
{
	(void)state;
	const struct engine_settings off = {false, false}, site = {true, false},
	                             study = {false, true}, both = {true, true};
	struct spec sp;
	seed(&sp);
	check_shut_out(&sp, off, 0);
	/* coo001, new001, stu001, pri002, xy0001, imp001, sta001: no site
	 * restriction, in a study without a list by their profile; not
	 * sum001 (Study User Management), pri001 (in no study) */
	check_shut_out(&sp, site, 7);
	/* coo001, new001, sit001, rec001, xy0001, imp001, sta001, two001,
	 * rca001: no restricted study; not rcz001 (in no study) */
	check_shut_out(&sp, study, 9);
	check_shut_out(&sp, both, 11);
	sp.settings = site;
	check_shut_out(&sp, site, 0);
	check_shut_out(&sp, off, 0);  /* turned off: only lets in */
	check_shut_out(&sp, both, 4); /* sit001, rec001, two001, rca001 */
	check_shut_out(&sp, study, 4);
	sp.settings = both;
	check_shut_out(&sp, both, 0);
	check_shut_out(&sp, off, 0);
	check_shut_out(&sp, study, 0);
	check_shut_out(&sp, site, 0);
}

/* Listed users and Study User Management holders are not subject to the
 * switches; a disabled user has nothing to lose. */
static void test_shut_out_corners(void **state)
{
	(void)state;
	struct spec sp;
	spec_init(&sp);
	sp.n_orgs = 2;
	sp.parent[0] = -1;
	sp.parent[1] = 0;
	sp.is_site[1] = true;
	sp.n_studies = 2;
	sp.study_site[0] = sp.study_site[1] = 1;
	sp.n_users = 5;
	struct uspec *u = sp.u;
	roles_of(&u[0], 1, ROLE_STUDY_ADMINISTRATOR); /* kept */
	roles_of(&u[1], 1, ROLE_INVESTIGATOR);
	u[1].entry[0] = -1; /* listed on 0 (kept); 1 by profile: lost */
	roles_of(&u[2], 1, ROLE_INVESTIGATOR);
	u[2].entry[0] = -1;
	u[2].entry[1] = -1; /* listed on both: kept */
	u[3].enabled = false;
	roles_of(&u[3], 1, ROLE_INVESTIGATOR);
	roles_of(&u[4], 1, ROLE_INVESTIGATOR); /* lists on both: no access */
	check_shut_out(&sp, (struct engine_settings){true, true}, 0);
	/* study 1 without a list: users 1, 2 and 4 in it by profile */
	sp.u[2].entry[1] = NO_ENTRY;
	check_shut_out(&sp, (struct engine_settings){true, false}, 3);
	check_shut_out(&sp, (struct engine_settings){false, true}, 3);
	/* users given: only they */
	struct engine_world *w = build(&sp, -1, NULL);
	const struct engine_settings both = {true, true};
	const int some[] = {0, 1, 3};
	assert_int_equal(engine_settings_shut_out(w, &both, some, 3), 1);
	assert_int_equal(shut_out_brute(&sp, &both, some, 3), 1);
	assert_int_equal(engine_settings_shut_out(w, &both, some, 0), 0);
	engine_world_free(w);
}

/* ---- random worlds ------------------------------------------------------ */

static void random_spec(struct rng *r, struct spec *sp)
{
	spec_init(sp);
	sp->n_orgs = rng_range(r, 2, MAX_ORGS);
	int n_sites = 0;
	sp->parent[0] = -1; /* a root that is not a site */
	for (int i = 1; i < sp->n_orgs; i++) {
		/* another root now and then */
		int parent = rng_below(r, i);
		sp->parent[i] = rng_pct(r, 10) ? -1 : parent;
		sp->is_site[i] = rng_pct(r, 60);
		n_sites += sp->is_site[i];
	}
	if (n_sites == 0) { /* one site at least (n_orgs >= 2) */
		sp->is_site[1] = true;
		n_sites = 1;
	}
	int site_ids[MAX_ORGS], k = 0;
	for (int i = 0; i < sp->n_orgs; i++)
		if (sp->is_site[i])
			site_ids[k++] = i;
	sp->n_custom = rng_range(r, 0, MAX_CUSTOM);
	for (int i = 0; i < sp->n_custom; i++) {
		engine_actions a = 0;
		while (!a)
			a = (engine_actions)rng_next(r) & ENGINE_STUDY_ACTIONS;
		/* recruitment only, sometimes */
		if (rng_pct(r, 30))
			a = (a & ENGINE_RECRUITMENT_ACTIONS)
			        ? a & ENGINE_RECRUITMENT_ACTIONS
			        : A(VOLUNTEER_RECRUIT);
		sp->custom[i] = a;
	}
	int roles[ROLE_BUILTIN_COUNT + MAX_CUSTOM], n_roles = 0;
	for (int i = ROLE_STUDY_ADMINISTRATOR; i < ROLE_BUILTIN_COUNT; i++)
		roles[n_roles++] = i;
	for (int i = 0; i < sp->n_custom; i++)
		roles[n_roles++] = ROLE_BUILTIN_COUNT + i;
	sp->n_studies = rng_range(r, 1, MAX_STUDIES);
	for (int i = 0; i < sp->n_studies; i++)
		sp->study_site[i] = site_ids[rng_below(r, n_sites)];
	sp->n_users = rng_range(r, 0, MAX_USERS);
	for (int i = 0; i < sp->n_users; i++) {
		struct uspec *u = &sp->u[i];
		u->enabled = rng_pct(r, 85);
		int want = rng_range(r, 0, 3);
		for (int j = 0; j < want; j++) {
			int role = roles[rng_below(r, n_roles)];
			if (role == ROLE_STUDY_ADMINISTRATOR && rng_pct(r, 70))
				continue;
			if (!in_profile(u, role))
				u->roles[u->n_roles++] = role;
		}
		if (rng_pct(r, 40))
			for (int j = 0; j < n_sites; j++)
				if (rng_pct(r, 45))
					site_of(u, site_ids[j], rng_pct(r, 25));
		if (rng_pct(r, 35))
			for (int s = 0; s < sp->n_studies; s++)
				if (rng_pct(r, 40))
					u->studies[u->n_studies++] = s;
		for (int s = 0; s < sp->n_studies; s++) {
			if (!rng_pct(r, 20))
				continue;
			/* no role, a role of the profile, or any (maybe
			 * stale) */
			int pick = rng_below(r, 3);
			if (pick == 0 || (pick == 1 && u->n_roles == 0))
				u->entry[s] = -1;
			else if (pick == 1)
				u->entry[s] =
				    u->roles[rng_below(r, u->n_roles)];
			else
				u->entry[s] = roles[rng_below(r, n_roles)];
		}
	}
	sp->settings.require_site_restrictions = rng_pct(r, 30);
	sp->settings.require_study_restrictions = rng_pct(r, 30);
}

#define RANDOM_WORLDS 300

static void test_random_worlds(void **state)
{
	(void)state;
	struct rng r = {0x5757ADu};
	long opened_total = 0, shut_total = 0, stale_total = 0, lists = 0;
	for (int n = 0; n < RANDOM_WORLDS; n++) {
		uint64_t at = r.s;
		struct spec sp;
		random_spec(&r, &sp);
		struct engine_world *w = build(&sp, -1, NULL);
		/* stale: listed with a role that is not in the profile */
		for (int v = 0; v < sp.n_users; v++)
			for (int s = 0; s < sp.n_studies; s++) {
				int e = sp.u[v].entry[s];
				bool want = e >= 0 && !in_profile(&sp.u[v], e);
				bool got = engine_entry_stale(w, v, s);
				if (got != want)
					print_message("# world %d (rng %llu): "
					              "user %d study %d\n",
					              n, (unsigned long long)at,
					              v, s);
				assert_int_equal(got, want);
				stale_total += got;
				/* a stale entry denies */
				if (got)
					assert_int_equal(
					    engine_study_actions(w, v, s, NULL),
					    0);
			}
		/* emptying each study's list, for every user and for some */
		for (int s = 0; s < sp.n_studies; s++) {
			lists += engine_study(w, s)->n_entries > 0;
			int got = engine_study_opened_by_emptying(w, s, all,
			                                          sp.n_users);
			int brute = opened_brute(&sp, s, all, sp.n_users);
			if (got != brute)
				print_message("# world %d (rng %llu): study %d "
				              "opened %d, brute force %d\n",
				              n, (unsigned long long)at, s, got,
				              brute);
			assert_int_equal(got, brute);
			opened_total += got;
			int some[MAX_USERS], k = 0;
			for (int v = 0; v < sp.n_users; v++)
				if (rng_pct(&r, 50))
					some[k++] = v;
			assert_int_equal(
			    engine_study_opened_by_emptying(w, s, some, k),
			    opened_brute(&sp, s, some, k));
		}
		/* each of the four settings */
		for (int k = 0; k < 4; k++) {
			const struct engine_settings to = {(k & 1) != 0,
			                                   (k & 2) != 0};
			int got =
			    engine_settings_shut_out(w, &to, all, sp.n_users);
			int brute = shut_out_brute(&sp, &to, all, sp.n_users);
			if (got != brute)
				print_message("# world %d (rng %llu): settings "
				              "%d shut out %d, brute force "
				              "%d\n",
				              n, (unsigned long long)at, k, got,
				              brute);
			assert_int_equal(got, brute);
			/* a switch turned off shuts nobody out */
			if ((!to.require_site_restrictions ||
			     sp.settings.require_site_restrictions) &&
			    (!to.require_study_restrictions ||
			     sp.settings.require_study_restrictions))
				assert_int_equal(got, 0);
			shut_total += got;
		}
		engine_world_free(w);
	}
	/* the worlds did try the rules */
	print_message("# %d random worlds: %ld lists, %ld opened, %ld shut "
	              "out, %ld stale entries\n",
	              RANDOM_WORLDS, lists, opened_total, shut_total,
	              stale_total);
	assert_true(lists > RANDOM_WORLDS);
	assert_true(opened_total > RANDOM_WORLDS);
	assert_true(shut_total > RANDOM_WORLDS / 2);
	assert_true(stale_total > RANDOM_WORLDS / 2);
}

/* engine_study_actions_if against worlds built with that entry: for
 * each user and study of random worlds, the user's entry made each of
 * "not listed", "no role" and each role (the list's count as the built
 * world has it), and the list emptied; engine_may_configure_study_if
 * agrees with engine_may_configure_study on the built world. */
static void test_actions_if(void **state)
{
	(void)state;
	struct rng r = {0xA51F5u};
	long allowed = 0, asked = 0;
	for (int n = 0; n < 60; n++) {
		struct spec sp;
		random_spec(&r, &sp);
		struct engine_world *w = build(&sp, -1, NULL);
		int n_roles = engine_n_roles(w);
		for (int v = 0; v < sp.n_users; v++)
			for (int s = 0; s < sp.n_studies; s++) {
				/* the list emptied */
				struct engine_world *e = build(&sp, s, NULL);
				assert_int_equal(
				    engine_study_actions_if(w, v, s, 0, NULL),
				    engine_study_actions(e, v, s, NULL));
				engine_world_free(e);
				for (int k = -2; k < n_roles; k++) {
					if (k >= 0 &&
					    engine_role(w, k)->domain !=
					        DOMAIN_STUDY)
						continue;
					struct spec alt = sp;
					alt.u[v].entry[s] = k; /* -2: none */
					struct engine_world *b =
					    build(&alt, -1, NULL);
					const struct engine_entry en = {s, k};
					engine_actions got =
					    engine_study_actions_if(
					        w, v, s,
					        engine_study(b, s)->n_entries,
					        k == NO_ENTRY ? NULL : &en);
					engine_actions want =
					    engine_study_actions(b, v, s, NULL);
					assert_int_equal(got, want);
					assert_int_equal(
					    engine_may_configure_study_if(
					        w, v, s,
					        engine_study(b, s)->n_entries,
					        k == NO_ENTRY ? NULL : &en),
					    engine_may_configure_study(b, v, s,
					                               NULL));
					allowed += want != 0;
					asked++;
					engine_world_free(b);
				}
			}
		engine_world_free(w);
	}
	print_message("# %ld questions, %ld allowed\n", asked, allowed);
	assert_true(allowed > 100 && allowed < asked);
}

int main(void)
{
	(void)add_grant; /* builders.h's, unused here */
	(void)add_cluster;
	all_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_entry_stale),
	    cmocka_unit_test(test_opened_seed),
	    cmocka_unit_test(test_opened_subset),
	    cmocka_unit_test(test_opened_corners),
	    cmocka_unit_test(test_opened_entry_count),
	    cmocka_unit_test(test_shut_out_seed),
	    cmocka_unit_test(test_shut_out_corners),
	    cmocka_unit_test(test_random_worlds),
	    cmocka_unit_test(test_actions_if),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
