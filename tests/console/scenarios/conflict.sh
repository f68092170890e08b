# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe conflict "session A (hwe500) opens kal738 and ticks a cluster; \
then session B (mch112) changes kal738's work phone and saves; then A \
submits: A's message names mch112 and offers B's change beside A's (the \
work phone B saved, the cluster A ticked), A's tick stays on screen, the \
database holds B's change only"

# A opens kal738, ticks C61A6DB801, and does not submit yet
session A
operator hwe500
# the third section: Service Provider Cluster(s), C61A6DB801 ticked
steps '/Alloway<Enter><Enter>
<C-f><C-f><C-f>
<Space>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_conflict  DEMO
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

# B, run to its end, saves a change to kal738
session B
operator mch112
# to Work Phone (^G: go to the field named so)
steps '/Alloway<Enter><Enter>
<C-g>Work Phone<Enter>
<C-u>0315841299
<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [Kenneth.Alloway@nhs.uk                  ]
Title              < Mr >
First Name *       [Kenneth                                 ]
Last Name *        [Alloway                                 ]
User ID             kal738
Work Phone *       [0315841299                       ]
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
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 8,30
EOF
quit

# A submits its stale form; B's save time, in the message: its place, not
# its value
session A
mask '[0-9]{2}/[0-9]{2}/[0-9]{4}' 'DD/MM/YYYY'
mask '[0-9]{2}:[0-9]{2}:[0-9]{2}' 'hh:mm:ss'
# Submit asks first: the organisations kal738 will reach
steps '<C-s>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_conflict  DEMO
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
accessdesk  operator hwe500  database ad_screens_conflict  DEMO
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
Changed by another operator since you opened it: show it beside yours? (y/n)
^S Submit  Esc Back  F1 Help
-- cursor 22,77
EOF
# the conflict offers their change beside A's: yes
steps 'y'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
kal738: saved since, beside yours
kal738 was changed by mch112 at DD/MM/YYYY hh:mm:ss (update) after this form
  was read.
Your input is kept in the form; reopen the user to start from what is saved.
Work Phone
  when you opened it  0315841236
  saved since         0315841299
  yours, not saved    (as when opened)
Organisation lat04
  when you opened it  User Administrator, View; QOF DES; clusters: (none)
  saved since         (as when opened)
  yours, not saved    User Administrator, View; QOF DES; clusters: C61A6DB801









Esc Back  F1 Help
-- cursor 3,0
EOF
# back to the form: A's tick still there
steps '<Esc>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_conflict  DEMO
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

check "the database holds B's change only: work phone 0315841299, no cluster; last audit row mch112's" \
	q_is "SELECT u.work_phone || '|' || count(gc.cluster_id) || '|' ||
	              (SELECT operator || ' ' || action FROM audit ORDER BY id DESC LIMIT 1)
	        FROM users u JOIN grants g ON g.user_id = u.id
	        LEFT JOIN grant_clusters gc ON gc.grant_id = g.id
	       WHERE u.login = 'kal738' GROUP BY u.work_phone" \
	"0315841299|0|mch112 update"
