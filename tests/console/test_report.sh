#!/bin/sh
# test_report.sh ACCESSDESK POLICY_DIR: r on the Users list writes the
# Organisation / User report of what is listed (the search applies) to the
# file the operator names, with only the grants the operator may see. TAP.
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 ACCESSDESK POLICY_DIR" >&2
	exit 2
fi
bin=$1
policy=$2/good/cqrs-seed.conf
# shellcheck source-path=SCRIPTDIR source=fixture.sh
. "$(dirname "$0")/fixture.sh"
fixture report "$bin" "$policy"
# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
# shellcheck source-path=SCRIPTDIR source=wrap.sh
. "$(dirname "$0")/wrap.sh"
runs=0

# report KEYS...: runs the console as gba204 (who sees 4 users) with keys
report() {
	printf '%s' "$1" >"$tmp/keys"
	: >"$tmp/dump"
	runs=$((runs + 1))
	# shellcheck disable=SC2086 # the wrapper's words
	ACCESSDESK_TEST_KEYS=$tmp/keys ACCESSDESK_TEST_DUMP=$tmp/dump \
		ACCESSDESK_VALGRIND_LOG=$(wrap_log report) \
		$wrap "$bin" --config "$tmp/conf" --operator gba204
	wrap_check "console $runs" report
}
dumped() { grep -q -- "$1" "$tmp/dump"; }
line_is() { [ "$(sed -n "$1p" "$2" | tr -d '\r')" = "$3" ]; }
rows() { [ "$(($(wc -l <"$1") - 1))" -eq "$2" ]; }
lacks() { ! grep -q -- "$2" "$1"; }
holds() { grep -q -- "$2" "$1"; }
crlf() { head -1 "$1" | od -c | grep -q '\\r  \\n'; }
n_rows() { echo $(($(wc -l <"$1") - 1)); }
some_but_not_all() { [ "$(n_rows "$1")" -gt 1 ] && [ "$(n_rows "$1")" -lt "$2" ]; }
counted() { dumped "Wrote $(n_rows "$1") rows to"; }

report "/Al<Enter>r<C-u>$tmp/al.csv<Enter><Dump>"
tap "a search for Al, then r: the message says one row written" \
	dumped "Wrote 1 row to $tmp/al.csv."
tap "the file starts with the report's header" line_is 1 "$tmp/al.csv" \
	"User ID,Last Name,First Name,Email Address,Status,Date Added,Organisation ID,Organisation,Parent Organisation ID,Parent Organisation,Roles,Payment Types,Service Provider Clusters"
tap "and holds Kenneth Alloway's grant at lat04 only" holds "$tmp/al.csv" \
	"^kal738,Alloway,Kenneth,.*,lat04,LatOrg04,nhs,NHS England,"
tap "one row" rows "$tmp/al.csv" 1
tap "lines end CRLF (RFC 4180)" crlf "$tmp/al.csv"

report "r<C-u>$tmp/all.csv<Enter><Dump>"
all=$(psql -X -At -c "SELECT count(*) FROM grants g JOIN users u ON u.id = g.user_id")
tap "without a search: every listed user's visible grants, fewer than all $all" \
	some_but_not_all "$tmp/all.csv" "$all"
tap "Matt Cheeseman's grant at nhs, which gba204 may not see, is not in it" \
	lacks "$tmp/all.csv" "^mch112,.*,nhs,NHS England,,"
tap "the message counts the rows written" counted "$tmp/all.csv"

report "r<C-u>/no/such/dir/x.csv<Enter><Dump>"
tap "a file that cannot be written: the message says where" \
	dumped "/no/such/dir/x.csv: cannot write the report there"
echo "1..$n"
[ "$failures" -eq 0 ]
