# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe clusters "tab 3 as Matt Cheeseman (System Administrator on nhs): \
lat04's four clusters with their members and users; Add New Cluster as CQRS \
does it (Name, Description, members ticked on the tree with Select All and \
search, Continue, the summary, No then Yes), a name already used among the \
owner's clusters refused; the generated short name never editable; a \
rename; the what-if before a member is removed (who loses reach over what, \
listed on request), not saved; emptying a selected cluster asks twice; \
deleting a cluster in use refused, listing who; deleting one unused; each \
change audited"

# B089991938's members stored out of tree order (C01CCC first)
sql "UPDATE cluster_members SET position = 1 - position
     WHERE cluster_id = (SELECT id FROM clusters WHERE short_name = 'B089991938')"
# Kenneth Alloway's grant at lat04 selects C61A6DB801 alone (Zoë Nuñez's
# selects it and 873CF39E1C)
sql "INSERT INTO grant_clusters (grant_id, cluster_id, position)
     SELECT g.id, c.id, 0 FROM grants g JOIN users u ON u.id = g.user_id
       JOIN organisations o ON o.id = g.org_id, clusters c
      WHERE u.login = 'kal738' AND o.code = 'lat04' AND c.short_name = 'C61A6DB801'"
before=$(q "SELECT max(id) FROM audit")
operator mch112

steps '3'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










────────────────────────────────────────────────────────────────────────────────
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01
Users whose grants select it: 2 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0










--------------------------------------------------------------------------------
C61A6DB801 Eastern City Practices, owned by lat04
Members: A01AAA SvcProviderA01
Users whose grants select it: 2 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF

# Add New Cluster: a name the owner already uses (either case) is refused
# at Continue, in the store's words, before any summary; the input stays
steps 'a'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         generated when the cluster is saved
Name *             [                                        ]
Description        [                                        ]
Members            0 organisations
  None: a grant selecting only this cluster reaches nothing.
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]











^S Continue  Esc Back  F1 Help
-- cursor 5,20
EOF
steps 'eastern city practices<Tab>Practices of the centre<C-g>Add / Remove<Enter><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  0 ticked
[ ] [-] cgc04  CommOrg04
[ ]  ├─[+] man04  ManOrg04
[ ]  ├──── A01AAA  SvcProviderA01                                           site
[ ]  ├──── B01BBB  SvcProviderB01                                           site
[ ]  └──── C01CCC  SvcProviderC01                                           site
[ ]     G00002  GP Practice G00002













Space ticks, * Select All, / Search by code or name; Enter when done.
Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 3,1
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  0 ticked
[ ] [-] cgc04  CommOrg04
[ ]  +-[+] man04  ManOrg04
[ ]  +---- A01AAA  SvcProviderA01                                           site
[ ]  +---- B01BBB  SvcProviderB01                                           site
[ ]  +---- C01CCC  SvcProviderC01                                           site
[ ]     G00002  GP Practice G00002













Space ticks, * Select All, / Search by code or name; Enter when done.
Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 3,1
EOF
# Select All ticks every organisation below lat04; again, none
steps '*'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  7 ticked
[x] [-] cgc04  CommOrg04
[x]  ├─[+] man04  ManOrg04
[x]  ├──── A01AAA  SvcProviderA01                                           site
[x]  ├──── B01BBB  SvcProviderB01                                           site
[x]  └──── C01CCC  SvcProviderC01                                           site
[x]     G00002  GP Practice G00002














Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 3,1
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  7 ticked
[x] [-] cgc04  CommOrg04
[x]  +-[+] man04  ManOrg04
[x]  +---- A01AAA  SvcProviderA01                                           site
[x]  +---- B01BBB  SvcProviderB01                                           site
[x]  +---- C01CCC  SvcProviderC01                                           site
[x]     G00002  GP Practice G00002














Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 3,1
EOF
steps '*/B01<Enter><Space>/G00002<Enter><Space>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  2 ticked  Search: G00002
[ ] [-] cgc04  CommOrg04
[ ]  ├─[+] man04  ManOrg04
[ ]  ├──── A01AAA  SvcProviderA01                                           site
[x]  ├──── B01BBB  SvcProviderB01                                           site
[ ]  └──── C01CCC  SvcProviderC01                                           site
[x]     G00002  GP Practice G00002














Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 8,1
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Members: organisations below lat04  2 ticked  Search: G00002
[ ] [-] cgc04  CommOrg04
[ ]  +-[+] man04  ManOrg04
[ ]  +---- A01AAA  SvcProviderA01                                           site
[x]  +---- B01BBB  SvcProviderB01                                           site
[ ]  +---- C01CCC  SvcProviderC01                                           site
[x]     G00002  GP Practice G00002














Space Tick  * Select All  Enter Done  / Search  Esc Cancel  F1 Help
-- cursor 8,1
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         generated when the cluster is saved
Name *             [eastern city practices                  ]
Description        [Practices of the centre                 ]
Members            2 organisations
  [x] B01BBB - SvcProviderB01
  [x] G00002 - GP Practice G00002
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]









2 organisations ticked (not saved: Continue saves).
^S Continue  Esc Back  F1 Help
-- cursor 11,4
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         generated when the cluster is saved
Name *             [eastern city practices                  ]
Description        [Practices of the centre                 ]
Members            2 organisations
  [x] B01BBB - SvcProviderB01
  [x] G00002 - GP Practice G00002
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]









Name eastern city practices is already used by cluster C61A6DB801
^S Continue  Esc Back  F1 Help
-- cursor 11,4
EOF
steps '<C-g>Name *<Enter><C-u>Central Practices<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster: summary
Owner: lat04 - LatOrg04
Name: Central Practices
Description: Practices of the centre
Members (2):
  B01BBB - SvcProviderB01
  G00002 - GP Practice G00002
No user's access is narrowed until a grant selects this cluster.












Save the cluster? y Yes, n No.
y Yes  n No  F1 Help
-- cursor 3,0
EOF
steps 'n'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add New Cluster   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         generated when the cluster is saved
Name *             [Central Practices                       ]
Description        [Practices of the centre                 ]
Members            2 organisations
  [x] B01BBB - SvcProviderB01
  [x] G00002 - GP Practice G00002
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]









Not saved: the form is as you left it.
^S Continue  Esc Back  F1 Help
-- cursor 5,37
EOF
steps '<C-s>y'
sync
new=$(q "SELECT short_name FROM clusters WHERE name = 'Central Practices'")
mask "$new" NEWCLUSTER
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central Practices                 Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









────────────────────────────────────────────────────────────────────────────────
NEWCLUSTER Central Practices, owned by lat04: Practices of the centre
Members: B01BBB SvcProviderB01; G00002 GP Practice G00002
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Central Practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central Practices                 Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









--------------------------------------------------------------------------------
NEWCLUSTER Central Practices, owned by lat04: Practices of the centre
Members: B01BBB SvcProviderB01; G00002 GP Practice G00002
Users whose grants select it: 0 (narrowed to the members and below)
Added cluster NEWCLUSTER (Central Practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF

# the short name is generated and never editable
steps '/Central<Enter><Enter><C-g>Short Name<Enter>x'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster NEWCLUSTER   * indicates required field(s)
Owner              lat04 - LatOrg04
Short Name         NEWCLUSTER
Name *             [Central Practices                       ]
Description        [Practices of the centre                 ]
Members            2 organisations
  [x] B01BBB - SvcProviderB01
  [x] G00002 - GP Practice G00002
  Members stay below lat04: moving one out of it is refused.
  [ Add / Remove Organisation ]
  [ Continue ]
  [ Delete Cluster ]








Short Name: a cluster's short name is generated and never changes
^S Continue  Esc Back  F1 Help
-- cursor 4,19
EOF

# a rename: the summary says what changes and that no one's reach does
steps '<C-g>Name *<Enter><C-u>Central City Practices<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster NEWCLUSTER: summary of the change
Owner: lat04 - LatOrg04
Name: Central City Practices (was Central Practices)
Members: 2, was 2
The members are unchanged: no one's reach changes.















Save the cluster? y Yes, n No.
y Yes  n No  F1 Help
-- cursor 3,0
EOF
steps 'y'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









────────────────────────────────────────────────────────────────────────────────
NEWCLUSTER Central City Practices, owned by lat04: Practices of the centre
Members: B01BBB SvcProviderB01; G00002 GP Practice G00002
Users whose grants select it: 0 (narrowed to the members and below)
Updated cluster NEWCLUSTER (Central City Practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









--------------------------------------------------------------------------------
NEWCLUSTER Central City Practices, owned by lat04: Practices of the centre
Members: B01BBB SvcProviderB01; G00002 GP Practice G00002
Users whose grants select it: 0 (narrowed to the members and below)
Updated cluster NEWCLUSTER (Central City Practices) successfully.
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 4,0
EOF

# the what-if before a member is removed: Zoë Nuñez's grant at lat04
# selects 873CF39E1C, whose one member is man04 (and G00001 below it);
# B01BBB takes its place
steps '/873<Enter><Enter><C-g>man04<Enter><Space><C-g>Add / Remove<Enter><Enter>/B01<Enter><Space><Enter><C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster 873CF39E1C: summary of the change
Owner: lat04 - LatOrg04
Name: Northern Region GP Practices
Members: 1, was 1
Added (1):
  B01BBB - SvcProviderB01
Removed (1):
  man04 - ManOrg04
The grants of 1 enabled user select this cluster. Saved, the change means:
  1 user loses reach over 2 organisations.
  1 user gains reach over 1 organisation.
l lists them, with the organisations gained and lost.








Save the cluster? y Yes, n No.
l List users  y Yes  n No  F1 Help
-- cursor 3,0
EOF
steps 'l'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Users whose reach changes with 873CF39E1C's new members
znu300  Nuñez, Zoë
    loses 2 organisations: man04 (and 1 below)
    gains 1 organisation: B01BBB

















Esc Back  F1 Help
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Users whose reach changes with 873CF39E1C's new members
znu300  Nu?ez, Zo?
    loses 2 organisations: man04 (and 1 below)
    gains 1 organisation: B01BBB

















Esc Back  F1 Help
-- cursor 3,0
EOF
steps '<Esc>n<Esc>y'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









────────────────────────────────────────────────────────────────────────────────
873CF39E1C Northern Region GP Practices, owned by lat04
Members: man04 ManOrg04
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0









--------------------------------------------------------------------------------
873CF39E1C Northern Region GP Practices, owned by lat04
Members: man04 ManOrg04
Users whose grants select it: 1 (narrowed to the members and below)

Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 6,0
EOF

# emptying a cluster asks twice when a grant would reach nothing
# (Kenneth's; Zoë's keeps man04); No keeps it as it was
steps '/C61<Enter><Enter><C-g>A01AAA<Enter><Space><C-s>y'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801: summary of the change
Owner: lat04 - LatOrg04
Name: Eastern City Practices
Members: 0, was 1
Removed (1):
  A01AAA - SvcProviderA01
The grants of 2 enabled users select this cluster. Saved, the change means:
  2 users lose reach over 1 organisation.
l lists them, with the organisations gained and lost.
1 grant would reach nothing: every cluster it selects would be empty.










C61A6DB801 left empty: 1 grant would reach nothing. Save anyway? (y/n)
l List users  y Yes  n No  F1 Help
-- cursor 22,71
EOF
steps 'n'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster C61A6DB801: summary of the change
Owner: lat04 - LatOrg04
Name: Eastern City Practices
Members: 0, was 1
Removed (1):
  A01AAA - SvcProviderA01
The grants of 2 enabled users select this cluster. Saved, the change means:
  2 users lose reach over 1 organisation.
l lists them, with the organisations gained and lost.
1 grant would reach nothing: every cluster it selects would be empty.











l List users  y Yes  n No  F1 Help
-- cursor 3,0
EOF
steps 'n<Esc>y'

# deleting a cluster in use is refused, listing whose grants select it
steps '/C61<Enter>d'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Cannot delete cluster C61A6DB801
The grants of 2 users select C61A6DB801 (Eastern City Practices). Deleting it
  would widen their access: change their grants first.
  kal738     Alloway, Kenneth
  znu300     Nuñez, Zoë















Cannot delete C61A6DB801: the grants of 2 users select it.
Esc Back  F1 Help
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Cannot delete cluster C61A6DB801
The grants of 2 users select C61A6DB801 (Eastern City Practices). Deleting it
  would widen their access: change their grants first.
  kal738     Alloway, Kenneth
  znu300     Nu?ez, Zo?















Cannot delete C61A6DB801: the grants of 2 users select it.
Esc Back  F1 Help
-- cursor 3,0
EOF
steps '<Esc>/E926<Enter>d'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0








────────────────────────────────────────────────────────────────────────────────
E92654EEF7 Southern Regions GP Practices, owned by lat04
Members: G00002 GP Practice G00002
Users whose grants select it: 0 (narrowed to the members and below)
Delete cluster E92654EEF7 (Southern Regions GP Practices)? It cannot be undone.
(y/n)
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 22,6
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               5 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
E92654EEF7 Southern Regions GP Practices                           1       0
B089991938 Western Area GP Cluster                                 2       0








--------------------------------------------------------------------------------
E92654EEF7 Southern Regions GP Practices, owned by lat04
Members: G00002 GP Practice G00002
Users whose grants select it: 0 (narrowed to the members and below)
Delete cluster E92654EEF7 (Southern Regions GP Practices)? It cannot be undone.
(y/n)
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 22,6
EOF
steps 'y'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
B089991938 Western Area GP Cluster                                 2       0










────────────────────────────────────────────────────────────────────────────────
B089991938 Western Area GP Cluster, owned by lat04
Members: C01CCC SvcProviderC01; B01BBB SvcProviderB01
Users whose grants select it: 0 (narrowed to the members and below)
Deleted cluster E92654EEF7 (Southern Regions GP Practices).
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 7,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Owner: lat04 - LatOrg04                                               4 clusters
Short Name Name                              Description           Members Users
NEWCLUSTER Central City Practices            Practices of the cen> 2       0
C61A6DB801 Eastern City Practices                                  1       2
873CF39E1C Northern Region GP Practices                            1       1
B089991938 Western Area GP Cluster                                 2       0










--------------------------------------------------------------------------------
B089991938 Western Area GP Cluster, owned by lat04
Members: C01CCC SvcProviderC01; B01BBB SvcProviderB01
Users whose grants select it: 0 (narrowed to the members and below)
Deleted cluster E92654EEF7 (Southern Regions GP Practices).
Enter Open  a Add New Cluster  o Owner  d Delete  / Search  ? Help  q Quit
-- cursor 7,0
EOF

# unticking and ticking a member again, and the members tree's Done, keep
# the stored order: a rename after them changes the name alone
steps '/B08<Enter><Enter><C-g>C01CCC<Enter><Space><Space><C-g>Add / Remove<Enter><Enter><Enter><C-g>Name *<Enter><C-u>Western Area Practices<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_clusters  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Service Provider Cluster B089991938: summary of the change
Owner: lat04 - LatOrg04
Name: Western Area Practices (was Western Area GP Cluster)
Members: 2, was 2
The members are unchanged: no one's reach changes.















Save the cluster? y Yes, n No.
y Yes  n No  F1 Help
-- cursor 3,0
EOF
steps 'y'

check "added, renamed and deleted: three audit rows of kind cluster by mch112, the what-if and the refusals wrote nothing" \
	q_is "SELECT string_agg(action || ':' || CASE WHEN target = '$new' THEN 'NEW' ELSE target END || ':' || operator, ' ' ORDER BY id) FROM audit
	      WHERE id > $before" \
	"add:NEW:mch112 update:NEW:mch112 delete:E92654EEF7:mch112 update:B089991938:mch112"
check "the new cluster: its short name 10 upper-case hex digits, its members B01BBB and G00002 in tree order" \
	q_is "SELECT c.short_name ~ '^[0-9A-F]{10}$', c.name, c.description, string_agg(o.code, ' ' ORDER BY m.position)
	      FROM clusters c JOIN cluster_members m ON m.cluster_id = c.id JOIN organisations o ON o.id = m.org_id
	      WHERE c.short_name = '$new' GROUP BY 1, 2, 3" \
	"t|Central City Practices|Practices of the centre|B01BBB G00002"
check "B089991938 renamed, its members in their stored order" \
	q_is "SELECT c.name || ':' || string_agg(o.code, ' ' ORDER BY m.position) FROM clusters c
	      JOIN cluster_members m ON m.cluster_id = c.id JOIN organisations o ON o.id = m.org_id
	      WHERE c.short_name = 'B089991938' GROUP BY c.name" \
	"Western Area Practices:C01CCC B01BBB"
check "873CF39E1C and C61A6DB801 kept their members" \
	q_is "SELECT string_agg(c.short_name || ':' || o.code, ' ' ORDER BY c.short_name) FROM clusters c
	      JOIN cluster_members m ON m.cluster_id = c.id JOIN organisations o ON o.id = m.org_id
	      WHERE c.short_name IN ('873CF39E1C', 'C61A6DB801')" \
	"873CF39E1C:man04 C61A6DB801:A01AAA"
