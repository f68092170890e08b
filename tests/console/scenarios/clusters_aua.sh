# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe clusters_aua "an Advanced User Administrator of cgc04 (cke700) \
who keeps lat04's clusters through a role acting on lat04 alone: the \
members tree offers lat04's descendants, G00002 (outside his reach) dim, and \
ticking it is refused with the engine's reason; a cluster of cgc04's \
practices is added; opening E92654EEF7 (member G00002) and going on is \
refused with the reason before any summary; a User Administrator of cgc04 \
is told why he may add none; nothing else is written"

load clusters-aua.conf
before=$(q "SELECT max(id) FROM audit")
operator cke700

steps '3'
screen <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










────────────────────────────────────────────────────────────────────────────────
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










--------------------------------------------------------------------------------
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
steps 'aCommissioning practices<C-g>Add / Remove<Enter><Enter>/G00002<Enter><Space>'
screen <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  0 ticked  Search: G00002
[ ] [-] cgc04  CommOrg04
[ ]  ├─[+] man04  ManOrg04
[ ]  ├──── A01AAA  SvcProviderA01                                           site
[ ]  ├──── B01BBB  SvcProviderB01                                           site
[ ]  └──── C01CCC  SvcProviderC01                                           site
[ ]     G00002  GP Practice G00002












cke700 lacks clusters.manage over G00002; grant cgc04: G00002 is not cgc04 or
below it; grant lat04: role Cluster Keeper acts on lat04 only
Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 8,1
EOF
screen C <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  0 ticked  Search: G00002
[ ] [-] cgc04  CommOrg04
[ ]  +-[+] man04  ManOrg04
[ ]  +---- A01AAA  SvcProviderA01                                           site
[ ]  +---- B01BBB  SvcProviderB01                                           site
[ ]  +---- C01CCC  SvcProviderC01                                           site
[ ]     G00002  GP Practice G00002












cke700 lacks clusters.manage over G00002; grant cgc04: G00002 is not cgc04 or
below it; grant lat04: role Cluster Keeper acts on lat04 only
Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 8,1
EOF
steps '/A01<Enter><Space>/B01<Enter><Space><Enter><C-s>'
screen <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster: summary
Owner: lat04 - LatOrg04
Name: Commissioning practices
Description: none
Members (2):
  A01AAA - SvcProviderA01
  B01BBB - SvcProviderB01
No user's access is narrowed until a grant selects this cluster.












Save the cluster? y Yes, n No.
y Yes  n No  F1 Help
-- cursor 3,0
EOF
steps 'y'
sync
mask "$(q "SELECT short_name FROM clusters WHERE name = 'Commissioning practices'")" NEWCLUSTER
screen <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Commissioning practices                                 2       0
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









────────────────────────────────────────────────────────────────────────────────
NEWCLUSTER Commissioning practices, owned by lat04
Members: A01AAA SvcProviderA01; B01BBB SvcProviderB01
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Commissioning practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Commissioning practices                                 2       0
C61A6DB801 Eastern City Practices                                  1       1
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









--------------------------------------------------------------------------------
NEWCLUSTER Commissioning practices, owned by lat04
Members: A01AAA SvcProviderA01; B01BBB SvcProviderB01
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Commissioning practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
steps '/E926<Enter><Enter><C-g>Description<Enter>Southern practices<C-s>'
screen <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster E92654EEF7   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         E92654EEF7
Name *             [Southern Regions GP Practices           ]
Description        [Southern practices                      ]
Members            1 organisation
  [x] G00002 - GP Practice G00002
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]
  [ Delete Cluster ]







Cannot change cluster E92654EEF7: cke700 lacks clusters.manage over G00002;
grant cgc04: G00002 is not cgc04 or below it; grant lat04: role Cluster Keeper
acts on lat04 only
^S Continue  Esc Back  F1 Help
-- cursor 6,38
EOF

# only users he sees are named: Zoë Nuñez's grant at lat04 selects
# C61A6DB801, and he lacks users.view there
steps '<Esc>y/C61<Enter>d'
screen <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Cannot delete cluster C61A6DB801
The grants of 1 user select C61A6DB801 (Eastern City Practices). Deleting it
  would widen their access: change their grants first.
None of them is a user you may see (1 not shown).
















Cannot delete C61A6DB801: the grants of 1 user select it.
Esc Back  F1 Help
-- cursor 3,0
EOF
steps '<Esc><Enter><C-g>Add / Remove<Enter><Enter>/B01<Enter><Space><Enter><C-s>l'
screen <<'EOF'
accessdesk  operator cke700  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Users whose reach changes with C61A6DB801's new members
None of them is a user you may see (1 not shown).



















Esc Back  F1 Help
-- cursor 3,0
EOF
steps '<Esc>n<Esc>y'

# a User Administrator of cgc04 sees cgc04's clusters (none) and may add
# none: the list does not offer it, and a says why
operator uad400
steps '3'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: cgc04 - CommOrg04                                              0 clusters
Short Name Name                              Description           Members Users
No cluster is owned here.













────────────────────────────────────────────────────────────────────────────────




Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator uad400  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: cgc04 - CommOrg04                                              0 clusters
Short Name Name                              Description           Members Users
No cluster is owned here.













--------------------------------------------------------------------------------




Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
steps 'a'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: cgc04 - CommOrg04                                              0 clusters
Short Name Name                              Description           Members Users
No cluster is owned here.












────────────────────────────────────────────────────────────────────────────────



Cannot add a cluster to cgc04: uad400 lacks clusters.manage over cgc04; grant
cgc04: no role has clusters.manage
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator uad400  database ad_screens_clusters_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: cgc04 - CommOrg04                                              0 clusters
Short Name Name                              Description           Members Users
No cluster is owned here.












--------------------------------------------------------------------------------



Cannot add a cluster to cgc04: uad400 lacks clusters.manage over cgc04; grant
cgc04: no role has clusters.manage
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF

check "one cluster added by cke700, with A01AAA and B01BBB; E92654EEF7 unchanged" \
	q_is "SELECT string_agg(a.action || ':' || c.name || ':' || a.operator, ' ') FROM audit a
	      JOIN clusters c ON c.short_name = a.target WHERE a.id > $before" \
	"add:Commissioning practices:cke700"
check "E92654EEF7 keeps its empty description" \
	q_is "SELECT description FROM clusters WHERE short_name = 'E92654EEF7'" ""
