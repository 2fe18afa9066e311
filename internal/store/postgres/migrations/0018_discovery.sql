-- Readers' own filters and the fandom directory (issue 13): works a reader
-- hid from every listing, and the media a wrangler gave a fandom.
CREATE TABLE hidden_works (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id    BIGINT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, work_id)
);
CREATE INDEX hidden_works_work ON hidden_works(work_id);
-- exclude_kudosed reads one reader's kudos.
CREATE INDEX kudos_user ON kudos(user_id) WHERE user_id IS NOT NULL;
ALTER TABLE tags ADD COLUMN media TEXT NOT NULL DEFAULT '';
