#!/bin/sh
# test_list_screens.sh ACCESSDESK CONSOLE_DIR: the Users list's screens
# (issue 8, screens.md "1 Users"): the count names the rows on screen, with
# thousands separators; paging moves by the rows visible and skips none;
# the columns share the terminal's width, a cut cell ends with '>', Status
# is never cut and "+N not shown" stays visible; the name and organisation
# searches; r asks before replacing a file. TAP.
#
# As test_screens.sh: the real binary runs a key script
# (ACCESSDESK_TEST_KEYS) and <Dump> writes the screen as text; each step's
# expected lines are written here beside its keys, and rows are reached by
# search, never by counting <Down>. The database: screens.conf loaded, every
# user added on 20/03/2017, then users Bulk0001..Bulk2304 (Pat) and one
# with a long name, so that the list holds 2,314 users.
set -u
# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK CONSOLE_DIR" "$@"
bin=$1
dir=$2
tap_tmpdir ad-list-screens
# shellcheck source-path=SCRIPTDIR source=../db/pg.sh
. "$(dirname "$0")/../db/pg.sh"
pg_skip_without_server

# shellcheck source-path=SCRIPTDIR source=fixture.sh
. "$(dirname "$0")/fixture.sh"
screen_env "$tmp/console.conf"
# shellcheck source-path=SCRIPTDIR source=wrap.sh
. "$(dirname "$0")/wrap.sh"
runs=0

pg_newdb "ad_list_screens_$$"
if ! "$bin" --config "$tmp/console.conf" db migrate >/dev/null 2>"$tmp/err" ||
	! "$bin" --config "$tmp/console.conf" db load "$dir/screens.conf" >/dev/null 2>>"$tmp/err" ||
	! pg_q "INSERT INTO users (login, first_name, last_name, email, work_phone)
	        SELECT 'blk' || i, 'Pat', 'Bulk' || lpad(i::text, 4, '0'),
	               'pat' || i || '@nhs.uk', '0100'
	          FROM generate_series(1, 2313 - (SELECT count(*) FROM users)) i;
	        INSERT INTO users (login, first_name, last_name, email, work_phone)
	        VALUES ('fch100', 'Bartholomew', 'Featherstonehaugh-Cholmondeley',
	                'bfc@nhs.uk', '0100');
	        UPDATE users SET created_at = '2017-03-20 09:00'" >/dev/null; then
	echo "Bail out! cannot make the database"
	sed 's/^/# /' "$tmp/err" "$tmp/psql.err"
	exit 1
fi

# screen OPERATOR SIZE KEYS: runs the console as OPERATOR at SIZE (80x24,
# 132x40) with the key script KEYS; its screens go to $tmp/dump.
screen() {
	printf '%s' "$3" >"$tmp/keys"
	: >"$tmp/dump"
	runs=$((runs + 1))
	# shellcheck disable=SC2086 # the wrapper's words
	LC_ALL=C.UTF-8 ACCESSDESK_TEST_SIZE=$2 ACCESSDESK_TEST_KEYS=$tmp/keys \
		ACCESSDESK_TEST_DUMP=$tmp/dump ACCESSDESK_VALGRIND_LOG=$(wrap_log list) \
		$wrap "$bin" --config "$tmp/console.conf" \
		--operator "$1" </dev/null >"$tmp/out" 2>"$tmp/err"
	last="$1 at $2: $3"
	wrap_check "console $runs (as $1 at $2)" list
}
# line N: line N (from 1) of the screen dumped (each run dumps one).
line() {
	sed -n "${1}p" "$tmp/dump"
}
tap_context() {
	printf '# keys: %s\n' "$last"
	sed 's/^/#   screen: /' "$tmp/dump" | tail -26
	sed 's/^/#   stderr: /' "$tmp/err" | head -5
}
# line_is N TEXT: line N of the last screen is TEXT.
line_is() {
	[ "$(line "$1")" = "$2" ] && return 0
	printf '# line %s: got  "%s"\n# line %s: want "%s"\n' "$1" "$(line "$1")" "$1" "$2"
	return 1
}
# line_matches N REGEX: line N of the last screen matches the (ERE) REGEX.
line_matches() {
	line "$1" | grep -Eq -e "$2" && return 0
	printf '# line %s: got "%s"\n# want /%s/\n' "$1" "$(line "$1")" "$2"
	return 1
}


# ---- the count names the rows on screen -------------------------------------

screen mch112 80x24 "<Dump>"
tap "80x24: the count names the 18 rows shown, thousands separated" \
	line_matches 3 '^Search by: Name \[\] +1-18 of 2,314$'
tap "80x24: the 18th row is on screen (the body's last line)" \
	line_matches 22 '^Bulk0015, Pat '

screen mch112 80x40 "<Dump>"
tap "80x40: a taller terminal shows and counts 34 rows" \
	line_matches 3 ' 1-34 of 2,314$'

# ---- paging by the rows visible -------------------------------------------

screen mch112 80x24 "/Bulk00<Enter><Dump>"
tap "a search for Bulk00: 1-18 of 99, Bulk0018 on the last row" \
	eval 'line_matches 3 " 1-18 of 99$" && line_matches 22 "^Bulk0018, Pat "'
screen mch112 80x24 "/Bulk00<Enter> <Dump>"
tap "Space: 19-36 of 99" line_matches 3 ' 19-36 of 99$'
tap "Space skipped nothing: the 19th user by name is page 2's first row" \
	line_matches 5 '^Bulk0019, Pat '
tap "and the 36th its last" line_matches 22 '^Bulk0036, Pat '
screen mch112 80x24 "/Bulk00<Enter>  b<Dump>"
tap "b after two Spaces: back to 19-36, Bulk0019 first" \
	eval 'line_matches 3 " 19-36 of 99$" && line_matches 5 "^Bulk0019, Pat "'
screen mch112 132x40 "/Bulk00<Enter> <Dump>"
tap "132x40: Space moves by the 34 rows shown: 35-68, Bulk0035 first" \
	eval 'line_matches 3 " 35-68 of 99$" && line_matches 5 "^Bulk0035, Pat "'
screen mch112 80x24 "/Bulk22<Enter>G<Dump>"
tap "G: the last page counts from the end: 83-100 of 100, Bulk2282 to Bulk2299" \
	eval 'line_matches 3 " 83-100 of 100$" && line_matches 5 "^Bulk2282, Pat " && line_matches 22 "^Bulk2299, Pat "'

# ---- columns ----------------------------------------------------------------

screen mch112 80x24 "/Dinsdale<Enter><Dump>"
tap "80 columns: Status is never cut: Disabled whole" \
	line_is 5 'Dinsdale, Tessa    nhs             NHS England               20/03/2017 Disabled'
tap "80 columns: each column has its share (18, 15, 12, 12, 10, 8), a cut title ends with >" \
	line_is 4 'Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status'
screen mch112 80x24 "/Featherstone<Enter><Dump>"
tap "80 columns: a name cut short ends with >" \
	line_is 5 'Featherstonehaugh>                                           20/03/2017 Enabled'
screen mch112 132x40 "/Featherstone<Enter><Dump>"
tap "132 columns: more of the name is shown" \
	line_matches 5 '^Featherstonehaugh-Cholmondeley, B> +20/03/2017 Enabled$'
tap "132 columns: the titles are whole (34, 27, 24, 24, 10, 8)" \
	line_is 4 'Name ^                             Organisation ID(s)          Organisation(s)          Parent Organisation(s)   Date Added Status'
screen hwe500 80x24 "/Cheeseman<Enter><Dump>"
tap "80 columns: Organisation ID(s) cut keeps \"+7 not shown\" (the codes give way, with >)" \
	line_is 5 'Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled'
screen hwe500 132x40 "/Cheeseman<Enter><Dump>"
tap "132 columns: more of the codes before \"+7 not shown\"" \
	line_matches 5 '^Cheeseman, Matt +A01AAA, B01BB[^ ]*> \+7 not shown '

# ---- searches -----------------------------------------------------------------

for s in "Alloway" "Alloway, Kenneth" "Kenneth Alloway" "alloway, ken" "Ken All"; do
	screen mch112 80x24 "/$s<Enter><Dump>"
	tap "a name search for \"$s\" finds Kenneth Alloway alone" \
		eval 'line_matches 3 " 1-1 of 1$" && line_matches 5 "^Alloway, Kenneth "'
done
screen mch112 80x24 "/ken<Enter><Dump>"
tap "a name search for \"ken\" finds Kenneth Alloway" \
	line_matches 5 '^Alloway, Kenneth '
screen mch112 80x24 "fff/lat04<Enter><Dump>"
tap "Search by Organisation, a code: lat04's five users" \
	eval 'line_matches 3 "^Search by: Organisation \\[lat04\\] +1-5 of 5$"'
screen mch112 80x24 "fff/latorg04<Enter><Dump>"
tap "Search by Organisation, a name (LatOrg04): the same five users" \
	eval 'line_matches 3 " 1-5 of 5$" && line_matches 5 "^Alloway, Kenneth "'

# ---- the report asks before replacing a file ----------------------------------

printf 'keep me\n' >"$tmp/kept.csv"
screen mch112 80x24 "/Alloway<Enter>r<C-u>$tmp/kept.csv<Enter>n<Dump>"
tap "r onto an existing file, answered n: the file is kept" \
	eval '[ "$(cat "$tmp/kept.csv")" = "keep me" ]'
tap "and the message says so" \
	line_is 23 "$tmp/kept.csv: kept, the report was not written."
screen mch112 80x24 "/Alloway<Enter>r<C-u>$tmp/kept.csv<Enter>y<Dump>"
tap "answered y: the file is replaced by the report (1 row)" \
	eval 'head -1 "$tmp/kept.csv" | grep -q "^User ID,Last Name," && [ "$(wc -l <"$tmp/kept.csv")" -eq 2 ]'

echo "1..$n"
[ "$failures" -eq 0 ]
