#!/bin/sh
# test_db_cli.sh: `db migrate`, `db load` and `check` against a real
# PostgreSQL (policy-file.md, "Commands"; access-model.md section 5's audit),
# as TAP.
#
# Usage: test_db_cli.sh /path/to/accessdesk /path/to/tests/policy
#
# Runs against the server of the PG* environment (the suite runs inside
# pg_virtualenv; by hand: pg_virtualenv sh tests/db/test_db_cli.sh
# build/accessdesk tests/policy). Every scenario gets a fresh database
# ad_cli_PID_NAME, all dropped at the end. Skips (1..0) when no PostgreSQL
# is configured and none answers.
#
#   (a) db migrate from empty, twice; a newer database refused; commands on
#       an unmigrated database
#   (b) db load of every good/*.conf, then every assertion of the file asked
#       with `check --explain` of the database and of `check --policy FILE`:
#       identical output and status, and the decision expected
#   (c) db load is all or nothing (a failing assertion, an error at a line,
#       a second load of the same file), references to what the database
#       holds, settings changing only the switches named, hostile values
#   (d) the audit rows of a load, readable; UPDATE and DELETE on audit
#       refused

# The eval strings below are expanded when each test runs, on purpose.
# shellcheck disable=SC2016
set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
sqldir=$dir/../../sql
cqrs=$dir/good/cqrs-seed.conf
clin=$dir/good/clinspark-seed.conf

tap_tmpdir ad-db-cli
# shellcheck source-path=SCRIPTDIR source=pg.sh
. "$(dirname "$0")/pg.sh"

# No configuration file from the environment: the PG* variables decide.
printf 'database = { conninfo = ""; };\n' >"$tmp/accessdesk.conf"

# ---- no server: skip ------------------------------------------------------

pg_skip_without_server

# ---- TAP --------------------------------------------------------------------

# $last, $status, $tmp/out, $tmp/err; the last command after a not-ok line.
tap_runs

# ---- running things -------------------------------------------------------

# newdb NAME: a fresh empty database, made the current one (PGDATABASE).
newdb() { pg_newdb "ad_cli_$$_$1"; }

# ad ARG...: runs accessdesk; $status, $tmp/out and $tmp/err hold the result.
ad() {
	last="accessdesk $*"
	"$bin" --config "$tmp/accessdesk.conf" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# q SQL [PSQL ARGS...]: one value (or rows, |-separated) from the current
# database on standard output; values travel as psql variables.
q() { pg_q "$@"; }

# sql_fails SQL: the statement is refused; $tmp/err holds the message.
sql_fails() {
	last="psql -c \"$1\""
	printf '%s\n' "$1" | psql -X -q -At -v ON_ERROR_STOP=1 >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ "$status" -ne 0 ]
}

# (status_is, out_has, err_has and is: tap_runs's)

# Every table of the schema, with its row count and a digest of its rows,
# one line each; audit and the settings switches included.
state() {
	q "SELECT string_agg(format('%s=%s', c.relname,
	       (xpath('/row/v/text()', query_to_xml(format(
	          'SELECT count(*) || '':'' || md5(coalesce(string_agg(x::text, '','' ORDER BY x::text), '''')) AS v FROM %I x',
	          c.relname), false, true, '')))[1]::text), E'\n' ORDER BY c.relname)
	   FROM pg_class c
	  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
}

# The line of the first line of FILE holding TEXT.
line_of() { grep -n -F -e "$2" "$1" | head -1 | cut -d: -f1; }

migrate() {
	ad db migrate
	status_is 0 || {
		echo "Bail out! db migrate failed on $PGDATABASE"
		sed 's/^/# /' "$tmp/err"
		exit 1
	}
}

# ---- (a) db migrate ---------------------------------------------------------

versions=$(for f in "$sqldir"/[0-9]*.sql; do
	b=$(basename "$f")
	echo "${b%%_*}" | sed 's/^0*//'
done | paste -sd, -)
nver=$(echo "$versions" | tr , '\n' | grep -c .)

newdb migrate
ad db migrate
tap "db migrate on an empty database: exit 0, $nver migrations applied" \
	eval 'status_is 0 && out_has "($nver migrations applied)"'
tap "schema_migrations holds every version of sql/ ($versions)" \
	is "$(q 'SELECT string_agg(version::text, $$,$$ ORDER BY version) FROM schema_migrations')" "$versions"
tap "the schema's tables exist (users, grants, audit, settings row)" \
	is "$(q "SELECT (to_regclass('users') IS NOT NULL) AND (to_regclass('grants') IS NOT NULL) AND (to_regclass('audit') IS NOT NULL) AND (SELECT count(*) = 1 FROM settings)")" t
before=$(state)
ad db migrate
tap "a second db migrate applies 0 and exits 0" \
	eval 'status_is 0 && out_has "(0 migrations applied)"'
tap "the second run changed nothing" is "$(state)" "$before"

q "INSERT INTO schema_migrations VALUES (999, 'future')" >/dev/null
ad db migrate
tap "db migrate on a database with a newer version (999): exit 2, \"newer\"" \
	eval 'status_is 2 && err_has newer && err_has 999'
ad check --user x --action org.view --org nhs
tap "check on a newer database: exit 2, says it is newer (not \"run db migrate\")" \
	eval 'status_is 2 && err_has newer && ! err_has "run \"accessdesk db migrate\""'

# A database that does not hold UTF-8 is refused before anything is made.
PGDATABASE=ad_cli_$$_ascii
export PGDATABASE
dbs="$dbs $PGDATABASE"
createdb --encoding=SQL_ASCII --template=template0 "$PGDATABASE" >/dev/null 2>&1
ad db migrate
tap "db migrate on a SQL_ASCII database: exit 2, says it needs UTF8" \
	eval 'status_is 2 && err_has UTF8'
tap "and made no table" \
	is "$(q "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname <> 'schema_migrations'")" 0

newdb unmigrated
ad db load "$cqrs"
tap "db load on an unmigrated database: exit 2, says to run db migrate" \
	eval 'status_is 2 && err_has "db migrate"'
tap "and created nothing" \
	is "$(q "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace")" 0
ad check --user kal738 --action org.view --org nhs
tap "check on an unmigrated database: exit 2, says to run db migrate" \
	eval 'status_is 2 && err_has "db migrate" && [ ! -s "$tmp/out" ]'
ad check --user kal738 --action org.view --org nhs --policy "$cqrs"
tap "check --policy needs no database (deny, exit 1)" \
	eval 'status_is 1 && [ "$(cat "$tmp/out")" = deny ]'

# ---- (b) every good file: check against the database = check --policy ------

# field LINE KEY: the value of KEY = "..." in a one-line assertion.
field() {
	printf '%s\n' "$1" | sed -n "s/.*[{;] *$2 = \"\([^\"]*\)\".*/\1/p"
}

for file in "$dir"/good/*.conf; do
	base=$(basename "$file" .conf)
	newdb "good_$(echo "$base" | tr -c 'a-z0-9\n' _)"
	migrate
	ad db load "$file"
	tap "$base: db load exit 0" status_is 0
	[ "$status" -eq 0 ] || continue

	grep -n -e '^[[:space:]]*{ *user = ".*expect = ' "$file" >"$tmp/assertions"
	ad policy test "$file"
	want=$(tail -1 "$tmp/out" | sed -n 's/^\([0-9]*\) passed, 0 failed$/\1/p')
	got=$(grep -c . "$tmp/assertions")
	tap "$base: every assertion is on one line ($got found, policy test ran ${want:-?})" \
		is "$got" "$want"

	while IFS= read -r entry; do
		lineno=${entry%%:*}
		line=${entry#*:}
		user=$(field "$line" user)
		action=$(field "$line" action)
		org=$(field "$line" org)
		study=$(field "$line" study)
		pay=$(field "$line" payment_type)
		expect=$(field "$line" expect)
		set -- --user "$user" --action "$action"
		if [ -n "$org" ]; then
			set -- "$@" --org "$org"
			target=$org
		else
			set -- "$@" --study "$study"
			target=$study
		fi
		[ -n "$pay" ] && set -- "$@" --payment-type "$pay"
		name="$base:$lineno $user $action $target${pay:+ $pay}: database = --policy, $expect"

		ad check "$@" --explain
		db_status=$status
		cp "$tmp/out" "$tmp/db.out"
		ad check --policy "$file" "$@" --explain
		file_status=$status
		want_status=1
		[ "$expect" = allow ] && want_status=0
		if ! cmp -s "$tmp/db.out" "$tmp/out"; then
			not_ok "$name" "stdout differs (database first)"
			diff "$tmp/db.out" "$tmp/out" | sed 's/^/#   /'
		elif [ "$db_status" -ne "$file_status" ]; then
			not_ok "$name" "status $db_status (database) vs $file_status (--policy)"
		elif [ "$(sed -n 1p "$tmp/out")" != "$expect" ] ||
			[ "$db_status" -ne "$want_status" ]; then
			not_ok "$name" "decided $(sed -n 1p "$tmp/out") (status $db_status)"
		else
			ok "$name"
		fi
	done <"$tmp/assertions"
done

# ---- (c) all or nothing -----------------------------------------------------

newdb load
migrate
ad db load "$cqrs"
tap "cqrs-seed.conf loads (base of the all-or-nothing tests)" status_is 0
base_audit=$(q 'SELECT count(*) FROM audit')

before=$(state)
f=$here/load-fails-assertion.conf
ad db load "$f"
l=$(line_of "$f" fail-here)
tap "a file whose assertion fails after loading: exit 2" status_is 2
tap "... says FILE:$l: expected allow, got deny, with the reasons, and nothing loaded" \
	eval 'err_has "$f:$l: expected allow, got deny" && grep -q "^  " "$tmp/err" && err_has "nothing loaded"'
tap "... every table (audit, settings included) unchanged" is "$(state)" "$before"

f=$here/load-bad-line.conf
l=$(line_of "$f" error-here)
ad db load "$f"
tap "a file with an error at line $l: exit 2, FILE:$l: message" \
	eval 'status_is 2 && err_has "$f:$l: " && err_has "A01AAA"'
tap "... every table unchanged" is "$(state)" "$before"

l=$(line_of "$cqrs" '{ code = ')
ad db load "$cqrs"
tap "a second load of the same file fails on its first duplicate key, line $l" \
	eval 'status_is 2 && err_has "$cqrs:$l: " && err_has "already exists"'
tap "... every table unchanged" is "$(state)" "$before"

# The same organisation code in another case is the same key.
printf 'organisations = (\n  { code = "LAT04"; name = "Shouting"; parent = "nhs"; }\n);\n' >"$tmp/case.conf"
ad db load "$tmp/case.conf"
tap "an organisation code that exists in another case (LAT04): exit 2 at line 2" \
	eval 'status_is 2 && err_has "$tmp/case.conf:2: "'
tap "... every table unchanged" is "$(state)" "$before"

# Over a limit: a name of 201 characters, refused with a clear message.
long=$(printf '%0201d' 0 | tr 0 N)
printf 'organisations = (\n  { code = "long1"; parent = "nhs";\n    name = "%s"; }\n);\n' "$long" >"$tmp/long.conf"
ad db load "$tmp/long.conf"
tap "an organisation name of 201 characters: exit 2, FILE:3: longer than 200 characters" \
	eval 'status_is 2 && err_has "$tmp/long.conf:3: " && err_has "200 characters"'
tap "... every table unchanged" is "$(state)" "$before"

f=$here/load-second.conf
ad db load "$f"
tap "a second file referring to what the database holds loads (exit 0)" status_is 0
tap "... its user's grant at lat04 (loaded by the first) with both clusters, in order" \
	is "$(q "SELECT string_agg(o.code || ':' || coalesce((SELECT string_agg(c.short_name, ',' ORDER BY gc.position) FROM grant_clusters gc JOIN clusters c ON c.id = gc.cluster_id WHERE gc.grant_id = g.id), ''), ' ' ORDER BY g.id) FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = g.org_id WHERE u.login = 'sec001'")" \
	"lat04:C61A6DB801,5EC0AD0001 man04:"
ad check --user sec001 --action users.manage --org G00003 --explain
tap "... and check against the database decides on it (allow at G00003 via 5EC0AD0001)" \
	eval 'status_is 0 && out_has "5EC0AD0001"'
tap "... the audit gained 3 rows (organisation, cluster, user)" \
	is "$(q 'SELECT count(*) FROM audit')" "$((base_audit + 3))"

# settings: only the switches a file names change
sw() { q 'SELECT require_site_restrictions || $$,$$ || require_study_restrictions FROM settings'; }
tap "settings start off, off" is "$(sw)" "false,false"
printf 'settings = { require_study_restrictions = true; };\n' >"$tmp/s1.conf"
ad db load "$tmp/s1.conf"
tap "a file naming require_study_restrictions turns on that one only" \
	eval 'status_is 0 && is "$(sw)" "false,true"'
tap "... with an audit row: before and after of the switches, operator the session user" \
	is "$(q "SELECT (operator = session_user) || ',' || (before->>'require_study_restrictions') || ',' || (after->>'require_study_restrictions') || ',' || (after->>'require_site_restrictions') FROM audit WHERE target_kind = 'settings' ORDER BY id DESC LIMIT 1")" \
	"true,false,true,false"
printf 'settings = { require_site_restrictions = true; };\n' >"$tmp/s2.conf"
ad db load "$tmp/s2.conf"
tap "a file naming require_site_restrictions leaves the study switch on" \
	eval 'status_is 0 && is "$(sw)" "true,true"'
printf 'settings = { };\n' >"$tmp/s3.conf"
ad db load "$tmp/s3.conf"
tap "an empty settings group changes neither" \
	eval 'status_is 0 && is "$(sw)" "true,true"'
printf 'organisations = ( { code = "lat08"; name = "LatOrg08"; parent = "nhs"; } );\n' >"$tmp/s4.conf"
ad db load "$tmp/s4.conf"
tap "a file without settings changes neither" \
	eval 'status_is 0 && is "$(sw)" "true,true"'
printf 'settings = { require_site_restrictions = false; require_study_restrictions = false; };\n' >"$tmp/s5.conf"
ad db load "$tmp/s5.conf"
tap "a file naming both sets both" \
	eval 'status_is 0 && is "$(sw)" "false,false"'

# hostile values through db load
f=$here/load-hostile.conf
ad db load "$f"
tap "load-hostile.conf loads" status_is 0
tap "an organisation name with quotes, a backslash and SQL, stored exactly" \
	is "$(q "SELECT name = :'v' FROM organisations WHERE code = 'h.root'" -v "v=O'Brien \"Practice\" \\ '; DROP TABLE organisations; --")" t
tap "a name with %, two backslashes and \$1, stored exactly" \
	is "$(q "SELECT name = :'v' FROM organisations WHERE code = 'h-site_1'" -v 'v=100% \\ %s%n $1')" t
tap "UTF-8 and SQL in a user's names, a quote and backslash in the email, stored exactly" \
	is "$(q "SELECT (first_name = :'a') || ',' || (last_name = :'b') || ',' || (email = :'c') FROM users WHERE login = 'h.user_1'" \
		-v 'a=Zoë Ødegård 李' -v "b=Robert'); DELETE FROM audit; --" -v "c=o'brien\\x@example.com")" \
	"true,true,true"
tap "the organisations table and the audit are all there" \
	is "$(q "SELECT (to_regclass('organisations') IS NOT NULL) || ',' || (SELECT count(*) > 0 FROM audit)")" "true,true"
ad check --user h.user_1 --action org.view --org h-site_1 --explain
tap "check against the database on the hostile world (allow)" status_is 0

# ---- (d) audit ------------------------------------------------------------------

newdb audit
migrate
ad db load "$cqrs"
tap "cqrs-seed.conf loads into a fresh database" status_is 0
tap "one audit row per created entity: 17 organisations, 4 clusters, 6 users" \
	is "$(q "SELECT string_agg(target_kind || '=' || n, ' ' ORDER BY target_kind) FROM (SELECT target_kind, count(*) AS n FROM audit GROUP BY 1) s")" \
	"cluster=4 organisation=17 user=6"
tap "every row: action create, operator the session user, no before, an after" \
	is "$(q "SELECT count(*) FROM audit WHERE action <> 'create' OR operator <> session_user OR before IS NOT NULL OR after IS NULL")" 0
tap "one row per entity, named by its key" \
	is "$(q "SELECT count(DISTINCT (target_kind, target)) FROM audit")" 27
tap "an organisation's after: code, name, parent's code and name" \
	is "$(q "SELECT concat_ws('|', after->>'code', after->>'name', after->>'parent', after->>'parent_name', after->>'is_site') FROM audit WHERE target_kind = 'organisation' AND target = 'A01AAA'")" \
	"A01AAA|SvcProviderA01|cgc04|CommOrg04|true"
tap "a cluster's after: short name, owner code and name, members in order, description" \
	is "$(q "SELECT concat_ws('|', after->>'short_name', after->>'name', after->>'owner', after->>'owner_name', after->>'members', after->>'description') FROM audit WHERE target_kind = 'cluster' AND target = 'B089991938'")" \
	'B089991938|Western Area GP Cluster|lat04|LatOrg04|["B01BBB", "C01CCC"]|Practices of the western area'
tap "a user's after: names, grants by organisation code and name, roles, payment types, clusters" \
	is "$(q "SELECT concat_ws('|', after->>'login', after->>'first_name', after->>'last_name', after->'grants'->0->>'org', after->'grants'->0->>'org_name', after->'grants'->0->>'roles', after->'grants'->0->>'payment_types', after->'grants'->0->>'clusters') FROM audit WHERE target_kind = 'user' AND target = 'kal738'")" \
	'kal738|Kenneth|Alloway|lat04|LatOrg04|["User Administrator", "View"]|["QOF", "DES"]|["C61A6DB801", "873CF39E1C"]'
tap "a user's row touches the organisations of its grants (org_ids)" \
	is "$(q "SELECT a.org_ids = ARRAY(SELECT g.org_id FROM grants g JOIN users u ON u.id = g.user_id WHERE u.login = 'gba204' ORDER BY g.id) FROM audit a WHERE target_kind = 'user' AND target = 'gba204'")" t
tap "an organisation's row touches that organisation" \
	is "$(q "SELECT a.org_ids = ARRAY[o.id] FROM audit a JOIN organisations o ON o.code = a.target WHERE a.target_kind = 'organisation' AND a.target = 'lat04'")" t

newdb audit_clin
migrate
ad db load "$clin"
tap "clinspark-seed.conf loads into a fresh database" status_is 0
tap "audit rows: 3 organisations, 2 roles, 5 studies, 11 users, 2 user access lists, settings" \
	is "$(q "SELECT string_agg(target_kind || '/' || action || '=' || n, ' ' ORDER BY target_kind, action) FROM (SELECT target_kind, action, count(*) AS n FROM audit GROUP BY 1, 2) s")" \
	"organisation/create=3 role/create=2 settings/update=1 study/create=5 study/user-access=2 user/create=11"
tap "a custom role's after: domain, reach, actions" \
	is "$(q "SELECT concat_ws('|', after->>'name', after->>'domain', after->>'actions') FROM audit WHERE target_kind = 'role' AND target = 'Role X'")" \
	'Role X|study|["data.entry", "study.view", "subject.view"]'
tap "a study's user access list: users and roles in order, the site" \
	is "$(q "SELECT concat_ws('|', after->>'site', after->>'user_access') FROM audit WHERE target_kind = 'study' AND target = 'STUDY-B' AND action = 'user-access'")" \
	'SITE-A|[{"role": "Role X", "user": "xy0001"}, {"role": "Recruiter", "user": "sta001"}]'
tap "a user's profile: roles, sites, restricted studies" \
	is "$(q "SELECT concat_ws('|', after->>'profile_roles', after->>'sites') FROM audit WHERE target_kind = 'user' AND target = 'rec001'")" \
	'["Investigator", "Recruiter"]|[{"site": "SITE-B", "recruitment_only": true}]'
tap "every row's operator is the session user" \
	is "$(q "SELECT count(*) FROM audit WHERE operator <> session_user")" 0

before=$(state)
tap "UPDATE on audit is refused (append-only)" \
	eval 'sql_fails "UPDATE audit SET operator = '\''mallory'\''" && err_has "append-only"'
tap "DELETE on audit is refused" \
	eval 'sql_fails "DELETE FROM audit WHERE target = '\''kal738'\''" && err_has "append-only"'
tap "DELETE matching no row is refused too" \
	eval 'sql_fails "DELETE FROM audit WHERE false" && err_has "append-only"'
tap "TRUNCATE audit is refused" \
	eval 'sql_fails "TRUNCATE audit" && err_has "append-only"'
tap "the audit is unchanged" is "$(state)" "$before"

# ---- (e) operator.source = "unix" -------------------------------------------

# The recorded Unix account (users.unix_account) names the operator first;
# a login that only happens to equal the Unix name never wins over it, and
# stands in only for a user who records no Unix account.
printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
	>"$tmp/flag.conf"
# report_as FILE [--operator LOGIN]: the report, by the Unix name (default
# configuration) or, with --operator, by flag; $status as ad sets it.
report_as() {
	out=$1
	shift
	if [ $# -gt 0 ]; then
		ad_conf=$tmp/flag.conf
	else
		ad_conf=$tmp/accessdesk.conf
	fi
	last="accessdesk report $*"
	"$bin" --config "$ad_conf" "$@" report </dev/null >"$out" 2>"$tmp/err"
	status=$?
	cp "$out" "$tmp/out"
}
me=$(id -un)
if ! printf '%s\n' "$me" | grep -Eqx '[a-z0-9][a-z0-9._-]{0,63}'; then
	skip "operator.source unix: the Unix name decides" "\"$me\" cannot be a login"
else
	newdb unix
	migrate
	ad db load "$cqrs"
	q "UPDATE users SET login = :'me' WHERE login = 'mch112'" -v me="$me" >/dev/null
	q "UPDATE users SET unix_account = :'me' WHERE login = 'kal738'" -v me="$me" >/dev/null
	report_as "$tmp/kal.csv" --operator kal738
	report_as "$tmp/login.csv" --operator "$me"
	tap "(a user $me by login, System Administrator, sees more than kal738)" \
		eval 'status_is 0 && ! cmp -s "$tmp/kal.csv" "$tmp/login.csv"'
	report_as "$tmp/unix.csv"
	tap "unix: the user recording Unix account $me (kal738) is the operator, not the login $me" \
		eval 'status_is 0 && cmp -s "$tmp/unix.csv" "$tmp/kal.csv"'
	q "UPDATE users SET unix_account = NULL WHERE login = 'kal738'" >/dev/null
	report_as "$tmp/unix.csv"
	tap "unix: with no Unix account recorded, the login $me stands in" \
		eval 'status_is 0 && cmp -s "$tmp/unix.csv" "$tmp/login.csv"'
	q "UPDATE users SET unix_account = 'someone-else' WHERE login = :'me'" -v me="$me" >/dev/null
	report_as "$tmp/unix.csv"
	tap "unix: a login $me whose recorded Unix account is another is not the operator (exit 2)" \
		eval 'status_is 2 && err_has "is not a user of this database (operator identified by unix)" && [ ! -s "$tmp/unix.csv" ]'
fi

echo "1..$n"
[ "$failures" -eq 0 ]
