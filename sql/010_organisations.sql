-- 010_organisations.sql: the Organisations tab (screens.md "2 Organisations").
--
-- What depends on an organisation, named with a count of each, is one
-- list: the delete's refusal (the trigger below) and the console's check
-- before it asks "Delete?" (store_org_dependants) both read it here.
CREATE FUNCTION ad_org_dependants(p_id bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    parts text[] := '{}';
    n     bigint;
BEGIN
    SELECT count(*) INTO n FROM organisations WHERE parent_id = p_id;
    IF n > 0 THEN
        parts := parts || format('%s child %s', n,
            CASE WHEN n = 1 THEN 'organisation' ELSE 'organisations' END);
    END IF;
    SELECT count(*) INTO n FROM grants WHERE org_id = p_id;
    IF n > 0 THEN
        parts := parts || format('%s %s', n, CASE WHEN n = 1 THEN 'grant' ELSE 'grants' END);
    END IF;
    SELECT count(*) INTO n FROM clusters WHERE owner_id = p_id;
    IF n > 0 THEN
        parts := parts || format('%s %s', n,
            CASE WHEN n = 1 THEN 'cluster it owns' ELSE 'clusters it owns' END);
    END IF;
    SELECT count(*) INTO n FROM cluster_members WHERE org_id = p_id;
    IF n > 0 THEN
        parts := parts || format('%s cluster %s', n,
            CASE WHEN n = 1 THEN 'membership' ELSE 'memberships' END);
    END IF;
    SELECT count(*) INTO n FROM studies WHERE site_id = p_id;
    IF n > 0 THEN
        parts := parts || format('%s %s', n, CASE WHEN n = 1 THEN 'study' ELSE 'studies' END);
    END IF;
    SELECT count(*) INTO n FROM site_restrictions WHERE site_id = p_id;
    IF n > 0 THEN
        parts := parts || format('%s site %s', n,
            CASE WHEN n = 1 THEN 'restriction' ELSE 'restrictions' END);
    END IF;
    RETURN array_to_string(parts, ', ');
END
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
