/* audit.c: tab 5, Audit: every record of the trail the operator may read
 * (audit.view over an organisation the change touched: store_audit_reach),
 * newest first: Time, Operator, What (action and kind), Target. Pages are
 * fetched by keyset on the record's number (store_audit_page), each as
 * many rows as the body shows, so it stays instant with a million records
 * and the count names the rows on screen. F filters by Target, Operator,
 * Kind and dates (From, To) on a form, c clears the filters; the filters
 * in force are on the line above the list. Enter shows the record: its
 * header, then only what changed, old beside new (store_audit_changes).
 *
 * A change the database announces reloads the page: at the top of the
 * list the new records come in above; further down the same page is read
 * again; either way the cursor stays on the record it was on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessdesk/count.h"
#include "accessdesk/fields.h"
#include "accessdesk/screens.h"
#include "accessdesk/ui_pager.h"
#include "accessdesk/ui_form.h"
#include "accessdesk/ui_picker.h"

#define PAGE_MAX   500
#define FILTER_MAX 128

enum { COL_TIME, COL_OPERATOR, COL_WHAT, COL_TARGET, COLS };

struct audit {
	struct ui_screen screen;
	struct session *c;
	struct store_reach reach; /* audit.view, of the world at generation */
	long generation;
	/* the filters as typed (From and To as the operator wrote them),
	 * and From and To as the store reads them */
	char filter[AUDIT_FILTERS][FILTER_MAX];
	char from[24], to[24];
	struct ui_pager pager; /* of struct store_audit_row */
	/* after an announced change, further down the list: the count
	 * before it, so that the page's place moves down by the records
	 * added once the new count comes (counted()); -1: no move */
	long shift_from;
	bool loaded; /* read once the tab is first drawn */
	struct ui_list list;
	char what[64]; /* the cell being drawn */
};

/* Time is never cut; Target takes the most of what is left. */
static const struct ui_column columns[COLS] = {
    {"Time", 19}, {"Operator", 8}, {"What", 10}, {"Target", 8}};
static const struct ui_column_fit fit[COLS] = {
    {0, true}, {1, false}, {2, false}, {3, false}};

static const struct ui_keydef audit_keys[] = {
    {REQ_OPEN, NULL, "Show the record: what changed, old beside new", true, 0},
    {REQ_FILTER, NULL, "Filter by Target, Operator, Kind, From and To", true,
     0},
    {REQ_CLEAR, NULL, "Clear the filters", true, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_audit_keymap = {"audit", "Audit", audit_keys,
                                              &ui_list_keymap};

/* ---- the list ----------------------------------------------------------- */

static const struct store_audit_row *row_at(const struct audit *t, int i)
{
	return ui_pager_row(&t->pager, i);
}

static const char *cell(void *ctx, int row, int column)
{
	struct audit *t = ctx;
	const struct store_audit_row *r = row_at(t, row);
	switch (column) {
	case COL_TIME:
		return r->at;
	case COL_OPERATOR:
		return r->operator_login;
	case COL_WHAT:
		snprintf(t->what, sizeof t->what, "%s %s", r->action, r->kind);
		return t->what;
	default:
		return r->target;
	}
}

static struct store_audit_query query(const struct audit *t)
{
	struct store_audit_query q = {0};
	q.f[AUDIT_TARGET] = t->filter[AUDIT_TARGET];
	q.f[AUDIT_OPERATOR] = t->filter[AUDIT_OPERATOR];
	q.f[AUDIT_KIND] = t->filter[AUDIT_KIND];
	q.f[AUDIT_FROM] = t->from;
	q.f[AUDIT_TO] = t->to;
	return q;
}

static bool filtered(const struct audit *t)
{
	for (int f = 0; f < AUDIT_FILTERS; f++)
		if (t->filter[f][0])
			return true;
	return false;
}

/* The operator may read no record at all. */
static bool reads_none(const struct audit *t)
{
	return !t->reach.everything &&
	       (!t->reach.orgs || strcmp(t->reach.orgs, "{}") == 0);
}

/* The reach of the world now (again after a reload); false when out of
 * memory (said). */
static bool take_reach(struct audit *t)
{
	struct session *c = t->c;
	if (t->generation == c->generation && t->reach.orgs)
		return true;
	struct store_reach r;
	if (!store_audit_reach(c->world, &c->ids, c->op, &r)) {
		ui_error("out of memory");
		return false;
	}
	store_reach_free(&t->reach);
	t->reach = r;
	t->generation = c->generation;
	return true;
}

/* The pager's read (ui_pager_fetch_fn): older than `after` (NULL: from
 * the newest), or backwards the records just newer than it, newest first
 * either way (store_audit_page). */
static int fetch_rows(void *ctx, const void *after, bool backwards, int n,
                      void **out)
{
	struct audit *t = ctx;
	struct store_audit_query q = query(t);
	struct store_audit_row *rows = malloc((size_t)n * sizeof *rows);
	const struct store_audit_row *key = after;
	int got = 0;
	struct store_error err = {0};
	if (!rows ||
	    !store_audit_page(t->c->store, &t->reach, &q, key ? key->seq : 0,
	                      backwards, n, rows, &got, &err)) {
		free(rows);
		ui_error("%s", err.message[0] ? err.message : "out of memory");
		return -1;
	}
	*out = rows;
	return got;
}

/* The count's answer (store_count_fn): the pager's, and the move of the
 * page's place an announced change waits for (the trail only grows: the
 * rows above the page are more by the records added). */
static void counted(void *owner, long n)
{
	struct audit *t = owner;
	struct ui_pager *p = &t->pager;
	if (t->shift_from >= 0 && n >= 0) {
		p->offset += n - t->shift_from;
		if (p->offset < 0)
			p->offset = 0;
	}
	t->shift_from = -1;
	ui_pager_counted(p, n);
}

/* The count is one scan of an index (the filters' of sql/013, or the
 * reach's GIN index), done once per query and per announced change, never
 * per page: with 1,000,000 records, 0.16 s for all of them and 0.44 s for
 * a subtree's 400,000 (warm server). So it is the Users list's two steps
 * (store_count): the estimate at once, the exact figure when it comes,
 * never in the way of a key. shift: the count before an announced change
 * (counted()), or -1. */
static void count(struct audit *t, long shift)
{
	struct store_audit_query q = query(t);
	struct store_error err = {0};
	t->pager.count = -1;
	t->shift_from = shift;
	t->pager.estimate = store_audit_count_start(
	    t->c->store, t->c->counts, &t->reach, &q, t, counted, &err);
	if (t->pager.estimate < 0)
		ui_error("%s", err.message);
}

/* The first page of the current query, then its count. */
static void reload(struct audit *t)
{
	t->loaded = true;
	t->pager.count = t->pager.estimate = t->shift_from = -1;
	store_count_forget(t->c->counts, t);
	if (!take_reach(t) || reads_none(t)) {
		ui_pager_clear(&t->pager);
		return;
	}
	if (session_offline(t->c, "read the audit trail"))
		return;
	if (ui_pager_first(&t->pager))
		count(t, -1);
}

/* "Target kal738  Kind grant  From 01/12/2026", or that there is none. */
static void filters_text(const struct audit *t, char *buf, size_t len)
{
	size_t at = (size_t)snprintf(buf, len, "Filters:");
	if (!filtered(t)) {
		snprintf(buf + at, len - at, " none (F to filter)");
		return;
	}
	for (int f = 0; f < AUDIT_FILTERS && at < len; f++)
		if (t->filter[f][0])
			at += (size_t)snprintf(
			    buf + at, len - at, " %s %s%s",
			    store_audit_filter_names[f], t->filter[f],
			    f < AUDIT_FILTERS - 1 ? " " : "");
}

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct audit *t = (struct audit *)s;
	if (!t->loaded)
		reload(t);
	/* the filters' line and the list's header above the rows */
	ui_pager_fit(&t->pager, a.h - 2);
	char line[1024], range[96];
	ui_pager_range(&t->pager, "no records", range, sizeof range);
	filters_text(t, line, sizeof line);
	int w = ui_text_width(range);
	ui_text_cut(a, 0, 0, a.w - w - 1, STYLE_NORMAL, line, NULL);
	ui_text(a, 0, a.w - w - 1, w + 1, STYLE_NORMAL, "");
	ui_text(a, 0, a.w - w, w, STYLE_NORMAL, range);
	struct ui_area body = {a.y + 1, a.x, a.h - 1, a.w};
	ui_list_draw(&t->list, body);
	if (t->pager.n_rows)
		return;
	const char *why = "No audit records to show.";
	if (reads_none(t))
		why = "No audit record you may read: audit.view is needed "
		      "over its organisations.";
	else if (filtered(t))
		why = "No audit record matches the filters (c clears them).";
	ui_text(body, 1, 0, a.w, STYLE_NORMAL, why);
	ui_cursor(body, 1, 0);
}

/* ---- one record ------------------------------------------------------- */

/* The snapshots' keys as the forms name them; the user's details by the
 * one table of field rules. */
static const char *const labels[][2] = {
    {"enabled", "Access"},
    {"short_name", "Short Name"},
    {"code", "Code"},
    {"name", "Name"},
    {"description", "Description"},
    {"owner", "Owner"},
    {"owner_name", "Owner Name"},
    {"parent", "Parent"},
    {"parent_name", "Parent Name"},
    {"is_site", "Site"},
    {"site", "Site"},
    {"domain", "Domain"},
    {"reach", "Reach"},
    {"actions", "Actions"},
    {"members", "Members"},
    {"user_access", "User Access"},
    {"roles", "Roles"},
    {"payment_types", "Payment Type"},
    {"clusters", "Cluster(s)"},
    {"profile_roles", "Profile Roles"},
    {"sites", "Sites"},
    {"studies", "Restricted Studies"},
    {"require_site_restrictions", "Require site restrictions?"},
    {"require_study_restrictions", "Require study restrictions?"},
};

static const char *label(const char *kind, const char *key)
{
	if (strcmp(kind, "user") == 0)
		for (int f = FIELD_LOGIN; f <= FIELD_MOBILE_PHONE; f++)
			if (strcmp(field_rules[f].key, key) == 0)
				return field_rules[f].label;
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (strcmp(labels[i][0], key) == 0)
			return labels[i][1];
	return key;
}

/* "NAME" padded to width display columns (names may be UTF-8). */
static void pad_name(char *buf, size_t len, const char *name, int width)
{
	int pad = width - ui_text_width(name);
	snprintf(buf, len, "%s%*s", name, pad > 0 ? pad : 0, "");
}

/* A list's items ("A, B, C") after "NAME  + " on lines of at most 76
 * display columns, broken between items, the lines after the first
 * indented under the first item: a cluster of 150 members reads whole and
 * scrolls (the text view does not wrap). */
static void list_lines(struct ui_lines *l, const char *name, int width,
                       const char *sign, const char *items)
{
	char lead[512], blank[512];
	pad_name(lead, sizeof lead, name, width);
	snprintf(blank, sizeof blank, "%*s", width, "");
	int room = 76 - width - 4;
	if (room < 20)
		room = 20;
	const char *p = items;
	bool first = true;
	do {
		/* take items while they fit (at least one) */
		const char *end = p, *next = p;
		for (;;) {
			const char *sep = strstr(next, ", ");
			const char *stop = sep ? sep : next + strlen(next);
			char piece[1024];
			snprintf(piece, sizeof piece, "%.*s", (int)(stop - p),
			         p);
			if (end != p && ui_text_width(piece) > room)
				break;
			end = stop;
			if (!sep)
				break;
			next = sep + 2;
		}
		ui_lines_add(l, "%s  %s%.*s%s", first ? lead : blank,
		             first ? sign : "  ", (int)(end - p), p,
		             *end ? "," : "");
		first = false;
		p = *end ? end + 2 : end;
	} while (*p);
}

/* One change: "Email Address  old -> new"; a list as "Roles  + A, B" and
 * "Roles  - C", items on lines of their own when long; a grant added or
 * removed as "Grant lat04  added (lat04 - LatOrg04)". With both (a change,
 * not a creation or deletion), old and new. */
static void change_line(struct ui_lines *l, const char *kind,
                        const struct store_audit_change *ch, bool both,
                        int width)
{
	char name[160], lead[512];
	bool grant = strcmp(ch->field, "grant") == 0;
	if (grant)
		snprintf(name, sizeof name, "%s", ch->group);
	else
		snprintf(name, sizeof name, "%s%s%s",
		         ch->group ? ch->group : "", ch->group ? ": " : "",
		         label(kind, ch->field));
	pad_name(lead, sizeof lead, name, width);
	if (grant) {
		ui_lines_add(l, "%s  %s (%s)", lead,
		             ch->now ? "added" : "removed",
		             ch->now ? ch->now : ch->old);
	} else if (ch->is_list) {
		if (ch->now)
			list_lines(l, name, width, "+ ", ch->now);
		if (ch->old)
			list_lines(l, name, width, "- ", ch->old);
	} else if (both) {
		ui_lines_add(l, "%s  %s -> %s", lead,
		             ch->old ? ch->old : "(none)",
		             ch->now ? ch->now : "(none)");
	} else {
		ui_lines_add(l, "%s  %s", lead, ch->now ? ch->now : ch->old);
	}
}

/* The view of record seq: its header, then what changed. */
static struct ui_screen *record_view(struct audit *t, long long seq)
{
	struct session *c = t->c;
	if (session_offline(c, "read the record"))
		return NULL;
	struct store_audit_record rec;
	struct store_audit_changes ch;
	struct store_error err = {0};
	if (!store_audit_read(c->store, &t->reach, seq, &rec, &err)) {
		ui_error("%s", err.message);
		return NULL;
	}
	if (!store_audit_changes(c->store, &rec, &ch, &err)) {
		store_audit_record_free(&rec);
		ui_error("%s", err.message);
		return NULL;
	}
	const struct store_audit_row *r = &rec.row;
	struct ui_lines l = {0};
	char n[32];
	ui_lines_add(&l, "Record    %s", count_text(n, sizeof n, r->seq));
	ui_lines_add(&l, "Time      %s", r->at);
	ui_lines_add(&l, "Operator  %s", r->operator_login);
	ui_lines_add(&l, "Action    %s", r->action);
	ui_lines_add(&l, "Kind      %s", r->kind);
	ui_lines_add(&l, "Target    %s", r->target);
	bool both = rec.before && rec.after;
	if (both)
		ui_lines_add(&l, "# Changed: old -> new, + added, - removed");
	else if (rec.after)
		ui_lines_add(&l, "# Created (nothing before)");
	else if (rec.before)
		ui_lines_add(&l, "# Removed (nothing after)");
	/* the names' column as wide as the widest, within reason */
	int width = 0;
	for (int i = 0; i < ch.n; i++) {
		const struct store_audit_change *x = &ch.v[i];
		int w = strcmp(x->field, "grant") == 0
		            ? ui_text_width(x->group)
		            : (x->group ? ui_text_width(x->group) + 2 : 0) +
		                  ui_text_width(label(r->kind, x->field));
		if (w > width)
			width = w;
	}
	if (width > 28)
		width = 28;
	for (int i = 0; i < ch.n; i++)
		change_line(&l, r->kind, &ch.v[i], both, width);
	if (ch.n == 0)
		ui_lines_add(&l, rec.before || rec.after
		                     ? "No field changed: before and after are "
		                       "the same."
		                     : "The record holds neither before nor "
		                       "after.");
	char title[64];
	snprintf(title, sizeof title, "Audit record %s", n);
	struct ui_screen *view =
	    l.nomem ? NULL
	            : ui_text_view_new(title, (const char *const *)l.v, l.n);
	ui_lines_free(&l);
	store_audit_changes_free(&ch);
	store_audit_record_free(&rec);
	if (!view)
		ui_error("out of memory");
	return view;
}

/* ---- the filters' form ------------------------------------------------ */

enum { ID_TARGET, ID_OPERATOR, ID_KIND, ID_FROM, ID_TO, ID_APPLY };

struct filter_form {
	struct ui_screen screen;
	struct audit *t;
	char *text[AUDIT_FILTERS]; /* NULL for Kind's */
	int kind; /* 0: any, else store_audit_kinds[kind - 1] */
	const char *kinds[1 + STORE_AUDIT_KINDS];
	struct ui_form *ui;
	bool done;
};

static const struct ui_keydef filter_keys[] = {
    {REQ_SUBMIT, "Apply", "Apply the filters", true, 0},
    {REQ_OPEN, NULL, "On Kind: pick the kind from a list; on Apply: apply",
     false, 0},
    {REQ_BACK, NULL, "Back, the filters as they were", true, 0},
    {REQ_QUIT, "Back", "Back, as Esc (outside a text field)", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap screen_audit_filter_keymap = {
    "audit-filter", "Audit filters", filter_keys, &ui_form_keymap};

/* The kinds' picker: "any", then each kind with what it is. */
static const char *const kind_names[STORE_AUDIT_KINDS] = {
    "a user's details, profile and access",
    "one user's access at one organisation",
    "a Service Provider Cluster",
    "a study's user access",
    "an organisation",
    "a role and its actions",
    "the settings switches",
    "a seed of the database",
    "an import of the ODS hierarchy",
};

static void kind_picked(void *ctx, const char *code)
{
	struct filter_form *f = ctx;
	for (int i = 0; i <= STORE_AUDIT_KINDS; i++)
		if (strcmp(f->kinds[i], code) == 0)
			f->kind = i;
}

static void pick_kind(struct filter_form *f)
{
	struct ui_pick_item items[1 + STORE_AUDIT_KINDS] = {
	    {"any", "every kind", NULL}};
	for (int i = 0; i < STORE_AUDIT_KINDS; i++)
		items[1 + i] = (struct ui_pick_item){store_audit_kinds[i],
		                                     kind_names[i], NULL};
	struct ui_screen *p =
	    ui_picker_new("Kind", items, 1 + STORE_AUDIT_KINDS, kind_picked, f);
	if (p)
		ui_push(p);
	else
		ui_error("out of memory");
}

static void apply(void *ctx, int id, int arg);

static void build(struct filter_form *f)
{
	struct ui_form *u = f->ui;
	ui_form_clear(u);
	ui_form_text(u, ID_TARGET, 0, "Target", &f->text[AUDIT_TARGET],
	             FILTER_MAX - 1);
	ui_form_text(u, ID_OPERATOR, 0, "Operator", &f->text[AUDIT_OPERATOR],
	             FILTER_MAX - 1);
	ui_form_choice(u, ID_KIND, 0, "Kind", &f->kind, f->kinds,
	               1 + STORE_AUDIT_KINDS);
	ui_form_text(u, ID_FROM, 0, "From", &f->text[AUDIT_FROM], 19);
	ui_form_text(u, ID_TO, 0, "To", &f->text[AUDIT_TO], 19);
	ui_form_static(u, -1, 0, "",
	               "Kind: Enter picks from a list, Left/Right step.");
	ui_form_static(
	    u, -1, 0, "",
	    "Dates: DD/MM/YYYY or YYYY-MM-DD, then HH:MM if wanted;");
	ui_form_static(u, -1, 0, "", "a date alone as To takes in that day.");
	ui_form_button(u, ID_APPLY, 0, "Apply", apply);
	ui_form_done(u);
}

static void apply(void *ctx, int id, int arg)
{
	struct filter_form *f = ctx;
	struct audit *t = f->t;
	(void)id;
	(void)arg;
	char iso[2][24] = {"", ""};
	for (int k = 0; k < 2; k++) {
		int fi = k ? AUDIT_TO : AUDIT_FROM;
		const char *v = f->text[fi];
		if (v[strspn(v, " ")] &&
		    !store_time_parse(
		        v, k ? STORE_TIME_UNIT_END : STORE_TIME_AS_TYPED,
		        iso[k], sizeof iso[k])) {
			ui_error("%s: \"%s\" is not a date: DD/MM/YYYY or "
			         "YYYY-MM-DD, with HH:MM",
			         store_audit_filter_names[fi], v);
			ui_form_focus(f->ui, k ? ID_TO : ID_FROM, 0);
			return;
		}
	}
	for (int fi = 0; fi < AUDIT_FILTERS; fi++) {
		/* blanks around a filter are no part of it */
		const char *v =
		    fi == AUDIT_KIND ? f->kinds[f->kind] : f->text[fi];
		if (fi == AUDIT_KIND && f->kind == 0)
			v = "";
		v += strspn(v, " ");
		int n = (int)strlen(v);
		while (n > 0 && v[n - 1] == ' ')
			n--;
		snprintf(t->filter[fi], sizeof t->filter[fi], "%.*s", n, v);
	}
	snprintf(t->from, sizeof t->from, "%s", iso[0]);
	snprintf(t->to, sizeof t->to, "%s", iso[1]);
	reload(t);
	f->done = true;
}

static void apply_key(void *ctx)
{
	apply(ctx, ID_APPLY, 0);
}

static void filter_draw(struct ui_screen *s, struct ui_area a)
{
	struct filter_form *f = (struct filter_form *)s;
	build(f);
	ui_text(a, 0, 0, a.w, STYLE_HEADER,
	        "Filter the audit trail   (empty: not filtered)");
	ui_form_draw(f->ui, (struct ui_area){a.y + 1, a.x, a.h - 1, a.w});
}

static enum ui_result filter_key(struct ui_screen *s, int k, enum ui_request r)
{
	struct filter_form *f = (struct filter_form *)s;
	build(f);
	if (r == REQ_OPEN && ui_form_focus_id(f->ui, NULL) == ID_KIND) {
		pick_kind(f);
		return UI_HANDLED;
	}
	return screen_form_key(s, f->ui, k, r, apply_key, f, &f->done);
}

static void filter_close(struct ui_screen *s)
{
	struct filter_form *f = (struct filter_form *)s;
	ui_form_free(f->ui);
	for (int i = 0; i < AUDIT_FILTERS; i++)
		free(f->text[i]);
	free(f);
}

static struct ui_screen *filter_form_new(struct audit *t)
{
	struct filter_form *f = calloc(1, sizeof *f);
	if (!f) {
		ui_error("out of memory");
		return NULL;
	}
	f->t = t;
	bool ok = (f->ui = ui_form_new(f)) != NULL;
	for (int i = 0; ok && i < AUDIT_FILTERS; i++)
		ok = i == AUDIT_KIND ||
		     (f->text[i] = strdup(t->filter[i])) != NULL;
	f->kinds[0] = "any";
	for (int i = 0; i < STORE_AUDIT_KINDS; i++) {
		f->kinds[1 + i] = store_audit_kinds[i];
		if (strcmp(t->filter[AUDIT_KIND], store_audit_kinds[i]) == 0)
			f->kind = 1 + i;
	}
	f->screen = (struct ui_screen){.title = "Audit filters",
	                               .draw = filter_draw,
	                               .key = filter_key,
	                               .keymap = &screen_audit_filter_keymap,
	                               .close = filter_close};
	if (!ok) {
		filter_close(&f->screen);
		ui_error("out of memory");
		return NULL;
	}
	ui_form_set_label_width(f->ui, 10);
	build(f);
	return &f->screen;
}

/* ---- the tab ------------------------------------------------------------ */

static void clear_filters(struct audit *t)
{
	if (!filtered(t)) {
		ui_message("No filter to clear.");
		return;
	}
	memset(t->filter, 0, sizeof t->filter);
	t->from[0] = t->to[0] = '\0';
	reload(t);
	ui_message("Filters cleared: every record you may read is listed.");
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct audit *t = (struct audit *)s;
	(void)k;
	if (ui_pager_key(&t->pager, r) == UI_HANDLED)
		return UI_HANDLED;
	switch (r) {
	case REQ_FIRST:
		reload(t);
		return UI_HANDLED;
	case REQ_OPEN:
		if (t->pager.n_rows) {
			struct ui_screen *v =
			    record_view(t, row_at(t, t->list.cursor)->seq);
			if (v)
				ui_push(v);
		}
		return UI_HANDLED;
	case REQ_FILTER: {
		struct ui_screen *f = filter_form_new(t);
		if (f)
			ui_push(f);
		return UI_HANDLED;
	}
	case REQ_CLEAR:
		clear_filters(t);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

/* The row of record seq among those held, or -1. */
static int row_of(const struct audit *t, long long seq)
{
	for (int i = 0; i < t->pager.n_rows; i++)
		if (row_at(t, i)->seq == seq)
			return i;
	return -1;
}

static void changed(struct ui_screen *s)
{
	struct audit *t = (struct audit *)s;
	if (!t->loaded)
		return; /* read when first drawn */
	struct ui_pager *p = &t->pager;
	long long seq = p->n_rows ? row_at(t, t->list.cursor)->seq : 0;
	/* the page's first row's place: a row just newer than it */
	struct store_audit_row top = {.seq = p->n_rows ? row_at(t, 0)->seq : 0};
	top.seq++;
	int cursor = t->list.cursor;
	long offset = p->offset;
	/* the count the records added are counted from: the last one in, or
	 * the one an earlier change still waits to count from */
	long shift = p->count >= 0 ? p->count : t->shift_from;
	char *old_orgs = t->reach.orgs ? strdup(t->reach.orgs) : NULL;
	bool was_everything = t->reach.everything;
	bool same_reach = false;
	if (take_reach(t))
		same_reach =
		    was_everything == t->reach.everything &&
		    (was_everything || (old_orgs && t->reach.orgs &&
		                        strcmp(old_orgs, t->reach.orgs) == 0));
	free(old_orgs);
	if (offset == 0 || !same_reach || p->n_rows == 0) {
		/* at the top: the new records come in above */
		reload(t);
	} else if (!session_offline(t->c, "read the audit trail") &&
	           ui_pager_read(p, &top, false)) {
		/* further down: the same page again, its place moved down by
		 * the records added since (the trail only grows), when the
		 * new count comes */
		count(t, shift);
	}
	int row = row_of(t, seq);
	if (row >= 0) {
		t->list.cursor = row;
		return;
	}
	/* pushed off the page by the records added above it: the page that
	 * starts with it, at its place in the list now */
	struct store_audit_row at = {.seq = seq + 1};
	if (seq && same_reach && shift >= 0 && ui_pager_read(p, &at, false) &&
	    p->n_rows && row_at(t, 0)->seq == seq) {
		p->offset = offset + cursor;
		t->shift_from = shift; /* and the records added, once counted */
		t->list.cursor = t->list.top = 0;
	} else if (cursor < p->n_rows) {
		t->list.cursor = cursor;
	}
}

static void close_audit(struct ui_screen *s)
{
	struct audit *t = (struct audit *)s;
	store_count_forget(t->c->counts, t);
	store_reach_free(&t->reach);
	ui_pager_free(&t->pager);
	free(t);
}

struct ui_screen *screen_audit_new(struct session *c)
{
	struct audit *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->c = c;
	t->generation = -1;
	t->shift_from = -1;
	/* the rows the body shows, as the first draw finds them */
	t->pager = (struct ui_pager){.list = &t->list,
	                             .size = sizeof(struct store_audit_row),
	                             .page_max = PAGE_MAX,
	                             .fetch = fetch_rows,
	                             .ctx = t,
	                             .page = ui_page_rows(),
	                             .count = -1,
	                             .estimate = -1};
	if (t->pager.page < 1 || t->pager.page > PAGE_MAX)
		t->pager.page = PAGE_MAX;
	t->screen = (struct ui_screen){.title = "Audit",
	                               .draw = draw,
	                               .key = key,
	                               .keymap = &screen_audit_keymap,
	                               .close = close_audit,
	                               .changed = changed};
	t->list = (struct ui_list){.columns = columns,
	                           .n_columns = COLS,
	                           .sort_column = -1,
	                           .cell = cell,
	                           .ctx = t,
	                           .fit = fit};
	return &t->screen;
}
