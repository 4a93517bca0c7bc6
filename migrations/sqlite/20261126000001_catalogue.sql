-- The public catalogue: organisations, breeds, puppies and their photos.
-- Ids are UUIDv7 stored as 16-byte blobs; times are UTC (RFC 3339 text).

CREATE TABLE organizations (
    id          BLOB PRIMARY KEY NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('shelter', 'rescue', 'breeder')),
    description TEXT NOT NULL DEFAULT '',
    website     TEXT,
    -- Private contact details: only staff and admins see them.
    email       TEXT NOT NULL,
    phone       TEXT,
    city        TEXT NOT NULL,
    region      TEXT NOT NULL,
    country     TEXT NOT NULL CHECK (length(country) = 2),
    latitude    REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX organizations_location ON organizations (latitude, longitude);

CREATE TABLE breeds (
    id          BLOB PRIMARY KEY NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    breed_group TEXT NOT NULL,
    size        TEXT NOT NULL CHECK (size IN ('small', 'medium', 'large', 'giant')),
    coat        TEXT NOT NULL CHECK (coat IN ('hairless', 'short', 'medium', 'long', 'wire', 'curly')),
    -- JSON array of temperament words.
    temperament TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE puppies (
    id                 BLOB PRIMARY KEY NOT NULL,
    organization_id    BLOB NOT NULL REFERENCES organizations (id),
    name               TEXT NOT NULL,
    breed_id           BLOB NOT NULL REFERENCES breeds (id),
    secondary_breed_id BLOB REFERENCES breeds (id),
    mixed              INTEGER NOT NULL CHECK (mixed IN (0, 1)),
    sex                TEXT NOT NULL CHECK (sex IN ('female', 'male')),
    birth_date         TEXT NOT NULL,
    size               TEXT NOT NULL CHECK (size IN ('small', 'medium', 'large', 'giant')),
    coat               TEXT NOT NULL CHECK (coat IN ('hairless', 'short', 'medium', 'long', 'wire', 'curly')),
    colour             TEXT NOT NULL,
    -- NULL means "not known yet".
    good_with_kids     INTEGER CHECK (good_with_kids IN (0, 1)),
    good_with_dogs     INTEGER CHECK (good_with_dogs IN (0, 1)),
    good_with_cats     INTEGER CHECK (good_with_cats IN (0, 1)),
    house_trained      INTEGER NOT NULL CHECK (house_trained IN (0, 1)),
    vaccinated         INTEGER NOT NULL CHECK (vaccinated IN (0, 1)),
    neutered           INTEGER NOT NULL CHECK (neutered IN (0, 1)),
    description        TEXT NOT NULL DEFAULT '',
    fee_cents          INTEGER NOT NULL CHECK (fee_cents >= 0),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    status             TEXT NOT NULL CHECK (status IN ('available', 'pending', 'adopted')),
    -- Words searched by `q`: name, breed names, colour, description.
    search_text        TEXT NOT NULL DEFAULT '',
    listed_at          TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    -- Soft delete: hidden from browse, kept for inquiries and audit.
    deleted_at         TEXT,
    -- Bumped on every change; the ETag for optimistic concurrency.
    version            INTEGER NOT NULL DEFAULT 1
);
-- Keyset pagination for each sort order, scoped to what browse shows.
CREATE INDEX puppies_browse_newest ON puppies (status, listed_at, id) WHERE deleted_at IS NULL;
CREATE INDEX puppies_browse_fee ON puppies (status, fee_cents, id) WHERE deleted_at IS NULL;
CREATE INDEX puppies_organization ON puppies (organization_id, status);
CREATE INDEX puppies_breed ON puppies (breed_id);
CREATE INDEX puppies_secondary_breed ON puppies (secondary_breed_id) WHERE secondary_breed_id IS NOT NULL;

CREATE VIRTUAL TABLE puppies_fts USING fts5(
    search_text,
    content = 'puppies',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER puppies_fts_insert AFTER INSERT ON puppies BEGIN
    INSERT INTO puppies_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER puppies_fts_delete AFTER DELETE ON puppies BEGIN
    INSERT INTO puppies_fts (puppies_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER puppies_fts_update AFTER UPDATE OF search_text ON puppies BEGIN
    INSERT INTO puppies_fts (puppies_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO puppies_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;

CREATE TABLE photos (
    id          BLOB PRIMARY KEY NOT NULL,
    puppy_id    BLOB NOT NULL REFERENCES puppies (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    -- Object-store prefix; variants live at `<storage_key>/<width>.jpg`.
    storage_key TEXT NOT NULL,
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    -- Comma-separated variant widths, e.g. '320,640,1280'.
    variants    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX photos_puppy ON photos (puppy_id, position);
CREATE INDEX photos_storage_key ON photos (storage_key);
