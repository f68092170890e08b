# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe reload "the database announces a change while Add Organisation's \
tree picker is open over Kenneth Alloway's User Details (the world is \
reloaded under it): the picker copied what it shows, so it still draws, \
searches and picks by code; the form is told, keeps its input and gains \
the grant under the organisation's new name; nothing is saved until \
Submit"
operator hwe500
# Kenneth Alloway's form; the Organisation Access section, then its
# Add Organisation button
steps '/Alloway<Enter><Enter><C-f><C-f><Down><Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_reload  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation
[-] lat04  LatOrg04
 ├─[+] cgc04  CommOrg04
 └──── G00002  GP Practice G00002

















Enter Pick  / Search  Esc Back  F1 Help
-- cursor 4,3
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_reload  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation
[-] lat04  LatOrg04
 +-[+] cgc04  CommOrg04
 +---- G00002  GP Practice G00002

















Enter Pick  / Search  Esc Back  F1 Help
-- cursor 4,3
EOF
# another operator renames G00002, announced (LISTEN/NOTIFY) and taken:
# the picker still shows what it copied, the form (below) the new name
sql "UPDATE organisations SET name = 'Renamed Practice' WHERE code = 'G00002';
     SELECT pg_notify('accessdesk_changed', 'organisations')"
steps '<Notified>/G00002<Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_reload  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation  Search: G00002
[-] lat04  LatOrg04
 ├─[+] cgc04  CommOrg04
 └──── G00002  GP Practice G00002

















Enter Pick  / Search  Esc Back  F1 Help
-- cursor 5,3
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_reload  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation  Search: G00002
[-] lat04  LatOrg04
 +-[+] cgc04  CommOrg04
 +---- G00002  GP Practice G00002

















Enter Pick  / Search  Esc Back  F1 Help
-- cursor 5,3
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_reload  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Organisation Access
    lat04 - LatOrg04
  > G00002 - Renamed Practice
  [ Add Organisation ]  [ Remove Organisation G00002 ]
  G00002 - Renamed Practice:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [ ] User Administrator  [ ] View
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
  There are no Provider Clusters defined for this organisation
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
  [ Add Study ]
Added G00002: choose its roles (a grant needs at least one).
^S Submit  Esc Back  F1 Help
-- cursor 6,4
EOF
check "nothing saved: kal738 still has its one grant" \
	q_is "SELECT string_agg(o.code, ',') FROM grants g
	        JOIN users u ON u.id = g.user_id
	        JOIN organisations o ON o.id = g.org_id
	       WHERE u.login = 'kal738'" "lat04"
