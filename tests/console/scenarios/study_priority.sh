# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe study_priority "The ClinSpark seed's priority rules, made on the \
screen and checked with check --study: Pete Two has Study C in his profile \
and is listed on STUDY-A, so he reaches both (rule 2); Cora Owens imports \
Nell Newman into STUDY-C (warned that she then no longer reaches it \
herself, not being listed: No keeps the Import open, its tick kept), \
whose list is then in force: Pete, not listed, \
no longer reaches it (rule 1) while Nell does; Sue Manning (Study User \
Management) reaches STUDY-C unlisted; Why? for Xavier Young (as Ada \
Marsh, who sees every user) says what the tab says: in STUDY-B, listed \
with Role X, Role X's actions only. Nell Newman, an Investigator, may \
configure no study, and the tab says why"

load studies.conf
operator coo001

# shellcheck source=../study_checks.sh
. "$dir/study_checks.sh"

check "rule 2, before: pri002 reaches STUDY-C (his profile's study)" \
	decides pri002 subject.edit STUDY-C allow
check "rule 2, before: pri002 reaches STUDY-A (listed there)" \
	decides pri002 subject.edit STUDY-A allow
check "rule 2, before: pri002 reaches no other study (STUDY-D)" \
	decides pri002 study.view STUDY-D deny
check "role restriction: xy0001, listed on STUDY-B with Role X of X and Y, has Role X's data.entry there" \
	decides xy0001 data.entry STUDY-B allow
check "role restriction: ... and not Role Y's subject.edit there" \
	decides xy0001 subject.edit STUDY-B deny
check "role restriction: ... while in STUDY-D, with no list, Role Y's subject.edit too" \
	decides xy0001 subject.edit STUDY-D allow

steps '4pSTUDY-C<Enter>isSITE-B<Enter>/<C-u>new001<Enter><Space>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-C: site SITE-B
    User ID Name                Profile Roles           Sites
[x] new001  Newman, Nell        Investigator
















1 of 20 ticked  Search: new001 (1 shown)

^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '<Enter>'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-C: site SITE-B
    User ID Name                Profile Roles           Sites
[x] new001  Newman, Nell        Investigator
















1 of 20 ticked  Search: new001 (1 shown)
After this you may no longer configure STUDY-C yourself. Go on? (y/n)
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 22,70
EOF

steps 'n'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Import Study Users into STUDY-C: site SITE-B
    User ID Name                Profile Roles           Sites
[x] new001  Newman, Nell        Investigator
















1 of 20 ticked  Search: new001 (1 shown)
Nothing changed.
^S Save  Esc Back  Space Tick  * Select All  / Search  F1 Help
-- cursor 4,1
EOF

steps '<C-s>y'
screen <<'EOF'
accessdesk  operator coo001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: S-001 - First in human                                         no entries
Site: A01AAA - SvcProviderA01
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.










────────────────────────────────────────────────────────────────────────────────



Imported 1 user into STUDY-C. You no longer configure STUDY-C: another study is
shown.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF
screen C <<'EOF'
accessdesk  operator coo001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Study: S-001 - First in human                                         no entries
Site: A01AAA - SvcProviderA01
User Access: not in force: profile restrictions decide
  User ID Name                         Role                   Sites
No user is listed: i imports users by Site or by Role.










--------------------------------------------------------------------------------



Imported 1 user into STUDY-C. You no longer configure STUDY-C: another study is
shown.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 6,0
EOF

check "rule 1: pri002 has STUDY-C in his profile, is not listed on its list: no access" \
	decides pri002 study.view STUDY-C deny
check "rule 1: new001, listed, reaches STUDY-C" \
	decides new001 subject.edit STUDY-C allow
check "rule 2 still: pri002 reaches STUDY-A, where he is listed" \
	decides pri002 subject.edit STUDY-A allow
check "Study User Management: sum001 reaches STUDY-C without being listed" \
	decides sum001 data.entry STUDY-C allow

operator adm001
steps 'f/<C-u>xy0001<Enter>w'
screen <<'EOF'
accessdesk  operator adm001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Why? xy0001: effective access
xy0001 (Young, Xavier): Enabled
Organisation access
no grant: no organisation access
Study access
STUDY-A (site SITE-A): denied
  study uses a user access list; user not listed (STUDY-A)
STUDY-B (site SITE-A): allowed
  listed for STUDY-B with role Role X: study.view subject.view data.entry
STUDY-C (site SITE-B): denied
  study uses a user access list; user not listed (STUDY-C)
STUDY-D (site SITE-B): allowed
  profile: STUDY-D has no user access list and the restrictions allow it:
    study.view subject.view subject.edit data.entry data.review
STUDY-E (site SITE-A): allowed
  profile: STUDY-E has no user access list and the restrictions allow it:
    study.view subject.view subject.edit data.entry data.review
+1 study at sites you may not see



Esc Back  F1 Help
-- cursor 3,0
EOF

operator new001
steps '4'
screen <<'EOF'
accessdesk  operator new001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
You may configure no study.
A study is configured by a user with study.configure or study.user_management
  in it.

For S-001: new001 has neither study.configure nor study.user_management in
  S-001; profile: S-001 has no user access list and the restrictions allow it:
  study.view subject.view subject.edit data.review














Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 2,0
EOF

steps 'p'
screen <<'EOF'
accessdesk  operator new001  database ad_screens_study_priority  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
You may configure no study.
A study is configured by a user with study.configure or study.user_management
  in it.

For S-001: new001 has neither study.configure nor study.user_management in
  S-001; profile: S-001 has no user access list and the restrictions allow it:
  study.view subject.view subject.edit data.review













You may configure no study.
Enter Edit  p Study  A Action  / Search  O Settings  ? Help  q Quit
-- cursor 2,0
EOF
