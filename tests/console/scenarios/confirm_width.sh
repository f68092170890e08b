# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe confirm_width "A question on the message line with non-ASCII \
letters (deleting an organisation named Zoë Ñuñez Ärzte): the cursor \
waits right after its (y/n), counted in columns, not bytes; a longer one \
breaks at a space by its width, its (y/n) whole"

sql "INSERT INTO organisations (code, name, parent_id)
     SELECT 'ZZ1', 'Zoë Ñuñez Ärzte', id FROM organisations WHERE code = 'lat05'"
sql "INSERT INTO organisations (code, name, parent_id)
     SELECT 'ZZ2', 'Zoë Ñuñez Ärzte und Ärztinnen der Königsallee', id
     FROM organisations WHERE code = 'lat05'"
operator mch112

steps '2/<C-u>ZZ1<Enter>d'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_confirm_width  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  LatOrg04                                                5        4
 └─[-] lat05  LatOrg05                                                1        0
    ├──── ZZ1  Zoë Ñuñez Ärzte                                        0        0
    └──── ZZ2  Zoë Ñuñez Ärzte und Ärztinnen der Königsa>             0        0







────────────────────────────────────────────────────────────────────────────────
ZZ1 Zoë Ñuñez Ärzte, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Delete ZZ1 (Zoë Ñuñez Ärzte)? It cannot be undone. (y/n)
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 22,57
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_confirm_width  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  LatOrg04                                                5        4
 +-[-] lat05  LatOrg05                                                1        0
    +---- ZZ1  Zo? ?u?ez ?rzte                                        0        0
    +---- ZZ2  Zo? ?u?ez ?rzte und ?rztinnen der K?nigsa>             0        0







--------------------------------------------------------------------------------
ZZ1 Zo? ?u?ez ?rzte, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Delete ZZ1 (Zo? ?u?ez ?rzte)? It cannot be undone. (y/n)
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 22,57
EOF

steps 'n/<C-u>ZZ2<Enter>d'
screen <<'EOF'
accessdesk  operator mch112  database ad_screens_confirm_width  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 ├─[+] ro1  NHSCB-RO 1                                                0        0
 ├─[+] lat01  LatOrg01                                                1        0
 ├──── lat02  LatOrg02                                                1        0
 ├─[+] lat04  LatOrg04                                                5        4
 └─[-] lat05  LatOrg05                                                1        0
    ├──── ZZ1  Zoë Ñuñez Ärzte                                        0        0
    └──── ZZ2  Zoë Ñuñez Ärzte und Ärztinnen der Königsa>             0        0






────────────────────────────────────────────────────────────────────────────────
ZZ2 Zoë Ñuñez Ärzte und Ärztinnen der Königsallee, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Delete ZZ2 (Zoë Ñuñez Ärzte und Ärztinnen der Königsallee)? It cannot be
undone. (y/n)
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 22,14
EOF
screen C <<'EOF'
accessdesk  operator mch112  database ad_screens_confirm_width  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
Code  Name                                                Site    Users Clusters
[-] nhs  NHS England                                                  2        0
 +-[+] ro1  NHSCB-RO 1                                                0        0
 +-[+] lat01  LatOrg01                                                1        0
 +---- lat02  LatOrg02                                                1        0
 +-[+] lat04  LatOrg04                                                5        4
 +-[-] lat05  LatOrg05                                                1        0
    +---- ZZ1  Zo? ?u?ez ?rzte                                        0        0
    +---- ZZ2  Zo? ?u?ez ?rzte und ?rztinnen der K?nigsa>             0        0






--------------------------------------------------------------------------------
ZZ2 Zo? ?u?ez ?rzte und ?rztinnen der K?nigsallee, under lat05 LatOrg05
User Administrators: none
Advanced User Administrators: none
Delete ZZ2 (Zo? ?u?ez ?rzte und ?rztinnen der K?nigsallee)? It cannot be
undone. (y/n)
a Add child  n Rename  m Move  d Delete  w Who?  / Search  ? Help  q Quit
-- cursor 22,14
EOF

steps 'n'
