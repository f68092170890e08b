/* tap.h: the TAP lines of the database tests written in C (each test an
 * "ok N - NAME" or "not ok N - NAME" line; the plan printed at the end
 * from n_tests). Included once, by one test program. */
#ifndef ACCESSDESK_TESTS_TAP_H
#define ACCESSDESK_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int n_tests, n_failed;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static bool
ok(bool cond, const char *fmt, ...)
{
	char name[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	n_tests++;
	if (!cond)
		n_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n_tests, name);
	fflush(stdout);
	return cond;
}

#endif
