/* catalogue.c: the fixed catalogue compiled into the engine (access-model.md
 * section 2): actions, payment types, key formats and the error messages. */
#include <stdio.h>
#include <string.h>

#include "accessdesk/fields.h"
#include "internal.h"

static const char *const action_names[ACT_COUNT] = {
    [ACT_ORG_VIEW] = "org.view",
    [ACT_USERS_VIEW] = "users.view",
    [ACT_USERS_MANAGE] = "users.manage",
    [ACT_USERS_MANAGE_STUDY_PROFILE] = "users.manage_study_profile",
    [ACT_CLUSTERS_VIEW] = "clusters.view",
    [ACT_CLUSTERS_MANAGE] = "clusters.manage",
    [ACT_ORGS_MANAGE] = "orgs.manage",
    [ACT_REPORTS_RUN] = "reports.run",
    [ACT_AUDIT_VIEW] = "audit.view",
    [ACT_ACHIEVEMENT_VIEW] = "achievement.view",
    [ACT_ACHIEVEMENT_DECLARE] = "achievement.declare",
    [ACT_ACCESS_GRANT_ANY] = "access.grant_any",
    [ACT_STUDY_VIEW] = "study.view",
    [ACT_STUDY_CONFIGURE] = "study.configure",
    [ACT_STUDY_USER_MANAGEMENT] = "study.user_management",
    [ACT_SUBJECT_VIEW] = "subject.view",
    [ACT_SUBJECT_EDIT] = "subject.edit",
    [ACT_DATA_ENTRY] = "data.entry",
    [ACT_DATA_REVIEW] = "data.review",
    [ACT_VOLUNTEER_VIEW] = "volunteer.view",
    [ACT_VOLUNTEER_RECRUIT] = "volunteer.recruit",
    [ACT_SCREENING_SCHEDULE] = "screening.schedule",
};

static const char *const payment_names[PAY_COUNT] = {
    [PAY_QOF] = "QOF", [PAY_GPES] = "GPES", [PAY_DES] = "DES",
    [PAY_CC] = "CC",   [PAY_VAC] = "VAC",   [PAY_LES] = "LES",
};

const char *engine_action_name(int action)
{
	return action >= 0 && action < ACT_COUNT ? action_names[action] : "?";
}

int engine_action_find(const char *name)
{
	for (int a = 0; a < ACT_COUNT; a++)
		if (strcmp(action_names[a], name) == 0)
			return a;
	return -1;
}

enum engine_domain engine_action_domain(int action)
{
	return (ENGINE_ACT(action) & ENGINE_ORG_ACTIONS) ? DOMAIN_ORGANISATION
	                                                 : DOMAIN_STUDY;
}

void engine_names_text(char *buf, size_t len, uint32_t bits, int n,
                       const char *(*name)(int), const char *sep)
{
	size_t at = 0;
	if (len)
		buf[0] = '\0';
	for (int i = 0; i < n && i < 32 && at < len; i++)
		if (bits & ((uint32_t)1u << i))
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
			                       at ? sep : "", name(i));
}

const char *engine_payment_name(int payment)
{
	return payment >= 0 && payment < PAY_COUNT ? payment_names[payment]
	                                           : "?";
}

int engine_payment_find(const char *name)
{
	for (int p = 0; p < PAY_COUNT; p++)
		if (strcmp(payment_names[p], name) == 0)
			return p;
	return -1;
}

const char *engine_domain_name(enum engine_domain d)
{
	return d == DOMAIN_STUDY ? "study" : "organisation";
}

const char *engine_reach_name(enum engine_reach r)
{
	return r == REACH_ORGANISATION ? "organisation" : "subtree";
}

/* The formats are those of the one table of field rules. */
bool engine_valid_org_code(const char *s)
{
	return field_valid(FIELD_ORG_CODE, s);
}

bool engine_valid_login(const char *s)
{
	return field_valid(FIELD_LOGIN, s);
}

bool engine_valid_short_name(const char *s)
{
	return field_valid(FIELD_SHORT_NAME, s);
}

static const char *const messages[ENGINE_ERR_COUNT] = {
    [ENGINE_OK] = "no error",
    [ENGINE_ENOMEM] = "out of memory",
    [ENGINE_EBAD_CODE] = "a code is 1-32 letters, digits, '-', '_' or '.'",
    [ENGINE_EBAD_LOGIN] = "a login is 1-64 lower-case letters, digits, "
                          "'.', '_' or '-', starting with a letter or "
                          "digit",
    [ENGINE_EBAD_SHORT_NAME] = "a cluster short name is 10 upper-case hex "
                               "digits",
    [ENGINE_EEMPTY_NAME] = "a name may not be empty",
    [ENGINE_EDUP_ORG] = "an organisation with this code exists "
                        "(codes are compared case-insensitively)",
    [ENGINE_EDUP_ROLE] = "a role with this name exists",
    [ENGINE_EBUILTIN_ROLE] = "a custom role may not take a built-in "
                             "role's name",
    [ENGINE_EDUP_CLUSTER] = "a cluster with this short name exists",
    [ENGINE_EDUP_STUDY] = "a study with this code exists",
    [ENGINE_EDUP_USER] = "a user with this login exists",
    [ENGINE_EDUP_GRANT] = "the user already has a grant at this "
                          "organisation",
    [ENGINE_EDUP_ENTRY] = "the user is already listed for this study",
    [ENGINE_EDUP_ITEM] = "the same item appears twice in the list",
    [ENGINE_ENO_SUCH] = "no such entity",
    [ENGINE_ECYCLE] = "the parent link would make a cycle",
    [ENGINE_ENO_ACTIONS] = "a role needs at least one action",
    [ENGINE_EACTION_DOMAIN] = "the action belongs to the other domain",
    [ENGINE_EREACH_STUDY] = "a study role has no reach",
    [ENGINE_ENO_ROLES] = "a grant needs at least one role",
    [ENGINE_EROLE_DOMAIN] = "the role belongs to the other domain",
    [ENGINE_EMEMBER_OUTSIDE] = "a cluster member must be a strict "
                               "descendant of the cluster's owner",
    [ENGINE_ECLUSTER_NOT_OWNED] = "a grant may select only clusters "
                                  "owned by its organisation",
    [ENGINE_ENOT_SITE] = "the organisation is not a site",
    [ENGINE_EBAD_PAYMENT] = "a payment type goes with achievement.view "
                            "or achievement.declare only",
    [ENGINE_EBAD_ACTION] = "the action does not apply to this target",
    [ENGINE_ENOT_INDEXED] = "the organisation tree changed and was not "
                            "re-indexed",
};

const char *engine_strerror(enum engine_err e)
{
	return e >= 0 && e < ENGINE_ERR_COUNT ? messages[e] : "unknown error";
}
