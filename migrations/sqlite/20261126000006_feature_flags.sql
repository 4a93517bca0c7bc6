-- Feature flags, shared by every instance: an on/off kill switch, a sticky
-- percentage rollout and what the flag is for. Instances re-read them every
-- few seconds; every change is audited.

CREATE TABLE feature_flags (
    key             TEXT PRIMARY KEY NOT NULL,
    description     TEXT NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    rollout_percent INTEGER NOT NULL DEFAULT 100 CHECK (rollout_percent BETWEEN 0 AND 100),
    updated_at      TEXT NOT NULL
);

INSERT INTO feature_flags (key, description, enabled, rollout_percent, updated_at) VALUES
    ('assistant', 'The "Ask about this puppy" AI assistant', 1, 100, '2026-11-26T00:00:00Z'),
    ('inquiries', 'Adopters send inquiries to shelters', 1, 100, '2026-11-26T00:00:00Z'),
    ('photo_uploads', 'Staff upload puppy photos', 1, 100, '2026-11-26T00:00:00Z');

-- Assistant questions per user and day, for the daily quota.
CREATE TABLE assistant_usage (
    user_id  BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day      TEXT NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
);
