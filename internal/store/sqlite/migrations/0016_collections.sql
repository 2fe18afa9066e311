-- Collections and gifts (issue 12). A collection's name is its URL
-- ([A-Za-z0-9_]{1,255}, unique ignoring case). Its maintainers are owners
-- or moderators. An item is a work in a collection with a state:
-- approved, pending (awaits the collection), invited (awaits the creator)
-- or rejected. An item's anonymous and unrevealed flags are the
-- collection's settings when the work joined, cleared by a reveal (all at
-- once or one by one).
CREATE TABLE collections (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    description_src  TEXT NOT NULL DEFAULT '',
    description_fmt  TEXT NOT NULL DEFAULT 'html',
    description_html TEXT NOT NULL DEFAULT '',
    rules_src        TEXT NOT NULL DEFAULT '',
    rules_fmt        TEXT NOT NULL DEFAULT 'html',
    rules_html       TEXT NOT NULL DEFAULT '',
    parent_id        INTEGER REFERENCES collections(id) ON DELETE SET NULL,
    open             INTEGER NOT NULL DEFAULT 0,
    moderated        INTEGER NOT NULL DEFAULT 0,
    anonymous        INTEGER NOT NULL DEFAULT 0,
    unrevealed       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX collections_parent ON collections(parent_id);

CREATE TABLE collection_maintainers (
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role          TEXT NOT NULL, -- owner or moderator
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (collection_id, user_id)
);
CREATE INDEX collection_maintainers_user ON collection_maintainers(user_id);

CREATE TABLE collection_items (
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    work_id       INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    state         TEXT NOT NULL,
    anonymous     INTEGER NOT NULL DEFAULT 0,
    unrevealed    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (collection_id, work_id)
);
CREATE INDEX collection_items_work ON collection_items(work_id);
CREATE INDEX collection_items_state ON collection_items(collection_id, state);

-- A work's gifts: an account (user_id) or a free name (user_id NULL),
-- in the order the creator gave them. A refused gift keeps its row (so
-- the creator can't give it again) but shows nowhere.
CREATE TABLE work_gifts (
    work_id    INTEGER NOT NULL REFERENCES works(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    refused    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (work_id, position)
);
CREATE INDEX work_gifts_user ON work_gifts(user_id);

-- The inbox gains gifts (a work given to one). SQLite cannot change a
-- CHECK, so the table is rebuilt; nothing references it.
CREATE TABLE inbox_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('work', 'chapter', 'comment', 'reply', 'work_hidden', 'work_unhidden', 'gift')),
    work_id    INTEGER REFERENCES works(id) ON DELETE CASCADE,
    chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE,
    comment_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    actor      TEXT NOT NULL DEFAULT '',
    work_title TEXT NOT NULL DEFAULT '',
    read       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
INSERT INTO inbox_new (id, user_id, kind, work_id, chapter_id, comment_id, actor, work_title, read, created_at)
    SELECT id, user_id, kind, work_id, chapter_id, comment_id, actor, work_title, read, created_at FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_new RENAME TO inbox;
CREATE INDEX inbox_user ON inbox(user_id, id);
CREATE INDEX inbox_user_unread ON inbox(user_id) WHERE read = 0;
CREATE INDEX inbox_work ON inbox(work_id);
CREATE INDEX inbox_chapter ON inbox(chapter_id);
CREATE INDEX inbox_comment ON inbox(comment_id);
