# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe hidden "hwe500 (lat04) and Matt Cheeseman, whose grants outside \
lat04 it may not see: the list row, User Details (the grants under lat04, \
\"+7 not shown\", a refusal that counts the others instead of naming them), \
Why? (the same grants, the study at A01AAA, a study at D01DDD counted); \
then (hidden.conf loaded on top) hid500, who manages users at lat05 without \
seeing them there, changes two500's email: the grant at lat05, never \
shown, is written back as it was"

# a study at a site hwe500 may not see (D01DDD, below lat01)
sql "INSERT INTO studies (code, name, site_id) SELECT 'S-002',
       'Second in human', id FROM organisations WHERE code = 'D01DDD'"
before=$(q "SELECT max(id) FROM audit")

# mch112's row and User Details: its grants under lat04 only, "+7 not
# shown", the reason counting the others
operator hwe500
steps '/Cheeseman<Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_hidden  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Cheeseman]                                             1-1 of 1
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Cheeseman, Matt    A> +7 not shown SvcProvider> CommOrg04, > 20/03/2017 Enabled


















Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_hidden  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: mch112   * indicates required field(s)
Email Address *     Matt.Cheeseman@nhs.uk
Title               Mr
First Name *        Matt
Last Name *         Cheeseman
User ID             mch112
Work Phone *        0315841238
Mobile Phone        07700900123
CQRS Access
  Enabled                      Resend Registration Email
Organisation Access
  > A01AAA - SvcProviderA01
    B01BBB - SvcProviderB01
    C01CCC - SvcProviderC01
    G00001 - GP
    G00002 - GP Practice G00002
    cgc04 - CommOrg04
    lat04 - LatOrg04
    +7 not shown
    Add Organisation      Remove Organisation A01AAA

^S Submit  Esc Back  F1 Help
-- cursor 3,41
EOF
steps 'x'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_hidden  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: mch112   * indicates required field(s)
Email Address *     Matt.Cheeseman@nhs.uk
Title               Mr
First Name *        Matt
Last Name *         Cheeseman
User ID             mch112
Work Phone *        0315841238
Mobile Phone        07700900123
CQRS Access
  Enabled                      Resend Registration Email
Organisation Access
  > A01AAA - SvcProviderA01
    B01BBB - SvcProviderB01
    C01CCC - SvcProviderC01
    G00001 - GP
    G00002 - GP Practice G00002
    cgc04 - CommOrg04
    lat04 - LatOrg04
    +7 not shown
Email Address: hwe500 lacks users.manage where mch112 holds grants not shown
(+7)
^S Submit  Esc Back  F1 Help
-- cursor 3,41
EOF

# Why? for mch112: the same grants, the study at A01AAA, the one at D01DDD
# counted
operator hwe500
steps '/Cheeseman<Enter>w'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_hidden  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? mch112: effective access
mch112 (Cheeseman, Matt): Enabled
Organisation access
A01AAA - SvcProviderA01: View; payment types: none
  reaches A01AAA and every organisation below it (no cluster selected)
B01BBB - SvcProviderB01: View; payment types: none
  reaches B01BBB and every organisation below it (no cluster selected)
C01CCC - SvcProviderC01: View; payment types: none
  reaches C01CCC and every organisation below it (no cluster selected)
G00001 - GP: View; payment types: none
  reaches G00001 and every organisation below it (no cluster selected)
G00002 - GP Practice G00002: View; payment types: none
  reaches G00002 and every organisation below it (no cluster selected)
cgc04 - CommOrg04: View; payment types: none
  reaches cgc04 and every organisation below it (no cluster selected)
lat04 - LatOrg04: View; payment types: none
  reaches lat04 and every organisation below it (no cluster selected)
+7 grants at organisations you may not see
Study access
S-001 (site A01AAA): denied

Esc Back  F1 Help
-- cursor 3,0
EOF
steps 'G'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_hidden  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? mch112: effective access
A01AAA - SvcProviderA01: View; payment types: none
  reaches A01AAA and every organisation below it (no cluster selected)
B01BBB - SvcProviderB01: View; payment types: none
  reaches B01BBB and every organisation below it (no cluster selected)
C01CCC - SvcProviderC01: View; payment types: none
  reaches C01CCC and every organisation below it (no cluster selected)
G00001 - GP: View; payment types: none
  reaches G00001 and every organisation below it (no cluster selected)
G00002 - GP Practice G00002: View; payment types: none
  reaches G00002 and every organisation below it (no cluster selected)
cgc04 - CommOrg04: View; payment types: none
  reaches cgc04 and every organisation below it (no cluster selected)
lat04 - LatOrg04: View; payment types: none
  reaches lat04 and every organisation below it (no cluster selected)
+7 grants at organisations you may not see
Study access
S-001 (site A01AAA): denied
  no role: cannot log in
+1 study at sites you may not see

Esc Back  F1 Help
-- cursor 3,0
EOF

check "nothing was written" q_is "SELECT max(id) FROM audit" "$before"

# hid500 opens two500 (lat04 shown, "+1 not shown") and changes the email
load hidden.conf
operator hid500
steps '/Twogrants<Enter><Enter>'
screen <<'EOF'
accessdesk  operator hid500  database ad_screens_hidden  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: two500   * indicates required field(s)
Email Address *    [Tom.Twogrants@nhs.uk                    ]
Title              < (none) >
First Name *       [Tom                                     ]
Last Name *        [Twogrants                               ]
User ID             two500
Work Phone *       [0315841251                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - LatOrg04
    +1 not shown
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [ ] User Administrator  [x] View  [ ] Manager Only
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not

^S Submit  Esc Back  F1 Help
-- cursor 3,40
EOF
steps '<C-u>Tom.T@nhs.uk<C-s>'
screen <<'EOF'
accessdesk  operator hid500  database ad_screens_hidden  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: two500   * indicates required field(s)
Email Address *    [Tom.T@nhs.uk                            ]
Title              < (none) >
First Name *       [Tom                                     ]
Last Name *        [Twogrants                               ]
User ID             two500
Work Phone *       [0315841251                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - LatOrg04
    +1 not shown
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [ ] User Administrator  [x] View  [ ] Manager Only
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
Updated user successfully.
^S Submit  Esc Back  F1 Help
-- cursor 3,32
EOF

check "the hidden grant at lat05 is written back as it was" \
	q_is "SELECT u.email || '|' || string_agg(o.code || ':' || r.name || ':' ||
	              coalesce((SELECT string_agg(p.payment_type, ',') FROM grant_payment_types p
	                        WHERE p.grant_id = g.id), ''), ' ' ORDER BY o.code)
	        FROM users u JOIN grants g ON g.user_id = u.id JOIN organisations o ON o.id = g.org_id
	        JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id
	       WHERE u.login = 'two500' GROUP BY u.email" \
	"Tom.T@nhs.uk|lat04:View: lat05:View:GPES"
