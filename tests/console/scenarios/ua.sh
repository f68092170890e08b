# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe ua "a User Administrator of cgc04 (uad400): the list holds the \
users of cgc04 only (1-4 of 4); ticking System Administrator on Pat Noakes \
shows the engine's refusal and the box stays unticked; a search for \
Alloway finds nobody"

before=$(q "SELECT max(id) FROM audit")
operator uad400

screen <<'EOF'
accessdesk  operator uad400  database ad_screens_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name []                                                      1-4 of 4
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Adams, Ursula      cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled
Barlow, Gemma      c> +2 not shown CommOrg04    LatOrg04     20/03/2017 Enabled
Cheeseman, Matt    > +13 not shown CommOrg04    LatOrg04     20/03/2017 Enabled
Noakes, Pat        cgc04           CommOrg04    LatOrg04     20/03/2017 Enabled















Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
# Pat Noakes's User Details, to Organisation Access, down to System
# Administrator, ticked
steps '/Noakes<Enter><Enter>
<C-g>System Administrator<Enter>
<Space>'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: pno100   * indicates required field(s)
Email Address *    [Pat.Noakes@nhs.uk                       ]
Title              < Mx >
First Name *       [Pat                                     ]
Last Name *        [Noakes                                  ]
User ID             pno100
Work Phone *       [0315841240                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > cgc04 - CommOrg04
  [ Add Organisation ]  [ Remove Organisation cgc04 ]
  cgc04 - CommOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [x] User Administrator  [ ] View
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
Cannot give this role: escalation: role System Administrator would give
org.view over man04, which uad400 does not hold
^S Submit  Esc Back  F1 Help
-- cursor 16,22
EOF
steps '<Esc>
/<C-u>Alloway<Enter>'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Alloway]                                               no users
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
No user matches the search.


















Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF

check "nothing was written: no audit row" q_is "SELECT max(id) FROM audit" "$before"
check "nothing was written: pno100 is still User Administrator only" \
	q_is "SELECT string_agg(r.name, ',') FROM users u JOIN grants g ON g.user_id = u.id
	        JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id
	       WHERE u.login = 'pno100'" \
	"User Administrator"
