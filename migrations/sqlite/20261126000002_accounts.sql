-- Accounts and sessions. Emails are stored normalised (trimmed, lowercase).

CREATE TABLE users (
    id              BLOB PRIMARY KEY NOT NULL,
    email           TEXT NOT NULL UNIQUE,
    -- Argon2id PHC string.
    password_hash   TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'adopter' CHECK (role IN ('adopter', 'staff', 'admin')),
    organization_id BLOB REFERENCES organizations (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    -- Staff belong to exactly one organisation; nobody else has one.
    CHECK ((role = 'staff') = (organization_id IS NOT NULL))
);

CREATE TABLE sessions (
    id          BLOB PRIMARY KEY NOT NULL,
    user_id     BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Hex SHA-256 of the bearer token; the token itself is never stored.
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
