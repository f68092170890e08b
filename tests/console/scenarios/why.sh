# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe why "Why? (w) for Zoë Nuñez, restricted by two clusters, the whole screen"

operator hwe500

steps '/Nu<Enter>w'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_why  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? znu300: effective access
znu300 (Nuñez, Zoë): Enabled
Organisation access
lat04 - LatOrg04: View; payment types: QOF
  reaches A01AAA and below, through cluster C61A6DB801 (Eastern City Practices)
  reaches man04 and below, through cluster 873CF39E1C (Northern Region GP
    Practices)
  not lat04 itself: a cluster selection narrows the grant
Study access
S-001 (site A01AAA): denied
  no role: cannot log in










Esc Back  F1 Help
-- cursor 3,0
EOF
screen C <<'EOF'
accessdesk  operator hwe500  database ad_screens_why  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? znu300: effective access
znu300 (Nu?ez, Zo?): Enabled
Organisation access
lat04 - LatOrg04: View; payment types: QOF
  reaches A01AAA and below, through cluster C61A6DB801 (Eastern City Practices)
  reaches man04 and below, through cluster 873CF39E1C (Northern Region GP
    Practices)
  not lat04 itself: a cluster selection narrows the grant
Study access
S-001 (site A01AAA): denied
  no role: cannot log in










Esc Back  F1 Help
-- cursor 3,0
EOF
