# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe frame "the key bar, Help (?) and its scrolling, the tab keys, \
sorting both ways (the marker on the sorted column), the form's own help \
(F1), \"Terminal too small: 80x24 needed\" at 70x20 and back at 80x24 with \
the typed input kept, Esc asking before discarding"

operator hwe500

screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Nuñez, Zoë         lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Nu?ez, Zo?         lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
steps '?'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Keys of this screen
Users
  Enter        Open User Details of the user under the cursor
  /            Search (by what Search by says)
  f            Search by Name, User ID, Email or Organisation
  s            Sort by the next column
  S            Reverse the sort order
  a            Add New User
  w            Why? The user's effective access and its reasons
  r            Write the Organisation / User report (CSV)
Moving in a list
  k Up         Move up
  j Down       Move down
  b PgUp       Previous page
  Space PgDn   Next page
  g Home       First row
  (more below: j, Space or End)
────────────────────────────────────────────────────────────────────────────────
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Keys of this screen
Users
  Enter        Open User Details of the user under the cursor
  /            Search (by what Search by says)
  f            Search by Name, User ID, Email or Organisation
  s            Sort by the next column
  S            Reverse the sort order
  a            Add New User
  w            Why? The user's effective access and its reasons
  r            Write the Organisation / User report (CSV)
Moving in a list
  k Up         Move up
  j Down       Move down
  b PgUp       Previous page
  Space PgDn   Next page
  g Home       First row
  (more below: j, Space or End)
--------------------------------------------------------------------------------
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
# the help scrolls: G to its end (the last tab's line), then k back up one
steps 'G'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
  j Down       Move down
  b PgUp       Previous page
  Space PgDn   Next page
  g Home       First row
  G End        Last row
Keys everywhere
  ? F1         Show the keys of this screen
  q            Leave accessdesk
  1            Tab 1: Users
  2            Tab 2: Organisations
  3            Tab 3: Service Provider Clusters
  4            Tab 4: Study Configure
  5            Tab 5: Audit
  Tab          Next tab
  S-Tab        Previous tab
  ^L           Redraw the screen
  ^C           Cancel a query or report that is running
────────────────────────────────────────────────────────────────────────────────
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
  j Down       Move down
  b PgUp       Previous page
  Space PgDn   Next page
  g Home       First row
  G End        Last row
Keys everywhere
  ? F1         Show the keys of this screen
  q            Leave accessdesk
  1            Tab 1: Users
  2            Tab 2: Organisations
  3            Tab 3: Service Provider Clusters
  4            Tab 4: Study Configure
  5            Tab 5: Audit
  Tab          Next tab
  S-Tab        Previous tab
  ^L           Redraw the screen
  ^C           Cancel a query or report that is running
--------------------------------------------------------------------------------
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
steps 'k'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
  k Up         Move up
  j Down       Move down
  b PgUp       Previous page
  Space PgDn   Next page
  g Home       First row
  G End        Last row
Keys everywhere
  ? F1         Show the keys of this screen
  q            Leave accessdesk
  1            Tab 1: Users
  2            Tab 2: Organisations
  3            Tab 3: Service Provider Clusters
  4            Tab 4: Study Configure
  5            Tab 5: Audit
  Tab          Next tab
  S-Tab        Previous tab
  (more below: j, Space or End)
────────────────────────────────────────────────────────────────────────────────
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
  k Up         Move up
  j Down       Move down
  b PgUp       Previous page
  Space PgDn   Next page
  g Home       First row
  G End        Last row
Keys everywhere
  ? F1         Show the keys of this screen
  q            Leave accessdesk
  1            Tab 1: Users
  2            Tab 2: Organisations
  3            Tab 3: Service Provider Clusters
  4            Tab 4: Study Configure
  5            Tab 5: Audit
  Tab          Next tab
  S-Tab        Previous tab
  (more below: j, Space or End)
--------------------------------------------------------------------------------
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
# 5 opens the Audit tab: its records' times, and db load's user, masked
mask '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}' 'DD/MM/YYYY hh:mm:ss'
mask " $(q "SELECT current_user") +" ' LOADER         '
steps '<Esc>5'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                           1-18 of 20
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss LOADER         create user          znu300
DD/MM/YYYY hh:mm:ss LOADER         create user          uad400
DD/MM/YYYY hh:mm:ss LOADER         create user          hwe500
DD/MM/YYYY hh:mm:ss LOADER         create user          pno100
DD/MM/YYYY hh:mm:ss LOADER         create user          mch112
DD/MM/YYYY hh:mm:ss LOADER         create user          gba204
DD/MM/YYYY hh:mm:ss LOADER         create user          kal738
DD/MM/YYYY hh:mm:ss LOADER         create study         S-001
DD/MM/YYYY hh:mm:ss LOADER         create cluster       B089991938
DD/MM/YYYY hh:mm:ss LOADER         create cluster       E92654EEF7
DD/MM/YYYY hh:mm:ss LOADER         create cluster       873CF39E1C
DD/MM/YYYY hh:mm:ss LOADER         create cluster       C61A6DB801
DD/MM/YYYY hh:mm:ss LOADER         create organisation  G00002
DD/MM/YYYY hh:mm:ss LOADER         create organisation  C01CCC
DD/MM/YYYY hh:mm:ss LOADER         create organisation  B01BBB
DD/MM/YYYY hh:mm:ss LOADER         create organisation  A01AAA
DD/MM/YYYY hh:mm:ss LOADER         create organisation  G00001
DD/MM/YYYY hh:mm:ss LOADER         create organisation  man04

Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
steps '1<Tab><S-Tab>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Nuñez, Zoë         lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Nu?ez, Zo?         lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
steps 's'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name               Organisation> ^ Organisatio> Parent Orga> Date Added Status
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled
Nuñez, Zoë         lat04           LatOrg04     NHS England  20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name               Organisation> ^ Organisatio> Parent Orga> Date Added Status
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled
Nu?ez, Zo?         lat04           LatOrg04     NHS England  20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
steps 'S'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name               Organisation> v Organisatio> Parent Orga> Date Added Status
Nuñez, Zoë         lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-7 of 7
Name               Organisation> v Organisatio> Parent Orga> Date Added Status
Nu?ez, Zo?         lat04           LatOrg04     NHS England  20/03/2017 Enabled
Weston, Helen      lat04           LatOrg04     NHS England  20/03/2017 Enabled
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled
Barlow, Gemma      cgc04, lat04, > CommOrg04, > LatOrg04, N> 20/03/2017 Enabled
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled












Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
steps 'sssss
/Alloway<Enter><Enter>
<F1>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Keys of this screen
User Details
  ^S           Submit the form
  Esc          Back (asking first when there are unsaved changes)
  q            Back, as Esc (outside a text field)
  M            On a Service Provider Cluster: show or hide its members
Moving in a form
  ^N Tab Down  Next field
  ^P S-Tab Up  Previous field
  ^F F6        Next section
  ^B F5        Previous section
  ^G           Go to the next field whose name holds the text typed
  Space        Tick or untick a box; change a choice
  b PgUp       Previous screen
  PgDn         Next screen
  g Home       First field (outside a text field)
  (more below: j, Space or End)
────────────────────────────────────────────────────────────────────────────────
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Keys of this screen
User Details
  ^S           Submit the form
  Esc          Back (asking first when there are unsaved changes)
  q            Back, as Esc (outside a text field)
  M            On a Service Provider Cluster: show or hide its members
Moving in a form
  ^N Tab Down  Next field
  ^P S-Tab Up  Previous field
  ^F F6        Next section
  ^B F5        Previous section
  ^G           Go to the next field whose name holds the text typed
  Space        Tick or untick a box; change a choice
  b PgUp       Previous screen
  PgDn         Next screen
  g Home       First field (outside a text field)
  (more below: j, Space or End)
--------------------------------------------------------------------------------
Function keys, arrows and colour are extras: every action has a letter. ESC then
a digit acts as that function key.

Esc Back
-- cursor 2,0
EOF
# to First Name (^G: go to the field named so), typed into, then too
# small and back
steps '<Esc>
<C-g>First Name<Enter>Kenny
<Resize 70x20>'
screen <<'EOF'










Terminal too small: 80x24 needed









-- cursor 10,0
EOF
steps 'x
<Resize 80x24>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [Kenneth.Alloway@nhs.uk                  ]
Title              < Mr >
First Name *       [KennethKenny                            ]
Last Name *        [Alloway                                 ]
User ID             kal738
Work Phone *       [0315841236                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - LatOrg04
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.

^S Submit  Esc Back  F1 Help
-- cursor 5,32
EOF
steps '<Esc>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [Kenneth.Alloway@nhs.uk                  ]
Title              < Mr >
First Name *       [KennethKenny                            ]
Last Name *        [Alloway                                 ]
User ID             kal738
Work Phone *       [0315841236                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - LatOrg04
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
Discard your unsaved changes? (y/n)
^S Submit  Esc Back  F1 Help
-- cursor 22,36
EOF
steps 'y'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_frame  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Alloway]                                               1-1 of 1
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled


















Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
