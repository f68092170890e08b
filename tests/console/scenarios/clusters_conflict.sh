# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe clusters_conflict "two consoles change C61A6DB801: A (mch112) \
unticks A01AAA; B (hwe500) adds B01BBB and saves; when the database \
announces it, A's form says the cluster changed since A read it, with its \
members now, keeps A's input and lists B01BBB unticked; A's Continue shows \
a summary and a what-if counted from the cluster as stored now (both \
members removed); No leaves B's save as it is; a third console's \
untouched form shows the cluster as it is now, with nothing unsaved"

session A
operator mch112
steps '3/C61<Enter><Enter><C-g>A01AAA<Enter><Space>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         C61A6DB801
Name *             [Eastern City Practices                  ]
Description        [                                        ]
Members            0 organisations
  [ ] A01AAA - SvcProviderA01
  None: a grant selecting only this cluster reaches nothing.
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]
  [ Delete Cluster ]









^S Continue  Esc Back  F1 Help
-- cursor 8,3
EOF

# C (gba204) has the cluster open too, untouched
session C
operator gba204
steps '3/C61<Enter><Enter>'
screen <<'EOF'
accessdesk  operator gba204  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         C61A6DB801
Name *             [Eastern City Practices                  ]
Description        [                                        ]
Members            1 organisation
  [x] A01AAA - SvcProviderA01
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]
  [ Delete Cluster ]










^S Continue  Esc Back  F1 Help
-- cursor 5,42
EOF

session B
operator hwe500
steps '3/C61<Enter><Enter><C-g>Add / Remove<Enter><Enter>/B01<Enter><Space><Enter><C-s>y'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  2       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










────────────────────────────────────────────────────────────────────────────────
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01; B01BBB SvcProviderB01
Users whose grants select it: 1 (narrowed to the members and below)
Updated cluster C61A6DB801 (Eastern City Practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  2       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










--------------------------------------------------------------------------------
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01; B01BBB SvcProviderB01
Users whose grants select it: 1 (narrowed to the members and below)
Updated cluster C61A6DB801 (Eastern City Practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF

session A
steps '<Notified>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         C61A6DB801
Name *             [Eastern City Practices                  ]
Description        [                                        ]
Members            0 organisations
  [ ] A01AAA - SvcProviderA01
  [ ] B01BBB - SvcProviderB01
  None: a grant selecting only this cluster reaches nothing.
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]
  [ Delete Cluster ]






C61A6DB801 was changed by another console since you read it (members now:
A01AAA, B01BBB). Your input is kept: check it before you Continue.
^S Continue  Esc Back  F1 Help
-- cursor 8,3
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801: summary of the change
Owner: lat04 - LatOrg04
Name: Eastern City Practices
Members: 0, was 2
Removed (2):
  A01AAA - SvcProviderA01
  B01BBB - SvcProviderB01
The grants of 1 enabled user select this cluster. Saved, the change means:
  1 user loses reach over 2 organisations.
l lists them, with the organisations gained and lost.










Save the cluster? y Yes, n No.
l List users  y Yes  n No  F1 Help
-- cursor 3,0
EOF
steps 'n<Esc>y'

# C's untouched form follows: B01BBB is ticked, nothing is unsaved
session C
steps '<Notified>'
screen <<'EOF'
accessdesk  operator gba204  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         C61A6DB801
Name *             [Eastern City Practices                  ]
Description        [                                        ]
Members            2 organisations
  [x] A01AAA - SvcProviderA01
  [x] B01BBB - SvcProviderB01
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]
  [ Delete Cluster ]







C61A6DB801 was changed by another console: the form shows it as it is now
(members: A01AAA, B01BBB).
^S Continue  Esc Back  F1 Help
-- cursor 5,42
EOF
steps '<Esc>'
screen <<'EOF'
accessdesk  operator gba204  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  2       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










────────────────────────────────────────────────────────────────────────────────
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01; B01BBB SvcProviderB01
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator gba204  database ad_screens_clusters_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  2       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










--------------------------------------------------------------------------------
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01; B01BBB SvcProviderB01
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF

check "C61A6DB801 holds B's members: A01AAA, B01BBB" \
	q_is "SELECT string_agg(o.code, ' ' ORDER BY m.position) FROM cluster_members m
	      JOIN clusters c ON c.id = m.cluster_id JOIN organisations o ON o.id = m.org_id
	      WHERE c.short_name = 'C61A6DB801'" \
	"A01AAA B01BBB"
