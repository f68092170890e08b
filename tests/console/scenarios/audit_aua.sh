# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe audit_aua "tab 5, Audit, as Helen Weston, Advanced User \
Administrator of lat04 (audit.view over lat04 and below only): of Matt \
Cheeseman's grant changes at lat04 and at lat01 (outside her subtree, for \
a user she otherwise sees) and his change to the details of a user holding \
a grant at lat01 only, she reads the lat04 one alone, and her count is of \
hers; Pat Noakes (User Administrator of cgc04, no audit.view) is told what \
reading the trail needs"

audit_aua_cli() {
	"$bin" --config "$tmp/scenario.conf" --operator mch112 "$@" \
		>/dev/null 2>"$tmp/audit_cli.err" ||
		bail "accessdesk $*: $(cat "$tmp/audit_cli.err")"
}

audit_aua_cli grant set kal738 lat04 --roles View --payment-types QOF
audit_aua_cli grant set gba204 lat01 --roles View --payment-types GPES
audit_aua_cli grant set nog200 lat01 --roles View
audit_aua_cli user set nog200 --work-phone 0315841277
mask '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}' 'DD/MM/YYYY hh:mm:ss'

operator hwe500
steps '5F<C-g>Operator<Enter>mch112<C-s>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_audit_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: Operator mch112                                                1-1 of 1
Time                Operator       What                 Target
DD/MM/YYYY hh:mm:ss mch112         set grant            kal738/lat04


















Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
steps '<Enter>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_audit_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Audit record 32
Record    32
Time      DD/MM/YYYY hh:mm:ss
Operator  mch112
Action    set
Kind      grant
Target    kal738/lat04
Changed: old -> new, + added, - removed
Grant lat04: Roles         - User Administrator
Grant lat04: Payment Type  - DES











Esc Back  F1 Help
-- cursor 3,0
EOF
check "mch112 made four changes; Helen Weston reads one: the count is of hers" \
	q_is "SELECT count(*) FROM audit WHERE operator = 'mch112'" 4

operator pno100
steps '5'
screen <<'EOF'
accessdesk  operator pno100  database ad_screens_audit_aua  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Filters: none (F to filter)                                           no records
Time                Operator       What                 Target
No audit record you may read: audit.view is needed over its organisations.


















Enter Open  F Filter  c Clear  ? Help  q Quit
-- cursor 4,0
EOF
