#!/bin/sh
# test_cli.sh: the command line (policy-file.md, "Commands" and "Output"), as
# TAP.
#
# Usage: test_cli.sh /path/to/accessdesk /path/to/tests/policy
#
# Uses good/cqrs-seed.conf and good/clinspark-seed.conf as worlds for
# `check`, failing/*.conf for `policy test` with failing assertions, and
# writes a bad file and a file without assertions of its own.

set -u

# The setup of tap.sh; its lines are this script's own (tap, below).
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$2
cqrs=$dir/good/cqrs-seed.conf
clin=$dir/good/clinspark-seed.conf
fail1=$dir/failing/failing.conf
fail2=$dir/failing/failing-2.conf

tap_tmpdir test-cli

n=0
: >"$tmp/tap"

# tap NAME COMMAND...: one test, passing when COMMAND succeeds. On a failure
# the last run's status, stdout and stderr follow as TAP comments.
tap() {
	name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		printf 'ok %d - %s\n' "$n" "$name" >>"$tmp/tap"
	else
		{
			printf 'not ok %d - %s\n' "$n" "$name"
			printf '# command: %s\n' "$last"
			printf '# status: %s\n' "$status"
			sed 's/^/#   stdout: /' "$tmp/out"
			sed 's/^/#   stderr: /' "$tmp/err"
		} >>"$tmp/tap"
	fi
}

# run ARG...: runs accessdesk; $status, $tmp/out and $tmp/err hold the
# result.
run() {
	last="accessdesk $*"
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# ---- conditions on the last run ------------------------------------------

status_is() { [ "$status" -eq "$1" ]; }
has_stderr() { [ -s "$tmp/err" ]; }
out_has() { grep -F -e "$1" "$tmp/out" >/dev/null; }
out_lacks() { ! grep -F -e "$1" "$tmp/out" >/dev/null; }
err_has() { grep -F -e "$1" "$tmp/err" >/dev/null; }
first_line() { sed -n 1p "$tmp/out"; }
last_line() { sed -n '$p' "$tmp/out"; }
n_lines() { wc -l <"$tmp/out" | tr -d ' '; }

# An error: exit 2, a message on stderr, no decision on stdout.
is_error() {
	status_is 2 && has_stderr &&
		! grep -x -e allow -e deny "$tmp/out" >/dev/null
}

# A decision alone: exit status, and stdout exactly the word.
is_decision() { # WORD STATUS
	status_is "$2" && [ "$(first_line)" = "$1" ] && [ "$(n_lines)" -eq 1 ]
}

# A decision explained: the word first, then at least MIN lines, each
# indented by two spaces.
is_explained() { # WORD STATUS MIN
	status_is "$2" && [ "$(first_line)" = "$1" ] &&
		[ "$(sed 1d "$tmp/out" | wc -l)" -ge "$3" ] &&
		! sed 1d "$tmp/out" | grep -v '^  ' >/dev/null
}

# The explanation (every line but the first) names each of the strings.
explanation_names() {
	for s in "$@"; do
		sed 1d "$tmp/out" | grep -F -e "$s" >/dev/null || return 1
	done
}

# Lines after the first: exactly N.
explanation_lines() { [ "$(sed 1d "$tmp/out" | wc -l)" -eq "$1" ]; }

# line_of FILE TAG: the line of the assertion tagged "# TAG" at its end.
line_of() { grep -n -e "# $2\$" "$1" | cut -d: -f1; }

# reported HEADER: stdout has HEADER as a whole line, and the line after it
# is an explanation (indented by two spaces).
reported() {
	grep -F -x -e "$1" "$tmp/out" >/dev/null || return 1
	nxt=$(awk -v h="$1" 'found { print; exit } $0 == h { found = 1 }' \
		"$tmp/out")
	case $nxt in
	"  "?*) return 0 ;;
	*) return 1 ;;
	esac
}

# Lines of explanation under HEADER (indented lines up to the next one that
# is not): exactly N.
reported_lines() { # HEADER N
	got=$(awk -v h="$1" '
		found && /^  / { k++; next }
		found { exit }
		$0 == h { found = 1 }
		END { print k + 0 }' "$tmp/out")
	[ "$got" -eq "$2" ]
}

# The summary: last line "P passed, F failed".
summary_is() { [ "$(last_line)" = "$1 passed, $2 failed" ]; }

# Number of assertions of a policy file (one per line in ours).
n_assertions() { grep -c -e 'expect = "' "$1"; }

# first_before A B: on stdout, a line starting with A comes before one
# starting with B.
first_before() {
	a=$(grep -n -F -e "$1" "$tmp/out" | sed -n '1s/:.*//p')
	b=$(grep -n -F -e "$2" "$tmp/out" | sed -n '1s/:.*//p')
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}

# ---- help, version, usage errors -----------------------------------------

run --help
tap "--help exits 0" status_is 0
tap "--help mentions check" out_has "check"
tap "--help mentions policy test" out_has "policy test"

run --version
tap "--version exits 0" status_is 0
tap "--version prints accessdesk 0.1.0" [ "$(first_line)" = "accessdesk 0.1.0" ]

run --no-such-option
tap "unknown option: exit 2, message on stderr" is_error
run frobnicate
tap "unknown command: exit 2, message on stderr" is_error
run policy
tap "policy without subcommand: exit 2" is_error
run policy frobnicate "$cqrs"
tap "policy with unknown subcommand: exit 2" is_error
run policy test
tap "policy test without FILE: exit 2" is_error
run check
tap "check without arguments: exit 2" is_error
run check --policy "$cqrs" --user kal738 --org A01AAA
tap "check without --action: exit 2" is_error
run check --policy "$cqrs" --action org.view --org A01AAA
tap "check without --user: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action org.view
tap "check without --org or --study: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action org.view --org
tap "check with --org missing its value: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action org.view --org A01AAA \
	--frobnicate
tap "check with an unknown option: exit 2" is_error
run check --policy "$tmp/no-such-file.conf" --user kal738 \
	--action org.view --org A01AAA
tap "check with a missing policy file: exit 2" is_error

# ---- check: organisation questions (cqrs-seed.conf) ------------------------

run check --policy "$cqrs" --user kal738 --action org.view --org A01AAA
tap "check allow: stdout 'allow' alone, exit 0" is_decision allow 0
run check --policy "$cqrs" --user kal738 --action org.view --org B01BBB
tap "check deny: stdout 'deny' alone, exit 1" is_decision deny 1
run check --policy "$cqrs" --user kal738 --action org.view --org a01aaa
tap "check: organisation codes compared case-insensitively" \
	is_decision allow 0
run check --policy "$cqrs" --user kal738 --action achievement.view \
	--org A01AAA --payment-type QOF
tap "check --payment-type held: allow" is_decision allow 0
run check --policy "$cqrs" --user kal738 --action achievement.view \
	--org A01AAA --payment-type GPES
tap "check --payment-type not held: deny" is_decision deny 1
run check --policy "$cqrs" --user tdi901 --action org.view --org nhs
tap "check disabled user: deny" is_decision deny 1
run check --user kal738 --action org.view --org A01AAA --policy "$cqrs"
tap "check: --policy may come last" is_decision allow 0

# errors, never denials
run check --policy "$cqrs" --user nobody1 --action org.view --org A01AAA
tap "check unknown user: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action org.frobnicate --org A01AAA
tap "check unknown action: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action org.view --org ZZZ999
tap "check unknown organisation: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action achievement.view \
	--org A01AAA --payment-type XYZ
tap "check unknown payment type: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action study.view --org A01AAA
tap "check study action with --org: exit 2" is_error
run check --policy "$cqrs" --user kal738 --action users.manage --org A01AAA \
	--payment-type QOF
tap "check payment type with a non-achievement action: exit 2" is_error
run check --policy "$cqrs" --user tdi901 --action users.manage --org A01AAA \
	--payment-type QOF
tap "check payment type with a non-achievement action, disabled user: exit 2" \
	is_error
run check --policy "$cqrs" --user nog200 --action org.view --org nhs \
	--payment-type QOF
tap "check payment type with org.view, user with no grant: exit 2" is_error

# ---- check: study questions (clinspark-seed.conf) ------------------------

run check --policy "$clin" --user pri002 --action subject.edit --study STUDY-A
tap "check --study allow: exit 0" is_decision allow 0
run check --policy "$clin" --user pri001 --action study.view --study STUDY-A
tap "check --study deny: exit 1" is_decision deny 1
run check --policy "$clin" --user pri002 --action study.view --study NO-SUCH
tap "check unknown study: exit 2" is_error
run check --policy "$clin" --user pri002 --action org.view --study STUDY-A
tap "check organisation action with --study: exit 2" is_error
run check --policy "$clin" --user pri002 --action study.view \
	--study STUDY-A --org SITE-A
tap "check with both --org and --study: exit 2" is_error
run check --policy "$clin" --user pri002 --action achievement.view \
	--study STUDY-A --payment-type QOF
tap "check --payment-type with --study: exit 2" is_error

# ---- check --explain ------------------------------------------------------

run check --policy "$cqrs" --user kal738 --action org.view --org G00001 \
	--explain
tap "explain allow: 'allow', then lines indented by two spaces" \
	is_explained allow 0 1
tap "explain allow: names grant org, role, cluster and member" \
	explanation_names lat04 View 873CF39E1C man04
run check --policy "$cqrs" --user kal738 --action org.view --org A01AAA \
	--explain
tap "explain allow: the cluster and member that let the target in" \
	explanation_names lat04 View C61A6DB801 A01AAA
run check --policy "$cqrs" --user gba204 --action users.manage --org G00002 \
	--explain
tap "explain allow without clusters: grant org and role" \
	explanation_names lat04 "Advanced User Administrator"
run check --policy "$cqrs" --user gba204 --action achievement.view \
	--org G00002 --payment-type QOF --explain
tap "explain deny: 'deny', then lines indented by two spaces" \
	is_explained deny 1 1
tap "explain deny: one line per grant (3 grants)" explanation_lines 3
tap "explain deny: each grant named" explanation_names cgc04 lat04 man04
run check --policy "$cqrs" --user mch112 --action achievement.view \
	--org D01DDD --payment-type LES --explain
tap "explain deny: one line per grant (14 grants)" explanation_lines 14
run check --policy "$cqrs" --user tdi901 --action org.view --org nhs --explain
tap "explain deny, disabled user: a reason" is_explained deny 1 1
run check --policy "$clin" --user xy0001 --action data.entry \
	--study STUDY-B --explain
tap "explain study allow: indented lines" is_explained allow 0 1
tap "explain study allow: names the entry's role" explanation_names "Role X"
run check --policy "$clin" --user pri001 --action study.view \
	--study STUDY-A --explain
tap "explain study deny: indented lines" is_explained deny 1 1

# ---- policy test ----------------------------------------------------------

run policy test "$cqrs"
tap "policy test good file: exit 0" status_is 0
tap "policy test good file: 'N passed, 0 failed'" \
	summary_is "$(n_assertions "$cqrs")" 0
tap "policy test good file: nothing else on stdout" [ "$(n_lines)" -eq 1 ]

l_allow=$(line_of "$fail1" fail-got-allow)
l_deny=$(line_of "$fail1" fail-got-deny)
l_study=$(line_of "$fail1" fail-study)
l_pass=$(line_of "$fail1" pass-1)
l2_deny=$(line_of "$fail2" fail-got-deny)

run policy test "$fail1"
tap "policy test failing file: exit 1" status_is 1
tap "policy test: FILE:LINE: expected deny, got allow, explained" \
	reported "$fail1:$l_allow: expected deny, got allow"
tap "policy test: FILE:LINE: expected allow, got deny, explained" \
	reported "$fail1:$l_deny: expected allow, got deny"
tap "policy test: the denial explained one line per grant" \
	reported_lines "$fail1:$l_deny: expected allow, got deny" 2
tap "policy test: a failing study assertion, explained" \
	reported "$fail1:$l_study: expected deny, got allow"
tap "policy test: passing assertions print nothing" \
	out_lacks "$fail1:$l_pass:"
tap "policy test: last line '2 passed, 3 failed'" summary_is 2 3
tap "policy test: failures in file order" \
	first_before "$fail1:$l_allow:" "$fail1:$l_study:"

run policy test "$fail1" "$fail2"
tap "policy test two files: exit 1" status_is 1
tap "policy test two files: counts summed" summary_is 3 4
tap "policy test two files: failures of both printed" \
	reported "$fail2:$l2_deny: expected allow, got deny"

run policy test "$cqrs" "$fail2" "$clin"
tap "policy test good and failing files: exit 1" status_is 1
tap "policy test good and failing files: counts summed" summary_is \
	$(($(n_assertions "$cqrs") + $(n_assertions "$clin") + 1)) 1

# A bad file: an unknown key at line 3.
cat >"$tmp/bad.conf" <<'EOF'
organisations = (
  { code = "nhs"; name = "NHS England"; },
  { code = "lat04"; name = "LatOrg04"; parent = "nhs"; colour = "red"; }
);
EOF
run policy test "$fail1" "$tmp/bad.conf" "$fail2"
tap "policy test with a bad file: exit 2" status_is 2
tap "policy test with a bad file: FILE:LINE: on stderr" \
	err_has "$tmp/bad.conf:3:"
tap "policy test with a bad file: files before it still run" \
	reported "$fail1:$l_deny: expected allow, got deny"
tap "policy test with a bad file: files after it still run" \
	reported "$fail2:$l2_deny: expected allow, got deny"
tap "policy test with a bad file: counts of the others" summary_is 3 4
run policy test "$tmp/bad.conf"
tap "policy test bad file alone: exit 2" status_is 2
run policy test "$tmp/no-such-file.conf" "$fail2"
tap "policy test with a missing file: exit 2" status_is 2
tap "policy test with a missing file: the other still runs" summary_is 1 1

# A file with no assertions adds nothing.
cat >"$tmp/empty.conf" <<'EOF'
organisations = ( { code = "nhs"; name = "NHS England"; } );
EOF
run policy test "$tmp/empty.conf"
tap "policy test file without assertions: exit 0" status_is 0
tap "policy test file without assertions: '0 passed, 0 failed'" \
	summary_is 0 0
run policy test "$fail2" "$tmp/empty.conf"
tap "policy test file without assertions adds nothing" summary_is 1 1

# ---- arguments echoed in messages ------------------------------------------

# A file name or argument holding control characters reaches stdout and
# stderr through the sanitiser: no ESC (nor any other control character
# but the newline) ever reaches the terminal, the rest of the text does.
esc=$(printf '\033')
no_control() {
	! LC_ALL=C grep -q '[[:cntrl:]]' "$tmp/out" "$tmp/err"
}
hostile=$tmp/x${esc}[31mred
run policy test "$hostile.cfg"
tap "policy test of a missing file named with ESC: exit 2, the name echoed as x?[31mred.cfg" \
	eval 'status_is 2 && err_has "x?[31mred.cfg"'
tap "... and no control character on stdout or stderr" no_control
cp "$tmp/bad.conf" "$hostile.conf"
run policy test "$hostile.conf"
tap "policy test of a bad file named with ESC: FILE:LINE: sanitised" \
	eval 'status_is 2 && err_has "x?[31mred.conf:3:"'
tap "... and no control character" no_control
cp "$fail2" "$hostile-failing.conf"
run policy test "$hostile-failing.conf"
tap "policy test of a failing file named with ESC: FILE:LINE: expected ... sanitised" \
	eval 'status_is 1 && out_has "x?[31mred-failing.conf:$l2_deny: expected allow, got deny"'
tap "... and no control character" no_control
run check --policy "$hostile.conf" --user kal738 --action users.view --org lat04
tap "check --policy of a bad file named with ESC: FILE:LINE: sanitised" \
	eval 'status_is 2 && err_has "x?[31mred.conf:3:"'
tap "... and no control character" no_control
run check --policy "$cqrs" --user "k${esc}]0;pwned${esc}\\" --action users.view --org lat04
tap "check of an unknown user named with ESC: sanitised" \
	eval 'is_error && err_has "unknown user \"k?]0;pwned?"'
tap "... and no control character" no_control
run --config "$hostile.conf" --check-config
tap "--config of a bad configuration named with ESC: PATH:LINE: sanitised" \
	eval 'status_is 2 && err_has "x?[31mred.conf:"'
tap "... and no control character" no_control
printf 'ui = { page_size = 20; };\n' >"$hostile-ok.conf"
run --config "$hostile-ok.conf" --check-config
tap "--check-config of a good configuration named with ESC: 'PATH: valid' sanitised" \
	eval 'status_is 0 && out_has "x?[31mred-ok.conf: valid"'
tap "... and no control character" no_control
run --config "$hostile.cfg" --check-config
tap "--config of a missing file named with ESC: sanitised" \
	eval 'status_is 2 && err_has "x?[31mred.cfg"'
tap "... and no control character" no_control
run "--${esc}[2J"
tap "an unknown option holding ESC: sanitised" \
	eval 'status_is 2 && err_has "unknown option \"--?[2J\""'
tap "... and no control character" no_control

# ---- ui.keys: every name a request, no key two requests of one screen -----

printf 'ui = {\n  keys = {\n    serach = "/";\n  };\n};\n' >"$tmp/keys-typo.conf"
run --config "$tmp/keys-typo.conf" --check-config
tap "--check-config: an unknown request in ui.keys: FILE:LINE, did you mean" \
	eval 'status_is 2 && err_has "keys-typo.conf:3: ui.keys.serach: unknown request (did you mean \"search\"?)" && ! out_has valid'
printf 'ui = { keys = {\n  submit = "^N";\n}; };\n' >"$tmp/keys-clash.conf"
run --config "$tmp/keys-clash.conf" --check-config
tap "--check-config: a key two requests of one screen answer to: FILE:LINE, both named" \
	eval 'status_is 2 && err_has "keys-clash.conf:2: ui.keys.submit: ^N is already next-field on User Details"'
printf 'ui = { keys = { add = "@"; }; };\n' >"$tmp/keys-ok.conf"
run --config "$tmp/keys-ok.conf" --check-config
tap "--check-config: a key free on every screen is valid" \
	eval 'status_is 0 && out_has "keys-ok.conf: valid"'

# ---- no silent exit ---------------------------------------------------------

run --config "$hostile-ok.conf" --check-config extra
tap "--check-config extra: exit 2, names the unexpected argument" \
	eval 'status_is 2 && err_has "\"extra\"" && err_has "--check-config"'
run --config "$hostile-ok.conf" --check-config "e${esc}[1m"
tap "--check-config with an argument holding ESC: named, sanitised" \
	eval 'status_is 2 && err_has "\"e?[1m\"" && no_control'
# Every usage error says what is wrong (exit 2, something on stderr).
for args in "--check-config extra" "--check-config db migrate" "db" \
	"db migrate extra" "db load" "db import-ods" "db seed --users x" \
	"db seed" "report extra" "policy" "policy test" "policy frob" "check" \
	"check --user" "check --user a --action b" "frob" "--config" \
	"--operator" "--frob"; do
	# shellcheck disable=SC2086
	run --config "$hostile-ok.conf" $args
	tap "accessdesk $args: exit 2 with a message" \
		eval 'status_is 2 && has_stderr && no_control'
done

echo "1..$n"
cat "$tmp/tap"
