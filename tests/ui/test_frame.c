/* test_frame.c: the frame's screen stacks and the key script's paste
 * (src/ui/frame.c, src/ui/input.c), in test mode: a stack holds every
 * screen pushed on it, however deep (it once dropped those past 8), and
 * pops them in order; <Paste TEXT> is one key whose text has its control
 * characters dropped and its invalid UTF-8 replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "accessdesk/ui.h"

#define PUSHED 20

/* A screen that closes on x and says so. */
struct probe {
	struct ui_screen screen;
	int id; /* 0: the tab's own screen */
};

static int closed_order[PUSHED + 1]; /* ids, as they were closed by x */
static int n_closed;
static int tab_keys;     /* keys the tab's own screen got */
static char pasted[256]; /* what the tab's screen was pasted */
static int pastes;
static enum ui_end ended; /* how the loop ended */

static void probe_draw(struct ui_screen *s, struct ui_area a)
{
	struct probe *p = (struct probe *)s;
	char buf[32];
	snprintf(buf, sizeof buf, "probe %d", p->id);
	ui_text(a, 0, 0, a.w, STYLE_NORMAL, buf);
	ui_cursor(a, 0, 0);
}

static enum ui_result probe_key(struct ui_screen *s, int key, enum ui_request r)
{
	struct probe *p = (struct probe *)s;
	(void)r;
	if (p->id == 0) {
		tab_keys++;
		if (key == UI_KEY_PASTE) {
			snprintf(pasted, sizeof pasted, "%s", ui_pasted());
			pastes++;
		}
		return UI_HANDLED;
	}
	if (key != 'x')
		return UI_HANDLED;
	if (n_closed < PUSHED + 1)
		closed_order[n_closed++] = p->id;
	return UI_CLOSE;
}

static struct probe screens[PUSHED + 1];

static void setup_screens(void)
{
	for (int i = 0; i <= PUSHED; i++)
		screens[i] = (struct probe){
		    {.title = "probe", .draw = probe_draw, .key = probe_key},
		    i};
	struct ui_tab tab = {"Probe", &screens[0].screen};
	ui_set_tabs(&tab, 1);
	for (int i = 1; i <= PUSHED; i++)
		ui_push(&screens[i].screen);
}

/* 20 pushed over the tab's screen: 20 x's close them, the last pushed
 * first; the 21st x reaches the tab's own screen, which stays. */
static void test_push_past_8(void **state)
{
	(void)state;
	assert_int_equal(ended, UI_END_SCRIPT);
	assert_int_equal(n_closed, PUSHED);
	for (int i = 0; i < PUSHED; i++)
		assert_int_equal(closed_order[i], PUSHED - i);
	assert_true(tab_keys >= 1);
}

/* <Paste ...> is one key; TAB, ESC and a C0 byte dropped, the invalid
 * UTF-8 byte \xC3 (before '(') one '?'. */
static void test_paste_key(void **state)
{
	(void)state;
	assert_int_equal(pastes, 1);
	assert_string_equal(pasted, "Cheese?(");
	assert_int_equal(tab_keys, 2); /* the 21st x, then the paste */
}

int main(void)
{
	char path[] = "/tmp/test_frame.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		printf("Bail out! cannot make the key script\n");
		return 1;
	}
	static const char script[] = "xxxxxxxxxx\nxxxxxxxxxx\nx"
	                             "<Paste Ch\tee\033se\001\xc3(>";
	if (write(fd, script, sizeof script - 1) !=
	    (ssize_t)sizeof script - 1) {
		printf("Bail out! cannot write the key script\n");
		return 1;
	}
	close(fd);
	setenv("ACCESSDESK_TEST_KEYS", path, 1);
	char err[256];
	if (!ui_start(NULL, false, err, sizeof err)) {
		printf("Bail out! %s\n", err);
		unlink(path);
		return 1;
	}
	setup_screens();
	ended = ui_run(NULL);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_push_past_8),
	    cmocka_unit_test(test_paste_key),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	ui_stop();
	unlink(path);
	return failed;
}
