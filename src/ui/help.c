/* help.c: the key bar and the help screen, both generated from the key
 * map chain of the screen they are about, so neither can disagree with
 * what the keys do: a request shows with the keys that reach it there
 * (a key a child map takes for itself is not listed for the parent's
 * request), under the title of the map that declares it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_internal.h"

static const char *label_of(const struct ui_keydef *d)
{
	return d->label ? d->label : ui_request_label(d->request);
}

/* The help of a request on this chain; the tabs' come from the frame. */
static const char *help_of(const struct ui_keydef *d, char *buf, size_t len)
{
	if (d->request >= REQ_TAB_1 && d->request <= REQ_TAB_5) {
		ui_tab_help((int)(d->request - REQ_TAB_1), buf, len);
		return buf[0] ? buf : NULL;
	}
	return d->help ? d->help : ui_request_help(d->request);
}

/* Whether an earlier map of the chain (a child) declared r already. */
static bool declared_before(const struct ui_keymap *chain,
                            const struct ui_keymap *tail,
                            const struct ui_keymap *upto, enum ui_request r)
{
	for (const struct ui_keymap *km = chain; km && km != upto;
	     km = ui_keymap_next(km, &tail))
		for (const struct ui_keydef *d = km->keys; d->request; d++)
			if (d->request == r)
				return true;
	return false;
}

/* ---- the key bar ------------------------------------------------------ */

void ui_keybar_text(const struct ui_keymap *chain, const struct ui_keymap *tail,
                    int width, char *bar, size_t len)
{
	/* two spaces between keys; one when that would not fit */
	for (int sep = 2; sep >= 1; sep--) {
		size_t at = 0;
		bar[0] = '\0';
		const struct ui_keymap *t = tail;
		for (const struct ui_keymap *km = chain; km;
		     km = ui_keymap_next(km, &t))
			for (const struct ui_keydef *d = km->keys; d->request;
			     d++) {
				const char *label = label_of(d);
				if (!d->bar || !label ||
				    declared_before(chain, tail, km,
				                    d->request))
					continue;
				char key[64];
				if (d->key)
					ui_key_name(d->key, key, sizeof key);
				else
					ui_keymap_keys_in(chain, tail,
					                  d->request, key,
					                  sizeof key);
				char *space = strchr(key, ' ');
				if (space)
					*space = '\0'; /* the first key */
				if (!key[0])
					continue; /* no key reaches it here */
				int n =
				    snprintf(bar + at, len - at, "%s%s %s",
				             at ? (sep == 2 ? "  " : " ") : "",
				             key, label);
				if (n < 0 || (size_t)n >= len - at)
					break;
				at += (size_t)n;
			}
		if (ui_text_width(bar) <= width)
			return;
	}
}

/* ---- the help screen -------------------------------------------------- */

struct help {
	struct ui_screen screen;
	const struct ui_keymap *chain, *tail; /* of the screen below */
	int top;
	bool more; /* lines below the last row shown */
};

static const struct ui_keydef help_keys[] = {
    {REQ_BACK, NULL, "Close the help", true, 0},
    {REQ_HELP, NULL, "Close the help", false, 0},
    {REQ_QUIT, NULL, "Close the help", false, 0},
    {REQ_UP, NULL, "Scroll up", false, 0},
    {REQ_DOWN, NULL, "Scroll down", false, 0},
    {REQ_PAGE_UP, NULL, "Scroll up", false, 0},
    {REQ_PAGE_DOWN, NULL, "Scroll down", false, 0},
    {REQ_FIRST, NULL, "To the top", false, 0},
    {REQ_LAST, NULL, "To the bottom", false, 0},
    {REQ_NONE, NULL, NULL, false, 0},
};
static const struct ui_keymap help_keymap = {"help", "Help", help_keys, NULL};

/* The help's closing note, broken at spaces over the area's last rows. */
static const char help_note[] =
    "Function keys, arrows and colour are extras: every action has a "
    "letter. ESC then a digit acts as that function key.";

static int help_note_lines(int w, const char **starts, int *lens, int max)
{
	const char *p = help_note;
	int n = 0;
	while (*p && n < max) {
		int len = (int)strlen(p);
		if (len > w) {
			len = w;
			while (len > 0 && p[len] != ' ')
				len--;
			if (len == 0)
				len = w;
		}
		starts[n] = p;
		lens[n++] = len;
		p += len;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* Calls line() for each line of the help, in order: headings (the map's
 * title) and "  KEYS  HELP" lines. */
static void help_lines(const struct ui_keymap *chain,
                       const struct ui_keymap *tail,
                       void (*line)(void *ctx, bool heading, const char *t),
                       void *ctx)
{
	const struct ui_keymap *t = tail;
	for (const struct ui_keymap *km = chain; km;
	     km = ui_keymap_next(km, &t)) {
		bool titled = false;
		for (const struct ui_keydef *d = km->keys; d->request; d++) {
			char hbuf[128], keys[64], text[256];
			const char *help = help_of(d, hbuf, sizeof hbuf);
			if (!help ||
			    declared_before(chain, tail, km, d->request))
				continue;
			ui_keymap_keys_in(chain, tail, d->request, keys,
			                  sizeof keys);
			if (!keys[0])
				continue;
			if (!titled)
				line(ctx, true, km->title ? km->title : "");
			titled = true;
			snprintf(text, sizeof text, "  %-12s %s", keys, help);
			line(ctx, false, text);
		}
	}
}

struct help_draw {
	struct help *h;
	struct ui_area a;
	int row, y, rows; /* rows: those the lines may take */
};

static void draw_line(void *ctx, bool heading, const char *text)
{
	struct help_draw *hd = ctx;
	int row = hd->row++;
	if (row < hd->h->top || hd->y >= hd->rows)
		return;
	ui_text(hd->a, hd->y++, 0, hd->a.w,
	        heading ? STYLE_HEADER : STYLE_NORMAL, text);
}

/* Calls line() for the help's lines: its title, then the chain's. */
static void each_line(const struct help *h,
                      void (*line)(void *ctx, bool heading, const char *t),
                      void *ctx)
{
	line(ctx, true, "Keys of this screen");
	help_lines(h->chain, h->tail, line, ctx);
}

static void count_line(void *ctx, bool heading, const char *text)
{
	(void)heading;
	(void)text;
	(*(int *)ctx)++;
}

static void help_draw(struct ui_screen *s, struct ui_area a)
{
	struct help *h = (struct help *)s;
	const char *starts[4];
	int lens[4];
	int notes = help_note_lines(a.w, starts, lens, 4);
	/* the keys take the rows above a line and the note; while lines are
	 * left below, the last of those rows says so */
	int rows = a.h - notes - 1, total = 0;
	each_line(h, count_line, &total);
	int last_top = total > rows ? total - rows : 0;
	if (h->top > last_top)
		h->top = last_top;
	h->more = h->top < last_top;
	struct help_draw hd = {h, a, 0, 0, h->more ? rows - 1 : rows};
	each_line(h, draw_line, &hd);
	for (int y = hd.y; y < rows; y++)
		ui_text(a, y, 0, a.w, STYLE_NORMAL, "");
	if (h->more)
		ui_text(a, rows - 1, 0, a.w, STYLE_BOLD,
		        "  (more below: j, Space or End)");
	ui_hline(a, rows);
	for (int i = 0; i < notes; i++) {
		char line[256];
		snprintf(line, sizeof line, "%.*s", lens[i], starts[i]);
		ui_text(a, rows + 1 + i, 0, a.w, STYLE_NORMAL, line);
	}
	ui_cursor(a, 0, 0);
}

static enum ui_result help_key(struct ui_screen *s, int key, enum ui_request r)
{
	struct help *h = (struct help *)s;
	(void)key;
	switch (r) {
	case REQ_BACK:
	case REQ_HELP:
	case REQ_QUIT:
		return UI_CLOSE;
	case REQ_DOWN:
	case REQ_PAGE_DOWN:
		/* the draw keeps the top where the last line is in view */
		if (h->more)
			h->top += r == REQ_DOWN ? 1 : ui_page_rows() / 2;
		return UI_HANDLED;
	case REQ_LAST:
		h->top = 1 << 20;
		return UI_HANDLED;
	case REQ_UP:
	case REQ_PAGE_UP:
	case REQ_FIRST:
		h->top -= r == REQ_UP        ? 1
		          : r == REQ_PAGE_UP ? ui_page_rows() / 2
		                             : h->top;
		if (h->top < 0)
			h->top = 0;
		return UI_HANDLED;
	default:
		return UI_HANDLED; /* nothing else acts under the help */
	}
}

static void help_close(struct ui_screen *s)
{
	free(s);
}

struct ui_screen *ui_help_new(const struct ui_screen *below,
                              const struct ui_keymap *tail)
{
	struct help *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->screen = (struct ui_screen){.title = "Help",
	                               .draw = help_draw,
	                               .key = help_key,
	                               .keymap = &help_keymap,
	                               .close = help_close};
	h->chain = below && below->keymap ? below->keymap : tail;
	h->tail = tail;
	return &h->screen;
}

/* The help as text lines, for tests and the README's key table. */
struct help_print {
	FILE *f;
};

static void print_line(void *ctx, bool heading, const char *text)
{
	struct help_print *hp = ctx;
	fprintf(hp->f, "%s%s\n", heading ? "# " : "", text);
}

void ui_help_print(const struct ui_keymap *chain, const struct ui_keymap *tail,
                   FILE *f)
{
	struct help_print hp = {f};
	help_lines(chain, tail, print_line, &hp);
}
