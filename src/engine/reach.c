/* reach.c: the number of organisations a set of grants reaches, through
 * the decision's own reach(g) (grant_reaches in decide.c), so that the
 * console's "will reach 3 organisations, was 12" cannot disagree with a
 * check: a grant spec is put in the shape of a grant and asked. */
#include "accessdesk/engine_reach.h"
#include "internal.h"

int engine_specs_reach(const struct engine_world *w,
                       const struct engine_grant_spec *specs, int n)
{
	int count = 0;
	for (int o = 0; o < engine_n_orgs(w); o++) {
		for (int i = 0; i < n; i++) {
			const struct engine_grant_spec *s = &specs[i];
			if (s->org < 0 || s->org >= engine_n_orgs(w))
				continue;
			const struct engine_org *org = engine_org(w, s->org);
			struct engine_grant g = {
			    .org = s->org,
			    .clusters = (int *)s->clusters,
			    .n_clusters = s->n_clusters,
			    .org_pre = org->pre,
			    .org_last = org->last,
			};
			int cluster, member;
			if (grant_reaches(w, &g, o, &cluster, &member)) {
				count++;
				break;
			}
		}
	}
	return count;
}
