# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe who "Who has access? as Matt Cheeseman: the seed's sentence, a \
user assigned to a cluster may only access the organisations listed in the \
cluster(s) along with their descendants: on G00001 (below man04, a member \
of 873CF39E1C) Zoë Nuñez is listed citing the cluster and the member; on \
lat04 (her grant's own organisation) she is not; narrowed to users.manage \
only the administrators stay; r writes the CSV with where each access \
comes from"

operator mch112
steps '2/<C-u>G00001<Enter>w/<C-u>Nu<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to G00001 GP
Action: any organisation action   5 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    View               QOF, DES above
Barlow, Gemma       gba204  cgc04    View               QOF      above
Barlow, Gemma       gba204  lat04    Advanced User Adm>          above
Cheeseman, Matt     mch112  G00001   View                        here
Cheeseman, Matt     mch112  cgc04    View                        above
Cheeseman, Matt     mch112  lat04    View                        above
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Nuñez, Zoë          znu300  lat04    View               QOF      cluster 873CF3>
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES above





────────────────────────────────────────────────────────────────────────────────
znu300 Nuñez, Zoë: grant at lat04, View; payment types: QOF
Access from cluster 873CF39E1C, member man04

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 12,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to G00001 GP
Action: any organisation action   5 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    View               QOF, DES above
Barlow, Gemma       gba204  cgc04    View               QOF      above
Barlow, Gemma       gba204  lat04    Advanced User Adm>          above
Cheeseman, Matt     mch112  G00001   View                        here
Cheeseman, Matt     mch112  cgc04    View                        above
Cheeseman, Matt     mch112  lat04    View                        above
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Nu?ez, Zo?          znu300  lat04    View               QOF      cluster 873CF3>
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES above





--------------------------------------------------------------------------------
znu300 Nu?ez, Zo?: grant at lat04, View; payment types: QOF
Access from cluster 873CF39E1C, member man04

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 12,0
EOF
steps '<Esc>/<C-u>lat04<Enter>w'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrato> QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  lat04    View                        here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here









────────────────────────────────────────────────────────────────────────────────
kal738 Alloway, Kenneth: grant at lat04, User Administrator, View; payment type>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrato> QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  lat04    View                        here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here









--------------------------------------------------------------------------------
kal738 Alloway, Kenneth: grant at lat04, User Administrator, View; payment type>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
# narrowed to one action, from the list of actions
steps 'Fusers.manage<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: users.manage   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrator QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here










────────────────────────────────────────────────────────────────────────────────
kal738 Alloway, Kenneth: grant at lat04, User Administrator; payment types: QOF>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: users.manage   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrator QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here










--------------------------------------------------------------------------------
kal738 Alloway, Kenneth: grant at lat04, User Administrator; payment types: QOF>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
mask "$tmp" TMP
steps "r<C-u>$tmp/who.csv<Enter>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: users.manage   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrator QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here










────────────────────────────────────────────────────────────────────────────────
kal738 Alloway, Kenneth: grant at lat04, User Administrator; payment types: QOF>
Access from grant here
Wrote 4 rows to TMP/who.csv.
F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: users.manage   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrator QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here










--------------------------------------------------------------------------------
kal738 Alloway, Kenneth: grant at lat04, User Administrator; payment types: QOF>
Access from grant here
TMP/who.csv exists: replace it? (y/n)
F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 22,59
EOF

check "the CSV holds the header and a row per access listed, with where it comes from" \
	is "$(head -n 2 "$tmp/who.csv" | tr -d '\r')" \
	"User ID,Name,Organisation ID,Roles,Payment Types,Cluster,Member,Access From
kal738,\"Alloway, Kenneth\",lat04,User Administrator,\"QOF, DES\",,,grant here"
