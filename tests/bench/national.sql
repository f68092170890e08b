-- national.sql: the NHS hierarchy as imported (7,936 organisations under
-- nhs) copied twelve times beside itself, each copy's codes prefixed "cNN."
-- (c01. to c12.), for benchmarks of national size: 103,169 organisations.
-- Run after `accessdesk db import-ods`, before `accessdesk db seed`.
BEGIN;
CREATE TEMP TABLE src AS
    WITH RECURSIVE t AS (
        SELECT id FROM organisations WHERE lower(code) = 'nhs' AND parent_id IS NULL
        UNION ALL SELECT o.id FROM organisations o JOIN t ON o.parent_id = t.id)
    SELECT o.id, o.code, o.name, o.parent_id, o.is_site
    FROM organisations o JOIN t USING (id) WHERE o.parent_id IS NOT NULL;
CREATE TEMP TABLE copies AS SELECT generate_series(1, 12) AS k;
-- every copy of every organisation, parents first (depth order)
INSERT INTO organisations (code, name, is_site)
SELECT format('c%s.%s', lpad(c.k::text, 2, '0'), s.code), s.name, s.is_site
FROM src s CROSS JOIN copies c;
UPDATE organisations o SET parent_id = coalesce(p.id, s.parent_id)
FROM src s CROSS JOIN copies c
LEFT JOIN src sp ON sp.id = s.parent_id
LEFT JOIN organisations p
    ON lower(p.code) = lower(format('c%s.%s', lpad(c.k::text, 2, '0'), sp.code))
WHERE lower(o.code) = lower(format('c%s.%s', lpad(c.k::text, 2, '0'), s.code));
COMMIT;
ANALYZE organisations;
SELECT count(*) AS organisations FROM organisations;
