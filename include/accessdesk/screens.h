/* screens.h: the console's tabs and the screens stacked on them.
 *
 * The tab registry is declared once, here, as tig declares its views: one
 * line per tab gives its number (its place), its name (the constructor is
 * screen_NAME_new), its label in the tab bar and the help, and whether it
 * is built. The tab bar, the labels, the constructors' prototypes and the
 * help lines are generated from it. Adding a tab is one file in
 * src/screens/, its line here turned to 1, and one line in meson.build. */
#ifndef ACCESSDESK_SCREENS_H
#define ACCESSDESK_SCREENS_H

#include "accessdesk/session.h"
#include "accessdesk/ui_tree.h"

/* _(ID, name, label, built) */
#define TAB_INFO(_)                                                            \
	_(USERS, users, "Users", 1)                                            \
	_(ORGANISATIONS, organisations, "Organisations", 1)                    \
	_(CLUSTERS, clusters, "Service Provider Clusters", 1)                  \
	_(STUDY_CONFIGURE, study_configure, "Study Configure", 1)              \
	_(AUDIT, audit, "Audit", 1)

enum screen_tab {
#define TAB_ENUM(id, name, label, built) TAB_##id,
	TAB_INFO(TAB_ENUM)
#undef TAB_ENUM
	    TAB_COUNT
};

/* A built tab's constructor: its screen on the session, or NULL with the
 * message shown. */
#define TAB_PROTO_1(name)                                                      \
	struct ui_screen *screen_##name##_new(struct session *c);
#define TAB_PROTO_0(name)
#define TAB_PROTO(id, name, label, built) TAB_PROTO_##built(name)
TAB_INFO(TAB_PROTO)
#undef TAB_PROTO

/* Runs the console; returns the exit status. */
int console_main(void);
/* --check-config: the file, then its ui.keys against every key map. */
int console_check_config(void);

/* The screens' key maps (for --check-config). */
extern const struct ui_keymap screen_users_keymap,
    screen_users_keymap_read_only, screen_user_form_keymap,
    screen_user_form_keymap_read_only, screen_organisations_keymap,
    screen_organisations_keymap_read_only, screen_org_form_keymap,
    screen_who_keymap, screen_clusters_keymap, screen_clusters_keymap_read_only,
    screen_cluster_form_keymap, screen_cluster_form_keymap_read_only,
    screen_cluster_summary_keymap, screen_cluster_what_if_keymap,
    screen_study_configure_keymap, screen_study_configure_keymap_read_only,
    screen_study_settings_keymap, screen_study_settings_keymap_unchangeable,
    screen_study_import_keymap, screen_audit_keymap, screen_audit_filter_keymap;

/* The world's organisations as tree nodes (src/screens/org_nodes.c).
 * judge(ctx, org, reason, len) says whether the organisation is shown
 * and, when it is, leaves reason "" if it may be picked or says why not
 * (the node is then dim). A node's parent is its nearest ancestor that is
 * shown. The nodes point into the world and into `why`: hand them to a
 * tree (which copies them) before the world is reloaded. */
typedef bool org_nodes_judge(void *ctx, int org, char *reason, size_t len);
struct org_nodes {
	struct ui_tree_node *nodes;
	int n, n_pickable;
	int *node_of; /* by engine id: the node, or -1 when not shown */
	char **why;   /* by node: its reason, or NULL */
};
bool org_nodes_build(struct org_nodes *on, const struct engine_world *w,
                     org_nodes_judge *judge, void *ctx);
void org_nodes_free(struct org_nodes *on);
/* The tree's nodes made again from the world (a picker's, after a
 * reload): the cursor and the ticks stay by code. False when out of
 * memory (the tree keeps its nodes). */
bool org_nodes_refresh(struct ui_tree *t, const struct engine_world *w,
                       org_nodes_judge *judge, void *ctx);

/* Writes a CSV file as every report of the console does
 * (src/screens/report_file.c): asks where (prompt, the default path) and
 * before replacing a file; write(f, ctx, err) writes the header and rows
 * and returns the rows written, or -1 with err set; the file is written
 * beside its place and put there whole, so a failed or cancelled report
 * leaves the older file as it was. The outcome goes to the message line. */
void screen_write_csv(const char *prompt, const char *default_path,
                      long (*write)(FILE *f, void *ctx,
                                    struct store_error *err),
                      void *ctx);

/* A request a form's widget left alone (src/screens/forms.c): Esc and q
 * leave (asking first when unsaved), the help, redraw and ^C are the
 * frame's, any other key stays the form's (q, the digits and Tab are not
 * the tabs' while a form is open). */
enum ui_result screen_form_rest(enum ui_request r, bool unsaved);
/* A key on a form whose Submit is one step (the organisation and cluster
 * forms): ^S calls submit(ctx), other keys go to the form widget, then a
 * form that is done (saved) closes and what the widget left goes to
 * screen_form_rest (asking s->unsaved). */
struct ui_form;
enum ui_result screen_form_key(struct ui_screen *s, struct ui_form *ui, int k,
                               enum ui_request r, void (*submit)(void *ctx),
                               void *ctx, const bool *done);

/* The screens pushed over a tab. */
/* The Organisations tab's form: with parent (a code, "" for the top), Add
 * child (Code, Name, Site) under it; with code, Rename that organisation.
 * After a save, saved(ctx, code) (the session reloaded). */
struct ui_screen *
screen_org_form_new(struct session *c, const char *parent, const char *code,
                    void (*saved)(void *ctx, const char *code), void *ctx);
/* The Service Provider Clusters tab's form (src/screens/cluster_form.c):
 * with short_name NULL, Add New Cluster owned by owner (a code); else that
 * cluster opened. After a save, saved(ctx, short_name) (then the session
 * is reloaded by the caller). */
struct ui_screen *screen_cluster_form_new(
    struct session *c, const char *owner, const char *short_name,
    void (*saved)(void *ctx, const char *short_name), void *ctx);
/* Deletes the cluster, asking first (d on the list, Delete Cluster on its
 * form): refused with the engine's reason, or, while any grant selects
 * it, with a view listing whose; true when deleted (the session
 * reloaded). */
bool screen_cluster_delete(struct session *c, const char *short_name);
/* The settings switches (O on Study Configure: study_settings.c); NULL
 * with the message shown when it cannot open. */
struct ui_screen *screen_study_settings_new(struct session *c);
/* Who has access? at the organisation with this code. */
struct ui_screen *screen_who_new(struct session *c, const char *code);
struct ui_screen *screen_user_form_new(struct session *c, const char *login);
struct ui_screen *screen_why_new(struct session *c, const char *login);
/* After a conflict: the user as saved now beside the operator's form
 * (opened: as read when the form opened; yours: the input); why: the
 * conflict's message. */
struct ui_screen *screen_user_diff_new(struct session *c,
                                       const struct store_user_form *opened,
                                       const struct store_user_form *yours,
                                       const char *why);

#endif
