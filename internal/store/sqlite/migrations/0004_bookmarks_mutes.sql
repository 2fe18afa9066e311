-- Bookmarks and mutes (issue 4).

-- A bookmark outlives its work: deleting the work clears work_id (ids of
-- deleted works can be reused) and work_title keeps its name.
CREATE TABLE bookmarks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    work_id    INTEGER REFERENCES works(id) ON DELETE SET NULL,
    work_title TEXT NOT NULL DEFAULT '',
    notes_src  TEXT NOT NULL DEFAULT '',
    notes_fmt  TEXT NOT NULL DEFAULT 'html',
    notes_html TEXT NOT NULL DEFAULT '',
    rec        INTEGER NOT NULL DEFAULT 0,
    private    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX bookmarks_user_work ON bookmarks(user_id, work_id);
CREATE INDEX bookmarks_work ON bookmarks(work_id);

-- Keep the remembered title current, so a deleted work is named as it last was.
CREATE TRIGGER bookmarks_work_title AFTER UPDATE OF title ON works BEGIN
    UPDATE bookmarks SET work_title = NEW.title WHERE work_id = NEW.id;
END;

-- The bookmarker's own tags, as entered.
CREATE TABLE bookmark_tags (
    bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    PRIMARY KEY (bookmark_id, position)
);

CREATE TABLE muted_tags (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, tag_id)
);

CREATE TABLE muted_users (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    muted_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, muted_id)
);
CREATE INDEX muted_users_muted ON muted_users(muted_id);
