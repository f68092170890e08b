/* why.c: Why? for a user: the effective access the engine computes, with
 * its reasons: for each grant the operator may see (users.view at its
 * organisation), the organisations it reaches after cluster narrowing and
 * what its roles do there; for each study at a site the operator may see
 * (org.view), the actions left and the rule that decided. What the
 * operator may not see is counted, never shown. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/screens.h"

static void grant_lines(struct ui_lines *l, const struct engine_world *w,
                        const struct engine_grant *g)
{
	const struct engine_org *o = engine_org(w, g->org);
	char roles[512] = "", pays[64];
	size_t at = 0;
	for (int i = 0; i < g->n_roles; i++)
		at += (size_t)snprintf(roles + at, sizeof roles - at, "%s%s",
		                       i ? ", " : "",
		                       engine_role(w, g->roles[i])->name);
	engine_names_text(pays, sizeof pays, g->payments, PAY_COUNT,
	                  engine_payment_name, " ");
	ui_lines_add(l, "%s - %s: %s; payment types: %s", o->code, o->name,
	             roles, pays[0] ? pays : "none");
	if (g->n_clusters == 0) {
		ui_lines_add(l,
		             "  reaches %s and every organisation below it (no "
		             "cluster selected)",
		             o->code);
	} else {
		for (int i = 0; i < g->n_clusters; i++) {
			const struct engine_cluster *c =
			    engine_cluster(w, g->clusters[i]);
			if (c->n_members == 0)
				ui_lines_add(
				    l,
				    "  cluster %s (%s) has no members: it "
				    "reaches nothing",
				    c->short_name, c->name);
			for (int m = 0; m < c->n_members; m++)
				ui_lines_add(
				    l,
				    "  reaches %s and below, through cluster "
				    "%s (%s)",
				    engine_org(w, c->members[m])->code,
				    c->short_name, c->name);
		}
		ui_lines_add(
		    l, "  not %s itself: a cluster selection narrows the grant",
		    o->code);
	}
	for (int i = 0; i < g->n_roles; i++) {
		const struct engine_role *r = engine_role(w, g->roles[i]);
		if (r->reach == REACH_ORGANISATION)
			ui_lines_add(
			    l, "  role %s acts on %s only%s", r->name, o->code,
			    g->n_clusters ? " (under the cluster selection: "
			                    "nowhere)"
			                  : "");
	}
}

struct ui_screen *screen_why_new(struct session *c, const char *login)
{
	if (!session_load_user(c, login))
		return NULL;
	const struct engine_world *w = c->world;
	int v = engine_user_find(w, login);
	struct engine_explain ex;
	engine_explain_init(&ex);
	if (!engine_may_see_user(w, c->op, v, &ex)) {
		char line[512];
		engine_reason_format(w, &ex.r[0], line, sizeof line);
		ui_error("Why? for %s: not allowed: %s", login, line);
		engine_explain_free(&ex);
		return NULL;
	}
	const struct engine_user *u = engine_user(w, v);
	struct ui_lines l = {0};
	char name[STORE_LIST_TEXT];
	store_user_name_text(u, name, sizeof name);
	ui_lines_add(&l, "# %s (%s): %s", u->login, name,
	             u->enabled ? "Enabled" : "Disabled (no access at all)");
	ui_lines_add(&l, "# Organisation access");
	int hidden = 0;
	for (int i = 0; i < u->n_grants; i++) {
		const struct engine_grant *g = engine_grant(w, u->grants[i]);
		if (engine_org_allows(w, c->op, ACT_USERS_VIEW, g->org, -1,
		                      NULL))
			grant_lines(&l, w, g);
		else
			hidden++;
	}
	if (u->n_grants == 0)
		ui_lines_add(&l, "no grant: no organisation access");
	if (hidden)
		ui_lines_add(&l, "+%d grant%s at organisations you may not see",
		             hidden, hidden == 1 ? "" : "s");
	ui_lines_add(&l, "# Study access");
	/* only studies at sites the operator may see (org.view); the rest
	 * are counted */
	int unseen = 0;
	for (int s = 0; s < engine_n_studies(w); s++) {
		const struct engine_study *st = engine_study(w, s);
		if (!engine_org_allows(w, c->op, ACT_ORG_VIEW, st->site, -1,
		                       NULL)) {
			unseen++;
			continue;
		}
		engine_explain_reset(&ex);
		engine_actions a = engine_study_actions(w, v, s, &ex);
		char acts[512], why[512] = "";
		engine_names_text(acts, sizeof acts, a, ACT_COUNT,
		                  engine_action_name, " ");
		for (int i = 0; i < ex.n; i++) {
			char line[256];
			engine_reason_format(w, &ex.r[i], line, sizeof line);
			size_t at = strlen(why);
			snprintf(why + at, sizeof why - at, "%s%s",
			         at ? "; " : "", line);
		}
		ui_lines_add(&l, "%s (site %s): %s", st->code,
		             engine_org(w, st->site)->code,
		             a ? "allowed" : "denied");
		ui_lines_add(&l, "  %s", why);
	}
	if (engine_n_studies(w) == 0)
		ui_lines_add(&l, "no studies");
	if (unseen)
		ui_lines_add(&l, "+%d stud%s at sites you may not see", unseen,
		             unseen == 1 ? "y" : "ies");
	engine_explain_free(&ex);
	char title[128];
	snprintf(title, sizeof title, "Why? %s: effective access", login);
	struct ui_screen *view =
	    l.nomem ? NULL
	            : ui_text_view_new(title, (const char *const *)l.v, l.n);
	ui_lines_free(&l);
	if (!view)
		ui_error("out of memory");
	return view;
}
