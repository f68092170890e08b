/* policy.c: the policy file loader (policy-file.md).
 *
 * Reads a libconfig file and builds an engine world from it, validating every
 * rule of the format: keys, types, required keys, formats, duplicates,
 * references and the invariants of access-model.md. The first error found is
 * reported as "FILE:LINE: message", LINE being the line of the offending
 * value, or of the enclosing { } when a value is missing.
 *
 * References may point forwards, so the file is read in passes, each kind of
 * entity after everything it can refer to: organisations, their parents (then
 * the tree is indexed), roles, clusters, studies, users with their grants and
 * profiles, settings, study access entries, assertions.
 *
 * Speed matters (a 50,000-user file must load in at most twice libconfig's
 * own parse time): every look-up goes through the engine's hashed find
 * functions, and "the same item twice in a list" is found with a stamped
 * mark array indexed by id, so nothing here is quadratic.
 */
#include "accessdesk/policy.h"
#include "accessdesk/fields.h"
#include "accessdesk/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define QUOTE_MAX_CHARS 60 /* values quoted in messages are cut here */
#define QUOTE_BUF       (QUOTE_MAX_CHARS * 6 + 8)
#define QUOTE_SLOTS     4

/* ---- loader state ----------------------------------------------------- */

/* The top-level sections, in the order of the format. */
enum section {
	SEC_ORGANISATIONS,
	SEC_ROLES,
	SEC_CLUSTERS,
	SEC_STUDIES,
	SEC_SETTINGS,
	SEC_USERS,
	SEC_STUDY_ACCESS,
	SEC_ASSERTIONS,
	SEC_COUNT
};

struct loader {
	const char *file; /* as given: used where libconfig names none */
	const char *dir;  /* the file's directory: @include is relative to it */
	struct engine_world *w;
	struct policy *p;
	char *err;
	size_t errlen;
	const config_setting_t *sec[SEC_COUNT]; /* NULL when absent */

	/* The first id of each kind that this file defines: lower ids were
	 * in the world before (policy_load_into). The i-th element of a
	 * section defines id base + i, which finds the line of a first
	 * definition without keeping a table of lines. */
	int org_base, role_base, cluster_base, study_base, user_base;

	/* "The same item twice": mark[id] == stamp when id was already seen
	 * in the list being read. A new list takes a new stamp, so the array
	 * is never cleared. */
	unsigned *mark;
	size_t mark_cap;
	unsigned stamp;

	/* Scratch arrays handed to the engine, reused from entity to entity. */
	int *ids[3];
	size_t ids_cap[3];
	struct engine_site_restriction *sites;
	size_t sites_cap;

	/* Quoted values for messages: a few slots, so one message can quote
	 * several values. */
	char quote[QUOTE_SLOTS][QUOTE_BUF];
	int quote_next;
};

/* ---- errors ----------------------------------------------------------- */

/* The line of a setting's value. libconfig stamps a named setting with the
 * line of its name and a group with the line of its {, which is right; but
 * a scalar item of a list gets the line of the token after it (its parser
 * looks ahead), so in
 *     members = [ "A01AAA",
 *                 "B01BBB"
 *               ];
 * "B01BBB" would be blamed on the "];" line. When the stamped line starts
 * with the token that follows an item (, ] or )), the item is on the
 * nearest line above that holds more than blanks and comments. */
static unsigned value_line(const char *file, const config_setting_t *s)
{
	unsigned line = config_setting_source_line(s), k, best = line;
	const char **starts, *why;
	char *text, *c;

	if (config_setting_name(s) || config_setting_is_aggregate(s) ||
	    line < 2 || !(text = text_file_read(file, NULL, &why)))
		return line;
	starts = malloc((line + 1) * sizeof(*starts));
	if (!starts) {
		free(text);
		return line;
	}
	starts[1] = text;
	for (c = text, k = 2; k <= line && (c = strchr(c, '\n')); k++)
		starts[k] = ++c;
	if (k > line) {
		const char *t = starts[line] + strspn(starts[line], " \t");

		for (k = line - 1; *t && strchr(",])", *t) && k >= 1; k--) {
			const char *u = starts[k] + strspn(starts[k], " \t\r");

			if (*u && *u != '\n' && *u != '#' &&
			    strncmp(u, "//", 2) != 0) {
				best = k;
				break;
			}
		}
	}
	free(starts);
	free(text);
	return best;
}

/* The path to name in a message about `file`, as libconfig names it: an
 * included file is named as the @include wrote it, relative to the
 * including file's directory, so prefix that directory. */
static const char *message_path(const struct loader *ld, const char *file,
                                char *buf, size_t len)
{
	if (!file)
		return ld->file;
	if (strcmp(file, ld->file) == 0 || file[0] == '/' || !ld->dir)
		return file;
	snprintf(buf, len, "%s/%s", ld->dir, file);
	return buf;
}

/* Writes "FILE:LINE: message" and returns false. */
__attribute__((format(printf, 4, 0))) static bool
vfail_at(struct loader *ld, const char *file, unsigned line, const char *fmt,
         va_list ap)
{
	int n;

	if (!ld->err || ld->errlen == 0)
		return false;
	n = snprintf(ld->err, ld->errlen, "%s:%u: ", file, line);
	if (n < 0 || (size_t)n >= ld->errlen)
		return false;
	vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
	return false;
}

static bool fail_at(struct loader *ld, const char *file, unsigned line,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static bool fail_at(struct loader *ld, const char *file, unsigned line,
                    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ld, file, line, fmt, ap);
	va_end(ap);
	return false;
}

/* Writes "FILE:LINE: message" for the setting `at` and returns false, so
 * that a check reads `return fail(...)`. */
__attribute__((format(printf, 3, 4))) static bool
fail(struct loader *ld, const config_setting_t *at, const char *fmt, ...)
{
	char buf[4096];
	const char *file;
	va_list ap;

	if (!ld->err || ld->errlen == 0)
		return false;
	file = message_path(ld, at ? config_setting_source_file(at) : NULL, buf,
	                    sizeof(buf));
	va_start(ap, fmt);
	vfail_at(ld, file, at ? value_line(file, at) : 0, fmt, ap);
	va_end(ap);
	return false;
}

/* An error with no line: the file itself could not be read. */
static bool fail_file(struct loader *ld, const char *what)
{
	if (ld->err && ld->errlen > 0)
		snprintf(ld->err, ld->errlen, "%s: %s", ld->file, what);
	return false;
}

/* An engine refusal that the checks above it should have caught; the
 * engine's own message is the best we have. */
static bool fail_engine(struct loader *ld, const config_setting_t *at,
                        const char *what, enum engine_err e)
{
	if (e == ENGINE_ENOMEM)
		return fail(ld, at, "out of memory");
	return fail(ld, at, "%s: %s", what, engine_strerror(e));
}

/* ---- UTF-8 and quoting ------------------------------------------------ */

/* Returns s quoted for a message: in double quotes, control characters
 * and bytes that are not UTF-8 escaped, cut after QUOTE_MAX_CHARS. Messages
 * go to a terminal: a hostile value must not reach it raw. */
static const char *q(struct loader *ld, const char *s)
{
	char *buf = ld->quote[ld->quote_next];
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, left = strlen(s), len;
	int chars = 0;

	ld->quote_next = (ld->quote_next + 1) % QUOTE_SLOTS;
	buf[o++] = '"';
	for (; *u; left -= len, u += len) {
		long cp = field_utf8_decode(u, left, &len);

		if (chars++ == QUOTE_MAX_CHARS) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (cp == '\t' || cp == '\n' || cp == '\r') {
			/* the escapes libconfig itself reads */
			buf[o++] = '\\';
			buf[o++] = cp == '\t' ? 't' : cp == '\n' ? 'n' : 'r';
		} else if (cp < 0 || field_is_control(cp)) {
			/* \xNN for a stray byte, \u for a C1 code point */
			if (cp < 0x80)
				o += (size_t)snprintf(buf + o, 7, "\\x%02x",
				                      (unsigned)*u);
			else
				o += (size_t)snprintf(buf + o, 7, "\\u%04x",
				                      (unsigned)cp);
		} else {
			if (*u == '"' || *u == '\\')
				buf[o++] = '\\';
			memcpy(buf + o, u, len);
			o += len;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* ---- types ------------------------------------------------------------ */

/* "an integer", "a list", ...: what a setting is, for type errors. */
static const char *type_noun(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "true or false";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	default:
		return "nothing";
	}
}

static bool want_string(struct loader *ld, const config_setting_t *s,
                        const char **out)
{
	*out = "";
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(ld, s, "%s must be a string, not %s",
		            config_setting_name(s), type_noun(s));
	*out = config_setting_get_string(s);
	return true;
}

/* An optional boolean: *out is left alone when s is NULL. */
static bool want_bool(struct loader *ld, const config_setting_t *s, bool *out)
{
	if (!s)
		return true;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(ld, s, "%s must be true or false, not %s",
		            config_setting_name(s), type_noun(s));
	*out = config_setting_get_bool(s) != 0;
	return true;
}

/* A list of strings: written [ "a", "b" ] (an array) or ( "a", "b" ). */
static bool want_string_list(struct loader *ld, const config_setting_t *s)
{
	int i, n;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST)
		return fail(ld, s,
		            "%s must be a list [ ... ] of strings, not %s",
		            config_setting_name(s), type_noun(s));
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return fail(ld, e,
			            "each item of %s must be a string, not %s",
			            config_setting_name(s), type_noun(e));
	}
	return true;
}

/* A list of groups: ( { ... }, { ... } ); an empty [ ] is accepted too.
 * The elements are checked one by one by read_group(). */
static bool want_group_list(struct loader *ld, const config_setting_t *s)
{
	if (config_setting_type(s) != CONFIG_TYPE_LIST &&
	    config_setting_type(s) != CONFIG_TYPE_ARRAY)
		return fail(ld, s, "%s must be a list ( { ... }, ... ), not %s",
		            config_setting_name(s), type_noun(s));
	return true;
}

/* ---- groups and their keys -------------------------------------------- */

/* The keys a group may hold. f[] receives the member for each key, NULL
 * when absent; `required` is a bit mask over the key indexes. */
struct keyset {
	const char *what; /* "organisation": the group, in messages */
	const char *const *keys;
	int n_keys;
	unsigned required;
};

static bool unknown_key(struct loader *ld, const config_setting_t *m,
                        const struct keyset *ks)
{
	const char *name = config_setting_name(m);
	const char *best = text_nearest(name, ks->keys, (size_t)ks->n_keys);

	if (best)
		return fail(ld, m,
		            "unknown key %s in %s (did you mean \"%s\"?)",
		            q(ld, name), ks->what, best);
	return fail(ld, m, "unknown key %s in %s", q(ld, name), ks->what);
}

/* Checks that g is a group holding only keys of ks, all the required ones
 * among them, and fills f[]. One pass over the members: the look-ups that
 * follow cost nothing. */
static bool read_group(struct loader *ld, const config_setting_t *g,
                       const struct keyset *ks, const config_setting_t **f)
{
	int i, k, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		const config_setting_t *parent = config_setting_parent(g);
		const char *in = parent ? config_setting_name(parent) : NULL;

		return fail(ld, g,
		            "each item of %s must be a group { ... }, "
		            "not %s",
		            in ? in : ks->what, type_noun(g));
	}
	for (k = 0; k < ks->n_keys; k++)
		f[k] = NULL;
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(g, i);
		const char *name = config_setting_name(m);

		for (k = 0; k < ks->n_keys; k++)
			if (strcmp(name, ks->keys[k]) == 0)
				break;
		if (k == ks->n_keys)
			return unknown_key(ld, m, ks);
		f[k] = m;
	}
	for (k = 0; k < ks->n_keys; k++)
		if ((ks->required & (1u << k)) && !f[k])
			return fail(ld, g, "%s is missing required key \"%s\"",
			            ks->what, ks->keys[k]);
	return true;
}

#define KEYSET(what, keys, required)                                           \
	{                                                                      \
		what, keys, (int)(sizeof(keys) / sizeof(keys[0])), required    \
	}
#define REQ(k) (1u << (k))

/* ---- formats ---------------------------------------------------------- */

/* A string against its row of the one table of field rules (fields.h):
 * "KEY "VALUE" PHRASE", the phrase naming the rule it breaks; for emails
 * and phones "KEY "VALUE" is not a plausible ...: PHRASE". A file holds
 * no control characters, in names neither. */
static bool check_field(struct loader *ld, const config_setting_t *s,
                        enum field f)
{
	const char *v = config_setting_get_string(s);
	const char *key = config_setting_name(s);
	char why[256];

	switch (field_fault(f, v, FIELD_NO_CONTROL, why, sizeof(why))) {
	case FIELD_FAULT_NONE:
		return true;
	case FIELD_FAULT_EMPTY:
		return fail(ld, s, "%s must not be empty", key);
	default:
		if (field_rules[f].noun)
			return fail(ld, s, "%s %s is not %s: %s", key, q(ld, v),
			            field_rules[f].noun, why);
		return fail(ld, s, "%s %s %s", key, q(ld, v), why);
	}
}

/* A string that follows field f's rule. */
static bool read_field(struct loader *ld, const config_setting_t *s,
                       enum field f, const char **out)
{
	return want_string(ld, s, out) && check_field(ld, s, f);
}

/* An optional one: *out is left alone when s is NULL. */
static bool read_optional(struct loader *ld, const config_setting_t *s,
                          enum field f, const char **out)
{
	return !s || read_field(ld, s, f, out);
}

/* ---- lists of references ---------------------------------------------- */

static bool mark_reserve(struct loader *ld, int n)
{
	if ((size_t)n > ld->mark_cap) {
		size_t cap = ld->mark_cap ? ld->mark_cap : 64;
		unsigned *m;

		while (cap < (size_t)n)
			cap *= 2;
		m = realloc(ld->mark, cap * sizeof(*m));
		if (!m)
			return false;
		memset(m + ld->mark_cap, 0, (cap - ld->mark_cap) * sizeof(*m));
		ld->mark = m;
		ld->mark_cap = cap;
	}
	return true;
}

/* Starts a list of ids below n; false on allocation failure. */
static bool list_begin(struct loader *ld, int n)
{
	if (!mark_reserve(ld, n))
		return false;
	if (++ld->stamp == 0) { /* wrapped: old stamps could collide */
		memset(ld->mark, 0, ld->mark_cap * sizeof(*ld->mark));
		ld->stamp = 1;
	}
	return true;
}

/* Has id been seen in the current list? Marks it if not. */
static bool seen_twice(struct loader *ld, int id)
{
	if (ld->mark[id] == ld->stamp)
		return true;
	ld->mark[id] = ld->stamp;
	return false;
}

static int *scratch_ids(struct loader *ld, int slot, int n)
{
	if ((size_t)n > ld->ids_cap[slot]) {
		int *v = realloc(ld->ids[slot], (size_t)n * sizeof(*v));

		if (!v)
			return NULL;
		ld->ids[slot] = v;
		ld->ids_cap[slot] = (size_t)n;
	}
	return ld->ids[slot];
}

/* What a list refers to: how to find an item, and its name in messages. */
struct ref_kind {
	const char *noun; /* "organisation" */
	int (*find)(const struct engine_world *w, const char *key);
	int (*count)(const struct engine_world *w);
};

static const struct ref_kind REF_ORG = {"organisation", engine_org_find,
                                        engine_n_orgs};
static const struct ref_kind REF_ROLE = {"role", engine_role_find,
                                         engine_n_roles};
static const struct ref_kind REF_CLUSTER = {"cluster", engine_cluster_find,
                                            engine_n_clusters};
static const struct ref_kind REF_STUDY = {"study", engine_study_find,
                                          engine_n_studies};
static const struct ref_kind REF_USER = {"user", engine_user_find,
                                         engine_n_users};

/* A single reference: a string naming an existing entity. */
static bool read_ref(struct loader *ld, const config_setting_t *s,
                     const struct ref_kind *kind, int *id)
{
	const char *v;

	if (!want_string(ld, s, &v))
		return false;
	*id = kind->find(ld->w, v);
	if (*id < 0)
		return fail(ld, s, "unknown %s %s in %s", kind->noun, q(ld, v),
		            config_setting_name(s));
	return true;
}

/* A list of references (s may be NULL: an absent list is empty). Resolves
 * every item into scratch slot `slot`, refusing unknown items and the same
 * item twice. *out and *n receive the ids. */
static bool read_refs(struct loader *ld, const config_setting_t *s,
                      const struct ref_kind *kind, int slot, int **out, int *n)
{
	int i, len, *ids;

	*n = 0;
	*out = NULL;
	if (!s)
		return true;
	if (!want_string_list(ld, s))
		return false;
	len = config_setting_length(s);
	ids = scratch_ids(ld, slot, len);
	if ((len && !ids) || !list_begin(ld, kind->count(ld->w)))
		return fail(ld, s, "out of memory");
	for (i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *v = config_setting_get_string(e);
		int id = kind->find(ld->w, v);

		if (id < 0)
			return fail(ld, e, "unknown %s %s in %s", kind->noun,
			            q(ld, v), config_setting_name(s));
		if (seen_twice(ld, id))
			return fail(ld, e, "%s %s appears twice in %s",
			            kind->noun, q(ld, v),
			            config_setting_name(s));
		ids[i] = id;
	}
	*out = ids;
	*n = len;
	return true;
}

/* "first at line N" for a key defined twice in this file, "already
 * exists" for one that the world held before (policy_load_into). */
static bool fail_duplicate(struct loader *ld, const config_setting_t *at,
                           const char *what, const char *value, int id,
                           int base, enum section sec)
{
	if (id < base)
		return fail(ld, at, "%s %s already exists", what, q(ld, value));
	return fail(ld, at, "duplicate %s %s (first at line %u)", what,
	            q(ld, value),
	            config_setting_source_line(
	                config_setting_get_elem(ld->sec[sec], id - base)));
}

/* ---- organisations ---------------------------------------------------- */

enum { ORG_CODE, ORG_NAME, ORG_PARENT, ORG_SITE };
static const char *const org_keys[] = {"code", "name", "parent", "site"};
static const struct keyset org_ks =
    KEYSET("organisation", org_keys, REQ(ORG_CODE) | REQ(ORG_NAME));

/* Pass 1: every organisation, so that parents may point forwards. */
static bool load_orgs(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_ORGANISATIONS];
	int i, n = list ? config_setting_length(list) : 0;

	ld->org_base = engine_n_orgs(ld->w);
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const config_setting_t *f[4];
		const char *code, *name, *parent;
		bool is_site = false;
		enum engine_err e;
		int id;

		/* The parent is only type-checked here: pass 2 resolves it. */
		if (!read_group(ld, g, &org_ks, f) ||
		    !read_field(ld, f[ORG_CODE], FIELD_ORG_CODE, &code))
			return false;
		id = engine_org_find(ld->w, code);
		if (id >= 0)
			return fail_duplicate(ld, f[ORG_CODE],
			                      "organisation code", code, id,
			                      ld->org_base, SEC_ORGANISATIONS);
		if (!read_field(ld, f[ORG_NAME], FIELD_ORG_NAME, &name) ||
		    !want_bool(ld, f[ORG_SITE], &is_site) ||
		    (f[ORG_PARENT] && !want_string(ld, f[ORG_PARENT], &parent)))
			return false;
		e = engine_org_add(ld->w, code, name, is_site, NULL);
		if (e != ENGINE_OK)
			return fail_engine(ld, g, "organisation", e);
	}
	return true;
}

/* Pass 2: the parent links, refused at the link that closes a cycle. */
static bool load_parents(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_ORGANISATIONS];
	int i, n = list ? config_setting_length(list) : 0, bad = -1;
	enum engine_err e;

	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const config_setting_t *ps =
		    config_setting_get_member(g, "parent");
		int org = ld->org_base + i, parent;

		if (!ps)
			continue;
		if (!read_ref(ld, ps, &REF_ORG, &parent))
			return false;
		e = engine_org_set_parent(ld->w, org, parent);
		if (e == ENGINE_ECYCLE)
			return fail(ld, ps,
			            "organisation %s: parent link makes a "
			            "cycle (parent %s)",
			            q(ld, engine_org(ld->w, org)->code),
			            q(ld, config_setting_get_string(ps)));
		if (e != ENGINE_OK)
			return fail_engine(ld, ps, "parent", e);
	}
	if (n == 0 && engine_world_indexed(ld->w))
		return true;
	e = engine_world_index(ld->w, &bad);
	if (e == ENGINE_ECYCLE) /* should have been refused link by link */
		return fail(ld, list,
		            "organisations: parent links make a cycle");
	if (e != ENGINE_OK)
		return fail_engine(ld, list, "organisations", e);
	return true;
}

/* ---- roles ------------------------------------------------------------ */

enum { ROLE_NAME, ROLE_DOMAIN, ROLE_REACH, ROLE_ACTIONS };
static const char *const role_keys[] = {"name", "domain", "reach", "actions"};
static const struct keyset role_ks = KEYSET(
    "role", role_keys, REQ(ROLE_NAME) | REQ(ROLE_DOMAIN) | REQ(ROLE_ACTIONS));

static bool read_role_actions(struct loader *ld, const config_setting_t *s,
                              const char *role, enum engine_domain domain,
                              engine_actions *out)
{
	int i, n;

	*out = 0;
	if (!want_string_list(ld, s))
		return false;
	n = config_setting_length(s);
	if (n == 0)
		return fail(ld, s, "actions of role %s must not be empty",
		            q(ld, role));
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *v = config_setting_get_string(e);
		int a = engine_action_find(v);

		if (a < 0)
			return fail(ld, e, "unknown action %s in actions",
			            q(ld, v));
		if (engine_action_domain(a) != domain)
			return fail(ld, e,
			            "action %s in actions is of the %s "
			            "domain; role %s is of the %s domain",
			            q(ld, v),
			            engine_domain_name(engine_action_domain(a)),
			            q(ld, role), engine_domain_name(domain));
		if (*out & ENGINE_ACT(a))
			return fail(ld, e, "action %s appears twice in actions",
			            q(ld, v));
		*out |= ENGINE_ACT(a);
	}
	return true;
}

static bool load_roles(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_ROLES];
	int i, n = list ? config_setting_length(list) : 0;

	ld->role_base = engine_n_roles(ld->w);
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const config_setting_t *f[4];
		const char *name, *domain, *reach;
		enum engine_domain d;
		enum engine_reach r = REACH_SUBTREE;
		engine_actions actions;
		enum engine_err e;
		int id;

		if (!read_group(ld, g, &role_ks, f) ||
		    !read_field(ld, f[ROLE_NAME], FIELD_ROLE_NAME, &name))
			return false;
		id = engine_role_find(ld->w, name);
		if (id >= 0 && engine_role(ld->w, id)->builtin)
			return fail(ld, f[ROLE_NAME],
			            "role name %s is a built-in role's name",
			            q(ld, name));
		if (id >= 0)
			return fail_duplicate(ld, f[ROLE_NAME], "role name",
			                      name, id, ld->role_base,
			                      SEC_ROLES);
		if (!want_string(ld, f[ROLE_DOMAIN], &domain))
			return false;
		if (strcmp(domain, "organisation") == 0)
			d = DOMAIN_ORGANISATION;
		else if (strcmp(domain, "study") == 0)
			d = DOMAIN_STUDY;
		else
			return fail(ld, f[ROLE_DOMAIN],
			            "domain %s must be \"organisation\" or "
			            "\"study\"",
			            q(ld, domain));
		if (f[ROLE_REACH]) {
			if (!want_string(ld, f[ROLE_REACH], &reach))
				return false;
			if (d == DOMAIN_STUDY)
				return fail(ld, f[ROLE_REACH],
				            "reach %s on study role %s: reach "
				            "is for organisation roles only",
				            q(ld, reach), q(ld, name));
			if (strcmp(reach, "subtree") == 0)
				r = REACH_SUBTREE;
			else if (strcmp(reach, "organisation") == 0)
				r = REACH_ORGANISATION;
			else
				return fail(ld, f[ROLE_REACH],
				            "reach %s must be \"subtree\" or "
				            "\"organisation\"",
				            q(ld, reach));
		}
		if (!read_role_actions(ld, f[ROLE_ACTIONS], name, d, &actions))
			return false;
		e = engine_role_add(ld->w, name, d, r, actions, NULL);
		if (e != ENGINE_OK)
			return fail_engine(ld, g, "role", e);
	}
	return true;
}

/* ---- clusters --------------------------------------------------------- */

enum { CL_SHORT_NAME, CL_NAME, CL_DESCRIPTION, CL_OWNER, CL_MEMBERS };
static const char *const cluster_keys[] = {"short_name", "name", "description",
                                           "owner", "members"};
static const struct keyset cluster_ks = KEYSET(
    "cluster", cluster_keys, REQ(CL_SHORT_NAME) | REQ(CL_NAME) | REQ(CL_OWNER));

static bool load_clusters(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_CLUSTERS];
	int i, n = list ? config_setting_length(list) : 0;

	ld->cluster_base = engine_n_clusters(ld->w);
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const config_setting_t *f[5];
		const char *short_name, *name, *desc;
		const struct engine_org *owner_org;
		int id, owner, *members, n_members, k;
		enum engine_err e;

		if (!read_group(ld, g, &cluster_ks, f) ||
		    !read_field(ld, f[CL_SHORT_NAME], FIELD_SHORT_NAME,
		                &short_name))
			return false;
		id = engine_cluster_find(ld->w, short_name);
		if (id >= 0)
			return fail_duplicate(
			    ld, f[CL_SHORT_NAME], "cluster short_name",
			    short_name, id, ld->cluster_base, SEC_CLUSTERS);
		if (!read_field(ld, f[CL_NAME], FIELD_CLUSTER_NAME, &name) ||
		    !read_optional(ld, f[CL_DESCRIPTION],
		                   FIELD_CLUSTER_DESCRIPTION, &desc))
			return false;
		if (!read_ref(ld, f[CL_OWNER], &REF_ORG, &owner) ||
		    !read_refs(ld, f[CL_MEMBERS], &REF_ORG, 0, &members,
		               &n_members))
			return false;
		/* a name is unique among the owner's clusters, either case
		 * (the schema's clusters_owner_name) */
		for (k = 0; k < engine_n_clusters(ld->w); k++)
			if (engine_cluster(ld->w, k)->owner == owner &&
			    strcasecmp(engine_cluster(ld->w, k)->name, name) ==
			        0)
				return fail_duplicate(
				    ld, f[CL_NAME], "cluster name of the owner",
				    name, k, ld->cluster_base, SEC_CLUSTERS);
		owner_org = engine_org(ld->w, owner);
		for (k = 0; k < n_members; k++) {
			const struct engine_org *m =
			    engine_org(ld->w, members[k]);

			if (members[k] == owner ||
			    !engine_in_subtree_pre(m, owner_org))
				return fail(
				    ld,
				    config_setting_get_elem(f[CL_MEMBERS], k),
				    "member %s of cluster %s is not a "
				    "strict descendant of its owner %s",
				    q(ld, m->code), q(ld, short_name),
				    q(ld, owner_org->code));
		}
		e = engine_cluster_add(ld->w, short_name, name, owner, members,
		                       n_members, NULL);
		if (e != ENGINE_OK)
			return fail_engine(ld, g, "cluster", e);
	}
	return true;
}

/* ---- studies ---------------------------------------------------------- */

enum { ST_CODE, ST_NAME, ST_SITE };
static const char *const study_keys[] = {"code", "name", "site"};
static const struct keyset study_ks =
    KEYSET("study", study_keys, REQ(ST_CODE) | REQ(ST_NAME) | REQ(ST_SITE));

static bool load_studies(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_STUDIES];
	int i, n = list ? config_setting_length(list) : 0;

	ld->study_base = engine_n_studies(ld->w);
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const config_setting_t *f[3];
		const char *code, *name;
		int id, site;
		enum engine_err e;

		if (!read_group(ld, g, &study_ks, f) ||
		    !read_field(ld, f[ST_CODE], FIELD_STUDY_CODE, &code))
			return false;
		id = engine_study_find(ld->w, code);
		if (id >= 0)
			return fail_duplicate(ld, f[ST_CODE], "study code",
			                      code, id, ld->study_base,
			                      SEC_STUDIES);
		if (!read_field(ld, f[ST_NAME], FIELD_STUDY_NAME, &name) ||
		    !read_ref(ld, f[ST_SITE], &REF_ORG, &site))
			return false;
		if (!engine_org(ld->w, site)->is_site)
			return fail(
			    ld, f[ST_SITE],
			    "site %s of study %s is not a site "
			    "(its organisation lacks site = true)",
			    q(ld, config_setting_get_string(f[ST_SITE])),
			    q(ld, code));
		e = engine_study_add(ld->w, code, name, site, NULL);
		if (e != ENGINE_OK)
			return fail_engine(ld, g, "study", e);
	}
	return true;
}

/* ---- users ------------------------------------------------------------ */

enum {
	U_LOGIN,
	U_TITLE,
	U_FIRST_NAME,
	U_LAST_NAME,
	U_EMAIL,
	U_WORK_PHONE,
	U_MOBILE_PHONE,
	U_ENABLED,
	U_ACCESS,
	U_ROLES,
	U_SITES,
	U_STUDIES
};
static const char *const user_keys[] = {
    "login",        "title",   "first_name", "last_name", "email", "work_phone",
    "mobile_phone", "enabled", "access",     "roles",     "sites", "studies"};
static const struct keyset user_ks =
    KEYSET("user", user_keys,
           REQ(U_LOGIN) | REQ(U_FIRST_NAME) | REQ(U_LAST_NAME) | REQ(U_EMAIL) |
               REQ(U_WORK_PHONE));

enum { G_ORG, G_ROLES, G_PAYMENT_TYPES, G_CLUSTERS };
static const char *const grant_keys[] = {"org", "roles", "payment_types",
                                         "clusters"};
static const struct keyset grant_ks = KEYSET(
    "organisation access (grant)", grant_keys, REQ(G_ORG) | REQ(G_ROLES));

enum { SR_SITE, SR_RECRUITMENT_ONLY };
static const char *const site_keys[] = {"site", "recruitment_only"};
static const struct keyset site_ks =
    KEYSET("site restriction", site_keys, REQ(SR_SITE));

/* The line of the grant of `user` at `org` among the user's access list,
 * for the message about a second one. Only on the error path. */
static unsigned grant_line(const struct loader *ld,
                           const config_setting_t *access, int org, int upto)
{
	int i;

	for (i = 0; i < upto; i++) {
		const config_setting_t *g = config_setting_get_elem(access, i);
		const config_setting_t *o = config_setting_get_member(g, "org");

		if (engine_org_find(ld->w, config_setting_get_string(o)) == org)
			return config_setting_source_line(o);
	}
	return 0;
}

static bool read_payments(struct loader *ld, const config_setting_t *s,
                          engine_payments *out)
{
	int i, n;

	*out = 0;
	if (!s)
		return true;
	if (!want_string_list(ld, s))
		return false;
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		const char *v = config_setting_get_string(e);
		int pay = engine_payment_find(v);

		if (pay < 0)
			return fail(ld, e,
			            "unknown payment type %s in %s (QOF, "
			            "GPES, DES, CC, VAC, LES)",
			            q(ld, v), config_setting_name(s));
		if (*out & ENGINE_PAY(pay))
			return fail(ld, e,
			            "payment type %s appears twice in %s",
			            q(ld, v), config_setting_name(s));
		*out |= ENGINE_PAY(pay);
	}
	return true;
}

static bool load_grant(struct loader *ld, int user,
                       const config_setting_t *access, int index)
{
	const config_setting_t *g = config_setting_get_elem(access, index);
	const config_setting_t *f[4];
	const struct engine_org *org_rec;
	int org, *roles, n_roles, *clusters, n_clusters, k;
	engine_payments pays;
	enum engine_err e;

	if (!read_group(ld, g, &grant_ks, f) ||
	    !read_ref(ld, f[G_ORG], &REF_ORG, &org))
		return false;
	org_rec = engine_org(ld->w, org);
	if (engine_grant_find(ld->w, user, org) >= 0)
		return fail(ld, f[G_ORG],
		            "user %s has two grants at organisation %s "
		            "(first at line %u)",
		            q(ld, engine_user(ld->w, user)->login),
		            q(ld, org_rec->code),
		            grant_line(ld, access, org, index));
	if (!read_refs(ld, f[G_ROLES], &REF_ROLE, 0, &roles, &n_roles))
		return false;
	if (n_roles == 0)
		return fail(ld, f[G_ROLES],
		            "roles of a grant must not be empty (grant at %s)",
		            q(ld, org_rec->code));
	for (k = 0; k < n_roles; k++) {
		const struct engine_role *r = engine_role(ld->w, roles[k]);

		if (r->domain != DOMAIN_ORGANISATION)
			return fail(ld, config_setting_get_elem(f[G_ROLES], k),
			            "role %s in roles of a grant is a study "
			            "role; a grant takes organisation roles",
			            q(ld, r->name));
	}
	if (!read_payments(ld, f[G_PAYMENT_TYPES], &pays) ||
	    !read_refs(ld, f[G_CLUSTERS], &REF_CLUSTER, 1, &clusters,
	               &n_clusters))
		return false;
	for (k = 0; k < n_clusters; k++) {
		const struct engine_cluster *c =
		    engine_cluster(ld->w, clusters[k]);

		if (c->owner != org)
			return fail(ld,
			            config_setting_get_elem(f[G_CLUSTERS], k),
			            "cluster %s in clusters is owned by %s, "
			            "not by the grant's organisation %s",
			            q(ld, c->short_name),
			            q(ld, engine_org(ld->w, c->owner)->code),
			            q(ld, org_rec->code));
	}
	e = engine_grant_add(ld->w, user, org, roles, n_roles, pays, clusters,
	                     n_clusters, NULL);
	if (e != ENGINE_OK)
		return fail_engine(ld, g, "grant", e);
	return true;
}

static bool read_sites(struct loader *ld, const config_setting_t *s, int *n)
{
	int i, len;

	*n = 0;
	if (!s)
		return true;
	if (!want_group_list(ld, s))
		return false;
	len = config_setting_length(s);
	if ((size_t)len > ld->sites_cap) {
		struct engine_site_restriction *v =
		    realloc(ld->sites, (size_t)len * sizeof(*v));

		if (!v)
			return fail(ld, s, "out of memory");
		ld->sites = v;
		ld->sites_cap = (size_t)len;
	}
	if (!list_begin(ld, engine_n_orgs(ld->w)))
		return fail(ld, s, "out of memory");
	for (i = 0; i < len; i++) {
		const config_setting_t *g = config_setting_get_elem(s, i);
		const config_setting_t *f[2];
		bool recruitment_only = false;
		const char *code;
		int site;

		if (!read_group(ld, g, &site_ks, f) ||
		    !read_ref(ld, f[SR_SITE], &REF_ORG, &site) ||
		    !want_bool(ld, f[SR_RECRUITMENT_ONLY], &recruitment_only))
			return false;
		code = config_setting_get_string(f[SR_SITE]);
		if (!engine_org(ld->w, site)->is_site)
			return fail(ld, f[SR_SITE],
			            "site %s of a site restriction is not a "
			            "site (its organisation lacks site = true)",
			            q(ld, code));
		if (seen_twice(ld, site))
			return fail(ld, f[SR_SITE],
			            "site %s appears twice in sites",
			            q(ld, code));
		ld->sites[i].site = site;
		ld->sites[i].recruitment_only = recruitment_only;
	}
	*n = len;
	return true;
}

static bool load_profile(struct loader *ld, int user,
                         const config_setting_t **f)
{
	int *roles, n_roles, *studies, n_studies, n_sites, k;
	enum engine_err e;

	if (!read_refs(ld, f[U_ROLES], &REF_ROLE, 0, &roles, &n_roles))
		return false;
	for (k = 0; k < n_roles; k++) {
		const struct engine_role *r = engine_role(ld->w, roles[k]);

		if (r->domain != DOMAIN_STUDY)
			return fail(ld, config_setting_get_elem(f[U_ROLES], k),
			            "role %s in a user's roles is an "
			            "organisation role; profile roles are "
			            "study roles (organisation roles go in "
			            "access)",
			            q(ld, r->name));
	}
	if (!read_sites(ld, f[U_SITES], &n_sites) ||
	    !read_refs(ld, f[U_STUDIES], &REF_STUDY, 2, &studies, &n_studies))
		return false;
	if (n_roles + n_sites + n_studies == 0)
		return true;
	e = engine_user_set_profile(ld->w, user, roles, n_roles, ld->sites,
	                            n_sites, studies, n_studies);
	if (e != ENGINE_OK)
		return fail_engine(ld, config_setting_parent(f[U_LOGIN]),
		                   "study profile", e);
	return true;
}

/* Checks the contact details, which the engine does not keep (the store
 * reads them from the parsed file). */
static bool check_contact(struct loader *ld, const config_setting_t **f)
{
	const char *v;

	return read_optional(ld, f[U_TITLE], FIELD_TITLE, &v) &&
	       read_field(ld, f[U_EMAIL], FIELD_EMAIL, &v) &&
	       read_field(ld, f[U_WORK_PHONE], FIELD_WORK_PHONE, &v) &&
	       read_optional(ld, f[U_MOBILE_PHONE], FIELD_MOBILE_PHONE, &v);
}

static bool load_users(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_USERS];
	int i, n = list ? config_setting_length(list) : 0;

	ld->user_base = engine_n_users(ld->w);
	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const config_setting_t *f[12];
		const char *login, *first, *last;
		bool enabled = true;
		enum engine_err e;
		int id, k, n_access;

		if (!read_group(ld, g, &user_ks, f) ||
		    !read_field(ld, f[U_LOGIN], FIELD_LOGIN, &login))
			return false;
		id = engine_user_find(ld->w, login);
		if (id >= 0)
			return fail_duplicate(ld, f[U_LOGIN], "login", login,
			                      id, ld->user_base, SEC_USERS);
		if (!read_field(ld, f[U_FIRST_NAME], FIELD_FIRST_NAME,
		                &first) ||
		    !read_field(ld, f[U_LAST_NAME], FIELD_LAST_NAME, &last) ||
		    !check_contact(ld, f) ||
		    !want_bool(ld, f[U_ENABLED], &enabled))
			return false;
		if (f[U_ACCESS] && !want_group_list(ld, f[U_ACCESS]))
			return false;
		e = engine_user_add(ld->w, login, first, last, enabled, &id);
		if (e != ENGINE_OK)
			return fail_engine(ld, g, "user", e);
		n_access = f[U_ACCESS] ? config_setting_length(f[U_ACCESS]) : 0;
		for (k = 0; k < n_access; k++)
			if (!load_grant(ld, id, f[U_ACCESS], k))
				return false;
		if (!load_profile(ld, id, f))
			return false;
	}
	return true;
}

/* ---- settings --------------------------------------------------------- */

enum { SET_SITES, SET_STUDIES };
static const char *const settings_keys[] = {"require_site_restrictions",
                                            "require_study_restrictions"};
static const struct keyset settings_ks = KEYSET("settings", settings_keys, 0);

/* Changes the switches the file names and no others (db load relies on
 * this; a new world starts with both off). */
static bool load_settings(struct loader *ld)
{
	const config_setting_t *s = ld->sec[SEC_SETTINGS];
	struct engine_settings *set = engine_settings(ld->w);
	const config_setting_t *f[2];

	if (!s)
		return true;
	if (config_setting_type(s) != CONFIG_TYPE_GROUP)
		return fail(ld, s, "settings must be a group { ... }, not %s",
		            type_noun(s));
	return read_group(ld, s, &settings_ks, f) &&
	       want_bool(ld, f[SET_SITES], &set->require_site_restrictions) &&
	       want_bool(ld, f[SET_STUDIES], &set->require_study_restrictions);
}

/* ---- study access ----------------------------------------------------- */

enum { SA_STUDY, SA_USER, SA_ROLE };
static const char *const entry_keys[] = {"study", "user", "role"};
static const struct keyset entry_ks =
    KEYSET("study access entry", entry_keys, REQ(SA_STUDY) | REQ(SA_USER));

/* The line of the first entry for (study, user) in the file, for the
 * message about a second one; 0 when it came from the world. Only on the
 * error path. */
static unsigned entry_line(const struct loader *ld, int study, int user,
                           int upto)
{
	const config_setting_t *list = ld->sec[SEC_STUDY_ACCESS];
	int i;

	for (i = 0; i < upto; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const char *s = config_setting_get_string(
		    config_setting_get_member(g, "study"));
		const char *u = config_setting_get_string(
		    config_setting_get_member(g, "user"));

		if (engine_study_find(ld->w, s) == study &&
		    engine_user_find(ld->w, u) == user)
			return config_setting_source_line(g);
	}
	return 0;
}

static bool load_entries(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_STUDY_ACCESS];
	int i, n = list ? config_setting_length(list) : 0;

	for (i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, i);
		const config_setting_t *f[3];
		int study, user, role = -1;
		enum engine_err e;
		unsigned first;

		if (!read_group(ld, g, &entry_ks, f) ||
		    !read_ref(ld, f[SA_STUDY], &REF_STUDY, &study) ||
		    !read_ref(ld, f[SA_USER], &REF_USER, &user))
			return false;
		if (f[SA_ROLE]) {
			if (!read_ref(ld, f[SA_ROLE], &REF_ROLE, &role))
				return false;
			if (engine_role(ld->w, role)->domain != DOMAIN_STUDY)
				return fail(
				    ld, f[SA_ROLE],
				    "role %s of a study access entry is "
				    "an organisation role; it must be "
				    "a study role",
				    q(ld, engine_role(ld->w, role)->name));
		}
		/* A role outside the user's profile is accepted: the entry
		 * describes the state after a profile change, and denies. */
		e = engine_entry_add(ld->w, study, user, role);
		if (e == ENGINE_EDUP_ENTRY) {
			first = entry_line(ld, study, user, i);
			if (first)
				return fail(
				    ld, g,
				    "user %s is listed twice for study "
				    "%s (first at line %u)",
				    q(ld, engine_user(ld->w, user)->login),
				    q(ld, engine_study(ld->w, study)->code),
				    first);
			return fail(ld, g,
			            "user %s is already listed for study %s",
			            q(ld, engine_user(ld->w, user)->login),
			            q(ld, engine_study(ld->w, study)->code));
		}
		if (e != ENGINE_OK)
			return fail_engine(ld, g, "study access entry", e);
	}
	return true;
}

/* ---- assertions ------------------------------------------------------- */

enum { AS_USER, AS_ACTION, AS_ORG, AS_STUDY, AS_PAYMENT_TYPE, AS_EXPECT };
static const char *const assertion_keys[] = {"user",  "action",       "org",
                                             "study", "payment_type", "expect"};
static const struct keyset assertion_ks =
    KEYSET("assertion", assertion_keys,
           REQ(AS_USER) | REQ(AS_ACTION) | REQ(AS_EXPECT));

static bool load_assertion(struct loader *ld, const config_setting_t *g,
                           struct policy_assertion *a)
{
	const config_setting_t *f[6];
	const char *action, *expect, *pay;
	enum engine_domain d;

	a->line = 0;
	a->org = a->study = a->payment = -1;
	if (!read_group(ld, g, &assertion_ks, f) ||
	    !read_ref(ld, f[AS_USER], &REF_USER, &a->user) ||
	    !want_string(ld, f[AS_ACTION], &action))
		return false;
	a->line = (int)config_setting_source_line(g);
	a->action = engine_action_find(action);
	if (a->action < 0)
		return fail(ld, f[AS_ACTION], "unknown action %s in action",
		            q(ld, action));
	d = engine_action_domain(a->action);
	if (f[AS_ORG] && f[AS_STUDY])
		return fail(ld, f[AS_STUDY],
		            "assertion names both org and study; it must "
		            "name one");
	if (!f[AS_ORG] && !f[AS_STUDY])
		return fail(ld, g,
		            "assertion is missing required key \"org\" or "
		            "\"study\"");
	if (f[AS_ORG]) {
		if (!read_ref(ld, f[AS_ORG], &REF_ORG, &a->org))
			return false;
		if (d != DOMAIN_ORGANISATION)
			return fail(ld, f[AS_ORG],
			            "action %s is a study action: it takes "
			            "study, not org",
			            q(ld, action));
	} else {
		if (!read_ref(ld, f[AS_STUDY], &REF_STUDY, &a->study))
			return false;
		if (d != DOMAIN_STUDY)
			return fail(ld, f[AS_STUDY],
			            "action %s is an organisation action: it "
			            "takes org, not study",
			            q(ld, action));
	}
	if (f[AS_PAYMENT_TYPE]) {
		if (!want_string(ld, f[AS_PAYMENT_TYPE], &pay))
			return false;
		a->payment = engine_payment_find(pay);
		if (a->payment < 0)
			return fail(ld, f[AS_PAYMENT_TYPE],
			            "unknown payment type %s in payment_type "
			            "(QOF, GPES, DES, CC, VAC, LES)",
			            q(ld, pay));
		if (!(ENGINE_ACT(a->action) & ENGINE_PAYMENT_ACTIONS))
			return fail(
			    ld, f[AS_PAYMENT_TYPE],
			    "payment_type %s goes with achievement.view "
			    "or achievement.declare only, not with %s",
			    q(ld, pay), q(ld, action));
	}
	if (!want_string(ld, f[AS_EXPECT], &expect))
		return false;
	if (strcmp(expect, "allow") == 0)
		a->expect_allow = true;
	else if (strcmp(expect, "deny") == 0)
		a->expect_allow = false;
	else
		return fail(ld, f[AS_EXPECT],
		            "expect %s must be \"allow\" or \"deny\"",
		            q(ld, expect));
	return true;
}

static bool load_assertions(struct loader *ld)
{
	const config_setting_t *list = ld->sec[SEC_ASSERTIONS];
	int i, n = list ? config_setting_length(list) : 0;
	struct policy *p = ld->p;

	if (n == 0)
		return true;
	p->assertions = calloc((size_t)n, sizeof(*p->assertions));
	if (!p->assertions)
		return fail(ld, list, "out of memory");
	for (i = 0; i < n; i++) {
		if (!load_assertion(ld, config_setting_get_elem(list, i),
		                    &p->assertions[i]))
			return false;
		p->n_assertions++;
	}
	return true;
}

/* ---- the bytes, before libconfig ------------------------------------- */

/* libconfig drops a NUL inside a string and the rest of the value with it
 * (name = "N<NUL>HS" loads as "N"), and its parse of a long string is
 * quadratic (a 4 MB string takes seconds). So the bytes of the file, and of
 * each file it @includes, are read first; refused at their line: a raw
 * control character other than tab, newline and carriage return, anywhere
 * (a NUL included); the escape \x00 in a string; a string (with the
 * strings next to it, which libconfig joins into one) longer than the
 * longest field allows. The rest (a \x01 in a name, say) is the loader's,
 * after the parse, which names the key. */

#define INCLUDE_DEPTH_MAX 10 /* libconfig's own */

/* Reading one file's bytes. */
struct scan {
	struct loader *ld;
	const char *shown; /* the file, in messages */
	const unsigned char *t;
	size_t n, i;
	unsigned line, string_line;
	long chars;  /* of the string being read, joined ones included */
	bool joined; /* the last token was a string: a string now joins it */
	bool line_blank; /* only blanks so far on this line */
};

static bool prescan(struct loader *ld, const char *path, const char *shown,
                    int depth);

/* C0 but tab, newline and carriage return; DEL. */
static bool raw_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

static bool refuse_raw(struct scan *s, unsigned char c)
{
	if (c == 0)
		return fail_at(s->ld, s->shown, s->line,
		               "a NUL byte: a policy file is text (libconfig "
		               "would cut a string short there)");
	return fail_at(s->ld, s->shown, s->line,
	               "a raw control character (\\x%02x): only tab, newline "
	               "and carriage return may appear as they are",
	               c);
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* A string, from its opening quote past its closing one. Characters are
 * counted as libconfig will hold them: an escape is one, a UTF-8 sequence
 * one. */
static bool scan_string(struct scan *s)
{
	const long longest = field_longest();
	const unsigned char *t = s->t;

	if (!s->joined) { /* "a" "b" is one string */
		s->chars = 0;
		s->string_line = s->line;
	}
	for (s->i++; s->i < s->n; s->chars++) {
		unsigned char c = t[s->i];

		if (c == '"') {
			s->i++;
			s->joined = true;
			return true;
		}
		if (raw_control(c))
			return refuse_raw(s, c);
		if (c == '\\' && s->i + 1 < s->n) {
			c = t[++s->i]; /* the escaped character */
			if (raw_control(c))
				return refuse_raw(s, c);
			if (c == 'x' && s->i + 2 < s->n &&
			    is_hex(t[s->i + 1]) && is_hex(t[s->i + 2])) {
				if (t[s->i + 1] == '0' && t[s->i + 2] == '0')
					return fail_at(
					    s->ld, s->shown, s->line,
					    "a NUL (\\x00) in a string: "
					    "libconfig would cut the "
					    "string there");
				s->i += 2; /* its last hex digit */
			}
		}
		if (c == '\n')
			s->line++;
		/* the rest of a UTF-8 sequence is the same character */
		while (++s->i < s->n && (t[s->i] & 0xc0) == 0x80)
			;
		if (s->chars >= longest)
			return fail_at(s->ld, s->shown, s->string_line,
			               "a string of more than %ld characters: "
			               "no field is longer",
			               longest);
	}
	return true; /* not closed: libconfig says so */
}

/* A comment, from its start to its end (a line comment's newline is left
 * to the caller). */
static bool scan_comment(struct scan *s, bool block)
{
	for (s->i += block ? 2 : 1; s->i < s->n; s->i++) {
		unsigned char c = s->t[s->i];

		if (raw_control(c))
			return refuse_raw(s, c);
		if (c == '\n') {
			if (!block)
				return true;
			s->line++;
		} else if (block && c == '*' && s->i + 1 < s->n &&
		           s->t[s->i + 1] == '/') {
			s->i += 2;
			return true;
		}
	}
	return true;
}

/* `@include "NAME"` at s->i (the line holding only blanks before it), as
 * libconfig reads it (text_include_name): scans that file (relative names
 * are relative to the including file's directory) and moves past the
 * closing quote. A directive libconfig would refuse is left to it. */
static bool scan_include(struct scan *s, int depth)
{
	char name[2048], buf[4096];
	const char *path, *why;
	unsigned line = s->line;
	size_t end;
	FILE *f;

	if (!text_include_name((const char *)s->t, s->n, s->i, name,
	                       sizeof(name), &end)) {
		s->i++; /* another '@', or no name: libconfig's to judge */
		return true;
	}
	for (; s->i < end; s->i++) /* a name may run over lines */
		if (s->t[s->i] == '\n')
			s->line++;
	path = message_path(s->ld, name, buf, sizeof(buf));
	/* Say where it is included: libconfig would wait on a FIFO. One
	 * that does not exist is libconfig's to report, at this line. */
	if (!(f = text_file_open(path, &why)))
		return errno == ENOENT ||
		       fail_at(s->ld, s->shown, line, "%s: %s", path, why);
	fclose(f);
	return depth >= INCLUDE_DEPTH_MAX ||
	       prescan(s->ld, path, path, depth + 1);
}

/* The bytes of one file; `shown` names it in messages. A file that does
 * not exist is left to libconfig, which says so with the @include's line;
 * one that is no regular file (libconfig would wait on a FIFO) or cannot
 * be read is refused here. */
static bool prescan(struct loader *ld, const char *path, const char *shown,
                    int depth)
{
	struct scan s = {ld, shown, NULL, 0, 0, 1, 0, 0, false, true};
	const char *why;
	char *text = text_file_read(path, &s.n, &why);
	bool ok = true;

	if (!text) {
		if (errno == ENOENT)
			return true;
		if (ld->err && ld->errlen > 0)
			snprintf(ld->err, ld->errlen, "%s: %s", shown, why);
		return false;
	}
	s.t = (const unsigned char *)text;
	while (ok && s.i < s.n) {
		unsigned char c = s.t[s.i];
		bool next_is = s.i + 1 < s.n;

		if (c == '"') {
			ok = scan_string(&s);
			s.line_blank = false;
		} else if (c == '#' ||
		           (c == '/' && next_is && s.t[s.i + 1] == '/')) {
			ok = scan_comment(&s, false);
		} else if (c == '/' && next_is && s.t[s.i + 1] == '*') {
			ok = scan_comment(&s, true);
		} else if (c == '@' && s.line_blank) {
			ok = scan_include(&s, depth);
			s.joined = s.line_blank = false;
		} else if (raw_control(c)) {
			ok = refuse_raw(&s, c);
		} else {
			if (c == '\n') {
				s.line++;
				s.line_blank = true;
			} else if (c != ' ' && c != '\t' && c != '\r') {
				s.joined = s.line_blank = false;
			}
			s.i++;
		}
	}
	free(text);
	return ok;
}

/* ---- the file --------------------------------------------------------- */

static const char *const section_keys[] = {
    "organisations", "roles", "clusters",     "studies",
    "settings",      "users", "study_access", "assertions"};
static const struct keyset section_ks =
    KEYSET("the policy file", section_keys, 0);

static bool load_sections(struct loader *ld)
{
	const config_setting_t *root = config_root_setting(&ld->p->cfg);
	const config_setting_t *f[SEC_COUNT];
	int s;

	if (!read_group(ld, root, &section_ks, f))
		return false;
	for (s = 0; s < SEC_COUNT; s++) {
		ld->sec[s] = f[s];
		if (f[s] && s != SEC_SETTINGS && !want_group_list(ld, f[s]))
			return false;
	}
	/* Each pass only refers to what the passes before it defined. */
	return load_orgs(ld) && load_parents(ld) && load_roles(ld) &&
	       load_clusters(ld) && load_studies(ld) && load_users(ld) &&
	       load_settings(ld) && load_entries(ld) && load_assertions(ld);
}

/* The directory of file, for @include and messages: NULL when file has no
 * '/', "/" for a file at the root. Allocated. */
static char *file_dir(const char *file, bool *nomem)
{
	const char *slash = strrchr(file, '/');
	size_t len;
	char *dir;

	*nomem = false;
	if (!slash)
		return NULL;
	len = slash == file ? 1 : (size_t)(slash - file);
	dir = malloc(len + 1);
	if (!dir) {
		*nomem = true;
		return NULL;
	}
	memcpy(dir, file, len);
	dir[len] = '\0';
	return dir;
}

static void policy_release(struct policy *p)
{
	config_destroy(&p->cfg);
	free(p->file);
	free(p->assertions);
	if (p->owns_world)
		engine_world_free(p->world);
	memset(p, 0, sizeof(*p));
}

static void loader_free(struct loader *ld)
{
	size_t i;

	free(ld->mark);
	for (i = 0; i < sizeof(ld->ids) / sizeof(ld->ids[0]); i++)
		free(ld->ids[i]);
	free(ld->sites);
}

/* The common body of policy_load and policy_load_into: p->world is set,
 * p->owns_world says who frees it. On failure p is released (but a world
 * the caller owns stays, holding whatever was loaded). */
static bool load_file(const char *file, struct policy *p, char *err,
                      size_t errlen)
{
	struct loader ld;
	const char *why;
	FILE *probe;
	char *dir;
	bool ok, nomem;

	memset(&ld, 0, sizeof(ld));
	ld.file = file;
	ld.w = p->world;
	ld.p = p;
	ld.err = err;
	ld.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';

	/* libconfig reports an unreadable file as "file I/O error" with no
	 * cause, and waits on a FIFO: open it first to say why. */
	probe = text_file_open(file, &why);
	if (!probe) {
		if (p->owns_world)
			engine_world_free(p->world);
		memset(p, 0, sizeof(*p));
		return fail_file(&ld, why);
	}
	fclose(probe);

	config_init(&p->cfg);
	p->file = strdup(file);
	dir = file_dir(file, &nomem);
	if (!p->file || nomem) {
		policy_release(p);
		return fail_file(&ld, "out of memory");
	}
	/* `@include "x.conf"` means the x.conf next to the file, not one in
	 * the current directory. */
	if (dir)
		config_set_include_dir(&p->cfg, dir);
	ld.dir = dir;
	if (!prescan(&ld, file, file, 0)) {
		free(dir);
		policy_release(p);
		return false;
	}
	if (!config_read_file(&p->cfg, file)) {
		char buf[4096];
		const char *ef = message_path(&ld, config_error_file(&p->cfg),
		                              buf, sizeof(buf));

		if (config_error_type(&p->cfg) == CONFIG_ERR_FILE_IO)
			fail_file(&ld, "cannot read file");
		else if (err && errlen)
			snprintf(err, errlen, "%s:%d: %s", ef,
			         config_error_line(&p->cfg),
			         config_error_text(&p->cfg));
		free(dir);
		policy_release(p);
		return false;
	}
	ok = load_sections(&ld);
	loader_free(&ld);
	free(dir);
	if (!ok)
		policy_release(p);
	return ok;
}

bool policy_load(const char *file, struct policy *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->world = engine_world_new();
	if (!p->world) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", file);
		return false;
	}
	p->owns_world = true;
	return load_file(file, p, err, errlen);
}

bool policy_load_into(const char *file, struct engine_world *w,
                      struct policy *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->world = w;
	p->owns_world = false;
	return load_file(file, p, err, errlen);
}

void policy_free(struct policy *p)
{
	if (!p || !p->file)
		return; /* never loaded, or already freed */
	policy_release(p);
}
