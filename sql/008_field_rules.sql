-- 008_field_rules.sql: the schema's checks follow the one table of field
-- rules (include/accessdesk/fields.h, src/fields/fields.c), which the form,
-- the policy loader and the ODS importer follow too: one constraint a
-- field, named TABLE_COLUMN_rule. tests/db/test_field_rules.c feeds the
-- table and these constraints the same values, generated from the table,
-- and they must agree. Lengths are in characters (the database is UTF-8);
-- character ranges are written as code points, so no locale changes what
-- they mean. (Plain expressions, not a function: a SQL function in a check
-- is parsed again by every statement that writes the row.)
--
-- Control characters in names are stored as given (the terminal's
-- sanitiser keeps them off the screen); files may not hold them, which the
-- loaders check on their own. A NULL passes: no title, no mobile phone.
--
-- The checks of 001 give way to these. They are added NOT VALID and then
-- validated: a database holding rows that an older, looser rule let in (an
-- email ".a@x.org", a phone "---") still migrates, with a warning naming
-- the rule; new and changed rows follow the table from now on.

-- codes: 1-32 letters, digits, '-', '_', '.'; names: 1-200 characters
ALTER TABLE organisations
    DROP CONSTRAINT organisations_code_check,
    DROP CONSTRAINT organisations_name_check,
    ADD CONSTRAINT organisations_code_rule
        CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$') NOT VALID,
    ADD CONSTRAINT organisations_name_rule
        CHECK (length(name) BETWEEN 1 AND 200) NOT VALID;

ALTER TABLE studies
    DROP CONSTRAINT studies_code_check,
    DROP CONSTRAINT studies_name_check,
    ADD CONSTRAINT studies_code_rule
        CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$') NOT VALID,
    ADD CONSTRAINT studies_name_rule
        CHECK (length(name) BETWEEN 1 AND 200) NOT VALID;

-- role names: 1-100 characters
ALTER TABLE roles
    DROP CONSTRAINT roles_name_check,
    ADD CONSTRAINT roles_name_rule
        CHECK (length(name) BETWEEN 1 AND 100) NOT VALID;

-- short names: 10 upper-case hex digits; a description: 0-2000 characters
ALTER TABLE clusters
    DROP CONSTRAINT clusters_short_name_check,
    DROP CONSTRAINT clusters_name_check,
    ADD CONSTRAINT clusters_short_name_rule
        CHECK (short_name ~ '^[0-9A-F]{10}$') NOT VALID,
    ADD CONSTRAINT clusters_name_rule
        CHECK (length(name) BETWEEN 1 AND 200) NOT VALID,
    ADD CONSTRAINT clusters_description_rule
        CHECK (length(description) <= 2000) NOT VALID;

ALTER TABLE users
    DROP CONSTRAINT users_login_check,
    DROP CONSTRAINT users_title_check,
    DROP CONSTRAINT users_first_name_check,
    DROP CONSTRAINT users_last_name_check,
    DROP CONSTRAINT users_email_check,
    DROP CONSTRAINT users_work_phone_check,
    DROP CONSTRAINT users_mobile_phone_check,
    -- 1-64 lower-case letters, digits, '.', '_', '-', starting with a
    -- letter or digit
    ADD CONSTRAINT users_login_rule
        CHECK (login ~ '^[a-z0-9][a-z0-9._-]{0,63}$') NOT VALID,
    ADD CONSTRAINT users_title_rule
        CHECK (title IN ('Mr', 'Mrs', 'Miss', 'Ms', 'Mx', 'Dr', 'Prof'))
        NOT VALID,
    ADD CONSTRAINT users_first_name_rule
        CHECK (length(first_name) BETWEEN 1 AND 200) NOT VALID,
    ADD CONSTRAINT users_last_name_rule
        CHECK (length(last_name) BETWEEN 1 AND 200) NOT VALID,
    -- 1-254 characters, no space or control character (C0, DEL, C1); one
    -- @ with something either side; before it no dot first, last or two
    -- in a row; after it two or more labels, none empty, the last at least
    -- 2 letters (ASCII letters, or any character beyond ASCII: the letters
    -- of internationalised names)
    ADD CONSTRAINT users_email_rule
        CHECK (length(email) BETWEEN 1 AND 254
               AND email !~ '[\u0001-\u0020\u007f-\u009f]'
               AND email ~ '^[^@]+@[^@]+$'
               AND email !~ '^\.|\.@|\.\.[^@]*@'
               AND email ~ '@[^.]+(\.[^.]+)+$'
               AND email ~ '\.[A-Za-z\u0080-\U0010ffff]{2,}$') NOT VALID,
    -- digits, spaces and + ( ) -, 1-32, at least one digit (an empty
    -- mobile phone is stored as NULL)
    ADD CONSTRAINT users_work_phone_rule
        CHECK (work_phone ~ '^[0-9 +()-]{1,32}$' AND work_phone ~ '[0-9]')
        NOT VALID,
    ADD CONSTRAINT users_mobile_phone_rule
        CHECK (mobile_phone ~ '^[0-9 +()-]{1,32}$'
               AND mobile_phone ~ '[0-9]') NOT VALID;

DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS tbl, conname
               FROM pg_constraint
              WHERE contype = 'c' AND NOT convalidated
                AND conname LIKE '%\_rule'
                AND conrelid IN ('organisations'::regclass,
                                 'studies'::regclass, 'roles'::regclass,
                                 'clusters'::regclass, 'users'::regclass)
              ORDER BY conname
    LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I',
                           c.tbl, c.conname);
        EXCEPTION WHEN check_violation THEN
            RAISE WARNING 'rows of % break the field rule %: they stay as they are, and must follow it when next changed',
                c.tbl, c.conname
                USING HINT = format('Correct them, then ALTER TABLE %s VALIDATE CONSTRAINT %I',
                                    c.tbl, c.conname);
        END;
    END LOOP;
END
$$;
