-- The public catalogue: organisations, breeds, puppies and their photos.
-- Ids are UUIDv7; times are UTC.

CREATE TABLE organizations (
    id          UUID PRIMARY KEY,
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
    latitude    DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX organizations_location ON organizations (latitude, longitude);

CREATE TABLE breeds (
    id          UUID PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    breed_group TEXT NOT NULL,
    size        TEXT NOT NULL CHECK (size IN ('small', 'medium', 'large', 'giant')),
    coat        TEXT NOT NULL CHECK (coat IN ('hairless', 'short', 'medium', 'long', 'wire', 'curly')),
    -- JSON array of temperament words (text, so both databases read it alike).
    temperament TEXT NOT NULL DEFAULT '[]',
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE puppies (
    id                 UUID PRIMARY KEY,
    organization_id    UUID NOT NULL REFERENCES organizations (id),
    name               TEXT NOT NULL,
    breed_id           UUID NOT NULL REFERENCES breeds (id),
    secondary_breed_id UUID REFERENCES breeds (id),
    mixed              BOOLEAN NOT NULL,
    sex                TEXT NOT NULL CHECK (sex IN ('female', 'male')),
    birth_date         DATE NOT NULL,
    size               TEXT NOT NULL CHECK (size IN ('small', 'medium', 'large', 'giant')),
    coat               TEXT NOT NULL CHECK (coat IN ('hairless', 'short', 'medium', 'long', 'wire', 'curly')),
    colour             TEXT NOT NULL,
    -- NULL means "not known yet".
    good_with_kids     BOOLEAN,
    good_with_dogs     BOOLEAN,
    good_with_cats     BOOLEAN,
    house_trained      BOOLEAN NOT NULL,
    vaccinated         BOOLEAN NOT NULL,
    neutered           BOOLEAN NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    fee_cents          BIGINT NOT NULL CHECK (fee_cents >= 0),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    status             TEXT NOT NULL CHECK (status IN ('available', 'pending', 'adopted')),
    -- Words searched by `q`: name, breed names, colour, description.
    search_text        TEXT NOT NULL DEFAULT '',
    search_vector      TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    listed_at          TIMESTAMPTZ NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    -- Soft delete: hidden from browse, kept for inquiries and audit.
    deleted_at         TIMESTAMPTZ,
    -- Bumped on every change; the ETag for optimistic concurrency.
    version            BIGINT NOT NULL DEFAULT 1
);
-- Keyset pagination for each sort order, scoped to what browse shows.
CREATE INDEX puppies_browse_newest ON puppies (status, listed_at, id) WHERE deleted_at IS NULL;
CREATE INDEX puppies_browse_fee ON puppies (status, fee_cents, id) WHERE deleted_at IS NULL;
CREATE INDEX puppies_organization ON puppies (organization_id, status);
CREATE INDEX puppies_breed ON puppies (breed_id);
CREATE INDEX puppies_secondary_breed ON puppies (secondary_breed_id) WHERE secondary_breed_id IS NOT NULL;
CREATE INDEX puppies_search ON puppies USING GIN (search_vector);

CREATE TABLE photos (
    id          UUID PRIMARY KEY,
    puppy_id    UUID NOT NULL REFERENCES puppies (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    -- Object-store prefix; variants live at `<storage_key>/<width>.jpg`.
    storage_key TEXT NOT NULL,
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    -- Comma-separated variant widths, e.g. '320,640,1280'.
    variants    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX photos_puppy ON photos (puppy_id, position);
CREATE INDEX photos_storage_key ON photos (storage_key);
