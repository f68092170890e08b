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
-- "Name (C61A6DB801)", with a warning naming each, so that it migrates.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT id, short_name, name, owner_id
               FROM (SELECT id, short_name, name, owner_id,
                            row_number() OVER (PARTITION BY owner_id, lower(name COLLATE "C")
                                               ORDER BY id) AS n
                       FROM clusters) d
              WHERE n > 1 ORDER BY id
    LOOP
        UPDATE clusters
           SET name = left(c.name, 187) || ' (' || c.short_name || ')'
         WHERE id = c.id;
        RAISE WARNING 'cluster % of "%" was named "%" as another of its clusters: renamed "%"',
            c.short_name, ad_org_code(c.owner_id), c.name,
            left(c.name, 187) || ' (' || c.short_name || ')';
    END LOOP;
END
$$;

CREATE UNIQUE INDEX clusters_owner_name
    ON clusters (owner_id, lower(name COLLATE "C"));
-- Its leading column serves every look-up by owner that clusters_owner
-- served (a delete's dependants, the audit's organisations, the snapshot),
-- so that one goes: one index fewer to write per cluster.
DROP INDEX clusters_owner;
