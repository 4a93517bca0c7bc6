-- no-transaction
-- By fee within a radius of few organisations (store/nearby.rs).
CREATE INDEX CONCURRENTLY IF NOT EXISTS puppies_organization_fee ON puppies (organization_id, status, fee_cents, id) WHERE deleted_at IS NULL;
