-- 009_user_search.sql: the Users list's searches (screens.md "1 Users").
-- A name search typed "Alloway, Ken" or "Ken Alloway" is split into a last
-- and a first name prefix (src/store/user_list.c): one range scan of this
-- index on both. It serves a last name's prefix alone too, so 006's index
-- on the last name goes: with it there, the planner took the narrower
-- index and read every user of that last name to filter the first name
-- (11 ms for "Smith, Olivia" at 1,000,000 users, 0.6 ms on this one). An
-- Organisation search matches a name as well as a code.
CREATE INDEX users_search_last_first
    ON users (lower(last_name) text_pattern_ops, lower(first_name) text_pattern_ops);
DROP INDEX users_search_last;
CREATE INDEX organisations_search_name
    ON organisations (lower(name) text_pattern_ops);
