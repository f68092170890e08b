-- 015_list_scale.sql: the Users list of a narrow operator (one who sees a
-- few subtrees: a CCG's administrator sees about 2% of a million users)
-- at the speed of the root's. Walking the users' name index until a page
-- of visible users turns up reads fifty users for each one shown; instead
-- each grant carries its user's sort keys, so that the page is, for each
-- visible organisation, the first page of its grants in the sort's order
-- (one short index range each), merged (src/store/user_list.c).

ALTER TABLE grants
    ADD COLUMN u_last    text,
    ADD COLUMN u_first   text,
    ADD COLUMN u_created timestamptz,
    ADD COLUMN u_enabled boolean;

UPDATE grants g SET u_last = u.last_name, u_first = u.first_name,
    u_created = u.created_at, u_enabled = u.enabled
FROM users u WHERE u.id = g.user_id;

ALTER TABLE grants
    ALTER COLUMN u_last SET NOT NULL,
    ALTER COLUMN u_first SET NOT NULL,
    ALTER COLUMN u_created SET NOT NULL,
    ALTER COLUMN u_enabled SET NOT NULL;

-- A grant takes its user's keys when written; whatever a writer puts
-- there is replaced.
CREATE FUNCTION ad_grant_user_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT u.last_name, u.first_name, u.created_at, u.enabled
      INTO NEW.u_last, NEW.u_first, NEW.u_created, NEW.u_enabled
      FROM users u WHERE u.id = NEW.user_id;
    RETURN NEW;
END $$;

CREATE TRIGGER grants_user_keys
    BEFORE INSERT OR UPDATE OF user_id, u_last, u_first, u_created, u_enabled
    ON grants FOR EACH ROW EXECUTE FUNCTION ad_grant_user_keys();

-- A user's keys change: their grants' copies follow, in the same
-- statement's transaction (set-based, for a load that renames many).
CREATE FUNCTION ad_users_grant_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE grants g SET u_last = n.last_name, u_first = n.first_name,
        u_created = n.created_at, u_enabled = n.enabled
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE g.user_id = n.id
      AND (n.last_name, n.first_name, n.created_at, n.enabled)
          IS DISTINCT FROM (o.last_name, o.first_name, o.created_at, o.enabled);
    RETURN NULL;
END $$;

CREATE TRIGGER users_grant_keys AFTER UPDATE ON users
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_users_grant_keys();

-- The narrow operator's pages, one index per sort of the user's own
-- columns (name, Date Added, Status; each then the user's id).
CREATE INDEX grants_org_name ON grants (org_id, u_last, u_first, user_id);
CREATE INDEX grants_org_created ON grants (org_id, u_created, user_id);
CREATE INDEX grants_org_status
    ON grants (org_id, u_enabled, u_last, u_first, user_id);

-- Users with no grant, in each sort's order, for an operator who sees them
-- (users.view over a root) without seeing everything. The users row says
-- it: no grant, no organisation codes (006).
CREATE INDEX users_no_grant_name ON users (last_name, first_name, id)
    WHERE org_codes = '';
CREATE INDEX users_no_grant_created ON users (created_at, id)
    WHERE org_codes = '';
CREATE INDEX users_no_grant_status ON users (enabled, last_name, first_name, id)
    WHERE org_codes = '';
