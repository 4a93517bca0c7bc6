-- no-transaction
-- Browse near a place tests each organisation's puppies against the filters
-- (store/nearby.rs). With the filtered columns in the index, those tests read the
-- index alone (an index-only scan) instead of one table row per puppy. It starts
-- with the key of puppies_organization_browse, which the next migration drops.
-- Built without blocking writes to a live catalogue.
CREATE INDEX CONCURRENTLY IF NOT EXISTS puppies_organization_facets
ON puppies (organization_id, status, id)
INCLUDE (breed_id, secondary_breed_id, size, coat, sex, birth_date,
         good_with_kids, good_with_dogs, good_with_cats)
WHERE deleted_at IS NULL;
