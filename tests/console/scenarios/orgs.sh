# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe orgs "tab 2 as Matt Cheeseman (System Administrator on nhs): the \
tree with its Site, Users and Clusters columns; a search by code jumps; E \
opens all below, C closes it; the detail pane names who administers man04; \
Add child under man04 (a code used in another case is refused naming its \
holder); rename; mark as a site; a move under its own descendant and a move \
of a cluster member out of its owner's subtree are refused with the reason; \
a good move; deleting lat04 (grants, children, clusters) is refused with the \
counts; deleting a leaf works; each change audited"

before=$(q "SELECT max(id) FROM audit")
operator mch112

steps '2'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  LatOrg04                                                5        4
 └──── lat05  LatOrg05                                                1        0









────────────────────────────────────────────────────────────────────────────────
nhs NHS England, a root organisation
User Administrators: none
Advanced User Administrators: none

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  LatOrg04                                                5        4
 +---- lat05  LatOrg05                                                1        0









--------------------------------------------------------------------------------
nhs NHS England, a root organisation
User Administrators: none
Advanced User Administrators: none

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF

# a search by code opens the way to it
steps '/<C-u>man04<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[+] man04  ManOrg04                                          1        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  └──── C01CCC  SvcProviderC01                       site        1        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0



────────────────────────────────────────────────────────────────────────────────
man04 ManOrg04, under cgc04 CommOrg04
User Administrators: Barlow, Gemma (gba204)
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 9,9
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[+] man04  ManOrg04                                          1        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0



--------------------------------------------------------------------------------
man04 ManOrg04, under cgc04 CommOrg04
User Administrators: Barlow, Gemma (gba204)
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 9,9
EOF

# everything below lat04, then closed again
# the last search is offered again and replaced by what is typed
steps '/lat04<Enter>E'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[-] man04  ManOrg04                                          1        0
 │  │  │  └──── G00001  GP                                            1        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  └──── C01CCC  SvcProviderC01                       site        1        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0


────────────────────────────────────────────────────────────────────────────────
lat04 LatOrg04, under nhs NHS England
User Administrators: Alloway, Kenneth (kal738)
Advanced User Administrators: Barlow, Gemma (gba204); Weston, Helen (hwe500)

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[-] man04  ManOrg04                                          1        0
 |  |  |  +---- G00001  GP                                            1        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0


--------------------------------------------------------------------------------
lat04 LatOrg04, under nhs NHS England
User Administrators: Alloway, Kenneth (kal738)
Advanced User Administrators: Barlow, Gemma (gba204); Weston, Helen (hwe500)

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF
# closed all below, then Enter opens lat04 a level: cgc04 stays closed
steps 'C<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[+] cgc04  CommOrg04                                            4        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0







────────────────────────────────────────────────────────────────────────────────
lat04 LatOrg04, under nhs NHS England
User Administrators: Alloway, Kenneth (kal738)
Advanced User Administrators: Barlow, Gemma (gba204); Weston, Helen (hwe500)

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[+] cgc04  CommOrg04                                            4        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0







--------------------------------------------------------------------------------
lat04 LatOrg04, under nhs NHS England
User Administrators: Alloway, Kenneth (kal738)
Advanced User Administrators: Barlow, Gemma (gba204); Weston, Helen (hwe500)

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF

# Add child under man04: a code that G00001 holds, typed in lower case
steps '/<C-u>man04<Enter>a'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation   * indicates required field(s)
Parent             man04 - ManOrg04
Code *             [                                 ]
Name *             [                                        ]
  [ ] Site
  [ Submit ]















^S Submit  Esc Back  F1 Help
-- cursor 4,20
EOF
steps 'g00001<C-n>Practice Two<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation   * indicates required field(s)
Parent             man04 - ManOrg04
Code *             [g00001                           ]
Name *             [Practice Two                            ]
  [ ] Site
  [ Submit ]














Code g00001 is already used by G00001 (GP)
^S Submit  Esc Back  F1 Help
-- cursor 5,32
EOF
steps '<C-p><C-u>G00003<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[-] man04  ManOrg04                                          1        0
 │  │  │  ├──── G00001  GP                                            1        0
 │  │  │  └──── G00003  Practice Two                                  0        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  └──── C01CCC  SvcProviderC01                       site        1        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0

────────────────────────────────────────────────────────────────────────────────
G00003 Practice Two, under man04 ManOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Added organisation G00003 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 11,12
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[-] man04  ManOrg04                                          1        0
 |  |  |  +---- G00001  GP                                            1        0
 |  |  |  +---- G00003  Practice Two                                  0        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0

--------------------------------------------------------------------------------
G00003 Practice Two, under man04 ManOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Added organisation G00003 successfully.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 11,12
EOF

# rename it, then mark it as a site
steps 'n<C-u>Practice Three<C-s>'
steps 'xy'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[-] man04  ManOrg04                                          1        0
 │  │  │  ├──── G00001  GP                                            1        0
 │  │  │  └──── G00003  Practice Three                    site        0        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  └──── C01CCC  SvcProviderC01                       site        1        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0

────────────────────────────────────────────────────────────────────────────────
G00003 Practice Three (site), under man04 ManOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Marked G00003 as a site.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 11,12
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[-] man04  ManOrg04                                          1        0
 |  |  |  +---- G00001  GP                                            1        0
 |  |  |  +---- G00003  Practice Three                    site        0        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0

--------------------------------------------------------------------------------
G00003 Practice Three (site), under man04 ManOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Marked G00003 as a site.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 11,12
EOF

# move man04 under its own child G00001: the picker says why not
steps '/<C-u>man04<Enter>m/<C-u>G00001<Enter><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Move man04 under  Search: G00001
    (top)  No parent: a root organisation
[-] nhs  NHS England
 ├─[+] ro1  NHSCB-RO 1
 ├─[+] lat01  LatOrg01
 ├──── lat02  LatOrg02
 ├─[-] lat04  LatOrg04
 │  ├─[-] cgc04  CommOrg04
 │  │  ├─[-] man04  ManOrg04
 │  │  │  ├──── G00001  GP
 │  │  │  └──── G00003  Practice Three                                      site
 │  │  ├──── A01AAA  SvcProviderA01                                         site
 │  │  ├──── B01BBB  SvcProviderB01                                         site
 │  │  └──── C01CCC  SvcProviderC01                                         site
 │  └──── G00002  GP Practice G00002
 └──── lat05  LatOrg05




G00001 is man04 or below it: the move would make a cycle
Enter Pick  / Search  Esc Back  F1 Help
-- cursor 11,12
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Move man04 under  Search: G00001
    (top)  No parent: a root organisation
[-] nhs  NHS England
 +-[+] ro1  NHSCB-RO 1
 +-[+] lat01  LatOrg01
 +---- lat02  LatOrg02
 +-[-] lat04  LatOrg04
 |  +-[-] cgc04  CommOrg04
 |  |  +-[-] man04  ManOrg04
 |  |  |  +---- G00001  GP
 |  |  |  +---- G00003  Practice Three                                      site
 |  |  +---- A01AAA  SvcProviderA01                                         site
 |  |  +---- B01BBB  SvcProviderB01                                         site
 |  |  +---- C01CCC  SvcProviderC01                                         site
 |  +---- G00002  GP Practice G00002
 +---- lat05  LatOrg05




G00001 is man04 or below it: the move would make a cycle
Enter Pick  / Search  Esc Back  F1 Help
-- cursor 11,12
EOF
# move A01AAA (a member of lat04's cluster C61A6DB801) out of lat04
steps '<Esc>/<C-u>A01AAA<Enter>m/<C-u>lat01<Enter><Enter>y'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[-] man04  ManOrg04                                          1        0
 │  │  │  ├──── G00001  GP                                            1        0
 │  │  │  └──── G00003  Practice Three                    site        0        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  └──── C01CCC  SvcProviderC01                       site        1        0
 │  └──── G00002  GP Practice G00002                                  1        0
────────────────────────────────────────────────────────────────────────────────
A01AAA SvcProviderA01 (site), under cgc04 CommOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Cannot move A01AAA: organisation "A01AAA": the move would take "A01AAA", a
member of cluster C61A6DB801, out of its owner "lat04". Remove the member from
the cluster first.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 12,9
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[-] man04  ManOrg04                                          1        0
 |  |  |  +---- G00001  GP                                            1        0
 |  |  |  +---- G00003  Practice Three                    site        0        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  +---- G00002  GP Practice G00002                                  1        0
--------------------------------------------------------------------------------
A01AAA SvcProviderA01 (site), under cgc04 CommOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Cannot move A01AAA: organisation "A01AAA": the move would take "A01AAA", a
member of cluster C61A6DB801, out of its owner "lat04". Remove the member from
the cluster first.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 12,9
EOF
# a good move: G00003 under cgc04
steps '/<C-u>G00003<Enter>m/<C-u>cgc04<Enter><Enter>y'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[-] man04  ManOrg04                                          1        0
 │  │  │  └──── G00001  GP                                            1        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  ├──── C01CCC  SvcProviderC01                       site        1        0
 │  │  └──── G00003  Practice Three                       site        0        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0

────────────────────────────────────────────────────────────────────────────────
G00003 Practice Three (site), under cgc04 CommOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Moved G00003 under cgc04.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 14,9
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[-] man04  ManOrg04                                          1        0
 |  |  |  +---- G00001  GP                                            1        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  |  +---- G00003  Practice Three                       site        0        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0

--------------------------------------------------------------------------------
G00003 Practice Three (site), under cgc04 CommOrg04
User Administrators: none
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Moved G00003 under cgc04.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 14,9
EOF

# deleting lat04: refused with what depends on it
steps '/<C-u>lat04<Enter>d'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[-] man04  ManOrg04                                          1        0
 │  │  │  └──── G00001  GP                                            1        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  ├──── C01CCC  SvcProviderC01                       site        1        0
 │  │  └──── G00003  Practice Three                       site        0        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0
────────────────────────────────────────────────────────────────────────────────
lat04 LatOrg04, under nhs NHS England
User Administrators: Alloway, Kenneth (kal738)
Advanced User Administrators: Barlow, Gemma (gba204); Weston, Helen (hwe500)
Cannot delete lat04: it has 2 child organisations, 5 grants, 4 clusters it
owns.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[-] man04  ManOrg04                                          1        0
 |  |  |  +---- G00001  GP                                            1        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  |  +---- G00003  Practice Three                       site        0        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0
--------------------------------------------------------------------------------
lat04 LatOrg04, under nhs NHS England
User Administrators: Alloway, Kenneth (kal738)
Advanced User Administrators: Barlow, Gemma (gba204); Weston, Helen (hwe500)
Cannot delete lat04: it has 2 child organisations, 5 grants, 4 clusters it
owns.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 7,3
EOF
# deleting the new leaf G00003
steps '/<C-u>G00003<Enter>dy'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[-] lat04  LatOrg04                                                5        4
 │  ├─[-] cgc04  CommOrg04                                            4        0
 │  │  ├─[-] man04  ManOrg04                                          1        0
 │  │  │  └──── G00001  GP                                            1        0
 │  │  ├──── A01AAA  SvcProviderA01                       site        1        0
 │  │  ├──── B01BBB  SvcProviderB01                       site        1        0
 │  │  └──── C01CCC  SvcProviderC01                       site        1        0
 │  └──── G00002  GP Practice G00002                                  1        0
 └──── lat05  LatOrg05                                                1        0


────────────────────────────────────────────────────────────────────────────────
cgc04 CommOrg04, under lat04 LatOrg04
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Deleted G00003.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 8,6
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_orgs  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[-] lat04  LatOrg04                                                5        4
 |  +-[-] cgc04  CommOrg04                                            4        0
 |  |  +-[-] man04  ManOrg04                                          1        0
 |  |  |  +---- G00001  GP                                            1        0
 |  |  +---- A01AAA  SvcProviderA01                       site        1        0
 |  |  +---- B01BBB  SvcProviderB01                       site        1        0
 |  |  +---- C01CCC  SvcProviderC01                       site        1        0
 |  +---- G00002  GP Practice G00002                                  1        0
 +---- lat05  LatOrg05                                                1        0


--------------------------------------------------------------------------------
cgc04 CommOrg04, under lat04 LatOrg04
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) at lat04; Weston, Helen (h>
Deleted G00003.
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 8,6
EOF

check "G00003 was added under man04, renamed, made a site, moved under cgc04 and deleted: five audit rows by mch112" \
	q_is "SELECT string_agg(action || ':' || target || ':' || operator, ' ' ORDER BY id) FROM audit
	      WHERE id > $before AND target_kind = 'organisation'" \
	"add:G00003:mch112 rename:G00003:mch112 mark site:G00003:mch112 move:G00003:mch112 delete:G00003:mch112"
check "the refused changes left man04 and A01AAA where they were, lat04 there" \
	q_is "SELECT string_agg(o.code || '<' || p.code, ' ' ORDER BY o.code)
	      FROM organisations o JOIN organisations p ON p.id = o.parent_id
	      WHERE o.code IN ('man04', 'A01AAA', 'lat04')" \
	"A01AAA<cgc04 lat04<nhs man04<cgc04"
