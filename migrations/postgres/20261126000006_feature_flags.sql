-- Feature flags, shared by every instance: an on/off kill switch, a sticky
-- percentage rollout and what the flag is for. Instances re-read them every
-- few seconds; every change is audited.

CREATE TABLE feature_flags (
    key             TEXT PRIMARY KEY,
    description     TEXT NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    rollout_percent INTEGER NOT NULL DEFAULT 100 CHECK (rollout_percent BETWEEN 0 AND 100),
    updated_at      TIMESTAMPTZ NOT NULL
);

INSERT INTO feature_flags (key, description, enabled, rollout_percent, updated_at) VALUES
    ('assistant', 'The "Ask about this puppy" AI assistant', TRUE, 100, '2026-11-26T00:00:00Z'),
    ('inquiries', 'Adopters send inquiries to shelters', TRUE, 100, '2026-11-26T00:00:00Z'),
    ('photo_uploads', 'Staff upload puppy photos', TRUE, 100, '2026-11-26T00:00:00Z');

-- Assistant questions per user and day, for the daily quota.
CREATE TABLE assistant_usage (
    user_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day      DATE NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
);
