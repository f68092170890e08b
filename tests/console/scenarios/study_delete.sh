# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_delete "Study Configure's Delete as Sue Manning, a Study \
Administrator (Study User Management: every study, unlisted): on STUDY-B \
two entries are marked with x and deleted after one question, one audit \
record; on STUDY-A both entries are marked: deleting every entry asks \
again, saying how many more users the study opens to once profile \
restrictions decide (No keeps them); the count equals the users check \
--study lets in after the delete who it did not let in before"

load studies.conf
before=$(q "SELECT max(id) FROM audit")
operator sum001

# shellcheck source=../study_checks.sh
. "$dir/study_checks.sh"
reached_before=$(reached STUDY-A)

steps '4pSTUDY-B<Enter>/<C-u>sta001<Enter>x/<C-u>xy0001<Enter>x'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
x xy0001  Young, Xavier                Role X









────────────────────────────────────────────────────────────────────────────────
xy0001 Young, Xavier
listed for STUDY-B with role Role X: study.view subject.view data.entry
Profile roles: Role X, Role Y
2 marked: d deletes them.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
x xy0001  Young, Xavier                Role X









--------------------------------------------------------------------------------
xy0001 Young, Xavier
listed for STUDY-B with role Role X: study.view subject.view data.entry
Profile roles: Role X, Role Y
2 marked: d deletes them.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 8,0
EOF

steps 'd'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
x xy0001  Young, Xavier                Role X









────────────────────────────────────────────────────────────────────────────────
xy0001 Young, Xavier
listed for STUDY-B with role Role X: study.view subject.view data.entry
Profile roles: Role X, Role Y
Delete the 2 marked entries from STUDY-B's user access list? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,67
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-3 of 3
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x sta001  Lee, Stan                    ! Recruiter
  coo001  Owens, Cora                  all profile roles
x xy0001  Young, Xavier                Role X









--------------------------------------------------------------------------------
xy0001 Young, Xavier
listed for STUDY-B with role Role X: study.view subject.view data.entry
Profile roles: Role X, Role Y
Delete the 2 marked entries from STUDY-B's user access list? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,67
EOF

steps 'y'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  coo001  Owens, Cora                  all profile roles











────────────────────────────────────────────────────────────────────────────────
coo001 Owens, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
Deleted 2 entries from STUDY-B.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  coo001  Owens, Cora                  all profile roles











--------------------------------------------------------------------------------
coo001 Owens, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
Deleted 2 entries from STUDY-B.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps 'pSTUDY-A<Enter>xxd'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










────────────────────────────────────────────────────────────────────────────────
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Delete every entry of STUDY-A's user access list (2)? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,60
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










--------------------------------------------------------------------------------
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Delete every entry of STUDY-A's user access list (2)? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,60
EOF

steps 'y'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










────────────────────────────────────────────────────────────────────────────────
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Profile restrictions then decide: 6 more users reach STUDY-A. Delete all? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,79
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










--------------------------------------------------------------------------------
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Profile restrictions then decide: 6 more users reach STUDY-A. Delete all? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,79
EOF

steps 'n'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










────────────────────────────────────────────────────────────────────────────────
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Nothing deleted.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 7,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










--------------------------------------------------------------------------------
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Nothing deleted.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 7,0
EOF

steps 'Ad'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










────────────────────────────────────────────────────────────────────────────────
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Delete every entry of STUDY-A's user access list (2)? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,60
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                                1-2 of 2
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x imp001  Porter, Imogen               all profile roles
x pri002  Two, Pete                    all profile roles










--------------------------------------------------------------------------------
pri002 Two, Pete
listed for STUDY-A with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator
Delete every entry of STUDY-A's user access list (2)? (y/n)
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 22,60
EOF

steps 'yy'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                              no entries
Site: SITE-A - Site A (Overland Park)
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











────────────────────────────────────────────────────────────────────────────────



Deleted 2 entries from STUDY-A.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-A - Study A                                              no entries
Site: SITE-A - Site A (Overland Park)
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











--------------------------------------------------------------------------------



Deleted 2 entries from STUDY-A.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

check "two deletes: two audit records of STUDY-B and STUDY-A by sum001" \
	q_is "SELECT string_agg(operator || ' ' || action || ' ' || target || ' ' || jsonb_array_length(before->'user_access') || '>' || jsonb_array_length(after->'user_access'), ',' ORDER BY id) FROM audit WHERE id > $before" \
	"sum001 delete STUDY-B 3>1,sum001 delete STUDY-A 2>0"
check "STUDY-B keeps coo001 alone" \
	q_is "SELECT string_agg(u.login, ' ') FROM study_access a JOIN studies s ON s.id = a.study_id JOIN users u ON u.id = a.user_id WHERE s.code = 'STUDY-B'" \
	"coo001"
check "the warning's count (6) is the users check --study lets into STUDY-A now and not before" \
	gained "$reached_before" STUDY-A 6

# x marks; the marks stay through a reload (Cora's name changed, which
# the list then shows); *
# unmarks them all when all are marked, and marks them all again
steps '4pSTUDY-B<Enter>x'
# the keys done before the change, so that <Notified> waits for its
# announcement (not one taken between the keys above: CI saw that race)
sync
sql "UPDATE users SET last_name = 'Owen' WHERE login = 'coo001'"
steps '<Notified>'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x coo001  Owen, Cora                   all profile roles











────────────────────────────────────────────────────────────────────────────────
coo001 Owen, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
1 marked: d deletes them.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x coo001  Owen, Cora                   all profile roles











--------------------------------------------------------------------------------
coo001 Owen, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
1 marked: d deletes them.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps '*'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  coo001  Owen, Cora                   all profile roles











────────────────────────────────────────────────────────────────────────────────
coo001 Owen, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
0 marked.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  coo001  Owen, Cora                   all profile roles











--------------------------------------------------------------------------------
coo001 Owen, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
0 marked.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps '*'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x coo001  Owen, Cora                   all profile roles











────────────────────────────────────────────────────────────────────────────────
coo001 Owen, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
1 marked: d deletes them.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_delete  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-1 of 1
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
x coo001  Owen, Cora                   all profile roles











--------------------------------------------------------------------------------
coo001 Owen, Cora
listed for STUDY-B with all profile roles: study.view study.configure subject.v>
Profile roles: Study Coordinator
1 marked: d deletes them.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
