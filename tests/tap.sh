# shellcheck shell=sh
# tap.sh: the TAP helpers every shell test shares. Sourced:
#   . "$(dirname "$0")/tap.sh"   (or ../tap.sh from a subdirectory)
# The caller prints the plan; `failures` counts the not-ok lines.

n=0
failures=0

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
