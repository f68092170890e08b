/* user_form.c: User Details: every field of the CQRS form in its order
 * and with its words, organisation access with roles, payment types and
 * Service Provider Clusters for the grant under the cursor, and the
 * ClinSpark study profile. The screen is its fields (on the form widget,
 * ui_form.h, bound to the form's data), its keys and its engine calls:
 * the items are rebuilt from the data on every key, so what is shown is
 * always what will be submitted. What the operator may not change is shown
 * read-only and says why (the engine's explanation); every change the
 * operator makes is asked of the engine at once, and again by the store's
 * transaction on Submit.
 *
 * Nothing here outlives a reload of the world but the form's own data
 * (names and codes): items name roles and clusters by a key of their
 * name, never by an engine id, and the callbacks look them up again. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/engine_reach.h"
#include "accessdesk/screens.h"
#include "accessdesk/text.h"
#include "accessdesk/ui_form.h"
#include "accessdesk/ui_picker.h"
#include "accessdesk/ui_tree.h"

enum item_id {
	ID_HEADER,
	ID_LABEL,
	ID_EMAIL,
	ID_CONFIRM,
	ID_TITLE,
	ID_FIRST,
	ID_LAST,
	ID_LOGIN,
	ID_WORK,
	ID_MOBILE,
	ID_ENABLED,
	ID_RESEND,
	ID_GRANT, /* arg: grant index in the form */
	ID_ADD_ORG,
	ID_REMOVE_ORG,
	ID_ROLE,         /* arg: name_key(role name) */
	ID_PAY,          /* arg: payment type */
	ID_CLUSTER,      /* arg: name_key(short name) */
	ID_PROFILE_ROLE, /* arg: name_key(role name) */
	ID_SITE,         /* arg: site index: toggles Recruitment Restriction? */
	ID_REMOVE_SITE,  /* arg: site index */
	ID_ADD_SITE,
	ID_STUDY,        /* arg: study index */
	ID_REMOVE_STUDY, /* arg: study index */
	ID_ADD_STUDY,
	ID_SUBMIT,
};

struct form {
	struct ui_screen screen;
	struct session *c;
	struct store_user_form f, orig;
	char *confirm;          /* the email again, on creation */
	char *login_shown;      /* what the User ID field shows */
	int v;                  /* the user's engine id, -1 for a new user */
	long generation;        /* of the world v was found in */
	int grant;              /* the grant under the cursor (form index) */
	int title_i, enabled_i; /* the choice's and the radio's values */
	struct ui_form *ui;
	char why_contact[512], why_manage[512], why_profile[512];
	/* clusters whose members are shown under their box (M), by short
	 * name: one looks before ticking */
	char **members_shown;
	int n_members_shown;
};

static const struct ui_keydef form_keys[] = {
    {REQ_SUBMIT, NULL, "Submit the form", true, 0},
    {REQ_BACK, NULL, "Back (asking first when there are unsaved changes)", true,
     0},
    {REQ_QUIT, "Back", "Back, as Esc (outside a text field)", false, 0},
    {REQ_MEMBERS, NULL,
     "On a Service Provider Cluster: show or hide its members", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_user_form_keymap = {"user-form", "User Details",
                                                  form_keys, &ui_form_keymap};
/* Read-only mode hides what changes things (screens.md). */
static const struct ui_keydef form_keys_read_only[] = {
    {REQ_BACK, NULL, "Back", true, 0},
    {REQ_QUIT, "Back", "Back, as Esc", false, 0},
    /* not offered, but answered: it says why not */
    {REQ_SUBMIT, NULL, "Submit (not in read-only mode)", false, 0},
    {REQ_MEMBERS, NULL,
     "On a Service Provider Cluster: show or hide its members", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_user_form_keymap_read_only = {
    "user-form-read-only", "User Details", form_keys_read_only,
    &ui_form_keymap};

static const char *const titles[] = {"",   "Mr", "Mrs", "Miss",
                                     "Ms", "Mx", "Dr",  "Prof"};
static const char *const titles_shown[] = {"(none)", "Mr", "Mrs", "Miss",
                                           "Ms",     "Mx", "Dr",  "Prof"};
#define N_TITLES ((int)(sizeof titles / sizeof *titles))
static const char *const access_options[] = {"Enabled", "Disabled"};

static const char *read_only_mode = "read-only mode: nothing can be changed";

/* ---- small helpers ---------------------------------------------------- */

static bool set_str(char **slot, const char *value)
{
	char *copy = strdup(value ? value : "");
	if (!copy)
		return false;
	free(*slot);
	*slot = copy;
	return true;
}

/* Hidden grants (access-model.md section 5): the user's grants at
 * organisations where the operator lacks users.view stay in the form, so
 * that a save writes them back unchanged, but are never shown, nor named
 * by an explanation. */
static bool org_hidden(const struct form *fm, int org)
{
	return org < 0 || !engine_org_allows(fm->c->world, fm->c->op,
	                                     ACT_USERS_VIEW, org, -1, NULL);
}

static bool grant_hidden(const struct form *fm, int g)
{
	return org_hidden(fm,
	                  engine_org_find(fm->c->world, fm->f.grants[g].org));
}

/* The grant shown at or after index from, else the last shown before it;
 * -1 when none is shown. */
static int shown_grant(const struct form *fm, int from)
{
	for (int g = from; g < fm->f.n_grants; g++)
		if (!grant_hidden(fm, g))
			return g;
	for (int g = from - 1; g >= 0; g--)
		if (!grant_hidden(fm, g))
			return g;
	return -1;
}

/* The engine's explanation as one line; what it says of hidden grants
 * becomes a count (the store's wording, shared with its refusals). */
static void explain_text(const struct form *fm, const struct engine_explain *ex,
                         char *buf, size_t len)
{
	store_explain_line(fm->c->world, fm->c->op, fm->v, ex, buf, len);
}

static void refuse(struct form *fm, struct engine_explain *ex, const char *what)
{
	char why[600];
	explain_text(fm, ex, why, sizeof why);
	ui_error("Cannot %s: %s", what, why);
}

/* ---- permissions ------------------------------------------------------ */

/* What the operator may do with this user, with the reasons why not. */
static void decide_permissions(struct form *fm)
{
	const struct engine_world *w = fm->c->world;
	struct engine_explain ex;
	engine_explain_init(&ex);
	fm->why_contact[0] = fm->why_manage[0] = fm->why_profile[0] = '\0';
	if (fm->c->read_only) {
		snprintf(fm->why_contact, sizeof fm->why_contact, "%s",
		         read_only_mode);
		snprintf(fm->why_manage, sizeof fm->why_manage, "%s",
		         read_only_mode);
		snprintf(fm->why_profile, sizeof fm->why_profile, "%s",
		         read_only_mode);
	} else if (fm->v >= 0) {
		if (!engine_may_edit_contact(w, fm->c->op, fm->v, &ex))
			explain_text(fm, &ex, fm->why_contact,
			             sizeof fm->why_contact);
		engine_explain_reset(&ex);
		if (!engine_may_manage_user(w, fm->c->op, fm->v, &ex))
			explain_text(fm, &ex, fm->why_manage,
			             sizeof fm->why_manage);
		engine_explain_reset(&ex);
		struct engine_profile_change none = {0};
		if (!engine_may_edit_profile(w, fm->c->op, fm->v, false, &none,
		                             &ex))
			explain_text(fm, &ex, fm->why_profile,
			             sizeof fm->why_profile);
	}
	engine_explain_free(&ex);
}

static const char *ro(const char *why)
{
	return why && why[0] ? why : NULL;
}

/* May the grant become `after` (NULL: revoked)? Says why not. */
static bool grant_change_ok(struct form *fm,
                            const struct store_grant_form *after,
                            const char *org, const char *what)
{
	struct session *c = fm->c;
	struct store_spec_buf before_buf = {0}, after_buf = {0};
	struct store_error err = {0};
	const struct store_grant_form *before =
	    store_user_grant(&fm->orig, org);
	if (before && !store_grant_spec(c->world, before, &before_buf, &err))
		before = NULL;
	if (after && !store_grant_spec(c->world, after, &after_buf, &err)) {
		ui_error("%s", err.message);
		store_spec_buf_free(&before_buf);
		store_spec_buf_free(&after_buf);
		return false;
	}
	bool ok = true; /* added and removed here: nothing to ask */
	if (before || after) {
		struct engine_explain ex;
		engine_explain_init(&ex);
		ok = engine_may_change_grant(c->world, c->op, fm->v, fm->v < 0,
		                             before ? &before_buf.spec : NULL,
		                             after ? &after_buf.spec : NULL,
		                             &ex);
		if (!ok)
			refuse(fm, &ex, what);
		engine_explain_free(&ex);
	}
	store_spec_buf_free(&before_buf);
	store_spec_buf_free(&after_buf);
	return ok;
}

/* May the profile change by this role, site or study? */
static bool profile_change_ok(struct form *fm, int role, int site, int study,
                              const char *what)
{
	if (fm->v < 0)
		return true; /* a new user: the store decides it whole */
	struct engine_profile_change chg = {&role,     role >= 0, &site,
	                                    site >= 0, &study,    study >= 0};
	struct engine_explain ex;
	engine_explain_init(&ex);
	bool ok = engine_may_edit_profile(fm->c->world, fm->c->op, fm->v, false,
	                                  &chg, &ex);
	if (!ok)
		refuse(fm, &ex, what);
	engine_explain_free(&ex);
	return ok;
}

/* A key for a role's or cluster's name that survives a reload (an
 * engine id does not): FNV-1a, positive. */
static int name_key(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (int)(h & 0x7fffffff);
}

static int role_by_key(const struct engine_world *w, int key)
{
	for (int r = 0; r < engine_n_roles(w); r++)
		if (name_key(engine_role(w, r)->name) == key)
			return r;
	return -1;
}

static int cluster_by_key(const struct engine_world *w, int key)
{
	for (int c = 0; c < engine_n_clusters(w); c++)
		if (name_key(engine_cluster(w, c)->short_name) == key)
			return c;
	return -1;
}

/* ---- building the items ----------------------------------------------- */

static void act(void *ctx, int id, int arg);

static void title_changed(void *ctx, int id, int arg)
{
	struct form *fm = ctx;
	(void)id;
	(void)arg;
	if (!set_str(&fm->f.title, titles[fm->title_i]))
		ui_error("out of memory");
}

static void enabled_changed(void *ctx, int id, int arg)
{
	struct form *fm = ctx;
	(void)id;
	(void)arg;
	fm->f.enabled = fm->enabled_i == 0;
}

/* A button, or nothing in read-only mode (it hides what changes things). */
static struct ui_form_item *button(struct form *fm, enum item_id id, int arg,
                                   const char *text, const char *why)
{
	if (fm->c->read_only)
		return NULL;
	struct ui_form_item *it = ui_form_button(fm->ui, id, arg, text, act);
	ui_form_readonly(it, why);
	return it;
}

/* A note as several static lines of at most 70 columns, at spaces. */
static void add_wrapped(struct form *fm, const char *text)
{
	const size_t width = 70;
	char line[128];
	while (*text) {
		size_t n = strlen(text);
		if (n > width) {
			n = width;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = width;
		}
		snprintf(line, sizeof line, "%.*s", (int)n, text);
		ui_form_static(fm->ui, ID_LABEL, 0, NULL, line);
		text += n;
		while (*text == ' ')
			text++;
	}
}

/* The members of a cluster under its box: what ticking it narrows the
 * grant to (each member and everything below it). */
static void cluster_members(struct form *fm, const struct engine_cluster *c)
{
	const struct engine_world *w = fm->c->world;
	char text[300];
	if (c->n_members == 0)
		ui_form_static(fm->ui, ID_LABEL, 7, NULL,
		               "        no members: ticked alone, it leaves "
		               "the grant reaching nothing");
	for (int i = 0; i < c->n_members; i++) {
		const struct engine_org *m = engine_org(w, c->members[i]);
		snprintf(text, sizeof text, "        %s - %s%s", m->code,
		         m->name, m->last > m->pre ? " and below" : "");
		ui_form_static(fm->ui, ID_LABEL, 7, NULL, text);
	}
}

/* M on a cluster's box: its members shown, or hidden again. */
static void toggle_members_shown(struct form *fm, int key)
{
	int cl = cluster_by_key(fm->c->world, key);
	if (cl < 0)
		return;
	const char *sn = engine_cluster(fm->c->world, cl)->short_name;
	int at = store_names_find(fm->members_shown, fm->n_members_shown, sn);
	if (at >= 0)
		store_names_remove(fm->members_shown, &fm->n_members_shown, at);
	else if (!store_names_add(&fm->members_shown, &fm->n_members_shown, sn))
		ui_error("out of memory");
}

static void build_grant(struct form *fm, struct store_grant_form *g,
                        const char *manage)
{
	const struct engine_world *w = fm->c->world;
	struct ui_form *u = fm->ui;
	struct ui_form_item *it;
	char text[256];
	int org = engine_org_find(w, g->org);
	/* the grant's code stays in view while its lists are edited */
	snprintf(text, sizeof text, "%s - %s:", g->org,
	         org >= 0 ? engine_org(w, org)->name : "?");
	it = ui_form_static(u, ID_LABEL, 1, NULL, text);
	ui_form_sticky(it);
	ui_form_style(it, STYLE_BOLD);
	ui_form_static(u, ID_LABEL, 2, "Roles", "");
	for (int r = 0; r < engine_n_roles(w); r++) {
		const struct engine_role *role = engine_role(w, r);
		if (role->domain != DOMAIN_ORGANISATION)
			continue;
		it = ui_form_check_fn(
		    u, ID_ROLE, name_key(role->name), role->name,
		    store_names_find(g->roles, g->n_roles, role->name) >= 0,
		    act);
		ui_form_same_row(it);
		ui_form_readonly(it, manage);
	}
	ui_form_static(u, ID_LABEL, 3, "Payment Type", "");
	for (int p = 0; p < PAY_COUNT; p++) {
		it = ui_form_check_fn(u, ID_PAY, p, engine_payment_name(p),
		                      (g->payments & ENGINE_PAY(p)) != 0, act);
		ui_form_same_row(it);
		ui_form_readonly(it, manage);
	}
	/* a jump of its own (^F), under the grant's sticky code */
	ui_form_subheading(u, ID_HEADER, 4, "  Service Provider Cluster(s):");
	add_wrapped(fm, "Note: When no Provider Cluster is selected the "
	                "user's access is not restricted by Provider "
	                "Cluster.");
	int shown = 0;
	for (int cl = 0; cl < engine_n_clusters(w); cl++) {
		const struct engine_cluster *c = engine_cluster(w, cl);
		if (c->owner != org)
			continue;
		if (shown++ == 0)
			ui_form_static(
			    u, ID_LABEL, 5, NULL,
			    "    Short Name  Name   (M: its members)");
		snprintf(text, sizeof text, "%s  %s", c->short_name, c->name);
		it = ui_form_check_fn(
		    u, ID_CLUSTER, name_key(c->short_name), text,
		    store_names_find(g->clusters, g->n_clusters,
		                     c->short_name) >= 0,
		    act);
		ui_form_readonly(it, manage);
		if (store_names_find(fm->members_shown, fm->n_members_shown,
		                     c->short_name) >= 0)
			cluster_members(fm, c);
	}
	if (shown == 0)
		ui_form_static(
		    u, ID_LABEL, 6, NULL,
		    "There are no Provider Clusters defined for this "
		    "organisation");
}

static void build(struct form *fm)
{
	const struct engine_world *w = fm->c->world;
	struct store_user_form *f = &fm->f;
	struct ui_form *u = fm->ui;
	const char *contact = ro(fm->why_contact);
	const char *manage = ro(fm->why_manage);
	const char *profile = ro(fm->why_profile);
	struct ui_form_item *it;
	char text[256];
	ui_form_clear(u);

	it = ui_form_text(u, ID_EMAIL, 0, "Email Address *", &f->email, 254);
	ui_form_readonly(it, contact);
	if (fm->v < 0)
		ui_form_text(u, ID_CONFIRM, 0, "Confirm Email *", &fm->confirm,
		             254);
	fm->title_i = 0;
	for (int i = 0; i < N_TITLES; i++)
		if (strcmp(f->title, titles[i]) == 0)
			fm->title_i = i;
	it = ui_form_choice(u, ID_TITLE, 0, "Title", &fm->title_i, titles_shown,
	                    N_TITLES);
	ui_form_on_change(it, title_changed);
	ui_form_readonly(it, contact);
	it = ui_form_text(u, ID_FIRST, 0, "First Name *", &f->first_name, 200);
	ui_form_readonly(it, contact);
	it = ui_form_text(u, ID_LAST, 0, "Last Name *", &f->last_name, 200);
	ui_form_readonly(it, contact);
	if (!set_str(&fm->login_shown,
	             fm->v < 0 ? "(generated from the name on Submit)"
	                       : f->login))
		ui_error("out of memory");
	it = ui_form_text(u, ID_LOGIN, 0, "User ID", &fm->login_shown, 0);
	ui_form_readonly(it, fm->v < 0 ? "generated from the name on Submit"
	                               : "a User ID never changes");
	it = ui_form_text(u, ID_WORK, 0, "Work Phone *", &f->work_phone, 32);
	ui_form_readonly(it, contact);
	it =
	    ui_form_text(u, ID_MOBILE, 0, "Mobile Phone", &f->mobile_phone, 32);
	ui_form_readonly(it, contact);

	ui_form_heading(u, ID_HEADER, 1, "CQRS Access");
	fm->enabled_i = f->enabled ? 0 : 1;
	it = ui_form_radio(u, ID_ENABLED, 0, NULL, &fm->enabled_i,
	                   access_options, 2);
	ui_form_on_change(it, enabled_changed);
	ui_form_readonly(it, manage);
	ui_form_name(it, "CQRS Access");
	if (fm->v >= 0)
		ui_form_same_row(button(fm, ID_RESEND, 0,
		                        "Resend Registration Email", manage));

	ui_form_heading(u, ID_HEADER, 2, "Organisation Access");
	if (f->n_grants == 0)
		ui_form_static(u, ID_LABEL, 0, NULL, "No organisation access.");
	/* the grant under the cursor is always one that is shown */
	if (fm->grant < 0 || fm->grant >= f->n_grants ||
	    grant_hidden(fm, fm->grant))
		fm->grant = shown_grant(fm, fm->grant > 0 ? fm->grant : 0);
	int hidden = 0;
	for (int g = 0; g < f->n_grants; g++) {
		if (grant_hidden(fm, g)) {
			hidden++;
			continue;
		}
		int o = engine_org_find(w, f->grants[g].org);
		snprintf(text, sizeof text, "%s %s - %s",
		         g == fm->grant ? ">" : " ", f->grants[g].org,
		         o >= 0 ? engine_org(w, o)->name : "?");
		ui_form_line(u, ID_GRANT, g, text, NULL);
	}
	if (hidden) { /* as the Users list counts them */
		snprintf(text, sizeof text, "  +%d not shown", hidden);
		ui_form_static(u, ID_LABEL, 0, NULL, text);
	}
	button(fm, ID_ADD_ORG, 0, "Add Organisation", manage);
	if (fm->grant >= 0 && fm->grant < f->n_grants) {
		struct store_grant_form *g = &f->grants[fm->grant];
		snprintf(text, sizeof text, "Remove Organisation %s", g->org);
		ui_form_same_row(button(fm, ID_REMOVE_ORG, 0, text, manage));
		build_grant(fm, g, manage);
	}

	ui_form_heading(u, ID_HEADER, 3, "Study Profile");
	ui_form_static(u, ID_LABEL, 7, "Roles", "");
	for (int r = 0; r < engine_n_roles(w); r++) {
		const struct engine_role *role = engine_role(w, r);
		if (role->domain != DOMAIN_STUDY)
			continue;
		it = ui_form_check_fn(
		    u, ID_PROFILE_ROLE, name_key(role->name), role->name,
		    store_names_find(f->profile_roles, f->n_profile_roles,
		                     role->name) >= 0,
		    act);
		ui_form_same_row(it);
		ui_form_readonly(it, profile);
	}
	ui_form_static(u, ID_LABEL, 8, "Sites", f->n_sites ? "" : "none");
	for (int i = 0; i < f->n_sites; i++) {
		int o = engine_org_find(w, f->sites[i].site);
		snprintf(text, sizeof text, "Recruitment Restriction?  %s - %s",
		         f->sites[i].site,
		         o >= 0 ? engine_org(w, o)->name : "?");
		it = ui_form_check_fn(u, ID_SITE, i, text,
		                      f->sites[i].recruitment_only, act);
		ui_form_readonly(it, profile);
		snprintf(text, sizeof text, "Remove %s", f->sites[i].site);
		ui_form_same_row(button(fm, ID_REMOVE_SITE, i, text, profile));
	}
	button(fm, ID_ADD_SITE, 0, "Add Site", profile);
	ui_form_static(u, ID_LABEL, 9, "Restricted Studies",
	               f->n_studies ? "" : "none");
	for (int i = 0; i < f->n_studies; i++) {
		int s = engine_study_find(w, f->studies[i]);
		snprintf(text, sizeof text, "%s - %s", f->studies[i],
		         s >= 0 ? engine_study(w, s)->name : "?");
		ui_form_static(u, ID_STUDY, i, NULL, text);
		snprintf(text, sizeof text, "Remove %s", f->studies[i]);
		ui_form_same_row(button(fm, ID_REMOVE_STUDY, i, text, profile));
	}
	button(fm, ID_ADD_STUDY, 0, "Add Study", profile);
	button(fm, ID_SUBMIT, 0, "Submit", NULL);
	ui_form_done(u);
}

/* ---- drawing ---------------------------------------------------------- */

static void changed(struct ui_screen *s);
static void current(struct form *fm);

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct form *fm = (struct form *)s;
	current(fm);
	build(fm);
	char title[128];
	snprintf(title, sizeof title,
	         "User Details%s%s   * indicates required field(s)",
	         fm->v >= 0 ? ": " : " (new user)",
	         fm->v >= 0 ? fm->f.login : "");
	ui_text(a, 0, 0, a.w, STYLE_HEADER, title);
	ui_form_draw(fm->ui, (struct ui_area){a.y + 1, a.x, a.h - 1, a.w});
}

/* ---- changing --------------------------------------------------------- */

/* The grant under the cursor with one name of one of its lists (roles or
 * clusters) toggled: asked of the engine, and kept only when allowed. */
static void toggle_grant_name(struct form *fm, bool clusters, const char *name,
                              const char *add_what, const char *remove_what)
{
	struct store_grant_form *g = &fm->f.grants[fm->grant];
	struct store_grant_form after;
	if (!store_grant_form_copy(&after, g)) {
		store_grant_form_free(&after);
		ui_error("out of memory");
		return;
	}
	char ***v = clusters ? &after.clusters : &after.roles;
	int *n = clusters ? &after.n_clusters : &after.n_roles;
	int at = store_names_find(*v, *n, name);
	if (at >= 0) {
		store_names_remove(*v, n, at);
	} else if (!store_names_add(v, n, name)) {
		store_grant_form_free(&after);
		ui_error("out of memory");
		return;
	}
	/* a grant needs a role: the check waits until it has one */
	if (after.n_roles > 0 &&
	    !grant_change_ok(fm, &after, g->org,
	                     at >= 0 ? remove_what : add_what)) {
		store_grant_form_free(&after);
		return;
	}
	store_grant_form_free(g);
	*g = after;
}

static void toggle_role(struct form *fm, int role)
{
	toggle_grant_name(fm, false, engine_role(fm->c->world, role)->name,
	                  "give this role", "remove this role");
}

static void toggle_payment(struct form *fm, int p)
{
	struct store_grant_form *g = &fm->f.grants[fm->grant];
	struct store_grant_form after = *g;
	after.payments ^= ENGINE_PAY(p);
	if (after.n_roles > 0 &&
	    !grant_change_ok(fm, &after, g->org, "change payment types"))
		return;
	g->payments = after.payments;
}

static void toggle_cluster(struct form *fm, int cl)
{
	toggle_grant_name(fm, true,
	                  engine_cluster(fm->c->world, cl)->short_name,
	                  "change the clusters", "change the clusters");
}

static void remove_grant(struct form *fm)
{
	struct store_user_form *f = &fm->f;
	struct store_grant_form *g = &f->grants[fm->grant];
	if (!grant_change_ok(fm, NULL, g->org, "remove this organisation"))
		return;
	store_grant_form_free(g);
	memmove(g, g + 1, (size_t)(f->n_grants - fm->grant - 1) * sizeof *g);
	f->n_grants--;
	if (fm->grant >= f->n_grants)
		fm->grant = f->n_grants - 1;
}

static void toggle_profile_role(struct form *fm, int role)
{
	struct store_user_form *f = &fm->f;
	const char *name = engine_role(fm->c->world, role)->name;
	if (!profile_change_ok(fm, role, -1, -1, "change the study roles"))
		return;
	int at = store_names_find(f->profile_roles, f->n_profile_roles, name);
	if (at >= 0)
		store_names_remove(f->profile_roles, &f->n_profile_roles, at);
	else if (!store_names_add(&f->profile_roles, &f->n_profile_roles, name))
		ui_error("out of memory");
}

/* ---- pickers ---------------------------------------------------------- */

/* The picker copies its items and gives back a code, looked up again on
 * the world of the moment: a reload may have come while it was open. */
static void push_picker(struct form *fm, const char *title,
                        struct ui_pick_item *items, int n,
                        void (*picked)(void *ctx, const char *code))
{
	struct ui_screen *p = ui_picker_new(title, items, n, picked, fm);
	free(items);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

static void picked_org(void *ctx, const char *code)
{
	struct form *fm = ctx;
	struct store_user_form *f = &fm->f;
	int at = engine_org_find(fm->c->world, code);
	if (at < 0) {
		ui_error("Organisation %s is no longer there.", code);
		return;
	}
	const struct engine_org *o = engine_org(fm->c->world, at);
	struct store_grant_form *g =
	    realloc(f->grants, ((size_t)f->n_grants + 1) * sizeof *g);
	if (!g) {
		ui_error("out of memory");
		return;
	}
	f->grants = g;
	g = &f->grants[f->n_grants];
	memset(g, 0, sizeof *g);
	snprintf(g->org, sizeof g->org, "%s", o->code);
	fm->grant = f->n_grants++;
	ui_message("Added %s: choose its roles (a grant needs at least one).",
	           o->code);
}

static void picked_site(void *ctx, const char *code)
{
	struct form *fm = ctx;
	struct store_user_form *f = &fm->f;
	int site = engine_org_find(fm->c->world, code);
	if (site < 0) {
		ui_error("Site %s is no longer there.", code);
		return;
	}
	if (!profile_change_ok(fm, -1, site, -1, "add this site"))
		return;
	if (!store_user_add_site(f, engine_org(fm->c->world, site)->code,
	                         false))
		ui_error("out of memory");
}

static void picked_study(void *ctx, const char *code)
{
	struct form *fm = ctx;
	struct store_user_form *f = &fm->f;
	int st = engine_study_find(fm->c->world, code);
	if (st < 0) {
		ui_error("Study %s is no longer there.", code);
		return;
	}
	if (!profile_change_ok(fm, -1, -1, st, "add this study"))
		return;
	if (!store_names_add(&f->studies, &f->n_studies,
	                     engine_study(fm->c->world, st)->code))
		ui_error("out of memory");
}

/* The organisation tree to pick from (sites only pickable when sites):
 * the world's organisations, those the operator may not manage users at
 * (or not a site, or granted already) dim with the reason, those hidden
 * from the operator (no users.view, nothing to manage) left out. The tree
 * copies the nodes and gives back a code. */
struct org_judge {
	struct form *fm;
	bool sites;
	struct engine_explain ex;
};

static bool judge_org(void *ctx, int o, char *reason, size_t len)
{
	struct org_judge *j = ctx;
	struct form *fm = j->fm;
	const struct engine_org *org = engine_org(fm->c->world, o);
	engine_explain_reset(&j->ex);
	bool manage = engine_org_allows(fm->c->world, fm->c->op,
	                                ACT_USERS_MANAGE, o, -1, &j->ex);
	if (org_hidden(fm, o) && !manage)
		return false;
	if (!manage)
		explain_text(fm, &j->ex, reason, len);
	else if (j->sites && !org->is_site)
		snprintf(reason, len, "%s is not a site", org->code);
	else if (!j->sites && store_user_grant(&fm->f, org->code))
		snprintf(reason, len, "the user has a grant at %s already",
		         org->code);
	else if (!j->sites && org_hidden(fm, o))
		snprintf(reason, len, "you may not see users at %s", org->code);
	return true;
}

static void open_org_picker(struct form *fm, bool sites)
{
	struct org_judge j = {fm, sites, {0}};
	struct org_nodes on;
	engine_explain_init(&j.ex);
	bool built = org_nodes_build(&on, fm->c->world, judge_org, &j);
	engine_explain_free(&j.ex);
	if (!built) {
		ui_error("out of memory");
		return;
	}
	struct ui_screen *picker = NULL;
	if (on.n_pickable == 0)
		ui_error("There is no %s where you manage users.",
		         sites ? "site" : "further organisation");
	else if (!(picker = ui_tree_picker_new(
	               sites ? "Add Site" : "Add Organisation", on.nodes, on.n,
	               sites ? picked_site : picked_org, fm)))
		ui_error("out of memory");
	else
		ui_push(picker);
	org_nodes_free(&on);
}

static void open_study_picker(struct form *fm)
{
	const struct engine_world *w = fm->c->world;
	int n = engine_n_studies(w), n_pick = 0;
	struct ui_pick_item *pick = calloc((size_t)n + 1, sizeof *pick);
	if (!pick) {
		ui_error("out of memory");
		return;
	}
	for (int s = 0; s < n; s++) {
		const struct engine_study *st = engine_study(w, s);
		if (store_names_find(fm->f.studies, fm->f.n_studies,
		                     st->code) >= 0 ||
		    !engine_org_allows(w, fm->c->op, ACT_USERS_MANAGE, st->site,
		                       -1, NULL))
			continue;
		pick[n_pick++] =
		    (struct ui_pick_item){st->code, st->name, NULL};
	}
	if (n_pick == 0) {
		free(pick);
		ui_error("There is no further study at a site where you manage "
		         "users.");
		return;
	}
	push_picker(fm, "Add Restricted Study", pick, n_pick, picked_study);
}

/* ---- submit ----------------------------------------------------------- */

/* A new user's form starts blank: left untouched, it has nothing to lose. */
static bool dirty(const struct form *fm)
{
	return (fm->v < 0 && fm->confirm && fm->confirm[0]) ||
	       store_user_form_differs(&fm->f, &fm->orig);
}

/* Puts the focus on the item with this id. */
static void focus_on(struct form *fm, enum item_id id, int arg)
{
	build(fm);
	ui_form_focus(fm->ui, (int)id, arg);
}

static const enum item_id field_items[USER_FIELD_COUNT] = {
    [USER_FIELD_EMAIL] = ID_EMAIL,         [USER_FIELD_TITLE] = ID_TITLE,
    [USER_FIELD_FIRST_NAME] = ID_FIRST,    [USER_FIELD_LAST_NAME] = ID_LAST,
    [USER_FIELD_LOGIN] = ID_LOGIN,         [USER_FIELD_WORK_PHONE] = ID_WORK,
    [USER_FIELD_MOBILE_PHONE] = ID_MOBILE,
};

/* Every field's rule, then the form's own: the first problem focused. */
static bool valid(struct form *fm)
{
	struct store_user_form *f = &fm->f;
	const char *values[USER_FIELD_COUNT] = {
	    f->email, f->title,      f->first_name,  f->last_name,
	    "x",      f->work_phone, f->mobile_phone};
	char msg[256];
	for (int i = 0; i < USER_FIELD_COUNT; i++)
		if (!store_user_field_valid((enum store_user_field)i, values[i],
		                            msg, sizeof msg)) {
			focus_on(fm, field_items[i], -1);
			ui_error("%s", msg);
			return false;
		}
	if (fm->v < 0 && strcmp(f->email, fm->confirm) != 0) {
		focus_on(fm, ID_CONFIRM, -1);
		ui_error("Confirm Email does not match Email Address");
		return false;
	}
	if (strcmp(f->email, fm->orig.email ? fm->orig.email : "") != 0 &&
	    !config_email_allowed(fm->c->config, f->email)) {
		focus_on(fm, ID_EMAIL, -1);
		ui_error("Email Address: the domain is not one this service "
		         "allows (email.allowed_domains)");
		return false;
	}
	for (int g = 0; g < f->n_grants; g++)
		if (f->grants[g].n_roles == 0) {
			fm->grant = g;
			focus_on(fm, ID_GRANT, g);
			ui_error("Organisation %s needs at least one role",
			         f->grants[g].org);
			return false;
		}
	return true;
}

static bool reread(struct form *fm, const char *login)
{
	struct store_user_form fresh;
	struct store_error err = {0};
	if (!store_user_read(fm->c->store, login, &fresh, &err)) {
		ui_error("%s", err.message);
		return false;
	}
	store_user_form_free(&fm->orig);
	store_user_form_free(&fm->f);
	fm->orig = fresh;
	if (!store_user_form_copy(&fm->f, &fresh)) {
		ui_error("out of memory");
		return false;
	}
	return true;
}

/* An email another user already has: a warning, never a refusal (when the
 * field is left, and on Submit). The other user is named only to an
 * operator who may see them. buf gets "" when there is nothing to say. */
static void email_warning(struct form *fm, char *buf, size_t len)
{
	struct session *c = fm->c;
	const char *email = fm->f.email ? fm->f.email : "";
	struct store_error err = {0};
	char other[65]; /* a login: at most 64 */
	buf[0] = '\0';
	if (!*email ||
	    strcmp(email, fm->orig.email ? fm->orig.email : "") == 0 ||
	    !store_email_taken(c->store, email, fm->f.id, other, sizeof other,
	                       &err))
		return;
	int v = engine_user_find(c->world, other);
	if (v < 0 && session_load_user(c, other))
		v = engine_user_find(c->world, other);
	if (v >= 0 && engine_may_see_user(c->world, c->op, v, NULL))
		snprintf(buf, len,
		         "Warning: %s already has this email address.", other);
	else
		snprintf(buf, len,
		         "Warning: another user already has this email "
		         "address.");
}

/* The grants' specs for the engine (names resolved on the world of the
 * moment; a grant that no longer resolves is left out). *n gets how many;
 * free with free_specs. */
static struct store_spec_buf *grant_specs(const struct form *fm,
                                          const struct store_user_form *f,
                                          struct engine_grant_spec *specs,
                                          int *n)
{
	struct store_spec_buf *bufs =
	    calloc((size_t)f->n_grants + 1, sizeof *bufs);
	*n = 0;
	if (!bufs)
		return NULL;
	for (int g = 0; g < f->n_grants; g++) {
		struct store_error err = {0};
		if (store_grant_spec(fm->c->world, &f->grants[g], &bufs[*n],
		                     &err)) {
			specs[*n] = bufs[*n].spec;
			(*n)++;
		}
	}
	return bufs;
}

static void free_specs(struct store_spec_buf *bufs, int n)
{
	for (int i = 0; bufs && i < n; i++)
		store_spec_buf_free(&bufs[i]);
	free(bufs);
}

/* Does a recruitment-only site leave this form's user no action: no
 * profile role with a recruitment action (access-model.md section 4)? */
static bool recruitment_leaves_nothing(const struct form *fm,
                                       const struct store_user_form *f)
{
	engine_actions a = 0;
	for (int i = 0; i < f->n_profile_roles; i++) {
		int r = engine_role_find(fm->c->world, f->profile_roles[i]);
		if (r >= 0)
			a |= engine_role(fm->c->world, r)->actions;
	}
	return (a & ENGINE_RECRUITMENT_ACTIONS) == 0;
}

/* Before Submit: a change that narrows the user's reach says by how much,
 * and one that leaves a grant reaching nothing or a recruitment-only site
 * with no action asks first (screens.md). The reach is the engine's
 * (engine_specs_reach), on the form's data as it was and as it will be. */
static bool confirm_narrowing(struct form *fm)
{
	const struct engine_world *w = fm->c->world;
	struct store_user_form *f = &fm->f;
	char q[512];
	int nb = 0, na = 0;
	struct engine_grant_spec *before =
	    calloc((size_t)fm->orig.n_grants + 1, sizeof *before);
	struct engine_grant_spec *after =
	    calloc((size_t)f->n_grants + 1, sizeof *after);
	struct store_spec_buf *bb =
	    before ? grant_specs(fm, &fm->orig, before, &nb) : NULL;
	struct store_spec_buf *ab =
	    after ? grant_specs(fm, f, after, &na) : NULL;
	bool ok = true;
	if (!before || !after || !bb || !ab) {
		ui_error("out of memory");
		ok = false;
	}
	if (ok && fm->v >= 0) {
		int was = engine_specs_reach(w, before, nb);
		int will = engine_specs_reach(w, after, na);
		if (will < was) {
			snprintf(q, sizeof q,
			         "%s will reach %d organisation%s, was %d. "
			         "Submit?",
			         f->login, will, will == 1 ? "" : "s", was);
			ok = ui_confirm(q);
		}
	}
	for (int i = 0; ok && i < na; i++) {
		if (after[i].n_clusters == 0 ||
		    engine_specs_reach(w, &after[i], 1) > 0)
			continue;
		const char *code = engine_org(w, after[i].org)->code;
		snprintf(q, sizeof q,
		         "%s: the clusters selected reach no organisation, so "
		         "the grant gives no access. Submit?",
		         code);
		ok = ui_confirm(q);
	}
	bool was_empty = recruitment_leaves_nothing(fm, &fm->orig);
	for (int i = 0; ok && i < f->n_sites; i++) {
		if (!f->sites[i].recruitment_only ||
		    !recruitment_leaves_nothing(fm, f))
			continue;
		bool before_too = false;
		for (int k = 0; k < fm->orig.n_sites; k++)
			if (strcmp(fm->orig.sites[k].site, f->sites[i].site) ==
			        0 &&
			    fm->orig.sites[k].recruitment_only && was_empty)
				before_too = true;
		if (before_too)
			continue;
		snprintf(q, sizeof q,
		         "%s: Recruitment Restriction? leaves no action (no "
		         "profile role has a recruitment action). Submit?",
		         f->sites[i].site);
		ok = ui_confirm(q);
	}
	free_specs(bb, nb);
	free_specs(ab, na);
	free(before);
	free(after);
	return ok;
}

static void submit(struct form *fm)
{
	struct session *c = fm->c;
	if (c->read_only) {
		ui_error("Cannot submit: %s", read_only_mode);
		return;
	}
	if (!valid(fm))
		return;
	if (!dirty(fm)) {
		ui_message("Nothing to submit: no change.");
		return;
	}
	if (!confirm_narrowing(fm)) {
		ui_message("Not submitted: your input is kept.");
		return;
	}
	char warning[256];
	email_warning(fm, warning, sizeof warning);
	struct store_error err = {0};
	if (fm->v < 0) {
		char login[65];
		if (!store_user_new_login(c->store, fm->f.first_name,
		                          fm->f.last_name, login, sizeof login,
		                          &err)) {
			ui_error("%s", err.message);
			return;
		}
		if (!set_str(&fm->f.login, login)) {
			ui_error("out of memory");
			return;
		}
	}
	long long id;
	if (!store_user_save(c->store, c->operator_login, &fm->f, &id, &err)) {
		if (fm->v < 0)
			fm->f.login[0] = '\0'; /* (allocates nothing) */
		/* the operator's input stays on screen; a conflict offers
		 * the other change beside it */
		if (strcmp(err.sqlstate, STORE_CONFLICT) != 0 || fm->v < 0) {
			ui_error("%s", err.message);
			return;
		}
		/* short, so that the question and its (y/n) fit a line;
		 * the view says who and when */
		if (ui_confirm("Changed by another operator since you "
		               "opened it: show it beside yours?")) {
			struct ui_screen *v = screen_user_diff_new(
			    c, &fm->orig, &fm->f, err.message);
			if (v)
				ui_push(v);
		} else
			ui_error("%s: your input is kept; reopen the user to "
			         "see the change",
			         err.message);
		return;
	}
	bool created = fm->v < 0;
	char login[65];
	snprintf(login, sizeof login, "%s", fm->f.login);
	session_reload(c);
	session_load_user(c, login);
	fm->v = engine_user_find(c->world, login);
	/* session_reload told every screen already */
	if (reread(fm, login))
		decide_permissions(fm);
	if (created)
		ui_message("Added user %s successfully.%s%s", login,
		           *warning ? " " : "", warning);
	else
		ui_message("Updated user successfully.%s%s",
		           *warning ? " " : "", warning);
}

/* ---- keys ------------------------------------------------------------- */

/* Resend Registration Email: to the address the database holds (the
 * mailer reads it there), so unsaved changes are submitted first. */
static void resend(struct form *fm)
{
	struct session *c = fm->c;
	bool submitted = false;
	if (dirty(fm)) {
		if (!ui_confirm("Your changes are not submitted: submit them "
		                "first?")) {
			ui_message(
			    "Not sent: it goes to the stored address "
			    "(%s); submit or discard your changes first.",
			    fm->orig.email);
			return;
		}
		submit(fm);
		if (dirty(fm))
			return; /* the submit said why not */
		submitted = true;
	}
	struct store_error err = {0};
	if (store_user_queue_registration(c->store, c->operator_login,
	                                  fm->orig.login, &err))
		ui_message("%sRegistration email queued for %s.",
		           submitted ? "Updated user successfully. " : "",
		           fm->orig.email);
	else
		ui_error("%s", err.message);
}

/* What an item does (Enter, Space; the form widget calls it). Ids of the
 * world are looked up here, on the world of the moment. */
static void act(void *ctx, int id, int arg)
{
	struct form *fm = ctx;
	struct store_user_form *f = &fm->f;
	const struct engine_world *w = fm->c->world;
	switch (id) {
	case ID_RESEND:
		resend(fm);
		break;
	case ID_ADD_ORG:
		open_org_picker(fm, false);
		break;
	case ID_REMOVE_ORG:
		remove_grant(fm);
		break;
	case ID_ROLE:
		if (role_by_key(w, arg) >= 0)
			toggle_role(fm, role_by_key(w, arg));
		break;
	case ID_PAY:
		toggle_payment(fm, arg);
		break;
	case ID_CLUSTER:
		if (cluster_by_key(w, arg) >= 0)
			toggle_cluster(fm, cluster_by_key(w, arg));
		break;
	case ID_PROFILE_ROLE:
		if (role_by_key(w, arg) >= 0)
			toggle_profile_role(fm, role_by_key(w, arg));
		break;
	case ID_SITE: {
		int site = engine_org_find(w, f->sites[arg].site);
		if (profile_change_ok(fm, -1, site, -1,
		                      "change this site restriction"))
			f->sites[arg].recruitment_only =
			    !f->sites[arg].recruitment_only;
		break;
	}
	case ID_REMOVE_SITE: {
		int site = engine_org_find(w, f->sites[arg].site);
		if (profile_change_ok(fm, -1, site, -1, "remove this site"))
			store_user_remove_site(f, arg);
		break;
	}
	case ID_ADD_SITE:
		open_org_picker(fm, true);
		break;
	case ID_REMOVE_STUDY: {
		int st = engine_study_find(w, f->studies[arg]);
		if (profile_change_ok(fm, -1, -1, st, "remove this study"))
			store_names_remove(f->studies, &f->n_studies, arg);
		break;
	}
	case ID_ADD_STUDY:
		open_study_picker(fm);
		break;
	case ID_SUBMIT:
		submit(fm);
		break;
	default:
		break;
	}
}

static bool unsaved(struct ui_screen *s)
{
	struct form *fm = (struct form *)s;
	return !fm->c->read_only && dirty(fm);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct form *fm = (struct form *)s;
	current(fm);
	build(fm);
	if (r == REQ_SUBMIT) {
		submit(fm);
		return UI_HANDLED;
	}
	int arg0, id0 = ui_form_focus_id(fm->ui, &arg0);
	if (r == REQ_MEMBERS && id0 == ID_CLUSTER) {
		toggle_members_shown(fm, arg0);
		return UI_HANDLED;
	}
	enum ui_result res = ui_form_key(fm->ui, k, r);
	if (res == UI_IGNORED) {
		/* Del on a grant's row removes it */
		if (r == REQ_DELETE_CHAR && id0 == ID_GRANT &&
		    !fm->c->read_only) {
			fm->grant = arg0;
			if (!ro(fm->why_manage))
				remove_grant(fm);
			else
				ui_error("Cannot remove: %s", fm->why_manage);
			return UI_HANDLED;
		}
		return screen_form_rest(r, unsaved(s));
	}
	int arg, id = ui_form_focus_id(fm->ui, &arg);
	/* the grant under the cursor is the one shown: no Enter needed */
	if (id == ID_GRANT && arg != fm->grant)
		fm->grant = arg;
	if (id0 == ID_EMAIL && id != ID_EMAIL) {
		char warning[256];
		email_warning(fm, warning, sizeof warning);
		if (*warning)
			ui_message("%s", warning);
	}
	return UI_HANDLED;
}

static void changed(struct ui_screen *s)
{
	struct form *fm = (struct form *)s;
	/* The world was reloaded: decide again; keep the operator's input
	 * (a stale form is caught on Submit, with who changed what). */
	if (fm->f.login && fm->f.login[0])
		session_load_user(fm->c, fm->f.login);
	fm->v = fm->v >= 0 ? engine_user_find(fm->c->world, fm->f.login) : -1;
	fm->generation = fm->c->generation;
	decide_permissions(fm);
}

/* The engine id is of one world: if the world was reloaded without this
 * screen hearing of it, find everything again before using it. */
static void current(struct form *fm)
{
	if (fm->generation != fm->c->generation)
		changed(&fm->screen);
}

static void close_form(struct ui_screen *s)
{
	struct form *fm = (struct form *)s;
	store_user_form_free(&fm->f);
	store_user_form_free(&fm->orig);
	free(fm->confirm);
	free(fm->login_shown);
	store_names_free(&fm->members_shown, &fm->n_members_shown);
	ui_form_free(fm->ui);
	free(fm);
}

static bool new_form(struct form *fm)
{
	struct store_user_form *f = &fm->f;
	f->enabled = true;
	f->grants = calloc(1, sizeof *f->grants);
	return set_str(&f->login, "") && set_str(&f->title, "") &&
	       set_str(&f->first_name, "") && set_str(&f->last_name, "") &&
	       set_str(&f->email, "") && set_str(&f->work_phone, "") &&
	       set_str(&f->mobile_phone, "") && set_str(&f->created, "") &&
	       set_str(&fm->confirm, "") && f->grants &&
	       store_user_form_copy(&fm->orig, f);
}

struct ui_screen *screen_user_form_new(struct session *c, const char *login)
{
	struct form *fm = calloc(1, sizeof *fm);
	if (!fm) {
		ui_error("out of memory");
		return NULL;
	}
	fm->c = c;
	fm->v = -1;
	fm->generation = c->generation;
	fm->screen = (struct ui_screen){
	    .title = "User Details",
	    .draw = draw,
	    .key = key,
	    .keymap = c->read_only ? &screen_user_form_keymap_read_only
	                           : &screen_user_form_keymap,
	    .close = close_form,
	    .changed = changed,
	    .unsaved = unsaved};
	fm->ui = ui_form_new(fm);
	if (!fm->ui) {
		ui_error("out of memory");
		free(fm);
		return NULL;
	}
	bool ok;
	if (login) {
		ok = session_load_user(c, login);
		fm->v = ok ? engine_user_find(c->world, login) : -1;
		struct engine_explain ex;
		engine_explain_init(&ex);
		if (ok && !engine_may_see_user(c->world, c->op, fm->v, &ex)) {
			refuse(fm, &ex, "open this user");
			ok = false;
		}
		engine_explain_free(&ex);
		ok = ok && reread(fm, login);
	} else {
		struct engine_explain ex;
		engine_explain_init(&ex);
		ok = engine_allows_on_a_root(c->world, c->op, ACT_USERS_MANAGE,
		                             NULL);
		/* users.manage anywhere is enough to start: each grant is
		 * asked of the engine as it is added */
		for (int o = 0; !ok && o < engine_n_orgs(c->world); o++)
			ok = engine_org_allows(c->world, c->op,
			                       ACT_USERS_MANAGE, o, -1, NULL);
		if (!ok)
			ui_error("Cannot add users: you hold users.manage "
			         "nowhere");
		engine_explain_free(&ex);
		if (ok && !new_form(fm)) {
			ui_error("out of memory");
			ok = false;
		}
	}
	if (!ok) {
		close_form(&fm->screen);
		return NULL;
	}
	fm->grant = fm->f.n_grants ? 0 : -1;
	decide_permissions(fm);
	build(fm);
	return &fm->screen;
}
