/* engine_reach.h: how far a set of grants reaches (src/engine/reach.c),
 * for the warnings before a save that narrows a user's access. */
#ifndef ACCESSDESK_ENGINE_REACH_H
#define ACCESSDESK_ENGINE_REACH_H

#include "accessdesk/engine.h"

/* How many organisations the grants reach together: the union of each
 * grant's reach (access-model.md section 3: its subtree, or its clusters'
 * members' subtrees). The world must be indexed. 0 when none. */
int engine_specs_reach(const struct engine_world *w,
                       const struct engine_grant_spec *specs, int n);

#endif
