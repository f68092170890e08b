#!/bin/sh
# wrapped.sh PROGRAM [ARG...]: runs a widget test program as it is, or,
# under meson's test setup 'valgrind', under ACCESSDESK_WRAPPER
# (tests/console/wrap.sh). The program's TAP passes through; when
# valgrind's log reports an error or a leak definitely lost, comments
# after it name the log and give its errors, and the exit status is not 0
# (the wrapper's own --error-exitcode, or 1).
set -u
# shellcheck source-path=SCRIPTDIR source=../console/wrap.sh
. "$(dirname "$0")/../console/wrap.sh"
[ -n "$wrap" ] || exec "$@"
log=$(wrap_log "ui.$(basename "$1")")
# shellcheck disable=SC2086 # the wrapper's words
ACCESSDESK_VALGRIND_LOG=$log $wrap "$@"
st=$?
if [ ! -f "$log" ]; then
	printf '# valgrind: no log %s\n' "$log"
	exit 1
fi
if wrap_clean "$log"; then
	rm -f "$log"
	exit "$st"
fi
printf '# valgrind reports errors: see %s\n' "$log"
wrap_errors "$log" | head -60 | sed 's/^/# /'
[ "$st" -ne 0 ] || st=1
exit "$st"
