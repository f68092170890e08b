#!/bin/sh
# test_scenarios.sh: the console's screens, tested as tig tests its own
# (test/tools/libtest.sh, test/main/default-test): each scenario is a file
# scenarios/NAME.sh of steps, each expected screen written beside the
# steps that produce it. The real accessdesk binary runs at 80x24 with
# TERM=vt100, reading its keys (ACCESSDESK_TEST_KEYS) from a FIFO this
# script feeds as it reads the scenario; a screen block sends <Dump> and
# compares the screen dumped (ACCESSDESK_TEST_DUMP, a second FIFO) with
# the block. No sleeps: the only waits are on the console's own output,
# each bounded by a timeout that fails the test rather than hang it.
#
# Usage: test_scenarios.sh ACCESSDESK CONSOLE_DIR [--part=K/N] [NAME...]
#   (the NAMEs: only those scenarios; by default every scenarios/*.sh, or
#   with --part=K/N every Nth of them from the Kth)
#
# Runs against the server of the PG* environment (by hand:
#   pg_virtualenv -t -i '--encoding=UTF8 --locale=C.UTF-8' \
#     sh tests/console/test_scenarios.sh build/accessdesk tests/console
# ); skips (1..0) when no PostgreSQL answers. Each scenario runs twice,
# with LC_ALL=C.UTF-8 and with LC_ALL=C, each time in a fresh database
# ad_screens_NAME (migrated, screens.conf loaded, every created_at set to
# 20/03/2017 as on the seed's list), dropped at the end.
#
# Under meson's test setup 'valgrind' (meson.build) each console runs
# under valgrind, its end is a second TAP case, on valgrind's log, and the
# waits are longer (tests/console/wrap.sh).
#
# A scenario file is sourced; its words, in the order they happen:
#
#   describe NAME TEXT     what the scenario shows (NAME: the file's)
#   configure TEXT         a line of libconfig added to the configuration
#                          of the consoles started after it
#   sql SQL                runs SQL now (setup; a failure bails out)
#   load FILE              loads FILE (in CONSOLE_DIR) with `db load`
#   operator LOGIN [OPTION...]
#                          the console of the current session runs as
#                          LOGIN with the options (words) given; a console
#                          that session was running ends first
#   session NAME           what follows drives session NAME (its own
#                          operator and console, beside the others; the
#                          first is "main")
#   steps KEYS...          keys sent to the current session's console (the
#                          key script's syntax: src/ui/input.c; never
#                          <Dump>), started on the first steps or screen
#   screen <<'EOF'         the whole screen expected after the steps before
#   ...80x24, then "-- cursor Y,X"
#   EOF
#   screen C <<'EOF'       right after a screen block: the same screen in
#   ...                    the C locale, where it differs (each non-ASCII
#   EOF                    character a '?', the columns unmoved)
#   mask ERE TEXT          in the screens after it, what matches ERE (sed
#                          -E; TEXT as sed's replacement) reads TEXT: a
#                          generated value's place, not its value
#   sync                   waits until the console has taken every key
#                          sent (a screen dumped and not compared): before
#                          a q that reads what those keys wrote (a
#                          generated value, to mask in the screens after)
#   quit                   ends the current session's console (its end of
#                          keys closes it); a TAP case: it exits 0
#   check NAME COMMAND...  ends every running console, then a TAP case
#                          passing when COMMAND does; the commands:
#       q_is SQL WANT      the rows SQL gives (|-separated) are WANT
#       q_like SQL ERE     ... match ERE (grep -Ex)
#       output_is WANT     what the current session's console wrote on
#                          stdout and stderr is WANT
#       is GOT WANT
#   q SQL                  the rows SQL gives, for the scenario's own use
#                          (before=$(q "SELECT max(id) FROM audit"))
#
# Each screen block is a TAP case named by the scenario, the locale, the
# block's line and the steps before it; a difference is shown as diff -u
# (want, got). Every console ends, when the scenario does, as a TAP case.
#
# UPDATE_EXPECTED=1 rewrites the screen blocks of the scenarios run with
# the screens got (a C block only where the C locale's differs), leaving
# the rest of each file as it was; review with git diff before a commit.
# The rewriter knows screen blocks by their lines `screen <<'EOF'`,
# `screen C <<'EOF'` and `EOF`: write them so.

set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 ACCESSDESK CONSOLE_DIR [--part=K/N] [NAME...]" >&2
	exit 2
fi
bin=$1
dir=$2
shift 2

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$dir/../tap.sh"
tap_tmpdir ad-scenarios
# shellcheck source-path=SCRIPTDIR source=../db/pg.sh
. "$dir/../db/pg.sh"

# The consoles' configuration (the operator named with --operator) and
# the screens' pinned environment.
# shellcheck source-path=SCRIPTDIR source=fixture.sh
. "$dir/fixture.sh"
screen_env "$tmp/base.conf"
# shellcheck source-path=SCRIPTDIR source=wrap.sh
. "$dir/wrap.sh"
# how long a screen may take to come (20 s; longer under a wrapper)
dump_wait=$(waits 20)

pg_skip_without_server

# ---- sessions: a console each, fed through a FIFO ---------------------------

# Per session NAME: s_NAME_login, s_NAME_opts, s_NAME_pid (empty when no
# console runs), s_NAME_fd (the descriptor this script holds its keys FIFO
# open on, read-write so that writing never blocks and the console sees
# the end of its keys only when that is closed). $sessions: every name.
sessions=
cur=main

var() { # NAME FIELD: the value of s_NAME_FIELD
	eval "printf '%s' \"\${s_$1_$2:-}\""
}
setvar() { # NAME FIELD VALUE
	eval "s_$1_$2=\$3"
}

bail() {
	echo "Bail out! $scen ($loc): $*"
	exit 1
}

# session_start: the current session's console, unless it runs already.
session_start() {
	[ -n "$(var "$cur" pid)" ] && return 0
	login=$(var "$cur" login)
	[ -n "$login" ] || bail "session $cur: steps or a screen before its operator"
	# a descriptor no running console holds
	fd=
	for try in 4 5 6 7 8 9; do
		taken=
		for s in $sessions; do
			[ -n "$(var "$s" pid)" ] && [ "$(var "$s" fd)" = "$try" ] && taken=1
		done
		if [ -z "$taken" ]; then
			fd=$try
			break
		fi
	done
	[ -n "$fd" ] || bail "too many sessions at once"
	rm -f "$tmp/$cur.keys" "$tmp/$cur.dump"
	mkfifo "$tmp/$cur.keys" "$tmp/$cur.dump" || bail "mkfifo failed"
	eval "exec $fd<>\"\$tmp/\$cur.keys\""
	# shellcheck disable=SC2046,SC2086 # the options and the wrapper: words
	LC_ALL=$loc ACCESSDESK_TEST_SIZE=80x24 \
		ACCESSDESK_TEST_KEYS=$tmp/$cur.keys ACCESSDESK_TEST_DUMP=$tmp/$cur.dump \
		ACCESSDESK_VALGRIND_LOG=$(wrap_log "$scen.$loc.$cur") \
		$wrap "$bin" --config "$tmp/scenario.conf" --operator "$login" $(var "$cur" opts) \
		</dev/null >"$tmp/$cur.out" 2>"$tmp/$cur.err" 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	setvar "$cur" pid $!
	setvar "$cur" fd "$fd"
	setvar "$cur" dead ""
	setvar "$cur" steps ""
	setvar "$cur" unseen ""
}

# session_end NAME: closes the keys of NAME's console, if it runs, and
# waits for it: a TAP case, passing when it exits 0.
session_end() {
	pid=$(var "$1" pid)
	[ -n "$pid" ] || return 0
	# Keys sent since its last screen: a console still starting (slow, as
	# under valgrind) may not have opened them yet, and closing them then
	# would lose them and leave it waiting for a writer. A screen dumped
	# first (not compared) shows it took them all.
	if [ -z "$(var "$1" dead)" ] && [ -n "$(var "$1" unseen)" ]; then
		printf '<Dump>\n' >&"$(var "$1" fd)"
		timeout "$dump_wait" cat "$tmp/$1.dump" >/dev/null || setvar "$1" dead 1
	fi
	eval "exec $(var "$1" fd)>&-"
	# one that failed to dump may be waiting for a reader: it is done
	[ -n "$(var "$1" dead)" ] && kill -s KILL "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	setvar "$1" pid ""
	what="$scen ($loc): session $1's console ($(var "$1" login)) ends with status 0"
	if [ "$st" -eq 0 ]; then
		ok "$what"
	else
		not_ok "$what" "status $st" "$(sed 's/^/stderr: /' "$tmp/$1.err")"
	fi
	wrap_check "$scen ($loc): session $1's console" "$scen.$loc.$1"
}

end_all() {
	for s in $sessions; do
		session_end "$s"
	done
}

# At exit: consoles still running are killed (a bail out, a signal).
kill_sessions() {
	for s in $sessions; do
		pid=$(var "$s" pid)
		[ -n "$pid" ] || continue
		eval "exec $(var "$s" fd)>&-"
		kill -s KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}
tap_at_exit kill_sessions

# ---- the scenario's words -----------------------------------------------------

describe() {
	[ "$1" = "$scen" ] || bail "describe names $1 in $scen.sh"
	printf '# %s (%s): %s\n' "$1" "$loc" "$2"
}

configure() {
	settle
	printf '%s\n' "$1" >>"$tmp/scenario.conf"
}

sql() {
	settle
	pg_q "$1" >/dev/null || bail "sql: $(cat "$tmp/psql.err")"
}

load() {
	settle
	"$bin" --config "$tmp/scenario.conf" db load "$dir/$1" >/dev/null 2>"$tmp/load.err" ||
		bail "load $1: $(cat "$tmp/load.err")"
}

session() {
	settle
	cur=$1
	case " $sessions " in
	*" $1 "*) ;;
	*) sessions="$sessions $1" ;;
	esac
}

operator() {
	settle
	session "$cur"
	session_end "$cur"
	setvar "$cur" login "$1"
	shift
	setvar "$cur" opts "$*"
}

steps() {
	settle
	session_start
	setvar "$cur" steps "$(var "$cur" steps)$*"
	setvar "$cur" unseen 1
	printf '%s\n' "$*" >&"$(var "$cur" fd)"
}

mask() {
	settle
	printf 's\001%s\001%s\001g\n' "$1" "$2" >>"$tmp/mask.sed"
}

quit() {
	settle
	session_end "$cur"
}

sync() {
	settle
	session_start
	[ -z "$(var "$cur" dead)" ] || return 0
	printf '<Dump>\n' >&"$(var "$cur" fd)"
	timeout "$dump_wait" cat "$tmp/$cur.dump" >/dev/null || setvar "$cur" dead 1
	setvar "$cur" unseen ""
}

# screen [C]: the expected screen on stdin. The comparison waits for the
# next word (settle), since a C block may follow.
pending=
screen() {
	if [ "${1:-}" = C ]; then
		[ -n "$pending" ] || bail "screen C after no screen block"
		if [ "$loc" = C ]; then
			cat >"$tmp/want"
		else
			cat >/dev/null
		fi
		return 0
	fi
	settle
	session_start
	nscreen=$((nscreen + 1))
	pending=$nscreen
	cat >"$tmp/want"
	pending_steps=$(var "$cur" steps | tr '\n' ' ')
	setvar "$cur" steps ""
	pending_session=$cur
	rm -f "$tmp/got"
	if [ -n "$(var "$cur" dead)" ]; then
		return 0
	fi
	fd=$(var "$cur" fd)
	printf '<Dump>\n' >&"$fd"
	setvar "$cur" unseen ""
	if timeout "$dump_wait" cat "$tmp/$cur.dump" >"$tmp/raw"; then
		sed -E -f "$tmp/mask.sed" "$tmp/raw" >"$tmp/got"
	else
		setvar "$cur" dead 1
	fi
}

# settle: the pending screen block's TAP case.
settle() {
	[ -n "$pending" ] || return 0
	n_=$pending
	pending=
	line=$(sed -n "${n_}p" "$tmp/lines")
	# a run of one key, shown once
	pending_steps=$(printf '%s' "$pending_steps" | sed -E 's/(<[^<>]+>)(\1)+/\1.../g')
	if [ "${#pending_steps}" -gt 48 ]; then
		pending_steps="...$(printf '%s' "$pending_steps" | tail -c 45)"
	fi
	what="$scen ($loc): screen $n_ ($scen.sh:$line)"
	[ "$pending_session" = main ] || what="$what, session $pending_session"
	if [ -n "$pending_steps" ]; then
		what="$what after '$pending_steps'"
	else
		what="$what at the start"
	fi
	if [ ! -f "$tmp/got" ]; then
		not_ok "$what" "no screen was dumped within $dump_wait s: the console died, or waits" \
			"$(sed 's/^/stderr: /' "$tmp/$pending_session.err")"
	elif [ -n "${UPDATE_EXPECTED:-}" ]; then
		cp "$tmp/got" "$tmp/update/$loc.$n_"
		ok "$what # updated"
	elif diff -u -L "want ($scen.sh:$line)" -L got "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		ok "$what"
	else
		not_ok "$what" "$(cat "$tmp/diff")"
	fi
}

check() {
	settle
	end_all
	what="$scen ($loc): $1"
	shift
	if "$@" >"$tmp/check.out" 2>&1; then
		ok "$what"
	else
		not_ok "$what" "$(cat "$tmp/check.out")"
	fi
}

q() {
	pg_q "$1"
}

q_is() {
	is "$(printf '%s\n' "$1" | psql -X -q -At -v ON_ERROR_STOP=1 2>&1)" "$2"
}

q_like() {
	got_=$(printf '%s\n' "$1" | psql -X -q -At -v ON_ERROR_STOP=1 2>&1)
	printf '%s\n' "$got_" | grep -Eqx -e "$2" && return 0
	printf 'got:  %s\nwant: /%s/\n' "$got_" "$2"
	return 1
}

output_is() {
	is "$(cat "$tmp/$cur.out" "$tmp/$cur.err")" "$1"
}

is() {
	[ "$1" = "$2" ] && return 0
	printf 'got:  %s\nwant: %s\n' "$1" "$2"
	return 1
}

# ---- running a scenario -------------------------------------------------------

# newdb: a fresh database ad_screens_$scen, the current one, with the
# schema, screens.conf, and every user added on 20/03/2017.
newdb() {
	pg_newdb "ad_screens_$scen" >/dev/null
	if ! "$bin" --config "$tmp/base.conf" db migrate >/dev/null 2>"$tmp/err" ||
		! "$bin" --config "$tmp/base.conf" db load "$dir/screens.conf" >/dev/null 2>>"$tmp/err" ||
		! pg_q "UPDATE users SET created_at = '2017-03-20 09:00'" >/dev/null; then
		bail "cannot make the database ad_screens_$scen: $(cat "$tmp/err" "$tmp/psql.err")"
	fi
}

# run FILE: the scenario in the locale $loc.
run() {
	cp "$tmp/base.conf" "$tmp/scenario.conf"
	: >"$tmp/mask.sed"
	sessions=
	cur=main
	session main
	nscreen=0
	pending=
	# the line of each screen block, for the cases' names
	grep -n "^screen <<'EOF'\$" "$1" | cut -d: -f1 >"$tmp/lines"
	newdb
	# shellcheck disable=SC1090 # the scenario
	. "$1"
	settle
	end_all
	[ "$nscreen" -eq "$(wc -l <"$tmp/lines")" ] ||
		bail "$nscreen screens taken, $(wc -l <"$tmp/lines") blocks written as screen <<'EOF'"
}

# rewrite FILE: its screen blocks from $tmp/update/LOCALE.N, C blocks
# where the C locale's differs; a block with no screen got stays as it was.
rewrite() {
	awk -v dir="$tmp/update" '
	function slurp(f,   s, l) {
		s = ""
		while ((getline l < f) > 0)
			s = s l "\n"
		close(f)
		return s
	}
	skip { if ($0 == "EOF") skip = 0; next }
	keep { print; if ($0 == "EOF") keep = 0; next }
	$0 == "screen <<'\''EOF'\''" {
		n++
		print
		u = slurp(dir "/C.UTF-8." n)
		c = slurp(dir "/C." n)
		replaced = (u != "" && c != "")
		if (!replaced) { keep = 1; next }
		printf "%sEOF\n", u
		if (c != u)
			printf "screen C <<'\''EOF'\''\n%sEOF\n", c
		skip = 1
		next
	}
	$0 == "screen C <<'\''EOF'\''" {
		if (replaced) skip = 1
		else { print; keep = 1 }
		next
	}
	{ print }
	' "$1" >"$tmp/rewritten" && cat "$tmp/rewritten" >"$1"
}

# --part K/N: every Nth scenario from the Kth (in name order), so that
# the suite runs the scenarios as N tests side by side.
part=
case ${1:-} in
--part=*/*)
	part=${1#--part=}
	shift
	;;
esac
if [ $# -eq 0 ]; then
	set -- "$dir"/scenarios/*.sh
	if [ -n "$part" ]; then
		k=${part%/*} parts=${part#*/} i=0
		for file in "$@"; do
			shift
			[ $((i % parts + 1)) -eq "$k" ] && set -- "$@" "$file"
			i=$((i + 1))
		done
	fi
else
	for name in "$@"; do
		shift
		set -- "$@" "$dir/scenarios/$name.sh"
	done
fi

for file in "$@"; do
	[ -f "$file" ] || {
		echo "Bail out! no scenario $file"
		exit 1
	}
	scen=$(basename "$file" .sh)
	rm -rf "$tmp/update"
	mkdir "$tmp/update"
	for loc in C.UTF-8 C; do
		run "$file"
	done
	if [ -n "${UPDATE_EXPECTED:-}" ]; then
		rewrite "$file"
	fi
done

echo "1..$n"
[ "$failures" -eq 0 ]
