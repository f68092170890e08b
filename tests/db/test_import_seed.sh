#!/bin/sh
# test_import_seed.sh: `db import-ods` and `db seed` (include/accessdesk/bulk.h)
# against throwaway databases. Speaks TAP. Run inside a throwaway server:
#
#   pg_virtualenv sh tests/db/test_import_seed.sh BUILD_DIR SQL_DIR DATA_CSV
#
# BUILD_DIR holds bulk_driver (or tests/db/bulk_driver, tests/bulk_driver
# below it), or is the driver itself. SQL_DIR's *.sql are applied in order.
# DATA_CSV is shared/data/gp-practice-hierarchy-2022-01.csv (or its copy in
# sql/data/): the figures below are that file's.
#
# Its figures: 6,527 practices, 1,254 PCNs (the code U of 68 practices is
# "no PCN", not a PCN: those practices sit under their CCG), 106 CCGs,
# 42 STPs, 7 regions: 7,936 codes, 7,937 organisations with the root nhs;
# 11 PCNs have practices in more than one CCG.
set -u

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"
tap_args "BUILD_DIR SQL_DIR DATA_CSV" "$@"
BUILD=$1
SQL_DIR=$2
CSV=$3

DRIVER=
for d in "$BUILD" "$BUILD/bulk_driver" "$BUILD/tests/db/bulk_driver" \
	"$BUILD/tests/bulk_driver"; do
	if [ -f "$d" ] && [ -x "$d" ]; then
		DRIVER=$d
		break
	fi
done

echo "1..35"
if [ -z "$DRIVER" ] || [ ! -r "$CSV" ] || [ ! -d "$SQL_DIR" ]; then
	echo "Bail out! no bulk_driver under $BUILD, or no $CSV, or no $SQL_DIR"
	exit 1
fi

tap_tmpdir ad-imp
# shellcheck source-path=SCRIPTDIR source=pg.sh
. "$(dirname "$0")/pg.sh"
DB=ad_imp_$$
DB2=ad_imp2_$$
DB3=ad_imp3_$$
dbs="$DB $DB2 $DB3"

# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got:  $2" "want: $3"
	fi
}
# contains NAME TEXT PART
contains() {
	case $2 in
	*"$3"*) ok "$1" ;;
	*) not_ok "$1" "got:  $2" "want something containing: $3" ;;
	esac
}
# q DB SQL: one value (or rows, | separated)
q() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}
# count NAME FILE: the value of "NAME value" in the driver's output
count() {
	sed -n "s/^$1 //p" "$2"
}

migrate() {
	createdb "$1" || return 1
	for f in "$SQL_DIR"/*.sql; do
		psql -X -q -v ON_ERROR_STOP=1 -1 -d "$1" -f "$f" >"$tmp/migrate.log" 2>&1 ||
			{ cat "$tmp/migrate.log" >&2; return 1; }
	done
}

# A fingerprint of the whole tree, versions included: "nothing changed".
TREE_SUM="SELECT md5(string_agg(concat_ws('|', id, code, name, parent_id, is_site, version), ',' ORDER BY id)) FROM organisations"

# ---- import ------------------------------------------------------------------

if migrate "$DB" && migrate "$DB2" && migrate "$DB3"; then
	ok "databases created, migrations of $SQL_DIR applied"
else
	not_ok "databases created, migrations of $SQL_DIR applied"
fi

if "$DRIVER" import "dbname=$DB" "$CSV" >"$tmp/import1" 2>"$tmp/err"; then
	ok "import of $(basename "$CSV")"
else
	not_ok "import of $(basename "$CSV")" "$(cat "$tmp/err")"
fi

is "7,937 organisations (7,936 codes and the root nhs)" \
	"$(q "$DB" "SELECT count(*) FROM organisations")" 7937

DEPTHS="WITH RECURSIVE t AS (SELECT id, 0 AS depth FROM organisations WHERE code = 'nhs' AND parent_id IS NULL UNION ALL SELECT o.id, t.depth + 1 FROM organisations o JOIN t ON o.parent_id = t.id) SELECT"
is "7 regions, 42 STPs, 106 CCGs under nhs" \
	"$(q "$DB" "$DEPTHS count(*) FILTER (WHERE depth = 1), count(*) FILTER (WHERE depth = 2), count(*) FILTER (WHERE depth = 3) FROM t")" \
	"7|42|106"
is "1,254 PCNs: the non-sites below the CCGs" \
	"$(q "$DB" "$DEPTHS count(*) FROM t JOIN organisations o USING (id) WHERE depth = 4 AND NOT o.is_site")" \
	1254
is "6,527 practices, all sites, all leaves" \
	"$(q "$DB" "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM organisations c WHERE c.parent_id = o.id)) FROM organisations o WHERE is_site")" \
	"6527|6527"
is "PCN code U: 68 practices directly under their CCG, no organisation U" \
	"$(q "$DB" "$DEPTHS count(*) FILTER (WHERE depth = 4 AND o.is_site), (SELECT count(*) FROM organisations WHERE lower(code) = 'u') FROM t JOIN organisations o USING (id)")" \
	"68|0"
is "driver counts: rows, inserted, unchanged, split PCNs" \
	"$(count rows "$tmp/import1") $(count inserted "$tmp/import1") $(count unchanged "$tmp/import1") $(count split_pcns "$tmp/import1") $(grep -c '^split U' "$tmp/import1")" \
	"6527 7937 0 11 11"
is "split PCN to the CCG of most practices (U25294: 03W), a tie to the lowest code (U41591: 11N)" \
	"$(q "$DB" "SELECT string_agg(o.code || '>' || p.code, ' ' ORDER BY o.code) FROM organisations o JOIN organisations p ON p.id = o.parent_id WHERE o.code IN ('U25294', 'U41591')")" \
	"U25294>03W U41591>11N"
is "quoted CSV fields (a comma inside quotes)" \
	"$(q "$DB" "SELECT name FROM organisations WHERE code = 'U76028'")" \
	"BIRTLEY, OXFORD TERR & RAWLING RD PCN"
is "one audit row for the import, with its counts" \
	"$(q "$DB" "SELECT count(*), min(target), min(target_kind), bool_and(operator = current_user::text)::text, min(after->>'inserted'), min(jsonb_array_length(after->'split_pcns')) FROM audit WHERE action = 'import-ods'")" \
	"1|$(basename "$CSV")|organisations|true|7937|11"

# ---- idempotent ---------------------------------------------------------------

SUM1=$(q "$DB" "$TREE_SUM")
"$DRIVER" import "dbname=$DB" "$CSV" >"$tmp/import2" 2>"$tmp/err"
is "second import: nothing inserted, renamed or moved; all 7,937 unchanged" \
	"$(count inserted "$tmp/import2") $(count renamed "$tmp/import2") $(count moved "$tmp/import2") $(count unchanged "$tmp/import2")" \
	"0 0 0 7937"
is "second import: the tree is as it was (versions too)" \
	"$(q "$DB" "$TREE_SUM")" "$SUM1"

# The same file with CRLF line ends.
sed 's/$/\r/' "$CSV" >"$tmp/crlf.csv"
"$DRIVER" import "dbname=$DB" "$tmp/crlf.csv" >"$tmp/import3" 2>"$tmp/err"
is "CRLF line ends: the same organisations" \
	"$(count unchanged "$tmp/import3") $(q "$DB" "$TREE_SUM")" "7937 $SUM1"

# ---- an update moves and renames in place -----------------------------------------

sed -e 's/^\(GP_PRAC_PAT_LIST,01Jan2022,A81001,\)THE DENSHAM SURGERY,/\1"THE DENSHAM SURGERY, ""RENAMED"" A\\B",/' \
	-e 's/^\(GP_PRAC_PAT_LIST,01Jan2022,A81002,QUEENS PARK MEDICAL CENTRE,TS18 2AW,\)U07032,NORTH STOCKTON PCN,/\1U89141,STOCKTON PCN,/' \
	"$CSV" >"$tmp/edited.csv"
OLD_ID=$(q "$DB" "SELECT id FROM organisations WHERE code = 'A81002'")
if "$DRIVER" import "dbname=$DB" "$tmp/edited.csv" >"$tmp/import4" 2>"$tmp/err"; then
	is "edited file: 1 renamed, 1 moved, none inserted" \
		"$(count renamed "$tmp/import4") $(count moved "$tmp/import4") $(count inserted "$tmp/import4") $(count unchanged "$tmp/import4")" \
		"1 1 0 7935"
else
	not_ok "edited file: 1 renamed, 1 moved, none inserted" "$(cat "$tmp/err")"
fi
is "edited file: same organisations; the practice renamed (quotes undoubled, a backslash kept) and moved in place" \
	"$(q "$DB" "SELECT (SELECT count(*) FROM organisations), (SELECT name FROM organisations WHERE code = 'A81001'), (SELECT p.code FROM organisations o JOIN organisations p ON p.id = o.parent_id WHERE o.id = $OLD_ID)")" \
	"7937|THE DENSHAM SURGERY, \"RENAMED\" A\\B|U89141"

# ---- bad files change nothing ------------------------------------------------------

SUM2=$(q "$DB" "$TREE_SUM")
AUDITS=$(q "$DB" "SELECT count(*) FROM audit")

sed '1s/PRACTICE_CODE/PRACTICE_CD/' "$CSV" >"$tmp/header.csv"
"$DRIVER" import "dbname=$DB" "$tmp/header.csv" >/dev/null 2>"$tmp/err"
rc=$?
is "bad header: exit status 2" "$rc" 2
contains "bad header: file:line and the missing column" "$(cat "$tmp/err")" \
	"$tmp/header.csv:1: not an NHS practice hierarchy file: no column PRACTICE_CODE"

sed '5s/,A81005,/,A8 1005,/' "$CSV" >"$tmp/code.csv"
"$DRIVER" import "dbname=$DB" "$tmp/code.csv" >/dev/null 2>"$tmp/err"
rc=$?
is "bad code: exit status 2" "$rc" 2
is "bad code on line 5: file:line, column and value" "$(cat "$tmp/err")" \
	"$tmp/code.csv:5: PRACTICE_CODE \"A8 1005\" is not a valid organisation code"

head -n 20 "$CSV" >"$tmp/quote.csv"
echo 'GP_PRAC_PAT_LIST,01Jan2022,Z99999,"UNFINISHED SURGERY,AB1 2CD,U1,X' >>"$tmp/quote.csv"
echo 'GP_PRAC_PAT_LIST,01Jan2022,Z99998,ANOTHER,AB1 2CD,U1,X' >>"$tmp/quote.csv"
"$DRIVER" import "dbname=$DB" "$tmp/quote.csv" >/dev/null 2>"$tmp/err"
rc=$?
is "unterminated quote: exit status 2, file:line of the quote" \
	"$rc $(cat "$tmp/err")" "2 $tmp/quote.csv:21: unterminated quoted field"

sed '7s/,16C,NHS Tees Valley CCG,/,16C,NHS Somewhere Else CCG,/' "$CSV" >"$tmp/name.csv"
"$DRIVER" import "dbname=$DB" "$tmp/name.csv" >/dev/null 2>"$tmp/err"
contains "a code named two ways: the line and the earlier line" "$(cat "$tmp/err")" \
	"$tmp/name.csv:7: CCG_CODE \"16C\" is named \"NHS Somewhere Else CCG\" here but \"NHS Tees Valley CCG\" on line 2"

is "failed imports changed nothing (tree and audit)" \
	"$(q "$DB" "$TREE_SUM") $(q "$DB" "SELECT count(*) FROM audit")" "$SUM2 $AUDITS"

# ---- seed ------------------------------------------------------------------------------

if "$DRIVER" seed "dbname=$DB" 2000 42 >"$tmp/seed1" 2>"$tmp/err"; then
	ok "seed of 2,000 users"
else
	not_ok "seed of 2,000 users" "$(cat "$tmp/err")"
fi

is "seed: the counts printed are the rows stored" \
	"$(q "$DB" "SELECT concat_ws(' ', (SELECT count(*) FROM users), (SELECT count(*) FROM users WHERE NOT enabled), (SELECT count(*) FROM grants), (SELECT count(*) FROM grant_roles), (SELECT count(*) FROM grant_payment_types), (SELECT count(*) FROM grant_clusters), (SELECT count(*) FROM clusters), (SELECT count(*) FROM cluster_members), (SELECT count(*) FROM studies), (SELECT count(*) FROM profile_roles), (SELECT count(*) FROM site_restrictions), (SELECT count(*) FROM restricted_studies), (SELECT count(*) FROM study_access))")" \
	"$(for k in users disabled grants grant_roles grant_payment_types grant_clusters clusters cluster_members studies profile_roles site_restrictions restricted_studies study_access; do count $k "$tmp/seed1"; done | tr '\n' ' ' | sed 's/ $//')"

is "seed: 2,001 users (the demo login too), 100 studies, 20 with access lists" \
	"$(q "$DB" "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM studies), (SELECT count(DISTINCT study_id) FROM study_access)")" \
	"2001|100|20"

# Every invariant of access-model.md section 1, re-checked from the stored rows
# (the triggers of sql/003 already accepted them at commit).
INVARIANTS="WITH RECURSIVE anc (id, anc) AS (
  SELECT id, parent_id FROM organisations WHERE parent_id IS NOT NULL
  UNION ALL SELECT a.id, o.parent_id FROM anc a JOIN organisations o ON o.id = a.anc WHERE o.parent_id IS NOT NULL)
SELECT concat_ws(' ',
 (SELECT count(*) FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id
   WHERE NOT EXISTS (SELECT 1 FROM anc WHERE anc.id = m.org_id AND anc.anc = c.owner_id)),
 (SELECT count(*) FROM grant_clusters gc JOIN grants g ON g.id = gc.grant_id JOIN clusters c ON c.id = gc.cluster_id WHERE c.owner_id <> g.org_id),
 (SELECT count(*) FROM grant_roles gr JOIN roles r ON r.id = gr.role_id WHERE r.domain <> 'organisation'),
 (SELECT count(*) FROM profile_roles p JOIN roles r ON r.id = p.role_id WHERE r.domain <> 'study'),
 (SELECT count(*) FROM study_access a WHERE a.role_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM profile_roles p WHERE p.user_id = a.user_id AND p.role_id = a.role_id)),
 (SELECT count(*) FROM studies s JOIN organisations o ON o.id = s.site_id WHERE NOT o.is_site),
 (SELECT count(*) FROM site_restrictions s JOIN organisations o ON o.id = s.site_id WHERE NOT o.is_site),
 (SELECT count(*) FROM grants g WHERE NOT EXISTS (SELECT 1 FROM grant_roles r WHERE r.grant_id = g.id)),
 (SELECT count(*) FROM users WHERE login !~ '^[a-z0-9][a-z0-9._-]{0,63}\$'),
 (SELECT count(*) FROM clusters WHERE short_name !~ '^[0-9A-F]{10}\$'),
 (SELECT count(*) FROM (SELECT user_id FROM grants GROUP BY user_id HAVING count(*) > 4) x))"
is "seed: every invariant holds" "$(q "$DB" "$INVARIANTS")" "0 0 0 0 0 0 0 0 0 0 0"

is "seed: the demo admin: enabled, System Administrator at nhs, no cluster, every payment type, Study Administrator profile" \
	"$(q "$DB" "SELECT u.enabled, o.code, string_agg(DISTINCT r.name, ','), (SELECT count(*) FROM grant_clusters gc WHERE gc.grant_id = g.id), (SELECT count(*) FROM grant_payment_types p WHERE p.grant_id = g.id), (SELECT string_agg(pr.name, ',') FROM profile_roles p JOIN roles pr ON pr.id = p.role_id WHERE p.user_id = u.id) FROM users u JOIN grants g ON g.user_id = u.id JOIN organisations o ON o.id = g.org_id JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id WHERE u.login = 'admin' GROUP BY u.id, u.enabled, o.code, g.id")" \
	"t|nhs|System Administrator|0|6|Study Administrator"

# Plausible shapes (wide bounds: a seed must not fail them by chance).
is "seed: realistic shape (disabled ~5%, profiles ~40%, grants mostly at practices and View most common, clusters at a third of CCGs, UTF-8 names)" \
	"$(q "$DB" "SELECT concat_ws(' ',
	   (SELECT count(*) FILTER (WHERE NOT enabled) BETWEEN 40 AND 180 FROM users),
	   (SELECT count(DISTINCT user_id) BETWEEN 600 AND 1000 FROM profile_roles),
	   (SELECT count(*) FILTER (WHERE o.is_site) * 2 > count(*) FROM grants g JOIN organisations o ON o.id = g.org_id),
	   (SELECT mode() WITHIN GROUP (ORDER BY r.name) = 'View' FROM grant_roles gr JOIN roles r ON r.id = gr.role_id),
	   (SELECT count(DISTINCT owner_id) BETWEEN 15 AND 60 FROM clusters),
	   (SELECT count(*) > 0 FROM grant_clusters),
	   (SELECT count(*) > 0 FROM site_restrictions WHERE recruitment_only),
	   (SELECT count(*) > 0 FROM users WHERE first_name ~ '[^ -~]' OR last_name ~ '[^ -~]'),
	   (SELECT count(*) = 0 FROM users WHERE created_at < '2014-01-01' OR created_at >= '2025-01-01'))")" \
	"t t t t t t t t t"

is "seed: one audit row" \
	"$(q "$DB" "SELECT count(*), min(target_kind), min(after->>'users'), min(after->>'seed') FROM audit WHERE action = 'seed'")" \
	"1|database|2001|42"

"$DRIVER" seed "dbname=$DB" 10 1 >/dev/null 2>"$tmp/err"
rc=$?
is "seed again: refused (exit 2), nothing added" \
	"$rc $(q "$DB" "SELECT count(*) FROM users")" "2 2001"

# ---- deterministic --------------------------------------------------------------------

LOGINS="SELECT md5(string_agg(login, ',' ORDER BY login)) FROM users"
GRANTS="SELECT md5(string_agg(concat_ws(':', u.login, o.code, (SELECT string_agg(r.name, '+' ORDER BY gr.position) FROM grant_roles gr JOIN roles r ON r.id = gr.role_id WHERE gr.grant_id = g.id), (SELECT string_agg(payment_type, '+' ORDER BY payment_type) FROM grant_payment_types p WHERE p.grant_id = g.id)), ',' ORDER BY g.id)) FROM grants g JOIN users u ON u.id = g.user_id JOIN organisations o ON o.id = g.org_id"
"$DRIVER" import "dbname=$DB2" "$tmp/edited.csv" >/dev/null 2>&1
"$DRIVER" seed "dbname=$DB2" 2000 42 >"$tmp/seed2" 2>"$tmp/err"
is "same seed, another database: the same logins" \
	"$(q "$DB2" "$LOGINS")" "$(q "$DB" "$LOGINS")"
is "same seed: the same grants, in the same order" \
	"$(q "$DB2" "$GRANTS")" "$(q "$DB" "$GRANTS")"
"$DRIVER" import "dbname=$DB3" "$CSV" >/dev/null 2>&1
"$DRIVER" seed "dbname=$DB3" 2000 43 >/dev/null 2>"$tmp/err"
if [ "$(q "$DB3" "$LOGINS")" != "$(q "$DB" "$LOGINS")" ] &&
	[ "$(q "$DB3" "SELECT count(*) FROM users")" = 2001 ]; then
	ok "another seed: other logins"
else
	not_ok "another seed: other logins" "$(cat "$tmp/err")"
fi

"$DRIVER" seed "dbname=$DB3" 5 1 "Bad Login" >/dev/null 2>"$tmp/err"
rc=$?
contains "a bad demo login: refused with the reason" "$rc $(cat "$tmp/err")" \
	"2 seed: demo login \"Bad Login\" is not a valid login"

[ "$n" -eq 35 ] || echo "# planned 35 tests, ran $n"
[ "$failures" -eq 0 ]
