/* bench_policy.c: how much policy_load costs over libconfig's own parse.
 *
 * Writes a generated policy file shaped like the NHS England hierarchy
 * (root, 7 regions, 42 STPs, 106 CCGs, 1,255 PCNs, then practices up to
 * 20,000 organisations, a quarter of the practices being sites), with
 * clusters, studies, 50,000 users holding grants, cluster selections and
 * study profiles, study access entries and 20,000 assertions. Then times,
 * best of 5 with CLOCK_MONOTONIC:
 *   (a) libconfig alone: config_read_file + config_destroy;
 *   (b) policy_load + every assertion decided with engine_check_org /
 *       engine_check_study (no explanation) + policy_free;
 * and prints both and the ratio b/a. The goal is a ratio of at most 2.0.
 *
 * Usage: bench_policy [FILE]   (FILE: where to write and keep the file;
 * without it a temporary file is written and removed). Built by meson, never
 * run by the tests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libconfig.h>

#include "accessdesk/policy.h"

enum {
	N_ORGS = 20000,
	N_REGIONS = 7,
	N_STPS = 42,
	N_CCGS = 106,
	N_PCNS = 1255,
	N_CLUSTERS = 1500,
	N_STUDIES = 2000,
	N_USERS = 50000,
	N_ENTRIES = 10000,
	N_ASSERTIONS = 20000,
	RUNS = 5
};

/* ---- a deterministic generator ---------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(uint32_t n) /* uniform enough in [0, n) */
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

struct org {
	char code[16];
	int parent;
	int level; /* 0 root, 1 region, 2 STP, 3 CCG, 4 PCN, 5 practice */
	int first_child, n_children; /* children are contiguous ids */
	bool site;
};

static struct org orgs[N_ORGS];
static int n_sites, sites[N_ORGS];
static int cluster_owner[N_CLUSTERS];
/* each user's grant organisations, for assertions that may allow */
static int user_grants[N_USERS][3], user_n_grants[N_USERS];
/* clusters of each organisation: first id and count (owners contiguous) */
static int org_first_cluster[N_ORGS], org_n_clusters[N_ORGS];

/* Children of level L are spread over the organisations of level L-1 as
 * evenly as the counts allow, keeping ids of one parent contiguous. */
static void build_tree(void)
{
	static const int counts[] = {1, N_REGIONS, N_STPS, N_CCGS, N_PCNS};
	static const char *const prefix[] = {"NHS", "R",   "STP",
	                                     "CCG", "PCN", "P"};
	int level, start = 0, prev_start = 0, prev_n = 0, i;

	for (level = 0; level < 6; level++) {
		int n = level < 5 ? counts[level] : N_ORGS - start;

		for (i = 0; i < n; i++) {
			struct org *o = &orgs[start + i];

			snprintf(o->code, sizeof(o->code), "%s%05d",
			         prefix[level], i);
			o->level = level;
			o->parent =
			    level ? prev_start + (int)((long)i * prev_n / n)
			          : -1;
			if (level == 5 && rnd(4) == 0) {
				o->site = true;
				sites[n_sites++] = start + i;
			}
		}
		prev_start = start;
		prev_n = n;
		start += n;
	}
	for (i = 0; i < N_ORGS; i++)
		orgs[i].first_child = -1;
	for (i = 1; i < N_ORGS; i++) {
		struct org *p = &orgs[orgs[i].parent];

		if (p->first_child < 0)
			p->first_child = i;
		p->n_children++;
	}
}

/* A random strict descendant of org (which has children). */
static int random_descendant(int org)
{
	int o = org;

	do
		o = orgs[o].first_child +
		    (int)rnd((uint32_t)orgs[o].n_children);
	while (orgs[o].n_children > 0 && rnd(2));
	return o;
}

static int distinct(int *v, int n, int x)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 0;
	return 1;
}

static const char *const org_roles[] = {
    "System Administrator", "Advanced User Administrator", "User Administrator",
    "View", "Practice Manager"};
static const char *const study_roles[] = {
    "Study Administrator", "Study Coordinator", "Investigator",
    "Data Manager",        "Recruiter",         "Night Recruiter"};
static const char *const pays[] = {"QOF", "GPES", "DES", "CC", "VAC", "LES"};
static const char *const firsts[] = {"Kenneth", "Gemma",   "Matt",      "Aisha",
                                     "Zoë",     "Siobhán", "Oluwaseun", "Li"};
static const char *const lasts[] = {"Alloway", "Barlow", "Cheeseman", "O'Neill",
                                    "Nowak",   "Patel",  "Smith"};
static const char *const org_actions[] = {
    "org.view",      "users.view",       "users.manage",
    "clusters.view", "reports.run",      "audit.view",
    "orgs.manage",   "achievement.view", "achievement.declare"};
static const char *const study_actions[] = {
    "study.view",  "study.configure", "subject.view",         "data.entry",
    "data.review", "volunteer.view",  "study.user_management"};

#define ARRAY_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void write_orgs(FILE *f)
{
	int i, k, *order = malloc(N_ORGS * sizeof(int));

	/* Shuffled, so that most parents are forward references. */
	for (i = 0; i < N_ORGS; i++)
		order[i] = i;
	for (i = N_ORGS - 1; i > 0; i--) {
		int j = (int)rnd((uint32_t)i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	fputs("organisations = (\n", f);
	for (k = 0; k < N_ORGS; k++) {
		const struct org *o = &orgs[order[k]];

		fprintf(f, "  { code = \"%s\"; name = \"Organisation %s\";",
		        o->code, o->code);
		if (o->parent >= 0)
			fprintf(f, " parent = \"%s\";", orgs[o->parent].code);
		if (o->site)
			fputs(" site = true;", f);
		fputs(k + 1 < N_ORGS ? " },\n" : " }\n", f);
	}
	fputs(");\n", f);
	free(order);
}

static void write_clusters(FILE *f)
{
	int c, ccg0 = 1 + N_REGIONS + N_STPS;

	fputs("roles = (\n"
	      "  { name = \"Night Recruiter\"; domain = \"study\"; actions = [ "
	      "\"volunteer.view\", \"volunteer.recruit\" ]; },\n"
	      "  { name = \"Practice Manager\"; domain = \"organisation\"; "
	      "reach = \"organisation\"; actions = [ \"org.view\", "
	      "\"users.view\", \"users.manage\" ]; }\n);\n",
	      f);
	fputs("clusters = (\n", f);
	for (c = 0; c < N_CLUSTERS; c++) {
		/* owned by CCGs in order, so each owner's are contiguous */
		int owner = ccg0 + (int)((long)c * N_CCGS / N_CLUSTERS);
		int members[8], n = 1 + (int)rnd(8), k = 0, tries = 0;

		cluster_owner[c] = owner;
		if (org_n_clusters[owner]++ == 0)
			org_first_cluster[owner] = c;
		while (k < n && tries++ < 50) {
			int m = random_descendant(owner);

			if (distinct(members, k, m))
				members[k++] = m;
		}
		fprintf(f,
		        "  { short_name = \"%010llX\"; name = \"Cluster %d\"; "
		        "description = \"Practices of %s\"; owner = \"%s\"; "
		        "members = [",
		        0xC61A6DB800ull + (unsigned long long)c * 7919u, c,
		        orgs[owner].code, orgs[owner].code);
		for (n = 0; n < k; n++)
			fprintf(f, "%s\"%s\"", n ? ", " : " ",
			        orgs[members[n]].code);
		fputs(c + 1 < N_CLUSTERS ? " ]; },\n" : " ]; }\n", f);
	}
	fputs(");\n", f);
}

static void write_studies(FILE *f)
{
	int s;

	fputs("studies = (\n", f);
	for (s = 0; s < N_STUDIES; s++)
		fprintf(f,
		        "  { code = \"S-%04d\"; name = \"Study %d\"; site = "
		        "\"%s\"; }%s\n",
		        s, s, orgs[sites[rnd((uint32_t)n_sites)]].code,
		        s + 1 < N_STUDIES ? "," : "");
	fputs(");\n", f);
	fputs("settings = { require_site_restrictions = false; };\n", f);
}

static void write_grant(FILE *f, int org, bool last)
{
	int roles[2], n_roles = 1 + (int)rnd(2), k = 0;
	int first = 1;

	while (k < n_roles) {
		int r = (int)rnd(ARRAY_LEN(org_roles));

		if (distinct(roles, k, r))
			roles[k++] = r;
	}
	fprintf(f, "      { org = \"%s\"; roles = [", orgs[org].code);
	for (k = 0; k < n_roles; k++)
		fprintf(f, "%s\"%s\"", k ? ", " : " ", org_roles[roles[k]]);
	fputs(" ];", f);
	if (rnd(2)) {
		int p0 = (int)rnd(6), p1 = (p0 + 1 + (int)rnd(5)) % 6;

		fprintf(f, " payment_types = [ \"%s\", \"%s\" ];", pays[p0],
		        pays[p1]);
	}
	if (org_n_clusters[org] > 0 && rnd(3) == 0) {
		int c0 = org_first_cluster[org];

		fputs(" clusters = [", f);
		for (k = 0; k < org_n_clusters[org] && k < 2; k++, first = 0)
			fprintf(f, "%s\"%010llX\"", first ? " " : ", ",
			        0xC61A6DB800ull +
			            (unsigned long long)(c0 + k) * 7919u);
		fputs(" ];", f);
	}
	fputs(last ? " }\n" : " },\n", f);
}

/* A grant organisation: mostly low in the tree, where users work. */
static int grant_org(void)
{
	uint32_t r = rnd(100);

	if (r < 2)
		return (int)rnd(1 + N_REGIONS);
	if (r < 30) /* a CCG: where clusters are */
		return 1 + N_REGIONS + N_STPS + (int)rnd(N_CCGS);
	return (int)rnd(N_ORGS);
}

static void write_users(FILE *f)
{
	int u, k;

	fputs("users = (\n", f);
	for (u = 0; u < N_USERS; u++) {
		const char *fn = firsts[rnd(ARRAY_LEN(firsts))];
		const char *ln = lasts[rnd(ARRAY_LEN(lasts))];
		int grants[3], n_grants = (int)rnd(4), g = 0;

		fprintf(f,
		        "  { login = \"u%06d\"; title = \"Dr\"; first_name = "
		        "\"%s\"; last_name = \"%s\";\n"
		        "    email = \"user%06d@nhs.uk\"; work_phone = \"0115 "
		        "496 %04d\"; enabled = %s;\n",
		        u, fn, ln, u, u % 10000, rnd(50) ? "true" : "false");
		while (g < n_grants) {
			int o = grant_org();

			if (distinct(grants, g, o))
				grants[g++] = o;
		}
		memcpy(user_grants[u], grants, sizeof(grants));
		user_n_grants[u] = n_grants;
		if (n_grants) {
			fputs("    access = (\n", f);
			for (g = 0; g < n_grants; g++)
				write_grant(f, grants[g], g + 1 == n_grants);
			fputs("    );\n", f);
		}
		if (rnd(10) < 3) {
			int r0 = (int)rnd(ARRAY_LEN(study_roles));

			fprintf(f, "    roles = [ \"%s\" ];\n",
			        study_roles[r0]);
			if (rnd(2)) {
				int s0 = sites[rnd((uint32_t)n_sites)];

				fprintf(f,
				        "    sites = ( { site = \"%s\"; "
				        "recruitment_only = %s; } );\n",
				        orgs[s0].code,
				        rnd(4) ? "false" : "true");
			}
			if (rnd(3) == 0) {
				k = (int)rnd(N_STUDIES / 2);
				fprintf(
				    f,
				    "    studies = [ \"S-%04d\", \"S-%04d\" "
				    "];\n",
				    k, k + N_STUDIES / 2);
			}
		}
		fputs(u + 1 < N_USERS ? "  },\n" : "  }\n", f);
	}
	fputs(");\n", f);
}

static void write_entries_and_assertions(FILE *f)
{
	int i;

	/* Distinct (study, user) pairs: user i lists study i's pair once. */
	fputs("study_access = (\n", f);
	for (i = 0; i < N_ENTRIES; i++) {
		int user = (int)((long)i * (N_USERS / N_ENTRIES));

		fprintf(f, "  { study = \"S-%04d\"; user = \"u%06d\";%s }%s\n",
		        (int)rnd(N_STUDIES), user,
		        rnd(2) ? " role = \"Investigator\";" : "",
		        i + 1 < N_ENTRIES ? "," : "");
	}
	fputs(");\nassertions = (\n", f);
	for (i = 0; i < N_ASSERTIONS; i++) {
		int user = (int)rnd(N_USERS);
		const char *expect = rnd(2) ? "allow" : "deny";
		const char *sep = i + 1 < N_ASSERTIONS ? "," : "";

		if (rnd(4) == 0) {
			fprintf(
			    f,
			    "  { user = \"u%06d\"; action = \"%s\"; study = "
			    "\"S-%04d\"; expect = \"%s\"; }%s\n",
			    user, study_actions[rnd(ARRAY_LEN(study_actions))],
			    (int)rnd(N_STUDIES), expect, sep);
			continue;
		}
		{
			int a = (int)rnd(ARRAY_LEN(org_actions));
			const char *act = org_actions[a];
			int org = (int)rnd(N_ORGS);

			/* Half ask within the user's own grants, so that
			 * allows (and cluster narrowing) are exercised. */
			if (user_n_grants[user] && rnd(2)) {
				org = user_grants[user][rnd(
				    (uint32_t)user_n_grants[user])];
				if (orgs[org].n_children && rnd(2))
					org = random_descendant(org);
			}
			fprintf(f,
			        "  { user = \"u%06d\"; action = \"%s\"; org = "
			        "\"%s\";",
			        user, act, orgs[org].code);
			if (strncmp(act, "achievement.", 12) == 0 && rnd(2))
				fprintf(f, " payment_type = \"%s\";",
				        pays[rnd(6)]);
			fprintf(f, " expect = \"%s\"; }%s\n", expect, sep);
		}
	}
	fputs(");\n", f);
}

static bool write_policy(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return false;
	build_tree();
	fputs("# generated by bench_policy\n", f);
	write_orgs(f);
	write_clusters(f);
	write_studies(f);
	write_users(f);
	write_entries_and_assertions(f);
	return fclose(f) == 0;
}

/* ---- timing ----------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double time_libconfig(const char *path)
{
	double best = 1e30;
	int run;

	for (run = 0; run < RUNS; run++) {
		config_t cfg;
		double t0 = now(), t;

		config_init(&cfg);
		if (!config_read_file(&cfg, path)) {
			fprintf(stderr, "%s:%d: %s\n", path,
			        config_error_line(&cfg),
			        config_error_text(&cfg));
			exit(1);
		}
		config_destroy(&cfg);
		t = now() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

static double time_policy(const char *path, int *n_allow)
{
	double best = 1e30;
	int run;

	for (run = 0; run < RUNS; run++) {
		char err[POLICY_ERR_MAX];
		struct policy p;
		double t0 = now(), t;
		int i, allows = 0;

		if (!policy_load(path, &p, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			exit(1);
		}
		for (i = 0; i < p.n_assertions; i++) {
			const struct policy_assertion *a = &p.assertions[i];
			bool allow = false;

			if (a->org >= 0)
				engine_check_org(p.world, a->user, a->action,
				                 a->org, a->payment, NULL,
				                 &allow);
			else
				engine_check_study(p.world, a->user, a->action,
				                   a->study, NULL, &allow);
			allows += allow;
		}
		policy_free(&p);
		t = now() - t0;
		if (t < best)
			best = t;
		*n_allow = allows;
	}
	return best;
}

int main(int argc, char **argv)
{
	char tmp[] = "/tmp/bench_policy.XXXXXX";
	const char *path;
	double a, b;
	int allows = 0;

	if (argc > 1) {
		path = argv[1];
	} else {
		int fd = mkstemp(tmp);

		if (fd < 0) {
			perror("mkstemp");
			return 1;
		}
		close(fd);
		path = tmp;
	}
	if (!write_policy(path)) {
		perror(path);
		return 1;
	}
	a = time_libconfig(path);
	b = time_policy(path, &allows);
	printf("policy file: %d organisations, %d users, %d assertions (%d "
	       "allow)\n",
	       N_ORGS, N_USERS, N_ASSERTIONS, allows);
	printf("(a) libconfig parse:                %8.1f ms (best of %d)\n",
	       a * 1e3, RUNS);
	printf("(b) policy_load + all assertions:   %8.1f ms (best of %d)\n",
	       b * 1e3, RUNS);
	printf("ratio b/a: %.2f (goal <= 2.00)\n", b / a);
	if (argc <= 1)
		unlink(path);
	return 0;
}
