/* policy_test.c: `accessdesk policy test FILE...`: each file is its own
 * world; its assertions are decided by the engine and only failures are
 * printed, with their explanation. Every file runs even after a bad one. */
#include <stdio.h>

#include "accessdesk/cli.h"
#include "accessdesk/policy.h"

/* Runs one file's assertions; adds to the counts. False for a bad file. */
static bool run_file(const char *file, long *passed, long *failed,
                     struct engine_explain *ex)
{
	struct policy p;
	char err[POLICY_ERR_MAX];
	if (!policy_load(file, &p, err, sizeof err)) {
		cli_line(stderr, "%s", err);
		return false;
	}
	for (int i = 0; i < p.n_assertions; i++) {
		const struct policy_assertion *a = &p.assertions[i];
		bool allow = false;
		/* The plain check first; the explained one only to report a
		 * failure. Both run the same code. */
		if (a->org >= 0)
			engine_check_org(p.world, a->user, a->action, a->org,
			                 a->payment, NULL, &allow);
		else
			engine_check_study(p.world, a->user, a->action,
			                   a->study, NULL, &allow);
		if (allow == a->expect_allow) {
			(*passed)++;
			continue;
		}
		(*failed)++;
		engine_explain_reset(ex);
		if (a->org >= 0)
			engine_check_org(p.world, a->user, a->action, a->org,
			                 a->payment, ex, &allow);
		else
			engine_check_study(p.world, a->user, a->action,
			                   a->study, ex, &allow);
		cli_line(stdout, "%s:%d: expected %s, got %s", file, a->line,
		         a->expect_allow ? "allow" : "deny",
		         allow ? "allow" : "deny");
		cli_print_reasons(stdout, p.world, ex);
	}
	policy_free(&p);
	return true;
}

int cli_policy_test(int argc, char **argv)
{
	if (argc < 1) {
		cli_error("policy test needs at least one FILE");
		return EXIT_USAGE;
	}
	long passed = 0, failed = 0;
	bool bad = false;
	struct engine_explain ex;
	engine_explain_init(&ex);
	for (int i = 0; i < argc; i++)
		if (!run_file(argv[i], &passed, &failed, &ex))
			bad = true;
	engine_explain_free(&ex);
	printf("%ld passed, %ld failed\n", passed, failed);
	return bad ? EXIT_USAGE : failed ? EXIT_DENY : EXIT_ALLOW;
}
