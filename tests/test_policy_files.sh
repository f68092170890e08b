#!/bin/sh
# test_policy_files.sh: `accessdesk policy test` on the policy files, as TAP.
#
# Usage: test_policy_files.sh /path/to/accessdesk /path/to/tests/policy
#
# Every bad/*.conf starts with `# expect-error: LINE: FRAGMENT`: the command
# must exit 2 and say FILE:LINE: with FRAGMENT on standard error. Every
# good/*.conf must pass all its assertions (exit 0, last line "N passed, 0
# failed" with N > 0). Then several files in one call, one bad among them:
# each file must still run, and the bad one must win (exit 2).

set -u

# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$2

tap_tmpdir policy-files


# The command's output, after a not-ok line.
tap_context() {
	sed 's/^/#   stderr: /' "$tmp/err"
	sed 's/^/#   stdout: /' "$tmp/out"
}

# run FILE...: runs the command; $status, $tmp/out and $tmp/err hold the
# result.
run() {
	"$bin" policy test "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# A small good file of our own, so that the multi-file checks do not depend
# on which good files exist.
cat >"$tmp/own-good.conf" <<'EOF'
organisations = (
  { code = "nhs"; name = "NHS England"; },
  { code = "lat04"; name = "LatOrg04"; parent = "nhs"; }
);
users = (
  { login = "kal738"; first_name = "Kenneth"; last_name = "Alloway";
    email = "kenneth.alloway@nhs.uk"; work_phone = "0315841236";
    access = ( { org = "lat04"; roles = [ "View" ]; } ); }
);
assertions = (
  { user = "kal738"; action = "org.view"; org = "lat04"; expect = "allow"; },
  { user = "kal738"; action = "org.view"; org = "nhs"; expect = "deny"; }
);
EOF

set -- "$dir"/bad/*.conf
[ -e "$1" ] || set --
n_bad=$#
n_good=0
for f in "$dir"/good/*.conf; do
	[ -e "$f" ] && n_good=$((n_good + 1))
done
echo "1..$((n_bad + n_good + 3))"

# ---- bad files --------------------------------------------------------

for f in "$@"; do
	name=bad/${f##*/}
	header=$(sed -n '1s/^# expect-error: \([0-9][0-9]*\): \(.*\)$/\1:\2/p' "$f")
	if [ -z "$header" ]; then
		: >"$tmp/out"
		: >"$tmp/err"
		not_ok "$name" "first line is not '# expect-error: LINE: FRAGMENT'"
		continue
	fi
	line=${header%%:*}
	fragment=${header#*:}
	run "$f"
	if [ "$status" -ne 2 ]; then
		not_ok "$name" "exit status $status, expected 2"
	elif ! grep -F -q -e "$f:$line: " "$tmp/err"; then
		not_ok "$name" "stderr does not name $f:$line:"
	elif ! grep -F -q -e "$fragment" "$tmp/err"; then
		not_ok "$name" "stderr lacks: $fragment"
	else
		ok "$name"
	fi
done

# ---- good files -------------------------------------------------------

# passed_count: N from the last line "N passed, 0 failed" of $tmp/out, or
# nothing when the line is not that.
passed_count() {
	tail -n 1 "$tmp/out" | sed -n 's/^\([0-9][0-9]*\) passed, 0 failed$/\1/p'
}

for f in "$dir"/good/*.conf; do
	[ -e "$f" ] || continue
	name=good/${f##*/}
	run "$f"
	count=$(passed_count)
	if [ "$status" -ne 0 ]; then
		not_ok "$name" "exit status $status, expected 0"
	elif [ -z "$count" ] || [ "$count" -eq 0 ]; then
		not_ok "$name" "last line is not 'N passed, 0 failed' with N > 0"
	else
		ok "$name"
	fi
done

# ---- several files in one call ----------------------------------------

bad1=$tmp/bad-first.conf
bad2=$tmp/bad-last.conf
printf 'organisations = (\n  { code = "nhs"; name = "NHS"; parent = "x"; }\n);\n' >"$bad1"
printf 'users = (\n  { login = "Bad Login"; }\n);\n' >"$bad2"

# The good file alone: how many assertions it passes.
run "$tmp/own-good.conf"
alone=$(passed_count)
if [ "$status" -eq 0 ] && [ "${alone:-0}" -gt 0 ]; then
	ok "own good file passes alone"
else
	not_ok "own good file passes alone" "exit status $status"
fi

# Bad, good, good, bad: both errors reported, the good file run twice.
run "$bad1" "$tmp/own-good.conf" "$tmp/own-good.conf" "$bad2"
count=$(tail -n 1 "$tmp/out" | sed -n 's/^\([0-9][0-9]*\) passed, 0 failed$/\1/p')
if [ "$status" -ne 2 ]; then
	not_ok "one bad file among several: exit 2" "exit status $status"
elif ! grep -F -q -e "$bad1:2: " "$tmp/err" ||
	! grep -F -q -e "$bad2:2: " "$tmp/err"; then
	not_ok "one bad file among several: exit 2" "not every bad file reported"
elif [ "${count:-x}" != "$((${alone:-0} * 2))" ]; then
	not_ok "one bad file among several: exit 2" \
		"expected $((${alone:-0} * 2)) passed: a file after a bad one was skipped"
else
	ok "one bad file among several: exit 2"
fi

# A bad file wins over failing assertions: 2, not 1.
sed 's/expect = "deny"/expect = "allow"/' "$tmp/own-good.conf" >"$tmp/failing.conf"
run "$tmp/failing.conf" "$bad1"
if [ "$status" -eq 2 ] && grep -q "expected allow, got deny" "$tmp/out"; then
	ok "a bad file wins over a failing assertion"
else
	not_ok "a bad file wins over a failing assertion" "exit status $status"
fi

[ "$failures" -eq 0 ]
