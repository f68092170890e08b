#!/bin/sh
# test_invariants.sh: the database's own refusals (sql/003, sql/004), as TAP.
#
# Usage: test_invariants.sh SQL_DIR
#
# Runs against the server of the PG* environment (the suite runs inside
# pg_virtualenv; by hand: pg_virtualenv sh tests/sql/test_invariants.sh sql).
# Creates its own database ad_inv_PID, applies SQL_DIR/NNN_*.sql in order
# (each in one transaction, as `db migrate` does), loads a small fixture, then:
# every invariant refused with its SQLSTATE and message and the database
# unchanged after, a valid counterpart accepted, the built-in catalogue, the
# version bumps, the notifications, and hostile values stored and returned
# exactly. Values travel as psql variables (-v, :'var'), never pasted into
# SQL. The database is dropped at the end.

set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 SQL_DIR" >&2
	exit 2
fi
sqldir=$1

db=ad_inv_$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ad-inv.XXXXXX") || exit 1
bg_pid=
cleanup() {
	[ -n "$bg_pid" ] && kill "$bg_pid" 2>/dev/null
	dropdb --if-exists "$db" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PGDATABASE=$db
PGCLIENTENCODING=UTF8
export PGDATABASE PGCLIENTENCODING
unset PGOPTIONS

# shellcheck source-path=SCRIPTDIR source=../tap.sh
. "$(dirname "$0")/../tap.sh"


# The statement's output, after a not-ok line.
tap_context() {
	[ -f "$tmp/err" ] && sed 's/^/#   stderr: /' "$tmp/err"
	[ -f "$tmp/out" ] && sed 's/^/#   stdout: /' "$tmp/out"
	return 0
}


# sql [PSQL ARGS...] < SQL: runs standard input; $status, $tmp/out, $tmp/err.
sql() {
	psql -X -q -At -v ON_ERROR_STOP=1 "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# The whole content of every table, as one digest.
fingerprint() {
	psql -X -At -v ON_ERROR_STOP=1 2>/dev/null <<'EOF'
SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
    SELECT 'organisations ' || t::text AS x FROM organisations t
    UNION ALL SELECT 'roles ' || t::text FROM roles t
    UNION ALL SELECT 'actions ' || t::text FROM actions t
    UNION ALL SELECT 'role_actions ' || t::text FROM role_actions t
    UNION ALL SELECT 'payment_types ' || t::text FROM payment_types t
    UNION ALL SELECT 'clusters ' || t::text FROM clusters t
    UNION ALL SELECT 'cluster_members ' || t::text FROM cluster_members t
    UNION ALL SELECT 'users ' || t::text FROM users t
    UNION ALL SELECT 'grants ' || t::text FROM grants t
    UNION ALL SELECT 'grant_roles ' || t::text FROM grant_roles t
    UNION ALL SELECT 'grant_payment_types ' || t::text FROM grant_payment_types t
    UNION ALL SELECT 'grant_clusters ' || t::text FROM grant_clusters t
    UNION ALL SELECT 'studies ' || t::text FROM studies t
    UNION ALL SELECT 'study_access ' || t::text FROM study_access t
    UNION ALL SELECT 'profile_roles ' || t::text FROM profile_roles t
    UNION ALL SELECT 'site_restrictions ' || t::text FROM site_restrictions t
    UNION ALL SELECT 'restricted_studies ' || t::text FROM restricted_studies t
    UNION ALL SELECT 'settings ' || t::text FROM settings t
    UNION ALL SELECT 'audit ' || t::text FROM audit t
    UNION ALL SELECT 'registration_emails ' || t::text FROM registration_emails t
) s;
EOF
}

# refused NAME SQLSTATE FRAGMENT [PSQL ARGS...] < SQL: the SQL, run in one
# transaction, must fail with SQLSTATE and FRAGMENT in the message, and leave
# every table as it was.
refused() {
	name=$1 code=$2 fragment=$3
	shift 3
	before=$(fingerprint)
	{
		printf '\\set VERBOSITY verbose\nBEGIN;\n'
		cat
		printf 'COMMIT;\n'
	} | psql -X -At -v ON_ERROR_STOP=1 "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	after=$(fingerprint)
	if [ "$status" -eq 0 ]; then
		not_ok "$name" "accepted, expected $code"
	elif ! grep -qF "ERROR:  $code: " "$tmp/err"; then
		not_ok "$name" "refused, but not with SQLSTATE $code"
	elif ! grep -qF -- "$fragment" "$tmp/err"; then
		not_ok "$name" "refused without the message: $fragment"
	elif [ -z "$before" ] || [ "$before" != "$after" ]; then
		not_ok "$name" "refused, but the database changed"
	else
		ok "$name"
	fi
}

# accepted NAME [PSQL ARGS...] < SQL: the SQL, run in one transaction,
# must succeed.
accepted() {
	name=$1
	shift
	{
		printf 'BEGIN;\n'
		cat
		printf 'COMMIT;\n'
	} | psql -X -At -v ON_ERROR_STOP=1 "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name" "refused (exit $status)"
	fi
}

# check NAME EXPECTED [PSQL ARGS...] < SQL: the output must be EXPECTED.
check() {
	name=$1 expected=$2
	shift 2
	sql "$@"
	got=$(cat "$tmp/out")
	if [ "$status" -ne 0 ]; then
		not_ok "$name" "failed (exit $status)"
	elif [ "$got" != "$expected" ]; then
		not_ok "$name" "expected: $expected"
	else
		ok "$name"
	fi
}

# ---- the database ---------------------------------------------------------

if ! createdb -E UTF8 -T template0 --locale=C "$db" 2>"$tmp/err"; then
	printf 'Bail out! createdb %s failed: %s\n' "$db" "$(cat "$tmp/err")"
	exit 1
fi

migrations=0
for f in "$sqldir"/[0-9][0-9][0-9]_*.sql; do
	[ -f "$f" ] || continue
	migrations=$((migrations + 1))
	psql -X -q -v ON_ERROR_STOP=1 -1 -f "$f" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 0 ]; then
		ok "migration $(basename "$f") applies in one transaction"
	else
		not_ok "migration $(basename "$f") applies in one transaction" \
			"exit $status"
		printf 'Bail out! the schema did not load\n'
		exit 1
	fi
done
if [ "$migrations" -lt 4 ]; then
	printf 'Bail out! expected 001..004 in %s\n' "$sqldir"
	exit 1
fi

# ---- the built-in catalogue -----------------------------------------------

check "22 actions, in catalogue order, positions 0..21" \
	"22|0|21|org.view users.view users.manage users.manage_study_profile clusters.view clusters.manage orgs.manage reports.run audit.view achievement.view achievement.declare access.grant_any study.view study.configure study.user_management subject.view subject.edit data.entry data.review volunteer.view volunteer.recruit screening.schedule" <<'EOF'
SELECT count(*), min(position), max(position),
       string_agg(name, ' ' ORDER BY position) FROM actions;
EOF

check "actions 0..11 are organisation actions, 12..21 study actions" \
	"organisation|12|0|11
study|10|12|21" <<'EOF'
SELECT domain, count(*), min(position), max(position)
  FROM actions GROUP BY domain ORDER BY domain;
EOF

check "recruitment and payment-qualified actions" \
	"volunteer.view volunteer.recruit screening.schedule|achievement.view achievement.declare" <<'EOF'
SELECT (SELECT string_agg(name, ' ' ORDER BY position) FROM actions WHERE recruitment),
       (SELECT string_agg(name, ' ' ORDER BY position) FROM actions WHERE payment_qualified);
EOF

check "6 payment types, positions 0..5" \
	"6|QOF:0 GPES:1 DES:2 CC:3 VAC:4 LES:5" <<'EOF'
SELECT count(*), string_agg(code || ':' || position, ' ' ORDER BY position)
  FROM payment_types;
EOF

check "9 built-in roles in order, with domain and reach" \
	"1|System Administrator|organisation|subtree
2|Advanced User Administrator|organisation|subtree
3|User Administrator|organisation|organisation
4|View|organisation|subtree
5|Study Administrator|study|subtree
6|Study Coordinator|study|subtree
7|Investigator|study|subtree
8|Data Manager|study|subtree
9|Recruiter|study|subtree" <<'EOF'
SELECT id, name, domain, reach FROM roles WHERE builtin ORDER BY id;
EOF

check "built-in roles' action counts (12 8 5 5 10 4 4 4 3)" \
	"System Administrator:12 Advanced User Administrator:8 User Administrator:5 View:5 Study Administrator:10 Study Coordinator:4 Investigator:4 Data Manager:4 Recruiter:3" <<'EOF'
SELECT string_agg(name || ':' || n, ' ' ORDER BY id) FROM (
    SELECT r.id, r.name, count(ra.action) AS n
      FROM roles r LEFT JOIN role_actions ra ON ra.role_id = r.id
     WHERE r.builtin GROUP BY r.id, r.name) s;
EOF

check "built-in roles' actions as in section 2" \
	"System Administrator: org.view users.view users.manage users.manage_study_profile clusters.view clusters.manage orgs.manage reports.run audit.view achievement.view achievement.declare access.grant_any
Advanced User Administrator: org.view users.view users.manage users.manage_study_profile clusters.view clusters.manage reports.run audit.view
User Administrator: org.view users.view users.manage clusters.view reports.run
View: org.view users.view clusters.view reports.run achievement.view
Study Administrator: study.view study.configure study.user_management subject.view subject.edit data.entry data.review volunteer.view volunteer.recruit screening.schedule
Study Coordinator: study.view study.configure subject.view data.entry
Investigator: study.view subject.view subject.edit data.review
Data Manager: study.view subject.view data.entry data.review
Recruiter: volunteer.view volunteer.recruit screening.schedule" <<'EOF'
SELECT r.name || ': ' || string_agg(a.name, ' ' ORDER BY a.position)
  FROM roles r JOIN role_actions ra ON ra.role_id = r.id
  JOIN actions a ON a.name = ra.action
 WHERE r.builtin GROUP BY r.id, r.name ORDER BY r.id;
EOF

# ---- the fixture ----------------------------------------------------------
#   ROOT > A > A1 > S1 (site)      cluster C61A6DB801 owned by A: A1, A2
#            > A2                  cluster ABCDEF0001 owned by ROOT: S1
#        > B > S2 (site), LEAF     cluster 0000000002 owned by B: (none)
#   R2, X1, Y1, P > Q (roots)
#   admin1@ROOT [System Administrator]; kal738@A [View] QOF, C61A6DB801;
#   user3@B [Custom Org]; user2: profile Investigator, Custom Study, site S1,
#   study ST1 (at S1) with entry user2 as Investigator.

accepted "fixture loads" <<'EOF'
INSERT INTO organisations (code, name) VALUES ('ROOT', 'Root'), ('R2', 'Root 2'),
    ('X1', 'X one'), ('Y1', 'Y one'), ('P', 'P');
INSERT INTO organisations (code, name, parent_id, is_site)
SELECT v.code, v.name, p.id, v.is_site
  FROM (VALUES ('A', 'Org A', 'ROOT', false), ('B', 'Org B', 'ROOT', false),
               ('Q', 'Q', 'P', false)) v (code, name, parent, is_site)
  JOIN organisations p ON p.code = v.parent;
INSERT INTO organisations (code, name, parent_id, is_site)
SELECT v.code, v.name, p.id, v.is_site
  FROM (VALUES ('A1', 'Org A1', 'A', false), ('A2', 'Org A2', 'A', false),
               ('S2', 'Site 2', 'B', true), ('LEAF', 'Leaf', 'B', false))
       v (code, name, parent, is_site)
  JOIN organisations p ON p.code = v.parent;
INSERT INTO organisations (code, name, parent_id, is_site)
SELECT 'S1', 'Site 1', id, true FROM organisations WHERE code = 'A1';

INSERT INTO users (login, first_name, last_name, email, work_phone) VALUES
    ('admin1', 'Ada', 'Admin', 'ada@example.org', '0100'),
    ('kal738', 'Kenneth', 'Alloway', 'kenneth.alloway@nhs.uk', '0315841236'),
    ('user2', 'Uma', 'Two', 'uma@example.org', '0102'),
    ('user3', 'Ugo', 'Three', 'ugo@example.org', '0103');

INSERT INTO roles (name, domain) VALUES ('Custom Org', 'organisation'),
    ('Custom Study', 'study');
INSERT INTO role_actions (role_id, action)
SELECT id, 'org.view' FROM roles WHERE name = 'Custom Org';
INSERT INTO role_actions (role_id, action)
SELECT id, 'study.view' FROM roles WHERE name = 'Custom Study';

INSERT INTO clusters (short_name, name, owner_id)
SELECT v.s, v.n, o.id
  FROM (VALUES ('C61A6DB801', 'Cluster A', 'A'), ('ABCDEF0001', 'Cluster root', 'ROOT'),
               ('0000000002', 'Cluster B', 'B')) v (s, n, owner)
  JOIN organisations o ON o.code = v.owner;
INSERT INTO cluster_members (cluster_id, org_id, position)
SELECT c.id, o.id, v.pos
  FROM (VALUES ('C61A6DB801', 'A1', 0), ('C61A6DB801', 'A2', 1),
               ('ABCDEF0001', 'S1', 0)) v (s, org, pos)
  JOIN clusters c ON c.short_name = v.s JOIN organisations o ON o.code = v.org;

INSERT INTO grants (user_id, org_id)
SELECT u.id, o.id
  FROM (VALUES ('admin1', 'ROOT'), ('kal738', 'A'), ('user3', 'B')) v (login, org)
  JOIN users u ON u.login = v.login JOIN organisations o ON o.code = v.org;
INSERT INTO grant_roles (grant_id, role_id, position)
SELECT g.id, r.id, 0
  FROM (VALUES ('admin1', 'System Administrator'), ('kal738', 'View'),
               ('user3', 'Custom Org')) v (login, role)
  JOIN users u ON u.login = v.login JOIN grants g ON g.user_id = u.id
  JOIN roles r ON r.name = v.role;
INSERT INTO grant_payment_types (grant_id, payment_type)
SELECT g.id, 'QOF' FROM grants g JOIN users u ON u.id = g.user_id
 WHERE u.login = 'kal738';
INSERT INTO grant_clusters (grant_id, cluster_id, position)
SELECT g.id, c.id, 0 FROM grants g JOIN users u ON u.id = g.user_id,
       clusters c
 WHERE u.login = 'kal738' AND c.short_name = 'C61A6DB801';

INSERT INTO studies (code, name, site_id)
SELECT 'ST1', 'Study 1', id FROM organisations WHERE code = 'S1';
INSERT INTO profile_roles (user_id, role_id, position)
SELECT u.id, r.id, r.id FROM users u, roles r
 WHERE u.login = 'user2' AND r.name IN ('Investigator', 'Custom Study');
INSERT INTO site_restrictions (user_id, site_id, position)
SELECT u.id, o.id, 0 FROM users u, organisations o
 WHERE u.login = 'user2' AND o.code = 'S1';
INSERT INTO restricted_studies (user_id, study_id, position)
SELECT u.id, s.id, 0 FROM users u, studies s
 WHERE u.login = 'user2' AND s.code = 'ST1';
INSERT INTO study_access (study_id, user_id, role_id, position)
SELECT s.id, u.id, r.id, 0 FROM studies s, users u, roles r
 WHERE s.code = 'ST1' AND u.login = 'user2' AND r.name = 'Investigator';

INSERT INTO audit (operator, action, target_kind, target)
VALUES ('admin1', 'fixture', 'database', 'test');
EOF
if [ "$status" -ne 0 ]; then
	printf 'Bail out! the fixture did not load\n'
	exit 1
fi

# ---- organisations: no cycle ----------------------------------------------

refused "an organisation cannot be its own parent" AD001 \
	'organisation "A": parent link to "A" would make a cycle' <<'EOF'
UPDATE organisations SET parent_id = id WHERE code = 'A';
EOF

refused "an organisation cannot move under its descendant" AD001 \
	'organisation "ROOT": parent link to "S1" would make a cycle' <<'EOF'
UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'S1')
 WHERE code = 'ROOT';
EOF

refused "a new organisation cannot be its own parent" AD001 \
	'organisation "SELF": parent link to "SELF" would make a cycle' <<'EOF'
INSERT INTO organisations (id, code, name, parent_id) OVERRIDING SYSTEM VALUE
VALUES (999999, 'SELF', 'Self', 999999);
EOF

refused "a cycle made in two steps is refused at commit (deferred)" AD001 \
	'would make a cycle' <<'EOF'
SET CONSTRAINTS ALL DEFERRED;
UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'X1')
 WHERE code = 'Y1';
UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'Y1')
 WHERE code = 'X1';
EOF

accepted "one statement may swap two organisations' places" <<'EOF'
UPDATE organisations
   SET parent_id = CASE code WHEN 'P' THEN (SELECT id FROM organisations WHERE code = 'Q') END
 WHERE code IN ('P', 'Q');
EOF
check "... and the swap is stored" "P|Q
Q|" <<'EOF'
SELECT o.code, coalesce(p.code, '') FROM organisations o
  LEFT JOIN organisations p ON p.id = o.parent_id
 WHERE o.code IN ('P', 'Q') ORDER BY o.code;
EOF

# race NAME SQLSTATE FRAGMENT FIRST SECOND: FIRST runs in a transaction that
# then waits 2 s before it commits; SECOND starts 1 s in. FIRST must commit;
# SECOND, which waits for FIRST and then sees its result, must be refused.
race() {
	name=$1 code=$2 fragment=$3
	printf 'BEGIN;\n%s\nSELECT pg_sleep(2);\nCOMMIT;\n' "$4" |
		psql -X -q -At -v ON_ERROR_STOP=1 >"$tmp/bg.out" 2>"$tmp/bg.err" &
	bg_pid=$!
	sleep 1
	printf '\\set VERBOSITY verbose\nBEGIN;\n%s\nCOMMIT;\n' "$5" |
		psql -X -q -At -v ON_ERROR_STOP=1 >"$tmp/out" 2>"$tmp/err"
	status=$?
	wait "$bg_pid"
	bg_status=$?
	bg_pid=
	if [ "$bg_status" -ne 0 ]; then
		cat "$tmp/bg.err" >>"$tmp/err"
		not_ok "$name" "the first transaction failed"
	elif [ "$status" -eq 0 ]; then
		not_ok "$name" "both transactions committed"
	elif ! grep -qF "ERROR:  $code: $fragment" "$tmp/err"; then
		not_ok "$name" "refused with another error"
	else
		ok "$name"
	fi
}

race "concurrent moves cannot make a cycle" AD001 \
	'organisation "Y1": parent link to "X1" would make a cycle' \
	"UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'Y1') WHERE code = 'X1';" \
	"UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'X1') WHERE code = 'Y1';"

accepted "a cluster K owns, with no member yet" <<'EOF'
INSERT INTO organisations (code, name) VALUES ('K', 'K');
INSERT INTO organisations (code, name, parent_id)
SELECT 'K1', 'K1', id FROM organisations WHERE code = 'K';
INSERT INTO organisations (code, name, parent_id)
SELECT v, v, id FROM organisations, (VALUES ('K2'), ('K3')) k (v) WHERE code = 'K1';
INSERT INTO clusters (short_name, name, owner_id)
SELECT 'FEED000001', 'Cluster K', id FROM organisations WHERE code = 'K';
EOF

race "a move cannot race a new member out of its owner's subtree" AD003 \
	'organisation "K1": the move would take "K2", a member of cluster FEED000001, out of its owner "K"' \
	"INSERT INTO cluster_members (cluster_id, org_id, position) SELECT c.id, o.id, 0 FROM clusters c, organisations o WHERE c.short_name = 'FEED000001' AND o.code = 'K2';" \
	"UPDATE organisations SET parent_id = NULL WHERE code = 'K1';"

race "a new member cannot race a move out of its owner's subtree" AD002 \
	"cluster FEED000001: member \"K3\" is not below the cluster's owner \"K\"" \
	"DELETE FROM cluster_members WHERE cluster_id = (SELECT id FROM clusters WHERE short_name = 'FEED000001'); UPDATE organisations SET parent_id = NULL WHERE code = 'K1';" \
	"INSERT INTO cluster_members (cluster_id, org_id, position) SELECT c.id, o.id, 0 FROM clusters c, organisations o WHERE c.short_name = 'FEED000001' AND o.code = 'K3';"

# ---- organisations: a move keeps cluster members below their owners --------

refused "moving a cluster member out of its owner's subtree" AD003 \
	'organisation "A2": the move would take "A2", a member of cluster C61A6DB801, out of its owner "A"' <<'EOF'
UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'B')
 WHERE code = 'A2';
EOF

refused "moving an ancestor of a cluster member out of the owner's subtree" AD003 \
	'organisation "A": the move would take "S1", a member of cluster ABCDEF0001, out of its owner "ROOT"' <<'EOF'
UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'R2')
 WHERE code = 'A';
EOF

refused "making a cluster member a root takes it out of its owner's subtree" AD003 \
	'organisation "A1": the move would take "' <<'EOF'
UPDATE organisations SET parent_id = NULL WHERE code = 'A1';
EOF

accepted "moving a member within its owner's subtree" <<'EOF'
UPDATE organisations SET parent_id = (SELECT id FROM organisations WHERE code = 'A1')
 WHERE code = 'A2';
EOF

check "... bumps the organisation's version" "2" <<'EOF'
SELECT version FROM organisations WHERE code = 'A2';
EOF

# ---- clusters --------------------------------------------------------------

refused "a cluster's owner cannot be its member" AD002 \
	"cluster C61A6DB801: member \"A\" is not below the cluster's owner \"A\"" <<'EOF'
INSERT INTO cluster_members (cluster_id, org_id, position)
SELECT c.id, o.id, 9 FROM clusters c, organisations o
 WHERE c.short_name = 'C61A6DB801' AND o.code = 'A';
EOF

refused "a cluster member outside the owner's subtree" AD002 \
	"cluster C61A6DB801: member \"B\" is not below the cluster's owner \"A\"" <<'EOF'
INSERT INTO cluster_members (cluster_id, org_id, position)
SELECT c.id, o.id, 9 FROM clusters c, organisations o
 WHERE c.short_name = 'C61A6DB801' AND o.code = 'B';
EOF

refused "a cluster's new owner must be above every member" AD002 \
	"cluster C61A6DB801: member \"A1\" is not below the cluster's owner \"A1\"" <<'EOF'
UPDATE clusters SET owner_id = (SELECT id FROM organisations WHERE code = 'A1')
 WHERE short_name = 'C61A6DB801';
EOF

refused "a selected cluster cannot change owner" AD004 \
	'grant of "kal738" at "A": cannot select cluster C61A6DB801, owned by "ROOT"' <<'EOF'
UPDATE clusters SET owner_id = (SELECT id FROM organisations WHERE code = 'ROOT')
 WHERE short_name = 'C61A6DB801';
EOF

accepted "a strict descendant of the owner becomes a member" <<'EOF'
INSERT INTO cluster_members (cluster_id, org_id, position)
SELECT c.id, o.id, 2 FROM clusters c, organisations o
 WHERE c.short_name = 'C61A6DB801' AND o.code = 'S1';
EOF

accepted "an unselected cluster changes owner, members still below" <<'EOF'
UPDATE clusters SET owner_id = (SELECT id FROM organisations WHERE code = 'A')
 WHERE short_name = 'ABCDEF0001';
EOF

refused "a cluster that a grant selects cannot be deleted" AD005 \
	'cluster C61A6DB801 cannot be deleted: the grants of kal738 select it' <<'EOF'
DELETE FROM clusters WHERE short_name = 'C61A6DB801';
EOF

accepted "a cluster that no grant selects is deleted" <<'EOF'
DELETE FROM clusters WHERE short_name = '0000000002';
EOF

# ---- grants -----------------------------------------------------------------

refused "a grant cannot select a cluster owned elsewhere" AD004 \
	'grant of "user3" at "B": cannot select cluster C61A6DB801, owned by "A"' <<'EOF'
INSERT INTO grant_clusters (grant_id, cluster_id, position)
SELECT g.id, c.id, 0 FROM grants g JOIN users u ON u.id = g.user_id, clusters c
 WHERE u.login = 'user3' AND c.short_name = 'C61A6DB801';
EOF

refused "a grant with selected clusters cannot move to another organisation" AD004 \
	'grant of "kal738" at "B": cannot select cluster C61A6DB801, owned by "A"' <<'EOF'
UPDATE grants SET org_id = (SELECT id FROM organisations WHERE code = 'B')
 WHERE user_id = (SELECT id FROM users WHERE login = 'kal738');
EOF

refused "a grant cannot hold a study role" AD006 \
	'grant of "kal738" at "A": role "Investigator" belongs to the study domain, not the organisation domain' <<'EOF'
INSERT INTO grant_roles (grant_id, role_id, position)
SELECT g.id, r.id, 1 FROM grants g JOIN users u ON u.id = g.user_id, roles r
 WHERE u.login = 'kal738' AND r.name = 'Investigator';
EOF

refused "a grant with no role is refused at commit" AD011 \
	'grant of "user2" at "LEAF" has no role: a grant needs at least one' <<'EOF'
INSERT INTO grants (user_id, org_id)
SELECT u.id, o.id FROM users u, organisations o
 WHERE u.login = 'user2' AND o.code = 'LEAF';
EOF

refused "a grant's last role cannot be removed" AD011 \
	'grant of "user3" at "B" has no role' <<'EOF'
DELETE FROM grant_roles
 WHERE grant_id = (SELECT g.id FROM grants g JOIN users u ON u.id = g.user_id
                    WHERE u.login = 'user3');
EOF

accepted "a grant with a role, a payment type and an owned cluster" <<'EOF'
INSERT INTO grants (user_id, org_id)
SELECT u.id, o.id FROM users u, organisations o
 WHERE u.login = 'user2' AND o.code = 'A';
INSERT INTO grant_roles (grant_id, role_id, position)
SELECT g.id, r.id, 0 FROM grants g JOIN users u ON u.id = g.user_id
  JOIN organisations o ON o.id = g.org_id, roles r
 WHERE u.login = 'user2' AND o.code = 'A' AND r.name = 'View';
INSERT INTO grant_payment_types (grant_id, payment_type)
SELECT g.id, 'GPES' FROM grants g JOIN users u ON u.id = g.user_id
 WHERE u.login = 'user2';
INSERT INTO grant_clusters (grant_id, cluster_id, position)
SELECT g.id, c.id, 0 FROM grants g JOIN users u ON u.id = g.user_id, clusters c
 WHERE u.login = 'user2' AND c.short_name = 'C61A6DB801';
EOF

# ---- study-domain roles -------------------------------------------------------

refused "a profile cannot hold an organisation role" AD006 \
	'profile of "user2": role "View" belongs to the organisation domain, not the study domain' <<'EOF'
INSERT INTO profile_roles (user_id, role_id, position)
SELECT u.id, r.id, 9 FROM users u, roles r WHERE u.login = 'user2' AND r.name = 'View';
EOF

refused "a study access entry cannot use an organisation role" AD006 \
	'study "ST1", entry of "user2": role "View" belongs to the organisation domain, not the study domain' <<'EOF'
UPDATE study_access SET role_id = (SELECT id FROM roles WHERE name = 'View');
EOF

accepted "a study access entry with no role, and one with a study role" <<'EOF'
INSERT INTO study_access (study_id, user_id, role_id, position)
SELECT s.id, u.id, NULL, 1 FROM studies s, users u
 WHERE s.code = 'ST1' AND u.login = 'user3';
INSERT INTO profile_roles (user_id, role_id, position)
SELECT u.id, r.id, 0 FROM users u, roles r WHERE u.login = 'user3' AND r.name = 'Recruiter';
EOF

# ---- roles --------------------------------------------------------------------

refused "a role's action must be of the role's domain" AD007 \
	'role "Custom Org" belongs to the organisation domain: action "study.view" belongs to the study domain' <<'EOF'
INSERT INTO role_actions (role_id, action)
SELECT id, 'study.view' FROM roles WHERE name = 'Custom Org';
EOF

refused "a role cannot change domain away from its actions" AD007 \
	'role "Custom Org" belongs to the study domain: action "org.view" belongs to the organisation domain' <<'EOF'
UPDATE roles SET domain = 'study' WHERE name = 'Custom Org';
EOF

refused "a role held by a grant cannot become a study role (deferred)" AD006 \
	'grant of "user3" at "B": role "Custom Org" belongs to the study domain, not the organisation domain' <<'EOF'
SET CONSTRAINTS ALL DEFERRED;
UPDATE roles SET domain = 'study' WHERE name = 'Custom Org';
DELETE FROM role_actions WHERE role_id = (SELECT id FROM roles WHERE name = 'Custom Org');
INSERT INTO role_actions (role_id, action)
SELECT id, 'study.view' FROM roles WHERE name = 'Custom Org';
EOF

refused "a built-in role cannot be renamed" AD008 \
	'role "View" is a built-in role: it cannot be changed' <<'EOF'
UPDATE roles SET name = 'Viewer' WHERE name = 'View';
EOF

refused "a built-in role cannot be deleted" AD008 \
	'role "Recruiter" is a built-in role: it cannot be deleted' <<'EOF'
DELETE FROM roles WHERE name = 'Recruiter';
EOF

refused "a built-in role's actions cannot be removed" AD008 \
	'role "View" is a built-in role: its actions cannot be changed' <<'EOF'
DELETE FROM role_actions
 WHERE role_id = (SELECT id FROM roles WHERE name = 'View') AND action = 'achievement.view';
EOF

refused "a built-in role's actions cannot be added to" AD008 \
	'role "View" is a built-in role: its actions cannot be changed' <<'EOF'
INSERT INTO role_actions (role_id, action)
SELECT id, 'audit.view' FROM roles WHERE name = 'View';
EOF

refused "no new built-in role" AD008 \
	'role "Fake": built-in roles are created by migrations only' <<'EOF'
INSERT INTO roles (name, domain, builtin) VALUES ('Fake', 'organisation', true);
EOF

refused "TRUNCATE roles is refused" AD008 'TRUNCATE roles refused' <<'EOF'
TRUNCATE roles CASCADE;
EOF

refused "a custom role cannot be renamed to a built-in name" AD009 \
	'role "System Administrator" is a built-in role: a custom role may not take its name' <<'EOF'
UPDATE roles SET name = 'System Administrator' WHERE name = 'Custom Org';
EOF

refused "a custom role cannot take a built-in name" AD009 \
	'role "Recruiter" is a built-in role: a custom role may not take its name' <<'EOF'
INSERT INTO roles (name, domain) VALUES ('Recruiter', 'study');
EOF

refused "a role with no action is refused at commit" AD010 \
	'role "Empty" has no action: a role needs at least one' <<'EOF'
INSERT INTO roles (name, domain) VALUES ('Empty', 'study');
EOF

refused "a role's last action cannot be removed" AD010 \
	'role "Custom Org" has no action' <<'EOF'
DELETE FROM role_actions WHERE role_id = (SELECT id FROM roles WHERE name = 'Custom Org');
EOF

refused "a custom role in use cannot be deleted" AD017 \
	'role "Custom Org" cannot be deleted: it is used by 1 grant' <<'EOF'
DELETE FROM roles WHERE name = 'Custom Org';
EOF

accepted "a custom role with actions, renamed, its actions changed" <<'EOF'
INSERT INTO roles (name, domain, reach) VALUES ('Local Admin', 'organisation', 'organisation');
INSERT INTO role_actions (role_id, action)
SELECT id, a FROM roles, unnest(ARRAY['org.view', 'users.view']) a WHERE name = 'Local Admin';
UPDATE roles SET name = 'Local Administrator' WHERE name = 'Local Admin';
DELETE FROM role_actions
 WHERE role_id = (SELECT id FROM roles WHERE name = 'Local Administrator') AND action = 'users.view';
EOF

check "... bumps the role's version" "2|org.view" <<'EOF'
SELECT r.version, string_agg(ra.action, ' ') FROM roles r
  JOIN role_actions ra ON ra.role_id = r.id
 WHERE r.name = 'Local Administrator' GROUP BY r.version;
EOF

accepted "an unused role changes domain with its actions (deferred)" <<'EOF'
SET CONSTRAINTS ALL DEFERRED;
UPDATE roles SET domain = 'study', reach = 'subtree' WHERE name = 'Local Administrator';
DELETE FROM role_actions WHERE role_id = (SELECT id FROM roles WHERE name = 'Local Administrator');
INSERT INTO role_actions (role_id, action)
SELECT id, 'study.view' FROM roles WHERE name = 'Local Administrator';
EOF

accepted "an unused custom role is deleted with its actions" <<'EOF'
DELETE FROM roles WHERE name = 'Local Administrator';
EOF

# ---- sites --------------------------------------------------------------------

refused "a study's site must be a site" AD012 \
	'study "ST2": organisation "A" is not a site' <<'EOF'
INSERT INTO studies (code, name, site_id)
SELECT 'ST2', 'Study 2', id FROM organisations WHERE code = 'A';
EOF

refused "a study cannot move to an organisation that is not a site" AD012 \
	'study "ST1": organisation "A" is not a site' <<'EOF'
UPDATE studies SET site_id = (SELECT id FROM organisations WHERE code = 'A') WHERE code = 'ST1';
EOF

refused "a site restriction's site must be a site" AD012 \
	'site restriction of "user3": organisation "A" is not a site' <<'EOF'
INSERT INTO site_restrictions (user_id, site_id, position)
SELECT u.id, o.id, 0 FROM users u, organisations o WHERE u.login = 'user3' AND o.code = 'A';
EOF

refused "a site with studies and restrictions stays a site" AD012 \
	'organisation "S1" must stay a site: it is the site of 1 study, and of 1 site restriction' <<'EOF'
UPDATE organisations SET is_site = false WHERE code = 'S1';
EOF

accepted "a study and a site restriction at a site" <<'EOF'
INSERT INTO studies (code, name, site_id)
SELECT 'ST2', 'Study 2', id FROM organisations WHERE code = 'S2';
INSERT INTO site_restrictions (user_id, site_id, recruitment_only, position)
SELECT u.id, o.id, true, 0 FROM users u, organisations o WHERE u.login = 'user3' AND o.code = 'S2';
EOF

accepted "an unused site stops being a site" <<'EOF'
INSERT INTO organisations (code, name, parent_id, is_site)
SELECT 'S9', 'Site 9', id, true FROM organisations WHERE code = 'B';
UPDATE organisations SET is_site = false WHERE code = 'S9';
EOF

# ---- deleting -------------------------------------------------------------------

refused "a user cannot be deleted" AD013 \
	'user "user3" cannot be deleted: users are never deleted' <<'EOF'
DELETE FROM users WHERE login = 'user3';
EOF

refused "TRUNCATE users is refused" AD013 'TRUNCATE users refused' <<'EOF'
TRUNCATE users CASCADE;
EOF

refused "an organisation with children, a grant and a cluster cannot be deleted" AD014 \
	'organisation "A" cannot be deleted: it has 1 child organisation, 2 grants, 2 clusters it owns' <<'EOF'
DELETE FROM organisations WHERE code = 'A';
EOF

refused "an organisation with memberships, a study and a restriction cannot be deleted" AD014 \
	'organisation "S1" cannot be deleted: it has 2 cluster memberships, 1 study, 1 site restriction' <<'EOF'
DELETE FROM organisations WHERE code = 'S1';
EOF

refused "a cluster member cannot be deleted" AD014 \
	'organisation "A2" cannot be deleted: it has 1 cluster membership' <<'EOF'
DELETE FROM organisations WHERE code = 'A2';
EOF

accepted "an organisation that nothing depends on is deleted" <<'EOF'
DELETE FROM organisations WHERE code IN ('LEAF', 'S9');
EOF

refused "the settings row cannot be deleted" AD018 'the settings row cannot be deleted' <<'EOF'
DELETE FROM settings;
EOF

# ---- the catalogue is read-only ---------------------------------------------------

refused "no new action" AD015 'table actions is read-only' <<'EOF'
INSERT INTO actions (name, domain, position) VALUES ('x.y', 'study', 99);
EOF

refused "an action cannot change" AD015 'table actions is read-only' <<'EOF'
UPDATE actions SET recruitment = true WHERE name = 'study.view';
EOF

refused "a payment type cannot be deleted" AD015 'table payment_types is read-only' <<'EOF'
DELETE FROM payment_types WHERE code = 'LES';
EOF

refused "TRUNCATE payment_types is refused" AD015 'table payment_types is read-only' <<'EOF'
TRUNCATE payment_types CASCADE;
EOF

# ---- unique keys ---------------------------------------------------------------------

refused "organisation codes are unique case-insensitively" 23505 \
	'duplicate key value violates unique constraint "organisations_code_key"' <<'EOF'
INSERT INTO organisations (code, name) VALUES ('root', 'Another root');
EOF

accepted "an organisation code differing only in case from nothing else" <<'EOF'
INSERT INTO organisations (code, name) VALUES ('lat04', 'LatOrg04');
EOF

refused "... and LAT04 is then taken" 23505 'organisations_code_key' <<'EOF'
INSERT INTO organisations (code, name) VALUES ('LAT04', 'Another');
EOF

# ---- audit: append-only -----------------------------------------------------------------

refused "audit refuses UPDATE (superuser: trigger)" AD016 'audit is append-only' <<'EOF'
UPDATE audit SET operator = 'someone else';
EOF

refused "audit refuses DELETE (superuser: trigger)" AD016 'audit is append-only' <<'EOF'
DELETE FROM audit;
EOF

refused "audit refuses TRUNCATE (superuser: trigger)" AD016 'audit is append-only' <<'EOF'
TRUNCATE audit;
EOF

sql <<'EOF'
SELECT count(*) FROM pg_roles WHERE rolname = 'accessdesk_console';
EOF
if [ "$(cat "$tmp/out")" = 1 ]; then
	refused "audit refuses UPDATE to the console's role (no privilege)" 42501 \
		'permission denied for table audit' <<'EOF'
SET LOCAL ROLE accessdesk_console;
UPDATE audit SET operator = 'someone else';
EOF
	refused "audit refuses DELETE to the console's role (no privilege)" 42501 \
		'permission denied for table audit' <<'EOF'
SET LOCAL ROLE accessdesk_console;
DELETE FROM audit;
EOF
	refused "audit refuses TRUNCATE to the console's role (no privilege)" 42501 \
		'permission denied for table audit' <<'EOF'
SET LOCAL ROLE accessdesk_console;
TRUNCATE audit;
EOF
	refused "the console's role cannot delete a user either" AD013 \
		'user "kal738" cannot be deleted' <<'EOF'
SET LOCAL ROLE accessdesk_console;
DELETE FROM users WHERE login = 'kal738';
EOF
	refused "audit refuses a raw INSERT to the console's role: records come through audit_record" 42501 \
		'permission denied for table audit' <<'EOF'
SET LOCAL ROLE accessdesk_console;
INSERT INTO audit (operator, action, target_kind, target)
VALUES ('admin1', 'grant.change', 'grant', 'kal738@A');
EOF
	refused "the console's role cannot write the audit chain's head" 42501 \
		'permission denied for table audit_head' <<'EOF'
SET LOCAL ROLE accessdesk_console;
UPDATE audit_head SET seq = 0;
EOF
	accepted "the console's role takes the chain's lock, appends to audit through audit_record and changes a grant" <<'EOF'
SET LOCAL ROLE accessdesk_console;
LOCK TABLE audit_chain_lock IN EXCLUSIVE MODE;
SELECT audit_record('admin1', 'set', 'grant', 'kal738/A', NULL, NULL);
INSERT INTO grant_payment_types (grant_id, payment_type)
SELECT g.id, 'DES' FROM grants g JOIN users u ON u.id = g.user_id WHERE u.login = 'kal738';
EOF
else
	for t in "UPDATE" "DELETE" "TRUNCATE" "user delete" "raw insert" "head" "append"; do
		skip "console role: $t" "no role accessdesk_console"
	done
fi

# ---- versions ---------------------------------------------------------------------------

# Each table's version is read just before its own updates: other
# migrations' triggers may bump a version too (006 keeps users' sort keys).
check "every change bumps versions (organisations, roles, clusters, users, studies, settings)" \
	"organisations +2
roles +1
clusters +1
users +2
studies +1
settings +2" <<'EOF'
SELECT version AS v0 FROM organisations WHERE code = 'B' \gset
UPDATE organisations SET name = 'Org B.' WHERE code = 'B';
UPDATE organisations SET name = 'Org B' WHERE code = 'B';
SELECT 'organisations +' || (version - :v0) FROM organisations WHERE code = 'B';
SELECT version AS v0 FROM roles WHERE name = 'Custom Org' \gset
UPDATE roles SET name = 'Custom Org 2' WHERE name = 'Custom Org';
SELECT 'roles +' || (version - :v0) FROM roles WHERE name = 'Custom Org 2';
SELECT version AS v0 FROM clusters WHERE short_name = 'C61A6DB801' \gset
UPDATE clusters SET description = 'the A cluster' WHERE short_name = 'C61A6DB801';
SELECT 'clusters +' || (version - :v0) FROM clusters WHERE short_name = 'C61A6DB801';
SELECT version AS v0 FROM users WHERE login = 'user3' \gset
UPDATE users SET enabled = false WHERE login = 'user3';
UPDATE users SET enabled = true WHERE login = 'user3';
SELECT 'users +' || (version - :v0) FROM users WHERE login = 'user3';
SELECT version AS v0 FROM studies WHERE code = 'ST1' \gset
UPDATE studies SET name = 'Study one' WHERE code = 'ST1';
SELECT 'studies +' || (version - :v0) FROM studies WHERE code = 'ST1';
SELECT version AS v0 FROM settings \gset
UPDATE settings SET require_site_restrictions = true;
UPDATE settings SET require_site_restrictions = false;
SELECT 'settings +' || (version - :v0) FROM settings;
EOF

check "a client cannot set a version: it is always the old one plus one" "t" <<'EOF'
SELECT version AS v0 FROM users WHERE login = 'user3' \gset
UPDATE users SET version = 100, first_name = 'Ugo' WHERE login = 'user3';
SELECT version = :v0 + 1 FROM users WHERE login = 'user3';
EOF

# ---- notifications ------------------------------------------------------------------------

sql <<'EOF'
LISTEN accessdesk_changed;
INSERT INTO organisations (code, name) VALUES ('N1', 'Notified');
EOF
if [ "$status" -eq 0 ] && grep -qF 'Asynchronous notification "accessdesk_changed" with payload "organisations"' "$tmp/out"; then
	ok "an insert notifies accessdesk_changed with the table's name"
else
	not_ok "an insert notifies accessdesk_changed with the table's name" "no notification"
fi

sql <<'EOF'
LISTEN accessdesk_changed;
UPDATE settings SET require_study_restrictions = require_study_restrictions;
DELETE FROM grant_payment_types WHERE payment_type = 'GPES';
EOF
if [ "$status" -eq 0 ] &&
	grep -qF 'with payload "settings"' "$tmp/out" &&
	grep -qF 'with payload "grant_payment_types"' "$tmp/out"; then
	ok "updates and deletes notify accessdesk_changed"
else
	not_ok "updates and deletes notify accessdesk_changed" "a notification is missing"
fi

sql <<'EOF'
LISTEN accessdesk_changed;
INSERT INTO audit (operator, action, target_kind, target) VALUES ('admin1', 'x', 'y', 'z');
EOF
if [ "$status" -eq 0 ] && ! grep -qF 'Asynchronous notification' "$tmp/out"; then
	ok "writing the audit trail notifies nothing"
else
	not_ok "writing the audit trail notifies nothing" "a notification came, or the insert failed"
fi

sql <<'EOF'
LISTEN accessdesk_registration;
INSERT INTO registration_emails (user_id, email, queued_by)
SELECT id, email, 'admin1' FROM users WHERE login = 'kal738' RETURNING id;
EOF
reg_id=$(grep -E '^[0-9]+$' "$tmp/out" | head -n 1)
if [ "$status" -eq 0 ] && [ -n "$reg_id" ] &&
	grep -qF "Asynchronous notification \"accessdesk_registration\" with payload \"$reg_id\"" "$tmp/out"; then
	ok "a queued registration email notifies accessdesk_registration with its id"
else
	not_ok "a queued registration email notifies accessdesk_registration with its id" "no notification"
fi

# ---- hostile values, through psql variables ----------------------------------------------

q="'"
h_login='o.brien-1'
h_first="O${q}Brien \"Bob\" \\ back\\slash \\n %s %% :x :'x'"
h_last="${q}; DROP TABLE users; --"
h_email="o${q}brien+x@example.org"
h_org='Zoë Ødegård — Ærø'
h_ctl=$(printf 'a\tb\nc\rd\001e\033[31mf\177g')
h_role="Role ${q}q${q} \"dq\" \\ ; DROP TABLE roles; --"

accepted "hostile values are stored" \
	-v login="$h_login" -v first="$h_first" -v last="$h_last" \
	-v email="$h_email" -v org="$h_org" -v ctl="$h_ctl" -v role="$h_role" <<'EOF'
INSERT INTO users (login, first_name, last_name, email, work_phone)
VALUES (:'login', :'first', :'last', :'email', '0123 456');
INSERT INTO users (login, first_name, last_name, email, work_phone)
VALUES ('ctl.user', :'ctl', :'org', 'ctl@example.org', '0123');
INSERT INTO organisations (code, name) VALUES ('HOSTILE', :'org');
INSERT INTO organisations (code, name) VALUES ('CTL', :'ctl');
INSERT INTO roles (name, domain) VALUES (:'role', 'study');
INSERT INTO role_actions (role_id, action) SELECT id, 'study.view' FROM roles WHERE name = :'role';
EOF

check "hostile values compare equal to what was sent" "true|true|true|true|true|true|true" \
	-v login="$h_login" -v first="$h_first" -v last="$h_last" \
	-v email="$h_email" -v org="$h_org" -v ctl="$h_ctl" -v role="$h_role" <<'EOF'
SELECT (SELECT first_name = :'first' AND last_name = :'last' AND email = :'email'
          FROM users WHERE login = :'login')
    || '|' || (SELECT first_name = :'ctl' AND last_name = :'org' FROM users WHERE login = 'ctl.user')
    || '|' || (SELECT name = :'org' FROM organisations WHERE code = 'HOSTILE')
    || '|' || (SELECT name = :'ctl' FROM organisations WHERE code = 'CTL')
    || '|' || (SELECT count(*) = 1 FROM roles WHERE name = :'role')
    || '|' || (to_regclass('users') IS NOT NULL)
    || '|' || (to_regclass('roles') IS NOT NULL);
EOF

# Returned byte for byte: compare the stored bytes with the shell's.
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
check "hostile values are returned byte for byte" \
	"$(hex "$h_first")|$(hex "$h_last")|$(hex "$h_org")|$(hex "$h_ctl")|$(hex "$h_role")" \
	-v login="$h_login" -v role="$h_role" <<'EOF'
SELECT encode(convert_to(first_name, 'UTF8'), 'hex') || '|' ||
       encode(convert_to(last_name, 'UTF8'), 'hex') || '|' ||
       (SELECT encode(convert_to(name, 'UTF8'), 'hex') FROM organisations WHERE code = 'HOSTILE') || '|' ||
       (SELECT encode(convert_to(name, 'UTF8'), 'hex') FROM organisations WHERE code = 'CTL') || '|' ||
       (SELECT encode(convert_to(name, 'UTF8'), 'hex') FROM roles WHERE name = :'role')
  FROM users WHERE login = :'login';
EOF

sql -v login="$h_login" <<'EOF'
SELECT last_name FROM users WHERE login = :'login';
EOF
if [ "$status" -eq 0 ] && [ "$(cat "$tmp/out")" = "$h_last" ]; then
	ok "a hostile value is printed back unchanged"
else
	not_ok "a hostile value is printed back unchanged" "differs"
fi

refused "a refusal names a hostile role exactly" AD010 \
	"role \"$h_role\" has no action" -v role="$h_role" <<'EOF'
DELETE FROM role_actions WHERE role_id = (SELECT id FROM roles WHERE name = :'role');
EOF

# ---- revoking ------------------------------------------------------------------------------

accepted "a grant is revoked with its roles, payment types and clusters" <<'EOF'
DELETE FROM grants WHERE user_id = (SELECT id FROM users WHERE login = 'kal738');
EOF

accepted "a cluster no longer selected is deleted" <<'EOF'
DELETE FROM grants WHERE user_id = (SELECT id FROM users WHERE login = 'user2');
DELETE FROM clusters WHERE short_name = 'C61A6DB801';
EOF

printf '1..%d\n' "$n"
[ "$failures" -eq 0 ]
