#!/bin/sh
# test_form_screens.sh: User Details on the form widget, as tig tests its
# screens: the real accessdesk runs a key script (ACCESSDESK_TEST_KEYS),
# <Dump> appends the screen to ACCESSDESK_TEST_DUMP, and each step's
# expected lines are written here, beside the keys that produce them.
# Steps find their way by search (/) and section jumps (^F, ^B), so a
# field added to the form changes no step. One database per scenario
# (migrated, screens.conf loaded), at 80x24, TERM=vt100, LC_ALL=C.UTF-8.
#
# Usage: test_form_screens.sh /path/to/accessdesk /path/to/tests/console
# (inside pg_virtualenv; skips without a server).
#
#   seed      the seed's job aid: an Advanced User Administrator at lat04
#             holding only that role (aua500, loaded on top of
#             screens.conf) opens Kenneth Alloway (lat04: User
#             Administrator, View, QOF, DES), jumps to the Service Provider
#             Cluster(s), ticks C61A6DB801 (the grant's code kept in view
#             above), submits; the narrowing is said and confirmed:
#             "Updated user successfully."; then `check --explain` shows
#             the narrowing (A01AAA allowed through the cluster, G00002 not)
#   layout    payment types on one row, roles side by side, the grant under
#             the cursor shown as soon as the cursor is on it
#   userid    typing into the User ID says why (existing and new user)
#   choices   the CQRS Access radio and Title answer Left/Right and Space
#   resend    Resend Registration Email with unsaved changes asks to submit
#             first, and goes to the stored address
#   quit      q outside a text field asks like Esc; in a text field it is
#             typed
#   tree      Add Organisation picks from the organisation tree (searched
#             with /), the grant added shown as the one under the cursor
#   clusters  a grant at an organisation with 420 clusters opens, shows and
#             saves the 420th ticked

# shellcheck disable=SC2016
set -u

. "$(dirname "$0")/../tap.sh"
tap_args "ACCESSDESK CONSOLE_DIR" "$@"
bin=$1
dir=$2
tap_tmpdir ad-form-screens
tap_runs
. "$(dirname "$0")/../db/pg.sh"
pg_skip_without_server

# shellcheck source-path=SCRIPTDIR source=fixture.sh
. "$(dirname "$0")/fixture.sh"
screen_env "$tmp/console.conf"
# shellcheck source-path=SCRIPTDIR source=wrap.sh
. "$(dirname "$0")/wrap.sh"
runs=0

# newdb NAME: a fresh database with the schema and screens.conf.
newdb() {
	pg_newdb "ad_form_$1"
	if ! "$bin" --config "$tmp/console.conf" db migrate >/dev/null 2>"$tmp/err" ||
		! "$bin" --config "$tmp/console.conf" db load "$dir/screens.conf" >/dev/null 2>>"$tmp/err"; then
		echo "Bail out! cannot make the database $PGDATABASE"
		sed 's/^/# /' "$tmp/err"
		exit 1
	fi
}

# run OPERATOR KEYS: the console on KEYS; the screens go to $tmp/dump, one
# file per <Dump> as $tmp/screen.N (N from 1).
run() {
	rm -f "$tmp/dump" "$tmp"/screen.*
	printf '%s' "$2" >"$tmp/keys"
	runs=$((runs + 1))
	# shellcheck disable=SC2086 # the wrapper's words
	LC_ALL=C.UTF-8 ACCESSDESK_TEST_SIZE=80x24 \
		ACCESSDESK_TEST_KEYS=$tmp/keys ACCESSDESK_TEST_DUMP=$tmp/dump \
		ACCESSDESK_VALGRIND_LOG=$(wrap_log form) \
		$wrap "$bin" --config "$tmp/console.conf" --operator "$1" \
		</dev/null >"$tmp/out" 2>"$tmp/err"
	status=$?
	wrap_check "console $runs (as $1)" form
	awk -v d="$tmp" 'BEGIN { n = 1 } { print > (d "/screen." n) }
		/^-- cursor / { close(d "/screen." n); n++ }' "$tmp/dump" 2>/dev/null
}

# has N TEXT...: screen N holds each TEXT as a whole line (trailing blanks
# cut, as the dump writes it).
has() {
	screen=$tmp/screen.$1
	shift
	[ -f "$screen" ] || {
		echo "# no screen $(basename "$screen") (status $status)"
		sed 's/^/# stderr: /' "$tmp/err"
		return 1
	}
	for want in "$@"; do
		if ! grep -Fxq -e "$want" "$screen"; then
			printf '# missing line: %s\n' "$want"
			sed 's/^/# screen: /' "$screen"
			return 1
		fi
	done
}

# lacks N TEXT: screen N holds no line containing TEXT.
lacks() {
	! grep -Fq -e "$2" "$tmp/screen.$1"
}

# line N Y: row Y (0-based) of screen N.
line() {
	sed -n "$(($2 + 1))p" "$tmp/screen.$1"
}

cursor_on() { # N TEXT: the terminal cursor's row holds TEXT
	row=$(sed -n 's/^-- cursor \([0-9]*\),.*/\1/p' "$tmp/screen.$1")
	line "$1" "$row" | grep -Fq -e "$2" || {
		printf '# cursor row %s: %s\n' "$row" "$(line "$1" "$row")"
		return 1
	}
}

q() { pg_q "$@"; }

# ---- seed: the job aid ------------------------------------------------------

newdb seed
cat >"$tmp/aua.conf" <<'EOF'
users = (
  { login = "aua500"; first_name = "Ann"; last_name = "Ahmed";
    email = "Ann.Ahmed@nhs.uk"; work_phone = "0315841299";
    access = ( { org = "lat04"; roles = [ "Advanced User Administrator" ]; } );
  }
);
EOF
"$bin" --config "$tmp/console.conf" db load "$tmp/aua.conf" >/dev/null 2>&1
run aua500 '
/Alloway<Enter><Enter><Dump>
<C-f><C-f><C-f><Dump>
<Space><Dump>
<C-s><Dump>
y<Dump>'
tap "seed: aua500 opens Kenneth Alloway's User Details" \
	has 1 "User Details: kal738   * indicates required field(s)" \
	"Email Address *    [Kenneth.Alloway@nhs.uk                  ]"
tap "seed: three ^F reach the first cluster; the grant's code stays in view above it" \
	eval 'has 2 "  lat04 - LatOrg04:" "  [ ] C61A6DB801  Eastern City Practices" &&
	      cursor_on 2 "C61A6DB801" && [ "$(line 2 3)" = "  lat04 - LatOrg04:" ]'
tap "seed: Space ticks C61A6DB801" \
	eval 'has 3 "  [x] C61A6DB801  Eastern City Practices" && cursor_on 3 C61A6DB801'
tap "seed: Submit says how far the access narrows and asks" \
	has 4 "kal738 will reach 1 organisation, was 8. Submit? (y/n)"
tap "seed: y: \"Updated user successfully.\"" \
	has 5 "Updated user successfully."
tap "seed: the database holds C61A6DB801 on kal738's lat04 grant" \
	is "$(q "SELECT string_agg(c.short_name, ',') FROM users u JOIN grants g ON g.user_id = u.id
	         JOIN grant_clusters gc ON gc.grant_id = g.id JOIN clusters c ON c.id = gc.cluster_id
	        WHERE u.login = 'kal738'")" "C61A6DB801"
"$bin" --config "$tmp/console.conf" check --user kal738 --action org.view \
	--org A01AAA --explain >"$tmp/check-member" 2>&1
"$bin" --config "$tmp/console.conf" check --user kal738 --action org.view \
	--org G00002 --explain >"$tmp/check-other" 2>&1
tap "seed: check --explain: A01AAA allowed through cluster C61A6DB801" \
	eval 'grep -q "^allow" "$tmp/check-member" && grep -q "C61A6DB801" "$tmp/check-member" ||
	      { sed "s/^/# /" "$tmp/check-member"; false; }'
tap "seed: check --explain: G00002, under lat04 but no member's, is denied now" \
	eval 'grep -q "^deny" "$tmp/check-other" ||
	      { sed "s/^/# /" "$tmp/check-other"; false; }'

# ---- layout -------------------------------------------------------------------

newdb layout
run hwe500 '/Barlow<Enter><Enter><C-f><C-f><Dump><Down><Dump>'
tap "layout: payment types on one row, roles side by side where they fit" \
	has 1 "Roles                [ ] System Administrator  [ ] Advanced User Administrator" \
	"                     [ ] User Administrator  [x] View" \
	"Payment Type         [x] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES"
tap "layout: the first grant (cgc04) is the one shown, marked" \
	eval 'has 1 "  > cgc04 - CommOrg04" "  cgc04 - CommOrg04:"'
tap "layout: Down onto lat04's row shows lat04's roles, no Enter needed" \
	has 2 "  > lat04 - LatOrg04" "  lat04 - LatOrg04:" \
	"Roles                [ ] System Administrator  [x] Advanced User Administrator" \
	"                     [ ] User Administrator  [ ] View" \
	"Payment Type         [ ] QOF  [ ] GPES  [ ] DES  [ ] CC  [ ] VAC  [ ] LES"

# ---- userid ------------------------------------------------------------------

newdb userid
# the User ID is the field before Work Phone: ^F to the access radio, then
# back over Mobile and Work Phone
run mch112 '/Alloway<Enter><Enter><C-f><Up><Up><Up>x<Dump><Esc><Esc>a<C-f><Up><Up><Up>x<Dump>'
tap "userid: typing into an existing user's User ID says why" \
	eval 'has 1 "User ID: a User ID never changes" && cursor_on 1 "User ID"'
tap "userid: and into a new user's" \
	eval 'has 2 "User ID: generated from the name on Submit" &&
	      has 2 "User ID             (generated from the name on Submit)"'

# ---- choices -------------------------------------------------------------------

newdb choices
run hwe500 '/Alloway<Enter><Enter><C-f><Right><Dump><Left><Dump><Space><Dump><C-b><Down><Right><Dump><Left><Left><Dump>'
tap "choices: Right sets CQRS Access to Disabled" \
	has 1 "  ( ) Enabled  (*) Disabled  [ Resend Registration Email ]"
tap "choices: Left back to Enabled, Space to Disabled again" \
	eval 'has 2 "  (*) Enabled  ( ) Disabled  [ Resend Registration Email ]" &&
	      has 3 "  ( ) Enabled  (*) Disabled  [ Resend Registration Email ]"'
tap "choices: Title answers Right and Left" \
	eval 'has 4 "Title              < Mrs >" && has 5 "Title              < (none) >"'

# ---- resend --------------------------------------------------------------------

newdb resend
run hwe500 '/Alloway<Enter><Enter><C-u>Ken.Alloway@nhs.uk<C-f><Tab><Enter><Dump>n<Dump><Enter>y<Dump>'
tap "resend: with unsaved changes it asks to submit first" \
	has 1 "Your changes are not submitted: submit them first? (y/n)"
tap "resend: n sends nothing and names the stored address (the message line cut at 80)" \
	eval 'grep -Fq "Not sent: it goes to the stored address (Kenneth.Alloway@nhs.uk); submit" "$tmp/screen.2" ||
	      { sed "s/^/# /" "$tmp/screen.2"; false; }'
tap "resend: y submits, then queues the email" \
	eval 'grep -Fq "Updated user successfully. Registration email queued for Ken.Alloway@nhs.uk." "$tmp/screen.3" ||
	      { sed "s/^/# /" "$tmp/screen.3"; false; }'
tap "resend: the new address is the stored one" \
	is "$(q "SELECT email FROM users WHERE login = 'kal738'")" "Ken.Alloway@nhs.uk"

# ---- quit --------------------------------------------------------------------------

newdb quit
run hwe500 '/Alloway<Enter><Enter><C-f><Right>q<Dump>n<Dump><C-b>q<Dump><C-f>qy<Dump>'
tap "quit: q on the radio with a change asks like Esc" \
	has 1 "Discard your unsaved changes? (y/n)"
tap "quit: n stays on the form" \
	has 2 "  ( ) Enabled  (*) Disabled  [ Resend Registration Email ]"
tap "quit: in a text field q is typed" \
	has 3 "Email Address *    [Kenneth.Alloway@nhs.ukq                 ]"
tap "quit: q then y leaves for the list" \
	eval 'grep -q "^Name ^" "$tmp/screen.4" && lacks 4 "User Details"'

# ---- tree ----------------------------------------------------------------------

newdb tree
run mch112 '/Ogden<Enter><Enter><C-f><C-f><Enter><Dump>/cgc04<Enter><Enter><Dump>'
tap "tree: Add Organisation shows the organisation tree" \
	has 1 "Add Organisation" "[-] nhs  NHS England" " ├─[+] lat04  LatOrg04"
tap "tree: a search and Enter add cgc04, shown as the grant under the cursor" \
	has 2 "  > cgc04 - CommOrg04" "  cgc04 - CommOrg04:" \
	"Added cgc04: choose its roles (a grant needs at least one)."

# ---- clusters --------------------------------------------------------------------

newdb clusters
q "INSERT INTO clusters (short_name, name, owner_id)
   SELECT upper(lpad(to_hex(i), 10, '0')), 'Cluster ' || i, o.id
     FROM generate_series(1, 420) i, organisations o WHERE o.code = 'lat04';
   INSERT INTO cluster_members (cluster_id, org_id, position)
   SELECT c.id, o.id, 1 FROM clusters c, organisations o
    WHERE o.code = 'A01AAA' AND c.name LIKE 'Cluster %'" >/dev/null
run hwe500 '/Alloway<Enter><Enter><C-f><C-f><C-f><C-f><S-Tab><Space><Dump><C-s>y<Dump>'
tap "clusters: 424 clusters at lat04: the 420th shown, ticked, the grant's code above" \
	eval 'has 1 "  [x] 00000001A4  Cluster 420" "  lat04 - LatOrg04:" && cursor_on 1 "00000001A4"'
tap "clusters: saved" \
	eval 'has 2 "Updated user successfully." &&
	      [ "$(q "SELECT c.short_name FROM users u JOIN grants g ON g.user_id = u.id
	              JOIN grant_clusters gc ON gc.grant_id = g.id JOIN clusters c ON c.id = gc.cluster_id
	             WHERE u.login = '"'"'kal738'"'"'")" = 00000001A4 ]'
tap "clusters: the console ended cleanly" is "$status" 0

echo "1..$n"
[ "$failures" -eq 0 ]
