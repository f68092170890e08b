/* request.c: the one table of requests (REQ_INFO in ui.h): key, key-bar
 * label and help text, with the keys the configuration changes. */
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

/* The key each request answers to now (defaults, then ui.keys). */
static int keys[REQ_COUNT];
static bool keys_ready;

static void keys_default(void)
{
	for (int r = 0; r < REQ_COUNT; r++)
		keys[r] = requests[r].key;
	keys_ready = true;
}

/* The configuration's encoding of keys, turned into ours. */
static int key_from_config(int k)
{
	if (k >= CONFIG_KEY_F(1) && k <= CONFIG_KEY_F(63))
		return UI_KEY_F(k - CONFIG_KEY_F(0));
	return k < 0x1000 ? k : UI_KEY_NONE;
}

void ui_keys_configure(const struct config *c)
{
	keys_default();
	if (!c)
		return;
	for (size_t i = 0; i < c->ui.n_keys; i++)
		for (int r = 1; r < REQ_COUNT; r++)
			if (strcmp(requests[r].name, c->ui.keys[i].request) ==
			    0)
				keys[r] = key_from_config(c->ui.keys[i].key);
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

enum ui_request ui_request_of(int key)
{
	if (!keys_ready)
		keys_default();
	for (int r = 1; r < REQ_COUNT; r++)
		if (keys[r] == key)
			return (enum ui_request)r;
	/* the arrows and paging keys are extras for the letters */
	switch (key) {
	case UI_KEY_UP:
		return REQ_UP;
	case UI_KEY_DOWN:
		return REQ_DOWN;
	case UI_KEY_PGUP:
		return REQ_PAGE_UP;
	case UI_KEY_PGDN:
		return REQ_PAGE_DOWN;
	case UI_KEY_HOME:
		return REQ_FIRST;
	case UI_KEY_END:
		return REQ_LAST;
	case UI_KEY_F(1):
		return REQ_HELP;
	case '\r':
		return REQ_OPEN;
	default:
		return REQ_NONE;
	}
}

void ui_key_name(int k, char *buf, size_t len)
{
	if (k == UI_KEY_ENTER || k == '\r')
		snprintf(buf, len, "Enter");
	else if (k == UI_KEY_ESC)
		snprintf(buf, len, "Esc");
	else if (k == UI_KEY_TAB)
		snprintf(buf, len, "Tab");
	else if (k == UI_KEY_BACKTAB)
		snprintf(buf, len, "S-Tab");
	else if (k == ' ')
		snprintf(buf, len, "Space");
	else if (k >= UI_KEY_F(1) && k <= UI_KEY_F(63))
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
	if (!keys_ready)
		keys_default();
	ui_key_name(r > REQ_NONE && r < REQ_COUNT ? keys[r] : 0, buf, len);
}
