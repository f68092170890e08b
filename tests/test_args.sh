#!/bin/sh
# test_args.sh: hostile command-line arguments, table-driven: each value of
# the table below in the place of each option and command that takes one
# (src/main.c, src/cli/). Every run must end at once with a clear result:
# no signal, no time-out (`timeout 10`), exit 2 and a message when the
# value is refused, and nothing on standard output or standard error that a
# terminal would act on (no control character but tab, newline and, for
# CSV, carriage return; only valid UTF-8). As TAP.
#
# Usage: test_args.sh /path/to/accessdesk /path/to/tests/policy
#
# First without a database (a conninfo that reaches nothing: arguments are
# checked first, or the connection fails with its message, exit 2); then,
# when the PG* environment's server answers (the suite runs inside
# pg_virtualenv), against a database holding good/cqrs-seed.conf, as the
# System Administrator tdi901: a value is refused or does what it says, and
# afterwards no table is gone, no user or grant is changed by a refused
# value and the audit chain verifies.
set -u

# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(dirname "$0")/tap.sh"
tap_args "ACCESSDESK POLICY_DIR" "$@"
bin=$1
dir=$(cd "$2" && pwd)
cqrs=$dir/good/cqrs-seed.conf
clin=$dir/good/clinspark-seed.conf

tap_tmpdir test-args
tap_runs

# ---- the values -------------------------------------------------------------

# Each value is named; its bytes are made here (no NUL: an argument cannot
# hold one).
value_of() {
	case $1 in
	long) printf '%0102400d' 0 | tr 0 a ;; # 100 kB
	bad-utf8) printf 'a\377\376b\300\200c\355\240\200' ;;
	escapes) printf 'x\033[2J\033[H\033]0;owned\007\033P+q\033\\\r\010y' ;;
	controls) printf 'a\001b\tc\nd\177e\302\233f' ;; # \302\233: CSI (C1)
	bidi) printf 'abc\342\200\256cba\342\200\213' ;; # RLO, zero-width
	empty) ;;
	sql) printf "x'; DROP TABLE users; --" ;;
	sql-or) printf "' OR '1'='1" ;;
	format) printf '%%s%%s%%n%%x%%%%' ;;
	option) printf -- '--users' ;;
	# all but long, empty and option at once, for the normal suite
	mixed) printf "x\033[2J\033]0;owned\007\377\300\200'; DROP TABLE users; --%%s%%n\302\233\342\200\256\001" ;;
	esac
}
# ARGS_VALUES (a list of the names above) narrows the table: the normal
# suite's short run takes a few, the suite 'long' every one.
values=${ARGS_VALUES:-long bad-utf8 escapes controls bidi empty sql sql-or format option mixed}
# made once: v_NAME (dashes as underscores)
for name in $values; do
	eval "v_$(echo "$name" | tr - _)=\$(value_of \"\$name\")"
done
# value NAME: $val is the value NAME
val=
value() {
	case $1 in
	*-*) eval "val=\$v_${1%%-*}_${1#*-}" ;;
	*) eval "val=\$v_$1" ;;
	esac
}

# ---- the places -------------------------------------------------------------

# One line a place: what the database run wants, a tab, the arguments
# (@V standing for the value, alone or in a word: --email=@V; @CQRS and
# @CLIN for the seed policy files). Without a database every place must
# be refused (2). With one: "-" is not run there; "2" is refused whatever
# the value (none of them names a thing that exists or is well formed);
# "any" may be taken (an empty title clears it, a quote is a fine name).
places() {
	cat <<'TABLE'
-	--config @V --check-config
-	--@V
-	@V
-	policy @V
-	policy test @V
-	policy test @CQRS @V
-	check --policy @CQRS --user @V --action users.view --org lat04
-	check --policy @CQRS --user kal738 --action @V --org lat04
-	check --policy @CQRS --user kal738 --action users.view --org @V
-	check --policy @CQRS --user kal738 --action users.view --org lat04 --payment-type @V
-	check --policy @CLIN --user kal738 --action study.view --study @V
-	check --policy @V --user kal738 --action users.view --org lat04
-	check --policy=@V --user kal738 --action users.view --org lat04
-	check --user=@V --policy @CQRS --action users.view --org lat04
-	check --policy @CQRS --user kal738 --action users.view --org lat04 @V
-	db @V
-	db load @V
-	db import-ods @V
2	db seed --users @V
2	db seed --users 0 --seed @V
2	--operator @V who-has-access --org lat04
2	check --user @V --action users.view --org lat04
2	check --user kal738 --action @V --org lat04 --explain
2	check --user kal738 --action users.view --org @V
2	check --user kal738 --action study.view --study @V
2	report @V
2	user set @V --enabled
any	user set kal738 --email @V
any	user set kal738 --title @V
any	user set kal738 --first-name @V
any	user set kal738 --last-name=@V
any	user set kal738 --work-phone @V
any	user set kal738 --mobile-phone @V
2	user set kal738 @V
2	grant set @V lat04 --roles View
2	grant set kal738 @V --roles View
2	grant set kal738 lat04 --roles @V
any	grant set kal738 lat04 --roles View --payment-types @V
any	grant set kal738 lat04 --roles View --clusters @V
2	grant revoke @V lat04
2	grant revoke kal738 @V
2	who-has-access --org @V
2	who-has-access --org lat04 --action @V
2	who-has-access --org lat04 --as-of @V
2	who-has-access --org lat04 --csv @V
any	audit --target @V
any	audit --by @V
2	audit --kind @V
2	audit --from @V
2	audit --to @V
2	audit verify @V
2	audit @V
TABLE
}

# ---- one run ----------------------------------------------------------------

# run CONF TEMPLATE VALUE: accessdesk --config CONF [--operator tdi901]
# with the template's words, @V replaced by VALUE; $status, $tmp/out and
# $tmp/err hold the result. The template is split on blanks, never
# globbed.
run() {
	r_conf=$1 r_tpl=$2 r_v=$3
	set -f
	# shellcheck disable=SC2086 # split into words, on purpose
	set -- $r_tpl
	set +f
	r_n=$#
	while [ "$r_n" -gt 0 ]; do
		w=$1
		shift
		case $w in
		@CQRS) w=$cqrs ;;
		@CLIN) w=$clin ;;
		*@V*) w=${w%%@V*}$r_v${w#*@V} ;;
		esac
		set -- "$@" "$w"
		r_n=$((r_n - 1))
	done
	case $r_tpl in
	--config*) ;;
	--operator*) set -- --config "$r_conf" "$@" ;;
	*) set -- --config "$r_conf" ${op_arg:+--operator "$op_arg"} "$@" ;;
	esac
	last="accessdesk $r_tpl (@V: $name)"
	timeout 10 "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# clean FILE: no byte a terminal acts on (C0 but tab, newline and carriage
# return; DEL), valid UTF-8 (which rules out C1 bytes on their own), and no
# character the sanitiser withholds as UTF-8 either: C1 (U+0080-U+009F),
# zero-width and bidi controls (U+200B-U+200F, U+2028-U+202E,
# U+2060-U+206F).
hostile=$(printf '\302[\200-\237]\\|\342\200[\213-\217\250-\256]\\|\342\201[\240-\257]')
clean() {
	[ -s "$1" ] || return 0
	# shellcheck disable=SC2094 # both only read it
	LC_ALL=C tr -d '\000-\010\013\014\016-\037\177' <"$1" | cmp -s - "$1" &&
		iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 &&
		! LC_ALL=C grep -q "$hostile" "$1"
}

# judge WANT: WANT is "2" (refused), or "any" (refused, denied or done).
# $changed, when set, is a failure found before (and is reset).
changed=
judge() {
	j_what=$changed
	changed=
	if [ -n "$j_what" ]; then
		:
	elif [ "$status" -eq 124 ]; then
		j_what="it did not end within 10 s"
	elif [ "$status" -gt 2 ]; then
		j_what="status $status: a crash or a signal"
	elif [ "$1" = 2 ] && [ "$status" -ne 2 ]; then
		j_what="status $status, not 2"
	elif [ "$status" -eq 2 ] && ! [ -s "$tmp/err" ]; then
		j_what="refused without a message"
	elif ! clean "$tmp/err"; then
		j_what="a control character or invalid UTF-8 on stderr"
	elif ! clean "$tmp/out"; then
		j_what="a control character or invalid UTF-8 on stdout"
	elif [ "$1" = 2 ] && [ "$(wc -c <"$tmp/err")" -gt 16384 ]; then
		j_what="a message of $(wc -c <"$tmp/err") bytes"
	fi
	if [ -z "$j_what" ]; then
		ok "$last"
	else
		not_ok "$last" "$j_what"
	fi
}

# ---- without a database -----------------------------------------------------

offline() {
	printf 'database = { conninfo = "host=%s/nowhere connect_timeout=2"; };\n' \
		"$tmp" >"$tmp/offline.conf"
	op_arg=
	while IFS='	' read -r where tpl; do
		for name in $values; do
			value "$name"
			run "$tmp/offline.conf" "$tpl" "$val"
			judge 2
		done
	done <"$tmp/places"
}

# ---- against a database -----------------------------------------------------

# The users and grants, every column: a refused change must leave them.
state() {
	psql -X -At -v ON_ERROR_STOP=1 \
		-c "SELECT md5(string_agg(u::text, ',' ORDER BY id)) FROM users u" \
		-c "SELECT md5(string_agg(g::text, ',' ORDER BY id)) FROM grants g" 2>&1
}

online() {
	printf 'database = { conninfo = ""; };\noperator = { source = "flag"; };\n' \
		>"$tmp/db.conf"
	op_arg=tdi901
	for step in "db migrate" "db load $cqrs"; do
		# shellcheck disable=SC2086 # the step's words
		if ! "$bin" --config "$tmp/db.conf" $step >"$tmp/out" 2>"$tmp/err"; then
			echo "Bail out! accessdesk $step failed: $(cat "$tmp/err")"
			exit 1
		fi
	done
	tables=$(psql -X -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
	while IFS='	' read -r where tpl; do
		[ "$where" = - ] && continue
		for name in $values; do
			case $tpl in
			user* | grant*) before=$(state) ;;
			*) before= ;;
			esac
			value "$name"
			run "$tmp/db.conf" "$tpl" "$val"
			if [ -n "$before" ] && [ "$status" -ne 0 ] &&
				[ "$(state)" != "$before" ]; then
				changed="refused, yet users or grants changed"
			fi
			judge "$where"
		done
	done <"$tmp/places"
	now=$(psql -X -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
	if [ "$now" = "$tables" ] && [ "$tables" -gt 0 ]; then
		ok "after every value the database still has its $tables tables"
	else
		not_ok "after every value the database still has its tables" \
			"before: $tables, after: $now"
	fi
	"$bin" --config "$tmp/db.conf" audit verify >"$tmp/out" 2>"$tmp/err"
	status=$?
	last="accessdesk audit verify"
	if status_is 0; then
		ok "the audit chain verifies after every value"
	else
		not_ok "the audit chain verifies after every value"
	fi
}

places >"$tmp/places"
n_values=$(echo "$values" | wc -w)
n_all=$(wc -l <"$tmp/places")
n_db=$(grep -c -v '^-' "$tmp/places")
if psql -X -At -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
	PGDATABASE=ad_args_$$
	export PGDATABASE
	dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
	createdb "$PGDATABASE" || { echo "Bail out! createdb failed"; exit 1; }
	drop_db() { dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1; }
	tap_at_exit drop_db
	echo "1..$((n_all * n_values + n_db * n_values + 2))"
	offline
	online
else
	echo "1..$((n_all * n_values + 1))"
	offline
	skip "against a database" "no PostgreSQL"
fi
[ "$failures" -eq 0 ]
