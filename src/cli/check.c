/* check.c: `accessdesk check`, one decision with an optional explanation
 * (policy-file.md). Everything the question names is validated first: an
 * unknown name or a wrong pairing is an error (exit 2), never a denial. */
#include <stdlib.h>
#include <string.h>

#include "accessdesk/cli.h"
#include "accessdesk/policy.h"
#include "accessdesk/store.h"

struct question {
	const char *user, *action, *org, *study, *payment, *policy;
	bool explain;
};

/* Takes "--name value" or "--name=value"; returns the value or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		cli_error("%s needs a value", name);
		exit(EXIT_USAGE);
	}
	return argv[++*i];
}

static bool parse(int argc, char **argv, struct question *q)
{
	struct {
		const char *name;
		const char **slot;
	} opts[] = {
	    {"--user", &q->user},
	    {"--action", &q->action},
	    {"--org", &q->org},
	    {"--study", &q->study},
	    {"--payment-type", &q->payment},
	    {"--policy", &q->policy},
	};
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--explain") == 0) {
			q->explain = true;
			continue;
		}
		bool known = false;
		for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
			const char *v =
			    option_value(argc, argv, &i, opts[k].name);
			if (v) {
				if (*opts[k].slot) {
					cli_error("%s given twice",
					          opts[k].name);
					return false;
				}
				*opts[k].slot = v;
				known = true;
				break;
			}
		}
		if (!known) {
			cli_error("check: unknown argument \"%s\"", argv[i]);
			return false;
		}
	}
	if (!q->user || !q->action) {
		cli_error("check needs --user and --action");
		return false;
	}
	if ((q->org != NULL) == (q->study != NULL)) {
		cli_error("check needs exactly one of --org and --study");
		return false;
	}
	if (q->payment && !q->org) {
		cli_error("--payment-type goes with --org only");
		return false;
	}
	return true;
}

/* Resolves the names and decides. */
static int decide(const struct engine_world *w, const struct question *q)
{
	int user = engine_user_find(w, q->user);
	int action = engine_action_find(q->action);
	int payment = -1, target;
	if (user < 0) {
		cli_error("unknown user \"%s\"", q->user);
		return EXIT_USAGE;
	}
	if (action < 0) {
		cli_error("unknown action \"%s\"", q->action);
		return EXIT_USAGE;
	}
	enum engine_domain want = q->org ? DOMAIN_ORGANISATION : DOMAIN_STUDY;
	if (engine_action_domain(action) != want) {
		cli_error("%s is a%s action: it goes with %s", q->action,
		          want == DOMAIN_STUDY ? "n organisation" : " study",
		          want == DOMAIN_STUDY ? "--org" : "--study");
		return EXIT_USAGE;
	}
	if (q->org) {
		target = engine_org_find(w, q->org);
		if (target < 0) {
			cli_error("unknown organisation \"%s\"", q->org);
			return EXIT_USAGE;
		}
	} else {
		target = engine_study_find(w, q->study);
		if (target < 0) {
			cli_error("unknown study \"%s\"", q->study);
			return EXIT_USAGE;
		}
	}
	if (q->payment) {
		payment = engine_payment_find(q->payment);
		if (payment < 0) {
			cli_error("unknown payment type \"%s\" (QOF, GPES, "
			          "DES, CC, VAC or LES)",
			          q->payment);
			return EXIT_USAGE;
		}
		if (!(ENGINE_ACT(action) & ENGINE_PAYMENT_ACTIONS)) {
			cli_error("a payment type goes with achievement.view "
			          "or achievement.declare only");
			return EXIT_USAGE;
		}
	}
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool allow = false;
	enum engine_err e =
	    q->org ? engine_check_org(w, user, action, target, payment,
	                              q->explain ? &ex : NULL, &allow)
	           : engine_check_study(w, user, action, target,
	                                q->explain ? &ex : NULL, &allow);
	if (e != ENGINE_OK) {
		engine_explain_free(&ex);
		cli_error("%s", engine_strerror(e));
		return EXIT_USAGE;
	}
	puts(allow ? "allow" : "deny");
	if (q->explain)
		cli_print_reasons(stdout, w, &ex);
	engine_explain_free(&ex);
	return allow ? EXIT_ALLOW : EXIT_DENY;
}

/* The same question against the database: the tree, roles, clusters and
 * studies, and the one user asked about. */
static int check_database(const struct question *q)
{
	struct store *s = cli_connect();
	if (!s)
		return EXIT_USAGE;
	int status = EXIT_USAGE;
	struct store_error err = {0};
	struct store_ids ids;
	struct engine_world *w = NULL;
	if (cli_schema_current(s))
		w = store_load_world(s, STORE_LOAD_BASE, &ids, &err);
	if (w && store_load_users(s, w, &ids, &q->user, 1, &err))
		status = decide(w, q);
	else if (err.message[0])
		cli_error("%s", err.message);
	if (w) {
		engine_world_free(w);
		store_ids_free(&ids);
	}
	store_disconnect(s);
	return status;
}

int cli_check(int argc, char **argv)
{
	struct question q = {0};
	if (!parse(argc, argv, &q))
		return EXIT_USAGE;
	if (!q.policy)
		return check_database(&q);
	struct policy p;
	char err[POLICY_ERR_MAX];
	if (!policy_load(q.policy, &p, err, sizeof err)) {
		cli_line(stderr, "%s", err);
		return EXIT_USAGE;
	}
	int status = decide(p.world, &q);
	policy_free(&p);
	return status;
}
