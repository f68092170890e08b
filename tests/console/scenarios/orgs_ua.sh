# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe orgs_ua "a User Administrator of cgc04 (uad400, a role that acts \
on cgc04 only) sees cgc04 alone in the tree; Add child is refused with the \
engine's explanation before any form opens; so are rename, move and delete; \
nothing is written"

before=$(q "SELECT max(id) FROM audit")
operator uad400
steps '2'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0














--------------------------------------------------------------------------------
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators above: Barlow, Gemma (gba204) at la> (+1 not shown)

a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF
steps 'a'
screen <<'EOF'
accessdesk  operator uad400  database ad_screens_orgs_ua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
    cgc04  CommOrg04                                                  4        0













--------------------------------------------------------------------------------
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators above: Barlow, Gemma (gba204) at la> (+1 not shown)
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













--------------------------------------------------------------------------------
cgc04 CommOrg04, under an organisation you may not see
User Administrators: Adams, Ursula (uad400); Noakes, Pat (pno100)
Advanced User Administrators above: Barlow, Gemma (gba204) at la> (+1 not shown)
Cannot rename cgc04: uad400 lacks orgs.manage over cgc04; grant cgc04: no role
has orgs.manage
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 3,0
EOF

check "nothing was written" \
	q_is "SELECT count(*) FROM audit WHERE id > $before" "0"
