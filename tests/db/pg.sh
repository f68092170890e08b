# shellcheck shell=sh
# pg.sh: the helpers of the shell tests that run against the server of the
# PG* environment (the suite runs inside pg_virtualenv). Sourced after
# tap.sh's tap_tmpdir:
#   . "$(dirname "$0")/../tap.sh"
#   tap_tmpdir NAME
#   . "$(dirname "$0")/pg.sh"   (or ../db/pg.sh from another directory)
#   pg_skip_without_server
# Sourcing it makes the client encoding UTF8 and unsets PGOPTIONS. Every
# database named in $dbs (pg_newdb adds its own) is dropped at exit, after
# the clean-ups given to tap_at_exit later (which may be holding one open).

PGCLIENTENCODING=UTF8
export PGCLIENTENCODING
unset PGOPTIONS

dbs=
pg_drop_dbs() {
	for pg_db in $dbs; do
		dropdb --if-exists "$pg_db" >/dev/null 2>&1
	done
}
tap_at_exit pg_drop_dbs

# pg_skip_without_server: when no server answers, "1..0 # SKIP no
# PostgreSQL" and exit 0 if no PG* variable names one; if one does, a bail
# out with psql's message and exit 1.
# shellcheck disable=SC2154 # tmp: tap_tmpdir's
pg_skip_without_server() {
	if ! psql -X -At -d postgres -c 'SELECT 1' >/dev/null 2>"$tmp/err"; then
		if [ -z "${PGHOST:-}${PGHOSTADDR:-}${PGPORT:-}${PGDATABASE:-}${PGUSER:-}${PGSERVICE:-}" ]; then
			echo "1..0 # SKIP no PostgreSQL"
			exit 0
		fi
		echo "Bail out! cannot connect to PostgreSQL"
		sed 's/^/# /' "$tmp/err"
		exit 1
	fi
}

# pg_newdb NAME: a new empty database NAME (one left by an earlier run
# dropped first), made the current one (PGDATABASE) and dropped at exit. A
# bail out when createdb fails.
pg_newdb() {
	PGDATABASE=$1
	export PGDATABASE
	dbs="$dbs $PGDATABASE"
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	createdb "$PGDATABASE" || {
		echo "Bail out! createdb $PGDATABASE failed"
		exit 1
	}
}

# pg_q SQL [PSQL ARGS...]: the rows (|-separated) SQL gives in the current
# database, on standard output (values travel as psql variables: -v
# NAME=VALUE, :'NAME' in SQL); psql's errors go to $tmp/psql.err.
pg_q() {
	pg_sql=$1
	shift
	printf '%s\n' "$pg_sql" | psql -X -q -At -v ON_ERROR_STOP=1 "$@" 2>>"$tmp/psql.err"
}
