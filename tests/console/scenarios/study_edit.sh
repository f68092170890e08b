# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_edit "Study Configure's Edit as Cora Owens on STUDY-B: the \
entry of Stan Lee, whose role Recruiter has left his profile, is marked \
and says that it denies (check --study agrees); Xavier Young is listed \
with Role X, and Edit offers only his profile roles (Role X, now, and \
Role Y) or all profile roles; Role Y is set, so in STUDY-B he has Role \
Y's actions only (check --study: subject.edit allowed, data.entry \
denied) and both roles elsewhere (STUDY-D); the same role again writes \
nothing. Her own entry she may neither edit nor delete, and on Import \
she is dim, each with the engine's reason"

load studies.conf
before=$(q "SELECT max(id) FROM audit")
operator coo001

# shellcheck source=../study_checks.sh
. "$dir/study_checks.sh"

steps '4pSTUDY-B<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role X









────────────────────────────────────────────────────────────────────────────────
sta001 Lee, Stan: this entry denies access (its role has left the profile)
study role no longer in the user's profile (Recruiter in STUDY-B)
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role X









--------------------------------------------------------------------------------
sta001 Lee, Stan: this entry denies access (its role has left the profile)
study role no longer in the user's profile (Recruiter in STUDY-B)
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps '/<C-u>xy0001<Enter>e'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Role of xy0001 on STUDY-B (profile roles only)  Type to filter: _  (3 of 3)
Code              Name
all profile roles every role of the profile
Role X            study.view subject.view data.entry (now)
Role Y            study.view subject.edit data.review
















Enter Pick  Esc Cancel  F1 Help
-- cursor 4,0
EOF

steps 'Role Y<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y









────────────────────────────────────────────────────────────────────────────────
xy0001 Young, Xavier
listed for STUDY-B with role Role Y: study.view subject.edit data.review
Profile roles: Role X, Role Y
xy0001 is listed on STUDY-B with Role Y.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y









--------------------------------------------------------------------------------
xy0001 Young, Xavier
listed for STUDY-B with role Role Y: study.view subject.edit data.review
Profile roles: Role X, Role Y
xy0001 is listed on STUDY-B with Role Y.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF

steps 'eRole Y<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y









────────────────────────────────────────────────────────────────────────────────
xy0001 Young, Xavier
listed for STUDY-B with role Role Y: study.view subject.edit data.review
Profile roles: Role X, Role Y
xy0001 was already listed on STUDY-B with Role Y.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y









--------------------------------------------------------------------------------
xy0001 Young, Xavier
listed for STUDY-B with role Role Y: study.view subject.edit data.review
Profile roles: Role X, Role Y
xy0001 was already listed on STUDY-B with Role Y.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF

check "one audit record: the edit of STUDY-B by coo001, Role X before, Role Y after" \
	q_is "SELECT operator || ' ' || action || ' ' || target || ' ' || (SELECT e->>'role' FROM jsonb_array_elements(before->'user_access') e WHERE e->>'user' = 'xy0001') || ' ' || (SELECT e->>'role' FROM jsonb_array_elements(after->'user_access') e WHERE e->>'user' = 'xy0001') FROM audit WHERE id > $before" \
	"coo001 edit STUDY-B Role X Role Y"
check "the stale entry denies: sta001 may not study.view STUDY-B" \
	decides sta001 study.view STUDY-B deny
check "elsewhere (STUDY-C, no list) sta001's profile still decides: study.view allowed" \
	decides sta001 study.view STUDY-C allow
check "listed with Role Y: xy0001 may subject.edit in STUDY-B" \
	decides xy0001 subject.edit STUDY-B allow
check "listed with Role Y: xy0001 may not data.entry in STUDY-B (Role X's)" \
	decides xy0001 data.entry STUDY-B deny
check "unlisted STUDY-D: xy0001 has both roles there (data.entry)" \
	decides xy0001 data.entry STUDY-D allow

# Her own entry: neither Edit nor Delete (section 5: on themself, nothing
# but their contact details); on S-001's Import she is listed dim.
steps '4pSTUDY-B<Enter>/<C-u>coo001<Enter>e'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y









────────────────────────────────────────────────────────────────────────────────
coo001 Owens, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
Cannot edit coo001's entry: operators may change only their own contact details
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 7,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y









--------------------------------------------------------------------------------
coo001 Owens, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
Cannot edit coo001's entry: operators may change only their own contact details
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 7,0
EOF

steps 'd'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y








────────────────────────────────────────────────────────────────────────────────
coo001 Owens, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
Cannot delete coo001's entry: operators may change only their own contact
details
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 7,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role Y








--------------------------------------------------------------------------------
coo001 Owens, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
Cannot delete coo001's entry: operators may change only their own contact
details
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 7,0
EOF

steps 'pS-001<Enter>isA01AAA<Enter>/<C-u>coo001<Enter><Space>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into S-001: site A01AAA
    User ID Name                Profile Roles           Sites
    coo001  Owens, Cora         Study Coordinator
















0 of 19 ticked  Search: coo001 (1 shown)  Cannot change: operators may change o>
operators may change only their own contact details
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

check "her own entry is as it was" \
	q_is "SELECT coalesce(r.name, '-') FROM study_access a JOIN users u ON u.id = a.user_id LEFT JOIN roles r ON r.id = a.role_id WHERE u.login = 'coo001'" \
	"-"

# The database announces a change while the Action menu (then the role
# picker) is open: Edit still edits the entry under the cursor, by its
# User ID, in the world as it now is
steps '4pSTUDY-B<Enter>/<C-u>xy0001<Enter>A'
sync
sql "NOTIFY accessdesk_changed"
steps '<Notified>e'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Role of xy0001 on STUDY-B (profile roles only)  Type to filter: _  (3 of 3)
Code              Name
all profile roles every role of the profile
Role X            study.view subject.view data.entry
Role Y            study.view subject.edit data.review (now)
















Enter Pick  Esc Cancel  F1 Help
-- cursor 4,0
EOF

sync
sql "NOTIFY accessdesk_changed"
steps '<Notified>Role X<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role X









────────────────────────────────────────────────────────────────────────────────
xy0001 Young, Xavier
listed for STUDY-B with role Role X: study.view subject.view data.entry
Profile roles: Role X, Role Y
xy0001 is listed on STUDY-B with Role X.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_edit  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
  xy0001  Young, Xavier                Role X









--------------------------------------------------------------------------------
xy0001 Young, Xavier
listed for STUDY-B with role Role X: study.view subject.view data.entry
Profile roles: Role X, Role Y
xy0001 is listed on STUDY-B with Role X.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF

check "after the reloads, xy0001 has Role X again" \
	q_is "SELECT r.name FROM study_access a JOIN users u ON u.id = a.user_id JOIN roles r ON r.id = a.role_id WHERE u.login = 'xy0001'" \
	"Role X"
