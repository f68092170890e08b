-- 012_studies.sql: Study Configure (screens.md "4 Study Configure").
--
-- Import's filter by role names the users holding that profile role: an
-- index scan of the role's rows, not of every profile.
CREATE INDEX profile_roles_role ON profile_roles (role_id);
