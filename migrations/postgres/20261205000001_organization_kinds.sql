-- What kinds of puppies each organisation lists: one row per (organisation,
-- status, breed, size, coat) with how many listed puppies have it. A cross-breed
-- counts under both its breeds. Browse near a place (store/nearby.rs) skips an
-- organisation with no row matching the query's status, breed, size and coat
-- filters instead of reading its puppies, so a filter that few puppies match
-- stays cheap in a wide radius. Triggers keep the counts, whichever release or
-- tool writes the puppies; they are created before the table is filled, in the
-- same transaction, so no write falls between the two.
CREATE TABLE organization_kinds (
    organization_id UUID NOT NULL,
    status          TEXT NOT NULL,
    breed_id        UUID NOT NULL,
    size            TEXT NOT NULL,
    coat            TEXT NOT NULL,
    puppies         INTEGER NOT NULL CHECK (puppies > 0),
    PRIMARY KEY (organization_id, status, breed_id, size, coat)
);

-- Adds (delta 1) or removes (delta -1) one listed puppy's kinds.
CREATE FUNCTION organization_kinds_count(p puppies, delta INTEGER) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
    breed UUID;
BEGIN
    IF p.deleted_at IS NOT NULL THEN
        RETURN;
    END IF;
    FOREACH breed IN ARRAY ARRAY[p.breed_id, NULLIF(p.secondary_breed_id, p.breed_id)] LOOP
        CONTINUE WHEN breed IS NULL;
        IF delta > 0 THEN
            INSERT INTO organization_kinds (organization_id, status, breed_id, size, coat, puppies)
            VALUES (p.organization_id, p.status, breed, p.size, p.coat, 1)
            ON CONFLICT (organization_id, status, breed_id, size, coat)
            DO UPDATE SET puppies = organization_kinds.puppies + 1;
        ELSE
            DELETE FROM organization_kinds
            WHERE organization_id = p.organization_id AND status = p.status
              AND breed_id = breed AND size = p.size AND coat = p.coat AND puppies = 1;
            IF NOT FOUND THEN
                UPDATE organization_kinds SET puppies = puppies - 1
                WHERE organization_id = p.organization_id AND status = p.status
                  AND breed_id = breed AND size = p.size AND coat = p.coat;
            END IF;
        END IF;
    END LOOP;
END;
$$;

CREATE FUNCTION organization_kinds_track() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM organization_kinds_count(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM organization_kinds_count(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER organization_kinds_insert_delete AFTER INSERT OR DELETE ON puppies
FOR EACH ROW EXECUTE FUNCTION organization_kinds_track();

CREATE TRIGGER organization_kinds_update
AFTER UPDATE OF organization_id, status, breed_id, secondary_breed_id, size, coat, deleted_at
ON puppies FOR EACH ROW
WHEN ((OLD.organization_id, OLD.status, OLD.breed_id, OLD.secondary_breed_id, OLD.size, OLD.coat,
       OLD.deleted_at IS NULL)
      IS DISTINCT FROM
      (NEW.organization_id, NEW.status, NEW.breed_id, NEW.secondary_breed_id, NEW.size, NEW.coat,
       NEW.deleted_at IS NULL))
EXECUTE FUNCTION organization_kinds_track();

INSERT INTO organization_kinds (organization_id, status, breed_id, size, coat, puppies)
SELECT organization_id, status, breed, size, coat, count(*) FROM (
    SELECT organization_id, status, breed_id AS breed, size, coat
    FROM puppies WHERE deleted_at IS NULL
    UNION ALL
    SELECT organization_id, status, secondary_breed_id, size, coat
    FROM puppies
    WHERE deleted_at IS NULL AND secondary_breed_id IS NOT NULL
      AND secondary_breed_id <> breed_id
) AS kinds
GROUP BY organization_id, status, breed, size, coat;
