#!/bin/sh
# test_lsan.sh: the third-party leaks that tests/lsan.supp suppresses are
# real, and the suppressions are what hides them. Registered for the
# sanitizer build only. Each case runs twice, under LeakSanitizer: with
# suppressions=tests/lsan.supp it ends as it should and LSan says nothing;
# without, LSan reports the leak in the third-party function the file
# names (so a suppression that no longer matches a real leak, or a leak
# that moved into our own code, makes this fail). As TAP.
#
# Usage: test_lsan.sh ACCESSDESK REPLAY_POLICY REPLAY_CONFIG PTY_HARNESS
#                     CORPUS_DIR SUPPRESSIONS
#
#   libconfig: a syntax error just after a string (strbuf_append) or an
#     empty string (libconfig_yylex), in a policy file (the fuzz target's
#     replay and `accessdesk policy test`) and in a configuration file (the
#     replay and `--check-config`)
#   libtinfo: the console on a terminal whose TERM is unknown (new_prescr);
#     it connects first, so this one needs PostgreSQL (skipped without)
set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK REPLAY_POLICY REPLAY_CONFIG PTY_HARNESS CORPUS_DIR SUPPRESSIONS" "$@"
bin=$1
replay_policy=$2
replay_config=$3
harness=$4
corpus=$5
supp=$6

tap_tmpdir test-lsan
tap_runs

# leaks WITH|WITHOUT ARG...: runs ARG... with leak detection on, with or
# without the suppressions; $status, $tmp/out and $tmp/err.
leaks() {
	l_with=$1
	shift
	last="$* ($l_with suppressions)"
	if [ "$l_with" = with ]; then
		l_opts=suppressions=$supp:print_suppressions=0
	else
		l_opts=print_suppressions=0
	fi
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=$l_opts \
		timeout 20 "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# pair NAME FUNCTION WANT ARG...: without the suppressions LSan reports a
# leak with FUNCTION in its stack; with them, none, and the status is WANT.
# LSan's report is looked for in $tmp/err, or in $report when set.
report=
lsan_has() { grep -F -e "$1" "${report:-$tmp/err}" >/dev/null 2>&1; }
pair() {
	p_name=$1 p_fn=$2 p_want=$3
	shift 3
	leaks without "$@"
	if lsan_has "ERROR: LeakSanitizer" && lsan_has "$p_fn"; then
		ok "$p_name: without the suppressions, LSan finds $p_fn's leak"
	else
		not_ok "$p_name: without the suppressions, LSan finds $p_fn's leak"
	fi
	leaks with "$@"
	if ! lsan_has "LeakSanitizer" && status_is "$p_want"; then
		ok "$p_name: with them, no leak and status $p_want"
	else
		not_ok "$p_name: with them, no leak and status $p_want"
	fi
}

mkdir "$tmp/policy" "$tmp/config"
printf 'database = { conninfo = "host=%s/nowhere"; };\n' "$tmp" >"$tmp/offline.conf"

echo "1..18"
# A string, then "" (libconfig allocates that one itself), where "="
# belongs: the corpus's inputs.
for leak in string:strbuf_append empty-string:libconfig_yylex; do
	f=libconfig-leak-${leak%%:*}-after-name.conf
	fn=${leak#*:}
	rm -f "$tmp/policy/"* "$tmp/config/"*
	cp "$corpus/policy/$f" "$tmp/policy/"
	cp "$corpus/config/$f" "$tmp/config/"
	pair "policy file $f, fuzz replay" "$fn" 0 "$replay_policy" "$tmp/policy"
	pair "policy test $f" "$fn" 2 "$bin" --config "$tmp/offline.conf" \
		policy test "$tmp/policy/$f"
	pair "configuration file $f, fuzz replay" "$fn" 0 "$replay_config" \
		"$tmp/config"
	pair "--config $f --check-config" "$fn" 2 "$bin" --config "$tmp/config/$f" \
		--check-config
done

# ---- libtinfo: an unknown TERM ------------------------------------------------

if ! psql -X -At -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
	skip "unknown TERM: without the suppressions, LSan finds new_prescr's leak" "no PostgreSQL"
	skip "unknown TERM: with them, no leak" "no PostgreSQL"
	exit "$((failures > 0))"
fi
PGDATABASE=ad_lsan_$$
export PGDATABASE
drop_db() { dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1; }
drop_db
createdb "$PGDATABASE" || { echo "Bail out! createdb failed"; exit 1; }
tap_at_exit drop_db
printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' >"$tmp/db.conf"
cat >"$tmp/login.conf" <<'CONF'
organisations = ( { code = "nhs"; name = "NHS England"; } );
users = ( { login = "adm001"; first_name = "Ada"; last_name = "Admin";
            email = "ada@nhs.uk"; work_phone = "0315841200";
            access = ( { org = "nhs"; roles = [ "System Administrator" ]; } ); } );
CONF
for step in "db migrate" "db load $tmp/login.conf"; do
	# shellcheck disable=SC2086 # the step's words
	LSAN_OPTIONS=suppressions=$supp "$bin" --config "$tmp/db.conf" $step \
		>"$tmp/out" 2>"$tmp/err" ||
		{ echo "Bail out! accessdesk $step: $(cat "$tmp/err")"; exit 1; }
done
printf 'test exits non-zero\nexpect-exit !0\n' >"$tmp/noterm"
report=$tmp/err.tty
pair "unknown TERM" new_prescr 0 "$harness" -t no-such-term -e "$tmp/err.tty" \
	"$tmp/noterm" "$bin" --config "$tmp/db.conf" --operator adm001
