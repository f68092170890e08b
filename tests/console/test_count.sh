#!/bin/sh
# test_count.sh ACCESSDESK TESTS_CONSOLE_DIR: counts that never block a key
# (issue 13), on a real terminal (tmux, 80x24, xterm) against the PG*
# environment's server. The console's counts go on a second connection
# ("accessdesk count" in pg_stat_activity); the test holds that
# connection's server process stopped (SIGSTOP), so that its count surely
# has not come, and shows:
#   - a search answered at once with the planner's estimate ("of about");
#   - another search and End served while the count is still held (End
#     says it waits for the count), the first search's count never shown;
#   - the process let go: the exact count of the last search, and End done;
#   - the counts' connection ended by the server: the console reconnects
#     by itself and counts again.
# Each expected screen is written beside the steps that make it; rows are
# reached by search, never by counting keys. Skips without tmux, or when
# the server's processes cannot be signalled (another host or user). The
# estimates shown are the planner's after ANALYZE of every row (3,009
# users: the whole table is the sample), the same on each run.

set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
# shellcheck source-path=SCRIPTDIR source=tmux.sh
. "$(dirname "$0")/tmux.sh"
# shellcheck source-path=SCRIPTDIR source=wrap.sh
. "$(dirname "$0")/wrap.sh"
tap_args "ACCESSDESK TESTS_CONSOLE_DIR" "$@"
bin=$1
dir=$2
if ! command -v tmux >/dev/null; then
	echo "1..0 # SKIP needs tmux"
	exit 0
fi
# shellcheck source-path=SCRIPTDIR source=fixture.sh
. "$dir/fixture.sh"
fixture count "$bin" "$dir/screens.conf"
unset TMUX NO_COLOR
sock=adcount$$
stop_tmux() {
	tmux -L "$sock" kill-server >/dev/null 2>&1
	[ -n "${held:-}" ] && kill -s CONT "$held" 2>/dev/null
	dropdb --if-exists "$db" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap stop_tmux EXIT INT TERM

q() {
	psql -X -At -v ON_ERROR_STOP=1 -c "$1"
}

# 3,000 users more than a page holds, with no grant (so the organisation
# columns are empty), added on a fixed date, and the statistics the
# planner's estimate comes from
q "INSERT INTO users (login, first_name, last_name, email, work_phone, created_at)
   SELECT 'cnt' || g, 'Ann', 'Count' || g, 'cnt' || g || '@count.nhs.uk',
     '0100 000000', '2017-03-20 12:00+00' FROM generate_series(1, 3000) g;
   ANALYZE" >/dev/null || {
	echo "Bail out! cannot add the users"
	exit 1
}
all=$(q "SELECT to_char(count(*), 'FM9,999') FROM users")

# screen_is: the whole screen is the expected one on stdin (after
# waiting for its first line to show); diff -u (want, got) when not.
screen_is() {
	sed "s/ad_count_PID/$db/" >"$tmp/want"
	wait_for "$(sed -n 3p "$tmp/want" | sed 's/  *$//')" 5 >/dev/null
	screen | sed 's/  *$//' >"$tmp/got"
	sed 's/  *$//' "$tmp/want" | diff -u - "$tmp/got"
}
# the server process of the console's counts
count_backend() {
	q "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
	   AND application_name = 'accessdesk count'"
}

tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
	"env TERM=xterm LC_ALL=C.UTF-8 $(wrap_words count) '$bin' --config '$tmp/conf' --operator mch112 2>'$tmp/stderr'; echo \$? >'$tmp/status'; sleep 60"
check "the first page, then its exact count" wait_for "1-18 of $all"

held=$(count_backend)
if [ -z "$held" ]; then
	echo "Bail out! the console has no counts' connection"
	exit 1
fi
if ! kill -s STOP "$held" 2>/dev/null; then
	held=
	for i in 2 3 4 5 6 7 8; do
		skip "case $i" "cannot stop the server process of the counts"
	done
	keys q
	echo "1..$n"
	exit 0
fi

# the count of this search is sent and held: the page comes with the
# planner's estimate
keys / C-u Count Enter
shows_about() {
	screen_is <<'EOF'
accessdesk  operator mch112  database ad_count_PID  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Count]                                      1-18 of about 3,010
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Count1, Ann                                                  20/03/2017 Enabled
Count10, Ann                                                 20/03/2017 Enabled
Count100, Ann                                                20/03/2017 Enabled
Count1000, Ann                                               20/03/2017 Enabled
Count1001, Ann                                               20/03/2017 Enabled
Count1002, Ann                                               20/03/2017 Enabled
Count1003, Ann                                               20/03/2017 Enabled
Count1004, Ann                                               20/03/2017 Enabled
Count1005, Ann                                               20/03/2017 Enabled
Count1006, Ann                                               20/03/2017 Enabled
Count1007, Ann                                               20/03/2017 Enabled
Count1008, Ann                                               20/03/2017 Enabled
Count1009, Ann                                               20/03/2017 Enabled
Count101, Ann                                                20/03/2017 Enabled
Count1010, Ann                                               20/03/2017 Enabled
Count1011, Ann                                               20/03/2017 Enabled
Count1012, Ann                                               20/03/2017 Enabled
Count1013, Ann                                               20/03/2017 Enabled

Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
EOF
}
check "a search while the count is held: the page at once, 'of about 3,010'" \
	shows_about

# keys are served while the count is still held: a narrower search (its
# count replaces the first one, which is never shown) and End, which
# waits for the count
keys / C-u Count1 Enter
served() {
	wait_for "Search by: Name [Count1]" 5 &&
		wait_for "1-18 of about 1,130" 5
}
check "another search, the count still held: served at once, 'of about'" served
keys -l "$(printf '\033OF')"
check "End while the count is held: it waits for the count, and says so" \
	wait_for "Counting: End goes to the last page when the count is in." 5
stale_not_shown() {
	! screen | grep -F -e "of 3,000" -e "of $all" >/dev/null
}
check "the first search's count is not shown" stale_not_shown

kill -s CONT "$held"
held=
shows_last() {
	screen_is <<'EOF'
accessdesk  operator mch112  database ad_count_PID  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Count1]                                    1,094-1,111 of 1,111
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Count1983, Ann                                               20/03/2017 Enabled
Count1984, Ann                                               20/03/2017 Enabled
Count1985, Ann                                               20/03/2017 Enabled
Count1986, Ann                                               20/03/2017 Enabled
Count1987, Ann                                               20/03/2017 Enabled
Count1988, Ann                                               20/03/2017 Enabled
Count1989, Ann                                               20/03/2017 Enabled
Count199, Ann                                                20/03/2017 Enabled
Count1990, Ann                                               20/03/2017 Enabled
Count1991, Ann                                               20/03/2017 Enabled
Count1992, Ann                                               20/03/2017 Enabled
Count1993, Ann                                               20/03/2017 Enabled
Count1994, Ann                                               20/03/2017 Enabled
Count1995, Ann                                               20/03/2017 Enabled
Count1996, Ann                                               20/03/2017 Enabled
Count1997, Ann                                               20/03/2017 Enabled
Count1998, Ann                                               20/03/2017 Enabled
Count1999, Ann                                               20/03/2017 Enabled

Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
EOF
}
check "the count let go: the exact count of the last search, and End done" \
	shows_last

# the server ends the counts' connection: NOT CONNECTED, then the one
# reconnection finds both connections again and counts again
keys Home
wait_for "1-18 of 1,111" 5 >/dev/null
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
   WHERE datname = current_database()
   AND application_name = 'accessdesk count'" >/dev/null
reconnects() {
	wait_for "Reconnected to the database." 10 &&
		wait_for "1-18 of 1,111" 5 &&
		[ -n "$(count_backend)" ]
}
check "the counts' connection lost: the console reconnects and counts again" \
	reconnects

quits() {
	keys q
	i=0
	while [ $i -lt "$(waits 100)" ] && [ ! -s "$tmp/status" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(cat "$tmp/status" 2>/dev/null)" = 0 ] && [ ! -s "$tmp/stderr" ] || {
		echo "status: $(cat "$tmp/status" 2>/dev/null); stderr:"
		cat "$tmp/stderr"
		return 1
	}
}
check "q quits with status 0, nothing on stderr" quits
wrap_check "the console" count

echo "1..$n"
[ "$failures" -eq 0 ]
