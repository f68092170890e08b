/* validate.c: the User Details fields' rules, said in words before the
 * database's checks (which hold the same rules) would refuse them with a
 * constraint name. */
#include <stdio.h>
#include <string.h>

#include "accessdesk/store.h"
#include "accessdesk/text.h"

const char *const store_user_field_labels[USER_FIELD_COUNT] = {
    [USER_FIELD_EMAIL] = "Email Address",
    [USER_FIELD_TITLE] = "Title",
    [USER_FIELD_FIRST_NAME] = "First Name",
    [USER_FIELD_LAST_NAME] = "Last Name",
    [USER_FIELD_LOGIN] = "User ID",
    [USER_FIELD_WORK_PHONE] = "Work Phone",
    [USER_FIELD_MOBILE_PHONE] = "Mobile Phone",
};

static const char *const titles[] = {"Mr", "Mrs", "Miss", "Ms",
                                     "Mx", "Dr",  "Prof"};

/* Characters (not bytes) in valid UTF-8; -1 when invalid. Control
 * characters are stored as given: the terminal sanitiser keeps them off
 * the screen. */
static long chars_clean(const char *s)
{
	long n = 0;
	size_t left = strlen(s), len;
	const unsigned char *p = (const unsigned char *)s;
	while (left > 0) {
		long cp = text_utf8_decode(p, left, &len);
		if (cp < 0)
			return -1;
		p += len;
		left -= len;
		n++;
	}
	return n;
}

static bool phone_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 32)
		return false;
	return strspn(s, "0123456789 +()-") == n;
}

static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	const char *dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return false;
	return true;
}

bool store_user_field_valid(enum store_user_field f, const char *value,
                            char *msg, size_t len)
{
	const char *v = value ? value : "";
	const char *label = store_user_field_labels[f];
	const char *why = NULL;
	long chars = chars_clean(v);
	switch (f) {
	case USER_FIELD_EMAIL:
		if (!*v)
			why = "is required";
		else if (!email_ok(v))
			why = "must look like name@example.org (one @, a dot "
			      "in the domain, no spaces)";
		break;
	case USER_FIELD_TITLE:
		if (*v) {
			why = "must be Mr, Mrs, Miss, Ms, Mx, Dr or Prof";
			for (size_t i = 0; i < sizeof titles / sizeof *titles;
			     i++)
				if (strcmp(v, titles[i]) == 0)
					why = NULL;
		}
		break;
	case USER_FIELD_FIRST_NAME:
	case USER_FIELD_LAST_NAME:
		if (!*v)
			why = "is required";
		else if (chars < 0)
			why = "is not valid UTF-8";
		else if (chars > 200)
			why = "is longer than 200 characters";
		break;
	case USER_FIELD_LOGIN:
		if (!engine_valid_login(v))
			why = "is 1-64 lower-case letters, digits, '.', '_' or "
			      "'-', starting with a letter or digit";
		break;
	case USER_FIELD_WORK_PHONE:
		if (!*v)
			why = "is required";
		else if (!phone_ok(v))
			why = "may hold only digits, spaces and + ( ) -, at "
			      "most 32";
		break;
	case USER_FIELD_MOBILE_PHONE:
		if (*v && !phone_ok(v))
			why = "may hold only digits, spaces and + ( ) -, at "
			      "most 32";
		break;
	case USER_FIELD_COUNT:
		break;
	}
	if (why && msg)
		snprintf(msg, len, "%s %s", label, why);
	return why == NULL;
}

bool store_user_form_valid(const struct store_user_form *f, char *msg,
                           size_t len)
{
	const char *values[USER_FIELD_COUNT] = {
	    f->email, f->title,      f->first_name,   f->last_name,
	    f->login, f->work_phone, f->mobile_phone,
	};
	for (int i = 0; i < USER_FIELD_COUNT; i++)
		if (!store_user_field_valid((enum store_user_field)i, values[i],
		                            msg, len))
			return false;
	return true;
}
