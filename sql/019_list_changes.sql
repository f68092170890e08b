-- 019_list_changes.sql: counters of the changes that shape the Users
-- list's organisation columns, one per organisation, so that a session
-- may keep what it built from them until they change. A narrow operator's
-- sort on Organisation ID(s), Organisation(s) or Parent Organisation(s)
-- orders users by keys made from their visible grants (access-model.md
-- section 5); building them takes every visible grant (25-31 ms for a
-- CCG's 19,733 users at 1,000,000). The session builds them once into a
-- temporary table with an index per key (src/store/user_list.c) and reads
-- each page from it, for as long as the counters of its visible
-- organisations, summed in the same snapshot as the keys, stand where they
-- stood: a change elsewhere in the country leaves them be.
--
-- An organisation's counter moves when a grant there is made, removed or
-- moved, and when its grants' copies of its code, name or parent's name
-- change (017 copies them anew when the organisation or its parent
-- changes). Row 0 moves when a grant is made or removed
-- anywhere and when a user is made: the users with no grant, whom an
-- operator with users.view over a root lists too.
--
-- Every writer takes the audit chain's lock first (013), so writers are
-- already one at a time and these rows add no wait and no deadlock. A
-- change made by hand (psql) moves them too: the triggers are on the
-- tables.

CREATE TABLE list_changes (
    org_id bigint PRIMARY KEY,
    n      bigint NOT NULL
);

CREATE FUNCTION ad_list_changed(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO list_changes (org_id, n)
    SELECT DISTINCT x.id, 1 FROM unnest(ids) AS x(id) WHERE x.id IS NOT NULL
    ON CONFLICT (org_id) DO UPDATE SET n = list_changes.n + 1;
$$;

CREATE FUNCTION ad_grants_list_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ad_list_changed(ARRAY(SELECT org_id FROM new_rows) || 0::bigint);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ad_list_changed(ARRAY(SELECT org_id FROM old_rows) || 0::bigint);
    ELSE
        -- moved, or its organisation's code, name or parent's name
        -- copied anew (017 copies them when an organisation changes): the
        -- rows whose (id, organisation columns) one side lacks. Set
        -- differences, hashed, not a join: the transition tables have no
        -- statistics, and a nested loop over a statement that rewrites
        -- every grant's copies (the seed's) ran for minutes.
        PERFORM ad_list_changed(ARRAY(
            SELECT org_id FROM (
                SELECT id, org_id, o_code, o_name, p_name FROM old_rows
                EXCEPT
                SELECT id, org_id, o_code, o_name, p_name FROM new_rows) d
            UNION
            SELECT org_id FROM (
                SELECT id, org_id, o_code, o_name, p_name FROM new_rows
                EXCEPT
                SELECT id, org_id, o_code, o_name, p_name FROM old_rows) d));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER grants_list_changed_ins AFTER INSERT ON grants
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_grants_list_changed();
CREATE TRIGGER grants_list_changed_del AFTER DELETE ON grants
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_grants_list_changed();
CREATE TRIGGER grants_list_changed_upd AFTER UPDATE ON grants
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_grants_list_changed();

CREATE FUNCTION ad_users_list_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_list_changed(ARRAY[0::bigint]);
    RETURN NULL;
END $$;
CREATE TRIGGER users_list_changed AFTER INSERT ON users
    FOR EACH STATEMENT EXECUTE FUNCTION ad_users_list_changed();

-- The console's role (004) reads the counters and moves them only through
-- its writes' triggers.
ALTER FUNCTION ad_list_changed(bigint[]) SECURITY DEFINER;
REVOKE ALL ON list_changes FROM PUBLIC;
DO $$
BEGIN
    -- its search_path pinned (as in 003 and 013)
    EXECUTE format('ALTER FUNCTION ad_list_changed(bigint[]) SET search_path'
                   ' = pg_catalog, %I, pg_temp', current_schema());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'accessdesk_console') THEN
        GRANT SELECT ON list_changes TO accessdesk_console;
    END IF;
END $$;
