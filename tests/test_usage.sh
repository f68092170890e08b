#!/bin/sh
# test_usage.sh: --help names every command, subcommand and option the
# program knows, as TAP. The list is read from the source, not written
# here, so a command added without its line in the usage text fails:
#   - the commands: main.c's dispatcher, strcmp(cmd, "NAME");
#   - their subcommands: in the handler main.c calls for NAME (cli_X in
#     src/cli/) and the functions it calls, each strcmp(sub, "S") or
#     strcmp(argv[0], "S"); and
#     main.c's own strcmp(argv[i + 1], "S") (policy test);
#   - the options: main.c's strcmp(a, "--OPTION").
# A command shows as a line "  NAME ..." (with a subcommand, "  NAME S
# ..."); an option anywhere in the text.
#
# Usage: test_usage.sh ACCESSDESK SOURCE_ROOT

set -u

# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"
tap_args "ACCESSDESK SOURCE_ROOT" "$@"
bin=$1
src=$2

tap_tmpdir ad-usage
tap_runs

main=$src/src/main.c

"$bin" --help >"$tmp/help" 2>"$tmp/err"
status=$?
last="accessdesk --help"
cp "$tmp/help" "$tmp/out"
tap "--help exits 0" status_is 0

# The body of C function NAME (from "int NAME(" to the next "}" alone on
# its line) in the files given.
body_of() {
	name=$1
	shift
	awk -v fn="$name" '
		$0 ~ "^(int|static int) " fn "\\(" { on = 1 }
		on { print }
		on && /^}/ { exit }
	' "$@"
}

# The string literals of the strcmp()s of EXPR ("cmd", "sub", ...) in the
# text on standard input.
strcmp_of() {
	grep -o "strcmp($1, \"[^\"]*\")" | sed 's/.*, "\(.*\)")$/\1/'
}

# "  NAME" then a space or the end of the line, in the help.
help_line() {
	grep -q -e "^  $1\$" -e "^  $1 " "$tmp/help" && return 0
	echo "# --help has no line \"  $1 ...\""
	return 1
}

commands=$(strcmp_of cmd <"$main")
if [ -z "$commands" ]; then
	not_ok "main.c's dispatcher names commands (strcmp(cmd, ...))"
fi
for cmd in $commands; do
	# the handler main.c calls when cmd matched: the next cli_X( after
	# strcmp(cmd, "cmd")
	handler=$(awk -v c="strcmp(cmd, \"$cmd\")" '
		index($0, c) { on = 1 }
		on && match($0, /cli_[a-z_]+\(/) {
			print substr($0, RSTART, RLENGTH - 1)
			exit
		}
	' "$main")
	subs=
	if [ -n "$handler" ]; then
		# the handler and the functions it calls (parse_grant, ...)
		body_of "$handler" "$src"/src/cli/*.c >"$tmp/body"
		for callee in $(grep -o '[a-z_][a-z_0-9]*(' "$tmp/body" |
			tr -d '(' | sort -u); do
			[ "$callee" = "$handler" ] ||
				body_of "$callee" "$src"/src/cli/*.c
		done >>"$tmp/body"
		subs="$(strcmp_of sub <"$tmp/body") $(strcmp_of 'argv\[0\]' <"$tmp/body")"
		subs=$(printf '%s\n' $subs | awk '!seen[$0]++')
	fi
	# subcommands main.c reads itself (policy test)
	subs="$subs $(awk -v c="strcmp(cmd, \"$cmd\")" '
		index($0, c) { on = 1; next }
		on && /strcmp\(cmd, / { exit }
		on { print }
	' "$main" | strcmp_of 'argv\[i + 1\]')"
	set -- $subs
	if [ $# -eq 0 ]; then
		tap "--help: $cmd" help_line "$cmd"
	else
		for sub in "$@"; do
			tap "--help: $cmd $sub" help_line "$cmd $sub"
		done
	fi
done

option_in_help() {
	grep -q -e "$1" "$tmp/help" && return 0
	echo "# --help does not name $1"
	return 1
}
for opt in $(sed -n '/^static int parse_options/,/^}/p' "$main" |
	strcmp_of a | grep -e '^--'); do
	tap "--help: the option $opt" option_in_help "$opt"
done

echo "1..$n"
[ "$failures" -eq 0 ]
