#!/usr/bin/env bash
# run.sh BUILDDIR: the fuzzers of the suite 'long' (./scripts/test --long).
#
# Configures BUILDDIR, if it is not yet, with clang, -Dfuzz=true and
# AddressSanitizer and UndefinedBehaviorSanitizer, every library built
# with libFuzzer's coverage; builds fuzz_policy and fuzz_config; runs each
# for FUZZ_SECONDS (default 60) on a copy of its corpus (tests/fuzz/corpus/
# NAME, with tests/fuzz/accessdesk.dict). A crash, a leak, a failed
# assertion or undefined behaviour stops the fuzzer: its input is saved in
# BUILDDIR/fuzz-crashes/NAME/ (emptied at the start of each run), and this
# script exits 1 after the others have run. A hang of 10 s is a finding too. New inputs found go to BUILDDIR/fuzz-corpus/NAME/, not the tree: add a
# crash's input to tests/fuzz/corpus/NAME/ once fixed, so that the replay
# tests of the normal suite run it every time.
#
# Prints, for each fuzzer, the executions it made and their rate.
set -uo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BUILDDIR" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$1
[[ $build = /* ]] || build=$root/$build
seconds=${FUZZ_SECONDS:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
	echo "$0: FUZZ_SECONDS must be a whole number of seconds, not \"$seconds\"" >&2
	exit 2
fi
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null; then
	echo "$0: $cc is not installed (./scripts/setup-deps --long installs it)" >&2
	exit 1
fi

if [[ ! -f $build/build.ninja ]]; then
	echo "fuzz: configuring $build with $cc"
	if ! CC=$cc meson setup "$build" "$root" -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link >"$build.setup.log" 2>&1; then
		cat "$build.setup.log" >&2
		exit 1
	fi
fi
if ! ninja -C "$build" tests/fuzz/fuzz_policy tests/fuzz/fuzz_config \
	>"$build.compile.log" 2>&1; then
	tail -50 "$build.compile.log" >&2
	exit 1
fi

# The sanitizers stop at the first finding; LSan's suppressions are the
# project's own (third-party leaks only, by name).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0

failed=0
total=0
for name in policy config; do
	corpus=$build/fuzz-corpus/$name
	crashes=$build/fuzz-crashes/$name
	log=$build/fuzz-$name.log
	rm -rf "$crashes" # this run's findings only
	mkdir -p "$corpus" "$crashes"
	# -close_fd_mask: the loaders' messages are not wanted; stdin is
	# /dev/null, so an @include of /dev/stdin cannot wait.
	"$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" \
		-timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-dict="$here/accessdesk.dict" -artifact_prefix="$crashes/" \
		-print_final_stats=1 "$corpus" "$here/corpus/$name" \
		</dev/null >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	total=$((total + ${runs:-0}))
	if [[ $status -ne 0 ]]; then
		failed=1
		echo "fuzz_$name: FAILED (status $status) after ${runs:-?} executions; inputs in $crashes:"
		ls "$crashes" >&2
		grep -E -A12 '^==[0-9]+==ERROR|runtime error|^SUMMARY' "$log" | head -40 >&2
	else
		echo "fuzz_$name: ${runs:-?} executions in ${seconds} s (${rate:-?}/s), no crash"
	fi
done
echo "fuzz: $total executions in all"
exit $failed
