# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_settings "The settings switches (O on Study Configure): Ada \
Marsh, a System Administrator of the root (access.grant_any there), ticks \
Require site restrictions?; before it is saved she is told how many users \
it shuts out of a study they reach now, and the count equals the users \
check --study then denies a study it allowed before; the switch is one \
audit record; Cora Owens, a Study Coordinator, sees the switches dim and \
is told why she may not change them"

load studies.conf
before=$(q "SELECT max(id) FROM audit")
operator adm001

# shellcheck source=../study_checks.sh
. "$dir/study_checks.sh"
pairs_before=$(reached $(q "SELECT code FROM studies ORDER BY code"))

steps '4O'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings  DEMO
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

steps '<Space><C-s>'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
[x] Require site restrictions?    No
[ ] Require study restrictions?   No



1 of 2 ticked
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.








Require site restrictions? Yes: 7 users would lose access to a study. Save?
(y/n)
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 22,6
EOF

steps 'y'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_settings  DEMO
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

check "one audit record: the settings by adm001, site restrictions required" \
	q_is "SELECT operator || ' ' || action || ' ' || target_kind || ' ' || (before->>'require_site_restrictions') || '>' || (after->>'require_site_restrictions') || ' ' || (after->>'require_study_restrictions') FROM audit WHERE id > $before" \
	"adm001 update settings false>true false"
check "the count asked about (7) is the users check --study now denies a study it allowed" \
	lost "$pairs_before" 7

operator coo001
steps '4O'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_settings  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
 x  Require site restrictions?    Yes
    Require study restrictions?   No



1 of 2 ticked  Cannot change: coo001 lacks access.grant_any over a root organis>
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.










Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '<Space>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_settings  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
 x  Require site restrictions?    Yes
    Require study restrictions?   No



1 of 2 ticked  Cannot change: coo001 lacks access.grant_any over a root organis>
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.









coo001 lacks access.grant_any over a root organisation
Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

check "coo001 changed nothing" \
	q_is "SELECT count(*) FROM audit WHERE id > $before" "1"
