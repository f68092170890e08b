-- 003_invariants.sql: the database refuses what breaks an invariant of
-- access-model.md section 1, with a clear message and its own SQLSTATE
-- (class AD, "accessdesk"), so that a bug in any client cannot store a state
-- the engine would decide on wrongly.
--
--   AD001  organisation parent link would make a cycle
--   AD002  cluster member is not a strict descendant of the cluster's owner
--   AD003  moving an organisation would take a cluster member out of its
--          owner's subtree
--   AD004  a grant selects a cluster owned by another organisation
--   AD005  a cluster that a grant selects cannot be deleted
--   AD006  a role of the wrong domain (grant: organisation; profile, study
--          entry: study)
--   AD007  a role's action of the other domain
--   AD008  built-in roles (and their actions) cannot be created, changed or
--          deleted
--   AD009  a custom role may not take a built-in role's name
--   AD010  a role with no action (checked at commit)
--   AD011  a grant with no role (checked at commit)
--   AD012  a study's site / a site restriction's site is not a site
--          (is_site), or a site in use would stop being one
--   AD013  users are never deleted
--   AD014  an organisation that anything depends on cannot be deleted
--   AD015  the action and payment type catalogue is read-only
--   AD017  a custom role in use cannot be deleted
--   AD018  the settings row cannot be deleted
-- (AD016, audit is append-only, is in 004_audit_notify.sql.)
--
-- Checks that read the organisation tree walk it with SELECT ... FOR SHARE,
-- so that two concurrent transactions cannot each pass its check and
-- together break the invariant (e.g. two moves that together make a cycle):
-- the second waits for the first and then, under READ COMMITTED, sees its
-- result (under REPEATABLE READ or SERIALIZABLE it gets a serialization
-- failure to retry). Checks made after the change are DEFERRABLE INITIALLY
-- IMMEDIATE constraint triggers that re-read the stored state: a multi-step
-- reorganisation may SET CONSTRAINTS ALL DEFERRED and is checked at commit
-- (the cycle check too: a cycle never survives a commit). Being AFTER
-- triggers, they also see the result of the whole statement: one UPDATE may
-- swap two organisations' places.
-- "A role needs an action" and "a grant needs a role" are INITIALLY DEFERRED:
-- a role or grant is created first and its items after, in one transaction.
--
-- Every change of a row that a screen edits bumps its version (the
-- stale-screen check): organisations, roles, clusters, users, studies,
-- settings. An UPDATE that changes nothing still bumps it, so a client may
-- "touch" a row (UPDATE t SET version = version ...) when its list items
-- (members, actions) change.

-- ---- helpers --------------------------------------------------------------

CREATE FUNCTION ad_org_code(p_id bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT code FROM organisations WHERE id = p_id),
                    '#' || p_id::text)
$$;

CREATE FUNCTION ad_grant_label(p_grant bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT format('grant of "%s" at "%s"', u.login, o.code)
           FROM grants g
           JOIN users u ON u.id = g.user_id
           JOIN organisations o ON o.id = g.org_id
          WHERE g.id = p_grant),
        'grant #' || p_grant::text)
$$;

-- Is organisation p_member a strict descendant of p_owner? Walks up from
-- p_member, locking each organisation on the way (see the header). A cycle
-- met on the way (possible only while the cycle check is deferred) is an
-- error, not an endless walk.
CREATE FUNCTION ad_org_is_strict_descendant(p_member bigint, p_owner bigint)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    cur  bigint;
    seen bigint[] := ARRAY[p_member];
BEGIN
    SELECT parent_id INTO cur FROM organisations WHERE id = p_member FOR SHARE;
    WHILE cur IS NOT NULL LOOP
        IF cur = p_owner THEN
            RETURN true;
        END IF;
        IF cur = ANY (seen) THEN
            RAISE EXCEPTION 'organisation "%": parent link to "%" makes a cycle',
                ad_org_code(seen[cardinality(seen)]), ad_org_code(cur)
                USING ERRCODE = 'AD001';
        END IF;
        seen := seen || cur;
        SELECT parent_id INTO cur FROM organisations WHERE id = cur FOR SHARE;
    END LOOP;
    RETURN false;
END
$$;

-- ---- version --------------------------------------------------------------

CREATE FUNCTION ad_bump_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;

CREATE TRIGGER organisations_version BEFORE UPDATE ON organisations
    FOR EACH ROW EXECUTE FUNCTION ad_bump_version();
CREATE TRIGGER roles_version BEFORE UPDATE ON roles
    FOR EACH ROW EXECUTE FUNCTION ad_bump_version();
CREATE TRIGGER clusters_version BEFORE UPDATE ON clusters
    FOR EACH ROW EXECUTE FUNCTION ad_bump_version();
CREATE TRIGGER users_version BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION ad_bump_version();
CREATE TRIGGER studies_version BEFORE UPDATE ON studies
    FOR EACH ROW EXECUTE FUNCTION ad_bump_version();
CREATE TRIGGER settings_version BEFORE UPDATE ON settings
    FOR EACH ROW EXECUTE FUNCTION ad_bump_version();

-- ---- organisations: no cycle ----------------------------------------------
-- Checked after the statement (so one UPDATE may swap two organisations'
-- places), on the stored state: walk up from the organisation; meeting it
-- again is a cycle.

CREATE FUNCTION ad_org_no_cycle() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    me   record;
    cur  bigint;
    seen bigint[];
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id THEN
        RETURN NULL;
    END IF;
    SELECT id, code, parent_id INTO me FROM organisations WHERE id = NEW.id;
    IF NOT FOUND OR me.parent_id IS NULL THEN
        RETURN NULL;
    END IF;
    seen := ARRAY[me.id];
    cur := me.parent_id;
    WHILE cur IS NOT NULL LOOP
        IF cur = me.id THEN
            RAISE EXCEPTION 'organisation "%": parent link to "%" would make a cycle',
                me.code, ad_org_code(me.parent_id)
                USING ERRCODE = 'AD001',
                      HINT = 'An organisation cannot be placed under itself or one of its descendants.';
        END IF;
        IF cur = ANY (seen) THEN
            -- a cycle above us that does not contain us: the check of one of
            -- its own organisations names it
            RAISE EXCEPTION 'organisation "%": its ancestor "%" is in a cycle',
                me.code, ad_org_code(cur)
                USING ERRCODE = 'AD001';
        END IF;
        seen := seen || cur;
        SELECT parent_id INTO cur FROM organisations WHERE id = cur FOR SHARE;
    END LOOP;
    RETURN NULL;
END
$$;

-- (named to fire before organisations_move_keeps_members: triggers of one
-- event fire in name order)
CREATE CONSTRAINT TRIGGER organisations_acyclic
    AFTER INSERT OR UPDATE OF parent_id ON organisations
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_org_no_cycle();

-- ---- organisations: a move keeps every cluster member below its owner -----

CREATE FUNCTION ad_org_move_keeps_members() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id THEN
        RETURN NULL;
    END IF;
    -- Every membership of an organisation in the moved subtree.
    FOR r IN
        WITH RECURSIVE sub (id) AS (
            SELECT NEW.id
            UNION
            SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id
        )
        SELECT c.short_name, c.owner_id, cm.org_id
          FROM cluster_members cm
          JOIN sub ON sub.id = cm.org_id
          JOIN clusters c ON c.id = cm.cluster_id
         ORDER BY c.id, cm.position, cm.org_id
    LOOP
        IF NOT ad_org_is_strict_descendant(r.org_id, r.owner_id) THEN
            RAISE EXCEPTION 'organisation "%": the move would take "%", a member of cluster %, out of its owner "%"',
                NEW.code, ad_org_code(r.org_id), r.short_name,
                ad_org_code(r.owner_id)
                USING ERRCODE = 'AD003',
                      HINT = 'Remove the member from the cluster first.';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER organisations_move_keeps_members
    AFTER UPDATE OF parent_id ON organisations
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_org_move_keeps_members();

-- ---- organisations: a site in use stays a site ----------------------------

CREATE FUNCTION ad_org_site_in_use() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    n_studies  bigint;
    n_restrict bigint;
BEGIN
    IF NEW.is_site OR NOT OLD.is_site THEN
        RETURN NULL;
    END IF;
    -- re-read: a deferred check sees the state at commit
    IF NOT EXISTS (SELECT 1 FROM organisations WHERE id = NEW.id AND NOT is_site) THEN
        RETURN NULL;
    END IF;
    SELECT count(*) INTO n_studies FROM studies WHERE site_id = NEW.id;
    SELECT count(*) INTO n_restrict FROM site_restrictions WHERE site_id = NEW.id;
    IF n_studies > 0 OR n_restrict > 0 THEN
        RAISE EXCEPTION 'organisation "%" must stay a site: it is the site of % %, and of % site %',
            NEW.code, n_studies, CASE WHEN n_studies = 1 THEN 'study' ELSE 'studies' END,
            n_restrict, CASE WHEN n_restrict = 1 THEN 'restriction' ELSE 'restrictions' END
            USING ERRCODE = 'AD012';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER organisations_site_in_use
    AFTER UPDATE OF is_site ON organisations
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_org_site_in_use();

-- ---- organisations: nothing depends on a deleted one ----------------------

CREATE FUNCTION ad_org_delete_unused() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parts text[] := '{}';
    n     bigint;
BEGIN
    SELECT count(*) INTO n FROM organisations WHERE parent_id = OLD.id;
    IF n > 0 THEN
        parts := parts || format('%s child %s', n,
            CASE WHEN n = 1 THEN 'organisation' ELSE 'organisations' END);
    END IF;
    SELECT count(*) INTO n FROM grants WHERE org_id = OLD.id;
    IF n > 0 THEN
        parts := parts || format('%s %s', n, CASE WHEN n = 1 THEN 'grant' ELSE 'grants' END);
    END IF;
    SELECT count(*) INTO n FROM clusters WHERE owner_id = OLD.id;
    IF n > 0 THEN
        parts := parts || format('%s %s', n,
            CASE WHEN n = 1 THEN 'cluster it owns' ELSE 'clusters it owns' END);
    END IF;
    SELECT count(*) INTO n FROM cluster_members WHERE org_id = OLD.id;
    IF n > 0 THEN
        parts := parts || format('%s cluster %s', n,
            CASE WHEN n = 1 THEN 'membership' ELSE 'memberships' END);
    END IF;
    SELECT count(*) INTO n FROM studies WHERE site_id = OLD.id;
    IF n > 0 THEN
        parts := parts || format('%s %s', n, CASE WHEN n = 1 THEN 'study' ELSE 'studies' END);
    END IF;
    SELECT count(*) INTO n FROM site_restrictions WHERE site_id = OLD.id;
    IF n > 0 THEN
        parts := parts || format('%s site %s', n,
            CASE WHEN n = 1 THEN 'restriction' ELSE 'restrictions' END);
    END IF;
    IF cardinality(parts) > 0 THEN
        RAISE EXCEPTION 'organisation "%" cannot be deleted: it has %',
            OLD.code, array_to_string(parts, ', ')
            USING ERRCODE = 'AD014';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER organisations_delete_unused BEFORE DELETE ON organisations
    FOR EACH ROW EXECUTE FUNCTION ad_org_delete_unused();

-- ---- clusters: members are strict descendants of the owner ----------------

-- The membership (p_cluster, p_org), if it still exists, is valid.
CREATE FUNCTION ad_check_member(p_cluster bigint, p_org bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM cluster_members
                    WHERE cluster_id = p_cluster AND org_id = p_org) THEN
        RETURN;
    END IF;
    SELECT short_name, owner_id INTO c FROM clusters WHERE id = p_cluster FOR SHARE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF NOT ad_org_is_strict_descendant(p_org, c.owner_id) THEN
        RAISE EXCEPTION 'cluster %: member "%" is not below the cluster''s owner "%"',
            c.short_name, ad_org_code(p_org), ad_org_code(c.owner_id)
            USING ERRCODE = 'AD002',
                  HINT = 'A cluster''s members are strict descendants of its owner.';
    END IF;
END
$$;

CREATE FUNCTION ad_cluster_member_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_check_member(NEW.cluster_id, NEW.org_id);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER cluster_members_below_owner
    AFTER INSERT OR UPDATE ON cluster_members
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_cluster_member_check();

-- A grant's selected cluster, if still selected, is owned by the grant's
-- organisation.
CREATE FUNCTION ad_check_grant_cluster(p_grant bigint, p_cluster bigint)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    c     record;
    g_org bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM grant_clusters
                    WHERE grant_id = p_grant AND cluster_id = p_cluster) THEN
        RETURN;
    END IF;
    SELECT org_id INTO g_org FROM grants WHERE id = p_grant FOR SHARE;
    SELECT short_name, owner_id INTO c FROM clusters WHERE id = p_cluster FOR SHARE;
    IF g_org IS NULL OR c.owner_id IS NULL THEN
        RETURN;
    END IF;
    IF c.owner_id <> g_org THEN
        RAISE EXCEPTION '%: cannot select cluster %, owned by "%"',
            ad_grant_label(p_grant), c.short_name, ad_org_code(c.owner_id)
            USING ERRCODE = 'AD004',
                  HINT = 'A grant selects only clusters owned by its organisation.';
    END IF;
END
$$;

-- Owner change: every member below the new owner, every selecting grant at it.
CREATE FUNCTION ad_cluster_owner_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF NEW.owner_id IS NOT DISTINCT FROM OLD.owner_id THEN
        RETURN NULL;
    END IF;
    FOR r IN SELECT org_id FROM cluster_members WHERE cluster_id = NEW.id
              ORDER BY position, org_id LOOP
        PERFORM ad_check_member(NEW.id, r.org_id);
    END LOOP;
    FOR r IN SELECT grant_id FROM grant_clusters WHERE cluster_id = NEW.id
              ORDER BY grant_id LOOP
        PERFORM ad_check_grant_cluster(r.grant_id, NEW.id);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER clusters_owner_consistent
    AFTER UPDATE OF owner_id ON clusters
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_cluster_owner_check();

-- A cluster that any grant selects cannot be deleted: removing the selection
-- would silently widen those users' access.
CREATE FUNCTION ad_cluster_delete_unused() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    logins text;
BEGIN
    SELECT string_agg(DISTINCT u.login, ', ' ORDER BY u.login) INTO logins
      FROM grant_clusters gc
      JOIN grants g ON g.id = gc.grant_id
      JOIN users u ON u.id = g.user_id
     WHERE gc.cluster_id = OLD.id;
    IF logins IS NOT NULL THEN
        RAISE EXCEPTION 'cluster % cannot be deleted: the grants of % select it',
            OLD.short_name, logins
            USING ERRCODE = 'AD005',
                  HINT = 'Removing the selection would widen those users'' access: change their grants first.';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER clusters_delete_unused BEFORE DELETE ON clusters
    FOR EACH ROW EXECUTE FUNCTION ad_cluster_delete_unused();

-- ---- grants: selected clusters owned by the grant's organisation ----------

CREATE FUNCTION ad_grant_cluster_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_check_grant_cluster(NEW.grant_id, NEW.cluster_id);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER grant_clusters_owned
    AFTER INSERT OR UPDATE ON grant_clusters
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_grant_cluster_check();

CREATE FUNCTION ad_grant_org_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF NEW.org_id IS NOT DISTINCT FROM OLD.org_id THEN
        RETURN NULL;
    END IF;
    FOR r IN SELECT cluster_id FROM grant_clusters WHERE grant_id = NEW.id
              ORDER BY position, cluster_id LOOP
        PERFORM ad_check_grant_cluster(NEW.id, r.cluster_id);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER grants_clusters_owned
    AFTER UPDATE OF org_id ON grants
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_grant_org_check();

-- ---- roles of the right domain --------------------------------------------

-- NULL when role p_role is of domain p_want, else what is wrong with it (the
-- caller names the holder: only on error, so the common case stays cheap).
CREATE FUNCTION ad_role_domain_error(p_role integer, p_want text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    SELECT name, domain INTO r FROM roles WHERE id = p_role FOR SHARE;
    IF FOUND AND r.domain <> p_want THEN
        RETURN format('role "%s" belongs to the %s domain, not the %s domain',
                      r.name, r.domain, p_want);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION ad_raise_role_domain(p_where text, p_error text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%: %', p_where, p_error
        USING ERRCODE = 'AD006',
              HINT = 'A grant takes organisation-domain roles; profile roles and study access entries take study-domain roles.';
END
$$;

CREATE FUNCTION ad_grant_role_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    err text;
BEGIN
    IF EXISTS (SELECT 1 FROM grant_roles
                WHERE grant_id = NEW.grant_id AND role_id = NEW.role_id) THEN
        err := ad_role_domain_error(NEW.role_id, 'organisation');
        IF err IS NOT NULL THEN
            PERFORM ad_raise_role_domain(ad_grant_label(NEW.grant_id), err);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER grant_roles_domain
    AFTER INSERT OR UPDATE ON grant_roles
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_grant_role_check();

CREATE FUNCTION ad_profile_role_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    err text;
BEGIN
    IF EXISTS (SELECT 1 FROM profile_roles
                WHERE user_id = NEW.user_id AND role_id = NEW.role_id) THEN
        err := ad_role_domain_error(NEW.role_id, 'study');
        IF err IS NOT NULL THEN
            PERFORM ad_raise_role_domain(
                format('profile of "%s"',
                       (SELECT login FROM users WHERE id = NEW.user_id)), err);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER profile_roles_domain
    AFTER INSERT OR UPDATE ON profile_roles
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_profile_role_check();

CREATE FUNCTION ad_study_access_role_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cur integer;
    err text;
BEGIN
    SELECT role_id INTO cur FROM study_access
     WHERE study_id = NEW.study_id AND user_id = NEW.user_id;
    IF cur IS NOT NULL THEN
        err := ad_role_domain_error(cur, 'study');
        IF err IS NOT NULL THEN
            PERFORM ad_raise_role_domain(
                format('study "%s", entry of "%s"',
                       (SELECT code FROM studies WHERE id = NEW.study_id),
                       (SELECT login FROM users WHERE id = NEW.user_id)), err);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER study_access_role_domain
    AFTER INSERT OR UPDATE ON study_access
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_study_access_role_check();

-- ---- role actions of the role's domain ------------------------------------

CREATE FUNCTION ad_check_role_action(p_role integer, p_action text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    r        record;
    a_domain text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM role_actions
                    WHERE role_id = p_role AND action = p_action) THEN
        RETURN;
    END IF;
    SELECT name, domain INTO r FROM roles WHERE id = p_role FOR SHARE;
    SELECT domain INTO a_domain FROM actions WHERE name = p_action;
    IF r.domain IS NOT NULL AND a_domain IS NOT NULL AND r.domain <> a_domain THEN
        RAISE EXCEPTION 'role "%" belongs to the % domain: action "%" belongs to the % domain',
            r.name, r.domain, p_action, a_domain
            USING ERRCODE = 'AD007',
                  HINT = 'A role''s actions are all of the role''s domain.';
    END IF;
END
$$;

CREATE FUNCTION ad_role_action_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_check_role_action(NEW.role_id, NEW.action);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER role_actions_domain
    AFTER INSERT OR UPDATE ON role_actions
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_role_action_check();

-- A custom role's domain change: its actions and every use must follow.
CREATE FUNCTION ad_role_domain_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r   record;
    err text;
BEGIN
    IF NEW.domain IS NOT DISTINCT FROM OLD.domain THEN
        RETURN NULL;
    END IF;
    FOR r IN SELECT action FROM role_actions WHERE role_id = NEW.id ORDER BY action LOOP
        PERFORM ad_check_role_action(NEW.id, r.action);
    END LOOP;
    IF NEW.domain = 'study' THEN
        FOR r IN SELECT grant_id FROM grant_roles WHERE role_id = NEW.id
                  ORDER BY grant_id LIMIT 1 LOOP
            err := ad_role_domain_error(NEW.id, 'organisation');
            IF err IS NOT NULL THEN
                PERFORM ad_raise_role_domain(ad_grant_label(r.grant_id), err);
            END IF;
        END LOOP;
    ELSE
        FOR r IN SELECT u.login FROM profile_roles p JOIN users u ON u.id = p.user_id
                  WHERE p.role_id = NEW.id ORDER BY u.login LIMIT 1 LOOP
            err := ad_role_domain_error(NEW.id, 'study');
            IF err IS NOT NULL THEN
                PERFORM ad_raise_role_domain(format('profile of "%s"', r.login), err);
            END IF;
        END LOOP;
        FOR r IN SELECT s.code, u.login FROM study_access e
                   JOIN studies s ON s.id = e.study_id
                   JOIN users u ON u.id = e.user_id
                  WHERE e.role_id = NEW.id ORDER BY s.code, u.login LIMIT 1 LOOP
            err := ad_role_domain_error(NEW.id, 'study');
            IF err IS NOT NULL THEN
                PERFORM ad_raise_role_domain(
                    format('study "%s", entry of "%s"', r.code, r.login), err);
            END IF;
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER roles_domain_consistent
    AFTER UPDATE OF domain ON roles
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_role_domain_change();

-- ---- built-in roles -------------------------------------------------------

CREATE FUNCTION ad_role_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    parts text[] := '{}';
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.builtin THEN
            RAISE EXCEPTION 'role "%" is a built-in role: it cannot be deleted', OLD.name
                USING ERRCODE = 'AD008';
        END IF;
        SELECT count(*) INTO n FROM grant_roles WHERE role_id = OLD.id;
        IF n > 0 THEN
            parts := parts || format('%s %s', n, CASE WHEN n = 1 THEN 'grant' ELSE 'grants' END);
        END IF;
        SELECT count(*) INTO n FROM profile_roles WHERE role_id = OLD.id;
        IF n > 0 THEN
            parts := parts || format('%s %s', n, CASE WHEN n = 1 THEN 'profile' ELSE 'profiles' END);
        END IF;
        SELECT count(*) INTO n FROM study_access WHERE role_id = OLD.id;
        IF n > 0 THEN
            parts := parts || format('%s study access %s', n,
                CASE WHEN n = 1 THEN 'entry' ELSE 'entries' END);
        END IF;
        IF cardinality(parts) > 0 THEN
            RAISE EXCEPTION 'role "%" cannot be deleted: it is used by %',
                OLD.name, array_to_string(parts, ', ')
                USING ERRCODE = 'AD017';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.builtin THEN
        RAISE EXCEPTION 'role "%" is a built-in role: it cannot be changed', OLD.name
            USING ERRCODE = 'AD008';
    END IF;
    IF NEW.builtin THEN
        RAISE EXCEPTION 'role "%": built-in roles are created by migrations only', NEW.name
            USING ERRCODE = 'AD008';
    END IF;
    IF (TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name)
       AND EXISTS (SELECT 1 FROM roles WHERE builtin AND name = NEW.name) THEN
        RAISE EXCEPTION 'role "%" is a built-in role: a custom role may not take its name', NEW.name
            USING ERRCODE = 'AD009';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER roles_guard BEFORE INSERT OR UPDATE OR DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION ad_role_guard();

CREATE FUNCTION ad_roles_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'built-in roles cannot be deleted (TRUNCATE roles refused)'
        USING ERRCODE = 'AD008';
END
$$;

CREATE TRIGGER roles_no_truncate BEFORE TRUNCATE ON roles
    FOR EACH STATEMENT EXECUTE FUNCTION ad_roles_no_truncate();

CREATE FUNCTION ad_role_actions_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    rname text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT name INTO rname FROM roles WHERE id = OLD.role_id AND builtin;
    END IF;
    IF rname IS NULL AND TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT name INTO rname FROM roles WHERE id = NEW.role_id AND builtin;
    END IF;
    IF rname IS NOT NULL THEN
        RAISE EXCEPTION 'role "%" is a built-in role: its actions cannot be changed', rname
            USING ERRCODE = 'AD008';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER role_actions_guard BEFORE INSERT OR UPDATE OR DELETE ON role_actions
    FOR EACH ROW EXECUTE FUNCTION ad_role_actions_guard();

-- ---- a role has an action, a grant has a role (at commit) -----------------

CREATE FUNCTION ad_check_role_has_action(p_role integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    rname text;
BEGIN
    SELECT name INTO rname FROM roles WHERE id = p_role;
    IF rname IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM role_actions WHERE role_id = p_role) THEN
        RAISE EXCEPTION 'role "%" has no action: a role needs at least one', rname
            USING ERRCODE = 'AD010';
    END IF;
END
$$;

CREATE FUNCTION ad_role_has_action() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'roles' THEN
        PERFORM ad_check_role_has_action(NEW.id);
    ELSE
        PERFORM ad_check_role_has_action(OLD.role_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER roles_have_actions
    AFTER INSERT ON roles
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ad_role_has_action();
CREATE CONSTRAINT TRIGGER role_actions_not_last
    AFTER UPDATE OR DELETE ON role_actions
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ad_role_has_action();

CREATE FUNCTION ad_check_grant_has_role(p_grant bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM grants WHERE id = p_grant)
       AND NOT EXISTS (SELECT 1 FROM grant_roles WHERE grant_id = p_grant) THEN
        RAISE EXCEPTION '% has no role: a grant needs at least one',
            ad_grant_label(p_grant)
            USING ERRCODE = 'AD011',
                  HINT = 'Revoke the grant instead of removing its last role.';
    END IF;
END
$$;

CREATE FUNCTION ad_grant_has_role() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'grants' THEN
        PERFORM ad_check_grant_has_role(NEW.id);
    ELSE
        PERFORM ad_check_grant_has_role(OLD.grant_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER grants_have_roles
    AFTER INSERT ON grants
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ad_grant_has_role();
CREATE CONSTRAINT TRIGGER grant_roles_not_last
    AFTER UPDATE OR DELETE ON grant_roles
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ad_grant_has_role();

-- ---- sites ----------------------------------------------------------------

-- Raises unless organisation p_org is a site; p_where names the holder.
CREATE FUNCTION ad_check_is_site(p_org bigint, p_where text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    o record;
BEGIN
    SELECT code, is_site INTO o FROM organisations WHERE id = p_org FOR SHARE;
    IF FOUND AND NOT o.is_site THEN
        RAISE EXCEPTION '%: organisation "%" is not a site', p_where, o.code
            USING ERRCODE = 'AD012';
    END IF;
END
$$;

CREATE FUNCTION ad_study_site_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    s record;
BEGIN
    SELECT code, site_id INTO s FROM studies WHERE id = NEW.id;
    IF FOUND THEN
        PERFORM ad_check_is_site(s.site_id, format('study "%s"', s.code));
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER studies_site_is_site
    AFTER INSERT OR UPDATE OF site_id ON studies
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_study_site_check();

CREATE FUNCTION ad_site_restriction_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM site_restrictions
                WHERE user_id = NEW.user_id AND site_id = NEW.site_id) THEN
        PERFORM ad_check_is_site(NEW.site_id,
            format('site restriction of "%s"',
                   (SELECT login FROM users WHERE id = NEW.user_id)));
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER site_restrictions_is_site
    AFTER INSERT OR UPDATE ON site_restrictions
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION ad_site_restriction_check();

-- ---- users are never deleted ----------------------------------------------

CREATE FUNCTION ad_users_never_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        RAISE EXCEPTION 'user "%" cannot be deleted: users are never deleted', OLD.login
            USING ERRCODE = 'AD013',
                  HINT = 'Revoke the user''s grants or disable the user.';
    END IF;
    RAISE EXCEPTION 'users cannot be deleted: users are never deleted (TRUNCATE users refused)'
        USING ERRCODE = 'AD013';
END
$$;

CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION ad_users_never_deleted();
CREATE TRIGGER users_never_truncated BEFORE TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION ad_users_never_deleted();

-- ---- settings: the one row stays ------------------------------------------

CREATE FUNCTION ad_settings_stay() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the settings row cannot be deleted'
        USING ERRCODE = 'AD018';
END
$$;

CREATE TRIGGER settings_stay BEFORE DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION ad_settings_stay();

-- ---- the catalogue is read-only -------------------------------------------

CREATE FUNCTION ad_catalogue_read_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is read-only: the catalogue is created by migrations (% refused)',
        TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'AD015';
END
$$;

CREATE TRIGGER actions_read_only
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions
    FOR EACH STATEMENT EXECUTE FUNCTION ad_catalogue_read_only();
CREATE TRIGGER payment_types_read_only
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON payment_types
    FOR EACH STATEMENT EXECUTE FUNCTION ad_catalogue_read_only();

-- ---- pin the functions' search_path ---------------------------------------
-- A client's own search_path (or a temporary table of the same name as one of
-- ours) must not change what the checks read.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = current_schema()::regnamespace
                AND p.proname LIKE 'ad\_%'
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, current_schema());
    END LOOP;
END
$$;
