# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe hostile_input "hostile input typed into the forms as Matt \
Cheeseman (System Administrator of nhs): on User Details, the \
Organisations tab's Add child and Rename, and Add New Cluster, a \
character past a field's length is refused as it is typed, with the \
field's name and its limit; a value breaking a field's rule (an email \
with a space, a phone or a code with SQL in it) is refused on Submit, \
naming the field and the rule, and nothing is written; SQL \
metacharacters in a name are stored exactly; control keys with no \
meaning in a field do nothing, and a paste's control characters (ESC, \
BEL, TAB, CR, LF) are dropped; bytes that are not UTF-8 never reach the \
database. Each value stored is read back by SQL"

long200=$(printf '%200s' '' | tr ' ' x)
sqlish="Robert'); DROP TABLE users; --"
operator mch112

# User Details: the 201st character of First Name is refused as typed
steps "/Ogden<Enter><Enter><C-g>First Name<Enter><C-u>${long200}y"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [Nora.Ogden@nhs.uk                       ]
Title              < (none) >
First Name *       [<xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ]
Last Name *        [Ogden                                   ]
User ID             nog200
Work Phone *       [0315841241                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
First Name: at most 200 characters
^S Submit  Esc Back  F1 Help
-- cursor 5,59
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [Nora.Ogden@nhs.uk                       ]
Title              < (none) >
First Name *       [<xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ]
Last Name *        [Ogden                                   ]
User ID             nog200
Work Phone *       [0315841241                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 5,59
EOF
# SQL in a name is text; a byte that is not UTF-8 typed into Last Name
steps "<C-u>$sqlish<C-g>Last Name<Enter><End>$(printf '\377\376')!<C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [Nora.Ogden@nhs.uk                       ]
Title              < (none) >
First Name *       [Robert'); DROP TABLE users; --          ]
Last Name *        [Ogden!                                  ]
User ID             nog200
Work Phone *       [0315841241                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 6,26
EOF
# control keys that mean nothing in a field, and a paste's controls
steps "<C-u>Og<C-x>d<C-t>e<C-v><Paste $(printf 'n\033[2J\007\t\r\nX')><C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [Nora.Ogden@nhs.uk                       ]
Title              < (none) >
First Name *       [Robert'); DROP TABLE users; --          ]
Last Name *        [Ogden[2JX                               ]
User ID             nog200
Work Phone *       [0315841241                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 6,29
EOF
steps "<C-g>Email Address<Enter><C-u>o'brien\"; --@x.org<C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [o'brien"; --@x.org                      ]
Title              < (none) >
First Name *       [Robert'); DROP TABLE users; --          ]
Last Name *        [Ogden[2JX                               ]
User ID             nog200
Work Phone *       [0315841241                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Email Address contains a space or control character
^S Submit  Esc Back  F1 Help
-- cursor 3,38
EOF
steps "<C-u>o'brien;--@x.org<C-g>Work Phone<Enter><C-u>0123'; --<C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [o'brien;--@x.org                        ]
Title              < (none) >
First Name *       [Robert'); DROP TABLE users; --          ]
Last Name *        [Ogden[2JX                               ]
User ID             nog200
Work Phone *       [0123'; --                        ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Work Phone may hold only digits, spaces and + ( ) -, at most 32
^S Submit  Esc Back  F1 Help
-- cursor 8,29
EOF
steps "<C-u>+44 (0)20 7946-0000<C-g>Mobile Phone<Enter><C-u>$(printf '%033d' 7)"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [o'brien;--@x.org                        ]
Title              < (none) >
First Name *       [Robert'); DROP TABLE users; --          ]
Last Name *        [Ogden[2JX                               ]
User ID             nog200
Work Phone *       [+44 (0)20 7946-0000              ]
Mobile Phone       [00000000000000000000000000000000 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Mobile Phone: at most 32 characters
^S Submit  Esc Back  F1 Help
-- cursor 9,52
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: nog200   * indicates required field(s)
Email Address *    [o'brien;--@x.org                        ]
Title              < (none) >
First Name *       [Robert'); DROP TABLE users; --          ]
Last Name *        [Ogden[2JX                               ]
User ID             nog200
Work Phone *       [+44 (0)20 7946-0000              ]
Mobile Phone       [00000000000000000000000000000000 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 9,52
EOF
check "nog200 is stored exactly as the form showed it on each Submit" q_is \
	"SELECT first_name || '|' || last_name || '|' || email || '|' ||
	work_phone || '|' || coalesce(mobile_phone, '') FROM users
	WHERE login = 'nog200'" \
	"$sqlish|Ogden[2JX|o'brien;--@x.org|+44 (0)20 7946-0000|$(printf '%032d' 0)"
check "the refused Submits wrote nothing: four records of nog200's \
updates in the trail, one a Submit that saved" q_is "SELECT count(*) FROM audit WHERE target = 'nog200' AND
	operator = 'mch112'" 4

# Organisations: Add child under lat05, then Rename
operator mch112
steps "2/lat05<Enter>a<C-g>Code<Enter>x'; DROP--<C-g>Name<Enter>${long200}y"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation   * indicates required field(s)
Parent             lat05 - LatOrg05
Code *             [x'; DROP--                       ]
Name *             [<xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ]
  [ ] Site
  [ Submit ]














Name: at most 200 characters
^S Submit  Esc Back  F1 Help
-- cursor 5,59
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation   * indicates required field(s)
Parent             lat05 - LatOrg05
Code *             [x'; DROP--                       ]
Name *             [<xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ]
  [ ] Site
  [ Submit ]














Organisation Code is not valid (1-32 letters, digits, '-', '_', '.')
^S Submit  Esc Back  F1 Help
-- cursor 5,59
EOF
steps "<C-g>Code<Enter><C-u>h.x-1<C-g>Name<Enter><C-u>$sqlish<C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  LatOrg04                                                5        4
 └─[-] lat05  LatOrg05                                                1        0
    └──── h.x-1  Robert'); DROP TABLE users; --                       0        0








────────────────────────────────────────────────────────────────────────────────
h.x-1 Robert'); DROP TABLE users; --, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Added organisation h.x-1 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 9,6
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  LatOrg04                                                5        4
 +-[-] lat05  LatOrg05                                                1        0
    +---- h.x-1  Robert'); DROP TABLE users; --                       0        0








--------------------------------------------------------------------------------
h.x-1 Robert'); DROP TABLE users; --, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Added organisation h.x-1 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 9,6
EOF
steps "n<C-u>Re<C-x>named<Paste $(printf '\033]52;c;ZXZpbA==\007 ok\r\n')><C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  LatOrg04                                                5        4
 └─[-] lat05  LatOrg05                                                1        0
    └──── h.x-1  Renamed]52;c;ZXZpbA== ok                             0        0








────────────────────────────────────────────────────────────────────────────────
h.x-1 Renamed]52;c;ZXZpbA== ok, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Renamed organisation h.x-1 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 9,6
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  LatOrg04                                                5        4
 +-[-] lat05  LatOrg05                                                1        0
    +---- h.x-1  Renamed]52;c;ZXZpbA== ok                             0        0








--------------------------------------------------------------------------------
h.x-1 Renamed]52;c;ZXZpbA== ok, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Renamed organisation h.x-1 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 9,6
EOF
check "h.x-1 is stored under lat05 with the name typed, the paste's \
controls dropped; no organisation x'; DROP--" q_is \
	"SELECT string_agg(o.code || '|' || o.name || '|' || p.code, ',')
	FROM organisations o JOIN organisations p ON p.id = o.parent_id
	WHERE o.code IN ('h.x-1', 'x''; DROP--') OR p.code = 'lat05'" \
	"h.x-1|Renamed]52;c;ZXZpbA== ok|lat05"

# Add New Cluster: Name's 201st character, Description's 2001st
long2000=$(printf '%2000s' '' | tr ' ' d)
operator mch112
steps "3a${long200}y"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         generated when the cluster is saved
Name *             [<xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ]
Description        [                                        ]
Members            0 organisations
  None: a grant selecting only this cluster reaches nothing.
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]










Name: at most 200 characters
^S Continue  Esc Back  F1 Help
-- cursor 5,59
EOF
steps "<Tab>${long2000}e"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         generated when the cluster is saved
Name *             [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx>]
Description        [<dddddddddddddddddddddddddddddddddddddd ]
Members            0 organisations
  None: a grant selecting only this cluster reaches nothing.
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]










Description: at most 2000 characters
^S Continue  Esc Back  F1 Help
-- cursor 6,59
EOF
steps "<S-Tab><C-u>$sqlish<C-s>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster: summary
Owner: lat04 - LatOrg04
Name: Robert'); DROP TABLE users; --
Description:
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
Save the cluster? y Yes, n No.
y Yes  n No  F1 Help
-- cursor 3,0
EOF
# the short name is generated
mask '[0-9A-F]{10} Robert' 'NEWCLUSTER Robert'
mask 'cluster [0-9A-F]{10} ' 'cluster NEWCLUSTER '
steps 'y'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
NEWCLUSTER Robert'); DROP TABLE users; --    dddddddddddddddddddd> 0       0
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









────────────────────────────────────────────────────────────────────────────────
NEWCLUSTER Robert'); DROP TABLE users; --, owned by lat04: dddddddddddddddddddd>
Members: none (a grant selecting only this cluster reaches nothing)
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Robert'); DROP TABLE users; --) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_hostile_input  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
NEWCLUSTER Robert'); DROP TABLE users; --    dddddddddddddddddddd> 0       0
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









--------------------------------------------------------------------------------
NEWCLUSTER Robert'); DROP TABLE users; --, owned by lat04: dddddddddddddddddddd>
Members: none (a grant selecting only this cluster reaches nothing)
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Robert'); DROP TABLE users; --) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 6,0
EOF
check "the cluster is stored with the name typed and the 2,000 characters \
of its description" q_is \
	"SELECT name || '|' || length(description) FROM clusters
	WHERE name LIKE 'Robert%'" "$sqlish|2000"
