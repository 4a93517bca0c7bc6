-- no-transaction
-- puppies_organization_facets has the same key and more: this one only costs writes.
DROP INDEX CONCURRENTLY IF EXISTS puppies_organization_browse;
