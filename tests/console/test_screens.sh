#!/bin/sh
# test_screens.sh: the console's screens, tested as tig tests its own: the
# real accessdesk binary runs a key script (ACCESSDESK_TEST_KEYS) and dumps
# whole screens as text (<Dump> appends to ACCESSDESK_TEST_DUMP, each
# screen followed by "-- cursor Y,X"); the dumps are compared with diff to
# the expected screens in expected/. No sleeps: the only waits are on the
# console's own output (a dump written to a FIFO), each bounded by a
# timeout that fails the test rather than hang it.
#
# Usage: test_screens.sh /path/to/accessdesk /path/to/tests/console
#
# Runs against the server of the PG* environment (the suite runs inside
# pg_virtualenv; by hand: pg_virtualenv -t sh tests/console/test_screens.sh
# build/accessdesk tests/console). Each scenario gets a fresh database
# ad_screens_NAME (migrated, screens.conf loaded, every created_at set to
# 20/03/2017 as on the seed's list), dropped at the end. Skips (1..0)
# when no PostgreSQL answers.
#
# Every scenario runs twice, with LC_ALL=C.UTF-8 and with LC_ALL=C: the
# screens are expected/NAME.txt in both, except where non-ASCII names show:
# there the C locale's are expected/NAME.C.txt (each such character a '?',
# the columns unmoved). The key scripts are keys/*.keys (line breaks in
# them are ignored).
#
#   walkthrough  the seed's job aid end to end: the Users list as an
#                Advanced User Administrator of lat04 (hwe500, holding View
#                and Kenneth's payment types QOF DES), Kenneth Alloway's
#                User Details, down to Service Provider Cluster(s), tick
#                C61A6DB801, Ctrl-S: "Updated user successfully."; the
#                database holds the cluster, the audit's last row agrees
#   add          Add New User as a System Administrator (mch112) with
#                email.allowed_domains = ["nhs.uk"]: Submit empty, then
#                each field's message in turn, a mismatched Confirm Email,
#                a domain not allowed, Add Organisation through the picker
#                (typed filter, Enter), a grant with no role refused, a role
#                ticked, the [ Submit ] button: "Added user jdoNNN
#                successfully." (the generated User ID checked by its
#                shape, then replaced by jdo### for the comparison)
#   conflict     session A (hwe500) opens kal738 and ticks a cluster; then
#                session B (mch112) changes kal738's work phone and saves;
#                then A submits: A's message names mch112, A's tick stays
#                on screen, the database holds B's change only. A reads its
#                keys from a FIFO fed in steps; the test waits for A's
#                dumps on a second FIFO
#   ua           a User Administrator of cgc04 (uad400): the list holds the
#                users of cgc04 only (1-4 of 4); ticking System
#                Administrator on Pat Noakes shows the engine's refusal and
#                the box stays unticked; a search for Alloway finds nobody
#   why          Why? (w) for Zoë Nuñez, restricted by two clusters
#   frame        the key bar, Help (?) and its scrolling, the tab keys,
#                sorting both ways (the marker on the sorted column), the
#                form's own help (F1), "Terminal too small: 80x24 needed"
#                at 70x20 and back at 80x24 with the typed input kept, Esc
#                asking before discarding
#   readonly     --read-only: Add refused with a message and not offered,
#                the form's fields refuse typing and ticking with the
#                reason, Submit refused, nothing written
#   notice       a server notice raised during a save (a trigger of the
#                test's own on users, its text holding an ESC) shows on the
#                message line after "Updated user successfully.",
#                sanitised, and never on raw stderr
#   hidden       hwe500 (lat04) and Matt Cheeseman, whose grants outside
#                lat04 it may not see: the list row, User Details (the
#                grants under lat04, "+7 not shown", and a refusal that
#                counts the others instead of naming them), Why? (the same
#                grants, the study at A01AAA, a study at D01DDD counted);
#                each step's screens in a file of its own (hidden-form,
#                hidden-why); then (hidden.conf loaded on top) hid500, who
#                manages users at lat05 without seeing them there, changes
#                two500's email: the grant at lat05, never shown, is
#                written back as it was (hidden-save)
#   noroot       no enabled root System Administrator: the top line says
#                that no one can administer the whole tree
#   email        hwe500 gives Kenneth Alloway an email another user has (in
#                another case): leaving the field warns, naming Gemma
#                Barlow, whom hwe500 may see, and not Tessa Dinsdale (a
#                grant at the root only); an email no one has gets no
#                warning; Ctrl-S saves with the warning: a warning, never a
#                refusal
#
# UPDATE_EXPECTED=1 writes the screens got into expected/ instead of
# comparing (then review them with git diff before committing).

# The eval strings below are expanded when each test runs, on purpose.
# shellcheck disable=SC2016
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 ACCESSDESK CONSOLE_DIR" >&2
	exit 2
fi
bin=$1
dir=$2
conf=$dir/screens.conf
keys=$dir/keys
expected=$dir/expected

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ad-screens.XXXXXX") || exit 1
dbs=
apid=
cleanup() {
	exec 4>&-
	if [ -n "$apid" ]; then
		kill -s KILL "$apid" 2>/dev/null
		wait "$apid" 2>/dev/null
	fi
	for d in $dbs; do
		dropdb --if-exists "$d" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PGCLIENTENCODING=UTF8
export PGCLIENTENCODING
unset PGOPTIONS
# The screens must not depend on the caller's terminal or colours.
TERM=vt100
export TERM
unset NO_COLOR ACCESSDESK_TEST_KEYS ACCESSDESK_TEST_DUMP ACCESSDESK_TEST_SIZE

# The configurations: the operator named with --operator; the Add test's
# also allows only nhs.uk addresses.
printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
	>"$tmp/console.conf"
cat "$tmp/console.conf" - >"$tmp/nhs-only.conf" <<'EOF'
email = { allowed_domains = [ "nhs.uk" ]; };
EOF

# ---- no server: skip ------------------------------------------------------

if ! psql -X -At -d postgres -c 'SELECT 1' >/dev/null 2>"$tmp/err"; then
	if [ -z "${PGHOST:-}${PGHOSTADDR:-}${PGPORT:-}${PGDATABASE:-}${PGUSER:-}${PGSERVICE:-}" ]; then
		echo "1..0 # SKIP no PostgreSQL"
		exit 0
	fi
	if ! grep -q -e 'could not connect' -e 'No such file' -e 'Connection refused' "$tmp/err"; then
		echo "Bail out! cannot connect to PostgreSQL"
		sed 's/^/# /' "$tmp/err"
		exit 1
	fi
	echo "1..0 # SKIP no PostgreSQL"
	exit 0
fi

# ---- TAP --------------------------------------------------------------------

locales="C.UTF-8 C"
# per locale: walkthrough 3, add 3, conflict 4, ua 2, why 1, frame 1,
# readonly 2, notice 2, hidden 5, noroot 1, email 2
plan=$((2 * (3 + 3 + 4 + 2 + 1 + 1 + 2 + 2 + 5 + 1 + 2)))
echo "1..$plan"

n=0
ok() {
	n=$((n + 1))
	printf 'ok %d - %s\n' "$n" "$1"
}
not_ok() {
	n=$((n + 1))
	printf 'not ok %d - %s\n' "$n" "$1"
}

# tap NAME COMMAND...: passes when COMMAND succeeds (its output is shown
# as comments when it fails).
tap() {
	name=$1
	shift
	if "$@" >"$tmp/tap.out" 2>&1; then
		ok "$name"
	else
		not_ok "$name"
		sed 's/^/# /' "$tmp/tap.out"
	fi
}

is() { # GOT WANT
	[ "$1" = "$2" ] && return 0
	printf 'got:  %s\nwant: %s\n' "$1" "$2"
	return 1
}

# ---- running things -------------------------------------------------------

# newdb NAME: a fresh database ad_screens_NAME made the current one, with
# the schema, screens.conf, and every user added on 20/03/2017.
newdb() {
	PGDATABASE=ad_screens_$1
	export PGDATABASE
	case " $dbs " in
	*" $PGDATABASE "*) ;;
	*) dbs="$dbs $PGDATABASE" ;;
	esac
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	if ! createdb "$PGDATABASE" 2>"$tmp/err" ||
		! "$bin" --config "$tmp/console.conf" db migrate >/dev/null 2>>"$tmp/err" ||
		! "$bin" --config "$tmp/console.conf" db load "$conf" >/dev/null 2>>"$tmp/err" ||
		! q "UPDATE users SET created_at = '2017-03-20 09:00'" >/dev/null; then
		echo "Bail out! cannot make the database $PGDATABASE"
		sed 's/^/# /' "$tmp/err"
		exit 1
	fi
}

# q SQL [PSQL ARGS...]: rows of the current database, |-separated.
q() {
	sql=$1
	shift
	printf '%s\n' "$sql" | psql -X -q -At -v ON_ERROR_STOP=1 "$@" 2>>"$tmp/psql.err"
}

# console DUMP KEYS CONFIG OPERATOR [OPTION...]: runs the console in test
# mode at 80x24 in the locale $loc; its screens are appended to DUMP.
console() {
	dump=$1 script=$2 config=$3 operator=$4
	shift 4
	LC_ALL=$loc ACCESSDESK_TEST_SIZE=80x24 \
		ACCESSDESK_TEST_KEYS=$script ACCESSDESK_TEST_DUMP=$dump \
		"$bin" --config "$config" --operator "$operator" "$@" \
		</dev/null >"$tmp/console.out" 2>"$tmp/console.err"
	status=$?
	err=$tmp/console.err
}

# same_screens NAME GOT: GOT against expected/NAME.txt, or in the C locale
# expected/NAME.C.txt where it exists; the differences are printed.
# With UPDATE_EXPECTED=1, writes GOT there instead.
same_screens() {
	want=$expected/$1.txt
	if [ "$loc" = C ] && [ -f "$expected/$1.C.txt" ]; then
		want=$expected/$1.C.txt
	fi
	if [ -n "${UPDATE_EXPECTED:-}" ]; then
		if [ "$loc" = C ]; then
			if cmp -s "$2" "$expected/$1.txt"; then
				rm -f "$expected/$1.C.txt"
			else
				cp "$2" "$expected/$1.C.txt"
			fi
		else
			cp "$2" "$expected/$1.txt"
		fi
		return 0
	fi
	rc=0
	if [ "$status" -ne 0 ]; then
		echo "accessdesk exited with status $status"
		sed 's/^/stderr: /' "$err"
		rc=1
	fi
	if [ ! -f "$2" ]; then
		echo "no screen was dumped"
		rc=1
	elif ! diff -u "$want" "$2"; then
		rc=1
	fi
	return $rc
}

# ---- the scenarios ----------------------------------------------------------

scenario_walkthrough() {
	newdb walk
	got=$tmp/walkthrough.$loc.txt
	console "$got" "$keys/walkthrough.keys" "$tmp/console.conf" hwe500
	tap "walkthrough ($loc): Users list, Kenneth Alloway's User Details, a cluster ticked, \"Updated user successfully.\"" \
		same_screens walkthrough "$got"
	tap "walkthrough ($loc): kal738's lat04 grant has cluster C61A6DB801 selected, and nothing else changed" \
		is "$(q "SELECT o.code || ':' || string_agg(c.short_name, ',' ORDER BY gc.position) || ':' || u.work_phone
		          FROM users u JOIN grants g ON g.user_id = u.id JOIN organisations o ON o.id = g.org_id
		          LEFT JOIN grant_clusters gc ON gc.grant_id = g.id LEFT JOIN clusters c ON c.id = gc.cluster_id
		         WHERE u.login = 'kal738' GROUP BY o.code, u.work_phone")" \
		"lat04:C61A6DB801:0315841236"
	tap "walkthrough ($loc): the audit's last row: hwe500 update user kal738, clusters [] before, [C61A6DB801] after" \
		is "$(q "SELECT concat_ws('|', operator, action, target_kind, target,
		                 before->'grants'->0->>'org', before->'grants'->0->'clusters',
		                 after->'grants'->0->>'org', after->'grants'->0->'clusters',
		                 before->'grants'->0->'roles' = after->'grants'->0->'roles')
		          FROM audit ORDER BY id DESC LIMIT 1")" \
		'hwe500|update|user|kal738|lat04|[]|lat04|["C61A6DB801"]|t'
}

scenario_add() {
	newdb add
	raw=$tmp/add.$loc.raw
	got=$tmp/add.$loc.txt
	console "$raw" "$keys/add.keys" "$tmp/nhs-only.conf" mch112
	login=$(q "SELECT login FROM users WHERE email = 'Jane.Doe@nhs.uk'")
	tap "add ($loc): the User ID generated for Jane Doe is jdo and three digits (got \"$login\")" \
		eval 'printf "%s\n" "$login" | grep -Eqx "jdo[1-9][0-9]{2}"'
	if [ -n "$login" ]; then
		sed "s/$login/jdo###/g" "$raw" >"$got"
	else
		cp "$raw" "$got" 2>/dev/null
	fi
	tap "add ($loc): each field's message in turn, Confirm Email, the domain, the picker, a role, \"Added user jdoNNN successfully.\"" \
		same_screens add "$got"
	tap "add ($loc): the user is stored as typed, with lat04 - View, audited as created by mch112" \
		is "$(q "SELECT concat_ws('|', u.title, u.first_name, u.last_name, u.email, u.work_phone,
		                 coalesce(u.mobile_phone, '-'), u.enabled, o.code, r.name,
		                 (SELECT operator || ' ' || action FROM audit
		                   WHERE target_kind = 'user' AND target = u.login ORDER BY id DESC LIMIT 1))
		          FROM users u JOIN grants g ON g.user_id = u.id JOIN organisations o ON o.id = g.org_id
		          JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id
		         WHERE u.email = 'Jane.Doe@nhs.uk'")" \
		'Ms|Jane|Doe|Jane.Doe@nhs.uk|01632 960001|-|t|lat04|View|mch112 create'
}

# await_dump FILE: copies the next screen session A dumps into FILE; fails
# when none comes within 20 s (A died, or does not read its keys as they
# come).
await_dump() {
	timeout 20 cat "$tmp/a.dump" >"$1"
}

scenario_conflict() {
	newdb conflict
	rm -f "$tmp/a.keys" "$tmp/a.dump"
	mkfifo "$tmp/a.keys" "$tmp/a.dump" || {
		echo "Bail out! mkfifo failed"
		exit 1
	}
	a1=$tmp/conflict-a1.$loc.txt
	a2=$tmp/conflict-a2.$loc.txt
	b=$tmp/conflict-b.$loc.txt
	# Held open read-write, the FIFO never blocks the test, and A sees
	# the script's end only when the test closes it.
	exec 4<>"$tmp/a.keys"
	LC_ALL=$loc ACCESSDESK_TEST_SIZE=80x24 \
		ACCESSDESK_TEST_KEYS=$tmp/a.keys ACCESSDESK_TEST_DUMP=$tmp/a.dump \
		"$bin" --config "$tmp/console.conf" --operator hwe500 \
		</dev/null >"$tmp/a.out" 2>"$tmp/a.err" 4>&- &
	apid=$!
	err=$tmp/a.err
	# step 1: A opens kal738, ticks C61A6DB801, and shows it
	cat "$keys/conflict-a1.keys" >&4
	if await_dump "$a1"; then
		status=0
		tap "conflict ($loc): session A (hwe500) has kal738 open with C61A6DB801 ticked, not submitted" \
			same_screens conflict-a1 "$a1"
		# step 2: session B, run to its end, saves a change to kal738
		console "$b" "$keys/conflict-b.keys" "$tmp/console.conf" mch112
		tap "conflict ($loc): session B (mch112) changes kal738's work phone: \"Updated user successfully.\"" \
			same_screens conflict-b "$b"
		# step 3: A submits its stale form
		cat "$keys/conflict-a2.keys" >&4
		if await_dump "$tmp/a2.raw"; then
			# B's save time, in the message: its place, not its value
			sed -e 's#[0-9][0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]#DD/MM/YYYY#g' \
				-e 's#[0-9][0-9]:[0-9][0-9]:[0-9][0-9]#hh:mm:ss#g' \
				"$tmp/a2.raw" >"$a2"
			exec 4>&-
			wait "$apid"
			status=$?
			apid=
			err=$tmp/a.err
			tap "conflict ($loc): A's Submit names mch112 and keeps A's tick on screen" \
				same_screens conflict-a2 "$a2"
		else
			not_ok "conflict ($loc): A's Submit names mch112 and keeps A's tick on screen"
			echo "# session A dumped no screen after its Submit within 20 s"
			sed 's/^/# stderr: /' "$tmp/a.err"
		fi
	else
		not_ok "conflict ($loc): session A (hwe500) has kal738 open with C61A6DB801 ticked, not submitted"
		echo "# session A dumped no screen within 20 s of its first keys: does the"
		echo "# console read ACCESSDESK_TEST_KEYS as it comes (a FIFO fed in steps)?"
		sed 's/^/# stderr: /' "$tmp/a.err"
		not_ok "conflict ($loc): session B (mch112) changes kal738's work phone: \"Updated user successfully.\" (session A failed)"
		not_ok "conflict ($loc): A's Submit names mch112 and keeps A's tick on screen (session A failed)"
	fi
	exec 4>&-
	if [ -n "$apid" ]; then
		kill -s KILL "$apid" 2>/dev/null
		wait "$apid" 2>/dev/null
		apid=
	fi
	tap "conflict ($loc): the database holds B's change only: work phone 0315841299, no cluster; last audit row mch112's" \
		is "$(q "SELECT u.work_phone || '|' || count(gc.cluster_id) || '|' ||
		                (SELECT operator || ' ' || action FROM audit ORDER BY id DESC LIMIT 1)
		          FROM users u JOIN grants g ON g.user_id = u.id
		          LEFT JOIN grant_clusters gc ON gc.grant_id = g.id
		         WHERE u.login = 'kal738' GROUP BY u.work_phone")" \
		"0315841299|0|mch112 update"
}

scenario_ua() {
	newdb ua
	got=$tmp/ua.$loc.txt
	before=$(q "SELECT max(id) FROM audit")
	console "$got" "$keys/ua.keys" "$tmp/console.conf" uad400
	tap "ua ($loc): a User Administrator of cgc04 sees its 4 users; System Administrator refused with the engine's reason, unticked" \
		same_screens ua "$got"
	tap "ua ($loc): nothing was written" \
		is "$(q "SELECT max(id) FROM audit")|$(q "SELECT string_agg(r.name, ',') FROM users u JOIN grants g ON g.user_id = u.id JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id WHERE u.login = 'pno100'")" \
		"$before|User Administrator"
}

scenario_why() {
	newdb why
	got=$tmp/why.$loc.txt
	console "$got" "$keys/why.keys" "$tmp/console.conf" hwe500
	tap "why ($loc): Why? for a user restricted by two clusters, the whole screen" \
		same_screens why "$got"
}

scenario_frame() {
	newdb frame
	got=$tmp/frame.$loc.txt
	console "$got" "$keys/frame.keys" "$tmp/console.conf" hwe500
	tap "frame ($loc): key bar, help, tabs, sorting, too small at 70x20 and back with the input kept, Esc asks" \
		same_screens frame "$got"
}

scenario_readonly() {
	newdb readonly
	got=$tmp/readonly.$loc.txt
	before=$(q "SELECT max(id) FROM audit")
	console "$got" "$keys/readonly.keys" "$tmp/console.conf" hwe500 --read-only
	tap "readonly ($loc): Add refused and not offered, fields and Submit refused with the reason" \
		same_screens readonly "$got"
	tap "readonly ($loc): nothing was written" \
		is "$(q "SELECT max(id) FROM audit")" "$before"
}

scenario_notice() {
	newdb notice
	got=$tmp/notice.$loc.txt
	q "CREATE FUNCTION test_notice() RETURNS trigger LANGUAGE plpgsql AS \$\$
	   BEGIN
	     RAISE NOTICE '% is watched: tell the %', NEW.login,
	       chr(27) || '[31mred desk';
	     RETURN NEW;
	   END \$\$;
	   CREATE TRIGGER test_notice AFTER UPDATE ON users FOR EACH ROW
	     WHEN (NEW.login = 'kal738') EXECUTE FUNCTION test_notice()" >/dev/null
	console "$got" "$keys/notice.keys" "$tmp/console.conf" hwe500
	tap "notice ($loc): a trigger's RAISE NOTICE during the save shows after \"Updated user successfully.\", its ESC as '?'" \
		same_screens notice "$got"
	tap "notice ($loc): the save was made, and the notice went nowhere else (stdout, stderr)" \
		is "$(q "SELECT email FROM users WHERE login = 'kal738'")|$(cat "$tmp/console.out" "$tmp/console.err")" \
		"Ken.Alloway@nhs.uk|"
}

scenario_hidden() {
	newdb hidden
	# a study at a site hwe500 may not see (D01DDD, below lat01)
	q "INSERT INTO studies (code, name, site_id) SELECT 'S-002',
	     'Second in human', id FROM organisations WHERE code = 'D01DDD'" >/dev/null
	before=$(q "SELECT max(id) FROM audit")
	got=$tmp/hidden-form.$loc.txt
	console "$got" "$keys/hidden-form.keys" "$tmp/console.conf" hwe500
	tap "hidden ($loc): mch112's row and User Details for hwe500: its grants under lat04 only, \"+7 not shown\", the reason counting the others" \
		same_screens hidden-form "$got"
	got=$tmp/hidden-why.$loc.txt
	console "$got" "$keys/hidden-why.keys" "$tmp/console.conf" hwe500
	tap "hidden ($loc): Why? for mch112: the same grants, the study at A01AAA, the one at D01DDD counted" \
		same_screens hidden-why "$got"
	tap "hidden ($loc): nothing was written" \
		is "$(q "SELECT max(id) FROM audit")" "$before"
	"$bin" --config "$tmp/console.conf" db load "$dir/hidden.conf" >/dev/null 2>&1
	got=$tmp/hidden-save.$loc.txt
	console "$got" "$keys/hidden-save.keys" "$tmp/console.conf" hid500
	tap "hidden ($loc): hid500 opens two500 (lat04 shown, \"+1 not shown\") and changes the email: \"Updated user successfully.\"" \
		same_screens hidden-save "$got"
	tap "hidden ($loc): the hidden grant at lat05 is written back as it was" \
		is "$(q "SELECT u.email || '|' || string_agg(o.code || ':' || r.name || ':' ||
		                coalesce((SELECT string_agg(p.payment_type, ',') FROM grant_payment_types p
		                          WHERE p.grant_id = g.id), ''), ' ' ORDER BY o.code)
		          FROM users u JOIN grants g ON g.user_id = u.id JOIN organisations o ON o.id = g.org_id
		          JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id
		         WHERE u.login = 'two500' GROUP BY u.email")" \
		"Tom.T@nhs.uk|lat04:View: lat05:View:GPES"
}

scenario_noroot() {
	newdb noroot
	# tdi901, the other root System Administrator, is disabled already
	q "UPDATE users SET enabled = false WHERE login = 'mch112'" >/dev/null
	got=$tmp/noroot.$loc.txt
	console "$got" "$keys/noroot.keys" "$tmp/console.conf" hwe500
	tap "noroot ($loc): no enabled root System Administrator: the top line says no one can administer the whole tree" \
		same_screens noroot "$got"
}

scenario_email() {
	newdb email
	got=$tmp/email.$loc.txt
	console "$got" "$keys/email.keys" "$tmp/console.conf" hwe500
	tap "email ($loc): an email another user has warns when the field is left (naming the user only where hwe500 may see them) and on Submit" \
		same_screens email "$got"
	tap "email ($loc): the warning refused nothing: the email was saved" \
		is "$(q "SELECT email FROM users WHERE login = 'kal738'")" \
		"gemma.barlow@nhs.uk"
}

for loc in $locales; do
	scenario_walkthrough
	scenario_add
	scenario_conflict
	scenario_ua
	scenario_why
	scenario_frame
	scenario_readonly
	scenario_notice
	scenario_hidden
	scenario_noroot
	scenario_email
done

if [ "$n" -ne "$plan" ]; then
	echo "# planned $plan tests, ran $n"
	false
fi
