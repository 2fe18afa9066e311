-- Chapter co-creators (issue 14). A chapter with rows here has its own
-- byline, in position order; a chapter without rows is credited to its
-- work's creators and follows them. Every pseud here is also on the work's
-- byline (as on AO3, an accepted chapter co-creator is a work co-creator).
CREATE TABLE chapter_creators (
    chapter_id INTEGER NOT NULL REFERENCES chapters(id) ON DELETE CASCADE,
    pseud_id   INTEGER NOT NULL REFERENCES pseuds(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (chapter_id, pseud_id)
);
CREATE INDEX chapter_creators_pseud ON chapter_creators(pseud_id);

-- An invitation to a chapter (NULL: to the work). Accepting it credits the
-- pseud on the chapter and on the work.
ALTER TABLE creator_invitations ADD COLUMN chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE;
