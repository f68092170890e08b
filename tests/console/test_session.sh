#!/bin/sh
# test_session.sh: the console's connection (screens.md, "Terminal
# behaviour": a lost connection), on a real terminal (tmux) against a
# PostgreSQL server of the test's own, so that it can be stopped and
# started without disturbing the other tests:
#   restart   the server stops while User Details holds unsaved input: the
#             top line says NOT CONNECTED, the console waits with backoff
#             (it uses almost no CPU meanwhile), a Submit then says it is
#             not connected and keeps the input; the server starts again:
#             the console reconnects by itself, and Submit saves the input
#             once (one audit record)
#   dropped   the server ends the console's backend (a dropped link): the
#             console reconnects and lists again
#   cancel    ^C cancels a statement that waits on a lock, as psql does:
#             the message says so and the console goes on
#
# Usage: test_session.sh ACCESSDESK TESTS_CONSOLE_DIR
#
# Needs pg_virtualenv's environment (PG_CLUSTER_CONF_ROOT, where the
# test's own cluster is made with pg_createcluster) and tmux; skips
# without them.

set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
# shellcheck source-path=SCRIPTDIR source=tmux.sh
. "$(dirname "$0")/tmux.sh"
# shellcheck source-path=SCRIPTDIR source=../faults/faults.sh
. "$(dirname "$0")/../faults/faults.sh"
tap_args "ACCESSDESK TESTS_CONSOLE_DIR" "$@"
bin=$1
dir=$2
tap_tmpdir ad-session

if ! faults_can_run || ! command -v tmux >/dev/null; then
	echo "1..0 # SKIP needs pg_virtualenv and tmux"
	exit 0
fi

sock=adsess$$
stop_all() {
	[ -n "${lockpid:-}" ] && kill "$lockpid" 2>/dev/null
}
tap_at_exit stop_all
faults_server adsess
faults_database "$bin" ad_session "$dir/screens.conf"

echo "1..11"

# ---- the console in tmux ----------------------------------------------------

# cpu_ms PID: the CPU time the process used, in ms (user + system).
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" \
		'{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}


# ---- restart ------------------------------------------------------------------

new_email=kenneth.alloway@restart.nhs.uk
faults_console hwe500
check "restart: the console lists the users" wait_for "Alloway, Kenneth"
# Kenneth Alloway's User Details, found by search; the email (the first
# field) is replaced: input not saved yet
keys / Alloway Enter
wait_for "1-1 of 1" >/dev/null
keys Enter
wait_for "User Details: kal738" >/dev/null
keys C-u "$new_email"
wait_for "$new_email" >/dev/null
# the console: the child of the pane's shell
pid=$(faults_console_pid)

restart_lost() {
	pg_ctlcluster "$ver" "$cluster" stop -m fast >/dev/null 2>&1 &&
		wait_for "NOT CONNECTED" 10 && wait_for "$new_email" 1
}
check "restart: the server stops: NOT CONNECTED on the top line, the input kept" restart_lost

# While the server is away: a Submit says so and keeps the input; the
# console waits for its timer, never in a busy loop.
idle_while_down() {
	before=$(cpu_ms "$pid")
	keys C-s
	wait_for "not connected to the database" 5 || return 1
	sleep 3
	after=$(cpu_ms "$pid")
	used=$((after - before))
	echo "CPU while not connected: ${used} ms in 3 s"
	screen | grep -F -e "$new_email" >/dev/null || {
		echo "the input is gone"
		return 1
	}
	[ "$used" -lt 300 ]
}
check "restart: not connected, Submit refused and the input kept; the wait costs almost no CPU" idle_while_down

reconnects() {
	pg_ctlcluster "$ver" "$cluster" start >/dev/null 2>&1 &&
		wait_gone "NOT CONNECTED" 20 &&
		wait_for "Reconnected to the database." 2
}
check "restart: the server starts: the console reconnects by itself" reconnects

audited() {
	q "SELECT count(*) FROM audit WHERE target_kind = 'user' AND target = 'kal738'"
}
audits_before=$(audited)
saves_once() {
	keys C-s
	wait_for "Updated user successfully." 10 || return 1
	got=$(q "SELECT email FROM users WHERE login = 'kal738'")
	[ "$got" = "$new_email" ] || {
		echo "email: $got"
		return 1
	}
	audits=$(audited)
	[ "$audits" = $((audits_before + 1)) ] || {
		echo "audit records for kal738: $audits, $audits_before before"
		return 1
	}
}
check "restart: Submit saves the input once" saves_once

# ---- a dropped link -----------------------------------------------------------

dropped() {
	keys Escape
	wait_for "Alloway, Kenneth" 5 || return 1
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	   WHERE application_name = 'accessdesk' AND pid <> pg_backend_pid()" \
		>/dev/null
	wait_for "Reconnected to the database." 10 || return 1
	keys / C-u Weston Enter
	wait_for "Weston, Helen" 5
}
check "dropped: the backend ended: the console reconnects and lists" dropped

# ---- ^C cancels -----------------------------------------------------------------

# A transaction of its own holds the users table, so the console's next
# statement on it waits until ^C; the lock goes with its backend (a killed
# psql would leave it sleeping).
lock_users() {
	PGAPPNAME=adlock psql -X -q \
		-c "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);" \
		>/dev/null 2>&1 &
	lockpid=$!
	i=0
	while [ $i -lt 50 ]; do
		[ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 'users'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "the lock was not taken"
	return 1
}
unlock_users() {
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	   WHERE application_name = 'adlock'" >/dev/null
	wait "$lockpid" 2>/dev/null
	lockpid=
}
# waits_then_cancel KEYS...: the keys start a statement that waits on the
# lock; ^C then cancels it, and the message line says so.
waits_then_cancel() {
	lock_users || return 1
	keys "$@"
	i=0
	while [ $i -lt 50 ]; do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'accessdesk' AND wait_event_type = 'Lock'")" = 1 ] && break
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 50 ] || {
		echo "the console's statement never waited"
		unlock_users
		return 1
	}
	keys C-c
	wait_for "canceling statement due to user" 5
	st=$?
	unlock_users
	return $st
}
check "cancel: ^C cancels a search waiting on a lock, and says so" \
	waits_then_cancel / C-u Alloway Enter

goes_on() {
	keys / C-u Weston Enter
	wait_for "Search by: Name [Weston]" 5 &&
		wait_for "Weston, Helen" 5 &&
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'accessdesk'")" = 1 ]
}
check "cancel: the console goes on, on the same connection" goes_on

# the report streams its rows past store_exec: ^C cancels it too, and the
# file it was to replace stays as it was
echo "an older report" >"$tmp/report.csv"
report_cancelled() {
	waits_then_cancel r C-u "$tmp/report.csv" Enter y || return 1
	[ "$(cat "$tmp/report.csv")" = "an older report" ] || {
		echo "the older report was overwritten:"
		head -3 "$tmp/report.csv"
		return 1
	}
	[ ! -e "$tmp/report.csv.part" ] || {
		echo "a part-written report was left"
		return 1
	}
}
check "cancel: ^C cancels the report waiting on a lock, says so, and leaves the older file" \
	report_cancelled
check "cancel: the console goes on after the report" goes_on

quits() {
	keys q
	i=0
	while [ $i -lt 100 ] && [ ! -s "$tmp/status" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	st=$(cat "$tmp/status" 2>/dev/null)
	[ "$st" = 0 ] || {
		echo "exit status: ${st:-none within 10 s}"
		screen
		cat "$tmp/stderr"
		return 1
	}
	[ ! -s "$tmp/stderr" ] || {
		echo "stderr:"
		cat "$tmp/stderr"
		return 1
	}
}
check "q quits with status 0, nothing on stderr" quits

[ "$failures" -eq 0 ]
