-- Inquiries from adopters to the organisation listing a puppy, and the replies.
-- When an adopter deletes their account the inquiry stays for the organisation,
-- anonymised: user_id becomes NULL and no name or address is stored here.

CREATE TABLE inquiries (
    id                 BLOB PRIMARY KEY NOT NULL,
    puppy_id           BLOB NOT NULL REFERENCES puppies (id),
    organization_id    BLOB NOT NULL REFERENCES organizations (id),
    user_id            BLOB REFERENCES users (id) ON DELETE SET NULL,
    message            TEXT NOT NULL,
    contact_preference TEXT NOT NULL CHECK (contact_preference IN ('email', 'phone', 'app')),
    status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX inquiries_organization ON inquiries (organization_id, created_at, id);
CREATE INDEX inquiries_user ON inquiries (user_id, created_at, id);

CREATE TABLE inquiry_replies (
    id          BLOB PRIMARY KEY NOT NULL,
    inquiry_id  BLOB NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    author_id   BLOB REFERENCES users (id) ON DELETE SET NULL,
    -- Who wrote it, kept when the author's account is gone.
    author_role TEXT NOT NULL CHECK (author_role IN ('adopter', 'staff')),
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX inquiry_replies_inquiry ON inquiry_replies (inquiry_id, created_at);
