-- 005_snapshots.sql: readable snapshots of an entity, for the audit's
-- before and after (codes and names, not only ids), built by the database
-- so every writer records the same shape.

CREATE FUNCTION user_snapshot(uid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object(
    'login', u.login, 'title', u.title,
    'first_name', u.first_name, 'last_name', u.last_name,
    'email', u.email, 'work_phone', u.work_phone,
    'mobile_phone', u.mobile_phone, 'enabled', u.enabled,
    'grants', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
            'org', o.code, 'org_name', o.name,
            'roles', coalesce((SELECT jsonb_agg(r.name ORDER BY gr.position)
                               FROM grant_roles gr JOIN roles r ON r.id = gr.role_id
                               WHERE gr.grant_id = g.id), '[]'),
            'payment_types', coalesce((SELECT jsonb_agg(gp.payment_type ORDER BY pt.position)
                               FROM grant_payment_types gp
                               JOIN payment_types pt ON pt.code = gp.payment_type
                               WHERE gp.grant_id = g.id), '[]'),
            'clusters', coalesce((SELECT jsonb_agg(c.short_name ORDER BY gc.position)
                               FROM grant_clusters gc JOIN clusters c ON c.id = gc.cluster_id
                               WHERE gc.grant_id = g.id), '[]'))
            ORDER BY g.id)
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

-- The organisations where the user holds a grant (what the change touched).
CREATE FUNCTION user_org_ids(uid bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
SELECT coalesce(array_agg(org_id ORDER BY id), '{}') FROM grants WHERE user_id = uid
$$;

CREATE FUNCTION organisation_snapshot(oid_ bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object('code', o.code, 'name', o.name, 'is_site', o.is_site,
                          'parent', p.code, 'parent_name', p.name)
FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
WHERE o.id = oid_
$$;

CREATE FUNCTION cluster_snapshot(cid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object('short_name', c.short_name, 'name', c.name,
    'description', c.description, 'owner', o.code, 'owner_name', o.name,
    'members', coalesce((SELECT jsonb_agg(m.code ORDER BY cm.position)
                         FROM cluster_members cm JOIN organisations m ON m.id = cm.org_id
                         WHERE cm.cluster_id = c.id), '[]'))
FROM clusters c JOIN organisations o ON o.id = c.owner_id
WHERE c.id = cid
$$;

CREATE FUNCTION study_snapshot(sid bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
SELECT jsonb_build_object('code', s.code, 'name', s.name, 'site', o.code,
    'user_access', coalesce((
        SELECT jsonb_agg(jsonb_build_object('user', u.login, 'role', r.name)
                         ORDER BY sa.position)
        FROM study_access sa JOIN users u ON u.id = sa.user_id
        LEFT JOIN roles r ON r.id = sa.role_id
        WHERE sa.study_id = s.id), '[]'))
FROM studies s JOIN organisations o ON o.id = s.site_id
WHERE s.id = sid
$$;
