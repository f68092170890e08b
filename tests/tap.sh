# shellcheck shell=sh
# tap.sh: the TAP helpers every shell test shares. Sourced:
#   . "$(dirname "$0")/tap.sh"   (or ../tap.sh from a subdirectory)
# The caller prints the plan; `failures` counts the not-ok lines.

n=0
failures=0

# ---- the setup ------------------------------------------------------------

# tap_args USAGE "$@": unless the script was given as many arguments as
# USAGE has words, "usage: SCRIPT USAGE" on stderr and exit 2.
tap_args() {
	tap_usage=$1
	tap_got=$(($# - 1))
	# shellcheck disable=SC2086 # the words of USAGE, on purpose
	set -- $tap_usage
	if [ "$tap_got" -ne $# ]; then
		echo "usage: $0 $tap_usage" >&2
		exit 2
	fi
}

# tap_tmpdir NAME: $tmp, a new directory ${TMPDIR:-/tmp}/NAME.XXXXXX. At
# exit (INT and TERM exit 1) the functions given to tap_at_exit run, the
# last given first, and then $tmp goes.
tap_exit_hooks=
tap_tmpdir() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
	trap tap_cleanup EXIT
	trap 'exit 1' INT TERM
}

# tap_at_exit FUNCTION: FUNCTION runs at exit, before those given earlier
# (a script's own clean-up: a background process to kill, say).
tap_at_exit() {
	tap_exit_hooks="$1 $tap_exit_hooks"
}

tap_cleanup() {
	for tap_hook in $tap_exit_hooks; do
		"$tap_hook"
	done
	rm -rf "$tmp"
}

# tap_runs: for a script whose checks look at the last command it ran:
# $last names that command, $status is its exit status, $tmp/out and
# $tmp/err hold its output (empty to start with). Defines tap_context,
# which shows them after a not-ok line (the first 20 lines of each), and
# the checks on them:
#   status_is N    the exit status was N
#   out_has TEXT   stdout holds TEXT (err_has: stderr)
#   is GOT WANT    GOT is WANT; if not, both follow as comments
tap_runs() {
	last=
	status=0
	: >"$tmp/out"
	: >"$tmp/err"
	# shellcheck disable=SC2317 # called by not_ok and by the script
	{
		tap_context() {
			printf '# command: %s\n# status: %s\n' "$last" "$status"
			sed 's/^/#   stdout: /' "$tmp/out" | head -20
			sed 's/^/#   stderr: /' "$tmp/err" | head -20
		}
		status_is() { [ "$status" -eq "$1" ]; }
		out_has() { grep -F -e "$1" "$tmp/out" >/dev/null; }
		err_has() { grep -F -e "$1" "$tmp/err" >/dev/null; }
		is() {
			[ "$1" = "$2" ] && return 0
			printf '# got:  %s\n# want: %s\n' "$1" "$2"
			return 1
		}
	}
}

# ---- the lines --------------------------------------------------------------

# ok NAME
ok() {
	n=$((n + 1))
	printf 'ok %d - %s\n' "$n" "$1"
}

# not_ok NAME [DETAIL...]: each line of each detail follows as a comment,
# then whatever the test's own tap_context function prints (the last
# command and its output, say), when it has one.
# printf, not echo: dash's echo would expand backslashes.
not_ok() {
	n=$((n + 1))
	failures=$((failures + 1))
	printf 'not ok %d - %s\n' "$n" "$1"
	shift
	for detail in "$@"; do
		printf '%s\n' "$detail" | sed 's/^/# /'
	done
	if command -v tap_context >/dev/null 2>&1; then
		tap_context
	fi
	return 0
}

# skip NAME WHY
skip() {
	n=$((n + 1))
	printf 'ok %d - %s # SKIP %s\n' "$n" "$1" "$2"
}

# tap NAME COMMAND...: ok when the command succeeds.
tap() {
	name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name" "failed: $*"
	fi
}
