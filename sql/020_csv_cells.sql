-- 020_csv_cells.sql: a report cell made safe to open in a spreadsheet:
-- csv.c's rule (csv_cell_neutralised) for the report that the database
-- writes itself with COPY (src/store/report.c). The rows written one by
-- one take the rule from csv.c; this is its one place in SQL.
--
-- A spreadsheet takes a cell that begins with =, +, - or @ for a formula
-- (and a leading TAB or CR can hide one), so a name such as
-- =HYPERLINK("http://x","y") would act when the file is opened. As
-- OWASP's advice on CSV injection says, such a cell is written with a
-- single quote before it, which the spreadsheet shows as text. A phone
-- number "+44 20 ..." or a value "-1" gets the quote too: the rule looks at
-- the first character only. NULL stays NULL; '' stays ''.
--
-- A plain SQL expression (no STRICT, no SET), so that the planner inlines
-- it into the report's statement rather than calling a function per cell;
-- ascii() of the first character is an integer, compared with no text
-- made (left(v, 1) IN (...) was about a third slower over a whole report).
-- The codes: TAB 9, CR 13, '+' 43, '-' 45, '=' 61, '@' 64.

CREATE FUNCTION ad_csv_cell(v text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ascii(v) IN (9, 13, 43, 45, 61, 64)
                THEN '''' || v ELSE v END;
