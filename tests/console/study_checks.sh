# shellcheck shell=sh
# study_checks.sh: what the Study Configure scenarios ask `accessdesk
# check --study` (sourced by them: . "$dir/study_checks.sh"). Names of
# their own (st_*): the harness's n, s and the like are its state.

# decides USER ACTION STUDY WANT: check --study answers WANT (allow, deny).
decides() {
	"$bin" --config "$tmp/scenario.conf" check --user "$1" --action "$2" \
		--study "$3" >/dev/null 2>&1
	case $? in
	0) st_decision=allow ;;
	1) st_decision=deny ;;
	*) st_decision=error ;;
	esac
	is "$st_decision" "$4"
}

# reaches USER STUDY: has the user any access there? In studies.conf
# every role with an action holds study.view or volunteer.view, so
# study_actions is not empty exactly when one of the two is allowed.
reaches() {
	"$bin" --config "$tmp/scenario.conf" check --user "$1" \
		--action study.view --study "$2" >/dev/null 2>&1 ||
		"$bin" --config "$tmp/scenario.conf" check --user "$1" \
			--action volunteer.view --study "$2" >/dev/null 2>&1
}

# reached STUDY...: "login study" for each user with a profile role and
# each study named that the user reaches, one per line.
reached() {
	for st_user in $(q "SELECT login FROM users u WHERE EXISTS (SELECT 1 FROM profile_roles p WHERE p.user_id = u.id) ORDER BY login"); do
		for st_study in "$@"; do
			if reaches "$st_user" "$st_study"; then
				echo "$st_user $st_study"
			fi
		done
	done
}

# lost BEFORE WANT: the users who reached a study in BEFORE (reached's
# lines) and no longer do, counted, are WANT.
lost() {
	st_now=$(reached $(printf '%s\n' "$1" | cut -d' ' -f2 | sort -u))
	st_lost=$(printf '%s\n' "$1" | while read -r st_user st_study; do
		[ -n "$st_user" ] || continue
		printf '%s\n' "$st_now" | grep -qx "$st_user $st_study" || echo "$st_user"
	done | sort -u | grep -c .)
	is "$st_lost" "$2"
}

# gained BEFORE STUDY WANT: the users reaching STUDY now who did not in
# BEFORE, counted, are WANT.
gained() {
	st_gained=0
	for st_user in $(reached "$2" | cut -d' ' -f1); do
		printf '%s\n' "$1" | grep -qx "$st_user $2" ||
			st_gained=$((st_gained + 1))
	done
	is "$st_gained" "$3"
}
