/* forest.h: a synthetic forest of national size for the tree widget
 * (ui_tree.h), shared by its test (tests/ui/test_tree.c) and its benchmark
 * (tests/bench/bench_tree.c). Shaped like the NHS hierarchy: 13 regions,
 * 104 integrated boards, 1,248 sub-ICB locations, the rest practices, each
 * level dealt round its parents (node i of a level under parent i mod the
 * level above's count), every node with an info text. Needs no curses. */
#ifndef ACCESSDESK_TESTS_FOREST_H
#define ACCESSDESK_TESTS_FOREST_H

#include <stdbool.h>

#include "accessdesk/ui_tree.h"

enum {
	FOREST_ROOTS = 13,
	FOREST_L1 = 104,
	FOREST_L2 = 1248,
	/* the fewest nodes: every level, and a practice */
	FOREST_MIN = FOREST_ROOTS + FOREST_L1 + FOREST_L2 + 1,
};

struct forest {
	struct ui_tree_node *nodes; /* n, pointing into the arrays below */
	int n;
	char (*codes)[12], (*names)[32], (*infos)[24];
};

/* Builds n nodes (at least FOREST_MIN) into f; false when out of
 * memory. */
bool forest_build(struct forest *f, int n);
/* The last node in preorder: the last child of the last child ... of the
 * last root, read from the input (an oracle for the widget). *visible, if
 * not NULL: the rows shown when only its ancestors are expanded. */
int forest_last(const struct forest *f, int *visible);
void forest_free(struct forest *f);

#endif
