/* test_fields.c: the one table of field rules and the one UTF-8 decoder
 * (src/fields/fields.c): the table itself, each kind of rule at its
 * boundaries, the messages that name the rule, and that the engine's key
 * formats and the sanitiser's decoder are the table's. The schema's side
 * is tests/db/test_field_rules.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "accessdesk/engine.h"
#include "accessdesk/fields.h"
#include "accessdesk/text.h"

/* The phrase for value, or "" when it is accepted. */
static const char *why(enum field f, const char *value, unsigned flags)
{
	static char buf[512];
	if (field_fault(f, value, flags, buf, sizeof buf) == FIELD_FAULT_NONE)
		buf[0] = '\0';
	return buf;
}

static void test_table(void **state)
{
	(void)state;
	for (int f = 0; f < FIELD_COUNT; f++) {
		const struct field_rule *r = &field_rules[f];
		assert_non_null(r->label);
		assert_non_null(r->key);
		assert_true(r->min >= 0 && r->min <= r->max);
		if (r->kind == FIELD_KIND_CODE || r->kind == FIELD_KIND_PHONE)
			assert_true(r->chars && *r->chars && r->rule);
		if (r->kind == FIELD_KIND_CHOICE)
			assert_true(r->choices && r->choices[0] && r->rule);
	}
	assert_int_equal(field_longest(), 2000); /* a cluster description */
	assert_int_equal(field_rules[FIELD_ROLE_NAME].max, 100);
	assert_int_equal(field_rules[FIELD_ORG_NAME].max, 200);
	assert_int_equal(field_rules[FIELD_EMAIL].max, 254);
}

static void test_decoder(void **state)
{
	size_t len;
	(void)state;
	assert_int_equal(field_utf8_decode((const unsigned char *)"a", 1, &len),
	                 'a');
	assert_int_equal(len, 1);
	assert_int_equal(
	    field_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &len),
	    0xe9);
	assert_int_equal(len, 2);
	assert_int_equal(
	    field_utf8_decode((const unsigned char *)"\xe2\x80\xae", 3, &len),
	    0x202e);
	assert_int_equal(
	    field_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4,
	                      &len),
	    0x1f600);
	assert_int_equal(len, 4);
	static const char *const bad[] = {
	    "\xc0\x80",         /* overlong NUL */
	    "\xe0\x80\xaf",     /* overlong '/' */
	    "\xed\xa0\x80",     /* a surrogate */
	    "\xf4\x90\x80\x80", /* beyond U+10FFFF */
	    "\x80",             /* a continuation byte alone */
	    "\xff",
	    "\xc3(", /* a broken sequence */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(
		    field_utf8_decode((const unsigned char *)bad[i],
		                      strlen(bad[i]), &len),
		    -1);
		assert_int_equal(len, 1);
	}
	/* truncated */
	assert_int_equal(
	    field_utf8_decode((const unsigned char *)"\xe2\x80", 2, &len), -1);
	assert_int_equal(field_utf8_chars("\xc3\xa9\xf0\x9f\x98\x80x"), 3);
	assert_int_equal(field_utf8_chars("caf\xc3"), -1);
	assert_int_equal(field_utf8_chars(""), 0);
}

/* The sanitiser's decoder is this one: every sequence of up to four
 * bytes from a spread of values decodes the same. */
static void test_one_decoder(void **state)
{
	static const unsigned char picks[] = {
	    0x00, 0x41, 0x7f, 0x80, 0x9f, 0xbf, 0xc1, 0xc2,
	    0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
	const size_t n = sizeof picks;
	(void)state;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			for (size_t c = 0; c < n; c++)
				for (size_t d = 0; d < n; d++) {
					unsigned char s[4] = {
					    picks[a], picks[b], picks[c],
					    picks[d]};
					for (size_t k = 0; k <= 4; k++) {
						size_t l1, l2;
						long x = field_utf8_decode(s, k,
						                           &l1);
						long y =
						    text_utf8_decode(s, k, &l2);
						assert_int_equal(x, y);
						assert_int_equal(l1, l2);
					}
				}
}

/* The engine's key formats are the table's, character by character. */
static void test_engine_formats(void **state)
{
	(void)state;
	char s[80];
	for (int c = 1; c < 256; c++)
		for (int at = 0; at < 3; at++) {
			snprintf(s, sizeof s, "%s", "aB3d5F7h9J");
			s[at * 4 + 1] = (char)c; /* 1, 5, 9 */
			assert_int_equal(engine_valid_org_code(s),
			                 field_valid(FIELD_ORG_CODE, s));
			assert_int_equal(engine_valid_login(s),
			                 field_valid(FIELD_LOGIN, s));
			snprintf(s, sizeof s, "%s", "C61A6DB801");
			s[at * 4 + 1] = (char)c;
			assert_int_equal(engine_valid_short_name(s),
			                 field_valid(FIELD_SHORT_NAME, s));
			s[0] = (char)c;
			assert_int_equal(engine_valid_login(s + 0),
			                 field_valid(FIELD_LOGIN, s));
		}
	for (int len = 0; len <= 70; len++) {
		memset(s, 'a', (size_t)len);
		s[len] = '\0';
		assert_int_equal(engine_valid_org_code(s),
		                 len >= 1 && len <= 32);
		assert_int_equal(engine_valid_login(s), len >= 1 && len <= 64);
		memset(s, 'A', (size_t)len);
		assert_int_equal(engine_valid_short_name(s), len == 10);
	}
}

/* access-model.md section 1's examples. */
static void test_codes(void **state)
{
	(void)state;
	static const char *const codes[] = {"lat04", "A01AAA", "1-LAT1",
	                                    "a.b_c-d"};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		assert_true(field_valid(FIELD_ORG_CODE, codes[i]));
		assert_true(field_valid(FIELD_STUDY_CODE, codes[i]));
	}
	assert_string_equal(why(FIELD_ORG_CODE, "lat 04", 0),
	                    "is not valid (1-32 letters, digits, '-', '_', "
	                    "'.')");
	assert_string_equal(why(FIELD_ORG_CODE, "l\xc3\xa4t04", 0),
	                    why(FIELD_ORG_CODE, "S/001", 0));
	assert_true(field_valid(FIELD_LOGIN, "kal738"));
	assert_true(field_valid(FIELD_LOGIN, "7ab.c_d-e"));
	assert_false(field_valid(FIELD_LOGIN, ".kal"));
	assert_false(field_valid(FIELD_LOGIN, "Kal738"));
	assert_true(field_valid(FIELD_SHORT_NAME, "C61A6DB801"));
	assert_string_equal(why(FIELD_SHORT_NAME, "c61a6db801", 0),
	                    "must be 10 upper-case hex digits");
	assert_int_equal(field_fault(FIELD_ORG_CODE, "", 0, NULL, 0),
	                 FIELD_FAULT_EMPTY);
	char longer[40];
	memset(longer, 'a', 33);
	longer[33] = '\0';
	assert_int_equal(field_fault(FIELD_ORG_CODE, longer, 0, NULL, 0),
	                 FIELD_FAULT_LONG);
}

/* Names: characters, not bytes; control characters stored as given, but
 * not from a file. */
static void test_names(void **state)
{
	char s[1024] = "";
	(void)state;
	for (int i = 0; i < 100; i++)
		strcat(s, "\xf0\x9f\x98\x80"); /* 100 characters, 400 bytes */
	assert_true(field_valid(FIELD_ROLE_NAME, s));
	strcat(s, "x");
	assert_string_equal(why(FIELD_ROLE_NAME, s, 0),
	                    "is longer than 100 characters");
	assert_true(field_valid(FIELD_ORG_NAME, s));
	assert_true(field_valid(FIELD_FIRST_NAME, "Ken\tneth"));
	assert_string_equal(
	    why(FIELD_FIRST_NAME, "Ken\tneth", FIELD_NO_CONTROL),
	    "contains a control character");
	assert_int_equal(field_fault(FIELD_FIRST_NAME, "a\xc2\x9b",
	                             FIELD_NO_CONTROL, NULL, 0),
	                 FIELD_FAULT_CONTROL);
	assert_int_equal(field_fault(FIELD_FIRST_NAME, "", 0, NULL, 0),
	                 FIELD_FAULT_EMPTY);
	assert_true(field_valid(FIELD_CLUSTER_DESCRIPTION, ""));
	assert_false(field_valid(FIELD_CLUSTER_NAME, ""));
	assert_true(field_valid(FIELD_FIRST_NAME, NULL) == false);
}

static void test_email(void **state)
{
	(void)state;
	static const char *const good[] = {
	    "kenneth.alloway@nhs.uk", "a@x.co",
	    "o'brien\\x@example.com", "a+b@sub.example.org",
	    "z\xc3\xab@example.org",  "a@example.\xd1\x80\xd1\x84", /* .рф */
	};
	static const char *const bad[] = {
	    ".a@x.org",
	    "a.@x.org",
	    "a..b@x.org",
	    "a@x.c",
	    "a@example..org",
	    "a@.org",
	    "a@org.",
	    "a@x",
	    "a@",
	    "@x.org",
	    "a@b@x.org",
	    "a b@x.org",
	    "a@x.c1",
	    "a\x7f@x.org",
	    "a\xc2\x85@x.org", /* NEL, a C1 control */
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!field_valid(FIELD_EMAIL, good[i]))
			fail_msg("refused %s: %s", good[i],
			         why(FIELD_EMAIL, good[i], 0));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (field_valid(FIELD_EMAIL, bad[i]))
			fail_msg("accepted %s", bad[i]);
	char msg[256];
	assert_false(
	    field_check(FIELD_EMAIL, "a@example..org", msg, sizeof msg));
	assert_string_equal(msg, "Email Address has an empty label in its "
	                         "domain (a dot at its start or end, or two in "
	                         "a row)");
}

static void test_messages(void **state)
{
	char msg[256];
	(void)state;
	assert_true(field_check(FIELD_WORK_PHONE, "01632 960001", msg, 4));
	assert_false(field_check(FIELD_WORK_PHONE, "---", msg, sizeof msg));
	assert_string_equal(msg, "Work Phone needs at least one digit");
	assert_false(field_check(FIELD_TITLE, "Sir", msg, sizeof msg));
	assert_string_equal(
	    msg, "Title must be one of Mr, Mrs, Miss, Ms, Mx, Dr, Prof");
	assert_true(field_check(FIELD_TITLE, "", msg, sizeof msg));
	assert_true(field_check(FIELD_MOBILE_PHONE, NULL, msg, sizeof msg));
	/* a short buffer is cut, never overrun */
	assert_false(field_check(FIELD_LAST_NAME, "", msg, 6));
	assert_string_equal(msg, "Last ");
	assert_false(field_check(FIELD_LAST_NAME, "", NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_decoder),
	    cmocka_unit_test(test_one_decoder),
	    cmocka_unit_test(test_engine_formats),
	    cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_email),
	    cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
