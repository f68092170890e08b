-- 018_search_keys.sql: a narrow operator's broad search by email or User
-- ID without a table read per match. Such a search is, for each visible
-- organisation, a range of 016's index on the grants' copy (one grant in
-- twenty for an email starting "a"); the walk then sorts the matches by
-- the list's sort, whose keys were read from the table, a page per match
-- (1,894 pages for a CCG's 19,733 users). These indexes hold the copy
-- itself (to test the pattern) and every walked sort's keys (Name, Date
-- Added, Status: src/store/user_list.c's narrow_sorts), so the range is
-- all that is read: 5.5 ms -> 2.0 ms for the email "a", 3.5 ms -> 2.0 ms
-- for the User ID "a", at 1,000,000 users.

CREATE INDEX grants_org_search_email_keys
    ON grants (org_id, lower(u_email) text_pattern_ops)
    INCLUDE (u_email, user_id, u_last, u_first, u_created, u_enabled);
DROP INDEX grants_org_search_email;

CREATE INDEX grants_org_search_login_keys
    ON grants (org_id, u_login text_pattern_ops)
    INCLUDE (user_id, u_last, u_first, u_created, u_enabled);
DROP INDEX grants_org_search_login;
