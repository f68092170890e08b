/* picker.c: the searchable picker (organisations, sites, studies): what
 * is typed filters the list (the checklist's rule: a code by its start, a
 * name anywhere, either case), the movement keys move, Enter picks, Esc
 * cancels. The list is a checklist without boxes, so the items are copied
 * and drawn by the one row list, dim ones included. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "accessdesk/ui_checklist.h"
#include "accessdesk/count.h"
#include "accessdesk/ui_picker.h"
#include "ui_internal.h"

struct picker {
	struct ui_screen screen;
	char *title;
	struct ui_checklist *cl;
	char filter[64];
	char *picked_code; /* Enter: reported once closed */
	void (*picked)(void *ctx, const char *code);
	void *ctx;
};

/* The code column is as wide as the longest code (organisation codes
 * are up to 32), at least 14, the name taking the rest. */
#define PICK_CODE_MIN 14
#define PICK_CODE_MAX 33

static const struct ui_keydef picker_keys[] = {
    {REQ_OPEN, "Pick", "Pick the row under the cursor", true, 0},
    {REQ_BACK, "Cancel", "Close without picking", true, 0},
    {REQ_DELETE_BACK, NULL, "Delete the last character typed", false, 0},
    {REQ_KILL_LINE, NULL, "Clear what was typed", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
const struct ui_keymap ui_picker_keymap = {"picker", "Picking", picker_keys,
                                           &ui_list_keymap};

static void draw(struct ui_screen *s, struct ui_area a)
{
	struct picker *p = (struct picker *)s;
	/* the title, then what is typed: the title gives way (cut, with
	 * the marker) so that the filter always shows */
	char typed[400], shown[32], rows[32];
	snprintf(typed, sizeof typed, "  Type to filter: %s_  (%s of %s)",
	         p->filter,
	         count_text(shown, sizeof shown, ui_checklist_n_shown(p->cl)),
	         count_text(rows, sizeof rows, ui_checklist_n_rows(p->cl)));
	int tw = ui_text_width(typed);
	int title_w = a.w - tw > 8 ? a.w - tw : 8;
	if (ui_text_width(p->title) < title_w)
		title_w = ui_text_width(p->title);
	ui_text_cut(a, 0, 0, title_w, STYLE_HEADER, p->title, NULL);
	ui_text_cut(a, 0, title_w, a.w - title_w, STYLE_HEADER, typed, NULL);
	ui_checklist_draw(p->cl, (struct ui_area){a.y + 1, a.x, a.h - 1, a.w});
}

/* Adds a typed character (a code point) to the filter, as UTF-8; only
 * ASCII in a locale that is not UTF-8, as the prompt does. */
/* The filter applied; the cursor on the first row whose code starts with
 * the typed text, when one does (a row above may match by its name: "Recr"
 * is Recruiter, not the role whose actions hold volunteer.recruit). */
static void filtered(struct picker *p)
{
	ui_checklist_set_filter(p->cl, p->filter);
	size_t n = strlen(p->filter);
	for (int i = 0; n && i < ui_checklist_n_shown(p->cl); i++) {
		const char *code = ui_checklist_shown_key(p->cl, i);
		if (strncasecmp(code, p->filter, n) == 0) {
			ui_checklist_set_cursor(p->cl, code);
			return;
		}
	}
}

static void type(struct picker *p, int k)
{
	char enc[MB_LEN_MAX];
	size_t e = 1;
	if (ui_utf8()) {
		mbstate_t st = {0};
		e = wcrtomb(enc, (wchar_t)k, &st);
	} else if (k < 127) {
		enc[0] = (char)k;
	} else {
		return;
	}
	size_t n = strlen(p->filter);
	if (e == (size_t)-1 || n + e >= sizeof p->filter)
		return;
	memcpy(p->filter + n, enc, e);
	p->filter[n + e] = '\0';
	filtered(p);
}

/* Backspace: the last character, however many bytes it took. */
static void delete_back(struct picker *p)
{
	size_t n = strlen(p->filter);
	while (n > 0 && ((unsigned char)p->filter[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	p->filter[n] = '\0';
	filtered(p);
}

static enum ui_result pick(struct picker *p)
{
	const char *code = ui_checklist_cursor_key(p->cl);
	if (!code)
		return UI_HANDLED; /* nothing matches: keep typing */
	const char *dim = ui_checklist_cursor_dim(p->cl);
	if (dim) {
		ui_error("%s", dim);
		return UI_HANDLED;
	}
	if (!(p->picked_code = strdup(code))) {
		ui_error("out of memory");
		return UI_HANDLED;
	}
	return UI_CLOSE;
}

static enum ui_result key(struct ui_screen *s, int k, enum ui_request r)
{
	struct picker *p = (struct picker *)s;
	/* what is printable is the filter's: codes and names have letters
	 * and digits that are other screens' keys */
	if (k >= 32 && k != 127 && k < UI_KEY_BASE) {
		type(p, k);
		return UI_HANDLED;
	}
	switch (r) {
	case REQ_OPEN:
		return pick(p);
	case REQ_BACK:
		return UI_CLOSE;
	case REQ_DELETE_BACK:
		delete_back(p);
		return UI_HANDLED;
	case REQ_KILL_LINE:
		p->filter[0] = '\0';
		filtered(p);
		return UI_HANDLED;
	case REQ_UP:
	case REQ_DOWN:
	case REQ_PAGE_UP:
	case REQ_PAGE_DOWN:
	case REQ_FIRST:
	case REQ_LAST:
		ui_checklist_request(p->cl, r, 0);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

/* Popped: the pick is reported now, so picked() may push a screen. */
static void close_picker(struct ui_screen *s)
{
	struct picker *p = (struct picker *)s;
	if (p->picked_code && p->picked)
		p->picked(p->ctx, p->picked_code);
	free(p->picked_code);
	ui_checklist_free(p->cl);
	free(p->title);
	free(p);
}

struct ui_screen *ui_picker_new(const char *title,
                                const struct ui_pick_item *items, int n,
                                void (*picked)(void *ctx, const char *code),
                                void *ctx)
{
	struct picker *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->screen = (struct ui_screen){.draw = draw,
	                               .key = key,
	                               .keymap = &ui_picker_keymap,
	                               .close = close_picker};
	p->picked = picked;
	p->ctx = ctx;
	p->title = strdup(title ? title : "");
	struct ui_column columns[] = {{"Code", PICK_CODE_MIN}, {"Name", 0}};
	for (int i = 0; i < n; i++) {
		int w = ui_text_width(items[i].code) + 1;
		if (w > columns[0].width)
			columns[0].width =
			    w < PICK_CODE_MAX ? w : PICK_CODE_MAX;
	}
	p->cl = ui_checklist_new(columns, 2);
	struct ui_checklist_row *rows =
	    calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *rows);
	bool ok = p->title && p->cl && rows;
	for (int i = 0; ok && i < n; i++)
		rows[i] = (struct ui_checklist_row){
		    .key = items[i].code,
		    .cells = {items[i].code, items[i].name},
		    .dim = items[i].dim};
	ok = ok && ui_checklist_set_rows(p->cl, rows, n);
	free(rows);
	if (!ok) {
		close_picker(&p->screen);
		return NULL;
	}
	ui_checklist_set_boxes(p->cl, false);
	p->screen.title = p->title;
	return &p->screen;
}
