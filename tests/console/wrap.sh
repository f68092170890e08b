# shellcheck shell=sh
# wrap.sh: the console under a wrapper. Sourced after tap.sh by every
# test that starts the console. Nothing changes unless ACCESSDESK_WRAPPER
# is set, as meson's test setup 'valgrind' sets it (meson.build):
#
#   ACCESSDESK_WRAPPER     a command line put before accessdesk wherever a
#                          test starts the console (not its db, check or
#                          other commands run for setup); under valgrind it
#                          names its log %q{ACCESSDESK_VALGRIND_LOG}
#   ACCESSDESK_VALGRIND_DIR
#                          where the logs go (meson-logs/valgrind in the
#                          build directory; by default ${TMPDIR:-/tmp}); a
#                          clean log is removed, one with errors stays
#   ACCESSDESK_WAIT_SCALE  how many times longer every wait on the console
#                          may take (1 by default): the one knob for the
#                          harness's timeouts
#
# A test starts its console as
#   ACCESSDESK_VALGRIND_LOG=$(wrap_log TAG) $wrap "$bin" ...
# (or puts "$(wrap_words TAG)" before '$bin' in a shell command line, for
# tmux) and, once that console has exited, calls wrap_check WHAT TAG: under
# the wrapper a TAP case passing when the log reports no error and no leak
# definitely lost, failing with the log's name and its errors otherwise;
# without it, nothing (the normal suite counts the same cases as ever).

wrap=${ACCESSDESK_WRAPPER:-}
wait_scale=${ACCESSDESK_WAIT_SCALE:-1}
wrap_dir=${ACCESSDESK_VALGRIND_DIR:-${TMPDIR:-/tmp}}

# waits SECONDS: SECONDS scaled for the wrapper.
waits() {
	echo $(($1 * wait_scale))
}

# wrap_log TAG: the log file of the next console started with TAG (a word:
# letters, digits, '.', '_', '-'), unique to this test's process.
wrap_log() {
	[ -n "$wrap" ] || return 0
	mkdir -p "$wrap_dir" || return 1
	printf '%s/%s.%s.log' "$wrap_dir" "$1" "$$"
}

# wrap_words TAG: what goes before the console's path in a shell command
# line (the log's variable and the wrapper), or nothing.
wrap_words() {
	[ -n "$wrap" ] || return 0
	printf 'ACCESSDESK_VALGRIND_LOG=%s %s' "$(wrap_log "$1")" "$wrap"
}

# wrap_errors LOG: the log's error reports (memcheck's kinds, a leak's
# loss record, a fatal signal), each from its first line to its blank end.
wrap_errors() {
	sed -n -E '/^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and|Argument|Process terminating|[0-9,]+ (\([0-9,]+ direct, [0-9,]+ indirect\) )?bytes in [0-9,]+ blocks are)/,/^==[0-9]+== $/p' "$1"
}

# wrap_wait TAG: until the log of the console started with TAG is whole
# (valgrind writes its summary last), for a console ended by a signal that
# the test cannot wait for; 60 s at most.
wrap_wait() {
	[ -n "$wrap" ] || return 0
	log_=$(wrap_log "$1")
	i_=0
	while [ $i_ -lt 600 ] && ! grep -q 'ERROR SUMMARY' "$log_" 2>/dev/null; do
		sleep 0.1
		i_=$((i_ + 1))
	done
}

# wrap_clean LOG: the log reports no error. A program killed on purpose
# leaves no summary: then its log is clean when it reports no error before
# the end.
wrap_clean() {
	grep -E -q '^==[0-9]+== ERROR SUMMARY: 0 errors' "$1" ||
		{ ! grep -q 'ERROR SUMMARY' "$1" && [ -z "$(wrap_errors "$1")" ]; }
}

# wrap_check WHAT TAG: the TAP case on the log of the console started with
# TAG, which has exited.
wrap_check() {
	[ -n "$wrap" ] || return 0
	log_=$(wrap_log "$2")
	what_="$1: valgrind reports no error and no leak definitely lost"
	if [ ! -f "$log_" ]; then
		not_ok "$what_" "no log $log_: did the console start under the wrapper?"
	elif wrap_clean "$log_"; then
		ok "$what_"
		rm -f "$log_"
	else
		not_ok "$what_" "see $log_" "$(wrap_errors "$log_" | head -60)"
	fi
}
