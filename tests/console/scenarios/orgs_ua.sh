# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe orgs_ua "a User Administrator of cgc04 (uad400, a role that acts \
on cgc04 only) sees cgc04 alone in the tree; Add child is refused with the \
engine's explanation before any form opens; so is rename; Who has access? \
at cgc04 lists Gemma Barlow's grant at lat04 as a grant not shown; nothing \
is written"

before=$(q "SELECT max(id) FROM audit")
operator uad400
steps '2'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0














────────────────────────────────────────────────────────────────────────────────
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) above (+1 not shown)

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0














--------------------------------------------------------------------------------
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) above (+1 not shown)

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF
steps 'a'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0













────────────────────────────────────────────────────────────────────────────────
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) above (+1 not shown)
Cannot add an organisation under cgc04: uad400 lacks orgs.manage over cgc04;
grant cgc04: no role has orgs.manage
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0













--------------------------------------------------------------------------------
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) above (+1 not shown)
Cannot add an organisation under cgc04: uad400 lacks orgs.manage over cgc04;
grant cgc04: no role has orgs.manage
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF
steps 'n'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0













────────────────────────────────────────────────────────────────────────────────
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) above (+1 not shown)
Cannot rename cgc04: uad400 lacks orgs.manage over cgc04; grant cgc04: no role
has orgs.manage
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0













--------------------------------------------------------------------------------
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators: Barlow, Gemma (gba204) above (+1 not shown)
Cannot rename cgc04: uad400 lacks orgs.manage over cgc04; grant cgc04: no role
has orgs.manage
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF


# Who has access? at cgc04: Gemma Barlow's grant at lat04 (where uad400
# may not see users) lets her in too; it is counted, not shown
steps 'w'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to cgc04 CommOrg04
Action: any organisation action   4 users, 2 more not shown
Name                User ID Organis> Roles              Payment> From
Adams, Ursula       uad400  cgc04    User Administrator          here
Barlow, Gemma       gba204  cgc04    View               QOF      here
Barlow, Gemma       gba204                                       a grant not sh>
Cheeseman, Matt     mch112  cgc04    View                        here
Cheeseman, Matt     mch112                                       2 grants not s>
Noakes, Pat         pno100  cgc04    User Administrator          here








────────────────────────────────────────────────────────────────────────────────
uad400 Adams, Ursula: grant at cgc04, User Administrator; payment types: none
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to cgc04 CommOrg04
Action: any organisation action   4 users, 2 more not shown
Name                User ID Organis> Roles              Payment> From
Adams, Ursula       uad400  cgc04    User Administrator          here
Barlow, Gemma       gba204  cgc04    View               QOF      here
Barlow, Gemma       gba204                                       a grant not sh>
Cheeseman, Matt     mch112  cgc04    View                        here
Cheeseman, Matt     mch112                                       2 grants not s>
Noakes, Pat         pno100  cgc04    User Administrator          here








--------------------------------------------------------------------------------
uad400 Adams, Ursula: grant at cgc04, User Administrator; payment types: none
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
steps '/<C-u>gba<Enter>'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to cgc04 CommOrg04
Action: any organisation action   4 users, 2 more not shown
Name                User ID Organis> Roles              Payment> From
Adams, Ursula       uad400  cgc04    User Administrator          here
Barlow, Gemma       gba204  cgc04    View               QOF      here
Barlow, Gemma       gba204                                       a grant not sh>
Cheeseman, Matt     mch112  cgc04    View                        here
Cheeseman, Matt     mch112                                       2 grants not s>
Noakes, Pat         pno100  cgc04    User Administrator          here








────────────────────────────────────────────────────────────────────────────────
gba204 Barlow, Gemma: grant at cgc04, View; payment types: QOF
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to cgc04 CommOrg04
Action: any organisation action   4 users, 2 more not shown
Name                User ID Organis> Roles              Payment> From
Adams, Ursula       uad400  cgc04    User Administrator          here
Barlow, Gemma       gba204  cgc04    View               QOF      here
Barlow, Gemma       gba204                                       a grant not sh>
Cheeseman, Matt     mch112  cgc04    View                        here
Cheeseman, Matt     mch112                                       2 grants not s>
Noakes, Pat         pno100  cgc04    User Administrator          here








--------------------------------------------------------------------------------
gba204 Barlow, Gemma: grant at cgc04, View; payment types: QOF
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 6,0
EOF

check "nothing was written" \
	q_is "SELECT count(*) FROM audit WHERE id > $before" "0"
