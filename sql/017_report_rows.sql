-- 017_report_rows.sql: the Organisation / User report at the speed of the
-- disk. Each grant carries, beside its user's keys (015, 016), the rest of
-- its report row as the report prints it: its organisation's code and name,
-- the parent's, and its roles, payment types and clusters as text. An index
-- in the report's order holds every column, so the whole report is one
-- index-only scan written by COPY (src/store/report.c): no join, no
-- aggregate and no sort of 1.7 million rows.
--
-- The copies follow what they copy, by the triggers below: a grant's items
-- (grant_roles, grant_payment_types, grant_clusters, and the names of the
-- roles and clusters they name), and its organisation (code, name, parent).

ALTER TABLE grants
    ADD COLUMN o_code text NOT NULL DEFAULT '',
    ADD COLUMN o_name text NOT NULL DEFAULT '',
    ADD COLUMN p_code text NOT NULL DEFAULT '',
    ADD COLUMN p_name text NOT NULL DEFAULT '',
    ADD COLUMN r_roles text NOT NULL DEFAULT '',
    ADD COLUMN r_payment_types text NOT NULL DEFAULT '',
    ADD COLUMN r_clusters text NOT NULL DEFAULT '';

-- The items of the grants ids, as the report prints them: roles in the
-- grant's order joined by '; ', payment types in the catalogue's order and
-- clusters in the grant's order joined by ' '. Only rows that differ are
-- written. Set-based, so that one statement over a million grants (the
-- seed's, this migration's) aggregates each table once.
CREATE FUNCTION ad_grant_items(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    WITH g AS (SELECT DISTINCT x.id FROM unnest(ids) AS x(id)),
    ro AS (SELECT gr.grant_id,
                  string_agg(r.name, '; ' ORDER BY gr.position) AS v
             FROM grant_roles gr JOIN roles r ON r.id = gr.role_id
            WHERE gr.grant_id IN (SELECT id FROM g) GROUP BY gr.grant_id),
    pa AS (SELECT gp.grant_id,
                  string_agg(gp.payment_type, ' ' ORDER BY pt.position) AS v
             FROM grant_payment_types gp
             JOIN payment_types pt ON pt.code = gp.payment_type
            WHERE gp.grant_id IN (SELECT id FROM g) GROUP BY gp.grant_id),
    cl AS (SELECT gc.grant_id,
                  string_agg(c.short_name, ' ' ORDER BY gc.position) AS v
             FROM grant_clusters gc JOIN clusters c ON c.id = gc.cluster_id
            WHERE gc.grant_id IN (SELECT id FROM g) GROUP BY gc.grant_id),
    n AS (SELECT g.id, coalesce(ro.v, '') AS roles,
                 coalesce(pa.v, '') AS pays, coalesce(cl.v, '') AS clusters
            FROM g LEFT JOIN ro ON ro.grant_id = g.id
            LEFT JOIN pa ON pa.grant_id = g.id
            LEFT JOIN cl ON cl.grant_id = g.id)
    UPDATE grants t SET r_roles = n.roles, r_payment_types = n.pays,
        r_clusters = n.clusters
      FROM n
     WHERE t.id = n.id
       AND (t.r_roles, t.r_payment_types, t.r_clusters)
           IS DISTINCT FROM (n.roles, n.pays, n.clusters);
$$;

-- The organisation columns of the grants at the organisations ids.
CREATE FUNCTION ad_grant_orgs(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE grants t SET o_code = o.code, o_name = o.name,
        p_code = coalesce(p.code, ''), p_name = coalesce(p.name, '')
      FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
     WHERE o.id = ANY(ids) AND t.org_id = o.id
       AND (t.o_code, t.o_name, t.p_code, t.p_name)
           IS DISTINCT FROM (o.code, o.name, coalesce(p.code, ''),
                             coalesce(p.name, ''));
$$;

-- A grant's rows of grant_roles, grant_payment_types or grant_clusters
-- changed (each statement's, from its transition tables; a table has one
-- trigger per event, as transition tables need).
CREATE FUNCTION ad_grant_items_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ad_grant_items(ARRAY(SELECT grant_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ad_grant_items(ARRAY(SELECT grant_id FROM old_rows));
    ELSE
        PERFORM ad_grant_items(ARRAY(SELECT grant_id FROM new_rows
                                     UNION SELECT grant_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['grant_roles', 'grant_payment_types',
                             'grant_clusters'] LOOP
        EXECUTE format('CREATE TRIGGER %1$s_report_ins AFTER INSERT ON %1$s'
                       ' REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION ad_grant_items_changed()', t);
        EXECUTE format('CREATE TRIGGER %1$s_report_del AFTER DELETE ON %1$s'
                       ' REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION ad_grant_items_changed()', t);
        EXECUTE format('CREATE TRIGGER %1$s_report_upd AFTER UPDATE ON %1$s'
                       ' REFERENCING OLD TABLE AS old_rows'
                       ' NEW TABLE AS new_rows FOR EACH STATEMENT'
                       ' EXECUTE FUNCTION ad_grant_items_changed()', t);
    END LOOP;
END $$;

-- A role's or a cluster's name as the report prints it changed: the
-- grants that hold it.
CREATE FUNCTION ad_role_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_grant_items(ARRAY(
        SELECT gr.grant_id FROM grant_roles gr
          JOIN new_rows n ON n.id = gr.role_id
          JOIN old_rows o ON o.id = n.id WHERE o.name <> n.name));
    RETURN NULL;
END $$;
CREATE TRIGGER roles_report AFTER UPDATE ON roles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_role_renamed();

CREATE FUNCTION ad_cluster_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_grant_items(ARRAY(
        SELECT gc.grant_id FROM grant_clusters gc
          JOIN new_rows n ON n.id = gc.cluster_id
          JOIN old_rows o ON o.id = n.id
         WHERE o.short_name <> n.short_name));
    RETURN NULL;
END $$;
CREATE TRIGGER clusters_report AFTER UPDATE ON clusters
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_cluster_renamed();

-- An organisation's code, name or parent changed: its grants, and for its
-- code and name the grants at its children (their parent columns).
CREATE FUNCTION ad_orgs_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ad_grant_orgs(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE (o.code, o.name, o.parent_id)
               IS DISTINCT FROM (n.code, n.name, n.parent_id)
        UNION
        SELECT c.id FROM organisations c
          JOIN new_rows n ON n.id = c.parent_id
          JOIN old_rows o ON o.id = n.id
         WHERE (o.code, o.name) IS DISTINCT FROM (n.code, n.name)));
    RETURN NULL;
END $$;
CREATE TRIGGER organisations_report AFTER UPDATE ON organisations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ad_orgs_renamed();

-- Today's grants.
SELECT ad_grant_orgs(ARRAY(SELECT id FROM organisations));
SELECT ad_grant_items(ARRAY(SELECT id FROM grants));

-- A new grant, or one moved to another organisation: its organisation
-- columns (its items follow as they are inserted).
CREATE FUNCTION ad_grant_org_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT o.code, o.name, coalesce(p.code, ''), coalesce(p.name, '')
      INTO NEW.o_code, NEW.o_name, NEW.p_code, NEW.p_name
      FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
     WHERE o.id = NEW.org_id;
    RETURN NEW;
END $$;
CREATE TRIGGER grants_org_keys
    BEFORE INSERT OR UPDATE OF org_id, o_code, o_name, p_code, p_name
    ON grants FOR EACH ROW EXECUTE FUNCTION ad_grant_org_keys();

-- Whether a grant's report row fits in an index entry (a btree entry
-- holds at most 2,704 bytes; names of 200 characters of four bytes each
-- do not fit). Nearly every grant fits; the report reads those from
-- grants_report and sorts the few others (grants_report_long).
ALTER TABLE grants ADD COLUMN report_fits boolean GENERATED ALWAYS AS (
    octet_length(u_last) + octet_length(u_first) + octet_length(u_login)
    + octet_length(u_email) + octet_length(o_code) + octet_length(o_name)
    + octet_length(p_code) + octet_length(p_name) + octet_length(r_roles)
    + octet_length(r_payment_types) + octet_length(r_clusters) <= 2400)
    STORED;

CREATE INDEX grants_report
    ON grants (u_last, u_first, u_login, id)
    INCLUDE (u_email, u_enabled, u_created, o_code, o_name, p_code, p_name,
             r_roles, r_payment_types, r_clusters, org_id)
    WHERE report_fits;
CREATE INDEX grants_report_long ON grants (id) WHERE NOT report_fits;
