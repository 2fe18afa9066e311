-- Names sort by their bytes, as on SQLite, whatever the database's own
-- collation: an archive on an en_US or ICU database listed accounts, tags
-- and collections (and wrote its export) in another order than the same
-- archive on SQLite. Equality, and so every UNIQUE key, is unchanged.
ALTER TABLE users ALTER COLUMN name_key TYPE TEXT COLLATE "C";
ALTER TABLE pseuds ALTER COLUMN name_key TYPE TEXT COLLATE "C";
ALTER TABLE tags ALTER COLUMN name_key TYPE TEXT COLLATE "C";
ALTER TABLE tags ALTER COLUMN name TYPE TEXT COLLATE "C";
ALTER TABLE collections ALTER COLUMN name_key TYPE TEXT COLLATE "C";
ALTER TABLE user_renames ALTER COLUMN old_key TYPE TEXT COLLATE "C";
ALTER TABLE settings ALTER COLUMN key TYPE TEXT COLLATE "C";
ALTER TABLE redirects ALTER COLUMN from_path TYPE TEXT COLLATE "C";
ALTER TABLE challenge_prompt_tags ALTER COLUMN name_key TYPE TEXT COLLATE "C";
