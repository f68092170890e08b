-- 004_audit_notify.sql: the audit trail is append-only, the console's
-- database role, and change notifications.
--
--   AD016  audit is append-only (UPDATE, DELETE, TRUNCATE refused, for every
--          role including the owner and superusers; only a superuser or the
--          owner disabling the trigger could get past it)
--
-- Notifications (LISTEN in the console, the mailer):
--   accessdesk_changed       payload: the table's name; once per statement
--                            that wrote to a table of 001 (not audit), and
--                            delivered at commit, at most once per table per
--                            transaction
--   accessdesk_registration  payload: registration_emails.id of a new row

-- ---- append-only audit ----------------------------------------------------

CREATE FUNCTION ad_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit is append-only: % refused', TG_OP
        USING ERRCODE = 'AD016';
END
$$;

-- Statement level: refused even when no row matches.
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION ad_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION ad_audit_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC;

-- ---- the console's role ---------------------------------------------------
-- Created (NOLOGIN: a login role is made a member of it) when this migration
-- runs as a superuser or a CREATEROLE role and it does not exist yet; given
-- its privileges whenever it exists. The catalogue (actions, payment_types)
-- and any table not of 001 (e.g. the migrations table) are read-only to it;
-- audit is SELECT and INSERT only.
DO $$
DECLARE
    dml_tables text[] := ARRAY[
        'organisations', 'roles', 'role_actions', 'clusters',
        'cluster_members', 'users', 'grants', 'grant_roles',
        'grant_payment_types', 'grant_clusters', 'studies', 'study_access',
        'profile_roles', 'site_restrictions', 'restricted_studies',
        'settings', 'registration_emails'];
    t text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'accessdesk_console') THEN
        IF EXISTS (SELECT 1 FROM pg_roles
                    WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
            -- Roles belong to the whole cluster: another database's
            -- migration may create it at the same moment.
            BEGIN
                CREATE ROLE accessdesk_console NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        ELSE
            RAISE NOTICE 'role accessdesk_console not created (needs CREATEROLE): create it and run the grants of 004_audit_notify.sql by hand';
            RETURN;
        END IF;
    END IF;

    IF NOT has_schema_privilege('accessdesk_console', current_schema(), 'USAGE') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO accessdesk_console', current_schema());
    END IF;
    -- read access to every table of the schema (the migrations table too)
    FOR t IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = current_schema()::regnamespace
                AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
        EXECUTE format('GRANT SELECT ON %I TO accessdesk_console', t);
    END LOOP;
    FOREACH t IN ARRAY dml_tables LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO accessdesk_console', t);
    END LOOP;
    GRANT SELECT, INSERT ON audit TO accessdesk_console;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM accessdesk_console;
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO accessdesk_console',
                   current_schema());
END
$$;

-- ---- notifications --------------------------------------------------------

CREATE FUNCTION ad_notify_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('accessdesk_changed', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'organisations', 'roles', 'actions', 'role_actions', 'payment_types',
        'clusters', 'cluster_members', 'users', 'grants', 'grant_roles',
        'grant_payment_types', 'grant_clusters', 'studies', 'study_access',
        'profile_roles', 'site_restrictions', 'restricted_studies',
        'settings', 'registration_emails']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION ad_notify_changed()',
            t || '_notify', t);
    END LOOP;
END
$$;

CREATE FUNCTION ad_notify_registration() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('accessdesk_registration', NEW.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER registration_emails_queued AFTER INSERT ON registration_emails
    FOR EACH ROW EXECUTE FUNCTION ad_notify_registration();

-- ---- pin the new functions' search_path (as in 003) -----------------------
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = current_schema()::regnamespace
                AND p.proname IN ('ad_audit_append_only', 'ad_notify_changed',
                                  'ad_notify_registration')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, current_schema());
    END LOOP;
END
$$;
