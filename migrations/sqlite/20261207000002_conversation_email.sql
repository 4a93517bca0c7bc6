-- Whether an account is emailed when one of its conversations has a new
-- message: on by default, off from the account or the one-click unsubscribe
-- link in such a message.
ALTER TABLE users ADD COLUMN conversation_email INTEGER NOT NULL DEFAULT 1;

-- Keys the server signs links with (the unsubscribe link), each made on first
-- use. Replacing one makes every link signed with it stop working.
CREATE TABLE signing_keys (
    name       TEXT PRIMARY KEY NOT NULL,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
