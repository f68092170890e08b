#!/bin/sh
# first_screen.sh: start to the first Users screen (not run by the tests).
# Runs the console RUNS times (default 11) in tmux at 80x24 (xterm) under
# strace (--seccomp-bpf: only execve and write stop, so the console runs at
# near its own speed), and prints the p50 and range of the milliseconds
# from execve to the write that draws the Users list's count: the first
# "of about N" (the page with its estimate) and the first exact "of N".
# A console whose first screen already holds the exact count (the count
# drawn with the page, before issue 13) shows the same time for both.
#
#   PGDATABASE=big tests/bench/first_screen.sh ACCESSDESK OPERATOR [RUNS]
set -u
bin=$1
op=$2
runs=${3:-11}
tmp=$(mktemp -d) || exit 1
sock=adfirst$$
trap 'tmux -L "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
	>"$tmp/conf"
i=0
while [ $i -lt "$runs" ]; do
	rm -f "$tmp/trace"
	tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
		"TERM=xterm strace --seccomp-bpf -f -ttt -s 300 -e trace=execve,write -o '$tmp/trace' '$bin' --config '$tmp/conf' --operator '$op'"
	# until the exact count is drawn (5 s at most), then q
	n=0
	while [ $n -lt 50 ] && ! grep -q 'write(1, ".* of [0-9]' "$tmp/trace" 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
	done
	tmux -L "$sock" send-keys q
	n=0
	while [ $n -lt 50 ] && tmux -L "$sock" has-session 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
	done
	awk '
		NR == 1 { t0 = $2 }
		/ write\(1, / && about == "" && / of about [0-9]/ { about = ($2 - t0) * 1000 }
		/ write\(1, / && exact == "" && / of [0-9]/ { exact = ($2 - t0) * 1000 }
		END { if (about == "") about = exact; printf "%.1f %.1f\n", about, exact }
	' "$tmp/trace" >>"$tmp/times"
	i=$((i + 1))
done
sort -n -k1 "$tmp/times" | awk -v op="$op" '
	{ a[NR] = $1 } END { printf "%s: first Users screen p50 %.1f ms (%.1f-%.1f)", op, a[int((NR + 1) / 2)], a[1], a[NR] }'
sort -n -k2 "$tmp/times" | awk '
	{ e[NR] = $2 } END { printf ", exact count drawn p50 %.1f ms (%.1f-%.1f), %d runs\n", e[int((NR + 1) / 2)], e[1], e[NR], NR }'
