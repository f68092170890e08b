/* console.c: the console's start: the session, the terminal, the tabs of
 * the registry (TAB_INFO in screens.h), the loop; and --check-config's
 * check of ui.keys against every screen's key map. */
#include <stdio.h>
#include <stdlib.h>

#include "accessdesk/cli.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_checklist.h"
#include "accessdesk/ui_form.h"
#include "accessdesk/ui_menu.h"
#include "accessdesk/ui_picker.h"
#include "accessdesk/ui_tree.h"

/* Every key map whose chain a key could collide along (the frame's maps
 * are put after each by ui_keys_check). */
static const struct ui_keymap *const keymaps[] = {
    &ui_text_keymap,
    &ui_list_keymap,
    &ui_form_keymap,
    &ui_tree_keymap,
    &ui_tree_check_keymap,
    &ui_checklist_keymap,
    &ui_menu_keymap,
    &ui_picker_keymap,
    &screen_users_keymap,
    &screen_users_keymap_read_only,
    &screen_user_form_keymap,
    &screen_user_form_keymap_read_only,
    &screen_organisations_keymap,
    &screen_organisations_keymap_read_only,
    &screen_org_form_keymap,
    &screen_who_keymap,
    &screen_clusters_keymap,
    &screen_clusters_keymap_read_only,
    &screen_cluster_form_keymap,
    &screen_cluster_form_keymap_read_only,
    &screen_cluster_summary_keymap,
    &screen_cluster_what_if_keymap,
    &screen_study_configure_keymap,
    &screen_study_configure_keymap_read_only,
    &screen_study_settings_keymap,
    &screen_study_settings_keymap_unchangeable,
    &screen_study_import_keymap,
    &screen_audit_keymap,
    &screen_audit_filter_keymap,
};

int console_check_config(void)
{
	const struct config *c = cli_config();
	if (!c)
		return EXIT_USAGE;
	char err[512];
	if (!ui_keys_check(c, keymaps, (int)(sizeof keymaps / sizeof *keymaps),
	                   err, sizeof err)) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	return cli_check_config();
}

/* A built tab's screen; NULL for one that is not. */
#define TAB_NEW_1(name) screen_##name##_new(c)
#define TAB_NEW_0(name) NULL

int console_main(void)
{
	struct session session = {0}, *c = &session;
	if (!session_open(c)) {
		session_close(c);
		return EXIT_USAGE;
	}
	char msg[512];
	if (!ui_start(c->config, cli_opts.ascii_lines, msg, sizeof msg)) {
		cli_error("%s", msg);
		session_close(c);
		return EXIT_USAGE;
	}
	ui_set_info(&c->info);
	struct ui_tab tabs[] = {
#define TAB_ROW(id, name, label, built) {label, TAB_NEW_##built(name)},
	    TAB_INFO(TAB_ROW)
#undef TAB_ROW
	};
	if (!tabs[TAB_USERS].screen) {
		ui_stop();
		cli_error("cannot open the Users tab");
		session_close(c);
		return EXIT_USAGE;
	}
	ui_set_tabs(tabs, TAB_COUNT);
	enum ui_end end = session_run(c);
	int sig = ui_end_signal();
	ui_stop();
	session_close(c);
	/* ended by a signal (a dropped SSH connection): as the shell would
	 * report it, never 0 */
	return end == UI_END_HANGUP ? 128 + (sig ? sig : 1) : 0;
}
