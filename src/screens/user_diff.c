/* user_diff.c: a user as saved now beside the operator's unsaved form,
 * after a conflict on Submit (screens.md, User Details: "offers to show
 * the other change beside it"): field by field, for the fields either side
 * changed, what the form was opened with, what was saved since, and the
 * operator's input. Grants at organisations the operator may not see are
 * left out (access-model.md section 5). */
#include <stdio.h>
#include <string.h>

#include "accessdesk/screens.h"

/* v's names, ", " between; "(none)" for none. */
static void names_text(char *const *v, int n, char *buf, size_t len)
{
	size_t at = 0;
	snprintf(buf, len, "%s", n ? "" : "(none)");
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
		                       i ? ", " : "", v[i]);
}

/* A grant at org as one line (roles; payment types; clusters), or "(no
 * grant)". */
static void grant_text(const struct store_user_form *f, const char *org,
                       char *buf, size_t len)
{
	const struct store_grant_form *g = store_user_grant(f, org);
	if (!g) {
		snprintf(buf, len, "(no grant)");
		return;
	}
	char roles[512], clusters[512], pays[64];
	names_text(g->roles, g->n_roles, roles, sizeof roles);
	names_text(g->clusters, g->n_clusters, clusters, sizeof clusters);
	engine_names_text(pays, sizeof pays, g->payments, PAY_COUNT,
	                  engine_payment_name, " ");
	snprintf(buf, len, "%s; %s; clusters: %s", roles,
	         pays[0] ? pays : "(none)", clusters);
}

static void sites_text(const struct store_user_form *f, char *buf, size_t len)
{
	size_t at = 0;
	snprintf(buf, len, "%s", f->n_sites ? "" : "(none)");
	for (int i = 0; i < f->n_sites && at < len; i++)
		at += (size_t)snprintf(
		    buf + at, len - at, "%s%s%s", i ? ", " : "",
		    f->sites[i].site,
		    f->sites[i].recruitment_only ? " (recruitment only)" : "");
}

/* A field's three values, when the saved or the operator's differs from
 * what the form was opened with. */
static void diff_field(struct ui_lines *l, const char *label,
                       const char *opened, const char *theirs,
                       const char *yours)
{
	if (strcmp(opened, theirs) == 0 && strcmp(opened, yours) == 0)
		return;
	ui_lines_add(l, "# %s", label);
	ui_lines_add(l, "  when you opened it  %s", opened[0] ? opened : "-");
	ui_lines_add(l, "  saved since         %s",
	             strcmp(theirs, opened) == 0 ? "(as when opened)"
	             : theirs[0]                 ? theirs
	                                         : "-");
	ui_lines_add(l, "  yours, not saved    %s",
	             strcmp(yours, opened) == 0 ? "(as when opened)"
	             : yours[0]                 ? yours
	                                        : "-");
}

/* Every organisation a grant of the three forms is at, once, in their
 * order; those the operator may not see left out (access-model.md
 * section 5). */
static void diff_grants(struct ui_lines *l, const struct session *c,
                        const struct store_user_form *const forms[3])
{
	for (int k = 0; k < 3; k++)
		for (int i = 0; i < forms[k]->n_grants; i++) {
			const char *org = forms[k]->grants[i].org;
			int o = engine_org_find(c->world, org);
			/* named once: by the first form that has it (a
			 * form has one grant an organisation) */
			bool named = false;
			for (int j = 0; j < k && !named; j++)
				named = store_user_grant(forms[j], org) != NULL;
			if (named || o < 0 ||
			    !engine_org_allows(c->world, c->op, ACT_USERS_VIEW,
			                       o, -1, NULL))
				continue;
			char t[3][1200], label[64];
			for (int j = 0; j < 3; j++)
				grant_text(forms[j], org, t[j], sizeof t[j]);
			snprintf(label, sizeof label, "Organisation %s", org);
			diff_field(l, label, t[0], t[1], t[2]);
		}
}

struct ui_screen *screen_user_diff_new(struct session *c,
                                       const struct store_user_form *o,
                                       const struct store_user_form *y,
                                       const char *why)
{
	struct store_user_form now;
	struct store_error err = {0};
	if (!store_user_read(c->store, y->login, &now, &err)) {
		ui_error("%s", err.message);
		return NULL;
	}
	const struct store_user_form *const forms[3] = {o, &now, y};
	struct ui_lines l = {0};
	ui_lines_add(&l, "%s.", why);
	ui_lines_add(&l, "Your input is kept in the form; reopen the user to "
	                 "start from what is saved.");
	diff_field(&l, "Email Address", o->email, now.email, y->email);
	diff_field(&l, "Title", o->title, now.title, y->title);
	diff_field(&l, "First Name", o->first_name, now.first_name,
	           y->first_name);
	diff_field(&l, "Last Name", o->last_name, now.last_name, y->last_name);
	diff_field(&l, "Work Phone", o->work_phone, now.work_phone,
	           y->work_phone);
	diff_field(&l, "Mobile Phone", o->mobile_phone, now.mobile_phone,
	           y->mobile_phone);
	diff_field(&l, "CQRS Access", o->enabled ? "Enabled" : "Disabled",
	           now.enabled ? "Enabled" : "Disabled",
	           y->enabled ? "Enabled" : "Disabled");
	diff_grants(&l, c, forms);
	char t[3][1200];
	for (int j = 0; j < 3; j++)
		names_text(forms[j]->profile_roles, forms[j]->n_profile_roles,
		           t[j], sizeof t[j]);
	diff_field(&l, "Study Profile Roles", t[0], t[1], t[2]);
	for (int j = 0; j < 3; j++)
		sites_text(forms[j], t[j], sizeof t[j]);
	diff_field(&l, "Sites", t[0], t[1], t[2]);
	for (int j = 0; j < 3; j++)
		names_text(forms[j]->studies, forms[j]->n_studies, t[j],
		           sizeof t[j]);
	diff_field(&l, "Restricted Studies", t[0], t[1], t[2]);
	store_user_form_free(&now);
	char title[128];
	snprintf(title, sizeof title, "%s: saved since, beside yours",
	         y->login);
	struct ui_screen *v =
	    l.nomem ? NULL
	            : ui_text_view_new(title, (const char *const *)l.v, l.n);
	ui_lines_free(&l);
	if (!v)
		ui_error("out of memory");
	return v;
}
