/* audit_changes.c: what one audit record changed, field by field, for the
 * Audit tab's record view: the record's before and after (as
 * store_audit_read gave them, through the operator's reach) flattened by
 * the database's audit_changes() (sql/014_audit_changes.sql), so the
 * console needs no JSON parser. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static char *dup_value(const PGresult *r, int i, int f, bool *nomem)
{
	if (PQgetisnull(r, i, f))
		return NULL;
	char *v = strdup(PQgetvalue(r, i, f));
	if (!v)
		*nomem = true;
	return v;
}

bool store_audit_changes(struct store *s, const struct store_audit_record *rec,
                         struct store_audit_changes *out,
                         struct store_error *err)
{
	*out = (struct store_audit_changes){0};
	const char *params[3] = {rec->row.kind, rec->before, rec->after};
	PGresult *r = store_exec(
	    s,
	    "SELECT grp, field, is_list, old, new"
	    " FROM audit_changes($1, $2::jsonb, $3::jsonb) ORDER BY ord",
	    3, params, PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	int n = PQntuples(r);
	bool nomem = false;
	out->v = calloc(n ? (size_t)n : 1, sizeof *out->v);
	nomem = !out->v;
	for (int i = 0; !nomem && i < n; i++, out->n++) {
		struct store_audit_change *c = &out->v[i];
		c->group = dup_value(r, i, 0, &nomem);
		c->field = dup_value(r, i, 1, &nomem);
		c->is_list = strcmp(PQgetvalue(r, i, 2), "t") == 0;
		c->old = dup_value(r, i, 3, &nomem);
		c->now = dup_value(r, i, 4, &nomem);
		nomem = nomem || !c->field;
	}
	PQclear(r);
	if (nomem) {
		store_audit_changes_free(out);
		store_fail(err, "", "out of memory");
		return false;
	}
	return true;
}

void store_audit_changes_free(struct store_audit_changes *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->v[i].group);
		free(c->v[i].field);
		free(c->v[i].old);
		free(c->v[i].now);
	}
	free(c->v);
	*c = (struct store_audit_changes){0};
}
