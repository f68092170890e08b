# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_settings_follow "Two consoles on the settings: A has \
changed nothing when B turns Require study restrictions? on; A's screen \
follows, its box ticked as saved, so ^S on A has nothing to save and \
undoes nothing"

load studies.conf
before=$(q "SELECT max(id) FROM audit")

session A
operator adm001
steps '4O'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_follow  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
[ ] Require site restrictions?    No
[ ] Require study restrictions?   No



0 of 2 ticked
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.










^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

session B
operator adm001
steps '4O<Down><Space><C-s>y'

session A
steps '<Notified>'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_follow  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
[ ] Require site restrictions?    No
[x] Require study restrictions?   Yes



1 of 2 ticked
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.










^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '<C-s>'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_follow  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
You may configure no study.
A study is configured by a user with study.configure or study.user_management
  in it.

For S-001: adm001 has neither study.configure nor study.user_management in
  S-001; no role: cannot log in














Nothing changed.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 2,0
EOF

check "B's switch stands, one audit record" \
	q_is "SELECT require_site_restrictions || ' ' || require_study_restrictions || ' ' || (SELECT count(*) FROM audit WHERE id > $before) FROM settings" \
	"false true 1"
