-- Browse near a place tests each organisation's puppies against the filters
-- (store/nearby.rs). With the filtered columns in the index, those tests read the
-- index alone instead of one table row per puppy: a wide radius where few puppies
-- match stays a walk over small index entries. It starts with the columns of
-- puppies_organization_browse, which it replaces.
CREATE INDEX puppies_organization_facets ON puppies (
    organization_id, status, id, deleted_at, breed_id, secondary_breed_id, size, coat,
    sex, birth_date, good_with_kids, good_with_dogs, good_with_cats
) WHERE deleted_at IS NULL;

DROP INDEX puppies_organization_browse;
