/* bench_tree.c: the tree widget (ui_tree.h) at national size.
 *
 * Builds a forest shaped like the NHS hierarchy (13 regions, 104 boards,
 * 1,248 locations, the rest practices, each level dealt round its
 * parents, every node with an info text: tests/ui/forest.h, the tree
 * test's) and times, each as the median
 * of several runs: making the tree (copying the nodes), expand all,
 * collapse all, a search from the first row that jumps to the last node
 * (by name, and by code), expanding and collapsing one region with all
 * the others open (the rows inserted and removed), drawing a page and a
 * move-and-draw with everything open, Select All, reading the ticks back
 * as codes, and a reload (ui_tree_set_nodes) with everything open and
 * ticked. Drawing runs curses in test mode at 80x24 (output to nowhere).
 *
 * Usage: bench_tree [nodes [runs]]   defaults 100000 11
 * Built by meson, never run by the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accessdesk/ui_tree.h"
#include "../ui/forest.h"

static struct forest f; /* the nodes, their codes and names */

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void report(const char *what, double *v, int runs)
{
	double m = median(v, runs);
	if (m >= 1000)
		printf("  %-52s %9.2f ms\n", what, m / 1000);
	else
		printf("  %-52s %9.1f us\n", what, m);
}

static void fail(const char *what)
{
	fprintf(stderr, "bench_tree: %s\n", what);
	exit(1);
}

static const struct ui_area page = {2, 0, 20, 80};

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100000;
	int runs = argc > 2 ? atoi(argv[2]) : 11;
	if (n < FOREST_MIN || runs < 1)
		fail("usage: bench_tree [nodes (>= 1366) [runs]]");
	if (runs > 101)
		runs = 101;
	if (!forest_build(&f, n))
		fail("out of memory");
	int last = forest_last(&f, NULL);

	/* curses on nothing, as the tests run it */
	setenv("ACCESSDESK_TEST_KEYS", "/dev/null", 1);
	setenv("ACCESSDESK_TEST_SIZE", "80x24", 1);
	if (!getenv("TERM") || !*getenv("TERM"))
		setenv("TERM", "vt100", 1);
	char err[256];
	if (!ui_start(NULL, false, err, sizeof err))
		fail(err);

	double t_new[101], t_exp[101], t_col[101], t_sname[101], t_scode[101],
	    t_one_exp[101], t_one_col[101], t_draw[101], t_move[101],
	    t_all[101], t_ticks[101], t_reload[101], t_free[101];
	const char **ticked = malloc((size_t)n * sizeof *ticked);
	if (!ticked)
		fail("out of memory");
	for (int r = 0; r < runs; r++) {
		double t0 = now_us();
		struct ui_tree *t = ui_tree_new(f.nodes, n, true);
		t_new[r] = now_us() - t0;
		if (!t)
			fail("out of memory");

		t0 = now_us();
		ui_tree_expand_all(t);
		t_exp[r] = now_us() - t0;
		if (ui_tree_rows(t) != n)
			fail("expand all");

		t0 = now_us();
		ui_tree_collapse_all(t);
		t_col[r] = now_us() - t0;
		if (ui_tree_rows(t) != FOREST_ROOTS)
			fail("collapse all");

		t0 = now_us();
		bool found = ui_tree_search(t, f.names[last]);
		t_sname[r] = now_us() - t0;
		if (!found ||
		    strcmp(ui_tree_cursor_code(t), f.codes[last]) != 0)
			fail("search by name");

		ui_tree_collapse_all(t);
		t0 = now_us();
		found = ui_tree_search(t, f.codes[last]);
		t_scode[r] = now_us() - t0;
		if (!found ||
		    strcmp(ui_tree_cursor_code(t), f.codes[last]) != 0)
			fail("search by code");

		/* the first region closed, all else open: open it, close it */
		ui_tree_expand_all(t);
		ui_tree_request(t, REQ_FIRST, 0);
		ui_tree_request(t, REQ_COLLAPSE, 0);
		int before = ui_tree_rows(t);
		t0 = now_us();
		ui_tree_request(t, REQ_EXPAND, 0);
		t_one_exp[r] = now_us() - t0;
		t0 = now_us();
		ui_tree_request(t, REQ_COLLAPSE, 0);
		t_one_col[r] = now_us() - t0;
		if (ui_tree_rows(t) != before)
			fail("expand and collapse one");

		ui_tree_request(t, REQ_EXPAND, 0);
		ui_tree_select(t, f.codes[n / 2]);
		t0 = now_us();
		ui_tree_draw(t, page);
		t_draw[r] = now_us() - t0;

		t0 = now_us();
		ui_tree_request(t, REQ_DOWN, 0);
		ui_tree_draw(t, page);
		t_move[r] = now_us() - t0;

		t0 = now_us();
		ui_tree_request(t, REQ_SELECT_ALL, 0);
		t_all[r] = now_us() - t0;

		t0 = now_us();
		int k = ui_tree_ticked_codes(t, ticked, n);
		t_ticks[r] = now_us() - t0;
		if (k != n)
			fail("select all");

		t0 = now_us();
		found = ui_tree_set_nodes(t, f.nodes, n);
		t_reload[r] = now_us() - t0;
		if (!found || ui_tree_rows(t) != n ||
		    ui_tree_ticked_codes(t, NULL, 0) != n)
			fail("reload");

		t0 = now_us();
		ui_tree_free(t);
		t_free[r] = now_us() - t0;
	}
	ui_stop();

	printf("bench_tree: %d nodes (13 regions, 104 boards, 1,248 "
	       "locations, %d practices), median of %d runs\n",
	       n, n - FOREST_ROOTS - FOREST_L1 - FOREST_L2, runs);
	report("make the tree (copy the nodes)", t_new, runs);
	report("expand all", t_exp, runs);
	report("collapse all", t_col, runs);
	report("search by name, first row -> last node", t_sname, runs);
	report("search by code, first row -> last node", t_scode, runs);
	report("expand one region, the rest open", t_one_exp, runs);
	report("collapse one region, the rest open", t_one_col, runs);
	report("draw a page (80x24), everything open", t_draw, runs);
	report("move down one row and draw the page", t_move, runs);
	report("Select All", t_all, runs);
	report("read the ticks back as codes", t_ticks, runs);
	report("reload (set_nodes), everything open and ticked", t_reload,
	       runs);
	report("free the tree", t_free, runs);
	free(ticked);
	forest_free(&f);
	return 0;
}
