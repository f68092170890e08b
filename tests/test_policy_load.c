/* test_policy_load.c: unit tests of the policy file loader (policy.c).
 *
 * Good files are checked entity by entity against what they describe; bad
 * files (tests/policy/bad, each headed `# expect-error: LINE: FRAGMENT`)
 * must fail with exactly "FILE:LINE: " and the fragment. Small files are
 * written inline into a temporary directory, so each test shows its input.
 * POLICY_DIR (set by meson) points at tests/policy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessdesk/policy.h"

static char tmpdir[] = "/tmp/test_policy_load.XXXXXX";
static char path_buf[4096];

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;

	(void)state;
	while (d && (e = readdir(d))) {
		char p[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
	return 0;
}

/* Writes text to tmpdir/name and returns the path (valid until the next
 * call). */
static const char *write_file(const char *name, const char *text)
{
	FILE *f;

	snprintf(path_buf, sizeof(path_buf), "%s/%s", tmpdir, name);
	f = fopen(path_buf, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path_buf;
}

/* Loads text, expecting success. */
static void load_ok(const char *name, const char *text, struct policy *p)
{
	char err[POLICY_ERR_MAX];
	const char *file = write_file(name, text);

	if (!policy_load(file, p, err, sizeof(err)))
		fail_msg("%s did not load: %s", name, err);
}

/* Loads text, expecting "FILE:LINE: " then fragment somewhere after. */
static void load_bad(const char *name, const char *text, int line,
                     const char *fragment)
{
	char err[POLICY_ERR_MAX], prefix[4200];
	struct policy p;
	const char *file = write_file(name, text);

	if (policy_load(file, &p, err, sizeof(err))) {
		policy_free(&p);
		fail_msg("%s loaded, expected an error at line %d", name, line);
	}
	snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    !strstr(err + strlen(prefix), fragment))
		fail_msg("%s: got \"%s\", expected \"%s...%s\"", name, err,
		         prefix, fragment);
	/* Nothing is half-loaded: the policy holds nothing to free. */
	assert_null(p.world);
	assert_null(p.assertions);
	assert_null(p.file);
}

static bool decide(const struct policy *p, const struct policy_assertion *a)
{
	bool allow = false;
	enum engine_err e;

	if (a->org >= 0)
		e = engine_check_org(p->world, a->user, a->action, a->org,
		                     a->payment, NULL, &allow);
	else
		e = engine_check_study(p->world, a->user, a->action, a->study,
		                       NULL, &allow);
	assert_int_equal(e, ENGINE_OK);
	return allow;
}

/* ---- the worked example of policy-file.md ----------------------------- */

static const char spec_example[] =
    "# the example of policy-file.md\n"
    "organisations = (\n"
    "  { code = \"nhs\";    name = \"NHS England\"; },\n"
    "  { code = \"lat04\";  name = \"LatOrg04\"; parent = \"nhs\"; },\n"
    "  { code = \"cgc04\";  name = \"CommOrg04\"; parent = \"lat04\"; },\n"
    "  { code = \"A01AAA\"; name = \"SvcProviderA01\"; parent = \"cgc04\"; "
    "site = true; }\n"
    ");\n"
    "roles = (\n"
    "  { name = \"Night Recruiter\"; domain = \"study\"; actions = [ "
    "\"volunteer.view\", \"volunteer.recruit\" ]; },\n"
    "  { name = \"Practice Manager\"; domain = \"organisation\"; reach = "
    "\"organisation\"; actions = [ \"org.view\", \"users.view\" ]; }\n"
    ");\n"
    "clusters = (\n"
    "  { short_name = \"C61A6DB801\"; name = \"Eastern City Practices\"; "
    "owner = \"lat04\";\n"
    "    members = [ \"A01AAA\" ]; }\n"
    ");\n"
    "studies = (\n"
    "  { code = \"S-001\"; name = \"First in human\"; site = \"A01AAA\"; }\n"
    ");\n"
    "settings = { require_site_restrictions = false; "
    "require_study_restrictions = true; };\n"
    "users = (\n"
    "  { login = \"kal738\"; title = \"Mr\"; first_name = \"Kenneth\"; "
    "last_name = \"Alloway\";\n"
    "    email = \"Kenneth.Alloway@nhs.uk\"; work_phone = \"0315841236\"; "
    "enabled = true;\n"
    "    access = (\n"
    "      { org = \"lat04\"; roles = [ \"Advanced User Administrator\", "
    "\"View\" ];\n"
    "        payment_types = [ \"QOF\", \"DES\" ]; clusters = [ "
    "\"C61A6DB801\" ]; }\n"
    "    );\n"
    "    roles = [ \"Investigator\" ];\n"
    "    sites = ( { site = \"A01AAA\"; recruitment_only = false; } );\n"
    "    studies = [ \"S-001\" ];\n"
    "  }\n"
    ");\n"
    "study_access = (\n"
    "  { study = \"S-001\"; user = \"kal738\"; role = \"Investigator\"; }\n"
    ");\n"
    "assertions = (\n"
    "  { user = \"kal738\"; action = \"users.manage\"; org = \"A01AAA\"; "
    "expect = \"allow\"; },\n"
    "  { user = \"kal738\"; action = \"users.manage\"; org = \"lat04\"; "
    "expect = \"deny\"; },\n"
    "  { user = \"kal738\"; action = \"achievement.view\"; org = "
    "\"A01AAA\"; payment_type = \"QOF\"; expect = \"allow\"; },\n"
    "  { user = \"kal738\"; action = \"achievement.view\"; org = "
    "\"A01AAA\"; payment_type = \"GPES\"; expect = \"deny\"; },\n"
    "  { user = \"kal738\"; action = \"study.view\"; study = \"S-001\"; "
    "expect = \"allow\"; }\n"
    ");\n";

static void test_spec_example_world(void **state)
{
	struct policy p;
	const struct engine_world *w;
	const struct engine_role *r;
	const struct engine_cluster *c;
	const struct engine_user *u;
	const struct engine_grant *g;
	int nhs, lat04, cgc04, a01, role, user, i;

	(void)state;
	load_ok("spec.conf", spec_example, &p);
	w = p.world;
	assert_true(p.owns_world);
	assert_true(engine_world_indexed(w));

	assert_int_equal(engine_n_orgs(w), 4);
	nhs = engine_org_find(w, "nhs");
	lat04 = engine_org_find(w, "lat04");
	cgc04 = engine_org_find(w, "cgc04");
	a01 = engine_org_find(w, "A01AAA");
	assert_int_equal(engine_org(w, nhs)->parent, -1);
	assert_int_equal(engine_org(w, lat04)->parent, nhs);
	assert_int_equal(engine_org(w, cgc04)->parent, lat04);
	assert_int_equal(engine_org(w, a01)->parent, cgc04);
	assert_false(engine_org(w, lat04)->is_site);
	assert_true(engine_org(w, a01)->is_site);
	assert_string_equal(engine_org(w, a01)->name, "SvcProviderA01");
	assert_true(engine_in_subtree(w, a01, nhs));

	assert_int_equal(engine_n_roles(w), ROLE_BUILTIN_COUNT + 2);
	role = engine_role_find(w, "Night Recruiter");
	r = engine_role(w, role);
	assert_int_equal(r->domain, DOMAIN_STUDY);
	assert_int_equal(r->actions, ENGINE_ACT(ACT_VOLUNTEER_VIEW) |
	                                 ENGINE_ACT(ACT_VOLUNTEER_RECRUIT));
	assert_false(r->builtin);
	r = engine_role(w, engine_role_find(w, "Practice Manager"));
	assert_int_equal(r->domain, DOMAIN_ORGANISATION);
	assert_int_equal(r->reach, REACH_ORGANISATION);

	assert_int_equal(engine_n_clusters(w), 1);
	c = engine_cluster(w, engine_cluster_find(w, "C61A6DB801"));
	assert_string_equal(c->name, "Eastern City Practices");
	assert_int_equal(c->owner, lat04);
	assert_int_equal(c->n_members, 1);
	assert_int_equal(c->members[0], a01);

	assert_int_equal(engine_n_studies(w), 1);
	assert_int_equal(engine_study(w, 0)->site, a01);
	assert_int_equal(engine_study(w, 0)->n_entries, 1);

	assert_false(engine_settings_get(w)->require_site_restrictions);
	assert_true(engine_settings_get(w)->require_study_restrictions);

	user = engine_user_find(w, "kal738");
	u = engine_user(w, user);
	assert_true(u->enabled);
	assert_string_equal(u->first_name, "Kenneth");
	assert_string_equal(u->last_name, "Alloway");
	assert_int_equal(u->n_grants, 1);
	g = engine_grant(w, u->grants[0]);
	assert_int_equal(g->org, lat04);
	assert_int_equal(g->n_roles, 2);
	assert_int_equal(g->roles[0], ROLE_ADVANCED_USER_ADMINISTRATOR);
	assert_int_equal(g->roles[1], ROLE_VIEW);
	assert_int_equal(g->payments,
	                 ENGINE_PAY(PAY_QOF) | ENGINE_PAY(PAY_DES));
	assert_int_equal(g->n_clusters, 1);
	assert_int_equal(u->n_profile_roles, 1);
	assert_int_equal(u->profile_roles[0], ROLE_INVESTIGATOR);
	assert_int_equal(u->n_sites, 1);
	assert_int_equal(u->sites[0].site, a01);
	assert_false(u->sites[0].recruitment_only);
	assert_int_equal(u->n_studies, 1);
	assert_int_equal(u->n_entries, 1);
	assert_int_equal(u->entries[0].role, ROLE_INVESTIGATOR);

	assert_int_equal(p.n_assertions, 5);
	assert_int_equal(p.assertions[0].line, 36);
	assert_int_equal(p.assertions[0].user, user);
	assert_int_equal(p.assertions[0].action, ACT_USERS_MANAGE);
	assert_int_equal(p.assertions[0].org, a01);
	assert_int_equal(p.assertions[0].study, -1);
	assert_int_equal(p.assertions[0].payment, -1);
	assert_true(p.assertions[0].expect_allow);
	assert_false(p.assertions[1].expect_allow);
	assert_int_equal(p.assertions[2].payment, PAY_QOF);
	assert_int_equal(p.assertions[4].org, -1);
	assert_int_equal(p.assertions[4].study, 0);
	for (i = 0; i < p.n_assertions; i++)
		assert_int_equal(decide(&p, &p.assertions[i]),
		                 p.assertions[i].expect_allow);
	policy_free(&p);
	policy_free(&p); /* twice is harmless */
}

/* ---- forward references, defaults, tolerated forms -------------------- */

/* Every section refers to what comes further down, and every parent to a
 * later organisation. */
static void test_forward_references(void **state)
{
	struct policy p;
	const struct engine_world *w;
	static const char text[] =
	    "assertions = ( { user = \"zed\"; action = \"org.view\"; "
	    "org = \"leaf\"; expect = \"allow\"; } );\n"
	    "study_access = ( { study = \"S1\"; user = \"zed\"; } );\n"
	    "users = ( { login = \"zed\"; first_name = \"Z\"; last_name = "
	    "\"Ed\"; email = \"z@x.org\"; work_phone = \"1\";\n"
	    "  access = ( { org = \"mid\"; roles = [ \"Local\" ]; clusters = "
	    "[ \"0123456789\" ]; } );\n"
	    "  roles = [ \"Investigator\" ]; studies = [ \"S1\" ];\n"
	    "  sites = ( { site = \"leaf\"; recruitment_only = true; } ); } "
	    ");\n"
	    "studies = ( { code = \"S1\"; name = \"One\"; site = \"leaf\"; } "
	    ");\n"
	    "clusters = ( { short_name = \"0123456789\"; name = \"C\"; owner "
	    "= \"mid\"; members = [ \"leaf\" ]; } );\n"
	    "roles = ( { name = \"Local\"; domain = \"organisation\"; "
	    "actions = [ \"org.view\" ]; } );\n"
	    "organisations = (\n"
	    "  { code = \"leaf\"; name = \"Leaf\"; parent = \"MID\"; site = "
	    "true; },\n"
	    "  { code = \"mid\"; name = \"Mid\"; parent = \"Root\"; },\n"
	    "  { code = \"root\"; name = \"Root\"; }\n"
	    ");\n";

	(void)state;
	load_ok("forward.conf", text, &p);
	w = p.world;
	assert_int_equal(engine_org(w, engine_org_find(w, "leaf"))->parent,
	                 engine_org_find(w, "mid"));
	assert_int_equal(engine_org(w, engine_org_find(w, "mid"))->parent,
	                 engine_org_find(w, "root"));
	assert_true(engine_user(w, 0)->sites[0].recruitment_only);
	assert_int_equal(p.n_assertions, 1);
	assert_true(decide(&p, &p.assertions[0]));
	policy_free(&p);
}

static void test_defaults_and_empty(void **state)
{
	struct policy p;
	const struct engine_world *w;

	(void)state;
	load_ok("empty.conf", "# nothing at all\n", &p);
	assert_int_equal(engine_n_orgs(p.world), 0);
	assert_int_equal(engine_n_roles(p.world), ROLE_BUILTIN_COUNT);
	assert_int_equal(p.n_assertions, 0);
	assert_null(p.assertions);
	policy_free(&p);

	/* Empty lists in both notations; absent optional keys. */
	load_ok("defaults.conf",
	        "organisations = ( { code = \"o\"; name = \"O\"; } );\n"
	        "roles = [ ];\n"
	        "clusters = ( );\n"
	        "settings = { };\n"
	        "users = ( { login = \"u1\"; first_name = \"U\"; last_name = "
	        "\"One\"; email = \"u@o.org\"; work_phone = \"+44 (0)20 "
	        "7946-0000\"; mobile_phone = \"\"; access = ( ); roles = [ ]; "
	        "sites = ( ); studies = ( ); } );\n",
	        &p);
	w = p.world;
	assert_false(engine_org(w, 0)->is_site);
	assert_true(engine_user(w, 0)->enabled);
	assert_int_equal(engine_user(w, 0)->n_grants, 0);
	assert_false(engine_settings_get(w)->require_site_restrictions);
	assert_false(engine_settings_get(w)->require_study_restrictions);
	policy_free(&p);

	/* A role's reach defaults to subtree; a disabled user stays so. */
	load_ok(
	    "reach.conf",
	    "roles = ( { name = \"R\"; domain = \"organisation\"; actions = "
	    "( \"org.view\" ); } );\n"
	    "users = ( { login = \"u\"; first_name = \"U\"; last_name = "
	    "\"V\"; email = \"u@o.org\"; work_phone = \"1\"; enabled = "
	    "false; } );\n",
	    &p);
	assert_int_equal(engine_role(p.world, ROLE_BUILTIN_COUNT)->reach,
	                 REACH_SUBTREE);
	assert_false(engine_user(p.world, 0)->enabled);
	policy_free(&p);
}

/* access-model.md 4: an entry whose role left the profile is accepted,
 * and denies. */
static void test_entry_role_outside_profile(void **state)
{
	struct policy p;

	(void)state;
	load_ok(
	    "entry.conf",
	    "organisations = ( { code = \"s\"; name = \"S\"; site = true; "
	    "} );\n"
	    "studies = ( { code = \"S1\"; name = \"One\"; site = \"s\"; } "
	    ");\n"
	    "users = ( { login = \"u\"; first_name = \"U\"; last_name = "
	    "\"V\"; email = \"u@o.org\"; work_phone = \"1\"; roles = [ "
	    "\"Investigator\" ]; } );\n"
	    "study_access = ( { study = \"S1\"; user = \"u\"; role = "
	    "\"Recruiter\"; } );\n"
	    "assertions = ( { user = \"u\"; action = \"study.view\"; study = "
	    "\"S1\"; expect = \"deny\"; } );\n",
	    &p);
	assert_int_equal(engine_user(p.world, 0)->entries[0].role,
	                 ROLE_RECRUITER);
	assert_false(decide(&p, &p.assertions[0]));
	policy_free(&p);
}

/* Names count characters, not bytes; valid UTF-8 passes. */
static void test_names_utf8(void **state)
{
	char text[2048], name[512];
	struct policy p;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2); /* 200 x e-acute */
	name[400] = '\0';
	snprintf(text, sizeof(text),
	         "organisations = ( { code = \"o\"; name = \"%s\"; } );\n",
	         name);
	load_ok("utf8.conf", text, &p);
	assert_string_equal(engine_org(p.world, 0)->name, name);
	policy_free(&p);

	load_bad(
	    "utf8-bad.conf",
	    "organisations = ( { code = \"o\";\n  name = \"caf\xc3\"; } );\n",
	    2, "name \"caf\\xc3\" is not valid UTF-8");
	load_bad(
	    "c1.conf",
	    "organisations = ( { code = \"o\";\n  name = \"a\xc2\x9b\"; } );\n",
	    2, "name \"a\\u009b\" contains a control character");
}

/* ---- errors ----------------------------------------------------------- */

/* Every file of tests/policy/bad fails as its first line says. */
static void test_bad_files(void **state)
{
	const char *root = getenv("POLICY_DIR");
	char dir[4096], file[4600], header[512], err[POLICY_ERR_MAX];
	char prefix[4700];
	struct dirent *e;
	int n = 0, failed = 0;
	DIR *d;

	(void)state;
	if (!root)
		root = "tests/policy";
	snprintf(dir, sizeof(dir), "%s/bad", root);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct policy p;
		int line;
		char *frag;
		FILE *f;

		if (len < 6 || strcmp(e->d_name + len - 5, ".conf") != 0)
			continue;
		n++;
		snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
		f = fopen(file, "r");
		assert_non_null(f);
		if (!fgets(header, sizeof(header), f))
			header[0] = '\0';
		fclose(f);
		header[strcspn(header, "\n")] = '\0';
		if (sscanf(header, "# expect-error: %d:", &line) != 1 ||
		    !(frag = strchr(header + 16, ':'))) {
			print_message("%s: no expect-error header\n", file);
			failed++;
			continue;
		}
		frag += 2;
		if (policy_load(file, &p, err, sizeof(err))) {
			policy_free(&p);
			print_message("%s: loaded\n", file);
			failed++;
			continue;
		}
		snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
		if (strncmp(err, prefix, strlen(prefix)) != 0 ||
		    !strstr(err, frag)) {
			print_message(
			    "%s:\n  got      %s\n  expected %s...%s\n",
			    e->d_name, err, prefix, frag);
			failed++;
		}
	}
	closedir(d);
	assert_true(n >= 30);
	assert_int_equal(failed, 0);
}

/* The good files of tests/policy/good load, and their assertions hold. */
static void test_good_files(void **state)
{
	const char *root = getenv("POLICY_DIR");
	char dir[4096], file[4600], err[POLICY_ERR_MAX];
	struct dirent *e;
	DIR *d;

	(void)state;
	if (!root)
		root = "tests/policy";
	snprintf(dir, sizeof(dir), "%s/good", root);
	d = opendir(dir);
	if (!d)
		skip();
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct policy p;
		int i;

		if (len < 6 || strcmp(e->d_name + len - 5, ".conf") != 0)
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
		if (!policy_load(file, &p, err, sizeof(err)))
			fail_msg("%s", err);
		for (i = 0; i < p.n_assertions; i++)
			if (decide(&p, &p.assertions[i]) !=
			    p.assertions[i].expect_allow)
				fail_msg("%s:%d: assertion fails", file,
				         p.assertions[i].line);
		policy_free(&p);
	}
	closedir(d);
}

static void test_unreadable_and_syntax(void **state)
{
	char err[POLICY_ERR_MAX];
	struct policy p;

	(void)state;
	assert_false(policy_load("/nonexistent/x.conf", &p, err, sizeof(err)));
	assert_string_equal(err,
	                    "/nonexistent/x.conf: No such file or directory");
	assert_null(p.world);
	policy_free(&p); /* a failed load leaves nothing, and this is safe */

	load_bad("syntax.conf", "a = 1;\nb = ;\n", 2, "syntax error");
}

/* A short buffer truncates the message, never overflows. */
static void test_short_error_buffer(void **state)
{
	char err[12];
	struct policy p;
	const char *file;

	(void)state;
	file = write_file("short.conf", "organisations = 5;\n");
	memset(err, 'x', sizeof(err));
	assert_false(policy_load(file, &p, err, sizeof(err)));
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_false(policy_load(file, &p, NULL, 0));
}

static void test_messages(void **state)
{
	(void)state;
	/* A typo gets a suggestion. */
	load_bad(
	    "typo.conf",
	    "organisations = (\n  { code = \"o\"; name = \"O\"; sit = "
	    "true; }\n);\n",
	    2, "unknown key \"sit\" in organisation (did you mean \"site\"?)");
	/* Hostile values are escaped in the message, and cut. */
	load_bad(
	    "hostile.conf",
	    "organisations = ( { code = \"o\"; name = \"O\"; parent = "
	    "\"\\x1b[2Jaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaa\"; } );\n",
	    1,
	    /* cut after 60 characters, ESC counting as one */
	    "unknown organisation \"\\x1b[2J"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "...\" in parent");
	/* The first definition is named. */
	load_bad(
	    "dup.conf",
	    "users = (\n"
	    "  { login = \"a\"; first_name = \"A\"; last_name = \"A\"; email "
	    "= \"a@o.org\"; work_phone = \"1\"; },\n"
	    "  { login = \"b\"; first_name = \"B\"; last_name = \"B\"; email "
	    "= \"b@o.org\"; work_phone = \"1\"; },\n"
	    "  { login = \"a\"; first_name = \"C\"; last_name = \"C\"; email "
	    "= \"c@o.org\"; work_phone = \"1\"; }\n);\n",
	    4, "duplicate login \"a\" (first at line 2)");
	/* A missing value is blamed on its enclosing { }. */
	load_bad(
	    "missing.conf",
	    "roles = (\n  {\n    name = \"R\";\n    actions = [ \"org.view\" "
	    "];\n  }\n);\n",
	    2, "role is missing required key \"domain\"");
	/* Comma-first lists: the item's own line. */
	load_bad("comma-first.conf",
	         "organisations = ( { code = \"o\"; name = \"O\"; } );\n"
	         "clusters = ( { short_name = \"0123456789\"; name = \"C\"; "
	         "owner = \"o\"; members = [\n"
	         "    \"p\"  // unknown\n"
	         "  , \"q\" ]; } );\n",
	         3, "unknown organisation \"p\" in members");
}

/* @include is read relative to the including file, and an error in the
 * included file names that file. */
static void test_include(void **state)
{
	char main_path[4096], part_path[4096], err[POLICY_ERR_MAX];
	char want[8300];
	struct policy p;

	(void)state;
	snprintf(
	    part_path, sizeof(part_path), "%s",
	    write_file("part.conf",
	               "organisations = (\n  { code = \"o\"; name = \"O\"; "
	               "parent = \"nowhere\"; }\n);\n"));
	snprintf(main_path, sizeof(main_path), "%s",
	         write_file("main.conf", "# main\n@include \"part.conf\"\n"));
	assert_false(policy_load(main_path, &p, err, sizeof(err)));
	snprintf(want, sizeof(want),
	         "%s:2: unknown organisation \"nowhere\" in parent", part_path);
	assert_string_equal(err, want);
}

/* The bytes are read before libconfig: a NUL is refused, not cut (libconfig
 * would load "N\x00HS" as "N"), in an @included file too; a string longer
 * than any field is refused before libconfig's parse, which is quadratic
 * in it (10 MB took it over 20 s). No timing here: the message says it was
 * the scan that refused it. */
static void test_bytes_before_libconfig(void **state)
{
	char main_path[4096], part_path[4096], err[POLICY_ERR_MAX];
	char want[8300];
	const size_t big = 10 * 1024 * 1024;
	struct policy p;

	(void)state;
	snprintf(part_path, sizeof(part_path), "%s",
	         write_file("nul-part.conf",
	                    "organisations = (\n  { code = \"nhs\"; name = "
	                    "\"N\\x00HS\"; }\n);\n"));
	snprintf(main_path, sizeof(main_path), "%s",
	         write_file("nul-main.conf",
	                    "# main\n  @include \"nul-part.conf\"\n"));
	assert_false(policy_load(main_path, &p, err, sizeof(err)));
	snprintf(want, sizeof(want),
	         "%s:2: a NUL (\\x00) in a string: libconfig would cut the "
	         "string there",
	         part_path);
	assert_string_equal(err, want);

	/* 10 MB in one string */
	const char *head =
	    "organisations = (\n  { code = \"nhs\";\n    name = \"";
	const char *tail = "\"; }\n);\n";
	char *text = malloc(strlen(head) + big + strlen(tail) + 1);
	assert_non_null(text);
	strcpy(text, head);
	memset(text + strlen(head), 'N', big);
	strcpy(text + strlen(head) + big, tail);
	load_bad("ten-mb.conf", text, 3,
	         "a string of more than 2000 characters: no field is longer");
	free(text);

	/* an escape is one character: 2,000 of them fit a description,
	 * 2,001 do not */
	for (int n = 2000; n <= 2001; n++) {
		const char *pre = "organisations = ( { code = \"nhs\"; name = "
		                  "\"N\"; } );\nclusters = ( { short_name = "
		                  "\"C61A6DB801\"; name = \"C\"; owner = "
		                  "\"nhs\";\n  description = \"";
		text = malloc(strlen(pre) + 4 * (size_t)n + 16);
		assert_non_null(text);
		strcpy(text, pre);
		for (int k = 0; k < n; k++)
			strcat(text, "\\x41");
		strcat(text, "\"; } );\n");
		if (n == 2000) {
			load_ok("escapes.conf", text, &p);
			policy_free(&p);
		} else {
			load_bad("escapes.conf", text, 3,
			         "a string of more than 2000 characters");
		}
		free(text);
	}

	/* What looks like a comment or an end inside a string is the string;
	 * strings side by side are one (and within the limit, fine). */
	load_ok("scan.conf",
	        "organisations = (\n"
	        "  { code = \"nhs\"; name = \"a // b # c /* d \\\" e\"; },\n"
	        "  /* a comment with \"quotes\" */ # and \"more\"\n"
	        "  { code = \"lat04\"; name = \"Lat\" \"Org\" // joined\n"
	        "      \"04\"; parent = \"nhs\"; }\n"
	        ");\n",
	        &p);
	assert_string_equal(
	    engine_org(p.world, engine_org_find(p.world, "nhs"))->name,
	    "a // b # c /* d \" e");
	assert_string_equal(
	    engine_org(p.world, engine_org_find(p.world, "lat04"))->name,
	    "LatOrg04");
	policy_free(&p);
	/* a tab, a newline and a carriage return may stand as they are */
	load_ok("blanks.conf",
	        "organisations = (\r\n\t{ code = \"nhs\"; name = \"NHS\"; "
	        "}\r\n);\r\n",
	        &p);
	policy_free(&p);
	/* other control characters, not even in a comment */
	load_bad("bell.conf",
	         "organisations = (\n  # ding \a\n  { code = \"nhs\"; name = "
	         "\"NHS\"; }\n);\n",
	         2, "a raw control character (\\x07)");
	load_bad(
	    "del.conf",
	    "organisations = (\n  { code = \"nhs\"; name = \"N\x7fHS\"; }\n"
	    ");\n",
	    2, "a raw control character (\\x7f)");
}

/* ---- loading into an existing world (db load) ------------------------- */

static void test_load_into(void **state)
{
	struct engine_world *w = engine_world_new();
	char err[POLICY_ERR_MAX];
	struct policy p;
	const char *file;
	int root, site, user;

	(void)state;
	assert_non_null(w);
	assert_int_equal(engine_org_add(w, "root", "Root", false, &root),
	                 ENGINE_OK);
	assert_int_equal(engine_org_add(w, "site", "Site", true, &site),
	                 ENGINE_OK);
	assert_int_equal(engine_org_set_parent(w, site, root), ENGINE_OK);
	assert_int_equal(engine_world_index(w, NULL), ENGINE_OK);
	assert_int_equal(engine_study_add(w, "S1", "One", site, NULL),
	                 ENGINE_OK);
	assert_int_equal(engine_user_add(w, "old", "O", "Ld", true, &user),
	                 ENGINE_OK);
	engine_settings(w)->require_site_restrictions = true;

	/* References reach what the world holds; settings change only the
	 * switches named. */
	file =
	    write_file("into.conf",
	               "organisations = ( { code = \"new\"; name = \"New\"; "
	               "parent = \"ROOT\"; } );\n"
	               "settings = { require_study_restrictions = true; };\n"
	               "users = ( { login = \"fresh\"; first_name = \"F\"; "
	               "last_name = \"R\"; email = \"f@o.org\"; work_phone = "
	               "\"1\"; access = ( { org = \"root\"; roles = [ \"View\" "
	               "]; } ); } );\n"
	               "study_access = ( { study = \"S1\"; user = \"old\"; } "
	               ");\n"
	               "assertions = ( { user = \"fresh\"; action = "
	               "\"org.view\"; org = \"new\"; expect = \"allow\"; } "
	               ");\n");
	if (!policy_load_into(file, w, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_false(p.owns_world);
	assert_ptr_equal(p.world, w);
	assert_int_equal(engine_org(w, engine_org_find(w, "new"))->parent,
	                 root);
	assert_true(engine_settings_get(w)->require_site_restrictions);
	assert_true(engine_settings_get(w)->require_study_restrictions);
	assert_int_equal(engine_user(w, user)->n_entries, 1);
	assert_true(decide(&p, &p.assertions[0]));
	policy_free(&p);

	/* What the file defines must be new. */
	file =
	    write_file("into-dup.conf",
	               "organisations = (\n  { code = \"x\"; name = \"X\"; },\n"
	               "  { code = \"Site\"; name = \"S\"; }\n);\n");
	assert_false(policy_load_into(file, w, &p, err, sizeof(err)));
	assert_non_null(strstr(err, "into-dup.conf:3: organisation code "
	                            "\"Site\" already exists"));
	assert_null(p.world);
	file =
	    write_file("into-entry.conf",
	               "study_access = (\n  { study = \"S1\"; user = \"old\"; "
	               "}\n);\n");
	assert_false(policy_load_into(file, w, &p, err, sizeof(err)));
	assert_non_null(strstr(err, "into-entry.conf:2: user \"old\" is "
	                            "already listed for study \"S1\""));
	engine_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_example_world),
	    cmocka_unit_test(test_forward_references),
	    cmocka_unit_test(test_defaults_and_empty),
	    cmocka_unit_test(test_entry_role_outside_profile),
	    cmocka_unit_test(test_names_utf8),
	    cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_good_files),
	    cmocka_unit_test(test_unreadable_and_syntax),
	    cmocka_unit_test(test_short_error_buffer),
	    cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_include),
	    cmocka_unit_test(test_bytes_before_libconfig),
	    cmocka_unit_test(test_load_into),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
