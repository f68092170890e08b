# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe who_as_of "Who has access? as of a date, as Matt Cheeseman: h asks \
for it; today (a date alone: the end of the day, so now) lists what there \
is now, the title says \
as of when and the row under the cursor which record gave it (the db load \
that made the grant, by the database's user); a date before the trail is \
refused saying where the trail begins; a bad date is refused saying what \
is wanted; empty is now again"

operator mch112
# the records' times and their loader are the run's: their place, not
# their value
mask '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}' 'DD/MM/YYYY HH:MM:SS'
mask 'by (#[0-9]+) [a-z0-9_]+ ' 'by \1 LOADER '
today=$(q "SELECT to_char(now(), 'DD/MM/YYYY')")
mask "as of $today" 'as of dd/mm/yyyy'
steps "2/<C-u>lat04<Enter>wh$today<Enter>"
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who had access to lat04 LatOrg04 as of dd/mm/yyyy
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrato> QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  lat04    View                        here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here









────────────────────────────────────────────────────────────────────────────────
kal738 Alloway, Kenneth: grant at lat04, User Administrator, View; payment type>
Access from grant here; given by #23 LOADER DD/MM/YYYY HH:MM:SS

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who had access to lat04 LatOrg04 as of dd/mm/yyyy
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrato> QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  lat04    View                        here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here









--------------------------------------------------------------------------------
kal738 Alloway, Kenneth: grant at lat04, User Administrator, View; payment type>
Access from grant here; given by #23 LOADER DD/MM/YYYY HH:MM:SS

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
steps 'h<C-u>01/01/2000 10:00<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who had access to lat04 LatOrg04 as of 01/01/2000 10:00
Action: any organisation action   0 users
Name                User ID Organis> Roles              Payment> From
the audit trail begins with record #1 at DD/MM/YYYY HH:MM:SS; it cannot rebuild













────────────────────────────────────────────────────────────────────────────────



F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who had access to lat04 LatOrg04 as of 01/01/2000 10:00
Action: any organisation action   0 users
Name                User ID Organis> Roles              Payment> From
the audit trail begins with record #1 at DD/MM/YYYY HH:MM:SS; it cannot rebuild













--------------------------------------------------------------------------------



F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
steps 'h<C-u>31/02/2026<Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who had access to lat04 LatOrg04 as of 01/01/2000 10:00
Action: any organisation action   0 users
Name                User ID Organis> Roles              Payment> From
the audit trail begins with record #1 at DD/MM/YYYY HH:MM:SS; it cannot rebuild













────────────────────────────────────────────────────────────────────────────────


As of: "31/02/2026" is not a date (DD/MM/YYYY or YYYY-MM-DD, optionally HH:MM).
F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who had access to lat04 LatOrg04 as of 01/01/2000 10:00
Action: any organisation action   0 users
Name                User ID Organis> Roles              Payment> From
the audit trail begins with record #1 at DD/MM/YYYY HH:MM:SS; it cannot rebuild













--------------------------------------------------------------------------------


As of: "31/02/2026" is not a date (DD/MM/YYYY or YYYY-MM-DD, optionally HH:MM).
F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
steps 'h<C-u><Enter>'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrato> QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  lat04    View                        here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here









────────────────────────────────────────────────────────────────────────────────
kal738 Alloway, Kenneth: grant at lat04, User Administrator, View; payment type>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_who_as_of  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Who has access to lat04 LatOrg04
Action: any organisation action   4 users
Name                User ID Organis> Roles              Payment> From
Alloway, Kenneth    kal738  lat04    User Administrato> QOF, DES here
Barlow, Gemma       gba204  lat04    Advanced User Adm>          here
Cheeseman, Matt     mch112  lat04    View                        here
Cheeseman, Matt     mch112  nhs      System Administra> QOF, GP> above
Weston, Helen       hwe500  lat04    Advanced User Adm> QOF, DES here









--------------------------------------------------------------------------------
kal738 Alloway, Kenneth: grant at lat04, User Administrator, View; payment type>
Access from grant here

F Action  h As of  r Report  / Search  Enter Details  Esc Back  F1 Help
-- cursor 5,0
EOF
