/* study_settings.c: the settings switches (O on Study Configure): "Require
 * site restrictions?" and "Require study restrictions?" as a checklist
 * of two boxes, ticked as the database has them, with what the switch
 * under the cursor means below them. ^S or Enter saves: for each switch
 * turned on, the number of users it would shut out of a study they reach
 * now (store_settings_shut_out: the engine's count) is asked about first,
 * with the switches still in view; the save is one change, audited
 * (store_settings_save). An operator without access.grant_any over a
 * root sees the boxes dim, and ticking one gives the engine's reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/count.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_checklist.h"

enum { SWITCH_SITE, SWITCH_STUDY, SWITCHES };

static const char *const keys[SWITCHES] = {"site", "study"};
static const char *const labels[SWITCHES] = {"Require site restrictions?",
                                             "Require study restrictions?"};
/* access-model.md section 4, in the operator's words */
static const char *const meanings[SWITCHES] = {
    "Yes: a user with no site restriction reaches no study that has no "
    "user access list, unless Study User Management lets them in.",
    "Yes: a user with no restricted study reaches no study that has no "
    "user access list, unless Study User Management lets them in."};

struct settings {
	struct ui_screen screen;
	struct session *c;
	struct ui_checklist *cl;
	struct engine_settings now; /* as read */
	int version;
	char why[768]; /* "" when the operator may change them */
	long generation;
	bool rebase; /* after a conflict: the next read is the baseline */
};

static const struct ui_keydef settings_keys[] = {
    {REQ_SUBMIT, "Save", "Save the switches (asks first, with its count)", true,
     0},
    {REQ_OPEN, NULL, "Save, as ^S", false, 0},
    {REQ_BACK, NULL, "Leave without saving (asks when changed)", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_study_settings_keymap = {
    "settings", "Settings", settings_keys, &ui_checklist_keymap};

/* For an operator who may not change them (or read-only mode): no Save
 * in the key bar. */
static const struct ui_keydef settings_keys_unchangeable[] = {
    {REQ_SUBMIT, NULL, "Save (you may not change the settings)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_study_settings_keymap_unchangeable = {
    "settings-unchangeable", "Settings you may not change",
    settings_keys_unchangeable, &screen_study_settings_keymap};

static bool on(const struct engine_settings *s, int i)
{
	return i == SWITCH_SITE ? s->require_site_restrictions
	                        : s->require_study_restrictions;
}

/* The switches as ticked now. */
static struct engine_settings ticked(const struct settings *st)
{
	return (struct engine_settings){
	    ui_checklist_is_ticked(st->cl, keys[SWITCH_SITE]),
	    ui_checklist_is_ticked(st->cl, keys[SWITCH_STUDY])};
}

static bool unsaved(struct ui_screen *s)
{
	struct settings *st = (struct settings *)s;
	struct engine_settings to = ticked(st);
	return on(&to, SWITCH_SITE) != on(&st->now, SWITCH_SITE) ||
	       on(&to, SWITCH_STUDY) != on(&st->now, SWITCH_STUDY);
}

/* The rows from the settings as read now; tick: as they are (else the
 * operator's ticks stay). While the ticks differ from what the screen was
 * read at, that stays its baseline, version included: a save then meets
 * the change made meanwhile as a conflict, never undoing it; after the
 * conflict the switches as saved now are the baseline, with the switches
 * the operator had changed changed again on it. */
static bool read_rows(struct settings *st, bool tick)
{
	struct store_error err = {0};
	struct engine_settings fresh;
	int version;
	/* read once a generation, even when it fails (not on every key) */
	st->generation = st->c->generation;
	if (!store_settings_read(st->c->store, &fresh, &version, &err)) {
		ui_error("%s", err.message);
		return false;
	}
	/* after a conflict: the switches the operator changed, on what is
	 * saved now */
	struct engine_settings mine = ticked(st);
	bool rebase = st->rebase && !tick;
	if (rebase) {
		if (mine.require_site_restrictions ==
		    st->now.require_site_restrictions)
			mine.require_site_restrictions =
			    fresh.require_site_restrictions;
		if (mine.require_study_restrictions ==
		    st->now.require_study_restrictions)
			mine.require_study_restrictions =
			    fresh.require_study_restrictions;
	}
	/* nothing changed by the operator: the screen follows the database,
	 * ticks and all */
	bool follow = tick || !unsaved(&st->screen);
	if (follow || rebase) {
		st->now = fresh;
		st->version = version;
		st->rebase = false;
	}
	struct engine_explain ex;
	engine_explain_init(&ex);
	st->why[0] = '\0';
	if (st->c->read_only)
		snprintf(st->why, sizeof st->why,
		         "Read-only mode: the settings cannot be changed.");
	else if (!engine_may_change_settings(st->c->world, st->c->op, &ex))
		store_explain_line(st->c->world, st->c->op, -1, &ex, st->why,
		                   sizeof st->why);
	engine_explain_free(&ex);
	/* may change them, or not: the key bar says which, read each time */
	st->screen.keymap = st->why[0]
	                        ? &screen_study_settings_keymap_unchangeable
	                        : &screen_study_settings_keymap;
	struct ui_checklist_row rows[SWITCHES];
	const char *now[SWITCHES];
	int n_now = 0;
	for (int i = 0; i < SWITCHES; i++) {
		rows[i] = (struct ui_checklist_row){
		    keys[i],
		    {labels[i], on(&fresh, i) ? "Yes" : "No"},
		    st->why[0] ? st->why : NULL};
		if (on(&fresh, i))
			now[n_now++] = keys[i];
	}
	if (!ui_checklist_set_rows(st->cl, rows, SWITCHES)) {
		ui_error("out of memory");
		return false;
	}
	if (follow || st->why[0]) {
		ui_checklist_set_ticked(st->cl, now, n_now);
	} else if (rebase) {
		const char *merged[SWITCHES];
		int n_merged = 0;
		for (int i = 0; i < SWITCHES; i++)
			if (on(&mine, i))
				merged[n_merged++] = keys[i];
		ui_checklist_set_ticked(st->cl, merged, n_merged);
	}
	return true;
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct settings *st = (struct settings *)s;
	if (st->generation != st->c->generation)
		read_rows(st, false);
	int h = a.h < 8 ? a.h : 8;
	ui_text(a, 0, 0, a.w, STYLE_HEADER, "Settings");
	const char *k = ui_checklist_cursor_key(st->cl);
	int i = k && strcmp(k, keys[SWITCH_STUDY]) == 0 ? SWITCH_STUDY
	                                                : SWITCH_SITE;
	char *lines[] = {(char *)meanings[i]};
	int top = 0;
	ui_lines_draw((struct ui_area){a.y + h, a.x, a.h - h, a.w}, labels[i],
	              lines, 1, &top);
	/* the list last: the terminal's cursor on its box */
	ui_checklist_draw(st->cl, (struct ui_area){a.y + 1, a.x, h - 1, a.w});
}

/* How many users the settings `to` would shut out of a study they reach
 * now (the engine's count); false with the message shown. */
static bool shut_out(const struct settings *st,
                     const struct engine_settings *to, long *n)
{
	struct store_error err = {0};
	if (store_settings_shut_out(st->c->store, to, n, &err))
		return true;
	ui_error("%s", err.message);
	return false;
}

/* Asks first, with each switch's count; true when saved (or nothing to
 * save). */
static bool save(struct settings *st)
{
	if (st->why[0]) {
		ui_error("%s", st->why);
		return false;
	}
	if (session_offline(st->c, "save"))
		return false;
	struct engine_settings to = ticked(st);
	char q[900], count[32];
	size_t at = 0;
	int n_on = 0;
	for (int i = 0; i < SWITCHES; i++) {
		if (on(&to, i) == on(&st->now, i))
			continue;
		long shut = 0;
		if (on(&to, i)) { /* this switch alone, turned on */
			struct engine_settings one = st->now;
			if (i == SWITCH_SITE)
				one.require_site_restrictions = true;
			else
				one.require_study_restrictions = true;
			if (!shut_out(st, &one, &shut))
				return false;
			n_on++;
		}
		at += (size_t)snprintf(
		    q + at, sizeof q - at, "%s%s %s: %s", at ? "; " : "",
		    labels[i], on(&to, i) ? "Yes" : "No",
		    on(&to, i) ? count_text(count, sizeof count, shut) : "no");
		at += (size_t)snprintf(q + at, sizeof q - at,
		                       " user%s would lose access to a study",
		                       on(&to, i) && shut == 1 ? "" : "s");
	}
	if (at == 0) {
		ui_message("Nothing changed.");
		return true;
	}
	if (n_on == SWITCHES) { /* the two together */
		long shut = 0;
		if (!shut_out(st, &to, &shut))
			return false;
		at += (size_t)snprintf(q + at, sizeof q - at, "; both: %s",
		                       count_text(count, sizeof count, shut));
	}
	snprintf(q + at, sizeof q - at, ". Save?");
	ui_drop_typeahead(); /* the counts are read, not typed past */
	struct store_error err = {0};
	if (!ui_confirm(q)) {
		ui_message("Nothing saved.");
		return false;
	}
	bool changed = false;
	bool ok = store_settings_save(st->c->store, st->c->operator_login,
	                              st->version, &to, &changed, &err);
	if (!ok && strcmp(err.sqlstate, STORE_CONFLICT) == 0)
		st->rebase = true; /* the ticks stay; ^S again saves them */
	if (ok || st->rebase)
		session_reload(st->c);
	if (ok)
		ui_message(changed ? "Updated the settings successfully."
		                   : "The settings were already so.");
	else
		ui_error("%s", err.message);
	return ok;
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct settings *st = (struct settings *)s;
	(void)k;
	if (r == REQ_SUBMIT || r == REQ_OPEN)
		return save(st) ? UI_CLOSE : UI_HANDLED;
	if (ui_checklist_request(st->cl, r, 0))
		return UI_HANDLED;
	return screen_form_rest(r, unsaved(s));
}

static void changed(struct ui_screen *s)
{
	((struct settings *)s)->generation = -1;
}

static void close_settings(struct ui_screen *s)
{
	struct settings *st = (struct settings *)s;
	ui_checklist_free(st->cl);
	free(st);
}

struct ui_screen *screen_study_settings_new(struct session *c)
{
	if (session_offline(c, "read the settings"))
		return NULL;
	static const struct ui_column cols[] = {{"Setting", 30}, {"Now", 3}};
	struct settings *st = calloc(1, sizeof *st);
	if (st)
		st->cl = ui_checklist_new(cols, 2);
	if (!st || !st->cl) {
		free(st);
		ui_error("out of memory");
		return NULL;
	}
	st->c = c;
	st->screen = (struct ui_screen){.title = "Settings",
	                                .draw = draw,
	                                .key = key,
	                                .keymap = &screen_study_settings_keymap,
	                                .close = close_settings,
	                                .changed = changed,
	                                .unsaved = unsaved};
	if (!read_rows(st, true)) {
		close_settings(&st->screen);
		return NULL;
	}
	return &st->screen;
}
