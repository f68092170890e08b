# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe audit "tab 5, Audit, as Matt Cheeseman (System Administrator of \
nhs: every record): a grant changed and a user's details changed from the \
command line, another operator's grant change, a cluster renamed and given \
a member in the console; the trail newest first; filtered by Target, \
Kind, Operator and dates (a bad date said with its place and the forms \
allowed; To takes in the whole of a day given alone), the filters shown \
above the list and cleared with c; the grant's change and the cluster's \
shown field by field, only what changed, old beside new; a change the \
database announces comes in above at the top of the list, the cursor \
staying on its record, and further down the page stays as it was"

# a change from the command line, as LOGIN (its output is not the test's)
audit_cli() {
	audit_login_=$1
	shift
	"$bin" --config "$tmp/scenario.conf" --operator "$audit_login_" "$@" \
		>/dev/null 2>"$tmp/audit_cli.err" ||
		bail "accessdesk $*: $(cat "$tmp/audit_cli.err")"
}

audit_cli mch112 grant set kal738 lat04 --roles 'User Administrator' \
	--payment-types QOF,GPES --clusters C61A6DB801
audit_cli mch112 user set kal738 --email Ken.Alloway@nhs.uk --mobile-phone 07700900123
audit_cli gba204 grant set znu300 lat04 --roles View --payment-types QOF,DES
today=$(q "SELECT to_char(now(), 'DD/MM/YYYY')")
mask '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}' 'DD/MM/YYYY hh:mm:ss'
mask "$today" 'dd/mm/yyyy'
# db load's records are written as the database's user: its place
loader=$(q "SELECT current_user")
mask " $loader +" ' LOADER         '

operator mch112
# the cluster C61A6DB801 renamed, B01BBB added to its members
steps '3/C61<Enter><Enter><C-g>Name *<Enter><C-u>Eastern City Surgeries<C-g>Add / Remove<Enter><Enter>/B01<Enter><Space><Enter><C-s>y'
steps '5'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                           1-18 of 35
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         update cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss gba204         set grant            znu300/lat04
DD/MM/YYYY hh:mm:ss mch112         update user          kal738
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04
DD/MM/YYYY hh:mm:ss LOADER         create user          znu300
DD/MM/YYYY hh:mm:ss LOADER         create user          uad400
DD/MM/YYYY hh:mm:ss LOADER         create user          hwe500
DD/MM/YYYY hh:mm:ss LOADER         create user          nog200
DD/MM/YYYY hh:mm:ss LOADER         create user          pno100
DD/MM/YYYY hh:mm:ss LOADER         create user          tdi901
DD/MM/YYYY hh:mm:ss LOADER         create user          mch112
DD/MM/YYYY hh:mm:ss LOADER         create user          gba204
DD/MM/YYYY hh:mm:ss LOADER         create user          kal738
DD/MM/YYYY hh:mm:ss LOADER         create study         S-001
DD/MM/YYYY hh:mm:ss LOADER         create cluster       B089991938
DD/MM/YYYY hh:mm:ss LOADER         create cluster       E92654EEF7
DD/MM/YYYY hh:mm:ss LOADER         create cluster       873CF39E1C
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
# Target: kal738's records (the grant's target is login/ORG)
steps 'Fkal738<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: Target kal738                                                  1-3 of 3
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         update user          kal738
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04
DD/MM/YYYY hh:mm:ss LOADER         create user          kal738
















Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
# and Kind: grant, picked from the kinds
steps 'F<C-g>Kind<Enter><Enter>grant<Enter><C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: Target kal738  Kind grant                                      1-1 of 1
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04


















Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Audit record 32
Record    32
Time      DD/MM/YYYY hh:mm:ss
Operator  mch112
Action    set
Kind      grant
Target    kal738/lat04
Changed: old -> new, + added, - removed
Grant lat04: Roles         - View
Grant lat04: Payment Type  + GPES
Grant lat04: Payment Type  - DES
Grant lat04: Cluster(s)    + C61A6DB801









Esc Back  F1 Help
-- cursor 3,0
EOF
steps '<Esc>c'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                           1-18 of 35
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         update cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss gba204         set grant            znu300/lat04
DD/MM/YYYY hh:mm:ss mch112         update user          kal738
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04
DD/MM/YYYY hh:mm:ss LOADER         create user          znu300
DD/MM/YYYY hh:mm:ss LOADER         create user          uad400
DD/MM/YYYY hh:mm:ss LOADER         create user          hwe500
DD/MM/YYYY hh:mm:ss LOADER         create user          nog200
DD/MM/YYYY hh:mm:ss LOADER         create user          pno100
DD/MM/YYYY hh:mm:ss LOADER         create user          tdi901
DD/MM/YYYY hh:mm:ss LOADER         create user          mch112
DD/MM/YYYY hh:mm:ss LOADER         create user          gba204
DD/MM/YYYY hh:mm:ss LOADER         create user          kal738
DD/MM/YYYY hh:mm:ss LOADER         create study         S-001
DD/MM/YYYY hh:mm:ss LOADER         create cluster       B089991938
DD/MM/YYYY hh:mm:ss LOADER         create cluster       E92654EEF7
DD/MM/YYYY hh:mm:ss LOADER         create cluster       873CF39E1C
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801
Filters cleared: every record you may read is listed.
Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
# Operator: gba204's one change, and its record
steps 'F<C-g>Operator<Enter>gba204<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: Operator gba204                                                1-1 of 1
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss gba204         set grant            znu300/lat04


















Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Audit record 34
Record    34
Time      DD/MM/YYYY hh:mm:ss
Operator  gba204
Action    set
Kind      grant
Target    znu300/lat04
Changed: old -> new, + added, - removed
Grant lat04: Payment Type  + DES
Grant lat04: Cluster(s)    - C61A6DB801, 873CF39E1C











Esc Back  F1 Help
-- cursor 3,0
EOF
# Kind cluster: the rename is the newest
steps '<Esc>cF<C-g>Kind<Enter><Enter>cluster<Enter><C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: Kind cluster                                                   1-5 of 5
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         update cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss LOADER         create cluster       B089991938
DD/MM/YYYY hh:mm:ss LOADER         create cluster       E92654EEF7
DD/MM/YYYY hh:mm:ss LOADER         create cluster       873CF39E1C
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801














Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Audit record 35
Record    35
Time      DD/MM/YYYY hh:mm:ss
Operator  mch112
Action    update
Kind      cluster
Target    C61A6DB801
Changed: old -> new, + added, - removed
Name     Eastern City Practices -> Eastern City Surgeries
Members  + B01BBB











Esc Back  F1 Help
-- cursor 3,0
EOF
# dates: a day that is none, said with its place
steps '<Esc>cF<C-g>From<Enter>31/02/2026<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filter the audit trail   (empty: not filtered)
Target     [                                        ]
Operator   [                                        ]
Kind       < any >
From       [31/02/2026          ]
To         [                    ]
  Kind: Enter picks from a list, Left/Right step.
  Dates: DD/MM/YYYY or YYYY-MM-DD, then HH:MM if wanted;
  a date alone as To takes in that day.
  [ Apply ]










From: "31/02/2026" is not a date: DD/MM/YYYY or YYYY-MM-DD, with HH:MM
^S Apply  Esc Back  F1 Help
-- cursor 6,22
EOF
# from 2000 to today (a date alone: the whole of today)
steps "<C-u>2000-01-01<C-g>To<Enter>$today<C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: From 2000-01-01  To dd/mm/yyyy                               1-18 of 35
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         update cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss gba204         set grant            znu300/lat04
DD/MM/YYYY hh:mm:ss mch112         update user          kal738
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04
DD/MM/YYYY hh:mm:ss LOADER         create user          znu300
DD/MM/YYYY hh:mm:ss LOADER         create user          uad400
DD/MM/YYYY hh:mm:ss LOADER         create user          hwe500
DD/MM/YYYY hh:mm:ss LOADER         create user          nog200
DD/MM/YYYY hh:mm:ss LOADER         create user          pno100
DD/MM/YYYY hh:mm:ss LOADER         create user          tdi901
DD/MM/YYYY hh:mm:ss LOADER         create user          mch112
DD/MM/YYYY hh:mm:ss LOADER         create user          gba204
DD/MM/YYYY hh:mm:ss LOADER         create user          kal738
DD/MM/YYYY hh:mm:ss LOADER         create study         S-001
DD/MM/YYYY hh:mm:ss LOADER         create cluster       B089991938
DD/MM/YYYY hh:mm:ss LOADER         create cluster       E92654EEF7
DD/MM/YYYY hh:mm:ss LOADER         create cluster       873CF39E1C
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
# to noon on the first of January 2000: nothing
steps "F<C-g>From<Enter><C-g>To<Enter><C-u>01/01/2000 12:00<C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: From 2000-01-01  To 01/01/2000 12:00                         no records
Time                Operator       What                 Target
No audit record matches the filters (c clears them).


















Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
# announced changes: at the top the new record comes in above, the
# cursor staying on the record it was on
steps 'cj'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                           1-18 of 35
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         update cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss gba204         set grant            znu300/lat04
DD/MM/YYYY hh:mm:ss mch112         update user          kal738
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04
DD/MM/YYYY hh:mm:ss LOADER         create user          znu300
DD/MM/YYYY hh:mm:ss LOADER         create user          uad400
DD/MM/YYYY hh:mm:ss LOADER         create user          hwe500
DD/MM/YYYY hh:mm:ss LOADER         create user          nog200
DD/MM/YYYY hh:mm:ss LOADER         create user          pno100
DD/MM/YYYY hh:mm:ss LOADER         create user          tdi901
DD/MM/YYYY hh:mm:ss LOADER         create user          mch112
DD/MM/YYYY hh:mm:ss LOADER         create user          gba204
DD/MM/YYYY hh:mm:ss LOADER         create user          kal738
DD/MM/YYYY hh:mm:ss LOADER         create study         S-001
DD/MM/YYYY hh:mm:ss LOADER         create cluster       B089991938
DD/MM/YYYY hh:mm:ss LOADER         create cluster       E92654EEF7
DD/MM/YYYY hh:mm:ss LOADER         create cluster       873CF39E1C
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 5,0
EOF
audit_cli mch112 user set kal738 --work-phone 0315841299
steps '<Notified>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                           1-18 of 36
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         update user          kal738
DD/MM/YYYY hh:mm:ss mch112         update cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss gba204         set grant            znu300/lat04
DD/MM/YYYY hh:mm:ss mch112         update user          kal738
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04
DD/MM/YYYY hh:mm:ss LOADER         create user          znu300
DD/MM/YYYY hh:mm:ss LOADER         create user          uad400
DD/MM/YYYY hh:mm:ss LOADER         create user          hwe500
DD/MM/YYYY hh:mm:ss LOADER         create user          nog200
DD/MM/YYYY hh:mm:ss LOADER         create user          pno100
DD/MM/YYYY hh:mm:ss LOADER         create user          tdi901
DD/MM/YYYY hh:mm:ss LOADER         create user          mch112
DD/MM/YYYY hh:mm:ss LOADER         create user          gba204
DD/MM/YYYY hh:mm:ss LOADER         create user          kal738
DD/MM/YYYY hh:mm:ss LOADER         create study         S-001
DD/MM/YYYY hh:mm:ss LOADER         create cluster       B089991938
DD/MM/YYYY hh:mm:ss LOADER         create cluster       E92654EEF7
DD/MM/YYYY hh:mm:ss LOADER         create cluster       873CF39E1C

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 6,0
EOF
# a page further down stays as it was, its place moved by one
steps ' '
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                          19-36 of 36
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat05
DD/MM/YYYY hh:mm:ss LOADER         create organisation  G00002
DD/MM/YYYY hh:mm:ss LOADER         create organisation  C01CCC
DD/MM/YYYY hh:mm:ss LOADER         create organisation  B01BBB
DD/MM/YYYY hh:mm:ss LOADER         create organisation  A01AAA
DD/MM/YYYY hh:mm:ss LOADER         create organisation  G00001
DD/MM/YYYY hh:mm:ss LOADER         create organisation  man04
DD/MM/YYYY hh:mm:ss LOADER         create organisation  cgc04
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat04
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat02
DD/MM/YYYY hh:mm:ss LOADER         create organisation  D01DDD
DD/MM/YYYY hh:mm:ss LOADER         create organisation  cgc01
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat01
DD/MM/YYYY hh:mm:ss LOADER         create organisation  25X
DD/MM/YYYY hh:mm:ss LOADER         create organisation  1-LAT1
DD/MM/YYYY hh:mm:ss LOADER         create organisation  ro1
DD/MM/YYYY hh:mm:ss LOADER         create organisation  nhs

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
audit_cli mch112 user set kal738 --work-phone 0315841298
steps '<Notified>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_audit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                          20-37 of 37
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat05
DD/MM/YYYY hh:mm:ss LOADER         create organisation  G00002
DD/MM/YYYY hh:mm:ss LOADER         create organisation  C01CCC
DD/MM/YYYY hh:mm:ss LOADER         create organisation  B01BBB
DD/MM/YYYY hh:mm:ss LOADER         create organisation  A01AAA
DD/MM/YYYY hh:mm:ss LOADER         create organisation  G00001
DD/MM/YYYY hh:mm:ss LOADER         create organisation  man04
DD/MM/YYYY hh:mm:ss LOADER         create organisation  cgc04
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat04
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat02
DD/MM/YYYY hh:mm:ss LOADER         create organisation  D01DDD
DD/MM/YYYY hh:mm:ss LOADER         create organisation  cgc01
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat01
DD/MM/YYYY hh:mm:ss LOADER         create organisation  25X
DD/MM/YYYY hh:mm:ss LOADER         create organisation  1-LAT1
DD/MM/YYYY hh:mm:ss LOADER         create organisation  ro1
DD/MM/YYYY hh:mm:ss LOADER         create organisation  nhs

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
check "the changes made here are the records written, in order" \
	q_is "SELECT string_agg(operator || ' ' || action || ' ' || target_kind, ', ' ORDER BY seq) FROM audit WHERE operator IN ('mch112', 'gba204')" 'mch112 set grant, mch112 update user, gba204 set grant, mch112 update cluster, mch112 update user, mch112 update user'
