-- Browse near a place reads each organisation's puppies in order (store/nearby.rs):
-- by id for nearest first, by the sort key for the other orders. Scoped, like the
-- other browse indexes, to what browse shows.
CREATE INDEX puppies_organization_browse ON puppies (organization_id, status, id) WHERE deleted_at IS NULL;
CREATE INDEX puppies_organization_newest ON puppies (organization_id, status, listed_at, id) WHERE deleted_at IS NULL;
CREATE INDEX puppies_organization_fee ON puppies (organization_id, status, fee_cents, id) WHERE deleted_at IS NULL;
