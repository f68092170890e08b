/* fields.h: the one table of field rules: the length (in characters), the
 * characters and the format of every value that the form, the policy
 * loader, the ODS importer and the engine check, and that the schema's
 * checks hold too (sql/008_field_rules.sql; tests/db/test_field_rules.c
 * proves the two agree). Also the project's one UTF-8 decoder.
 *
 * Pure C, no dependencies: every other module may use it. */
#ifndef ACCESSDESK_FIELDS_H
#define ACCESSDESK_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

enum field {
	FIELD_ORG_CODE,            /* organisations.code */
	FIELD_ORG_NAME,            /* organisations.name */
	FIELD_STUDY_CODE,          /* studies.code */
	FIELD_STUDY_NAME,          /* studies.name */
	FIELD_LOGIN,               /* users.login: the User ID */
	FIELD_TITLE,               /* users.title */
	FIELD_FIRST_NAME,          /* users.first_name */
	FIELD_LAST_NAME,           /* users.last_name */
	FIELD_EMAIL,               /* users.email */
	FIELD_WORK_PHONE,          /* users.work_phone */
	FIELD_MOBILE_PHONE,        /* users.mobile_phone */
	FIELD_ROLE_NAME,           /* roles.name */
	FIELD_SHORT_NAME,          /* clusters.short_name */
	FIELD_CLUSTER_NAME,        /* clusters.name */
	FIELD_CLUSTER_DESCRIPTION, /* clusters.description */
	FIELD_COUNT
};

/* The kinds of rule; each row of the table is one kind with its limits. */
enum field_kind {
	/* Any characters (names): min..max characters; control characters
	 * are kept as given (the terminal sanitiser keeps them off the
	 * screen) unless FIELD_NO_CONTROL says otherwise. */
	FIELD_KIND_TEXT,
	/* ASCII from `chars` (the first from `first` when set), min..max. */
	FIELD_KIND_CODE,
	/* `chars`, min..max, and at least one digit. */
	FIELD_KIND_PHONE,
	/* local@domain: see field_check. */
	FIELD_KIND_EMAIL,
	/* One of `choices`, exactly. */
	FIELD_KIND_CHOICE,
};

struct field_rule {
	const char *label; /* the form's name for it: "Last Name" */
	const char *key;   /* the policy file's key: "last_name" */
	enum field_kind kind;
	int min, max;      /* characters; min 0: may be left empty */
	const char *chars; /* CODE, PHONE: the characters allowed */
	const char *first; /* CODE: those allowed first (NULL: chars) */
	const char *const *choices; /* CHOICE: NULL-terminated */
	/* CODE, PHONE, CHOICE: what is said of a value with a character
	 * (or, for CODE and CHOICE, a length) the rule refuses, after the
	 * field's name: "is not valid (1-32 letters, digits, ...)". */
	const char *rule;
	/* EMAIL, PHONE: a file's message says the value "is not NOUN: "
	 * before the problem ("a plausible address"). */
	const char *noun;
};

extern const struct field_rule field_rules[FIELD_COUNT];

/* The longest value any field allows, in characters (a policy file's
 * strings are refused beyond it before libconfig parses them). */
int field_longest(void);

/* What is wrong with a value. */
enum field_fault {
	FIELD_FAULT_NONE,
	FIELD_FAULT_EMPTY,   /* required and empty: "is required" */
	FIELD_FAULT_UTF8,    /* "is not valid UTF-8" */
	FIELD_FAULT_CONTROL, /* a control character (see FIELD_NO_CONTROL) */
	FIELD_FAULT_LONG,    /* "is longer than N characters" */
	FIELD_FAULT_RULE,    /* the characters or format: rule or email */
};

/* Text read from a file (policy files, the ODS CSV): refuse control
 * characters (C0, DEL, C1) in names and descriptions too. */
#define FIELD_NO_CONTROL 1u

/* Checks value (NULL counts as "") against f's rule. On a fault, why (if
 * not NULL) gets the phrase that says which rule it breaks, written to
 * follow the field's name: "is longer than 200 characters", "needs at
 * least one digit", "has an empty label in its domain (...)". */
enum field_fault field_fault(enum field f, const char *value, unsigned flags,
                             char *why, size_t len);

/* Does value follow f's rule (as the schema's checks hold it)? */
bool field_valid(enum field f, const char *value);

/* The same; on false msg gets "LABEL PHRASE", e.g. "Last Name is longer
 * than 200 characters", "Work Phone needs at least one digit". */
bool field_check(enum field f, const char *value, char *msg, size_t len);

/* Decodes one UTF-8 character at s (n bytes available): its code point,
 * or -1 for an invalid, overlong, surrogate or truncated sequence; *len
 * gets the bytes used (1 for an invalid byte). */
long field_utf8_decode(const unsigned char *s, size_t n, size_t *len);

/* The characters (code points) of a NUL-terminated string, or -1 when it
 * is not valid UTF-8. */
long field_utf8_chars(const char *s);

/* C0, DEL and C1: the control characters (Unicode category Cc). */
bool field_is_control(long cp);

#endif
