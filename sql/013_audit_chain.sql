-- 013_audit_chain.sql: the audit trail as a hash chain, and the indexes of
-- the Audit tab's filters.
--
-- Each record carries its place in the chain (seq: 1, 2, 3... in the order
-- the records were chained, which is the order their transactions took the
-- chain; ids are the order they were numbered, which concurrent writers
-- may cross), the hash of the record before it (prev_hash, NULL for the
-- first) and its own hash: SHA-256 of a canonical text of every column
-- but the hash itself (audit_hash). audit_head holds the last record's
-- place and hash, so a record added or removed at the end behind the
-- console's back is seen too.
--
-- The chain is serialised on the table audit_chain_lock. Every writer of
-- the console takes LOCK TABLE audit_chain_lock IN EXCLUSIVE MODE as the
-- first statement of its transaction, before the snapshot
-- (store_chain_lock, src/store/store.c), so changes queue rather than fail
-- or deadlock; the chain's trigger takes it too, and a row lock on
-- audit_head: a writer that did not queue first, under READ COMMITTED,
-- waits and reads the head as committed; under REPEATABLE READ or
-- SERIALIZABLE a head moved after its snapshot is a serialization failure
-- (40001); and seq is unique, so the chain can never fork.
--
-- `accessdesk audit verify` recomputes every hash with the same
-- audit_hash() and walks the chain (src/store/audit.c).
--
--   AD020  audit_head is written only by the chain's own trigger

ALTER TABLE audit ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea,
    ADD COLUMN hash bytea;

CREATE TABLE audit_head (
    id   integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    seq  bigint NOT NULL DEFAULT 0,
    hash bytea
);
INSERT INTO audit_head DEFAULT VALUES;

-- The hash: SHA-256 of a JSON array of every column but hash, in a fixed
-- order. jsonb's text form is canonical (keys sorted, one spacing), the
-- time is microseconds since the epoch (no time zone or DateStyle in it),
-- prev_hash is hex. One expression with no search_path of its own (it
-- names only pg_catalog's functions), so that the planner inlines it: a
-- hash then costs about 13 us, 88 us through a call.
CREATE FUNCTION audit_hash(a audit) RETURNS bytea
LANGUAGE sql STABLE AS $$
SELECT sha256(convert_to(jsonb_build_array(
           a.seq, a.id, (extract(epoch FROM a.at) * 1000000)::bigint,
           a.operator, a.action, a.target_kind, a.target, a.before, a.after,
           to_jsonb(a.org_ids), encode(a.prev_hash, 'hex'))::text, 'UTF8'))
$$;

-- ---- the chain's triggers --------------------------------------------------

-- Before each record: lock the head, take the next place after the last
-- record (rows of the same statement chained before are visible here),
-- hash. Whatever the writer put in seq, prev_hash and hash is replaced.
CREATE FUNCTION ad_audit_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    last_seq  bigint;
    last_hash bytea;
BEGIN
    -- (a no-op for a writer that took it first, as every change does)
    LOCK TABLE audit_chain_lock IN EXCLUSIVE MODE;
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    SELECT seq, hash INTO last_seq, last_hash
      FROM audit ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    -- the time it was chained: the chain's order is the order of time
    NEW.at := clock_timestamp();
    NEW.prev_hash := last_hash;
    NEW.hash := audit_hash(NEW);
    RETURN NEW;
END
$$;

-- After each statement that added records: the head names the last.
CREATE FUNCTION ad_audit_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    UPDATE audit_head h SET seq = n.seq, hash = n.hash
      FROM (SELECT seq, hash FROM new_records ORDER BY seq DESC LIMIT 1) n
     WHERE h.id = 1;
    RETURN NULL;
END
$$;

-- audit_head changes only through ad_audit_head (a trigger of a trigger).
CREATE FUNCTION ad_audit_head_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'audit_head is written only by the audit chain: % refused', TG_OP
            USING ERRCODE = 'AD020';
    END IF;
    RETURN NEW;
END
$$;

-- ---- chain the records there are, in the order they were numbered --------

ALTER TABLE audit DISABLE TRIGGER audit_append_only;
DO $$
DECLARE
    r    audit;
    prev bytea;
    n    bigint := 0;
BEGIN
    FOR r IN SELECT * FROM audit ORDER BY id LOOP
        n := n + 1;
        r.seq := n;
        r.prev_hash := prev;
        r.hash := audit_hash(r);
        UPDATE audit SET seq = r.seq, prev_hash = r.prev_hash, hash = r.hash
         WHERE id = r.id;
        prev := r.hash;
    END LOOP;
    UPDATE audit_head SET seq = n, hash = prev;
END
$$;
ALTER TABLE audit ENABLE TRIGGER audit_append_only;

ALTER TABLE audit ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_seq ON audit (seq);

CREATE TRIGGER audit_chain BEFORE INSERT ON audit
    FOR EACH ROW EXECUTE FUNCTION ad_audit_chain();
CREATE TRIGGER audit_head AFTER INSERT ON audit
    REFERENCING NEW TABLE AS new_records
    FOR EACH STATEMENT EXECUTE FUNCTION ad_audit_head();
CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION ad_audit_head_guard();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION ad_audit_append_only();

-- ---- the Audit tab's filters: each an index in the chain's order ----------

-- By target: the target's first part (a grant's user), any case.
CREATE INDEX audit_subject ON audit ((lower(split_part(target, '/', 1))), seq);
CREATE INDEX audit_operator ON audit ((lower(operator)), seq);
CREATE INDEX audit_kind ON audit (target_kind, seq);
CREATE INDEX audit_at ON audit (at);
-- By reach: the records touching one of the operator's organisations.
CREATE INDEX audit_orgs ON audit USING gin (org_ids);

-- ---- who may write the chain ----------------------------------------------

-- The chain's lock: a table of no rows whose only use is LOCK TABLE (which
-- needs UPDATE on it, and must come before the snapshot, so it cannot be a
-- function's). The console's role may lock it; it may not write the head,
-- nor add records but through audit_record(), which computes the after
-- snapshot and the organisations touched itself.
CREATE TABLE audit_chain_lock ();
REVOKE ALL ON audit_chain_lock FROM PUBLIC;
ALTER FUNCTION audit_record(text, text, text, text, jsonb, bigint[])
    SECURITY DEFINER;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'accessdesk_console') THEN
        GRANT SELECT, UPDATE ON audit_chain_lock TO accessdesk_console;
        GRANT SELECT ON audit_head TO accessdesk_console;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_head FROM accessdesk_console;
        REVOKE INSERT ON audit FROM accessdesk_console;
    END IF;
END
$$;

-- ---- pin the new functions' search_path (as in 003) -----------------------
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = current_schema()::regnamespace
                AND p.proname IN ('ad_audit_chain', 'ad_audit_head', 'audit_record',
                                  'ad_audit_head_guard')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, current_schema());
    END LOOP;
END
$$;
