-- no-transaction
-- Browse near a place reads each organisation's puppies in order (store/nearby.rs):
-- by id for nearest first. Built without blocking writes to a live catalogue.
CREATE INDEX CONCURRENTLY IF NOT EXISTS puppies_organization_browse ON puppies (organization_id, status, id) WHERE deleted_at IS NULL;
