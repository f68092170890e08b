#!/bin/sh
# bench_orgs_paint.sh: how long the console takes to its first Organisations
# screen, against the database of the PG* environment (national size: the
# `big` database of README "Figures" holds 103,169 organisations). The real
# binary in test mode (80x24, output to a file), best of N runs of each:
#   start -> the Users tab painted           keys: <Dump>
#   start -> the Organisations tab painted   keys: 2<Dump>
# The difference is what tab 2 adds to a start and its first paint (the
# users column of the rows on screen and the detail pane's administrators
# asked of the database).
#
# Usage: bench_orgs_paint.sh ACCESSDESK CONF OPERATOR [RUNS]
set -eu
bin=$1
conf=$2
op=$3
runs=${4:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '<Dump>\n' >"$tmp/users.keys"
printf '2\n<Dump>\n' >"$tmp/orgs.keys"

best() { # KEYS: the best wall time in ms of $runs starts
	b=
	i=0
	while [ "$i" -lt "$runs" ]; do
		t0=$(date +%s%N)
		ACCESSDESK_TEST_SIZE=80x24 ACCESSDESK_TEST_KEYS=$1 \
			ACCESSDESK_TEST_DUMP=$tmp/dump "$bin" --config "$conf" \
			--operator "$op" </dev/null >/dev/null 2>&1
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
		i=$((i + 1))
	done
	echo "$b"
}

u=$(best "$tmp/users.keys")
o=$(best "$tmp/orgs.keys")
rows=$(grep -c '' "$tmp/dump" || true)
echo "start to the Users tab: $u ms"
echo "start to the Organisations tab: $o ms (tab 2 adds $((o - u)) ms)"
echo "last screen dumped ($rows lines):"
tail -n 26 "$tmp/dump"
