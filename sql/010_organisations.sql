-- 010_organisations.sql: the Organisations tab (screens.md "2 Organisations").
--
-- What depends on an organisation, named with a count of each, is one
-- list: the delete's refusal (the trigger below) and the console's check
-- before it asks "Delete?" (store_org_dependants) both read it here.
CREATE FUNCTION ad_org_dependants(p_id bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(format('%s %s', n,
                                      CASE WHEN n = 1 THEN one ELSE many END),
                               ', ' ORDER BY ord), '')
      FROM (VALUES
        (1, (SELECT count(*) FROM organisations WHERE parent_id = p_id),
            'child organisation', 'child organisations'),
        (2, (SELECT count(*) FROM grants WHERE org_id = p_id),
            'grant', 'grants'),
        (3, (SELECT count(*) FROM clusters WHERE owner_id = p_id),
            'cluster it owns', 'clusters it owns'),
        (4, (SELECT count(*) FROM cluster_members WHERE org_id = p_id),
            'cluster membership', 'cluster memberships'),
        (5, (SELECT count(*) FROM studies WHERE site_id = p_id),
            'study', 'studies'),
        (6, (SELECT count(*) FROM site_restrictions WHERE site_id = p_id),
            'site restriction', 'site restrictions')
      ) AS d (ord, n, one, many)
     WHERE n > 0
$$;

CREATE OR REPLACE FUNCTION ad_org_delete_unused() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    deps text := ad_org_dependants(OLD.id);
BEGIN
    IF deps <> '' THEN
        RAISE EXCEPTION 'organisation "%" cannot be deleted: it has %',
            OLD.code, deps
            USING ERRCODE = 'AD014';
    END IF;
    RETURN OLD;
END
$$;

-- Site restrictions name their site: the delete's count and the site check
-- find them by it (the primary key leads with the user).
CREATE INDEX site_restrictions_site ON site_restrictions (site_id);
CREATE INDEX studies_site ON studies (site_id);

-- Who has access? names its candidates from the grants at an organisation
-- and its ancestors (store_who_has_access): with the grant's and the
-- user's ids in the index that statement reads no row of the table (a
-- practice at national size, 7,441 grants: 13 ms -> 3.5 ms).
CREATE INDEX grants_org_users ON grants (org_id) INCLUDE (user_id, id);
-- It serves every look-up grants_org served (the grants at an
-- organisation), so that one goes: one index fewer to write per grant.
DROP INDEX grants_org;
