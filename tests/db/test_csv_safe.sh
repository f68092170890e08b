#!/bin/sh
# test_csv_safe.sh: every CSV the command line writes to a file or a pipe
# is safe to open in a spreadsheet (issue 14, item 3), as TAP, against a
# real PostgreSQL: `report` (the database's COPY, through ad_csv_cell of
# sql/020_csv_cells.sql), `audit` and `who-has-access --csv`, now and
# --as-of (csv_row, src/text/csv.c). Values a spreadsheet would take for a
# formula are stored in the database: users' names
# (=HYPERLINK("http://x","y"), -1+1, +44 20 ..., @SUM(A1), a leading TAB,
# a leading CR, '=already, an embedded quote, a newline), an
# organisation's name (-LatOrg04) and an audit record's action and target.
# Each export is read byte for byte: by default each such cell has a
# single quote before it (OWASP's advice on CSV injection), and with
# --exact-csv it is the stored value; the rest of the row is the same both
# ways, quoted as RFC 4180 says.
#
# Usage: test_csv_safe.sh ACCESSDESK POLICY_DIR

set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)

tap_tmpdir ad-csv-safe
# shellcheck source-path=SCRIPTDIR source=pg.sh
. "$(dirname "$0")/pg.sh"
pg_skip_without_server
tap_runs

printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
	>"$tmp/flag.conf"

pg_newdb "ad_csv_safe_$$"
for step in "db migrate" "db load $dir/good/cqrs-seed.conf" \
	"db load $here/store-fixture.conf"; do
	# shellcheck disable=SC2086 # the words of step, on purpose
	"$bin" --config "$tmp/flag.conf" $step >"$tmp/out" 2>"$tmp/err" || {
		echo "Bail out! $step failed"
		sed 's/^/# /' "$tmp/err"
		exit 1
	}
done

tab=$(printf '\t')
cr=$(printf '\r')
lf='
'
# The hostile values, stored by parameters (psql variables).
pg_q "UPDATE users SET last_name = CASE login
	WHEN 'gba204' THEN :'a1' WHEN 'aua001' THEN :'b1'
	WHEN 'ua0001' THEN :'c1' WHEN 'tgt001' THEN :'d1'
	WHEN 'pno100' THEN :'e1' END,
	first_name = CASE login
	WHEN 'gba204' THEN :'a2' WHEN 'aua001' THEN :'b2'
	WHEN 'ua0001' THEN :'c2' WHEN 'tgt001' THEN :'d2'
	WHEN 'pno100' THEN :'e2' END
	WHERE login IN ('gba204', 'aua001', 'ua0001', 'tgt001', 'pno100');
	UPDATE organisations SET name = '-LatOrg04' WHERE code = 'lat04';
	INSERT INTO audit (operator, action, target_kind, target, org_ids)
	SELECT 'x', '=cmd', 'user', :'t', ARRAY[id] FROM organisations
	WHERE code = 'lat04'" \
	-v a1='=HYPERLINK("http://x","y")' -v a2='-1+1' \
	-v b1='+44 20 7946 0000' -v b2='@SUM(A1)' \
	-v c1="$tab=1" -v c2="$cr=2" \
	-v d1="'=already" -v d2="=1$lf+2" \
	-v e1='=a "quote"' -v e2='plain=1' \
	-v t="@SUM(1+1)*cmd|' /C calc'!A0" >/dev/null || {
	echo "Bail out! the hostile values: $(cat "$tmp/psql.err")"
	exit 1
}

# export NAME ARG...: accessdesk as mch112 (a root System Administrator)
# into $tmp/NAME.csv; a TAP case: it exits 0.
export_csv() {
	name=$1
	shift
	last="accessdesk --operator mch112 $*"
	"$bin" --config "$tmp/flag.conf" --operator mch112 "$@" \
		</dev/null >"$tmp/$name.csv" 2>"$tmp/err"
	status=$?
	cp "$tmp/err" "$tmp/out"
	tap "$* exits 0" status_is 0
}

# The bytes of standard input as " 3d 48 ...", so that a search for a
# value's bytes cannot match across a byte's two digits.
hex() {
	od -An -v -tx1 | tr -d '\n'
}

# holds FILE TEXT: FILE holds the bytes of TEXT (CR, LF and all).
holds() {
	file_=$(hex <"$1")
	want_=$(printf '%s' "$2" | hex)
	case "$file_" in
	*"$want_"*) return 0 ;;
	esac
	printf '# %s lacks:%s\n' "$(basename "$1")" "$want_"
	return 1
}

# both NAME SAFE EXACT...: pairs of what the default writes and what
# --exact-csv writes: every SAFE is in $tmp/NAME.csv (the default's file)
# and every EXACT in $tmp/NAME-exact.csv.
both() {
	safe_=$tmp/$1.csv
	exact_=$tmp/$1-exact.csv
	shift
	while [ $# -ge 2 ]; do
		holds "$safe_" "$1" || return 1
		holds "$exact_" "$2" || return 1
		shift 2
	done
}

# ---- report --------------------------------------------------------------

export_csv report report
export_csv report-exact --exact-csv report
tap "report: each would-be formula has a quote before it by default and is \
exact with --exact-csv, quoted as RFC 4180 says" both report \
	"${cr}${lf}gba204,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'-1+1,Gemma.Barlow@nhs.uk," \
	"${cr}${lf}gba204,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1+1,Gemma.Barlow@nhs.uk," \
	"${cr}${lf}aua001,'+44 20 7946 0000,'@SUM(A1),Ada.Ames@nhs.uk," \
	"${cr}${lf}aua001,+44 20 7946 0000,@SUM(A1),Ada.Ames@nhs.uk," \
	"${cr}${lf}ua0001,'$tab=1,\"'$cr=2\",Uma.Adams@nhs.uk," \
	"${cr}${lf}ua0001,$tab=1,\"$cr=2\",Uma.Adams@nhs.uk," \
	"${cr}${lf}tgt001,'=already,\"'=1$lf+2\",Tom.Target@nhs.uk," \
	"${cr}${lf}tgt001,'=already,\"=1$lf+2\",Tom.Target@nhs.uk," \
	"${cr}${lf}pno100,\"'=a \"\"quote\"\"\",plain=1,Pat.Noakes@nhs.uk," \
	"${cr}${lf}pno100,\"=a \"\"quote\"\"\",plain=1,Pat.Noakes@nhs.uk," \
	",lat04,'-LatOrg04,nhs,NHS England," ",lat04,-LatOrg04,nhs,NHS England,"
# same_rows NAME N: the default's file is the exact one and N bytes (the
# quotes added), so nothing else differs in size.
same_rows() {
	[ "$(wc -c <"$tmp/$1.csv")" -eq \
		$(($(wc -c <"$tmp/$1-exact.csv") + $2)) ] && return 0
	echo "# $(wc -c <"$tmp/$1.csv") bytes by default, $(wc -c <"$tmp/$1-exact.csv") exact"
	return 1
}
# the quotes added: one for each name of a user or an organisation that
# begins with one of the characters, on each of the grants' rows, as the
# database counts them
added=$(pg_q "SELECT sum((left(u.last_name, 1) IN ('=', '+', '-', '@', E'\t', E'\r'))::int
	+ (left(u.first_name, 1) IN ('=', '+', '-', '@', E'\t', E'\r'))::int
	+ (left(g.o_name, 1) = '-')::int + (left(g.p_name, 1) = '-')::int)
	FROM grants g JOIN users u ON u.id = g.user_id")
tap "report: the two files differ by the quotes alone ($added)" same_rows report "$added"

# ---- audit -----------------------------------------------------------------

export_csv audit audit
export_csv audit-exact --exact-csv audit
tap "audit: the record's action and target have a quote before them by \
default, exact with --exact-csv" both audit \
	",x,'=cmd,user,'@SUM(1+1)*cmd|' /C calc'!A0,,," \
	",x,=cmd,user,@SUM(1+1)*cmd|' /C calc'!A0,,,"
tap "audit: the two files differ by those two quotes alone" same_rows audit 2

# ---- who-has-access --------------------------------------------------------

export_csv who who-has-access --org lat04 --csv
export_csv who-exact --exact-csv who-has-access --org lat04 --csv
who_pairs() {
	both "$1" \
		"${cr}${lf}gba204,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), -1+1\",lat04," \
		"${cr}${lf}gba204,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), -1+1\",lat04," \
		"${cr}${lf}aua001,\"'+44 20 7946 0000, @SUM(A1)\",lat04," \
		"${cr}${lf}aua001,\"+44 20 7946 0000, @SUM(A1)\",lat04," \
		"${cr}${lf}ua0001,\"'$tab=1, $cr=2\",lat04," \
		"${cr}${lf}ua0001,\"$tab=1, $cr=2\",lat04," \
		"${cr}${lf}tgt001,\"'=already, =1$lf+2\",lat04," \
		"${cr}${lf}tgt001,\"'=already, =1$lf+2\",lat04,"
}
tap "who-has-access --csv: a name that begins as a formula has a quote \
before it by default, exact with --exact-csv" who_pairs who
tap "who-has-access --csv: the two differ by three quotes (gba204, aua001, \
ua0001)" same_rows who 3

today=$(date +%Y-%m-%d)
export_csv asof who-has-access --org lat04 --csv --as-of "$today"
export_csv asof-exact --exact-csv who-has-access --org lat04 --csv \
	--as-of "$today"
tap "who-has-access --as-of --csv: the same, with who gave each row" \
	who_pairs asof
tap "who-has-access --as-of --csv: the two differ by three quotes" \
	same_rows asof 3

# ---- the options' words ----------------------------------------------------

"$bin" --help >"$tmp/help" 2>&1
names_it() { grep -q -- '--exact-csv' "$tmp/help"; }
tap "--help names --exact-csv" names_it

echo "1..$n"
[ "$failures" -eq 0 ]
