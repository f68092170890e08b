# shellcheck shell=sh
# fixture.sh: the database the console tests start from. Sourced, then
#   fixture NAME ACCESSDESK POLICY_FILE
# Prints the TAP skip and exits when no PostgreSQL answers; otherwise makes
# $tmp, a database ad_NAME_PID (PGDATABASE) migrated and loaded with the
# policy, and $tmp/conf, a configuration taking --operator. All of it goes
# at exit.
fixture() {
	if ! psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
		echo "1..0 # SKIP no PostgreSQL"
		exit 0
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
	db=ad_$1_$$
	# (fd 3: a key FIFO some tests hold open)
	trap 'exec 3>&- 2>/dev/null; dropdb --if-exists "$db" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
	createdb "$db" || exit 1
	PGDATABASE=$db
	export PGDATABASE
	if ! "$2" db migrate >/dev/null || ! "$2" db load "$3" >/dev/null; then
		echo "Bail out! the fixture did not load"
		exit 1
	fi
	printf 'operator = { source = "flag"; };\n' >"$tmp/conf"
}

# screen_env CONF: the screen tests' environment: their screens must not
# depend on the caller's terminal or colours, nor on a key script of the
# caller's; CONF gets a configuration on the PG* environment's server that
# takes --operator.
screen_env() {
	TERM=vt100
	export TERM
	unset NO_COLOR ACCESSDESK_TEST_KEYS ACCESSDESK_TEST_DUMP ACCESSDESK_TEST_SIZE
	printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
		>"$1"
}
