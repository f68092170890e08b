/* org_nodes.c: the world's organisations as nodes of a tree widget, for
 * every screen that shows the tree (the Organisations tab, the pickers of
 * User Details and of Move): the caller's judge says which it shows and,
 * of those, which may not be picked and why; a node's parent is its
 * nearest ancestor that is shown, so an operator who sees a subtree and
 * not what is above it sees that subtree as a root. */
#include <stdlib.h>
#include <string.h>

#include "accessdesk/screens.h"

bool org_nodes_build(struct org_nodes *on, const struct engine_world *w,
                     org_nodes_judge *judge, void *ctx)
{
	int n = engine_n_orgs(w);
	memset(on, 0, sizeof *on);
	on->nodes = calloc((size_t)n + 1, sizeof *on->nodes);
	on->node_of = calloc((size_t)n + 1, sizeof *on->node_of);
	on->why = calloc((size_t)n + 1, sizeof *on->why);
	if (!on->nodes || !on->node_of || !on->why) {
		org_nodes_free(on);
		return false;
	}
	for (int o = 0; o < n; o++) {
		const struct engine_org *org = engine_org(w, o);
		char reason[600] = "";
		on->node_of[o] = -1;
		if (!judge(ctx, o, reason, sizeof reason))
			continue;
		int at = on->n++;
		on->node_of[o] = at;
		if (reason[0] && !(on->why[at] = strdup(reason))) {
			org_nodes_free(on);
			return false;
		}
		on->n_pickable += reason[0] == '\0';
		on->nodes[at] = (struct ui_tree_node){
		    org->code, org->name,         org->is_site ? "site" : NULL,
		    -1,        reason[0] != '\0', on->why[at]};
	}
	for (int o = 0; o < n; o++) {
		if (on->node_of[o] < 0)
			continue;
		int p = engine_org(w, o)->parent;
		while (p >= 0 && on->node_of[p] < 0)
			p = engine_org(w, p)->parent;
		on->nodes[on->node_of[o]].parent = p >= 0 ? on->node_of[p] : -1;
	}
	return true;
}

void org_nodes_free(struct org_nodes *on)
{
	for (int i = 0; on->why && i < on->n; i++)
		free(on->why[i]);
	free(on->why);
	free(on->nodes);
	free(on->node_of);
	memset(on, 0, sizeof *on);
}

bool org_nodes_refresh(struct ui_tree *t, const struct engine_world *w,
                       org_nodes_judge *judge, void *ctx)
{
	struct org_nodes on;
	if (!org_nodes_build(&on, w, judge, ctx))
		return false;
	bool ok = ui_tree_set_nodes(t, on.nodes, on.n);
	org_nodes_free(&on);
	return ok;
}
