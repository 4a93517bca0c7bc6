-- Puppies a user saved. Removed with the user; kept while the puppy is only
-- soft-deleted (browse hides it, the list of favourites too).

CREATE TABLE favorites (
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    puppy_id   UUID NOT NULL REFERENCES puppies (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, puppy_id)
);
CREATE INDEX favorites_user_recent ON favorites (user_id, created_at, puppy_id);
