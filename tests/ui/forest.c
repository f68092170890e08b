/* forest.c: the synthetic forest (forest.h). */
#include <stdio.h>
#include <stdlib.h>

#include "forest.h"

bool forest_build(struct forest *f, int n)
{
	f->nodes = calloc((size_t)n, sizeof *f->nodes);
	f->codes = calloc((size_t)n, sizeof *f->codes);
	f->names = calloc((size_t)n, sizeof *f->names);
	f->infos = calloc((size_t)n, sizeof *f->infos);
	f->n = n;
	if (!f->nodes || !f->codes || !f->names || !f->infos) {
		forest_free(f);
		return false;
	}
	for (int i = 0; i < n; i++) {
		int parent;
		if (i < FOREST_ROOTS) {
			snprintf(f->codes[i], 12, "Y%02d", i);
			snprintf(f->names[i], 32, "Region %02d", i);
			parent = -1;
		} else if (i < FOREST_ROOTS + FOREST_L1) {
			int k = i - FOREST_ROOTS;
			snprintf(f->codes[i], 12, "Q%03d", k);
			snprintf(f->names[i], 32, "Integrated Board %03d", k);
			parent = k % FOREST_ROOTS;
		} else if (i < FOREST_ROOTS + FOREST_L1 + FOREST_L2) {
			int k = i - FOREST_ROOTS - FOREST_L1;
			snprintf(f->codes[i], 12, "L%04d", k);
			snprintf(f->names[i], 32, "Location %04d", k);
			parent = FOREST_ROOTS + k % FOREST_L1;
		} else {
			int k = i - FOREST_ROOTS - FOREST_L1 - FOREST_L2;
			snprintf(f->codes[i], 12, "P%06d", k);
			snprintf(f->names[i], 32, "Practice %06d Surgery", k);
			parent = FOREST_ROOTS + FOREST_L1 + k % FOREST_L2;
		}
		snprintf(f->infos[i], 24, "site  %d users", i % 40);
		f->nodes[i] = (struct ui_tree_node){
		    f->codes[i], f->names[i], f->infos[i], parent, false, NULL};
	}
	return true;
}

int forest_last(const struct forest *f, int *visible)
{
	int v = -1, last = -1, rows = 0;
	for (;;) {
		int child = -1;
		for (int i = 0; i < f->n; i++)
			if (f->nodes[i].parent == v) {
				child = i;
				rows++;
			}
		if (child < 0)
			break;
		last = v = child;
	}
	if (visible)
		*visible = rows;
	return last;
}

void forest_free(struct forest *f)
{
	free(f->nodes);
	free(f->codes);
	free(f->names);
	free(f->infos);
	*f = (struct forest){0};
}
