#!/bin/sh
# test_audit_chain.sh: the audit trail's hash chain (issue 12; screens.md
# "5 Audit"; sql/013_audit_chain.sql) against a real PostgreSQL, as TAP.
#
# Usage: test_audit_chain.sh /path/to/accessdesk /path/to/tests/policy SQL_DIR
#
#   (a) an untouched trail, written by changes through the command line,
#       passes `audit verify` (exit 0, the records counted)
#   (b) tampering as a superuser with triggers disabled: a record's
#       content edited, a record deleted (in the middle, the first, the
#       last), a forged record inserted (at the end, chained with the
#       database's own hash function; in the middle, the records after it
#       renumbered): verify exits 1 and names each
#   (c) `audit` as CSV: the filters, bad filters, the operator's reach
#   (d) concurrent changes from 20 sessions at once leave one unbroken
#       chain, numbered without a gap
#   (e) the migration chains the records written before it
#
# Runs against the server of the PG* environment (the suite runs inside
# pg_virtualenv). Skips (1..0) when no PostgreSQL is configured and none
# answers.

set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK POLICY_DIR SQL_DIR" "$@"
bin=$1
dir=$2
sqldir=$3
here=$(cd "$(dirname "$0")" && pwd)

tap_tmpdir ad-chain
# shellcheck source-path=SCRIPTDIR source=pg.sh
. "$(dirname "$0")/pg.sh"
pg_skip_without_server
tap_runs

printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
	>"$tmp/flag.conf"

# as OPERATOR ARG...: accessdesk as OPERATOR ("-": none); $status,
# $tmp/out, $tmp/err.
as() {
	op=$1
	shift
	[ "$op" = - ] || set -- --operator "$op" "$@"
	last="accessdesk $*"
	"$bin" --config "$tmp/flag.conf" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}
q() { pg_q "$@"; }
# qerr SQL: as q, psql's complaint in $tmp/err.
qerr() {
	printf '%s\n' "$1" | psql -X -q -At -v ON_ERROR_STOP=1 >/dev/null 2>"$tmp/err"
}
out_has() {
	if grep -qF -- "$1" "$tmp/out"; then
		ok "$2"
	else
		not_ok "$2" "stdout: $(cat "$tmp/out")" "stderr: $(cat "$tmp/err")"
	fi
}

# ---- (a) a trail written through the console's change path -------------

base=ad_chain_$$_base
pg_newdb "$base"
for step in "db migrate" "db load $dir/good/cqrs-seed.conf" \
	"db load $here/store-fixture.conf" "db load $here/change-fixture.conf"; do
	# shellcheck disable=SC2086 # the words of step, on purpose
	"$bin" --config "$tmp/flag.conf" $step >"$tmp/out" 2>"$tmp/err" || {
		echo "Bail out! $step failed"
		sed 's/^/# /' "$tmp/err"
		exit 1
	}
done
as mch112 grant set kal738 A81001 --roles View --payment-types QOF
as mch112 user set kal738 --work-phone 0113 496 0000
as mch112 grant revoke kal738 A81001
records=$(q "SELECT count(*) FROM audit")
as - audit verify
tap "verify: an untouched trail passes (exit 0)" status_is 0
out_has "$records records checked: the chain is unbroken" \
	"verify: says how many records it checked ($records)"
out_has "its head's hash is $(q "SELECT encode(hash, 'hex') FROM audit_head")" \
	"verify: prints the head's hash, to be kept outside the database"
tap "verify: the records are numbered 1 to N in the chain, each after the one before" \
	is "$(q "SELECT count(*) FROM audit a JOIN audit p ON p.seq = a.seq - 1 AND a.prev_hash = p.hash")" \
	"$((records - 1))"
tap "verify: the head names the last record" \
	is "$(q "SELECT h.seq = max(a.seq) AND h.hash = (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1) FROM audit_head h, audit a GROUP BY h.seq, h.hash")" t

# The records as they stand: the cases below each tamper with a copy.
# (the base is closed before it is copied)
case_db() {
	PGDATABASE=ad_chain_$$_$1
	export PGDATABASE
	dbs="$dbs $PGDATABASE"
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	createdb -T "$base" "$PGDATABASE" || {
		echo "Bail out! createdb -T $base failed"
		exit 1
	}
}
# tamper SQL: as the superuser, with every trigger off (the append-only
# rule and the chain's own trigger).
tamper() {
	printf '%s\n' "SET session_replication_role = replica;" "$1" |
		psql -X -q -v ON_ERROR_STOP=1 >"$tmp/tamper.out" 2>&1 || {
		echo "Bail out! the tampering failed: $1"
		sed 's/^/# /' "$tmp/tamper.out"
		exit 1
	}
}
mid=$((records / 2))

# ---- (b) tampering --------------------------------------------------------

case_db edited
tamper "UPDATE audit SET operator = 'nobody' WHERE seq = $mid"
as - audit verify
tap "edited: verify exits 1" status_is 1
out_has "record $mid (id" "edited: names record $mid"
out_has "was edited behind the console's back" "edited: says it was edited"
out_has "$((mid - 1)) records before it are sound" \
	"edited: counts the sound records before it"

case_db edited_after
tamper "UPDATE audit SET after = jsonb_set(after, '{enabled}', 'true') WHERE seq = $mid AND after IS NOT NULL; UPDATE audit SET before = '{}' WHERE seq = $mid AND after IS NULL"
as - audit verify
tap "a value of after edited: verify exits 1 naming record $mid" \
	eval 'status_is 1 && grep -qF "record $mid (id" "$tmp/out"'

case_db rehashed
tamper "UPDATE audit SET target = 'someone' WHERE seq = $mid;
  UPDATE audit a SET hash = audit_hash(a) WHERE seq = $mid;"
as - audit verify
tap "edited and hashed again: verify exits 1" status_is 1
out_has "record $mid (id" "edited and hashed again: names record $mid"
out_has "hashed again: the record after it no longer follows it" \
	"edited and hashed again: says the record after it no longer follows it"
out_has "$((mid - 1)) records before it are sound" \
	"edited and hashed again: the records before it counted, not it"

case_db swapped
tamper "UPDATE audit SET seq = -seq WHERE seq IN ($mid, $mid + 1);
  UPDATE audit SET seq = CASE seq WHEN -$mid THEN $mid + 1 ELSE $mid END WHERE seq < 0;"
as - audit verify
tap "two records swapped: verify exits 1 naming the first place as edited" \
	eval 'status_is 1 && grep -qF "record $mid (id" "$tmp/out" && grep -qF "was edited" "$tmp/out"'

case_db head_gone
tamper "ALTER TABLE audit_head DISABLE TRIGGER USER; DELETE FROM audit_head;"
as - audit verify
tap "the head's row deleted: verify exits 1 saying so" \
	eval 'status_is 1 && grep -qF "the chain'"'"'s head (the one row of audit_head) was removed" "$tmp/out"'

case_db all_gone
tamper "DELETE FROM audit;"
as - audit verify
tap "every record deleted: verify exits 1 naming the first" \
	eval 'status_is 1 && grep -qF "record 1 was removed" "$tmp/out"'

case_db first_edited
tamper "UPDATE audit SET target = 'evil' WHERE seq = 1; UPDATE audit a SET hash = audit_hash(a) WHERE seq = 1;"
as - audit verify
tap "the first record edited and hashed again: named, none before it sound" \
	eval 'status_is 1 && grep -qF "record 1 (id" "$tmp/out" && grep -qF "0 records before it are sound" "$tmp/out"'

case_db deleted
tamper "DELETE FROM audit WHERE seq = $mid"
as - audit verify
tap "deleted: verify exits 1" status_is 1
out_has "record $mid was removed behind the console's back" \
	"deleted: names the record removed ($mid)"

case_db deleted_first
tamper "DELETE FROM audit WHERE seq = 1"
as - audit verify
tap "the first deleted: verify exits 1 naming record 1" \
	eval 'status_is 1 && grep -qF "record 1 was removed" "$tmp/out"'

case_db deleted_last
tamper "DELETE FROM audit WHERE seq = $records"
as - audit verify
tap "the last deleted: verify exits 1 naming record $records (the head names it)" \
	eval 'status_is 1 && grep -qF "record $records was removed" "$tmp/out"'

# A forged record at the end, chained the way the trigger would: only the
# head (which the forger's insert, triggers off, did not move) tells.
forge_values="'mch112', 'update', 'user', 'kal738', NULL, '{\"enabled\": true}'::jsonb, '{}'"
case_db forged_end
tamper "INSERT INTO audit (seq, id, operator, action, target_kind, target, before, after, org_ids, prev_hash, hash) OVERRIDING SYSTEM VALUE
  SELECT $records + 1, 100000, $forge_values, (SELECT hash FROM audit WHERE seq = $records), '\\x00';
  UPDATE audit a SET hash = audit_hash(a) WHERE seq = $records + 1;"
as - audit verify
tap "forged at the end: verify exits 1" status_is 1
out_has "record $((records + 1)) (id 100000" "forged at the end: names the forged record"
out_has "was inserted behind the console's back" "forged at the end: says it was inserted"

# In the middle: the records from $mid on moved one place up (their seq
# is in their hash, so the forger leaves it: the first moved one no longer
# gives its hash... unless the forger hashes them again, as here).
case_db forged_mid
tamper "UPDATE audit SET seq = -seq WHERE seq >= $mid;
  UPDATE audit SET seq = -seq + 1 WHERE seq < 0;
  INSERT INTO audit (seq, id, operator, action, target_kind, target, before, after, org_ids, prev_hash, hash) OVERRIDING SYSTEM VALUE
  SELECT $mid, 100001, $forge_values, (SELECT hash FROM audit WHERE seq = $mid - 1), '\\x00';
  UPDATE audit a SET hash = audit_hash(a) WHERE seq = $mid;"
as - audit verify
tap "forged in the middle: verify exits 1" status_is 1
out_has "record $mid (id 100001" "forged in the middle: names the forged record"
out_has "was inserted behind the console's back" "forged in the middle: says it was inserted"

case_db forged_garbage
tamper "INSERT INTO audit (seq, id, operator, action, target_kind, target, before, after, org_ids, prev_hash, hash) OVERRIDING SYSTEM VALUE
  SELECT $records + 1, 100002, $forge_values, '\\x01', '\\x02'"
as - audit verify
tap "forged with a made-up hash: verify names it as inserted" \
	eval 'status_is 1 && grep -qF "record $((records + 1)) (id 100002" "$tmp/out" && grep -qF inserted "$tmp/out"'

# The head moved with a forged record at the end: the record no longer
# gives its hash (a made-up one), so it is named still.
case_db head_moved
tamper "INSERT INTO audit (seq, id, operator, action, target_kind, target, before, after, org_ids, prev_hash, hash) OVERRIDING SYSTEM VALUE
  SELECT $records + 1, 100003, $forge_values, (SELECT hash FROM audit WHERE seq = $records), '\\x02';
  UPDATE audit_head SET seq = $records + 1, hash = '\\x02';"
as - audit verify
tap "forged with the head moved too: verify names it" \
	eval 'status_is 1 && grep -qF "record $((records + 1)) (id 100003" "$tmp/out"'

# The console's role cannot move the head, nor write the trail other than
# by adding to it.
PGDATABASE=$base
export PGDATABASE
tap "the head is written only by the chain's trigger" \
	eval '! qerr "UPDATE audit_head SET seq = 0" && grep -q "written only by the audit chain" "$tmp/err"'
tap "the trail is append-only still" \
	eval '! qerr "DELETE FROM audit WHERE seq = 1" && grep -q "append-only" "$tmp/err"'

# An insert that names its own place and hashes is chained as the trigger
# says, not as it says.
q "INSERT INTO audit (seq, operator, action, target_kind, target, prev_hash, hash) VALUES (1, 'x', 'y', 'user', 'kal738', '\\x00', '\\x00')" >/dev/null
as - audit verify
tap "an insert naming its own seq and hash is chained by the trigger" \
	eval 'status_is 0 && grep -qF "$((records + 1)) records checked" "$tmp/out"'
records=$((records + 1))

# ---- (c) the CSV and its filters -----------------------------------------

as mch112 audit
tap "audit: exit 0" status_is 0
tap "audit: a header first" \
	is "$(head -1 "$tmp/out" | tr -d "\r")" "Record,Time,Operator,Action,Kind,Target,Before,After,Prev Hash,Hash"
tap "audit: every record the operator reads (a root System Administrator: all)" \
	is "$(tail -n +2 "$tmp/out" | grep -c "^[0-9]*,20")" "$records"
tap "audit: oldest first" \
	is "$(tail -n +2 "$tmp/out" | cut -d, -f1 | tr '\n' ' ')" "$(seq 1 "$records" | tr '\n' ' ')"
as mch112 audit --target KAL738
tap "audit --target: the user's records and its grants', in any case" \
	is "$(tail -n +2 "$tmp/out" | grep -c "^[0-9]*,20")" \
	"$(q "SELECT count(*) FROM audit WHERE split_part(target, '/', 1) = 'kal738'")"
as mch112 audit --by MCH112 --kind grant
tap "audit --by --kind: the operator's grant records (the operator in any case)" \
	is "$(tail -n +2 "$tmp/out" | grep -c "^[0-9]*,20")" \
	"$(q "SELECT count(*) FROM audit WHERE operator = 'mch112' AND target_kind = 'grant'")"
today=$(q "SELECT to_char(now(), 'DD/MM/YYYY')")
tomorrow=$(q "SELECT to_char(now() + interval '1 day', 'YYYY-MM-DD')")
as mch112 audit --from "$today" --to "$today"
tap "audit --from --to a day: every record of today (the day taken whole)" \
	is "$(tail -n +2 "$tmp/out" | grep -c "^[0-9]*,20")" \
	"$(q "SELECT count(*) FROM audit WHERE at >= current_date")"
as mch112 audit --from "$today " --to " $today"
tap "audit: spaces around a date are no matter" \
	is "$(tail -n +2 "$tmp/out" | grep -c "^[0-9]*,20")" \
	"$(q "SELECT count(*) FROM audit WHERE at >= current_date")"
minute=$(q "SELECT to_char(at, 'DD/MM/YYYY HH24:MI') FROM audit ORDER BY seq DESC LIMIT 1")
as mch112 audit --from "$minute" --to "$minute"
tap "audit --from --to one minute: the records of that minute (it is taken whole as --to)" \
	is "$(tail -n +2 "$tmp/out" | grep -c "^[0-9]*,20")" \
	"$(q "SELECT count(*) FROM audit WHERE to_char(at, 'DD/MM/YYYY HH24:MI') = '$minute'")"
as mch112 audit --from "$tomorrow"
tap "audit --from tomorrow: none" \
	eval 'status_is 0 && is "$(wc -l <"$tmp/out")" 1'
as mch112 audit --kind usr
tap "audit --kind unknown: exit 2 naming the kinds" \
	eval 'status_is 2 && grep -qF "not a kind of record (user, grant" "$tmp/err"'
as mch112 audit --from 31/02/2026
tap "audit --from a day that is not: exit 2 saying what" \
	eval 'status_is 2 && grep -qF -- "--from \"31/02/2026\" is not a date" "$tmp/err"'
as mch112 audit --to
tap "audit --to with no value: exit 2" status_is 2
as mch112 audit --target a --target b
tap "audit: a filter given twice: exit 2" status_is 2
as mch112 audit verify extra
tap "audit verify takes no argument: exit 2" status_is 2
# The operator's reach: a User Administrator at lat04 reads no record of
# another organisation.
ua=$(q "SELECT u.login FROM users u JOIN grants g ON g.user_id = u.id JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id AND r.name = 'Advanced User Administrator' JOIN organisations o ON o.id = g.org_id AND o.parent_id IS NOT NULL ORDER BY u.login LIMIT 1")
if [ -n "$ua" ]; then
	as "$ua" audit
	want=$(q "SELECT count(*) FROM audit a WHERE EXISTS (SELECT 1 FROM unnest(a.org_ids) o WHERE o IN (WITH RECURSIVE sub AS (SELECT g.org_id AS id FROM grants g JOIN users u ON u.id = g.user_id AND u.login = '$ua' JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id AND r.name = 'Advanced User Administrator' UNION SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub))")
	tap "audit as an Advanced User Administrator below the root ($ua): only the records touching their subtree ($want)" \
		eval 'status_is 0 && is "$(tail -n +2 "$tmp/out" | grep -c "^[0-9]*,20")" "$want"'
else
	skip "no Advanced User Administrator below the root in the fixture"
fi

# ---- (d) 20 sessions at once ----------------------------------------------

users=$(q "SELECT login FROM users WHERE enabled AND login <> 'mch112' ORDER BY login LIMIT 20")
before=$(q "SELECT count(*) FROM audit")
i=0
for login in $users; do
	i=$((i + 1))
	(
		"$bin" --config "$tmp/flag.conf" --operator mch112 user set "$login" \
			--work-phone "0113 496 $((1000 + i))" </dev/null \
			>"$tmp/c$i.out" 2>"$tmp/c$i.err"
		echo $? >"$tmp/c$i.status"
	) &
done
wait
bad=
for k in $(seq 1 "$i"); do
	[ "$(cat "$tmp/c$k.status")" = 0 ] || bad="$bad c$k: $(cat "$tmp/c$k.err")"
done
tap "20 sessions at once: each change saved" is "$bad" ""
tap "20 sessions at once: 20 records more" \
	is "$(q "SELECT count(*) FROM audit")" "$((before + i))"
as - audit verify
tap "20 sessions at once: one unbroken chain" \
	eval 'status_is 0 && grep -qF "$((before + i)) records checked" "$tmp/out"'
tap "20 sessions at once: numbered without a gap or a twin" \
	is "$(q "SELECT count(DISTINCT seq) = count(*) AND min(seq) = 1 AND max(seq) = count(*) FROM audit")" t

# ---- (e) the migration chains what was there ------------------------------

old=ad_chain_$$_old
pg_newdb "$old"
q "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
for f in "$sqldir"/0*.sql; do
	v=$(basename "$f" | sed 's/_.*//; s/^0*//')
	[ "$v" -ge 13 ] && continue
	psql -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null 2>"$tmp/err" || {
		echo "Bail out! $f failed"
		sed 's/^/# /' "$tmp/err"
		exit 1
	}
	q "INSERT INTO schema_migrations (version, name) VALUES ($v, '$(basename "$f")')" >/dev/null
done
q "INSERT INTO audit (operator, action, target_kind, target, after) SELECT 'old', 'update', 'settings', 'settings', jsonb_build_object('n', g) FROM generate_series(1, 50) g" >/dev/null
q "INSERT INTO audit (operator, action, target_kind, target, after) OVERRIDING SYSTEM VALUE SELECT 'old', 'update', 'settings', 'settings', '{}'" >/dev/null 2>&1
as - db migrate
tap "the migration of the chain runs on a trail written before it" status_is 0
as - audit verify
tap "the records written before it are chained: verify passes" \
	eval 'status_is 0 && grep -qF "51 records checked" "$tmp/out"'
tap "... in the order they were numbered" \
	is "$(q "SELECT bool_and(seq = rn) FROM (SELECT seq, row_number() OVER (ORDER BY id) rn FROM audit) x")" t

echo "1..$n"
