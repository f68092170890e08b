/* org_form.c: the Organisations tab's form, on the form widget: Add child
 * (Code, Name, Site, under a parent shown read-only) and Rename (Name; the
 * code and parent shown read-only). The field rules are the one table's
 * (fields.h), checked by the store on Submit; the lengths bound the text
 * fields. A rename remembers the version it read: when another console
 * renamed the organisation since, the save is refused with who and when,
 * the operator's input stays, and the form takes the version now stored,
 * so a second Submit is a deliberate choice to write over theirs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/fields.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_form.h"

enum item_id { ID_PARENT, ID_CODE, ID_NAME, ID_SITE, ID_SUBMIT };

struct org_form {
	struct ui_screen screen;
	struct session *c;
	bool adding;
	struct store_org_form orig; /* as read (rename), or as opened (add) */
	char *code, *name;          /* the text fields' values */
	bool is_site;
	char parent_text[900];
	struct ui_form *ui;
	void (*saved)(void *ctx, const char *code);
	void *ctx;
	bool done; /* saved: the form closes */
};

static const struct ui_keydef form_keys[] = {
    {REQ_SUBMIT, NULL, "Submit the form", true, 0},
    {REQ_BACK, NULL, "Back (asking first when there are unsaved changes)", true,
     0},
    {REQ_QUIT, "Back", "Back, as Esc (outside a text field)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_org_form_keymap = {"org-form", "Organisation",
                                                 form_keys, &ui_form_keymap};

static bool dirty(const struct org_form *f)
{
	return strcmp(f->name, f->orig.name) != 0 ||
	       (f->adding &&
	        (strcmp(f->code, f->orig.code) != 0 || f->is_site));
}

static void submit(void *ctx, int id, int arg);

static void build(struct org_form *f)
{
	struct ui_form *u = f->ui;
	ui_form_clear(u);
	ui_form_static(u, ID_PARENT, 0, "Parent", f->parent_text);
	struct ui_form_item *it =
	    ui_form_text(u, ID_CODE, 0, "Code *", &f->code,
	                 (size_t)field_rules[FIELD_ORG_CODE].max);
	if (it && !f->adding)
		ui_form_readonly(it, "an organisation's code never changes");
	ui_form_text(u, ID_NAME, 0, "Name *", &f->name,
	             (size_t)field_rules[FIELD_ORG_NAME].max);
	if (f->adding)
		ui_form_check(u, ID_SITE, 0, "Site", &f->is_site);
	ui_form_button(u, ID_SUBMIT, 0, "Submit", submit);
	ui_form_done(u);
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct org_form *f = (struct org_form *)s;
	build(f);
	char title[128];
	if (f->adding)
		snprintf(title, sizeof title,
		         "Add Organisation   * indicates required field(s)");
	else
		snprintf(title, sizeof title,
		         "Rename Organisation %s   * indicates required "
		         "field(s)",
		         f->orig.code);
	ui_text(a, 0, 0, a.w, STYLE_HEADER, title);
	ui_form_draw(f->ui, (struct ui_area){a.y + 1, a.x, a.h - 1, a.w});
}

/* After a conflict: the organisation as stored now, whose version the
 * next Submit writes over (the input stays as typed). */
static void take_current(struct org_form *f)
{
	struct store_org_form now;
	struct store_error err = {0};
	if (store_org_read(f->c->store, f->orig.code, &now, &err))
		f->orig = now;
}

static bool save(struct org_form *f, struct store_error *err)
{
	struct session *c = f->c;
	if (f->adding) {
		struct store_org_form o = f->orig;
		snprintf(o.code, sizeof o.code, "%s", f->code);
		snprintf(o.name, sizeof o.name, "%s", f->name);
		o.is_site = f->is_site;
		if (strlen(f->code) >= sizeof o.code ||
		    strlen(f->name) >= sizeof o.name) {
			/* the text fields bound them; a paste is cut there */
			store_fail(err, STORE_INVALID, "a value is too long");
			return false;
		}
		return store_org_add(c->store, c->operator_login, &o, err);
	}
	return store_org_rename(c->store, c->operator_login, f->orig.code,
	                        f->orig.version, f->name, err);
}

static void submit(void *ctx, int id, int arg)
{
	struct org_form *f = ctx;
	(void)id;
	(void)arg;
	if (f->c->read_only) {
		ui_error("Read-only mode: organisations cannot be changed.");
		return;
	}
	if (!dirty(f) && !f->adding) {
		ui_message("Nothing to submit: no change.");
		return;
	}
	if (session_offline(f->c, "save"))
		return;
	struct store_error err = {0};
	if (!save(f, &err)) {
		if (strcmp(err.sqlstate, STORE_CONFLICT) == 0 && !f->adding) {
			take_current(f);
			ui_error(
			    "%s; its name is now \"%s\". Your input is kept: "
			    "Submit again to write yours over it.",
			    err.message, f->orig.name);
		} else {
			ui_error("%s", err.message);
		}
		return;
	}
	const char *code = f->adding ? f->code : f->orig.code;
	if (f->saved)
		f->saved(f->ctx, code);
	ui_message("%s organisation %s successfully.",
	           f->adding ? "Added" : "Renamed", code);
	f->done = true;
}

static void submit_key(void *ctx)
{
	submit(ctx, ID_SUBMIT, 0);
}

static bool unsaved(struct ui_screen *s)
{
	struct org_form *f = (struct org_form *)s;
	return !f->c->read_only && dirty(f);
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct org_form *f = (struct org_form *)s;
	build(f);
	return screen_form_key(s, f->ui, k, r, submit_key, f, &f->done);
}

static void close_form(struct ui_screen *s)
{
	struct org_form *f = (struct org_form *)s;
	ui_form_free(f->ui);
	free(f->code);
	free(f->name);
	free(f);
}

/* The parent's line: "LAT04 - LatOrg04", or that there is none. */
static void parent_text(struct org_form *f, const char *parent)
{
	const struct engine_world *w = f->c->world;
	int p = parent[0] ? engine_org_find(w, parent) : -1;
	if (p >= 0)
		snprintf(f->parent_text, sizeof f->parent_text, "%s - %s",
		         engine_org(w, p)->code, engine_org(w, p)->name);
	else
		snprintf(f->parent_text, sizeof f->parent_text,
		         "none (a root organisation)");
}

struct ui_screen *
screen_org_form_new(struct session *c, const char *parent, const char *code,
                    void (*saved)(void *ctx, const char *code), void *ctx)
{
	struct org_form *f = calloc(1, sizeof *f);
	if (!f) {
		ui_error("out of memory");
		return NULL;
	}
	f->c = c;
	f->saved = saved;
	f->ctx = ctx;
	f->adding = parent != NULL;
	if (f->adding) {
		snprintf(f->orig.parent, sizeof f->orig.parent, "%s", parent);
	} else {
		struct store_error err = {0};
		if (session_offline(c, "open the organisation") ||
		    !store_org_read(c->store, code, &f->orig, &err)) {
			if (err.message[0])
				ui_error("%s", err.message);
			free(f);
			return NULL;
		}
	}
	parent_text(f, f->orig.parent);
	f->code = strdup(f->orig.code);
	f->name = strdup(f->orig.name);
	f->ui = ui_form_new(f);
	if (!f->code || !f->name || !f->ui) {
		ui_error("out of memory");
		close_form(&f->screen);
		return NULL;
	}
	f->screen = (struct ui_screen){
	    .title = f->adding ? "Add Organisation" : "Rename Organisation",
	    .draw = draw,
	    .key = key,
	    .keymap = &screen_org_form_keymap,
	    .close = close_form,
	    .unsaved = unsaved};
	build(f);
	ui_form_focus(f->ui, f->adding ? ID_CODE : ID_NAME, 0);
	return &f->screen;
}
