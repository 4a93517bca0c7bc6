-- Browse near a place reads organisations by location (store/nearby.rs): with the id
-- in the index, the lookup never visits the table's wide rows.
CREATE INDEX organizations_location_id ON organizations (latitude, longitude, id);
DROP INDEX organizations_location;
