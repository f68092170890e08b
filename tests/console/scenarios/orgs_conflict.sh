# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe orgs_conflict "two consoles rename lat05: A (tdi901) opens the \
rename form and types; B (mch112) renames it and saves; A's Submit is \
refused with who changed it and its name now, A's input stays; A's second \
Submit writes A's name over B's"

# Tessa Dinsdale, a System Administrator on nhs, back at work
sql "UPDATE users SET enabled = true WHERE login = 'tdi901'"
session A
operator tdi901
steps '2/<C-u>lat05<Enter>n<C-u>Lat Org Five'
screen <<'EOF'
accessdesk  operator tdi901  database ad_screens_orgs_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Rename Organisation lat05   * indicates required field(s)
Parent             nhs - NHS England
Code *              lat05
Name *             [Lat Org Five                            ]
  [ Submit ]
















^S Submit  Esc Back  F1 Help
-- cursor 5,32
EOF

session B
operator mch112
steps '2/<C-u>lat05<Enter>n<C-u>LatOrg05 North<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  LatOrg04                                                5        4
 └──── lat05  LatOrg05 North                                          1        0









────────────────────────────────────────────────────────────────────────────────
lat05 LatOrg05 North, under nhs NHS England
User Administrators: none
Advanced User Administrators: none
Renamed organisation lat05 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 8,3
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  LatOrg04                                                5        4
 +---- lat05  LatOrg05 North                                          1        0









--------------------------------------------------------------------------------
lat05 LatOrg05 North, under nhs NHS England
User Administrators: none
Advanced User Administrators: none
Renamed organisation lat05 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 8,3
EOF
quit

session A
mask '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}' 'DD/MM/YYYY HH:MM:SS'
steps '<C-s>'
screen <<'EOF'
accessdesk  operator tdi901  database ad_screens_orgs_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Rename Organisation lat05   * indicates required field(s)
Parent             nhs - NHS England
Code *              lat05
Name *             [Lat Org Five                            ]
  [ Submit ]













lat05 was changed by mch112 at DD/MM/YYYY HH:MM:SS (rename) after this form was
read; its name is now "LatOrg05 North". Your input is kept: Submit again to
write yours over it.
^S Submit  Esc Back  F1 Help
-- cursor 5,32
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator tdi901  database ad_screens_orgs_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  LatOrg04                                                5        4
 └──── lat05  Lat Org Five                                            1        0









────────────────────────────────────────────────────────────────────────────────
lat05 Lat Org Five, under nhs NHS England
User Administrators: none
Advanced User Administrators: none
Renamed organisation lat05 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 8,3
EOF
screen C <<'EOF'
accessdesk  operator tdi901  database ad_screens_orgs_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  LatOrg04                                                5        4
 +---- lat05  Lat Org Five                                            1        0









--------------------------------------------------------------------------------
lat05 Lat Org Five, under nhs NHS England
User Administrators: none
Advanced User Administrators: none
Renamed organisation lat05 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 8,3
EOF

check "lat05 is named as A typed it, after B's rename: two audit rows, mch112's then tdi901's" \
	q_is "SELECT (SELECT name FROM organisations WHERE code = 'lat05') || '|' ||
	      string_agg(operator || ':' || action, ' ' ORDER BY id) FROM audit
	      WHERE target_kind = 'organisation' AND target = 'lat05' AND action = 'rename'" \
	"Lat Org Five|mch112:rename tdi901:rename"
