# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_import "Study Configure as Cora Owens, a Study Coordinator \
(the ClinSpark seed's world, studies.conf): the tab opens on S-001, the \
first study by code she may configure (no list: profile restrictions \
decide); p picks STUDY-B, its list in force; Import by Site lists the \
enabled users restricted to SITE-A or to no site who are not listed yet, \
with their profile roles and sites; two are ticked by search and saved in \
one change; Import by Role into STUDY-C (no list yet: profile restrictions \
decide) lists the users holding Investigator, and the entries get that \
role, so STUDY-C's list is in force: she is warned first that she, not \
among them, then no longer configures STUDY-C herself (the tab goes to \
the first study she still may); each import is one audit record; an \
import refused (a candidate disabled meanwhile) keeps its ticks"

load studies.conf
before=$(q "SELECT max(id) FROM audit")
operator coo001

steps '4'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: S-001 - First in human                                         no entries
Site: A01AAA - SvcProviderA01
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











────────────────────────────────────────────────────────────────────────────────




Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: S-001 - First in human                                         no entries
Site: A01AAA - SvcProviderA01
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











--------------------------------------------------------------------------------




Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps 'pSTUDY-B<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
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
accessdesk  operator coo001  database ad_screens_study_import  DEMO
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

steps 'A'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Action
 i  Import
 e  Edit
 d  Delete

















Enter Choose  Esc Back  F1 Help
-- cursor 3,1
EOF

steps 'is'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import by Site  Type to filter: _  (6 of 6)
Code          Name
D01DDD        SvcProviderD01
A01AAA        SvcProviderA01
B01BBB        SvcProviderB01
C01CCC        SvcProviderC01
SITE-A        Site A (Overland Park)
SITE-B        Site B (Baltimore)













Enter Pick  Esc Cancel  F1 Help
-- cursor 4,0
EOF

steps 'SITE-A<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-B: site SITE-A
    User ID Name                Profile Roles           Sites
[ ] uad400  Adams, Ursula       none: cannot log in
[ ] kal738  Alloway, Kenneth    none: cannot log in
[ ] gba204  Barlow, Gemma       none: cannot log in
[ ] mch112  Cheeseman, Matt     none: cannot log in
[ ] stu001  Dee, Stuart         Investigator
[ ] sum001  Manning, Sue        Study Administrator
[ ] adm001  Marsh, Ada          none: cannot log in
[ ] new001  Newman, Nell        Investigator
[ ] pno100  Noakes, Pat         none: cannot log in
[ ] znu300  Nuñez, Zoë          none: cannot log in
[ ] nog200  Ogden, Nora         none: cannot log in
[ ] pri001  One, Priya          Investigator
[ ] sit001  Patel, Sita         Investigator            SITE-A
[ ] imp001  Porter, Imogen      Data Manager, Recruiter
[ ] nor001  Rolfe, Noel         none: cannot log in
[ ] pri002  Two, Pete           Investigator
[ ] hwe500  Weston, Helen       none: cannot log in
0 of 17 ticked

^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-B: site SITE-A
    User ID Name                Profile Roles           Sites
[ ] uad400  Adams, Ursula       none: cannot log in
[ ] kal738  Alloway, Kenneth    none: cannot log in
[ ] gba204  Barlow, Gemma       none: cannot log in
[ ] mch112  Cheeseman, Matt     none: cannot log in
[ ] stu001  Dee, Stuart         Investigator
[ ] sum001  Manning, Sue        Study Administrator
[ ] adm001  Marsh, Ada          none: cannot log in
[ ] new001  Newman, Nell        Investigator
[ ] pno100  Noakes, Pat         none: cannot log in
[ ] znu300  Nu?ez, Zo?          none: cannot log in
[ ] nog200  Ogden, Nora         none: cannot log in
[ ] pri001  One, Priya          Investigator
[ ] sit001  Patel, Sita         Investigator            SITE-A
[ ] imp001  Porter, Imogen      Data Manager, Recruiter
[ ] nor001  Rolfe, Noel         none: cannot log in
[ ] pri002  Two, Pete           Investigator
[ ] hwe500  Weston, Helen       none: cannot log in
0 of 17 ticked

^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '/<C-u>sit001<Enter><Space>/<C-u>Nell<Enter><Space>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-B: site SITE-A
    User ID Name                Profile Roles           Sites
[x] new001  Newman, Nell        Investigator
















2 of 17 ticked  Search: Nell (1 shown)

^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-5 of 5
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  new001  Newman, Nell                 all profile roles
  coo001  Owens, Cora                  all profile roles
  sit001  Patel, Sita                  all profile roles      SITE-A
  xy0001  Young, Xavier                Role X







────────────────────────────────────────────────────────────────────────────────
sta001 Lee, Stan: this entry denies access (its role has left the profile)
study role no longer in the user's profile (Recruiter in STUDY-B)
Profile roles: Investigator
Imported 2 users into STUDY-B.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-B - Study B                                                1-5 of 5
Site: SITE-A - Site A (Overland Park)
User Access: in force
  User ID Name                         Role                   Sites
  sta001  Lee, Stan                    ! Recruiter
  new001  Newman, Nell                 all profile roles
  coo001  Owens, Cora                  all profile roles
  sit001  Patel, Sita                  all profile roles      SITE-A
  xy0001  Young, Xavier                Role X







--------------------------------------------------------------------------------
sta001 Lee, Stan: this entry denies access (its role has left the profile)
study role no longer in the user's profile (Recruiter in STUDY-B)
Profile roles: Investigator
Imported 2 users into STUDY-B.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps 'p'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study (the studies you may configure)  Type to filter: _  (5 of 5)
Code          Name
S-001         First in human (site A01AAA)
STUDY-B       Study B (site SITE-A)
STUDY-C       Study C (site SITE-B)
STUDY-D       Study D (site SITE-B)
STUDY-E       Study E (site SITE-A)













Type a code or name, Enter picks, Esc cancels.
Enter Pick  Esc Cancel  F1 Help
-- cursor 4,0
EOF

steps 'STUDY-C<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-C - Study C                                              no entries
Site: SITE-B - Site B (Baltimore)
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











────────────────────────────────────────────────────────────────────────────────




Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-C - Study C                                              no entries
Site: SITE-B - Site B (Baltimore)
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











--------------------------------------------------------------------------------




Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

steps 'irInvestigator<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-C: role Investigator
    User ID Name                Profile Roles           Sites
[ ] rec001  Cruz, Reece         Investigator, Recruiter SITE-B (recruitment onl>
[ ] stu001  Dee, Stuart         Investigator
[ ] sta001  Lee, Stan           Investigator
[ ] new001  Newman, Nell        Investigator
[ ] pri001  One, Priya          Investigator
[ ] sit001  Patel, Sita         Investigator            SITE-A
[ ] pri002  Two, Pete           Investigator










0 of 7 ticked

^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '/<C-u>Stuart<Enter><Space>/<C-u>pri001<Enter><Space><Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-C: role Investigator
    User ID Name                Profile Roles           Sites
[x] pri001  One, Priya          Investigator
















2 of 7 ticked  Search: pri001 (1 shown)
After this you may no longer configure STUDY-C yourself. Go on? (y/n)
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 22,70
EOF

steps 'y'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: S-001 - First in human                                         no entries
Site: A01AAA - SvcProviderA01
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.










────────────────────────────────────────────────────────────────────────────────



Imported 2 users into STUDY-C with role Investigator. You no longer configure
STUDY-C: another study is shown.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: S-001 - First in human                                         no entries
Site: A01AAA - SvcProviderA01
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.










--------------------------------------------------------------------------------



Imported 2 users into STUDY-C with role Investigator. You no longer configure
STUDY-C: another study is shown.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

# A candidate disabled while Import is open: past the question of her
# own access, the save is refused naming him, the Import stays open with
# its tick; Esc asks before dropping it.
steps 'pSTUDY-E<Enter>irInvestigator<Enter>/<C-u>sta001<Enter><Space>'
sync
sql "UPDATE users SET enabled = false WHERE login = 'sta001'"
steps '<C-s>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-E: role Investigator
    User ID Name                Profile Roles           Sites
[x] sta001  Lee, Stan           Investigator
















1 of 7 ticked  Search: sta001 (1 shown)
After this you may no longer configure STUDY-E yourself. Go on? (y/n)
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 22,70
EOF

steps 'y'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-E: role Investigator
    User ID Name                Profile Roles           Sites
[x] sta001  Lee, Stan           Investigator















1 of 7 ticked  Search: sta001 (1 shown)
sta001 is not a candidate for this import (an enabled user holding
Investigator)
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '<Esc>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-E: role Investigator
    User ID Name                Profile Roles           Sites
[x] sta001  Lee, Stan           Investigator
















1 of 7 ticked  Search: sta001 (1 shown)
Discard your unsaved changes? (y/n)
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 22,36
EOF

steps 'y'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                              no entries
Site: SITE-A - Site A (Overland Park)
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











────────────────────────────────────────────────────────────────────────────────




Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_import  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: STUDY-E - Study E                                              no entries
Site: SITE-A - Site A (Overland Park)
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.











--------------------------------------------------------------------------------




Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

check "two imports: two audit records of kind study by coo001" \
	q_is "SELECT string_agg(operator || ' ' || action || ' ' || target_kind || ' ' || target, ',' ORDER BY id) FROM audit WHERE id > $before" \
	"coo001 import study STUDY-B,coo001 import study STUDY-C"
check "the refused import wrote nothing: STUDY-E has no list" \
	q_is "SELECT count(*) FROM study_access a JOIN studies s ON s.id = a.study_id WHERE s.code = 'STUDY-E'" \
	"0"
check "STUDY-B: the site's import added both at the end (in the list's order), with all profile roles" \
	q_is "SELECT string_agg(u.login || ':' || coalesce(r.name, '-'), ' ' ORDER BY a.position) FROM study_access a JOIN studies s ON s.id = a.study_id JOIN users u ON u.id = a.user_id LEFT JOIN roles r ON r.id = a.role_id WHERE s.code = 'STUDY-B'" \
	"xy0001:Role X sta001:Recruiter coo001:- new001:- sit001:-"
check "STUDY-C: the role's import gave its entries Investigator" \
	q_is "SELECT string_agg(u.login || ':' || coalesce(r.name, '-'), ' ' ORDER BY a.position) FROM study_access a JOIN studies s ON s.id = a.study_id JOIN users u ON u.id = a.user_id LEFT JOIN roles r ON r.id = a.role_id WHERE s.code = 'STUDY-C'" \
	"stu001:Investigator pri001:Investigator"
