# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe email "hwe500 gives Kenneth Alloway an email another user has (in \
another case): leaving the field warns, naming Gemma Barlow, whom hwe500 \
may see, and not Tessa Dinsdale (a grant at the root only); an email no \
one has gets no warning; Ctrl-S saves with the warning: a warning, never a \
refusal"

operator hwe500

steps '/Alloway<Enter><Enter>
<C-u>GEMMA.barlow@nhs.uk<Down>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_email  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [GEMMA.barlow@nhs.uk                     ]
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
Warning: gba204 already has this email address.
^S Submit  Esc Back  F1 Help
-- cursor 4,21
EOF
steps '<Up><C-u>tessa.dinsdale@NHS.UK<Down>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_email  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [tessa.dinsdale@NHS.UK                   ]
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
Warning: another user already has this email address.
^S Submit  Esc Back  F1 Help
-- cursor 4,21
EOF
steps '<Up><C-u>Ken.Alloway@nhs.uk<Down>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_email  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [Ken.Alloway@nhs.uk                      ]
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
-- cursor 4,21
EOF
steps '<Up><C-u>gemma.barlow@nhs.uk<C-s>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_email  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [gemma.barlow@nhs.uk                     ]
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
Updated user successfully. Warning: gba204 already has this email address.
^S Submit  Esc Back  F1 Help
-- cursor 3,39
EOF

check "the warning refused nothing: the email was saved" \
	q_is "SELECT email FROM users WHERE login = 'kal738'" "gemma.barlow@nhs.uk"
