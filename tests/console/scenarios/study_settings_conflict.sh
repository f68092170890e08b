# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_settings_conflict "Two consoles on the settings: Ada Marsh \
(A) ticks Require site restrictions?; meanwhile (B, a second console of \
hers) Require study restrictions? is turned on and saved; A's screen, \
told of the change, shows it in Now and keeps her tick, and her save is \
refused as a conflict naming the other change, so B's switch is not \
undone; her tick kept, ^S then saves it on what B saved"

load studies.conf
before=$(q "SELECT max(id) FROM audit")
mask '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}' 'DD/MM/YYYY HH:MM:SS'

session A
operator adm001
steps '4O<Space>'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
[x] Require site restrictions?    No
[ ] Require study restrictions?   No



1 of 2 ticked
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.










^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

session B
operator adm001
steps '4O<Down><Space><C-s>y'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
You may configure no study.
A study is configured by a user with study.configure or study.user_management
  in it.

For S-001: adm001 has neither study.configure nor study.user_management in
  S-001; no role: cannot log in














Updated the settings successfully.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 2,0
EOF

session A
steps '<Notified>'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
[x] Require site restrictions?    No
[ ] Require study restrictions?   Yes



1 of 2 ticked
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.










^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '<C-s>'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
[x] Require site restrictions?    No
[ ] Require study restrictions?   Yes



1 of 2 ticked
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.








Require site restrictions? Yes: 2 users would lose access to a study. Save?
(y/n)
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 22,6
EOF

steps 'y'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
[x] Require site restrictions?    No
[x] Require study restrictions?   Yes



2 of 2 ticked
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.








settings was changed by adm001 at DD/MM/YYYY HH:MM:SS (update) after this form
was read
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

# (read now, checked at the end: a check ends the consoles)
refused=$(q "SELECT require_site_restrictions || ' ' || require_study_restrictions || ' ' || (SELECT count(*) FROM audit WHERE id > $before) FROM settings")

steps '<C-s>y'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings_conflict  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
You may configure no study.
A study is configured by a user with study.configure or study.user_management
  in it.

For S-001: adm001 has neither study.configure nor study.user_management in
  S-001; no role: cannot log in














Updated the settings successfully.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 2,0
EOF

check "B's switch stood and A's refused save wrote nothing" \
	is "$refused" "false true 1"
check "her tick kept, then saved on what B saved: both switches on, two audit records" \
	q_is "SELECT require_site_restrictions || ' ' || require_study_restrictions || ' ' || (SELECT count(*) FROM audit WHERE id > $before) FROM settings" \
	"true true 2"
