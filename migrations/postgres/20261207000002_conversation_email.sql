-- Whether an account is emailed when one of its conversations has a new
-- message: on by default, off from the account or the one-click unsubscribe
-- link in such a message. A constant default: no table rewrite, and the
-- release still serving during the rollout never writes it.
ALTER TABLE users ADD COLUMN conversation_email BOOLEAN NOT NULL DEFAULT TRUE;

-- Keys the server signs links with (the unsubscribe link), each made on first
-- use. Replacing one makes every link signed with it stop working.
CREATE TABLE signing_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
