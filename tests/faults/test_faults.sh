#!/bin/sh
# test_faults.sh: faults under a change (issue 14, item 4), against a
# PostgreSQL server of the test's own (faults.sh), the console on a real
# terminal (tmux) and the command line:
#   stop      the server stopped while a save is in flight: `user set`
#             waiting on a row lock (stop -m fast), `grant set` and the
#             console's Submit with the user's row, grants and audit
#             record written but not committed (a trigger sleeps after
#             the audit insert; stop -m immediate). Nothing is written,
#             the trail agrees with the data and verifies; the messages
#             say the change was not saved; the console keeps the input
#             and, once the server is back, Submit saves it once.
#   kill      the command line and the console killed (SIGKILL) while
#             their change waits on a row lock, holding the audit chain's
#             lock: the server ends the backend within seconds (not when
#             the row lock goes), the change queued behind it is granted
#             the lock and saved, and nothing of the killed one is written
#   hangup    the console's terminal goes while User Details holds unsaved
#             input (SIGHUP, and the tmux session killed): the console
#             exits within seconds, leaves no backend, writes nothing and
#             leaves the terminal's modes as they were
#   refused   a database that refuses writes (default_transaction_read_only)
#             and a full disk (/dev/full) for the exports: the message says
#             what was not done and why in plain words, one line, no
#             control character; the console keeps the input
#
# Usage: test_faults.sh ACCESSDESK TESTS_CONSOLE_DIR
#
# Needs pg_virtualenv's environment and tmux; skips without them.

set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
# shellcheck source-path=SCRIPTDIR source=../console/tmux.sh
. "$(dirname "$0")/../console/tmux.sh"
# shellcheck source-path=SCRIPTDIR source=faults.sh
. "$(dirname "$0")/faults.sh"
tap_args "ACCESSDESK TESTS_CONSOLE_DIR" "$@"
bin=$1
dir=$2
tap_tmpdir ad-faults

if ! faults_can_run || ! command -v tmux >/dev/null; then
	echo "1..0 # SKIP needs pg_virtualenv and tmux"
	exit 0
fi

sock=adfault$$
lockpid=
end_background() {
	[ -n "$lockpid" ] && kill "$lockpid" 2>/dev/null
	return 0
}
tap_at_exit end_background
faults_server adfault
faults_database "$bin" ad_faults "$dir/screens.conf"

echo "1..32"

# ---- the database's state -------------------------------------------------

# ad ARGS...: the command line as Helen Weston (User Administrator at lat04).
ad() {
	"$bin" --config "$tmp/console.conf" --operator hwe500 "$@"
}

# wait_sql SQL WANT [SECONDS]: until SQL answers WANT (5 s by default).
wait_sql() {
	i=0
	limit=$((${3:-5} * 10))
	while [ $i -lt $limit ]; do
		[ "$(q "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	printf 'waited for %s to be %s; it is %s\n' "$1" "$2" "$(q "$1")"
	return 1
}

# What a fault must leave as it was: Kenneth Alloway's row and grants,
# and the trail (its length and head).
snapshot() {
	q "SELECT user_snapshot(id) FROM users WHERE login = 'kal738'"
	q "SELECT count(*), max(id) FROM audit"
}

# unchanged SAVED: the snapshot is still SAVED's.
unchanged() {
	now=$(snapshot)
	[ "$now" = "$1" ] && return 0
	printf 'before: %s\nnow:    %s\n' "$1" "$now"
	return 1
}

# one_more: the trail holds one record more than when $saved was taken.
one_more() {
	got=$(q "SELECT count(*) FROM audit")
	want=$(($(echo "$saved" | sed -n 2p | cut -d'|' -f1) + 1))
	[ "$got" = "$want" ] && return 0
	echo "audit records: $got, want $want"
	return 1
}

# The trail agrees with the data: Kenneth Alloway's details are those of
# his newest user record's after, and his grant at lat04 is that of the
# newest record touching it (a user record's grants, or a grant record);
# and the chain verifies.
agree_sql="
SELECT (SELECT a.after - 'grants' FROM audit a
        WHERE a.target_kind = 'user' AND a.target = u.login
        ORDER BY a.id DESC LIMIT 1) = user_snapshot(u.id) - 'grants'
   AND (SELECT CASE a.target_kind WHEN 'grant' THEN a.after - 'user'
               ELSE (SELECT g FROM jsonb_array_elements(a.after->'grants') g
                     WHERE g->>'org' = 'lat04') END
        FROM audit a
        WHERE (a.target_kind = 'user' AND a.target = u.login) OR
              (a.target_kind = 'grant' AND a.target = u.login || '/lat04')
        ORDER BY a.id DESC LIMIT 1)
       IS NOT DISTINCT FROM
       (SELECT g FROM jsonb_array_elements(user_snapshot(u.id)->'grants') g
        WHERE g->>'org' = 'lat04')
FROM users u WHERE u.login = 'kal738'"
agrees() {
	got=$(q "$agree_sql")
	[ "$got" = t ] || {
		echo "the trail and the data disagree ($got):"
		q "SELECT user_snapshot(id) FROM users WHERE login = 'kal738'"
		q "SELECT id, target_kind, target, after FROM audit ORDER BY id DESC LIMIT 3"
		return 1
	}
	ad audit verify >"$tmp/verify" 2>&1 || {
		cat "$tmp/verify"
		return 1
	}
}

# ---- making a save wait ---------------------------------------------------

# hold_row LOGIN: a transaction of its own locks the user's row and sleeps,
# so that a save of that user waits for it.
hold_row() {
	PGAPPNAME=adfault_lock psql -X -q -c "BEGIN; SELECT 1 FROM users WHERE login = '$1' FOR UPDATE; SELECT pg_sleep(120);" \
		>/dev/null 2>&1 &
	lockpid=$!
	wait_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'adfault_lock' AND wait_event = 'PgSleep'" 1
}
release_row() {
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	   WHERE application_name = 'adfault_lock'" >/dev/null
	wait "$lockpid" 2>/dev/null
	lockpid=
}

# pause_after_audit [at_commit]: a trigger sleeps after the audit insert:
# the save has written the user's row, its grants and its audit record,
# and has not committed; at_commit: it sleeps in the COMMIT (a deferred
# constraint trigger), the COMMIT sent and no answer back.
pause_after_audit() {
	q "CREATE FUNCTION fault_pause() RETURNS trigger LANGUAGE plpgsql
	   AS \$\$BEGIN PERFORM pg_sleep(120); RETURN NULL; END\$\$" >/dev/null
	if [ "${1:-}" = at_commit ]; then
		q "CREATE CONSTRAINT TRIGGER fault_pause AFTER INSERT ON audit
		   DEFERRABLE INITIALLY DEFERRED
		   FOR EACH ROW EXECUTE FUNCTION fault_pause()" >/dev/null
	else
		q "CREATE TRIGGER fault_pause AFTER INSERT ON audit
		   FOR EACH ROW EXECUTE FUNCTION fault_pause()" >/dev/null
	fi
}
no_pause() {
	q "DROP TRIGGER fault_pause ON audit; DROP FUNCTION fault_pause()" \
		>/dev/null
}

# The save's backend: the command line's or the console's first
# connection (the console's counts have a name of their own).
saving="application_name = 'accessdesk'"
# waits_on EVENT: the save's backend waits on EVENT (Lock, PgSleep), in
# a transaction that holds an id when it has written.
waits_on() {
	wait_sql "SELECT count(*) FROM pg_stat_activity WHERE $saving AND (wait_event_type = '$1' OR wait_event = '$1')" 1 10
}
has_written() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE $saving AND backend_xid IS NOT NULL")" = 1 ] || {
		echo "the save has not written yet"
		return 1
	}
}

server_start() {
	pg_ctlcluster "$ver" "$cluster" start >>"$tmp/pg.log" 2>&1
}
server_stop() {
	pg_ctlcluster "$ver" "$cluster" stop -m "$1" >>"$tmp/pg.log" 2>&1
}

# said FILE WANT: the last line of FILE (the error; a server's notice
# may come before it) holds WANT, and FILE no control character but its
# line ends.
said() {
	tail -n 1 "$1" | grep -F -e "$2" >/dev/null &&
		! tr -d '\n' <"$1" | LC_ALL=C grep '[[:cntrl:]]' >/dev/null && return 0
	echo "wanted a last line holding \"$2\", and no control character:"
	od -c "$1" | head -20
	return 1
}

# ---- stop: the command line ------------------------------------------------

saved=$(snapshot)
# cli_in_flight HOW WAIT ARGS...: the change ARGS runs in the background
# until its backend waits on WAIT; the server is then stopped (HOW) and
# started again. $cli_status is the change's exit status.
cli_in_flight() {
	how=$1
	on=$2
	shift 2
	"$bin" --config "$tmp/console.conf" --operator hwe500 "$@" \
		>"$tmp/out" 2>"$tmp/err" &
	clipid=$!
	waits_on "$on" || return 1
	has_written >"$tmp/written" 2>&1
	server_stop "$how" || return 1
	wait "$clipid"
	cli_status=$?
	[ -n "$lockpid" ] && wait "$lockpid" 2>/dev/null
	lockpid=
	server_start
}

stop_user_set() {
	hold_row kal738 || return 1
	cli_in_flight fast Lock user set kal738 --email fast.stop@nhs.uk ||
		return 1
	cat "$tmp/err"
	[ "$cli_status" -eq 2 ] || {
		echo "exit status $cli_status"
		return 1
	}
	said "$tmp/err" "user set: not saved: not connected to the database (the connection was lost)"
}
check "stop: user set waiting on a lock, the server stopped (fast): exit 2: not saved, the connection lost" \
	stop_user_set
check "stop: nothing of it written" unchanged "$saved"
check "stop: the trail agrees with the data and verifies" agrees

stop_grant_set() {
	pause_after_audit
	cli_in_flight immediate PgSleep grant set kal738 lat04 --roles View \
		--payment-types QOF || return 1
	no_pause
	cat "$tmp/written" "$tmp/err"
	[ ! -s "$tmp/written" ] || return 1
	[ "$cli_status" -eq 2 ] &&
		said "$tmp/err" "grant set: not saved: not connected to the database (the connection was lost)"
}
check "stop: grant set with its grant and audit record written, uncommitted, the server stopped (immediate): exit 2, not saved" \
	stop_grant_set
check "stop: nothing of it written" unchanged "$saved"
check "stop: the trail agrees with the data and verifies" agrees

cli_saves_once() {
	ad grant set kal738 lat04 --roles View --payment-types QOF \
		>"$tmp/out" 2>"$tmp/err" || {
		cat "$tmp/err"
		return 1
	}
	one_more && agrees
}
check "stop: the server back, grant set saves once, audited once" cli_saves_once

saved=$(snapshot)
stop_commit() {
	pause_after_audit at_commit
	cli_in_flight immediate PgSleep user set kal738 \
		--email at.commit@nhs.uk || return 1
	no_pause
	cat "$tmp/err"
	[ "$cli_status" -eq 2 ] &&
		said "$tmp/err" "user set: the connection to the database was lost during the commit: the change may or may not have been saved"
}
check "stop: user set stopped in its COMMIT (immediate): exit 2, the change may or may not have been saved" \
	stop_commit
not_committed() {
	unchanged "$saved" && agrees
}
check "stop: it was not (the server had not committed); the trail agrees" \
	not_committed

# ---- stop: the console ---------------------------------------------------------

# open_kal738 EMAIL: the console shows Kenneth Alloway's User Details with
# EMAIL typed over his email address, not submitted.
open_kal738() {
	faults_console hwe500
	wait_for "Alloway, Kenneth" || return 1
	keys / Alloway Enter
	wait_for "1-1 of 1" >/dev/null || return 1
	keys Enter
	wait_for "User Details: kal738" >/dev/null || return 1
	keys C-u "$1"
	wait_for "$1" >/dev/null
}

saved=$(snapshot)
console_email=kenneth.alloway@stopped.nhs.uk
console_stop() {
	open_kal738 "$console_email" || return 1
	pause_after_audit
	keys C-s
	waits_on PgSleep || return 1
	has_written || return 1
	server_stop immediate
	wait_for "not saved: not connected to the database (the connection was lost)" 10 &&
		wait_for "NOT CONNECTED" 10 && wait_for "$console_email" 1
}
check "stop: console Submit written, uncommitted, the server stopped: not saved, NOT CONNECTED, the input kept" \
	console_stop
console_back() {
	server_start && no_pause || return 1
	unchanged "$saved" && agrees || return 1
	wait_gone "NOT CONNECTED" 20 && wait_for "$console_email" 1
}
check "stop: the server back: nothing was written, the console reconnects, the input still there" \
	console_back
console_saves_once() {
	keys C-s
	wait_for "Updated user successfully." 10 || return 1
	got=$(q "SELECT email FROM users WHERE login = 'kal738'")
	[ "$got" = "$console_email" ] || {
		echo "email: $got"
		return 1
	}
	one_more && agrees
}
check "stop: Submit then saves once, audited once, the trail agrees" \
	console_saves_once

# ---- kill: SIGKILL mid-transaction --------------------------------------------

# queue_behind: another change (Gemma Barlow's email, by the command line)
# waits for the audit chain's lock that the waiting save holds.
queue_behind() {
	backend=$(q "SELECT pid FROM pg_stat_activity WHERE $saving AND wait_event_type = 'Lock'")
	"$bin" --config "$tmp/console.conf" --operator hwe500 user set gba204 \
		--email "gemma.barlow.$1@nhs.uk" >"$tmp/queued.out" \
		2>"$tmp/queued.err" &
	queuedpid=$!
	wait_sql "SELECT count(*) FROM pg_locks WHERE relation = 'audit_chain_lock'::regclass AND NOT granted" 1 10
}

# killed_cleanly PID: after kill -9 PID, the server ends the save's backend
# within 5 s while the row lock is still held, the queued change gets the
# chain's lock and saves, and nothing of the killed save is written.
killed_cleanly() {
	kill -9 "$1"
	start_ms=$(($(date +%s%N) / 1000000))
	wait_sql "SELECT count(*) FROM pg_stat_activity WHERE pid = '$backend'" 0 5 ||
		return 1
	echo "$(($(date +%s%N) / 1000000 - start_ms))" >"$tmp/ended_ms"
	wait "$queuedpid"
	st=$?
	[ "$st" -eq 0 ] || {
		echo "the queued change: exit $st"
		cat "$tmp/queued.err"
		return 1
	}
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'adfault_lock'")" = 1 ] || {
		echo "the row lock was released first: the test proves nothing"
		return 1
	}
	release_row
	q "SELECT user_snapshot(id) FROM users WHERE login = 'kal738'" \
		>"$tmp/kal738.now"
	echo "$saved" | sed -n 1p | cmp -s - "$tmp/kal738.now" || {
		echo "kal738 changed:"
		cat "$tmp/kal738.now"
		return 1
	}
	# one record more (the queued change's), none for kal738
	if ! one_more ||
		[ "$(q "SELECT target FROM audit ORDER BY id DESC LIMIT 1")" != gba204 ]; then
		echo "the trail:"
		q "SELECT id, target_kind, target FROM audit ORDER BY id DESC LIMIT 3"
		return 1
	fi
	agrees
}

saved=$(snapshot)
kill_cli() {
	hold_row kal738 || return 1
	"$bin" --config "$tmp/console.conf" --operator hwe500 user set kal738 \
		--email killed@nhs.uk >/dev/null 2>&1 &
	clipid=$!
	waits_on Lock && queue_behind cli && killed_cleanly "$clipid"
}
check "kill: user set killed (SIGKILL) waiting on a lock: its backend ended, the change queued behind it saved, nothing of it written" \
	kill_cli
echo "# the backend ended $(cat "$tmp/ended_ms" 2>/dev/null) ms after the kill"

saved=$(snapshot)
kill_console() {
	open_kal738 kenneth.alloway@killed.nhs.uk || return 1
	# on backends of a reconnection, whose settings are made again
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	   WHERE application_name LIKE 'accessdesk%'" >/dev/null
	wait_for "Reconnected to the database." 10 || return 1
	hold_row kal738 || return 1
	keys C-s
	waits_on Lock && queue_behind console &&
		killed_cleanly "$(faults_console_pid)"
}
check "kill: the console, reconnected once, killed (SIGKILL) waiting on a lock under Submit: the same" \
	kill_console
echo "# the backend ended $(cat "$tmp/ended_ms" 2>/dev/null) ms after the kill"

# ---- hangup: the terminal goes while editing ---------------------------------

pane_tty() {
	tmux -L "$1" display-message -p '#{pane_tty}'
}
# The terminal's modes as a new tmux pane has them (a server of its own).
tmux -L "${sock}m" -f /dev/null new-session -d -x 80 -y 24 "sleep 60"
sane_modes=$(stty -g <"$(pane_tty "${sock}m")")
tmux -L "${sock}m" kill-server

saved=$(snapshot)
# gone PID: the process ends within 5 s (time for a sanitizer's leak
# check at exit) and leaves no backend.
gone() {
	i=0
	while [ $i -lt 50 ] && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null && faults_lsan_stuck "$1"; then
		# the console has ended: the sanitizer's exit is what hangs
		echo "$1" >>"$tmp/lsan_stuck"
	elif kill -0 "$1" 2>/dev/null; then
		echo "still running 5 s after: $(grep State "/proc/$1/status")," \
			"waiting in $(cat "/proc/$1/wchan")"
		return 1
	fi
	wait_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'accessdesk%'" 0 3
}
hangup() {
	open_kal738 kenneth.alloway@hangup.nhs.uk || return 1
	pid=$(faults_console_pid)
	tty=$(pane_tty "$sock")
	kill -HUP "$pid"
	gone "$pid" || return 1
	st=$(cat "$tmp/status" 2>/dev/null)
	[ "$st" = 129 ] || {
		echo "exit status: ${st:-none}, want 129 (128 + SIGHUP)"
		return 1
	}
	modes=$(stty -g <"$tty")
	[ "$modes" = "$sane_modes" ] || {
		echo "the terminal's modes were left changed:"
		stty -a <"$tty"
		return 1
	}
}
check "hangup: SIGHUP under unsaved input: exit 129 within 5 s, no backend left, the terminal's modes restored" \
	hangup
check "hangup: nothing written" unchanged "$saved"

closed() {
	open_kal738 kenneth.alloway@closed.nhs.uk || return 1
	pid=$(faults_console_pid)
	tmux -L "$sock" kill-session
	gone "$pid"
}
check "hangup: the terminal closed (tmux session killed) under unsaved input: gone within 5 s, no backend left" \
	closed
if [ -s "$tmp/lsan_stuck" ]; then
	echo "# LeakSanitizer's check at exit hung (its SIGSTOP taken by the" \
		"hangup's SIGCONT) and was killed: process $(cat "$tmp/lsan_stuck")"
fi
check "hangup: nothing written" unchanged "$saved"

# The terminal goes while a Submit waits on a lock, holding the audit
# chain's lock that every change queues for: the console must not wait
# for the lock before it ends.
hangup_waiting() {
	open_kal738 kenneth.alloway@hangup-waiting.nhs.uk || return 1
	pid=$(faults_console_pid)
	hold_row kal738 || return 1
	keys C-s
	waits_on Lock || return 1
	kill -HUP "$pid"
	gone "$pid" || return 1
	st=$(cat "$tmp/status" 2>/dev/null)
	[ "$st" = 129 ] && return 0
	echo "exit status: ${st:-none}, want 129 (128 + SIGHUP)"
	return 1
}
check "hangup: SIGHUP while Submit waits on a lock: the statement cancelled, exit 129 within 5 s, no backend left" \
	hangup_waiting
release_row
check "hangup: nothing written" unchanged "$saved"

# ---- refused: a read-only database, a full disk ---------------------------------

q "ALTER DATABASE ad_faults SET default_transaction_read_only = on" >/dev/null
saved=$(snapshot)
read_only_cli() {
	ad "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	cat "$tmp/err"
	[ "$st" -eq 2 ] &&
		said "$tmp/err" "$1 $2: not saved: the database is read-only"
}
check "refused: user set on a read-only database: exit 2: not saved, the database is read-only" \
	read_only_cli user set kal738 --email read.only@nhs.uk
check "refused: grant set on a read-only database: the same" \
	read_only_cli grant set kal738 lat04 --roles View
check "refused: grant revoke on a read-only database: the same" \
	read_only_cli grant revoke kal738 lat04
check "refused: nothing written" unchanged "$saved"

read_only_console() {
	open_kal738 kenneth.alloway@read-only.nhs.uk || return 1
	keys C-s
	wait_for "not saved: the database is read-only" 10 &&
		wait_for "kenneth.alloway@read-only.nhs.uk" 1 &&
		! screen | grep -F "NOT CONNECTED" >/dev/null
}
check "refused: console Submit on a read-only database: not saved, the database is read-only, the input kept" \
	read_only_console
writable_again() {
	# (from another database: a session of this one is read-only)
	PGDATABASE=postgres q "ALTER DATABASE ad_faults
	   SET default_transaction_read_only = off" >/dev/null || return 1
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	   WHERE application_name LIKE 'accessdesk%'" >/dev/null
	wait_for "Reconnected to the database." 15 || return 1
	keys C-s
	wait_for "Updated user successfully." 10 || return 1
	one_more && agrees
}
check "refused: writable again, the console reconnected: Submit saves once" \
	writable_again

# A server whose disk is full answers a write with SQLSTATE 53100, in
# the words PostgreSQL has for a relation it cannot extend. No filesystem
# can be filled here without root (a loop device, a tmpfs), so a trigger
# on the audit insert answers as that server would.
q "CREATE FUNCTION fault_full() RETURNS trigger LANGUAGE plpgsql AS
   \$\$BEGIN RAISE EXCEPTION 'could not extend file \"base/1/2\": No space left on device'
   USING ERRCODE = 'disk_full', HINT = 'Check free disk space.'; END\$\$;
   CREATE TRIGGER fault_full BEFORE INSERT ON audit
   FOR EACH ROW EXECUTE FUNCTION fault_full()" >/dev/null
saved=$(snapshot)
disk_full_cli() {
	ad user set kal738 --email disk.full@nhs.uk >"$tmp/out" 2>"$tmp/err"
	st=$?
	cat "$tmp/err"
	[ "$st" -eq 2 ] &&
		said "$tmp/err" "user set: not saved: the database's disk is full: could not extend file"
}
check "refused: user set on a full disk: exit 2: not saved, the database's disk is full" \
	disk_full_cli
disk_full_console() {
	keys C-u kenneth.alloway@disk-full.nhs.uk
	wait_for kenneth.alloway@disk-full.nhs.uk 5 >/dev/null || return 1
	keys C-s
	wait_for "not saved: the database's disk is full" 10 &&
		wait_for "kenneth.alloway@disk-full.nhs.uk" 1
}
check "refused: console Submit on a full disk: not saved, the disk is full, the input kept" \
	disk_full_console
check "refused: nothing written" unchanged "$saved"
q "DROP TRIGGER fault_full ON audit; DROP FUNCTION fault_full()" >/dev/null
# (the console is left open: faults_stop ends it)

# full WANT EXPORT ARGS...: the export to /dev/full: exit 2, its message
# holding WANT (what could not be written, and why)
full() {
	want=$1
	shift
	ad "$@" >/dev/full 2>"$tmp/err"
	st=$?
	cat "$tmp/err"
	[ "$st" -eq 2 ] && said "$tmp/err" "$want"
}
check "refused: report to a full disk: exit 2, could not write, no space left" \
	full "report: could not write the rows: No space left on device" report
check "refused: audit to a full disk: the same" \
	full "audit: could not write the rows: No space left on device" audit
# (who.c says only "write error": the reason is not given; see README)
check "refused: who-has-access --csv to a full disk: exit 2, a write error" \
	full "who-has-access: write error" who-has-access --org lat04 --csv

[ "$failures" -eq 0 ]
