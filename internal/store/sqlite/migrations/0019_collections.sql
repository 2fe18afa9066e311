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
    kind       TEXT NOT NULL CHECK (kind IN ('work', 'chapter', 'comment', 'reply', 'work_hidden', 'work_unhidden', 'creator_invitation', 'gift')),
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

-- Reports may name a collection (target_kind 'collection', target_id 0,
-- target_name its name). SQLite cannot change a CHECK: the reports table
-- is rebuilt, and its notes with it (they reference it).
CREATE TABLE reports_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind    TEXT NOT NULL CHECK (target_kind IN ('work', 'chapter', 'comment', 'user', 'series', 'bookmark', 'collection')),
    target_id      INTEGER NOT NULL DEFAULT 0,
    target_name    TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL,
    details        TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved', 'dismissed')),
    snapshot       TEXT NOT NULL DEFAULT '{}',
    reporter_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reporter_email TEXT NOT NULL DEFAULT '',
    address_hash   TEXT NOT NULL DEFAULT '',
    assignee_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
INSERT INTO reports_new SELECT id, target_kind, target_id, target_name, reason, details, state, snapshot, reporter_id,
    reporter_email, address_hash, assignee_id, created_at, updated_at FROM reports;
CREATE TABLE report_notes_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id   INTEGER NOT NULL REFERENCES reports_new(id) ON DELETE CASCADE,
    author_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
INSERT INTO report_notes_new SELECT id, report_id, author_id, author_name, body, created_at FROM report_notes;
DROP TABLE report_notes;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
ALTER TABLE report_notes_new RENAME TO report_notes;
CREATE UNIQUE INDEX reports_open_by_user ON reports(reporter_id, target_kind, target_id, target_name)
    WHERE state = 'open' AND reporter_id IS NOT NULL;
CREATE UNIQUE INDEX reports_open_by_guest ON reports(address_hash, target_kind, target_id, target_name)
    WHERE state = 'open' AND reporter_id IS NULL AND address_hash <> '';
CREATE INDEX reports_state ON reports(state, id);
CREATE INDEX reports_target ON reports(target_kind, target_id);
CREATE INDEX reports_reporter_time ON reports(reporter_id, created_at);
CREATE INDEX reports_address_time ON reports(address_hash, created_at);
CREATE INDEX reports_assignee ON reports(assignee_id);
CREATE INDEX report_notes_report ON report_notes(report_id, id);
CREATE INDEX report_notes_author ON report_notes(author_id);
