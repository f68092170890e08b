# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_many "A user access list of 10,000 entries (STUDY-E) pages \
as the Users list does: the count names the rows on screen, a page moves \
by the rows shown, End reaches the last, and / finds an entry by User ID \
or name"

load studies.conf
sql "INSERT INTO users (login, first_name, last_name, email, work_phone)
     SELECT 'm' || lpad(n::text, 5, '0'), 'Many', 'User ' || lpad(n::text, 5, '0'),
            'm' || n || '@example.com', '0200000000'
     FROM generate_series(1, 10000) n"
sql "INSERT INTO profile_roles (user_id, role_id, position)
     SELECT u.id, r.id, 0 FROM users u, roles r
     WHERE u.login ~ '^m[0-9]{5}$' AND r.name = 'Investigator'"
sql "INSERT INTO study_access (study_id, user_id, role_id, position)
     SELECT s.id, u.id, NULL, row_number() OVER (ORDER BY u.login)
     FROM studies s, users u WHERE s.code = 'STUDY-E' AND u.login ~ '^m[0-9]{5}$'"
operator sum001

steps '4pSTUDY-E<Enter>'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                          1-12 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m00001  User 00001, Many             all profile roles
  m00002  User 00002, Many             all profile roles
  m00003  User 00003, Many             all profile roles
  m00004  User 00004, Many             all profile roles
  m00005  User 00005, Many             all profile roles
  m00006  User 00006, Many             all profile roles
  m00007  User 00007, Many             all profile roles
  m00008  User 00008, Many             all profile roles
  m00009  User 00009, Many             all profile roles
  m00010  User 00010, Many             all profile roles
  m00011  User 00011, Many             all profile roles
  m00012  User 00012, Many             all profile roles
────────────────────────────────────────────────────────────────────────────────
m00001 User 00001, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                          1-12 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m00001  User 00001, Many             all profile roles
  m00002  User 00002, Many             all profile roles
  m00003  User 00003, Many             all profile roles
  m00004  User 00004, Many             all profile roles
  m00005  User 00005, Many             all profile roles
  m00006  User 00006, Many             all profile roles
  m00007  User 00007, Many             all profile roles
  m00008  User 00008, Many             all profile roles
  m00009  User 00009, Many             all profile roles
  m00010  User 00010, Many             all profile roles
  m00011  User 00011, Many             all profile roles
  m00012  User 00012, Many             all profile roles
--------------------------------------------------------------------------------
m00001 User 00001, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps '<PgDn>'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                         13-24 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m00013  User 00013, Many             all profile roles
  m00014  User 00014, Many             all profile roles
  m00015  User 00015, Many             all profile roles
  m00016  User 00016, Many             all profile roles
  m00017  User 00017, Many             all profile roles
  m00018  User 00018, Many             all profile roles
  m00019  User 00019, Many             all profile roles
  m00020  User 00020, Many             all profile roles
  m00021  User 00021, Many             all profile roles
  m00022  User 00022, Many             all profile roles
  m00023  User 00023, Many             all profile roles
  m00024  User 00024, Many             all profile roles
────────────────────────────────────────────────────────────────────────────────
m00013 User 00013, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                         13-24 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m00013  User 00013, Many             all profile roles
  m00014  User 00014, Many             all profile roles
  m00015  User 00015, Many             all profile roles
  m00016  User 00016, Many             all profile roles
  m00017  User 00017, Many             all profile roles
  m00018  User 00018, Many             all profile roles
  m00019  User 00019, Many             all profile roles
  m00020  User 00020, Many             all profile roles
  m00021  User 00021, Many             all profile roles
  m00022  User 00022, Many             all profile roles
  m00023  User 00023, Many             all profile roles
  m00024  User 00024, Many             all profile roles
--------------------------------------------------------------------------------
m00013 User 00013, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps '<End>'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                  9,989-10,000 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m09989  User 09989, Many             all profile roles
  m09990  User 09990, Many             all profile roles
  m09991  User 09991, Many             all profile roles
  m09992  User 09992, Many             all profile roles
  m09993  User 09993, Many             all profile roles
  m09994  User 09994, Many             all profile roles
  m09995  User 09995, Many             all profile roles
  m09996  User 09996, Many             all profile roles
  m09997  User 09997, Many             all profile roles
  m09998  User 09998, Many             all profile roles
  m09999  User 09999, Many             all profile roles
  m10000  User 10000, Many             all profile roles
────────────────────────────────────────────────────────────────────────────────
m10000 User 10000, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 17,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                  9,989-10,000 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m09989  User 09989, Many             all profile roles
  m09990  User 09990, Many             all profile roles
  m09991  User 09991, Many             all profile roles
  m09992  User 09992, Many             all profile roles
  m09993  User 09993, Many             all profile roles
  m09994  User 09994, Many             all profile roles
  m09995  User 09995, Many             all profile roles
  m09996  User 09996, Many             all profile roles
  m09997  User 09997, Many             all profile roles
  m09998  User 09998, Many             all profile roles
  m09999  User 09999, Many             all profile roles
  m10000  User 10000, Many             all profile roles
--------------------------------------------------------------------------------
m10000 User 10000, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 17,0
EOF

steps '/<C-u>m05000<Enter>'
screen <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                   5,000-5,011 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m05000  User 05000, Many             all profile roles
  m05001  User 05001, Many             all profile roles
  m05002  User 05002, Many             all profile roles
  m05003  User 05003, Many             all profile roles
  m05004  User 05004, Many             all profile roles
  m05005  User 05005, Many             all profile roles
  m05006  User 05006, Many             all profile roles
  m05007  User 05007, Many             all profile roles
  m05008  User 05008, Many             all profile roles
  m05009  User 05009, Many             all profile roles
  m05010  User 05010, Many             all profile roles
  m05011  User 05011, Many             all profile roles
────────────────────────────────────────────────────────────────────────────────
m05000 User 05000, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator sum001  database ad_screens_study_many  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                   5,000-5,011 of 10,000
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  m05000  User 05000, Many             all profile roles
  m05001  User 05001, Many             all profile roles
  m05002  User 05002, Many             all profile roles
  m05003  User 05003, Many             all profile roles
  m05004  User 05004, Many             all profile roles
  m05005  User 05005, Many             all profile roles
  m05006  User 05006, Many             all profile roles
  m05007  User 05007, Many             all profile roles
  m05008  User 05008, Many             all profile roles
  m05009  User 05009, Many             all profile roles
  m05010  User 05010, Many             all profile roles
  m05011  User 05011, Many             all profile roles
--------------------------------------------------------------------------------
m05000 User 05000, Many
listed for STUDY-E with all profile roles: study.view subject.view subject.edit>
Profile roles: Investigator

Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
