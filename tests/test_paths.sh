#!/bin/sh
# test_paths.sh: a file the user names that is not a regular file (a FIFO,
# /dev/null, /dev/zero, a directory) is refused at once, with a message
# naming the path and saying what it is, wherever a file is read: --config
# (given, and found by the search order), `policy test`, `check --policy`,
# an @include in a policy file and in a configuration file, `db load` and
# `db import-ods`. Each command runs under `timeout 10`: a FIFO opened for
# reading would wait for a writer, so a hang is a failure (status 124). As
# TAP.
#
# Usage: test_paths.sh /path/to/accessdesk /path/to/tests/policy
#
# `db load` and `db import-ods` connect first: they run against a migrated
# database of the PG* environment's server (the suite runs inside
# pg_virtualenv), and are skipped when none answers.
set -u

# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$(cd "$2" && pwd)
good=$dir/good/cqrs-seed.conf

tap_tmpdir test-paths
tap_runs

# ad ARG...: accessdesk under a time limit, no configuration from the
# environment unless the arguments give one.
ad() {
	last="accessdesk $*"
	timeout 10 "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# refused NAME PATH WHAT: the last command gave up at once (not 124, the
# time limit), with status 2 and a message holding "PATH: WHAT".
refused() {
	if [ "$status" -eq 124 ]; then
		not_ok "$1" "it waited (killed after 10 s)"
	elif status_is 2 && err_has "$2: $3"; then
		ok "$1"
	else
		not_ok "$1" "wanted status 2 and \"$2: $3\" on stderr"
	fi
}

# The paths that are no regular file, and what each is said to be.
mkfifo "$tmp/fifo"
mkdir "$tmp/dir"
kinds="fifo dev-null dev-zero dir"
path_of() {
	case $1 in
	fifo) echo "$tmp/fifo" ;;
	dev-null) echo /dev/null ;;
	dev-zero) echo /dev/zero ;;
	dir) echo "$tmp/dir" ;;
	esac
}
what_of() {
	case $1 in
	fifo) echo "is a FIFO (named pipe), not a regular file" ;;
	dev-null | dev-zero) echo "is a character device, not a regular file" ;;
	dir) echo "is a directory" ;;
	esac
}

printf 'database = { conninfo = "host=/nonexistent"; };\n' >"$tmp/ok.conf"

# ---- without a database ---------------------------------------------------

run_offline() {
	for k in $kinds; do
		p=$(path_of "$k")
		w=$(what_of "$k")

		ad --config "$p" --check-config
		refused "--config $k --check-config" "$p" "$w"
		ad --config "$p" check --user kal738 --action users.view --org lat04
		refused "--config $k before a command" "$p" "$w"

		# The search order: the first file found is read, never skipped.
		mkdir -p "$tmp/xdg/accessdesk"
		rm -rf "$tmp/xdg/accessdesk/accessdesk.conf"
		if [ "$k" = dir ]; then
			mkdir "$tmp/xdg/accessdesk/accessdesk.conf"
		else
			ln -s "$p" "$tmp/xdg/accessdesk/accessdesk.conf"
		fi
		last="XDG_CONFIG_HOME=$tmp/xdg accessdesk --check-config"
		XDG_CONFIG_HOME=$tmp/xdg timeout 10 "$bin" --check-config \
			</dev/null >"$tmp/out" 2>"$tmp/err"
		status=$?
		refused "the configuration found in XDG_CONFIG_HOME, $k" \
			"$tmp/xdg/accessdesk/accessdesk.conf" "$w"

		ad --config "$tmp/ok.conf" policy test "$p"
		refused "policy test $k" "$p" "$w"
		ad --config "$tmp/ok.conf" policy test "$good" "$p"
		refused "policy test of a good file, then $k" "$p" "$w"
		ad --config "$tmp/ok.conf" check --policy "$p" --user kal738 \
			--action users.view --org lat04
		refused "check --policy $k" "$p" "$w"

		# @include NAME is read in the including file's directory
		# (libconfig puts it before any name, even one starting with
		# '/'): a link there to the path. The policy loader reads the
		# included file first, libconfig after.
		ln -s "$p" "$tmp/link-$k"
		printf '# includes %s\n@include "link-%s"\n' "$k" "$k" \
			>"$tmp/inc-$k.conf"
		ad --config "$tmp/ok.conf" policy test "$tmp/inc-$k.conf"
		refused "policy file with @include of $k" "$tmp/link-$k" "$w"
		if err_has "$tmp/inc-$k.conf:2:"; then
			ok "policy file with @include of $k: the line is named"
		else
			not_ok "policy file with @include of $k: the line is named" \
				"wanted $tmp/inc-$k.conf:2: on stderr"
		fi
		printf 'ui = { read_only = true; };\n@include "link-%s"\n' "$k" \
			>"$tmp/cinc-$k.conf"
		ad --config "$tmp/cinc-$k.conf" --check-config
		refused "configuration with @include of $k" "$tmp/link-$k" "$w"
		if err_has "$tmp/cinc-$k.conf:2:"; then
			ok "configuration with @include of $k: the line is named"
		else
			not_ok "configuration with @include of $k: the line is named" \
				"wanted $tmp/cinc-$k.conf:2: on stderr"
		fi
	done
}

# A regular file, a symbolic link to one and an @include'd one still load.
run_regular() {
	ln -s "$good" "$tmp/link.conf"
	ad --config "$tmp/ok.conf" policy test "$tmp/link.conf"
	if status_is 0; then ok "a symbolic link to a regular policy file loads"; else not_ok "a symbolic link to a regular policy file loads"; fi
	cp "$good" "$tmp/good.conf"
	printf '@include "good.conf"\n' >"$tmp/inc-good.conf"
	ad --config "$tmp/ok.conf" check --policy "$tmp/inc-good.conf" \
		--user kal738 --action users.view --org lat04
	if [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; then ok "a policy file including a regular one loads"; else not_ok "a policy file including a regular one loads"; fi
	printf 'ui = { ascii_lines = true; };\n' >"$tmp/part.conf"
	printf '@include "part.conf"\n' >"$tmp/whole.conf"
	ad --config "$tmp/whole.conf" --check-config
	if status_is 0 && out_has "$tmp/whole.conf: valid"; then ok "a configuration including a regular one is valid"; else not_ok "a configuration including a regular one is valid"; fi
}

# An @include's name as libconfig reads it: \" is a quote, and the name
# runs over lines. A check that stopped at the first quote or the end of
# the line would miss the FIFO libconfig then opens.
run_names() {
	mkfifo "$tmp/a\"b" "$tmp/c
d"
	printf '@include "a\\"b"\n' >"$tmp/quote.conf"
	printf '@include "c\nd"\n' >"$tmp/newline.conf"
	for f in quote newline; do
		case $f in
		quote) p="$tmp/a\"b" ;;
		newline) p="$tmp/c?d" ;; # the newline, sanitised
		esac
		w="is a FIFO (named pipe), not a regular file"
		ad --config "$tmp/ok.conf" policy test "$tmp/$f.conf"
		refused "policy file, @include of a FIFO whose name has a $f" "$p" "$w"
		ad --config "$tmp/$f.conf" --check-config
		refused "configuration, @include of a FIFO whose name has a $f" "$p" "$w"
	done
}

# ---- with a database -----------------------------------------------------

run_db() {
	printf 'database = { conninfo = ""; };\n' >"$tmp/db.conf"
	PGDATABASE=ad_paths_$$
	export PGDATABASE
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	if ! createdb "$PGDATABASE" 2>"$tmp/err"; then
		for k in $kinds; do
			not_ok "db load $k" "createdb failed"
			not_ok "db import-ods $k" "createdb failed"
		done
		return
	fi
	tap_at_exit drop_db
	ad --config "$tmp/db.conf" db migrate
	for k in $kinds; do
		p=$(path_of "$k")
		w=$(what_of "$k")
		ad --config "$tmp/db.conf" db load "$p"
		refused "db load $k" "$p" "$w"
		ad --config "$tmp/db.conf" db import-ods "$p"
		refused "db import-ods $k" "$p" "$w"
	done
}
drop_db() { dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1; }

n_kinds=4
echo "1..$((n_kinds * 10 + 3 + 4 + n_kinds * 2))"
run_offline
run_regular
run_names
if psql -X -At -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
	run_db
else
	for k in $kinds; do
		skip "db load $k" "no PostgreSQL"
		skip "db import-ods $k" "no PostgreSQL"
	done
fi
[ "$failures" -eq 0 ]
