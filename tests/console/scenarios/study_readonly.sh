# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_readonly "Study Configure with --read-only (Sue Manning, \
Study User Management): the list is shown, the key bar offers no change, \
the Action menu, marking, Delete and the settings are refused with a \
message, nothing written"

load studies.conf
before=$(q "SELECT max(id) FROM audit")
operator sum001 --read-only

steps '4pSTUDY-B<Enter>'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_readonly  DEMO  READ-ONLY
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

p Study  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_readonly  DEMO  READ-ONLY
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

p Study  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps 'A'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_readonly  DEMO  READ-ONLY
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
Read-only mode: the user access list cannot be changed.
p Study  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_readonly  DEMO  READ-ONLY
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
Read-only mode: the user access list cannot be changed.
p Study  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps 'xd'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_readonly  DEMO  READ-ONLY
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
Read-only mode: the user access list cannot be changed.
p Study  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_readonly  DEMO  READ-ONLY
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
Read-only mode: the user access list cannot be changed.
p Study  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps 'O<Space>'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_readonly  DEMO  READ-ONLY
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Settings
    Setting                       Now
    Require site restrictions?    No
    Require study restrictions?   No



0 of 2 ticked  Cannot change: Read-only mode: the settings cannot be changed.
Require site restrictions?
Yes: a user with no site restriction reaches no study that has no user access
  list, unless Study User Management lets them in.









Read-only mode: the settings cannot be changed.
Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

check "nothing was written" q_is "SELECT max(id) FROM audit" "$before"
