-- 002_catalogue.sql: the built-in catalogue of access-model.md section 2 as
-- rows: the 22 actions (in catalogue order), the 6 payment types and the 9
-- built-in roles with their actions. 003_invariants.sql makes all of it
-- read-only afterwards: a later migration that must change it disables the
-- guarding triggers for its own transaction (ALTER TABLE ... DISABLE TRIGGER,
-- then ENABLE again), which only the tables' owner can do.

INSERT INTO actions (name, domain, recruitment, payment_qualified, position)
VALUES
    ('org.view',                   'organisation', false, false,  0),
    ('users.view',                 'organisation', false, false,  1),
    ('users.manage',               'organisation', false, false,  2),
    ('users.manage_study_profile', 'organisation', false, false,  3),
    ('clusters.view',              'organisation', false, false,  4),
    ('clusters.manage',            'organisation', false, false,  5),
    ('orgs.manage',                'organisation', false, false,  6),
    ('reports.run',                'organisation', false, false,  7),
    ('audit.view',                 'organisation', false, false,  8),
    ('achievement.view',           'organisation', false, true,   9),
    ('achievement.declare',        'organisation', false, true,  10),
    ('access.grant_any',           'organisation', false, false, 11),
    ('study.view',                 'study',        false, false, 12),
    ('study.configure',            'study',        false, false, 13),
    ('study.user_management',      'study',        false, false, 14),
    ('subject.view',               'study',        false, false, 15),
    ('subject.edit',               'study',        false, false, 16),
    ('data.entry',                 'study',        false, false, 17),
    ('data.review',                'study',        false, false, 18),
    ('volunteer.view',             'study',        true,  false, 19),
    ('volunteer.recruit',          'study',        true,  false, 20),
    ('screening.schedule',         'study',        true,  false, 21);

INSERT INTO payment_types (code, position)
VALUES ('QOF', 0), ('GPES', 1), ('DES', 2), ('CC', 3), ('VAC', 4), ('LES', 5);

-- One multi-row INSERT: the identity assigns ids in this order (1..9), which
-- is the stored order of the catalogue.
INSERT INTO roles (name, domain, reach, builtin)
VALUES
    ('System Administrator',        'organisation', 'subtree',      true),
    ('Advanced User Administrator', 'organisation', 'subtree',      true),
    ('User Administrator',          'organisation', 'organisation', true),
    ('View',                        'organisation', 'subtree',      true),
    ('Study Administrator',         'study',        'subtree',      true),
    ('Study Coordinator',           'study',        'subtree',      true),
    ('Investigator',                'study',        'subtree',      true),
    ('Data Manager',                'study',        'subtree',      true),
    ('Recruiter',                   'study',        'subtree',      true);

-- "every organisation action" / "every study action"
INSERT INTO role_actions (role_id, action)
SELECT r.id, a.name
  FROM roles r
  JOIN actions a ON a.domain = r.domain
 WHERE r.builtin
   AND r.name IN ('System Administrator', 'Study Administrator')
 ORDER BY r.id, a.position;

INSERT INTO role_actions (role_id, action)
SELECT r.id, v.action
  FROM (VALUES
    ('Advanced User Administrator', 'org.view'),
    ('Advanced User Administrator', 'users.view'),
    ('Advanced User Administrator', 'users.manage'),
    ('Advanced User Administrator', 'users.manage_study_profile'),
    ('Advanced User Administrator', 'clusters.view'),
    ('Advanced User Administrator', 'clusters.manage'),
    ('Advanced User Administrator', 'reports.run'),
    ('Advanced User Administrator', 'audit.view'),
    ('User Administrator',          'org.view'),
    ('User Administrator',          'users.view'),
    ('User Administrator',          'users.manage'),
    ('User Administrator',          'clusters.view'),
    ('User Administrator',          'reports.run'),
    ('View',                        'org.view'),
    ('View',                        'users.view'),
    ('View',                        'clusters.view'),
    ('View',                        'reports.run'),
    ('View',                        'achievement.view'),
    ('Study Coordinator',           'study.view'),
    ('Study Coordinator',           'study.configure'),
    ('Study Coordinator',           'subject.view'),
    ('Study Coordinator',           'data.entry'),
    ('Investigator',                'study.view'),
    ('Investigator',                'subject.view'),
    ('Investigator',                'subject.edit'),
    ('Investigator',                'data.review'),
    ('Data Manager',                'study.view'),
    ('Data Manager',                'subject.view'),
    ('Data Manager',                'data.entry'),
    ('Data Manager',                'data.review'),
    ('Recruiter',                   'volunteer.view'),
    ('Recruiter',                   'volunteer.recruit'),
    ('Recruiter',                   'screening.schedule')
  ) AS v (role, action)
  JOIN roles r ON r.name = v.role AND r.builtin;
