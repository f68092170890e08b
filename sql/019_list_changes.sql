-- 019_list_changes.sql: a counter of the changes that shape the Users
-- list's organisation columns, so that a session may keep what it built
-- from them until they change. A narrow operator's sort on Organisation
-- ID(s), Organisation(s) or Parent Organisation(s) orders users by keys
-- made from their visible grants (access-model.md section 5); building
-- them takes every visible grant (25-31 ms for a CCG's 19,733 users at
-- 1,000,000). The session builds them once into a temporary table with an
-- index per key (src/store/user_list.c) and reads each page from it, for
-- as long as this counter, read in the same snapshot as the keys, stands
-- where it stood.
--
-- Every writer takes the audit chain's lock first (013), so writers are
-- already one at a time and the counter's row adds no wait and no
-- deadlock. A change made by hand (psql) moves it too: the triggers are on
-- the tables.

CREATE TABLE list_changes (
    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    n  bigint NOT NULL DEFAULT 0
);
INSERT INTO list_changes DEFAULT VALUES;

CREATE FUNCTION ad_list_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE list_changes SET n = n + 1;
    RETURN NULL;
END $$;

-- the keys come from the grants, the organisations' codes, names and
-- parents, and which users exist
CREATE TRIGGER grants_list_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION ad_list_changed();
CREATE TRIGGER organisations_list_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION ad_list_changed();
CREATE TRIGGER users_list_changed
    AFTER INSERT OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION ad_list_changed();
