#!/bin/sh
# test_run.sh ACCESSDESK: ./scripts/run's embedded default database. The
# first run creates a private cluster (Unix socket only, in its own
# directory), migrates it, imports the NHS hierarchy, seeds demo users and
# runs the command as the demo System Administrator; the second run finds it
# all there. A small seed keeps it quick. TAP.
set -u
if [ $# -ne 1 ]; then
	echo "usage: $0 ACCESSDESK" >&2
	exit 2
fi
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	echo "1..0 # SKIP no PostgreSQL server installed"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/run.XXXXXX") || exit 1
chmod 755 "$tmp" # the server's account (postgres, for root) enters it
home=$tmp/home
server_user=$(id -un) # the server runs as the caller, or postgres for root
[ "$(id -u)" -eq 0 ] && server_user=postgres
for d in /usr/lib/postgresql/*/bin; do pgbin=$d; done # the newest
pgctl=$pgbin/pg_ctl
stop() {
	if [ -f "$home/pgdata/PG_VERSION" ]; then
		if [ "$(id -u)" -eq 0 ]; then
			runuser -u postgres -- "$pgctl" -D "$home/pgdata" -m fast stop >/dev/null 2>&1
		else
			"$pgctl" -D "$home/pgdata" -m fast stop >/dev/null 2>&1
		fi
	fi
	rm -rf "$tmp"
}
trap stop EXIT INT TERM
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"

# run ARG...: ./scripts/run with the built binary and the test's home
run() {
	env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER -u PGPASSWORD \
		ACCESSDESK_BIN="$bin" ACCESSDESK_HOME="$home" \
		ACCESSDESK_DEMO_USERS=50 "$top/scripts/run" "$@" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
}
tap_context() {
	sed 's/^/#   stdout: /' "$tmp/out" | head -20
	sed 's/^/#   stderr: /' "$tmp/err" | head -20
}

first_line_is() { [ "$(head -1 "$tmp/out")" = "$1" ]; }
no_creation() { [ "$status" -eq 0 ] && ! grep -q Creating "$tmp/err"; }
report_users_at_least() { [ "$(cut -d, -f1 "$tmp/out" | sort -u | wc -l)" -ge "$1" ]; }
# The server's own word: it listens on no address, only its socket there.
socket_only() {
	[ "$(psql -X -At -h "$home/socket" -U "$server_user" -d accessdesk \
		-c 'SHOW listen_addresses')" = "" ] &&
		[ -S "$home/socket/.s.PGSQL.5432" ]
}

echo "1..9"
run check --user admin --action users.manage --org A81001 --explain
tap "first run: exit 0" [ "$status" -eq 0 ]
tap "it says it creates the embedded database" grep -q "Creating the embedded database" "$tmp/err"
tap "it imports the NHS hierarchy (7,937 organisations with the root)" \
	grep -q "7937 organisations with the root" "$tmp/err"
tap "the demo administrator may manage users at a practice" first_line_is allow
tap "because of System Administrator at the root nhs" \
	grep -q "grant nhs: role System Administrator" "$tmp/out"
tap "the server listens on a socket in its own directory only" socket_only
run report
tap "second run: exit 0, nothing created again" no_creation
tap "the seeded users are still there (in the report)" report_users_at_least 40
run --check-config
tap "the written configuration is valid" grep -q "accessdesk.conf: valid" "$tmp/out"
[ "$failures" -eq 0 ]
