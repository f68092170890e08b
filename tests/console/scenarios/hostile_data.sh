# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe hostile_data "database contents meant to harm a terminal, shown on \
every screen as Matt Cheeseman (System Administrator of nhs): names holding \
ESC [ 2 J (clear the screen), OSC 52 (write the clipboard), OSC 0 (the \
window's title), BS, DEL, CR, LF, C1's CSI, a bidi override (U+202E), \
zero-width characters, combining marks, 200-character values and SQL; on \
the Users list, User Details, Why?, Organisations, Who has access?, the \
clusters and a cluster, Study Configure and Audit with a record's changes, \
each control or invisible character is one '?' and nothing else moves; the \
console's CSV files (r on the Users list and on Who has access?) hold the \
values as stored, with a quote before a would-be formula"

load studies.conf
sql "UPDATE users SET created_at = '2017-03-20 09:00'"
# The values go in by SQL (as if written behind the console's back), each
# through a psql variable; nog200's first name through `user set`, so that
# a record of the trail holds one too.
pg_q "UPDATE users SET last_name = :'kl', first_name = :'kf'
	WHERE login = 'kal738';
	UPDATE users SET last_name = :'ml' WHERE login = 'mch112';
	UPDATE users SET last_name = :'yl' WHERE login = 'xy0001';
	UPDATE organisations SET name = :'sa' WHERE code = 'SITE-A';
	UPDATE users SET last_name = :'gl', first_name = :'gf'
	WHERE login = 'gba204';
	UPDATE users SET last_name = repeat('Long', 50), first_name = :'hf'
	WHERE login = 'hwe500';
	UPDATE organisations SET name = :'on' WHERE code = 'lat04';
	UPDATE organisations SET name = repeat('Comm', 50) WHERE code = 'cgc04';
	UPDATE clusters SET name = :'cn', description = :'cd'
	WHERE short_name = 'C61A6DB801';
	UPDATE studies SET name = :'sn' WHERE code = 'STUDY-B'" \
	-v ml='=HYPERLINK("http://x","y")' \
	-v yl="$(printf 'Yo\342\200\213ung\314\270\357\273\277')" \
	-v sa="$(printf 'Site A\033[5m (Overland Park)\302\205')" \
	-v kl="$(printf 'Allo\033[2Jway\033]52;c;ZXZpbA==\007')" \
	-v kf="$(printf 'Ken\342\200\256neth\342\200\213')" \
	-v gl="$(printf 'Ba\314\201rlow\314\210')" \
	-v gf="$(printf 'Gem\010ma\177\302\23331m')" \
	-v hf="Robert'); DROP TABLE users; --" \
	-v on="$(printf 'Lat\033[31mOrg04\342\200\256')" \
	-v cn="$(printf 'Eastern\033]0;pwned\007 City')" \
	-v cd="$(printf 'line1\nline2\r\033[1A')" \
	-v sn="$(printf 'First\033[2J in \342\200\256human')" >/dev/null ||
	bail "the hostile values: $(cat "$tmp/psql.err")"
"$bin" --config "$tmp/scenario.conf" --operator mch112 user set nog200 \
	--first-name "$(printf 'No\033[2Jra\r')" >/dev/null 2>"$tmp/cli.err" ||
	bail "user set nog200: $(cat "$tmp/cli.err")"
mask '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}' 'DD/MM/YYYY hh:mm:ss'
loader=$(q "SELECT current_user")
mask " $loader +" ' LOADER         '
mask "$tmp" 'TMP'

operator mch112
steps '1'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                    1-18 of 21
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
=HYPERLINK("http:> 1-LAT1, 25X, A> NHSCB-LAT 1> NHSCB-RO 1,> 20/03/2017 Enabled
Adams, Ursula      cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Allo?[2Jway?]52;c> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Bárloẅ, Gem?ma??3> cgc04, lat04, > CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Cruz, Reece                                                  20/03/2017 Enabled
Dee, Stuart                                                  20/03/2017 Enabled
Dinsdale, Tessa    nhs             NHS England               20/03/2017 Disabled
Lee, Stan                                                    20/03/2017 Enabled
LongLongLongLongL> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Manning, Sue                                                 20/03/2017 Enabled
Newman, Nell                                                 20/03/2017 Enabled
Noakes, Pat        cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Nuñez, Zoë         lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Ogden, No?[2Jra?                                             20/03/2017 Enabled
One, Priya                                                   20/03/2017 Enabled
Owens, Cora                                                  20/03/2017 Enabled
Patel, Sita                                                  20/03/2017 Enabled
Porter, Imogen                                               20/03/2017 Enabled

Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                    1-18 of 21
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
=HYPERLINK("http:> 1-LAT1, 25X, A> NHSCB-LAT 1> NHSCB-RO 1,> 20/03/2017 Enabled
Adams, Ursula      cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Allo?[2Jway?]52;c> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Ba?rlow?, Gem?ma?> cgc04, lat04, > CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Cruz, Reece                                                  20/03/2017 Enabled
Dee, Stuart                                                  20/03/2017 Enabled
Dinsdale, Tessa    nhs             NHS England               20/03/2017 Disabled
Lee, Stan                                                    20/03/2017 Enabled
LongLongLongLongL> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Manning, Sue                                                 20/03/2017 Enabled
Newman, Nell                                                 20/03/2017 Enabled
Noakes, Pat        cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Nu?ez, Zo?         lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Ogden, No?[2Jra?                                             20/03/2017 Enabled
One, Priya                                                   20/03/2017 Enabled
Owens, Cora                                                  20/03/2017 Enabled
Patel, Sita                                                  20/03/2017 Enabled
Porter, Imogen                                               20/03/2017 Enabled

Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
steps '/Allo<Enter><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [Kenneth.Alloway@nhs.uk                  ]
Title              < Mr >
First Name *       [Ken?neth?                               ]
Last Name *        [Allo?[2Jway?]52;c;ZXZpbA==?             ]
User ID             kal738
Work Phone *       [0315841236                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - Lat?[31mOrg04?
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - Lat?[31mOrg04?:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.

^S Submit  Esc Back  F1 Help
-- cursor 3,42
EOF
steps '<Esc><Esc>/<C-u><Enter>/Long<Enter><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: hwe500   * indicates required field(s)
Email Address *    [Helen.Weston@nhs.uk                     ]
Title              < Mrs >
First Name *       [Robert'); DROP TABLE users; --          ]
Last Name *        [LongLongLongLongLongLongLongLongLongLon>]
User ID             hwe500
Work Phone *       [0315841242                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - Lat?[31mOrg04?
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - Lat?[31mOrg04?:
Roles                [ ] System Administrator  [x] Advanced User Administrator
                     [ ] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.

^S Submit  Esc Back  F1 Help
-- cursor 3,39
EOF
steps '<Esc>/<C-u>Ba<Enter>w'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? gba204: effective access
gba204 (Bárloẅ, Gem?ma??31m): Enabled
Organisation access
cgc04 -
  CommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCo
  mmCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommComm
  CommCommCommCommCommCommCommCommCommCommComm: View; payment types: QOF
  reaches cgc04 and every organisation below it (no cluster selected)
lat04 - Lat?[31mOrg04?: Advanced User Administrator; payment types: none
  reaches lat04 and every organisation below it (no cluster selected)
man04 - ManOrg04: User Administrator; payment types: none
  reaches man04 and every organisation below it (no cluster selected)
  role User Administrator acts on man04 only
Study access
S-001 (site A01AAA): denied
  no role: cannot log in
+5 studies at sites you may not see




Esc Back  F1 Help
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? gba204: effective access
gba204 (Ba?rlow?, Gem?ma??31m): Enabled
Organisation access
cgc04 -
  CommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCo
  mmCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommCommComm
  CommCommCommCommCommCommCommCommCommCommComm: View; payment types: QOF
  reaches cgc04 and every organisation below it (no cluster selected)
lat04 - Lat?[31mOrg04?: Advanced User Administrator; payment types: none
  reaches lat04 and every organisation below it (no cluster selected)
man04 - ManOrg04: User Administrator; payment types: none
  reaches man04 and every organisation below it (no cluster selected)
  role User Administrator acts on man04 only
Study access
S-001 (site A01AAA): denied
  no role: cannot log in
+5 studies at sites you may not see




Esc Back  F1 Help
-- cursor 3,0
EOF
steps '<Esc>2/lat04<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  Lat?[31mOrg04?                                          5        4
 └──── lat05  LatOrg05                                                1        0









────────────────────────────────────────────────────────────────────────────────
lat04 Lat?[31mOrg04?, under nhs NHS England
User Administrators: Allo?[2Jway?]52;c;ZXZpbA==?, Ken?neth? (kal738)
Advanced User Administrators: Bárloẅ, Gem?ma??31m (gba204); LongLongLongLongLon>

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  Lat?[31mOrg04?                                          5        4
 +---- lat05  LatOrg05                                                1        0









--------------------------------------------------------------------------------
lat04 Lat?[31mOrg04?, under nhs NHS England
User Administrators: Allo?[2Jway?]52;c;ZXZpbA==?, Ken?neth? (kal738)
Advanced User Administrators: Ba?rlow?, Gem?ma??31m (gba204); LongLongLongLongL>

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF
steps 'w'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 Lat?[31mOrg04?
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
=HYPERLINK("http:/> mch112  lat04    View                        here
=HYPERLINK("http:/> mch112  nhs      System Administra> QOF, GP> above
Allo?[2Jway?]52;c;> kal738  lat04    User Administrato> QOF, DES here
Bárloẅ, Gem?ma??31m gba204  lat04    Advanced User Adm>          here
LongLongLongLongLo> hwe500  lat04    Advanced User Adm> QOF, DES here









────────────────────────────────────────────────────────────────────────────────
mch112 =HYPERLINK("http://x","y"), Matt: grant at lat04, View; payment types: n>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 Lat?[31mOrg04?
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
=HYPERLINK("http:/> mch112  lat04    View                        here
=HYPERLINK("http:/> mch112  nhs      System Administra> QOF, GP> above
Allo?[2Jway?]52;c;> kal738  lat04    User Administrato> QOF, DES here
Ba?rlow?, Gem?ma??> gba204  lat04    Advanced User Adm>          here
LongLongLongLongLo> hwe500  lat04    Advanced User Adm> QOF, DES here









--------------------------------------------------------------------------------
mch112 =HYPERLINK("http://x","y"), Matt: grant at lat04, View; payment types: n>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
rm -f "$tmp/who.csv"
steps "r<C-u>$tmp/who.csv<Enter>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 Lat?[31mOrg04?
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
=HYPERLINK("http:/> mch112  lat04    View                        here
=HYPERLINK("http:/> mch112  nhs      System Administra> QOF, GP> above
Allo?[2Jway?]52;c;> kal738  lat04    User Administrato> QOF, DES here
Bárloẅ, Gem?ma??31m gba204  lat04    Advanced User Adm>          here
LongLongLongLongLo> hwe500  lat04    Advanced User Adm> QOF, DES here









────────────────────────────────────────────────────────────────────────────────
mch112 =HYPERLINK("http://x","y"), Matt: grant at lat04, View; payment types: n>
Access from grant here
Wrote 5 rows to TMP/who.csv.
F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 Lat?[31mOrg04?
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
=HYPERLINK("http:/> mch112  lat04    View                        here
=HYPERLINK("http:/> mch112  nhs      System Administra> QOF, GP> above
Allo?[2Jway?]52;c;> kal738  lat04    User Administrato> QOF, DES here
Ba?rlow?, Gem?ma??> gba204  lat04    Advanced User Adm>          here
LongLongLongLongLo> hwe500  lat04    Advanced User Adm> QOF, DES here









--------------------------------------------------------------------------------
mch112 =HYPERLINK("http://x","y"), Matt: grant at lat04, View; payment types: n>
Access from grant here
Wrote 5 rows to TMP/who.csv.
F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
steps '<Esc>3'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - Lat?[31mOrg04?                                         4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern?]0;pwned? City            line1?line2??[1A      1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










────────────────────────────────────────────────────────────────────────────────
C61A6DB801 Eastern?]0;pwned? City, owned by lat04: line1?line2??[1A
Members: A01AAA SvcProviderA01
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - Lat?[31mOrg04?                                         4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern?]0;pwned? City            line1?line2??[1A      1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










--------------------------------------------------------------------------------
C61A6DB801 Eastern?]0;pwned? City, owned by lat04: line1?line2??[1A
Members: A01AAA SvcProviderA01
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
steps '/C61<Enter><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801   * indicates required field(s)
Owner              lat04 - Lat?[31mOrg04?
Short Name         C61A6DB801
Name *             [Eastern?]0;pwned? City                  ]
Description        [line1?line2??[1A                        ]
Members            1 organisation
  [x] A01AAA - SvcProviderA01
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]
  [ Delete Cluster ]










^S Continue  Esc Back  F1 Help
-- cursor 5,42
EOF
steps '<Esc>5'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                           1-18 of 33
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss LOADER         update settings      settings
DD/MM/YYYY hh:mm:ss LOADER         create role          Role Y
DD/MM/YYYY hh:mm:ss LOADER         create role          Role X
DD/MM/YYYY hh:mm:ss LOADER         create user          znu300
DD/MM/YYYY hh:mm:ss LOADER         create user          uad400
DD/MM/YYYY hh:mm:ss LOADER         create user          hwe500
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
DD/MM/YYYY hh:mm:ss LOADER         create organisation  lat05
DD/MM/YYYY hh:mm:ss LOADER         create organisation  G00002

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Audit record 57
Record    57
Time      DD/MM/YYYY hh:mm:ss
Operator  postgres
Action    update
Kind      settings
Target    settings
Changed: old -> new, + added, - removed
No field changed: before and after are the same.












Esc Back  F1 Help
-- cursor 3,0
EOF
rm -f "$tmp/users.csv"
steps "<Esc>1/<C-u><Enter>r<C-u>$tmp/users.csv<Enter>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                    1-18 of 21
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
=HYPERLINK("http:> 1-LAT1, 25X, A> NHSCB-LAT 1> NHSCB-RO 1,> 20/03/2017 Enabled
Adams, Ursula      cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Allo?[2Jway?]52;c> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Bárloẅ, Gem?ma??3> cgc04, lat04, > CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Cruz, Reece                                                  20/03/2017 Enabled
Dee, Stuart                                                  20/03/2017 Enabled
Dinsdale, Tessa    nhs             NHS England               20/03/2017 Disabled
Lee, Stan                                                    20/03/2017 Enabled
LongLongLongLongL> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Manning, Sue                                                 20/03/2017 Enabled
Newman, Nell                                                 20/03/2017 Enabled
Noakes, Pat        cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Nuñez, Zoë         lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Ogden, No?[2Jra?                                             20/03/2017 Enabled
One, Priya                                                   20/03/2017 Enabled
Owens, Cora                                                  20/03/2017 Enabled
Patel, Sita                                                  20/03/2017 Enabled
Porter, Imogen                                               20/03/2017 Enabled
Wrote 23 rows to TMP/users.csv.
Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                    1-18 of 21
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
=HYPERLINK("http:> 1-LAT1, 25X, A> NHSCB-LAT 1> NHSCB-RO 1,> 20/03/2017 Enabled
Adams, Ursula      cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Allo?[2Jway?]52;c> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Ba?rlow?, Gem?ma?> cgc04, lat04, > CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Cruz, Reece                                                  20/03/2017 Enabled
Dee, Stuart                                                  20/03/2017 Enabled
Dinsdale, Tessa    nhs             NHS England               20/03/2017 Disabled
Lee, Stan                                                    20/03/2017 Enabled
LongLongLongLongL> lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Manning, Sue                                                 20/03/2017 Enabled
Newman, Nell                                                 20/03/2017 Enabled
Noakes, Pat        cgc04           CommCommCom> Lat?[31mOrg> 20/03/2017 Enabled
Nu?ez, Zo?         lat04           Lat?[31mOrg> NHS England  20/03/2017 Enabled
Ogden, No?[2Jra?                                             20/03/2017 Enabled
One, Priya                                                   20/03/2017 Enabled
Owens, Cora                                                  20/03/2017 Enabled
Patel, Sita                                                  20/03/2017 Enabled
Porter, Imogen                                               20/03/2017 Enabled
Wrote 23 rows to TMP/users.csv.
Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
operator coo001
steps '4pSTUDY-B<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - First?[2J in ?human                                    1-3 of 3
Site: SITE-A - Site A?[5m (Overland Park)?
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Yo?ung̸?, Xavier              Role X









────────────────────────────────────────────────────────────────────────────────
sta001 Lee, Stan: this entry denies access (its role has left the profile)
study role no longer in the user's profile (Recruiter in STUDY-B)
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_hostile_data  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - First?[2J in ?human                                    1-3 of 3
Site: SITE-A - Site A?[5m (Overland Park)?
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Yo?ung??, Xavier             Role X









--------------------------------------------------------------------------------
sta001 Lee, Stan: this entry denies access (its role has left the profile)
study role no longer in the user's profile (Recruiter in STUDY-B)
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

# The files hold the values as stored, but for the quote before a formula
# (each row's start: its User ID, then the name).
esc=$(printf '\033')
long=$(q "SELECT repeat('Long', 50)")
file_has() {
	grep -qF -e "$2" "$tmp/$1" && return 0
	# as sed's l shows them: no control character reaches the log
	printf '%s\n' "$2" | sed -n 'l;1s/.*/lacks that; it holds:/p'
	sed -n l "$tmp/$1"
	return 1
}
files_hold() {
	file_has who.csv "kal738,\"Allo${esc}[2Jway${esc}]52;c;ZXZpbA==$(printf '\007'), $(printf 'Ken\342\200\256neth\342\200\213')\",lat04," &&
	file_has who.csv "gba204,\"$(printf 'Ba\314\201rlow\314\210, Gem\010ma\177\302\23331m')\",lat04," &&
	file_has who.csv "mch112,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), Matt\",lat04," &&
	file_has users.csv "kal738,Allo${esc}[2Jway${esc}]52;c;ZXZpbA==$(printf '\007'),$(printf 'Ken\342\200\256neth\342\200\213'),Kenneth.Alloway@nhs.uk," &&
	file_has users.csv "hwe500,$long,Robert'); DROP TABLE users; --,Helen.Weston@nhs.uk," &&
	file_has users.csv "mch112,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Matt,"
}
check "r's files (Who has access? and the Users list) hold each value as \
stored, control characters and all, and a formula behind a quote" files_hold
# a console started with --exact-csv writes the values as stored
rm -f "$tmp/exact.csv"
operator mch112 --exact-csv
steps "r<C-u>$tmp/exact.csv<Enter>"
check "with --exact-csv, r writes the formula as stored, with no quote" \
	file_has exact.csv "mch112,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Matt,"
check "nothing was written but nog200's first name" q_is \
	"SELECT count(*) FROM audit WHERE operator = 'mch112'" 1
