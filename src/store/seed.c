/* seed.c: `accessdesk db seed --users N`: realistic generated data over the
 * loaded organisations, for demos and benchmarks.
 *
 * Everything is generated here, in C, from one seed: each user comes from a
 * random stream of its own (seed, user number), so a user is the same in
 * every pass and for every N, and the whole database is the same for the
 * same seed. Rows are streamed by COPY into TEMP staging tables that carry
 * user numbers, codes and short names (the real ids are identity columns);
 * set-based INSERT ... SELECT then writes the real tables, in the order the
 * invariants need (clusters and members, studies, users and their profiles,
 * grants and their roles, payment types and clusters, study access lists),
 * ids following the generated order.
 *
 * Names are invented from lists of common British first and last names;
 * phone numbers come from Ofcom's ranges reserved for drama (never dialable).
 */
#include "accessdesk/bulk.h"
#include "accessdesk/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SEED_MAX_USERS    50000000L
#define SEED_STUDIES      100
#define SEED_LIST_STUDIES 20 /* studies with a user access list */
#define SEED_MAX_GRANTS   4

/* ---- randomness ---------------------------------------------------------- */

/* splitmix64: small, fast, and good enough to look random. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15u;
	return mix64(r->s);
}

/* Uniform in [0, n), n >= 1. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static bool rng_permille(struct rng *r, uint32_t p)
{
	return rng_below(r, 1000) < p;
}

/* The streams: one per purpose and index, independent of one another. */
enum stream {
	STREAM_USER,
	STREAM_LOGIN,
	STREAM_CLUSTERS,
	STREAM_STUDIES,
	STREAM_ACCESS
};

static struct rng rng_stream(uint64_t seed, enum stream purpose, uint64_t index)
{
	struct rng r;

	r.s = mix64(mix64(seed ^ ((uint64_t)purpose << 56)) ^ mix64(index));
	return r;
}

/* ---- the word lists ------------------------------------------------------ */

/* clang-format off */
struct first_name {
	const char *name;
	char sex; /* 'f', 'm' or 'x': chooses plausible titles */
};

static const struct first_name first_names[] = {
	{"Olivia", 'f'}, {"Amelia", 'f'}, {"Isla", 'f'}, {"Ava", 'f'},
	{"Emily", 'f'}, {"Sophie", 'f'}, {"Grace", 'f'}, {"Mia", 'f'},
	{"Poppy", 'f'}, {"Ella", 'f'}, {"Lily", 'f'}, {"Evie", 'f'},
	{"Charlotte", 'f'}, {"Jessica", 'f'}, {"Sarah", 'f'}, {"Emma", 'f'},
	{"Rebecca", 'f'}, {"Hannah", 'f'}, {"Laura", 'f'}, {"Rachel", 'f'},
	{"Claire", 'f'}, {"Helen", 'f'}, {"Karen", 'f'}, {"Susan", 'f'},
	{"Julie", 'f'}, {"Alison", 'f'}, {"Joanne", 'f'}, {"Nicola", 'f'},
	{"Michelle", 'f'}, {"Katherine", 'f'}, {"Kate", 'f'}, {"Victoria", 'f'},
	{"Lucy", 'f'}, {"Amy", 'f'}, {"Gemma", 'f'}, {"Natalie", 'f'},
	{"Priya", 'f'}, {"Aisha", 'f'}, {"Fatima", 'f'}, {"Amira", 'f'},
	{"Mei", 'f'}, {"Niamh", 'f'}, {"Aoife", 'f'}, {"Ffion", 'f'},
	{"Bethan", 'f'}, {"Catrin", 'f'}, {"Eilidh", 'f'}, {"Morag", 'f'},
	{"Zo\xc3\xab", 'f'},           /* Zoë */
	{"Si\xc3\xa2n", 'f'},          /* Siân */
	{"Chlo\xc3\xab", 'f'},         /* Chloë */
	{"Siobh\xc3\xa1n", 'f'},       /* Siobhán */
	{"R\xc3\xb3is\xc3\xadn", 'f'}, /* Róisín */
	{"Ren\xc3\xa9" "e", 'f'},     /* Renée */
	{"Margaret", 'f'}, {"Patricia", 'f'}, {"Elizabeth", 'f'}, {"Anne", 'f'},
	{"Jane", 'f'}, {"Ruth", 'f'}, {"Oliver", 'm'}, {"George", 'm'},
	{"Harry", 'm'}, {"Jack", 'm'}, {"Jacob", 'm'}, {"Noah", 'm'},
	{"Charlie", 'm'}, {"Thomas", 'm'}, {"Oscar", 'm'}, {"William", 'm'},
	{"James", 'm'}, {"Henry", 'm'}, {"David", 'm'}, {"John", 'm'},
	{"Paul", 'm'}, {"Mark", 'm'}, {"Andrew", 'm'}, {"Richard", 'm'},
	{"Stephen", 'm'}, {"Peter", 'm'}, {"Michael", 'm'}, {"Christopher", 'm'},
	{"Matthew", 'm'}, {"Daniel", 'm'}, {"Robert", 'm'}, {"Simon", 'm'},
	{"Gareth", 'm'}, {"Ian", 'm'}, {"Neil", 'm'}, {"Graham", 'm'},
	{"Kevin", 'm'}, {"Martin", 'm'}, {"Adam", 'm'}, {"Luke", 'm'},
	{"Samuel", 'm'}, {"Benjamin", 'm'}, {"Mohammed", 'm'}, {"Ahmed", 'm'},
	{"Imran", 'm'}, {"Rajesh", 'm'}, {"Sanjay", 'm'}, {"Wei", 'm'},
	{"Callum", 'm'}, {"Hamish", 'm'}, {"Rhodri", 'm'}, {"Dafydd", 'm'},
	{"Ioan", 'm'}, {"Owain", 'm'}, {"Cormac", 'm'}, {"Declan", 'm'},
	{"Kwame", 'm'}, {"Chinedu", 'm'}, {"Tomasz", 'm'}, {"Piotr", 'm'},
	{"Se\xc3\xa1n", 'm'},  /* Seán */
	{"No\xc3\xabl", 'm'},  /* Noël */
	{"Jos\xc3\xa9", 'm'},  /* José */
	{"S\xc3\xb8ren", 'm'}, /* Søren */
	{"Alex", 'x'}, {"Sam", 'x'}, {"Jordan", 'x'}, {"Robin", 'x'},
	{"Jamie", 'x'}, {"Morgan", 'x'},
};

static const char *const last_names[] = {
	"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans",
	"Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright",
	"Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
	"Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
	"Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
	"Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
	"Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly",
	"Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw",
	"Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson",
	"Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster",
	"Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt",
	"Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
	"Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher",
	"Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
	"Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews",
	"Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford",
	"Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson",
	"Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien",
	"Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong",
	"Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett",
	"Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley",
	"Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland", "Hawkins",
	"Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy",
	"Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson",
	"Parry", "Burgess", "Bishop", "Walton", "Nicholson", "Shepherd", "Ross",
	"Cross", "Long", "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne",
	"McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor",
	"Harper", "Coleman", "Watkins", "Chambers", "McCarthy", "Llewellyn",
	"Pryce", "Okafor", "Mensah", "Adeyemi", "Nguyen", "Chen", "Wong", "Rahman",
	"Iqbal", "Chaudhry", "Kowalski", "Nowak", "Da Silva", "MacLeod", "Fraser",
	"Sutherland",
	"\xc3\x98" "deg\xc3\xa5rd",          /* Ødegård */
	"M\xc3\xbcller",                   /* Müller */
	"N\xc3\xba\xc3\xb1" "ez",             /* Núñez */
	"Fran\xc3\xa7ois",                 /* François */
	"\xc3\x93 Br\xc3\xa1" "daigh",        /* Ó Brádaigh */
};

#define N_FIRST (sizeof first_names / sizeof *first_names)
#define N_LAST  (sizeof last_names / sizeof *last_names)

/* Ofcom's drama ranges: each number is prefix + three digits. */
static const char *const work_prefixes[] = {
	"020 7946 0", "0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0",
	"0117 496 0", "0118 496 0", "0121 496 0", "0131 496 0", "0141 496 0",
	"0151 496 0", "0161 496 0", "0191 498 0", "01632 960",
};
#define MOBILE_PREFIX "07700 900"

static const char *const email_domains[] = {
	"nhs.uk", "nhs.net", "iqvia.com", "nihr.ac.uk", "ucl.ac.uk",
};
/* per mille of each domain; the rest is the first */
static const uint32_t email_domain_pm[] = {0, 220, 30, 25, 15};

static const char *const cluster_areas[] = {
	"Eastern", "Western", "Northern", "Southern", "Central", "North",
	"South",   "East",    "West",     "Inner",    "Outer",   "Greater",
};
static const char *const cluster_places[] = {
	"City",     "Town",    "Valley",   "Coastal",   "Rural", "Market Towns",
	"Villages", "Borough", "Moorland", "Riverside", "Downs", "Forest",
};
static const char *const cluster_kinds[] = {
	"Practices", "Practice Group", "Network", "Alliance", "Locality",
};

static const char *const study_conditions[] = {
	"Asthma", "Type 2 Diabetes", "Hypertension", "COPD", "Atrial Fibrillation",
	"Long COVID", "Depression", "Osteoarthritis", "Heart Failure",
	"Chronic Kidney Disease", "Influenza Vaccine", "Smoking Cessation",
	"Obesity", "Dementia", "Migraine", "Psoriasis", "Lower Back Pain",
	"Anxiety",
};
static const char *const study_focus[] = {
	"Screening",       "Outreach",        "Adherence", "Prevention",
	"Self-management", "Early Detection", "Follow-up", "Remote Monitoring",
};
static const char *const study_kinds[] = {
	"Study", "Trial", "Pilot", "Registry"
};
/* clang-format on */

#define PICK(rng, list) (list[rng_below(rng, sizeof list / sizeof *list)])

/* ---- the roles ----------------------------------------------------------- */

/* The engine's built-in roles (engine.h), in its order, by their names in
 * sql/002. */
#define FIRST_STUDY_ROLE ROLE_STUDY_ADMINISTRATOR

static const char *const role_names[ROLE_BUILTIN_COUNT] = {
    "System Administrator",
    "Advanced User Administrator",
    "User Administrator",
    "View",
    "Study Administrator",
    "Study Coordinator",
    "Investigator",
    "Data Manager",
    "Recruiter",
};

/* ---- the world the data is generated over -------------------------------- */

enum org_kind {
	KIND_ROOT,
	KIND_REGION,
	KIND_STP,
	KIND_CCG,
	KIND_PCN,
	KIND_PRACTICE,
	KIND_COUNT
};

struct seed_org {
	long long id, parent_id;
	int depth;
	bool is_site;
	int ccg; /* index of the CCG above (or itself), or -1 */
	int first_cluster, n_clusters; /* clusters owned (CCGs) */
};

struct seed_cluster {
	char short_name[11];
	char name[80];
	int owner;    /* org index */
	int *members; /* org indices */
	int n_members;
};

struct seed_study {
	char code[16];
	char name[96];
	int site;    /* org index */
	bool listed; /* has a user access list */
};

struct seed_ctx {
	uint64_t seed;
	long n_users;
	const char *demo_login;
	long long role_id[ROLE_BUILTIN_COUNT];
	char **pays; /* payment type codes, by position */
	int n_pays;
	struct seed_org *orgs; /* by lower(code), so the same for each load */
	int n_orgs;
	int root;
	int *kind[KIND_COUNT]; /* org indices of each kind */
	int n_kind[KIND_COUNT];
	struct seed_cluster *clusters;
	int n_clusters;
	struct seed_study *studies;
	int n_studies;
	/* the logins taken: an open-addressing set of offsets into a text
	 * arena */
	char *arena;
	size_t arena_len, arena_cap;
	uint32_t *slots; /* offset + 1, 0 empty */
	size_t n_slots;
};

/* One generated user: everything but the login, from its own stream. */
struct gen_grant {
	int org;
	int n_roles;
	enum engine_builtin_role role[2];
	uint32_t pays; /* bit i: ctx->pays[i] */
	int n_clusters;
	int cluster[2];
};

struct gen_user {
	int first, last;
	const char *title;
	int work_prefix, work_no, mobile_no; /* mobile_no -1: none */
	int domain, email_no;                /* email_no 0: none */
	bool enabled;
	long long created; /* Unix time */
	int n_grants;
	struct gen_grant grant[SEED_MAX_GRANTS];
	int n_profile;
	enum engine_builtin_role profile[2];
	int n_sites;
	int site[3];
	bool recruitment_only[3];
	int n_studies;
	int study[3];
};

/* ---- ASCII folding, for logins and emails -------------------------------- */

/* U+00C0..U+00FF folded to a lower-case ASCII letter; '_' drops it. */
static const char latin1_fold[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyts"
                                  "aaaaaaaceeeeiiiidnooooo_ouuuuyty";

/* Lower-case ASCII letters and digits of a UTF-8 name. */
static void fold_ascii(const char *s, char *out, size_t outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;

	while (*u && n + 1 < outlen) {
		char ch = 0;

		if (*u == 0xc3 && u[1] >= 0x80 && u[1] <= 0xbf) {
			ch = latin1_fold[u[1] - 0x80];
			u += 2;
		} else if (*u >= 0x80) {
			u++; /* other non-ASCII bytes: dropped */
		} else {
			ch = (char)*u++;
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
		}
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			out[n++] = ch;
	}
	out[n] = '\0';
}

/* ---- the login set ------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3u;
	return h;
}

static bool logins_init(struct seed_ctx *x, long n)
{
	size_t cap = 16;

	while (cap < (size_t)n * 2 + 16)
		cap *= 2;
	x->slots = calloc(cap, sizeof *x->slots);
	x->n_slots = cap;
	x->arena_cap = (size_t)n * 10 + 64;
	x->arena = malloc(x->arena_cap);
	return x->slots && x->arena;
}

/* Adds login unless taken; false if taken (or out of memory: *nomem). */
static bool logins_add(struct seed_ctx *x, const char *login, bool *nomem)
{
	size_t mask = x->n_slots - 1, i = (size_t)hash_str(login) & mask;
	size_t len = strlen(login) + 1;

	for (; x->slots[i]; i = (i + 1) & mask)
		if (strcmp(x->arena + x->slots[i] - 1, login) == 0)
			return false;
	if (x->arena_len + len > x->arena_cap) {
		size_t cap = x->arena_cap * 2 + len;
		char *a = cap < UINT32_MAX ? realloc(x->arena, cap) : NULL;

		if (!a) {
			*nomem = true;
			return false;
		}
		x->arena = a;
		x->arena_cap = cap;
	}
	memcpy(x->arena + x->arena_len, login, len);
	x->slots[i] = (uint32_t)x->arena_len + 1;
	x->arena_len += len;
	return true;
}

/* The login of user i: initial, two letters of the last name and digits
 * ("kal738"), more digits when the short ones are taken. */
static bool make_login(struct seed_ctx *x, long i, const struct gen_user *u,
                       char *login, size_t len)
{
	struct rng r = rng_stream(x->seed, STREAM_LOGIN, (uint64_t)i);
	char first[64], last[64], prefix[4];
	bool nomem = false;

	fold_ascii(first_names[u->first].name, first, sizeof first);
	fold_ascii(last_names[u->last], last, sizeof last);
	prefix[0] = first[0] ? first[0] : 'x';
	prefix[1] = last[0] ? last[0] : 'x';
	prefix[2] = last[0] && last[1] ? last[1] : 'x';
	prefix[3] = '\0';
	for (int digits = 3; digits <= 9; digits++) {
		uint32_t limit = 1;

		for (int d = 0; d < digits; d++)
			limit *= 10;
		for (int attempt = 0; attempt < 12; attempt++) {
			snprintf(login, len, "%s%0*u", prefix, digits,
			         (unsigned)rng_below(&r, limit));
			if (logins_add(x, login, &nomem))
				return true;
			if (nomem)
				return false;
		}
	}
	return false;
}

/* ---- generating ---------------------------------------------------------- */

static int pick_kind(struct seed_ctx *x, struct rng *r, enum org_kind kind)
{
	return x->kind[kind][rng_below(r, (uint32_t)x->n_kind[kind])];
}

static enum engine_builtin_role pick_study_role(struct rng *r)
{
	uint32_t v = rng_below(r, 100);

	return v < 5    ? ROLE_STUDY_ADMINISTRATOR
	       : v < 35 ? ROLE_STUDY_COORDINATOR
	       : v < 60 ? ROLE_INVESTIGATOR
	       : v < 80 ? ROLE_DATA_MANAGER
	                : ROLE_RECRUITER;
}

/* The roles of a grant at an organisation of this kind. */
static void pick_grant_roles(struct rng *r, enum org_kind kind,
                             struct gen_grant *g)
{
	uint32_t v = rng_below(r, 100);
	enum engine_builtin_role a = ROLE_VIEW, b = ROLE_BUILTIN_COUNT;

	switch (kind) {
	case KIND_PRACTICE:
		a = v < 62   ? ROLE_VIEW
		    : v < 96 ? ROLE_USER_ADMINISTRATOR
		             : ROLE_ADVANCED_USER_ADMINISTRATOR;
		if (v >= 82 && v < 96)
			b = ROLE_VIEW;
		break;
	case KIND_PCN:
		a = v < 70   ? ROLE_VIEW
		    : v < 82 ? ROLE_USER_ADMINISTRATOR
		             : ROLE_ADVANCED_USER_ADMINISTRATOR;
		if (v >= 92)
			b = ROLE_VIEW;
		break;
	case KIND_CCG:
		a = v < 50   ? ROLE_VIEW
		    : v < 95 ? ROLE_ADVANCED_USER_ADMINISTRATOR
		             : ROLE_USER_ADMINISTRATOR;
		if (v >= 85 && v < 95)
			b = ROLE_VIEW;
		break;
	default: /* regions */
		a = v < 55   ? ROLE_VIEW
		    : v < 80 ? ROLE_ADVANCED_USER_ADMINISTRATOR
		             : ROLE_SYSTEM_ADMINISTRATOR;
		break;
	}
	g->role[0] = a;
	g->n_roles = 1;
	if (b != ROLE_BUILTIN_COUNT)
		g->role[g->n_roles++] = b;
}

static bool has_int(const int *v, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static void gen_grant(struct seed_ctx *x, struct rng *r, struct gen_user *u)
{
	static const enum org_kind order[] = {KIND_PRACTICE, KIND_PCN, KIND_CCG,
	                                      KIND_REGION};
	uint32_t v = rng_below(r, 1000);
	int k = v < 700 ? 0 : v < 850 ? 1 : v < 980 ? 2 : 3;
	struct gen_grant *g = &u->grant[u->n_grants];
	enum org_kind kind = KIND_PRACTICE;
	int org = -1;

	/* The chosen kind, or the next one that the tree has. */
	for (int t = 0; t < 4 && org < 0; t++) {
		kind = order[(k + t) % 4];
		if (x->n_kind[kind] > 0)
			org = pick_kind(x, r, kind);
	}
	if (org < 0)
		return;
	for (int i = 0; i < u->n_grants; i++)
		if (u->grant[i].org == org)
			return; /* one grant per organisation */
	memset(g, 0, sizeof *g);
	g->org = org;
	pick_grant_roles(r, kind, g);
	if (x->n_pays > 0 && !rng_permille(r, 350)) {
		for (int p = 0; p < x->n_pays; p++)
			if (rng_permille(r, 450))
				g->pays |= 1u << p;
		if (!g->pays)
			g->pays = 1u << rng_below(r, (uint32_t)x->n_pays);
	}
	if (kind == KIND_CCG && x->orgs[org].n_clusters > 0 &&
	    rng_permille(r, 100)) {
		int n = x->orgs[org].n_clusters;
		int want = n > 1 && rng_permille(r, 300) ? 2 : 1;

		while (g->n_clusters < want) {
			int c = x->orgs[org].first_cluster +
			        (int)rng_below(r, (uint32_t)n);

			if (!has_int(g->cluster, g->n_clusters, c))
				g->cluster[g->n_clusters++] = c;
		}
	}
	u->n_grants++;
}

/* Sites and studies of a user's study profile. */
static void gen_profile(struct seed_ctx *x, struct rng *r, struct gen_user *u)
{
	bool recruiter = false;

	u->n_profile = 0;
	u->profile[u->n_profile++] = pick_study_role(r);
	if (rng_permille(r, 200)) {
		enum engine_builtin_role b = pick_study_role(r);

		if (b != u->profile[0])
			u->profile[u->n_profile++] = b;
	}
	for (int i = 0; i < u->n_profile; i++)
		recruiter |= u->profile[i] == ROLE_RECRUITER;
	if (x->n_studies > 0 && rng_permille(r, 300)) {
		int want = 1 + (int)rng_below(r, 3);

		for (int t = 0; t < want * 3 && u->n_sites < want; t++) {
			int site = -1;

			/* Mostly where the user works; else a study's site. */
			for (int g = 0; g < u->n_grants && site < 0; g++)
				if (x->orgs[u->grant[g].org].is_site &&
				    rng_permille(r, 600))
					site = u->grant[g].org;
			if (site < 0)
				site =
				    x->studies[rng_below(
				                   r, (uint32_t)x->n_studies)]
				        .site;
			if (has_int(u->site, u->n_sites, site))
				continue;
			u->recruitment_only[u->n_sites] =
			    rng_permille(r, recruiter ? 500 : 100);
			u->site[u->n_sites++] = site;
		}
	}
	if (x->n_studies > 0 && rng_permille(r, 150)) {
		int want = 1 + (int)rng_below(r, 3);

		for (int t = 0; t < want * 3 && u->n_studies < want; t++) {
			int s = (int)rng_below(r, (uint32_t)x->n_studies);

			if (!has_int(u->study, u->n_studies, s))
				u->study[u->n_studies++] = s;
		}
	}
}

/* User i (1..n_users): the same for a seed whatever else is generated. */
static void gen_user(struct seed_ctx *x, long i, struct gen_user *u)
{
	struct rng r = rng_stream(x->seed, STREAM_USER, (uint64_t)i);
	const struct first_name *f;
	uint32_t t, want;
	/* 2014-01-01 .. 2024-12-31 (UTC) */
	const long long from = 1388534400LL, to = 1735689600LL;

	memset(u, 0, sizeof *u);
	u->first = (int)rng_below(&r, N_FIRST);
	u->last = (int)rng_below(&r, N_LAST);
	f = &first_names[u->first];
	t = rng_below(&r, 1000);
	if (t < 200)
		u->title = "Dr";
	else if (t < 210)
		u->title = "Prof";
	else if (t < 250)
		u->title = NULL;
	else if (f->sex == 'x' || t < 260)
		u->title = "Mx";
	else if (f->sex == 'm')
		u->title = "Mr";
	else
		u->title = t < 600 ? "Mrs" : t < 850 ? "Ms" : "Miss";
	u->work_prefix =
	    (int)rng_below(&r, sizeof work_prefixes / sizeof *work_prefixes);
	u->work_no = (int)rng_below(&r, 1000);
	u->mobile_no = rng_permille(&r, 600) ? (int)rng_below(&r, 1000) : -1;
	t = rng_below(&r, 1000);
	u->domain = 0;
	for (int d = 1; d < (int)(sizeof email_domains / sizeof *email_domains);
	     d++) {
		if (t < email_domain_pm[d]) {
			u->domain = d;
			break;
		}
		t -= email_domain_pm[d];
	}
	u->email_no = rng_permille(&r, 300) ? 1 + (int)rng_below(&r, 99) : 0;
	u->enabled = !rng_permille(&r, 50);
	u->created = from + (long long)(rng_next(&r) % (uint64_t)(to - from));
	t = rng_below(&r, 100);
	want = t < 55 ? 1 : t < 80 ? 2 : t < 93 ? 3 : 4;
	for (uint32_t g = 0; g < want; g++)
		gen_grant(x, &r, u);
	if (rng_permille(&r, 400))
		gen_profile(x, &r, u);
}

/* ---- loading what the data refers to ------------------------------------- */

static const char sql_orgs[] =
    "WITH RECURSIVE t AS ("
    " SELECT id, 0 AS depth FROM organisations"
    " WHERE lower(code) = 'nhs' AND parent_id IS NULL"
    " UNION ALL SELECT o.id, t.depth + 1 FROM organisations o"
    " JOIN t ON o.parent_id = t.id) "
    "SELECT o.id, coalesce(o.parent_id, 0), t.depth, o.is_site "
    "FROM t JOIN organisations o USING (id) "
    "ORDER BY lower(o.code) COLLATE \"C\"";

/* An organisation's id and index, to find parents by id. */
struct id_index {
	long long id;
	int index;
};

static int cmp_id_index(const void *a, const void *b)
{
	long long x = ((const struct id_index *)a)->id;
	long long y = ((const struct id_index *)b)->id;

	return (x > y) - (x < y);
}

/* The index of the organisation with this id, or -1. */
static int org_by_id(const struct id_index *by_id, int n, long long id)
{
	struct id_index key = {id, -1};
	const struct id_index *hit =
	    bsearch(&key, by_id, (size_t)n, sizeof key, cmp_id_index);

	return hit ? hit->index : -1;
}

static enum org_kind org_kind(const struct seed_org *o)
{
	if (o->depth == 0)
		return KIND_ROOT;
	if (o->is_site)
		return KIND_PRACTICE;
	return o->depth == 1   ? KIND_REGION
	       : o->depth == 2 ? KIND_STP
	       : o->depth == 3 ? KIND_CCG
	                       : KIND_PCN;
}

static bool load_orgs(struct store *c, struct seed_ctx *x,
                      struct store_error *err)
{
	PGresult *r = store_exec_rows(c, "seed: read the organisations",
	                              sql_orgs, 0, NULL, 0, err);
	struct id_index *by_id = NULL;
	int *parent = NULL;
	bool ok = false;

	if (!r)
		return false;
	x->n_orgs = PQntuples(r);
	if (x->n_orgs == 0) {
		store_fail(err, "",
		           "seed: no root organisation nhs: import the NHS "
		           "hierarchy first (accessdesk db import-ods)");
		goto out;
	}
	x->orgs = calloc((size_t)x->n_orgs, sizeof *x->orgs);
	by_id = malloc((size_t)x->n_orgs * sizeof *by_id);
	parent = malloc((size_t)x->n_orgs * sizeof *parent);
	for (int k = 0; k < KIND_COUNT; k++)
		x->kind[k] = malloc((size_t)x->n_orgs * sizeof(int));
	for (int k = 0; k < KIND_COUNT; k++)
		if (!x->kind[k])
			goto nomem;
	if (!x->orgs || !by_id || !parent)
		goto nomem;
	for (int i = 0; i < x->n_orgs; i++) {
		struct seed_org *o = &x->orgs[i];

		o->id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		o->parent_id = strtoll(PQgetvalue(r, i, 1), NULL, 10);
		o->depth = atoi(PQgetvalue(r, i, 2));
		o->is_site = PQgetvalue(r, i, 3)[0] == 't';
		o->ccg = -1;
		by_id[i].id = o->id;
		by_id[i].index = i;
		if (o->depth == 0)
			x->root = i;
	}
	qsort(by_id, (size_t)x->n_orgs, sizeof *by_id, cmp_id_index);
	for (int i = 0; i < x->n_orgs; i++)
		parent[i] =
		    x->orgs[i].depth == 0
		        ? -1
		        : org_by_id(by_id, x->n_orgs, x->orgs[i].parent_id);
	for (int i = 0; i < x->n_orgs; i++) {
		struct seed_org *o = &x->orgs[i];
		enum org_kind k = org_kind(o);
		int a = i;

		x->kind[k][x->n_kind[k]++] = i;
		while (a >= 0 && x->orgs[a].depth > 3)
			a = parent[a];
		if (a >= 0 && x->orgs[a].depth == 3 && !x->orgs[a].is_site)
			o->ccg = a;
	}
	ok = true;
	goto out;
nomem:
	store_fail(err, "", "seed: out of memory");
out:
	free(by_id);
	free(parent);
	PQclear(r);
	return ok;
}

static bool load_roles(struct store *c, struct seed_ctx *x,
                       struct store_error *err)
{
	for (int i = 0; i < ROLE_BUILTIN_COUNT; i++) {
		const char *params[1] = {role_names[i]};
		PGresult *r = store_exec_rows(
		    c, "seed: find the built-in roles",
		    "SELECT id, domain FROM roles WHERE name = $1", 1, params,
		    0, err);
		const char *domain =
		    i < FIRST_STUDY_ROLE ? "organisation" : "study";

		if (!r)
			return false;
		if (PQntuples(r) != 1 ||
		    strcmp(PQgetvalue(r, 0, 1), domain) != 0) {
			store_fail(err, "",
			           "seed: no %s-domain role \"%s\" (the "
			           "built-in roles come with sql/002)",
			           domain, role_names[i]);
			PQclear(r);
			return false;
		}
		x->role_id[i] = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
	}
	return true;
}

static bool plain_code(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool load_payment_types(struct store *c, struct seed_ctx *x,
                               struct store_error *err)
{
	PGresult *r =
	    store_exec_rows(c, "seed: read the payment types",
	                    "SELECT code FROM payment_types ORDER BY position",
	                    0, NULL, 0, err);
	int n;

	if (!r)
		return false;
	n = PQntuples(r);
	if (n > 32)
		n = 32; /* a grant's set is a 32-bit mask here */
	x->pays = calloc((size_t)n + 1, sizeof *x->pays);
	if (!x->pays) {
		PQclear(r);
		store_fail(err, "", "seed: out of memory");
		return false;
	}
	for (int i = 0; i < n; i++) {
		/* They travel unquoted inside array literals. */
		if (!plain_code(PQgetvalue(r, i, 0))) {
			store_fail(err, "",
			           "seed: payment type \"%s\" is not a plain "
			           "code",
			           PQgetvalue(r, i, 0));
			PQclear(r);
			return false;
		}
		x->pays[i] = strdup(PQgetvalue(r, i, 0));
		if (!x->pays[i]) {
			PQclear(r);
			store_fail(err, "", "seed: out of memory");
			return false;
		}
		x->n_pays++;
	}
	PQclear(r);
	return true;
}

/* A fresh database only: ids, logins, short names and study codes of a seed
 * must not meet older ones. */
static bool check_empty(struct store *c, struct store_error *err)
{
	PGresult *r = store_exec_rows(
	    c, "seed: check the database",
	    "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM "
	    "clusters), (SELECT count(*) FROM studies)",
	    0, NULL, 1, err);
	bool ok;

	if (!r)
		return false;
	ok = strcmp(PQgetvalue(r, 0, 0), "0") == 0 &&
	     strcmp(PQgetvalue(r, 0, 1), "0") == 0 &&
	     strcmp(PQgetvalue(r, 0, 2), "0") == 0;
	if (!ok)
		store_fail(err, "",
		           "seed: the database already has %s users, %s "
		           "clusters and %s studies; seed a database that has "
		           "only its organisations",
		           PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
		           PQgetvalue(r, 0, 2));
	PQclear(r);
	return ok;
}

/* ---- clusters and studies ------------------------------------------------ */

/* For about a third of the CCGs, 1-4 clusters of their PCNs and practices. */
static bool gen_clusters(struct seed_ctx *x, struct store_error *err)
{
	struct rng r = rng_stream(x->seed, STREAM_CLUSTERS, 0);
	int n_ccg = x->n_kind[KIND_CCG], cap = n_ccg * 4 + 1;
	int *below = malloc(((size_t)x->n_orgs + 1) * sizeof *below);

	x->clusters = calloc((size_t)cap, sizeof *x->clusters);
	if (!below || !x->clusters)
		goto nomem;
	for (int k = 0; k < n_ccg; k++) {
		int ccg = x->kind[KIND_CCG][k], n_below = 0, n;

		if (!rng_permille(&r, 333))
			continue;
		for (int i = 0; i < x->n_orgs; i++)
			if (x->orgs[i].ccg == ccg && i != ccg)
				below[n_below++] = i;
		if (n_below == 0)
			continue;
		n = 1 + (int)rng_below(&r, 4);
		x->orgs[ccg].first_cluster = x->n_clusters;
		for (int j = 0; j < n; j++) {
			struct seed_cluster *cl = &x->clusters[x->n_clusters];
			int want = 2 + (int)rng_below(&r, 9);
			bool unique;

			if (want > n_below)
				want = n_below;
			do { /* 10 upper-case hex digits, unique */
				uint64_t v = rng_next(&r) & 0xffffffffffu;

				snprintf(cl->short_name, sizeof cl->short_name,
				         "%010llX", (unsigned long long)v);
				unique = true;
				for (int o = 0; o < x->n_clusters && unique;
				     o++)
					unique =
					    strcmp(x->clusters[o].short_name,
					           cl->short_name) != 0;
			} while (!unique);
			do { /* unique among the CCG's clusters, in either
			      * case (clusters_owner_name) */
				snprintf(cl->name, sizeof cl->name, "%s %s %s",
				         PICK(&r, cluster_areas),
				         PICK(&r, cluster_places),
				         PICK(&r, cluster_kinds));
				unique = true;
				for (int o = x->orgs[ccg].first_cluster;
				     o < x->n_clusters && unique; o++)
					unique = strcasecmp(x->clusters[o].name,
					                    cl->name) != 0;
			} while (!unique);
			cl->owner = ccg;
			cl->members = malloc((size_t)want * sizeof(int));
			if (!cl->members)
				goto nomem;
			while (cl->n_members < want) {
				int m = below[rng_below(&r, (uint32_t)n_below)];

				if (!has_int(cl->members, cl->n_members, m))
					cl->members[cl->n_members++] = m;
			}
			x->n_clusters++;
			x->orgs[ccg].n_clusters++;
		}
	}
	free(below);
	return true;
nomem:
	free(below);
	store_fail(err, "", "seed: out of memory");
	return false;
}

/* About 100 studies at practices; 20 of them with user access lists. */
static bool gen_studies(struct seed_ctx *x, struct store_error *err)
{
	struct rng r = rng_stream(x->seed, STREAM_STUDIES, 0);
	int n = x->n_kind[KIND_PRACTICE] < SEED_STUDIES
	            ? x->n_kind[KIND_PRACTICE]
	            : SEED_STUDIES;
	int listed = 0, want = n < SEED_LIST_STUDIES ? n : SEED_LIST_STUDIES;

	x->studies = calloc((size_t)n + 1, sizeof *x->studies);
	if (!x->studies) {
		store_fail(err, "", "seed: out of memory");
		return false;
	}
	for (int i = 0; i < n; i++) {
		struct seed_study *s = &x->studies[i];

		snprintf(s->code, sizeof s->code, "S-%04d", i + 1);
		snprintf(s->name, sizeof s->name, "%s %s %s",
		         PICK(&r, study_conditions), PICK(&r, study_focus),
		         PICK(&r, study_kinds));
		s->site = pick_kind(x, &r, KIND_PRACTICE);
	}
	x->n_studies = n;
	while (listed < want) {
		struct seed_study *s = &x->studies[rng_below(&r, (uint32_t)n)];

		if (!s->listed) {
			s->listed = true;
			listed++;
		}
	}
	return true;
}

/* ---- streaming the staging tables ---------------------------------------- */

static const char *const sql_stage[] = {
    "CREATE TEMP TABLE seed_clusters (ord int, short_name text, name text,"
    " owner_id bigint, members bigint[]) ON COMMIT DROP",
    "CREATE TEMP TABLE seed_studies (ord int, code text, name text,"
    " site_id bigint) ON COMMIT DROP",
    "CREATE TEMP TABLE seed_users (seq int, login text, title text,"
    " first_name text, last_name text, email text, work_phone text,"
    " mobile_phone text, enabled boolean, created_at timestamptz,"
    " profile int[], sites bigint[], site_ro boolean[], rstudies text[])"
    " ON COMMIT DROP",
    "CREATE TEMP TABLE seed_grants (gno bigint, useq int, org_id bigint,"
    " roles int[], pays text[], clusters text[]) ON COMMIT DROP",
    "CREATE TEMP TABLE seed_access (study text, useq int, role_id int,"
    " position int) ON COMMIT DROP",
};

/* A growing array literal ("{1,2}") of plain elements. */
struct lit {
	char s[512];
	size_t n;
};

static void lit_start(struct lit *l)
{
	l->s[0] = '{';
	l->n = 1;
	l->s[1] = '\0';
}

static void lit_add(struct lit *l, const char *v)
{
	int w = snprintf(l->s + l->n, sizeof l->s - l->n, "%s%s",
	                 l->n > 1 ? "," : "", v);

	if (w > 0 && (size_t)w < sizeof l->s - l->n)
		l->n += (size_t)w;
}

static void lit_add_id(struct lit *l, long long v)
{
	char num[24];

	snprintf(num, sizeof num, "%lld", v);
	lit_add(l, num);
}

static const char *lit_end(struct lit *l)
{
	if (l->n + 2 <= sizeof l->s) {
		l->s[l->n++] = '}';
		l->s[l->n] = '\0';
	}
	return l->s;
}

static bool copy_clusters(struct store *c, struct seed_ctx *x,
                          struct store_error *err)
{
	struct store_copy cp;

	if (!store_copy_begin(&cp, c, "seed: copy clusters",
	                      "COPY seed_clusters FROM STDIN", err))
		return false;
	for (int i = 0; i < x->n_clusters; i++) {
		const struct seed_cluster *cl = &x->clusters[i];
		struct lit m;

		lit_start(&m);
		for (int j = 0; j < cl->n_members; j++)
			lit_add_id(&m, x->orgs[cl->members[j]].id);
		store_copy_long(&cp, i);
		store_copy_text(&cp, cl->short_name);
		store_copy_text(&cp, cl->name);
		store_copy_long(&cp, x->orgs[cl->owner].id);
		store_copy_raw(&cp, lit_end(&m));
		store_copy_row_end(&cp);
	}
	return store_copy_end(&cp, NULL);
}

static bool copy_studies(struct store *c, struct seed_ctx *x,
                         struct store_error *err)
{
	struct store_copy cp;

	if (!store_copy_begin(&cp, c, "seed: copy studies",
	                      "COPY seed_studies FROM STDIN", err))
		return false;
	for (int i = 0; i < x->n_studies; i++) {
		store_copy_long(&cp, i);
		store_copy_text(&cp, x->studies[i].code);
		store_copy_text(&cp, x->studies[i].name);
		store_copy_long(&cp, x->orgs[x->studies[i].site].id);
		store_copy_row_end(&cp);
	}
	return store_copy_end(&cp, NULL);
}

static void copy_user_row(struct store_copy *cp, struct seed_ctx *x, long seq,
                          const char *login, const struct gen_user *u)
{
	char first[64], last[64], email[200], phone[32], when[32];
	const char *fname = first_names[u->first].name;
	struct lit profile, sites, ro, studies;
	time_t t = (time_t)u->created;
	struct tm tm;

	fold_ascii(fname, first, sizeof first);
	fold_ascii(last_names[u->last], last, sizeof last);
	if (u->email_no)
		snprintf(email, sizeof email, "%s.%s%d@%s", first, last,
		         u->email_no, email_domains[u->domain]);
	else
		snprintf(email, sizeof email, "%s.%s@%s", first, last,
		         email_domains[u->domain]);
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S+00", &tm);
	lit_start(&profile);
	for (int i = 0; i < u->n_profile; i++)
		lit_add_id(&profile, x->role_id[u->profile[i]]);
	lit_start(&sites);
	lit_start(&ro);
	for (int i = 0; i < u->n_sites; i++) {
		lit_add_id(&sites, x->orgs[u->site[i]].id);
		lit_add(&ro, u->recruitment_only[i] ? "t" : "f");
	}
	lit_start(&studies);
	for (int i = 0; i < u->n_studies; i++)
		lit_add(&studies, x->studies[u->study[i]].code);

	store_copy_long(cp, seq);
	store_copy_text(cp, login);
	store_copy_text(cp, u->title);
	store_copy_text(cp, fname);
	store_copy_text(cp, last_names[u->last]);
	store_copy_text(cp, email);
	snprintf(phone, sizeof phone, "%s%03d", work_prefixes[u->work_prefix],
	         u->work_no);
	store_copy_text(cp, phone);
	if (u->mobile_no >= 0) {
		snprintf(phone, sizeof phone, "%s%03d", MOBILE_PREFIX,
		         u->mobile_no);
		store_copy_text(cp, phone);
	} else {
		store_copy_text(cp, NULL);
	}
	store_copy_bool(cp, u->enabled);
	store_copy_text(cp, when);
	store_copy_raw(cp, lit_end(&profile));
	store_copy_raw(cp, lit_end(&sites));
	store_copy_raw(cp, lit_end(&ro));
	store_copy_raw(cp, lit_end(&studies));
	store_copy_row_end(cp);
}

/* The demo System Administrator: user 0, grant 0. */
static void demo_user(struct seed_ctx *x, struct gen_user *u)
{
	memset(u, 0, sizeof *u);
	u->enabled = true;
	u->created = 1388534400LL;
	u->n_grants = 1;
	u->grant[0].org = x->root;
	u->grant[0].n_roles = 1;
	u->grant[0].role[0] = ROLE_SYSTEM_ADMINISTRATOR;
	u->grant[0].pays =
	    x->n_pays >= 32 ? UINT32_MAX : (1u << x->n_pays) - 1u;
	u->n_profile = 1;
	u->profile[0] = ROLE_STUDY_ADMINISTRATOR;
}

static bool copy_users(struct store *c, struct seed_ctx *x, long *disabled,
                       struct store_error *err)
{
	struct store_copy cp;
	struct gen_user u;
	struct lit profile;
	char login[80], email[120];
	bool nomem = false;

	if (!logins_add(x, x->demo_login, &nomem)) {
		store_fail(err, "", "seed: out of memory");
		return false;
	}
	if (!store_copy_begin(&cp, c, "seed: copy users",
	                      "COPY seed_users FROM STDIN", err))
		return false;
	/* The demo administrator, written out here: no generated name. */
	lit_start(&profile);
	lit_add_id(&profile, x->role_id[ROLE_STUDY_ADMINISTRATOR]);
	snprintf(email, sizeof email, "%s@nhs.uk", x->demo_login);
	store_copy_long(&cp, 0);
	store_copy_text(&cp, x->demo_login);
	store_copy_text(&cp, NULL);
	store_copy_text(&cp, "Demo");
	store_copy_text(&cp, "Administrator");
	store_copy_text(&cp, email);
	store_copy_text(&cp, "020 7946 0000");
	store_copy_text(&cp, NULL);
	store_copy_bool(&cp, true);
	store_copy_text(&cp, "2014-01-01 00:00:00+00");
	store_copy_raw(&cp, lit_end(&profile));
	store_copy_raw(&cp, "{}");
	store_copy_raw(&cp, "{}");
	store_copy_raw(&cp, "{}");
	store_copy_row_end(&cp);
	for (long i = 1; i <= x->n_users && !cp.failed; i++) {
		gen_user(x, i, &u);
		if (!make_login(x, i, &u, login, sizeof login)) {
			store_copy_abort(&cp, "no login");
			store_fail(err, "",
			           "seed: user %ld: no free login (or out of "
			           "memory)",
			           i);
			return false;
		}
		*disabled += !u.enabled;
		copy_user_row(&cp, x, i, login, &u);
	}
	return store_copy_end(&cp, NULL);
}

static void copy_grant_row(struct store_copy *cp, struct seed_ctx *x,
                           long long gno, long seq, const struct gen_grant *g)
{
	struct lit roles, pays, clusters;

	lit_start(&roles);
	for (int i = 0; i < g->n_roles; i++)
		lit_add_id(&roles, x->role_id[g->role[i]]);
	lit_start(&pays);
	for (int p = 0; p < x->n_pays; p++)
		if (g->pays & (1u << p))
			lit_add(&pays, x->pays[p]);
	lit_start(&clusters);
	for (int i = 0; i < g->n_clusters; i++)
		lit_add(&clusters, x->clusters[g->cluster[i]].short_name);
	store_copy_long(cp, gno);
	store_copy_long(cp, seq);
	store_copy_long(cp, x->orgs[g->org].id);
	store_copy_raw(cp, lit_end(&roles));
	store_copy_raw(cp, lit_end(&pays));
	store_copy_raw(cp, lit_end(&clusters));
	store_copy_row_end(cp);
}

static bool copy_grants(struct store *c, struct seed_ctx *x,
                        struct store_error *err)
{
	struct store_copy cp;
	struct gen_user u;
	long long gno = 0;

	if (!store_copy_begin(&cp, c, "seed: copy grants",
	                      "COPY seed_grants FROM STDIN", err))
		return false;
	demo_user(x, &u);
	copy_grant_row(&cp, x, gno++, 0, &u.grant[0]);
	for (long i = 1; i <= x->n_users && !cp.failed; i++) {
		gen_user(x, i, &u);
		for (int g = 0; g < u.n_grants; g++)
			copy_grant_row(&cp, x, gno++, i, &u.grant[g]);
	}
	return store_copy_end(&cp, NULL);
}

/* The listed studies' user access lists: 3-15 users who have a study
 * profile, each with no role or one of their profile roles. */
static bool copy_access(struct store *c, struct seed_ctx *x,
                        struct store_error *err)
{
	struct store_copy cp;
	struct gen_user u;

	if (!store_copy_begin(&cp, c, "seed: copy study access",
	                      "COPY seed_access FROM STDIN", err))
		return false;
	for (int s = 0; s < x->n_studies && x->n_users > 0; s++) {
		struct rng r = rng_stream(x->seed, STREAM_ACCESS, (uint64_t)s);
		long chosen[15];
		int want = 3 + (int)rng_below(&r, 13), n = 0;

		if (!x->studies[s].listed)
			continue;
		for (int t = 0; t < want * 20 && n < want; t++) {
			long i = 1 + (long)rng_below(&r, (uint32_t)x->n_users);
			bool dup = false;

			for (int k = 0; k < n; k++)
				dup |= chosen[k] == i;
			if (dup)
				continue;
			gen_user(x, i, &u);
			if (u.n_profile == 0)
				continue;
			chosen[n++] = i;
			store_copy_text(&cp, x->studies[s].code);
			store_copy_long(&cp, i);
			if (rng_permille(&r, 400))
				store_copy_text(&cp, NULL);
			else
				store_copy_long(
				    &cp, x->role_id[u.profile[rng_below(
				             &r, (uint32_t)u.n_profile)]]);
			store_copy_long(&cp, n);
			store_copy_row_end(&cp);
		}
	}
	return store_copy_end(&cp, NULL);
}

/* ---- from the staging tables to the real ones ---------------------------- */

struct step {
	const char *what;
	const char *sql;
	long *rows; /* rows written are added here; NULL: not counted */
};

/* Users whose grants are written (and analysed) before the others'. */
#define SEED_SAMPLE_USERS "1000"

static bool write_tables(struct store *c, struct seed_counts *n,
                         struct store_error *err)
{
	const struct step steps[] = {
	    {"seed: analyse the staging tables",
	     "ANALYZE seed_clusters, seed_studies, seed_users, seed_grants,"
	     " seed_access",
	     NULL},
	    {"seed: clusters",
	     "INSERT INTO clusters (short_name, name, owner_id)"
	     " SELECT short_name, name, owner_id FROM seed_clusters ORDER BY "
	     "ord",
	     &n->clusters},
	    {"seed: cluster members",
	     "INSERT INTO cluster_members (cluster_id, org_id, position)"
	     " SELECT c.id, m.org_id, m.position FROM seed_clusters s"
	     " JOIN clusters c USING (short_name)"
	     " CROSS JOIN LATERAL unnest(s.members) WITH ORDINALITY"
	     "   AS m(org_id, position)"
	     " ORDER BY s.ord, m.position",
	     &n->cluster_members},
	    {"seed: studies",
	     "INSERT INTO studies (code, name, site_id)"
	     " SELECT code, name, site_id FROM seed_studies ORDER BY ord",
	     &n->studies},
	    {"seed: users",
	     "INSERT INTO users (login, title, first_name, last_name, email,"
	     " work_phone, mobile_phone, enabled, created_at)"
	     " SELECT login, title, first_name, last_name, email, work_phone,"
	     " mobile_phone, enabled, created_at FROM seed_users ORDER BY seq",
	     &n->users},
	    {"seed: user ids",
	     "CREATE TEMP TABLE seed_uid ON COMMIT DROP AS"
	     " SELECT s.seq, u.id FROM seed_users s JOIN users u USING (login)",
	     NULL},
	    {"seed: user ids", "ANALYZE seed_uid", NULL},
	    {"seed: profile roles",
	     "INSERT INTO profile_roles (user_id, role_id, position)"
	     " SELECT u.id, p.role_id, p.position FROM seed_users s"
	     " JOIN seed_uid u USING (seq)"
	     " CROSS JOIN LATERAL unnest(s.profile) WITH ORDINALITY"
	     "   AS p(role_id, position)",
	     &n->profile_roles},
	    {"seed: site restrictions",
	     "INSERT INTO site_restrictions"
	     " (user_id, site_id, recruitment_only, position)"
	     " SELECT u.id, r.site_id, r.ro, r.position FROM seed_users s"
	     " JOIN seed_uid u USING (seq)"
	     " CROSS JOIN LATERAL unnest(s.sites, s.site_ro) WITH ORDINALITY"
	     "   AS r(site_id, ro, position)",
	     &n->site_restrictions},
	    {"seed: restricted studies",
	     "INSERT INTO restricted_studies (user_id, study_id, position)"
	     " SELECT u.id, st.id, r.position FROM seed_users s"
	     " JOIN seed_uid u USING (seq)"
	     " CROSS JOIN LATERAL unnest(s.rstudies) WITH ORDINALITY"
	     "   AS r(code, position)"
	     " JOIN studies st ON st.code = r.code",
	     &n->restricted_studies},
	    /* The grants of the first users go in first and are analysed:
	     * the statement triggers on grants (sql/006) join on user_id,
	     * and without statistics plan a scan of the tree per user. */
	    {"seed: grants",
	     "INSERT INTO grants (user_id, org_id)"
	     " SELECT u.id, g.org_id FROM seed_grants g"
	     " JOIN seed_uid u ON u.seq = g.useq"
	     " WHERE g.useq < " SEED_SAMPLE_USERS " ORDER BY g.gno",
	     &n->grants},
	    {"seed: statistics", "ANALYZE organisations, users, grants", NULL},
	    {"seed: grants",
	     "INSERT INTO grants (user_id, org_id)"
	     " SELECT u.id, g.org_id FROM seed_grants g"
	     " JOIN seed_uid u ON u.seq = g.useq"
	     " WHERE g.useq >= " SEED_SAMPLE_USERS " ORDER BY g.gno",
	     &n->grants},
	    {"seed: grant ids",
	     "CREATE TEMP TABLE seed_gid ON COMMIT DROP AS"
	     " SELECT g.gno, gr.id FROM seed_grants g"
	     " JOIN seed_uid u ON u.seq = g.useq"
	     " JOIN grants gr ON gr.user_id = u.id AND gr.org_id = g.org_id",
	     NULL},
	    {"seed: grant ids", "ANALYZE seed_gid", NULL},
	    {"seed: grant roles",
	     "INSERT INTO grant_roles (grant_id, role_id, position)"
	     " SELECT i.id, r.role_id, r.position FROM seed_grants g"
	     " JOIN seed_gid i USING (gno)"
	     " CROSS JOIN LATERAL unnest(g.roles) WITH ORDINALITY"
	     "   AS r(role_id, position)",
	     &n->grant_roles},
	    {"seed: grant payment types",
	     "INSERT INTO grant_payment_types (grant_id, payment_type)"
	     " SELECT i.id, p.code FROM seed_grants g"
	     " JOIN seed_gid i USING (gno)"
	     " CROSS JOIN LATERAL unnest(g.pays) AS p(code)",
	     &n->grant_payment_types},
	    {"seed: grant clusters",
	     "INSERT INTO grant_clusters (grant_id, cluster_id, position)"
	     " SELECT i.id, c.id, x.position FROM seed_grants g"
	     " JOIN seed_gid i USING (gno)"
	     " CROSS JOIN LATERAL unnest(g.clusters) WITH ORDINALITY"
	     "   AS x(short_name, position)"
	     " JOIN clusters c ON c.short_name = x.short_name",
	     &n->grant_clusters},
	    {"seed: study access",
	     "INSERT INTO study_access (study_id, user_id, role_id, position)"
	     " SELECT st.id, u.id, a.role_id, a.position FROM seed_access a"
	     " JOIN studies st ON st.code = a.study"
	     " JOIN seed_uid u ON u.seq = a.useq ORDER BY st.id, a.position",
	     &n->study_access},
	};

	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		long rows = 0;

		if (!store_command(c, steps[i].what, steps[i].sql, 0, NULL,
		                   &rows, err))
			return false;
		if (steps[i].rows)
			*steps[i].rows += rows;
	}
	return true;
}

static bool write_audit(struct store *c, const struct seed_ctx *x,
                        const struct seed_counts *n, struct store_error *err)
{
	static const char sql[] =
	    "INSERT INTO audit (operator, action, target_kind, target, after,"
	    " org_ids)"
	    " SELECT current_user, 'seed', 'database', current_database(),"
	    "  jsonb_build_object('seed', $1::numeric, 'n_users', $2::bigint,"
	    "   'demo_login', $3::text, 'users', $4::bigint,"
	    "   'disabled', $5::bigint, 'grants', $6::bigint,"
	    "   'grant_roles', $7::bigint, 'grant_payment_types', $8::bigint,"
	    "   'grant_clusters', $9::bigint, 'clusters', $10::bigint,"
	    "   'cluster_members', $11::bigint, 'studies', $12::bigint,"
	    "   'profile_roles', $13::bigint, 'site_restrictions', $14::bigint,"
	    "   'restricted_studies', $15::bigint, 'study_access', "
	    "$16::bigint),"
	    "  ARRAY(SELECT id FROM organisations WHERE lower(code) = 'nhs')";
	const long v[] = {n->users,
	                  n->disabled,
	                  n->grants,
	                  n->grant_roles,
	                  n->grant_payment_types,
	                  n->grant_clusters,
	                  n->clusters,
	                  n->cluster_members,
	                  n->studies,
	                  n->profile_roles,
	                  n->site_restrictions,
	                  n->restricted_studies,
	                  n->study_access};
	char num[16][24];
	const char *params[16];

	snprintf(num[0], sizeof num[0], "%llu", (unsigned long long)x->seed);
	snprintf(num[1], sizeof num[1], "%ld", x->n_users);
	params[0] = num[0];
	params[1] = num[1];
	params[2] = x->demo_login;
	for (int i = 0; i < 13; i++) {
		snprintf(num[i + 3], sizeof num[i + 3], "%ld", v[i]);
		params[i + 3] = num[i + 3];
	}
	return store_command(c, "seed: audit", sql, 16, params, NULL, err);
}

/* ---- the entry point ----------------------------------------------------- */

static void ctx_free(struct seed_ctx *x)
{
	for (int i = 0; x->clusters && i < x->n_clusters; i++)
		free(x->clusters[i].members);
	free(x->clusters);
	free(x->studies);
	for (int k = 0; k < KIND_COUNT; k++)
		free(x->kind[k]);
	free(x->orgs);
	for (int i = 0; x->pays && i < x->n_pays; i++)
		free(x->pays[i]);
	free(x->pays);
	free(x->arena);
	free(x->slots);
}

static bool run(struct store *c, struct seed_ctx *x, struct seed_counts *n,
                struct store_error *err)
{
	if (!store_command(c, "seed: lock",
	                   "LOCK TABLE users, clusters, studies"
	                   " IN SHARE ROW EXCLUSIVE MODE",
	                   0, NULL, NULL, err) ||
	    !store_command(c, "seed: settings", "SET LOCAL work_mem = '256MB'",
	                   0, NULL, NULL, err) ||
	    !check_empty(c, err) || !load_roles(c, x, err) ||
	    !load_payment_types(c, x, err) || !load_orgs(c, x, err) ||
	    !gen_clusters(x, err) || !gen_studies(x, err))
		return false;
	if (!logins_init(x, x->n_users + 1)) {
		store_fail(err, "", "seed: out of memory");
		return false;
	}
	for (size_t i = 0; i < sizeof sql_stage / sizeof *sql_stage; i++)
		if (!store_command(c, "seed: staging tables", sql_stage[i], 0,
		                   NULL, NULL, err))
			return false;
	return copy_clusters(c, x, err) && copy_studies(c, x, err) &&
	       copy_users(c, x, &n->disabled, err) && copy_grants(c, x, err) &&
	       copy_access(c, x, err) && write_tables(c, n, err) &&
	       write_audit(c, x, n, err);
}

bool bulk_seed(struct store *c, const struct seed_options *o,
               struct seed_counts *out, struct store_error *err)
{
	struct seed_ctx x = {0};
	struct seed_counts n = {0};
	bool ok;

	if (err)
		*err = (struct store_error){0};
	if (out)
		memset(out, 0, sizeof *out);
	x.seed = o->seed;
	x.n_users = o->n_users;
	x.demo_login =
	    o->demo_login && *o->demo_login ? o->demo_login : "admin";
	if (x.n_users < 0 || x.n_users > SEED_MAX_USERS) {
		store_fail(
		    err, "",
		    "seed: the number of users must be 0 to %ld, not %ld",
		    SEED_MAX_USERS, x.n_users);
		return false;
	}
	if (!field_valid(FIELD_LOGIN, x.demo_login)) {
		store_fail(err, "",
		           "seed: demo login \"%.64s\" is not a valid login "
		           "(1-64 of a-z 0-9 . _ -, starting with a letter or "
		           "digit)",
		           x.demo_login);
		return false;
	}
	/* the audit chain's lock first, as every writer of records */
	if (!store_begin_utf8(c, err) || !store_chain_lock(c, err))
		return false;
	ok = run(c, &x, &n, err) && store_commit(c, err);
	if (!ok)
		store_rollback(c);
	else if (out)
		*out = n;
	ctx_free(&x);
	return ok;
}
