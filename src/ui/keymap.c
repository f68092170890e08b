/* keymap.c: the one table of requests (REQ_INFO in ui.h) and the key maps
 * over it. A request has its key (the table's, or the configuration's
 * ui.keys) and a few fixed extras (the arrows, Home/End, PgUp/PgDn, F1),
 * so that every action has a plain key and the extras never are the only
 * way. A key means, on a screen, the first request along the screen's key
 * map chain that it reaches (as tig's keymaps fall back to the generic
 * one); the help screen and the key bar walk the same chain. */
#include <stdio.h>
#include <string.h>

#include "accessdesk/config.h"
#include "ui_internal.h"

static const struct {
	const char *name;
	int key;
	const char *label;
	const char *help;
} requests[REQ_COUNT] = {[REQ_NONE] = {"none", 0, NULL, NULL},
#define REQ_ROW(id, name, key, label, help)                                    \
	[REQ_##id] = {name, key, label, help},
                         REQ_INFO(REQ_ROW)
#undef REQ_ROW
};

/* The extra keys: fixed, after the request's own key. A prompt's or a
 * field's Home is the start of its text; a list's is its first row: each
 * key map says which of the two it answers to. */
#define KEYS_MAX 3
static const struct {
	enum ui_request request;
	int keys[KEYS_MAX - 1];
} extras[] = {
    {REQ_HELP, {UI_KEY_F(1)}},
    {REQ_UP, {UI_KEY_UP}},
    {REQ_DOWN, {UI_KEY_DOWN}},
    {REQ_PAGE_UP, {UI_KEY_PGUP}},
    {REQ_PAGE_DOWN, {UI_KEY_PGDN}},
    {REQ_FIRST, {UI_KEY_HOME}},
    {REQ_LAST, {UI_KEY_END}},
    {REQ_OPEN, {'\r'}},
    {REQ_NEXT_FIELD, {UI_KEY_TAB, UI_KEY_DOWN}},
    {REQ_PREV_FIELD, {UI_KEY_BACKTAB, UI_KEY_UP}},
    {REQ_NEXT_SECTION, {UI_KEY_F(6)}},
    {REQ_PREV_SECTION, {UI_KEY_F(5)}},
    {REQ_EXPAND, {UI_KEY_RIGHT}},
    {REQ_COLLAPSE, {UI_KEY_LEFT}},
    {REQ_LINE_START, {UI_KEY_HOME}},
    {REQ_LINE_END, {UI_KEY_END}},
    {REQ_DELETE_CHAR, {UI_CTRL('d')}},
    {REQ_DELETE, {UI_KEY_DELETE}},
};

/* The keys each request answers to now: [0] its own, then the extras. */
static int keys[REQ_COUNT][KEYS_MAX];
static int config_line[REQ_COUNT]; /* of its ui.keys line; 0: default */
static bool keys_ready;

static void keys_default(void)
{
	memset(keys, 0, sizeof keys);
	memset(config_line, 0, sizeof config_line);
	for (int r = 0; r < REQ_COUNT; r++)
		keys[r][0] = requests[r].key;
	for (size_t i = 0; i < sizeof extras / sizeof *extras; i++)
		for (int k = 0; k < KEYS_MAX - 1; k++)
			keys[extras[i].request][k + 1] = extras[i].keys[k];
	keys_ready = true;
}

static void ready(void)
{
	if (!keys_ready)
		keys_default();
}

/* The configuration's encoding of keys, turned into ours. */
static int key_from_config(int k)
{
	if (k >= CONFIG_KEY_F(1) && k <= CONFIG_KEY_F(63))
		return UI_KEY_F(k - CONFIG_KEY_F(0));
	return k < 0x1000 ? k : UI_KEY_NONE;
}

enum ui_request ui_request_named(const char *name)
{
	for (int r = 1; r < REQ_COUNT; r++)
		if (requests[r].label || requests[r].help)
			if (strcmp(requests[r].name, name) == 0)
				return (enum ui_request)r;
	/* the tabs have no help of their own (the registry gives it) */
	for (int r = REQ_TAB_1; r <= REQ_TAB_5; r++)
		if (strcmp(requests[r].name, name) == 0)
			return (enum ui_request)r;
	return REQ_NONE;
}

void ui_keys_configure(const struct config *c)
{
	keys_default();
	if (!c)
		return;
	for (size_t i = 0; i < c->ui.n_keys; i++) {
		enum ui_request r = ui_request_named(c->ui.keys[i].request);
		if (r == REQ_NONE)
			continue; /* --check-config names it */
		keys[r][0] = key_from_config(c->ui.keys[i].key);
		config_line[r] = c->ui.keys[i].line;
	}
}

const char *ui_request_name(enum ui_request r)
{
	return r > REQ_NONE && r < REQ_COUNT ? requests[r].name : "none";
}

const char *ui_request_label(enum ui_request r)
{
	return r > REQ_NONE && r < REQ_COUNT ? requests[r].label : NULL;
}

const char *ui_request_help(enum ui_request r)
{
	return r > REQ_NONE && r < REQ_COUNT ? requests[r].help : NULL;
}

static bool request_has_key(enum ui_request r, int key)
{
	for (int k = 0; k < KEYS_MAX; k++)
		if (keys[r][k] == key && key != UI_KEY_NONE)
			return true;
	return false;
}

/* A chain, then the frame's own map after it (the generic one under a
 * tab's screen, the inner one under a form): a widget's map does not know
 * where it will be used. The frame's map is skipped when the chain holds
 * it already. */
const struct ui_keymap *ui_keymap_next(const struct ui_keymap *km,
                                       const struct ui_keymap **tail)
{
	if (km->parent)
		return km->parent;
	const struct ui_keymap *t = *tail;
	*tail = NULL;
	return t && t != km ? t : NULL;
}

/* The key definition key reaches along the chain and its tail. */
static const struct ui_keydef *find(const struct ui_keymap *km,
                                    const struct ui_keymap *tail, int key)
{
	ready();
	for (; km; km = ui_keymap_next(km, &tail))
		for (const struct ui_keydef *d = km->keys; d->request; d++)
			if (request_has_key(d->request, key))
				return d;
	return NULL;
}

enum ui_request ui_keymap_request_in(const struct ui_keymap *km,
                                     const struct ui_keymap *tail, int key)
{
	const struct ui_keydef *d = km ? find(km, tail, key) : NULL;
	return d ? d->request : REQ_NONE;
}

enum ui_request ui_keymap_request(const struct ui_keymap *km, int key)
{
	return ui_keymap_request_in(km, NULL, key);
}

bool ui_keymap_has(const struct ui_keymap *km, enum ui_request r)
{
	ready();
	for (int k = 0; k < KEYS_MAX; k++)
		if (keys[r][k] && ui_keymap_request(km, keys[r][k]) == r)
			return true;
	return false;
}

void ui_keymap_keys(const struct ui_keymap *km, enum ui_request r, char *buf,
                    size_t len)
{
	ui_keymap_keys_in(km, NULL, r, buf, len);
}

void ui_keymap_keys_in(const struct ui_keymap *km, const struct ui_keymap *tail,
                       enum ui_request r, char *buf, size_t len)
{
	ready();
	char names[KEYS_MAX][16];
	int n_names = 0;
	size_t at = 0;
	buf[0] = '\0';
	for (int k = 0; k < KEYS_MAX; k++) {
		int key = keys[r][k];
		if (!key || ui_keymap_request_in(km, tail, key) != r)
			continue;
		char *name = names[n_names];
		ui_key_name(key, name, sizeof names[0]);
		bool twice = false; /* Enter is 10 and 13 */
		for (int j = 0; j < n_names; j++)
			twice = twice || strcmp(names[j], name) == 0;
		if (twice)
			continue;
		n_names++;
		int n =
		    snprintf(buf + at, len - at, "%s%s", at ? " " : "", name);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
}

const struct ui_keydef *ui_keymap_def(const struct ui_keymap *km,
                                      enum ui_request r)
{
	for (; km; km = km->parent)
		for (const struct ui_keydef *d = km->keys; d->request; d++)
			if (d->request == r)
				return d;
	return NULL;
}

void ui_key_name(int k, char *buf, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
	    {UI_KEY_ENTER, "Enter"},   {'\r', "Enter"},
	    {UI_KEY_ESC, "Esc"},       {UI_KEY_TAB, "Tab"},
	    {UI_KEY_BACKTAB, "S-Tab"}, {' ', "Space"},
	    {UI_KEY_UP, "Up"},         {UI_KEY_DOWN, "Down"},
	    {UI_KEY_LEFT, "Left"},     {UI_KEY_RIGHT, "Right"},
	    {UI_KEY_PGUP, "PgUp"},     {UI_KEY_PGDN, "PgDn"},
	    {UI_KEY_HOME, "Home"},     {UI_KEY_END, "End"},
	    {UI_KEY_DELETE, "Del"},    {UI_KEY_BACKSPACE, "Backspace"},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].key == k) {
			snprintf(buf, len, "%s", names[i].name);
			return;
		}
	if (k >= UI_KEY_F(1) && k <= UI_KEY_F(63))
		snprintf(buf, len, "F%d", k - UI_KEY_F0);
	else if (k > 0 && k < 32)
		snprintf(buf, len, "^%c", k + '@');
	else if (k > 32 && k < 127)
		snprintf(buf, len, "%c", k);
	else
		snprintf(buf, len, "?");
}

void ui_request_key_name(enum ui_request r, char *buf, size_t len)
{
	ready();
	ui_key_name(r > REQ_NONE && r < REQ_COUNT ? keys[r][0] : 0, buf, len);
}

/* ---- the shared key maps ---------------------------------------------- */

static const struct ui_keydef generic_keys[] = {
    {REQ_HELP, NULL, NULL, true, 0},      {REQ_QUIT, NULL, NULL, true, 0},
    {REQ_TAB_1, NULL, NULL, false, 0},    {REQ_TAB_2, NULL, NULL, false, 0},
    {REQ_TAB_3, NULL, NULL, false, 0},    {REQ_TAB_4, NULL, NULL, false, 0},
    {REQ_TAB_5, NULL, NULL, false, 0},    {REQ_TAB_NEXT, NULL, NULL, false, 0},
    {REQ_TAB_PREV, NULL, NULL, false, 0}, {REQ_REDRAW, NULL, NULL, false, 0},
    {REQ_CANCEL, NULL, NULL, false, 0},   {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_generic_keymap = {"generic", "Keys everywhere",
                                            generic_keys, NULL};

/* Over a form, ? may be text typed: the bar names F1 (PF1 on vt100, or
 * ESC then 1), which works everywhere. */
static const struct ui_keydef inner_keys[] = {
    {REQ_HELP, NULL, NULL, true, UI_KEY_F(1)},
    {REQ_REDRAW, NULL, NULL, false, 0},
    {REQ_CANCEL, NULL, NULL, false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_inner_keymap = {"inner", "Keys everywhere",
                                          inner_keys, NULL};

static const struct ui_keydef list_keys[] = {
    {REQ_UP, NULL, NULL, false, 0},      {REQ_DOWN, NULL, NULL, false, 0},
    {REQ_PAGE_UP, NULL, NULL, false, 0}, {REQ_PAGE_DOWN, NULL, NULL, false, 0},
    {REQ_FIRST, NULL, NULL, false, 0},   {REQ_LAST, NULL, NULL, false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_list_keymap = {"list", "Moving in a list", list_keys,
                                         NULL};

static const struct ui_keydef text_keys[] = {
    {REQ_LEFT, NULL, NULL, false, 0},
    {REQ_RIGHT, NULL, NULL, false, 0},
    {REQ_LINE_START, NULL, NULL, false, 0},
    {REQ_LINE_END, NULL, NULL, false, 0},
    {REQ_DELETE_BACK, NULL, NULL, false, 0},
    {REQ_DELETE_CHAR, NULL, NULL, false, 0},
    {REQ_DELETE_WORD, NULL, NULL, false, 0},
    {REQ_KILL_LINE, NULL, NULL, false, 0},
    {REQ_KILL_END, NULL, NULL, false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_text_keymap = {"text", "Editing text", text_keys,
                                         NULL};

/* ---- checking the configuration's keys -------------------------------- */

/* Along one chain, a key that reaches two requests is a collision when
 * the configuration bound either of them to it: the defaults shadow on
 * purpose (a tick list's Space), a binding in ui.keys never does. */
static bool check_chain(const struct ui_keymap *km,
                        const struct ui_keymap *tail, const struct config *c,
                        char *err, size_t len)
{
	const struct ui_keymap *ta = tail;
	for (const struct ui_keymap *a = km; a; a = ui_keymap_next(a, &ta))
		for (const struct ui_keydef *d = a->keys; d->request; d++) {
			enum ui_request r = d->request;
			if (!config_line[r])
				continue;
			int key = keys[r][0];
			const struct ui_keymap *tb = tail;
			for (const struct ui_keymap *b = km; b;
			     b = ui_keymap_next(b, &tb))
				for (const struct ui_keydef *e = b->keys;
				     e->request; e++) {
					if (e->request == r ||
					    !request_has_key(e->request, key))
						continue;
					char kn[16];
					ui_key_name(key, kn, sizeof kn);
					snprintf(err, len,
					         "%s:%d: ui.keys.%s: %s is "
					         "already %s on %s (%s)",
					         c->path, config_line[r],
					         requests[r].name, kn,
					         requests[e->request].name,
					         km->title, km->name);
					return false;
				}
		}
	return true;
}

bool ui_keys_check(const struct config *c, const struct ui_keymap *const *maps,
                   int n, char *err, size_t len)
{
	const char *names[REQ_COUNT];
	size_t n_names = 0;
	for (int r = 1; r < REQ_COUNT; r++)
		if (r != REQ_DUMP)
			names[n_names++] = requests[r].name;
	if (!config_keys_check(c, names, n_names, err, len))
		return false;
	ui_keys_configure(c);
	/* a map may serve under a tab (the generic map after it) or in a
	 * screen pushed over one (the inner map) */
	for (int i = 0; i < n; i++)
		if (!check_chain(maps[i], &ui_generic_keymap, c, err, len) ||
		    !check_chain(maps[i], &ui_inner_keymap, c, err, len)) {
			keys_default();
			return false;
		}
	return true;
}
