/* user_form.c: User Details: every field of the CQRS form in its order
 * and with its words, organisation access with roles, payment types and
 * Service Provider Clusters for the grant under the cursor, and the
 * ClinSpark study profile. The form is a column of items rebuilt from the
 * form's data on every key, so what is shown is always what will be
 * submitted. What the operator may not change is shown read-only and says
 * why (the engine's explanation); every change the operator makes is asked
 * of the engine at once, and again by the store's transaction on Submit.
 *
 * Keys: arrows, Tab / Shift-Tab, ^N / ^P move; typing edits a text field
 * (Backspace deletes, ^U clears); Space or Enter toggles a box or picks a
 * button; ^S submits; Esc goes back (asking first when there are unsaved
 * changes). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessdesk/screens.h"
#include "accessdesk/text.h"

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
	ID_GRANT, /* arg: grant index */
	ID_ADD_ORG,
	ID_REMOVE_ORG,
	ID_ROLE,         /* arg: role id */
	ID_PAY,          /* arg: payment type */
	ID_CLUSTER,      /* arg: cluster id */
	ID_PROFILE_ROLE, /* arg: role id */
	ID_SITE,         /* arg: site index: toggles Recruitment Restriction? */
	ID_REMOVE_SITE,  /* arg: site index */
	ID_ADD_SITE,
	ID_STUDY, /* arg: study index: removes it */
	ID_ADD_STUDY,
	ID_SUBMIT,
};

enum item_kind { K_TEXT, K_CHOICE, K_BOX, K_BUTTON, K_ROW, K_STATIC };

struct item {
	enum item_id id;
	int arg;
	enum item_kind kind;
	char label[64];
	char value[512];
	bool required;
	const char *readonly; /* why not, or NULL when it may change */
};

#define MAX_ITEMS 400

struct form {
	struct ui_screen screen;
	struct session *c;
	struct store_user_form f, orig;
	char *confirm; /* the email again, on creation */
	int v;         /* the user's engine id, -1 for a new user */
	int grant;     /* the grant under the cursor */
	int focus;     /* item index */
	int top;
	struct item items[MAX_ITEMS];
	int n_items;
	char why_contact[512], why_manage[512], why_profile[512];
	/* picker data: kept while a picker is open */
	struct ui_pick_item *pick;
	int *pick_ids;
	int n_pick;
};

static const struct ui_keydef form_keys[] = {
    {REQ_SUBMIT, NULL, "Submit the form", true, 0},
    {REQ_BACK, NULL, "Back (asking first when there are unsaved changes)",
     true, 0},
    {REQ_NEXT_FIELD, NULL, NULL, false, 0},
    {REQ_PREV_FIELD, NULL, NULL, false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_user_form_keymap = {"user-form", "User Details",
                                                  form_keys, &ui_inner_keymap};
/* Read-only mode hides what changes things (screens.md). */
static const struct ui_keydef form_keys_read_only[] = {
    {REQ_BACK, NULL, "Back", true, 0},
    {REQ_NEXT_FIELD, NULL, NULL, false, 0},
    {REQ_PREV_FIELD, NULL, NULL, false, 0},
    /* not offered, but answered: it says why not */
    {REQ_SUBMIT, NULL, "Submit (not in read-only mode)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_user_form_keymap_read_only = {
    "user-form-read-only", "User Details", form_keys_read_only,
    &ui_inner_keymap};

static const char *const titles[] = {"",   "Mr", "Mrs", "Miss",
                                     "Ms", "Mx", "Dr",  "Prof"};

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

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static struct item *
add(struct form *fm, enum item_id id, int arg, enum item_kind kind,
    const char *label, const char *fmt, ...)
{
	if (fm->n_items >= MAX_ITEMS)
		return NULL;
	struct item *it = &fm->items[fm->n_items++];
	memset(it, 0, sizeof *it);
	it->id = id;
	it->arg = arg;
	it->kind = kind;
	snprintf(it->label, sizeof it->label, "%s", label);
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(it->value, sizeof it->value, fmt, ap);
		va_end(ap);
	}
	return it;
}

/* A note as several static lines of at most 70 columns, at spaces. */
static void add_wrapped(struct form *fm, const char *text)
{
	const size_t width = 70;
	while (*text) {
		size_t n = strlen(text);
		if (n > width) {
			n = width;
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = width;
		}
		add(fm, ID_LABEL, 0, K_STATIC, "", "%.*s", (int)n, text);
		text += n;
		while (*text == ' ')
			text++;
	}
}

static bool grant_has_role(const struct store_grant_form *g, const char *name)
{
	for (int i = 0; i < g->n_roles; i++)
		if (strcmp(g->roles[i], name) == 0)
			return true;
	return false;
}

static bool grant_has_cluster(const struct store_grant_form *g,
                              const char *short_name)
{
	for (int i = 0; i < g->n_clusters; i++)
		if (strcmp(g->clusters[i], short_name) == 0)
			return true;
	return false;
}

static bool has_name(char *const *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

/* The grant as the database holds it, or NULL for one added here. */
static const struct store_grant_form *orig_grant(const struct form *fm,
                                                 const char *org)
{
	for (int i = 0; i < fm->orig.n_grants; i++)
		if (strcasecmp(fm->orig.grants[i].org, org) == 0)
			return &fm->orig.grants[i];
	return NULL;
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
	const struct store_grant_form *before = orig_grant(fm, org);
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

/* ---- building the items ----------------------------------------------- */

static void build(struct form *fm)
{
	const struct engine_world *w = fm->c->world;
	struct store_user_form *f = &fm->f;
	const char *contact = ro(fm->why_contact);
	const char *manage = ro(fm->why_manage);
	const char *profile = ro(fm->why_profile);
	struct item *it;
	fm->n_items = 0;

	it = add(fm, ID_EMAIL, 0, K_TEXT, "Email Address *", "%s", f->email);
	it->required = true;
	it->readonly = contact;
	if (fm->v < 0) {
		it = add(fm, ID_CONFIRM, 0, K_TEXT, "Confirm Email *", "%s",
		         fm->confirm);
		it->required = true;
	}
	it = add(fm, ID_TITLE, 0, K_CHOICE, "Title", "< %s >",
	         f->title[0] ? f->title : "(none)");
	it->readonly = contact;
	it = add(fm, ID_FIRST, 0, K_TEXT, "First Name *", "%s", f->first_name);
	it->readonly = contact;
	it->required = true;
	it = add(fm, ID_LAST, 0, K_TEXT, "Last Name *", "%s", f->last_name);
	it->readonly = contact;
	it->required = true;
	it = add(fm, ID_LOGIN, 0, K_STATIC, "User ID", "%s",
	         fm->v < 0 ? "(generated from the name on Submit)" : f->login);
	it->readonly = "a User ID never changes";
	it = add(fm, ID_WORK, 0, K_TEXT, "Work Phone *", "%s", f->work_phone);
	it->readonly = contact;
	it->required = true;
	it = add(fm, ID_MOBILE, 0, K_TEXT, "Mobile Phone", "%s",
	         f->mobile_phone);
	it->readonly = contact;
	it = add(fm, ID_ENABLED, 0, K_CHOICE, "CQRS Access",
	         "(%c) Enabled  (%c) Disabled", f->enabled ? '*' : ' ',
	         f->enabled ? ' ' : '*');
	it->readonly = manage;
	if (fm->v >= 0) {
		it = add(fm, ID_RESEND, 0, K_BUTTON, "",
		         "[ Resend Registration Email ]");
		it->readonly = manage;
	}

	add(fm, ID_HEADER, 0, K_STATIC, "Organisation Access", NULL);
	if (f->n_grants == 0)
		add(fm, ID_LABEL, 0, K_STATIC, "", "No organisation access.");
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
		it = add(fm, ID_GRANT, g, K_ROW, "", "%s %s - %s",
		         g == fm->grant ? ">" : " ", f->grants[g].org,
		         o >= 0 ? engine_org(w, o)->name : "?");
	}
	if (hidden) /* as the Users list counts them */
		add(fm, ID_LABEL, 0, K_STATIC, "", "    +%d not shown", hidden);
	it = add(fm, ID_ADD_ORG, 0, K_BUTTON, "", "[ Add Organisation ]");
	it->readonly = manage;
	if (fm->grant >= 0 && fm->grant < f->n_grants) {
		struct store_grant_form *g = &f->grants[fm->grant];
		int org = engine_org_find(w, g->org);
		it = add(fm, ID_REMOVE_ORG, 0, K_BUTTON, "",
		         "[ Remove Organisation %s ]", g->org);
		it->readonly = manage;
		add(fm, ID_HEADER, 0, K_STATIC, "", "Roles at %s:", g->org);
		for (int r = 0; r < engine_n_roles(w); r++) {
			const struct engine_role *role = engine_role(w, r);
			if (role->domain != DOMAIN_ORGANISATION)
				continue;
			it = add(fm, ID_ROLE, r, K_BOX, "", "[%c] %s",
			         grant_has_role(g, role->name) ? 'x' : ' ',
			         role->name);
			it->readonly = manage;
		}
		add(fm, ID_HEADER, 0, K_STATIC, "", "Payment Type:");
		for (int p = 0; p < PAY_COUNT; p++) {
			it = add(fm, ID_PAY, p, K_BOX, "", "[%c] %s",
			         (g->payments & ENGINE_PAY(p)) ? 'x' : ' ',
			         engine_payment_name(p));
			it->readonly = manage;
		}
		add(fm, ID_HEADER, 0, K_STATIC, "",
		    "Service Provider Cluster(s):");
		add_wrapped(fm, "Note: When no Provider Cluster is selected "
		                "the user's access is not restricted by "
		                "Provider Cluster.");
		int shown = 0;
		for (int cl = 0; cl < engine_n_clusters(w); cl++) {
			const struct engine_cluster *c = engine_cluster(w, cl);
			if (c->owner != org)
				continue;
			if (shown++ == 0)
				add(fm, ID_LABEL, 0, K_STATIC, "",
				    "      Short Name  Name");
			it =
			    add(fm, ID_CLUSTER, cl, K_BOX, "", "[%c] %s  %s",
			        grant_has_cluster(g, c->short_name) ? 'x' : ' ',
			        c->short_name, c->name);
			it->readonly = manage;
		}
		if (shown == 0)
			add(fm, ID_LABEL, 0, K_STATIC, "",
			    "There are no Provider Clusters defined for this "
			    "organisation");
	}

	add(fm, ID_HEADER, 0, K_STATIC, "Study Profile", NULL);
	add(fm, ID_HEADER, 0, K_STATIC, "", "Roles:");
	for (int r = 0; r < engine_n_roles(w); r++) {
		const struct engine_role *role = engine_role(w, r);
		if (role->domain != DOMAIN_STUDY)
			continue;
		it = add(
		    fm, ID_PROFILE_ROLE, r, K_BOX, "", "[%c] %s",
		    has_name(f->profile_roles, f->n_profile_roles, role->name)
		        ? 'x'
		        : ' ',
		    role->name);
		it->readonly = profile;
	}
	add(fm, ID_HEADER, 0, K_STATIC, "", "Sites:");
	for (int i = 0; i < f->n_sites; i++) {
		int o = engine_org_find(w, f->sites[i].site);
		it = add(fm, ID_SITE, i, K_BOX, "",
		         "[%c] Recruitment Restriction?  %s - %s",
		         f->sites[i].recruitment_only ? 'x' : ' ',
		         f->sites[i].site,
		         o >= 0 ? engine_org(w, o)->name : "?");
		it->readonly = profile;
		it = add(fm, ID_REMOVE_SITE, i, K_BUTTON, "", "[ Remove %s ]",
		         f->sites[i].site);
		it->readonly = profile;
	}
	it = add(fm, ID_ADD_SITE, 0, K_BUTTON, "", "[ Add Site ]");
	it->readonly = profile;
	add(fm, ID_HEADER, 0, K_STATIC, "", "Restricted Studies:");
	for (int i = 0; i < f->n_studies; i++) {
		int s = engine_study_find(w, f->studies[i]);
		it =
		    add(fm, ID_STUDY, i, K_BUTTON, "", "%s - %s  [ Remove ]",
		        f->studies[i], s >= 0 ? engine_study(w, s)->name : "?");
		it->readonly = profile;
	}
	it = add(fm, ID_ADD_STUDY, 0, K_BUTTON, "", "[ Add Study ]");
	it->readonly = profile;
	it = add(fm, ID_SUBMIT, 0, K_BUTTON, "", "[ Submit ]");
	if (fm->c->read_only) {
		it->readonly = read_only_mode;
		/* read-only mode hides what changes things (screens.md):
		 * no buttons; a restricted study is shown, not removable */
		int n = 0;
		for (int i = 0; i < fm->n_items; i++) {
			struct item *x = &fm->items[i];
			if (x->id == ID_STUDY) {
				char *rm = strstr(x->value, "  [ Remove ]");
				if (rm)
					*rm = '\0';
				x->id = ID_LABEL;
				x->kind = K_STATIC;
			} else if (x->kind == K_BUTTON) {
				continue;
			}
			if (n != i)
				fm->items[n] = *x;
			n++;
		}
		fm->n_items = n;
	}
}

static bool focusable(const struct item *it)
{
	return it->kind != K_STATIC || it->id == ID_LOGIN;
}

/* Keeps the focus on the same item (id and arg) across a rebuild. */
static void rebuild(struct form *fm)
{
	enum item_id id = ID_EMAIL;
	int arg = 0;
	if (fm->focus >= 0 && fm->focus < fm->n_items) {
		id = fm->items[fm->focus].id;
		arg = fm->items[fm->focus].arg;
	}
	build(fm);
	for (int i = 0; i < fm->n_items; i++)
		if (fm->items[i].id == id && fm->items[i].arg == arg) {
			fm->focus = i;
			return;
		}
	if (fm->focus >= fm->n_items)
		fm->focus = fm->n_items - 1;
	while (fm->focus > 0 && !focusable(&fm->items[fm->focus]))
		fm->focus--;
}

/* ---- drawing ---------------------------------------------------------- */

#define LABEL_W 18

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct form *fm = (struct form *)s;
	rebuild(fm);
	char title[128];
	snprintf(title, sizeof title,
	         "User Details%s%s   * indicates required field(s)",
	         fm->v >= 0 ? ": " : " (new user)",
	         fm->v >= 0 ? fm->f.login : "");
	ui_text(a, 0, 0, a.w, STYLE_HEADER, title);
	int rows = a.h - 1;
	if (fm->focus < fm->top)
		fm->top = fm->focus;
	if (fm->focus >= fm->top + rows)
		fm->top = fm->focus - rows + 1;
	/* on the last item that takes the focus, the lines after it (read-
	 * only mode has no Submit button at the end) come into view too */
	int last = fm->n_items - 1;
	while (last > 0 && !focusable(&fm->items[last]))
		last--;
	if (fm->focus == last && fm->top < fm->n_items - rows)
		fm->top = fm->n_items - rows < fm->focus ? fm->n_items - rows
		                                         : fm->focus;
	/* show the headers just above the focus too */
	int cy = 1, cx = 0;
	for (int i = 0; i < rows; i++) {
		int n = fm->top + i;
		if (n >= fm->n_items) {
			ui_text(a, 1 + i, 0, a.w, STYLE_NORMAL, "");
			continue;
		}
		const struct item *it = &fm->items[n];
		bool focus = n == fm->focus;
		int x = 0;
		if (it->id == ID_HEADER && it->label[0]) {
			ui_text(a, 1 + i, 0, a.w, STYLE_BOLD, it->label);
			continue;
		}
		if (it->label[0]) {
			ui_text(a, 1 + i, 0, LABEL_W,
			        focus ? STYLE_SELECTED : STYLE_NORMAL,
			        it->label);
			x = LABEL_W + 1;
		} else {
			x = it->kind == K_BOX || it->kind == K_ROW ? 4 : 2;
			ui_text(a, 1 + i, 0, x, STYLE_NORMAL, "");
		}
		enum ui_style st = it->readonly && it->kind != K_STATIC
		                       ? STYLE_READONLY
		                       : STYLE_NORMAL;
		if (focus && !it->label[0])
			st = STYLE_SELECTED;
		if (it->id == ID_HEADER)
			st = STYLE_BOLD;
		int used = ui_text(a, 1 + i, x, a.w - x, st, it->value);
		if (focus) {
			cy = 1 + i;
			cx = it->kind == K_TEXT ? x + used : x;
			if (cx >= a.w)
				cx = a.w - 1;
		}
	}
	ui_cursor(a, cy, cx);
}

/* ---- changing --------------------------------------------------------- */

static char **text_slot(struct form *fm, enum item_id id, size_t *max)
{
	struct store_user_form *f = &fm->f;
	switch (id) {
	case ID_EMAIL:
		*max = 254;
		return &f->email;
	case ID_CONFIRM:
		*max = 254;
		return &fm->confirm;
	case ID_FIRST:
		*max = 800; /* bytes; the 200-character rule says more */
		return &f->first_name;
	case ID_LAST:
		*max = 800;
		return &f->last_name;
	case ID_WORK:
		*max = 32;
		return &f->work_phone;
	case ID_MOBILE:
		*max = 32;
		return &f->mobile_phone;
	default:
		return NULL;
	}
}

/* Typing into a text field: a character appended, Backspace, ^U. */
static bool edit_text(struct form *fm, const struct item *it, int k)
{
	size_t max;
	char **slot = text_slot(fm, it->id, &max);
	if (!slot)
		return false;
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", *slot ? *slot : "");
	size_t n = strlen(buf);
	if (k == UI_KEY_BACKSPACE) {
		while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0)
			n--;
		buf[n] = '\0';
	} else if (k == UI_CTRL('u')) {
		buf[0] = '\0';
	} else if (k >= 32 && k < UI_KEY_BASE && k != 127 &&
	           !text_is_hostile(k) && (ui_utf8() || k < 127)) {
		char enc[8];
		int e = 0;
		/* UTF-8 encoding of the code point */
		if (k < 0x80) {
			enc[e++] = (char)k;
		} else if (k < 0x800) {
			enc[e++] = (char)(0xC0 | (k >> 6));
			enc[e++] = (char)(0x80 | (k & 0x3F));
		} else if (k < 0x10000) {
			enc[e++] = (char)(0xE0 | (k >> 12));
			enc[e++] = (char)(0x80 | ((k >> 6) & 0x3F));
			enc[e++] = (char)(0x80 | (k & 0x3F));
		} else {
			enc[e++] = (char)(0xF0 | (k >> 18));
			enc[e++] = (char)(0x80 | ((k >> 12) & 0x3F));
			enc[e++] = (char)(0x80 | ((k >> 6) & 0x3F));
			enc[e++] = (char)(0x80 | (k & 0x3F));
		}
		if (n + (size_t)e > max) {
			ui_error("%s: at most %zu characters here", it->label,
			         max);
			return true;
		}
		memcpy(buf + n, enc, (size_t)e);
		buf[n + (size_t)e] = '\0';
	} else {
		return false;
	}
	if (!set_str(slot, buf))
		ui_error("out of memory");
	return true;
}

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

static void free_pick(struct form *fm)
{
	free(fm->pick);
	free(fm->pick_ids);
	fm->pick = NULL;
	fm->pick_ids = NULL;
	fm->n_pick = 0;
}

static bool alloc_pick(struct form *fm, int n)
{
	free_pick(fm);
	fm->pick = calloc((size_t)n + 1, sizeof *fm->pick);
	fm->pick_ids = calloc((size_t)n + 1, sizeof *fm->pick_ids);
	if (!fm->pick || !fm->pick_ids) {
		free_pick(fm);
		ui_error("out of memory");
		return false;
	}
	return true;
}

static void picked_org(void *ctx, int index)
{
	struct form *fm = ctx;
	struct store_user_form *f = &fm->f;
	const struct engine_org *o =
	    engine_org(fm->c->world, fm->pick_ids[index]);
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

static void picked_site(void *ctx, int index)
{
	struct form *fm = ctx;
	struct store_user_form *f = &fm->f;
	int site = fm->pick_ids[index];
	if (!profile_change_ok(fm, -1, site, -1, "add this site"))
		return;
	if (!store_user_add_site(f, engine_org(fm->c->world, site)->code,
	                         false))
		ui_error("out of memory");
}

static void picked_study(void *ctx, int index)
{
	struct form *fm = ctx;
	struct store_user_form *f = &fm->f;
	int st = fm->pick_ids[index];
	if (!profile_change_ok(fm, -1, -1, st, "add this study"))
		return;
	if (!store_names_add(&f->studies, &f->n_studies,
	                     engine_study(fm->c->world, st)->code))
		ui_error("out of memory");
}

static bool granted_here(const struct store_user_form *f, const char *code)
{
	for (int i = 0; i < f->n_grants; i++)
		if (strcasecmp(f->grants[i].org, code) == 0)
			return true;
	return false;
}

/* Organisations (sites only when sites) the operator manages users of. */
static void open_org_picker(struct form *fm, bool sites)
{
	const struct engine_world *w = fm->c->world;
	int n = engine_n_orgs(w);
	if (!alloc_pick(fm, n))
		return;
	for (int o = 0; o < n; o++) {
		const struct engine_org *org = engine_org(w, o);
		/* a grant added is one the operator may see */
		if ((sites && !org->is_site) ||
		    (!sites &&
		     (granted_here(&fm->f, org->code) || org_hidden(fm, o))) ||
		    !engine_org_allows(w, fm->c->op, ACT_USERS_MANAGE, o, -1,
		                       NULL))
			continue;
		fm->pick[fm->n_pick] =
		    (struct ui_pick_item){org->code, org->name};
		fm->pick_ids[fm->n_pick++] = o;
	}
	if (fm->n_pick == 0) {
		ui_error("There is no %s where you manage users.",
		         sites ? "site" : "further organisation");
		return;
	}
	struct ui_screen *p =
	    ui_picker_new(sites ? "Add Site" : "Add Organisation", fm->pick,
	                  fm->n_pick, sites ? picked_site : picked_org, fm);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

static void open_study_picker(struct form *fm)
{
	const struct engine_world *w = fm->c->world;
	int n = engine_n_studies(w);
	if (!alloc_pick(fm, n))
		return;
	for (int s = 0; s < n; s++) {
		const struct engine_study *st = engine_study(w, s);
		if (has_name(fm->f.studies, fm->f.n_studies, st->code) ||
		    !engine_org_allows(w, fm->c->op, ACT_USERS_MANAGE, st->site,
		                       -1, NULL))
			continue;
		fm->pick[fm->n_pick] =
		    (struct ui_pick_item){st->code, st->name};
		fm->pick_ids[fm->n_pick++] = s;
	}
	if (fm->n_pick == 0) {
		ui_error("There is no further study at a site where you manage "
		         "users.");
		return;
	}
	struct ui_screen *p = ui_picker_new("Add Restricted Study", fm->pick,
	                                    fm->n_pick, picked_study, fm);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

/* ---- submit ----------------------------------------------------------- */

static bool same_forms(const struct store_user_form *a,
                       const struct store_user_form *b)
{
	if (strcmp(a->email, b->email) || strcmp(a->title, b->title) ||
	    strcmp(a->first_name, b->first_name) ||
	    strcmp(a->last_name, b->last_name) ||
	    strcmp(a->work_phone, b->work_phone) ||
	    strcmp(a->mobile_phone, b->mobile_phone) ||
	    a->enabled != b->enabled || a->n_grants != b->n_grants ||
	    a->n_profile_roles != b->n_profile_roles ||
	    a->n_sites != b->n_sites || a->n_studies != b->n_studies)
		return false;
	for (int i = 0; i < a->n_grants; i++) {
		const struct store_grant_form *x = &a->grants[i],
		                              *y = &b->grants[i];
		if (strcmp(x->org, y->org) || x->payments != y->payments ||
		    x->n_roles != y->n_roles || x->n_clusters != y->n_clusters)
			return false;
		for (int k = 0; k < x->n_roles; k++)
			if (!has_name(y->roles, y->n_roles, x->roles[k]))
				return false;
		for (int k = 0; k < x->n_clusters; k++)
			if (!has_name(y->clusters, y->n_clusters,
			              x->clusters[k]))
				return false;
	}
	for (int i = 0; i < a->n_profile_roles; i++)
		if (!has_name(b->profile_roles, b->n_profile_roles,
		              a->profile_roles[i]))
			return false;
	for (int i = 0; i < a->n_sites; i++)
		if (strcmp(a->sites[i].site, b->sites[i].site) ||
		    a->sites[i].recruitment_only !=
		        b->sites[i].recruitment_only)
			return false;
	for (int i = 0; i < a->n_studies; i++)
		if (strcmp(a->studies[i], b->studies[i]))
			return false;
	return true;
}

/* A new user's form starts blank: left untouched, it has nothing to lose. */
static bool dirty(const struct form *fm)
{
	return (fm->v < 0 && fm->confirm && fm->confirm[0]) ||
	       !same_forms(&fm->f, &fm->orig);
}

/* Puts the focus on the item with this id. */
static void focus_on(struct form *fm, enum item_id id)
{
	build(fm);
	for (int i = 0; i < fm->n_items; i++)
		if (fm->items[i].id == id) {
			fm->focus = i;
			return;
		}
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
			focus_on(fm, field_items[i]);
			ui_error("%s", msg);
			return false;
		}
	if (fm->v < 0 && strcmp(f->email, fm->confirm) != 0) {
		focus_on(fm, ID_CONFIRM);
		ui_error("Confirm Email does not match Email Address");
		return false;
	}
	if (strcmp(f->email, fm->orig.email ? fm->orig.email : "") != 0 &&
	    !config_email_allowed(fm->c->config, f->email)) {
		focus_on(fm, ID_EMAIL);
		ui_error("Email Address: the domain is not one this service "
		         "allows (email.allowed_domains)");
		return false;
	}
	for (int g = 0; g < f->n_grants; g++)
		if (f->grants[g].n_roles == 0) {
			fm->grant = g;
			focus_on(fm, ID_GRANT);
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
		/* the operator's input stays on screen */
		ui_error("%s%s", err.message,
		         strcmp(err.sqlstate, STORE_CONFLICT) == 0 && fm->v >= 0
		             ? ": your input is kept; reopen the user to see "
		               "the change"
		             : "");
		return;
	}
	bool created = fm->v < 0;
	char login[65];
	snprintf(login, sizeof login, "%s", fm->f.login);
	session_reload(c);
	session_load_user(c, login);
	fm->v = engine_user_find(c->world, login);
	if (reread(fm, login)) {
		decide_permissions(fm);
		ui_notify_changed();
	}
	if (created)
		ui_message("Added user %s successfully.%s%s", login,
		           *warning ? " " : "", warning);
	else
		ui_message("Updated user successfully.%s%s",
		           *warning ? " " : "", warning);
}

/* ---- keys ------------------------------------------------------------- */

static void move(struct form *fm, int by)
{
	int i = fm->focus;
	do {
		i += by;
	} while (i >= 0 && i < fm->n_items && !focusable(&fm->items[i]));
	if (i < 0 || i >= fm->n_items)
		return;
	bool left_email = fm->items[fm->focus].id == ID_EMAIL && i != fm->focus;
	fm->focus = i;
	if (left_email) {
		char warning[256];
		email_warning(fm, warning, sizeof warning);
		if (*warning)
			ui_message("%s", warning);
	}
}

/* Why the item cannot change, on the message line ("Title: ..."). */
static void say_read_only(const struct item *it)
{
	char label[64];
	snprintf(label, sizeof label, "%s",
	         it->label[0] ? it->label : "Cannot change");
	char *star = strstr(label, " *");
	if (star)
		*star = '\0';
	ui_error("%s: %s", label, it->readonly ? it->readonly : "read only");
}

static void activate(struct form *fm, const struct item *it, int k)
{
	struct store_user_form *f = &fm->f;
	if (it->readonly && it->kind != K_ROW) {
		say_read_only(it);
		return;
	}
	switch (it->id) {
	case ID_TITLE: {
		int cur = 0;
		int n = (int)(sizeof titles / sizeof *titles);
		for (int i = 0; i < n; i++)
			if (strcmp(f->title, titles[i]) == 0)
				cur = i;
		cur = (cur + (k == UI_KEY_LEFT ? n - 1 : 1)) % n;
		if (!set_str(&f->title, titles[cur]))
			ui_error("out of memory");
		break;
	}
	case ID_ENABLED:
		f->enabled = !f->enabled;
		break;
	case ID_RESEND: {
		struct store_error err = {0};
		if (store_user_queue_registration(
		        fm->c->store, fm->c->operator_login, f->login, &err))
			ui_message("Registration email queued for %s.",
			           f->email);
		else
			ui_error("%s", err.message);
		break;
	}
	case ID_GRANT:
		fm->grant = it->arg;
		break;
	case ID_ADD_ORG:
		open_org_picker(fm, false);
		break;
	case ID_REMOVE_ORG:
		remove_grant(fm);
		break;
	case ID_ROLE:
		toggle_role(fm, it->arg);
		break;
	case ID_PAY:
		toggle_payment(fm, it->arg);
		break;
	case ID_CLUSTER:
		toggle_cluster(fm, it->arg);
		break;
	case ID_PROFILE_ROLE:
		toggle_profile_role(fm, it->arg);
		break;
	case ID_SITE: {
		int site =
		    engine_org_find(fm->c->world, f->sites[it->arg].site);
		if (profile_change_ok(fm, -1, site, -1,
		                      "change this site restriction"))
			f->sites[it->arg].recruitment_only =
			    !f->sites[it->arg].recruitment_only;
		break;
	}
	case ID_REMOVE_SITE: {
		int site =
		    engine_org_find(fm->c->world, f->sites[it->arg].site);
		if (profile_change_ok(fm, -1, site, -1, "remove this site"))
			store_user_remove_site(f, it->arg);
		break;
	}
	case ID_ADD_SITE:
		open_org_picker(fm, true);
		break;
	case ID_STUDY: {
		int st = engine_study_find(fm->c->world, f->studies[it->arg]);
		if (profile_change_ok(fm, -1, -1, st, "remove this study"))
			store_names_remove(f->studies, &f->n_studies, it->arg);
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

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct form *fm = (struct form *)s;
	rebuild(fm);
	const struct item *it = &fm->items[fm->focus];
	if (r == REQ_SUBMIT) {
		submit(fm);
		return UI_HANDLED;
	}
	if (r == REQ_REDRAW)
		return UI_IGNORED;
	/* F1 is help everywhere; ? is help where it is not text typed */

	if (r == REQ_HELP && (k >= UI_KEY_BASE || it->kind != K_TEXT))
		return UI_IGNORED;
	if (k == UI_KEY_ESC) {
		if (dirty(fm) && !fm->c->read_only &&
		    !ui_confirm("Discard your unsaved changes?"))
			return UI_HANDLED;
		return UI_CLOSE;
	}
	switch (k) {
	case UI_KEY_DOWN:
	case UI_KEY_TAB:
	case UI_CTRL('n'):
		move(fm, 1);
		return UI_HANDLED;
	case UI_KEY_UP:
	case UI_KEY_BACKTAB:
	case UI_CTRL('p'):
		move(fm, -1);
		return UI_HANDLED;
	case UI_KEY_PGDN:
		for (int i = 0; i < ui_page_rows(); i++)
			move(fm, 1);
		return UI_HANDLED;
	case UI_KEY_PGUP:
		for (int i = 0; i < ui_page_rows(); i++)
			move(fm, -1);
		return UI_HANDLED;
	default:
		break;
	}
	if (it->kind == K_TEXT) {
		bool is_edit = k == UI_KEY_BACKSPACE || k == UI_CTRL('u') ||
		               (k >= 32 && k < UI_KEY_BASE && k != 127);
		if (is_edit && it->readonly) {
			say_read_only(it);
			return UI_HANDLED;
		}
		if (edit_text(fm, it, k))
			return UI_HANDLED;
		if (k == UI_KEY_ENTER || k == '\r') {
			move(fm, 1);
			return UI_HANDLED;
		}
		return UI_HANDLED; /* other keys do nothing in a text field */
	}
	if (k == ' ' || k == UI_KEY_ENTER || k == '\r' ||
	    (it->id == ID_TITLE && (k == UI_KEY_LEFT || k == UI_KEY_RIGHT))) {
		if (it->kind == K_STATIC) {
			say_read_only(it);
			return UI_HANDLED;
		}
		activate(fm, it, k);
		return UI_HANDLED;
	}
	if (k == UI_KEY_DELETE && it->id == ID_GRANT) {
		fm->grant = it->arg;
		if (!ro(fm->why_manage))
			remove_grant(fm);
		else
			ui_error("Cannot remove: %s", fm->why_manage);
		return UI_HANDLED;
	}
	/* q, digits and Tab belong to the form while it is open */
	if (r == REQ_HELP)
		return UI_IGNORED;
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
	decide_permissions(fm);
}

static void close_form(struct ui_screen *s)
{
	struct form *fm = (struct form *)s;
	store_user_form_free(&fm->f);
	store_user_form_free(&fm->orig);
	free(fm->confirm);
	free_pick(fm);
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
	fm->screen = (struct ui_screen){
	    .title = "User Details",
	    .draw = draw,
	    .key = key,
	    .keymap = c->read_only ? &screen_user_form_keymap_read_only
	                       : &screen_user_form_keymap,
	    .close = close_form,
	    .changed = changed};
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
