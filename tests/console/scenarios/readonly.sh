# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe readonly "--read-only: Add refused with a message and not offered, \
the form's fields refuse typing and ticking with the reason, Submit \
refused, nothing written"

before=$(q "SELECT max(id) FROM audit")
operator hwe500 --read-only

steps 'a'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_readonly  DEMO  READ-ONLY
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











Read-only mode: users cannot be added.
Enter Open  / Search  f Search by  s Sort  w Why?  r Report  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_readonly  DEMO  READ-ONLY
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











Read-only mode: users cannot be added.
Enter Open  / Search  f Search by  s Sort  w Why?  r Report  ? Help  q Quit
-- cursor 4,0
EOF
steps '/Alloway<Enter><Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_readonly  DEMO  READ-ONLY
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *     Kenneth.Alloway@nhs.uk
Title               Mr
First Name *        Kenneth
Last Name *         Alloway
User ID             kal738
Work Phone *        0315841236
Mobile Phone
CQRS Access
  Enabled
Organisation Access
  > lat04 - LatOrg04
  lat04 - LatOrg04:
Roles                    System Administrator      Advanced User Administrator
                      x  User Administrator   x  View
Payment Type          x  QOF      GPES   x  DES      CC      VAC      LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)

Esc Back  F1 Help
-- cursor 3,42
EOF
steps 'x'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_readonly  DEMO  READ-ONLY
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *     Kenneth.Alloway@nhs.uk
Title               Mr
First Name *        Kenneth
Last Name *         Alloway
User ID             kal738
Work Phone *        0315841236
Mobile Phone
CQRS Access
  Enabled
Organisation Access
  > lat04 - LatOrg04
  lat04 - LatOrg04:
Roles                    System Administrator      Advanced User Administrator
                      x  User Administrator   x  View
Payment Type          x  QOF      GPES   x  DES      CC      VAC      LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
Email Address: read-only mode: nothing can be changed
Esc Back  F1 Help
-- cursor 3,42
EOF
# to CQRS Access, Space refused
steps '<C-f><Space>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_readonly  DEMO  READ-ONLY
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
CQRS Access
  Enabled
Organisation Access
  > lat04 - LatOrg04
  lat04 - LatOrg04:
Roles                    System Administrator      Advanced User Administrator
                      x  User Administrator   x  View
Payment Type          x  QOF      GPES   x  DES      CC      VAC      LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
      C61A6DB801  Eastern City Practices
      873CF39E1C  Northern Region GP Practices
      E92654EEF7  Southern Regions GP Practices
      B089991938  Western Area GP Cluster
Study Profile
Roles                    Study Administrator      Study Coordinator
                         Investigator      Data Manager      Recruiter
CQRS Access: read-only mode: nothing can be changed
Esc Back  F1 Help
-- cursor 4,2
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_readonly  DEMO  READ-ONLY
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
CQRS Access
  Enabled
Organisation Access
  > lat04 - LatOrg04
  lat04 - LatOrg04:
Roles                    System Administrator      Advanced User Administrator
                      x  User Administrator   x  View
Payment Type          x  QOF      GPES   x  DES      CC      VAC      LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
      C61A6DB801  Eastern City Practices
      873CF39E1C  Northern Region GP Practices
      E92654EEF7  Southern Regions GP Practices
      B089991938  Western Area GP Cluster
Study Profile
Roles                    Study Administrator      Study Coordinator
                         Investigator      Data Manager      Recruiter
Cannot submit: read-only mode: nothing can be changed
Esc Back  F1 Help
-- cursor 4,2
EOF
steps '<PgDn><PgDn>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_readonly  DEMO  READ-ONLY
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Organisation Access
  > lat04 - LatOrg04
  lat04 - LatOrg04:
Roles                    System Administrator      Advanced User Administrator
                      x  User Administrator   x  View
Payment Type          x  QOF      GPES   x  DES      CC      VAC      LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
      C61A6DB801  Eastern City Practices
      873CF39E1C  Northern Region GP Practices
      E92654EEF7  Southern Regions GP Practices
      B089991938  Western Area GP Cluster
Study Profile
Roles                    Study Administrator      Study Coordinator
                         Investigator      Data Manager      Recruiter
Sites              none
Restricted Studies none

Esc Back  F1 Help
-- cursor 19,58
EOF

check "nothing was written" q_is "SELECT max(id) FROM audit" "$before"
