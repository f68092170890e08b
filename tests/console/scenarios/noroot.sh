# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe noroot "no enabled root System Administrator: the top line says \
that no one can administer the whole tree"

# tdi901, the other root System Administrator, is disabled already
sql "UPDATE users SET enabled = false WHERE login = 'mch112'"
operator hwe500

steps '/Alloway<Enter>'
screen <<'EOF'
accessdesk  NO ONE CAN ADMINISTER THE WHOLE TREE  operator hwe500  database ad_s
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Search by: Name [Alloway]                                               1-1 of 1
Name ^             Organisation I> Organisatio> Parent Orga> Date Added Status
Alloway, Kenneth   lat04           LatOrg04     NHS England  20/03/2017 Enabled


















Enter Open / Search f Search by s Sort a Add w Why? r Report ? Help q Quit
-- cursor 4,0
EOF
