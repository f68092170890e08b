/* fields.c: the one table of field rules, and the one UTF-8 decoder.
 * sql/008_field_rules.sql's constraints hold the same rules for the
 * schema; tests/db/test_field_rules.c feeds both the same values. */
#include "accessdesk/fields.h"

#include <stdio.h>
#include <string.h>

#define LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define LOWER   "abcdefghijklmnopqrstuvwxyz"
#define DIGITS  "0123456789"

#define CODE(label, key)                                                       \
	{                                                                      \
		label, key, FIELD_KIND_CODE, 1, 32, LETTERS DIGITS "-_.",      \
		    NULL, NULL,                                                \
		    "is not valid (1-32 letters, digits, '-', '_', '.')", NULL \
	}
#define TEXT(label, key, min, max)                                             \
	{                                                                      \
		label, key, FIELD_KIND_TEXT, min, max, NULL, NULL, NULL, NULL, \
		    NULL                                                       \
	}
#define PHONE(label, key, min)                                                 \
	{                                                                      \
		label, key, FIELD_KIND_PHONE, min, 32, DIGITS " +()-", NULL,   \
		    NULL,                                                      \
		    "may hold only digits, spaces and + ( ) -, at most 32",    \
		    "a plausible phone number"                                 \
	}

static const char *const titles[] = {"Mr", "Mrs", "Miss", "Ms",
                                     "Mx", "Dr",  "Prof", NULL};

const struct field_rule field_rules[FIELD_COUNT] = {
    [FIELD_ORG_CODE] = CODE("Organisation Code", "code"),
    [FIELD_ORG_NAME] = TEXT("Organisation Name", "name", 1, 200),
    [FIELD_STUDY_CODE] = CODE("Study Code", "code"),
    [FIELD_STUDY_NAME] = TEXT("Study Name", "name", 1, 200),
    [FIELD_LOGIN] = {"User ID", "login", FIELD_KIND_CODE, 1, 64,
                     LOWER DIGITS "._-", LOWER DIGITS, NULL,
                     "is not valid (1-64 lower-case letters, digits, '.', "
                     "'_', '-', starting with a letter or digit)",
                     NULL},
    [FIELD_TITLE] = {"Title", "title", FIELD_KIND_CHOICE, 0, 4, NULL, NULL,
                     titles, "must be one of Mr, Mrs, Miss, Ms, Mx, Dr, Prof",
                     NULL},
    [FIELD_FIRST_NAME] = TEXT("First Name", "first_name", 1, 200),
    [FIELD_LAST_NAME] = TEXT("Last Name", "last_name", 1, 200),
    /* 254: the longest address SMTP carries */
    [FIELD_EMAIL] = {"Email Address", "email", FIELD_KIND_EMAIL, 1, 254, NULL,
                     NULL, NULL, NULL, "a plausible address"},
    [FIELD_WORK_PHONE] = PHONE("Work Phone", "work_phone", 1),
    [FIELD_MOBILE_PHONE] = PHONE("Mobile Phone", "mobile_phone", 0),
    [FIELD_ROLE_NAME] = TEXT("Role Name", "name", 1, 100),
    [FIELD_SHORT_NAME] = {"Short Name", "short_name", FIELD_KIND_CODE, 10, 10,
                          DIGITS "ABCDEF", NULL, NULL,
                          "must be 10 upper-case hex digits", NULL},
    [FIELD_CLUSTER_NAME] = TEXT("Cluster Name", "name", 1, 200),
    [FIELD_CLUSTER_DESCRIPTION] = TEXT("Description", "description", 0, 2000),
};

int field_longest(void)
{
	int most = 0;
	for (int f = 0; f < FIELD_COUNT; f++)
		if (field_rules[f].max > most)
			most = field_rules[f].max;
	return most;
}

/* ---- UTF-8 ---------------------------------------------------------- */

long field_utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	*len = 1;
	if (n == 0)
		return -1;
	unsigned c = s[0];
	if (c < 0x80)
		return (long)c;
	size_t need;
	long cp, min;
	if ((c & 0xE0) == 0xC0) {
		need = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if (n < need)
		return -1;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1; /* overlong, out of range, or a surrogate */
	*len = need;
	return cp;
}

#define NOT_UTF8 (-1)
#define REFUSED  (-2)

/* The characters of s; NOT_UTF8 at a sequence that is not UTF-8, REFUSED
 * at the first character that `refused` (NULL: none) says no to. */
static long characters(const char *s, bool (*refused)(long cp))
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), len;
	long n = 0;
	while (left > 0) {
		long cp = field_utf8_decode(p, left, &len);
		if (cp < 0)
			return NOT_UTF8;
		if (refused && refused(cp))
			return REFUSED;
		p += len;
		left -= len;
		n++;
	}
	return n;
}

long field_utf8_chars(const char *s)
{
	long n = characters(s, NULL);
	return n < 0 ? -1 : n;
}

bool field_is_control(long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

static bool space_or_control(long cp)
{
	return cp == ' ' || field_is_control(cp);
}

/* ---- the rules ------------------------------------------------------ */

/* Writes a phrase into why (when wanted) and returns the fault. */
static enum field_fault say(enum field_fault fault, char *why, size_t len,
                            const char *phrase)
{
	if (why && len)
		snprintf(why, len, "%s", phrase);
	return fault;
}

static enum field_fault too_long(const struct field_rule *r, char *why,
                                 size_t len)
{
	if (why && len)
		snprintf(why, len, "is longer than %d characters", r->max);
	return FIELD_FAULT_LONG;
}

/* Names: valid UTF-8, no control character when asked, at most max. */
static enum field_fault text_fault(const struct field_rule *r, const char *v,
                                   unsigned flags, char *why, size_t len)
{
	long chars =
	    characters(v, flags & FIELD_NO_CONTROL ? field_is_control : NULL);
	if (chars == NOT_UTF8)
		return say(FIELD_FAULT_UTF8, why, len, "is not valid UTF-8");
	if (chars == REFUSED)
		return say(FIELD_FAULT_CONTROL, why, len,
		           "contains a control character");
	return chars > r->max ? too_long(r, why, len) : FIELD_FAULT_NONE;
}

/* Codes, logins, short names: ASCII of a set, the length in the rule. */
static enum field_fault code_fault(const struct field_rule *r, const char *v,
                                   char *why, size_t len)
{
	size_t n = strlen(v);
	bool ok = n >= (size_t)r->min && n <= (size_t)r->max &&
	          strspn(v, r->chars) == n &&
	          (!r->first || strchr(r->first, v[0]));
	if (ok)
		return FIELD_FAULT_NONE;
	return say(n > (size_t)r->max ? FIELD_FAULT_LONG : FIELD_FAULT_RULE,
	           why, len, r->rule);
}

/* A phone: the characters of the rule, at most max, and a digit. */
static enum field_fault phone_fault(const struct field_rule *r, const char *v,
                                    char *why, size_t len)
{
	size_t n = strlen(v);
	if (strspn(v, r->chars) != n)
		return say(FIELD_FAULT_RULE, why, len, r->rule);
	if (n > (size_t)r->max)
		return too_long(r, why, len);
	if (!strpbrk(v, DIGITS))
		return say(FIELD_FAULT_RULE, why, len,
		           "needs at least one digit");
	return FIELD_FAULT_NONE;
}

/* The last label of a domain: at least two letters (an ASCII letter or
 * any character beyond ASCII: the letters of internationalised names). */
static bool last_label_ok(const char *label)
{
	size_t n = strlen(label);
	if (field_utf8_chars(label) < 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)label[i];
		if (c < 0x80 && !strchr(LETTERS, c))
			return false;
	}
	return true;
}

static bool has_two_dots(const char *s, const char *end)
{
	for (; s + 1 < end; s++)
		if (s[0] == '.' && s[1] == '.')
			return true;
	return false;
}

/* Plausible, not RFC 5322: no space or control character; one @; a local
 * part, with no dot at its start or end nor two in a row; a domain of at
 * least two labels, none empty, the last of at least two letters. The
 * registration email must arrive. */
static enum field_fault email_fault(const struct field_rule *r, const char *v,
                                    char *why, size_t len)
{
	long chars = characters(v, space_or_control);
	if (chars == NOT_UTF8)
		return say(FIELD_FAULT_UTF8, why, len, "is not valid UTF-8");
	if (chars == REFUSED)
		return say(FIELD_FAULT_RULE, why, len,
		           "contains a space or control character");
	if (chars > r->max)
		return too_long(r, why, len);
	const char *at = strchr(v, '@');
	if (!at)
		return say(FIELD_FAULT_RULE, why, len, "has no @");
	if (strchr(at + 1, '@'))
		return say(FIELD_FAULT_RULE, why, len, "has more than one @");
	if (at == v)
		return say(FIELD_FAULT_RULE, why, len,
		           "has nothing before the @");
	if (v[0] == '.' || at[-1] == '.')
		return say(FIELD_FAULT_RULE, why, len,
		           "has a dot at the start or end of the part before "
		           "the @");
	if (has_two_dots(v, at))
		return say(FIELD_FAULT_RULE, why, len,
		           "has two dots in a row before the @");
	const char *d = at + 1, *end = d + strlen(d);
	if (!strchr(d, '.'))
		return say(FIELD_FAULT_RULE, why, len,
		           "needs a domain with a dot (name@example.org)");
	if (d[0] == '.' || end[-1] == '.' || has_two_dots(d, end))
		return say(FIELD_FAULT_RULE, why, len,
		           "has an empty label in its domain (a dot at its "
		           "start or end, or two in a row)");
	if (!last_label_ok(strrchr(d, '.') + 1))
		return say(FIELD_FAULT_RULE, why, len,
		           "needs a last domain label of at least 2 letters "
		           "(name@example.org)");
	return FIELD_FAULT_NONE;
}

static enum field_fault choice_fault(const struct field_rule *r, const char *v,
                                     char *why, size_t len)
{
	for (const char *const *c = r->choices; *c; c++)
		if (strcmp(v, *c) == 0)
			return FIELD_FAULT_NONE;
	return say(FIELD_FAULT_RULE, why, len, r->rule);
}

enum field_fault field_fault(enum field f, const char *value, unsigned flags,
                             char *why, size_t len)
{
	const struct field_rule *r = &field_rules[f];
	const char *v = value ? value : "";
	if (why && len)
		why[0] = '\0';
	if (!*v) {
		if (r->min == 0)
			return FIELD_FAULT_NONE;
		/* a code's rule says its length */
		return say(FIELD_FAULT_EMPTY, why, len,
		           r->kind == FIELD_KIND_CODE ||
		                   r->kind == FIELD_KIND_CHOICE
		               ? r->rule
		               : "is required");
	}
	switch (r->kind) {
	case FIELD_KIND_TEXT:
		return text_fault(r, v, flags, why, len);
	case FIELD_KIND_CODE:
		return code_fault(r, v, why, len);
	case FIELD_KIND_PHONE:
		return phone_fault(r, v, why, len);
	case FIELD_KIND_EMAIL:
		return email_fault(r, v, why, len);
	case FIELD_KIND_CHOICE:
		return choice_fault(r, v, why, len);
	}
	return FIELD_FAULT_NONE;
}

bool field_valid(enum field f, const char *value)
{
	return field_fault(f, value, 0, NULL, 0) == FIELD_FAULT_NONE;
}

bool field_check(enum field f, const char *value, char *msg, size_t len)
{
	char why[160];
	if (field_fault(f, value, 0, why, sizeof why) == FIELD_FAULT_NONE)
		return true;
	if (msg && len)
		snprintf(msg, len, "%s %s", field_rules[f].label, why);
	return false;
}
