#!/bin/sh
# test_failover.sh: a primary and its streaming standby, both the test's
# own (issue 14, item 5). The configuration names both servers and lets
# libpq choose (target_session_attrs); the database is made on the primary.
#   standby    a console on the standby (prefer-standby) is read-only
#              even without --read-only, and a narrow operator's sort by
#              organisation lists (a standby makes no temporary table); a
#              --read-only console there shows a change made on the
#              primary on its Users list within a bounded time (there is
#              no LISTEN during recovery: the console polls), and refuses
#              a change with read-only mode's message, never the server's
#              error; the CLI there refuses a change, and who had access
#              as of a date, saying why
#   failover   the primary stops under a console open on the Users list:
#              NOT CONNECTED; before the standby is promoted the CLI's
#              change is refused (no read-write server) and writes
#              nothing; once it is promoted the CLI's change is saved and
#              audited once, the console reconnects by itself to the new
#              primary and a change made there is saved and audited once,
#              and the audit chain verifies
# The times from the primary's stop to the CLI's change saved and to the
# console connected again, and the lag of the standby console, are
# printed as TAP comments.
#
# Usage: test_failover.sh ACCESSDESK POLICY_DIR
#
# Needs pg_virtualenv's environment (PG_CLUSTER_CONF_ROOT: the two
# servers are made with pg_createcluster, their data under the test's own
# temporary directory), pg_basebackup and tmux; skips without them.

set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
# shellcheck source-path=SCRIPTDIR source=../console/tmux.sh
. "$(dirname "$0")/../console/tmux.sh"
# (for faults_can_run and wait_gone)
# shellcheck source-path=SCRIPTDIR source=../faults/faults.sh
. "$(dirname "$0")/../faults/faults.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
policy=$2/good/cqrs-seed.conf
tap_tmpdir ad-failover

if ! faults_can_run || ! command -v tmux >/dev/null ||
	! command -v pg_basebackup >/dev/null; then
	echo "1..0 # SKIP needs pg_virtualenv, pg_basebackup and tmux"
	exit 0
fi

ver=${PGVERSION:-15}
primary=adprim$$
standby=adstby$$
rw_sock=adfo-rw$$
ro_sock=adfo-ro$$
plain_sock=adfo-plain$$
stop_all() {
	tmux -L "$plain_sock" kill-server >/dev/null 2>&1
	tmux -L "$rw_sock" kill-server >/dev/null 2>&1
	tmux -L "$ro_sock" kill-server >/dev/null 2>&1
	pg_dropcluster --stop "$ver" "$standby" >/dev/null 2>&1
	pg_dropcluster --stop "$ver" "$primary" >/dev/null 2>&1
}
tap_at_exit stop_all

# free_port FROM: the first port from FROM on that no server answers on.
free_port() {
	p=$1
	while psql -X -h localhost -p "$p" -At -c 'SELECT 1' >/dev/null 2>&1; do
		p=$((p + 1))
	done
	echo "$p"
}
port1=$(free_port $((20000 + $$ % 20000)))
port2=$(free_port $((port1 + 1)))

# The servers run as the clusters' owner (postgres when the test runs as
# root), who must reach their data directories under $tmp.
chmod 711 "$tmp"
as_owner() {
	if [ "$(id -un)" = "$owner" ]; then
		"$@"
	else
		runuser -u "$owner" -- "$@"
	fi
}
bail() {
	echo "Bail out! $1"
	sed 's/^/# /' "$tmp/setup.log"
	exit 1
}
# Throwaway servers: no fsync (initdb's, the base backup's, the servers').
pg_createcluster "$ver" "$primary" -p "$port1" -d "$tmp/primary" \
	-l "$tmp/primary.log" -o fsync=off -- --no-sync -A trust \
	--encoding=UTF8 --locale=C.UTF-8 >"$tmp/setup.log" 2>&1 &&
	pg_ctlcluster "$ver" "$primary" start >>"$tmp/setup.log" 2>&1 ||
	bail "cannot make the primary"
owner=$(stat -c %U "$tmp/primary")
# The standby: a base backup of the primary, -R (standby.signal and
# primary_conninfo: streaming replication, which pg_createcluster's
# pg_hba.conf allows from localhost), made a cluster of its own with the
# primary's configuration files (pg_createcluster takes an existing data
# directory that holds them, and gives it its own port and paths).
primary_conf_to() {
	for f in postgresql.conf pg_hba.conf pg_ident.conf; do
		install -o "$owner" -m 600 \
			"$PG_CLUSTER_CONF_ROOT/$ver/$primary/$f" "$1/" || return 1
	done
}
install -d -o "$owner" -m 700 "$tmp/standby" &&
	as_owner pg_basebackup -h localhost -p "$port1" -U postgres \
		-D "$tmp/standby" -R -X stream -c fast --no-sync \
		>>"$tmp/setup.log" 2>&1 &&
	primary_conf_to "$tmp/standby" >>"$tmp/setup.log" 2>&1 &&
	pg_createcluster "$ver" "$standby" -p "$port2" -d "$tmp/standby" \
		-l "$tmp/standby.log" >>"$tmp/setup.log" 2>&1 &&
	pg_ctlcluster "$ver" "$standby" start >>"$tmp/setup.log" 2>&1 ||
	bail "cannot make the standby"

PGUSER=postgres
PGDATABASE=ad_failover
PGCLIENTENCODING=UTF8
export PGUSER PGDATABASE PGCLIENTENCODING
unset PGHOST PGPORT PGPASSWORD PGOPTIONS PGSERVICE NO_COLOR TMUX

# sql_on PORT SQL: one value from the server on PORT.
sql_on() {
	psql -X -At -h localhost -p "$1" -v ON_ERROR_STOP=1 -c "$2" \
		2>>"$tmp/psql.err"
}

# Both servers in the one conninfo, libpq choosing; a server that does
# not answer is given up after connect_timeout seconds.
connect_timeout=5
hosts="host=localhost,localhost port=$port1,$port2 dbname=$PGDATABASE"
conf() {
	printf 'database = { conninfo = "%s target_session_attrs=%s connect_timeout=%s"; };\noperator = { source = "flag"; };\n' \
		"$hosts" "$1" "$connect_timeout"
}
conf read-write >"$tmp/rw.conf"
conf prefer-standby >"$tmp/ro.conf"

op=mch112 # System Administrator at the root (the seed's Cheeseman)
cli() {
	"$bin" --config "$tmp/rw.conf" --operator "$op" "$@"
}
if ! createdb -h localhost -p "$port1" "$PGDATABASE" 2>>"$tmp/setup.log" ||
	! cli db migrate >/dev/null 2>>"$tmp/setup.log" ||
	! cli db load "$policy" >/dev/null 2>>"$tmp/setup.log"; then
	bail "cannot make the database on the primary"
fi

echo "1..17"

# now_ms: the wall clock in ms.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# replicated: the standby has replayed all that the primary has written
# so far (30 s at most).
replicated() {
	lsn=$(sql_on "$port1" "SELECT pg_current_wal_lsn()")
	i=0
	while [ $i -lt 300 ]; do
		[ "$(sql_on "$port2" "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] &&
			return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "the standby has not replayed up to $lsn"
	return 1
}

streams() {
	[ "$(sql_on "$port2" "SELECT pg_is_in_recovery()")" = t ] || {
		echo "the standby is not in recovery"
		return 1
	}
	[ "$(sql_on "$port1" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] || {
		echo "the primary has no streaming standby"
		return 1
	}
	replicated || return 1
	users=$(sql_on "$port1" "SELECT count(*) FROM users")
	[ "$(sql_on "$port2" "SELECT count(*) FROM users")" = "$users" ]
}
check "the standby streams from the primary and holds the loaded users" streams

# connections PORT PATTERN WANT: the server on PORT has WANT backends of
# an application_name LIKE PATTERN (within 5 s: an ended client's backend
# may stay a moment).
connections() {
	i=0
	while [ $i -lt 50 ]; do
		got=$(sql_on "$1" "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '$2'")
		[ "$got" = "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "connections of $2 on port $1: $got, not $3"
	return 1
}

# start SOCK CONF [OPTIONS]: a console in a new tmux server SOCK at 80x24
# (xterm), its exit status then kept in $tmp/SOCK.status.
start() {
	s=$1
	cf=$2
	shift 2
	tmux -L "$s" kill-server >/dev/null 2>&1
	rm -f "$tmp/$s.status"
	tmux -L "$s" -f /dev/null new-session -d -x 80 -y 24 \
		"env TERM=xterm LC_ALL=C.UTF-8 '$bin' --config '$cf' --operator $op $* 2>'$tmp/$s.stderr'; echo \$? >'$tmp/$s.status'; sleep 60"
}

# quits SOCK: q ends the console with status 0 and nothing on stderr.
quits() {
	sock=$1
	keys Escape q
	i=0
	while [ $i -lt 100 ] && [ ! -s "$tmp/$sock.status" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	st=$(cat "$tmp/$sock.status" 2>/dev/null)
	[ "$st" = 0 ] && [ ! -s "$tmp/$sock.stderr" ] || {
		echo "exit status: ${st:-none within 10 s}"
		screen
		cat "$tmp/$sock.stderr"
		return 1
	}
}

# ---- standby: read-only consoles -------------------------------------------

# (each console on a tmux server of its own: one ended and another
# started at once on the same socket may go with it)
sock=$plain_sock
# Without --read-only, on a standby: read-only all the same. The operator
# sees only some organisations, so a sort on an organisation column takes
# the narrow operator's path (a table of keys, which a standby cannot
# make: each page makes its keys instead).
plain_on_standby() {
	start "$plain_sock" "$tmp/ro.conf"
	wait_for "1-4 of 4" 10 && wait_for "READ-ONLY" 1 || return 1
	keys s
	wait_for "Organisation> ^" 5 && wait_for "Alloway, Kenneth" 5 &&
		wait_for "1-4 of 4" 1 || return 1
	keys a
	wait_for "Read-only mode: users cannot be added." 5 || return 1
	if screen | grep -i -e "cannot execute" -e "ERROR"; then
		echo "a server error on the screen"
		return 1
	fi
}
op=gba204
check "standby: a console without --read-only is read-only there, and sorts by organisation" \
	plain_on_standby
check "standby: it quits with status 0, nothing on stderr" quits "$plain_sock"
op=mch112

sock=$ro_sock
start "$ro_sock" "$tmp/ro.conf" --read-only
on_standby() {
	wait_for "Alloway, Kenneth" 10 && wait_for "READ-ONLY" 1 &&
		connections "$port2" accessdesk 1
}
check "standby: a --read-only console (prefer-standby) lists the users, connected to the standby" \
	on_standby

# follows: a change on the primary (the CLI's) shows on the standby's
# console by itself; the lag is the time from the change saved to the
# screen showing it.
follows() {
	cli user set gba204 --last-name Barlowe >"$tmp/cli.out" 2>&1 || {
		cat "$tmp/cli.out"
		return 1
	}
	t0=$(now_ms)
	wait_for "Barlowe, Gemma" 10 || return 1
	lag=$(($(now_ms) - t0))
	echo "$lag" >"$tmp/lag"
}
check "standby: a change on the primary shows on the read-only console" follows
if [ -s "$tmp/lag" ] && read -r lag <"$tmp/lag"; then
	echo "# standby console: a change on the primary shown after $lag ms"
fi

# refuses: on the standby the console refuses a change with read-only
# mode's words (Add, then Submit of User Details), never a server error.
refuses() {
	keys a
	wait_for "Read-only mode: users cannot be added." 5 || return 1
	keys / Alloway Enter
	wait_for "1-1 of 1" 5 || return 1
	keys Enter
	wait_for "User Details: kal738" 5 || return 1
	keys C-s
	wait_for "Cannot submit: read-only mode: nothing can be changed" 5 ||
		return 1
	if screen | grep -i -e "standby" -e "recovery" -e "ERROR"; then
		echo "a server error on the screen"
		return 1
	fi
	keys Escape
	wait_for "Alloway, Kenneth" 5
}
check "standby: the read-only console refuses changes with read-only mode's message" \
	refuses

# The CLI on the standby (prefer-standby) says so, exit 2, nothing
# changed.
cli_on_standby() {
	"$bin" --config "$tmp/ro.conf" --operator "$op" \
		user set kal738 --title Dr >"$tmp/cli.out" 2>&1
	st=$?
	cat "$tmp/cli.out"
	[ "$st" = 2 ] &&
		grep -F -e "user set: the server is a hot standby (read-only): nothing is changed" \
			"$tmp/cli.out" >/dev/null &&
		[ "$(sql_on "$port1" "SELECT title FROM users WHERE login = 'kal738'")" = Mr ]
}
check "standby: the CLI's change on the standby is refused, saying so" \
	cli_on_standby

# Who had access as of a date is rebuilt in temporary tables: on the
# standby it says it cannot be, exit 2 (who has access now is answered).
as_of_on_standby() {
	"$bin" --config "$tmp/ro.conf" --operator "$op" \
		who-has-access --org lat04 >"$tmp/cli.out" 2>&1 || {
		cat "$tmp/cli.out"
		return 1
	}
	grep -F -e "gba204" "$tmp/cli.out" >/dev/null || return 1
	"$bin" --config "$tmp/ro.conf" --operator "$op" \
		who-has-access --org lat04 --as-of "$(date +%Y-%m-%d)" \
		>"$tmp/cli.out" 2>&1
	st=$?
	cat "$tmp/cli.out"
	[ "$st" = 2 ] &&
		grep -F -e "the server is a hot standby (read-only), where the past cannot be rebuilt" \
			"$tmp/cli.out" >/dev/null
}
check "standby: who has access is answered; as of a date says a standby cannot" \
	as_of_on_standby

# ---- failover ---------------------------------------------------------------

sock=$rw_sock
start "$rw_sock" "$tmp/rw.conf"
on_primary() {
	wait_for "Alloway, Kenneth" 10 && connections "$port1" 'accessdesk%' 2
}
check "failover: a console (read-write) lists the users, on the primary" \
	on_primary

audits() {
	sql_on "$1" "SELECT count(*) FROM audit WHERE target_kind = 'user' AND target = '$2'"
}
pno_before=$(audits "$port1" pno100)
kal_before=$(audits "$port1" kal738)

stopped=0
promoted=0
primary_stops() {
	pg_ctlcluster "$ver" "$primary" stop -m fast >/dev/null 2>&1 || return 1
	stopped=$(now_ms)
	wait_for "NOT CONNECTED" 10
}
check "failover: the primary stops: the console says NOT CONNECTED" \
	primary_stops

# With only the standby left there is no read-write server: the CLI says
# so (exit 2) and writes nothing.
refused_meanwhile() {
	cli user set pno100 --title Dr >"$tmp/cli.out" 2>&1
	st=$?
	cat "$tmp/cli.out"
	[ "$st" = 2 ] && grep -F -e "read-only" "$tmp/cli.out" >/dev/null &&
		[ "$(sql_on "$port2" "SELECT title FROM users WHERE login = 'pno100'")" = Mx ]
}
check "failover: before the promotion the CLI's change is refused: no read-write server" \
	refused_meanwhile
sed 's/^/# refused: /' "$tmp/cli.out"

# The standby is promoted (pg_ctl promote waits for it); the CLI's next
# change reaches it within the connect timeout, saved and audited once.
cli_saves() {
	pg_ctlcluster "$ver" "$standby" promote >/dev/null 2>&1 || return 1
	[ "$(sql_on "$port2" "SELECT pg_is_in_recovery()")" = f ] || return 1
	t=$(now_ms)
	promoted=$t
	cli user set pno100 --title Dr >"$tmp/cli.out" 2>&1 || {
		cat "$tmp/cli.out"
		return 1
	}
	done_at=$(now_ms)
	echo "$((done_at - stopped)) $((t - stopped)) $((done_at - t))" \
		>"$tmp/cli_ms"
	[ $((done_at - t)) -lt $((connect_timeout * 1000)) ] || {
		echo "the CLI took $((done_at - t)) ms"
		return 1
	}
	[ "$(sql_on "$port2" "SELECT title FROM users WHERE login = 'pno100'")" = Dr ] &&
		[ "$(audits "$port2" pno100)" = $((pno_before + 1)) ]
}
check "failover: the standby promoted, the CLI's change is saved there and audited once" \
	cli_saves
if [ -s "$tmp/cli_ms" ] &&
	read -r total promote command <"$tmp/cli_ms"; then
	echo "# CLI: change saved $total ms after the primary stopped (promoted after $promote ms; the command itself $command ms)"
fi

console_back() {
	wait_gone "NOT CONNECTED" 30 || return 1
	back=$(now_ms)
	echo "$((back - stopped)) $((back - promoted))" >"$tmp/back_ms"
	wait_for "Reconnected to the database." 2 || return 1
	# two consoles of two connections each (the lists' counts have their
	# own): the read-only one's, there since before the promotion, and
	# this one's
	connections "$port2" 'accessdesk%' 4
}
check "failover: the console reconnects by itself to the new primary" \
	console_back
if [ -s "$tmp/back_ms" ] && read -r total since <"$tmp/back_ms"; then
	echo "# console: connected again $total ms after the primary stopped ($since ms after the promotion)"
fi

new_email=kenneth.alloway@failover.nhs.uk
console_saves() {
	keys / C-u Alloway Enter
	wait_for "1-1 of 1" 5 || return 1
	keys Enter
	wait_for "User Details: kal738" 5 || return 1
	keys C-u "$new_email"
	wait_for "$new_email" 5 || return 1
	keys C-s
	wait_for "Updated user successfully." 10 || return 1
	got=$(sql_on "$port2" "SELECT email FROM users WHERE login = 'kal738'")
	[ "$got" = "$new_email" ] || {
		echo "email: $got"
		return 1
	}
	[ "$(audits "$port2" kal738)" = $((kal_before + 1)) ] || {
		echo "audit records for kal738: $(audits "$port2" kal738), $kal_before before"
		return 1
	}
}
check "failover: a change in the console is saved on the new primary and audited once" \
	console_saves

verifies() {
	cli audit verify
}
check "failover: the audit chain verifies on the new primary" verifies

check "both consoles quit with status 0, nothing on stderr" quits "$rw_sock"
check "the read-only console quits too" quits "$ro_sock"

[ "$failures" -eq 0 ]
