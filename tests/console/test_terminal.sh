#!/bin/sh
# test_terminal.sh: the console on a real pseudo-terminal (screens.md,
# "Terminal behaviour"), as TAP. No test mode: the keys go through the
# terminal, curses and the key dispatcher; everything the console writes is
# recorded by pty_harness and checked byte by byte.
#
# Usage: test_terminal.sh ACCESSDESK PTY_HARNESS TESTS_CONSOLE_DIR
#
# Runs against the server of the PG* environment (the suite runs inside
# pg_virtualenv; by hand: pg_virtualenv -t sh tests/console/test_terminal.sh
# build/accessdesk build/tests/pty_harness tests/console). Skips (1..0) when
# no PostgreSQL answers. Makes its own database ad_term_PID, dropped at the
# end.
#
#   (a) for TERM vt100, vt220, xterm, tmux-256color (each skipped when the
#       terminfo database lacks it): the first screen; every action by its
#       plain key (? w Enter a, each left with Esc; 2; 5 and 1; f; s; S; / with
#       Backspace as 127 and as 8); ESC 1 as F1, sent at once and typed by
#       hand (300 ms apart); Ctrl-L; Ctrl-Z stops with the terminal restored
#       and SIGCONT redraws it all; q exits 0 with the terminal restored
#       (rmcup, or a cleared screen where there is none; rmkx as terminfo
#       says; ICANON and ECHO back on); bracketed paste on and off where
#       terminfo has it (BE), never sent elsewhere; an unknown escape
#       sequence does nothing, in the list and in the search prompt
#   (b) on vt100: the bytes of the first paint and of one row's move; an
#       idle screen sends nothing
#   (c) resizing below 80x24 and back, with a search being typed; too
#       small, keys are not acted on and q does not leave a form holding
#       input
#   (d) NO_COLOR: no SGR colour; without it, colour (the check can fail)
#   (e) an unknown TERM: non-zero, a clear message on stderr, no blank
#       screen; TERM=dumb (no cup) likewise
#   (f) SIGHUP, SIGTERM and a closed terminal end the console cleanly
#   (g) a user whose names hold OSC 52, CR, BS and U+202E (set with psql
#       variables): never sent as such, in the list, the form and Why?; and,
#       on tmux's screen, the row's columns start where an ordinary row's do
#   (h) on tmux's screen: the terminal cursor on the selected row, the key
#       bar whole at 80 columns, the sort marker on the sorted column, the
#       help generated from the key maps
#   (i) bracketed paste: a pasted q is not the key; a paste holding CR, LF,
#       TAB and ESC reaches the search prompt as its text alone

set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK PTY_HARNESS TESTS_CONSOLE_DIR" "$@"
bin=$1
harness=$2
dir=$3

tap_tmpdir ad-term
# shellcheck source-path=SCRIPTDIR source=wrap.sh
. "$(dirname "$0")/wrap.sh"
# shellcheck source-path=SCRIPTDIR source=../db/pg.sh
. "$(dirname "$0")/../db/pg.sh"
# tmux's server (parts g and h), killed at exit before the database goes.
sock=adterm$$
kill_tmux() {
	if command -v tmux >/dev/null 2>&1; then
		tmux -L "$sock" kill-server >/dev/null 2>&1
	fi
}
tap_at_exit kill_tmux

unset NO_COLOR TMUX
LC_ALL=C
export LC_ALL

# ---- no server: skip ------------------------------------------------------

if ! psql -X -At -d postgres -c 'SELECT 1' >/dev/null 2>"$tmp/err"; then
	echo "1..0 # SKIP no PostgreSQL"
	exit 0
fi

# ---- the database -----------------------------------------------------------

db=ad_term_$$
dbs=$db
PGDATABASE=$db
export PGDATABASE
printf 'operator = { source = "flag"; };\n' >"$tmp/accessdesk.conf"
conf=$tmp/accessdesk.conf

bail() {
	echo "Bail out! $1"
	sed 's/^/# /' "$tmp/err"
	exit 1
}

createdb -E UTF8 -T template0 --locale=C "$db" 2>"$tmp/err" ||
	bail "createdb $db failed"
"$bin" --config "$conf" db migrate >/dev/null 2>"$tmp/err" ||
	bail "db migrate failed"
"$bin" --config "$conf" db load "$dir/console-fixture.conf" >/dev/null 2>"$tmp/err" ||
	bail "db load console-fixture.conf failed"

# h001's names: OSC 52 (set the clipboard), CR, BS and U+202E (right-to-left
# override), as values through psql variables, never spliced into SQL.
hostile_last=$(printf 'Ev\rX\bY\342\200\256il')
hostile_first=$(printf '\033]52;c;SGVsbG8=\a')
psql -X -q -At -v ON_ERROR_STOP=1 -v "ln=$hostile_last" -v "fn=$hostile_first" \
	>"$tmp/out" 2>"$tmp/err" <<'SQL' || bail "cannot set the hostile names"
UPDATE users SET last_name = :'ln', first_name = :'fn' WHERE login = 'h001';
SELECT encode(convert_to(last_name || '|' || first_name, 'UTF8'), 'hex')
  FROM users WHERE login = 'h001';
SQL
[ "$(cat "$tmp/out")" = 45760d580859e280ae696c7c1b5d35323b633b534756736247383d07 ] ||
	bail "the hostile names were not stored as given: $(cat "$tmp/out")"
# How the list shows that row's name cell (18 columns, the last the
# list's mark of a cut value): each of them one ?
hostile_cell='Ev?X?Y?il, ?]52;c>'

# ---- TAP --------------------------------------------------------------------

# The bytes on standard input as the harness's \xHH escapes.
escaped() {
	od -An -v -tx1 | tr -d ' \n' | sed 's/\(..\)/\\x\1/g'
}

# The capability CAP of terminal TERM, escaped; empty when it has none.
cap() {
	tput -T"$1" "$2" 2>/dev/null | escaped
}

# say LINE...: lines of a harness script, as they are (no escapes).
say() {
	printf '%s\n' "$@"
}

known_term() {
	tput -T"$1" longname >/dev/null 2>&1
}

# play NAME SCRIPT [HARNESS OPTIONS...]: runs the console under the harness
# with SCRIPT; each of the harness's test points becomes one of ours. $with,
# when set, is one VAR=VALUE for the console's environment (then unset).
# $todo, when set, marks the run's failing points TODO with that reason (a
# defect known and not yet fixed, in a file not this test's; then unset);
# passing points stay plain ok (meson fails a TODO that passes).
with=
todo=
plays=0
play() {
	name=$1
	script=$2
	shift 2
	plays=$((plays + 1))
	# shellcheck disable=SC2086 # the wrapper's words
	env ${with:+"$with"} ACCESSDESK_VALGRIND_LOG="$(wrap_log "term.$plays")" \
		"$harness" -o "$tmp/log" "$@" "$script" \
		$wrap "$bin" --config "$conf" --operator adm001 ${option:+"$option"} \
		>"$tmp/play" 2>"$tmp/play.err"
	st=$?
	with=
	option=
	mark=${todo:+ # TODO $todo}
	todo=
	points=0
	while IFS= read -r line; do
		case $line in
		"ok - "*)
			points=$((points + 1))
			ok "$name: ${line#ok - }"
			;;
		"not ok - "*)
			points=$((points + 1))
			if [ -n "$mark" ]; then
				n=$((n + 1))
				printf 'not ok %d - %s\n' "$n" "$name: ${line#not ok - }$mark"
			else
				not_ok "$name: ${line#not ok - }"
			fi
			;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$tmp/play"
	if [ "$st" -gt 1 ] || [ "$points" -eq 0 ]; then
		not_ok "$name: the harness ran (status $st)" "$(cat "$tmp/play.err")"
	fi
	wrap_check "$name: the console" "term.$plays"
}

# The bytes of the hostile names, which must never reach the terminal.
forbid_hostile() {
	cat <<'EOF'
forbid \e]52
forbid \xe2\x80\xae
forbid Ev\r
forbid \rX
forbid X\b
forbid \bY
forbid SGVsbG8=\a
EOF
}

utf8_locale=
for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
	if locale -a 2>/dev/null | grep -qx "$l"; then
		utf8_locale=$l
		break
	fi
done

# The count is "1-18 of about N" until the exact figure comes from the
# second connection, and the update rewrites only what changed, so the
# bytes here need not hold "1-18 of 26" whole: the exact count's arrival is
# test_count.sh's, on its own slow server process.
# ---- (a) every TERM: every action by its plain key -------------------------

for t in vt100 vt220 xterm tmux-256color; do
	if ! known_term "$t"; then
		skip "$t: the console on $t" "$t is not in the terminfo database"
		continue
	fi
	rmcup=$(cap "$t" rmcup)
	rmkx=$(cap "$t" rmkx)
	# bracketed paste where the terminal has it (terminfo's BE)
	paste_on=$(cap "$t" BE)
	{
		cat <<'EOF'
test starts: 1 Users, the list, the count, the key bar
wait 1 Users
wait Search by: Name []
wait Admin, Ada
wait Cheeseman, Matt
wait 1-18 of
wait q Quit
EOF
		if [ -n "$paste_on" ]; then
			say "test bracketed paste is turned on" "wait \\e[?2004h"
		else
			say "forbid \\e[?2004h"
		fi
		cat <<'EOF'
test ? shows the help; Esc returns to the list
send ?
wait Keys of this screen
send \e
wait Cheeseman, Matt
test ESC 1 acts as F1: the help; Esc returns
send \e1
wait Keys of this screen
send \e
wait Cheeseman, Matt
test ESC, 300 ms, then 1 (typed by hand) acts as F1: the help; ESC ESC returns
send \e
sleep 300
send 1
wait Keys of this screen
send \e\e
wait Cheeseman, Matt
test w shows Why? of the row; Esc returns
send w
wait Why? adm001
send \e
wait Cheeseman, Matt
test Enter opens User Details of the row; Esc returns
send \r
wait User Details: adm001
send \e
wait Cheeseman, Matt
test a opens the form of a new user; Esc returns (nothing changed: no question)
send a
wait User Details (new user)
send \e
wait Cheeseman, Matt
test 5 opens the Audit tab; 1 returns to Users
# y first: it answers a question the point above may have left open (so one
# failure does not fail every point after it); the list ignores y
send y
send 5
wait Filters: none (F to filter)
send 1
wait Cheeseman, Matt
test f changes Search by (User ID), f three times more: Name
send f
wait Search by: User ID
send fff
send \x0c
wait Search by: Name []
test s sorts by Organisation ID(s): cgc04 first
send s
wait Barlow, Gemma
test S reverses it: nhs first
send S
wait Admin, Ada
test s five times more: by Name again; Ctrl-L redraws it all
send sssss
send \x0c
wait 1 Users
wait Name ^
wait Alloway, Kenneth
test / searches; Backspace as 127 and as 8 in the prompt
send /
wait Search by Name:
send Alx\x7fl
send oq\bway\r
wait Alloway]
wait 1-1 of 1
test Ctrl-Z suspends: the terminal restored, the console stopped
send \x1a
EOF
		[ -n "$rmcup" ] && say "wait $rmcup"
		cat <<'EOF'
tty-sane
stopped
test SIGCONT resumes with a full redraw, the search kept
signal CONT
wait 1 Users
wait Search by: Name [Alloway]
wait Alloway, Kenneth
tty-raw
test q quits: exit 0, the terminal restored (rmcup, or a clear screen where there is none; rmkx; bracketed paste off; modes)
send q
expect-exit 0
EOF
		if [ -n "$rmcup" ]; then
			say "wait $rmcup"
		else
			say "wait \\e[J"
		fi
		[ -n "$rmkx" ] && say "wait $rmkx"
		[ -n "$paste_on" ] && say "wait \\e[?2004l"
		say tty-sane
		forbid_hostile
	} >"$tmp/actions.$t"
	if [ -n "$wrap" ]; then
		# Valgrind does not stop a program for a SIGTSTP it raises itself
		# (nor for one sent to its group): it goes on as if ignored. Under
		# it the two points are left out, said as skipped.
		sed -i '/^test Ctrl-Z suspends/,/^test q quits/{/^test q quits/!d}' \
			"$tmp/actions.$t"
		skip "$t: Ctrl-Z suspends; SIGCONT resumes" \
			"valgrind takes a SIGTSTP raised by the program as ignored"
	fi
	play "$t" "$tmp/actions.$t" -t "$t"

	cat >"$tmp/unknown.$t" <<'EOF'
test starts
wait Cheeseman, Matt
settle
test an unknown escape sequence (\e[99~) in the list sends nothing
mark
send \e[99~
bytes<=0 unknown escape sequence
test ... and the list still takes keys: / opens the prompt
send /
wait Search by Name:
test an unknown escape sequence in the search prompt does nothing
send Ch
send \e[99~
send ee\r
wait Chee]
wait 1-1 of 1
test SIGTERM ends it: 143 (128 + SIGTERM)
signal TERM
expect-exit 143
EOF
	play "$t" "$tmp/unknown.$t" -t "$t"
done

# ---- (b) bytes on vt100 -----------------------------------------------------

cat >"$tmp/bytes" <<'EOF'
test the first paint sends at most 2.5 KB
wait 1 Users
bytes<=2500 first paint
test moving the cursor one row down (j) sends at most 200 bytes
mark
send j
bytes<=200 one row
test and one row up (k) likewise
mark
send k
bytes<=200 one row up
test an idle screen sends nothing for 1 s
idle 1000
test q quits
send q
expect-exit 0
EOF
if known_term vt100; then
	play "vt100 bytes" "$tmp/bytes" -t vt100
else
	skip "vt100 bytes" "vt100 is not in the terminfo database"
fi

# ---- (c) resizing -----------------------------------------------------------

cat >"$tmp/resize" <<'EOF'
test a search for Chee
wait Cheeseman, Matt
send /Chee\r
wait Chee]
test typing another search, then 70x20: Terminal too small
send /
wait Search by Name: Chee
send \x7f\x7f\x7f\x7fDin
settle
resize 70x20
wait Terminal too small: 80x24 needed
test back to 80x24: the screen again, with the text being typed
resize 80x24
wait 1 Users
wait Search by Name: Din
test Enter searches for what was typed
send \r
wait Din]
wait Dinsdale, Tessa
test 100x30 works too
resize 100x30
wait Dinsdale, Tessa
test q quits
send q
expect-exit 0
EOF
play "resize" "$tmp/resize" -t xterm

cat >"$tmp/small" <<'EOF'
test a new user's form, a letter typed in its first field
wait Cheeseman, Matt
send a
wait User Details (new user)
send Z
wait Z
test at 70x20: Terminal too small
resize 70x20
wait Terminal too small: 80x24 needed
test keys are not acted on there (Esc, ^S), and q does not quit: the input is unsaved
send \x13
sleep 300
send \e\e
sleep 300
send q
sleep 1200
tty-raw
test back to 80x24: the form, with the letter typed
resize 80x24
wait User Details (new user)
wait Z
test Esc asks first (unsaved); y leaves the form
send \e\e
wait Discard your unsaved changes?
send y
wait Cheeseman, Matt
test at 70x20 with nothing unsaved, q quits
resize 70x20
wait Terminal too small: 80x24 needed
send q
expect-exit 0
EOF
play "too small" "$tmp/small" -t xterm

# ---- (d) colour -------------------------------------------------------------

cat >"$tmp/colour" <<'EOF'
test starts
wait Cheeseman, Matt
test an error message (a bad date on Audit's filters), the help, a form
send 5
wait Filters: none
send F\x07From\rx\x13
wait is not a date
send \e
wait Filters: none
send 1
wait Cheeseman, Matt
send ?
wait Keys of this screen
send \e
wait Cheeseman, Matt
send \r
wait User Details: adm001
send \e
wait Cheeseman, Matt
test q quits
send q
expect-exit 0
EOF
if known_term xterm-256color; then
	{
		cat "$tmp/colour"
		say "test no SGR colour sequence in the whole output" "colour no"
	} >"$tmp/colour.no"
	with=NO_COLOR=1
	play "NO_COLOR=1 xterm-256color" "$tmp/colour.no" -t xterm-256color
	{
		cat "$tmp/colour"
		say "test colour when NO_COLOR is unset (so the check above can fail)" \
			"colour yes"
	} >"$tmp/colour.yes"
	play "xterm-256color" "$tmp/colour.yes" -t xterm-256color
else
	skip "NO_COLOR" "xterm-256color is not in the terminfo database"
fi

# ---- lines: ACS (vt100 shifts out to draw them), or +-| with --ascii-lines -

if known_term vt100; then
	# each byte of the terminal's "start line drawing" as \xNN
	smacs=$(tput -T vt100 smacs | od -An -tx1 | tr -s ' \n' ' ' |
		sed 's/ *\([0-9a-f][0-9a-f]\)/\\x\1/g; s/ //g')
	cat >"$tmp/lines" <<EOF
test the help's line is drawn with the terminal's line characters
send ?
wait Keys of this screen
wait $smacs
send \e
wait Cheeseman, Matt
send q
expect-exit 0
EOF
	play "vt100 lines" "$tmp/lines" -t vt100
	cat >"$tmp/ascii" <<EOF
forbid $smacs
test --ascii-lines: the help's line is dashes, never line characters
send ?
wait Keys of this screen
wait ----------
send \e
wait Cheeseman, Matt
send q
expect-exit 0
EOF
	option=--ascii-lines
	play "vt100 --ascii-lines" "$tmp/ascii" -t vt100
else
	skip "lines" "vt100 is not in the terminfo database"
fi

# ---- (e) an unknown TERM ----------------------------------------------------

cat >"$tmp/noterm" <<'EOF'
test exits non-zero
expect-exit !0
forbid \e[2J
forbid \e[J
forbid \e[H
forbid \ec
forbid \e[?1049h
EOF
# A failed newterm() leaves ncurses' preallocated SCREEN (libtinfo's
# new_prescr) behind: not ours to free, so LeakSanitizer (the suite's ASan
# build) is told to ignore that one allocation, by the project's
# suppressions (tests/lsan.supp; tests/fuzz/test_lsan.sh shows the leak).
lsan=LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")/.." && pwd)/lsan.supp
with=$lsan
play "TERM=no-such-term" "$tmp/noterm" -t no-such-term -e "$tmp/noterm.err"
noterm_message() {
	grep -qF 'unknown terminal type "no-such-term": set TERM' "$tmp/noterm.err" &&
		return 0
	sed 's/^/# stderr: /' "$tmp/noterm.err"
	return 1
}
tap "TERM=no-such-term: stderr names the type and says what to do" noterm_message
cat >"$tmp/noterm.tty" <<'EOF'
test the message is on the terminal, not a blank screen
wait unknown terminal type "no-such-term"
expect-exit !0
EOF
with=$lsan
play "TERM=no-such-term, stderr on the terminal" "$tmp/noterm.tty" -t no-such-term

# A terminal that cannot move the cursor (no cup): a message, no screen.
cat >"$tmp/dumb" <<'EOF'
test exits non-zero, saying the terminal cannot move the cursor
wait the terminal type "dumb" cannot move the cursor
expect-exit !0
forbid \e
EOF
if known_term dumb; then
	play "TERM=dumb" "$tmp/dumb" -t dumb
else
	skip "TERM=dumb" "dumb is not in the terminfo database"
fi

# ---- (f) signals ------------------------------------------------------------

xterm_rmcup=$(cap xterm rmcup)
# Ended by a signal, the exit status says so as a shell would (128 + the
# signal), never 0: a script that ran the console must not take a dropped
# connection for a clean quit.
for sig in HUP TERM; do
	case $sig in HUP) st=129 ;; TERM) st=143 ;; esac
	{
		echo "test starts"
		echo "wait Cheeseman, Matt"
		say "test exit $st (no core), the terminal restored"
		say "signal $sig" "expect-exit $st"
		[ -n "$xterm_rmcup" ] && say "wait $xterm_rmcup"
		say "tty-sane"
	} >"$tmp/sig.$sig"
	play "SIG$sig" "$tmp/sig.$sig" -t xterm
done
cat >"$tmp/hangup" <<'EOF'
test starts
wait Cheeseman, Matt
test the terminal closed (a dropped connection): exit 129 (SIGHUP), no core
hangup
expect-exit 129
EOF
play "hangup" "$tmp/hangup" -t xterm

# ---- (g) hostile names ------------------------------------------------------

{
	cat <<EOF
test the row is listed, its name made harmless
wait $hostile_cell
test search for it, open its User Details
send /Ev\\r
wait Ev]
wait 1-1 of 1
send \\r
wait User Details: h001
wait ?]52;c;SGVsbG8=?
test Esc, then its Why?
send \\e
send w
wait Why? h001
wait Ev?X?Y?il, ?]52;c;SGVsbG8=?
test q quits
send \\e
send q
expect-exit 0
EOF
	forbid_hostile
} >"$tmp/hostile"
if [ -n "$utf8_locale" ]; then
	with=LC_ALL=$utf8_locale
	play "hostile names, $utf8_locale" "$tmp/hostile" -t xterm
else
	skip "hostile names in a UTF-8 locale" "no UTF-8 locale"
fi
play "hostile names, C locale" "$tmp/hostile" -t vt100

# report on a terminal: the stored values, but never as control sequences
{
	cat <<EOF
test report to a terminal: the hostile row is written, made harmless
wait h001,
expect-exit 0
EOF
	forbid_hostile
} >"$tmp/report"
option=report
play "report on a terminal" "$tmp/report" -t vt100

# ---- (i) bracketed paste ------------------------------------------------------

cat >"$tmp/paste" <<'EOF'
test starts, bracketed paste on
wait \e[?2004h
wait Cheeseman, Matt
test a paste of "q" in the list is text, not the key q: still running, / opens the search
send \e[200~q\e[201~
sleep 300
send /
wait Search by Name:
test a paste holding CR, LF, TAB and an ESC: the prompt shows its text alone
send \e[200~Ch\r\nee\t\ese\e[201~
wait Search by Name: Cheese
test Enter searches for it
send \r
wait Cheese]
wait 1-1 of 1
test q quits, bracketed paste off
send q
expect-exit 0
wait \e[?2004l
EOF
play "paste" "$tmp/paste" -t xterm

# ---- (g, h) on tmux's screen ------------------------------------------------

tm() {
	tmux -L "$sock" -f /dev/null "$@"
}

# tm_wait TEXT: until tmux's screen shows TEXT (5 s at most); the screen is
# left in $tmp/screen.
tm_wait() {
	i=0
	while [ $i -lt "$(waits 50)" ]; do
		tm capture-pane -p -t adt >"$tmp/screen" 2>/dev/null
		grep -qF -e "$1" "$tmp/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# tmux's screen has no \"$1\":"
	sed 's/^/#   |/' "$tmp/screen"
	return 1
}

# tm_wait_row N TEXT: until line N of tmux's screen starts with TEXT.
tm_wait_row() {
	i=0
	while [ $i -lt "$(waits 50)" ]; do
		tm capture-pane -p -t adt >"$tmp/screen" 2>/dev/null
		case $(sed -n "${1}p" "$tmp/screen") in
		"$2"*) return 0 ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	echo "# line $1 of tmux's screen does not start with \"$2\":"
	sed 's/^/#   |/' "$tmp/screen"
	return 1
}

# tm_start LOCALE: the console in a new 80x24 tmux session.
tm_start() {
	tm kill-server >/dev/null 2>&1
	LC_ALL=${utf8_locale:-C} tm new-session -d -s adt -x 80 -y 24 \
		"LC_ALL=$1 $(wrap_words "tmux.$1") '$bin' --config '$conf' --operator adm001" &&
		tm_wait "Cheeseman, Matt"
}

# The columns after the name cell (from column 20) of the line holding TEXT.
rest_of() {
	grep -F -e "$1" "$tmp/screen" | head -1 | cut -c20-
}

show_screen() {
	sed 's/^/#   |/' "$tmp/screen"
	return 1
}

hostile_cell_first() {
	[ "$(grep -F -e "$hostile_cell" "$tmp/screen" | head -1 | cut -c1-18)" = \
		"$hostile_cell" ] || show_screen
}

hostile_columns() {
	if [ -n "$(rest_of "Alloway, Kenneth")" ] &&
		[ "$(rest_of "$hostile_cell")" = "$(rest_of "Alloway, Kenneth")" ]; then
		return 0
	fi
	show_screen
}

# cursor_at Y,X: tmux's cursor comes there (5 s at most).
cursor_at() {
	i=0
	while [ $i -lt 50 ]; do
		at=$(tm display -p -t adt '#{cursor_y},#{cursor_x}')
		[ "$at" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# the cursor is at $at"
	return 1
}

# The help of the Users list, generated from its key maps: its first line,
# a heading per map, the help's and the tabs' lines, its own key bar.
# screen_lines TEXT...: each TEXT is a whole line of tmux's screen.
screen_lines() {
	for want in "$@"; do
		grep -qx -e "$want" "$tmp/screen" && continue
		echo "# no line \"$want\""
		show_screen
		return 1
	done
}

help_first_page() {
	tm_wait "Keys of this screen" || return 1
	if [ "$(sed -n 3p "$tmp/screen")" != "Keys of this screen" ]; then
		echo "# line 3 is not \"Keys of this screen\""
		show_screen
		return 1
	fi
	screen_lines "Users" "Moving in a list" || return 1
	[ "$(tail -1 "$tmp/screen" | sed 's/ *$//')" = "Esc Back" ] && return 0
	echo "# the help's key bar is not \"Esc Back\""
	show_screen
}

help_next_page() {
	tm_wait "Keys everywhere" &&
		screen_lines "Keys everywhere" \
			"  ? F1         Show the keys of this screen" \
			"  1            Tab 1: Users" \
			"  2            Tab 2: Organisations"
}

keybar_whole() {
	tail -1 "$tmp/screen" | grep -q 'q Quit *$' || show_screen
}

# marker TEXT CHAR: once the first row (line 5) is TEXT's, the header (line
# 4) shows CHAR over the Organisation ID(s) column (21-36), and no marker
# over Name (1-20).
marker() {
	tm_wait_row 5 "$1" || return 1
	sed -n 4p "$tmp/screen" | cut -c21-36 | grep -qF "$2" &&
		! sed -n 4p "$tmp/screen" | cut -c1-20 | grep -q '[v^]' &&
		return 0
	sed -n 4p "$tmp/screen" | sed 's/^/#   |/'
	return 1
}

if ! command -v tmux >/dev/null 2>&1; then
	skip "tmux: the screen as drawn" "tmux is not installed"
else
	for loc in ${utf8_locale:+"$utf8_locale"} C; do
		if ! tm_start "$loc"; then
			not_ok "tmux, $loc: the console starts"
			continue
		fi
		tap "tmux, $loc: the hostile row's name cell is \"$hostile_cell\" from column 1" \
			hostile_cell_first
		tap "tmux, $loc: its other columns start where Alloway's (also lat04) do" \
			hostile_columns
		if [ "$loc" != C ]; then
			tap "tmux: the terminal cursor is on the selected row (line 5)" \
				cursor_at 4,0
			tm send-keys -t adt j
			tap "tmux: j moves it to the next row (line 6)" cursor_at 5,0
			tap "tmux: the key bar is whole at 80 columns (ends with q Quit)" \
				keybar_whole
			tm send-keys -t adt s
			tap "tmux: s: cgc04 first; the header marks Organisation ID(s) (^), not Name" \
				marker "Barlow, Gemma" "^"
			tm send-keys -t adt S
			tap "tmux: S: nhs first; the marker says descending (v)" \
				marker "Admin, Ada" v
			tm send-keys -t adt '?'
			tap "tmux: ? shows the help: Keys of this screen, a heading per key map, Esc Back" \
				help_first_page
			tm send-keys -t adt Space
			tap "tmux: its next page: Keys everywhere, ? F1, the tabs' lines" \
				help_next_page
		fi
		tm kill-server >/dev/null 2>&1
		wrap_wait "tmux.$loc"
		wrap_check "tmux, $loc: the console" "tmux.$loc"
	done
fi

echo "1..$n"
[ "$failures" -eq 0 ]
