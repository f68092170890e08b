/* study_settings.c: the settings switches (O on Study Configure): "Require
 * site restrictions?" and "Require study restrictions?" as a checklist
 * of two boxes, ticked as the database has them. Enter (Save) works out
 * what changes; for each switch turned on, the number of users it would
 * shut out of a study they reach now (store_settings_shut_out: the
 * engine's count) is asked about before anything is written; the save is
 * one change, audited (store_settings_save). An operator without
 * access.grant_any over a root sees the boxes dim, and ticking one gives
 * the engine's reason. */
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

struct settings_screen {
	struct session *c;
	struct engine_settings now;
	int version;
	char why[768]; /* "" when the operator may change them */
};

static bool on(const struct engine_settings *s, int i)
{
	return i == SWITCH_SITE ? s->require_site_restrictions
	                        : s->require_study_restrictions;
}

/* The rows from the settings as read now. */
static bool read_rows(struct settings_screen *st, struct ui_checklist *cl,
                      bool tick)
{
	struct store_error err = {0};
	if (!store_settings_read(st->c->store, &st->now, &st->version, &err)) {
		ui_error("%s", err.message);
		return false;
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
	struct ui_checklist_row rows[SWITCHES];
	const char *ticked[SWITCHES];
	int n_ticked = 0;
	for (int i = 0; i < SWITCHES; i++) {
		rows[i] = (struct ui_checklist_row){
		    keys[i],
		    {labels[i], on(&st->now, i) ? "Yes" : "No"},
		    st->why[0] ? st->why : NULL};
		if (on(&st->now, i))
			ticked[n_ticked++] = keys[i];
	}
	if (!ui_checklist_set_rows(cl, rows, SWITCHES)) {
		ui_error("out of memory");
		return false;
	}
	if (tick)
		ui_checklist_set_ticked(cl, ticked, n_ticked);
	return true;
}

static void reread(void *ctx, struct ui_checklist *cl)
{
	read_rows(ctx, cl, false);
}

static void save(void *ctx, char *const *ticked, int n)
{
	struct settings_screen *st = ctx;
	struct engine_settings to = {false, false};
	for (int i = 0; i < n; i++) {
		if (strcmp(ticked[i], keys[SWITCH_SITE]) == 0)
			to.require_site_restrictions = true;
		else
			to.require_study_restrictions = true;
	}
	char q[400], count[32];
	size_t at = 0;
	for (int i = 0; i < SWITCHES; i++)
		if (on(&to, i) != on(&st->now, i))
			at += (size_t)snprintf(q + at, sizeof q - at, "%s%s %s",
			                       at ? ", " : "", labels[i],
			                       on(&to, i) ? "Yes" : "No");
	if (at == 0) {
		ui_message("Nothing changed.");
		return;
	}
	long shut = 0;
	struct store_error err = {0};
	if (!store_settings_shut_out(st->c->store, &to, &shut, &err)) {
		ui_error("%s", err.message);
		return;
	}
	snprintf(q + at, sizeof q - at,
	         ": shuts %s user%s out of studies they reach now. Save?",
	         count_text(count, sizeof count, shut), shut == 1 ? "" : "s");
	if (!ui_confirm(q)) {
		ui_message("Nothing saved.");
		return;
	}
	bool changed = false;
	bool ok = store_settings_save(st->c->store, st->c->operator_login,
	                              st->version, &to, &changed, &err);
	if (ok || strcmp(err.sqlstate, STORE_CONFLICT) == 0)
		session_reload(st->c);
	if (ok)
		ui_message(changed ? "Updated the settings successfully."
		                   : "The settings were already so.");
	else
		ui_error("%s", err.message);
}

/* The checklist screen frees its list; the context goes with it. */
static void free_ctx(void *ctx)
{
	free(ctx);
}

struct ui_screen *screen_study_settings_new(struct session *c)
{
	if (session_offline(c, "read the settings"))
		return NULL;
	static const struct ui_column cols[] = {{"Setting", 30}, {"Now", 3}};
	struct settings_screen *st = calloc(1, sizeof *st);
	struct ui_checklist *cl = st ? ui_checklist_new(cols, 2) : NULL;
	if (!cl) {
		free(st);
		ui_error("out of memory");
		return NULL;
	}
	st->c = c;
	if (!read_rows(st, cl, true)) {
		ui_checklist_free(cl);
		free(st);
		return NULL;
	}
	struct ui_screen *s = ui_checklist_screen_new(
	    "Settings (Space ticks, Enter saves, Esc leaves)", "Save", cl, save,
	    reread, st);
	if (!s) {
		free(st);
		ui_error("out of memory");
		return NULL;
	}
	ui_checklist_screen_on_close(s, free_ctx);
	if (st->why[0])
		ui_message("You may not change the settings: %s", st->why);
	return s;
}
