-- 006_user_list.sql: what the Users list sorts and searches on, kept in
-- the users row so that every sort is an index scan (keyset paging stays
-- fast with a million users). The organisation columns hold every grant's
-- organisation: the sort key of an operator who sees every grant. Anyone
-- else sorts on the same keys built from the grants they may see (the
-- list's statement, src/store/user_list.c), so hidden grants never shape a
-- sort; the list shows only those grants, with "+N not shown".

-- The sort keys below are not edits: a user's version (the stale-form
-- check) moves only when a column a form edits is written.
DROP TRIGGER users_version ON users;
CREATE TRIGGER users_version
    BEFORE UPDATE OF login, title, first_name, last_name, email, work_phone,
                     mobile_phone, unix_account, enabled, version ON users
    FOR EACH ROW EXECUTE FUNCTION ad_bump_version();

ALTER TABLE users
    ADD COLUMN org_codes    text NOT NULL DEFAULT '',
    ADD COLUMN org_names    text NOT NULL DEFAULT '',
    ADD COLUMN parent_names text NOT NULL DEFAULT '';

CREATE INDEX users_org_codes ON users (org_codes, id);
CREATE INDEX users_org_names ON users (org_names, id);
CREATE INDEX users_parent_names ON users (parent_names, id);
CREATE INDEX users_status ON users (enabled, last_name, first_name, id);
-- prefix searches (LIKE 'abc%') on lower-cased values
CREATE INDEX users_search_last ON users (lower(last_name) text_pattern_ops);
CREATE INDEX users_search_first ON users (lower(first_name) text_pattern_ops);
CREATE INDEX users_search_login ON users (login text_pattern_ops);
CREATE INDEX users_search_email ON users (lower(email) text_pattern_ops);
CREATE INDEX organisations_search_code ON organisations (lower(code) text_pattern_ops);

-- Recomputes the sort keys of the given users, set-based.
CREATE FUNCTION ad_user_list_keys(p_users bigint[]) RETURNS void
LANGUAGE sql AS $$
UPDATE users u SET
    org_codes = k.codes, org_names = k.names, parent_names = k.parents
FROM (
    SELECT x.uid,
        coalesce(string_agg(o.code, ', ' ORDER BY lower(o.code)), '') AS codes,
        coalesce(string_agg(o.name, ', ' ORDER BY lower(o.code)), '') AS names,
        coalesce(string_agg(coalesce(p.name, ''), ', ' ORDER BY lower(o.code))
                 FILTER (WHERE o.id IS NOT NULL), '') AS parents
    FROM unnest(p_users) AS x(uid)
    LEFT JOIN grants g ON g.user_id = x.uid
    LEFT JOIN organisations o ON o.id = g.org_id
    LEFT JOIN organisations p ON p.id = o.parent_id
    GROUP BY x.uid
) k
WHERE u.id = k.uid
  AND (u.org_codes, u.org_names, u.parent_names)
      IS DISTINCT FROM (k.codes, k.names, k.parents)
$$;

CREATE FUNCTION ad_grants_list_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ad_user_list_keys(ARRAY(SELECT DISTINCT user_id FROM new_rows));
    ELSE
        PERFORM ad_user_list_keys(ARRAY(SELECT DISTINCT user_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER grants_list_keys_ins AFTER INSERT ON grants
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_grants_list_keys();
CREATE TRIGGER grants_list_keys_del AFTER DELETE ON grants
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_grants_list_keys();

-- A renamed or moved organisation changes the keys of the users holding a
-- grant there or at one of its children.
CREATE FUNCTION ad_orgs_list_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_user_list_keys(ARRAY(
        SELECT DISTINCT g.user_id FROM grants g
        JOIN organisations o ON o.id = g.org_id
        JOIN new_rows n ON n.id = o.id OR n.id = o.parent_id
        JOIN old_rows d ON d.id = n.id
        WHERE (n.code, n.name, n.parent_id) IS DISTINCT FROM (d.code, d.name, d.parent_id)));
    RETURN NULL;
END $$;

CREATE TRIGGER organisations_list_keys AFTER UPDATE ON organisations
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_orgs_list_keys();

-- Users that exist already (a database migrated with data).
SELECT ad_user_list_keys(ARRAY(SELECT id FROM users));
