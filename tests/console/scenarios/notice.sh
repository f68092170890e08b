# shellcheck shell=sh
# Sourced by test_scenarios.sh (the words: its header).
describe notice "a server notice raised during a save (a trigger of the \
test's own on users, its text holding an ESC) shows on the message line \
after \"Updated user successfully.\", sanitised as '?', and never on raw \
stderr"

sql "CREATE FUNCTION test_notice() RETURNS trigger LANGUAGE plpgsql AS \$\$
     BEGIN
       RAISE NOTICE '% is watched: tell the %', NEW.login,
         chr(27) || '[31mred desk';
       RETURN NEW;
     END \$\$;
     CREATE TRIGGER test_notice AFTER UPDATE ON users FOR EACH ROW
       WHEN (NEW.login = 'kal738') EXECUTE FUNCTION test_notice()"
operator hwe500

steps '/Alloway<Enter><Enter>
<C-u>Ken.Alloway@nhs.uk
<C-s>'
screen <<'EOF'
accessdesk  operator hwe500  database ad_screens_notice  DEMO
1 Users 2 Organisations 3 Service Provider Clusters 4 Study Configure 5 Audit
User Details: kal738   * indicates required field(s)
Email Address *    [Ken.Alloway@nhs.uk                      ]
Title              < Mr >
First Name *       [Kenneth                                 ]
Last Name *        [Alloway                                 ]
User ID             kal738
Work Phone *       [0315841236                       ]
Mobile Phone       [                                 ]
CQRS Access
  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]
Organisation Access
  > lat04 - LatOrg04
  [ Add Organisation ]  [ Remove Organisation lat04 ]
  lat04 - LatOrg04:
Roles                [ ] System Administrator  [ ] Advanced User Administrator
                     [x] User Administrator  [x] View
Payment Type         [x] QOF  [ ] GPES  [x] DES  [ ] CC  [ ] VAC  [ ] LES
  Service Provider Cluster(s):
  Note: When no Provider Cluster is selected the user's access is not
  restricted by Provider Cluster.
Updated user successfully. server: kal738 is watched: tell the ?[31mred desk
^S Submit  Esc Back  F1 Help
-- cursor 3,38
EOF

check "the save was made" \
	q_is "SELECT email FROM users WHERE login = 'kal738'" "Ken.Alloway@nhs.uk"
check "the notice went nowhere else (stdout, stderr)" output_is ""
