# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe add "Add New User as a System Administrator (mch112) with \
email.allowed_domains = [\"nhs.uk\"]: Submit empty, then each field's \
message in turn, a mismatched Confirm Email, a domain not allowed, Add \
Organisation through the picker (a search, Enter), a grant with no \
role refused, a role ticked, the [ Submit ] button: \"Added user jdoNNN \
successfully.\""

configure 'email = { allowed_domains = [ "nhs.uk" ]; };'
operator mch112
# the User ID generated (its shape checked below)
mask 'jdo[1-9][0-9]{2}' 'jdo###'

steps 'a'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [                                        ]
Confirm Email *    [                                        ]
Title              < (none) >
First Name *       [                                        ]
Last Name *        [                                        ]
User ID             (generated from the name on Submit)
Work Phone *       [                                 ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none

^S Submit  Esc Back  F1 Help
-- cursor 3,20
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [                                        ]
Confirm Email *    [                                        ]
Title              < (none) >
First Name *       [                                        ]
Last Name *        [                                        ]
User ID             (generated from the name on Submit)
Work Phone *       [                                 ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
Email Address is required
^S Submit  Esc Back  F1 Help
-- cursor 3,20
EOF
steps 'jane.doe@example.com<Down>
jane.doe@exampel.com<Down>
<Space><Space><Space><Space>
<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [jane.doe@example.com                    ]
Confirm Email *    [jane.doe@exampel.com                    ]
Title              < Ms >
First Name *       [                                        ]
Last Name *        [                                        ]
User ID             (generated from the name on Submit)
Work Phone *       [                                 ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
First Name is required
^S Submit  Esc Back  F1 Help
-- cursor 6,20
EOF
steps 'Jane<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [jane.doe@example.com                    ]
Confirm Email *    [jane.doe@exampel.com                    ]
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [                                        ]
User ID             (generated from the name on Submit)
Work Phone *       [                                 ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
Last Name is required
^S Submit  Esc Back  F1 Help
-- cursor 7,20
EOF
steps 'Doe<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [jane.doe@example.com                    ]
Confirm Email *    [jane.doe@exampel.com                    ]
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             (generated from the name on Submit)
Work Phone *       [                                 ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
Work Phone is required
^S Submit  Esc Back  F1 Help
-- cursor 9,20
EOF
steps '01632x<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [jane.doe@example.com                    ]
Confirm Email *    [jane.doe@exampel.com                    ]
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             (generated from the name on Submit)
Work Phone *       [01632x                           ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
Work Phone may hold only digits, spaces and + ( ) -, at most 32
^S Submit  Esc Back  F1 Help
-- cursor 9,26
EOF
steps '<BS> 960001<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [jane.doe@example.com                    ]
Confirm Email *    [jane.doe@exampel.com                    ]
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             (generated from the name on Submit)
Work Phone *       [01632 960001                     ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Restricted Studies none
Confirm Email does not match Email Address
^S Submit  Esc Back  F1 Help
-- cursor 4,40
EOF
steps '<C-u>jane.doe@example.com<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Email Address *    [jane.doe@example.com                    ]
Confirm Email *    [jane.doe@example.com                    ]
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             (generated from the name on Submit)
Work Phone *       [01632 960001                     ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  No organisation access.
  [ Add Organisation ]
Study Profile
Roles                [ ] Study Administrator  [ ] Study Coordinator
                     [ ] Investigator  [ ] Data Manager  [ ] Recruiter
Sites              none
  [ Add Site ]
Email Address: the domain is not one this service allows
(email.allowed_domains)
^S Submit  Esc Back  F1 Help
-- cursor 3,40
EOF
# the email twice, then to Organisation Access: [ Add Organisation ] and
# the picker
steps '<C-u>Jane.Doe@nhs.uk<Down>
<C-u>Jane.Doe@nhs.uk
<C-f><C-f><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation
[-] nhs  NHS England
 ├─[+] ro1  NHSCB-RO 1
 ├─[+] lat01  LatOrg01
 ├──── lat02  LatOrg02
 ├─[+] lat04  LatOrg04
 └──── lat05  LatOrg05














Enter Pick  / Search  Esc Back  F1 Help
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation
[-] nhs  NHS England
 +-[+] ro1  NHSCB-RO 1
 +-[+] lat01  LatOrg01
 +---- lat02  LatOrg02
 +-[+] lat04  LatOrg04
 +---- lat05  LatOrg05














Enter Pick  / Search  Esc Back  F1 Help
-- cursor 3,0
EOF
# the picker's search, typed, then taken
steps '/lat'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation
[-] nhs  NHS England
 ├─[+] ro1  NHSCB-RO 1
 ├─[+] lat01  LatOrg01
 ├──── lat02  LatOrg02
 ├─[+] lat04  LatOrg04
 └──── lat05  LatOrg05













Search by code or name: lat
Enter Pick  / Search  Esc Back  F1 Help
-- cursor 22,27
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation
[-] nhs  NHS England
 +-[+] ro1  NHSCB-RO 1
 +-[+] lat01  LatOrg01
 +---- lat02  LatOrg02
 +-[+] lat04  LatOrg04
 +---- lat05  LatOrg05













Search by code or name: lat
Enter Pick  / Search  Esc Back  F1 Help
-- cursor 22,27
EOF
steps '04<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation  Search: lat04
[-] nhs  NHS England
 ├─[+] ro1  NHSCB-RO 1
 ├─[+] lat01  LatOrg01
 ├──── lat02  LatOrg02
 ├─[+] lat04  LatOrg04
 └──── lat05  LatOrg05














Enter Pick  / Search  Esc Back  F1 Help
-- cursor 7,3
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Add Organisation  Search: lat04
[-] nhs  NHS England
 +-[+] ro1  NHSCB-RO 1
 +-[+] lat01  LatOrg01
 +---- lat02  LatOrg02
 +-[+] lat04  LatOrg04
 +---- lat05  LatOrg05














Enter Pick  / Search  Esc Back  F1 Help
-- cursor 7,3
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             (generated from the name on Submit)
Work Phone *       [01632 960001                     ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  > lat04 - LatOrg04
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [ ] User Administrator  [ ] View
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
Added lat04: choose its roles (a grant needs at least one).
^S Submit  Esc Back  F1 Help
-- cursor 13,4
EOF
steps '<C-s>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             (generated from the name on Submit)
Work Phone *       [01632 960001                     ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  > lat04 - LatOrg04
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [ ] User Administrator  [ ] View
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)
Organisation lat04 needs at least one role
^S Submit  Esc Back  F1 Help
-- cursor 12,2
EOF
# to the role View at lat04 (^G: go to the field named so), ticked
steps '<C-g>View<Enter>
<Space>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details (new user)   * indicates required field(s)
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             (generated from the name on Submit)
Work Phone *       [01632 960001                     ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled
Organisation Access
  > lat04 - LatOrg04
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [ ] User Administrator  [x] View
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
      Short Name  Name   (M: its members)

^S Submit  Esc Back  F1 Help
-- cursor 16,46
EOF
# the [ Submit ] button, the last field
steps '<End><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: jdo###   * indicates required field(s)
                     [ ] User Administrator  [x] View
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
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

Added user jdo### successfully.
^S Submit  Esc Back  F1 Help
-- cursor 20,4
EOF
steps '<Home>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_add  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: jdo###   * indicates required field(s)
Email Address *    [Jane.Doe@nhs.uk                         ]
Title              < Ms >
First Name *       [Jane                                    ]
Last Name *        [Doe                                     ]
User ID             jdo###
Work Phone *       [01632 960001                     ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - LatOrg04
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [ ] User Administrator  [x] View
Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.

^S Submit  Esc Back  F1 Help
-- cursor 3,35
EOF

check "the User ID generated for Jane Doe is jdo and three digits" \
	q_like "SELECT login FROM users WHERE email = 'Jane.Doe@nhs.uk'" 'jdo[1-9][0-9]{2}'
check "the user is stored as typed, with lat04 - View, audited as created by mch112" \
	q_is "SELECT concat_ws('|', u.title, u.first_name, u.last_name, u.email, u.work_phone,
	               coalesce(u.mobile_phone, '-'), u.enabled, o.code, r.name,
	               (SELECT operator || ' ' || action FROM audit
	                 WHERE target_kind = 'user' AND target = u.login ORDER BY id DESC LIMIT 1))
	        FROM users u JOIN grants g ON g.user_id = u.id JOIN organisations o ON o.id = g.org_id
	        JOIN grant_roles gr ON gr.grant_id = g.id JOIN roles r ON r.id = gr.role_id
	       WHERE u.email = 'Jane.Doe@nhs.uk'" \
	'Ms|Jane|Doe|Jane.Doe@nhs.uk|01632 960001|-|t|lat04|View|mch112 create'
