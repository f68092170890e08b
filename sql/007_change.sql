-- 007_change.sql: what the one change path (src/store/change.c) and
-- `db load` write into the audit trail, built by the database so every
-- writer records the same shape.
--
-- An audit record names its target by kind and key:
--   user          login                     a user's details, profile, grants
--   grant         login/ORG                 one grant (grant set, grant revoke)
--   cluster       short name
--   study         code
--   organisation  code
--   role          name
--   settings      "settings"
-- For each kind, one function names the organisations the change touched
-- (access-model.md section 5, "read the audit trail"), and one the
-- readable snapshot for before and after. audit_org_ids and audit_snapshot
-- dispatch on the kind; an unknown kind is an error, never an empty list.

-- ---- the organisations a change touched ----------------------------------

-- Each organisation where the user holds a grant.
CREATE FUNCTION audit_orgs_user(p_login text) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(g.org_id ORDER BY g.id), '{}')
FROM users u JOIN grants g ON g.user_id = u.id WHERE u.login = p_login
$$;

-- The grant's organisation (there whether the grant is or not).
CREATE FUNCTION audit_orgs_grant(p_target text) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(o.id), '{}') FROM organisations o
WHERE lower(o.code) = lower(split_part(p_target, '/', 2))
$$;

-- The cluster's owner.
CREATE FUNCTION audit_orgs_cluster(p_short_name text) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(owner_id), '{}') FROM clusters
WHERE short_name = p_short_name
$$;

-- The study's site.
CREATE FUNCTION audit_orgs_study(p_code text) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(site_id), '{}') FROM studies WHERE code = p_code
$$;

-- The organisation itself.
CREATE FUNCTION audit_orgs_organisation(p_code text) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(id), '{}') FROM organisations
WHERE lower(code) = lower(p_code)
$$;

-- Every root: roles and settings belong to the whole tree.
CREATE FUNCTION audit_orgs_roots() RETURNS bigint[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM organisations
WHERE parent_id IS NULL
$$;

CREATE FUNCTION audit_org_ids(p_kind text, p_target text) RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    CASE p_kind
    WHEN 'user' THEN RETURN audit_orgs_user(p_target);
    WHEN 'grant' THEN RETURN audit_orgs_grant(p_target);
    WHEN 'cluster' THEN RETURN audit_orgs_cluster(p_target);
    WHEN 'study' THEN RETURN audit_orgs_study(p_target);
    WHEN 'organisation' THEN RETURN audit_orgs_organisation(p_target);
    WHEN 'role', 'settings' THEN RETURN audit_orgs_roots();
    ELSE
        RAISE EXCEPTION 'audit: unknown target kind "%"', p_kind
            USING ERRCODE = 'AD019';
    END CASE;
END
$$;

-- ---- snapshots ------------------------------------------------------------

-- A grant's roles, payment types and clusters, each in stored order: the
-- one definition the user's and the grant's snapshots share.
CREATE FUNCTION grant_items(p_grant bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object(
    'roles', coalesce((SELECT jsonb_agg(r.name ORDER BY gr.position)
                       FROM grant_roles gr JOIN roles r ON r.id = gr.role_id
                       WHERE gr.grant_id = p_grant), '[]'),
    'payment_types', coalesce((SELECT jsonb_agg(gp.payment_type ORDER BY pt.position)
                       FROM grant_payment_types gp
                       JOIN payment_types pt ON pt.code = gp.payment_type
                       WHERE gp.grant_id = p_grant), '[]'),
    'clusters', coalesce((SELECT jsonb_agg(c.short_name ORDER BY gc.position)
                       FROM grant_clusters gc JOIN clusters c ON c.id = gc.cluster_id
                       WHERE gc.grant_id = p_grant), '[]'))
$$;

CREATE FUNCTION grant_snapshot(p_target text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object('user', u.login, 'org', o.code, 'org_name', o.name)
       || grant_items(g.id)
FROM users u
JOIN grants g ON g.user_id = u.id
JOIN organisations o ON o.id = g.org_id
WHERE u.login = split_part(p_target, '/', 1)
  AND lower(o.code) = lower(split_part(p_target, '/', 2))
$$;

-- 005's user snapshot, its grants now through grant_items (same shape).
CREATE OR REPLACE FUNCTION user_snapshot(uid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object(
    'login', u.login, 'title', u.title,
    'first_name', u.first_name, 'last_name', u.last_name,
    'email', u.email, 'work_phone', u.work_phone,
    'mobile_phone', u.mobile_phone, 'enabled', u.enabled,
    'grants', coalesce((
        SELECT jsonb_agg(jsonb_build_object('org', o.code, 'org_name', o.name)
                         || grant_items(g.id) ORDER BY g.id)
        FROM grants g JOIN organisations o ON o.id = g.org_id
        WHERE g.user_id = u.id), '[]'),
    'profile_roles', coalesce((
        SELECT jsonb_agg(r.name ORDER BY p.position)
        FROM profile_roles p JOIN roles r ON r.id = p.role_id
        WHERE p.user_id = u.id), '[]'),
    'sites', coalesce((
        SELECT jsonb_agg(jsonb_build_object('site', o.code,
                         'recruitment_only', s.recruitment_only) ORDER BY s.position)
        FROM site_restrictions s JOIN organisations o ON o.id = s.site_id
        WHERE s.user_id = u.id), '[]'),
    'studies', coalesce((
        SELECT jsonb_agg(st.code ORDER BY rs.position)
        FROM restricted_studies rs JOIN studies st ON st.id = rs.study_id
        WHERE rs.user_id = u.id), '[]'))
FROM users u WHERE u.id = uid
$$;

CREATE FUNCTION role_snapshot(p_name text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object('name', r.name, 'domain', r.domain, 'reach', r.reach,
    'actions', coalesce((SELECT jsonb_agg(action ORDER BY action)
                         FROM role_actions WHERE role_id = r.id), '[]'))
FROM roles r WHERE r.name = p_name
$$;

CREATE FUNCTION audit_snapshot(p_kind text, p_target text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    CASE p_kind
    WHEN 'user' THEN
        RETURN user_snapshot((SELECT id FROM users WHERE login = p_target));
    WHEN 'grant' THEN RETURN grant_snapshot(p_target);
    WHEN 'cluster' THEN
        RETURN cluster_snapshot((SELECT id FROM clusters
                                 WHERE short_name = p_target));
    WHEN 'study' THEN
        RETURN study_snapshot((SELECT id FROM studies WHERE code = p_target));
    WHEN 'organisation' THEN
        RETURN organisation_snapshot((SELECT id FROM organisations
                                      WHERE lower(code) = lower(p_target)));
    WHEN 'role' THEN RETURN role_snapshot(p_target);
    WHEN 'settings' THEN
        RETURN (SELECT to_jsonb(s) - 'id' - 'version' FROM settings s);
    ELSE
        RAISE EXCEPTION 'audit: unknown target kind "%"', p_kind
            USING ERRCODE = 'AD019';
    END CASE;
END
$$;

-- One audit record: the after snapshot and the organisations touched are
-- read now; before and the organisations touched before were read by the
-- caller before the change was written.
CREATE FUNCTION audit_record(p_operator text, p_action text, p_kind text,
                             p_target text, p_before jsonb,
                             p_before_orgs bigint[]) RETURNS void
LANGUAGE sql AS $$
INSERT INTO audit (operator, action, target_kind, target, before, after, org_ids)
SELECT p_operator, p_action, p_kind, p_target, p_before,
       audit_snapshot(p_kind, p_target),
       -- each once, in the order touched: before's, then after's new ones
       ARRAY(SELECT x FROM unnest(coalesce(p_before_orgs, '{}')
                                  || audit_org_ids(p_kind, p_target))
                           WITH ORDINALITY AS t(x, n)
             GROUP BY x ORDER BY min(n))
$$;

-- The latest change to a user, whether of its details or of one grant
-- (the stale-form message names who made it and when).
CREATE INDEX audit_user_changes ON audit ((split_part(target, '/', 1)), id)
    WHERE target_kind IN ('user', 'grant');
