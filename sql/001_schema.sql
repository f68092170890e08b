-- 001_schema.sql: the tables of access-model.md section 1.
-- Stored order (the order explanations cite) is the id order of grants and
-- the `position` of items inside a list. Every row a screen edits carries a
-- `version`, bumped on each change, for the stale-screen check.

-- Names are counted in characters and codes compared case-insensitively:
-- that needs a database that knows its text is UTF-8.
DO $$
BEGIN
    IF pg_encoding_to_char((SELECT encoding FROM pg_database
                            WHERE datname = current_database())) <> 'UTF8' THEN
        RAISE EXCEPTION 'accessdesk needs a UTF8 database, and this one is %',
            pg_encoding_to_char((SELECT encoding FROM pg_database
                                 WHERE datname = current_database()))
            USING HINT = 'createdb --encoding=UTF8 --template=template0 NAME';
    END IF;
END
$$;

CREATE TABLE organisations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
    name        text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    parent_id   bigint REFERENCES organisations (id),
    is_site     boolean NOT NULL DEFAULT false,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Codes are unique compared case-insensitively.
CREATE UNIQUE INDEX organisations_code_key ON organisations (lower(code));
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE roles (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 100),
    domain      text NOT NULL CHECK (domain IN ('organisation', 'study')),
    reach       text NOT NULL DEFAULT 'subtree'
                CHECK (reach IN ('subtree', 'organisation')),
    builtin     boolean NOT NULL DEFAULT false,
    version     integer NOT NULL DEFAULT 1,
    CHECK (domain = 'organisation' OR reach = 'subtree')
);

-- The action catalogue compiled into the engine, as rows to refer to.
CREATE TABLE actions (
    name        text PRIMARY KEY,
    domain      text NOT NULL CHECK (domain IN ('organisation', 'study')),
    recruitment boolean NOT NULL DEFAULT false,
    payment_qualified boolean NOT NULL DEFAULT false,
    position    integer NOT NULL UNIQUE
);

CREATE TABLE role_actions (
    role_id     integer NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    action      text NOT NULL REFERENCES actions (name),
    PRIMARY KEY (role_id, action)
);

CREATE TABLE payment_types (
    code        text PRIMARY KEY,
    position    integer NOT NULL UNIQUE
);

CREATE TABLE clusters (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    short_name  text NOT NULL UNIQUE CHECK (short_name ~ '^[0-9A-F]{10}$'),
    name        text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    description text NOT NULL DEFAULT '',
    owner_id    bigint NOT NULL REFERENCES organisations (id),
    version     integer NOT NULL DEFAULT 1
);
CREATE INDEX clusters_owner ON clusters (owner_id);

CREATE TABLE cluster_members (
    cluster_id  bigint NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    org_id      bigint NOT NULL REFERENCES organisations (id),
    position    integer NOT NULL,
    PRIMARY KEY (cluster_id, org_id)
);
CREATE INDEX cluster_members_org ON cluster_members (org_id);

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login       text NOT NULL UNIQUE
                CHECK (login ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    title       text CHECK (title IN ('Mr', 'Mrs', 'Miss', 'Ms', 'Mx', 'Dr', 'Prof')),
    first_name  text NOT NULL CHECK (first_name <> '' AND length(first_name) <= 200),
    last_name   text NOT NULL CHECK (last_name <> '' AND length(last_name) <= 200),
    email       text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
                                     AND length(email) <= 254),
    work_phone  text NOT NULL CHECK (work_phone ~ '^[0-9 +()-]{1,32}$'),
    mobile_phone text CHECK (mobile_phone ~ '^[0-9 +()-]{1,32}$'),
    unix_account text UNIQUE,
    enabled     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    version     integer NOT NULL DEFAULT 1
);
-- Sort and search keys of the Users list (keyset paging).
CREATE INDEX users_name ON users (last_name, first_name, id);
CREATE INDEX users_created ON users (created_at, id);
CREATE INDEX users_email ON users (lower(email));

CREATE TABLE grants (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    org_id      bigint NOT NULL REFERENCES organisations (id),
    UNIQUE (user_id, org_id)
);
CREATE INDEX grants_org ON grants (org_id);

CREATE TABLE grant_roles (
    grant_id    bigint NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    role_id     integer NOT NULL REFERENCES roles (id),
    position    integer NOT NULL,
    PRIMARY KEY (grant_id, role_id)
);

CREATE TABLE grant_payment_types (
    grant_id    bigint NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    payment_type text NOT NULL REFERENCES payment_types (code),
    PRIMARY KEY (grant_id, payment_type)
);

CREATE TABLE grant_clusters (
    grant_id    bigint NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
    cluster_id  bigint NOT NULL REFERENCES clusters (id),
    position    integer NOT NULL,
    PRIMARY KEY (grant_id, cluster_id)
);
CREATE INDEX grant_clusters_cluster ON grant_clusters (cluster_id);

CREATE TABLE studies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
    name        text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    site_id     bigint NOT NULL REFERENCES organisations (id),
    version     integer NOT NULL DEFAULT 1
);

-- Study user access lists: in force for a study once it has an entry.
CREATE TABLE study_access (
    study_id    bigint NOT NULL REFERENCES studies (id),
    user_id     bigint NOT NULL REFERENCES users (id),
    role_id     integer REFERENCES roles (id),
    position    integer NOT NULL,
    PRIMARY KEY (study_id, user_id)
);
CREATE INDEX study_access_user ON study_access (user_id);

CREATE TABLE profile_roles (
    user_id     bigint NOT NULL REFERENCES users (id),
    role_id     integer NOT NULL REFERENCES roles (id),
    position    integer NOT NULL,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE site_restrictions (
    user_id     bigint NOT NULL REFERENCES users (id),
    site_id     bigint NOT NULL REFERENCES organisations (id),
    recruitment_only boolean NOT NULL DEFAULT false,
    position    integer NOT NULL,
    PRIMARY KEY (user_id, site_id)
);

CREATE TABLE restricted_studies (
    user_id     bigint NOT NULL REFERENCES users (id),
    study_id    bigint NOT NULL REFERENCES studies (id),
    position    integer NOT NULL,
    PRIMARY KEY (user_id, study_id)
);

CREATE TABLE settings (
    id          integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    require_site_restrictions  boolean NOT NULL DEFAULT false,
    require_study_restrictions boolean NOT NULL DEFAULT false,
    version     integer NOT NULL DEFAULT 1
);
INSERT INTO settings DEFAULT VALUES;

-- Append-only record of every change, written in the change's transaction.
CREATE TABLE audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    operator    text NOT NULL,
    action      text NOT NULL,
    target_kind text NOT NULL,
    target      text NOT NULL,
    before      jsonb,
    after       jsonb,
    -- organisations the change touched (section 5, "read the audit trail")
    org_ids     bigint[] NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_target ON audit (target_kind, target);

-- Resend Registration Email: a queue that a mailer reads.
CREATE TABLE registration_emails (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    email       text NOT NULL,
    queued_by   text NOT NULL,
    queued_at   timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
