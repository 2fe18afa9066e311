-- Subscriptions and the inbox (issue 4).

-- A reader's subscription to a work, a series or a creator (kind), by the
-- target's id. One per (user, kind, target). The target has no foreign key
-- (it names one of three tables): triggers below drop subscriptions to a
-- deleted work or account; the series migration should do the same for
-- series. AUTOINCREMENT keeps ids from being reused, so an unsubscribe
-- link (signed over id, user, kind and target) never matches a newer one.
CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('work', 'series', 'user')),
    target     INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX subscriptions_user_target ON subscriptions(user_id, kind, target);
CREATE INDEX subscriptions_target ON subscriptions(kind, target);

CREATE TRIGGER subscriptions_work_deleted AFTER DELETE ON works BEGIN
    DELETE FROM subscriptions WHERE kind = 'work' AND target = OLD.id;
END;
CREATE TRIGGER subscriptions_user_deleted AFTER DELETE ON users BEGIN
    DELETE FROM subscriptions WHERE kind = 'user' AND target = OLD.id;
END;

-- The key that signs unsubscribe links, made once per archive.
CREATE TABLE notify_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL
);
INSERT INTO notify_secret (id, secret) VALUES (1, lower(hex(randomblob(32))));

-- A reader's inbox: new works and chapters of their subscriptions,
-- comments on their works, replies to their comments. Titles, chapter
-- positions and comment text are read live through joins, so a renamed work
-- shows its new title and a deleted comment shows no text; an entry goes
-- with its work, chapter or comment (ON DELETE CASCADE). work_title is the
-- title when the entry was made, a fallback only.
CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('work', 'chapter', 'comment', 'reply')),
    work_id    INTEGER REFERENCES works(id) ON DELETE CASCADE,
    chapter_id INTEGER REFERENCES chapters(id) ON DELETE CASCADE,
    comment_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    actor      TEXT NOT NULL DEFAULT '',
    work_title TEXT NOT NULL DEFAULT '',
    read       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX inbox_user ON inbox(user_id, id);
CREATE INDEX inbox_user_unread ON inbox(user_id) WHERE read = 0;
CREATE INDEX inbox_work ON inbox(work_id);
CREATE INDEX inbox_chapter ON inbox(chapter_id);
CREATE INDEX inbox_comment ON inbox(comment_id);
