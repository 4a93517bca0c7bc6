-- Accounts and sessions. Emails are stored normalised (trimmed, lowercase).

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    -- Argon2id PHC string.
    password_hash   TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'adopter' CHECK (role IN ('adopter', 'staff', 'admin')),
    organization_id UUID REFERENCES organizations (id),
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    -- Staff belong to exactly one organisation; nobody else has one.
    CHECK ((role = 'staff') = (organization_id IS NOT NULL))
);

CREATE TABLE sessions (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Hex SHA-256 of the bearer token; the token itself is never stored.
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions (user_id);
