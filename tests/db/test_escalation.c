/* test_escalation.c: escalation and scope through the store's API (issue
 * 14, item 1), against a real PostgreSQL server (TAP).
 *
 * One table: each row an administrative operation of access-model.md
 * section 5 (a user's details, enabling, grants and their roles, payment
 * types and clusters, profile roles and sites, clusters, organisations,
 * study user access lists, the settings), each column an operator of
 * tests/db/escalation-fixture.conf (every built-in role, with and without a
 * cluster selected), each cell what the spec says: Y allowed, N refused,
 * O refused for the row's own reason (its `why`: an operator who could
 * otherwise make the change).
 * The cells are written by hand from the spec, never asked of the engine.
 *
 * Every attempt runs on the same database. A refused one must come back
 * as a refusal (STORE_REFUSED, or STORE_INVALID for a field rule), with
 * its reason (the row's `why` when it names one), and leave every table,
 * the audit trail included, as it was. An allowed one must save with one
 * audit record, and is then undone by the restorer (esc_root, a root
 * System Administrator with the Study Administrator profile), so that each
 * cell starts from the fixture.
 *
 * Then the lock-out rule under concurrency: the two enabled root System
 * Administrators left take each other's power away at the same moment,
 * in three ways (disable, revoke, select a cluster); exactly one wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "accessdesk/store.h"
#include "pg_test.h"
#include "tap.h"

static PGconn *raw; /* checks by plain SQL */
static const char *conninfo;

static const char restorer[] = "esc_root";

/* The columns: the operators. */
static const char *const operators[] = {
    "esc_sar", /* S  System Administrator at nhs (a root) */
    "esc_sal", /* L  System Administrator at lat04 */
    "esc_aua", /* A  Advanced User Administrator at lat04 */
    "esc_auc", /* C  the same narrowed to A01AAA by a cluster */
    "esc_ua",  /* U  User Administrator at lat04 */
    "esc_uac", /* K  the same under a cluster: acts nowhere */
    "esc_vw",  /* V  View at lat04 */
    "esc_aup", /* P  Advanced User Administrator, Study Coordinator */
    "esc_stc", /* T  Study Coordinator at site A01AAA, no grant */
    "esc_inv", /* I  Investigator, no grant */
};
#define N_OPERATORS ((int)(sizeof operators / sizeof operators[0]))

/* Everything an operator's change may touch, as one digest. */
static const char state_sql[] =
    "SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM ("
    "SELECT 'u ' || t::text AS x FROM users t "
    "UNION ALL SELECT 'g ' || t::text FROM grants t "
    "UNION ALL SELECT 'gr ' || t::text FROM grant_roles t "
    "UNION ALL SELECT 'gp ' || t::text FROM grant_payment_types t "
    "UNION ALL SELECT 'gc ' || t::text FROM grant_clusters t "
    "UNION ALL SELECT 'pr ' || t::text FROM profile_roles t "
    "UNION ALL SELECT 'sr ' || t::text FROM site_restrictions t "
    "UNION ALL SELECT 'rs ' || t::text FROM restricted_studies t "
    "UNION ALL SELECT 'o ' || t::text FROM organisations t "
    "UNION ALL SELECT 'c ' || t::text FROM clusters t "
    "UNION ALL SELECT 'cm ' || t::text FROM cluster_members t "
    "UNION ALL SELECT 's ' || t::text FROM studies t "
    "UNION ALL SELECT 'sa ' || t::text FROM study_access t "
    "UNION ALL SELECT 'st ' || t::text FROM settings t "
    "UNION ALL SELECT 'a ' || t::text FROM audit t) s";

/* ---- what a cell works on ---------------------------------------------- */

/* What an attempt's preparation made (a scratch cluster's short name, a
 * scratch organisation's code), for the attempt and the clean-up. */
struct cell {
	const char *op; /* the operator */
	char key[64];
};

/* A change to a user's form. */
typedef void user_edit_fn(struct store_user_form *f);

/* Reads login, edits the form, saves it as op. */
static bool edit_user(struct store *s, const char *op, const char *login,
                      user_edit_fn *edit, struct store_error *err)
{
	struct store_user_form f;
	if (!store_user_read(s, login, &f, err))
		return false;
	edit(&f);
	long long id = 0;
	bool saved = store_user_save(s, op, &f, &id, err);
	store_user_form_free(&f);
	return saved;
}

/* Operator `by` puts the user's form back as it was (at its version now),
 * if it differs. */
static bool put_back(struct store *s, const char *by,
                     const struct store_user_form *was)
{
	struct store_user_form now, back;
	if (!pg_user_read(s, was->login, &now))
		return false;
	if (!store_user_form_differs(&now, was)) {
		store_user_form_free(&now);
		return true;
	}
	bool done = store_user_form_copy(&back, was);
	back.version = now.version;
	struct store_error err = {0};
	long long id = 0;
	done = done && store_user_save(s, by, &back, &id, &err);
	if (!done)
		diag("restoring %s: %s", was->login, err.message);
	store_user_form_free(&now);
	store_user_form_free(&back);
	return done;
}

/* One grant set (g) or revoked (NULL) on its own, as the CLI does. */
static bool set_grant(struct store *s, const char *op, const char *login,
                      const char *org, const struct store_grant_form *g,
                      struct store_error *err)
{
	bool changed = false;
	return store_grant_save(s, op, login, org, g, &changed, err) && changed;
}

/* Copies V's grant at org, for a change to it. */
static bool grant_of(struct store *s, const char *login, const char *org,
                     struct store_grant_form *g, struct store_error *err)
{
	struct store_user_form f;
	if (!store_user_read(s, login, &f, err))
		return false;
	const struct store_grant_form *have = store_user_grant(&f, org);
	bool found = have && store_grant_form_copy(g, have);
	if (!have)
		store_fail(err, "", "%s holds no grant at %s", login, org);
	store_user_form_free(&f);
	return found;
}

/* ---- the operations ---------------------------------------------------- */

/* user's details, enabling, profile roles and sites: through the form */
static void phone(struct store_user_form *f)
{
	pg_set_str(&f->work_phone, "0315859999");
}
static void disable(struct store_user_form *f)
{
	f->enabled = false;
}
static void add_investigator(struct store_user_form *f)
{
	store_names_add(&f->profile_roles, &f->n_profile_roles, "Investigator");
}
static void add_coordinator(struct store_user_form *f)
{
	store_names_add(&f->profile_roles, &f->n_profile_roles,
	                "Study Coordinator");
}
static void add_study_admin(struct store_user_form *f)
{
	store_names_add(&f->profile_roles, &f->n_profile_roles,
	                "Study Administrator");
}
static void add_site_a01(struct store_user_form *f)
{
	store_user_add_site(f, "A01AAA", false);
}
static void add_site_d01(struct store_user_form *f)
{
	store_user_add_site(f, "D01DDD", false);
}
/* on oneself: a System Administrator on the first grant, or (with none)
 * the Study Administrator profile */
static void self_escalate(struct store_user_form *f)
{
	if (f->n_grants > 0)
		store_names_add(&f->grants[0].roles, &f->grants[0].n_roles,
		                "System Administrator");
	else
		add_study_admin(f);
}

/* a grant's roles, payment types, clusters; a new grant; a revoke */
static bool grant_add_role(struct store *s, const char *op, const char *login,
                           const char *org, const char *role,
                           struct store_error *err)
{
	struct store_grant_form g;
	if (!grant_of(s, login, org, &g, err))
		return false;
	store_names_add(&g.roles, &g.n_roles, role);
	bool saved = set_grant(s, op, login, org, &g, err);
	store_grant_form_free(&g);
	return saved;
}

static bool grant_add_cluster(struct store *s, const char *op,
                              const char *login, const char *org,
                              const char *cluster, struct store_error *err)
{
	struct store_grant_form g;
	if (!grant_of(s, login, org, &g, err))
		return false;
	store_names_add(&g.clusters, &g.n_clusters, cluster);
	bool saved = set_grant(s, op, login, org, &g, err);
	store_grant_form_free(&g);
	return saved;
}

static bool grant_new_view(struct store *s, const char *op, const char *login,
                           const char *org, struct store_error *err)
{
	struct store_grant_form g = {0};
	snprintf(g.org, sizeof g.org, "%s", org);
	store_names_add(&g.roles, &g.n_roles, "View");
	bool saved = set_grant(s, op, login, org, &g, err);
	store_grant_form_free(&g);
	return saved;
}

/* A payment type ticked on V's grant at lat04. */
static bool grant_add_payment(struct store *s, const char *op,
                              const char *login, const char *payment,
                              struct store_error *err)
{
	struct store_grant_form g;
	if (!grant_of(s, login, "lat04", &g, err))
		return false;
	g.payments |= ENGINE_PAY(engine_payment_find(payment));
	bool saved = set_grant(s, op, login, "lat04", &g, err);
	store_grant_form_free(&g);
	return saved;
}

/* clusters */
static bool cluster_add(struct store *s, const char *op, const char *owner,
                        const char *member, char *short_name,
                        struct store_error *err)
{
	static int n;
	char name[64];
	snprintf(name, sizeof name, "Escalation cluster %d", ++n);
	struct store_cluster_form f = {0};
	snprintf(f.owner, sizeof f.owner, "%s", owner);
	f.name = strdup(name);
	f.description = strdup("");
	store_names_add(&f.members, &f.n_members, member);
	bool changed = false;
	bool saved = store_cluster_save(s, op, &f, &changed, err);
	if (saved && short_name)
		strcpy(short_name, f.short_name);
	store_cluster_form_free(&f);
	return saved;
}

static bool cluster_delete(struct store *s, const char *op,
                           const char *short_name, struct store_error *err)
{
	struct store_cluster_form f;
	if (!store_cluster_read(s, short_name, &f, err))
		return false;
	bool deleted = store_cluster_delete(s, op, short_name, f.version, err);
	store_cluster_form_free(&f);
	return deleted;
}

static bool cluster_rename(struct store *s, const char *op,
                           const char *short_name, const char *name,
                           struct store_error *err)
{
	struct store_cluster_form f;
	if (!store_cluster_read(s, short_name, &f, err))
		return false;
	pg_set_str(&f.name, name);
	bool changed = false;
	bool saved = store_cluster_save(s, op, &f, &changed, err) && changed;
	store_cluster_form_free(&f);
	return saved;
}

/* organisations */
static int org_version(struct store *s, const char *code,
                       struct store_error *err)
{
	struct store_org_form f;
	return store_org_read(s, code, &f, err) ? f.version : -1;
}

static bool org_add(struct store *s, const char *op, const char *parent,
                    const char *code, struct store_error *err)
{
	struct store_org_form f = {0};
	snprintf(f.code, sizeof f.code, "%s", code);
	snprintf(f.name, sizeof f.name, "Scratch %s", code);
	snprintf(f.parent, sizeof f.parent, "%s", parent);
	return store_org_add(s, op, &f, err);
}

static bool org_delete(struct store *s, const char *op, const char *code,
                       struct store_error *err)
{
	int v = org_version(s, code, err);
	return v >= 0 && store_org_delete(s, op, code, v, err);
}

static bool org_rename(struct store *s, const char *op, const char *code,
                       const char *name, struct store_error *err)
{
	int v = org_version(s, code, err);
	return v >= 0 && store_org_rename(s, op, code, v, name, err);
}

static bool org_move(struct store *s, const char *op, const char *code,
                     const char *parent, struct store_error *err)
{
	int v = org_version(s, code, err);
	return v >= 0 && store_org_move(s, op, code, v, parent, err);
}

/* studies */
static bool study_import(struct store *s, const char *op, const char *code,
                         struct store_error *err)
{
	struct store_study_list l;
	if (!store_study_entries(s, code, &l, err))
		return false;
	int version = l.version;
	store_study_list_free(&l);
	const char *who[] = {"t_cand"};
	struct store_study_filter f = {NULL, "Investigator"};
	return store_study_import(s, op, code, version, &f, who, 1, err);
}

static bool study_remove(struct store *s, const char *op, const char *code,
                         struct store_error *err)
{
	struct store_study_list l;
	if (!store_study_entries(s, code, &l, err))
		return false;
	int version = l.version;
	store_study_list_free(&l);
	const char *who[] = {"t_cand"};
	return store_study_remove(s, op, code, version, who, 1, err);
}

/* settings */
static bool settings_toggle(struct store *s, const char *op,
                            struct store_error *err)
{
	struct engine_settings set;
	int version;
	if (!store_settings_read(s, &set, &version, err))
		return false;
	set.require_site_restrictions = !set.require_site_restrictions;
	bool changed = false;
	return store_settings_save(s, op, version, &set, &changed, err) &&
	       changed;
}

/* ---- the table --------------------------------------------------------- */

/* A row: its attempt as operator c->op; what the spec says for each
 * operator (Y, N or O, in the order of `operators`); the words an O
 * refusal must hold;
 * an optional preparation and clean-up by the restorer around the attempt
 * (the clean-up runs whatever the outcome), and the users whose forms
 * the restorer puts back after an allowed attempt. */
struct row {
	const char *expect;
	const char *name;
	bool (*attempt)(struct store *s, struct cell *c,
	                struct store_error *err);
	bool (*prep)(struct store *s, struct cell *c);
	void (*cleanup)(struct store *s, struct cell *c);
	const char *why;
	const char *users[2]; /* put back after an allowed attempt */
};

#define USER_EDIT(fn, login, edit)                                             \
	static bool fn(struct store *s, struct cell *c,                        \
	               struct store_error *err)                                \
	{                                                                      \
		return edit_user(s, c->op, login, edit, err);                  \
	}
USER_EDIT(details_in, "t_in", phone)
USER_EDIT(details_deep, "t_deep", phone)
USER_EDIT(details_a01, "t_a01", phone)
USER_EDIT(details_out, "t_out", phone)
USER_EDIT(details_mix, "t_mix", phone)
USER_EDIT(details_none, "t_none", phone)
USER_EDIT(disable_in, "t_in", disable)
USER_EDIT(disable_a01, "t_a01", disable)
USER_EDIT(profile_inv, "t_in", add_investigator)
USER_EDIT(profile_coord, "t_in", add_coordinator)
USER_EDIT(profile_admin, "t_in", add_study_admin)
USER_EDIT(site_a01, "t_in", add_site_a01)
USER_EDIT(site_d01, "t_in", add_site_d01)

static bool self_phone(struct store *s, struct cell *c, struct store_error *err)
{
	return edit_user(s, c->op, c->op, phone, err);
}
static bool self_power(struct store *s, struct cell *c, struct store_error *err)
{
	return edit_user(s, c->op, c->op, self_escalate, err);
}

static bool lua_aua(struct store *s, struct cell *c, struct store_error *err)
{
	return grant_add_role(s, c->op, "t_lua", "lat04",
	                      "Advanced User Administrator", err);
}
static bool lua_sa(struct store *s, struct cell *c, struct store_error *err)
{
	return grant_add_role(s, c->op, "t_lua", "lat04",
	                      "System Administrator", err);
}
static bool lua_view(struct store *s, struct cell *c, struct store_error *err)
{
	return grant_add_role(s, c->op, "t_lua", "lat04", "View", err);
}
static bool lua_qof(struct store *s, struct cell *c, struct store_error *err)
{
	return grant_add_payment(s, c->op, "t_lua", "QOF", err);
}
static bool lua_revoke(struct store *s, struct cell *c, struct store_error *err)
{
	return set_grant(s, c->op, "t_lua", "lat04", NULL, err);
}
static bool in_des(struct store *s, struct cell *c, struct store_error *err)
{
	return grant_add_payment(s, c->op, "t_in", "DES", err);
}
static bool in_revoke(struct store *s, struct cell *c, struct store_error *err)
{
	return set_grant(s, c->op, "t_in", "lat04", NULL, err);
}
static bool in_cluster(struct store *s, struct cell *c, struct store_error *err)
{
	return grant_add_cluster(s, c->op, "t_in", "lat04", "C61A6DB801", err);
}
static bool in_other_cluster(struct store *s, struct cell *c,
                             struct store_error *err)
{
	return grant_add_cluster(s, c->op, "t_in", "lat04", "0000000E01", err);
}
static bool a01_view_g2(struct store *s, struct cell *c,
                        struct store_error *err)
{
	return grant_new_view(s, c->op, "t_a01", "G00002", err);
}
static bool in_view_out(struct store *s, struct cell *c,
                        struct store_error *err)
{
	return grant_new_view(s, c->op, "t_in", "lat05", err);
}

static bool cl_add_in(struct store *s, struct cell *c, struct store_error *err)
{
	return cluster_add(s, c->op, "lat04", "A01AAA", c->key, err);
}
static bool cl_add_out(struct store *s, struct cell *c, struct store_error *err)
{
	return cluster_add(s, c->op, "lat01", "D01DDD", c->key, err);
}
static bool cl_rename(struct store *s, struct cell *c, struct store_error *err)
{
	return cluster_rename(s, c->op, "C61A6DB801", "Eastern City (renamed)",
	                      err);
}
static bool cl_delete(struct store *s, struct cell *c, struct store_error *err)
{
	return cluster_delete(s, c->op, c->key, err);
}
/* A preparation's outcome, said when it failed. */
static bool prepared(bool made, const struct store_error *err)
{
	if (!made)
		diag("preparing: %s", err->message);
	return made;
}
/* a scratch cluster made by the restorer, for the delete */
static bool cl_prep(struct store *s, struct cell *c, const char *owner,
                    const char *member)
{
	struct store_error err = {0};
	return prepared(cluster_add(s, restorer, owner, member, c->key, &err),
	                &err);
}
static bool cl_prep_in(struct store *s, struct cell *c)
{
	return cl_prep(s, c, "lat04", "G00002");
}
static bool cl_prep_out(struct store *s, struct cell *c)
{
	return cl_prep(s, c, "lat01", "D01DDD");
}
/* clean-up: the cluster in c->key gone (made by the attempt or the
 * preparation), the seed's name back */
static void cl_cleanup(struct store *s, struct cell *c)
{
	struct store_error err = {0};
	if (c->key[0] && !cluster_delete(s, restorer, c->key, &err) &&
	    !strstr(err.message, "no cluster"))
		diag("cleaning up cluster %s: %s", c->key, err.message);
}
static void cl_name_back(struct store *s, struct cell *c)
{
	(void)c;
	struct store_error err = {0};
	if (!cluster_rename(s, restorer, "C61A6DB801", "Eastern City Practices",
	                    &err) &&
	    err.message[0])
		diag("renaming back: %s", err.message);
}

static bool og_add_in(struct store *s, struct cell *c, struct store_error *err)
{
	strcpy(c->key, "ESC-NEW");
	return org_add(s, c->op, "ESC-IN", c->key, err);
}
static bool og_add_out(struct store *s, struct cell *c, struct store_error *err)
{
	strcpy(c->key, "ESC-NEW");
	return org_add(s, c->op, "lat05", c->key, err);
}
static bool og_rename(struct store *s, struct cell *c, struct store_error *err)
{
	(void)c;
	return org_rename(s, c->op, "ESC-IN", "Escalation renamed", err);
}
static bool og_move_in(struct store *s, struct cell *c, struct store_error *err)
{
	return org_move(s, c->op, "ESC-IN", "cgc04", err);
}
static bool og_move_out(struct store *s, struct cell *c,
                        struct store_error *err)
{
	return org_move(s, c->op, "ESC-IN", "lat05", err);
}
static bool og_delete(struct store *s, struct cell *c, struct store_error *err)
{
	return org_delete(s, c->op, c->key, err);
}
static bool og_prep_child(struct store *s, struct cell *c)
{
	strcpy(c->key, "ESC-DEL");
	struct store_error err = {0};
	return prepared(org_add(s, restorer, "ESC-IN", c->key, &err), &err);
}
static void og_cleanup(struct store *s, struct cell *c)
{
	struct store_error err = {0};
	if (c->key[0] && !org_delete(s, restorer, c->key, &err) &&
	    !strstr(err.message, "no organisation"))
		diag("cleaning up organisation %s: %s", c->key, err.message);
}
/* ESC-IN as the fixture has it: its name, under G00002 */
static void og_back(struct store *s, struct cell *c)
{
	(void)c;
	struct store_error err = {0};
	struct store_org_form f;
	if (!store_org_read(s, "ESC-IN", &f, &err)) {
		diag("%s", err.message);
		return;
	}
	if (strcmp(f.name, "Escalation inside") != 0 &&
	    !org_rename(s, restorer, "ESC-IN", "Escalation inside", &err))
		diag("renaming back: %s", err.message);
	if (strcmp(f.parent, "G00002") != 0 &&
	    !org_move(s, restorer, "ESC-IN", "G00002", &err))
		diag("moving back: %s", err.message);
}

static bool st_import_in(struct store *s, struct cell *c,
                         struct store_error *err)
{
	return study_import(s, c->op, "STUDY-IN", err);
}
static bool st_import_out(struct store *s, struct cell *c,
                          struct store_error *err)
{
	return study_import(s, c->op, "STUDY-OUT", err);
}
static bool st_remove_in(struct store *s, struct cell *c,
                         struct store_error *err)
{
	return study_remove(s, c->op, "STUDY-IN", err);
}
static bool st_prep_listed(struct store *s, struct cell *c)
{
	(void)c;
	struct store_error err = {0};
	return prepared(study_import(s, restorer, "STUDY-IN", &err), &err);
}
/* the candidate off both lists */
static void st_cleanup(struct store *s, struct cell *c)
{
	(void)c;
	static const char *const codes[] = {"STUDY-IN", "STUDY-OUT"};
	for (int i = 0; i < 2; i++) {
		struct store_error err = {0};
		if (!study_remove(s, restorer, codes[i], &err) &&
		    !strstr(err.message, "t_cand") &&
		    strcmp(err.sqlstate, STORE_CONFLICT) != 0)
			diag("cleaning up %s: %s", codes[i], err.message);
	}
}

static bool set_toggle(struct store *s, struct cell *c, struct store_error *err)
{
	return settings_toggle(s, c->op, err);
}
static void set_back(struct store *s, struct cell *c)
{
	(void)c;
	struct engine_settings set;
	int version;
	struct store_error err = {0};
	if (!store_settings_read(s, &set, &version, &err) ||
	    (set.require_site_restrictions &&
	     !settings_toggle(s, restorer, &err)))
		diag("settings back: %s", err.message);
}

/* The table. Columns: the operators, SLACUKVPTI (see
 * `operators`). */
// clang-format off
static const struct row rows[] = {
/*  SLACUKVPTI */
/* a user's details and enabling: users.manage over every
 * organisation of V's grants (none: over a root) */
  {"YYYNYNNYNN", "change t_in's details (lat04)",
      details_in, NULL, NULL, NULL, {"t_in"}},
  {"YYYNNNNYNN", "change t_deep's details (G00001, below lat04)",
      details_deep, NULL, NULL, NULL, {"t_deep"}},
  {"YYYYNNNYNN", "change t_a01's details (A01AAA, in the cluster)",
      details_a01, NULL, NULL, NULL, {"t_a01"}},
  {"YNNNNNNNNN", "change t_out's details (lat05, outside)",
      details_out, NULL, NULL, NULL, {"t_out"}},
  {"YNNNNNNNNN", "change t_mix's details (A01AAA and lat05)",
      details_mix, NULL, NULL, NULL, {"t_mix"}},
  {"YNNNNNNNNN", "change t_none's details (no grant: a root's)",
      details_none, NULL, NULL, NULL, {"t_none"}},
  {"YYYNYNNYNN", "disable t_in",
      disable_in, NULL, NULL, NULL, {"t_in"}},
  {"YYYYNNNYNN", "disable t_a01",
      disable_a01, NULL, NULL, NULL, {"t_a01"}},
/* grants: no escalation of power, checked on the grant as it was and
 * as it will be; business actions and payment types need nothing
 * beyond users.manage over X */
  {"YYYNNNNYNN", "add Advanced User Administrator to t_lua's lat04 grant",
      lua_aua, NULL, NULL, NULL, {"t_lua"}},
  {"YYNNNNNNNN", "add System Administrator to t_lua's lat04 grant",
      lua_sa, NULL, NULL, NULL, {"t_lua"}},
  {"YYYNNNNYNN", "add View (subtree) to t_lua's lat04 grant",
      lua_view, NULL, NULL, NULL, {"t_lua"}},
  {"YYYNYNNYNN", "tick QOF on t_lua's lat04 grant (a payment type)",
      lua_qof, NULL, NULL, NULL, {"t_lua"}},
  {"YYYNYNNYNN", "revoke t_lua's lat04 grant",
      lua_revoke, NULL, NULL, NULL, {"t_lua"}},
  /* t_in's View at lat04 reaches below lat04, where a User
   * Administrator of lat04 holds nothing: checked on the grant as it was
   * (the change path once read no organisation below the grant's) */
  {"YYYNNNNYNN", "tick DES on t_in's lat04 View grant",
      in_des, NULL, NULL, NULL, {"t_in"}},
  {"YYYNNNNYNN", "revoke t_in's lat04 View grant",
      in_revoke, NULL, NULL, NULL, {"t_in"}},
  {"YYYNNNNYNN", "select lat04's cluster on t_in's lat04 grant",
      in_cluster, NULL, NULL, NULL, {"t_in"}},
  {"OOONONNONN", "select lat01's cluster on t_in's lat04 grant",
      in_other_cluster, NULL, NULL, "is not owned by lat04", {"t_in"}},
  {"YYYNNNNYNN", "grant t_a01 View at G00002",
      a01_view_g2, NULL, NULL, NULL, {"t_a01"}},
  {"YNNNNNNNNN", "grant t_in View at lat05 (outside)",
      in_view_out, NULL, NULL, NULL, {"t_in"}},
/* on themself: their own contact details, nothing else */
  {"YYYYYYYYYY", "change one's own phone",
      self_phone, NULL, NULL, NULL, {NULL}},
  {"OOOOOOOOOO", "give oneself System Administrator (or Study Administrator)",
      self_power, NULL, NULL, "own contact details", {NULL}},
/* profile roles and sites: users.manage_study_profile; the roles'
 * powers held by the operator's own profile, or access.grant_any */
  {"YYYNNNNYNN", "add the Investigator profile role to t_in",
      profile_inv, NULL, NULL, NULL, {"t_in"}},
  {"YYNNNNNYNN", "add the Study Coordinator profile role to t_in",
      profile_coord, NULL, NULL, NULL, {"t_in"}},
  {"YYNNNNNNNN", "add the Study Administrator profile role to t_in",
      profile_admin, NULL, NULL, NULL, {"t_in"}},
  {"YYYNNNNYNN", "restrict t_in to site A01AAA",
      site_a01, NULL, NULL, NULL, {"t_in"}},
  {"YNNNNNNNNN", "restrict t_in to site D01DDD (outside)",
      site_d01, NULL, NULL, NULL, {"t_in"}},
/* clusters: clusters.manage over the owner and every member */
  {"YYYNNNNYNN", "add a cluster owned by lat04",
      cl_add_in, NULL, cl_cleanup, NULL, {NULL}},
  {"YNNNNNNNNN", "add a cluster owned by lat01 (outside)",
      cl_add_out, NULL, cl_cleanup, NULL, {NULL}},
  {"YYYNNNNYNN", "rename lat04's cluster C61A6DB801",
      cl_rename, NULL, cl_name_back, NULL, {NULL}},
  {"YYYNNNNYNN", "delete a cluster of lat04",
      cl_delete, cl_prep_in, cl_cleanup, NULL, {NULL}},
  {"YNNNNNNNNN", "delete a cluster of lat01 (outside)",
      cl_delete, cl_prep_out, cl_cleanup, NULL, {NULL}},
/* organisations: orgs.manage over X (and over the new parent) */
  {"YYNNNNNNNN", "add an organisation under ESC-IN",
      og_add_in, NULL, og_cleanup, NULL, {NULL}},
  {"YNNNNNNNNN", "add an organisation under lat05 (outside)",
      og_add_out, NULL, og_cleanup, NULL, {NULL}},
  {"YYNNNNNNNN", "rename ESC-IN",
      og_rename, NULL, og_back, NULL, {NULL}},
  {"YYNNNNNNNN", "move ESC-IN under cgc04",
      og_move_in, NULL, og_back, NULL, {NULL}},
  {"YNNNNNNNNN", "move ESC-IN under lat05 (outside)",
      og_move_out, NULL, og_back, NULL, {NULL}},
  {"YYNNNNNNNN", "delete an organisation under ESC-IN",
      og_delete, og_prep_child, og_cleanup, NULL, {NULL}},
/* study user access lists: study.configure or study.user_management
 * in study_actions(O, S); organisation grants give none; once a
 * study has a list, it takes priority over the profile (section 4),
 * so an operator not on it has no action there */
  {"NNNNNNNYYN", "import t_cand into STUDY-IN (site A01AAA)",
      st_import_in, NULL, st_cleanup, NULL, {NULL}},
  {"NNNNNNNYNN", "import t_cand into STUDY-OUT (site D01DDD)",
      st_import_out, NULL, st_cleanup, NULL, {NULL}},
  {"NNNNNNNNNN", "remove t_cand from STUDY-IN (its list now in force)",
      st_remove_in, st_prep_listed, st_cleanup, NULL, {NULL}},
/* the settings switches: access.grant_any over a root */
  {"YNNNNNNNNN", "switch require_site_restrictions",
      set_toggle, NULL, set_back, NULL, {NULL}},
};
// clang-format on
#define N_ROWS ((int)(sizeof rows / sizeof rows[0]))

static int n_refused, n_allowed;

/* A refusal the spec expects: the store's refusal or a field rule's,
 * with a reason. */
static bool is_refusal(const struct store_error *err, const char *why)
{
	bool refused = strcmp(err->sqlstate, STORE_REFUSED) == 0 ||
	               strcmp(err->sqlstate, STORE_INVALID) == 0;
	if (!refused)
		diag("expected a refusal, got SQLSTATE \"%s\": %s",
		     err->sqlstate, err->message);
	else if (why && !strstr(err->message, why))
		diag("the refusal does not say \"%s\": %s", why, err->message);
	else if (!err->message[0])
		diag("the refusal gives no reason");
	return refused && err->message[0] &&
	       (!why || strstr(err->message, why));
}

static void run_cell(struct store *s, const struct row *r, int col)
{
	struct cell c = {operators[col], ""};
	struct store_user_form was[2];
	int n_was = 0;
	for (int i = 0; i < 2 && r->users[i]; i++)
		if (pg_user_read(s, r->users[i], &was[n_was]))
			n_was++;
	if (r->prep && !r->prep(s, &c)) {
		ok(false, "%s by %s: prepared", r->name, c.op);
		goto out;
	}
	char *before = pg_state(raw, state_sql);
	long audits = pg_audits(raw);
	struct store_error err = {0};
	bool saved = r->attempt(s, &c, &err);
	bool want = r->expect[col] == 'Y';
	if (want) {
		n_allowed++;
		bool one = pg_audits(raw) == audits + 1;
		if (!saved)
			diag("refused: %s %s", err.sqlstate, err.message);
		else if (!one)
			diag("%ld audit records written, not 1",
			     pg_audits(raw) - audits);
		ok(saved && one, "%s by %s: allowed, one audit record", r->name,
		   c.op);
		for (int i = 0; saved && i < n_was; i++)
			put_back(s, restorer, &was[i]);
	} else {
		n_refused++;
		if (saved)
			diag("it saved");
		else
			diag("%s: %s", c.op, err.message);
		const char *why = r->expect[col] == 'O' ? r->why : NULL;
		ok(!saved && is_refusal(&err, why) &&
		       pg_same_state(raw, state_sql, before, "the database"),
		   "%s by %s: refused with its reason, nothing changed",
		   r->name, c.op);
		for (int i = 0; saved && i < n_was; i++)
			put_back(s, restorer, &was[i]);
	}
	free(before);
	if (r->cleanup)
		r->cleanup(s, &c);
out:
	for (int i = 0; i < n_was; i++)
		store_user_form_free(&was[i]);
}

/* ---- below the grant's organisation ------------------------------------ */

/* A View grant at ESC-UA reaches ESC-UA1 below it, which no other grant
 * names: its User Administrator esc_ua5 may change t_uab's details but not
 * the grant, since the engine must see ESC-UA1 to know what the grant
 * reaches. (The change path once read the organisations a change names and
 * those above them only, and let this through.) */
static void test_below_grant(struct store *s)
{
	struct store_user_form was;
	if (!pg_user_read(s, "t_uab", &was))
		return;
	for (int revoke = 0; revoke < 2; revoke++) {
		char *before = pg_state(raw, state_sql);
		struct store_error err = {0};
		struct store_grant_form g;
		bool saved = false;
		if (revoke) {
			saved = set_grant(s, "esc_ua5", "t_uab", "ESC-UA", NULL,
			                  &err);
		} else if (grant_of(s, "t_uab", "ESC-UA", &g, &err)) {
			g.payments |= ENGINE_PAY(engine_payment_find("DES"));
			saved = set_grant(s, "esc_ua5", "t_uab", "ESC-UA", &g,
			                  &err);
			store_grant_form_free(&g);
		}
		diag("%s", err.message);
		ok(!saved && has(err.message, "escalation") &&
		       has(err.message, "ESC-UA1") &&
		       pg_same_state(raw, state_sql, before, "the database"),
		   "esc_ua5 (User Administrator of ESC-UA) may not %s t_uab's "
		   "View grant there: it reaches ESC-UA1",
		   revoke ? "revoke" : "tick DES on");
		free(before);
		if (saved)
			put_back(s, restorer, &was);
	}
	struct store_error err = {0};
	ok(edit_user(s, "esc_ua5", "t_uab", phone, &err),
	   "esc_ua5 may change t_uab's details");
	put_back(s, restorer, &was);
	store_user_form_free(&was);
}

/* ---- the lock-out rule under concurrency ------------------------------- */

/* Racer i is the operator ops[i] and takes the power of ops[1 - i]. */
static const char *const root_admins[2] = {"mch112", "esc_root"};

struct lockout_way {
	const char *name;
	bool (*take)(struct store *s, const char *op, const char *v,
	             struct store_error *err);
};

static bool take_disable(struct store *s, const char *op, const char *v,
                         struct store_error *err)
{
	return edit_user(s, op, v, disable, err);
}
static bool take_revoke(struct store *s, const char *op, const char *v,
                        struct store_error *err)
{
	return set_grant(s, op, v, "nhs", NULL, err);
}
static bool take_cluster(struct store *s, const char *op, const char *v,
                         struct store_error *err)
{
	/* a cluster of nhs's own, made before the race */
	return grant_add_cluster(s, op, v, "nhs", "0000000E02", err);
}

static void *lockout_read(struct store *s, int i, void *ctx,
                          struct store_error *err)
{
	(void)s;
	(void)i;
	(void)ctx;
	/* nothing to read: each change reads in its own transaction */
	void *state = malloc(1);
	if (!state)
		store_fail(err, "", "out of memory");
	return state;
}

static const struct lockout_way *racing;

static bool lockout_save(struct store *s, int i, void *state,
                         struct store_error *err)
{
	(void)state;
	return racing->take(s, root_admins[i], root_admins[1 - i], err);
}

static void lockout_free(void *state)
{
	free(state);
}

static const char root_admins_sql[] =
    "SELECT count(DISTINCT u.id) FROM users u JOIN grants g ON g.user_id = "
    "u.id JOIN organisations o ON o.id = g.org_id AND o.parent_id IS NULL "
    "JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = "
    "gr.role_id AND r.name = 'System Administrator' WHERE u.enabled AND NOT "
    "EXISTS (SELECT 1 FROM grant_clusters gc WHERE gc.grant_id = g.id)";

static void test_lockout_race(struct store *s)
{
	static const struct lockout_way ways[] = {
	    {"disable", take_disable},
	    {"revoke the root grant of", take_revoke},
	    {"select a cluster on the root grant of", take_cluster},
	};
	/* the other root System Administrators out of the way: two left */
	struct store_user_form sar;
	struct store_error err = {0};
	char key[16] = "";
	bool ready = pg_user_read(s, "esc_sar", &sar) &&
	             take_disable(s, restorer, "esc_sar", &err) &&
	             cluster_add(s, restorer, "nhs", "lat05", key, &err);
	if (ready && strcmp(key, "0000000E02") != 0) {
		/* the cluster's short name is generated: use it */
		const char *p[] = {key};
		PQclear(PQexecParams(
		    raw,
		    "UPDATE clusters SET short_name = '0000000E02' "
		    "WHERE short_name = $1",
		    1, NULL, p, NULL, NULL, 0));
	}
	if (!ok(ready && pg_number(raw, root_admins_sql, NULL) == 2,
	        "two enabled root System Administrators: mch112, esc_root"))
		diag("%s", err.message);
	for (size_t w = 0; ready && w < sizeof ways / sizeof ways[0]; w++) {
		racing = &ways[w];
		struct store_user_form keep[2];
		int n_keep = 0;
		for (int i = 0; i < 2; i++)
			if (pg_user_read(s, root_admins[i], &keep[n_keep]))
				n_keep++;
		struct pg_racer r = {lockout_read, lockout_save, lockout_free,
		                     NULL};
		struct pg_race_outcome out[2];
		int n_ready = pg_test_race(conninfo, &r, out);
		int winners = out[0].saved + out[1].saved;
		for (int i = 0; i < 2; i++)
			diag("%s: %s %s %s", root_admins[i],
			     out[i].saved ? "saved" : "refused",
			     out[i].sqlstate, out[i].message);
		int loser = out[0].saved ? 1 : 0;
		ok(n_ready == 2 && winners == 1 &&
		       strcmp(out[loser].sqlstate, STORE_REFUSED) == 0,
		   "mch112 and esc_root each %s the other at once: exactly one "
		   "wins, the other is refused",
		   ways[w].name);
		ok(pg_number(raw, root_admins_sql, NULL) == 1,
		   "one enabled root System Administrator is left (%s)",
		   ways[w].name);
		/* the winner puts the loser back */
		for (int i = 0; i < n_keep; i++) {
			put_back(s, root_admins[1 - loser], &keep[i]);
			store_user_form_free(&keep[i]);
		}
		ok(pg_number(raw, root_admins_sql, NULL) == 2,
		   "both are root System Administrators again");
	}
	if (ready)
		put_back(s, restorer, &sar);
	store_user_form_free(&sar);
}

int main(void)
{
	pg_test_start();
	const struct pg_test_db *db = pg_test_create("ad_escalation", NULL);
	conninfo = db->conninfo;
	struct store *s = pg_test_connect(conninfo);
	raw = pg_test_raw(conninfo);
	pg_test_migrate(s);
	if (!pg_test_load(s, "good/cqrs-seed.conf") ||
	    !pg_test_load(s, "../db/escalation-fixture.conf"))
		bail("cannot load the fixture", NULL);

	for (int i = 0; i < N_ROWS; i++) {
		if ((int)strlen(rows[i].expect) != N_OPERATORS)
			bail("a row's expectations do not name every operator",
			     rows[i].name);
		for (int col = 0; col < N_OPERATORS; col++)
			run_cell(s, &rows[i], col);
	}
	diag("%d attempts: %d allowed, %d refused", n_allowed + n_refused,
	     n_allowed, n_refused);

	test_below_grant(s);
	test_lockout_race(s);

	PQfinish(raw);
	store_disconnect(s);
	return pg_test_done(n_tests, n_failed);
}
