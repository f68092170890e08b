-- 016_list_search.sql: a narrow operator's searches (by name, User ID or
-- email) at the speed of their unsearched list. Each grant carries its
-- user's login and email too (as 015 made it carry the names and sort
-- keys), so that such a search is, for each visible organisation, the
-- range of its grants whose copy starts with the text (src/store/
-- user_list.c). A search from the users' own indexes would find matches
-- all over the country first (an email starting "a": one user in twenty)
-- and keep the operator's few.

ALTER TABLE grants
    ADD COLUMN u_login text,
    ADD COLUMN u_email text;

UPDATE grants g SET u_login = u.login, u_email = u.email
FROM users u WHERE u.id = g.user_id;

ALTER TABLE grants
    ALTER COLUMN u_login SET NOT NULL,
    ALTER COLUMN u_email SET NOT NULL;

-- 015's functions, with the two keys more.
CREATE OR REPLACE FUNCTION ad_grant_user_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT u.last_name, u.first_name, u.created_at, u.enabled, u.login,
           u.email
      INTO NEW.u_last, NEW.u_first, NEW.u_created, NEW.u_enabled,
           NEW.u_login, NEW.u_email
      FROM users u WHERE u.id = NEW.user_id;
    RETURN NEW;
END $$;

DROP TRIGGER grants_user_keys ON grants;
CREATE TRIGGER grants_user_keys
    BEFORE INSERT OR UPDATE OF user_id, u_last, u_first, u_created,
        u_enabled, u_login, u_email
    ON grants FOR EACH ROW EXECUTE FUNCTION ad_grant_user_keys();

CREATE OR REPLACE FUNCTION ad_users_grant_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE grants g SET u_last = n.last_name, u_first = n.first_name,
        u_created = n.created_at, u_enabled = n.enabled, u_login = n.login,
        u_email = n.email
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE g.user_id = n.id
      AND (n.last_name, n.first_name, n.created_at, n.enabled, n.login,
           n.email)
          IS DISTINCT FROM (o.last_name, o.first_name, o.created_at,
                            o.enabled, o.login, o.email);
    RETURN NULL;
END $$;

-- A narrow operator's search is, for each visible organisation, the
-- grants whose copies start with the text: one short range of an index on
-- (organisation, lower-cased copy) each, sorted then, rather than every
-- grant of the organisation read to find the few that match.
CREATE INDEX grants_org_search_last
    ON grants (org_id, lower(u_last) text_pattern_ops);
CREATE INDEX grants_org_search_first
    ON grants (org_id, lower(u_first) text_pattern_ops);
CREATE INDEX grants_org_search_login
    ON grants (org_id, u_login text_pattern_ops);
CREATE INDEX grants_org_search_email
    ON grants (org_id, lower(u_email) text_pattern_ops);

-- A name search's matches over every user: each of its alternatives (the
-- last name, the first name) one range of an index that holds the name
-- order's keys too, so that the matches are sorted without reading the
-- table. The first name's replaces 006's index on the same expression.
DROP INDEX users_search_first;
CREATE INDEX users_search_last_keys
    ON users (lower(last_name) text_pattern_ops)
    INCLUDE (last_name, first_name, id);
CREATE INDEX users_search_first_keys
    ON users (lower(first_name) text_pattern_ops)
    INCLUDE (last_name, first_name, id);
