-- What kinds of puppies each organisation lists: one row per (organisation,
-- status, breed, size, coat) with how many listed puppies have it. A cross-breed
-- counts under both its breeds. Browse near a place (store/nearby.rs) skips an
-- organisation with no row matching the query's status, breed, size and coat
-- filters instead of reading its puppies, so a filter that few puppies match
-- stays cheap in a wide radius. Triggers keep the counts, whichever release or
-- tool writes the puppies.
CREATE TABLE organization_kinds (
    organization_id BLOB NOT NULL,
    status          TEXT NOT NULL,
    breed_id        BLOB NOT NULL,
    size            TEXT NOT NULL,
    coat            TEXT NOT NULL,
    puppies         INTEGER NOT NULL CHECK (puppies > 0),
    PRIMARY KEY (organization_id, status, breed_id, size, coat)
) WITHOUT ROWID;

INSERT INTO organization_kinds (organization_id, status, breed_id, size, coat, puppies)
SELECT organization_id, status, breed, size, coat, count(*) FROM (
    SELECT organization_id, status, breed_id AS breed, size, coat
    FROM puppies WHERE deleted_at IS NULL
    UNION ALL
    SELECT organization_id, status, secondary_breed_id, size, coat
    FROM puppies
    WHERE deleted_at IS NULL AND secondary_breed_id IS NOT NULL
      AND secondary_breed_id <> breed_id
)
GROUP BY organization_id, status, breed, size, coat;

CREATE TRIGGER organization_kinds_insert AFTER INSERT ON puppies
WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO organization_kinds (organization_id, status, breed_id, size, coat, puppies)
    VALUES (NEW.organization_id, NEW.status, NEW.breed_id, NEW.size, NEW.coat, 1)
    ON CONFLICT DO UPDATE SET puppies = puppies + 1;
    INSERT INTO organization_kinds (organization_id, status, breed_id, size, coat, puppies)
    SELECT NEW.organization_id, NEW.status, NEW.secondary_breed_id, NEW.size, NEW.coat, 1
    WHERE NEW.secondary_breed_id IS NOT NULL AND NEW.secondary_breed_id <> NEW.breed_id
    ON CONFLICT DO UPDATE SET puppies = puppies + 1;
END;

CREATE TRIGGER organization_kinds_delete AFTER DELETE ON puppies
WHEN OLD.deleted_at IS NULL BEGIN
    DELETE FROM organization_kinds
    WHERE organization_id = OLD.organization_id AND status = OLD.status
      AND size = OLD.size AND coat = OLD.coat
      AND (breed_id = OLD.breed_id
           OR (breed_id = OLD.secondary_breed_id AND OLD.secondary_breed_id <> OLD.breed_id))
      AND puppies = 1;
    UPDATE organization_kinds SET puppies = puppies - 1
    WHERE organization_id = OLD.organization_id AND status = OLD.status
      AND size = OLD.size AND coat = OLD.coat
      AND (breed_id = OLD.breed_id
           OR (breed_id = OLD.secondary_breed_id AND OLD.secondary_breed_id <> OLD.breed_id))
      AND puppies > 1;
END;

CREATE TRIGGER organization_kinds_update
AFTER UPDATE OF organization_id, status, breed_id, secondary_breed_id, size, coat, deleted_at
ON puppies BEGIN
    DELETE FROM organization_kinds
    WHERE OLD.deleted_at IS NULL
      AND organization_id = OLD.organization_id AND status = OLD.status
      AND size = OLD.size AND coat = OLD.coat
      AND (breed_id = OLD.breed_id
           OR (breed_id = OLD.secondary_breed_id AND OLD.secondary_breed_id <> OLD.breed_id))
      AND puppies = 1;
    UPDATE organization_kinds SET puppies = puppies - 1
    WHERE OLD.deleted_at IS NULL
      AND organization_id = OLD.organization_id AND status = OLD.status
      AND size = OLD.size AND coat = OLD.coat
      AND (breed_id = OLD.breed_id
           OR (breed_id = OLD.secondary_breed_id AND OLD.secondary_breed_id <> OLD.breed_id))
      AND puppies > 1;
    INSERT INTO organization_kinds (organization_id, status, breed_id, size, coat, puppies)
    SELECT NEW.organization_id, NEW.status, NEW.breed_id, NEW.size, NEW.coat, 1
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET puppies = puppies + 1;
    INSERT INTO organization_kinds (organization_id, status, breed_id, size, coat, puppies)
    SELECT NEW.organization_id, NEW.status, NEW.secondary_breed_id, NEW.size, NEW.coat, 1
    WHERE NEW.deleted_at IS NULL
      AND NEW.secondary_breed_id IS NOT NULL AND NEW.secondary_breed_id <> NEW.breed_id
    ON CONFLICT DO UPDATE SET puppies = puppies + 1;
END;
