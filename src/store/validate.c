/* validate.c: the User Details fields' rules, said in words before the
 * database's checks (which hold the same rules: the one table of field
 * rules, include/accessdesk/fields.h) would refuse them with a constraint
 * name; and the email another user already has. */
#include <stdio.h>
#include <string.h>

#include "accessdesk/fields.h"
#include "accessdesk/store.h"
#include "internal.h"

static const enum field user_fields[USER_FIELD_COUNT] = {
    [USER_FIELD_EMAIL] = FIELD_EMAIL,
    [USER_FIELD_TITLE] = FIELD_TITLE,
    [USER_FIELD_FIRST_NAME] = FIELD_FIRST_NAME,
    [USER_FIELD_LAST_NAME] = FIELD_LAST_NAME,
    [USER_FIELD_LOGIN] = FIELD_LOGIN,
    [USER_FIELD_WORK_PHONE] = FIELD_WORK_PHONE,
    [USER_FIELD_MOBILE_PHONE] = FIELD_MOBILE_PHONE,
};

/* Control characters in names are stored as given: the terminal sanitiser
 * keeps them off the screen (README, "Decisions"). */
bool store_user_field_valid(enum store_user_field f, const char *value,
                            char *msg, size_t len)
{
	return field_check(user_fields[f], value, msg, len);
}

bool store_user_form_valid(const struct store_user_form *f, char *msg,
                           size_t len)
{
	const char *values[USER_FIELD_COUNT] = {
	    f->email, f->title,      f->first_name,   f->last_name,
	    f->login, f->work_phone, f->mobile_phone,
	};
	for (int i = 0; i < USER_FIELD_COUNT; i++)
		if (!store_user_field_valid((enum store_user_field)i, values[i],
		                            msg, len))
			return false;
	return true;
}

bool store_email_taken(struct store *s, const char *email,
                       long long except_user_id, char *other_login, size_t len,
                       struct store_error *err)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", except_user_id);
	const char *p[] = {email ? email : "", id};
	if (other_login && len)
		other_login[0] = '\0';
	/* users_email: the index on lower(email) */
	PGresult *r = store_exec(s,
	                         "SELECT login FROM users WHERE lower(email) = "
	                         "lower($1) AND id <> $2::bigint ORDER BY id "
	                         "LIMIT 1",
	                         2, p, PGRES_TUPLES_OK, err);
	if (!r)
		return false;
	bool taken = PQntuples(r) > 0;
	if (taken && other_login && len)
		snprintf(other_login, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return taken;
}

bool store_field_ok(enum field f, const char *value, struct store_error *err)
{
	if (field_check(f, value, err->message, sizeof err->message))
		return true;
	snprintf(err->sqlstate, sizeof err->sqlstate, "%s", STORE_INVALID);
	return false;
}
