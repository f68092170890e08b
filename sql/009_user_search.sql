-- 009_user_search.sql: the Users list's searches (screens.md "1 Users").
-- A name search typed "Alloway, Ken" or "Ken Alloway" is split into a last
-- and a first name prefix (src/store/user_list.c): one range scan of this
-- index on both, whatever the planner's statistics. An Organisation search
-- matches a name as well as a code.
CREATE INDEX users_search_last_first
    ON users (lower(last_name) text_pattern_ops, lower(first_name) text_pattern_ops);
CREATE INDEX organisations_search_name
    ON organisations (lower(name) text_pattern_ops);
