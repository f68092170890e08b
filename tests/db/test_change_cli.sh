#!/bin/sh
# test_change_cli.sh: `user set`, `grant set` and `grant revoke` against a
# real PostgreSQL (issue 7, "The change path from the command line";
# access-model.md section 5), as TAP.
#
# Usage: test_change_cli.sh /path/to/accessdesk /path/to/tests/policy
#
# Runs against the server of the PG* environment (the suite runs inside
# pg_virtualenv; by hand: pg_virtualenv sh tests/db/test_change_cli.sh
# build/accessdesk tests/policy). Each part gets a fresh database
# ad_change_PID_NAME loaded with good/cqrs-seed.conf,
# tests/db/store-fixture.conf and tests/db/change-fixture.conf, all dropped
# at the end. Skips (1..0) when no
# PostgreSQL is configured and none answers. The operator comes from
# --operator with operator.source = "flag".
#
#   (a) user set: saved (the row, one audit row), nothing to change,
#       refused with the engine's reason, errors; every refusal and error
#       leaves every table as it was
#   (b) grant set: created, replaced (an option left out means none),
#       refused, errors
#   (c) grant revoke: revoked, refused, errors
#   (d) the operator, as the console finds it; read-only sessions; names
#       and values pass the sanitiser
#   (e) concurrency: two saves, one held at a barrier (a test-only
#       trigger on users waits on an advisory lock this script holds) with
#       its decision made, the other queued on the audit chain's lock
#       (every change takes it before its snapshot), each disabling one of
#       the last two enabled root System Administrators: exactly one succeeds;
#       an operator whose grant is revoked while their save is in flight

# The eval strings below are expanded when each test runs, on purpose.
# shellcheck disable=SC2016
set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
cqrs=$dir/good/cqrs-seed.conf
fixture=$here/store-fixture.conf
granter=$here/change-fixture.conf

tap_tmpdir ad-change
# shellcheck source-path=SCRIPTDIR source=pg.sh
. "$(dirname "$0")/pg.sh"
# The barrier's holder (part e), killed at exit before the databases go.
holder=
kill_holder() {
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
}
tap_at_exit kill_holder

printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
	>"$tmp/flag.conf"
printf 'database = { conninfo = ""; };\noperator = { source = "database"; };\n' \
	>"$tmp/database.conf"

pg_skip_without_server

# $last, $status, $tmp/out, $tmp/err; the last command after a not-ok line.
tap_runs

# ---- running things -------------------------------------------------------

# fresh NAME: a new database with the seed and the operators of the
# fixture, made the current one (PGDATABASE).
fresh() {
	pg_newdb "ad_change_$$_$1"
	for step in "db migrate" "db load $cqrs" "db load $fixture" \
		"db load $granter"; do
		# shellcheck disable=SC2086 # the words of step, on purpose
		"$bin" --config "$tmp/flag.conf" $step >"$tmp/out" 2>"$tmp/err" || {
			echo "Bail out! $step failed on $PGDATABASE"
			sed 's/^/# /' "$tmp/err"
			exit 1
		}
	done
}

# as OPERATOR ARG...: accessdesk --config $conf --operator OPERATOR ARG...
# (OPERATOR "-": no --operator); $status, $tmp/out and $tmp/err hold the
# result.
conf=$tmp/flag.conf
as() {
	op=$1
	shift
	[ "$op" = - ] || set -- --operator "$op" "$@"
	last="accessdesk --config $(basename "$conf") $*"
	"$bin" --config "$conf" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# q SQL [PSQL ARGS...]: rows (|-separated) of the current database.
q() { pg_q "$@"; }

# dump: every row of every table of the schema, as text, sorted, each
# line led by its table's name: what a refused or failed change must leave
# alone. One psql: a query per table, by \gexec.
dump() {
	printf '%s\n' "SELECT format('SELECT %L || x::text FROM %I x ORDER BY 1', relname || ': ', relname) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY relname" '\gexec' |
		psql -X -q -At -v ON_ERROR_STOP=1 2>>"$tmp/psql.err"
}

# (status_is, err_has and is: tap_runs's)
out_is() { is "$(cat "$tmp/out")" "$1"; }

# unchanged NAME: every table as the last `snap` left it.
snap() { dump >"$tmp/before"; }
unchanged() {
	dump >"$tmp/after"
	if cmp -s "$tmp/before" "$tmp/after"; then
		ok "$1"
	else
		not_ok "$1" "$(diff "$tmp/before" "$tmp/after" | head -20)"
	fi
}

# refused NAME REASON OPERATOR ARG...: exit 1, REASON on stderr, nothing
# on stdout, every table as it was.
refused() {
	name=$1
	reason=$2
	shift 2
	snap
	as "$@"
	tap "$name: exit 1, \"$reason\"" \
		eval 'status_is 1 && err_has "$reason" && [ ! -s "$tmp/out" ]'
	unchanged "... every table as it was"
}

# fails NAME MESSAGE OPERATOR ARG...: exit 2 with MESSAGE, tables as they
# were.
fails() {
	name=$1
	message=$2
	shift 2
	snap
	as "$@"
	tap "$name: exit 2, \"$message\"" \
		eval 'status_is 2 && err_has "$message" && [ ! -s "$tmp/out" ]'
	unchanged "... every table as it was"
}

audit_rows() { q 'SELECT count(*) FROM audit'; }
# The last audit row: operator|action|target_kind|target.
last_audit() {
	q "SELECT concat_ws('|', operator, action, target_kind, target) FROM audit ORDER BY id DESC LIMIT 1"
}
# The last audit row's organisations (org_ids), as sorted database ids.
last_audit_orgs() {
	q "SELECT array_to_string(ARRAY(SELECT x FROM unnest(org_ids) x ORDER BY x), ',') FROM audit ORDER BY id DESC LIMIT 1"
}
org_id() { q "SELECT id FROM organisations WHERE code = :'c'" -v "c=$1"; }
# The organisations of LOGIN's grants, as sorted database ids.
grant_orgs() {
	q "SELECT string_agg(g.org_id::text, ',' ORDER BY g.org_id) FROM grants g JOIN users u ON u.id = g.user_id WHERE u.login = :'l'" -v "l=$1"
}
# The grant of LOGIN at ORG: roles;payment types;clusters, each sorted.
grant_of() {
	q "SELECT concat_ws(';',
	     (SELECT string_agg(r.name, ',' ORDER BY r.name) FROM grant_roles gr JOIN roles r ON r.id = gr.role_id WHERE gr.grant_id = g.id),
	     coalesce((SELECT string_agg(p.payment_type::text, ',' ORDER BY p.payment_type::text) FROM grant_payment_types p WHERE p.grant_id = g.id), ''),
	     coalesce((SELECT string_agg(c.short_name, ',' ORDER BY c.short_name) FROM grant_clusters gc JOIN clusters c ON c.id = gc.cluster_id WHERE gc.grant_id = g.id), ''))
	   FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = g.org_id
	  WHERE u.login = '$1' AND o.code = '$2'"
}

# ---- (a) user set -----------------------------------------------------------

fresh change
tap "(the dump that refusals are compared by holds every row of users and of audit)" \
	eval '[ "$(dump | grep -c "^users: ")" = "$(q "SELECT count(*) FROM users")" ] && [ "$(dump | grep -c "^audit: ")" = "$(q "SELECT count(*) FROM audit")" ]'

n0=$(audit_rows)
as mch112 user set kal738 --disabled
tap "user set kal738 --disabled by a root System Administrator: exit 0, \"kal738: disabled\"" \
	eval 'status_is 0 && out_is "kal738: disabled"'
tap "... the database shows kal738 disabled" \
	is "$(q "SELECT enabled FROM users WHERE login = 'kal738'")" f
tap "... one audit row: mch112, update, user, kal738" \
	eval 'is "$(audit_rows)" "$((n0 + 1))" && is "$(last_audit)" "mch112|update|user|kal738"'
tap "... its organisations are those of kal738's grants" \
	is "$(last_audit_orgs)" "$(grant_orgs kal738)"
tap "... before enabled, after disabled" \
	is "$(q "SELECT concat_ws(',', before->>'enabled', after->>'enabled') FROM audit ORDER BY id DESC LIMIT 1")" "true,false"

snap
as mch112 user set kal738 --disabled
tap "user set kal738 --disabled again: exit 0, says nothing differed" \
	eval 'status_is 0 && out_is "kal738: nothing to change (already as given)"'
unchanged "... no audit row, every table as it was"

n0=$(audit_rows)
as mch112 user set kal738 --enabled --title Dr --email Ken.Alloway@nhs.uk \
	--work-phone 0315849999 --first-name Ken --last-name Alloway-Smith \
	--mobile-phone 07700900111
tap "user set with every option: exit 0, one line naming each change" \
	eval 'status_is 0 && out_is "kal738: enabled; title Dr; first name Ken; last name Alloway-Smith; email Ken.Alloway@nhs.uk; work phone 0315849999; mobile phone 07700900111"'
tap "... the database holds every value" \
	is "$(q "SELECT concat_ws('|', enabled, title, first_name, last_name, email, work_phone, mobile_phone) FROM users WHERE login = 'kal738'")" \
	"t|Dr|Ken|Alloway-Smith|Ken.Alloway@nhs.uk|0315849999|07700900111"
tap "... in one audit row" is "$(audit_rows)" "$((n0 + 1))"

as mch112 user set kal738 --title '' --mobile-phone ''
tap "--title '' and --mobile-phone '' clear them: exit 0, \"(none)\"" \
	eval 'status_is 0 && out_is "kal738: title (none); mobile phone (none)"'
tap "... stored as no value" \
	is "$(q "SELECT (title IS NULL OR title = '') AND mobile_phone IS NULL FROM users WHERE login = 'kal738'")" t

as kal738 user set kal738 --work-phone 0315841236
tap "a user edits their own contact details (section 5, on themself): exit 0" \
	eval 'status_is 0 && out_is "kal738: work phone 0315841236"'
refused "a user disabling themself" \
	"not allowed to disable: operators may change only their own contact details" \
	kal738 user set kal738 --disabled
refused "a User Administrator at lat04 changing the email of a user with grants beyond it (gba204), which the refusal counts, not names" \
	"not allowed to change contact details: ua0001 lacks users.manage where gba204 holds grants not shown (+2)" \
	ua0001 user set gba204 --email g.barlow@nhs.uk
refused "disabling the only enabled root System Administrator (mch112) by the root's Advanced User Administrator" \
	"not allowed to save: no enabled user would hold System Administrator on a root" \
	rootaua user set mch112 --disabled

fails "an unknown user" 'user set: no user "nobody"' mch112 user set nobody --enabled
fails "a bad work phone (---)" 'user set: --work-phone "---": Work Phone' \
	mch112 user set kal738 --work-phone ---
fails "a bad email" 'user set: --email "not-an-email": Email' \
	mch112 user set kal738 --email not-an-email
long=$(printf '%0201d' 0 | tr 0 N)
fails "a last name of 201 characters" "Last Name" \
	mch112 user set kal738 --last-name "$long"
fails "no option" "user set: nothing to set" mch112 user set kal738
fails "no login" "user set: which user?" mch112 user set --enabled
fails "--enabled and --disabled" "give one of --enabled and --disabled" \
	mch112 user set kal738 --enabled --disabled
fails "an unknown option" 'user set: unexpected argument "--colour"' \
	mch112 user set kal738 --colour blue
fails "an option given twice" 'given twice: "--email"' \
	mch112 user set kal738 --email a@nhs.uk --email b@nhs.uk
fails "an option with no value" 'a value is needed after "--work-phone"' \
	mch112 user set kal738 --work-phone
fails "an unknown subcommand" 'user: unknown subcommand "frob"' mch112 user frob kal738

as mch112 user set kal738 --email Matt.Cheeseman@nhs.uk
tap "an email another user has: saved (exit 0) with a warning that names no one" \
	eval 'status_is 0 && err_has "warning: another user already has the email address" && ! err_has mch112'

as mch112 user set kal738 --email=Kenneth.Alloway@nhs.uk
tap "--option=value is accepted" \
	eval 'status_is 0 && out_is "kal738: email Kenneth.Alloway@nhs.uk"'

# ---- (b) grant set ------------------------------------------------------------

# Section 5 as changed 2026-12-01: business actions (View's achievement.*)
# and payment types need only users.manage over the grant's organisation,
# so the seed's Advanced User Administrator may tick a cluster on a grant
# carrying View and QOF.
n0=$(audit_rows)
as aua001 grant set kal738 lat04 --roles View --payment-types QOF,DES --clusters C61A6DB801
tap "grant set by aua001 (Advanced User Administrator at lat04): View, QOF, DES and a cluster for kal738: exit 0" \
	eval 'status_is 0 && out_is "kal738 at lat04: roles View; payment types QOF, DES; clusters C61A6DB801"'
tap "... the database holds the grant as given (roles, payment types, clusters replaced)" \
	is "$(grant_of kal738 lat04)" "View;DES,QOF;C61A6DB801"
tap "... one audit row: aua001, set, grant, kal738/lat04" \
	eval 'is "$(audit_rows)" "$((n0 + 1))" && is "$(last_audit)" "aua001|set|grant|kal738/lat04"'
tap "... its organisations: the grant's organisation (lat04)" \
	is "$(last_audit_orgs)" "$(org_id lat04)"
tap "... before and after name the grant's roles" \
	is "$(q "SELECT concat_ws('|', before::text LIKE '%User Administrator%', after::text LIKE '%User Administrator%') FROM audit ORDER BY id DESC LIMIT 1")" "t|f"

snap
as aua001 grant set kal738 LAT04 --roles View --payment-types DES,QOF --clusters C61A6DB801
tap "the same grant again (organisation in capitals, lists in another order): exit 0, nothing to change" \
	eval 'status_is 0 && out_is "kal738 at LAT04: nothing to change (the grant is already as given)"'
unchanged "... no audit row, every table as it was"

as mch112 grant set kal738 lat04 --roles 'View, User Administrator'
tap "grant set with only --roles: payment types and clusters become none" \
	eval 'status_is 0 && out_is "kal738 at lat04: roles View, User Administrator; payment types none; clusters none" && is "$(grant_of kal738 lat04)" "User Administrator,View;;"'

n0=$(audit_rows)
as mch112 grant set nog200 lat05 --roles View --payment-types GPES
tap "grant set creates a grant (nog200 had none): exit 0" \
	eval 'status_is 0 && out_is "nog200 at lat05: roles View; payment types GPES; clusters none"'
tap "... the database shows it" is "$(grant_of nog200 lat05)" "View;GPES;"
tap "... one audit row: mch112, set, grant, nog200/lat05, touching lat05" \
	eval 'is "$(audit_rows)" "$((n0 + 1))" && is "$(last_audit)" "mch112|set|grant|nog200/lat05" && is "$(last_audit_orgs)" "$(org_id lat05)"'

refused "a User Administrator at lat04 (ua0001) giving System Administrator" \
	"not allowed to change this grant: escalation: role System Administrator" \
	ua0001 grant set tgt001 lat04 --roles "System Administrator"
refused "a cluster not owned by the grant's organisation" \
	"cluster C61A6DB801 is not owned by cgc04" \
	mch112 grant set gba204 cgc04 --roles View --clusters C61A6DB801
refused "a cluster selected on the only root System Administrator's root grant, by one who may grant anything (lock-out)" \
	"no enabled user would hold System Administrator on a root" \
	gra001 grant set mch112 nhs --roles "System Administrator" --clusters A00000000A

fails "an unknown role" 'grant set: no role "Foo"' \
	mch112 grant set kal738 lat04 --roles Foo
fails "an unknown organisation" 'grant set: no organisation "lat99"' \
	mch112 grant set kal738 lat99 --roles View
fails "an unknown cluster" 'grant set: no cluster "NOPE"' \
	mch112 grant set kal738 lat04 --roles View --clusters NOPE
fails "an unknown payment type" 'grant set: no payment type "FOO" (the payment types are QOF, GPES, DES, CC, VAC, LES)' \
	mch112 grant set kal738 lat04 --roles View --payment-types QOF,FOO
fails "an unknown user" 'grant set: no user "nobody"' \
	mch112 grant set nobody lat04 --roles View
fails "no --roles" "grant set: --roles is required" mch112 grant set kal738 lat04
fails "--roles naming no role" "grant set: --roles names no role" \
	mch112 grant set kal738 lat04 --roles ''
fails "an empty name in a list" 'an empty name in "--roles"' \
	mch112 grant set kal738 lat04 --roles 'View,,User Administrator'
fails "a role given twice" 'grant set: role "View" given twice' \
	mch112 grant set kal738 lat04 --roles 'View, View'
fails "no organisation" "grant set: which user and organisation?" \
	mch112 grant set kal738 --roles View
fails "a third argument" 'grant set: unexpected argument "extra"' \
	mch112 grant set kal738 lat04 extra --roles View
fails "an unknown subcommand" 'grant: unknown subcommand "give"' \
	mch112 grant give kal738 lat04

# ---- (c) grant revoke -----------------------------------------------------------

n0=$(audit_rows)
as mch112 grant revoke nog200 lat05
tap "grant revoke nog200 lat05: exit 0, \"nog200 at lat05: revoked\"" \
	eval 'status_is 0 && out_is "nog200 at lat05: revoked"'
tap "... the grant is gone" is "$(grant_of nog200 lat05)" ""
tap "... one audit row: mch112, revoke, grant, nog200/lat05, touching lat05" \
	eval 'is "$(audit_rows)" "$((n0 + 1))" && is "$(last_audit)" "mch112|revoke|grant|nog200/lat05" && is "$(last_audit_orgs)" "$(org_id lat05)"'

fails "revoking a grant the user does not hold" 'nog200 holds no grant at "lat05"' \
	mch112 grant revoke nog200 lat05
fails "an unknown user" 'grant revoke: no user "nobody"' mch112 grant revoke nobody lat04
fails "revoke takes no --roles" 'grant revoke: unexpected argument "--roles"' \
	mch112 grant revoke kal738 lat04 --roles View
refused "a User Administrator at lat04 revoking a grant of a user beyond it" \
	"not allowed to revoke this grant: ua0001 lacks users.manage where gba204 holds grants not shown (+2)" \
	ua0001 grant revoke gba204 lat04
refused "revoking the only root System Administrator's root grant, by one who may grant anything (lock-out)" \
	"no enabled user would hold System Administrator on a root" \
	gra001 grant revoke mch112 nhs

# ---- (d) the operator, read-only, the sanitiser -----------------------------------

fails "an operator who is not a user" '"ghost" is not a user of this database' \
	ghost user set kal738 --enabled
fails "a disabled operator (tdi901)" "tdi901 cannot start accessdesk: the user is disabled" \
	tdi901 user set kal738 --disabled
fails "--read-only changes nothing" "this session is read-only (--read-only)" \
	mch112 --read-only user set kal738 --disabled
printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\nui = { read_only = true; };\n' \
	>"$tmp/ro.conf"
conf=$tmp/ro.conf
fails "ui.read_only in the configuration changes nothing" "ui.read_only" \
	mch112 user set kal738 --disabled
conf=$tmp/database.conf
fails "--operator with operator.source = \"database\", refused as the console refuses it" \
	'--operator is accepted only when operator.source is "flag"' \
	mch112 user set kal738 --disabled
printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\nemail = { allowed_domains = [ "nhs.uk" ]; };\n' \
	>"$tmp/domains.conf"
conf=$tmp/domains.conf
fails "--email outside email.allowed_domains is refused as the form refuses it" \
	"the domain is not one this service allows" \
	mch112 user set kal738 --email kenneth.alloway@example.org
conf=$tmp/flag.conf
fails "operator.source = \"flag\" without --operator: says to give it" \
	"give --operator LOGIN" - user set kal738 --disabled

esc=$(printf '\033')
hostile=$(printf 'O\033[31mBrien')
as mch112 user set kal738 --last-name "$hostile"
tap "a last name with an escape sequence: saved (exit 0), the line on stdout sanitised" \
	eval 'status_is 0 && ! grep -q "$esc" "$tmp/out" && out_is "kal738: last name O?[31mBrien"'
tap "... and stored exactly" \
	is "$(q "SELECT last_name = :'v' FROM users WHERE login = 'kal738'" -v "v=$hostile")" t
as mch112 user set "x${esc}[31m" --enabled
tap "an unknown login with an escape sequence: exit 2, the message sanitised" \
	eval 'status_is 2 && ! grep -q "$esc" "$tmp/err" && err_has "no user \"x?[31m\""'
as mch112 grant set kal738 lat04 --roles "V${esc}]0;t"
tap "a role name with an escape sequence: exit 2, the message sanitised" \
	eval 'status_is 2 && ! grep -q "$esc" "$tmp/err" && err_has "no role"'

"$bin" user set --help >"$tmp/out" 2>"$tmp/err"
status=$?
tap "user set --help: exit 0, the usage on stdout" \
	eval 'status_is 0 && grep -q "usage: accessdesk user set LOGIN" "$tmp/out"'
"$bin" grant --help >"$tmp/out" 2>"$tmp/err"
status=$?
tap "grant --help: exit 0, both forms on stdout" \
	eval 'status_is 0 && grep -q "grant set LOGIN ORG --roles" "$tmp/out" && grep -q "grant revoke LOGIN ORG" "$tmp/out"'
"$bin" --help >"$tmp/out" 2>"$tmp/err"
tap "accessdesk --help lists user set, grant set and grant revoke" \
	eval 'grep -q "user set LOGIN" "$tmp/out" && grep -q "grant set LOGIN ORG" "$tmp/out" && grep -q "grant revoke LOGIN ORG" "$tmp/out"'

# ---- (e) concurrency --------------------------------------------------------------

fresh race
# A second enabled root System Administrator: nog200 (no grant before).
as mch112 grant set nog200 nhs --roles "System Administrator"
root_admins() {
	q "SELECT count(*) FROM users WHERE enabled AND login IN ('mch112', 'nog200')"
}
tap "race: nog200 made System Administrator at the root by grant set (two enabled root System Administrators)" \
	eval 'status_is 0 && is "$(root_admins)" 2'

# The barrier, in this database only: every UPDATE of a users row waits
# for advisory lock 7007, which the holder session takes before a race
# and gives back once every racer is waiting. Every change writes the
# users row of its target after deciding, so racers reach it with their
# snapshots taken and their decisions made.
q "CREATE FUNCTION test_barrier() RETURNS trigger LANGUAGE plpgsql AS
   \$\$ BEGIN PERFORM pg_advisory_xact_lock_shared(7007); RETURN NEW; END \$\$;
   CREATE TRIGGER test_barrier BEFORE UPDATE ON users
     FOR EACH ROW EXECUTE FUNCTION test_barrier();" >/dev/null

mkfifo "$tmp/hold"
psql -X -q -v ON_ERROR_STOP=1 <"$tmp/hold" >"$tmp/hold.out" 2>&1 &
holder=$!
exec 3>"$tmp/hold"

# waiters KIND: the sessions of this database waiting on a lock (KIND
# advisory: at the barrier; any: on any lock).
waiters() {
	if [ "$1" = advisory ]; then
		cond="wait_event = 'advisory'"
	else
		cond=true
	fi
	q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND $cond"
}
# await KIND N: until N sessions wait (10 s at most); false if never.
await() {
	i=0
	while [ "$(waiters "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && return 1
		sleep 0.05
	done
}
hold() {
	echo "SELECT pg_advisory_lock(7007);" >&3
	i=0
	until [ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7007 AND granted AND mode = 'ExclusiveLock'")" -ge 1 ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && {
			echo "Bail out! the barrier's holder did not take its lock"
			exit 1
		}
		sleep 0.05
	done
}
release() { echo "SELECT pg_advisory_unlock(7007);" >&3; }

# racer TAG OPERATOR ARG...: in the background; $tmp/TAG.{out,err,status}.
racer() {
	tag=$1
	op=$2
	shift 2
	(
		"$bin" --config "$tmp/flag.conf" --operator "$op" "$@" \
			</dev/null >"$tmp/$tag.out" 2>"$tmp/$tag.err"
		echo $? >"$tmp/$tag.status"
	) &
}
# What a racer did, for a not-ok line.
racers() {
	for tag in "$@"; do
		printf '%s: status %s; stdout: %s; stderr: %s\n' "$tag" \
			"$(cat "$tmp/$tag.status" 2>/dev/null)" \
			"$(cat "$tmp/$tag.out" 2>/dev/null)" \
			"$(cat "$tmp/$tag.err" 2>/dev/null)"
	done
}

lockout="no enabled user would hold System Administrator on a root"
rounds=5
for round in $(seq 1 $rounds); do
	rm -f "$tmp"/r1.* "$tmp"/r2.*
	n0=$(audit_rows)
	hold
	racer r1 rootaua user set mch112 --disabled
	p1=$!
	racer r2 rootaua user set nog200 --disabled
	p2=$!
	# one at the barrier, its decision made; the other queued on the
	# audit chain's lock, which every change takes before its snapshot
	# (sql/013_audit_chain.sql), so it decides on the first's commit
	if await advisory 1 && await any 2; then
		barrier=yes
	else
		barrier="no (waiting: $(waiters any))"
	fi
	release
	wait "$p1" "$p2"
	s1=$(cat "$tmp/r1.status")
	s2=$(cat "$tmp/r2.status")
	enabled=$(root_admins)
	if [ "$barrier" != yes ]; then
		not_ok "lock-out race, round $round: one save at the barrier, the other queued behind it" \
			"barrier: $barrier" "$(racers r1 r2)"
	elif ! { { [ "$s1" = 0 ] && [ "$s2" = 1 ] && grep -qF "$lockout" "$tmp/r2.err"; } ||
		{ [ "$s1" = 1 ] && [ "$s2" = 0 ] && grep -qF "$lockout" "$tmp/r1.err"; }; }; then
		not_ok "lock-out race, round $round: exactly one of two concurrent disables succeeds, the other exits 1 with the lock-out explanation" \
			"$(racers r1 r2)"
	elif [ "$enabled" -ne 1 ] || [ "$(audit_rows)" -ne "$((n0 + 1))" ]; then
		not_ok "lock-out race, round $round: one root System Administrator left enabled, one audit row" \
			"enabled: $enabled; audit rows: $(audit_rows) (was $n0)" "$(racers r1 r2)"
	else
		ok "lock-out race, round $round: one held at the barrier, the other queued; exactly one disable succeeds, the other exits 1: $lockout"
	fi
	# both enabled again for the next round
	as rootaua user set mch112 --enabled
	as rootaua user set nog200 --enabled
	[ "$(root_admins)" -eq 2 ] || {
		echo "Bail out! could not enable mch112 and nog200 again"
		exit 1
	}
done

# staggered FIRST SECOND: holds the barrier, runs FIRST (a function that
# starts a racer) and, once it waits at the barrier, SECOND, until that
# waits on a lock too (behind FIRST's lock of a row); then releases both
# and waits for them. $barrier says yes, or why not.
staggered() {
	hold
	"$1"
	pf=$!
	ps=
	if await advisory 1; then
		"$2"
		ps=$!
		if await any 2; then
			barrier=yes
		else
			barrier="no ($2 never waited)"
		fi
	else
		barrier="no ($1 never reached the barrier)"
	fi
	release
	wait "$pf" $ps
}
revoke_ua0001() { racer rb rootaua grant revoke ua0001 lat04; }
ua0001_saves() { racer ra ua0001 user set tgt001 --work-phone "$phone"; }

# An operator whose access is revoked while the revoke is in flight: the
# revoke (rootaua takes ua0001's lat04 grant) holds ua0001's row at the
# barrier; ua0001's own save (tgt001's work phone) then starts, and must be
# decided on ua0001's access as committed, not on the snapshot it began
# with: refused.
as ua0001 user set tgt001 --work-phone 0315840070
tap "revoke race: ua0001 may change tgt001's work phone beforehand" status_is 0
for round in 1 2 3; do
	rm -f "$tmp"/rb.* "$tmp"/ra.*
	phone=03158401$round$round
	staggered revoke_ua0001 ua0001_saves
	sa=$(cat "$tmp/ra.status" 2>/dev/null)
	sb=$(cat "$tmp/rb.status" 2>/dev/null)
	stored=$(q "SELECT work_phone FROM users WHERE login = 'tgt001'")
	if [ "$barrier" != yes ]; then
		not_ok "revoke race, round $round: the revoke held at the barrier, the save waiting behind it" \
			"barrier: $barrier" "$(racers rb ra)"
	elif [ "$sb" != 0 ] || [ "$sa" != 1 ] || ! grep -qF "not allowed to change contact details" "$tmp/ra.err" ||
		[ "$stored" = "$phone" ]; then
		not_ok "revoke race, round $round: the revoke succeeds; the save in flight is refused (exit 1), not saved on stale access" \
			"tgt001's work phone now: $stored" "$(racers rb ra)"
	else
		ok "revoke race, round $round: the revoke succeeds; ua0001's save in flight is refused: $(cat "$tmp/ra.err")"
	fi
	as mch112 grant set ua0001 lat04 --roles "User Administrator"
	status_is 0 || {
		echo "Bail out! could not give ua0001 its grant again"
		exit 1
	}
done

# The other order: the save is at the barrier first (it holds its
# operator's row), so the revoke waits for it: the save commits on access
# the operator still holds, the revoke after it.
rm -f "$tmp"/rb.* "$tmp"/ra.*
phone=0315840199
staggered ua0001_saves revoke_ua0001
order=$(q "SELECT string_agg(concat_ws(' ', operator, action, target), ', ' ORDER BY id) FROM (SELECT * FROM audit ORDER BY id DESC LIMIT 2) a")
if [ "$barrier" != yes ]; then
	not_ok "revoke race, the save first: the save held at the barrier, the revoke waiting behind it" \
		"barrier: $barrier" "$(racers ra rb)"
elif [ "$(cat "$tmp/ra.status")" != 0 ] || [ "$(cat "$tmp/rb.status")" != 0 ] ||
	[ "$order" != "ua0001 update tgt001, rootaua revoke ua0001/lat04" ]; then
	not_ok "revoke race, the save first: the revoke waits for the save in flight; both succeed, the save first" \
		"audit: $order" "$(racers ra rb)"
else
	ok "revoke race, the save first: the revoke waits for the save in flight; both succeed, the save committed first"
fi

exec 3>&-
wait "$holder"
holder=

# The trail every change and race above wrote: one unbroken chain.
as - audit verify
tap "audit verify: the trail these changes and races wrote is unbroken" \
	eval 'status_is 0 && grep -qF "the chain is unbroken" "$tmp/out"'

echo "1..$n"
[ "$failures" -eq 0 ]
