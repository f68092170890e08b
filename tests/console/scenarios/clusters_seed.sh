# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe clusters_seed "the job aid's walk-through with a cluster made \
first: Helen Weston (Advanced User Administrator of lat04) adds a cluster \
of cgc04; under Kenneth Alloway's grant at lat04 the clusters are listed by \
Short Name and Name, the new one too; M shows a cluster's members before \
it is ticked (an empty one says it would reach nothing); ticked and \
submitted (the narrowing said first), Why? shows his reach as the seed's \
rule has it: the member and every organisation below it"

sql "DELETE FROM cluster_members WHERE cluster_id = (SELECT id FROM clusters WHERE short_name = 'E92654EEF7')"
operator hwe500

steps '3aCentral Commissioning<C-g>Add / Remove<Enter><Enter>/cgc04<Enter><Space><Enter><C-s>y'
sync
new=$(q "SELECT short_name FROM clusters WHERE name = 'Central Commissioning'")
mask "$new" NEWCLUSTER
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central Commissioning                                   1       0
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           0       0
B089991938 Western Area GP Cluster                                 2       0









────────────────────────────────────────────────────────────────────────────────
NEWCLUSTER Central Commissioning, owned by lat04
Members: cgc04 CommOrg04
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Central Commissioning) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central Commissioning                                   1       0
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           0       0
B089991938 Western Area GP Cluster                                 2       0









--------------------------------------------------------------------------------
NEWCLUSTER Central Commissioning, owned by lat04
Members: cgc04 CommOrg04
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Central Commissioning) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
steps '1/Alloway<Enter><Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
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
steps "<C-g>Central Commissioning<Enter>M"
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
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
      Short Name  Name   (M: its members)
  [ ] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
  [ ] B089991938  Western Area GP Cluster
  [ ] NEWCLUSTER  Central Commissioning
          cgc04 - CommOrg04 and below

^S Submit  Esc Back  F1 Help
-- cursor 20,3
EOF
steps "<C-g>Southern<Enter>M"
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
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
      Short Name  Name   (M: its members)
  [ ] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
          no members: ticked alone, it leaves the grant reaching nothing
  [ ] B089991938  Western Area GP Cluster
  [ ] NEWCLUSTER  Central Commissioning

^S Submit  Esc Back  F1 Help
-- cursor 18,3
EOF
steps "<C-g>Central Commissioning<Enter><Space><C-s>"
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
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
      Short Name  Name   (M: its members)
  [ ] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
          no members: ticked alone, it leaves the grant reaching nothing
  [ ] B089991938  Western Area GP Cluster
  [x] NEWCLUSTER  Central Commissioning
          cgc04 - CommOrg04 and below
kal738 will reach 6 organisations, was 8. Submit? (y/n)
^S Submit  Esc Back  F1 Help
-- cursor 22,56
EOF
steps 'y'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
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
      Short Name  Name   (M: its members)
  [ ] C61A6DB801  Eastern City Practices
  [ ] 873CF39E1C  Northern Region GP Practices
  [ ] E92654EEF7  Southern Regions GP Practices
          no members: ticked alone, it leaves the grant reaching nothing
  [ ] B089991938  Western Area GP Cluster
  [x] NEWCLUSTER  Central Commissioning
          cgc04 - CommOrg04 and below
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 20,3
EOF
steps '<Esc>w'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_seed  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? kal738: effective access
kal738 (Alloway, Kenneth): Enabled
Organisation access
lat04 - LatOrg04: User Administrator, View; payment types: QOF DES
  reaches cgc04 and below, through cluster NEWCLUSTER (Central Commissioning)
  not lat04 itself: a cluster selection narrows the grant
  role User Administrator acts on lat04 only (under the cluster selection:
    nowhere)
Study access
S-001 (site A01AAA): denied
  no role: cannot log in










Esc Back  F1 Help
-- cursor 3,0
EOF

check "kal738's grant at lat04 selects the new cluster" \
	q_is "SELECT string_agg(c.name, ',') FROM grant_clusters gc JOIN grants g ON g.id = gc.grant_id
	      JOIN users u ON u.id = g.user_id JOIN clusters c ON c.id = gc.cluster_id WHERE u.login = 'kal738'" \
	"Central Commissioning"
