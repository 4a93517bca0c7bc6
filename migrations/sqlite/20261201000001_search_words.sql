-- Text search tests each puppy's words with `' ' || search_text LIKE '% term%'`, so
-- `search_text` now holds only lowercase words separated by spaces (the application
-- writes it that way). Rewrite earlier rows that hold anything else: ASCII
-- punctuation and line breaks become spaces, a few characters per statement (deeper
-- nesting overflows SQLite's parser). The FTS5 index follows through its update
-- trigger.
UPDATE puppies SET search_text = lower(search_text) WHERE search_text GLOB '*[A-Z]*';
UPDATE puppies SET search_text = replace(replace(replace(replace(replace(replace(replace(search_text, '!', ' '), '"', ' '), '#', ' '), '$', ' '), '%', ' '), '&', ' '), '''', ' ')
WHERE search_text GLOB '*[^ 0-9a-z]*';
UPDATE puppies SET search_text = replace(replace(replace(replace(replace(replace(replace(search_text, '(', ' '), ')', ' '), '*', ' '), '+', ' '), ',', ' '), '-', ' '), '.', ' ')
WHERE search_text GLOB '*[^ 0-9a-z]*';
UPDATE puppies SET search_text = replace(replace(replace(replace(replace(replace(replace(search_text, '/', ' '), ':', ' '), ';', ' '), '<', ' '), '=', ' '), '>', ' '), '?', ' ')
WHERE search_text GLOB '*[^ 0-9a-z]*';
UPDATE puppies SET search_text = replace(replace(replace(replace(replace(replace(replace(search_text, '@', ' '), '[', ' '), '\', ' '), ']', ' '), '^', ' '), '_', ' '), '`', ' ')
WHERE search_text GLOB '*[^ 0-9a-z]*';
UPDATE puppies SET search_text = replace(replace(replace(replace(replace(replace(replace(search_text, '{', ' '), '|', ' '), '}', ' '), '~', ' '), char(9), ' '), char(10), ' '), char(13), ' ')
WHERE search_text GLOB '*[^ 0-9a-z]*';
