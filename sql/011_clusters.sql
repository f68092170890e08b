-- 011_clusters.sql: the Service Provider Clusters tab (screens.md "3
-- Service Provider Clusters").
--
-- A cluster's name is unique among its owner's clusters, compared in
-- either case of the ASCII letters (screens.md: "Name (unique among the
-- owner's clusters)"; lower() under the "C" collation folds A-Z alone,
-- as the policy loader's and the console's comparisons do, whatever the
-- database's locale).
-- The save checks it first to name the cluster that holds the name
-- (store_cluster_save); this index is the backstop for two saves at once,
-- and it serves the owner's list in its order (store_cluster_list).
--
-- A database that an older binary filled may hold two clusters of one
-- owner named alike: the later ones (by id) get their short name added,
-- "Name (C61A6DB801)", with a warning naming each and an audit record, so
-- that it migrates. (Short names are unique, so the new name can clash
-- only with one an operator typed with a short name in brackets: the index
-- then refuses, naming both, and the migration stops unapplied.)
DO $$
DECLARE
    c record;
    renamed text;
    before jsonb;
BEGIN
    FOR c IN SELECT id, short_name, name, owner_id
               FROM (SELECT id, short_name, name, owner_id,
                            row_number() OVER (PARTITION BY owner_id,
                                                            lower(name COLLATE "C")
                                               ORDER BY id) AS n
                       FROM clusters) d
              WHERE n > 1 ORDER BY id
    LOOP
        renamed := left(c.name, 187) || ' (' || c.short_name || ')';
        before := audit_snapshot('cluster', c.short_name);
        UPDATE clusters SET name = renamed WHERE id = c.id;
        -- a change like any other: its audit record, by the migration
        PERFORM audit_record('migration 011', 'rename', 'cluster',
                             c.short_name, before,
                             audit_org_ids('cluster', c.short_name));
        RAISE WARNING 'cluster % of "%" was named "%" as another of its clusters: renamed "%"',
            c.short_name, ad_org_code(c.owner_id), c.name, renamed;
    END LOOP;
END
$$;

CREATE UNIQUE INDEX clusters_owner_name
    ON clusters (owner_id, lower(name COLLATE "C"));
-- Its leading column serves every look-up by owner that clusters_owner
-- served (a delete's dependants, the audit's organisations, the snapshot),
-- so that one goes: one index fewer to write per cluster.
DROP INDEX clusters_owner;
