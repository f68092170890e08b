/* test_validate.c: the User Details form's field checks
 * (store_user_field_valid, src/store/validate.c), which follow the one
 * table of field rules: the defects of issue 7 item 4 (a phone of no
 * digit, emails with a stray dot or a one-letter last label, the message
 * for an empty domain label) and the wording the console's screens show.
 * No database: these are the checks made before one is asked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "accessdesk/store.h"

/* The form's message for value, or "" when it is accepted. */
static const char *why(enum store_user_field f, const char *value)
{
	static char msg[512];
	if (store_user_field_valid(f, value, msg, sizeof msg))
		msg[0] = '\0';
	return msg;
}

static void assert_refused(enum store_user_field f, const char *value,
                           const char *fragment)
{
	const char *m = why(f, value);
	if (!*m)
		fail_msg("\"%s\" was accepted", value);
	if (!strstr(m, fragment))
		fail_msg("\"%s\": got \"%s\", expected \"...%s...\"", value, m,
		         fragment);
}

static void assert_accepted(enum store_user_field f, const char *value)
{
	const char *m = why(f, value);
	if (*m)
		fail_msg("\"%s\" was refused: %s", value, m);
}

/* A phone holds at least one digit: "---" passed the form and failed a
 * policy file. */
static void test_phone_needs_a_digit(void **state)
{
	(void)state;
	assert_string_equal(why(USER_FIELD_WORK_PHONE, "---"),
	                    "Work Phone needs at least one digit");
	assert_string_equal(why(USER_FIELD_MOBILE_PHONE, "( ) +"),
	                    "Mobile Phone needs at least one digit");
	assert_accepted(USER_FIELD_WORK_PHONE, "+44 (0)20 7946-0000");
	assert_accepted(USER_FIELD_WORK_PHONE, "0");
	assert_accepted(USER_FIELD_MOBILE_PHONE, ""); /* optional */
	assert_string_equal(why(USER_FIELD_WORK_PHONE, ""),
	                    "Work Phone is required");
}

/* The wording the console's screens show (tests/console/expected). */
static void test_phone_wording(void **state)
{
	(void)state;
	assert_string_equal(
	    why(USER_FIELD_WORK_PHONE, "01632x"),
	    "Work Phone may hold only digits, spaces and + ( ) -, at most 32");
	assert_string_equal(
	    why(USER_FIELD_WORK_PHONE, "012345678901234567890123456789012"),
	    "Work Phone is longer than 32 characters");
	assert_accepted(USER_FIELD_WORK_PHONE,
	                "01234567890123456789012345678901");
}

/* The part before the @ may not start or end with a dot, nor hold two in
 * a row. */
static void test_email_local_dots(void **state)
{
	(void)state;
	assert_refused(USER_FIELD_EMAIL, ".a@x.org",
	               "Email Address has a dot at the start or end of the "
	               "part before the @");
	assert_refused(USER_FIELD_EMAIL, "a.@x.org",
	               "has a dot at the start or end");
	assert_refused(USER_FIELD_EMAIL, "a..b@x.org",
	               "Email Address has two dots in a row before the @");
	assert_accepted(USER_FIELD_EMAIL, "a.b@x.org");
	assert_accepted(USER_FIELD_EMAIL, "Kenneth.Alloway@nhs.uk");
	/* quotes and backslashes are stored exactly (load-hostile.conf) */
	assert_accepted(USER_FIELD_EMAIL, "o'brien\\x@example.com");
}

/* The last label of the domain is at least two letters. */
static void test_email_last_label(void **state)
{
	(void)state;
	assert_refused(USER_FIELD_EMAIL, "a@x.c",
	               "Email Address needs a last domain label of at least "
	               "2 letters");
	assert_refused(USER_FIELD_EMAIL, "a@x.c0", "at least 2 letters");
	assert_refused(USER_FIELD_EMAIL, "a@x.12", "at least 2 letters");
	assert_accepted(USER_FIELD_EMAIL, "a@x.co");
	assert_accepted(USER_FIELD_EMAIL, "a@x.nhs.uk");
}

/* "a@example..org" has an empty label, and says so (it said the domain
 * needed a dot). */
static void test_email_empty_label(void **state)
{
	(void)state;
	assert_refused(USER_FIELD_EMAIL, "a@example..org",
	               "Email Address has an empty label in its domain");
	assert_refused(USER_FIELD_EMAIL, "a@.org", "empty label");
	assert_refused(USER_FIELD_EMAIL, "a@org.", "empty label");
	assert_refused(USER_FIELD_EMAIL, "a@localhost",
	               "needs a domain with a dot");
}

static void test_email_other(void **state)
{
	(void)state;
	assert_string_equal(why(USER_FIELD_EMAIL, ""),
	                    "Email Address is required");
	assert_refused(USER_FIELD_EMAIL, "a b@x.org",
	               "contains a space or control character");
	assert_refused(USER_FIELD_EMAIL, "a@b@x.org", "has more than one @");
	assert_refused(USER_FIELD_EMAIL, "@x.org", "has nothing before the @");
	assert_refused(USER_FIELD_EMAIL, "x.org", "has no @");
	char long_email[300];
	memset(long_email, 'a', 243);
	strcpy(long_email + 243, "@example.org"); /* 255 characters */
	assert_refused(USER_FIELD_EMAIL, long_email,
	               "is longer than 254 characters");
	long_email[242] = '\0';
	strcat(long_email, "@example.org"); /* 254 */
	assert_accepted(USER_FIELD_EMAIL, long_email);
}

/* Names count characters, not bytes; a title is one of the list. */
static void test_names_and_title(void **state)
{
	char name[1024] = "";
	(void)state;
	for (int i = 0; i < 200; i++)
		strcat(name, "\xc3\xa9");
	assert_accepted(USER_FIELD_LAST_NAME, name);
	strcat(name, "x");
	assert_string_equal(why(USER_FIELD_LAST_NAME, name),
	                    "Last Name is longer than 200 characters");
	assert_string_equal(why(USER_FIELD_FIRST_NAME, ""),
	                    "First Name is required");
	assert_string_equal(why(USER_FIELD_FIRST_NAME, "caf\xc3"),
	                    "First Name is not valid UTF-8");
	/* stored as given: the terminal's sanitiser keeps them off screen */
	assert_accepted(USER_FIELD_FIRST_NAME, "Ken\tneth");
	assert_accepted(USER_FIELD_TITLE, "");
	assert_accepted(USER_FIELD_TITLE, "Prof");
	assert_string_equal(why(USER_FIELD_TITLE, "Sir"),
	                    "Title must be one of Mr, Mrs, Miss, Ms, Mx, Dr, "
	                    "Prof");
	assert_refused(USER_FIELD_LOGIN, "Kal738", "User ID is not valid");
	assert_accepted(USER_FIELD_LOGIN, "kal738");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phone_needs_a_digit),
	    cmocka_unit_test(test_phone_wording),
	    cmocka_unit_test(test_email_local_dots),
	    cmocka_unit_test(test_email_last_label),
	    cmocka_unit_test(test_email_empty_label),
	    cmocka_unit_test(test_email_other),
	    cmocka_unit_test(test_names_and_title),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
