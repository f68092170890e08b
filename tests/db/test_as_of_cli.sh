#!/bin/sh
# test_as_of_cli.sh: `who-has-access --org CODE --as-of DATE` against a
# real PostgreSQL (issue 12, part 4; screens.md "5 Audit", "As of"), as
# TAP.
#
# Usage: test_as_of_cli.sh /path/to/accessdesk /path/to/tests/policy
#
# The issue's proof: after a sequence of changes with known times, the
# list --as-of each moment equals who-has-access as it was measured at
# that moment. A database ad_asof_PID loaded with good/cqrs-seed.conf,
# tests/db/store-fixture.conf and tests/db/change-fixture.conf; then,
# through the command line, grants set, changed, narrowed by a cluster and
# revoked, a user disabled and enabled again, a `db load` adding an
# organisation, a cluster and a user; after each the moment (the next
# whole second by the server's clock, one second slept so the next change
# comes after it) and `who-has-access --org lat01 --csv`. Then, for each
# moment, --as-of that moment (its columns but the three given-by ones)
# must be what was measured. Also: a date before the trail and a bad date
# refused (exit 2), today's date equal to now, the Given By of a row naming
# the record that gave it, a date before an import refused.

# The eval strings below are expanded when each test runs, on purpose.
# shellcheck disable=SC2016
set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)

tap_tmpdir ad-asof
# shellcheck source-path=SCRIPTDIR source=pg.sh
. "$(dirname "$0")/pg.sh"
pg_skip_without_server
tap_runs

printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
	>"$tmp/flag.conf"

# The later load: an organisation under lat01, a cluster of the root with
# lat01 as member, a user granted View at lat01 and one on the cluster.
cat >"$tmp/later.conf" <<'EOF'
organisations = (
  { code = "lat01x"; name = "Later Child"; parent = "lat01"; }
);
clusters = (
  { short_name = "B00000000B"; name = "Later cluster"; owner = "nhs";
    members = [ "lat01" ]; }
);
users = (
  { login = "lat001"; first_name = "Larry"; last_name = "Later";
    email = "Larry.Later@nhs.uk"; work_phone = "0315840101";
    access = ( { org = "lat01"; roles = [ "View" ]; } ); },
  { login = "lat002"; first_name = "Lena"; last_name = "Later";
    email = "Lena.Later@nhs.uk"; work_phone = "0315840102";
    access = ( { org = "nhs"; roles = [ "View" ];
                 clusters = [ "B00000000B" ]; } ); }
);
EOF

pg_newdb "ad_asof_$$"
for step in "db migrate" "db load $dir/good/cqrs-seed.conf" \
	"db load $here/store-fixture.conf" "db load $here/change-fixture.conf"; do
	# shellcheck disable=SC2086 # the words of step, on purpose
	"$bin" --config "$tmp/flag.conf" $step >"$tmp/out" 2>"$tmp/err" || {
		echo "Bail out! $step failed"
		sed 's/^/# /' "$tmp/err"
		exit 1
	}
done

# as ARG...: accessdesk as mch112 (a root System Administrator); $status,
# $tmp/out, $tmp/err.
as() {
	last="accessdesk --operator mch112 $*"
	"$bin" --config "$tmp/flag.conf" --operator mch112 "$@" \
		</dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}
q() { pg_q "$@"; }

# The CSV without carriage returns and, with --as-of, without its last
# three columns (Record, Given By Operator, Given At: none holds a comma).
plain() { tr -d '\r' <"$tmp/out"; }
measured() { plain | sed 's/,[^,]*,[^,]*,[^,]*$//'; }

# moment K: after a change, the next whole second by the server's clock
# into $tmp/at.K, who has access now into $tmp/now.K; then a second slept
# so that the next change comes after that moment.
moments=0
moment() {
	q "SELECT to_char(date_trunc('second', clock_timestamp()) + interval '1 second', 'YYYY-MM-DD HH24:MI:SS')" >"$tmp/at.$moments"
	as who-has-access --org lat01 --csv
	[ "$status" -eq 0 ] || {
		echo "Bail out! who-has-access failed at moment $moments"
		sed 's/^/# /' "$tmp/err"
		exit 1
	}
	plain >"$tmp/now.$moments"
	moments=$((moments + 1))
	sleep 1
}

# change NAME ARG...: a change that must succeed, then its moment.
change() {
	change_name=$1
	shift
	as "$@"
	tap "$change_name" status_is 0
	moment
}

moment
change "grant set kal738 lat01 --roles View" grant set kal738 lat01 --roles View
grant_view=$(q "SELECT max(seq) FROM audit")
change "grant set kal738 lat01: User Administrator added, QOF" \
	grant set kal738 lat01 --roles "User Administrator,View" --payment-types QOF
grant_ua=$(q "SELECT max(seq) FROM audit")
change "user set kal738 --disabled" user set kal738 --disabled
change "user set kal738 --enabled" user set kal738 --enabled
change "grant set kal738 nhs narrowed to cluster A00000000A" \
	grant set kal738 nhs --roles View --clusters A00000000A
change "grant revoke kal738 lat01" grant revoke kal738 lat01
change "db load: an organisation, a cluster and two users later" \
	db load "$tmp/later.conf"
change "grant revoke gra001 nhs" grant revoke gra001 nhs
change "grant set lat002 nhs: the cluster dropped" grant set lat002 nhs --roles View

tap "(the $moments lists measured: 8 different ones)" \
	eval 'is "$(cat "$tmp"/now.* | md5sum >/dev/null; for f in "$tmp"/now.*; do md5sum <"$f"; done | sort -u | wc -l)" 8'

# ---- the proof ----------------------------------------------------------------

k=0
while [ "$k" -lt "$moments" ]; do
	when=$(cat "$tmp/at.$k")
	as who-has-access --org lat01 --csv --as-of "$when"
	tap "--as-of $when (moment $k): exit 0, as it was measured then" \
		eval 'status_is 0 && is "$(measured)" "$(cat "$tmp/now.$k")"'
	k=$((k + 1))
done

as who-has-access --org lat01 --csv --as-of "$(cat "$tmp/at.0")"
tap "... the CSV names its given-by columns after the others" \
	is "$(plain | head -1)" "User ID,Name,Organisation ID,Roles,Payment Types,Cluster,Member,Access From,Record,Given By Operator,Given At"

# ---- given by -----------------------------------------------------------------

# the row of kal738 at lat01 as of moment K: its last three fields
given_of() {
	as who-has-access --org lat01 --csv --as-of "$(cat "$tmp/at.$1")"
	plain | grep '^kal738,' | grep ',lat01,' | sed 's/.*,\([^,]*,[^,]*,[^,]*\)$/\1/'
}
view_at=$(q "SELECT to_char(at, 'DD/MM/YYYY HH24:MI:SS') FROM audit WHERE seq = $grant_view")
ua_at=$(q "SELECT to_char(at, 'DD/MM/YYYY HH24:MI:SS') FROM audit WHERE seq = $grant_ua")
tap "Given By at moment 1: the grant set that gave View (#$grant_view, mch112)" \
	is "$(given_of 1)" "$grant_view,mch112,$view_at"
tap "... at moment 2: the one that added User Administrator, the deciding role (#$grant_ua)" \
	is "$(given_of 2)" "$grant_ua,mch112,$ua_at"
tap "... at moment 4, disabled and enabled since: still #$grant_ua" \
	is "$(given_of 4)" "$grant_ua,mch112,$ua_at"
as who-has-access --org lat01 --as-of "$(cat "$tmp/at.2")"
tap "... the text names it \"#$grant_ua mch112 $ua_at\" and says as of when" \
	eval 'status_is 0 && out_has "#$grant_ua mch112 $ua_at" && out_has "Who had access to lat01 as of " && out_has "Given By"'
as who-has-access --org lat01 --csv --as-of "$(cat "$tmp/at.0")"
tap "... a grant the trail holds no giving of (the seed's roles, loaded): the db load record" \
	eval 'status_is 0 && [ -n "$(plain | grep "^mch112," | sed "s/.*,\([^,]*\),[^,]*,[^,]*$/\1/")" ]'

# ---- now, and what is refused ---------------------------------------------------

as who-has-access --org lat01 --csv
plain >"$tmp/now.last"
today=$(q "SELECT to_char(current_date, 'DD/MM/YYYY')")
as who-has-access --org lat01 --csv --as-of "$today"
tap "--as-of today ($today, the end of the day): what there is now" \
	eval 'status_is 0 && is "$(measured)" "$(cat "$tmp/now.last")"'

as who-has-access --org lat01 --as-of 2000-01-01
tap "--as-of 2000-01-01, before the trail: exit 2, says where the trail begins" \
	eval 'status_is 2 && err_has "--as-of 2000-01-01: the audit trail begins with record #1 at" && [ ! -s "$tmp/out" ]'
tomorrow=$(q "SELECT to_char(now() + interval '1 day', 'DD/MM/YYYY')")
as who-has-access --org lat01 --as-of "$tomorrow"
tap "--as-of tomorrow: exit 2, the date is still to come" \
	eval 'status_is 2 && err_has "that date is still to come" && [ ! -s "$tmp/out" ]'
as who-has-access --org lat01 --as-of 30/02/2026
tap "--as-of 30/02/2026: exit 2, not a date" \
	eval 'status_is 2 && err_has "--as-of: not a date" && err_has "30/02/2026" && [ ! -s "$tmp/out" ]'
as who-has-access --org lat01x --as-of "$(cat "$tmp/at.0")"
tap "--as-of before lat01x was made: exit 2, it did not exist then" \
	eval 'status_is 2 && err_has "organisation \"lat01x\" did not exist on"'
as who-has-access --org nowhere --as-of "$(cat "$tmp/at.0")"
tap "--as-of of an unknown organisation: exit 2" \
	eval 'status_is 2 && err_has "no organisation \"nowhere\""'

# an import after moment 3: the trail cannot undo it
q "INSERT INTO audit (operator, action, target_kind, target, org_ids) VALUES ('root', 'import', 'organisations', 'test.csv', '{}')" >/dev/null
import_seq=$(q "SELECT max(seq) FROM audit")
as who-has-access --org lat01 --as-of "$(cat "$tmp/at.3")"
tap "--as-of before an import: exit 2, names the import's record" \
	eval 'status_is 2 && err_has "the trail cannot rebuild access before the import of the organisations (record #$import_seq at"'
as who-has-access --org lat01 --csv --as-of "$today"
tap "... after it: listed" \
	eval 'status_is 0 && is "$(measured)" "$(cat "$tmp/now.last")"'

echo "1..$n"
[ "$failures" -eq 0 ]
