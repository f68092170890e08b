#!/bin/sh
# test_notify.sh ACCESSDESK POLICY_DIR: the console takes the database's
# announcements (LISTEN accessdesk_changed): another session's change shows
# on the open Users list, and a change to the operator's own access changes
# what the list holds, with no restart. Keys come through a FIFO in steps;
# <Notified> waits (5 s at most, times ACCESSDESK_WAIT_SCALE under the
# valgrind setup) for the announcement. TAP.
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 ACCESSDESK POLICY_DIR" >&2
	exit 2
fi
bin=$1
policy=$2/good/cqrs-seed.conf
# shellcheck source-path=SCRIPTDIR source=fixture.sh
. "$(dirname "$0")/fixture.sh"
fixture notify "$bin" "$policy"

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
# shellcheck source-path=SCRIPTDIR source=wrap.sh
. "$(dirname "$0")/wrap.sh"

# screen K: the K-th dumped screen
screen() {
	awk -v k="$1" '/^-- cursor/ { s++; next } s == k - 1' "$tmp/dump"
}

# dumps N: wait until N screens are dumped (the console's output, bounded)
# (grep -c prints 0 itself, and fails, when there is none)
dumps() {
	i=0
	while [ "$(grep -c '^-- cursor' "$tmp/dump" 2>/dev/null)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -gt "$(waits 100)" ] && return 1
		sleep 0.1
	done
}

mkfifo "$tmp/keys"
: >"$tmp/dump"
# shellcheck disable=SC2086 # the wrapper's words
ACCESSDESK_TEST_KEYS=$tmp/keys ACCESSDESK_TEST_DUMP=$tmp/dump \
	ACCESSDESK_VALGRIND_LOG=$(wrap_log notify) \
	$wrap "$bin" --config "$tmp/conf" --operator gba204 &
pid=$!
exec 3>"$tmp/keys"
printf '<Dump>' >&3
dumps 1
psql -X -q -c "UPDATE users SET last_name = 'Allwood' WHERE login = 'kal738'"
printf '<Notified><Dump>' >&3
dumps 2
psql -X -q <<'SQL'
BEGIN;
INSERT INTO grants (user_id, org_id)
  SELECT u.id, o.id FROM users u, organisations o
  WHERE u.login = 'gba204' AND o.code = 'nhs';
INSERT INTO grant_roles (grant_id, role_id, position)
  SELECT g.id, r.id, 0 FROM grants g JOIN users u ON u.id = g.user_id
  JOIN organisations o ON o.id = g.org_id, roles r
  WHERE u.login = 'gba204' AND o.code = 'nhs' AND r.name = 'View';
COMMIT;
SQL
printf '<Notified><Dump>' >&3
exec 3>&-
wait $pid
status=$?

# has K TEXT / lacks K TEXT: the K-th screen holds TEXT, or does not
has() { screen "$1" | grep -q -- "$2"; }
lacks() { ! has "$1" "$2"; }

all=$(psql -X -At -c "SELECT count(*) FROM users")
tap "the console ends cleanly when its keys end" [ "$status" -eq 0 ]
tap "first screen: Alloway, Kenneth" has 1 "Alloway, Kenneth"
tap "first screen: 1-4 of 4" \
	has 1 "1-4 of 4"
tap "another session renames kal738: Allwood, Kenneth on the open list" \
	has 2 "Allwood, Kenneth"
tap "and Alloway is gone from it" lacks 2 "Alloway"
tap "the operator is given View at the root: all $all users are listed" \
	has 3 "of $all\$"
tap "the top line still names the operator" has 3 "operator gba204"
wrap_check "the console" notify
echo "1..$n"
[ $failures -eq 0 ]
