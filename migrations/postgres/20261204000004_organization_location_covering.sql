-- no-transaction
-- Browse near a place reads organisations by location (store/nearby.rs): with the id
-- in the index, the lookup is answered from the index alone. The narrower
-- organizations_location stays until a later release (expand, then contract).
CREATE INDEX CONCURRENTLY IF NOT EXISTS organizations_location_id ON organizations (latitude, longitude, id);
