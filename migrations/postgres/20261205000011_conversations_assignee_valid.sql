-- The assignee's foreign key was added NOT VALID; checking the existing rows
-- takes only a lock that lets reads and writes go on.
ALTER TABLE inquiries VALIDATE CONSTRAINT inquiries_assignee_fk;
