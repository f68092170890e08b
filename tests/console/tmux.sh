# shellcheck shell=sh
# tmux.sh: the steps of a console test that drives the console in tmux on
# server $sock and keeps its files in $tmp. Sourced after tap.sh.

screen() {
	tmux -L "$sock" capture-pane -p
}

keys() {
	tmux -L "$sock" send-keys "$@"
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT (10 s by default),
# the time scaled by ACCESSDESK_WAIT_SCALE (wrap.sh) when it is set.
wait_for() {
	i=0
	limit=$((${2:-10} * ${ACCESSDESK_WAIT_SCALE:-1} * 10))
	while [ $i -lt $limit ]; do
		screen | grep -F -e "$1" >/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	printf 'waited for "%s"; the screen:\n' "$1"
	screen
	return 1
}

# check NAME COMMAND...: one TAP line, COMMAND's output its diagnostics
# when it fails.
check() {
	name=$1
	shift
	if "$@" >"$tmp/check.out" 2>&1; then
		ok "$name"
	else
		not_ok "$name" "$(cat "$tmp/check.out")"
	fi
}
