# shellcheck shell=sh
# shellcheck disable=SC2154 # $tmp and $bin are the caller's
# faults.sh: a PostgreSQL server of the test's own, to stop, start and
# break without disturbing the other tests, and the console in tmux
# against it. Sourced after tap.sh (and tmux.sh for the console), once
# tap_tmpdir has made $tmp. Shared by tests/console/test_session.sh and
# the tests of tests/faults/.
#
#   faults_can_run            true under pg_virtualenv (PG_CLUSTER_CONF_ROOT
#                             and pg_createcluster), where a cluster can be
#                             made
#   faults_server NAME        makes and starts cluster NAME$$ on a free
#                             port; sets ver, cluster and port, exports
#                             PG* for it; at exit the cluster is dropped
#                             (and the tmux server on $sock ended)
#   faults_database BIN DB FILE
#                             database DB on it, migrated, FILE loaded
#                             (db load), PGDATABASE=DB; $tmp/console.conf
#                             reaches it with operator.source "flag"
#   q SQL                     one statement by psql, its rows unaligned
#   faults_console OPERATOR   the console (BIN) in a new tmux session on
#                             $sock at 80x24 (xterm); its exit status
#                             goes to $tmp/status, its stderr to
#                             $tmp/stderr
#   faults_console_pid        the console's process id
#   faults_console_end        ends the console still running on $sock, if
#                             one is, by SIGTERM (SIGKILL after 5 s), and
#                             waits for it
#   wait_gone TEXT [SECONDS]  until the screen no longer shows TEXT (10 s
#                             by default, scaled as tmux.sh's wait_for)

faults_can_run() {
	[ -n "${PG_CLUSTER_CONF_ROOT:-}" ] &&
		command -v pg_createcluster >/dev/null
}

faults_stop() {
	[ -n "${sock:-}" ] && faults_console_end &&
		tmux -L "$sock" kill-server >/dev/null 2>&1
	[ -n "${cluster:-}" ] &&
		pg_dropcluster --stop "$ver" "$cluster" >/dev/null 2>&1
	return 0
}

faults_server() {
	ver=${PGVERSION:-15}
	cluster=$1$$
	# a free port
	port=$((20000 + $$ % 20000))
	while psql -X -h localhost -p "$port" -At -c 'SELECT 1' \
		>/dev/null 2>&1; do
		port=$((port + 1))
	done
	tap_at_exit faults_stop
	if ! pg_createcluster "$ver" "$cluster" -p "$port" -- -A trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$tmp/create.log" 2>&1 ||
		! pg_ctlcluster "$ver" "$cluster" start \
			>>"$tmp/create.log" 2>&1; then
		echo "Bail out! cannot make a PostgreSQL cluster of the test's own"
		sed 's/^/# /' "$tmp/create.log"
		exit 1
	fi
	PGHOST=localhost
	PGPORT=$port
	PGUSER=postgres
	PGCLIENTENCODING=UTF8
	export PGHOST PGPORT PGUSER PGCLIENTENCODING
	unset PGPASSWORD PGOPTIONS PGSERVICE NO_COLOR TMUX
}

q() {
	psql -X -At -v ON_ERROR_STOP=1 -c "$1" 2>>"$tmp/psql.err"
}

faults_database() {
	PGDATABASE=$2
	export PGDATABASE
	printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
		>"$tmp/console.conf"
	if ! createdb "$2" 2>"$tmp/err" ||
		! "$1" --config "$tmp/console.conf" db migrate \
			>/dev/null 2>>"$tmp/err" ||
		! "$1" --config "$tmp/console.conf" db load "$3" \
			>/dev/null 2>>"$tmp/err"; then
		echo "Bail out! cannot make the database"
		sed 's/^/# /' "$tmp/err"
		exit 1
	fi
}

faults_console() {
	faults_console_end
	tmux -L "$sock" kill-server >/dev/null 2>&1
	# a new session made while the old server is still ending would die
	# with it
	faults_i=0
	while [ $faults_i -lt 50 ] &&
		tmux -L "$sock" list-sessions >/dev/null 2>&1; do
		sleep 0.1
		faults_i=$((faults_i + 1))
	done
	# the shell around it ignores SIGINT (^C while a statement runs is
	# the console's; it sets its own handler) and keeps its exit status
	rm -f "$tmp/status"
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"trap '' INT; env TERM=xterm LC_ALL=C.UTF-8 '$bin' --config '$tmp/console.conf' --operator $1 2>'$tmp/stderr'; echo \$? >'$tmp/status'; sleep 60"
}

faults_console_pid() {
	pgrep -P "$(tmux -L "$sock" display-message -p '#{pane_pid}' \
		2>/dev/null)" | head -n 1
}

# Not by closing its terminal (killing the tmux server): under
# AddressSanitizer the hangup's SIGCONT can take the SIGSTOP that the
# leak check's StopTheWorld sends, and the process then spins at exit for
# ever (see faults_lsan_stuck).
faults_console_end() {
	faults_pid=$(faults_console_pid)
	[ -n "$faults_pid" ] || return 0
	kill -TERM "$faults_pid" 2>/dev/null
	faults_i=0
	while [ $faults_i -lt 50 ] && kill -0 "$faults_pid" 2>/dev/null; do
		sleep 0.1
		faults_i=$((faults_i + 1))
	done
	kill -KILL "$faults_pid" 2>/dev/null
	return 0
}

# faults_lsan_stuck PID: PID is stuck in LeakSanitizer's StopTheWorld at
# exit: traced by a child of its own (the leak check's tracer) that waits
# for a stop that never comes. Both are killed.
faults_lsan_stuck() {
	faults_tracer=$(sed -n 's/^TracerPid:[[:space:]]*//p' \
		"/proc/$1/status" 2>/dev/null)
	[ -n "$faults_tracer" ] && [ "$faults_tracer" != 0 ] &&
		[ "$(ps -o ppid= -p "$faults_tracer" | tr -d ' ')" = "$1" ] ||
		return 1
	kill -KILL "$faults_tracer" "$1" 2>/dev/null
	return 0
}

wait_gone() {
	i=0
	limit=$((${2:-10} * ${ACCESSDESK_WAIT_SCALE:-1} * 10))
	while [ $i -lt $limit ]; do
		screen | grep -F -e "$1" >/dev/null || return 0
		sleep 0.1
		i=$((i + 1))
	done
	printf 'waited for "%s" to go; the screen:\n' "$1"
	screen
	return 1
}
