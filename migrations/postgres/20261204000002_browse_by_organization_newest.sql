-- no-transaction
-- Newest first within a radius of few organisations (store/nearby.rs).
CREATE INDEX CONCURRENTLY IF NOT EXISTS puppies_organization_newest ON puppies (organization_id, status, listed_at, id) WHERE deleted_at IS NULL;
