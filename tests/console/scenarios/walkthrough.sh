# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe walkthrough "the seed's job aid end to end: the Users list as an \
Advanced User Administrator of lat04 (hwe500, holding View and Kenneth's \
payment types QOF DES), Kenneth Alloway's User Details, down to Service \
Provider Cluster(s), tick C61A6DB801, Ctrl-S: \"Updated user successfully.\""

operator hwe500

screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
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
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
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
steps '/Alloway<Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Alloway]                                               1-1 of 1
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled


















Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [Kenneth.Alloway@nhs.uk                  ]
Title              < Mr >
First Name *       [Kenneth                                 ]
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
-- cursor 3,42
EOF
# the third section: Service Provider Cluster(s), on C61A6DB801
steps '<C-f><C-f><C-f>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
  lat04 - LatOrg04:
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
  [ ] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
  [ ] B089991938  Western Area GP Cluster
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
  [ Submit ]

^S Submit  Esc Back  F1 Help
-- cursor 10,3
EOF
steps '<Space>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
  lat04 - LatOrg04:
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
  [x] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
  [ ] B089991938  Western Area GP Cluster
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
  [ Submit ]

^S Submit  Esc Back  F1 Help
-- cursor 10,3
EOF
# Submit asks first: the organisations kal738 will reach
steps '<C-s>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
  lat04 - LatOrg04:
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
  [x] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
  [ ] B089991938  Western Area GP Cluster
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
  [ Submit ]
kal738 will reach 1 organisation, was 8. Submit? (y/n)
^S Submit  Esc Back  F1 Help
-- cursor 22,55
EOF
steps 'y'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
  lat04 - LatOrg04:
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
  [x] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
  [ ] B089991938  Western Area GP Cluster
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
  [ Submit ]
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 10,3
EOF
steps '<Esc>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_walkthrough  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Alloway]                                               1-1 of 1
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled


















Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF

check "kal738's lat04 grant has cluster C61A6DB801 selected, and nothing else changed" \
	q_is "SELECT o.code || ':' || string_agg(c.short_name, ',' ORDER BY gc.position) || ':' || u.work_phone
	        FROM users u JOIN grants g ON g.user_id = u.id JOIN organisations o ON o.id = g.org_id
	        LEFT JOIN grant_clusters gc ON gc.grant_id = g.id LEFT JOIN clusters c ON c.id = gc.cluster_id
	       WHERE u.login = 'kal738' GROUP BY o.code, u.work_phone" \
	"lat04:C61A6DB801:0315841236"
check "the audit's last row: hwe500 update user kal738, clusters [] before, [C61A6DB801] after" \
	q_is "SELECT concat_ws('|', operator, action, target_kind, target,
	               before->'grants'->0->>'org', before->'grants'->0->'clusters',
	               after->'grants'->0->>'org', after->'grants'->0->'clusters',
	               before->'grants'->0->'roles' = after->'grants'->0->'roles')
	        FROM audit ORDER BY id DESC LIMIT 1" \
	'hwe500|update|user|kal738|lat04|[]|lat04|["C61A6DB801"]|t'
