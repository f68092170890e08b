-- 014_audit_changes.sql: what one audit record changed, field by field, for
-- the Audit tab's record view (src/store/audit_changes.c).
--
-- audit_changes(kind, before, after) flattens the two snapshots of 005 and
-- 007 into rows (grp, field, is_list, old, new, ord), only what differs:
--   a value            old and new as text (NULL: none), booleans in words
--   a list             old: the items removed, new: the items added, each
--                      ", "-separated in stored order (NULL: none); a list
--                      only reordered is no change
--   a user's grants    matched by organisation, each a group "Grant CODE"
--   and a grant        of its own (roles, payment types, clusters), with a
--                      row "grant" naming the grant added or removed
-- A creation (before NULL) gives every value and item of after, a deletion
-- (after NULL) every one of before. ord is the order to show them in: the
-- record's own fields in the forms' order, then each grant.

-- A value as the trail shows it: text as it is, booleans in words.
CREATE FUNCTION audit_value_text(p_key text, v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
    WHEN coalesce(jsonb_typeof(v), 'null') = 'null' THEN NULL
    WHEN jsonb_typeof(v) = 'boolean' AND p_key = 'enabled' THEN
        CASE WHEN v = 'true' THEN 'Enabled' ELSE 'Disabled' END
    WHEN jsonb_typeof(v) = 'boolean' THEN
        CASE WHEN v = 'true' THEN 'yes' ELSE 'no' END
    WHEN jsonb_typeof(v) IN ('object', 'array') THEN v::text
    ELSE v #>> '{}'
END
$$;

-- An item of a list: a code or name as it is; a site restriction with its
-- "recruitment only"; a study's user access entry with its role.
CREATE FUNCTION audit_item_text(e jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
    WHEN jsonb_typeof(e) <> 'object' THEN e #>> '{}'
    WHEN e ? 'site' THEN (e ->> 'site')
        || CASE WHEN e -> 'recruitment_only' = 'true'
                THEN ' (recruitment only)' ELSE '' END
    WHEN e ? 'user' THEN (e ->> 'user')
        || coalesce(' as ' || (e ->> 'role'), ' (all profile roles)')
    ELSE e::text
END
$$;

-- The items of list a that list b lacks, in a's order; NULL when none.
CREATE FUNCTION audit_items_not_in(a jsonb, b jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
SELECT string_agg(audit_item_text(x.e), ', ' ORDER BY x.n)
FROM jsonb_array_elements(coalesce(a, '[]')) WITH ORDINALITY AS x(e, n)
WHERE NOT EXISTS (SELECT FROM jsonb_array_elements(coalesce(b, '[]')) y(e)
                  WHERE y.e = x.e)
$$;

-- The snapshots' keys in the order the forms show them; others after.
CREATE FUNCTION audit_key_order(p_key text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
SELECT coalesce(array_position(ARRAY[
    'login', 'title', 'first_name', 'last_name', 'email', 'work_phone',
    'mobile_phone', 'enabled', 'short_name', 'code', 'name', 'description',
    'owner', 'owner_name', 'parent', 'parent_name', 'is_site', 'site',
    'domain', 'reach', 'actions', 'members', 'user_access', 'roles',
    'payment_types', 'clusters', 'profile_roles', 'sites', 'studies'],
    p_key), 1000)
$$;

-- The values and lists of two objects (either NULL) that differ, but the
-- keys skipped; ord from base (a group's place) and the key's.
CREATE FUNCTION audit_object_changes(p_group text, b jsonb, a jsonb,
                                     p_skip text[], p_base integer)
RETURNS TABLE (grp text, field text, is_list boolean, old text, new text,
               ord bigint)
LANGUAGE sql IMMUTABLE AS $$
WITH k AS (
    SELECT key FROM jsonb_object_keys(coalesce(b, '{}')) AS key
    UNION
    SELECT key FROM jsonb_object_keys(coalesce(a, '{}')) AS key
), v AS (
    SELECT key, b -> key AS bv, a -> key AS av,
           jsonb_typeof(coalesce(a -> key, b -> key)) = 'array' AS is_list,
           row_number() OVER (ORDER BY audit_key_order(key), key) AS n
    FROM k WHERE key <> ALL (p_skip)
), c AS (
    SELECT key, is_list, n,
           CASE WHEN is_list THEN audit_items_not_in(bv, av)
                ELSE audit_value_text(key, bv) END AS old,
           CASE WHEN is_list THEN audit_items_not_in(av, bv)
                ELSE audit_value_text(key, av) END AS new
    FROM v
)
SELECT p_group, key, is_list, old, new, p_base * 1000 + n
FROM c
WHERE CASE WHEN is_list THEN old IS NOT NULL OR new IS NOT NULL
           ELSE old IS DISTINCT FROM new END
$$;

-- One grant's change (either snapshot NULL: added or removed): the row
-- "grant" naming it when it was added or removed, then its lists.
CREATE FUNCTION audit_grant_changes(b jsonb, a jsonb, p_base integer)
RETURNS TABLE (grp text, field text, is_list boolean, old text, new text,
               ord bigint)
LANGUAGE sql IMMUTABLE AS $$
SELECT 'Grant ' || coalesce(a ->> 'org', b ->> 'org'), 'grant', false,
       b ->> 'org' || coalesce(' - ' || (b ->> 'org_name'), ''),
       a ->> 'org' || coalesce(' - ' || (a ->> 'org_name'), ''),
       p_base::bigint * 1000
WHERE (a IS NULL) <> (b IS NULL)
UNION ALL
SELECT * FROM audit_object_changes(
    'Grant ' || coalesce(a ->> 'org', b ->> 'org'), b, a,
    ARRAY['user', 'org', 'org_name'], p_base)
$$;

CREATE FUNCTION audit_changes(p_kind text, p_before jsonb, p_after jsonb)
RETURNS TABLE (grp text, field text, is_list boolean, old text, new text,
               ord bigint)
LANGUAGE sql IMMUTABLE AS $$
-- a grant record: the grant itself
SELECT * FROM audit_grant_changes(p_before, p_after, 1)
WHERE p_kind = 'grant'
UNION ALL
-- any other: its own fields, its grants apart
SELECT * FROM audit_object_changes(NULL, p_before, p_after,
                                   ARRAY['grants'], 0)
WHERE p_kind <> 'grant'
UNION ALL
-- a user's grants, matched by organisation, in after's order then the
-- ones removed in before's
SELECT c.* FROM (
    SELECT b.g AS bg, a.g AS ag,
           row_number() OVER (ORDER BY a.n NULLS LAST, b.n) AS n
    FROM (SELECT g, n FROM jsonb_array_elements(
              CASE WHEN jsonb_typeof(p_before -> 'grants') = 'array'
                   THEN p_before -> 'grants' END)
              WITH ORDINALITY AS x(g, n)) b
    FULL JOIN (SELECT g, n FROM jsonb_array_elements(
              CASE WHEN jsonb_typeof(p_after -> 'grants') = 'array'
                   THEN p_after -> 'grants' END)
              WITH ORDINALITY AS y(g, n)) a
      ON lower(a.g ->> 'org') = lower(b.g ->> 'org')
) m, audit_grant_changes(m.bg, m.ag, 1 + m.n::integer) c
WHERE p_kind <> 'grant'
$$;

-- ---- pin the new functions' search_path (as in 003 and 013) --------------
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = current_schema()::regnamespace
                AND p.proname IN ('audit_value_text', 'audit_item_text',
                                  'audit_items_not_in', 'audit_key_order',
                                  'audit_object_changes',
                                  'audit_grant_changes', 'audit_changes')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, current_schema());
    END LOOP;
END
$$;
